//! Generates an estate from a seed and times each phase: generation, scenario load,
//! every decision with its typed trace (streamed; with `--features parallel`, also the
//! parallel batch), exposure build and standing findings, transitive reach from one
//! client and the findings of transitive reach; prints one line a phase and the peak
//! resident memory. `--out FILE` writes the estate as a scenario file.
//!
//! ```text
//! cargo run --release --example estate -- --clients 100000 --seed 1
//! cargo run --release --example estate -- --clients 1000 --seed 7 --out estate.json
//! ```
//!
//! Exit codes: 0 done, 1 an estate that could not be written or loaded, 2 a usage error.

use std::process::ExitCode;
use std::time::Instant;

use sms_client_accounts::Scenario;
#[cfg(feature = "parallel")]
use sms_client_accounts::engine::Batch;
use sms_client_accounts::engine::{Outcome, for_each_decision};
use sms_client_accounts::exposure::{DecisionDigest, Exposure, Reach, Start};
use sms_client_accounts::generate::{Spec, generate_json};

mod cli;
use cli::{outln, valued};

const USAGE: &str = "usage: estate [--clients N] [--ads M] [--seed S] [--out FILE]";

const HELP: &str = "Generates an estate (10,000 clients and 10 advertisements by default) and times
every phase: generation, load, decisions, exposure build and findings.
  --clients N   how many SMS clients
  --ads M       how many advertisements, each to every client
  --seed S      the generator's seed
  --out FILE    also write the generated scenario file there";

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

fn main() -> ExitCode {
    let mut spec = Spec {
        clients: 10_000,
        advertisements: 10,
        seed: 1,
    };
    let opts = [
        valued("--clients", "number"),
        valued("--ads", "number"),
        valued("--seed", "number"),
        valued("--out", "file"),
    ];
    let args = match cli::parse(USAGE, HELP, &opts, 0) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let out = args.value("--out").map(String::from);
    for arg in ["--clients", "--ads", "--seed"] {
        let Some(value) = args.value(arg) else {
            continue;
        };
        match (arg, value.parse::<u64>()) {
            ("--clients", Ok(n)) if n > 0 => spec.clients = n as usize,
            ("--ads", Ok(n)) if n > 0 => spec.advertisements = n as usize,
            ("--seed", Ok(n)) => spec.seed = n,
            _ => {
                return cli::usage_error(
                    USAGE,
                    &format!("`{arg}` takes a positive whole number, not `{value}`"),
                );
            }
        }
    }
    let t = Instant::now();
    let text = generate_json(spec);
    outln!(
        "generation: {} clients, {} advertisements, seed {}: {:.1} MB of JSON in {:.0} ms",
        spec.clients,
        spec.advertisements,
        spec.seed,
        text.len() as f64 / 1e6,
        t.elapsed().as_secs_f64() * 1e3
    );
    if let Some(path) = &out
        && let Err(e) = std::fs::write(path, &text)
    {
        eprintln!("error: cannot write `{path}`: {e}");
        return ExitCode::from(1);
    }
    let size = text.len();
    let t = Instant::now();
    let scenario = match Scenario::from_json(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: the generated estate does not load: {e}");
            return ExitCode::from(1);
        }
    };
    let load = t.elapsed().as_secs_f64();
    drop(text);
    outln!(
        "load: {:.0} ms ({:.0} MB/s); resident after load {} (peak so far {})",
        load * 1e3,
        size as f64 / 1e6 / load,
        memory("VmRSS:"),
        memory("VmHWM:")
    );
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
    outln!(
        "decisions: {n} with typed traces ({steps} steps, {runs} runs) in {:.0} ms: {:.1} million per second, {:.0} ns each",
        d * 1e3,
        n as f64 / d / 1e6,
        d * 1e9 / n as f64
    );
    #[cfg(feature = "parallel")]
    {
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
        outln!(
            "decisions streamed on {} threads: {:.0} ms ({:.2}x the serial stream); the same runs and steps: {}",
            rayon_threads(),
            dp * 1e3,
            d / dp,
            (p_runs, p_steps) == (runs, steps)
        );
    }
    #[cfg(feature = "parallel")]
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
        outln!(
            "decisions kept in a batch: serial {:.0} ms, parallel on {} threads {:.0} ms; the same decisions and traces: {}",
            ds * 1e3,
            rayon_threads(),
            d * 1e3,
            parallel == serial
        );
    }
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
    outln!(
        "exposure: {} nodes and {} edges built in {:.0} ms; {} standing findings in {:.0} ms; together {:.0} ms",
        x.node_count(),
        x.edge_count(),
        build * 1e3,
        findings.len(),
        f * 1e3,
        (build + f) * 1e3
    );
    #[cfg(feature = "parallel")]
    {
        let t = Instant::now();
        let p = Exposure::from_digest_parallel(estate, state, &digest);
        let bp = t.elapsed().as_secs_f64();
        let same = p.edges().eq(x.edges()) && p.nodes().eq(x.nodes());
        drop(p);
        outln!(
            "exposure built on {} threads: {:.0} ms ({:.2}x the serial build); the same nodes and edges: {same}",
            rayon_threads(),
            bp * 1e3,
            build / bp
        );
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
    outln!(
        "transitive: {reached} privileges from one client in {:.0} ms; {} findings of transitive reach (standing for {} clients) in {:.0} ms; together {:.0} ms",
        q * 1e3,
        transitive.len(),
        transitive
            .iter()
            .map(|f| f.objects.len().saturating_sub(2) + f.unlisted)
            .sum::<usize>(),
        tf * 1e3,
        (q + tf) * 1e3
    );
    outln!("peak memory: {}", memory("VmHWM:"));
    ExitCode::SUCCESS
}
