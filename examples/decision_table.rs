//! Prints the exhaustive decision table as Markdown: every combination of a decision's
//! finite inputs (see `sms_client_accounts::table`), resolved, and grouped into decision
//! classes, one line per platform, logged-on state, program and decision, with the
//! number of rows in each class.
//!
//! ```text
//! cargo run --release --example decision_table
//! ```

use sms_client_accounts::table::{Classes, for_each_row};

/// Writes to standard output; a closed pipe (`| head`) ends the output quietly instead
/// of panicking.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($t)*);
    }};
}

fn main() {
    let mut classes = Classes::default();
    for_each_row(|inputs, estate, _state, resolution| classes.add(inputs, estate, resolution));
    out!("{}", classes.to_markdown());
}
