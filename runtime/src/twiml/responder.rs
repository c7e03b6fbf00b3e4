//! Rocket `Responder`s for TwiML documents.

use rocket::http::ContentType;
use rocket::response::{self, Responder};
use rocket::Request;

use super::{MessagingResponse, VoiceResponse};

/// `application/xml; charset=utf-8`. (Rocket's `ContentType::XML` is `text/xml`.)
fn twiml() -> ContentType {
    ContentType::new("application", "xml").with_params(("charset", "utf-8"))
}

/// Responds `200 OK` with `Content-Type: application/xml; charset=utf-8` and the TwiML document.
///
/// ```
/// use rocket::post;
/// use rocket_twilio::twiml::VoiceResponse;
/// use rocket_twilio::validate_twilio_request;
///
/// #[validate_twilio_request]
/// #[post("/voice")]
/// fn voice() -> VoiceResponse {
///     VoiceResponse::new().say("Hello from Rocket!").hangup()
/// }
/// ```
impl<'r> Responder<'r, 'static> for VoiceResponse {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        (twiml(), self.to_string()).respond_to(request)
    }
}

/// Responds `200 OK` with `Content-Type: application/xml; charset=utf-8` and the TwiML document.
///
/// ```
/// use rocket::form::Form;
/// use rocket::post;
/// use rocket_twilio::twiml::MessagingResponse;
/// use rocket_twilio::validate_twilio_request;
///
/// #[derive(rocket::FromForm)]
/// struct Sms<'r> {
///     #[field(name = "Body")]
///     body: &'r str,
/// }
///
/// #[validate_twilio_request]
/// #[post("/message", data = "<sms>")]
/// fn message(sms: Form<Sms<'_>>) -> MessagingResponse {
///     MessagingResponse::new().message(format!("You said: {}", sms.body))
/// }
/// ```
impl<'r> Responder<'r, 'static> for MessagingResponse {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        (twiml(), self.to_string()).respond_to(request)
    }
}
