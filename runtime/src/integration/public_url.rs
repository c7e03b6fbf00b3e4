//! [`PublicUrl`]: the public URLs of this app's paths, as Twilio calls them.

use rocket::request::{self, FromRequest};
use rocket::{Ignite, Request, Rocket, Sentinel};

use super::error::{Reason, TwilioError};
use super::{checker, fairing, request_url};
use crate::websocket_url;

/// A request guard that gives the public URL of any path of this app, built by the rule the signature
/// guards use to rebuild the URL Twilio called: `twilio.base_url` when configured, otherwise the
/// request's scheme and host (through trusted forwarded headers when `twilio.trust_forwarded_headers` is
/// on). Use it to put this app's own URLs in TwiML, such as the `wss://` URL of a `<ConversationRelay>`
/// or `<Stream>`, so that Twilio later calls (and signs) exactly the URL the guards will check.
///
/// Fails like the signature guards (403, [`Reason::NoUrl`]) when the URL cannot be rebuilt: no `Host`
/// and no `base_url`, or a malformed trusted forwarded header.
///
/// ```
/// use rocket::local::blocking::Client;
/// use rocket::{post, routes};
/// use rocket_twilio::testing::TwilioSigned;
/// use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
/// use rocket_twilio::{validate_twilio_request, PublicUrl, RequestValidator, Twilio};
///
/// #[validate_twilio_request]
/// #[post("/voice-ai")]
/// fn voice_ai(public: PublicUrl) -> VoiceResponse {
///     VoiceResponse::new().connect(ConversationRelay::new(public.websocket("/relay")))
/// }
///
/// let figment = rocket::Config::figment()
///     .merge(("twilio.auth_token", "test-token"))
///     .merge(("twilio.base_url", "https://example.com/app"));
/// let rocket = rocket::custom(figment).attach(Twilio::fairing()).mount("/", routes![voice_ai]);
/// let client = Client::tracked(rocket).unwrap();
/// let twiml = client
///     .post("/voice-ai")
///     .sign_form(&RequestValidator::new("test-token"), [("CallSid", "CA1")])
///     .dispatch()
///     .into_string()
///     .unwrap();
/// assert!(twiml.contains(r#"<ConversationRelay url="wss://example.com/app/relay" />"#), "{twiml}");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl {
    /// `scheme://host[:port]`, or `base_url` with its path.
    http: String,
}

impl PublicUrl {
    /// The public `http://` or `https://` URL of `path` (`/sms`, or `sms`: a `/` is added), e.g. for a
    /// `statusCallback` or a `<Connect action>`.
    pub fn http(&self, path: &str) -> String {
        join(self.http.clone(), path)
    }

    /// The public `ws://` or `wss://` URL of `path`: the `http` URL with `http` replaced by `ws` and
    /// `https` by `wss`, the URL Twilio opens and signs for a `<ConversationRelay>` or `<Stream>`.
    pub fn websocket(&self, path: &str) -> String {
        // The origin is http(s), so it always has a WebSocket twin.
        join(websocket_url(&self.http).unwrap_or_else(|| self.http.clone()), path)
    }
}

fn join(mut origin: String, path: &str) -> String {
    if !path.starts_with('/') {
        origin.push('/');
    }
    origin.push_str(path);
    origin
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for PublicUrl {
    type Error = TwilioError;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        let public = checker::state(req).and_then(|state| {
            request_url::public_origin(req, &state.url, false, 0)
                .map(|http| PublicUrl { http })
                .map_err(|why| Reason::NoUrl(why).into())
        });
        match public {
            Ok(public) => request::Outcome::Success(public),
            Err(e) => request::Outcome::Error(e.fail(req)),
        }
    }
}

impl Sentinel for PublicUrl {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        fairing::is_missing(rocket)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_paths() {
        let public = PublicUrl { http: "https://example.com/app".to_owned() };
        assert_eq!(public.http("/status"), "https://example.com/app/status");
        assert_eq!(public.http("status"), "https://example.com/app/status");
        assert_eq!(public.websocket("/relay"), "wss://example.com/app/relay");
        let local = PublicUrl { http: "http://127.0.0.1:8000".to_owned() };
        assert_eq!(local.websocket("relay"), "ws://127.0.0.1:8000/relay");
    }
}
