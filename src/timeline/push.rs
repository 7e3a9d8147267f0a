//! Client push over time (lineage-sources-2.md section 1.1, `CM-PUSH-RETRY`): a push the
//! site starts ([`super::Event::PushStarted`]) tries its accounts at once, as
//! [`crate::engine::push::decide`] orders them with the estate and trusts of that moment,
//! and, when none installs, again every hour for up to seven days: the deploy-clients
//! page says every hour for up to seven days, KB 925282 every 60 minutes 168 times, so
//! a first round and 168 retries, the last seven days after the first. Each round is
//! decided afresh, so a target's administrators added or removed between rounds change
//! who installs, and which accounts' authentication the target receives.
//!
//! Model decisions of this layer (no source says more): a push started again for a
//! target the site is already pushing to starts over (a round now, seven days from now);
//! one started for a target it installed pushes again.

use super::{Entry, Time, Timeline};
use crate::engine::push::{Outcome, decide, push_targets};
use crate::model::{AccountId, MachineId};
use crate::rules::RuleId;

/// The time between two rounds of a push (`CM-PUSH-RETRY`).
pub const PUSH_RETRY: Time = 60 * 60;
/// The retries after the first round: seven days of hourly rounds (`CM-PUSH-RETRY`).
pub const PUSH_RETRIES: u16 = 168;

/// Where the push to one target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PushState {
    /// A round is due.
    Pending {
        /// The round due: 2 for the first retry.
        round: u16,
        /// When.
        at: Time,
    },
    /// An account installed the client.
    Installed {
        /// The account.
        by: AccountId,
        /// When.
        at: Time,
    },
    /// Every round failed.
    Abandoned {
        /// When the last failed.
        at: Time,
    },
}

impl Timeline<'_> {
    /// Where each push the timeline started stands, by target.
    pub fn pushes(&self) -> &std::collections::BTreeMap<MachineId, PushState> {
        &self.pushes
    }

    /// The earliest round due.
    pub(super) fn next_push(&self) -> Option<Time> {
        self.pushes
            .values()
            .filter_map(|s| match s {
                PushState::Pending { at, .. } => Some(*at),
                _ => None,
            })
            .min()
    }

    /// Runs every round due at or before `now`, in target order.
    pub(super) fn push_due(&mut self, now: Time) {
        let due: Vec<(MachineId, u16)> = self
            .pushes
            .iter()
            .filter_map(|(&m, s)| match *s {
                PushState::Pending { round, at } if at <= now => Some((m, round)),
                _ => None,
            })
            .collect();
        for (target, round) in due {
            self.push_round(target, round);
        }
    }

    /// One round of the push to `target`: each try as the engine decides it now, then
    /// the next round, or the end.
    pub(super) fn push_round(&mut self, target: MachineId, round: u16) {
        let scope = push_targets(&self.estate)
            .into_iter()
            .find(|&(m, _)| m == target)
            .map(|(_, s)| s);
        let (Some(scope), Some(push)) = (scope, self.estate.site().configmgr.client_push.as_ref())
        else {
            // The loader and try_handle refuse a push to a machine that is not a target,
            // and no event changes the targets: nothing to try.
            self.pushes.remove(&target);
            return;
        };
        let decision = decide(&self.estate, &self.state, push, target, scope);
        for &attempt in &decision.attempts {
            self.record(
                Some(target),
                Entry::PushAttempt { round, attempt },
                Some(attempt.outcome_rule),
            );
        }
        let next = match decision
            .attempts
            .iter()
            .find(|a| a.outcome == Outcome::Installs)
        {
            Some(a) => PushState::Installed {
                by: a.account,
                at: self.now,
            },
            None if round <= PUSH_RETRIES => {
                let at = self.now + PUSH_RETRY;
                let round = round + 1;
                self.record(
                    Some(target),
                    Entry::PushRetryScheduled { round, at },
                    Some(RuleId::CmPushRetry),
                );
                PushState::Pending { round, at }
            }
            None => {
                self.record(
                    Some(target),
                    Entry::PushAbandoned { rounds: round },
                    Some(RuleId::CmPushRetry),
                );
                PushState::Abandoned { at: self.now }
            }
        };
        self.pushes.insert(target, next);
    }
}
