//! `report`: one self-contained HTML page of a scenario or a timeline (the built-in demo
//! without FILE), with nothing fetched from the network; a file with `events` is a
//! timeline, any other a scenario.

use std::path::Path;

use sms_client_accounts::report::{scenario_report, timeline_report};
use sms_client_accounts::timeline::load_timeline_file;

use super::{Done, Failure, Out, OutputArg, load_scenario};

/// `report`'s arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A scenario or timeline file; the built-in demo without it.
    #[arg(value_name = "FILE")]
    file: Option<String>,
    #[command(flatten)]
    pub(crate) output: OutputArg,
}

/// Whether the file is a timeline: a JSON object with `events`.
fn is_timeline(path: &str) -> Result<bool, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::new(format!("cannot read `{path}`: {e}")))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Failure::new(format!("`{path}`: not JSON: {e}")))?;
    Ok(value.get("events").is_some())
}

/// Runs `report`.
pub(crate) fn run(args: &Args, out: &mut Out) -> Done {
    let page = match args.file.as_deref() {
        Some(path) if path != "-" && is_timeline(path)? => {
            let day =
                load_timeline_file(Path::new(path)).map_err(|e| Failure::new(e.to_string()))?;
            timeline_report(&day, &format!("Timeline {path}"))
        }
        file => {
            let (name, scenario) = load_scenario(file)?;
            scenario_report(&scenario, &format!("Scenario {name}"))
        }
    };
    out.text(&page);
    Ok(0)
}
