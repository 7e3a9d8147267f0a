//! Resolves advertisements and prints each decision with its trace: the main job.
//!
//! ```text
//! cargo run --example trace                          # the built-in demo estate
//! cargo run --example trace -- FILE                  # a scenario file
//! cargo run --example trace -- [FILE] --json         # JSON instead of text
//! cargo run --example trace -- [FILE] --advertisement ABC20002 --client WKS1 --why-not
//! ```
//!
//! Exit codes: 0 when every decision was printed (and the file's expectations hold),
//! 1 when the file cannot be read or loaded or an expectation fails, 2 on a usage error.

use std::process::ExitCode;

use sms_client_accounts::engine::{Resolution, resolve, why_not};
use sms_client_accounts::render::{render_json_document, render_text, summary};
use sms_client_accounts::scenario::load_file;

/// Writes to standard output; a closed pipe (`| head`) ends the output quietly instead
/// of panicking.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

const USAGE: &str =
    "usage: trace [FILE] [--json] [--advertisement NAME] [--client NAME] [--why-not]";

struct Options {
    file: Option<String>,
    json: bool,
    advertisement: Option<String>,
    client: Option<String>,
    why_not: bool,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        file: None,
        json: false,
        advertisement: None,
        client: None,
        why_not: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => o.json = true,
            "--why-not" => o.why_not = true,
            "--advertisement" => {
                o.advertisement = Some(args.next().ok_or("`--advertisement` needs a name")?)
            }
            "--client" => o.client = Some(args.next().ok_or("`--client` needs a name")?),
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            _ if o.file.is_some() => {
                return Err(format!("unexpected argument `{arg}`: one file at most"));
            }
            _ => o.file = Some(arg),
        }
    }
    Ok(o)
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (name, scenario) = match load_file(options.file.as_deref()) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let estate = &scenario.estate;
    let ad_filter = match &options.advertisement {
        Some(n) => match estate.advertisement_by_name(n) {
            Some(id) => Some(id),
            None => {
                eprintln!("error: no advertisement `{n}` in `{name}`");
                return ExitCode::from(1);
            }
        },
        None => None,
    };
    let client_filter = match &options.client {
        Some(n) => match estate.machine_by_name(n) {
            Some(id) => Some(id),
            None => {
                eprintln!("error: no machine `{n}` in `{name}`");
                return ExitCode::from(1);
            }
        },
        None => None,
    };
    let mut resolutions: Vec<Resolution> = Vec::new();
    for ad in estate.advertisement_ids() {
        if ad_filter.is_some_and(|f| f != ad) {
            continue;
        }
        for &client in &estate.advertisement(ad).targets {
            if client_filter.is_some_and(|f| f != client) {
                continue;
            }
            resolutions.push(resolve(estate, &scenario.state, ad, client));
        }
    }
    if options.json {
        match serde_json::to_string_pretty(&render_json_document(estate, &resolutions)) {
            Ok(text) => outln!("{text}"),
            Err(e) => {
                eprintln!("error: cannot render JSON: {e}");
                return ExitCode::from(1);
            }
        }
    } else {
        outln!("scenario: {name}");
        if let Some(d) = &scenario.description {
            outln!("{d}");
        }
        for w in &scenario.warnings {
            outln!("{w}");
        }
        outln!("{} decision(s)\n", resolutions.len());
        for r in &resolutions {
            outln!("{}", render_text(estate, r));
            if options.why_not {
                let whys = why_not(estate, &scenario.state, r);
                if whys.is_empty() {
                    outln!("  why not: no single candidate change alters this decision\n");
                } else {
                    outln!("  why not:");
                    for w in whys {
                        outln!("    - if {}: {}", w.change, summary(estate, &w.decision));
                    }
                    outln!();
                }
            }
        }
    }
    let mut failed = 0;
    for e in &scenario.expectations {
        if let Some(r) = resolutions
            .iter()
            .find(|r| r.advertisement == e.advertisement && r.client == e.client)
        {
            let mismatches = e.mismatches(estate, r);
            if !mismatches.is_empty() {
                failed += 1;
                eprintln!(
                    "expectation failed: {} on {}: {}",
                    estate.advertisement(e.advertisement).name,
                    estate.machine(e.client).name,
                    mismatches.join("; ")
                );
            }
        }
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
