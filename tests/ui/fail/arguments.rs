use rocket::post;
use rocket_twilio::validate_twilio_request;

#[validate_twilio_request(auth_token = "abc")]
#[post("/sms")]
fn sms() -> &'static str {
    "hi"
}

fn main() {}
