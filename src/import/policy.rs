//! What a ConfigManBearPig collection carries of the secrets a site puts in policy beyond
//! its network access accounts (interop-sources.md 2.2; lineage-sources-2.md section 2):
//! device collections with their members (`SCCM_Collection`, `SCCM_HasMember`), a
//! collection's count of variables (`collectionVariablesCount`, not their values), and
//! which distribution points support PXE (`SCCMIsPXESupportEnabled`). The collections
//! become the scenario's; task sequences, their deployments and a collection's
//! variables are not collected, nor a PXE distribution point's password and network
//! segments: each of those is listed `unknown` (`X-IMPORT-NOT-COLLECTED`).

use std::collections::BTreeMap;

use super::estate::Builder;
use crate::scenario::raw::RawCollection;

/// The device collections whose members the site's imported clients are, by name (the
/// first of two of one name, by id); each a `collected` fact.
pub(super) fn collections(b: &mut Builder<'_>) -> Vec<RawCollection> {
    let c = b.c;
    let devices: BTreeMap<String, String> = b
        .imported
        .clients
        .iter()
        .map(|x| {
            (
                x.device_id.as_str().to_ascii_uppercase(),
                x.machine.to_string(),
            )
        })
        .collect();
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (_, e) in c.edges_of("SCCM_HasMember") {
        if let Some(m) = devices.get(&e.end.value.to_ascii_uppercase()) {
            members
                .entry(e.start.value.to_ascii_uppercase())
                .or_default()
                .push(m.clone());
        }
    }
    let mut out: Vec<RawCollection> = Vec::new();
    let mut variables: Vec<String> = Vec::new();
    let mut nodes: Vec<_> = c.of_kind("SCCM_Collection").collect();
    nodes.sort_by(|x, y| x.1.id.cmp(&y.1.id));
    for (file, n) in nodes {
        let p = &n.properties;
        if p.collectionType.as_deref().is_some_and(|t| t != "Device") {
            continue;
        }
        let Some(name) = p.name.clone() else { continue };
        if out.iter().any(|x| x.name.eq_ignore_ascii_case(&name)) {
            b.leave_out(&n.id, format!("a second collection named `{name}`"));
            continue;
        }
        let mut list = members
            .remove(&n.id.to_ascii_uppercase())
            .unwrap_or_default();
        list.sort();
        list.dedup();
        if let Some(count) = p.collectionVariablesCount.filter(|&k| k > 0) {
            variables.push(format!("`{name}` has {count}"));
        }
        b.collected(
            format!("collections.{name}"),
            format!("{} member(s)", list.len()),
            file,
            &n.id,
            Some("SCCM_HasMember"),
        );
        out.push(RawCollection {
            name: name.as_str().into(),
            members: list.iter().map(|m| m.as_str().into()).collect(),
            new_registrations: None,
            unknown_computers: false,
            variables: Vec::new(),
        });
    }
    out.sort_by(|x, y| x.name.cmp(&y.name));
    if !variables.is_empty() {
        b.unknown(
            "policy_secrets",
            None,
            None,
            &format!(
                "the collection counts collection variables but holds neither their values nor the site's task sequences and deployments: {} (X-IMPORT-NOT-COLLECTED)",
                variables.join(", ")
            ),
        );
    }
    out
}

/// Each distribution point of the site (by SID, with its share) that supports PXE: its
/// password and segments are not collected.
pub(super) fn pxe(
    b: &mut Builder<'_>,
    dps: &[(String, String)],
    name: impl Fn(&Builder<'_>, &str) -> String,
) {
    for (sid, _) in dps {
        let enabled =
            b.c.node(sid)
                .is_some_and(|n| n.properties.SCCMIsPXESupportEnabled == Some(true));
        if enabled {
            let machine = name(b, sid);
            b.unknown(
                "pxe",
                None,
                Some(&machine),
                "PXE support is enabled (SCCMIsPXESupportEnabled); its PXE password and the network segments it answers are not collected (X-IMPORT-NOT-COLLECTED)",
            );
        }
    }
}
