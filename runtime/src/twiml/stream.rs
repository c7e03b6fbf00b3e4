//! Media Streams: `<Stream>`, and the `<Start>` verb that forks a call's audio to one.

use super::attributes::{attribute_enum, attributes};
use super::xml::Element;
use super::{Method, Parameter};

/// `<Stream>`: the WebSocket server that receives a call's raw audio (Twilio's Media Streams).
///
/// In a [`Start`] (`<Start><Stream>`) the stream is **unidirectional**: Twilio forks the audio to
/// the server while the call goes on with the next verb. In a [`Connect`](super::Connect)
/// (`<Connect><Stream>`) it is **bidirectional**: the server can also send audio back, and the call
/// stays on the stream until the WebSocket closes. Twilio signs the WebSocket handshake with
/// `X-Twilio-Signature` over the `wss://` URL. The URL cannot carry a query string: pass values as
/// [`parameter`](Stream::parameter)s instead.
///
/// ```
/// use rocket_twilio::twiml::{Method, Stream, StreamTrack, VoiceResponse};
///
/// let stream = Stream::new("wss://example.com/audio")
///     .name("transcriber")
///     .track(StreamTrack::BothTracks)
///     .status_callback("https://example.com/stream-events")
///     .status_callback_method(Method::Post)
///     .parameter("caller", "+14155550100");
/// assert_eq!(
///     VoiceResponse::new().start(stream).say("This call is transcribed.").to_string(),
///     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Start>\
///      <Stream name=\"transcriber\" statusCallback=\"https://example.com/stream-events\" \
///      statusCallbackMethod=\"POST\" track=\"both_tracks\" url=\"wss://example.com/audio\">\
///      <Parameter name=\"caller\" value=\"+14155550100\" /></Stream></Start>\
///      <Say>This call is transcribed.</Say></Response>"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[must_use]
pub struct Stream {
    url: String,
    attributes: StreamAttributes,
    parameters: Vec<Parameter>,
}

impl Stream {
    /// Streams to the WebSocket server at `url` (`wss://…`, without a query string).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Stream, VoiceResponse};
    /// let xml = VoiceResponse::new().start(Stream::new("wss://example.com/audio")).to_string();
    /// assert!(xml.contains("<Start><Stream url=\"wss://example.com/audio\" /></Start>"));
    /// ```
    pub fn new(url: impl Into<String>) -> Self {
        Stream { url: url.into(), attributes: StreamAttributes::default(), parameters: Vec::new() }
    }
}

attributes! {
    Stream.attributes: StreamAttributes {
        /// The `name` attribute: names the stream, unique within the call, so that
        /// [`VoiceResponse::stop_stream`](super::VoiceResponse::stop_stream) (or the REST API) can stop it.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Stream, VoiceResponse};
        /// let xml = VoiceResponse::new().start(Stream::new("wss://x/a").name("my stream")).to_string();
        /// assert!(xml.contains("<Stream name=\"my stream\" url=\"wss://x/a\" />"));
        /// ```
        "name" => pub fn name(name: impl Into<String>);

        /// The `track` attribute: which audio to stream (Twilio's default is the caller's,
        /// `inbound_track`). A bidirectional stream (`<Connect><Stream>`) accepts only `inbound_track`;
        /// Twilio fails the call with error 31941 on any other.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Stream, StreamTrack, VoiceResponse};
        /// let xml = VoiceResponse::new().start(Stream::new("wss://x/a").track(StreamTrack::OutboundTrack)).to_string();
        /// assert!(xml.contains("<Stream track=\"outbound_track\" url=\"wss://x/a\" />"));
        /// ```
        "track" => pub fn track(track: StreamTrack);

        /// The `statusCallback` attribute: the URL Twilio requests when the stream starts, stops or
        /// fails (`StreamEvent` is `stream-started`, `stream-stopped` or `stream-error`).
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Stream, VoiceResponse};
        /// let xml = VoiceResponse::new().start(Stream::new("wss://x/a").status_callback("/events?a=1&b=2")).to_string();
        /// assert!(xml.contains("<Stream statusCallback=\"/events?a=1&amp;b=2\" url=\"wss://x/a\" />"));
        /// ```
        "statusCallback" => pub fn status_callback(url: impl Into<String>);

        /// The `statusCallbackMethod` attribute: how Twilio requests `statusCallback`.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Method, Stream, VoiceResponse};
        /// let xml = VoiceResponse::new().start(Stream::new("wss://x/a").status_callback_method(Method::Get)).to_string();
        /// assert!(xml.contains("<Stream statusCallbackMethod=\"GET\" url=\"wss://x/a\" />"));
        /// ```
        "statusCallbackMethod" => pub fn status_callback_method(method: Method);
    }
}

impl Stream {
    /// Nests a `<Parameter name="…" value="…" />`: a custom value Twilio hands to the WebSocket
    /// server in the `start` message (`start.customParameters`). Parameters are written in the order
    /// they are added.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Stream, VoiceResponse};
    /// let stream = Stream::new("wss://x/a").parameter("order", "42").parameter("lang", "en");
    /// let xml = VoiceResponse::new().start(stream).to_string();
    /// assert!(xml.contains(
    ///     "<Stream url=\"wss://x/a\"><Parameter name=\"order\" value=\"42\" />\
    ///      <Parameter name=\"lang\" value=\"en\" /></Stream>"
    /// ));
    /// ```
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.push(Parameter::new(name, value));
        self
    }

    pub(super) fn element(&self) -> Element<'_> {
        self.attributes
            .write(Element::new("Stream").attr("url", Some(self.url.as_str())))
            .children(self.parameters.iter().map(Parameter::element))
    }
}

attribute_enum! {
    /// Which audio a [`Stream`] carries (its `track` attribute).
    ///
    /// ```
    /// use rocket_twilio::twiml::StreamTrack;
    ///
    /// assert_eq!(StreamTrack::InboundTrack.as_str(), "inbound_track");
    /// assert_eq!(StreamTrack::BothTracks.to_string(), "both_tracks");
    /// ```
    pub enum StreamTrack {
        /// `inbound_track`: the audio Twilio receives from the caller (Twilio's default, and the only
        /// track a bidirectional `<Connect><Stream>` accepts).
        InboundTrack = "inbound_track",
        /// `outbound_track`: the audio Twilio plays to the caller.
        OutboundTrack = "outbound_track",
        /// `both_tracks`: both, each media message tagged with its track.
        BothTracks = "both_tracks",
    }

    /// The attribute value: `"inbound_track"`, `"outbound_track"` or `"both_tracks"`.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::StreamTrack::OutboundTrack.as_str(), "outbound_track");
    /// ```
    pub const fn as_str(self) -> &'static str;
}

/// `<Start>`: starts a unidirectional [`Stream`] of the call's audio in the background; Twilio goes
/// on with the next verb at once, and the stream runs until the call ends or a `<Stop>`
/// ([`VoiceResponse::stop_stream`](super::VoiceResponse::stop_stream)) names it.
///
/// A [`Stream`] converts into a `Start` of that stream, so `response.start(stream)` is enough.
///
/// ```
/// use rocket_twilio::twiml::{Start, Stream, VoiceResponse};
///
/// let start = Start::stream(Stream::new("wss://example.com/audio").name("fork"));
/// assert_eq!(
///     VoiceResponse::new().start(start).dial("+14155550100").to_string(),
///     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\
///      <Start><Stream name=\"fork\" url=\"wss://example.com/audio\" /></Start>\
///      <Dial>+14155550100</Dial></Response>"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[must_use]
pub struct Start {
    stream: Stream,
}

impl Start {
    /// `<Start>` around `stream`.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Start, Stream, VoiceResponse};
    /// let xml = VoiceResponse::new().start(Start::stream(Stream::new("wss://x/a"))).to_string();
    /// assert!(xml.ends_with("<Response><Start><Stream url=\"wss://x/a\" /></Start></Response>"));
    /// ```
    pub fn stream(stream: Stream) -> Self {
        Start { stream }
    }

    pub(super) fn element(&self) -> Element<'_> {
        Element::new("Start").children([self.stream.element()])
    }
}

impl From<Stream> for Start {
    fn from(stream: Stream) -> Self {
        Start::stream(stream)
    }
}

/// `<Stop><Stream name="…" /></Stop>`: stops the unidirectional stream started with that name.
pub(super) fn stop_stream(name: &str) -> Element<'_> {
    Element::new("Stop").children([Element::new("Stream").attr("name", Some(name))])
}
