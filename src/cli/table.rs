//! `table`: the exhaustive decision table as Markdown, every combination of a
//! decision's finite inputs resolved and grouped into decision classes (see
//! `sms_client_accounts::table`); `--configmgr`: a Configuration Manager site's.

use sms_client_accounts::table::{Classes, ConfigMgrClasses, for_each_configmgr_row, for_each_row};

use super::{Done, Out, OutputArg};

/// `table`'s arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The table of a Configuration Manager site.
    #[arg(long)]
    configmgr: bool,
    #[command(flatten)]
    pub(crate) output: OutputArg,
}

/// Runs `table`.
pub(crate) fn run(args: &Args, out: &mut Out) -> Done {
    if args.configmgr {
        let mut classes = ConfigMgrClasses::default();
        for_each_configmgr_row(|inputs, estate, _state, r| classes.add(inputs, estate, r));
        out.text(&classes.to_markdown());
    } else {
        let mut classes = Classes::default();
        for_each_row(|inputs, estate, _state, r| classes.add(inputs, estate, r));
        out.text(&classes.to_markdown());
    }
    Ok(0)
}
