//! `twilio-webhook sign`: the signature Twilio would send.

use std::io::{Read, Write};
use std::path::Path;

use rocket_twilio::diagnosis::UrlParts;
use rocket_twilio::{url_with_body_hash, RequestValidator};

use crate::args::SignArgs;
use crate::error::{CliError, Outcome, Verdict};
use crate::params::pairs;
use crate::secret;

/// The URL Twilio signs for the webhook URL `given`: without `user:pass@`, which Twilio's documentation
/// says it drops before signing (it authenticates with them instead). Shared by `sign` and `check`.
pub(crate) fn signed_url(given: &str) -> Result<(UrlParts, String), CliError> {
    let url = UrlParts::parse(given).map_err(|e| CliError::usage(format!("invalid URL: {e}")))?;
    let signed = if url.userinfo().is_some() { url.without_userinfo().to_string() } else { given.to_owned() };
    Ok((url, signed))
}

/// Prints the signature (and, for a JSON body, the URL with `bodySHA256`) to `out`.
pub(crate) fn run(args: &SignArgs, out: &mut dyn Write) -> Outcome {
    let (url, signed) = signed_url(&args.url)?;
    let stdin = Path::new("-");
    if args.json_body.as_deref() == Some(stdin) && args.token.auth_token_file.as_deref() == Some(stdin) {
        return Err(CliError::usage("--json-body and --auth-token-file cannot both read standard input"));
    }
    let websocket = rocket_twilio::is_websocket_scheme(url.scheme());
    if websocket && url.fragment().is_some() {
        return Err(CliError::usage("the URL has a #fragment, which is never sent to a server: remove it"));
    }
    if websocket && (args.json_body.is_some() || !args.params.is_empty()) {
        return Err(CliError::usage(
            "a WebSocket handshake has no body: give the ws(s):// URL with its query string, whose parameters \
             Twilio signs after the URL",
        ));
    }
    let secret = secret::primary(args.token.auth_token_file.as_deref())?;
    let validator = RequestValidator::with_algorithm(secret.expose(), args.algorithm.into());
    if url.userinfo().is_some() {
        eprintln!(
            "twilio-webhook: note: Twilio leaves user:pass@ out of the URL it signs (it sends them as HTTP \
             credentials): signed {signed}"
        );
    }
    if websocket {
        // Media Streams and ConversationRelay handshakes: the URL without its query, then its parameters.
        writeln!(out, "{}", validator.compute_handshake_signature(&signed))?;
        return Ok(Verdict::Pass);
    }

    match &args.json_body {
        Some(path) => {
            if url.has_body_sha256() {
                return Err(CliError::usage(
                    "the URL already has bodySHA256: give the URL without it, Twilio adds it for JSON bodies",
                ));
            }
            let body = read_body(path)?;
            let signed_url = url_with_body_hash(&signed, &body);
            writeln!(out, "{}", validator.compute_url_signature(&signed_url))?;
            writeln!(out, "{signed_url}")?;
        }
        None => writeln!(out, "{}", validator.compute_signature(&signed, pairs(&args.params)))?,
    }
    Ok(Verdict::Pass)
}

/// The raw body bytes (any encoding) from `path`, or standard input for `-`.
fn read_body(path: &Path) -> Result<Vec<u8>, CliError> {
    if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| CliError::usage(format!("cannot read the body from standard input: {e}")))?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| CliError::usage(format!("cannot read body file {}: {e}", path.display())))
}
