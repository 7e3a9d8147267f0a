//! `validate`: a scenario file loaded, summarised in its site's product's words, its
//! warnings shown and its expectations checked.

use super::{Done, Out, OutputArg, load_scenario};

/// `validate`'s arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The scenario file (`-`: standard input).
    #[arg(value_name = "FILE")]
    file: String,
    #[command(flatten)]
    pub(crate) output: OutputArg,
}

/// Runs `validate`.
pub(crate) fn run(args: &Args, out: &mut Out) -> Done {
    let (name, scenario) = load_scenario(Some(&args.file))?;
    let e = &scenario.estate;
    out.line(&format!("`{name}` is a valid scenario"));
    for line in sms_client_accounts::render::estate_summary(e) {
        out.line(&format!("  {line}"));
    }
    let pairs: usize = e.advertisements().iter().map(|a| a.targets.len()).sum();
    out.line(&format!(
        "  {} package(s), {} program(s), {} advertisement(s), {} decision(s) to make, {} expectation(s), {} exposure expectation(s)",
        e.packages().len(),
        e.programs().len(),
        e.advertisements().len(),
        pairs,
        scenario.expectations.len(),
        scenario.exposure_expectations.len()
    ));
    out.line(&format!("  {} warning(s)", scenario.warnings.len()));
    for w in &scenario.warnings {
        eprintln!("{w}");
    }
    let failed = sms_client_accounts::verify::check_all(&scenario);
    for f in &failed {
        eprintln!("{f}");
    }
    if failed.is_empty() {
        out.line("  every expectation holds");
        Ok(0)
    } else {
        out.line(&format!("  {} expectation(s) failed", failed.len()));
        Ok(1)
    }
}
