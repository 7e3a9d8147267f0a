//! The scenario's domains, machines, external ids and disabled accounts, written from
//! what `estate` and `site` read: global groups hold their own domain's users and
//! computers, a nested group gives its members (`X-IMPORT-NESTING`), and what the model
//! cannot hold is left out and recorded.

use std::collections::BTreeSet;

use super::estate::{Builder, Kind, domain_of};
use crate::rules::RuleId;
use crate::scenario::raw::*;

/// The domains, sorted by name.
pub(super) fn domains(b: &mut Builder<'_>) -> Vec<RawDomain> {
    let sids: Vec<String> = b.domains.keys().cloned().collect();
    let mut out = Vec::new();
    for dsid in sids {
        let name = b.domains[&dsid].name.clone();
        let mut users = Vec::new();
        let mut global_groups = Vec::new();
        let mut local_groups = Vec::new();
        let principals: Vec<(String, Kind, String)> = b
            .principals
            .iter()
            .filter(|(_, p)| p.domain == dsid)
            .map(|(s, p)| (s.clone(), p.kind, p.name.clone()))
            .collect();
        for (sid, kind, pname) in principals {
            match kind {
                Kind::User => users.push(pname.as_str().into()),
                Kind::Computer => {}
                Kind::Group { local } => {
                    let members = members(b, &sid, (!local).then_some(dsid.as_str()));
                    let group = RawGroup {
                        name: pname.as_str().into(),
                        members,
                    };
                    if local {
                        local_groups.push(group)
                    } else {
                        global_groups.push(group)
                    }
                }
            }
        }
        // The domain's builtin Administrators, as SharpHound and CMBP key it.
        if let Some(fqdn) = b.domains[&dsid].fqdn.clone() {
            let builtin = format!("{}-S-1-5-32-544", fqdn.to_ascii_uppercase());
            if b.members.contains_key(&builtin) {
                let members = members(b, &builtin, None);
                local_groups.push(RawGroup {
                    name: "Administrators".into(),
                    members,
                });
            }
        }
        let d = &b.domains[&dsid];
        let (quota, sharphound) = (d.quota, d.sharphound);
        let trusts: Vec<Text> = d
            .trusts
            .iter()
            .filter_map(|t| b.domains.get(t).map(|t| t.name.as_str().into()))
            .collect();
        match sharphound {
            Some(f) => {
                if let Some(q) = quota {
                    b.collected(
                        format!("domains[{name}].machine_account_quota"),
                        q.to_string(),
                        f,
                        &dsid,
                        Some("machineaccountquota"),
                    );
                }
                let value = trusts
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                b.collected(
                    format!("domains[{name}].trusts"),
                    value,
                    f,
                    &dsid,
                    Some("Trusts"),
                );
            }
            None => {
                let why = "no SharpHound domains file describes it";
                b.unknown("machine_account_quota", Some(&name), None, why);
                b.unknown("trusts", Some(&name), None, why);
            }
        }
        users.sort_by_key(|u: &Text| u.to_ascii_uppercase());
        global_groups.sort_by_key(|g| g.name.to_ascii_uppercase());
        out.push(RawDomain {
            name: name.as_str().into(),
            trusts,
            users,
            global_groups,
            local_groups,
            rights: Vec::new(),
            forest: None,
            machine_account_quota: quota.filter(|_| sharphound.is_some()),
            add_workstations: None,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// A group's members as the scenario writes them: for a global group of `domain`, its
/// own domain's users and computers, with nested groups' members in their place; for a
/// local group, users, computers and global groups of any domain.
fn members(b: &mut Builder<'_>, group: &str, global_of: Option<&str>) -> Vec<Text> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    let mut seen: BTreeSet<String> = BTreeSet::from([group.to_string()]);
    let mut todo: Vec<String> = b
        .members
        .get(group)
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let mut nested = Vec::new();
    while let Some(m) = todo.pop() {
        let Some(p) = b.principals.get(&m) else {
            if !super::collected::is_well_known(&m) {
                b.leave_out(
                    &m,
                    format!("a member of `{group}` that no file of the collection describes"),
                );
            }
            continue;
        };
        let flatten = match (p.kind, global_of) {
            (Kind::Group { .. }, Some(_)) => true,
            (Kind::Group { local: true }, None) => true,
            (_, Some(d)) if p.domain != d => {
                b.leave_out(
                    &m,
                    format!(
                        "a member of global group `{group}` from another domain (X-IMPORT-NESTING)"
                    ),
                );
                continue;
            }
            _ => false,
        };
        if flatten {
            if seen.insert(m.clone()) {
                nested.push(m.clone());
                todo.extend(b.members.get(&m).into_iter().flatten().cloned());
            }
            continue;
        }
        if let Some(q) = b.qualified(&m) {
            out.insert(q);
        }
    }
    for n in nested {
        let name = b.qualified(&n).unwrap_or(n);
        b.ruled(
            format!("members of `{group}`"),
            format!("those of {name}"),
            RawProvenance::Assumption,
            RuleId::XImportNesting,
        );
    }
    out.into_iter().map(|s| s.as_str().into()).collect()
}

/// The machines, sorted by name.
pub(super) fn machines(b: &mut Builder<'_>) -> Vec<RawMachine> {
    let sids: Vec<String> = b.machines.keys().cloned().collect();
    let mut out = Vec::new();
    for sid in sids {
        let Some(p) = b.principals.get(&sid) else {
            continue;
        };
        let (name, domain) = (
            p.name.clone(),
            b.domains.get(&p.domain).map(|d| d.name.clone()),
        );
        let m = &b.machines[&sid];
        let (platform, from, sms_client, roles) = (
            m.platform,
            m.platform_from,
            m.sms_client,
            !m.roles.is_empty(),
        );
        let admins = m.admins.clone();
        let platform = match from {
            Some((f, property)) => {
                b.collected(
                    format!("machines[{name}].platform"),
                    key(platform),
                    f,
                    &sid,
                    Some(property),
                );
                platform
            }
            None => {
                let platform = if roles {
                    RawPlatform::WindowsServer
                } else {
                    RawPlatform::WindowsClient
                };
                b.ruled(
                    format!("machines[{name}].platform"),
                    key(platform),
                    RawProvenance::Assumption,
                    RuleId::XImportPlatform,
                );
                platform
            }
        };
        let mut local_groups = Vec::new();
        if platform != RawPlatform::WindowsServerDc {
            match admins {
                Some((f, id, list)) => {
                    let group = format!("{sid}-544");
                    b.members.insert(group.clone(), list.into_iter().collect());
                    let members = members(b, &group, None);
                    b.collected(
                        format!("machines[{name}].local_groups[Administrators]"),
                        members.len().to_string(),
                        f,
                        &id,
                        Some("Results"),
                    );
                    local_groups.push(RawGroup {
                        name: "Administrators".into(),
                        members,
                    });
                }
                None => b.unknown(
                    "administrators",
                    None,
                    Some(&name),
                    "SharpHound did not collect its local Administrators",
                ),
            }
        }
        out.push(RawMachine {
            name: name.as_str().into(),
            platform,
            domain: domain.map(|d| d.as_str().into()),
            sms_client,
            users: Vec::new(),
            local_groups,
            rights: Vec::new(),
            deny_network_logon: Vec::new(),
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// A platform's word in the scenario format.
fn key(p: RawPlatform) -> String {
    serde_json::to_value(p)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// The ids of the domains, accounts and machines, and the clients' device ids.
pub(super) fn external_ids(b: &Builder<'_>) -> RawExternalIds {
    let mut ids = RawExternalIds::default();
    for (sid, d) in &b.domains {
        ids.domains.push(RawDomainIds {
            name: d.name.as_str().into(),
            sid: Some(sid.as_str().into()),
            dns_name: d.fqdn.as_deref().map(|f| f.to_ascii_lowercase().into()),
        });
    }
    for (sid, p) in &b.principals {
        if p.kind == Kind::Computer || domain_of(sid).is_none() {
            continue;
        }
        if let Some(q) = b.qualified(sid) {
            ids.accounts.push(RawAccountId {
                name: q.as_str().into(),
                sid: sid.as_str().into(),
            });
        }
    }
    let devices: std::collections::BTreeMap<&str, &Text> = b
        .imported
        .clients
        .iter()
        .map(|c| (c.machine.as_str(), &c.device_id))
        .collect();
    for sid in b.machines.keys() {
        let Some(p) = b.principals.get(sid) else {
            continue;
        };
        let device = devices.get(p.name.as_str()).map(|d| (*d).clone());
        ids.machines.push(RawMachineIds {
            name: p.name.as_str().into(),
            sid: Some(sid.as_str().into()),
            device_id: device,
        });
    }
    ids.domains.sort_by(|a, b| a.name.cmp(&b.name));
    ids.accounts.sort_by(|a, b| a.name.cmp(&b.name));
    ids.machines.sort_by(|a, b| a.name.cmp(&b.name));
    ids
}

/// The users the collection shows disabled.
pub(super) fn disabled(b: &Builder<'_>) -> Vec<Text> {
    b.principals
        .iter()
        .filter(|(_, p)| p.kind == Kind::User && p.enabled == Some(false))
        .filter_map(|(sid, _)| b.qualified(sid).map(|q| q.as_str().into()))
        .collect()
}
