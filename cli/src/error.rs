//! Exit codes and the errors that end a command early.

use std::fmt;
use std::process::ExitCode;

/// The outcome of a command that ran to the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Everything checked out (exit code 0).
    Pass,
    /// The check or explanation found a problem (exit code 1).
    Fail,
}

impl Verdict {
    /// `Pass` when `ok` holds.
    pub(crate) fn from_ok(ok: bool) -> Self {
        if ok {
            Verdict::Pass
        } else {
            Verdict::Fail
        }
    }

    /// The process exit code for this verdict.
    pub(crate) fn exit_code(self) -> ExitCode {
        match self {
            Verdict::Pass => ExitCode::from(EXIT_OK),
            Verdict::Fail => ExitCode::from(EXIT_FAILED),
        }
    }
}

/// Exit code: success.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code: `check` or `explain` found a problem (not protected, refused a valid request, mismatch).
pub(crate) const EXIT_FAILED: u8 = 1;
/// Exit code: usage or configuration error (bad argument, missing or empty token, unreadable file).
/// clap uses the same code for its own usage errors.
pub(crate) const EXIT_USAGE: u8 = 2;
/// Exit code: network error (connection refused, timeout, DNS, TLS).
pub(crate) const EXIT_NETWORK: u8 = 3;

/// The exit-code table shown in `--help` and in the README.
pub(crate) const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success (for check: valid requests got 2xx and forged ones 403; for explain: the signature matches)
  1  verdict failed (check: the endpoint refused a valid request or accepted a forged one;
     explain: the signature does not match the URL as given)
  2  usage or configuration error (bad argument, missing or empty auth token, unreadable file)
  3  network error (connection refused, timeout, unknown host, TLS failure)";

/// An error that stops a command before it reaches a verdict.
#[derive(Debug)]
pub(crate) enum CliError {
    /// Bad input or configuration: exit code 2.
    Usage(String),
    /// The network failed: exit code 3. `kind` is a few words for a table cell ("timed out").
    Network {
        /// A short description, such as `connection refused`.
        kind: &'static str,
        /// The full message.
        message: String,
    },
}

impl CliError {
    /// A usage or configuration error.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
    }

    /// The process exit code for this error.
    pub(crate) fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Usage(_) => ExitCode::from(EXIT_USAGE),
            CliError::Network { .. } => ExitCode::from(EXIT_NETWORK),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(message) | CliError::Network { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for CliError {}

impl From<std::io::Error> for CliError {
    /// Writing the output failed (e.g. a closed pipe).
    fn from(e: std::io::Error) -> Self {
        CliError::usage(format!("cannot write the output: {e}"))
    }
}

/// What a command returns: a verdict, or an error that prevented one.
pub(crate) type Outcome = Result<Verdict, CliError>;
