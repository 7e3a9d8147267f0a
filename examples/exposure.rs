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
//! cargo run --example exposure -- [FILE] --client WKS1 [--transitive] --target 'CORP\Domain Admins'
//! ```
//!
//! Exit codes: 0 done, 1 a file that cannot be read or loaded (or a name it lacks), 2 a
//! usage error.

use std::process::ExitCode;

use sms_client_accounts::exposure::export::{
    compromise_text, findings_text, frontier_text, to_dot, to_opengraph,
};
use sms_client_accounts::exposure::output::{compromise_output, target_output, to_json};
use sms_client_accounts::exposure::{Exposure, Node, Reach, Start};
use sms_client_accounts::model::Estate;
use sms_client_accounts::scenario::{Resolver, load_file};

mod cli;
use cli::{flag, out, outln, valued};

const USAGE: &str = "usage: exposure [FILE] [--dot | --json | --opengraph] [--credential STORE\\NAME | --client NAME] [--transitive] [--target NAME]";

const HELP: &str = "Without an option, the findings of the estate (the built-in demo without FILE).
  --json                 the graph and the findings as JSON (with a question: its answer)
  --dot                  Graphviz DOT of the graph, identical clients collapsed
  --opengraph            BloodHound OpenGraph JSON
  --credential ACCOUNT   what the password of ACCOUNT (`DOMAIN\\name`, `MACHINE\\name`) yields
  --client NAME          what control of the client NAME yields
  --transitive           with a question: go on through every machine administered, for
                         good or while a program runs (each such run a condition)
  --target NAME          with a question: whether it reaches NAME (a group or user
                         `STORE\\name`, a machine, a share `\\\\server\\share`), and if
                         not, the facts one step from it";

fn main() -> ExitCode {
    let opts = [
        flag("--dot"),
        flag("--json"),
        flag("--opengraph"),
        flag("--transitive"),
        valued("--credential", "name"),
        valued("--client", "name"),
        valued("--target", "name"),
    ];
    let args = match cli::parse(USAGE, HELP, &opts, 1)
        .and_then(|a| cli::exclusive(&a, USAGE, &["--dot", "--json", "--opengraph"]).map(|()| a))
        .and_then(|a| cli::exclusive(&a, USAGE, &["--credential", "--client"]).map(|()| a))
        .and_then(|a| {
            cli::exclusive(&a, USAGE, &["--dot", "--credential"])?;
            cli::exclusive(&a, USAGE, &["--dot", "--client"])?;
            cli::exclusive(&a, USAGE, &["--opengraph", "--credential"])?;
            cli::exclusive(&a, USAGE, &["--opengraph", "--client"])?;
            cli::requires(&a, USAGE, "--transitive", &["--credential", "--client"])?;
            cli::requires(&a, USAGE, "--target", &["--credential", "--client"])?;
            Ok(a)
        }) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let (_, scenario) = match load_file(args.positional.first().map(String::as_str)) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let estate = &scenario.estate;
    let x = Exposure::build(estate, &scenario.state);
    let reach = if args.has("--transitive") {
        Reach::Transitive
    } else {
        Reach::Direct
    };
    let pretty = |v: serde_json::Value| serde_json::to_string_pretty(&v).unwrap_or_default();
    let names = Resolver(estate);
    let start = if let Some(n) = args.value("--credential") {
        match names.account(n) {
            Ok(a) => Some(Start::Credential(a)),
            Err(e) => {
                eprintln!("error: `--credential`: {e}");
                return ExitCode::from(1);
            }
        }
    } else if let Some(n) = args.value("--client") {
        match names.machine(n) {
            Ok(m) => Some(Start::Client(m)),
            Err(e) => {
                eprintln!("error: `--client`: {e}");
                return ExitCode::from(1);
            }
        }
    } else {
        None
    };
    let target = match args.value("--target").map(|n| target(estate, n)) {
        Some(Ok(t)) => Some(t),
        Some(Err(e)) => {
            eprintln!("error: `--target`: {e}");
            return ExitCode::from(1);
        }
        None => None,
    };
    match start {
        Some(start) => {
            let reached = x.compromise(start, reach);
            let frontier =
                target.map(|t| (t, x.frontier(estate, &scenario.state, start, reach, t)));
            if args.has("--json") {
                let mut doc = compromise_output(estate, &x, start, reach, &reached);
                if let (Some(c), Some((t, f))) = (doc.compromise.as_mut(), &frontier) {
                    c.target = Some(target_output(estate, *t, f.as_deref()));
                }
                outln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            } else {
                match start {
                    Start::Credential(a) => {
                        outln!("the password of {} yields:", estate.qualified_name(a))
                    }
                    Start::Client(m) => outln!("control of {} yields:", estate.machine(m).name),
                }
                out!("{}", compromise_text(estate, &x, &reached));
                if let Some((t, f)) = &frontier {
                    out!("{}", frontier_text(estate, *t, f.as_deref()));
                }
            }
        }
        None if args.has("--dot") => out!("{}", to_dot(estate, &x)),
        None if args.has("--json") => {
            outln!("{}", pretty(to_json(estate, &x, &x.findings(estate))))
        }
        None if args.has("--opengraph") => outln!("{}", pretty(to_opengraph(estate, &x))),
        None => out!("{}", findings_text(estate, &x, &x.findings(estate))),
    }
    ExitCode::SUCCESS
}

/// The node `--target` names: a share path, an account `STORE\\name`, or a machine.
fn target(estate: &Estate, name: &str) -> Result<Node, String> {
    let names = Resolver(estate);
    if name.starts_with("\\\\") {
        return estate
            .share_by_path(name)
            .map(Node::Share)
            .ok_or_else(|| format!("no share `{name}` in the scenario"));
    }
    if name.contains('\\') {
        return names
            .account(name)
            .map(Node::Account)
            .map_err(|e| e.to_string());
    }
    names
        .machine(name)
        .map(Node::Machine)
        .map_err(|e| e.to_string())
}
