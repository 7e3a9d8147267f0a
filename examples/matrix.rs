//! Prints SpecterOps' Misconfiguration Manager matrix as this crate transcribed it (see
//! `sms_client_accounts::lineage::matrix`): as Markdown, the techniques the crate's
//! exposure analysis detects with their defences, and those defences with the techniques
//! each lists; with `--json`, every technique, defence and drift pair.
//!
//! ```text
//! cargo run --example matrix            # the detected techniques, as Markdown
//! cargo run --example matrix -- --json  # the whole matrix, as JSON
//! ```
//!
//! Exit codes: 0 printed, 1 it could not be rendered, 2 a usage error.

use std::process::ExitCode;

use sms_client_accounts::lineage::matrix;

mod cli;
use cli::{flag, out, outln};

const USAGE: &str = "usage: matrix [--json]";

const HELP: &str = "Prints the Misconfiguration Manager techniques this crate detects, with their
defences, as Markdown; with --json, every technique, defence and drift pair.";

fn main() -> ExitCode {
    let args = match cli::parse(USAGE, HELP, &[flag("--json")], 0) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if !args.has("--json") {
        out!("{}", matrix::markdown());
        return ExitCode::SUCCESS;
    }
    match serde_json::to_string_pretty(&matrix::json()) {
        Ok(text) => {
            outln!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot render the matrix: {e}");
            ExitCode::from(1)
        }
    }
}
