// The silent-bypass trap: below #[post], Rocket's codegen has already generated the route.
use rocket::form::Form;
use rocket::post;
use rocket_twilio::validate_twilio_request;

#[post("/sms", data = "<body>")]
#[validate_twilio_request]
fn sms(body: Form<String>) -> String {
    body.into_inner()
}

fn main() {}
