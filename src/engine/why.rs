//! "Why not": for one decision, the single facts whose change would change it, each with
//! the decision it would give. Computed on demand by re-resolving a changed copy of the
//! estate or state, so it costs one resolution per candidate and lives outside the
//! per-decision budget.
//!
//! The candidates, in this order (a fixed, documented list), each only where the
//! loader would accept the changed scenario (its own checks: logons, memberships,
//! access lists, trusts, program settings):
//!
//! 1. the logged-on state: the user logs off; or, with nobody logged on, the first user
//!    (by id) who could log on logs on;
//! 2. memberships: the logged-on user joins or leaves the client's Administrators group
//!    (A1); each credential tried at the distribution point joins or leaves each group
//!    granted read on the package folder;
//! 3. each read grant on the chosen package folder is removed; each credential NAL tried
//!    that connected but could not read is granted read;
//! 4. each connection of the client's logon sessions is dropped;
//! 5. every trust between two domains is added, or removed where nothing the file
//!    declares crosses it (A9);
//! 6. the status of every account the decision can read (the logged-on user, the client
//!    token account, the connection accounts, the Software Installation account, the
//!    credentials of the client's connections): enabled or disabled, locked out or not;
//! 7. the program's settings: its other run mode, each other can-run value, and the
//!    Software Installation account turned on or off;
//! 8. the connection accounts: each removed from the site's list, each but the first
//!    moved to its head;
//! 9. the distribution points that answer: the server of each copy of the package stops
//!    or starts answering;
//! 10. each decision-layer assumption (A2, A3, A4, A5, A6, A14) takes its other value
//!     (A15 is an exposure assumption: it changes no decision).
//!
//! A change counts when it changes the outcome, the launcher, the context, the account,
//! or the credential and step that reach the distribution point. The candidates are then
//! ranked, stably: those that turn a failure or a wait into a run first, then those that
//! change the context, the account or the credentials, then the rest.

use super::{Context, Decision, Launcher, Outcome, Resolution, Via, resolve};
use crate::decision::Access;
use crate::model::membership::Directory;
use crate::model::*;
use crate::trace::Fact;

/// One change of the scenario, as data: what a tool applies to the scenario file to see
/// the announced decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The user logs off the client.
    LogOff {
        /// The client.
        client: MachineId,
    },
    /// The user logs on at the client.
    LogOn {
        /// The client.
        client: MachineId,
        /// The user.
        user: AccountId,
    },
    /// `member` joins (`on`) or leaves `group`.
    Membership {
        /// The group.
        group: AccountId,
        /// The member.
        member: AccountId,
        /// Joins, or leaves.
        on: bool,
    },
    /// `account` gets (`on`) or loses read on a copy of a package.
    ReadGrant {
        /// The package.
        package: PackageId,
        /// The distribution point of the copy.
        share: ShareId,
        /// The account.
        account: AccountId,
        /// Gets, or loses.
        on: bool,
    },
    /// The `index`th connection (in order made) of a session of the client is dropped.
    Disconnect {
        /// The client.
        client: MachineId,
        /// The session.
        session: SessionKind,
        /// Its position among the session's connections.
        index: usize,
    },
    /// `trusting` starts (`on`) or stops trusting `trusted`.
    Trust {
        /// The trusting domain.
        trusting: DomainId,
        /// The trusted domain.
        trusted: DomainId,
        /// Starts, or stops.
        on: bool,
    },
    /// The account's status becomes this.
    Status {
        /// The account.
        account: AccountId,
        /// Its new status.
        status: AccountStatus,
    },
    /// The program's run mode becomes this.
    RunMode {
        /// The program.
        program: ProgramId,
        /// Its new run mode.
        run_mode: RunMode,
    },
    /// The program's can-run setting becomes this.
    CanRun {
        /// The program.
        program: ProgramId,
        /// Its new setting.
        can_run: CanRun,
    },
    /// The program's Software Installation account setting becomes this.
    UseSoftwareInstallationAccount {
        /// The program.
        program: ProgramId,
        /// Its new setting.
        on: bool,
    },
    /// The site's connection accounts become this list, in order.
    ConnectionAccounts {
        /// The new list.
        accounts: Vec<AccountId>,
    },
    /// The server stops (`available: false`) or starts answering.
    Available {
        /// The server.
        server: MachineId,
        /// Whether it answers.
        available: bool,
    },
    /// An assumption takes another value: the scenario file's `assumptions` key and
    /// value.
    Assumption {
        /// The key (`admin_rights_policy`).
        key: &'static str,
        /// The value (`always_service`).
        value: &'static str,
    },
}

/// What a candidate does to the decision, the order candidates are ranked in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effect {
    /// A failure or a wait becomes a run.
    Runs,
    /// The outcome stays of its kind (a run a run, a failure a failure, a wait a wait)
    /// but the context, the account, the launcher or the credentials that reach the
    /// distribution point change.
    ChangesWhoOrHow,
    /// Anything else: a run that fails or waits, a failure that becomes a wait, a
    /// failure or a wait for another reason.
    Other,
}

impl Effect {
    /// A short stable name, for JSON.
    pub const fn key(self) -> &'static str {
        match self {
            Effect::Runs => "runs",
            Effect::ChangesWhoOrHow => "changes_who_or_how",
            Effect::Other => "other",
        }
    }
}

/// One fact whose change would change a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhyNot {
    /// The change, in words, with the names of the objects.
    pub change: String,
    /// The change, as data.
    pub edit: Change,
    /// What it does to the decision: the rank.
    pub effect: Effect,
    /// The decision it would give.
    pub decision: Decision,
}

/// What a change is compared on: the outcome, launcher, context, account, and the
/// credential and step that reach the distribution point.
type Key = (
    Outcome,
    Option<Launcher>,
    Option<Context>,
    Option<AccountId>,
    Option<(Option<AccountId>, Via)>,
);

fn key(d: &Decision) -> Key {
    (
        d.outcome,
        d.launcher,
        d.context,
        d.account,
        d.dp.map(|dp| (dp.credential, dp.via)),
    )
}

fn effect(original: &Key, new: &Key) -> Effect {
    let same_kind = std::mem::discriminant(&new.0) == std::mem::discriminant(&original.0);
    if new.0 == Outcome::Run && original.0 != Outcome::Run {
        Effect::Runs
    } else if same_kind
        && (new.1, new.2, new.3, new.4) != (original.1, original.2, original.3, original.4)
    {
        Effect::ChangesWhoOrHow
    } else {
        Effect::Other
    }
}

/// One why-not question: the decision asked about and the candidates found so far.
struct Ask<'r> {
    estate: &'r Estate,
    state: &'r State,
    resolution: &'r Resolution,
    original: Key,
    out: Vec<WhyNot>,
}

impl Ask<'_> {
    /// Resolves the question again in `estate` and `state`; keeps the change if it
    /// changes the decision.
    fn consider(&mut self, change: String, edit: Change, estate: &Estate, state: &State) {
        let (ad, client) = (self.resolution.advertisement, self.resolution.client);
        let decision = resolve(estate, state, ad, client).decision;
        let new = key(&decision);
        if new != self.original {
            self.out.push(WhyNot {
                change,
                edit,
                effect: effect(&self.original, &new),
                decision,
            });
        }
    }

    fn program(&self) -> ProgramId {
        self.estate
            .advertisement(self.resolution.advertisement)
            .program
    }
}

/// The single changes that would change `resolution`'s decision, ranked: those that
/// make it run, then those that change who runs it or how it reaches the package, then
/// the rest; in the documented order of the candidates within each rank.
pub fn why_not(estate: &Estate, state: &State, resolution: &Resolution) -> Vec<WhyNot> {
    let mut ask = Ask {
        estate,
        state,
        resolution,
        original: key(&resolution.decision),
        out: Vec::new(),
    };
    logged_on(&mut ask);
    memberships(&mut ask);
    read_grants(&mut ask);
    connections(&mut ask);
    trusts(&mut ask);
    statuses(&mut ask);
    program_settings(&mut ask);
    connection_accounts(&mut ask);
    distribution_points(&mut ask);
    assumptions(&mut ask);
    let mut out = ask.out;
    out.sort_by_key(|w| w.effect);
    out
}

/// 1. The logged-on state.
fn logged_on(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    let client = ask.resolution.client;
    match state.logged_on(client) {
        Some(u) => {
            let mut s = state.clone();
            s.log_off(client);
            let change = format!("{} logs off", estate.qualified_name(u));
            ask.consider(change, Change::LogOff { client }, estate, &s);
        }
        None => {
            let usable = |a: AccountId| {
                let status = state.status(a);
                estate.account(a).role.is_none() && status.enabled && !status.locked_out
            };
            if let Some(u) = estate
                .account_ids()
                .find(|&a| usable(a) && state.check_log_on(estate, client, a).is_ok())
            {
                let mut s = state.clone();
                s.log_on_unchecked(client, u);
                let change = format!("{} logs on", estate.qualified_name(u));
                ask.consider(change, Change::LogOn { client, user: u }, estate, &s);
            }
        }
    }
}

/// The copy of the package the decision chose, and its position.
fn chosen_copy(ask: &Ask<'_>) -> Option<(PackageId, usize, ShareId)> {
    let estate = ask.estate;
    let share = ask
        .resolution
        .trace
        .steps
        .iter()
        .find_map(|s| match s.fact {
            Fact::DistributionPoint { share, .. } => Some(share),
            _ => None,
        })?;
    let package = estate.program(ask.program()).package;
    let copy = estate
        .package(package)
        .copies
        .iter()
        .position(|c| c.share == share)?;
    Some((package, copy, share))
}

/// The credentials the trace shows trying the distribution point, in order, each once.
fn dp_credentials(ask: &Ask<'_>) -> Vec<AccountId> {
    let mut out = Vec::new();
    for s in &ask.resolution.trace.steps {
        let c = match s.fact {
            Fact::NalAttempt { credential, .. } => credential,
            Fact::NalExisting {
                connection: Some(c),
                ..
            } => c.credential,
            _ => continue,
        };
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// 2. Memberships of Administrators and of the groups granted read.
fn memberships(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    let client = ask.resolution.client;
    let mut pairs: Vec<(AccountId, AccountId)> = Vec::new();
    if let (Some(u), Some(admins)) = (state.logged_on(client), estate.administrators_of(client)) {
        pairs.push((admins, u));
    }
    if let Some((package, copy, _)) = chosen_copy(ask) {
        let read = &estate.package(package).copies[copy].read;
        for c in dp_credentials(ask) {
            for &g in read {
                if estate.account(g).kind != AccountKind::User && !pairs.contains(&(g, c)) {
                    pairs.push((g, c));
                }
            }
        }
    }
    let directory = Directory::of(estate, state);
    for (group, member) in pairs {
        let direct = estate.account(group).members.contains(&member);
        if !direct && directory.member_refusal(group, member, "").is_some() {
            continue;
        }
        let changed = with_member(estate, group, member, !direct);
        let verb = if direct { "leaves" } else { "joins" };
        let change = format!(
            "{} {verb} {}",
            estate.qualified_name(member),
            estate.qualified_name(group)
        );
        let edit = Change::Membership {
            group,
            member,
            on: !direct,
        };
        ask.consider(change, edit, &changed, state);
    }
}

/// 3. Read grants on the package folder.
fn read_grants(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    let Some((package, copy, share)) = chosen_copy(ask) else {
        return;
    };
    let id = &estate.package(package).id;
    let path = estate.share_path(share);
    for g in estate.package(package).copies[copy].read.clone() {
        let changed = with_read(estate, package, copy, g, false);
        let change = format!(
            "{} loses read on package {id} at {path}",
            estate.qualified_name(g)
        );
        let edit = Change::ReadGrant {
            package,
            share,
            account: g,
            on: false,
        };
        ask.consider(change, edit, &changed, state);
    }
    let denied: Vec<AccountId> = ask
        .resolution
        .trace
        .steps
        .iter()
        .filter_map(|s| match s.fact {
            Fact::NalAttempt {
                credential,
                access: Access::Denied,
                ..
            } => Some(credential),
            Fact::NalExisting {
                connection: Some(c),
                access: Some(Access::Denied),
                ..
            } => Some(c.credential),
            _ => None,
        })
        .collect();
    let directory = Directory::of(estate, state);
    for g in denied {
        if directory
            .access_refusal(estate.share(share).server, g, "")
            .is_some()
        {
            continue;
        }
        let changed = with_read(estate, package, copy, g, true);
        let change = format!(
            "{} gets read on package {id} at {path}",
            estate.qualified_name(g)
        );
        let edit = Change::ReadGrant {
            package,
            share,
            account: g,
            on: true,
        };
        ask.consider(change, edit, &changed, state);
    }
}

/// 4. Each connection.
fn connections(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    let client = ask.resolution.client;
    for session in [SessionKind::Interactive, SessionKind::Service] {
        for (index, c) in state.session(client, session).iter().enumerate() {
            let mut s = state.clone();
            let mut n = 0;
            s.disconnect_where(client, session, |_| {
                n += 1;
                n == index + 1
            });
            let path = match c.share {
                Some(share) => estate.share_path(share),
                None => format!("\\\\{}", estate.machine(c.server).name),
            };
            let kind = match session {
                SessionKind::Interactive => "interactive",
                SessionKind::Service => "service",
            };
            let change = format!(
                "the {kind} session's connection to {path} as {} is dropped",
                estate.qualified_name(c.credential)
            );
            let edit = Change::Disconnect {
                client,
                session,
                index,
            };
            ask.consider(change, edit, estate, &s);
        }
    }
}

/// 5. Every trust between two domains.
fn trusts(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    for trusting in estate.domain_ids() {
        for trusted in estate.domain_ids().filter(|&d| d != trusting) {
            let on = !state.trusts(trusting, trusted);
            let mut s = state.clone();
            // Adding a trust breaks nothing; a file without a trust it relies on does
            // not load.
            if s.set_trust(estate, trusting, trusted, on).is_err() || (!on && !s.loads_with(estate))
            {
                continue;
            }
            let verb = if on { "starts" } else { "stops" };
            let change = format!(
                "domain {} {verb} trusting {}",
                estate.domain(trusting).name,
                estate.domain(trusted).name
            );
            let edit = Change::Trust {
                trusting,
                trusted,
                on,
            };
            ask.consider(change, edit, estate, &s);
        }
    }
}

/// 6. The status of every account the decision can read.
fn statuses(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    let client = ask.resolution.client;
    let machine = estate.machine(client);
    let mut accounts: Vec<AccountId> = Vec::new();
    accounts.extend(state.logged_on(client));
    let token = match (machine.platform.is_dc(), machine.domain) {
        (true, Some(d)) => estate.domain(d).token_account,
        _ => machine.token_account,
    };
    accounts.extend(token);
    accounts.extend(estate.site().connection_accounts.iter().copied());
    accounts.extend(estate.site().software_installation_account);
    for session in [SessionKind::Interactive, SessionKind::Service] {
        accounts.extend(state.session(client, session).iter().map(|c| c.credential));
    }
    let mut seen = Vec::new();
    for a in accounts {
        if seen.contains(&a) {
            continue;
        }
        seen.push(a);
        let now = state.status(a);
        for status in [
            AccountStatus {
                enabled: !now.enabled,
                ..now
            },
            AccountStatus {
                locked_out: !now.locked_out,
                ..now
            },
        ] {
            let mut s = state.clone();
            s.set_status(a, status);
            let words = if status.enabled != now.enabled {
                if status.enabled {
                    "is enabled"
                } else {
                    "is disabled"
                }
            } else if status.locked_out {
                "is locked out"
            } else {
                "is unlocked"
            };
            let change = format!("{} {words}", estate.qualified_name(a));
            ask.consider(change, Change::Status { account: a, status }, estate, &s);
        }
    }
}

/// 7. The program's settings, where the console allows them.
fn program_settings(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    let id = ask.program();
    let p = estate.program(id);
    let has_account = Some(estate.site().software_installation_account.is_some());
    let name = &p.name;
    let mut candidates: Vec<(String, Change, Program)> = Vec::new();
    for run_mode in [RunMode::UserRights, RunMode::AdministrativeRights] {
        if run_mode != p.run_mode {
            candidates.push((
                format!("program {name} is set to {run_mode}"),
                Change::RunMode {
                    program: id,
                    run_mode,
                },
                Program {
                    run_mode,
                    ..p.clone()
                },
            ));
        }
    }
    for can_run in [
        CanRun::OnlyWhenUserLoggedOn,
        CanRun::WhetherOrNotUserLoggedOn,
        CanRun::OnlyWhenNoUserLoggedOn,
    ] {
        if can_run != p.can_run {
            candidates.push((
                format!("program {name} can run {can_run}"),
                Change::CanRun {
                    program: id,
                    can_run,
                },
                Program {
                    can_run,
                    ..p.clone()
                },
            ));
        }
    }
    let on = !p.use_software_installation_account;
    candidates.push((
        format!(
            "program {name} {} the Software Installation account",
            if on { "uses" } else { "stops using" }
        ),
        Change::UseSoftwareInstallationAccount { program: id, on },
        Program {
            use_software_installation_account: on,
            ..p.clone()
        },
    ));
    for (change, edit, program) in candidates {
        let problems = program_settings_problems(
            estate.site().product,
            program.run_mode,
            program.can_run,
            (
                program.use_software_installation_account,
                program.allow_user_interaction,
            ),
            has_account,
        );
        if problems.is_empty() {
            let mut e = estate.clone();
            e.programs[id.index()] = program;
            ask.consider(change, edit, &e, state);
        }
    }
}

/// 8. The connection accounts' order and membership.
fn connection_accounts(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    let list = estate.site().connection_accounts.clone();
    let mut candidates: Vec<(String, Vec<AccountId>)> = Vec::new();
    for (i, &a) in list.iter().enumerate() {
        let mut without = list.clone();
        without.remove(i);
        candidates.push((
            format!(
                "{} is no longer a client network connection account",
                estate.qualified_name(a)
            ),
            without,
        ));
        if i > 0 {
            let mut first = list.clone();
            first.remove(i);
            first.insert(0, a);
            candidates.push((
                format!(
                    "{} becomes the first client network connection account",
                    estate.qualified_name(a)
                ),
                first,
            ));
        }
    }
    for (change, accounts) in candidates {
        let mut e = estate.clone();
        // A removed account is no longer sent to clients: it loses its role, and a
        // stale copy of its password is then one the loader refuses (A16).
        for &a in &list {
            if !accounts.contains(&a)
                && e.accounts[a.index()].role == Some(SmsRole::ConnectionAccount)
            {
                e.accounts[a.index()].role = None;
            }
        }
        e.site.connection_accounts = accounts.clone();
        if state
            .stale_pairs()
            .any(|(_, a)| state.check_stale(&e, a, true).is_err())
        {
            continue;
        }
        ask.consider(change, Change::ConnectionAccounts { accounts }, &e, state);
    }
}

/// 9. The distribution points that answer.
fn distribution_points(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    let package = estate.program(ask.program()).package;
    let mut servers: Vec<MachineId> = Vec::new();
    for copy in &estate.package(package).copies {
        let server = estate.share(copy.share).server;
        if !servers.contains(&server) {
            servers.push(server);
        }
    }
    for server in servers {
        let available = !state.is_available(server);
        let mut s = state.clone();
        s.set_available(server, available);
        let verb = if available {
            "starts answering"
        } else {
            "stops answering"
        };
        let change = format!("server {} {verb}", estate.machine(server).name);
        ask.consider(change, Change::Available { server, available }, estate, &s);
    }
}

/// 10. Each other value of each switchable assumption.
fn assumptions(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    let a = *estate.assumptions();
    let admin = other(
        a.admin_rights_policy,
        (
            AdminRightsPolicy::ServiceIfUserLacksRights,
            "service_if_user_lacks_rights",
        ),
        (AdminRightsPolicy::AlwaysService, "always_service"),
    );
    let token = other(
        a.token_admin_membership,
        (TokenAdminMembership::Standing, "standing"),
        (
            TokenAdminMembership::TransientOnMemberClients,
            "transient_on_member_clients",
        ),
    );
    let dp = other(
        a.swia_dp_context,
        (SwiaDpContext::ClientTokenAccount, "client_token_account"),
        (
            SwiaDpContext::SoftwareInstallationAccount,
            "software_installation_account",
        ),
    );
    let scope = other(
        a.connection_scope,
        (ConnectionScope::LogonSession, "logon_session"),
        (ConnectionScope::Machine, "machine"),
    );
    let win9x = other(
        a.win9x_connection_accounts,
        (Win9xConnectionAccounts::NotUsed, "not_used"),
        (Win9xConnectionAccounts::Used, "used"),
    );
    let sp = other(
        a.service_pack,
        (ServicePack::Sp2, "sp2"),
        (ServicePack::RtmSp1, "rtm_sp1"),
    );
    let variants: [(&str, &'static str, &'static str, Assumptions); 6] = [
        (
            "A2",
            "admin_rights_policy",
            admin.1,
            Assumptions {
                admin_rights_policy: admin.0,
                ..a
            },
        ),
        (
            "A3",
            "token_admin_membership",
            token.1,
            Assumptions {
                token_admin_membership: token.0,
                ..a
            },
        ),
        (
            "A4",
            "swia_dp_context",
            dp.1,
            Assumptions {
                swia_dp_context: dp.0,
                ..a
            },
        ),
        (
            "A5",
            "connection_scope",
            scope.1,
            Assumptions {
                connection_scope: scope.0,
                ..a
            },
        ),
        (
            "A6",
            "win9x_connection_accounts",
            win9x.1,
            Assumptions {
                win9x_connection_accounts: win9x.0,
                ..a
            },
        ),
        (
            "A14",
            "service_pack",
            sp.1,
            Assumptions {
                service_pack: sp.0,
                ..a
            },
        ),
    ];
    for (id, key, value, assumptions) in variants {
        ask.consider(
            format!("assumption {id} {key} takes its other value"),
            Change::Assumption { key, value },
            &estate.with_assumptions(assumptions),
            state,
        );
    }
}

/// The value of the two that `value` is not, with its name in the scenario file.
fn other<T: PartialEq>(value: T, a: (T, &'static str), b: (T, &'static str)) -> (T, &'static str) {
    if value == a.0 { b } else { a }
}

fn with_member(estate: &Estate, group: AccountId, member: AccountId, on: bool) -> Estate {
    let mut e = estate.clone();
    let members = &mut e.accounts[group.index()].members;
    if on {
        members.push(member);
        members.sort_unstable();
    } else {
        members.retain(|&m| m != member);
    }
    e.index_memberships();
    e
}

fn with_read(
    estate: &Estate,
    package: PackageId,
    copy: usize,
    account: AccountId,
    on: bool,
) -> Estate {
    let mut e = estate.clone();
    let read = &mut e.packages[package.index()].copies[copy].read;
    if on {
        read.push(account);
        read.sort_unstable();
    } else {
        read.retain(|&a| a != account);
    }
    e
}
