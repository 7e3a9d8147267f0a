//! Many decisions at once: every (advertisement, target) pair of an estate in batch
//! order, resolved into flat buffers ([`Batch`]) or streamed ([`for_each_decision`]).
//!
//! Batch order is client by client (in id order), each client's advertisements in id
//! order; [`super::resolve_all`] is the one other order, advertisement by advertisement.

use super::{resolve_append, resolve_into};
use crate::decision::Decision;
use crate::model::*;
use crate::trace::Step;

/// Every (advertisement, target) pair of an estate in batch order: client by client (in
/// id order), each client's advertisements in id order.
///
/// The order is for the machine's caches: the advertisements of one client read the
/// same machine, sessions and groups, so resolving them one after the other finds
/// those in cache (at 100k clients this halves the time of a batch over advertisement
/// order). A merge of the advertisements' sorted target lists: memory for one cursor an
/// advertisement, a few comparisons a pair.
pub fn batch_order(estate: &Estate) -> impl Iterator<Item = (AdvertisementId, MachineId)> + '_ {
    batch_order_of(estate, 0..estate.machines().len())
}

/// [`batch_order`] restricted to the clients whose index is in `clients`: the pairs of
/// consecutive client ranges, one after the other, are the whole batch order.
fn batch_order_of(
    estate: &Estate,
    clients: std::ops::Range<usize>,
) -> impl Iterator<Item = (AdvertisementId, MachineId)> + '_ {
    use std::cmp::Reverse;
    // Each advertisement's targets in the range: its sorted list from the first at or
    // after the range's start, up to the range's end.
    let end = clients.end;
    let mut heads: std::collections::BinaryHeap<Reverse<(MachineId, AdvertisementId, usize)>> =
        estate
            .advertisement_ids()
            .filter_map(|ad| {
                let targets = &estate.advertisement(ad).targets;
                let at = targets.partition_point(|m| m.index() < clients.start);
                let first = *targets.get(at)?;
                (first.index() < end).then_some(Reverse((first, ad, at)))
            })
            .collect();
    std::iter::from_fn(move || {
        let Reverse((client, ad, at)) = heads.pop()?;
        if let Some(&next) = estate.advertisement(ad).targets.get(at + 1)
            && next.index() < end
        {
            heads.push(Reverse((next, ad, at + 1)));
        }
        Some((ad, client))
    })
}

/// Resolves every (advertisement, target) pair in [`batch_order`] and hands each
/// decision and its typed trace to `visit`. One step buffer serves every decision, so
/// the loop allocates nothing per decision and keeps nothing: the streaming form of
/// [`Batch::fill`], for estates whose decisions do not fit in memory.
pub fn for_each_decision(
    estate: &Estate,
    state: &State,
    mut visit: impl FnMut(AdvertisementId, MachineId, &Decision, &[Step]),
) {
    let mut steps = Vec::with_capacity(32);
    for (ad, client) in batch_order(estate) {
        let decision = resolve_into(estate, state, ad, client, &mut steps);
        visit(ad, client, &decision, &steps);
    }
}

/// [`for_each_decision`] on every core (feature `parallel`): the clients are cut into
/// consecutive ranges, each range's decisions are streamed in batch order through one
/// step buffer into an accumulator of its own (`init()`), and the accumulators are
/// returned in the order of their ranges, so that folding them in order gives what the
/// serial stream gives. Nothing is allocated per decision.
#[cfg(feature = "parallel")]
pub fn for_each_decision_parallel<T: Send>(
    estate: &Estate,
    state: &State,
    init: impl Fn() -> T + Sync,
    visit: impl Fn(&mut T, AdvertisementId, MachineId, &Decision, &[Step]) + Sync,
) -> Vec<T> {
    use rayon::prelude::*;
    let machines = estate.machines().len();
    // A few ranges a thread, so that a thread that finishes early takes another.
    let ranges = (rayon::current_num_threads() * 4).clamp(1, machines.max(1));
    let size = machines.div_ceil(ranges).max(1);
    (0..ranges)
        .into_par_iter()
        .map(|r| {
            let clients = (r * size).min(machines)..((r + 1) * size).min(machines);
            let mut acc = init();
            let mut steps = Vec::with_capacity(32);
            for (ad, client) in batch_order_of(estate, clients) {
                let decision = resolve_into(estate, state, ad, client, &mut steps);
                visit(&mut acc, ad, client, &decision, &steps);
            }
            acc
        })
        .collect()
}

/// Every decision of a scenario with its typed trace, kept in two flat buffers so that
/// the batch allocates per batch, not per decision. Filled by [`Batch::fill`] (or
/// `Batch::fill_parallel`), read through [`Batch::iter`] and [`Batch::get`]: the
/// buffers and the offsets between them are private, so they always agree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    /// (advertisement, client, decision, end of its steps in `steps`).
    decisions: Vec<(AdvertisementId, MachineId, Decision, u32)>,
    /// The steps of every decision, one after the other.
    steps: Vec<Step>,
}

/// One decision of a [`Batch`], with its question and its typed trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'b> {
    /// The advertisement.
    pub advertisement: AdvertisementId,
    /// The client.
    pub client: MachineId,
    /// What happens.
    pub decision: &'b Decision,
    /// Why, step by step; the last step is the outcome.
    pub steps: &'b [Step],
}

impl Batch {
    /// Resolves every (advertisement, target) pair into this batch, in [`batch_order`],
    /// reusing its buffers.
    pub fn fill(&mut self, estate: &Estate, state: &State) {
        self.decisions.clear();
        self.steps.clear();
        for (ad, client) in batch_order(estate) {
            let decision = resolve_append(estate, state, ad, client, &mut self.steps);
            self.decisions
                .push((ad, client, decision, self.steps.len() as u32));
        }
    }

    /// Resolves every (advertisement, target) pair on every core (feature `parallel`):
    /// each worker resolves a contiguous run of pairs into buffers of its own, and the
    /// runs are joined in order, so the result is the serial [`Batch::fill`]'s.
    #[cfg(feature = "parallel")]
    pub fn fill_parallel(&mut self, estate: &Estate, state: &State) {
        use rayon::prelude::*;
        let pairs: Vec<(AdvertisementId, MachineId)> = batch_order(estate).collect();
        let chunk = pairs
            .len()
            .div_ceil(rayon::current_num_threads() * 4)
            .max(1024);
        let parts: Vec<Batch> = pairs
            .par_chunks(chunk)
            .map(|run| {
                let mut part = Batch {
                    decisions: Vec::with_capacity(run.len()),
                    // About a dozen steps a decision.
                    steps: Vec::with_capacity(run.len() * 12),
                };
                for &(ad, client) in run {
                    let decision = resolve_append(estate, state, ad, client, &mut part.steps);
                    part.decisions
                        .push((ad, client, decision, part.steps.len() as u32));
                }
                part
            })
            .collect();
        self.decisions.clear();
        self.steps.clear();
        self.decisions.reserve(pairs.len());
        self.steps
            .reserve(parts.iter().map(|p| p.steps.len()).sum());
        for part in parts {
            let offset = self.steps.len() as u32;
            self.steps.extend_from_slice(&part.steps);
            self.decisions.extend(
                part.decisions
                    .into_iter()
                    .map(|(a, c, d, end)| (a, c, d, end + offset)),
            );
        }
    }

    /// How many decisions the batch holds.
    pub fn len(&self) -> usize {
        self.decisions.len()
    }

    /// Whether the batch holds no decision.
    pub fn is_empty(&self) -> bool {
        self.decisions.is_empty()
    }

    /// The decision at `index` (in batch order), if there is one.
    pub fn get(&self, index: usize) -> Option<Entry<'_>> {
        let &(advertisement, client, ref decision, end) = self.decisions.get(index)?;
        let start = match index {
            0 => 0,
            _ => self.decisions[index - 1].3 as usize,
        };
        Some(Entry {
            advertisement,
            client,
            decision,
            steps: &self.steps[start..end as usize],
        })
    }

    /// Every decision, in batch order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Entry<'_>> + '_ {
        let mut start = 0usize;
        self.decisions
            .iter()
            .map(move |&(advertisement, client, ref decision, end)| {
                let steps = &self.steps[start..end as usize];
                start = end as usize;
                Entry {
                    advertisement,
                    client,
                    decision,
                    steps,
                }
            })
    }
}
