//! [`Change`]: one difference between the request as checked and the request Twilio signed.

use std::fmt;

use super::KeyRole;

/// One difference between the request the server checked and the one the signature is valid for.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// Another scheme (`http` ↔ `https`, `ws` ↔ `wss`, or a forwarded proto).
    Scheme {
        /// The scheme checked.
        from: String,
        /// The scheme signed.
        to: String,
        /// The header or flag that named it, if any.
        source: Option<&'static str>,
    },
    /// `user:pass@` left out, as Twilio leaves it out of the URL it signs.
    Userinfo,
    /// The host in lower case.
    LowercaseHost,
    /// Another `host[:port]`.
    Host {
        /// The `host[:port]` checked.
        from: String,
        /// The `host[:port]` signed.
        to: String,
        /// The header or flag that named it.
        source: &'static str,
    },
    /// Another port, or none.
    Port {
        /// The port checked (`None`: none).
        from: Option<String>,
        /// The port signed (`None`: none).
        to: Option<String>,
        /// The header or flag that named it, if any.
        source: Option<&'static str>,
    },
    /// A path prefix the server did not see (a proxy strips it).
    PrefixAdded {
        /// The prefix (`/api`).
        prefix: String,
        /// The header or flag that named it.
        source: &'static str,
    },
    /// A path prefix the server saw and Twilio did not call (a proxy adds it, or the app is mounted there).
    PrefixRemoved {
        /// The prefix (`/api`).
        prefix: String,
        /// The header or flag that named it, if any (none: the first path segment).
        source: Option<&'static str>,
    },
    /// The request URI (path and query) a proxy announced as the original one.
    OriginalUri {
        /// The path and query.
        uri: String,
        /// The header that carried it.
        source: &'static str,
    },
    /// A trailing `/` added (`true`) or removed (`false`).
    TrailingSlash {
        /// Whether the signed path has the slash.
        added: bool,
    },
    /// The query string as Twilio may have encoded it.
    Query(QueryChange),
    /// Another body shape.
    Shape(Shape),
    /// Another key than the one checked first.
    Key {
        /// The key the signature is valid with.
        used: KeyRole,
        /// The key the request was checked with first, when one applied.
        checked: Option<KeyRole>,
    },
}

/// How the query string differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum QueryChange {
    /// `%20` where the request has `+`.
    PercentForPlus,
    /// `+` where the request has `%20`.
    PlusForPercent,
    /// Percent-escapes decoded.
    Decoded,
    /// Re-encoded as a form would be (`application/x-www-form-urlencoded`).
    Encoded,
    /// No query string at all.
    Dropped,
}

/// How the body was signed, when not as the request's shape says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Shape {
    /// A raw (JSON) body's `bodySHA256` was in the URL Twilio signed, and is missing from the URL received.
    BodyHashDropped,
    /// A form body was signed as a raw body: the URL with `bodySHA256` of its bytes, without its fields.
    FormAsBodyHash,
    /// The URL alone: the form fields, or the raw body, were left out of the signature.
    UrlAlone,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let from = |source: &Option<&'static str>| source.map(|s| format!(" ({s})")).unwrap_or_default();
        let port = |p: &Option<String>| p.as_ref().map_or_else(|| "no port".to_owned(), |p| format!(":{p}"));
        match self {
            Change::Scheme { from: a, to, source } => write!(f, "scheme {a} → {to}{}", from(source)),
            Change::Userinfo => f.write_str("credentials (user:pass@) dropped"),
            Change::LowercaseHost => f.write_str("host lower-cased"),
            Change::Host { from: a, to, source } => write!(f, "host {a} → {to} ({source})"),
            Change::Port { from: a, to, source } => {
                write!(f, "port {} → {}{}", port(a), port(to), from(source))
            }
            Change::PrefixAdded { prefix, source } => write!(f, "path prefix {prefix} added ({source})"),
            Change::PrefixRemoved { prefix, source } => {
                write!(f, "path prefix {prefix} dropped{}", from(source))
            }
            Change::OriginalUri { uri, source } => write!(f, "request URI {uri} ({source})"),
            Change::TrailingSlash { added: true } => f.write_str("trailing slash added"),
            Change::TrailingSlash { added: false } => f.write_str("trailing slash removed"),
            Change::Query(QueryChange::PercentForPlus) => {
                f.write_str("query with %20 where the request has +")
            }
            Change::Query(QueryChange::PlusForPercent) => {
                f.write_str("query with + where the request has %20")
            }
            Change::Query(QueryChange::Decoded) => f.write_str("query percent-decoded"),
            Change::Query(QueryChange::Encoded) => f.write_str("query percent-encoded"),
            Change::Query(QueryChange::Dropped) => f.write_str("query string dropped"),
            Change::Shape(Shape::BodyHashDropped) => f.write_str("bodySHA256 of the body in the URL"),
            Change::Shape(Shape::FormAsBodyHash) => {
                f.write_str("form body signed as a raw body (bodySHA256 of its bytes, URL alone)")
            }
            Change::Shape(Shape::UrlAlone) => f.write_str("parameters left out (URL signed alone)"),
            Change::Key { used, .. } => write!(f, "signed with {used}"),
        }
    }
}
