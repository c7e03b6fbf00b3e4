//! Rebuilding the URL Twilio called from the request the server received.
//!
//! Path and query are taken raw from the request line (no decoding, no re-ordering). Scheme and host come
//! from, in order of precedence:
//! 1. `twilio.base_url`, when configured: `base_url + path?query`;
//! 2. when `twilio.trust_forwarded_headers` is on: `Forwarded` (RFC 7239, `proto=` and `host=` of its first
//!    element), then `X-Forwarded-Proto` / `X-Forwarded-Host`, then `X-Original-Host`, each taking the
//!    first (client-side) value; headers that are absent fall back to 3. `X-Forwarded-Port` adds a port to
//!    a host that has none (nginx's `$host` drops it), unless it is the scheme's default;
//! 3. the request itself: `https` when Rocket serves TLS, `http` otherwise, and the `Host` header (or
//!    HTTP/2 `:authority`).
//!
//! A WebSocket handshake (see [`is_websocket_upgrade`]) was signed over the `ws://` or `wss://` URL Twilio
//! opened: in every mode above, `http` becomes `ws` and `https` becomes `wss` (`base_url = "https://x"`
//! gives `wss://x/…`).
//!
//! Forwarded headers are attacker-controlled unless a proxy you run overwrites them, so they are ignored
//! unless explicitly trusted.

use rocket::http::uri::Authority;
use rocket::http::Method;
use rocket::Request;

use super::config::UrlSettings;
use crate::signature::url::announced_port;
use crate::{is_websocket_upgrade, websocket_url};

/// The URL to check the signature against, or why it cannot be known.
pub(crate) fn rebuild(req: &Request<'_>, settings: &UrlSettings) -> Result<String, &'static str> {
    rebuild_as(req, settings, is_handshake(req))
}

/// [`rebuild`], for a request already known to be a WebSocket handshake or not.
pub(crate) fn rebuild_as(
    req: &Request<'_>,
    settings: &UrlSettings,
    handshake: bool,
) -> Result<String, &'static str> {
    let origin = req.uri();
    let room = origin.path().len() + origin.query().map_or(0, |q| q.len() + 1);
    let mut url = public_origin(req, settings, handshake, room)?;
    // What `Origin`'s `Display` writes (its raw path, `?` and raw query), without the formatting machinery.
    url.push_str(origin.path().raw().as_str());
    if let Some(query) = origin.query() {
        url.push('?');
        url.push_str(query.raw().as_str());
    }
    Ok(url)
}

/// Whether Twilio signed `req` as a WebSocket handshake: see [`is_websocket_upgrade`]. The `Upgrade`
/// header is looked up (a hashed lookup) only for a `GET`.
pub(crate) fn is_handshake(req: &Request<'_>) -> bool {
    req.method() == Method::Get && is_websocket_upgrade(req.method().as_str(), req.headers().get("Upgrade"))
}

/// The public `scheme://host[:port]` (or `base_url`, with its path) in front of the request's path: `ws` or
/// `wss` instead of `http` or `https` when `websocket`. `room`: bytes to reserve for what follows.
pub(crate) fn public_origin(
    req: &Request<'_>,
    settings: &UrlSettings,
    websocket: bool,
    room: usize,
) -> Result<String, &'static str> {
    let http = http_origin(req, settings, room)?;
    match websocket {
        false => Ok(http),
        true => websocket_url(&http).ok_or("the public URL is neither http nor https"),
    }
}

fn http_origin(req: &Request<'_>, settings: &UrlSettings, room: usize) -> Result<String, &'static str> {
    if let Some(base) = &settings.base_url {
        let mut url = String::with_capacity(base.len() + room);
        url.push_str(base);
        return Ok(url);
    }

    let forwarded =
        if settings.trust_forwarded_headers { Forwarded::read(req)? } else { Forwarded::default() };
    let scheme = match forwarded.proto {
        Some(proto) => proto,
        None if req.rocket().config().tls_enabled() => "https",
        None => "http",
    };
    let mut url = String::with_capacity(96 + room);
    // Writing to a `String` cannot fail.
    let host_has_port = match forwarded.host {
        Some(host) => {
            url.push_str(scheme);
            url.push_str("://");
            url.push_str(host.name);
            host.has_port
        }
        None => {
            // What `Host`'s `Display` writes: its domain, then `:port` if it has one.
            let host = req.host().ok_or("the request has no Host header")?;
            url.push_str(scheme);
            url.push_str("://");
            url.push_str(host.domain().as_str());
            if let Some(port) = host.port() {
                url.push(':');
                push_port(&mut url, port);
            }
            host.port().is_some()
        }
    };
    let default_port = if scheme == "https" { 443 } else { 80 };
    match forwarded.port {
        Some(port) if !host_has_port && port != default_port => {
            url.push(':');
            push_port(&mut url, port);
        }
        _ => {}
    }
    Ok(url)
}

/// Appends `port` in decimal, as `Display` writes a `u16`.
fn push_port(url: &mut String, port: u16) {
    url.push_str(itoa::Buffer::new().format(port));
}

/// Scheme, host and port announced by a trusted proxy.
#[derive(Default, Debug, PartialEq, Eq)]
struct Forwarded<'r> {
    proto: Option<&'static str>,
    host: Option<ForwardedHost<'r>>,
    /// `X-Forwarded-Port`.
    port: Option<u16>,
}

/// A forwarded `host[:port]`, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ForwardedHost<'r> {
    name: &'r str,
    has_port: bool,
}

impl<'r> Forwarded<'r> {
    fn read(req: &'r Request<'_>) -> Result<Self, &'static str> {
        let headers = req.headers();
        let (mut proto, mut host) = headers.get_one("Forwarded").map(rfc7239_first).unwrap_or_default();
        // The first header of the table that carries each, looked up only when needed.
        let first = |carries| {
            FORWARDED_HEADERS
                .iter()
                .filter(|h| h.carries == carries)
                .find_map(|h| headers.get_one(h.name).map(h.value))
        };
        proto = proto.or_else(|| first(Carries::Proto));
        host = host.or_else(|| first(Carries::Host));
        Ok(Forwarded {
            proto: proto.map(check_proto).transpose()?,
            host: host.map(check_host).transpose()?,
            port: first(Carries::Port).map(check_port).transpose()?,
        })
    }
}

/// What a forwarded header announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Carries {
    Proto,
    Host,
    Port,
}

/// A forwarded header besides RFC 7239's `Forwarded` (which comes first and carries proto and host).
pub(crate) struct ForwardedHeader {
    pub(crate) name: &'static str,
    pub(crate) carries: Carries,
    /// The value the header announces, from what it holds.
    pub(crate) value: fn(&str) -> &str,
}

/// The forwarded headers the URL is rebuilt from when they are trusted, in order of precedence: what the
/// guard reads (the first of each kind) and the diagnosis reads (all of them, trusted or not) alike.
pub(crate) const FORWARDED_HEADERS: [ForwardedHeader; 4] = [
    ForwardedHeader { name: "X-Forwarded-Proto", carries: Carries::Proto, value: first_value },
    ForwardedHeader { name: "X-Forwarded-Host", carries: Carries::Host, value: first_value },
    ForwardedHeader { name: "X-Original-Host", carries: Carries::Host, value: str::trim },
    ForwardedHeader { name: "X-Forwarded-Port", carries: Carries::Port, value: first_value },
];

/// The first of a comma-separated list of values, trimmed.
pub(crate) fn first_value(header: &str) -> &str {
    header.split(',').next().unwrap_or_default().trim()
}

fn check_proto(proto: &str) -> Result<&'static str, &'static str> {
    if proto.eq_ignore_ascii_case("https") {
        Ok("https")
    } else if proto.eq_ignore_ascii_case("http") {
        Ok("http")
    } else {
        Err("the forwarded proto is neither http nor https")
    }
}

fn check_host(host: &str) -> Result<ForwardedHost<'_>, &'static str> {
    match Authority::parse(host) {
        Ok(a) if a.user_info().is_none() && !a.host().is_empty() => {
            Ok(ForwardedHost { name: host, has_port: a.port().is_some() })
        }
        _ => Err("the forwarded host is not a valid host[:port]"),
    }
}

fn check_port(port: &str) -> Result<u16, &'static str> {
    announced_port(port).ok_or("the forwarded port is not a port number")
}

/// `proto` and `host` of the first element of an RFC 7239 `Forwarded` header (quoted values unquoted).
pub(crate) fn rfc7239_first(header: &str) -> (Option<&str>, Option<&str>) {
    let (mut proto, mut host) = (None, None);
    let mut rest = header;
    while !rest.is_empty() {
        let (pair, end_of_element, tail) = next_pair(rest);
        if let Some((name, value)) = pair.split_once('=') {
            let value = value.trim();
            let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
            match name.trim() {
                n if n.eq_ignore_ascii_case("proto") && proto.is_none() => proto = Some(value),
                n if n.eq_ignore_ascii_case("host") && host.is_none() => host = Some(value),
                _ => {}
            }
        }
        if end_of_element {
            break;
        }
        rest = tail;
    }
    (proto, host)
}

/// Splits the next `name=value` pair off `s`, honouring quotes: (pair, whether a `,` ended the element,
/// rest).
fn next_pair(s: &str) -> (&str, bool, &str) {
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => return (&s[..i], false, &s[i + 1..]),
            ',' if !quoted => return (&s[..i], true, &s[i + 1..]),
            _ => {}
        }
    }
    (s, true, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_written_as_display_writes_them() {
        for port in [0, 1, 9, 10, 80, 443, 8000, 9999, 10000, 65535] {
            let mut url = String::from("h:");
            push_port(&mut url, port);
            assert_eq!(url, format!("h:{port}"));
        }
    }

    #[test]
    fn parses_the_first_forwarded_element() {
        assert_eq!(
            rfc7239_first("for=1.2.3.4;proto=https;host=example.com"),
            (Some("https"), Some("example.com"))
        );
        assert_eq!(
            rfc7239_first(
                "For=\"[2001:db8::1]:4711\";Proto=HTTPS;Host=\"a.example:8443\", proto=http;host=evil"
            ),
            (Some("HTTPS"), Some("a.example:8443"))
        );
        assert_eq!(rfc7239_first("for=x, proto=https"), (None, None));
        assert_eq!(rfc7239_first("host=\"a;b,c\";proto=https"), (Some("https"), Some("a;b,c")));
        assert_eq!(rfc7239_first(""), (None, None));
        assert_eq!(rfc7239_first(";;,,=;"), (None, None));
    }

    #[test]
    fn checks_forwarded_values() {
        assert_eq!(check_proto("HTTPS"), Ok("https"));
        assert!(check_proto("ftp").is_err());
        assert_eq!(
            check_host("example.com:8443"),
            Ok(ForwardedHost { name: "example.com:8443", has_port: true })
        );
        for bad in ["", "a b", "user@host", "host/path", "a.example:8443,evil"] {
            assert!(check_host(bad).is_err(), "{bad}");
        }
        assert_eq!(first_value(" https , http"), "https");
        assert_eq!(check_host("example.com"), Ok(ForwardedHost { name: "example.com", has_port: false }));
        assert_eq!(check_host("[::1]:80"), Ok(ForwardedHost { name: "[::1]:80", has_port: true }));
        assert_eq!(check_port("8443"), Ok(8443));
        for bad in ["", "0", "+443", "-1", "65536", "443 ", "8o", "443,80"] {
            assert!(check_port(bad).is_err(), "{bad:?}");
        }
    }
}
