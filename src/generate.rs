//! A seeded estate generator, for benchmarks and tests at estate scale: N clients with a
//! realistic mix of platforms and roles, several domains with trusts, logged-on users,
//! connection caches, one site and M advertisements. The same spec gives the same
//! estate, byte for byte; nothing is random but the seeded generator below.
//!
//! The mix: one account domain `CORP` and one resource domain per 25,000 clients, each
//! trusting `CORP`; a PDC per domain and a BDC per 10,000 of its clients, all SMS
//! clients; a DP server per resource domain; clients 60% NT Workstation, 10% NT Server,
//! 18% Windows 98, 12% Windows 95; half of them with a user logged on (one in ten an
//! administrator through `CORP\Helpdesk`); a fifth of those with a mapped drive to their
//! DP and a twentieth with a device-less connection to it; M programs cycling through
//! the console's run modes, "program can run" values and the Software Installation
//! account, each advertised to every client.

use serde_json::{Value, json};

use crate::scenario::raw::RawScenario;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Spec {
    /// How many SMS clients (DCs included).
    pub clients: usize,
    /// How many advertisements, each to every client.
    pub advertisements: usize,
    /// The seed.
    pub seed: u64,
}

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The scenario of `spec`, as the JSON of a scenario file.
pub fn generate_json(spec: Spec) -> Value {
    let mut rng = Rng(spec.seed);
    let resource_domains = spec.clients.div_ceil(25_000).max(1);
    let users = (spec.clients / 2).max(4);
    let user_names: Vec<String> = (0..users).map(|i| format!("u{i}")).collect();
    let helpdesk: Vec<String> = (0..users).step_by(10).map(|i| format!("u{i}")).collect();
    let mut domains = vec![json!({
        "name": "CORP",
        "users": user_names.iter().cloned().chain(["SMSClient_ABC".into(), "SMSClient_AB2".into(), "SMSInstall".into()]).collect::<Vec<_>>(),
        "global_groups": [
            {"name": "Domain Users", "members": user_names.iter().cloned().chain(["SMSClient_ABC".into(), "SMSClient_AB2".into(), "SMSInstall".into()]).collect::<Vec<_>>()},
            {"name": "Domain Admins", "members": ["u0"]},
            {"name": "Helpdesk", "members": helpdesk},
        ],
        "local_groups": [{"name": "Administrators", "members": ["Domain Admins"]}],
    })];
    for r in 0..resource_domains {
        domains.push(json!({"name": format!("RES{r}"), "trusts": ["CORP"]}));
    }
    let mut machines = vec![
        json!({"name": "SMS1", "platform": "nt4_server", "domain": "CORP", "sms_client": false}),
    ];
    let mut dps = vec!["\\\\SMS1\\SMSPKGC$".to_string()];
    for r in 0..resource_domains {
        machines.push(json!({"name": format!("DP{r}"), "platform": "nt4_server", "domain": format!("RES{r}"), "sms_client": false}));
        dps.push(format!("\\\\DP{r}\\SMSPKGC$"));
    }
    let mut logons = Vec::new();
    let mut connections = Vec::new();
    let mut clients = Vec::new();
    let per_domain = spec.clients.div_ceil(resource_domains + 1).max(1);
    for i in 0..spec.clients {
        let d = i / per_domain;
        let domain = if d == 0 {
            "CORP".to_string()
        } else {
            format!("RES{}", (d - 1) % resource_domains)
        };
        let dp = if d == 0 {
            dps[0].clone()
        } else {
            dps[1 + (d - 1) % resource_domains].clone()
        };
        let index_in_domain = i % per_domain;
        let name = format!("C{i}");
        let platform = if index_in_domain == 0 {
            "nt4_pdc"
        } else if index_in_domain % 10_000 == 1 {
            "nt4_bdc"
        } else {
            match rng.below(100) {
                0..60 => "nt4_workstation",
                60..70 => "nt4_server",
                70..88 => "windows_98",
                _ => "windows_95",
            }
        };
        let mut m = json!({"name": name, "platform": platform, "domain": domain});
        if platform == "nt4_workstation" || platform == "nt4_server" {
            m["local_groups"] = json!([{"name": "Administrators", "members": ["CORP\\Domain Admins", "CORP\\Helpdesk"]}]);
        }
        machines.push(m);
        if !platform.ends_with("dc") && rng.below(2) == 0 {
            let u = if rng.below(10) == 0 {
                (rng.below((users as u64).div_ceil(10)) * 10) as usize
            } else {
                rng.below(users as u64) as usize
            };
            let user = format!("CORP\\u{u}");
            logons.push(json!({"client": name, "user": user}));
            match rng.below(20) {
                0..4 => connections.push(json!({"client": name, "session": "interactive", "path": dp, "as": user, "drive": "P:"})),
                4 => connections.push(json!({"client": name, "session": "interactive", "path": dp, "as": user})),
                _ => {}
            }
        }
        clients.push(name);
    }
    let copies: Vec<Value> = dps
        .iter()
        .map(|dp| json!({"distribution_point": dp, "read": ["CORP\\Domain Users"]}))
        .collect();
    let kinds = [
        ("user_rights", "only_when_user_logged_on", false),
        (
            "administrative_rights",
            "whether_or_not_user_logged_on",
            false,
        ),
        (
            "administrative_rights",
            "whether_or_not_user_logged_on",
            true,
        ),
        ("user_rights", "whether_or_not_user_logged_on", false),
        (
            "administrative_rights",
            "only_when_no_user_logged_on",
            false,
        ),
        ("administrative_rights", "only_when_user_logged_on", false),
    ];
    let mut packages = Vec::new();
    let mut programs = Vec::new();
    let mut ads = Vec::new();
    for a in 0..spec.advertisements {
        let (run_mode, can_run, swia) = kinds[a % kinds.len()];
        packages.push(json!({"id": format!("ABC{:05}", a + 1), "copies": copies}));
        programs.push(json!({"name": format!("P{a}"), "package": format!("ABC{:05}", a + 1), "run_mode": run_mode, "can_run": can_run, "use_software_installation_account": swia}));
        ads.push(json!({"name": format!("ABC2{:04}", a + 1), "program": format!("P{a}"), "targets": clients}));
    }
    json!({
        "schema_version": 1,
        "description": format!("generated estate: {} clients, {} advertisements, seed {}", spec.clients, spec.advertisements, spec.seed),
        "domains": domains,
        "machines": machines,
        "site": {
            "code": "ABC",
            "domain": "CORP",
            "connection_accounts": ["CORP\\SMSClient_ABC", "CORP\\SMSClient_AB2"],
            "software_installation_account": "CORP\\SMSInstall",
            "distribution_points": dps,
        },
        "packages": packages,
        "programs": programs,
        "advertisements": ads,
        "state": {"logons": logons, "connections": connections},
    })
}

/// The scenario of `spec`, as raw file types ready to lower.
pub fn generate(spec: Spec) -> Result<RawScenario, serde_json::Error> {
    serde_json::from_value(generate_json(spec))
}
