// Issue 18, item 13: a `const fn` handler cannot unwrap its validated data parameter.
use rocket::post;
use rocket_twilio::validate_twilio_request;

#[validate_twilio_request]
#[post("/sms", data = "<body>")]
const fn sms(body: &str) -> &str {
    body
}

fn main() {}
