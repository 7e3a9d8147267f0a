//! Prints the JSON Schema of a file this crate reads or writes, for editors that validate
//! and complete scenario files and for tools that read its output. Copies live at
//! `fixtures/NAME.schema.json`; a test fails when one drifts from the code.
//!
//! ```text
//! cargo run --example schema                         # the scenario format
//! cargo run --example schema -- --for decisions      # trace --json
//! cargo run --example schema -- --for exposure       # exposure --json
//! cargo run --example schema -- --for timeline       # timeline files
//! cargo run --example schema -- --for timeline-output  # timeline --json
//! ```
//!
//! Exit codes: 0 printed, 1 it could not be rendered, 2 a usage error.

use std::process::ExitCode;

mod cli;
use cli::{outln, valued};

const USAGE: &str = "usage: schema [--for scenario|timeline|decisions|exposure|timeline-output]";

const HELP: &str = "Prints the JSON Schema of the scenario format, or of the file named by --for:
  scenario          scenario files (the default)
  timeline          timeline files
  decisions         what `trace --json` prints
  exposure          what `exposure --json` prints
  timeline-output   what `timeline --json` prints";

fn main() -> ExitCode {
    let args = match cli::parse(USAGE, HELP, &[valued("--for", "file kind")], 0) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let wanted = args.value("--for").unwrap_or("scenario");
    let schemas = sms_client_accounts::json_schemas();
    let Some((_, schema)) = schemas.iter().find(|(name, _)| *name == wanted) else {
        let known: Vec<&str> = schemas.iter().map(|(n, _)| *n).collect();
        return cli::usage_error(
            USAGE,
            &format!(
                "unknown file kind `{wanted}`; known kinds are {}",
                known.join(", ")
            ),
        );
    };
    match serde_json::to_string_pretty(schema) {
        Ok(text) => {
            outln!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot render the schema: {e}");
            ExitCode::from(1)
        }
    }
}
