//! Expected decisions and exposure written in a scenario file: the author's reading of
//! the article, lowered here with every name resolved and every key checked, and checked
//! against the engine and the exposure graph by `verify` (the `trace` and
//! `validate` examples, and the fixture tests).
//!
//! Every expected value is kept in the words the file uses (the keys of `trace --json`:
//! `service`, `connection_account_1`, `added_for_run`), so that a miss is reported in
//! the file's own words.

use super::raw::{RawExpectation, RawExposureExpectation, RawOutcome, RawWaitFor};
use super::resolve::{Resolver, not_a_target};
use crate::decision::{Context, Launcher};
use crate::model::{AccountId, AdvertisementId, Estate, MachineId, Right};
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
    /// The key `trace --json` gives the outcome: `run`, `wait`, `fail`, `never`.
    pub const fn key(self) -> &'static str {
        match self {
            ExpectedOutcome::Run => "run",
            ExpectedOutcome::Wait => "wait",
            ExpectedOutcome::Fail => "fail",
            ExpectedOutcome::Never => "never",
        }
    }
}

/// An expected failure; `None` parts are not checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExpectedFailure {
    /// The reason's key (`logon_failed`, ...).
    pub reason: Option<String>,
    /// The SMS status.
    pub status: Option<u16>,
    /// The Windows error.
    pub error: Option<u32>,
}

/// An expected token; `None` parts are not checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExpectedToken {
    /// Every group, as qualified names, sorted.
    pub groups: Option<Vec<String>>,
    /// Every right, sorted.
    pub rights: Option<Vec<String>>,
    /// `no`, `standing` or `added_for_run`.
    pub administrators: Option<String>,
}

/// One expected NAL attempt, in the keys of `trace --json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedNal {
    /// `existing`, `current`, `server_session`, `connection_account_N`.
    pub via: String,
    /// The credentials, qualified.
    pub credential: String,
    /// `read`, `denied`, `conflict`, or the authentication failure's key.
    pub result: String,
}

/// An expected grant; `None` parts are not checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExpectedGrant {
    /// The group joined, qualified, or `none` for a standing member.
    pub group: Option<String>,
    /// The database that holds it.
    pub store: Option<String>,
    /// The rights, sorted.
    pub rights: Option<Vec<String>>,
}

/// An expected decision, with every name resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// Where the file writes it: `expectations[i]`.
    pub path: String,
    /// Its line and column in the file, when loaded from text.
    pub position: Option<(usize, usize)>,
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
    /// `logon` or `no_user`, when checked.
    pub wait_for: Option<String>,
    /// The failure, when checked.
    pub failure: Option<ExpectedFailure>,
    /// The token, when checked.
    pub token: Option<ExpectedToken>,
    /// The NAL attempts in order, when checked.
    pub nal: Option<Vec<ExpectedNal>>,
    /// The grant, when checked.
    pub grant: Option<ExpectedGrant>,
    /// The author's reason.
    pub because: String,
}

/// What a credential or a client must and must not yield (standing reach).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposureExpectation {
    /// Where the file writes it: `exposure_expectations[i]`.
    pub path: String,
    /// Its line and column in the file, when loaded from text.
    pub position: Option<(usize, usize)>,
    /// The known password's account, or
    pub credential: Option<AccountId>,
    /// the controlled client, or
    pub client: Option<MachineId>,
    /// the network segment (its index in the site's `osd.segments`).
    pub segment: Option<u32>,
    /// Privileges that must be reached, in `exposure`'s words.
    pub yields: Vec<String>,
    /// Privileges that must not be.
    pub does_not_yield: Vec<String>,
    /// The author's reason.
    pub because: String,
}

/// The failure reasons' keys, as `trace --json` gives them.
pub const FAIL_REASONS: [&str; 8] = [
    "software_installation_on_win9x",
    "logon_failed",
    "token_account_unusable",
    "grant_failed",
    "no_distribution_point",
    "existing_connection_cannot_read",
    "no_connection",
    "no_content_access",
];

/// The results of a NAL attempt, as `trace --json` gives them.
pub const NAL_RESULTS: [&str; 11] = [
    "read",
    "denied",
    "conflict",
    "unknown_account",
    "local_account",
    "untrusted_domain",
    "disabled",
    "locked_out",
    "stale_password",
    "server_down",
    "network_logon_denied",
];

fn one_of(value: &str, keys: &[&str]) -> Result<String, String> {
    if keys.contains(&value) {
        Ok(value.to_string())
    } else {
        let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
        Err(format!(
            "unknown value `{value}`; expected one of {}",
            keys.join(", ")
        ))
    }
}

fn via_key(value: &str) -> Result<String, String> {
    let numbered = ["connection_account_", "network_access_account_"]
        .iter()
        .filter_map(|p| value.strip_prefix(p))
        .any(|n| n.parse::<u16>().is_ok_and(|n| n >= 1));
    let named = [
        "existing",
        "current",
        "server_session",
        "computer_account",
        "site_token",
        "anonymous",
    ];
    if numbered || named.contains(&value) {
        Ok(value.to_string())
    } else {
        Err(format!(
            "unknown NAL step `{value}`; expected `existing`, `current`, `server_session` or `connection_account_N` (Configuration Manager: `computer_account`, `site_token`, `network_access_account_N` or `anonymous`)"
        ))
    }
}

fn rights(names: &[crate::model::Text]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for n in names {
        match Right::parse(n) {
            Some(r) => out.push(r.as_str().to_string()),
            None => return Err(format!("unknown right `{n}`")),
        }
    }
    out.sort();
    Ok(out)
}

/// Collects the problems of one expectation's fields.
struct Lowering<'p> {
    path: String,
    problems: &'p mut Vec<(String, String)>,
    ok: bool,
}

impl Lowering<'_> {
    fn problem(&mut self, field: &str, message: String) {
        self.problems
            .push((format!("{}.{field}", self.path), message));
        self.ok = false;
    }

    fn take<T>(&mut self, field: &str, r: Result<T, String>) -> Option<T> {
        r.map_err(|m| self.problem(field, m)).ok()
    }
}

fn launcher(l: &mut Lowering<'_>, text: Option<&str>) -> Option<Launcher> {
    match text {
        None => None,
        Some("Pea32.exe") => Some(Launcher::Pea32),
        Some("Smsapm32.exe") => Some(Launcher::Smsapm32),
        Some("CcmExec.exe") => Some(Launcher::CcmExec),
        Some(other) => {
            l.problem(
                "launcher",
                format!("unknown launcher `{other}`; expected `Pea32.exe`, `Smsapm32.exe` or `CcmExec.exe`"),
            );
            None
        }
    }
}

fn context(l: &mut Lowering<'_>, text: Option<&str>) -> Option<Context> {
    match text {
        None => None,
        Some("user") => Some(Context::User),
        Some("service") => Some(Context::Service),
        Some("software_installation_account") => Some(Context::SoftwareInstallation),
        Some("local_system") => Some(Context::LocalSystem),
        Some(other) => {
            l.problem(
                "context",
                format!(
                    "unknown context `{other}`; expected `user`, `service`, `software_installation_account` or `local_system`"
                ),
            );
            None
        }
    }
}

/// The parts of a decision beyond its outcome, context and account: failure, token,
/// NAL attempts and grant, each in the file's keys.
#[allow(
    clippy::type_complexity,
    reason = "a tuple of the four parts, used once"
)]
fn details(
    l: &mut Lowering<'_>,
    names: Resolver<'_>,
    e: &RawExpectation,
) -> (
    Option<ExpectedFailure>,
    Option<ExpectedToken>,
    Option<Vec<ExpectedNal>>,
    Option<ExpectedGrant>,
) {
    let qualified = |l: &mut Lowering<'_>, field: &str, text: &str| {
        l.take(field, names.account(text))
            .map(|a| names.0.qualified_name(a))
    };
    let failure = e.failure.as_ref().map(|f| ExpectedFailure {
        reason: f
            .reason
            .as_deref()
            .and_then(|r| l.take("failure.reason", one_of(r, &FAIL_REASONS))),
        status: f.status,
        error: f.error,
    });
    let token = e.token.as_ref().map(|t| {
        let groups = t.groups.as_ref().map(|gs| {
            let mut out: Vec<String> = gs
                .iter()
                .enumerate()
                .filter_map(|(i, g)| qualified(l, &format!("token.groups[{i}]"), g))
                .collect();
            out.sort();
            out
        });
        ExpectedToken {
            groups,
            rights: t
                .rights
                .as_ref()
                .and_then(|r| l.take("token.rights", rights(r))),
            administrators: t.administrators.as_deref().and_then(|a| {
                l.take(
                    "token.administrators",
                    one_of(a, &["no", "standing", "added_for_run"]),
                )
            }),
        }
    });
    let nal = e.nal.as_ref().map(|attempts| {
        attempts
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                let via = l.take(&format!("nal[{i}].via"), via_key(&a.via));
                // The site token and an anonymous connection present no account.
                let credential = if a.credential == "none" {
                    Some("none".to_string())
                } else {
                    qualified(l, &format!("nal[{i}].credential"), &a.credential)
                };
                let result = l.take(&format!("nal[{i}].result"), one_of(&a.result, &NAL_RESULTS));
                Some(ExpectedNal {
                    via: via?,
                    credential: credential?,
                    result: result?,
                })
            })
            .collect()
    });
    let grant = e.grant.as_ref().map(|g| ExpectedGrant {
        group: g.group.as_deref().and_then(|t| {
            if t == "none" {
                Some("none".to_string())
            } else {
                qualified(l, "grant.group", t)
            }
        }),
        store: g.store.as_ref().map(|s| s.to_string()),
        rights: g
            .rights
            .as_ref()
            .and_then(|r| l.take("grant.rights", rights(r))),
    });
    (failure, token, nal, grant)
}

/// Lowers the expectations of a file; problems go to `problems`.
pub(super) fn lower(
    raw: &[RawExpectation],
    estate: &Estate,
    problems: &mut Vec<(String, String)>,
) -> Vec<Expectation> {
    let mut out = Vec::new();
    let names = Resolver(estate);
    for (i, e) in raw.iter().enumerate() {
        let mut l = Lowering {
            path: format!("expectations[{i}]"),
            problems,
            ok: true,
        };
        let ad = l.take("advertisement", names.advertisement(&e.advertisement));
        let client = l.take("client", names.machine(&e.client));
        if let (Some(a), Some(c)) = (ad, client)
            && !estate.advertisement(a).targets.contains(&c)
        {
            l.problem("client", not_a_target(&e.client, &e.advertisement));
        }
        let launcher = launcher(&mut l, e.launcher.as_deref());
        let context = context(&mut l, e.context.as_deref());
        let account = e
            .account
            .as_deref()
            .and_then(|t| l.take("account", names.account(t)));
        let dp_credential = match e.dp_credential.as_deref() {
            None => None,
            Some("none") => Some(None),
            Some(t) => Some(l.take("dp_credential", names.account(t))),
        };
        let mut rules = Vec::new();
        for (j, r) in e.rules.iter().enumerate() {
            match RuleId::parse(r) {
                Some(id) => rules.push(id),
                None => l.problem(&format!("rules[{j}]"), format!("unknown rule id `{r}`")),
            }
        }
        let (failure, token, nal, grant) = details(&mut l, names, e);
        let wait_for = e.wait_for.map(|w| match w {
            RawWaitFor::Logon => "logon".to_string(),
            RawWaitFor::NoUser => "no_user".to_string(),
        });
        if let (true, Some(advertisement), Some(client)) = (l.ok, ad, client) {
            out.push(Expectation {
                path: l.path,
                position: None,
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
                wait_for,
                failure,
                token,
                nal,
                grant,
                because: e.because.to_string(),
            });
        }
    }
    out
}

/// Lowers the exposure expectations of a file; problems go to `problems`.
pub(super) fn lower_exposure(
    raw: &[RawExposureExpectation],
    estate: &Estate,
    problems: &mut Vec<(String, String)>,
) -> Vec<ExposureExpectation> {
    let names = Resolver(estate);
    let mut out = Vec::new();
    for (i, e) in raw.iter().enumerate() {
        let mut l = Lowering {
            path: format!("exposure_expectations[{i}]"),
            problems,
            ok: true,
        };
        let credential = e
            .credential
            .as_deref()
            .and_then(|t| l.take("credential", names.account(t)));
        let client = e
            .client
            .as_deref()
            .and_then(|t| l.take("client", names.machine(t)));
        let segment = e
            .segment
            .as_deref()
            .and_then(|t| l.take("segment", names.segment(t)));
        let given = [
            e.credential.is_some(),
            e.client.is_some(),
            e.segment.is_some(),
        ];
        if given.iter().filter(|&&g| g).count() != 1 {
            l.problem(
                "credential",
                "give exactly one of `credential`, `client` and `segment`".to_string(),
            );
        }
        if l.ok {
            out.push(ExposureExpectation {
                path: l.path,
                position: None,
                credential,
                client,
                segment,
                yields: e.yields.iter().map(|t| t.to_string()).collect(),
                does_not_yield: e.does_not_yield.iter().map(|t| t.to_string()).collect(),
                because: e.because.to_string(),
            });
        }
    }
    out
}

/// An expected client push decision, lowered: the target resolved, the rest compared in
/// the words of `push --json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushExpectation {
    /// Where the file writes it: `push_expectations[i]`.
    pub path: String,
    /// Its line and column in the file, when loaded from text.
    pub position: Option<(usize, usize)>,
    /// The target.
    pub target: MachineId,
    /// The account that installs (`none` for none).
    pub installed_by: Option<String>,
    /// The tries, `DOMAIN\name over PROTOCOL`.
    pub tried: Option<Vec<String>>,
    /// The accounts whose NTLM authentication the target receives.
    pub ntlm_received: Option<Vec<String>>,
    /// The author's reason.
    pub because: String,
}

/// Lowers `push_expectations`: each target a machine of the estate.
pub(crate) fn lower_push(
    raw: &[crate::scenario::raw::RawPushExpectation],
    estate: &Estate,
    problems: &mut Vec<(String, String)>,
) -> Vec<PushExpectation> {
    let mut out = Vec::new();
    for (i, e) in raw.iter().enumerate() {
        let path = format!("push_expectations[{i}]");
        match crate::scenario::Resolver(estate).machine(&e.target) {
            Err(why) => problems.push((format!("{path}.target"), why)),
            Ok(target) => out.push(PushExpectation {
                path,
                position: None,
                target,
                installed_by: e.installed_by.as_ref().map(|t| t.to_string()),
                tried: e
                    .tried
                    .as_ref()
                    .map(|v| v.iter().map(|t| t.to_string()).collect()),
                ntlm_received: e
                    .ntlm_received
                    .as_ref()
                    .map(|v| v.iter().map(|t| t.to_string()).collect()),
                because: e.because.to_string(),
            }),
        }
    }
    out
}
