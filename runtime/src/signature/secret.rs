//! The one rule for turning a configured secret into an HMAC key, shared by the [`Keyring`] (and so by the
//! Rocket guard) and by the `twilio-webhook` CLI.
//!
//! [`Keyring`]: crate::Keyring

use super::KeyringError;

/// The UTF-8 byte order mark some editors put at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The HMAC key a configured secret stands for, or why it cannot be one.
///
/// Secrets arrive from files, environment variables and TOML strings, which add what is never part of a
/// Twilio secret: a line ending (`echo token > file`), surrounding spaces, a leading UTF-8 byte order mark.
/// Twilio's Auth Tokens are 32 hexadecimal digits and its shared key secrets have no whitespace either, so
/// the rule is:
///
/// 1. drop one leading UTF-8 byte order mark;
/// 2. trim ASCII whitespace (spaces, tabs, CR, LF, form feeds) at both ends;
/// 3. refuse what is left if it is empty or all NUL bytes: HMAC pads short keys with zeros, so such a key
///    signs exactly like the empty key, which anyone can use.
///
/// [`Keyring`](crate::Keyring) applies it to every secret it is given, and `twilio-webhook` to the tokens
/// it reads, so the server and the CLI always key the HMAC with the same bytes.
///
/// ```
/// use rocket_twilio::normalize_secret;
///
/// assert_eq!(normalize_secret(b"0123abcd\n")?, b"0123abcd");
/// assert_eq!(normalize_secret(b"\xEF\xBB\xBF 0123abcd \r\n")?, b"0123abcd");
/// assert!(normalize_secret(b" \t\n").is_err());
/// assert!(normalize_secret(b"\0\n").is_err());
/// # Ok::<(), rocket_twilio::KeyringError>(())
/// ```
pub fn normalize_secret(secret: &[u8]) -> Result<&[u8], KeyringError> {
    normalize(secret, "secret")
}

/// [`normalize_secret`], naming the secret in the error.
pub(crate) fn normalize<'s>(secret: &'s [u8], what: &'static str) -> Result<&'s [u8], KeyringError> {
    let secret = secret.strip_prefix(BOM).unwrap_or(secret).trim_ascii();
    if secret.iter().all(|&b| b == 0) {
        return Err(KeyringError::EmptySecret { what });
    }
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_what_files_and_editors_add() {
        assert_eq!(normalize_secret(b"abc"), Ok(&b"abc"[..]));
        assert_eq!(normalize_secret(b"  abc\t\r\n"), Ok(&b"abc"[..]));
        assert_eq!(normalize_secret(b"\xEF\xBB\xBFabc\n"), Ok(&b"abc"[..]));
        // Only one BOM, only at the start, and inner whitespace is kept.
        assert_eq!(normalize_secret(b"\xEF\xBB\xBF\xEF\xBB\xBFa"), Ok(&b"\xEF\xBB\xBFa"[..]));
        assert_eq!(normalize_secret(b"a\xEF\xBB\xBF"), Ok(&b"a\xEF\xBB\xBF"[..]));
        assert_eq!(normalize_secret(b"a b"), Ok(&b"a b"[..]));
        // A NUL is not whitespace: a key that merely contains one is kept as it is.
        assert_eq!(normalize_secret(b"\0a"), Ok(&b"\0a"[..]));
    }

    #[test]
    fn refuses_keys_that_sign_like_the_empty_key() {
        for bad in
            [&b""[..], b" ", b"\n", b"\r\n", b"\xEF\xBB\xBF", b"\xEF\xBB\xBF \n", b"\0", b"\0\0\n", b" \0 "]
        {
            assert_eq!(
                normalize(bad, "primary auth token"),
                Err(KeyringError::EmptySecret { what: "primary auth token" }),
                "{bad:?}"
            );
        }
    }
}
