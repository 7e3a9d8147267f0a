//! Ask an exposure question: what the password of an account yields, and through which
//! edges ([`sms_client_accounts::exposure::Exposure`]). The built-in demo's Software
//! Installation account is handed to every NT client (A15); here is what it opens.
//!
//! ```text
//! cargo run --example exposure
//! ```

use sms_client_accounts::exposure::export::compromise_text;
use sms_client_accounts::exposure::{Exposure, Reach, Start};
use sms_client_accounts::scenario::{Resolver, load_file};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (_, scenario) = load_file(None)?;
    let estate = &scenario.estate;
    let graph = Exposure::build(estate, &scenario.state);
    let account = Resolver(estate).account("CORP\\SMSInstall")?;
    // Direct reach: what the password gives without taking any machine over.
    let reached = graph.compromise(Start::Credential(account), Reach::Direct);
    println!(
        "the password of CORP\\SMSInstall yields {} privileges:",
        reached.len()
    );
    // Each privilege with its witness (the edges that lead to it, each with its rule),
    // in the words of the tool's `exposure --credential`.
    print!("{}", compromise_text(estate, &graph, &reached));
    // The standing findings of the whole estate.
    println!("{} findings in all", graph.findings(estate).len());
    Ok(())
}
