//! The import of a ConfigManBearPig collection at field scale: a generated collection of
//! 100,000 nodes (`generate::cmbp_collection`), read, checked, made into a scenario and
//! loaded, as `import cmbp` does after reading the files. The issue asks for under 5 s in
//! release.
//!
//! ```text
//! cargo bench --bench import
//! ```

#![allow(
    clippy::panic,
    reason = "a bench whose collection does not import has nothing to measure"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use sms_client_accounts::generate::cmbp_collection;
use sms_client_accounts::import::{Options, cmbp};

fn import(c: &mut Criterion) {
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    for nodes in [10_000, 100_000] {
        let sources = cmbp_collection(nodes, 1);
        let options = Options {
            naa: vec!["all".into()],
            ..Options::default()
        };
        if let Err(e) = cmbp(&sources, &[], &options) {
            panic!("generated collection: {e}");
        }
        group.bench_function(format!("cmbp {nodes} nodes"), |b| {
            b.iter(|| cmbp(&sources, &[], &options))
        });
    }
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
