//! The URL forms a signature may have been computed on.
//!
//! Twilio's signing is inconsistent about ports (voice over https drops the port, SMS keeps it), so every
//! official library accepts a signature computed on the URL **with** the port and on the URL **without** it.
//! twilio-python 9.13 builds both forms from `urllib.parse.urlparse(url).geturl()`; this module builds the
//! same forms by slicing the string, without allocating:
//!
//! 1. the URL as received;
//! 2. the URL with its port toggled: an explicit port removed (`https://h:8443/x` → `https://h/x`), or the
//!    default port added when there is none (`https://h/x` → `https://h:443/x`, `http://h/x` →
//!    `http://h:80/x`).
//!
//! When `urlparse(url).geturl()` would change the URL (an upper-case scheme; an empty `?`, `#` or `;params`;
//! leading control characters or spaces, and tabs, CRs and LFs anywhere, which `urlsplit` strips), the two
//! forms of the normalised URL are tried too, so the signatures twilio-python accepts are accepted here, but
//! for the cases listed last below.
//!
//! Deliberate differences from twilio-python, each measured against it in `tests/tests/differential.rs`:
//! - the URL as received is always a candidate (Python only tries its normalised forms, and none when
//!   `urlsplit` raises; twilio-csharp and twilio-node 6.2 try the raw URL first);
//! - the port is removed correctly from URLs with userinfo or an IPv6 host (Python turns
//!   `https://user:pass@h:1234/x` into `https://user/x` and `https://[::1]:8080/x` into `https://[/x`);
//! - `wss://` gets `:443`, not `:80`;
//! - port `0` is a port (Python treats it as absent and appends `:443` after it);
//! - an invalid port (`h:x`, `h:99999`) is left as it is, where Python raises `ValueError`, and so is an
//!   empty one (`h:`), after which Python appends `:443` (`h::443`);
//! - a URL without `//` after its scheme (`https:h/x`) is not rewritten (`geturl()` makes it `https:///h/x`).
//!
//! These make genuine signatures pass where Python rejects them. The other way round, a signature computed
//! on one of Python's odd forms — `wss://h:80/x`, `h:0:443`, `h::443`, `https:///h/x` — passes in Python
//! and fails here; no server receives such a URL.

use std::borrow::Cow;

/// Up to three slices that, concatenated, spell one candidate URL.
pub(crate) type UrlPieces<'a> = [&'a str; 3];

/// The absolute-URL structure the port toggle needs, as byte offsets into the URL.
pub(crate) struct Authority<'a> {
    pub(crate) scheme: &'a str,
    /// Where the host starts (after `scheme://` and any `userinfo@`).
    pub(crate) host_start: usize,
    /// End of the host (after `]` for IPv6), where a port would start.
    pub(crate) host_end: usize,
    /// Where the port ends (== `host_end` when there is no `:port`).
    pub(crate) port_end: usize,
}

/// Splits `scheme://[userinfo@]host[:port]` the way `urllib.parse.urlsplit` does.
pub(crate) fn authority(url: &str) -> Option<Authority<'_>> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    let rest = url[colon + 1..].strip_prefix("//")?;
    let start = colon + 3;
    let netloc_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let netloc = &rest[..netloc_len];
    let host_start = start + netloc.rfind('@').map_or(0, |at| at + 1);
    let hostinfo = &url[host_start..start + netloc_len];
    let host_len = if hostinfo.starts_with('[') {
        hostinfo.find(']')? + 1
    } else {
        hostinfo.find(':').unwrap_or(hostinfo.len())
    };
    Some(Authority { scheme, host_start, host_end: host_start + host_len, port_end: start + netloc_len })
}

/// `:443` for the TLS schemes (`https`, `wss`), `:80` for the others: the port a URL without one uses.
pub(crate) fn default_port_suffix(scheme: &str) -> &'static str {
    if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("wss") {
        ":443"
    } else {
        ":80"
    }
}

/// The URL with its port toggled, or `None` when the URL has no authority or an unusable port.
pub(crate) fn toggle_port(url: &str) -> Option<UrlPieces<'_>> {
    let Authority { scheme, host_end, port_end, .. } = authority(url)?;
    let port = &url[host_end..port_end];
    if port.is_empty() {
        return Some([&url[..host_end], default_port_suffix(scheme), &url[host_end..]]);
    }
    let digits = port.strip_prefix(':')?;
    is_port(digits).then(|| [&url[..host_end], "", &url[port_end..]])
}

/// Whether `digits` is a port number as a URL writes it: ASCII digits only, at most 65535.
pub(crate) fn is_port(digits: &str) -> bool {
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && digits.parse::<u16>().is_ok()
}

/// The port a proxy may announce (`X-Forwarded-Port`): digits only, 1 to 65535. The guard, when it
/// trusts the header, and the diagnosis, when it does not, read it by this one rule.
pub(crate) fn announced_port(digits: &str) -> Option<u16> {
    // `u16::from_str` alone would also take a sign.
    is_port(digits).then(|| digits.parse().ok()).flatten().filter(|&port| port != 0)
}

/// The string `urlsplit` parses: `url` without leading C0 controls and spaces, and without any tab, CR or LF.
fn urlsplit_input(url: &str) -> Cow<'_, str> {
    let url = url.trim_start_matches(|c: char| c <= ' ');
    if url.contains(['\t', '\r', '\n']) {
        Cow::Owned(url.chars().filter(|c| !matches!(c, '\t' | '\r' | '\n')).collect())
    } else {
        Cow::Borrowed(url)
    }
}

/// Calls `check` on each candidate form of `url` until one returns true.
pub(crate) fn any_candidate(url: &str, mut check: impl FnMut(UrlPieces<'_>) -> bool) -> bool {
    let mut try_both = |url: &str| check([url, "", ""]) || toggle_port(url).is_some_and(&mut check);
    try_both(url) || python_normalized(url).is_some_and(|normalized| try_both(&normalized))
}

/// What `urlparse(url).geturl()` returns, when that differs from `url`.
///
/// `urlsplit` first strips leading C0 controls and spaces and removes tabs, CRs and LFs; `geturl()` then
/// lower-cases the scheme and drops an empty query (`?`), an empty fragment (`#`) and an empty `;params` on
/// the last path segment. Only absolute `scheme://` URLs are considered.
pub(crate) fn python_normalized(received: &str) -> Option<String> {
    let cleaned = urlsplit_input(received);
    let url: &str = &cleaned;
    let auth = authority(url)?;
    let after_netloc = auth.port_end;
    let (before_fragment, fragment) = match url[after_netloc..].find('#') {
        Some(i) => (&url[..after_netloc + i], Some(&url[after_netloc + i + 1..])),
        None => (url, None),
    };
    let (before_query, query) = match before_fragment[after_netloc..].find('?') {
        Some(i) => (&before_fragment[..after_netloc + i], Some(&before_fragment[after_netloc + i + 1..])),
        None => (before_fragment, None),
    };
    let path = &before_query[after_netloc..];
    let uses_params = auth.scheme.eq_ignore_ascii_case("http") || auth.scheme.eq_ignore_ascii_case("https");
    let last_segment = path.rfind('/').map_or(0, |i| i);
    let path = match path[last_segment..].find(';') {
        Some(i) if uses_params && last_segment + i + 1 == path.len() => &path[..path.len() - 1],
        _ => path,
    };

    let scheme_needs_lowering = auth.scheme.bytes().any(|b| b.is_ascii_uppercase());
    let drops_query = query == Some("");
    let drops_fragment = fragment == Some("");
    let drops_params = path.len() != before_query.len() - after_netloc;
    let drops_blanks = url.len() != received.len();
    if !(drops_blanks || scheme_needs_lowering || drops_query || drops_fragment || drops_params) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    out.push_str(&auth.scheme.to_ascii_lowercase());
    out.push_str(&url[auth.scheme.len()..after_netloc]);
    out.push_str(path);
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
        out.push('#');
        out.push_str(f);
    }
    Some(out)
}

/// Whether `url` carries a non-empty `bodySHA256` query value ([`body_sha256_param`] is `Some`), without
/// allocating for the URLs that obviously do not: no `?`, or a query with neither `SHA256` nor anything
/// `parse_qs` would decode or strip (`%`, tab, CR, LF) before looking for the name.
pub(crate) fn has_body_sha256(url: &str) -> bool {
    let Some((_, query)) = url.split_once('?') else {
        return false;
    };
    let may_hide_it = query.contains("SHA256") || query.contains(['%', '\t', '\r', '\n']);
    may_hide_it && body_sha256_param(url).is_some()
}

/// The first non-empty `bodySHA256` query value, percent-decoded, as `urllib.parse.parse_qs` would find it.
pub(crate) fn body_sha256_param(url: &str) -> Option<String> {
    let url = urlsplit_input(url);
    let url: &str = &url;
    let before_fragment = url.split_once('#').map_or(url, |(u, _)| u);
    let (_, query) = before_fragment.split_once('?')?;
    form_urlencoded::parse(query.as_bytes())
        .find(|(name, value)| name == "bodySHA256" && !value.is_empty())
        .map(|(_, value)| value.into_owned())
}

/// Appends `bodySHA256=<hex>` to the query of `url` (before any fragment), as Twilio does for JSON bodies.
pub(crate) fn append_query_param(url: &str, name: &str, value: &str) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let mut out = String::with_capacity(url.len() + name.len() + value.len() + 2);
    out.push_str(base);
    out.push_str(match base.find('?') {
        None => "?",
        Some(i) if i + 1 == base.len() || base.ends_with('&') => "",
        Some(_) => "&",
    });
    out.push_str(name);
    out.push('=');
    out.push_str(value);
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn join(p: UrlPieces<'_>) -> String {
        p.concat()
    }

    fn toggled(url: &str) -> Option<String> {
        toggle_port(url).map(join)
    }

    #[test]
    fn toggles_ports_like_the_official_libraries() {
        assert_eq!(toggled("https://h/x?a=1").as_deref(), Some("https://h:443/x?a=1"));
        assert_eq!(toggled("http://h/x").as_deref(), Some("http://h:80/x"));
        assert_eq!(toggled("https://h:443/x").as_deref(), Some("https://h/x"));
        assert_eq!(toggled("http://h:8080/x").as_deref(), Some("http://h/x"));
        assert_eq!(toggled("https://h").as_deref(), Some("https://h:443"));
        assert_eq!(toggled("https://h?q=:1").as_deref(), Some("https://h:443?q=:1"));
        assert_eq!(toggled("https://h:1234#f").as_deref(), Some("https://h#f"));
        assert_eq!(toggled("wss://h/x").as_deref(), Some("wss://h:443/x"));
        assert_eq!(toggled("HTTPS://h/x").as_deref(), Some("HTTPS://h:443/x"));
    }

    #[test]
    fn toggles_ports_with_userinfo_and_ipv6() {
        assert_eq!(toggled("https://user:pass@h:1234/x").as_deref(), Some("https://user:pass@h/x"));
        assert_eq!(toggled("https://user:pass@h/x").as_deref(), Some("https://user:pass@h:443/x"));
        assert_eq!(toggled("https://a@b@h:1/x").as_deref(), Some("https://a@b@h/x"));
        assert_eq!(toggled("https://[::1]:8080/x").as_deref(), Some("https://[::1]/x"));
        assert_eq!(toggled("http://[::1]/x").as_deref(), Some("http://[::1]:80/x"));
    }

    #[test]
    fn leaves_unusable_urls_alone() {
        for url in [
            "",
            "/relative/path",
            "https:no-slashes",
            "1https://h/x",
            "ht tp://h/x",
            "https://h:/x",
            "https://h:x/x",
            "https://h:99999/x",
            "https://h:1:2/x",
            "https://[::1/x",
            "https://[::1]x/y",
            "://h/x",
        ] {
            assert_eq!(toggled(url), None, "{url}");
        }
    }

    #[test]
    fn normalises_like_geturl() {
        let n = |u: &str| python_normalized(u);
        assert_eq!(n("https://h/x?a=1"), None);
        assert_eq!(n("HTTPS://H/x").as_deref(), Some("https://H/x"));
        assert_eq!(n("https://h/x?").as_deref(), Some("https://h/x"));
        assert_eq!(n("https://h/x#").as_deref(), Some("https://h/x"));
        assert_eq!(n("https://h/x?#").as_deref(), Some("https://h/x"));
        assert_eq!(n("https://h/a;?q").as_deref(), Some("https://h/a?q"));
        assert_eq!(n("https://h/a;b/c?q"), None);
        assert_eq!(n("https://h/a;b;"), None);
        assert_eq!(n("https://h/a;/c;"), Some("https://h/a;/c".to_owned()));
        assert_eq!(n("wss://h/a;"), None);
        assert_eq!(n("https://h?#f").as_deref(), Some("https://h#f"));
        assert_eq!(n("https://h/x#f?"), None);
    }

    #[test]
    fn strips_blanks_like_urlsplit() {
        let n = |u: &str| python_normalized(u);
        assert_eq!(n(" \0\u{1f}https://h/x").as_deref(), Some("https://h/x"));
        assert_eq!(n("https://h/\tx\r\n").as_deref(), Some("https://h/x"));
        assert_eq!(n("\tHt\ntps://h:4\r43/x?").as_deref(), Some("https://h:443/x"));
        // Only leading blanks go; trailing spaces and other controls stay.
        assert_eq!(n("https://h/x "), None);
        assert_eq!(n("https://h/\0x"), None);
        assert_eq!(n("\u{a0}https://h/x"), None);
        assert_eq!(body_sha256_param("https://h/x?body\tSHA256=a\nb").as_deref(), Some("ab"));
    }

    #[test]
    fn finds_the_body_hash_like_parse_qs() {
        let f = |u: &str| body_sha256_param(u);
        assert_eq!(f("https://h/x?bodySHA256=abc").as_deref(), Some("abc"));
        assert_eq!(f("https://h/x?a=1&bodySHA256=&bodySHA256=def&bodySHA256=x").as_deref(), Some("def"));
        assert_eq!(f("https://h/x?body%53HA256=a%62c").as_deref(), Some("abc"));
        assert_eq!(f("https://h/x?bodySHA256"), None);
        assert_eq!(f("https://h/x#?bodySHA256=abc"), None);
        assert_eq!(f("https://h/x?bodysha256=abc"), None);
        assert_eq!(f("https://h/x"), None);
    }

    #[test]
    fn tells_cheaply_whether_a_url_has_a_body_hash() {
        for url in [
            "https://h/x?bodySHA256=abc",
            "https://h/x?a=1&body%53HA256=abc",
            "https://h/x?%62odySHA256=abc",
            "https://h/x?body\tSHA256=abc",
            "https://h/x?body\nSHA256=a",
        ] {
            assert!(has_body_sha256(url), "{url}");
        }
        for url in [
            "https://h/x",
            "https://h/bodySHA256=abc",
            "https://h/x?bodySHA256=",
            "https://h/x?bodySHA256",
            "https://h/x?bodysha256=abc",
            "https://h/x?a=%20&b=SHA256",
            "https://h/x#?bodySHA256=abc",
        ] {
            assert!(!has_body_sha256(url), "{url}");
        }
    }

    #[test]
    fn authority_skips_userinfo() {
        // The host starts after the last `@` of the authority, wherever the userinfo has `:` or `@`.
        fn host(u: &str) -> Option<&str> {
            authority(u).map(|a| &u[..a.host_end])
        }
        assert_eq!(host("https://user:pass@h:1/x"), Some("https://user:pass@h"));
        assert_eq!(host("https://u@h/x"), Some("https://u@h"));
        assert_eq!(host("https://a:b@c@h:2/x"), Some("https://a:b@c@h"));
        assert_eq!(host("https://@h/x"), Some("https://@h"));
        assert_eq!(host("https://user:pass@[::1]:8080/x"), Some("https://user:pass@[::1]"));
        // An `@` after the authority (in the path or query) is not userinfo.
        assert_eq!(host("https://h:1/x@y"), Some("https://h"));
        assert_eq!(host("https://h?u=a@b"), Some("https://h"));
        fn port(u: &str) -> Option<&str> {
            authority(u).map(|a| &u[a.host_end..a.port_end])
        }
        assert_eq!(port("https://user:pass@h:1234/x"), Some(":1234"));
        assert_eq!(port("https://user:pa:ss@h/x"), Some(""));
    }

    #[test]
    fn appends_query_params() {
        let a = |u: &str| append_query_param(u, "bodySHA256", "00");
        assert_eq!(a("https://h/x"), "https://h/x?bodySHA256=00");
        assert_eq!(a("https://h/x?"), "https://h/x?bodySHA256=00");
        assert_eq!(a("https://h/x?a=1"), "https://h/x?a=1&bodySHA256=00");
        assert_eq!(a("https://h/x?a=1&"), "https://h/x?a=1&bodySHA256=00");
        assert_eq!(a("https://h/x?a=1#frag"), "https://h/x?a=1&bodySHA256=00#frag");
    }
}
