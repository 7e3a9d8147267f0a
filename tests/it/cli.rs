//! The tool as a user runs it (the binary `sms-accounts`, not the library): each
//! subcommand's exit codes and output on the fixtures, and the conventions every one
//! keeps (`--help`, `--version`, `-` for standard input, `-o FILE`, completions, a
//! closed pipe).

use std::process::{Command, Output};

use crate::common::*;

/// The binary cargo built for these tests.
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_sms-accounts")
}

/// Runs `sms-accounts SUBCOMMAND ARGS...`.
pub fn run(subcommand: &str, args: &[&str]) -> Output {
    Command::new(binary())
        .arg(subcommand)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run sms-accounts {subcommand}: {e}"))
}

/// The invalid fixture that loads: its expectations fail on purpose.
const LOADS_BUT_FAILS: &str = "expectations-that-fail";

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

#[test]
fn trace_runs_the_demo_with_no_argument() {
    let o = run("trace", &[]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "Pea32.exe",
        "Smsapm32.exe",
        "[NAL-EXISTING]",
        "[NAL-SERVER-SESSION]",
        "[NAL-CURRENT]",
        "[NAL-CONNECTION-ACCOUNTS]",
        "[SWIA-GRANT]",
        "[SVC-TOKEN-DC]",
    ] {
        assert!(out.contains(needle), "the demo shows {needle}");
    }
    insta::with_settings!({snapshot_path => "snapshots/cli", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("trace-demo", out);
    });
}

#[test]
fn trace_prints_json_and_filters_and_why_not() {
    let o = run(
        "trace",
        &["--json", "--advertisement", "ABC20002", "--client", "WKS1"],
    );
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert_eq!(v["schema_version"], 2);
    assert_eq!(v["resolutions"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["resolutions"][0]["decision"]["context"], "service");
    let o = run(
        "trace",
        &[
            "--why-not",
            "--advertisement",
            "ABC20002",
            "--client",
            "WKS1",
        ],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    insta::with_settings!({snapshot_path => "snapshots/cli", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("trace-why-not", out);
    });
}

#[test]
fn trace_exits_0_on_every_valid_fixture_and_1_on_bad_files_and_2_on_usage() {
    for path in scenario_files() {
        let o = run("trace", &[path.to_str().unwrap_or_default()]);
        assert_eq!(
            code(&o),
            0,
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&o.stderr)
        );
    }
    for path in json_files(&root().join("fixtures/invalid")) {
        let o = run("trace", &[path.to_str().unwrap_or_default()]);
        assert_eq!(code(&o), 1, "{}", path.display());
        let err = String::from_utf8_lossy(&o.stderr);
        if stem(&path) == LOADS_BUT_FAILS {
            // It loads and prints its decisions; its expectations fail.
            assert!(
                err.starts_with("expectation failed: expectations[0] (line "),
                "{err}"
            );
            assert!(!o.stdout.is_empty());
        } else {
            assert!(err.starts_with("error: "), "{}: {err}", path.display());
        }
    }
    assert_eq!(code(&run("trace", &["/no/such/file.json"])), 1);
    assert_eq!(code(&run("trace", &["--bogus"])), 2);
    assert_eq!(code(&run("trace", &["a.json", "b.json"])), 2);
    assert_eq!(code(&run("trace", &["--client", "NOPE"])), 1);
}

#[test]
fn validate_summarises_valid_files_and_reports_invalid_ones() {
    assert_eq!(code(&run("validate", &[])), 2);
    let warn = root().join("fixtures/scenarios/should-never-warnings.json");
    let o = run("validate", &[warn.to_str().unwrap_or_default()]);
    assert_eq!(code(&o), 0);
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    // Results on stdout, warnings on stderr.
    assert!(out.contains("is a valid scenario") && !out.contains("warning["));
    assert!(
        err.contains("warning[ACCT-CONN-NO-RIGHTS]")
            && err.contains("warning[SWIA-NO-STANDING-RIGHTS]")
    );
    // At a Configuration Manager site the summary speaks its product: clients, network
    // access accounts, approval, the ways to the content; no SMS 2.0 account.
    let cm = root().join("fixtures/scenarios/configmgr-deny-network-logon.json");
    let o = run("validate", &[cm.to_str().unwrap_or_default()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("2 Configuration Manager clients (2 domain member(s), 0 workgroup)")
            && out.contains("site ABC (Configuration Manager): 2 network access account(s), 0 previous; computers of trusted domains approved automatically; content as the computer account, then the network access accounts; 1 distribution point(s)")
            && !out.contains("Software Installation account")
            && !out.contains("connection account(s)"),
        "{out}"
    );
    for path in json_files(&root().join("fixtures/invalid")) {
        let o = run("validate", &[path.to_str().unwrap_or_default()]);
        assert_eq!(code(&o), 1, "{}", path.display());
        if stem(&path) == LOADS_BUT_FAILS {
            let out = String::from_utf8_lossy(&o.stdout);
            assert!(out.contains("4 expectation(s) failed"), "{out}");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains("context: expected user, got service"), "{err}");
            assert!(err.contains("  because: wrong on purpose"), "{err}");
        } else {
            assert!(o.stdout.is_empty(), "the report goes to stderr");
        }
    }
}

#[test]
fn schema_prints_the_committed_schema() {
    let o = run("schema", &[]);
    assert_eq!(code(&o), 0);
    let copy =
        std::fs::read_to_string(root().join("fixtures/scenario.schema.json")).unwrap_or_default();
    assert_eq!(String::from_utf8_lossy(&o.stdout), copy);
}

/// The traceability matrix: every rule of a built layer has a property test naming it
/// and a fixture showing it; none is pending.
#[test]
fn traceability_covers_every_rule_of_the_built_layers() {
    let o = run("traceability", &[]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        code(&o),
        0,
        "a rule of a built layer lacks a property test or a fixture:\n{out}"
    );
    assert!(!out.contains("MISSING"));
    let pending = out.lines().filter(|l| l.ends_with("| pending |")).count();
    assert_eq!(pending, 0, "every layer is built: no rule is pending");
    insta::with_settings!({snapshot_path => "snapshots/cli", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("traceability", out);
    });
}

#[test]
fn exposure_prints_findings_exports_and_queries() {
    let o = run("exposure", &[]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("dc-token-account-shared")
            && out.contains("software-installation-password-on-clients")
    );
    insta::with_settings!({snapshot_path => "snapshots/cli", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("exposure-demo", out);
    });
    for flag in ["--json", "--opengraph"] {
        let o = run("exposure", &[flag]);
        assert_eq!(code(&o), 0);
        assert!(
            serde_json::from_slice::<serde_json::Value>(&o.stdout).is_ok(),
            "{flag} prints JSON"
        );
    }
    let dot = run("exposure", &["--dot"]);
    assert!(String::from_utf8_lossy(&dot.stdout).starts_with("digraph exposure {"));
    let q = run("exposure", &["--credential", "WKS1\\SMSCliToknAcct&"]);
    assert_eq!(code(&q), 0);
    assert!(String::from_utf8_lossy(&q.stdout).contains("administrator of WKS1"));
    assert_eq!(
        code(&run("exposure", &["--client", "WKS1", "--transitive"])),
        0
    );
    // Issue 14's example: RESWKS2 of exposure-estate, directly and transitively.
    let estate = root().join("fixtures/scenarios/exposure-estate.json");
    let estate = estate.to_str().unwrap_or_default();
    let direct = run(
        "exposure",
        &[
            estate,
            "--client",
            "RESWKS2",
            "--target",
            "CORP\\Domain Admins",
        ],
    );
    let direct = String::from_utf8_lossy(&direct.stdout).into_owned();
    assert!(
        direct.contains("- administrator of DC1 while `Mail` runs on DC2\n"),
        "{direct}"
    );
    assert!(
        direct.contains("target CORP\\Domain Admins: not reached; 2 fact(s) one step from it:"),
        "{direct}"
    );
    let transitive = run(
        "exposure",
        &[
            estate,
            "--client",
            "RESWKS2",
            "--transitive",
            "--target",
            "CORP\\Domain Admins",
        ],
    );
    let transitive = String::from_utf8_lossy(&transitive.stdout).into_owned();
    assert!(transitive.contains("- member of CORP\\Domain Admins (needs: `Mail` runs on DC2)\n    RESWKS2 -stores-> site ABC client data [A15]\n    site ABC client data -reveals-> CORP\\SMSInstall [A15]\n    CORP\\SMSInstall -admin_while_runs(Mail)-> DC2 [D2]\n    DC2 -stores-> CORP account database [X-DC-DATABASE]\n    CORP account database -reveals-> CORP\\bob [X-DC-DATABASE]\n    CORP\\bob -member_of-> CORP\\Domain Admins [X-CONFIGURED]\n"), "{transitive}");
    assert!(
        transitive.contains("target CORP\\Domain Admins: reached"),
        "{transitive}"
    );
    assert_eq!(code(&run("exposure", &["--target", "DC1"])), 2);
    assert_eq!(
        code(&run(
            "exposure",
            &["--client", "WKS1", "--target", "NOSUCH"]
        )),
        1
    );
    assert_eq!(code(&run("exposure", &["--credential", "CORP\\nobody"])), 1);
    assert_eq!(code(&run("exposure", &["--credential"])), 2);
    assert_eq!(code(&run("exposure", &["--bogus"])), 2);
    assert_eq!(code(&run("exposure", &["/no/such/file.json"])), 1);
    for path in json_files(&root().join("fixtures/invalid")) {
        if stem(&path) != LOADS_BUT_FAILS {
            assert_eq!(
                code(&run("exposure", &[path.to_str().unwrap_or_default()])),
                1
            );
        }
    }
}

#[test]
fn timeline_replays_the_built_in_day_and_files() {
    let o = run("timeline", &[]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("[X-REBOOT-CLEANUP]")
            && out.contains("[X-DP-RETRY]")
            && out.contains("is locked out")
    );
    let j = run("timeline", &["--json"]);
    let v: serde_json::Value = serde_json::from_slice(&j.stdout).unwrap_or_default();
    assert_eq!(v["schema_version"], 2);
    for path in json_files(&root().join("fixtures/timelines")) {
        assert_eq!(
            code(&run("timeline", &[path.to_str().unwrap_or_default()])),
            0,
            "{}",
            path.display()
        );
    }
    let scenario = root().join("fixtures/scenarios/demo.json");
    assert_eq!(
        code(&run("timeline", &[scenario.to_str().unwrap_or_default()])),
        1,
        "a scenario is not a timeline"
    );
    assert_eq!(code(&run("timeline", &["/no/such/file.json"])), 1);
    assert_eq!(code(&run("timeline", &["--bogus"])), 2);
}

#[test]
fn estate_generates_and_times_every_phase() {
    let o = run("estate", &["--clients", "400", "--seed", "3", "--ads", "4"]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    for phase in [
        "generation:",
        "load:",
        "decisions:",
        "exposure:",
        "peak memory:",
    ] {
        assert!(
            out.lines().any(|l| l.starts_with(phase)),
            "{phase} in\n{out}"
        );
    }
    assert_eq!(code(&run("estate", &["--clients", "zero"])), 2);
    assert_eq!(code(&run("estate", &["--bogus"])), 2);
    assert_eq!(code(&run("estate", &["--clients"])), 2);
}

/// A subcommand whose reader goes away (`| head`) stops quietly: no panic.
#[test]
fn subcommands_survive_a_closed_pipe() {
    use std::process::Stdio;
    for (name, args) in [
        ("trace", vec![]),
        ("exposure", vec!["--json"]),
        ("timeline", vec![]),
        ("table", vec!["--configmgr"]),
        ("matrix", vec!["--json"]),
    ] {
        let mut child = Command::new(binary())
            .arg(name)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        drop(child.stdout.take());
        let o = child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            !String::from_utf8_lossy(&o.stderr).contains("panicked"),
            "{name} panicked on a closed pipe"
        );
    }
}

const SUBCOMMANDS: [&str; 10] = [
    "trace",
    "validate",
    "schema",
    "exposure",
    "timeline",
    "estate",
    "table",
    "traceability",
    "matrix",
    "completions",
];

#[test]
fn every_subcommand_answers_help_with_its_usage_and_an_unknown_option_with_exit_2() {
    for name in SUBCOMMANDS {
        for help in ["--help", "-h"] {
            let o = run(name, &[help]);
            assert_eq!(code(&o), 0, "{name} {help}");
            let out = String::from_utf8_lossy(&o.stdout);
            assert!(
                out.contains(&format!("Usage: sms-accounts {name}")),
                "{name}: {out}"
            );
            assert!(o.stderr.is_empty(), "{name}");
        }
        let o = run(name, &["--no-such-option"]);
        assert_eq!(code(&o), 2, "{name}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.starts_with("error: unexpected argument '--no-such-option'")
                && err.contains(&format!("Usage: sms-accounts {name}")),
            "{name}: {err}"
        );
        assert!(o.stdout.is_empty(), "{name}");
    }
    // The program: its help lists every subcommand; an unknown one is a usage error
    // that names the nearest; `--version` prints the crate's version.
    let o = Command::new(binary())
        .arg("--help")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        SUBCOMMANDS.iter().all(|s| out.contains(&format!("  {s} "))),
        "{out}"
    );
    let o = Command::new(binary())
        .arg("trcae")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&o), 2);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("unrecognized subcommand 'trcae'") && err.contains("'trace'"),
        "{err}"
    );
    let o = Command::new(binary())
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&o), 0);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        format!("sms-accounts {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn conflicting_or_repeated_options_are_usage_errors() {
    for (name, args) in [
        ("trace", &["--json", "--summary"][..]),
        ("trace", &["--json", "--json"]),
        ("trace", &["--explain", "A1", "--json"]),
        ("exposure", &["--json", "--dot"]),
        (
            "exposure",
            &["--credential", "CORP\\bob", "--client", "WKS1"],
        ),
        ("exposure", &["--dot", "--client", "WKS1"]),
        ("exposure", &["--transitive"]),
        ("schema", &["--for", "nothing"]),
        ("table", &["extra"]),
    ] {
        let o = run(name, args);
        assert_eq!(code(&o), 2, "{name} {args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: "));
    }
}

#[test]
fn trace_summarises_explains_and_answers_unknown_names_with_the_nearest() {
    let o = run("trace", &["--summary"]);
    assert_eq!(code(&o), 0);
    let out = String::from_utf8_lossy(&o.stdout);
    // The demo makes 20 decisions: one line each.
    assert_eq!(out.lines().count(), 20, "{out}");
    assert!(
        out.contains(
            "ABC20002 on WKS1: runs; service context WKS1\\SMSCliToknAcct& by Smsapm32.exe"
        )
    );
    // The demo's warning goes to stderr.
    assert!(String::from_utf8_lossy(&o.stderr).contains("warning[SWIA-REQUIREMENTS]"));
    let o = run("trace", &["--explain", "nal-server-session"]);
    assert_eq!(code(&o), 0);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("NAL-SERVER-SESSION: "), "{out}");
    assert!(out.contains("  kind: stated") && out.contains("  layer: decision"));
    assert!(
        out.contains("  source: Q224286, Connection to Distribution Point"),
        "{out}"
    );
    assert_eq!(code(&run("trace", &["--explain", "NO-SUCH-RULE"])), 1);
    let o = run("trace", &["--client", "WKS11"]);
    assert_eq!(code(&o), 1);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("error: `--client`: unknown machine `WKS11`; known machines are `WKS1`, "),
        "{err}"
    );
}

/// The matrix prints what `lineage::matrix` renders: Markdown with no argument, the JSON
/// with `--json`; anything else is a usage error.
#[test]
fn matrix_prints_the_markdown_or_the_json_and_refuses_anything_else() {
    use sms_client_accounts::lineage::matrix;
    let o = run("matrix", &[]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout), matrix::markdown());
    let o = run("matrix", &["--json"]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert_eq!(v, matrix::json());
    for args in [&["--csv"][..], &["extra"], &["--json", "--json"]] {
        let o = run("matrix", args);
        assert_eq!(code(&o), 2, "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.starts_with("error: ") && err.contains("Usage: sms-accounts matrix"),
            "{err}"
        );
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

/// `-o FILE` writes what standard output would have held, and nothing when the file it
/// reads is bad; `-` reads standard input; `completions` prints a script for each shell.
#[test]
fn output_files_standard_input_and_completions() {
    use std::io::Write as _;
    use std::process::Stdio;
    let dir = std::env::temp_dir().join(format!("sms-accounts-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fixture = root().join("fixtures/scenarios/configmgr-deny-network-logon.json");
    let fixture = fixture.to_str().unwrap_or_default();
    for (name, args) in [
        ("trace", vec![fixture, "--json"]),
        ("exposure", vec![fixture, "--opengraph"]),
        ("validate", vec![fixture]),
        ("schema", vec!["--for", "exposure"]),
        ("matrix", vec![]),
        ("timeline", vec!["--json"]),
    ] {
        let stdout = run(name, &args);
        assert_eq!(code(&stdout), 0, "{name}");
        let file = dir.join(format!("{name}.out"));
        let mut with_o = args.clone();
        with_o.extend(["-o", file.to_str().unwrap_or_default()]);
        let o = run(name, &with_o);
        assert_eq!(code(&o), 0, "{name} -o");
        assert!(o.stdout.is_empty(), "{name} -o prints nothing");
        assert_eq!(std::fs::read(&file).unwrap(), stdout.stdout, "{name} -o");
    }
    // A bad file: exit 1, the error on stderr, no file written.
    let bad = root().join("fixtures/invalid/unknown-field.json");
    let file = dir.join("never.json");
    let o = run(
        "trace",
        &[
            bad.to_str().unwrap_or_default(),
            "-o",
            file.to_str().unwrap_or_default(),
        ],
    );
    assert_eq!(code(&o), 1);
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: "));
    assert!(!file.exists(), "nothing written after a bad file");
    // `-`: standard input, for a scenario and for a timeline with its scenario inline.
    for (name, path) in [
        ("trace", "fixtures/scenarios/configmgr-default-read.json"),
        ("validate", "fixtures/scenarios/configmgr-default-read.json"),
        ("timeline", "fixtures/timelines/configmgr-naa-change.json"),
    ] {
        let text = std::fs::read(root().join(path)).unwrap();
        let mut child = Command::new(binary())
            .args([name, "-", "--help"].iter().take(2))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&text).unwrap();
        let o = child.wait_with_output().unwrap();
        assert_eq!(
            code(&o),
            0,
            "{name} -: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let from_file = run(name, &[root().join(path).to_str().unwrap_or_default()]);
        let (a, b) = (
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&from_file.stdout),
        );
        // The same output, but for the name of the input.
        let name_of =
            |s: &str| s.replace(&root().join(path).display().to_string(), "standard input");
        assert_eq!(a, name_of(&b), "{name} -");
    }
    for shell in ["bash", "zsh", "fish"] {
        let o = run("completions", &[shell]);
        assert_eq!(code(&o), 0, "{shell}");
        let script = String::from_utf8_lossy(&o.stdout);
        assert!(
            script.contains("sms-accounts") && script.contains("exposure"),
            "{shell}"
        );
    }
    assert_eq!(code(&run("completions", &["powershell-9"])), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `table --configmgr` prints the library's Configuration Manager table, byte for byte.
#[test]
fn table_prints_the_library_table() {
    use sms_client_accounts::table::{ConfigMgrClasses, for_each_configmgr_row};
    let o = run("table", &["--configmgr"]);
    assert_eq!(code(&o), 0);
    let mut classes = ConfigMgrClasses::default();
    for_each_configmgr_row(|i, e, _, r| classes.add(i, e, r));
    assert_eq!(String::from_utf8_lossy(&o.stdout), classes.to_markdown());
}

/// `exposure --opengraph -o DIR` writes the split export's three documents there, the
/// library's bytes; `-o FILE.json` keeps the one document.
#[test]
fn exposure_writes_the_split_opengraph_export_into_a_folder() {
    use sms_client_accounts::exposure::Exposure;
    use sms_client_accounts::exposure::opengraph::to_opengraph_split;
    let dir = std::env::temp_dir().join(format!("sms-accounts-og-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let fixture = root().join("fixtures/scenarios/configmgr-external-ids.json");
    let o = run(
        "exposure",
        &[
            fixture.to_str().unwrap_or_default(),
            "--opengraph",
            "-o",
            dir.to_str().unwrap_or_default(),
        ],
    );
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty());
    let s = sms_client_accounts::Scenario::from_json(&std::fs::read_to_string(&fixture).unwrap())
        .unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    for (name, doc) in to_opengraph_split(&s.estate, &x).files() {
        let written: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join(name)).unwrap()).unwrap();
        assert_eq!(&written, doc, "{name}");
    }
    let file = dir.join("one.json");
    let o = run(
        "exposure",
        &[
            fixture.to_str().unwrap_or_default(),
            "--opengraph",
            "-o",
            file.to_str().unwrap_or_default(),
        ],
    );
    assert_eq!(code(&o), 0);
    let one: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(one["metadata"]["source_kind"], "SMS2");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `import cmbp`: the scenario on standard output or in `-o FILE`, a summary on standard
/// error; exit 2 when the command line must choose, 1 for a bad file; nothing written
/// on either.
#[cfg(feature = "import")]
#[test]
fn import_writes_a_scenario_that_validates_or_nothing() {
    let dir = std::env::temp_dir().join(format!("sms-accounts-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("estate.json");
    // A file left by an earlier run whose process had the same id.
    let _ = std::fs::remove_file(&out);
    let out_arg = out.to_str().unwrap();
    let c = root().join("fixtures/collections");
    let (privileged, sites, sharphound) = (
        c.join("cmbp-privileged.zip"),
        c.join("cmbp-sites"),
        c.join("sharphound"),
    );
    let (p, s, h) = (
        privileged.to_str().unwrap(),
        sites.to_str().unwrap(),
        sharphound.to_str().unwrap(),
    );
    // Two stored accounts and no --naa: exit 2, the accounts listed, nothing written.
    let o = run("import", &["cmbp", p, "--sharphound", h, "-o", out_arg]);
    assert_eq!(code(&o), 2);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--naa") && err.contains("CORP\\push"), "{err}");
    assert!(!out.exists());
    // Several primaries and no --site: exit 2.
    let o = run("import", &["cmbp", s, "-o", out_arg]);
    assert_eq!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.exists());
    // A bad file: exit 1, nothing written.
    let bad = c.join("invalid/truncated.zip");
    let o = run("import", &["cmbp", bad.to_str().unwrap(), "-o", out_arg]);
    assert_eq!(code(&o), 1);
    assert!(!out.exists());
    // Given the NAA: exit 0, a summary, a scenario that validates.
    let o = run(
        "import",
        &[
            "cmbp",
            p,
            "--sharphound",
            h,
            "--naa",
            "CORP\\naa",
            "-o",
            out_arg,
        ],
    );
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("imported site P01") && err.contains("4 client(s) (1 inferred)"),
        "{err}"
    );
    let o = run("validate", &[out_arg]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    // Standard output without -o.
    let o = run("import", &["cmbp", s, "--site", "P02"]);
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["site"]["code"], "P02");
    std::fs::remove_dir_all(&dir).ok();
}

/// `push`: text and JSON of a site's client push, one target with `--target`; a target
/// the site does not push to, exit 1.
#[test]
fn push_prints_each_target_s_tries() {
    let file = root().join("fixtures/scenarios/push-ntlm-bug-2107.json");
    let f = file.to_str().unwrap();
    let o = run("push", &[f]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("then queries WMI over NTLM [CM-PUSH-NTLM-BUG]"),
        "{out}"
    );
    let o = run("push", &[f, "--json", "--target", "FARWKS"]);
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["targets"].as_array().unwrap().len(), 1);
    assert_eq!(
        v["targets"][0]["ntlm_received"].as_array().unwrap().len(),
        3
    );
    let o = run("push", &[f, "--target", "SS"]);
    assert_eq!(code(&o), 1, "the site server is no push target");
    let o = run("push", &[f, "--target", "NOPE"]);
    assert_eq!(code(&o), 1);
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown machine `NOPE`"));
}
