//! Prints what an estate exposes: the findings (every exposure and every violation of
//! the article's "should never" rules), or a compromise query, or an export of the graph.
//!
//! ```text
//! cargo run --example exposure                          # findings of the built-in demo estate
//! cargo run --example exposure -- FILE                  # findings of a scenario file
//! cargo run --example exposure -- [FILE] --dot          # Graphviz DOT (identical clients collapsed)
//! cargo run --example exposure -- [FILE] --json         # graph and findings as JSON
//! cargo run --example exposure -- [FILE] --opengraph    # BloodHound OpenGraph JSON
//! cargo run --example exposure -- [FILE] --credential 'CORP\SMSCliToknAcct&' [--transitive]
//! cargo run --example exposure -- [FILE] --client WKS1 [--transitive]
//! ```
//!
//! Exit codes: 0 done, 1 a file that cannot be read or loaded (or a name it lacks), 2 a
//! usage error.

use std::process::ExitCode;

use sms_client_accounts::exposure::export::{
    compromise_text, findings_text, to_dot, to_json, to_opengraph,
};
use sms_client_accounts::exposure::{Exposure, Reach, Start};
use sms_client_accounts::scenario::load_file;

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

const USAGE: &str = "usage: exposure [FILE] [--dot | --json | --opengraph | --credential STORE\\NAME | --client NAME] [--transitive]";

enum Output {
    Findings,
    Dot,
    Json,
    OpenGraph,
    Credential(String),
    Client(String),
}

fn main() -> ExitCode {
    let mut file = None;
    let mut output = Output::Findings;
    let mut transitive = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let next = match arg.as_str() {
            "--dot" => Some(Output::Dot),
            "--json" => Some(Output::Json),
            "--opengraph" => Some(Output::OpenGraph),
            "--transitive" => {
                transitive = true;
                None
            }
            "--credential" | "--client" => match args.next() {
                Some(name) if arg == "--credential" => Some(Output::Credential(name)),
                Some(name) => Some(Output::Client(name)),
                None => {
                    eprintln!("error: `{arg}` needs a name\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
            flag if flag.starts_with('-') => {
                eprintln!("error: unknown option `{flag}`\n{USAGE}");
                return ExitCode::from(2);
            }
            _ if file.is_some() => {
                eprintln!("error: unexpected argument `{arg}`: one file at most\n{USAGE}");
                return ExitCode::from(2);
            }
            _ => {
                file = Some(arg);
                None
            }
        };
        if let Some(o) = next {
            output = o;
        }
    }
    let (name, scenario) = match load_file(file.as_deref()) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let estate = &scenario.estate;
    let x = Exposure::build(estate, &scenario.state);
    let reach = if transitive {
        Reach::Transitive
    } else {
        Reach::Direct
    };
    let pretty = |v: serde_json::Value| serde_json::to_string_pretty(&v).unwrap_or_default();
    match output {
        Output::Findings => out!("{}", findings_text(estate, &x, &x.findings(estate))),
        Output::Dot => out!("{}", to_dot(estate, &x)),
        Output::Json => outln!("{}", pretty(to_json(estate, &x, &x.findings(estate)))),
        Output::OpenGraph => outln!("{}", pretty(to_opengraph(estate, &x))),
        Output::Credential(n) => {
            let Some(a) = estate.account_by_name(&n) else {
                eprintln!(
                    "error: no account `{n}` in `{name}`; write `DOMAIN\\name` or `MACHINE\\name`"
                );
                return ExitCode::from(1);
            };
            outln!("the password of {} yields:", estate.qualified_name(a));
            out!(
                "{}",
                compromise_text(estate, &x, &x.compromise(Start::Credential(a), reach))
            );
        }
        Output::Client(n) => {
            let Some(m) = estate.machine_by_name(&n) else {
                eprintln!("error: no machine `{n}` in `{name}`");
                return ExitCode::from(1);
            };
            outln!("control of {} yields:", estate.machine(m).name);
            out!(
                "{}",
                compromise_text(estate, &x, &x.compromise(Start::Client(m), reach))
            );
        }
    }
    ExitCode::SUCCESS
}
