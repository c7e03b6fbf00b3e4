//! [`TwilioError`]: why a validated route refused a request, and how to reach it from a catcher.

use std::fmt;
use std::sync::{Arc, Mutex};

use rocket::http::Status;
use rocket::request;
use rocket::Request;

use super::body::BodyError;
use crate::diagnosis::Diagnosis;
use crate::{Rejection, SettingsError};

/// Why a request to a `#[validate_twilio_request]` route was refused. The handler never ran.
///
/// Rocket logs every guard failure at `warn` level with this error's `Debug` form, which is one line:
/// the reason, the URL that was checked, and either the [`Diagnosis`] of a signature mismatch (which URL
/// or key Twilio signed, and the setting to change) or a hint. It never contains a secret, an expected
/// signature or any HMAC the diagnosis computed.
///
/// Catchers can read it with [`TwilioError::of`]:
///
/// ```
/// use rocket::{catch, Request};
/// use rocket_twilio::TwilioError;
///
/// #[catch(403)]
/// fn forbidden(req: &Request<'_>) -> String {
///     match TwilioError::of(req) {
///         Some(e) => format!("Twilio Request Validation Failed: {}", e.reason()),
///         None => "Forbidden".into(),
///     }
/// }
/// ```
///
/// Guards build it from a [`Reason`] with `?` (`From<Reason>`).
#[derive(Clone)]
pub struct TwilioError {
    reason: Reason,
    url: Option<String>,
    diagnosis: Option<Arc<Diagnosis>>,
}

/// What was wrong with a request, one variant per failure mode. `status()` maps each to its HTTP status.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// No `X-Twilio-Signature` header (403).
    MissingSignature,
    /// `X-Twilio-Signature` is present but empty (403).
    EmptySignature,
    /// More than one `X-Twilio-Signature` header: ambiguous, refused (403).
    DuplicateSignature,
    /// The signature, body hash or key choice did not check out (403; 500 for [`Rejection::NoSecret`]).
    Rejected(Rejection),
    /// The request's `AccountSid`, which chooses the key, is ambiguous (403): a field whose name a Rocket
    /// form reads as `AccountSid` (`AccountSid.x`, `AccountSid[]`, `.AccountSid`, `accountsid`…) but is not
    /// exactly `AccountSid`, or two different values. Twilio never sends either; the handler could read
    /// another account than the one whose key verified the request.
    AmbiguousAccountSid(&'static str),
    /// The URL Twilio called cannot be rebuilt from the request (403): no `Host` and no `base_url`, or a
    /// malformed forwarded header.
    NoUrl(&'static str),
    /// A bodiless guard ([`ValidatedRequest`](crate::ValidatedRequest)) was used on a request with a body,
    /// whose parameters would go unchecked (403).
    UnexpectedBody,
    /// The body is larger than the Rocket limit that applies to the data parameter (413).
    TooLarge {
        /// The name of the Rocket limit (`form`, `json`, `string`, `bytes`).
        limit: &'static str,
    },
    /// The body could not be read or decoded, e.g. a form that is not UTF-8 (400).
    Malformed(String),
    /// The route's data parameter does not accept the request's content type (415). The request was
    /// forwarded to the next matching route, as Rocket's own data guards do, before its body was read or
    /// its signature checked; this is what catchers see when no route took it.
    UnsupportedMediaType,
    /// The body passed validation but is not a valid value of the data parameter's type (its status,
    /// usually 422, comes from the parser).
    Parse(BodyError),
    /// No secret and no key resolver were configured, or the fairing is missing (500).
    NotConfigured,
    /// A [`FirstDelivery`](crate::FirstDelivery) route received a delivery already claimed within
    /// `twilio.dedupe.window`: answered `204 No Content`, a success, so that Twilio stops retrying, without
    /// running the handler.
    Duplicate,
    /// The delivery store did not answer within `twilio.dedupe.timeout`, and `twilio.dedupe.failure_mode`
    /// is `"closed"` (503): Twilio retries later.
    DedupeUnavailable,
}

impl From<Reason> for TwilioError {
    fn from(reason: Reason) -> Self {
        TwilioError { reason, url: None, diagnosis: None }
    }
}

impl TwilioError {
    pub(crate) fn new(reason: Reason, url: Option<String>) -> Self {
        TwilioError { reason, url, diagnosis: None }
    }

    pub(crate) fn with_diagnosis(mut self, diagnosis: Option<Diagnosis>) -> Self {
        self.diagnosis = diagnosis.map(Arc::new);
        self
    }

    /// What the guard found out about a signature mismatch: the URL, key or body shape the signature is
    /// valid for and the setting to change, or that none matches (so the secret differs). `None` for other
    /// refusals, and when the diagnosis budget was spent by a flood of refused requests.
    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        self.diagnosis.as_deref()
    }

    /// What was wrong.
    pub fn reason(&self) -> &Reason {
        &self.reason
    }

    /// The URL the signature was checked against, when it could be rebuilt.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The HTTP status the request was refused with.
    pub fn status(&self) -> Status {
        match &self.reason {
            Reason::MissingSignature
            | Reason::EmptySignature
            | Reason::DuplicateSignature
            | Reason::NoUrl(_)
            | Reason::AmbiguousAccountSid(_)
            | Reason::UnexpectedBody => Status::Forbidden,
            Reason::Rejected(Rejection::NoSecret) => Status::InternalServerError,
            Reason::Rejected(_) => Status::Forbidden,
            Reason::TooLarge { .. } => Status::PayloadTooLarge,
            Reason::Malformed(_) => Status::BadRequest,
            Reason::UnsupportedMediaType => Status::UnsupportedMediaType,
            Reason::Parse(error) => error.status(),
            Reason::NotConfigured => Status::InternalServerError,
            Reason::Duplicate => Status::NoContent,
            Reason::DedupeUnavailable => Status::ServiceUnavailable,
        }
    }

    /// A one-line suggestion for fixing the most likely cause.
    pub fn hint(&self) -> &'static str {
        match &self.reason {
            Reason::MissingSignature => {
                "not sent by Twilio, or a proxy dropped the header; `twilio-webhook sign` signs test requests"
            }
            Reason::EmptySignature | Reason::DuplicateSignature => "not a request Twilio sent as is",
            Reason::Rejected(Rejection::SignatureMismatch) => {
                if self.url.as_deref().is_some_and(|u| u.starts_with("http://") || u.starts_with("ws://")) {
                    "behind a proxy, load balancer or ngrok that terminates https? set twilio.base_url or \
                     twilio.trust_forwarded_headers; `twilio-webhook explain` finds the URL variant that matches"
                } else {
                    "check the URL Twilio called (proxy, path prefix, port) and the auth token (the primary \
                     token of the account owning the number); `twilio-webhook explain` finds the variant that \
                     matches"
                }
            }
            Reason::Rejected(Rejection::BodyHashMissing) => {
                "a non-form body needs bodySHA256 in the URL (Twilio adds it to JSON webhooks)"
            }
            Reason::Rejected(Rejection::BodyHashMismatch) => "the body was changed after Twilio signed it",
            Reason::Rejected(Rejection::UnknownSharedKey) => "add the shared key to twilio.shared_keys",
            Reason::Rejected(Rejection::InvalidSettings(SettingsError::UnsupportedAlgorithm(_))) => {
                "upgrade rocket_twilio"
            }
            Reason::Rejected(Rejection::UnknownAccount) => {
                "the key resolver knows no token for this AccountSid"
            }
            Reason::Rejected(Rejection::NoApplicableKey) => {
                "not signed with a configured key: set twilio.auth_token if the main account's webhooks come \
                 here, or add the sub-account to twilio.accounts"
            }
            Reason::Rejected(
                Rejection::FormWithBodyHash | Rejection::EmptyParameterName | Rejection::InvalidSettings(_),
            )
            | Reason::AmbiguousAccountSid(_) => "not a request Twilio sends",
            Reason::Rejected(Rejection::NoSecret) | Reason::NotConfigured => {
                "set TWILIO_AUTH_TOKEN or twilio.auth_token, and attach rocket_twilio::Twilio::fairing()"
            }
            Reason::NoUrl(_) => "set twilio.base_url to the public URL prefix Twilio calls",
            Reason::UnexpectedBody => "use a data parameter (or none, on POST) so the body is signed",
            Reason::TooLarge { .. } => {
                "raise the Rocket limit for this data type (limits.form, limits.json...)"
            }
            Reason::Malformed(_) | Reason::UnsupportedMediaType | Reason::Parse(_) => "",
            Reason::Duplicate => "a retry or a replay of a delivery already handled; nothing to fix",
            Reason::DedupeUnavailable => {
                "check the Redis of twilio.dedupe.redis_url (the log says why it failed), or set \
                 twilio.dedupe.failure_mode = \"open\""
            }
        }
    }

    /// The last error a Twilio guard failed this request with (for catchers), or `None`.
    ///
    /// "Last": a request that Rocket forwards from one validated route to the next (by rank, on
    /// [`Reason::UnsupportedMediaType`]) may meet several guards; the catcher sees the final one.
    pub fn of(request: &Request<'_>) -> Option<TwilioError> {
        let last = request.local_cache(LastError::default).0.lock();
        last.map_or(None, |e| e.clone())
    }

    /// Records the error for [`TwilioError::of`], replacing an earlier one.
    pub(crate) fn record(&self, request: &Request<'_>) {
        if let Ok(mut last) = request.local_cache(LastError::default).0.lock() {
            *last = Some(self.clone());
        }
    }

    /// Records the error for [`TwilioError::of`] and returns it with its status, as guards fail.
    pub(crate) fn fail(self, request: &Request<'_>) -> (Status, TwilioError) {
        self.record(request);
        (self.status(), self)
    }

    /// A request guard's outcome for `result`: success, or an error recorded for catchers. Never a
    /// forward.
    pub(crate) fn outcome<T>(
        request: &Request<'_>,
        result: Result<T, TwilioError>,
    ) -> request::Outcome<T, TwilioError> {
        match result {
            Ok(value) => request::Outcome::Success(value),
            Err(e) => request::Outcome::Error(e.fail(request)),
        }
    }
}

/// The last Twilio guard failure of a request.
#[derive(Default)]
struct LastError(Mutex<Option<TwilioError>>);

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::MissingSignature => f.write_str("missing X-Twilio-Signature header"),
            Reason::EmptySignature => f.write_str("empty X-Twilio-Signature header"),
            Reason::DuplicateSignature => f.write_str("more than one X-Twilio-Signature header"),
            Reason::Rejected(r) => fmt::Display::fmt(r, f),
            Reason::AmbiguousAccountSid(why) => write!(f, "ambiguous AccountSid: {why}"),
            Reason::NoUrl(why) => write!(f, "cannot rebuild the URL Twilio called: {why}"),
            Reason::UnexpectedBody => f.write_str("request has a body, but the route validates the URL only"),
            Reason::TooLarge { limit } => write!(f, "body exceeds the `{limit}` limit"),
            Reason::Malformed(why) => write!(f, "malformed body: {why}"),
            Reason::UnsupportedMediaType => {
                f.write_str("the data parameter does not accept this content type")
            }
            Reason::Parse(error) => write!(f, "invalid body: {}", error.message()),
            Reason::NotConfigured => f.write_str("Twilio request validation is not configured"),
            Reason::Duplicate => f.write_str("delivery already handled within the de-duplication window"),
            Reason::DedupeUnavailable => f.write_str("the delivery store did not answer in time"),
        }
    }
}

impl fmt::Display for TwilioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.reason)?;
        if let Some(url) = &self.url {
            write!(f, " (url checked: {url})")?;
        }
        if let Some(diagnosis) = &self.diagnosis {
            write!(f, "; {diagnosis}")?;
        }
        Ok(())
    }
}

/// One line: status, reason, URL checked, and the diagnosis or a hint. This is what Rocket logs when the
/// guard fails.
impl fmt::Debug for TwilioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TwilioError {{ status: {}, reason: \"{}\"", self.status().code, self.reason)?;
        if let Some(url) = &self.url {
            write!(f, ", url: {url:?}")?;
        }
        if let Some(diagnosis) = &self.diagnosis {
            return write!(f, ", diagnosis: {diagnosis} }}");
        }
        match self.hint() {
            "" => f.write_str(" }"),
            hint => write!(f, ", hint: \"{hint}\" }}"),
        }
    }
}

impl std::error::Error for TwilioError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_one_line_with_reason_url_and_hint() {
        let e = TwilioError::new(
            Reason::Rejected(Rejection::SignatureMismatch),
            Some("http://127.0.0.1:8000/sms".into()),
        );
        let shown = format!("{e:?}");
        assert!(!shown.contains('\n'));
        assert!(shown.starts_with("TwilioError { status: 403, reason: \"X-Twilio-Signature does not match"));
        assert!(shown.contains("url: \"http://127.0.0.1:8000/sms\""));
        assert!(shown.contains("base_url"));
    }

    #[test]
    fn statuses() {
        let s = |r| TwilioError::from(r).status();
        assert_eq!(s(Reason::MissingSignature), Status::Forbidden);
        assert_eq!(s(Reason::AmbiguousAccountSid("x")), Status::Forbidden);
        assert_eq!(s(Reason::Rejected(Rejection::NoApplicableKey)), Status::Forbidden);
        assert_eq!(s(Reason::Rejected(Rejection::FormWithBodyHash)), Status::Forbidden);
        assert_eq!(
            s(Reason::Parse(BodyError::new(Status::UnprocessableEntity, "x"))),
            Status::UnprocessableEntity
        );
        assert_eq!(s(Reason::Rejected(Rejection::BodyHashMismatch)), Status::Forbidden);
        assert_eq!(s(Reason::Rejected(Rejection::NoSecret)), Status::InternalServerError);
        assert_eq!(s(Reason::TooLarge { limit: "form" }), Status::PayloadTooLarge);
        assert_eq!(s(Reason::Malformed("x".into())), Status::BadRequest);
        assert_eq!(s(Reason::NotConfigured), Status::InternalServerError);
    }
}
