//! `trace`: every advertisement decided on every target client, each decision with its
//! trace (text, one line a decision, or JSON), the single changes that would decide
//! otherwise (`--why-not`), and what a rule id means (`--explain`).

use std::fmt::Write as _;

use sms_client_accounts::engine::{Resolution, WhyNot, resolve, why_not};
use sms_client_accounts::model::Estate;
use sms_client_accounts::render::{decisions_output, render_text, summary};
use sms_client_accounts::rules::{CATALOG, RuleId};
use sms_client_accounts::scenario::{Resolver, nearest};

use super::{Done, Failure, Out, OutputArg, load_scenario};

/// `trace`'s arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A scenario file (`-`: standard input); the built-in demo without it.
    #[arg(value_name = "FILE", conflicts_with = "explain")]
    file: Option<String>,
    /// The decisions as JSON (fixtures/decisions.schema.json).
    #[arg(long, conflicts_with_all = ["summary", "explain"])]
    json: bool,
    /// One line a decision.
    #[arg(long, conflicts_with_all = ["why_not", "explain"])]
    summary: bool,
    /// Only this advertisement.
    #[arg(long, value_name = "NAME", conflicts_with = "explain")]
    advertisement: Option<String>,
    /// Only this client.
    #[arg(long, value_name = "NAME", conflicts_with = "explain")]
    client: Option<String>,
    /// Each decision's single changes that would decide otherwise.
    #[arg(long, conflicts_with = "explain")]
    why_not: bool,
    /// What a rule id means: its text, source, kind and layer.
    #[arg(long, value_name = "RULE")]
    explain: Option<String>,
    #[command(flatten)]
    pub(crate) output: OutputArg,
}

/// `--explain RULE`: the rule's text, source, kind and layer.
fn explain(id: &str, out: &mut Out) -> Done {
    let Some(rule) = RuleId::parse(id).or_else(|| RuleId::parse(&id.to_ascii_uppercase())) else {
        let nearest: Vec<&str> = nearest(id, CATALOG.iter().map(|r| r.id.as_str()))
            .into_iter()
            .take(8)
            .collect();
        return Err(Failure::new(format!(
            "unknown rule id `{id}`; the nearest are {}",
            nearest.join(", ")
        )));
    };
    for line in sms_client_accounts::rules::explain_lines(rule.rule()) {
        out.line(&line);
    }
    Ok(0)
}

/// Runs `trace`.
pub(crate) fn run(args: &Args, out: &mut Out) -> Done {
    if let Some(id) = &args.explain {
        return explain(id, out);
    }
    let (name, scenario) = load_scenario(args.file.as_deref())?;
    let estate = &scenario.estate;
    let names = Resolver(estate);
    let ad_filter = match args
        .advertisement
        .as_deref()
        .map(|n| names.advertisement(n))
    {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(e)) => return Err(Failure::new(format!("`--advertisement`: {e}"))),
    };
    let client_filter = match args.client.as_deref().map(|n| names.machine(n)) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(e)) => return Err(Failure::new(format!("`--client`: {e}"))),
    };
    let mut resolutions: Vec<Resolution> = Vec::new();
    for ad in estate.advertisement_ids() {
        if ad_filter.is_some_and(|f| f != ad) {
            continue;
        }
        for &client in &estate.advertisement(ad).targets {
            if client_filter.is_none_or(|f| f == client) {
                resolutions.push(resolve(estate, &scenario.state, ad, client));
            }
        }
    }
    let whys: Option<Vec<Vec<WhyNot>>> = args.why_not.then(|| {
        resolutions
            .iter()
            .map(|r| why_not(estate, &scenario.state, r))
            .collect()
    });
    if args.json {
        let doc = decisions_output(estate, &scenario.warnings, &resolutions, whys.as_deref());
        let text = serde_json::to_string_pretty(&doc)
            .map_err(|e| Failure::new(format!("cannot render JSON: {e}")))?;
        out.line(&text);
    } else {
        for w in &scenario.warnings {
            eprintln!("{w}");
        }
        if args.summary {
            for r in &resolutions {
                out.line(&format!(
                    "{} on {}: {}",
                    estate.advertisement(r.advertisement).name,
                    estate.machine(r.client).name,
                    summary(estate, &r.decision)
                ));
            }
        } else {
            out.line(&format!("scenario: {name}"));
            if let Some(d) = &scenario.description {
                out.line(d);
            }
            out.line(&format!("{} decision(s)\n", resolutions.len()));
            for (i, r) in resolutions.iter().enumerate() {
                out.line(&render_text(estate, r));
                if let Some(whys) = &whys {
                    out.text(&why_not_text(estate, &whys[i]));
                }
            }
        }
    }
    // The file's expectations: a miss is an error, with its place and its reason.
    let failed = sms_client_accounts::verify::check_all(&scenario);
    for f in &failed {
        eprintln!("{f}");
    }
    Ok(u8::from(!failed.is_empty()))
}

fn why_not_text(estate: &Estate, whys: &[WhyNot]) -> String {
    if whys.is_empty() {
        return "  why not: no single candidate change alters this decision\n\n".into();
    }
    let mut s = String::from("  why not:\n");
    for line in sms_client_accounts::render::why_not_lines(estate, whys) {
        let _ = writeln!(s, "    - {line}");
    }
    s.push('\n');
    s
}
