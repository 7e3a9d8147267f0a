//! The command-line habits every example shares: `--help`/`-h` prints the usage on
//! standard output and exits 0; an unknown option, a repeated one, a missing value, an
//! extra argument or two options that conflict are usage errors (exit 2); results go to
//! standard output, warnings and errors to standard error; a closed pipe (`| head`) ends
//! the output quietly instead of panicking.

#![allow(
    dead_code,
    unused_macros,
    unused_imports,
    reason = "each example uses the part it needs"
)]

use std::collections::BTreeMap;
use std::process::ExitCode;

/// Writes a line to standard output, quietly stopping at a closed pipe.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

/// [`outln!`] without the newline.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($t)*);
    }};
}

pub(crate) use {out, outln};

/// An option an example takes: `--json`, or `--client NAME` when it takes a value.
#[derive(Debug, Clone, Copy)]
pub struct Opt {
    /// The option as typed: `--json`.
    pub name: &'static str,
    /// The value's name in the usage (`NAME`), or `None` for a flag.
    pub value: Option<&'static str>,
}

/// A flag.
pub const fn flag(name: &'static str) -> Opt {
    Opt { name, value: None }
}

/// An option with a value.
pub const fn valued(name: &'static str, value: &'static str) -> Opt {
    Opt {
        name,
        value: Some(value),
    }
}

/// The arguments of one run.
#[derive(Debug, Clone, Default)]
pub struct Args {
    /// The arguments that are not options, in order.
    pub positional: Vec<String>,
    options: BTreeMap<&'static str, Option<String>>,
}

impl Args {
    /// Whether `name` was given.
    pub fn has(&self, name: &str) -> bool {
        self.options.contains_key(name)
    }

    /// The value of `name`, if given.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.options.get(name).and_then(|v| v.as_deref())
    }
}

/// Why the run stops before it starts: the exit code it ends with.
pub type Stop = ExitCode;

/// A usage error: the message and the usage on standard error, exit 2.
pub fn usage_error(usage: &str, message: &str) -> Stop {
    eprintln!("error: {message}\n{usage}");
    ExitCode::from(2)
}

/// Parses the command line against `opts`; at most `max_positional` plain arguments.
/// `help` is printed after the usage for `--help`.
pub fn parse(usage: &str, help: &str, opts: &[Opt], max_positional: usize) -> Result<Args, Stop> {
    parse_from(std::env::args().skip(1), usage, help, opts, max_positional)
}

/// [`parse`] over given arguments.
pub fn parse_from(
    args: impl IntoIterator<Item = String>,
    usage: &str,
    help: &str,
    opts: &[Opt],
    max_positional: usize,
) -> Result<Args, Stop> {
    let mut out = Args::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            outln!("{usage}");
            if !help.is_empty() {
                outln!("\n{help}");
            }
            return Err(ExitCode::SUCCESS);
        }
        if arg.starts_with('-') && arg.len() > 1 {
            let Some(opt) = opts.iter().find(|o| o.name == arg) else {
                let known: Vec<&str> = opts.iter().map(|o| o.name).collect();
                return Err(usage_error(
                    usage,
                    &format!(
                        "unknown option `{arg}`; known options are {}",
                        known.join(", ")
                    ),
                ));
            };
            if out.options.contains_key(opt.name) {
                return Err(usage_error(usage, &format!("`{arg}` given twice")));
            }
            let value = match opt.value {
                None => None,
                Some(what) => match args.next() {
                    Some(v) => Some(v),
                    None => {
                        return Err(usage_error(usage, &format!("`{arg}` needs a {what}")));
                    }
                },
            };
            out.options.insert(opt.name, value);
        } else if out.positional.len() < max_positional {
            out.positional.push(arg);
        } else {
            let what = match max_positional {
                0 => "no argument but options".to_string(),
                1 => "one file at most".to_string(),
                n => format!("{n} arguments at most"),
            };
            return Err(usage_error(
                usage,
                &format!("unexpected argument `{arg}`: {what}"),
            ));
        }
    }
    Ok(out)
}

/// A usage error when more than one of `group` was given.
pub fn exclusive(args: &Args, usage: &str, group: &[&str]) -> Result<(), Stop> {
    let given: Vec<&str> = group.iter().copied().filter(|o| args.has(o)).collect();
    if given.len() > 1 {
        return Err(usage_error(
            usage,
            &format!("{} cannot be used together", given.join(" and ")),
        ));
    }
    Ok(())
}

/// A usage error when `option` was given without any of `needs`.
pub fn requires(args: &Args, usage: &str, option: &str, needs: &[&str]) -> Result<(), Stop> {
    if args.has(option) && !needs.iter().any(|n| args.has(n)) {
        return Err(usage_error(
            usage,
            &format!("`{option}` goes with {}", needs.join(" or ")),
        ));
    }
    Ok(())
}
