//! [`Verified`]: which key vouched for a validated request, for handlers and catchers.

use std::sync::OnceLock;

use rocket::request::{self, FromRequest};
use rocket::Request;

use super::local;
use crate::KeyUsed;

/// Which secret verified a request, and for which account.
#[derive(Clone, Debug)]
pub(crate) struct Signer {
    key: KeyUsed,
    /// The request's `AccountSid`, which chose the key (a sub-account's token, or a resolver's keyring).
    account_sid: Option<Sid>,
    /// The id named by `X-Twilio-Webhooks-Signature-Settings`, for [`KeyUsed::SharedKey`].
    shared_key_id: Option<Box<str>>,
}

/// An `AccountSid`: inline when it has the length of Twilio's (`AC` and 32 hex digits), so that recording
/// who signed a webhook allocates nothing; boxed otherwise.
#[derive(Clone, Debug)]
enum Sid {
    Twilio([u8; 34]),
    Other(Box<str>),
}

impl Sid {
    fn new(sid: &str) -> Self {
        match <[u8; 34]>::try_from(sid.as_bytes()) {
            Ok(bytes) => Sid::Twilio(bytes),
            Err(_) => Sid::Other(sid.into()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // The bytes of a whole `&str`: valid UTF-8.
            Sid::Twilio(bytes) => std::str::from_utf8(bytes).unwrap_or_default(),
            Sid::Other(sid) => sid,
        }
    }
}

impl Signer {
    /// Records who signed `req`, for [`Verified`], and the `signature` that verified it.
    pub(crate) fn record(
        req: &Request<'_>,
        signature: &str,
        key: KeyUsed,
        account_sid: Option<&str>,
        settings: Option<&str>,
    ) {
        let shared_key_id = match key {
            KeyUsed::SharedKey => settings
                .and_then(|header| crate::SignatureSettings::parse(header).ok())
                .and_then(|settings| settings.key_id())
                .map(Box::from),
            _ => None,
        };
        let signer = Signer { key, account_sid: account_sid.map(Sid::new), shared_key_id };
        // A request is verified once; should two guards verify it, the first record stands.
        let local = local::of(req);
        if local.signer.set(signer).is_ok() {
            if let Some(signature) = local::VerifiedSignature::new(signature) {
                let _ = local.signature.set(signature);
            }
        }
    }
}

/// Which key vouched for the request a validated handler is serving: the primary or secondary Auth Token,
/// a Webhooks Shared Key (with its id), or a sub-account's token (with its `AccountSid`).
///
/// Take it as a request guard in any `#[validate_twilio_request]` handler, or read it in a catcher or
/// fairing with [`Verified::of`]. Its accessors answer once the request is verified: in a handler's body
/// always (every guard has run by then), in a catcher only if validation succeeded.
///
/// ```
/// use rocket::form::Form;
/// use rocket::post;
/// use rocket_twilio::{validate_twilio_request, KeyUsed, Verified};
///
/// #[derive(rocket::FromForm)]
/// struct Sms<'r> {
///     #[field(name = "Body")]
///     body: &'r str,
/// }
///
/// #[validate_twilio_request]
/// #[post("/sms", data = "<sms>")]
/// fn sms(sms: Form<Sms<'_>>, twilio: Verified<'_>) -> String {
///     match twilio.key() {
///         Some(KeyUsed::AccountToken { .. }) => {
///             format!("{} for sub-account {}", sms.body, twilio.account_sid().unwrap_or("?"))
///         }
///         _ => sms.body.to_owned(),
///     }
/// }
/// ```
///
/// # Multi-tenant apps: bind what the body claims to the verified account
///
/// With sub-account tokens (`twilio.accounts`, or [`Twilio::custom`](crate::Twilio::custom) with a
/// resolver), the request's `AccountSid` chooses the key, and a tenant holding its own token can sign any
/// request it likes *as itself*. The guard makes sure a form's `AccountSid` field (and the query's) is the
/// one that chose the key. Everything else in the request is the signer's claim: a JSON body's
/// `account_sid`, a `To` number you map to a tenant. Compare such claims with
/// [`account_sid`](Self::account_sid) before acting on them:
///
#[cfg_attr(feature = "json", doc = "```")]
#[cfg_attr(not(feature = "json"), doc = "```ignore")]
/// use rocket::http::Status;
/// use rocket::post;
/// use rocket::serde::json::Json;
/// use rocket::serde::Deserialize;
/// use rocket_twilio::{validate_twilio_request, Verified};
///
/// #[derive(Deserialize)]
/// #[serde(crate = "rocket::serde")]
/// struct Event<'r> {
///     account_sid: &'r str,
/// }
///
/// #[validate_twilio_request]
/// #[post("/events", data = "<events>")]
/// fn events(events: Json<Vec<Event<'_>>>, twilio: Verified<'_>) -> Status {
///     if events.iter().any(|e| Some(e.account_sid) != twilio.account_sid()) {
///         return Status::Forbidden; // signed by one account, speaking for another
///     }
///     Status::Ok
/// }
/// ```
#[derive(Clone, Copy)]
pub struct Verified<'r>(&'r OnceLock<Signer>);

impl<'r> Verified<'r> {
    /// Who verified `request`, as far as known now (see the type's documentation).
    pub fn of(request: &'r Request<'_>) -> Verified<'r> {
        Verified::from_local(local::of(request))
    }

    /// What `local` knows of who verified its request.
    pub(crate) fn from_local(local: &'r local::RequestLocal) -> Verified<'r> {
        Verified(&local.signer)
    }

    /// A `Verified` that knows no signer: what a handler sees when called directly, without a request
    /// (see [`testing::skip_validation`](crate::testing::skip_validation)).
    pub(crate) fn unknown() -> Verified<'static> {
        static NONE: OnceLock<Signer> = OnceLock::new();
        Verified(&NONE)
    }

    fn signer(&self) -> Option<&'r Signer> {
        self.0.get()
    }

    /// Whether a key verified the request. `false` before validation, when it failed, and when validation
    /// is disabled (`twilio.disable_validation`).
    pub fn is_verified(&self) -> bool {
        self.signer().is_some()
    }

    /// The key that verified the request.
    pub fn key(&self) -> Option<KeyUsed> {
        self.signer().map(|s| s.key)
    }

    /// The request's `AccountSid` (from its form fields or query), which chose the key: with
    /// [`KeyUsed::AccountToken`], the sub-account whose token verified it; with a
    /// [`KeyResolver`](crate::KeyResolver), the account the resolver chose the keyring for; with the
    /// main account's token, the account the request names. `None` when the request has no `AccountSid`
    /// (JSON webhooks carry it in the body, if at all) or was not verified.
    pub fn account_sid(&self) -> Option<&'r str> {
        self.signer().and_then(|s| s.account_sid.as_ref().map(Sid::as_str))
    }

    /// The id of the Webhooks Shared Key that verified the request ([`KeyUsed::SharedKey`]).
    pub fn shared_key_id(&self) -> Option<&'r str> {
        self.signer().and_then(|s| s.shared_key_id.as_deref())
    }
}

impl std::fmt::Debug for Verified<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verified")
            .field("key", &self.key())
            .field("account_sid", &self.account_sid())
            .field("shared_key_id", &self.shared_key_id())
            .finish()
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Verified<'r> {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        request::Outcome::Success(Verified::of(req))
    }
}
