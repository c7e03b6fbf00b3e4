//! The diagnosis of a refused request: what its headers say about the URL Twilio called, handed with the
//! request to the core's engine ([`crate::diagnosis`]).

use rocket::Request;

use super::config::{TwilioState, UrlSettings};
use super::request_url::{self, first_value, rfc7239_first, Carries, FORWARDED_HEADERS};
use crate::diagnosis::{diagnose, Clues, Diagnosis, Evidence, FormBody, Skipped, UrlSetup};
use crate::{Rejection, Webhook};

/// The diagnosis of a refusal worth one in a log line, or `None` (budget spent, nothing to search).
pub(crate) fn run(
    req: &Request<'_>,
    state: &TwilioState,
    webhook: &Webhook<'_>,
    rejection: &Rejection,
    form: Option<FormBody<'_>>,
) -> Option<Diagnosis> {
    // During a flood, nothing is gathered: the refusal keeps its plain reason.
    if state.budget.is_spent() {
        return None;
    }
    let mut clues = clues(req);
    // With base_url or trusted headers the server did not use the request's own Host: it may be right.
    if state.url.base_url.is_some() || state.url.trust_forwarded_headers {
        if let Some(host) = req.host() {
            let _ = clues.host(&host.to_string(), "Host");
        }
    }
    // The URL trusting the forwarded headers would give: if Twilio signed it, trusting them is the fix.
    let trusted = (state.url.base_url.is_none() && !state.url.trust_forwarded_headers && !clues.is_empty())
        .then(|| {
            request_url::rebuild(req, &UrlSettings { base_url: None, trust_forwarded_headers: true }).ok()
        })
        .flatten();
    let setup = match (&state.url.base_url, state.url.trust_forwarded_headers) {
        (Some(base), _) => UrlSetup::BaseUrl(base),
        (None, true) => UrlSetup::TrustedHeaders,
        (None, false) => UrlSetup::Request { trusted: trusted.as_deref() },
    };
    let target = req.uri().to_string();
    let mut evidence = Evidence::new(*webhook, &target, &clues).refused_with(rejection).setup(setup);
    if let Some(form) = form {
        evidence = evidence.form(form);
    }
    match diagnose(&evidence, &*state.resolver, &state.budget) {
        d @ (Diagnosis::Found(_)
        | Diagnosis::NoMatch(_)
        | Diagnosis::Skipped(Skipped::SignatureLength(_))) => Some(d),
        _ => None,
    }
}

/// What the request's forwarded headers say, trusted or not; malformed values are ignored.
fn clues(req: &Request<'_>) -> Clues {
    let headers = req.headers();
    let mut clues = Clues::new();
    if let Some(forwarded) = headers.get_one("Forwarded") {
        let (proto, host) = rfc7239_first(forwarded);
        if let Some(proto) = proto {
            let _ = clues.proto(proto, "Forwarded");
        }
        if let Some(host) = host {
            let _ = clues.host(host, "Forwarded");
        }
    }
    for header in &FORWARDED_HEADERS {
        let Some(value) = headers.get_one(header.name).map(header.value) else { continue };
        let _ = match header.carries {
            Carries::Proto => clues.proto(value, header.name),
            Carries::Host => clues.host(value, header.name),
            Carries::Port => clues.port(value, header.name),
        };
    }
    if let Some(prefix) = headers.get_one("X-Forwarded-Prefix").map(first_value) {
        let _ = clues.prefix(prefix, "X-Forwarded-Prefix");
    }
    for name in ["X-Original-URI", "X-Forwarded-Uri"] {
        if let Some(uri) = headers.get_one(name) {
            let _ = clues.original_uri(uri, name);
        }
    }
    clues
}
