//! Why a webhook was refused, and what to set so that the next one passes.
//!
//! When a signature does not match, [`diagnose`] searches a bounded set of explanations, built from what
//! the request carries, and names the one that matches:
//!
//! - **URL variants**: the scheme flipped (`http` ↔ `https`, `ws` ↔ `wss`); the scheme, host, port, path
//!   prefix or request URI that forwarded headers give, trusted or not ([`Clues`]); with and without the
//!   port; a trailing slash; the first path segment dropped; the query as Twilio may have encoded it (`+`
//!   or `%20`, encoded or decoded, none); credentials dropped; the host in lower case.
//! - **Keys**: every configured secret (primary, secondary, shared keys, sub-account tokens), named by
//!   role only ([`KeyRole`]), never shown.
//! - **Body shape**: a form signed as a raw body (`bodySHA256`), a JSON body whose `bodySHA256` a proxy
//!   dropped, parameters left out.
//!
//! The answer is a [`Diagnosis`], one line: the URL (or key) the signature is valid for and the setting
//! that fixes it, or, when nothing matches, that the URL and body shape are what Twilio signs for this
//! deployment, so the secret differs or the parameters changed on the way.
//!
//! It costs at most [`Budget::per_request`] HMACs per refused request, and a server's [`Budget`] bounds
//! what all diagnoses cost over time. No secret, expected signature or candidate HMAC ever appears in a
//! diagnosis: only URLs, key roles and settings.
//!
//! The Rocket guard runs it on every signature mismatch (see `TwilioError::diagnosis`), and
//! `twilio-webhook explain` is a front end to it.
//!
//! ```
//! use rocket_twilio::diagnosis::{diagnose, Budget, Clues, Diagnosis, Evidence, UrlSetup};
//! use rocket_twilio::{Keyring, Payload, RequestValidator, Webhook};
//!
//! let keyring = Keyring::new().primary("12345")?;
//! // Twilio called ngrok's https URL; ngrok forwarded plain http with the public Host.
//! let params = [("Body", "hi")];
//! let signature = RequestValidator::new("12345").compute_signature("https://abcd.ngrok.app/sms", params);
//! let checked = "http://abcd.ngrok.app/sms";
//! let webhook = Webhook::new(checked, Payload::Form(&params), &signature);
//! let rejection = keyring.verify(&webhook).unwrap_err();
//!
//! let clues = Clues::new();
//! let evidence = Evidence::new(webhook, "/sms", &clues).refused_with(&rejection).setup(UrlSetup::Request { trusted: None });
//! let diagnosis = diagnose(&evidence, &keyring, &Budget::server());
//! assert_eq!(
//!     diagnosis.to_string(),
//!     "the signature is valid for https://abcd.ngrok.app/sms (scheme http → https): \
//!      set twilio.base_url = \"https://abcd.ngrok.app\""
//! );
//! assert!(matches!(diagnosis, Diagnosis::Found(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod advice;
mod budget;
mod changes;
mod clues;
mod parts;
mod search;
mod variants;

use std::fmt;

pub use budget::Budget;
pub use changes::{Change, QueryChange, Shape};
pub use clues::Clues;
#[cfg(feature = "rocket")]
pub(crate) use parts::base_url_refusal;
pub use parts::{UrlError, UrlParts};
pub use search::diagnose;

pub use crate::signature::keyring::KeyRole;
use crate::{Rejection, Webhook};

/// How the server rebuilt the URL it checked, which decides the setting a diagnosis suggests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlSetup<'a> {
    /// From the request itself (scheme and `Host`), with neither `base_url` nor trusted headers.
    /// `trusted` is the URL the server would have checked with `trust_forwarded_headers = true`, when the
    /// request carries forwarded headers: if Twilio signed that one, trusting them is the fix.
    Request {
        /// The URL trusted forwarded headers would give.
        trusted: Option<&'a str>,
    },
    /// `base_url` (this value) followed by the request's path and query.
    BaseUrl(&'a str),
    /// From trusted forwarded headers.
    TrustedHeaders,
    /// Given by hand (the URL an application logged), not rebuilt by this server.
    Given,
}

/// A form body, in both shapes: the bytes sent and the fields they decode to.
#[derive(Clone, Copy, Debug)]
pub struct FormBody<'a> {
    /// The body's bytes, as received.
    pub raw: &'a [u8],
    /// Its fields, percent-decoded.
    pub fields: &'a [(&'a str, &'a str)],
}

/// What a refused request carried: the [`Webhook`] the key resolver saw, and what else the search can
/// draw on.
#[derive(Clone, Debug)]
pub struct Evidence<'a> {
    pub(crate) webhook: Webhook<'a>,
    pub(crate) target: &'a str,
    pub(crate) clues: &'a Clues,
    pub(crate) rejection: Option<&'a Rejection>,
    pub(crate) form: Option<FormBody<'a>>,
    pub(crate) setup: UrlSetup<'a>,
}

impl<'a> Evidence<'a> {
    /// The request as checked: `webhook`, the request's path and query as received (`target`, what a
    /// `base_url` is followed by), and the [`Clues`] it carries.
    pub fn new(webhook: Webhook<'a>, target: &'a str, clues: &'a Clues) -> Self {
        Evidence { webhook, target, clues, rejection: None, form: None, setup: UrlSetup::Given }
    }

    /// Why the key resolver refused it. Only mismatches are searched: a body whose `bodySHA256` differs,
    /// an empty parameter name or unreadable signature settings are not (their reason says it all).
    pub fn refused_with(mut self, rejection: &'a Rejection) -> Self {
        self.rejection = Some(rejection);
        self
    }

    /// The form body, raw and decoded, so that the search can try it signed the other way.
    pub fn form(mut self, form: FormBody<'a>) -> Self {
        self.form = Some(form);
        self
    }

    /// How the checked URL was rebuilt (default: [`UrlSetup::Given`]).
    pub fn setup(mut self, setup: UrlSetup<'a>) -> Self {
        self.setup = setup;
        self
    }
}

/// What [`diagnose`] found. Its `Display` is one line, for a log.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Diagnosis {
    /// The signature is valid for a variant of the request.
    Found(Finding),
    /// No variant matches.
    NoMatch(NoMatch),
    /// The request was not searched.
    Skipped(Skipped),
}

impl Diagnosis {
    /// How many HMACs the diagnosis computed.
    pub fn hmacs(&self) -> u32 {
        match self {
            Diagnosis::Found(f) => f.hmacs,
            Diagnosis::NoMatch(n) => n.hmacs,
            Diagnosis::Skipped(_) => 0,
        }
    }

    /// The finding, when a variant matched.
    pub fn finding(&self) -> Option<&Finding> {
        match self {
            Diagnosis::Found(f) => Some(f),
            _ => None,
        }
    }
}

/// The request the signature is valid for, and the fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub(crate) url: String,
    pub(crate) key: KeyRole,
    pub(crate) changes: Vec<Change>,
    pub(crate) fix: String,
    pub(crate) hmacs: u32,
}

impl Finding {
    /// The URL the signature is valid for (with `bodySHA256` when the body was signed that way).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The key it is valid with.
    pub fn key(&self) -> &KeyRole {
        &self.key
    }

    /// How that request differs from the one checked (none: the request as checked, with the key).
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// What to do, in one line: the setting to change, or the cause to remove.
    pub fn fix(&self) -> &str {
        &self.fix
    }
}

/// Nothing matched: how much was searched, and what that means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoMatch {
    pub(crate) urls: usize,
    pub(crate) keys: usize,
    pub(crate) hmacs: u32,
    pub(crate) advice: String,
}

impl NoMatch {
    /// How many URL variants were tried.
    pub fn urls(&self) -> usize {
        self.urls
    }

    /// How many configured keys were tried.
    pub fn keys(&self) -> usize {
        self.keys
    }

    /// What the absence of a match means for this request, in one sentence.
    pub fn advice(&self) -> &str {
        &self.advice
    }
}

/// Why a refused request was not searched.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Skipped {
    /// The diagnosis budget is spent (a flood of refused requests): the reason stands alone.
    Budget,
    /// The signature has the length of no HMAC's base64 (28 for SHA-1, 44 for SHA-256).
    SignatureLength(usize),
    /// The key resolver offers no key to search with.
    NoKeys,
    /// The URL checked is not an absolute http(s)/ws(s) URL.
    UnusableUrl,
    /// The refusal is not a signature mismatch (e.g. the body changed after its `bodySHA256` was computed).
    NotAMismatch,
}

impl fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Diagnosis::Found(found) => fmt::Display::fmt(found, f),
            Diagnosis::NoMatch(none) => {
                let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
                write!(
                    f,
                    "no URL variant, configured key or body shape matches ({}, {}, {}): {}",
                    plural(none.urls, "URL"),
                    plural(none.keys, "key"),
                    plural(none.hmacs as usize, "HMAC"),
                    none.advice
                )
            }
            Diagnosis::Skipped(Skipped::SignatureLength(n)) => write!(
                f,
                "the signature has {n} characters, where an HMAC-SHA1 signature has 28 and an HMAC-SHA256 one \
                 44: it was truncated or altered on the way, or is not a Twilio signature"
            ),
            Diagnosis::Skipped(Skipped::Budget) => {
                f.write_str("not diagnosed: the diagnosis budget is spent by other refused requests")
            }
            Diagnosis::Skipped(Skipped::NoKeys) => f.write_str("not diagnosed: no key to search with"),
            Diagnosis::Skipped(Skipped::UnusableUrl) => {
                f.write_str("not diagnosed: the URL checked is not an absolute http(s) URL")
            }
            Diagnosis::Skipped(Skipped::NotAMismatch) => f.write_str("not diagnosed: not a signature mismatch"),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the signature is valid for {}", self.url)?;
        let url_changes: Vec<String> = self
            .changes
            .iter()
            .filter(|c| !matches!(c, Change::Key { .. }))
            .map(ToString::to_string)
            .collect();
        if !url_changes.is_empty() {
            write!(f, " ({})", url_changes.join("; "))?;
        }
        if let Some(Change::Key { used, .. }) = self.changes.iter().find(|c| matches!(c, Change::Key { .. }))
        {
            write!(f, " with {used}")?;
        }
        write!(f, ": {}", self.fix)
    }
}

#[cfg(test)]
mod tests;
