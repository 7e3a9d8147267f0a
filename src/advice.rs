//! The article's "should never" rules, computed once: what a site can legally configure
//! but Q224286 advises against, as typed data. The scenario loader renders it as
//! `scenario::Warning`s; the exposure findings take their objects from it and
//! their evidence from the credential graph.
//!
//! - `ACCT-CONN-NO-RIGHTS`: a client network connection account holds no right and is
//!   in no local group on any client (and is not the Software Installation account).
//! - `SWIA-NO-STANDING-RIGHTS`: the Software Installation account holds no right and is
//!   in no local group on any client.
//! - `SWIA-REQUIREMENTS`: the Software Installation account can reach the resources
//!   and package folders its programs need, in a domain every target client trusts.
//!
//! A client is an NT machine with the SMS client; on a DC the local groups are the
//! domain's (Q169556), so any domain local group that holds the account counts there,
//! `Administrators` or another.
//!
//! Depends on [`crate::model`] and [`crate::rules`] only.

use crate::model::*;
use crate::rules::RuleId;

/// One violation of a "should never" rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Advice {
    /// `ACCT-CONN-NO-RIGHTS` or `SWIA-NO-STANDING-RIGHTS`: an account that should hold
    /// nothing on clients holds local groups or rights on one.
    Standing {
        /// The rule: `ACCT-CONN-NO-RIGHTS` for a connection account,
        /// `SWIA-NO-STANDING-RIGHTS` for the Software Installation account.
        rule: RuleId,
        /// The account.
        account: AccountId,
        /// The client.
        client: MachineId,
        /// The local groups of the client's database that hold it, in id order.
        groups: Vec<AccountId>,
        /// The rights it holds there, directly or through its groups.
        rights: RightSet,
    },
    /// `ACCT-CONN-NO-RIGHTS`: the Software Installation account is also a connection
    /// account, so while its programs run a connection account administers the client.
    SwiaIsConnectionAccount {
        /// The account.
        account: AccountId,
    },
    /// `SWIA-REQUIREMENTS`: the account has no access to a resource a program needs.
    SwiaNoResourceAccess {
        /// The account.
        account: AccountId,
        /// The resource.
        resource: ResourceId,
        /// The program that needs it.
        program: ProgramId,
    },
    /// `SWIA-REQUIREMENTS`: a target client's domain does not trust the account's.
    SwiaUntrusted {
        /// The account.
        account: AccountId,
        /// The account's domain.
        domain: DomainId,
        /// The client.
        client: MachineId,
        /// The advertisement sent to it.
        advertisement: AdvertisementId,
    },
    /// `SWIA-REQUIREMENTS`: the account cannot read a copy of a package a program needs.
    SwiaCannotReadPackage {
        /// The account.
        account: AccountId,
        /// The package.
        package: PackageId,
        /// The distribution point share of the copy.
        share: ShareId,
        /// The program.
        program: ProgramId,
    },
}

impl Advice {
    /// The rule it breaks.
    pub fn rule(&self) -> RuleId {
        match self {
            Advice::Standing { rule, .. } => *rule,
            Advice::SwiaIsConnectionAccount { .. } => RuleId::AcctConnNoRights,
            Advice::SwiaNoResourceAccess { .. }
            | Advice::SwiaUntrusted { .. }
            | Advice::SwiaCannotReadPackage { .. } => RuleId::SwiaRequirements,
        }
    }
}

/// Whether `machine` is a client in the sense of these rules: an NT SMS client.
pub fn is_client(estate: &Estate, machine: MachineId) -> bool {
    let m = estate.machine(machine);
    m.sms_client && m.platform.is_nt()
}

/// The local groups and rights `account` holds on `client`, if any.
pub fn standing(
    estate: &Estate,
    rule: RuleId,
    account: AccountId,
    client: MachineId,
) -> Option<Advice> {
    let groups: Vec<AccountId> = estate
        .groups_on(account, client)
        .into_iter()
        .filter(|&g| estate.account(g).kind == AccountKind::LocalGroup)
        .collect();
    let rights = estate.standing_rights(account, client);
    (!groups.is_empty() || !rights.is_empty()).then_some(Advice::Standing {
        rule,
        account,
        client,
        groups,
        rights,
    })
}

/// The standing violations alone (`ACCT-CONN-NO-RIGHTS`, `SWIA-NO-STANDING-RIGHTS`):
/// every connection account's and the Software Installation account's groups and rights
/// on each client, in a stable order. They depend on the estate only.
pub fn standing_advice(estate: &Estate) -> Vec<Advice> {
    let mut out = Vec::new();
    let clients: Vec<MachineId> = estate
        .machine_ids()
        .filter(|&m| is_client(estate, m))
        .collect();
    let site = estate.site();
    let standing_of = |rule, account, out: &mut Vec<Advice>| {
        out.extend(
            clients
                .iter()
                .filter_map(|&c| standing(estate, rule, account, c)),
        );
    };
    for &a in &site.connection_accounts {
        standing_of(RuleId::AcctConnNoRights, a, &mut out);
    }
    if let Some(swia) = site.software_installation_account {
        standing_of(RuleId::SwiaNoStandingRights, swia, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// Every violation in `estate` with the trusts of `state`, in a stable order.
pub fn advice(estate: &Estate, state: &State) -> Vec<Advice> {
    let mut out = standing_advice(estate);
    let site = estate.site();
    if let Some(swia) = site.software_installation_account {
        if site.connection_accounts.contains(&swia) {
            out.push(Advice::SwiaIsConnectionAccount { account: swia });
        }
        swia_requirements(estate, state, swia, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// `SWIA-REQUIREMENTS` for each advertisement of a program that uses the account.
fn swia_requirements(estate: &Estate, state: &State, swia: AccountId, out: &mut Vec<Advice>) {
    let swia_domain = match estate.account(swia).store {
        Store::Domain(d) => Some(d),
        Store::Local(_) => None,
    };
    for ad in estate.advertisement_ids() {
        let advertisement = estate.advertisement(ad);
        let program = estate.program(advertisement.program);
        if !program.use_software_installation_account {
            continue;
        }
        for &r in &program.resources {
            let resource = estate.resource(r);
            // The grant puts the account in the client's Administrators while the
            // program runs (SWIA-GRANT): a resource on a client granted to that group is
            // reached then.
            let server = estate.share(resource.share).server;
            let by_grant = estate
                .administrators_of(server)
                .is_some_and(|g| resource.read.contains(&g));
            if !estate.is_granted(swia, &resource.read) && !by_grant {
                out.push(Advice::SwiaNoResourceAccess {
                    account: swia,
                    resource: r,
                    program: advertisement.program,
                });
            }
        }
        let Some(domain) = swia_domain else {
            continue;
        };
        for &t in &advertisement.targets {
            let m = estate.machine(t);
            let accepted = m
                .domain
                .is_some_and(|d| d == domain || state.trusts(d, domain));
            if m.platform.is_nt() && !accepted {
                out.push(Advice::SwiaUntrusted {
                    account: swia,
                    domain,
                    client: t,
                    advertisement: ad,
                });
            }
        }
        let package = estate.package(program.package);
        for copy in &package.copies {
            if !estate.is_granted(swia, &copy.read) {
                out.push(Advice::SwiaCannotReadPackage {
                    account: swia,
                    package: program.package,
                    share: copy.share,
                    program: advertisement.program,
                });
            }
        }
    }
}
