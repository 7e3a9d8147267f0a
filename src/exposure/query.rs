//! Compromise queries: from a credential or a client, every privilege reached, each with
//! a witness path of edges that exist in the graph.

use std::collections::VecDeque;

use super::{EdgeId, EdgeKind, Exposure, Node};
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
    /// Also every machine administered, its stored secrets, and so on, to the fixpoint.
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
    /// The path of edges from the start, in order.
    pub witness: Vec<EdgeId>,
}

/// No edge entered this node yet.
const UNSEEN: u32 = u32::MAX;
/// The start node.
const ROOT: u32 = u32::MAX - 1;

impl Exposure {
    /// Every privilege reached from `start`, in privilege order, each with the shortest
    /// witness path the breadth-first search found.
    pub fn compromise(&self, start: Start, reach: Reach) -> Vec<Reached> {
        self.compromise_where(start, reach, |_| true)
    }

    /// [`Exposure::compromise`], keeping only the privileges `keep` accepts: the search
    /// is the same, but only those get a witness path.
    pub fn compromise_where(
        &self,
        start: Start,
        reach: Reach,
        keep: impl Fn(&Privilege) -> bool,
    ) -> Vec<Reached> {
        // The edge that first entered each node (dense, by node number), and each
        // privilege found with the edge that gave it.
        let mut parent = vec![UNSEEN; self.space.len()];
        let mut found: Vec<(Privilege, u32)> = Vec::new();
        let mut queue = VecDeque::new();
        let root = match start {
            Start::Credential(a) => {
                found.push((Privilege::Credential(a), ROOT));
                Node::Account(a)
            }
            Start::Client(m) => {
                found.push((Privilege::Administrator(m), ROOT));
                Node::Machine(m)
            }
        };
        found.retain(|(p, _)| keep(p));
        let root = self.space.index(root);
        parent[root as usize] = ROOT;
        queue.push_back(root);
        while let Some(node) = queue.pop_front() {
            let expand_machine = node == root || reach == Reach::Transitive;
            let from_machine = matches!(self.space.node(node), Node::Machine(_));
            for &e in self.out_of(node) {
                let edge = self.edge_at(e);
                let privilege = match (edge.kind, edge.to) {
                    (EdgeKind::MemberOf, Node::Account(g)) => Some(Privilege::Member(g)),
                    (EdgeKind::AdminOf, Node::Machine(m)) => Some(Privilege::Administrator(m)),
                    (EdgeKind::AdminWhileRuns(p), Node::Machine(m)) => {
                        Some(Privilege::AdministratorWhileRuns(m, p))
                    }
                    (EdgeKind::HasRight(r), Node::Machine(m)) => Some(Privilege::Right(m, r)),
                    (EdgeKind::CanRead, Node::Share(s)) => Some(Privilege::Read(s)),
                    (EdgeKind::Reveals, Node::Account(a)) => Some(Privilege::Credential(a)),
                    (EdgeKind::Stores, Node::Secret(_)) if from_machine && expand_machine => None,
                    _ => continue,
                };
                // Nodes the attacker then acts from: groups and learned credentials,
                // secrets of controlled machines, and (transitively) administered machines.
                let enter = match edge.kind {
                    EdgeKind::MemberOf | EdgeKind::Reveals | EdgeKind::Stores => true,
                    EdgeKind::AdminOf => reach == Reach::Transitive,
                    _ => false,
                };
                if let Some(p) = privilege
                    && keep(&p)
                {
                    found.push((p, e.0));
                }
                let to = self.edges[e.index()].to as usize;
                if enter && parent[to] == UNSEEN {
                    parent[to] = e.0;
                    queue.push_back(to as u32);
                }
            }
        }
        // The first edge found for each privilege: breadth-first, so a shortest path.
        let mut order: Vec<usize> = (0..found.len()).collect();
        order.sort_by_key(|&i| (found[i].0, i));
        order.dedup_by_key(|&mut i| found[i].0);
        order
            .into_iter()
            .map(|i| {
                let (privilege, last) = found[i];
                let mut witness = Vec::new();
                if last != ROOT {
                    witness.push(EdgeId(last));
                    let mut node = self.edges[last as usize].from;
                    while let Some(&e) = parent.get(node as usize)
                        && e != ROOT
                        && e != UNSEEN
                    {
                        witness.push(EdgeId(e));
                        node = self.edges[e as usize].from;
                    }
                    witness.reverse();
                }
                Reached { privilege, witness }
            })
            .collect()
    }
}
