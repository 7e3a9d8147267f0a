//! The report in a real browser (feature `browser-tests`; `.ci/run` installs Debian's
//! `chromium`, or set CHROMIUM to a Chromium binary): headless Chromium renders the
//! report of the demo (SMS 2.0), of Configuration Manager fixtures and of a timeline.
//! From the DOM after the scripts ran (`--dump-dom`): every decision, finding and rule id
//! of the JSON outputs is on the page, and the script ran; from the browser's log: no
//! error; at 375 px wide (the page's root set to that width, as headless Chromium keeps
//! its window at least 500 px wide): nothing wider than the body; a screenshot (in
//! `target/browser-tests/`) that is not blank.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use sms_client_accounts::Scenario;
use sms_client_accounts::engine::resolve;
use sms_client_accounts::exposure::Exposure;
use sms_client_accounts::report::{scenario_report, timeline_report};
use sms_client_accounts::timeline::{load_timeline, load_timeline_file};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn out_dir() -> PathBuf {
    let dir = root().join("target/browser-tests");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into())
}

/// Runs headless Chromium on `page` with `args`: (stdout, stderr).
fn browse(page: &Path, args: &[&str]) -> (String, String) {
    let url = format!("file://{}", page.display());
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
        ])
        .args(args)
        .arg(&url)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{}`: {e}", chromium()));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn attribute(dom: &str, name: &str) -> i64 {
    let key = format!("{name}=\"");
    let at = dom
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} on the page"));
    let rest = &dom[at + key.len()..];
    rest[..rest.find('"').unwrap()].parse().unwrap()
}

/// The page's console errors in the browser's log.
fn console_errors(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .filter(|l| l.contains("Error") || l.contains("Uncaught") || l.contains(":ERROR:"))
        .collect()
}

/// Every check of one page: the ids on it, the script, the log, the width, the picture.
fn check(name: &str, html: &str, ids: &[String]) {
    let dir = out_dir();
    let page = dir.join(format!("{name}.html"));
    std::fs::write(&page, html).unwrap();
    let (dom, log) = browse(&page, &["--window-size=1280,900", "--dump-dom"]);
    assert!(
        dom.contains("data-script=\"ran\""),
        "{name}: the script did not run"
    );
    for id in ids {
        let escaped = id
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(dom.contains(&escaped), "{name}: `{id}` is not on the page");
    }
    let errors = console_errors(&log);
    assert!(
        errors.is_empty(),
        "{name}: the page logged errors: {errors:?}"
    );
    // 375 px wide.
    let narrow = dir.join(format!("{name}-375.html"));
    std::fs::write(
        &narrow,
        html.replacen("<head>", "<head><style>html{width:375px}</style>", 1)
            .replacen(
                "</body>",
                "<script>document.body.setAttribute('data-body-scroll-width', String(document.body.scrollWidth));document.body.setAttribute('data-body-width', String(document.body.clientWidth));</script></body>",
                1,
            ),
    )
    .unwrap();
    let (dom, _) = browse(&narrow, &["--window-size=500,900", "--dump-dom"]);
    let (scroll, width) = (
        attribute(&dom, "data-body-scroll-width"),
        attribute(&dom, "data-body-width"),
    );
    assert!(
        scroll <= width,
        "{name}: at 375 px the body scrolls sideways ({scroll} > {width})"
    );
    // A screenshot that is not blank.
    let shot = dir.join(format!("{name}.png"));
    let _ = std::fs::remove_file(&shot);
    browse(
        &page,
        &[
            "--window-size=1280,1600",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    let file = std::fs::File::open(&shot).unwrap_or_else(|e| panic!("{name}: no screenshot: {e}"));
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let channels = info.color_type.samples();
    let first = &bytes[..channels];
    let differing = bytes.chunks(channels).filter(|p| p != &first).count();
    let pixels = bytes.len() / channels;
    assert!(
        differing * 100 > pixels,
        "{name}: the screenshot is blank ({differing} of {pixels} pixels differ from the first)"
    );
}

/// The ids of a scenario's JSON outputs: each decision's advertisement and client, every
/// rule of its trace, each finding's kind and rule.
fn scenario_ids(s: &Scenario) -> Vec<String> {
    let e = &s.estate;
    let mut ids = Vec::new();
    for ad in e.advertisement_ids() {
        for &client in &e.advertisement(ad).targets {
            let r = resolve(e, &s.state, ad, client);
            ids.push(format!(
                "id=\"d-{}-{}\"",
                e.advertisement(ad).name,
                e.machine(client).name
            ));
            ids.extend(r.trace.steps.iter().map(|st| format!("#rule-{}", st.rule)));
        }
    }
    let x = Exposure::build(e, &s.state);
    for f in x.findings(e) {
        ids.push(f.kind.to_string());
        ids.push(format!("#rule-{}", f.rule));
    }
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn the_demo_s_report_renders_in_chromium_with_every_decision_finding_and_rule() {
    let s = Scenario::from_json(sms_client_accounts::scenario::DEMO).unwrap();
    let html = scenario_report(&s, "Scenario built-in demo");
    check("demo", &html, &scenario_ids(&s));
    // The README's figure: under 1 MB.
    assert!(html.len() < 1_000_000, "{} bytes", html.len());
}

#[test]
fn configuration_manager_reports_render_in_chromium() {
    for name in ["push-ntlm-bug-2107", "pxe-no-password", "ts-all-systems"] {
        let text = std::fs::read_to_string(root().join(format!("fixtures/scenarios/{name}.json")))
            .unwrap();
        let s = Scenario::from_json(&text).unwrap();
        let html = scenario_report(&s, name);
        let mut ids = scenario_ids(&s);
        if s.estate.site().configmgr.client_push.is_some() {
            for d in sms_client_accounts::engine::push::push_all(&s.estate, &s.state) {
                ids.push(format!("id=\"push-{}\"", s.estate.machine(d.target).name));
            }
        }
        check(name, &html, &ids);
    }
}

#[test]
fn a_timeline_s_report_renders_in_chromium_with_its_log() {
    let day = load_timeline(sms_client_accounts::timeline::DEMO_DAY).unwrap();
    let html = timeline_report(&day, "Timeline built-in day");
    let t = day.replay();
    let mut ids: Vec<String> = t
        .log()
        .iter()
        .filter_map(|l| l.rule.map(|r| format!("#rule-{r}")))
        .collect();
    ids.push("Grant windows".into());
    ids.sort();
    ids.dedup();
    check("demo-day", &html, &ids);
    let push = load_timeline_file(&root().join("fixtures/timelines/push-retries.json")).unwrap();
    let html = timeline_report(&push, "push-retries");
    check("push-retries", &html, &["#rule-CM-PUSH-RETRY".to_string()]);
}

#[test]
fn the_browser_checks_catch_a_broken_page() {
    // The checks are not vacuous: a script error is in the log, a wide block scrolls.
    let dir = out_dir();
    let page = dir.join("broken.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><style>html{width:375px}</style></head><body><div style=\"width:2000px\">wide</div><script>document.body.setAttribute('data-body-scroll-width', String(document.body.scrollWidth));document.body.setAttribute('data-body-width', String(document.body.clientWidth));throw new Error('broken on purpose');</script></body></html>",
    )
    .unwrap();
    let (dom, log) = browse(&page, &["--window-size=500,900", "--dump-dom"]);
    assert!(!console_errors(&log).is_empty(), "{log}");
    assert!(attribute(&dom, "data-body-scroll-width") > attribute(&dom, "data-body-width"));
}
