//! Checks a scenario file: prints a summary of the estate and its warnings and exits 0
//! when it is valid; prints the report on stderr and exits 1 when it is not; exits 2
//! when called without exactly one file.
//!
//! ```text
//! cargo run --example validate -- fixtures/scenarios/demo.json
//! ```

use std::process::ExitCode;

use sms_client_accounts::scenario::load_file;

mod cli;
use cli::outln;

const USAGE: &str = "usage: validate FILE";

const HELP: &str = "Checks a scenario file: loads it, prints a summary of the estate and its
warnings (on standard error), and checks the file's expectations against the engine.
Exits 0 when it is valid and every expectation holds, 1 when it cannot be loaded or an
expectation fails, 2 without exactly one file.";

fn main() -> ExitCode {
    let args = match cli::parse(USAGE, HELP, &[], 1) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let Some(path) = args.positional.first() else {
        return cli::usage_error(USAGE, "a scenario file is needed");
    };
    let scenario = match load_file(Some(path)) {
        Ok((_, s)) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let e = &scenario.estate;
    outln!("`{path}` is a valid scenario");
    for line in sms_client_accounts::render::estate_summary(e) {
        outln!("  {line}");
    }
    let pairs: usize = e.advertisements().iter().map(|a| a.targets.len()).sum();
    outln!(
        "  {} package(s), {} program(s), {} advertisement(s), {} decision(s) to make, {} expectation(s), {} exposure expectation(s)",
        e.packages().len(),
        e.programs().len(),
        e.advertisements().len(),
        pairs,
        scenario.expectations.len(),
        scenario.exposure_expectations.len()
    );
    outln!("  {} warning(s)", scenario.warnings.len());
    for w in &scenario.warnings {
        eprintln!("{w}");
    }
    let failed = sms_client_accounts::verify::check_all(&scenario);
    for f in &failed {
        eprintln!("{f}");
    }
    if failed.is_empty() {
        outln!("  every expectation holds");
        ExitCode::SUCCESS
    } else {
        outln!("  {} expectation(s) failed", failed.len());
        ExitCode::from(1)
    }
}
