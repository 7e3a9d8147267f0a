//! What a collection holds, as the importer reads it: ConfigManBearPig 2.0's OpenGraph
//! files (`sccm_*`, `ad_*`, `mssql_*`) and SharpHound's JSON (format version 6), parsed
//! into typed records that keep only what the scenario needs (serde skips the rest
//! without building it), and checked: 1.x refused, node ids unique, every edge's ends
//! known, every SID a SID. Format facts: interop-sources.md 2.1 and 3.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use super::{ImportError, Source};
use crate::model::external::sid_problem;
use crate::scenario::strip_position;

/// One ConfigManBearPig OpenGraph file.
#[derive(Debug, Deserialize)]
#[serde(expecting = "a ConfigManBearPig collection file: an object with `graph`")]
struct GraphFile {
    graph: Graph,
    #[serde(default)]
    metadata: Option<Metadata>,
}

#[derive(Debug, Default, Deserialize)]
struct Metadata {
    #[serde(default)]
    source_kind: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Graph {
    #[serde(default)]
    nodes: Vec<Node>,
    #[serde(default)]
    edges: Vec<Edge>,
}

/// A node, with the properties the importer reads (CMBP's camelCase names).
#[derive(Debug, Deserialize)]
pub(super) struct Node {
    pub(super) id: String,
    pub(super) kinds: Vec<String>,
    #[serde(default)]
    pub(super) properties: Props,
}

/// The properties the importer reads; every other one is skipped.
#[derive(Debug, Default, Deserialize)]
#[allow(non_snake_case)]
pub(super) struct Props {
    pub(super) name: Option<String>,
    pub(super) siteCode: Option<String>,
    pub(super) siteType: Option<String>,
    pub(super) siteServerDomainSID: Option<String>,
    pub(super) siteServerFQDN: Option<String>,
    pub(super) storedAccounts: Option<Vec<String>>,
    pub(super) siteSystemRoles: Option<Vec<String>>,
    pub(super) sourceForest: Option<String>,
    pub(super) samAccountName: Option<String>,
    pub(super) SamAccountName: Option<String>,
    pub(super) CN: Option<String>,
    pub(super) Domain: Option<String>,
    pub(super) dNSHostName: Option<String>,
    pub(super) Enabled: Option<bool>,
    pub(super) SCCMSiteSystemRoles: Option<Vec<String>>,
    pub(super) SCCMClientCertificateRequired: Option<bool>,
    pub(super) deviceOS: Option<String>,
    pub(super) is_confirmed_active_client: Option<bool>,
    pub(super) ADDomainSID: Option<String>,
    pub(super) currentLogonUserSID: Option<String>,
    pub(super) SCCMSite: Option<String>,
    pub(super) members: Option<Vec<String>>,
    pub(super) isSCCMNetworkAccessAccount: Option<bool>,
    pub(super) is_sccm_network_access_account: Option<bool>,
    pub(super) collectionType: Option<String>,
    pub(super) collectionVariablesCount: Option<u64>,
    pub(super) SCCMIsPXESupportEnabled: Option<bool>,
}

/// An edge, with the one property the importer reads.
#[derive(Debug, Deserialize)]
pub(super) struct Edge {
    pub(super) kind: String,
    pub(super) start: End,
    pub(super) end: End,
    #[serde(default)]
    pub(super) properties: EdgeProps,
}

#[derive(Debug, Deserialize)]
pub(super) struct End {
    #[serde(default)]
    match_by: Option<String>,
    pub(super) value: String,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct EdgeProps {
    #[serde(default)]
    pub(super) assumed: Option<bool>,
}

/// One SharpHound file: `meta` and `data`.
#[derive(Debug, Deserialize)]
#[serde(expecting = "a SharpHound file: an object with `meta` and `data`")]
struct ShFile {
    meta: ShMeta,
    data: Vec<ShObject>,
}

#[derive(Debug, Deserialize)]
struct ShMeta {
    #[serde(rename = "type")]
    kind: String,
    version: u32,
}

/// A SharpHound object (domain, computer, user or group), with the fields read.
#[derive(Debug, Deserialize)]
#[allow(non_snake_case)]
pub(super) struct ShObject {
    pub(super) ObjectIdentifier: String,
    #[serde(default)]
    pub(super) Properties: ShProps,
    #[serde(default)]
    pub(super) Members: Vec<ShMember>,
    #[serde(default)]
    pub(super) Trusts: Vec<ShTrust>,
    #[serde(default)]
    pub(super) LocalGroups: Vec<ShLocalGroup>,
    #[serde(default)]
    pub(super) IsDC: Option<bool>,
    #[serde(default)]
    pub(super) PrimaryGroupSID: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct ShProps {
    pub(super) name: Option<String>,
    pub(super) domain: Option<String>,
    pub(super) samaccountname: Option<String>,
    pub(super) netbios: Option<String>,
    pub(super) machineaccountquota: Option<i64>,
    pub(super) operatingsystem: Option<String>,
    pub(super) enabled: Option<bool>,
    pub(super) groupscope: Option<String>,
    pub(super) isdc: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[allow(non_snake_case)]
pub(super) struct ShMember {
    pub(super) ObjectIdentifier: String,
}

#[derive(Debug, Deserialize)]
#[allow(non_snake_case)]
pub(super) struct ShTrust {
    pub(super) TargetDomainSid: String,
    #[serde(default)]
    pub(super) TargetDomainName: Option<String>,
    /// `Inbound`, `Outbound`, `Bidirectional` (or 1, 2, 3).
    pub(super) TrustDirection: serde_json::Value,
}

#[derive(Debug, Deserialize)]
#[allow(non_snake_case)]
pub(super) struct ShLocalGroup {
    pub(super) ObjectIdentifier: String,
    #[serde(default)]
    pub(super) Collected: bool,
    #[serde(default)]
    pub(super) Results: Vec<ShMember>,
}

/// Where a record was read: the file's index in [`Collection::files`].
pub(super) type FileIx = usize;

/// A collection, read and checked.
#[derive(Debug, Default)]
pub(super) struct Collection {
    /// The files read, by name, in order.
    pub(super) files: Vec<String>,
    /// ConfigManBearPig's nodes and the file of each.
    pub(super) nodes: Vec<(FileIx, Node)>,
    /// Its edges and the file of each.
    pub(super) edges: Vec<(FileIx, Edge)>,
    /// SharpHound's domains, computers, users and groups, each with its file.
    pub(super) sh_domains: Vec<(FileIx, ShObject)>,
    pub(super) sh_computers: Vec<(FileIx, ShObject)>,
    pub(super) sh_users: Vec<(FileIx, ShObject)>,
    pub(super) sh_groups: Vec<(FileIx, ShObject)>,
    /// Node index by id.
    pub(super) by_id: FxHashMap<String, usize>,
}

/// ConfigManBearPig 1.x's edge kinds, which 2.0 prefixed (`SCCM_`, `MSSQL_`).
const UNPREFIXED_1X: [&str; 6] = [
    "SameHostAs",
    "LocalAdminRequired",
    "CoerceAndRelayToSMB",
    "CoerceAndRelayToAdminService",
    "CoerceAndRelayToMSSQL",
    "HasNetworkAccessAccount",
];

fn bad(file: &str, place: impl Into<String>, expected: impl Into<String>) -> ImportError {
    ImportError::Bad {
        file: file.to_string(),
        place: place.into(),
        expected: expected.into(),
    }
}

const GRAPH_FILE: &str =
    "a ConfigManBearPig 2.0 collection file: a JSON object with `graph` (its `nodes` or `edges`)";
const SHARPHOUND_FILE: &str =
    "a SharpHound file: a JSON object with `meta` (type, version) and `data`";

const REFUSE_1X: &str = "a ConfigManBearPig 2.0 collection; this is a 1.x collection, which this import does not read: collect the estate again with ConfigManBearPig 2.0";

impl Collection {
    /// Reads ConfigManBearPig files (`sources`) and SharpHound files (`sharphound`).
    pub(super) fn read(sources: &[Source], sharphound: &[Source]) -> Result<Self, ImportError> {
        let mut c = Collection::default();
        for s in sources {
            c.read_graph(s)?;
        }
        for s in sharphound {
            c.read_sharphound(s)?;
        }
        c.check()?;
        Ok(c)
    }

    fn read_graph(&mut self, s: &Source) -> Result<(), ImportError> {
        if s.bytes.starts_with(b"\xEF\xBB\xBF") {
            return Err(bad(
                &s.name,
                "its first bytes (a byte-order mark)",
                REFUSE_1X,
            ));
        }
        let file: GraphFile = parse(s, GRAPH_FILE)?;
        if file
            .metadata
            .as_ref()
            .and_then(|m| m.source_kind.as_deref())
            == Some("SCCM_Base")
        {
            return Err(bad(
                &s.name,
                "metadata.source_kind (`SCCM_Base`)",
                REFUSE_1X,
            ));
        }
        let ix = self.files.len();
        self.files.push(s.name.clone());
        for (i, e) in file.graph.edges.iter().enumerate() {
            if UNPREFIXED_1X.contains(&e.kind.as_str()) {
                let place = format!("graph.edges[{i}].kind (`{}`, unprefixed)", e.kind);
                return Err(bad(&s.name, place, REFUSE_1X));
            }
            for (end, which) in [(&e.start, "start"), (&e.end, "end")] {
                if end.match_by.as_deref().is_some_and(|m| m != "id") {
                    let place = format!("graph.edges[{i}].{which}.match_by");
                    return Err(bad(
                        &s.name,
                        place,
                        "`id`: ConfigManBearPig 2.0 matches every endpoint by id",
                    ));
                }
            }
        }
        self.nodes
            .extend(file.graph.nodes.into_iter().map(|n| (ix, n)));
        self.edges
            .extend(file.graph.edges.into_iter().map(|e| (ix, e)));
        Ok(())
    }

    fn read_sharphound(&mut self, s: &Source) -> Result<(), ImportError> {
        let file: ShFile = parse(s, SHARPHOUND_FILE)?;
        if file.meta.version != 6 {
            let place = format!("meta.version ({})", file.meta.version);
            return Err(bad(
                &s.name,
                place,
                "SharpHound's format version 6 (SharpHound CE 2.x)",
            ));
        }
        let ix = self.files.len();
        self.files.push(s.name.clone());
        let list = match file.meta.kind.as_str() {
            "domains" => &mut self.sh_domains,
            "computers" => &mut self.sh_computers,
            "users" => &mut self.sh_users,
            "groups" => &mut self.sh_groups,
            // Certificate templates, GPOs, OUs and the like: nothing the model holds.
            _ => return Ok(()),
        };
        list.extend(file.data.into_iter().map(|o| (ix, o)));
        Ok(())
    }

    /// Unique node ids, known endpoints, SIDs where SIDs belong.
    fn check(&mut self) -> Result<(), ImportError> {
        for (i, (f, n)) in self.nodes.iter().enumerate() {
            if let Some(&j) = self.by_id.get(&n.id) {
                let other = &self.files[self.nodes[j].0];
                return Err(bad(
                    &self.files[*f],
                    format!("node `{}`", n.id),
                    format!("a node id that is once in the collection; `{other}` has it too"),
                ));
            }
            self.by_id.insert(n.id.clone(), i);
            self.check_sids(*f, n)?;
        }
        let sh_ids: FxHashSet<&str> = [
            &self.sh_domains,
            &self.sh_computers,
            &self.sh_users,
            &self.sh_groups,
        ]
        .into_iter()
        .flatten()
        .map(|(_, o)| o.ObjectIdentifier.as_str())
        .collect();
        for (f, e) in &self.edges {
            for (end, which) in [(&e.start, "start"), (&e.end, "end")] {
                if !self.by_id.contains_key(&end.value) && !sh_ids.contains(end.value.as_str()) {
                    return Err(bad(
                        &self.files[*f],
                        format!("{} edge's {which} `{}`", e.kind, end.value),
                        "the id of a node of one of the collection's files",
                    ));
                }
            }
        }
        for (f, o) in [&self.sh_domains, &self.sh_computers, &self.sh_users]
            .into_iter()
            .flatten()
        {
            if let Some(why) = sid_problem(&o.ObjectIdentifier) {
                let place = format!("object `{}`", o.ObjectIdentifier);
                return Err(bad(
                    &self.files[*f],
                    place,
                    format!("a SID as its ObjectIdentifier ({why})"),
                ));
            }
        }
        Ok(())
    }

    fn check_sids(&self, f: FileIx, n: &Node) -> Result<(), ImportError> {
        let file = &self.files[f];
        let kind = n.kinds.first().map_or("", String::as_str);
        let place = |what: &str| format!("{kind} node `{}`{what}", n.id);
        let principal =
            matches!(kind, "User" | "Computer") || (kind == "Group" && !is_well_known(&n.id));
        if let (true, Some(why)) = (principal, sid_problem(&n.id)) {
            return Err(bad(file, place(""), format!("a SID as its id ({why})")));
        }
        let p = &n.properties;
        let sids = p
            .storedAccounts
            .iter()
            .flatten()
            .map(|s| ("storedAccounts", s));
        let singles = [
            ("siteServerDomainSID", &p.siteServerDomainSID),
            ("ADDomainSID", &p.ADDomainSID),
            ("currentLogonUserSID", &p.currentLogonUserSID),
        ];
        let singles = singles
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)));
        for (key, sid) in sids.chain(singles) {
            if let Some(why) = sid_problem(sid) {
                return Err(bad(
                    file,
                    place(&format!(", property {key}")),
                    format!("a SID ({why})"),
                ));
            }
        }
        Ok(())
    }

    /// A node by id.
    pub(super) fn node(&self, id: &str) -> Option<&Node> {
        self.by_id.get(id).map(|&i| &self.nodes[i].1)
    }

    /// The nodes of a kind (their first kind), with their files.
    pub(super) fn of_kind<'a>(
        &'a self,
        kind: &'a str,
    ) -> impl Iterator<Item = (FileIx, &'a Node)> + 'a {
        self.nodes
            .iter()
            .filter(move |(_, n)| n.kinds.first().is_some_and(|k| k == kind))
            .map(|(f, n)| (*f, n))
    }

    /// The edges of a kind, with their files.
    pub(super) fn edges_of<'a>(
        &'a self,
        kind: &'a str,
    ) -> impl Iterator<Item = (FileIx, &'a Edge)> + 'a {
        self.edges
            .iter()
            .filter(move |(_, e)| e.kind == kind)
            .map(|(f, e)| (*f, e))
    }
}

/// A well-known principal as ConfigManBearPig and SharpHound key it: `FQDN-S-1-5-…`.
pub(super) fn is_well_known(id: &str) -> bool {
    id.split_once("-S-1-")
        .is_some_and(|(fqdn, _)| fqdn.contains('.'))
}

/// Parses a file, naming the JSON path where its shape breaks; a SharpHound file's
/// byte-order mark is skipped.
fn parse<T: serde::de::DeserializeOwned>(s: &Source, what: &str) -> Result<T, ImportError> {
    let bytes = s.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&s.bytes);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = strip_position(&inner.to_string());
        let at = format!("line {}, column {}", inner.line(), inner.column());
        if path == "." || path.is_empty() {
            bad(&s.name, at, format!("{what} ({message})"))
        } else {
            bad(
                &s.name,
                format!("{path} ({at})"),
                format!("the value the format gives there ({message})"),
            )
        }
    })?;
    de.end().map_err(|e| {
        bad(
            &s.name,
            format!("line {}, column {}", e.line(), e.column()),
            "the end of the file after one JSON value",
        )
    })?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_keys_well_known_principals_by_their_domain_s_dns_name() {
        assert!(is_well_known("CORP.EXAMPLE-S-1-5-11"));
        assert!(is_well_known("CORP.EXAMPLE-S-1-5-32-544"));
        assert!(!is_well_known("S-1-5-21-1-2-3-500"));
        assert!(!is_well_known("-S-1-5-11"));
        assert!(
            !is_well_known("CORP-S-1-5-11"),
            "a NetBIOS name is no DNS name"
        );
    }
}
