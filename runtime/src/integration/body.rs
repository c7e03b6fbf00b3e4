//! [`TwilioBody`]: the data parameter types a validated route can take.

use std::fmt;

use rocket::form::{Form, FromForm, ValueField};
use rocket::http::{ContentType, Status};
use rocket::Request;

use super::checker::Coverage;
use super::form;

/// A request body that passed (or skipped, when validation is disabled) Twilio validation, handed to a
/// [`TwilioBody`] to become the route's data parameter.
#[derive(Clone, Copy, Debug)]
pub struct ValidatedBody<'a, 'r> {
    pub(crate) bytes: &'r [u8],
    pub(crate) fields: Option<&'a [(&'r str, &'r str)]>,
    pub(crate) coverage: Coverage,
}

impl<'a, 'r> ValidatedBody<'a, 'r> {
    /// The raw body, exactly as received.
    ///
    /// For a form body this is **not** what the signature covers: Twilio signs the decoded fields, so a
    /// re-encoding of a genuine body (`Body=h%69&&` for `Body=hi`) carries the same signature. Types that
    /// hand bytes to a handler use [`signed_bytes`](Self::signed_bytes).
    pub fn raw(&self) -> &'r [u8] {
        self.bytes
    }

    /// The percent-decoded form fields, when the request was `application/x-www-form-urlencoded`.
    pub fn form_fields(&self) -> Option<&'a [(&'r str, &'r str)]> {
        self.fields
    }

    /// The body as the signature vouched for it: the raw bytes when they were checked against the URL's
    /// `bodySHA256` (or validation is off), and for a form whose fields were signed, those fields
    /// re-encoded canonically (`application/x-www-form-urlencoded`, in arrival order), so that any parser
    /// reads exactly the fields that were signed. A body already in that form is returned as it is.
    pub fn signed_bytes(&self, req: &'r Request<'_>) -> &'r [u8] {
        match (self.coverage, self.fields) {
            (Coverage::Fields, Some(fields)) => form::canonical(req, self.bytes, fields),
            _ => self.bytes,
        }
    }

    fn signed_utf8(&self, req: &'r Request<'_>) -> Result<&'r str, BodyError> {
        std::str::from_utf8(self.signed_bytes(req))
            .map_err(|e| BodyError::new(Status::BadRequest, format!("the body is not UTF-8: {e}")))
    }
}

/// Why a validated body could not become the data parameter: an HTTP status (400, 415, 422…) and a
/// message. Returned by [`TwilioBody::from_validated`]; the request is then refused with
/// [`Reason::Parse`](crate::Reason::Parse).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyError {
    status: Status,
    message: String,
}

impl BodyError {
    /// An error answered with `status`.
    pub fn new(status: Status, message: impl Into<String>) -> Self {
        BodyError { status, message: message.into() }
    }

    /// The status the request is refused with.
    pub fn status(&self) -> Status {
        self.status
    }

    /// What was wrong with the body.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.status.code)
    }
}

impl std::error::Error for BodyError {}

/// A type that can be the data parameter of a `#[validate_twilio_request]` route.
///
/// The body is read once, under the Rocket limit named by [`LIMIT`](Self::LIMIT), validated, and then
/// converted. Implemented for `Form<T>` (owned or borrowed `T`, `Strict<T>` and `Lenient<T>` too),
/// `String`, `&str`, `Vec<u8>`, `&[u8]`, `Json<T>` (feature `json`), `()`, `Option<B>` (conversion
/// failure becomes `None`; validation failure is still a rejection) and `Result<B, E>` with Rocket's error
/// type for `B` (conversion failure becomes the `Err`; validation failure is still a rejection).
/// Implement it to accept your own types.
///
/// Byte and string types receive [`ValidatedBody::signed_bytes`]: for a form webhook, the signed fields
/// re-encoded canonically, never bytes the signature does not cover.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as the data parameter of a #[validate_twilio_request] route",
    label = "unsupported data parameter type",
    note = "supported: Form<T>, String, &str, Vec<u8>, &[u8], Json<T> (feature `json`), Option<…> of those, \
            Result<…, E> of those with Rocket's error type E (Errors<'_>, io::Error, json::Error<'_>); or \
            implement rocket_twilio::TwilioBody for this type"
)]
pub trait TwilioBody<'r>: Sized {
    /// The Rocket limit (`limits.<name>` in the configuration) that bounds the body.
    const LIMIT: &'static str;

    /// Whether this type takes a body of this content type. When it does not, the request is forwarded to
    /// the next matching route before its body is read, as Rocket's own `Form` does: a route for forms at
    /// rank 1 and one for JSON at rank 2 can share a URI. The default takes every content type.
    fn accepts(content_type: Option<&ContentType>) -> bool {
        let _ = content_type;
        true
    }

    /// Builds the value from a validated body. Errors become the response status (400, 422…).
    fn from_validated(req: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, BodyError>;
}

impl<'r> TwilioBody<'r> for () {
    const LIMIT: &'static str = "form";

    fn from_validated(_: &'r Request<'_>, _: ValidatedBody<'_, 'r>) -> Result<Self, BodyError> {
        Ok(())
    }
}

impl<'r, T: FromForm<'r>> TwilioBody<'r> for Form<T> {
    const LIMIT: &'static str = "form";

    fn accepts(content_type: Option<&ContentType>) -> bool {
        content_type.is_some_and(|ct| ct.is_form())
    }

    fn from_validated(_: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, BodyError> {
        let fields = body.form_fields().ok_or_else(|| {
            BodyError::new(Status::UnsupportedMediaType, "the body is not application/x-www-form-urlencoded")
        })?;
        Form::<T>::parse_iter(fields.iter().map(|&field| ValueField::from(field)))
            .map(|value: T| Form::from(value))
            .map_err(|errors| BodyError::new(errors.status(), describe(&errors)))
    }
}

/// Rocket's form errors, each with the field it is about (Rocket's own `Display` leaves the name out:
/// "missing" rather than "MessageSid: missing"). Values are not shown.
fn describe(errors: &rocket::form::Errors<'_>) -> String {
    let each: Vec<String> = errors
        .iter()
        .map(|e| match &e.name {
            Some(name) => format!("{name}: {}", e.kind),
            None => e.kind.to_string(),
        })
        .collect();
    each.join("; ")
}

impl<'r> TwilioBody<'r> for &'r str {
    const LIMIT: &'static str = "string";

    fn from_validated(req: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, BodyError> {
        body.signed_utf8(req)
    }
}

impl<'r> TwilioBody<'r> for String {
    const LIMIT: &'static str = "string";

    fn from_validated(req: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, BodyError> {
        body.signed_utf8(req).map(str::to_owned)
    }
}

impl<'r> TwilioBody<'r> for &'r [u8] {
    const LIMIT: &'static str = "bytes";

    fn from_validated(req: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, BodyError> {
        Ok(body.signed_bytes(req))
    }
}

impl<'r> TwilioBody<'r> for Vec<u8> {
    const LIMIT: &'static str = "bytes";

    fn from_validated(req: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, BodyError> {
        Ok(body.signed_bytes(req).to_vec())
    }
}

/// `None` when the validated body is not a valid `B` (as Rocket's `Option<T>` data guards do). Takes every
/// content type: a body `B` does not accept is validated, then becomes `None`.
impl<'r, B: TwilioBody<'r>> TwilioBody<'r> for Option<B> {
    const LIMIT: &'static str = B::LIMIT;

    fn from_validated(req: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, BodyError> {
        Ok(B::from_validated(req, body).ok())
    }
}

#[cfg(feature = "json")]
impl<'r, T: rocket::serde::Deserialize<'r>> TwilioBody<'r> for rocket::serde::json::Json<T> {
    const LIMIT: &'static str = "json";

    fn from_validated(req: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, BodyError> {
        rocket::serde::json::from_str(body.signed_utf8(req)?)
            .map(rocket::serde::json::Json)
            .map_err(|e| BodyError::new(Status::UnprocessableEntity, e.to_string()))
    }
}

/// `io::Error` for a signed body that is not UTF-8, as Rocket's `String` data guard reports it.
fn not_utf8(error: std::str::Utf8Error) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, error)
}

/// `Result<Form<T>, Errors>`, Rocket's way of handling form errors in the handler: the signature is
/// checked first (a forged request is still refused and never reaches the handler); only a body that was
/// signed but does not parse as `T` becomes the `Err` the handler sees. A body that is not a form is
/// forwarded, as `Form<T>` forwards it.
impl<'r, T: FromForm<'r>> TwilioBody<'r> for Result<Form<T>, rocket::form::Errors<'r>> {
    const LIMIT: &'static str = "form";

    fn accepts(content_type: Option<&ContentType>) -> bool {
        Form::<T>::accepts(content_type)
    }

    fn from_validated(_: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, BodyError> {
        let fields = body.form_fields().ok_or_else(|| {
            BodyError::new(Status::UnsupportedMediaType, "the body is not application/x-www-form-urlencoded")
        })?;
        Ok(Form::<T>::parse_iter(fields.iter().map(|&field| ValueField::from(field))).map(Form::from))
    }
}

/// `Result<String, io::Error>`: a validated body that is not UTF-8 becomes the `Err` (`InvalidData`),
/// where `String` refuses it with 400.
impl<'r> TwilioBody<'r> for Result<String, std::io::Error> {
    const LIMIT: &'static str = "string";

    fn from_validated(req: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, BodyError> {
        Ok(std::str::from_utf8(body.signed_bytes(req)).map(str::to_owned).map_err(not_utf8))
    }
}

/// `Result<&str, io::Error>`: a validated body that is not UTF-8 becomes the `Err` (`InvalidData`), where
/// `&str` refuses it with 400.
impl<'r> TwilioBody<'r> for Result<&'r str, std::io::Error> {
    const LIMIT: &'static str = "string";

    fn from_validated(req: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, BodyError> {
        Ok(std::str::from_utf8(body.signed_bytes(req)).map_err(not_utf8))
    }
}

/// `Result<Vec<u8>, io::Error>`: always `Ok` once validated (a body over the limit cannot be validated, so
/// it is refused with 413 before the handler, not handed over as an `Err`).
impl<'r> TwilioBody<'r> for Result<Vec<u8>, std::io::Error> {
    const LIMIT: &'static str = "bytes";

    fn from_validated(req: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, BodyError> {
        Ok(Ok(body.signed_bytes(req).to_vec()))
    }
}

/// `Result<&[u8], io::Error>`: always `Ok` once validated (a body over the limit cannot be validated, so
/// it is refused with 413 before the handler, not handed over as an `Err`).
impl<'r> TwilioBody<'r> for Result<&'r [u8], std::io::Error> {
    const LIMIT: &'static str = "bytes";

    fn from_validated(req: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, BodyError> {
        Ok(Ok(body.signed_bytes(req)))
    }
}

/// `Result<Json<T>, json::Error>` (feature `json`): the signature and `bodySHA256` are checked first; only
/// a signed body that is not UTF-8 (`Error::Io`) or not valid JSON for `T` (`Error::Parse`, with the body)
/// becomes the `Err` the handler sees.
#[cfg(feature = "json")]
impl<'r, T: rocket::serde::Deserialize<'r>> TwilioBody<'r>
    for Result<rocket::serde::json::Json<T>, rocket::serde::json::Error<'r>>
{
    const LIMIT: &'static str = "json";

    fn from_validated(req: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, BodyError> {
        use rocket::serde::json::{self, Error, Json};
        let text = match std::str::from_utf8(body.signed_bytes(req)) {
            Ok(text) => text,
            Err(e) => return Ok(Err(Error::Io(not_utf8(e)))),
        };
        Ok(json::from_str(text).map(Json).map_err(|e| Error::Parse(text, e)))
    }
}
