//! The exhaustive decision table of a Configuration Manager site: every combination of
//! the finite inputs of its decision, resolved by the engine.
//!
//! | input | values |
//! |---|---|
//! | client | a member of the site's domain; a member of an untrusted forest's domain; a workgroup client |
//! | logged on | nobody; a user of the client |
//! | program | user's rights × {only with a user, whether or not}; administrative rights × the three "can run"; administrative rights with interaction × {only with a user, whether or not} (what the console allows, `CM-INTERACT`) |
//! | the package's read list | the readers group; the readers and the computer accounts; none given, so the DP's local Users by default (`CM-DP-USERS`) |
//! | distribution point | answers, or not |
//! | site token and anonymous | neither; anonymous; Enhanced HTTP; HTTPS; HTTPS and anonymous (Enhanced HTTP forbids anonymous) |
//! | network access accounts | none; one; two; each reads, cannot read, is disabled, is of an untrusted domain, or is denied network logon at the DP |
//!
//! The estate: domain `CORP` with the site server and DP `SMS1` and the client `WKS1`,
//! domain `FAR` of another forest with `FWK1`, the workgroup client `WG1`, and the site
//! `ABC`, built as a scenario file so that the loader's rules hold for every row.

use serde_json::{Value, json};

use crate::engine::{Resolution, resolve};
use crate::model::*;
use crate::scenario::Scenario;

/// How the site offers content beyond the accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Transport {
    /// Plain HTTP: neither site token nor anonymous.
    Http,
    /// Plain HTTP, with the DP allowing anonymous connections.
    HttpAnonymous,
    /// Enhanced HTTP.
    EnhancedHttp,
    /// HTTPS with PKI client certificates.
    Https,
    /// HTTPS, with the DP allowing anonymous connections.
    HttpsAnonymous,
}

/// What a network access account of a row does at the DP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Naa {
    /// Authenticates and reads.
    Reads,
    /// Authenticates but cannot read.
    Denied,
    /// Is disabled.
    Disabled,
    /// Is an account of `FAR`, a domain the DP's does not trust (`X-CM-NAA-UNTRUSTED`).
    Untrusted,
    /// Would read, but the DP denies it "Access this computer from the network"
    /// (`CM-NAA-NETWORK-RIGHT`).
    NetworkDenied,
}

/// The package's read list at the DP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReadList {
    /// The group `CORP\readers` only.
    Readers,
    /// The readers and `CORP\Domain Computers`.
    ReadersAndComputers,
    /// None given: the DP's local Users read it by default (`CM-DP-USERS`).
    Default,
}

/// The client of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Member {
    /// `WKS1`, of the site's domain.
    SiteDomain,
    /// `FWK1`, of a domain of another forest the site's does not trust.
    UntrustedForest,
    /// `WG1`, a workgroup client.
    Workgroup,
}

/// One row's inputs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConfigMgrInputs {
    /// The client.
    pub client: Member,
    /// Whether a user of the client is logged on.
    pub logged_on: bool,
    /// Run mode, can run, interaction.
    pub program: (RunMode, CanRun, bool),
    /// The package's read list.
    pub read: ReadList,
    /// Whether the DP answers.
    pub dp_available: bool,
    /// Site token and anonymous.
    pub transport: Transport,
    /// The network access accounts, in order.
    pub naas: Vec<Naa>,
}

/// The program settings the console allows at a Configuration Manager site.
pub fn configmgr_programs() -> Vec<(RunMode, CanRun, bool)> {
    use CanRun::*;
    use RunMode::*;
    vec![
        (UserRights, OnlyWhenUserLoggedOn, false),
        (UserRights, WhetherOrNotUserLoggedOn, false),
        (AdministrativeRights, OnlyWhenUserLoggedOn, false),
        (AdministrativeRights, WhetherOrNotUserLoggedOn, false),
        (AdministrativeRights, OnlyWhenNoUserLoggedOn, false),
        (AdministrativeRights, OnlyWhenUserLoggedOn, true),
        (AdministrativeRights, WhetherOrNotUserLoggedOn, true),
    ]
}

/// Every list of network access accounts of a row: none, one, two.
fn naa_lists() -> Vec<Vec<Naa>> {
    let each = [
        Naa::Reads,
        Naa::Denied,
        Naa::Disabled,
        Naa::Untrusted,
        Naa::NetworkDenied,
    ];
    let mut out = vec![Vec::new()];
    out.extend(each.iter().map(|&a| vec![a]));
    for &a in &each {
        out.extend(each.iter().map(|&b| vec![a, b]));
    }
    out
}

/// The scenario of one estate of the table: its site settings, with every program
/// advertised to every client.
fn scenario(transport: Transport, naas: &[Naa], read_list: ReadList) -> Value {
    let run_mode = |m: RunMode| match m {
        RunMode::UserRights => "user_rights",
        RunMode::AdministrativeRights => "administrative_rights",
    };
    let can_run = |c: CanRun| match c {
        CanRun::OnlyWhenUserLoggedOn => "only_when_user_logged_on",
        CanRun::WhetherOrNotUserLoggedOn => "whether_or_not_user_logged_on",
        CanRun::OnlyWhenNoUserLoggedOn => "only_when_no_user_logged_on",
    };
    let programs: Vec<Value> = configmgr_programs()
        .iter()
        .enumerate()
        .map(|(i, &(m, c, interact))| {
            json!({"name": format!("P{i}"), "package": "ABC00001", "run_mode": run_mode(m),
                   "can_run": can_run(c), "allow_user_interaction": interact})
        })
        .collect();
    let ads: Vec<Value> = (0..programs.len())
        .map(|i| {
            json!({"name": format!("AD{i}"), "program": format!("P{i}"),
                        "targets": ["FWK1", "WG1", "WKS1"]})
        })
        .collect();
    let naa_name = |(i, n): (usize, &Naa)| match n {
        Naa::Untrusted => format!("FAR\\naa{i}"),
        _ => format!("CORP\\naa{i}"),
    };
    let naa_names: Vec<String> = naas.iter().enumerate().map(naa_name).collect();
    let mut copy = json!({"distribution_point": "\\\\SMS1\\SMS_DP$"});
    if read_list != ReadList::Default {
        let mut read = vec![json!("CORP\\readers")];
        if read_list == ReadList::ReadersAndComputers {
            read.push(json!("CORP\\Domain Computers"));
        }
        copy["read"] = json!(read);
    }
    // Every account of CORP but a `Denied` one reads through `readers`; FAR's cannot be
    // listed there (CORP does not trust FAR).
    let readers: Vec<String> = naas
        .iter()
        .enumerate()
        .filter(|(_, n)| !matches!(n, Naa::Denied | Naa::Untrusted))
        .map(|(i, _)| format!("naa{i}"))
        .collect();
    let network_denied: Vec<String> = naas
        .iter()
        .enumerate()
        .filter(|(_, n)| **n == Naa::NetworkDenied)
        .map(naa_name)
        .collect();
    let anonymous = matches!(
        transport,
        Transport::HttpAnonymous | Transport::HttpsAnonymous
    );
    json!({
        "schema_version": 1,
        "domains": [
            {"name": "CORP", "users": ["alice", "naa0", "naa1"],
             "global_groups": [{"name": "readers", "members": readers},
                               {"name": "Domain Computers", "members": ["WKS1$"]}]},
            {"name": "FAR", "forest": "far.example", "users": ["fay", "naa0", "naa1"]}
        ],
        "machines": [
            {"name": "SMS1", "platform": "windows_server", "domain": "CORP", "sms_client": false,
             "deny_network_logon": network_denied},
            {"name": "WKS1", "platform": "windows_client", "domain": "CORP"},
            {"name": "FWK1", "platform": "windows_client", "domain": "FAR"},
            {"name": "WG1", "platform": "windows_client", "users": ["kim"]}
        ],
        "site": {
            "product": "configmgr", "code": "ABC", "domain": "CORP",
            "distribution_points": ["\\\\SMS1\\SMS_DP$"],
            "anonymous_distribution_points": if anonymous { vec!["\\\\SMS1\\SMS_DP$"] } else { vec![] },
            "enhanced_http": transport == Transport::EnhancedHttp,
            "https_only": matches!(transport, Transport::Https | Transport::HttpsAnonymous),
            "network_access_accounts": naa_names,
            "site_server": "SMS1"
        },
        "packages": [{"id": "ABC00001", "copies": [copy]}],
        "programs": programs,
        "advertisements": ads
    })
}

/// Resolves every row of the Configuration Manager table, in a fixed order, calling `f`
/// with its inputs, its estate and state, and the engine's resolution; returns the
/// number of rows.
pub fn for_each_configmgr_row(
    mut f: impl FnMut(&ConfigMgrInputs, &Estate, &State, &Resolution),
) -> usize {
    let transports = [
        Transport::Http,
        Transport::HttpAnonymous,
        Transport::EnhancedHttp,
        Transport::Https,
        Transport::HttpsAnonymous,
    ];
    let clients = [
        (Member::SiteDomain, "WKS1", "CORP\\alice"),
        (Member::UntrustedForest, "FWK1", "FAR\\fay"),
        (Member::Workgroup, "WG1", "WG1\\kim"),
    ];
    let mut rows = 0;
    for transport in transports {
        for naas in naa_lists() {
            for read in [
                ReadList::Readers,
                ReadList::ReadersAndComputers,
                ReadList::Default,
            ] {
                let Ok(s) = Scenario::from_json(&scenario(transport, &naas, read).to_string())
                else {
                    // Every estate of the table loads: a test pins the row count.
                    continue;
                };
                let e = &s.estate;
                let mut base = s.state.clone();
                for (i, naa) in naas.iter().enumerate() {
                    if *naa == Naa::Disabled
                        && let Some(a) = e.account_by_name(&format!("CORP\\naa{i}"))
                    {
                        let status = AccountStatus {
                            enabled: false,
                            ..base.status(a)
                        };
                        base.set_status(a, status);
                    }
                }
                for (member, name, user) in clients {
                    let Some(client) = e.machine_by_name(name) else {
                        continue;
                    };
                    for logged_on in [false, true] {
                        for dp_available in [true, false] {
                            let mut state = base.clone();
                            if let (true, Some(u)) = (logged_on, e.account_by_name(user)) {
                                let _ = state.log_on(e, client, u);
                            }
                            if let Some(sms1) = e.machine_by_name("SMS1") {
                                state.set_available(sms1, dp_available);
                            }
                            for (i, program) in configmgr_programs().into_iter().enumerate() {
                                let Some(ad) = e.advertisement_by_name(&format!("AD{i}")) else {
                                    continue;
                                };
                                let inputs = ConfigMgrInputs {
                                    client: member,
                                    logged_on,
                                    program,
                                    read,
                                    dp_available,
                                    transport,
                                    naas: naas.clone(),
                                };
                                let r = resolve(e, &state, ad, client);
                                f(&inputs, e, &state, &r);
                                rows += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    rows
}

/// The Configuration Manager table grouped by client, logged-on state, program settings
/// and decision class ([`crate::render::summary_class`]), with the rows in each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigMgrClasses(super::Counts<(Member, bool, (RunMode, CanRun, bool))>);

impl ConfigMgrClasses {
    /// Adds one row.
    pub fn add(&mut self, inputs: &ConfigMgrInputs, estate: &Estate, resolution: &Resolution) {
        let key = (inputs.client, inputs.logged_on, inputs.program);
        self.0.add(key, estate, resolution);
    }

    /// How many classes.
    pub fn len(&self) -> usize {
        self.0.classes.len()
    }

    /// Whether no row was added.
    pub fn is_empty(&self) -> bool {
        self.0.classes.is_empty()
    }

    /// The table as Markdown, one line per class.
    pub fn to_markdown(&self) -> String {
        use crate::render::{can_run_name, run_mode_name};
        use std::fmt::Write as _;
        let mut out = self.0.heading(
            "The exhaustive decision table of a Configuration Manager site",
            "The package's read list, the DP's availability, the site token and anonymous, and the network access accounts",
            "client",
        );
        for (((client, logged_on, (run_mode, can_run, interact)), decision), n) in &self.0.classes {
            let client = match client {
                Member::SiteDomain => "member of the site's domain",
                Member::UntrustedForest => "member of an untrusted forest",
                Member::Workgroup => "workgroup",
            };
            let _ = writeln!(
                out,
                "| {client} | {} | {}, {}{} | {decision} | {n} |",
                if *logged_on { "a user" } else { "nobody" },
                run_mode_name(*run_mode),
                can_run_name(*can_run),
                if *interact { ", users interact" } else { "" }
            );
        }
        out
    }
}
