//! Voice AI over a WebSocket: ConversationRelay with an echo agent.
//!
//! - `POST /voice-ai` is the voice webhook of the number: it answers `<Connect><ConversationRelay
//!   url="wss://…/relay">`, the `wss://` URL built from the configured public URL ([`PublicUrl`]: the
//!   `twilio.base_url`, or the request's scheme and host), so that Twilio opens, and signs, exactly the URL
//!   the guard of `/relay` checks.
//! - `GET /relay` is the WebSocket ConversationRelay opens. `#[validate_twilio_request]` checks the
//!   handshake's `X-Twilio-Signature` over its `wss://` URL before the upgrade: anything else gets 403
//!   and no WebSocket. The handler then reads ConversationRelay's messages ([`Incoming`]) and answers each
//!   complete prompt with the caller's words, as `text` tokens: an echo agent, where a real one would
//!   call a language model.

use std::collections::BTreeMap;

use rocket::futures::{SinkExt, StreamExt};
use rocket::{get, post};
use rocket_twilio::twiml::{CallerInput, ConversationRelay, VoiceResponse};
use rocket_twilio::{validate_twilio_request, PublicUrl};
use rocket_ws::{Channel, Message, WebSocket};
use serde::{Deserialize, Serialize};

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
                let incoming = match Incoming::parse(&text) {
                    Ok(incoming) => incoming,
                    Err(error) => {
                        rocket::warn!("ConversationRelay: ignored a message: {error}");
                        continue;
                    }
                };
                if let Incoming::Setup(setup) = &incoming {
                    rocket::info!(
                        "ConversationRelay session {} for call {}",
                        setup.session_id,
                        setup.call_sid
                    );
                    call = Some(setup.call_sid.clone());
                }
                for reply in answer(&incoming) {
                    stream.send(Message::Text(reply.to_json())).await?;
                }
            }
            rocket::info!("ConversationRelay for call {} closed", call.as_deref().unwrap_or("(no setup)"));
            Ok(())
        })
    })
}

/// What the echo agent sends back for one message.
pub fn answer(message: &Incoming) -> Vec<TextToken> {
    match message {
        // With `partialPrompts`, a prompt comes in pieces; answer once it is complete.
        Incoming::Prompt(prompt) if prompt.last => tokens(&format!("You said: {}", prompt.voice_prompt)),
        Incoming::Dtmf(dtmf) => tokens(&format!("You pressed {}.", dtmf.digit)),
        Incoming::Error(error) => {
            rocket::warn!("ConversationRelay reported an error: {}", error.description);
            Vec::new()
        }
        // The echo is sent whole at once, so there is nothing to cut short when the caller interrupts;
        // a streaming agent would stop generating here.
        Incoming::Prompt(_) | Incoming::Setup(_) | Incoming::Interrupt(_) => Vec::new(),
    }
}

/// `text` as word tokens, the way a language model streams them: each word with its following space,
/// the last one marked `last`.
pub fn tokens(text: &str) -> Vec<TextToken> {
    let words: Vec<&str> = text.split_inclusive(' ').collect();
    let count = words.len();
    words
        .into_iter()
        .enumerate()
        .map(|(i, word)| TextToken { token: word.to_owned(), last: i + 1 == count })
        .collect()
}

// A minimal, private parser for the ConversationRelay messages this example reads. The shared serde types
// (`rocket_twilio::webhooks::conversation_relay`) are being written; switch to them once merged.

/// A message ConversationRelay sends to the application (Twilio docs, "Getting and sending WebSocket
/// messages").
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Incoming {
    /// Sent once, right after the WebSocket opens.
    Setup(Setup),
    /// What the caller said.
    Prompt(Prompt),
    /// A key the caller pressed (`dtmfDetection="true"`).
    Dtmf(Dtmf),
    /// The caller spoke over the agent.
    Interrupt(Interrupt),
    /// Twilio found a problem, e.g. a message from the application it could not read.
    Error(RelayError),
}

impl Incoming {
    /// Reads one text message; unknown `type`s and missing required fields are errors.
    pub fn parse(text: &str) -> Result<Incoming, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// The `setup` message: who is calling, and the `<Parameter>`s of the TwiML.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Setup {
    /// `VX…`.
    pub session_id: String,
    /// `CA…`.
    pub call_sid: String,
    /// `AC…`.
    #[serde(default)]
    pub account_sid: String,
    /// The caller.
    #[serde(default)]
    pub from: String,
    /// The number called.
    #[serde(default)]
    pub to: String,
    /// `inbound` or `outbound`.
    #[serde(default)]
    pub direction: String,
    /// The `<Parameter>`s of the `<ConversationRelay>`.
    #[serde(default)]
    pub custom_parameters: BTreeMap<String, String>,
}

/// The `prompt` message: the transcript of what the caller said.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Prompt {
    /// The words.
    pub voice_prompt: String,
    /// Their language, e.g. `en-US`.
    #[serde(default)]
    pub lang: Option<String>,
    /// Whether the prompt is complete (always, unless `partialPrompts="true"`).
    #[serde(default = "complete")]
    pub last: bool,
}

fn complete() -> bool {
    true
}

/// The `dtmf` message.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Dtmf {
    /// `0`–`9`, `*`, `#`.
    pub digit: String,
}

/// The `interrupt` message.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Interrupt {
    /// What the caller heard of the agent's answer before speaking.
    #[serde(default)]
    pub utterance_until_interrupt: String,
    /// How long the answer had been playing, in milliseconds.
    #[serde(default)]
    pub duration_until_interrupt_ms: u64,
}

/// The `error` message.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct RelayError {
    /// What went wrong.
    pub description: String,
}

/// A `text` message from the application: one token of the answer, spoken by Twilio's text-to-speech.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextToken {
    /// The text.
    pub token: String,
    /// Whether this token ends the answer.
    pub last: bool,
}

impl TextToken {
    /// `{"type":"text","token":…,"last":…}`.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Wire<'a> {
            #[serde(rename = "type")]
            kind: &'static str,
            token: &'a str,
            last: bool,
        }
        serde_json::to_string(&Wire { kind: "text", token: &self.token, last: self.last })
            .expect("a struct of strings and a bool serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_messages() {
        let setup = r#"{"type":"setup","sessionId":"VX00000000000000000000000000000000",
            "accountSid":"ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX","parentCallSid":"",
            "callSid":"CA00000000000000000000000000000000","from":"+18005550100","to":"+18005550101",
            "forwardedFrom":"+18005550102","callType":"PSTN","callerName":"","direction":"inbound",
            "callStatus":"RINGING","customParameters":{"callReference":"bar"}}"#;
        let Incoming::Setup(setup) = Incoming::parse(setup).unwrap() else { panic!("not a setup") };
        assert_eq!(setup.call_sid, "CA00000000000000000000000000000000");
        assert_eq!(setup.from, "+18005550100");
        assert_eq!(setup.custom_parameters["callReference"], "bar");

        assert_eq!(
            Incoming::parse(r#"{"type":"prompt","voicePrompt":"Hello there","lang":"en-US","last":true}"#)
                .unwrap(),
            Incoming::Prompt(Prompt {
                voice_prompt: "Hello there".into(),
                lang: Some("en-US".into()),
                last: true
            })
        );
        assert_eq!(
            Incoming::parse(r#"{"type":"prompt","voicePrompt":"Hel"}"#).unwrap(),
            Incoming::Prompt(Prompt { voice_prompt: "Hel".into(), lang: None, last: true })
        );
        assert_eq!(
            Incoming::parse(r##"{"type":"dtmf","digit":"#"}"##).unwrap(),
            Incoming::Dtmf(Dtmf { digit: "#".into() })
        );
        assert_eq!(
            Incoming::parse(
                r#"{"type":"interrupt","utteranceUntilInterrupt":"Hi! I am","durationUntilInterruptMs":840}"#
            )
            .unwrap(),
            Incoming::Interrupt(Interrupt {
                utterance_until_interrupt: "Hi! I am".into(),
                duration_until_interrupt_ms: 840
            })
        );
        assert_eq!(
            Incoming::parse(r#"{"type":"error","description":"Invalid message received"}"#).unwrap(),
            Incoming::Error(RelayError { description: "Invalid message received".into() })
        );
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for bad in [
            r#"{"type":"media","payload":"AAAA"}"#,
            r#"{"voicePrompt":"no type"}"#,
            r#"{"type":"prompt"}"#,
            r#"{"type":"dtmf","digit":5}"#,
            "not json",
        ] {
            assert!(Incoming::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn echoes_complete_prompts_as_tokens() {
        let prompt =
            |text: &str, last| Incoming::Prompt(Prompt { voice_prompt: text.into(), lang: None, last });
        let reply = answer(&prompt("book a table", true));
        let words: Vec<&str> = reply.iter().map(|t| t.token.as_str()).collect();
        assert_eq!(words, ["You ", "said: ", "book ", "a ", "table"]);
        assert_eq!(reply.iter().filter(|t| t.last).count(), 1);
        assert!(reply.last().unwrap().last);
        assert_eq!(reply[0].to_json(), r#"{"type":"text","token":"You ","last":false}"#);
        assert!(answer(&prompt("book a", false)).is_empty());

        let digits = answer(&Incoming::Dtmf(Dtmf { digit: "7".into() }));
        assert_eq!(digits.iter().map(|t| t.token.as_str()).collect::<String>(), "You pressed 7.");
        assert!(answer(&Incoming::Error(RelayError { description: "x".into() })).is_empty());
    }
}
