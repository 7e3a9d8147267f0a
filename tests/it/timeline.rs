//! The timeline: fixtures for each fault, checked by hand and snapshotted, and
//! state-machine property tests over random event sequences against a simple reference
//! model, with the invariants checked after every event.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use sms_client_accounts::Scenario;
use sms_client_accounts::engine::{Context, Membership, Outcome, resolve};
use sms_client_accounts::model::*;
use sms_client_accounts::rules::RuleId;
use sms_client_accounts::timeline::{
    AdState, DEMO_DAY, Ended, Entry, Event, Timeline, Waiting, load_timeline, load_timeline_file,
    log_text,
};

use crate::common::*;

fn day(name: &str) -> sms_client_accounts::timeline::TimelineFile {
    if name == "demo-day" {
        return load_timeline(DEMO_DAY).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    // By path: a fixture may name its scenario file, found beside it.
    load_timeline_file(&root().join(format!("fixtures/timelines/{name}.json")))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn state_of(t: &Timeline<'_>, e: &Estate, ad: &str, client: &str) -> AdState {
    let key = (
        e.machine_by_name(client)
            .unwrap_or_else(|| panic!("{client}")),
        e.advertisement_by_name(ad)
            .unwrap_or_else(|| panic!("{ad}")),
    );
    t.advertisements()
        .get(&key)
        .copied()
        .unwrap_or_else(|| panic!("{ad} on {client}"))
}

#[test]
fn every_timeline_fixture_replays_as_checked_by_hand() {
    // The demo day (fixtures/timelines/demo-day.json), checked against the rules.
    let d = day("demo-day");
    let e = &d.scenario.estate;
    let t = d.replay();
    // SWIA-GRANT then X-REBOOT-CLEANUP: the grant made at 08:30 outlives the reboot at
    // 08:40 and is removed when the services start at 08:47.
    let swia = e
        .account_by_name("CORP\\SMSInstall")
        .unwrap_or_else(|| unreachable!());
    let wks1 = e.machine_by_name("WKS1").unwrap_or_else(|| unreachable!());
    let grant_times: Vec<(u64, bool)> = t
        .log()
        .iter()
        .filter(|l| l.client == Some(wks1))
        .filter_map(|l| match l.entry {
            sms_client_accounts::timeline::Entry::Grant { account, added, .. }
                if account == swia =>
            {
                Some((l.at, added))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        grant_times,
        vec![(8 * 3600 + 30 * 60, true), (8 * 3600 + 47 * 60, false)]
    );
    assert_eq!(
        state_of(&t, e, "ABC20003", "WKS1"),
        AdState::Failed(Ended::Reboot)
    );
    // X-DP-RETRY: SMS1 is down 09:00-09:25, so WKS3 tries at 09:02, 09:12, 09:22 and runs at 09:32.
    let wks3 = e.machine_by_name("WKS3").unwrap_or_else(|| unreachable!());
    let starts: Vec<u64> = t
        .log()
        .iter()
        .filter(|l| l.client == Some(wks3) && matches!(l.entry, sms_client_accounts::timeline::Entry::Started { advertisement, .. } if e.advertisement(advertisement).name == "ABC20002"))
        .map(|l| l.at)
        .collect();
    assert_eq!(
        starts,
        vec![
            9 * 3600 + 2 * 60,
            9 * 3600 + 12 * 60,
            9 * 3600 + 22 * 60,
            9 * 3600 + 32 * 60
        ]
    );
    // Crash and time-out end the run and remove the grant.
    assert_eq!(
        state_of(&t, e, "ABC20003", "WKS4"),
        AdState::Failed(Ended::Crash)
    );
    assert_eq!(
        state_of(&t, e, "ABC20003", "DC1"),
        AdState::Failed(Ended::Timeout)
    );
    assert_eq!(t.state().grants().count(), 0);
    // A16, D5: five stale tries lock SMSClient_ABC out at 11:06; it unlocks 30 minutes later.
    let abc = e
        .account_by_name("CORP\\SMSClient_ABC")
        .unwrap_or_else(|| unreachable!());
    let lockouts: Vec<(u64, bool)> = t
        .log()
        .iter()
        .filter_map(|l| match l.entry {
            sms_client_accounts::timeline::Entry::Lockout { account, locked } if account == abc => {
                Some((l.at, locked))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        lockouts,
        vec![(11 * 3600 + 6 * 60, true), (11 * 3600 + 36 * 60, false)]
    );
    insta::with_settings!({snapshot_path => "snapshots/timeline", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("demo-day", log_text(e, &t));
    });
    // The other fixtures: each loads, replays, and is snapshotted.
    for path in json_files(&root().join("fixtures/timelines")) {
        let name = stem(&path);
        let d = day(&name);
        let t = d.replay();
        insta::with_settings!({snapshot_path => "snapshots/timeline", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name, log_text(&d.scenario.estate, &t));
        });
    }
}

#[test]
fn a_trust_removed_in_the_day_stops_the_software_installation_account() {
    let d = day("trust-and-conflict");
    let e = &d.scenario.estate;
    let t = d.replay();
    // A9: RES stops trusting CORP at 09:00, so WKS4 (RES) cannot log CORP\SMSInstall on.
    match state_of(&t, e, "ABC20003", "WKS4") {
        AdState::Failed(Ended::Decision(f)) => assert_eq!(f.error, Some(1326)),
        other => panic!("{other:?}"),
    }
    // D4: WKS4's second credential set to SMS1 in one session is refused with 1219.
    assert!(t.log().iter().any(|l| matches!(
        l.entry,
        sms_client_accounts::timeline::Entry::ConnectionRefused { .. }
    )));
}

/// The program starts of a replayed day: (time, client, advertisement, decision).
fn starts(
    t: &Timeline<'_>,
    e: &Estate,
) -> Vec<(
    String,
    String,
    String,
    sms_client_accounts::engine::Decision,
)> {
    t.log()
        .iter()
        .filter_map(|l| match l.entry {
            Entry::Started {
                advertisement,
                decision,
            } => Some((
                sms_client_accounts::timeline::format_time(l.at),
                e.machine(l.client?).name.to_string(),
                e.advertisement(advertisement).name.clone(),
                decision,
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn a_timeline_names_a_scenario_file_beside_it() {
    let d = day("own-estate");
    assert_eq!(
        d.scenario_file.as_deref().map(std::path::Path::new),
        Some(
            root()
                .join("fixtures/timelines/../scenarios/nt-service-context.json")
                .as_path()
        )
    );
    let e = &d.scenario.estate;
    let t = d.replay();
    let s = starts(&t, e);
    let name = |a: Option<AccountId>| a.map(|a| e.qualified_name(a));
    // 08:00, NT-SERVICE-FALLBACK (A1): alice is not an administrator of WKS1, so the
    // administrative program runs as WKS1's own token account (SVC-TOKEN-LOCAL), and the
    // connection account reads the DP (NAL-CONNECTION-ACCOUNTS).
    let (at, client, ad, first) = &s[0];
    assert_eq!(
        (at.as_str(), client.as_str(), ad.as_str()),
        ("08:00:00", "WKS1", "ABC20002")
    );
    assert_eq!(first.decided_by, RuleId::NtServiceFallback);
    assert_eq!(first.context, Some(Context::Service));
    assert_eq!(
        name(first.account).as_deref(),
        Some("WKS1\\SMSCliToknAcct&")
    );
    assert_eq!(
        name(first.dp.and_then(|dp| dp.credential)).as_deref(),
        Some("CORP\\SMSClient_ABC")
    );
    // 08:05, A11: `only when no user is logged on` waits while alice is logged on; after
    // she logs off at 12:00 it runs in the service context.
    assert_eq!(
        s[1].3.outcome,
        Outcome::Wait(sms_client_accounts::engine::Wait::ForNoUser)
    );
    assert_eq!(
        (s[2].0.as_str(), s[2].3.context),
        ("12:00:00", Some(Context::Service))
    );
    assert_eq!(s.len(), 3);
    // By text, a timeline has no directory to find the file in.
    let text = std::fs::read_to_string(root().join("fixtures/timelines/own-estate.json"))
        .unwrap_or_default();
    let err = load_timeline(&text).map(|_| ()).unwrap_err().to_string();
    assert!(
        err.contains("scenario (line 4, column 15): `../scenarios/nt-service-context.json` names a scenario file"),
        "{err}"
    );
}

#[test]
fn read_grants_and_members_change_the_next_decision() {
    let d = day("estate-changes");
    let e = &d.scenario.estate;
    let t = d.replay();
    let s = starts(&t, e);
    let name = |a: Option<AccountId>| a.map(|a| e.qualified_name(a));
    // 08:05, NT-USER-FIRST and A1: alice joined WKS1's Administrators at 08:00, so the
    // administrative program runs as her, by Pea32 (USER-PEA32), and she reads the DP
    // herself (NAL-CURRENT); own-estate.json shows the same start going to the service
    // context without the change.
    let (_, client, ad, d1) = &s[0];
    assert_eq!((client.as_str(), ad.as_str()), ("WKS1", "ABC20002"));
    assert_eq!(d1.decided_by, RuleId::NtUserFirst);
    assert_eq!(d1.context, Some(Context::User));
    assert_eq!(name(d1.account).as_deref(), Some("CORP\\alice"));
    assert_eq!(
        name(d1.dp.and_then(|dp| dp.credential)).as_deref(),
        Some("CORP\\alice")
    );
    // 09:05, NAL-CONNECTION-ACCOUNTS and A12: Domain Users lost its read at 09:00, so
    // neither the local token account (A10) nor the connection account reads; the run
    // fails, closed, and is not retried.
    let (at, client, ad, d2) = &s[1];
    assert_eq!(
        (at.as_str(), client.as_str(), ad.as_str()),
        ("09:05:00", "WKS2", "ABC20003")
    );
    assert_eq!(d2.decided_by, RuleId::NalConnectionAccounts);
    assert!(matches!(d2.outcome, Outcome::Fail(f) if f.error == Some(5)));
    assert!(matches!(
        state_of(&t, e, "ABC20003", "WKS2"),
        AdState::Failed(Ended::Decision(_))
    ));
    // 09:15, A11 and NAL-CONNECTION-ACCOUNTS: the connection account was granted read at
    // 09:10, so the service-context run reaches the DP as connection account #1.
    let (at, _, ad, d3) = &s[2];
    assert_eq!((at.as_str(), ad.as_str()), ("09:15:00", "ABC20002"));
    assert_eq!(d3.outcome, Outcome::Run);
    assert_eq!(d3.context, Some(Context::Service));
    assert_eq!(
        name(d3.dp.and_then(|dp| dp.credential)).as_deref(),
        Some("CORP\\SMSClient_ABC")
    );
    assert_eq!(s.len(), 3);
    // The timeline's estate is its own copy; the scenario's is untouched, and at the
    // end alice has left WKS1's Administrators again.
    let wks1 = e.machine_by_name("WKS1").unwrap_or_else(|| unreachable!());
    let admins = e.administrators_of(wks1).unwrap_or_else(|| unreachable!());
    let alice = e
        .account_by_name("CORP\\alice")
        .unwrap_or_else(|| unreachable!());
    assert!(!t.estate().is_in(alice, admins));
    assert_ne!(t.estate(), e);
    let abc = e
        .account_by_name("CORP\\SMSClient_ABC")
        .unwrap_or_else(|| unreachable!());
    let read = |est: &Estate| est.packages()[0].copies[0].read.clone();
    assert!(read(t.estate()).contains(&abc));
    assert!(!read(e).contains(&abc));
}

#[test]
fn every_invalid_timeline_is_reported_with_its_places() {
    // Relative paths, so the reports do not depend on where the crate is checked out
    // (cargo runs the tests in the package's directory).
    let dir = std::path::Path::new("fixtures/invalid-timelines");
    for path in json_files(&root().join(dir)) {
        let name = stem(&path);
        let report = match load_timeline_file(&dir.join(format!("{name}.json"))) {
            Ok(_) => panic!("{name} is under fixtures/invalid-timelines but loads"),
            Err(e) => e.to_string(),
        };
        insta::with_settings!({snapshot_path => "snapshots/invalid-timelines", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name, report);
        });
    }
}

// --- The state-machine property test -------------------------------------------------

/// A random event, by indices into the generated estate.
#[derive(Debug, Clone, Copy)]
enum Step {
    LogOn(usize, usize),
    LogOff(usize),
    Received(usize, usize),
    Finish(usize, usize),
    Crash(usize, usize),
    Timeout(usize, usize),
    Reboot(usize),
    ServicesStarted(usize),
    ServerDown(bool),
    ServerUp(bool),
    PasswordChanged(usize),
    Refresh(usize),
    SwiaDisabled(bool),
    Trust(bool),
    Wait(u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        1 => (0..7usize, 0..3usize).prop_map(|(c, u)| Step::LogOn(c, u)),
        1 => (0..7usize).prop_map(Step::LogOff),
        3 => (0..4usize, 0..7usize).prop_map(|(a, c)| Step::Received(a, c)),
        2 => (0..4usize, 0..7usize).prop_map(|(a, c)| Step::Finish(a, c)),
        1 => (0..4usize, 0..7usize).prop_map(|(a, c)| Step::Crash(a, c)),
        1 => (0..4usize, 0..7usize).prop_map(|(a, c)| Step::Timeout(a, c)),
        1 => (0..7usize).prop_map(Step::Reboot),
        1 => (0..7usize).prop_map(Step::ServicesStarted),
        1 => any::<bool>().prop_map(Step::ServerDown),
        1 => any::<bool>().prop_map(Step::ServerUp),
        1 => (0..3usize).prop_map(Step::PasswordChanged),
        1 => (0..7usize).prop_map(Step::Refresh),
        1 => any::<bool>().prop_map(Step::SwiaDisabled),
        1 => any::<bool>().prop_map(Step::Trust),
        1 => (1u64..1200).prop_map(Step::Wait),
    ]
}

fn event(e: &Estate, step: Step) -> Option<Event> {
    let client = |i: usize| e.machine_by_name(&format!("C{i}"));
    let ad = |i: usize| e.advertisement_by_name(&format!("ABC2000{i}"));
    let user = |i: usize| e.account_by_name(["CORP\\u0", "CORP\\u1", "CORP\\admin"][i]);
    let server = |dp2: bool| e.machine_by_name(if dp2 { "DP2" } else { "SMS1" });
    Some(match step {
        Step::LogOn(c, u) => {
            let c = client(c)?;
            e.machine(c).domain?;
            Event::LogOn {
                client: c,
                user: user(u)?,
            }
        }
        Step::LogOff(c) => Event::LogOff { client: client(c)? },
        Step::Received(a, c) => Event::AdvertisementReceived {
            advertisement: ad(a)?,
            client: client(c)?,
        },
        Step::Finish(a, c) => Event::ProgramFinish {
            advertisement: ad(a)?,
            client: client(c)?,
        },
        Step::Crash(a, c) => Event::ProgramCrash {
            advertisement: ad(a)?,
            client: client(c)?,
        },
        Step::Timeout(a, c) => Event::ProgramTimeout {
            advertisement: ad(a)?,
            client: client(c)?,
        },
        Step::Reboot(c) => Event::Reboot { client: client(c)? },
        Step::ServicesStarted(c) => Event::ServicesStarted { client: client(c)? },
        Step::ServerDown(dp2) => Event::ServerDown {
            server: server(dp2)?,
        },
        Step::ServerUp(dp2) => Event::ServerUp {
            server: server(dp2)?,
        },
        Step::PasswordChanged(i) => {
            let accounts: Vec<AccountId> = e
                .site()
                .connection_accounts
                .iter()
                .copied()
                .chain(e.site().software_installation_account)
                .collect();
            Event::PasswordChanged {
                account: *accounts.get(i % accounts.len().max(1))?,
            }
        }
        Step::Refresh(c) => Event::SiteDataRefreshed { client: client(c)? },
        Step::SwiaDisabled(on) => {
            let account = e.site().software_installation_account?;
            if on {
                Event::AccountDisabled { account }
            } else {
                Event::AccountEnabled { account }
            }
        }
        Step::Trust(on) => {
            let (res, corp) = (e.domain_by_name("RES")?, e.domain_by_name("CORP")?);
            if on {
                Event::TrustAdded {
                    trusting: res,
                    trusted: corp,
                }
            } else {
                Event::TrustRemoved {
                    trusting: res,
                    trusted: corp,
                }
            }
        }
        Step::Wait(_) => return None,
    })
}

/// The simple reference model: which advertisements run where, and which grants that
/// implies, from the decisions alone.
#[derive(Default)]
struct Reference {
    running: BTreeMap<(MachineId, AdvertisementId), Vec<AccountId>>,
    stranded: BTreeMap<MachineId, BTreeSet<AccountId>>,
}

impl Reference {
    fn grants(&self) -> BTreeSet<(MachineId, AccountId)> {
        let mut out: BTreeSet<(MachineId, AccountId)> = BTreeSet::new();
        for (&(c, _), accounts) in &self.running {
            out.extend(accounts.iter().map(|&a| (c, a)));
        }
        for (&c, accounts) in &self.stranded {
            out.extend(accounts.iter().map(|&a| (c, a)));
        }
        out
    }

    /// Follows the timeline's advertisement states after one event.
    fn follow(&mut self, e: &Estate, t: &Timeline<'_>, event: Option<Event>) {
        if let Some(Event::Reboot { client }) = event {
            let ended: Vec<_> = self
                .running
                .keys()
                .filter(|(c, _)| *c == client)
                .copied()
                .collect();
            let mut left = BTreeSet::new();
            for k in ended {
                left.extend(self.running.remove(&k).unwrap_or_default());
            }
            self.stranded.entry(client).or_default().extend(left);
        }
        if let Some(Event::ServicesStarted { client }) = event {
            self.stranded.remove(&client);
        }
        self.running
            .retain(|k, _| matches!(t.advertisements().get(k), Some(AdState::Running { .. })));
        for (&k, s) in t.advertisements() {
            if let AdState::Running { decision, .. } = s
                && !self.running.contains_key(&k)
            {
                let mut accounts = Vec::new();
                if let Some(g) = decision.grant.filter(|g| g.group.is_some()) {
                    accounts.push(g.account);
                }
                if decision.context == Some(Context::Service)
                    && decision
                        .token
                        .is_some_and(|t| t.administrators == Membership::AddedForRun)
                {
                    accounts.extend(decision.account);
                }
                self.running.insert(k, accounts);
            }
        }
        let _ = e;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// After every event: grants are exactly those of running programs plus the
    /// documented reboot window ("X-REBOOT-CLEANUP", "SWIA-REVOKE", "D1"); no grant
    /// goes to a connection account; every advertisement is in exactly one state; a
    /// program's context is what `resolve` gives for the state at its start; timers
    /// ("X-DP-RETRY", "D5") fire in order; and replaying the same events gives the same
    /// log.
    #[test]
    fn the_timeline_keeps_its_invariants(g in gen_scenario(), steps in prop::collection::vec(step(), 1..40), lockout in any::<bool>()) {
        let s = Scenario::from_json(&g.to_json().to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let e = &s.estate;
        let run = |check: bool| -> Result<Timeline<'_>, TestCaseError> {
            let mut t = Timeline::new(e, s.state.clone(), lockout).audited();
            let mut reference = Reference::default();
            let mut now = 0;
            for &st in &steps {
                now += if let Step::Wait(d) = st { d } else { 60 };
                while let Some(due) = t.poll_timeout().filter(|&d| d < now) {
                    t.handle_timeout(due);
                    reference.follow(e, &t, None);
                }
                let ev = event(e, st);
                match ev {
                    Some(ev) => t.handle(now, ev),
                    None => t.handle_timeout(now),
                }
                reference.follow(e, &t, ev);
                if !check {
                    continue;
                }
                let grants: BTreeSet<(MachineId, AccountId)> = t.state().grants().collect();
                prop_assert_eq!(&grants, &reference.grants());
                for &(_, a) in &grants {
                    prop_assert_ne!(e.account(a).role, Some(SmsRole::ConnectionAccount));
                }
                let expected: BTreeSet<(MachineId, AdvertisementId)> = e.advertisement_ids().flat_map(|ad| e.advertisement(ad).targets.iter().map(move |&c| (c, ad))).collect();
                prop_assert_eq!(t.advertisements().keys().copied().collect::<BTreeSet<_>>(), expected);
                for s in t.advertisements().values() {
                    if let AdState::Waiting(Waiting::RetryAt(at)) = s {
                        prop_assert!(*at > t.now().saturating_sub(1) || *at >= now.saturating_sub(600));
                    }
                    if let AdState::Running { decision, .. } = s {
                        prop_assert_eq!(decision.outcome, Outcome::Run);
                    }
                }
            }
            Ok(t)
        };
        let t = run(true)?;
        for audit in t.audit() {
            prop_assert_eq!(resolve(e, &audit.state, audit.advertisement, audit.client).decision, audit.decision);
        }
        let again = run(false)?;
        prop_assert_eq!(t.log(), again.log());
        prop_assert_eq!(t.state(), again.state());
    }
}

// --- Through the public API: what the fixtures leave unasserted ----------------------

#[test]
fn an_audited_day_keeps_each_start_as_the_engine_decided_it() {
    let d = day("demo-day");
    let e = &d.scenario.estate;
    let mut t = Timeline::new(e, d.scenario.state.clone(), d.lockout).audited();
    for &(at, event) in &d.events {
        t.handle(at, event);
    }
    let started = t
        .log()
        .iter()
        .filter(|l| matches!(l.entry, Entry::Started { .. }))
        .count();
    assert!(started > 0);
    assert_eq!(t.audit().len(), started);
    for a in t.audit() {
        assert_eq!(
            resolve(e, &a.state, a.advertisement, a.client).decision,
            a.decision
        );
    }
    // X-REBOOT-CLEANUP: between WKS1's reboot (08:40) and its services' start (08:47)
    // the Software Installation account's grant is stranded there.
    let wks1 = found(e.machine_by_name("WKS1"), "WKS1");
    let swia = found(e.account_by_name("CORP\\SMSInstall"), "SMSInstall");
    let mut t = Timeline::new(e, d.scenario.state.clone(), d.lockout);
    for &(at, event) in d.events.iter().filter(|(at, _)| *at <= 8 * 3600 + 45 * 60) {
        t.handle(at, event);
    }
    assert_eq!(t.stranded_grants().get(&wks1), Some(&vec![swia]));
    assert!(t.state().grants().any(|g| g == (wks1, swia)));
    // Without `audited`, nothing is kept.
    assert!(d.replay().audit().is_empty());
}

#[test]
fn a_grant_held_by_two_runs_stays_until_the_last_ends() {
    // A3 (transient on member clients): every service-context run adds the token
    // account to the client's Administrators; while another run on the client holds the
    // same membership, the end of one does not take it away.
    let s = fixture_scenario("demo");
    let e = &s.estate.with_assumptions(Assumptions {
        token_admin_membership: TokenAdminMembership::TransientOnMemberClients,
        ..*s.estate.assumptions()
    });
    let mut found = false;
    for client in e.machine_ids() {
        let mut t = Timeline::new(e, s.state.clone(), false);
        for ad in e.advertisement_ids() {
            if e.advertisement(ad).targets.contains(&client) {
                t.handle(
                    0,
                    Event::AdvertisementReceived {
                        advertisement: ad,
                        client,
                    },
                );
            }
        }
        // Each grant follows its run's start (after its bad-password events).
        let mut last = None;
        let mut holders: Vec<(AdvertisementId, AccountId)> = Vec::new();
        for l in t.log() {
            match l.entry {
                Entry::Started { advertisement, .. } => last = Some(advertisement),
                Entry::Grant {
                    account,
                    added: true,
                    ..
                } => holders.extend(last.map(|ad| (ad, account))),
                _ => {}
            }
        }
        let [(first, account), (_, again), ..] = holders[..] else {
            continue;
        };
        if account != again {
            continue;
        }
        found = true;
        t.handle(
            60,
            Event::ProgramFinish {
                advertisement: first,
                client,
            },
        );
        assert!(t.state().grants().any(|g| g == (client, account)));
        assert_eq!(t.stranded_grants().len(), 0);
    }
    assert!(
        found,
        "no client of the fixture runs two programs with the same grant"
    );
}

#[test]
fn bad_password_events_count_a_local_namesake_and_a_stale_logon() {
    // D5: a client's local token account tried at a server that has an account of the
    // same name is a bad-password event against that namesake.
    let s = fixture_scenario("exposure-estate");
    let e = &s.estate;
    let client = found(e.machine_by_name("RESWKS1"), "RESWKS1");
    let mut t = Timeline::new(e, s.state.clone(), false);
    for ad in e.advertisement_ids() {
        if e.advertisement(ad).targets.contains(&client) {
            t.handle(
                0,
                Event::AdvertisementReceived {
                    advertisement: ad,
                    client,
                },
            );
        }
    }
    let namesakes: Vec<AccountId> = t
        .log()
        .iter()
        .filter_map(|l| match l.entry {
            Entry::BadPassword { account, .. } => Some(account),
            _ => None,
        })
        .collect();
    assert!(!namesakes.is_empty());
    for a in namesakes {
        assert_eq!(e.account(a).name.as_str(), "SMSCliToknAcct&");
        assert_ne!(e.account(a).store, Store::Local(client));
    }
    // A16: after its password changes, a client's LogonUser of the Software Installation
    // account with the old one is a bad-password event against it.
    let d = load_timeline(DEMO_DAY).unwrap_or_else(|e| panic!("{e}"));
    let e = &d.scenario.estate;
    let swia = found(e.account_by_name("CORP\\SMSInstall"), "SMSInstall");
    let wks1 = found(e.machine_by_name("WKS1"), "WKS1");
    let ad = found(e.advertisement_by_name("ABC20003"), "ABC20003");
    let mut t = Timeline::new(e, d.scenario.state.clone(), false);
    t.handle(0, Event::PasswordChanged { account: swia });
    t.handle(
        10,
        Event::AdvertisementReceived {
            advertisement: ad,
            client: wks1,
        },
    );
    let bad: Vec<(AccountId, u8)> = t
        .log()
        .iter()
        .filter_map(|l| match l.entry {
            Entry::BadPassword { account, count } => Some((account, count)),
            _ => None,
        })
        .collect();
    assert_eq!(bad, vec![(swia, 1)]);
}

#[test]
fn events_change_only_what_they_name() {
    let d = load_timeline(DEMO_DAY).unwrap_or_else(|e| panic!("{e}"));
    let e = &d.scenario.estate;
    let wks1 = found(e.machine_by_name("WKS1"), "WKS1");
    let sms1 = found(e.machine_by_name("SMS1"), "SMS1");
    let dp2 = found(e.machine_by_name("DP2"), "DP2");
    let alice = found(e.account_by_name("CORP\\alice"), "alice");
    let bob = found(e.account_by_name("CORP\\bob"), "bob");
    let abc = found(e.account_by_name("CORP\\SMSClient_ABC"), "SMSClient_ABC");
    let ad = found(e.advertisement_by_name("ABC20002"), "ABC20002");
    let mut t = Timeline::new(e, d.scenario.state.clone(), false);
    let stale_before = t.state().stale_pairs().count();
    // A16: an ordinary user's new password is held by no client.
    t.handle(0, Event::PasswordChanged { account: alice });
    assert_eq!(t.state().stale_pairs().count(), stale_before);
    // A connection account's is held, stale, by every NT SMS client, and only by them.
    t.handle(1, Event::PasswordChanged { account: abc });
    let holders: BTreeSet<MachineId> = t
        .state()
        .stale_pairs()
        .filter(|&(_, a)| a == abc)
        .map(|(m, _)| m)
        .collect();
    let expected: BTreeSet<MachineId> = e
        .machine_ids()
        .filter(|&m| e.machine(m).sms_client && e.machine(m).platform.is_nt())
        .collect();
    assert_eq!(holders, expected);
    assert!(!holders.contains(&sms1) || e.machine(sms1).sms_client);
    // D4: only a second credential set to the same server is refused.
    let conn = |server, credential| Connection {
        server,
        share: None,
        device: Device::DeviceLess,
        credential,
    };
    let interactive = SessionKind::Interactive;
    let refusals = |t: &Timeline<'_>| {
        t.log()
            .iter()
            .filter(|l| matches!(l.entry, Entry::ConnectionRefused { .. }))
            .count()
    };
    t.handle(
        2,
        Event::Connect {
            client: wks1,
            session: interactive,
            connection: conn(dp2, bob),
        },
    );
    assert_eq!(refusals(&t), 0, "another server, other credentials");
    t.handle(
        3,
        Event::Connect {
            client: wks1,
            session: interactive,
            connection: conn(sms1, alice),
        },
    );
    assert_eq!(refusals(&t), 0, "the same server, the same credentials");
    t.handle(
        4,
        Event::Connect {
            client: wks1,
            session: interactive,
            connection: conn(sms1, bob),
        },
    );
    assert_eq!(refusals(&t), 1, "the same server, other credentials");
    // A second receipt of an advertisement does not start it again.
    t.handle(
        5,
        Event::AdvertisementReceived {
            advertisement: ad,
            client: wks1,
        },
    );
    t.handle(
        6,
        Event::AdvertisementReceived {
            advertisement: ad,
            client: wks1,
        },
    );
    let starts = t
        .log()
        .iter()
        .filter(|l| matches!(l.entry, Entry::Started { .. }))
        .count();
    assert_eq!(starts, 1);
}

/// A disconnect ends the session's connections to the server it names, and only those.
#[test]
fn a_disconnect_ends_only_the_connections_to_its_server() {
    let s = fixture_scenario("demo");
    let e = &s.estate;
    let wks1 = found(e.machine_by_name("WKS1"), "WKS1");
    let alice = found(e.account_by_name("CORP\\alice"), "alice");
    let mut t = Timeline::new(e, s.state.clone(), false);
    let before = t.state().session(wks1, SessionKind::Interactive).to_vec();
    let servers: Vec<MachineId> = ["SMS1", "EXCH1"]
        .iter()
        .map(|n| found(e.machine_by_name(n), n))
        .collect();
    for (i, &server) in servers.iter().enumerate() {
        let connection = Connection {
            server,
            share: None,
            device: Device::DeviceLess,
            credential: alice,
        };
        t.handle(
            3600 + i as u64,
            Event::Connect {
                client: wks1,
                session: SessionKind::Interactive,
                connection,
            },
        );
    }
    let to = |t: &Timeline<'_>, server: MachineId| {
        t.state()
            .session(wks1, SessionKind::Interactive)
            .iter()
            .filter(|c| c.server == server)
            .count()
    };
    assert!(to(&t, servers[1]) >= 1, "the connection to EXCH1 is made");
    let to_sms1 = to(&t, servers[0]);
    assert!(to_sms1 >= 1);
    t.handle(
        7200,
        Event::Disconnect {
            client: wks1,
            session: SessionKind::Interactive,
            server: servers[1],
        },
    );
    assert_eq!(to(&t, servers[1]), 0, "no connection to EXCH1 is left");
    assert_eq!(to(&t, servers[0]), to_sms1, "those to SMS1 stay");
    assert!(
        before.iter().all(|c| c.server == servers[1]
            || t.state()
                .session(wks1, SessionKind::Interactive)
                .contains(c)),
        "the session's other connections stay"
    );
}
