//! [`DeliveryKey`]: what identifies a delivery, computed from signed material only.

use std::fmt;

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
    pub(crate) fn of_signature(signature: &[u8]) -> DeliveryKey {
        // A tag byte, then the signature: unambiguous, as ids are hashed with tag `i` and length prefixes.
        let mut hash = Sha256::new();
        hash.update(DOMAIN);
        hash.update(b"s");
        hash.update(signature);
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

/// What a claim is made under in a store: a [`DeliveryKey`], or, in the built-in in-memory store, the
/// verified signature itself.
///
/// The signature is an HMAC under a secret: its bits are as unguessable and as collision-free as a digest
/// of them, so the in-memory store, which never shows its keys to anyone, holds the signature's first 24
/// characters (144 bits) as they are, and saves both the SHA-256 of [`DeliveryKey::of_signature`] and a
/// base64 decoding (56–61 ns a request with the CPU's SHA extensions, 3 378 instructions without;
/// docs/PERFORMANCE.md). The
/// `DeliveryKey`, which is printed and sent to Redis and must not carry the signature, is computed only
/// when asked for ([`Delivery::key`](crate::Delivery::key)).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClaimKey {
    /// Ids, requests keyed with validation disabled, and every store but the built-in in-memory one.
    Key(DeliveryKey),
    /// The first 24 characters of a verified signature (base64): only ever held by the in-memory store.
    Signature([u8; 24]),
}

impl ClaimKey {
    /// The in-memory claim of a request verified by `signature` (base64 of a 20- or 32-byte digest, 28 or
    /// 44 characters). A signature shorter than 24 characters (which no digest's is) gets its `DeliveryKey`.
    pub(crate) fn of_verified_signature(signature: &[u8]) -> ClaimKey {
        match signature.first_chunk::<24>() {
            Some(head) => ClaimKey::Signature(*head),
            None => ClaimKey::Key(DeliveryKey::of_signature(signature)),
        }
    }

    /// The 24 bytes the in-memory store holds: the signature's characters, or the key followed by eight
    /// zero bytes. Base64 has no zero byte, so the two kinds never meet.
    pub(crate) fn held(&self) -> [u8; 24] {
        match self {
            ClaimKey::Key(key) => {
                let mut held = [0; 24];
                held[..16].copy_from_slice(key.as_bytes());
                held
            }
            ClaimKey::Signature(head) => *head,
        }
    }
}

/// The key, or `Signature(<redacted>)`: a verified signature is what the secret produced, and is never
/// printed.
impl fmt::Debug for ClaimKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClaimKey::Key(key) => write!(f, "Key({key})"),
            ClaimKey::Signature(_) => f.write_str("Signature(<redacted>)"),
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
        let sig = DeliveryKey::of_signature(b"abc");
        assert_eq!(sig, DeliveryKey::of_signature(b"abc"));
        assert_ne!(sig, DeliveryKey::of_signature(b"abd"));
        assert_ne!(sig, DeliveryKey::of_id(None, None, "abc"));
        assert_eq!(sig.to_string().len(), 32);
        assert!(sig.to_string().bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }

    #[test]
    fn in_memory_a_verified_signature_is_held_as_it_is() {
        // HMAC-SHA1 and HMAC-SHA256 signatures: the claim holds their first 24 characters.
        for signature in ["RSOYDt4T1cUTdK1PDd93/VVr8B8=", "UZP/Vg9ERzYDHfqdiJXWg6PILhQThyA2PUsdrx6Czpk="] {
            let held = ClaimKey::of_verified_signature(signature.as_bytes());
            assert_eq!(held, ClaimKey::Signature(signature.as_bytes()[..24].try_into().unwrap()));
            assert_eq!(held.held()[..], signature.as_bytes()[..24]);
        }
        // The 24th character counts (bits 139 to 144); the 25th does not.
        let one = ClaimKey::of_verified_signature(b"RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assert_ne!(one, ClaimKey::of_verified_signature(b"RSOYDt4T1cUTdK1PDd93/VVs8B8="));
        assert_eq!(one, ClaimKey::of_verified_signature(b"RSOYDt4T1cUTdK1PDd93/VVr9B8="));
        // Shorter than any digest's: the key, without a panic.
        for odd in ["", "c2lnLTE=", &"x".repeat(23)] {
            let odd = odd.as_bytes();
            assert_eq!(ClaimKey::of_verified_signature(odd), ClaimKey::Key(DeliveryKey::of_signature(odd)));
        }
        // Debug output never shows the signature.
        assert_eq!(format!("{one:?}"), "Signature(<redacted>)");
        assert_eq!(
            format!("{:?}", ClaimKey::Key(DeliveryKey::from_bytes([1; 16]))),
            format!("Key({})", "01".repeat(16))
        );
        // A key is held followed by zeros, which no signature has.
        let key = ClaimKey::Key(DeliveryKey::from_bytes([7; 16])).held();
        assert_eq!((&key[..16], &key[16..]), (&[7; 16][..], &[0; 8][..]));
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
