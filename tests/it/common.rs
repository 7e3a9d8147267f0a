//! Shared helpers: fixture paths, and a proptest strategy for whole scenario files.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::{Value, json};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `.json` files of a fixture folder, sorted.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

pub fn scenario_files() -> Vec<PathBuf> {
    json_files(&root().join("fixtures/scenarios"))
}

/// The scenario fixture `name` as JSON, with its client token account renamed `token`
/// throughout (the name is the site's choice; Q224286 names the default).
pub fn with_token_named(name: &str, token: &str) -> Value {
    let path = root().join(format!("fixtures/scenarios/{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut doc: Value = serde_json::from_str(&text.replace("SMSCliToknAcct&", token))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    doc["site"]["token_account"] = Value::from(token);
    doc
}

pub fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A generated client: platform index, who is logged on, connections.
#[derive(Debug, Clone)]
pub struct GenClient {
    pub platform: usize,
    pub domain: usize,
    /// 0: nobody, 1: a plain user, 2: an administrator, 3: a user who cannot read.
    pub logon: usize,
    /// (session interactive?, path kind 0 DP share / 1 IPC$ / 2 other share, credential user index, mapped?)
    pub connections: Vec<(bool, usize, usize, bool)>,
    pub stale: Vec<bool>,
}

#[derive(Debug, Clone)]
pub struct GenScenario {
    pub clients: Vec<GenClient>,
    /// (run mode admin?, can_run 0..3, swia?)
    pub programs: Vec<(bool, usize, bool)>,
    /// per connection account: (can read, disabled, in a second untrusted domain)
    pub connection_accounts: Vec<(bool, bool, bool)>,
    pub swia_domain_trusted: bool,
    pub swia_disabled: bool,
    pub dp_down: bool,
    pub token_reads: bool,
    pub assumptions: [bool; 7],
    /// Lock out the first client's token account.
    pub token_locked: bool,
    /// Should-never configurations: the first connection account in CORP's
    /// Administrators; the Software Installation account in it.
    pub misconfig: [bool; 2],
}

const PLATFORMS: [&str; 6] = [
    "windows_95",
    "windows_98",
    "nt4_workstation",
    "nt4_server",
    "nt4_pdc",
    "nt4_bdc",
];
const CAN_RUN: [&str; 3] = [
    "only_when_user_logged_on",
    "whether_or_not_user_logged_on",
    "only_when_no_user_logged_on",
];

fn gen_client() -> impl Strategy<Value = GenClient> {
    (
        0..PLATFORMS.len(),
        0..2usize,
        0..4usize,
        prop::collection::vec((any::<bool>(), 0..3usize, 0..4usize, any::<bool>()), 0..3),
        prop::collection::vec(any::<bool>(), 3),
    )
        .prop_map(|(platform, domain, logon, connections, stale)| GenClient {
            platform,
            domain,
            logon,
            connections,
            stale,
        })
}

pub fn gen_scenario() -> impl Strategy<Value = GenScenario> {
    let environment = (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::array::uniform7(any::<bool>()),
        any::<bool>(),
        prop::array::uniform2(any::<bool>()),
    );
    (
        prop::collection::vec(gen_client(), 1..7),
        prop::collection::vec((any::<bool>(), 0..3usize, any::<bool>()), 1..4),
        prop::collection::vec((any::<bool>(), any::<bool>(), any::<bool>()), 0..3),
        environment,
    )
        .prop_map(|(clients, programs, connection_accounts, env)| {
            let (
                swia_domain_trusted,
                swia_disabled,
                dp_down,
                token_reads,
                assumptions,
                token_locked,
                misconfig,
            ) = env;
            GenScenario {
                clients,
                programs,
                connection_accounts,
                swia_domain_trusted,
                swia_disabled,
                dp_down,
                token_reads,
                assumptions,
                token_locked,
                misconfig,
            }
        })
}

impl GenScenario {
    /// A scenario file that the console and the loader accept.
    pub fn to_json(&self) -> Value {
        let users = ["u0", "u1", "admin", "nobody"];
        let mut conn_accounts = Vec::new();
        let mut readers: Vec<String> = vec![
            "CORP\\u0".into(),
            "CORP\\u1".into(),
            "CORP\\admin".into(),
            "CORP\\SMSInstall".into(),
        ];
        let mut corp_users: Vec<String> = users.iter().map(|u| u.to_string()).collect();
        corp_users.push("SMSInstall".into());
        let mut far_users = vec!["SMSInstall2".to_string()];
        for (i, (reads, _, far)) in self.connection_accounts.iter().enumerate() {
            let name = format!("SMSClient_{i}");
            let qualified = if *far {
                format!("FAR\\{name}")
            } else {
                format!("CORP\\{name}")
            };
            if *far {
                far_users.push(name)
            } else {
                corp_users.push(name)
            }
            // An account of FAR, which CORP does not trust, cannot be on SMS1's lists.
            if *reads && !*far {
                readers.push(qualified.clone());
            }
            conn_accounts.push(qualified);
        }
        if self.token_reads {
            readers.push("CORP\\SMSCliToknAcct&".into());
        }
        let mut machines = vec![
            json!({"name": "SMS1", "platform": "nt4_server", "domain": "CORP", "sms_client": false}),
            json!({"name": "DP2", "platform": "nt4_server", "domain": "CORP", "sms_client": false}),
            // Not a target: it makes CORP's domain token account exist for the grants.
            json!({"name": "DC0", "platform": "nt4_pdc", "domain": "CORP"}),
        ];
        let mut logons = Vec::new();
        let mut connections = Vec::new();
        let mut stale = Vec::new();
        let mut names = Vec::new();
        let mut has_pdc = [true, false];
        for (i, c) in self.clients.iter().enumerate() {
            let name = format!("C{i}");
            let mut platform = PLATFORMS[c.platform];
            let domain = if c.domain == 0 { "CORP" } else { "RES" };
            if platform == "nt4_pdc" {
                if has_pdc[c.domain] {
                    platform = "nt4_bdc"
                } else {
                    has_pdc[c.domain] = true
                }
            }
            let nt = !platform.starts_with("windows");
            let mut m = json!({"name": name, "platform": platform, "domain": domain});
            if nt && !platform.ends_with("dc") {
                m["local_groups"] =
                    json!([{"name": "Administrators", "members": ["CORP\\Admins"]}]);
            }
            machines.push(m);
            if c.logon > 0 {
                logons.push(json!({"client": name, "user": format!("CORP\\{}", users[c.logon])}));
            }
            for (k, &(interactive, path_kind, cred, mapped)) in c.connections.iter().enumerate() {
                let interactive = interactive && c.logon > 0;
                if !interactive && !nt {
                    continue;
                }
                let path = ["\\\\SMS1\\SMSPKGC$", "\\\\SMS1\\IPC$", "\\\\SMS1\\PUBLIC"][path_kind];
                let session = if interactive {
                    "interactive"
                } else {
                    "service"
                };
                // One credential set per server and session: every connection to SMS1 of
                // a session uses the first one's credentials.
                let cred = connections
                    .iter()
                    .find(|x: &&Value| x["client"] == json!(name) && x["session"] == json!(session))
                    .map(|x| x["as"].clone())
                    .unwrap_or_else(|| json!(format!("CORP\\{}", users[cred])));
                // Windows 95/98 connect as the logged-on user only.
                let cred = if nt {
                    cred
                } else {
                    json!(format!("CORP\\{}", users[c.logon]))
                };
                let mut conn =
                    json!({"client": name, "session": session, "path": path, "as": cred});
                // A drive maps a disk share, one letter per connection.
                if mapped && path_kind != 1 {
                    conn["drive"] = json!(format!("{}:", (b'P' + k as u8) as char));
                }
                connections.push(conn);
            }
            for (k, s) in c.stale.iter().enumerate() {
                if *s && k < conn_accounts.len() {
                    stale.push(json!({"client": name, "account": conn_accounts[k]}));
                }
            }
            names.push(name);
        }
        let swia_user = if self.swia_domain_trusted {
            "CORP\\SMSInstall"
        } else {
            "FAR\\SMSInstall2"
        };
        let mut programs = Vec::new();
        let mut ads = Vec::new();
        for (i, &(admin, can_run, swia)) in self.programs.iter().enumerate() {
            let mut can_run = CAN_RUN[can_run];
            if !admin && can_run == "only_when_no_user_logged_on" {
                can_run = "whether_or_not_user_logged_on";
            }
            let swia = swia && admin && can_run != "only_when_user_logged_on";
            programs.push(json!({
                "name": format!("P{i}"),
                "package": "ABC00001",
                "run_mode": if admin { "administrative_rights" } else { "user_rights" },
                "can_run": can_run,
                "use_software_installation_account": swia,
            }));
            ads.push(json!({"name": format!("ABC2000{i}"), "program": format!("P{i}"), "targets": names}));
        }
        let a = self.assumptions;
        let mut disabled = Vec::new();
        for (i, (_, d, _)) in self.connection_accounts.iter().enumerate() {
            if *d {
                disabled.push(json!(conn_accounts[i]));
            }
        }
        if self.swia_disabled {
            disabled.push(json!(swia_user));
        }
        let mut locked = Vec::new();
        if self.token_locked {
            let first = &self.clients[0];
            let platform = PLATFORMS[first.platform];
            if platform.ends_with("dc") {
                locked.push(json!(format!(
                    "{}\\SMSCliToknAcct&",
                    if first.domain == 0 { "CORP" } else { "RES" }
                )));
            } else if !platform.starts_with("windows") {
                locked.push(json!("C0\\SMSCliToknAcct&"));
            }
        }
        let mut corp_admins = vec![json!("Admins")];
        if self.misconfig[0] && self.connection_accounts.first().is_some_and(|c| !c.2) {
            corp_admins.push(json!(conn_accounts[0]));
        }
        if self.misconfig[1] && self.swia_domain_trusted {
            corp_admins.push(json!(swia_user));
        }
        json!({
            "schema_version": 1,
            "assumptions": {
                "admin_rights_policy": if a[0] { "always_service" } else { "service_if_user_lacks_rights" },
                "token_admin_membership": if a[1] { "transient_on_member_clients" } else { "standing" },
                "swia_dp_context": if a[2] { "software_installation_account" } else { "client_token_account" },
                "connection_scope": if a[3] { "machine" } else { "logon_session" },
                "win9x_connection_accounts": if a[4] { "used" } else { "not_used" },
                "service_pack": if a[5] { "rtm_sp1" } else { "sp2" },
                "swia_secret_on_clients": a[6],
            },
            "domains": [
                {"name": "CORP", "users": corp_users, "global_groups": [{"name": "Admins", "members": ["admin"]}],
                 "local_groups": [{"name": "Administrators", "members": corp_admins}]},
                {"name": "RES", "trusts": ["CORP"]},
                {"name": "FAR", "users": far_users},
            ],
            "machines": machines,
            "site": {
                "code": "ABC",
                "domain": "CORP",
                "connection_accounts": conn_accounts,
                "software_installation_account": swia_user,
                "distribution_points": ["\\\\DP2\\SMSPKGC$", "\\\\SMS1\\SMSPKGC$"],
            },
            "packages": [{"id": "ABC00001", "copies": [
                {"distribution_point": "\\\\DP2\\SMSPKGC$", "read": readers},
                {"distribution_point": "\\\\SMS1\\SMSPKGC$", "read": readers},
            ]}],
            "programs": programs,
            "advertisements": ads,
            "state": {
                "logons": logons,
                "connections": connections,
                "disabled": disabled,
                "locked_out": locked,
                "stale_passwords": stale,
                "unavailable_servers": if self.dp_down { vec!["DP2"] } else { vec![] },
            },
        })
    }
}

/// The seeded generator's estate of `clients` clients and `advertisements`
/// advertisements (seed 1), loaded.
pub fn generated(clients: usize, advertisements: usize) -> sms_client_accounts::Scenario {
    let text = sms_client_accounts::generate::generate_json(sms_client_accounts::generate::Spec {
        clients,
        advertisements,
        seed: 1,
    });
    sms_client_accounts::Scenario::from_json(&text)
        .unwrap_or_else(|e| panic!("generated estate: {e}"))
}

/// The scenario of `fixtures/scenarios/NAME.json`, loaded.
pub fn fixture_scenario(name: &str) -> sms_client_accounts::Scenario {
    let text = std::fs::read_to_string(root().join(format!("fixtures/scenarios/{name}.json")))
        .unwrap_or_default();
    sms_client_accounts::Scenario::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// What a look-up found, or a panic naming what it looked for.
pub fn found<T>(found: Option<T>, what: &str) -> T {
    found.unwrap_or_else(|| panic!("{what}"))
}
