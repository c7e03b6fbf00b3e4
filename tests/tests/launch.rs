//! Launch-time configuration through a real Rocket launch: the `TWILIO_AUTH_TOKEN` fallback, and the
//! refusal to launch without any secret.
//!
//! This binary holds a single test because it changes the process environment, which must not race with
//! other threads reading it.

use rocket::error::ErrorKind;
use rocket::http::Status;
use rocket::local::blocking::Client;
use rocket::{post, routes, Build, Rocket};
use rocket_twilio::testing::TwilioSigned;
use rocket_twilio::{validate_twilio_request, RequestValidator, Twilio, AUTH_TOKEN_ENV};
use rocket_twilio_tests::server;

#[validate_twilio_request]
#[post("/sms")]
fn sms() -> &'static str {
    "ok"
}

fn app() -> Rocket<Build> {
    let figment = server::quiet_config();
    rocket::custom(figment).attach(Twilio::fairing()).mount("/", routes![sms])
}

#[test]
fn auth_token_comes_from_the_environment_or_launch_is_refused() {
    std::env::remove_var(AUTH_TOKEN_ENV);
    let err = Client::tracked(app()).expect_err("no secret anywhere: launch must be refused");
    assert!(matches!(err.kind(), ErrorKind::FailedFairings(f) if f[0].name == "Twilio request validation"));

    std::env::set_var(AUTH_TOKEN_ENV, "token-from-env");
    let client = Client::tracked(app()).expect("TWILIO_AUTH_TOKEN is enough to launch");
    let r = client.post("/sms").sign_form(&RequestValidator::new("token-from-env"), [("A", "1")]).dispatch();
    assert_eq!(r.status(), Status::Ok);
    let r = client.post("/sms").sign_form(&RequestValidator::new("another-token"), [("A", "1")]).dispatch();
    assert_eq!(r.status(), Status::Forbidden);
    std::env::remove_var(AUTH_TOKEN_ENV);
}
