//! `push`: a Configuration Manager site's client push, decided for each target: the
//! credentials offered in order, over which protocol, and which one installs, each try
//! with its rules (text, or `--json`).

use super::{Done, Failure, Out, OutputArg, load_scenario};

/// `push`'s arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The scenario file (`-`: standard input).
    #[arg(value_name = "FILE")]
    file: String,
    /// Only this target.
    #[arg(long, value_name = "MACHINE")]
    target: Option<String>,
    /// Print JSON (`schema --for push`) instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    pub(crate) output: OutputArg,
}

/// Runs `push`.
pub(crate) fn run(args: &Args, out: &mut Out) -> Done {
    let (_, scenario) = load_scenario(Some(&args.file))?;
    let e = &scenario.estate;
    let mut decisions = sms_client_accounts::engine::push::push_all(e, &scenario.state);
    if let Some(name) = &args.target {
        let m = sms_client_accounts::scenario::Resolver(e)
            .machine(name)
            .map_err(|why| Failure::new(format!("`--target`: {why}")))?;
        decisions.retain(|d| d.target == m);
        if decisions.is_empty() {
            return Err(Failure::new(format!(
                "`--target`: the site does not push to `{name}`"
            )));
        }
    }
    if args.json {
        let doc = sms_client_accounts::render::push_output(e, &decisions);
        let text = serde_json::to_string_pretty(&doc)
            .map_err(|e| Failure::new(format!("cannot render JSON: {e}")))?;
        out.line(&text);
    } else {
        out.text(&sms_client_accounts::render::push_text(e, &decisions));
    }
    Ok(0)
}
