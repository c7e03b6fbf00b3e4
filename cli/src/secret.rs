//! Where the Auth Token comes from: an environment variable or a file, never a command-line value
//! (arguments are visible to every user through `ps`).

use std::fmt;
use std::io::Read;
use std::path::Path;

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

    /// Checks and wraps a secret read from `source` (named in error messages).
    fn new(mut bytes: Vec<u8>, source: &str) -> Result<Self, CliError> {
        // Files and `echo` add a line ending: it is never part of a token.
        if bytes.ends_with(b"\n") {
            bytes.pop();
            if bytes.ends_with(b"\r") {
                bytes.pop();
            }
        }
        if bytes.is_empty() || bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(CliError::usage(format!(
                "{source} is empty: an empty key would make every signature forgeable"
            )));
        }
        if bytes.first().is_some_and(u8::is_ascii_whitespace)
            || bytes.last().is_some_and(u8::is_ascii_whitespace)
        {
            eprintln!(
                "twilio-webhook: warning: {source} starts or ends with whitespace, which is part of the key"
            );
        }
        Ok(Secret(bytes))
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
    fn trims_one_line_ending_only() {
        assert_eq!(Secret::new(b"abc\n".to_vec(), "t").unwrap().expose(), b"abc");
        assert_eq!(Secret::new(b"abc\r\n".to_vec(), "t").unwrap().expose(), b"abc");
        assert_eq!(Secret::new(b"abc\n\n".to_vec(), "t").unwrap().expose(), b"abc\n");
        assert_eq!(Secret::new(b"abc".to_vec(), "t").unwrap().expose(), b"abc");
    }

    #[test]
    fn refuses_empty_secrets() {
        for empty in [&b""[..], b"\n", b"\r\n", b"  \t\n"] {
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
