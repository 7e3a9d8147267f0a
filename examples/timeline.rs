//! Replays a day of an estate and prints the log of events, decisions, grants,
//! connections and faults, then where every advertisement stands.
//!
//! ```text
//! cargo run --example timeline                 # the built-in day of the demo estate
//! cargo run --example timeline -- FILE         # a timeline file (fixtures/timelines/)
//! cargo run --example timeline -- [FILE] --json
//! ```
//!
//! Exit codes: 0 done, 1 a file that cannot be read or loaded, 2 a usage error.

use std::process::ExitCode;

use sms_client_accounts::timeline::{DEMO_DAY, load_timeline, log_json, log_text};

/// Writes to standard output; a closed pipe (`| head`) ends the output quietly instead
/// of panicking.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

/// `outln!` without the newline.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($t)*);
    }};
}

const USAGE: &str = "usage: timeline [FILE] [--json]";

fn main() -> ExitCode {
    let mut file = None;
    let mut json = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--json" => json = true,
            flag if flag.starts_with('-') => {
                eprintln!("error: unknown option `{flag}`\n{USAGE}");
                return ExitCode::from(2);
            }
            _ if file.is_some() => {
                eprintln!("error: unexpected argument `{arg}`: one file at most\n{USAGE}");
                return ExitCode::from(2);
            }
            _ => file = Some(arg),
        }
    }
    let (name, text) = match &file {
        None => ("built-in day".to_string(), DEMO_DAY.to_string()),
        Some(path) => match std::fs::read(path).map(|b| String::from_utf8_lossy(&b).into_owned()) {
            Ok(text) => (path.clone(), text),
            Err(e) => {
                eprintln!("error: cannot read `{path}`: {e}");
                return ExitCode::from(1);
            }
        },
    };
    let day = match load_timeline(&text) {
        Ok(day) => day,
        Err(e) => {
            eprintln!("error: `{name}`: {e}");
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
        if let Some(d) = &day.description {
            outln!("{d}\n");
        }
        out!("{}", log_text(estate, &timeline));
    }
    ExitCode::SUCCESS
}
