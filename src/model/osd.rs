//! The secrets a Configuration Manager site puts in policy beyond the network access
//! accounts (lineage-sources-2.md section 2): task sequences with their run-as accounts,
//! domain join account and variables, their deployments to collections, collection
//! variables, and the PXE-enabled distribution points that hand boot media to a network
//! segment. All empty at a site that has none, and at every SMS 2.0 site.

use super::{AccountId, CollectionId, MachineId};
use crate::rules::RuleId;

/// A task-sequence or collection variable that carries a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// Its name (`OSDJoinPassword`, `AppKey`).
    pub name: String,
    /// The account whose password it holds, when it holds one.
    pub account: Option<AccountId>,
    /// Marked secret ("Do not display this value"): hidden in the console only
    /// (`CM-TS-HIDDEN`).
    pub secret: bool,
    /// Removed from its collection or task sequence: it stays on the clients that had
    /// it (`X-CM-TS-RESIDUE`, CRED-4).
    pub removed: bool,
    /// Declared for a timeline to add (`collection_variable_added`): not set yet, so
    /// carried nowhere.
    pub pending: bool,
}

/// A task sequence and the accounts it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSequence {
    /// Its name, unique at the site.
    pub name: String,
    /// The accounts its Run Command Line and Run PowerShell Script steps run as
    /// (`CM-TS-RUNAS`), each once.
    pub run_as: Vec<AccountId>,
    /// Its domain join account (`OSDJoinAccount`), if it joins computers.
    pub domain_join: Option<AccountId>,
    /// Its variables.
    pub variables: Vec<Variable>,
    /// The computers it joined, each once, and the rule that says so: the scenario's
    /// list (`X-CONFIGURED`), or, not given, the members of the collections it is
    /// deployed to (`X-CM-DJOIN-JOINED`).
    pub joined: Vec<MachineId>,
    /// Why `joined` holds.
    pub joined_rule: RuleId,
    /// Whether the joined computers' ownership was given to another principal; `None`:
    /// not said, and the domain join account stays owner (`X-CM-DJOIN-OWNER-KEPT`).
    pub ownership_reassigned: Option<bool>,
}

impl TaskSequence {
    /// Every account the task sequence carries in policy, in order: run-as accounts, the
    /// domain join account, then its variables' (current ones, or `removed` ones), each
    /// once.
    pub fn accounts(&self, removed: bool) -> Vec<AccountId> {
        let mut out: Vec<AccountId> = Vec::new();
        let mut add = |a: AccountId| {
            if !out.contains(&a) {
                out.push(a);
            }
        };
        if !removed {
            self.run_as.iter().copied().for_each(&mut add);
            self.domain_join.into_iter().for_each(&mut add);
        }
        self.variables
            .iter()
            .filter(|v| v.removed == removed && !v.pending)
            .filter_map(|v| v.account)
            .for_each(&mut add);
        out
    }
}

/// A deployment of a task sequence to a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Deployment {
    /// The task sequence, an index into [`Osd::task_sequences`].
    pub task_sequence: usize,
    /// The collection.
    pub collection: CollectionId,
    /// Removed: its secrets stay on the clients that had them (`X-CM-TS-RESIDUE`).
    pub removed: bool,
    /// Declared for a timeline to add (`deployment_added`): not made yet.
    pub pending: bool,
}

/// A PXE password as the scenario gives it (CRED-1, PREVENT-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PxePassword {
    /// None: the media variables are in the clear.
    None,
    /// Set: they must be cracked offline first, which a strong password resists
    /// (`X-CM-PXE-PASSWORD`).
    Set,
    /// Set and weak: cracked.
    Weak,
}

/// A PXE-enabled distribution point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pxe {
    /// The distribution point's server.
    pub server: MachineId,
    /// Its PXE password.
    pub password: PxePassword,
    /// "Enable unknown computer support".
    pub unknown_computers: bool,
    /// The network segments it answers, indices into [`Osd::segments`].
    pub segments: Vec<usize>,
}

/// A collection's Configuration Manager settings (the model's SMS collections gain them
/// at a Configuration Manager site).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CollectionPolicy {
    /// Whether a client that registers new falls into it, and the rule: as given
    /// (`X-CONFIGURED`), or, not given, only `All Systems` (`X-CM-NEW-REGISTRATIONS`).
    pub new_registrations: bool,
    /// Why `new_registrations` holds.
    pub new_registrations_rule: Option<RuleId>,
    /// It holds unknown computers (`All Unknown Computers`): PXE boots of computers the
    /// site does not manage get its deployments (`X-CM-PXE-UNKNOWN`).
    pub unknown_computers: bool,
    /// Its variables.
    pub variables: Vec<Variable>,
}

/// What a site puts in policy beyond the network access accounts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Osd {
    /// The task sequences, by name.
    pub task_sequences: Vec<TaskSequence>,
    /// Each collection's settings, by collection id (empty at an SMS 2.0 site).
    pub collections: Vec<CollectionPolicy>,
    /// The deployments.
    pub deployments: Vec<Deployment>,
    /// The PXE-enabled distribution points.
    pub pxe: Vec<Pxe>,
    /// The network segments PXE answers on, by name.
    pub segments: Vec<String>,
}

impl Osd {
    /// The settings of collection `c`, if the site has any.
    pub fn collection(&self, c: CollectionId) -> Option<&CollectionPolicy> {
        self.collections.get(c.index())
    }

    /// The accounts collection `c`'s policy carries now, each once, in order (its
    /// variables, then each task sequence deployed to it: run-as accounts, domain join
    /// account, variables), each with whether a variable marked secret carries it.
    pub fn carried(&self, c: CollectionId) -> Vec<(AccountId, bool)> {
        let mut out: Vec<(AccountId, bool)> = Vec::new();
        let mut add = |a: AccountId, hidden: bool| {
            if !out.iter().any(|(x, _)| *x == a) {
                out.push((a, hidden));
            }
        };
        let current = |v: &&Variable| !v.removed && !v.pending;
        if let Some(p) = self.collection(c) {
            for v in p.variables.iter().filter(current) {
                if let Some(a) = v.account {
                    add(a, v.secret);
                }
            }
        }
        for d in self
            .deployments
            .iter()
            .filter(|d| d.collection == c && !d.removed && !d.pending)
        {
            let ts = &self.task_sequences[d.task_sequence];
            for &a in ts.run_as.iter().chain(&ts.domain_join) {
                add(a, false);
            }
            for v in ts.variables.iter().filter(current) {
                if let Some(a) = v.account {
                    add(a, v.secret);
                }
            }
        }
        out
    }

    /// The accounts collection `c`'s policy carried before and carries no more: removed
    /// variables, removed deployments' task sequences, a deployed task sequence's removed
    /// variables; each once, in order.
    pub fn residue(&self, c: CollectionId) -> Vec<AccountId> {
        let now = self.carried(c);
        let mut out: Vec<AccountId> = Vec::new();
        let mut add = |a: AccountId| {
            if !out.contains(&a) && !now.iter().any(|(x, _)| *x == a) {
                out.push(a);
            }
        };
        if let Some(p) = self.collection(c) {
            p.variables
                .iter()
                .filter(|v| v.removed && !v.pending)
                .filter_map(|v| v.account)
                .for_each(&mut add);
        }
        for d in self
            .deployments
            .iter()
            .filter(|d| d.collection == c && !d.pending)
        {
            let ts = &self.task_sequences[d.task_sequence];
            if d.removed {
                ts.accounts(false).into_iter().for_each(&mut add);
            }
            ts.accounts(true).into_iter().for_each(&mut add);
        }
        out
    }

    /// Variable `i` of collection `c`, if there is one.
    pub fn variable(&self, c: CollectionId, i: u32) -> Option<&Variable> {
        self.collection(c).and_then(|p| p.variables.get(i as usize))
    }

    /// The name of network segment `k` (empty for none).
    pub fn segment_name(&self, k: u32) -> &str {
        self.segments.get(k as usize).map_or("", String::as_str)
    }

    /// Whether the site has anything of this module.
    pub fn is_empty(&self) -> bool {
        self.task_sequences.is_empty()
            && self.deployments.is_empty()
            && self.pxe.is_empty()
            && self.collections.iter().all(|c| c.variables.is_empty())
    }
}
