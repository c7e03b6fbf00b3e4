//! Shared by the integration tests: running the binary, and a small webhook server to check against.
#![allow(dead_code)] // Each test binary uses a different part of this module.

use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use base64::Engine as _;
use md5::{Digest, Md5};
use rocket_twilio::RequestValidator;
use tiny_http::{Header, Response, Server};

/// The Auth Token the fixture server validates with.
pub const TOKEN: &str = "fixture-auth-token-0123456789abcdef";

/// The binary under test, with no Twilio secret or proxy inherited from the environment.
pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_twilio-webhook"));
    for var in [
        "TWILIO_AUTH_TOKEN",
        "TWILIO_AUTH_TOKEN_SECONDARY",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        cmd.env_remove(var);
    }
    cmd.stdin(Stdio::null());
    cmd
}

/// The result of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Both streams, for assertion messages.
    pub fn all(&self) -> String {
        format!("exit {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().expect("the binary exited normally, not by a signal"),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Runs the binary with `TWILIO_AUTH_TOKEN=token` (none when `None`).
pub fn run_with(token: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = bin();
    cmd.args(args);
    if let Some(token) = token {
        cmd.env("TWILIO_AUTH_TOKEN", token);
    }
    cmd.output().expect("run twilio-webhook").into()
}

/// Runs the binary with the fixture's token.
pub fn run(args: &[&str]) -> Run {
    run_with(Some(TOKEN), args)
}

/// A request the fixture received.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    /// The request target (path and query) as sent.
    pub target: String,
    pub signature: Option<String>,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub body: String,
}

/// Credentials the `/basic` and `/digest` routes want.
pub const USER: &str = "twilio";
pub const PASSWORD: &str = "s3cret:with-colon";
const REALM: &str = "fixture";
const NONCE: &str = "dcd98b7102dd2f0e8b11d0f600bfb0c093";

/// A webhook server on 127.0.0.1 with one route per behaviour:
///
/// - `/protected`: validates `X-Twilio-Signature` with [`TOKEN`] (200 or 403);
/// - `/open`: always 200 (not protected);
/// - `/broken`: always 500;
/// - `/refuse-all`: always 403, even valid requests;
/// - `/redirect`: 301 to `/protected`;
/// - `/basic`: 401 without `Authorization: Basic` for [`USER`]:[`PASSWORD`], then like `/protected`;
/// - `/digest`: a Digest challenge (qop=auth), checked independently with MD5, then like `/protected`.
pub struct Fixture {
    pub base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    server: Arc<Server>,
    thread: Option<JoinHandle<()>>,
}

impl Fixture {
    pub fn start() -> Self {
        let server = Arc::new(Server::http("127.0.0.1:0").expect("bind the fixture server"));
        let port = server.server_addr().to_ip().expect("an IP listener").port();
        let base = format!("http://127.0.0.1:{port}");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (server, seen, base) = (Arc::clone(&server), Arc::clone(&seen), base.clone());
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    handle(request, &base, &seen);
                }
            })
        };
        Fixture { base, seen, server, thread: Some(thread) }
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Every request received so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn header(request: &tiny_http::Request, name: &'static str) -> Option<String> {
    request.headers().iter().find(|h| h.field.equiv(name)).map(|h| h.value.as_str().to_owned())
}

fn handle(mut request: tiny_http::Request, base: &str, seen: &Mutex<Vec<Seen>>) {
    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    let record = Seen {
        method: request.method().as_str().to_owned(),
        target: request.url().to_owned(),
        signature: header(&request, "X-Twilio-Signature"),
        authorization: header(&request, "Authorization"),
        content_type: header(&request, "Content-Type"),
        body,
    };
    seen.lock().unwrap().push(record.clone());
    let path = record.target.split('?').next().unwrap_or_default();
    let validated = || {
        let url = format!("{base}{}", record.target);
        let params: Vec<(String, String)> = if record.method == "POST" {
            form_urlencoded::parse(record.body.as_bytes()).into_owned().collect()
        } else {
            Vec::new()
        };
        let ok = RequestValidator::new(TOKEN).validate(
            &url,
            params,
            record.signature.as_deref().unwrap_or_default(),
        );
        if ok {
            Response::from_string("<Response/>").with_status_code(200)
        } else {
            Response::from_string("Twilio Request Validation Failed.").with_status_code(403)
        }
    };
    let with_header = |r: Response<_>, name: &str, value: &str| {
        r.with_header(Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header"))
    };
    let response = match path {
        "/protected" => validated(),
        "/open" => Response::from_string("<Response/>").with_status_code(200),
        "/broken" => Response::from_string("boom").with_status_code(500),
        "/refuse-all" => Response::from_string("no").with_status_code(403),
        "/redirect" => with_header(Response::from_string("").with_status_code(301), "Location", "/protected"),
        "/basic" => {
            let expected = format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"))
            );
            if record.authorization.as_deref() == Some(&expected) {
                validated()
            } else {
                with_header(
                    Response::from_string("").with_status_code(401),
                    "WWW-Authenticate",
                    "Basic realm=\"fixture\"",
                )
            }
        }
        "/digest" => {
            if record.authorization.as_deref().is_some_and(|a| digest_ok(a, &record)) {
                validated()
            } else {
                with_header(
                    Response::from_string("").with_status_code(401),
                    "WWW-Authenticate",
                    &format!("Digest realm=\"{REALM}\", qop=\"auth\", nonce=\"{NONCE}\", opaque=\"xyz\""),
                )
            }
        }
        _ => Response::from_string("not found").with_status_code(404),
    };
    let _ = request.respond(response);
}

/// RFC 2617 `qop=auth` check, written independently of the client's digest_auth crate.
fn digest_ok(authorization: &str, request: &Seen) -> bool {
    let Some(params) = authorization.strip_prefix("Digest ") else { return false };
    let mut fields = std::collections::HashMap::new();
    for part in split_params(params) {
        if let Some((k, v)) = part.split_once('=') {
            fields.insert(k.trim().to_owned(), v.trim().trim_matches('"').to_owned());
        }
    }
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let md5 = |s: String| format!("{:x}", Md5::digest(s.as_bytes()));
    if get("username") != USER || get("realm") != REALM || get("nonce") != NONCE || get("qop") != "auth" {
        return false;
    }
    if get("uri") != request.target {
        return false;
    }
    let ha1 = md5(format!("{USER}:{REALM}:{PASSWORD}"));
    let ha2 = md5(format!("{}:{}", request.method, request.target));
    let expected = md5(format!("{ha1}:{NONCE}:{}:{}:auth:{ha2}", get("nc"), get("cnonce")));
    get("response") == expected
}

/// Splits `a="x, y", b=z` at the commas outside quotes.
fn split_params(s: &str) -> Vec<String> {
    let (mut parts, mut current, mut quoted) = (Vec::new(), String::new(), false);
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' if !quoted => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    parts
}

/// A server that accepts connections and never answers; it closes them after `hold`.
pub fn silent_server(hold: Duration) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let _ = listener.set_nonblocking(false);
        let mut held = Vec::new();
        // Bounded: at most a few connections, each held for `hold`.
        for stream in listener.incoming().take(4).flatten() {
            held.push(stream);
            let held_now = std::mem::take(&mut held);
            std::thread::spawn(move || {
                std::thread::sleep(hold);
                drop(held_now);
            });
        }
    });
    port
}

/// A server that answers whatever it receives (a TLS handshake included) with a plain-HTTP 400.
pub fn plain_http_server() -> u16 {
    use std::io::{Read, Write};
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().take(4).flatten() {
            let mut buf = [0u8; 1024];
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let _ = stream.read(&mut buf);
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    port
}
