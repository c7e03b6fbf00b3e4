// Issue 18, item 6: routes written by `macro_rules!`, with fragments for the data literal, the return type
// and a guard's type. Rocket names its own variables (`__req`) at those types' spans.
#![deny(warnings)]

use rocket::form::Form;
use rocket::http::Method;
use rocket::post;
use rocket_twilio::validate_twilio_request;

#[derive(rocket::FromForm)]
struct Sms {
    #[field(name = "Body")]
    body: String,
}

macro_rules! webhook {
    ($name:ident, $path:literal, $data:literal, $ret:ty) => {
        #[validate_twilio_request]
        #[post($path, data = $data)]
        fn $name(sms: Form<Sms>) -> $ret {
            sms.into_inner().body
        }
    };
}

webhook!(literal_data, "/literal", "<sms>", String);

macro_rules! with_guard {
    ($name:ident, $guard:ty, $body:ty, $ret:ty) => {
        #[validate_twilio_request]
        #[post("/guard", data = "<body>")]
        fn $name(method: $guard, body: $body) -> $ret {
            format!("{method} {body}")
        }
    };
}

with_guard!(typed_fragments, Method, String, String);

macro_rules! without_data {
    ($name:ident, $ret:ty) => {
        #[validate_twilio_request]
        #[rocket::get("/get")]
        fn $name() -> $ret {
            "ok"
        }
    };
}

without_data!(get_route, &'static str);

fn main() {
    let _ = rocket::routes![literal_data, typed_fragments, get_route];
}
