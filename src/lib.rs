//! # sms-client-accounts
//!
//! An executable specification of how Microsoft Systems Management Server 2.0 clients
//! choose the account, the security context and the credentials for every software
//! distribution program they run, after KB article Q224286.
//!
//! ## Bird's-eye view
//!
//! Data flows one way:
//!
//! ```text
//! scenario file --(scenario)--> Scenario { Estate, State } --(engine)--> Resolution { Decision, Trace }
//! ```
//!
//! - [`scenario`] parses a JSON scenario into raw serde types and lowers them once into a
//!   validated [`Scenario`]: typed ids, every reference resolved, every console rule
//!   enforced, every problem of the file reported with its JSON path and line.
//! - [`model`] is the plain data: the [`model::Estate`] (machines, domains, account
//!   stores, the SMS site and its accounts, shares, programs, advertisements, the model
//!   assumptions) and the time-varying [`model::State`] (logon sessions and their
//!   connections, account status, trusts, stale passwords, servers that are down).
//! - [`engine`] resolves an advertisement on a client: which launcher, which context and
//!   account, which token, which credentials reach the distribution point, step by step
//!   in the article's order.
//! - [`trace`] holds the typed steps of a resolution and renders them as text and JSON.
//! - [`rules`] is the catalog of every rule id the crate applies.
//! - [`table`] enumerates every combination of a decision's finite inputs: the
//!   exhaustive decision table the tests check whole.
//!
//! ## Code map
//!
//! - `src/rules.rs`: the rule catalog.
//! - `src/model/`: ids, estate, state, assumptions.
//! - `src/scenario/`: raw file types, lowering and validation, error locations.
//! - `src/engine/`: `resolve`, the NAL connection order, "why not".
//! - `src/trace.rs`: steps and their renderings.
//! - `src/table.rs`: the exhaustive decision table.
//!
//! ## Architecture invariants
//!
//! - The engine is pure: no IO, no clock, no randomness. The same estate, state and
//!   question give the same decision and the same bytes.
//! - The engine never sees a raw file and never checks a reference: every id it gets is
//!   valid for the estate it gets.
//! - A decision is data: "cannot run" is an outcome with its reason, not an error.
//!   `Result` is for malformed input only.
//! - Rules are named: every step of a trace carries a [`rules::RuleId`] of the catalog.
//! - Nothing under `engine` knows about files.

#![forbid(unsafe_code)]

pub mod advice;
pub mod engine;
pub mod exposure;
pub mod generate;
pub mod model;
pub mod rules;
pub mod scenario;
pub mod table;
pub mod timeline;
pub mod trace;

pub use engine::{Decision, Outcome, Resolution, resolve};
pub use scenario::{LoadError, Scenario};
