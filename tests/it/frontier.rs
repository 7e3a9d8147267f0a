//! Where a search stops: for every target a compromise does not reach, each fact of its
//! frontier, applied to the scenario file and loaded again, makes the target reached;
//! and a reached target has no frontier.

use serde_json::{Value, json};
use sms_client_accounts::Scenario;
use sms_client_accounts::engine::{Change, Outcome, resolve};
use sms_client_accounts::exposure::{Exposure, Missing, Node, Reach, Start, export::node_name};
use sms_client_accounts::model::*;

use crate::common::*;
use crate::why::{apply, list};

/// The node named `name` in `e` (as [`node_name`] writes it).
fn node_named(e: &Estate, name: &str) -> Option<Node> {
    e.machine_by_name(name)
        .map(Node::Machine)
        .or_else(|| e.account_by_name(name).map(Node::Account))
        .or_else(|| e.share_by_path(name).map(Node::Share))
}

/// Applies a frontier fact to the file; `None` for a program that, once advertised,
/// does not run there (the fact is that one runs).
fn apply_missing(doc: &mut Value, e: &Estate, m: Missing) {
    match m {
        Missing::Membership { member, group } => {
            apply(
                doc,
                e,
                &Change::Membership {
                    group,
                    member,
                    on: true,
                },
            );
        }
        Missing::ReadGrant { account, share } => {
            let path = e.share_path(share);
            let name = Value::from(e.qualified_name(account));
            for p in list(doc, "packages") {
                for c in list(p, "copies") {
                    if c["distribution_point"]
                        .as_str()
                        .is_some_and(|d| d.eq_ignore_ascii_case(&path))
                    {
                        list(c, "read").push(name.clone());
                    }
                }
            }
            for r in list(doc, "resources") {
                if r["path"]
                    .as_str()
                    .is_some_and(|d| d.eq_ignore_ascii_case(&path))
                {
                    list(r, "read").push(name.clone());
                }
            }
        }
        Missing::Advertisement { client, .. } => {
            let package = doc["packages"][0]["id"].clone();
            list(doc, "programs").push(json!({
                "name": "Frontier", "package": package, "run_mode": "administrative_rights",
                "can_run": "whether_or_not_user_logged_on", "use_software_installation_account": true
            }));
            list(doc, "advertisements").push(json!({
                "name": "ZZZ99999", "program": "Frontier", "targets": [e.machine(client).name.as_str()]
            }));
        }
        Missing::Trust { trusting, trusted } => {
            apply(
                doc,
                e,
                &Change::Trust {
                    trusting,
                    trusted,
                    on: true,
                },
            );
        }
        Missing::Logon { user, machine } => {
            apply(
                doc,
                e,
                &Change::LogOn {
                    client: machine,
                    user,
                },
            );
        }
    }
}

/// Every fact of every frontier from the NT clients of `name`, for every target, both
/// reaches; returns how many facts were applied.
fn frontiers_hold(name: &str) -> usize {
    let text = std::fs::read_to_string(root().join(format!("fixtures/scenarios/{name}.json")))
        .unwrap_or_default();
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let s = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{e}"));
    let e = &s.estate;
    let x = Exposure::build(e, &s.state);
    let mut applied = 0;
    let clients: Vec<MachineId> = e
        .machine_ids()
        .filter(|&m| {
            e.machine(m).platform.is_nt()
                && e.machine(m).sms_client
                && !e.machine(m).platform.is_dc()
        })
        .take(3)
        .collect();
    let targets: Vec<Node> = e
        .machine_ids()
        .map(Node::Machine)
        .chain(e.account_ids().map(Node::Account))
        .chain(e.share_ids().map(Node::Share))
        .collect();
    for &client in &clients {
        for reach in [Reach::Direct, Reach::Transitive] {
            let start = Start::Client(client);
            for &target in &targets {
                let reached = x.reaches(start, reach, target);
                let frontier = x.frontier(e, &s.state, start, reach, target);
                assert_eq!(frontier.is_none(), reached, "{name}: {target:?}");
                for &m in frontier.iter().flatten().take(4) {
                    let mut edited = doc.clone();
                    apply_missing(&mut edited, e, m);
                    let again = Scenario::from_json(&edited.to_string()).unwrap_or_else(|err| {
                        panic!("{name}: {m:?} gives a file the loader refuses: {err}")
                    });
                    let a = &again.estate;
                    if let Missing::Advertisement { client: c, .. } = m {
                        let ad = a
                            .advertisement_by_name("ZZZ99999")
                            .unwrap_or_else(|| unreachable!());
                        let c = a
                            .machine_by_name(&e.machine(c).name)
                            .unwrap_or_else(|| unreachable!());
                        if resolve(a, &again.state, ad, c).decision.outcome != Outcome::Run {
                            continue;
                        }
                    }
                    let y = Exposure::build(a, &again.state);
                    let start2 = Start::Client(
                        a.machine_by_name(&e.machine(client).name)
                            .unwrap_or_else(|| unreachable!()),
                    );
                    let target2 = node_named(a, &node_name(e, target))
                        .unwrap_or_else(|| panic!("{target:?}"));
                    assert!(
                        y.reaches(start2, reach, target2),
                        "{name}: from {} ({reach:?}), {m:?} leaves {} unreached",
                        e.machine(client).name,
                        node_name(e, target)
                    );
                    applied += 1;
                }
            }
        }
    }
    applied
}

/// "X-TRANSITIVE": a frontier fact is one fact away: applied, the target is reached.
#[test]
fn each_frontier_fact_applied_to_the_file_reaches_its_target() {
    let applied: usize = ["exposure-estate", "demo", "why-not-trust"]
        .iter()
        .map(|n| frontiers_hold(n))
        .sum();
    println!("{applied} frontier facts applied to their files and checked");
    assert!(applied > 100, "{applied}");
}

/// The frontiers of exposure-estate, checked by hand: from RESWKS2 directly, Domain
/// Admins (a global group: only CORP users whose passwords are known can join it: the
/// connection account and the Software Installation account, from the site data);
/// RESDC (RES's Administrators accepts CORP's users and global groups, RES trusting
/// CORP; or a Software Installation account program run there); bob (a logon at
/// RESWKS2, the one machine controlled); LABWKS (its Mail fails because LAB trusts no
/// domain: the trust; no reached account may join a group of a LAB machine).
#[test]
fn the_frontiers_of_the_exposure_estate_are_the_facts_the_rules_allow() {
    use sms_client_accounts::exposure::export::missing_text;
    let text = std::fs::read_to_string(root().join("fixtures/scenarios/exposure-estate.json"))
        .unwrap_or_default();
    let s = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{e}"));
    let e = &s.estate;
    let x = Exposure::build(e, &s.state);
    let start = Start::Client(
        e.machine_by_name("RESWKS2")
            .unwrap_or_else(|| unreachable!()),
    );
    let facts = |target: &str| -> Vec<String> {
        let node = node_named(e, target).unwrap_or_else(|| panic!("{target}"));
        x.frontier(e, &s.state, start, Reach::Direct, node)
            .unwrap_or_else(|| panic!("{target} is reached"))
            .into_iter()
            .map(|m| missing_text(e, m))
            .collect()
    };
    assert_eq!(
        facts("CORP\\Domain Admins"),
        [
            "CORP\\SMSClient_ABC joins CORP\\Domain Admins",
            "CORP\\SMSInstall joins CORP\\Domain Admins"
        ]
    );
    assert_eq!(
        facts("RESDC"),
        [
            "CORP\\Domain Users joins RES\\Administrators",
            "CORP\\SMSClient_ABC joins RES\\Administrators",
            "CORP\\SMSInstall joins RES\\Administrators",
            "a program that uses CORP\\SMSInstall runs on RESDC",
        ]
    );
    assert_eq!(facts("CORP\\bob"), ["CORP\\bob logs on at RESWKS2"]);
    assert_eq!(facts("LABWKS"), ["domain LAB trusts CORP"]);
    // Reached targets have no frontier, and reaching agrees with the compromise query.
    for (target, reach) in [
        ("DC1", Reach::Direct),
        ("CORP\\Domain Admins", Reach::Transitive),
        ("\\\\SMS1\\SMSPKGC$", Reach::Direct),
        ("CORP\\SMSInstall", Reach::Direct),
    ] {
        let node = node_named(e, target).unwrap_or_else(|| panic!("{target}"));
        assert!(x.reaches(start, reach, node), "{target}");
        assert!(
            x.frontier(e, &s.state, start, reach, node).is_none(),
            "{target}"
        );
    }
}

/// Whether a target is reached agrees with the privileges of the compromise query:
/// a machine administered (for good or while a program runs; transitively, entered
/// too), a password known or a group joined, a share read.
#[test]
fn reaching_a_target_agrees_with_the_compromise_query_on_every_fixture() {
    use sms_client_accounts::exposure::Privilege;
    for path in scenario_files() {
        let s = Scenario::from_json(&std::fs::read_to_string(&path).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
        let e = &s.estate;
        let x = Exposure::build(e, &s.state);
        for m in e.machine_ids().take(4) {
            for reach in [Reach::Direct, Reach::Transitive] {
                let start = Start::Client(m);
                let got = x.compromise(start, reach);
                let holds = |p: &dyn Fn(&Privilege) -> bool| got.iter().any(|r| p(&r.privilege));
                for t in e.machine_ids() {
                    let want = holds(
                        &|p| matches!(*p, Privilege::Administrator(n) | Privilege::AdministratorWhileRuns(n, _) if n == t),
                    );
                    assert_eq!(
                        x.reaches(start, reach, Node::Machine(t)),
                        want,
                        "{}: {m:?} {reach:?} machine {t:?}",
                        stem(&path)
                    );
                }
                for a in e.account_ids() {
                    let want = holds(
                        &|p| matches!(*p, Privilege::Credential(b) | Privilege::Member(b) if b == a),
                    );
                    assert_eq!(
                        x.reaches(start, reach, Node::Account(a)),
                        want,
                        "{}: {m:?} {reach:?} account {a:?}",
                        stem(&path)
                    );
                }
                for sh in e.share_ids() {
                    let want = holds(&|p| *p == Privilege::Read(sh));
                    assert_eq!(
                        x.reaches(start, reach, Node::Share(sh)),
                        want,
                        "{}: share {sh:?}",
                        stem(&path)
                    );
                }
            }
        }
    }
}

/// A share's frontier, checked by hand: with package ABC00001 readable by CORP\bob
/// alone, control of RESWKS2 does not read \\SMS1\SMSPKGC$; SMS1 (a CORP server)
/// accepts in its access list the CORP accounts and groups reached (the connection
/// account, the Software Installation account, Domain Users), not RESWKS2's own.
#[test]
fn a_share_s_frontier_is_the_read_grants_its_server_accepts() {
    use sms_client_accounts::exposure::export::missing_text;
    let text = std::fs::read_to_string(root().join("fixtures/scenarios/exposure-estate.json"))
        .unwrap_or_default();
    let mut doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    doc["packages"][0]["copies"][0]["read"] = json!(["CORP\\bob"]);
    let s = Scenario::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let e = &s.estate;
    let x = Exposure::build(e, &s.state);
    let start = Start::Client(
        e.machine_by_name("RESWKS2")
            .unwrap_or_else(|| unreachable!()),
    );
    let share = node_named(e, "\\\\SMS1\\SMSPKGC$").unwrap_or_else(|| unreachable!());
    let facts: Vec<String> = x
        .frontier(e, &s.state, start, Reach::Direct, share)
        .unwrap_or_else(|| panic!("reached"))
        .into_iter()
        .map(|m| missing_text(e, m))
        .collect();
    assert_eq!(
        facts,
        [
            "CORP\\Domain Users gets read on \\\\SMS1\\SMSPKGC$",
            "CORP\\SMSClient_ABC gets read on \\\\SMS1\\SMSPKGC$",
            "CORP\\SMSInstall gets read on \\\\SMS1\\SMSPKGC$",
        ]
    );
}

/// A disabled account acts nowhere (A10): a frontier never proposes a fact made of it,
/// even when it is the start. `CORP\bob` of exposure-status is disabled.
#[test]
fn a_frontier_proposes_nothing_made_of_a_disabled_account() {
    let text =
        std::fs::read_to_string(root().join("fixtures/scenarios/exposure-status.json")).unwrap();
    let s = Scenario::from_json(&text).unwrap();
    let e = &s.estate;
    let x = Exposure::build(e, &s.state);
    let bob = e.account_by_name("CORP\\bob").unwrap();
    let alice = e.account_by_name("CORP\\alice").unwrap();
    let group = e.account_by_name("CORP\\Domain Admins").unwrap();
    let proposes = |start: AccountId| -> Vec<Missing> {
        x.frontier(
            e,
            &s.state,
            Start::Credential(start),
            Reach::Direct,
            Node::Account(group),
        )
        .unwrap_or_default()
    };
    let is_member = |f: &[Missing], who: AccountId| {
        f.iter()
            .any(|m| matches!(m, Missing::Membership { member, .. } if *member == who))
    };
    // An enabled start would join the group; the disabled one is proposed nothing.
    assert!(is_member(&proposes(alice), alice), "{:?}", proposes(alice));
    assert!(!is_member(&proposes(bob), bob), "{:?}", proposes(bob));
}
