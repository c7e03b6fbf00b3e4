// Issue 18, item 14: an unsupported data parameter type is one error, on the user's type, naming the whole
// type in its message. Its label underlines the type's first token only: Rocket's codegen spans its data
// guard call at `ty.span()`, which a stable proc macro cannot extend past the first token
// (`proc_macro::Span::join` is nightly-only). Showing our closing `>` at the type's last token makes rustc
// report the same error a second time, underlining the whole type (measured), on top of Rocket's: one
// error on the first token was kept instead of two.
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
fn data(data: Data<'_>) -> &'static str {
    let _ = data;
    "ok"
}

fn main() {}
