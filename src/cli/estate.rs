//! `estate`: an estate generated from a seed, each phase timed: generation, scenario
//! load, every decision with its typed trace (streamed; with the `parallel` feature,
//! also the parallel batch), exposure build and standing findings, transitive reach
//! from one client and the findings of transitive reach; one line a phase and the peak
//! resident memory. `-o FILE` also writes the estate as a scenario file.

use std::path::PathBuf;
use std::time::Instant;

use sms_client_accounts::Scenario;
#[cfg(feature = "parallel")]
use sms_client_accounts::engine::Batch;
use sms_client_accounts::engine::{Outcome, for_each_decision};
use sms_client_accounts::exposure::{DecisionDigest, Exposure, Reach, Start};
use sms_client_accounts::generate::{Spec, generate_json};

use super::{Done, Failure, Out};

/// `estate`'s arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// How many SMS clients.
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    clients: u64,
    /// How many advertisements, each to every client.
    #[arg(long, value_name = "M", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    ads: u64,
    /// The generator's seed.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Also write the generated scenario file to FILE (the timings go to standard
    /// output).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

/// A line of `/proc/self/status` (`VmHWM:` the peak resident memory, `VmRSS:` the
/// current), or `n/a` where there is none.
fn memory(key: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .map(|l| l.trim_start_matches(key).trim().to_string())
        })
        .unwrap_or_else(|| "n/a".to_string())
}

#[cfg(feature = "parallel")]
fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `estate`.
pub(crate) fn run(args: &Args, out: &mut Out) -> Done {
    let spec = Spec {
        clients: usize::try_from(args.clients).unwrap_or(usize::MAX),
        advertisements: usize::try_from(args.ads).unwrap_or(usize::MAX),
        seed: args.seed,
    };
    let t = Instant::now();
    let text = generate_json(spec);
    out.line(&format!(
        "generation: {} clients, {} advertisements, seed {}: {:.1} MB of JSON in {:.0} ms",
        spec.clients,
        spec.advertisements,
        spec.seed,
        text.len() as f64 / 1e6,
        t.elapsed().as_secs_f64() * 1e3
    ));
    if let Some(path) = &args.output {
        std::fs::write(path, &text)
            .map_err(|e| Failure::new(format!("cannot write `{}`: {e}", path.display())))?;
    }
    let size = text.len();
    let t = Instant::now();
    let scenario = Scenario::from_json(&text)
        .map_err(|e| Failure::new(format!("the generated estate does not load: {e}")))?;
    let load = t.elapsed().as_secs_f64();
    drop(text);
    out.line(&format!(
        "load: {:.0} ms ({:.0} MB/s); resident after load {} (peak so far {})",
        load * 1e3,
        size as f64 / 1e6 / load,
        memory("VmRSS:"),
        memory("VmHWM:")
    ));
    let (estate, state) = (&scenario.estate, &scenario.state);
    // Every decision with its typed trace, streamed through one reused step buffer: an
    // estate of a million clients has ten million decisions, too many to keep.
    let mut runs = 0usize;
    let mut steps = 0usize;
    let t = Instant::now();
    for_each_decision(estate, state, |_, _, decision, trace| {
        runs += usize::from(decision.outcome == Outcome::Run);
        steps += trace.len();
    });
    let d = t.elapsed().as_secs_f64();
    let n = estate
        .advertisements()
        .iter()
        .map(|a| a.targets.len())
        .sum::<usize>();
    out.line(&format!(
        "decisions: {n} with typed traces ({steps} steps, {runs} runs) in {:.0} ms: {:.1} million per second, {:.0} ns each",
        d * 1e3,
        n as f64 / d / 1e6,
        d * 1e9 / n as f64
    ));
    #[cfg(feature = "parallel")]
    parallel_decisions(estate, state, (d, runs, steps, n), out);
    // What the exposure analysis needs of the decisions (a second pass, untimed).
    let mut digest = DecisionDigest::default();
    for_each_decision(estate, state, |ad, client, decision, trace| {
        digest.add(estate, ad, client, decision, trace);
    });
    let t = Instant::now();
    let x = Exposure::from_digest(estate, state, &digest);
    let build = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let findings = x.standing_findings(estate);
    let f = t.elapsed().as_secs_f64();
    out.line(&format!(
        "exposure: {} nodes and {} edges built in {:.0} ms; {} standing findings in {:.0} ms; together {:.0} ms",
        x.node_count(),
        x.edge_count(),
        build * 1e3,
        findings.len(),
        f * 1e3,
        (build + f) * 1e3
    ));
    #[cfg(feature = "parallel")]
    {
        let t = Instant::now();
        let p = Exposure::from_digest_parallel(estate, state, &digest);
        let bp = t.elapsed().as_secs_f64();
        let same = p.edges().eq(x.edges()) && p.nodes().eq(x.nodes());
        drop(p);
        out.line(&format!(
            "exposure built on {} threads: {:.0} ms ({:.2}x the serial build); the same nodes and edges: {same}",
            rayon_threads(),
            bp * 1e3,
            build / bp
        ));
    }
    // Transitive reach from one client (the first NT client), and the findings of
    // transitive reach over every client.
    let first = estate
        .machine_ids()
        .find(|&m| estate.machine(m).sms_client && estate.machine(m).platform.is_nt());
    let t = Instant::now();
    let reached = first.map_or(0, |m| {
        x.compromised(Start::Client(m), Reach::Transitive).len()
    });
    let q = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let transitive = x.transitive_findings(estate);
    let tf = t.elapsed().as_secs_f64();
    out.line(&format!(
        "transitive: {reached} privileges from one client in {:.0} ms; {} findings of transitive reach (standing for {} clients) in {:.0} ms; together {:.0} ms",
        q * 1e3,
        transitive.len(),
        transitive
            .iter()
            .map(|f| f.objects.len().saturating_sub(2) + f.unlisted)
            .sum::<usize>(),
        tf * 1e3,
        (q + tf) * 1e3
    ));
    out.line(&format!("peak memory: {}", memory("VmHWM:")));
    Ok(0)
}

/// With the `parallel` feature: the decisions streamed on every core against the serial
/// stream (`serial`: its time, runs, steps and decision count), and kept in a batch.
#[cfg(feature = "parallel")]
fn parallel_decisions(
    estate: &sms_client_accounts::model::Estate,
    state: &sms_client_accounts::model::State,
    serial: (f64, usize, usize, usize),
    out: &mut Out,
) {
    let (d, runs, steps, n) = serial;
    use sms_client_accounts::engine::for_each_decision_parallel;
    let t = Instant::now();
    let parts = for_each_decision_parallel(
        estate,
        state,
        || (0usize, 0usize),
        |acc, _, _, decision, trace| {
            acc.0 += usize::from(decision.outcome == Outcome::Run);
            acc.1 += trace.len();
        },
    );
    let dp = t.elapsed().as_secs_f64();
    let (p_runs, p_steps) = parts.iter().fold((0, 0), |(r, s), &(a, b)| (r + a, s + b));
    out.line(&format!(
            "decisions streamed on {} threads: {:.0} ms ({:.2}x the serial stream); the same runs and steps: {}",
            rayon_threads(),
            dp * 1e3,
            d / dp,
            (p_runs, p_steps) == (runs, steps)
        ));
    if n <= 2_000_000 {
        // Both into fresh buffers: the batches keep every step of every decision.
        let mut serial = Batch::default();
        let t = Instant::now();
        serial.fill(estate, state);
        let ds = t.elapsed().as_secs_f64();
        let mut parallel = Batch::default();
        let t = Instant::now();
        parallel.fill_parallel(estate, state);
        let d = t.elapsed().as_secs_f64();
        out.line(&format!(
            "decisions kept in a batch: serial {:.0} ms, parallel on {} threads {:.0} ms; the same decisions and traces: {}",
            ds * 1e3,
            rayon_threads(),
            d * 1e3,
            parallel == serial
        ));
    }
}
