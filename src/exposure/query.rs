//! Compromise queries: from a credential or a client, every privilege reached, each with
//! a witness path of edges that exist in the graph and the runs that path needs.

use super::search::{Cost, ROOT, Search, Step};
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
    /// machines (the start's; transitively, every machine entered: a direct search
    /// enters no machine, so only the start's secrets); a transitive search also enters
    /// every machine administered, for good or, under one more condition, while a
    /// program runs.
    pub(super) fn search(&self, roots: &[u32], reach: Reach) -> Search {
        let transitive = reach == Reach::Transitive;
        Search::run(self.space.len(), roots, |node, push| {
            for &e in self.out_of(node) {
                let p = self.edges[e.index()];
                let step = match p.kind {
                    // MemberOf, Reveals, Obtains; Stores, from a controlled machine:
                    // the start, or (transitively) a machine entered, the only machines
                    // settled.
                    0 | 9 | 8 | 10 => Step::Free,
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
        // The seeds' ROOT and an unreached node's `u32::MAX` are past the last edge.
        while let Some(p) = self.edges.get(search.via(node) as usize) {
            witness.push(EdgeId(search.via(node)));
            node = p.from;
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
        let c = self.compromised(start, reach);
        (0..c.len())
            .filter(|&i| keep(&c.found[i].0))
            .map(|i| c.reached(i))
            .collect()
    }

    /// Every privilege reached from `start`, in privilege order, each with its cost;
    /// witness paths on demand ([`Compromised::reached`]). One search and one pass over
    /// the out-edges of the nodes it settles, with dense arrays and no sort of the
    /// whole: what a tool asking about a million-client estate pays before it looks at
    /// any path.
    pub fn compromised(&self, start: Start, reach: Reach) -> Compromised<'_> {
        let (root, held) = self.root(start);
        let search = self.search(&[root], reach);
        // The first edge, in order of cost, that gives each privilege: by the node it
        // enters for passwords, memberships, administrators and reads (a node is the
        // object of only one of those kinds), in lists for the rest.
        // Each node's first edge plus one (zero: none yet), and the nodes given one: the
        // array starts as zeroed memory, and only what the search reached is read back.
        let mut first = vec![0u32; self.space.len()];
        first[root as usize] = ROOT.wrapping_add(1);
        let mut touched = vec![root];
        let mut while_runs: Vec<(MachineId, Run, u32)> = Vec::new();
        let mut rights: Vec<(MachineId, Right, u32)> = Vec::new();
        for &node in &search.order {
            for &e in self.out_of(node) {
                let p = self.edges[e.index()];
                match p.kind {
                    // MemberOf, AdminOf, CanRead, Reveals.
                    0 | 1 | 4 | 9 if first[p.to as usize] == 0 => {
                        first[p.to as usize] = e.0 + 1;
                        touched.push(p.to);
                    }
                    2 | 3 => {
                        let Node::Machine(m) = self.space.node(p.to) else {
                            continue;
                        };
                        if p.kind == 2 {
                            while_runs.push((m, self.runs[p.detail as usize], e.0));
                        } else {
                            rights.push((m, Right::ALL[p.detail as usize], e.0));
                        }
                    }
                    _ => {}
                }
            }
        }
        // In privilege order: passwords, memberships and administrators by id, then the
        // lists (a stable sort keeps the cheapest first), then reads.
        // Node numbers put accounts, then machines, then shares, each in id order.
        touched.sort_unstable();
        let mut found: Vec<(Privilege, u32)> = Vec::new();
        let slot = |i: u32| first[i as usize].wrapping_sub(1);
        let credential = |slot: u32| match slot {
            ROOT => matches!(held, Privilege::Credential(_)),
            e => self.edges[e as usize].kind == 9,
        };
        let nodes = || touched.iter().map(|&i| (self.space.node(i), slot(i)));
        for pass in [true, false] {
            for (node, e) in nodes() {
                if let Node::Account(a) = node
                    && credential(e) == pass
                {
                    let p = if pass {
                        Privilege::Credential(a)
                    } else {
                        Privilege::Member(a)
                    };
                    found.push((p, e));
                }
            }
        }
        for (node, e) in nodes() {
            if let Node::Machine(m) = node {
                found.push((Privilege::Administrator(m), e));
            }
        }
        while_runs.sort_by_key(|&(m, run, _)| (m, run));
        while_runs.dedup_by_key(|&mut (m, run, _)| (m, run));
        found.extend(
            while_runs
                .into_iter()
                .map(|(m, run, e)| (Privilege::AdministratorWhileRuns(m, run), e)),
        );
        rights.sort_by_key(|&(m, r, _)| (m, r));
        rights.dedup_by_key(|&mut (m, r, _)| (m, r));
        found.extend(
            rights
                .into_iter()
                .map(|(m, r, e)| (Privilege::Right(m, r), e)),
        );
        for (node, e) in nodes() {
            if let Node::Share(s) = node {
                found.push((Privilege::Read(s), e));
            }
        }
        Compromised {
            x: self,
            search,
            found,
        }
    }
}

/// What a compromise reaches: every privilege in privilege order with the edge that
/// gave it; each one's cost, witness and conditions on demand.
pub struct Compromised<'x> {
    x: &'x Exposure,
    search: Search,
    found: Vec<(Privilege, u32)>,
}

impl Compromised<'_> {
    /// How many privileges.
    pub fn len(&self) -> usize {
        self.found.len()
    }

    /// Whether nothing is reached (never: the start's own privilege is).
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// Every privilege, in privilege order.
    pub fn privileges(&self) -> impl ExactSizeIterator<Item = Privilege> + '_ {
        self.found.iter().map(|&(p, _)| p)
    }

    /// The cost of the `i`th privilege's witness: its conditions, and its edges.
    pub fn cost(&self, i: usize) -> Cost {
        match self.found[i].1 {
            ROOT => Cost::ZERO,
            e => {
                let from = self.x.edges[e as usize].from;
                let c = self.search.cost(from).unwrap_or(Cost::ZERO);
                Cost {
                    conditions: c.conditions,
                    length: c.length + 1,
                }
            }
        }
    }

    /// The `i`th privilege with its witness path and the runs that path needs.
    pub fn reached(&self, i: usize) -> Reached {
        let (privilege, last) = self.found[i];
        if last == ROOT {
            return Reached {
                privilege,
                witness: Vec::new(),
                conditions: Vec::new(),
            };
        }
        let x = self.x;
        let mut witness = x.path_to(&self.search, x.edges[last as usize].from);
        let conditions = x.conditions_of(&witness);
        witness.push(EdgeId(last));
        Reached {
            privilege,
            witness,
            conditions,
        }
    }
}
