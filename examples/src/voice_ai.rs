//! Voice AI over a WebSocket: ConversationRelay with an echo agent.
//!
//! - `POST /voice-ai` is the voice webhook of the number: it answers `<Connect><ConversationRelay
//!   url="wss://…/relay">`, the `wss://` URL built from the configured public URL ([`PublicUrl`]: the
//!   `twilio.base_url`, or the request's scheme and host), so that Twilio opens, and signs, exactly the URL
//!   the guard of `/relay` checks.
//! - `GET /relay` is the WebSocket ConversationRelay opens. `#[validate_twilio_request]` checks the
//!   handshake's `X-Twilio-Signature` over its `wss://` URL before the upgrade: anything else gets 403
//!   and no WebSocket. The handler then reads ConversationRelay's messages (typed as
//!   [`Inbound`]) and answers each complete prompt with the caller's words, as `text`
//!   tokens: an echo agent, where a real one would call a language model.

use rocket::futures::{SinkExt, StreamExt};
use rocket::serde::json;
use rocket::{get, post};
use rocket_twilio::twiml::{CallerInput, ConversationRelay, VoiceResponse};
use rocket_twilio::webhooks::conversation_relay::{Inbound, Outbound, Text};
use rocket_twilio::{validate_twilio_request, PublicUrl};
use rocket_ws::{Channel, Message, WebSocket};

/// The path of the ConversationRelay WebSocket.
pub const RELAY_PATH: &str = "/relay";

/// What the relay says when the call is connected, before the caller speaks.
pub const GREETING: &str = "Hi! I am an echo agent: say something and I will repeat it.";

/// `POST /voice-ai`: hands the call to ConversationRelay, which opens `wss://…/relay`.
#[validate_twilio_request]
#[post("/voice-ai")]
pub fn voice_ai(public: PublicUrl) -> VoiceResponse {
    let relay = ConversationRelay::new(public.websocket(RELAY_PATH))
        .welcome_greeting(GREETING)
        .interruptible(CallerInput::Any)
        .dtmf_detection(true);
    VoiceResponse::new().connect(relay)
}

/// `GET /relay`: the ConversationRelay WebSocket. Runs only for handshakes Twilio signed.
#[validate_twilio_request]
#[get("/relay")]
pub fn relay(ws: WebSocket) -> Channel<'static> {
    ws.channel(move |mut stream| {
        Box::pin(async move {
            let mut call = None;
            while let Some(message) = stream.next().await {
                let text = match message? {
                    Message::Text(text) => text,
                    Message::Close(_) => break,
                    _ => continue,
                };
                let incoming = match parse(&text) {
                    Ok(incoming) => incoming,
                    Err(error) => {
                        rocket::warn!("ConversationRelay: ignored a message: {error}");
                        continue;
                    }
                };
                if let Inbound::Setup(setup) = &incoming {
                    rocket::info!(
                        "ConversationRelay session {} for call {}",
                        setup.session_id,
                        setup.call_sid
                    );
                    call = Some(setup.call_sid.clone());
                }
                for reply in answer(&incoming) {
                    stream.send(Message::Text(to_json(reply))).await?;
                }
            }
            rocket::info!("ConversationRelay for call {} closed", call.as_deref().unwrap_or("(no setup)"));
            Ok(())
        })
    })
}

/// What the echo agent sends back for one message.
pub fn answer(message: &Inbound) -> Vec<Text> {
    match message {
        // With `partialPrompts`, a prompt comes in pieces; answer once it is complete.
        Inbound::Prompt(prompt) if prompt.last => tokens(&format!("You said: {}", prompt.voice_prompt)),
        Inbound::Dtmf(dtmf) => tokens(&format!("You pressed {}.", dtmf.digit)),
        Inbound::Error(error) => {
            rocket::warn!("ConversationRelay reported an error: {}", error.description);
            Vec::new()
        }
        // The echo is sent whole at once, so there is nothing to cut short when the caller interrupts;
        // a streaming agent would stop generating here. Message types added later are ignored.
        _ => Vec::new(),
    }
}

/// `text` as word tokens, the way a language model streams them: each word with its following space,
/// the last one marked `last`.
pub fn tokens(text: &str) -> Vec<Text> {
    let words: Vec<&str> = text.split_inclusive(' ').collect();
    let count = words.len();
    words.into_iter().enumerate().map(|(i, word)| Text::new(word, i + 1 == count)).collect()
}

/// One `text` message as ConversationRelay reads it: `{"type":"text","token":…,"last":…}`.
pub fn to_json(token: Text) -> String {
    json::to_string(&Outbound::Text(token)).expect("a text message serializes")
}

/// One message from ConversationRelay, parsed.
pub fn parse(text: &str) -> Result<Inbound, json::Error<'_>> {
    json::from_str(text).map_err(|e| json::Error::Parse(text, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoes_complete_prompts_as_tokens() {
        let prompt = |json: &str| parse(json).unwrap();
        let reply =
            answer(&prompt(r#"{"type":"prompt","voicePrompt":"book a table","lang":"en-US","last":true}"#));
        let words: Vec<&str> = reply.iter().map(|t| t.token.as_str()).collect();
        assert_eq!(words, ["You ", "said: ", "book ", "a ", "table"]);
        assert_eq!(reply.iter().filter(|t| t.last).count(), 1);
        assert!(reply.last().unwrap().last);
        assert_eq!(to_json(reply[0].clone()), r#"{"type":"text","token":"You ","last":false}"#);
        assert!(answer(&prompt(r#"{"type":"prompt","voicePrompt":"book a","last":false}"#)).is_empty());

        let digits = answer(&prompt(r##"{"type":"dtmf","digit":"7"}"##));
        assert_eq!(digits.iter().map(|t| t.token.as_str()).collect::<String>(), "You pressed 7.");
        assert!(answer(&prompt(r#"{"type":"error","description":"x"}"#)).is_empty());
        assert!(answer(&prompt(r#"{"type":"somethingNew","x":1}"#)).is_empty());
        assert!(answer(&prompt(r#"{"type":"setup","sessionId":"VX1","accountSid":"AC1","callSid":"CA1","from":"+1","to":"+2","customParameters":{}}"#)).is_empty());
    }
}
