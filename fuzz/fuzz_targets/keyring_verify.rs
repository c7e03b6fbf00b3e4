//! `Keyring::verify` on arbitrary keyrings and webhooks (URL, form or raw body, signature, the
//! `X-Twilio-Webhooks-Signature-Settings` header, `AccountSid`).
//!
//! Beyond "never panics": a form request signed with the primary Auth Token, without settings header or
//! `AccountSid`, verifies as the primary token.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rocket_twilio::{normalize_secret, Rejection, Algorithm, KeyUsed, Keyring, Payload, RequestValidator, Webhook};

#[derive(Arbitrary, Debug)]
enum Signature<'a> {
    Raw(&'a str),
    /// Signed on this URL, with the form, by secret number `which` (primary, secondary, account, shared).
    SignedOn {
        url: &'a str,
        which: u8,
        sha256: bool,
    },
}

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    primary: &'a [u8],
    secondary: Option<&'a [u8]>,
    account: Option<(&'a str, &'a [u8])>,
    shared_key: Option<(&'a str, &'a [u8])>,
    url: &'a str,
    form: Vec<(&'a str, &'a str)>,
    body: Option<&'a [u8]>,
    signature: Signature<'a>,
    settings: Option<&'a str>,
    account_sid: Option<&'a str>,
}

fuzz_target!(|input: Input<'_>| {
    // The builder refuses empty secrets and ids: keep what was accepted.
    let mut keyring = Keyring::new();
    let mut has_primary = false;
    if let Ok(k) = keyring.clone().primary(input.primary) {
        keyring = k;
        has_primary = true;
    }
    if let Some(secondary) = input.secondary {
        if let Ok(k) = keyring.clone().secondary(secondary) {
            keyring = k;
        }
    }
    if let Some((sid, token)) = input.account {
        if let Ok(k) = keyring.clone().account(sid, token) {
            keyring = k;
        }
    }
    if let Some((id, secret)) = input.shared_key {
        if let Ok(k) = keyring.clone().shared_key(id, secret) {
            keyring = k;
        }
    }

    let sig = match input.signature {
        Signature::Raw(s) => s.to_owned(),
        Signature::SignedOn { url, which, sha256 } => {
            let secret = match which % 4 {
                0 => input.primary,
                1 => input.secondary.unwrap_or_default(),
                2 => input.account.map_or(&[][..], |a| a.1),
                _ => input.shared_key.map_or(&[][..], |k| k.1),
            };
            let alg = if sha256 { Algorithm::HmacSha256 } else { Algorithm::HmacSha1 };
            RequestValidator::with_algorithm(secret, alg).compute_signature(url, input.form.iter().copied())
        }
    };
    let payload = match input.body {
        Some(body) => Payload::Raw(body),
        None => Payload::Form(&input.form),
    };
    let webhook = Webhook {
        url: input.url,
        payload,
        signature: &sig,
        signature_settings: input.settings,
        account_sid: input.account_sid,
    };
    let _ = keyring.verify(&webhook);

    if has_primary {
        // The keyring keys its HMAC with the normalised secret (the rule the CLI uses too).
        let key = normalize_secret(input.primary).expect("the keyring accepted this primary");
        let sig = RequestValidator::new(key).compute_signature(input.url, input.form.iter().copied());
        let webhook = Webhook::new(input.url, Payload::Form(&input.form), &sig);
        let verdict = keyring.verify(&webhook);
        // Unless the form is one Twilio never sends: a field without a name, or a bodySHA256 URL.
        let empty_name = input.form.iter().any(|(name, _)| name.is_empty());
        let may_have_body_hash = input.url.contains("SHA256") || input.url.contains(['%', '\t', '\r', '\n']);
        if !empty_name && !may_have_body_hash {
            assert_eq!(verdict, Ok(KeyUsed::AuthToken { secondary: false }));
        } else {
            assert!(
                matches!(
                    verdict,
                    Ok(KeyUsed::AuthToken { secondary: false })
                        | Err(Rejection::EmptyParameterName | Rejection::FormWithBodyHash)
                ),
                "{verdict:?}"
            );
            if verdict == Err(Rejection::EmptyParameterName) {
                assert!(empty_name);
            }
        }
    }
});
