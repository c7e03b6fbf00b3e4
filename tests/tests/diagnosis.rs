//! Issue 12 over real HTTP: a Rocket server per mis-configuration on a loopback port, a request written
//! byte for byte as the proxy in front of it would forward Twilio's, and the diagnosis the refusal
//! carries, both in `TwilioError` (read by a catcher) and in the line Rocket logs (read by a capturing
//! logger). Each case asserts the cause and the fix named, that no wrong fix is suggested, and that no
//! secret or expected signature appears. Then a flood of forged requests stays within the diagnosis budget.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use rocket::figment::Figment;
use rocket::http::Status;
use rocket::serde::json::{Json, Value};
use rocket::{catch, catchers, get, post, routes, Request};
use rocket_twilio::diagnosis::Budget;
use rocket_twilio::{
    url_with_body_hash, validate_twilio_request, Algorithm, RequestValidator, Twilio, TwilioError,
};
use rocket_twilio_tests::server;

const TOKEN: &str = "diagnosis-primary-token-0123456789";
const SUB: &str = "AC0123456789abcdef0123456789abcdef";

/// Every log line of this test binary.
fn logs() -> &'static Mutex<Vec<String>> {
    static LINES: OnceLock<&'static Mutex<Vec<String>>> = OnceLock::new();
    LINES.get_or_init(|| {
        struct Capture(&'static Mutex<Vec<String>>);
        impl log::Log for Capture {
            fn enabled(&self, _: &log::Metadata<'_>) -> bool {
                true
            }
            fn log(&self, record: &log::Record<'_>) {
                if let Ok(mut lines) = self.0.lock() {
                    lines.push(record.args().to_string());
                }
            }
            fn flush(&self) {}
        }
        let lines: &'static Mutex<Vec<String>> = Box::leak(Box::new(Mutex::new(Vec::new())));
        // Installed before any Rocket launches: Rocket then keeps ours (its own fails to install).
        log::set_boxed_logger(Box::new(Capture(lines))).expect("the first logger of this binary");
        log::set_max_level(log::LevelFilter::Info);
        lines
    })
}

#[derive(rocket::FromForm)]
struct Sms<'r> {
    #[field(name = "Body")]
    body: &'r str,
}

#[validate_twilio_request]
#[post("/sms", data = "<sms>")]
fn sms(sms: rocket::form::Form<Sms<'_>>) -> String {
    format!("got {}", sms.body)
}

#[validate_twilio_request]
#[post("/events", data = "<events>")]
fn events(events: Json<Value>) -> String {
    format!("got {}", events.0)
}

/// A ConversationRelay-style WebSocket: the handshake is what is validated.
#[validate_twilio_request]
#[get("/relay")]
fn relay(ws: rocket_ws::WebSocket) -> rocket_ws::Channel<'static> {
    ws.channel(|_| Box::pin(async { Ok(()) }))
}

/// `status|diagnosis|hmacs`, then the error's `Debug` (the line Rocket logs).
#[catch(default)]
fn reason(status: Status, req: &Request<'_>) -> String {
    match TwilioError::of(req) {
        Some(e) => {
            let (diagnosis, hmacs) =
                e.diagnosis().map_or(("-".to_owned(), 0), |d| (d.to_string(), d.hmacs()));
            format!("{}|{diagnosis}|{hmacs}\n{e:?}", status.code)
        }
        None => format!("{}|not from the guard|0\n", status.code),
    }
}

/// A server with `[twilio]` = `settings` (plus the primary token unless `settings` sets one).
fn serve(settings: &[(&str, Value)]) -> SocketAddr {
    logs();
    let mut figment: Figment = rocket::Config::figment().merge(("log_level", "normal"));
    if !settings.iter().any(|(k, _)| *k == "auth_token") {
        figment = figment.merge(("twilio.auth_token", TOKEN));
    }
    for (key, value) in settings {
        figment = figment.merge((format!("twilio.{key}"), value.clone()));
    }
    server::serve(
        rocket::custom(figment)
            .attach(Twilio::fairing())
            .mount("/", routes![sms, events, relay])
            .register("/", catchers![reason]),
    )
}

/// The answer to one request: status, the diagnosis shown, its HMACs, and the whole body.
struct Answer {
    status: u16,
    diagnosis: String,
    hmacs: u32,
    body: String,
}

/// Sends `POST target` to `addr` with `Host: host` and the headers, as a proxy would forward it.
fn post(addr: SocketAddr, host: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    send(addr, "POST", host, target, headers, body)
}

/// Sends `method target` to `addr` with `Host: host`, the headers and the body.
fn send(
    addr: SocketAddr,
    method: &str,
    host: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    let mut raw = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        raw += &format!("{name}: {value}\r\n");
    }
    raw += "\r\n";
    let mut bytes = raw.into_bytes();
    bytes.extend_from_slice(body);
    stream.write_all(&bytes).expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read the answer");
    let (head, body) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
    let mut fields = body.lines().next().unwrap_or_default().splitn(3, '|');
    let status_again: u16 = fields.next().and_then(|s| s.parse().ok()).unwrap_or(status);
    assert_eq!(status, status_again);
    Answer {
        status,
        diagnosis: fields.next().unwrap_or_default().to_owned(),
        hmacs: fields.next().and_then(|s| s.parse().ok()).unwrap_or(0),
        body: body.to_owned(),
    }
}

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");
const JSON: (&str, &str) = ("Content-Type", "application/json");
const BODY: &[(&str, &str)] = &[("Body", "hi")];

fn sign(token: &str, url: &str, params: &[(&str, &str)]) -> String {
    RequestValidator::new(token).compute_signature(url, params.iter().copied())
}

/// One mis-configuration: what the server runs with, what reaches it, and what the diagnosis must say.
struct Case {
    name: &'static str,
    settings: Vec<(&'static str, Value)>,
    /// `Host` header; `None`: the server's own address.
    host: Option<&'static str>,
    target: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    /// The signature, from the server's address.
    signature: Box<dyn Fn(SocketAddr) -> String>,
    /// Strings the diagnosis must contain (`{addr}` is the server's address).
    says: Vec<&'static str>,
    /// Strings it must not contain: the wrong fixes.
    never: Vec<&'static str>,
}

const PROXY_FIXES: [&str; 3] = ["base_url", "trust_forwarded_headers", "proxy"];

fn form_case(name: &'static str, signature: impl Fn(SocketAddr) -> String + 'static) -> Case {
    Case {
        name,
        settings: Vec::new(),
        host: None,
        target: "/sms",
        headers: vec![("Content-Type", FORM.1.to_owned())],
        body: b"Body=hi".to_vec(),
        signature: Box::new(signature),
        says: Vec::new(),
        never: Vec::new(),
    }
}

fn cases() -> Vec<Case> {
    let json_body = br#"{"event":"x"}"#;
    vec![
        Case {
            host: Some("abcd.ngrok.app"),
            says: vec![
                "the signature is valid for https://abcd.ngrok.app/sms (scheme http → https): set twilio.base_url = \"https://abcd.ngrok.app\"",
            ],
            never: vec!["trust_forwarded_headers"],
            ..form_case("ngrok with its public Host", |_| sign(TOKEN, "https://abcd.ngrok.app/sms", BODY))
        },
        Case {
            headers: vec![FORM_H(), ("X-Forwarded-Proto", "https".into()), ("X-Forwarded-Host", "public.example".into())],
            says: vec![
                "the signature is valid for https://public.example/sms",
                "set twilio.trust_forwarded_headers = true (X-Forwarded-Proto and X-Forwarded-Host give this URL",
                "or twilio.base_url = \"https://public.example\"",
            ],
            never: vec!["secret this server does not have"],
            ..form_case("a TLS proxy whose X-Forwarded-* headers are not trusted", |_| {
                sign(TOKEN, "https://public.example/sms", BODY)
            })
        },
        Case {
            headers: vec![FORM_H(), ("X-Forwarded-Prefix", "/twilio".into())],
            says: vec!["path prefix /twilio added (X-Forwarded-Prefix)", "set twilio.base_url = \"http://{addr}/twilio\""],
            never: vec!["trust_forwarded_headers"],
            ..form_case("a stripped path prefix", |addr| sign(TOKEN, &format!("http://{addr}/twilio/sms"), BODY))
        },
        Case {
            host: Some("example.com"),
            headers: vec![FORM_H(), ("X-Forwarded-Proto", "https".into()), ("X-Forwarded-Port", "8443".into())],
            says: vec![
                "the signature is valid for https://example.com:8443/sms",
                "port no port → :8443 (X-Forwarded-Port)",
                "set twilio.trust_forwarded_headers = true (X-Forwarded-Proto and X-Forwarded-Port give this URL",
                "twilio.base_url = \"https://example.com:8443\"",
            ],
            never: vec!["secret this server does not have"],
            ..form_case("public port 8443", |_| sign(TOKEN, "https://example.com:8443/sms", BODY))
        },
        Case {
            target: "/sms?name=Ana+Maria",
            says: vec!["query with %20 where the request has +", "re-encoded the query string"],
            never: vec!["base_url", "trust_forwarded_headers", "secret"],
            ..form_case("a query re-encoded by a proxy", |addr| {
                sign(TOKEN, &format!("http://{addr}/sms?name=Ana%20Maria"), BODY)
            })
        },
        Case {
            headers: vec![FORM_H(), ("X-Forwarded-Proto", "https".into())],
            says: vec!["a secret this server does not have (a rotated Auth Token", "no URL variant, configured key or body shape matches"],
            never: PROXY_FIXES.to_vec(),
            ..form_case("a rotated token", |addr| sign("the-token-after-rotation", &format!("http://{addr}/sms"), BODY))
        },
        Case {
            settings: vec![("auth_token", Value::from("new-primary-token"))],
            says: vec!["a rotated Auth Token", "set twilio.secondary_auth_token to the other one"],
            never: PROXY_FIXES.to_vec(),
            ..form_case("a secondary token not configured", |addr| sign(TOKEN, &format!("http://{addr}/sms"), BODY))
        },
        Case {
            body: format!("Body=hi&AccountSid={SUB}").into_bytes(),
            says: vec!["another account's token", "it names AccountSid AC0123456789abcdef0123456789abcdef: if that is a sub-account, add its Auth Token as twilio.accounts.AC0123456789abcdef0123456789abcdef"],
            never: PROXY_FIXES.to_vec(),
            ..form_case("a sub-account token", |addr| {
                sign("sub-account-token", &format!("http://{addr}/sms"), &[("Body", "hi"), ("AccountSid", SUB)])
            })
        },
        Case {
            settings: vec![("shared_keys", rocket::serde::json::json!({ "k1": "shared-secret-one" }))],
            headers: vec![FORM_H(), ("X-Twilio-Webhooks-Signature-Settings", "key=k2,algorithm=HMAC_SHA256".into())],
            says: vec!["it names shared key `k2`, which is not configured: add it to twilio.shared_keys"],
            never: PROXY_FIXES.to_vec(),
            ..form_case("an unknown shared key", |addr| {
                RequestValidator::with_algorithm("shared-secret-two", Algorithm::HmacSha256)
                    .compute_signature(&format!("http://{addr}/sms"), BODY.iter().copied())
            })
        },
        Case {
            target: "/events",
            headers: vec![("Content-Type", JSON.1.to_owned())],
            body: json_body.to_vec(),
            says: vec!["(bodySHA256 of the body in the URL)", "dropped the query string"],
            never: vec!["base_url", "trust_forwarded_headers", "secret this server"],
            ..form_case("JSON whose bodySHA256 a proxy dropped", move |addr| {
                RequestValidator::new(TOKEN)
                    .compute_url_signature(&url_with_body_hash(&format!("http://{addr}/events"), json_body))
            })
        },
        Case {
            target: "/events",
            headers: vec![("Content-Type", JSON.1.to_owned())],
            body: json_body.to_vec(),
            says: vec!["parameters left out (URL signed alone)", "nothing vouches for this body; it stays refused"],
            never: PROXY_FIXES.to_vec(),
            ..form_case("JSON signed without bodySHA256", |addr| {
                RequestValidator::new(TOKEN).compute_url_signature(&format!("http://{addr}/events"))
            })
        },
        Case {
            says: vec!["form body signed as a raw body", "Twilio signs a form's fields"],
            never: vec!["base_url", "trust_forwarded_headers", "secret this server"],
            ..form_case("a form signed as bodySHA256", |addr| {
                RequestValidator::new(TOKEN).compute_url_signature(&url_with_body_hash(&format!("http://{addr}/sms"), b"Body=hi"))
            })
        },
        Case {
            settings: vec![("base_url", Value::from("https://old.example"))],
            host: Some("new.example"),
            says: vec!["the signature is valid for https://new.example/sms", "set twilio.base_url = \"https://new.example\" (it is \"https://old.example\")"],
            never: vec!["trust_forwarded_headers"],
            ..form_case("a base_url that is no longer the public URL", |_| sign(TOKEN, "https://new.example/sms", BODY))
        },
    ]
}

#[allow(non_snake_case)]
fn FORM_H() -> (&'static str, String) {
    ("Content-Type", FORM.1.to_owned())
}

#[test]
fn every_refusal_names_its_cause_and_fix() {
    let mut failures = Vec::new();
    for case in cases() {
        let addr = serve(&case.settings);
        let host = case.host.map_or_else(|| addr.to_string(), str::to_owned);
        let signature = (case.signature)(addr);
        let mut headers: Vec<(&str, &str)> = case.headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        headers.push(("X-Twilio-Signature", &signature));
        let answer = post(addr, &host, case.target, &headers, &case.body);
        let shown = &answer.diagnosis;
        let mut wrong = Vec::new();
        if answer.status != 403 {
            wrong.push(format!("status {}", answer.status));
        }
        for says in &case.says {
            let says = says.replace("{addr}", &addr.to_string());
            if !shown.contains(&says) {
                wrong.push(format!("does not say {says:?}"));
            }
        }
        for never in &case.never {
            if shown.contains(never) {
                wrong.push(format!("says {never:?}"));
            }
        }
        if answer.hmacs > Budget::SERVER_PER_REQUEST {
            wrong.push(format!("{} HMACs", answer.hmacs));
        }
        // The line Rocket logged carries the same diagnosis, and neither the token nor the signature.
        let logged = logs()
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains("TwilioError") && l.contains(shown.as_str()))
            .count();
        if logged == 0 {
            wrong.push("no log line carries the diagnosis".to_owned());
        }
        for secret in [TOKEN, signature.as_str()] {
            if answer.body.contains(secret) {
                wrong.push(format!("shows {secret:?}"));
            }
        }
        if !wrong.is_empty() {
            failures.push(format!("{}: {}\n    diagnosis: {shown}", case.name, wrong.join(", ")));
        }
    }
    let secrets_logged: Vec<String> =
        logs().lock().unwrap().iter().filter(|l| l.contains(TOKEN)).cloned().collect();
    assert!(secrets_logged.is_empty(), "{secrets_logged:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_configured_secondary_accepts_what_the_diagnosis_pointed_at() {
    // The fix of "a secondary token not configured", applied: the same request passes.
    let addr = serve(&[
        ("auth_token", Value::from("new-primary-token")),
        ("secondary_auth_token", Value::from(TOKEN)),
    ]);
    let signature = sign(TOKEN, &format!("http://{addr}/sms"), BODY);
    let answer =
        post(addr, &addr.to_string(), "/sms", &[FORM, ("X-Twilio-Signature", &signature)], b"Body=hi");
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[test]
fn launch_says_how_the_url_is_rebuilt() {
    serve(&[]);
    serve(&[("base_url", Value::from("https://launch.example/app"))]);
    let lines = logs().lock().unwrap().clone();
    let has = |s: &str| lines.iter().any(|l| l.contains(s));
    assert!(
        has(
            "Twilio signatures are checked against http(s)://<Host header>/…, the URL this server sees; set \
             twilio.base_url if Twilio calls another URL"
        ),
        "{lines:#?}"
    );
    assert!(
        has("Twilio signatures are checked against https://launch.example/app/… (twilio.base_url)"),
        "{lines:#?}"
    );
}

#[test]
fn a_forged_flood_stays_within_the_budget() {
    let addr = serve(&[]);
    let host = addr.to_string();
    let forged = sign("a-forger-without-the-token", &format!("http://{addr}/sms"), BODY);
    let headers = [FORM, ("X-Twilio-Signature", forged.as_str())];
    let start = Instant::now();
    let (mut requests, mut diagnosed, mut plain, mut spent) = (0u64, 0u64, 0u64, 0u64);
    // Until the budget is visibly spent (a good number of plain refusals), within bounds.
    while plain < 50 && requests < 5000 && start.elapsed() < Duration::from_secs(60) {
        let answer = post(addr, &host, "/sms", &headers, b"Body=hi");
        assert_eq!(answer.status, 403, "{}", answer.body);
        assert!(answer.body.contains("X-Twilio-Signature does not match"), "{}", answer.body);
        assert!(answer.hmacs <= Budget::SERVER_PER_REQUEST, "{}", answer.body);
        requests += 1;
        if answer.diagnosis == "-" {
            plain += 1;
            assert!(answer.body.contains("hint: "), "the plain reason keeps its hint: {}", answer.body);
        } else {
            diagnosed += 1;
            spent += u64::from(answer.hmacs);
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let allowed = f64::from(Budget::SERVER_BURST) + f64::from(Budget::SERVER_PER_SECOND) * elapsed;
    assert!(diagnosed > 0, "the first forged requests are diagnosed");
    assert!(
        plain >= 50,
        "the budget was never spent: {requests} requests, {diagnosed} diagnosed in {elapsed:.1} s"
    );
    assert!(
        spent as f64 <= allowed,
        "{spent} HMACs on diagnoses over {elapsed:.2} s, more than {allowed:.0} ({requests} requests, {diagnosed} diagnosed)"
    );
}

/// The headers of a WebSocket opening handshake (RFC 6455 §4.1), as Twilio sends them.
const HANDSHAKE: [(&str, &str); 4] = [
    ("Upgrade", "websocket"),
    ("Connection", "Upgrade"),
    ("Sec-WebSocket-Version", "13"),
    ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
];

#[test]
fn websocket_handshakes_are_diagnosed_over_ws_and_wss() {
    // Behind a TLS proxy whose headers are not trusted: the server checks ws://, Twilio opened wss://.
    let addr = serve(&[]);
    let signature = RequestValidator::new(TOKEN).compute_handshake_signature("wss://public.example/relay");
    let mut headers = HANDSHAKE.to_vec();
    headers.extend([("X-Forwarded-Proto", "https"), ("X-Twilio-Signature", &signature)]);
    let answer = send(addr, "GET", "public.example", "/relay", &headers, b"");
    assert_eq!(answer.status, 403, "{}", answer.body);
    for says in [
        "the signature is valid for wss://public.example/relay (scheme ws → wss",
        "set twilio.trust_forwarded_headers = true",
        "twilio.base_url = \"https://public.example\"",
    ] {
        assert!(answer.diagnosis.contains(says), "{says:?} in {}", answer.diagnosis);
    }

    // The server checks wss:// (base_url), the handshake was signed over https://: not a setting to change.
    let addr = serve(&[("base_url", Value::from("https://public.example"))]);
    let signature = RequestValidator::new(TOKEN)
        .compute_signature("https://public.example/relay", [] as [(&str, &str); 0]);
    let mut headers = HANDSHAKE.to_vec();
    headers.push(("X-Twilio-Signature", &signature));
    let answer = send(addr, "GET", "public.example", "/relay", &headers, b"");
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert!(
        answer.diagnosis.contains("signed over https:// instead of the wss:// URL it opened"),
        "{}",
        answer.diagnosis
    );
    for never in PROXY_FIXES {
        assert!(!answer.diagnosis.contains(never), "{never:?} in {}", answer.diagnosis);
    }
}
