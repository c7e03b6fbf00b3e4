//! [`SignaturePresent`]: the request guard that refuses, before any other guard runs, a request that
//! cannot be a Twilio webhook because it has no usable signature header.

use rocket::request::{self, FromRequest};
use rocket::{Ignite, Request, Rocket, Sentinel};

use crate::data_guard::missing_fairing;
use crate::error::{Reason, TwilioError};
use crate::{request_url, verify, SIGNATURE_HEADER};

/// A request guard that refuses (403) a request with no, an empty or more than one `X-Twilio-Signature`
/// header. It checks no signature: the route's [`Validated`](crate::Validated) data guard does that, once
/// the body is read.
///
/// `#[validate_twilio_request]` puts it first on routes with a body, because Rocket runs data guards after
/// every request guard: without it, the user's own guards (a database lookup, an authentication guard
/// answering 401) would run, and answer, for requests that can never be valid. With it, only requests
/// that carry a signature reach them; those guards still run before the body is checked.
///
/// It never forwards, and lets everything through when validation is disabled (debug profile only).
#[derive(Debug, Clone, Copy)]
pub struct SignaturePresent(());

#[rocket::async_trait]
impl<'r> FromRequest<'r> for SignaturePresent {
    type Error = TwilioError;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        match check(req) {
            Ok(()) => request::Outcome::Success(SignaturePresent(())),
            Err(e) => request::Outcome::Error(e.fail(req)),
        }
    }
}

fn check(req: &Request<'_>) -> Result<(), TwilioError> {
    let state = verify::state(req)?;
    if state.disabled {
        return Ok(());
    }
    let mut values = req.headers().get(SIGNATURE_HEADER);
    let reason = match (values.next(), values.next()) {
        (None, _) => Reason::MissingSignature,
        (Some(_), Some(_)) => Reason::DuplicateSignature,
        (Some(value), None) if value.trim().is_empty() => Reason::EmptySignature,
        (Some(_), None) => return Ok(()),
    };
    // The URL is only rebuilt for the log line of a refusal, as the data guard's own check does.
    Err(TwilioError::new(reason, request_url::rebuild(req, &state.url).ok()))
}

impl Sentinel for SignaturePresent {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        missing_fairing(rocket)
    }
}
