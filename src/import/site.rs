//! The site of an import and the scenario it ends in: the primary site chosen, its site
//! servers and distribution points, its clients (confirmed and inferred) and their
//! current users, its stored accounts and which of them are network access accounts,
//! the sysadmin logins of its database, the settings a collection does not carry
//! (options, else the default, listed unknown), and the scenario's domains, machines
//! and external ids written out.

use std::collections::{BTreeMap, BTreeSet};

use super::ImportError;
use super::collected::{FileIx, Node};
use super::estate::{Builder, Kind, domain_of};
use crate::rules::RuleId;
use crate::scenario::raw::*;

/// The chosen site: its code, file and node.
struct Site<'c> {
    code: String,
    file: FileIx,
    node: &'c Node,
}

/// Finishes the import: the whole scenario.
pub(super) fn finish(mut b: Builder<'_>) -> Result<RawScenario, ImportError> {
    let site = choose_site(&b)?;
    b.imported.site = site.code.as_str().into();
    b.imported.privileged = b.c.of_kind("SCCM_AdminUser").next().is_some()
        || b.c.of_kind("SCCM_SecurityRole").next().is_some();
    b.collected(
        "site.code".into(),
        site.code.clone(),
        site.file,
        &site.node.id,
        Some("siteCode"),
    );
    clients(&mut b, &site);
    let naas = network_access_accounts(&mut b, &site)?;
    let previous =
        b.o.previous_naa
            .iter()
            .map(|n| find_account(&b, n, "--previous-naa"))
            .collect::<Result<Vec<_>, _>>()?;
    let push = super::push::client_push(&mut b, |b, n| find_account(b, n, "--push-account"))?;
    let (site_server, passive) = site_servers(&mut b, &site);
    let dps = distribution_points(&mut b, &site);
    super::policy::pxe(&mut b, &dps, machine_name);
    let readers = database_readers(&mut b, &site);
    let logons = logons(&mut b, &site);
    let mut raw_site = RawSite {
        product: Some(RawProduct::Configmgr),
        code: site.code.as_str().into(),
        domain: Text::default(),
        token_account: None,
        connection_accounts: None,
        software_installation_account: None,
        software_installation_rights: Vec::new(),
        cap: None,
        distribution_points: dps.iter().map(|(_, share)| share.as_str().into()).collect(),
        network_access_accounts: naas.iter().map(|n| n.as_str().into()).collect(),
        previous_network_access_accounts: previous.iter().map(|n| n.as_str().into()).collect(),
        enhanced_http: false,
        https_only: https_only(&mut b, &dps),
        approval: None,
        site_server: site_server.as_ref().map(|s| machine_name(&b, s).into()),
        passive_site_servers: passive.iter().map(|s| machine_name(&b, s).into()).collect(),
        database_readers: readers.iter().map(|r| r.as_str().into()).collect(),
        anonymous_distribution_points: Vec::new(),
        client_push: push,
        task_sequences: Vec::new(),
        deployments: Vec::new(),
        pxe: Vec::new(),
    };
    settings(&mut b, &mut raw_site, &dps)?;
    raw_site.domain = site_domain(&b, site_server.as_deref(), &site)
        .as_str()
        .into();
    let collections = super::policy::collections(&mut b);
    let domains = super::finish::domains(&mut b);
    let machines = super::finish::machines(&mut b);
    let external_ids = super::finish::external_ids(&b);
    let disabled = super::finish::disabled(&b);
    let description = format!(
        "Imported from a ConfigManBearPig collection ({} file(s)): site {}, {} client(s), {} stored account(s). Where each fact comes from is under `imported`; what the collection could not establish is under `unknown`.",
        b.c.files.len(),
        site.code,
        b.imported.clients.len(),
        b.imported.stored_accounts.len()
    );
    b.imported.tool = concat!("sms-accounts ", env!("CARGO_PKG_VERSION"), " import cmbp").into();
    b.imported.files = b.c.files.iter().map(|f| f.as_str().into()).collect();
    Ok(RawScenario {
        schema_version: crate::scenario::SCHEMA_VERSION,
        description: Some(description.into()),
        assumptions: RawAssumptions::default(),
        domains,
        machines,
        site: raw_site,
        resources: Vec::new(),
        packages: Vec::new(),
        programs: Vec::new(),
        collections,
        advertisements: Vec::new(),
        state: RawState {
            logons,
            disabled,
            ..RawState::default()
        },
        external_ids,
        unknown: std::mem::take(&mut b.unknown),
        imported: Some(std::mem::take(&mut b.imported)),
        expectations: Vec::new(),
        exposure_expectations: Vec::new(),
        push_expectations: Vec::new(),
    })
}

/// The primary site: `--site`, or the only primary of the collection.
fn choose_site<'c>(b: &Builder<'c>) -> Result<Site<'c>, ImportError> {
    let sites: Vec<(FileIx, &Node)> = b.c.of_kind("SCCM_Site").collect();
    let describe = || {
        sites
            .iter()
            .map(|(_, n)| {
                format!(
                    "`{}` ({})",
                    n.id,
                    n.properties
                        .siteType
                        .as_deref()
                        .unwrap_or("type not collected")
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let primary = |n: &Node| n.properties.siteType.as_deref() == Some("Primary Site");
    let pick = |f: FileIx, n: &'c Node| Site {
        code: n
            .properties
            .siteCode
            .clone()
            .unwrap_or_else(|| n.id.clone())
            .to_ascii_uppercase(),
        file: f,
        node: n,
    };
    if let Some(code) = &b.o.site {
        let Some(&(f, n)) = sites.iter().find(|(_, n)| n.id.eq_ignore_ascii_case(code)) else {
            return Err(ImportError::Choose(format!(
                "--site `{code}`: the collection has no such site; its sites are {}",
                describe()
            )));
        };
        if !primary(n) {
            return Err(ImportError::Choose(format!(
                "--site `{code}`: a {}, and the import takes a primary site (it holds the clients and the accounts); the collection's sites are {}",
                n.properties
                    .siteType
                    .as_deref()
                    .unwrap_or("site whose type was not collected"),
                describe()
            )));
        }
        return Ok(pick(f, n));
    }
    let primaries: Vec<_> = sites.iter().filter(|(_, n)| primary(n)).collect();
    match primaries.as_slice() {
        [(f, n)] => Ok(pick(*f, n)),
        [] => Err(ImportError::Bad {
            file: b.c.files.join(", "),
            place: "SCCM_Site nodes".into(),
            expected: format!(
                "a primary site (siteType `Primary Site`); the collection's sites are {}",
                if sites.is_empty() {
                    "none".into()
                } else {
                    describe()
                }
            ),
        }),
        _ => Err(ImportError::Choose(format!(
            "the collection has several primary sites: choose one with --site CODE; its sites are {}",
            describe()
        ))),
    }
}

/// The scenario name of a machine by SID.
fn machine_name(b: &Builder<'_>, sid: &str) -> String {
    b.principals
        .get(sid)
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

/// The site's clients: each device with an `SCCM_HasClient` edge from the site, on the
/// machine it is the same host as.
fn clients(b: &mut Builder<'_>, site: &Site<'_>) {
    let c = b.c;
    let mut same_host: BTreeMap<&str, &str> = BTreeMap::new();
    for (_, e) in c.edges_of("SCCM_SameHostAs") {
        // CMBP writes the edge both ways; the end that is a computer is the host.
        let (s, t) = (e.start.value.as_str(), e.end.value.as_str());
        if b.machines.contains_key(&s.to_ascii_uppercase()) {
            same_host.insert(t, s);
        } else {
            same_host.insert(s, t);
        }
    }
    for (f, e) in c.edges_of("SCCM_HasClient") {
        if !e.start.value.eq_ignore_ascii_case(&site.node.id) {
            continue;
        }
        let Some(device) = c.node(&e.end.value) else {
            continue;
        };
        let p = &device.properties;
        let sid = same_host
            .get(device.id.as_str())
            .map(|s| s.to_string())
            .or_else(|| p.ADDomainSID.clone())
            .map(|s| s.to_ascii_uppercase());
        let Some(sid) = sid.filter(|s| b.machines.contains_key(s)) else {
            b.leave_out(
                &device.id,
                "a client device whose computer the collection does not hold".into(),
            );
            continue;
        };
        let confirmed =
            p.is_confirmed_active_client == Some(true) && e.properties.assumed != Some(true);
        let name = machine_name(b, &sid);
        if let Some(m) = b.machines.get_mut(&sid) {
            if m.sms_client {
                continue;
            }
            m.sms_client = true;
            if m.platform_from.is_none()
                && let Some(os) = p.deviceOS.as_deref().filter(|o| !o.is_empty())
            {
                m.platform = if os.contains("Server") {
                    RawPlatform::WindowsServer
                } else {
                    RawPlatform::WindowsClient
                };
                m.platform_from = Some((f, "deviceOS"));
            }
        }
        b.collected(
            format!("machines[{name}].sms_client"),
            "true".into(),
            f,
            &device.id,
            Some("SCCM_HasClient"),
        );
        if !confirmed {
            b.ruled(
                format!("machines[{name}].sms_client"),
                "true".into(),
                RawProvenance::Assumption,
                RuleId::XImportInferredClient,
            );
        }
        b.imported.clients.push(RawImportedClient {
            machine: name.into(),
            device_id: device.id.as_str().into(),
            confirmed,
        });
    }
    b.imported.clients.sort_by(|a, b| a.machine.cmp(&b.machine));
}

/// An account named on the command line: a SID, `DOMAIN\name`, `NAME@FQDN` or a bare
/// name, among the collection's users.
fn find_account(b: &Builder<'_>, text: &str, option: &str) -> Result<String, ImportError> {
    let upper = text.to_ascii_uppercase();
    let found = b.principals.iter().find(|(sid, p)| {
        if p.kind != Kind::User {
            return false;
        }
        let d = &b.domains[&p.domain];
        let fqdn = d.fqdn.as_deref().unwrap_or("").to_ascii_uppercase();
        let name = p.name.to_ascii_uppercase();
        **sid == upper
            || upper == format!("{}\\{name}", d.name)
            || upper == format!("{name}@{fqdn}")
            || upper == name
    });
    found.and_then(|(sid, _)| b.qualified(sid)).ok_or_else(|| {
        ImportError::Choose(format!(
            "{option} `{text}`: no user of the collection has that name or SID; its stored accounts are {}",
            stored_list(b)
        ))
    })
}

/// The site's stored accounts, by SID.
fn stored(b: &Builder<'_>) -> BTreeSet<String> {
    let site = b.imported.site.as_str();
    let mut out: BTreeSet<String> = BTreeSet::new();
    for (_, n) in
        b.c.of_kind("SCCM_Site")
            .filter(|(_, n)| n.id.eq_ignore_ascii_case(site))
    {
        out.extend(
            n.properties
                .storedAccounts
                .iter()
                .flatten()
                .map(|s| s.to_ascii_uppercase()),
        );
    }
    for (_, e) in b.c.edges_of("SCCM_HasStoredAccount") {
        if e.start.value.eq_ignore_ascii_case(site) {
            out.insert(e.end.value.to_ascii_uppercase());
        }
    }
    out
}

fn stored_list(b: &Builder<'_>) -> String {
    let names: Vec<String> = stored(b)
        .iter()
        .map(|sid| match b.qualified(sid) {
            Some(n) => format!("`{n}` ({sid})"),
            None => format!("`{sid}`"),
        })
        .collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// The network access accounts: flagged by the collection, named by `--naa` (or all),
/// the sole stored account, or a usage error listing the stored accounts.
fn network_access_accounts(
    b: &mut Builder<'_>,
    site: &Site<'_>,
) -> Result<Vec<String>, ImportError> {
    let stored = stored(b);
    let all = b.o.naa.iter().any(|n| n.eq_ignore_ascii_case("all"));
    let named: Vec<String> =
        b.o.naa
            .iter()
            .filter(|n| !n.eq_ignore_ascii_case("all"))
            .map(|n| find_account(b, n, "--naa"))
            .collect::<Result<_, _>>()?;
    let flagged: BTreeSet<&String> = stored
        .iter()
        .filter(|sid| {
            b.c.node(sid).is_some_and(|n| {
                n.properties.isSCCMNetworkAccessAccount == Some(true)
                    || n.properties.is_sccm_network_access_account == Some(true)
            })
        })
        .collect();
    let (chosen, provenance, rule, option): (BTreeSet<String>, _, _, _) = if all {
        (
            stored.clone(),
            RawProvenance::Assumption,
            Some(RuleId::XImportNaaAll),
            Some("--naa all"),
        )
    } else if !b.o.naa.is_empty() {
        let sids = stored
            .iter()
            .filter(|s| b.qualified(s).is_some_and(|q| named.contains(&q)))
            .cloned()
            .collect();
        (sids, RawProvenance::Given, None, Some("--naa"))
    } else if !flagged.is_empty() {
        (
            flagged.into_iter().cloned().collect(),
            RawProvenance::Collected,
            None,
            None,
        )
    } else if stored.len() == 1 {
        (
            stored.clone(),
            RawProvenance::Assumption,
            Some(RuleId::XImportNaaSole),
            None,
        )
    } else if !stored.is_empty() {
        return Err(ImportError::Choose(format!(
            "site {} stores {} accounts and the collection does not say which are network access accounts: name them with --naa NAME|SID (repeatable) or take them all with --naa all; the stored accounts are {}",
            site.code,
            stored.len(),
            stored_list(b)
        )));
    } else {
        (BTreeSet::new(), RawProvenance::Collected, None, None)
    };
    if stored.is_empty() && !b.imported.privileged && named.is_empty() {
        b.ruled(
            "site.network_access_accounts".into(),
            "unknown".into(),
            RawProvenance::Assumption,
            RuleId::XImportPrivilege,
        );
        b.unknown("network_access_accounts", None, None, "the collection ran unprivileged: it cannot see the site's stored accounts (X-IMPORT-PRIVILEGE)");
    }
    let mut naas = Vec::new();
    for sid in &stored {
        let Some(account) = b.qualified(sid) else {
            b.leave_out(
                sid,
                "a stored account that is no user of the collection".into(),
            );
            continue;
        };
        let is_naa = chosen.contains(sid);
        b.imported.stored_accounts.push(RawStoredAccount {
            account: account.as_str().into(),
            sid: sid.as_str().into(),
            role: if is_naa {
                RawStoredRole::NetworkAccess
            } else {
                RawStoredRole::Other
            },
            provenance: if is_naa {
                provenance
            } else {
                RawProvenance::Collected
            },
            option: option
                .filter(|_| is_naa && provenance == RawProvenance::Given)
                .map(Into::into),
            rule: rule.filter(|_| is_naa).map(|r| r.as_str().into()),
        });
        if is_naa {
            naas.push(account);
        }
    }
    // A name given for an unprivileged run, whose stored accounts are not collected.
    for n in named {
        if !naas.contains(&n) {
            b.given("site.network_access_accounts".into(), n.clone(), "--naa");
            naas.push(n);
        }
    }
    Ok(naas)
}

/// The active site server (its SID) and the passive ones.
fn site_servers(b: &mut Builder<'_>, site: &Site<'_>) -> (Option<String>, Vec<String>) {
    let p = &site.node.properties;
    let active = p
        .siteServerDomainSID
        .as_ref()
        .map(|s| s.to_ascii_uppercase())
        .filter(|s| b.machines.contains_key(s))
        .or_else(|| p.siteServerFQDN.as_deref().and_then(|f| by_dns(b, f)));
    if let Some(a) = &active {
        let name = machine_name(b, a);
        b.collected(
            "site.site_server".into(),
            name,
            site.file,
            &site.node.id,
            Some("siteServerDomainSID"),
        );
    }
    let role = format!("SMS Site Server@{}", site.code);
    let holders = with_role(b, site, &role);
    let active = match (active, holders.first()) {
        (None, Some(first)) => {
            let name = machine_name(b, first);
            b.ruled(
                "site.site_server".into(),
                name,
                RawProvenance::Assumption,
                RuleId::XImportSiteServer,
            );
            Some(first.clone())
        }
        (active, _) => active,
    };
    let mut passive = Vec::new();
    for sid in holders {
        if Some(&sid) != active.as_ref() {
            let name = machine_name(b, &sid);
            b.collected(
                "site.passive_site_servers".into(),
                name,
                site.file,
                &sid,
                Some("SCCMSiteSystemRoles"),
            );
            passive.push(sid);
        }
    }
    (active, passive)
}

/// A machine by DNS name.
fn by_dns(b: &Builder<'_>, fqdn: &str) -> Option<String> {
    let fqdn = fqdn.to_ascii_lowercase();
    b.machines
        .iter()
        .find(|(_, m)| m.dns.as_deref() == Some(fqdn.as_str()))
        .map(|(s, _)| s.clone())
}

/// The machines (SIDs) holding a role at the site, from the computers' roles and the
/// site's `host: role` list.
fn with_role(b: &Builder<'_>, site: &Site<'_>, role: &str) -> Vec<String> {
    let mut out: BTreeSet<String> = b
        .machines
        .iter()
        .filter(|(_, m)| m.roles.iter().any(|r| r.eq_ignore_ascii_case(role)))
        .map(|(s, _)| s.clone())
        .collect();
    for entry in site.node.properties.siteSystemRoles.iter().flatten() {
        if let Some((host, r)) = entry.split_once(": ")
            && r.eq_ignore_ascii_case(role)
            && let Some(sid) = by_dns(b, host)
        {
            out.insert(sid);
        }
    }
    out.into_iter().collect()
}

/// The distribution points: SID and share (`X-IMPORT-DP-SHARE`).
fn distribution_points(b: &mut Builder<'_>, site: &Site<'_>) -> Vec<(String, String)> {
    let role = format!("SMS Distribution Point@{}", site.code);
    let dps: Vec<(String, String)> = with_role(b, site, &role)
        .into_iter()
        .map(|sid| {
            let share = format!("\\\\{}\\SCCMContentLib$", machine_name(b, &sid));
            (sid, share)
        })
        .collect();
    for (sid, share) in &dps {
        b.collected(
            "site.distribution_points".into(),
            share.clone(),
            site.file,
            sid,
            Some("SCCMSiteSystemRoles"),
        );
        b.ruled(
            "site.distribution_points".into(),
            share.clone(),
            RawProvenance::Assumption,
            RuleId::XImportDpShare,
        );
    }
    dps
}

/// The accounts with a sysadmin login on the site's database server.
fn database_readers(b: &mut Builder<'_>, site: &Site<'_>) -> Vec<String> {
    let c = b.c;
    let mut logins: BTreeMap<String, (FileIx, String)> = BTreeMap::new();
    for (f, n) in c.of_kind("MSSQL_ServerRole") {
        let p = &n.properties;
        if p.name.as_deref() == Some("sysadmin")
            && p.SCCMSite
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case(&site.code))
        {
            for m in p.members.iter().flatten() {
                logins.insert(m.clone(), (f, n.id.clone()));
            }
        }
    }
    let mut readers = BTreeSet::new();
    for (_, e) in c.edges_of("MSSQL_HasLogin") {
        if let Some((f, role)) = logins.get(&e.end.value)
            && let Some(name) = b.qualified(&e.start.value.to_ascii_uppercase())
            && readers.insert(name.clone())
        {
            b.collected(
                "site.database_readers".into(),
                name,
                *f,
                role,
                Some("members"),
            );
        }
    }
    readers.into_iter().collect()
}

/// Each client's current user (`SCCM_HasCurrentUser`), one per client.
fn logons(b: &mut Builder<'_>, _site: &Site<'_>) -> Vec<RawLogon> {
    let devices: BTreeMap<String, String> = b
        .imported
        .clients
        .iter()
        .map(|c| (c.device_id.to_string(), c.machine.to_string()))
        .collect();
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (f, e) in b.c.edges_of("SCCM_HasCurrentUser") {
        let Some(machine) = devices.get(&e.start.value) else {
            continue;
        };
        let sid = e.end.value.to_ascii_uppercase();
        let user = b
            .principals
            .get(&sid)
            .filter(|p| p.kind == Kind::User)
            .and_then(|_| b.qualified(&sid));
        if let (Some(user), false) = (user, out.contains_key(machine)) {
            b.collected(
                format!("state.logons[{machine}]"),
                user.clone(),
                f,
                &e.start.value,
                Some("SCCM_HasCurrentUser"),
            );
            out.insert(machine.clone(), user);
        }
    }
    out.into_iter()
        .map(|(client, user)| RawLogon {
            client: client.into(),
            user: user.into(),
        })
        .collect()
}

/// HTTPS only when every distribution point the collection probed requires a client
/// certificate.
fn https_only(b: &mut Builder<'_>, dps: &[(String, String)]) -> bool {
    let probed: Vec<(String, bool)> = dps
        .iter()
        .filter_map(|(sid, _)| {
            b.machines
                .get(sid)
                .and_then(|m| m.cert_required)
                .map(|r| (sid.clone(), r))
        })
        .collect();
    let on = !probed.is_empty() && probed.iter().all(|(_, r)| *r);
    if let Some((sid, _)) = probed.first() {
        let f = b.principals.get(sid).map_or(0, |p| p.file);
        b.collected(
            "site.https_only".into(),
            on.to_string(),
            f,
            sid,
            Some("SCCMClientCertificateRequired"),
        );
    }
    on
}

/// The settings a collection does not carry: the option, else the default, listed
/// unknown (`X-IMPORT-NOT-COLLECTED`).
fn settings(
    b: &mut Builder<'_>,
    s: &mut RawSite,
    dps: &[(String, String)],
) -> Result<(), ImportError> {
    const WHY: &str = "ConfigManBearPig does not collect it (X-IMPORT-NOT-COLLECTED)";
    let not_collected = |b: &mut Builder<'_>, fact: &str, value: &str| {
        b.ruled(
            format!("site.{fact}"),
            value.into(),
            RawProvenance::Default,
            RuleId::XImportNotCollected,
        );
        b.unknown(fact, None, None, WHY);
    };
    match b.o.approval {
        Some(a) => {
            s.approval = Some(a);
            let value = serde_json::to_value(a)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            b.given("site.approval".into(), value, "--approval");
        }
        None => not_collected(b, "approval", "trusted_domains"),
    }
    match b.o.enhanced_http {
        Some(on) => {
            s.enhanced_http = on;
            b.given(
                "site.enhanced_http".into(),
                on.to_string(),
                "--enhanced-http",
            );
        }
        None => not_collected(b, "enhanced_http", "false"),
    }
    if b.o.anonymous_distribution_points.is_empty() {
        not_collected(b, "anonymous_distribution_points", "none");
    }
    for host in &b.o.anonymous_distribution_points.clone() {
        let short = host.split('.').next().unwrap_or(host).to_ascii_uppercase();
        let Some((_, share)) = dps
            .iter()
            .find(|(sid, _)| machine_name(b, sid).eq_ignore_ascii_case(&short))
        else {
            let known: Vec<String> = dps.iter().map(|(sid, _)| machine_name(b, sid)).collect();
            return Err(ImportError::Choose(format!(
                "--anonymous-dp `{host}`: not a distribution point of the site; its distribution points are {}",
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            )));
        };
        s.anonymous_distribution_points.push(share.as_str().into());
        b.given(
            "site.anonymous_distribution_points".into(),
            share.clone(),
            "--anonymous-dp",
        );
    }
    if b.o.previous_naa.is_empty() {
        not_collected(b, "previous_network_access_accounts", "none");
    }
    for n in &s.previous_network_access_accounts {
        b.given(
            "site.previous_network_access_accounts".into(),
            n.to_string(),
            "--previous-naa",
        );
    }
    Ok(())
}

/// The site's domain: its site server's, else that of the forest the site names.
fn site_domain(b: &Builder<'_>, server: Option<&str>, site: &Site<'_>) -> String {
    let by_sid = server.and_then(domain_of).and_then(|d| b.domains.get(d));
    let by_forest = site.node.properties.sourceForest.as_deref().and_then(|f| {
        let fqdn: Vec<&str> = f
            .split(',')
            .filter_map(|p| p.trim().strip_prefix("DC="))
            .collect();
        let fqdn = fqdn.join(".");
        b.domains.values().find(|d| {
            d.fqdn
                .as_deref()
                .is_some_and(|x| x.eq_ignore_ascii_case(&fqdn))
        })
    });
    by_sid
        .or(by_forest)
        .or_else(|| b.domains.values().next())
        .map(|d| d.name.clone())
        .unwrap_or_default()
}
