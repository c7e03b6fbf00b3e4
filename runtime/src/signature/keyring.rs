//! [`Keyring`]: every secret an application accepts webhooks under, and how one is chosen per request.

use std::collections::HashMap;
use std::fmt;

use super::params::SortedParams;
use super::validator::body_hash_matches;
use super::{Algorithm, RequestValidator, SignatureSettings, UnsupportedAlgorithm};

/// One secret, keyed for both algorithms so any request can be checked without re-hashing the key.
#[derive(Clone)]
struct Secret {
    sha1: RequestValidator,
    sha256: RequestValidator,
}

impl Secret {
    fn new(what: &'static str, secret: &[u8]) -> Result<Self, KeyringError> {
        if secret.iter().all(|&b| b.is_ascii_whitespace() || b == 0) {
            // An empty key makes every signature forgeable: refuse it rather than fail open. HMAC pads
            // short keys with zero bytes, so a key of NULs is the empty key too.
            return Err(KeyringError::EmptySecret { what });
        }
        Ok(Secret {
            sha1: RequestValidator::with_algorithm(secret, Algorithm::HmacSha1),
            sha256: RequestValidator::with_algorithm(secret, Algorithm::HmacSha256),
        })
    }

    fn validator(&self, algorithm: Algorithm) -> &RequestValidator {
        match algorithm {
            Algorithm::HmacSha1 => &self.sha1,
            Algorithm::HmacSha256 => &self.sha256,
        }
    }
}

/// A primary secret and, during a rotation, a secondary one.
#[derive(Clone)]
struct TokenPair {
    primary: Secret,
    secondary: Option<Secret>,
}

impl TokenPair {
    fn iter(&self) -> impl Iterator<Item = (&Secret, bool)> {
        std::iter::once((&self.primary, false)).chain(self.secondary.iter().map(|s| (s, true)))
    }
}

/// Every secret an application accepts Twilio webhooks under.
///
/// - the account's **primary Auth Token**, and optionally a **secondary Auth Token**, accepted too while a
///   token is being rotated (Twilio signs with the primary; after promoting the secondary in the console,
///   requests in flight may still carry the old one);
/// - **Webhooks Shared Keys** by id, used when a request carries
///   `X-Twilio-Webhooks-Signature-Settings: key=<id>,algorithm=…`;
/// - Auth Tokens for **sub-accounts**, chosen by the request's `AccountSid`.
///
/// The key is chosen from the request (see [`Keyring::verify`]); a request is never checked against a
/// secret of another kind than the one it names, and an unknown Shared Key id fails.
///
/// ```
/// use rocket_twilio::{Keyring, Payload, RequestValidator, Webhook, KeyUsed};
///
/// let keyring = Keyring::new()
///     .primary("new-token")?
///     .secondary("old-token")?
///     .account("AC00000000000000000000000000000001", "subaccount-token")?;
///
/// let url = "https://example.com/sms";
/// let params = [("AccountSid", "AC42"), ("Body", "hi")];
/// let signed_with_old = RequestValidator::new("old-token").compute_signature(url, params);
/// let used = keyring.verify(&Webhook::new(url, Payload::Form(&params), &signed_with_old))?;
/// assert_eq!(used, KeyUsed::AuthToken { secondary: true });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default)]
pub struct Keyring {
    auth_tokens: Option<TokenPair>,
    accounts: HashMap<String, TokenPair>,
    shared_keys: HashMap<String, Secret>,
}

impl Keyring {
    /// An empty keyring: it accepts nothing until a secret is added.
    pub fn new() -> Self {
        Keyring::default()
    }

    /// Sets the primary Auth Token (your account's Auth Token, in the Twilio console).
    pub fn primary(mut self, auth_token: impl AsRef<[u8]>) -> Result<Self, KeyringError> {
        let primary = Secret::new("primary auth token", auth_token.as_ref())?;
        match &mut self.auth_tokens {
            Some(pair) => pair.primary = primary,
            None => self.auth_tokens = Some(TokenPair { primary, secondary: None }),
        }
        Ok(self)
    }

    /// Sets the secondary Auth Token, also accepted while tokens are being rotated. Requires a primary.
    pub fn secondary(mut self, auth_token: impl AsRef<[u8]>) -> Result<Self, KeyringError> {
        let secondary = Secret::new("secondary auth token", auth_token.as_ref())?;
        let pair =
            self.auth_tokens.as_mut().ok_or(KeyringError::SecondaryWithoutPrimary { account: None })?;
        pair.secondary = Some(secondary);
        Ok(self)
    }

    /// Adds a Webhooks Shared Key: `id` is the key's id as sent in `key=` of
    /// `X-Twilio-Webhooks-Signature-Settings`, `secret` its secret.
    pub fn shared_key(
        mut self,
        id: impl Into<String>,
        secret: impl AsRef<[u8]>,
    ) -> Result<Self, KeyringError> {
        let id = id.into();
        if id.trim().is_empty() {
            return Err(KeyringError::EmptyId { what: "shared key id" });
        }
        let secret = Secret::new("shared key secret", secret.as_ref())?;
        if self.shared_keys.insert(id.clone(), secret).is_some() {
            return Err(KeyringError::Duplicate { what: "shared key id", id });
        }
        Ok(self)
    }

    /// Sets the Auth Token of the (sub-)account `account_sid`. Requests whose `AccountSid` is this account
    /// are checked with this token only (and its secondary, see [`account_secondary`](Self::account_secondary)).
    pub fn account(
        mut self,
        account_sid: impl Into<String>,
        auth_token: impl AsRef<[u8]>,
    ) -> Result<Self, KeyringError> {
        let sid = account_sid.into();
        if sid.trim().is_empty() {
            return Err(KeyringError::EmptyId { what: "account SID" });
        }
        let primary = Secret::new("account auth token", auth_token.as_ref())?;
        if self.accounts.insert(sid.clone(), TokenPair { primary, secondary: None }).is_some() {
            return Err(KeyringError::Duplicate { what: "account SID", id: sid });
        }
        Ok(self)
    }

    /// Sets the secondary Auth Token of an account added with [`account`](Self::account).
    pub fn account_secondary(
        mut self,
        account_sid: &str,
        auth_token: impl AsRef<[u8]>,
    ) -> Result<Self, KeyringError> {
        let secondary = Secret::new("account secondary auth token", auth_token.as_ref())?;
        let pair = self
            .accounts
            .get_mut(account_sid)
            .ok_or_else(|| KeyringError::SecondaryWithoutPrimary { account: Some(account_sid.to_owned()) })?;
        pair.secondary = Some(secondary);
        Ok(self)
    }

    /// Whether no secret at all is configured (such a keyring rejects every request).
    pub fn is_empty(&self) -> bool {
        self.auth_tokens.is_none() && self.accounts.is_empty() && self.shared_keys.is_empty()
    }

    /// Checks a webhook against the secret it calls for, and says which secret verified it.
    ///
    /// The secret is chosen from the request:
    /// 1. if `X-Twilio-Webhooks-Signature-Settings` names a Shared Key (`key=<id>`), that key with the
    ///    header's algorithm, and nothing else;
    /// 2. else, if the request's `AccountSid` is a configured sub-account, that account's tokens;
    /// 3. else the primary Auth Token, then the secondary.
    ///
    /// A [`Payload::Raw`] body must carry a matching `bodySHA256` in the URL. Parameters are sorted once,
    /// and each secret costs one HMAC per URL form tried, stopping at the first match.
    pub fn verify(&self, webhook: &Webhook<'_>) -> Result<KeyUsed, Rejection> {
        let settings = match webhook.signature_settings {
            Some(header) => SignatureSettings::parse(header).map_err(Rejection::UnsupportedAlgorithm)?,
            None => SignatureSettings::default(),
        };
        let algorithm = settings.algorithm();

        let params = match webhook.payload {
            Payload::Form(fields) => SortedParams::new(fields),
            Payload::Raw(body) => {
                if !body_hash_matches(webhook.url, body) {
                    return Err(if super::url::body_sha256_param(webhook.url).is_none() {
                        Rejection::BodyHashMissing
                    } else {
                        Rejection::BodyHashMismatch
                    });
                }
                SortedParams::new(&[])
            }
        };
        let check =
            |secret: &Secret| secret.validator(algorithm).matches(webhook.url, &params, webhook.signature);

        if let Some(id) = settings.key_id() {
            let secret = self.shared_keys.get(id).ok_or(Rejection::UnknownSharedKey)?;
            return if check(secret) { Ok(KeyUsed::SharedKey) } else { Err(Rejection::SignatureMismatch) };
        }

        if let Some(pair) = webhook.account_sid.and_then(|sid| self.accounts.get(sid)) {
            return pair
                .iter()
                .find(|(secret, _)| check(secret))
                .map(|(_, secondary)| KeyUsed::AccountToken { secondary })
                .ok_or(Rejection::SignatureMismatch);
        }

        let pair = self.auth_tokens.as_ref().ok_or(Rejection::NoSecret)?;
        pair.iter()
            .find(|(secret, _)| check(secret))
            .map(|(_, secondary)| KeyUsed::AuthToken { secondary })
            .ok_or(Rejection::SignatureMismatch)
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut accounts: Vec<&str> = self.accounts.keys().map(String::as_str).collect();
        accounts.sort_unstable();
        let mut shared_keys: Vec<&str> = self.shared_keys.keys().map(String::as_str).collect();
        shared_keys.sort_unstable();
        f.debug_struct("Keyring")
            .field("primary", &self.auth_tokens.as_ref().map(|_| "<redacted>"))
            .field(
                "secondary",
                &self.auth_tokens.as_ref().and_then(|p| p.secondary.as_ref()).map(|_| "<redacted>"),
            )
            .field("accounts", &accounts)
            .field("shared_keys", &shared_keys)
            .finish()
    }
}

/// What Twilio sent with a webhook, beside the URL.
#[derive(Clone, Copy, Debug)]
pub enum Payload<'a> {
    /// Form fields (`application/x-www-form-urlencoded`), percent-decoded, in any order, repeats allowed.
    /// Use an empty slice for GET requests and empty bodies.
    Form(&'a [(&'a str, &'a str)]),
    /// Any other body (JSON…), as raw bytes: the URL must carry its `bodySHA256`.
    Raw(&'a [u8]),
}

/// A received webhook, as [`Keyring::verify`] needs it.
#[derive(Clone, Copy, Debug)]
pub struct Webhook<'a> {
    /// The full URL Twilio called: scheme, host, port if any, path and query, exactly as received.
    pub url: &'a str,
    /// The parameters or body.
    pub payload: Payload<'a>,
    /// The `X-Twilio-Signature` header.
    pub signature: &'a str,
    /// The `X-Twilio-Webhooks-Signature-Settings` header, if present.
    pub signature_settings: Option<&'a str>,
    /// The `AccountSid` parameter, if present (selects a sub-account's token).
    pub account_sid: Option<&'a str>,
}

impl<'a> Webhook<'a> {
    /// A webhook with no signature-settings header and no `AccountSid`.
    pub fn new(url: &'a str, payload: Payload<'a>, signature: &'a str) -> Self {
        Webhook { url, payload, signature, signature_settings: None, account_sid: None }
    }
}

/// Which secret verified a webhook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyUsed {
    /// The account's Auth Token; `secondary` is true when it was the secondary (finish the rotation!).
    AuthToken {
        /// Whether the secondary token matched.
        secondary: bool,
    },
    /// The Auth Token of the sub-account named by the request's `AccountSid`.
    AccountToken {
        /// Whether that account's secondary token matched.
        secondary: bool,
    },
    /// The Webhooks Shared Key named by the request's `X-Twilio-Webhooks-Signature-Settings`.
    SharedKey,
}

impl KeyUsed {
    /// Whether a secondary (rotating-out) token verified the request.
    pub fn is_secondary(self) -> bool {
        matches!(self, KeyUsed::AuthToken { secondary: true } | KeyUsed::AccountToken { secondary: true })
    }
}

/// Chooses the secrets a webhook is checked with: implemented by [`Keyring`], and by closures that return
/// a keyring for the request's `AccountSid` (for tokens looked up at run time).
///
/// ```
/// use std::collections::HashMap;
/// use rocket_twilio::{KeyResolver, Keyring, Payload, Rejection, RequestValidator, Webhook};
///
/// let mut tenants = HashMap::new();
/// tenants.insert("AC1".to_owned(), Keyring::new().primary("token-of-AC1")?);
/// let resolver = move |account_sid: Option<&str>| tenants.get(account_sid?).cloned();
///
/// let url = "https://example.com/sms";
/// let params = [("AccountSid", "AC1")];
/// let sig = RequestValidator::new("token-of-AC1").compute_signature(url, params);
/// let mut webhook = Webhook::new(url, Payload::Form(&params), &sig);
/// webhook.account_sid = Some("AC1");
/// assert!(resolver.verify(&webhook).is_ok());
/// webhook.account_sid = Some("AC2");
/// assert_eq!(resolver.verify(&webhook), Err(Rejection::UnknownAccount));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait KeyResolver: Send + Sync + 'static {
    /// Checks `webhook` against the secrets that apply to it.
    fn verify(&self, webhook: &Webhook<'_>) -> Result<KeyUsed, Rejection>;
}

impl KeyResolver for Keyring {
    fn verify(&self, webhook: &Webhook<'_>) -> Result<KeyUsed, Rejection> {
        Keyring::verify(self, webhook)
    }
}

impl<F> KeyResolver for F
where
    F: Fn(Option<&str>) -> Option<Keyring> + Send + Sync + 'static,
{
    fn verify(&self, webhook: &Webhook<'_>) -> Result<KeyUsed, Rejection> {
        self(webhook.account_sid).ok_or(Rejection::UnknownAccount)?.verify(webhook)
    }
}

/// Why [`Keyring::verify`] refused a webhook. Messages carry no secret and no signature.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// The signature does not match the URL and parameters under the chosen secret.
    SignatureMismatch,
    /// The body is not a form, and the URL has no `bodySHA256` to check it against.
    BodyHashMissing,
    /// The URL's `bodySHA256` is not the SHA-256 of the body.
    BodyHashMismatch,
    /// `X-Twilio-Webhooks-Signature-Settings` names a Shared Key id that is not configured.
    UnknownSharedKey,
    /// `X-Twilio-Webhooks-Signature-Settings` names an algorithm this crate does not support.
    UnsupportedAlgorithm(UnsupportedAlgorithm),
    /// A [`KeyResolver`] has no secret for the request's `AccountSid`.
    UnknownAccount,
    /// No secret is configured at all.
    NoSecret,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::SignatureMismatch => {
                f.write_str("X-Twilio-Signature does not match the URL and parameters")
            }
            Rejection::BodyHashMissing => f.write_str("non-form body without a bodySHA256 query parameter"),
            Rejection::BodyHashMismatch => f.write_str("bodySHA256 does not match the SHA-256 of the body"),
            Rejection::UnknownSharedKey => {
                f.write_str("X-Twilio-Webhooks-Signature-Settings names a shared key that is not configured")
            }
            Rejection::UnsupportedAlgorithm(e) => fmt::Display::fmt(e, f),
            Rejection::UnknownAccount => f.write_str("no auth token is known for the request's AccountSid"),
            Rejection::NoSecret => f.write_str("no Twilio auth token or key is configured"),
        }
    }
}

impl std::error::Error for Rejection {}

/// A secret or id refused while building a [`Keyring`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyringError {
    /// A secret is empty, blank or all NUL bytes (HMAC zero-pads keys): it would make every signature
    /// forgeable.
    EmptySecret {
        /// Which secret.
        what: &'static str,
    },
    /// An account SID or shared key id is empty.
    EmptyId {
        /// Which id.
        what: &'static str,
    },
    /// The same account SID or shared key id was added twice.
    Duplicate {
        /// Which kind of id.
        what: &'static str,
        /// The id.
        id: String,
    },
    /// A secondary token was given for an account (or the main account) without a primary.
    SecondaryWithoutPrimary {
        /// The sub-account, or `None` for the main account.
        account: Option<String>,
    },
}

impl fmt::Display for KeyringError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyringError::EmptySecret { what } => write!(f, "the {what} is empty"),
            KeyringError::EmptyId { what } => write!(f, "the {what} is empty"),
            KeyringError::Duplicate { what, id } => write!(f, "{what} {id:?} is configured twice"),
            KeyringError::SecondaryWithoutPrimary { account: None } => {
                f.write_str("a secondary auth token is configured without a primary auth token")
            }
            KeyringError::SecondaryWithoutPrimary { account: Some(sid) } => {
                write!(
                    f,
                    "a secondary auth token is configured for account {sid:?}, which has no primary token"
                )
            }
        }
    }
}

impl std::error::Error for KeyringError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_with_body_hash;

    const URL: &str = "https://example.com/hook?x=1";

    fn sign(token: &str, alg: Algorithm, url: &str, params: &[(&str, &str)]) -> String {
        RequestValidator::with_algorithm(token, alg).compute_signature(url, params.iter().copied())
    }

    fn keyring() -> Keyring {
        Keyring::new()
            .primary("primary")
            .and_then(|k| k.secondary("secondary"))
            .and_then(|k| k.account("ACsub", "sub-token"))
            .and_then(|k| k.account_secondary("ACsub", "sub-old"))
            .and_then(|k| k.shared_key("key1", "shared-secret"))
            .unwrap()
    }

    #[test]
    fn chooses_auth_tokens_by_default() {
        let k = keyring();
        let p = [("A", "1")];
        for (token, secondary) in [("primary", false), ("secondary", true)] {
            let sig = sign(token, Algorithm::HmacSha1, URL, &p);
            assert_eq!(
                k.verify(&Webhook::new(URL, Payload::Form(&p), &sig)),
                Ok(KeyUsed::AuthToken { secondary })
            );
        }
        let sig = sign("sub-token", Algorithm::HmacSha1, URL, &p);
        assert_eq!(k.verify(&Webhook::new(URL, Payload::Form(&p), &sig)), Err(Rejection::SignatureMismatch));
    }

    #[test]
    fn chooses_sub_account_tokens_by_account_sid_only() {
        let k = keyring();
        let p = [("AccountSid", "ACsub")];
        let verify = |token: &str| {
            let sig = sign(token, Algorithm::HmacSha1, URL, &p);
            let mut w = Webhook::new(URL, Payload::Form(&p), &sig);
            w.account_sid = Some("ACsub");
            k.verify(&w).map_err(|e| e.to_string())
        };
        assert_eq!(verify("sub-token"), Ok(KeyUsed::AccountToken { secondary: false }));
        assert_eq!(verify("sub-old"), Ok(KeyUsed::AccountToken { secondary: true }));
        // The main account's token does not verify a sub-account's request.
        assert_eq!(verify("primary"), Err(Rejection::SignatureMismatch.to_string()));
    }

    #[test]
    fn shared_keys_are_chosen_by_the_settings_header() {
        let k = keyring();
        let p = [("A", "1")];
        let sig = sign("shared-secret", Algorithm::HmacSha256, URL, &p);
        let mut w = Webhook::new(URL, Payload::Form(&p), &sig);
        w.signature_settings = Some("key=key1,algorithm=HMAC_SHA256");
        assert_eq!(k.verify(&w), Ok(KeyUsed::SharedKey));

        w.signature_settings = Some("key=key2,algorithm=HMAC_SHA256");
        assert_eq!(k.verify(&w), Err(Rejection::UnknownSharedKey));
        w.signature_settings = Some("key=key1,algorithm=HMAC_SHA1");
        assert_eq!(k.verify(&w), Err(Rejection::SignatureMismatch));
        w.signature_settings = Some("key=key1,algorithm=HMAC_MD5");
        assert!(matches!(k.verify(&w), Err(Rejection::UnsupportedAlgorithm(_))));

        // A token signature does not pass as a shared key signature.
        let sig = sign("primary", Algorithm::HmacSha256, URL, &p);
        w.signature = &sig;
        w.signature_settings = Some("key=key1,algorithm=HMAC_SHA256");
        assert_eq!(k.verify(&w), Err(Rejection::SignatureMismatch));
    }

    #[test]
    fn raw_bodies_need_their_hash() {
        let k = keyring();
        let body = br#"{"x":1}"#;
        let url = url_with_body_hash(URL, body);
        let sig = sign("primary", Algorithm::HmacSha1, &url, &[]);
        assert_eq!(
            k.verify(&Webhook::new(&url, Payload::Raw(body), &sig)),
            Ok(KeyUsed::AuthToken { secondary: false })
        );
        assert_eq!(
            k.verify(&Webhook::new(&url, Payload::Raw(b"{}"), &sig)),
            Err(Rejection::BodyHashMismatch)
        );
        let sig = sign("primary", Algorithm::HmacSha1, URL, &[]);
        assert_eq!(k.verify(&Webhook::new(URL, Payload::Raw(body), &sig)), Err(Rejection::BodyHashMissing));
    }

    #[test]
    fn refuses_empty_secrets_and_duplicates() {
        assert_eq!(
            Keyring::new().primary("").unwrap_err(),
            KeyringError::EmptySecret { what: "primary auth token" }
        );
        assert!(Keyring::new().primary("  ").is_err());
        // HMAC zero-pads keys: NULs sign exactly like the empty key, which anyone can use.
        let empty = RequestValidator::new("").compute_signature(URL, [("A", "1")]);
        assert_eq!(RequestValidator::new("\0\0").compute_signature(URL, [("A", "1")]), empty);
        assert!(Keyring::new().primary("\0\0").is_err());
        assert!(Keyring::new().shared_key("k", [0u8; 16]).is_err());
        assert!(Keyring::new().primary("\0a").is_ok());
        assert_eq!(
            Keyring::new().secondary("x").unwrap_err(),
            KeyringError::SecondaryWithoutPrimary { account: None }
        );
        assert!(Keyring::new().account_secondary("AC1", "x").is_err());
        let dup = Keyring::new().shared_key("k", "a").and_then(|k| k.shared_key("k", "b"));
        assert!(matches!(dup, Err(KeyringError::Duplicate { .. })));
        assert!(Keyring::new().account(" ", "t").is_err());
    }

    #[test]
    fn empty_keyring_rejects_everything() {
        let k = Keyring::new();
        assert!(k.is_empty());
        assert_eq!(k.verify(&Webhook::new(URL, Payload::Form(&[]), "x")), Err(Rejection::NoSecret));
    }

    #[test]
    fn debug_shows_ids_but_no_secrets() {
        let shown = format!("{:?}", keyring());
        for secret in ["primary\"", "secondary\"", "sub-token", "sub-old", "shared-secret"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("ACsub") && shown.contains("key1"), "{shown}");
    }
}
