//! Lowering: raw file types -> validated [`Scenario`]. Every name is resolved to a typed
//! id here, once; every problem of the file is collected with its JSON path before the
//! load fails. Unordered lists are put in a canonical order (by name, or by id), so the
//! same estate written in another order loads to the same value; the lists whose order
//! means something (connection accounts, package copies, connections) keep theirs.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use super::raw::*;
use super::{SCHEMA_VERSION, Scenario, Warning};
use crate::model::names::{Folded, NameMap};
use crate::model::*;
use crate::rules::RuleId;

type Problems = Vec<(String, String)>;

/// rustc-hash 2: fast on the short names of a scenario and, unlike the first FxHash,
/// mixes them well enough that `C1`..`C999999` do not collide into long probe chains.
type Map<K, V> = rustc_hash::FxHashMap<K, V>;

/// The default client token account name (Q224286 abbreviates it `SMSCliTokn`).
pub(crate) const TOKEN_ACCOUNT: &str = "SMSCliToknAcct&";
/// The client service account of NT clients other than DCs (Q231399).
pub(crate) const SERVICE_ACCOUNT: &str = "SMSCliSvcAcct&";

fn role_name(role: SmsRole) -> &'static str {
    match role {
        SmsRole::ClientToken => "client token account",
        SmsRole::ClientService => "client service account",
        SmsRole::ConnectionAccount => "client network connection account",
        SmsRole::SoftwareInstallation => "Software Installation account",
    }
}

fn key(name: &str) -> String {
    name.to_ascii_uppercase()
}

fn list(names: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let names: Vec<String> = names
        .into_iter()
        .map(|n| format!("`{}`", n.as_ref()))
        .collect();
    match names.len() {
        0 => "none".to_string(),
        1..=8 => names.join(", "),
        n => format!("{}, and {} more", names[..8].join(", "), n - 8),
    }
}

/// Sorts indices of a raw list by the names they carry, case-insensitively.
fn by_name<T>(items: &[T], name: impl Fn(&T) -> &str) -> Vec<usize> {
    // Each name's first eight bytes, upper-cased, as a number in the same order: most
    // comparisons end there, without reading the items again (a million machines would
    // otherwise be read at random, twenty times each).
    let prefix = |text: &str| {
        let mut w = [0u8; 8];
        let n = text.len().min(8);
        w[..n].copy_from_slice(&text.as_bytes()[..n]);
        w.make_ascii_uppercase();
        u64::from_be_bytes(w)
    };
    let mut order: Vec<(u64, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (prefix(name(item)), i))
        .collect();
    // The position breaks ties, so the order is total and an unstable sort gives it.
    order.sort_unstable_by(|&(pa, a), &(pb, b)| {
        pa.cmp(&pb)
            .then_with(|| Folded(name(&items[a])).cmp(&Folded(name(&items[b]))))
            .then(a.cmp(&b))
    });
    order.into_iter().map(|(_, i)| i).collect()
}

/// Splits `\\server` or `\\server\share`.
fn parse_unc(text: &str) -> Option<(&str, Option<&str>)> {
    let rest = text.strip_prefix("\\\\")?;
    let (server, share) = match rest.split_once('\\') {
        Some((server, share)) => (server, Some(share)),
        None => (rest, None),
    };
    let valid = |s: &str| !s.is_empty() && !s.contains(['\\', '/']);
    (valid(server) && share.is_none_or(valid)).then_some((server, share))
}

struct Decl<'r> {
    store: Store,
    name: Cow<'r, str>,
    kind: AccountKind,
    implied: bool,
    /// Where it is declared; its members as written are read from there.
    path: Place,
}

impl Decl<'_> {
    /// The order accounts are made in: by store, then name (case-insensitive), then
    /// place, so that of namesakes the first declared is kept. No two share a key.
    fn order(a: &Self, b: &Self) -> std::cmp::Ordering {
        (a.store, Folded(&a.name), a.path).cmp(&(b.store, Folded(&b.name), b.path))
    }
}

/// Where an account is declared: `domains[i].users[j]` and the like, made into text
/// only when a problem names it. Implied accounts have no place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Implied,
    Domain(u32, List, u32),
    Machine(u32, List, u32),
}

/// The lists of a domain or a machine that declare accounts (in the order of their
/// names, which decides between two declarations of one account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum List {
    GlobalGroups,
    LocalGroups,
    Users,
}

impl Place {
    /// The members a group declared here lists, as written: none for a user or an
    /// implied account.
    fn members(self, raw: &RawScenario) -> &[Text] {
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

#[derive(Default)]
struct Lowerer {
    problems: Problems,
    domains: Vec<Domain>,
    domain_ids: NameMap<DomainId>,
    machines: Vec<Machine>,
    machine_ids: crate::model::names::NameIndex,
    /// The machine each entry of the file's `machines` became, if it became one.
    machine_of_raw: Vec<Option<MachineId>>,
    accounts: Vec<Account>,
    /// Accounts by store and name; empty until the accounts are made.
    account_index: crate::model::names::AccountIndex,
    shares: Vec<Share>,
    share_ids: Map<(MachineId, String), ShareId>,
    /// The trusts the file declares, as (trusting, trusted): Windows checks them when an
    /// account of another domain is put into a group or an access list.
    trusts: BTreeSet<(DomainId, DomainId)>,
}

/// Lowers a parsed file, or returns every (path, message) problem found.
pub(super) fn lower(raw: &RawScenario) -> Result<Scenario, Problems> {
    let mut l = Lowerer::default();
    if raw.schema_version != SCHEMA_VERSION {
        l.problem(
            "schema_version",
            format!(
                "unsupported version `{}`; expected `{SCHEMA_VERSION}`",
                raw.schema_version
            ),
        );
    }
    let assumptions = assumptions(&raw.assumptions);
    l.domains(raw);
    l.machines(raw);
    l.shares(raw);
    l.accounts(raw);
    let site = l.site(raw);
    let resources = l.resources(raw);
    let (packages, package_ids) = l.packages(raw, site.as_ref());
    let (programs, program_ids) = l.programs(raw, &package_ids, &resources, site.as_ref());
    let (collections, collection_ids) = l.collections(raw);
    let advertisements = l.advertisements(raw, &program_ids, &collections, &collection_ids);
    let Some(site) = site else {
        return Err(l.problems);
    };
    if !l.problems.is_empty() {
        return Err(l.problems);
    }
    let mut advertisement_ids = NameMap::default();
    for (i, a) in advertisements.iter().enumerate() {
        advertisement_ids.insert(&a.name, AdvertisementId::from_index(i));
    }
    let names = Names {
        machines: std::mem::take(&mut l.machine_ids),
        domains: std::mem::take(&mut l.domain_ids),
        advertisements: advertisement_ids,
    };
    let mut estate = Estate {
        names,
        account_index: std::mem::take(&mut l.account_index),
        domains: l.domains,
        machines: l.machines,
        accounts: l.accounts,
        shares: l.shares,
        site,
        packages,
        programs,
        collections,
        advertisements,
        resources: resources.into_iter().map(|(_, r)| r).collect(),
        assumptions,
        member_of_start: Vec::new(),
        member_of: Vec::new(),
    };
    estate.index_memberships();
    let mut problems = Vec::new();
    let state = state(raw, &estate, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let expectations = super::expect::lower(&raw.expectations, &estate, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let warnings = warnings(raw, &estate, &state);
    Ok(Scenario {
        description: raw.description.as_ref().map(|d| d.to_string()),
        estate,
        state,
        warnings,
        expectations,
    })
}

fn assumptions(raw: &RawAssumptions) -> Assumptions {
    let d = Assumptions::default();
    Assumptions {
        admin_rights_policy: match raw.admin_rights_policy {
            None => d.admin_rights_policy,
            Some(RawAdminRightsPolicy::ServiceIfUserLacksRights) => {
                AdminRightsPolicy::ServiceIfUserLacksRights
            }
            Some(RawAdminRightsPolicy::AlwaysService) => AdminRightsPolicy::AlwaysService,
        },
        token_admin_membership: match raw.token_admin_membership {
            None => d.token_admin_membership,
            Some(RawTokenAdminMembership::Standing) => TokenAdminMembership::Standing,
            Some(RawTokenAdminMembership::TransientOnMemberClients) => {
                TokenAdminMembership::TransientOnMemberClients
            }
        },
        swia_dp_context: match raw.swia_dp_context {
            None => d.swia_dp_context,
            Some(RawSwiaDpContext::ClientTokenAccount) => SwiaDpContext::ClientTokenAccount,
            Some(RawSwiaDpContext::SoftwareInstallationAccount) => {
                SwiaDpContext::SoftwareInstallationAccount
            }
        },
        connection_scope: match raw.connection_scope {
            None => d.connection_scope,
            Some(RawConnectionScope::LogonSession) => ConnectionScope::LogonSession,
            Some(RawConnectionScope::Machine) => ConnectionScope::Machine,
        },
        win9x_connection_accounts: match raw.win9x_connection_accounts {
            None => d.win9x_connection_accounts,
            Some(RawWin9xConnectionAccounts::NotUsed) => Win9xConnectionAccounts::NotUsed,
            Some(RawWin9xConnectionAccounts::Used) => Win9xConnectionAccounts::Used,
        },
        service_pack: match raw.service_pack {
            None => d.service_pack,
            Some(RawServicePack::Sp2) => ServicePack::Sp2,
            Some(RawServicePack::RtmSp1) => ServicePack::RtmSp1,
        },
        swia_secret_on_clients: raw
            .swia_secret_on_clients
            .unwrap_or(d.swia_secret_on_clients),
    }
}

impl Lowerer {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push((path.into(), message.into()));
    }

    /// Whether the database `store` (a machine's SAM or a domain's) can hold `member` in
    /// a group or an access list: its own accounts, and those of its domain or of a
    /// domain that domain trusts directly (A9, A10).
    fn accepts(&self, store: Store, member: AccountId) -> bool {
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
        home.is_some_and(|h| h == d || self.trusts.contains(&(h, d)))
    }

    /// Explains why `store` cannot hold `member`.
    fn refusal(&self, store: Store, member: AccountId) -> String {
        let name = |st: Store| match st {
            Store::Domain(d) => self.domains[d.index()].name.clone(),
            Store::Local(m) => self.machines[m.index()].name.clone(),
        };
        match self.accounts[member.index()].store {
            Store::Local(_) => format!(
                "a local account of another machine means nothing to `{}`",
                name(store)
            ),
            Store::Domain(d) => format!(
                "`{}` is neither `{}`'s domain nor a domain it trusts (A9)",
                self.domains[d.index()].name,
                name(store)
            ),
        }
    }

    fn domain_ref(&mut self, name: &str, path: &str) -> Option<DomainId> {
        if let Some(&d) = self.domain_ids.get(name) {
            return Some(d);
        }
        let known = list(self.domains.iter().map(|d| &d.name));
        self.problem(
            path,
            format!("unknown domain `{name}`; known domains are {known}"),
        );
        None
    }

    fn machine_ref(&mut self, name: &str, path: &str) -> Option<MachineId> {
        if let Some(m) = self.find_machine(name) {
            return Some(m);
        }
        let known = list(self.machines.iter().map(|m| &m.name));
        self.problem(
            path,
            format!("unknown machine `{name}`; known machines are {known}"),
        );
        None
    }

    /// A machine by name, without a problem when there is none.
    fn find_machine(&self, name: &str) -> Option<MachineId> {
        let machines = &self.machines;
        self.machine_ids
            .get(name, |i| &machines[i].name)
            .map(MachineId::from_index)
    }

    /// The account `name` of `store`, in any case.
    fn account_in(&self, store: Store, name: &str) -> Option<AccountId> {
        self.account_index.find(&self.accounts, store, name)
    }

    fn store_ref(&mut self, name: &str, path: &str) -> Option<Store> {
        if let Some(&d) = self.domain_ids.get(name) {
            return Some(Store::Domain(d));
        }
        if let Some(m) = self.find_machine(name) {
            if self.machines[m.index()].administrators.is_some() {
                return Some(Store::Local(m));
            }
            let what = if self.machines[m.index()].platform.is_dc() {
                "a domain controller keeps its accounts in its domain's database"
            } else {
                "Windows 95/98 have no account database"
            };
            self.problem(path, format!("`{name}` has no accounts of its own: {what}"));
            return None;
        }
        self.problem(path, format!("unknown domain or machine `{name}`"));
        None
    }

    /// `STORE\name`, or `name` in `default`, when it names an account; nothing is
    /// reported when it does not (see `account_ref`).
    fn find_ref(&self, text: &str, default: Store) -> Option<AccountId> {
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
    fn account_ref(&mut self, text: &str, default: Option<Store>, path: &str) -> Option<AccountId> {
        let (store, name) = match (text.split_once('\\'), default) {
            (Some((store, name)), _) => (self.store_ref(store, path)?, name),
            (None, Some(store)) => (store, text),
            (None, None) => {
                self.problem(path, format!("`{text}` names no account database; expected `DOMAIN\\name` or `MACHINE\\name`"));
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
        let known = list(
            self.accounts[self.account_index.of_store(store)]
                .iter()
                .map(|a| &a.name),
        );
        self.problem(
            path,
            format!("unknown account `{name}` in `{store_name}`; it has {known}"),
        );
        None
    }

    fn share_ref(
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

    /// Interns every share the file names, in a canonical order (server, then share
    /// name), so that share ids do not depend on where in the file a path first appears.
    /// Problems with these paths are reported where each is used.
    fn shares(&mut self, raw: &RawScenario) {
        let paths = raw
            .site
            .cap
            .iter()
            .chain(&raw.site.distribution_points)
            .chain(raw.resources.iter().map(|r| &r.path))
            .chain(
                raw.packages
                    .iter()
                    .flat_map(|p| p.copies.iter().map(|c| &c.distribution_point)),
            )
            .chain(raw.state.connections.iter().map(|c| &c.path));
        let mut found = BTreeSet::new();
        for path in paths {
            if let Some((server, Some(share))) = parse_unc(path)
                && let Some(m) = self.find_machine(server)
                && !self.machines[m.index()].platform.is_win9x()
            {
                found.insert((m, key(share), share.to_string()));
            }
        }
        for (m, k, name) in found {
            if let std::collections::hash_map::Entry::Vacant(slot) = self.share_ids.entry((m, k)) {
                slot.insert(ShareId::from_index(self.shares.len()));
                self.shares.push(Share { server: m, name });
            }
        }
    }

    fn domains(&mut self, raw: &RawScenario) {
        for i in by_name(&raw.domains, |d| &d.name) {
            let d = &raw.domains[i];
            let path = format!("domains[{i}].name");
            if d.name.is_empty() || d.name.contains(['\\', ' ']) {
                self.problem(path, format!("`{}` is not a NetBIOS domain name", d.name));
                continue;
            }
            if self.domain_ids.contains(&d.name) {
                self.problem(path, format!("domain `{}` is declared twice", d.name));
                continue;
            }
            self.domain_ids
                .insert(&d.name, DomainId::from_index(self.domains.len()));
            self.domains.push(Domain {
                name: d.name.clone(),
                administrators: AccountId::from_index(0),
                rights: Vec::new(),
                controllers: Vec::new(),
                token_account: None,
            });
        }
        for (i, d) in raw.domains.iter().enumerate() {
            for (j, t) in d.trusts.iter().enumerate() {
                let path = format!("domains[{i}].trusts[{j}]");
                let trusted = self.domain_ref(t, &path);
                if trusted.is_some() && key(t) == key(&d.name) {
                    self.problem(path, format!("domain `{t}` cannot trust itself"));
                } else if let (Some(b), Some(&a)) = (trusted, self.domain_ids.get(&d.name)) {
                    self.trusts.insert((a, b));
                }
            }
        }
    }

    fn machines(&mut self, raw: &RawScenario) {
        self.machines.reserve(raw.machines.len());
        let machines = &self.machines;
        self.machine_ids
            .reserve(raw.machines.len(), |i| &machines[i].name);
        self.machine_of_raw = vec![None; raw.machines.len()];
        for i in by_name(&raw.machines, |m| &m.name) {
            let m = &raw.machines[i];
            let path = || format!("machines[{i}]");
            if m.name.is_empty() || m.name.contains(['\\', ' ']) {
                self.problem(
                    format!("{}.name", path()),
                    format!("`{}` is not a NetBIOS computer name", m.name),
                );
                continue;
            }
            // In name order: a namesake already made is the one made last.
            if self
                .machines
                .last()
                .is_some_and(|p| p.name.eq_ignore_ascii_case(&m.name))
            {
                self.problem(
                    format!("{}.name", path()),
                    format!("machine `{}` is declared twice", m.name),
                );
                continue;
            }
            if self.domain_ids.contains(&m.name) {
                self.problem(
                    format!("{}.name", path()),
                    format!("`{}` is already a domain name; NetBIOS names of domains and computers are one namespace", m.name),
                );
                continue;
            }
            let platform = match m.platform {
                RawPlatform::Windows95 => Platform::Windows95,
                RawPlatform::Windows98 => Platform::Windows98,
                RawPlatform::Nt4Workstation => Platform::NtWorkstation,
                RawPlatform::Nt4Server => Platform::NtServer,
                RawPlatform::Nt4Pdc => Platform::NtDomainController(DcRole::Pdc),
                RawPlatform::Nt4Bdc => Platform::NtDomainController(DcRole::Bdc),
            };
            let domain = match &m.domain {
                Some(d) => match self.domain_ids.get(d) {
                    Some(&id) => Some(id),
                    None => self.domain_ref(d, &format!("{}.domain", path())),
                },
                None => None,
            };
            if platform.is_dc() && m.domain.is_none() {
                self.problem(
                    format!("{}.domain", path()),
                    format!("domain controller `{}` must name its domain", m.name),
                );
            }
            let id = MachineId::from_index(self.machines.len());
            if let (Platform::NtDomainController(role), Some(d)) = (platform, domain) {
                let dom = &mut self.domains[d.index()];
                if role == DcRole::Pdc {
                    let pdc = dom.controllers.iter().find(|c| {
                        self.machines[c.index()].platform
                            == Platform::NtDomainController(DcRole::Pdc)
                    });
                    if let Some(other) = pdc {
                        let (other, dname) =
                            (self.machines[other.index()].name.clone(), dom.name.clone());
                        self.problem(
                            format!("{}.platform", path()),
                            format!(
                                "domain `{dname}` already has PDC `{other}`; a domain has one PDC"
                            ),
                        );
                    }
                }
                self.domains[d.index()].controllers.push(id);
            }
            let own_sam = matches!(platform, Platform::NtWorkstation | Platform::NtServer);
            if !own_sam {
                let why = if platform.is_dc() {
                    "a domain controller keeps its accounts in its domain's database; declare them in the domain"
                } else {
                    "Windows 95/98 have no account database"
                };
                for (field, n) in [
                    ("users", m.users.len()),
                    ("local_groups", m.local_groups.len()),
                    ("rights", m.rights.len()),
                ] {
                    if n > 0 {
                        self.problem(
                            format!("{}.{field}", path()),
                            format!("`{}` cannot hold {field}: {why}", m.name),
                        );
                    }
                }
            }
            self.machine_of_raw[i] = Some(id);
            self.machines.push(Machine {
                name: m.name.clone(),
                platform,
                domain,
                sms_client: m.sms_client,
                administrators: own_sam.then(|| AccountId::from_index(0)),
                rights: Vec::new(),
                token_account: None,
                service_account: None,
            });
            let machines = &self.machines;
            self.machine_ids
                .insert_new(id.index(), |i| &machines[i].name);
        }
    }

    fn declarations<'r>(&self, raw: &'r RawScenario) -> Vec<Decl<'r>> {
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
        // A list of the file: its `j`th name is declared at `place(j)`.
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
        for (i, d) in raw.domains.iter().enumerate() {
            let Some(&id) = self.domain_ids.get(&d.name) else {
                continue;
            };
            let store = Store::Domain(id);
            let i = i as u32;
            let users = d.users.iter().map(|u| u.as_str());
            declare(&mut decls, store, users, AccountKind::User, |j| {
                Place::Domain(i, List::Users, j)
            });
            let globals = d.global_groups.iter().map(|g| g.name.as_str());
            declare(&mut decls, store, globals, AccountKind::GlobalGroup, |j| {
                Place::Domain(i, List::GlobalGroups, j)
            });
            let locals = d.local_groups.iter().map(|g| g.name.as_str());
            declare(&mut decls, store, locals, AccountKind::LocalGroup, |j| {
                Place::Domain(i, List::LocalGroups, j)
            });
        }
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
        if raw.site.connection_accounts.is_none()
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
        // The accounts are made in declaration order (store, then name, then place):
        // the domains' first, sorted here; then each machine's, in id order, each
        // machine's few sorted as they are made. No sort of millions.
        decls.sort_unstable_by(Decl::order);
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
                declare(&mut decls, store, users, AccountKind::User, |j| {
                    Place::Machine(i, List::Users, j)
                });
                let locals = raw_machine.local_groups.iter().map(|g| g.name.as_str());
                declare(&mut decls, store, locals, AccountKind::LocalGroup, |j| {
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
                imply(&mut decls, "Administrators", AccountKind::LocalGroup);
            }
            // A DC's client accounts are in its domain (above).
            if Self::has_client_accounts(machine)
                && !(machine.platform.is_dc() && machine.domain.is_some())
            {
                imply(&mut decls, token_name, AccountKind::User);
                imply(&mut decls, SERVICE_ACCOUNT, AccountKind::User);
            }
            decls[start..].sort_unstable_by(Decl::order);
        }
        debug_assert!(decls.is_sorted_by(|a, b| Decl::order(a, b).is_le()));
        decls
    }

    /// Whether SMS setup makes client token and service accounts for `machine`: an NT
    /// machine with the SMS client.
    fn has_client_accounts(machine: &Machine) -> bool {
        machine.sms_client && machine.platform.is_nt()
    }

    fn accounts(&mut self, raw: &RawScenario) {
        let mut decls = self.declarations(raw);
        self.accounts.reserve(decls.len());
        // Each NT machine's own token and service accounts, noted as they are made:
        // the accounts come store by store, so this reads and writes in order.
        let token_name = raw.site.token_account.as_deref().unwrap_or(TOKEN_ACCOUNT);
        let mut local_token = vec![None; self.machines.len()];
        let mut local_service = vec![None; self.machines.len()];
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
        let kept = decls;
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
        // Only where each account was declared is needed now.
        let places: Vec<Place> = kept.iter().map(|d| d.path).collect();
        drop(kept);
        for (g, &place) in places.iter().enumerate() {
            let listed = place.members(raw);
            if listed.is_empty() {
                continue;
            }
            let (store, kind) = (self.accounts[g].store, self.accounts[g].kind);
            let mut members = Vec::with_capacity(listed.len());
            let mut seen = rustc_hash::FxHashSet::default();
            for (k, text) in listed.iter().enumerate() {
                let path = || format!("{place}.members[{k}]");
                // Found without a word; looked up again, with the problem, when not.
                let Some(m) = self
                    .find_ref(text, store)
                    .or_else(|| self.account_ref(text, Some(store), &path()))
                else {
                    continue;
                };
                let member = &self.accounts[m.index()];
                let fits = match kind {
                    AccountKind::GlobalGroup => {
                        member.kind == AccountKind::User && member.store == store
                    }
                    AccountKind::LocalGroup => member.kind != AccountKind::LocalGroup,
                    AccountKind::User => true,
                };
                if !fits {
                    let rule = match kind {
                        AccountKind::GlobalGroup => "a global group holds users of its own domain",
                        _ => {
                            "a local group holds users and global groups of its own database or of a domain"
                        }
                    };
                    let group = self.accounts[g].name.clone();
                    self.problem(
                        path(),
                        format!("`{text}` cannot be a member of `{group}`: {rule}"),
                    );
                    continue;
                }
                if kind == AccountKind::LocalGroup && !self.accepts(store, m) {
                    let why = self.refusal(store, m);
                    let group = self.accounts[g].name.clone();
                    self.problem(
                        path(),
                        format!("`{text}` cannot be a member of `{group}`: {why}"),
                    );
                    continue;
                }
                // A short list is searched; a long one gets a set.
                let twice = if members.len() < 16 {
                    members.contains(&m)
                } else {
                    if seen.is_empty() {
                        seen.extend(members.iter().copied());
                    }
                    !seen.insert(m)
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
        for (i, d) in raw.domains.iter().enumerate() {
            if let Some(&id) = self.domain_ids.get(&d.name) {
                let rights = self.rights(
                    &d.rights,
                    Store::Domain(id),
                    &format!("domains[{i}].rights"),
                );
                self.domains[id.index()].rights = rights;
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
        }
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

    fn rights(
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
                    if !self.accepts(store, a) {
                        let why = self.refusal(store, a);
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

    fn domain_user(&mut self, text: &str, path: &str, what: &str) -> Option<AccountId> {
        let a = self.account_ref(text, None, path)?;
        let account = &self.accounts[a.index()];
        if account.kind != AccountKind::User || !matches!(account.store, Store::Domain(_)) {
            self.problem(
                path,
                format!("{what} must be a domain user account; `{text}` is not"),
            );
            return None;
        }
        Some(a)
    }

    fn site(&mut self, raw: &RawScenario) -> Option<Site> {
        let s = &raw.site;
        if s.code.len() != 3 || !s.code.chars().all(|c| c.is_ascii_alphanumeric()) {
            self.problem(
                "site.code",
                format!("site code `{}` must be three letters or digits", s.code),
            );
        }
        let domain = self.domain_ref(&s.domain, "site.domain");
        let mut connection_accounts = Vec::new();
        match &s.connection_accounts {
            Some(names) => {
                for (i, name) in names.iter().enumerate() {
                    let path = format!("site.connection_accounts[{i}]");
                    if let Some(a) =
                        self.domain_user(name, &path, "a client network connection account")
                    {
                        if connection_accounts.contains(&a) {
                            self.problem(path, format!("`{name}` is listed twice"));
                        } else {
                            connection_accounts.push(a);
                        }
                    }
                }
            }
            None => {
                if let Some(d) = domain
                    && let Some(a) =
                        self.account_in(Store::Domain(d), &format!("SMSClient_{}", s.code))
                {
                    connection_accounts.push(a);
                }
            }
        }
        let swia = s.software_installation_account.as_ref().and_then(|name| {
            self.domain_user(
                name,
                "site.software_installation_account",
                "the Software Installation account",
            )
        });
        let mut swia_rights = RightSet::EMPTY;
        for (i, r) in s.software_installation_rights.iter().enumerate() {
            match Right::parse(r) {
                Some(right) => swia_rights = swia_rights.with(right),
                None => {
                    let known = list(Right::ALL.iter().map(|r| r.as_str()));
                    self.problem(
                        format!("site.software_installation_rights[{i}]"),
                        format!("unknown user right `{r}`; known rights are {known}"),
                    );
                }
            }
        }
        let cap = s
            .cap
            .as_ref()
            .and_then(|p| self.share_ref(p, "site.cap", true))
            .and_then(|(_, share)| share);
        let mut distribution_points = Vec::new();
        for (i, p) in s.distribution_points.iter().enumerate() {
            let path = format!("site.distribution_points[{i}]");
            if let Some((_, Some(share))) = self.share_ref(p, &path, true) {
                if distribution_points.contains(&share) {
                    self.problem(path, format!("`{p}` is listed twice"));
                } else {
                    distribution_points.push(share);
                }
            }
        }
        distribution_points.sort_unstable();
        let roles = connection_accounts
            .iter()
            .map(|&a| (a, SmsRole::ConnectionAccount, "site.connection_accounts"))
            .chain(swia.map(|a| {
                (
                    a,
                    SmsRole::SoftwareInstallation,
                    "site.software_installation_account",
                )
            }));
        for (a, role, path) in roles.collect::<Vec<_>>() {
            let account = &mut self.accounts[a.index()];
            match (account.role, role) {
                // The console lets the Software Installation account also be a connection
                // account; the loader warns (ACCT-CONN-NO-RIGHTS) and the account keeps
                // the more privileged role.
                (Some(SmsRole::ConnectionAccount), SmsRole::SoftwareInstallation) | (None, _) => {
                    account.role = Some(role)
                }
                (Some(other), _) if other != role => {
                    let name = account.name.clone();
                    self.problem(
                        path,
                        format!(
                            "`{name}` is already SMS's {}; it cannot also be its {}",
                            role_name(other),
                            role_name(role)
                        ),
                    );
                }
                _ => {}
            }
        }
        Some(Site {
            code: s.code.to_string(),
            domain: domain?,
            token_account_name: s
                .token_account
                .as_deref()
                .unwrap_or(TOKEN_ACCOUNT)
                .to_string(),
            connection_accounts,
            software_installation_account: swia,
            software_installation_rights: swia_rights,
            cap,
            distribution_points,
        })
    }

    /// An access list on a share of `server`: every entry resolved, and accepted by the
    /// server's account database.
    fn grants(&mut self, names: &[Text], path: &str, server: MachineId) -> Vec<AccountId> {
        let store = match self.machines[server.index()].platform {
            Platform::NtDomainController(_) => {
                self.machines[server.index()].domain.map(Store::Domain)
            }
            _ => Some(Store::Local(server)),
        };
        let mut out = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let entry = format!("{path}[{i}]");
            let Some(a) = self.account_ref(n, None, &entry) else {
                continue;
            };
            match store {
                Some(store) if !self.accepts(store, a) => {
                    let why = self.refusal(store, a);
                    self.problem(
                        entry,
                        format!(
                            "`{n}` cannot be in an access list on `{}`: {why}",
                            self.machines[server.index()].name
                        ),
                    );
                }
                _ => out.push(a),
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn resources(&mut self, raw: &RawScenario) -> Vec<(String, Resource)> {
        let mut out: Vec<(String, Resource)> = Vec::new();
        for i in by_name(&raw.resources, |r| &r.name) {
            let r = &raw.resources[i];
            if out.iter().any(|(k, _)| *k == key(&r.name)) {
                self.problem(
                    format!("resources[{i}].name"),
                    format!("resource `{}` is declared twice", r.name),
                );
                continue;
            }
            let share = self.share_ref(&r.path, &format!("resources[{i}].path"), true);
            if let Some((server, Some(share))) = share {
                let read = self.grants(&r.read, &format!("resources[{i}].read"), server);
                out.push((
                    key(&r.name),
                    Resource {
                        name: r.name.to_string(),
                        share,
                        read,
                    },
                ));
            }
        }
        out
    }

    fn packages(
        &mut self,
        raw: &RawScenario,
        site: Option<&Site>,
    ) -> (Vec<Package>, HashMap<String, PackageId>) {
        let mut packages = Vec::new();
        let mut ids = HashMap::new();
        for i in by_name(&raw.packages, |p| &p.id) {
            let p = &raw.packages[i];
            if ids.contains_key(&key(&p.id)) {
                self.problem(
                    format!("packages[{i}].id"),
                    format!("package `{}` is declared twice", p.id),
                );
                continue;
            }
            if p.copies.is_empty() {
                self.problem(
                    format!("packages[{i}].copies"),
                    format!(
                        "package `{}` needs a copy on at least one distribution point",
                        p.id
                    ),
                );
            }
            let mut copies: Vec<PackageCopy> = Vec::new();
            for (j, c) in p.copies.iter().enumerate() {
                let path = format!("packages[{i}].copies[{j}].distribution_point");
                let Some((server, Some(share))) =
                    self.share_ref(&c.distribution_point, &path, true)
                else {
                    continue;
                };
                let reported = raw
                    .site
                    .distribution_points
                    .iter()
                    .any(|d| d.eq_ignore_ascii_case(&c.distribution_point));
                if let Some(site) = site
                    && !site.distribution_points.contains(&share)
                    && !reported
                {
                    let known = list(site.distribution_points.iter().map(|s| {
                        let sh = &self.shares[s.index()];
                        format!("\\\\{}\\{}", self.machines[sh.server.index()].name, sh.name)
                    }));
                    self.problem(path, format!("`{}` is not a distribution point of the site; its distribution points are {known}", c.distribution_point));
                    continue;
                }
                if copies.iter().any(|k| k.share == share) {
                    self.problem(path, format!("`{}` is listed twice", c.distribution_point));
                    continue;
                }
                let read = self.grants(&c.read, &format!("packages[{i}].copies[{j}].read"), server);
                copies.push(PackageCopy { share, read });
            }
            ids.insert(key(&p.id), PackageId::from_index(packages.len()));
            packages.push(Package {
                id: p.id.to_string(),
                copies,
            });
        }
        (packages, ids)
    }

    fn programs(
        &mut self,
        raw: &RawScenario,
        packages: &HashMap<String, PackageId>,
        resources: &[(String, Resource)],
        site: Option<&Site>,
    ) -> (Vec<Program>, HashMap<String, ProgramId>) {
        let mut programs = Vec::new();
        let mut ids = HashMap::new();
        for i in by_name(&raw.programs, |p| &p.name) {
            let p = &raw.programs[i];
            let path = format!("programs[{i}]");
            if ids.contains_key(&key(&p.name)) {
                self.problem(
                    format!("{path}.name"),
                    format!("program `{}` is declared twice", p.name),
                );
                continue;
            }
            let package = packages.get(&key(&p.package)).copied();
            if package.is_none() {
                let mut known: Vec<&Text> = raw.packages.iter().map(|p| &p.id).collect();
                known.sort();
                self.problem(
                    format!("{path}.package"),
                    format!(
                        "unknown package `{}`; known packages are {}",
                        p.package,
                        list(known)
                    ),
                );
            }
            let run_mode = match p.run_mode {
                RawRunMode::UserRights => RunMode::UserRights,
                RawRunMode::AdministrativeRights => RunMode::AdministrativeRights,
            };
            let can_run = match p.can_run {
                RawCanRun::OnlyWhenUserLoggedOn => CanRun::OnlyWhenUserLoggedOn,
                RawCanRun::WhetherOrNotUserLoggedOn => CanRun::WhetherOrNotUserLoggedOn,
                RawCanRun::OnlyWhenNoUserLoggedOn => CanRun::OnlyWhenNoUserLoggedOn,
            };
            if run_mode == RunMode::UserRights && can_run == CanRun::OnlyWhenNoUserLoggedOn {
                self.problem(
                    format!("{path}.can_run"),
                    "a program run with user's rights needs a user, so `only_when_no_user_logged_on` can never run (A11); expected `only_when_user_logged_on` or `whether_or_not_user_logged_on`",
                );
            }
            if p.use_software_installation_account {
                if run_mode != RunMode::AdministrativeRights {
                    self.problem(format!("{path}.use_software_installation_account"), "the console allows the Software Installation account only with `administrative_rights`");
                }
                if can_run == CanRun::OnlyWhenUserLoggedOn {
                    self.problem(format!("{path}.use_software_installation_account"), "the console allows the Software Installation account only with a can-run other than `only_when_user_logged_on`");
                }
                if site.is_some_and(|s| s.software_installation_account.is_none()) {
                    self.problem(
                        format!("{path}.use_software_installation_account"),
                        "the site sets no `software_installation_account`",
                    );
                }
            }
            let mut needs = Vec::new();
            for (j, r) in p.resources.iter().enumerate() {
                match resources.iter().position(|(k, _)| *k == key(r)) {
                    Some(k) if !needs.contains(&ResourceId::from_index(k)) => {
                        needs.push(ResourceId::from_index(k))
                    }
                    Some(_) => self.problem(
                        format!("{path}.resources[{j}]"),
                        format!("`{r}` is listed twice"),
                    ),
                    None => {
                        let known = list(resources.iter().map(|(_, r)| &r.name));
                        self.problem(
                            format!("{path}.resources[{j}]"),
                            format!("unknown resource `{r}`; known resources are {known}"),
                        );
                    }
                }
            }
            needs.sort_unstable();
            ids.insert(key(&p.name), ProgramId::from_index(programs.len()));
            programs.push(Program {
                name: p.name.to_string(),
                package: package.unwrap_or(PackageId::from_index(0)),
                run_mode,
                can_run,
                use_software_installation_account: p.use_software_installation_account,
                resources: needs,
            });
        }
        (programs, ids)
    }

    /// The clients `names` lists at `path`: each an SMS client, listed once; in id order.
    fn client_list(&mut self, names: &[Text], path: &str) -> Vec<MachineId> {
        let mut clients = Vec::with_capacity(names.len());
        // One flag a machine: far cheaper than a hash set at a million clients.
        let mut seen = vec![false; self.machines.len()];
        for (j, t) in names.iter().enumerate() {
            let found = match self.find_machine(t) {
                Some(m) => Some(m),
                None => self.machine_ref(t, &format!("{path}[{j}]")),
            };
            let Some(m) = found else {
                continue;
            };
            if !self.machines[m.index()].sms_client {
                self.problem(
                    format!("{path}[{j}]"),
                    format!("`{t}` is not an SMS client (`sms_client` is false)"),
                );
            } else if std::mem::replace(&mut seen[m.index()], true) {
                self.problem(format!("{path}[{j}]"), format!("`{t}` is listed twice"));
            } else {
                clients.push(m);
            }
        }
        clients.sort_unstable();
        clients
    }

    fn collections(&mut self, raw: &RawScenario) -> (Vec<Collection>, Map<String, CollectionId>) {
        let mut out = Vec::new();
        let mut ids = Map::default();
        for i in by_name(&raw.collections, |c| &c.name) {
            let c = &raw.collections[i];
            let path = format!("collections[{i}]");
            if c.name.is_empty() {
                self.problem(format!("{path}.name"), "a collection needs a name");
                continue;
            }
            if ids.contains_key(&key(&c.name)) {
                self.problem(
                    format!("{path}.name"),
                    format!("collection `{}` is declared twice", c.name),
                );
                continue;
            }
            let members = self.client_list(&c.members, &format!("{path}.members"));
            ids.insert(key(&c.name), CollectionId::from_index(out.len()));
            out.push(Collection {
                name: c.name.to_string(),
                members,
            });
        }
        (out, ids)
    }

    fn advertisements(
        &mut self,
        raw: &RawScenario,
        programs: &HashMap<String, ProgramId>,
        collections: &[Collection],
        collection_ids: &Map<String, CollectionId>,
    ) -> Vec<Advertisement> {
        let mut out: Vec<Advertisement> = Vec::new();
        let mut previous: Option<&str> = None;
        for i in by_name(&raw.advertisements, |a| &a.name) {
            let a = &raw.advertisements[i];
            let path = format!("advertisements[{i}]");
            // Sorted by name: a name declared twice follows its first declaration.
            if previous.is_some_and(|p| p.eq_ignore_ascii_case(&a.name)) {
                self.problem(
                    format!("{path}.name"),
                    format!("advertisement `{}` is declared twice", a.name),
                );
                continue;
            }
            previous = Some(&a.name);
            let program = programs.get(&key(&a.program)).copied();
            if program.is_none() {
                let mut known: Vec<&Text> = raw.programs.iter().map(|p| &p.name).collect();
                known.sort();
                self.problem(
                    format!("{path}.program"),
                    format!(
                        "unknown program `{}`; known programs are {}",
                        a.program,
                        list(known)
                    ),
                );
            }
            let (collection, targets) = match (&a.collection, &a.targets) {
                (Some(_), Some(_)) => {
                    self.problem(
                        format!("{path}.targets"),
                        "an advertisement names a collection or lists its targets, not both",
                    );
                    continue;
                }
                (None, None) => {
                    self.problem(
                        path,
                        "an advertisement needs `collection` (a collection's name) or `targets` (a list of clients)",
                    );
                    continue;
                }
                (Some(name), None) => match collection_ids.get(&key(name)) {
                    Some(&c) => (Some(c), collections[c.index()].members.clone()),
                    None => {
                        let mut known: Vec<&Text> =
                            raw.collections.iter().map(|c| &c.name).collect();
                        known.sort();
                        self.problem(
                            format!("{path}.collection"),
                            format!(
                                "unknown collection `{name}`; known collections are {}",
                                list(known)
                            ),
                        );
                        continue;
                    }
                },
                (None, Some(names)) => (None, self.client_list(names, &format!("{path}.targets"))),
            };
            if let Some(program) = program {
                out.push(Advertisement {
                    name: a.name.to_string(),
                    program,
                    collection,
                    targets,
                });
            }
        }
        out
    }
}

/// The initial state. Needs the finished estate; problems go to `problems`.
fn state(raw: &RawScenario, estate: &Estate, problems: &mut Problems) -> State {
    let mut state = State::new(estate);
    let mut problem = |path: String, message: String| problems.push((path, message));
    let account = |text: &str,
                   path: &dyn Fn() -> String,
                   problem: &mut dyn FnMut(String, String)|
     -> Option<AccountId> {
        let found = estate.account_by_name(text);
        if found.is_none() {
            problem(
                path(),
                format!(
                    "unknown account `{text}`; expected `DOMAIN\\name` or `MACHINE\\name` of a declared account"
                ),
            );
        }
        found
    };
    let machine = |name: &str,
                   path: &dyn Fn() -> String,
                   problem: &mut dyn FnMut(String, String)|
     -> Option<MachineId> {
        let found = estate.machine_by_name(name);
        if found.is_none() {
            let known = list(estate.machines().iter().map(|m| &m.name));
            problem(
                path(),
                format!("unknown machine `{name}`; known machines are {known}"),
            );
        }
        found
    };
    for (i, d) in raw.domains.iter().enumerate() {
        for t in &d.trusts {
            if let (Some(a), Some(b)) = (estate.domain_by_name(&d.name), estate.domain_by_name(t))
                && a != b
            {
                state.set_trust(a, b, true);
            }
        }
        let _ = i;
    }
    for (i, logon) in raw.state.logons.iter().enumerate() {
        let path = || format!("state.logons[{i}]");
        let client = machine(
            &logon.client,
            &|| format!("{}.client", path()),
            &mut problem,
        );
        let user = account(&logon.user, &|| format!("{}.user", path()), &mut problem);
        let (Some(client), Some(user)) = (client, user) else {
            continue;
        };
        let a = estate.account(user);
        let m = estate.machine(client);
        let local_ok = a.store == Store::Local(client);
        if a.kind != AccountKind::User {
            problem(
                format!("{}.user", path()),
                format!("`{}` is a group; only a user logs on", logon.user),
            );
        } else if !matches!(a.store, Store::Domain(_)) && !local_ok {
            let why = if m.platform.is_win9x() {
                "Windows 95/98 users log on with domain accounts"
            } else {
                "a local account logs on only at its own machine"
            };
            problem(
                format!("{}.user", path()),
                format!("`{}` cannot log on at `{}`: {why}", logon.user, m.name),
            );
        } else if let (Store::Domain(home), Some(d)) = (a.store, m.domain)
            && home != d
            && !state.trusts(d, home)
        {
            let (hn, dn) = (&estate.domain(home).name, &estate.domain(d).name);
            problem(
                format!("{}.user", path()),
                format!(
                    "`{}` cannot log on at `{}`: domain `{dn}` does not trust `{hn}` (A9)",
                    logon.user, m.name
                ),
            );
        } else if let (Store::Domain(_), None) = (a.store, m.domain) {
            problem(
                format!("{}.user", path()),
                format!(
                    "`{}` cannot log on at `{}`: the machine belongs to no domain",
                    logon.user, m.name
                ),
            );
        } else if state.logged_on(client).is_some() {
            problem(
                format!("{}.client", path()),
                format!(
                    "a user is already logged on at `{}`; one interactive user per client",
                    m.name
                ),
            );
        } else {
            state.log_on(client, user);
        }
    }
    for (i, c) in raw.state.connections.iter().enumerate() {
        let path = || format!("state.connections[{i}]");
        let client = machine(&c.client, &|| format!("{}.client", path()), &mut problem);
        let credential = account(&c.credential, &|| format!("{}.as", path()), &mut problem);
        let target = parse_unc(&c.path);
        if target.is_none() {
            problem(
                format!("{}.path", path()),
                format!(
                    "`{}` is not a network path; expected `\\\\server` or `\\\\server\\share`",
                    c.path
                ),
            );
        }
        let server =
            target.and_then(|(s, _)| machine(s, &|| format!("{}.path", path()), &mut problem));
        let device = match &c.drive {
            None => Some(Device::DeviceLess),
            Some(d) => match d.as_bytes() {
                [letter, b':'] if letter.is_ascii_alphabetic() => {
                    Some(Device::Drive(letter.to_ascii_uppercase() as char))
                }
                _ => {
                    problem(
                        format!("{}.drive", path()),
                        format!(
                            "`{d}` is not a drive letter; expected a letter and a colon, such as `S:`"
                        ),
                    );
                    None
                }
            },
        };
        let (Some(client), Some(credential), Some(server), Some(device)) =
            (client, credential, server, device)
        else {
            continue;
        };
        let share = target.and_then(|(_, share)| share).map(|name| {
            estate
                .shares()
                .iter()
                .position(|s| s.server == server && s.name.eq_ignore_ascii_case(name))
                .map(ShareId::from_index)
        });
        // Every share a connection names was interned while lowering the estate.
        let share = share.flatten();
        let cm = estate.machine(client);
        let ca = estate.account(credential);
        let kind = match c.session {
            RawSession::Interactive => {
                if state.logged_on(client).is_none() {
                    problem(
                        format!("{}.session", path()),
                        format!(
                            "nobody is logged on at `{}`; add a logon or use the `service` session",
                            cm.name
                        ),
                    );
                    continue;
                }
                SessionKind::Interactive
            }
            RawSession::Service => {
                if !cm.platform.is_nt() || !cm.sms_client {
                    problem(
                        format!("{}.session", path()),
                        format!(
                            "`{}` has no SMS client service session: it is not an NT SMS client",
                            cm.name
                        ),
                    );
                    continue;
                }
                SessionKind::Service
            }
        };
        if ca.kind != AccountKind::User {
            problem(
                format!("{}.as", path()),
                format!(
                    "`{}` is a group; a connection is made with a user's credentials",
                    c.credential
                ),
            );
            continue;
        }
        if estate.machine(server).platform.is_win9x() {
            problem(
                format!("{}.path", path()),
                format!(
                    "`{}` runs Windows 95/98; servers of the model are NT 4.0 machines",
                    estate.machine(server).name
                ),
            );
            continue;
        }
        // A10: the credentials must have authenticated at the server to make it.
        let accepted = match ca.store {
            Store::Local(home) => home == server,
            Store::Domain(d) => estate
                .machine(server)
                .domain
                .is_some_and(|sd| sd == d || state.trusts(sd, d)),
        };
        if !accepted {
            problem(
                format!("{}.as", path()),
                format!(
                    "`{}` cannot have made a connection to `{}`: it does not authenticate there (A10)",
                    c.credential,
                    estate.machine(server).name
                ),
            );
            continue;
        }
        if cm.platform.is_win9x() && state.logged_on(client) != Some(credential) {
            problem(
                format!("{}.as", path()),
                format!(
                    "Windows 95/98 connect as the logged-on user only; `{}` is not logged on at `{}`",
                    c.credential, cm.name
                ),
            );
            continue;
        }
        if let Device::Drive(letter) = device {
            let ipc = share.is_some_and(|sh| estate.share(sh).name.eq_ignore_ascii_case("IPC$"));
            if share.is_none() || ipc {
                problem(
                    format!("{}.drive", path()),
                    format!("a drive letter maps a disk share; `{}` is not one", c.path),
                );
                continue;
            }
            let taken = [SessionKind::Interactive, SessionKind::Service]
                .iter()
                .any(|&k| {
                    state
                        .session(client, k)
                        .connections
                        .iter()
                        .any(|o| o.device == device)
                });
            if taken {
                problem(
                    format!("{}.drive", path()),
                    format!("drive `{letter}:` is already mapped on `{}`", cm.name),
                );
                continue;
            }
        }
        if let Some(other) = state
            .session(client, kind)
            .connections
            .iter()
            .find(|o| o.server == server && o.credential != credential)
        {
            problem(
                format!("{}.as", path()),
                format!(
                    "this session already connects to `{}` as `{}`; NT keeps one credential set per server in a logon session, so a second set fails with error 1219 (D4)",
                    estate.machine(server).name,
                    estate.qualified_name(other.credential)
                ),
            );
            continue;
        }
        state.connect(
            client,
            kind,
            Connection {
                server,
                share,
                device,
                credential,
            },
        );
    }
    for (field, list_) in [
        ("disabled", &raw.state.disabled),
        ("locked_out", &raw.state.locked_out),
    ] {
        for (i, name) in list_.iter().enumerate() {
            if let Some(a) = account(name, &|| format!("state.{field}[{i}]"), &mut problem) {
                let mut status = state.status(a);
                if field == "disabled" {
                    status.enabled = false;
                } else {
                    status.locked_out = true;
                }
                state.set_status(a, status);
            }
        }
    }
    for (i, s) in raw.state.stale_passwords.iter().enumerate() {
        let path = || format!("state.stale_passwords[{i}]");
        let client = machine(&s.client, &|| format!("{}.client", path()), &mut problem);
        let a = account(&s.account, &|| format!("{}.account", path()), &mut problem);
        let (Some(client), Some(a)) = (client, a) else {
            continue;
        };
        if !matches!(
            estate.account(a).role,
            Some(SmsRole::ConnectionAccount | SmsRole::SoftwareInstallation)
        ) {
            problem(
                format!("{}.account", path()),
                format!(
                    "`{}` is not a connection account or the Software Installation account, the only passwords a client is sent (A15, A16)",
                    s.account
                ),
            );
            continue;
        }
        state.set_stale(client, a, true);
    }
    for (i, name) in raw.state.unavailable_servers.iter().enumerate() {
        if let Some(m) = machine(
            name,
            &|| format!("state.unavailable_servers[{i}]"),
            &mut problem,
        ) {
            state.set_available(m, false);
        }
    }
    state
}

/// Legal configurations the article says should never be, with their rule ids.
fn warnings(raw: &RawScenario, estate: &Estate, state: &State) -> Vec<Warning> {
    let mut out = Vec::new();
    let clients: Vec<MachineId> = estate
        .machine_ids()
        .filter(|&m| estate.machine(m).sms_client && estate.machine(m).platform.is_nt())
        .collect();
    let site = estate.site();
    let standing =
        |account: AccountId, rule: RuleId, path: String, what: &str, out: &mut Vec<Warning>| {
            for &c in &clients {
                let groups: Vec<String> = estate
                    .groups_on(account, c)
                    .into_iter()
                    .filter(|&g| estate.account(g).kind == AccountKind::LocalGroup)
                    .map(|g| format!("`{}`", estate.qualified_name(g)))
                    .collect();
                let rights: Vec<&str> = estate
                    .standing_rights(account, c)
                    .iter()
                    .map(Right::as_str)
                    .collect();
                if !groups.is_empty() || !rights.is_empty() {
                    let mut held = Vec::new();
                    if !groups.is_empty() {
                        held.push(format!("member of {}", groups.join(", ")));
                    }
                    if !rights.is_empty() {
                        held.push(format!("holds {}", rights.join(", ")));
                    }
                    out.push(Warning {
                        rule,
                        path: path.clone(),
                        message: format!(
                            "{what} `{}` is {} on client `{}`",
                            estate.qualified_name(account),
                            held.join(" and "),
                            estate.machine(c).name
                        ),
                    });
                }
            }
        };
    for (i, &a) in site.connection_accounts.iter().enumerate() {
        let path = if raw.site.connection_accounts.is_some() {
            format!("site.connection_accounts[{i}]")
        } else {
            "site".to_string()
        };
        standing(
            a,
            RuleId::AcctConnNoRights,
            path,
            "client network connection account",
            &mut out,
        );
    }
    if let Some(swia) = site.software_installation_account {
        let path = "site.software_installation_account".to_string();
        if site.connection_accounts.contains(&swia) {
            out.push(Warning {
                rule: RuleId::AcctConnNoRights,
                path: path.clone(),
                message: format!(
                    "`{}` is both the Software Installation account and a client network connection account: while its programs run, a connection account is an administrator of the client",
                    estate.qualified_name(swia)
                ),
            });
        }
        for ad in estate.advertisements() {
            let program = estate.program(ad.program);
            if !program.use_software_installation_account {
                continue;
            }
            for &r in &program.resources {
                let resource = estate.resource(r);
                // The grant puts the account in the client's Administrators while the
                // program runs (SWIA-GRANT): a resource on a client granted to that
                // group is reached then.
                let server = estate.share(resource.share).server;
                let by_grant = estate
                    .administrators_of(server)
                    .is_some_and(|g| resource.read.contains(&g));
                if !estate.is_granted(swia, &resource.read) && !by_grant {
                    out.push(Warning {
                        rule: RuleId::SwiaRequirements,
                        path: path.clone(),
                        message: format!(
                            "Software Installation account `{}` has no access to resource `{}`, which program `{}` needs",
                            estate.qualified_name(swia),
                            resource.name,
                            program.name
                        ),
                    });
                }
            }
        }
        standing(
            swia,
            RuleId::SwiaNoStandingRights,
            path.clone(),
            "Software Installation account",
            &mut out,
        );
        let Store::Domain(swia_domain) = estate.account(swia).store else {
            return out;
        };
        for ad in estate.advertisements() {
            let program = estate.program(ad.program);
            if !program.use_software_installation_account {
                continue;
            }
            for &t in &ad.targets {
                let m = estate.machine(t);
                if !m.platform.is_nt() {
                    continue;
                }
                let accepted = m
                    .domain
                    .is_some_and(|d| d == swia_domain || state.trusts(d, swia_domain));
                if !accepted {
                    let domain = m.domain.map_or("no domain".to_string(), |d| {
                        format!("domain `{}`", estate.domain(d).name)
                    });
                    out.push(Warning {
                        rule: RuleId::SwiaRequirements,
                        path: path.clone(),
                        message: format!(
                            "Software Installation account `{}` is in domain `{}`, which client `{}` ({domain}) does not trust; advertisement `{}` cannot log it on there",
                            estate.qualified_name(swia),
                            estate.domain(swia_domain).name,
                            m.name,
                            ad.name
                        ),
                    });
                }
            }
            let package = estate.package(program.package);
            for copy in &package.copies {
                if !estate.is_granted(swia, &copy.read) {
                    out.push(Warning {
                        rule: RuleId::SwiaRequirements,
                        path: path.clone(),
                        message: format!(
                            "Software Installation account `{}` cannot read package `{}` on `{}`, which program `{}` needs",
                            estate.qualified_name(swia),
                            package.id,
                            estate.share_path(copy.share),
                            program.name
                        ),
                    });
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_as_their_upper_case_copies_then_by_position() {
        let names = [
            "wks10",
            "WKS1",
            "Server-Number-Twelve",
            "server-number-twelve",
            "SERVER-NUMBER-TWELF",
            "a",
            "",
            "WKS1\u{0}",
            "Wks1",
        ];
        let got = by_name(&names, |n| n);
        let mut want: Vec<usize> = (0..names.len()).collect();
        want.sort_by_key(|&i| (names[i].to_ascii_uppercase(), i));
        assert_eq!(got, want);
    }
}
