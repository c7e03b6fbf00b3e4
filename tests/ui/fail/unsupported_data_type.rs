// A type the attribute does not know is left to the `TwilioBody` bound: its message lists what is
// supported and how to add a type. Rocket spans that check at the type's first token.
use rocket::data::{self, Data, FromData};
use rocket::post;
use rocket::Request;
use rocket_twilio::validate_twilio_request;

struct Upload;

#[rocket::async_trait]
impl<'r> FromData<'r> for Upload {
    type Error = ();

    async fn from_data(_: &'r Request<'_>, _: Data<'r>) -> data::Outcome<'r, Self> {
        data::Outcome::Success(Upload)
    }
}

#[validate_twilio_request]
#[post("/upload", data = "<file>")]
async fn upload(file: Upload) -> &'static str {
    let _ = file;
    "ok"
}

fn main() {}
