//! [`Validated<B>`]: the data guard that reads, validates and then converts a webhook body.

use rocket::data::{self, ByteUnit, Data, FromData, Limits};
use rocket::request::local_cache;
use rocket::tokio::io::AsyncReadExt;
use rocket::{Ignite, Request, Rocket, Sentinel};

use crate::body::{TwilioBody, ValidatedBody};
use crate::error::{Reason, TwilioError};
use crate::fairing::TwilioState;
use crate::verify::{self, Pending};
use crate::{form_fields, Payload};

/// A data guard that lets the request through only if it carries Twilio's signature of its URL and body,
/// then converts the body into `B` (see [`TwilioBody`]).
///
/// `#[validate_twilio_request]` wraps a route's data parameter in it; it can also be written directly:
///
/// ```
/// use rocket::form::Form;
/// use rocket::post;
/// use rocket_twilio::Validated;
///
/// #[derive(rocket::FromForm)]
/// struct Sms<'r> {
///     #[field(name = "Body")]
///     body: &'r str,
/// }
///
/// #[post("/message", data = "<sms>")]
/// fn message(sms: Validated<Form<Sms<'_>>>) -> String {
///     let sms = sms.into_inner();
///     format!("{} characters", sms.body.chars().count())
/// }
/// ```
///
/// The body is read once, bounded by the Rocket limit `B::LIMIT` (413 above it). A form body is signed
/// with its decoded fields; any other non-empty body must match the URL's `bodySHA256`. Failures are
/// errors, never forwards, so no other route can serve a rejected request.
#[derive(Debug)]
pub struct Validated<B>(B);

impl<B> Validated<B> {
    /// The validated value.
    pub fn into_inner(self) -> B {
        self.0
    }
}

impl<B> std::ops::Deref for Validated<B> {
    type Target = B;

    fn deref(&self) -> &B {
        &self.0
    }
}

#[rocket::async_trait]
impl<'r, B: TwilioBody<'r>> FromData<'r> for Validated<B> {
    type Error = TwilioError;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        match validate::<B>(req, data).await {
            Ok(value) => data::Outcome::Success(Validated(value)),
            Err(e) => data::Outcome::Error(e.fail(req)),
        }
    }
}

async fn validate<'r, B: TwilioBody<'r>>(req: &'r Request<'_>, data: Data<'r>) -> Result<B, TwilioError> {
    let state = verify::state(req)?;
    let pending = Pending::start(req, state)?;
    let fail = |reason| TwilioError::new(reason, None);

    let limit = req.limits().get(B::LIMIT).unwrap_or(Limits::FORM);
    let body: &'r [u8] = local_cache!(req, read_body(data, B::LIMIT, limit).await?);

    let fields = match req.content_type().is_some_and(|ct| ct.is_form()) {
        true => Some(form_fields::decode(req, body).map_err(|why| fail(Reason::Malformed(why.into())))?),
        false => None,
    };
    if let Some(pending) = pending {
        let (payload, account_sid) = match &fields {
            Some(fields) => (
                Payload::Form(fields),
                fields.iter().find(|(name, _)| *name == "AccountSid").map(|(_, v)| *v),
            ),
            // An empty non-form body signs like a bodiless request; any other needs its bodySHA256.
            None if body.is_empty() => (Payload::Form(&[]), verify::query_account_sid(req)),
            None => (Payload::Raw(body), verify::query_account_sid(req)),
        };
        pending.finish(state, payload, account_sid)?;
    }
    B::from_validated(req, ValidatedBody { bytes: body, fields: fields.as_deref() }).map_err(fail)
}

/// The whole body, or `TooLarge` when it has more than `limit` bytes (the Rocket limit `name`).
///
/// Reads at most `limit + 1` bytes with `read_to_end`, which grows the vector without zeroing it, where
/// Rocket's `into_bytes` goes through `tokio::io::copy` and its zeroed 8 KiB buffer on every request (a
/// third of what the guard cost on top of the HMAC, measured with callgrind on a 20-parameter SMS).
async fn read_body(data: Data<'_>, name: &'static str, limit: ByteUnit) -> Result<Vec<u8>, TwilioError> {
    let fail = |reason| TwilioError::new(reason, None);
    let mut stream = data.open(limit + 1);
    let mut body = Vec::with_capacity(stream.hint());
    stream.read_to_end(&mut body).await.map_err(|e| fail(Reason::Malformed(e.to_string())))?;
    match body.len() as u64 > limit.as_u64() {
        true => Err(fail(Reason::TooLarge { limit: name })),
        false => Ok(body),
    }
}

impl<B> Sentinel for Validated<B> {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        missing_fairing(rocket)
    }
}

/// Whether the Twilio fairing is missing, logging what to do about it.
pub(crate) fn missing_fairing(rocket: &Rocket<Ignite>) -> bool {
    let missing = rocket.state::<TwilioState>().is_none();
    if missing {
        log::error!(
            "a #[validate_twilio_request] route is mounted, but Twilio validation is not configured: attach \
             rocket_twilio::Twilio::fairing() (or Twilio::custom(…)) to this Rocket instance"
        );
    }
    missing
}
