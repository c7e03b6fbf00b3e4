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
//!                        the Verified record (verified.rs) or a TwilioError (error.rs) carrying the
//!                        diagnosis of a mismatch (diagnosis.rs: the request's clues → the core engine)
//!      ◄──┘
//! body.rs        TwilioBody: the validated body becomes the handler's data parameter
//! local.rs       RequestLocal: the body, decoded form values and signer, one request-local entry
//! ```
//!
//! A WebSocket handshake (`GET` + `Upgrade: websocket`) takes the `ValidatedRequest` path; request_url.rs
//! gives it its `ws://`/`wss://` URL and checker.rs signs its query as parameters (the rule is
//! `signature/websocket.rs`). public_url.rs (`PublicUrl`) builds this app's own public URLs by the same
//! rule, for TwiML.

mod body;
mod checker;
mod config;
mod data_guard;
pub mod dedupe;
mod diagnosis;
mod error;
mod fairing;
mod form;
mod local;
mod public_url;
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
pub use public_url::PublicUrl;
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
/// The attribute rewrites the handler's **signature** (never its body) to add guards:
///
/// | route | rewrite |
/// |---|---|
/// | has a data parameter `x: T` | `x: Validated<T>`, unwrapped by `let x = …into_inner(x);` as the body's first statement; a hidden `SignaturePresent` request guard first |
/// | POST/PUT/PATCH/DELETE without one | a hidden `Validated<()>` data parameter (the body is still read and signed); a hidden `SignaturePresent` request guard first |
/// | GET and other bodiless methods | a hidden [`ValidatedRequest`] request guard, first, so it runs before the others |
///
/// Rocket runs data guards last, after every request, path and query guard. So on routes with a body,
/// `SignaturePresent` refuses (403) a request with no, an empty or a repeated `X-Twilio-Signature`
/// before any of your guards runs. A request that does carry one still runs your request, path and
/// query guards before its body is read and its signature checked: keep guards with side effects
/// cheap, or check the signature yourself first. On GET routes the whole signature is checked first.
///
/// Supported:
/// - data parameters `Form<T>` (owned or borrowed `T`, `Strict`/`Lenient`), `String`, `&str`,
///   `Vec<u8>`, `&[u8]`, `Json<T>` (feature `json`), `Option` of those, and `Result<T, E>` of those
///   with Rocket's error type `E` (`Result<Form<T>, Errors<'_>>`, `Result<Json<T>, json::Error<'_>>`,
///   `Result<String, io::Error>`…): the signature is checked first, and only a signed body that does not
///   parse becomes the `Err`; see [`TwilioBody`] to add your own types;
/// - any parameter binding Rocket takes: `mut x`, `ref x`, `r#type` (named `data = "<type>"`), with
///   attributes such as `#[allow(unused_variables)]`, which keep applying where the body sees `x`;
/// - sync and async handlers, any return type, generics, `rank`, `format`, other guards,
///   `#[rocket::post]`, `#[route(POST, …)]` and `#[route(Method::Post, …)]`;
/// - routes written by `macro_rules!`, with `data = $data` (`$data:literal`) and `-> $ret` (`$ret:ty`);
/// - a renamed dependency (`twilio = { package = "rocket_twilio", … }` in `Cargo.toml`), found by reading
///   the manifest.
///
/// Not supported, each a compile error on your code unless said otherwise:
/// - Rocket's streaming data types (`Data<'_>`, `DataStream`, `Capped<T>`, `TempFile`, also in `Option`
///   or `Result`): the body must be read whole to be validated, and Rocket cannot rebuild a `Data` from
///   bytes. They are recognised by name (an alias, `type Body = Data;`, passes a type of your own with one
///   of these names), and the error underlines the whole type and says what to take instead;
/// - any other type without a [`TwilioBody`] implementation: the error lists the supported types, and
///   underlines the type's first token only (Rocket spans its data guard there, and a stable proc macro
///   cannot widen a span);
/// - multipart bodies (`multipart/form-data`): Twilio never sends them; a `Form<T>` route forwards them
///   (415 when no other route takes them) without reading the body;
/// - a `const fn` handler with a data parameter: unwrapping the validated value is not a const operation;
/// - a route attribute imported under another name (`use rocket::post as rpost;`): a proc macro sees
///   names, not imports, so it finds `get`, `put`, `post`, `delete`, `patch`, `head`, `options` and
///   `route` by the last segment of their path;
/// - catchers (`#[catch]`): they serve requests that already failed, there is no webhook to validate;
/// - the attribute below the route attribute, or twice on one route.
///
/// ## Re-exports
///
/// The generated code names this crate by the name your `Cargo.toml` gives it. A crate that reaches
/// rocket_twilio only through another crate that re-exports it (a facade) has no such entry: the attribute
/// then asks for the path, with its only argument, `crate = path::to::rocket_twilio`:
///
/// ```
/// mod facade {
///     pub(crate) use rocket_twilio as twilio;
///     pub(crate) use rocket_twilio::validate_twilio_request;
/// }
///
/// #[facade::validate_twilio_request(crate = crate::facade::twilio)]
/// #[rocket::post("/message", data = "<body>")]
/// fn message(body: String) -> String {
///     body
/// }
/// # fn main() {}
/// ```
///
/// # WebSocket routes
///
/// On a GET route that takes a `rocket_ws::WebSocket` (the sockets Twilio opens for `<ConversationRelay>`
/// and Media Streams `<Stream>`), the added [`ValidatedRequest`] checks the handshake over the `ws://` or
/// `wss://` URL Twilio signed (`http` → `ws`, `https` → `wss`, in every URL mode), before the upgrade.
/// See the README's "Voice AI" section and [`PublicUrl`] for building that URL in TwiML.
///
/// # Responses when validation fails
///
/// | request | status |
/// |---|---|
/// | missing, empty, repeated or wrong `X-Twilio-Signature`; `bodySHA256` missing or wrong; an ambiguous `AccountSid`; a form field without a name | 403 |
/// | body larger than the Rocket limit of its type (`limits.form` for forms) | 413 |
/// | malformed body (e.g. a form that is not UTF-8) | 400 |
/// | a signed body that is not a valid value of the data parameter's type | its parser's status (422) |
/// | no secret configured at all, or the fairing missing | 500 |
///
/// Failures are Rocket errors, never forwards, so no lower-ranked route can serve a refused request. The
/// one forward is for a body whose content type the data parameter does not take (a JSON body on a
/// `Form` route), before anything is read or checked, as Rocket's own `Form` forwards: a route for forms
/// and one for JSON can share a URI, by rank. Each failure is logged as one line with the reason, the URL
/// that was checked and a hint; catchers can read it with [`TwilioError::of`], and handlers which key
/// verified a request with [`Verified`].
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
