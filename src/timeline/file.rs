//! Timeline files: the format (a scenario, inline, the built-in demo or a scenario file,
//! and the events of a day) and what it loads to (its loading is in `load`); and
//! the renderings of a replayed log.

use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Ended, Entry, Event, LogEntry, Time, Timeline};
use crate::model::*;
use crate::render::{outcome_text, summary};
use crate::scenario::Scenario;
use crate::scenario::raw::{RawScenario, RawSession};

/// The built-in day of `sms-accounts timeline`.
pub const DEMO_DAY: &str = include_str!("../../fixtures/timelines/demo-day.json");

/// A timeline file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a timeline object")]
pub struct RawTimeline {
    /// Version of this format; must be 1.
    pub schema_version: u32,
    /// What the day shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The scenario: `"demo"` for the built-in one, the path of a scenario file
    /// (relative to the timeline file), or a scenario object.
    pub scenario: RawScenarioRef,
    /// Whether five bad-password events lock an account out for 30 minutes (Q227033).
    #[serde(default)]
    pub lockout: bool,
    /// Run the timers (DP retries, lockout ends) up to this time, `HH:MM`; default: the
    /// last event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// The events, in time order.
    pub events: Vec<RawTimedEvent>,
}

/// The scenario of a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(
    untagged,
    expecting = "`\"demo\"`, the path of a scenario file or a scenario object"
)]
pub enum RawScenarioRef {
    /// `"demo"`: the built-in scenario; any other text is the path of a scenario file,
    /// relative to the timeline file.
    Named(String),
    /// A scenario written out.
    Inline(Box<RawScenario>),
}

/// An event at a time.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "an event object")]
pub struct RawTimedEvent {
    /// When: `HH:MM` or `HH:MM:SS`.
    pub at: String,
    /// What.
    pub event: RawEvent,
}

/// Events, by name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RawEvent {
    /// `{"log_on": {"client": "WKS1", "user": "CORP\\alice"}}`
    LogOn {
        /// The client.
        client: String,
        /// The user.
        user: String,
    },
    /// `{"log_off": {"client": "WKS1"}}`
    LogOff {
        /// The client.
        client: String,
    },
    /// A connection, as in a scenario's state.
    Connect {
        /// The client.
        client: String,
        /// The session.
        session: RawSession,
        /// `\\server` or `\\server\share`.
        path: String,
        /// The credentials, `STORE\name`.
        #[serde(rename = "as")]
        credential: String,
        /// A drive letter, for a mapped drive.
        #[serde(default)]
        drive: Option<String>,
    },
    /// The session's connections to a server end.
    Disconnect {
        /// The client.
        client: String,
        /// The session.
        session: RawSession,
        /// The server.
        server: String,
    },
    /// The client receives the advertisement.
    AdvertisementReceived {
        /// The advertisement.
        advertisement: String,
        /// The client.
        client: String,
    },
    /// The running program finishes.
    ProgramFinish {
        /// The advertisement.
        advertisement: String,
        /// The client.
        client: String,
    },
    /// The running program crashes.
    ProgramCrash {
        /// The advertisement.
        advertisement: String,
        /// The client.
        client: String,
    },
    /// The running program times out.
    ProgramTimeout {
        /// The advertisement.
        advertisement: String,
        /// The client.
        client: String,
    },
    /// The client reboots.
    Reboot {
        /// The client.
        client: String,
    },
    /// The client's services start after a reboot.
    ServicesStarted {
        /// The client.
        client: String,
    },
    /// An account is disabled.
    AccountDisabled {
        /// The account.
        account: String,
    },
    /// An account is enabled.
    AccountEnabled {
        /// The account.
        account: String,
    },
    /// An account's password changes.
    PasswordChanged {
        /// The account.
        account: String,
    },
    /// A client refreshes its site data.
    SiteDataRefreshed {
        /// The client.
        client: String,
    },
    /// A server stops answering.
    ServerDown {
        /// The server.
        server: String,
    },
    /// A server answers again.
    ServerUp {
        /// The server.
        server: String,
    },
    /// A trust is added.
    TrustAdded {
        /// The trusting domain.
        trusting: String,
        /// The trusted domain.
        trusted: String,
    },
    /// A trust is removed.
    TrustRemoved {
        /// The trusting domain.
        trusting: String,
        /// The trusted domain.
        trusted: String,
    },
    /// `{"read_granted": {"package": "ABC00001", "distribution_point":
    /// "\\\\SMS1\\SMSPKGC$", "account": "CORP\\alice"}}`: an account or group may read
    /// the package's copy on that distribution point from now on.
    ReadGranted {
        /// The package id.
        package: String,
        /// The distribution point of the copy, `\\server\share`.
        distribution_point: String,
        /// The account or group, `STORE\name`.
        account: String,
    },
    /// An account or group may no longer read the package's copy there.
    ReadRevoked {
        /// The package id.
        package: String,
        /// The distribution point of the copy, `\\server\share`.
        distribution_point: String,
        /// The account or group, `STORE\name`.
        account: String,
    },
    /// `{"member_added": {"group": "WKS1\\Administrators", "member": "CORP\\alice"}}`:
    /// a group gains a member, which it must be able to hold (as in a scenario).
    MemberAdded {
        /// The group, `STORE\name`.
        group: String,
        /// The member, `STORE\name`.
        member: String,
    },
    /// A group loses a member.
    MemberRemoved {
        /// The group, `STORE\name`.
        group: String,
        /// The member, `STORE\name`.
        member: String,
    },
    /// `{"network_access_account_added": "CORP\\naa2"}`: a Configuration Manager site
    /// adds a network access account, last in its order (at most 10: `CM-NAA-LIMITS`).
    NetworkAccessAccountAdded(String),
    /// A Configuration Manager site stops using a network access account; its secret
    /// stays on the clients that had it (`X-CM-RESIDUE`, CRED-4).
    NetworkAccessAccountRemoved(String),
    /// `{"push_started": {"target": "WKS9"}}`: a Configuration Manager site starts
    /// pushing the client to one of its push targets (`CM-PUSH-AUTO`: a machine it
    /// discovers; or a manual target), and retries every hour for up to seven days
    /// (`CM-PUSH-RETRY`).
    PushStarted {
        /// The target machine.
        target: String,
    },
    /// `{"collection_variable_added": {"collection": "Workstations", "variable":
    /// "AppKey"}}`: a Configuration Manager site sets a collection variable the scenario
    /// declares `pending` (or `removed`).
    CollectionVariableAdded {
        /// The collection.
        collection: String,
        /// The variable's name.
        variable: String,
    },
    /// The site removes a collection variable: it stays on the members that had it
    /// (`X-CM-TS-RESIDUE`, CRED-4).
    CollectionVariableRemoved {
        /// The collection.
        collection: String,
        /// The variable's name.
        variable: String,
    },
    /// `{"deployment_added": {"task_sequence": "OSD", "collection": "Workstations"}}`:
    /// the site makes a deployment the scenario declares `pending` (or `removed`).
    DeploymentAdded {
        /// The task sequence.
        task_sequence: String,
        /// The collection.
        collection: String,
    },
    /// The site removes a deployment: what its task sequence carries stays on the
    /// members that had it (`X-CM-TS-RESIDUE`).
    DeploymentRemoved {
        /// The task sequence.
        task_sequence: String,
        /// The collection.
        collection: String,
    },
}

/// A loaded timeline file: the scenario, and the events with their times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineFile {
    /// What the day shows.
    pub description: Option<String>,
    /// The scenario file the timeline names, as found from the timeline file's
    /// directory; `None` for the built-in or an inline scenario.
    pub scenario_file: Option<String>,
    /// The scenario.
    pub scenario: Scenario,
    /// Whether lockout is on.
    pub lockout: bool,
    /// Timers run up to here.
    pub until: Time,
    /// The events, in time order.
    pub events: Vec<(Time, Event)>,
}

/// `HH:MM:SS` on the first day, `Nd HH:MM:SS` on day N after it (`1d 09:00:00`).
pub fn format_time(t: Time) -> String {
    let day = t / 86_400;
    let clock = format!(
        "{:02}:{:02}:{:02}",
        (t % 86_400) / 3600,
        (t / 60) % 60,
        t % 60
    );
    if day == 0 {
        clock
    } else {
        format!("{day}d {clock}")
    }
}

impl TimelineFile {
    /// Replays the day: every event in order, with the timers that fall between them
    /// and up to `until`.
    pub fn replay(&self) -> Timeline<'_> {
        let mut t = Timeline::new(
            &self.scenario.estate,
            self.scenario.state.clone(),
            self.lockout,
        );
        for &(at, event) in &self.events {
            while let Some(due) = t.poll_timeout().filter(|&d| d < at) {
                t.handle_timeout(due);
            }
            t.handle(at, event);
        }
        while let Some(due) = t.poll_timeout().filter(|&d| d <= self.until) {
            t.handle_timeout(due);
        }
        t.handle_timeout(self.until);
        t
    }
}

fn event_text(e: &Estate, event: &Event) -> String {
    let m = |id: MachineId| e.machine(id).name.clone();
    let a = |id: AccountId| e.qualified_name(id);
    let ad = |id: AdvertisementId| e.advertisement(id).name.clone();
    match *event {
        Event::LogOn { user, .. } => format!("{} logs on", a(user)),
        Event::LogOff { .. } => "the user logs off".into(),
        Event::Connect {
            session,
            connection,
            ..
        } => {
            let path = connection.share.map_or_else(
                || format!("\\\\{}", m(connection.server)),
                |s| e.share_path(s),
            );
            format!(
                "{} session connects to {path} as {}",
                session_name(session),
                a(connection.credential)
            )
        }
        Event::Disconnect {
            session, server, ..
        } => {
            format!(
                "{} session disconnects from {}",
                session_name(session),
                m(server)
            )
        }
        Event::AdvertisementReceived { advertisement, .. } => {
            format!("advertisement {} received", ad(advertisement))
        }
        Event::ProgramFinish { advertisement, .. } => {
            format!("the program of {} finishes", ad(advertisement))
        }
        Event::ProgramCrash { advertisement, .. } => {
            format!("the program of {} crashes", ad(advertisement))
        }
        Event::ProgramTimeout { advertisement, .. } => {
            format!("the program of {} times out", ad(advertisement))
        }
        Event::Reboot { .. } => "reboots".into(),
        Event::ServicesStarted { .. } => "services start".into(),
        Event::AccountDisabled { account } => format!("{} is disabled", a(account)),
        Event::AccountEnabled { account } => format!("{} is enabled", a(account)),
        Event::PasswordChanged { account } => format!("the password of {} changes", a(account)),
        Event::SiteDataRefreshed { .. } => "refreshes its site data".into(),
        Event::ServerDown { server } => format!("{} stops answering", m(server)),
        Event::ServerUp { server } => format!("{} answers again", m(server)),
        Event::TrustAdded { trusting, trusted } => format!(
            "{} now trusts {}",
            e.domain(trusting).name,
            e.domain(trusted).name
        ),
        Event::TrustRemoved { trusting, trusted } => format!(
            "{} no longer trusts {}",
            e.domain(trusting).name,
            e.domain(trusted).name
        ),
        Event::ReadGranted {
            package,
            share,
            account,
        } => format!(
            "{} may now read package {} on {}",
            a(account),
            e.package(package).id,
            e.share_path(share)
        ),
        Event::ReadRevoked {
            package,
            share,
            account,
        } => format!(
            "{} may no longer read package {} on {}",
            a(account),
            e.package(package).id,
            e.share_path(share)
        ),
        Event::MemberAdded { group, member } => {
            format!("{} joins {}", a(member), a(group))
        }
        Event::MemberRemoved { group, member } => {
            format!("{} leaves {}", a(member), a(group))
        }
        Event::NetworkAccessAccountAdded { account } => {
            format!("the site adds network access account {}", a(account))
        }
        Event::NetworkAccessAccountRemoved { account } => format!(
            "the site stops using network access account {}; its secret stays on the clients that had it (X-CM-RESIDUE)",
            a(account)
        ),
        Event::PushStarted { .. } => "the site starts pushing the client".into(),
        Event::CollectionVariableAdded {
            collection,
            variable,
        }
        | Event::CollectionVariableRemoved {
            collection,
            variable,
        } => {
            let name = e
                .site()
                .configmgr
                .osd
                .variable(collection, variable)
                .map_or("", |v| v.name.as_str());
            if matches!(event, Event::CollectionVariableAdded { .. }) {
                format!(
                    "the site sets variable {name} on collection {}",
                    e.collection(collection).name
                )
            } else {
                format!(
                    "the site removes variable {name} from collection {}; it stays on the members that had it (X-CM-TS-RESIDUE)",
                    e.collection(collection).name
                )
            }
        }
        Event::DeploymentAdded { deployment } | Event::DeploymentRemoved { deployment } => {
            let osd = &e.site().configmgr.osd;
            let (ts, collection) = osd
                .deployments
                .get(deployment as usize)
                .map_or(("", ""), |d| {
                    (
                        osd.task_sequences[d.task_sequence].name.as_str(),
                        e.collection(d.collection).name.as_str(),
                    )
                });
            if matches!(event, Event::DeploymentAdded { .. }) {
                format!("the site deploys task sequence {ts} to collection {collection}")
            } else {
                format!(
                    "the site removes the deployment of task sequence {ts} to collection {collection}; what it carries stays on the members that had it (X-CM-TS-RESIDUE)"
                )
            }
        }
    }
}

fn session_name(s: SessionKind) -> &'static str {
    match s {
        SessionKind::Interactive => "interactive",
        SessionKind::Service => "service",
    }
}

fn ended_text(ended: Ended) -> String {
    match ended {
        Ended::Decision(f) => outcome_text(crate::engine::Outcome::Fail(f)),
        Ended::Never => "never runs on this client".into(),
        Ended::Crash => "crashed".into(),
        Ended::Timeout => "timed out".into(),
        Ended::Reboot => "ended by the reboot".into(),
    }
}

/// One log line in words.
pub fn entry_text(e: &Estate, entry: &LogEntry) -> String {
    let what = match entry.entry {
        Entry::Event(event) => event_text(e, &event),
        Entry::Started {
            advertisement,
            decision,
        } => {
            format!(
                "starts {}: {}",
                e.advertisement(advertisement).name,
                summary(e, &decision)
            )
        }
        Entry::Finished {
            advertisement,
            result: Ok(()),
        } => format!("{} succeeded", e.advertisement(advertisement).name),
        Entry::Finished {
            advertisement,
            result: Err(ended),
        } => {
            format!(
                "{} failed: {}",
                e.advertisement(advertisement).name,
                ended_text(ended)
            )
        }
        Entry::Grant {
            account,
            added: true,
            ..
        } => format!(
            "{} joins Administrators for the run",
            e.qualified_name(account)
        ),
        Entry::Grant {
            account,
            added: false,
            ..
        } => format!("{} leaves Administrators", e.qualified_name(account)),
        Entry::RetryScheduled { advertisement, at } => {
            format!(
                "{} will retry at {}",
                e.advertisement(advertisement).name,
                format_time(at)
            )
        }
        Entry::BadPassword { account, count } => format!(
            "bad-password event for {} (count {count})",
            e.qualified_name(account)
        ),
        Entry::ConnectionRefused { server } => format!(
            "connection to {} refused: error 1219, the session holds other credentials there",
            e.machine(server).name
        ),
        Entry::Lockout {
            account,
            locked: true,
        } => format!("{} is locked out", e.qualified_name(account)),
        Entry::Lockout {
            account,
            locked: false,
        } => format!("{} is unlocked", e.qualified_name(account)),
        Entry::PushAttempt { round, attempt } => format!(
            "push round {round}: {}",
            crate::render::attempt_line(e, &attempt)
        ),
        Entry::PushRetryScheduled { round, at } => format!(
            "no account installed the client: round {round} of {} at {}",
            super::PUSH_RETRIES + 1,
            format_time(at)
        ),
        Entry::PushAbandoned { rounds } => {
            format!("no account installed the client in {rounds} rounds: the site stops pushing")
        }
    };
    let client = entry
        .client
        .map_or(String::new(), |c| format!("{} ", e.machine(c).name));
    // A push try's line names its three rules already, as `push` prints it.
    let rule = match (entry.rule, entry.entry) {
        (_, Entry::PushAttempt { .. }) | (None, _) => String::new(),
        (Some(r), _) => format!(" [{r}]"),
    };
    format!("{} {client}{what}{rule}", format_time(entry.at))
}

/// The log as text, then where every advertisement stands at the end.
pub fn log_text(e: &Estate, t: &Timeline<'_>) -> String {
    let mut out = String::new();
    for entry in t.log() {
        let _ = writeln!(out, "{}", entry_text(e, entry));
    }
    let _ = writeln!(out, "\nat {}:", format_time(t.now()));
    for (&(client, ad), state) in t.advertisements() {
        let _ = writeln!(
            out,
            "  {} on {}: {}",
            e.advertisement(ad).name,
            e.machine(client).name,
            state_text(*state)
        );
    }
    let grants: Vec<String> = t
        .state()
        .grants()
        .map(|(m, a)| format!("{} on {}", e.qualified_name(a), e.machine(m).name))
        .collect();
    let _ = writeln!(
        out,
        "  grants in force: {}",
        if grants.is_empty() {
            "none".to_string()
        } else {
            grants.join(", ")
        }
    );
    for (&target, &p) in t.pushes() {
        let _ = writeln!(
            out,
            "  push to {}: {}",
            e.machine(target).name,
            push_state_text(e, p)
        );
    }
    out
}

/// Where a push stands, in words: `installed by CORP\push2 at 1d 09:00:00`.
pub(crate) fn push_state_text(e: &Estate, p: super::PushState) -> String {
    match p {
        super::PushState::Pending { round, at } => format!(
            "round {round} of {} due at {}",
            super::PUSH_RETRIES + 1,
            format_time(at)
        ),
        super::PushState::Installed { by, at } => {
            format!(
                "installed by {} at {}",
                e.qualified_name(by),
                format_time(at)
            )
        }
        super::PushState::Abandoned { at } => {
            format!(
                "abandoned at {} [{}]",
                format_time(at),
                crate::rules::RuleId::CmPushRetry
            )
        }
    }
}

/// An advertisement's state in words: `running since 09:55:00`.
pub(crate) fn state_text(s: super::AdState) -> String {
    match s {
        super::AdState::NotReceived => "not received".into(),
        super::AdState::Waiting(w) => match w {
            super::Waiting::ForLogon => "waiting for a logon".into(),
            super::Waiting::ForNoUser => "waiting for no user".into(),
            super::Waiting::RetryAt(t) => format!("waiting to retry at {}", format_time(t)),
            super::Waiting::ForServices => "waiting for the services to start".into(),
        },
        super::AdState::Running { since, .. } => format!("running since {}", format_time(since)),
        super::AdState::Succeeded => "succeeded".into(),
        super::AdState::Failed(ended) => format!("failed: {}", ended_text(ended)),
    }
}
