//! Every fixture through one `check`: valid scenarios load, resolve, meet the
//! expectations written in them, and have their text and JSON traces snapshotted;
//! invalid ones fail with a snapshotted report; the schema's copy matches the code.

use std::collections::BTreeSet;

use sms_client_accounts::Scenario;
use sms_client_accounts::engine::resolve_all;
use sms_client_accounts::render::{render_json_document, render_text};
use sms_client_accounts::rules::{CATALOG, Layer, RuleId};

use crate::common::*;

/// The rules a resolution applied: the rules of its steps and the assumptions it
/// consulted.
fn applied(r: &sms_client_accounts::Resolution) -> impl Iterator<Item = RuleId> + '_ {
    r.trace
        .steps
        .iter()
        .map(|s| s.rule)
        .chain(r.decision.assumptions.iter().map(|a| a.rule()))
}

struct Checked {
    decision_rules: BTreeSet<RuleId>,
    warning_rules: BTreeSet<RuleId>,
}

/// Loads one scenario fixture, checks its expectations and snapshots its traces.
fn check(path: &std::path::Path) -> Checked {
    let name = stem(path);
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let scenario = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{name} must load: {e}"));
    let estate = &scenario.estate;
    let resolutions = resolve_all(estate, &scenario.state);
    assert!(
        !resolutions.is_empty(),
        "{name}: a fixture resolves at least one advertisement"
    );
    assert!(
        name == "demo" || !scenario.expectations.is_empty(),
        "{name}: a fixture states the decisions it expects"
    );
    let failed = sms_client_accounts::verify::check_all(&scenario);
    assert!(
        failed.is_empty(),
        "{name}: {}",
        failed
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let mut out = String::new();
    for w in &scenario.warnings {
        out.push_str(&format!("{w}\n"));
    }
    for r in &resolutions {
        out.push_str(&render_text(estate, r));
        out.push('\n');
    }
    let json = serde_json::to_string_pretty(&render_json_document(estate, &resolutions))
        .unwrap_or_default();
    insta::with_settings!({snapshot_path => "snapshots/fixtures", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(format!("{name}.trace"), out);
        insta::assert_snapshot!(format!("{name}.json"), json);
    });
    Checked {
        decision_rules: resolutions.iter().flat_map(applied).collect(),
        warning_rules: scenario.warnings.iter().map(|w| w.rule).collect(),
    }
}

#[test]
fn every_scenario_fixture_loads_meets_its_expectations_and_matches_its_snapshots() {
    let files = scenario_files();
    assert!(files.len() >= 10, "the fixture corpus is there");
    let mut decision_rules = BTreeSet::new();
    let mut warning_rules = BTreeSet::new();
    for path in &files {
        let checked = check(path);
        decision_rules.extend(checked.decision_rules);
        warning_rules.extend(checked.warning_rules);
    }
    // A validation rule that refuses rather than warns shows in an invalid fixture's
    // report, which names it in parentheses.
    for path in json_files(&root().join("fixtures/invalid")) {
        if let Err(e) = Scenario::from_slice(&std::fs::read(&path).unwrap_or_default()) {
            let report = e.to_string();
            for part in report.split('(').skip(1) {
                let id = part.split(')').next().unwrap_or_default();
                if let Some(rule) = RuleId::parse(id) {
                    warning_rules.insert(rule);
                }
            }
        }
    }
    // A fixture for every decision-layer rule, and a warning (or, for a refusal, an
    // invalid fixture's report) for every validation-layer rule: the corpus shows each
    // rule firing.
    for rule in CATALOG {
        match rule.layer {
            Layer::Decision => assert!(
                decision_rules.contains(&rule.id),
                "no fixture applies decision rule {}",
                rule.id
            ),
            Layer::Validation => assert!(
                warning_rules.contains(&rule.id),
                "no fixture warns or refuses with validation rule {}",
                rule.id
            ),
            // tests/it/import.rs shows every import rule recorded by an import.
            // tests/it/push.rs shows every push rule applied by a fixture.
            Layer::Exposure | Layer::Timeline | Layer::Import | Layer::Push => {}
        }
    }
}

/// "Why not" on every decision of every fixture: each change it lists gives a different
/// decision, and the whole is snapshotted.
#[test]
fn why_not_lists_the_changes_that_change_each_decision() {
    use sms_client_accounts::engine::why_not;
    use sms_client_accounts::render::summary;
    let mut out = String::new();
    for path in scenario_files() {
        let name = stem(&path);
        let s = Scenario::from_json(&std::fs::read_to_string(&path).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
        out.push_str(&format!("## {name}\n"));
        for r in resolve_all(&s.estate, &s.state) {
            out.push_str(&format!(
                "{} on {}: {}\n",
                s.estate.advertisement(r.advertisement).name,
                s.estate.machine(r.client).name,
                summary(&s.estate, &r.decision)
            ));
            for w in why_not(&s.estate, &s.state, &r) {
                let d = &r.decision;
                let changed = (
                    w.decision.outcome,
                    w.decision.launcher,
                    w.decision.context,
                    w.decision.account,
                    w.decision.dp.map(|p| (p.credential, p.via)),
                ) != (
                    d.outcome,
                    d.launcher,
                    d.context,
                    d.account,
                    d.dp.map(|p| (p.credential, p.via)),
                );
                assert!(
                    changed,
                    "{name}: `{}` lists a change that changes nothing",
                    w.change
                );
                out.push_str(&format!(
                    "  - if {}: {}\n",
                    w.change,
                    summary(&s.estate, &w.decision)
                ));
            }
        }
    }
    insta::with_settings!({snapshot_path => "snapshots/fixtures", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("why-not", out);
    });
}

#[test]
fn every_invalid_fixture_fails_with_its_snapshotted_report() {
    let files = json_files(&root().join("fixtures/invalid"));
    assert!(files.len() >= 8, "the invalid corpus is there");
    for path in files {
        let name = stem(&path);
        let bytes = std::fs::read(&path).unwrap_or_default();
        // A file that loads is invalid for its expectations: they must fail.
        let report = match Scenario::from_slice(&bytes) {
            Ok(s) => {
                let failed = sms_client_accounts::verify::check_all(&s);
                assert!(
                    !failed.is_empty(),
                    "{name} is under fixtures/invalid but loads and meets its expectations"
                );
                failed
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            Err(e) => e.to_string(),
        };
        insta::with_settings!({snapshot_path => "snapshots/invalid", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name, report);
        });
    }
}

#[test]
fn the_schema_copy_in_fixtures_matches_the_code() {
    let copy =
        std::fs::read_to_string(root().join("fixtures/scenario.schema.json")).unwrap_or_default();
    let code = serde_json::to_string_pretty(&sms_client_accounts::scenario::json_schema())
        .unwrap_or_default();
    assert_eq!(
        copy.trim_end(),
        code,
        "run `cargo run -- schema -o fixtures/scenario.schema.json`"
    );
}

#[test]
fn every_fixture_validates_against_the_schema_shape() {
    // The schema forbids unknown fields everywhere the loader does: a spot check that
    // the copy says so for the top level and for machines.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/scenario.schema.json")).unwrap_or_default(),
    )
    .unwrap_or_default();
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
    assert_eq!(
        schema["$defs"]["RawMachine"]["additionalProperties"],
        serde_json::json!(false)
    );
    assert!(
        schema["required"]
            .as_array()
            .is_some_and(|r| r.contains(&serde_json::json!("site")))
    );
}

/// The name of the client token account is the site's choice (A-series; Q224286 names
/// the default). Named `SMSCliSvcAcct&` like every member client's service account, or
/// `SMS&_DC1` like DC1's, the one account is both, and keeps the token's part: every
/// decision the fixtures expect is the same, the account's name aside.
#[test]
fn a_token_account_named_like_a_service_account_decides_as_the_token() {
    for (fixture, name) in [
        ("administrators-membership-access", "SMSCliSvcAcct&"),
        ("administrators-membership-transient", "SMSCliSvcAcct&"),
        ("token-administrators-access", "SMSCliSvcAcct&"),
        ("nt-service-context", "SMSCliSvcAcct&"),
        ("dc-token-account", "SMS&_DC1"),
    ] {
        let scenario = Scenario::from_json(&with_token_named(fixture, name).to_string())
            .unwrap_or_else(|e| panic!("{fixture} with `{name}`: {e}"));
        assert!(!scenario.expectations.is_empty(), "{fixture}");
        let failed = sms_client_accounts::verify::check_all(&scenario);
        assert!(
            failed.is_empty(),
            "{fixture} with `{name}`: {}",
            failed
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
