//! "Why not": for one decision, the single facts whose change would change it, each with
//! the decision it would give. Computed on demand by re-resolving a changed copy of the
//! estate or state, so it costs one resolution per candidate and lives outside the
//! per-decision budget.
//!
//! The candidates, in this order (a fixed, documented list):
//!
//! 1. the logged-on state: the user logs off; or, with nobody logged on, the first user
//!    (by id) who could log on logs on;
//! 2. the logged-on user is made, or stops being, a direct member of the client's
//!    Administrators group (A1);
//! 3. each read grant on the chosen package folder is removed; each credential NAL tried
//!    that connected but could not read is granted read;
//! 4. each connection of the client's logon sessions is dropped;
//! 5. the trust of the client's domain in the Software Installation account's domain is
//!    added or removed, and the account is disabled or enabled (for programs that use it);
//! 6. each decision-layer assumption (A2, A3, A4, A5, A6, A14) takes its other value
//!    (A15 is an exposure assumption: it changes no decision).
//!
//! A change counts when it changes the outcome, the launcher, the context, the account,
//! or the credential and step that reach the distribution point.

use super::{Context, Decision, Launcher, Outcome, Resolution, Via, resolve};
use crate::decision::Access;
use crate::model::*;
use crate::trace::Fact;

/// One fact whose change would change a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhyNot {
    /// The change, in words, with the names of the objects.
    pub change: String,
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
    Option<(AccountId, Via)>,
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
    fn consider(&mut self, change: String, estate: &Estate, state: &State) {
        let (ad, client) = (self.resolution.advertisement, self.resolution.client);
        let decision = resolve(estate, state, ad, client).decision;
        if key(&decision) != self.original {
            self.out.push(WhyNot { change, decision });
        }
    }
}

/// The single changes that would change `resolution`'s decision, in the documented
/// order of the candidates.
pub fn why_not(estate: &Estate, state: &State, resolution: &Resolution) -> Vec<WhyNot> {
    let mut ask = Ask {
        estate,
        state,
        resolution,
        original: key(&resolution.decision),
        out: Vec::new(),
    };
    logged_on(&mut ask);
    administrator_membership(&mut ask);
    read_grants(&mut ask);
    connections(&mut ask);
    software_installation_account(&mut ask);
    assumptions(&mut ask);
    ask.out
}

/// 1. The logged-on state.
fn logged_on(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    let client = ask.resolution.client;
    let user = state.logged_on(client);
    match user {
        Some(u) => {
            let mut s = state.clone();
            s.log_off(client);
            ask.consider(format!("{} logs off", estate.qualified_name(u)), estate, &s);
        }
        None => {
            if let Some(u) = estate
                .account_ids()
                .find(|&a| can_log_on(estate, state, a, client))
            {
                let mut s = state.clone();
                s.log_on_unchecked(client, u);
                ask.consider(format!("{} logs on", estate.qualified_name(u)), estate, &s);
            }
        }
    }
}

/// 2. The user's administrator membership.
fn administrator_membership(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    let client = ask.resolution.client;
    let user = state.logged_on(client);
    if let (Some(u), Some(admins)) = (user, estate.administrators_of(client)) {
        let direct = estate.account(admins).members.contains(&u);
        let changed = with_member(estate, admins, u, !direct);
        let verb = if direct { "leaves" } else { "joins" };
        ask.consider(
            format!(
                "{} {verb} {}",
                estate.qualified_name(u),
                estate.qualified_name(admins)
            ),
            &changed,
            state,
        );
    }
}

/// 3. Read grants on the package folder.
fn read_grants(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    let resolution = ask.resolution;
    let ad = ask.resolution.advertisement;
    let dp_share = resolution.trace.steps.iter().find_map(|s| match s.fact {
        Fact::DistributionPoint { share, .. } => Some(share),
        _ => None,
    });
    if let Some(share) = dp_share {
        let package = estate.program(estate.advertisement(ad).program).package;
        if let Some(copy) = estate
            .package(package)
            .copies
            .iter()
            .position(|c| c.share == share)
        {
            let grants = estate.package(package).copies[copy].read.clone();
            for g in grants {
                let changed = with_read(estate, package, copy, g, false);
                ask.consider(
                    format!(
                        "{} loses read on package {} at {}",
                        estate.qualified_name(g),
                        estate.package(package).id,
                        estate.share_path(share)
                    ),
                    &changed,
                    state,
                );
            }
            let denied: Vec<AccountId> = resolution
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
            for g in denied {
                let changed = with_read(estate, package, copy, g, true);
                ask.consider(
                    format!(
                        "{} gets read on package {} at {}",
                        estate.qualified_name(g),
                        estate.package(package).id,
                        estate.share_path(share)
                    ),
                    &changed,
                    state,
                );
            }
        }
    }
}

/// 4. Each connection.
fn connections(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    let client = ask.resolution.client;
    for kind in [SessionKind::Interactive, SessionKind::Service] {
        for (i, c) in state.session(client, kind).connections.iter().enumerate() {
            let mut s = state.clone();
            let mut n = 0;
            s.disconnect_where(client, kind, |_| {
                n += 1;
                n == i + 1
            });
            let path = match c.share {
                Some(share) => estate.share_path(share),
                None => format!("\\\\{}", estate.machine(c.server).name),
            };
            let session = match kind {
                SessionKind::Interactive => "interactive",
                SessionKind::Service => "service",
            };
            ask.consider(
                format!(
                    "the {session} session's connection to {path} as {} is dropped",
                    estate.qualified_name(c.credential)
                ),
                estate,
                &s,
            );
        }
    }
}

/// 5. The Software Installation account's trust and enabled state.
fn software_installation_account(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    let ad = ask.resolution.advertisement;
    let client = ask.resolution.client;
    let machine = estate.machine(client);
    let program = estate.program(estate.advertisement(ad).program);
    if program.use_software_installation_account
        && let Some(swia) = estate.site().software_installation_account
    {
        if let (Some(d), Store::Domain(home)) = (machine.domain, estate.account(swia).store)
            && d != home
        {
            let mut s = state.clone();
            let on = !state.trusts(d, home);
            s.set_trust_unchecked(d, home, on);
            let verb = if on { "starts" } else { "stops" };
            ask.consider(
                format!(
                    "domain {} {verb} trusting {}",
                    estate.domain(d).name,
                    estate.domain(home).name
                ),
                estate,
                &s,
            );
        }
        let mut s = state.clone();
        let mut status = state.status(swia);
        status.enabled = !status.enabled;
        s.set_status(swia, status);
        let verb = if status.enabled {
            "is enabled"
        } else {
            "is disabled"
        };
        ask.consider(
            format!("{} {verb}", estate.qualified_name(swia)),
            estate,
            &s,
        );
    }
}

/// 6. Each other value of each switchable assumption.
fn assumptions(ask: &mut Ask<'_>) {
    let estate = ask.estate;
    let state = ask.state;
    let a = *estate.assumptions();
    let variants: [(&str, Assumptions); 6] = [
        (
            "A2 admin_rights_policy",
            Assumptions {
                admin_rights_policy: other(
                    a.admin_rights_policy,
                    AdminRightsPolicy::ServiceIfUserLacksRights,
                    AdminRightsPolicy::AlwaysService,
                ),
                ..a
            },
        ),
        (
            "A3 token_admin_membership",
            Assumptions {
                token_admin_membership: other(
                    a.token_admin_membership,
                    TokenAdminMembership::Standing,
                    TokenAdminMembership::TransientOnMemberClients,
                ),
                ..a
            },
        ),
        (
            "A4 swia_dp_context",
            Assumptions {
                swia_dp_context: other(
                    a.swia_dp_context,
                    SwiaDpContext::ClientTokenAccount,
                    SwiaDpContext::SoftwareInstallationAccount,
                ),
                ..a
            },
        ),
        (
            "A5 connection_scope",
            Assumptions {
                connection_scope: other(
                    a.connection_scope,
                    ConnectionScope::LogonSession,
                    ConnectionScope::Machine,
                ),
                ..a
            },
        ),
        (
            "A6 win9x_connection_accounts",
            Assumptions {
                win9x_connection_accounts: other(
                    a.win9x_connection_accounts,
                    Win9xConnectionAccounts::NotUsed,
                    Win9xConnectionAccounts::Used,
                ),
                ..a
            },
        ),
        (
            "A14 service_pack",
            Assumptions {
                service_pack: other(a.service_pack, ServicePack::Sp2, ServicePack::RtmSp1),
                ..a
            },
        ),
    ];
    for (name, assumptions) in variants {
        ask.consider(
            format!("assumption {name} takes its other value"),
            &estate.with_assumptions(assumptions),
            state,
        );
    }
}

fn other<T: PartialEq>(value: T, a: T, b: T) -> T {
    if value == a { b } else { a }
}

/// Whether a person could log `account` on at `client` now: a user account that SMS
/// did not create, enabled and not locked out, of the client's own SAM (NT) or of a
/// domain the client's domain is or trusts (A9).
fn can_log_on(estate: &Estate, state: &State, account: AccountId, client: MachineId) -> bool {
    let a = estate.account(account);
    let status = state.status(account);
    let machine = estate.machine(client);
    a.kind == AccountKind::User
        && a.role.is_none()
        && status.enabled
        && !status.locked_out
        && match a.store {
            Store::Domain(d) => machine
                .domain
                .is_some_and(|md| md == d || state.trusts(md, d)),
            Store::Local(m) => m == client && machine.platform.is_nt(),
        }
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
