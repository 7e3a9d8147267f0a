//! Replay a timeline: the built-in day of the demo estate
//! ([`sms_client_accounts::timeline::DEMO_DAY`]), events in time order, each decision
//! taken with the state of its moment. It prints how many log entries each rule
//! produced, then the log's last lines as the tool's `timeline` prints them.
//!
//! ```text
//! cargo run --example timeline
//! ```

use std::collections::BTreeMap;

use sms_client_accounts::timeline::{DEMO_DAY, load_timeline, log_text};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let day = load_timeline(DEMO_DAY)?;
    let timeline = day.replay();
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    for entry in timeline.log() {
        let rule = entry.rule.map_or("-".to_string(), |r| r.to_string());
        *by_rule.entry(rule).or_default() += 1;
    }
    println!("{} log entries", timeline.log().len());
    for (rule, n) in by_rule {
        println!("{n:>3}  {rule}");
    }
    let text = log_text(&day.scenario.estate, &timeline);
    let lines: Vec<&str> = text.lines().collect();
    println!("...");
    for line in &lines[lines.len().saturating_sub(5)..] {
        println!("{line}");
    }
    Ok(())
}
