//! `SignatureSettings::parse` (the `X-Twilio-Webhooks-Signature-Settings` header) and `Algorithm::from_str`
//! on arbitrary strings.
//!
//! Beyond "never panics": a parsed key id is a non-empty part of the header; a header naming `key` or
//! `algorithm` (with a value) twice is refused as `Repeated`; the error for an unknown algorithm names it
//! and stays short, whatever the header's length.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rocket_twilio::{Algorithm, SettingsError, SignatureSettings};

/// How many `name=<non-empty value>` parts the header has, counted independently of the parser.
fn count(header: &str, name: &str) -> usize {
    header
        .split(',')
        .filter_map(|part| part.split_once('='))
        .filter(|(n, v)| n.trim() == name && !v.trim().is_empty())
        .count()
}

fuzz_target!(|header: &str| {
    let repeated = count(header, "key") > 1 || count(header, "algorithm") > 1;
    match SignatureSettings::parse(header) {
        Ok(settings) => {
            assert!(!repeated, "{header:?}");
            if let Some(id) = settings.key_id() {
                assert!(!id.is_empty() && header.contains(id));
            }
            let _ = settings.algorithm();
        }
        Err(SettingsError::Repeated { name }) => {
            assert!(repeated && count(header, name) > 1, "{header:?}");
        }
        Err(SettingsError::UnsupportedAlgorithm(e)) => {
            assert!(!repeated, "{header:?}");
            assert!(header.contains(e.name()));
            assert!(e.name().parse::<Algorithm>().is_err());
            // At most 40 characters of the name, each escaped to at most 10 bytes.
            assert!(e.to_string().len() < 512, "{}", e.to_string().len());
        }
        Err(other) => panic!("unexpected {other:?}"),
    }
    if let Ok(alg) = header.parse::<Algorithm>() {
        assert!(alg.name().eq_ignore_ascii_case(header));
    }
});
