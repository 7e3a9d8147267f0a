//! Building the exposure graph: the tasks that add its nodes and edges (each a phase of
//! the build over a range of machines or accounts), written once against a [`Sink`],
//! so that the serial build runs them straight into the graph and the parallel build
//! runs them on every core into [`Part`]s that are joined in task order. Either way the
//! graph has the same nodes and edges in the same order.

use std::ops::Range;

use super::*;

/// Where a task puts what it adds.
pub(super) trait Sink {
    /// The node numbers.
    fn space(&self) -> Space;
    /// Names a node by itself (it is in the graph even without an edge).
    fn node(&mut self, node: Node);
    /// Adds an edge.
    fn push(&mut self, edge: Packed);

    fn edge(&mut self, from: Node, to: Node, kind: EdgeKind, rule: RuleId) {
        let space = self.space();
        let (kind, detail) = pack_kind(kind);
        self.push(Packed {
            from: space.index(from),
            to: space.index(to),
            detail,
            kind,
            rule,
        });
    }
}

/// The serial build: straight into the graph.
impl Sink for Exposure {
    fn space(&self) -> Space {
        self.space
    }
    fn node(&mut self, node: Node) {
        self.see(self.space.index(node));
    }
    fn push(&mut self, edge: Packed) {
        self.see(edge.from);
        self.see(edge.to);
        self.edges.push(edge);
    }
}

/// What one task of the parallel build adds: its edges in order, and the nodes in the
/// order they first appear in it (named by themselves or as an edge's end). A node
/// first appears in the graph where it first appears in the first part that has it, so
/// joining the parts needs only each part's first appearances, not every edge's ends.
#[cfg(feature = "parallel")]
#[derive(Debug, Clone)]
pub(super) struct Part {
    space: Space,
    edges: Vec<Packed>,
    firsts: Vec<u32>,
    /// Which nodes have appeared in this part (a bit each).
    seen: Vec<u64>,
}

#[cfg(feature = "parallel")]
impl Part {
    fn mark(&mut self, i: u32) {
        let (word, bit) = (i as usize / 64, 1u64 << (i % 64));
        if self.seen[word] & bit == 0 {
            self.seen[word] |= bit;
            self.firsts.push(i);
        }
    }
}

#[cfg(feature = "parallel")]
impl Sink for Part {
    fn space(&self) -> Space {
        self.space
    }
    fn node(&mut self, node: Node) {
        self.mark(self.space.index(node));
    }
    fn push(&mut self, edge: Packed) {
        self.mark(edge.from);
        self.mark(edge.to);
        self.edges.push(edge);
    }
}

/// One task: a phase of the build, over a range of machines or accounts where it has
/// one. The tasks in order are the serial build.
#[derive(Debug, Clone)]
enum Task {
    /// The domains and their trusts.
    Domains,
    /// Machines: each a node, accepting its domain (A10).
    Machines(Range<usize>),
    /// Accounts: each a node, in its domain (A10), and its groups' memberships.
    Accounts(Range<usize>),
    /// Administrators groups administer their machines (A1); the rights held there.
    Administrators(Range<usize>),
    /// The DC token accounts (`EXPO-DC-TOKEN`, `SVC-TOKEN-RIGHTS`).
    DomainTokens,
    /// The client service and token accounts of machines.
    MachineTokens(Range<usize>),
    /// Read grants on package copies and resources.
    Reads,
    /// The site's client data and the accounts it reveals (A15).
    SiteSecrets,
    /// What each machine stores: site data, its SAM, its domain's database, its logon
    /// sessions' credentials.
    MachineSecrets(Range<usize>),
    /// What each domain's database reveals.
    Databases,
    /// A Configuration Manager site's secrets and who obtains them.
    ConfigMgr,
}

/// The tasks of a build, in order; a phase over many machines or accounts is cut into
/// `cuts` ranges.
fn tasks(estate: &Estate, cuts: usize) -> Vec<Task> {
    let ranges = |n: usize| -> Vec<Range<usize>> {
        let size = n.div_ceil(cuts.max(1)).max(1);
        (0..n.div_ceil(size))
            .map(|i| i * size..((i + 1) * size).min(n))
            .collect()
    };
    let (machines, accounts) = (estate.machines().len(), estate.accounts().len());
    let mut t = vec![Task::Domains];
    t.extend(ranges(machines).into_iter().map(Task::Machines));
    t.extend(ranges(accounts).into_iter().map(Task::Accounts));
    t.extend(ranges(machines).into_iter().map(Task::Administrators));
    t.push(Task::DomainTokens);
    t.extend(ranges(machines).into_iter().map(Task::MachineTokens));
    t.push(Task::Reads);
    t.push(Task::SiteSecrets);
    t.extend(ranges(machines).into_iter().map(Task::MachineSecrets));
    t.push(Task::Databases);
    if estate.site().product == Product::ConfigMgr {
        t.push(Task::ConfigMgr);
    }
    t
}

/// Each machine's local users, in id order (`local[start[m]..start[m + 1]]`), by a
/// counting sort into two flat arrays: a list a machine would be a million allocations.
fn local_users(estate: &Estate, start: &mut Vec<u32>, local: &mut Vec<AccountId>) {
    let machines = estate.machines().len();
    start.clear();
    start.resize(machines + 1, 0);
    let local_user = |a: AccountId| {
        let account = estate.account(a);
        match (account.kind, account.store) {
            (AccountKind::User, Store::Local(m)) => Some(m),
            _ => None,
        }
    };
    for a in estate.account_ids() {
        if let Some(m) = local_user(a) {
            start[m.index() + 1] += 1;
        }
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    local.clear();
    local.resize(start[machines] as usize, AccountId::from_index(0));
    for a in estate.account_ids() {
        if let Some(m) = local_user(a) {
            let slot = &mut start[m.index()];
            local[*slot as usize] = a;
            *slot += 1;
        }
    }
    start.copy_within(0..machines, 1);
    start[0] = 0;
}

/// What every task reads besides the estate and the state.
struct Shared<'a> {
    estate: &'a Estate,
    state: &'a State,
    local_start: &'a [u32],
    local: &'a [AccountId],
}

impl Exposure {
    /// D1, D2: the Software Installation account administers the client while its
    /// program runs there; on a DC the grant is a membership of the domain's
    /// Administrators group, so it administers every DC of the domain. One set of
    /// edges a run, however many advertisements ran it.
    pub(super) fn add_runs(&mut self, estate: &Estate, digest: &DecisionDigest) {
        // The runs seen, a bit a client for each (account, program): few pairs, and no
        // hash of a million grants.
        let mut seen: Vec<((AccountId, ProgramId), Vec<u64>)> = Vec::new();
        let words = estate.machines().len().div_ceil(64);
        for &(account, client, program, rule) in &digest.grants {
            let run = Run { program, client };
            let at = match seen.iter().position(|(k, _)| *k == (account, program)) {
                Some(at) => at,
                None => {
                    seen.push(((account, program), vec![0; words]));
                    seen.len() - 1
                }
            };
            let (word, bit) = (client.index() / 64, 1u64 << (client.index() % 64));
            if seen[at].1[word] & bit != 0 {
                continue;
            }
            seen[at].1[word] |= bit;
            let detail = self.runs.len() as u32;
            self.runs.push(run);
            // The client itself first, so that among paths of equal cost the witness
            // goes through the machine where the program runs.
            let others = match (rule, estate.machine(client).domain) {
                (RuleId::D2, Some(d)) => estate.domain(d).controllers.as_slice(),
                _ => &[],
            };
            let machines =
                std::iter::once(client).chain(others.iter().copied().filter(|&m| m != client));
            for m in machines {
                let (from, to) = (
                    self.space.index(Node::Account(account)),
                    self.space.index(Node::Machine(m)),
                );
                self.push(Packed {
                    from,
                    to,
                    detail,
                    kind: pack_kind(EdgeKind::AdminWhileRuns(run)).0,
                    rule,
                });
            }
        }
    }

    /// Runs the build's tasks: straight into the graph, or (`parallel`, with the
    /// feature) on every core into parts joined in order.
    pub(super) fn add_static(&mut self, estate: &Estate, state: &State, parallel: bool) {
        let mut scratch = std::mem::take(&mut self.scratch);
        local_users(estate, &mut scratch.local_start, &mut scratch.local);
        let shared = Shared {
            estate,
            state,
            local_start: &scratch.local_start,
            local: &scratch.local,
        };
        #[cfg(feature = "parallel")]
        if parallel {
            use rayon::prelude::*;
            let space = self.space;
            let tasks = tasks(estate, rayon::current_num_threads() * 2);
            // The parts of the last parallel build, reused: their buffers are as large
            // as the same estate's tasks need.
            let mut parts = std::mem::take(&mut scratch.parts);
            parts.resize_with(tasks.len(), || Part {
                space,
                edges: Vec::new(),
                firsts: Vec::new(),
                seen: Vec::new(),
            });
            parts.par_iter_mut().zip(&tasks).for_each(|(part, task)| {
                part.space = space;
                part.edges.clear();
                part.firsts.clear();
                part.seen.clear();
                part.seen.resize(space.len().div_ceil(64), 0);
                run(task, &shared, part);
            });
            self.join(&parts);
            scratch.parts = parts;
            self.scratch = scratch;
            return;
        }
        let _ = parallel;
        for task in tasks(estate, 1) {
            run(&task, &shared, self);
        }
        self.scratch = scratch;
    }

    /// Appends the parts in order: each part's edges, and its nodes in the order the
    /// serial build would have seen them.
    #[cfg(feature = "parallel")]
    fn join(&mut self, parts: &[Part]) {
        self.edges
            .reserve(parts.iter().map(|p| p.edges.len()).sum());
        for part in parts {
            for &n in &part.firsts {
                self.see(n);
            }
            self.edges.extend_from_slice(&part.edges);
        }
    }
}

/// Runs one task into `sink`.
fn run(task: &Task, shared: &Shared<'_>, sink: &mut impl Sink) {
    let (estate, state) = (shared.estate, shared.state);
    let machine_ids = |r: &Range<usize>| r.clone().map(MachineId::from_index);
    match task {
        Task::Domains => {
            for d in estate.domain_ids() {
                sink.node(Node::Domain(d));
            }
            for (a, b) in state.trust_pairs() {
                sink.edge(
                    Node::Domain(a),
                    Node::Domain(b),
                    EdgeKind::Trusts,
                    RuleId::XConfigured,
                );
            }
        }
        Task::Machines(r) => {
            for m in machine_ids(r) {
                sink.node(Node::Machine(m));
                if let Some(d) = estate.machine(m).domain {
                    sink.edge(
                        Node::Machine(m),
                        Node::Domain(d),
                        EdgeKind::Accepts,
                        RuleId::A10,
                    );
                }
            }
        }
        Task::Accounts(r) => accounts(estate, r.clone(), sink),
        Task::Administrators(r) => {
            for m in machine_ids(r) {
                if let Some(g) = estate.administrators_of(m) {
                    sink.edge(
                        Node::Account(g),
                        Node::Machine(m),
                        EdgeKind::AdminOf,
                        RuleId::A1,
                    );
                }
                for &(right, holder) in estate.rights_on(m) {
                    sink.edge(
                        Node::Account(holder),
                        Node::Machine(m),
                        EdgeKind::HasRight(right),
                        RuleId::XConfigured,
                    );
                }
            }
        }
        Task::DomainTokens => domain_tokens(estate, sink),
        Task::MachineTokens(r) => machine_tokens(estate, r.clone(), sink),
        Task::Reads => reads(estate, shared.state, sink),
        Task::SiteSecrets => site_secrets(estate, sink),
        Task::MachineSecrets(r) => machine_secrets(shared, r.clone(), sink),
        Task::Databases => databases(estate, sink),
        Task::ConfigMgr => {
            let mut edge = |from, to, kind, rule| sink.edge(from, to, kind, rule);
            super::configmgr::secrets(estate, state, &mut edge);
            super::push::edges(estate, state, &mut edge);
            super::osd::edges(estate, state, &mut edge);
        }
    }
}

fn accounts(estate: &Estate, r: Range<usize>, sink: &mut impl Sink) {
    for a in r.map(AccountId::from_index) {
        let account = estate.account(a);
        sink.node(Node::Account(a));
        if let Store::Domain(d) = account.store {
            sink.edge(
                Node::Account(a),
                Node::Domain(d),
                EdgeKind::InDomain,
                RuleId::A10,
            );
        }
        for &m in &account.members {
            sink.edge(
                Node::Account(m),
                Node::Account(a),
                EdgeKind::MemberOf,
                RuleId::XConfigured,
            );
        }
    }
}

/// `SVC-TOKEN-RIGHTS` and `EXPO-DC-TOKEN`: a DC token account is in the domain's
/// Administrators, which administers every DC, and holds SeTcbPrivilege on each.
fn domain_tokens(estate: &Estate, sink: &mut impl Sink) {
    for d in estate.domain_ids() {
        let domain = estate.domain(d);
        if let Some(t) = domain.token_account {
            sink.edge(
                Node::Account(t),
                Node::Account(domain.administrators),
                EdgeKind::MemberOf,
                RuleId::ExpoDcToken,
            );
            for &dc in &domain.controllers {
                sink.edge(
                    Node::Account(t),
                    Node::Machine(dc),
                    EdgeKind::HasRight(Right::Tcb),
                    RuleId::SvcTokenRights,
                );
            }
        }
    }
}

/// `SVC-TOKEN-RIGHTS`: a member's token account is in its own Administrators (A3: for
/// its runs only when transient) and holds SeTcbPrivilege; the client service account
/// too.
fn machine_tokens(estate: &Estate, r: Range<usize>, sink: &mut impl Sink) {
    let transient = estate.assumptions().token_admin_membership
        == TokenAdminMembership::TransientOnMemberClients;
    for m in r.map(MachineId::from_index) {
        let machine = estate.machine(m);
        // The client service account (not in Q224286, but an administrator too),
        // unless it is the token account itself (a site may name its token account
        // `SMSCliSvcAcct&`, or `SMS&_` and a DC's name), whose edges come from the
        // token's rules.
        if let (Some(s), Some(g)) = (machine.service_account, estate.administrators_of(m))
            && machine.service_account != machine.token_account
        {
            // Unless the scenario already lists it there.
            if !estate.account(g).members.contains(&s) {
                sink.edge(
                    Node::Account(s),
                    Node::Account(g),
                    EdgeKind::MemberOf,
                    RuleId::XClientServiceAccount,
                );
            }
            sink.edge(
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
            // A token account that is also the service account is a standing
            // member as the service account, whatever A3 says of the token.
            let rule = if !transient {
                RuleId::SvcTokenRights
            } else if machine.service_account == Some(t) {
                RuleId::XClientServiceAccount
            } else {
                RuleId::A3
            };
            sink.edge(Node::Account(t), Node::Account(g), EdgeKind::MemberOf, rule);
            sink.edge(
                Node::Account(t),
                Node::Machine(m),
                EdgeKind::HasRight(Right::Tcb),
                RuleId::SvcTokenRights,
            );
        }
    }
}

fn reads(estate: &Estate, state: &State, sink: &mut impl Sink) {
    let mut by_default: Vec<ShareId> = Vec::new();
    for package in estate.packages() {
        for copy in &package.copies {
            if copy.users_by_default && !by_default.contains(&copy.share) {
                by_default.push(copy.share);
            }
            let server = estate.share(copy.share).server;
            if estate.network_logon_denied(server).next().is_some() {
                denied_reads(estate, server, copy, sink);
                continue;
            }
            for &g in &copy.read {
                sink.edge(
                    Node::Account(g),
                    Node::Share(copy.share),
                    EdgeKind::CanRead,
                    RuleId::XConfigured,
                );
            }
        }
    }
    for share in by_default {
        default_reads(estate, state, share, sink);
    }
    for r in estate.resources() {
        for &g in &r.read {
            sink.edge(
                Node::Account(g),
                Node::Share(r.share),
                EdgeKind::CanRead,
                RuleId::XConfigured,
            );
        }
    }
}

/// The read grants of a copy on a server that denies some accounts "Access this
/// computer from the network" (`CM-NAA-NETWORK-RIGHT`, `X-CM-DENY-NETWORK-LOGON`): a
/// denied member of a granted group does not read, so the grant is drawn from each user
/// it covers who may connect, rather than from the group.
fn denied_reads(estate: &Estate, server: MachineId, copy: &PackageCopy, sink: &mut impl Sink) {
    for a in estate.account_ids() {
        if estate.account(a).kind == AccountKind::User
            && estate.is_granted(a, &copy.read)
            && !estate.is_network_logon_denied(server, a)
        {
            sink.edge(
                Node::Account(a),
                Node::Share(copy.share),
                EdgeKind::CanRead,
                RuleId::XConfigured,
            );
        }
    }
}

/// `CM-DP-USERS`: a Configuration Manager package copy with no read list of its own is
/// read by the distribution point's local Users, every account that authenticates there
/// (`X-CM-DP-USERS`: its own, its domain's and its trusted domains' users, with the
/// trusts of the moment) but one it denies "Access this computer from the network".
/// A disabled account's edge is cut by its gate, as every edge out of it is.
fn default_reads(estate: &Estate, state: &State, share: ShareId, sink: &mut impl Sink) {
    let server = estate.share(share).server;
    let dir = crate::model::membership::Directory::of(estate, state);
    for a in estate.account_ids() {
        if estate.account(a).kind == AccountKind::User
            && dir.accepts(Store::Local(server), a)
            && !estate.is_network_logon_denied(server, a)
        {
            sink.edge(
                Node::Account(a),
                Node::Share(share),
                EdgeKind::CanRead,
                RuleId::CmDpUsers,
            );
        }
    }
}

fn site_secrets(estate: &Estate, sink: &mut impl Sink) {
    let site = estate.site();
    let site_data = Node::Secret(Secret::SiteClientData);
    for &a in &site.connection_accounts {
        sink.edge(site_data, Node::Account(a), EdgeKind::Reveals, RuleId::A15);
    }
    if let Some(swia) = site.software_installation_account
        && estate.assumptions().swia_secret_on_clients
        && !site.connection_accounts.contains(&swia)
    {
        sink.edge(
            site_data,
            Node::Account(swia),
            EdgeKind::Reveals,
            RuleId::A15,
        );
    }
}

fn machine_secrets(shared: &Shared<'_>, r: Range<usize>, sink: &mut impl Sink) {
    let (estate, state) = (shared.estate, shared.state);
    let site_data = Node::Secret(Secret::SiteClientData);
    let mut held: Vec<AccountId> = Vec::new();
    for m in r.map(MachineId::from_index) {
        let machine = estate.machine(m);
        if machine.sms_client && machine.platform.is_nt() {
            sink.edge(Node::Machine(m), site_data, EdgeKind::Stores, RuleId::A15);
        }
        let users = &shared.local
            [shared.local_start[m.index()] as usize..shared.local_start[m.index() + 1] as usize];
        // An Active Directory member's computer account is kept with its local secrets
        // (`X-CM-COMPUTER-ACCOUNT`; only Configuration Manager estates declare them).
        let computer = machine.computer_account;
        if !users.is_empty() || computer.is_some() {
            let sam = Node::Secret(Secret::LocalSam(m));
            sink.edge(
                Node::Machine(m),
                sam,
                EdgeKind::Stores,
                RuleId::ExpoIsolation,
            );
            for &a in users {
                sink.edge(
                    sam,
                    Node::Account(a),
                    EdgeKind::Reveals,
                    RuleId::ExpoIsolation,
                );
            }
            if let Some(a) = computer {
                super::configmgr::computer_account(m, a, &mut |from, to, kind, rule| {
                    sink.edge(from, to, kind, rule)
                });
            }
        }
        if let Some(d) = dc_of(machine) {
            sink.edge(
                Node::Machine(m),
                Node::Secret(Secret::DomainDatabase(d)),
                EdgeKind::Stores,
                RuleId::XDcDatabase,
            );
        }
        held.clear();
        held.extend(state.logged_on(m));
        for kind in [SessionKind::Interactive, SessionKind::Service] {
            held.extend(state.session(m, kind).iter().map(|c| c.credential));
        }
        held.sort_unstable();
        held.dedup();
        if !held.is_empty() {
            let sessions = Node::Secret(Secret::LogonSessions(m));
            sink.edge(
                Node::Machine(m),
                sessions,
                EdgeKind::Stores,
                RuleId::XSessionSecrets,
            );
            for &a in &held {
                sink.edge(
                    sessions,
                    Node::Account(a),
                    EdgeKind::Reveals,
                    RuleId::XSessionSecrets,
                );
            }
        }
    }
}

/// The domain whose database `machine` stores: its own, if it is a DC.
fn dc_of(machine: &Machine) -> Option<DomainId> {
    match (machine.platform, machine.domain) {
        (p, Some(d)) if p.is_dc() => Some(d),
        _ => None,
    }
}

/// `X-DC-DATABASE`: a domain's database, stored on its DCs, reveals its users.
fn databases(estate: &Estate, sink: &mut impl Sink) {
    let mut users: Vec<Vec<AccountId>> = vec![Vec::new(); estate.domains().len()];
    for a in estate.account_ids() {
        let account = estate.account(a);
        if let (AccountKind::User, Store::Domain(d)) = (account.kind, account.store) {
            users[d.index()].push(a);
        }
    }
    for (d, accounts) in users.iter().enumerate() {
        let d = DomainId::from_index(d);
        // Only a database some DC stores is in the graph.
        let stored = estate
            .domain(d)
            .controllers
            .iter()
            .any(|&m| dc_of(estate.machine(m)) == Some(d));
        if accounts.is_empty() || !stored {
            continue;
        }
        for &a in accounts {
            sink.edge(
                Node::Secret(Secret::DomainDatabase(d)),
                Node::Account(a),
                EdgeKind::Reveals,
                RuleId::XDcDatabase,
            );
        }
    }
}
