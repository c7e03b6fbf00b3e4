use rocket_twilio::validate_twilio_request;

#[validate_twilio_request]
fn sms() -> &'static str {
    "hi"
}

fn main() {}
