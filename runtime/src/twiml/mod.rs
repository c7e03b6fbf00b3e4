//! Typed TwiML responses: what a webhook answers to tell Twilio what to do next.
//!
//! Build a [`VoiceResponse`] for a call or a [`MessagingResponse`] for a message; `to_string()` (or
//! `{}`) gives the document Twilio reads, and with the `rocket` feature either one is a Rocket
//! `Responder` (status 200, `Content-Type: application/xml; charset=utf-8`).
//!
//! ```
//! use rocket_twilio::twiml::{Gather, GatherInput, MessagingResponse, Method, Say, VoiceResponse};
//!
//! let call = VoiceResponse::new()
//!     .say(Say::new("Welcome to Ahoy Corp.").voice("Polly.Amy").language("en-GB"))
//!     .gather(
//!         Gather::new()
//!             .input(GatherInput::Dtmf)
//!             .num_digits(1)
//!             .action("/menu")
//!             .method(Method::Post)
//!             .say("Press 1 for sales, 2 for support."),
//!     )
//!     .redirect("/voice");
//! assert_eq!(
//!     call.to_string(),
//!     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\
//!      <Say language=\"en-GB\" voice=\"Polly.Amy\">Welcome to Ahoy Corp.</Say>\
//!      <Gather action=\"/menu\" input=\"dtmf\" method=\"POST\" numDigits=\"1\">\
//!      <Say>Press 1 for sales, 2 for support.</Say></Gather>\
//!      <Redirect>/voice</Redirect></Response>"
//! );
//!
//! let sms = MessagingResponse::new().message("Thanks, we got it.");
//! assert_eq!(
//!     sms.to_string(),
//!     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>Thanks, we got it.</Message></Response>"
//! );
//! ```
//!
//! # Escaping: user input cannot become TwiML
//!
//! Every string you pass in (a message body, text to say, a URL, a phone number, a voice name) is
//! written as character data or as an attribute value, escaped by quick-xml; element and attribute
//! names come only from this module. So text always stays text, whatever it contains:
//!
//! ```
//! use rocket_twilio::twiml::MessagingResponse;
//!
//! // An attacker texts this, and the app echoes it back.
//! let body = "</Message><Dial>+19005550199</Dial><Message>";
//! let xml = MessagingResponse::new().message(body).to_string();
//! assert_eq!(
//!     xml,
//!     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>\
//!      &lt;/Message&gt;&lt;Dial&gt;+19005550199&lt;/Dial&gt;&lt;Message&gt;\
//!      </Message></Response>"
//! );
//! ```
//!
//! Precisely:
//!
//! - in text, `<`, `>` and `&` become `&lt;`, `&gt;` and `&amp;` (so `]]>` cannot appear either), and a
//!   carriage return becomes `&#13;` so that XML end-of-line handling cannot turn it into a line feed;
//! - in attribute values, `<`, `>`, `&`, `'` and `"` become entities, and tab, line feed and carriage
//!   return become character references, so attribute-value normalization cannot turn them into spaces;
//! - characters that XML 1.0 cannot represent at all, not even as `&#…;` (the C0 control characters
//!   other than tab, line feed and carriage return, and the noncharacters U+FFFE and U+FFFF), are
//!   **replaced by U+FFFD** (`�`) rather than dropped, so the output is always well-formed XML, nothing
//!   else shifts, and the substitution is visible;
//! - everything else, including emoji and other non-ASCII text, is written as UTF-8, unchanged.
//!
//! A parser therefore reads back exactly the strings you gave, except for that replacement.
//!
//! # Output format
//!
//! The output is byte for byte what twilio-python 9.13 writes for the same response (a differential
//! test checks it), apart from the escaping differences its `ElementTree` serializer does not handle:
//! the XML declaration, no whitespace between elements, attributes sorted by name, empty elements as
//! `<Hangup />`, an empty response as `<Response />`, and an empty string as no text at all (`say("")`
//! is `<Say />`). Where twilio-python writes a raw carriage return (read back as a line feed) or a raw
//! control character (not well-formed XML, so Twilio cannot parse the document), this module writes
//! `&#13;` and U+FFFD; it also writes `&apos;` and `&#9;` in attribute values where twilio-python writes
//! `'` and `&#09;`, which parse to the same value.
//!
//! # Scope
//!
//! A small, typed subset of TwiML: the verbs and attributes most webhooks use, with attribute names as
//! in Twilio's TwiML reference (`numDigits`, `callerId`, `statusCallback`…). Numbers are `u32`s and
//! enumerated values are enums, so a typo does not compile.
//!
//! For voice AI, [`Connect`] hands the call to a WebSocket server, either as a bidirectional Media
//! [`Stream`] or as a [`ConversationRelay`] session (with [`Language`] settings and custom
//! parameters); [`Start`] forks the call's audio to a unidirectional [`Stream`], and
//! [`VoiceResponse::stop_stream`] stops it. ConversationRelay's attribute values that Twilio
//! documents as a fixed set ([`CallerInput`], [`TtsProvider`]…) are enums with an `Other` variant,
//! because Twilio adds providers and values to that product often.
//!
//! ```
//! use rocket_twilio::twiml::{ConversationRelay, Stream, StreamTrack, VoiceResponse};
//!
//! let relay = ConversationRelay::new("wss://example.com/relay").welcome_greeting("Hi! How can I help?");
//! let xml = VoiceResponse::new()
//!     .start(Stream::new("wss://example.com/recorder").name("rec").track(StreamTrack::BothTracks))
//!     .connect(relay)
//!     .stop_stream("rec")
//!     .to_string();
//! assert_eq!(
//!     xml,
//!     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\
//!      <Start><Stream name=\"rec\" track=\"both_tracks\" url=\"wss://example.com/recorder\" /></Start>\
//!      <Connect><ConversationRelay url=\"wss://example.com/relay\" welcomeGreeting=\"Hi! How can I help?\" />\
//!      </Connect><Stop><Stream name=\"rec\" /></Stop></Response>"
//! );
//! ```

mod attributes;
mod connect;
mod messaging;
mod relay;
#[cfg(feature = "rocket")]
mod responder;
mod stream;
#[cfg(test)]
mod tests;
mod voice;
mod xml;

pub use connect::Connect;
pub use messaging::{Message, MessagingResponse};
pub use relay::{
    CallerInput, ConversationRelay, DebugChannel, InterruptSensitivity, Language, TextNormalization,
    TranscriptionProvider, TtsProvider,
};
pub use stream::{Start, Stream, StreamTrack};
pub use voice::{Dial, Gather, GatherInput, Play, RejectReason, Say, VoiceResponse};

use attributes::{attribute_enum, attributes, from_text};
use xml::Element;

attribute_enum! {
    /// The HTTP method Twilio uses to request an `action` or `Redirect` URL.
    ///
    /// ```
    /// use rocket_twilio::twiml::{Method, Redirect, VoiceResponse};
    ///
    /// let xml = VoiceResponse::new().redirect(Redirect::new("/next").method(Method::Get)).to_string();
    /// assert!(xml.contains("<Redirect method=\"GET\">/next</Redirect>"));
    /// assert_eq!(Method::Post.as_str(), "POST");
    /// ```
    pub enum Method {
        /// `GET`.
        Get = "GET",
        /// `POST` (Twilio's default).
        Post = "POST",
    }

    /// `"GET"` or `"POST"`, as written in TwiML.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::Method::Get.as_str(), "GET");
    /// ```
    pub const fn as_str(self) -> &'static str;
}

/// `<Redirect>`: hands the call or message to the TwiML at another URL; verbs after it never run.
///
/// Used by both [`VoiceResponse::redirect`] and [`MessagingResponse::redirect`]; a `&str` or `String`
/// converts into a `Redirect` with Twilio's default method (`POST`).
///
/// ```
/// use rocket_twilio::twiml::{MessagingResponse, Method, Redirect};
///
/// let xml = MessagingResponse::new().redirect(Redirect::new("https://example.com/sms?step=2&x=1").method(Method::Get));
/// assert_eq!(
///     xml.to_string(),
///     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\
///      <Redirect method=\"GET\">https://example.com/sms?step=2&amp;x=1</Redirect></Response>"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[must_use]
pub struct Redirect {
    url: String,
    attributes: RedirectAttributes,
}

impl Redirect {
    /// Redirects to `url` (absolute, or relative to the URL of the current request).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Redirect, VoiceResponse};
    /// let xml = VoiceResponse::new().redirect(Redirect::new("/voice/menu")).to_string();
    /// assert!(xml.ends_with("<Response><Redirect>/voice/menu</Redirect></Response>"));
    /// ```
    pub fn new(url: impl Into<String>) -> Self {
        Redirect { url: url.into(), attributes: RedirectAttributes::default() }
    }

    fn element(&self) -> Element<'_> {
        self.attributes.write(Element::new("Redirect")).text(&self.url)
    }
}

attributes! {
    Redirect.attributes: RedirectAttributes {
        /// The `method` attribute: how Twilio requests the URL.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Method, Redirect, VoiceResponse};
        /// let xml = VoiceResponse::new().redirect(Redirect::new("/menu").method(Method::Post)).to_string();
        /// assert!(xml.contains("<Redirect method=\"POST\">/menu</Redirect>"));
        /// ```
        "method" => pub fn method(method: Method);
    }
}

from_text!(Redirect, Say, Play, Dial, Message);

/// `<Parameter name="…" value="…" />`: a custom value Twilio hands to a WebSocket server, nested in
/// a [`Stream`] or a [`ConversationRelay`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Parameter {
    name: String,
    value: String,
}

impl Parameter {
    fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Parameter { name: name.into(), value: value.into() }
    }

    fn element(&self) -> Element<'_> {
        Element::new("Parameter")
            .attr("name", Some(self.name.as_str()))
            .attr("value", Some(self.value.as_str()))
    }
}
