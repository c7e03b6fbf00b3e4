//! The mixed-traffic load client of `bench/load.sh`: keep-alive connections sending, in turn, a valid
//! signed SMS webhook and four kinds of bad ones, counting the status each kind gets.
//!
//! ```text
//! mixed HOST:PORT SECONDS CONNECTIONS     prints a table and a JSON summary; exits 1 on any false accept,
//!                                         false reject, 5xx or I/O error
//! ```
//!
//! Kinds (one request of each in turn on every connection):
//! - `valid`: signed by Twilio's algorithm with the server's token → expect 200;
//! - `tampered`: the same signature, the Body changed after signing → 403;
//! - `unsigned`: no X-Twilio-Signature → 403;
//! - `forged`: signed with another token → 403;
//! - `replayed`: a valid signature for another route (`/plain/sms`) sent to the guarded one → 403.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use rocket_twilio::RequestValidator;
use rocket_twilio_bench::{form_encode, signed_sms, sms};

const KINDS: [&str; 5] = ["valid", "tampered", "unsigned", "forged", "replayed"];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(addr), Some(secs), Some(conns)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: mixed HOST:PORT SECONDS CONNECTIONS");
        std::process::exit(2);
    };
    let secs: u64 = secs.parse().expect("seconds");
    let conns: usize = conns.parse().expect("connections");
    let requests = requests(addr);

    let deadline = Instant::now() + Duration::from_secs(secs);
    let threads: Vec<_> = (0..conns)
        .map(|i| {
            let (addr, requests) = (addr.clone(), requests.clone());
            std::thread::spawn(move || client(&addr, &requests, i, deadline))
        })
        .collect();
    let mut counts: BTreeMap<(usize, String), u64> = BTreeMap::new();
    for t in threads {
        for (k, n) in t.join().expect("client thread") {
            *counts.entry(k).or_default() += n;
        }
    }

    let mut bad = 0;
    let mut summary = serde_json::Map::new();
    println!("| kind | expected | responses | statuses |");
    println!("|---|---|---|---|");
    for (i, kind) in KINDS.iter().enumerate() {
        let expected = if i == 0 { "200" } else { "403" };
        let of_kind: Vec<(&String, &u64)> =
            counts.iter().filter(|((k, _), _)| *k == i).map(|((_, s), n)| (s, n)).collect();
        let total: u64 = of_kind.iter().map(|(_, n)| **n).sum();
        bad += of_kind.iter().filter(|(s, _)| s.as_str() != expected).map(|(_, n)| **n).sum::<u64>();
        let statuses: Vec<String> = of_kind.iter().map(|(s, n)| format!("{s}: {n}")).collect();
        println!("| {kind} | {expected} | {total} | {} |", statuses.join(", "));
        summary.insert(
            kind.to_string(),
            of_kind.iter().map(|(s, n)| (s.to_string(), serde_json::json!(n))).collect(),
        );
    }
    println!("{}", serde_json::Value::Object(summary));
    if bad > 0 {
        eprintln!("mixed: {bad} responses with an unexpected status (or I/O errors)");
        std::process::exit(1);
    }
}

/// The raw HTTP/1.1 request of each kind, by index in [`KINDS`].
fn requests(addr: &str) -> Vec<Vec<u8>> {
    let url = format!("http://{addr}/guarded/sms");
    let (body, signature) = signed_sms(&url);
    let tampered = body.replace("Reply+STOP", "Reply+STAHP");
    assert_ne!(tampered, body);
    let params = sms("Hello from Twilio! Reply STOP to unsubscribe.");
    assert_eq!(form_encode(&params), body);
    let pairs = || params.iter().map(|(n, v)| (n.as_str(), v.as_str()));
    let forged = RequestValidator::new("not the token").compute_signature(&url, pairs());
    let replayed = RequestValidator::new(rocket_twilio_bench::TOKEN)
        .compute_signature(&format!("http://{addr}/plain/sms"), pairs());
    let request = |body: &str, signature: Option<&str>| {
        let mut r = format!(
            "POST /guarded/sms HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\n",
            body.len()
        );
        if let Some(s) = signature {
            r += &format!("X-Twilio-Signature: {s}\r\n");
        }
        r += "\r\n";
        r += body;
        r.into_bytes()
    };
    vec![
        request(&body, Some(&signature)),
        request(&tampered, Some(&signature)),
        request(&body, None),
        request(&body, Some(&forged)),
        request(&body, Some(&replayed)),
    ]
}

/// Sends the kinds in turn until `deadline`; counts (kind, status), I/O failures as status "io-error".
fn client(
    addr: &str,
    requests: &[Vec<u8>],
    offset: usize,
    deadline: Instant,
) -> BTreeMap<(usize, String), u64> {
    let mut counts = BTreeMap::new();
    let mut conn: Option<BufReader<TcpStream>> = None;
    let mut i = offset;
    while Instant::now() < deadline {
        let kind = i % requests.len();
        i += 1;
        let stream = match &mut conn {
            Some(c) => c,
            None => {
                let s = TcpStream::connect(addr).expect("connect to the server");
                s.set_nodelay(true).expect("nodelay");
                s.set_read_timeout(Some(Duration::from_secs(10))).expect("read timeout");
                conn.insert(BufReader::new(s))
            }
        };
        let status = match exchange(stream, &requests[kind]) {
            Ok((status, keep_alive)) => {
                if !keep_alive {
                    conn = None;
                }
                status
            }
            Err(_) => {
                conn = None;
                "io-error".to_owned()
            }
        };
        *counts.entry((kind, status)).or_default() += 1;
    }
    counts
}

/// Writes one request and reads its response: (status code, whether the connection stays open).
fn exchange(conn: &mut BufReader<TcpStream>, request: &[u8]) -> std::io::Result<(String, bool)> {
    conn.get_mut().write_all(request)?;
    let mut line = String::new();
    conn.read_line(&mut line)?;
    let status = line.split(' ').nth(1).ok_or(std::io::ErrorKind::UnexpectedEof)?.to_owned();
    let (mut length, mut keep_alive) = (0usize, true);
    loop {
        line.clear();
        conn.read_line(&mut line)?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((header, ""));
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().map_err(|_| std::io::ErrorKind::InvalidData)?;
        } else if name.eq_ignore_ascii_case("connection") && value.trim().eq_ignore_ascii_case("close") {
            keep_alive = false;
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body)?;
    Ok((status, keep_alive))
}
