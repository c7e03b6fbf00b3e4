//! Which HMAC signed a webhook, and the `X-Twilio-Webhooks-Signature-Settings` header that says so.

use std::fmt;
use std::str::FromStr;

/// The header carrying the webhook signature.
pub const SIGNATURE_HEADER: &str = "X-Twilio-Signature";

/// The header Twilio adds to webhooks signed with a Webhooks **Shared Key**:
/// `key=<shared key id>,algorithm=HMAC_SHA256`.
pub const SIGNATURE_SETTINGS_HEADER: &str = "X-Twilio-Webhooks-Signature-Settings";

/// The HMAC a webhook signature was computed with.
///
/// Auth Token signatures are always [`Algorithm::HmacSha1`]; Shared Key signatures name their algorithm in
/// the [`SIGNATURE_SETTINGS_HEADER`].
///
/// ```
/// use rocket_twilio::Algorithm;
///
/// assert_eq!("hmac_sha256".parse::<Algorithm>(), Ok(Algorithm::HmacSha256));
/// assert_eq!(Algorithm::default(), Algorithm::HmacSha1);
/// assert_eq!(Algorithm::HmacSha1.to_string(), "HMAC_SHA1");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC-SHA1: every Auth Token signature, and the default.
    #[default]
    HmacSha1,
    /// HMAC-SHA256: available to Shared Keys.
    HmacSha256,
}

impl Algorithm {
    /// The name Twilio uses for this algorithm (`HMAC_SHA1`, `HMAC_SHA256`).
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::HmacSha1 => "HMAC_SHA1",
            Algorithm::HmacSha256 => "HMAC_SHA256",
        }
    }

    /// Length of a base64 signature made with this algorithm (28 for SHA-1, 44 for SHA-256).
    pub const fn signature_len(self) -> usize {
        match self {
            Algorithm::HmacSha1 => 28,
            Algorithm::HmacSha256 => 44,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An algorithm name this crate does not know (Twilio may add new ones).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsupportedAlgorithm {
    name: String,
}

impl UnsupportedAlgorithm {
    /// The name that was not recognised, as it was written.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for UnsupportedAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The name comes from a request header: show it escaped, and never too much of it.
        const MAX: usize = 40;
        let shown: String = self.name.chars().take(MAX).collect();
        write!(
            f,
            "unsupported webhook signature algorithm {:?}{} (supported: HMAC_SHA1, HMAC_SHA256)",
            shown,
            if self.name.chars().count() > MAX { "…" } else { "" }
        )
    }
}

impl std::error::Error for UnsupportedAlgorithm {}

impl FromStr for Algorithm {
    type Err = UnsupportedAlgorithm;

    /// Parses `HMAC_SHA1` or `HMAC_SHA256`, ignoring ASCII case, as twilio-python does.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("HMAC_SHA1") {
            Ok(Algorithm::HmacSha1)
        } else if s.eq_ignore_ascii_case("HMAC_SHA256") {
            Ok(Algorithm::HmacSha256)
        } else {
            Err(UnsupportedAlgorithm { name: s.to_owned() })
        }
    }
}

/// The parsed value of the [`SIGNATURE_SETTINGS_HEADER`].
///
/// The header is a comma-separated list of `name=value` pairs. Unknown names are ignored, and the first
/// non-empty `key` and `algorithm` win, exactly as twilio-python's `get_signature_algorithm` reads
/// `algorithm`. A header without `algorithm` means [`Algorithm::HmacSha1`].
///
/// ```
/// use rocket_twilio::{Algorithm, SignatureSettings};
///
/// let s = SignatureSettings::parse("key=webhooks_sharedkey_01,algorithm=HMAC_SHA256")?;
/// assert_eq!(s.key_id(), Some("webhooks_sharedkey_01"));
/// assert_eq!(s.algorithm(), Algorithm::HmacSha256);
///
/// assert_eq!(SignatureSettings::parse("")?.algorithm(), Algorithm::HmacSha1);
/// assert!(SignatureSettings::parse("algorithm=HMAC_MD5").is_err());
/// # Ok::<(), rocket_twilio::UnsupportedAlgorithm>(())
/// ```
/// The default is what a request without the header means: no key id, HMAC-SHA1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SignatureSettings<'a> {
    key_id: Option<&'a str>,
    algorithm: Algorithm,
}

impl<'a> SignatureSettings<'a> {
    /// Parses a header value. Fails only when `algorithm=` names an algorithm this crate does not support.
    pub fn parse(header: &'a str) -> Result<Self, UnsupportedAlgorithm> {
        let mut key_id = None;
        let mut algorithm = None;
        for part in header.split(',') {
            let Some((name, value)) = part.split_once('=') else {
                continue;
            };
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match name.trim() {
                "key" if key_id.is_none() => key_id = Some(value),
                "algorithm" if algorithm.is_none() => algorithm = Some(value),
                _ => {}
            }
        }
        let algorithm = algorithm.map_or(Ok(Algorithm::HmacSha1), str::parse)?;
        Ok(SignatureSettings { key_id, algorithm })
    }

    /// The Shared Key id (`key=`), if the header names one.
    pub fn key_id(&self) -> Option<&'a str> {
        self.key_id
    }

    /// The signing algorithm (`algorithm=`), [`Algorithm::HmacSha1`] when absent.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_algorithm_names_case_insensitively() {
        assert_eq!("HMAC_SHA1".parse(), Ok(Algorithm::HmacSha1));
        assert_eq!("hmac_sha1".parse(), Ok(Algorithm::HmacSha1));
        assert_eq!("Hmac_Sha256".parse(), Ok(Algorithm::HmacSha256));
        let err = "SHA1".parse::<Algorithm>().unwrap_err();
        assert_eq!(err.name(), "SHA1");
        assert!(err.to_string().contains("\"SHA1\""));
    }

    #[test]
    fn settings_header_first_non_empty_value_wins() {
        let s = SignatureSettings::parse(" key = k1 , algorithm= ,algorithm=hmac_sha256,algorithm=HMAC_SHA1")
            .unwrap();
        assert_eq!(s.key_id(), Some("k1"));
        assert_eq!(s.algorithm(), Algorithm::HmacSha256);
    }

    #[test]
    fn settings_header_ignores_noise() {
        let s = SignatureSettings::parse("nonsense,,=,foo=bar,key").unwrap();
        assert_eq!(s, SignatureSettings { key_id: None, algorithm: Algorithm::HmacSha1 });
    }

    #[test]
    fn unsupported_algorithm_message_is_bounded() {
        let long = format!("algorithm={}", "x".repeat(10_000));
        let err = SignatureSettings::parse(&long).unwrap_err();
        assert!(err.to_string().len() < 200);
    }
}
