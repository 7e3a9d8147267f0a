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
//! each with a witness path of edges and, transitively, the runs that path needs: the
//! search counts conditions first, then edges), [`Exposure::frontier`] (for a target
//! not reached, the facts one step from it), [`Exposure::findings`] (every exposure and
//! every violation of the article's "should never" rules, and which clients' control
//! yields a domain, without a question) and the exports ([`export`]).
//!
//! The graph is stored flat for estates of a million clients: nodes numbered by
//! arithmetic (no table), edges as 16-byte records in the order they were added, and a
//! compressed index of each node's out-edges; queries walk it with dense arrays. Built
//! from a [`DecisionDigest`], not from stored decisions, so [`Exposure::build`] streams
//! the engine's decisions and keeps only what the graph needs. [`Exposure::to_petgraph`]
//! hands the same graph to petgraph, for export and its algorithms.

mod build;
mod configmgr;
pub mod export;
mod findings;
mod frontier;
pub mod opengraph;
mod osd;
pub mod output;
mod push;
mod query;
mod reach;
mod search;

use petgraph::graph::{DiGraph, NodeIndex};

pub use findings::{Evidence, Finding, FindingKind, Severity};
pub use frontier::Missing;
pub use query::{Compromised, Condition, Privilege, Reach, Reached, Start};
pub use reach::{NAMED_CLIENTS, domain_admins};
pub use search::Cost;

use crate::engine::{Batch, Context, Decision, Outcome};
use crate::model::*;
use crate::rules::{RuleId, RuleKind};
use crate::trace::Step;

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
    /// An unauthenticated position on a network segment (an index into the site's
    /// `osd.segments`): where PXE boot media are served (CRED-1).
    Segment(u32),
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
    /// A Configuration Manager site's machine policy `NAAConfig`: its network access
    /// accounts (`CM-NAA-POLICY`), stored on its clients (CRED-3) and handed to any
    /// approved client that asks (CRED-2).
    NetworkAccessPolicy,
    /// The network access accounts a Configuration Manager site used before, left in
    /// its clients' CIM repositories (`X-CM-RESIDUE`, CRED-4).
    PreviousNetworkAccess,
    /// A Configuration Manager site's database: every account it stores (CRED-5).
    SiteDatabase,
    /// The NTLM authentications a client push target receives from the site's tries
    /// (`CM-PUSH-EXPOSES-ALL`): each account's, crackable or relayable by the target's
    /// administrators.
    PushAuthentication(MachineId),
    /// What a device an attacker registers or creates draws from the site's automatic
    /// client push: every push account's NTLM authentication and the site server's
    /// (`CM-ELEVATE-2`, `CM-ELEVATE-3`).
    PushCoercion,
    /// The policy of a collection: its variables and the task sequences deployed to it,
    /// with the accounts they carry (`CM-TS-SECRETS`), stored on its members (CRED-3)
    /// and handed to an approved registration that falls into it (CRED-2).
    CollectionPolicy(CollectionId),
    /// What a collection's policy carried before (removed variables and deployments),
    /// left on its members (`X-CM-TS-RESIDUE`, CRED-4).
    PreviousCollectionPolicy(CollectionId),
    /// The boot media a PXE-enabled distribution point serves (the machine): its
    /// variables (`CM-CRED-1`, CRED-1).
    PxeMedia(MachineId),
}

/// The kind of an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// Account -> group.
    MemberOf,
    /// Group or account -> machine: a standing administrator.
    AdminOf,
    /// Account -> machine: an administrator while a program runs on a client (D1: the
    /// machine itself; D2: any DC of the machine's domain, the grant being in the
    /// domain's Administrators group).
    AdminWhileRuns(Run),
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
    /// Account -> secret: its credentials obtain the secret without control of a
    /// machine that stores it (CRED-2: register a client and ask for the policy; CRED-5:
    /// read the site database).
    Obtains,
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
            EdgeKind::Obtains => "obtains",
        }
    }
}

/// A program running on a client: the condition under which an
/// [`EdgeKind::AdminWhileRuns`] edge holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Run {
    /// The program.
    pub program: ProgramId,
    /// The client it runs on.
    pub client: MachineId,
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
    /// A default its source states, where the scenario does not give the setting.
    Default,
}

impl Basis {
    /// A short stable name.
    pub const fn key(self) -> &'static str {
        match self {
            Basis::Configured => "configured",
            Basis::Stated => "stated",
            Basis::Assumption => "assumption",
            Basis::Derived => "derived",
            Basis::Default => "default",
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

    /// The edge at position `i` of [`Exposure::edges`] (below 2^32).
    pub const fn from_index(i: usize) -> EdgeId {
        EdgeId(i as u32)
    }
}

/// Every node of an estate numbered densely, by arithmetic: accounts, machines, domains,
/// shares, then the secrets (the site data, a SAM and a logon-session store a machine,
/// a database a domain). A node's number needs no table, so the index is a few flat
/// arrays whatever the estate's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Space {
    accounts: u32,
    machines: u32,
    domains: u32,
    shares: u32,
    /// 1 at a Configuration Manager site, whose three secrets come after every other
    /// node; 0 at an SMS 2.0 site, whose numbering they leave alone.
    configmgr: u32,
    /// 1 at a site with client push, whose secrets (the coercion's, then each target's
    /// authentications) come next; 0 elsewhere.
    push: u32,
    /// The network segments and collections of a site that puts secrets in policy
    /// beyond its network access accounts (their nodes come last: the segments, each
    /// collection's policy, each one's previous policy, each machine's PXE media); 0
    /// elsewhere.
    segments: u32,
    collections: u32,
    osd: u32,
}

impl Space {
    fn of(estate: &Estate) -> Space {
        // The loader keeps every list far below 2^32 / 4 entries.
        Space {
            accounts: estate.accounts().len() as u32,
            machines: estate.machines().len() as u32,
            domains: estate.domains().len() as u32,
            shares: estate.shares().len() as u32,
            configmgr: u32::from(estate.site().product == Product::ConfigMgr),
            push: u32::from(estate.site().configmgr.client_push.is_some()),
            segments: estate.site().configmgr.osd.segments.len() as u32,
            collections: estate.collections().len() as u32,
            osd: u32::from(!estate.site().configmgr.osd.is_empty()),
        }
    }

    /// The first number of the policy nodes (after client push's).
    fn osd_base(self) -> u32 {
        self.accounts
            + 3 * self.machines
            + 2 * self.domains
            + self.shares
            + 1
            + 3 * self.configmgr
            + self.push * (1 + self.machines)
    }

    fn len(self) -> usize {
        (self.osd_base() + self.osd * (self.segments + 2 * self.collections + self.machines))
            as usize
    }

    fn index(self, node: Node) -> u32 {
        let machines = self.accounts;
        let domains = machines + self.machines;
        let shares = domains + self.domains;
        let site = shares + self.shares;
        let sams = site + 1;
        let databases = sams + self.machines;
        let sessions = databases + self.domains;
        let configmgr = sessions + self.machines;
        match node {
            Node::Account(a) => a.index() as u32,
            Node::Machine(m) => machines + m.index() as u32,
            Node::Domain(d) => domains + d.index() as u32,
            Node::Share(s) => shares + s.index() as u32,
            Node::Secret(Secret::SiteClientData) => site,
            Node::Secret(Secret::LocalSam(m)) => sams + m.index() as u32,
            Node::Secret(Secret::DomainDatabase(d)) => databases + d.index() as u32,
            Node::Secret(Secret::LogonSessions(m)) => sessions + m.index() as u32,
            Node::Secret(Secret::NetworkAccessPolicy) => configmgr,
            Node::Secret(Secret::PreviousNetworkAccess) => configmgr + 1,
            Node::Secret(Secret::SiteDatabase) => configmgr + 2,
            Node::Secret(Secret::PushCoercion) => configmgr + 3,
            Node::Secret(Secret::PushAuthentication(m)) => configmgr + 4 + m.index() as u32,
            Node::Segment(k) => self.osd_base() + k,
            Node::Secret(Secret::CollectionPolicy(c)) => {
                self.osd_base() + self.segments + c.index() as u32
            }
            Node::Secret(Secret::PreviousCollectionPolicy(c)) => {
                self.osd_base() + self.segments + self.collections + c.index() as u32
            }
            Node::Secret(Secret::PxeMedia(m)) => {
                self.osd_base() + self.segments + 2 * self.collections + m.index() as u32
            }
        }
    }

    fn node(self, i: u32) -> Node {
        let mut i = i;
        if i < self.accounts {
            return Node::Account(AccountId::from_index(i as usize));
        }
        i -= self.accounts;
        if i < self.machines {
            return Node::Machine(MachineId::from_index(i as usize));
        }
        i -= self.machines;
        if i < self.domains {
            return Node::Domain(DomainId::from_index(i as usize));
        }
        i -= self.domains;
        if i < self.shares {
            return Node::Share(ShareId::from_index(i as usize));
        }
        i -= self.shares;
        if i == 0 {
            return Node::Secret(Secret::SiteClientData);
        }
        i -= 1;
        if i < self.machines {
            return Node::Secret(Secret::LocalSam(MachineId::from_index(i as usize)));
        }
        i -= self.machines;
        if i < self.domains {
            return Node::Secret(Secret::DomainDatabase(DomainId::from_index(i as usize)));
        }
        i -= self.domains;
        if i < self.machines {
            return Node::Secret(Secret::LogonSessions(MachineId::from_index(i as usize)));
        }
        i -= self.machines;
        if i < 3 * self.configmgr + self.push * (1 + self.machines) {
            return Node::Secret(match i {
                0 => Secret::NetworkAccessPolicy,
                1 => Secret::PreviousNetworkAccess,
                2 => Secret::SiteDatabase,
                3 => Secret::PushCoercion,
                i => Secret::PushAuthentication(MachineId::from_index(i as usize - 4)),
            });
        }
        i -= 3 * self.configmgr + self.push * (1 + self.machines);
        if i < self.segments {
            return Node::Segment(i);
        }
        i -= self.segments;
        if i < self.collections {
            return Node::Secret(Secret::CollectionPolicy(CollectionId::from_index(
                i as usize,
            )));
        }
        i -= self.collections;
        if i < self.collections {
            return Node::Secret(Secret::PreviousCollectionPolicy(CollectionId::from_index(
                i as usize,
            )));
        }
        i -= self.collections;
        Node::Secret(Secret::PxeMedia(MachineId::from_index(i as usize)))
    }
}

/// An edge as stored: 16 bytes, node numbers from [`Space`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Packed {
    from: u32,
    to: u32,
    /// The run of `AdminWhileRuns` (its index in [`Exposure::runs`]), the right of
    /// `HasRight`.
    detail: u32,
    kind: u8,
    rule: RuleId,
}

/// The stored codes of the edge kinds ([`Packed::kind`]): what the searches and the
/// findings compare a stored edge's kind with, by name.
pub(super) mod tag {
    /// [`super::EdgeKind::MemberOf`].
    pub const MEMBER_OF: u8 = 0;
    /// [`super::EdgeKind::AdminOf`].
    pub const ADMIN_OF: u8 = 1;
    /// [`super::EdgeKind::AdminWhileRuns`].
    pub const ADMIN_WHILE_RUNS: u8 = 2;
    /// [`super::EdgeKind::HasRight`].
    pub const HAS_RIGHT: u8 = 3;
    /// [`super::EdgeKind::CanRead`].
    pub const CAN_READ: u8 = 4;
    /// [`super::EdgeKind::Trusts`].
    pub const TRUSTS: u8 = 5;
    /// [`super::EdgeKind::InDomain`].
    pub const IN_DOMAIN: u8 = 6;
    /// [`super::EdgeKind::Accepts`].
    pub const ACCEPTS: u8 = 7;
    /// [`super::EdgeKind::Stores`].
    pub const STORES: u8 = 8;
    /// [`super::EdgeKind::Reveals`].
    pub const REVEALS: u8 = 9;
    /// [`super::EdgeKind::Obtains`].
    pub const OBTAINS: u8 = 10;
}

/// The kind's code, and its detail where it needs no table (`AdminWhileRuns`' run is
/// its index in the run table).
fn pack_kind(kind: EdgeKind) -> (u8, u32) {
    match kind {
        EdgeKind::MemberOf => (tag::MEMBER_OF, 0),
        EdgeKind::AdminOf => (tag::ADMIN_OF, 0),
        EdgeKind::AdminWhileRuns(_) => (tag::ADMIN_WHILE_RUNS, u32::MAX),
        EdgeKind::HasRight(r) => (tag::HAS_RIGHT, r as u32),
        EdgeKind::CanRead => (tag::CAN_READ, 0),
        EdgeKind::Trusts => (tag::TRUSTS, 0),
        EdgeKind::InDomain => (tag::IN_DOMAIN, 0),
        EdgeKind::Accepts => (tag::ACCEPTS, 0),
        EdgeKind::Stores => (tag::STORES, 0),
        EdgeKind::Reveals => (tag::REVEALS, 0),
        EdgeKind::Obtains => (tag::OBTAINS, 0),
    }
}

fn unpack_kind(runs: &[Run], kind: u8, detail: u32) -> EdgeKind {
    match kind {
        tag::MEMBER_OF => EdgeKind::MemberOf,
        tag::ADMIN_OF => EdgeKind::AdminOf,
        tag::ADMIN_WHILE_RUNS => EdgeKind::AdminWhileRuns(runs[detail as usize]),
        tag::HAS_RIGHT => EdgeKind::HasRight(Right::ALL[detail as usize]),
        tag::CAN_READ => EdgeKind::CanRead,
        tag::TRUSTS => EdgeKind::Trusts,
        tag::IN_DOMAIN => EdgeKind::InDomain,
        tag::ACCEPTS => EdgeKind::Accepts,
        tag::STORES => EdgeKind::Stores,
        tag::REVEALS => EdgeKind::Reveals,
        _ => EdgeKind::Obtains,
    }
}

/// What an account's status lets its credentials do, as the searches read it
/// ([`Exposure::gate`]): the status of the state the graph was built in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gate {
    /// Enabled and not locked out: its password yields what its edges give (or the node
    /// is no account).
    Open,
    /// Locked out: its password yields what its edges give once the lockout ends
    /// (`X-LOCKOUT-ENDS`), a condition of every path out of it.
    LockedOut,
    /// Disabled: it authenticates nowhere (A10), so its password yields nothing but
    /// itself while it is.
    Disabled,
}

impl Gate {
    /// The rule that gives an account this gate's effect in the graph: A10 for a
    /// disabled account, `X-LOCKOUT-ENDS` for a locked-out one; none when open.
    pub const fn rule(self) -> Option<RuleId> {
        match self {
            Gate::Open => None,
            Gate::LockedOut => Some(RuleId::XLockoutEnds),
            Gate::Disabled => Some(RuleId::A10),
        }
    }
}

/// What the exposure analysis needs from the engine's decisions: the Software
/// Installation account's grants (D1, D2) and the events findings rest on (D5, A16,
/// `SWIA-REQUIREMENTS`). Small whatever the estate: a tool that streams millions of
/// decisions keeps only this.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionDigest {
    /// (account, client, program, rule) of every run in the Software Installation
    /// context, in decision order.
    grants: Vec<(AccountId, MachineId, ProgramId, RuleId)>,
    events: Vec<findings::Event>,
}

impl DecisionDigest {
    /// Keeps what one decision holds for the exposure analysis.
    pub fn add(
        &mut self,
        estate: &Estate,
        advertisement: AdvertisementId,
        client: MachineId,
        decision: &Decision,
        steps: &[Step],
    ) {
        if decision.outcome == Outcome::Run
            && decision.context == Some(Context::SoftwareInstallation)
            && let Some(grant) = decision.grant
        {
            let rule = if estate.machine(client).platform.is_dc() {
                RuleId::D2
            } else {
                RuleId::D1
            };
            let program = estate.advertisement(advertisement).program;
            self.grants.push((grant.account, client, program, rule));
        }
        findings::events(
            estate,
            advertisement,
            client,
            decision,
            steps,
            &mut self.events,
        );
    }

    /// The digest of every decision of a batch.
    pub fn of_batch(estate: &Estate, batch: &Batch) -> DecisionDigest {
        let mut digest = DecisionDigest::default();
        for e in batch.iter() {
            digest.add(estate, e.advertisement, e.client, e.decision, e.steps);
        }
        digest
    }
}

/// The exposure graph of one scenario, with the decisions it was built from.
///
/// Stored flat: the edges in the order they were added (16 bytes each), and a
/// compressed index of each node's out-edges (an offset a node, an id an edge), built
/// once; queries walk it with dense arrays, never a hash table. [`Exposure::to_petgraph`]
/// gives the same graph as a petgraph `DiGraph` for export and other algorithms.
#[derive(Debug, Clone)]
pub struct Exposure {
    space: Space,
    edges: Vec<Packed>,
    /// Node numbers in the order they first appeared.
    order: Vec<u32>,
    /// Which node numbers have appeared (a bit each).
    seen: Vec<u64>,
    /// `out[out_start[n]..out_start[n + 1]]`: the out-edges of node `n`, in id order.
    out_start: Vec<u32>,
    out: Vec<EdgeId>,
    /// The runs `AdminWhileRuns` edges hold under, each once, in the order of the
    /// decisions that granted them.
    runs: Vec<Run>,
    /// Evidence for findings: bad-password events (D5) and failed logons of the
    /// Software Installation account.
    events: Vec<findings::Event>,
    /// Each account's [`Gate`], from its status in the state the graph was built in.
    gates: Vec<Gate>,
    /// Buffers the build reuses; no part of the graph.
    scratch: Scratch,
}

/// The build's working buffers, kept between [`Exposure::rebuild`]s.
#[derive(Debug, Clone, Default)]
struct Scratch {
    /// Each machine's local users (`users[start[m]..start[m + 1]]`), by a counting sort.
    local_start: Vec<u32>,
    local: Vec<AccountId>,
    /// The parts of the last parallel build.
    #[cfg(feature = "parallel")]
    parts: Vec<build::Part>,
}

/// A compressed index of `edges` by `key` (their source, or their target), by a
/// counting sort: `(start, ids)` with the edges of node `n` at
/// `ids[start[n]..start[n + 1]]`, in id order.
fn counting_index(
    nodes: usize,
    edges: &[Packed],
    key: impl Fn(&Packed) -> u32,
) -> (Vec<u32>, Vec<EdgeId>) {
    let (mut start, mut ids) = (Vec::new(), Vec::new());
    counting_index_into(nodes, edges, key, &mut start, &mut ids);
    (start, ids)
}

/// [`counting_index`] into buffers it reuses: no allocation once they are large enough.
fn counting_index_into(
    nodes: usize,
    edges: &[Packed],
    key: impl Fn(&Packed) -> u32,
    start: &mut Vec<u32>,
    ids: &mut Vec<EdgeId>,
) {
    start.clear();
    start.resize(nodes + 1, 0);
    for e in edges {
        start[key(e) as usize + 1] += 1;
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    // `start[n]` serves as node n's cursor, which ends at node n + 1's start; shifting
    // the array by one afterwards gives the starts back.
    ids.clear();
    ids.resize(edges.len(), EdgeId(0));
    for (id, e) in edges.iter().enumerate() {
        let slot = &mut start[key(e) as usize];
        ids[*slot as usize] = EdgeId(id as u32);
        *slot += 1;
    }
    start.copy_within(0..nodes, 1);
    start[0] = 0;
}

fn basis_of(rule: RuleId) -> Basis {
    match rule.rule().kind {
        RuleKind::Stated => Basis::Stated,
        RuleKind::Assumption if rule == RuleId::XConfigured => Basis::Configured,
        RuleKind::Assumption => Basis::Assumption,
        RuleKind::Derived => Basis::Derived,
        RuleKind::Default => Basis::Default,
    }
}

impl Exposure {
    /// Builds the graph of `estate` in `state`, resolving every advertisement once (one
    /// reused step buffer, nothing kept but the [`DecisionDigest`]) to find the Software
    /// Installation account's grants and the bad-password events.
    pub fn build(estate: &Estate, state: &State) -> Exposure {
        let mut digest = DecisionDigest::default();
        crate::engine::for_each_decision(estate, state, |ad, client, decision, steps| {
            digest.add(estate, ad, client, decision, steps);
        });
        Exposure::from_digest(estate, state, &digest)
    }

    /// Builds the graph from decisions already made.
    pub fn from_batch(estate: &Estate, state: &State, batch: &Batch) -> Exposure {
        Exposure::from_digest(estate, state, &DecisionDigest::of_batch(estate, batch))
    }

    /// Builds the graph from the digest of decisions already made.
    pub fn from_digest(estate: &Estate, state: &State, digest: &DecisionDigest) -> Exposure {
        let mut x = Exposure::empty(estate);
        x.rebuild(estate, state, digest);
        x
    }

    /// A graph with no node, no edge and no buffer, to be built into.
    fn empty(estate: &Estate) -> Exposure {
        Exposure {
            space: Space::of(estate),
            edges: Vec::new(),
            order: Vec::new(),
            seen: Vec::new(),
            out_start: Vec::new(),
            out: Vec::new(),
            runs: Vec::new(),
            events: Vec::new(),
            gates: Vec::new(),
            scratch: Scratch::default(),
        }
    }

    /// Builds the graph of `estate` in `state` from `digest` into this one, in place of
    /// what it held: the same graph as [`Exposure::from_digest`], in the buffers this
    /// one already has, so that building again and again (an estate that changes, a
    /// bench) allocates nothing once they are large enough.
    pub fn rebuild(&mut self, estate: &Estate, state: &State, digest: &DecisionDigest) {
        self.rebuild_on(estate, state, digest, false);
    }

    /// [`Exposure::rebuild`] on every core (feature `parallel`): the build's tasks (each
    /// a phase over a range of machines or accounts) run in parallel, each into a part
    /// of its own, and the parts are joined in task order, so the graph is the serial
    /// build's, node for node and edge for edge.
    #[cfg(feature = "parallel")]
    pub fn rebuild_parallel(&mut self, estate: &Estate, state: &State, digest: &DecisionDigest) {
        self.rebuild_on(estate, state, digest, true);
    }

    /// [`Exposure::from_digest`] on every core (feature `parallel`): the same graph.
    #[cfg(feature = "parallel")]
    pub fn from_digest_parallel(
        estate: &Estate,
        state: &State,
        digest: &DecisionDigest,
    ) -> Exposure {
        let mut x = Exposure::empty(estate);
        x.rebuild_parallel(estate, state, digest);
        x
    }

    fn rebuild_on(
        &mut self,
        estate: &Estate,
        state: &State,
        digest: &DecisionDigest,
        parallel: bool,
    ) {
        let space = Space::of(estate);
        self.space = space;
        self.edges.clear();
        // The parallel build reserves the edges when it joins its parts.
        if !parallel {
            self.edges
                .reserve(estate.accounts().len() * 2 + estate.machines().len() * 8);
        }
        self.order.clear();
        self.order
            .reserve(estate.accounts().len() + estate.machines().len() * 3);
        self.seen.clear();
        self.seen.resize(space.len().div_ceil(64), 0);
        self.runs.clear();
        self.events.clone_from(&digest.events);
        self.gates.clear();
        self.gates.extend(estate.account_ids().map(|a| {
            let status = state.status(a);
            if !status.enabled {
                Gate::Disabled
            } else if status.locked_out {
                Gate::LockedOut
            } else {
                Gate::Open
            }
        }));
        self.add_static(estate, state, parallel);
        self.add_runs(estate, digest);
        self.index();
    }

    fn is_seen(&self, i: u32) -> bool {
        self.seen[i as usize / 64] & (1 << (i % 64)) != 0
    }

    fn see(&mut self, i: u32) {
        if !self.is_seen(i) {
            self.seen[i as usize / 64] |= 1 << (i % 64);
            self.order.push(i);
        }
    }

    /// The out-edge index, by a counting sort of the edges on their source: each node's
    /// edges stay in id order.
    fn index(&mut self) {
        counting_index_into(
            self.space.len(),
            &self.edges,
            |e| e.from,
            &mut self.out_start,
            &mut self.out,
        );
    }

    /// How many edges the graph has.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// How many nodes the graph has.
    pub fn node_count(&self) -> usize {
        self.order.len()
    }

    /// Every edge, in the order they were added (deterministic for a scenario).
    pub fn edges(&self) -> impl ExactSizeIterator<Item = Edge> + '_ {
        self.edges.iter().map(|&p| self.unpack(p))
    }

    fn unpack(&self, p: Packed) -> Edge {
        Edge {
            from: self.space.node(p.from),
            to: self.space.node(p.to),
            kind: unpack_kind(&self.runs, p.kind, p.detail),
            rule: p.rule,
            basis: basis_of(p.rule),
        }
    }

    /// The id of every edge, in the order they were added.
    pub fn edge_ids(&self) -> impl ExactSizeIterator<Item = EdgeId> + use<> {
        (0..self.edges.len() as u32).map(EdgeId)
    }

    /// One edge.
    pub fn edge_at(&self, id: EdgeId) -> Edge {
        self.unpack(self.edges[id.index()])
    }

    /// Every node, in the order they were added.
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = Node> + '_ {
        self.order.iter().map(|&i| self.space.node(i))
    }

    /// Whether the node is in the graph.
    pub fn contains(&self, node: Node) -> bool {
        self.is_seen(self.space.index(node))
    }

    fn out_of(&self, i: u32) -> &[EdgeId] {
        let i = i as usize;
        &self.out[self.out_start[i] as usize..self.out_start[i + 1] as usize]
    }

    /// The edges leaving `node`, in the order they were added.
    pub fn out_edges(&self, node: Node) -> &[EdgeId] {
        self.out_of(self.space.index(node))
    }

    /// The edges of `kind` from `from` to `to`, in id order.
    fn edge_ids_between(
        &self,
        from: Node,
        to: Node,
        kind: EdgeKind,
    ) -> impl Iterator<Item = EdgeId> + '_ {
        let to = self.space.index(to);
        self.out_edges(from).iter().copied().filter(move |e| {
            let p = self.edges[e.index()];
            p.to == to && self.is_kind(p, kind)
        })
    }

    /// The edges of `kind` into `to`, in id order: a scan of every edge, for the few
    /// findings that look backwards.
    fn edges_into(&self, to: Node, kind: EdgeKind) -> impl Iterator<Item = EdgeId> + '_ {
        let to = self.space.index(to);
        self.edges
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.to == to && self.is_kind(**p, kind))
            .map(|(id, _)| EdgeId(id as u32))
    }

    /// Whether a stored edge is of `kind` (a run compared through the run table).
    fn is_kind(&self, p: Packed, kind: EdgeKind) -> bool {
        match kind {
            EdgeKind::AdminWhileRuns(run) => {
                p.kind == tag::ADMIN_WHILE_RUNS && self.runs[p.detail as usize] == run
            }
            _ => (p.kind, p.detail) == pack_kind(kind),
        }
    }

    /// Whether an edge of this kind goes from `from` to `to`.
    pub fn has_edge(&self, from: Node, to: Node, kind: EdgeKind) -> bool {
        self.edge_ids_between(from, to, kind).next().is_some()
    }

    /// What `account`'s status lets its credentials do in the state the graph was built
    /// in (A10, `X-LOCKOUT-ENDS`).
    pub fn gate(&self, account: AccountId) -> Gate {
        self.gates[account.index()]
    }

    /// The gate of the node numbered `i`: an account's, [`Gate::Open`] for any other
    /// node. Every search asks it of an edge's source before it takes the edge.
    fn gate_of(&self, i: u32) -> Gate {
        // Accounts are numbered first ([`Space::index`]), one gate each.
        self.gates.get(i as usize).copied().unwrap_or(Gate::Open)
    }

    /// The graph as a petgraph `DiGraph`: nodes in [`Exposure::nodes`] order, edges in
    /// id order, each weighted with its [`Edge`], for export and for petgraph's
    /// algorithms.
    pub fn to_petgraph(&self) -> DiGraph<Node, Edge> {
        let mut graph = DiGraph::with_capacity(self.order.len(), self.edges.len());
        let mut at = vec![NodeIndex::end(); self.space.len()];
        for &i in &self.order {
            at[i as usize] = graph.add_node(self.space.node(i));
        }
        for &p in &self.edges {
            graph.add_edge(at[p.from as usize], at[p.to as usize], self.unpack(p));
        }
        graph
    }
}
