//! The rules a change of [`State`] must keep: one check per change, the one the scenario
//! loader applies to a file's state and the one [`State`]'s public mutators apply, so
//! that the in-memory API cannot build what the loader refuses, and says why in the
//! loader's words.
//!
//! Only adding things can break a rule (a logon, a connection, a stale password, a trust
//! or a grant); removing them never does. A state reached by legal changes stays legal:
//! removing a trust ends neither the logons nor the connections made across it, as NT
//! keeps a session it has authenticated.

use super::*;
use crate::rules::RuleId;

/// The part of a change that breaks a rule: the loader names the field of the file that
/// gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// The client (a logon at a client that already has a user).
    Client,
    /// The user who logs on.
    User,
    /// The logon session a connection is made in.
    Session,
    /// The account whose credentials make a connection.
    Credential,
    /// The server or share a connection goes to.
    Path,
    /// The drive letter a connection maps.
    Drive,
    /// The account a change is about (a stale password, a grant).
    Account,
    /// The domain a trust is about.
    Domain,
}

/// Why a change of a [`State`] is refused: the state it would make cannot happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct StateError {
    /// The rule the change breaks.
    pub rule: RuleId,
    /// The part of the change at fault.
    pub part: Part,
    /// What is wrong, as the loader says it.
    pub message: String,
}

fn refuse(rule: RuleId, part: Part, message: String) -> Result<(), StateError> {
    Err(StateError {
        rule,
        part,
        message,
    })
}

/// What the console refuses of a program's settings, each problem with the field of
/// the program it is about: a user's-rights program that can run only when nobody is
/// logged on (A11); the Software Installation account without administrative rights,
/// or with a program that runs only when a user is logged on (`SWIA-PER-PROGRAM`), or
/// at a site that sets none. `site_has_account` is `None` when the site is unknown (a
/// file whose site does not load). At a Configuration Manager site there is no
/// Software Installation account (`X-PRODUCT`), and users may interact only with a
/// program run with administrative rights that can run while a user is logged on
/// (`CM-INTERACT`); SMS 2.0 has no such setting. The loader and "why not" both ask it.
pub(crate) fn program_settings_problems(
    product: Product,
    run_mode: RunMode,
    can_run: CanRun,
    (use_software_installation_account, allow_user_interaction): (bool, bool),
    site_has_account: Option<bool>,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    match (product, allow_user_interaction) {
        (Product::Sms2, true) => out.push((
            "allow_user_interaction",
            "`allow_user_interaction` is a Configuration Manager setting; it needs `site.product` `configmgr` (X-PRODUCT)",
        )),
        (Product::ConfigMgr, true)
            if run_mode != RunMode::AdministrativeRights
                || can_run == CanRun::OnlyWhenNoUserLoggedOn =>
        {
            out.push((
                "allow_user_interaction",
                "the console offers interaction only with `administrative_rights` and a can-run other than `only_when_no_user_logged_on` (CM-INTERACT)",
            ))
        }
        _ => {}
    }
    if product == Product::ConfigMgr && use_software_installation_account {
        out.push((
            "use_software_installation_account",
            "a Configuration Manager site has no Software Installation account (X-PRODUCT); a program runs as the user or as Local System",
        ));
        return out;
    }
    if run_mode == RunMode::UserRights && can_run == CanRun::OnlyWhenNoUserLoggedOn {
        out.push((
            "can_run",
            "a program run with user's rights needs a user, so `only_when_no_user_logged_on` can never run (A11); expected `only_when_user_logged_on` or `whether_or_not_user_logged_on`",
        ));
    }
    if use_software_installation_account {
        if run_mode != RunMode::AdministrativeRights {
            out.push((
                "use_software_installation_account",
                "the console allows the Software Installation account only with `administrative_rights`",
            ));
        }
        if can_run == CanRun::OnlyWhenUserLoggedOn {
            out.push((
                "use_software_installation_account",
                "the console allows the Software Installation account only with a can-run other than `only_when_user_logged_on`",
            ));
        }
        if site_has_account == Some(false) {
            out.push((
                "use_software_installation_account",
                "the site sets no `software_installation_account`",
            ));
        }
    }
    out
}

/// At most this many network access accounts a site (`CM-NAA-LIMITS`).
pub const MAX_NETWORK_ACCESS_ACCOUNTS: usize = 10;

/// The refusal of a list of `n` network access accounts, if it is too long
/// (`CM-NAA-LIMITS`): the loader and the timeline's change of the list both ask it.
pub(crate) fn too_many_network_access_accounts(n: usize) -> Option<String> {
    (n > MAX_NETWORK_ACCESS_ACCOUNTS).then(|| {
        format!("a site has at most {MAX_NETWORK_ACCESS_ACCOUNTS} network access accounts; {n} are listed (CM-NAA-LIMITS)")
    })
}

/// Why `account` (written `text`) cannot be added to a site's network access accounts
/// `current`, if it cannot (`CM-NAA-LIMITS`): a domain user that is not a computer
/// account, not already one of them, and room left for it. The scenario loader asks it
/// of each entry of the site's list, and the timeline's loader of each account added.
pub(crate) fn network_access_account_problem(
    account: &Account,
    id: AccountId,
    current: &[AccountId],
    text: &str,
) -> Option<String> {
    if account.kind != AccountKind::User || !matches!(account.store, Store::Domain(_)) {
        return Some(format!(
            "a network access account must be a domain user account; `{text}` is not (CM-NAA-LIMITS)"
        ));
    }
    if account.role == Some(SmsRole::ComputerAccount) {
        return Some(format!(
            "`{text}` is a computer account; a network access account is a user account (CM-NAA-LIMITS)"
        ));
    }
    if current.contains(&id) {
        return Some(format!(
            "`{text}` is already one of the site's network access accounts"
        ));
    }
    too_many_network_access_accounts(current.len() + 1)
}

impl Estate {
    /// Why `account` (written `text`) cannot become a network access account of this
    /// estate's site now, if it cannot: the check of the scenario loader
    /// (`CM-NAA-LIMITS`), at a Configuration Manager site only (`X-PRODUCT`).
    pub fn network_access_account_refusal(&self, account: AccountId, text: &str) -> Option<String> {
        if self.site.product != Product::ConfigMgr {
            return Some(format!(
                "`{text}` cannot become a network access account: the site is SMS 2.0 (X-PRODUCT)"
            ));
        }
        network_access_account_problem(
            self.account(account),
            account,
            &self.site.configmgr.network_access_accounts,
            text,
        )
    }
}

/// The message for a domain said to trust itself (the loader reports it where the file
/// declares the trust).
pub(crate) fn self_trust_message(domain: &str) -> String {
    format!("domain `{domain}` cannot trust itself")
}

impl State {
    /// Checks that `user` can log on at `client` now: a user account (A10) of the
    /// client's own SAM, or of its domain or a domain that domain trusts (A9, A10), at a
    /// client where nobody is logged on (one interactive user per client, A11).
    pub fn check_log_on(
        &self,
        estate: &Estate,
        client: MachineId,
        user: AccountId,
    ) -> Result<(), StateError> {
        let a = estate.account(user);
        let m = estate.machine(client);
        let name = estate.qualified_name(user);
        if a.kind != AccountKind::User {
            return refuse(
                RuleId::A10,
                Part::User,
                format!("`{name}` is a group; only a user logs on"),
            );
        }
        match (a.store, m.domain) {
            (Store::Local(home), _) if home != client => {
                let why = if m.platform.is_win9x() {
                    "Windows 95/98 users log on with domain accounts"
                } else {
                    "a local account logs on only at its own machine"
                };
                return refuse(
                    RuleId::A10,
                    Part::User,
                    format!("`{name}` cannot log on at `{}`: {why}", m.name),
                );
            }
            (Store::Domain(home), Some(d)) if home != d && !self.trusts(d, home) => {
                let (hn, dn) = (&estate.domain(home).name, &estate.domain(d).name);
                return refuse(
                    RuleId::A9,
                    Part::User,
                    format!(
                        "`{name}` cannot log on at `{}`: domain `{dn}` does not trust `{hn}` (A9)",
                        m.name
                    ),
                );
            }
            (Store::Domain(_), None) => {
                return refuse(
                    RuleId::A10,
                    Part::User,
                    format!(
                        "`{name}` cannot log on at `{}`: the machine belongs to no domain",
                        m.name
                    ),
                );
            }
            _ => {}
        }
        if self.logged_on(client).is_some() {
            return refuse(
                RuleId::A11,
                Part::Client,
                format!(
                    "a user is already logged on at `{}`; one interactive user per client",
                    m.name
                ),
            );
        }
        Ok(())
    }

    /// Checks that a session of `client` can make `connection` now: the session exists
    /// (a logged-on user, A11; the SMS client service of an NT client); the credentials
    /// are a user's (A10) that authenticate at the NT server (A10), and on Windows 95/98
    /// the logged-on user's (`W9X-USER`); a drive letter is free and maps a disk share
    /// (A7); and the session holds no other credentials to that server (D4, error 1219).
    pub fn check_connect(
        &self,
        estate: &Estate,
        client: MachineId,
        kind: SessionKind,
        connection: &Connection,
    ) -> Result<(), StateError> {
        let Connection {
            server,
            share,
            device,
            credential,
        } = *connection;
        let cm = estate.machine(client);
        let ca = estate.account(credential);
        let sm = estate.machine(server);
        let name = || estate.qualified_name(credential);
        match kind {
            SessionKind::Interactive if self.logged_on(client).is_none() => {
                return refuse(
                    RuleId::A11,
                    Part::Session,
                    format!(
                        "nobody is logged on at `{}`; add a logon or use the `service` session",
                        cm.name
                    ),
                );
            }
            SessionKind::Service if !cm.platform.is_nt() || !cm.sms_client => {
                let rule = if cm.platform.is_nt() {
                    RuleId::SvcSmsapm32
                } else {
                    RuleId::W9x
                };
                return refuse(
                    rule,
                    Part::Session,
                    format!(
                        "`{}` has no SMS client service session: it is not an NT SMS client",
                        cm.name
                    ),
                );
            }
            _ => {}
        }
        if ca.kind != AccountKind::User {
            return refuse(
                RuleId::A10,
                Part::Credential,
                format!(
                    "`{}` is a group; a connection is made with a user's credentials",
                    name()
                ),
            );
        }
        if sm.platform.is_win9x() {
            return refuse(
                RuleId::A10,
                Part::Path,
                format!(
                    "`{}` runs Windows 95/98; servers of the model are NT 4.0 machines",
                    sm.name
                ),
            );
        }
        // A10: the credentials must have authenticated at the server to make it.
        let accepted = match ca.store {
            Store::Local(home) => home == server,
            Store::Domain(d) => sm.domain.is_some_and(|sd| sd == d || self.trusts(sd, d)),
        };
        if !accepted {
            return refuse(
                RuleId::A10,
                Part::Credential,
                format!(
                    "`{}` cannot have made a connection to `{}`: it does not authenticate there (A10)",
                    name(),
                    sm.name
                ),
            );
        }
        if cm.platform.is_win9x() && self.logged_on(client) != Some(credential) {
            return refuse(
                RuleId::W9x,
                Part::Credential,
                format!(
                    "Windows 95/98 connect as the logged-on user only; `{}` is not logged on at `{}`",
                    name(),
                    cm.name
                ),
            );
        }
        if let Device::Drive(letter) = device {
            self.check_drive(estate, client, letter, share, server)?;
        }
        let other = self
            .session(client, kind)
            .iter()
            .find(|o| o.server == server && o.credential != credential);
        if let Some(other) = other {
            return refuse(
                RuleId::D4,
                Part::Credential,
                format!(
                    "this session already connects to `{}` as `{}`; NT keeps one credential set per server in a logon session, so a second set fails with error 1219 (D4)",
                    sm.name,
                    estate.qualified_name(other.credential)
                ),
            );
        }
        Ok(())
    }

    /// A drive letter maps a disk share, and only one at a time on a client (A7).
    fn check_drive(
        &self,
        estate: &Estate,
        client: MachineId,
        letter: char,
        share: Option<ShareId>,
        server: MachineId,
    ) -> Result<(), StateError> {
        let disk = share.filter(|&sh| !estate.share(sh).name.eq_ignore_ascii_case("IPC$"));
        if disk.is_none() {
            let path = share.map_or_else(
                || format!("\\\\{}", estate.machine(server).name),
                |sh| estate.share_path(sh),
            );
            return refuse(
                RuleId::A7,
                Part::Drive,
                format!("a drive letter maps a disk share; `{path}` is not one"),
            );
        }
        let device = Device::Drive(letter);
        let taken = [SessionKind::Interactive, SessionKind::Service]
            .iter()
            .any(|&k| self.session(client, k).iter().any(|o| o.device == device));
        if taken {
            return refuse(
                RuleId::A7,
                Part::Drive,
                format!(
                    "drive `{letter}:` is already mapped on `{}`",
                    estate.machine(client).name
                ),
            );
        }
        Ok(())
    }

    /// Checks that a client can hold a stale password for `account`: only the
    /// connection accounts' and the Software Installation account's passwords are sent
    /// to clients (A15, A16). Marking a password current is always legal.
    pub fn check_stale(
        &self,
        estate: &Estate,
        account: AccountId,
        stale: bool,
    ) -> Result<(), StateError> {
        let sent = matches!(
            estate.account(account).role,
            Some(SmsRole::ConnectionAccount | SmsRole::SoftwareInstallation)
        );
        if stale && !sent {
            return refuse(
                RuleId::A16,
                Part::Account,
                format!(
                    "`{}` is not a connection account or the Software Installation account, the only passwords a client is sent (A15, A16)",
                    estate.qualified_name(account)
                ),
            );
        }
        Ok(())
    }

    /// Checks that `trusting` can trust `trusted`: another domain (A9). Removing a trust
    /// is always legal, and leaves the logons and connections made across it.
    pub fn check_trust(
        &self,
        estate: &Estate,
        trusting: DomainId,
        trusted: DomainId,
        on: bool,
    ) -> Result<(), StateError> {
        if on && trusting == trusted {
            return refuse(
                RuleId::A9,
                Part::Domain,
                self_trust_message(&estate.domain(trusted).name),
            );
        }
        Ok(())
    }

    /// Checks that `account` can be in the Administrators group of `machine` for a run:
    /// only the site's Software Installation account is added, and only on an NT SMS
    /// client (`SWIA-GRANT`). Removing a grant is always legal.
    pub fn check_grant(
        &self,
        estate: &Estate,
        machine: MachineId,
        account: AccountId,
        on: bool,
    ) -> Result<(), StateError> {
        if !on {
            return Ok(());
        }
        if estate.site().software_installation_account != Some(account) {
            return refuse(
                RuleId::SwiaGrant,
                Part::Account,
                format!(
                    "`{}` is not the Software Installation account, the only account a client adds to Administrators for a run",
                    estate.qualified_name(account)
                ),
            );
        }
        let m = estate.machine(machine);
        if !m.platform.is_nt() || !m.sms_client {
            return refuse(
                RuleId::SwiaGrant,
                Part::Client,
                format!(
                    "`{}` runs no Software Installation account program: it is not an NT SMS client",
                    m.name
                ),
            );
        }
        Ok(())
    }

    /// Whether a scenario file of `estate` with this state would load: every logon and
    /// connection replayed through the checks above from a quiet state with the same
    /// trusts, every stale password checked, and every group member and access-list
    /// entry through the loader's membership check with these trusts. The checks a
    /// change of the estate or of the trusts can break, asked of the whole (a trust
    /// removed in memory keeps what was made across it; a file cannot declare that).
    pub(crate) fn loads_with(&self, estate: &Estate) -> bool {
        let mut s = State::new(estate);
        for (a, b) in self.trust_pairs() {
            s.set_trust_unchecked(a, b, true);
        }
        for client in estate.machine_ids() {
            if let Some(u) = self.logged_on(client)
                && s.log_on(estate, client, u).is_err()
            {
                return false;
            }
            for kind in [SessionKind::Interactive, SessionKind::Service] {
                for c in self.session(client, kind) {
                    if s.connect(estate, client, kind, *c).is_err() {
                        return false;
                    }
                }
            }
        }
        if self
            .stale_pairs()
            .any(|(_, a)| self.check_stale(estate, a, true).is_err())
        {
            return false;
        }
        let directory = membership::Directory::of(estate, self);
        let members_fit = estate.account_ids().all(|g| {
            estate
                .account(g)
                .members
                .iter()
                .all(|&m| directory.member_refusal(g, m, "").is_none())
        });
        let lists_fit = estate.packages().iter().all(|p| {
            p.copies.iter().all(|c| {
                let server = estate.share(c.share).server;
                c.read
                    .iter()
                    .all(|&a| directory.access_refusal(server, a, "").is_none())
            })
        }) && estate.resources().iter().all(|r| {
            let server = estate.share(r.share).server;
            r.read
                .iter()
                .all(|&a| directory.access_refusal(server, a, "").is_none())
        });
        members_fit && lists_fit
    }
}
