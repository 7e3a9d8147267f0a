//! The OpenGraph export that joins what BloodHound CE already holds (interop-sources.md
//! §2): three documents, as ConfigManBearPig splits its own.
//!
//! - An **untagged** document (no `metadata`): the Active Directory objects the scenario
//!   gives ids (users, groups, computers, domains by SID; a machine's local Administrators
//!   as `<computer SID>-544`; a domain's built-in Administrators as `<FQDN>-S-1-5-32-544`,
//!   as SharpHound keys them), the site as `SCCM_Site` by site code, and every edge with
//!   an end among them, so that BloodHound merges them into the nodes SharpHound and
//!   ConfigManBearPig collected without giving those nodes the `SMS` kind. Edges take a
//!   native kind where one exists (`MemberOf`, a local administrator as
//!   `MemberOfLocalGroup` and `LocalToComputer`, never `AdminTo`, which BloodHound
//!   regenerates), else the crate's (`SMS_*`); ConfigManBearPig's kinds are added where
//!   they exist: `SCCM_HasNetworkAccessAccount` from a client's computer to each network
//!   access account it stores (CRED-3), `SCCM_HasStoredAccount` from the site to each
//!   account its database holds (CRED-5), `SCCM_CoerceAndRelayToSMB` from the site
//!   domain's Authenticated Users (`FQDN-S-1-5-11`) to each computer the push accounts
//!   drawn by ELEVATE-2/3 administer without requiring SMB signing.
//! - A document **tagged** with the crate's source kind (`SMS`): the crate's own nodes
//!   (secrets, shares, objects without ids) and the edges between them, CRED-2 and CRED-4
//!   among them, which ConfigManBearPig lacks.
//! - The **extension schema** of the `SMS` namespace: the node kinds, and which edge
//!   kinds are traversable.
//!
//! Every edge keeps its provenance in ConfigManBearPig's words (`assumed` on an assumed
//! edge, `assumptionBasis`, `collectionSource`) beside the crate's (rule, technique,
//! defences).

use serde_json::{Value, json};

use super::export::{
    edge_properties, is_machine_alias, node_name, opengraph_id, own_edge_kind, own_node_kind,
};
use super::*;

/// The source kind of the tagged document, and the extension's namespace.
pub const SOURCE_KIND: &str = "SMS";

/// What `collectionSource` says of every edge the crate exports.
const COLLECTION_SOURCE: &str = "sms-client-accounts";

/// The three documents of the split export.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenGraphSplit {
    /// The untagged Active Directory document, keyed by SID.
    pub ad: Value,
    /// The document tagged with [`SOURCE_KIND`].
    pub own: Value,
    /// The extension schema of the `SMS` namespace.
    pub schema: Value,
}

impl OpenGraphSplit {
    /// The file names the documents are written under, with the documents.
    pub fn files(&self) -> [(&'static str, &Value); 3] {
        [
            ("sms-accounts_ad.json", &self.ad),
            ("sms-accounts_graph.json", &self.own),
            ("sms-accounts_schema.json", &self.schema),
        ]
    }
}

/// How a node joins BloodHound's Active Directory graph, if it does: its id and kinds.
///
/// - a domain user, group or computer with a SID: its SID, `User`, `Group`, `Computer`;
/// - a domain with a SID: its SID, `Domain`;
/// - a machine's local Administrators group, the machine having a SID:
///   `<machine SID>-544`, `ADLocalGroup`, as SharpHound keys it;
/// - a domain's built-in Administrators group, the domain having a DNS name:
///   `<FQDN>-S-1-5-32-544`, `Group`, as SharpHound keys it.
///
/// Other local accounts stay in the crate's own document: SharpHound keys them by the
/// machine's local SIDs, which a scenario does not give.
fn ad_node(estate: &Estate, node: Node) -> Option<(String, [&'static str; 2])> {
    match node {
        Node::Account(a) => {
            let account = estate.account(a);
            match account.store {
                Store::Local(m) => {
                    let sid = estate.machine_sid(m)?;
                    (estate.machine(m).administrators == Some(a)).then(|| {
                        (
                            format!("{}-544", sid.to_uppercase()),
                            ["ADLocalGroup", "Base"],
                        )
                    })
                }
                Store::Domain(d) if estate.domain(d).administrators == a => {
                    let dns = estate.external_ids().domain(d)?.dns_name.as_deref()?;
                    Some((
                        format!("{}-S-1-5-32-544", dns.to_uppercase()),
                        ["Group", "Base"],
                    ))
                }
                Store::Domain(_) => {
                    let sid = estate.account_sid(a)?.to_uppercase();
                    // A computer account `NAME$` has its machine's SID and is that
                    // machine's node: its kind is never read.
                    Some(match account.kind {
                        AccountKind::User => (sid, ["User", "Base"]),
                        AccountKind::GlobalGroup | AccountKind::LocalGroup => {
                            (sid, ["Group", "Base"])
                        }
                    })
                }
            }
        }
        Node::Machine(m) => estate
            .machine_sid(m)
            .map(|sid| (sid.to_uppercase(), ["Computer", "Base"])),
        Node::Domain(d) => estate
            .domain_sid(d)
            .map(|sid| (sid.to_uppercase(), ["Domain", "Base"])),
        Node::Share(_) | Node::Secret(_) | Node::Segment(_) => None,
    }
}

/// A node's OpenGraph id in the split export: its Active Directory id where it has one
/// ([`ad_node`]), else the crate's own (without colons, which BloodHound does not fully
/// support in ids).
fn split_id(estate: &Estate, node: Node) -> String {
    match ad_node(estate, node) {
        Some((id, _)) => id,
        None => opengraph_id(estate, node).replace(':', "-"),
    }
}

/// Whether a node goes to the untagged document.
fn is_ad(estate: &Estate, node: Node) -> bool {
    ad_node(estate, node).is_some()
}

/// Whether `g` is a machine's local Administrators group.
fn is_local_administrators(estate: &Estate, g: AccountId) -> bool {
    match estate.account(g).store {
        Store::Local(m) => estate.machine(m).administrators == Some(g),
        Store::Domain(_) => false,
    }
}

/// The name BloodHound shows for an AD node, in SharpHound's form where the domain's DNS
/// name is known (`SAM@FQDN`, `HOST.FQDN`, `FQDN`), else none (a SharpHound-collected
/// label survives).
fn ad_name(estate: &Estate, node: Node) -> Option<String> {
    let dns = |d: DomainId| {
        estate
            .external_ids()
            .domain(d)
            .and_then(|i| i.dns_name.as_deref())
    };
    let name = match node {
        Node::Account(a) => {
            let account = estate.account(a);
            match account.store {
                Store::Domain(d) => format!("{}@{}", account.name, dns(d)?),
                Store::Local(m) => {
                    let machine = estate.machine(m);
                    format!(
                        "{}@{}.{}",
                        account.name,
                        machine.name,
                        dns(machine.domain?)?
                    )
                }
            }
        }
        Node::Machine(m) => {
            let machine = estate.machine(m);
            format!("{}.{}", machine.name, dns(machine.domain?)?)
        }
        Node::Domain(d) => dns(d)?.to_string(),
        Node::Share(_) | Node::Secret(_) | Node::Segment(_) => return None,
    };
    Some(name.to_uppercase())
}

fn endpoint(id: String) -> Value {
    json!({"match_by": "id", "value": id})
}

fn edge_json(kind: &str, from: String, to: String, mut props: Value) -> Value {
    if let Value::Object(p) = &mut props {
        p.insert("collectionSource".into(), json!([COLLECTION_SOURCE]));
        // As ConfigManBearPig writes it: `assumed` only on an assumed edge.
        if p.get("assumed") == Some(&json!(false)) {
            p.remove("assumed");
        }
    }
    json!({"kind": kind, "start": endpoint(from), "end": endpoint(to), "properties": props})
}

/// The split export of the graph: see the module's documentation.
pub fn to_opengraph_split(estate: &Estate, x: &Exposure) -> OpenGraphSplit {
    let mut ad_nodes = Vec::new();
    let mut own_nodes = Vec::new();
    for n in x.nodes() {
        if is_machine_alias(estate, n) {
            continue;
        }
        if let Some((id, kinds)) = ad_node(estate, n) {
            let mut props = json!({});
            if let (Some(name), Value::Object(p)) = (ad_name(estate, n), &mut props) {
                p.insert("name".into(), json!(name));
            }
            ad_nodes.push(json!({"id": id, "kinds": kinds, "properties": props}));
        } else {
            let kind = own_node_kind(estate, n);
            own_nodes.push(json!({"id": split_id(estate, n), "kinds": [kind],
                "properties": {"name": node_name(estate, n)}}));
        }
    }
    let site = estate.site();
    let site_id = site.code.to_uppercase();
    // The site, by site code: in the untagged document, so that ConfigManBearPig's node
    // of it gains no `SMS` kind.
    if site.product == Product::ConfigMgr {
        ad_nodes.push(json!({"id": site_id, "kinds": ["SCCM_Site"],
            "properties": {"siteCode": site.code.as_str()}}));
    }
    let (mut ad_edges, own_edges) = edges(estate, x, &site_id);
    // ELEVATE-2/3 in ConfigManBearPig's kind: from the site domain's Authenticated Users
    // (`FQDN-S-1-5-11`, as it keys them) to each computer the coerced push
    // authentications reach over SMB, where both have their ids.
    let fqdn = estate
        .external_ids()
        .domain(site.domain)
        .and_then(|d| d.dns_name.as_deref());
    if let (Some((first, relays)), Some(fqdn)) = (x.coercion_relays(estate), fqdn) {
        let users = format!("{}-S-1-5-11", fqdn.to_uppercase());
        let ends: Vec<String> = relays
            .iter()
            .filter_map(|&m| ad_node(estate, Node::Machine(m)).map(|(id, _)| id))
            .collect();
        if !ends.is_empty() {
            ad_nodes.push(json!({"id": users, "kinds": ["Group", "Base"], "properties": {}}));
        }
        for end in ends {
            let props = edge_properties(estate, &first);
            ad_edges.push(edge_json(
                "SCCM_CoerceAndRelayToSMB",
                users.clone(),
                end,
                props,
            ));
        }
    }
    OpenGraphSplit {
        ad: json!({"graph": {"nodes": ad_nodes, "edges": ad_edges}}),
        own: json!({"metadata": {"source_kind": SOURCE_KIND},
            "graph": {"nodes": own_nodes, "edges": own_edges}}),
        schema: schema(),
    }
}

/// The edges of both documents. An edge with an end in Active Directory (or at the site)
/// goes to the untagged document, as ConfigManBearPig places its own, so that no native
/// node gains the `SMS` kind: in a native kind where one exists (`MemberOf`,
/// `MemberOfLocalGroup`, `LocalToComputer`), else in the crate's (`SMS_*`). The others go
/// to the tagged document. ConfigManBearPig's CRED-3 and CRED-5 edges are added beside.
fn edges(estate: &Estate, x: &Exposure, site_id: &str) -> (Vec<Value>, Vec<Value>) {
    let mut ad = Vec::new();
    let mut own = Vec::new();
    let policy = Node::Secret(Secret::NetworkAccessPolicy);
    let database = Node::Secret(Secret::SiteDatabase);
    // The accounts the policy reveals that join Active Directory, found once.
    let naas: Vec<String> = x
        .edges()
        .filter(|r| r.from == policy && r.kind == EdgeKind::Reveals && is_ad(estate, r.to))
        .map(|r| split_id(estate, r.to))
        .collect();
    for e in x.edges() {
        let props = edge_properties(estate, &e);
        let (from, to) = (split_id(estate, e.from), split_id(estate, e.to));
        let (from_ad, to_ad) = (is_ad(estate, e.from), is_ad(estate, e.to));
        let into_local_admins =
            matches!(e.to, Node::Account(g) if is_local_administrators(estate, g));
        let from_local_admins =
            matches!(e.from, Node::Account(g) if is_local_administrators(estate, g));
        let kind = match e.kind {
            EdgeKind::MemberOf if from_ad && to_ad && into_local_admins => "MemberOfLocalGroup",
            EdgeKind::MemberOf if from_ad && to_ad => "MemberOf",
            EdgeKind::AdminOf if from_ad && to_ad && from_local_admins => "LocalToComputer",
            // PREVENT-17: the domain join account owns the computer object, as
            // BloodHound's own Owns edge says.
            EdgeKind::AdminOf
                if from_ad
                    && to_ad
                    && matches!(
                        e.rule,
                        RuleId::CmDjoinOwner | RuleId::XCmDjoinOwnerKept | RuleId::XCmDjoinJoined
                    ) =>
            {
                "Owns"
            }
            other => own_edge_kind(other),
        };
        // CRED-3: a client that stores the policy has each account it reveals, with the
        // provenance of the storing (X-CM-POLICY-TARGETS).
        if e.kind == EdgeKind::Stores && e.to == policy && from_ad {
            for end in &naas {
                ad.push(edge_json(
                    "SCCM_HasNetworkAccessAccount",
                    from.clone(),
                    end.clone(),
                    props.clone(),
                ));
            }
        }
        // CRED-5: the site's database holds each account it reveals.
        if e.kind == EdgeKind::Reveals && e.from == database && to_ad {
            ad.push(edge_json(
                "SCCM_HasStoredAccount",
                site_id.to_string(),
                to.clone(),
                props.clone(),
            ));
        }
        let edge = edge_json(kind, from, to, props);
        if from_ad || to_ad {
            ad.push(edge);
        } else {
            own.push(edge);
        }
    }
    (ad, own)
}

/// The extension schema of the `SMS` namespace, in the form of ConfigManBearPig's
/// `schema_SCCM.json`: which of the crate's edge kinds BloodHound may traverse (those that
/// pass control: membership, administration, a secret stored, revealed or obtained).
pub fn schema() -> Value {
    let nodes = [
        ("SMS_User", "user"),
        ("SMS_Group", "users"),
        ("SMS_Computer", "desktop"),
        ("SMS_Domain", "globe"),
        ("SMS_Share", "folder-open"),
        ("SMS_Secret", "key"),
        ("SMS_NetworkSegment", "network-wired"),
    ];
    let traversable = [
        ("SMS_MemberOf", true),
        ("SMS_AdminTo", true),
        ("SMS_AdminWhileRuns", true),
        ("SMS_HasRight", false),
        ("SMS_CanRead", false),
        ("SMS_Trusts", false),
        ("SMS_InDomain", false),
        ("SMS_Accepts", false),
        ("SMS_StoresSecret", true),
        ("SMS_RevealsPassword", true),
        ("SMS_ObtainsSecret", true),
    ];
    json!({
        "schema": {"name": SOURCE_KIND, "display_name": "SMS client accounts (sms-client-accounts)",
            "version": concat!("v", env!("CARGO_PKG_VERSION")), "namespace": SOURCE_KIND},
        "node_kinds": nodes.iter().map(|(name, icon)| json!({"name": name, "display_name": "",
            "description": "", "is_display_kind": true, "icon": icon})).collect::<Vec<_>>(),
        "relationship_kinds": traversable.iter().map(|(name, t)| json!({"name": name,
            "description": "", "is_traversable": t})).collect::<Vec<_>>(),
    })
}
