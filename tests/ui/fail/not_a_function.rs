use rocket_twilio::validate_twilio_request;

#[validate_twilio_request]
struct Sms {
    body: String,
}

fn main() {}
