use rocket::post;
use rocket_twilio::validate_twilio_request;

#[validate_twilio_request]
#[post("/sms", data = "<sms>")]
fn sms(body: String) -> String {
    body
}

fn main() {}
