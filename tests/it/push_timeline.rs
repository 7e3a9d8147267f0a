//! Client push over time (`CM-PUSH-RETRY`): the push fixture's morning checked by hand,
//! the seven days of hourly rounds and the end of a push, a push started again, the
//! loader's refusal and `try_handle`'s in the same words, and a property test of the
//! rounds against a reference that reads the target's administrators at each hour.

use std::collections::BTreeSet;

use proptest::prelude::*;
use sms_client_accounts::engine::push::{Outcome, Protocol};
use sms_client_accounts::model::*;
use sms_client_accounts::rules::RuleId;
use sms_client_accounts::timeline::{
    Entry, Event, PUSH_RETRIES, PUSH_RETRY, PushState, Time, Timeline, format_time, load_timeline,
    load_timeline_file, log_json,
};

use crate::common::*;

const HOUR: Time = 3600;
const DAY: Time = 24 * HOUR;

/// Runs every timer up to `until`, as a timeline file's replay does.
fn run_until(t: &mut Timeline<'_>, until: Time) {
    while let Some(due) = t.poll_timeout().filter(|&d| d <= until) {
        t.handle_timeout(due);
    }
}

/// The tries of the push to `target`: (time, round, account, protocol, outcome).
fn tries(t: &Timeline<'_>, target: MachineId) -> Vec<(Time, u16, AccountId, Protocol, Outcome)> {
    t.log()
        .iter()
        .filter(|l| l.client == Some(target))
        .filter_map(|l| match l.entry {
            Entry::PushAttempt { round, attempt } => Some((
                l.at,
                round,
                attempt.account,
                attempt.protocol,
                attempt.outcome,
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn the_push_fixture_s_morning_is_as_checked_by_hand() {
    let d = load_timeline_file(&root().join("fixtures/timelines/push-retries.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let e = &d.scenario.estate;
    let t = d.replay();
    let wks3 = found(e.machine_by_name("WKS3"), "WKS3");
    let far = found(e.machine_by_name("FARWKS"), "FARWKS");
    let push1 = found(e.account_by_name("CORP\\push1"), "push1");
    let push2 = found(e.account_by_name("CORP\\push2"), "push2");
    let ss = found(e.account_by_name("CORP\\SS$"), "SS$");
    // WKS3: rounds at 08:00 and 09:00 refuse every account over Kerberos; push2 joins
    // its Administrators at 09:30, so round 3 at 10:00 stops at push2.
    let w = tries(&t, wks3);
    let eight = 8 * HOUR;
    let not_admin = |at, round, a| (at, round, a, Protocol::Kerberos, Outcome::NotAdministrator);
    assert_eq!(
        w,
        vec![
            not_admin(eight, 1, push1),
            not_admin(eight, 1, push2),
            not_admin(eight, 1, ss),
            not_admin(eight + HOUR, 2, push1),
            not_admin(eight + HOUR, 2, push2),
            not_admin(eight + HOUR, 2, ss),
            not_admin(eight + 2 * HOUR, 3, push1),
            (
                eight + 2 * HOUR,
                3,
                push2,
                Protocol::Kerberos,
                Outcome::Installs
            ),
        ]
    );
    assert_eq!(
        t.pushes().get(&wks3),
        Some(&PushState::Installed {
            by: push2,
            at: 10 * HOUR
        })
    );
    // FARWKS: three rounds over NTLM (every account's authentication, in order), then
    // FAR trusts CORP at 10:30 and the rounds of 11:00 and 12:00 are Kerberos only.
    let f = tries(&t, far);
    let ntlm: Vec<(Time, AccountId)> = f
        .iter()
        .filter(|x| x.3 == Protocol::Ntlm)
        .map(|x| (x.0, x.2))
        .collect();
    let mut expected = Vec::new();
    for round in 0..3 {
        for a in [push1, push2, ss] {
            expected.push((eight + round * HOUR, a));
        }
    }
    assert_eq!(ntlm, expected);
    let after: Vec<Outcome> = f.iter().filter(|x| x.0 > 10 * HOUR).map(|x| x.4).collect();
    assert_eq!(
        after,
        [
            Outcome::NotAdministrator,
            Outcome::NotAdministrator,
            Outcome::CrossDomain
        ]
        .repeat(2)
    );
    assert_eq!(
        t.pushes().get(&far),
        Some(&PushState::Pending {
            round: 6,
            at: 13 * HOUR
        })
    );
    // The JSON: each try with its round, protocol, outcome and three rules; the end state.
    let j = log_json(e, &t);
    let first = j["log"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|l| l["kind"] == "push_attempt" && l["client"] == "FARWKS")
        .cloned()
        .unwrap_or_default();
    assert_eq!(first["round"], 1);
    assert_eq!(first["protocol"], "ntlm");
    assert_eq!(first["result"], "not_authenticated");
    assert_eq!(first["account"], "CORP\\push1");
    assert_eq!(
        first["rules"],
        serde_json::json!([
            "X-CM-PUSH-LIST-ORDER",
            "X-CM-PUSH-NTLM-PRE2103",
            "X-CM-PUSH-NTLM-PRE2103"
        ])
    );
    assert_eq!(
        j["pushes"],
        serde_json::json!([
            {"target": "FARWKS", "state": "pending", "at": "13:00:00", "round": 6,
             "text": "round 6 of 169 due at 13:00:00"},
            {"target": "WKS3", "state": "installed", "at": "10:00:00",
             "installed_by": "CORP\\push2", "text": "installed by CORP\\push2 at 10:00:00"}
        ])
    );
}

#[test]
fn a_push_that_never_installs_runs_169_hourly_rounds_over_seven_days_then_stops() {
    let s = fixture_scenario("push-ntlm-old-version");
    let e = &s.estate;
    let far = found(e.machine_by_name("FARWKS"), "FARWKS");
    let mut t = Timeline::new(e, s.state.clone(), false);
    let start = 8 * HOUR;
    t.handle(start, Event::PushStarted { target: far });
    run_until(&mut t, start + 8 * DAY);
    let rounds: BTreeSet<(Time, u16)> = tries(&t, far).iter().map(|x| (x.0, x.1)).collect();
    let expected: BTreeSet<(Time, u16)> = (0..=u64::from(PUSH_RETRIES))
        .map(|k| (start + k * PUSH_RETRY, u16::try_from(k + 1).unwrap_or(0)))
        .collect();
    assert_eq!(rounds, expected);
    assert_eq!(PUSH_RETRY * u64::from(PUSH_RETRIES), 7 * DAY);
    // Every round hands FARWKS the three authentications again: 169 x 3.
    assert_eq!(
        tries(&t, far)
            .iter()
            .filter(|x| x.3 == Protocol::Ntlm)
            .count(),
        169 * 3
    );
    let last = t.log().last().copied();
    assert_eq!(
        last.map(|l| (l.at, l.entry, l.rule)),
        Some((
            start + 7 * DAY,
            Entry::PushAbandoned { rounds: 169 },
            Some(RuleId::CmPushRetry)
        ))
    );
    assert_eq!(
        t.pushes().get(&far),
        Some(&PushState::Abandoned {
            at: start + 7 * DAY
        })
    );
    assert_eq!(t.poll_timeout(), None);
    assert_eq!(format_time(start + 7 * DAY), "7d 08:00:00");
    assert_eq!(format_time(DAY - 1), "23:59:59");
}

#[test]
fn a_push_started_again_starts_over_and_one_installed_pushes_again() {
    let s = fixture_scenario("push-ntlm-old-version");
    let e = &s.estate;
    let wks3 = found(e.machine_by_name("WKS3"), "WKS3");
    let wks1 = found(e.machine_by_name("WKS1"), "WKS1");
    let mut t = Timeline::new(e, s.state.clone(), false);
    t.handle(8 * HOUR, Event::PushStarted { target: wks3 });
    t.handle(8 * HOUR + 1800, Event::PushStarted { target: wks3 });
    run_until(&mut t, 10 * HOUR);
    let times: BTreeSet<(Time, u16)> = tries(&t, wks3).iter().map(|x| (x.0, x.1)).collect();
    // 08:00 round 1; started over at 08:30 (round 1), then 09:30 (round 2): no 09:00.
    assert_eq!(
        times,
        BTreeSet::from([(8 * HOUR, 1), (8 * HOUR + 1800, 1), (9 * HOUR + 1800, 2)])
    );
    // WKS1 installs at once; pushed again, it is tried again.
    t.handle(11 * HOUR, Event::PushStarted { target: wks1 });
    t.handle(12 * HOUR, Event::PushStarted { target: wks1 });
    assert_eq!(tries(&t, wks1).len(), 2);
    assert!(matches!(
        t.pushes().get(&wks1),
        Some(PushState::Installed { at, .. }) if *at == 12 * HOUR
    ));
}

#[test]
fn a_push_to_a_machine_that_is_no_target_is_refused_in_the_loader_s_words() {
    let s = fixture_scenario("push-ntlm-old-version");
    let e = &s.estate;
    let ss = found(e.machine_by_name("SS"), "SS");
    let mut t = Timeline::new(e, s.state.clone(), false);
    let refused = t.try_handle(8 * HOUR, Event::PushStarted { target: ss });
    let err = refused.err().unwrap_or_else(|| panic!("SS is no target"));
    assert_eq!(err.field, "target");
    let file =
        load_timeline_file(&root().join("fixtures/invalid-timelines/push-not-a-target.json"));
    let report = file.err().map(|f| f.to_string()).unwrap_or_default();
    assert!(
        report.contains(&err.message),
        "{report}\n---\n{}",
        err.message
    );
    assert!(t.log().is_empty() && t.pushes().is_empty());
    // An SMS 2.0 site pushes nothing: refused, in the words the loader uses.
    let demo = fixture_scenario("demo");
    let wks1 = found(demo.estate.machine_by_name("WKS1"), "WKS1");
    let mut t = Timeline::new(&demo.estate, demo.state.clone(), false);
    let err = t
        .try_handle(0, Event::PushStarted { target: wks1 })
        .err()
        .unwrap_or_else(|| panic!("no push at SMS 2.0"));
    assert!(err.message.contains("pushes no client"), "{}", err.message);
    // A sole target, pushed by hand: tried, and tried again an hour later.
    let manual = fixture_scenario("push-manual-dc");
    let dc1 = found(manual.estate.machine_by_name("DC1"), "DC1");
    let mut t = Timeline::new(&manual.estate, manual.state.clone(), false);
    assert!(t.try_handle(0, Event::PushStarted { target: dc1 }).is_ok());
    run_until(&mut t, HOUR);
    assert_eq!(tries(&t, dc1).len(), 4);
    // A target is taken.
    let wks3 = found(e.machine_by_name("WKS3"), "WKS3");
    let mut t = Timeline::new(e, s.state.clone(), false);
    assert!(t.try_handle(0, Event::PushStarted { target: wks3 }).is_ok());
    assert_eq!(tries(&t, wks3).len(), 3);
}

#[test]
fn a_time_may_name_its_day() {
    let text = r#"{"schema_version": 1, "scenario": "demo", "until": "2d 09:00",
        "events": [{"at": "1d 08:00:30", "event": {"log_off": {"client": "WKS1"}}}]}"#;
    let d = load_timeline(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.events[0].0, DAY + 8 * HOUR + 30);
    assert_eq!(d.until, 2 * DAY + 9 * HOUR);
    for bad in [
        "08:60",
        "08:00:60",
        "+1d 08:00",
        "3651d 08:00",
        "d 08:00",
        "1x 08:00",
        "1d 24:00",
        "-1d 08:00",
        "1d08:00",
        "1d  08:00",
    ] {
        let text = format!(
            r#"{{"schema_version": 1, "scenario": "demo", "events": [{{"at": "{bad}", "event": {{"log_off": {{"client": "WKS1"}}}}}}]}}"#
        );
        assert!(load_timeline(&text).is_err(), "{bad}");
    }
}

#[derive(Debug, Clone, Copy)]
struct Change {
    /// The half hour it happens at: hour `half` plus 30 minutes after the push starts.
    hour: u64,
    add: bool,
    second: bool,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// "CM-PUSH-RETRY": each round decides with WKS3's administrators of its hour: the
    /// first push account among them in the site's order installs; until one does, every
    /// account and then the computer account is tried; rounds are hourly, 169 at most.
    #[test]
    fn each_round_reads_the_administrators_of_its_hour(
        changes in prop::collection::vec(
            (0u64..200, any::<bool>(), any::<bool>())
                .prop_map(|(hour, add, second)| Change { hour, add, second }),
            0..8,
        )
    ) {
        let s = fixture_scenario("push-ntlm-old-version");
        let e = &s.estate;
        let wks3 = found(e.machine_by_name("WKS3"), "WKS3");
        let admins = found(e.account_by_name("WKS3\\Administrators"), "admins");
        let push = [
            found(e.account_by_name("CORP\\push1"), "push1"),
            found(e.account_by_name("CORP\\push2"), "push2"),
        ];
        let ss = found(e.account_by_name("CORP\\SS$"), "SS$");
        let mut changes = changes;
        changes.sort_by_key(|c| c.hour);
        let mut t = Timeline::new(e, s.state.clone(), false);
        t.handle(0, Event::PushStarted { target: wks3 });
        // The reference: the members at each half hour, as the changes leave them.
        let mut members: BTreeSet<AccountId> = BTreeSet::new();
        let mut at_hour: Vec<(u64, BTreeSet<AccountId>)> = Vec::new();
        for c in &changes {
            let account = push[usize::from(c.second)];
            let at = c.hour * HOUR + 1800;
            run_until(&mut t, at);
            let event = if c.add {
                Event::MemberAdded { group: admins, member: account }
            } else {
                Event::MemberRemoved { group: admins, member: account }
            };
            if t.try_handle(at, event).is_ok() {
                if c.add { members.insert(account); } else { members.remove(&account); }
                at_hour.push((c.hour, members.clone()));
            }
        }
        run_until(&mut t, 8 * DAY);
        let members_at = |round: u64| -> BTreeSet<AccountId> {
            at_hour
                .iter()
                .rev()
                .find(|(h, _)| *h < round)
                .map(|(_, m)| m.clone())
                .unwrap_or_default()
        };
        let mut expected = Vec::new();
        for round in 0..=u64::from(PUSH_RETRIES) {
            let m = members_at(round);
            let r = u16::try_from(round + 1).unwrap_or(0);
            let at = round * HOUR;
            match push.iter().position(|a| m.contains(a)) {
                Some(i) => {
                    for (j, &a) in push.iter().enumerate().take(i + 1) {
                        let o = if j == i { Outcome::Installs } else { Outcome::NotAdministrator };
                        expected.push((at, r, a, Protocol::Kerberos, o));
                    }
                    break;
                }
                None => {
                    for a in [push[0], push[1], ss] {
                        expected.push((at, r, a, Protocol::Kerberos, Outcome::NotAdministrator));
                    }
                }
            }
        }
        prop_assert_eq!(tries(&t, wks3), expected);
    }
}
