// Issue 18, item 2: Rocket matches `data = "<type>"` with the parameter `r#type`.
#![deny(warnings)]

use rocket::form::Form;
use rocket::post;
use rocket_twilio::validate_twilio_request;

#[derive(rocket::FromForm)]
struct Event {
    kind: String,
}

#[validate_twilio_request]
#[post("/event", data = "<type>")]
fn event(r#type: Form<Event>) -> String {
    r#type.into_inner().kind
}

#[validate_twilio_request]
#[post("/keyword", data = "<match>")]
fn keyword(r#match: String) -> String {
    r#match
}

fn main() {
    let _ = rocket::routes![event, keyword];
}
