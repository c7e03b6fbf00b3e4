//! The keyed HMAC state, and the base64 signature it produces, kept on the stack.

use base64::Engine as _;
use hmac::digest::Update;
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

    /// Hashes `data` (tests compare [`KeyedMac::sign`] with this plain use).
    #[cfg(test)]
    fn update(&mut self, data: &[u8]) {
        match self {
            KeyedMac::Sha1(m) => Mac::update(m, data),
            KeyedMac::Sha256(m) => Mac::update(m, data),
        }
    }

    /// Finishes the HMAC (tests compare [`KeyedMac::sign`] with this plain use).
    #[cfg(test)]
    fn finalize(self) -> EncodedSignature {
        match self {
            KeyedMac::Sha1(m) => finish(m),
            KeyedMac::Sha256(m) => finish(m),
        }
    }
}

impl KeyedMac {
    /// The signature of the string `pieces` writes, piece by piece, into a [`Pieces`].
    ///
    /// The state keyed once is copied, the pieces gathered in a stack buffer, and the hash sees a few large
    /// slices: a call to `update` per piece costs more than hashing the piece. The algorithm is matched
    /// once, here: what follows is compiled for each hash, with no state moved between calls.
    #[inline]
    pub(crate) fn sign(&self, pieces: impl FnOnce(&mut Pieces<'_>)) -> EncodedSignature {
        match self {
            KeyedMac::Sha1(keyed) => sign_with(keyed, pieces),
            KeyedMac::Sha256(keyed) => sign_with(keyed, pieces),
        }
    }
}

#[inline(always)]
fn sign_with<M>(keyed: &M, pieces: impl FnOnce(&mut Pieces<'_>)) -> EncodedSignature
where
    M: Mac + Update + Clone,
{
    let mut mac = keyed.clone();
    let mut buf = [0; Pieces::CAPACITY];
    let mut out = Pieces { mac: &mut mac, buf: &mut buf, len: 0 };
    pieces(&mut out);
    let len = out.len;
    Mac::update(&mut mac, &buf[..len]);
    finish(mac)
}

/// Finishes the HMAC and base64-encodes it (standard alphabet, padded), without allocating.
#[inline(always)]
fn finish(mac: impl Mac) -> EncodedSignature {
    let mut encoded = EncodedSignature { buf: [0; 44], len: 0 };
    encoded.len = encode(&mac.finalize().into_bytes(), &mut encoded.buf);
    encoded
}

/// The many short pieces of a signed string (the URL, then each name and value, often a few bytes long),
/// on their way to the HMAC through a stack buffer. Its length lives in a local, not behind a pointer, so
/// the copies do not wait on each other through memory.
/// The HMAC is reached through `dyn Update` only when the buffer overflows (cold).
pub(crate) struct Pieces<'m> {
    mac: &'m mut dyn Update,
    buf: &'m mut [u8; Pieces::CAPACITY],
    len: usize,
}

impl Pieces<'_> {
    /// A multiple of both block sizes (64 bytes), so full buffers hash without re-buffering.
    const CAPACITY: usize = 512;

    /// Appends `data` to the signed string.
    #[inline(always)]
    pub(crate) fn write(&mut self, data: &str) {
        let data = data.as_bytes();
        match self.buf.get_mut(self.len..self.len + data.len()) {
            Some(free) => {
                copy_short(free, data);
                self.len += data.len();
            }
            None => self.len = overflow(self.mac, self.buf, self.len, data),
        }
    }
}

/// [`Pieces::write`] when `data` does not fit in what is left of the buffer: hashes the buffer's `len`
/// bytes, then buffers `data` (or hashes it too, when it is larger than the buffer). Returns the new length.
#[cold]
#[inline(never)]
fn overflow(mac: &mut dyn Update, buf: &mut [u8; Pieces::CAPACITY], len: usize, data: &[u8]) -> usize {
    mac.update(&buf[..len]);
    if data.len() < Pieces::CAPACITY {
        buf[..data.len()].copy_from_slice(data);
        data.len()
    } else {
        mac.update(data);
        0
    }
}

/// `dst.copy_from_slice(src)`, with the short lengths of names and values copied by a few fixed-size moves
/// (two overlapping ones) instead of a call to `memcpy`, which costs more than the copy itself.
#[inline(always)]
fn copy_short(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    match n {
        0 => {}
        1..=3 => {
            dst[0] = src[0];
            dst[n / 2] = src[n / 2];
            dst[n - 1] = src[n - 1];
        }
        4..=7 => {
            dst[..4].copy_from_slice(&src[..4]);
            dst[n - 4..n].copy_from_slice(&src[n - 4..]);
        }
        8..=15 => {
            dst[..8].copy_from_slice(&src[..8]);
            dst[n - 8..n].copy_from_slice(&src[n - 8..]);
        }
        16..=32 => {
            dst[..16].copy_from_slice(&src[..16]);
            dst[n - 16..n].copy_from_slice(&src[n - 16..]);
        }
        // A SID (34 characters), a message body.
        33..=64 => {
            dst[..32].copy_from_slice(&src[..32]);
            dst[n - 32..n].copy_from_slice(&src[n - 32..]);
        }
        _ => dst.copy_from_slice(src),
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
    ///
    /// The bytes' differences are OR-ed together without branching, and only that one byte goes through
    /// `subtle`'s optimisation barrier (`subtle`'s slice comparison puts every byte through it, which costs
    /// more than the base64 encoding).
    #[inline]
    pub(crate) fn ct_eq(&self, received: &str) -> bool {
        let (ours, theirs) = (&self.buf[..self.len], received.as_bytes());
        if ours.len() != theirs.len() {
            return false;
        }
        let diff = ours.iter().zip(theirs).fold(0u8, |acc, (a, b)| acc | (a ^ b));
        diff.ct_eq(&0).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffering_does_not_change_the_mac() {
        let data: Vec<String> = (0..300).map(|i| "x".repeat(i % 37) + &i.to_string()).collect();
        let long = "y".repeat(2000);
        for algorithm in [Algorithm::HmacSha1, Algorithm::HmacSha256] {
            let keyed = KeyedMac::new(algorithm, b"key");
            let mut plain = keyed.clone();
            // Short pieces, pieces straddling the buffer's end, one larger than the buffer, empty ones.
            let pieces = || data.iter().map(String::as_str).chain(["", long.as_str(), "", "z"]);
            for piece in pieces() {
                plain.update(piece.as_bytes());
            }
            let buffered = keyed.sign(|out| pieces().for_each(|piece| out.write(piece)));
            assert_eq!(plain.finalize().as_str(), buffered.as_str());
        }
    }

    #[test]
    fn short_copies_are_exact() {
        for n in 0..=70 {
            let src: Vec<u8> = (1..=n as u8).collect();
            let mut dst = vec![0u8; n];
            copy_short(&mut dst, &src);
            assert_eq!(dst, src, "{n}");
        }
    }

    #[test]
    fn compares_exactly() {
        let sig = KeyedMac::new(Algorithm::HmacSha1, b"k").finalize();
        let text = sig.as_str().to_owned();
        assert!(sig.ct_eq(&text));
        assert!(!sig.ct_eq(&text[1..]));
        assert!(!sig.ct_eq(&format!("{text}=")));
        assert!(!sig.ct_eq(""));
        for i in 0..text.len() {
            for replacement in ["A", "a", "=", "\0", "\u{80}"] {
                let changed = format!("{}{replacement}{}", &text[..i], &text[i + 1..]);
                assert_eq!(sig.ct_eq(&changed), changed == text, "{changed}");
            }
        }
    }
}
