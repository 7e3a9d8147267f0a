//! Names: the estate's look-ups by name, and one report of an unknown name wherever a
//! file names it (a scenario's state, its expectations, a timeline's events).

use serde_json::{Value, json};
use sms_client_accounts::scenario::DEMO;
use sms_client_accounts::timeline::load_timeline;
use sms_client_accounts::{LoadError, Scenario};

fn demo() -> Value {
    serde_json::from_str(DEMO).unwrap()
}

/// The messages of a failed load, in order.
fn messages(result: Result<impl std::fmt::Debug, LoadError>) -> Vec<(String, String)> {
    match result {
        Err(LoadError::Invalid(problems)) => {
            problems.into_iter().map(|p| (p.path, p.message)).collect()
        }
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn the_estate_finds_shares_machines_accounts_domains_and_advertisements_by_name() {
    let s = Scenario::from_json(DEMO).unwrap();
    let e = &s.estate;
    let dp = e.share_by_path("\\\\sms1\\smspkgc$").expect("the DP share");
    assert_eq!(e.share_path(dp), "\\\\SMS1\\SMSPKGC$");
    assert_eq!(e.share_by_path("\\\\SMS1\\SMSPKGC$"), Some(dp));
    assert_eq!(e.share_by_path("\\\\SMS1"), None);
    assert_eq!(e.share_by_path("\\\\SMS1\\NOSUCH"), None);
    assert_eq!(e.share_by_path("SMS1\\SMSPKGC$"), None);
    assert_eq!(e.share_by_path("\\\\NOSUCH\\SMSPKGC$"), None);
    let sms1 = e.machine_by_name("sms1").unwrap();
    assert_eq!(e.machine(sms1).name, "SMS1");
    assert_eq!(e.share_on(sms1, "smspkgc$"), Some(dp));
    let alice = e.account_by_name("corp\\ALICE").unwrap();
    assert_eq!(e.qualified_name(alice), "CORP\\alice");
    assert_eq!(e.account_by_name("alice"), None);
    let corp = e.domain_by_name("Corp").unwrap();
    assert_eq!(e.domain(corp).name, "CORP");
    assert!(
        e.accounts_of(sms_client_accounts::model::Store::Domain(corp))
            .iter()
            .any(|a| a.name == "alice")
    );
    let ad = e.advertisement_by_name("abc20001").unwrap();
    assert_eq!(e.advertisement(ad).name, "ABC20001");
    assert_eq!(e.advertisement_by_name("ABC29999"), None);
}

/// What the loader says of an unknown machine and an unknown account in a state logon.
fn loader_words() -> (String, String) {
    let mut doc = demo();
    doc["state"] = json!({"logons": [{"client": "WKS99", "user": "CORP\\alicia"}]});
    let problems = messages(Scenario::from_json(&doc.to_string()));
    assert_eq!(problems.len(), 2, "{problems:?}");
    (problems[0].1.clone(), problems[1].1.clone())
}

#[test]
fn expectations_report_unknown_names_in_the_loaders_words() {
    let (machine, account) = loader_words();
    // The known names come nearest first: `WKS1`..`WKS5` are two edits from `WKS99`
    // (`WKS1` first in name order), `alice` two from `alicia`.
    assert!(
        machine.starts_with("unknown machine `WKS99`; known machines are `WKS1`, `WKS2`"),
        "{machine}"
    );
    assert!(
        account.starts_with("unknown account `alicia` in `CORP`; it has `alice`, "),
        "{account}"
    );
    let mut doc = demo();
    doc["expectations"] = json!([
        {"advertisement": "ABC20001", "client": "WKS99", "outcome": "run",
         "account": "CORP\\alicia", "because": "a test"},
        {"advertisement": "ABC29999", "client": "WKS1", "outcome": "run", "because": "a test"}
    ]);
    let problems = messages(Scenario::from_json(&doc.to_string()));
    let known_ads = "`ABC20001`, `ABC20002`, `ABC20003`, `ABC20004`";
    assert_eq!(
        problems,
        vec![
            // In file order: the keys of this object are written in name order.
            ("expectations[0].account".to_string(), account),
            ("expectations[0].client".to_string(), machine),
            (
                "expectations[1].advertisement".to_string(),
                format!("unknown advertisement `ABC29999`; known advertisements are {known_ads}")
            ),
        ]
    );
}

#[test]
fn timeline_events_report_unknown_names_in_the_loaders_words() {
    let (machine, account) = loader_words();
    let day = json!({
        "schema_version": 1,
        "scenario": "demo",
        "events": [
            {"at": "09:00", "event": {"log_on": {"client": "WKS99", "user": "CORP\\alicia"}}},
            {"at": "09:01", "event": {"trust_added": {"trusting": "NOPE", "trusted": "CORP"}}},
            {"at": "09:02", "event": {"connect": {"client": "WKS1", "session": "interactive",
                "path": "SMS1", "as": "CORP\\alice", "drive": "PP"}}}
        ]
    });
    let problems = messages(load_timeline(&day.to_string()));
    assert_eq!(
        problems,
        vec![
            ("events[0].event.log_on.client".to_string(), machine),
            ("events[0].event.log_on.user".to_string(), account),
            (
                "events[1].event.trust_added.trusting".to_string(),
                "unknown domain `NOPE`; known domains are `CORP`, `LAB`, `RES`".to_string()
            ),
            (
                "events[2].event.connect.path".to_string(),
                "`SMS1` is not a network path; expected `\\\\server` or `\\\\server\\share`"
                    .to_string()
            ),
        ]
    );
}

/// Each machine's "Access this computer from the network" denials, looked up by machine
/// in the sorted side list: a machine's own, never another's, whichever comes first.
#[test]
fn each_machine_denies_its_own_accounts_network_logon() {
    let text = std::fs::read_to_string(
        crate::common::root().join("fixtures/scenarios/configmgr-deny-network-logon.json"),
    )
    .unwrap();
    let mut raw: Value = serde_json::from_str(&text).unwrap();
    // WKS2, after SMS1 in the machine list, denies naa2 as well.
    raw["machines"][2]["deny_network_logon"] = serde_json::json!(["CORP\\naa2"]);
    let s = sms_client_accounts::Scenario::from_json(&raw.to_string()).unwrap();
    let e = &s.estate;
    let m = |n: &str| e.machine_by_name(n).unwrap();
    let a = |n: &str| e.account_by_name(n).unwrap();
    let denied = |machine: &str| -> Vec<sms_client_accounts::model::AccountId> {
        e.network_logon_denied(m(machine)).collect()
    };
    assert_eq!(denied("WKS2"), vec![a("CORP\\naa2")]);
    let mut sms1 = vec![a("CORP\\naa"), a("CORP\\Kiosks")];
    sms1.sort();
    assert_eq!(denied("SMS1"), sms1);
    assert!(denied("WKS1").is_empty());
    assert!(
        e.is_network_logon_denied(m("SMS1"), a("CORP\\WKS2$")),
        "through Kiosks"
    );
    assert!(!e.is_network_logon_denied(m("WKS2"), a("CORP\\naa")));
}
