//! The deterministic timeline: the state of an estate moved by events over virtual time,
//! with every decision, grant, connection and fault as it happens.
//!
//! [`Timeline`] is a pure state machine in the style of a sans-IO protocol crate: events
//! come in through [`Timeline::handle`] with the virtual time they happen at, timers are
//! asked for with [`Timeline::poll_timeout`] and fired with [`Timeline::handle_timeout`],
//! and what happened comes out as [`LogEntry`] values. No clock, no IO; nothing is random.
//! Each program start calls [`crate::engine::resolve`] with the state of that moment.
//!
//! Model decisions of this layer, with their sources:
//!
//! - `X-REBOOT-CLEANUP`: a reboot ends the sessions and the runs of a client, but the
//!   Software Installation account's grant (and a transient token membership) stays until
//!   the client's services start again and clean up. No source says more; the log shows
//!   the window.
//! - `X-DP-RETRY` (Q268500): a run that finds no distribution point is retried every 10
//!   minutes.
//! - D5, A16: a bad-password event adds one to the target account's counter; with
//!   lockout on, the fifth locks it out for 30 minutes (Q227033).
//! - A16: a password change makes every client that holds the password (the connection
//!   accounts' and the Software Installation account's are on every NT client) hold a
//!   stale one until it refreshes its site data.
//! - Changes of the estate (no source needed: the engine reads what it is given): a read grant or a group member added or removed during the day
//!   changes the estate the engine reads from that moment: the next program start
//!   decides with it; a run already started keeps the decision it started with. The
//!   timeline keeps its own copy of the estate, made at the first such change.

mod check;
mod event;
mod file;
mod load;
pub mod output;
mod push;

pub(crate) use event::apply_change;
pub use event::{Event, EventRefused};
pub use file::{DEMO_DAY, RawTimeline, TimelineFile, entry_text, format_time, log_text};
pub use load::{load_timeline, load_timeline_file};
pub use output::log_json;
pub use push::{PUSH_RETRIES, PUSH_RETRY, PushState};

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::engine::{Context, Decision, Outcome, resolve};
use crate::model::*;
use crate::rules::RuleId;
use crate::trace::{Access, AuthFailure, Fact};

/// Virtual time, in seconds from the start of the timeline.
pub type Time = u64;

/// The DP retry interval (Q268500).
pub const DP_RETRY: Time = 10 * 60;
/// Bad-password events before a lockout (Q227033).
pub const LOCKOUT_THRESHOLD: u8 = 5;
/// How long a lockout lasts.
pub const LOCKOUT_DURATION: Time = 30 * 60;

/// Where an advertisement stands on a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdState {
    /// Not received yet.
    NotReceived,
    /// Received; waits for the logged-on state to change, or for a DP retry.
    Waiting(Waiting),
    /// Running since the given time, with the decision made at its start.
    Running {
        /// When it started.
        since: Time,
        /// The decision at its start.
        decision: Decision,
    },
    /// Finished.
    Succeeded,
    /// Failed, for this reason.
    Failed(Ended),
}

/// What a waiting advertisement waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Waiting {
    /// A user to log on.
    ForLogon,
    /// No user to be logged on.
    ForNoUser,
    /// The DP retry at this time (`X-DP-RETRY`).
    RetryAt(Time),
    /// The client's services to start again after a reboot (`X-REBOOT-CLEANUP`).
    ForServices,
}

/// Why a run ended without success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ended {
    /// The engine's decision was a failure.
    Decision(crate::engine::Failure),
    /// It can never run on this client.
    Never,
    /// The program crashed.
    Crash,
    /// The program timed out.
    Timeout,
    /// The client rebooted during the run.
    Reboot,
}

/// What the log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entry {
    /// An event was handled.
    Event(Event),
    /// An advertisement was resolved at a program start; the decision follows.
    Started {
        /// The advertisement.
        advertisement: AdvertisementId,
        /// The decision.
        decision: Decision,
    },
    /// A run ended.
    Finished {
        /// The advertisement.
        advertisement: AdvertisementId,
        /// Success, or why not.
        result: Result<(), Ended>,
    },
    /// A grant was added (`SWIA-GRANT`, A3) or removed (`SWIA-REVOKE`, `X-REBOOT-CLEANUP`).
    Grant {
        /// The account.
        account: AccountId,
        /// Added or removed.
        added: bool,
        /// The rule.
        rule: RuleId,
    },
    /// A run will be retried at this time (`X-DP-RETRY`).
    RetryScheduled {
        /// The advertisement.
        advertisement: AdvertisementId,
        /// When.
        at: Time,
    },
    /// A bad-password event against an account (D5, A16).
    BadPassword {
        /// The account whose counter grows.
        account: AccountId,
        /// Its counter now.
        count: u8,
    },
    /// A connection refused with error 1219: the session holds other credentials for
    /// that server (D4).
    ConnectionRefused {
        /// The server.
        server: MachineId,
    },
    /// An account locked out, or unlocked after the lockout duration.
    Lockout {
        /// The account.
        account: AccountId,
        /// Locked or unlocked.
        locked: bool,
    },
    /// One try of a push round: the client is the target (`CM-PUSH-*`).
    PushAttempt {
        /// The round: 1 for the first, up to `1 + PUSH_RETRIES`.
        round: u16,
        /// The try, as the push engine decided it at this moment.
        attempt: crate::engine::push::Attempt,
    },
    /// A push round installed nothing: the next is at this time (`CM-PUSH-RETRY`).
    PushRetryScheduled {
        /// The next round.
        round: u16,
        /// When.
        at: Time,
    },
    /// The last round installed nothing: the site stops pushing (`CM-PUSH-RETRY`).
    PushAbandoned {
        /// The rounds tried.
        rounds: u16,
    },
}

/// One line of the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LogEntry {
    /// When.
    pub at: Time,
    /// The client it concerns, if one.
    pub client: Option<MachineId>,
    /// What.
    pub entry: Entry,
    /// The rule behind it, where one is.
    pub rule: Option<RuleId>,
}

/// The timeline of one estate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline<'e> {
    /// The estate of the moment: the one given, until an event changes it.
    estate: Cow<'e, Estate>,
    state: State,
    lockout: bool,
    now: Time,
    ads: BTreeMap<(MachineId, AdvertisementId), AdState>,
    /// Grants left after a reboot, until the client's services start.
    stranded: BTreeMap<MachineId, Vec<AccountId>>,
    unlocks: BTreeMap<(Time, AccountId), ()>,
    /// The pushes started, by target (`CM-PUSH-RETRY`).
    pushes: BTreeMap<MachineId, PushState>,
    log: Vec<LogEntry>,
    /// With [`Timeline::audited`], the state each program start resolved against.
    audit: Option<Vec<Audit>>,
}

/// A program start as the engine saw it: the state of that moment and the decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    /// The state the engine was given.
    pub state: State,
    /// The client.
    pub client: MachineId,
    /// The advertisement.
    pub advertisement: AdvertisementId,
    /// The decision it made.
    pub decision: Decision,
}

impl<'e> Timeline<'e> {
    /// A timeline that starts in `state` at time 0. With `lockout`, five bad-password
    /// events lock an account out for 30 minutes.
    pub fn new(estate: &'e Estate, state: State, lockout: bool) -> Timeline<'e> {
        let mut ads = BTreeMap::new();
        for ad in estate.advertisement_ids() {
            for &client in &estate.advertisement(ad).targets {
                ads.insert((client, ad), AdState::NotReceived);
            }
        }
        Timeline {
            estate: Cow::Borrowed(estate),
            state,
            lockout,
            now: 0,
            ads,
            stranded: BTreeMap::new(),
            unlocks: BTreeMap::new(),
            pushes: BTreeMap::new(),
            log: Vec::new(),
            audit: None,
        }
    }

    /// This timeline, keeping a copy of the state at every program start (for tests
    /// that check each decision against the engine; it costs a clone per start).
    pub fn audited(mut self) -> Self {
        self.audit = Some(Vec::new());
        self
    }

    /// The program starts kept by [`Timeline::audited`].
    pub fn audit(&self) -> &[Audit] {
        self.audit.as_deref().unwrap_or_default()
    }

    /// The estate now: the one the timeline was made with, as the day's changes of read
    /// lists and group members leave it.
    pub fn estate(&self) -> &Estate {
        &self.estate
    }

    /// The state now.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The virtual time of the last event handled.
    pub fn now(&self) -> Time {
        self.now
    }

    /// Every (client, advertisement) pair and where it stands.
    pub fn advertisements(&self) -> &BTreeMap<(MachineId, AdvertisementId), AdState> {
        &self.ads
    }

    /// Grants left after reboots, by client, until the services start.
    pub fn stranded_grants(&self) -> &BTreeMap<MachineId, Vec<AccountId>> {
        &self.stranded
    }

    /// The log so far.
    pub fn log(&self) -> &[LogEntry] {
        &self.log
    }

    fn record(&mut self, client: Option<MachineId>, entry: Entry, rule: Option<RuleId>) {
        self.log.push(LogEntry {
            at: self.now,
            client,
            entry,
            rule,
        });
    }

    /// The next time a timer fires: a DP retry, the end of a lockout or a push round.
    pub fn poll_timeout(&self) -> Option<Time> {
        let retry = self
            .ads
            .values()
            .filter_map(|s| match s {
                AdState::Waiting(Waiting::RetryAt(t)) => Some(*t),
                _ => None,
            })
            .min();
        let unlock = self.unlocks.keys().next().map(|(t, _)| *t);
        retry
            .into_iter()
            .chain(unlock)
            .chain(self.next_push())
            .min()
    }

    /// Fires every timer due at or before `now`.
    pub fn handle_timeout(&mut self, now: Time) {
        self.now = self.now.max(now);
        let due: Vec<(Time, AccountId)> = self
            .unlocks
            .range(..=(now, AccountId::from_index(u32::MAX as usize)))
            .map(|(k, _)| *k)
            .collect();
        for key in due {
            self.unlocks.remove(&key);
            let mut status = self.state.status(key.1);
            status.locked_out = false;
            status.bad_passwords = 0;
            self.state.set_status(key.1, status);
            self.record(
                None,
                Entry::Lockout {
                    account: key.1,
                    locked: false,
                },
                Some(RuleId::D5),
            );
        }
        let retries: Vec<(MachineId, AdvertisementId)> = self
            .ads
            .iter()
            .filter(|(_, s)| matches!(s, AdState::Waiting(Waiting::RetryAt(t)) if *t <= now))
            .map(|(k, _)| *k)
            .collect();
        for (client, ad) in retries {
            self.start(client, ad);
        }
        self.push_due(now);
    }

    /// Handles one event at virtual time `now`, as [`Timeline::handle`] does, after the
    /// loader's one check of an estate-changing event (a member the group cannot hold, a
    /// read grant the server cannot hold, a change that changes nothing): refused, it
    /// changes nothing and returns the loader's words, the account named by its
    /// qualified name where a file gives its own text.
    pub fn try_handle(&mut self, now: Time, event: Event) -> Result<(), EventRefused> {
        let account = match event {
            Event::MemberAdded { member, .. } | Event::MemberRemoved { member, .. } => Some(member),
            Event::NetworkAccessAccountAdded { account }
            | Event::NetworkAccessAccountRemoved { account }
            | Event::ReadGranted { account, .. }
            | Event::ReadRevoked { account, .. } => Some(account),
            _ => None,
        };
        let text = match (account, event) {
            (Some(a), _) => Some(self.estate.qualified_name(a)),
            (None, Event::PushStarted { target }) => {
                Some(self.estate.machine(target).name.to_string())
            }
            // Named from the estate by the check itself.
            (
                None,
                Event::CollectionVariableAdded { .. }
                | Event::CollectionVariableRemoved { .. }
                | Event::DeploymentAdded { .. }
                | Event::DeploymentRemoved { .. },
            ) => Some(String::new()),
            _ => None,
        };
        if let Some(text) = text
            && let Some((field, message)) =
                check::change_problem(&self.estate, &self.state, event, &text)
        {
            return Err(EventRefused { field, message });
        }
        self.handle(now, event);
        Ok(())
    }

    /// Handles one event at virtual time `now` (never earlier than the last), as given:
    /// the loader, and [`Timeline::try_handle`], check an estate-changing event first.
    pub fn handle(&mut self, now: Time, event: Event) {
        self.handle_timeout(now);
        self.now = self.now.max(now);
        let client = match event {
            Event::LogOn { client, .. }
            | Event::LogOff { client }
            | Event::Connect { client, .. }
            | Event::Disconnect { client, .. }
            | Event::AdvertisementReceived { client, .. }
            | Event::ProgramFinish { client, .. }
            | Event::ProgramCrash { client, .. }
            | Event::ProgramTimeout { client, .. }
            | Event::Reboot { client }
            | Event::ServicesStarted { client }
            | Event::SiteDataRefreshed { client }
            | Event::PushStarted { target: client } => Some(client),
            _ => None,
        };
        self.record(client, Entry::Event(event), None);
        match event {
            Event::LogOn { client, user } => {
                self.state.log_on_unchecked(client, user);
                self.wake(client);
            }
            Event::LogOff { client } => {
                self.state.log_off(client);
                self.wake(client);
            }
            Event::Connect {
                client,
                session,
                connection,
            } => {
                let conflict = self.state.session(client, session).iter().any(|c| {
                    c.server == connection.server && c.credential != connection.credential
                });
                if conflict {
                    // D4: a second credential set to one server fails with error 1219.
                    self.record(
                        Some(client),
                        Entry::ConnectionRefused {
                            server: connection.server,
                        },
                        Some(RuleId::D4),
                    );
                } else {
                    self.state.connect_unchecked(client, session, connection);
                }
            }
            Event::Disconnect {
                client,
                session,
                server,
            } => {
                self.state
                    .disconnect_where(client, session, |c| c.server == server);
            }
            Event::AdvertisementReceived {
                advertisement,
                client,
            } => {
                if self.ads.get(&(client, advertisement)) == Some(&AdState::NotReceived) {
                    self.start(client, advertisement);
                }
            }
            Event::ProgramFinish {
                advertisement,
                client,
            } => self.end(client, advertisement, Ok(())),
            Event::ProgramCrash {
                advertisement,
                client,
            } => self.end(client, advertisement, Err(Ended::Crash)),
            Event::ProgramTimeout {
                advertisement,
                client,
            } => self.end(client, advertisement, Err(Ended::Timeout)),
            Event::Reboot { client } => self.reboot(client),
            Event::ServicesStarted { client } => {
                for account in self.stranded.remove(&client).unwrap_or_default() {
                    self.remove_grant(client, account, RuleId::XRebootCleanup, true);
                }
                self.wake(client);
            }
            Event::AccountDisabled { account } | Event::AccountEnabled { account } => {
                let mut status = self.state.status(account);
                status.enabled = matches!(event, Event::AccountEnabled { .. });
                self.state.set_status(account, status);
            }
            Event::PasswordChanged { account } => {
                let role = self.estate.account(account).role;
                if matches!(
                    role,
                    Some(SmsRole::ConnectionAccount | SmsRole::SoftwareInstallation)
                ) {
                    for m in self.estate.machine_ids() {
                        let machine = self.estate.machine(m);
                        if machine.sms_client && machine.platform.is_nt() {
                            self.state.set_stale_unchecked(m, account, true);
                        }
                    }
                }
            }
            Event::SiteDataRefreshed { client } => {
                for a in self.estate.account_ids() {
                    self.state.set_stale_unchecked(client, a, false);
                }
            }
            Event::ServerDown { server } => self.state.set_available(server, false),
            Event::ServerUp { server } => self.state.set_available(server, true),
            Event::TrustAdded { trusting, trusted } => {
                self.state.set_trust_unchecked(trusting, trusted, true)
            }
            Event::TrustRemoved { trusting, trusted } => {
                self.state.set_trust_unchecked(trusting, trusted, false)
            }
            Event::ReadGranted { .. }
            | Event::ReadRevoked { .. }
            | Event::MemberAdded { .. }
            | Event::MemberRemoved { .. }
            | Event::NetworkAccessAccountAdded { .. }
            | Event::NetworkAccessAccountRemoved { .. }
            | Event::CollectionVariableAdded { .. }
            | Event::CollectionVariableRemoved { .. }
            | Event::DeploymentAdded { .. }
            | Event::DeploymentRemoved { .. } => apply_change(&mut self.estate, event),
            Event::PushStarted { target } => self.push_round(target, 1),
        }
    }

    /// Re-resolves the advertisements of `client` that wait for the logged-on state.
    fn wake(&mut self, client: MachineId) {
        let waiting: Vec<AdvertisementId> = self
            .ads
            .range(
                (client, AdvertisementId::from_index(0))
                    ..=(client, AdvertisementId::from_index(u32::MAX as usize)),
            )
            .filter(|(_, s)| {
                matches!(
                    s,
                    AdState::Waiting(Waiting::ForLogon | Waiting::ForNoUser | Waiting::ForServices)
                )
            })
            .map(|((_, ad), _)| *ad)
            .collect();
        for ad in waiting {
            self.start(client, ad);
        }
    }

    /// A program start: the engine decides with the state of this moment.
    fn start(&mut self, client: MachineId, ad: AdvertisementId) {
        if self.stranded.contains_key(&client) {
            // The client's services have not started since its reboot: nothing runs.
            self.ads
                .insert((client, ad), AdState::Waiting(Waiting::ForServices));
            return;
        }
        let resolution = resolve(&self.estate, &self.state, ad, client);
        let decision = resolution.decision;
        if let Some(audit) = &mut self.audit {
            audit.push(Audit {
                state: self.state.clone(),
                client,
                advertisement: ad,
                decision,
            });
        }
        self.record(
            Some(client),
            Entry::Started {
                advertisement: ad,
                decision,
            },
            Some(decision.decided_by),
        );
        self.bad_passwords(client, &resolution.trace.steps);
        let next = match decision.outcome {
            Outcome::Run => {
                for account in self.run_grants(&decision) {
                    self.state.set_grant_unchecked(client, account, true);
                    let rule = if decision.context == Some(Context::Service) {
                        RuleId::A3
                    } else {
                        RuleId::SwiaGrant
                    };
                    self.record(
                        Some(client),
                        Entry::Grant {
                            account,
                            added: true,
                            rule,
                        },
                        Some(rule),
                    );
                }
                AdState::Running {
                    since: self.now,
                    decision,
                }
            }
            Outcome::Wait(crate::engine::Wait::ForLogon) => AdState::Waiting(Waiting::ForLogon),
            Outcome::Wait(crate::engine::Wait::ForNoUser) => AdState::Waiting(Waiting::ForNoUser),
            Outcome::Never => {
                self.record(
                    Some(client),
                    Entry::Finished {
                        advertisement: ad,
                        result: Err(Ended::Never),
                    },
                    Some(RuleId::W9x),
                );
                AdState::Failed(Ended::Never)
            }
            Outcome::Fail(f) if f.reason == crate::engine::FailReason::NoDistributionPoint => {
                let at = self.now + DP_RETRY;
                self.record(
                    Some(client),
                    Entry::RetryScheduled {
                        advertisement: ad,
                        at,
                    },
                    Some(RuleId::XDpRetry),
                );
                AdState::Waiting(Waiting::RetryAt(at))
            }
            Outcome::Fail(f) => {
                self.record(
                    Some(client),
                    Entry::Finished {
                        advertisement: ad,
                        result: Err(Ended::Decision(f)),
                    },
                    Some(RuleId::A12),
                );
                AdState::Failed(Ended::Decision(f))
            }
        };
        self.ads.insert((client, ad), next);
    }

    /// The accounts a run adds to the client's Administrators: the Software Installation
    /// account (`SWIA-GRANT`), or the token account under A3's transient membership.
    fn run_grants(&self, decision: &Decision) -> Vec<AccountId> {
        let mut out = Vec::new();
        if let Some(g) = decision.grant
            && g.group.is_some()
        {
            out.push(g.account);
        }
        if decision.context == Some(Context::Service)
            && decision
                .token
                .is_some_and(|t| t.administrators == crate::engine::Membership::AddedForRun)
            && let Some(account) = decision.account
        {
            out.push(account);
        }
        out
    }

    /// The end of a run: its grants are removed (`SWIA-REVOKE`).
    fn end(&mut self, client: MachineId, ad: AdvertisementId, result: Result<(), Ended>) {
        let Some(AdState::Running { decision, .. }) = self.ads.get(&(client, ad)).copied() else {
            return;
        };
        for account in self.run_grants(&decision) {
            let last = !self.still_granted(client, ad, account);
            self.remove_grant(client, account, RuleId::SwiaRevoke, last);
        }
        self.record(
            Some(client),
            Entry::Finished {
                advertisement: ad,
                result,
            },
            None,
        );
        let next = match result {
            Ok(()) => AdState::Succeeded,
            Err(ended) => AdState::Failed(ended),
        };
        self.ads.insert((client, ad), next);
    }

    /// Logs the removal of a grant under `rule`; takes it out of the state when no
    /// other run still holds it (`last`).
    fn remove_grant(&mut self, client: MachineId, account: AccountId, rule: RuleId, last: bool) {
        if last {
            self.state.set_grant_unchecked(client, account, false);
        }
        self.record(
            Some(client),
            Entry::Grant {
                account,
                added: false,
                rule,
            },
            Some(rule),
        );
    }

    /// Whether another run on `client` still holds a grant for `account`.
    fn still_granted(
        &self,
        client: MachineId,
        except: AdvertisementId,
        account: AccountId,
    ) -> bool {
        self.ads.iter().any(|(&(c, ad), s)| {
            c == client
                && ad != except
                && matches!(s, AdState::Running { decision, .. } if self.run_grants(decision).contains(&account))
        })
    }

    /// A reboot: sessions end, runs fail, grants stay until the services start.
    fn reboot(&mut self, client: MachineId) {
        let running: Vec<AdvertisementId> = self
            .ads
            .iter()
            .filter(|((c, _), s)| *c == client && matches!(s, AdState::Running { .. }))
            .map(|((_, ad), _)| *ad)
            .collect();
        let mut stranded = Vec::new();
        for ad in running {
            if let Some(AdState::Running { decision, .. }) = self.ads.get(&(client, ad)).copied() {
                stranded.extend(self.run_grants(&decision));
            }
            self.record(
                Some(client),
                Entry::Finished {
                    advertisement: ad,
                    result: Err(Ended::Reboot),
                },
                Some(RuleId::XRebootCleanup),
            );
            self.ads
                .insert((client, ad), AdState::Failed(Ended::Reboot));
        }
        self.state.log_off(client);
        self.state
            .disconnect_where(client, SessionKind::Service, |_| true);
        // A second reboot before the services start keeps what the first left.
        let left = self.stranded.entry(client).or_default();
        left.extend(stranded);
        left.sort_unstable();
        left.dedup();
    }

    /// D5 and A16: the bad-password events of a decision, and lockouts.
    fn bad_passwords(&mut self, client: MachineId, steps: &[crate::trace::Step]) {
        let mut server = None;
        for step in steps {
            let target = match step.fact {
                Fact::DistributionPoint { share, .. } => {
                    server = Some(self.estate.share(share).server);
                    None
                }
                Fact::NalAttempt {
                    credential,
                    access:
                        Access::NotAuthenticated(AuthFailure::LocalAccount {
                            bad_password_at_server: true,
                        }),
                    ..
                } => server
                    .and_then(|s| self.estate.machine_store(s))
                    .and_then(|store| self.estate.same_named_in(credential, store)),
                Fact::NalAttempt {
                    credential,
                    access: Access::NotAuthenticated(AuthFailure::StalePassword),
                    ..
                }
                | Fact::Logon {
                    account: credential,
                    result: Err(AuthFailure::StalePassword),
                } => Some(credential),
                _ => None,
            };
            let Some(account) = target else { continue };
            let mut status = self.state.status(account);
            status.bad_passwords = status.bad_passwords.saturating_add(1);
            self.record(
                Some(client),
                Entry::BadPassword {
                    account,
                    count: status.bad_passwords,
                },
                Some(RuleId::D5),
            );
            if self.lockout && !status.locked_out && status.bad_passwords >= LOCKOUT_THRESHOLD {
                status.locked_out = true;
                self.unlocks
                    .insert((self.now + LOCKOUT_DURATION, account), ());
                self.record(
                    Some(client),
                    Entry::Lockout {
                        account,
                        locked: true,
                    },
                    Some(RuleId::D5),
                );
            }
            self.state.set_status(account, status);
        }
    }
}
