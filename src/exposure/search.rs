//! The search every reach question shares: a shortest-path search over the graph's
//! node numbers in which a path's cost is its number of conditions first (the
//! [`super::EdgeKind::AdminWhileRuns`] edges it enters through, each holding only while a
//! program runs), then its number of edges.
//!
//! Every edge costs one edge and zero or one condition, so the search is a
//! breadth-first search a layer of conditions at a time: layer `c` starts from the
//! nodes that a conditional edge of layer `c - 1` entered (found in order of length)
//! and merges them with its own queue, so each node is settled once, at its least cost,
//! in order of cost. Dense arrays by node number, no hash table and no heap: linear in
//! the edges it looks at.

/// What a path costs: conditions first, then edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cost {
    /// How many conditional edges it enters through.
    pub conditions: u32,
    /// How many edges it has.
    pub length: u32,
}

impl Cost {
    /// The cost of the start itself.
    pub const ZERO: Cost = Cost {
        conditions: 0,
        length: 0,
    };

    /// The cost as one number that orders as the cost does, plus one: zero is left
    /// for a node not reached, so that the search's arrays start as zeroed memory,
    /// which the allocator hands out without writing it (a search that looks at a few
    /// nodes of a million pays for the pages it touches, not for the whole array).
    fn key(self) -> u64 {
        ((u64::from(self.conditions) << 32) | u64::from(self.length)) + 1
    }

    fn of_key(key: u64) -> Cost {
        let k = key - 1;
        Cost {
            conditions: (k >> 32) as u32,
            length: k as u32,
        }
    }
}

/// The edge that settled a seed.
pub(super) const ROOT: u32 = u32::MAX - 1;

/// How the search may go on along an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// At no condition.
    Free,
    /// Under one more condition.
    Conditional,
}

/// The result of a search: each node's least cost, the edge that gave it, and the
/// settled nodes in order of cost.
pub(super) struct Search {
    /// [`Cost::key`] of each node's least cost so far; zero where not reached.
    best: Vec<u64>,
    /// The edge that gave it, plus one; zero where not reached.
    via: Vec<u32>,
    settled: Vec<u64>,
    /// Nodes in the order they were settled: nondecreasing cost.
    pub(super) order: Vec<u32>,
}

impl Search {
    /// Searches from `seeds` (each at no cost): `next(node, push)` calls
    /// `push(to, edge, step)` for every edge the search may take out of `node`.
    pub(super) fn run(
        nodes: usize,
        seeds: &[u32],
        mut next: impl FnMut(u32, &mut dyn FnMut(u32, u32, Step)),
    ) -> Search {
        let mut s = Search {
            best: vec![0; nodes],
            via: vec![0; nodes],
            settled: vec![0; nodes.div_ceil(64)],
            order: Vec::new(),
        };
        // Entries: (length, node). `layer` holds this layer's entries that a
        // conditional edge made (sorted by length), `queue` those its own edges make.
        let mut layer: Vec<(u32, u32)> = Vec::new();
        for &seed in seeds {
            if s.best[seed as usize] == 0 {
                s.best[seed as usize] = Cost::ZERO.key();
                s.via[seed as usize] = ROOT + 1;
                layer.push((0, seed));
            }
        }
        let mut queue = std::collections::VecDeque::new();
        let mut next_layer = Vec::new();
        let mut conditions = 0u32;
        while !layer.is_empty() {
            let mut i = 0;
            loop {
                let from_layer = match (layer.get(i), queue.front()) {
                    (Some(a), Some(b)) => a <= b,
                    (Some(_), None) => true,
                    (None, Some(_)) => false,
                    (None, None) => break,
                };
                let (length, node) = if from_layer {
                    i += 1;
                    layer[i - 1]
                } else {
                    queue.pop_front().unwrap_or((0, 0))
                };
                if s.is_settled(node) {
                    continue;
                }
                s.settled[node as usize / 64] |= 1 << (node % 64);
                s.order.push(node);
                let (best, via) = (&mut s.best, &mut s.via);
                // A settled node's cost is never more than a new one: the comparison
                // below leaves it alone.
                next(node, &mut |to, edge, step| {
                    let cost = Cost {
                        conditions: conditions + u32::from(step == Step::Conditional),
                        length: length + 1,
                    };
                    let (key, old) = (cost.key(), best[to as usize]);
                    if old == 0 || key < old {
                        best[to as usize] = key;
                        via[to as usize] = edge + 1;
                        match step {
                            Step::Free => queue.push_back((length + 1, to)),
                            Step::Conditional => next_layer.push((length + 1, to)),
                        }
                    }
                });
            }
            layer = std::mem::take(&mut next_layer);
            conditions += 1;
        }
        s
    }

    fn is_settled(&self, node: u32) -> bool {
        self.settled[node as usize / 64] & (1 << (node % 64)) != 0
    }

    /// The least cost of reaching `node`, if it was reached.
    pub(super) fn cost(&self, node: u32) -> Option<Cost> {
        self.is_settled(node)
            .then(|| Cost::of_key(self.best[node as usize]))
    }

    /// The edge that settled `node`: [`ROOT`] for a seed, `u32::MAX` if unreached.
    pub(super) fn via(&self, node: u32) -> u32 {
        self.via[node as usize].wrapping_sub(1)
    }
}
