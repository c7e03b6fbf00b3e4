//! [`RequestLocal`]: what the guards keep for the rest of a request, in one entry of Rocket's
//! request-local cache.
//!
//! Each entry of that cache is a heap allocation in a type map (and may grow the map), so the body, its
//! decoded form values, the signer, the verified signature and the delivery's claim share one, instead of
//! one each.

use std::sync::OnceLock;

use rocket::request::local_cache;
use rocket::Request;

use super::dedupe::DeliverySlot;
use super::verified::Signer;

/// The guards' request-local values. Each is set at most once per request; should a second guard of the
/// same request have one to keep too, it goes to an entry of its own ([`keep_body`], [`keep_decoded`]).
#[derive(Default)]
pub(crate) struct RequestLocal {
    /// The body, as read by the data guard.
    body: OnceLock<Vec<u8>>,
    /// The form values that needed decoding, one after the other.
    decoded: OnceLock<String>,
    /// Who signed the request, once verified (read by [`Verified`](super::Verified)). A `OnceLock`, so that
    /// a `Verified` taken before the data guard ran (request guards run first) sees what it records.
    pub(crate) signer: OnceLock<Signer>,
    /// The signature that verified the request, for the key of its delivery (`dedupe`): kept here so that
    /// claiming does not read the headers again.
    pub(crate) signature: OnceLock<VerifiedSignature>,
    /// The request's claim of its delivery (`dedupe`).
    pub(crate) delivery: DeliverySlot,
}

/// A verified `X-Twilio-Signature` (base64 of a 20- or 32-byte digest: 28 or 44 characters), copied.
/// It has no `Debug`: it is the signature the secret produced.
pub(crate) struct VerifiedSignature {
    bytes: [u8; 44],
    len: u8,
}

impl VerifiedSignature {
    /// A copy of `signature`, unless it is longer than any digest's base64 (never, once verified).
    pub(crate) fn new(signature: &str) -> Option<Self> {
        let mut bytes = [0; 44];
        bytes.get_mut(..signature.len())?.copy_from_slice(signature.as_bytes());
        Some(VerifiedSignature { bytes, len: signature.len() as u8 })
    }

    /// The signature's bytes (base64: ASCII).
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// The request's [`RequestLocal`] (created empty on first use).
pub(crate) fn of<'r>(req: &'r Request<'_>) -> &'r RequestLocal {
    req.local_cache(RequestLocal::default)
}

/// Keeps `body` for as long as the request lives.
pub(crate) fn keep_body<'r>(req: &'r Request<'_>, body: Vec<u8>) -> &'r [u8] {
    let mut body = Some(body);
    let kept = of(req).body.get_or_init(|| body.take().unwrap_or_default());
    match body {
        None => kept,
        Some(another) => local_cache!(req, another),
    }
}

/// Keeps `decoded` for as long as the request lives.
pub(crate) fn keep_decoded<'r>(req: &'r Request<'_>, decoded: String) -> &'r str {
    let mut decoded = Some(decoded);
    let kept = of(req).decoded.get_or_init(|| decoded.take().unwrap_or_default());
    match decoded {
        None => kept,
        Some(another) => local_cache!(req, another),
    }
}

#[cfg(test)]
mod tests {
    use super::VerifiedSignature;

    #[test]
    fn a_verified_signature_is_copied_whole_or_not_at_all() {
        for signature in ["", "a", &"s".repeat(28), &"x".repeat(44)] {
            assert_eq!(
                VerifiedSignature::new(signature).map(|s| s.as_bytes().to_owned()).as_deref(),
                Some(signature.as_bytes())
            );
        }
        assert!(VerifiedSignature::new(&"x".repeat(45)).is_none());
    }
}
