//! The facts a scenario marks unknown (`unknown`), checked against the finished estate:
//! a known fact, with the machine or domain it needs and nothing else, listed once; each
//! becomes a warning (`X-UNKNOWN`).

use super::*;
use crate::model::{Unknown, UnknownFact};
use crate::rules::RuleId;
use crate::scenario::Warning;
use crate::scenario::resolve::Resolver;

const SITE_FACTS: [&str; 6] = [
    "network_access_accounts",
    "previous_network_access_accounts",
    "approval",
    "enhanced_http",
    "anonymous_distribution_points",
    "policy_secrets",
];
const MACHINE_FACTS: [&str; 2] = ["administrators", "pxe"];
const DOMAIN_FACTS: [&str; 3] = ["machine_account_quota", "add_workstations", "trusts"];

/// Lowers `unknown`, in the order of the facts (the file's order means nothing), with a
/// warning for each at its place in the file; problems go to `problems`.
pub(super) fn unknown(
    raw: &[RawUnknown],
    e: &Estate,
    problems: &mut Problems,
) -> (Vec<Unknown>, Vec<Warning>) {
    let mut out: Vec<Unknown> = Vec::new();
    let mut seen: rustc_hash::FxHashSet<UnknownFact> = rustc_hash::FxHashSet::default();
    let mut warnings = Vec::new();
    for (i, u) in raw.iter().enumerate() {
        let path = format!("unknown[{i}]");
        let Some(fact) = fact(u, e, &path, problems) else {
            continue;
        };
        if !seen.insert(fact) {
            problems.push((
                format!("{path}.fact"),
                format!("`{}` is listed twice", u.fact),
            ));
            continue;
        }
        let unknown = Unknown {
            fact,
            because: u.because.clone(),
        };
        warnings.push(warning(e, &unknown, path));
        out.push(unknown);
    }
    out.sort_by_key(|u| u.fact);
    (out, warnings)
}

fn fact(u: &RawUnknown, e: &Estate, path: &str, problems: &mut Problems) -> Option<UnknownFact> {
    let key = u.fact.as_str();
    let mut problem = |field: &str, message: String| {
        problems.push((format!("{path}.{field}"), message));
        None
    };
    let site = SITE_FACTS.contains(&key);
    let domain = DOMAIN_FACTS.contains(&key);
    let machine = MACHINE_FACTS.contains(&key);
    if !(site || domain || machine) {
        let known: Vec<String> = SITE_FACTS
            .iter()
            .chain(&MACHINE_FACTS)
            .chain(&DOMAIN_FACTS)
            .map(|k| format!("`{k}`"))
            .collect();
        return problem(
            "fact",
            format!("unknown fact `{key}`; expected one of {}", known.join(", ")),
        );
    }
    if (site || key == "pxe") && e.site().product != Product::ConfigMgr {
        return problem(
            "fact",
            format!(
                "`{key}` is a Configuration Manager site's fact, and the site is SMS 2.0 (X-PRODUCT)"
            ),
        );
    }
    match (&u.machine, &u.domain) {
        (Some(_), _) if !machine => return problem("machine", format!("`{key}` names no machine")),
        (_, Some(_)) if !domain => return problem("domain", format!("`{key}` names no domain")),
        (None, _) if machine => return problem("fact", format!("`{key}` needs `machine`")),
        (_, None) if domain => return problem("fact", format!("`{key}` needs `domain`")),
        _ => {}
    }
    if let Some(name) = &u.machine {
        return match Resolver(e).machine(name) {
            Ok(m) if key == "pxe" => Some(UnknownFact::Pxe(m)),
            Ok(m) => Some(UnknownFact::Administrators(m)),
            Err(why) => problem("machine", why),
        };
    }
    if let Some(name) = &u.domain {
        let d = match Resolver(e).domain(name) {
            Ok(d) => d,
            Err(why) => return problem("domain", why),
        };
        return Some(match key {
            "machine_account_quota" => UnknownFact::MachineAccountQuota(d),
            "add_workstations" => UnknownFact::AddWorkstations(d),
            _ => UnknownFact::Trusts(d),
        });
    }
    Some(match key {
        "network_access_accounts" => UnknownFact::NetworkAccessAccounts,
        "previous_network_access_accounts" => UnknownFact::PreviousNetworkAccessAccounts,
        "approval" => UnknownFact::Approval,
        "enhanced_http" => UnknownFact::EnhancedHttp,
        "policy_secrets" => UnknownFact::PolicySecrets,
        _ => UnknownFact::AnonymousDistributionPoints,
    })
}

/// The warning of a fact marked unknown, at `path`.
fn warning(e: &Estate, u: &Unknown, path: String) -> Warning {
    Warning {
        rule: RuleId::XUnknown,
        path,
        message: format!(
            "not assessed: {}{}",
            u.fact.consequence(e),
            u.because
                .as_ref()
                .map(|b| format!(" ({b})"))
                .unwrap_or_default()
        ),
    }
}
