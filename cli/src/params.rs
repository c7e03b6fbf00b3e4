//! Request parameters given as `NAME=VALUE`, and credentials given as `USER:PASS`.

/// One POST (or query) parameter, exactly as given: no percent-decoding, no trimming.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Param {
    /// The parameter name (never empty).
    pub(crate) name: String,
    /// The value (may be empty: Twilio signs `Name` + `""`).
    pub(crate) value: String,
}

/// Parses `NAME=VALUE`, splitting at the first `=`; the value may be empty or contain `=`.
pub(crate) fn parse_param(arg: &str) -> Result<Param, String> {
    match arg.split_once('=') {
        Some(("", _)) => Err(format!("`{arg}` has an empty name: expected NAME=VALUE")),
        Some((name, value)) => Ok(Param { name: name.to_owned(), value: value.to_owned() }),
        None => Err(format!("`{arg}` has no `=`: expected NAME=VALUE (use NAME= for an empty value)")),
    }
}

/// The pairs as `(&str, &str)`, for the signature functions.
pub(crate) fn pairs(params: &[Param]) -> impl Iterator<Item = (&str, &str)> + Clone {
    params.iter().map(|p| (p.name.as_str(), p.value.as_str()))
}

/// `application/x-www-form-urlencoded` encoding of the parameters, in the order given.
pub(crate) fn form_encode(params: &[Param]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs(params)).finish()
}

/// HTTP credentials for the webhook itself (`--basic` / `--digest`).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Credentials {
    /// User name (may not contain `:`).
    pub(crate) user: String,
    /// Password (anything after the first `:`).
    pub(crate) password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("user", &self.user).field("password", &"<redacted>").finish()
    }
}

/// Parses `USER:PASS`, splitting at the first `:`.
pub(crate) fn parse_credentials(arg: &str) -> Result<Credentials, String> {
    match arg.split_once(':') {
        Some(("", _)) => Err("the user name is empty: expected USER:PASS".to_owned()),
        Some((user, password)) => Ok(Credentials { user: user.to_owned(), password: password.to_owned() }),
        None => Err("expected USER:PASS".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_first_equals_sign() {
        assert_eq!(parse_param("Body=a=b"), Ok(Param { name: "Body".into(), value: "a=b".into() }));
        assert_eq!(parse_param("Body="), Ok(Param { name: "Body".into(), value: String::new() }));
        assert_eq!(parse_param("Body= x "), Ok(Param { name: "Body".into(), value: " x ".into() }));
        assert!(parse_param("Body").unwrap_err().contains("no `=`"));
        assert!(parse_param("=x").unwrap_err().contains("empty name"));
    }

    #[test]
    fn form_encoding_escapes_reserved_characters() {
        let p = [parse_param("From=+1 555").unwrap(), parse_param("Body=a&b=c").unwrap()];
        assert_eq!(form_encode(&p), "From=%2B1+555&Body=a%26b%3Dc");
    }

    #[test]
    fn credentials_keep_colons_in_the_password() {
        let c = parse_credentials("user:pa:ss").unwrap();
        assert_eq!((c.user.as_str(), c.password.as_str()), ("user", "pa:ss"));
        assert!(parse_credentials("user").is_err());
        assert!(parse_credentials(":pass").is_err());
        assert!(!format!("{c:?}").contains("pa:ss"));
    }
}
