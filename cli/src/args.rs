//! The command line: `sign`, `check` and `explain`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::EXIT_CODES_HELP;
use crate::params::{parse_credentials, parse_param, Credentials, Param};

const SECRETS_HELP: &str = "\
Secrets:
  The Auth Token is read from the TWILIO_AUTH_TOKEN environment variable, or from --auth-token-file FILE
  (`-` reads standard input), exactly as the server reads its secrets: a leading byte order mark and
  surrounding whitespace (a line ending) are dropped, and an empty or all-NUL token is refused. It is never
  accepted as a command-line value, which any user could read with `ps`, and it is never printed.";

/// Sign, test and debug Twilio webhook signatures (X-Twilio-Signature).
#[derive(Debug, Parser)]
#[command(
    name = "twilio-webhook",
    version,
    about,
    long_about = "Sign, test and debug Twilio webhook signatures (X-Twilio-Signature).\n\n\
                  sign     prints the signature Twilio would send for a request\n\
                  check    sends correctly and wrongly signed requests to a deployed webhook\n\
                  explain  tells why a signature does not match, and which nearby URL it does match",
    after_help = format!("{SECRETS_HELP}\n\n{EXIT_CODES_HELP}"),
    propagate_version = true
)]
pub(crate) struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub(crate) command: Command,
}

const SIGN_ABOUT: &str = "Print the X-Twilio-Signature Twilio would send for a request.

For a form POST, give the URL and each POST parameter as NAME=VALUE. For a GET, give the full URL \
with its query string and no parameters. For a JSON (or any non-form) body, give --json-body FILE: \
Twilio adds bodySHA256=<hex SHA-256 of the body> to the query and signs that URL alone.

For a WebSocket that Twilio opens (Media Streams <Stream>, <ConversationRelay>), give the ws:// or \
wss:// URL from the TwiML and no parameters: Twilio signs the URL without its query string, followed by \
the query's parameters as if they were POST parameters.

Credentials in the URL (https://user:pass@host/…) are left out of the URL signed, as Twilio leaves them \
out.

Output: the signature on the first line; with --json-body, the URL to send the body to (with \
bodySHA256) on the second line.";

const SIGN_EXAMPLES: &str = "Examples:
  TWILIO_AUTH_TOKEN=12345 twilio-webhook sign https://example.com/sms From=+14155550100 Body=hi
  twilio-webhook sign --json-body event.json https://example.com/events
  twilio-webhook sign wss://example.com/relay";

const CHECK_ABOUT: &str = "Send correctly and wrongly signed requests to a deployed webhook, as the test \
script in Twilio's security guides does, and check the result.

For each method, one request carries the correct X-Twilio-Signature and one a signature made with a \
different token. The webhook passes when the valid requests get a 2xx answer and the forged ones 403. \
A GET sends the parameters in the query string (signed as part of the URL); a POST sends them \
form-encoded (signed after the URL). Redirects are reported, not followed.

Credentials in the URL (https://user:pass@host/…) are used as Twilio uses them: left out of the URL \
signed and sent, and given in answer to the server's Basic or Digest challenge.

Without --param, a sample webhook is sent: an incoming SMS, or the kind --sample names (call, \
message-status, call-status), with the parameters Twilio always sends with it; --param adds to it or \
replaces its values.

A ws:// or wss:// URL (a Media Streams or ConversationRelay WebSocket) gets two WebSocket handshakes \
instead, signed as Twilio signs them (the URL without its query, then the query's parameters): it passes \
when the genuine one is switched (101, with the right Sec-WebSocket-Accept) and the forged one gets 403. \
--method and --param do not apply to it.";

const CHECK_EXAMPLES: &str = "Examples:
  twilio-webhook check https://example.com/sms
  twilio-webhook check https://example.com/voice --sample call --method both
  twilio-webhook check wss://example.com/relay";

const EXPLAIN_ABOUT: &str = "Tell whether a signature matches a request and, when it does not, which \
nearby variant of the request it does match, with the one-line fix. The search is the one the Rocket \
guard runs on every refused webhook (rocket_twilio::diagnosis).

Give the URL your app validated against (as it logged it), the X-Twilio-Signature it received, and the \
POST parameters as NAME=VALUE. The variants tried, alone and combined: http/https; with or without the \
port; the --host alternatives (the host Twilio called, e.g. the public host in front of your proxy or \
ngrok) and the lower-cased host; the first path segment dropped, or a --prefix added or removed; a \
trailing slash added or removed; the query string dropped; credentials dropped from the URL; parameter \
values URL-decoded, or left out (GET and JSON requests sign the URL alone); the secondary Auth Token; \
a signature whose '+' was decoded as a space, or that was percent-encoded.

Only which variant matched is printed, never a signature.";

const EXPLAIN_EXAMPLES: &str = "Examples:
  twilio-webhook explain http://localhost:8000/sms --signature 'bJ2s…=' From=+14155550100 Body=hi
  twilio-webhook explain http://10.0.0.5:8000/sms --host example.com --signature '…' From=+1…";

const SECONDARY_HELP: &str =
    "  The secondary Auth Token comes from TWILIO_AUTH_TOKEN_SECONDARY or --secondary-token-file FILE.";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print the X-Twilio-Signature Twilio would send for a request.
    #[command(
        long_about = SIGN_ABOUT,
        after_help = format!("{SIGN_EXAMPLES}\n\n{SECRETS_HELP}\n\n{EXIT_CODES_HELP}")
    )]
    Sign(SignArgs),

    /// Send correctly and wrongly signed requests to a webhook and check it accepts only the former.
    #[command(
        long_about = CHECK_ABOUT,
        after_help = format!("{CHECK_EXAMPLES}\n\n{SECRETS_HELP}\n\n{EXIT_CODES_HELP}")
    )]
    Check(CheckArgs),

    /// Tell whether a signature matches a request, and which nearby URL variant it matches if not.
    #[command(
        long_about = EXPLAIN_ABOUT,
        after_help = format!("{EXPLAIN_EXAMPLES}\n\n{SECRETS_HELP}\n{SECONDARY_HELP}\n\n{EXIT_CODES_HELP}")
    )]
    Explain(ExplainArgs),
}

/// Where the Auth Token comes from, besides `TWILIO_AUTH_TOKEN`.
#[derive(Debug, Args)]
pub(crate) struct TokenArgs {
    /// Read the Auth Token (or Webhooks Shared Key secret) from FILE instead of TWILIO_AUTH_TOKEN
    /// (`-`: standard input).
    #[arg(long, value_name = "FILE")]
    pub(crate) auth_token_file: Option<PathBuf>,
}

/// The HMAC to sign with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum AlgorithmArg {
    /// HMAC-SHA1: Auth Token signatures.
    #[default]
    #[value(alias = "hmac_sha1", alias = "HMAC_SHA1")]
    Sha1,
    /// HMAC-SHA256: Webhooks Shared Keys configured for it.
    #[value(alias = "hmac_sha256", alias = "HMAC_SHA256")]
    Sha256,
}

impl From<AlgorithmArg> for rocket_twilio::Algorithm {
    fn from(a: AlgorithmArg) -> Self {
        match a {
            AlgorithmArg::Sha1 => rocket_twilio::Algorithm::HmacSha1,
            AlgorithmArg::Sha256 => rocket_twilio::Algorithm::HmacSha256,
        }
    }
}

/// `twilio-webhook sign`.
#[derive(Debug, Args)]
pub(crate) struct SignArgs {
    /// The full URL Twilio calls, query string included (ws:// or wss:// for a WebSocket handshake).
    pub(crate) url: String,

    /// POST parameters, each as NAME=VALUE (used as given: no URL-decoding). Repeat a NAME for
    /// multi-valued parameters.
    #[arg(value_name = "NAME=VALUE", value_parser = parse_param)]
    pub(crate) params: Vec<Param>,

    /// Sign a JSON (or other non-form) body read from FILE (`-`: standard input): prints the signature and
    /// the URL with bodySHA256 added.
    #[arg(long, value_name = "FILE", conflicts_with = "params")]
    pub(crate) json_body: Option<PathBuf>,

    /// The HMAC: sha1 for Auth Tokens, sha256 for Webhooks Shared Keys that use it.
    #[arg(long, value_enum, default_value_t = AlgorithmArg::Sha1)]
    pub(crate) algorithm: AlgorithmArg,

    #[command(flatten)]
    pub(crate) token: TokenArgs,
}

/// Which methods `check` sends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum MethodArg {
    /// Query-string parameters.
    Get,
    /// Form-encoded parameters (Twilio's default).
    #[default]
    Post,
    /// GET, then POST.
    Both,
}

/// The sample webhook `check` sends: the parameters Twilio always sends with it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum SampleArg {
    /// An incoming SMS (`rocket_twilio::webhooks::IncomingMessage`).
    #[default]
    Sms,
    /// An incoming call (`IncomingCall`).
    Call,
    /// A message status callback (`MessageStatusCallback`).
    MessageStatus,
    /// A call status callback (`CallStatusCallback`).
    CallStatus,
}

/// `twilio-webhook check`.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The webhook URL, exactly as configured in the Twilio console (http or https), or the ws or wss URL
    /// of a WebSocket from the TwiML.
    pub(crate) url: String,

    /// Which HTTP method(s) to test [default: post] (not for ws and wss URLs).
    #[arg(long, value_enum)]
    pub(crate) method: Option<MethodArg>,

    /// A parameter to send, as NAME=VALUE; repeatable. With --sample, added to the sample (replacing a
    /// parameter of the same name). Without either: the sms sample.
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    pub(crate) params: Vec<Param>,

    /// Send a sample webhook of this kind: the parameters Twilio always sends with it, so that a route
    /// reading a typed payload (rocket_twilio::webhooks) accepts it.
    #[arg(long, value_enum)]
    pub(crate) sample: Option<SampleArg>,

    /// Send HTTP Basic credentials: the webhook's own test credentials, never the Auth Token (command-line
    /// values are visible in `ps`).
    #[arg(long, value_name = "USER:PASS", value_parser = parse_credentials, conflicts_with = "digest")]
    pub(crate) basic: Option<Credentials>,

    /// Answer an HTTP Digest challenge with these credentials.
    #[arg(long, value_name = "USER:PASS", value_parser = parse_credentials)]
    pub(crate) digest: Option<Credentials>,

    /// Seconds to wait for each request (connect, send and answer) before giving up.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = parse_timeout)]
    pub(crate) timeout: Duration,

    #[command(flatten)]
    pub(crate) token: TokenArgs,
}

/// `twilio-webhook explain`.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The URL your app validated the request against (e.g. from its log).
    pub(crate) url: String,

    /// The X-Twilio-Signature the request carried.
    #[arg(long, value_name = "SIG")]
    pub(crate) signature: String,

    /// The request's POST parameters, each as NAME=VALUE (none for GET or JSON requests).
    #[arg(value_name = "NAME=VALUE", value_parser = parse_param)]
    pub(crate) params: Vec<Param>,

    /// Another host (or host:port) Twilio may have called, e.g. the public host in front of your proxy;
    /// repeatable.
    #[arg(long = "host", value_name = "HOST[:PORT]")]
    pub(crate) hosts: Vec<String>,

    /// A path prefix a proxy may strip or add (e.g. /api); repeatable. Dropping the first path segment is
    /// always tried.
    #[arg(long = "prefix", value_name = "/PREFIX")]
    pub(crate) prefixes: Vec<String>,

    /// Read the secondary Auth Token from FILE instead of TWILIO_AUTH_TOKEN_SECONDARY.
    #[arg(long, value_name = "FILE")]
    pub(crate) secondary_token_file: Option<PathBuf>,

    #[command(flatten)]
    pub(crate) token: TokenArgs,
}

/// Parses a positive number of seconds, fractions allowed (`0.5`).
fn parse_timeout(arg: &str) -> Result<Duration, String> {
    let secs: f64 = arg.trim().parse().map_err(|_| format!("`{arg}` is not a number of seconds"))?;
    if !(secs > 0.0 && secs <= 3600.0) {
        return Err("expected a number of seconds greater than 0 and at most 3600".to_owned());
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn timeouts_are_positive_and_bounded() {
        assert_eq!(parse_timeout("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_timeout("10"), Ok(Duration::from_secs(10)));
        for bad in ["0", "-1", "NaN", "inf", "1e9", "ten", ""] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
    }
}
