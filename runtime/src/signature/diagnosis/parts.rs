//! [`UrlParts`]: a webhook URL split into its parts, each exactly as written.

use std::fmt;

use crate::signature::url::{self, authority};

/// A webhook URL (`http`, `https`, `ws` or `wss`) split into its parts without any normalisation, so that
/// it can be rebuilt byte for byte: a signature covers the URL exactly as Twilio wrote it, so general URL
/// parsers (which lower-case hosts, re-encode paths and drop default ports) cannot build the variants
/// [`diagnose`](super::diagnose) tries.
///
/// The split is the one the signature core uses for the port toggle (`urllib.parse.urlsplit`'s).
///
/// ```
/// use rocket_twilio::diagnosis::UrlParts;
///
/// let url = UrlParts::parse("https://user:pw@Example.com:8443/api/sms?a=1")?;
/// assert_eq!((url.scheme(), url.host(), url.port()), ("https", "Example.com", Some("8443")));
/// assert_eq!((url.path(), url.query()), ("/api/sms", Some("a=1")));
/// assert_eq!(url.origin(), "https://Example.com:8443");
/// assert_eq!(url.without_userinfo().to_string(), "https://Example.com:8443/api/sms?a=1");
/// assert_eq!(url.to_string(), "https://user:pw@Example.com:8443/api/sms?a=1");
/// # Ok::<(), rocket_twilio::diagnosis::UrlError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlParts {
    pub(crate) scheme: String,
    pub(crate) userinfo: Option<String>,
    pub(crate) host: String,
    pub(crate) port: Option<String>,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) fragment: Option<String>,
}

/// Why a string is not a webhook URL (or a `host[:port]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlError(String);

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UrlError {}

impl UrlError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        UrlError(message.into())
    }
}

fn error(message: impl Into<String>) -> UrlError {
    UrlError::new(message)
}

impl UrlParts {
    /// Splits an absolute `http(s)://` or `ws(s)://` URL, refusing what Twilio could never have called:
    /// another scheme, no host, an invalid port, spaces or control characters.
    pub fn parse(url: &str) -> Result<Self, UrlError> {
        if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(error(format!(
                "the URL contains {c:?}: a URL Twilio calls has no spaces or control characters \
                 (percent-encode them, e.g. %20)"
            )));
        }
        let Some(auth) = authority(url) else {
            if url.contains("://[") {
                return Err(error("unclosed `[` in the URL's host"));
            }
            return Err(error("expected an absolute URL such as https://example.com/sms"));
        };
        let scheme = auth.scheme;
        if !["http", "https", "ws", "wss"].iter().any(|s| scheme.eq_ignore_ascii_case(s)) {
            return Err(error(format!("unsupported scheme `{scheme}`: expected http, https, ws or wss")));
        }
        let netloc_start = scheme.len() + 3;
        let userinfo =
            (auth.host_start > netloc_start).then(|| url[netloc_start..auth.host_start - 1].to_owned());
        let host = &url[auth.host_start..auth.host_end];
        if host.is_empty() {
            return Err(error("the URL has no host"));
        }
        let port = match &url[auth.host_end..auth.port_end] {
            "" => None,
            rest => {
                let Some(digits) = rest.strip_prefix(':') else {
                    return Err(error(format!("unexpected `{rest}` after host `{host}`")));
                };
                if digits.is_empty() {
                    return Err(error(format!("its port is empty (`{host}:`)")));
                }
                if !url::is_port(digits) {
                    return Err(error(format!("invalid port `{digits}`: expected a number from 0 to 65535")));
                }
                Some(digits.to_owned())
            }
        };
        let after = &url[auth.port_end..];
        let (before_fragment, fragment) = match after.split_once('#') {
            Some((b, f)) => (b, Some(f.to_owned())),
            None => (after, None),
        };
        let (path, query) = match before_fragment.split_once('?') {
            Some((p, q)) => (p, Some(q.to_owned())),
            None => (before_fragment, None),
        };
        Ok(UrlParts {
            scheme: scheme.to_owned(),
            userinfo,
            host: host.to_owned(),
            port,
            path: path.to_owned(),
            query,
            fragment,
        })
    }

    /// Splits `host[:port]` (an IPv6 host in brackets), checking the port: a `Host` header's value, or a
    /// host a proxy forwarded.
    pub fn parse_host(hostport: &str) -> Result<(String, Option<String>), UrlError> {
        let parsed = UrlParts::parse(&format!("http://{hostport}"))
            .map_err(|e| error(format!("`{hostport}` is not a host[:port]: {e}")))?;
        if parsed.userinfo.is_some()
            || !parsed.path.is_empty()
            || parsed.query.is_some()
            || parsed.fragment.is_some()
        {
            return Err(error(format!("`{hostport}` is not a host[:port]")));
        }
        Ok((parsed.host, parsed.port))
    }

    /// Why this URL cannot be a `twilio.base_url`, the public URL prefix the guard rebuilds each request's
    /// URL from, or `None` if it can: one rule for the configuration, which refuses such a `base_url` at
    /// launch ([`base_url_refusal`]), and for the diagnosis, which never advises one.
    pub(crate) fn base_url_refusal(&self) -> Option<&'static str> {
        if !["http", "https"].iter().any(|s| self.scheme.eq_ignore_ascii_case(s)) {
            return Some(HTTP_ONLY);
        }
        if self.userinfo.is_some() {
            return Some(
                "it must not have credentials (user:pass@): Twilio leaves them out of the URL it signs",
            );
        }
        if self.port.as_deref().and_then(|p| p.parse::<u16>().ok()) == Some(0) {
            return Some("port 0 is not a port");
        }
        if self.query.is_some() || self.fragment.is_some() {
            return Some("it must not have a query or fragment");
        }
        None
    }

    /// The scheme, in the case it was written.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// `user:pass` before the `@`, if any.
    pub fn userinfo(&self) -> Option<&str> {
        self.userinfo.as_deref()
    }

    /// The host, with brackets for IPv6.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port's digits, when the URL has a `:port`.
    pub fn port(&self) -> Option<&str> {
        self.port.as_deref()
    }

    /// The path, possibly empty (`https://h`), otherwise starting with `/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query without its `?`; `Some("")` for a bare `?`.
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// The fragment without its `#`.
    pub fn fragment(&self) -> Option<&str> {
        self.fragment.as_deref()
    }

    /// Whether the scheme is a TLS one (`https`, `wss`).
    pub fn is_secure(&self) -> bool {
        self.default_port() == "443"
    }

    /// The port used when the URL names none: `443` for `https` and `wss`, `80` otherwise.
    pub fn default_port(&self) -> &'static str {
        &url::default_port_suffix(&self.scheme)[1..]
    }

    /// `scheme://host[:port]`, without userinfo: what a `base_url` setting starts with.
    pub fn origin(&self) -> String {
        let mut s = format!("{}://{}", self.scheme, self.host);
        if let Some(port) = &self.port {
            s.push(':');
            s.push_str(port);
        }
        s
    }

    /// The path and query (`/sms?x=1`), what a request line carries.
    pub fn target(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }

    /// The URL without `user:pass@`. Twilio's documentation says it leaves them out of the URL it signs
    /// (and authenticates with them instead).
    pub fn without_userinfo(&self) -> UrlParts {
        UrlParts { userinfo: None, ..self.clone() }
    }

    /// Whether the query carries a non-empty `bodySHA256` (as the core reads it).
    pub fn has_body_sha256(&self) -> bool {
        url::has_body_sha256(&self.to_string())
    }
}

impl fmt::Display for UrlParts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.scheme)?;
        if let Some(userinfo) = &self.userinfo {
            write!(f, "{userinfo}@")?;
        }
        f.write_str(&self.host)?;
        if let Some(port) = &self.port {
            write!(f, ":{port}")?;
        }
        f.write_str(&self.path)?;
        if let Some(query) = &self.query {
            write!(f, "?{query}")?;
        }
        if let Some(fragment) = &self.fragment {
            write!(f, "#{fragment}")?;
        }
        Ok(())
    }
}

/// Why the string `url` cannot be a `twilio.base_url`, or `None` if it can: [`UrlParts::base_url_refusal`]
/// once it is split, and first of all an `http` or `https` scheme (a WebSocket URL, which [`UrlParts`]
/// also splits, is never a `base_url`).
// Used by the configuration (feature `rocket`); tested here, in the core.
#[cfg_attr(not(feature = "rocket"), allow(dead_code))]
pub(crate) fn base_url_refusal(url: &str) -> Option<String> {
    let scheme = url.split_once("://").map_or("", |(scheme, _)| scheme);
    if !["http", "https"].iter().any(|s| scheme.eq_ignore_ascii_case(s)) {
        return Some(HTTP_ONLY.to_owned());
    }
    match UrlParts::parse(url) {
        Ok(parts) => parts.base_url_refusal().map(str::to_owned),
        Err(e) => Some(e.to_string()),
    }
}

const HTTP_ONLY: &str = "the scheme must be http or https";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_byte_for_byte() {
        for url in [
            "https://example.com/sms",
            "HTTPS://Example.COM:8443/a/b/?x=1&y=%20#frag",
            "http://user:p%40ss@h:80",
            "https://h?",
            "https://h/#",
            "wss://[::1]:8080/stream?",
            "https://h/a;b?c=d",
            "https://a@b@h/x",
        ] {
            assert_eq!(UrlParts::parse(url).unwrap().to_string(), url);
        }
    }

    #[test]
    fn splits_the_parts() {
        let u = UrlParts::parse("https://u:p@Example.com:8443/api/sms?a=1#f").unwrap();
        assert_eq!(u.userinfo(), Some("u:p"));
        assert_eq!(u.host(), "Example.com");
        assert_eq!(u.port(), Some("8443"));
        assert_eq!(u.path(), "/api/sms");
        assert_eq!(u.query(), Some("a=1"));
        assert_eq!(u.fragment(), Some("f"));
        assert_eq!(u.origin(), "https://Example.com:8443");
        assert_eq!(u.target(), "/api/sms?a=1");
        let v6 = UrlParts::parse("http://[::1]/x").unwrap();
        assert_eq!((v6.host(), v6.port()), ("[::1]", None));
        assert_eq!(UrlParts::parse("https://@h/x").unwrap().userinfo(), Some(""));
        assert!(UrlParts::parse("wss://h/x").unwrap().is_secure());
        assert_eq!(UrlParts::parse("ws://h/x").unwrap().default_port(), "80");
    }

    #[test]
    fn refuses_what_twilio_cannot_call() {
        for (url, why) in [
            ("example.com/sms", "absolute URL"),
            ("ftp://h/x", "unsupported scheme"),
            ("https:///x", "no host"),
            ("https://h:/x", "port is empty"),
            ("https://h:99999/x", "invalid port"),
            ("https://h:8o/x", "invalid port"),
            ("https://[::1/x", "unclosed"),
            ("https://[::1]x/y", "unexpected"),
            ("https://h/a b", "contains ' '"),
            ("https://h/a\n", "contains '\\n'"),
            ("", "absolute URL"),
        ] {
            let err = UrlParts::parse(url).unwrap_err().to_string();
            assert!(err.contains(why), "{url}: {err}");
        }
    }

    #[test]
    fn the_base_url_rule() {
        let refusal = |url: &str| UrlParts::parse(url).unwrap().base_url_refusal();
        for good in ["https://example.com", "HTTP://h:8080/app/", "http://[::1]:8000/app", "https://h/a@b"] {
            assert_eq!(refusal(good), None, "{good}");
        }
        for (bad, why) in [
            ("wss://h/app", "scheme"),
            ("https://u:p@h", "credentials"),
            ("https://@h", "credentials"),
            ("https://h:0", "port 0"),
            ("https://h:00/app", "port 0"),
            ("https://h/?", "query"),
            ("https://h/app?a=1", "query"),
            ("https://h/#", "fragment"),
        ] {
            assert!(refusal(bad).is_some_and(|r| r.contains(why)), "{bad}: {:?}", refusal(bad));
            assert_eq!(base_url_refusal(bad).as_deref(), refusal(bad), "{bad}");
        }
        assert_eq!(base_url_refusal("https://example.com/app"), None);
        for (bad, why) in [
            ("ftp://example.com", "http or https"),
            ("example.com", "http or https"),
            ("https://example.com:", "port is empty"),
            ("https://example.com:/app", "port is empty"),
            ("https://", "no host"),
        ] {
            assert!(
                base_url_refusal(bad).is_some_and(|r| r.contains(why)),
                "{bad}: {:?}",
                base_url_refusal(bad)
            );
        }
    }

    #[test]
    fn hosts_with_and_without_ports() {
        assert_eq!(UrlParts::parse_host("example.com"), Ok(("example.com".into(), None)));
        assert_eq!(UrlParts::parse_host("example.com:8443"), Ok(("example.com".into(), Some("8443".into()))));
        assert_eq!(UrlParts::parse_host("[::1]:80"), Ok(("[::1]".into(), Some("80".into()))));
        for bad in ["", "h:port", "u@h", "h/x", "h?q", "a b", "h:"] {
            assert!(UrlParts::parse_host(bad).is_err(), "{bad:?}");
        }
    }
}
