//! [`ValidatedRequest`]: the request guard for webhooks without a body (GET).

use rocket::request::{self, FromRequest};
use rocket::{Ignite, Request, Rocket, Sentinel};

use crate::data_guard::missing_fairing;
use crate::error::{Reason, TwilioError};
use crate::verify::{self, Pending};
use crate::Payload;

/// A request guard that lets a **bodiless** request through only if it carries Twilio's signature of its
/// URL (query string included). `#[validate_twilio_request]` adds it to GET routes.
///
/// A request that has a body is refused (403): its parameters would not be covered by a URL-only check.
/// Routes that receive bodies take a [`Validated`](crate::Validated) data guard instead.
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
pub struct ValidatedRequest(());

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ValidatedRequest {
    type Error = TwilioError;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        match check(req) {
            Ok(()) => request::Outcome::Success(ValidatedRequest(())),
            Err(e) => request::Outcome::Error(e.fail(req)),
        }
    }
}

fn check(req: &Request<'_>) -> Result<(), TwilioError> {
    let state = verify::state(req)?;
    let Some(pending) = Pending::start(req, state)? else {
        return Ok(());
    };
    if has_body(req) {
        return Err(TwilioError::new(Reason::UnexpectedBody, None));
    }
    pending.finish(state, Payload::Form(&[]), verify::query_account_sid(req))
}

fn has_body(req: &Request<'_>) -> bool {
    let headers = req.headers();
    headers.contains("Transfer-Encoding")
        || headers.get("Content-Length").any(|len| len.trim().parse::<u64>().map_or(true, |n| n > 0))
}

impl Sentinel for ValidatedRequest {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        missing_fairing(rocket)
    }
}
