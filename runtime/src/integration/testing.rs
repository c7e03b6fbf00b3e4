//! Signing requests of Rocket's local [`Client`](rocket::local) so tests keep validation **on**.
//!
//! [`TwilioSigned`] adds `sign_form`, `sign_json`, `sign_url` and `sign_handshake` to local requests
//! (blocking and asynchronous); [`handshake_header`] signs the WebSocket handshake of a real client. The URL is rebuilt exactly as the guard will rebuild it (from `twilio.base_url`, trusted
//! forwarded headers, or the host; a request without a host gets `localhost`), then signed like Twilio
//! signs it.
//!
//! ```
//! use rocket::form::Form;
//! use rocket::http::Status;
//! use rocket::local::blocking::Client;
//! use rocket::{post, routes};
//! use rocket_twilio::testing::TwilioSigned;
//! use rocket_twilio::{validate_twilio_request, RequestValidator, Twilio};
//!
//! #[derive(rocket::FromForm)]
//! struct Sms {
//!     #[field(name = "Body")]
//!     body: String,
//! }
//!
//! #[validate_twilio_request]
//! #[post("/message", data = "<sms>")]
//! fn message(sms: Form<Sms>) -> String {
//!     format!("{} characters", sms.body.chars().count())
//! }
//!
//! let figment = rocket::Config::figment().merge(("twilio.auth_token", "test-token"));
//! let rocket = rocket::custom(figment).attach(Twilio::fairing()).mount("/", routes![message]);
//! let client = Client::tracked(rocket).unwrap();
//! let twilio = RequestValidator::new("test-token");
//!
//! let signed = client.post("/message").sign_form(&twilio, [("Body", "Hello 👋"), ("From", "+14155550100")]);
//! assert_eq!(signed.dispatch().into_string().unwrap(), "7 characters");
//!
//! let forged = client.post("/message").sign_form(&RequestValidator::new("guess"), [("Body", "hi")]);
//! assert_eq!(forged.dispatch().status(), Status::Forbidden);
//! ```

use rocket::http::uri::{Host, Origin};
use rocket::http::{ContentType, Header};
use rocket::Request;

use super::config::TwilioState;
use super::request_url;
use super::{Delivery, FirstDelivery, SignaturePresent, Validated, ValidatedRequest, Verified};
use crate::{url_with_body_hash, RequestValidator, SIGNATURE_HEADER};

/// Signs a local test request like Twilio signs webhooks. Implemented for
/// [`rocket::local::blocking::LocalRequest`] and [`rocket::local::asynchronous::LocalRequest`].
pub trait TwilioSigned: Sized {
    /// Sends `params` as an `application/x-www-form-urlencoded` body, signed with `validator`.
    fn sign_form<I, K, V>(self, validator: &RequestValidator, params: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>;

    /// Sends `body` as JSON: adds its `bodySHA256` to the URI and signs the URL, as Twilio does.
    fn sign_json(self, validator: &RequestValidator, body: impl AsRef<[u8]>) -> Self;

    /// Signs the URL alone (GET webhooks, whose parameters are in the query string). A request that is a
    /// WebSocket handshake (`Upgrade: websocket`) is signed as Twilio signs those: see
    /// [`sign_handshake`](Self::sign_handshake).
    fn sign_url(self, validator: &RequestValidator) -> Self;

    /// Makes the request (a `client.get(…)`) a WebSocket opening handshake (`Upgrade: websocket`, `Connection: Upgrade`,
    /// `Sec-WebSocket-Version: 13`, and RFC 6455's sample `Sec-WebSocket-Key`) and signs it as Twilio
    /// signs the handshakes of Media Streams and ConversationRelay: over the `ws://`/`wss://` URL the
    /// guard will rebuild, its query's parameters signed after it
    /// ([`RequestValidator::compute_handshake_signature`]).
    ///
    /// A local client does not switch protocols: an accepted handshake reaches the handler, whose
    /// `rocket_ws` channel comes back as a `200` response (a server answers `101 Switching Protocols`);
    /// a refused one gets 403. To test over a real socket, sign the client's handshake with
    /// [`handshake_header`].
    fn sign_handshake(self, validator: &RequestValidator) -> Self;
}

/// The `X-Twilio-Signature` header Twilio sends when it opens a WebSocket to `url` (the `ws://` or
/// `wss://` URL from the TwiML, query string included), for a real WebSocket client in tests.
///
/// ```
/// use rocket_twilio::testing::handshake_header;
/// use rocket_twilio::{RequestValidator, SIGNATURE_HEADER};
///
/// let twilio = RequestValidator::new("test-token");
/// let header = handshake_header(&twilio, "ws://127.0.0.1:8000/relay");
/// assert_eq!(header.name(), SIGNATURE_HEADER);
/// assert_eq!(header.value(), twilio.compute_handshake_signature("ws://127.0.0.1:8000/relay"));
/// // e.g. with tungstenite: request.headers_mut().insert(header.name().as_str(), header.value().parse()?)
/// ```
pub fn handshake_header(validator: &RequestValidator, url: &str) -> Header<'static> {
    Header::new(SIGNATURE_HEADER, validator.compute_handshake_signature(url))
}

/// The headers of a WebSocket opening handshake (RFC 6455 §4.1), with the RFC's sample key.
fn upgrade_headers() -> [Header<'static>; 4] {
    [
        Header::new("Upgrade", "websocket"),
        Header::new("Connection", "Upgrade"),
        Header::new("Sec-WebSocket-Version", "13"),
        Header::new("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
    ]
}

/// The signature of a request whose body is not signed: a GET webhook's, or a handshake's.
fn bodiless_signature(req: &mut Request<'_>, validator: &RequestValidator) -> String {
    let url = signed_url(req);
    match request_url::is_handshake(req) {
        true => validator.compute_handshake_signature(&url),
        false => validator.compute_url_signature(&url),
    }
}

/// The URL the guard will check, giving the request a `localhost` host if it needs one.
fn signed_url(req: &mut Request<'_>) -> String {
    let settings = req.rocket().state::<TwilioState>().map(|s| s.url.clone()).unwrap_or_default();
    if settings.base_url.is_none() && req.host().is_none() {
        req.set_host(Host::parse("localhost").expect("a valid host"));
    }
    // A URL the guard cannot rebuild is signed as "" and so rejected, as the real request would be.
    request_url::rebuild(req, &settings).unwrap_or_default()
}

fn json_uri(req: &mut Request<'_>, body: &[u8]) {
    let with_hash = url_with_body_hash(&req.uri().to_string(), body);
    if let Ok(origin) = Origin::parse_owned(with_hash) {
        req.set_uri(origin);
    }
}

macro_rules! impl_twilio_signed {
    ($($request:ty),*) => {$(
        impl TwilioSigned for $request {
            fn sign_form<I, K, V>(mut self, validator: &RequestValidator, params: I) -> Self
            where
                I: IntoIterator<Item = (K, V)>,
                K: AsRef<str>,
                V: AsRef<str>,
            {
                let params: Vec<(K, V)> = params.into_iter().collect();
                let mut body = form_urlencoded::Serializer::new(String::new());
                for (name, value) in &params {
                    body.append_pair(name.as_ref(), value.as_ref());
                }
                let url = signed_url(self.inner_mut());
                let signature = validator.compute_signature(&url, params);
                self.set_body(body.finish());
                self.header(ContentType::Form).header(Header::new(SIGNATURE_HEADER, signature))
            }

            fn sign_json(mut self, validator: &RequestValidator, body: impl AsRef<[u8]>) -> Self {
                json_uri(self.inner_mut(), body.as_ref());
                let url = signed_url(self.inner_mut());
                let signature = validator.compute_url_signature(&url);
                self.set_body(body.as_ref());
                self.header(ContentType::JSON).header(Header::new(SIGNATURE_HEADER, signature))
            }

            fn sign_url(mut self, validator: &RequestValidator) -> Self {
                let signature = bodiless_signature(self.inner_mut(), validator);
                self.header(Header::new(SIGNATURE_HEADER, signature))
            }

            fn sign_handshake(self, validator: &RequestValidator) -> Self {
                let mut request = self;
                for header in upgrade_headers() {
                    request = request.header(header);
                }
                request.sign_url(validator)
            }
        }
    )*};
}

impl_twilio_signed!(rocket::local::blocking::LocalRequest<'_>, rocket::local::asynchronous::LocalRequest<'_>);

/// The guards `#[validate_twilio_request]` adds, built as if validation had passed, so that a unit test can
/// call a validated handler directly, without a request.
///
/// **This skips validation.** Use it to test a handler's own logic; test the route itself (and so the
/// validation) through a local [`Client`](rocket::local) with [`TwilioSigned`].
///
/// Implemented for the hidden parameters the attribute adds ([`ValidatedRequest`] on routes without a
/// body, [`SignaturePresent`] on routes with one) and for [`Verified`], which then knows no signer. Wrap
/// the data parameter with [`skip_validation_of`]. The attribute puts its hidden parameter first:
///
/// ```
/// use rocket::form::Form;
/// use rocket::{get, post};
/// use rocket_twilio::testing::{skip_validation, skip_validation_of};
/// use rocket_twilio::validate_twilio_request;
///
/// #[derive(rocket::FromForm)]
/// struct Sms {
///     #[field(name = "Body")]
///     body: String,
/// }
///
/// #[validate_twilio_request]
/// #[post("/message", data = "<sms>")]
/// fn message(sms: Form<Sms>) -> String {
///     sms.body.to_uppercase()
/// }
///
/// #[validate_twilio_request]
/// #[get("/gather?<digits>")]
/// fn gather(digits: &str) -> String {
///     format!("you pressed {digits}")
/// }
///
/// // The attribute made them `message(SignaturePresent, Validated<Form<Sms>>)` and
/// // `gather(ValidatedRequest, &str)`.
/// let sms = Sms { body: "hello".into() };
/// assert_eq!(message(skip_validation(), skip_validation_of(Form::from(sms))), "HELLO");
/// assert_eq!(gather(skip_validation(), "42"), "you pressed 42");
/// ```
pub fn skip_validation<G: SkipValidation>() -> G {
    G::skip_validation()
}

/// The data parameter of a validated handler, wrapped as if it had been validated: see
/// [`skip_validation`]. **This skips validation.**
pub fn skip_validation_of<B>(value: B) -> Validated<B> {
    Validated::unchecked(value)
}

/// A guard [`skip_validation`] can build.
pub trait SkipValidation: sealed::Sealed {
    /// The guard, as if validation had passed.
    fn skip_validation() -> Self;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::ValidatedRequest {}
    impl Sealed for super::SignaturePresent {}
    impl Sealed for super::Verified<'_> {}
    impl Sealed for super::Delivery<'_> {}
    impl Sealed for super::FirstDelivery<'_> {}
}

impl SkipValidation for ValidatedRequest {
    fn skip_validation() -> Self {
        ValidatedRequest(())
    }
}

impl SkipValidation for SignaturePresent {
    fn skip_validation() -> Self {
        SignaturePresent(())
    }
}

impl SkipValidation for Verified<'_> {
    fn skip_validation() -> Self {
        Verified::unknown()
    }
}

/// A first delivery (`is_duplicate()` is `false`), with no key.
impl SkipValidation for Delivery<'_> {
    fn skip_validation() -> Self {
        Delivery::skipped()
    }
}

/// A first delivery: the handler runs.
impl SkipValidation for FirstDelivery<'_> {
    fn skip_validation() -> Self {
        FirstDelivery::skipped()
    }
}
