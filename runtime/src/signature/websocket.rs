//! WebSocket handshakes (Media Streams `<Stream>`, `<ConversationRelay>`): which requests are
//! handshakes, and what Twilio signs when it opens one.
//!
//! This is the one place the rule lives; the Rocket guard, the testing helpers and the
//! `twilio-webhook` CLI all call it.
//!
//! # Which requests are handshakes
//!
//! A `GET` whose `Upgrade` header lists the `websocket` token (any case, possibly among others), as
//! [`rocket_ws`](https://docs.rs/rocket_ws/0.1)'s `WebSocket` guard decides (it also wants
//! `Connection: upgrade`, `Sec-WebSocket-Version: 13` and a key, and forwards, 400, without them; RFC 6455
//! §4.1 requires `GET`).
//!
//! What Twilio signs for a handshake, with its sources, is documented on
//! [`RequestValidator::compute_handshake_signature`](crate::RequestValidator::compute_handshake_signature).

use std::borrow::Cow;

/// Whether a request with this method and these `Upgrade` header values is a WebSocket opening
/// handshake: a `GET` whose `Upgrade` header lists the `websocket` token, in any case.
///
/// ```
/// use rocket_twilio::is_websocket_upgrade;
///
/// assert!(is_websocket_upgrade("GET", ["websocket"]));
/// assert!(is_websocket_upgrade("GET", ["h2c, WebSocket"]));
/// assert!(!is_websocket_upgrade("GET", [] as [&str; 0]));
/// assert!(!is_websocket_upgrade("POST", ["websocket"]));
/// ```
pub fn is_websocket_upgrade<'a>(method: &str, upgrade: impl IntoIterator<Item = &'a str>) -> bool {
    method == "GET"
        && upgrade
            .into_iter()
            .any(|value| value.split(',').any(|t| t.trim().eq_ignore_ascii_case("websocket")))
}

/// The URL a WebSocket client opens for `url`: `http://…` becomes `ws://…` and `https://…` becomes
/// `wss://…` (schemes in any case); `ws://` and `wss://` URLs are returned as they are. `None` for any
/// other URL.
///
/// ```
/// use rocket_twilio::websocket_url;
///
/// assert_eq!(websocket_url("https://example.com/app/relay").as_deref(), Some("wss://example.com/app/relay"));
/// assert_eq!(websocket_url("http://127.0.0.1:8000/relay").as_deref(), Some("ws://127.0.0.1:8000/relay"));
/// assert_eq!(websocket_url("wss://example.com/relay").as_deref(), Some("wss://example.com/relay"));
/// assert_eq!(websocket_url("ftp://example.com/relay"), None);
/// ```
pub fn websocket_url(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let mapped = match scheme.to_ascii_lowercase().as_str() {
        "http" | "ws" => "ws",
        "https" | "wss" => "wss",
        _ => return None,
    };
    Some(format!("{mapped}://{rest}"))
}

/// The `http://` or `https://` URL a handshake to the `ws://` or `wss://` URL `url` travels as (a
/// WebSocket opens with an HTTP request): `ws` becomes `http` and `wss` becomes `https`, in any case;
/// `None` for any other scheme. The reverse of [`websocket_url`].
///
/// ```
/// use rocket_twilio::handshake_http_url;
///
/// assert_eq!(handshake_http_url("wss://example.com/relay?x=1").as_deref(), Some("https://example.com/relay?x=1"));
/// assert_eq!(handshake_http_url("WS://127.0.0.1:8000/relay").as_deref(), Some("http://127.0.0.1:8000/relay"));
/// assert_eq!(handshake_http_url("https://example.com/sms"), None);
/// ```
pub fn handshake_http_url(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    Some(format!("{}://{rest}", http_scheme(scheme)?))
}

/// Whether `scheme` is a WebSocket one (`ws`, `wss`, in any case), whose handshakes Twilio signs by
/// their own rule ([`RequestValidator::compute_handshake_signature`](crate::RequestValidator::compute_handshake_signature)).
///
/// ```
/// assert!(rocket_twilio::is_websocket_scheme("WSS") && !rocket_twilio::is_websocket_scheme("https"));
/// ```
pub fn is_websocket_scheme(scheme: &str) -> bool {
    http_scheme(scheme).is_some()
}

/// The http(s) scheme a WebSocket scheme travels as (`wss` → `https`, `ws` → `http`, any case).
pub(crate) fn http_scheme(scheme: &str) -> Option<&'static str> {
    if scheme.eq_ignore_ascii_case("wss") {
        Some("https")
    } else if scheme.eq_ignore_ascii_case("ws") {
        Some("http")
    } else {
        None
    }
}

/// A decoded query parameter.
pub(crate) type QueryParam<'a> = (Cow<'a, str>, Cow<'a, str>);

/// What Twilio signs for a handshake to `url`: the URL without its query string, and the query's
/// parameters (percent-decoded, `+` as a space, in their order; sorting is the signer's job).
pub(crate) fn handshake_parts(url: &str) -> (&str, Vec<QueryParam<'_>>) {
    match url.split_once('?') {
        Some((signed, query)) => (signed, form_urlencoded::parse(query.as_bytes()).collect()),
        None => (url, Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_upgrades_like_rocket_ws() {
        for yes in [&["websocket"][..], &["WebSocket"], &["h2c , websocket"], &["h2c", "websocket"]] {
            assert!(is_websocket_upgrade("GET", yes.iter().copied()), "{yes:?}");
        }
        for no in [&[][..], &["websockets"], &["web socket"], &["h2c"], &[""]] {
            assert!(!is_websocket_upgrade("GET", no.iter().copied()), "{no:?}");
        }
        for method in ["POST", "get", "HEAD", "CONNECT"] {
            assert!(!is_websocket_upgrade(method, ["websocket"]), "{method}");
        }
    }

    #[test]
    fn maps_schemes() {
        assert_eq!(websocket_url("HTTPS://Example.com").as_deref(), Some("wss://Example.com"));
        assert_eq!(websocket_url("Http://h:80/x?y").as_deref(), Some("ws://h:80/x?y"));
        assert_eq!(websocket_url("WS://h/x").as_deref(), Some("ws://h/x"));
        for other in ["example.com/relay", "https:/h", "file:///x", ""] {
            assert_eq!(websocket_url(other), None, "{other}");
        }
    }

    #[test]
    fn splits_the_query_into_parameters() {
        assert_eq!(handshake_parts("wss://h/relay"), ("wss://h/relay", vec![]));
        assert_eq!(handshake_parts("wss://h/relay?"), ("wss://h/relay", vec![]));
        let (url, params) = handshake_parts("wss://h/r?b=2&a=x+y%21&flag&b=1&=v");
        assert_eq!(url, "wss://h/r");
        let params: Vec<(&str, &str)> = params.iter().map(|(n, v)| (n.as_ref(), v.as_ref())).collect();
        assert_eq!(params, [("b", "2"), ("a", "x y!"), ("flag", ""), ("b", "1"), ("", "v")]);
    }
}
