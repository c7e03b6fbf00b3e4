//! End to end over real HTTP: a Rocket server with `#[validate_twilio_request]` routes on a loopback port,
//! and requests signed by the official twilio-python 9.13.0 `RequestValidator` and sent by Python's
//! `requests` (so the URL, headers and body encoding are a real client's, not ours).
//!
//! Valid requests reach the handler (200); a tampered parameter, URL, port or scheme is refused (403);
//! proxy headers change the URL only when the server is configured to trust them.
#![allow(non_snake_case)]

use std::collections::HashMap;
use std::net::SocketAddr;

use rocket::form::Form;
use rocket::serde::json::{json, Json, Value};
use rocket::{get, post, routes, Build, Rocket};
use rocket_twilio::{validate_twilio_request, Twilio};
use rocket_twilio_tests::{interop, server};

const TOKEN: &str = "12345abcdef";

#[derive(rocket::FromForm)]
struct Sms<'r> {
    #[field(name = "Body")]
    body: &'r str,
    #[field(name = "MediaUrl")]
    media: Vec<&'r str>,
}

#[validate_twilio_request]
#[post("/sms", data = "<sms>")]
fn sms(sms: Form<Sms<'_>>) -> String {
    format!("{} ({} media)", sms.body, sms.media.len())
}

#[validate_twilio_request]
#[post("/status")]
fn status() -> &'static str {
    "status ok"
}

#[validate_twilio_request]
#[get("/gather?<Digits>")]
fn gather(Digits: &str) -> String {
    format!("digits {Digits}")
}

#[validate_twilio_request]
#[post("/events", data = "<events>")]
fn events(events: Json<Vec<Value>>) -> String {
    format!("{} events", events.len())
}

fn app(trust_forwarded_headers: bool) -> Rocket<Build> {
    let figment = server::quiet_config()
        .merge(("twilio.auth_token", TOKEN))
        .merge(("twilio.trust_forwarded_headers", trust_forwarded_headers));
    rocket::custom(figment).attach(Twilio::fairing()).mount("/", routes![sms, status, gather, events])
}

/// Has twilio-python sign and send the cases; returns name → (status, body).
fn python_sends(cases: Value) -> HashMap<String, (u16, String)> {
    interop::sign_and_send(interop::Signer::Python, TOKEN, &cases)
        .into_iter()
        .map(|(name, answer)| (name, (answer.status, answer.body)))
        .collect()
}

fn base(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

#[test]
fn python_signed_requests_over_http() {
    let addr = server::serve(app(false));
    let b = base(addr);
    let sms = json!([
        ["From", "+14155550100"],
        ["Body", "Hi 👋 & <b>"],
        ["MediaUrl", "https://a/1"],
        ["MediaUrl", "https://a/0"],
        ["AccountSid", "AC1"]
    ]);
    let cases = json!([
        { "name": "form", "method": "POST", "url": format!("{b}/sms"), "params": sms },
        { "name": "form, signed without the port", "method": "POST", "url": format!("{b}/sms"),
          "sign_url": format!("http://127.0.0.1/sms"), "params": sms },
        { "name": "form with a query string", "method": "POST", "url": format!("{b}/sms?From=%2B1&x=a+b%20c"), "params": sms },
        { "name": "no data parameter", "method": "POST", "url": format!("{b}/status"),
          "params": [["CallStatus", "completed"], ["CallDuration", "42"]] },
        { "name": "GET", "method": "GET", "url": format!("{b}/gather?Digits=1234&CallSid=CA1&From=%2B1415") },
        { "name": "JSON", "method": "POST", "url": format!("{b}/events"), "json": "[{\"type\":\"a\"},{\"type\":\"b\"}]" },

        { "name": "tampered param", "method": "POST", "url": format!("{b}/sms"), "params": sms,
          "sign_params": [["From", "+14155550100"], ["Body", "Hi"]] },
        { "name": "tampered repeated value", "method": "POST", "url": format!("{b}/sms"), "params": sms,
          "sign_params": [["From", "+14155550100"], ["Body", "Hi 👋 & <b>"], ["MediaUrl", "https://a/1"], ["AccountSid", "AC1"]] },
        { "name": "tampered path", "method": "POST", "url": format!("{b}/sms"), "sign_url": format!("{b}/sms2"), "params": sms },
        { "name": "tampered query", "method": "POST", "url": format!("{b}/sms?x=2"), "sign_url": format!("{b}/sms?x=1"), "params": sms },
        { "name": "tampered GET query", "method": "GET", "url": format!("{b}/gather?Digits=9999"),
          "sign_url": format!("{b}/gather?Digits=1234") },
        { "name": "wrong port", "method": "POST", "url": format!("{b}/sms"), "sign_url": "http://127.0.0.1:1/sms", "params": sms },
        { "name": "wrong scheme", "method": "POST", "url": format!("{b}/sms"), "sign_url": format!("https://{addr}/sms"), "params": sms },
        { "name": "tampered JSON", "method": "POST", "url": format!("{b}/events"), "json": "[{\"type\":\"evil\"}]",
          "sign_json": "[{\"type\":\"a\"}]" },
        { "name": "unsigned", "method": "POST", "url": format!("{b}/sms"), "params": sms, "signature": null },
        { "name": "garbage signature", "method": "POST", "url": format!("{b}/sms"), "params": sms, "signature": "%%%not base64" },
        { "name": "spoofed proxy headers are ignored", "method": "POST", "url": format!("{b}/sms"),
          "sign_url": "https://public.example/sms", "params": sms,
          "headers": { "X-Forwarded-Proto": "https", "X-Forwarded-Host": "public.example" } },
    ]);
    let results = python_sends(cases);
    let expect = |name: &str, status: u16, body: Option<&str>| {
        let (got, text) = &results[name];
        assert_eq!(*got, status, "{name}: {text}");
        if let Some(body) = body {
            assert_eq!(text, body, "{name}");
        }
    };
    expect("form", 200, Some("Hi 👋 & <b> (2 media)"));
    expect("form, signed without the port", 200, Some("Hi 👋 & <b> (2 media)"));
    expect("form with a query string", 200, Some("Hi 👋 & <b> (2 media)"));
    expect("no data parameter", 200, Some("status ok"));
    expect("GET", 200, Some("digits 1234"));
    expect("JSON", 200, Some("2 events"));
    for refused in [
        "tampered param",
        "tampered repeated value",
        "tampered path",
        "tampered query",
        "tampered GET query",
        "wrong port",
        "wrong scheme",
        "tampered JSON",
        "unsigned",
        "garbage signature",
        "spoofed proxy headers are ignored",
    ] {
        expect(refused, 403, None);
    }
}

#[test]
fn forwarded_headers_are_honoured_only_when_trusted() {
    let b = base(server::serve(app(true)));
    let sms = json!([["From", "+1"], ["Body", "via proxy"]]);
    let proxy = json!({ "X-Forwarded-Proto": "https", "X-Forwarded-Host": "public.example" });
    let cases = json!([
        { "name": "x-forwarded", "method": "POST", "url": format!("{b}/sms"), "sign_url": "https://public.example/sms",
          "params": sms, "headers": proxy },
        { "name": "x-forwarded, default port added", "method": "POST", "url": format!("{b}/sms"),
          "sign_url": "https://public.example:443/sms", "params": sms, "headers": proxy },
        { "name": "rfc 7239", "method": "POST", "url": format!("{b}/sms"), "sign_url": "https://public.example:8443/sms",
          "params": sms, "headers": { "Forwarded": "for=192.0.2.1;proto=https;host=\"public.example:8443\"" } },
        { "name": "x-original-host", "method": "POST", "url": format!("{b}/sms"), "sign_url": "http://original.example/sms",
          "params": sms, "headers": { "X-Original-Host": "original.example" } },
        { "name": "signed for the internal URL instead", "method": "POST", "url": format!("{b}/sms"), "params": sms,
          "headers": proxy },
        { "name": "malformed forwarded host", "method": "POST", "url": format!("{b}/sms"), "params": sms,
          "headers": { "X-Forwarded-Host": "evil.example/path" } },
    ]);
    let results = python_sends(cases);
    for ok in ["x-forwarded", "x-forwarded, default port added", "rfc 7239", "x-original-host"] {
        assert_eq!(results[ok], (200, "via proxy (0 media)".to_owned()), "{ok}");
    }
    for refused in ["signed for the internal URL instead", "malformed forwarded host"] {
        assert_eq!(results[refused].0, 403, "{refused}");
    }
}
