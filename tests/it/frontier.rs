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
