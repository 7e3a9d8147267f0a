//! The seeded estate generator and the batch path: generated estates load without a
//! problem, the same seed gives the same estate, and the batch gives exactly the
//! decisions and traces of one resolution at a time.

use sms_client_accounts::Scenario;
use sms_client_accounts::engine::{Batch, resolve_all};
use sms_client_accounts::generate::{Spec, generate, generate_json};

fn load(spec: Spec) -> Scenario {
    let raw = generate(spec).unwrap_or_else(|e| panic!("{e}"));
    Scenario::from_raw(&raw).unwrap_or_else(|e| panic!("a generated estate must load: {e}"))
}

#[test]
fn the_same_seed_gives_the_same_estate_and_another_seed_another() {
    let spec = Spec {
        clients: 600,
        advertisements: 6,
        seed: 42,
    };
    assert_eq!(
        generate_json(spec).to_string(),
        generate_json(spec).to_string()
    );
    assert_ne!(
        generate_json(spec).to_string(),
        generate_json(Spec { seed: 43, ..spec }).to_string()
    );
    let a = load(spec);
    assert_eq!(a.estate, load(spec).estate);
    assert!(a.estate.domains().len() >= 2, "several domains with trusts");
    assert!(a.state.trust_pairs().count() >= 1);
    let platforms: std::collections::BTreeSet<_> =
        a.estate.machines().iter().map(|m| m.platform).collect();
    assert_eq!(platforms.len(), 6, "every platform appears: {platforms:?}");
}

#[test]
fn the_batch_gives_the_decisions_and_traces_of_single_resolutions() {
    for seed in 0..4 {
        let s = load(Spec {
            clients: 300,
            advertisements: 6,
            seed,
        });
        let singles = resolve_all(&s.estate, &s.state);
        let mut batch = Batch::default();
        batch.resolve_all(&s.estate, &s.state);
        assert_eq!(batch.decisions.len(), singles.len());
        for (i, r) in singles.iter().enumerate() {
            let (ad, client, decision, _) = batch.decisions[i];
            assert_eq!(
                (ad, client, decision),
                (r.advertisement, r.client, r.decision)
            );
            assert_eq!(batch.steps_of(i), r.trace.steps.as_slice());
        }
        // A reused batch gives the same again.
        let before = batch.clone();
        batch.resolve_all(&s.estate, &s.state);
        assert_eq!(batch, before);
    }
}

#[test]
fn steps_and_decisions_stay_small() {
    // The batch keeps every step of every decision: their size is its memory.
    assert!(
        std::mem::size_of::<sms_client_accounts::trace::Step>() <= 40,
        "{}",
        std::mem::size_of::<sms_client_accounts::trace::Step>()
    );
    eprintln!(
        "Step {} bytes, Decision {} bytes",
        std::mem::size_of::<sms_client_accounts::trace::Step>(),
        std::mem::size_of::<sms_client_accounts::engine::Decision>()
    );
}

#[cfg(feature = "parallel")]
#[test]
fn the_parallel_batch_is_the_serial_batch() {
    let s = load(Spec {
        clients: 5_000,
        advertisements: 6,
        seed: 9,
    });
    let (mut serial, mut parallel) = (Batch::default(), Batch::default());
    serial.resolve_all(&s.estate, &s.state);
    parallel.resolve_all_parallel(&s.estate, &s.state);
    assert_eq!(serial, parallel);
}
