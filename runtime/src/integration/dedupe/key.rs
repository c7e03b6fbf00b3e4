//! [`DeliveryKey`]: what identifies a delivery, computed from signed material only.

use std::fmt;

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The identity of one delivery: the first 128 bits of a SHA-256 over material the signature vouched for.
///
/// - **A webhook**: its `X-Twilio-Signature`, once verified. The signature is the HMAC, under the key that
///   verified it, of the URL Twilio called and every parameter (or, with `bodySHA256`, of the URL that
///   binds the body), so two requests share it exactly when they carry the same signed string: Twilio's
///   retries and verbatim replays do, a different delivery does not. Whatever the signature does not cover
///   cannot change the key: `I-Twilio-Idempotency-Token` and every other header, the order and
///   percent-encoding of form fields, the URL's port spelling (`https://h/x` and `https://h:443/x` verify
///   with the same signature).
/// - **An id inside a verified body** ([`Delivery::claim_id`](crate::Delivery::claim_id), e.g. an Event
///   Streams CloudEvent `id`): the id, in the namespace of the account (and Webhooks Shared Key) that
///   verified the request, so that a tenant signing with its own sub-account token cannot claim another
///   tenant's ids.
///
/// The key holds no secret: it is derived from what the request itself carries. 128 bits keep a Redis key
/// short; two distinct deliveries collide with a probability of about n²/2¹²⁹ (10⁻²⁰ for a billion keys),
/// and nobody can aim a collision without a valid signature.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeliveryKey([u8; 16]);

/// Separates these digests from any other SHA-256 of the same bytes, and versions the derivation. Short, so
/// that a signature's key is one SHA-256 block (7 + 1 + at most 44 bytes, under the 55 a block holds).
const DOMAIN: &[u8] = b"rtw-dk1";

impl DeliveryKey {
    /// The key of a webhook whose `X-Twilio-Signature` (trimmed, as verified) is `signature`.
    pub(crate) fn of_signature(signature: &str) -> DeliveryKey {
        // A tag byte, then the signature: unambiguous, as ids are hashed with tag `i` and length prefixes.
        let mut hash = Sha256::new();
        hash.update(DOMAIN);
        hash.update(b"s");
        hash.update(signature.as_bytes());
        DeliveryKey::truncate(hash)
    }

    /// The key of `id`, found in a body verified for `account_sid` (and the Webhooks Shared Key
    /// `shared_key_id`, when one verified it).
    pub(crate) fn of_id(account_sid: Option<&str>, shared_key_id: Option<&str>, id: &str) -> DeliveryKey {
        let account_sid = account_sid.unwrap_or_default().as_bytes();
        let shared_key_id = shared_key_id.unwrap_or_default().as_bytes();
        let mut hash = Sha256::new();
        hash.update(DOMAIN);
        hash.update(b"i");
        // Each part preceded by its length, so that no two lists of parts hash alike.
        for part in [account_sid, shared_key_id, id.as_bytes()] {
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part);
        }
        DeliveryKey::truncate(hash)
    }

    /// The first 128 bits of the digest.
    fn truncate(hash: Sha256) -> DeliveryKey {
        let digest = hash.finalize();
        let mut key = [0; 16];
        key.copy_from_slice(&digest[..16]);
        DeliveryKey(key)
    }

    /// A key with these bytes: for tests of a [`DeliveryStore`](super::DeliveryStore) implementation.
    pub fn from_bytes(bytes: [u8; 16]) -> DeliveryKey {
        DeliveryKey(bytes)
    }

    /// The key's 16 bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

/// What a claim is made under in a store: a [`DeliveryKey`], or, in the built-in in-memory store, bits of
/// the verified signature itself.
///
/// The signature is an HMAC under a secret: its bits are as unguessable and as collision-free as a
/// digest of it, so the in-memory store, which never shows its keys to anyone, holds 128 of them and saves
/// the SHA-256 of [`DeliveryKey::of_signature`] (about 60 ns a request, a third of what `Delivery` costs;
/// docs/PERFORMANCE.md). The `DeliveryKey`, which is printed and sent to Redis and must not carry the
/// signature's bits, is computed only when asked for ([`Delivery::key`](crate::Delivery::key)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ClaimKey {
    /// Ids, requests keyed with validation disabled, and every store but the built-in in-memory one.
    Key(DeliveryKey),
    /// The first 128 bits a verified signature encodes: only ever held by the in-memory store.
    Signature([u8; 16]),
}

impl ClaimKey {
    /// The in-memory claim of a request verified by `signature` (base64, as verified): its first 24
    /// characters, decoded. A signature too short for that (which no digest is) gets its `DeliveryKey`.
    pub(crate) fn of_verified_signature(signature: &str) -> ClaimKey {
        let mut bits = [0; 18];
        let decoded = signature
            .get(..24)
            .map(|head| base64::engine::general_purpose::STANDARD.decode_slice(head, &mut bits));
        match decoded {
            Some(Ok(18)) => {
                let mut held = [0; 16];
                held.copy_from_slice(&bits[..16]);
                ClaimKey::Signature(held)
            }
            _ => ClaimKey::Key(DeliveryKey::of_signature(signature)),
        }
    }

    /// The 16 bytes a store holds.
    pub(crate) fn bytes(&self) -> &[u8; 16] {
        match self {
            ClaimKey::Key(key) => key.as_bytes(),
            ClaimKey::Signature(bits) => bits,
        }
    }
}

/// 32 lower-case hexadecimal digits.
impl fmt::Display for DeliveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

impl fmt::Debug for DeliveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeliveryKey({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_and_ids_never_share_keys() {
        let sig = DeliveryKey::of_signature("abc");
        assert_eq!(sig, DeliveryKey::of_signature("abc"));
        assert_ne!(sig, DeliveryKey::of_signature("abd"));
        assert_ne!(sig, DeliveryKey::of_id(None, None, "abc"));
        assert_eq!(sig.to_string().len(), 32);
        assert!(sig.to_string().bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }

    #[test]
    fn in_memory_a_verified_signature_is_held_by_its_own_first_bits() {
        // 20 bytes of HMAC-SHA1 and 32 of HMAC-SHA256, base64: the claim holds the first 16 of each.
        for digest in [(1..=20).collect::<Vec<u8>>(), (101..=132).collect()] {
            let signature = base64::engine::general_purpose::STANDARD.encode(&digest);
            let held = ClaimKey::of_verified_signature(&signature);
            assert_eq!(held, ClaimKey::Signature(digest[..16].try_into().unwrap()));
            assert_eq!(held.bytes()[..], digest[..16]);
        }
        // The 20th and 21st characters carry bits 115 to 126: a signature that differs there is another
        // claim. The 24th carries bits 139 to 144, beyond those held.
        let one = ClaimKey::of_verified_signature("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assert_ne!(one, ClaimKey::of_verified_signature("RSOYDt4T1cUTdK1PDd9x/VVr8B8="));
        assert_ne!(one, ClaimKey::of_verified_signature("RSOYDt4T1cUTdK1PDd93+VVr8B8="));
        assert_eq!(one, ClaimKey::of_verified_signature("RSOYDt4T1cUTdK1PDd93/VVs8B8="));
        // What no digest encodes to falls back to the key, without a panic.
        for odd in ["", "c2lnLTE=", "RSOYDt4T1cUTdK1PDd93/VV!8B8=", "é".repeat(20).as_str()] {
            assert_eq!(ClaimKey::of_verified_signature(odd), ClaimKey::Key(DeliveryKey::of_signature(odd)));
        }
        assert_eq!(ClaimKey::Key(DeliveryKey::from_bytes([7; 16])).bytes(), &[7; 16]);
    }

    #[test]
    fn ids_are_namespaced_by_the_verified_account_and_key() {
        let id = "EZ00000000000000000000000000000001";
        let a = DeliveryKey::of_id(Some("AC01"), None, id);
        assert_eq!(a, DeliveryKey::of_id(Some("AC01"), None, id));
        assert_ne!(a, DeliveryKey::of_id(Some("AC02"), None, id));
        assert_ne!(a, DeliveryKey::of_id(None, None, id));
        assert_ne!(a, DeliveryKey::of_id(Some("AC01"), Some("k1"), id));
        // Lengths separate the parts: moving bytes from one part to the next changes the key.
        assert_ne!(
            DeliveryKey::of_id(Some("AC0"), Some("1k"), id),
            DeliveryKey::of_id(Some("AC01"), Some("k"), id)
        );
    }
}
