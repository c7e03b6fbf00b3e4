//! [`Checker`]: the one validation flow every guard runs. It owns the configuration, the URL and the
//! signature; the guards only read the body.

use std::borrow::Cow;

use rocket::form::name::NameView;
use rocket::Request;

use super::config::TwilioState;
use super::dedupe::DedupeState;
use super::diagnosis;
use super::error::{Reason, TwilioError};
use super::request_url;
use super::verified::Signer;
use crate::diagnosis::FormBody;
use crate::signature::url::has_body_sha256;
use crate::signature::websocket;
use crate::{Payload, Webhook, SIGNATURE_HEADER, SIGNATURE_SETTINGS_HEADER};

/// The configuration the fairing manages, or an error when the fairing is missing (the Sentinel normally
/// stops such a launch).
pub(crate) fn state<'r>(req: &'r Request<'_>) -> Result<&'r TwilioState, TwilioError> {
    req.rocket().state::<TwilioState>().ok_or_else(|| Reason::NotConfigured.into())
}

/// The two Twilio headers of a request, found in one pass over its headers.
///
/// Rocket's `HeaderMap::get` hashes the name it looks up byte by byte with SipHash; scanning a webhook's
/// dozen headers and comparing lengths first costs less than the two lookups (about 3 000 instructions
/// per request, measured with `bench/instructions.sh`).
#[derive(Default)]
pub(crate) struct TwilioHeaders<'r> {
    /// The first `X-Twilio-Signature` value.
    signature: Option<&'r str>,
    /// Whether `X-Twilio-Signature` came more than once.
    repeated: bool,
    /// The first `X-Twilio-Webhooks-Signature-Settings` value.
    settings: Option<&'r str>,
    /// The first `Content-Length` value, as sent.
    content_length: Option<&'r str>,
}

impl<'r> TwilioHeaders<'r> {
    pub(crate) fn read(req: &'r Request<'_>) -> Self {
        let mut found = TwilioHeaders::default();
        for header in req.headers().iter() {
            // Rocket's `iter` lends every value from the map. An owned one could not be lent for the
            // request's lifetime; it counts as absent, so a signature sent that way is refused as missing.
            let Cow::Borrowed(value) = header.value else { continue };
            if header.name == SIGNATURE_HEADER {
                found.repeated |= found.signature.replace(value).is_some();
            } else if header.name == SIGNATURE_SETTINGS_HEADER && found.settings.is_none() {
                found.settings = Some(value);
            } else if header.name == "Content-Length" && found.content_length.is_none() {
                found.content_length = Some(value);
            }
        }
        found
    }

    /// The signature, or why no request carrying these headers can be valid.
    pub(crate) fn signature(&self) -> Result<&'r str, Reason> {
        match (self.signature, self.repeated) {
            (None, _) => Err(Reason::MissingSignature),
            (Some(_), true) => Err(Reason::DuplicateSignature),
            (Some(s), false) if s.trim().is_empty() => Err(Reason::EmptySignature),
            (Some(s), false) => Ok(s.trim()),
        }
    }
}

/// What the signature of a validated body covered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Coverage {
    /// The decoded form fields (or nothing, for an empty body): not the body's bytes.
    Fields,
    /// The body's bytes, through the URL's `bodySHA256`.
    Bytes,
    /// Nothing: validation is disabled.
    Unchecked,
}

/// A request on its way through validation: what is known before the body is read.
pub(crate) struct Checker<'r, 'c> {
    req: &'r Request<'c>,
    state: &'r TwilioState,
    /// `None` when validation is disabled (debug profile only).
    pending: Option<Pending<'r>>,
    /// The announced body length (`Content-Length`), when known.
    content_length: Option<u64>,
}

struct Pending<'r> {
    /// The URL Twilio called (`ws://`/`wss://` for a handshake), query string included.
    url: String,
    /// A WebSocket handshake: signed over the URL without its query, then the query's parameters.
    handshake: bool,
    signature: &'r str,
    settings: Option<&'r str>,
}

impl<'r, 'c> Checker<'r, 'c> {
    /// Reads the configuration, the signature headers and the URL; refuses a request that cannot be valid
    /// before its body is read.
    pub(crate) fn start(req: &'r Request<'c>) -> Result<Self, TwilioError> {
        let state = state(req)?;
        if state.disabled {
            return Ok(Checker { req, state, pending: None, content_length: None });
        }
        let handshake = request_url::is_handshake(req);
        let url = request_url::rebuild_as(req, &state.url, handshake);
        let headers = TwilioHeaders::read(req);
        let signature = headers.signature().map_err(|reason| TwilioError::new(reason, url.clone().ok()))?;
        let url = url.map_err(Reason::NoUrl)?;
        let settings = headers.settings;
        let content_length = headers.content_length.and_then(|length| length.trim().parse().ok());
        Ok(Checker {
            req,
            state,
            pending: Some(Pending { url, handshake, signature, settings }),
            content_length,
        })
    }

    /// The body length the request announces (`Content-Length`), if any: a hint for reading it, not a
    /// bound (the body is read under the Rocket limit whatever it says).
    pub(crate) fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The `Delivery` guards' store, for the claim that follows verification.
    pub(crate) fn dedupe(&self) -> Option<&'r DedupeState> {
        self.state.dedupe.as_ref()
    }

    /// Whether validation is switched off (`twilio.disable_validation`, debug only).
    pub(crate) fn is_disabled(&self) -> bool {
        self.pending.is_none()
    }

    /// Finishes a form body: its decoded `fields` are signed, unless the URL carries `bodySHA256`, in which
    /// case `raw` must match it (Twilio adds `bodySHA256` to non-form bodies only).
    pub(crate) fn finish_form(
        self,
        fields: &[(&'r str, &'r str)],
        raw: &[u8],
    ) -> Result<Coverage, TwilioError> {
        let Some(pending) = &self.pending else { return Ok(Coverage::Unchecked) };
        if pending.handshake {
            return self.finish_handshake(!raw.is_empty());
        }
        let account_sid = account_sid(self.query_fields().chain(fields.iter().copied()))?;
        let form = Some(FormBody { raw, fields });
        if has_body_sha256(&pending.url) {
            pending.verify(&self, Payload::Raw(raw), account_sid, form)?;
            return Ok(Coverage::Bytes);
        }
        pending.verify(&self, Payload::Form(fields), account_sid, form)?;
        Ok(Coverage::Fields)
    }

    /// Finishes a non-form body: it must match the URL's `bodySHA256`, unless it is empty and the URL has
    /// none (then it signs like a bodiless request).
    pub(crate) fn finish_raw(self, body: &[u8]) -> Result<Coverage, TwilioError> {
        if body.is_empty() {
            return self.finish_bodiless();
        }
        let Some(pending) = &self.pending else { return Ok(Coverage::Unchecked) };
        if pending.handshake {
            return self.finish_handshake(true);
        }
        let account_sid = account_sid(self.query_fields())?;
        pending.verify(&self, Payload::Raw(body), account_sid, None)?;
        Ok(Coverage::Bytes)
    }

    /// Finishes a request without a body: the URL alone is signed (with the empty body's `bodySHA256`
    /// when the URL carries one).
    pub(crate) fn finish_bodiless(self) -> Result<Coverage, TwilioError> {
        let Some(pending) = &self.pending else { return Ok(Coverage::Unchecked) };
        if pending.handshake {
            return self.finish_handshake(false);
        }
        let account_sid = account_sid(self.query_fields())?;
        if has_body_sha256(&pending.url) {
            pending.verify(&self, Payload::Raw(b""), account_sid, None)?;
            return Ok(Coverage::Bytes);
        }
        pending.verify(&self, Payload::Form(&[]), account_sid, None)?;
        Ok(Coverage::Fields)
    }

    /// Finishes a WebSocket handshake: the URL without its query is signed, then the query's parameters
    /// (see [`RequestValidator::compute_handshake_signature`](crate::RequestValidator::compute_handshake_signature)).
    /// A handshake carries no body; one that does is refused.
    fn finish_handshake(&self, has_body: bool) -> Result<Coverage, TwilioError> {
        let Some(pending) = &self.pending else { return Ok(Coverage::Unchecked) };
        if has_body {
            return Err(TwilioError::new(Reason::UnexpectedBody, Some(pending.url.clone())));
        }
        let account_sid = account_sid(self.query_fields())?;
        let (signed_url, params) = websocket::handshake_parts(&pending.url);
        let fields: Vec<(&str, &str)> = params.iter().map(|(name, value)| (&**name, &**value)).collect();
        pending.verify_at(self, signed_url, Payload::Form(&fields), account_sid, None)?;
        Ok(Coverage::Fields)
    }

    /// The query string's fields, percent-decoded (Rocket caches the decoding).
    fn query_fields(&self) -> impl Iterator<Item = (&'r str, &'r str)> + 'r {
        self.req.query_fields().map(|field| (field.name.source().as_str(), field.value))
    }
}

impl Pending<'_> {
    /// Checks the signature (and body hash) with the secret the request calls for, and records who signed;
    /// a refusal carries the diagnosis of what Twilio signed instead (`form`: the body in both shapes).
    fn verify(
        &self,
        checker: &Checker<'_, '_>,
        payload: Payload<'_>,
        account_sid: Option<&str>,
        form: Option<FormBody<'_>>,
    ) -> Result<(), TwilioError> {
        self.verify_at(checker, &self.url, payload, account_sid, form)
    }

    /// [`verify`](Self::verify) with `signed_url` as the signed URL (a handshake's, without its query).
    fn verify_at(
        &self,
        checker: &Checker<'_, '_>,
        signed_url: &str,
        payload: Payload<'_>,
        account_sid: Option<&str>,
        form: Option<FormBody<'_>>,
    ) -> Result<(), TwilioError> {
        let webhook = Webhook {
            url: signed_url,
            payload,
            signature: self.signature,
            signature_settings: self.settings,
            account_sid,
        };
        match checker.state.resolver.verify(&webhook) {
            Ok(key) => {
                if key.is_secondary() {
                    log::info!(
                        "Twilio webhook verified with a SECONDARY auth token: finish the token rotation"
                    );
                }
                Signer::record(checker.req, self.signature, key, account_sid, self.settings);
                Ok(())
            }
            Err(rejection) => {
                let diagnosis = diagnosis::run(checker.req, checker.state, &webhook, &rejection, form);
                Err(TwilioError::new(Reason::Rejected(rejection), Some(self.url.clone()))
                    .with_diagnosis(diagnosis))
            }
        }
    }
}

/// The name of the parameter that chooses a sub-account's token.
const ACCOUNT_SID: &str = "AccountSid";

/// The request's `AccountSid`: the one value of every field (query or body) that a Rocket form would
/// read as `AccountSid`.
///
/// Rocket's forms match a struct field by the *first key* of each field name, so `AccountSid.x`,
/// `AccountSid[]`, `AccountSid[0]`, `.AccountSid` and `AccountSid.` all reach a field named `AccountSid`
/// (and `accountsid` one declared with `uncased`), and a lenient form keeps the first. The key that
/// verifies the request must belong to the account the handler reads, so:
///
/// - a field whose first key is `AccountSid` in any case, but whose name is not exactly `AccountSid`, is
///   refused: Twilio never sends such names, and they are how a handler would be made to read another
///   account than the one that chose the key;
/// - all `AccountSid` fields must agree; a request that claims two accounts is refused.
///
/// So the value returned is the value any handler reads, whatever its form type.
fn account_sid<'a>(fields: impl Iterator<Item = (&'a str, &'a str)>) -> Result<Option<&'a str>, Reason> {
    let mut found: Option<&'a str> = None;
    for (name, value) in fields {
        if !names_account_sid(name) {
            continue;
        }
        if name != ACCOUNT_SID {
            return Err(Reason::AmbiguousAccountSid("a field's name is an alias of AccountSid"));
        }
        match found {
            Some(first) if first != value => {
                return Err(Reason::AmbiguousAccountSid("the request gives two different AccountSids"))
            }
            _ => found = Some(value),
        }
    }
    Ok(found)
}

/// Whether a Rocket form reads the field `name` as `AccountSid` (its first key, in any case).
fn names_account_sid(name: &str) -> bool {
    // Cheap test first: Rocket's first key starts at the name's first byte, or at its second after a
    // leading `.` or `[` (`NameView::shift`, `key_lossy`), so it can only be `AccountSid` if one of those
    // two places starts with it. Most names fail here, without parsing.
    let starts_there = |at: usize| {
        name.as_bytes()
            .get(at..at + ACCOUNT_SID.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(ACCOUNT_SID.as_bytes()))
    };
    (starts_there(0) || starts_there(1))
        && NameView::new(name).key_lossy().as_str().eq_ignore_ascii_case(ACCOUNT_SID)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "AC00000000000000000000000000000001";
    const B: &str = "AC00000000000000000000000000000002";

    #[test]
    fn account_sid_is_the_one_every_form_reads() {
        let one = |fields: &[(&'static str, &'static str)]| account_sid(fields.iter().copied());
        assert_eq!(one(&[]), Ok(None));
        assert_eq!(one(&[("Body", "hi")]), Ok(None));
        assert_eq!(one(&[("AccountSid", A), ("Body", "hi")]), Ok(Some(A)));
        assert_eq!(one(&[("AccountSid", A), ("AccountSid", A)]), Ok(Some(A)));
        // Names that merely start like it are other fields.
        assert_eq!(one(&[("AccountSidX", B), ("AccountSid", A), ("ParentAccountSid", B)]), Ok(Some(A)));
        assert_eq!(one(&[("Account", B), ("AccountSid", A)]), Ok(Some(A)));
    }

    #[test]
    fn aliases_and_disagreements_are_refused_in_either_order() {
        let one = |fields: &[(&'static str, &'static str)]| account_sid(fields.iter().copied());
        for alias in [
            "AccountSid.x",
            "AccountSid[]",
            "AccountSid[0]",
            ".AccountSid",
            "AccountSid.",
            "accountsid",
            "ACCOUNTSID",
            "[AccountSid]",
            "AccountSid[x]y",
        ] {
            assert_eq!(
                one(&[(alias, B), ("AccountSid", A)]),
                Err(Reason::AmbiguousAccountSid("a field's name is an alias of AccountSid")),
                "{alias}"
            );
            assert_eq!(
                one(&[("AccountSid", A), (alias, B)]),
                Err(Reason::AmbiguousAccountSid("a field's name is an alias of AccountSid")),
                "{alias}"
            );
            assert!(one(&[(alias, A)]).is_err(), "{alias} alone");
        }
        assert_eq!(
            one(&[("AccountSid", A), ("AccountSid", B)]),
            Err(Reason::AmbiguousAccountSid("the request gives two different AccountSids"))
        );
    }

    #[test]
    fn the_cheap_test_never_skips_a_name_rocket_reads_as_account_sid() {
        // Every name of up to 4 pieces drawn from delimiters and parts of the word: whatever the cheap
        // test skips, Rocket's own parser does not read as AccountSid either.
        let pieces = ["", ".", "[", "]", "AccountSid", "accountsid", "x", "Account", "Sid", "=", ".["];
        let mut names = vec![String::new()];
        for _ in 0..4 {
            names = names.iter().flat_map(|n| pieces.iter().map(move |p| format!("{n}{p}"))).collect();
            for name in &names {
                let rocket =
                    NameView::new(name.as_str()).key_lossy().as_str().eq_ignore_ascii_case(ACCOUNT_SID);
                assert_eq!(names_account_sid(name), rocket, "{name:?}");
            }
        }
    }

    #[test]
    fn first_keys_follow_rocket() {
        for (name, reads_it) in [
            ("AccountSid", true),
            ("AccountSid.x", true),
            (".AccountSid", true),
            ("[AccountSid]", true),
            ("accountSID[1]", true),
            ("AccountSidx", false),
            ("x.AccountSid", false),
            ("x[AccountSid]", false),
            ("", false),
            ("Account", false),
        ] {
            assert_eq!(names_account_sid(name), reads_it, "{name}");
        }
    }
}
