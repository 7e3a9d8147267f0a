//! Compromise queries: from a credential or a client, every privilege reached, each with
//! a witness path of edges that exist in the graph.

use std::collections::{BTreeMap, HashMap, VecDeque};

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
    /// An administrator of the machine while the program runs there (D1, D2).
    AdministratorWhileRuns(MachineId, ProgramId),
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

impl Exposure {
    /// Every privilege reached from `start`, in privilege order, each with the shortest
    /// witness path the breadth-first search found.
    pub fn compromise(&self, start: Start, reach: Reach) -> Vec<Reached> {
        let mut parent: HashMap<Node, Option<EdgeId>> = HashMap::new();
        let mut found: BTreeMap<Privilege, Vec<EdgeId>> = BTreeMap::new();
        let mut queue = VecDeque::new();
        let root = match start {
            Start::Credential(a) => {
                found.insert(Privilege::Credential(a), Vec::new());
                Node::Account(a)
            }
            Start::Client(m) => {
                found.insert(Privilege::Administrator(m), Vec::new());
                Node::Machine(m)
            }
        };
        parent.insert(root, None);
        queue.push_back(root);
        let path = |parent: &HashMap<Node, Option<EdgeId>>, mut node: Node| {
            let mut edges = Vec::new();
            while let Some(Some(e)) = parent.get(&node) {
                edges.push(*e);
                node = self.edges[e.index()].from;
            }
            edges.reverse();
            edges
        };
        while let Some(node) = queue.pop_front() {
            let expand_machine = node == root || reach == Reach::Transitive;
            for e in self.out_edges(node) {
                let edge = self.edges[e.index()];
                let privilege = match (edge.kind, edge.to) {
                    (EdgeKind::MemberOf, Node::Account(g)) => Some(Privilege::Member(g)),
                    (EdgeKind::AdminOf, Node::Machine(m)) => Some(Privilege::Administrator(m)),
                    (EdgeKind::AdminWhileRuns(p), Node::Machine(m)) => {
                        Some(Privilege::AdministratorWhileRuns(m, p))
                    }
                    (EdgeKind::HasRight(r), Node::Machine(m)) => Some(Privilege::Right(m, r)),
                    (EdgeKind::CanRead, Node::Share(s)) => Some(Privilege::Read(s)),
                    (EdgeKind::Reveals, Node::Account(a)) => Some(Privilege::Credential(a)),
                    (EdgeKind::Stores, Node::Secret(_))
                        if matches!(node, Node::Machine(_)) && expand_machine =>
                    {
                        None
                    }
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
                    && !found.contains_key(&p)
                {
                    let mut w = path(&parent, node);
                    w.push(e);
                    found.insert(p, w);
                }
                if enter && !parent.contains_key(&edge.to) {
                    parent.insert(edge.to, Some(e));
                    queue.push_back(edge.to);
                }
            }
        }
        found
            .into_iter()
            .map(|(privilege, witness)| Reached { privilege, witness })
            .collect()
    }
}
