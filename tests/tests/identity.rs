//! Identity and integrity over real HTTP: a handler reads only what the signature vouched for, as the
//! account that signed it. Each test is a row of `docs/SECURITY.md` ("Identity and integrity"): the status
//! the request gets, and what the handler saw (or that it never ran).
//!
//! The server has two tenants (sub-accounts) and a main token. The attacker holds its own tenant's token
//! and signs whatever it likes with it, exactly as twilio-python's `RequestValidator` would (our
//! `compute_signature` agrees with it on every request of `tests/tests/differential.rs`).
#![allow(non_snake_case)]

use std::net::SocketAddr;
use std::sync::OnceLock;

use rocket::form::{Form, Strict};
use rocket::http::Status;
use rocket::serde::json::{Json, Value};
use rocket::{catch, catchers, get, post, routes, Request};
use rocket_twilio::{
    body_sha256_hex, url_with_body_hash, validate_twilio_request, RequestValidator, Twilio, TwilioError,
    Verified,
};
use rocket_twilio_tests::raw_http::{self, Outcome, FORM};
use rocket_twilio_tests::server;

const MAIN_TOKEN: &str = "main-account-token";
const ATTACKER: &str = "AC0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a";
const ATTACKER_TOKEN: &str = "attacker-subaccount-token";
const VICTIM: &str = "AC0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";
const VICTIM_TOKEN: &str = "victim-subaccount-token";

#[derive(rocket::FromForm)]
struct Sms<'r> {
    #[field(name = "AccountSid")]
    account: &'r str,
    #[field(name = "From")]
    from: Option<&'r str>,
    #[field(name = "Body")]
    body: &'r str,
}

fn seen(sms: &Sms<'_>, twilio: Verified<'_>) -> String {
    format!(
        "handler read account={} from={} body={:?}; verified={:?}",
        sms.account,
        sms.from.unwrap_or("-"),
        sms.body,
        twilio.account_sid()
    )
}

#[validate_twilio_request]
#[post("/sms", data = "<sms>")]
fn sms(sms: Form<Sms<'_>>, twilio: Verified<'_>) -> String {
    seen(&sms, twilio)
}

#[validate_twilio_request]
#[post("/strict", data = "<sms>")]
fn strict(sms: Form<Strict<Sms<'_>>>, twilio: Verified<'_>) -> String {
    seen(&sms, twilio)
}

#[validate_twilio_request]
#[get("/status?<AccountSid>&<sid>")]
fn status(AccountSid: &str, sid: Option<&str>, twilio: Verified<'_>) -> String {
    format!(
        "handler read account={AccountSid} sid={}; verified={:?}",
        sid.unwrap_or("-"),
        twilio.account_sid()
    )
}

#[validate_twilio_request]
#[post("/raw", data = "<body>")]
fn raw(body: String) -> String {
    format!("handler read {body:?}")
}

#[validate_twilio_request]
#[post("/bytes", data = "<body>")]
fn bytes(body: Vec<u8>) -> String {
    format!("handler read {:?}", String::from_utf8_lossy(&body))
}

#[validate_twilio_request]
#[post("/nodata")]
fn nodata() -> &'static str {
    "handler ran"
}

/// The multi-tenant JSON pattern of `Verified`'s documentation: the body's claim is bound to the account
/// whose key verified the request.
#[validate_twilio_request]
#[post("/events", data = "<event>")]
fn events(event: Json<Value>, twilio: Verified<'_>) -> (Status, String) {
    let claimed = event.get("AccountSid").and_then(Value::as_str);
    match claimed == twilio.account_sid() {
        true => (Status::Ok, format!("handler accepted an event of {claimed:?}")),
        false => {
            (Status::Forbidden, format!("handler refused: {claimed:?} signed as {:?}", twilio.account_sid()))
        }
    }
}

#[derive(rocket::FromForm)]
struct Callback<'r> {
    #[field(name = "CallStatus")]
    status: Option<&'r str>,
}

#[validate_twilio_request]
#[post("/callback?<sid>", data = "<callback>")]
fn callback_post(sid: &str, callback: Form<Callback<'_>>) -> String {
    format!("handler read POST sid={sid} status={:?}", callback.status)
}

#[validate_twilio_request]
#[get("/callback?<sid>")]
fn callback_get(sid: &str) -> String {
    format!("handler read GET sid={sid}")
}

#[derive(rocket::FromForm)]
struct Media<'r> {
    #[field(name = "MediaUrl")]
    media: Vec<&'r str>,
}

#[validate_twilio_request]
#[post("/media", data = "<mms>")]
fn media(mms: Form<Media<'_>>) -> String {
    format!("handler read {} media urls", mms.media.len())
}

/// Every error names the guard's reason, or says the guard did not refuse it.
#[catch(default)]
fn reason(status: Status, req: &Request<'_>) -> String {
    match TwilioError::of(req) {
        Some(e) => format!("{} {:?}", status.code, e.reason()),
        None => format!("{} not from the Twilio guard", status.code),
    }
}

fn addr() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let figment = server::quiet_config()
            .merge(("limits.form", 128 * 1024))
            .merge(("twilio.auth_token", MAIN_TOKEN))
            .merge((format!("twilio.accounts.{ATTACKER}"), ATTACKER_TOKEN))
            .merge((format!("twilio.accounts.{VICTIM}"), VICTIM_TOKEN));
        let rocket = rocket::custom(figment)
            .attach(Twilio::fairing())
            .mount(
                "/",
                routes![sms, strict, status, raw, bytes, nodata, events, media, callback_post, callback_get],
            )
            .register("/", catchers![reason]);
        server::serve(rocket)
    })
}

fn url(path: &str) -> String {
    format!("http://{}{path}", addr())
}

fn sign(token: &str, path: &str, params: &[(&str, &str)]) -> String {
    RequestValidator::new(token).compute_signature(&url(path), params.iter().copied())
}

/// A form POST of `params`, in this order, signed with `token` over exactly those pairs.
fn post(token: &str, path: &str, params: &[(&str, &str)]) -> Outcome {
    post_raw(path, raw_http::form(params).as_bytes(), &sign(token, path, params))
}

fn post_raw(path: &str, body: &[u8], signature: &str) -> Outcome {
    let headers = [FORM, ("X-Twilio-Signature", signature)];
    raw_http::exchange(addr(), &raw_http::request(&addr().to_string(), "POST", path, &headers, Some(body)))
}

fn get(token: &str, path_and_query: &str) -> Outcome {
    let sig = RequestValidator::new(token).compute_url_signature(&url(path_and_query));
    let headers = [("X-Twilio-Signature", sig.as_str())];
    raw_http::exchange(addr(), &raw_http::request(&addr().to_string(), "GET", path_and_query, &headers, None))
}

#[track_caller]
fn expect(outcome: &Outcome, status: u16, body_contains: &str) {
    assert_eq!(outcome.status(), status, "{outcome:?}");
    assert!(outcome.body().contains(body_contains), "expected {body_contains:?} in {outcome:?}");
}

#[track_caller]
fn refused_before_the_handler(outcome: &Outcome, reason: &str) {
    expect(outcome, 403, reason);
    assert!(!outcome.body().contains("handler"), "the handler ran: {outcome:?}");
}

#[test]
fn each_tenant_speaks_for_itself() {
    for (sid, token) in [(ATTACKER, ATTACKER_TOKEN), (VICTIM, VICTIM_TOKEN)] {
        let outcome = post(token, "/sms", &[("AccountSid", sid), ("Body", "hi")]);
        expect(
            &outcome,
            200,
            &format!("handler read account={sid} from=- body=\"hi\"; verified=Some(\"{sid}\")"),
        );
    }
    // A tenant's token does not pass for the other tenant, nor for the main account.
    refused_before_the_handler(
        &post(ATTACKER_TOKEN, "/sms", &[("AccountSid", VICTIM), ("Body", "hi")]),
        "SignatureMismatch",
    );
    let main_account = "AC0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c";
    refused_before_the_handler(
        &post(ATTACKER_TOKEN, "/sms", &[("AccountSid", main_account), ("Body", "hi")]),
        "SignatureMismatch",
    );
    expect(
        &post(MAIN_TOKEN, "/sms", &[("AccountSid", main_account), ("Body", "hi")]),
        200,
        "verified=Some(\"AC0c0c",
    );
}

#[test]
fn alias_names_of_account_sid_are_refused_in_either_order_lenient_or_strict() {
    // What a lenient Rocket form reads as `AccountSid`: the first field whose first key is AccountSid.
    for alias in [
        "AccountSid.x",
        "AccountSid[]",
        "AccountSid[0]",
        ".AccountSid",
        "AccountSid.",
        "accountsid",
        "[AccountSid]",
    ] {
        for path in ["/sms", "/strict"] {
            let alias_first = [(alias, VICTIM), ("AccountSid", ATTACKER), ("Body", "hi")];
            let alias_last = [("AccountSid", ATTACKER), ("Body", "hi"), (alias, VICTIM)];
            for params in [&alias_first[..], &alias_last] {
                let outcome = post(ATTACKER_TOKEN, path, params);
                refused_before_the_handler(&outcome, "AmbiguousAccountSid");
                assert!(!outcome.body().contains(VICTIM), "{alias} {path}: {outcome:?}");
            }
        }
    }
}

#[test]
fn two_account_sids_are_refused_wherever_they_are() {
    // Twice in the body, in either order.
    for params in [
        [("AccountSid", VICTIM), ("AccountSid", ATTACKER), ("Body", "hi")],
        [("AccountSid", ATTACKER), ("AccountSid", VICTIM), ("Body", "hi")],
    ] {
        refused_before_the_handler(&post(ATTACKER_TOKEN, "/sms", &params), "AmbiguousAccountSid");
    }
    // In the query and in the body (a handler may read either).
    let params = [("AccountSid", ATTACKER), ("Body", "hi")];
    let path = format!("/sms?AccountSid={VICTIM}");
    refused_before_the_handler(&post(ATTACKER_TOKEN, &path, &params), "AmbiguousAccountSid");
    // The same value twice is one account.
    let path = format!("/sms?AccountSid={ATTACKER}");
    expect(&post(ATTACKER_TOKEN, &path, &params), 200, &format!("verified=Some(\"{ATTACKER}\")"));
    // GET: the query is all there is.
    let refused = get(ATTACKER_TOKEN, &format!("/status?AccountSid.x={VICTIM}&AccountSid={ATTACKER}"));
    refused_before_the_handler(&refused, "AmbiguousAccountSid");
    let refused = get(ATTACKER_TOKEN, &format!("/status?AccountSid={VICTIM}&AccountSid={ATTACKER}"));
    refused_before_the_handler(&refused, "AmbiguousAccountSid");
    let served = get(ATTACKER_TOKEN, &format!("/status?AccountSid={ATTACKER}&sid=CA1"));
    expect(&served, 200, &format!("handler read account={ATTACKER} sid=CA1; verified=Some(\"{ATTACKER}\")"));
}

#[test]
fn json_bodies_are_bound_to_the_verified_account_by_the_handler() {
    // The key is chosen by the query's AccountSid; the body claims an account too.
    let send = |token: &str, query_sid: &str, body: &[u8]| {
        let signed_url = url_with_body_hash(&url(&format!("/events?AccountSid={query_sid}")), body);
        let sig = RequestValidator::new(token).compute_url_signature(&signed_url);
        let headers = [("Content-Type", "application/json"), ("X-Twilio-Signature", sig.as_str())];
        let path = &signed_url[url("").len()..];
        raw_http::exchange(
            addr(),
            &raw_http::request(&addr().to_string(), "POST", path, &headers, Some(body)),
        )
    };
    let mine = format!(r#"{{"AccountSid":"{ATTACKER}"}}"#);
    let theirs = format!(r#"{{"AccountSid":"{VICTIM}"}}"#);
    expect(&send(ATTACKER_TOKEN, ATTACKER, mine.as_bytes()), 200, "handler accepted an event of Some(\"AC0a");
    // Signed by the attacker, claiming the victim in the body: the guard cannot read JSON, the handler
    // compares the claim with `Verified::account_sid` and refuses.
    let outcome = send(ATTACKER_TOKEN, ATTACKER, theirs.as_bytes());
    expect(&outcome, 403, &format!("handler refused: Some(\"{VICTIM}\") signed as Some(\"{ATTACKER}\")"));
    // Claiming the victim in the query needs the victim's token.
    refused_before_the_handler(&send(ATTACKER_TOKEN, VICTIM, theirs.as_bytes()), "SignatureMismatch");
}

#[test]
fn a_body_sha256_url_signature_binds_the_body_whatever_its_content_type() {
    // A JSON webhook's URL signature, replayed with a form body whose pairs add nothing to the signed
    // string: the body must still match bodySHA256.
    let json = br#"{"a":1}"#;
    for path in ["/raw", "/nodata", "/sms"] {
        let signed_url = url_with_body_hash(&url(path), json);
        let sig = RequestValidator::new(MAIN_TOKEN).compute_url_signature(&signed_url);
        let target = &signed_url[url("").len()..];
        for body in [&b"=&=&="[..], b"", b"AccountSid=AC1&Body=hi"] {
            let outcome = post_raw(target, body, &sig);
            refused_before_the_handler(&outcome, "BodyHashMismatch");
        }
        // The body it vouches for passes, whatever it is sent as (Twilio sends it as JSON).
        let outcome = post_raw(target, json, &sig);
        match path {
            "/raw" => expect(&outcome, 200, r#"handler read "{\"a\":1}""#),
            "/nodata" => expect(&outcome, 200, "handler ran"),
            // Validated, then not a valid `Sms` form.
            _ => expect(&outcome, 422, "Parse"),
        }
    }
    assert_eq!(body_sha256_hex(json).len(), 64);
}

#[test]
fn byte_handlers_on_form_webhooks_read_the_signed_fields_canonically() {
    let signed = [("Body", "hi")];
    let sig = sign(MAIN_TOKEN, "/raw", &signed);
    // Re-encodings of the genuine body carry the same signature; the handler reads the fields as signed.
    for body in [&b"Body=hi"[..], b"Body=h%69", b"B%6Fdy=%68i", b"Body=hi&&&"] {
        expect(&post_raw("/raw", body, &sig), 200, r#"handler read "Body=hi""#);
    }
    let sig = sign(MAIN_TOKEN, "/bytes", &signed);
    expect(&post_raw("/bytes", b"Body=h%69", &sig), 200, r#"handler read "Body=hi""#);
    // Empty pairs add nothing to the signed string: Twilio never sends them, so they are refused.
    let sig = sign(MAIN_TOKEN, "/raw", &signed);
    for body in [&b"Body=h%69&&&=&="[..], b"=x&Body=hi", b"Body=hi&="] {
        refused_before_the_handler(&post_raw("/raw", body, &sig), "EmptyParameterName");
    }
    // A `;` inside a value stays inside it, for any parser of the handler's.
    let signed = [("Body", "a;From=+15550000000")];
    let body = b"Body=a;From=%2B15550000000";
    expect(
        &post_raw("/raw", body, &sign(MAIN_TOKEN, "/raw", &signed)),
        200,
        r#"handler read "Body=a%3BFrom%3D%2B15550000000""#,
    );
}

#[test]
fn a_second_signature_header_that_is_not_utf8_is_invisible_to_the_guard() {
    // Rocket 0.5 drops header values that are not UTF-8 before any fairing or guard runs
    // (`Request::from_hyp`), so the guard sees one signature: the documented limit of the
    // "two signatures → 403" rule. The request is still validated on the signature it sees.
    let params = [("AccountSid", ATTACKER), ("Body", "hi")];
    let body = raw_http::form(&params);
    let sig = sign(ATTACKER_TOKEN, "/sms", &params);
    let send = |first: &[u8], second: &[u8]| {
        let mut head = format!(
            "POST /sms HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            addr(),
            body.len()
        )
        .into_bytes();
        for value in [first, second] {
            head.extend_from_slice(b"X-Twilio-Signature: ");
            head.extend_from_slice(value);
            head.extend_from_slice(b"\r\n");
        }
        head.extend_from_slice(b"\r\n");
        head.extend_from_slice(body.as_bytes());
        raw_http::exchange(addr(), &head)
    };
    for (first, second) in [(sig.as_bytes(), &b"\xff\xfe"[..]), (b"\xff\xfe", sig.as_bytes())] {
        expect(&send(first, second), 200, "handler read account=AC0a");
    }
    // Two UTF-8 signatures are refused, the genuine one included.
    refused_before_the_handler(&send(sig.as_bytes(), sig.as_bytes()), "DuplicateSignature");
}

/// What no validator of Twilio's scheme can prevent: each of these passes twilio-python too. They are
/// tested so that `docs/SECURITY.md` says exactly what happens.
#[test]
fn what_the_scheme_cannot_prevent() {
    // Boundary shifting: names and values are concatenated without separators. A captured SMS whose Body
    // ends with "From+12025550123" replays with that text moved into a spoofed `From`.
    let captured = [("AccountSid", ATTACKER), ("Body", "call me From+12025550123"), ("From", "+14155550100")];
    let sig = sign(ATTACKER_TOKEN, "/sms", &captured);
    let shifted =
        [("AccountSid", ATTACKER), ("Body", "call me "), ("From", "+12025550123"), ("From+14155550100", "")];
    let replay = raw_http::form(&shifted);
    expect(&post_raw("/sms", replay.as_bytes(), &sig), 200, "from=+12025550123 body=\"call me \"");
    // A `Strict` form refuses the extra field: the shifted request never reaches its handler.
    let sig = sign(ATTACKER_TOKEN, "/strict", &captured);
    let outcome = post_raw("/strict", replay.as_bytes(), &sig);
    expect(&outcome, 422, "Parse");

    // POST ↔ GET: a POST's signed string is its URL followed by its parameters, which a GET URL spells.
    let status = [("CallStatus", "completed")];
    let post_sig = sign(MAIN_TOKEN, "/callback?sid=CA1", &status);
    let genuine = post_raw("/callback?sid=CA1", raw_http::form(&status).as_bytes(), &post_sig);
    expect(&genuine, 200, "handler read POST sid=CA1 status=Some(\"completed\")");
    let spelled = "/callback?sid=CA1CallStatuscompleted";
    let headers = [("X-Twilio-Signature", post_sig.as_str())];
    let as_get =
        raw_http::exchange(addr(), &raw_http::request(&addr().to_string(), "GET", spelled, &headers, None));
    expect(&as_get, 200, "handler read GET sid=CA1CallStatuscompleted");
    // Body fields moved into the query, on the same method.
    expect(
        &post_raw(spelled, b"", &post_sig),
        200,
        "handler read POST sid=CA1CallStatuscompleted status=None",
    );

    // One signed pair repeated: repeats of an identical pair are signed once (as twilio-python does).
    let one = [("MediaUrl", "https://example.com/a.jpg")];
    let sig = sign(MAIN_TOKEN, "/media", &one);
    let repeated = vec![one[0]; 2_500];
    expect(
        &post_raw("/media", raw_http::form(&repeated).as_bytes(), &sig),
        200,
        "handler read 2500 media urls",
    );
}

/// Only sub-account tokens, or only Webhooks Shared Keys, configured (no primary Auth Token): a request that
/// none of them applies to is refused 403 (`NoApplicableKey`), never a 500, and the handler never runs.
#[test]
fn a_request_no_configured_key_applies_to_is_403_not_500() {
    for (setting, value) in [
        (format!("twilio.accounts.{VICTIM}"), VICTIM_TOKEN),
        ("twilio.shared_keys.key1".to_owned(), "shared-secret"),
    ] {
        let figment = server::quiet_config().merge((setting.as_str(), value));
        let rocket = rocket::custom(figment)
            .attach(Twilio::fairing())
            .mount("/", routes![sms])
            .register("/", catchers![reason]);
        let addr = server::serve(rocket);
        let params = [("AccountSid", ATTACKER), ("Body", "hi")];
        let signature =
            RequestValidator::new(ATTACKER_TOKEN).compute_signature(&format!("http://{addr}/sms"), params);
        let headers = [FORM, ("X-Twilio-Signature", signature.as_str())];
        let body = raw_http::form(&params);
        let request = raw_http::request(&addr.to_string(), "POST", "/sms", &headers, Some(body.as_bytes()));
        refused_before_the_handler(&raw_http::exchange(addr, &request), "NoApplicableKey");
    }
}
