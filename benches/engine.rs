//! Criterion benches at estate scale: one decision with its typed trace, one with text
//! rendering, the batch at 1k, 10k and 100k clients, every decision streamed at 100k and
//! 1M clients, exposure build and standing findings, and transitive reach from one
//! client with the findings of transitive reach, at 10k, 100k and 1M clients, and
//! scenario load per MB. With `--features parallel`, the streamed decisions and the
//! exposure build on every core beside the serial ones. The estates come from the seeded
//! generator; their generation and loading are outside the timed parts.
//!
//! ```text
//! cargo bench --bench engine
//! cargo bench --features parallel --bench engine -- 'parallel'
//! ```

#![allow(
    clippy::panic,
    reason = "a bench whose estate does not load has nothing to measure"
)]

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sms_client_accounts::Scenario;
use sms_client_accounts::engine::{Batch, for_each_decision, resolve, resolve_into};
use sms_client_accounts::exposure::{DecisionDigest, Exposure, Reach, Start};
use sms_client_accounts::generate::{Spec, generate_json};
use sms_client_accounts::render::render_text;
use sms_client_accounts::scenario::DEMO;

fn estate(clients: usize) -> Scenario {
    let text = generate_json(Spec {
        clients,
        advertisements: 10,
        seed: 1,
    });
    match Scenario::from_json(&text) {
        Ok(s) => s,
        Err(e) => panic!("generated estate: {e}"),
    }
}

fn one_decision(c: &mut Criterion) {
    let Ok(s) = Scenario::from_json(DEMO) else {
        return;
    };
    let e = &s.estate;
    // The demo's service-context run on WKS1: every NAL step up to a connection account.
    let (Some(ad), Some(client)) = (
        e.advertisement_by_name("ABC20002"),
        e.machine_by_name("WKS1"),
    ) else {
        return;
    };
    let mut steps = Vec::with_capacity(32);
    c.bench_function("decision/typed_trace", |b| {
        b.iter(|| resolve_into(e, &s.state, ad, client, &mut steps))
    });
    c.bench_function("decision/text_rendering", |b| {
        b.iter(|| render_text(e, &resolve(e, &s.state, ad, client)))
    });
}

fn batch(c: &mut Criterion) {
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    for clients in [1_000, 10_000, 100_000] {
        let s = estate(clients);
        let mut batch = Batch::default();
        batch.fill(&s.estate, &s.state);
        group.throughput(Throughput::Elements(batch.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(clients), &s, |b, s| {
            b.iter(|| batch.fill(&s.estate, &s.state))
        });
    }
    group.finish();
}

fn exposure(c: &mut Criterion) {
    for clients in [10_000, 100_000, 1_000_000] {
        let s = estate(clients);
        let (e, st) = (&s.estate, &s.state);
        // Every decision with its typed trace, streamed through one buffer: the form
        // that scales to estates whose decisions do not fit in memory.
        if clients >= 100_000 {
            let mut group = c.benchmark_group("decisions_streamed");
            group.sample_size(10);
            let n: usize = e.advertisements().iter().map(|a| a.targets.len()).sum();
            group.throughput(Throughput::Elements(n as u64));
            group.bench_function(BenchmarkId::from_parameter(clients), |b| {
                b.iter(|| {
                    let mut steps = 0usize;
                    for_each_decision(e, st, |_, _, _, trace| steps += trace.len());
                    steps
                })
            });
            // The same on every core (feature `parallel`).
            #[cfg(feature = "parallel")]
            group.bench_function(BenchmarkId::new("parallel", clients), |b| {
                b.iter(|| {
                    sms_client_accounts::engine::for_each_decision_parallel(
                        e,
                        st,
                        || 0usize,
                        |steps, _, _, _, trace| *steps += trace.len(),
                    )
                    .iter()
                    .sum::<usize>()
                })
            });
            group.finish();
        }
        // The graph is built from the decisions' digest, made once outside the timing.
        let mut digest = DecisionDigest::default();
        for_each_decision(e, st, |ad, client, decision, steps| {
            digest.add(e, ad, client, decision, steps);
        });
        // Rebuilt into the same graph's buffers each time: the bench measures the build,
        // not the allocator's first touch of fresh pages.
        let mut rebuilt = Exposure::from_digest(e, st, &digest);
        let mut group = c.benchmark_group("exposure_build_and_findings");
        group.sample_size(10);
        group.bench_function(BenchmarkId::from_parameter(clients), |b| {
            b.iter(|| {
                rebuilt.rebuild(e, st, &digest);
                rebuilt.standing_findings(e).len()
            })
        });
        group.finish();
        #[cfg(feature = "parallel")]
        {
            let mut group = c.benchmark_group("exposure_build_parallel");
            group.sample_size(10);
            group.bench_function(BenchmarkId::from_parameter(clients), |b| {
                b.iter(|| {
                    rebuilt.rebuild_parallel(e, st, &digest);
                    rebuilt.edge_count()
                })
            });
            group.bench_function(BenchmarkId::new("serial", clients), |b| {
                b.iter(|| {
                    rebuilt.rebuild(e, st, &digest);
                    rebuilt.edge_count()
                })
            });
            group.finish();
        }
        drop(rebuilt);
        // Transitive reach from one client, and the findings of transitive reach, on
        // the graph built once (issue 14's budget: 2 s together at 1M).
        let x = Exposure::from_digest(e, st, &digest);
        let first = e
            .machine_ids()
            .find(|&m| e.machine(m).sms_client && e.machine(m).platform.is_nt());
        let Some(first) = first else {
            continue;
        };
        let mut group = c.benchmark_group("transitive_reach_and_findings");
        group.sample_size(10);
        group.bench_function(BenchmarkId::from_parameter(clients), |b| {
            b.iter(|| {
                let reached = x.compromised(Start::Client(first), Reach::Transitive).len();
                reached + x.transitive_findings(e).len()
            })
        });
        group.finish();
    }
}

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("scenario_load");
    group.sample_size(10);
    let text = generate_json(Spec {
        clients: 10_000,
        advertisements: 10,
        seed: 1,
    });
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("10k_clients", |b| {
        b.iter_batched(
            || text.clone(),
            |t| Scenario::from_json(&t).is_ok(),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, one_decision, batch, exposure, load);
criterion_main!(benches);
