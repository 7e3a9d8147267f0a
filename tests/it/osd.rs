//! Secrets in policy beyond the network access accounts: task sequences, collection
//! variables and PXE media. The fixtures' findings snapshotted; a property test of where
//! each secret goes over generated deployments, collections and PXE settings against a
//! reference written from lineage-sources-2.md section 2 (a secret reaches the members of
//! the collections its deployments target, a registration only through a collection
//! that takes new registrations, a network segment only through PXE); the findings
//! against their Requirements; the loader's refusals.

use std::collections::BTreeSet;

use proptest::prelude::*;
use sms_client_accounts::Scenario;
use sms_client_accounts::exposure::export::findings_text;
use sms_client_accounts::exposure::{
    Exposure, FindingKind, Node, Privilege, Reach, Severity, Start,
};
use sms_client_accounts::rules::RuleId;
use sms_client_accounts::scenario::raw::{
    RawCollection, RawDeployment, RawPxe, RawPxePassword, RawScenario, RawTaskSequence, RawVariable,
};

use crate::common::*;

const FIXTURES: [&str; 6] = [
    "ts-run-as-domain-join",
    "ts-all-systems",
    "collection-variable-removed",
    "pxe-no-password",
    "pxe-password",
    "pxe-unknown-off",
];

fn raw(name: &str) -> RawScenario {
    let path = root()
        .join("fixtures/scenarios")
        .join(format!("{name}.json"));
    sms_client_accounts::scenario::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_policy_fixtures_findings_are_pinned_and_tagged() {
    for name in FIXTURES {
        let s = Scenario::from_raw(&raw(name)).unwrap();
        let x = Exposure::build(&s.estate, &s.state);
        let findings = x.findings(&s.estate);
        insta::with_settings!({snapshot_path => "snapshots/osd", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name, findings_text(&s.estate, &x, &findings));
        });
    }
    // The techniques each fixture shows, as lineage-sources-2.md section 2 reads it.
    let techniques = |name: &str| -> BTreeSet<(&'static str, RuleId)> {
        let s = Scenario::from_raw(&raw(name)).unwrap();
        let x = Exposure::build(&s.estate, &s.state);
        x.findings(&s.estate)
            .iter()
            .filter(|f| {
                matches!(
                    f.kind,
                    FindingKind::PolicySecretsOnClients
                        | FindingKind::PolicySecretsObtainable
                        | FindingKind::PolicySecretsResidue
                        | FindingKind::PxeMediaSecrets
                )
            })
            .filter_map(|f| x.finding_tag(f).map(|t| (t.technique, f.rule)))
            .collect()
    };
    assert_eq!(
        techniques("ts-run-as-domain-join"),
        BTreeSet::from([("CRED-3", RuleId::XCmTsTargets)])
    );
    assert_eq!(
        techniques("ts-all-systems"),
        BTreeSet::from([
            ("CRED-3", RuleId::XCmTsTargets),
            ("CRED-2", RuleId::XCmNewRegistrations)
        ])
    );
    assert_eq!(
        techniques("collection-variable-removed"),
        BTreeSet::from([("CRED-4", RuleId::XCmTsResidue)])
    );
    assert_eq!(
        techniques("pxe-no-password"),
        BTreeSet::from([
            ("CRED-1", RuleId::CmCred1),
            ("CRED-1", RuleId::XCmPxeUnknown)
        ])
    );
    assert_eq!(
        techniques("pxe-unknown-off"),
        BTreeSet::from([("CRED-1", RuleId::CmCred1)])
    );
}

#[test]
fn a_pxe_password_rates_cred_1_below_media_in_the_clear() {
    // Misconfiguration-Manager CRED-1 Impact: with a password, the crack comes first.
    let rate = |name: &str| -> Vec<Severity> {
        let s = Scenario::from_raw(&raw(name)).unwrap();
        let x = Exposure::build(&s.estate, &s.state);
        x.findings(&s.estate)
            .iter()
            .filter(|f| f.kind == FindingKind::PxeMediaSecrets)
            .map(|f| f.severity)
            .collect()
    };
    let clear = rate("pxe-no-password");
    let locked = rate("pxe-password");
    assert_eq!(clear.len(), 2);
    assert_eq!(locked.len(), 2);
    for (c, l) in clear.iter().zip(&locked) {
        assert!(
            l < c || (*l == Severity::Medium && *c == Severity::High),
            "{l:?} {c:?}"
        );
    }
    // Marked weak: as in the clear.
    let mut r = raw("pxe-password");
    r.site.pxe[0].password = RawPxePassword::Weak;
    let s = Scenario::from_raw(&r).unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    let weak: Vec<Severity> = x
        .findings(&s.estate)
        .iter()
        .filter(|f| f.kind == FindingKind::PxeMediaSecrets)
        .map(|f| f.severity)
        .collect();
    assert_eq!(weak, clear);
}

#[test]
fn the_domain_join_account_owns_what_it_joined_until_ownership_moves() {
    let owned = |r: &RawScenario| -> Vec<String> {
        let s = Scenario::from_raw(r).unwrap();
        let x = Exposure::build(&s.estate, &s.state);
        let djoin = found(s.estate.account_by_name("CORP\\djoin"), "djoin");
        x.compromise(Start::Credential(djoin), Reach::Direct)
            .iter()
            .filter_map(|p| match p.privilege {
                Privilege::Administrator(m) => Some(s.estate.machine(m).name.to_string()),
                _ => None,
            })
            .collect()
    };
    let mut r = raw("ts-run-as-domain-join");
    assert_eq!(owned(&r), ["WKS1", "WKS2"]);
    // PREVENT-17 applied: ownership reassigned.
    r.site.task_sequences[0].ownership_reassigned = Some(true);
    assert!(owned(&r).is_empty());
    // Not listed: the members of the collections it is deployed to (X-CM-DJOIN-JOINED).
    let mut r = raw("ts-run-as-domain-join");
    r.site.task_sequences[0].joined = None;
    assert_eq!(owned(&r), ["WKS1", "WKS2"]);
    r.site.task_sequences[0].joined = Some(vec!["WKS2".into()]);
    assert_eq!(owned(&r), ["WKS2"]);
    // The rule of the owner edges: stated when the file says ownership stayed.
    let mut r = raw("ts-run-as-domain-join");
    r.site.task_sequences[0].ownership_reassigned = Some(false);
    let s = Scenario::from_raw(&r).unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    let rules: BTreeSet<RuleId> = x
        .edges()
        .filter(
            |e| matches!(e.from, Node::Account(a) if s.estate.qualified_name(a) == "CORP\\djoin"),
        )
        .map(|e| e.rule)
        .filter(|r| r.as_str().contains("DJOIN"))
        .collect();
    assert_eq!(rules, BTreeSet::from([RuleId::CmDjoinOwner]));
}

#[test]
fn from_a_segment_only_pxe_media_are_reached() {
    let s = Scenario::from_raw(&raw("pxe-no-password")).unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    let names = sms_client_accounts::scenario::Resolver(&s.estate);
    let k = names.segment("vlan-clients").unwrap();
    let passwords: BTreeSet<String> = x
        .compromise(Start::Segment(k), Reach::Direct)
        .iter()
        .filter_map(|p| match p.privilege {
            Privilege::Credential(a) => Some(s.estate.qualified_name(a)),
            _ => None,
        })
        .collect();
    assert_eq!(
        passwords,
        BTreeSet::from(["CORP\\naa".to_string(), "CORP\\djoin".to_string()])
    );
    let err = names.segment("VLAN-SERVERS").unwrap_err();
    assert!(err.contains("VLAN-CLIENTS"), "{err}");
    // A scenario without PXE has no segment.
    let plain = fixture_scenario("ts-run-as-domain-join");
    let err = sms_client_accounts::scenario::Resolver(&plain.estate)
        .segment("VLAN-CLIENTS")
        .unwrap_err();
    assert!(err.contains("has none"), "{err}");
}

/// One generated configuration: which of two task sequences is deployed where (and
/// whether the deployment was removed), the collection variable, who takes new
/// registrations, PKI client authentication, PXE.
#[derive(Debug, Clone)]
struct Config {
    /// For T1 (run as tsrun, joins with djoin) and T2 (variable holding svc2's
    /// password): a target (0 Workstations, 1 All Systems, 2 All Unknown Computers) and
    /// whether it was removed, or none.
    deployments: [Option<(usize, bool)>; 2],
    /// Workstations' variable holding svcapp's password: none, current, or removed.
    variable: Option<bool>,
    workstations_new: Option<bool>,
    all_systems_new: Option<bool>,
    https_only: bool,
    /// PXE on DP1: the password (0 none, 1 set, 2 weak) and unknown computer support.
    pxe: Option<(u8, bool)>,
}

fn config() -> impl Strategy<Value = Config> {
    let deployment = prop::option::of((0usize..3, any::<bool>()));
    (
        [deployment.clone(), deployment],
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        any::<bool>(),
        prop::option::of((0u8..3, any::<bool>())),
    )
        .prop_map(
            |(deployments, variable, workstations_new, all_systems_new, https_only, pxe)| Config {
                deployments,
                variable,
                workstations_new,
                all_systems_new,
                https_only,
                pxe,
            },
        )
}

const COLLECTIONS: [&str; 3] = ["Workstations", "All Systems", "All Unknown Computers"];

fn scenario_of(c: &Config) -> RawScenario {
    let mut r = raw("ts-run-as-domain-join");
    r.domains[0].users.push("svc2".into());
    let collection = |name: &str, members: &[&str], new: Option<bool>| RawCollection {
        name: name.into(),
        members: members.iter().map(|&m| m.into()).collect(),
        new_registrations: new,
        unknown_computers: false,
        variables: Vec::new(),
    };
    let mut ws = collection("Workstations", &["WKS1", "WKS2"], c.workstations_new);
    if let Some(removed) = c.variable {
        ws.variables.push(RawVariable {
            name: "AppKey".into(),
            account: Some("CORP\\svcapp".into()),
            secret: true,
            removed,
            pending: false,
        });
    }
    r.collections = vec![
        ws,
        collection("All Systems", &["WKS1"], c.all_systems_new),
        collection("All Unknown Computers", &[], None),
    ];
    r.site.task_sequences = vec![
        RawTaskSequence {
            name: "T1".into(),
            run_as: vec!["CORP\\tsrun".into()],
            domain_join_account: Some("CORP\\djoin".into()),
            variables: Vec::new(),
            joined: Some(Vec::new()),
            ownership_reassigned: None,
        },
        RawTaskSequence {
            name: "T2".into(),
            run_as: Vec::new(),
            domain_join_account: None,
            variables: vec![RawVariable {
                name: "Secret".into(),
                account: Some("CORP\\svc2".into()),
                secret: false,
                removed: false,
                pending: false,
            }],
            joined: None,
            ownership_reassigned: None,
        },
    ];
    r.site.deployments = c
        .deployments
        .iter()
        .enumerate()
        .filter_map(|(t, d)| {
            d.map(|(target, removed)| RawDeployment {
                task_sequence: ["T1", "T2"][t].into(),
                collection: COLLECTIONS[target].into(),
                removed,
                pending: false,
            })
        })
        .collect();
    r.site.https_only = c.https_only;
    r.site.pxe = c
        .pxe
        .map(|(password, unknown)| RawPxe {
            distribution_point: "DP1".into(),
            password: [
                RawPxePassword::None,
                RawPxePassword::Set,
                RawPxePassword::Weak,
            ][password as usize],
            unknown_computers: unknown,
            segments: vec!["LAN".into()],
        })
        .into_iter()
        .collect();
    r.exposure_expectations.clear();
    r
}

/// The reference: the policy accounts of collection `i` now, and before.
fn reference_policy(c: &Config, i: usize) -> (BTreeSet<&'static str>, BTreeSet<&'static str>) {
    let carried = ["CORP\\tsrun CORP\\djoin", "CORP\\svc2"];
    let mut now = BTreeSet::new();
    let mut before = BTreeSet::new();
    if i == 0 {
        match c.variable {
            Some(false) => {
                now.insert("CORP\\svcapp");
            }
            Some(true) => {
                before.insert("CORP\\svcapp");
            }
            None => {}
        }
    }
    for (t, d) in c.deployments.iter().enumerate() {
        if let Some((target, removed)) = d
            && *target == i
        {
            for a in carried[t].split(' ') {
                if *removed {
                    before.insert(a);
                } else {
                    now.insert(a);
                }
            }
        }
    }
    let before = before.difference(&now).copied().collect();
    (now, before)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// "CM-TS-SECRETS", "CM-TS-HIDDEN", "X-CM-TS-TARGETS", "X-CM-NEW-REGISTRATIONS",
    /// "X-CM-TS-RESIDUE", "CM-CRED-1", "X-CM-PXE-PASSWORD", "X-CM-PXE-UNKNOWN",
    /// "X-CM-DJOIN-JOINED", "X-CM-DJOIN-OWNER-KEPT", "CM-DJOIN-OWNER",
    /// "CM-TS-RUNAS-RIGHTS": a secret reaches the members of the collections its
    /// deployments target (and stays there once removed), a registration only through
    /// a collection that takes new registrations and only without PKI client
    /// authentication, a network segment only through PXE media, the task sequences'
    /// only with unknown computer support.
    #[test]
    fn each_secret_reaches_only_where_its_rules_allow(c in config()) {
        let r = scenario_of(&c);
        let s = Scenario::from_raw(&r).unwrap();
        let e = &s.estate;
        let x = Exposure::build(e, &s.state);
        let tracked = ["CORP\\tsrun", "CORP\\djoin", "CORP\\svcapp", "CORP\\svc2"];
        let passwords = |start: Start| -> BTreeSet<String> {
            x.compromise(start, Reach::Direct)
                .iter()
                .filter_map(|p| match p.privilege {
                    Privilege::Credential(a) => Some(e.qualified_name(a)),
                    _ => None,
                })
                .filter(|n| tracked.contains(&n.as_str()))
                .collect()
        };
        let policies: Vec<_> = (0..3).map(|i| reference_policy(&c, i)).collect();
        let takes_new = [
            c.workstations_new.unwrap_or(false),
            c.all_systems_new.unwrap_or(true),
            false,
        ];
        let mut registrant: BTreeSet<String> = BTreeSet::new();
        if !c.https_only {
            for i in 0..3 {
                if takes_new[i] {
                    registrant.extend(policies[i].0.iter().map(|a| a.to_string()));
                }
            }
        }
        // bob: a domain user who adds a computer account (quota default 10).
        let bob = found(e.account_by_name("CORP\\bob"), "bob");
        prop_assert_eq!(passwords(Start::Credential(bob)), registrant.clone());
        // WKS1 is in Workstations and All Systems; WKS2 in Workstations only. Each is
        // also a registrant through its computer account.
        for (client, collections) in [("WKS1", &[0usize, 1][..]), ("WKS2", &[0][..])] {
            let m = found(e.machine_by_name(client), client);
            let mut expected = registrant.clone();
            for &i in collections {
                expected.extend(policies[i].0.iter().map(|a| a.to_string()));
                expected.extend(policies[i].1.iter().map(|a| a.to_string()));
            }
            prop_assert_eq!(passwords(Start::Client(m)), expected, "{}", client);
        }
        // A machine on the PXE segment: the NAA, which is a domain user who registers
        // a device as bob does (CRED-1 then CRED-2), and with unknown computer support
        // the current policy of All Unknown Computers.
        if let Some((_, unknown)) = c.pxe {
            let k = sms_client_accounts::scenario::Resolver(e).segment("LAN").unwrap();
            let mut expected: BTreeSet<String> = registrant.clone();
            if unknown {
                expected.extend(policies[2].0.iter().map(|a| a.to_string()));
            }
            prop_assert_eq!(passwords(Start::Segment(k)), expected);
        }
        // Only members store a collection's policy.
        for edge in x.edges() {
            if let (Node::Machine(m), Node::Secret(sms_client_accounts::exposure::Secret::CollectionPolicy(col))) = (edge.from, edge.to) {
                prop_assert!(e.collection(col).members.contains(&m));
            }
        }
        // CRED-1 findings: a password that is set rates medium, none or weak high (the
        // NAA is enabled and tracked accounts need not administer anything).
        for f in x.findings(e).iter().filter(|f| f.kind == FindingKind::PxeMediaSecrets) {
            let (password, _) = c.pxe.unwrap_or((0, false));
            let expected = if password == 1 { Severity::Medium } else { Severity::High };
            prop_assert_eq!(f.severity, expected);
        }
    }
}

#[test]
fn the_loader_refuses_policy_settings_that_cannot_be() {
    let report = |r: &RawScenario| -> String {
        Scenario::from_raw(r)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    // At an SMS 2.0 site: X-PRODUCT.
    let mut r = raw("ts-run-as-domain-join");
    r.site.product = None;
    r.site.network_access_accounts.clear();
    r.site.site_server = None;
    let text = report(&r);
    assert!(text.contains("site.task_sequences"), "{text}");
    assert!(text.contains("X-PRODUCT"), "{text}");
    // A domain join account that is a group; a run-as listed twice; an unknown
    // collection in a deployment; a deployment twice; an unknown-computer collection
    // with members; PXE on a machine that is no distribution point, with no segment.
    let mut r = raw("ts-run-as-domain-join");
    r.site.task_sequences[0].domain_join_account = Some("CORP\\Domain Users".into());
    r.site.task_sequences[0].run_as.push("CORP\\tsrun".into());
    r.site.deployments.push(RawDeployment {
        task_sequence: "Deploy Apps".into(),
        collection: "Servers".into(),
        removed: false,
        pending: false,
    });
    r.site.deployments.push(r.site.deployments[0].clone());
    r.collections.push(RawCollection {
        name: "All Unknown Computers".into(),
        members: vec!["WKS1".into()],
        new_registrations: None,
        unknown_computers: false,
        variables: vec![
            RawVariable {
                name: "X".into(),
                account: None,
                secret: false,
                removed: false,
                pending: false,
            },
            RawVariable {
                name: "x".into(),
                account: Some("CORP\\Domain Admins".into()),
                secret: false,
                removed: false,
                pending: false,
            },
        ],
    });
    r.site.pxe.push(RawPxe {
        distribution_point: "WKS1".into(),
        password: RawPxePassword::None,
        unknown_computers: false,
        segments: Vec::new(),
    });
    let text = report(&r);
    for words in [
        "site.task_sequences[0].domain_join_account",
        "is no domain user",
        "site.task_sequences[0].run_as[1]",
        "is listed twice",
        "unknown collection `Servers`",
        "is deployed to `Workstations` twice",
        "holds unknown computers",
        "variable `x` is declared twice",
        "site.pxe[0].distribution_point",
        "is not one of `site.distribution_points`",
        "at least one network segment",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
}

/// The rule of the edge by which `secret`'s kind reveals `account` in `x`, if any.
fn reveal_rule(
    x: &Exposure,
    e: &sms_client_accounts::model::Estate,
    previous: bool,
    account: &str,
) -> Option<RuleId> {
    use sms_client_accounts::exposure::Secret;
    x.edges()
        .filter(|edge| {
            matches!(
                (edge.from, previous),
                (Node::Secret(Secret::CollectionPolicy(_)), false)
                    | (Node::Secret(Secret::PreviousCollectionPolicy(_)), true)
            )
        })
        .find(|edge| matches!(edge.to, Node::Account(a) if e.qualified_name(a) == account))
        .map(|edge| edge.rule)
}

#[test]
fn a_day_of_policy_changes_moves_secrets_from_the_policy_to_the_residue_and_back() {
    use sms_client_accounts::timeline::{Timeline, load_timeline_file};
    let d = load_timeline_file(&root().join("fixtures/timelines/collection-variable-removed.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut t = Timeline::new(&d.scenario.estate, d.scenario.state.clone(), false);
    let look = |t: &Timeline<'_>, previous: bool, account: &str| {
        let e = t.estate();
        let x = Exposure::build(e, t.state());
        reveal_rule(&x, e, previous, account)
    };
    // Before 10:00: AppKey in the policy, hidden in the console only.
    assert_eq!(look(&t, false, "CORP\\svcapp"), Some(RuleId::CmTsHidden));
    assert_eq!(look(&t, true, "CORP\\svcapp"), None);
    let [(at0, removed_var), (at1, removed_dep), (at2, added_dep)] = d.events[..] else {
        panic!("three events");
    };
    t.handle(at0, removed_var);
    assert_eq!(look(&t, false, "CORP\\svcapp"), None);
    assert_eq!(look(&t, true, "CORP\\svcapp"), Some(RuleId::XCmTsResidue));
    assert_eq!(look(&t, false, "CORP\\tsrun"), Some(RuleId::CmTsSecrets));
    t.handle(at1, removed_dep);
    assert_eq!(look(&t, false, "CORP\\tsrun"), None);
    assert_eq!(look(&t, true, "CORP\\tsrun"), Some(RuleId::XCmTsResidue));
    assert_eq!(look(&t, true, "CORP\\djoin"), Some(RuleId::XCmTsResidue));
    t.handle(at2, added_dep);
    assert_eq!(look(&t, false, "CORP\\tsrun"), Some(RuleId::CmTsSecrets));
    assert_eq!(
        look(&t, true, "CORP\\tsrun"),
        None,
        "current again, not residue"
    );
    assert_eq!(look(&t, true, "CORP\\svcapp"), Some(RuleId::XCmTsResidue));
    // The end state's findings: CRED-4 for svcapp.
    let e = t.estate();
    let x = Exposure::build(e, t.state());
    assert!(
        x.findings(e)
            .iter()
            .any(|f| f.kind == FindingKind::PolicySecretsResidue)
    );
    // try_handle refuses what the loader refuses, in its words.
    let mut fresh = Timeline::new(&d.scenario.estate, d.scenario.state.clone(), false);
    let err = fresh
        .try_handle(0, removed_var)
        .and_then(|()| fresh.try_handle(1, removed_var));
    let message = err.err().map(|e| e.message).unwrap_or_default();
    assert_eq!(
        message,
        "variable `AppKey` is not set on collection `Workstations`"
    );
    let report = load_timeline_file(&root().join("fixtures/invalid-timelines/policy-changes.json"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    for words in [
        "variable `AppKey` is already set on collection `Workstations`",
        "collection `Workstations` has no variable `NoSuch`",
        "unknown collection `Servers`",
        "the deployment of `Deploy Apps` to `Workstations` is not made",
        "no deployment of task sequence `OSD` to collection `Workstations`",
    ] {
        assert!(report.contains(words), "{words}: {report}");
    }
}

#[test]
fn the_split_export_gives_segments_their_kind_and_the_domain_join_account_owns() {
    use sms_client_accounts::exposure::opengraph::to_opengraph_split;
    // PXE: a segment node of the crate's kind, obtaining the media.
    let s = Scenario::from_raw(&raw("pxe-no-password")).unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    let split = to_opengraph_split(&s.estate, &x);
    let own = split.own.to_string();
    assert!(own.contains("\"SMS_NetworkSegment\""), "{own}");
    let v = &split.own["graph"];
    let obtains = v["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| {
            e["kind"] == "SMS_ObtainsSecret"
                && e["start"]["value"]
                    .as_str()
                    .is_some_and(|id| id.contains("VLAN-CLIENTS"))
        })
        .count();
    assert_eq!(obtains, 1);
    // The domain join account and the computers it joined, with SIDs: BloodHound's
    // Owns in the AD document.
    let mut r = raw("ts-run-as-domain-join");
    let mut value = serde_json::to_value(&r).unwrap();
    let d = "S-1-5-21-1-2-3";
    value["external_ids"] = serde_json::json!({
        "domains": [{"name": "CORP", "sid": d, "dns_name": "corp.example"}],
        "accounts": [{"name": "CORP\\djoin", "sid": format!("{d}-1301")}],
        "machines": [
            {"name": "WKS1", "sid": format!("{d}-1104")},
            {"name": "WKS2", "sid": format!("{d}-1105")}
        ]
    });
    r = serde_json::from_value(value).unwrap();
    let s = Scenario::from_raw(&r).unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    let split = to_opengraph_split(&s.estate, &x);
    let owns: BTreeSet<(String, String)> = split.ad["graph"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["kind"] == "Owns")
        .map(|e| {
            (
                e["start"]["value"].as_str().unwrap_or("").to_string(),
                e["end"]["value"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        owns,
        BTreeSet::from([
            (format!("{d}-1301"), format!("{d}-1104")),
            (format!("{d}-1301"), format!("{d}-1105"))
        ])
    );
}

#[test]
fn a_task_sequence_carries_its_current_variables_or_its_removed_ones() {
    use sms_client_accounts::model::osd::{TaskSequence, Variable};
    let s = fixture_scenario("ts-run-as-domain-join");
    let ids: Vec<_> = ["alice", "bob", "naa", "tsrun", "djoin", "svcapp"]
        .iter()
        .map(|n| found(s.estate.account_by_name(&format!("CORP\\{n}")), n))
        .collect();
    let a = |i: usize| ids[i];
    let v = |i: usize, removed: bool, pending: bool| Variable {
        name: format!("V{i}"),
        account: Some(a(i)),
        secret: false,
        removed,
        pending,
    };
    let ts = TaskSequence {
        name: "T".into(),
        run_as: vec![a(1)],
        domain_join: Some(a(2)),
        variables: vec![v(3, false, false), v(4, true, false), v(5, false, true)],
        joined: Vec::new(),
        joined_rule: RuleId::XConfigured,
        ownership_reassigned: None,
    };
    // Now: run-as, domain join, the current variable; not the removed, not the pending.
    assert_eq!(ts.accounts(false), [a(1), a(2), a(3)]);
    // Before: the removed variable only.
    assert_eq!(ts.accounts(true), [a(4)]);
}

#[test]
fn each_task_sequence_s_owner_finding_names_only_what_it_joined() {
    let mut r = raw("ts-run-as-domain-join");
    r.site.task_sequences[0].joined = Some(vec!["WKS1".into()]);
    let mut second = r.site.task_sequences[0].clone();
    second.name = "Refresh".into();
    second.run_as.clear();
    second.joined = Some(vec!["WKS1".into(), "WKS2".into()]);
    r.site.task_sequences.push(second);
    let s = Scenario::from_raw(&r).unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    let owned: Vec<Vec<String>> = x
        .findings(&s.estate)
        .iter()
        .filter(|f| f.kind == FindingKind::DomainJoinOwner)
        .map(|f| {
            f.objects
                .iter()
                .map(|&n| sms_client_accounts::exposure::export::node_name(&s.estate, n))
                .collect()
        })
        .collect();
    assert_eq!(
        owned,
        [
            vec!["CORP\\djoin".to_string(), "WKS1".to_string()],
            vec![
                "CORP\\djoin".to_string(),
                "WKS1".to_string(),
                "WKS2".to_string()
            ]
        ]
    );
}

#[test]
fn joined_by_default_means_the_members_of_its_own_current_deployments() {
    // X-CM-DJOIN-JOINED: T1 (djoin) to Workstations (WKS1); T2 to All Systems (WKS1,
    // WKS2); a removed deployment of T1 to Servers (WKS2) joined nothing now.
    let mut r = raw("ts-run-as-domain-join");
    r.collections = vec![
        RawCollection {
            name: "Workstations".into(),
            members: vec!["WKS1".into()],
            new_registrations: None,
            unknown_computers: false,
            variables: Vec::new(),
        },
        RawCollection {
            name: "All Systems".into(),
            members: vec!["WKS1".into(), "WKS2".into()],
            new_registrations: None,
            unknown_computers: false,
            variables: Vec::new(),
        },
        RawCollection {
            name: "Servers".into(),
            members: vec!["WKS2".into()],
            new_registrations: None,
            unknown_computers: false,
            variables: Vec::new(),
        },
    ];
    r.site.task_sequences[0].joined = None;
    let mut t2 = r.site.task_sequences[0].clone();
    t2.name = "T2".into();
    t2.domain_join_account = None;
    r.site.task_sequences.push(t2);
    let deploy = |ts: &str, c: &str, removed: bool| RawDeployment {
        task_sequence: ts.into(),
        collection: c.into(),
        removed,
        pending: false,
    };
    r.site.deployments = vec![
        deploy("Deploy Apps", "Workstations", false),
        deploy("T2", "All Systems", false),
        deploy("Deploy Apps", "Servers", true),
    ];
    let s = Scenario::from_raw(&r).unwrap();
    let joined: Vec<String> = s.estate.site().configmgr.osd.task_sequences[0]
        .joined
        .iter()
        .map(|&m| s.estate.machine(m).name.to_string())
        .collect();
    assert_eq!(joined, ["WKS1"]);
}

#[test]
fn cred_1_from_disabled_accounts_only_rates_low() {
    let mut r = raw("pxe-unknown-off");
    r.state.disabled.push("CORP\\naa".into());
    let s = Scenario::from_raw(&r).unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    let severities: Vec<Severity> = x
        .findings(&s.estate)
        .iter()
        .filter(|f| f.kind == FindingKind::PxeMediaSecrets)
        .map(|f| f.severity)
        .collect();
    assert_eq!(severities, [Severity::Low]);
}

#[test]
fn the_loader_refuses_each_configuration_manager_field_of_a_collection_at_an_sms_2_site() {
    let demo =
        || sms_client_accounts::scenario::parse(sms_client_accounts::scenario::DEMO).unwrap();
    let with = |f: &dyn Fn(&mut RawCollection)| {
        let mut r = demo();
        r.collections.push(RawCollection {
            name: "Extra".into(),
            members: Vec::new(),
            new_registrations: None,
            unknown_computers: false,
            variables: Vec::new(),
        });
        if let Some(c) = r.collections.last_mut() {
            f(c);
        }
        Scenario::from_raw(&r)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert!(with(&|_| {}).is_empty(), "a plain collection is fine");
    for (what, report) in [
        (
            "new_registrations",
            with(&|c| c.new_registrations = Some(true)),
        ),
        ("unknown_computers", with(&|c| c.unknown_computers = true)),
        (
            "variables",
            with(&|c| {
                c.variables.push(RawVariable {
                    name: "V".into(),
                    account: None,
                    secret: false,
                    removed: false,
                    pending: false,
                })
            }),
        ),
    ] {
        assert!(report.contains("X-PRODUCT"), "{what}: {report}");
    }
    // A task sequence declared twice; a variable holding a group's password; a PXE
    // distribution point listed twice.
    let mut r = raw("pxe-no-password");
    r.site.task_sequences.push(r.site.task_sequences[0].clone());
    r.collections[0].variables.push(RawVariable {
        name: "Group".into(),
        account: Some("CORP\\Domain Admins".into()),
        secret: false,
        removed: false,
        pending: false,
    });
    r.site.pxe.push(r.site.pxe[0].clone());
    let report = Scenario::from_raw(&r)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    for words in [
        "task sequence `OSD` is declared twice",
        "`CORP\\Domain Admins` is a group; a variable holds a user account's password",
        "site.pxe[1].distribution_point",
    ] {
        assert!(report.contains(words), "{words}: {report}");
    }
}
