// Issue 18, item 5: `crate = path` names the runtime crate when it is reached through a re-export (a
// facade crate); the path may be relative to the route's module.
#![deny(warnings)]

mod facade {
    pub use rocket_twilio as twilio;
    pub use rocket_twilio::validate_twilio_request;
}

#[facade::validate_twilio_request(crate = crate::facade::twilio)]
#[rocket::post("/sms", data = "<body>")]
fn sms(body: String) -> String {
    body
}

#[facade::validate_twilio_request(crate = ::rocket_twilio)]
#[rocket::get("/status")]
fn status() -> &'static str {
    "ok"
}

fn main() {
    let _ = rocket::routes![sms, status];
}
