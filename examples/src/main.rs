//! `cargo run` at the repository root: the example webhook server on http://127.0.0.1:8000.
//!
//! It refuses to start without a secret: `TWILIO_AUTH_TOKEN=<your auth token> cargo run`.

use std::process::ExitCode;

#[rocket::main]
async fn main() -> ExitCode {
    match rocket_twilio_examples::rocket().launch().await {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            // Rocket has logged the cause (e.g. which Twilio setting is missing); say why we stop.
            eprintln!("{}", error.pretty_print());
            ExitCode::FAILURE
        }
    }
}
