//! Raw HTTP/1.1 over a `TcpStream`, for tests that must send exactly the bytes they mean: repeated
//! headers, broken encodings, missing `Host`, slow or endless bodies. HTTP clients normalise exactly those.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// `Content-Type` of a form, as a header pair.
pub const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

/// What the server did with a request.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It answered: status and body.
    Answered(u16, String),
    /// It closed or reset the connection without an answer.
    Closed,
}

impl Outcome {
    /// The status, or 0 when the connection was closed without one.
    pub fn status(&self) -> u16 {
        match self {
            Outcome::Answered(status, _) => *status,
            Outcome::Closed => 0,
        }
    }

    /// The body, or "" when the connection was closed without an answer.
    pub fn body(&self) -> &str {
        match self {
            Outcome::Answered(_, body) => body,
            Outcome::Closed => "",
        }
    }
}

/// Opens a connection to `addr`; a hung server fails the test (20 s read timeout) instead of hanging it.
pub fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connect to the test server");
    // Not a timing assertion: a hung server fails the test instead of hanging it.
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("read timeout");
    stream
}

/// Writes `request` (which should ask for `Connection: close`) to `addr` and reads the whole answer.
///
/// The server may answer and close before reading everything (a rejected body, a huge header), so the
/// request is written from another thread while this one reads: a failed write is not the outcome, the
/// answer is, and reading at once gets it before the reset that closing on unread data causes.
pub fn exchange(addr: SocketAddr, request: &[u8]) -> Outcome {
    let mut stream = connect(addr);
    let mut writer = stream.try_clone().expect("clone the stream");
    let request = request.to_vec();
    let writing = std::thread::spawn(move || {
        let _ = writer.write_all(&request);
    });
    let outcome = read_answer(&mut stream);
    let _ = stream.shutdown(std::net::Shutdown::Both);
    writing.join().expect("writer thread");
    outcome
}

/// Reads an answer until the server closes the connection.
pub fn read_answer(stream: &mut TcpStream) -> Outcome {
    let mut raw = Vec::new();
    match stream.read_to_end(&mut raw) {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::ConnectionReset && !raw.is_empty() => {}
        Err(e) if e.kind() == ErrorKind::ConnectionReset => return Outcome::Closed,
        Err(e) => panic!("reading the answer: {e}"),
    }
    parse(&raw)
}

fn parse(raw: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(raw);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return Outcome::Closed;
    };
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("an HTTP status line");
    Outcome::Answered(status, body.to_owned())
}

/// A raw HTTP/1.1 request to `host` with `Connection: close` and a `Content-Length` (unless `body` is
/// None).
pub fn request(host: &str, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Vec<u8> {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head += &format!("{name}: {value}\r\n");
    }
    if let Some(body) = body {
        head += &format!("Content-Length: {}\r\n", body.len());
    }
    head += "\r\n";
    let mut raw = head.into_bytes();
    raw.extend_from_slice(body.unwrap_or_default());
    raw
}

/// `application/x-www-form-urlencoded`, as Twilio encodes it.
pub fn form(params: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(params).finish()
}
