//! `exposure`: what an estate exposes. Without a question, its findings (or the graph as
//! JSON, DOT or OpenGraph); with `--credential` or `--client`, what that start yields,
//! directly or transitively, and whether it reaches `--target`.

use sms_client_accounts::exposure::export::{
    compromise_text, findings_text, frontier_text, to_dot, to_opengraph,
};
use std::path::Path;

use sms_client_accounts::exposure::opengraph::{OpenGraphSplit, to_opengraph_split};
use sms_client_accounts::exposure::output::{compromise_output, target_output, to_json};
use sms_client_accounts::exposure::{Exposure, Node, Reach, Start};
use sms_client_accounts::model::Estate;
use sms_client_accounts::scenario::Resolver;

use super::{Done, Failure, Out, OutputArg, load_scenario};

/// `exposure`'s arguments.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("question").args(["credential", "client", "from_segment"])))]
pub(crate) struct Args {
    /// A scenario file (`-`: standard input); the built-in demo without it.
    #[arg(value_name = "FILE")]
    file: Option<String>,
    /// The graph and the findings as JSON (with a question: its answer).
    #[arg(long, conflicts_with_all = ["dot", "opengraph"])]
    json: bool,
    /// Graphviz DOT of the graph, identical clients collapsed.
    #[arg(long, conflicts_with_all = ["opengraph", "credential", "client", "from_segment"])]
    dot: bool,
    /// BloodHound OpenGraph JSON; with `-o DIR` (a folder), the documents BloodHound CE
    /// ingests beside ConfigManBearPig's and SharpHound's: the AD objects keyed by SID
    /// (untagged), the crate's own graph (tagged `SMS`) and its extension schema.
    #[arg(long, conflicts_with_all = ["credential", "client", "from_segment"])]
    opengraph: bool,
    /// What the password of ACCOUNT (`DOMAIN\name`, `MACHINE\name`) yields.
    #[arg(long, value_name = "ACCOUNT", conflicts_with = "client")]
    credential: Option<String>,
    /// What control of the client NAME yields.
    #[arg(long, value_name = "NAME", conflicts_with = "from_segment")]
    client: Option<String>,
    /// What an unauthenticated machine on network segment NAME obtains (PXE boot media,
    /// CRED-1), a segment a PXE distribution point answers on (`site.pxe`).
    #[arg(long, value_name = "NAME", conflicts_with = "credential")]
    from_segment: Option<String>,
    /// With a question: go on through every machine administered, for good or while a
    /// program runs (each such run a condition).
    #[arg(long, requires = "question")]
    transitive: bool,
    /// With a question: whether it reaches NAME (a group or user `STORE\name`, a
    /// machine, a share `\\server\share`), and if not, the facts one step from it.
    #[arg(long, value_name = "NAME", requires = "question")]
    target: Option<String>,
    #[command(flatten)]
    pub(crate) output: OutputArg,
}

/// Runs `exposure`.
pub(crate) fn run(args: &Args, out: &mut Out) -> Done {
    let (_, scenario) = load_scenario(args.file.as_deref())?;
    let estate = &scenario.estate;
    let x = Exposure::build(estate, &scenario.state);
    let reach = if args.transitive {
        Reach::Transitive
    } else {
        Reach::Direct
    };
    let pretty = |v: serde_json::Value| serde_json::to_string_pretty(&v).unwrap_or_default();
    let names = Resolver(estate);
    let start = match (&args.credential, &args.client) {
        (Some(n), _) => Some(Start::Credential(
            names
                .account(n)
                .map_err(|e| Failure::new(format!("`--credential`: {e}")))?,
        )),
        (None, Some(n)) => Some(Start::Client(
            names
                .machine(n)
                .map_err(|e| Failure::new(format!("`--client`: {e}")))?,
        )),
        (None, None) => match &args.from_segment {
            Some(n) => {
                Some(Start::Segment(names.segment(n).map_err(|e| {
                    Failure::new(format!("`--from-segment`: {e}"))
                })?))
            }
            None => None,
        },
    };
    let target = match args.target.as_deref().map(|n| target(estate, n)) {
        Some(Ok(t)) => Some(t),
        Some(Err(e)) => return Err(Failure::new(format!("`--target`: {e}"))),
        None => None,
    };
    match start {
        Some(start) => {
            let reached = x.compromise(start, reach);
            let frontier =
                target.map(|t| (t, x.frontier(estate, &scenario.state, start, reach, t)));
            if args.json {
                let mut doc = compromise_output(estate, &x, start, reach, &reached);
                if let (Some(c), Some((t, f))) = (doc.compromise.as_mut(), &frontier) {
                    c.target = Some(target_output(estate, *t, f.as_deref()));
                }
                out.line(&serde_json::to_string_pretty(&doc).unwrap_or_default());
            } else {
                out.line(&match start {
                    Start::Credential(a) => {
                        format!("the password of {} yields:", estate.qualified_name(a))
                    }
                    Start::Client(m) => format!("control of {} yields:", estate.machine(m).name),
                    Start::Segment(k) => format!(
                        "a machine on network segment {} obtains:",
                        estate.site().configmgr.osd.segment_name(k)
                    ),
                });
                out.text(&compromise_text(estate, &x, &reached));
                if let Some((t, f)) = &frontier {
                    out.text(&frontier_text(estate, *t, f.as_deref()));
                }
            }
        }
        None if args.dot => out.text(&to_dot(estate, &x)),
        None if args.json => out.line(&pretty(to_json(estate, &x, &x.findings(estate)))),
        None if args.opengraph && is_folder(args.output.output.as_deref()) => {
            let dir = out.take_path().unwrap_or_default();
            write_split(&dir, &to_opengraph_split(estate, &x))?;
        }
        None if args.opengraph => out.line(&pretty(to_opengraph(estate, &x))),
        None => out.text(&findings_text(estate, &x, &x.findings(estate))),
    }
    Ok(0)
}

/// Whether `-o PATH` names a folder: one that exists, or a new path without an
/// extension (`-o bloodhound/`, `-o export`); `-o graph.json` names a file.
fn is_folder(path: Option<&Path>) -> bool {
    path.is_some_and(|p| p.is_dir() || (!p.exists() && p.extension().is_none()))
}

/// Writes the split OpenGraph export into `dir` (created if need be): the untagged AD
/// document, the tagged one, and the extension schema.
fn write_split(dir: &Path, split: &OpenGraphSplit) -> Result<(), Failure> {
    let fail =
        |e: std::io::Error| Failure::new(format!("cannot write into `{}`: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    for (name, doc) in split.files() {
        let text = serde_json::to_string_pretty(doc).unwrap_or_default() + "\n";
        std::fs::write(dir.join(name), text).map_err(fail)?;
    }
    Ok(())
}

/// The node `--target` names: a share path, an account `STORE\\name`, or a machine.
fn target(estate: &Estate, name: &str) -> Result<Node, String> {
    let names = Resolver(estate);
    if name.starts_with("\\\\") {
        return estate
            .share_by_path(name)
            .map(Node::Share)
            .ok_or_else(|| format!("no share `{name}` in the scenario"));
    }
    if name.contains('\\') {
        return names
            .account(name)
            .map(Node::Account)
            .map_err(|e| e.to_string());
    }
    names
        .machine(name)
        .map(Node::Machine)
        .map_err(|e| e.to_string())
}
