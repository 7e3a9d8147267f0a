//! The part of a scenario that changes over time: who is logged on where, the
//! connections of each logon session, account status, trusts, the passwords clients hold,
//! servers that are down and the Software Installation account's grants in force.
//!
//! The decision engine reads a [`State`]; the timeline moves it. Its methods take ids of
//! the estate it was made for.

use std::collections::BTreeSet;

use smallvec::SmallVec;

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

/// One logon session's connection cache, in the order its connections were made: most
/// sessions hold none or one, kept inline.
type Connections = SmallVec<[Connection; 1]>;

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

/// The two logon sessions of a client that has had a logon or a connection.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct ClientSessions {
    interactive: Connections,
    service: Connections,
}

/// Bit of a machine's second word: the machine does not answer.
const UNAVAILABLE: u32 = 1 << 31;
/// Bits of an account's half-word: disabled, locked out, bad passwords (bits 8 to 15).
/// The default status (enabled, not locked, no bad password) is zero.
const DISABLED: u32 = 1;
const LOCKED_OUT: u32 = 2;

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
///
/// Laid out for a decision's few reads: what every machine and account has is in one
/// array of words (`words`), so that a small estate's state is a few cache lines and a
/// decision on a state nobody read before misses the cache a few times, not once for
/// each table. The sessions' connections are apart, only for the clients that have had
/// a logon or a connection.
///
/// The fields a decision reads come first (`repr(C)` keeps them in this order), and a
/// small estate's words and sessions are inline: a decision on a state in no cache
/// reads three or four adjacent cache lines of it.
#[derive(Debug, Clone)]
#[repr(C)]
pub struct State {
    machines: u32,
    accounts: u32,
    domains: u32,
    /// Whether any held password is stale: `stale` is read only if so.
    any_stale: bool,
    /// Two words for each machine (the logged-on user's id, zero for nobody; the
    /// [`UNAVAILABLE`] bit and the position in `sessions` plus one, zero for none),
    /// then a half-word for each account (its status), then the trusts, one bit for
    /// each (trusting, trusted) pair.
    words: SmallVec<[u32; 32]>,
    sessions: SmallVec<[ClientSessions; 1]>,
    stale: BTreeSet<(MachineId, AccountId)>,
    grants: BTreeSet<(MachineId, AccountId)>,
    shape: Shape,
}

/// Two states are equal when they say the same of every machine, account and trust:
/// where the sessions are kept (an order of first connections) is no part of it.
impl PartialEq for State {
    fn eq(&self, other: &State) -> bool {
        let same_words = self.words.len() == other.words.len()
            && self
                .words
                .iter()
                .zip(&other.words)
                .enumerate()
                .all(
                    |(i, (a, b))| match i < 2 * self.machines as usize && i % 2 == 1 {
                        true => a & UNAVAILABLE == b & UNAVAILABLE,
                        false => a == b,
                    },
                );
        self.shape == other.shape
            && same_words
            && (0..self.machines as usize).all(|m| {
                let m = MachineId::from_index(m);
                self.session(m, SessionKind::Interactive)
                    == other.session(m, SessionKind::Interactive)
                    && self.session(m, SessionKind::Service)
                        == other.session(m, SessionKind::Service)
            })
            && self.stale == other.stale
            && self.grants == other.grants
    }
}

impl Eq for State {}

impl State {
    /// The state of a quiet estate: nobody logged on, no connection, every account
    /// enabled, no trust, every password current, every server up.
    pub fn new(estate: &Estate) -> State {
        let shape = Shape::of(estate);
        let (machines, accounts, domains) = (shape.machines, shape.accounts, shape.domains);
        let (m, a, d) = (machines as usize, accounts as usize, domains as usize);
        State {
            shape,
            words: smallvec::smallvec![0; 2 * m + a.div_ceil(2) + (d * d).div_ceil(32)],
            machines,
            accounts,
            domains,
            any_stale: false,
            sessions: SmallVec::new(),
            stale: BTreeSet::new(),
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
        match self.words[2 * client.index()] {
            0 => None,
            id => Some(AccountId::from_index(id as usize - 1)),
        }
    }

    /// The position of `client`'s sessions in `sessions`, if it has any.
    fn sessions_of(&self, client: MachineId) -> Option<usize> {
        match self.words[2 * client.index() + 1] & !UNAVAILABLE {
            0 => None,
            at => Some(at as usize - 1),
        }
    }

    /// `client`'s sessions, made empty on first use.
    fn sessions_mut(&mut self, client: MachineId) -> &mut ClientSessions {
        let at = match self.sessions_of(client) {
            Some(at) => at,
            None => {
                self.sessions.push(ClientSessions::default());
                let at = self.sessions.len() - 1;
                // A state's clients are far below 2^31: the loader refuses larger.
                self.words[2 * client.index() + 1] |= (at as u32 + 1) & !UNAVAILABLE;
                at
            }
        };
        &mut self.sessions[at]
    }

    /// A logon session of `client`.
    pub fn session(&self, client: MachineId, kind: SessionKind) -> &[Connection] {
        let Some(at) = self.sessions_of(client) else {
            return &[];
        };
        let c = &self.sessions[at];
        match kind {
            SessionKind::Interactive => &c.interactive,
            SessionKind::Service => &c.service,
        }
    }

    fn session_mut(&mut self, client: MachineId, kind: SessionKind) -> &mut Connections {
        let c = self.sessions_mut(client);
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
        self.words[2 * client.index()] = user.index() as u32 + 1;
        self.clear_interactive(client);
    }

    /// Ends the connections of `client`'s interactive session.
    fn clear_interactive(&mut self, client: MachineId) {
        if let Some(at) = self.sessions_of(client) {
            self.sessions[at].interactive.clear();
        }
    }

    /// Logs the user off `client`: the interactive session and its connections end.
    /// Always legal.
    pub fn log_off(&mut self, client: MachineId) {
        self.words[2 * client.index()] = 0;
        self.clear_interactive(client);
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
        self.session_mut(client, kind).push(connection);
    }

    /// Removes the connections of a session of `client` for which `pred` holds; returns
    /// how many were removed. Always legal.
    pub fn disconnect_where(
        &mut self,
        client: MachineId,
        kind: SessionKind,
        mut pred: impl FnMut(&Connection) -> bool,
    ) -> usize {
        if self.sessions_of(client).is_none() {
            return 0;
        }
        let connections = self.session_mut(client, kind);
        let before = connections.len();
        connections.retain(|c| !pred(c));
        before - connections.len()
    }

    /// Status of an account.
    pub fn status(&self, account: AccountId) -> AccountStatus {
        let (word, shift) = self.status_at(account);
        let w = self.words[word] >> shift;
        AccountStatus {
            enabled: w & DISABLED == 0,
            locked_out: w & LOCKED_OUT != 0,
            bad_passwords: ((w >> 8) & 0xff) as u8,
        }
    }

    /// Sets the status of an account. Every status is legal: the loader refuses none.
    pub fn set_status(&mut self, account: AccountId, status: AccountStatus) {
        let mut w = u32::from(status.bad_passwords) << 8;
        if !status.enabled {
            w |= DISABLED;
        }
        if status.locked_out {
            w |= LOCKED_OUT;
        }
        let (word, shift) = self.status_at(account);
        self.words[word] = (self.words[word] & !(0xffff << shift)) | (w << shift);
    }

    /// The word and the shift of `account`'s status half-word.
    fn status_at(&self, account: AccountId) -> (usize, u32) {
        let i = account.index();
        (2 * self.machines as usize + i / 2, 16 * (i % 2) as u32)
    }

    /// The word and the bit of the trust of `trusting` in `trusted`.
    fn trust_bit(&self, trusting: DomainId, trusted: DomainId) -> (usize, u32) {
        let i = trusting.index() * self.domains as usize + trusted.index();
        let start = 2 * self.machines as usize + (self.accounts as usize).div_ceil(2);
        (start + i / 32, 1 << (i % 32))
    }

    /// Whether `trusting` trusts `trusted` (one-way, not transitive: A9).
    pub fn trusts(&self, trusting: DomainId, trusted: DomainId) -> bool {
        let (word, bit) = self.trust_bit(trusting, trusted);
        self.words[word] & bit != 0
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
        let (word, bit) = self.trust_bit(trusting, trusted);
        match on {
            true => self.words[word] |= bit,
            false => self.words[word] &= !bit,
        }
    }

    /// Every trust in force, as (trusting, trusted) pairs in order.
    pub fn trust_pairs(&self) -> impl Iterator<Item = (DomainId, DomainId)> + '_ {
        let n = self.domains as usize;
        (0..n * n)
            .map(move |i| (DomainId::from_index(i / n), DomainId::from_index(i % n)))
            .filter(|&(a, b)| self.trusts(a, b))
    }

    /// Whether `client` holds an out-of-date password for `account` (A16).
    pub fn is_stale(&self, client: MachineId, account: AccountId) -> bool {
        self.any_stale && self.stale.contains(&(client, account))
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
        self.any_stale = !self.stale.is_empty();
    }

    /// The (client, account) pairs whose held password is stale, in order.
    pub fn stale_pairs(&self) -> impl Iterator<Item = (MachineId, AccountId)> + '_ {
        self.stale.iter().copied()
    }

    /// Whether `server` answers on the network.
    pub fn is_available(&self, server: MachineId) -> bool {
        self.words[2 * server.index() + 1] & UNAVAILABLE == 0
    }

    /// Takes `server` off the network or brings it back. Always legal.
    pub fn set_available(&mut self, server: MachineId, available: bool) {
        let w = &mut self.words[2 * server.index() + 1];
        match available {
            true => *w &= !UNAVAILABLE,
            false => *w |= UNAVAILABLE,
        }
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
