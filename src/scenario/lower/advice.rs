//! The "should never" advice: legal configurations the article advises against
//! (`ACCT-CONN-NO-RIGHTS`, `SWIA-NO-STANDING-RIGHTS`, `SWIA-REQUIREMENTS`), as warnings
//! with their rule ids.

use super::*;
use crate::rules::RuleId;
use crate::scenario::Warning;

/// Legal configurations the article says should never be, with their rule ids.
pub(super) fn warnings(raw: &RawScenario, estate: &Estate, state: &State) -> Vec<Warning> {
    let mut out = Vec::new();
    let clients: Vec<MachineId> = estate
        .machine_ids()
        .filter(|&m| estate.machine(m).sms_client && estate.machine(m).platform.is_nt())
        .collect();
    let site = estate.site();
    for (i, &a) in site.connection_accounts.iter().enumerate() {
        let path = if raw.site.connection_accounts.is_some() {
            format!("site.connection_accounts[{i}]")
        } else {
            "site".to_string()
        };
        standing(
            estate,
            &clients,
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
            estate,
            &clients,
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

/// The groups and rights `account` holds on each of `clients`, as warnings of `rule`.
fn standing(
    estate: &Estate,
    clients: &[MachineId],
    account: AccountId,
    rule: RuleId,
    path: String,
    what: &str,
    out: &mut Vec<Warning>,
) {
    for &c in clients {
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
}
