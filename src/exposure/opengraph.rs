//! The OpenGraph export that joins what BloodHound CE already holds (interop-sources.md
//! §2): three documents, as ConfigManBearPig splits its own.
//!
//! - An **untagged** document (no `metadata`) of the Active Directory objects the scenario
//!   gives a SID (users, groups, computers, domains, a machine's local Administrators as
//!   `<computer SID>-544`), keyed by SID so that BloodHound merges them into the nodes
//!   SharpHound collected, with the AD-native edges between them (`MemberOf`, a local
//!   administrator as `MemberOfLocalGroup` and `LocalToComputer`, never `AdminTo`, which
//!   BloodHound regenerates) and ConfigManBearPig's kinds where they exist:
//!   `SCCM_HasNetworkAccessAccount` from a client's computer to a network access account
//!   it stores (CRED-3), `SCCM_HasStoredAccount` from the site (`SCCM_Site`, by site code)
//!   to an account its database holds (CRED-5).
//! - A document **tagged** with the crate's source kind (`SMS`): every other node, the
//!   site, and every edge of the graph in the crate's own kinds (`SMS_*`), CRED-2 and
//!   CRED-4 among them, which ConfigManBearPig lacks.
//! - The **extension schema** of the `SMS` namespace: the node kinds, and which edge
//!   kinds are traversable.
//!
//! Every edge keeps its provenance in ConfigManBearPig's words (`assumed`,
//! `assumptionBasis`, `collectionSource`) beside the crate's (rule, technique, defences).

use serde_json::{Value, json};

use super::export::{edge_properties, node_kind, node_name, opengraph_id, own_edge_kind};
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

/// The Active Directory kinds of a node the scenario gives a SID, or `None` for a node of
/// the crate's own document.
fn ad_kinds(estate: &Estate, node: Node) -> Option<[&'static str; 2]> {
    match node {
        Node::Account(a) => {
            estate.account_sid(a)?;
            let account = estate.account(a);
            Some(match account.kind {
                AccountKind::User if account.role == Some(SmsRole::ComputerAccount) => {
                    ["Computer", "Base"]
                }
                AccountKind::User => ["User", "Base"],
                AccountKind::GlobalGroup => ["Group", "Base"],
                AccountKind::LocalGroup => match account.store {
                    Store::Local(_) => ["ADLocalGroup", "Base"],
                    Store::Domain(_) => ["Group", "Base"],
                },
            })
        }
        Node::Machine(m) => estate.machine_sid(m).map(|_| ["Computer", "Base"]),
        Node::Domain(d) => estate.domain_sid(d).map(|_| ["Domain", "Base"]),
        Node::Share(_) | Node::Secret(_) => None,
    }
}

/// A node's OpenGraph id in the split export: its SID where it has one; a machine's
/// local Administrators group `<machine SID>-544`, as SharpHound keys it.
fn split_id(estate: &Estate, node: Node) -> String {
    if let Node::Account(a) = node
        && let Some(machine) = local_administrators_of(estate, a)
        && let Some(sid) = estate.machine_sid(machine)
    {
        return format!("{}-544", sid.to_uppercase());
    }
    opengraph_id(estate, node)
}

/// The machine whose local Administrators group `a` is, if it is one.
fn local_administrators_of(estate: &Estate, a: AccountId) -> Option<MachineId> {
    match estate.account(a).store {
        Store::Local(m) if estate.machine(m).administrators == Some(a) => Some(m),
        _ => None,
    }
}

/// Whether a node goes to the untagged document.
fn is_ad(estate: &Estate, node: Node) -> bool {
    match node {
        Node::Account(a) if local_administrators_of(estate, a).is_some() => {
            local_administrators_of(estate, a)
                .and_then(|m| estate.machine_sid(m))
                .is_some()
        }
        _ => ad_kinds(estate, node).is_some(),
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
        Node::Share(_) | Node::Secret(_) => return None,
    };
    Some(name.to_uppercase())
}

fn endpoint(id: String) -> Value {
    json!({"match_by": "id", "value": id})
}

fn edge_json(kind: &str, from: String, to: String, mut props: Value) -> Value {
    if let Value::Object(p) = &mut props {
        p.insert("collectionSource".into(), json!([COLLECTION_SOURCE]));
    }
    json!({"kind": kind, "start": endpoint(from), "end": endpoint(to), "properties": props})
}

/// The split export of the graph: see the module's documentation.
pub fn to_opengraph_split(estate: &Estate, x: &Exposure) -> OpenGraphSplit {
    let mut ad_nodes = Vec::new();
    let mut own_nodes = Vec::new();
    for n in x.nodes() {
        // A computer account with its machine's SID is that machine's node.
        if let Node::Account(a) = n
            && estate.account(a).role == Some(SmsRole::ComputerAccount)
            && estate.account_sid(a).is_some()
        {
            continue;
        }
        if is_ad(estate, n) {
            let kinds = ad_kinds(estate, n).unwrap_or(["ADLocalGroup", "Base"]);
            let mut props = json!({});
            if let (Some(name), Value::Object(p)) = (ad_name(estate, n), &mut props) {
                p.insert("name".into(), json!(name));
            }
            ad_nodes.push(json!({"id": split_id(estate, n), "kinds": kinds, "properties": props}));
        } else {
            let kind = match n {
                Node::Account(_) if node_kind(estate, n) == "user" => "SMS_User",
                Node::Account(_) => "SMS_Group",
                Node::Machine(_) => "SMS_Computer",
                Node::Domain(_) => "SMS_Domain",
                Node::Share(_) => "SMS_Share",
                Node::Secret(_) => "SMS_Secret",
            };
            own_nodes.push(json!({"id": split_id(estate, n), "kinds": [kind],
                "properties": {"name": node_name(estate, n)}}));
        }
    }
    let site = estate.site();
    let site_id = site.code.to_uppercase();
    if site.product == Product::ConfigMgr {
        own_nodes.push(json!({"id": site_id, "kinds": ["SCCM_Site"],
            "properties": {"siteCode": site.code.as_str()}}));
    }
    let (ad_edges, own_edges) = edges(estate, x, &site_id);
    OpenGraphSplit {
        ad: json!({"graph": {"nodes": ad_nodes, "edges": ad_edges}}),
        own: json!({"metadata": {"source_kind": SOURCE_KIND},
            "graph": {"nodes": own_nodes, "edges": own_edges}}),
        schema: schema(),
    }
}

/// The edges of both documents: AD-native and ConfigManBearPig kinds between AD nodes to
/// the untagged one, every edge of the graph in the crate's kinds to the tagged one.
fn edges(estate: &Estate, x: &Exposure, site_id: &str) -> (Vec<Value>, Vec<Value>) {
    let mut ad = Vec::new();
    let mut own = Vec::new();
    let policy = Node::Secret(Secret::NetworkAccessPolicy);
    let database = Node::Secret(Secret::SiteDatabase);
    for e in x.edges() {
        let props = edge_properties(estate, &e);
        let (from, to) = (split_id(estate, e.from), split_id(estate, e.to));
        let both_ad = is_ad(estate, e.from) && is_ad(estate, e.to);
        let into_local_admins = match e.to {
            Node::Account(g) => local_administrators_of(estate, g).is_some(),
            _ => false,
        };
        match e.kind {
            EdgeKind::MemberOf if both_ad && into_local_admins => {
                ad.push(edge_json(
                    "MemberOfLocalGroup",
                    from.clone(),
                    to.clone(),
                    props.clone(),
                ));
            }
            EdgeKind::MemberOf if both_ad => {
                ad.push(edge_json(
                    "MemberOf",
                    from.clone(),
                    to.clone(),
                    props.clone(),
                ));
            }
            EdgeKind::AdminOf
                if both_ad
                    && matches!(e.from, Node::Account(g) if local_administrators_of(estate, g).is_some()) =>
            {
                ad.push(edge_json(
                    "LocalToComputer",
                    from.clone(),
                    to.clone(),
                    props.clone(),
                ));
            }
            _ => {}
        }
        // CRED-3: a client that stores the policy has each account it reveals.
        if e.kind == EdgeKind::Stores && e.to == policy && is_ad(estate, e.from) {
            for r in x
                .edges()
                .filter(|r| r.from == policy && r.kind == EdgeKind::Reveals)
            {
                if is_ad(estate, r.to) {
                    let mut p = edge_properties(estate, &r);
                    if let Value::Object(m) = &mut p {
                        m.insert("technique".into(), json!("CRED-3"));
                    }
                    ad.push(edge_json(
                        "SCCM_HasNetworkAccessAccount",
                        from.clone(),
                        split_id(estate, r.to),
                        p,
                    ));
                }
            }
        }
        // CRED-5: the site's database holds each account it reveals.
        if e.kind == EdgeKind::Reveals && e.from == database && is_ad(estate, e.to) {
            ad.push(edge_json(
                "SCCM_HasStoredAccount",
                site_id.to_string(),
                to.clone(),
                props.clone(),
            ));
        }
        own.push(edge_json(own_edge_kind(e.kind), from, to, props));
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
