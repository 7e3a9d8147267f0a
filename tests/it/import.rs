//! `import cmbp`: our own small collections in ConfigManBearPig's 2.0 and SharpHound's
//! formats (`fixtures/collections/`) imported, checked fact by fact against what the
//! files say, their scenarios loaded and kept (`fixtures/imported/`,
//! which must be what the import writes today), their findings and split exports
//! snapshotted; every bad input refused with a report that names the place; the round
//! trip keeps the collection's ids.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use sms_client_accounts::Scenario;
use sms_client_accounts::exposure::Exposure;
use sms_client_accounts::exposure::opengraph::to_opengraph_split;
use sms_client_accounts::import::{self, ImportError, Options, Source};
use sms_client_accounts::rules::{CATALOG, Layer, RuleId};
use sms_client_accounts::scenario::raw::{RawProvenance, RawScenario, RawStoredRole};

use crate::common::*;

const D: &str = "S-1-5-21-1111111111-2222222222-3333333333";
const C: &str = "fixtures/collections";

fn read(paths: &[&str]) -> Vec<Source> {
    // Relative paths (cargo runs tests in the package's root): the names the files
    // get in `imported.files` do not depend on where the checkout is.
    paths
        .iter()
        .flat_map(|p| import::sources(Path::new(p)).unwrap())
        .collect()
}

fn naa(names: &[&str]) -> Options {
    Options {
        naa: names.iter().map(|n| n.to_string()).collect(),
        ..Options::default()
    }
}

fn try_import(cmbp: &[&str], sharphound: &[&str], o: &Options) -> Result<RawScenario, ImportError> {
    let mut sources = Vec::new();
    for p in cmbp {
        sources.extend(import::sources(Path::new(p))?);
    }
    let mut sh = Vec::new();
    for p in sharphound {
        sh.extend(import::sources(Path::new(p))?);
    }
    import::cmbp(&sources, &sh, o)
}

fn privileged() -> RawScenario {
    let c = format!("{C}/cmbp-privileged");
    let sh = format!("{C}/sharphound");
    try_import(&[&c], &[&sh], &naa(&["CORP\\naa"])).unwrap()
}

/// The six imports kept as scenarios, with the command that writes each.
fn kept() -> Vec<(&'static str, RawScenario)> {
    let sh = format!("{C}/sharphound");
    let mut all_naa = naa(&["all"]);
    all_naa.approval = Some(sms_client_accounts::scenario::raw::RawApproval::Manual);
    let sites = Options {
        site: Some("P02".into()),
        ..Options::default()
    };
    vec![
        ("imported-cmbp-privileged", privileged()),
        (
            "imported-cmbp-naa-all",
            try_import(&[&format!("{C}/cmbp-privileged.zip")], &[&sh], &all_naa).unwrap(),
        ),
        (
            "imported-cmbp-unprivileged",
            try_import(
                &[&format!("{C}/cmbp-unprivileged")],
                &[],
                &Options::default(),
            )
            .unwrap(),
        ),
        (
            "imported-cmbp-sites",
            try_import(&[&format!("{C}/cmbp-sites")], &[&sh], &sites).unwrap(),
        ),
        (
            "imported-cmbp-push",
            try_import(&[&format!("{C}/cmbp-privileged")], &[&sh], &push_options()).unwrap(),
        ),
        (
            "imported-cmbp-policy",
            try_import(&[&format!("{C}/cmbp-policy")], &[&sh], &naa(&["CORP\\naa"])).unwrap(),
        ),
    ]
}

/// `--naa CORP\naa --push-account others --push-settings push-settings.json`.
fn push_options() -> Options {
    let text = std::fs::read_to_string(format!("{C}/push-settings.json")).unwrap();
    Options {
        push_accounts: vec!["others".into()],
        client_push: Some(sms_client_accounts::scenario::parse_client_push(&text).unwrap()),
        ..naa(&["CORP\\naa"])
    }
}

fn facts<'a>(
    raw: &'a RawScenario,
    fact: &str,
) -> Vec<&'a sms_client_accounts::scenario::raw::RawFact> {
    let i = raw.imported.as_ref().unwrap();
    i.facts.iter().filter(|f| f.fact == fact).collect()
}

#[test]
fn the_privileged_collection_gives_each_fact_the_files_hold() {
    let raw = privileged();
    let i = raw.imported.as_ref().unwrap();
    assert_eq!(i.site, "P01");
    assert!(i.privileged, "an SCCM_AdminUser node: a privileged run");
    // The site: its servers from siteServerDomainSID and the Site Server role, its DP
    // from the Distribution Point role, its database readers from the sysadmin role.
    assert_eq!(raw.site.site_server.as_deref(), Some("P01-SS"));
    assert_eq!(raw.site.passive_site_servers, ["P01-HA"]);
    assert_eq!(
        raw.site.distribution_points,
        ["\\\\P01-DP\\SCCMContentLib$"]
    );
    assert_eq!(raw.site.database_readers, ["CORP\\P01-SS$"]);
    assert_eq!(raw.site.network_access_accounts, ["CORP\\naa"]);
    assert!(
        !raw.site.https_only,
        "the probed DP requires no certificate"
    );
    // Clients: three confirmed, WKS3 inferred from its SPN.
    let clients: Vec<(&str, bool)> = i
        .clients
        .iter()
        .map(|c| (c.machine.as_str(), c.confirmed))
        .collect();
    assert_eq!(
        clients,
        [
            ("P01-DP", true),
            ("WKS1", true),
            ("WKS2", true),
            ("WKS3", false)
        ]
    );
    let inferred = facts(&raw, "machines[WKS3].sms_client");
    assert!(
        inferred
            .iter()
            .any(|f| f.rule.as_deref() == Some("X-IMPORT-INFERRED-CLIENT"))
    );
    for m in &raw.machines {
        let client = ["P01-DP", "WKS1", "WKS2", "WKS3"].contains(&m.name.as_str());
        assert_eq!(m.sms_client, client, "{}", m.name);
    }
    // Stored accounts: naa given as the NAA, push kept as another stored account.
    let stored: Vec<(&str, RawStoredRole, RawProvenance)> = i
        .stored_accounts
        .iter()
        .map(|s| (s.account.as_str(), s.role, s.provenance))
        .collect();
    assert_eq!(
        stored,
        [
            (
                "CORP\\naa",
                RawStoredRole::NetworkAccess,
                RawProvenance::Given
            ),
            ("CORP\\push", RawStoredRole::Other, RawProvenance::Collected)
        ]
    );
    // Current users, one per client.
    let logons: Vec<(&str, &str)> = raw
        .state
        .logons
        .iter()
        .map(|l| (l.client.as_str(), l.user.as_str()))
        .collect();
    assert_eq!(logons, [("WKS1", "CORP\\alice"), ("WKS2", "CORP\\bob")]);
    assert_eq!(raw.state.disabled, ["CORP\\olduser"]);
    // SharpHound: the NetBIOS name, the quota, the trusts (CORP trusts FAR, outbound;
    // OTHER trusts CORP, inbound, written as a number), the DC, WKS1's administrators.
    let domain = |n: &str| raw.domains.iter().find(|d| d.name == n).unwrap();
    assert_eq!(domain("CORP").trusts, ["FAR"]);
    assert_eq!(domain("OTHER").trusts, ["CORP"]);
    assert!(domain("FAR").trusts.is_empty());
    assert!(
        facts(&raw, "domains[FAR].name")
            .iter()
            .any(|f| f.rule.as_deref() == Some("X-IMPORT-NETBIOS"))
    );
    let corp = domain("CORP");
    assert_eq!(
        (corp.name.as_str(), corp.machine_account_quota),
        ("CORP", Some(0))
    );
    let platform = |n: &str| raw.machines.iter().find(|m| m.name == n).unwrap().platform;
    assert_eq!(
        serde_json::to_value(platform("DC1")).unwrap(),
        "windows_server_dc"
    );
    let wks1 = raw.machines.iter().find(|m| m.name == "WKS1").unwrap();
    assert_eq!(
        wks1.local_groups[0].members,
        ["CORP\\Domain Admins", "CORP\\IT", "CORP\\alice"]
    );
    // IT holds Helpdesk, which holds bob: IT's members are Helpdesk's (X-IMPORT-NESTING).
    let it = corp.global_groups.iter().find(|g| g.name == "IT").unwrap();
    assert_eq!(it.members, ["CORP\\bob"]);
    assert!(
        i.facts
            .iter()
            .any(|f| f.rule.as_deref() == Some("X-IMPORT-NESTING") && f.value.contains("Helpdesk"))
    );
    // What the model has no account for is left out, each id once.
    let left: Vec<&str> = i.left_out.iter().map(|l| l.id.as_str()).collect();
    let unknown_member = format!("{D}-1999");
    assert_eq!(
        left,
        [
            "CORP.EXAMPLE-S-1-5-11",
            unknown_member.as_str(),
            "S-1-5-21-4444444444-5555555555-6666666666-1105"
        ],
        "a well-known group, a member no file describes, a member of IT from FAR"
    );
    assert!(i.left_out[2].because.contains("another domain"));
    // A domain local group in a machine's Administrators gives its members
    // (X-IMPORT-NESTING): LocalAdmins holds alice.
    let ss = raw.machines.iter().find(|m| m.name == "P01-SS").unwrap();
    assert_eq!(
        ss.local_groups[0].members,
        ["CORP\\Domain Admins", "CORP\\P01-HA$", "CORP\\alice"]
    );
    // Two machines named LAB: the second by SID is renamed (X-IMPORT-RENAME).
    assert_eq!(i.renamed.len(), 1);
    assert_eq!(
        (
            i.renamed[0].machine.as_str(),
            i.renamed[0].collected.as_str()
        ),
        ("LAB-1111", "LAB")
    );
    assert_eq!(i.renamed[0].sid, format!("{D}-1111"));
    // What the collection cannot know is listed unknown: the settings it does not
    // carry, WKS2's administrators (SharpHound did not reach it), each with its default.
    let unknown: Vec<String> = raw
        .unknown
        .iter()
        .map(|u| {
            format!(
                "{}{}",
                u.fact,
                u.machine
                    .as_deref()
                    .map(|m| format!(" {m}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    for u in [
        "approval",
        "enhanced_http",
        "anonymous_distribution_points",
        "previous_network_access_accounts",
        "administrators WKS2",
    ] {
        assert!(unknown.contains(&u.to_string()), "{u}: {unknown:?}");
    }
    assert!(!unknown.contains(&"administrators WKS1".to_string()));
    assert!(
        !unknown.contains(&"administrators DC1".to_string()),
        "a DC has no local SAM"
    );
    assert!(
        facts(&raw, "site.approval")
            .iter()
            .all(|f| f.provenance == RawProvenance::Default
                && f.rule.as_deref() == Some("X-IMPORT-NOT-COLLECTED"))
    );
    // The ids: the device ids, the SIDs.
    let ids = &raw.external_ids;
    let wks3 = ids.machines.iter().find(|m| m.name == "WKS3").unwrap();
    assert_eq!(wks3.device_id.as_deref(), Some(&*format!("{D}-1106@CAS")));
    assert_eq!(ids.domains[0].dns_name.as_deref(), Some("corp.example"));
}

#[test]
fn the_imported_estate_has_the_findings_its_facts_imply() {
    use sms_client_accounts::scenario::raw::RawExposureExpectation;
    let mut raw = privileged();
    let expect = |credential: Option<&str>, client: Option<&str>, yields: &[&str], not: &[&str]| {
        RawExposureExpectation {
            credential: credential.map(Into::into),
            client: client.map(Into::into),
            segment: None,
            yields: yields.iter().map(|y| (*y).into()).collect(),
            does_not_yield: not.iter().map(|y| (*y).into()).collect(),
            because: "the import".into(),
        }
    };
    raw.exposure_expectations = vec![
        // bob administers WKS1 through IT, which holds Helpdesk (X-IMPORT-NESTING)...
        expect(Some("CORP\\bob"), None, &["administrator of WKS1"], &[]),
        // ...and an administrator of WKS1 reads the NAA there (CRED-3).
        expect(None, Some("WKS1"), &["password of CORP\\naa"], &[]),
        // push is stored, not an NAA: no client reveals it.
        expect(
            None,
            Some("WKS2"),
            &["password of CORP\\naa"],
            &["password of CORP\\push"],
        ),
        // CRED-5: the site server's administrators recover the NAA from the database;
        // the model's CRED-5 covers network access accounts only (the push account is
        // the client-push issue's).
        expect(None, Some("P01-SS"), &["password of CORP\\naa"], &[]),
    ];
    let s = Scenario::from_raw(&raw).unwrap();
    let failed = sms_client_accounts::verify::check_all(&s);
    assert!(failed.is_empty(), "{failed:?}");
    let e = &s.estate;
    let x = Exposure::build(e, &s.state);
    // CRED-2: a quota of 0 leaves no user route; the computer accounts' route stays.
    let rules: BTreeSet<RuleId> = x.findings(e).iter().map(|f| f.rule).collect();
    assert!(rules.contains(&RuleId::CmCred2));
    assert!(!rules.contains(&RuleId::XCmAddWorkstations));
    assert!(rules.contains(&RuleId::CmCred5));
    assert!(rules.contains(&RuleId::XCmPassiveSiteServer));
    assert!(rules.contains(&RuleId::XUnknown));
}

#[test]
fn the_unprivileged_collection_leaves_the_accounts_unknown() {
    let raw = try_import(
        &[&format!("{C}/cmbp-unprivileged")],
        &[],
        &Options::default(),
    )
    .unwrap();
    let i = raw.imported.as_ref().unwrap();
    assert!(!i.privileged);
    assert!(raw.site.network_access_accounts.is_empty());
    assert!(
        raw.unknown
            .iter()
            .any(|u| u.fact == "network_access_accounts")
    );
    assert!(
        facts(&raw, "site.network_access_accounts")
            .iter()
            .any(|f| f.rule.as_deref() == Some("X-IMPORT-PRIVILEGE"))
    );
    assert!(i.clients.iter().all(|c| !c.confirmed) && i.clients.len() == 3);
    // No site server SID: the first holder of the role by SID (X-IMPORT-SITE-SERVER).
    assert_eq!(raw.site.site_server.as_deref(), Some("P01-SS"));
    assert_eq!(raw.site.passive_site_servers, ["P01-HA"]);
    assert!(
        facts(&raw, "site.site_server")
            .iter()
            .any(|f| f.rule.as_deref() == Some("X-IMPORT-SITE-SERVER"))
    );
    // Without SharpHound: the domain named from its DNS name, its quota and trusts
    // unknown, every machine's administrators unknown.
    assert_eq!(raw.domains[0].name, "CORP");
    assert!(
        facts(&raw, "domains[CORP].name")
            .iter()
            .any(|f| f.rule.as_deref() == Some("X-IMPORT-NETBIOS"))
    );
    assert!(
        raw.unknown
            .iter()
            .any(|u| u.fact == "machine_account_quota")
    );
    assert!(raw.unknown.iter().any(|u| u.fact == "trusts"));
    // A name given for an unprivileged run is taken, as given.
    let given = try_import(
        &[&format!("{C}/cmbp-unprivileged")],
        &[],
        &naa(&["naa@corp.example"]),
    )
    .unwrap();
    assert_eq!(given.site.network_access_accounts, ["CORP\\naa"]);
    assert!(
        facts(&given, "site.network_access_accounts")
            .iter()
            .any(|f| f.provenance == RawProvenance::Given)
    );
    assert!(
        !given
            .unknown
            .iter()
            .any(|u| u.fact == "network_access_accounts")
    );
}

#[test]
fn the_command_line_chooses_the_site_and_the_accounts_or_is_told_to() {
    let sites = format!("{C}/cmbp-sites");
    let err = try_import(&[&sites], &[], &Options::default()).unwrap_err();
    assert!(err.is_usage());
    let text = err.to_string();
    assert!(
        text.contains("--site") && text.contains("`P01`") && text.contains("`P02`"),
        "{text}"
    );
    let s01 = Options {
        site: Some("S01".into()),
        ..Options::default()
    };
    let err = try_import(&[&sites], &[], &s01).unwrap_err();
    assert!(
        err.is_usage() && err.to_string().contains("Secondary Site"),
        "{err}"
    );
    // P02 stores one account: taken as its NAA (X-IMPORT-NAA-SOLE).
    let p02 = Options {
        site: Some("p02".into()),
        ..Options::default()
    };
    let raw = try_import(&[&sites], &[], &p02).unwrap();
    assert_eq!(raw.site.network_access_accounts, ["CORP\\naa2"]);
    let stored = &raw.imported.as_ref().unwrap().stored_accounts[0];
    assert_eq!(stored.rule.as_deref(), Some("X-IMPORT-NAA-SOLE"));
    // P01 stores two, and the collection flags naa as its NAA
    // (`isSCCMNetworkAccessAccount`; push carries the 2.0 spelling, false); its DP is
    // known from the site's role list alone.
    let p01 = Options {
        site: Some("P01".into()),
        ..Options::default()
    };
    let raw = try_import(&[&sites], &[], &p01).unwrap();
    assert_eq!(raw.site.network_access_accounts, ["CORP\\naa"]);
    assert_eq!(
        raw.site.distribution_points,
        ["\\\\P01-DP\\SCCMContentLib$"]
    );
    let stored = &raw.imported.as_ref().unwrap().stored_accounts;
    assert_eq!(stored[0].provenance, RawProvenance::Collected);
    // Without a flag: name them, or all, or be told which there are.
    let privileged = format!("{C}/cmbp-privileged");
    let err = try_import(&[&privileged], &[], &Options::default()).unwrap_err();
    let text = err.to_string();
    assert!(
        err.is_usage() && text.contains("CORP\\naa") && text.contains("CORP\\push"),
        "{text}"
    );
    let all = Options {
        site: Some("P01".into()),
        naa: vec!["all".into()],
        ..Options::default()
    };
    let raw = try_import(&[&sites], &[], &all).unwrap();
    assert_eq!(
        raw.site.network_access_accounts,
        ["CORP\\naa", "CORP\\push"]
    );
    assert!(
        raw.imported
            .as_ref()
            .unwrap()
            .stored_accounts
            .iter()
            .all(|s| s.rule.as_deref() == Some("X-IMPORT-NAA-ALL"))
    );
    let by_sid = Options {
        site: Some("P01".into()),
        naa: vec![format!("{D}-1203")],
        ..Options::default()
    };
    let raw = try_import(&[&sites], &[], &by_sid).unwrap();
    assert_eq!(raw.site.network_access_accounts, ["CORP\\push"]);
    let nobody = Options {
        site: Some("P01".into()),
        naa: vec!["CORP\\nobody".into()],
        ..Options::default()
    };
    assert!(try_import(&[&sites], &[], &nobody).unwrap_err().is_usage());
    // The settings a collection lacks, given.
    let mut given = naa(&["naa"]);
    given.enhanced_http = Some(true);
    given.previous_naa = vec!["CORP\\push".into()];
    given.anonymous_distribution_points = vec!["p01-dp.corp.example".into()];
    let err = try_import(&[&format!("{C}/cmbp-privileged")], &[], &given).unwrap_err();
    // Enhanced HTTP with an anonymous DP is refused by the loader (CM-ENHANCED-HTTP-ANONYMOUS).
    assert!(
        err.to_string().contains("CM-ENHANCED-HTTP-ANONYMOUS"),
        "{err}"
    );
    given.enhanced_http = None;
    let raw = try_import(&[&format!("{C}/cmbp-privileged")], &[], &given).unwrap();
    assert_eq!(
        raw.site.anonymous_distribution_points,
        ["\\\\P01-DP\\SCCMContentLib$"]
    );
    assert_eq!(raw.site.previous_network_access_accounts, ["CORP\\push"]);
    assert!(
        facts(&raw, "site.anonymous_distribution_points")
            .iter()
            .all(|f| f.option.as_deref() == Some("--anonymous-dp"))
    );
    let mut wrong = naa(&["naa"]);
    wrong.anonymous_distribution_points = vec!["WKS1".into()];
    assert!(
        try_import(&[&format!("{C}/cmbp-privileged")], &[], &wrong)
            .unwrap_err()
            .is_usage()
    );
}

#[test]
fn the_kept_scenarios_are_what_the_import_writes_and_load() {
    for (name, raw) in kept() {
        let path = root()
            .join("fixtures/imported")
            .join(format!("{name}.json"));
        let kept = std::fs::read_to_string(&path).unwrap();
        let now = serde_json::to_string_pretty(&raw).unwrap() + "\n";
        assert!(
            kept == now,
            "{name}: the import writes something else now; write it again with the command of README's import section"
        );
        Scenario::from_json(&kept).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn every_import_rule_is_recorded_by_an_import() {
    let mut recorded: BTreeSet<String> = BTreeSet::new();
    for (_, raw) in kept() {
        let i = raw.imported.unwrap();
        recorded.extend(
            i.facts
                .iter()
                .filter_map(|f| f.rule.as_ref().map(|r| r.to_string())),
        );
        recorded.extend(
            i.stored_accounts
                .iter()
                .filter_map(|s| s.rule.as_ref().map(|r| r.to_string())),
        );
    }
    for rule in CATALOG.iter().filter(|r| r.layer == Layer::Import) {
        assert!(
            recorded.contains(rule.id.as_str()),
            "no kept import records {}",
            rule.id
        );
    }
    // The names, for the traceability table.
    for id in [
        "X-IMPORT-NOT-COLLECTED",
        "X-IMPORT-NAA-ALL",
        "X-IMPORT-NAA-SOLE",
        "X-IMPORT-PRIVILEGE",
        "X-IMPORT-INFERRED-CLIENT",
        "X-IMPORT-NETBIOS",
        "X-IMPORT-PLATFORM",
        "X-IMPORT-SITE-SERVER",
        "X-IMPORT-DP-SHARE",
        "X-IMPORT-NESTING",
        "X-IMPORT-RENAME",
        "X-IMPORTED",
    ] {
        assert!(RuleId::parse(id).is_some(), "{id}");
    }
}

#[test]
fn findings_and_exports_of_the_imports_are_pinned() {
    use sms_client_accounts::exposure::export::findings_text;
    for (name, raw) in kept() {
        let s = Scenario::from_raw(&raw).unwrap();
        let x = Exposure::build(&s.estate, &s.state);
        let findings = findings_text(&s.estate, &x, &x.findings(&s.estate));
        let split = to_opengraph_split(&s.estate, &x);
        let export =
            serde_json::to_string_pretty(&serde_json::json!({"ad": split.ad, "own": split.own}))
                .unwrap();
        insta::with_settings!({snapshot_path => "snapshots/import", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(format!("{name}-findings"), findings);
            insta::assert_snapshot!(format!("{name}-export"), export);
        });
    }
}

/// Every id a collection's files give: node ids, SharpHound's object and local group
/// ids and the SIDs of the domains its trusts name.
fn collected_ids(paths: &[&str]) -> BTreeSet<String> {
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    if let (true, Value::String(s)) = (
                        ["id", "ObjectIdentifier", "TargetDomainSid"].contains(&k.as_str()),
                        v,
                    ) {
                        out.insert(s.to_ascii_uppercase());
                    }
                    // A domain's DNS name keys its builtin groups (`FQDN-S-1-5-32-544`).
                    if let (true, Value::String(s)) = (
                        ["Domain", "domain", "TargetDomainName"].contains(&k.as_str()),
                        v,
                    ) {
                        out.insert(format!("{}-S-1-5-32-544", s.to_ascii_uppercase()));
                    }
                    walk(v, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for s in read(paths) {
        let v: Value = serde_json::from_slice(&s.bytes).unwrap();
        walk(&v, &mut out);
    }
    out
}

#[test]
fn the_round_trip_lands_every_edge_between_imported_objects_on_collected_ids() {
    let cmbp = format!("{C}/cmbp-privileged");
    let sh = format!("{C}/sharphound");
    let ids = collected_ids(&[&cmbp, &sh]);
    let raw = privileged();
    let s = Scenario::from_raw(&raw).unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    let split = to_opengraph_split(&s.estate, &x);
    let nodes = |doc: &Value| -> Vec<(String, Vec<String>)> {
        doc["graph"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                let kinds = n["kinds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k.as_str().unwrap().to_string())
                    .collect();
                (n["id"].as_str().unwrap().to_string(), kinds)
            })
            .collect()
    };
    let (ad, own) = (nodes(&split.ad), nodes(&split.own));
    // An id of the collection, or a collected machine's local Administrators
    // (`<SID>-544`, as SharpHound keys it where it reaches the machine).
    let imported = |id: &str| {
        let id = id.to_ascii_uppercase();
        ids.contains(&id) || id.strip_suffix("-544").is_some_and(|m| ids.contains(m))
    };
    // The untagged file: AD kinds keyed by SID, each an imported object.
    for (id, kinds) in &ad {
        assert!(
            [
                "User",
                "Group",
                "Computer",
                "ADLocalGroup",
                "Domain",
                "SCCM_Site"
            ]
            .contains(&kinds[0].as_str()),
            "{id}: {kinds:?}"
        );
        if kinds[0] != "SCCM_Site" {
            assert!(
                id.starts_with("S-1-5-") || id.contains("-S-1-5-32-"),
                "{id}"
            );
        }
        assert!(imported(id), "{id} is no id of the collection");
    }
    // The tagged file: the crate's namespace only.
    for (id, kinds) in &own {
        assert!(
            kinds
                .iter()
                .all(|k| k.starts_with("SMS") || k.starts_with("SCCM_")),
            "{id}: {kinds:?}"
        );
    }
    // Every endpoint is a node of one of the files; every edge between imported
    // objects (the untagged file's) lands on ids of the collection.
    let all: BTreeSet<&str> = ad.iter().chain(&own).map(|(i, _)| i.as_str()).collect();
    for doc in [&split.ad, &split.own] {
        for e in doc["graph"]["edges"].as_array().unwrap() {
            for w in ["start", "end"] {
                let end = e[w]["value"].as_str().unwrap();
                assert!(all.contains(end), "{} {end}", e["kind"]);
            }
        }
    }
    // (Edges from an AD object to one of the crate's own nodes sit in the untagged file
    // too, so that SharpHound's node keeps its kinds.)
    let ad_ids: BTreeSet<&str> = ad.iter().map(|(i, _)| i.as_str()).collect();
    let between: Vec<&Value> = split.ad["graph"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            ["start", "end"]
                .iter()
                .all(|w| ad_ids.contains(e[w]["value"].as_str().unwrap()))
        })
        .collect();
    for e in &between {
        for w in ["start", "end"] {
            let end = e[w]["value"].as_str().unwrap();
            assert!(imported(end), "{} {end}", e["kind"]);
        }
    }
    assert!(
        between.len() > 10,
        "the export adds edges between imported objects"
    );
    let kinds: BTreeSet<&str> = split.ad["graph"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for k in [
        "SCCM_HasNetworkAccessAccount",
        "SCCM_HasStoredAccount",
        "MemberOf",
        "MemberOfLocalGroup",
        "LocalToComputer",
    ] {
        assert!(kinds.contains(k), "{k}: {kinds:?}");
    }
}

#[test]
fn every_bad_input_is_refused_with_its_place() {
    let i = format!("{C}/invalid");
    let cases: Vec<(&str, Vec<String>, Vec<String>)> = vec![
        (
            "not-a-collection",
            vec![format!("{i}/not-a-collection.json")],
            vec![],
        ),
        ("cmbp-1x-bom", vec![format!("{i}/cmbp-1x-bom.json")], vec![]),
        (
            "cmbp-1x-source-kind",
            vec![format!("{i}/cmbp-1x-source-kind.json")],
            vec![],
        ),
        (
            "cmbp-1x-unprefixed",
            vec![format!("{i}/cmbp-1x-unprefixed.json")],
            vec![],
        ),
        ("duplicate-ids", vec![format!("{i}/duplicate-ids")], vec![]),
        ("dangling-edge", vec![format!("{i}/dangling-edge")], vec![]),
        ("bad-sid", vec![format!("{i}/bad-sid.json")], vec![]),
        (
            "bad-group-sid",
            vec![format!("{i}/bad-group-sid.json")],
            vec![],
        ),
        ("wrong-type", vec![format!("{i}/wrong-type.json")], vec![]),
        ("no-primary", vec![format!("{i}/no-primary.json")], vec![]),
        ("not-a-zip", vec![format!("{i}/not-a-zip.zip")], vec![]),
        ("truncated-zip", vec![format!("{i}/truncated.zip")], vec![]),
        ("missing-file", vec![format!("{i}/missing.json")], vec![]),
        ("no-json-in-folder", vec![format!("{i}/no-json")], vec![]),
        (
            "sharphound-v5",
            vec![format!("{C}/cmbp-privileged")],
            vec![format!("{i}/sharphound-v5.json")],
        ),
        (
            "sharphound-as-collection",
            vec![format!("{C}/sharphound/20261201000000_users.json")],
            vec![],
        ),
    ];
    let mut report = String::new();
    for (name, cmbp, sh) in cases {
        let cmbp: Vec<&str> = cmbp.iter().map(String::as_str).collect();
        let sh: Vec<&str> = sh.iter().map(String::as_str).collect();
        let err = try_import(&cmbp, &sh, &naa(&["naa"])).unwrap_err();
        assert!(!err.is_usage(), "{name}: a file's fault, exit 1");
        let text = err.to_string();
        assert!(
            text.contains(&format!("{C}/")),
            "{name} names its file: {text}"
        );
        report.push_str(&format!("## {name}\n{text}\n\n"));
    }
    insta::with_settings!({snapshot_path => "snapshots/import", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("bad-inputs", report);
    });
}

#[test]
fn the_generated_collection_imports_the_same_each_time() {
    use sms_client_accounts::generate::cmbp_collection;
    let a = cmbp_collection(2_000, 7);
    assert_eq!(a, cmbp_collection(2_000, 7), "the seed fixes the bytes");
    assert_ne!(a, cmbp_collection(2_000, 8));
    let err = import::cmbp(&a, &[], &Options::default()).unwrap_err();
    assert!(err.is_usage(), "two stored accounts: {err}");
    let raw = import::cmbp(&a, &[], &naa(&["all"])).unwrap();
    assert_eq!(raw.machines.len(), 800, "40% computers");
    assert_eq!(raw.domains[0].users.len(), 600, "30% users");
    let i = raw.imported.unwrap();
    let inferred = i.clients.iter().filter(|c| !c.confirmed).count();
    // About 60% confirmed and 5% inferred, by the seeded rolls.
    assert!(
        (440..=520).contains(&(i.clients.len() - inferred)),
        "{}",
        i.clients.len()
    );
    assert!((20..=60).contains(&inferred), "{inferred}");
    assert_eq!(
        raw.site.network_access_accounts,
        ["CORP\\user0", "CORP\\user1"]
    );
    assert_eq!(raw.site.site_server.as_deref(), Some("PC0"));
    assert_eq!(raw.site.distribution_points, ["\\\\PC1\\SCCMContentLib$"]);
}

#[test]
fn push_accounts_and_settings_fill_the_site_s_client_push_or_are_refused() {
    let c = format!("{C}/cmbp-privileged");
    let sh = format!("{C}/sharphound");
    // `others`: the stored account not taken as NAA becomes the push account, given.
    let raw = try_import(&[&c], &[&sh], &push_options()).unwrap();
    let push = raw.site.client_push.as_ref().unwrap();
    assert_eq!(push.accounts, ["CORP\\push"]);
    assert_eq!(push.version, 2107);
    let i = raw.imported.as_ref().unwrap();
    let roles: Vec<(&str, RawStoredRole, Option<&str>)> = i
        .stored_accounts
        .iter()
        .map(|s| (s.account.as_str(), s.role, s.option.as_deref()))
        .collect();
    assert_eq!(
        roles,
        [
            ("CORP\\naa", RawStoredRole::NetworkAccess, Some("--naa")),
            (
                "CORP\\push",
                RawStoredRole::ClientPush,
                Some("--push-account")
            )
        ]
    );
    assert_eq!(facts(&raw, "site.client_push").len(), 1);
    assert_eq!(
        facts(&raw, "site.client_push.accounts")
            .iter()
            .map(|f| (f.value.as_str(), f.option.as_deref()))
            .collect::<Vec<_>>(),
        [("CORP\\push", Some("--push-account"))]
    );
    // By name or SID, the same.
    for name in ["CORP\\push", "push", &format!("{D}-1203")] {
        let mut o = push_options();
        o.push_accounts = vec![name.to_string()];
        let r = try_import(&[&c], &[&sh], &o).unwrap();
        assert_eq!(
            r.site.client_push.unwrap().accounts,
            ["CORP\\push"],
            "{name}"
        );
    }
    // The settings' own accounts, without --push-account.
    let mut o = push_options();
    o.push_accounts.clear();
    if let Some(p) = o.client_push.as_mut() {
        p.accounts = vec!["CORP\\push".into()];
    }
    let r = try_import(&[&c], &[&sh], &o).unwrap();
    let s = &r.imported.as_ref().unwrap().stored_accounts[1];
    assert_eq!(
        (s.role, s.option.as_deref()),
        (RawStoredRole::ClientPush, Some("--push-settings"))
    );
    Scenario::from_raw(&r).unwrap();
    // Neither: no push, the stored account stays `other`.
    let r = privileged();
    assert!(r.site.client_push.is_none());
    assert_eq!(
        r.imported.unwrap().stored_accounts[1].role,
        RawStoredRole::Other
    );
    // Refused, exit 2: accounts without settings; accounts twice; the NAA as push account;
    // a name the collection lacks.
    let mut no_settings = push_options();
    no_settings.client_push = None;
    let mut twice = push_options();
    if let Some(p) = twice.client_push.as_mut() {
        p.accounts = vec!["CORP\\push".into()];
    }
    let mut naa_too = push_options();
    naa_too.push_accounts = vec!["CORP\\naa".into()];
    let mut unknown = push_options();
    unknown.push_accounts = vec!["CORP\\nobody".into()];
    for (o, words) in [
        (no_settings, "--push-settings FILE"),
        (twice, "give the push accounts once"),
        (naa_too, "taken as a network access account"),
        (unknown, "no user of the collection"),
    ] {
        let e = try_import(&[&c], &[&sh], &o).unwrap_err();
        assert!(e.is_usage(), "{e}");
        assert!(e.to_string().contains(words), "{e}");
    }
}

#[test]
fn the_loader_refuses_a_push_role_the_site_does_not_list() {
    let mut raw = try_import(
        &[&format!("{C}/cmbp-privileged")],
        &[&format!("{C}/sharphound")],
        &push_options(),
    )
    .unwrap();
    // The push account listed, its role `other`: refused (X-IMPORTED).
    if let Some(i) = raw.imported.as_mut() {
        i.stored_accounts[1].role = RawStoredRole::Other;
    }
    let e = Scenario::from_raw(&raw).unwrap_err().to_string();
    assert!(
        e.contains("is in `site.client_push.accounts`, and its role says otherwise (X-IMPORTED)"),
        "{e}"
    );
    // The role `client_push`, the account not listed: refused.
    if let Some(i) = raw.imported.as_mut() {
        i.stored_accounts[1].role = RawStoredRole::ClientPush;
    }
    if let Some(p) = raw.site.client_push.as_mut() {
        p.accounts.clear();
    }
    let e = Scenario::from_raw(&raw).unwrap_err().to_string();
    assert!(e.contains("is not in `site.client_push.accounts`"), "{e}");
}

#[test]
fn collections_and_pxe_come_in_and_what_is_not_collected_is_unknown() {
    let raw = try_import(
        &[&format!("{C}/cmbp-policy")],
        &[&format!("{C}/sharphound")],
        &naa(&["CORP\\naa"]),
    )
    .unwrap();
    // Device collections with the site's clients among their members; a user
    // collection is none of the scenario's.
    let collections: Vec<(&str, Vec<&str>)> = raw
        .collections
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.members.iter().map(|m| m.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        collections,
        [
            ("All Systems", vec!["P01-DP", "WKS1", "WKS2", "WKS3"]),
            ("All Unknown Computers", vec![]),
            ("Workstations", vec!["WKS1", "WKS2"]),
        ]
    );
    let unknown: Vec<(&str, Option<&str>)> = raw
        .unknown
        .iter()
        .filter(|u| u.fact == "pxe" || u.fact == "policy_secrets")
        .map(|u| (u.fact.as_str(), u.machine.as_deref()))
        .collect();
    assert_eq!(unknown, [("pxe", Some("P01-DP")), ("policy_secrets", None)]);
    let secrets = raw
        .unknown
        .iter()
        .find(|u| u.fact == "policy_secrets")
        .and_then(|u| u.because.as_deref())
        .unwrap_or_default();
    assert!(secrets.contains("`Workstations` has 2"), "{secrets}");
    // The loader takes them; the findings say what is not assessed.
    let s = Scenario::from_raw(&raw).unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    let text =
        sms_client_accounts::exposure::export::findings_text(&s.estate, &x, &x.findings(&s.estate));
    assert!(
        text.contains("the PXE password and network segments of distribution point P01-DP"),
        "{text}"
    );
    assert!(
        text.contains("the task sequences, deployments and collection variables of site P01"),
        "{text}"
    );
    // Without the flag or the counts (the privileged collection), none of it.
    let plain = privileged();
    assert!(plain.collections.is_empty());
    assert!(
        !plain
            .unknown
            .iter()
            .any(|u| u.fact == "pxe" || u.fact == "policy_secrets")
    );
}

#[test]
fn push_accounts_that_name_no_account_still_need_the_settings() {
    // `others` when every stored account is taken as NAA: no account, and still no
    // settings to push with.
    let mut o = naa(&["all"]);
    o.push_accounts = vec!["others".into()];
    let e = try_import(
        &[&format!("{C}/cmbp-privileged")],
        &[&format!("{C}/sharphound")],
        &o,
    )
    .unwrap_err();
    assert!(
        e.is_usage() && e.to_string().contains("--push-settings"),
        "{e}"
    );
}
