//! Media Streams WebSocket messages
//! ([Twilio's reference](https://www.twilio.com/docs/voice/media-streams/websocket-messages)).
//!
//! `<Connect><Stream>` (bidirectional) or `<Start><Stream>` (listen only) opens a WebSocket to your
//! server. Twilio sends [`Inbound`] messages (`connected`, `start`, then `media` with base64 audio,
//! `dtmf`, `mark`, and `stop`); on a bidirectional stream your server sends [`Outbound`] messages (audio
//! to play, marks to be told when it has played, `clear` to drop what is buffered). Each message is one
//! JSON text frame with an `event` field.
//!
//! ```
//! use rocket_twilio::webhooks::media_streams::{Inbound, Outbound, OutboundMedia};
//!
//! let frame = r#"{"event":"media","sequenceNumber":"3","streamSid":"MZ1",
//!     "media":{"track":"inbound","chunk":"1","timestamp":"5","payload":"/39/"}}"#;
//! let Inbound::Media(media) = serde_json::from_str(frame).unwrap() else { unreachable!() };
//! assert_eq!((media.sequence_number, media.media.timestamp), (3, 5));
//! assert_eq!(media.media.audio(), Some(vec![0xff, 0x7f, 0x7f]));
//!
//! // Echo the audio back (8 kHz μ-law, base64).
//! let echo = Outbound::Media(OutboundMedia::new(&media.stream_sid, &[0xff, 0x7f, 0x7f]));
//! assert_eq!(
//!     serde_json::to_string(&echo).unwrap(),
//!     r#"{"event":"media","streamSid":"MZ1","media":{"payload":"/39/"}}"#
//! );
//! ```
//!
//! An `event` Twilio adds later parses as [`Inbound::Unknown`] rather than failing. Twilio writes
//! `sequenceNumber`, `chunk` and `timestamp` as strings of digits; they are read as numbers (from a
//! string or a number) and written back as strings.

use std::collections::BTreeMap;

use base64::Engine as _;
use rocket::serde::{Deserialize, Serialize};

/// A message Twilio sends on a Media Stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", tag = "event", rename_all = "camelCase")]
#[non_exhaustive]
pub enum Inbound {
    /// `connected`: the first message, once the WebSocket is open.
    Connected(Connected),
    /// `start`: the stream's metadata; sent once, after `connected`.
    Start(Start),
    /// `media`: a chunk of audio.
    Media(Media),
    /// `dtmf`: the caller pressed a key (bidirectional streams).
    Dtmf(Dtmf),
    /// `mark`: audio you sent up to a `mark` has finished playing (or was cleared).
    Mark(Mark),
    /// `stop`: the stream ended (the call ended, or `<Stop><Stream>`).
    Stop(Stop),
    /// An `event` this version does not know (its content is dropped). Cannot be serialized.
    #[serde(other, skip_serializing)]
    Unknown,
}

/// The `connected` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Connected {
    /// `protocol`: `Call`.
    pub protocol: String,
    /// `version`: the protocol's version, e.g. `1.0.0`.
    pub version: String,
}

/// The `start` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Start {
    /// `sequenceNumber`: the message's position in the stream (messages are numbered from 1).
    #[serde(with = "super::json::string")]
    pub sequence_number: u64,
    /// `start`: the stream's metadata.
    pub start: StreamMetadata,
    /// `streamSid`: the stream's ID (`MZ…`).
    pub stream_sid: String,
}

/// What a stream carries, in the `start` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct StreamMetadata {
    /// `accountSid`: the account the call belongs to.
    pub account_sid: String,
    /// `streamSid`: the stream's ID.
    pub stream_sid: String,
    /// `callSid`: the call being streamed.
    pub call_sid: String,
    /// `tracks`: the tracks streamed: `inbound` and/or `outbound`.
    pub tracks: Vec<String>,
    /// `customParameters`: the `<Parameter name value>` children of `<Stream>`.
    #[serde(default)]
    pub custom_parameters: BTreeMap<String, String>,
    /// `mediaFormat`: the audio's encoding.
    pub media_format: MediaFormat,
}

/// The audio format of a stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct MediaFormat {
    /// `encoding`: `audio/x-mulaw`.
    pub encoding: String,
    /// `sampleRate`: `8000` (Hz).
    pub sample_rate: u32,
    /// `channels`: `1`.
    pub channels: u32,
}

/// The `media` message Twilio sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Media {
    /// `sequenceNumber`: the message's position in the stream.
    #[serde(with = "super::json::string")]
    pub sequence_number: u64,
    /// `media`: the audio.
    pub media: MediaChunk,
    /// `streamSid`: the stream's ID.
    pub stream_sid: String,
}

/// A chunk of audio in a `media` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct MediaChunk {
    /// `track`: `inbound` (the caller) or `outbound` (what Twilio plays to the caller).
    pub track: String,
    /// `chunk`: the chunk's number in its track, from 1.
    #[serde(with = "super::json::string")]
    pub chunk: u64,
    /// `timestamp`: the chunk's time from the start of the stream, in milliseconds.
    #[serde(with = "super::json::string")]
    pub timestamp: u64,
    /// `payload`: the audio, base64 ([`audio`](Self::audio) decodes it).
    pub payload: String,
}

impl MediaChunk {
    /// The audio bytes (8 kHz μ-law), or `None` if the payload is not valid base64.
    pub fn audio(&self) -> Option<Vec<u8>> {
        base64::engine::general_purpose::STANDARD.decode(&self.payload).ok()
    }
}

/// The `dtmf` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Dtmf {
    /// `streamSid`: the stream's ID.
    pub stream_sid: String,
    /// `sequenceNumber`: the message's position in the stream.
    #[serde(with = "super::json::string")]
    pub sequence_number: u64,
    /// `dtmf`: the key.
    pub dtmf: DtmfDigit,
}

/// The key of a `dtmf` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct DtmfDigit {
    /// `track`: `inbound_track`.
    pub track: String,
    /// `digit`: the key, `0`–`9`, `*` or `#`.
    pub digit: String,
}

/// The `mark` message Twilio sends back when the audio before your mark has played.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Mark {
    /// `sequenceNumber`: the message's position in the stream.
    #[serde(with = "super::json::string")]
    pub sequence_number: u64,
    /// `streamSid`: the stream's ID.
    pub stream_sid: String,
    /// `mark`: the name you gave.
    pub mark: MarkName,
}

/// The name of a mark.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct MarkName {
    /// `name`: your label for the point in the audio.
    pub name: String,
}

/// The `stop` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Stop {
    /// `sequenceNumber`: the message's position in the stream.
    #[serde(with = "super::json::string")]
    pub sequence_number: u64,
    /// `stop`: which call's stream stopped.
    pub stop: StopMetadata,
    /// `streamSid`: the stream's ID.
    pub stream_sid: String,
}

/// The metadata of a `stop` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct StopMetadata {
    /// `accountSid`: the account the call belongs to.
    pub account_sid: String,
    /// `callSid`: the call.
    pub call_sid: String,
}

/// A message your server sends on a bidirectional Media Stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", tag = "event", rename_all = "camelCase")]
#[non_exhaustive]
pub enum Outbound {
    /// `media`: audio to play to the caller (8 kHz μ-law, base64, no file header).
    Media(OutboundMedia),
    /// `mark`: ask to be told (with an inbound `mark`) when the audio sent so far has played.
    Mark(OutboundMark),
    /// `clear`: drop the audio buffered and not yet played (pending marks come back).
    Clear(Clear),
}

/// The `media` message you send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct OutboundMedia {
    /// `streamSid`: the stream's ID.
    pub stream_sid: String,
    /// `media`: the audio.
    pub media: Payload,
}

impl OutboundMedia {
    /// A `media` message carrying `audio` (8 kHz μ-law bytes), base64-encoded.
    pub fn new(stream_sid: impl Into<String>, audio: &[u8]) -> Self {
        let payload = base64::engine::general_purpose::STANDARD.encode(audio);
        OutboundMedia { stream_sid: stream_sid.into(), media: Payload { payload } }
    }
}

/// The audio of an outbound `media` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Payload {
    /// `payload`: the audio, base64.
    pub payload: String,
}

/// The `mark` message you send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct OutboundMark {
    /// `streamSid`: the stream's ID.
    pub stream_sid: String,
    /// `mark`: your label.
    pub mark: MarkName,
}

impl OutboundMark {
    /// A `mark` message named `name`.
    pub fn new(stream_sid: impl Into<String>, name: impl Into<String>) -> Self {
        OutboundMark { stream_sid: stream_sid.into(), mark: MarkName { name: name.into() } }
    }
}

/// The `clear` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "camelCase")]
#[non_exhaustive]
pub struct Clear {
    /// `streamSid`: the stream's ID.
    pub stream_sid: String,
}

impl Clear {
    /// A `clear` message.
    pub fn new(stream_sid: impl Into<String>) -> Self {
        Clear { stream_sid: stream_sid.into() }
    }
}
