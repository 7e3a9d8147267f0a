//! The report of the generated estate: 10,000 clients and 10 advertisements (100,000
//! decisions, grouped by class), and the demo, from the loaded scenario to the page's
//! bytes. The issue asks for under 5 s and under 10 MB in release.
//!
//! ```text
//! cargo bench --bench report
//! ```

#![allow(
    clippy::panic,
    reason = "a bench whose generated estate does not load has nothing to measure"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use sms_client_accounts::Scenario;
use sms_client_accounts::generate::{Spec, generate_json};
use sms_client_accounts::report::scenario_report;

fn report(c: &mut Criterion) {
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    let demo = Scenario::from_json(sms_client_accounts::scenario::DEMO)
        .unwrap_or_else(|e| panic!("demo: {e}"));
    group.bench_function("demo", |b| b.iter(|| scenario_report(&demo, "demo")));
    let text = generate_json(Spec {
        clients: 10_000,
        advertisements: 10,
        seed: 1,
    });
    let large = Scenario::from_json(&text).unwrap_or_else(|e| panic!("generated: {e}"));
    let page = scenario_report(&large, "generated");
    assert!(page.len() < 10_000_000, "{} bytes", page.len());
    group.bench_function("10000 clients, 10 advertisements", |b| {
        b.iter(|| scenario_report(&large, "generated"))
    });
    group.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
