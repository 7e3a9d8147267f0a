//! Prints the JSON Schema of the scenario format, for editors that validate and complete
//! scenario files. A copy lives at `fixtures/scenario.schema.json`; a test fails when
//! the two drift apart.
//!
//! ```text
//! cargo run --example schema > fixtures/scenario.schema.json
//! ```

use std::process::ExitCode;

/// Writes to standard output; a closed pipe (`| head`) ends the output quietly instead
/// of panicking.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

fn main() -> ExitCode {
    match serde_json::to_string_pretty(&sms_client_accounts::scenario::json_schema()) {
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
