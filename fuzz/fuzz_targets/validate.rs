//! `RequestValidator::validate` on arbitrary secrets, URLs, parameters and signatures.
//!
//! Beyond "never panics": a signature computed on the received URL always validates (in any parameter
//! order), and a signature computed on another fuzzed URL drives every candidate URL form (raw, port
//! toggled, `geturl()`-normalised) through the HMAC, not just the length check; and parameters sorted by
//! the standard library's sort sign like the validator's own sort (and the order it keeps per thread).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rocket_twilio::{Algorithm, RequestValidator};

#[derive(Arbitrary, Debug)]
enum Signature<'a> {
    /// Any header value.
    Raw(&'a str),
    /// The signature of a request to this URL, with the same parameters.
    SignedOn(&'a str),
}

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    secret: &'a [u8],
    sha256: bool,
    url: &'a str,
    params: Vec<(&'a str, &'a str)>,
    signature: Signature<'a>,
}

fuzz_target!(|input: Input<'_>| {
    let alg = if input.sha256 { Algorithm::HmacSha256 } else { Algorithm::HmacSha1 };
    let v = RequestValidator::with_algorithm(input.secret, alg);
    let params = || input.params.iter().copied();

    let sig = match input.signature {
        Signature::Raw(s) => s.to_owned(),
        Signature::SignedOn(url) => v.compute_signature(url, params()),
    };
    let verdict = v.validate(input.url, params(), &sig);
    if matches!(input.signature, Signature::SignedOn(url) if url == input.url) {
        assert!(verdict, "a signature on the received URL must validate");
    }

    let own = v.compute_signature(input.url, params());
    assert_eq!(own.len(), alg.signature_len());
    assert!(v.validate(input.url, params().rev(), &own));

    // Sorted and without repeats, the parameters are signed in the order given (no sort): the same
    // signature as the sorts above, the second of which may have taken the order this thread kept.
    let mut canonical: Vec<(&str, &str)> = params().collect();
    canonical.sort_unstable();
    canonical.dedup();
    assert_eq!(v.compute_signature(input.url, params()), own, "the kept order");
    assert_eq!(v.compute_signature(input.url, canonical.iter().copied()), own, "sorted by the reference");
});
