//! The seeded estate generator and the batch path: generated estates load without a
//! problem, the same seed gives the same estate, and the batch gives exactly the
//! decisions and traces of one resolution at a time.

use sms_client_accounts::Scenario;
use sms_client_accounts::engine::{Batch, batch_order, for_each_decision, resolve_all};
use sms_client_accounts::generate::{Spec, generate, generate_json};
use sms_client_accounts::model::{AdvertisementId, MachineId};

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
        // The batch order: every (advertisement, target) pair once, client by client,
        // each client's advertisements in id order.
        let order: Vec<(AdvertisementId, MachineId)> = batch_order(&s.estate).collect();
        let mut expected: Vec<(AdvertisementId, MachineId)> = singles
            .iter()
            .map(|r| (r.advertisement, r.client))
            .collect();
        expected.sort_by_key(|&(ad, client)| (client, ad));
        assert_eq!(order, expected);
        let by_pair: std::collections::HashMap<_, _> = singles
            .iter()
            .map(|r| ((r.advertisement, r.client), r))
            .collect();
        let mut batch = Batch::default();
        batch.fill(&s.estate, &s.state);
        assert_eq!(batch.len(), singles.len());
        assert_eq!(batch.iter().len(), singles.len());
        assert!(batch.get(batch.len()).is_none());
        for (i, e) in batch.iter().enumerate() {
            assert_eq!((e.advertisement, e.client), order[i]);
            let r = by_pair[&(e.advertisement, e.client)];
            assert_eq!(*e.decision, r.decision);
            assert_eq!(e.steps, r.trace.steps.as_slice());
            assert_eq!(batch.get(i), Some(e));
        }
        // The streaming form hands over the same decisions and steps in the same order.
        let mut i = 0;
        for_each_decision(&s.estate, &s.state, |ad, client, decision, steps| {
            let e = batch.get(i).unwrap();
            assert_eq!(
                (ad, client, decision),
                (e.advertisement, e.client, e.decision)
            );
            assert_eq!(steps, e.steps);
            i += 1;
        });
        assert_eq!(i, batch.len());
        // A reused batch gives the same again.
        let before = batch.clone();
        batch.fill(&s.estate, &s.state);
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
    serial.fill(&s.estate, &s.state);
    parallel.fill_parallel(&s.estate, &s.state);
    assert_eq!(serial, parallel);
}

#[test]
fn the_batch_order_holds_every_pair_once_on_every_fixture() {
    for path in crate::common::scenario_files() {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        let s = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{e}"));
        let mut expected: Vec<(MachineId, AdvertisementId)> = s
            .estate
            .advertisement_ids()
            .flat_map(|ad| {
                s.estate
                    .advertisement(ad)
                    .targets
                    .iter()
                    .map(move |&c| (c, ad))
            })
            .collect();
        expected.sort_unstable();
        let got: Vec<(MachineId, AdvertisementId)> =
            batch_order(&s.estate).map(|(ad, c)| (c, ad)).collect();
        assert_eq!(got, expected, "{}", path.display());
    }
}
