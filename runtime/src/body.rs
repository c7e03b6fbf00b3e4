//! [`TwilioBody`]: the data parameter types a validated route can take.

use rocket::form::{Form, FromForm, ValueField};
use rocket::Request;

use crate::error::Reason;

/// A request body that passed (or skipped, when validation is disabled) Twilio validation, handed to a
/// [`TwilioBody`] to become the route's data parameter.
#[derive(Clone, Copy, Debug)]
pub struct ValidatedBody<'a, 'r> {
    pub(crate) bytes: &'r [u8],
    pub(crate) fields: Option<&'a [(&'r str, &'r str)]>,
}

impl<'a, 'r> ValidatedBody<'a, 'r> {
    /// The raw body, exactly as received.
    pub fn bytes(&self) -> &'r [u8] {
        self.bytes
    }

    /// The percent-decoded form fields, when the request was `application/x-www-form-urlencoded`.
    pub fn form_fields(&self) -> Option<&'a [(&'r str, &'r str)]> {
        self.fields
    }

    fn utf8(&self) -> Result<&'r str, Reason> {
        std::str::from_utf8(self.bytes).map_err(|e| Reason::Malformed(format!("the body is not UTF-8: {e}")))
    }
}

/// A type that can be the data parameter of a `#[validate_twilio_request]` route.
///
/// The body is read once, under the Rocket limit named by [`LIMIT`](Self::LIMIT), validated, and then
/// converted. Implemented for `Form<T>` (owned or borrowed `T`, `Strict<T>` and `Lenient<T>` too),
/// `String`, `&str`, `Vec<u8>`, `&[u8]`, `Json<T>` (feature `json`), `()` and `Option<B>` (conversion
/// failure becomes `None`; validation failure is still a rejection). Implement it to accept your own
/// types.
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

    /// Builds the value from a validated body. Errors become the response status (400, 415, 422…).
    fn from_validated(req: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, Reason>;
}

impl<'r> TwilioBody<'r> for () {
    const LIMIT: &'static str = "form";

    fn from_validated(_: &'r Request<'_>, _: ValidatedBody<'_, 'r>) -> Result<Self, Reason> {
        Ok(())
    }
}

impl<'r, T: FromForm<'r>> TwilioBody<'r> for Form<T> {
    const LIMIT: &'static str = "form";

    fn from_validated(_: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, Reason> {
        let fields = body.form_fields().ok_or(Reason::UnsupportedMediaType)?;
        Form::<T>::parse_iter(fields.iter().map(|&field| ValueField::from(field)))
            .map(|value: T| Form::from(value))
            .map_err(|e| Reason::Parse { status: e.status(), message: e.to_string() })
    }
}

impl<'r> TwilioBody<'r> for &'r str {
    const LIMIT: &'static str = "string";

    fn from_validated(_: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, Reason> {
        body.utf8()
    }
}

impl<'r> TwilioBody<'r> for String {
    const LIMIT: &'static str = "string";

    fn from_validated(_: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, Reason> {
        body.utf8().map(str::to_owned)
    }
}

impl<'r> TwilioBody<'r> for &'r [u8] {
    const LIMIT: &'static str = "bytes";

    fn from_validated(_: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, Reason> {
        Ok(body.bytes())
    }
}

impl<'r> TwilioBody<'r> for Vec<u8> {
    const LIMIT: &'static str = "bytes";

    fn from_validated(_: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, Reason> {
        Ok(body.bytes().to_vec())
    }
}

impl<'r, B: TwilioBody<'r>> TwilioBody<'r> for Option<B> {
    const LIMIT: &'static str = B::LIMIT;

    fn from_validated(req: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, Reason> {
        Ok(B::from_validated(req, body).ok())
    }
}

#[cfg(feature = "json")]
impl<'r, T: rocket::serde::Deserialize<'r>> TwilioBody<'r> for rocket::serde::json::Json<T> {
    const LIMIT: &'static str = "json";

    fn from_validated(_: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, Reason> {
        rocket::serde::json::from_str(body.utf8()?).map(rocket::serde::json::Json).map_err(|e| {
            Reason::Parse { status: rocket::http::Status::UnprocessableEntity, message: e.to_string() }
        })
    }
}

/// `Result<Form<T>, Errors>`, Rocket's way of handling form errors in the handler: the signature is
/// checked first (a forged request is still refused and never reaches the handler); only a body that was
/// signed by Twilio but does not parse as `T` becomes the `Err` the handler sees. A body that is not a
/// form is still refused (415), as `Form<T>` refuses it.
impl<'r, T: FromForm<'r>> TwilioBody<'r> for Result<Form<T>, rocket::form::Errors<'r>> {
    const LIMIT: &'static str = "form";

    fn from_validated(_: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, Reason> {
        let fields = body.form_fields().ok_or(Reason::UnsupportedMediaType)?;
        Ok(Form::<T>::parse_iter(fields.iter().map(|&field| ValueField::from(field))).map(Form::from))
    }
}

/// `Result<String, io::Error>`: a validated body that is not UTF-8 becomes the `Err` (Rocket's
/// `InvalidData` error), where `String` refuses it with 400.
impl<'r> TwilioBody<'r> for Result<String, std::io::Error> {
    const LIMIT: &'static str = "string";

    fn from_validated(_: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, Reason> {
        Ok(std::str::from_utf8(body.bytes())
            .map(str::to_owned)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
    }
}

/// `Result<&str, io::Error>`: a validated body that is not UTF-8 becomes the `Err` (Rocket's
/// `InvalidData` error), where `&str` refuses it with 400.
impl<'r> TwilioBody<'r> for Result<&'r str, std::io::Error> {
    const LIMIT: &'static str = "string";

    fn from_validated(_: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, Reason> {
        Ok(std::str::from_utf8(body.bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
    }
}

/// `Result<Vec<u8>, io::Error>`: always `Ok` once validated (a body over the limit cannot be validated, so
/// it is refused with 413 before the handler, not handed over as an `Err`).
impl<'r> TwilioBody<'r> for Result<Vec<u8>, std::io::Error> {
    const LIMIT: &'static str = "bytes";

    fn from_validated(_: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, Reason> {
        Ok(Ok(body.bytes().to_vec()))
    }
}

/// `Result<&[u8], io::Error>`: always `Ok` once validated (a body over the limit cannot be validated, so
/// it is refused with 413 before the handler, not handed over as an `Err`).
impl<'r> TwilioBody<'r> for Result<&'r [u8], std::io::Error> {
    const LIMIT: &'static str = "bytes";

    fn from_validated(_: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, Reason> {
        Ok(Ok(body.bytes()))
    }
}

/// `Result<Json<T>, json::Error>` (feature `json`): the signature and `bodySHA256` are checked first; only
/// a signed body that is not UTF-8 (`Error::Io`) or not valid JSON for `T` (`Error::Parse`, with the raw
/// body) becomes the `Err` the handler sees.
#[cfg(feature = "json")]
impl<'r, T: rocket::serde::Deserialize<'r>> TwilioBody<'r>
    for Result<rocket::serde::json::Json<T>, rocket::serde::json::Error<'r>>
{
    const LIMIT: &'static str = "json";

    fn from_validated(_: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, Reason> {
        use rocket::serde::json::{self, Error, Json};
        let text = match std::str::from_utf8(body.bytes()) {
            Ok(text) => text,
            Err(e) => return Ok(Err(Error::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))),
        };
        Ok(json::from_str(text).map(Json).map_err(|e| Error::Parse(text, e)))
    }
}
