//! Declarations: every account the file declares, and every account Windows and SMS
//! setup create without being asked (each database's `Administrators`, the client token
//! and service accounts of NT clients, `SMS&_<DC>` and the shared token account of DC
//! clients, the default connection account `SMSClient_<site>`), in the order the
//! accounts are made; and which accounts become each client's token and service account.

use std::borrow::Cow;

use super::*;

/// The default client token account name (Q224286 abbreviates it `SMSCliTokn`).
pub(super) const TOKEN_ACCOUNT: &str = "SMSCliToknAcct&";
/// The client service account of NT clients other than DCs (Q231399).
pub(super) const SERVICE_ACCOUNT: &str = "SMSCliSvcAcct&";

pub(super) struct Decl<'r> {
    pub(super) store: Store,
    pub(super) name: Cow<'r, str>,
    pub(super) kind: AccountKind,
    pub(super) implied: bool,
    /// Where it is declared; its members as written are read from there.
    pub(super) path: Place,
}

impl Decl<'_> {
    /// The order accounts are made in: by store, then name (case-insensitive), then
    /// place, so that of namesakes the first declared is kept. No two share a key.
    pub(super) fn order(a: &Self, b: &Self) -> std::cmp::Ordering {
        (a.store, Folded(&a.name), a.path).cmp(&(b.store, Folded(&b.name), b.path))
    }
}

/// Where an account is declared: `domains[i].users[j]` and the like, made into text
/// only when a problem names it. Implied accounts have no place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Place {
    Implied,
    Domain(u32, List, u32),
    Machine(u32, List, u32),
}

/// The lists of a domain or a machine that declare accounts (in the order of their
/// names, which decides between two declarations of one account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum List {
    GlobalGroups,
    LocalGroups,
    Users,
}

impl Place {
    /// The members a group declared here lists, as written: none for a user or an
    /// implied account.
    pub(super) fn members(self, raw: &RawScenario) -> &[Text] {
        let i = |i: u32| i as usize;
        match self {
            Place::Domain(d, List::GlobalGroups, j) => {
                &raw.domains[i(d)].global_groups[i(j)].members
            }
            Place::Domain(d, List::LocalGroups, j) => &raw.domains[i(d)].local_groups[i(j)].members,
            Place::Machine(m, List::LocalGroups, j) => {
                &raw.machines[i(m)].local_groups[i(j)].members
            }
            _ => &[],
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |l: &List| match l {
            List::GlobalGroups => "global_groups",
            List::LocalGroups => "local_groups",
            List::Users => "users",
        };
        match self {
            Place::Implied => Ok(()),
            Place::Domain(i, l, j) => write!(f, "domains[{i}].{}[{j}]", list(l)),
            Place::Machine(i, l, j) => write!(f, "machines[{i}].{}[{j}]", list(l)),
        }
    }
}

/// A list of the file: its `j`th name is declared at `place(j)`.
fn declare<'r>(
    decls: &mut Vec<Decl<'r>>,
    store: Store,
    names: impl Iterator<Item = &'r str>,
    kind: AccountKind,
    place: impl Fn(u32) -> Place,
) {
    decls.extend(names.enumerate().map(|(j, name)| Decl {
        store,
        name: Cow::Borrowed(name),
        kind,
        implied: false,
        path: place(j as u32),
    }));
}

impl Lowerer {
    /// Every account to make, in the order they are made (see [`Decl::order`]): the
    /// domains' (declared, then implied), then each machine's.
    pub(super) fn declarations<'r>(&self, raw: &'r RawScenario) -> Vec<Decl<'r>> {
        let token_name: &'r str = raw.site.token_account.as_deref().unwrap_or(TOKEN_ACCOUNT);
        // Sized once: millions of declarations would otherwise be copied as they grow;
        // a machine implies at most three (Administrators, the token and service
        // accounts).
        let declared: usize = raw
            .domains
            .iter()
            .map(|d| d.users.len() + d.global_groups.len() + d.local_groups.len())
            .chain(
                raw.machines
                    .iter()
                    .map(|m| m.users.len() + m.local_groups.len()),
            )
            .sum();
        let mut decls = Vec::with_capacity(declared + 3 * self.machines.len());
        self.declare_in_domains(raw, &mut decls);
        self.imply_in_domains(raw, token_name, &mut decls);
        // The accounts are made in declaration order (store, then name, then place):
        // the domains' first, sorted here; then each machine's, in id order, each
        // machine's few sorted as they are made. No sort of millions.
        decls.sort_unstable_by(Decl::order);
        self.declare_on_machines(raw, token_name, &mut decls);
        debug_assert!(decls.is_sorted_by(|a, b| Decl::order(a, b).is_le()));
        decls
    }

    /// The users and groups the file declares in its domains.
    fn declare_in_domains<'r>(&self, raw: &'r RawScenario, decls: &mut Vec<Decl<'r>>) {
        for (i, d) in raw.domains.iter().enumerate() {
            let Some(&id) = self.domain_ids.get(&d.name) else {
                continue;
            };
            let store = Store::Domain(id);
            let i = i as u32;
            let users = d.users.iter().map(|u| u.as_str());
            declare(decls, store, users, AccountKind::User, |j| {
                Place::Domain(i, List::Users, j)
            });
            let globals = d.global_groups.iter().map(|g| g.name.as_str());
            declare(decls, store, globals, AccountKind::GlobalGroup, |j| {
                Place::Domain(i, List::GlobalGroups, j)
            });
            let locals = d.local_groups.iter().map(|g| g.name.as_str());
            declare(decls, store, locals, AccountKind::LocalGroup, |j| {
                Place::Domain(i, List::LocalGroups, j)
            });
        }
    }

    /// What Windows and SMS setup create in the domains without being asked, when the
    /// file does not declare it itself: each domain's `Administrators`; for each DC
    /// client, the domain's token account and `SMS&_<DC>`; the default connection
    /// account.
    fn imply_in_domains<'r>(
        &self,
        raw: &'r RawScenario,
        token_name: &'r str,
        decls: &mut Vec<Decl<'r>>,
    ) {
        // What Windows and SMS setup create without being asked, when the file does not
        // declare it itself, each once: in a domain, checked against a set of its
        // names (a domain may declare many); on a machine, against the machine's own
        // few declarations and what was just implied for it.
        let mut domain_implied: Vec<(Store, Cow<'r, str>, AccountKind)> = Vec::new();
        for (d, _) in self.domains.iter().enumerate() {
            domain_implied.push((
                Store::Domain(DomainId::from_index(d)),
                Cow::Borrowed("Administrators"),
                AccountKind::LocalGroup,
            ));
        }
        for machine in &self.machines {
            if let (true, Some(d)) = (Self::has_client_accounts(machine), machine.domain)
                && machine.platform.is_dc()
            {
                domain_implied.push((
                    Store::Domain(d),
                    Cow::Borrowed(token_name),
                    AccountKind::User,
                ));
                domain_implied.push((
                    Store::Domain(d),
                    Cow::Owned(format!("SMS&_{}", machine.name)),
                    AccountKind::User,
                ));
            }
        }
        // X-CM-AD: each member machine of an Active Directory domain has its computer
        // account there.
        for machine in &self.machines {
            if let Some(d) = machine.domain
                && self.domains[d.index()].forest.is_some()
            {
                domain_implied.push((
                    Store::Domain(d),
                    Cow::Owned(format!("{}$", machine.name)),
                    AccountKind::User,
                ));
            }
        }
        if raw.site.connection_accounts.is_none()
            && self.product == Product::Sms2
            && let Some(&d) = self.domain_ids.get(&raw.site.domain)
        {
            domain_implied.push((
                Store::Domain(d),
                Cow::Owned(format!("SMSClient_{}", raw.site.code)),
                AccountKind::User,
            ));
        }
        let mut in_domains: rustc_hash::FxHashSet<(Store, Folded<'_>)> = decls
            .iter()
            .map(|d| (d.store, Folded(d.name.as_ref())))
            .collect();
        let new: Vec<bool> = domain_implied
            .iter()
            .map(|(store, name, _)| in_domains.insert((*store, Folded(name))))
            .collect();
        drop(in_domains);
        decls.extend(
            domain_implied
                .into_iter()
                .zip(new)
                .filter(|(_, new)| *new)
                .map(|((store, name, kind), _)| Decl {
                    store,
                    name,
                    kind,
                    implied: true,
                    path: Place::Implied,
                }),
        );
    }

    /// Each machine's declared accounts and those Windows and SMS setup create on it
    /// (`Administrators`, the token and service accounts), in machine id order, each
    /// machine's sorted.
    fn declare_on_machines<'r>(
        &self,
        raw: &'r RawScenario,
        token_name: &'r str,
        decls: &mut Vec<Decl<'r>>,
    ) {
        let mut raw_of = vec![usize::MAX; self.machines.len()];
        for (i, id) in self.machine_of_raw.iter().enumerate() {
            if let Some(id) = id {
                raw_of[id.index()] = i;
            }
        }
        for (m, machine) in self.machines.iter().enumerate() {
            let store = Store::Local(MachineId::from_index(m));
            let start = decls.len();
            if machine.administrators.is_some() {
                let i = raw_of[m];
                let raw_machine = &raw.machines[i];
                let i = i as u32;
                let users = raw_machine.users.iter().map(|u| u.as_str());
                declare(decls, store, users, AccountKind::User, |j| {
                    Place::Machine(i, List::Users, j)
                });
                let locals = raw_machine.local_groups.iter().map(|g| g.name.as_str());
                declare(decls, store, locals, AccountKind::LocalGroup, |j| {
                    Place::Machine(i, List::LocalGroups, j)
                });
            }
            let imply = |decls: &mut Vec<Decl<'r>>, name: &'r str, kind| {
                if !decls[start..]
                    .iter()
                    .any(|d| d.name.eq_ignore_ascii_case(name))
                {
                    decls.push(Decl {
                        store,
                        name: Cow::Borrowed(name),
                        kind,
                        implied: true,
                        path: Place::Implied,
                    });
                }
            };
            if machine.administrators.is_some() {
                imply(decls, "Administrators", AccountKind::LocalGroup);
            }
            // A DC's client accounts are in its domain (above).
            if Self::has_client_accounts(machine)
                && !(machine.platform.is_dc() && machine.domain.is_some())
            {
                imply(decls, token_name, AccountKind::User);
                imply(decls, SERVICE_ACCOUNT, AccountKind::User);
            }
            decls[start..].sort_unstable_by(Decl::order);
        }
    }

    /// Whether SMS setup makes client token and service accounts for `machine`: an NT
    /// machine with the SMS client.
    pub(super) fn has_client_accounts(machine: &Machine) -> bool {
        machine.sms_client && machine.platform.is_nt()
    }

    /// Each Active Directory member machine's computer account `NAME$`, found as it was
    /// made, and its role (`X-CM-AD`).
    pub(super) fn computer_accounts(&mut self) {
        for m in 0..self.machines.len() {
            let Some(d) = self.machines[m].domain else {
                continue;
            };
            if self.domains[d.index()].forest.is_none() {
                continue;
            }
            let name = format!("{}$", self.machines[m].name);
            let Some(a) = self.account_in(Store::Domain(d), &name) else {
                continue;
            };
            if self.accounts[a.index()].kind != AccountKind::User {
                self.problem(
                    format!("machines[{m}]"),
                    format!(
                        "`{name}` is a group, but it is the computer account of `{}` (X-CM-AD)",
                        self.machines[m].name
                    ),
                );
                continue;
            }
            self.accounts[a.index()].role = Some(SmsRole::ComputerAccount);
            self.machines[m].computer_account = Some(a);
        }
    }

    /// Each NT SMS client's token and service accounts (a DC's in its domain, any
    /// other's in its own SAM, found as they were made), and their SMS roles.
    pub(super) fn client_accounts(
        &mut self,
        token_name: &str,
        local_token: &[Option<AccountId>],
        local_service: &[Option<AccountId>],
    ) {
        for m in 0..self.machines.len() {
            let machine = &self.machines[m];
            if !machine.sms_client || !machine.platform.is_nt() {
                continue;
            }
            let id = MachineId::from_index(m);
            let (token, service) = match machine.domain {
                Some(d) if machine.platform.is_dc() => (
                    self.account_in(Store::Domain(d), token_name),
                    self.account_in(Store::Domain(d), &format!("SMS&_{}", machine.name)),
                ),
                _ => (local_token[id.index()], local_service[id.index()]),
            };
            self.machines[m].token_account = token;
            self.machines[m].service_account = service;
            if let (Some(d), true) = (self.machines[m].domain, self.machines[m].platform.is_dc()) {
                self.domains[d.index()].token_account = token;
            }
            for (a, role) in [
                (token, SmsRole::ClientToken),
                (service, SmsRole::ClientService),
            ] {
                let Some(a) = a else { continue };
                // One account may be both: a site may name its token account
                // `SMSCliSvcAcct&`, or `SMS&_` and a DC's name. It is checked once and
                // keeps the token role, which the decision rules (`SVC-TOKEN-RIGHTS`, A3)
                // are about; the exposure graph gives it the service account's standing
                // membership too.
                if role == SmsRole::ClientService && Some(a) == token {
                    continue;
                }
                if self.accounts[a.index()].kind != AccountKind::User {
                    let name = self.accounts[a.index()].name.clone();
                    let machine = self.machines[m].name.clone();
                    self.problem(
                        "site",
                        format!("`{name}` is a group, but SMS runs `{machine}`'s client service and token as a user account of that name"),
                    );
                    continue;
                }
                self.accounts[a.index()].role = Some(role);
            }
        }
    }
}
