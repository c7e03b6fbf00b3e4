//! ConversationRelay WebSocket messages
//! ([Twilio's reference](https://www.twilio.com/docs/voice/conversationrelay/websocket-messages)).
//!
//! `<Connect><ConversationRelay url="wss://…">` opens a WebSocket to your server; Twilio sends
//! [`Inbound`] messages (the caller's transcribed speech, keys, interruptions) and your server answers
//! with [`Outbound`] messages (text to speak, audio to play, digits, language changes, the end of the
//! session). Each message is one JSON text frame with a `type` field.
//!
//! ```
//! use rocket_twilio::webhooks::conversation_relay::{Inbound, Outbound, Text};
//!
//! let frame = r#"{"type":"prompt","voicePrompt":"What are your opening hours?","lang":"en-US","last":true}"#;
//! match serde_json::from_str::<Inbound>(frame).unwrap() {
//!     Inbound::Prompt(prompt) if prompt.last => {
//!         let reply = Outbound::Text(Text::new("We are open from nine to five.", true));
//!         assert_eq!(
//!             serde_json::to_string(&reply).unwrap(),
//!             r#"{"type":"text","token":"We are open from nine to five.","last":true}"#
//!         );
//!     }
//!     _ => unreachable!(),
//! }
//! ```
//!
//! A message type Twilio adds later parses as [`Inbound::Unknown`] rather than failing; a known type
//! with a missing required field is still an error.

use std::collections::BTreeMap;

use rocket::serde::{Deserialize, Serialize};

/// A message Twilio sends to your ConversationRelay WebSocket server.
// Messages are handled one at a time; boxing `Setup` would only make it harder to match on.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", tag = "type", rename_all = "camelCase")]
#[non_exhaustive]
pub enum Inbound {
    /// `setup`: sent once, right after the WebSocket opens.
    Setup(Setup),
    /// `prompt`: the caller said something.
    Prompt(Prompt),
    /// `dtmf`: the caller pressed a key.
    Dtmf(Dtmf),
    /// `interrupt`: the caller spoke over the text being played.
    Interrupt(Interrupt),
    /// `error`: Twilio could not handle a message you sent, or another error happened.
    Error(Error),
    /// A `type` this version does not know (its content is dropped). Cannot be serialized.
    #[serde(other, skip_serializing)]
    Unknown,
}

/// The `setup` message: who is calling, and the `<Parameter>`s of the TwiML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Setup {
    /// `sessionId`: the ConversationRelay session's ID (`VX…`).
    pub session_id: String,
    /// `accountSid`: the account the call belongs to.
    pub account_sid: String,
    /// `callSid`: the call's ID.
    pub call_sid: String,
    /// `parentCallSid`: the parent call's ID, or empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_call_sid: Option<String>,
    /// `from`: the caller.
    pub from: String,
    /// `to`: the callee.
    pub to: String,
    /// `forwardedFrom`: the number that forwarded the call, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarded_from: Option<String>,
    /// `callType`: `PSTN`, `SIP` or `CLIENT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_type: Option<String>,
    /// `callerName`: the caller's name, when known (often empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_name: Option<String>,
    /// `direction`: e.g. `inbound`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// `callStatus`: the call's status, e.g. `RINGING` or `IN-PROGRESS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_status: Option<String>,
    /// `customParameters`: the `<Parameter name value>` children of `<ConversationRelay>`.
    #[serde(default)]
    pub custom_parameters: BTreeMap<String, String>,
}

/// The `prompt` message: transcribed speech of the caller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Prompt {
    /// `voicePrompt`: what the caller said.
    pub voice_prompt: String,
    /// `lang`: the language it was transcribed in, e.g. `en-US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// `last`: `true` for the final transcript of the utterance, `false` for a partial one (sent only
    /// with `partialPrompts="true"`).
    #[serde(default = "yes")]
    pub last: bool,
}

fn yes() -> bool {
    true
}

/// The `dtmf` message: a key the caller pressed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Dtmf {
    /// `digit`: the key, `0`–`9`, `*` or `#`.
    pub digit: String,
}

/// The `interrupt` message: the caller spoke while text was being played.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Interrupt {
    /// `utteranceUntilInterrupt`: the part of your text the caller heard before interrupting.
    pub utterance_until_interrupt: String,
    /// `durationUntilInterruptMs`: how long it played before the interruption, in milliseconds (Twilio
    /// has written it both as a number and as a string of digits; both are read).
    #[serde(with = "super::json::number")]
    pub duration_until_interrupt_ms: u64,
}

/// The `error` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Error {
    /// `description`: what went wrong, e.g. `Invalid message received: …`.
    pub description: String,
}

/// A message your server sends to ConversationRelay.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", tag = "type", rename_all = "camelCase")]
#[non_exhaustive]
pub enum Outbound {
    /// `text`: a token (word, sentence…) of text to speak; stream tokens as your model produces them.
    Text(Text),
    /// `play`: audio to play from a URL.
    Play(Play),
    /// `sendDigits`: DTMF tones to send on the call.
    SendDigits(SendDigits),
    /// `language`: switch the text-to-speech and/or transcription language.
    Language(Language),
    /// `end`: end the session; the call continues with the `<Connect action>` URL.
    End(End),
}

/// The `text` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Text {
    /// `token`: the text to speak.
    pub token: String,
    /// `last`: `true` on the last token of the reply.
    pub last: bool,
    /// `lang`: the language to speak it in, instead of the session's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// `interruptible`: whether the caller can interrupt it (the session's setting by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interruptible: Option<bool>,
    /// `preemptible`: whether later text or play messages may cut it short.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preemptible: Option<bool>,
}

impl Text {
    /// A `text` message with Twilio's defaults for the optional fields.
    pub fn new(token: impl Into<String>, last: bool) -> Self {
        Text { token: token.into(), last, lang: None, interruptible: None, preemptible: None }
    }
}

/// The `play` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Play {
    /// `source`: the URL of the audio file.
    pub source: String,
    /// `loop`: how many times to play it (`0` repeats until something else is sent); once by default.
    #[serde(default, rename = "loop", skip_serializing_if = "Option::is_none")]
    pub loop_count: Option<u32>,
    /// `interruptible`: whether the caller can interrupt it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interruptible: Option<bool>,
    /// `preemptible`: whether later text or play messages may cut it short.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preemptible: Option<bool>,
}

impl Play {
    /// A `play` message with Twilio's defaults for the optional fields.
    pub fn new(source: impl Into<String>) -> Self {
        Play { source: source.into(), loop_count: None, interruptible: None, preemptible: None }
    }
}

/// The `sendDigits` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct SendDigits {
    /// `digits`: the keys to send: `0`–`9`, `*`, `#`, and `w` for a half-second pause.
    pub digits: String,
}

impl SendDigits {
    /// A `sendDigits` message.
    pub fn new(digits: impl Into<String>) -> Self {
        SendDigits { digits: digits.into() }
    }
}

/// The `language` message; a field left `None` keeps its current language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Language {
    /// `ttsLanguage`: the language to speak in, e.g. `fr-FR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tts_language: Option<String>,
    /// `transcriptionLanguage`: the language to transcribe the caller in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcription_language: Option<String>,
}

impl Language {
    /// A `language` message switching both languages.
    pub fn both(language: impl Into<String>) -> Self {
        let language = language.into();
        Language { tts_language: Some(language.clone()), transcription_language: Some(language) }
    }
}

/// The `end` message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct End {
    /// `handoffData`: a string (typically JSON) passed to the `<Connect action>` URL as `HandoffData`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handoff_data: Option<String>,
}

impl End {
    /// An `end` message carrying `handoff_data`.
    pub fn with_handoff_data(handoff_data: impl Into<String>) -> Self {
        End { handoff_data: Some(handoff_data.into()) }
    }
}
