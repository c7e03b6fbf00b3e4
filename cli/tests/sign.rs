//! `twilio-webhook sign`: published vectors, agreement with twilio-python 9.13.0, secrets and errors.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::{bin, run_with, Run};
use rocket_twilio::{url_with_body_hash, Algorithm, RequestValidator};
use serde_json::{json, Value};

/// A scratch directory removed on drop.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("twilio-webhook-sign-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path.to_str().unwrap().to_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn sign(token: &str, args: &[&str]) -> Run {
    let mut all = vec!["sign"];
    all.extend_from_slice(args);
    run_with(Some(token), &all)
}

#[test]
fn twilios_documented_example() {
    let r = sign(
        "12345",
        &[
            "https://example.com/myapp.php?foo=1&bar=2",
            "CallSid=CA1234567890ABCDE",
            "Caller=+14158675310",
            "Digits=1234",
            "From=+14158675310",
            "To=+18005551212",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(r.stdout, "L/OH5YylLD5NRKLltdqwSvS0BnU=\n");
    assert!(r.stderr.is_empty(), "{}", r.all());
}

#[test]
fn json_bodies_print_the_signature_and_the_url_with_the_body_hash() {
    let dir = TempDir::new("json");
    let body = dir.file("body.json", br#"{"property": "value", "boolean": true}"#);
    let r = sign("12345", &["--json-body", &body, "https://example.com/myapp"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let url = concat!(
        "https://example.com/myapp",
        "?bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    );
    let signature = RequestValidator::new("12345").compute_url_signature(url);
    assert_eq!(r.stdout, format!("{signature}\n{url}\n"));
    assert!(RequestValidator::new("12345").validate_body(
        url,
        br#"{"property": "value", "boolean": true}"#,
        &signature
    ));
}

#[test]
fn json_bodies_are_bytes_and_may_come_from_stdin() {
    let body: &[u8] = b"\xff\xfe not UTF-8 \x00";
    let mut child = bin()
        .args(["sign", "https://example.com/hook?a=1", "--json-body", "-"])
        .env("TWILIO_AUTH_TOKEN", "12345")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(body).unwrap();
    let r = Run::from(child.wait_with_output().unwrap());
    assert_eq!(r.code, 0, "{}", r.all());
    let url = url_with_body_hash("https://example.com/hook?a=1", body);
    assert!(url.starts_with("https://example.com/hook?a=1&bodySHA256="));
    assert_eq!(r.stdout, format!("{}\n{url}\n", RequestValidator::new("12345").compute_url_signature(&url)));
}

#[test]
fn sha256_for_shared_keys() {
    let url = "https://example.com/hook";
    let r = sign("shared-key-secret", &[url, "A=1", "--algorithm", "sha256"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let expected = RequestValidator::with_algorithm("shared-key-secret", Algorithm::HmacSha256)
        .compute_signature(url, [("A", "1")]);
    assert_eq!(r.stdout.trim_end(), expected);
    assert_eq!(expected.len(), 44);
    let aliased = sign("shared-key-secret", &[url, "A=1", "--algorithm", "HMAC_SHA256"]);
    assert_eq!(aliased.stdout, r.stdout);
}

#[test]
fn the_token_file_wins_and_its_line_ending_is_ignored() {
    let dir = TempDir::new("token");
    let url = "https://example.com/sms";
    let expected = format!("{}\n", RequestValidator::new("file-token").compute_signature(url, [("A", "")]));
    for contents in [&b"file-token"[..], b"file-token\n", b"file-token\r\n"] {
        let file = dir.file("token", contents);
        let r = sign("env-token", &[url, "A=", "--auth-token-file", &file]);
        assert_eq!(r.code, 0, "{}", r.all());
        assert_eq!(r.stdout, expected, "{contents:?}");
    }

    // `-` reads the token from standard input.
    let mut child = bin()
        .args(["sign", url, "A=", "--auth-token-file", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"file-token\n").unwrap();
    let r = Run::from(child.wait_with_output().unwrap());
    assert_eq!(r.stdout, expected, "{}", r.all());
}

#[test]
fn the_token_is_read_as_the_server_reads_it() {
    // rocket_twilio::normalize_secret, the server's rule: surrounding whitespace and a leading byte order
    // mark are dropped (the server trims `TWILIO_AUTH_TOKEN="<token> "` too).
    let url = "https://example.com/sms";
    let expected = RequestValidator::new("padded").compute_url_signature(url);
    let r = sign(" padded ", &[url]);
    assert_eq!((r.code, r.stdout.trim_end()), (0, expected.as_str()), "{}", r.all());
    assert!(!r.stderr.contains("padded"), "the token is never printed: {}", r.all());
    let dir = TempDir::new("bom");
    let file = dir.file("token", b"\xEF\xBB\xBFpadded\r\n");
    let r = sign("env-token", &[url, "--auth-token-file", &file]);
    assert_eq!((r.code, r.stdout.trim_end()), (0, expected.as_str()), "{}", r.all());
    // A file holding only NUL bytes signs like the empty key, which anyone can use: refused.
    let nul = dir.file("nul", b"\0\n");
    let r = sign("env-token", &[url, "--auth-token-file", &nul]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains("is empty (or only whitespace or NUL bytes)") && r.stdout.is_empty(),
        "{}",
        r.all()
    );
}

#[test]
fn credentials_in_the_url_are_left_out_as_twilio_leaves_them_out() {
    // Twilio's documentation ("Validating requests", notes): it drops user:pass@ from the URL before
    // computing the signature; `check` sends such URLs the same way.
    let r = sign(TOKEN_FOR_CREDS, &["https://user:p%40ss@example.com/sms?x=1", "Body=hi"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let expected = RequestValidator::new(TOKEN_FOR_CREDS)
        .compute_signature("https://example.com/sms?x=1", [("Body", "hi")]);
    assert_eq!(r.stdout.trim_end(), expected);
    assert!(
        r.stderr.contains("leaves user:pass@ out of the URL it signs")
            && r.stderr.contains("signed https://example.com/sms?x=1"),
        "{}",
        r.all()
    );
    let dir = TempDir::new("creds");
    let body = dir.file("body.json", b"{}");
    let r = sign(TOKEN_FOR_CREDS, &["https://user:pw@example.com/events", "--json-body", &body]);
    assert_eq!(r.code, 0, "{}", r.all());
    let url = url_with_body_hash("https://example.com/events", b"{}");
    assert_eq!(
        r.stdout,
        format!("{}\n{url}\n", RequestValidator::new(TOKEN_FOR_CREDS).compute_url_signature(&url))
    );
}

const TOKEN_FOR_CREDS: &str = "token-for-credentials";

#[test]
fn errors_are_messages_with_exit_code_2() {
    let dir = TempDir::new("errors");
    let empty = dir.file("empty", b"\n");
    for (token, args, message) in [
        (None, vec!["sign", "https://h/x"], "no auth token: set TWILIO_AUTH_TOKEN or pass --auth-token-file"),
        (Some(""), vec!["sign", "https://h/x"], "TWILIO_AUTH_TOKEN is empty"),
        (Some("t"), vec!["sign", "https://h/x", "--auth-token-file", empty.as_str()], "is empty"),
        (
            Some("t"),
            vec!["sign", "https://h/x", "--auth-token-file", "/nonexistent/t"],
            "cannot read token file",
        ),
        (Some("t"), vec!["sign", "https://h/x", "--json-body", "/nonexistent/b"], "cannot read body file"),
        (Some("t"), vec!["sign", "https://h/x", "A=1", "--json-body", empty.as_str()], "cannot be used with"),
        (
            Some("t"),
            vec!["sign", "https://h/x?bodySHA256=ab", "--json-body", empty.as_str()],
            "already has bodySHA256",
        ),
        (
            Some("t"),
            vec!["sign", "https://h/x", "--json-body", "-", "--auth-token-file", "-"],
            "both read standard input",
        ),
        (Some("t"), vec!["sign", "h/x"], "expected an absolute URL"),
        (Some("t"), vec!["sign", "https://h:99999/x"], "invalid port"),
        (Some("t"), vec!["sign", "https://h/x", "NoEquals"], "expected NAME=VALUE"),
        (Some("t"), vec!["sign", "https://h/x", "=v"], "empty name"),
        (Some("t"), vec!["sign", "https://h/x", "--algorithm", "md5"], "invalid value 'md5'"),
        (Some("t"), vec!["sign"], "<URL>"),
    ] {
        let r = run_with(token, &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.all());
        assert!(r.stderr.contains(message), "{args:?}: {}", r.all());
        assert!(r.stdout.is_empty() && !r.stderr.contains("panicked"), "{args:?}: {}", r.all());
    }
}

/// Builds the varied requests compared with twilio-python.
fn interop_cases() -> Vec<Value> {
    let tokens = ["12345", "0123456789abcdef0123456789abcdef", "tökén with spaces", "🔑"];
    let urls = [
        "https://example.com/myapp.php?foo=1&bar=2",
        "https://mycompany.com:8443/sms",
        "http://localhost:8000/voice/",
        "https://user:pass@example.com/x?q=%20a+b",
        "https://[::1]:8080/stream",
        "https://example.com/caf%C3%A9?name=café",
        "https://example.com",
        "HTTPS://Example.COM/Upper?Case=True",
    ];
    let param_sets: [&[(&str, &str)]; 6] = [
        &[],
        &[("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675310"), ("Digits", "1234")],
        &[("Digits", "5678"), ("Digits", "1234"), ("Digits", "1234"), ("Sid", "CA1"), ("SidAccount", "AC1")],
        &[("b", ""), ("B", "x"), ("é", "1"), ("a", "2=3&4"), ("😃", "3"), ("\u{ffff}", "4")],
        &[("Body", "Hello\nworld, \"quoted\" & <tagged>"), ("MediaUrl0", "https://api.twilio.com/x?y=1")],
        &[("Empty", ""), ("Space", " leading and trailing "), ("Plus", "a+b")],
    ];
    let bodies: [&str; 4] = [
        r#"{"property": "value", "boolean": true}"#,
        "",
        r#"[{"specversion":"1.0","type":"com.twilio.messaging.message.delivered","data":{"to":"+1"}}]"#,
        "{\"emoji\":\"😃\",\"accent\":\"é\"}",
    ];
    let mut cases = Vec::new();
    for (i, url) in urls.iter().enumerate() {
        for (j, params) in param_sets.iter().enumerate() {
            if (i + j) % 2 == 0 {
                let algorithm = if (i + j) % 4 == 0 { "HMAC_SHA256" } else { "HMAC_SHA1" };
                cases.push(json!({
                    "token": tokens[(i + j) % tokens.len()],
                    "url": url,
                    // What Twilio signs: the URL without user:pass@ (which the CLI leaves out too).
                    "signed_url": url.replace("user:pass@", ""),
                    "params": params.iter().map(|(k, v)| [k, v]).collect::<Vec<_>>(),
                    "algorithm": algorithm,
                }));
            }
        }
    }
    for (i, body) in bodies.iter().enumerate() {
        for (k, url) in ["https://example.com/events", "https://example.com:8443/studio?flow=FW1&x=%20"]
            .iter()
            .enumerate()
        {
            cases.push(json!({
                "token": tokens[(i + k) % tokens.len()],
                "url": url,
                "body": body,
                "algorithm": if k == 1 { "HMAC_SHA256" } else { "HMAC_SHA1" },
            }));
        }
    }
    cases
}

const PYTHON: &str = r#"
import hashlib, json, sys
from twilio.request_validator import RequestValidator

class MultiDict:
    """The shape twilio-python reads repeated parameters from (`getall`, as in Flask's MultiDict)."""
    def __init__(self, pairs):
        self.pairs = pairs
    def __iter__(self):
        return iter([k for k, _ in self.pairs])
    def __bool__(self):
        return bool(self.pairs)
    def getall(self, name):
        return [v for k, v in self.pairs if k == name]

out = []
for case in json.load(sys.stdin):
    v = RequestValidator(case["token"])
    if "body" in case:
        url = case["url"]
        url += ("&" if "?" in url else "?") + "bodySHA256=" + v.compute_hash(case["body"])
        sig = v.compute_signature(url, {}, algorithm=case["algorithm"])
    else:
        url = case["signed_url"]
        params = MultiDict([tuple(p) for p in case["params"]])
        sig = v.compute_signature(url, params, algorithm=case["algorithm"])
    out.append({"signature": sig, "url": url})
json.dump(out, sys.stdout)
"#;

#[test]
fn sign_agrees_with_twilio_python() {
    let cases = interop_cases();
    assert!(cases.len() >= 30, "{}", cases.len());
    let input = serde_json::to_vec(&cases).unwrap();
    let expected: Vec<Value> =
        serde_json::from_slice(&rocket_twilio_tests::interop::run_python(PYTHON, &input)).unwrap();
    assert_eq!(expected.len(), cases.len());

    let dir = TempDir::new("interop");
    for (i, (case, python)) in cases.iter().zip(&expected).enumerate() {
        let token = case["token"].as_str().unwrap();
        let algorithm = if case["algorithm"] == "HMAC_SHA256" { "sha256" } else { "sha1" };
        let mut args: Vec<String> =
            vec!["sign".into(), case["url"].as_str().unwrap().into(), "--algorithm".into(), algorithm.into()];
        match case.get("body") {
            Some(body) => {
                args.push("--json-body".into());
                args.push(dir.file(&format!("body{i}"), body.as_str().unwrap().as_bytes()));
            }
            None => {
                for pair in case["params"].as_array().unwrap() {
                    args.push(format!("{}={}", pair[0].as_str().unwrap(), pair[1].as_str().unwrap()));
                }
            }
        }
        // Half the cases read the token from a file, the other half from the environment.
        let mut cmd = bin();
        if i % 2 == 0 {
            cmd.env("TWILIO_AUTH_TOKEN", token);
        } else {
            args.push("--auth-token-file".into());
            args.push(dir.file(&format!("token{i}"), format!("{token}\n").as_bytes()));
        }
        let r = Run::from(cmd.args(&args).output().unwrap());
        assert_eq!(r.code, 0, "{args:?}: {}", r.all());
        let mut lines = r.stdout.lines();
        assert_eq!(lines.next(), python["signature"].as_str(), "case {i}: {case}");
        if case.get("body").is_some() {
            assert_eq!(lines.next(), python["url"].as_str(), "case {i}: {case}");
        }
        assert_eq!(lines.next(), None, "case {i}: {}", r.all());
    }
}

/// WebSocket URLs whose handshakes are signed, with query parameters whose names and values are unique
/// and non-empty (where the agent SDKs' two readings of a query agree).
const HANDSHAKE_URLS: [&str; 5] = [
    "wss://example.com/relay",
    "wss://example.com:8443/relay?customer=42&lang=en-US",
    "ws://127.0.0.1:8000/session?name=Jos%C3%A9&note=a+b%2Bc",
    "wss://relay.example.com/app/ws?",
    "wss://example.com/audio?z=1&a=%26%3D",
];

fn sign_handshakes() -> Vec<Value> {
    HANDSHAKE_URLS
        .iter()
        .map(|url| {
            let r = sign("handshake-token", &[url]);
            assert_eq!(r.code, 0, "{url}: {}", r.all());
            let signature = r.stdout.strip_suffix('\n').expect("one line");
            json!({ "url": url, "signature": signature })
        })
        .collect()
}

#[test]
fn websocket_urls_sign_the_url_then_the_query_parameters() {
    let v = RequestValidator::new("handshake-token");
    for case in sign_handshakes() {
        let (url, signature) = (case["url"].as_str().unwrap(), case["signature"].as_str().unwrap());
        let (bare, query) = url.split_once('?').unwrap_or((url, ""));
        let params: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        assert_eq!(signature, v.compute_signature(bare, &params), "{url}");
        if !params.is_empty() {
            assert_ne!(signature, v.compute_url_signature(url), "{url}: not signed like a GET webhook");
        }
        let https = url.replacen("ws", "http", 1);
        assert_ne!(signature, v.compute_signature(https.split('?').next().unwrap(), &params), "{url}");
    }
}

/// Validates each handshake signature as twilio-agent-connect-python validates a WebSocket upgrade: the
/// URL without its query, the query's parameters (`parse_qs`, first value) as the params of
/// twilio-python's `RequestValidator.validate`.
const PYTHON_HANDSHAKE: &str = r#"
import json, sys
from urllib.parse import parse_qs, urlsplit
from twilio.request_validator import RequestValidator

out = []
for case in json.load(sys.stdin):
    parts = urlsplit(case["url"])
    url = f"{parts.scheme}://{parts.netloc}{parts.path}"
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    out.append(RequestValidator("handshake-token").validate(url, params, case["signature"]))
json.dump(out, sys.stdout)
"#;

/// The same, as twilio-agent-connect-typescript does it: `origin + pathname` and the `searchParams`, with
/// twilio-node's `validateRequest`.
const NODE_HANDSHAKE: &str = r#"
const twilio = require("twilio");
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map((c) => {
    const u = new URL(c.url);
    const params = {};
    u.searchParams.forEach((value, key) => (params[key] = value));
    return twilio.validateRequest("handshake-token", c.signature, u.origin + u.pathname, params);
  });
  process.stdout.write(JSON.stringify(out));
});
"#;

#[test]
fn websocket_signatures_pass_the_official_libraries_as_twilios_agent_sdks_use_them() {
    let cases = sign_handshakes();
    let input = serde_json::to_vec(&cases).unwrap();
    for (library, out) in [
        ("twilio-python", rocket_twilio_tests::interop::run_python(PYTHON_HANDSHAKE, &input)),
        ("twilio-node", rocket_twilio_tests::interop::run_node(NODE_HANDSHAKE, &input)),
    ] {
        let verdicts: Vec<bool> = serde_json::from_slice(&out).unwrap();
        assert_eq!(verdicts, vec![true; cases.len()], "{library}: {cases:?}");
    }
    // And a signature of another URL is refused there too (the check can fail).
    let wrong = json!([{ "url": "wss://example.com/relay", "signature": cases[1]["signature"] }]);
    let out =
        rocket_twilio_tests::interop::run_python(PYTHON_HANDSHAKE, &serde_json::to_vec(&wrong).unwrap());
    assert_eq!(serde_json::from_slice::<Vec<bool>>(&out).unwrap(), [false]);
}

#[test]
fn websocket_urls_take_no_body() {
    let dir = TempDir::new("ws-errors");
    let body = dir.file("body.json", b"{}");
    for (args, message) in [
        (vec!["sign", "wss://h/relay", "A=1"], "has no body"),
        (vec!["sign", "wss://h/relay", "--json-body", body.as_str()], "has no body"),
        (vec!["sign", "wss://h/relay#x"], "#fragment"),
    ] {
        let r = run_with(Some("t"), &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.all());
        assert!(r.stderr.contains(message), "{args:?}: {}", r.all());
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.all());
    }
}
