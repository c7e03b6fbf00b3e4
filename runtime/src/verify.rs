//! The validation step shared by both guards: state, signature header, URL, key choice, verdict.

use rocket::Request;

use crate::error::{Reason, TwilioError};
use crate::fairing::TwilioState;
use crate::{request_url, Payload, Webhook, SIGNATURE_HEADER, SIGNATURE_SETTINGS_HEADER};

/// The managed configuration, or 500 when the fairing is missing (the Sentinel normally stops launch).
pub(crate) fn state<'r>(req: &'r Request<'_>) -> Result<&'r TwilioState, TwilioError> {
    req.rocket().state::<TwilioState>().ok_or_else(|| TwilioError::new(Reason::NotConfigured, None))
}

/// What is known before the body is read: the URL and the signature. Rejects unsigned requests early,
/// before any body is read.
pub(crate) struct Pending<'r> {
    url: String,
    signature: &'r str,
}

impl<'r> Pending<'r> {
    /// `None` when validation is disabled (debug profile only).
    pub(crate) fn start(req: &'r Request<'_>, state: &TwilioState) -> Result<Option<Self>, TwilioError> {
        if state.disabled {
            return Ok(None);
        }
        let url = request_url::rebuild(req, &state.url);
        let mut values = req.headers().get(SIGNATURE_HEADER);
        let signature = match (values.next(), values.next()) {
            (None, _) => Err(Reason::MissingSignature),
            (Some(_), Some(_)) => Err(Reason::DuplicateSignature),
            (Some(s), None) if s.trim().is_empty() => Err(Reason::EmptySignature),
            (Some(s), None) => Ok(s.trim()),
        };
        let signature = signature.map_err(|reason| TwilioError::new(reason, url.clone().ok()))?;
        let url = url.map_err(|why| TwilioError::new(Reason::NoUrl(why), None))?;
        Ok(Some(Pending { url, signature }))
    }

    /// Checks the signature (and body hash) with the secrets the request calls for.
    pub(crate) fn finish(
        self,
        req: &Request<'_>,
        state: &TwilioState,
        payload: Payload<'_>,
        account_sid: Option<&str>,
    ) -> Result<(), TwilioError> {
        let webhook = Webhook {
            url: &self.url,
            payload,
            signature: self.signature,
            signature_settings: req.headers().get_one(SIGNATURE_SETTINGS_HEADER),
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
