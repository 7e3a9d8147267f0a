//! The JSON of a replayed timeline, from typed output structs (`Serialize` and
//! `JsonSchema`): every log entry as a typed event (time, client, kind, account, the
//! group with its store and the rights of a grant, the rule, the decision of a program
//! start), each advertisement's state as data, and the grants in force. Its JSON Schema
//! is [`timeline_output_schema`] (`fixtures/timeline-output.schema.json`).

use schemars::JsonSchema;
use serde::Serialize;

use super::file::{entry_text, format_time, state_text};
use super::{AdState, Ended, Entry, Event, LogEntry, PushState, Timeline, Waiting};
use crate::model::*;
use crate::render::{
    DecisionOutput, GroupOutput, decision_output, group_output, outcome_key, protocol_key,
};
use crate::rules::RuleId;

/// The version of the timeline output: 2 since these output structs.
pub const SCHEMA_VERSION: u32 = 2;

/// A replayed day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct TimelineOutput {
    /// The version of this format (2).
    pub schema_version: u32,
    /// Every entry of the log, in time order.
    pub log: Vec<LogEntryOutput>,
    /// Where every advertisement stands at the end, by client.
    pub advertisements: Vec<AdvertisementStateOutput>,
    /// The Software Installation account's grants still in force at the end.
    pub grants: Vec<GrantInForce>,
    /// Where each push started during the timeline stands at its end, in target order
    /// (`CM-PUSH-RETRY`); absent when none was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pushes: Vec<PushStateOutput>,
}

/// Where the push to one target stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PushStateOutput {
    /// The target.
    pub target: String,
    /// `pending`, `installed` or `abandoned`.
    pub state: String,
    /// Pending: when the next round is; installed: when; abandoned: when the last
    /// round failed.
    pub at: String,
    /// Pending: the round due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub round: Option<u16>,
    /// Installed: the account that installed the client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installed_by: Option<String>,
    /// The state in words.
    pub text: String,
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, JsonSchema)]
pub struct LogEntryOutput {
    /// When (`HH:MM:SS`).
    pub at: String,
    /// The client it concerns, if one.
    pub client: Option<String>,
    /// `event`, `started`, `finished`, `grant_added`, `grant_removed`,
    /// `retry_scheduled`, `bad_password`, `connection_refused`, `locked_out` or
    /// `unlocked`.
    pub kind: String,
    /// For an event: its kind, as timeline files name it (`log_on`, `reboot`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// The advertisement it concerns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advertisement: Option<String>,
    /// The account it concerns (for `member_added` and `member_removed`, the member).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// For `read_granted` and `read_revoked`: the package.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// For `read_granted` and `read_revoked`: the distribution point of the package's
    /// copy, `\\server\share`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution_point: Option<String>,
    /// A grant's group, with the database that holds it (on a DC, the domain's: D2); for
    /// `member_added` and `member_removed`, the group that changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupOutput>,
    /// A grant's rights (A13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rights: Option<Vec<String>>,
    /// The server it concerns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// A program start's decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionOutput>,
    /// A run's end: `succeeded`, or why it failed (`decision`, `never`, `crash`,
    /// `timeout`, `reboot`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// A bad-password counter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u8>,
    /// When a retry is due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<String>,
    /// A collection variable's or a deployment's collection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection: Option<String>,
    /// A collection variable's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
    /// A deployment's task sequence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_sequence: Option<String>,
    /// A push round: the round of a try or of the retry scheduled, the last round of an
    /// abandoned push.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub round: Option<u16>,
    /// A push try's protocol: `kerberos`, `ntlm` or `refused` (nothing sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// A push try's rules: its order, its protocol, its outcome, and `CM-PUSH-NTLM-BUG`
    /// when a WMI query over NTLM follows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<String>>,
    /// The rule behind it, where one is.
    pub rule: Option<String>,
    /// The entry as the text log prints it.
    pub text: String,
}

/// Where one advertisement stands on one client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct AdvertisementStateOutput {
    /// The advertisement.
    pub advertisement: String,
    /// The client.
    pub client: String,
    /// `not_received`, `waiting`, `running`, `succeeded` or `failed`.
    pub state: String,
    /// What a waiting one waits for: `logon`, `no_user`, `retry` or `services`.
    pub waiting_for: Option<String>,
    /// When a retry is due, or since when it runs.
    pub at: Option<String>,
    /// A running one's decision.
    pub decision: Option<DecisionOutput>,
    /// Why a failed one failed (`decision`, `never`, `crash`, `timeout`, `reboot`).
    pub failure: Option<String>,
    /// The state in words.
    pub text: String,
}

/// A grant in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct GrantInForce {
    /// The client.
    pub client: String,
    /// The account.
    pub account: String,
}

const fn event_key(event: &Event) -> &'static str {
    match event {
        Event::LogOn { .. } => "log_on",
        Event::LogOff { .. } => "log_off",
        Event::Connect { .. } => "connect",
        Event::Disconnect { .. } => "disconnect",
        Event::AdvertisementReceived { .. } => "advertisement_received",
        Event::ProgramFinish { .. } => "program_finish",
        Event::ProgramCrash { .. } => "program_crash",
        Event::ProgramTimeout { .. } => "program_timeout",
        Event::Reboot { .. } => "reboot",
        Event::ServicesStarted { .. } => "services_started",
        Event::AccountDisabled { .. } => "account_disabled",
        Event::AccountEnabled { .. } => "account_enabled",
        Event::PasswordChanged { .. } => "password_changed",
        Event::SiteDataRefreshed { .. } => "site_data_refreshed",
        Event::ServerDown { .. } => "server_down",
        Event::ServerUp { .. } => "server_up",
        Event::TrustAdded { .. } => "trust_added",
        Event::TrustRemoved { .. } => "trust_removed",
        Event::ReadGranted { .. } => "read_granted",
        Event::ReadRevoked { .. } => "read_revoked",
        Event::MemberAdded { .. } => "member_added",
        Event::MemberRemoved { .. } => "member_removed",
        Event::NetworkAccessAccountAdded { .. } => "network_access_account_added",
        Event::NetworkAccessAccountRemoved { .. } => "network_access_account_removed",
        Event::PushStarted { .. } => "push_started",
        Event::CollectionVariableAdded { .. } => "collection_variable_added",
        Event::CollectionVariableRemoved { .. } => "collection_variable_removed",
        Event::DeploymentAdded { .. } => "deployment_added",
        Event::DeploymentRemoved { .. } => "deployment_removed",
    }
}

const fn ended_key(ended: Ended) -> &'static str {
    match ended {
        Ended::Decision(_) => "decision",
        Ended::Never => "never",
        Ended::Crash => "crash",
        Ended::Timeout => "timeout",
        Ended::Reboot => "reboot",
    }
}

/// The fields of a handled event: who and what it names.
fn event_fields(e: &Estate, o: &mut LogEntryOutput, event: Event) {
    let name = |a: AccountId| Some(e.qualified_name(a));
    let ad = |a: AdvertisementId| Some(e.advertisement(a).name.clone());
    match event {
        Event::LogOn { user, .. } => o.account = name(user),
        Event::AccountDisabled { account }
        | Event::AccountEnabled { account }
        | Event::PasswordChanged { account }
        | Event::NetworkAccessAccountAdded { account }
        | Event::NetworkAccessAccountRemoved { account } => o.account = name(account),
        Event::Connect { connection, .. } => {
            o.account = name(connection.credential);
            o.server = Some(e.machine(connection.server).name.to_string());
        }
        Event::Disconnect { server, .. }
        | Event::ServerDown { server }
        | Event::ServerUp { server } => o.server = Some(e.machine(server).name.to_string()),
        Event::AdvertisementReceived { advertisement, .. }
        | Event::ProgramFinish { advertisement, .. }
        | Event::ProgramCrash { advertisement, .. }
        | Event::ProgramTimeout { advertisement, .. } => o.advertisement = ad(advertisement),
        Event::ReadGranted {
            package,
            share,
            account,
        }
        | Event::ReadRevoked {
            package,
            share,
            account,
        } => {
            o.account = name(account);
            o.package = Some(e.package(package).id.clone());
            o.distribution_point = Some(e.share_path(share));
            o.server = Some(e.machine(e.share(share).server).name.to_string());
        }
        Event::MemberAdded { group, member } | Event::MemberRemoved { group, member } => {
            o.account = name(member);
            o.group = Some(group_output(e, group));
        }
        Event::CollectionVariableAdded {
            collection,
            variable,
        }
        | Event::CollectionVariableRemoved {
            collection,
            variable,
        } => {
            o.collection = Some(e.collection(collection).name.clone());
            let v = e.site().configmgr.osd.variable(collection, variable);
            o.variable = v.map(|v| v.name.clone());
            o.account = v.and_then(|v| v.account).and_then(name);
        }
        Event::DeploymentAdded { deployment } | Event::DeploymentRemoved { deployment } => {
            let osd = &e.site().configmgr.osd;
            if let Some(d) = osd.deployments.get(deployment as usize) {
                o.collection = Some(e.collection(d.collection).name.clone());
                o.task_sequence = Some(osd.task_sequences[d.task_sequence].name.clone());
            }
        }
        _ => {}
    }
}

fn entry_output(e: &Estate, entry: &LogEntry) -> LogEntryOutput {
    let name = |a: AccountId| Some(e.qualified_name(a));
    let ad = |a: AdvertisementId| Some(e.advertisement(a).name.clone());
    let mut o = LogEntryOutput {
        at: format_time(entry.at),
        client: entry.client.map(|c| e.machine(c).name.to_string()),
        rule: entry.rule.map(|r| r.as_str().to_string()),
        text: entry_text(e, entry),
        ..LogEntryOutput::default()
    };
    o.kind = match entry.entry {
        Entry::Event(event) => {
            o.event = Some(event_key(&event).into());
            event_fields(e, &mut o, event);
            "event"
        }
        Entry::Started {
            advertisement,
            decision,
        } => {
            o.advertisement = ad(advertisement);
            o.decision = entry.client.map(|c| decision_output(e, c, &decision));
            "started"
        }
        Entry::Finished {
            advertisement,
            result,
        } => {
            o.advertisement = ad(advertisement);
            o.result = Some(result.map_or_else(ended_key, |()| "succeeded").into());
            "finished"
        }
        Entry::Grant { account, added, .. } => {
            o.account = name(account);
            // The grant is a membership of the client's Administrators group: the
            // domain's on a DC (D2); the Software Installation account's comes with the
            // site's rights (A13), a transient token membership with none (A3).
            o.group = entry
                .client
                .and_then(|c| e.administrators_of(c))
                .map(|g| group_output(e, g));
            let rights = if e.site().software_installation_account == Some(account) {
                e.site().software_installation_rights
            } else {
                RightSet::EMPTY
            };
            o.rights = Some(rights.iter().map(|r| r.as_str().to_string()).collect());
            if added {
                "grant_added"
            } else {
                "grant_removed"
            }
        }
        Entry::RetryScheduled { advertisement, at } => {
            o.advertisement = ad(advertisement);
            o.retry_at = Some(format_time(at));
            "retry_scheduled"
        }
        Entry::BadPassword { account, count } => {
            o.account = name(account);
            o.count = Some(count);
            "bad_password"
        }
        Entry::ConnectionRefused { server } => {
            o.server = Some(e.machine(server).name.to_string());
            "connection_refused"
        }
        Entry::Lockout { account, locked } => {
            o.account = name(account);
            if locked { "locked_out" } else { "unlocked" }
        }
        Entry::PushAttempt { round, attempt } => {
            o.account = name(attempt.account);
            o.round = Some(round);
            o.protocol = Some(protocol_key(attempt.protocol).into());
            o.result = Some(outcome_key(attempt.outcome).into());
            o.rules = Some(
                [
                    attempt.order_rule,
                    attempt.protocol_rule,
                    attempt.outcome_rule,
                ]
                .iter()
                .chain(attempt.wmi_ntlm.then_some(&RuleId::CmPushNtlmBug))
                .map(|r| r.as_str().to_string())
                .collect(),
            );
            "push_attempt"
        }
        Entry::PushRetryScheduled { round, at } => {
            o.round = Some(round);
            o.retry_at = Some(format_time(at));
            "push_retry_scheduled"
        }
        Entry::PushAbandoned { rounds } => {
            o.round = Some(rounds);
            "push_abandoned"
        }
    }
    .into();
    o
}

fn state_output(
    e: &Estate,
    client: MachineId,
    ad: AdvertisementId,
    s: AdState,
) -> AdvertisementStateOutput {
    let mut o = AdvertisementStateOutput {
        advertisement: e.advertisement(ad).name.clone(),
        client: e.machine(client).name.to_string(),
        state: String::new(),
        waiting_for: None,
        at: None,
        decision: None,
        failure: None,
        text: state_text(s),
    };
    o.state = match s {
        AdState::NotReceived => "not_received",
        AdState::Waiting(w) => {
            o.waiting_for = Some(
                match w {
                    Waiting::ForLogon => "logon",
                    Waiting::ForNoUser => "no_user",
                    Waiting::RetryAt(t) => {
                        o.at = Some(format_time(t));
                        "retry"
                    }
                    Waiting::ForServices => "services",
                }
                .into(),
            );
            "waiting"
        }
        AdState::Running { since, decision } => {
            o.at = Some(format_time(since));
            o.decision = Some(decision_output(e, client, &decision));
            "running"
        }
        AdState::Succeeded => "succeeded",
        AdState::Failed(ended) => {
            o.failure = Some(ended_key(ended).into());
            "failed"
        }
    }
    .into();
    o
}

/// The replayed day as output.
pub fn timeline_output(e: &Estate, t: &Timeline<'_>) -> TimelineOutput {
    TimelineOutput {
        schema_version: SCHEMA_VERSION,
        log: t.log().iter().map(|entry| entry_output(e, entry)).collect(),
        advertisements: t
            .advertisements()
            .iter()
            .map(|(&(client, ad), &s)| state_output(e, client, ad, s))
            .collect(),
        grants: t
            .state()
            .grants()
            .map(|(m, a)| GrantInForce {
                client: e.machine(m).name.to_string(),
                account: e.qualified_name(a),
            })
            .collect(),
        pushes: t
            .pushes()
            .iter()
            .map(|(&m, &p)| push_state_output(e, m, p))
            .collect(),
    }
}

fn push_state_output(e: &Estate, target: MachineId, p: PushState) -> PushStateOutput {
    let (state, at, round, by) = match p {
        PushState::Pending { round, at } => ("pending", at, Some(round), None),
        PushState::Installed { by, at } => ("installed", at, None, Some(e.qualified_name(by))),
        PushState::Abandoned { at } => ("abandoned", at, None, None),
    };
    PushStateOutput {
        target: e.machine(target).name.to_string(),
        state: state.into(),
        at: format_time(at),
        round,
        installed_by: by,
        text: super::file::push_state_text(e, p),
    }
}

/// The replayed day as JSON ([`timeline_output`]).
pub fn log_json(e: &Estate, t: &Timeline<'_>) -> serde_json::Value {
    serde_json::to_value(timeline_output(e, t)).unwrap_or_default()
}

/// The JSON Schema of [`TimelineOutput`].
pub fn timeline_output_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(TimelineOutput)).unwrap_or_default()
}
