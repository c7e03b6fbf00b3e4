//! Hostile inputs against the example server over real HTTP: each test is one row of the table in
//! `docs/SECURITY.md` ("Hostile inputs"), and asserts the status (and, through a catcher, the reason)
//! that input gets.
//!
//! Requests are written byte by byte on a `TcpStream`, because HTTP clients normalise exactly what these
//! tests send: repeated headers, broken encodings, missing `Host`, slow or endless bodies, huge headers.
//! The server is `rocket_twilio_examples::app` (`POST /voice`, `GET /voice`, `POST /message`,
//! `POST /events`) with `limits.form` raised to 128 KiB, served on a loopback port.

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::time::Duration;

use rocket::http::Status;
use rocket::{catch, catchers, Request};
use rocket_twilio::{url_with_body_hash, RequestValidator, TwilioError};
use rocket_twilio_tests::raw_http::{self, read_answer, Outcome, FORM};
use rocket_twilio_tests::server;

const TOKEN: &str = "hostile-inputs-token";
/// `limits.form` of the server under test.
const FORM_LIMIT: usize = 128 * 1024;

/// Every error status names its reason, so the tests can tell a 403 for a bad signature from one for a
/// missing `Host`, followed by the line Rocket logs for it (the error's `Debug`), which must never carry
/// the token (checked by [`Outcome::expect`]).
#[catch(default)]
fn reason(status: Status, req: &Request<'_>) -> String {
    match TwilioError::of(req) {
        Some(e) => format!("{} {:?}\n{e:?}", status.code, e.reason()),
        None => format!("{} not from the Twilio guard", status.code),
    }
}

fn addr() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let figment = server::quiet_config()
            .merge(("twilio.auth_token", TOKEN))
            .merge(("limits.form", FORM_LIMIT));
        server::serve(rocket_twilio_examples::app(figment).register("/", catchers![reason]))
    })
}

fn url(path: &str) -> String {
    format!("http://{}{path}", addr())
}

fn sign(path: &str, params: &[(&str, &str)]) -> String {
    RequestValidator::new(TOKEN).compute_signature(&url(path), params.iter().copied())
}

fn form(params: &[(&str, &str)]) -> String {
    raw_http::form(params)
}

/// Checks an outcome: its status, a piece of its body, and that the token is nowhere in it.
trait Expect {
    fn expect(&self, status: u16, body_contains: &str);
}

impl Expect for Outcome {
    #[track_caller]
    fn expect(&self, status: u16, body_contains: &str) {
        assert_eq!(self.status(), status, "{self:?}");
        assert!(self.body().contains(body_contains), "expected {body_contains:?} in {self:?}");
        assert!(!self.body().contains(TOKEN), "the token leaked: {self:?}");
    }
}

fn connect() -> TcpStream {
    raw_http::connect(addr())
}

fn exchange(request: &[u8]) -> Outcome {
    raw_http::exchange(addr(), request)
}

/// A raw HTTP/1.1 request with `Host`, `Connection: close` and `Content-Length` (unless `body` is None).
fn request(method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Vec<u8> {
    raw_http::request(&addr().to_string(), method, path, headers, body)
}

/// A form POST with the given signature (None: no header).
fn post_form(path: &str, body: &[u8], signature: Option<&str>) -> Outcome {
    let mut headers = vec![FORM];
    if let Some(sig) = signature {
        headers.push(("X-Twilio-Signature", sig));
    }
    exchange(&request("POST", path, &headers, Some(body)))
}

/// The parameters Twilio always sends with an incoming message, besides `From` and `Body`: the example
/// reads `/message` as an `IncomingMessage`, which requires them.
const MESSAGE: [(&str, &str); 4] =
    [("MessageSid", "SM0123"), ("AccountSid", "AC0123"), ("To", "+14155550199"), ("NumMedia", "0")];

/// The same for an incoming call (`/voice`, an `IncomingCall`), besides `From`.
const CALL: [(&str, &str); 5] = [
    ("CallSid", "CA0123"),
    ("AccountSid", "AC0123"),
    ("To", "+14155550199"),
    ("CallStatus", "ringing"),
    ("Direction", "inbound"),
];

/// `params` after the parameters of [`MESSAGE`].
fn message<'a>(params: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    MESSAGE.iter().chain(params).copied().collect()
}

fn sms(text: &str) -> Vec<(&'static str, String)> {
    let mut params: Vec<_> = MESSAGE.iter().map(|&(n, v)| (n, v.to_owned())).collect();
    params.extend([("From", "+14155550100".into()), ("Body", text.into())]);
    params
}

fn borrow<'a>(params: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    params.iter().map(|(n, v)| (*n, v.as_str())).collect()
}

/// The answer of `/message` to a text of `chars` characters.
fn counted(chars: usize) -> String {
    format!("Your text to me was {chars} characters long")
}

#[test]
fn baseline_a_signed_sms_is_served() {
    let params = sms("hello");
    let p = borrow(&params);
    post_form("/message", form(&p).as_bytes(), Some(&sign("/message", &p))).expect(200, &counted(5));
}

#[test]
fn rejections_log_no_secret() {
    let params = sms("secret?");
    let p = borrow(&params);
    let body = form(&p);
    let genuine = sign("/message", &p);
    let forged =
        RequestValidator::new("another token").compute_signature(&url("/message"), p.iter().copied());
    let outcome = post_form("/message", body.as_bytes(), Some(&forged));
    outcome.expect(403, "X-Twilio-Signature does not match the URL and parameters");
    // The log line has the URL checked and a hint, never what the signature should have been.
    assert!(outcome.body().contains(&format!("url: \"{}\"", url("/message"))), "{outcome:?}");
    assert!(!outcome.body().contains(&genuine), "{outcome:?}");
}

#[test]
fn oversized_form_body_is_413_and_unsigned_ones_are_refused_before_reading() {
    let params = sms(&"x".repeat(FORM_LIMIT + 1));
    let p = borrow(&params);
    let body = form(&p);
    post_form("/message", body.as_bytes(), Some(&sign("/message", &p))).expect(413, "TooLarge");
    post_form("/message", body.as_bytes(), None).expect(403, "MissingSignature");
}

#[test]
fn oversized_json_body_is_413() {
    // limits.json is Rocket's default, 1 MiB.
    let body = format!("[\"{}\"]", "x".repeat(1024 * 1024));
    let signed_url = url_with_body_hash(&url("/events"), body.as_bytes());
    let path = &signed_url[url("").len()..];
    let sig = RequestValidator::new(TOKEN).compute_url_signature(&signed_url);
    let headers = [("Content-Type", "application/json"), ("X-Twilio-Signature", sig.as_str())];
    exchange(&request("POST", path, &headers, Some(body.as_bytes()))).expect(413, "TooLarge");
}

#[test]
fn invalid_utf8_form_body_is_400() {
    let body = b"From=%2B14155550100&Body=\xff\xfe\xfd";
    // The signature is checked only once the body is decoded, so any signature gets the 400.
    post_form("/message", body, Some("AAAAAAAAAAAAAAAAAAAAAAAAAAA=")).expect(400, "Malformed");
    post_form("/message", body, None).expect(403, "MissingSignature");
}

#[test]
fn broken_percent_encoding_is_signed_as_decoded() {
    // `%zz` is not an escape: it stays as is, three characters (as in twilio-python's parse_qs).
    let body = format!("{}&From=%2B14155550100&Body=%zz", form(&MESSAGE));
    let body = body.as_bytes();
    let as_decoded = sign("/message", &message(&[("From", "+14155550100"), ("Body", "%zz")]));
    post_form("/message", body, Some(&as_decoded)).expect(200, &counted(3));
    let other = sign("/message", &message(&[("From", "+14155550100"), ("Body", "")]));
    post_form("/message", body, Some(&other)).expect(403, "SignatureMismatch");

    // `%e2%82` is a truncated UTF-8 sequence: it decodes to one U+FFFD.
    let body = format!("{}&From=%2B14155550100&Body=%e2%82", form(&MESSAGE));
    let body = body.as_bytes();
    let as_decoded = sign("/message", &message(&[("From", "+14155550100"), ("Body", "\u{FFFD}")]));
    post_form("/message", body, Some(&as_decoded)).expect(200, &counted(1));
    let as_raw = sign("/message", &message(&[("From", "+14155550100"), ("Body", "%e2%82")]));
    post_form("/message", body, Some(&as_raw)).expect(403, "SignatureMismatch");
}

#[test]
fn duplicate_signature_headers_are_403() {
    let params = sms("two signatures");
    let p = borrow(&params);
    let body = form(&p);
    let sig = sign("/message", &p);
    let twice = [FORM, ("X-Twilio-Signature", sig.as_str()), ("X-Twilio-Signature", sig.as_str())];
    exchange(&request("POST", "/message", &twice, Some(body.as_bytes()))).expect(403, "DuplicateSignature");
    let with_junk = [FORM, ("X-Twilio-Signature", "junk"), ("X-Twilio-Signature", sig.as_str())];
    exchange(&request("POST", "/message", &with_junk, Some(body.as_bytes())))
        .expect(403, "DuplicateSignature");
    // Joined in one header, as a proxy folding them would send them.
    let joined = format!("{sig}, {sig}");
    post_form("/message", body.as_bytes(), Some(&joined)).expect(403, "SignatureMismatch");
    // Header names are case-insensitive: one signature in any case is served, two in different cases are
    // still two.
    let lower = [FORM, ("x-twilio-signature", sig.as_str())];
    exchange(&request("POST", "/message", &lower, Some(body.as_bytes()))).expect(200, "<Message>");
    let mixed = [FORM, ("X-TWILIO-SIGNATURE", sig.as_str()), ("x-Twilio-signature", sig.as_str())];
    exchange(&request("POST", "/message", &mixed, Some(body.as_bytes()))).expect(403, "DuplicateSignature");
    // The settings header is found in any case too: naming a Shared Key the server does not have refuses
    // the request, even with a signature that the Auth Token validates.
    let settings = ("x-twilio-webhooks-signature-settings", "key=unknown,algorithm=HMAC_SHA256");
    let named = [FORM, ("X-Twilio-Signature", sig.as_str()), settings];
    exchange(&request("POST", "/message", &named, Some(body.as_bytes()))).expect(403, "UnknownSharedKey");
}

#[test]
fn ten_thousand_parameters() {
    let names: Vec<String> = (0..10_000).map(|i| format!("P{i:04}")).collect();
    let mut params: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "v")).collect();
    params.extend(message(&[("From", "+14155550100"), ("Body", "many")]));
    let body = form(&params);
    assert!(body.len() < FORM_LIMIT);
    let sig = sign("/message", &params);
    post_form("/message", body.as_bytes(), Some(&sig)).expect(200, &counted(4));
    // One value changed among 10 000.
    let tampered = body.replace("P5000=v", "P5000=w");
    post_form("/message", tampered.as_bytes(), Some(&sig)).expect(403, "SignatureMismatch");

    // Over the limit: 10 000 parameters of 16 bytes.
    let long: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "0123456789")).collect();
    let body = form(&long);
    assert!(body.len() > FORM_LIMIT);
    post_form("/message", body.as_bytes(), Some(&sign("/message", &long))).expect(413, "TooLarge");
}

#[test]
fn huge_headers_and_request_lines() {
    let params = sms("big header");
    let p = borrow(&params);
    let body = form(&p);
    let sig = sign("/message", &p);
    let with = |extra: &[(&str, &str)]| {
        let mut headers = vec![FORM, ("X-Twilio-Signature", sig.as_str())];
        headers.extend_from_slice(extra);
        exchange(&request("POST", "/message", &headers, Some(body.as_bytes())))
    };
    // A 64 KiB header is within hyper's buffer: the request is validated and served as usual.
    with(&[("X-Padding", &"a".repeat(64 * 1024))]).expect(200, &counted(10));
    // 1 MiB of headers, or more than 100 of them: hyper answers 431 before Rocket sees the request.
    with(&[("X-Padding", &"a".repeat(1024 * 1024))]).expect(431, "");
    let many: Vec<(String, String)> = (0..120).map(|i| (format!("X-H{i}"), "v".into())).collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    with(&many).expect(431, "");
    // A 64 KiB signature: refused on its length, without computing any HMAC.
    post_form("/message", body.as_bytes(), Some(&"A".repeat(64 * 1024))).expect(403, "SignatureMismatch");
    // A 64 KiB query string: 414 from hyper; a 1 MiB request line: 431.
    let long = format!("/voice?From=%2B1&x={}", "a".repeat(64 * 1024));
    exchange(&request("GET", &long, &[("X-Twilio-Signature", &sign(&long, &[]))], None)).expect(414, "");
    let longer = format!("/voice?From=%2B1&x={}", "a".repeat(1024 * 1024));
    exchange(&request("GET", &longer, &[], None)).expect(431, "");
}

#[test]
fn spoofed_forwarded_headers_are_ignored_when_not_trusted() {
    let params = sms("spoof");
    let p = borrow(&params);
    let body = form(&p);
    let spoofed_sig =
        RequestValidator::new(TOKEN).compute_signature("https://public.example/message", p.iter().copied());
    let real_sig = sign("/message", &p);
    for spoof in [
        [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "public.example")],
        [("Forwarded", "proto=https;host=public.example"), ("X-Forwarded-For", "192.0.2.1")],
        [("X-Original-Host", "public.example"), ("X-Forwarded-Proto", "https")],
    ] {
        // Signed over the URL the spoofed headers claim: refused.
        let headers = [FORM, ("X-Twilio-Signature", spoofed_sig.as_str()), spoof[0], spoof[1]];
        exchange(&request("POST", "/message", &headers, Some(body.as_bytes())))
            .expect(403, "SignatureMismatch");
        // Signed over the URL the server was called on: the headers change nothing.
        let headers = [FORM, ("X-Twilio-Signature", real_sig.as_str()), spoof[0], spoof[1]];
        exchange(&request("POST", "/message", &headers, Some(body.as_bytes()))).expect(200, &counted(5));
    }
}

#[test]
fn percent_encoded_path_variants_are_validated_or_not_routed() {
    // twilio-ruby #809: a middleware matched paths textually, and `/%76oice` reached the `/voice` handler
    // without validation. Here the guard is part of the route, so whatever Rocket routes to it is
    // validated against the path as received.
    let params: Vec<_> = CALL.iter().copied().chain([("From", "+14155550100")]).collect();
    let body = form(&params);
    let canonical_sig = sign("/voice", &params);
    let routed_to_voice = ["/voice", "/%76oice", "/voic%65", "/%76%6F%69%63%65", "/voice/", "//voice"];
    let not_routed = ["/VOICE", "/./voice", "/voice%2F", "/%2Fvoice", "/voice;x", "/voice%00", "/voice%20"];
    for path in routed_to_voice.into_iter().chain(not_routed) {
        let routed = routed_to_voice.contains(&path);
        let unsigned = post_form(path, body.as_bytes(), None).status();
        let canonical = post_form(path, body.as_bytes(), Some(&canonical_sig)).status();
        let exact = post_form(path, body.as_bytes(), Some(&sign(path, &params))).status();
        let expected = match (routed, path) {
            (true, "/voice") => (403, 200, 200),
            (true, _) => (403, 403, 200),
            (false, _) => (404, 404, 404),
        };
        assert_eq!(
            (unsigned, canonical, exact),
            expected,
            "{path}: (unsigned, signed /voice, signed {path})"
        );
    }
}

#[test]
fn method_override_and_bodies_on_url_only_routes() {
    let path = "/voice?From=%2B14155550100";
    let sig = sign(path, &[]);
    let signed = [("X-Twilio-Signature", sig.as_str())];
    exchange(&request("GET", path, &signed, None)).expect(200, "1 4 1 5 5 5 5 0 1 0 0");
    exchange(&request("HEAD", path, &signed, None)).expect(200, "");
    exchange(&request("HEAD", path, &[], None)).expect(403, "");
    // A GET signature only covers the URL: a body on it would go unchecked, so it is refused.
    exchange(&request("GET", path, &signed, Some(b"From=%2B1999"))).expect(403, "UnexpectedBody");
    // Rocket turns a form POST starting with `_method=get` into a GET: the URL-only guard sees the body.
    let headers = [FORM, signed[0]];
    exchange(&request("POST", path, &headers, Some(b"_method=get&From=%2B1999")))
        .expect(403, "UnexpectedBody");
}

#[test]
fn wrong_content_types() {
    let params = sms("typed");
    let p = borrow(&params);
    let body = form(&p);
    let sig = sign("/message", &p);
    let events_sig = sign("/events", &p);
    // A form body that does not say it is one is a raw body, which needs bodySHA256 in the URL: refused
    // by a route that takes raw bodies (`Json` takes any content type). A `Form` route does not take such a
    // body: the request is forwarded before anything is read, as Rocket's `Form` forwards, and with no
    // other route for it, answered 415.
    for content_type in
        [Some("text/plain"), Some("multipart/form-data; boundary=x"), Some("application/json"), None]
    {
        let mut headers = vec![("X-Twilio-Signature", events_sig.as_str())];
        headers.extend(content_type.map(|ct| ("Content-Type", ct)));
        exchange(&request("POST", "/events", &headers, Some(body.as_bytes()))).expect(403, "BodyHashMissing");
        headers[0].1 = sig.as_str();
        exchange(&request("POST", "/message", &headers, Some(body.as_bytes())))
            .expect(415, "UnsupportedMediaType");
    }

    // JSON signed over the URL alone, without bodySHA256: the signature vouches for no body.
    let json = br#"[{"type":"com.twilio.messaging.message.delivered"}]"#;
    let headers = [("Content-Type", "application/json"), ("X-Twilio-Signature", &sign("/events", &[]))];
    exchange(&request("POST", "/events", &headers, Some(json))).expect(403, "BodyHashMissing");

    // A genuine JSON webhook sent to the form route: forwarded, then refused for its type.
    let signed_url = url_with_body_hash(&url("/message"), json);
    let json_sig = RequestValidator::new(TOKEN).compute_url_signature(&signed_url);
    let headers = [("Content-Type", "application/json"), ("X-Twilio-Signature", json_sig.as_str())];
    exchange(&request("POST", &signed_url[url("").len()..], &headers, Some(json)))
        .expect(415, "UnsupportedMediaType");

    // A form with a charset parameter, or in another case, is still a form.
    for content_type in
        ["application/x-www-form-urlencoded; charset=utf-8", "Application/X-WWW-Form-URLEncoded"]
    {
        let headers = [("Content-Type", content_type), ("X-Twilio-Signature", sig.as_str())];
        exchange(&request("POST", "/message", &headers, Some(body.as_bytes()))).expect(200, &counted(5));
    }
}

#[test]
fn slow_bodies() {
    let params = sms("slow");
    let p = borrow(&params);
    let body = form(&p);
    let sig = sign("/message", &p);
    let head = |signature: Option<&str>, length: usize| {
        let mut h = format!(
            "POST /message HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: {}\r\n\
             Content-Length: {length}\r\n",
            addr(),
            FORM.1
        );
        if let Some(s) = signature {
            h += &format!("X-Twilio-Signature: {s}\r\n");
        }
        h + "\r\n"
    };

    // Unsigned, announcing 1 MB and sending 20 bytes: refused without waiting for the rest. (Rocket
    // itself waits for the first 14 bytes of a form POST, to look for `_method`.)
    let mut slow = connect();
    slow.write_all(head(None, 1_000_000).as_bytes()).unwrap();
    slow.write_all(&body.as_bytes()[..20]).unwrap();
    read_answer(&mut slow).expect(403, "MissingSignature");

    // Signed, the body dribbled in 7-byte pieces: served.
    let mut slow = connect();
    slow.write_all(head(Some(&sig), body.len()).as_bytes()).unwrap();
    for chunk in body.as_bytes().chunks(7) {
        slow.write_all(chunk).unwrap();
        std::thread::sleep(Duration::from_millis(2));
    }
    read_answer(&mut slow).expect(200, &counted(4));

    // Signed, the body never completes. Rocket has no body timeout: the connection waits, but other
    // requests are served meanwhile, and when the client gives up the request is a 400.
    let mut stuck = connect();
    stuck.write_all(head(Some(&sig), body.len() + 10).as_bytes()).unwrap();
    stuck.write_all(body.as_bytes()).unwrap();
    let meanwhile = sms("meanwhile");
    let m = borrow(&meanwhile);
    post_form("/message", form(&m).as_bytes(), Some(&sign("/message", &m))).expect(200, &counted(9));
    stuck.shutdown(std::net::Shutdown::Write).unwrap();
    read_answer(&mut stuck).expect(400, "Malformed");
}

#[test]
fn empty_bodies() {
    let sig = sign("/message", &[]);
    // Signed (over the URL: no parameters), then the form lacks the fields `IncomingMessage` requires: 422
    // from the form parser.
    post_form("/message", b"", Some(&sig)).expect(422, "Parse");
    let form_no_length = [FORM, ("X-Twilio-Signature", sig.as_str())];
    exchange(&request("POST", "/message", &form_no_length, None)).expect(422, "Parse");
    post_form("/message", b"", Some(&sign("/voice", &[]))).expect(403, "SignatureMismatch");
    post_form("/message", b"", None).expect(403, "MissingSignature");
    // No Content-Type: validated like a bodiless request, then not a form for the route.
    let no_type = [("X-Twilio-Signature", sig.as_str())];
    exchange(&request("POST", "/message", &no_type, Some(b""))).expect(415, "UnsupportedMediaType");
}

#[test]
fn missing_host_is_403_no_url() {
    let params = sms("no host");
    let p = borrow(&params);
    let body = form(&p);
    let sig = sign("/message", &p);
    let rest = format!(
        "Content-Type: {}\r\nContent-Length: {}\r\nX-Twilio-Signature: {sig}\r\n\r\n{body}",
        FORM.1,
        body.len()
    );
    for request_line in [
        "POST /message HTTP/1.0\r\n".to_owned(),
        "POST /message HTTP/1.1\r\nConnection: close\r\n".to_owned(),
        // The absolute form names the host, but Rocket takes it from the Host header only.
        format!("POST http://{}/message HTTP/1.1\r\nConnection: close\r\n", addr()),
    ] {
        exchange(format!("{request_line}{rest}").as_bytes()).expect(403, "NoUrl");
    }
}

#[test]
fn ambiguous_framing_and_headers() {
    let params: Vec<_> = CALL.iter().copied().chain([("From", "+14155550100")]).collect();
    let body = form(&params);
    let sig = sign("/voice", &params);
    let send = |headers: &str, body: &str| {
        exchange(
            format!(
                "POST /voice HTTP/1.1\r\nConnection: close\r\nContent-Type: {}\r\nX-Twilio-Signature: {sig}\r\n\
                 {headers}\r\n{body}",
                FORM.1
            )
            .as_bytes(),
        )
    };
    let host = format!("Host: {}\r\n", addr());
    let length = format!("Content-Length: {}\r\n", body.len());
    let chunked = format!("{:x}\r\n{}\r\n{:x}\r\n{}\r\n0\r\n\r\n", 5, &body[..5], body.len() - 5, &body[5..]);
    let said = "1 4 1 5 5 5 5 0 1 0 0";

    send(&format!("{host}Transfer-Encoding: chunked\r\n"), &chunked).expect(200, said);
    // Two Content-Lengths: hyper refuses the request.
    send(&format!("{host}{length}Content-Length: 3\r\n"), &body).expect(400, "");
    // Content-Length and chunked: the chunked body is the body (RFC 9112), and it is what was validated.
    send(&format!("{host}{length}Transfer-Encoding: chunked\r\n"), &chunked).expect(200, said);
    // Two Host headers: the first is the URL's host, for the guard as for the rest of Rocket.
    send(&format!("{host}Host: evil.example\r\n{length}"), &body).expect(200, said);
    send(&format!("Host: evil.example\r\n{host}{length}"), &body).expect(403, "SignatureMismatch");
}
