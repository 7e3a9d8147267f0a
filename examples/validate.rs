//! Checks a scenario file: prints a summary of the estate and its warnings and exits 0
//! when it is valid; prints the report on stderr and exits 1 when it is not; exits 2
//! when called without exactly one file.
//!
//! ```text
//! cargo run --example validate -- fixtures/scenarios/demo.json
//! ```

use std::process::ExitCode;

use sms_client_accounts::model::Platform;
use sms_client_accounts::scenario::load_file;

/// Writes to standard output; a closed pipe (`| head`) ends the output quietly instead
/// of panicking.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path] = args.as_slice() else {
        eprintln!(
            "usage: validate FILE\n  checks a scenario file and prints its summary and warnings"
        );
        return ExitCode::from(2);
    };
    let scenario = match load_file(Some(path)) {
        Ok((_, s)) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let e = &scenario.estate;
    let count = |f: fn(Platform) -> bool| {
        e.machines()
            .iter()
            .filter(|m| m.sms_client && f(m.platform))
            .count()
    };
    outln!("`{path}` is a valid scenario");
    outln!(
        "  {} domain(s), {} machine(s): {} Windows 95/98, {} NT workstation/server and {} DC SMS clients",
        e.domains().len(),
        e.machines().len(),
        count(Platform::is_win9x),
        count(|p| p.is_nt() && !p.is_dc()),
        count(Platform::is_dc)
    );
    let site = e.site();
    outln!(
        "  site {}: {} connection account(s), Software Installation account {}, {} distribution point(s)",
        site.code,
        site.connection_accounts.len(),
        site.software_installation_account
            .map_or("none".to_string(), |a| e.qualified_name(a)),
        site.distribution_points.len()
    );
    let pairs: usize = e.advertisements().iter().map(|a| a.targets.len()).sum();
    outln!(
        "  {} package(s), {} program(s), {} advertisement(s), {} decision(s) to make, {} expectation(s)",
        e.packages().len(),
        e.programs().len(),
        e.advertisements().len(),
        pairs,
        scenario.expectations.len()
    );
    outln!("  {} warning(s)", scenario.warnings.len());
    for w in &scenario.warnings {
        outln!("{w}");
    }
    ExitCode::SUCCESS
}
