//! `sms-accounts`: the command-line tool of the `sms_client_accounts` library. Its code
//! lives in [`cli`], a leaf the library never imports; this file only starts it.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
