use rocket::fs::TempFile;
use rocket::post;
use rocket_twilio::validate_twilio_request;

#[validate_twilio_request]
#[post("/upload", data = "<file>")]
async fn upload(file: TempFile<'_>) -> &'static str {
    let _ = file;
    "ok"
}

fn main() {}
