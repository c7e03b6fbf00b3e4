// Issue 18, item 3: `#[route]` takes its method as a path too, as Rocket does (last segment, any case;
// Rocket never resolves the path, so `Method` needs no import).
#![deny(warnings)]

use rocket::form::Form;
use rocket::route;
use rocket_twilio::validate_twilio_request;

#[derive(rocket::FromForm)]
struct Sms {
    #[field(name = "Body")]
    body: String,
}

#[validate_twilio_request]
#[route(rocket::http::Method::Post, uri = "/full-path", data = "<sms>")]
fn full_path(sms: Form<Sms>) -> String {
    sms.into_inner().body
}

#[validate_twilio_request]
#[route(Method::Put, uri = "/short-path")]
fn short_path() -> &'static str {
    "no data parameter: the body is still signed"
}

#[validate_twilio_request]
#[route(Method::Get, uri = "/get")]
fn get() -> &'static str {
    "signed URL"
}

#[validate_twilio_request]
#[route(post, uri = "/lowercase", data = "<sms>")]
fn lowercase(sms: Form<Sms>) -> String {
    sms.into_inner().body
}

fn main() {
    let _ = rocket::routes![full_path, short_path, get, lowercase];
}
