//! Name resolution while the estate is built: the file's names of domains, machines,
//! account databases, accounts and shares, resolved to ids, with a problem naming the
//! known names when one is unknown.

use super::*;
use crate::scenario::resolve;

/// How far past the last machine found a list's next name is looked for before the
/// name table is asked.
const NEAR: usize = 8;

/// The machine named `name` among the few that follow position `from`, if it is one of
/// them: long lists (a collection of every client, the logons, the connections) are
/// most often written in the order the machines are declared, with gaps, so a few
/// comparisons of adjacent names find most entries without a probe of a table far
/// larger than the cache.
pub(super) fn near(machines: &[Machine], from: usize, name: &str) -> Option<MachineId> {
    let end = machines.len().min(from.saturating_add(NEAR));
    (from.min(end)..end)
        .find(|&i| machines[i].name.eq_ignore_ascii_case(name))
        .map(MachineId::from_index)
}

impl Lowerer {
    pub(super) fn domain_ref(&mut self, name: &str, path: &str) -> Option<DomainId> {
        if let Some(&d) = self.domain_ids.get(name) {
            return Some(d);
        }
        let known = self.domains.iter().map(|d| &d.name);
        self.problem(path, resolve::unknown("domain", "domains", name, known));
        None
    }

    pub(super) fn machine_ref(&mut self, name: &str, path: &str) -> Option<MachineId> {
        if let Some(m) = self.find_machine(name) {
            return Some(m);
        }
        let known = self.machines.iter().map(|m| &m.name);
        self.problem(path, resolve::unknown("machine", "machines", name, known));
        None
    }

    /// A machine by name, without a problem when there is none.
    pub(super) fn find_machine(&self, name: &str) -> Option<MachineId> {
        let machines = &self.machines;
        self.machine_ids
            .get(name, |i| &machines[i].name)
            .map(MachineId::from_index)
    }

    /// The account `name` of `store`, in any case.
    pub(super) fn account_in(&self, store: Store, name: &str) -> Option<AccountId> {
        self.account_index.find(&self.accounts, store, name)
    }

    pub(super) fn store_ref(&mut self, name: &str, path: &str) -> Option<Store> {
        if let Some(&d) = self.domain_ids.get(name) {
            return Some(Store::Domain(d));
        }
        if let Some(m) = self.find_machine(name) {
            if self.machines[m.index()].administrators.is_some() {
                return Some(Store::Local(m));
            }
            let platform = self.machines[m.index()].platform;
            self.problem(path, resolve::no_accounts(name, platform));
            return None;
        }
        self.problem(path, resolve::unknown_store(name));
        None
    }

    /// `STORE\name`, or `name` in `default`, when it names an account; nothing is
    /// reported when it does not (see `account_ref`).
    pub(super) fn find_ref(&self, text: &str, default: Store) -> Option<AccountId> {
        let (store, name) = match text.split_once('\\') {
            None => (default, text),
            Some((store, name)) => {
                let store = match self.domain_ids.get(store) {
                    Some(&d) => Store::Domain(d),
                    None => {
                        let m = self.find_machine(store)?;
                        self.machines[m.index()].administrators?;
                        Store::Local(m)
                    }
                };
                (store, name)
            }
        };
        self.account_in(store, name)
    }

    /// Resolves `STORE\name`, or `name` in `default` when given.
    pub(super) fn account_ref(
        &mut self,
        text: &str,
        default: Option<Store>,
        path: &str,
    ) -> Option<AccountId> {
        let (store, name) = match (text.split_once('\\'), default) {
            (Some((store, name)), _) => (self.store_ref(store, path)?, name),
            (None, Some(store)) => (store, text),
            (None, None) => {
                self.problem(path, resolve::no_store(text));
                return None;
            }
        };
        if let Some(a) = self.account_in(store, name) {
            return Some(a);
        }
        let store_name = match store {
            Store::Domain(d) => self.domains[d.index()].name.clone(),
            Store::Local(m) => self.machines[m.index()].name.clone(),
        };
        let known = self.accounts[self.account_index.of_store(store)]
            .iter()
            .map(|a| &a.name);
        let message = resolve::unknown_account(name, &store_name, known);
        self.problem(path, message);
        None
    }

    pub(super) fn share_ref(
        &mut self,
        text: &str,
        path: &str,
        need_share: bool,
    ) -> Option<(MachineId, Option<ShareId>)> {
        let Some((server, share)) = parse_unc(text) else {
            let form = if need_share {
                "`\\\\server\\share`"
            } else {
                "`\\\\server` or `\\\\server\\share`"
            };
            self.problem(
                path,
                format!("`{text}` is not a network path; expected {form}"),
            );
            return None;
        };
        let m = self.machine_ref(server, path)?;
        if self.machines[m.index()].platform.is_win9x() {
            self.problem(
                path,
                format!("`{server}` runs Windows 95/98; servers of the model are NT 4.0 machines"),
            );
            return None;
        }
        let Some(share) = share else {
            if need_share {
                self.problem(
                    path,
                    format!("`{text}` names a server only; expected `\\\\server\\share`"),
                );
                return None;
            }
            return Some((m, None));
        };
        let id = *self.share_ids.entry((m, key(share))).or_insert_with(|| {
            self.shares.push(Share {
                server: m,
                name: share.to_string(),
            });
            ShareId::from_index(self.shares.len() - 1)
        });
        Some((m, Some(id)))
    }
}
