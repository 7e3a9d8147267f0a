//! The command-line tool: one subcommand a job (`trace`, `exposure`, `push`, `timeline`,
//! `validate`, `schema`, `table`, `matrix`, `traceability`, `estate`, `completions`),
//! parsed by clap. This module owns what every subcommand shares: reading a file or
//! standard input (`-`), writing results to standard output or to `-o FILE` (written
//! only when the job produced them, never after a load error), warnings and errors on
//! standard error, and the exit codes (0 done, 1 a bad file, an unknown name or a failed
//! expectation, 2 a usage error). The library never imports it.

mod estate;
mod exposure;
#[cfg(feature = "import")]
mod import;
mod matrix;
mod push;
mod report;
mod schema;
mod table;
mod timeline;
mod trace;
mod traceability;
mod validate;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory as _, Parser, Subcommand};

use sms_client_accounts::Scenario;
use sms_client_accounts::scenario::{FileError, load_file};

/// The tool's command line.
#[derive(Debug, Parser)]
#[command(
    name = "sms-accounts",
    version,
    about = "What runs as whom, and what leaks: the accounts, security contexts and credentials of SMS 2.0 (KB Q224286) and Configuration Manager clients",
    long_about = None,
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Decide every advertisement on every target client and print each decision with
    /// its trace (the built-in demo without FILE).
    Trace(trace::Args),
    /// What an estate exposes: its findings, a compromise question, or its graph.
    Exposure(exposure::Args),
    /// Decide a Configuration Manager site's client push: each target's tries, in order.
    Push(push::Args),
    /// Replay a day of an estate and print the log (the built-in day without FILE).
    Timeline(timeline::Args),
    /// Write one self-contained HTML page of a scenario or a timeline (the built-in demo
    /// without FILE): decisions, traces, why-not, findings and the exposure graph.
    Report(report::Args),
    /// Load a scenario file, summarise it and check its expectations.
    Validate(validate::Args),
    /// Make a scenario file from what the field collects (ConfigManBearPig, SharpHound).
    #[cfg(feature = "import")]
    Import(import::Args),
    /// Print the JSON Schema of a file the tool reads or writes.
    Schema(schema::Args),
    /// Print the exhaustive decision table as Markdown.
    Table(table::Args),
    /// Print the Misconfiguration Manager techniques the crate detects, with defences.
    Matrix(matrix::Args),
    /// Print every rule with the property tests and fixtures that show it.
    Traceability(traceability::Args),
    /// Generate an estate of any size, optionally write it, and time every phase.
    Estate(estate::Args),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// `-o FILE` / `--output FILE`: where the results go instead of standard output.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct OutputArg {
    /// Write the results to FILE instead of standard output (nothing is written when the
    /// job fails before it has them).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

/// Where a subcommand's results go: standard output, line by line (a closed pipe ends
/// the output quietly), or a buffer written to `-o FILE` once the job has them.
pub(crate) struct Out {
    file: Option<PathBuf>,
    buffer: String,
    closed: bool,
}

impl Out {
    fn new(output: &OutputArg) -> Out {
        Out {
            file: output.output.clone(),
            buffer: String::new(),
            closed: false,
        }
    }

    /// Writes `text` as it is.
    pub(crate) fn text(&mut self, text: &str) {
        if self.file.is_some() {
            self.buffer.push_str(text);
        } else if !self.closed {
            let mut stdout = std::io::stdout().lock();
            self.closed = stdout.write_all(text.as_bytes()).is_err() || stdout.flush().is_err();
        }
    }

    /// Writes `text` and a newline.
    pub(crate) fn line(&mut self, text: &str) {
        self.text(text);
        self.text("\n");
    }

    /// The `-o` path, taken: the job writes there itself (a folder of files), and
    /// [`Out::finish`] writes nothing.
    pub(crate) fn take_path(&mut self) -> Option<PathBuf> {
        self.file.take()
    }

    /// Writes the buffer to the `-o` file, if there is one.
    fn finish(self) -> Result<(), Failure> {
        let Some(path) = self.file else {
            return Ok(());
        };
        std::fs::write(&path, self.buffer)
            .map_err(|e| Failure::new(format!("cannot write `{}`: {e}", path.display())))
    }
}

/// A job that could not be done: its message, printed as `error: ...`, exit 1 (2 when
/// the command line is at fault).
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) message: String,
    usage: bool,
}

impl Failure {
    /// A job that failed: exit 1.
    pub(crate) fn new(message: String) -> Failure {
        Failure {
            message,
            usage: false,
        }
    }

    /// A command line that must say more: exit 2.
    pub(crate) fn usage(message: String) -> Failure {
        Failure {
            message,
            usage: true,
        }
    }
}

impl From<FileError> for Failure {
    fn from(e: FileError) -> Failure {
        Failure::new(e.to_string())
    }
}

/// What a job ends with when it is done: 0, or 1 for a failed expectation or a rule
/// without its tests (the results are written all the same).
pub(crate) type Done = Result<u8, Failure>;

/// A subcommand's job, ready to run into its [`Out`].
type Job = Box<dyn FnOnce(&mut Out) -> Done>;

/// Reads a scenario: the built-in demo without a path, standard input for `-`.
pub(crate) fn load_scenario(path: Option<&str>) -> Result<(String, Scenario), Failure> {
    match path {
        Some("-") => {
            let text = stdin()?;
            Scenario::from_json(&text)
                .map(|s| ("standard input".to_string(), s))
                .map_err(|e| Failure::new(format!("`standard input`: {e}")))
        }
        other => Ok(load_file(other)?),
    }
}

/// All of standard input, as text.
pub(crate) fn stdin() -> Result<String, Failure> {
    std::io::read_to_string(std::io::stdin())
        .map_err(|e| Failure::new(format!("cannot read standard input: {e}")))
}

/// Runs the tool on the process's arguments.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let (output, job): (OutputArg, Job) = match cli.command {
        Command::Trace(a) => (a.output.clone(), Box::new(move |o| trace::run(&a, o))),
        Command::Exposure(a) => (a.output.clone(), Box::new(move |o| exposure::run(&a, o))),
        Command::Push(a) => (a.output.clone(), Box::new(move |o| push::run(&a, o))),
        Command::Timeline(a) => (a.output.clone(), Box::new(move |o| timeline::run(&a, o))),
        Command::Report(a) => (a.output.clone(), Box::new(move |o| report::run(&a, o))),
        Command::Validate(a) => (a.output.clone(), Box::new(move |o| validate::run(&a, o))),
        #[cfg(feature = "import")]
        Command::Import(a) => {
            let import::What::Cmbp(c) = &a.what;
            (c.output.clone(), Box::new(move |o| import::run(&a, o)))
        }
        Command::Schema(a) => (a.output.clone(), Box::new(move |o| schema::run(&a, o))),
        Command::Table(a) => (a.output.clone(), Box::new(move |o| table::run(&a, o))),
        Command::Matrix(a) => (a.output.clone(), Box::new(move |o| matrix::run(&a, o))),
        Command::Traceability(a) => (
            a.output.clone(),
            Box::new(move |o| traceability::run(&a, o)),
        ),
        // The estate's `-o` is the generated scenario, written by the job itself.
        Command::Estate(a) => (
            OutputArg { output: None },
            Box::new(move |o| estate::run(&a, o)),
        ),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "sms-accounts", &mut std::io::stdout());
            return ExitCode::SUCCESS;
        }
    };
    let mut out = Out::new(&output);
    let done = job(&mut out).and_then(|code| out.finish().map(|()| code));
    match done {
        Ok(code) => ExitCode::from(code),
        Err(Failure { message, usage }) => {
            eprintln!("error: {message}");
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
