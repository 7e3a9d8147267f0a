//! Prints the exhaustive decision table as Markdown: every combination of a decision's
//! finite inputs (see `sms_client_accounts::table`), resolved, and grouped into decision
//! classes, one line per platform, logged-on state, program and decision, with the
//! number of rows in each class. `--configmgr` prints the table of a Configuration
//! Manager site instead, one line per client, logged-on state, program and decision.
//!
//! ```text
//! cargo run --release --example decision_table [-- --configmgr]
//! ```

use std::process::ExitCode;

use sms_client_accounts::table::{Classes, ConfigMgrClasses, for_each_configmgr_row, for_each_row};

mod cli;
use cli::{flag, out};

const USAGE: &str = "usage: decision_table [--configmgr]";

fn main() -> ExitCode {
    let help = "Prints every combination of a decision's finite inputs, resolved and grouped\ninto decision classes, as Markdown; --configmgr: those of a Configuration Manager site.";
    let args = match cli::parse(USAGE, help, &[flag("--configmgr")], 0) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if args.has("--configmgr") {
        let mut classes = ConfigMgrClasses::default();
        for_each_configmgr_row(|inputs, estate, _state, r| classes.add(inputs, estate, r));
        out!("{}", classes.to_markdown());
        return ExitCode::SUCCESS;
    }
    let mut classes = Classes::default();
    for_each_row(|inputs, estate, _state, resolution| classes.add(inputs, estate, resolution));
    out!("{}", classes.to_markdown());
    ExitCode::SUCCESS
}
