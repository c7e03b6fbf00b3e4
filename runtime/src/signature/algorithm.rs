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

    /// The algorithm a base64 signature of this length was made with: its length is the only clue a
    /// signature carries.
    ///
    /// ```
    /// use rocket_twilio::Algorithm;
    ///
    /// assert_eq!(Algorithm::of_signature("RSOYDt4T1cUTdK1PDd93/VVr8B8="), Some(Algorithm::HmacSha1));
    /// assert_eq!(Algorithm::of_signature("not a signature"), None);
    /// ```
    pub fn of_signature(signature: &str) -> Option<Algorithm> {
        [Algorithm::HmacSha1, Algorithm::HmacSha256]
            .into_iter()
            .find(|a| a.signature_len() == signature.len())
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
/// The header is a comma-separated list of `name=value` pairs. Unknown names and empty values are ignored,
/// as twilio-python's `get_signature_algorithm` ignores them. A header without `algorithm` means
/// [`Algorithm::HmacSha1`].
///
/// `key` or `algorithm` given twice is refused ([`SettingsError::Repeated`]), even with the same value:
/// Twilio writes each once, and a header two readers could read two ways (twilio-python takes the first
/// `algorithm`, another library might take the last) must not choose a key or an algorithm.
///
/// ```
/// use rocket_twilio::{Algorithm, SignatureSettings, SettingsError};
///
/// let s = SignatureSettings::parse("key=webhooks_sharedkey_01,algorithm=HMAC_SHA256")?;
/// assert_eq!(s.key_id(), Some("webhooks_sharedkey_01"));
/// assert_eq!(s.algorithm(), Algorithm::HmacSha256);
///
/// assert_eq!(SignatureSettings::parse("")?.algorithm(), Algorithm::HmacSha1);
/// assert!(matches!(SignatureSettings::parse("algorithm=HMAC_MD5"), Err(SettingsError::UnsupportedAlgorithm(_))));
/// assert_eq!(SignatureSettings::parse("key=a,key=b"), Err(SettingsError::Repeated { name: "key" }));
/// # Ok::<(), rocket_twilio::SettingsError>(())
/// ```
/// The default is what a request without the header means: no key id, HMAC-SHA1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SignatureSettings<'a> {
    key_id: Option<&'a str>,
    algorithm: Algorithm,
}

impl<'a> SignatureSettings<'a> {
    /// Parses a header value. Fails when `algorithm=` names an algorithm this crate does not support, or
    /// when `key` or `algorithm` is given more than once.
    pub fn parse(header: &'a str) -> Result<Self, SettingsError> {
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
            let (slot, name) = match name.trim() {
                "key" => (&mut key_id, "key"),
                "algorithm" => (&mut algorithm, "algorithm"),
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return Err(SettingsError::Repeated { name });
            }
        }
        let algorithm = algorithm
            .map_or(Ok(Algorithm::HmacSha1), str::parse)
            .map_err(SettingsError::UnsupportedAlgorithm)?;
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

/// Why an [`X-Twilio-Webhooks-Signature-Settings`](SIGNATURE_SETTINGS_HEADER) header was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SettingsError {
    /// `algorithm=` names an algorithm this crate does not support.
    UnsupportedAlgorithm(UnsupportedAlgorithm),
    /// `key=` or `algorithm=` appears more than once.
    Repeated {
        /// `"key"` or `"algorithm"`.
        name: &'static str,
    },
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::UnsupportedAlgorithm(e) => fmt::Display::fmt(e, f),
            SettingsError::Repeated { name } => {
                write!(f, "X-Twilio-Webhooks-Signature-Settings gives `{name}` more than once")
            }
        }
    }
}

impl std::error::Error for SettingsError {}

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
    fn settings_header_skips_empty_values_and_refuses_repeats() {
        let s = SignatureSettings::parse(" key = k1 , algorithm= ,algorithm=hmac_sha256,key=").unwrap();
        assert_eq!(s.key_id(), Some("k1"));
        assert_eq!(s.algorithm(), Algorithm::HmacSha256);
        let repeated = |h| SignatureSettings::parse(h).unwrap_err();
        assert_eq!(repeated("key=k1,key=k2"), SettingsError::Repeated { name: "key" });
        assert_eq!(repeated("key=k1, key =k1"), SettingsError::Repeated { name: "key" });
        assert_eq!(
            repeated("algorithm=HMAC_SHA256,key=k,algorithm=HMAC_SHA1"),
            SettingsError::Repeated { name: "algorithm" }
        );
        // A repeat is refused before the algorithm's name is looked at.
        assert_eq!(repeated("algorithm=MD5,key=a,key=b"), SettingsError::Repeated { name: "key" });
        assert!(matches!(repeated("algorithm=MD5,x=1"), SettingsError::UnsupportedAlgorithm(_)));
        // Names are exact: `Key` is not `key`.
        assert_eq!(SignatureSettings::parse("key=a,Key=b").unwrap().key_id(), Some("a"));
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
        assert!(SettingsError::Repeated { name: "key" }.to_string().contains("`key` more than once"));
    }
}
