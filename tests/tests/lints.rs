//! The expansion adds no lint of its own, under strict lint levels (issue 18, item 4): rustc's lints are
//! checked by `cargo test`, Clippy's (pedantic included) by `cargo clippy --all-targets -- -D warnings`.
//! Each handler is lint-clean without the attribute, so any lint here comes from the expansion.
#![deny(warnings, unused_variables, unused_mut, unused_qualifications, rust_2018_idioms)]
#![deny(clippy::all, clippy::pedantic)]

use rocket::form::Form;
use rocket::http::{ContentType, Status};
use rocket::local::blocking::Client;
use rocket::{get, post, routes};
use rocket_twilio::testing::TwilioSigned;
use rocket_twilio::{validate_twilio_request, RequestValidator, Twilio};

#[derive(rocket::FromForm)]
struct Sms {
    #[field(name = "Body")]
    body: String,
}

/// An intentionally unused data parameter: `used_underscore_binding` must not fire on the unwrapping.
#[validate_twilio_request]
#[post("/underscore", data = "<_sms>")]
fn underscore(_sms: Form<Sms>) -> &'static str {
    "ok"
}

/// The parameter's own `allow` covers the statement that unwraps it.
#[validate_twilio_request]
#[post("/allowed", data = "<sms>")]
fn allowed(#[allow(unused_variables)] sms: Form<Sms>) -> &'static str {
    "ok"
}

#[validate_twilio_request]
#[post("/mutable", data = "<sms>")]
fn mutable(#[allow(unused_mut)] mut sms: Form<Sms>) -> String {
    sms.into_inner().body
}

#[validate_twilio_request]
#[post("/used", data = "<sms>")]
fn used(sms: Form<Sms>) -> String {
    sms.into_inner().body
}

#[validate_twilio_request]
#[post("/no-data")]
fn no_data() -> &'static str {
    "ok"
}

#[validate_twilio_request]
#[get("/status")]
fn status() -> &'static str {
    "ok"
}

#[test]
fn lint_clean_routes_still_validate() {
    let figment = rocket_twilio_tests::server::quiet_config()
        .merge(("twilio.auth_token", "token"))
        .merge(("twilio.base_url", "https://example.com"));
    let rocket = rocket::custom(figment)
        .attach(Twilio::fairing())
        .mount("/", routes![underscore, allowed, mutable, used, no_data, status]);
    let client = Client::tracked(rocket).expect("valid rocket");
    let twilio = RequestValidator::new("token");
    for path in ["/underscore", "/allowed", "/mutable", "/used", "/no-data"] {
        let signed = client.post(path).sign_form(&twilio, [("Body", "hi")]).dispatch();
        assert_eq!(signed.status(), Status::Ok, "{path}");
        let unsigned = client.post(path).header(ContentType::Form).body("Body=hi").dispatch();
        assert_eq!(unsigned.status(), Status::Forbidden, "{path}");
    }
    assert_eq!(client.get("/status").sign_url(&twilio).dispatch().status(), Status::Ok);
}
