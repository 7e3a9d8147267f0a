//! The exposure analysis: what each credential and each compromised client yields,
//! across an estate.
//!
//! [`Exposure::build`] turns a scenario and the engine's decisions into a graph whose
//! nodes are accounts and groups, machines, domains, shares and stored secrets, and whose
//! edges say who is a member of what, who administers which machine (for good, or while
//! a program runs), who holds which right, who can read which share, which secrets are
//! stored where and which accounts they reveal. Every edge carries the rule that produced
//! it and its basis: configured by the scenario, stated by Q224286, given by an
//! assumption, or derived.
//!
//! Authentication is modelled through domains (an account is in its domain, a machine
//! accepts its domain, a domain trusts another), not with an edge per account and
//! machine, so the graph grows linearly with the estate.
//!
//! On top: [`Exposure::compromise`] (every privilege a credential or a client yields,
//! each with a witness path of edges), [`Exposure::findings`] (every exposure and every
//! violation of the article's "should never" rules, without a question) and the exports
//! ([`export`]).
//!
//! petgraph holds the graph; it stays behind this module's own types.

pub mod export;
mod findings;
mod query;

use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};

pub use findings::{Evidence, Finding, FindingKind, Severity};
pub use query::{Privilege, Reach, Reached, Start};

use crate::engine::{Batch, Context, Outcome};
use crate::model::*;
use crate::rules::{RuleId, RuleKind};

/// A node of the exposure graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Node {
    /// A user or a group.
    Account(AccountId),
    /// A machine.
    Machine(MachineId),
    /// A domain.
    Domain(DomainId),
    /// A share (a DP share, or a non-SMS resource's).
    Share(ShareId),
    /// A secret stored on machines.
    Secret(Secret),
}

/// A stored secret: what an attacker who controls a machine that stores it learns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Secret {
    /// The site data every NT client receives: the client network connection accounts'
    /// passwords (Q236052) and, under A15, the Software Installation account's.
    SiteClientData,
    /// A machine's own SAM: its local accounts' passwords (`EXPO-ISOLATION`: each local
    /// account, the token account too, has its own password).
    LocalSam(MachineId),
    /// A domain's account database, held by each of its DCs (`X-DC-DATABASE`).
    DomainDatabase(DomainId),
    /// The logon sessions of a machine: the logged-on user's credentials and those its
    /// connections were made with (`X-SESSION-SECRETS`).
    LogonSessions(MachineId),
}

/// The kind of an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// Account -> group.
    MemberOf,
    /// Group or account -> machine: a standing administrator.
    AdminOf,
    /// Account -> machine: an administrator while this program runs (D1, D2).
    AdminWhileRuns(ProgramId),
    /// Account or group -> machine: holds the right there.
    HasRight(Right),
    /// Account or group -> share: can read it.
    CanRead,
    /// Domain -> domain: trusts it (A9).
    Trusts,
    /// Account -> domain: authenticates as a member of it (A10).
    InDomain,
    /// Machine -> domain: accepts its accounts (A10).
    Accepts,
    /// Machine -> secret: stores it.
    Stores,
    /// Secret -> account: reveals its password.
    Reveals,
}

impl EdgeKind {
    /// A short stable name, for JSON and DOT.
    pub const fn key(self) -> &'static str {
        match self {
            EdgeKind::MemberOf => "member_of",
            EdgeKind::AdminOf => "admin_of",
            EdgeKind::AdminWhileRuns(_) => "admin_while_runs",
            EdgeKind::HasRight(_) => "has_right",
            EdgeKind::CanRead => "can_read",
            EdgeKind::Trusts => "trusts",
            EdgeKind::InDomain => "in_domain",
            EdgeKind::Accepts => "accepts",
            EdgeKind::Stores => "stores",
            EdgeKind::Reveals => "reveals",
        }
    }
}

/// Why an edge is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Basis {
    /// The scenario declares it (a membership, a grant, a trust).
    Configured,
    /// Q224286 states it.
    Stated,
    /// A model assumption gives it.
    Assumption,
    /// It follows from the rules (domain notes section 4).
    Derived,
}

impl Basis {
    /// A short stable name.
    pub const fn key(self) -> &'static str {
        match self {
            Basis::Configured => "configured",
            Basis::Stated => "stated",
            Basis::Assumption => "assumption",
            Basis::Derived => "derived",
        }
    }
}

/// An edge of the exposure graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edge {
    /// From.
    pub from: Node,
    /// To.
    pub to: Node,
    /// What it means.
    pub kind: EdgeKind,
    /// The rule that produced it.
    pub rule: RuleId,
    /// Its basis.
    pub basis: Basis,
}

/// The id of an edge in an [`Exposure`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EdgeId(u32);

impl EdgeId {
    /// Its position in [`Exposure::edges`].
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// The exposure graph of one scenario, with the decisions it was built from.
#[derive(Debug, Clone)]
pub struct Exposure {
    graph: DiGraph<Node, EdgeId>,
    index: HashMap<Node, NodeIndex>,
    edges: Vec<Edge>,
    /// Decisions whose traces hold evidence for findings: bad-password events (D5) and
    /// failed logons of the Software Installation account.
    events: Vec<findings::Event>,
}

fn basis_of(rule: RuleId) -> Basis {
    match rule.rule().kind {
        RuleKind::Stated => Basis::Stated,
        RuleKind::Assumption if rule == RuleId::XConfigured => Basis::Configured,
        RuleKind::Assumption => Basis::Assumption,
        RuleKind::Derived => Basis::Derived,
    }
}

impl Exposure {
    /// Builds the graph of `estate` in `state`, resolving every advertisement once to
    /// find the Software Installation account's grants and the bad-password events.
    pub fn build(estate: &Estate, state: &State) -> Exposure {
        let mut batch = Batch::default();
        batch.resolve_all(estate, state);
        Exposure::from_batch(estate, state, &batch)
    }

    /// Builds the graph from decisions already made.
    pub fn from_batch(estate: &Estate, state: &State, batch: &Batch) -> Exposure {
        let mut x = Exposure {
            graph: DiGraph::with_capacity(
                estate.accounts().len() + estate.machines().len() * 2,
                estate.accounts().len() * 2 + estate.machines().len() * 4,
            ),
            index: HashMap::new(),
            edges: Vec::new(),
            events: Vec::new(),
        };
        x.add_static(estate, state);
        x.add_decisions(estate, batch);
        x
    }

    fn node(&mut self, node: Node) -> NodeIndex {
        if let Some(&i) = self.index.get(&node) {
            return i;
        }
        let i = self.graph.add_node(node);
        self.index.insert(node, i);
        i
    }

    fn edge(&mut self, from: Node, to: Node, kind: EdgeKind, rule: RuleId) {
        let (a, b) = (self.node(from), self.node(to));
        let id = EdgeId(self.edges.len() as u32);
        self.edges.push(Edge {
            from,
            to,
            kind,
            rule,
            basis: basis_of(rule),
        });
        self.graph.add_edge(a, b, id);
    }

    fn add_static(&mut self, estate: &Estate, state: &State) {
        for d in 0..estate.domains().len() {
            self.node(Node::Domain(DomainId::from_index(d)));
        }
        for (a, b) in state.trust_pairs() {
            self.edge(
                Node::Domain(a),
                Node::Domain(b),
                EdgeKind::Trusts,
                RuleId::XConfigured,
            );
        }
        for m in estate.machine_ids() {
            self.node(Node::Machine(m));
            if let Some(d) = estate.machine(m).domain {
                self.edge(
                    Node::Machine(m),
                    Node::Domain(d),
                    EdgeKind::Accepts,
                    RuleId::A10,
                );
            }
        }
        for a in estate.account_ids() {
            let account = estate.account(a);
            self.node(Node::Account(a));
            if let Store::Domain(d) = account.store {
                self.edge(
                    Node::Account(a),
                    Node::Domain(d),
                    EdgeKind::InDomain,
                    RuleId::A10,
                );
            }
            for &m in &account.members {
                self.edge(
                    Node::Account(m),
                    Node::Account(a),
                    EdgeKind::MemberOf,
                    RuleId::XConfigured,
                );
            }
        }
        // Administrators groups administer their machines (A1); the domain's, every DC.
        for m in estate.machine_ids() {
            if let Some(g) = estate.administrators_of(m) {
                self.edge(
                    Node::Account(g),
                    Node::Machine(m),
                    EdgeKind::AdminOf,
                    RuleId::A1,
                );
            }
            for &(right, holder) in estate.rights_on(m) {
                self.edge(
                    Node::Account(holder),
                    Node::Machine(m),
                    EdgeKind::HasRight(right),
                    RuleId::XConfigured,
                );
            }
        }
        self.add_token_accounts(estate);
        for package in estate.packages() {
            for copy in &package.copies {
                for &g in &copy.read {
                    self.edge(
                        Node::Account(g),
                        Node::Share(copy.share),
                        EdgeKind::CanRead,
                        RuleId::XConfigured,
                    );
                }
            }
        }
        for r in estate.resources() {
            for &g in &r.read {
                self.edge(
                    Node::Account(g),
                    Node::Share(r.share),
                    EdgeKind::CanRead,
                    RuleId::XConfigured,
                );
            }
        }
        self.add_secrets(estate, state);
    }

    /// `SVC-TOKEN-RIGHTS`: the token account is in Administrators and holds
    /// SeTcbPrivilege: a member's in its own Administrators (A3: for its runs only when
    /// transient), the DC token in the domain's, which administers every DC
    /// (`EXPO-DC-TOKEN`).
    fn add_token_accounts(&mut self, estate: &Estate) {
        let transient = estate.assumptions().token_admin_membership
            == TokenAdminMembership::TransientOnMemberClients;
        for d in 0..estate.domains().len() {
            let domain = estate.domain(DomainId::from_index(d));
            if let Some(t) = domain.token_account {
                self.edge(
                    Node::Account(t),
                    Node::Account(domain.administrators),
                    EdgeKind::MemberOf,
                    RuleId::ExpoDcToken,
                );
                for &dc in &domain.controllers {
                    self.edge(
                        Node::Account(t),
                        Node::Machine(dc),
                        EdgeKind::HasRight(Right::Tcb),
                        RuleId::SvcTokenRights,
                    );
                }
            }
        }
        for m in estate.machine_ids() {
            let machine = estate.machine(m);
            // The client service account (not in Q224286, but an administrator too).
            if let (Some(s), Some(g)) = (machine.service_account, estate.administrators_of(m)) {
                if !self.has_edge(Node::Account(s), Node::Account(g), EdgeKind::MemberOf) {
                    self.edge(
                        Node::Account(s),
                        Node::Account(g),
                        EdgeKind::MemberOf,
                        RuleId::XClientServiceAccount,
                    );
                }
                self.edge(
                    Node::Account(s),
                    Node::Machine(m),
                    EdgeKind::HasRight(Right::Tcb),
                    RuleId::XClientServiceAccount,
                );
            }
            if machine.platform.is_dc() {
                continue;
            }
            if let (Some(t), Some(g)) = (machine.token_account, machine.administrators) {
                let rule = if transient {
                    RuleId::A3
                } else {
                    RuleId::SvcTokenRights
                };
                self.edge(Node::Account(t), Node::Account(g), EdgeKind::MemberOf, rule);
                self.edge(
                    Node::Account(t),
                    Node::Machine(m),
                    EdgeKind::HasRight(Right::Tcb),
                    RuleId::SvcTokenRights,
                );
            }
        }
    }

    fn add_secrets(&mut self, estate: &Estate, state: &State) {
        let site = estate.site();
        let site_data = Node::Secret(Secret::SiteClientData);
        for &a in &site.connection_accounts {
            self.edge(site_data, Node::Account(a), EdgeKind::Reveals, RuleId::A15);
        }
        if let Some(swia) = site.software_installation_account
            && estate.assumptions().swia_secret_on_clients
            && !site.connection_accounts.contains(&swia)
        {
            self.edge(
                site_data,
                Node::Account(swia),
                EdgeKind::Reveals,
                RuleId::A15,
            );
        }
        let mut local: Vec<Vec<AccountId>> = vec![Vec::new(); estate.machines().len()];
        let mut database: Vec<Vec<AccountId>> = vec![Vec::new(); estate.domains().len()];
        for a in estate.account_ids() {
            let account = estate.account(a);
            if account.kind != AccountKind::User {
                continue;
            }
            match account.store {
                Store::Local(m) => local[m.index()].push(a),
                Store::Domain(d) => database[d.index()].push(a),
            }
        }
        for m in estate.machine_ids() {
            let machine = estate.machine(m);
            if machine.sms_client && machine.platform.is_nt() {
                self.edge(Node::Machine(m), site_data, EdgeKind::Stores, RuleId::A15);
            }
            if !local[m.index()].is_empty() {
                let sam = Node::Secret(Secret::LocalSam(m));
                self.edge(
                    Node::Machine(m),
                    sam,
                    EdgeKind::Stores,
                    RuleId::ExpoIsolation,
                );
                for &a in &local[m.index()] {
                    self.edge(
                        sam,
                        Node::Account(a),
                        EdgeKind::Reveals,
                        RuleId::ExpoIsolation,
                    );
                }
            }
            if let (Platform::NtDomainController(_), Some(d)) = (machine.platform, machine.domain) {
                self.edge(
                    Node::Machine(m),
                    Node::Secret(Secret::DomainDatabase(d)),
                    EdgeKind::Stores,
                    RuleId::XDcDatabase,
                );
            }
            let mut held: Vec<AccountId> = state.logged_on(m).into_iter().collect();
            for kind in [SessionKind::Interactive, SessionKind::Service] {
                held.extend(
                    state
                        .session(m, kind)
                        .connections
                        .iter()
                        .map(|c| c.credential),
                );
            }
            held.sort_unstable();
            held.dedup();
            if !held.is_empty() {
                let sessions = Node::Secret(Secret::LogonSessions(m));
                self.edge(
                    Node::Machine(m),
                    sessions,
                    EdgeKind::Stores,
                    RuleId::XSessionSecrets,
                );
                for a in held {
                    self.edge(
                        sessions,
                        Node::Account(a),
                        EdgeKind::Reveals,
                        RuleId::XSessionSecrets,
                    );
                }
            }
        }
        for (d, accounts) in database.iter().enumerate() {
            let db = Node::Secret(Secret::DomainDatabase(DomainId::from_index(d)));
            if accounts.is_empty() || !self.index.contains_key(&db) {
                continue;
            }
            for &a in accounts {
                self.edge(db, Node::Account(a), EdgeKind::Reveals, RuleId::XDcDatabase);
            }
        }
    }

    /// D1, D2: the Software Installation account administers each client while a
    /// program that runs there with it runs; and the evidence for D5 and
    /// `SWIA-REQUIREMENTS` findings.
    fn add_decisions(&mut self, estate: &Estate, batch: &Batch) {
        for (i, &(ad, client, decision, _)) in batch.decisions.iter().enumerate() {
            if decision.outcome == Outcome::Run
                && decision.context == Some(Context::SoftwareInstallation)
                && let Some(grant) = decision.grant
            {
                let program = estate.advertisement(ad).program;
                let rule = if estate.machine(client).platform.is_dc() {
                    RuleId::D2
                } else {
                    RuleId::D1
                };
                self.edge(
                    Node::Account(grant.account),
                    Node::Machine(client),
                    EdgeKind::AdminWhileRuns(program),
                    rule,
                );
            }
            self.events.extend(findings::events(
                estate,
                ad,
                client,
                &decision,
                batch.steps_of(i),
            ));
        }
    }

    /// Every edge, in the order they were added (deterministic for a scenario).
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// One edge.
    pub fn edge_at(&self, id: EdgeId) -> &Edge {
        &self.edges[id.index()]
    }

    /// Every node, in the order they were added.
    pub fn nodes(&self) -> impl Iterator<Item = Node> + '_ {
        self.graph.node_weights().copied()
    }

    /// The edges leaving `node`, in the order they were added.
    pub(crate) fn out_edges(&self, node: Node) -> Vec<EdgeId> {
        let Some(&i) = self.index.get(&node) else {
            return Vec::new();
        };
        let mut out: Vec<EdgeId> = self.graph.edges(i).map(|e| *e.weight()).collect();
        out.sort_unstable();
        out
    }

    /// The edges entering `node`, in the order they were added.
    fn in_edges(&self, node: Node) -> Vec<EdgeId> {
        let Some(&i) = self.index.get(&node) else {
            return Vec::new();
        };
        let mut out: Vec<EdgeId> = self
            .graph
            .edges_directed(i, petgraph::Direction::Incoming)
            .map(|e| *e.weight())
            .collect();
        out.sort_unstable();
        out
    }

    /// The edges of `kind` from `from` to `to`.
    fn edge_ids_between(
        &self,
        from: Node,
        to: Node,
        kind: EdgeKind,
    ) -> impl Iterator<Item = EdgeId> + '_ {
        let pair = self.index.get(&from).zip(self.index.get(&to));
        pair.into_iter()
            .flat_map(move |(&a, &b)| self.graph.edges_connecting(a, b).map(|e| *e.weight()))
            .filter(move |e| self.edges[e.index()].kind == kind)
    }

    /// Whether an edge of this kind goes from `from` to `to`.
    pub fn has_edge(&self, from: Node, to: Node, kind: EdgeKind) -> bool {
        let (Some(&a), Some(&b)) = (self.index.get(&from), self.index.get(&to)) else {
            return false;
        };
        self.graph
            .edges_connecting(a, b)
            .any(|e| self.edges[e.weight().index()].kind == kind)
    }
}
