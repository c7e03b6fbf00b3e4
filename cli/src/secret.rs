//! Where the Auth Token comes from: an environment variable or a file, never a command-line value
//! (arguments are visible to every user through `ps`).

use std::fmt;
use std::io::Read;
use std::path::Path;

use rocket_twilio::normalize_secret;

use crate::error::CliError;

/// The environment variable holding the primary Auth Token (or a Webhooks Shared Key secret).
pub(crate) const TOKEN_ENV: &str = "TWILIO_AUTH_TOKEN";
/// The environment variable holding the secondary Auth Token (`explain` only).
pub(crate) const SECONDARY_TOKEN_ENV: &str = "TWILIO_AUTH_TOKEN_SECONDARY";

/// A secret's bytes. `Debug` never shows them, and nothing in this crate prints them.
#[derive(Clone)]
pub(crate) struct Secret(Vec<u8>);

impl Secret {
    /// The secret's bytes, for keying an HMAC.
    pub(crate) fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Checks and wraps a secret read from `source` (named in error messages), with the server's rule
    /// ([`normalize_secret`]): a leading byte order mark and surrounding whitespace (a file's line ending)
    /// are dropped, and an empty or all-NUL key is refused.
    fn new(bytes: Vec<u8>, source: &str) -> Result<Self, CliError> {
        match normalize_secret(&bytes) {
            Ok(secret) => Ok(Secret(secret.to_vec())),
            Err(_) => Err(CliError::usage(format!(
                "{source} is empty (or only whitespace or NUL bytes): such a key would make every signature \
                 forgeable"
            ))),
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Reads a secret from `file` (`-` is standard input) when given, else from the environment variable `env`.
///
/// Returns `Ok(None)` when neither is set.
fn read(file: Option<&Path>, env: &str) -> Result<Option<Secret>, CliError> {
    if let Some(path) = file {
        let (bytes, source) = if path == Path::new("-") {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| CliError::usage(format!("cannot read the token from standard input: {e}")))?;
            (buf, "the token read from standard input".to_owned())
        } else {
            let bytes = std::fs::read(path)
                .map_err(|e| CliError::usage(format!("cannot read token file {}: {e}", path.display())))?;
            (bytes, format!("token file {}", path.display()))
        };
        return Secret::new(bytes, &source).map(Some);
    }
    match std::env::var_os(env) {
        None => Ok(None),
        Some(value) => {
            let value =
                value.into_string().map_err(|_| CliError::usage(format!("{env} is not valid UTF-8")))?;
            Secret::new(value.into_bytes(), env).map(Some)
        }
    }
}

/// The primary secret: from `file` if given, else `TWILIO_AUTH_TOKEN`. Required.
pub(crate) fn primary(file: Option<&Path>) -> Result<Secret, CliError> {
    read(file, TOKEN_ENV)?.ok_or_else(|| {
        CliError::usage(format!(
            "no auth token: set {TOKEN_ENV} or pass --auth-token-file FILE \
             (never on the command line, where `ps` shows it)"
        ))
    })
}

/// The secondary Auth Token: from `file` if given, else `TWILIO_AUTH_TOKEN_SECONDARY`. Optional.
pub(crate) fn secondary(file: Option<&Path>) -> Result<Option<Secret>, CliError> {
    read(file, SECONDARY_TOKEN_ENV)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_the_hmac_like_the_server() {
        for (given, key) in [
            (&b"abc\n"[..], &b"abc"[..]),
            (b"abc\r\n", b"abc"),
            (b"abc\n\n", b"abc"),
            (b"abc", b"abc"),
            (b" abc \t", b"abc"),
            (b"\xEF\xBB\xBFabc\n", b"abc"),
        ] {
            assert_eq!(Secret::new(given.to_vec(), "t").unwrap().expose(), key, "{given:?}");
            assert_eq!(normalize_secret(given), Ok(key), "the server's rule: {given:?}");
        }
    }

    #[test]
    fn refuses_empty_and_all_nul_secrets() {
        for empty in [&b""[..], b"\n", b"\r\n", b"  \t\n", b"\0\n", b"\xEF\xBB\xBF\n", b"\0\0"] {
            let err = Secret::new(empty.to_vec(), "token file x").unwrap_err();
            assert!(err.to_string().contains("token file x is empty"), "{err}");
        }
    }

    #[test]
    fn debug_is_redacted() {
        let s = Secret::new(b"hunter2".to_vec(), "t").unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
