//! The URL variants a diagnosis tries, nearest first.
//!
//! Each kind of difference is a dimension (scheme, host, port, path, trailing slash, query, credentials)
//! with its options; a variant picks at most one option per dimension. Variants are produced by the
//! number of dimensions they change (0, 1, 2…), so the search stops at the nearest ones when its budget
//! ends, and a URL reached in several ways keeps the way with the fewest changes.

use std::collections::HashSet;

use super::changes::{Change, QueryChange};
use super::clues::Clues;
use super::parts::UrlParts;
use crate::signature::websocket::http_scheme;

/// A URL to try, and how it differs from the URL checked.
#[derive(Clone, Debug)]
pub(crate) struct Variant {
    pub(crate) url: String,
    pub(crate) changes: Vec<Change>,
}

/// One option of one dimension.
#[derive(Clone, Debug)]
enum Opt {
    Keep,
    Scheme(String, Option<&'static str>),
    Host { written: String, host: String, port: Option<String>, source: &'static str },
    LowercaseHost,
    PortDrop,
    PortDefault,
    Port(String, &'static str),
    AddPrefix(String, &'static str),
    RemovePrefix(String, Option<&'static str>),
    Uri(String, &'static str),
    ToggleSlash,
    Query(QueryChange),
    DropUserinfo,
}

/// The variants of `base`, nearest first, at most `max` (the first is `base` itself).
pub(crate) fn variants(base: &UrlParts, clues: &Clues, max: usize) -> Vec<Variant> {
    let dims = dimensions(base, clues);
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    // Duplicates and no-op combinations are skipped; this bounds the work when most are.
    let mut attempts = max.saturating_mul(64).max(256);
    let mut tuple = vec![0; dims.len()];
    let mut emit = |tuple: &[usize]| -> bool {
        attempts = attempts.saturating_sub(1);
        if let Some(variant) = build(base, &dims, tuple) {
            if seen.insert(variant.url.clone()) {
                out.push(variant);
            }
        }
        out.len() >= max || attempts == 0
    };
    for distance in 0..=dims.len() {
        if enumerate(&dims, 0, distance, &mut tuple, &mut emit) {
            break;
        }
    }
    out
}

/// Calls `emit` on each tuple that changes exactly `left` of the dimensions from `dim` on, earlier
/// dimensions and earlier options first; stops (returning true) when `emit` asks to.
fn enumerate(
    dims: &[Vec<Opt>],
    dim: usize,
    left: usize,
    tuple: &mut [usize],
    emit: &mut dyn FnMut(&[usize]) -> bool,
) -> bool {
    if dim == dims.len() {
        return left == 0 && emit(tuple);
    }
    if dims.len() - dim < left {
        return false;
    }
    if left > 0 {
        for option in 1..dims[dim].len() {
            tuple[dim] = option;
            if enumerate(dims, dim + 1, left - 1, tuple, emit) {
                return true;
            }
        }
    }
    tuple[dim] = 0;
    enumerate(dims, dim + 1, left, tuple, emit)
}

fn flip(scheme: &str) -> &'static str {
    match scheme.to_ascii_lowercase().as_str() {
        "http" => "https",
        "https" => "http",
        "ws" => "wss",
        _ => "ws",
    }
}

fn dimensions(base: &UrlParts, clues: &Clues) -> Vec<Vec<Opt>> {
    let mut scheme = vec![Opt::Keep];
    let flipped = flip(&base.scheme);
    // A forwarded proto that is the flipped scheme names the flip; others are tried after it.
    let named = clues.protos.iter().find(|c| c.value == flipped).map(|c| c.source);
    scheme.push(Opt::Scheme(flipped.to_owned(), named));
    for clue in &clues.protos {
        if clue.value != flipped && !clue.value.eq_ignore_ascii_case(&base.scheme) {
            scheme.push(Opt::Scheme(clue.value.clone(), Some(clue.source)));
        }
    }
    // A handshake signed over https:// instead of the wss:// URL opened (http:// for ws://): not Twilio's
    // doing, but what other signers get wrong (twilio-aspnet #162).
    if let Some(http) = http_scheme(&base.scheme) {
        if !scheme.iter().any(|o| matches!(o, Opt::Scheme(s, _) if s.eq_ignore_ascii_case(http))) {
            scheme.push(Opt::Scheme(http.to_owned(), None));
        }
    }

    let mut host = vec![Opt::Keep];
    for clue in &clues.hosts {
        host.push(Opt::Host {
            written: clue.value.written.clone(),
            host: clue.value.host.clone(),
            port: clue.value.port.clone(),
            source: clue.source,
        });
    }
    if base.host.bytes().any(|b| b.is_ascii_uppercase()) {
        host.push(Opt::LowercaseHost);
    }

    let mut port = vec![Opt::Keep, Opt::PortDrop, Opt::PortDefault];
    port.extend(clues.ports.iter().map(|c| Opt::Port(c.value.clone(), c.source)));

    let mut path = vec![Opt::Keep];
    for clue in &clues.prefixes {
        let p = &clue.value;
        let has =
            base.path == *p || base.path.strip_prefix(p.as_str()).is_some_and(|rest| rest.starts_with('/'));
        path.push(if has {
            Opt::RemovePrefix(p.clone(), Some(clue.source))
        } else {
            Opt::AddPrefix(p.clone(), clue.source)
        });
    }
    path.extend(clues.uris.iter().map(|c| Opt::Uri(c.value.clone(), c.source)));
    if let Some(second) = base.path.get(1..).and_then(|rest| rest.find('/')).map(|i| i + 1) {
        if base.path.len() - second > 1 {
            path.push(Opt::RemovePrefix(base.path[..second].to_owned(), None));
        }
    }

    let slash = vec![Opt::Keep, Opt::ToggleSlash];

    let mut query = vec![Opt::Keep];
    if base.query.as_deref().is_some_and(|q| !q.is_empty()) || !clues.uris.is_empty() {
        query.extend(
            [
                QueryChange::PercentForPlus,
                QueryChange::PlusForPercent,
                QueryChange::Decoded,
                QueryChange::Encoded,
                QueryChange::Dropped,
            ]
            .map(Opt::Query),
        );
    }

    let mut userinfo = vec![Opt::Keep];
    if base.userinfo.is_some() {
        userinfo.push(Opt::DropUserinfo);
    }
    vec![scheme, host, port, path, slash, query, userinfo]
}

fn hostport(host: &str, port: &Option<String>) -> String {
    match port {
        Some(p) => format!("{host}:{p}"),
        None => host.to_owned(),
    }
}

/// The variant of `tuple`, or `None` when one of its options changes nothing (a nearer tuple has the
/// same URL).
fn build(base: &UrlParts, dims: &[Vec<Opt>], tuple: &[usize]) -> Option<Variant> {
    let mut u = base.clone();
    let mut changes = Vec::new();
    for (dim, &option) in dims.iter().zip(tuple) {
        let change = match &dim[option] {
            Opt::Keep => continue,
            Opt::Scheme(to, source) => {
                let from = std::mem::replace(&mut u.scheme, to.clone());
                Change::Scheme { from, to: to.clone(), source: *source }
            }
            Opt::Host { written, host, port, source } => {
                let from = hostport(&u.host, &u.port);
                if from == *written {
                    return None;
                }
                u.host = host.clone();
                u.port = port.clone();
                Change::Host { from, to: written.clone(), source }
            }
            Opt::LowercaseHost => {
                u.host = u.host.to_ascii_lowercase();
                Change::LowercaseHost
            }
            Opt::PortDrop => {
                let from = u.port.take()?;
                Change::Port { from: Some(from), to: None, source: None }
            }
            Opt::PortDefault => {
                let default = u.default_port();
                if u.port.as_deref() == Some(default) {
                    return None;
                }
                let from = u.port.replace(default.to_owned());
                Change::Port { from, to: u.port.clone(), source: None }
            }
            Opt::Port(port, source) => {
                if u.port.as_deref() == Some(port.as_str()) {
                    return None;
                }
                let from = u.port.replace(port.clone());
                Change::Port { from, to: u.port.clone(), source: Some(*source) }
            }
            Opt::AddPrefix(prefix, source) => {
                u.path = format!("{prefix}{}", u.path);
                Change::PrefixAdded { prefix: prefix.clone(), source }
            }
            Opt::RemovePrefix(prefix, source) => {
                let rest = &u.path[prefix.len()..];
                u.path = if rest.is_empty() { "/".to_owned() } else { rest.to_owned() };
                Change::PrefixRemoved { prefix: prefix.clone(), source: *source }
            }
            Opt::Uri(uri, source) => {
                let (path, query) = match uri.split_once('?') {
                    Some((p, q)) => (p, Some(q.to_owned())),
                    None => (uri.as_str(), None),
                };
                if u.path == path && u.query == query {
                    return None;
                }
                u.path = path.to_owned();
                u.query = query;
                Change::OriginalUri { uri: uri.clone(), source }
            }
            Opt::ToggleSlash => match u.path.strip_suffix('/') {
                Some(without) => {
                    u.path = without.to_owned();
                    Change::TrailingSlash { added: false }
                }
                None => {
                    u.path.push('/');
                    Change::TrailingSlash { added: true }
                }
            },
            Opt::Query(how) => {
                u.query = requery(u.query.as_deref(), *how)?;
                Change::Query(*how)
            }
            Opt::DropUserinfo => {
                u.userinfo = None;
                Change::Userinfo
            }
        };
        changes.push(change);
    }
    Some(Variant { url: u.to_string(), changes })
}

/// The query string re-encoded as `how` says, or `None` when that changes nothing.
fn requery(query: Option<&str>, how: QueryChange) -> Option<Option<String>> {
    let q = query.filter(|q| !q.is_empty())?;
    let changed = match how {
        QueryChange::Dropped => return Some(None),
        QueryChange::PercentForPlus => q.replace('+', "%20"),
        QueryChange::PlusForPercent => q.replace("%20", "+"),
        QueryChange::Decoded => {
            let decoded = percent_encoding::percent_decode_str(q).decode_utf8().ok()?.into_owned();
            // A URL Twilio calls has no raw spaces or controls.
            if decoded.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return None;
            }
            decoded
        }
        QueryChange::Encoded => form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form_urlencoded::parse(q.as_bytes()))
            .finish(),
    };
    (changed != q).then_some(Some(changed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(base: &str, clues: &Clues, max: usize) -> Vec<String> {
        variants(&UrlParts::parse(base).unwrap(), clues, max).into_iter().map(|v| v.url).collect()
    }

    fn find(base: &str, clues: &Clues, url: &str) -> Vec<String> {
        let all = variants(&UrlParts::parse(base).unwrap(), clues, 100_000);
        let v = all
            .iter()
            .find(|v| v.url == url)
            .unwrap_or_else(|| panic!("{url} not among {} variants", all.len()));
        v.changes.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_checked_url_first_then_one_change_at_a_time() {
        let all = urls("http://example.com/sms", &Clues::new(), 100);
        assert_eq!(all[0], "http://example.com/sms");
        assert_eq!(all[1], "https://example.com/sms");
        let one_change = &all[1..5];
        assert!(one_change.contains(&"http://example.com:80/sms".to_owned()), "{one_change:?}");
        assert!(one_change.contains(&"http://example.com/sms/".to_owned()), "{one_change:?}");
        assert!(all.contains(&"https://example.com:443/sms/".to_owned()));
        assert_eq!(all.len(), all.iter().collect::<HashSet<_>>().len(), "no repeats");
        assert_eq!(urls("http://example.com/sms", &Clues::new(), 3).len(), 3);
    }

    #[test]
    fn schemes_flip_both_ways_for_http_and_websockets() {
        let c = Clues::new();
        assert_eq!(find("http://h/x", &c, "https://h/x"), ["scheme http → https"]);
        assert_eq!(find("https://h/x", &c, "http://h/x"), ["scheme https → http"]);
        assert_eq!(find("ws://h/stream", &c, "wss://h/stream"), ["scheme ws → wss"]);
        assert_eq!(find("wss://h/stream", &c, "ws://h/stream"), ["scheme wss → ws"]);
        // Twilio's docs: a WebSocket handshake may be signed with a trailing slash.
        assert_eq!(find("ws://h/stream", &c, "wss://h/stream/"), ["scheme ws → wss", "trailing slash added"]);
        assert_eq!(
            find("ws://h/stream", &c, "wss://h:443/stream"),
            ["scheme ws → wss", "port no port → :443"]
        );
    }

    #[test]
    fn clues_from_headers_name_their_source() {
        let mut c = Clues::new();
        c.proto("https", "X-Forwarded-Proto").unwrap();
        c.host("public.example:8443", "X-Forwarded-Host").unwrap();
        c.prefix("/twilio", "X-Forwarded-Prefix").unwrap();
        c.port("8443", "X-Forwarded-Port").unwrap();
        c.original_uri("/hooks/sms?a=1", "X-Original-URI").unwrap();
        assert_eq!(
            find("http://10.0.0.5:8000/sms", &c, "https://public.example:8443/twilio/sms"),
            [
                "scheme http → https (X-Forwarded-Proto)",
                "host 10.0.0.5:8000 → public.example:8443 (X-Forwarded-Host)",
                "path prefix /twilio added (X-Forwarded-Prefix)"
            ]
        );
        assert_eq!(
            find("http://example.com/sms", &c, "http://example.com:8443/sms"),
            ["port no port → :8443 (X-Forwarded-Port)"]
        );
        assert_eq!(
            find("http://example.com/sms", &c, "http://example.com/hooks/sms?a=1"),
            ["request URI /hooks/sms?a=1 (X-Original-URI)"]
        );
        assert_eq!(
            find("http://example.com/twilio/sms", &c, "http://example.com/sms"),
            ["path prefix /twilio dropped (X-Forwarded-Prefix)"]
        );
    }

    #[test]
    fn queries_as_twilio_may_have_encoded_them() {
        let c = Clues::new();
        let base = "https://h/sms?name=Ana+Maria&t=a%3Ab";
        assert_eq!(
            find(base, &c, "https://h/sms?name=Ana%20Maria&t=a%3Ab"),
            ["query with %20 where the request has +"]
        );
        assert_eq!(find(base, &c, "https://h/sms?name=Ana+Maria&t=a:b"), ["query percent-decoded"]);
        assert_eq!(find(base, &c, "https://h/sms"), ["query string dropped"]);
        let base = "https://h/sms?name=Ana%20Maria&t=a:b";
        assert_eq!(
            find(base, &c, "https://h/sms?name=Ana+Maria&t=a:b"),
            ["query with + where the request has %20"]
        );
        assert_eq!(find(base, &c, "https://h/sms?name=Ana+Maria&t=a%3Ab"), ["query percent-encoded"]);
        // No query: nothing to re-encode.
        assert!(urls("https://h/sms", &c, 1000).iter().all(|u| !u.contains('?')));
    }

    #[test]
    fn prefixes_slashes_credentials_and_case() {
        let c = Clues::new();
        assert_eq!(find("https://h/api/sms", &c, "https://h/sms"), ["path prefix /api dropped"]);
        assert_eq!(find("https://h/", &c, "https://h"), ["trailing slash removed"]);
        assert_eq!(find("https://u:p@h/x", &c, "https://h/x"), ["credentials (user:pass@) dropped"]);
        assert_eq!(find("https://Example.COM/x", &c, "https://example.com/x"), ["host lower-cased"]);
        assert_eq!(find("https://h:8443/x", &c, "https://h:443/x"), ["port :8443 → :443"]);
    }

    #[test]
    fn a_request_cannot_make_the_search_larger_than_its_cap() {
        let mut c = Clues::new();
        for i in 0..50 {
            let _ = c.host(&format!("h{i}.example"), "X-Forwarded-Host");
            let _ = c.prefix(&format!("/p{i}"), "X-Forwarded-Prefix");
        }
        assert_eq!(c.hosts.len(), Clues::MAX_PER_KIND);
        assert_eq!(urls("http://h/x?a=b+c", &c, 40).len(), 40);
    }
}
