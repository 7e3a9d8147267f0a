//! `import cmbp`: a ConfigManBearPig collection (with SharpHound's files of the same
//! domains) made into a scenario file. Exit 1 for a file that is not what the import
//! reads, 2 when the command line must choose (a site, the network access accounts);
//! nothing is written then.

use std::path::PathBuf;

use sms_client_accounts::import::{self, ImportError, Options, Source};
use sms_client_accounts::scenario::raw::{RawApproval, RawStoredRole};

use super::{Failure, Out, OutputArg};

/// `import`'s arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    pub(crate) what: What,
}

/// What to import.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum What {
    /// A ConfigManBearPig 2.0 collection (its zip, a folder or its JSON files), with
    /// SharpHound's where given: the scenario file of its primary site.
    Cmbp(Cmbp),
}

/// `import cmbp`'s arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct Cmbp {
    /// The collection: the zip ConfigManBearPig writes, a folder, or its `sccm_*`,
    /// `ad_*` and `mssql_*` JSON files.
    #[arg(value_name = "COLLECTION", required = true)]
    collection: Vec<PathBuf>,
    /// SharpHound's collection of the same domains (format version 6): its zip, a folder
    /// or its JSON files (`domains`, `computers`, `users`, `groups`); repeatable.
    #[arg(long, value_name = "PATH")]
    sharphound: Vec<PathBuf>,
    /// The primary site to import, when the collection holds several.
    #[arg(long, value_name = "CODE")]
    site: Option<String>,
    /// A stored account that is a network access account (`DOMAIN\name`, `name`,
    /// `NAME@FQDN` or SID; repeatable), or `all` to take every stored account as one.
    #[arg(long, value_name = "NAME|SID|all")]
    naa: Vec<String>,
    /// How the site approves clients (not collected; default: trusted domains).
    #[arg(long, value_enum)]
    approval: Option<Approval>,
    /// The site uses Enhanced HTTP (not collected; default: no).
    #[arg(long)]
    enhanced_http: bool,
    /// A distribution point (host name) that allows anonymous connections; repeatable.
    #[arg(long, value_name = "HOST")]
    anonymous_dp: Vec<String>,
    /// An account the site used as network access account before (`--naa`'s forms);
    /// repeatable.
    #[arg(long, value_name = "NAME|SID")]
    previous_naa: Vec<String>,
    /// A client push account, in the order the site tries them (`--naa`'s forms;
    /// repeatable), or `others`: every stored account not taken as a network access
    /// account. The collection does not tell them apart; needs `--push-settings`.
    #[arg(long, value_name = "NAME|SID|others")]
    push_account: Vec<String>,
    /// The site's client push settings, which the collection does not hold: a JSON file
    /// holding one object in the form of a scenario's `site.client_push` (`accounts` may
    /// be left out for `--push-account` to fill).
    #[arg(long, value_name = "FILE")]
    push_settings: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) output: OutputArg,
}

/// The approval methods, as the scenario format names them.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Approval {
    TrustedDomains,
    Manual,
    All,
}

impl Cmbp {
    /// The options the library reads; a push settings file that cannot be read or is
    /// not a `site.client_push` object is an error naming it (exit 1).
    fn options(&self) -> Result<Options, Failure> {
        let client_push = match &self.push_settings {
            None => None,
            Some(path) => {
                let name = path.display();
                let text = std::fs::read_to_string(path)
                    .map_err(|e| Failure::new(format!("cannot read `{name}`: {e}")))?;
                Some(
                    sms_client_accounts::scenario::parse_client_push(&text)
                        .map_err(|e| Failure::new(format!("`{name}`: {e}")))?,
                )
            }
        };
        Ok(Options {
            push_accounts: self.push_account.clone(),
            client_push,
            site: self.site.clone(),
            naa: self.naa.clone(),
            approval: self.approval.map(|a| match a {
                Approval::TrustedDomains => RawApproval::TrustedDomains,
                Approval::Manual => RawApproval::Manual,
                Approval::All => RawApproval::All,
            }),
            enhanced_http: self.enhanced_http.then_some(true),
            anonymous_distribution_points: self.anonymous_dp.clone(),
            previous_naa: self.previous_naa.clone(),
        })
    }
}

/// Runs `import`.
pub(crate) fn run(args: &Args, out: &mut Out) -> super::Done {
    let What::Cmbp(a) = &args.what;
    let options = a.options()?;
    let read = |paths: &[PathBuf]| -> Result<Vec<Source>, ImportError> {
        let mut all = Vec::new();
        for p in paths {
            all.extend(import::sources(p)?);
        }
        Ok(all)
    };
    let result = read(&a.collection).and_then(|collection| {
        let sharphound = read(&a.sharphound)?;
        import::cmbp(&collection, &sharphound, &options)
    });
    let raw = match result {
        Ok(raw) => raw,
        Err(e) if e.is_usage() => return Err(Failure::usage(e.to_string())),
        Err(e) => return Err(Failure::new(e.to_string())),
    };
    let imported = raw.imported.as_ref();
    let mut text = serde_json::to_string_pretty(&raw)
        .map_err(|e| Failure::new(format!("cannot write the scenario: {e}")))?;
    text.push('\n');
    out.text(&text);
    if let Some(i) = imported {
        let inferred = i.clients.iter().filter(|c| !c.confirmed).count();
        eprintln!(
            "imported site {} from {} file(s): {} machine(s), {} client(s) ({} inferred), {} stored account(s), {} unknown fact(s), {} left out",
            i.site,
            i.files.len(),
            raw.machines.len(),
            i.clients.len(),
            inferred,
            i.stored_accounts.len(),
            raw.unknown.len(),
            i.left_out.len()
        );
        let others = i
            .stored_accounts
            .iter()
            .filter(|s| s.role == RawStoredRole::Other)
            .count();
        if others > 0 && raw.site.client_push.is_none() {
            eprintln!(
                "{others} stored account(s) taken for neither network access nor client push: client push is not assessed (name its accounts with --push-account and give --push-settings FILE)"
            );
        }
    }
    Ok(0)
}
