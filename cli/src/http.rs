//! Sending one signed request to a webhook, with optional Basic or Digest credentials.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use rocket_twilio::SIGNATURE_HEADER;
use tungstenite::handshake::client::generate_key;
use tungstenite::handshake::derive_accept_key;
use ureq::http::{header, Response, Uri};
use ureq::Agent;

use crate::error::CliError;
use crate::params::Credentials;

/// The HTTP methods Twilio calls webhooks with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    /// Parameters in the query string.
    Get,
    /// Parameters form-encoded in the body.
    Post,
    /// A WebSocket opening handshake (a `GET` with `Upgrade: websocket`) to a `ws://` or `wss://` URL,
    /// as Twilio opens Media Streams and ConversationRelay sockets.
    Handshake,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, so that the table's `{:<6}` applies.
        f.pad(match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Handshake => "WS",
        })
    }
}

/// How to authenticate to the webhook itself.
#[derive(Clone, Debug, Default)]
pub(crate) enum Auth {
    /// No credentials.
    #[default]
    None,
    /// `Authorization: Basic …` on every request.
    Basic(Credentials),
    /// Answer a `WWW-Authenticate: Digest …` challenge.
    Digest(Credentials),
    /// What Twilio does with `user:pass@` in a webhook URL: send nothing first, then answer the server's
    /// `Basic` or `Digest` challenge.
    Challenged(Credentials),
}

/// One request to send.
#[derive(Clone, Debug)]
pub(crate) struct SignedRequest<'a> {
    /// The method.
    pub(crate) method: Method,
    /// The URL to call, query string included (`ws://`/`wss://` for a handshake).
    pub(crate) url: &'a str,
    /// The `X-Twilio-Signature` value.
    pub(crate) signature: &'a str,
    /// The form-encoded body (POST only).
    pub(crate) form_body: Option<&'a str>,
}

/// What the webhook answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Answer {
    /// The HTTP status code (after the Digest exchange, when there was one).
    pub(crate) status: u16,
    /// The `Location` header of a redirect.
    pub(crate) location: Option<String>,
    /// Whether a 401 carried a Digest challenge (so `--digest` would help).
    pub(crate) digest_challenge: bool,
    /// For a handshake: whether the answer was `101` with the `Sec-WebSocket-Accept` of the key sent, i.e.
    /// a WebSocket server switched protocols.
    pub(crate) upgraded: bool,
}

/// A blocking HTTP client that never follows redirects and reports every status as an answer.
pub(crate) struct Client {
    agent: Agent,
    auth: Auth,
    timeout: Duration,
}

impl Client {
    /// A client whose requests each give up after `timeout`.
    pub(crate) fn new(auth: Auth, timeout: Duration) -> Self {
        let config = Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(concat!("twilio-webhook/", env!("CARGO_PKG_VERSION")))
            .build();
        Client { agent: config.into(), auth, timeout }
    }

    /// Sends `request`, answering a Digest challenge when configured to.
    pub(crate) fn send(&self, request: &SignedRequest<'_>) -> Result<Answer, CliError> {
        // A handshake travels over http(s): `ws://` is `http://` and `wss://` is `https://` on the wire.
        let url = match request.method {
            Method::Handshake => {
                rocket_twilio::handshake_http_url(request.url).unwrap_or_else(|| request.url.to_owned())
            }
            Method::Get | Method::Post => request.url.to_owned(),
        };
        let uri = Uri::try_from(url.as_str())
            .map_err(|e| CliError::usage(format!("cannot send a request to {}: {e}", request.url)))?;
        // A fresh nonce per handshake (RFC 6455 §4.1), and the answer it calls for.
        let key = (request.method == Method::Handshake).then(generate_key);
        let authorization = match &self.auth {
            Auth::None | Auth::Digest(_) | Auth::Challenged(_) => None,
            Auth::Basic(c) => Some(basic_authorization(c)),
        };
        let response = self.exchange(request, &url, &uri, key.as_deref(), authorization.as_deref())?;
        let status = response.status().as_u16();
        if status == 401 {
            let answer_with = match (&self.auth, digest_challenge(&response)) {
                (Auth::Digest(credentials) | Auth::Challenged(credentials), Some(challenge)) => {
                    Some(digest_authorization(request, &uri, credentials, challenge)?)
                }
                (Auth::Challenged(credentials), None) if basic_challenge(&response) => {
                    Some(basic_authorization(credentials))
                }
                _ => None,
            };
            if let Some(authorization) = answer_with {
                let response = self.exchange(request, &url, &uri, key.as_deref(), Some(&authorization))?;
                return Ok(answer(&response, key.as_deref()));
            }
        }
        Ok(answer(&response, key.as_deref()))
    }

    fn exchange(
        &self,
        request: &SignedRequest<'_>,
        url: &str,
        uri: &Uri,
        key: Option<&str>,
        authorization: Option<&str>,
    ) -> Result<Response<ureq::Body>, CliError> {
        let result = match request.method {
            // `key` is set for a handshake, the one difference on the wire.
            Method::Get | Method::Handshake => {
                let mut builder = self.agent.get(url).header(SIGNATURE_HEADER, request.signature);
                if let Some(key) = key {
                    builder = builder
                        .header(header::UPGRADE, "websocket")
                        .header(header::CONNECTION, "Upgrade")
                        .header(header::SEC_WEBSOCKET_VERSION, "13")
                        .header(header::SEC_WEBSOCKET_KEY, key);
                }
                if let Some(a) = authorization {
                    builder = builder.header(header::AUTHORIZATION, a);
                }
                builder.call()
            }
            Method::Post => {
                let mut builder = self
                    .agent
                    .post(request.url)
                    .header(SIGNATURE_HEADER, request.signature)
                    .content_type("application/x-www-form-urlencoded");
                if let Some(a) = authorization {
                    builder = builder.header(header::AUTHORIZATION, a);
                }
                builder.send(request.form_body.unwrap_or_default().as_bytes())
            }
        };
        result.map_err(|e| describe(e, uri, self.timeout))
    }
}

fn answer(response: &Response<ureq::Body>, key: Option<&str>) -> Answer {
    let status = response.status().as_u16();
    let location =
        response.headers().get(header::LOCATION).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let accept = response.headers().get(header::SEC_WEBSOCKET_ACCEPT).map(|v| v.as_bytes());
    let upgraded = match key {
        Some(key) => status == 101 && accept == Some(derive_accept_key(key.as_bytes()).as_bytes()),
        None => false,
    };
    Answer {
        status,
        location,
        digest_challenge: status == 401 && digest_challenge(response).is_some(),
        upgraded,
    }
}

fn basic_authorization(c: &Credentials) -> String {
    let pair = format!("{}:{}", c.user, c.password);
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))
}

/// Whether the server asks for `Basic` credentials.
fn basic_challenge(response: &Response<ureq::Body>) -> bool {
    response.headers().get_all(header::WWW_AUTHENTICATE).iter().any(|value| {
        value.to_str().is_ok_and(|v| v.trim_start().get(..5).is_some_and(|s| s.eq_ignore_ascii_case("basic")))
    })
}

/// The parameters of the first `WWW-Authenticate: Digest …` challenge, without the scheme name.
fn digest_challenge(response: &Response<ureq::Body>) -> Option<&str> {
    response.headers().get_all(header::WWW_AUTHENTICATE).iter().find_map(|value| {
        let value = value.to_str().ok()?.trim_start();
        let (scheme, params) = value.split_at_checked(6)?;
        scheme.eq_ignore_ascii_case("digest").then_some(params)
    })
}

fn digest_authorization(
    request: &SignedRequest<'_>,
    uri: &Uri,
    credentials: &Credentials,
    challenge: &str,
) -> Result<String, CliError> {
    let mut prompt = digest_auth::parse(challenge)
        .map_err(|e| CliError::usage(format!("cannot answer the server's Digest challenge: {e}")))?;
    let method = match request.method {
        Method::Get | Method::Handshake => digest_auth::HttpMethod::GET,
        Method::Post => digest_auth::HttpMethod::POST,
    };
    let path_and_query = uri.path_and_query().map_or("/", |pq| pq.as_str());
    let body = request.form_body.map(str::as_bytes);
    let context = digest_auth::AuthContext::new_with_method(
        credentials.user.as_str(),
        credentials.password.as_str(),
        path_and_query,
        body,
        method,
    );
    let header = prompt
        .respond(&context)
        .map_err(|e| CliError::usage(format!("cannot answer the server's Digest challenge: {e}")))?;
    Ok(header.to_header_string())
}

/// A clear message for a failed exchange: network problems exit with 3, malformed requests with 2.
fn describe(error: ureq::Error, uri: &Uri, timeout: Duration) -> CliError {
    let host = uri.authority().map_or_else(|| uri.to_string(), |a| a.to_string());
    let network = |kind: &'static str, message: String| CliError::Network { kind, message };
    let timed_out =
        || network("timed out", format!("timed out: {host} did not answer within {}", format_secs(timeout)));
    match error {
        ureq::Error::Timeout(_) => timed_out(),
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => timed_out(),
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => network(
            "connection refused",
            format!("connection refused by {host}: is the server running and listening on that port?"),
        ),
        // rustls reports handshake failures as invalid data, e.g. an http-only server on an https URL.
        ureq::Error::Io(e)
            if e.kind() == std::io::ErrorKind::InvalidData && uri.scheme_str() == Some("https") =>
        {
            network("TLS error", format!("TLS error with {host}: {e} (does it serve https on that port?)"))
        }
        ureq::Error::Io(e) if e.to_string().contains("lookup") => {
            network("unknown host", format!("cannot resolve the host of {host}: {e}"))
        }
        ureq::Error::Io(e) => network("network error", format!("network error talking to {host}: {e}")),
        ureq::Error::HostNotFound => {
            network("unknown host", format!("cannot resolve the host of {host}: the DNS lookup failed"))
        }
        ureq::Error::ConnectionFailed => network("connection failed", format!("could not connect to {host}")),
        ureq::Error::Rustls(e) => network("TLS error", format!("TLS error with {host}: {e}")),
        ureq::Error::Tls(e) => network("TLS error", format!("TLS error with {host}: {e}")),
        ureq::Error::Protocol(e) => {
            network("invalid HTTP", format!("{host} did not answer with valid HTTP: {e}"))
        }
        ureq::Error::BadUri(e) => CliError::usage(format!("cannot send a request to {uri}: {e}")),
        ureq::Error::Http(e) => CliError::usage(format!("cannot build the request: {e}")),
        other => network("network error", format!("request to {host} failed: {other}")),
    }
}

/// `10s`, `0.5s`.
pub(crate) fn format_secs(d: Duration) -> String {
    let s = format!("{:.3}", d.as_secs_f64());
    format!("{}s", s.trim_end_matches('0').trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_durations_briefly() {
        assert_eq!(format_secs(Duration::from_secs(10)), "10s");
        assert_eq!(format_secs(Duration::from_millis(500)), "0.5s");
        assert_eq!(format_secs(Duration::from_millis(1250)), "1.25s");
    }

    #[test]
    fn basic_authorization_is_rfc_7617() {
        let c = Credentials { user: "Aladdin".into(), password: "open sesame".into() };
        assert_eq!(basic_authorization(&c), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    }
}
