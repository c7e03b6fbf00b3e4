//! The keyed HMAC state, and the base64 signature it produces, kept on the stack.

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::Algorithm;

/// An HMAC already keyed with the secret: the inner and outer pads are hashed once, at construction, and
/// every signature starts from a copy of this state.
#[derive(Clone)]
pub(crate) enum KeyedMac {
    Sha1(Hmac<Sha1>),
    Sha256(Hmac<Sha256>),
}

impl KeyedMac {
    pub(crate) fn new(algorithm: Algorithm, secret: &[u8]) -> Self {
        // HMAC accepts keys of any length, so `new_from_slice` cannot fail for it.
        const ANY_LENGTH: &str = "HMAC takes a key of any length";
        match algorithm {
            Algorithm::HmacSha1 => KeyedMac::Sha1(Hmac::new_from_slice(secret).expect(ANY_LENGTH)),
            Algorithm::HmacSha256 => KeyedMac::Sha256(Hmac::new_from_slice(secret).expect(ANY_LENGTH)),
        }
    }

    pub(crate) fn algorithm(&self) -> Algorithm {
        match self {
            KeyedMac::Sha1(_) => Algorithm::HmacSha1,
            KeyedMac::Sha256(_) => Algorithm::HmacSha256,
        }
    }

    #[inline]
    pub(crate) fn update(&mut self, data: &str) {
        match self {
            KeyedMac::Sha1(m) => m.update(data.as_bytes()),
            KeyedMac::Sha256(m) => m.update(data.as_bytes()),
        }
    }

    /// Finishes the HMAC and base64-encodes it (standard alphabet, padded), without allocating.
    pub(crate) fn finalize(self) -> EncodedSignature {
        let mut out = EncodedSignature { buf: [0; 44], len: 0 };
        let encoded = match self {
            KeyedMac::Sha1(m) => encode(&m.finalize().into_bytes(), &mut out.buf),
            KeyedMac::Sha256(m) => encode(&m.finalize().into_bytes(), &mut out.buf),
        };
        out.len = encoded;
        out
    }
}

fn encode(digest: &[u8], buf: &mut [u8; 44]) -> usize {
    // 32 bytes encode to exactly 44 characters, the largest digest here.
    base64::engine::general_purpose::STANDARD
        .encode_slice(digest, buf)
        .expect("a 20- or 32-byte digest fits 44 base64 characters")
}

/// A computed signature: base64 text held on the stack.
pub(crate) struct EncodedSignature {
    buf: [u8; 44],
    len: usize,
}

impl EncodedSignature {
    pub(crate) fn as_str(&self) -> &str {
        // The buffer holds base64 output, which is ASCII.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }

    /// Compares with a received signature in constant time. Only the length is allowed to leak; it is
    /// public anyway (28 or 44 characters).
    #[inline]
    pub(crate) fn ct_eq(&self, received: &str) -> bool {
        self.buf[..self.len].ct_eq(received.as_bytes()).into()
    }
}
