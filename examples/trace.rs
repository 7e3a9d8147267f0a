//! Resolves advertisements and prints each decision with its trace: the main job.
//!
//! ```text
//! cargo run --example trace                          # the built-in demo estate
//! cargo run --example trace -- FILE                  # a scenario file
//! cargo run --example trace -- [FILE] --json         # JSON (schema: fixtures/decisions.schema.json)
//! cargo run --example trace -- [FILE] --summary      # one line a decision
//! cargo run --example trace -- [FILE] --advertisement ABC20002 --client WKS1 --why-not
//! cargo run --example trace -- --explain NAL-SERVER-SESSION
//! ```
//!
//! Exit codes: 0 when every decision was printed (and the file's expectations hold),
//! 1 when the file cannot be read or loaded, a name is unknown or an expectation fails,
//! 2 on a usage error.

use std::process::ExitCode;

use sms_client_accounts::engine::{Resolution, WhyNot, resolve, why_not};
use sms_client_accounts::render::{decisions_output, render_text, summary};
use sms_client_accounts::rules::RuleId;
use sms_client_accounts::scenario::{Resolver, load_file, nearest};

mod cli;
use cli::{flag, outln, valued};

const USAGE: &str = "usage: trace [FILE] [--json | --summary] [--advertisement NAME] [--client NAME] [--why-not] | trace --explain RULE";

const HELP: &str = "Resolves every advertisement on every target client of FILE (the built-in demo
without it) and prints each decision with the trace of the rules it applied.
  --json                 the decisions as JSON (fixtures/decisions.schema.json)
  --summary              one line a decision
  --advertisement NAME   only this advertisement
  --client NAME          only this client
  --why-not              each decision's single changes that would decide otherwise
  --explain RULE         what a rule id means: its text, source, kind and layer";

/// `--explain RULE`: the rule's text, source, kind and layer.
fn explain(id: &str) -> ExitCode {
    let Some(rule) = RuleId::parse(id).or_else(|| RuleId::parse(&id.to_ascii_uppercase())) else {
        let known = sms_client_accounts::rules::CATALOG
            .iter()
            .map(|r| r.id.as_str());
        let nearest: Vec<&str> = nearest(id, known).into_iter().take(8).collect();
        eprintln!(
            "error: unknown rule id `{id}`; the nearest are {}",
            nearest.join(", ")
        );
        return ExitCode::from(1);
    };
    let r = rule.rule();
    outln!("{}: {}", r.id, r.paraphrase);
    outln!("  source: {}", r.source);
    outln!(
        "  kind: {}",
        serde_json::to_value(r.kind)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    );
    outln!(
        "  layer: {}",
        serde_json::to_value(r.layer)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    );
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let opts = [
        flag("--json"),
        flag("--summary"),
        flag("--why-not"),
        valued("--advertisement", "name"),
        valued("--client", "name"),
        valued("--explain", "rule id"),
    ];
    let args = match cli::parse(USAGE, HELP, &opts, 1).and_then(|a| {
        cli::exclusive(&a, USAGE, &["--json", "--summary"])?;
        cli::exclusive(&a, USAGE, &["--summary", "--why-not"])?;
        for other in [
            "--json",
            "--summary",
            "--why-not",
            "--advertisement",
            "--client",
        ] {
            cli::exclusive(&a, USAGE, &["--explain", other])?;
        }
        if a.has("--explain") && !a.positional.is_empty() {
            return Err(cli::usage_error(USAGE, "`--explain` takes no file"));
        }
        Ok(a)
    }) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if let Some(id) = args.value("--explain") {
        return explain(id);
    }
    let (name, scenario) = match load_file(args.positional.first().map(String::as_str)) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let estate = &scenario.estate;
    let names = Resolver(estate);
    let ad_filter = match args
        .value("--advertisement")
        .map(|n| names.advertisement(n))
    {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(e)) => {
            eprintln!("error: `--advertisement`: {e}");
            return ExitCode::from(1);
        }
    };
    let client_filter = match args.value("--client").map(|n| names.machine(n)) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(e)) => {
            eprintln!("error: `--client`: {e}");
            return ExitCode::from(1);
        }
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
    let whys: Option<Vec<Vec<WhyNot>>> = args.has("--why-not").then(|| {
        resolutions
            .iter()
            .map(|r| why_not(estate, &scenario.state, r))
            .collect()
    });
    if args.has("--json") {
        let doc = decisions_output(estate, &scenario.warnings, &resolutions, whys.as_deref());
        match serde_json::to_string_pretty(&doc) {
            Ok(text) => outln!("{text}"),
            Err(e) => {
                eprintln!("error: cannot render JSON: {e}");
                return ExitCode::from(1);
            }
        }
    } else {
        for w in &scenario.warnings {
            eprintln!("{w}");
        }
        if args.has("--summary") {
            for r in &resolutions {
                outln!(
                    "{} on {}: {}",
                    estate.advertisement(r.advertisement).name,
                    estate.machine(r.client).name,
                    summary(estate, &r.decision)
                );
            }
        } else {
            outln!("scenario: {name}");
            if let Some(d) = &scenario.description {
                outln!("{d}");
            }
            outln!("{} decision(s)\n", resolutions.len());
            for (i, r) in resolutions.iter().enumerate() {
                outln!("{}", render_text(estate, r));
                if let Some(whys) = &whys {
                    print_why_not(estate, &whys[i]);
                }
            }
        }
    }
    // The file's expectations: a miss is an error, with its place and its reason.
    let failed = sms_client_accounts::verify::check_all(&scenario);
    for f in &failed {
        eprintln!("{f}");
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_why_not(estate: &sms_client_accounts::model::Estate, whys: &[WhyNot]) {
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
