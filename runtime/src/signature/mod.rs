//! The signature algorithm, with no web framework attached.
//!
//! This module builds without Rocket (`rocket_twilio = { default-features = false }`). It is private: the
//! crate root re-exports its public items by name (see `lib.rs`), so each has one path.
//!
//! # The algorithm
//!
//! Twilio signs each webhook with the account's Auth Token (or a Webhooks Shared Key):
//!
//! ```text
//! data      = URL + name₁ + value₁ + name₂ + value₂ + …    (POST params sorted by name, then value)
//! signature = base64(HMAC-SHA1(key = secret, data))         (HMAC-SHA256 for Shared Keys that ask for it)
//! ```
//!
//! - The URL is the full URL Twilio called, query string included, exactly as sent.
//! - GET webhooks have no POST params: everything is in the query string.
//! - Non-form bodies (JSON) add `bodySHA256=<hex SHA-256 of the body>` to the URL and sign the URL alone.
//! - WebSocket handshakes (Media Streams, ConversationRelay) sign the `ws://`/`wss://` URL without its query,
//!   then the query's parameters like POST params (`websocket.rs`,
//!   [`RequestValidator::compute_handshake_signature`]).
//!
//! The semantics are those of twilio-python 9.13's `RequestValidator`, checked against it by a
//! differential test over thousands of generated requests, and against the test vectors of the Python,
//! Node, Ruby, Java, Go and C# libraries.
//!
//! # URL forms
//!
//! Twilio does not always sign the URL with the port it connects to, so a signature is accepted when it
//! matches the URL as received or the URL with its port toggled (`https://h/x` ↔ `https://h:443/x`,
//! `http://h:8080/x` ↔ `http://h/x`), like every official library. The URL as received is tried first, and
//! the next form only when that one fails: a genuine request costs one HMAC.
//!
//! ```
//! use rocket_twilio::RequestValidator;
//!
//! let v = RequestValidator::new("12345");
//! let sig = v.compute_signature("https://example.com/voice", [("CallSid", "CA1")]);
//! assert!(v.validate("https://example.com:443/voice", [("CallSid", "CA1")], &sig));
//! assert!(!v.validate("http://example.com/voice", [("CallSid", "CA1")], &sig));
//! ```

mod algorithm;
pub mod diagnosis;
pub(crate) mod keyring;
mod mac;
pub(crate) mod params;
mod secret;
pub(crate) mod url;
mod validator;
pub(crate) mod websocket;

pub use algorithm::{
    Algorithm, SettingsError, SignatureSettings, UnsupportedAlgorithm, SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
};
pub use keyring::{KeyResolver, KeyUsed, Keyring, KeyringError, Payload, Rejection, Webhook};
pub use params::Param;
pub use secret::normalize_secret;
pub use validator::{body_sha256_hex, url_with_body_hash, RequestValidator};
pub use websocket::{handshake_http_url, is_websocket_scheme, is_websocket_upgrade, websocket_url};
