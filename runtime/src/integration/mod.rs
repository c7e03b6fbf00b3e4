//! The Rocket integration: configuration, the fairing, the guards and the testing helpers.
//!
//! One request takes one path through these files:
//!
//! ```text
//! fairing.rs     Twilio::fairing() reads config.rs at launch and manages a TwilioState
//! request_guard  SignaturePresent / ValidatedRequest (request guards, first parameter)
//! data_guard     Validated<B> (data guard): reads the body, decodes a form (form.rs)
//!      │
//!      └──► checker.rs   Checker::start(req): state, signature headers, URL (request_url.rs)
//!                        .finish_form / .finish_raw / .finish_bodiless: AccountSid, Keyring verdict,
//!                        the Verified record (verified.rs) or a TwilioError (error.rs)
//!      ◄──┘
//! body.rs        TwilioBody: the validated body becomes the handler's data parameter
//! ```

mod body;
mod checker;
mod config;
mod data_guard;
pub mod dedupe;
mod error;
mod fairing;
mod form;
mod request_guard;
mod request_url;
pub mod testing;
mod verified;
pub mod webhooks;

pub use body::{BodyError, TwilioBody, ValidatedBody};
pub use config::AUTH_TOKEN_ENV;
pub use data_guard::Validated;
pub use dedupe::{Delivery, FirstDelivery};
pub use error::{Reason, TwilioError};
pub use fairing::Twilio;
pub use request_guard::{SignaturePresent, ValidatedRequest};
pub use verified::Verified;

/// Rejects every request to a Rocket route that does not carry Twilio's signature.
///
/// Put it **above** the route attribute. The handler runs only for requests whose `X-Twilio-Signature`
/// is Twilio's signature of the URL that was called and the parameters (or body) that were sent; others
/// get an error status and the handler never runs. Configure it with [`Twilio::fairing`].
///
/// ```
/// use rocket::form::Form;
/// use rocket::{get, launch, post, routes};
/// use rocket_twilio::{validate_twilio_request, Twilio};
///
/// #[derive(rocket::FromForm)]
/// struct Sms<'r> {
///     #[field(name = "From")]
///     from: &'r str,
///     #[field(name = "Body")]
///     body: &'r str,
/// }
///
/// #[validate_twilio_request]
/// #[post("/message", data = "<sms>")]
/// fn message(sms: Form<Sms<'_>>) -> String {
///     format!("{} sent {} characters", sms.from, sms.body.chars().count())
/// }
///
/// #[validate_twilio_request]
/// #[get("/gather?<Digits>")]
/// #[allow(non_snake_case)]
/// fn gather(Digits: &str) -> String {
///     format!("You pressed {Digits}")
/// }
///
/// #[launch]
/// fn rocket() -> _ {
///     rocket::build().attach(Twilio::fairing()).mount("/", routes![message, gather])
/// }
/// ```
///
/// # What it does to the handler
///
/// The attribute rewrites the handler's **signature** (never its body) to add a guard:
///
/// | route | rewrite |
/// |---|---|
/// | has a data parameter `x: T` | `x: Validated<T>`, unwrapped by `let x = …into_inner(x);` as the body's first statement |
/// | POST/PUT/PATCH/DELETE without one | adds a hidden `Validated<()>` data parameter: the body is still read and signed |
/// | GET and other bodiless methods | adds a hidden [`ValidatedRequest`] request guard, first, so it runs before the others |
///
/// Supported data parameter types: `Form<T>` (owned or borrowed `T`, `Strict`/`Lenient`), `String`,
/// `&str`, `Vec<u8>`, `&[u8]`, `Json<T>` (feature `json`), and `Option` of those; others are a compile
/// error on the parameter's type (see [`TwilioBody`] to add your own). Sync and async handlers, any
/// return type, `rank`, `format`, `#[route(POST, …)]`, `#[rocket::post]` and other guards all work.
///
/// # Responses when validation fails
///
/// | request | status |
/// |---|---|
/// | missing, empty, repeated or wrong `X-Twilio-Signature`; `bodySHA256` missing or wrong | 403 |
/// | body larger than the Rocket limit of its type (`limits.form` for forms) | 413 |
/// | malformed body (e.g. a form that is not UTF-8) | 400 |
/// | no secret configured at request time | 500 |
///
/// Failures are Rocket errors, never forwards, so no lower-ranked route can serve a refused request. Each
/// is logged as one line with the reason, the URL that was checked and a hint; catchers can read it with
/// [`TwilioError::of`].
///
/// # Placement
///
/// Attribute macros expand from the top. Below the route attribute, Rocket would already have generated
/// the route from the unprotected handler, so that is a compile error rather than a silent bypass:
///
/// ```compile_fail
/// use rocket::post;
/// use rocket_twilio::validate_twilio_request;
///
/// #[post("/message", data = "<body>")]
/// #[validate_twilio_request] // error: must be placed ABOVE the Rocket route attribute
/// fn message(body: String) -> String {
///     body
/// }
/// ```
pub use rocket_twilio_codegen::validate_twilio_request;

/// Not public API: what `#[validate_twilio_request]` expansions name.
#[doc(hidden)]
pub mod __private {
    pub use super::{SignaturePresent, Validated, ValidatedRequest};
}
