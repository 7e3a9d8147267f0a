//! Configuration Manager's rules as properties: the exhaustive table of its decision
//! (a pinned row count, every decision rule firing, the reference agreeing), its safety
//! rules over the table and over generated estates ("CM-NAA-NEVER-RUNS", the computer
//! account first, a workgroup client never offering one), the exposure of the network
//! access accounts (CRED-2 to CRED-5), the loader's refusals, and the NAA change of a
//! timeline (CRED-4).

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::{Value, json};
use sms_client_accounts::Scenario;
use sms_client_accounts::decision::{Access, AuthFailure, Context, Launcher, Outcome, Via};
use sms_client_accounts::engine::resolve_all;
use sms_client_accounts::exposure::{
    EdgeKind, Exposure, FindingKind, Node, Privilege, Reach, Secret, Start,
};
use sms_client_accounts::model::*;
use sms_client_accounts::rules::{CATALOG, Layer, RuleId};
use sms_client_accounts::table::{
    ConfigMgrInputs, Member, Naa, ReadList, Transport, for_each_configmgr_row,
};
use sms_client_accounts::trace::{Fact, Resolution};

use crate::common::*;
use crate::reference::{RefDecision, reference};

/// The ways of a trace's content attempts, in order.
fn ways(r: &Resolution) -> Vec<(Via, Option<AccountId>, Access)> {
    r.trace
        .steps
        .iter()
        .filter_map(|s| match s.fact {
            Fact::ContentAttempt {
                via,
                credential,
                access,
            } => Some((via, credential, access)),
            _ => None,
        })
        .collect()
}

/// The rank of a way in `X-CM-CONTENT-ORDER`.
fn rank(via: Via) -> (u8, u8) {
    match via {
        Via::ComputerAccount => (0, 0),
        Via::SiteToken => (1, 0),
        Via::NetworkAccessAccount(i) => (2, i),
        Via::Anonymous => (3, 0),
        other => panic!("no Configuration Manager way: {other:?}"),
    }
}

/// The safety rules every Configuration Manager resolution keeps.
fn check_safety(e: &Estate, state: &State, r: &Resolution) -> Result<(), String> {
    let user = state.logged_on(r.client);
    let cm = &e.site().configmgr;
    let naas: BTreeSet<AccountId> = cm
        .network_access_accounts
        .iter()
        .chain(&cm.previous_network_access_accounts)
        .copied()
        .collect();
    let d = &r.decision;
    // "CM-NAA-NEVER-RUNS": no program runs as a network access account, and no step
    // makes one the program's account.
    if d.account.is_some_and(|a| naas.contains(&a)) {
        return Err(format!("CM-NAA-NEVER-RUNS: {r:?}"));
    }
    for s in &r.trace.steps {
        if let Fact::Account { account, .. } | Fact::Token { account, .. } = s.fact
            && naas.contains(&account)
        {
            return Err(format!("CM-NAA-NEVER-RUNS: step {s:?}"));
        }
    }
    // "X-CM-LAUNCHER", "CM-CONTEXTS", "CM-USER", "X-CM-LOCAL-SYSTEM": CcmExec starts every
    // program, as the logged-on user or as Local System (no account of the estate),
    // never in SMS 2.0's contexts.
    if d.context.is_some() && d.launcher != Some(Launcher::CcmExec) {
        return Err(format!("X-CM-LAUNCHER: {r:?}"));
    }
    match d.context {
        Some(Context::User) if d.account != user || user.is_none() => {
            return Err(format!("CM-USER: {r:?}"));
        }
        Some(Context::LocalSystem) if d.account.is_some() => {
            return Err(format!("X-CM-LOCAL-SYSTEM: {r:?}"));
        }
        Some(Context::Service | Context::SoftwareInstallation) => {
            return Err(format!("CM-CONTEXTS: {r:?}"));
        }
        _ => {}
    }
    let ways = ways(r);
    let machine = e.machine(r.client);
    // "CM-COMPUTER-FIRST", "X-CM-WORKGROUP": a client with a computer account offers it
    // first; a workgroup client never offers one.
    let offered = ways.iter().any(|w| w.0 == Via::ComputerAccount);
    if !ways.is_empty() && machine.computer_account.is_some() != (ways[0].0 == Via::ComputerAccount)
    {
        return Err(format!("CM-COMPUTER-FIRST: {ways:?}"));
    }
    if machine.domain.is_none() && offered {
        return Err(format!("X-CM-WORKGROUP: {ways:?}"));
    }
    // "X-CM-CONTENT-ORDER", "X-CM-NAA-ORDER", "CM-NAA-FALLBACK": the ways in order, the
    // accounts in the site's order, and nothing after the first that reads.
    for pair in ways.windows(2) {
        if rank(pair[0].0) >= rank(pair[1].0) || pair[0].2 == Access::Read {
            return Err(format!("X-CM-CONTENT-ORDER: {ways:?}"));
        }
    }
    for w in &ways {
        if let Via::NetworkAccessAccount(i) = w.0
            && cm.network_access_accounts.get(i as usize).copied() != w.1
        {
            return Err(format!("X-CM-NAA-ORDER: {ways:?}"));
        }
    }
    // "CM-ENHANCED-HTTP", "X-CM-TOKEN-READS": with a site token, no network access
    // account is tried (the token reads);
    // "X-CM-ANONYMOUS": anonymous only where the DP allows it.
    let token = cm.enhanced_http || cm.https_only;
    if token
        && ways
            .iter()
            .any(|w| matches!(w.0, Via::NetworkAccessAccount(_)))
    {
        return Err(format!("CM-ENHANCED-HTTP: {ways:?}"));
    }
    if ways.iter().any(|w| w.0 == Via::Anonymous)
        && d.dp
            .is_none_or(|dp| !cm.anonymous_distribution_points.contains(&dp.share))
    {
        return Err(format!("X-CM-ANONYMOUS: {ways:?}"));
    }
    // "CM-CONTENT-AGENT": the content never comes as the program's user.
    if let (Some(dp), Some(user)) = (d.dp, user)
        && dp.credential == Some(user)
    {
        return Err(format!("CM-CONTENT-AGENT: {r:?}"));
    }
    // A run read the content the last way tried; a failure of the content is decided
    // by the order.
    match d.outcome {
        Outcome::Run if ways.last().is_none_or(|w| w.2 != Access::Read) => {
            Err(format!("a run without content: {r:?}"))
        }
        Outcome::Fail(_) if !ways.is_empty() && d.decided_by != RuleId::XCmContentOrder => Err(
            format!("X-CM-CONTENT-ORDER decides a failed content: {r:?}"),
        ),
        _ => Ok(()),
    }
}

/// The rules of an account the DP does not accept, and of the DP's default read, as a
/// row's inputs say: "CM-NAA-NETWORK-RIGHT" (a network access account denied network
/// logon at the DP fails there, 1385), "X-CM-NAA-UNTRUSTED" (one of an untrusted domain
/// fails, after a step that names the missing trust), "CM-DP-USERS" and "X-CM-DP-USERS"
/// (a copy with no read list is read by every account that authenticates at the DP, and
/// the step just before that attempt says so; with a read list, no such step).
fn check_accepted(i: &ConfigMgrInputs, r: &Resolution) -> Result<(), String> {
    let steps = &r.trace.steps;
    for (k, s) in steps.iter().enumerate() {
        let Fact::ContentAttempt {
            via: Via::NetworkAccessAccount(n),
            access,
            ..
        } = s.fact
        else {
            if let Fact::DefaultRead { .. } = s.fact
                && (i.read != ReadList::Default
                    || s.rule != RuleId::CmDpUsers
                    || !matches!(
                        steps.get(k + 1).map(|n| n.fact),
                        Some(Fact::ContentAttempt {
                            access: Access::Read,
                            ..
                        })
                    ))
            {
                return Err(format!("CM-DP-USERS: {steps:?}"));
            }
            continue;
        };
        let want = match i.naas[n as usize] {
            Naa::NetworkDenied => Some((
                Access::NotAuthenticated(AuthFailure::NetworkLogonDenied),
                RuleId::CmNaaNetworkRight,
            )),
            Naa::Untrusted => Some((
                Access::NotAuthenticated(AuthFailure::UntrustedDomain),
                RuleId::XCmNaaUntrusted,
            )),
            _ => None,
        };
        if let Some((access_wanted, rule)) = want
            && (access != access_wanted || s.rule != rule)
        {
            return Err(format!("{rule}: {s:?}"));
        }
        let named = k > 0 && matches!(steps[k - 1].fact, Fact::MissingTrust { .. });
        if named != (i.naas[n as usize] == Naa::Untrusted) {
            return Err(format!("X-CM-NAA-UNTRUSTED names the trust: {steps:?}"));
        }
    }
    // "CM-DP-USERS": a site client's computer account reads a default copy.
    if i.read == ReadList::Default
        && i.client == Member::SiteDomain
        && i.dp_available
        && r.decision.context.is_some()
        && r.decision
            .dp
            .is_none_or(|dp| dp.via != Via::ComputerAccount)
    {
        return Err(format!(
            "CM-DP-USERS: the computer account does not read: {steps:?}"
        ));
    }
    Ok(())
}

#[test]
fn the_configmgr_table_is_pinned_safe_and_agrees_with_the_reference() {
    let mut fired = BTreeSet::new();
    let mut outcomes = BTreeSet::new();
    let mut classes = sms_client_accounts::table::ConfigMgrClasses::default();
    let rows = for_each_configmgr_row(|i, e, s, r| {
        classes.add(i, e, r);
        fired.extend(r.trace.steps.iter().map(|s| s.rule));
        fired.extend(r.decision.assumptions.iter().map(|a| a.rule()));
        check_safety(e, s, r).unwrap_or_else(|m| panic!("{i:?}: {m}"));
        check_accepted(i, r).unwrap_or_else(|m| panic!("{i:?}: {m}"));
        let want = reference(e, s, r.advertisement, r.client);
        assert_eq!(RefDecision::of(r), want, "{i:?}");
        outcomes.insert(format!("{:?}", want.outcome));
        // The inputs decide as the sources say, row by row.
        let (run_mode, can_run, _) = i.program;
        let waits = matches!(
            (run_mode, can_run, i.logged_on),
            (RunMode::UserRights, _, false)
                | (_, CanRun::OnlyWhenUserLoggedOn, false)
                | (
                    RunMode::AdministrativeRights,
                    CanRun::OnlyWhenNoUserLoggedOn,
                    true
                )
        );
        assert_eq!(
            matches!(r.decision.outcome, Outcome::Wait(_)),
            waits,
            "{i:?}"
        );
        if !waits && i.dp_available {
            let token = matches!(
                i.transport,
                Transport::EnhancedHttp | Transport::Https | Transport::HttpsAnonymous
            );
            // By default the DP's local Users, every account that logs on there, read.
            let by_default = i.read == ReadList::Default;
            let computer = i.client == Member::SiteDomain
                && (by_default || i.read == ReadList::ReadersAndComputers);
            let anonymous = matches!(
                i.transport,
                Transport::HttpAnonymous | Transport::HttpsAnonymous
            );
            // An NAA of an untrusted domain, or denied network logon, never reads.
            let naa = i.naas.contains(&Naa::Reads) || (by_default && i.naas.contains(&Naa::Denied));
            let runs = computer || token || naa || anonymous;
            assert_eq!(r.decision.outcome == Outcome::Run, runs, "{i:?}");
        }
    });
    assert_eq!(
        rows, 39_060,
        "the Configuration Manager table's row count is pinned: a change of it is a change of the input space"
    );
    assert!(
        outcomes.len() >= 4,
        "runs, waits and failures: {outcomes:?}"
    );
    // What `sms-accounts table --configmgr` prints.
    insta::with_settings!({snapshot_path => "snapshots/table", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("configmgr-decision-table", classes.to_markdown());
    });
    // The table denies network logon only to network access accounts: a fixture
    // (`configmgr-deny-network-logon`) shows it for a computer account.
    let not_varied = [RuleId::XCmDenyNetworkLogon];
    for rule in CATALOG.iter().filter(|r| r.layer == Layer::Decision) {
        let id = rule.id.as_str();
        if (id.starts_with("CM-") || id.starts_with("X-CM-")) && !not_varied.contains(&rule.id) {
            assert!(
                fired.contains(&rule.id),
                "decision rule {id} fires on no row"
            );
        }
    }
}

/// A generated Configuration Manager estate: its switches.
#[derive(Debug, Clone)]
pub(crate) struct Gen {
    pub(crate) naas: Vec<u8>,
    pub(crate) previous: bool,
    pub(crate) transport: u8,
    pub(crate) approval: u8,
    pub(crate) quota: Option<u32>,
    pub(crate) naa_admin: bool,
    pub(crate) readers: bool,
    pub(crate) logged_on: [bool; 3],
    pub(crate) computers_read: bool,
    /// No read list: the DP's local Users read by default (`CM-DP-USERS`).
    pub(crate) default_read: bool,
    /// CORP's "Add workstations to domain" holders: omitted (Domain Users, every user,
    /// `X-CM-ADD-WORKSTATIONS`), alice, or no one.
    pub(crate) add_workstations: Option<bool>,
    /// SMS1 denies Domain Computers "Access this computer from the network".
    pub(crate) deny_computers: bool,
    /// SRV2 is a passive site server.
    pub(crate) passive: bool,
    /// The network access accounts are marked unknown.
    pub(crate) unknown_naas: bool,
}

pub(crate) fn gen_estate() -> impl Strategy<Value = Gen> {
    (
        prop::collection::vec(0u8..3, 0..4),
        any::<bool>(),
        0u8..4,
        0u8..3,
        prop::option::of(0u32..3),
        any::<bool>(),
        any::<bool>(),
        any::<[bool; 3]>(),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(any::<bool>()),
        (any::<bool>(), any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |(
                naas,
                previous,
                transport,
                approval,
                quota,
                naa_admin,
                readers,
                logged_on,
                computers_read,
                default_read,
                add_workstations,
                (deny_computers, passive, unknown_naas),
            )| Gen {
                naas,
                previous,
                transport,
                approval,
                quota,
                naa_admin,
                readers,
                logged_on,
                computers_read,
                default_read,
                add_workstations,
                deny_computers,
                passive,
                unknown_naas,
            },
        )
}

/// The scenario file of a generated estate.
fn file(g: &Gen) -> Value {
    let naa_names: Vec<String> = (0..g.naas.len()).map(|i| format!("CORP\\naa{i}")).collect();
    let mut read = vec![json!("CORP\\readers")];
    if g.computers_read {
        read.push(json!("CORP\\Domain Computers"));
    }
    let readers: Vec<String> = g
        .naas
        .iter()
        .enumerate()
        .filter(|(_, s)| **s != 1)
        .map(|(i, _)| format!("naa{i}"))
        .collect();
    let admins: Vec<String> = if g.naa_admin && !g.naas.is_empty() {
        vec!["naa0".into()]
    } else {
        Vec::new()
    };
    let disabled: Vec<String> = g
        .naas
        .iter()
        .enumerate()
        .filter(|(_, s)| **s == 2)
        .map(|(i, _)| format!("CORP\\naa{i}"))
        .collect();
    let logons: Vec<Value> = [
        ("WKS1", "CORP\\alice"),
        ("FWK1", "FAR\\fay"),
        ("WG1", "WG1\\kim"),
    ]
    .iter()
    .zip(g.logged_on)
    .filter(|(_, on)| *on)
    .map(|((c, u), _)| json!({"client": c, "user": u}))
    .collect();
    let approval = ["trusted_domains", "manual", "all"][g.approval as usize];
    let mut domain = json!({"name": "CORP", "users": ["alice", "naa0", "naa1", "naa2", "old", "SRV2$"],
        "global_groups": [{"name": "readers", "members": readers},
                          {"name": "Domain Computers", "members": ["WKS1$"]},
                          {"name": "Domain Admins", "members": admins}],
        "local_groups": [{"name": "Administrators", "members": ["Domain Admins"]}]});
    if let Some(q) = g.quota {
        domain["machine_account_quota"] = json!(q);
    }
    if let Some(alice) = g.add_workstations {
        domain["add_workstations"] = json!(if alice { vec!["CORP\\alice"] } else { vec![] });
    }
    let mut copy = json!({"distribution_point": "\\\\SMS1\\SMS_DP$"});
    if !g.default_read {
        copy["read"] = json!(read);
    }
    json!({
        "schema_version": 1,
        "domains": [domain, {"name": "FAR", "forest": "far.example", "users": ["fay"]}],
        "machines": [
            {"name": "DC1", "platform": "windows_server_dc", "domain": "CORP", "sms_client": false},
            {"name": "SMS1", "platform": "windows_server", "domain": "CORP", "sms_client": false,
             "deny_network_logon": if g.deny_computers { vec!["CORP\\Domain Computers"] } else { vec![] },
             "local_groups": [{"name": "Administrators", "members": ["CORP\\Domain Admins"]}]},
            {"name": "WKS1", "platform": "windows_client", "domain": "CORP",
             "local_groups": [{"name": "Administrators", "members": ["CORP\\alice"]}]},
            {"name": "FWK1", "platform": "windows_client", "domain": "FAR"},
            {"name": "SRV2", "platform": "windows_server", "domain": "CORP", "sms_client": false},
            {"name": "WG1", "platform": "windows_client", "users": ["kim"]}
        ],
        "site": {
            "product": "configmgr", "code": "ABC", "domain": "CORP",
            "distribution_points": ["\\\\SMS1\\SMS_DP$"],
            "anonymous_distribution_points": if g.transport == 1 { vec!["\\\\SMS1\\SMS_DP$"] } else { vec![] },
            "enhanced_http": g.transport == 2,
            "https_only": g.transport == 3,
            "approval": approval,
            "network_access_accounts": naa_names,
            "previous_network_access_accounts": if g.previous { vec!["CORP\\old"] } else { vec![] },
            "site_server": "SMS1",
            "passive_site_servers": if g.passive { vec!["SRV2"] } else { vec![] },
            "database_readers": if g.readers { vec!["CORP\\alice"] } else { vec![] }
        },
        "packages": [{"id": "ABC00001", "copies": [copy]}],
        "programs": [
            {"name": "User", "package": "ABC00001", "run_mode": "user_rights", "can_run": "only_when_user_logged_on"},
            {"name": "Admin", "package": "ABC00001", "run_mode": "administrative_rights", "can_run": "whether_or_not_user_logged_on"}
        ],
        "advertisements": [
            {"name": "AD1", "program": "User", "targets": ["WKS1", "FWK1", "WG1"]},
            {"name": "AD2", "program": "Admin", "targets": ["WKS1", "FWK1", "WG1"]}
        ],
        "state": {"logons": logons, "disabled": disabled},
        "unknown": if g.unknown_naas { vec![json!({"fact": "network_access_accounts"})] } else { vec![] }
    })
}

pub(crate) fn load_gen(g: &Gen) -> Scenario {
    Scenario::from_json(&file(g).to_string()).unwrap_or_else(|e| panic!("{g:?}: {e}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The safety rules, and the reference, over generated Configuration Manager estates;
    /// "X-CM-DENY-NETWORK-LOGON": a computer account the DP denies network logon (through
    /// Domain Computers) does not connect, under its rule, and the client goes on.
    #[test]
    fn generated_configmgr_decisions_are_safe_and_agree_with_the_reference(g in gen_estate()) {
        let s = load_gen(&g);
        for r in resolve_all(&s.estate, &s.state) {
            let denied = ways(&r).iter().any(|w| {
                w.0 == Via::ComputerAccount
                    && w.2 == Access::NotAuthenticated(AuthFailure::NetworkLogonDenied)
            });
            let wks1 = s.estate.machine_by_name("WKS1") == Some(r.client);
            prop_assert_eq!(denied, g.deny_computers && wks1 && !ways(&r).is_empty());
            prop_assert_eq!(
                r.trace.steps.iter().any(|s| s.rule == RuleId::XCmDenyNetworkLogon),
                denied
            );
            prop_assert!(check_safety(&s.estate, &s.state, &r).is_ok(), "{:?}", check_safety(&s.estate, &s.state, &r));
            prop_assert_eq!(RefDecision::of(&r), reference(&s.estate, &s.state, r.advertisement, r.client));
        }
    }

    /// "CM-NAA-POLICY", "X-CM-POLICY-TARGETS", "CM-CRED-2", "CM-CRED-2-QUOTA",
    /// "X-CM-QUOTA-DEFAULT", "X-CM-ADD-WORKSTATIONS", "X-CM-APPROVE-ALL", "X-CM-COMPUTER-ACCOUNT", "X-CM-RESIDUE", "CM-CRED-5", "X-CM-DATABASE-READER",
    /// "CM-NAA-PRIVILEGED": the network access accounts' exposure follows the switches.
    #[test]
    fn the_network_access_accounts_exposure_follows_the_configuration(g in gen_estate()) {
        let s = load_gen(&g);
        let e = &s.estate;
        let x = Exposure::build(e, &s.state);
        let edges: Vec<_> = x.edges().collect();
        let account = |n: &str| e.account_by_name(n).unwrap_or_else(|| panic!("{n}"));
        let policy = Node::Secret(Secret::NetworkAccessPolicy);
        let has = |from: Node, to: Node, kind: EdgeKind, rule: RuleId| {
            edges.iter().any(|x| x.from == from && x.to == to && x.kind == kind && x.rule == rule)
        };
        let configured = !g.naas.is_empty();
        // The policy reveals exactly the current accounts.
        for i in 0..3 {
            let a = Node::Account(account(&format!("CORP\\naa{i}")));
            prop_assert_eq!(has(policy, a, EdgeKind::Reveals, RuleId::CmNaaPolicy), i < g.naas.len());
        }
        // "CM-CRED-3": every client stores it (X-CM-POLICY-TARGETS), when there is one.
        for c in ["WKS1", "FWK1", "WG1"] {
            let m = Node::Machine(e.machine_by_name(c).unwrap_or_else(|| panic!("{c}")));
            prop_assert_eq!(has(m, policy, EdgeKind::Stores, RuleId::XCmPolicyTargets), configured);
        }
        // CRED-2: an approved registration only (the write-up's Requirements): under
        // automatic approval of trusted domains, the computers of CORP (the site's
        // domain) and its users by the quota; none under manual approval; every account
        // when all are approved; none with PKI client authentication (HTTPS).
        let open = configured && g.transport != 3;
        let wks1 = Node::Account(account("CORP\\WKS1$"));
        prop_assert_eq!(has(wks1, policy, EdgeKind::Obtains, RuleId::CmCred2), open && g.approval == 0);
        prop_assert_eq!(has(wks1, policy, EdgeKind::Obtains, RuleId::XCmApproveAll), open && g.approval == 2);
        // FWK1 is a client of the site, but its forest is not trusted: its computer
        // account is approved only when every computer is; its own key sits on it
        // (CRED-3), not in a registration.
        let fwk1 = Node::Account(account("FAR\\FWK1$"));
        prop_assert!(!has(fwk1, policy, EdgeKind::Obtains, RuleId::CmCred2));
        prop_assert_eq!(has(fwk1, policy, EdgeKind::Obtains, RuleId::XCmApproveAll), open && g.approval == 2);
        let dc1 = Node::Account(account("CORP\\DC1$"));
        prop_assert_eq!(has(dc1, policy, EdgeKind::Obtains, RuleId::CmCred2), open && g.approval == 0);
        prop_assert_eq!(has(dc1, policy, EdgeKind::Obtains, RuleId::XCmApproveAll), open && g.approval == 2);
        let alice = Node::Account(account("CORP\\alice"));
        // CRED-2's Requirements: a quota above 0 and the right to add workstations;
        // the edge names the weakest of what it rests on.
        let users = open && g.approval == 0 && g.quota != Some(0) && g.add_workstations != Some(false);
        let user_rule = match (g.quota, g.add_workstations) {
            (None, _) => RuleId::XCmQuotaDefault,
            (Some(_), None) => RuleId::XCmAddWorkstations,
            (Some(_), Some(_)) => RuleId::CmCred2Quota,
        };
        prop_assert_eq!(has(alice, policy, EdgeKind::Obtains, user_rule), users);
        prop_assert_eq!(has(alice, policy, EdgeKind::Obtains, RuleId::XCmApproveAll), open && g.approval == 2);
        // A disabled account registers nothing.
        for (i, state) in g.naas.iter().enumerate() {
            let a = Node::Account(account(&format!("CORP\\naa{i}")));
            if *state == 2 {
                prop_assert!(!edges.iter().any(|x| x.from == a && x.kind == EdgeKind::Obtains));
            }
        }
        // "X-CM-COMPUTER-ACCOUNT": control of SRV2, a member server and no client, yields
        // its computer account, and through an approved registration the policy: under
        // automatic approval of trusted domains (CORP is the site's) or of all, not
        // under manual approval nor with PKI client authentication.
        let srv2 = e.machine_by_name("SRV2").unwrap_or_else(|| panic!("SRV2"));
        let srv2_account = account("CORP\\SRV2$");
        prop_assert!(has(Node::Secret(Secret::LocalSam(srv2)), Node::Account(srv2_account), EdgeKind::Reveals, RuleId::XCmComputerAccount));
        let from_srv2 = x.compromise(Start::Client(srv2), Reach::Direct);
        prop_assert!(from_srv2.iter().any(|r| r.privilege == Privilege::Credential(srv2_account)));
        for i in 0..g.naas.len() {
            let naa = account(&format!("CORP\\naa{i}"));
            prop_assert_eq!(
                from_srv2.iter().any(|r| r.privilege == Privilege::Credential(naa)),
                // ... or, as a passive site server, through the site database.
                (open && g.approval != 1) || g.passive,
                "naa{}", i
            );
        }
        let fay = Node::Account(account("FAR\\fay"));
        // Approving all computers lets another forest's users in too (its quota left
        // at the default).
        prop_assert_eq!(has(fay, policy, EdgeKind::Obtains, RuleId::XCmApproveAll), open && g.approval == 2);
        // CRED-4: the previous account, on every client.
        let previous = Node::Secret(Secret::PreviousNetworkAccess);
        prop_assert_eq!(has(previous, Node::Account(account("CORP\\old")), EdgeKind::Reveals, RuleId::XCmResidue), g.previous);
        // CRED-5: the site server, and the readers (assumed).
        let db = Node::Secret(Secret::SiteDatabase);
        let sms1 = Node::Machine(e.machine_by_name("SMS1").unwrap_or_else(|| panic!("SMS1")));
        prop_assert_eq!(has(sms1, db, EdgeKind::Stores, RuleId::CmCred5), configured);
        // "X-CM-PASSIVE-SITE-SERVER": a passive site server stores it too, under its
        // own rule; never under the active one's.
        let srv2_node = Node::Machine(e.machine_by_name("SRV2").unwrap_or_else(|| panic!("SRV2")));
        prop_assert_eq!(has(srv2_node, db, EdgeKind::Stores, RuleId::XCmPassiveSiteServer), configured && g.passive);
        prop_assert!(!has(srv2_node, db, EdgeKind::Stores, RuleId::CmCred5));
        prop_assert!(!has(sms1, db, EdgeKind::Stores, RuleId::XCmPassiveSiteServer));
        prop_assert_eq!(has(alice, db, EdgeKind::Obtains, RuleId::XCmDatabaseReader), configured && g.readers);
        // The findings: one of each technique present, tagged; the privileged account.
        let findings = x.findings(e);
        // "X-UNKNOWN": unknown accounts are named, by a warning and a finding, never
        // passed over.
        let not_assessed = findings.iter().filter(|f| f.kind == FindingKind::NotAssessed).count();
        prop_assert_eq!(not_assessed, usize::from(g.unknown_naas));
        prop_assert_eq!(
            s.warnings.iter().filter(|w| w.rule == RuleId::XUnknown).count(),
            usize::from(g.unknown_naas)
        );
        let kinds: BTreeSet<FindingKind> = findings.iter().map(|f| f.kind).collect();
        prop_assert_eq!(kinds.contains(&FindingKind::NetworkAccessOnClients), configured);
        prop_assert_eq!(kinds.contains(&FindingKind::PreviousNetworkAccessOnClients), g.previous);
        prop_assert_eq!(kinds.contains(&FindingKind::NetworkAccessPrivileged), configured && g.naa_admin);
        for f in &findings {
            if let Some(tag) = x.finding_tag(f) {
                prop_assert!(sms_client_accounts::lineage::matrix::DETECTED.contains(&tag.technique));
                // What cuts the path is among the write-up's defences.
                prop_assert!(!tag.prevented_by.is_empty());
                prop_assert!(tag.prevented_by.iter().all(|d| tag.defences.contains(d)));
            }
        }
    }

    /// "X-PRODUCT", "X-CM-WINDOWS", "CM-INTERACT", "CM-NAA-LIMITS",
    /// "CM-ENHANCED-HTTP-ANONYMOUS": a generated estate with one forbidden setting more
    /// is refused, with the rule in the report.
    #[test]
    fn a_forbidden_setting_is_refused_with_its_rule(g in gen_estate(), which in 0usize..6) {
        let mut f = file(&g);
        let rule = match which {
            0 => { f["site"]["product"] = json!("sms2"); "X-PRODUCT" }
            1 => { f["machines"][2]["platform"] = json!("nt4_workstation"); "X-CM-WINDOWS" }
            2 => { f["programs"][0]["allow_user_interaction"] = json!(true); "CM-INTERACT" }
            3 => {
                let many: Vec<String> = (0..11).map(|i| format!("CORP\\u{i}")).collect();
                let users: Vec<String> = (0..11).map(|i| format!("u{i}")).collect();
                f["domains"][0]["users"] = json!(users);
                f["site"]["network_access_accounts"] = json!(many);
                f["state"]["disabled"] = json!([]);
                f["domains"][0]["global_groups"][0]["members"] = json!([]);
                f["domains"][0]["global_groups"][2]["members"] = json!([]);
                f["site"]["previous_network_access_accounts"] = json!([]);
                "CM-NAA-LIMITS"
            }
            4 => {
                f["site"]["enhanced_http"] = json!(true);
                f["site"]["https_only"] = json!(false);
                f["site"]["anonymous_distribution_points"] = json!(["\\\\SMS1\\SMS_DP$"]);
                "CM-ENHANCED-HTTP-ANONYMOUS"
            }
            _ => { f["site"]["connection_accounts"] = json!(["CORP\\alice"]); "X-PRODUCT" }
        };
        let report = match Scenario::from_json(&f.to_string()) {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        };
        prop_assert!(report.contains(&format!("({rule})")), "{rule}: {report}");
    }
}

/// "X-CM-AD": a computer account for each member of an Active Directory domain, none for
/// a workgroup machine, and the domains of one forest trusting each other.
#[test]
fn active_directory_domains_have_computer_accounts_and_forest_trusts() {
    let f = json!({
        "schema_version": 1,
        "domains": [{"name": "CORP", "forest": "corp.example"}, {"name": "SALES", "forest": "corp.example"},
                    {"name": "FAR", "forest": "far.example"}],
        "machines": [
            {"name": "SMS1", "platform": "windows_server", "domain": "CORP", "sms_client": false},
            {"name": "S1", "platform": "windows_client", "domain": "SALES"},
            {"name": "WG1", "platform": "windows_client"}
        ],
        "site": {"product": "configmgr", "code": "ABC", "domain": "CORP", "distribution_points": ["\\\\SMS1\\D$"]}
    });
    let s = Scenario::from_json(&f.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let e = &s.estate;
    let m = |n: &str| e.machine(e.machine_by_name(n).unwrap_or_else(|| panic!("{n}")));
    assert_eq!(m("S1").computer_account, e.account_by_name("SALES\\S1$"));
    assert!(m("S1").computer_account.is_some());
    assert_eq!(m("WG1").computer_account, None);
    let d = |n: &str| e.domain_by_name(n).unwrap_or_else(|| panic!("{n}"));
    assert!(s.state.trusts(d("CORP"), d("SALES")) && s.state.trusts(d("SALES"), d("CORP")));
    assert!(!s.state.trusts(d("CORP"), d("FAR")) && !s.state.trusts(d("FAR"), d("CORP")));
    assert_eq!(
        e.account(e.account_by_name("SALES\\S1$").unwrap_or_else(|| panic!()))
            .role,
        Some(SmsRole::ComputerAccount)
    );
}

/// CRED-4 in a timeline: the account the site stops using stays on its clients, and the
/// end state's exposure has the finding, its technique and its defences.
#[test]
fn a_network_access_account_changed_in_the_day_stays_on_the_clients() {
    let day = sms_client_accounts::timeline::load_timeline_file(
        &root().join("fixtures/timelines/configmgr-naa-change.json"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let t = day.replay();
    let e = t.estate();
    let naa2 = e
        .account_by_name("CORP\\naa2")
        .unwrap_or_else(|| panic!("naa2"));
    let naa3 = e
        .account_by_name("CORP\\naa3")
        .unwrap_or_else(|| panic!("naa3"));
    let cm = &e.site().configmgr;
    assert!(cm.previous_network_access_accounts.contains(&naa2));
    assert!(!cm.network_access_accounts.contains(&naa2));
    assert_eq!(cm.network_access_accounts.last(), Some(&naa3));
    let x = Exposure::build(e, t.state());
    let findings = x.findings(e);
    let cred4 = findings
        .iter()
        .find(|f| f.kind == FindingKind::PreviousNetworkAccessOnClients)
        .unwrap_or_else(|| panic!("no CRED-4 finding"));
    assert!(cred4.objects.contains(&Node::Account(naa2)));
    let tag = x.finding_tag(cred4).unwrap_or_else(|| panic!("untagged"));
    assert_eq!(tag.technique, "CRED-4");
    assert!(tag.prevented_by.contains(&"PREVENT-15"));
    assert_eq!(tag.assumed, Some(RuleId::XCmResidue));
    let text = sms_client_accounts::exposure::export::findings_text(e, &x, &findings);
    insta::with_settings!({snapshot_path => "snapshots/timeline", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("configmgr-naa-change-findings", text);
    });
}

/// An account the site stops using and then takes back is no longer a previous one; the
/// other previous accounts stay (`X-CM-RESIDUE`), and the added one goes last in the
/// site's order (`X-CM-NAA-ORDER`).
#[test]
fn a_network_access_account_taken_back_is_no_longer_residue() {
    use sms_client_accounts::timeline::{Event, Timeline};
    let day = sms_client_accounts::timeline::load_timeline_file(
        &root().join("fixtures/timelines/configmgr-naa-change.json"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let e0 = &day.scenario.estate;
    let a = |n: &str| e0.account_by_name(n).unwrap_or_else(|| panic!("{n}"));
    let (naa1, naa2, naa3) = (a("CORP\\naa1"), a("CORP\\naa2"), a("CORP\\naa3"));
    let mut t = Timeline::new(e0, day.scenario.state.clone(), false);
    t.handle(60, Event::NetworkAccessAccountRemoved { account: naa1 });
    t.handle(60, Event::NetworkAccessAccountRemoved { account: naa2 });
    let cm = &t.estate().site().configmgr;
    assert_eq!(cm.previous_network_access_accounts, [naa1, naa2]);
    assert!(cm.network_access_accounts.is_empty());
    t.handle(120, Event::NetworkAccessAccountAdded { account: naa2 });
    t.handle(120, Event::NetworkAccessAccountAdded { account: naa3 });
    let cm = &t.estate().site().configmgr;
    assert_eq!(cm.previous_network_access_accounts, [naa1]);
    assert_eq!(cm.network_access_accounts, [naa2, naa3]);
    // Removing one that is not in use changes nothing.
    t.handle(180, Event::NetworkAccessAccountRemoved { account: naa1 });
    assert_eq!(
        t.estate().site().configmgr.previous_network_access_accounts,
        [naa1]
    );
}

/// The findings of every Configuration Manager fixture, as the `exposure` example prints
/// them: each CRED finding with its technique, what cuts it and its provenance.
#[test]
fn the_configmgr_fixtures_findings_are_snapshotted() {
    let mut seen = 0;
    for path in scenario_files() {
        let name = stem(&path);
        if !name.starts_with("configmgr-") {
            continue;
        }
        let s = Scenario::from_json(&std::fs::read_to_string(&path).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let x = Exposure::build(&s.estate, &s.state);
        let findings = x.findings(&s.estate);
        let text = sms_client_accounts::exposure::export::findings_text(&s.estate, &x, &findings);
        // Every finding of a technique says which, what cuts it, and its provenance.
        for f in &findings {
            if let Some(tag) = x.finding_tag(f) {
                assert!(text.contains(&format!("technique {}; prevented by", tag.technique)));
            }
        }
        insta::with_settings!({snapshot_path => "snapshots/exposure", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(format!("{name}.findings"), text);
        });
        seen += 1;
    }
    assert!(seen >= 4, "the Configuration Manager fixtures are there");
}

/// `CM-NAA-LIMITS`: a network access account is a domain user: not a group of a domain,
/// not a user of a machine's own SAM, not a computer account; and the timeline's loader
/// refuses, in the same words, adding one that is not, or one the site has already, and
/// removing one it does not have.
#[test]
fn a_network_access_account_is_a_domain_user_in_files_and_in_the_timeline() {
    let g = Gen {
        naas: vec![0],
        previous: false,
        transport: 0,
        approval: 0,
        quota: None,
        naa_admin: false,
        readers: false,
        logged_on: [false; 3],
        computers_read: true,
        default_read: false,
        add_workstations: None,
        deny_computers: false,
        passive: false,
        unknown_naas: false,
    };
    for (name, what) in [
        ("CORP\\readers", "must be a domain user account"),
        ("WG1\\kim", "must be a domain user account"),
        ("CORP\\WKS1$", "is a computer account"),
    ] {
        let mut f = file(&g);
        f["site"]["network_access_accounts"] = json!([name]);
        let report = Scenario::from_json(&f.to_string())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            report.contains(what) && report.contains("(CM-NAA-LIMITS)"),
            "{name}: {report}"
        );
    }
    let events = [
        (
            json!({"network_access_account_added": "CORP\\WKS1$"}),
            "is a computer account",
        ),
        (
            json!({"network_access_account_added": "CORP\\readers"}),
            "must be a domain user account",
        ),
        (
            json!({"network_access_account_added": "CORP\\naa0"}),
            "is already one of the site's network access accounts",
        ),
        (
            json!({"network_access_account_removed": "CORP\\alice"}),
            "is not a network access account of the site",
        ),
    ];
    for (event, what) in events {
        let day = json!({"schema_version": 1, "scenario": file(&g), "events": [{"at": "08:00", "event": event}]});
        let report = sms_client_accounts::timeline::load_timeline(&day.to_string())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(report.contains(what), "{event}: {report}");
    }
    // An SMS 2.0 site takes no network access account, in a timeline either.
    let sms2 = sms_client_accounts::scenario::DEMO;
    let s: Value = serde_json::from_str(sms2).unwrap_or_default();
    let day = json!({"schema_version": 1, "scenario": s,
        "events": [{"at": "08:00", "event": {"network_access_account_added": "CORP\\alice"}}]});
    let report = sms_client_accounts::timeline::load_timeline(&day.to_string())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(report.contains("(X-PRODUCT)"), "{report}");
}

/// An account SMS gave one role cannot take another: the loader names both.
#[test]
fn an_sms_account_of_one_role_cannot_take_another() {
    let f = json!({
        "schema_version": 1,
        "domains": [{"name": "CORP"}],
        "machines": [{"name": "DC1", "platform": "nt4_pdc", "domain": "CORP"}],
        "site": {"code": "ABC", "domain": "CORP", "distribution_points": ["\\\\DC1\\SMSPKG$"],
                 "software_installation_account": "CORP\\SMSCliToknAcct&"}
    });
    let report = Scenario::from_json(&f.to_string())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        report.contains("is already SMS's client token account; it cannot also be its Software Installation account"),
        "{report}"
    );
}

/// The timeline's in-memory API refuses what its loader refuses, in the same words (one
/// check, `timeline::check`): a network access account removed that the site does not
/// use, an account added twice, a member added that is one already.
#[test]
fn the_timeline_api_refuses_what_the_loader_refuses() {
    use sms_client_accounts::timeline::{Event, Timeline, load_timeline};
    let text = std::fs::read_to_string(root().join("fixtures/timelines/configmgr-naa-change.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let good: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let scenario = good["scenario"].clone();
    let scenario_text = scenario.to_string();
    let s = Scenario::from_json(&scenario_text).unwrap_or_else(|e| panic!("{e}"));
    let e = &s.estate;
    let a = |n: &str| e.account_by_name(n).unwrap_or_else(|| panic!("{n}"));
    let cases = [
        (
            json!({"network_access_account_removed": "CORP\\alice"}),
            Event::NetworkAccessAccountRemoved {
                account: a("CORP\\alice"),
            },
        ),
        (
            json!({"network_access_account_added": "CORP\\naa1"}),
            Event::NetworkAccessAccountAdded {
                account: a("CORP\\naa1"),
            },
        ),
        (
            json!({"member_added": {"group": "CORP\\Domain Users", "member": "CORP\\alice"}}),
            Event::MemberAdded {
                group: a("CORP\\Domain Users"),
                member: a("CORP\\alice"),
            },
        ),
        (
            json!({"read_granted": {"package": "ABC00001", "distribution_point": "\\\\SMS1\\SMS_DP$", "account": "CORP\\Domain Users"}}),
            Event::ReadGranted {
                package: sms_client_accounts::scenario::Resolver(e)
                    .package("ABC00001")
                    .unwrap_or_else(|m| panic!("{m}")),
                share: e
                    .share_by_path("\\\\SMS1\\SMS_DP$")
                    .unwrap_or_else(|| panic!("the DP")),
                account: a("CORP\\Domain Users"),
            },
        ),
        (
            json!({"read_revoked": {"package": "ABC00001", "distribution_point": "\\\\SMS1\\SMS_DP$", "account": "CORP\\alice"}}),
            Event::ReadRevoked {
                package: sms_client_accounts::scenario::Resolver(e)
                    .package("ABC00001")
                    .unwrap_or_else(|m| panic!("{m}")),
                share: e
                    .share_by_path("\\\\SMS1\\SMS_DP$")
                    .unwrap_or_else(|| panic!("the DP")),
                account: a("CORP\\alice"),
            },
        ),
        (
            json!({"member_removed": {"group": "CORP\\Domain Computers", "member": "CORP\\naa1"}}),
            Event::MemberRemoved {
                group: a("CORP\\Domain Computers"),
                member: a("CORP\\naa1"),
            },
        ),
    ];
    for (raw, event) in cases {
        let file = json!({"schema_version": 1, "scenario": scenario.clone(),
            "events": [{"at": "08:00", "event": raw}]});
        let Err(loaded) = load_timeline(&file.to_string()) else {
            panic!("{raw} loads");
        };
        let mut t = Timeline::new(e, s.state.clone(), false);
        let Err(refused) = t.try_handle(0, event) else {
            panic!("{raw}: the API accepts it");
        };
        assert!(
            loaded.to_string().contains(&refused.message),
            "{raw}: the loader says {loaded}, the API {refused}"
        );
        // Refused, it changes nothing.
        assert_eq!(t.estate(), e);
    }
    // What both accept, both apply.
    let mut t = Timeline::new(e, s.state.clone(), false);
    assert_eq!(
        t.try_handle(
            0,
            Event::NetworkAccessAccountRemoved {
                account: a("CORP\\naa1")
            }
        ),
        Ok(())
    );
    assert!(
        !t.estate()
            .site()
            .configmgr
            .network_access_accounts
            .contains(&a("CORP\\naa1"))
    );
}
