//! Every route shape `#[validate_twilio_request]` supports, and every way a request can fail, through
//! Rocket's local client: a genuine request reaches the handler; anything else is refused with the
//! documented status, and the handler (or a lower-ranked route) never runs.
#![allow(non_snake_case)]

use std::sync::atomic::{AtomicUsize, Ordering};

use rocket::form::{Errors, Form, Strict};
use rocket::http::{ContentType, Header, Method, Status};
use rocket::local::blocking::{Client, LocalRequest};
use rocket::request::{self, FromRequest};
use rocket::serde::json::{Error as JsonError, Json};
use rocket::serde::Deserialize;
use rocket::{catch, catchers, get, post, route, routes, Build, Request, Rocket, State};
use rocket_twilio::testing::TwilioSigned;
use rocket_twilio::{
    url_with_body_hash, validate_twilio_request, Algorithm, Keyring, RequestValidator, Twilio, TwilioError,
    Verified,
};
use rocket_twilio_tests::server;

const TOKEN: &str = "test-auth-token-0123456789abcdef";
const BASE: &str = "https://example.com";

#[derive(rocket::FromForm)]
struct Sms {
    #[field(name = "From")]
    from: String,
    #[field(name = "Body")]
    body: String,
}

#[derive(rocket::FromForm)]
struct SmsRef<'r> {
    #[field(name = "Body")]
    body: &'r str,
}

#[derive(Deserialize)]
#[serde(crate = "rocket::serde")]
struct Event {
    kind: String,
}

/// Counts handler runs, to prove rejected requests never reach one.
#[derive(Default)]
struct Runs(AtomicUsize);

fn ran(runs: &State<Runs>) {
    runs.0.fetch_add(1, Ordering::SeqCst);
}

#[validate_twilio_request]
#[post("/sms", data = "<sms>")]
fn sms(sms: Form<Sms>, runs: &State<Runs>) -> String {
    ran(runs);
    format!("{}:{}", sms.from, sms.body)
}

/// A lower-ranked, unvalidated route on the same path: must never serve a rejected request.
#[post("/sms", rank = 100)]
fn sms_fallback() -> &'static str {
    "UNVALIDATED FALLBACK"
}

#[validate_twilio_request]
#[post("/borrowed", data = "<sms>")]
fn borrowed<'r>(sms: Form<SmsRef<'r>>) -> &'r str {
    sms.into_inner().body
}

#[validate_twilio_request]
#[post("/strict", data = "<sms>")]
fn strict(sms: Form<Strict<Sms>>) -> String {
    sms.body.clone()
}

/// A POST without a data parameter: its body is still read and signed.
#[validate_twilio_request]
#[post("/status")]
fn status_callback(runs: &State<Runs>) -> &'static str {
    ran(runs);
    "status ok"
}

#[validate_twilio_request]
#[post("/string", data = "<body>")]
fn string(body: String) -> String {
    body
}

#[validate_twilio_request]
#[post("/str", data = "<body>")]
fn str_body(body: &str) -> String {
    body.len().to_string()
}

#[validate_twilio_request]
#[post("/bytes", data = "<body>")]
fn bytes(body: Vec<u8>) -> String {
    body.len().to_string()
}

#[validate_twilio_request]
#[post("/json", data = "<event>")]
fn json(event: Json<Event>, runs: &State<Runs>) -> String {
    ran(runs);
    event.kind.clone()
}

#[validate_twilio_request]
#[get("/gather?<Digits>")]
fn gather(Digits: &str, runs: &State<Runs>) -> String {
    ran(runs);
    format!("digits {Digits}")
}

#[validate_twilio_request]
#[post("/async", data = "<sms>")]
async fn async_sms(mut sms: Form<Sms>) -> Result<String, Status> {
    sms.body.push('!');
    Ok(sms.body.clone())
}

#[validate_twilio_request]
#[route(POST, uri = "/route", data = "<sms>")]
fn via_route(sms: Form<Sms>) -> String {
    sms.body.clone()
}

/// Doc comments may sit between the two attributes.
#[validate_twilio_request]
#[rocket::post("/qualified", format = "form", rank = 2)]
fn qualified() -> &'static str {
    "qualified"
}

#[validate_twilio_request]
#[post("/guards/<id>?<flag>", data = "<sms>")]
fn guards(id: u32, flag: Option<bool>, method: Method, sms: Form<Sms>) -> String {
    format!("{id} {flag:?} {method} {}", sms.body)
}

#[validate_twilio_request]
#[post("/optional", data = "<sms>")]
fn optional(sms: Option<Form<Sms>>) -> String {
    sms.map_or_else(|| "unparsable".to_owned(), |s| s.body.clone())
}

/// Issue 18, item 1: Rocket's way of handling form errors in the handler.
#[validate_twilio_request]
#[post("/result-form", data = "<sms>")]
fn result_form(sms: Result<Form<Sms>, Errors<'_>>, runs: &State<Runs>) -> String {
    ran(runs);
    match sms {
        Ok(sms) => format!("ok {}", sms.body),
        Err(errors) => format!("form errors: {}", errors.iter().filter_map(|e| e.name.as_ref()).count()),
    }
}

#[validate_twilio_request]
#[post("/result-json", data = "<event>")]
fn result_json(event: Result<Json<Event>, JsonError<'_>>, runs: &State<Runs>) -> String {
    ran(runs);
    match event {
        Ok(event) => format!("ok {}", event.kind),
        Err(JsonError::Parse(raw, _)) => format!("unparsable {raw}"),
        Err(JsonError::Io(e)) => format!("io {}", e.kind()),
    }
}

/// Issue 18, items 2 and 3: a raw identifier as the data parameter, the method as a path.
#[validate_twilio_request]
#[route(rocket::http::Method::Post, uri = "/raw", data = "<type>")]
fn raw_identifier(r#type: Form<Sms>) -> String {
    r#type.into_inner().body
}

/// Counts the runs of a user request guard with a side effect (a database lookup, a counter).
#[derive(Default)]
struct GuardRuns(AtomicUsize);

struct SideEffect;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for SideEffect {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        req.rocket().state::<GuardRuns>().expect("managed").0.fetch_add(1, Ordering::SeqCst);
        request::Outcome::Success(SideEffect)
    }
}

/// A user authentication guard that always answers 401.
struct Unauthorized;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Unauthorized {
    type Error = ();

    async fn from_request(_: &'r Request<'_>) -> request::Outcome<Self, ()> {
        request::Outcome::Error((Status::Unauthorized, ()))
    }
}

/// Issue 18, item 8: user guards on routes with a body.
#[validate_twilio_request]
#[post("/side-effect", data = "<sms>")]
fn side_effect(_effect: SideEffect, sms: Form<Sms>) -> String {
    sms.into_inner().body
}

#[validate_twilio_request]
#[post("/side-effect-no-data")]
fn side_effect_no_data(_effect: SideEffect) -> &'static str {
    "ok"
}

#[validate_twilio_request]
#[post("/auth", data = "<sms>")]
fn auth(_user: Unauthorized, sms: Form<Sms>) -> String {
    sms.into_inner().body
}

#[validate_twilio_request]
#[get("/auth")]
fn auth_get(_user: Unauthorized) -> &'static str {
    "unreachable"
}

#[catch(403)]
fn forbidden(req: &Request<'_>) -> String {
    match TwilioError::of(req) {
        Some(e) => format!("refused: {}", e.reason()),
        None => "refused".to_owned(),
    }
}

/// Two routes on one URI, told apart by content type (rank 1 takes forms, rank 2 JSON): a body the first
/// does not take is forwarded to the second, as without the attribute.
#[validate_twilio_request]
#[post("/shared", data = "<sms>", rank = 1)]
fn shared_form(sms: Form<Sms>) -> String {
    format!("form {}", sms.body)
}

#[validate_twilio_request]
#[post("/shared", data = "<event>", rank = 2)]
fn shared_json(event: Json<Event>) -> String {
    format!("json {}", event.kind)
}

/// A data type of the user's own, through `TwilioBody`. It is named `Data`, like Rocket's streaming type
/// the attribute refuses by name, so the route names it through an alias (README, "Not supported").
mod own {
    use rocket::http::Status;
    use rocket::Request;
    use rocket_twilio::{BodyError, TwilioBody, ValidatedBody};

    /// The names of the signed form fields.
    pub struct Data(pub Vec<String>);

    impl<'r> TwilioBody<'r> for Data {
        const LIMIT: &'static str = "form";

        fn from_validated(_: &'r Request<'_>, body: ValidatedBody<'_, 'r>) -> Result<Self, BodyError> {
            let fields =
                body.form_fields().ok_or_else(|| BodyError::new(Status::UnsupportedMediaType, "a form"))?;
            Ok(Data(fields.iter().map(|(name, _)| (*name).to_owned()).collect()))
        }
    }
}

type FieldNames = own::Data;

#[validate_twilio_request]
#[post("/own", data = "<names>")]
fn own_type(names: FieldNames, runs: &State<Runs>) -> String {
    ran(runs);
    names.0.join(",")
}

/// A validated route whose handler fails: its catcher reads who verified the request.
#[validate_twilio_request]
#[post("/verified/teapot", data = "<sms>")]
fn teapot(sms: Form<Sms>) -> Status {
    let _ = sms;
    Status::ImATeapot
}

/// What a catcher knows of who verified the request it serves.
fn signer(req: &Request<'_>) -> String {
    let verified = Verified::of(req);
    format!("{} {:?} {:?}", verified.is_verified(), verified.key(), verified.account_sid())
}

#[catch(418)]
fn verified_teapot(req: &Request<'_>) -> String {
    signer(req)
}

#[catch(403)]
fn verified_forbidden(req: &Request<'_>) -> String {
    signer(req)
}

fn app(extra_config: &[(&str, &str)]) -> Rocket<Build> {
    let mut figment =
        server::quiet_config().merge(("twilio.auth_token", TOKEN)).merge(("twilio.base_url", BASE));
    for (key, value) in extra_config {
        figment = figment.merge((*key, *value));
    }
    app_with(rocket::custom(figment).attach(Twilio::fairing()))
}

fn app_with(rocket: Rocket<Build>) -> Rocket<Build> {
    rocket
        .manage(Runs::default())
        .manage(GuardRuns::default())
        .register("/", catchers![forbidden])
        .register("/verified", catchers![verified_teapot, verified_forbidden])
        .mount(
            "/",
            routes![
                sms,
                sms_fallback,
                borrowed,
                strict,
                status_callback,
                string,
                str_body,
                bytes,
                json,
                gather,
                async_sms,
                via_route,
                qualified,
                guards,
                optional,
                result_form,
                result_json,
                raw_identifier,
                side_effect,
                side_effect_no_data,
                auth,
                auth_get,
                shared_form,
                shared_json,
                own_type,
                teapot
            ],
        )
}

fn client() -> Client {
    Client::tracked(app(&[])).expect("valid rocket")
}

fn twilio() -> RequestValidator {
    RequestValidator::new(TOKEN)
}

fn runs(client: &Client) -> usize {
    client.rocket().state::<Runs>().unwrap().0.load(Ordering::SeqCst)
}

/// A form POST to `path` with `body`, signed over `signed_params` (so tampering is easy to express).
fn form_post<'c>(
    client: &'c Client,
    path: &'c str,
    body: &str,
    signed_params: &[(&str, &str)],
) -> LocalRequest<'c> {
    let sig = twilio().compute_signature(&format!("{BASE}{path}"), signed_params.iter().copied());
    client.post(path).header(ContentType::Form).header(Header::new("X-Twilio-Signature", sig)).body(body)
}

const SMS: [(&str, &str); 3] = [("From", "+14155550100"), ("Body", "Hello, world"), ("AccountSid", "AC1")];

#[test]
fn every_route_shape_accepts_genuine_requests() {
    let c = client();
    let form = |path: &'static str| c.post(path).sign_form(&twilio(), SMS).dispatch();

    let r = form("/sms");
    assert_eq!(r.status(), Status::Ok);
    assert_eq!(r.into_string().unwrap(), "+14155550100:Hello, world");
    assert_eq!(form("/borrowed").into_string().unwrap(), "Hello, world");
    assert_eq!(form("/async").into_string().unwrap(), "Hello, world!");
    assert_eq!(form("/route").into_string().unwrap(), "Hello, world");
    assert_eq!(form("/qualified").into_string().unwrap(), "qualified");
    assert_eq!(form("/status").into_string().unwrap(), "status ok");
    assert_eq!(form("/optional").into_string().unwrap(), "Hello, world");
    assert_eq!(
        form("/string").into_string().unwrap(),
        "From=%2B14155550100&Body=Hello%2C+world&AccountSid=AC1"
    );
    assert_eq!(form("/str").into_string().unwrap(), "54");
    assert_eq!(form("/bytes").into_string().unwrap(), "54");
    assert_eq!(form("/guards/7?flag=true").into_string().unwrap(), "7 Some(true) POST Hello, world");

    let r = c.post("/json").sign_json(&twilio(), r#"{"kind":"com.twilio.messaging.inbound"}"#).dispatch();
    assert_eq!(r.status(), Status::Ok);
    assert_eq!(r.into_string().unwrap(), "com.twilio.messaging.inbound");

    let r = c.get("/gather?Digits=1234&CallSid=CA1").sign_url(&twilio()).dispatch();
    assert_eq!(r.into_string().unwrap(), "digits 1234");
}

#[test]
fn a_data_type_of_your_own_implements_twilio_body() {
    let c = client();
    let r = c.post("/own").sign_form(&twilio(), SMS).dispatch();
    assert_eq!(r.status(), Status::Ok);
    assert_eq!(r.into_string().unwrap(), "From,Body,AccountSid");
    let before = runs(&c);
    let r = form_post(&c, "/own", "From=%2B14155550100&Body=Bye&AccountSid=AC1", &SMS).dispatch();
    assert_eq!(r.status(), Status::Forbidden);
    assert_eq!(runs(&c), before, "a tampered body never reaches the handler");
    let r = c.post("/own").sign_json(&twilio(), "{}").dispatch();
    assert_eq!(r.status(), Status::UnsupportedMediaType, "its own conversion error is the response status");
    assert_eq!(runs(&c), before);
}

#[test]
fn catchers_read_who_verified_the_request() {
    let c = client();
    // Verified, then failed in the handler: the catcher knows the key and the account.
    let r = c.post("/verified/teapot").sign_form(&twilio(), SMS).dispatch();
    assert_eq!(r.status(), Status::ImATeapot);
    assert_eq!(r.into_string().unwrap(), "true Some(AuthToken { secondary: false }) Some(\"AC1\")");
    // Refused: the catcher knows no signer, whatever the request claims.
    let r = form_post(&c, "/verified/teapot", "From=x&Body=forged&AccountSid=AC1", &SMS).dispatch();
    assert_eq!(r.status(), Status::Forbidden);
    assert_eq!(r.into_string().unwrap(), "false None None");
}

#[test]
fn handlers_can_be_called_directly_when_a_test_skips_validation() {
    use rocket_twilio::testing::{skip_validation, skip_validation_of};
    let message = || Form::from(Sms { from: "+14155550100".into(), body: "Hello".into() });
    // Once rewritten, `sms(SignaturePresent, Validated<Form<Sms>>, &State<Runs>)`, `gather(ValidatedRequest, …)`.
    let rocket = rocket::build().manage(Runs::default());
    let runs = State::get(&rocket).expect("managed");
    assert_eq!(sms(skip_validation(), skip_validation_of(message()), runs), "+14155550100:Hello");
    assert_eq!(runs.0.load(Ordering::SeqCst), 1);
    assert_eq!(result_form(skip_validation(), skip_validation_of(Ok(message())), runs), "ok Hello");
    assert_eq!(gather(skip_validation(), "42", runs), "digits 42");
    assert_eq!(raw_identifier(skip_validation(), skip_validation_of(message())), "Hello");
    assert_eq!(teapot(skip_validation(), skip_validation_of(message())), Status::ImATeapot);
}

#[test]
fn a_post_without_data_parameter_still_signs_its_body() {
    let c = client();
    let before = runs(&c);
    // Signed without the body's parameters: refused, because they are part of the signature.
    let r = form_post(&c, "/status", "CallStatus=completed", &[]).dispatch();
    assert_eq!(r.status(), Status::Forbidden);
    let r = form_post(&c, "/status", "CallStatus=completed", &[("CallStatus", "completed")]).dispatch();
    assert_eq!(r.status(), Status::Ok);
    assert_eq!(runs(&c), before + 1);
}

#[test]
fn tampering_is_refused_and_never_reaches_a_handler() {
    let c = client();
    let before = runs(&c);
    let body = "From=%2B14155550100&Body=Hello";
    let signed = [("From", "+14155550100"), ("Body", "Hello")];
    assert_eq!(form_post(&c, "/sms", body, &signed).dispatch().status(), Status::Ok);

    let cases: Vec<(&str, LocalRequest<'_>)> = vec![
        ("param changed", form_post(&c, "/sms", "From=%2B14155550100&Body=Hellp", &signed)),
        ("param added", form_post(&c, "/sms", "From=%2B14155550100&Body=Hello&X=1", &signed)),
        ("param removed", form_post(&c, "/sms", "From=%2B14155550100", &signed)),
        ("query added", {
            let sig = twilio().compute_signature(&format!("{BASE}/sms"), signed);
            c.post("/sms?x=1")
                .header(ContentType::Form)
                .header(Header::new("X-Twilio-Signature", sig))
                .body(body)
        }),
        ("wrong token", {
            let sig = RequestValidator::new("wrong").compute_signature(&format!("{BASE}/sms"), signed);
            c.post("/sms").header(ContentType::Form).header(Header::new("X-Twilio-Signature", sig)).body(body)
        }),
        ("no signature", c.post("/sms").header(ContentType::Form).body(body)),
        (
            "empty signature",
            c.post("/sms").header(ContentType::Form).header(Header::new("X-Twilio-Signature", "")).body(body),
        ),
        ("two signatures", {
            let sig = twilio().compute_signature(&format!("{BASE}/sms"), signed);
            c.post("/sms")
                .header(ContentType::Form)
                .header(Header::new("X-Twilio-Signature", sig.clone()))
                .header(Header::new("X-Twilio-Signature", sig))
                .body(body)
        }),
        ("sha256 where sha1 is expected", {
            let v = RequestValidator::with_algorithm(TOKEN, Algorithm::HmacSha256);
            let sig = v.compute_signature(&format!("{BASE}/sms"), signed);
            c.post("/sms").header(ContentType::Form).header(Header::new("X-Twilio-Signature", sig)).body(body)
        }),
    ];
    for (what, request) in cases {
        let r = request.dispatch();
        assert_eq!(r.status(), Status::Forbidden, "{what}");
        let text = r.into_string().unwrap();
        assert!(text.starts_with("refused: "), "{what}: {text}");
        assert!(!text.contains("FALLBACK"), "{what}: a lower-ranked route ran");
    }
    assert_eq!(runs(&c), before + 1, "only the genuine request reached the handler");
}

#[test]
fn rejections_say_why() {
    let c = client();
    let r = c.post("/sms").header(ContentType::Form).body("Body=x").dispatch();
    assert_eq!(r.into_string().unwrap(), "refused: missing X-Twilio-Signature header");
    let r = form_post(&c, "/sms", "Body=x", &[("Body", "y")]).dispatch();
    assert_eq!(r.into_string().unwrap(), "refused: X-Twilio-Signature does not match the URL and parameters");
}

#[test]
fn json_bodies_need_their_body_hash() {
    let c = client();
    let before = runs(&c);
    let body = r#"{"kind":"a"}"#;
    let url = url_with_body_hash(&format!("{BASE}/json"), body.as_bytes());
    let sig = twilio().compute_url_signature(&url);
    let path = url.strip_prefix(BASE).unwrap();
    let send = |path: &str, body: &str, sig: &str| {
        c.post(path.to_owned())
            .header(ContentType::JSON)
            .header(Header::new("X-Twilio-Signature", sig.to_owned()))
            .body(body)
            .dispatch()
    };
    assert_eq!(send(path, body, &sig).status(), Status::Ok);
    // The body changed: its hash no longer matches the signed URL.
    assert_eq!(send(path, r#"{"kind":"b"}"#, &sig).status(), Status::Forbidden);
    // No bodySHA256 at all: a URL-only signature must not vouch for an arbitrary body.
    let bare = twilio().compute_url_signature(&format!("{BASE}/json"));
    let r = send("/json", body, &bare);
    assert_eq!(r.status(), Status::Forbidden);
    assert_eq!(r.into_string().unwrap(), "refused: non-form body without a bodySHA256 query parameter");
    assert_eq!(runs(&c), before + 1);
}

#[test]
fn get_webhooks_sign_the_raw_query_string() {
    let c = client();
    // Signed exactly as received: no decoding, no re-ordering.
    let path = "/gather?Digits=1%202&From=%2B1415+x&CallSid=CA1";
    let sig = twilio().compute_url_signature(&format!("{BASE}{path}"));
    let r = c.get(path).header(Header::new("X-Twilio-Signature", sig.clone())).dispatch();
    assert_eq!(r.into_string().unwrap(), "digits 1 2");
    for other in
        ["/gather?Digits=1+2&From=%2B1415+x&CallSid=CA1", "/gather?From=%2B1415+x&Digits=1%202&CallSid=CA1"]
    {
        let r = c.get(other).header(Header::new("X-Twilio-Signature", sig.clone())).dispatch();
        assert_eq!(r.status(), Status::Forbidden, "{other}");
    }
    // A GET carrying a body is refused: the body would go unchecked.
    let r = c
        .get(path)
        .header(Header::new("X-Twilio-Signature", sig))
        .header(Header::new("Content-Length", "3"))
        .body("a=1")
        .dispatch();
    assert_eq!(r.status(), Status::Forbidden);
}

#[test]
fn port_variants_are_accepted() {
    let c = Client::tracked(app(&[("twilio.base_url", "https://example.com:443")])).unwrap();
    // Twilio signed without the port; the server sees it with :443.
    let sig = twilio().compute_signature("https://example.com/sms", [("From", "+1"), ("Body", "x")]);
    let r = c
        .post("/sms")
        .header(ContentType::Form)
        .header(Header::new("X-Twilio-Signature", sig))
        .body("From=%2B1&Body=x");
    assert_eq!(r.dispatch().status(), Status::Ok);
}

#[test]
fn form_errors_come_after_validation() {
    let c = client();
    // Strict: an unexpected field is a 422, once the signature has passed.
    let r =
        c.post("/strict").sign_form(&twilio(), [("From", "+1"), ("Body", "x"), ("Extra", "1")]).dispatch();
    assert_eq!(r.status(), Status::UnprocessableEntity);
    let r = c.post("/strict").sign_form(&twilio(), [("From", "+1"), ("Body", "x")]).dispatch();
    assert_eq!(r.into_string().unwrap(), "x");
    // Missing field on a lenient form: 422.
    let r = c.post("/sms").sign_form(&twilio(), [("Body", "x")]).dispatch();
    assert_eq!(r.status(), Status::UnprocessableEntity);
    // Option<Form<_>> turns the parse failure into None, but never a bad signature into None.
    let r = c.post("/optional").sign_form(&twilio(), [("Body", "x")]).dispatch();
    assert_eq!(r.into_string().unwrap(), "unparsable");
    let r = form_post(&c, "/optional", "From=1&Body=x", &[]).dispatch();
    assert_eq!(r.status(), Status::Forbidden);
    // A form body that is not UTF-8 is malformed: 400.
    let sig = twilio().compute_signature(&format!("{BASE}/sms"), [("Body", "x")]);
    let r = c
        .post("/sms")
        .header(ContentType::Form)
        .header(Header::new("X-Twilio-Signature", sig))
        .body(b"Body=\xff\xfe".as_slice())
        .dispatch();
    assert_eq!(r.status(), Status::BadRequest);
}

#[test]
fn bodies_are_bounded_by_the_rocket_limit() {
    let c = Client::tracked(app(&[("limits.form", "64 B")])).unwrap();
    let long = "x".repeat(100);
    let r = c.post("/sms").sign_form(&twilio(), [("From", "+1"), ("Body", long.as_str())]).dispatch();
    assert_eq!(r.status(), Status::PayloadTooLarge);
    let r = c.post("/sms").sign_form(&twilio(), [("From", "+1"), ("Body", "short")]).dispatch();
    assert_eq!(r.status(), Status::Ok);

    // The bound is exact: "From=%2B1&Body=" is 15 bytes, so a 49-byte Body makes 64 bytes, one more 65.
    for (len, status) in [(49, Status::Ok), (50, Status::PayloadTooLarge)] {
        let body = "y".repeat(len);
        let r = c.post("/sms").sign_form(&twilio(), [("From", "+1"), ("Body", body.as_str())]).dispatch();
        assert_eq!(r.status(), status, "a form of {} bytes", 15 + len);
    }
}

#[test]
fn base_url_and_forwarded_headers() {
    // Without base_url the host and scheme come from the request; forwarded headers are ignored unless
    // trusted.
    let rocket = || {
        rocket::custom(server::quiet_config().merge(("twilio.auth_token", TOKEN))).attach(Twilio::fairing())
    };
    let signed_for = |url: &str| twilio().compute_signature(url, [("From", "+1"), ("Body", "x")]);
    let send = |c: &Client, sig: String, proxy: bool| {
        let mut r = c
            .post("/sms")
            .header(ContentType::Form)
            .header(Header::new("Host", "internal:8000"))
            .header(Header::new("X-Twilio-Signature", sig))
            .body("From=%2B1&Body=x");
        r.inner_mut().set_host(rocket::http::uri::Host::parse("internal:8000").unwrap());
        if proxy {
            r = r
                .header(Header::new("X-Forwarded-Proto", "https"))
                .header(Header::new("X-Forwarded-Host", "public.example"));
        }
        r.dispatch().status()
    };

    let untrusted = Client::tracked(app_with(rocket())).unwrap();
    assert_eq!(send(&untrusted, signed_for("http://internal:8000/sms"), true), Status::Ok);
    assert_eq!(send(&untrusted, signed_for("https://public.example/sms"), true), Status::Forbidden);

    let trusting = server::quiet_config()
        .merge(("twilio.auth_token", TOKEN))
        .merge(("twilio.trust_forwarded_headers", true));
    let trusted = Client::tracked(app_with(rocket::custom(trusting).attach(Twilio::fairing()))).unwrap();
    assert_eq!(send(&trusted, signed_for("https://public.example/sms"), true), Status::Ok);
    assert_eq!(send(&trusted, signed_for("http://internal:8000/sms"), true), Status::Forbidden);
    // Trusted but absent: falls back to the request.
    assert_eq!(send(&trusted, signed_for("http://internal:8000/sms"), false), Status::Ok);
}

#[test]
fn forwarded_port_completes_a_host_without_one() {
    // nginx's `proxy_set_header Host $host` drops the port; `X-Forwarded-Port` brings it back, when trusted.
    let client = |trust: bool| {
        let figment = server::quiet_config()
            .merge(("twilio.auth_token", TOKEN))
            .merge(("twilio.trust_forwarded_headers", trust));
        Client::tracked(app_with(rocket::custom(figment).attach(Twilio::fairing()))).unwrap()
    };
    let send =
        |c: &Client, signed_url: &str, host: &'static str, headers: &[(&'static str, &'static str)]| {
            let sig = twilio().compute_signature(signed_url, [("From", "+1"), ("Body", "x")]);
            let mut r = c
                .post("/sms")
                .header(ContentType::Form)
                .header(Header::new("X-Twilio-Signature", sig))
                .body("From=%2B1&Body=x");
            r.inner_mut().set_host(rocket::http::uri::Host::parse(host).unwrap());
            for &(name, value) in headers {
                r = r.header(Header::new(name, value));
            }
            r.dispatch().status()
        };
    let proxy = |host: &'static str, port: &'static str| {
        [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", host), ("X-Forwarded-Port", port)]
    };

    let trusted = client(true);
    let behind_nginx = proxy("public.example", "8443");
    assert_eq!(send(&trusted, "https://public.example:8443/sms", "internal:8000", &behind_nginx), Status::Ok);
    // Without it, the URL lacks the port, and a signature over `:8443` fails (only default ports are added).
    let no_port = [behind_nginx[0], behind_nginx[1]];
    assert_eq!(
        send(&trusted, "https://public.example:8443/sms", "internal:8000", &no_port),
        Status::Forbidden
    );
    // The scheme's default port is not added (both URL forms validate anyway).
    let default_port = proxy("public.example", "443");
    assert_eq!(send(&trusted, "https://public.example/sms", "internal:8000", &default_port), Status::Ok);
    // A host that names its port keeps it.
    let both = proxy("public.example:9000", "8443");
    assert_eq!(send(&trusted, "https://public.example:9000/sms", "internal:8000", &both), Status::Ok);
    assert_eq!(send(&trusted, "https://public.example:8443/sms", "internal:8000", &both), Status::Forbidden);
    // Without a forwarded host, the port completes the request's own Host.
    let port_only = [("X-Forwarded-Proto", "https"), ("X-Forwarded-Port", "8443")];
    assert_eq!(send(&trusted, "https://public.example:8443/sms", "public.example", &port_only), Status::Ok);
    // A port that is not one refuses the request: the URL cannot be known.
    let garbage = proxy("public.example", "84x3");
    assert_eq!(
        send(&trusted, "https://public.example:8443/sms", "internal:8000", &garbage),
        Status::Forbidden
    );

    // Not trusted: ignored, like the other forwarded headers.
    let untrusted = client(false);
    assert_eq!(send(&untrusted, "http://internal:8000/sms", "internal:8000", &behind_nginx), Status::Ok);
    assert_eq!(
        send(&untrusted, "https://public.example:8443/sms", "internal:8000", &behind_nginx),
        Status::Forbidden
    );
}

#[test]
fn secondary_tokens_shared_keys_and_sub_accounts() {
    let c = Client::tracked(app(&[
        ("twilio.secondary_auth_token", "old-token"),
        ("twilio.shared_keys.key-1", "shared-secret"),
        ("twilio.accounts.AC00000000000000000000000000000001", "sub-token"),
    ]))
    .unwrap();
    let post = |validator: RequestValidator, params: &[(&str, &str)], settings: Option<&str>| {
        let mut r = c.post("/sms").sign_form(&validator, params.iter().copied());
        if let Some(s) = settings {
            r = r.header(Header::new("X-Twilio-Webhooks-Signature-Settings", s.to_owned()));
        }
        r.dispatch().status()
    };
    let sms = [("From", "+1"), ("Body", "x")];
    assert_eq!(post(RequestValidator::new("old-token"), &sms, None), Status::Ok);
    let sha256 = RequestValidator::with_algorithm("shared-secret", Algorithm::HmacSha256);
    assert_eq!(post(sha256.clone(), &sms, Some("key=key-1,algorithm=HMAC_SHA256")), Status::Ok);
    assert_eq!(post(sha256.clone(), &sms, None), Status::Forbidden);
    assert_eq!(post(sha256, &sms, Some("key=key-2,algorithm=HMAC_SHA256")), Status::Forbidden);
    let sub = [("From", "+1"), ("Body", "x"), ("AccountSid", "AC00000000000000000000000000000001")];
    assert_eq!(post(RequestValidator::new("sub-token"), &sub, None), Status::Ok);
    assert_eq!(post(twilio(), &sub, None), Status::Forbidden);
}

#[test]
fn key_resolver_closures_choose_tokens_per_account() {
    let resolver = |sid: Option<&str>| match sid {
        Some("AC1") => Keyring::new().primary("token-1").ok(),
        _ => None,
    };
    let figment = server::quiet_config().merge(("twilio.base_url", BASE));
    let c = Client::tracked(app_with(rocket::custom(figment).attach(Twilio::custom(resolver)))).unwrap();
    let params = |sid: &'static str| [("From", "+1"), ("Body", "x"), ("AccountSid", sid)];
    let r = c.post("/sms").sign_form(&RequestValidator::new("token-1"), params("AC1")).dispatch();
    assert_eq!(r.status(), Status::Ok);
    let r = c.post("/sms").sign_form(&RequestValidator::new("token-1"), params("AC2")).dispatch();
    assert_eq!(r.status(), Status::Forbidden);
}

#[test]
fn no_secret_at_request_time_is_a_server_error() {
    let figment = server::quiet_config().merge(("twilio.base_url", BASE));
    let c =
        Client::tracked(app_with(rocket::custom(figment).attach(Twilio::custom(Keyring::new())))).unwrap();
    let r = c.post("/sms").sign_form(&twilio(), SMS).dispatch();
    assert_eq!(r.status(), Status::InternalServerError);
}

#[test]
fn validation_can_be_disabled_in_debug_only() {
    let debug = server::quiet_config().merge(("twilio.disable_validation", true)).select("debug");
    let c = Client::tracked(app_with(rocket::custom(debug).attach(Twilio::fairing()))).unwrap();
    let r = c.post("/sms").header(ContentType::Form).body("From=1&Body=unsigned").dispatch();
    assert_eq!(r.into_string().unwrap(), "1:unsigned");
    let r = c.get("/gather?Digits=9").dispatch();
    assert_eq!(r.into_string().unwrap(), "digits 9");

    let release = server::quiet_config()
        .merge(("twilio.auth_token", TOKEN))
        .merge(("twilio.disable_validation", true))
        .select("release");
    let err =
        Client::tracked(app_with(rocket::custom(release).attach(Twilio::fairing()))).expect_err("refused");
    assert!(matches!(err.kind(), rocket::error::ErrorKind::FailedFairings(_)), "{err:?}");
}

#[test]
fn a_validated_route_without_the_fairing_aborts_launch() {
    let rocket = rocket::custom(server::quiet_config()).mount("/", routes![sms]);
    let err = Client::tracked(rocket).expect_err("refused");
    assert!(matches!(err.kind(), rocket::error::ErrorKind::SentinelAborts(_)), "{err:?}");
}

fn guard_runs(client: &Client) -> usize {
    client.rocket().state::<GuardRuns>().unwrap().0.load(Ordering::SeqCst)
}

/// Issue 18, item 1: the signature is checked first; only a signed body that does not parse reaches the
/// handler, as the `Err`.
#[test]
fn result_data_parameters_see_parse_errors_only_after_validation() {
    let c = client();
    let before = runs(&c);
    let r = c.post("/result-form").sign_form(&twilio(), SMS).dispatch();
    assert_eq!(r.into_string().unwrap(), "ok Hello, world");
    // Signed, but `From` is missing: the handler gets the form errors.
    let r = c.post("/result-form").sign_form(&twilio(), [("Body", "x")]).dispatch();
    assert_eq!(r.status(), Status::Ok);
    assert_eq!(r.into_string().unwrap(), "form errors: 1");
    // Unsigned or forged: refused, whether the body parses or not; the handler never runs.
    for body in ["From=1&Body=x", "Body=x"] {
        let r = c.post("/result-form").header(ContentType::Form).body(body).dispatch();
        assert_eq!(r.status(), Status::Forbidden, "{body}");
        assert_eq!(
            form_post(&c, "/result-form", body, &[("Body", "y")]).dispatch().status(),
            Status::Forbidden
        );
    }
    assert_eq!(runs(&c), before + 2);

    let r = c.post("/result-json").sign_json(&twilio(), r#"{"kind":"a"}"#).dispatch();
    assert_eq!(r.into_string().unwrap(), "ok a");
    let r = c.post("/result-json").sign_json(&twilio(), r#"{"kind":1}"#).dispatch();
    assert_eq!(r.into_string().unwrap(), r#"unparsable {"kind":1}"#);
    let r = c.post("/result-json").sign_json(&twilio(), b"\xff".as_slice()).dispatch();
    assert_eq!(r.into_string().unwrap(), "io invalid data");
    // The same unparsable body, its bodySHA256 not signed: refused.
    let r = c
        .post("/result-json")
        .header(ContentType::JSON)
        .header(Header::new("X-Twilio-Signature", "x"))
        .body(r#"{"kind":1}"#);
    assert_eq!(r.dispatch().status(), Status::Forbidden);
    assert_eq!(runs(&c), before + 5);
}

/// Issue 18, items 2 and 3, at run time.
#[test]
fn raw_identifier_and_method_path_routes_validate() {
    let c = client();
    let r = c.post("/raw").sign_form(&twilio(), SMS).dispatch();
    assert_eq!(r.into_string().unwrap(), "Hello, world");
    let r = c.post("/raw").header(ContentType::Form).body("From=1&Body=x").dispatch();
    assert_eq!(r.status(), Status::Forbidden);
}

/// Issue 18, item 8: a request that cannot be valid (no, an empty or two signature headers) is refused
/// before any user guard runs, on routes with a body too, where the signature itself is checked last.
#[test]
fn unsigned_requests_never_reach_user_guards() {
    let c = client();
    let unsigned = |path: &'static str| c.post(path).header(ContentType::Form).body("From=1&Body=x");
    for path in ["/side-effect", "/side-effect-no-data"] {
        let requests = [
            unsigned(path),
            unsigned(path).header(Header::new("X-Twilio-Signature", "")),
            unsigned(path)
                .header(Header::new("X-Twilio-Signature", "a"))
                .header(Header::new("X-Twilio-Signature", "b")),
        ];
        for request in requests {
            let r = request.dispatch();
            assert_eq!(r.status(), Status::Forbidden, "{path}");
            assert!(r.into_string().unwrap().starts_with("refused: "), "{path}");
        }
    }
    assert_eq!(guard_runs(&c), 0, "a user guard ran for a request without a usable signature");

    // A signed request reaches the user guard, then the handler.
    let r = c.post("/side-effect").sign_form(&twilio(), SMS).dispatch();
    assert_eq!(r.into_string().unwrap(), "Hello, world");
    let r = c.post("/side-effect-no-data").sign_form(&twilio(), SMS).dispatch();
    assert_eq!(r.into_string().unwrap(), "ok");
    assert_eq!(guard_runs(&c), 2);
    // A signature that is present but wrong still gets past the header check: the user guard runs before
    // the body (and so the signature) is checked, as documented.
    assert_eq!(form_post(&c, "/side-effect", "From=1&Body=x", &[]).dispatch().status(), Status::Forbidden);
    assert_eq!(guard_runs(&c), 3);
}

/// Issue 18, item 8: an unsigned POST gets 403, as an unsigned GET does, not the 401 of the user's
/// authentication guard.
#[test]
fn unsigned_requests_are_forbidden_not_unauthorized() {
    let c = client();
    let r = c.post("/auth").header(ContentType::Form).body("From=1&Body=x").dispatch();
    assert_eq!(r.status(), Status::Forbidden);
    assert_eq!(c.get("/auth").dispatch().status(), Status::Forbidden);
    // Signed, the user's guard decides.
    assert_eq!(c.post("/auth").sign_form(&twilio(), SMS).dispatch().status(), Status::Unauthorized);
    assert_eq!(c.get("/auth").sign_url(&twilio()).dispatch().status(), Status::Unauthorized);
}

#[test]
fn content_types_forward_by_rank_as_without_the_attribute() {
    let c = Client::tracked(app(&[])).unwrap();
    let twilio = twilio();
    let r = c.post("/shared").sign_form(&twilio, [("From", "+1"), ("Body", "hi")]).dispatch();
    assert_eq!(r.into_string().as_deref(), Some("form hi"));
    let r = c.post("/shared").sign_json(&twilio, r#"{"kind":"delivered"}"#).dispatch();
    assert_eq!(r.into_string().as_deref(), Some("json delivered"));
    // A forged JSON body is forwarded by the form route (it is not a form), then refused by the JSON route:
    // a signature failure never forwards.
    let r = c.post("/shared").sign_json(&RequestValidator::new("guess"), r#"{"kind":"x"}"#).dispatch();
    assert_eq!(r.status(), Status::Forbidden);
    // No signature at all: refused before either route reads anything.
    let r = c.post("/shared").header(ContentType::JSON).body(r#"{"kind":"x"}"#).dispatch();
    assert_eq!(r.status(), Status::Forbidden);
    // Not a form: forwarded to the JSON route, which (like Rocket's `Json`) takes any content type, so
    // validates it and refuses the bad signature.
    let r = c
        .post("/shared")
        .header(ContentType::Plain)
        .header(Header::new("X-Twilio-Signature", "x"))
        .body("hi");
    assert_eq!(r.dispatch().status(), Status::Forbidden);
    // A multipart body (never sent by Twilio) to a form route: forwarded, unread, as for any body that is
    // not `application/x-www-form-urlencoded`; with no other route, Rocket answers 415.
    let before = runs(&c);
    let multipart = ContentType::new("multipart", "form-data").with_params(("boundary", "X"));
    let r = c
        .post("/borrowed")
        .header(multipart)
        .header(Header::new("X-Twilio-Signature", "x"))
        .body("--X\r\nContent-Disposition: form-data; name=\"Body\"\r\n\r\nhi\r\n--X--\r\n");
    assert_eq!(r.dispatch().status(), Status::UnsupportedMediaType);
    assert_eq!(runs(&c), before);
}
