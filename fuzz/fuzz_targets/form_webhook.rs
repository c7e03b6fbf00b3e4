//! A form webhook as the Rocket guard sees it, on arbitrary bytes: the body decoded the way
//! `runtime/src/integration/form.rs` decodes it (UTF-8 check, then `form_urlencoded`), then
//! `Keyring::verify`; and a raw body checked through `url_with_body_hash` and the `bodySHA256` lookup.
//!
//! Beyond "never panics":
//! - a form signed over its decoded fields verifies, and still does once re-encoded (any encoding of the
//!   same fields carries the same signature), unless it is one Twilio never sends: a field with an empty
//!   name (`EmptyParameterName`), or a URL carrying `bodySHA256`, whose hash vouches for a raw body
//!   (`FormWithBodyHash`);
//! - another body verifies with that signature exactly when its canonical string (sorted, de-duplicated
//!   name+value pairs) is the same. The URL is `https://example.com/sms` plus a path and query of
//!   characters twilio-python's `urlsplit(…).geturl()` keeps as they are (no blanks, no empty `?`/`#`),
//!   so no other URL form the validator tries can make two canonical strings collide;
//! - a raw body verifies with `url_with_body_hash` + the URL signature, and another body never does.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rocket_twilio::{url_with_body_hash, KeyUsed, Keyring, Payload, Rejection, RequestValidator, Webhook};

const TOKEN: &str = "fuzz-token";

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    /// Appended to `https://example.com/sms`, once filtered (see [`url`]).
    tail: &'a str,
    body: &'a [u8],
    other: &'a [u8],
}

/// `https://example.com/sms` + the characters of `tail` that `geturl()` keeps unchanged; a `?` only
/// before a non-empty query.
fn url(tail: &str) -> String {
    let kept: String =
        tail.chars().filter(|c| c.is_ascii_alphanumeric() || "/?=&._~-".contains(*c)).collect();
    let (path, query) = kept.split_once('?').unwrap_or((&kept, ""));
    let query = query.replace('?', "");
    match query.is_empty() {
        true => format!("https://example.com/sms{path}"),
        false => format!("https://example.com/sms{path}?{query}"),
    }
}

/// What the guard does with a form body (form_fields::decode): refuse non-UTF-8, then percent-decode.
fn decode(body: &[u8]) -> Option<Vec<(String, String)>> {
    std::str::from_utf8(body).ok()?;
    Some(form_urlencoded::parse(body).map(|(n, v)| (n.into_owned(), v.into_owned())).collect())
}

/// The parameters part of the string Twilio signs.
fn canonical(fields: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = fields.iter().collect();
    sorted.sort();
    sorted.dedup();
    sorted.iter().map(|(n, v)| format!("{n}{v}")).collect()
}

fn verify(keyring: &Keyring, url: &str, payload: Payload<'_>, signature: &str) -> Result<KeyUsed, Rejection> {
    keyring.verify(&Webhook::new(url, payload, signature))
}

fn borrowed(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
}

/// Whether the URL's query names a non-empty `bodySHA256` (the filtered URLs have no `%`, `+` or blanks,
/// so the name is written as it is).
fn has_body_hash(url: &str) -> bool {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded::parse(query.as_bytes()).any(|(n, v)| n == "bodySHA256" && !v.is_empty())
}

/// What `Keyring::verify` answers a form signed over `fields`: Twilio never sends empty names, and a
/// `bodySHA256` URL vouches for a raw body, not fields.
fn expected_for_form(url: &str, fields: &[(String, String)]) -> Result<KeyUsed, Rejection> {
    if has_body_hash(url) {
        Err(Rejection::FormWithBodyHash)
    } else if fields.iter().any(|(name, _)| name.is_empty()) {
        Err(Rejection::EmptyParameterName)
    } else {
        Ok(KeyUsed::AuthToken { secondary: false })
    }
}

fuzz_target!(|input: Input<'_>| {
    let url = url(input.tail);
    let keyring = Keyring::new().primary(TOKEN).expect("a non-empty token");
    let validator = RequestValidator::new(TOKEN);
    let primary = Ok(KeyUsed::AuthToken { secondary: false });

    if let Some(fields) = decode(input.body) {
        let pairs = borrowed(&fields);
        let expected = expected_for_form(&url, &fields);
        let sig = validator.compute_signature(&url, pairs.iter().copied());
        assert_eq!(verify(&keyring, &url, Payload::Form(&pairs), &sig), expected);

        let reencoded =
            form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs.iter().copied()).finish();
        let again = decode(reencoded.as_bytes()).expect("an encoded form is UTF-8");
        assert_eq!(again, fields, "decode(encode(fields)) == fields");
        assert_eq!(verify(&keyring, &url, Payload::Form(&borrowed(&again)), &sig), expected);

        if let Some(other) = decode(input.other) {
            let same = canonical(&other) == canonical(&fields);
            let got = verify(&keyring, &url, Payload::Form(&borrowed(&other)), &sig);
            match expected_for_form(&url, &other) {
                Ok(_) => assert_eq!(got.is_ok(), same, "{other:?} vs {fields:?}: {got:?}"),
                refused => assert_eq!(got, refused, "{other:?}"),
            }
        }
    }

    // A raw body: skip URLs that may already carry a bodySHA256.
    if !url.contains("bodySHA256") {
        let hashed = url_with_body_hash(&url, input.body);
        let sig = validator.compute_url_signature(&hashed);
        assert_eq!(verify(&keyring, &hashed, Payload::Raw(input.body), &sig), primary);
        let got = verify(&keyring, &hashed, Payload::Raw(input.other), &sig);
        if input.other == input.body {
            assert_eq!(got, primary);
        } else {
            assert_eq!(got, Err(Rejection::BodyHashMismatch));
        }
        assert_eq!(verify(&keyring, &url, Payload::Raw(input.body), &sig), Err(Rejection::BodyHashMissing));
    }
});
