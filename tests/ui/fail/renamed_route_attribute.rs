// Issue 18, item 12: a route attribute imported under another name is not recognised; say so, and how to
// write it.
use rocket::post as rpost;
use rocket::route as any_route;
use rocket_twilio::validate_twilio_request;

#[validate_twilio_request]
#[rpost("/sms", data = "<body>")]
fn sms(body: String) -> String {
    body
}

#[validate_twilio_request]
#[any_route(POST, uri = "/voice")]
fn voice() -> &'static str {
    "ok"
}

fn main() {}
