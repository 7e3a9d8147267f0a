//! `matrix`: SpecterOps' Misconfiguration Manager matrix as the crate transcribed it
//! (`sms_client_accounts::lineage::matrix`): as Markdown, the techniques the exposure
//! analysis detects with their defences; with `--json`, every technique, defence and
//! drift pair.

use sms_client_accounts::lineage::matrix;

use super::{Done, Failure, Out, OutputArg};

/// `matrix`'s arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The whole matrix as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    pub(crate) output: OutputArg,
}

/// Runs `matrix`.
pub(crate) fn run(args: &Args, out: &mut Out) -> Done {
    if args.json {
        let text = serde_json::to_string_pretty(&matrix::json())
            .map_err(|e| Failure::new(format!("cannot render the matrix: {e}")))?;
        out.line(&text);
    } else {
        out.text(&matrix::markdown());
    }
    Ok(0)
}
