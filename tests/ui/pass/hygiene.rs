// Generated code names the runtime through absolute paths only: local items named like the runtime's
// must not capture it.
#![deny(warnings)]

mod rocket_twilio {}

#[allow(dead_code)]
struct Validated;
#[allow(dead_code)]
struct ValidatedRequest;
#[allow(dead_code)]
fn into_inner() {}

#[::rocket_twilio::validate_twilio_request]
#[rocket::post("/sms", data = "<body>")]
fn sms(body: String) -> String {
    body
}

#[::rocket_twilio::validate_twilio_request]
#[rocket::get("/status")]
fn status() -> &'static str {
    "ok"
}

fn main() {
    let _ = rocket::routes![sms, status];
}
