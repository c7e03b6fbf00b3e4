//! Typed webhook payloads: what Twilio sends, as Rust types, ready to be a validated route's data.
//!
//! ```
//! use rocket::form::Form;
//! use rocket::{post, routes};
//! use rocket_twilio::webhooks::{IncomingMessage, MessageStatus, MessageStatusCallback};
//! use rocket_twilio::{validate_twilio_request, Twilio};
//!
//! #[validate_twilio_request]
//! #[post("/message", data = "<message>")]
//! fn message(message: Form<IncomingMessage<'_>>) -> String {
//!     let pictures = message.media.iter().filter(|m| m.content_type.starts_with("image/")).count();
//!     format!("{} sent {pictures} picture(s)", message.from)
//! }
//!
//! #[validate_twilio_request]
//! #[post("/message-status", data = "<callback>")]
//! fn message_status(callback: Form<MessageStatusCallback<'_>>) {
//!     if callback.message_status == MessageStatus::Undelivered {
//!         eprintln!("{} undelivered: error {:?}", callback.message_sid, callback.error_code);
//!     }
//! }
//!
//! let rocket = rocket::build().attach(Twilio::fairing()).mount("/", routes![message, message_status]);
//! ```
//!
//! | Twilio request | type |
//! |---|---|
//! | incoming SMS, MMS, WhatsApp message | [`IncomingMessage`] (with its [`Media`]) |
//! | message status callback | [`MessageStatusCallback`] |
//! | voice webhook: incoming call, `<Gather>`/`<Record>`/`<Dial>` actions, transcription callback | [`IncomingCall`] |
//! | call status callback | [`CallStatusCallback`] |
//! | recording status callback | [`RecordingStatusCallback`] |
//! | ConversationRelay WebSocket messages | [`conversation_relay`] |
//! | Media Streams WebSocket messages | [`media_streams`] |
//!
//! # Form payloads
//!
//! - Field names are the snake_case of Twilio's parameter names (`MessageSid` → `message_sid`), each
//!   documented with the parameter it comes from. Strings borrow from the request (`&'r str`), numbers
//!   and booleans are typed, and statuses and directions are enums ([`MessageStatus`], [`CallStatus`],
//!   [`Direction`]…) whose `Other` variant keeps a value this version does not know, so a status Twilio
//!   adds tomorrow reaches your handler instead of becoming a 422.
//! - The parameters Twilio always sends are required (a form without them is a 422); the others are
//!   `Option`s: `None` when absent, and also when the value is not of the field's type or is sent twice
//!   (Rocket's rules for `Option`), so an optional parameter changing format never fails a request. A
//!   required parameter sent twice keeps its first value.
//! - **Unknown parameters are accepted** (`Form<T>` parses leniently): Twilio adds parameters without
//!   notice. Nothing is lost for security: the signature was checked over every parameter sent, known or
//!   not, before the form is parsed.
//! - **`Form<Strict<T>>`** refuses (422) any parameter the type does not list (except `_method`), a
//!   required parameter sent twice, and `multipart` file parts, as Rocket's derive does. It is meant for tests
//!   and fixtures that want to notice a parameter this crate does not model yet; do not use it for live
//!   webhooks, which would start failing the day Twilio adds a parameter. Unknown *values* of enums are
//!   accepted in both modes.
//! - **Media** ([`IncomingMessage::media`]): the items sent must be exactly the `NumMedia` announced,
//!   each with its `MediaUrl{i}` and `MediaContentType{i}`; anything else is a 422 whose message names
//!   the parameter (e.g. `NumMedia is 2 but MediaUrl1 is missing`), in both modes.
//! - The structs and enums are `#[non_exhaustive]`: they are built by the form parser, and new Twilio
//!   parameters and values can be added in minor versions.
//!
//! # WebSocket messages
//!
//! [`conversation_relay`] and [`media_streams`] hold the JSON messages of Twilio's two WebSocket
//! products as serde types (through `rocket::serde`, no extra dependency), in both directions. They own
//! their strings, so a message outlives the frame it came in.

mod enums;
mod form;
mod json;
mod media;
mod messaging;
mod shared;
mod voice;

pub mod conversation_relay;
pub mod media_streams;

pub use enums::{AnsweredBy, CallStatus, Direction, MessageStatus, RecordingStatus, TranscriptionStatus};
pub use media::Media;
pub use messaging::{IncomingMessage, MessageStatusCallback};
pub use voice::{CallStatusCallback, IncomingCall, RecordingStatusCallback};

#[cfg(test)]
mod tests;
