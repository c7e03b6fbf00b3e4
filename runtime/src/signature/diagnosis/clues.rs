//! [`Clues`]: what a request (or a user) says about the URL Twilio may have called.

use super::parts::{UrlError, UrlParts};

/// One value that suggests another URL, and where it came from: a header name (`X-Forwarded-Host`) or a
/// command-line flag (`--host`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Clue<T> {
    pub(crate) value: T,
    pub(crate) source: &'static str,
}

/// A host a proxy forwarded, split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HostClue {
    /// As written (`example.com:8443`).
    pub(crate) written: String,
    pub(crate) host: String,
    pub(crate) port: Option<String>,
}

/// What the request carries about the URL Twilio called, besides the URL the server checked: the
/// scheme, host, port, path prefix or original request URI a proxy announced (trusted or not), or the
/// alternatives a user gave `twilio-webhook explain`. Each clue becomes a variant of the URL to try.
///
/// Values that cannot be what they claim (a scheme other than http(s)/ws(s), a host with a path, a port
/// that is not a number) are refused with an error, which a server ignores and a command line reports.
/// At most four clues of each kind are kept, so a request cannot make the search larger.
///
/// ```
/// use rocket_twilio::diagnosis::Clues;
///
/// let mut clues = Clues::new();
/// clues.proto("https", "X-Forwarded-Proto")?;
/// clues.host("public.example.com", "X-Forwarded-Host")?;
/// clues.prefix("/twilio/", "X-Forwarded-Prefix")?;
/// assert!(clues.host("evil/path", "X-Forwarded-Host").is_err());
/// # Ok::<(), rocket_twilio::diagnosis::UrlError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Clues {
    pub(crate) protos: Vec<Clue<String>>,
    pub(crate) hosts: Vec<Clue<HostClue>>,
    pub(crate) ports: Vec<Clue<String>>,
    pub(crate) prefixes: Vec<Clue<String>>,
    pub(crate) uris: Vec<Clue<String>>,
}

fn push<T: PartialEq>(list: &mut Vec<Clue<T>>, value: T, source: &'static str) {
    if list.len() < Clues::MAX_PER_KIND && !list.iter().any(|c| c.value == value) {
        list.push(Clue { value, source });
    }
}

fn invalid(what: &str, value: &str, expected: &str) -> UrlError {
    UrlError::new(format!("invalid {what} `{value}`: expected {expected}"))
}

impl Clues {
    /// At most this many clues of each kind (hosts, ports, …) are kept, further ones ignored: a request
    /// cannot make the search larger than that.
    pub const MAX_PER_KIND: usize = 4;

    /// No clues.
    pub fn new() -> Self {
        Clues::default()
    }

    /// A scheme Twilio may have called: `http`, `https`, `ws` or `wss` (any case).
    pub fn proto(&mut self, proto: &str, source: &'static str) -> Result<&mut Self, UrlError> {
        let proto = proto.trim().to_ascii_lowercase();
        if !["http", "https", "ws", "wss"].contains(&proto.as_str()) {
            return Err(invalid("scheme", &proto, "http, https, ws or wss"));
        }
        push(&mut self.protos, proto, source);
        Ok(self)
    }

    /// A `host[:port]` Twilio may have called (IPv6 in brackets).
    pub fn host(&mut self, host: &str, source: &'static str) -> Result<&mut Self, UrlError> {
        let written = host.trim();
        let (name, port) = UrlParts::parse_host(written)?;
        push(&mut self.hosts, HostClue { written: written.to_owned(), host: name, port }, source);
        Ok(self)
    }

    /// A port Twilio may have called (`X-Forwarded-Port`).
    pub fn port(&mut self, port: &str, source: &'static str) -> Result<&mut Self, UrlError> {
        let port = port.trim();
        if crate::signature::url::announced_port(port).is_none() {
            return Err(invalid("port", port, "a number from 1 to 65535"));
        }
        push(&mut self.ports, port.to_owned(), source);
        Ok(self)
    }

    /// A path prefix a proxy strips before the request reaches the server, or adds to it (`/api`, from
    /// `api`, `/api/` or `/api`).
    pub fn prefix(&mut self, prefix: &str, source: &'static str) -> Result<&mut Self, UrlError> {
        let trimmed = prefix.trim().trim_matches('/');
        if trimmed.is_empty()
            || trimmed.contains(['?', '#'])
            || trimmed.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(invalid("path prefix", prefix, "a path such as /api"));
        }
        push(&mut self.prefixes, format!("/{trimmed}"), source);
        Ok(self)
    }

    /// The request URI (path and query) Twilio called, before a proxy rewrote it (`X-Original-URI`,
    /// `X-Forwarded-Uri`).
    pub fn original_uri(&mut self, uri: &str, source: &'static str) -> Result<&mut Self, UrlError> {
        let uri = uri.trim();
        if !uri.starts_with('/')
            || uri.contains('#')
            || uri.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(invalid("request URI", uri, "a path and query such as /sms?x=1"));
        }
        push(&mut self.uris, uri.to_owned(), source);
        Ok(self)
    }

    /// Whether there is no clue at all.
    pub fn is_empty(&self) -> bool {
        self.protos.is_empty()
            && self.hosts.is_empty()
            && self.ports.is_empty()
            && self.prefixes.is_empty()
            && self.uris.is_empty()
    }
}
