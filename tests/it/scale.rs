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

/// Every decision of a scenario streamed, as (advertisement, client, decision, steps).
#[cfg(feature = "parallel")]
type Streamed = Vec<(
    AdvertisementId,
    MachineId,
    sms_client_accounts::engine::Decision,
    Vec<sms_client_accounts::trace::Step>,
)>;

/// Generated estates of the given (clients, advertisements, seed), then every fixture.
fn generated_and_fixtures(specs: &[(usize, usize, u64)]) -> Vec<Scenario> {
    let mut scenarios: Vec<Scenario> = specs
        .iter()
        .map(|&(clients, advertisements, seed)| {
            load(Spec {
                clients,
                advertisements,
                seed,
            })
        })
        .collect();
    for path in crate::common::scenario_files() {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        scenarios.push(Scenario::from_json(&text).unwrap_or_else(|e| panic!("{e}")));
    }
    scenarios
}

#[cfg(feature = "parallel")]
#[test]
fn the_parallel_stream_is_the_serial_stream_on_generated_estates_and_every_fixture() {
    use sms_client_accounts::engine::for_each_decision_parallel;
    let scenarios = generated_and_fixtures(&[(5_000, 6, 9), (3, 2, 1), (1, 1, 4)]);
    for s in &scenarios {
        let (e, st) = (&s.estate, &s.state);
        let mut serial: Streamed = Vec::new();
        for_each_decision(e, st, |ad, client, d, steps| {
            serial.push((ad, client, *d, steps.to_vec()))
        });
        let parts =
            for_each_decision_parallel(e, st, Streamed::new, |acc, ad, client, d, steps| {
                acc.push((ad, client, *d, steps.to_vec()))
            });
        assert!(
            parts.len() > 1 || e.machines().len() <= 1,
            "the clients are cut into ranges"
        );
        let parallel: Streamed = parts.into_iter().flatten().collect();
        assert_eq!(serial, parallel);
    }
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

/// The graph, its order of nodes and edges, and its findings, as one comparable value.
fn graph(
    x: &sms_client_accounts::exposure::Exposure,
    e: &sms_client_accounts::model::Estate,
) -> (
    Vec<sms_client_accounts::exposure::Node>,
    Vec<sms_client_accounts::exposure::Edge>,
    Vec<sms_client_accounts::exposure::Finding>,
) {
    (x.nodes().collect(), x.edges().collect(), x.findings(e))
}

#[test]
fn an_exposure_rebuilt_into_another_ones_buffers_is_the_one_built_afresh() {
    use sms_client_accounts::exposure::{DecisionDigest, Exposure};
    let scenarios = generated_and_fixtures(&[(2_000, 4, 3)]);
    let digest = |s: &Scenario| {
        let mut d = DecisionDigest::default();
        for_each_decision(&s.estate, &s.state, |ad, client, decision, steps| {
            d.add(&s.estate, ad, client, decision, steps)
        });
        d
    };
    // One graph rebuilt from each scenario in turn: the largest first, so that the
    // buffers every later one is built in are longer than it needs.
    let mut reused = Exposure::from_digest(
        &scenarios[0].estate,
        &scenarios[0].state,
        &digest(&scenarios[0]),
    );
    for s in scenarios.iter().skip(1).chain(scenarios.first()) {
        let d = digest(s);
        reused.rebuild(&s.estate, &s.state, &d);
        let fresh = Exposure::from_digest(&s.estate, &s.state, &d);
        assert_eq!(graph(&reused, &s.estate), graph(&fresh, &s.estate));
    }
}

#[cfg(feature = "parallel")]
#[test]
fn the_parallel_exposure_build_is_the_serial_build_on_generated_estates_and_every_fixture() {
    use sms_client_accounts::exposure::{DecisionDigest, Exposure};
    let scenarios = generated_and_fixtures(&[(4_000, 4, 5), (2, 1, 2)]);
    let mut reused: Option<Exposure> = None;
    for s in &scenarios {
        let mut d = DecisionDigest::default();
        for_each_decision(&s.estate, &s.state, |ad, client, decision, steps| {
            d.add(&s.estate, ad, client, decision, steps)
        });
        let serial = Exposure::from_digest(&s.estate, &s.state, &d);
        let parallel = Exposure::from_digest_parallel(&s.estate, &s.state, &d);
        assert_eq!(graph(&serial, &s.estate), graph(&parallel, &s.estate));
        // Rebuilt in parallel into the buffers of another estate's graph, too.
        let x = reused.get_or_insert_with(|| parallel.clone());
        x.rebuild_parallel(&s.estate, &s.state, &d);
        assert_eq!(graph(&serial, &s.estate), graph(x, &s.estate));
    }
}
