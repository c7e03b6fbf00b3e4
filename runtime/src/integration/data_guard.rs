//! [`Validated<B>`]: the data guard that reads, validates and then converts a webhook body.

use rocket::data::{self, ByteUnit, Data, FromData, Limits};
use rocket::http::Status;
use rocket::tokio::io::AsyncReadExt;
use rocket::{Ignite, Request, Rocket, Sentinel};

use super::body::{TwilioBody, ValidatedBody};
use super::checker::Checker;
use super::error::{Reason, TwilioError};
use super::form::{self, Fields};
use super::{dedupe, fairing, local};

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
/// with its decoded fields; any other non-empty body must match the URL's `bodySHA256`, and so must a form
/// body when the URL carries one. Validation failures are errors, never forwards, so no other route can
/// serve a refused request. The one forward is for a content type `B` does not take
/// ([`TwilioBody::accepts`]), before anything is read or checked, as Rocket's own `Form` forwards.
#[derive(Debug)]
pub struct Validated<B>(B);

impl<B> Validated<B> {
    /// The validated value.
    pub fn into_inner(self) -> B {
        self.0
    }

    /// Wraps a value that was not validated: for [`testing::skip_validation_of`](crate::testing::skip_validation_of),
    /// which lets a test call a handler directly.
    pub(crate) fn unchecked(value: B) -> Self {
        Validated(value)
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
        if !B::accepts(req.content_type()) {
            // Not this route's kind of body: neither validated nor refused yet, so forwarded as Rocket's
            // own `Form` would forward it (the reason stays readable by a catcher if no route takes it).
            TwilioError::from(Reason::UnsupportedMediaType).record(req);
            return data::Outcome::Forward((data, Status::UnsupportedMediaType));
        }
        match validate::<B>(req, data).await {
            Ok(value) => data::Outcome::Success(Validated(value)),
            Err(e) => data::Outcome::Error(e.fail(req)),
        }
    }
}

async fn validate<'r, B: TwilioBody<'r>>(req: &'r Request<'_>, data: Data<'r>) -> Result<B, TwilioError> {
    let checker = Checker::start(req)?;
    let dedupe = checker.dedupe();
    let limit = req.limits().get(B::LIMIT).unwrap_or(Limits::FORM);
    let body = read_body(data, B::LIMIT, limit, checker.content_length()).await?;
    let body: &'r [u8] = local::keep_body(req, body);

    let is_form = req.content_type().is_some_and(|ct| ct.is_form());
    let mut fields = Fields::new();
    let coverage = match is_form {
        true => {
            form::decode(req, body, &mut fields).map_err(|why| Reason::Malformed(why.into()))?;
            checker.finish_form(&fields, body)?
        }
        false => checker.finish_raw(body)?,
    };
    // Verified: claim the delivery if the route takes a `Delivery` (dedupe/mod.rs).
    dedupe::after_verification(req, dedupe).await?;
    let body = ValidatedBody { bytes: body, fields: is_form.then_some(&fields[..]), coverage };
    Ok(B::from_validated(req, body).map_err(Reason::Parse)?)
}

/// How much of an announced body is allocated before it arrives: a request's `Content-Length` is the
/// sender's word, so it sizes the buffer up to this much (and the limit); a larger body grows it as it comes.
const PREALLOCATE_MAX: u64 = 64 * 1024;

/// The whole body, or `TooLarge` when it has more than `limit` bytes (the Rocket limit `name`).
///
/// Reads at most `limit + 1` bytes with `read_to_end`, which grows the vector without zeroing it, where
/// Rocket's `into_bytes` goes through `tokio::io::copy` and its zeroed 8 KiB buffer on every request (a
/// third of what the guard cost on top of the HMAC, measured with callgrind on a 20-parameter SMS). The
/// vector is allocated once for the announced `length` (`Content-Length`), where growing it from
/// nothing took five allocations for an SMS webhook.
async fn read_body(
    data: Data<'_>,
    name: &'static str,
    limit: ByteUnit,
    length: Option<u64>,
) -> Result<Vec<u8>, TwilioError> {
    let mut stream = data.open(limit + 1);
    let capacity = match length {
        // `read_to_end` tells the end of a full vector by a small read of its own, without growing it.
        Some(length) => length.min(limit.as_u64().saturating_add(1)).min(PREALLOCATE_MAX) as usize,
        None => stream.hint(),
    };
    let mut body = Vec::with_capacity(capacity);
    stream.read_to_end(&mut body).await.map_err(|e| Reason::Malformed(e.to_string()))?;
    match body.len() as u64 > limit.as_u64() {
        true => Err(Reason::TooLarge { limit: name }.into()),
        false => Ok(body),
    }
}

impl<B> Sentinel for Validated<B> {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        fairing::is_missing(rocket)
    }
}
