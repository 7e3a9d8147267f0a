//! "Why not" checked through the loader: every candidate of every decision of every
//! fixture, applied as an edit of the scenario's JSON (a second, independent
//! implementation of each change) and loaded again, loads (the loader would not refuse
//! it) and resolves to exactly the decision it announced; and the ranking holds.

use serde_json::{Value, json};
use sms_client_accounts::Scenario;
use sms_client_accounts::engine::{Change, Effect, Outcome, resolve, resolve_all, why_not};
use sms_client_accounts::model::*;
use sms_client_accounts::render::summary;

use crate::common::*;

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Whether `entry` (as a file writes a member: `name` or `STORE\name`) names `account`.
fn names(e: &Estate, entry: &Value, account: AccountId) -> bool {
    let text = entry.as_str().unwrap_or_default();
    let a = e.account(account);
    same(text, &e.qualified_name(account)) || same(text, a.name.as_str())
}

pub(crate) fn list<'v>(v: &'v mut Value, key: &str) -> &'v mut Vec<Value> {
    if !v[key].is_array() {
        v[key] = json!([]);
    }
    v[key].as_array_mut().unwrap_or_else(|| unreachable!())
}

pub(crate) fn by_name<'v>(items: &'v mut [Value], name: &str) -> Option<&'v mut Value> {
    items
        .iter_mut()
        .find(|i| same(i["name"].as_str().unwrap_or_default(), name))
}

/// The JSON object that declares `group`, created where the group is implicit.
pub(crate) fn group_entry<'v>(doc: &'v mut Value, e: &Estate, group: AccountId) -> &'v mut Value {
    let g = e.account(group);
    let (holder, field) = match (g.store, g.kind) {
        (Store::Domain(d), AccountKind::GlobalGroup) => {
            (("domains", e.domain(d).name.to_string()), "global_groups")
        }
        (Store::Domain(d), _) => (("domains", e.domain(d).name.to_string()), "local_groups"),
        (Store::Local(m), _) => (("machines", e.machine(m).name.to_string()), "local_groups"),
    };
    let items = list(doc, holder.0);
    let owner = by_name(items, &holder.1).unwrap_or_else(|| panic!("no {}", holder.1));
    let groups = list(owner, field);
    let at = match groups
        .iter()
        .position(|x| same(x["name"].as_str().unwrap_or_default(), g.name.as_str()))
    {
        Some(i) => i,
        None => {
            groups.push(json!({"name": g.name.as_str(), "members": []}));
            groups.len() - 1
        }
    };
    &mut groups[at]
}

pub(crate) fn toggle(items: &mut Vec<Value>, e: &Estate, account: AccountId, on: bool) {
    items.retain(|x| !names(e, x, account));
    if on {
        items.push(Value::from(e.qualified_name(account)));
    }
}

/// Applies `change` to the scenario file `doc`.
pub(crate) fn apply(doc: &mut Value, e: &Estate, change: &Change) {
    let machine = |m: MachineId| e.machine(m).name.to_string();
    match change {
        Change::LogOff { client } => {
            let c = machine(*client);
            list(&mut doc["state"], "logons")
                .retain(|l| !same(l["client"].as_str().unwrap_or_default(), &c));
            list(&mut doc["state"], "connections").retain(|l| {
                !(same(l["client"].as_str().unwrap_or_default(), &c)
                    && l["session"] == "interactive")
            });
        }
        Change::LogOn { client, user } => {
            list(&mut doc["state"], "logons")
                .push(json!({"client": machine(*client), "user": e.qualified_name(*user)}));
        }
        Change::Membership { group, member, on } => {
            let entry = group_entry(doc, e, *group);
            toggle(list(entry, "members"), e, *member, *on);
        }
        Change::ReadGrant {
            package,
            share,
            account,
            on,
        } => {
            let packages = list(doc, "packages");
            let id = e.package(*package).id.to_string();
            let p = packages
                .iter_mut()
                .find(|p| same(p["id"].as_str().unwrap_or_default(), &id))
                .unwrap_or_else(|| panic!("{id}"));
            let path = e.share_path(*share);
            let copy = list(p, "copies")
                .iter_mut()
                .find(|c| same(c["distribution_point"].as_str().unwrap_or_default(), &path))
                .unwrap_or_else(|| panic!("{path}"));
            toggle(list(copy, "read"), e, *account, *on);
        }
        Change::Disconnect {
            client,
            session,
            index,
        } => {
            let c = machine(*client);
            let kind = match session {
                SessionKind::Interactive => "interactive",
                SessionKind::Service => "service",
            };
            let mut n = 0;
            list(&mut doc["state"], "connections").retain(|l| {
                if same(l["client"].as_str().unwrap_or_default(), &c) && l["session"] == kind {
                    n += 1;
                    n != index + 1
                } else {
                    true
                }
            });
        }
        Change::Trust {
            trusting,
            trusted,
            on,
        } => {
            let name = e.domain(*trusted).name.to_string();
            let d = by_name(list(doc, "domains"), e.domain(*trusting).name.as_str())
                .unwrap_or_else(|| panic!("domain"));
            let trusts = list(d, "trusts");
            trusts.retain(|t| !same(t.as_str().unwrap_or_default(), &name));
            if *on {
                trusts.push(Value::from(name));
            }
        }
        Change::Status { account, status } => {
            toggle(
                list(&mut doc["state"], "disabled"),
                e,
                *account,
                !status.enabled,
            );
            toggle(
                list(&mut doc["state"], "locked_out"),
                e,
                *account,
                status.locked_out,
            );
        }
        Change::RunMode { program, run_mode } => {
            let p = by_name(list(doc, "programs"), &e.program(*program).name)
                .unwrap_or_else(|| panic!("program"));
            p["run_mode"] = Value::from(match run_mode {
                RunMode::UserRights => "user_rights",
                RunMode::AdministrativeRights => "administrative_rights",
            });
        }
        Change::CanRun { program, can_run } => {
            let p = by_name(list(doc, "programs"), &e.program(*program).name)
                .unwrap_or_else(|| panic!("program"));
            p["can_run"] = Value::from(match can_run {
                CanRun::OnlyWhenUserLoggedOn => "only_when_user_logged_on",
                CanRun::WhetherOrNotUserLoggedOn => "whether_or_not_user_logged_on",
                CanRun::OnlyWhenNoUserLoggedOn => "only_when_no_user_logged_on",
            });
        }
        Change::UseSoftwareInstallationAccount { program, on } => {
            let p = by_name(list(doc, "programs"), &e.program(*program).name)
                .unwrap_or_else(|| panic!("program"));
            p["use_software_installation_account"] = Value::from(*on);
        }
        Change::ConnectionAccounts { accounts } => {
            doc["site"]["connection_accounts"] = accounts
                .iter()
                .map(|&a| Value::from(e.qualified_name(a)))
                .collect();
        }
        Change::Available { server, available } => {
            let servers = list(&mut doc["state"], "unavailable_servers");
            let name = machine(*server);
            servers.retain(|s| !same(s.as_str().unwrap_or_default(), &name));
            if !available {
                servers.push(Value::from(name));
            }
        }
        Change::Assumption { key, value } => {
            if !doc["assumptions"].is_object() {
                doc["assumptions"] = json!({});
            }
            doc["assumptions"][*key] = Value::from(*value);
        }
    }
}

/// Every candidate of every decision of every fixture: applied to the file, loaded
/// again, the same question gives the announced decision; candidates come ranked.
/// Returns how many candidates were checked.
#[test]
fn every_candidate_applied_to_the_file_gives_the_decision_it_announced() {
    let mut checked = 0;
    for path in scenario_files() {
        let name = stem(&path);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let s = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let e = &s.estate;
        for r in resolve_all(e, &s.state) {
            let candidates = why_not(e, &s.state, &r);
            let ranks: Vec<Effect> = candidates.iter().map(|w| w.effect).collect();
            assert!(ranks.is_sorted(), "{name}: candidates ranked {ranks:?}");
            for w in candidates {
                let runs = r.decision.outcome != Outcome::Run && w.decision.outcome == Outcome::Run;
                assert_eq!(
                    runs,
                    w.effect == Effect::Runs,
                    "{name}: `{}` ranked {:?}",
                    w.change,
                    w.effect
                );
                let mut edited = doc.clone();
                apply(&mut edited, e, &w.edit);
                let again = Scenario::from_json(&edited.to_string()).unwrap_or_else(|err| {
                    panic!(
                        "{name}: `{}` gives a file the loader refuses: {err}",
                        w.change
                    )
                });
                let (ad, client) = (
                    again
                        .estate
                        .advertisement_by_name(&e.advertisement(r.advertisement).name)
                        .unwrap_or_else(|| unreachable!()),
                    again
                        .estate
                        .machine_by_name(&e.machine(r.client).name)
                        .unwrap_or_else(|| unreachable!()),
                );
                let got = resolve(&again.estate, &again.state, ad, client).decision;
                assert_eq!(
                    summary(&again.estate, &got),
                    summary(e, &w.decision),
                    "{name}: `{}` announced one decision, the edited file gives another",
                    w.change
                );
                assert_eq!(got.outcome, w.decision.outcome, "{name}: `{}`", w.change);
                checked += 1;
            }
        }
    }
    println!("{checked} why-not candidates applied to their files and checked");
    assert!(checked > 200, "{checked} candidates checked");
}

/// The fixtures whose only way to run is one kind of fact: the one candidate that
/// makes the program run is that fact.
#[test]
fn the_only_way_to_run_is_the_fact_each_fixture_was_built_for() {
    for (name, only) in [
        (
            "why-not-program-setting",
            "program Mail stops using the Software Installation account",
        ),
        ("why-not-account-status", "CORP\\SMSClient_ABC is enabled"),
        ("why-not-trust", "domain LAB starts trusting CORP"),
    ] {
        let text = std::fs::read_to_string(root().join(format!("fixtures/scenarios/{name}.json")))
            .unwrap_or_default();
        let s = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let r = &resolve_all(&s.estate, &s.state)[0];
        assert!(
            matches!(r.decision.outcome, Outcome::Fail(_)),
            "{name}: the decision fails"
        );
        let runs: Vec<String> = why_not(&s.estate, &s.state, r)
            .into_iter()
            .filter(|w| w.effect == Effect::Runs)
            .map(|w| w.change)
            .collect();
        assert_eq!(runs, vec![only.to_string()], "{name}");
    }
}
