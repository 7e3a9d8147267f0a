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
//! account, each advertised to the collection of every client.

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
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A JSON string literal of a generated name (letters, digits, `\\`, `$`, spaces).
fn lit(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        if c == '\\' || c == '"' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// A JSON list of string literals.
fn list<'a>(out: &mut String, items: impl IntoIterator<Item = &'a str>) {
    out.push('[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        lit(out, item);
    }
    out.push(']');
}

/// The scenario of `spec`, as the text of a scenario file. Written straight into one
/// string, never as a tree of JSON values: a million-client estate is a few hundred
/// megabytes of text, and its tree would be ten times that.
pub fn generate_json(spec: Spec) -> String {
    use std::fmt::Write as _;
    let mut rng = Rng(spec.seed);
    let resource_domains = spec.clients.div_ceil(25_000).max(1);
    let users = (spec.clients / 2).max(4);
    let mut o = String::with_capacity(spec.clients * (120 + 10 * spec.advertisements) + 4096);
    let _ = write!(
        o,
        "{{\"schema_version\":1,\"description\":\"generated estate: {} clients, {} advertisements, seed {}\",",
        spec.clients, spec.advertisements, spec.seed
    );
    // The account domain, its users and groups.
    let user_names: Vec<String> = (0..users).map(|i| format!("u{i}")).collect();
    let services = ["SMSClient_ABC", "SMSClient_AB2", "SMSInstall"];
    let everyone = || user_names.iter().map(String::as_str).chain(services);
    o.push_str("\"domains\":[{\"name\":\"CORP\",\"users\":");
    list(&mut o, everyone());
    o.push_str(",\"global_groups\":[{\"name\":\"Domain Users\",\"members\":");
    list(&mut o, everyone());
    o.push_str(
        "},{\"name\":\"Domain Admins\",\"members\":[\"u0\"]},{\"name\":\"Helpdesk\",\"members\":",
    );
    list(&mut o, user_names.iter().step_by(10).map(String::as_str));
    o.push_str(
        "}],\"local_groups\":[{\"name\":\"Administrators\",\"members\":[\"Domain Admins\"]}]}",
    );
    for r in 0..resource_domains {
        let _ = write!(o, ",{{\"name\":\"RES{r}\",\"trusts\":[\"CORP\"]}}");
    }
    o.push_str("],\"machines\":[{\"name\":\"SMS1\",\"platform\":\"nt4_server\",\"domain\":\"CORP\",\"sms_client\":false}");
    let mut dps = vec!["\\\\SMS1\\SMSPKGC$".to_string()];
    for r in 0..resource_domains {
        let _ = write!(
            o,
            ",{{\"name\":\"DP{r}\",\"platform\":\"nt4_server\",\"domain\":\"RES{r}\",\"sms_client\":false}}"
        );
        dps.push(format!("\\\\DP{r}\\SMSPKGC$"));
    }
    // The clients; their logons and connections are written after the machines.
    let mut state = String::new();
    let mut connections = String::new();
    let per_domain = spec.clients.div_ceil(resource_domains + 1).max(1);
    for i in 0..spec.clients {
        let d = i / per_domain;
        let (domain, dp) = if d == 0 {
            ("CORP".to_string(), &dps[0])
        } else {
            let r = (d - 1) % resource_domains;
            (format!("RES{r}"), &dps[1 + r])
        };
        let index_in_domain = i % per_domain;
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
        let _ = write!(
            o,
            ",{{\"name\":\"C{i}\",\"platform\":\"{platform}\",\"domain\":\"{domain}\""
        );
        if platform == "nt4_workstation" || platform == "nt4_server" {
            o.push_str(",\"local_groups\":[{\"name\":\"Administrators\",\"members\":[\"CORP\\\\Domain Admins\",\"CORP\\\\Helpdesk\"]}]");
        }
        o.push('}');
        if !platform.ends_with("dc") && rng.below(2) == 0 {
            let u = if rng.below(10) == 0 {
                (rng.below((users as u64).div_ceil(10)) * 10) as usize
            } else {
                rng.below(users as u64) as usize
            };
            if !state.is_empty() {
                state.push(',');
            }
            let _ = write!(state, "{{\"client\":\"C{i}\",\"user\":\"CORP\\\\u{u}\"}}");
            let drive = match rng.below(20) {
                0..4 => Some(",\"drive\":\"P:\""),
                4 => Some(""),
                _ => None,
            };
            if let Some(drive) = drive {
                if !connections.is_empty() {
                    connections.push(',');
                }
                let _ = write!(
                    connections,
                    "{{\"client\":\"C{i}\",\"session\":\"interactive\",\"path\":"
                );
                lit(&mut connections, dp);
                let _ = write!(connections, ",\"as\":\"CORP\\\\u{u}\"{drive}}}");
            }
        }
    }
    write_distribution(&mut o, spec, &dps);
    let _ = write!(
        o,
        "],\"state\":{{\"logons\":[{state}],\"connections\":[{connections}]}}}}"
    );
    o
}

/// The site, its packages (a copy on every DP), programs (the kinds in turn), the
/// collection of every client and one advertisement a program.
fn write_distribution(o: &mut String, spec: Spec, dps: &[String]) {
    use std::fmt::Write as _;
    o.push_str("],\"site\":{\"code\":\"ABC\",\"domain\":\"CORP\",\"connection_accounts\":[\"CORP\\\\SMSClient_ABC\",\"CORP\\\\SMSClient_AB2\"],\"software_installation_account\":\"CORP\\\\SMSInstall\",\"distribution_points\":");
    list(o, dps.iter().map(String::as_str));
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
    o.push_str("},\"packages\":[");
    for a in 0..spec.advertisements {
        if a > 0 {
            o.push(',');
        }
        let _ = write!(o, "{{\"id\":\"ABC{:05}\",\"copies\":[", a + 1);
        for (k, dp) in dps.iter().enumerate() {
            if k > 0 {
                o.push(',');
            }
            o.push_str("{\"distribution_point\":");
            lit(o, dp);
            o.push_str(",\"read\":[\"CORP\\\\Domain Users\"]}");
        }
        o.push_str("]}");
    }
    o.push_str("],\"programs\":[");
    for a in 0..spec.advertisements {
        let (run_mode, can_run, swia) = kinds[a % kinds.len()];
        if a > 0 {
            o.push(',');
        }
        let _ = write!(
            o,
            "{{\"name\":\"P{a}\",\"package\":\"ABC{:05}\",\"run_mode\":\"{run_mode}\",\"can_run\":\"{can_run}\",\"use_software_installation_account\":{swia}}}",
            a + 1
        );
    }
    // One collection of every client, as SMS's own "All Systems"; each advertisement
    // is sent to it.
    o.push_str("],\"collections\":[{\"name\":\"All Clients\",\"members\":[");
    for i in 0..spec.clients {
        if i > 0 {
            o.push(',');
        }
        let _ = write!(o, "\"C{i}\"");
    }
    o.push_str("]}],\"advertisements\":[");
    for a in 0..spec.advertisements {
        if a > 0 {
            o.push(',');
        }
        let _ = write!(
            o,
            "{{\"name\":\"ABC2{:04}\",\"program\":\"P{a}\",\"collection\":\"All Clients\"}}",
            a + 1
        );
    }
}

/// The scenario of `spec`, as raw file types ready to lower.
pub fn generate(spec: Spec) -> Result<RawScenario, serde_json::Error> {
    serde_json::from_str(&generate_json(spec))
}

/// A ConfigManBearPig 2.0 collection of about `nodes` nodes, for the import bench
/// (`benches/import.rs`): one domain, a CAS and one primary site `P01` that stores two
/// accounts, its site server and distribution point; of the rest, 40% computers (three
/// in five of them confirmed clients, each with its device node, and one in twenty an
/// inferred one), 30% users (each in one of the groups, every tenth logged on to a
/// client), 5% groups. The six files CMBP writes, in its format (interop-sources.md
/// 2.1), written straight into strings; the same `seed` gives the same bytes.
pub fn cmbp_collection(nodes: usize, seed: u64) -> Vec<crate::import::Source> {
    use std::fmt::Write as _;
    const D: &str = "S-1-5-21-1111111111-2222222222-3333333333";
    let mut rng = Rng(seed);
    let computers = (nodes * 2 / 5).max(2);
    let users = (nodes * 3 / 10).max(2);
    let groups = (nodes / 20).max(1);
    let (mut ad_nodes, mut ad_edges) = (String::new(), String::new());
    let (mut sccm_nodes, mut sccm_edges) = (String::new(), String::new());
    let sep = |s: &mut String| {
        if !s.is_empty() {
            s.push(',');
        }
    };
    let edge = |s: &mut String, kind: &str, from: &str, to: &str| {
        sep(s);
        let _ = write!(
            s,
            r#"{{"kind":"{kind}","start":{{"match_by":"id","value":"{from}"}},"end":{{"match_by":"id","value":"{to}"}},"properties":{{"traversable":true}}}}"#
        );
    };
    // Computers from RID 10000: the first is the site server, the second the DP.
    for c in 0..computers {
        let roles = match c {
            0 => r#""SMS Site Server@P01","SMS Provider@P01""#,
            1 => r#""SMS Distribution Point@P01""#,
            _ => "",
        };
        sep(&mut ad_nodes);
        let _ = write!(
            ad_nodes,
            r#"{{"kinds":["Computer","Base"],"id":"{D}-{rid}","properties":{{"name":"PC{c}.CORP.EXAMPLE","environmentid":"{D}","samAccountName":"PC{c}$","dNSHostName":"pc{c}.corp.example","Domain":"CORP.EXAMPLE","Enabled":true,"SCCMSiteSystemRoles":[{roles}]}}}}"#,
            rid = 10_000 + c
        );
    }
    for u in 0..users {
        sep(&mut ad_nodes);
        let stored = if u < 2 {
            r#","storedInSCCMSite":"P01""#
        } else {
            ""
        };
        let _ = write!(
            ad_nodes,
            r#"{{"kinds":["User","Base"],"id":"{D}-{rid}","properties":{{"name":"USER{u}@CORP.EXAMPLE","environmentid":"{D}","samAccountName":"user{u}","Domain":"CORP.EXAMPLE","Enabled":true{stored}}}}}"#,
            rid = 1_000_000 + u
        );
        let g = 2_000_000 + rng.below(groups as u64);
        edge(
            &mut ad_edges,
            "MemberOf",
            &format!("{D}-{}", 1_000_000 + u),
            &format!("{D}-{g}"),
        );
    }
    for g in 0..groups {
        sep(&mut ad_nodes);
        let _ = write!(
            ad_nodes,
            r#"{{"kinds":["Group","Base"],"id":"{D}-{rid}","properties":{{"name":"GROUP{g}@CORP.EXAMPLE","environmentid":"{D}","SamAccountName":"group{g}","Domain":"CORP.EXAMPLE"}}}}"#,
            rid = 2_000_000 + g
        );
    }
    let _ = write!(
        sccm_nodes,
        r#"{{"kinds":["SCCM_Site"],"id":"CAS","properties":{{"siteCode":"CAS","siteType":"Central Administration Site"}}}},{{"kinds":["SCCM_Site"],"id":"P01","properties":{{"siteCode":"P01","siteType":"Primary Site","parentSiteCode":"CAS","siteServerDomainSID":"{D}-10000","storedAccounts":["{D}-1000000","{D}-1000001"],"sourceForest":"DC=corp,DC=example"}}}},{{"kinds":["SCCM_AdminUser"],"id":"CORP\\ADMIN@CAS","properties":{{"name":"CORP\\admin"}}}}"#
    );
    for c in 0..computers {
        let roll = rng.below(20);
        let (confirmed, inferred) = (roll < 12, roll == 12);
        if !(confirmed || inferred) {
            continue;
        }
        let sid = format!("{D}-{}", 10_000 + c);
        let id = if confirmed {
            format!("GUID:00000000-0000-4000-8000-{c:012}")
        } else {
            format!("{sid}@CAS")
        };
        sep(&mut sccm_nodes);
        let _ = write!(
            sccm_nodes,
            r#"{{"kinds":["SCCM_ClientDevice"],"id":"{id}","properties":{{"name":"PC{c}@P01","siteCode":"P01","is_confirmed_active_client":{confirmed},"ADDomainSID":"{sid}","deviceOS":"Microsoft Windows NT Workstation 10.0"}}}}"#
        );
        edge(&mut sccm_edges, "SCCM_HasClient", "P01", &id);
        edge(&mut ad_edges, "SCCM_SameHostAs", &id, &sid);
        if confirmed && rng.below(10) == 0 {
            let user = format!("{D}-{}", 1_000_000 + rng.below(users as u64));
            edge(&mut ad_edges, "SCCM_HasCurrentUser", &id, &user);
        }
    }
    let file = |name: &str, list: &str, body: &str, tagged: bool| crate::import::Source {
        name: name.to_string(),
        bytes: format!(
            r#"{{"graph":{{"{list}":[{body}]}}{}}}"#,
            if tagged {
                r#","metadata":{"source_kind":"SCCM"}"#
            } else {
                ""
            }
        )
        .into_bytes(),
    };
    vec![
        file("ad_nodes-1.json", "nodes", &ad_nodes, false),
        file("ad_edges-1.json", "edges", &ad_edges, false),
        file("sccm_nodes-1.json", "nodes", &sccm_nodes, true),
        file("sccm_edges-1.json", "edges", &sccm_edges, true),
    ]
}
