//! `SignatureSettings::parse` (the `X-Twilio-Webhooks-Signature-Settings` header) and `Algorithm::from_str`
//! on arbitrary strings.
//!
//! Beyond "never panics": a parsed key id is a non-empty part of the header, and the error for an unknown
//! algorithm names it and stays short, whatever the header's length.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rocket_twilio::{Algorithm, SignatureSettings};

fuzz_target!(|header: &str| {
    match SignatureSettings::parse(header) {
        Ok(settings) => {
            if let Some(id) = settings.key_id() {
                assert!(!id.is_empty() && header.contains(id));
            }
            let _ = settings.algorithm();
        }
        Err(e) => {
            assert!(header.contains(e.name()));
            assert!(e.name().parse::<Algorithm>().is_err());
            // At most 40 characters of the name, each escaped to at most 10 bytes.
            assert!(e.to_string().len() < 512, "{}", e.to_string().len());
        }
    }
    if let Ok(alg) = header.parse::<Algorithm>() {
        assert!(alg.name().eq_ignore_ascii_case(header));
    }
});
