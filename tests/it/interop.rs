//! The ids other tools give an estate (`external_ids`): loaded into the side table, named
//! in the exposure JSON, and keying the OpenGraph export's nodes, so that they join what
//! SharpHound and ConfigManBearPig collected; without ids, nothing changes.

use serde_json::Value;
use sms_client_accounts::Scenario;
use sms_client_accounts::exposure::Exposure;
use sms_client_accounts::exposure::export::to_opengraph;
use sms_client_accounts::exposure::output::to_json;

use crate::common::*;

fn load(name: &str) -> Scenario {
    let text = std::fs::read_to_string(root().join("fixtures/scenarios").join(name)).unwrap();
    Scenario::from_json(&text).unwrap()
}

#[test]
fn ids_key_the_opengraph_nodes_and_name_the_json_nodes() {
    let s = load("configmgr-external-ids.json");
    let e = &s.estate;
    let x = Exposure::build(e, &s.state);
    let graph = to_opengraph(e, &x);
    let ids: Vec<&str> = graph["graph"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    // Every account and machine with a SID, the computer accounts by their machine's,
    // and the domain by its own.
    let domain = "S-1-5-21-1004336348-1177238915-682003330";
    for rid in ["", "-1105", "-1120", "-515", "-1001", "-1002"] {
        assert!(
            ids.contains(&format!("{domain}{rid}").as_str()),
            "{rid}: {ids:?}"
        );
    }
    let wks1 = e.account_by_name("CORP\\WKS1$").unwrap();
    assert_eq!(e.account_sid(wks1), Some(&*format!("{domain}-1002")));
    // Every edge's ends are nodes of the document.
    for edge in graph["graph"]["edges"].as_array().unwrap() {
        for end in ["start", "end"] {
            let id = edge[end]["value"].as_str().unwrap();
            assert!(ids.contains(&id), "{end} {id}");
        }
    }
    // The JSON names the ids beside the names.
    let json = to_json(e, &x, &x.findings(e));
    let node = |id: &str| -> Value {
        json["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert_eq!(node("WKS1")["sid"], format!("{domain}-1002"));
    assert_eq!(
        node("WKS1")["device_id"],
        "GUID:6E2F5C1A-0B1D-4C3E-9F00-2A7D1C9B8E41"
    );
    assert_eq!(node("CORP")["dns_name"], "corp.example");
    assert_eq!(node("CORP\\alice")["sid"], format!("{domain}-1105"));
    assert!(node("CORP\\Administrators").get("sid").is_none());
}

/// The same estate without ids decides, finds and exports as before: only the
/// OpenGraph ids and the JSON's id fields differ.
#[test]
fn ids_change_no_decision_and_no_finding() {
    let with = load("configmgr-external-ids.json");
    let mut raw: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/scenarios/configmgr-external-ids.json"))
            .unwrap(),
    )
    .unwrap();
    raw.as_object_mut().unwrap().remove("external_ids");
    let without = Scenario::from_json(&raw.to_string()).unwrap();
    assert!(without.estate.external_ids().is_empty());
    assert!(!with.estate.external_ids().is_empty());
    let decide = |s: &Scenario| sms_client_accounts::engine::resolve_all(&s.estate, &s.state);
    assert_eq!(decide(&with), decide(&without));
    let text = |s: &Scenario| {
        let x = Exposure::build(&s.estate, &s.state);
        sms_client_accounts::exposure::export::findings_text(&s.estate, &x, &x.findings(&s.estate))
    };
    assert_eq!(text(&with), text(&without));
}

/// The split export: the untagged document holds only Active Directory kinds keyed as
/// SharpHound keys them (a SID; a local Administrators group by its computer's SID and
/// `-544`; a domain's built-in Administrators by its FQDN and `-S-1-5-32-544`) and the
/// site by its code; the tagged document only the crate's kinds, each declared in the
/// schema, and no edge with an end in Active Directory (which would give the native node
/// the `SMS` kind); every edge's kind is native, ConfigManBearPig's or declared, and its
/// ends are nodes of one of the two documents; over every scenario fixture.
#[test]
fn the_split_export_joins_by_sid_and_keeps_its_own_kinds_apart() {
    use sms_client_accounts::exposure::opengraph::to_opengraph_split;
    let sid = |id: &str| {
        let id = id.split_once("-S-1-5-32-").map_or(id, |(_, rid)| rid);
        let parts: Vec<&str> = id.split('-').collect();
        !id.is_empty()
            && (parts.len() == 1 && id.parse::<u64>().is_ok()
                || parts.len() >= 4
                    && parts[..2] == ["S", "1"]
                    && parts[2..].iter().all(|p| p.parse::<u64>().is_ok()))
    };
    let native = ["MemberOf", "MemberOfLocalGroup", "LocalToComputer"];
    let cmbp = ["SCCM_HasNetworkAccessAccount", "SCCM_HasStoredAccount"];
    let mut ad_seen = 0;
    for path in json_files(&root().join("fixtures/scenarios")) {
        let s = Scenario::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let x = Exposure::build(&s.estate, &s.state);
        let split = to_opengraph_split(&s.estate, &x);
        assert!(
            split.ad.get("metadata").is_none(),
            "the AD document is untagged"
        );
        assert_eq!(split.own["metadata"]["source_kind"], "SMS");
        let nodes =
            |doc: &Value| -> Vec<Value> { doc["graph"]["nodes"].as_array().unwrap().clone() };
        let declared: Vec<String> = split.schema["node_kinds"]
            .as_array()
            .unwrap()
            .iter()
            .chain(split.schema["relationship_kinds"].as_array().unwrap())
            .map(|k| k["name"].as_str().unwrap().to_string())
            .collect();
        let mut ad_ids = std::collections::BTreeSet::new();
        let mut own_ids = std::collections::BTreeSet::new();
        for n in nodes(&split.ad) {
            let id = n["id"].as_str().unwrap().to_string();
            let kinds: Vec<&str> = n["kinds"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_str().unwrap())
                .collect();
            match kinds[..] {
                ["SCCM_Site"] => assert_eq!(id, s.estate.site().code.to_uppercase()),
                [
                    "User" | "Group" | "Computer" | "Domain" | "ADLocalGroup",
                    "Base",
                ] => {
                    assert!(
                        sid(&id),
                        "{}: {id} is keyed as SharpHound keys it",
                        path.display()
                    );
                    ad_seen += 1;
                }
                _ => panic!("{}: {kinds:?} in the untagged document", path.display()),
            }
            assert!(ad_ids.insert(id), "{}: ids are unique", path.display());
        }
        for n in nodes(&split.own) {
            for k in n["kinds"].as_array().unwrap() {
                let k = k.as_str().unwrap();
                assert!(
                    k.starts_with("SMS_") && declared.iter().any(|d| d == k),
                    "{k} declared"
                );
            }
            let id = n["id"].as_str().unwrap().to_string();
            assert!(!id.contains(':'), "{id}: no colon in an id");
            assert!(
                !ad_ids.contains(&id) && own_ids.insert(id),
                "{}: ids are unique",
                path.display()
            );
        }
        for (doc, is_ad) in [(&split.ad, true), (&split.own, false)] {
            for e in doc["graph"]["edges"].as_array().unwrap() {
                let kind = e["kind"].as_str().unwrap();
                assert!(
                    native.contains(&kind)
                        || cmbp.contains(&kind)
                        || declared.iter().any(|d| d == kind),
                    "{kind}"
                );
                assert_eq!(
                    e["properties"]["collectionSource"],
                    serde_json::json!(["sms-client-accounts"])
                );
                assert_ne!(e["properties"]["assumed"], serde_json::json!(false));
                let ends: Vec<&str> = ["start", "end"]
                    .iter()
                    .map(|k| e[*k]["value"].as_str().unwrap())
                    .collect();
                for id in &ends {
                    assert!(
                        ad_ids.contains(*id) || own_ids.contains(*id),
                        "{}: {kind} {id} is a node",
                        path.display()
                    );
                }
                // A native kind joins two Active Directory objects, in the untagged file.
                if native.contains(&kind) || cmbp.contains(&kind) {
                    assert!(
                        is_ad && ends.iter().all(|id| ad_ids.contains(*id)),
                        "{}: {kind} {ends:?}",
                        path.display()
                    );
                }
                // An edge with an end in Active Directory is in the untagged document.
                assert_eq!(
                    ends.iter().any(|id| ad_ids.contains(*id)),
                    is_ad,
                    "{}: {kind} {ends:?}",
                    path.display()
                );
            }
        }
    }
    assert!(ad_seen > 0, "a fixture gives ids");
}

#[test]
fn the_split_export_of_a_fixture_with_ids_is_snapshotted() {
    use sms_client_accounts::exposure::opengraph::to_opengraph_split;
    let s = load("configmgr-external-ids.json");
    let x = Exposure::build(&s.estate, &s.state);
    let split = to_opengraph_split(&s.estate, &x);
    for (name, doc) in split.files() {
        insta::with_settings!({snapshot_path => "snapshots/interop", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name.to_string(), serde_json::to_string_pretty(doc).unwrap());
        });
    }
}
