//! Decide a whole estate as a batch: every advertisement on every target client, into
//! reused buffers ([`sms_client_accounts::engine::Batch`]), then count the outcomes and
//! the contexts. This is the path for large estates; with the `parallel` feature,
//! `Batch::fill_parallel` gives the same batch on every core.
//!
//! ```text
//! cargo run --example batch
//! ```

use std::collections::BTreeMap;

use sms_client_accounts::engine::Batch;
use sms_client_accounts::render::summary_class;
use sms_client_accounts::scenario::load_file;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (_, scenario) = load_file(None)?;
    let estate = &scenario.estate;
    let mut batch = Batch::default();
    batch.fill(estate, &scenario.state);
    println!("{} decisions", batch.len());
    // Decisions grouped by their class (outcome, context, launcher, the way to the
    // content), as the decision table groups rows.
    let mut classes: BTreeMap<String, usize> = BTreeMap::new();
    for entry in batch.iter() {
        *classes
            .entry(summary_class(estate, entry.decision))
            .or_default() += 1;
    }
    for (class, n) in classes {
        println!("{n:>3}  {class}");
    }
    Ok(())
}
