//! Prints the exhaustive decision table as Markdown: every combination of a decision's
//! finite inputs (see `sms_client_accounts::table`), resolved, and grouped into decision
//! classes, one line per platform, logged-on state, program and decision, with the
//! number of rows in each class.
//!
//! ```text
//! cargo run --release --example decision_table
//! ```

use std::process::ExitCode;

use sms_client_accounts::table::{Classes, for_each_row};

mod cli;
use cli::out;

const USAGE: &str = "usage: decision_table";

fn main() -> ExitCode {
    let help = "Prints every combination of a decision's finite inputs, resolved and grouped\ninto decision classes, as Markdown.";
    if let Err(code) = cli::parse(USAGE, help, &[], 0) {
        return code;
    }
    let mut classes = Classes::default();
    for_each_row(|inputs, estate, _state, resolution| classes.add(inputs, estate, resolution));
    out!("{}", classes.to_markdown());
    ExitCode::SUCCESS
}
