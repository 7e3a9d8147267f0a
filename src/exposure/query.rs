//! Compromise queries: from a credential or a client, every privilege reached, each with
//! a witness path of edges that exist in the graph and the runs that path needs.

use super::search::{Cost, ROOT, Search, Step};
use super::{EdgeId, EdgeKind, Exposure, Gate, Node, Run, tag};
use crate::model::*;

/// The step along an edge out of a node of `gate`: a locked-out account's edges hold
/// once its lockout ends, one more condition (an edge out of it is never also a run's:
/// the engine logs no locked-out account on).
pub(super) fn gated(gate: Gate, step: Step) -> Step {
    match gate {
        Gate::LockedOut => Step::Conditional,
        _ => step,
    }
}

/// Where an attacker starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Start {
    /// Knows an account's password.
    Credential(AccountId),
    /// Controls a client: every secret stored there.
    Client(MachineId),
    /// Sits unauthenticated on a network segment (an index into the site's
    /// `osd.segments`): what is served there, PXE boot media (CRED-1).
    Segment(u32),
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

/// What a path needs before the privilege at its end is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Condition {
    /// A program runs on a client: the path enters a machine through an
    /// [`EdgeKind::AdminWhileRuns`] edge (D1, D2).
    Runs(Run),
    /// An account's lockout ends: the path leaves a locked-out account
    /// (`X-LOCKOUT-ENDS`).
    LockoutEnds(AccountId),
}

/// A privilege with the edges that lead to it from the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    /// The privilege.
    pub privilege: Privilege,
    /// The path of edges from the start, in order: the one with the fewest conditions,
    /// then the shortest.
    pub witness: Vec<EdgeId>,
    /// What the path needs before the privilege is held, in path order: the run of
    /// each `admin_while_runs` edge it enters a machine through (a transitive search
    /// only), and the end of the lockout of each locked-out account it leaves. Empty
    /// for standing reach. A privilege that itself holds only while a program runs
    /// ([`Privilege::AdministratorWhileRuns`]) does not count its own run here.
    pub conditions: Vec<Condition>,
}

impl Exposure {
    /// Every privilege reached from `start`, in privilege order, each with the witness
    /// path of fewest conditions, then fewest edges.
    pub fn compromise(&self, start: Start, reach: Reach) -> Vec<Reached> {
        self.compromise_where(start, reach, |_| true)
    }

    /// The node number a search starts from, and the privilege held there (none on a
    /// network segment).
    pub(super) fn root(&self, start: Start) -> (u32, Option<Privilege>) {
        match start {
            Start::Credential(a) => (
                self.space.index(Node::Account(a)),
                Some(Privilege::Credential(a)),
            ),
            Start::Client(m) => (
                self.space.index(Node::Machine(m)),
                Some(Privilege::Administrator(m)),
            ),
            Start::Segment(k) => (self.space.index(Node::Segment(k)), None),
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
            let gate = self.gate_of(node);
            if gate == Gate::Disabled {
                return;
            }
            for &e in self.out_of(node) {
                let p = self.edges[e.index()];
                let step = match p.kind {
                    // Stores, from a controlled machine: the start, or (transitively) a
                    // machine entered, the only machines settled.
                    tag::MEMBER_OF | tag::REVEALS | tag::STORES | tag::OBTAINS => Step::Free,
                    tag::ADMIN_OF if transitive => Step::Free,
                    tag::ADMIN_WHILE_RUNS if transitive => Step::Conditional,
                    _ => continue,
                };
                push(p.to, e.0, gated(gate, step));
            }
        })
    }

    /// The condition of leaving the node numbered `from`, if it is a locked-out
    /// account.
    fn lockout_of(&self, from: u32) -> Option<Condition> {
        match (self.gate_of(from), self.space.node(from)) {
            (Gate::LockedOut, Node::Account(a)) => Some(Condition::LockoutEnds(a)),
            _ => None,
        }
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

    /// The conditions of `path`, in order: each locked-out account it leaves, each
    /// run it enters a machine through.
    pub(super) fn conditions_of(&self, path: &[EdgeId]) -> Vec<Condition> {
        let mut out = Vec::new();
        for &e in path {
            let p = self.edges[e.index()];
            out.extend(self.lockout_of(p.from));
            if let EdgeKind::AdminWhileRuns(run) = self.edge_at(e).kind {
                out.push(Condition::Runs(run));
            }
        }
        out
    }

    /// An account's own privileges, in privilege order: the groups it is a member of
    /// (directly or through groups), the machines those administer and the rights they
    /// hold there, each with its shortest witness; never what a secret it learns
    /// reveals or obtains, nor what the machines it administers store. Its status is
    /// not consulted (the configuration's privileges): the findings rate it.
    pub(super) fn own_privileges(&self, account: AccountId) -> Vec<Reached> {
        let root = self.space.index(Node::Account(account));
        let search = Search::run(self.space.len(), &[root], |node, push| {
            for &e in self.out_of(node) {
                if self.edges[e.index()].kind == tag::MEMBER_OF {
                    push(self.edges[e.index()].to, e.0, Step::Free);
                }
            }
        });
        let mut out: Vec<Reached> = Vec::new();
        for &node in &search.order {
            for &e in self.out_of(node) {
                let p = self.edges[e.index()];
                let privilege = match (p.kind, self.space.node(p.to)) {
                    (tag::MEMBER_OF, Node::Account(g)) => Privilege::Member(g),
                    (tag::ADMIN_OF, Node::Machine(m)) => Privilege::Administrator(m),
                    (tag::HAS_RIGHT, Node::Machine(m)) => {
                        Privilege::Right(m, Right::ALL[p.detail as usize])
                    }
                    _ => continue,
                };
                let mut witness = self.path_to(&search, node);
                witness.push(e);
                out.push(Reached {
                    privilege,
                    witness,
                    conditions: Vec::new(),
                });
            }
        }
        // Settled in order of length: the first of each is the shortest.
        out.sort_by_key(|r| r.privilege);
        out.dedup_by_key(|r| r.privilege);
        out
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
        let mut while_runs: Vec<(MachineId, Run, Cost, u32)> = Vec::new();
        let mut rights: Vec<(MachineId, Right, Cost, u32)> = Vec::new();
        // What an edge out of a settled node costs: a locked-out account's edges one
        // condition more.
        let cost_of = |e: u32| -> Cost {
            let from = self.edges[e as usize].from;
            let c = search.cost(from).unwrap_or(Cost::ZERO);
            Cost {
                conditions: c.conditions + u32::from(self.gate_of(from) == Gate::LockedOut),
                length: c.length + 1,
            }
        };
        for &node in &search.order {
            // A disabled account's edges give nothing.
            if self.gate_of(node) == Gate::Disabled {
                continue;
            }
            for &e in self.out_of(node) {
                let p = self.edges[e.index()];
                match p.kind {
                    tag::MEMBER_OF | tag::ADMIN_OF | tag::CAN_READ | tag::REVEALS => {
                        let slot = &mut first[p.to as usize];
                        if *slot == 0 {
                            touched.push(p.to);
                        } else if *slot == ROOT.wrapping_add(1)
                            || cost_of(*slot - 1) <= cost_of(e.0)
                        {
                            // Settled in order of cost, the first edge is the cheapest
                            // but where a locked-out account's edges cost more.
                            continue;
                        }
                        *slot = e.0 + 1;
                    }
                    tag::ADMIN_WHILE_RUNS | tag::HAS_RIGHT => {
                        let Node::Machine(m) = self.space.node(p.to) else {
                            continue;
                        };
                        if p.kind == tag::ADMIN_WHILE_RUNS {
                            while_runs.push((m, self.runs[p.detail as usize], cost_of(e.0), e.0));
                        } else {
                            rights.push((m, Right::ALL[p.detail as usize], cost_of(e.0), e.0));
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
            ROOT => matches!(held, Some(Privilege::Credential(_))),
            e => self.edges[e as usize].kind == tag::REVEALS,
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
        // The cheapest edge of each, the first of equal cost (a stable sort).
        while_runs.sort_by_key(|&(m, run, cost, _)| (m, run, cost));
        while_runs.dedup_by_key(|&mut (m, run, _, _)| (m, run));
        found.extend(
            while_runs
                .into_iter()
                .map(|(m, run, _, e)| (Privilege::AdministratorWhileRuns(m, run), e)),
        );
        rights.sort_by_key(|&(m, r, cost, _)| (m, r, cost));
        rights.dedup_by_key(|&mut (m, r, _, _)| (m, r));
        found.extend(
            rights
                .into_iter()
                .map(|(m, r, _, e)| (Privilege::Right(m, r), e)),
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
                    conditions: c.conditions + u32::from(self.x.gate_of(from) == Gate::LockedOut),
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
        let from = x.edges[last as usize].from;
        let mut witness = x.path_to(&self.search, from);
        let mut conditions = x.conditions_of(&witness);
        // Its own edge's lockout, not its own run.
        conditions.extend(x.lockout_of(from));
        witness.push(EdgeId(last));
        Reached {
            privilege,
            witness,
            conditions,
        }
    }
}
