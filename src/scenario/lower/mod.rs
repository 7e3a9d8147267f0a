//! Lowering: raw file types -> validated [`Scenario`]. Every name is resolved to a typed
//! id here, once; every problem of the file is collected with its JSON path before the
//! load fails. Unordered lists are put in a canonical order (by name, or by id), so the
//! same estate written in another order loads to the same value; the lists whose order
//! means something (connection accounts, package copies, connections) keep theirs.
//!
//! The work is split by job, each in its own module, and each module a set of
//! [`Lowerer`] methods (or, for the state and the advice, functions of the finished
//! estate):
//!
//! - [`names`]: resolving the file's names of domains, machines, accounts and shares;
//! - [`estate`]: the domains and their trusts, the machines, the shares;
//! - [`declare`]: the accounts the file declares and those Windows and SMS setup create
//!   (Administrators, the client token and service accounts, the default connection
//!   account), and which of them each client's token and service accounts are;
//! - [`accounts`]: the accounts made, their group members and the user rights;
//! - [`site`]: the SMS site and its accounts;
//! - [`distribution`]: packages, programs, resources, collections and advertisements;
//! - [`osd`]: a Configuration Manager site's task sequences, deployments, collection
//!   variables and PXE distribution points;
//! - [`state`]: the state the scenario starts in;
//! - [`advice`]: the "should never" warnings.
//!
//! Siblings use each other in this order only (a module uses those above it):
//! `names`, `estate`, `declare`, `accounts`, `site`, `distribution`, `osd`; `state`,
//! `external`, `unknown` and `advice` use none of them.

mod accounts;
mod advice;
mod declare;
mod distribution;
mod estate;
mod external;
mod imported;
mod names;
mod osd;
mod push;
mod site;
mod state;
mod unknown;

use std::collections::BTreeSet;

use super::raw::*;
use super::{SCHEMA_VERSION, Scenario};
use crate::model::names::{Folded, NameMap};
use crate::model::*;
use crate::scenario::resolve::{list, parse_unc};

type Problems = Vec<(String, String)>;

/// rustc-hash 2: fast on the short names of a scenario and, unlike the first FxHash,
/// mixes them well enough that `C1`..`C999999` do not collide into long probe chains.
type Map<K, V> = rustc_hash::FxHashMap<K, V>;

fn key(name: &str) -> String {
    name.to_ascii_uppercase()
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

#[derive(Default)]
struct Lowerer {
    problems: Problems,
    /// Each machine's `deny_network_logon`, as (machine, account) pairs.
    network_logon_denied: Vec<(MachineId, AccountId)>,
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
    /// The site's product, read first: it decides which platforms, accounts and settings
    /// the file may have (`X-PRODUCT`).
    product: Product,
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
    l.product = match raw.site.product {
        None | Some(RawProduct::Sms2) => Product::Sms2,
        Some(RawProduct::Configmgr) => Product::ConfigMgr,
    };
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
    let Some(mut site) = site else {
        return Err(l.problems);
    };
    site.configmgr.osd = l.osd(
        raw,
        &collections,
        &collection_ids,
        &site.distribution_points,
    );
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
        external: ExternalIds::default(),
        unknown: Vec::new(),
        network_logon_denied: {
            let mut v = std::mem::take(&mut l.network_logon_denied);
            v.sort_unstable();
            v.dedup();
            v
        },
        member_of_start: Vec::new(),
        member_of: Vec::new(),
    };
    estate.index_memberships();
    let mut problems = Vec::new();
    let state = state::state(raw, &estate, &mut problems);
    estate.external = external::external(&raw.external_ids, &estate, &mut problems);
    let (unknown, unknown_warnings) = unknown::unknown(&raw.unknown, &estate, &mut problems);
    estate.unknown = unknown;
    imported::check(raw, &estate, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let expectations = super::expect::lower(&raw.expectations, &estate, &mut problems);
    let exposure_expectations =
        super::expect::lower_exposure(&raw.exposure_expectations, &estate, &mut problems);
    let push_expectations =
        super::expect::lower_push(&raw.push_expectations, &estate, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut warnings = advice::warnings(raw, &estate, &state);
    warnings.extend(unknown_warnings);
    Ok(Scenario {
        description: raw.description.as_ref().map(|d| d.to_string()),
        estate,
        state,
        warnings,
        expectations,
        exposure_expectations,
        push_expectations,
        imported: raw.imported.clone(),
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
    pub(super) fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push((path.into(), message.into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn names_sort_as_their_upper_case_copies_then_by_position() {
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
