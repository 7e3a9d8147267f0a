//! Replays a day of an estate and prints the log of events, decisions, grants,
//! connections and faults, then where every advertisement stands.
//!
//! ```text
//! cargo run --example timeline                 # the built-in day of the demo estate
//! cargo run --example timeline -- FILE         # a timeline file (fixtures/timelines/);
//!                                              # a scenario it names is read beside it
//! cargo run --example timeline -- [FILE] --json
//! ```
//!
//! Exit codes: 0 done, 1 a file that cannot be read or loaded, 2 a usage error.

use std::path::Path;
use std::process::ExitCode;

use sms_client_accounts::timeline::{
    DEMO_DAY, load_timeline, load_timeline_file, log_json, log_text,
};

mod cli;
use cli::{flag, out, outln};

const USAGE: &str = "usage: timeline [FILE] [--json]";

const HELP: &str =
    "Replays the day of FILE (a timeline file; the built-in day without it) and prints
the log, then where every advertisement stands.
  --json   the log and the states as JSON (fixtures/timeline-output.schema.json)";

fn main() -> ExitCode {
    let args = match cli::parse(USAGE, HELP, &[flag("--json")], 1) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let file = args.positional.first().cloned();
    let json = args.has("--json");
    let (name, loaded) = match &file {
        None => (
            "built-in day".to_string(),
            load_timeline(DEMO_DAY).map_err(|e| format!("`built-in day`: {e}")),
        ),
        // A scenario the file names by path is read beside it.
        Some(path) => (
            path.clone(),
            load_timeline_file(Path::new(path)).map_err(|e| e.to_string()),
        ),
    };
    let day = match loaded {
        Ok(day) => day,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let timeline = day.replay();
    let estate = &day.scenario.estate;
    if json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&log_json(estate, &timeline)).unwrap_or_default()
        );
    } else {
        outln!("timeline: {name}");
        if let Some(scenario) = &day.scenario_file {
            outln!("scenario: {scenario}");
        }
        if let Some(d) = &day.description {
            outln!("{d}\n");
        }
        out!("{}", log_text(estate, &timeline));
    }
    ExitCode::SUCCESS
}
