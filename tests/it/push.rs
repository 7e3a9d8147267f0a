//! Client push (`push`): the NTLM table against a second transcription of its sources,
//! the push fixtures' decisions snapshotted, every push rule applied by a fixture, and
//! property tests of the safety rules over generated settings: a push offers nothing to
//! a machine outside its scope, tries every configured account before the computer
//! account, and sends nothing over NTLM where the settings forbid it.

use proptest::prelude::*;
use sms_client_accounts::Scenario;
use sms_client_accounts::engine::push::{Outcome, Protocol, Scope, push_all, push_targets};
use sms_client_accounts::exposure::Exposure;
use sms_client_accounts::exposure::export::findings_text;
use sms_client_accounts::model::push::ClientPush;
use sms_client_accounts::render::{push_output, push_text};
use sms_client_accounts::rules::{CATALOG, Layer, RuleId};
use sms_client_accounts::scenario::raw::{
    RawAutomaticPush, RawClientPush, RawInstall, RawScenario,
};

use crate::common::*;

const FIXTURES: [&str; 7] = [
    "push-automatic-domain-admin",
    "push-ntlm-old-version",
    "push-ntlm-bug-2107",
    "push-upgraded-2303",
    "push-manual-dc",
    "push-computer-account",
    "push-elevate-3",
];

fn raw(name: &str) -> RawScenario {
    let path = root()
        .join("fixtures/scenarios")
        .join(format!("{name}.json"));
    sms_client_accounts::scenario::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The NTLM fallback in effect, transcribed again from lineage-sources-2.md 1.2 as a
/// table of its own: (allowed, the rule that decides).
fn reference_ntlm(
    version: u32,
    new: bool,
    hotfix: bool,
    set: Option<bool>,
) -> (bool, &'static str) {
    // Before 1806 there is no Kerberos check (MD deploy-clients step 5).
    if version < 1806 {
        return (true, "CM-PUSH-KERBEROS");
    }
    let default_on = !(new && version >= 2207);
    let on = set.unwrap_or(default_on);
    if on {
        return match set {
            Some(_) => (true, "CM-PUSH-KERBEROS"),
            None if !new && version >= 2207 => (true, "X-CM-PUSH-NTLM-UPGRADE"),
            None => (true, "CM-PUSH-NTLM-DEFAULT"),
        };
    }
    // Off: not honoured before 2103 (no fix exists), nor on 2103..=2207 without the
    // hotfix unless installed new at 2207, which carries it.
    if version < 2103 {
        return (true, "X-CM-PUSH-NTLM-PRE2103");
    }
    if version <= 2207 && !hotfix && !(new && version == 2207) {
        return (true, "CM-PUSH-NTLM-BUG");
    }
    (
        false,
        if set.is_some() {
            "CM-PUSH-KERBEROS"
        } else {
            "CM-PUSH-NTLM-DEFAULT"
        },
    )
}

#[test]
fn the_ntlm_table_agrees_with_its_second_transcription() {
    let mut rows = 0;
    let mut allowed = 0;
    for version in [1710, 1806, 2010, 2103, 2107, 2203, 2207, 2211, 2303, 2403] {
        for new in [true, false] {
            for hotfix in [true, false] {
                for set in [None, Some(true), Some(false)] {
                    let push = ClientPush {
                        automatic: None,
                        manual_targets: Vec::new(),
                        accounts: Vec::new(),
                        version,
                        new_install: new,
                        hotfix,
                        ntlm_fallback: set,
                        automatic_site_assignment: false,
                        discovery_covers_new_computers: None,
                        dns_record_creators: None,
                        smb_signing_required: Vec::new(),
                        ntlm_refused: Vec::new(),
                    };
                    let got = push.ntlm();
                    let want = reference_ntlm(version, new, hotfix, set);
                    assert_eq!(
                        (got.allowed, got.rule.as_str()),
                        want,
                        "{version} new={new} hotfix={hotfix} set={set:?}"
                    );
                    rows += 1;
                    allowed += usize::from(got.allowed);
                }
            }
        }
    }
    // 120 rows; NTLM in effect in 91, counted by hand from the sources: every row before
    // 2103 (36), 10 of 12 on each of 2103, 2107, 2203 (the off setting honoured only with
    // the hotfix), 7 on 2207, 6 on each later version (set on, or upgraded and unset).
    assert_eq!(
        (rows, allowed),
        (120, 91),
        "the table's size and its NTLM rows are pinned"
    );
}

#[test]
fn the_push_fixtures_decide_as_expected_and_are_pinned() {
    let mut out = String::new();
    for name in FIXTURES {
        let s = Scenario::from_raw(&raw(name)).unwrap();
        assert!(
            !s.push_expectations.is_empty(),
            "{name} has push expectations"
        );
        let failed = sms_client_accounts::verify::check_all(&s);
        assert!(failed.is_empty(), "{name}: {failed:?}");
        let decisions = push_all(&s.estate, &s.state);
        out.push_str(&format!(
            "## {name}\n{}\n",
            push_text(&s.estate, &decisions)
        ));
        let json = serde_json::to_value(push_output(&s.estate, &decisions)).unwrap();
        assert_eq!(json["schema_version"], 1);
    }
    insta::with_settings!({snapshot_path => "snapshots/push", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("push-fixtures", out);
    });
}

#[test]
fn a_push_expectation_that_does_not_hold_is_reported() {
    let mut r = raw("push-manual-dc");
    r.push_expectations[0].installed_by = Some("CORP\\push2".into());
    r.push_expectations[0].tried = Some(vec!["CORP\\push2 over ntlm".into()]);
    let s = Scenario::from_raw(&r).unwrap();
    let failed = sms_client_accounts::verify::check_all(&s);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].mismatches.len(), 2, "{:?}", failed[0].mismatches);
    r.push_expectations[0].target = "WKS1".into();
    let s = Scenario::from_raw(&r).unwrap();
    let failed = sms_client_accounts::verify::check_all(&s);
    assert!(failed[0].mismatches[0].contains("does not push to `WKS1`"));
    r.push_expectations[0].target = "NOPE".into();
    assert!(Scenario::from_raw(&r).is_err());
}

#[test]
fn a_decision_names_discovery_only_for_automatic_push_and_site_servers_are_no_targets() {
    let s = Scenario::from_raw(&raw("push-automatic-domain-admin")).unwrap();
    for d in push_all(&s.estate, &s.state) {
        assert_eq!(
            d.rules().contains(&RuleId::XCmPushDiscovered),
            d.scope == Scope::Automatic
        );
    }
    let s = Scenario::from_raw(&raw("push-manual-dc")).unwrap();
    let d = push_all(&s.estate, &s.state);
    assert_eq!(d.len(), 1);
    assert!(!d[0].rules().contains(&RuleId::XCmPushDiscovered));
    assert!(d[0].rules().contains(&RuleId::CmPushAccounts));
    // A passive site server without the client is a site system, no automatic target.
    let mut r = raw("push-automatic-domain-admin");
    r.site.passive_site_servers = vec!["SRV1".into()];
    let s = Scenario::from_raw(&r).unwrap();
    let names: Vec<&str> = push_targets(&s.estate)
        .iter()
        .map(|(m, _)| s.estate.machine(*m).name.as_str())
        .collect();
    assert_eq!(names, ["FARWKS", "WKS1", "WKS2", "WKS3"]);
    // Boundaries: a machine named, and every machine of a domain named.
    let mut r = raw("push-automatic-domain-admin");
    r.site
        .client_push
        .as_mut()
        .unwrap()
        .automatic
        .as_mut()
        .unwrap()
        .boundaries = Some(vec!["WKS1".into(), "FAR".into()]);
    let s = Scenario::from_raw(&r).unwrap();
    let names: Vec<&str> = push_targets(&s.estate)
        .iter()
        .map(|(m, _)| s.estate.machine(*m).name.as_str())
        .collect();
    assert_eq!(names, ["FARWKS", "WKS1"]);
}

#[test]
fn every_push_rule_is_applied_by_a_fixture() {
    let mut applied = std::collections::BTreeSet::new();
    for name in FIXTURES {
        let s = Scenario::from_raw(&raw(name)).unwrap();
        for d in push_all(&s.estate, &s.state) {
            applied.extend(d.rules());
        }
    }
    for rule in CATALOG.iter().filter(|r| r.layer == Layer::Push) {
        assert!(
            applied.contains(&rule.id),
            "no push fixture applies {}",
            rule.id
        );
    }
    // Each is named here, for the traceability table.
    for id in [
        "CM-PUSH-ACCOUNTS",
        "CM-PUSH-ORDER",
        "X-CM-PUSH-LIST-ORDER",
        "CM-PUSH-COMPUTER",
        "CM-PUSH-COMPUTER-LAST",
        "CM-PUSH-CROSS-DOMAIN",
        "CM-PUSH-AUTO",
        "X-CM-PUSH-DISCOVERED",
        "CM-PUSH-KERBEROS",
        "CM-PUSH-NTLM-DEFAULT",
        "X-CM-PUSH-NTLM-UPGRADE",
        "CM-PUSH-NTLM-BUG",
        "X-CM-PUSH-NTLM-PRE2103",
        "X-CM-PUSH-NOT-ADMIN",
    ] {
        assert!(
            RuleId::parse(id).is_some_and(|r| r.rule().layer == Layer::Push),
            "{id}"
        );
    }
}

#[test]
fn the_loader_refuses_push_settings_that_cannot_be() {
    let mut r = raw("push-manual-dc");
    let push = r.site.client_push.as_mut().unwrap();
    push.version = 2313;
    push.accounts = vec![
        "CORP\\push2".into(),
        "CORP\\push2".into(),
        "CORP\\Domain Admins".into(),
    ];
    push.manual_targets = vec!["DC1".into(), "GHOST".into()];
    let report = Scenario::from_raw(&r).unwrap_err().to_string();
    for needle in [
        "`2313` is no Configuration Manager release",
        "listed twice",
        "no domain user",
        "unknown machine `GHOST`",
    ] {
        assert!(report.contains(needle), "{needle}: {report}");
    }
    let mut sms2 = raw("push-manual-dc");
    sms2.site.product = None;
    let report = Scenario::from_raw(&sms2).unwrap_err().to_string();
    assert!(
        report.contains("`client_push` is a Configuration Manager setting"),
        "{report}"
    );
}

prop_compose! {
    fn settings()(
        version in prop::sample::select(vec![1710u32, 2010, 2103, 2107, 2207, 2303]),
        new in any::<bool>(),
        hotfix in any::<bool>(),
        set in prop::option::of(any::<bool>()),
        accounts in prop::sample::subsequence(vec!["CORP\\push1", "CORP\\push2", "CORP\\alice"], 0..=3),
        reversed in any::<bool>(),
        automatic in prop::option::of((any::<bool>(), any::<bool>(), any::<bool>())),
        manual in prop::sample::subsequence(vec!["DC1", "WKS1", "FARWKS", "SRV1"], 0..=4),
        boundaries in prop::option::of(prop::sample::subsequence(vec!["CORP", "WKS3", "FARWKS"], 0..=3)),
        refused in prop::sample::subsequence(vec!["FARWKS", "WKS3"], 0..=2),
        assignment in any::<bool>(),
        discovery in prop::option::of(any::<bool>()),
    ) -> RawClientPush {
        let mut accounts: Vec<_> = accounts.into_iter().map(Into::into).collect();
        if reversed {
            accounts.reverse();
        }
        RawClientPush {
            automatic: automatic.map(|(workstations, servers, domain_controllers)| RawAutomaticPush {
                workstations,
                servers,
                domain_controllers,
                boundaries: boundaries.map(|b| b.into_iter().map(Into::into).collect()),
            }),
            manual_targets: manual.into_iter().map(Into::into).collect(),
            accounts,
            version,
            install: if new { RawInstall::New } else { RawInstall::Upgrade },
            kb15599094: hotfix,
            ntlm_fallback: set,
            automatic_site_assignment: assignment,
            system_discovery: discovery
                .map(|covers_new_computers| sms_client_accounts::scenario::raw::RawSystemDiscovery { covers_new_computers }),
            dns_record_creators: None,
            smb_signing_required: Vec::new(),
            ntlm_refused: refused.into_iter().map(Into::into).collect(),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_push_keeps_its_scope_its_order_and_its_ntlm_setting(push in settings(), trust in any::<bool>()) {
        let mut r = raw("push-automatic-domain-admin");
        if trust {
            r.domains[1].trusts = vec!["CORP".into()];
        }
        r.site.client_push = Some(push.clone());
        let s = Scenario::from_raw(&r).unwrap();
        let e = &s.estate;
        let cp = e.site().configmgr.client_push.as_ref().unwrap();
        let decisions = push_all(e, &s.state);
        let targets = push_targets(e);
        prop_assert_eq!(decisions.len(), targets.len());
        for d in &decisions {
            let m = e.machine(d.target);
            // Scope: a manual target, or a domain member without the client, of a
            // selected type, inside the boundaries, and no site server.
            let manual = cp.manual_targets.contains(&d.target);
            let automatic = cp.automatic.as_ref().is_some_and(|a| {
                m.domain.is_some()
                    && !m.sms_client
                    && a.selects(m.platform)
                    && a.boundaries.as_ref().is_none_or(|b| b.contains(&d.target))
                    && e.site().configmgr.site_server != Some(d.target)
            });
            prop_assert!(manual || automatic, "{} is out of scope", m.name);
            prop_assert_eq!(d.scope == Scope::Automatic, automatic);
            // Order: the configured accounts in the site's order, each until one
            // installs, and only then the computer account.
            let tried: Vec<_> = d.attempts.iter().filter(|a| !a.computer_account).map(|a| a.account).collect();
            let installs = d.attempts.iter().position(|a| a.outcome == Outcome::Installs);
            let expected: Vec<_> = match installs {
                Some(i) if !d.attempts[i].computer_account => cp.accounts[..=i].to_vec(),
                _ => cp.accounts.clone(),
            };
            prop_assert_eq!(&tried, &expected);
            if let Some(c) = d.attempts.iter().position(|a| a.computer_account) {
                prop_assert_eq!(c, d.attempts.len() - 1, "the computer account comes last");
                prop_assert!(d.attempts[..c].iter().all(|a| a.outcome != Outcome::Installs));
            }
            prop_assert!(d.attempts.iter().filter(|a| a.outcome == Outcome::Installs).count() <= 1);
            // NTLM: never where the settings forbid it, nor to a machine that refuses it.
            let ntlm = cp.ntlm().allowed && !cp.ntlm_refused.contains(&d.target);
            for a in &d.attempts {
                prop_assert!(ntlm || a.protocol != Protocol::Ntlm);
                prop_assert!(!a.wmi_ntlm || cp.ntlm().rule == RuleId::CmPushNtlmBug);
                // Kerberos where the target's domain accepts the account's; an account
                // that is refused as no administrator is never retried.
                prop_assert!(a.protocol != Protocol::Refused || !ntlm);
            }
        }
    }
}

/// The push findings of a fixture: (rule, technique) of each.
fn push_findings(r: &RawScenario) -> Vec<(RuleId, Option<&'static str>)> {
    let s = Scenario::from_raw(r).unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    x.findings(&s.estate)
        .iter()
        .filter(|f| {
            matches!(
                f.rule,
                RuleId::CmPushExposesAll
                    | RuleId::CmPushPrivileged
                    | RuleId::CmElevate2
                    | RuleId::CmElevate3
            )
        })
        .map(|f| (f.rule, x.finding_tag(f).map(|t| t.technique)))
        .collect()
}

#[test]
fn each_push_fixture_has_the_findings_its_settings_imply_and_they_are_pinned() {
    use RuleId::*;
    let expected: [(&str, &[RuleId]); 7] = [
        // A new 2303 installation: the fallback off and honoured, nothing over NTLM.
        ("push-automatic-domain-admin", &[CmPushPrivileged]),
        // 2010: NTLM whatever the setting; FARWKS receives it; ELEVATE-2 holds.
        (
            "push-ntlm-old-version",
            &[CmPushExposesAll, CmPushPrivileged, CmElevate2],
        ),
        // 2107 without the hotfix: WMI over NTLM after each install; ELEVATE-2 holds.
        (
            "push-ntlm-bug-2107",
            &[CmPushExposesAll, CmPushPrivileged, CmElevate2],
        ),
        (
            "push-upgraded-2303",
            &[CmPushExposesAll, CmPushPrivileged, CmElevate2],
        ),
        // Manual push only: no automatic push, no ELEVATE; push2 holds no DC.
        ("push-manual-dc", &[]),
        ("push-computer-account", &[]),
        // PKI stops ELEVATE-2, not ELEVATE-3.
        (
            "push-elevate-3",
            &[CmPushExposesAll, CmPushPrivileged, CmElevate3],
        ),
    ];
    let mut out = String::new();
    for (name, rules) in expected {
        let r = raw(name);
        let got: Vec<RuleId> = push_findings(&r).iter().map(|(rule, _)| *rule).collect();
        let mut got_sorted = got.clone();
        got_sorted.sort();
        let mut want = rules.to_vec();
        want.sort();
        assert_eq!(got_sorted, want, "{name}");
        for (rule, technique) in push_findings(&r) {
            let want = match rule {
                CmElevate2 => Some("ELEVATE-2"),
                CmElevate3 => Some("ELEVATE-3"),
                _ => None,
            };
            assert_eq!(technique, want, "{name} {rule}");
        }
        let s = Scenario::from_raw(&r).unwrap();
        let x = Exposure::build(&s.estate, &s.state);
        out.push_str(&format!(
            "## {name}\n{}\n",
            findings_text(&s.estate, &x, &x.findings(&s.estate))
        ));
    }
    insta::with_settings!({snapshot_path => "snapshots/push", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("push-findings", out);
    });
}

/// A fixture with one defence applied, as the defence's page says to change the site.
fn defended(name: &str, defence: &str) -> RawScenario {
    let mut r = raw(name);
    let push = r.site.client_push.as_mut().unwrap();
    match defence {
        "PREVENT-1+PREVENT-2" => {
            push.kb15599094 = true;
            push.ntlm_fallback = Some(false);
        }
        "PREVENT-5" => push.automatic = None,
        "PREVENT-8" => r.site.https_only = true,
        other => panic!("a defence this test cannot apply: {other}"),
    }
    r
}

#[test]
fn each_defence_an_elevate_finding_names_cuts_it() {
    for (name, rule) in [
        ("push-ntlm-bug-2107", RuleId::CmElevate2),
        ("push-upgraded-2303", RuleId::CmElevate2),
        ("push-elevate-3", RuleId::CmElevate3),
    ] {
        let r = raw(name);
        let s = Scenario::from_raw(&r).unwrap();
        let x = Exposure::build(&s.estate, &s.state);
        let f = x
            .findings(&s.estate)
            .into_iter()
            .find(|f| f.rule == rule)
            .unwrap();
        let tag = x.finding_tag(&f).unwrap();
        assert!(!tag.prevented_by.is_empty());
        for defence in tag.prevented_by {
            // Each part is a defence of the technique's write-up.
            for part in defence.split('+') {
                assert!(
                    tag.defences.contains(&part),
                    "{name}: {part} of {:?}",
                    tag.defences
                );
            }
            let cut = push_findings(&defended(name, defence));
            assert!(
                cut.iter().all(|(r, _)| *r != rule),
                "{name}: {defence} leaves {rule}"
            );
        }
        // PREVENT-1 or PREVENT-2 alone does not cut (the write-up pairs them) on 2107
        // without the hotfix; the fallback off alone is not honoured there.
        if name == "push-ntlm-bug-2107" {
            let mut r = raw(name);
            r.site.client_push.as_mut().unwrap().ntlm_fallback = Some(false);
            assert!(push_findings(&r).iter().any(|(x, _)| *x == rule));
        }
    }
    // PREVENT-16 is not among ELEVATE-3's write-up defences, so no finding names it;
    // but ELEVATE-3 needs a user who can create a computer account, which the model
    // reads from the quota and "Add workstations to domain" only (no delegation input):
    // a quota of 0 in every domain cuts it here, a derived cut.
    let mut r = raw("push-elevate-3");
    for d in &mut r.domains {
        d.machine_account_quota = Some(0);
    }
    let cut = push_findings(&r);
    assert!(cut.iter().all(|(x, _)| *x != RuleId::CmElevate3), "{cut:?}");
    // A quota of 1 keeps it.
    for d in &mut r.domains {
        d.machine_account_quota = Some(1);
    }
    assert!(
        push_findings(&r)
            .iter()
            .any(|(x, _)| *x == RuleId::CmElevate3)
    );
    // On 2010 no fix exists: the pair does not cut until the site is upgraded.
    let still = push_findings(&defended("push-ntlm-old-version", "PREVENT-1+PREVENT-2"));
    assert!(still.iter().any(|(r, _)| *r == RuleId::CmElevate2));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// The push findings follow their Requirements: "CM-PUSH-EXPOSES-ALL" exactly where
    /// a target receives NTLM; "CM-ELEVATE-2" exactly with automatic push, site
    /// assignment, NTLM in effect and no PKI; "CM-ELEVATE-3" (or its "X-CM-DNS-RECORDS"
    /// default) where ELEVATE-2 does not hold and discovery covers new computers instead
    /// of PKI mattering; "CM-PUSH-PRIVILEGED" exactly for a Domain Admin push account.
    #[test]
    fn the_push_findings_follow_their_requirements(push in settings(), https in any::<bool>()) {
        let mut r = raw("push-automatic-domain-admin");
        r.site.https_only = https;
        r.site.client_push = Some(push);
        let s = Scenario::from_raw(&r).unwrap();
        let e = &s.estate;
        let cp = e.site().configmgr.client_push.as_ref().unwrap();
        let x = Exposure::build(e, &s.state);
        let rules: Vec<RuleId> = x.findings(e).iter().map(|f| f.rule).collect();
        let ntlm_sent = push_all(e, &s.state).iter().any(|d| d.over_ntlm().next().is_some());
        prop_assert_eq!(rules.contains(&RuleId::CmPushExposesAll), ntlm_sent);
        let base = cp.automatic.is_some() && cp.automatic_site_assignment && cp.ntlm().allowed;
        let elevate2 = base && !https;
        let elevate3 = base && !elevate2 && cp.discovery_covers_new_computers == Some(true);
        prop_assert_eq!(rules.contains(&RuleId::CmElevate2), elevate2);
        prop_assert_eq!(rules.contains(&RuleId::CmElevate3), elevate3);
        let dns_default = x.edges().any(|edge| edge.rule == RuleId::XCmDnsRecords);
        prop_assert_eq!(dns_default, elevate3);
        // What the coercion draws rests on the site server's "X-CM-NTLM-HOST-DEFAULTS".
        let drawn = x.edges().any(|edge| edge.rule == RuleId::XCmNtlmHostDefaults);
        prop_assert_eq!(drawn, elevate2 || elevate3);
        let push1 = e.account_by_name("CORP\\push1").unwrap();
        prop_assert_eq!(rules.contains(&RuleId::CmPushPrivileged), cp.accounts.contains(&push1));
    }
}

/// One row of the push table: the site's NTLM inputs, where the target is, who
/// administers it, whether it refuses NTLM.
#[derive(Debug, Clone, Copy)]
struct Row {
    version: u32,
    new: bool,
    hotfix: bool,
    set: Option<bool>,
    /// 0: CORP, the site's domain; 1: FAR, which trusts CORP; 2: FAR, no trust.
    place: u8,
    first_admin: bool,
    second_admin: bool,
    server_admin: bool,
    refuses: bool,
}

/// The tries of a row as `account over protocol: outcome`, transcribed again from
/// lineage-sources-2.md 1.1 and 1.2: each account in order until one administers the
/// target, then the computer account, failing across domains; Kerberos where the
/// target's domain accepts CORP's accounts, else NTLM where in effect, else nothing; the
/// WMI query over NTLM after an install only where the target accepts NTLM.
fn reference_tries(r: Row) -> Vec<String> {
    let (ntlm, rule) = reference_ntlm(r.version, r.new, r.hotfix, r.set);
    let kerberos = r.place < 2;
    let ntlm = ntlm && !r.refuses;
    let mut out = Vec::new();
    for (account, admin) in [
        ("CORP\\push1", r.first_admin),
        ("CORP\\push2", r.second_admin),
    ] {
        if kerberos && admin {
            let wmi = if rule == "CM-PUSH-NTLM-BUG" && !r.refuses {
                " +wmi"
            } else {
                ""
            };
            out.push(format!("{account} over kerberos: installs{wmi}"));
            return out;
        }
        out.push(match (kerberos, ntlm) {
            (true, _) => format!("{account} over kerberos: not_administrator"),
            (false, true) => format!("{account} over ntlm: not_authenticated"),
            (false, false) => format!("{account} over refused: not_authenticated"),
        });
    }
    out.push(match (kerberos, ntlm) {
        (true, _) if r.place != 0 => "CORP\\SS$ over kerberos: cross_domain".to_string(),
        (true, _) if r.server_admin => {
            let wmi = if rule == "CM-PUSH-NTLM-BUG" && !r.refuses {
                " +wmi"
            } else {
                ""
            };
            format!("CORP\\SS$ over kerberos: installs{wmi}")
        }
        (true, _) => "CORP\\SS$ over kerberos: not_administrator".to_string(),
        (false, true) => "CORP\\SS$ over ntlm: not_authenticated".to_string(),
        (false, false) => "CORP\\SS$ over refused: not_authenticated".to_string(),
    });
    out
}

/// The scenario of a row: target T, manual push with push1 then push2.
fn row_scenario(r: Row) -> RawScenario {
    let mut raw = raw("push-manual-dc");
    let mut members = Vec::new();
    if r.first_admin {
        members.push("CORP\\push1");
    }
    if r.second_admin {
        members.push("CORP\\push2");
    }
    if r.server_admin {
        members.push("CORP\\SS$");
    }
    let domain = if r.place == 0 { "CORP" } else { "FAR" };
    raw.domains[1].trusts = if r.place == 1 {
        vec!["CORP".into()]
    } else {
        Vec::new()
    };
    raw.domains[0].global_groups[0].members.clear();
    let t = serde_json::json!({"name": "T", "platform": "windows_client", "domain": domain, "sms_client": false,
        "local_groups": [{"name": "Administrators", "members": members}]});
    raw.machines.push(serde_json::from_value(t).unwrap());
    let push = raw.site.client_push.as_mut().unwrap();
    push.manual_targets = vec!["T".into()];
    push.accounts = vec!["CORP\\push1".into(), "CORP\\push2".into()];
    push.version = r.version;
    push.install = if r.new {
        RawInstall::New
    } else {
        RawInstall::Upgrade
    };
    push.kb15599094 = r.hotfix;
    push.ntlm_fallback = r.set;
    push.ntlm_refused = if r.refuses {
        vec!["T".into()]
    } else {
        Vec::new()
    };
    raw.push_expectations.clear();
    raw
}

#[test]
fn the_push_table_agrees_with_its_reference() {
    let mut rows = 0;
    let mut classes = std::collections::BTreeSet::new();
    for version in [1710, 1806, 2010, 2103, 2107, 2203, 2207, 2211, 2303, 2403] {
        for new in [true, false] {
            for hotfix in [true, false] {
                for set in [None, Some(true), Some(false)] {
                    for place in 0..3u8 {
                        for bits in 0..16u8 {
                            // Without a trust, no CORP account can administer T (A9).
                            if place == 2 && bits & 7 != 0 {
                                continue;
                            }
                            let r = Row {
                                version,
                                new,
                                hotfix,
                                set,
                                place,
                                first_admin: bits & 1 != 0,
                                second_admin: bits & 2 != 0,
                                server_admin: bits & 4 != 0,
                                refuses: bits & 8 != 0,
                            };
                            let s = Scenario::from_raw(&row_scenario(r)).unwrap();
                            let d = push_all(&s.estate, &s.state);
                            let t = d
                                .iter()
                                .find(|d| s.estate.machine(d.target).name == "T")
                                .unwrap();
                            let got: Vec<String> = t
                                .attempts
                                .iter()
                                .map(|a| {
                                    let p = match a.protocol {
                                        Protocol::Kerberos => "kerberos",
                                        Protocol::Ntlm => "ntlm",
                                        Protocol::Refused => "refused",
                                    };
                                    let o = match a.outcome {
                                        Outcome::Installs => "installs",
                                        Outcome::NotAdministrator => "not_administrator",
                                        Outcome::NotAuthenticated => "not_authenticated",
                                        Outcome::CrossDomain => "cross_domain",
                                    };
                                    let wmi = if a.wmi_ntlm { " +wmi" } else { "" };
                                    format!(
                                        "{} over {p}: {o}{wmi}",
                                        s.estate.qualified_name(a.account)
                                    )
                                })
                                .collect();
                            assert_eq!(got, reference_tries(r), "{r:?}");
                            classes.insert(got);
                            rows += 1;
                        }
                    }
                }
            }
        }
    }
    // 120 NTLM rows x (16 administrator and refusal patterns in CORP, 16 in a FAR that
    // trusts CORP, 2 refusal patterns in a FAR that does not); the distinct sequences of
    // tries they give, pinned.
    assert_eq!(rows, 120 * 34);
    assert_eq!(classes.len(), CLASSES, "{classes:#?}");
}

/// The distinct try sequences of the push table, counted by hand: over Kerberos, push1
/// installs (with or without the WMI query over NTLM: 2), push2 after push1 (2), the
/// computer account after both in CORP (2) or refused there (1) or across domains (1);
/// without Kerberos, every try over NTLM (1) or none sent (1).
const CLASSES: usize = 10;

#[test]
fn relay_targets_and_severity_follow_signing_refusal_and_status() {
    use sms_client_accounts::exposure::{FindingKind, Node, Severity};
    // WKS1 requires SMB signing and WKS2 refuses NTLM: neither is a relay target of
    // ELEVATE-2; SRV1 and WKS3's neighbours stay; WKS2 receives no WMI query over NTLM.
    let mut r = raw("push-ntlm-bug-2107");
    let push = r.site.client_push.as_mut().unwrap();
    push.smb_signing_required = vec!["WKS1".into()];
    push.ntlm_refused = vec!["WKS2".into()];
    let s = Scenario::from_raw(&r).unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    let f = x
        .findings(&s.estate)
        .into_iter()
        .find(|f| f.kind == FindingKind::PushCoercible)
        .unwrap();
    let machines: Vec<&str> = f
        .objects
        .iter()
        .filter_map(|n| match n {
            Node::Machine(m) => Some(s.estate.machine(*m).name.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        !machines.contains(&"WKS1") && !machines.contains(&"WKS2"),
        "{machines:?}"
    );
    assert!(
        machines.contains(&"SRV1") && machines.contains(&"DC1"),
        "{machines:?}"
    );
    let wks2 = push_all(&s.estate, &s.state)
        .into_iter()
        .find(|d| s.estate.machine(d.target).name == "WKS2")
        .unwrap();
    assert!(wks2.over_ntlm().next().is_none(), "WKS2 refuses NTLM");
    // With both push accounts disabled, what they expose administers nothing now: the
    // findings drop to medium.
    let mut r = raw("push-ntlm-bug-2107");
    r.state.disabled = vec!["CORP\\push1".into(), "CORP\\push2".into()];
    let s = Scenario::from_raw(&r).unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    for f in x.findings(&s.estate) {
        if matches!(
            f.kind,
            FindingKind::PushCoercible | FindingKind::PushAuthenticationExposed
        ) {
            assert_eq!(f.severity, Severity::Medium, "{:?}", f.kind);
        }
    }
}

#[test]
fn the_split_export_gives_elevate_in_configmanbearpig_s_relay_kind() {
    use sms_client_accounts::exposure::opengraph::to_opengraph_split;
    let mut r = raw("push-ntlm-bug-2107");
    let d = "S-1-5-21-1111111111-2222222222-3333333333";
    let ids = serde_json::json!({
        "domains": [{"name": "CORP", "sid": d, "dns_name": "corp.example"}],
        "machines": [
            {"name": "DC1", "sid": format!("{d}-1000")},
            {"name": "WKS1", "sid": format!("{d}-1104")},
            {"name": "WKS2", "sid": format!("{d}-1105")},
            {"name": "SRV1", "sid": format!("{d}-1107")},
            {"name": "WKS3", "sid": format!("{d}-1106")}
        ]
    });
    r.external_ids = serde_json::from_value(ids).unwrap();
    r.site.client_push.as_mut().unwrap().smb_signing_required = vec!["WKS2".into()];
    let s = Scenario::from_raw(&r).unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    let split = to_opengraph_split(&s.estate, &x);
    let users = "CORP.EXAMPLE-S-1-5-11";
    assert!(
        split.ad["graph"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == users)
    );
    let mut ends: Vec<String> = split.ad["graph"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "SCCM_CoerceAndRelayToSMB")
        .map(|e| {
            assert_eq!(e["start"]["value"], users);
            assert_eq!(e["properties"]["technique"], "ELEVATE-2");
            e["end"]["value"].as_str().unwrap().to_string()
        })
        .collect();
    ends.sort();
    // push1 (Domain Admins) administers DC1, WKS1, WKS2, SRV1; push2 WKS1 and WKS2;
    // WKS2 requires signing; WKS3 is administered by neither; SS$ administers nothing.
    assert_eq!(
        ends,
        [
            format!("{d}-1000"),
            format!("{d}-1104"),
            format!("{d}-1107")
        ]
    );
    // Without the domain's DNS name there is no Authenticated Users to start from.
    r.external_ids.domains.clear();
    let s = Scenario::from_raw(&r).unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    let split = to_opengraph_split(&s.estate, &x);
    assert!(
        !split.ad["graph"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "SCCM_CoerceAndRelayToSMB")
    );
}

#[test]
fn the_single_document_export_keeps_push_secrets_in_the_crate_s_kinds() {
    let s = Scenario::from_raw(&raw("push-ntlm-bug-2107")).unwrap();
    let x = Exposure::build(&s.estate, &s.state);
    let v = sms_client_accounts::exposure::export::to_opengraph(&s.estate, &x);
    let nodes = v["graph"]["nodes"].as_array().cloned().unwrap_or_default();
    let edges = v["graph"]["edges"].as_array().cloned().unwrap_or_default();
    let push: Vec<&serde_json::Value> = nodes
        .iter()
        .filter(|n| n["id"].as_str().unwrap_or("").contains("CLIENT PUSH"))
        .collect();
    // FARWKS, SRV1, WKS1 and WKS2 receive NTLM tries; the coercion is one secret more.
    assert_eq!(push.len(), 5, "{push:?}");
    assert!(
        push.iter()
            .all(|n| n["kinds"] == serde_json::json!(["SMS_Secret"]))
    );
    let far = "SECRET:FARWKS CLIENT PUSH NTLM AUTHENTICATIONS";
    let revealed: Vec<&str> = edges
        .iter()
        .filter(|e| e["start"]["value"] == far && e["kind"] == "SMS_RevealsPassword")
        .filter_map(|e| e["end"]["value"].as_str())
        .collect();
    assert_eq!(revealed.len(), 3, "{revealed:?}");
    assert!(!v.to_string().contains("SCCM_CoerceAndRelayToSMB"));
}
