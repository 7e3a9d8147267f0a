//! Property tests of the loader: no input panics it, and the order of unordered lists
//! does not change the scenario it gives.

use proptest::prelude::*;
use serde_json::Value;
use sms_client_accounts::Scenario;

use crate::common::*;

fn fixture_values() -> Vec<Value> {
    scenario_files()
        .iter()
        .chain(json_files(&root().join("fixtures/invalid")).iter())
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|t: String| serde_json::from_str(&t).ok())
        .collect()
}

/// The ways a document is damaged: a key dropped, a value's type swapped, a value
/// replaced by another from the same document, nesting deepened.
#[derive(Debug, Clone)]
enum Damage {
    Drop,
    SwapType(u8),
    Replace,
    Deepen(u8),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        Just(Damage::Drop),
        any::<u8>().prop_map(Damage::SwapType),
        Just(Damage::Replace),
        (1u8..200).prop_map(Damage::Deepen),
    ]
}

fn nodes(v: &Value) -> usize {
    1 + match v {
        Value::Object(m) => m.values().map(nodes).sum(),
        Value::Array(a) => a.iter().map(nodes).sum(),
        _ => 0,
    }
}

fn nth(v: &Value, n: usize) -> Option<&Value> {
    if n == 0 {
        return Some(v);
    }
    let mut n = n - 1;
    let children: Vec<&Value> = match v {
        Value::Object(m) => m.values().collect(),
        Value::Array(a) => a.iter().collect(),
        _ => return None,
    };
    for c in children {
        let size = nodes(c);
        if n < size {
            return nth(c, n);
        }
        n -= size;
    }
    None
}

/// Applies `damage` to the `n`th node (pre-order) of `v`.
fn apply(v: &mut Value, n: usize, damage: &Damage, donor: &Value) -> bool {
    if n == 0 {
        match damage {
            Damage::Drop => return true,
            Damage::SwapType(k) => {
                *v = match (k % 6, &*v) {
                    (0, _) => Value::Null,
                    (1, Value::String(s)) => Value::from(s.len()),
                    (1, _) => Value::from("text"),
                    (2, _) => Value::Bool(true),
                    (3, x) => Value::Array(vec![x.clone()]),
                    (4, _) => serde_json::json!({"x": 1}),
                    _ => Value::from(-1.5),
                }
            }
            Damage::Replace => *v = donor.clone(),
            Damage::Deepen(depth) => {
                for _ in 0..*depth {
                    *v = Value::Array(vec![v.take()]);
                }
            }
        }
        return false;
    }
    let mut n = n - 1;
    match v {
        Value::Object(m) => {
            let keys: Vec<String> = m.keys().cloned().collect();
            for k in keys {
                let size = m.get(&k).map(nodes).unwrap_or(0);
                if n < size {
                    if let Some(child) = m.get_mut(&k)
                        && apply(child, n, damage, donor)
                    {
                        m.remove(&k);
                    }
                    return false;
                }
                n -= size;
            }
        }
        Value::Array(a) => {
            for i in 0..a.len() {
                let size = nodes(&a[i]);
                if n < size {
                    if apply(&mut a[i], n, damage, donor) {
                        a.remove(i);
                    }
                    return false;
                }
                n -= size;
            }
        }
        _ => {}
    }
    false
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_the_loader(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = Scenario::from_slice(&bytes);
    }

    #[test]
    fn damaged_fixtures_load_or_fail_but_never_panic(
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        damages in prop::collection::vec((damage(), any::<prop::sample::Index>()), 1..4),
    ) {
        let values = fixture_values();
        let mut doc = values[which.index(values.len())].clone();
        for (d, donor_at) in &damages {
            let donor = nth(&doc, donor_at.index(nodes(&doc))).cloned().unwrap_or(Value::Null);
            let target = at.index(nodes(&doc));
            if apply(&mut doc, target, d, &donor) {
                doc = Value::Null;
            }
        }
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        let _ = Scenario::from_json(&text);
    }

    #[test]
    fn truncated_fixtures_never_panic(which in any::<prop::sample::Index>(), cut in any::<prop::sample::Index>()) {
        let files = scenario_files();
        let bytes = std::fs::read(&files[which.index(files.len())]).unwrap_or_default();
        let _ = Scenario::from_slice(&bytes[..cut.index(bytes.len() + 1).min(bytes.len())]);
    }

    #[test]
    fn unordered_lists_in_any_order_give_the_same_scenario(which in any::<prop::sample::Index>(), seed in any::<u64>()) {
        let files = scenario_files();
        let text = std::fs::read_to_string(&files[which.index(files.len())]).unwrap_or_default();
        let original = Scenario::from_json(&text);
        prop_assert!(original.is_ok());
        let mut doc: Value = serde_json::from_str(&text).unwrap_or_default();
        shuffle_unordered(&mut doc, seed);
        let shuffled = Scenario::from_json(&serde_json::to_string(&doc).unwrap_or_default());
        let (Ok(a), Ok(b)) = (original, shuffled) else {
            return Err(TestCaseError::fail("a reordered fixture must load"));
        };
        prop_assert_eq!(a.estate, b.estate);
        prop_assert_eq!(a.state, b.state);
        let (mut wa, mut wb) = (a.warnings.iter().map(|w| (w.rule, w.message.clone())).collect::<Vec<_>>(), b.warnings.iter().map(|w| (w.rule, w.message.clone())).collect::<Vec<_>>());
        wa.sort();
        wb.sort();
        prop_assert_eq!(wa, wb);
    }
}

#[test]
fn loading_the_same_file_twice_gives_the_same_scenario() {
    for path in scenario_files() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            Scenario::from_json(&text),
            Scenario::from_json(&text),
            "{}",
            path.display()
        );
    }
}

/// A small deterministic permutation, so a failing seed replays.
fn permute<T>(items: &mut [T], seed: &mut u64) {
    for i in (1..items.len()).rev() {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = (*seed >> 33) as usize % (i + 1);
        items.swap(i, j);
    }
}

/// Reorders every list whose order means nothing: the site's connection accounts, the
/// package copies and the state's connections keep theirs.
fn shuffle_unordered(doc: &mut Value, mut seed: u64) {
    let seed = &mut seed;
    let ordered = [
        "connection_accounts",
        "copies",
        "connections",
        "network_access_accounts",
        "previous_network_access_accounts",
        "accounts",
    ];
    fn walk(v: &mut Value, key: &str, ordered: &[&str], seed: &mut u64) {
        match v {
            Value::Array(a) => {
                if !ordered.contains(&key) {
                    permute(a, seed);
                }
                for x in a.iter_mut() {
                    walk(x, "", ordered, seed);
                }
            }
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    walk(x, k, ordered, seed);
                }
            }
            _ => {}
        }
    }
    walk(doc, "", &ordered, seed);
}

/// A site may name its client token account `SMSCliSvcAcct&` (A-series: the name is the
/// site's choice): the one local account is then both the token and the service account
/// on every NT client that is not a DC, and the loader must record it as both.
#[test]
fn a_token_account_named_like_the_service_account_is_both() {
    let doc = with_token_named("nt-service-context", "SMSCliSvcAcct&");
    let s = Scenario::from_json(&doc.to_string()).expect("loads");
    let mut seen = 0;
    for m in s.estate.machines() {
        if !m.sms_client || !m.platform.is_nt() || m.platform.is_dc() {
            continue;
        }
        let token = m.token_account.expect("token account");
        assert_eq!(m.service_account, Some(token), "{}", m.name);
        assert_eq!(
            s.estate.account(token).role,
            Some(sms_client_accounts::model::SmsRole::ClientToken),
            "{}: the one account keeps the token's role",
            m.name
        );
        assert!(
            s.estate
                .account(token)
                .name
                .eq_ignore_ascii_case("SMSCliSvcAcct&")
        );
        seen += 1;
    }
    assert!(seen > 0, "the fixture has an NT client that is not a DC");
}

/// Every account and machine is found by its name in any case, and by nothing else:
/// over the fixtures and a generated estate whose domain holds thousands of users
/// (domain accounts are hashed, a machine's few searched in order).
#[test]
fn every_account_and_machine_is_found_by_its_name_in_any_case() {
    use sms_client_accounts::generate::{Spec, generate_json};
    let mut texts: Vec<String> = scenario_files()
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    texts.push(generate_json(Spec {
        clients: 3000,
        advertisements: 2,
        seed: 11,
    }));
    for text in &texts {
        let s = Scenario::from_json(text).expect("a valid scenario");
        let e = &s.estate;
        for id in e.account_ids() {
            let a = e.account(id);
            let q = e.qualified_name(id);
            assert_eq!(e.account_by_name(&q.to_lowercase()), Some(id), "{q}");
            assert_eq!(e.account_by_name(&q.to_uppercase()), Some(id), "{q}");
            assert_eq!(e.account_in(a.store, &a.name), Some(id), "{q}");
            assert_eq!(e.account_by_name(&format!("{q}x")), None, "{q}x");
            assert_eq!(e.same_named_in(id, a.store), Some(id), "{q}");
        }
        for id in e.machine_ids() {
            let m = e.machine(id);
            assert_eq!(e.machine_by_name(&m.name.to_lowercase()), Some(id));
            assert_eq!(e.machine_by_name(&format!("{}_", m.name)), None);
        }
    }
}

/// A group that takes the token and service accounts' name is one problem, not one for
/// each part the account would have played.
#[test]
fn a_group_named_like_the_token_and_service_account_is_one_problem() {
    let mut doc = with_token_named("nt-service-context", "SMSCliSvcAcct&");
    let machines = doc["machines"].as_array_mut().expect("machines");
    let wks = machines
        .iter_mut()
        .find(|m| m["name"] == "WKS1")
        .expect("WKS1");
    wks["local_groups"] = serde_json::json!([{ "name": "SMSCliSvcAcct&" }]);
    let Err(sms_client_accounts::LoadError::Invalid(problems)) =
        Scenario::from_json(&doc.to_string())
    else {
        panic!("a group cannot be the token account");
    };
    let about_group: Vec<_> = problems
        .iter()
        .filter(|p| p.message.contains("is a group"))
        .collect();
    assert_eq!(about_group.len(), 1, "{problems:?}");
    assert!(about_group[0].message.contains("WKS1"), "{problems:?}");
}

/// Only an NT machine with the SMS client has client token and service accounts: a
/// server without the client that happens to have a local user of that name keeps it
/// as an ordinary user.
#[test]
fn a_machine_without_the_client_has_no_token_account() {
    let mut doc = with_token_named("dc-token-account", "SMSCliToknAcct&");
    let machines = doc["machines"].as_array_mut().expect("machines");
    let sms1 = machines
        .iter_mut()
        .find(|m| m["name"] == "SMS1")
        .expect("SMS1");
    assert_eq!(sms1["sms_client"], false);
    sms1["users"] = serde_json::json!(["SMSCliToknAcct&", "SMSCliSvcAcct&"]);
    let s = Scenario::from_json(&doc.to_string()).expect("loads");
    let e = &s.estate;
    let sms1 = e.machine_by_name("SMS1").expect("SMS1");
    assert_eq!(e.machine(sms1).token_account, None);
    assert_eq!(e.machine(sms1).service_account, None);
    for name in ["SMS1\\SMSCliToknAcct&", "SMS1\\SMSCliSvcAcct&"] {
        let a = e.account_by_name(name).expect("declared");
        assert_eq!(e.account(a).role, None, "{name}");
    }
}

/// A member listed twice is one problem at its second place, whether the group's list is
/// short (searched) or long (a flag an account from the sixteenth member on), and the
/// group keeps each member once.
#[test]
fn a_member_listed_twice_is_a_problem_at_its_second_place_in_short_and_long_lists() {
    let users: Vec<String> = (0..24).map(|i| format!("u{i}")).collect();
    let mut members: Vec<String> = users.clone();
    // A repeat among the first sixteen, and two past them: one of an early member, one
    // of a member itself past the sixteenth.
    members.insert(3, "U1".to_string());
    members.push("u2".to_string());
    members.push("u20".to_string());
    let doc = serde_json::json!({
        "schema_version": 1,
        "domains": [{"name": "CORP", "users": users,
                     "global_groups": [{"name": "Staff", "members": members}]}],
        "machines": [{"name": "SMS1", "platform": "nt4_server", "domain": "CORP", "sms_client": false}],
        "site": {"code": "ABC", "domain": "CORP", "distribution_points": ["\\\\SMS1\\PKG"]},
    });
    let Err(sms_client_accounts::LoadError::Invalid(problems)) =
        Scenario::from_json(&doc.to_string())
    else {
        panic!("three members are listed twice");
    };
    let twice: Vec<(&str, &str)> = problems
        .iter()
        .filter(|p| p.message.contains("listed twice"))
        .map(|p| (p.path.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        twice,
        [
            (
                "domains[0].global_groups[0].members[3]",
                "`U1` is listed twice"
            ),
            (
                "domains[0].global_groups[0].members[25]",
                "`u2` is listed twice"
            ),
            (
                "domains[0].global_groups[0].members[26]",
                "`u20` is listed twice"
            ),
        ],
        "{problems:?}"
    );
    assert_eq!(problems.len(), 3, "{problems:?}");
}
