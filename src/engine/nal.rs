//! The Network Abstraction Layer's connection to the distribution point, in the order of
//! Q224286's "Connection to Distribution Point" section and the notes' NAL paragraph:
//!
//! 1. `NAL-EXISTING`: a device-less connection to the DP share that NAL can see (A5, A7)
//!    is used whatever its credentials; if they cannot read, the run fails and NAL tries
//!    nothing else (D4).
//! 2. `NAL-SERVER-SESSION` / `NAL-CURRENT`: on NT, a new connection carries the
//!    credentials of any other connection the session has to the same server (another
//!    share, IPC$, a mapped drive); only without one does the current context's own
//!    token authenticate. If lent credentials cannot read, the server session is theirs
//!    and every later credential set conflicts (error 1219, D4).
//! 3. `NAL-CONNECTION-ACCOUNTS`: each client network connection account in order; the
//!    first that authenticates and reads wins (on Windows 95/98 only under A6 `used`).
//!
//! A step that does not authenticate leaves nothing behind; one that authenticates but
//! cannot read is dropped, and NAL goes on.

use std::ops::ControlFlow;

use super::{DpConnection, FailReason, Resolver, Via, winerror};
use crate::decision::{Access, AuthFailure};
use crate::model::*;
use crate::rules::RuleId;
use crate::trace::Fact;

/// The logon session NAL connects from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Session {
    /// The logged-on user's.
    Interactive,
    /// The SMS client service's (Smsapm32, the client token account).
    Service,
    /// A session just made by LogonUser (the Software Installation account under A4's
    /// `software_installation_account`): it has no connections of its own.
    New,
}

/// Whether an account can log on now from `client`: enabled, not locked out, and the
/// password the client holds is current (A16).
pub(super) fn account_usable(
    state: &State,
    client: MachineId,
    account: AccountId,
) -> Result<(), AuthFailure> {
    let status = state.status(account);
    if !status.enabled {
        Err(AuthFailure::Disabled)
    } else if status.locked_out {
        Err(AuthFailure::LockedOut)
    } else if state.is_stale(client, account) {
        Err(AuthFailure::StalePassword)
    } else {
        Ok(())
    }
}

/// A10: whether `account`, presented from `client`, authenticates at `server`.
pub(super) fn authenticate(
    estate: &Estate,
    state: &State,
    client: MachineId,
    account: AccountId,
    server: MachineId,
) -> Result<(), AuthFailure> {
    if !state.is_available(server) {
        return Err(AuthFailure::ServerDown);
    }
    match estate.account(account).store {
        Store::Local(home) if home != server => {
            // A local account means nothing elsewhere; a same-named account there sees a
            // bad password (D5).
            let same_name = estate
                .machine_store(server)
                .is_some_and(|store| estate.same_named_in(account, store).is_some());
            return Err(AuthFailure::LocalAccount {
                bad_password_at_server: same_name,
            });
        }
        Store::Local(_) => {}
        Store::Domain(home) => {
            let accepted = estate
                .machine(server)
                .domain
                .is_some_and(|d| d == home || state.trusts(d, home));
            if !accepted {
                return Err(AuthFailure::UntrustedDomain);
            }
        }
    }
    account_usable(state, client, account)
}

type NalResult = Result<DpConnection, (FailReason, u32, RuleId)>;

/// The connections NAL and the running program see from `session` (A5): the session's
/// own, or every session's of the machine.
pub(super) fn visible<'a>(
    estate: &Estate,
    state: &'a State,
    client: MachineId,
    session: Session,
) -> impl Iterator<Item = &'a Connection> + use<'a> {
    // Only the sessions it sees are looked up.
    let of = |kind| state.session(client, kind);
    let (first, second): (&[Connection], &[Connection]) =
        match (estate.assumptions.connection_scope, session) {
            (ConnectionScope::Machine, _) => {
                (of(SessionKind::Interactive), of(SessionKind::Service))
            }
            (ConnectionScope::LogonSession, Session::Interactive) => {
                (of(SessionKind::Interactive), &[])
            }
            (ConnectionScope::LogonSession, Session::Service) => (of(SessionKind::Service), &[]),
            (ConnectionScope::LogonSession, Session::New) => (&[], &[]),
        };
    first.iter().chain(second.iter())
}

/// Runs the NAL order for `copy`, pushing one step per attempt: the existing
/// connection, then the current context (or on NT the credentials of another
/// connection to the same server), then the connection accounts.
pub(super) fn connect(
    r: &mut Resolver<'_, '_>,
    copy: &PackageCopy,
    current: AccountId,
    session: Session,
) -> NalResult {
    r.consult(Assumption::A5);
    r.consult(Assumption::A7);
    if let ControlFlow::Break(done) = existing(r, copy, session) {
        return done;
    }
    match current_context(r, copy, current, session) {
        ControlFlow::Break(done) => done,
        ControlFlow::Continue((owner, last)) => connection_accounts(r, copy, owner, last),
    }
}

/// Whether `account` can read the package copy (counting the memberships the rules
/// give it, but not the grant of a run that has not started).
fn reads(r: &Resolver<'_, '_>, copy: &PackageCopy, account: AccountId) -> bool {
    r.granted(account, &copy.read, false)
}

/// 1. `NAL-EXISTING`: device-less connections to the DP share only (A7). An existing
///    connection ends the order, whether its credentials can read or not.
fn existing(
    r: &mut Resolver<'_, '_>,
    copy: &PackageCopy,
    session: Session,
) -> ControlFlow<NalResult> {
    let (estate, state, client, share) = (r.estate, r.state, r.client, copy.share);
    let existing = visible(estate, state, client, session)
        .find(|c| c.device == Device::DeviceLess && c.share == Some(share))
        .copied();
    let ignored_drive = visible(estate, state, client, session).find_map(|c| match c.device {
        Device::Drive(letter) if c.share == Some(share) => Some(letter),
        _ => None,
    });
    let Some(connection) = existing else {
        r.push(
            RuleId::NalExisting,
            Fact::NalExisting {
                connection: None,
                ignored_drive,
                access: None,
            },
        );
        return ControlFlow::Continue(());
    };
    let access = if reads(r, copy, connection.credential) {
        Access::Read
    } else {
        Access::Denied
    };
    r.push(
        RuleId::NalExisting,
        Fact::NalExisting {
            connection: Some(connection),
            ignored_drive,
            access: Some(access),
        },
    );
    ControlFlow::Break(if access == Access::Read {
        Ok(DpConnection {
            share,
            credential: Some(connection.credential),
            via: Via::Existing,
        })
    } else {
        Err((
            FailReason::ExistingConnectionCannotRead,
            winerror::ACCESS_DENIED,
            RuleId::NalExisting,
        ))
    })
}

/// 2. The current context, or on NT the credentials of another connection to the same
///    server (`NAL-CURRENT`, `NAL-SERVER-SESSION`). Goes on with the account that owns
///    the server session, if a lent connection does, and the last error and its rule.
fn current_context(
    r: &mut Resolver<'_, '_>,
    copy: &PackageCopy,
    current: AccountId,
    session: Session,
) -> ControlFlow<NalResult, (Option<AccountId>, (u32, RuleId))> {
    let (estate, state, client, share) = (r.estate, r.state, r.client, copy.share);
    let server = estate.share(share).server;
    let win9x = r.machine.platform.is_win9x();
    let lent = if win9x {
        None
    } else {
        visible(estate, state, client, session)
            .find(|c| c.server == server)
            .copied()
    };
    if let Some(connection) = lent {
        let access = if reads(r, copy, connection.credential) {
            Access::Read
        } else {
            Access::Denied
        };
        r.push(
            RuleId::NalServerSession,
            Fact::NalAttempt {
                via: Via::ServerSession,
                credential: connection.credential,
                lent_by: Some(connection),
                access,
            },
        );
        if access == Access::Read {
            return ControlFlow::Break(Ok(DpConnection {
                share,
                credential: Some(connection.credential),
                via: Via::ServerSession,
            }));
        }
        return ControlFlow::Continue((
            Some(connection.credential),
            (access.error(), RuleId::NalServerSession),
        ));
    }
    if win9x {
        r.push(RuleId::X9xNoServerSession, Fact::NoServerSession);
    }
    r.consult(Assumption::A10);
    let can_read = reads(r, copy, current);
    let access = attempt(estate, state, client, current, server, can_read);
    r.push(
        RuleId::NalCurrent,
        Fact::NalAttempt {
            via: Via::Current,
            credential: current,
            lent_by: None,
            access,
        },
    );
    if access == Access::Read {
        return ControlFlow::Break(Ok(DpConnection {
            share,
            credential: Some(current),
            via: Via::Current,
        }));
    }
    ControlFlow::Continue((None, (access.error(), RuleId::NalCurrent)))
}

/// 3. `NAL-CONNECTION-ACCOUNTS`: the client network connection accounts, in the site's
///    order; on Windows 95/98 only under A6 `used`. Another account than the one that
///    owns the server session conflicts (D4).
fn connection_accounts(
    r: &mut Resolver<'_, '_>,
    copy: &PackageCopy,
    owner: Option<AccountId>,
    mut last: (u32, RuleId),
) -> NalResult {
    let (estate, state, client, share) = (r.estate, r.state, r.client, copy.share);
    let server = estate.share(share).server;
    if r.machine.platform.is_win9x() {
        r.consult(Assumption::A6);
        if estate.assumptions.win9x_connection_accounts == Win9xConnectionAccounts::NotUsed {
            r.push(RuleId::A6, Fact::ConnectionAccountsSkipped);
            return Err((FailReason::NoConnection, last.0, RuleId::A6));
        }
    }
    let accounts = &estate.site.connection_accounts;
    r.push(
        RuleId::NalConnectionAccounts,
        Fact::ConnectionAccounts {
            count: accounts.len().min(255) as u8,
        },
    );
    for (i, &account) in accounts.iter().enumerate() {
        let via = Via::ConnectionAccount(i.min(255) as u8);
        if let Some(o) = owner
            && o != account
        {
            r.push(
                RuleId::D4,
                Fact::NalAttempt {
                    via,
                    credential: account,
                    lent_by: None,
                    access: Access::Conflict,
                },
            );
            last = (winerror::SESSION_CREDENTIAL_CONFLICT, RuleId::D4);
            continue;
        }
        r.consult(Assumption::A10);
        r.consult(Assumption::A16);
        let can_read = reads(r, copy, account);
        let access = attempt(estate, state, client, account, server, can_read);
        r.push(
            RuleId::NalConnectionAccounts,
            Fact::NalAttempt {
                via,
                credential: account,
                lent_by: None,
                access,
            },
        );
        if access == Access::Read {
            return Ok(DpConnection {
                share,
                credential: Some(account),
                via,
            });
        }
        last = (access.error(), RuleId::NalConnectionAccounts);
    }
    Err((FailReason::NoConnection, last.0, last.1))
}

fn attempt(
    estate: &Estate,
    state: &State,
    client: MachineId,
    account: AccountId,
    server: MachineId,
    reads: bool,
) -> Access {
    match authenticate(estate, state, client, account, server) {
        Err(failure) => Access::NotAuthenticated(failure),
        Ok(()) if reads => Access::Read,
        Ok(()) => Access::Denied,
    }
}
