use rocket::{get, post};
use rocket_twilio::validate_twilio_request;

#[validate_twilio_request]
#[post("/sms", data = "<__twilio_body>")]
fn sms(__twilio_body: String) -> String {
    __twilio_body
}

#[validate_twilio_request]
#[validate_twilio_request]
#[get("/twice")]
fn twice() -> &'static str {
    "applied twice"
}

fn main() {}
