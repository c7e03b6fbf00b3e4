//! The whole Rocket guard on arbitrary requests, through Rocket's local client: request target (query),
//! `Host`, content type, body, proxy headers and the signature header, against a server that does not
//! trust proxy headers and one that does.
//!
//! Beyond "never panics" (Rocket turns a panic in a guard into a 500, so no request may get a 500):
//! - a request signed the way Twilio signs it (the form's decoded fields; or `bodySHA256` + the URL for
//!   any other body) is served, and the handler gets what was signed: a raw body byte for byte, a form's
//!   fields re-encoded canonically;
//! - unless it is one Twilio never sends, which is refused (403): a form field without a name, or any
//!   field (query or form) that a Rocket form reads as `AccountSid` under another name (`AccountSid.x`,
//!   `accountsid`…), or two different `AccountSid`s;
//! - a form body that is not UTF-8 is a 400 whatever its signature;
//! - unsigned, wrongly signed or doubly signed requests are 403;
//! - a GET is validated on its URL alone, and refused with a body;
//! - proxy headers change nothing on the server that does not trust them.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rocket::http::uri::{Host, Origin};
use rocket::http::{Header, Status};
use rocket::local::blocking::Client;
use rocket::{get, post, routes};
use rocket_twilio::{url_with_body_hash, validate_twilio_request, RequestValidator, Twilio};

const TOKEN: &str = "fuzz-token";

/// The hex SHA-256 of the empty body.
const EMPTY_BODY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

#[validate_twilio_request]
#[post("/hook", data = "<body>")]
fn hook(body: Vec<u8>) -> Vec<u8> {
    body
}

#[validate_twilio_request]
#[get("/hook")]
fn hook_get() -> &'static str {
    "get ok"
}

fn client(trust_forwarded_headers: bool) -> Client {
    let figment = rocket::Config::figment()
        .merge(("log_level", "off"))
        .merge(("twilio.auth_token", TOKEN))
        .merge(("twilio.trust_forwarded_headers", trust_forwarded_headers));
    let rocket = rocket::custom(figment).attach(Twilio::fairing()).mount("/", routes![hook, hook_get]);
    Client::untracked(rocket).expect("a valid Rocket")
}

/// `GUARD_HTTP_STATUS=1`: print each input's status, to see which outcomes a corpus reaches
/// (`cargo fuzz run --fuzz-dir guard guard_http guard/corpus/guard_http -- -runs=0`).
static SHOW_STATUS: std::sync::LazyLock<bool> =
    std::sync::LazyLock::new(|| std::env::var_os("GUARD_HTTP_STATUS").is_some());

thread_local! {
    static UNTRUSTED: Client = client(false);
    static TRUSTED: Client = client(true);
}

#[derive(Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
enum Signing {
    /// As Twilio signs it.
    Twilio,
    None,
    Garbage,
    /// Twilio's signature, twice.
    Twice,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Type {
    Form,
    FormCharset,
    Json,
    Text,
    None,
}

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    get: bool,
    query: &'a str,
    host: &'a str,
    content_type: Type,
    body: &'a [u8],
    signing: Signing,
    proxy: Vec<(u8, &'a str)>,
}

const PROXY_HEADERS: [&str; 6] = [
    "X-Forwarded-Proto",
    "X-Forwarded-Host",
    "X-Forwarded-Port",
    "Forwarded",
    "X-Original-Host",
    "X-Forwarded-For",
];

fn decode(body: &[u8]) -> Option<Vec<(String, String)>> {
    std::str::from_utf8(body).ok()?;
    Some(form_urlencoded::parse(body).map(|(n, v)| (n.into_owned(), v.into_owned())).collect())
}

/// Whether a Rocket form reads the field `name` as `AccountSid`: its first key (after one leading `.`,
/// or inside a leading `[…]`) is `AccountSid` in any case. Written independently of the guard's code.
fn reads_as_account_sid(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let (rest, closing) = match lower.as_bytes().first() {
        Some(b'.') => (&lower[1..], None),
        Some(b'[') => (&lower[1..], Some(']')),
        _ => (&lower[..], None),
    };
    let Some(after) = rest.strip_prefix("accountsid") else { return false };
    match closing {
        Some(close) => after.is_empty() || after.starts_with(close),
        None => after.is_empty() || after.starts_with(['.', '[']),
    }
}

/// Whether the fields' `AccountSid` claims are ambiguous: an alias name, or two different values.
fn ambiguous_account(fields: &[(String, String)]) -> bool {
    let claims: Vec<&(String, String)> = fields.iter().filter(|(n, _)| reads_as_account_sid(n)).collect();
    claims.iter().any(|(n, _)| n != "AccountSid") || claims.windows(2).any(|w| w[0].1 != w[1].1)
}

fuzz_target!(|input: Input<'_>| {
    // Only request targets and hosts that Rocket parses and prints back unchanged: then the URL Twilio
    // would have signed is known without asking the crate.
    let target = match input.query {
        "" => "/hook".to_owned(),
        q => format!("/hook?{q}"),
    };
    let Ok(origin) = Origin::parse(&target) else { return };
    if origin.to_string() != target {
        return;
    }
    let host = Host::parse(input.host).ok().filter(|h| h.to_string() == input.host);
    let is_form = matches!(input.content_type, Type::Form | Type::FormCharset);
    let fields = if is_form { decode(input.body) } else { None };
    let has_body = !input.body.is_empty();
    let query_fields = decode(input.query.as_bytes()).unwrap_or_default();
    let claims: Vec<(String, String)> = query_fields.iter().chain(fields.iter().flatten()).cloned().collect();
    // Requests Twilio never sends, which the guard refuses whatever their signature.
    let not_twilio = ambiguous_account(&claims)
        || (!input.get && fields.as_ref().is_some_and(|f| f.iter().any(|(n, _)| n.is_empty())));
    // A form sent to a URL that names a bodySHA256 is checked against that hash, not its fields.
    // The query's bodySHA256 (the first non-empty one, as parse_qs finds it) binds the body, also an empty
    // one: a request without a body passes only if it names the hash of the empty body.
    let query_hash = query_fields.iter().find(|(n, v)| n == "bodySHA256" && !v.is_empty()).map(|(_, v)| v);
    let form_with_hash = is_form && query_hash.is_some();
    let empty_body_hash_ok = query_hash.is_none_or(|h| h == EMPTY_BODY_SHA256);

    // Non-form bodies carry their hash in the URL (unless the query already names one).
    let hash_in_url = !input.get && !is_form && has_body && !target.to_ascii_lowercase().contains("body");
    // Without a usable host the request is sent without one; sign for a placeholder (it is refused).
    let base = format!("http://{}", if host.is_some() { input.host } else { "unknown.example" });
    let url = match hash_in_url {
        true => url_with_body_hash(&format!("{base}{target}"), input.body),
        false => format!("{base}{target}"),
    };
    let sent_target = url[base.len()..].to_owned();
    let validator = RequestValidator::new(TOKEN);
    let signature = match &fields {
        Some(f) => validator.compute_signature(&url, f.iter().map(|(n, v)| (n.as_str(), v.as_str()))),
        None => validator.compute_url_signature(&url),
    };

    let send = |client: &Client| {
        let mut req = match input.get {
            true => client.get(sent_target.clone()),
            false => client.post(sent_target.clone()),
        };
        if let Some(h) = &host {
            req.inner_mut().set_host(h.clone());
        }
        match input.content_type {
            Type::Form => req.add_header(Header::new("Content-Type", "application/x-www-form-urlencoded")),
            Type::FormCharset => req.add_header(Header::new(
                "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )),
            Type::Json => req.add_header(Header::new("Content-Type", "application/json")),
            Type::Text => req.add_header(Header::new("Content-Type", "text/plain")),
            Type::None => {}
        }
        for (which, value) in &input.proxy {
            let name = PROXY_HEADERS[*which as usize % PROXY_HEADERS.len()];
            req.add_header(Header::new(name, value.to_string()));
        }
        match input.signing {
            Signing::Twilio => req.add_header(Header::new("X-Twilio-Signature", signature.clone())),
            Signing::None => {}
            Signing::Garbage => req.add_header(Header::new("X-Twilio-Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")),
            Signing::Twice => {
                req.add_header(Header::new("X-Twilio-Signature", signature.clone()));
                req.add_header(Header::new("X-Twilio-Signature", signature.clone()));
            }
        }
        // Over HTTP/1.1 a body comes with its length (the local client does not add it). A GET gets its
        // body too: the guard must refuse it.
        if has_body {
            req.add_header(Header::new("Content-Length", input.body.len().to_string()));
        }
        let response = req.body(input.body).dispatch();
        let status = response.status();
        (status, response.into_bytes().unwrap_or_default())
    };

    let (status, body) = UNTRUSTED.with(send);
    if *SHOW_STATUS {
        eprintln!("guard_http: {} {:?} get={}", status.code, input.signing, input.get);
    }
    assert_ne!(status.code / 100, 5, "{status} for {input:?}");

    let expected = match (input.get, input.signing) {
        // URL-only guard: the URL's signature, and no body.
        (true, Signing::Twilio) if host.is_some() && !has_body && !not_twilio && empty_body_hash_ok => {
            Some(Status::Ok)
        }
        (true, _) => Some(Status::Forbidden),
        // Checked before the body is read: the header, then the URL (no usable Host: refused).
        (false, Signing::None | Signing::Twice) => Some(Status::Forbidden),
        (false, _) if host.is_none() => Some(Status::Forbidden),
        // A form that is not UTF-8 is refused as malformed before its signature is checked.
        (false, _) if is_form && fields.is_none() => Some(Status::BadRequest),
        (false, Signing::Garbage) => Some(Status::Forbidden),
        (false, Signing::Twilio) if form_with_hash => None,
        (false, Signing::Twilio) if not_twilio => Some(Status::Forbidden),
        (false, Signing::Twilio) if !has_body && !empty_body_hash_ok => Some(Status::Forbidden),
        // The query already names a bodySHA256: depends on which one comes first.
        (false, Signing::Twilio) if !is_form && has_body && !hash_in_url => None,
        (false, Signing::Twilio) => Some(Status::Ok),
    };
    if let Some(expected) = expected {
        assert_eq!(status, expected, "{input:?} ({sent_target}): {}", String::from_utf8_lossy(&body));
    }
    if status == Status::Ok && !input.get {
        match (&fields, form_with_hash) {
            (Some(fields), false) => {
                let canonical = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
                assert_eq!(body, canonical.as_bytes());
            }
            _ => assert_eq!(body, input.body),
        }
    }

    // Trusting proxy headers: they may change the URL, but never produce a 5xx; without any, nothing
    // changes.
    let (trusted, _) = TRUSTED.with(send);
    assert_ne!(trusted.code / 100, 5, "{trusted} for {input:?}");
    if input.proxy.is_empty() {
        assert_eq!(trusted, status, "{input:?}");
    }
});
