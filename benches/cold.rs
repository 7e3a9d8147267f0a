//! The cold path: one question each of many small estates, asked in an order the engine
//! does not choose. A pinned sample of the decision table (30,000 rows chosen with seed
//! 1, rows whose estates are equal sharing one, each row with its own state) resolved
//! through `resolve()` with the trace kept, in a shuffled order (seed 2) and in table
//! order. Criterion reports time a decision (throughput in decisions); the setup prints
//! the row count, the distinct estates and the working set.
//!
//! ```text
//! cargo bench --bench cold
//! ```

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use sms_client_accounts::engine::{Resolution, resolve};
use sms_client_accounts::table::Sample;

/// The sample's size and seeds: fixed, so that anyone measures the same workload.
const ROWS: usize = 30_000;
const SAMPLE_SEED: u64 = 1;
const ORDER_SEED: u64 = 2;

/// Resident memory of this process in bytes (Linux), for the working set.
fn resident() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn cold(c: &mut Criterion) {
    let before = resident();
    let sample = Sample::new(ROWS, SAMPLE_SEED);
    let after = resident();
    let shuffled = sample.shuffled(ORDER_SEED);
    let in_order: Vec<usize> = (0..sample.rows.len()).collect();
    let resolve_all = |order: &[usize]| -> Vec<Resolution> {
        let mut out = Vec::with_capacity(order.len());
        for &i in order {
            let row = &sample.rows[i];
            let estate = &sample.estates[row.estate as usize];
            out.push(resolve(estate, &row.state, row.advertisement, row.client));
        }
        out
    };
    let kept = resolve_all(&in_order);
    let steps: usize = kept.iter().map(|r| r.trace.steps.len()).sum();
    let trace_bytes: usize = kept
        .iter()
        .map(|r| r.trace.steps.capacity() * size_of::<sms_client_accounts::trace::Step>())
        .sum();
    let output = kept.len() * size_of::<Resolution>() + trace_bytes;
    drop(kept);
    eprintln!(
        "cold sample: {} rows, {} distinct estates, {:.1} steps a decision; working set: \
         {} bytes resident for the estates and states, {} bytes of resolutions and traces kept",
        sample.rows.len(),
        sample.estates.len(),
        steps as f64 / sample.rows.len().max(1) as f64,
        match (before, after) {
            (Some(b), Some(a)) => a.saturating_sub(b).to_string(),
            _ => "unknown".to_string(),
        },
        output,
    );
    let mut group = c.benchmark_group("cold");
    group.throughput(Throughput::Elements(sample.rows.len() as u64));
    group.bench_function("shuffled", |b| {
        b.iter_batched(|| (), |()| resolve_all(&shuffled), BatchSize::PerIteration)
    });
    // The same shuffled questions, each resolution read (its steps counted) and dropped
    // before the next: the allocator reuses one block, as a tool asking one question at
    // a time finds it.
    group.bench_function("shuffled_consumed", |b| {
        b.iter(|| {
            let mut steps = 0usize;
            for &i in &shuffled {
                let row = &sample.rows[i];
                let estate = &sample.estates[row.estate as usize];
                steps += resolve(estate, &row.state, row.advertisement, row.client)
                    .trace
                    .steps
                    .len();
            }
            steps
        })
    });
    group.bench_function("table_order", |b| {
        b.iter_batched(|| (), |()| resolve_all(&in_order), BatchSize::PerIteration)
    });
    group.finish();
}

criterion_group!(benches, cold);
criterion_main!(benches);
