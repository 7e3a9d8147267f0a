//! `schema`: the JSON Schema of a file the tool reads or writes, for editors that
//! validate and complete scenario files and for tools that read its output. Copies live
//! at `fixtures/NAME.schema.json`; a test fails when one drifts from the code.

use super::{Done, Failure, Out, OutputArg};

/// The files with a schema.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Kind {
    /// Scenario files.
    Scenario,
    /// Timeline files.
    Timeline,
    /// What `trace --json` prints.
    Decisions,
    /// What `exposure --json` prints.
    Exposure,
    /// What `timeline --json` prints.
    TimelineOutput,
    /// What `push --json` prints.
    Push,
}

/// `schema`'s arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The file whose schema to print.
    #[arg(
        long = "for",
        value_enum,
        value_name = "KIND",
        default_value = "scenario"
    )]
    kind: Kind,
    #[command(flatten)]
    pub(crate) output: OutputArg,
}

/// Runs `schema`.
pub(crate) fn run(args: &Args, out: &mut Out) -> Done {
    let wanted = match args.kind {
        Kind::Scenario => "scenario",
        Kind::Timeline => "timeline",
        Kind::Decisions => "decisions",
        Kind::Exposure => "exposure",
        Kind::TimelineOutput => "timeline-output",
        Kind::Push => "push",
    };
    let schemas = sms_client_accounts::json_schemas();
    let (_, schema) = schemas
        .iter()
        .find(|(name, _)| *name == wanted)
        .ok_or_else(|| Failure::new(format!("no schema for `{wanted}`")))?;
    let text = serde_json::to_string_pretty(schema)
        .map_err(|e| Failure::new(format!("cannot render the schema: {e}")))?;
    out.line(&text);
    Ok(0)
}
