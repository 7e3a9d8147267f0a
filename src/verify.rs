//! The file's expectations against the engine and the exposure graph: each expected
//! decision is resolved and compared field by field in the keys of `trace --json`, each
//! exposure expectation is asked of the graph (standing reach), and every miss is
//! reported in the file's own words (`context: expected service, got user`) with its
//! JSON path, line and `because`.
//!
//! This is where scenario, engine, render and exposure meet; nothing below uses it.

use std::fmt;

use crate::Scenario;
use crate::engine::resolve;
use crate::exposure::export::privilege_text;
use crate::exposure::{Exposure, Reach, Start};
use crate::render::{ResolutionOutput, resolution_output};
use crate::scenario::expect::{Expectation, ExposureExpectation};

/// A failed expectation: where the file writes it, why its author expected it, and how
/// the engine or the graph differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// `expectations[i]` or `exposure_expectations[i]`.
    pub path: String,
    /// Its line and column in the file, when known.
    pub position: Option<(usize, usize)>,
    /// The question, as the file names it: `ABC20002 on WKS1`, `password of X`.
    pub question: String,
    /// The author's reason.
    pub because: String,
    /// Each difference, in the file's words.
    pub mismatches: Vec<String>,
}

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expectation failed: {}", self.path)?;
        if let Some((line, column)) = self.position {
            write!(f, " (line {line}, column {column})")?;
        }
        write!(f, ": {}", self.question)?;
        for m in &self.mismatches {
            write!(f, "\n  {m}")?;
        }
        write!(f, "\n  because: {}", self.because)
    }
}

fn shown(value: Option<&str>) -> String {
    value.map_or("none".to_string(), str::to_string)
}

fn compare(out: &mut Vec<String>, field: &str, expected: Option<&str>, got: Option<&str>) {
    if expected != got {
        out.push(format!(
            "{field}: expected {}, got {}",
            shown(expected),
            shown(got)
        ));
    }
}

fn list(values: &[String]) -> String {
    format!("[{}]", values.join(", "))
}

fn sorted(values: &[String]) -> Vec<String> {
    let mut v = values.to_vec();
    v.sort();
    v
}

/// The ways `got` differs from `e`; empty when it matches.
fn decision_mismatches(
    scenario: &Scenario,
    e: &Expectation,
    got: &ResolutionOutput,
    steps: &[crate::trace::Step],
) -> Vec<String> {
    let estate = &scenario.estate;
    let d = &got.decision;
    let mut out = Vec::new();
    let outcome = serde_json::to_value(d.outcome).ok();
    let outcome = outcome.as_ref().and_then(|v| v.as_str());
    compare(&mut out, "outcome", Some(e.outcome.key()), outcome);
    let name = |a: crate::model::AccountId| estate.qualified_name(a);
    if let Some(l) = e.launcher {
        compare(
            &mut out,
            "launcher",
            Some(l.file_name()),
            d.launcher.as_deref(),
        );
    }
    if let Some(c) = e.context {
        compare(&mut out, "context", Some(c.key()), d.context.as_deref());
    }
    if let Some(a) = e.account {
        compare(&mut out, "account", Some(&name(a)), d.account.as_deref());
    }
    if let Some(expected) = e.dp_credential {
        let got = d
            .distribution_point
            .as_ref()
            .and_then(|dp| dp.credential.as_deref());
        compare(
            &mut out,
            "dp_credential",
            expected.map(name).as_deref(),
            got,
        );
    }
    let failure = d.failure.as_ref();
    if let Some(error) = e.error {
        let got = failure.and_then(|f| f.error).map(|e| e.to_string());
        compare(&mut out, "error", Some(&error.to_string()), got.as_deref());
    }
    if let Some(w) = &e.wait_for {
        let got = d.wait_for.and_then(|w| serde_json::to_value(w).ok());
        compare(
            &mut out,
            "wait_for",
            Some(w),
            got.as_ref().and_then(|v| v.as_str()),
        );
    }
    if let Some(f) = &e.failure {
        if let Some(reason) = &f.reason {
            compare(
                &mut out,
                "failure.reason",
                Some(reason),
                failure.map(|f| f.reason.as_str()),
            );
        }
        if let Some(status) = f.status {
            let got = failure.and_then(|f| f.status).map(|s| s.to_string());
            compare(
                &mut out,
                "failure.status",
                Some(&status.to_string()),
                got.as_deref(),
            );
        }
        if let Some(error) = f.error {
            let got = failure.and_then(|f| f.error).map(|s| s.to_string());
            compare(
                &mut out,
                "failure.error",
                Some(&error.to_string()),
                got.as_deref(),
            );
        }
    }
    detail_mismatches(e, got, &mut out);
    for rule in &e.rules {
        let stepped = steps.iter().any(|s| s.rule == *rule);
        let consulted = d.assumptions.iter().any(|a| a == rule.as_str());
        if !stepped && !consulted {
            out.push(format!(
                "rules: {rule} neither names a step nor was consulted"
            ));
        }
    }
    out
}

/// The token, NAL attempts and grant of `got` against `e`.
fn detail_mismatches(e: &Expectation, got: &ResolutionOutput, out: &mut Vec<String>) {
    let d = &got.decision;
    if let Some(t) = &e.token {
        let token = d.token.as_ref();
        if let Some(groups) = &t.groups {
            let got = token.map(|t| list(&sorted(&t.groups)));
            compare(out, "token.groups", Some(&list(groups)), got.as_deref());
        }
        if let Some(rights) = &t.rights {
            let got = token.map(|t| list(&sorted(&t.rights)));
            compare(out, "token.rights", Some(&list(rights)), got.as_deref());
        }
        if let Some(a) = &t.administrators {
            let got = token.and_then(|t| serde_json::to_value(t.administrators).ok());
            let got = got.as_ref().and_then(|v| v.as_str());
            compare(out, "token.administrators", Some(a), got);
        }
    }
    if let Some(nal) = &e.nal {
        let line =
            |via: &str, credential: &str, result: &str| format!("{via} as {credential}: {result}");
        let expected: Vec<String> = nal
            .iter()
            .map(|n| line(&n.via, &n.credential, &n.result))
            .collect();
        let got: Vec<String> = got
            .nal
            .iter()
            .map(|n| line(&n.via, &n.credential, &n.result))
            .collect();
        if expected != got {
            out.push(format!(
                "nal: expected {}, got {}",
                list(&expected),
                list(&got)
            ));
        }
    }
    if let Some(g) = &e.grant {
        let grant = d.grant.as_ref();
        if let Some(group) = &g.group {
            let got = grant.map(|g| g.group.as_ref().map_or("none", |x| x.name.as_str()));
            compare(out, "grant.group", Some(group), got);
        }
        if let Some(store) = &g.store {
            let got = grant
                .and_then(|g| g.group.as_ref())
                .map(|x| x.store.as_str());
            compare(out, "grant.store", Some(store), got);
        }
        if let Some(rights) = &g.rights {
            let got = grant.map(|g| list(&sorted(&g.rights)));
            compare(out, "grant.rights", Some(&list(rights)), got.as_deref());
        }
    }
}

fn exposure_mismatches(scenario: &Scenario, x: &Exposure, e: &ExposureExpectation) -> Vec<String> {
    let estate = &scenario.estate;
    let start = match (e.credential, e.client, e.segment) {
        (Some(a), _, _) => Start::Credential(a),
        (None, Some(m), _) => Start::Client(m),
        (None, None, Some(k)) => Start::Segment(k),
        (None, None, None) => return vec!["no credential, client or segment".to_string()],
    };
    let reached: Vec<String> = x
        .compromise(start, Reach::Direct)
        .into_iter()
        .map(|r| privilege_text(estate, r.privilege))
        .collect();
    let mut out = Vec::new();
    for y in &e.yields {
        if !reached.iter().any(|r| r.eq_ignore_ascii_case(y)) {
            out.push(format!("yields: expected `{y}`, not reached"));
        }
    }
    for n in &e.does_not_yield {
        if reached.iter().any(|r| r.eq_ignore_ascii_case(n)) {
            out.push(format!("does_not_yield: `{n}` is reached"));
        }
    }
    out
}

/// Checks every expectation of `scenario`: its decisions against the engine, its
/// exposure expectations against the graph.
pub fn check_all(scenario: &Scenario) -> Vec<Failed> {
    let estate = &scenario.estate;
    let mut failed = Vec::new();
    for e in &scenario.expectations {
        let r = resolve(estate, &scenario.state, e.advertisement, e.client);
        let got = resolution_output(estate, &r, None);
        let mismatches = decision_mismatches(scenario, e, &got, &r.trace.steps);
        if !mismatches.is_empty() {
            failed.push(Failed {
                path: e.path.clone(),
                position: e.position,
                question: format!("{} on {}", got.advertisement, got.client),
                because: e.because.clone(),
                mismatches,
            });
        }
    }
    if !scenario.exposure_expectations.is_empty() {
        let x = Exposure::build(estate, &scenario.state);
        for e in &scenario.exposure_expectations {
            let mismatches = exposure_mismatches(scenario, &x, e);
            if !mismatches.is_empty() {
                let question = match (e.credential, e.client) {
                    (Some(a), _) => format!("the password of {}", estate.qualified_name(a)),
                    (None, Some(m)) => format!("control of {}", estate.machine(m).name),
                    (None, None) => String::new(),
                };
                failed.push(Failed {
                    path: e.path.clone(),
                    position: e.position,
                    question,
                    because: e.because.clone(),
                    mismatches,
                });
            }
        }
    }
    failed.extend(push_failures(scenario));
    failed
}

/// The push expectations that the site's client push does not meet.
fn push_failures(scenario: &Scenario) -> Vec<Failed> {
    let estate = &scenario.estate;
    if scenario.push_expectations.is_empty() {
        return Vec::new();
    }
    let decisions = crate::engine::push::push_all(estate, &scenario.state);
    let got = crate::render::push_output(estate, &decisions);
    let mut failed = Vec::new();
    for e in &scenario.push_expectations {
        let name = estate.machine(e.target).name.to_string();
        let mut mismatches = Vec::new();
        match got.targets.iter().find(|t| t.target == name) {
            None => mismatches.push(format!("the site does not push to `{name}`")),
            Some(t) => {
                let installed = t.installed_by.clone().unwrap_or_else(|| "none".into());
                if let Some(want) = &e.installed_by
                    && !want.eq_ignore_ascii_case(&installed)
                {
                    mismatches.push(format!(
                        "installed_by: expected `{want}`, got `{installed}`"
                    ));
                }
                let tried: Vec<String> = t
                    .attempts
                    .iter()
                    .map(|a| format!("{} over {}", a.account, a.protocol))
                    .collect();
                if let Some(want) = &e.tried
                    && !same(want, &tried)
                {
                    mismatches.push(format!("tried: expected {want:?}, got {tried:?}"));
                }
                if let Some(want) = &e.ntlm_received
                    && !same(want, &t.ntlm_received)
                {
                    mismatches.push(format!(
                        "ntlm_received: expected {want:?}, got {:?}",
                        t.ntlm_received
                    ));
                }
            }
        }
        if !mismatches.is_empty() {
            failed.push(Failed {
                path: e.path.clone(),
                position: e.position,
                question: format!("client push to {name}"),
                because: e.because.clone(),
                mismatches,
            });
        }
    }
    failed
}

/// Two lists of names equal but for case.
fn same(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
}
