//! The examples that teach linking the crate: each runs, exits 0, and prints what its
//! snapshot pins (the library's output on the built-in demo), so an example that drifts
//! from the library fails here. `latency` measures the machine: only its `--help` runs.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The examples are built next to the test binary's folder by `cargo test`.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    let debug = exe
        .parent()
        .and_then(|p| p.parent())
        .map(PathBuf::from)
        .unwrap_or_default();
    debug
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

fn run(name: &str, args: &[&str]) -> Output {
    Command::new(example(name))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run example {name}: {e}"))
}

#[test]
fn every_example_runs_and_prints_what_its_snapshot_pins() {
    for name in ["trace", "batch", "exposure", "timeline"] {
        let o = run(name, &[]);
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        insta::with_settings!({snapshot_path => "snapshots/examples", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(format!("example-{name}"), out);
        });
    }
    // The trace example prints the library's rendering of the decision it makes.
    let o = run("trace", &[]);
    let out = String::from_utf8_lossy(&o.stdout);
    let (_, s) = sms_client_accounts::scenario::load_file(None).unwrap();
    let names = sms_client_accounts::scenario::Resolver(&s.estate);
    let r = sms_client_accounts::engine::resolve(
        &s.estate,
        &s.state,
        names.advertisement("ABC20002").unwrap(),
        names.machine("WKS1").unwrap(),
    );
    assert!(out.starts_with(&sms_client_accounts::render::render_text(&s.estate, &r)));
}

#[test]
fn latency_answers_help_without_measuring() {
    let o = run("latency", &["--help"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("usage: latency"));
}
