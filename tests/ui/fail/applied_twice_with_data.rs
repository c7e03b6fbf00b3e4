// Issue 18, item 10: applied twice to a route with a data parameter, or a POST without one.
use rocket::form::Form;
use rocket::post;
use rocket_twilio::validate_twilio_request;

#[validate_twilio_request]
#[validate_twilio_request]
#[post("/sms", data = "<sms>")]
fn sms(sms: Form<String>) -> String {
    sms.into_inner()
}

#[validate_twilio_request]
#[validate_twilio_request]
#[post("/status")]
fn status() -> &'static str {
    "ok"
}

fn main() {}
