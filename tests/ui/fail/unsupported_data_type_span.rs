// Issue 18, item 14: Rocket's streaming data types (`Data`, `Capped`, `TempFile`, `DataStream`), alone or
// in `Option`/`Result`, are refused by the attribute itself, with one error that underlines the whole type
// and says what to take instead. (The `TwilioBody` bound, left for other types, can only underline the
// type's first token: tests/ui/fail/unsupported_data_type.rs.)
use rocket::data::{Capped, Data};
use rocket::fs::TempFile;
use rocket::post;
use rocket_twilio::validate_twilio_request;

#[validate_twilio_request]
#[post("/capped", data = "<body>")]
fn capped(body: Capped<String>) -> String {
    body.into_inner()
}

#[validate_twilio_request]
#[post("/result", data = "<file>")]
async fn result(file: Result<TempFile<'_>, std::io::Error>) -> &'static str {
    let _ = file;
    "ok"
}

#[validate_twilio_request]
#[post("/data", data = "<data>")]
fn data(data: rocket::Data<'_>) -> &'static str {
    let _ = data;
    "ok"
}

#[validate_twilio_request]
#[post("/option", data = "<data>")]
fn option(data: Option<Data<'_>>) -> &'static str {
    let _ = data;
    "ok"
}

fn main() {}
