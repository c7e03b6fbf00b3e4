//! `twilio-webhook`: sign test requests, check a deployed Twilio webhook, and explain signature mismatches.
//!
//! See `twilio-webhook --help` and `cli/README.md`.

mod args;
mod check;
mod error;
mod explain;
mod http;
mod params;
mod secret;
mod sign;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::error::Outcome;

fn main() -> ExitCode {
    // clap prints usage errors and exits with 2 (0 for --help and --version).
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let outcome: Outcome = match &cli.command {
        Command::Sign(args) => sign::run(args, &mut out),
        Command::Check(args) => check::run(args, &mut out),
        Command::Explain(args) => explain::run(args, &mut out),
    };
    // A closed pipe can't be reported on it; the exit code still tells.
    let _ = out.flush();
    match outcome {
        Ok(verdict) => verdict.exit_code(),
        Err(error) => {
            eprintln!("twilio-webhook: error: {error}");
            error.exit_code()
        }
    }
}
