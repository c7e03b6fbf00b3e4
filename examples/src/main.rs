//! `cargo run` at the repository root: the example webhook server on http://127.0.0.1:8000.
//!
//! It refuses to start without a secret: `TWILIO_AUTH_TOKEN=<your auth token> cargo run`.

#[rocket::launch]
fn rocket() -> _ {
    rocket_twilio_examples::rocket()
}
