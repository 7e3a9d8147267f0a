//! The JSON of decisions, from typed output structs (`Serialize` and `JsonSchema`): the
//! document `trace --json` prints, with the scenario's warnings, every resolution's
//! decision, its NAL attempts in order, its token's groups and rights as lists, the
//! grant with its group's store, why-not when asked, and every step of its trace. Its
//! JSON Schema is [`decisions_schema`] (`fixtures/decisions.schema.json`).
//!
//! Keys are stable snake-case words; names are as the estate spells them (`STORE\name`
//! for accounts, `\\server\share` for shares); every step and decision also carries its
//! text, as the text rendering prints it.

use schemars::JsonSchema;
use serde::Serialize;

use super::{Names, SCHEMA_VERSION, summary, via_key};
use crate::decision::{Access, Context, Decision, Grant, Membership, Outcome, Token, Wait};
use crate::engine::WhyNot;
use crate::model::*;
use crate::scenario::Warning;
use crate::trace::{Fact, Resolution, Step};

/// The decisions of a scenario: the document `trace --json` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DecisionsOutput {
    /// The version of this format (2).
    pub schema_version: u32,
    /// The scenario's warnings: configurations the article says should never be.
    pub warnings: Vec<WarningOutput>,
    /// One entry a resolved (advertisement, client) pair.
    pub resolutions: Vec<ResolutionOutput>,
}

/// A warning of the scenario's validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct WarningOutput {
    /// The rule it breaks.
    pub rule: String,
    /// Where in the file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// One advertisement on one client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ResolutionOutput {
    /// The advertisement.
    pub advertisement: String,
    /// Its program.
    pub program: String,
    /// The client.
    pub client: String,
    /// What happens.
    pub decision: DecisionOutput,
    /// Every NAL attempt, in order: the existing connection found, each credential set
    /// tried and what it achieved.
    pub nal: Vec<NalAttemptOutput>,
    /// The single changes that would change the decision, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_not: Option<Vec<WhyNotOutput>>,
    /// Why, step by step; the last step is the outcome.
    pub trace: Vec<StepOutput>,
}

/// What happens to a program: runs, waits, fails or never runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// The program runs.
    Run,
    /// It waits for the logged-on state to change.
    Wait,
    /// It fails.
    Fail,
    /// It can never run on this client.
    Never,
}

/// What a waiting program waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WaitFor {
    /// A user to log on.
    Logon,
    /// The user to log off.
    NoUser,
}

/// Why a program fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FailureOutput {
    /// The reason, as a stable key (`logon_failed`, `no_connection`, ...).
    pub reason: String,
    /// The reason in words.
    pub text: String,
    /// The SMS status message id, where a source gives one (10003).
    pub status: Option<u16>,
    /// The Windows error.
    pub error: Option<u32>,
    /// The Windows error's symbolic name.
    pub error_name: Option<String>,
}

/// A decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DecisionOutput {
    /// Runs, waits, fails or never runs.
    pub outcome: OutcomeKind,
    /// What a waiting program waits for.
    pub wait_for: Option<WaitFor>,
    /// Why a failing program fails.
    pub failure: Option<FailureOutput>,
    /// The rule that settled the outcome.
    pub decided_by: String,
    /// `Pea32.exe` or `Smsapm32.exe`, once a context is chosen.
    pub launcher: Option<String>,
    /// `user`, `service` or `software_installation_account`.
    pub context: Option<String>,
    /// The account whose token the program runs with.
    pub account: Option<String>,
    /// That token.
    pub token: Option<TokenOutput>,
    /// The connection that reached the distribution point.
    pub distribution_point: Option<DistributionPointOutput>,
    /// The Software Installation account's grant for the run.
    pub grant: Option<GrantOutput>,
    /// The model assumptions the decision consulted.
    pub assumptions: Vec<String>,
    /// The decision in one line, as the text rendering prints it.
    pub text: String,
}

/// How the token holds the client's Administrators membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdministratorsMembership {
    /// Not a member.
    No,
    /// A standing member.
    Standing,
    /// Added for this run and removed after it.
    AddedForRun,
}

/// The token a program runs with, on its client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct TokenOutput {
    /// Whose.
    pub account: String,
    /// Its groups as seen on the client (global groups, and the client's local groups
    /// that hold the account or one of them), the Administrators group included when
    /// the token holds it.
    pub groups: Vec<String>,
    /// Its rights on the client: standing ones and those a rule gives it.
    pub rights: Vec<String>,
    /// How it holds the client's Administrators membership.
    pub administrators: AdministratorsMembership,
    /// Rights a rule gives the account for good (`SVC-TOKEN-RIGHTS`).
    pub rule_rights: Vec<String>,
    /// Rights added for this run only (`SWIA-GRANT`, A13).
    pub added_rights: Vec<String>,
}

/// The connection that reached the distribution point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DistributionPointOutput {
    /// The DP share.
    pub share: String,
    /// Whose credentials read the package; omitted for a Configuration Manager site
    /// token or an anonymous connection, which present no account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// The NAL step (or the Configuration Manager client's way) that connected.
    pub via: String,
}

/// A group with the account database that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct GroupOutput {
    /// `STORE\name`.
    pub name: String,
    /// The database: a machine's SAM or a domain's (on a DC, the domain's: D2).
    pub store: String,
    /// `machine` or `domain`.
    pub store_kind: String,
}

/// The Software Installation account's grant (`SWIA-GRANT`, `SWIA-REVOKE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct GrantOutput {
    /// The account.
    pub account: String,
    /// The Administrators group it joins; none when it is a standing member already.
    pub group: Option<GroupOutput>,
    /// The rights granted with it (A13).
    pub rights: Vec<String>,
    /// When it is added: before the program starts.
    pub added: String,
    /// When it is removed: when the program finishes.
    pub removed: String,
}

/// One NAL attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct NalAttemptOutput {
    /// The rule of the step.
    pub rule: String,
    /// `existing`, `current`, `server_session` or `connection_account_N`; at a
    /// Configuration Manager site `computer_account`, `site_token`,
    /// `network_access_account_N` or `anonymous`.
    pub via: String,
    /// The credentials tried; `none` for the site token and an anonymous connection.
    pub credential: String,
    /// The connection that lent them or was found, in words.
    pub connection: Option<String>,
    /// `read`, `denied`, `conflict`, or why they did not authenticate.
    pub result: String,
    /// The Windows error of a failed attempt.
    pub error: Option<u32>,
}

/// One why-not candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct WhyNotOutput {
    /// Its rank, from 1: candidates that make the program run first, then those that
    /// change who runs it or how it reaches the package, then the rest.
    pub rank: u32,
    /// What it does to the decision: `runs`, `changes_who_or_how` or `other`.
    pub effect: String,
    /// The change, in words.
    pub change: String,
    /// The decision it would give.
    pub decision: DecisionOutput,
}

/// One step of a trace: its kind, rule and text, and the fields of its facts that a
/// tool reads.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, JsonSchema)]
pub struct StepOutput {
    /// The kind of step (`client`, `program`, `nal_attempt`, `outcome`, ...).
    pub step: String,
    /// The rule that produced it.
    pub rule: String,
    /// The step as the text rendering prints it.
    pub text: String,
    /// The client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// The client's platform.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// The program.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// The logged-on user (`logged_on` steps: `null` when nobody is).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<Option<String>>,
    /// Whether the user is an administrator, when the decision needed it (A1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub administrator: Option<bool>,
    /// The context.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// The launcher.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launcher: Option<String>,
    /// The account the step is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// A share.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<String>,
    /// A connection found or lent, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
    /// A NAL step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// Credentials tried.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// What credentials achieved, or a logon's result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// A Windows error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<u32>,
    /// A non-SMS resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// A group (a grant's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupOutput>,
    /// Rights (a grant's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rights: Option<Vec<String>>,
    /// The outcome (the last step).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<OutcomeKind>,
}

fn rights(set: RightSet) -> Vec<String> {
    set.iter().map(|r| r.as_str().to_string()).collect()
}

impl Names<'_> {
    fn group(&self, group: AccountId) -> GroupOutput {
        let store = self.estate.account(group).store;
        GroupOutput {
            name: self.account(group),
            store: self.estate.store_name(store).to_string(),
            store_kind: match store {
                Store::Domain(_) => "domain".into(),
                Store::Local(_) => "machine".into(),
            },
        }
    }

    fn token(&self, account: AccountId, client: MachineId, token: &Token) -> TokenOutput {
        let e = self.estate;
        let (mut groups, held) = self.token_groups(account, client, token);
        groups.extend(held.map(|a| self.account(a)));
        TokenOutput {
            account: self.account(account),
            groups,
            rights: rights(
                e.standing_rights(account, client)
                    .union(token.rule_rights)
                    .union(token.added_rights),
            ),
            administrators: match token.administrators {
                Membership::None => AdministratorsMembership::No,
                Membership::Standing => AdministratorsMembership::Standing,
                Membership::AddedForRun => AdministratorsMembership::AddedForRun,
            },
            rule_rights: rights(token.rule_rights),
            added_rights: rights(token.added_rights),
        }
    }

    /// Local System's token: no account of the estate, so no group of it; the client's
    /// administrator with the rights the rules give it.
    fn local_system_token(&self, token: &Token) -> TokenOutput {
        TokenOutput {
            account: "NT AUTHORITY\\SYSTEM".into(),
            groups: Vec::new(),
            rights: rights(token.rule_rights),
            administrators: AdministratorsMembership::Standing,
            rule_rights: rights(token.rule_rights),
            added_rights: rights(token.added_rights),
        }
    }

    fn grant(&self, g: &Grant) -> GrantOutput {
        GrantOutput {
            account: self.account(g.account),
            group: g.group.map(|group| self.group(group)),
            rights: rights(g.rights),
            added: "before the program starts".into(),
            removed: "when the program finishes".into(),
        }
    }

    /// A decision as output: `client` is where it was made (for the token's groups).
    pub(crate) fn decision(&self, client: MachineId, d: &Decision) -> DecisionOutput {
        let (outcome, wait_for, failure) = match d.outcome {
            Outcome::Run => (OutcomeKind::Run, None, None),
            Outcome::Never => (OutcomeKind::Never, None, None),
            Outcome::Wait(w) => (
                OutcomeKind::Wait,
                Some(match w {
                    Wait::ForLogon => WaitFor::Logon,
                    Wait::ForNoUser => WaitFor::NoUser,
                }),
                None,
            ),
            Outcome::Fail(f) => (
                OutcomeKind::Fail,
                None,
                Some(FailureOutput {
                    reason: f.reason.key().into(),
                    text: f.reason.to_string(),
                    status: f.status,
                    error: f.error,
                    error_name: f
                        .error
                        .and_then(crate::decision::winerror::name)
                        .map(|(name, _)| name.to_string()),
                }),
            ),
        };
        DecisionOutput {
            outcome,
            wait_for,
            failure,
            decided_by: d.decided_by.as_str().into(),
            launcher: d.launcher.map(|l| l.file_name().into()),
            context: d.context.map(|c| c.key().into()),
            account: d.account.map(|a| self.account(a)),
            token: match (d.account, d.token, d.context) {
                (Some(a), Some(t), _) => Some(self.token(a, client, &t)),
                (None, Some(t), Some(Context::LocalSystem)) => Some(self.local_system_token(&t)),
                _ => None,
            },
            distribution_point: d.dp.map(|dp| DistributionPointOutput {
                share: self.share(dp.share),
                credential: dp.credential.map(|c| self.account(c)),
                via: via_key(dp.via),
            }),
            grant: d.grant.map(|g| self.grant(&g)),
            assumptions: d
                .assumptions
                .iter()
                .map(|a| a.rule().as_str().into())
                .collect(),
            text: summary(self.estate, d),
        }
    }

    fn nal_attempts(&self, steps: &[Step]) -> Vec<NalAttemptOutput> {
        let attempt = |rule, via: String, credential: Option<_>, connection, access: Access| {
            NalAttemptOutput {
                rule: crate::rules::RuleId::as_str(rule).into(),
                via,
                credential: credential.map_or_else(|| "none".into(), |c| self.account(c)),
                connection,
                result: access.key().into(),
                error: (access != Access::Read).then(|| access.error()),
            }
        };
        steps
            .iter()
            .filter_map(|s| match s.fact {
                Fact::NalExisting {
                    connection: Some(c),
                    access: Some(access),
                    ..
                } => Some(attempt(
                    s.rule,
                    "existing".into(),
                    Some(c.credential),
                    Some(self.connection(&c)),
                    access,
                )),
                Fact::NalAttempt {
                    via,
                    credential,
                    lent_by,
                    access,
                } => Some(attempt(
                    s.rule,
                    via_key(via),
                    Some(credential),
                    lent_by.map(|c| self.connection(&c)),
                    access,
                )),
                Fact::ContentAttempt {
                    via,
                    credential,
                    access,
                } => Some(attempt(s.rule, via_key(via), credential, None, access)),
                _ => None,
            })
            .collect()
    }

    fn step(&self, client: MachineId, step: &Step) -> StepOutput {
        let mut o = StepOutput {
            step: step.fact.kind().into(),
            rule: step.rule.as_str().into(),
            text: self.step_text(client, step),
            ..StepOutput::default()
        };
        match step.fact {
            Fact::Client { client, platform } => {
                o.client = Some(self.machine(client).into());
                o.platform = Some(platform.as_str().into());
            }
            Fact::Program { program, .. } => {
                o.program = Some(self.estate.program(program).name.clone())
            }
            Fact::LoggedOn {
                user,
                administrator,
            } => {
                o.user = Some(user.map(|u| self.account(u)));
                o.administrator = administrator;
            }
            Fact::Context { context } => o.context = Some(context.key().into()),
            Fact::Launcher { launcher } => o.launcher = Some(launcher.file_name().into()),
            Fact::Account { account, .. }
            | Fact::TokenAccountScope { account, .. }
            | Fact::Token { account, .. }
            | Fact::NalContext { account, .. } => o.account = Some(self.account(account)),
            Fact::Logon { account, result } => {
                o.account = Some(self.account(account));
                o.result = Some(result.err().map_or("logged_on", |f| f.key()).into());
                o.error = result.err().map(|f| f.error());
            }
            Fact::DistributionPoint { share, .. } => o.share = Some(self.share(share)),
            Fact::NalExisting {
                connection, access, ..
            } => {
                o.connection = connection.map(|c| self.connection(&c));
                o.credential = connection.map(|c| self.account(c.credential));
                o.result = access.map(|a| a.key().into());
            }
            Fact::NalAttempt {
                via,
                credential,
                lent_by,
                access,
            } => {
                o.via = Some(via_key(via));
                o.credential = Some(self.account(credential));
                o.connection = lent_by.map(|c| self.connection(&c));
                o.result = Some(access.key().into());
                o.error = (access != Access::Read).then(|| access.error());
            }
            Fact::Resource {
                resource,
                account,
                access,
            } => {
                o.resource = Some(self.estate.resource(resource).name.clone());
                o.account = Some(self.account(account));
                o.result = Some(access.key().into());
            }
            Fact::Grant { grant, error } => {
                o.account = Some(self.account(grant.account));
                o.group = grant.group.map(|g| self.group(g));
                o.rights = Some(rights(grant.rights));
                o.error = error;
            }
            Fact::Revoke { grant } => {
                o.account = Some(self.account(grant.account));
                o.group = grant.group.map(|g| self.group(g));
                o.rights = Some(rights(grant.rights));
            }
            Fact::WindowsError { error } => o.error = Some(error),
            Fact::Outcome { outcome } => {
                o.outcome = Some(match outcome {
                    Outcome::Run => OutcomeKind::Run,
                    Outcome::Wait(_) => OutcomeKind::Wait,
                    Outcome::Fail(f) => {
                        o.error = f.error;
                        OutcomeKind::Fail
                    }
                    Outcome::Never => OutcomeKind::Never,
                })
            }
            Fact::ContentAttempt {
                via,
                credential,
                access,
            } => {
                o.via = Some(via_key(via));
                o.credential = credential.map(|c| self.account(c));
                o.result = Some(access.key().into());
                o.error = (access != Access::Read).then(|| access.error());
            }
            Fact::ContentAgent { computer_account } => {
                o.account = computer_account.map(|a| self.account(a));
            }
            Fact::DefaultRead { share, account } => {
                o.share = Some(self.share(share));
                o.account = Some(self.account(account));
            }
            // The domains are named in the step's text.
            Fact::MissingTrust { .. } => {}
            Fact::NoDistributionPoint { .. }
            | Fact::NoServerSession
            | Fact::ConnectionAccounts { .. }
            | Fact::ConnectionAccountsSkipped
            | Fact::LocalSystem { .. }
            | Fact::NetworkAccessNotContext { .. }
            | Fact::NoComputerAccount
            | Fact::SiteToken { .. }
            | Fact::NetworkAccessAccounts { .. } => {}
        }
        o
    }
}

/// One resolution as output; `why_not` when it was asked for.
pub fn resolution_output(
    estate: &Estate,
    resolution: &Resolution,
    why_not: Option<&[WhyNot]>,
) -> ResolutionOutput {
    let names = Names { estate };
    let ad = estate.advertisement(resolution.advertisement);
    let client = resolution.client;
    ResolutionOutput {
        advertisement: ad.name.clone(),
        program: estate.program(ad.program).name.clone(),
        client: names.machine(client).into(),
        decision: names.decision(client, &resolution.decision),
        nal: names.nal_attempts(&resolution.trace.steps),
        why_not: why_not.map(|candidates| {
            candidates
                .iter()
                .enumerate()
                .map(|(i, w)| WhyNotOutput {
                    rank: i as u32 + 1,
                    effect: w.effect.key().into(),
                    change: w.change.clone(),
                    decision: names.decision(client, &w.decision),
                })
                .collect()
        }),
        trace: resolution
            .trace
            .steps
            .iter()
            .map(|s| names.step(client, s))
            .collect(),
    }
}

/// The decisions document of a scenario: its warnings and its resolutions, each with
/// its why-not candidates when `why_not` gives them (one list a resolution, in order).
pub fn decisions_output(
    estate: &Estate,
    warnings: &[Warning],
    resolutions: &[Resolution],
    why_not: Option<&[Vec<WhyNot>]>,
) -> DecisionsOutput {
    DecisionsOutput {
        schema_version: SCHEMA_VERSION,
        warnings: warnings
            .iter()
            .map(|w| WarningOutput {
                rule: w.rule.as_str().into(),
                path: w.path.clone(),
                message: w.message.clone(),
            })
            .collect(),
        resolutions: resolutions
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let candidates = why_not.and_then(|w| w.get(i)).map(Vec::as_slice);
                resolution_output(estate, r, candidates)
            })
            .collect(),
    }
}

/// The JSON Schema of [`DecisionsOutput`].
pub fn decisions_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(DecisionsOutput)).unwrap_or_default()
}

/// One decision as output, made on `client` (for the token's groups as seen there).
pub fn decision_output(estate: &Estate, client: MachineId, decision: &Decision) -> DecisionOutput {
    Names { estate }.decision(client, decision)
}

/// A group as output, with the account database that holds it.
pub fn group_output(estate: &Estate, group: AccountId) -> GroupOutput {
    Names { estate }.group(group)
}
