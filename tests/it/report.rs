//! The report (`report`, `report::scenario_report`, `report::timeline_report`): one
//! self-contained page, the same bytes from the same input, nothing fetched, every
//! decision and finding on it, rule ids linked to the index, a large estate grouped.
//! The same pages in a real browser: tests/browser.rs (feature `browser-tests`).

use sms_client_accounts::Scenario;
use sms_client_accounts::exposure::Exposure;
use sms_client_accounts::report::{GROUP_ABOVE, scenario_report, timeline_report};
use sms_client_accounts::rules::CATALOG;
use sms_client_accounts::timeline::{DEMO_DAY, load_timeline, load_timeline_file};

use crate::common::*;

/// Nothing on the page is fetched: no `src` attribute, no link or import to a server.
fn self_contained(html: &str) {
    assert!(!html.contains(" src="), "an element loads something");
    assert!(!html.contains("href=\"http"), "a link leaves the page");
    assert!(
        !html.contains("@import") && !html.contains("url("),
        "the style fetches"
    );
    // The only URL: the SVG namespace, which is a name, not a request.
    let urls = html.matches("http://").count() + html.matches("https://").count();
    let names = html.matches("http://www.w3.org/2000/svg").count();
    assert_eq!(urls, names);
}

#[test]
fn the_demo_s_page_is_self_contained_deterministic_and_complete() {
    let s = Scenario::from_json(sms_client_accounts::scenario::DEMO).unwrap();
    let html = scenario_report(&s, "demo");
    assert_eq!(html, scenario_report(&s, "demo"), "same input, same bytes");
    self_contained(&html);
    assert!(html.len() < 1_000_000);
    let e = &s.estate;
    for ad in e.advertisement_ids() {
        for &client in &e.advertisement(ad).targets {
            let id = format!(
                "id=\"d-{}-{}\"",
                e.advertisement(ad).name,
                e.machine(client).name
            );
            assert!(html.contains(&id), "{id}");
        }
    }
    let x = Exposure::build(e, &s.state);
    let findings = x.findings(e);
    assert_eq!(html.matches("class=\"finding\"").count(), findings.len());
    // Every rule link lands on an entry of the index, and the index has every rule.
    for rule in CATALOG {
        assert!(
            html.contains(&format!("id=\"rule-{}\"", rule.id)),
            "{}",
            rule.id
        );
    }
    for (i, _) in html.match_indices("href=\"#rule-") {
        let id = &html[i + 12..];
        let id = &id[..id.find('"').unwrap()];
        assert!(html.contains(&format!("id=\"rule-{id}\"")), "{id}");
    }
    // Decisions that do not run as the user carry their why-not candidates.
    assert!(html.contains("why not, ranked:"));
}

#[test]
fn a_large_estate_is_grouped_by_decision_class() {
    let s = generated(GROUP_ABOVE + 100, 1);
    let html = scenario_report(&s, "large");
    self_contained(&html);
    let groups = html.matches("class=\"decision\"").count();
    assert!(groups < GROUP_ABOVE, "{groups} groups");
    assert!(html.contains("decision class(es) by advertisement"));
    assert!(html.contains("more"), "a class's clients are collapsed");
}

#[test]
fn a_push_site_and_a_timeline_have_their_sections() {
    let text =
        std::fs::read_to_string(root().join("fixtures/scenarios/push-ntlm-bug-2107.json")).unwrap();
    let s = Scenario::from_json(&text).unwrap();
    let html = scenario_report(&s, "push");
    self_contained(&html);
    assert!(html.contains("id=\"push\""));
    assert!(html.contains("id=\"push-FARWKS\""));
    let day = load_timeline(DEMO_DAY).unwrap();
    let html = timeline_report(&day, "day");
    self_contained(&html);
    assert_eq!(html, timeline_report(&day, "day"));
    assert!(html.contains("Grant windows"));
    // The demo day's grants, its lockout (11:06 to 11:36) and SMS1's outage (09:00 to
    // 09:25) are drawn; the end state's findings and graph follow.
    assert_eq!(html.matches("class=\"bar grant\"").count(), 3);
    assert_eq!(html.matches("class=\"bar lockout\"").count(), 1);
    assert_eq!(html.matches("class=\"bar outage\"").count(), 1);
    assert!(html.contains("CORP\\SMSClient_ABC locked out from 11:06:00 to 11:36:00"));
    assert!(html.contains("SMS1 not answering from 09:00:00 to 09:25:00"));
    assert!(html.contains("Findings at the end of the day"));
    assert!(html.contains("id=\"graph\""));
    let push = load_timeline_file(&root().join("fixtures/timelines/push-retries.json")).unwrap();
    let html = timeline_report(&push, "push-retries");
    assert!(html.contains("No grant was in force during the day."));
    assert!(html.contains("href=\"#rule-CM-PUSH-RETRY\""));
}
