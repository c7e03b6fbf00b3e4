//! A webhook URL split into its parts without any normalisation, so that it can be rebuilt byte for byte.
//!
//! A signature covers the URL exactly as Twilio wrote it, so general-purpose URL parsers (which lower-case
//! hosts, re-encode paths and drop default ports) cannot be used to build the variants `explain` tries.

use std::fmt;

/// `scheme://[userinfo@]host[:port][path][?query][#fragment]`, each part as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct WebUrl {
    /// `http`, `https`, `ws` or `wss`, in the case it was written.
    pub(crate) scheme: String,
    /// `user:pass` before the `@`, if any.
    pub(crate) userinfo: Option<String>,
    /// The host, with brackets for IPv6.
    pub(crate) host: String,
    /// The port digits, if the URL has a `:port`.
    pub(crate) port: Option<String>,
    /// The path, possibly empty (`https://h`), otherwise starting with `/`.
    pub(crate) path: String,
    /// The query without its `?`; `Some("")` for a bare `?`.
    pub(crate) query: Option<String>,
    /// The fragment without its `#`.
    pub(crate) fragment: Option<String>,
}

impl WebUrl {
    /// Splits an absolute `http(s)://` or `ws(s)://` URL, refusing what Twilio could never have called.
    pub(crate) fn parse(url: &str) -> Result<Self, String> {
        if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!(
                "the URL contains {c:?}: a URL Twilio calls has no spaces or control characters \
                 (percent-encode them, e.g. %20)"
            ));
        }
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err("expected an absolute URL such as https://example.com/sms".to_owned());
        };
        if !["http", "https", "ws", "wss"].iter().any(|s| scheme.eq_ignore_ascii_case(s)) {
            return Err(format!("unsupported scheme `{scheme}`: expected http, https, ws or wss"));
        }
        let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, after) = rest.split_at(authority_len);
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u.to_owned()), h),
            None => (None, authority),
        };
        let (host, port) = split_host_port(hostport)?;
        let (before_fragment, fragment) = match after.split_once('#') {
            Some((b, f)) => (b, Some(f.to_owned())),
            None => (after, None),
        };
        let (path, query) = match before_fragment.split_once('?') {
            Some((p, q)) => (p, Some(q.to_owned())),
            None => (before_fragment, None),
        };
        Ok(WebUrl {
            scheme: scheme.to_owned(),
            userinfo,
            host: host.to_owned(),
            port: port.map(str::to_owned),
            path: path.to_owned(),
            query,
            fragment,
        })
    }

    /// Whether the scheme is a TLS one (`https`, `wss`).
    pub(crate) fn is_secure(&self) -> bool {
        self.scheme.eq_ignore_ascii_case("https") || self.scheme.eq_ignore_ascii_case("wss")
    }

    /// The port used when the URL names none: 443 for `https`/`wss`, 80 otherwise.
    pub(crate) fn default_port(&self) -> &'static str {
        if self.is_secure() {
            "443"
        } else {
            "80"
        }
    }

    /// `scheme://host[:port]`, without userinfo: what a `base_url` setting holds.
    pub(crate) fn origin(&self) -> String {
        let mut s = format!("{}://{}", self.scheme, self.host);
        if let Some(port) = &self.port {
            s.push(':');
            s.push_str(port);
        }
        s
    }
}

/// Splits `host[:port]` (IPv6 hosts in brackets), checking the port is a valid number.
pub(crate) fn split_host_port(hostport: &str) -> Result<(&str, Option<&str>), String> {
    let host_len = if hostport.starts_with('[') {
        hostport.find(']').map(|i| i + 1).ok_or_else(|| format!("unclosed `[` in host `{hostport}`"))?
    } else {
        hostport.find(':').unwrap_or(hostport.len())
    };
    let (host, rest) = hostport.split_at(host_len);
    if host.is_empty() {
        return Err("the URL has no host".to_owned());
    }
    if rest.is_empty() {
        return Ok((host, None));
    }
    let port = rest.strip_prefix(':').ok_or_else(|| format!("unexpected `{rest}` after host `{host}`"))?;
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) || port.parse::<u16>().is_err() {
        return Err(format!("invalid port `{port}`: expected a number from 0 to 65535"));
    }
    Ok((host, Some(port)))
}

impl fmt::Display for WebUrl {
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
        ] {
            assert_eq!(WebUrl::parse(url).unwrap().to_string(), url);
        }
    }

    #[test]
    fn splits_the_parts() {
        let u = WebUrl::parse("https://u:p@Example.com:8443/api/sms?a=1#f").unwrap();
        assert_eq!(u.userinfo.as_deref(), Some("u:p"));
        assert_eq!(u.host, "Example.com");
        assert_eq!(u.port.as_deref(), Some("8443"));
        assert_eq!(u.path, "/api/sms");
        assert_eq!(u.query.as_deref(), Some("a=1"));
        assert_eq!(u.fragment.as_deref(), Some("f"));
        assert_eq!(u.origin(), "https://Example.com:8443");
        let v6 = WebUrl::parse("http://[::1]/x").unwrap();
        assert_eq!((v6.host.as_str(), v6.port.as_deref()), ("[::1]", None));
    }

    #[test]
    fn refuses_what_twilio_cannot_call() {
        for (url, why) in [
            ("example.com/sms", "absolute URL"),
            ("ftp://h/x", "unsupported scheme"),
            ("https:///x", "no host"),
            ("https://h:/x", "invalid port"),
            ("https://h:99999/x", "invalid port"),
            ("https://h:8o/x", "invalid port"),
            ("https://[::1/x", "unclosed"),
            ("https://[::1]x/y", "unexpected"),
            ("https://h/a b", "contains ' '"),
            ("https://h/a\n", "contains '\\n'"),
            ("", "absolute URL"),
        ] {
            let err = WebUrl::parse(url).unwrap_err();
            assert!(err.contains(why), "{url}: {err}");
        }
    }
}
