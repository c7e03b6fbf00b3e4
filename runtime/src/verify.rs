//! The validation step shared by both guards: state, signature header, URL, key choice, verdict.

use std::borrow::Cow;

use rocket::Request;

use crate::error::{Reason, TwilioError};
use crate::fairing::TwilioState;
use crate::{request_url, Payload, Webhook, SIGNATURE_HEADER, SIGNATURE_SETTINGS_HEADER};

/// The managed configuration, or 500 when the fairing is missing (the Sentinel normally stops launch).
pub(crate) fn state<'r>(req: &'r Request<'_>) -> Result<&'r TwilioState, TwilioError> {
    req.rocket().state::<TwilioState>().ok_or_else(|| TwilioError::new(Reason::NotConfigured, None))
}

/// The two Twilio headers of a request, found in one pass over its headers.
///
/// Rocket's `HeaderMap::get` hashes the name it looks up byte by byte with SipHash; scanning a webhook's
/// dozen headers and comparing lengths first costs less than the two lookups (about 3 000 instructions
/// per request, measured with `bench/instructions.sh`).
#[derive(Default)]
struct TwilioHeaders<'r> {
    /// The first `X-Twilio-Signature` value.
    signature: Option<&'r str>,
    /// Whether `X-Twilio-Signature` came more than once.
    repeated: bool,
    /// The first `X-Twilio-Webhooks-Signature-Settings` value.
    settings: Option<&'r str>,
}

impl<'r> TwilioHeaders<'r> {
    fn read(req: &'r Request<'_>) -> Self {
        let mut found = TwilioHeaders::default();
        for header in req.headers().iter() {
            // Rocket's `iter` lends every value from the map. An owned one could not be lent for the
            // request's lifetime; it counts as absent, so a signature sent that way is refused as missing.
            let Cow::Borrowed(value) = header.value else { continue };
            if header.name == SIGNATURE_HEADER {
                found.repeated |= found.signature.replace(value).is_some();
            } else if header.name == SIGNATURE_SETTINGS_HEADER && found.settings.is_none() {
                found.settings = Some(value);
            }
        }
        found
    }
}

/// What is known before the body is read: the URL and the signature. Rejects unsigned requests early,
/// before any body is read.
pub(crate) struct Pending<'r> {
    url: String,
    signature: &'r str,
    settings: Option<&'r str>,
}

impl<'r> Pending<'r> {
    /// `None` when validation is disabled (debug profile only).
    pub(crate) fn start(req: &'r Request<'_>, state: &TwilioState) -> Result<Option<Self>, TwilioError> {
        if state.disabled {
            return Ok(None);
        }
        let url = request_url::rebuild(req, &state.url);
        let headers = TwilioHeaders::read(req);
        let signature = match (headers.signature, headers.repeated) {
            (None, _) => Err(Reason::MissingSignature),
            (Some(_), true) => Err(Reason::DuplicateSignature),
            (Some(s), false) if s.trim().is_empty() => Err(Reason::EmptySignature),
            (Some(s), false) => Ok(s.trim()),
        };
        let signature = signature.map_err(|reason| TwilioError::new(reason, url.clone().ok()))?;
        let url = url.map_err(|why| TwilioError::new(Reason::NoUrl(why), None))?;
        Ok(Some(Pending { url, signature, settings: headers.settings }))
    }

    /// Checks the signature (and body hash) with the secrets the request calls for.
    pub(crate) fn finish(
        self,
        state: &TwilioState,
        payload: Payload<'_>,
        account_sid: Option<&str>,
    ) -> Result<(), TwilioError> {
        let webhook = Webhook {
            url: &self.url,
            payload,
            signature: self.signature,
            signature_settings: self.settings,
            account_sid,
        };
        match state.resolver.verify(&webhook) {
            Ok(key) => {
                if key.is_secondary() {
                    log::info!(
                        "Twilio webhook verified with a SECONDARY auth token: finish the token rotation"
                    );
                }
                Ok(())
            }
            Err(rejection) => Err(TwilioError::new(Reason::Rejected(rejection), Some(self.url))),
        }
    }
}

/// The `AccountSid` of a bodiless request (or a JSON one): from the query string.
pub(crate) fn query_account_sid<'r>(req: &'r Request<'_>) -> Option<&'r str> {
    req.query_value::<&str>("AccountSid").and_then(Result::ok)
}
