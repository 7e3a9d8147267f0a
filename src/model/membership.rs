//! What an account database can hold: the one check of a group's member and of an
//! access-list entry. The scenario loader applies it to the members and read lists a
//! file declares, while it builds the estate; a timeline file's loader applies it to the
//! members and read grants its events add, with the trusts of that moment. Both say why
//! in the same words.

use super::{Account, AccountId, AccountKind, Domain, DomainId, Machine, MachineId, Platform};
use super::{Estate, State, Store};

use std::collections::BTreeSet;

/// The accounts, machines, domains and trusts the check reads: those of an estate being
/// built (the loader), or of a finished estate with a state's trusts (a timeline).
pub(crate) struct Directory<'a> {
    /// Every account, by id.
    pub(crate) accounts: &'a [Account],
    /// Every machine, by id.
    pub(crate) machines: &'a [Machine],
    /// Every domain, by id.
    pub(crate) domains: &'a [Domain],
    /// The trusts in force.
    pub(crate) trusts: Trusts<'a>,
}

/// The trusts a [`Directory`] reads.
pub(crate) enum Trusts<'a> {
    /// As a scenario file declares them, (trusting, trusted).
    Declared(&'a BTreeSet<(DomainId, DomainId)>),
    /// As a state holds them at a moment of a timeline.
    Now(&'a State),
}

impl Trusts<'_> {
    fn trusts(&self, trusting: DomainId, trusted: DomainId) -> bool {
        match self {
            Trusts::Declared(set) => set.contains(&(trusting, trusted)),
            Trusts::Now(state) => state.trusts(trusting, trusted),
        }
    }
}

impl<'a> Directory<'a> {
    /// The directory of a finished estate, with the trusts `state` holds.
    pub(crate) fn of(estate: &'a Estate, state: &'a State) -> Directory<'a> {
        Directory {
            accounts: &estate.accounts,
            machines: &estate.machines,
            domains: &estate.domains,
            trusts: Trusts::Now(state),
        }
    }

    fn store_name(&self, store: Store) -> &str {
        match store {
            Store::Domain(d) => &self.domains[d.index()].name,
            Store::Local(m) => &self.machines[m.index()].name,
        }
    }

    /// Whether the database `store` can hold `member` in a group or an access list: its
    /// own accounts, and those of its domain or of a domain that domain trusts directly
    /// (A9, A10).
    pub(crate) fn accepts(&self, store: Store, member: AccountId) -> bool {
        let member_store = self.accounts[member.index()].store;
        if member_store == store {
            return true;
        }
        let Store::Domain(d) = member_store else {
            return false;
        };
        let home = match store {
            Store::Domain(x) => Some(x),
            Store::Local(m) => self.machines[m.index()].domain,
        };
        home.is_some_and(|h| h == d || self.trusts.trusts(h, d))
    }

    /// Explains why `store` cannot hold `member`.
    pub(crate) fn refusal(&self, store: Store, member: AccountId) -> String {
        match self.accounts[member.index()].store {
            Store::Local(_) => format!(
                "a local account of another machine means nothing to `{}`",
                self.store_name(store)
            ),
            Store::Domain(d) => format!(
                "`{}` is neither `{}`'s domain nor a domain it trusts (A9)",
                self.domains[d.index()].name,
                self.store_name(store)
            ),
        }
    }

    /// Why `member` (written `text`) cannot be a member of `group`, if it cannot: a
    /// global group holds users of its own domain; a local group holds users and global
    /// groups, of its own database or of a domain that database accepts.
    pub(crate) fn member_refusal(
        &self,
        group: AccountId,
        member: AccountId,
        text: &str,
    ) -> Option<String> {
        let g = &self.accounts[group.index()];
        let m = &self.accounts[member.index()];
        let fits = match g.kind {
            AccountKind::GlobalGroup => m.kind == AccountKind::User && m.store == g.store,
            AccountKind::LocalGroup => m.kind != AccountKind::LocalGroup,
            AccountKind::User => true,
        };
        let why = if !fits {
            match g.kind {
                AccountKind::GlobalGroup => {
                    "a global group holds users of its own domain".to_string()
                }
                _ => {
                    "a local group holds users and global groups of its own database or of a domain"
                        .to_string()
                }
            }
        } else if g.kind == AccountKind::LocalGroup && !self.accepts(g.store, member) {
            self.refusal(g.store, member)
        } else {
            return None;
        };
        Some(format!(
            "`{text}` cannot be a member of `{}`: {why}",
            g.name
        ))
    }

    /// Why `account` (written `text`) cannot be in an access list on a share of
    /// `server`, if it cannot: the server's database (its domain's on a DC) must accept
    /// it.
    pub(crate) fn access_refusal(
        &self,
        server: MachineId,
        account: AccountId,
        text: &str,
    ) -> Option<String> {
        let machine = &self.machines[server.index()];
        let store = match machine.platform {
            Platform::NtDomainController(_) | Platform::WindowsDomainController => {
                machine.domain.map(Store::Domain)
            }
            _ => Some(Store::Local(server)),
        }?;
        if self.accepts(store, account) {
            return None;
        }
        Some(format!(
            "`{text}` cannot be in an access list on `{}`: {}",
            machine.name,
            self.refusal(store, account)
        ))
    }
}
