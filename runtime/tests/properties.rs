//! Property tests of the signature core (proptest, random inputs each run; failures are shrunk and saved
//! under `proptest-regressions/`).
//!
//! What they prove, for arbitrary Unicode URLs, parameters, secrets and bodies, and both algorithms:
//! - a signature computed by `compute_signature` validates, whatever the order and repetition of the
//!   parameters as received;
//! - a signature computed on the URL with its port toggled (default port added or removed, any explicit port
//!   removed) validates;
//! - changing one character of a parameter name or value (so that the signed string changes), one character
//!   of the URL's host, path or query, or one character of the signature, makes validation fail;
//! - `validate_body` accepts `url_with_body_hash(url, body)` signed with `compute_url_signature`, and
//!   rejects it once any byte of the body changes;
//! - nothing panics on arbitrary strings and bytes: `validate`, `validate_body`, `compute_signature`,
//!   `url_with_body_hash`, `SignatureSettings::parse`, `Keyring::verify`.

use std::collections::BTreeSet;

use proptest::collection::vec;
use proptest::prelude::*;
use rocket_twilio::{
    url_with_body_hash, Algorithm, KeyUsed, Keyring, Payload, Rejection, RequestValidator, SignatureSettings,
    Webhook,
};

type Params = Vec<(String, String)>;

/// Any string: every Unicode scalar value, biased towards characters that matter in URLs.
fn text(max: usize) -> impl Strategy<Value = String> {
    vec(any::<char>(), 0..=max).prop_map(String::from_iter)
}

fn params() -> impl Strategy<Value = Params> {
    vec((text(10), text(12)), 0..10)
}

fn some_params() -> impl Strategy<Value = Params> {
    vec((text(10), text(12)), 1..10)
}

fn secret() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..100)
}

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![Just(Algorithm::HmacSha1), Just(Algorithm::HmacSha256)]
}

/// A signature of any length, or of the length the algorithm produces (which gets past the length check).
fn signature() -> impl Strategy<Value = String> {
    prop_oneof![text(50), "[A-Za-z0-9+/=]{28}", "[A-Za-z0-9+/=]{44}", "[\\PC]{28}"]
}

/// An absolute URL in parts: `scheme://host`, an optional `:port`, then path and query.
#[derive(Clone, Debug)]
struct Url {
    scheme: String,
    host: String,
    port: Option<u16>,
    /// Path and query: empty or starting with `/` or `?`.
    rest: String,
}

impl Url {
    fn render(&self) -> String {
        self.with_port(self.port.map(|p| p.to_string()).as_deref())
    }

    fn with_port(&self, port: Option<&str>) -> String {
        let port = port.map_or(String::new(), |p| format!(":{p}"));
        format!("{}://{}{port}{}", self.scheme, self.host, self.rest)
    }

    fn default_port(&self) -> &'static str {
        if self.scheme.eq_ignore_ascii_case("https") {
            "443"
        } else {
            "80"
        }
    }
}

fn url() -> impl Strategy<Value = Url> {
    let scheme = prop_oneof![Just("https"), Just("http"), Just("HTTPS"), Just("Http")];
    // Path and query characters: anything but the delimiters `#` and `?` (one `?` starts the query) and the
    // blanks `urlsplit` strips.
    let piece = "[^#?\\t\\r\\n]{0,12}";
    (scheme, "[a-zA-Z0-9.-]{1,20}", prop::option::of(1u16..), vec(piece, 0..4), prop::option::of(piece))
        .prop_map(|(scheme, host, port, segments, query)| {
            let mut rest: String = segments.iter().map(|s| format!("/{}", s.replace('/', "-"))).collect();
            if let Some(q) = query {
                rest.push('?');
                rest.push_str(&q);
            }
            Url { scheme: scheme.to_owned(), host, port, rest }
        })
}

/// The signed parameter string: sorted distinct pairs, concatenated.
fn canonical(params: &Params) -> String {
    let set: BTreeSet<&(String, String)> = params.iter().collect();
    set.into_iter().map(|(n, v)| format!("{n}{v}")).collect()
}

fn pairs(params: &Params) -> impl Iterator<Item = (&str, &str)> {
    params.iter().map(|(n, v)| (n.as_str(), v.as_str()))
}

/// `s` with its character at `index` (modulo its length) replaced by `new`, if that changes it.
fn replace_char(s: &str, index: usize, new: char) -> Option<String> {
    let (at, old) = s.char_indices().nth(index % s.chars().count().max(1))?;
    (old != new).then(|| format!("{}{new}{}", &s[..at], &s[at + old.len_utf8()..]))
}

fn validator(secret: &[u8], alg: Algorithm) -> RequestValidator {
    RequestValidator::with_algorithm(secret, alg)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn computed_signatures_validate(
        url in text(80), params in params(), secret in secret(), alg in algorithm(), seed in any::<u64>()
    ) {
        let v = validator(&secret, alg);
        let sig = v.compute_signature(&url, pairs(&params));
        prop_assert_eq!(sig.len(), alg.signature_len());
        prop_assert!(v.validate(&url, pairs(&params), &sig));
        // As received: any order, any pair repeated.
        let mut received = params.clone();
        if !received.is_empty() {
            received.push(received[seed as usize % received.len()].clone());
            let by = (seed >> 8) as usize % received.len();
            received.rotate_left(by);
            received.reverse();
        }
        prop_assert!(v.validate(&url, pairs(&received), &sig));
        // Owned pairs and borrowed pairs sign alike.
        prop_assert_eq!(v.compute_signature(&url, received), sig);
    }

    #[test]
    fn port_toggled_urls_validate(u in url(), params in params(), secret in secret(), alg in algorithm()) {
        let v = validator(&secret, alg);
        let received = u.render();
        let validates = |signed: &str| v.validate(&received, pairs(&params), &v.compute_signature(signed, pairs(&params)));
        match u.port {
            // Twilio signed without the port, or with the default one.
            None => prop_assert!(validates(&u.with_port(Some(u.default_port())))),
            Some(port) => {
                prop_assert!(validates(&u.with_port(None)));
                // A signature made on another explicit port does not validate.
                let other = port.wrapping_add(1).max(1).to_string();
                prop_assert!(!validates(&u.with_port(Some(&other))));
            }
        }
        // The default port is interchangeable with no port, both ways.
        let with_default = u.with_port(Some(u.default_port()));
        let sig = v.compute_signature(&u.with_port(None), pairs(&params));
        prop_assert!(v.validate(&with_default, pairs(&params), &sig));
    }

    #[test]
    fn changing_a_parameter_fails(
        url in text(60), params in some_params(), secret in secret(), alg in algorithm(),
        which in any::<prop::sample::Index>(), at in any::<usize>(), new in any::<char>(), name in any::<bool>(),
    ) {
        let v = validator(&secret, alg);
        let sig = v.compute_signature(&url, pairs(&params));
        let mut changed = params.clone();
        let i = which.index(changed.len());
        let field = if name { &mut changed[i].0 } else { &mut changed[i].1 };
        *field = if field.is_empty() { new.to_string() } else { replace_char(field, at, new).unwrap_or_default() };
        // Only a change of the signed string can be detected (`a`+`bc` and `ab`+`c` sign alike, by design).
        prop_assume!(canonical(&changed) != canonical(&params));
        prop_assert!(!v.validate(&url, pairs(&changed), &sig));
    }

    #[test]
    fn changing_the_url_fails(
        u in url(), params in params(), secret in secret(), alg in algorithm(),
        at in any::<usize>(), new in "[a-zA-Z0-9]", in_host in any::<bool>(),
    ) {
        let v = validator(&secret, alg);
        let received = u.render();
        let sig = v.compute_signature(&received, pairs(&params));
        let new = new.chars().next().unwrap_or('a');
        // One character of the host, or of the path and query after their first delimiter.
        let mut changed = u.clone();
        if in_host || u.rest.len() < 2 {
            changed.host = replace_char(&u.host, at, new).unwrap_or_else(|| format!("{}x", u.host));
        } else {
            let first = u.rest.chars().next().map_or(0, char::len_utf8);
            let rest = replace_char(&u.rest[first..], at, new).unwrap_or_else(|| format!("{}x", &u.rest[first..]));
            changed.rest = format!("{}{rest}", &u.rest[..first]);
        }
        prop_assert!(!v.validate(&changed.render(), pairs(&params), &sig));
        // Nor on the other scheme.
        let other_scheme = Url { scheme: if u.default_port() == "443" { "http" } else { "https" }.to_owned(), ..u };
        prop_assert!(!v.validate(&other_scheme.render(), pairs(&params), &sig));
    }

    #[test]
    fn changing_the_signature_fails(
        url in text(60), params in params(), secret in secret(), alg in algorithm(),
        at in any::<usize>(), new in any::<char>(),
    ) {
        let v = validator(&secret, alg);
        let sig = v.compute_signature(&url, pairs(&params));
        if let Some(changed) = replace_char(&sig, at, new) {
            prop_assert!(!v.validate(&url, pairs(&params), &changed));
        }
        prop_assert!(!v.validate(&url, pairs(&params), &sig[1..]));
        let longer = format!("{sig}=");
        prop_assert!(!v.validate(&url, pairs(&params), &longer));
        // Nor with another secret or the other algorithm.
        // (Not a trailing 0: HMAC pads short keys with zeros, so `k` and `k\0` are the same key.)
        let mut other_secret = secret.clone();
        other_secret.push(1);
        prop_assert!(!validator(&other_secret, alg).validate(&url, pairs(&params), &sig));
        let other_alg = if alg == Algorithm::HmacSha1 { Algorithm::HmacSha256 } else { Algorithm::HmacSha1 };
        prop_assert!(!validator(&secret, other_alg).validate(&url, pairs(&params), &sig));
    }

    #[test]
    fn body_hash_urls_validate_and_bind_the_body(
        // Any URL that does not already carry a bodySHA256 (`%` could spell one, `\t` could split one).
        url in "[^%\\t\\r\\n]{0,60}", body in vec(any::<u8>(), 0..300), secret in secret(), alg in algorithm(),
        at in any::<usize>(), flip in 1u8..,
    ) {
        prop_assume!(!url.contains("bodySHA256"));
        let v = validator(&secret, alg);
        let hashed = url_with_body_hash(&url, &body);
        let sig = v.compute_url_signature(&hashed);
        prop_assert!(v.validate_body(&hashed, &body, &sig));
        let mut changed = body.clone();
        if changed.is_empty() {
            changed.push(flip);
        } else {
            let i = at % changed.len();
            changed[i] ^= flip;
        }
        prop_assert!(!v.validate_body(&hashed, &changed, &sig));
        // The hash alone is not enough: the signature must be over the hashed URL.
        prop_assert!(!v.validate_body(&hashed, &body, &v.compute_url_signature(&url)));
    }

    #[test]
    fn never_panics_on_arbitrary_input(
        url in text(100), params in params(), sig in signature(), body in vec(any::<u8>(), 0..100),
        secret in secret(), alg in algorithm(),
    ) {
        let v = validator(&secret, alg);
        let _ = v.validate(&url, pairs(&params), &sig);
        let _ = v.validate_body(&url, &body, &sig);
        // A signature that matches gets past the signature check, into the body-hash code.
        let url_sig = v.compute_url_signature(&url);
        let _ = v.validate_body(&url, &body, &url_sig);
        let hashed = url_with_body_hash(&url, &body);
        prop_assert!(hashed.contains("bodySHA256="));
        let _ = v.compute_signature(&hashed, pairs(&params));
    }

    #[test]
    fn settings_header_parsing_never_panics(header in text(80), name in "[a-zA-Z_0-9]{0,12}") {
        if let Err(e) = SignatureSettings::parse(&header) {
            // At most 40 characters of the name, each escaped to at most 10 bytes.
            prop_assert!(e.to_string().len() < 512);
        }
        let header = format!("key={name},algorithm={name}");
        let parsed = SignatureSettings::parse(&header);
        prop_assert_eq!(parsed.is_ok(), name.is_empty() || name.parse::<Algorithm>().is_ok());
    }

    #[test]
    fn keyring_never_panics_and_picks_the_named_key(
        url in text(80), form in params(), body in vec(any::<u8>(), 0..100), sig in signature(),
        settings in prop::option::of(text(60)), account in prop::option::of(text(20)), raw in any::<bool>(),
    ) {
        let keyring = Keyring::new()
            .primary("primary-token")
            .and_then(|k| k.secondary("secondary-token"))
            .and_then(|k| k.account("AC00000000000000000000000000000001", "sub-token"))
            .and_then(|k| k.shared_key("key1", "shared-secret"))
            .expect("valid keyring");
        let form: Vec<(&str, &str)> = pairs(&form).collect();
        let payload = if raw { Payload::Raw(&body) } else { Payload::Form(&form) };
        let webhook = Webhook {
            url: &url,
            payload,
            signature: &sig,
            signature_settings: settings.as_deref(),
            account_sid: account.as_deref(),
        };
        let _ = keyring.verify(&webhook);

        // A genuine shared-key request verifies with that key.
        let sig = RequestValidator::with_algorithm("shared-secret", Algorithm::HmacSha256)
            .compute_signature(&url, form.iter().copied());
        let webhook = Webhook {
            url: &url,
            payload: Payload::Form(&form),
            signature: &sig,
            signature_settings: Some("key=key1,algorithm=HMAC_SHA256"),
            account_sid: account.as_deref(),
        };
        let verdict = keyring.verify(&webhook);
        // Unless the form is one Twilio never sends: a field without a name, or a URL with bodySHA256.
        let empty_name = form.iter().any(|(name, _)| name.is_empty());
        let may_have_body_hash = url.contains("SHA256") || url.contains(['%', '\t', '\r', '\n']);
        if !empty_name && !may_have_body_hash {
            prop_assert_eq!(verdict, Ok(KeyUsed::SharedKey));
        } else {
            prop_assert!(
                matches!(
                    verdict,
                    Ok(KeyUsed::SharedKey) | Err(Rejection::EmptyParameterName) | Err(Rejection::FormWithBodyHash)
                ),
                "{:?}",
                verdict
            );
            if verdict == Err(Rejection::EmptyParameterName) {
                prop_assert!(empty_name);
            }
        }
    }
}
