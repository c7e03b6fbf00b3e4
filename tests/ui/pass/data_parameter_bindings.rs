// Issue 18, items 4 and 13: the data parameter's attributes, `mut` and `ref` carry over to the statement
// that unwraps it, so the lints the user silenced stay silenced, and `ref` still binds a reference.
#![deny(warnings, unused_variables, unused_mut)]

use rocket::form::Form;
use rocket::post;
use rocket_twilio::validate_twilio_request;

#[derive(rocket::FromForm)]
struct Sms {
    #[field(name = "Body")]
    body: String,
}

#[validate_twilio_request]
#[post("/unused", data = "<sms>")]
fn unused(#[allow(unused_variables)] sms: Form<Sms>) -> &'static str {
    "not read"
}

#[validate_twilio_request]
#[post("/unused-mut", data = "<body>")]
fn unused_mut(#[allow(unused_mut)] mut body: String) -> String {
    body
}

#[validate_twilio_request]
#[post("/underscore", data = "<_sms>")]
fn underscore(_sms: Form<Sms>) -> &'static str {
    "intentionally unused"
}

#[validate_twilio_request]
#[post("/cfg-attr", data = "<sms>")]
fn cfg_attr(#[cfg_attr(all(), allow(unused_variables))] sms: Form<Sms>) -> &'static str {
    "allowed through cfg_attr"
}

#[validate_twilio_request]
#[post("/ref", data = "<body>")]
fn by_ref(ref body: String) -> String {
    let borrowed: &String = body;
    borrowed.clone()
}

#[validate_twilio_request]
#[post("/ref-mut", data = "<sms>")]
fn by_ref_mut(ref mut sms: Form<Sms>) -> String {
    sms.body.push('!');
    sms.body.clone()
}

fn main() {
    let _ = rocket::routes![unused, unused_mut, underscore, cfg_attr, by_ref, by_ref_mut];
}
