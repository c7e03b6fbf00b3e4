//! [`Keyring`]: every secret an application accepts webhooks under, and how one is chosen per request.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fmt;

use super::params::SortedParams;
use super::validator::body_hash_matches;
use super::{secret, url, Algorithm, RequestValidator, SettingsError, SignatureSettings};

/// One secret, keyed for both algorithms so any request can be checked without re-hashing the key.
#[derive(Clone)]
pub(crate) struct Secret {
    sha1: RequestValidator,
    sha256: RequestValidator,
}

impl Secret {
    /// The secret after [`normalize_secret`](crate::normalize_secret): an empty (or all-NUL) key would
    /// make every signature forgeable, so it is refused rather than failing open.
    fn new(what: &'static str, secret: &[u8]) -> Result<Self, KeyringError> {
        let secret = secret::normalize(secret, what)?;
        Ok(Secret {
            sha1: RequestValidator::with_algorithm(secret, Algorithm::HmacSha1),
            sha256: RequestValidator::with_algorithm(secret, Algorithm::HmacSha256),
        })
    }

    pub(crate) fn validator(&self, algorithm: Algorithm) -> &RequestValidator {
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

/// The secrets [`Keyring::verify`] checks a request with, chosen from its headers and `AccountSid`.
enum Selection<'k> {
    SharedKey(&'k str, &'k Secret),
    Account(&'k str, &'k TokenPair),
    AuthTokens(&'k TokenPair),
}

impl<'k> Selection<'k> {
    /// Each secret with its role, in the order they are tried.
    fn keys(&self) -> Vec<(KeyRole, &'k Secret)> {
        match *self {
            Selection::SharedKey(id, secret) => vec![(KeyRole::SharedKey { id: id.to_owned() }, secret)],
            Selection::Account(sid, pair) => pair
                .iter()
                .map(|(s, secondary)| (KeyRole::AccountToken { account_sid: sid.to_owned(), secondary }, s))
                .collect(),
            Selection::AuthTokens(pair) => {
                pair.iter().map(|(s, secondary)| (KeyRole::AuthToken { secondary }, s)).collect()
            }
        }
    }
}

/// A configured secret offered to the diagnosis: its role, and whether [`Keyring::verify`] chose it for
/// the request. The secret stays inside the crate.
pub(crate) struct OfferedKey<'k> {
    pub(crate) role: KeyRole,
    pub(crate) secret: &'k Secret,
    pub(crate) chosen: bool,
}

/// Which configured secret, named by its role: never the secret itself.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyRole {
    /// The main account's Auth Token (`twilio.auth_token`), or its secondary (`twilio.secondary_auth_token`).
    AuthToken {
        /// Whether it is the secondary token.
        secondary: bool,
    },
    /// A sub-account's Auth Token (`twilio.accounts`).
    AccountToken {
        /// The sub-account.
        account_sid: String,
        /// Whether it is that account's secondary token.
        secondary: bool,
    },
    /// A Webhooks Shared Key (`twilio.shared_keys`).
    SharedKey {
        /// The key's id.
        id: String,
    },
}

impl fmt::Display for KeyRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyRole::AuthToken { secondary: false } => f.write_str("the primary Auth Token"),
            KeyRole::AuthToken { secondary: true } => f.write_str("the secondary Auth Token"),
            KeyRole::AccountToken { account_sid, secondary: false } => {
                write!(f, "the token of AccountSid {account_sid}")
            }
            KeyRole::AccountToken { account_sid, secondary: true } => {
                write!(f, "the secondary token of AccountSid {account_sid}")
            }
            KeyRole::SharedKey { id } => write!(f, "shared key `{id}`"),
        }
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
/// secret of another kind than the one it names, and an unknown Shared Key id fails. Every secret goes
/// through [`normalize_secret`](crate::normalize_secret) (a trailing newline or surrounding spaces are
/// dropped; an empty or all-NUL secret is an error).
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
    ///
    /// An id the header could never name (empty, or with a `,`, `=`, whitespace or a control character) is
    /// refused.
    pub fn shared_key(
        mut self,
        id: impl Into<String>,
        secret: impl AsRef<[u8]>,
    ) -> Result<Self, KeyringError> {
        let id = id.into();
        if id.is_empty() || id.chars().any(|c| matches!(c, ',' | '=') || c.is_whitespace() || c.is_control())
        {
            return Err(KeyringError::InvalidSharedKeyId { id });
        }
        let secret = Secret::new("shared key secret", secret.as_ref())?;
        insert_new(&mut self.shared_keys, id, secret, "shared key id")?;
        Ok(self)
    }

    /// Sets the Auth Token of the (sub-)account `account_sid`. Requests whose `AccountSid` is this account
    /// are checked with this token only (and its secondary, see [`account_secondary`](Self::account_secondary)).
    ///
    /// `account_sid` must be an AccountSid as Twilio writes it, `AC` and 32 lower-case hexadecimal digits:
    /// anything else could never match a request, or is a configuration slip.
    pub fn account(
        mut self,
        account_sid: impl Into<String>,
        auth_token: impl AsRef<[u8]>,
    ) -> Result<Self, KeyringError> {
        let sid = account_sid.into();
        if !is_account_sid(&sid) {
            return Err(KeyringError::InvalidAccountSid { sid });
        }
        let primary = Secret::new("account auth token", auth_token.as_ref())?;
        insert_new(&mut self.accounts, sid, TokenPair { primary, secondary: None }, "account SID")?;
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
    /// When none applies (only shared keys or sub-accounts are configured, and the request names none of
    /// them) the webhook is refused with [`Rejection::NoApplicableKey`].
    ///
    /// The payload must be what Twilio sends:
    /// - a [`Payload::Raw`] body must carry a matching `bodySHA256` in the URL;
    /// - a [`Payload::Form`] must not be sent to a URL with `bodySHA256` (that hash vouches for a raw body,
    ///   which must then be checked as [`Payload::Raw`]: [`Rejection::FormWithBodyHash`]), and no field
    ///   may have an empty name ([`Rejection::EmptyParameterName`]: Twilio never sends one, and empty
    ///   pairs such as `=` add nothing to the signed string, so they could be added to a genuine body).
    ///
    /// Parameters are sorted once, and each secret costs one HMAC per URL form tried, stopping at the first
    /// match.
    pub fn verify(&self, webhook: &Webhook<'_>) -> Result<KeyUsed, Rejection> {
        let settings = match webhook.signature_settings {
            Some(header) => SignatureSettings::parse(header).map_err(Rejection::InvalidSettings)?,
            None => SignatureSettings::default(),
        };
        let algorithm = settings.algorithm();

        let params = match webhook.payload {
            Payload::Form(fields) => {
                if url::has_body_sha256(webhook.url) {
                    return Err(Rejection::FormWithBodyHash);
                }
                let params = SortedParams::new(fields);
                if params.has_empty_name() {
                    return Err(Rejection::EmptyParameterName);
                }
                params
            }
            Payload::Raw(body) => {
                if !body_hash_matches(webhook.url, body) {
                    return Err(if url::body_sha256_param(webhook.url).is_none() {
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

        match self.select(settings.key_id(), webhook.account_sid)? {
            Selection::SharedKey(_, secret) => {
                if check(secret) {
                    Ok(KeyUsed::SharedKey)
                } else {
                    Err(Rejection::SignatureMismatch)
                }
            }
            Selection::Account(_, pair) => pair
                .iter()
                .find(|(secret, _)| check(secret))
                .map(|(_, secondary)| KeyUsed::AccountToken { secondary })
                .ok_or(Rejection::SignatureMismatch),
            Selection::AuthTokens(pair) => pair
                .iter()
                .find(|(secret, _)| check(secret))
                .map(|(_, secondary)| KeyUsed::AuthToken { secondary })
                .ok_or(Rejection::SignatureMismatch),
        }
    }

    /// The secrets a request is checked with: the Shared Key its settings header names, else the tokens
    /// of its `AccountSid` when that is a configured sub-account, else the main account's tokens.
    fn select(&self, key_id: Option<&str>, account_sid: Option<&str>) -> Result<Selection<'_>, Rejection> {
        if let Some(id) = key_id {
            let (id, secret) = self.shared_keys.get_key_value(id).ok_or(Rejection::UnknownSharedKey)?;
            return Ok(Selection::SharedKey(id, secret));
        }
        if let Some((sid, pair)) = account_sid.and_then(|sid| self.accounts.get_key_value(sid)) {
            return Ok(Selection::Account(sid, pair));
        }
        match &self.auth_tokens {
            Some(pair) => Ok(Selection::AuthTokens(pair)),
            None => Err(if self.is_empty() { Rejection::NoSecret } else { Rejection::NoApplicableKey }),
        }
    }

    /// Every configured secret, by role, for the diagnosis of a refused request: first the ones
    /// [`verify`](Self::verify) chose for it (`key_id` from its settings header, its `AccountSid`), then
    /// the main account's tokens, the shared keys and the sub-accounts' tokens (ids in order), at most
    /// `max` in all.
    pub(crate) fn offer(
        &self,
        key_id: Option<&str>,
        account_sid: Option<&str>,
        max: usize,
    ) -> Vec<OfferedKey<'_>> {
        let chosen = self.select(key_id, account_sid).map(|s| s.keys()).unwrap_or_default();
        let mut offered: Vec<OfferedKey<'_>> =
            chosen.into_iter().map(|(role, secret)| OfferedKey { role, secret, chosen: true }).collect();
        let mut shared: Vec<(&String, &Secret)> = self.shared_keys.iter().collect();
        shared.sort_unstable_by_key(|(id, _)| *id);
        let mut accounts: Vec<(&String, &TokenPair)> = self.accounts.iter().collect();
        accounts.sort_unstable_by_key(|(sid, _)| *sid);
        let others = self
            .auth_tokens
            .iter()
            .map(Selection::AuthTokens)
            .chain(shared.into_iter().map(|(id, secret)| Selection::SharedKey(id, secret)))
            .chain(accounts.into_iter().map(|(sid, pair)| Selection::Account(sid, pair)))
            .flat_map(|selection| selection.keys());
        for (role, secret) in others {
            if offered.len() >= max {
                break;
            }
            if !offered.iter().any(|o| o.role == role) {
                offered.push(OfferedKey { role, secret, chosen: false });
            }
        }
        offered.truncate(max);
        offered
    }

    /// Whether `account_sid` is a configured sub-account.
    pub(crate) fn has_account(&self, account_sid: &str) -> bool {
        self.accounts.contains_key(account_sid)
    }

    /// Whether a shared key with this id is configured.
    pub(crate) fn has_shared_key(&self, id: &str) -> bool {
        self.shared_keys.contains_key(id)
    }

    /// Whether a secondary Auth Token is configured for the main account.
    pub(crate) fn has_secondary(&self) -> bool {
        self.auth_tokens.as_ref().is_some_and(|p| p.secondary.is_some())
    }

    /// Whether the main account's Auth Token is configured.
    pub(crate) fn has_auth_token(&self) -> bool {
        self.auth_tokens.is_some()
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
    /// Use an empty slice for GET requests and empty bodies. When the URL carries `bodySHA256`, pass the
    /// body as [`Payload::Raw`] instead, whatever its content type.
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
/// tenants.insert("AC00000000000000000000000000000002".to_owned(), Keyring::new().primary("token-of-AC2")?);
/// let resolver = move |account_sid: Option<&str>| tenants.get(account_sid?).cloned();
///
/// let url = "https://example.com/sms";
/// let params = [("AccountSid", "AC00000000000000000000000000000002")];
/// let sig = RequestValidator::new("token-of-AC2").compute_signature(url, params);
/// let mut webhook = Webhook::new(url, Payload::Form(&params), &sig);
/// webhook.account_sid = Some("AC00000000000000000000000000000002");
/// assert!(resolver.verify(&webhook).is_ok());
/// webhook.account_sid = Some("AC2");
/// assert_eq!(resolver.verify(&webhook), Err(Rejection::UnknownAccount));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait KeyResolver: Send + Sync + 'static {
    /// Checks `webhook` against the secrets that apply to it.
    fn verify(&self, webhook: &Webhook<'_>) -> Result<KeyUsed, Rejection>;

    /// The keyring [`verify`](Self::verify) checks `webhook` with, offered to
    /// [`diagnose`](crate::diagnosis::diagnose) so that a refused webhook can be explained (which URL or
    /// key it was signed for). The secrets stay inside the keyring: the diagnosis names keys by role only.
    ///
    /// A [`Keyring`] offers itself, a closure the keyring it returns for the request's `AccountSid`. The
    /// default offers none, and refused requests are then not diagnosed.
    fn keyring_for(&self, webhook: &Webhook<'_>) -> Option<Cow<'_, Keyring>> {
        let _ = webhook;
        None
    }
}

impl KeyResolver for Keyring {
    fn verify(&self, webhook: &Webhook<'_>) -> Result<KeyUsed, Rejection> {
        Keyring::verify(self, webhook)
    }

    fn keyring_for(&self, _: &Webhook<'_>) -> Option<Cow<'_, Keyring>> {
        Some(Cow::Borrowed(self))
    }
}

impl<F> KeyResolver for F
where
    F: Fn(Option<&str>) -> Option<Keyring> + Send + Sync + 'static,
{
    fn verify(&self, webhook: &Webhook<'_>) -> Result<KeyUsed, Rejection> {
        self(webhook.account_sid).ok_or(Rejection::UnknownAccount)?.verify(webhook)
    }

    fn keyring_for(&self, webhook: &Webhook<'_>) -> Option<Cow<'_, Keyring>> {
        self(webhook.account_sid).map(Cow::Owned)
    }
}

/// Adds `id` → `value` to `map`, or fails if `id` is there already (`what` names the kind of id).
fn insert_new<V>(
    map: &mut HashMap<String, V>,
    id: String,
    value: V,
    what: &'static str,
) -> Result<(), KeyringError> {
    match map.entry(id) {
        Entry::Occupied(taken) => Err(KeyringError::Duplicate { what, id: taken.key().clone() }),
        Entry::Vacant(free) => {
            free.insert(value);
            Ok(())
        }
    }
}

/// Whether `sid` is an AccountSid as Twilio writes it: `AC` and 32 lower-case hexadecimal digits.
fn is_account_sid(sid: &str) -> bool {
    sid.len() == 34
        && sid.starts_with("AC")
        && sid.bytes().skip(2).all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
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
    /// The URL carries `bodySHA256`, but the body was given as form fields: Twilio adds `bodySHA256` only
    /// to non-form bodies, and the hash must be checked against the raw body ([`Payload::Raw`]).
    FormWithBodyHash,
    /// A form field has an empty name, which Twilio never sends.
    EmptyParameterName,
    /// `X-Twilio-Webhooks-Signature-Settings` names a Shared Key id that is not configured.
    UnknownSharedKey,
    /// `X-Twilio-Webhooks-Signature-Settings` cannot be read: an unsupported algorithm, or a repeated
    /// `key`/`algorithm`.
    InvalidSettings(SettingsError),
    /// A [`KeyResolver`] has no secret for the request's `AccountSid`.
    UnknownAccount,
    /// No configured secret applies: the request names no configured Shared Key and no configured
    /// sub-account, and there is no primary Auth Token to fall back on.
    NoApplicableKey,
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
            Rejection::FormWithBodyHash => {
                f.write_str("the URL carries bodySHA256, which vouches for a raw body, not for form fields")
            }
            Rejection::EmptyParameterName => f.write_str("a form field has an empty name"),
            Rejection::UnknownSharedKey => {
                f.write_str("X-Twilio-Webhooks-Signature-Settings names a shared key that is not configured")
            }
            Rejection::InvalidSettings(e) => fmt::Display::fmt(e, f),
            Rejection::UnknownAccount => f.write_str("no auth token is known for the request's AccountSid"),
            Rejection::NoApplicableKey => f.write_str(
                "no configured key applies: the request names no configured shared key or sub-account, and \
                 no primary auth token is configured",
            ),
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
    /// An account SID that is not `AC` and 32 lower-case hexadecimal digits.
    InvalidAccountSid {
        /// The SID as given.
        sid: String,
    },
    /// A shared key id that the signature-settings header could never name: empty, or with a `,`, `=`,
    /// whitespace or a control character.
    InvalidSharedKeyId {
        /// The id as given.
        id: String,
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
            KeyringError::InvalidAccountSid { sid } => write!(
                f,
                "{sid:?} is not an AccountSid: it must be AC followed by 32 lower-case hexadecimal digits, as \
                 in the Twilio console"
            ),
            KeyringError::InvalidSharedKeyId { id } => write!(
                f,
                "{id:?} cannot be a shared key id: X-Twilio-Webhooks-Signature-Settings could never name it (it \
                 is empty, or has a comma, `=`, whitespace or a control character)"
            ),
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
            .and_then(|k| k.account("AC00000000000000000000000000000001", "sub-token"))
            .and_then(|k| k.account_secondary("AC00000000000000000000000000000001", "sub-old"))
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
        let p = [("AccountSid", "AC00000000000000000000000000000001")];
        let verify = |token: &str| {
            let sig = sign(token, Algorithm::HmacSha1, URL, &p);
            let mut w = Webhook::new(URL, Payload::Form(&p), &sig);
            w.account_sid = Some("AC00000000000000000000000000000001");
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
        assert!(matches!(
            k.verify(&w),
            Err(Rejection::InvalidSettings(SettingsError::UnsupportedAlgorithm(_)))
        ));
        // Two key ids: refused, whichever of them is configured (twilio-python would take the first).
        let sig = sign("shared-secret", Algorithm::HmacSha256, URL, &p);
        w.signature = &sig;
        for header in ["key=key1,key=key2,algorithm=HMAC_SHA256", "key=key2,algorithm=HMAC_SHA256,key=key1"] {
            w.signature_settings = Some(header);
            assert_eq!(
                k.verify(&w),
                Err(Rejection::InvalidSettings(SettingsError::Repeated { name: "key" })),
                "{header}"
            );
        }

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
        assert!(Keyring::new().account_secondary("AC00000000000000000000000000000002", "x").is_err());
        let dup = Keyring::new().shared_key("k", "a").and_then(|k| k.shared_key("k", "b"));
        assert!(matches!(dup, Err(KeyringError::Duplicate { .. })));
        assert!(Keyring::new().account(" ", "t").is_err());
    }

    #[test]
    fn ids_must_be_ids_twilio_can_send() {
        for sid in [
            "",
            "AC1",
            "ac00000000000000000000000000000001",
            "AC0000000000000000000000000000000A",
            "AC00000000000000000000000000000001 ",
            "AC000000000000000000000000000000012",
            "AC0000000000000000000000000000000g",
            "base_url",
        ] {
            assert_eq!(
                Keyring::new().account(sid, "t").unwrap_err(),
                KeyringError::InvalidAccountSid { sid: sid.to_owned() },
                "{sid:?}"
            );
        }
        assert!(Keyring::new().account("ACabcdef0123456789abcdef0123456789", "t").is_ok());
        for id in ["", " k", "k ", "a,b", "a=b", "k\t1", "k\0"] {
            assert_eq!(
                Keyring::new().shared_key(id, "s").unwrap_err(),
                KeyringError::InvalidSharedKeyId { id: id.to_owned() },
                "{id:?}"
            );
        }
        let err = KeyringError::InvalidAccountSid { sid: "x".into() }.to_string();
        assert!(err.contains("32 lower-case hexadecimal"), "{err}");
    }

    #[test]
    fn empty_keyring_rejects_everything() {
        let k = Keyring::new();
        assert!(k.is_empty());
        assert_eq!(k.verify(&Webhook::new(URL, Payload::Form(&[]), "x")), Err(Rejection::NoSecret));
    }

    #[test]
    fn a_request_no_configured_key_applies_to_is_refused_not_an_error() {
        // Only a shared key, or only a sub-account: a request naming neither has no key to check.
        let only_shared = Keyring::new().shared_key("k1", "s1").unwrap();
        let only_account = Keyring::new().account("AC00000000000000000000000000000001", "sub-token").unwrap();
        let p = [("AccountSid", "ACother")];
        for k in [only_shared, only_account] {
            let sig = sign("s1", Algorithm::HmacSha1, URL, &p);
            let mut w = Webhook::new(URL, Payload::Form(&p), &sig);
            assert_eq!(k.verify(&w), Err(Rejection::NoApplicableKey));
            w.account_sid = Some("ACother");
            assert_eq!(k.verify(&w), Err(Rejection::NoApplicableKey));
        }
    }

    #[test]
    fn forms_must_be_what_twilio_sends() {
        let k = keyring();
        // A URL signature with bodySHA256 never vouches for form fields, not even empty ones.
        let body = b"Body=hi";
        let url = url_with_body_hash(URL, body);
        let sig = sign("primary", Algorithm::HmacSha1, &url, &[]);
        for fields in [&[][..], &[("Body", "hi")][..], &[("", "")][..]] {
            assert_eq!(
                k.verify(&Webhook::new(&url, Payload::Form(fields), &sig)),
                Err(Rejection::FormWithBodyHash),
                "{fields:?}"
            );
        }
        assert_eq!(
            k.verify(&Webhook::new(&url, Payload::Raw(body), &sig)),
            Ok(KeyUsed::AuthToken { secondary: false })
        );
        // Empty names add nothing to the signed string, so they could be slipped into a genuine form.
        let genuine = [("Body", "hi")];
        let sig = sign("primary", Algorithm::HmacSha1, URL, &genuine);
        assert!(k.verify(&Webhook::new(URL, Payload::Form(&genuine), &sig)).is_ok());
        for padded in
            [&[("Body", "hi"), ("", "")][..], &[("", ""), ("Body", "hi")], &[("Body", "hi"), ("", "x")]]
        {
            let sig = sign("primary", Algorithm::HmacSha1, URL, padded);
            assert_eq!(
                k.verify(&Webhook::new(URL, Payload::Form(padded), &sig)),
                Err(Rejection::EmptyParameterName),
                "{padded:?}"
            );
        }
    }

    #[test]
    fn secrets_are_normalized_like_the_cli_reads_them() {
        let k = Keyring::new().primary("\u{feff} primary\r\n").unwrap();
        let p = [("A", "1")];
        let sig = sign("primary", Algorithm::HmacSha1, URL, &p);
        assert_eq!(
            k.verify(&Webhook::new(URL, Payload::Form(&p), &sig)),
            Ok(KeyUsed::AuthToken { secondary: false })
        );
    }

    #[test]
    fn debug_shows_ids_but_no_secrets() {
        let shown = format!("{:?}", keyring());
        for secret in ["primary\"", "secondary\"", "sub-token", "sub-old", "shared-secret"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("AC00000000000000000000000000000001") && shown.contains("key1"), "{shown}");
    }

    #[test]
    fn what_a_keyring_holds_is_told_by_role() {
        let full = keyring();
        assert!(full.has_auth_token() && full.has_secondary());
        assert!(full.has_account("AC00000000000000000000000000000001"));
        assert!(!full.has_account("AC00000000000000000000000000000002"));
        assert!(full.has_shared_key("key1") && !full.has_shared_key("key2"));
        let primary_only = Keyring::new().primary("primary").unwrap();
        assert!(primary_only.has_auth_token() && !primary_only.has_secondary());
        let shared_only = Keyring::new().shared_key("key1", "shared-secret").unwrap();
        assert!(!shared_only.has_auth_token() && !shared_only.has_secondary());
    }

    #[test]
    fn secondary_keys_are_told_apart() {
        assert!(KeyUsed::AuthToken { secondary: true }.is_secondary());
        assert!(KeyUsed::AccountToken { secondary: true }.is_secondary());
        assert!(!KeyUsed::AuthToken { secondary: false }.is_secondary());
        assert!(!KeyUsed::AccountToken { secondary: false }.is_secondary());
        assert!(!KeyUsed::SharedKey.is_secondary());
    }

    #[test]
    fn resolvers_offer_the_keyring_they_verify_with() {
        let webhook = Webhook::new(URL, Payload::Form(&[]), "sig");
        let full = keyring();
        assert!(matches!(full.keyring_for(&webhook), Some(Cow::Borrowed(k)) if std::ptr::eq(k, &full)));
        let resolver = |account_sid: Option<&str>| (account_sid == Some("AC1")).then(keyring);
        assert!(resolver.keyring_for(&webhook).is_none(), "no AccountSid, no keyring");
        let webhook = Webhook { account_sid: Some("AC1"), ..webhook };
        assert!(resolver.keyring_for(&webhook).is_some_and(|k| k.has_shared_key("key1")));
    }

    #[test]
    fn rejections_say_what_went_wrong() {
        assert_eq!(
            Rejection::SignatureMismatch.to_string(),
            "X-Twilio-Signature does not match the URL and parameters"
        );
        assert!(Rejection::NoSecret.to_string().contains("no Twilio auth token"));
    }
}
