//! Compromise queries: from a credential or a client, every privilege reached, each with
//! a witness path of edges that exist in the graph and the runs that path needs.

use super::search::{ROOT, Search, Step, UNSEEN};
use super::{EdgeId, EdgeKind, Exposure, Node, Run};
use crate::model::*;

/// Where an attacker starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Start {
    /// Knows an account's password.
    Credential(AccountId),
    /// Controls a client: every secret stored there.
    Client(MachineId),
}

/// How far a compromise goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reach {
    /// The privileges of the starting credential (or of the secrets stored on the
    /// starting client), without taking over the machines they administer.
    Direct,
    /// Also every machine administered, its stored secrets, and so on, to the fixpoint:
    /// through machines administered for good, and (under the condition that the
    /// program runs) through those administered while a program runs (D1, D2).
    Transitive,
}

/// A privilege an attacker reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Privilege {
    /// Knows the account's password.
    Credential(AccountId),
    /// Acts as a member of the group.
    Member(AccountId),
    /// A standing administrator of the machine.
    Administrator(MachineId),
    /// An administrator of the machine while a program runs on a client: the machine
    /// itself (D1), or any DC of its domain (D2).
    AdministratorWhileRuns(MachineId, super::Run),
    /// Holds the right on the machine.
    Right(MachineId, Right),
    /// Can read the share.
    Read(ShareId),
}

/// A privilege with the edges that lead to it from the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    /// The privilege.
    pub privilege: Privilege,
    /// The path of edges from the start, in order: the one with the fewest conditions,
    /// then the shortest.
    pub witness: Vec<EdgeId>,
    /// The runs the path needs before the privilege is held: the program of each
    /// `admin_while_runs` edge it enters a machine through (a transitive search only),
    /// in path order. Empty for standing reach. A privilege that itself holds only
    /// while a program runs ([`Privilege::AdministratorWhileRuns`]) does not count its
    /// own run here.
    pub conditions: Vec<Run>,
}

impl Exposure {
    /// Every privilege reached from `start`, in privilege order, each with the witness
    /// path of fewest conditions, then fewest edges.
    pub fn compromise(&self, start: Start, reach: Reach) -> Vec<Reached> {
        self.compromise_where(start, reach, |_| true)
    }

    /// The node number a search starts from, and the privilege held there.
    pub(super) fn root(&self, start: Start) -> (u32, Privilege) {
        match start {
            Start::Credential(a) => (self.space.index(Node::Account(a)), Privilege::Credential(a)),
            Start::Client(m) => (
                self.space.index(Node::Machine(m)),
                Privilege::Administrator(m),
            ),
        }
    }

    /// The search from `roots`: the nodes the attacker acts from, each at its least
    /// cost. Groups and learned credentials are entered, and the secrets of controlled
    /// machines (the start's; transitively, every machine entered); a transitive search
    /// also enters every machine administered, for good or, under one more condition,
    /// while a program runs.
    pub(super) fn search(&self, roots: &[u32], reach: Reach) -> Search {
        let transitive = reach == Reach::Transitive;
        Search::run(self.space.len(), roots, |node, push| {
            let machine = roots.contains(&node) || transitive;
            for &e in self.out_of(node) {
                let p = self.edges[e.index()];
                let step = match p.kind {
                    // MemberOf, Reveals.
                    0 | 9 => Step::Free,
                    // Stores, from a controlled machine.
                    8 if machine => Step::Free,
                    // AdminOf.
                    1 if transitive => Step::Free,
                    // AdminWhileRuns.
                    2 if transitive => Step::Conditional,
                    _ => continue,
                };
                push(p.to, e.0, step);
            }
        })
    }

    /// The witness path to `node` from the search's root, in order.
    pub(super) fn path_to(&self, search: &Search, node: u32) -> Vec<EdgeId> {
        let mut witness = Vec::new();
        let mut node = node;
        loop {
            let e = search.via(node);
            if e == ROOT || e == UNSEEN {
                break;
            }
            witness.push(EdgeId(e));
            node = self.edges[e as usize].from;
        }
        witness.reverse();
        witness
    }

    /// The runs of the conditional edges of `path`.
    pub(super) fn conditions_of(&self, path: &[EdgeId]) -> Vec<Run> {
        path.iter()
            .filter_map(|&e| match self.edge_at(e).kind {
                EdgeKind::AdminWhileRuns(run) => Some(run),
                _ => None,
            })
            .collect()
    }

    /// [`Exposure::compromise`], keeping only the privileges `keep` accepts: the search
    /// is the same, but only those get a witness path.
    pub fn compromise_where(
        &self,
        start: Start,
        reach: Reach,
        keep: impl Fn(&Privilege) -> bool,
    ) -> Vec<Reached> {
        let (root, held) = self.root(start);
        let search = self.search(&[root], reach);
        // Each privilege with the edge that first gave it: the search settles nodes in
        // order of cost, so the first is the cheapest.
        let mut found: Vec<(Privilege, u32)> = Vec::new();
        if keep(&held) {
            found.push((held, ROOT));
        }
        for &node in &search.order {
            for &e in self.out_of(node) {
                let edge = self.edge_at(e);
                let privilege = match (edge.kind, edge.to) {
                    (EdgeKind::MemberOf, Node::Account(g)) => Privilege::Member(g),
                    (EdgeKind::AdminOf, Node::Machine(m)) => Privilege::Administrator(m),
                    (EdgeKind::AdminWhileRuns(run), Node::Machine(m)) => {
                        Privilege::AdministratorWhileRuns(m, run)
                    }
                    (EdgeKind::HasRight(r), Node::Machine(m)) => Privilege::Right(m, r),
                    (EdgeKind::CanRead, Node::Share(s)) => Privilege::Read(s),
                    (EdgeKind::Reveals, Node::Account(a)) => Privilege::Credential(a),
                    _ => continue,
                };
                if keep(&privilege) {
                    found.push((privilege, e.0));
                }
            }
        }
        let mut order: Vec<usize> = (0..found.len()).collect();
        order.sort_by_key(|&i| (found[i].0, i));
        order.dedup_by_key(|&mut i| found[i].0);
        order
            .into_iter()
            .map(|i| {
                let (privilege, last) = found[i];
                if last == ROOT {
                    return Reached {
                        privilege,
                        witness: Vec::new(),
                        conditions: Vec::new(),
                    };
                }
                let mut witness = self.path_to(&search, self.edges[last as usize].from);
                let conditions = self.conditions_of(&witness);
                witness.push(EdgeId(last));
                Reached {
                    privilege,
                    witness,
                    conditions,
                }
            })
            .collect()
    }
}
