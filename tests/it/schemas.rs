//! Every file in and out against its JSON Schema, with a real validator (`jsonschema`,
//! no HTTP resolving): the committed copies in `fixtures/NAME.schema.json` match the
//! code; every scenario and timeline fixture, every JSON snapshot and every example's
//! JSON output validates against the schema of its kind.

use serde_json::Value;

use crate::common::*;

fn validator(kind: &str) -> jsonschema::Validator {
    let path = root().join(format!("fixtures/{kind}.schema.json"));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{kind}: {e}"))
}

fn assert_valid(kind: &str, what: &str, doc: &Value) {
    let v = validator(kind);
    let errors: Vec<String> = v
        .iter_errors(doc)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} against {kind}.schema.json: {errors:#?}"
    );
}

/// The JSON body of an insta snapshot file (after its `---` header).
fn snapshot_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let body = text.splitn(3, "---\n").nth(2).unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[cfg(feature = "cli")]
fn tool_json(name: &str, args: &[&str]) -> Value {
    let o = crate::cli::run(name, args);
    assert!(
        o.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{name} {args:?}: {e}"))
}

#[test]
fn the_schema_copies_in_fixtures_match_the_code() {
    for (kind, schema) in sms_client_accounts::json_schemas() {
        let path = root().join(format!("fixtures/{kind}.schema.json"));
        let copy = std::fs::read_to_string(&path).unwrap_or_default();
        let code = serde_json::to_string_pretty(&schema).unwrap();
        assert!(
            copy.trim_end() == code,
            "stale: run `cargo run -- schema --for {kind} -o fixtures/{kind}.schema.json`"
        );
    }
}

#[test]
fn every_fixture_file_validates_against_its_input_schema() {
    for path in scenario_files() {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_valid("scenario", &stem(&path), &doc);
    }
    for path in json_files(&root().join("fixtures/timelines")) {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_valid("timeline", &stem(&path), &doc);
    }
    // What `import cmbp` writes is a scenario of the same schema, `imported` included.
    let imported = json_files(&root().join("fixtures/imported"));
    assert!(imported.len() >= 4);
    for path in imported {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert!(doc["imported"].is_object());
        assert_valid("scenario", &stem(&path), &doc);
    }
    // The validator is not a rubber stamp: a scenario with an unknown field fails.
    let mut bad: Value = serde_json::from_str(sms_client_accounts::scenario::DEMO).unwrap();
    bad["no_such_field"] = Value::Bool(true);
    assert!(!validator("scenario").is_valid(&bad));
}

#[test]
fn every_json_snapshot_validates_against_its_output_schema() {
    let mut checked = 0;
    for path in std::fs::read_dir(root().join("tests/it/snapshots/fixtures")).unwrap() {
        let path = path.unwrap().path();
        if path.to_string_lossy().ends_with(".json.snap") {
            assert_valid(
                "decisions",
                &path.display().to_string(),
                &snapshot_json(&path),
            );
            checked += 1;
        }
    }
    assert!(checked >= 24, "{checked} decision snapshots");
    let exposure = root().join("tests/it/snapshots/exposure/exposure-estate.json.snap");
    assert_valid(
        "exposure",
        "exposure-estate.json",
        &snapshot_json(&exposure),
    );
    // A decisions document with a wrong outcome does not validate.
    let mut bad = snapshot_json(&root().join("tests/it/snapshots/fixtures/demo.json.snap"));
    bad["resolutions"][0]["decision"]["outcome"] = Value::from("maybe");
    assert!(!validator("decisions").is_valid(&bad));
}

#[cfg(feature = "cli")]
#[test]
fn every_json_output_of_the_tool_validates_against_its_schema() {
    let exposure_estate = root().join("fixtures/scenarios/exposure-estate.json");
    let exposure_estate = exposure_estate.to_str().unwrap();
    assert_valid(
        "decisions",
        "trace --json",
        &tool_json("trace", &["--json"]),
    );
    assert_valid(
        "decisions",
        "trace --json --why-not",
        &tool_json("trace", &["--json", "--why-not", "--client", "WKS1"]),
    );
    assert_valid(
        "exposure",
        "exposure --json",
        &tool_json("exposure", &["--json"]),
    );
    for args in [
        &["--credential", "CORP\\SMSInstall", "--json"][..],
        &["--client", "RESWKS2", "--json", "--transitive"],
        &["--client", "RESWKS2", "--json", "--target", "RESDC"],
        &[
            "--client",
            "RESWKS2",
            "--json",
            "--transitive",
            "--target",
            "CORP\\Domain Admins",
        ],
    ] {
        let mut all = vec![exposure_estate];
        all.extend_from_slice(args);
        let doc = tool_json("exposure", &all);
        assert!(!doc["compromise"]["reached"].as_array().unwrap().is_empty());
        assert_valid("exposure", &format!("exposure {args:?}"), &doc);
    }
    assert_valid(
        "timeline-output",
        "timeline --json",
        &tool_json("timeline", &["--json"]),
    );
    for path in json_files(&root().join("fixtures/timelines")) {
        let doc = tool_json("timeline", &[path.to_str().unwrap(), "--json"]);
        assert_valid("timeline-output", &stem(&path), &doc);
    }
}
