//! The integration tests: one binary, one module per subject.
//!
//! - `advice`: the "should never" rules, once: warnings and findings name the same clients.
//! - `configmgr`: Configuration Manager's table, safety rules, exposure and refusals.
//! - `fixtures`: every scenario under `fixtures/` through one `check`, with snapshots of
//!   its traces; every invalid file with a snapshot of its report; the schema's copy.
//! - `frontier`: each fact of a frontier, applied to its file, reaches the target.
//! - `import`: `import cmbp` on our own collections: facts, findings, exports, bad input.
//! - `interop`: the ids other tools give an estate, in the JSON and the OpenGraph export.
//! - `house`: the house rules of `src/` (no import cycle, small files and functions).
//! - `loader`: property tests of the loader (no input panics it; order does not matter).
//! - `engine`: property tests of the engine's safety rules over generated scenarios.
//! - `cli`: the tool's subcommands, run as a user runs them (with the `cli` feature).
//! - `examples`: the examples that teach linking the crate, their output pinned.
//! - `defences`: each defence a finding names cuts its path.
//! - `exposure`: the article's security claims on a fixture estate and generated ones.
//! - `matrix`: the Misconfiguration Manager matrix: its two sides agree but for the named
//!   drift; its Markdown and JSON snapshots.
//! - `osd`: task sequences, collection variables and PXE: where each secret goes.
//! - `push`: client push: the NTLM table, its fixtures, its safety rules, its refusals.
//! - `push_timeline`: client push over time: hourly rounds for seven days, the end.
//! - `names`: the estate's look-ups by name; one report of an unknown name everywhere.
//! - `reach`: transitive reach against a naive fixpoint; the transitive findings.
//! - `readme`: the README's JSON blocks load and its quick commands run.
//! - `report`: the HTML report: self-contained, deterministic, complete, grouped at scale.
//! - `reference`: a naive second transcription of the rules, and the differential test.
//! - `schemas`: every file in and out against its JSON Schema, with a real validator.
//! - `scale`: the seeded estate generator and the batch path.
//! - `state_api`: the state's public mutators refuse what the loader refuses, in its words.
//! - `table`: the exhaustive decision table against the rule properties and the reference.
//! - `why`: every why-not candidate applied to its file through the loader; the ranking.
//! - `timeline`: fault fixtures, and the state machine against a reference model.

#![allow(
    clippy::nonminimal_bool,
    reason = "rule properties read as `when X, then Y` and are written `!X || Y`"
)]
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking, with the message that says why"
)]

mod advice;
#[cfg(feature = "cli")]
mod cli;
mod common;
mod configmgr;
mod defences;
mod engine;
mod examples;
mod exposure;
mod fixtures;
mod frontier;
mod house;
#[cfg(feature = "import")]
mod import;
mod interop;
mod loader;
mod matrix;
mod names;
mod osd;
mod push;
mod push_timeline;
mod reach;
mod readme;
mod reference;
mod report;
mod scale;
mod schemas;
mod state_api;
mod table;
mod timeline;
mod why;
