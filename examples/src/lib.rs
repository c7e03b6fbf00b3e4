//! The app from Twilio's "Secure your Flask app by validating incoming Twilio requests" guide, with
//! `#[validate_twilio_request]` in place of the Flask decorator:
//!
//! - `POST /voice` answers a call and reads the caller's number back, digit by digit;
//! - `POST /message` answers an SMS with the length of the text;
//! - `GET /voice` is the same voice webhook configured with the GET method (parameters in the query);
//! - `POST /events` receives a JSON webhook (Event Streams, Studio…) signed with `bodySHA256`;
//! - `POST /voice-ai` hands a call to ConversationRelay, whose WebSocket `GET /relay` is validated at the
//!   handshake and answered by an echo agent (see [`voice_ai`]).
//! - `POST /status` is a message status callback that acts on each delivery once ([`Delivery`]): Twilio's
//!   retries and replays of a captured callback are answered without being counted again.
//!
//! Every webhook route refuses requests that Twilio did not sign (403): try
//! `curl -X POST localhost:8000/voice`. `GET /` is an ordinary, unprotected page listing them.
//!
//! The POST routes read Twilio's parameters as the typed payloads of [`rocket_twilio::webhooks`], so a
//! signed request also needs the parameters Twilio always sends (`CallSid`, `AccountSid`, `From`, `To`,
//! `CallStatus`, `Direction` for a call; `MessageSid`, `AccountSid`, `From`, `To`, `Body`, `NumMedia` for
//! a message): without them it is a 422 naming the missing one.
#![allow(non_snake_case)]

use std::path::PathBuf;

use rocket::figment::providers::{Env, Format, Toml};
use rocket::figment::{Figment, Profile};
use rocket::form::Form;
use rocket::http::Status;
use rocket::serde::json::{Json, Value};
use rocket::{get, post, routes, Build, Config, Rocket};
use rocket_twilio::twiml::{MessagingResponse, VoiceResponse};
use rocket_twilio::webhooks::{IncomingCall, IncomingMessage, MessageStatusCallback};
use rocket_twilio::{validate_twilio_request, Delivery, Twilio};

pub mod voice_ai;

/// `POST /voice`: Twilio's voice webhook for an incoming call.
#[validate_twilio_request]
#[post("/voice", data = "<call>")]
pub fn voice(call: Form<IncomingCall<'_>>) -> VoiceResponse {
    thanks_for_calling(call.from)
}

/// `GET /voice`: the same webhook, when the number's voice URL is configured with the GET method.
#[validate_twilio_request]
#[get("/voice?<From>")]
pub fn voice_get(From: &str) -> VoiceResponse {
    thanks_for_calling(From)
}

/// `POST /message`: Twilio's messaging webhook for an incoming SMS.
#[validate_twilio_request]
#[post("/message", data = "<sms>")]
pub fn message(sms: Form<IncomingMessage<'_>>) -> MessagingResponse {
    MessagingResponse::new().message(format!(
        "Your text to me was {} characters long. Webhooks are neat :)",
        sms.body.chars().count()
    ))
}

/// `POST /events`: a JSON webhook (e.g. an Event Streams sink, which posts an array of CloudEvents).
/// Twilio signs the URL with the body's `bodySHA256`; the guard checks both.
#[validate_twilio_request]
#[post("/events", data = "<events>")]
pub fn events(events: Json<Vec<Value>>) -> String {
    format!("received {} events", events.len())
}

/// `POST /status`: a message status callback (the `StatusCallback` of a message you send). Twilio may
/// deliver one twice, and a captured one replays with a valid signature; [`Delivery`] tells them apart
/// from a first delivery, here in memory, or across a fleet with `twilio.dedupe.redis_url`. Whatever it
/// is, the answer is `204 No Content`: any 2xx ends Twilio's retries.
#[validate_twilio_request]
#[post("/status", data = "<callback>")]
pub fn status(callback: Form<MessageStatusCallback<'_>>, delivery: Delivery<'_>) -> Status {
    if delivery.is_duplicate() {
        log::info!("{} {}: already handled", callback.message_sid, callback.message_status);
    } else {
        // Record the new status once: update the message's row, notify the sender, bill…
        log::info!("{} is now {}", callback.message_sid, callback.message_status);
    }
    Status::NoContent
}

/// `GET /`: an ordinary page (not a webhook, so not validated) saying what this server is.
#[get("/")]
pub fn index() -> &'static str {
    "rocket_twilio example: Twilio webhooks at POST /voice, GET /voice, POST /message, POST /events, POST /status \
     and POST /voice-ai, and the ConversationRelay WebSocket at GET /relay. Requests without Twilio's \
     signature get 403."
}

/// The voice response: the caller's number read back one character at a time, as the original does
/// (`' '.join(from_number)`), without the leading `+`.
pub fn thanks_for_calling(from: &str) -> VoiceResponse {
    let spelled: Vec<String> = from.trim_start_matches('+').chars().map(String::from).collect();
    VoiceResponse::new().say(format!(
        "Thanks for calling! Your phone number is {}. I got your call because of Twilio's webhook. Goodbye!",
        spelled.join(" ")
    ))
}

/// Rocket's usual configuration sources, with this package's `Rocket.toml` as the default file (so
/// `cargo run` works from the repository root): `ROCKET_CONFIG` (file), `ROCKET_*` (env), `ROCKET_PROFILE`.
pub fn figment() -> Figment {
    let default_file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Rocket.toml");
    let file = std::env::var_os("ROCKET_CONFIG").map_or(default_file, PathBuf::from);
    Figment::from(Config::default())
        .merge(Toml::file(file).nested())
        .merge(Env::prefixed("ROCKET_").ignore(&["PROFILE"]).global())
        .select(Profile::from_env_or("ROCKET_PROFILE", Config::DEFAULT_PROFILE))
}

/// The app, configured from [`figment`].
pub fn rocket() -> Rocket<Build> {
    app(figment())
}

/// The app with a given configuration (tests use this).
pub fn app(figment: Figment) -> Rocket<Build> {
    rocket::custom(figment).attach(Twilio::fairing()).mount(
        "/",
        routes![index, voice, voice_get, message, events, status, voice_ai::voice_ai, voice_ai::relay],
    )
}
