//! Importing what the field collects (feature `import`, on by default): a
//! ConfigManBearPig 2.0 collection, as the zip it writes or its JSON files (`sccm_*`,
//! `ad_*`, `mssql_*`), with SharpHound's JSON of the same domains (format version 6:
//! `domains`, `computers`, `users`, `groups`) where given, becomes a scenario file of a
//! Configuration Manager site that the loader accepts, with an `imported` section that
//! gives every fact's provenance.
//!
//! This module owns the reading of files and zips ([`sources`]), the options
//! ([`Options`]), the errors ([`ImportError`]) and the one entry point ([`cmbp`]);
//! `collected` parses and checks the files, `estate` reads the domains, accounts and
//! machines, `site` the site, its clients and what the collection cannot say, and
//! `finish` writes the scenario's domains, machines and ids. The
//! format facts are those of interop-sources.md, sections 2.1 and 3; each choice the
//! collection leaves open is an `X-IMPORT-` rule of the catalog.

mod collected;
mod estate;
mod finish;
mod policy;
mod push;
mod site;

use std::path::Path;

use crate::scenario::raw::{RawApproval, RawScenario};
use crate::scenario::{LoadError, Scenario};

/// One file of a collection: its name (as an error names it) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// `collection.zip:sccm_nodes-1.json`, or the path given.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// What the command line gives an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The primary site to import, when the collection holds several (`--site`).
    pub site: Option<String>,
    /// Which stored accounts are network access accounts (`--naa`): names
    /// (`DOMAIN\name`, `name`, `NAME@FQDN`) or SIDs, or `all`.
    pub naa: Vec<String>,
    /// The approval method (`--approval`).
    pub approval: Option<RawApproval>,
    /// Whether the site uses Enhanced HTTP (`--enhanced-http`).
    pub enhanced_http: Option<bool>,
    /// Distribution points (host names) that allow anonymous connections
    /// (`--anonymous-dp`).
    pub anonymous_distribution_points: Vec<String>,
    /// Previous network access accounts (`--previous-naa`), as `--naa` names them.
    pub previous_naa: Vec<String>,
    /// The client push accounts, in the order the site tries them (`--push-account`):
    /// names or SIDs as `--naa` takes them, or `others` for every stored account not
    /// taken as a network access account. The collection does not tell them apart.
    pub push_accounts: Vec<String>,
    /// The site's client push settings (`--push-settings`), which the collection does
    /// not hold, in the form of a scenario's `site.client_push`; its `accounts` may be
    /// left empty for `push_accounts` to fill.
    pub client_push: Option<crate::scenario::raw::RawClientPush>,
}

/// Why a collection could not be imported. Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// A path could not be read.
    #[error("cannot read `{path}`: {message}")]
    Read {
        /// The path given.
        path: String,
        /// What the system said.
        message: String,
    },
    /// A file is not what the import reads.
    #[error("`{file}`: {place}: expected {expected}")]
    Bad {
        /// The file (`zip:entry` for a zip's entry).
        file: String,
        /// Where: the JSON path, node id or edge.
        place: String,
        /// What was expected there.
        expected: String,
    },
    /// The command line must choose (a site, the network access accounts): a usage
    /// error, exit 2.
    #[error("{0}")]
    Choose(String),
    /// The estate made from the collection does not load: what the model cannot hold.
    #[error("the scenario made from the collection does not load: {0}")]
    Invalid(LoadError),
}

impl ImportError {
    /// Whether the command line is at fault (exit 2) rather than a file (exit 1).
    pub fn is_usage(&self) -> bool {
        matches!(self, ImportError::Choose(_))
    }
}

/// The files of a path: a zip's `.json` entries (in the archive's order), a folder's
/// `.json` files (sorted), or the file itself.
pub fn sources(path: &Path) -> Result<Vec<Source>, ImportError> {
    let shown = path.display().to_string();
    let read = |p: &Path| {
        std::fs::read(p).map_err(|e| ImportError::Read {
            path: p.display().to_string(),
            message: e.to_string(),
        })
    };
    if path.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| ImportError::Read {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("json"))
            })
            .collect();
        paths.sort();
        if paths.is_empty() {
            return Err(ImportError::Bad {
                file: shown,
                place: "the folder".into(),
                expected: "the collection's `.json` files".into(),
            });
        }
        return paths
            .iter()
            .map(|p| {
                Ok(Source {
                    name: p.display().to_string(),
                    bytes: read(p)?,
                })
            })
            .collect();
    }
    let bytes = read(path)?;
    let zip_named = path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("zip"));
    if bytes.starts_with(b"PK") || zip_named {
        return unzip(&shown, bytes);
    }
    Ok(vec![Source { name: shown, bytes }])
}

/// The `.json` entries of a zip archive.
#[cfg(feature = "import")]
fn unzip(name: &str, bytes: Vec<u8>) -> Result<Vec<Source>, ImportError> {
    use std::io::Read as _;
    let bad = |place: String, why: String| ImportError::Bad {
        file: name.to_string(),
        place,
        expected: why,
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        bad(
            "the archive".into(),
            format!("a zip archive as ConfigManBearPig or SharpHound writes it ({e})"),
        )
    })?;
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| bad(format!("entry {i}"), format!("a readable zip entry ({e})")))?;
        let entry_name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if !entry.is_file() || !entry_name.to_ascii_lowercase().ends_with(".json") {
            continue;
        }
        let mut data = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        entry.read_to_end(&mut data).map_err(|e| {
            bad(
                format!("entry `{entry_name}`"),
                format!("a complete zip entry ({e})"),
            )
        })?;
        out.push(Source {
            name: format!("{name}:{entry_name}"),
            bytes: data,
        });
    }
    if out.is_empty() {
        return Err(bad(
            "the archive".into(),
            "the collection's `.json` files".into(),
        ));
    }
    Ok(out)
}

/// Without the `import` feature there is no zip reader.
#[cfg(not(feature = "import"))]
fn unzip(name: &str, _bytes: Vec<u8>) -> Result<Vec<Source>, ImportError> {
    Err(ImportError::Bad {
        file: name.to_string(),
        place: "the archive".into(),
        expected: "its JSON files: this build has no zip reader (feature `import`)".into(),
    })
}

/// Imports a ConfigManBearPig 2.0 collection (`collection`) and, where given,
/// SharpHound's files of the same domains (`sharphound`): the scenario, which loads.
pub fn cmbp(
    collection: &[Source],
    sharphound: &[Source],
    options: &Options,
) -> Result<RawScenario, ImportError> {
    let c = collected::Collection::read(collection, sharphound)?;
    let mut b = estate::Builder::new(&c, options);
    b.estate();
    let raw = site::finish(b)?;
    Scenario::from_raw(&raw).map_err(ImportError::Invalid)?;
    Ok(raw)
}
