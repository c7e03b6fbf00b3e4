//! [`RequestValidator`]: computes and checks `X-Twilio-Signature`.

use std::fmt;

use sha2::{Digest, Sha256};
use smallvec::SmallVec;
use subtle::ConstantTimeEq;

use super::mac::{EncodedSignature, KeyedMac};
use super::params::{Param, SortedParams, INLINE};
use super::url::{self, UrlPieces};
use super::websocket;
use super::Algorithm;

/// Computes and validates Twilio webhook signatures with one secret.
///
/// The algorithm is twilio-python 9.13's `RequestValidator`: the URL Twilio called, then each POST parameter
/// name followed by its value, sorted by name then value (a repeated identical pair counts once), with no
/// separators; HMAC of that string keyed with the secret; base64.
///
/// `validate` accepts a signature made on the URL with or without its port, like every official library,
/// and compares in constant time. Nothing here panics, whatever the input.
///
/// The secret is hashed into the HMAC state once, in [`new`](Self::new); `Debug` never shows it.
///
/// ```
/// use rocket_twilio::RequestValidator;
///
/// // The example from Twilio's documentation ("Explore the algorithm yourself").
/// let validator = RequestValidator::new("12345");
/// let url = "https://example.com/myapp.php?foo=1&bar=2";
/// let params = [
///     ("CallSid", "CA1234567890ABCDE"),
///     ("Caller", "+14158675310"),
///     ("Digits", "1234"),
///     ("From", "+14158675310"),
///     ("To", "+18005551212"),
/// ];
/// assert_eq!(validator.compute_signature(url, params), "L/OH5YylLD5NRKLltdqwSvS0BnU=");
/// assert!(validator.validate(url, params, "L/OH5YylLD5NRKLltdqwSvS0BnU="));
///
/// // The same request seen on the default port still validates.
/// let with_port = "https://example.com:443/myapp.php?foo=1&bar=2";
/// assert!(validator.validate(with_port, params, "L/OH5YylLD5NRKLltdqwSvS0BnU="));
///
/// // Any change to a parameter does not.
/// assert!(!validator.validate(url, [("CallSid", "CA1234567890ABCDF")], "L/OH5YylLD5NRKLltdqwSvS0BnU="));
/// ```
///
/// # URL forms
///
/// Twilio does not always sign the URL with the port it connects to, so a signature is accepted when it
/// matches the URL as received or the URL with its port toggled (`https://h/x` ↔ `https://h:443/x`,
/// `http://h:8080/x` ↔ `http://h/x`), like every official library. The URL as received is tried first, and
/// the next form only when that one fails: a genuine request costs one HMAC. URLs that twilio-python's
/// `urlparse(url).geturl()` rewrites (an upper-case scheme, an empty `?` or `#`, tabs) are also tried in
/// that rewritten form.
///
/// # `RequestValidator` or `Keyring`?
///
/// `RequestValidator` is twilio-python's `RequestValidator`, method for method: one secret, a `bool`
/// verdict, and its exact semantics (e.g. it does not look at `bodySHA256` in [`validate`](Self::validate),
/// and takes any secret, even an empty one). Use it to port code from the official libraries, or to sign
/// test requests. A server should use a [`Keyring`](crate::Keyring): several secrets chosen per request,
/// a `Result` that says which secret matched or why nothing did, and the stricter rules for what a request
/// Twilio sends looks like (the Rocket guard uses it).
#[derive(Clone)]
pub struct RequestValidator {
    mac: KeyedMac,
}

impl RequestValidator {
    /// A validator for Auth Token signatures (HMAC-SHA1). `secret` is your account's Auth Token.
    ///
    /// Any secret is taken, as in twilio-python, including an empty one, for which anyone can compute
    /// the signatures (HMAC pads keys with zeros, so all-NUL secrets sign like the empty one). A secret
    /// that comes from configuration is better checked: [`Keyring`](crate::Keyring), which the Rocket
    /// integration uses, refuses such secrets with an error.
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        Self::with_algorithm(secret, Algorithm::HmacSha1)
    }

    /// A validator for the given algorithm, e.g. a Webhooks Shared Key signing with
    /// [`Algorithm::HmacSha256`].
    ///
    /// ```
    /// use rocket_twilio::{Algorithm, RequestValidator};
    ///
    /// let v = RequestValidator::with_algorithm("shared key secret", Algorithm::HmacSha256);
    /// let sig = v.compute_signature("https://example.com/hook", [("A", "1")]);
    /// assert_eq!(sig.len(), 44);
    /// assert!(v.validate("https://example.com/hook", [("A", "1")], &sig));
    /// ```
    pub fn with_algorithm(secret: impl AsRef<[u8]>, algorithm: Algorithm) -> Self {
        RequestValidator { mac: KeyedMac::new(algorithm, secret.as_ref()) }
    }

    /// The HMAC this validator uses.
    pub fn algorithm(&self) -> Algorithm {
        self.mac.algorithm()
    }

    /// The signature Twilio would send for a request to `url` with the POST parameters `params`.
    ///
    /// `url` is used exactly as given (no port toggling, no normalisation). `params` is any sequence of
    /// name/value pairs ([`Param`]), in any order, with repeated names allowed: `[("From", "+1")]`,
    /// `Vec<(String, String)>` or `&Vec<(String, String)>`, a `HashMap` or a reference to one, or an
    /// iterator. For GET requests and JSON bodies pass no
    /// parameters (`[] as [(&str, &str); 0]`, or use [`compute_url_signature`](Self::compute_url_signature)).
    pub fn compute_signature<I>(&self, url: &str, params: I) -> String
    where
        I: IntoIterator,
        I::Item: Param,
    {
        let mut pairs = SmallVec::<[I::Item; INLINE]>::new();
        pairs.extend(params);
        self.sign([url, "", ""], &SortedParams::new(&pairs)).as_str().to_owned()
    }

    /// The signature of a request whose parameters are all in the URL: a GET, or a JSON body whose
    /// `bodySHA256` is already in the URL (see [`url_with_body_hash`](crate::url_with_body_hash)).
    pub fn compute_url_signature(&self, url: &str) -> String {
        self.sign([url, "", ""], &SortedParams::empty()).as_str().to_owned()
    }

    /// Whether `signature` is the signature of a request to `url` with the POST parameters `params`.
    ///
    /// The signature may have been computed on `url` with or without its port (see
    /// [URL forms](Self#url-forms)). `params` takes the same forms as in
    /// [`compute_signature`](Self::compute_signature). A GET request is validated with no params.
    ///
    /// This does not look at `bodySHA256`: use [`validate_body`](Self::validate_body) for JSON bodies.
    pub fn validate<I>(&self, url: &str, params: I, signature: &str) -> bool
    where
        I: IntoIterator,
        I::Item: Param,
    {
        // Gathered on the stack (a webhook's parameters fit), then sorted where they are. `extend` rather
        // than `collect`, which would build the array elsewhere and copy it here.
        let mut pairs = SmallVec::<[I::Item; INLINE]>::new();
        pairs.extend(params);
        self.matches(url, &SortedParams::new(&pairs), signature)
    }

    /// The signature Twilio sends when it opens a WebSocket to `url` (Media Streams `<Stream>`,
    /// `<ConversationRelay>`). `url` is used as given (no port toggling): pass the `ws://` or `wss://`
    /// URL from the TwiML, not its `https://` twin.
    ///
    /// Twilio signs the handshake with `X-Twilio-Signature` over the **`wss://`** (or `ws://`) URL it
    /// opened, the one written in the TwiML (ConversationRelay docs, "Configure your WebSocket server";
    /// Twilio changelog 2025-04-01, "Signature Header In Websocket Request"). A server that rebuilds the
    /// `https://` URL refuses every genuine handshake (twilio-aspnet #162).
    ///
    /// A query string is not signed as part of the URL: the signed string is the URL **without** its
    /// query, followed by the query's parameters (percent-decoded, `+` as a space) sorted and
    /// concatenated exactly like the POST parameters of an ordinary webhook. This is how Twilio's own
    /// agent SDKs validate handshakes: twilio-agent-connect-python
    /// (`src/tac/server/signature_validation.py`, `_build_websocket_url_and_params`: "Query parameters are
    /// passed separately in the params dict for signature computation (not appended to the URL)") and
    /// twilio-agent-connect-typescript (`packages/server/src/lib/server.ts`: `fullUrl.origin +
    /// fullUrl.pathname`, with the `searchParams` as the params). The two differ where a query repeats a
    /// name or has an empty value (Python keeps the first non-empty value, TypeScript the last value);
    /// here every pair is signed, as Twilio signs repeated POST parameters.
    ///
    /// Media Streams accepts no query string: Twilio refuses such a `<Stream url>` with error 31920
    /// ("use nested `<Parameter>` nouns"), so a genuine Media Streams handshake has no query and its
    /// signature covers the `wss://` URL alone, which this rule also gives.
    ///
    /// ```
    /// use rocket_twilio::RequestValidator;
    ///
    /// let v = RequestValidator::new("12345");
    /// let signature = v.compute_handshake_signature("wss://example.com/relay?customer=42");
    /// // The URL without its query, then the query's parameters, as for a form POST.
    /// assert_eq!(signature, v.compute_signature("wss://example.com/relay", [("customer", "42")]));
    /// // Not the https:// twin, not the whole URL signed like a GET webhook's.
    /// assert_ne!(signature, v.compute_signature("https://example.com/relay", [("customer", "42")]));
    /// assert_ne!(signature, v.compute_url_signature("wss://example.com/relay?customer=42"));
    ///
    /// // Without a query (Media Streams), the wss:// URL alone.
    /// let stream = v.compute_handshake_signature("wss://example.com/audio");
    /// assert_eq!(stream, v.compute_url_signature("wss://example.com/audio"));
    /// ```
    pub fn compute_handshake_signature(&self, url: &str) -> String {
        let (signed, params) = websocket::handshake_parts(url);
        self.compute_signature(signed, &params)
    }

    /// Whether `signature` is Twilio's signature of a WebSocket handshake to `url` (see
    /// [`compute_handshake_signature`](Self::compute_handshake_signature)), with or without the URL's port.
    ///
    /// ```
    /// use rocket_twilio::RequestValidator;
    ///
    /// let v = RequestValidator::new("12345");
    /// let signature = v.compute_handshake_signature("wss://example.com/relay?customer=42");
    /// assert!(v.validate_handshake("wss://example.com:443/relay?customer=42", &signature));
    /// assert!(!v.validate_handshake("wss://example.com/relay?customer=43", &signature));
    /// assert!(!v.validate_handshake("https://example.com/relay?customer=42", &signature));
    /// ```
    pub fn validate_handshake(&self, url: &str, signature: &str) -> bool {
        let (signed, params) = websocket::handshake_parts(url);
        self.validate(signed, &params, signature)
    }

    /// Whether `signature` is Twilio's signature of a request to `url` carrying the raw (non-form) `body`,
    /// such as JSON.
    ///
    /// For such requests Twilio adds `bodySHA256=<lowercase hex SHA-256 of the body>` to the URL and signs
    /// the URL alone. Both must hold: the signature (with or without port) and the body hash. A URL without
    /// a non-empty `bodySHA256` fails, even for an empty body (twilio-python accepts an empty body without
    /// one).
    ///
    /// ```
    /// use rocket_twilio::{url_with_body_hash, RequestValidator};
    ///
    /// let v = RequestValidator::new("12345");
    /// let body = br#"{"property": "value", "boolean": true}"#;
    /// let url = url_with_body_hash("https://example.com/myapp", body);
    /// assert_eq!(
    ///     url,
    ///     "https://example.com/myapp?bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    /// );
    /// let sig = v.compute_url_signature(&url);
    /// assert!(v.validate_body(&url, body, &sig));
    /// assert!(!v.validate_body(&url, b"{}", &sig));
    /// assert!(!v.validate_body("https://example.com/myapp", body, &v.compute_url_signature("https://example.com/myapp")));
    /// ```
    pub fn validate_body(&self, url: &str, body: &[u8], signature: &str) -> bool {
        self.matches(url, &SortedParams::empty(), signature) && body_hash_matches(url, body)
    }

    /// Whether `signature` matches one of the URL forms of `url` with the already sorted `params`.
    pub(crate) fn matches<P: Param>(&self, url: &str, params: &SortedParams<'_, P>, signature: &str) -> bool {
        // A signature of the wrong length cannot match any form: don't compute any HMAC for it.
        if signature.len() != self.algorithm().signature_len() {
            return false;
        }
        url::any_candidate(url, |pieces| self.sign(pieces, params).ct_eq(signature))
    }

    pub(crate) fn sign<P: Param>(
        &self,
        url: UrlPieces<'_>,
        params: &SortedParams<'_, P>,
    ) -> EncodedSignature {
        self.mac.sign(|out| {
            for piece in url {
                out.write(piece);
            }
            params.for_each_piece(|piece| out.write(piece));
        })
    }
}

impl fmt::Debug for RequestValidator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestValidator")
            .field("algorithm", &self.algorithm())
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// The lowercase hex SHA-256 of `body`: the `bodySHA256` value Twilio puts in the URL of JSON webhooks.
///
/// ```
/// assert_eq!(
///     rocket_twilio::body_sha256_hex(br#"{"property": "value", "boolean": true}"#),
///     "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
/// );
/// ```
pub fn body_sha256_hex(body: &[u8]) -> String {
    let mut buf = [0u8; 64];
    hex_sha256(body, &mut buf).to_owned()
}

fn hex_sha256<'b>(body: &[u8], buf: &'b mut [u8; 64]) -> &'b str {
    let digest = Sha256::digest(body);
    base16ct::lower::encode_str(&digest, buf).expect("32 bytes are 64 hex digits")
}

/// `url` with `bodySHA256=<hex SHA-256 of body>` appended to its query, as Twilio sends JSON webhooks.
///
/// Sign the result with [`RequestValidator::compute_url_signature`] to build a test request.
pub fn url_with_body_hash(url: &str, body: &[u8]) -> String {
    let mut buf = [0u8; 64];
    url::append_query_param(url, "bodySHA256", hex_sha256(body, &mut buf))
}

/// Whether the URL's `bodySHA256` equals the SHA-256 of `body`. Case-sensitive (Twilio sends lowercase),
/// like twilio-python.
pub(crate) fn body_hash_matches(url: &str, body: &[u8]) -> bool {
    let Some(expected) = url::body_sha256_param(url) else {
        return false;
    };
    let mut buf = [0u8; 64];
    hex_sha256(body, &mut buf).as_bytes().ct_eq(expected.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const PARAMS: [(&str, &str); 5] = [
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+14158675309"),
        ("Digits", "1234"),
        ("From", "+14158675309"),
        ("To", "+18005551212"),
    ];

    #[test]
    fn rejects_without_panicking_on_hostile_signatures() {
        let v = RequestValidator::new("12345");
        for sig in ["", "=", "RSOYDt4T1cUTdK1PDd93/VVr8B8", "RSOYDt4T1cUTdK1PDd93/VVr8B8==", "é", "\0"] {
            assert!(!v.validate(URL, PARAMS, sig), "{sig:?}");
        }
        let long = "A".repeat(1 << 20);
        assert!(!v.validate(URL, PARAMS, &long));
        assert!(!v.validate_body(URL, b"", &long));
    }

    #[test]
    fn signature_comparison_is_exact() {
        let v = RequestValidator::new("12345");
        assert!(v.validate(URL, PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        // Case changes and a non-canonical final base64 character both fail, as in twilio-python.
        assert!(!v.validate(URL, PARAMS, "rSOYDt4T1cUTdK1PDd93/VVr8B8="));
        assert!(!v.validate(URL, PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B9="));
    }

    #[test]
    fn debug_hides_the_secret() {
        let v = RequestValidator::new("super-secret-token");
        let shown = format!("{v:?}");
        assert!(!shown.contains("super-secret-token"), "{shown}");
        assert!(shown.contains("HmacSha1"));
    }

    #[test]
    fn sha256_signatures_are_not_sha1_signatures() {
        let sha1 = RequestValidator::new("k");
        let sha256 = RequestValidator::with_algorithm("k", Algorithm::HmacSha256);
        let sig = sha256.compute_signature(URL, PARAMS);
        assert!(sha256.validate(URL, PARAMS, &sig));
        assert!(!sha1.validate(URL, PARAMS, &sig));
        assert!(!sha256.validate(URL, PARAMS, &sha1.compute_signature(URL, PARAMS)));
    }

    #[test]
    fn body_hash_must_be_present_and_exact() {
        let v = RequestValidator::new("12345");
        let body = b"{\"a\":1}";
        let url = url_with_body_hash("https://h/x?q=1", body);
        let sig = v.compute_url_signature(&url);
        assert!(v.validate_body(&url, body, &sig));
        assert!(!v.validate_body(&url, b"{\"a\":2}", &sig));
        let upper =
            url.to_ascii_uppercase().replace("HTTPS://H/X?Q=1&BODYSHA256", "https://h/x?q=1&bodySHA256");
        assert!(!v.validate_body(&upper, body, &v.compute_url_signature(&upper)));
        // Signed with the params of a form instead: fails.
        assert!(!v.validate_body("https://h/x", body, &v.compute_signature("https://h/x", [("a", "1")])));
    }

    #[test]
    fn toggled_port_validates_both_ways() {
        let v = RequestValidator::new("12345");
        let plain = v.compute_signature("https://h/x", PARAMS);
        let with_port = v.compute_signature("https://h:443/x", PARAMS);
        assert_ne!(plain, with_port);
        for sig in [&plain, &with_port] {
            assert!(v.validate("https://h/x", PARAMS, sig));
            assert!(v.validate("https://h:443/x", PARAMS, sig));
        }
        // A non-default port only validates against itself and the port-less form.
        assert!(v.validate("https://h:8443/x", PARAMS, &plain));
        assert!(!v.validate("https://h:8443/x", PARAMS, &with_port));
        assert!(!v.validate("http://h/x", PARAMS, &plain));
    }

    #[test]
    fn blanks_urlsplit_strips_are_ignored_like_python() {
        // twilio-python parses the URL with `urlsplit`, which strips leading blanks and every tab/CR/LF.
        let v = RequestValidator::new("12345");
        let sig = v.compute_signature("https://h/x", PARAMS);
        assert!(v.validate(" https://h:443/x\n", PARAMS, &sig));
        assert!(v.validate("\0ht\ttps://h/x", PARAMS, &sig));
        assert!(!v.validate("https://h/x ", PARAMS, &sig));
        let body = b"{}";
        let url = url_with_body_hash("https://h/x", body);
        let sig = v.compute_url_signature(&url);
        let received = url.replace("bodySHA256", "body\tSHA256");
        assert!(v.validate_body(&received, body, &sig));
    }
}
