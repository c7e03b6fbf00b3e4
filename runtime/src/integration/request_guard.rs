//! The request guards: [`ValidatedRequest`] validates webhooks without a body (GET), and
//! [`SignaturePresent`] refuses, before any other guard runs, requests whose headers already show they
//! cannot be valid.

use rocket::request::{self, FromRequest};
use rocket::{Ignite, Request, Rocket, Sentinel};

use super::checker::{self, Checker, TwilioHeaders};
use super::dedupe::{self, DedupeState};
use super::error::{Reason, TwilioError};
use super::{fairing, request_url};

/// A request guard that lets a **bodiless** request through only if it carries Twilio's signature of its
/// URL (query string included). `#[validate_twilio_request]` adds it to GET routes.
///
/// A request that has a body is refused (403): its parameters would not be covered by a URL-only check.
/// Routes that receive bodies take a [`Validated`](crate::Validated) data guard instead.
///
/// A WebSocket handshake (a GET with `Upgrade: websocket`, e.g. to a `rocket_ws` route) is checked as
/// Twilio signs those: over its `ws://`/`wss://` URL, its query's parameters after the URL (see
/// [`RequestValidator::compute_handshake_signature`](crate::RequestValidator::compute_handshake_signature)).
/// The guard runs before the upgrade: a refused handshake gets 403 and no `101 Switching Protocols`.
///
/// ```
/// use rocket::get;
/// use rocket_twilio::ValidatedRequest;
///
/// #[get("/status?<CallStatus>")]
/// #[allow(non_snake_case)]
/// fn status(_twilio: ValidatedRequest, CallStatus: &str) -> String {
///     format!("call is {CallStatus}")
/// }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ValidatedRequest(pub(crate) ());

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ValidatedRequest {
    type Error = TwilioError;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        // Verified: claim the delivery if a `Delivery` guard already asked (dedupe/mod.rs).
        let checked = match check(req) {
            Ok(state) => dedupe::after_verification(req, state).await,
            Err(e) => Err(e),
        };
        TwilioError::outcome(req, checked.map(|()| ValidatedRequest(())))
    }
}

/// Verifies a bodiless request; returns the `Delivery` guards' store, for the claim that follows.
fn check<'r>(req: &'r Request<'_>) -> Result<Option<&'r DedupeState>, TwilioError> {
    let checker = Checker::start(req)?;
    if !checker.is_disabled() && has_body(req) {
        return Err(Reason::UnexpectedBody.into());
    }
    let dedupe = checker.dedupe();
    checker.finish_bodiless().map(|_| dedupe)
}

fn has_body(req: &Request<'_>) -> bool {
    let headers = req.headers();
    headers.contains("Transfer-Encoding")
        || headers.get("Content-Length").any(|len| len.trim().parse::<u64>().map_or(true, |n| n > 0))
}

impl Sentinel for ValidatedRequest {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        fairing::is_missing(rocket)
    }
}

/// A request guard that refuses (403), before any other guard of the route runs, a request with no,
/// an empty or a repeated `X-Twilio-Signature`: no such request can be valid. It checks nothing else; the
/// route's [`Validated`](crate::Validated) data guard, which runs last, checks the signature.
///
/// `#[validate_twilio_request]` adds it as the first parameter of routes with a body, so that a user's
/// own guards (a database lookup, a rate counter, an authentication that answers 401) do not run for
/// unsigned requests, just as on GET routes, where [`ValidatedRequest`] comes first. What still runs
/// before the signature is checked on such routes: the other request guards, path and query guards, for
/// requests that do carry a signature header (correct or not), since the data guard runs last in Rocket.
#[derive(Debug, Clone, Copy)]
pub struct SignaturePresent(pub(crate) ());

#[rocket::async_trait]
impl<'r> FromRequest<'r> for SignaturePresent {
    type Error = TwilioError;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        let present = checker::state(req).and_then(|state| match state.disabled {
            true => Ok(SignaturePresent(())),
            false => TwilioHeaders::read(req).signature().map(|_| SignaturePresent(())).map_err(|reason| {
                // The URL only on this failure path: the data guard rebuilds it for valid requests.
                TwilioError::new(reason, request_url::rebuild(req, &state.url).ok())
            }),
        });
        TwilioError::outcome(req, present)
    }
}

impl Sentinel for SignaturePresent {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        fairing::is_missing(rocket)
    }
}
