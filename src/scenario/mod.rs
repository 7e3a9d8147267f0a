//! Scenario files: JSON in, a validated [`Scenario`] out.
//!
//! Loading is parse, don't validate: [`raw`] mirrors the file with serde
//! (`deny_unknown_fields`), and the lowering resolves every name to a typed id, enforces
//! the console's rules and the model's, and collects every problem of the file before it
//! gives up. What the article says should never be, but that a site can still do (a
//! connection account with rights on a client, say), comes back as a [`Warning`] with its
//! rule id.

pub mod expect;
mod imported;
mod locate;
mod lower;
mod osd;
mod push;
pub mod raw;
pub(crate) mod resolve;

pub use resolve::{Resolver, nearest};

use std::fmt;
use std::path::Path;

use crate::model::{Estate, State};
use crate::rules::RuleId;

/// The version of the scenario format this crate reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The built-in demonstration scenario (`fixtures/scenarios/demo.json`): two domains,
/// DCs, workstations, Windows 95 and 98, and programs that between them use every
/// context and every NAL step. The examples run it when given no file.
pub const DEMO: &str = include_str!("../../fixtures/scenarios/demo.json");

/// A validated scenario: the static estate, the state it starts in, and the warnings of
/// its validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// What the scenario says it shows.
    pub description: Option<String>,
    /// What does not change over time.
    pub estate: Estate,
    /// What does, as of the start.
    pub state: State,
    /// Legal configurations that the article says should never be.
    pub warnings: Vec<Warning>,
    /// Decisions the file's author expects.
    pub expectations: Vec<expect::Expectation>,
    /// What the file's author expects credentials and clients to yield.
    pub exposure_expectations: Vec<expect::ExposureExpectation>,
    /// What the file's author expects the site's client push to do.
    pub push_expectations: Vec<expect::PushExpectation>,
    /// Where an imported estate's facts come from, as the file gives it (checked).
    pub imported: Option<raw::RawImported>,
}

/// A configuration the article advises against, found while loading.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// The rule it breaks.
    pub rule: RuleId,
    /// Where in the file the configuration is made.
    pub path: String,
    /// What is wrong, and with which objects.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning[{}]: {}: {}", self.rule, self.path, self.message)
    }
}

/// One semantic problem of a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The JSON path of the offending value (`machines[2].domain`).
    pub path: String,
    /// Its line and column in the file, when known.
    pub position: Option<(usize, usize)>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => {
                write!(
                    f,
                    "{} (line {line}, column {column}): {}",
                    self.path, self.message
                )
            }
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Why a scenario file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The file is not JSON.
    #[error("line {line}, column {column}: invalid JSON: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The JSON does not have the scenario's shape (a missing field, a wrong type, an
    /// unknown field or value).
    #[error("{path} (line {line}, column {column}): {message}")]
    Shape {
        /// The JSON path where the shape breaks.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was found and what was expected.
        message: String,
    },
    /// The file has the right shape but says impossible things; every problem is listed.
    #[error("{}", render_problems(.0))]
    Invalid(Vec<Problem>),
}

fn render_problems(problems: &[Problem]) -> String {
    let mut out = format!(
        "{} problem{} in the scenario",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        out.push_str("\n  ");
        out.push_str(&p.to_string());
    }
    out
}

impl Scenario {
    /// Loads a scenario from JSON text.
    pub fn from_json(text: &str) -> Result<Scenario, LoadError> {
        let raw = parse(text)?;
        let mut scenario = lower::lower(&raw).map_err(|problems| {
            let mut problems: Vec<Problem> = problems
                .into_iter()
                .map(|(path, message)| Problem {
                    position: position(text, &path),
                    path,
                    message,
                })
                .collect();
            // File order reads best; problems without a place keep theirs, at the end.
            problems.sort_by_key(|p| p.position.unwrap_or((usize::MAX, usize::MAX)));
            LoadError::Invalid(problems)
        })?;
        // Where each expectation is written, for the report of a miss.
        for e in &mut scenario.expectations {
            e.position = position(text, &e.path);
        }
        for e in &mut scenario.exposure_expectations {
            e.position = position(text, &e.path);
        }
        for e in &mut scenario.push_expectations {
            e.position = position(text, &e.path);
        }
        Ok(scenario)
    }

    /// Loads a scenario from the bytes of a file: they must be UTF-8 JSON.
    pub fn from_slice(bytes: &[u8]) -> Result<Scenario, LoadError> {
        Scenario::from_json(utf8(bytes)?)
    }

    /// Lowers an already parsed file.
    pub fn from_raw(raw: &raw::RawScenario) -> Result<Scenario, LoadError> {
        lower::lower(raw).map_err(|problems| {
            LoadError::Invalid(
                problems
                    .into_iter()
                    .map(|(path, message)| Problem {
                        path,
                        position: None,
                        message,
                    })
                    .collect(),
            )
        })
    }
}

/// The JSON Schema of the scenario format, derived from [`raw`].
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(raw::RawScenario)).unwrap_or_default()
}

/// The place of `path` in `text`, or of its nearest ancestor that is there (a missing
/// field is reported at the object that lacks it).
pub(crate) fn position(text: &str, path: &str) -> Option<(usize, usize)> {
    let mut path = path;
    loop {
        if let Some(found) = locate::locate(text, path) {
            return Some(found);
        }
        path = &path[..path.rfind(['.', '['])?];
    }
}

/// The text of a file's bytes, which must be UTF-8: or where they stop being so.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, LoadError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.len()
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        LoadError::Syntax {
            line,
            column,
            message: "the file is not UTF-8 text".into(),
        }
    })
}

/// Why a scenario file could not be used: it could not be read, or not loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// The file could not be read.
    #[error("cannot read `{path}`: {message}")]
    Read {
        /// The path given.
        path: String,
        /// What the system said.
        message: String,
    },
    /// The file was read but is not a valid scenario.
    #[error("`{path}`: {error}")]
    Load {
        /// The path given.
        path: String,
        /// The report.
        error: LoadError,
    },
}

/// Reads and loads a scenario file; with no path, the built-in [`DEMO`]. Returns the
/// name to show for it with the scenario.
pub fn load_file(path: Option<&str>) -> Result<(String, Scenario), FileError> {
    let Some(path) = path else {
        let demo = Scenario::from_json(DEMO).map_err(|error| FileError::Load {
            path: "built-in demo".into(),
            error,
        })?;
        return Ok(("built-in demo".into(), demo));
    };
    let scenario = load_path(Path::new(path))?;
    Ok((path.to_string(), scenario))
}

/// Reads and loads the scenario file at `path`; an error names it as `path` shows.
pub(crate) fn load_path(path: &Path) -> Result<Scenario, FileError> {
    let name = || path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| FileError::Read {
        path: name(),
        message: e.to_string(),
    })?;
    Scenario::from_slice(&bytes).map_err(|error| FileError::Load {
        path: name(),
        error,
    })
}

/// Parses JSON text into the raw file types, with the JSON path of a shape error.
pub fn parse(text: &str) -> Result<raw::RawScenario, LoadError> {
    // Most files are valid: parse them at full speed, and pay for tracking the path of
    // every value only to report an error (the same text gives the same error again).
    match serde_json::from_str(text) {
        Ok(raw) => Ok(raw),
        Err(_) => parse_tracked(text),
    }
}

/// Parses a site's client push settings alone (a scenario's `site.client_push` object,
/// as `import cmbp --push-settings` reads it), with the JSON path of a shape error.
pub fn parse_client_push(text: &str) -> Result<raw::RawClientPush, LoadError> {
    parse_tracked(text)
}

/// [`parse`], tracking the JSON path of every value as it goes: a file's raw type (a
/// scenario's, a timeline's) or the error with its path, line and column, each once.
pub(crate) fn parse_tracked<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, LoadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let raw: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let (line, column) = (inner.line(), inner.column());
        let message = strip_position(&inner.to_string());
        match inner.classify() {
            serde_json::error::Category::Data => LoadError::Shape {
                path,
                line,
                column,
                message,
            },
            _ => LoadError::Syntax {
                line,
                column,
                message,
            },
        }
    })?;
    de.end().map_err(|e| LoadError::Syntax {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    Ok(raw)
}

/// serde_json appends " at line L column C"; the error types carry those as fields.
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}
