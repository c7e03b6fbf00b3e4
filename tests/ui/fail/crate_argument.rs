// Issue 18, item 5: `crate = path` is the only argument, and it takes a path.
use rocket::post;
use rocket_twilio::validate_twilio_request;

#[validate_twilio_request(crate = "rocket_twilio")]
#[post("/sms")]
fn string_path() -> &'static str {
    "ok"
}

#[validate_twilio_request(crate = ::rocket_twilio, strict)]
#[post("/sms")]
fn extra_argument() -> &'static str {
    "ok"
}

fn main() {}
