// Issue 18, item 1: `Result<T, T::Error>` data parameters, Rocket's way of handling a body that does not
// parse in the handler.
#![deny(warnings)]

use rocket::form::{Errors, Form, Strict};
use rocket::post;
use rocket::serde::json::{self, Json};
use rocket_twilio::validate_twilio_request;

#[derive(rocket::FromForm)]
struct Sms<'r> {
    #[field(name = "Body")]
    body: &'r str,
}

#[validate_twilio_request]
#[post("/form", data = "<sms>")]
fn form(sms: Result<Form<Sms<'_>>, Errors<'_>>) -> String {
    match sms {
        Ok(sms) => sms.body.to_owned(),
        Err(errors) => errors.to_string(),
    }
}

#[validate_twilio_request]
#[post("/strict", data = "<sms>")]
fn strict(sms: Result<Form<Strict<Sms<'_>>>, Errors<'_>>) -> String {
    sms.map(|s| s.body.to_owned()).unwrap_or_default()
}

#[validate_twilio_request]
#[post("/json", data = "<n>")]
fn json_body(n: Result<Json<u32>, json::Error<'_>>) -> String {
    n.map(|n| n.into_inner().to_string()).unwrap_or_else(|e| e.to_string())
}

#[validate_twilio_request]
#[post("/string", data = "<body>")]
fn string(body: Result<String, std::io::Error>) -> String {
    body.unwrap_or_default()
}

#[validate_twilio_request]
#[post("/str", data = "<body>")]
fn str_body(body: Result<&str, std::io::Error>) -> String {
    body.map(str::to_owned).unwrap_or_default()
}

#[validate_twilio_request]
#[post("/bytes", data = "<body>")]
fn bytes(body: Result<Vec<u8>, std::io::Error>) -> String {
    body.map(|b| b.len()).unwrap_or_default().to_string()
}

#[validate_twilio_request]
#[post("/slice", data = "<body>")]
fn slice(body: Result<&[u8], std::io::Error>) -> String {
    body.map(<[u8]>::len).unwrap_or_default().to_string()
}

fn main() {
    let _ = rocket::routes![form, strict, json_body, string, str_body, bytes, slice];
}
