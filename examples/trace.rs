//! Decide one advertisement on one client and read its trace: the library's main entry
//! point, [`sms_client_accounts::engine::resolve`], on the built-in demo estate. It
//! prints the decision as the tool's `trace` does, then walks the typed steps: each
//! names the rule it applied and what it looked at.
//!
//! ```text
//! cargo run --example trace
//! ```

use sms_client_accounts::engine::resolve;
use sms_client_accounts::render::{render_text, summary};
use sms_client_accounts::scenario::{Resolver, load_file};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // No path: the built-in demo estate.
    let (_, scenario) = load_file(None)?;
    let estate = &scenario.estate;
    // Names as a user writes them; an unknown one is an error naming the nearest.
    let names = Resolver(estate);
    let ad = names.advertisement("ABC20002")?;
    let client = names.machine("WKS1")?;
    let resolution = resolve(estate, &scenario.state, ad, client);
    println!("{}", render_text(estate, &resolution));
    println!("in one line: {}", summary(estate, &resolution.decision));
    // The typed trace: a rule id and a fact a step, the outcome last.
    for (i, step) in resolution.trace.steps.iter().enumerate() {
        println!("step {}: {} ({})", i + 1, step.rule, step.fact.kind());
    }
    Ok(())
}
