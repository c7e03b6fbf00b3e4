// Issue 18, item 11: a catcher is not a route.
use rocket::catch;
use rocket_twilio::validate_twilio_request;

#[validate_twilio_request]
#[catch(404)]
fn not_found() -> &'static str {
    "not found"
}

fn main() {}
