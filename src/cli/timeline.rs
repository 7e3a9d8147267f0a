//! `timeline`: a day of an estate replayed, its log of events, decisions, grants,
//! connections and faults, then where every advertisement stands.

use std::path::Path;

use sms_client_accounts::timeline::{
    DEMO_DAY, load_timeline, load_timeline_file, log_json, log_text,
};

use super::{Done, Failure, Out, OutputArg, stdin};

/// `timeline`'s arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A timeline file (fixtures/timelines/; a scenario it names is read beside it;
    /// `-`: standard input, its scenario inline); the built-in day without it.
    #[arg(value_name = "FILE")]
    file: Option<String>,
    /// The log and the states as JSON (fixtures/timeline-output.schema.json).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    pub(crate) output: OutputArg,
}

/// Runs `timeline`.
pub(crate) fn run(args: &Args, out: &mut Out) -> Done {
    let (name, loaded) = match args.file.as_deref() {
        None => (
            "built-in day".to_string(),
            load_timeline(DEMO_DAY).map_err(|e| format!("`built-in day`: {e}")),
        ),
        Some("-") => (
            "standard input".to_string(),
            load_timeline(&stdin()?).map_err(|e| format!("`standard input`: {e}")),
        ),
        // A scenario the file names by path is read beside it.
        Some(path) => (
            path.to_string(),
            load_timeline_file(Path::new(path)).map_err(|e| e.to_string()),
        ),
    };
    let day = loaded.map_err(Failure::new)?;
    let timeline = day.replay();
    let estate = &day.scenario.estate;
    if args.json {
        out.line(&serde_json::to_string_pretty(&log_json(estate, &timeline)).unwrap_or_default());
    } else {
        out.line(&format!("timeline: {name}"));
        if let Some(scenario) = &day.scenario_file {
            out.line(&format!("scenario: {scenario}"));
        }
        if let Some(d) = &day.description {
            out.line(&format!("{d}\n"));
        }
        out.text(&log_text(estate, &timeline));
    }
    Ok(0)
}
