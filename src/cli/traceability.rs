//! `traceability`: the traceability matrix as Markdown, every rule of the catalog with
//! the property tests that name it and the fixtures whose output shows it firing (a
//! trace step, a consulted assumption, a validation warning or an invalid fixture's
//! refusal, an exposure edge or finding, a timeline log line). It reads the crate's
//! checkout (`--root`, the current directory by default) and ends with 1 when a rule of
//! a built layer has no property test or no fixture.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sms_client_accounts::Scenario;
use sms_client_accounts::engine::resolve_all;
use sms_client_accounts::exposure::{Exposure, Node};
use sms_client_accounts::rules::{CATALOG, Layer, RuleId};
use sms_client_accounts::timeline::load_timeline_file;

use super::{Done, Failure, Out, OutputArg};

/// `traceability`'s arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The crate's checkout, with its `fixtures/` and `tests/it/`.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    #[command(flatten)]
    pub(crate) output: OutputArg,
}

/// The property-test modules, by the name the matrix gives them.
const PROPERTY_TESTS: [(&str, &str); 13] = [
    ("engine", "tests/it/engine.rs"),
    ("loader", "tests/it/loader.rs"),
    ("table", "tests/it/table.rs"),
    ("reference", "tests/it/reference.rs"),
    ("exposure", "tests/it/exposure.rs"),
    ("reach", "tests/it/reach.rs"),
    ("timeline", "tests/it/timeline.rs"),
    ("configmgr", "tests/it/configmgr.rs"),
    ("defences", "tests/it/defences.rs"),
    ("import", "tests/it/import.rs"),
    ("push", "tests/it/push.rs"),
    ("push_timeline", "tests/it/push_timeline.rs"),
    ("osd", "tests/it/osd.rs"),
];

const BUILT: [Layer; 6] = [
    Layer::Validation,
    Layer::Decision,
    Layer::Exposure,
    Layer::Timeline,
    Layer::Import,
    Layer::Push,
];

/// The `.json` files of a folder, sorted, with their names.
fn json_files(dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            (
                p.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                p,
            )
        })
        .collect()
}

/// Runs `traceability`.
pub(crate) fn run(args: &Args, out: &mut Out) -> Done {
    let root = args.root.as_path();
    if !root.join("fixtures/scenarios").is_dir() {
        return Err(Failure::new(format!(
            "no `fixtures/scenarios` under `{}`: run it in the crate's checkout, or give `--root DIR`",
            root.display()
        )));
    }
    let sources: Vec<(&str, String)> = PROPERTY_TESTS
        .iter()
        .map(|(name, path)| {
            (
                *name,
                std::fs::read_to_string(root.join(path)).unwrap_or_default(),
            )
        })
        .collect();
    let mut fixtures = scenario_rules(root)?;
    // A validation rule that refuses shows in an invalid fixture's report, which names
    // it in parentheses.
    for (name, path) in json_files(&root.join("fixtures/invalid")) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if let Err(e) = Scenario::from_json(&text) {
            let report = e.to_string();
            let fired: BTreeSet<RuleId> = report
                .split('(')
                .skip(1)
                .filter_map(|p| RuleId::parse(p.split(')').next().unwrap_or_default()))
                .collect();
            fixtures.push((format!("invalid/{name}"), fired));
        }
    }
    for (name, path) in json_files(&root.join("fixtures/timelines")) {
        // By path: a timeline may name its scenario file, found beside it.
        let Ok(day) = load_timeline_file(&path) else {
            return Err(Failure::new(format!("timeline `{name}` does not load")));
        };
        let t = day.replay();
        let fired: BTreeSet<RuleId> = t
            .log()
            .iter()
            .filter_map(|l| l.rule)
            .chain(t.audit().iter().map(|a| a.decision.decided_by))
            .collect();
        fixtures.push((format!("timelines/{name}"), fired));
    }
    let mut missing = 0;
    let mut pending = 0;
    let mut lines = Vec::new();
    for rule in CATALOG {
        let id = rule.id.as_str();
        let tests: Vec<&str> = sources
            .iter()
            .filter(|(_, text)| text.contains(&format!("\"{id}\"")))
            .map(|(n, _)| *n)
            .collect();
        let shown: Vec<&str> = fixtures
            .iter()
            .filter(|(_, f)| f.contains(&rule.id))
            .map(|(n, _)| n.as_str())
            .collect();
        let status = if !BUILT.contains(&rule.layer) {
            pending += 1;
            "pending".to_string()
        } else if tests.is_empty() || shown.is_empty() {
            missing += 1;
            format!(
                "MISSING {}",
                if tests.is_empty() {
                    "property test"
                } else {
                    "fixture"
                }
            )
        } else {
            "covered".to_string()
        };
        let kind = rule.kind.key();
        let layer = rule.layer.key();
        let or_none = |v: &[&str]| {
            if v.is_empty() {
                "-".to_string()
            } else {
                v.join(", ")
            }
        };
        lines.push(format!(
            "| `{id}` | {kind} | {layer} | {} | {} | {} | {status} |",
            rule.source,
            or_none(&tests),
            or_none(&shown)
        ));
    }
    out.line("# Traceability: rule -> property tests -> fixtures\n");
    out.line(&format!(
        "{} rules: {} covered, {missing} missing, {pending} pending (layers not built yet).\n",
        CATALOG.len(),
        CATALOG.len() - missing - pending
    ));
    out.line("| rule | kind | layer | source | property tests | fixtures | status |");
    out.line("|---|---|---|---|---|---|---|");
    for line in lines {
        out.line(&line);
    }
    Ok(u8::from(missing > 0))
}

/// The rules each scenario fixture (and each kept import) fires: its warnings, its
/// decisions' steps and assumptions, its push decisions, its exposure edges, findings
/// and account gates, and an import's recorded defaults and assumptions.
fn scenario_rules(root: &Path) -> Result<Vec<(String, BTreeSet<RuleId>)>, Failure> {
    let mut fixtures: Vec<(String, BTreeSet<RuleId>)> = Vec::new();
    let scenarios = json_files(&root.join("fixtures/scenarios"));
    let imported = json_files(&root.join("fixtures/imported"))
        .into_iter()
        .map(|(n, p)| (format!("imported/{n}"), p));
    for (name, path) in scenarios.into_iter().chain(imported) {
        let Ok(scenario) = std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|t| Scenario::from_json(&t).map_err(|e| e.to_string()))
        else {
            return Err(Failure::new(format!("fixture `{name}` does not load")));
        };
        let mut fired: BTreeSet<RuleId> = scenario.warnings.iter().map(|w| w.rule).collect();
        for r in resolve_all(&scenario.estate, &scenario.state) {
            fired.extend(r.trace.steps.iter().map(|s| s.rule));
            fired.extend(r.decision.assumptions.iter().map(|a| a.rule()));
        }
        for p in sms_client_accounts::engine::push::push_all(&scenario.estate, &scenario.state) {
            fired.extend(p.rules());
        }
        let exposure = Exposure::build(&scenario.estate, &scenario.state);
        fired.extend(exposure.edges().map(|e| e.rule));
        fired.extend(exposure.findings(&scenario.estate).iter().map(|f| f.rule));
        // An account's status gates the edges out of it (A10, X-LOCKOUT-ENDS).
        fired.extend(
            scenario
                .estate
                .account_ids()
                .filter(|&a| !exposure.out_edges(Node::Account(a)).is_empty())
                .filter_map(|a| exposure.gate(a).rule()),
        );
        // An import's defaults and assumptions, recorded under `imported`.
        if let Some(imported) = &scenario.imported {
            let rules = imported.facts.iter().filter_map(|f| f.rule.as_deref());
            let stored = imported
                .stored_accounts
                .iter()
                .filter_map(|s| s.rule.as_deref());
            fired.extend(rules.chain(stored).filter_map(RuleId::parse));
        }
        fixtures.push((name, fired));
    }
    Ok(fixtures)
}
