//! The `imported` section checked against the finished estate (`X-IMPORTED`): each fact
//! names where it comes from in the way its provenance needs, and the clients, stored
//! accounts and renamed machines it lists are the scenario's own.

use super::*;
use crate::rules::RuleId;
use crate::scenario::raw::{RawImported, RawProvenance, RawStoredRole};
use crate::scenario::resolve::Resolver;

/// Checks `raw.imported`, if there is one; problems go to `problems`.
pub(super) fn check(raw: &RawScenario, e: &Estate, problems: &mut Problems) {
    let Some(imported) = &raw.imported else {
        return;
    };
    let mut problem = |path: String, message: String| {
        problems.push((path, format!("{message} ({})", RuleId::XImported)));
    };
    if imported.site != raw.site.code {
        problem(
            "imported.site".into(),
            format!(
                "`{}` is not the site's code `{}`",
                imported.site, raw.site.code
            ),
        );
    }
    for (i, f) in imported.facts.iter().enumerate() {
        let path = format!("imported.facts[{i}]");
        if let Some(message) = provenance_problem(f.provenance, &f.file, &f.option, &f.rule) {
            problem(path, message);
        }
    }
    clients(imported, e, &mut problem);
    for (i, s) in imported.stored_accounts.iter().enumerate() {
        let path = format!("imported.stored_accounts[{i}]");
        if let Some(message) = provenance_problem(s.provenance, &None, &s.option, &s.rule)
            .filter(|_| s.provenance != RawProvenance::Collected)
        {
            problem(path.clone(), message);
        }
        match Resolver(e).account(&s.account) {
            Err(why) => problem(format!("{path}.account"), why),
            Ok(id) => {
                let cm = &e.site().configmgr;
                let push = cm.client_push.as_ref().map_or(&[][..], |p| &p.accounts[..]);
                for (listed, role, field) in [
                    (
                        cm.network_access_accounts.contains(&id),
                        RawStoredRole::NetworkAccess,
                        "site.network_access_accounts",
                    ),
                    (
                        push.contains(&id),
                        RawStoredRole::ClientPush,
                        "site.client_push.accounts",
                    ),
                ] {
                    if listed != (s.role == role) {
                        problem(
                            format!("{path}.role"),
                            format!(
                                "`{}` is {} `{field}`, and its role says otherwise",
                                s.account,
                                if listed { "in" } else { "not in" }
                            ),
                        );
                    }
                }
            }
        }
    }
    for (i, r) in imported.renamed.iter().enumerate() {
        if let Err(why) = Resolver(e).machine(&r.machine) {
            problem(format!("imported.renamed[{i}].machine"), why);
        }
    }
}

/// Each client a machine of the scenario with the SMS client, listed once.
fn clients(imported: &RawImported, e: &Estate, problem: &mut impl FnMut(String, String)) {
    let mut seen = rustc_hash::FxHashSet::default();
    for (i, c) in imported.clients.iter().enumerate() {
        let path = format!("imported.clients[{i}].machine");
        match Resolver(e).machine(&c.machine) {
            Err(why) => problem(path, why),
            Ok(m) if seen.contains(&m) => problem(path, format!("`{}` is listed twice", c.machine)),
            Ok(m) if !e.machine(m).sms_client => problem(
                path,
                format!(
                    "`{}` is listed as a client and has no SMS client",
                    c.machine
                ),
            ),
            Ok(m) => {
                seen.insert(m);
            }
        }
    }
}

/// What a provenance needs and lacks: a file for `collected`, an option for `given`, a
/// known rule for `default` and `assumption`.
fn provenance_problem(
    provenance: RawProvenance,
    file: &Option<Text>,
    option: &Option<Text>,
    rule: &Option<Text>,
) -> Option<String> {
    match provenance {
        RawProvenance::Collected if file.is_none() => {
            Some("a collected fact names the `file` it was read from".into())
        }
        RawProvenance::Given if option.is_none() => {
            Some("a given fact names the command-line `option` that gave it".into())
        }
        RawProvenance::Default | RawProvenance::Assumption => match rule {
            None => Some("a default or an assumption names its `rule`".into()),
            Some(r) if RuleId::parse(r).is_none() => {
                Some(format!("`{r}` is not a rule of the catalog"))
            }
            Some(_) => None,
        },
        _ => None,
    }
}
