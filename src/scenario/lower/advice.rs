//! The "should never" advice as warnings: each violation [`crate::advice`] finds,
//! rendered with the place in the file that makes the configuration.

use super::*;
use crate::advice::{Advice, advice};
use crate::rules::RuleId;
use crate::scenario::Warning;

/// Legal configurations the article says should never be, with their rule ids.
pub(super) fn warnings(raw: &RawScenario, estate: &Estate, state: &State) -> Vec<Warning> {
    let site = estate.site();
    let swia_path = || "site.software_installation_account".to_string();
    let mut out: Vec<Warning> = advice(estate, state)
        .into_iter()
        .map(|a| {
            let (path, message) = match a {
                Advice::Standing {
                    rule,
                    account,
                    client,
                    ref groups,
                    rights,
                } => {
                    let path = if rule == RuleId::SwiaNoStandingRights {
                        swia_path()
                    } else if raw.site.connection_accounts.is_some() {
                        let i = site
                            .connection_accounts
                            .iter()
                            .position(|&c| c == account)
                            .unwrap_or_default();
                        format!("site.connection_accounts[{i}]")
                    } else {
                        "site".to_string()
                    };
                    let what = if rule == RuleId::SwiaNoStandingRights {
                        "Software Installation account"
                    } else {
                        "client network connection account"
                    };
                    (path, standing_text(estate, what, account, client, groups, rights))
                }
                Advice::SwiaIsConnectionAccount { account } => (
                    swia_path(),
                    format!(
                        "`{}` is both the Software Installation account and a client network connection account: while its programs run, a connection account is an administrator of the client",
                        estate.qualified_name(account)
                    ),
                ),
                Advice::SwiaNoResourceAccess {
                    account,
                    resource,
                    program,
                } => (
                    swia_path(),
                    format!(
                        "Software Installation account `{}` has no access to resource `{}`, which program `{}` needs",
                        estate.qualified_name(account),
                        estate.resource(resource).name,
                        estate.program(program).name
                    ),
                ),
                Advice::SwiaUntrusted {
                    account,
                    domain,
                    client,
                    advertisement,
                } => {
                    let m = estate.machine(client);
                    let client_domain = m.domain.map_or("no domain".to_string(), |d| {
                        format!("domain `{}`", estate.domain(d).name)
                    });
                    (
                        swia_path(),
                        format!(
                            "Software Installation account `{}` is in domain `{}`, which client `{}` ({client_domain}) does not trust; advertisement `{}` cannot log it on there",
                            estate.qualified_name(account),
                            estate.domain(domain).name,
                            m.name,
                            estate.advertisement(advertisement).name
                        ),
                    )
                }
                Advice::SwiaCannotReadPackage {
                    account,
                    package,
                    share,
                    program,
                } => (
                    swia_path(),
                    format!(
                        "Software Installation account `{}` cannot read package `{}` on `{}`, which program `{}` needs",
                        estate.qualified_name(account),
                        estate.package(package).id,
                        estate.share_path(share),
                        estate.program(program).name
                    ),
                ),
            };
            Warning {
                rule: a.rule(),
                path,
                message,
            }
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `... `X` is member of `A`, `B` and holds R on client `C``.
fn standing_text(
    estate: &Estate,
    what: &str,
    account: AccountId,
    client: MachineId,
    groups: &[AccountId],
    rights: RightSet,
) -> String {
    let mut held = Vec::new();
    if !groups.is_empty() {
        let groups: Vec<String> = groups
            .iter()
            .map(|&g| format!("`{}`", estate.qualified_name(g)))
            .collect();
        held.push(format!("member of {}", groups.join(", ")));
    }
    if !rights.is_empty() {
        let rights: Vec<&str> = rights.iter().map(Right::as_str).collect();
        held.push(format!("holds {}", rights.join(", ")));
    }
    format!(
        "{what} `{}` is {} on client `{}`",
        estate.qualified_name(account),
        held.join(" and "),
        estate.machine(client).name
    )
}
