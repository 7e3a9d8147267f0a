//! # sms-client-accounts
//!
//! An executable specification of how Microsoft Systems Management Server 2.0 clients
//! choose the account, the security context and the credentials for every software
//! distribution program they run, after KB article Q224286 ("Client Accounts Used in
//! Software Distribution").
//!
//! **Should I use this crate?** Use it to ask, of an estate described as data, *what
//! runs as whom, and what leaks*: which launcher (Pea32 or Smsapm32), context and account
//! each advertisement gets on each client, which groups and rights its token holds,
//! which credentials reach the distribution point, and what a known password or a
//! compromised client yields across the estate. It does not talk to a site, read a
//! registry or touch a network: everything is computed from the scenario you give it.
//!
//! ## Contents
//!
//! - [Bird's-eye view](#birds-eye-view)
//! - [Entry points](#entry-points), each with an example on the built-in demo estate
//! - [Code map](#code-map)
//! - [Feature flags](#feature-flags)
//! - [Architecture invariants](#architecture-invariants)
//!
//! ## Bird's-eye view
//!
//! Data flows one way:
//!
//! ```text
//! scenario file --(scenario)--> Scenario { Estate, State }
//!     --(engine)--> Resolution { Decision, Trace } --(render)--> text, JSON
//!                        \--> exposure (graph, findings, exports)
//!                        \--> timeline (events over virtual time, each run resolved)
//! ```
//!
//! A scenario file is parsed into raw serde types and lowered once into a validated
//! [`Scenario`]: the static [`model::Estate`] and the time-varying [`model::State`]. The
//! [`engine`] resolves one advertisement on one client into a [`decision::Decision`] and
//! a [`trace::Trace`] of rule-tagged steps. Everything above the engine reads decisions.
//!
//! ## Entry points
//!
//! | to | call | module |
//! |---|---|---|
//! | load a scenario | [`Scenario::from_json`], [`scenario::load_file`], [`scenario::DEMO`] | [`scenario`] |
//! | decide one advertisement on one client | [`resolve`], [`engine::resolve_into`] | [`engine`] |
//! | print a decision | [`render::render_text`], [`render::render_json`], [`render::summary`] | [`render`] |
//! | ask what would change it | [`engine::why_not`] | [`engine`] |
//! | decide a whole estate | [`engine::resolve_all`], [`engine::Batch::fill`], [`engine::for_each_decision`] | [`engine`] |
//! | see what a credential or a client yields | [`exposure::Exposure::build`], [`exposure::Exposure::compromise`], [`exposure::Exposure::findings`] | [`exposure`] |
//! | see where that stops short of a target | [`exposure::Exposure::frontier`] | [`exposure`] |
//! | replay a day of events and faults | [`timeline::load_timeline`], [`timeline::Timeline`] | [`timeline`] |
//!
//! Load the demo and decide one advertisement (the demo's `Office 97` runs with
//! administrative rights; `alice` is no administrator of `WKS1`, so the program runs in
//! the service context as that client's own token account: `NT-SERVICE-FALLBACK`,
//! `SVC-TOKEN-LOCAL`):
//!
//! ```
//! use sms_client_accounts::decision::{Context, Launcher, Outcome};
//! use sms_client_accounts::{Scenario, resolve, rules::RuleId, scenario::DEMO};
//!
//! let s = Scenario::from_json(DEMO)?;
//! let ad = s.estate.advertisement_by_name("ABC20002").unwrap();
//! let wks1 = s.estate.machine_by_name("WKS1").unwrap();
//! let r = resolve(&s.estate, &s.state, ad, wks1);
//! assert_eq!(r.decision.outcome, Outcome::Run);
//! assert_eq!(r.decision.decided_by, RuleId::NtServiceFallback);
//! assert_eq!(r.decision.context, Some(Context::Service));
//! assert_eq!(r.decision.launcher, Some(Launcher::Smsapm32));
//! let account = r.decision.account.unwrap();
//! assert_eq!(s.estate.qualified_name(account), r"WKS1\SMSCliToknAcct&");
//! // The trace names every rule it applied; its last step is the outcome.
//! let text = sms_client_accounts::render::render_text(&s.estate, &r);
//! assert!(text.contains("[NT-SERVICE-FALLBACK] context: service context"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A decision is data, "cannot run" included: a Software Installation account program
//! on Windows 98 fails with status 10003 and error 1317 (A8), and why-not lists the
//! single changes that would decide otherwise, ranked, those that make it run first:
//!
//! ```
//! use sms_client_accounts::decision::{FailReason, Outcome};
//! use sms_client_accounts::{Scenario, engine, scenario::DEMO};
//!
//! let s = Scenario::from_json(DEMO)?;
//! let ad = s.estate.advertisement_by_name("ABC20003").unwrap();
//! let w98 = s.estate.machine_by_name("W98A").unwrap();
//! let r = engine::resolve(&s.estate, &s.state, ad, w98);
//! let Outcome::Fail(failure) = r.decision.outcome else { panic!("{r:?}") };
//! assert_eq!(failure.reason, FailReason::SoftwareInstallationOnWin9x);
//! assert_eq!((failure.status, failure.error), (Some(10003), Some(1317)));
//! assert_eq!(
//!     r.decision.outcome.to_string(),
//!     "fails: the Software Installation account cannot be used on Windows 95/98; \
//!      status 10003; error 1317 (ERROR_NO_SUCH_USER, Q264714)"
//! );
//! let candidates = engine::why_not(&s.estate, &s.state, &r);
//! for candidate in &candidates {
//!     assert_ne!(candidate.decision.outcome, r.decision.outcome);
//! }
//! // The one way to run: the program stops using the account, and runs as the user.
//! assert_eq!(candidates[0].effect, engine::Effect::Runs);
//! assert!(matches!(
//!     candidates[0].edit,
//!     engine::Change::UseSoftwareInstallationAccount { on: false, .. }
//! ));
//! assert!(candidates[1..].iter().all(|c| c.effect != engine::Effect::Runs));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Decide the whole estate, as a batch in flat buffers or streamed:
//!
//! ```
//! use sms_client_accounts::{Scenario, engine, scenario::DEMO};
//!
//! let s = Scenario::from_json(DEMO)?;
//! let mut batch = engine::Batch::default();
//! batch.fill(&s.estate, &s.state);
//! assert_eq!(batch.len(), 20);
//! let mut streamed = 0;
//! engine::for_each_decision(&s.estate, &s.state, |ad, client, decision, steps| {
//!     let e = batch.get(streamed).unwrap();
//!     assert_eq!((ad, client, decision, steps), (e.advertisement, e.client, e.decision, e.steps));
//!     streamed += 1;
//! });
//! assert_eq!(streamed, batch.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! What the client token account of a DC yields: Administrators of every DC of its
//! domain (`EXPO-DC-TOKEN`, D3); a member client's yields that client only:
//!
//! ```
//! use sms_client_accounts::exposure::{Exposure, Privilege, Reach, Start};
//! use sms_client_accounts::{Scenario, scenario::DEMO};
//!
//! let s = Scenario::from_json(DEMO)?;
//! let x = Exposure::build(&s.estate, &s.state);
//! let administers = |account: &str| -> Vec<String> {
//!     let a = s.estate.account_by_name(account).unwrap();
//!     let mut m: Vec<String> = x
//!         .compromise(Start::Credential(a), Reach::Direct)
//!         .into_iter()
//!         .filter_map(|r| match r.privilege {
//!             Privilege::Administrator(m) => Some(s.estate.machine(m).name.to_string()),
//!             _ => None,
//!         })
//!         .collect();
//!     m.sort();
//!     m
//! };
//! assert_eq!(administers(r"CORP\SMSCliToknAcct&"), ["DC1", "DC2"]);
//! assert_eq!(administers(r"WKS1\SMSCliToknAcct&"), ["WKS1"]);
//! assert!(!x.findings(&s.estate).is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Replay the built-in day: a pure state machine over virtual time, every run resolved
//! with the state of its moment:
//!
//! ```
//! use sms_client_accounts::timeline::{DEMO_DAY, load_timeline, log_text};
//!
//! let day = load_timeline(DEMO_DAY)?;
//! let t = day.replay();
//! assert!(!t.log().is_empty());
//! assert_eq!(log_text(&day.scenario.estate, &t), log_text(&day.scenario.estate, &day.replay()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A site is SMS 2.0 unless its scenario says `"product": "configmgr"`: then the same
//! engine decides as Configuration Manager (current branch) does, with the `CM-` rules
//! of the catalog, and the exposure analysis adds the network access accounts' secrets,
//! each finding tagged with its Misconfiguration Manager technique:
//!
//! ```
//! use sms_client_accounts::decision::{Context, Via};
//! use sms_client_accounts::{Scenario, engine, exposure::Exposure, lineage};
//!
//! let s = Scenario::from_json(include_str!("../fixtures/scenarios/configmgr-two-naas-workgroup.json"))?;
//! let ad = s.estate.advertisement_by_name("ABC20002").unwrap();
//! let wg1 = s.estate.machine_by_name("WG1").unwrap();
//! let r = engine::resolve(&s.estate, &s.state, ad, wg1);
//! // Administrative rights: Local System; a workgroup client has no computer account,
//! // so the content comes as the second network access account (the first is disabled).
//! assert_eq!(r.decision.context, Some(Context::LocalSystem));
//! assert_eq!(r.decision.dp.map(|d| d.via), Some(Via::NetworkAccessAccount(1)));
//! let x = Exposure::build(&s.estate, &s.state);
//! let techniques: Vec<&str> = x
//!     .findings(&s.estate)
//!     .iter()
//!     .filter_map(|f| x.finding_tag(f))
//!     .map(|t| t.technique)
//!     .collect();
//! assert!(techniques.contains(&"CRED-3"));
//! // Client push: the relay of push accounts drawn to a device a user adds (ELEVATE-2),
//! // and the same through AD System Discovery (ELEVATE-3).
//! let mut all = techniques.clone();
//! for file in [
//!     include_str!("../fixtures/scenarios/push-ntlm-bug-2107.json"),
//!     include_str!("../fixtures/scenarios/push-elevate-3.json"),
//!     // PXE boot media served to a network segment (CRED-1).
//!     include_str!("../fixtures/scenarios/pxe-no-password.json"),
//! ] {
//!     let p = Scenario::from_json(file)?;
//!     let x = Exposure::build(&p.estate, &p.state);
//!     all.extend(x.findings(&p.estate).iter().filter_map(|f| x.finding_tag(f)).map(|t| t.technique));
//! }
//! assert!(lineage::matrix::DETECTED.iter().all(|t| all.contains(t)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Code map
//!
//! - [`rules`] (`src/rules.rs`): the catalog of every rule id the crate applies, with
//!   its source, kind and layer.
//! - [`advice`] (`src/advice.rs`): the article's "should never" rules, computed once;
//!   the loader reports them as warnings and the exposure analysis as findings.
//! - [`model`] (`src/model/`): plain data. Typed ids, the estate (machines, domains,
//!   account stores, the SMS site and its accounts, shares, programs, advertisements,
//!   the assumptions in force), the time-varying state, case-folded names.
//! - [`scenario`] (`src/scenario/`): raw file types, their lowering into a validated
//!   [`Scenario`], load errors with JSON path and line, expectations, the JSON Schema.
//! - [`decision`] (`src/decision.rs`): the decision's vocabulary, below the engine and
//!   the trace: launcher, context, outcome, failure, token, grant, access, Windows errors.
//! - [`trace`] (`src/trace.rs`): the typed steps of a resolution and [`Resolution`].
//! - [`engine`] (`src/engine/`): `resolve` in the article's order, the NAL connection
//!   order (`nal`), why-not (`why`), batches and streams (`batch`), and a Configuration
//!   Manager site's client push, target by target (`push`).
//! - [`render`] (`src/render/`): text and JSON of decisions and traces.
//! - [`exposure`] (`src/exposure/`): the credential and rights graph and its build
//!   (`build`: tasks over ranges of machines and accounts, serial or parallel), the search every
//!   reach question shares (`search`: conditions, then edges), compromise queries
//!   (`query`), findings (`findings`, and `reach` for transitive reach), the frontier
//!   of an unreached target (`frontier`), and the JSON, OpenGraph and DOT exports.
//! - [`timeline`] (`src/timeline/`): events, faults, grants and lockouts over virtual
//!   time, and the timeline file format.
//! - [`table`] (`src/table/`): every combination of a decision's finite inputs, the
//!   exhaustive decision table, and a pinned sample of it for the cold-path bench
//!   (`sample`).
//! - [`verify`] (`src/verify.rs`): a scenario's expectations against the engine and
//!   the exposure graph, each miss in the file's words with its path and line.
//! - [`generate`] (`src/generate.rs`): the seeded estate generator for scale tests and
//!   benchmarks, and a seeded ConfigManBearPig collection for the import bench.
//! - [`import`] (`src/import/`): a ConfigManBearPig 2.0 collection, with SharpHound's
//!   files, made into a scenario whose `imported` section gives each fact's provenance
//!   (the zip reader behind the `import` feature).
//! - [`lineage`] (`src/lineage/`): the SMS 2.0 accounts in later products: the
//!   technique/defence matrix of Misconfiguration Manager (`matrix`), and the technique,
//!   defences and provenance each Configuration Manager rule's edges and findings carry.
//!
//! Module dependencies form a DAG, each layer using only those before it: `rules`;
//! `lineage`; `model`; `advice`; `decision`; `trace`; `engine`; `scenario`; `render`; `exposure`,
//! `timeline`, `table`; `import`; `generate`; `verify`. No module imports
//! one that imports it, and no sibling modules import each other in a loop (a test of the
//! source, `tests/it/house.rs`, checks both).
//!
//! ## Feature flags
//!
//! - `import` (on by default): `import::sources` reads zips (the `zip` crate); without
//!   it, the import reads a collection's JSON files only.
//! - `parallel` (off by default): on every core with rayon, each with the serial result
//!   in the same order: `engine::Batch::fill_parallel` (a batch kept),
//!   `engine::for_each_decision_parallel` (every decision streamed, into an accumulator
//!   a range of clients) and `exposure::Exposure::rebuild_parallel` /
//!   `from_digest_parallel` (the graph's build).
//!
//! ## Architecture invariants
//!
//! - The engine is pure: no IO, no clock, no randomness. The same estate, state and
//!   question give the same decision and the same bytes.
//! - The engine never sees a raw file and never checks a reference: every id it gets is
//!   valid for the estate it gets.
//! - A decision is data: "cannot run" is an outcome with its reason, not an error.
//!   `Result` is for malformed input only.
//! - Fail closed by construction: every stage of a resolution goes on or ends it with an
//!   outcome and the rule that decided it; there is no default outcome.
//! - Rules are named: every step of a trace carries a [`rules::RuleId`] of the catalog.
//! - Nothing under `engine` knows about files.

#![forbid(unsafe_code)]

pub mod advice;
pub mod decision;
pub mod engine;
pub mod exposure;
pub mod generate;
pub mod import;
pub mod lineage;
pub mod model;
pub mod render;
pub mod report;
pub mod rules;
pub mod scenario;
pub mod table;
pub mod timeline;
pub mod trace;
pub mod verify;

pub use decision::{Decision, Outcome};

/// The JSON Schema of every file this crate reads or writes, by the name the `schema`
/// example takes (`schema --for NAME`) and the file its copy has in `fixtures/`
/// (`NAME.schema.json`): `scenario` and `timeline` in, `decisions`, `exposure` and
/// `timeline-output` out.
pub fn json_schemas() -> [(&'static str, serde_json::Value); 6] {
    let timeline =
        serde_json::to_value(schemars::schema_for!(timeline::RawTimeline)).unwrap_or_default();
    [
        ("scenario", scenario::json_schema()),
        ("timeline", timeline),
        ("decisions", render::decisions_schema()),
        ("exposure", exposure::output::exposure_schema()),
        (
            "timeline-output",
            timeline::output::timeline_output_schema(),
        ),
        ("push", render::push_schema()),
    ]
}
pub use engine::resolve;
pub use scenario::{LoadError, Scenario};
pub use trace::Resolution;
