// Independent mistakes are reported together.
use rocket_twilio::validate_twilio_request;

#[validate_twilio_request(strict)]
fn sms(__twilio_request: u8) -> u8 {
    __twilio_request
}

fn main() {}
