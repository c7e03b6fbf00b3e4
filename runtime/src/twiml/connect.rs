//! `<Connect>`: hands the call to a WebSocket session until it ends.

use super::attributes::attributes;
use super::relay::ConversationRelay;
use super::stream::Stream;
use super::xml::Element;
use super::Method;

/// `<Connect>`: connects the call to a bidirectional [`Stream`] or to a [`ConversationRelay`]
/// session. Twilio executes no further verb until the session ends; then it requests `action` if
/// there is one, and otherwise goes on with the verbs after `<Connect>`.
///
/// A [`Stream`] or a [`ConversationRelay`] converts into a `Connect` without attributes, so
/// `response.connect(stream)` is enough.
///
/// ```
/// use rocket_twilio::twiml::{Connect, Method, Stream, VoiceResponse};
///
/// let connect = Connect::stream(Stream::new("wss://example.com/media").parameter("agent", "7"))
///     .action("https://example.com/after-stream")
///     .method(Method::Post);
/// assert_eq!(
///     VoiceResponse::new().connect(connect).to_string(),
///     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\
///      <Connect action=\"https://example.com/after-stream\" method=\"POST\">\
///      <Stream url=\"wss://example.com/media\"><Parameter name=\"agent\" value=\"7\" /></Stream>\
///      </Connect></Response>"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[must_use]
pub struct Connect {
    noun: ConnectNoun,
    attributes: ConnectAttributes,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum ConnectNoun {
    Stream(Stream),
    // Boxed: a relay carries many more fields than a stream.
    ConversationRelay(Box<ConversationRelay>),
}

impl Connect {
    /// `<Connect><Stream>`: a bidirectional Media Stream, over which the server receives the
    /// caller's audio and can send audio back. Twilio accepts only the default track
    /// (`inbound_track`) here.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Connect, Stream, VoiceResponse};
    /// let xml = VoiceResponse::new().connect(Connect::stream(Stream::new("wss://x/media").name("bot"))).to_string();
    /// assert!(xml.ends_with("<Response><Connect><Stream name=\"bot\" url=\"wss://x/media\" /></Connect></Response>"));
    /// ```
    pub fn stream(stream: Stream) -> Self {
        Connect::new(ConnectNoun::Stream(stream))
    }

    /// `<Connect><ConversationRelay>`: a ConversationRelay session.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Connect, ConversationRelay, VoiceResponse};
    /// let connect = Connect::conversation_relay(ConversationRelay::new("wss://x/relay"));
    /// let xml = VoiceResponse::new().connect(connect).to_string();
    /// assert!(xml.ends_with("<Response><Connect><ConversationRelay url=\"wss://x/relay\" /></Connect></Response>"));
    /// ```
    pub fn conversation_relay(relay: ConversationRelay) -> Self {
        Connect::new(ConnectNoun::ConversationRelay(Box::new(relay)))
    }

    fn new(noun: ConnectNoun) -> Self {
        Connect { noun, attributes: ConnectAttributes::default() }
    }

    pub(super) fn element(&self) -> Element<'_> {
        let noun = match &self.noun {
            ConnectNoun::Stream(stream) => stream.element(),
            ConnectNoun::ConversationRelay(relay) => relay.element(),
        };
        self.attributes.write(Element::new("Connect")).children([noun])
    }
}

attributes! {
    Connect.attributes: ConnectAttributes {
        /// The `action` attribute: the URL Twilio requests when the session ends, for the TwiML that
        /// continues the call (ConversationRelay adds `SessionId`, `SessionStatus`, `SessionDuration`
        /// and any `HandoffData` to the request).
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Connect, ConversationRelay, VoiceResponse};
        /// let connect = Connect::conversation_relay(ConversationRelay::new("wss://x/r")).action("/ended?a=1&b=2");
        /// let xml = VoiceResponse::new().connect(connect).to_string();
        /// assert!(xml.contains("<Connect action=\"/ended?a=1&amp;b=2\"><ConversationRelay url=\"wss://x/r\" /></Connect>"));
        /// ```
        "action" => pub fn action(url: impl Into<String>);

        /// The `method` attribute: how Twilio requests `action`.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Connect, Method, Stream, VoiceResponse};
        /// let connect = Connect::stream(Stream::new("wss://x/m")).method(Method::Get);
        /// let xml = VoiceResponse::new().connect(connect).to_string();
        /// assert!(xml.contains("<Connect method=\"GET\"><Stream url=\"wss://x/m\" /></Connect>"));
        /// ```
        "method" => pub fn method(method: Method);
    }
}

impl From<Stream> for Connect {
    fn from(stream: Stream) -> Self {
        Connect::stream(stream)
    }
}

impl From<ConversationRelay> for Connect {
    fn from(relay: ConversationRelay) -> Self {
        Connect::conversation_relay(relay)
    }
}
