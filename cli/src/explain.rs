//! `twilio-webhook explain`: why does a signature not match, and what would make it match?
//!
//! A front end to the diagnosis engine the Rocket guard runs on every refused webhook
//! ([`rocket_twilio::diagnosis`]): the URL variants, keys and body shapes are the engine's; this module
//! reads the arguments, repairs what copying from a log mangles (a signature whose `+` became a space or
//! that was percent-encoded, parameters given URL-encoded), and prints the answer. It prints which variant
//! matched, never a signature.

use std::io::Write;

use rocket_twilio::diagnosis::{diagnose, Budget, Clues, Diagnosis, Evidence, Finding, UrlParts};
use rocket_twilio::{Algorithm, Keyring, Payload, RequestValidator, Webhook};

use crate::args::ExplainArgs;
use crate::error::{CliError, Outcome, Verdict};
use crate::secret::{self, SECONDARY_TOKEN_ENV};

/// A repair of the input, tried when the input as given matches nothing.
struct Repair {
    signature: String,
    params: Vec<(String, String)>,
    /// What was repaired (a difference), and what to do about it.
    what: Option<(&'static str, &'static str)>,
}

/// Tells whether the signature matches, and if not, which nearby request it does match.
pub(crate) fn run(args: &ExplainArgs, out: &mut dyn Write) -> Outcome {
    let url = UrlParts::parse(&args.url).map_err(|e| CliError::usage(format!("invalid URL: {e}")))?;
    let clues = clues(args)?;
    let primary = secret::primary(args.token.auth_token_file.as_deref())?;
    let secondary = secret::secondary(args.secondary_token_file.as_deref())?;
    let mut keyring = Keyring::new().primary(primary.expose()).map_err(|e| CliError::usage(e.to_string()))?;
    if let Some(secondary) = &secondary {
        keyring = keyring.secondary(secondary.expose()).map_err(|e| CliError::usage(e.to_string()))?;
    }
    let signature = args.signature.as_str();
    let params: Vec<(String, String)> =
        args.params.iter().map(|p| (p.name.clone(), p.value.clone())).collect();
    let described = describe_request(&args.url, args.params.len());

    // As the app validates: the URL as given, with or without its port.
    if let Some(algorithm) = Algorithm::of_signature(signature) {
        if RequestValidator::with_algorithm(primary.expose(), algorithm).validate(
            &args.url,
            as_pairs(&params),
            signature,
        ) {
            writeln!(out, "match: the signature is valid for {described} (primary Auth Token, {algorithm})")?;
            return Ok(Verdict::Pass);
        }
    }
    writeln!(out, "mismatch: the signature is not valid for {described}")?;

    let target = url.target();
    let mut last = None;
    for repair in repairs(signature, &params) {
        let pairs = as_pairs(&repair.params);
        let webhook = Webhook::new(&args.url, Payload::Form(&pairs), &repair.signature);
        let evidence = Evidence::new(webhook, &target, &clues);
        match diagnose(&evidence, &keyring, &Budget::unlimited()) {
            Diagnosis::Found(found) => {
                print_found(out, &found, repair.what)?;
                return Ok(Verdict::Fail);
            }
            other => last = Some(other),
        }
    }
    match last {
        Some(Diagnosis::NoMatch(none)) => {
            writeln!(
                out,
                "none of the {} nearby variants matches either ({} URLs, with {} key{}, and the other body shapes).",
                none.urls() * none.keys(),
                none.urls(),
                none.keys(),
                if none.keys() == 1 { "" } else { "s" }
            )?;
            writeln!(
                out,
                "check: that {} is the current primary Auth Token of the account (or sub-account) that \
                 owns the number; that every POST parameter is given exactly as received, empty ones \
                 included; and the public URL Twilio calls (try --host HOST and --prefix /PREFIX)",
                args.token.auth_token_file.as_ref().map_or_else(
                    || secret::TOKEN_ENV.to_owned(),
                    |p| format!("the token in {}", p.display())
                ),
            )?;
            if secondary.is_none() {
                writeln!(
                    out,
                    "hint: during a token rotation, set {SECONDARY_TOKEN_ENV} (or --secondary-token-file) \
                     to try the other token too"
                )?;
            }
        }
        Some(other) => writeln!(out, "{other}")?,
        None => {}
    }
    Ok(Verdict::Fail)
}

/// `--host` and `--prefix` as the engine's clues.
fn clues(args: &ExplainArgs) -> Result<Clues, CliError> {
    for (values, flag) in [(&args.hosts, "--host"), (&args.prefixes, "--prefix")] {
        if values.len() > Clues::MAX_PER_KIND {
            return Err(CliError::usage(format!("at most {} {flag} values", Clues::MAX_PER_KIND)));
        }
    }
    let mut clues = Clues::new();
    for host in &args.hosts {
        clues.host(host, "--host").map_err(|e| CliError::usage(format!("invalid --host `{host}`: {e}")))?;
    }
    for prefix in &args.prefixes {
        clues.prefix(prefix, "--prefix").map_err(|_| {
            CliError::usage(format!("invalid --prefix `{prefix}`: expected a path such as /api"))
        })?;
    }
    Ok(clues)
}

/// The input as given, then repaired the ways copying from a log mangles it.
fn repairs(signature: &str, params: &[(String, String)]) -> Vec<Repair> {
    let mut repairs = vec![Repair { signature: signature.to_owned(), params: params.to_vec(), what: None }];
    if signature.contains(' ') {
        repairs.push(Repair {
            signature: signature.replace(' ', "+"),
            params: params.to_vec(),
            what: Some((
                "spaces in the signature read as '+'",
                "the X-Twilio-Signature had been URL-decoded ('+' became a space): use the raw header value",
            )),
        });
    }
    if signature.contains('%') {
        repairs.push(Repair {
            signature: percent_encoding::percent_decode_str(signature).decode_utf8_lossy().into_owned(),
            params: params.to_vec(),
            what: Some((
                "signature percent-decoded",
                "the signature was percent-encoded (%2B, %2F, %3D): use the raw header value",
            )),
        });
    }
    let decoded: Vec<(String, String)> =
        params.iter().map(|(n, v)| (form_decode(n), form_decode(v))).collect();
    if decoded != params {
        repairs.push(Repair {
            signature: signature.to_owned(),
            params: decoded,
            what: Some((
                "parameter values URL-decoded",
                "give the parameter values decoded (From=+14155550100, not From=%2B14155550100): Twilio \
                 signs the values your framework parses from the form",
            )),
        });
    }
    repairs
}

fn print_found(out: &mut dyn Write, found: &Finding, repair: Option<(&str, &str)>) -> std::io::Result<()> {
    writeln!(out, "Twilio signed: {}", found.url())?;
    let mut differences: Vec<String> = found.changes().iter().map(ToString::to_string).collect();
    differences.extend(repair.map(|(what, _)| what.to_owned()));
    writeln!(out, "differences: {}", differences.join("; "))?;
    if !found.changes().is_empty() {
        writeln!(out, "fix: {}", found.fix())?;
    }
    if let Some((_, fix)) = repair {
        writeln!(out, "fix: {fix}")?;
    }
    Ok(())
}

/// One name or value as a form decodes it: `+` is a space, then `%XX`.
fn form_decode(s: &str) -> String {
    form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The pairs as `(&str, &str)`, for the signature functions.
fn as_pairs(params: &[(String, String)]) -> Vec<(&str, &str)> {
    params.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
}

fn describe_request(url: &str, params: usize) -> String {
    match params {
        0 => format!("{url} with no POST parameters"),
        1 => format!("{url} with this 1 POST parameter"),
        n => format!("{url} with these {n} POST parameters"),
    }
}
