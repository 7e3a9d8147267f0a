//! Expected decisions written in a scenario file: the author's reading of the article,
//! checked against the engine by the tests and by the `trace` and `validate` examples.

use super::raw::{RawExpectation, RawOutcome};
use super::resolve::{Resolver, not_a_target};
use crate::engine::{Context, Launcher, Outcome, Resolution};
use crate::model::{AccountId, AdvertisementId, Estate, MachineId};
use crate::rules::RuleId;

/// The kind of outcome expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExpectedOutcome {
    /// Runs.
    Run,
    /// Waits.
    Wait,
    /// Fails.
    Fail,
    /// Never runs.
    Never,
}

impl ExpectedOutcome {
    fn matches(self, outcome: Outcome) -> bool {
        matches!(
            (self, outcome),
            (ExpectedOutcome::Run, Outcome::Run)
                | (ExpectedOutcome::Wait, Outcome::Wait(_))
                | (ExpectedOutcome::Fail, Outcome::Fail(_))
                | (ExpectedOutcome::Never, Outcome::Never)
        )
    }
}

/// An expected decision, with every name resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// The advertisement.
    pub advertisement: AdvertisementId,
    /// The client.
    pub client: MachineId,
    /// The outcome.
    pub outcome: ExpectedOutcome,
    /// The launcher, when checked.
    pub launcher: Option<Launcher>,
    /// The context, when checked.
    pub context: Option<Context>,
    /// The account, when checked.
    pub account: Option<AccountId>,
    /// The DP credential (`Some(None)`: no connection), when checked.
    pub dp_credential: Option<Option<AccountId>>,
    /// The Windows error, when checked.
    pub error: Option<u32>,
    /// Rules that must name a step of the trace or be an assumption the decision
    /// consulted.
    pub rules: Vec<RuleId>,
    /// The author's reason.
    pub because: String,
}

impl Expectation {
    /// The ways `resolution` differs from this expectation; empty when it matches.
    pub fn mismatches(&self, estate: &Estate, resolution: &Resolution) -> Vec<String> {
        let d = &resolution.decision;
        let mut out = Vec::new();
        if !self.outcome.matches(d.outcome) {
            out.push(format!(
                "outcome: expected {:?}, got {:?}",
                self.outcome, d.outcome
            ));
        }
        if self.launcher.is_some() && self.launcher != d.launcher {
            out.push(format!(
                "launcher: expected {:?}, got {:?}",
                self.launcher, d.launcher
            ));
        }
        if self.context.is_some() && self.context != d.context {
            out.push(format!(
                "context: expected {:?}, got {:?}",
                self.context, d.context
            ));
        }
        let name =
            |a: Option<AccountId>| a.map_or("none".to_string(), |a| estate.qualified_name(a));
        if self.account.is_some() && self.account != d.account {
            out.push(format!(
                "account: expected {}, got {}",
                name(self.account),
                name(d.account)
            ));
        }
        if let Some(expected) = self.dp_credential {
            let got = d.dp.map(|dp| dp.credential);
            if expected != got {
                out.push(format!(
                    "DP credential: expected {}, got {}",
                    name(expected),
                    name(got)
                ));
            }
        }
        if let Some(error) = self.error {
            let got = match d.outcome {
                Outcome::Fail(f) => f.error,
                _ => None,
            };
            if got != Some(error) {
                out.push(format!("error: expected {error}, got {got:?}"));
            }
        }
        for rule in &self.rules {
            let stepped = resolution.trace.steps.iter().any(|s| s.rule == *rule);
            let consulted = d.assumptions.iter().any(|a| a.rule() == *rule);
            if !stepped && !consulted {
                out.push(format!(
                    "rule {rule} neither names a step nor was consulted"
                ));
            }
        }
        out
    }
}

/// Lowers the expectations of a file; problems go to `problems`.
pub(super) fn lower(
    raw: &[RawExpectation],
    estate: &Estate,
    problems: &mut Vec<(String, String)>,
) -> Vec<Expectation> {
    let mut out = Vec::new();
    for (i, e) in raw.iter().enumerate() {
        let path = format!("expectations[{i}]");
        let mut ok = true;
        let mut problem = |field: &str, message: String| {
            problems.push((format!("{path}.{field}"), message));
            ok = false;
        };
        let names = Resolver(estate);
        let ad = names
            .advertisement(&e.advertisement)
            .map_err(|m| problem("advertisement", m))
            .ok();
        let client = names
            .machine(&e.client)
            .map_err(|m| problem("client", m))
            .ok();
        if let (Some(a), Some(c)) = (ad, client)
            && !estate.advertisement(a).targets.contains(&c)
        {
            problem("client", not_a_target(&e.client, &e.advertisement));
        }
        let launcher = match e.launcher.as_deref() {
            None => None,
            Some("Pea32.exe") => Some(Launcher::Pea32),
            Some("Smsapm32.exe") => Some(Launcher::Smsapm32),
            Some(other) => {
                problem(
                    "launcher",
                    format!("unknown launcher `{other}`; expected `Pea32.exe` or `Smsapm32.exe`"),
                );
                None
            }
        };
        let context = match e.context.as_deref() {
            None => None,
            Some("user") => Some(Context::User),
            Some("service") => Some(Context::Service),
            Some("software_installation_account") => Some(Context::SoftwareInstallation),
            Some(other) => {
                problem(
                    "context",
                    format!(
                        "unknown context `{other}`; expected `user`, `service` or `software_installation_account`"
                    ),
                );
                None
            }
        };
        let mut account_of =
            |field: &str, text: &str| names.account(text).map_err(|m| problem(field, m)).ok();
        let account = e
            .account
            .as_deref()
            .map(|t| account_of("account", t))
            .unwrap_or(None);
        let dp_credential = match e.dp_credential.as_deref() {
            None => None,
            Some("none") => Some(None),
            Some(t) => Some(account_of("dp_credential", t)),
        };
        let mut rules = Vec::new();
        for (j, r) in e.rules.iter().enumerate() {
            match RuleId::parse(r) {
                Some(id) => rules.push(id),
                None => problem(&format!("rules[{j}]"), format!("unknown rule id `{r}`")),
            }
        }
        if let (true, Some(advertisement), Some(client)) = (ok, ad, client) {
            out.push(Expectation {
                advertisement,
                client,
                outcome: match e.outcome {
                    RawOutcome::Run => ExpectedOutcome::Run,
                    RawOutcome::Wait => ExpectedOutcome::Wait,
                    RawOutcome::Fail => ExpectedOutcome::Fail,
                    RawOutcome::Never => ExpectedOutcome::Never,
                },
                launcher,
                context,
                account,
                dp_credential,
                error: e.error,
                rules,
                because: e.because.to_string(),
            });
        }
    }
    out
}

/// A failed expectation of a scenario file: where it is written, why its author
/// expected it, and how the engine's decision differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// `expectations[i]`.
    pub path: String,
    /// The advertisement and client, as the file names them.
    pub question: String,
    /// The author's reason.
    pub because: String,
    /// Each difference, in the file's words (`context: expected service, got user`).
    pub mismatches: Vec<String>,
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "expectation failed: {}: {}: {} (because: {})",
            self.path,
            self.question,
            self.mismatches.join("; "),
            self.because
        )
    }
}

/// Checks every expectation of `scenario` against the engine.
pub fn check_all(scenario: &super::Scenario) -> Vec<Failed> {
    let e = &scenario.estate;
    scenario
        .expectations
        .iter()
        .enumerate()
        .filter_map(|(i, x)| {
            let r = crate::engine::resolve(e, &scenario.state, x.advertisement, x.client);
            let mismatches = x.mismatches(e, &r);
            (!mismatches.is_empty()).then(|| Failed {
                path: format!("expectations[{i}]"),
                question: format!(
                    "{} on {}",
                    e.advertisement(x.advertisement).name,
                    e.machine(x.client).name
                ),
                because: x.because.clone(),
                mismatches,
            })
        })
        .collect()
}
