//! The estate of an import: domains (by SID), their users and groups, the memberships
//! the collection shows, and the machines with their platforms and local
//! Administrators, each named as the scenario names it and each fact recorded with its
//! provenance. Names come from SharpHound where given, else from ConfigManBearPig; two
//! machines of one name are told apart (`X-IMPORT-RENAME`).

use std::collections::{BTreeMap, BTreeSet};

use super::Options;
use super::collected::{Collection, FileIx, is_well_known};
use crate::rules::RuleId;
use crate::scenario::raw::{
    RawFact, RawImported, RawLeftOut, RawPlatform, RawProvenance, RawUnknown,
};

/// A domain of the import.
#[derive(Debug, Default)]
pub(super) struct Dom {
    pub(super) fqdn: Option<String>,
    pub(super) name: String,
    pub(super) quota: Option<u32>,
    /// SIDs of the domains it trusts.
    pub(super) trusts: BTreeSet<String>,
    /// The SharpHound file that describes it, if one does.
    pub(super) sharphound: Option<FileIx>,
}

/// What a principal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    User,
    Computer,
    Group { local: bool },
}

/// A principal of a domain, by SID.
#[derive(Debug)]
pub(super) struct Principal {
    pub(super) domain: String,
    /// Its account name (without `$` for a computer: the machine's name).
    pub(super) name: String,
    pub(super) kind: Kind,
    pub(super) enabled: Option<bool>,
    pub(super) file: FileIx,
}

/// A machine of the import, by SID.
#[derive(Debug)]
pub(super) struct Mach {
    pub(super) platform: RawPlatform,
    pub(super) platform_from: Option<(FileIx, &'static str)>,
    pub(super) dns: Option<String>,
    pub(super) roles: Vec<String>,
    pub(super) cert_required: Option<bool>,
    pub(super) admins: Option<(FileIx, String, Vec<String>)>,
    pub(super) sms_client: bool,
}

/// The import under way.
pub(super) struct Builder<'c> {
    pub(super) c: &'c Collection,
    pub(super) o: &'c Options,
    pub(super) unknown: Vec<RawUnknown>,
    pub(super) imported: RawImported,
    pub(super) domains: BTreeMap<String, Dom>,
    pub(super) principals: BTreeMap<String, Principal>,
    pub(super) machines: BTreeMap<String, Mach>,
    /// Group SID to member SIDs.
    pub(super) members: BTreeMap<String, BTreeSet<String>>,
    /// The ids left out so far: each is recorded once, with its first reason.
    left_out: BTreeSet<String>,
}

/// The domain part of a domain SID (`S-1-5-21-a-b-c-RID` without `-RID`).
pub(super) fn domain_of(sid: &str) -> Option<&str> {
    let (domain, rid) = sid.rsplit_once('-')?;
    (sid.starts_with("S-1-5-21-") && domain.split('-').count() == 7 && !rid.is_empty())
        .then_some(domain)
}

/// A SharpHound trust's direction, as a word: `inbound`, `outbound`, `bidirectional`
/// (SharpHound writes the word or its number, 1 to 3), or empty.
fn direction(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.to_ascii_lowercase(),
        serde_json::Value::Number(n) => match n.as_u64() {
            Some(1) => "inbound".into(),
            Some(2) => "outbound".into(),
            Some(3) => "bidirectional".into(),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

/// The name before `@` or the first DNS label, upper-cased.
fn short(name: &str) -> String {
    name.split(['@', '.'])
        .next()
        .unwrap_or(name)
        .to_ascii_uppercase()
}

impl<'c> Builder<'c> {
    pub(super) fn new(c: &'c Collection, o: &'c Options) -> Self {
        Builder {
            c,
            o,
            unknown: Vec::new(),
            imported: RawImported::default(),
            domains: BTreeMap::new(),
            principals: BTreeMap::new(),
            machines: BTreeMap::new(),
            members: BTreeMap::new(),
            left_out: BTreeSet::new(),
        }
    }

    /// A fact read from the collection.
    pub(super) fn collected(
        &mut self,
        fact: String,
        value: String,
        f: FileIx,
        id: &str,
        property: Option<&str>,
    ) {
        self.imported.facts.push(RawFact {
            fact: fact.into(),
            value: value.into(),
            provenance: RawProvenance::Collected,
            file: Some(self.c.files[f].as_str().into()),
            id: Some(id.into()),
            property: property.map(Into::into),
            option: None,
            rule: None,
        });
    }

    /// A fact of a default or a named assumption.
    pub(super) fn ruled(
        &mut self,
        fact: String,
        value: String,
        provenance: RawProvenance,
        rule: RuleId,
    ) {
        self.imported.facts.push(RawFact {
            fact: fact.into(),
            value: value.into(),
            provenance,
            file: None,
            id: None,
            property: None,
            option: None,
            rule: Some(rule.as_str().into()),
        });
    }

    /// A fact given on the command line.
    pub(super) fn given(&mut self, fact: String, value: String, option: &str) {
        self.imported.facts.push(RawFact {
            fact: fact.into(),
            value: value.into(),
            provenance: RawProvenance::Given,
            file: None,
            id: None,
            property: None,
            option: Some(option.into()),
            rule: None,
        });
    }

    /// Something left out, and why.
    pub(super) fn leave_out(&mut self, id: &str, because: String) {
        if !self.left_out.insert(id.to_string()) {
            return;
        }
        self.imported.left_out.push(RawLeftOut {
            id: id.into(),
            because: because.into(),
        });
    }

    pub(super) fn unknown(
        &mut self,
        fact: &str,
        domain: Option<&str>,
        machine: Option<&str>,
        because: &str,
    ) {
        self.unknown.push(RawUnknown {
            fact: fact.into(),
            machine: machine.map(Into::into),
            domain: domain.map(Into::into),
            because: Some(because.into()),
        });
    }

    /// The scenario name of a principal: `DOMAIN\name` (`NAME$` for a computer).
    pub(super) fn qualified(&self, sid: &str) -> Option<String> {
        let p = self.principals.get(sid)?;
        let d = &self.domains.get(&p.domain)?.name;
        Some(match p.kind {
            Kind::Computer => format!("{d}\\{}$", p.name),
            _ => format!("{d}\\{}", p.name),
        })
    }

    /// Domains, principals, memberships and machines.
    pub(super) fn estate(&mut self) {
        self.read_domains();
        self.read_principals();
        self.read_memberships();
        self.read_machines();
        self.name_domains();
        self.rename_machines();
    }

    fn read_domains(&mut self) {
        for (f, o) in &self.c.sh_domains {
            let d = self
                .domains
                .entry(o.ObjectIdentifier.to_ascii_uppercase())
                .or_default();
            d.fqdn = o
                .Properties
                .name
                .clone()
                .or_else(|| o.Properties.domain.clone());
            d.name = o
                .Properties
                .netbios
                .as_deref()
                .map(str::to_ascii_uppercase)
                .unwrap_or_default();
            d.quota = o
                .Properties
                .machineaccountquota
                .and_then(|q| u32::try_from(q).ok());
            d.sharphound = Some(*f);
        }
        // Trusts once every collected domain is known; a trusted domain the files do
        // not describe is made from the trust's name.
        for (_, o) in &self.c.sh_domains {
            let me = o.ObjectIdentifier.to_ascii_uppercase();
            for t in &o.Trusts {
                let target = t.TargetDomainSid.to_ascii_uppercase();
                let dir = direction(&t.TrustDirection);
                let other = self.domains.entry(target.clone()).or_default();
                if other.fqdn.is_none() {
                    other.fqdn = t.TargetDomainName.clone();
                }
                if matches!(dir.as_str(), "outbound" | "bidirectional") {
                    self.domains
                        .entry(me.clone())
                        .or_default()
                        .trusts
                        .insert(target.clone());
                }
                if matches!(dir.as_str(), "inbound" | "bidirectional") {
                    self.domains
                        .entry(target)
                        .or_default()
                        .trusts
                        .insert(me.clone());
                }
            }
        }
        for (_, n) in &self.c.nodes {
            let kind = n.kinds.first().map_or("", String::as_str);
            if !matches!(kind, "User" | "Computer" | "Group") {
                continue;
            }
            let Some(sid) = domain_of(&n.id) else {
                continue;
            };
            let d = self.domains.entry(sid.to_ascii_uppercase()).or_default();
            if d.fqdn.is_none() {
                d.fqdn = n.properties.Domain.clone();
            }
        }
    }

    fn read_principals(&mut self) {
        let sh = [
            (&self.c.sh_users, Kind::User),
            (&self.c.sh_computers, Kind::Computer),
            (&self.c.sh_groups, Kind::Group { local: false }),
        ];
        for (list, kind) in sh {
            for (f, o) in list {
                let p = &o.Properties;
                let kind = match kind {
                    Kind::Group { .. } => Kind::Group {
                        local: p.groupscope.as_deref() == Some("DomainLocal"),
                    },
                    k => k,
                };
                let name = p.samaccountname.clone().or_else(|| p.name.clone());
                self.principal(&o.ObjectIdentifier, name.as_deref(), kind, p.enabled, *f);
            }
        }
        for (f, n) in &self.c.nodes {
            let kind = match n.kinds.first().map_or("", String::as_str) {
                "User" => Kind::User,
                "Computer" => Kind::Computer,
                "Group" => Kind::Group { local: false },
                _ => continue,
            };
            let p = &n.properties;
            let name = p
                .samAccountName
                .clone()
                .or_else(|| p.SamAccountName.clone())
                .or_else(|| p.CN.clone())
                .or_else(|| p.name.clone());
            self.principal(&n.id, name.as_deref(), kind, p.Enabled, *f);
        }
    }

    /// Adds a principal once (the first source wins); well-known and builtin ones are
    /// kept apart: only a domain's Administrators (`FQDN-S-1-5-32-544`) is used.
    fn principal(
        &mut self,
        id: &str,
        name: Option<&str>,
        kind: Kind,
        enabled: Option<bool>,
        f: FileIx,
    ) {
        let id = id.to_ascii_uppercase();
        if self.principals.contains_key(&id) {
            return;
        }
        let Some(domain) = domain_of(&id).map(str::to_string) else {
            if !(is_well_known(&id) && id.ends_with("-S-1-5-32-544")) {
                self.leave_out(
                    &id,
                    "a well-known or builtin principal the model has no account for".into(),
                );
            }
            return;
        };
        let Some(name) = name.filter(|n| !n.is_empty()) else {
            self.leave_out(&id, "the collection gives it no account name".into());
            return;
        };
        let mut name = name.split('@').next().unwrap_or(name).to_string();
        if kind == Kind::Computer {
            name = name
                .trim_end_matches('$')
                .split('.')
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
        } else if name.ends_with('$') {
            self.leave_out(
                &id,
                format!("`{name}` is a service or trust account the model does not hold"),
            );
            return;
        }
        self.principals.insert(
            id,
            Principal {
                domain,
                name,
                kind,
                enabled,
                file: f,
            },
        );
    }

    fn read_memberships(&mut self) {
        for (_, e) in self.c.edges_of("MemberOf") {
            self.members
                .entry(e.end.value.to_ascii_uppercase())
                .or_default()
                .insert(e.start.value.to_ascii_uppercase());
        }
        for (_, o) in &self.c.sh_groups {
            let set = self
                .members
                .entry(o.ObjectIdentifier.to_ascii_uppercase())
                .or_default();
            set.extend(
                o.Members
                    .iter()
                    .map(|m| m.ObjectIdentifier.to_ascii_uppercase()),
            );
        }
        for (_, o) in self.c.sh_users.iter().chain(&self.c.sh_computers) {
            if let Some(g) = &o.PrimaryGroupSID {
                self.members
                    .entry(g.to_ascii_uppercase())
                    .or_default()
                    .insert(o.ObjectIdentifier.to_ascii_uppercase());
            }
        }
    }

    fn read_machines(&mut self) {
        let sids: Vec<String> = self
            .principals
            .iter()
            .filter(|(_, p)| p.kind == Kind::Computer)
            .map(|(s, _)| s.clone())
            .collect();
        for sid in sids {
            let mut m = Mach {
                platform: RawPlatform::WindowsClient,
                platform_from: None,
                dns: None,
                roles: Vec::new(),
                cert_required: None,
                admins: None,
                sms_client: false,
            };
            if let Some(n) = self.c.node(&sid) {
                m.dns = n
                    .properties
                    .dNSHostName
                    .clone()
                    .map(|d| d.to_ascii_lowercase());
                m.roles = n.properties.SCCMSiteSystemRoles.clone().unwrap_or_default();
                m.cert_required = n.properties.SCCMClientCertificateRequired;
            }
            if let Some((f, o)) = self
                .c
                .sh_computers
                .iter()
                .find(|(_, o)| o.ObjectIdentifier.eq_ignore_ascii_case(&sid))
            {
                let os = o.Properties.operatingsystem.as_deref().unwrap_or("");
                if o.IsDC == Some(true) || o.Properties.isdc == Some(true) {
                    m.platform = RawPlatform::WindowsServerDc;
                    m.platform_from = Some((*f, "IsDC"));
                } else if !os.is_empty() {
                    m.platform = if os.contains("Server") {
                        RawPlatform::WindowsServer
                    } else {
                        RawPlatform::WindowsClient
                    };
                    m.platform_from = Some((*f, "operatingsystem"));
                }
                if m.dns.is_none() {
                    m.dns = o.Properties.name.clone().map(|d| d.to_ascii_lowercase());
                }
                let admins = o
                    .LocalGroups
                    .iter()
                    .find(|g| g.ObjectIdentifier.to_ascii_uppercase().ends_with("-544"));
                if let Some(g) = admins.filter(|g| g.Collected) {
                    let list = g
                        .Results
                        .iter()
                        .map(|r| r.ObjectIdentifier.to_ascii_uppercase())
                        .collect();
                    m.admins = Some((*f, g.ObjectIdentifier.clone(), list));
                }
            }
            self.machines.insert(sid, m);
        }
    }

    /// Each domain's name: SharpHound's NetBIOS name, else the first label of its DNS
    /// name (`X-IMPORT-NETBIOS`).
    fn name_domains(&mut self) {
        let sids: Vec<String> = self.domains.keys().cloned().collect();
        for sid in sids {
            let d = &self.domains[&sid];
            if !d.name.is_empty() {
                let (name, f) = (d.name.clone(), d.sharphound.unwrap_or(0));
                self.collected(
                    format!("domains[{name}].name"),
                    name,
                    f,
                    &sid,
                    Some("netbios"),
                );
                continue;
            }
            let name = d
                .fqdn
                .as_deref()
                .map(short)
                .unwrap_or_else(|| format!("DOMAIN-{}", sid.rsplit('-').next().unwrap_or("")));
            self.ruled(
                format!("domains[{name}].name"),
                name.clone(),
                RawProvenance::Assumption,
                RuleId::XImportNetbios,
            );
            if let Some(d) = self.domains.get_mut(&sid) {
                d.name = name;
            }
        }
    }

    /// Machines of one name: the first by SID keeps it, each other takes `-RID`.
    fn rename_machines(&mut self) {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let sids: Vec<String> = self.machines.keys().cloned().collect();
        for sid in sids {
            let Some(p) = self.principals.get_mut(&sid) else {
                continue;
            };
            let folded = p.name.to_ascii_uppercase();
            if seen.insert(folded) {
                continue;
            }
            let collected = p.name.clone();
            p.name = format!("{collected}-{}", sid.rsplit('-').next().unwrap_or(""));
            seen.insert(p.name.to_ascii_uppercase());
            let name = p.name.clone();
            self.ruled(
                format!("machines[{name}].name"),
                name,
                RawProvenance::Assumption,
                RuleId::XImportRename,
            );
            self.imported
                .renamed
                .push(crate::scenario::raw::RawRenamed {
                    machine: self.principals[&sid].name.as_str().into(),
                    collected: collected.into(),
                    sid: sid.as_str().into(),
                });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_finds_a_domain_account_s_domain_and_a_trust_s_direction() {
        assert_eq!(domain_of("S-1-5-21-1-2-3-500"), Some("S-1-5-21-1-2-3"));
        assert_eq!(domain_of("S-1-5-21-1-2-3"), None, "a domain's own SID");
        assert_eq!(domain_of("S-1-5-21-1-2-3-4-5"), None);
        assert_eq!(domain_of("S-1-5-21-1-2-3-"), None);
        assert_eq!(domain_of("S-1-5-32-1-2-3-544"), None);
        assert_eq!(domain_of("CORP.EXAMPLE-S-1-5-21-1-2-3-500"), None);
        let d = |v: serde_json::Value| direction(&v);
        assert_eq!(d(serde_json::json!("Outbound")), "outbound");
        assert_eq!(d(serde_json::json!(1)), "inbound");
        assert_eq!(d(serde_json::json!(2)), "outbound");
        assert_eq!(d(serde_json::json!(3)), "bidirectional");
        assert_eq!(d(serde_json::json!(4)), "");
        assert_eq!(d(serde_json::json!(null)), "");
        assert_eq!(short("ps1-dp.mayyhem.com"), "PS1-DP");
        assert_eq!(short("NETWORKACCESS@MAYYHEM.COM"), "NETWORKACCESS");
    }
}
