//! The part of a scenario that changes over time: who is logged on where, the
//! connections of each logon session, account status, trusts, the passwords clients hold,
//! servers that are down and the Software Installation account's grants in force.
//!
//! The decision engine reads a [`State`]; the timeline moves it. Its methods take ids of
//! the estate it was made for.

use std::collections::BTreeSet;

use super::{AccountId, DomainId, Estate, MachineId, ShareId, StateError};

/// How a connection is attached: device-less (a UNC path) or as a drive letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Device {
    /// A UNC connection with no device: the only kind NAL sees (A7).
    DeviceLess,
    /// A mapped drive letter (`S:`): invisible to NAL, but it holds the server session.
    Drive(char),
}

/// An SMB connection from a logon session to `\\server` (IPC$) or `\\server\share`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Connection {
    /// The server.
    pub server: MachineId,
    /// The share, or `None` for a connection to the server itself.
    pub share: Option<ShareId>,
    /// Device-less or mapped.
    pub device: Device,
    /// The account whose credentials made it.
    pub credential: AccountId,
}

/// Which logon session of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SessionKind {
    /// The interactive session of the logged-on user.
    Interactive,
    /// The session of the SMS client service and of Smsapm32 (the client token account).
    Service,
}

/// One logon session's connection cache.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogonSession {
    /// Its connections, in the order they were made.
    pub connections: Vec<Connection>,
}

/// Status of an account that changes over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountStatus {
    /// Whether the account is enabled.
    pub enabled: bool,
    /// Whether it is locked out.
    pub locked_out: bool,
    /// Bad-password events since the last good logon (lockout counter).
    pub bad_passwords: u8,
}

impl Default for AccountStatus {
    fn default() -> Self {
        AccountStatus {
            enabled: true,
            locked_out: false,
            bad_passwords: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct ClientSessions {
    user: Option<AccountId>,
    interactive: LogonSession,
    service: LogonSession,
}

/// What a [`State`] knows of the estate it was made for: the sizes of the tables its ids
/// index, and a digest of the estate's names (its domains, the site code, its first and
/// last machine and account). Two estates loaded from one file have one shape, and an
/// estate derived from another (other assumptions, a group's members or a read list
/// changed, as why-not and the decision table make them) keeps it; a state made for an
/// estate of another shape cannot be paired with it (`engine::Bound::new`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shape {
    machines: u32,
    accounts: u32,
    domains: u32,
    shares: u32,
    advertisements: u32,
    digest: u64,
}

impl Shape {
    /// The shape of `estate`: a few counts and a hash of a few names, so it costs the
    /// same at ten clients and at a million.
    pub fn of(estate: &Estate) -> Shape {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        for d in &estate.domains {
            d.name.as_str().hash(&mut h);
        }
        estate.site.code.hash(&mut h);
        for m in [estate.machines.first(), estate.machines.last()]
            .into_iter()
            .flatten()
        {
            m.name.as_str().hash(&mut h);
        }
        for a in [estate.accounts.first(), estate.accounts.last()]
            .into_iter()
            .flatten()
        {
            (a.store, a.name.as_str()).hash(&mut h);
        }
        let n = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        Shape {
            machines: n(estate.machines.len()),
            accounts: n(estate.accounts.len()),
            domains: n(estate.domains.len()),
            shares: n(estate.shares.len()),
            advertisements: n(estate.advertisements.len()),
            digest: h.finish(),
        }
    }
}

impl std::fmt::Display for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} machines, {} accounts, {} domains, {} shares and {} advertisements",
            self.machines, self.accounts, self.domains, self.shares, self.advertisements
        )?;
        if self.machines > 0 {
            write!(f, " (names digest {:016x})", self.digest)?;
        }
        Ok(())
    }
}

/// The time-varying state of an estate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    shape: Shape,
    clients: Vec<ClientSessions>,
    status: Vec<AccountStatus>,
    domains: usize,
    trusts: Vec<bool>,
    stale: BTreeSet<(MachineId, AccountId)>,
    unavailable: Vec<bool>,
    grants: BTreeSet<(MachineId, AccountId)>,
}

impl State {
    /// The state of a quiet estate: nobody logged on, no connection, every account
    /// enabled, no trust, every password current, every server up.
    pub fn new(estate: &Estate) -> State {
        let domains = estate.domains.len();
        State {
            shape: Shape::of(estate),
            clients: vec![ClientSessions::default(); estate.machines.len()],
            status: vec![AccountStatus::default(); estate.accounts.len()],
            domains,
            trusts: vec![false; domains * domains],
            stale: BTreeSet::new(),
            unavailable: vec![false; estate.machines.len()],
            grants: BTreeSet::new(),
        }
    }

    /// The shape of the estate this state was made for.
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// Whether this state was made for `estate` (or one of its shape): its ids index
    /// `estate`'s tables.
    pub fn is_for(&self, estate: &Estate) -> bool {
        self.shape == Shape::of(estate)
    }

    /// The user logged on at `client`, if any.
    pub fn logged_on(&self, client: MachineId) -> Option<AccountId> {
        self.clients[client.index()].user
    }

    /// A logon session of `client`.
    pub fn session(&self, client: MachineId, kind: SessionKind) -> &LogonSession {
        let c = &self.clients[client.index()];
        match kind {
            SessionKind::Interactive => &c.interactive,
            SessionKind::Service => &c.service,
        }
    }

    fn session_mut(&mut self, client: MachineId, kind: SessionKind) -> &mut LogonSession {
        let c = &mut self.clients[client.index()];
        match kind {
            SessionKind::Interactive => &mut c.interactive,
            SessionKind::Service => &mut c.service,
        }
    }

    /// Logs `user` on at `client`, with no connections, if [`State::check_log_on`]
    /// allows it.
    pub fn log_on(
        &mut self,
        estate: &Estate,
        client: MachineId,
        user: AccountId,
    ) -> Result<(), StateError> {
        self.check_log_on(estate, client, user)?;
        self.log_on_unchecked(client, user);
        Ok(())
    }

    /// Logs `user` on at `client`, replacing whoever was logged on, with no connections:
    /// for changes known to be legal, or that the caller means to model anyway.
    pub(crate) fn log_on_unchecked(&mut self, client: MachineId, user: AccountId) {
        let c = &mut self.clients[client.index()];
        c.user = Some(user);
        c.interactive = LogonSession::default();
    }

    /// Logs the user off `client`: the interactive session and its connections end.
    /// Always legal.
    pub fn log_off(&mut self, client: MachineId) {
        let c = &mut self.clients[client.index()];
        c.user = None;
        c.interactive = LogonSession::default();
    }

    /// Adds a connection to a session of `client`, if [`State::check_connect`] allows it.
    pub fn connect(
        &mut self,
        estate: &Estate,
        client: MachineId,
        kind: SessionKind,
        connection: Connection,
    ) -> Result<(), StateError> {
        self.check_connect(estate, client, kind, &connection)?;
        self.connect_unchecked(client, kind, connection);
        Ok(())
    }

    /// Adds a connection to a session of `client`, unchecked.
    pub(crate) fn connect_unchecked(
        &mut self,
        client: MachineId,
        kind: SessionKind,
        connection: Connection,
    ) {
        self.session_mut(client, kind).connections.push(connection);
    }

    /// Removes the connections of a session of `client` for which `pred` holds; returns
    /// how many were removed. Always legal.
    pub fn disconnect_where(
        &mut self,
        client: MachineId,
        kind: SessionKind,
        mut pred: impl FnMut(&Connection) -> bool,
    ) -> usize {
        let connections = &mut self.session_mut(client, kind).connections;
        let before = connections.len();
        connections.retain(|c| !pred(c));
        before - connections.len()
    }

    /// Status of an account.
    pub fn status(&self, account: AccountId) -> AccountStatus {
        self.status[account.index()]
    }

    /// Sets the status of an account. Every status is legal: the loader refuses none.
    pub fn set_status(&mut self, account: AccountId, status: AccountStatus) {
        self.status[account.index()] = status;
    }

    /// Whether `trusting` trusts `trusted` (one-way, not transitive: A9).
    pub fn trusts(&self, trusting: DomainId, trusted: DomainId) -> bool {
        self.trusts[trusting.index() * self.domains + trusted.index()]
    }

    /// Adds or removes the trust of `trusting` in `trusted`, if [`State::check_trust`]
    /// allows it. Removing a trust ends neither the logons nor the connections made
    /// across it.
    pub fn set_trust(
        &mut self,
        estate: &Estate,
        trusting: DomainId,
        trusted: DomainId,
        on: bool,
    ) -> Result<(), StateError> {
        self.check_trust(estate, trusting, trusted, on)?;
        self.set_trust_unchecked(trusting, trusted, on);
        Ok(())
    }

    /// Adds or removes a trust, unchecked.
    pub(crate) fn set_trust_unchecked(&mut self, trusting: DomainId, trusted: DomainId, on: bool) {
        self.trusts[trusting.index() * self.domains + trusted.index()] = on;
    }

    /// Every trust in force, as (trusting, trusted) pairs in order.
    pub fn trust_pairs(&self) -> impl Iterator<Item = (DomainId, DomainId)> + '_ {
        let n = self.domains;
        self.trusts
            .iter()
            .enumerate()
            .filter(|(_, on)| **on)
            .map(move |(i, _)| (DomainId::from_index(i / n), DomainId::from_index(i % n)))
    }

    /// Whether `client` holds an out-of-date password for `account` (A16).
    pub fn is_stale(&self, client: MachineId, account: AccountId) -> bool {
        !self.stale.is_empty() && self.stale.contains(&(client, account))
    }

    /// Marks the password `client` holds for `account` as stale or current, if
    /// [`State::check_stale`] allows it.
    pub fn set_stale(
        &mut self,
        estate: &Estate,
        client: MachineId,
        account: AccountId,
        stale: bool,
    ) -> Result<(), StateError> {
        self.check_stale(estate, account, stale)?;
        self.set_stale_unchecked(client, account, stale);
        Ok(())
    }

    /// Marks a held password as stale or current, unchecked.
    pub(crate) fn set_stale_unchecked(
        &mut self,
        client: MachineId,
        account: AccountId,
        stale: bool,
    ) {
        if stale {
            self.stale.insert((client, account));
        } else {
            self.stale.remove(&(client, account));
        }
    }

    /// The (client, account) pairs whose held password is stale, in order.
    pub fn stale_pairs(&self) -> impl Iterator<Item = (MachineId, AccountId)> + '_ {
        self.stale.iter().copied()
    }

    /// Whether `server` answers on the network.
    pub fn is_available(&self, server: MachineId) -> bool {
        !self.unavailable[server.index()]
    }

    /// Takes `server` off the network or brings it back. Always legal.
    pub fn set_available(&mut self, server: MachineId, available: bool) {
        self.unavailable[server.index()] = !available;
    }

    /// Records that `account` is in the Administrators group of `machine` for a running
    /// Software Installation account program (`SWIA-GRANT`), or removes that record
    /// (`SWIA-REVOKE`), if [`State::check_grant`] allows it.
    pub fn set_grant(
        &mut self,
        estate: &Estate,
        machine: MachineId,
        account: AccountId,
        on: bool,
    ) -> Result<(), StateError> {
        self.check_grant(estate, machine, account, on)?;
        self.set_grant_unchecked(machine, account, on);
        Ok(())
    }

    /// Adds or removes a grant, unchecked.
    pub(crate) fn set_grant_unchecked(&mut self, machine: MachineId, account: AccountId, on: bool) {
        if on {
            self.grants.insert((machine, account));
        } else {
            self.grants.remove(&(machine, account));
        }
    }

    /// The grants in force, in order.
    pub fn grants(&self) -> impl Iterator<Item = (MachineId, AccountId)> + '_ {
        self.grants.iter().copied()
    }
}
