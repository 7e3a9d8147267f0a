//! The accounts: made from their declarations, with their group members (each resolved
//! and checked against what the group's database may hold) and the user rights the
//! domains and machines grant.

use super::declare::{Decl, Place, SERVICE_ACCOUNT, TOKEN_ACCOUNT};
use super::*;
use crate::model::membership::{Directory, Trusts};

impl Lowerer {
    /// The one membership and access-list check ([`Directory`]) over the estate as it
    /// is built, with the trusts the file declares.
    pub(super) fn directory(&self) -> Directory<'_> {
        Directory {
            accounts: &self.accounts,
            machines: &self.machines,
            domains: &self.domains,
            trusts: Trusts::Declared(&self.trusts),
        }
    }

    /// Makes the accounts: from their declarations, then their members, the rights
    /// granted, and each client's token and service accounts.
    pub(super) fn accounts(&mut self, raw: &RawScenario) {
        let decls = self.declarations(raw);
        // Each NT machine's own token and service accounts, noted as they are made.
        let token_name = raw.site.token_account.as_deref().unwrap_or(TOKEN_ACCOUNT);
        let mut local_token = vec![None; self.machines.len()];
        let mut local_service = vec![None; self.machines.len()];
        let places = self.make_accounts(decls, token_name, &mut local_token, &mut local_service);
        self.index_accounts();
        self.members(raw, &places);
        drop(places);
        self.granted_rights(raw);
        self.client_accounts(token_name, &local_token, &local_service);
        self.computer_accounts();
    }

    /// Makes an account of each declaration that names one and is not a second
    /// declaration of it, noting each machine's own token and service accounts as they
    /// are made (the accounts come store by store, so this reads and writes in order).
    /// Returns where each account was declared.
    fn make_accounts(
        &mut self,
        mut decls: Vec<Decl<'_>>,
        token_name: &str,
        local_token: &mut [Option<AccountId>],
        local_service: &mut [Option<AccountId>],
    ) -> Vec<Place> {
        self.accounts.reserve(decls.len());
        // The declarations that become accounts are moved to the front, in place: a
        // million-client estate has millions, and a second list of them would double
        // the loader's peak memory.
        let mut kept = 0;
        for i in 0..decls.len() {
            let decl = &decls[i];
            if decl.name.is_empty() || decl.name.contains('\\') {
                self.problem(
                    decl.path.to_string(),
                    format!("`{}` is not an account name", decl.name),
                );
                continue;
            }
            // Sorted: a namesake in the same store is the one kept just before.
            let twice = kept > 0 && {
                let prev = &decls[kept - 1];
                prev.store == decl.store && prev.name.eq_ignore_ascii_case(&decl.name)
            };
            if twice {
                self.problem(
                    decl.path.to_string(),
                    format!("account `{}` is declared twice in its database", decl.name),
                );
                continue;
            }
            if decl.name.eq_ignore_ascii_case("Administrators")
                && decl.kind != AccountKind::LocalGroup
            {
                self.problem(decl.path.to_string(), "`Administrators` is the built-in local group; it cannot be another kind of account");
                continue;
            }
            let id = AccountId::from_index(self.accounts.len());
            if let Store::Local(m) = decl.store {
                // Independent tests: a site may name its token account `SMSCliSvcAcct&`,
                // and then the one account is both.
                if decl.name.eq_ignore_ascii_case(token_name) {
                    local_token[m.index()] = Some(id);
                }
                if decl.name.eq_ignore_ascii_case(SERVICE_ACCOUNT) {
                    local_service[m.index()] = Some(id);
                }
            }
            self.accounts.push(Account {
                name: Text::from(decl.name.as_ref()),
                store: decl.store,
                kind: decl.kind,
                members: Vec::new(),
                role: None,
                implied: decl.implied,
            });
            decls.swap(kept, i);
            kept += 1;
        }
        decls.truncate(kept);
        // Only where each account was declared is needed now.
        decls.iter().map(|d| d.path).collect()
    }

    /// Indexes the accounts by store and name, and finds each database's
    /// `Administrators`.
    fn index_accounts(&mut self) {
        // Each store's accounts are together, in name order.
        self.account_index = crate::model::names::AccountIndex::build(
            &self.accounts,
            self.domains.len(),
            self.machines.len(),
        );
        for d in 0..self.domains.len() {
            let store = Store::Domain(DomainId::from_index(d));
            if let Some(a) = self.account_in(store, "Administrators") {
                self.domains[d].administrators = a;
            }
        }
        for m in 0..self.machines.len() {
            let store = Store::Local(MachineId::from_index(m));
            if self.machines[m].administrators.is_some() {
                self.machines[m].administrators = self.account_in(store, "Administrators");
            }
        }
    }

    /// The members of every group, as its declaration lists them: each resolved, fit for
    /// the group's kind and accepted by its database, listed once.
    fn members(&mut self, raw: &RawScenario, places: &[Place]) {
        for (g, &place) in places.iter().enumerate() {
            let listed = place.members(raw);
            if listed.is_empty() {
                continue;
            }
            let store = self.accounts[g].store;
            let mut members = Vec::with_capacity(listed.len());
            // A long list marks its members in a flag an account: at a million clients
            // `Domain Users` lists half a million, far cheaper than a hash set.
            let mut seen: Vec<bool> = Vec::new();
            for (k, text) in listed.iter().enumerate() {
                let path = || format!("{place}.members[{k}]");
                // Found without a word; looked up again, with the problem, when not.
                let Some(m) = self
                    .find_ref(text, store)
                    .or_else(|| self.account_ref(text, Some(store), &path()))
                else {
                    continue;
                };
                if let Some(why) =
                    self.directory()
                        .member_refusal(AccountId::from_index(g), m, text)
                {
                    self.problem(path(), why);
                    continue;
                }
                // A short list is searched; a long one gets a flag an account.
                let twice = if members.len() < 16 {
                    members.contains(&m)
                } else {
                    if seen.is_empty() {
                        seen.resize(self.accounts.len(), false);
                        for &before in &members {
                            seen[before.index()] = true;
                        }
                    }
                    std::mem::replace(&mut seen[m.index()], true)
                };
                if twice {
                    self.problem(path(), format!("`{text}` is listed twice"));
                    continue;
                }
                members.push(m);
            }
            members.sort_unstable();
            self.accounts[g].members = members;
        }
    }

    /// The user rights the domains and machines grant.
    fn granted_rights(&mut self, raw: &RawScenario) {
        for (i, d) in raw.domains.iter().enumerate() {
            if let Some(&id) = self.domain_ids.get(&d.name) {
                let rights = self.rights(
                    &d.rights,
                    Store::Domain(id),
                    &format!("domains[{i}].rights"),
                );
                self.domains[id.index()].rights = rights;
                if let Some(holders) = &d.add_workstations {
                    let path = format!("domains[{i}].add_workstations");
                    let mut list = Vec::new();
                    for (j, n) in holders.iter().enumerate() {
                        if let Some(a) =
                            self.account_ref(n, Some(Store::Domain(id)), &format!("{path}[{j}]"))
                        {
                            list.push(a);
                        }
                    }
                    list.sort_unstable();
                    list.dedup();
                    self.domains[id.index()].add_workstations = Some(list);
                }
            }
        }
        for (i, m) in raw.machines.iter().enumerate() {
            // Most machines grant nothing: no place is named for them.
            if let Some(id) = self.machine_of_raw[i]
                && self.machines[id.index()].administrators.is_some()
                && !m.rights.is_empty()
            {
                let rights = self.rights(
                    &m.rights,
                    Store::Local(id),
                    &format!("machines[{i}].rights"),
                );
                self.machines[id.index()].rights = rights;
            }
            if let Some(id) = self.machine_of_raw[i]
                && !m.deny_network_logon.is_empty()
            {
                let path = format!("machines[{i}].deny_network_logon");
                if self.product != Product::ConfigMgr {
                    self.problem(path, "`deny_network_logon` is read only at a site of `product` `configmgr`: SMS 2.0's rules do not consult it (X-PRODUCT)".to_string());
                    continue;
                }
                for a in self.grants(&m.deny_network_logon, &path, id) {
                    self.network_logon_denied.push((id, a));
                }
            }
        }
    }

    pub(super) fn rights(
        &mut self,
        raw: &[RawRightGrant],
        store: Store,
        path: &str,
    ) -> Vec<(Right, AccountId)> {
        let mut out = BTreeSet::new();
        for (i, grant) in raw.iter().enumerate() {
            let Some(right) = Right::parse(&grant.right) else {
                let known = list(Right::ALL.iter().map(|r| r.as_str()));
                self.problem(
                    format!("{path}[{i}].right"),
                    format!(
                        "unknown user right `{}`; known rights are {known}",
                        grant.right
                    ),
                );
                continue;
            };
            for (j, holder) in grant.to.iter().enumerate() {
                let hpath = format!("{path}[{i}].to[{j}]");
                if let Some(a) = self.account_ref(holder, Some(store), &hpath) {
                    let dir = self.directory();
                    if !dir.accepts(store, a) {
                        let why = dir.refusal(store, a);
                        self.problem(
                            hpath,
                            format!("`{holder}` cannot hold a right there: {why}"),
                        );
                    } else {
                        out.insert((right, a));
                    }
                }
            }
        }
        out.into_iter().collect()
    }
}
