//! A pinned sample of the decision table for the cold-path bench: a fixed number of rows
//! chosen with a fixed seed, rows whose estates are equal sharing one estate, each row
//! with a state of its own, and a seeded shuffle of their order.
//!
//! A tool that links the crate asks one question of each of many small estates, or of
//! one estate in an order it does not choose; the sample makes that workload the same
//! for everyone who runs the bench (`benches/cold.rs`).

use super::{Fixed, Inputs, for_each_estate, plans, state_of};
use crate::generate::Rng;
use crate::model::{AdvertisementId, Estate, MachineId, State};

/// One row of a [`Sample`]: its inputs, the estate it shares, its own state and its
/// question.
///
/// What a decision reads comes first (`repr(C)`): the question, then the state.
#[derive(Debug, Clone)]
#[repr(C)]
pub struct SampleRow {
    /// The advertisement asked about.
    pub advertisement: AdvertisementId,
    /// The client asked about.
    pub client: MachineId,
    /// The index of its estate in [`Sample::estates`].
    pub estate: u32,
    /// Its state, made for it alone.
    pub state: State,
    /// The row's finite inputs.
    pub inputs: Inputs,
}

/// Rows of the decision table chosen with a seed, in table order, with the estates
/// they share.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The distinct estates, one for each value of the connection accounts and of the
    /// assumptions that a chosen row has.
    pub estates: Vec<Estate>,
    /// The chosen rows, in table order.
    pub rows: Vec<SampleRow>,
}

impl Sample {
    /// `rows` rows of the table (all of them if it has fewer), each row equally likely,
    /// chosen with `seed` (selection sampling: the same seed gives the same rows).
    pub fn new(rows: usize, seed: u64) -> Sample {
        let mut total = 0usize;
        for_each_estate(|_, _, estate, accounts, assumptions| {
            plans(&estate, accounts, assumptions, |_| total += 1);
        });
        let mut rng = Rng(seed);
        let (mut left, mut wanted) = (total, rows.min(total));
        let mut sample = Sample {
            estates: Vec::new(),
            rows: Vec::with_capacity(wanted),
        };
        for_each_estate(|scenario, fixed, estate, accounts, assumptions| {
            // The table has 448 estates.
            let index = sample.estates.len() as u32;
            let before = sample.rows.len();
            plans(&estate, accounts, assumptions, |plan| {
                // Knuth's algorithm S: choose this row with probability wanted / left.
                if (rng.below(left as u64) as usize) < wanted {
                    wanted -= 1;
                    sample.rows.push(row(&scenario.state, fixed, plan, index));
                }
                left -= 1;
            });
            if sample.rows.len() > before {
                sample.estates.push(estate);
            }
        });
        sample
    }

    /// The rows' indexes in an order shuffled with `seed` (Fisher-Yates).
    pub fn shuffled(&self, seed: u64) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        let mut rng = Rng(seed);
        for i in (1..order.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            order.swap(i, j);
        }
        order
    }
}

fn row(base: &State, fixed: &Fixed, plan: &super::Plan, estate: u32) -> SampleRow {
    SampleRow {
        inputs: plan.inputs,
        estate,
        state: state_of(base, fixed, plan),
        advertisement: plan.advertisement,
        client: plan.client,
    }
}
