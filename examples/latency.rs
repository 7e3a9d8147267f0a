//! The memory latency of this machine: a dependent load chain through a random cycle of
//! cache lines in arrays of 1 MB to 256 MB, one line a load, and the time a load. The
//! cold-path bench (`benches/cold.rs`) asks one question each of 30,000 states in a
//! working set of about 15 MB; this is the floor each of its dependent cache misses
//! stands on.
//!
//! ```text
//! cargo run --release --example latency
//! ```

use std::time::Instant;

fn main() {
    if std::env::args().skip(1).any(|a| a == "--help" || a == "-h") {
        println!(
            "usage: latency\n\nPrints this machine's memory latency: a dependent load in arrays of 1 MB to\n256 MB. Build it with --release; it takes no argument."
        );
        return;
    }
    for mb in [1usize, 2, 4, 16, 64, 256] {
        let lines = mb * 1024 * 1024 / 64;
        // A random cyclic order of the lines (xorshift, fixed seed), one u32 a line read.
        let mut order: Vec<usize> = (0..lines).collect();
        let mut x: u64 = 88_172_645_463_325_252;
        for i in (1..lines).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            order.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let mut next = vec![0u32; lines * 16];
        for k in 0..lines {
            next[order[k] * 16] = order[(k + 1) % lines] as u32;
        }
        let (mut at, loads) = (0usize, 4_000_000);
        let t = Instant::now();
        for _ in 0..loads {
            at = next[at * 16] as usize;
        }
        let ns = t.elapsed().as_nanos() as f64 / f64::from(loads);
        println!("{mb:>4} MB: {ns:6.1} ns a dependent load (ended at line {at})");
    }
}
