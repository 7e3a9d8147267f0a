//! Where a search stopped: for a target a compromise does not reach, the frontier, the
//! nodes it reached that are one fact away from the target, each with that fact.
//!
//! The facts, by the target's kind (a fact the loader would refuse is never offered:
//! memberships and read grants pass the loader's own membership check):
//!
//! - a group: a reached account (a known password, or a group acted as) made a member;
//! - a machine: a reached account made a member of a group that administers it; with
//!   the Software Installation account's password known, a program that uses it
//!   advertised to the machine (an NT SMS client where none runs), or, where such a
//!   program fails because the machine's domain does not trust the account's, that
//!   trust;
//! - a share the scenario lists an access list for (a package copy's, a resource's):
//!   a reached account granted read;
//! - a user's password: that user logging on at a machine the attacker controls
//!   (`X-SESSION-SECRETS`), where the loader would accept the logon.

use super::findings::Event;
use super::query::{Reach, Start};
use super::{EdgeKind, Exposure, Gate, Node};
use crate::model::membership::Directory;
use crate::model::*;

/// One fact whose addition would let the search reach the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Missing {
    /// `member`, reached, made a member of `group`.
    Membership {
        /// The reached account.
        member: AccountId,
        /// The group.
        group: AccountId,
    },
    /// `account`, reached, granted read on `share`.
    ReadGrant {
        /// The reached account.
        account: AccountId,
        /// The share.
        share: ShareId,
    },
    /// A program that uses the Software Installation account `account` (reached),
    /// advertised to `client` and run there (D1).
    Advertisement {
        /// The Software Installation account.
        account: AccountId,
        /// The client.
        client: MachineId,
    },
    /// `trusting` trusts `trusted`: the Software Installation account's program on the
    /// target then logs on (`SWIA-LOGON`).
    Trust {
        /// The target's domain.
        trusting: DomainId,
        /// The account's domain.
        trusted: DomainId,
    },
    /// `user` logs on at `machine`, which the attacker controls.
    Logon {
        /// The user.
        user: AccountId,
        /// The controlled machine.
        machine: MachineId,
    },
}

impl Exposure {
    /// Whether the search from `start` reaches `target`: a group acted as, a password
    /// known, a machine administered (for good or while a program runs; or,
    /// transitively, entered), a share read.
    pub fn reaches(&self, start: Start, reach: Reach, target: Node) -> bool {
        let (root, _) = self.root(start);
        let search = self.search(&[root], reach);
        self.reached_in(&search, target)
    }

    fn reached_in(&self, search: &super::search::Search, target: Node) -> bool {
        let entered = |n: Node| search.cost(self.space.index(n)).is_some();
        // The settled nodes whose edges give something: not a disabled account's (A10).
        let acting = || {
            search
                .order
                .iter()
                .copied()
                .filter(|&n| self.gate_of(n) != Gate::Disabled)
        };
        match target {
            Node::Machine(_) => {
                entered(target)
                    || acting().any(|n| {
                        self.out_of(n).iter().any(|&e| {
                            let edge = self.edge_at(e);
                            edge.to == target
                                && matches!(
                                    edge.kind,
                                    EdgeKind::AdminOf | EdgeKind::AdminWhileRuns(_)
                                )
                        })
                    })
            }
            Node::Share(_) => acting().any(|n| {
                self.out_of(n).iter().any(|&e| {
                    let edge = self.edge_at(e);
                    edge.kind == EdgeKind::CanRead && edge.to == target
                })
            }),
            _ => entered(target),
        }
    }

    /// The frontier of the search from `start` toward `target`: `None` when the target
    /// is reached; otherwise every fact one step from it, in a stable order.
    pub fn frontier(
        &self,
        estate: &Estate,
        state: &State,
        start: Start,
        reach: Reach,
        target: Node,
    ) -> Option<Vec<Missing>> {
        let (root, _) = self.root(start);
        let search = self.search(&[root], reach);
        if self.reached_in(&search, target) {
            return None;
        }
        let directory = Directory::of(estate, state);
        let accounts: Vec<AccountId> = search
            .order
            .iter()
            .filter_map(|&n| match self.space.node(n) {
                // A disabled account acts nowhere (A10): no fact made of it helps.
                Node::Account(a) if self.gate(a) != Gate::Disabled => Some(a),
                _ => None,
            })
            .collect();
        let mut out = Vec::new();
        let join = |group: AccountId, out: &mut Vec<Missing>| {
            for &member in &accounts {
                if member != group && directory.member_refusal(group, member, "").is_none() {
                    out.push(Missing::Membership { member, group });
                }
            }
        };
        match target {
            Node::Account(g) if estate.account(g).kind != AccountKind::User => join(g, &mut out),
            Node::Account(user) => {
                // Every machine settled is controlled: the start, or (transitively) one
                // entered.
                for &n in &search.order {
                    if let Node::Machine(machine) = self.space.node(n)
                        && state.check_log_on(estate, machine, user).is_ok()
                    {
                        out.push(Missing::Logon { user, machine });
                    }
                }
            }
            Node::Machine(m) => {
                for e in self.edges_into(target, EdgeKind::AdminOf) {
                    if let Node::Account(g) = self.edge_at(e).from {
                        join(g, &mut out);
                    }
                }
                self.swia_facts(estate, &search, m, &mut out);
            }
            Node::Share(share) => {
                // Only a share whose access list the scenario holds: a package copy's or
                // a resource's.
                let listed = estate
                    .packages()
                    .iter()
                    .any(|p| p.copies.iter().any(|c| c.share == share))
                    || estate.resources().iter().any(|r| r.share == share);
                let server = estate.share(share).server;
                for &account in accounts.iter().filter(|_| listed) {
                    if directory.access_refusal(server, account, "").is_none() {
                        out.push(Missing::ReadGrant { account, share });
                    }
                }
            }
            _ => {}
        }
        out.sort();
        out.dedup();
        Some(out)
    }

    /// The Software Installation account's facts for a target machine `m`.
    fn swia_facts(
        &self,
        estate: &Estate,
        search: &super::search::Search,
        m: MachineId,
        out: &mut Vec<Missing>,
    ) {
        let Some(swia) = estate.site().software_installation_account else {
            return;
        };
        if search.cost(self.space.index(Node::Account(swia))).is_none() {
            return;
        }
        let machine = estate.machine(m);
        let untrusted = self.events.iter().any(
            |e| matches!(*e, Event::Untrusted { account, client, .. } if account == swia && client == m),
        );
        // A run there would have reached the machine, so none runs; an untrusted logon
        // was decided under these trusts, so the trust is missing.
        match (untrusted, machine.domain, estate.account(swia).store) {
            (true, Some(trusting), Store::Domain(trusted)) => {
                out.push(Missing::Trust { trusting, trusted });
            }
            _ if machine.sms_client && machine.platform.is_nt() => {
                out.push(Missing::Advertisement {
                    account: swia,
                    client: m,
                });
            }
            _ => {}
        }
    }
}
