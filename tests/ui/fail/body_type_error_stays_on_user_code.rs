// A type error in the handler body is reported on the user's code, not on the attribute.
use rocket::form::Form;
use rocket::post;
use rocket_twilio::validate_twilio_request;

#[validate_twilio_request]
#[post("/sms", data = "<body>")]
fn sms(body: Form<String>) -> String {
    let length: u32 = body.into_inner();
    length.to_string()
}

fn main() {}
