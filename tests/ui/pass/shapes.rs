// Every supported route shape, with warnings denied: the expansion must not add any.
#![deny(warnings, rust_2018_idioms, unused_qualifications)]
#![allow(non_snake_case)]

use rocket::form::{Form, Lenient, Strict};
use rocket::http::{CookieJar, Method, Status};
use rocket::serde::json::Json;
use rocket::serde::Deserialize;
use rocket::{get, post, put, route, routes, State};
use rocket_twilio::validate_twilio_request;

#[derive(rocket::FromForm)]
struct Sms {
    #[field(name = "Body")]
    body: String,
}

#[derive(rocket::FromForm)]
struct Call<'r> {
    #[field(name = "From")]
    from: &'r str,
}

#[derive(Deserialize)]
#[serde(crate = "rocket::serde")]
struct Event {
    kind: String,
}

struct Config;

#[validate_twilio_request]
#[post("/form", data = "<sms>")]
fn form(sms: Form<Sms>) -> String {
    sms.into_inner().body
}

#[validate_twilio_request]
#[post("/borrowed", data = "<call>")]
fn borrowed<'r>(call: Form<Call<'r>>) -> &'r str {
    call.into_inner().from
}

#[validate_twilio_request]
#[post("/strict", data = "<sms>")]
fn strict(sms: Form<Strict<Sms>>) -> String {
    sms.into_inner().into_inner().body
}

#[validate_twilio_request]
#[post("/lenient", data = "<sms>")]
fn lenient(sms: Form<Lenient<Sms>>) -> String {
    sms.into_inner().into_inner().body
}

#[validate_twilio_request]
#[post("/no-data")]
fn no_data() -> &'static str {
    "ok"
}

#[validate_twilio_request]
#[put("/string", data = "<body>")]
fn string(body: String) -> String {
    body
}

#[validate_twilio_request]
#[post("/str", data = "<body>")]
fn str_body(body: &str) -> String {
    body.len().to_string()
}

#[validate_twilio_request]
#[post("/bytes", data = "<body>")]
fn bytes(body: Vec<u8>) -> String {
    body.len().to_string()
}

#[validate_twilio_request]
#[post("/slice", data = "<body>")]
fn slice(body: &[u8]) -> String {
    body.len().to_string()
}

#[validate_twilio_request]
#[post("/json", data = "<event>")]
fn json(event: Json<Event>) -> String {
    event.into_inner().kind
}

#[validate_twilio_request]
#[get("/gather?<Digits>")]
fn gather(Digits: Option<&str>) -> String {
    Digits.unwrap_or_default().to_owned()
}

#[validate_twilio_request]
#[post("/async", data = "<sms>")]
async fn async_handler(mut sms: Form<Sms>) -> Result<String, Status> {
    sms.body.push('!');
    Ok(sms.into_inner().body)
}

#[validate_twilio_request]
#[route(POST, uri = "/route", data = "<sms>", rank = 3)]
fn via_route(sms: Form<Sms>) -> String {
    sms.into_inner().body
}

/// Docs between the attributes are fine.
#[validate_twilio_request]
/// More docs.
#[rocket::post("/qualified/<id>?<q>", format = "form", rank = 2, data = "<sms>")]
pub(crate) fn qualified(id: u32, q: Option<&str>, sms: Option<Form<Sms>>) -> String {
    format!("{id} {q:?} {}", sms.map(|s| s.into_inner().body).unwrap_or_default())
}

#[validate_twilio_request]
#[post("/guards", data = "<sms>")]
fn guards(method: Method, cookies: &CookieJar<'_>, config: &State<Config>, sms: Form<Sms>) -> String {
    let _ = (cookies, config);
    format!("{method} {}", sms.into_inner().body)
}

fn main() {
    let _ = rocket::build().attach(rocket_twilio::Twilio::fairing()).manage(Config).mount(
        "/",
        routes![
            form,
            borrowed,
            strict,
            lenient,
            no_data,
            string,
            str_body,
            bytes,
            slice,
            json,
            gather,
            async_handler,
            via_route,
            qualified,
            guards
        ],
    );
}
