//! `VoiceResponse` and its verbs.

use std::fmt;

use super::attributes::{attribute_enum, attributes};
use super::stream::{self, Start};
use super::xml::{self, Element};
use super::{Connect, Method, Redirect};

/// The TwiML answer to a voice webhook: verbs Twilio executes in order, in a `<Response>`.
///
/// ```
/// use rocket_twilio::twiml::VoiceResponse;
///
/// let xml = VoiceResponse::new()
///     .say("Please hold.")
///     .pause(2)
///     .play("https://example.com/hold.mp3")
///     .hangup()
///     .to_string();
/// assert_eq!(
///     xml,
///     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>Please hold.</Say><Pause length=\"2\" />\
///      <Play>https://example.com/hold.mp3</Play><Hangup /></Response>"
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct VoiceResponse {
    verbs: Vec<VoiceVerb>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum VoiceVerb {
    Say(Say),
    Play(Play),
    Pause(u32),
    Gather(Gather),
    Dial(Dial),
    Redirect(Redirect),
    Reject(Option<RejectReason>),
    Hangup,
    Connect(Connect),
    Start(Start),
    StopStream(String),
}

impl VoiceResponse {
    /// An empty response, `<Response />`: Twilio ends the call.
    ///
    /// ```
    /// # use rocket_twilio::twiml::VoiceResponse;
    /// assert_eq!(VoiceResponse::new().to_string(), "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response />");
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `<Say>`: text-to-speech. Takes a `&str`, a `String` or a [`Say`] with options.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Say, VoiceResponse};
    /// let xml = VoiceResponse::new().say("Hello").say(Say::new("Bonjour").language("fr-FR")).to_string();
    /// assert!(xml.contains("<Say>Hello</Say><Say language=\"fr-FR\">Bonjour</Say>"));
    /// ```
    pub fn say(self, say: impl Into<Say>) -> Self {
        self.push(VoiceVerb::Say(say.into()))
    }

    /// Appends `<Play>`: plays an audio file (or DTMF tones, see [`Play::digits`]). Takes a URL as a
    /// `&str` or `String`, or a [`Play`].
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Play, VoiceResponse};
    /// let xml = VoiceResponse::new().play(Play::new("https://example.com/a.mp3").loop_count(2)).to_string();
    /// assert!(xml.contains("<Play loop=\"2\">https://example.com/a.mp3</Play>"));
    /// ```
    pub fn play(self, play: impl Into<Play>) -> Self {
        self.push(VoiceVerb::Play(play.into()))
    }

    /// Appends `<Pause length="…" />`: silence for `seconds`.
    ///
    /// ```
    /// # use rocket_twilio::twiml::VoiceResponse;
    /// assert!(VoiceResponse::new().pause(3).to_string().contains("<Pause length=\"3\" />"));
    /// ```
    pub fn pause(self, seconds: u32) -> Self {
        self.push(VoiceVerb::Pause(seconds))
    }

    /// Appends `<Gather>`: collects digits or speech, then requests its `action` URL.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Gather, VoiceResponse};
    /// let xml = VoiceResponse::new().gather(Gather::new().num_digits(4).say("Enter your PIN.")).to_string();
    /// assert!(xml.contains("<Gather numDigits=\"4\"><Say>Enter your PIN.</Say></Gather>"));
    /// ```
    pub fn gather(self, gather: Gather) -> Self {
        self.push(VoiceVerb::Gather(gather))
    }

    /// Appends `<Dial>`: connects the caller to a phone number. Takes the number as a `&str` or
    /// `String`, or a [`Dial`] with options.
    ///
    /// ```
    /// # use rocket_twilio::twiml::VoiceResponse;
    /// assert!(VoiceResponse::new().dial("+14155550100").to_string().contains("<Dial>+14155550100</Dial>"));
    /// ```
    pub fn dial(self, dial: impl Into<Dial>) -> Self {
        self.push(VoiceVerb::Dial(dial.into()))
    }

    /// Appends `<Redirect>`: continues with the TwiML at a URL. Takes a `&str`, a `String` or a
    /// [`Redirect`].
    ///
    /// ```
    /// # use rocket_twilio::twiml::VoiceResponse;
    /// assert!(VoiceResponse::new().redirect("/menu").to_string().contains("<Redirect>/menu</Redirect>"));
    /// ```
    pub fn redirect(self, redirect: impl Into<Redirect>) -> Self {
        self.push(VoiceVerb::Redirect(redirect.into()))
    }

    /// Appends `<Reject />`: refuses an incoming call without answering it (not billed), with the
    /// default reason (`rejected`: the caller hears a "not in service" message).
    ///
    /// ```
    /// # use rocket_twilio::twiml::VoiceResponse;
    /// assert!(VoiceResponse::new().reject().to_string().ends_with("<Response><Reject /></Response>"));
    /// ```
    pub fn reject(self) -> Self {
        self.push(VoiceVerb::Reject(None))
    }

    /// Appends `<Reject reason="…" />`.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{RejectReason, VoiceResponse};
    /// let xml = VoiceResponse::new().reject_with(RejectReason::Busy).to_string();
    /// assert!(xml.ends_with("<Response><Reject reason=\"busy\" /></Response>"));
    /// ```
    pub fn reject_with(self, reason: RejectReason) -> Self {
        self.push(VoiceVerb::Reject(Some(reason)))
    }

    /// Appends `<Hangup />`: ends the call.
    ///
    /// ```
    /// # use rocket_twilio::twiml::VoiceResponse;
    /// assert!(VoiceResponse::new().hangup().to_string().ends_with("<Response><Hangup /></Response>"));
    /// ```
    pub fn hangup(self) -> Self {
        self.push(VoiceVerb::Hangup)
    }

    /// Appends `<Connect>`: hands the call to a WebSocket session, a bidirectional Media
    /// [`Stream`](super::Stream) or a [`ConversationRelay`](super::ConversationRelay), until it
    /// ends. Takes a [`Connect`] (for its `action` and `method`), a `Stream` or a `ConversationRelay`.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, Stream, VoiceResponse};
    /// let xml = VoiceResponse::new().connect(ConversationRelay::new("wss://example.com/relay")).to_string();
    /// assert!(xml.contains("<Connect><ConversationRelay url=\"wss://example.com/relay\" /></Connect>"));
    /// let xml = VoiceResponse::new().connect(Stream::new("wss://example.com/media")).to_string();
    /// assert!(xml.contains("<Connect><Stream url=\"wss://example.com/media\" /></Connect>"));
    /// ```
    pub fn connect(self, connect: impl Into<Connect>) -> Self {
        self.push(VoiceVerb::Connect(connect.into()))
    }

    /// Appends `<Start>`: starts streaming the call's audio to a WebSocket server in the
    /// background, and goes on with the next verb. Takes a [`Start`] or a
    /// [`Stream`](super::Stream).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Stream, VoiceResponse};
    /// let xml = VoiceResponse::new().start(Stream::new("wss://example.com/audio").name("fork")).to_string();
    /// assert!(xml.contains("<Start><Stream name=\"fork\" url=\"wss://example.com/audio\" /></Start>"));
    /// ```
    pub fn start(self, start: impl Into<Start>) -> Self {
        self.push(VoiceVerb::Start(start.into()))
    }

    /// Appends `<Stop><Stream name="…" /></Stop>`: stops the stream that a `<Start>` began under that
    /// [`name`](super::Stream::name).
    ///
    /// ```
    /// # use rocket_twilio::twiml::VoiceResponse;
    /// let xml = VoiceResponse::new().stop_stream("fork").to_string();
    /// assert!(xml.ends_with("<Response><Stop><Stream name=\"fork\" /></Stop></Response>"));
    /// ```
    pub fn stop_stream(self, name: impl Into<String>) -> Self {
        self.push(VoiceVerb::StopStream(name.into()))
    }

    /// Whether no verb was added (the document is `<Response />`).
    ///
    /// ```
    /// # use rocket_twilio::twiml::VoiceResponse;
    /// assert!(VoiceResponse::new().is_empty());
    /// assert!(!VoiceResponse::new().hangup().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.verbs.is_empty()
    }

    fn push(mut self, verb: VoiceVerb) -> Self {
        self.verbs.push(verb);
        self
    }

    fn element(&self) -> Element<'_> {
        Element::new("Response").children(self.verbs.iter().map(|verb| match verb {
            VoiceVerb::Say(say) => say.element(),
            VoiceVerb::Play(play) => play.element(),
            VoiceVerb::Pause(seconds) => pause(*seconds),
            VoiceVerb::Gather(gather) => gather.element(),
            VoiceVerb::Dial(dial) => dial.element(),
            VoiceVerb::Redirect(redirect) => redirect.element(),
            VoiceVerb::Reject(reason) => {
                Element::new("Reject").attr("reason", reason.map(RejectReason::as_str))
            }
            VoiceVerb::Hangup => Element::new("Hangup"),
            VoiceVerb::Connect(connect) => connect.element(),
            VoiceVerb::Start(start) => start.element(),
            VoiceVerb::StopStream(name) => stream::stop_stream(name),
        }))
    }
}

/// The TwiML document: `<?xml version="1.0" encoding="UTF-8"?><Response>…</Response>`.
impl fmt::Display for VoiceResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        xml::write_document(&self.element(), f)
    }
}

fn pause(seconds: u32) -> Element<'static> {
    Element::new("Pause").attr("length", Some(seconds.to_string()))
}

/// `<Say>`: text Twilio reads aloud, with an optional voice, language and repeat count.
///
/// `&str` and `String` convert into a `Say` with Twilio's defaults.
///
/// ```
/// use rocket_twilio::twiml::{Say, VoiceResponse};
///
/// let say = Say::new("Guten Tag").voice("Polly.Marlene").language("de-DE").loop_count(2);
/// assert_eq!(
///     VoiceResponse::new().say(say).to_string(),
///     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\
///      <Say language=\"de-DE\" loop=\"2\" voice=\"Polly.Marlene\">Guten Tag</Say></Response>"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[must_use]
pub struct Say {
    text: String,
    attributes: SayAttributes,
}

impl Say {
    /// Says `text` (plain text: `<`, `&` and the like are escaped, not read as SSML).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Say, VoiceResponse};
    /// let xml = VoiceResponse::new().say(Say::new("Tom & Jerry")).to_string();
    /// assert!(xml.contains("<Say>Tom &amp; Jerry</Say>"));
    /// ```
    pub fn new(text: impl Into<String>) -> Self {
        Say { text: text.into(), attributes: SayAttributes::default() }
    }

    fn element(&self) -> Element<'_> {
        self.attributes.write(Element::new("Say")).text(&self.text)
    }
}

attributes! {
    Say.attributes: SayAttributes {
        /// The `voice` attribute, e.g. `"alice"`, `"man"`, `"Polly.Joanna"` or `"Google.en-US-Neural2-F"`.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Say, VoiceResponse};
        /// let xml = VoiceResponse::new().say(Say::new("Hi").voice("alice")).to_string();
        /// assert!(xml.contains("<Say voice=\"alice\">Hi</Say>"));
        /// ```
        "voice" => pub fn voice(voice: impl Into<String>);

        /// The `language` attribute, e.g. `"en-US"`.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Say, VoiceResponse};
        /// let xml = VoiceResponse::new().say(Say::new("Hola").language("es-MX")).to_string();
        /// assert!(xml.contains("<Say language=\"es-MX\">Hola</Say>"));
        /// ```
        "language" => pub fn language(language: impl Into<String>);

        /// The `loop` attribute: how many times to say the text; `0` repeats it until the call ends.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Say, VoiceResponse};
        /// let xml = VoiceResponse::new().say(Say::new("Ring ring").loop_count(0)).to_string();
        /// assert!(xml.contains("<Say loop=\"0\">Ring ring</Say>"));
        /// ```
        "loop" => pub fn loop_count(times: u32);
    }
}

/// `<Play>`: plays an audio file at a URL, or DTMF tones.
///
/// `&str` and `String` convert into a `Play` of that URL.
///
/// ```
/// use rocket_twilio::twiml::{Play, VoiceResponse};
///
/// let xml = VoiceResponse::new().play("https://api.twilio.com/cowbell.mp3").play(Play::digits("ww1234"));
/// assert_eq!(
///     xml.to_string(),
///     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\
///      <Play>https://api.twilio.com/cowbell.mp3</Play><Play digits=\"ww1234\" /></Response>"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[must_use]
pub struct Play {
    url: String,
    digits: Option<String>,
    attributes: PlayAttributes,
}

impl Play {
    /// Plays the audio file at `url` (MP3, WAV…).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Play, VoiceResponse};
    /// let xml = VoiceResponse::new().play(Play::new("https://example.com/a.wav")).to_string();
    /// assert!(xml.contains("<Play>https://example.com/a.wav</Play>"));
    /// ```
    pub fn new(url: impl Into<String>) -> Self {
        Play { url: url.into(), digits: None, attributes: PlayAttributes::default() }
    }

    /// Plays DTMF tones instead of a file (the `digits` attribute): `0`–`9`, `*`, `#`, and `w` for a
    /// half-second wait.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Play, VoiceResponse};
    /// let xml = VoiceResponse::new().play(Play::digits("w5")).to_string();
    /// assert!(xml.contains("<Play digits=\"w5\" />"));
    /// ```
    pub fn digits(digits: impl Into<String>) -> Self {
        Play { url: String::new(), digits: Some(digits.into()), attributes: PlayAttributes::default() }
    }

    fn element(&self) -> Element<'_> {
        self.attributes.write(Element::new("Play")).attr("digits", self.digits.as_deref()).text(&self.url)
    }
}

attributes! {
    Play.attributes: PlayAttributes {
        /// The `loop` attribute: how many times to play; `0` repeats until the call ends.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Play, VoiceResponse};
        /// let xml = VoiceResponse::new().play(Play::new("/music.mp3").loop_count(0)).to_string();
        /// assert!(xml.contains("<Play loop=\"0\">/music.mp3</Play>"));
        /// ```
        "loop" => pub fn loop_count(times: u32);
    }
}

attribute_enum! {
    /// What `<Gather>` listens for (its `input` attribute).
    ///
    /// ```
    /// use rocket_twilio::twiml::{Gather, GatherInput, VoiceResponse};
    ///
    /// let xml = VoiceResponse::new().gather(Gather::new().input(GatherInput::DtmfSpeech)).to_string();
    /// assert!(xml.contains("<Gather input=\"dtmf speech\" />"));
    /// assert_eq!(GatherInput::Speech.as_str(), "speech");
    /// ```
    pub enum GatherInput {
        /// `dtmf`: key presses (Twilio's default).
        Dtmf = "dtmf",
        /// `speech`: speech recognition.
        Speech = "speech",
        /// `dtmf speech`: whichever comes first.
        DtmfSpeech = "dtmf speech",
    }

    /// The attribute value: `"dtmf"`, `"speech"` or `"dtmf speech"`.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::GatherInput::DtmfSpeech.as_str(), "dtmf speech");
    /// ```
    pub const fn as_str(self) -> &'static str;
}

/// `<Gather>`: collects key presses or speech while saying or playing prompts, then requests its
/// `action` URL with what it heard (`Digits`, `SpeechResult`).
///
/// ```
/// use rocket_twilio::twiml::{Gather, GatherInput, Method, VoiceResponse};
///
/// let menu = Gather::new()
///     .input(GatherInput::DtmfSpeech)
///     .action("/menu")
///     .method(Method::Post)
///     .num_digits(1)
///     .timeout(5)
///     .say("Press 1 or say sales.")
///     .pause(1)
///     .play("https://example.com/jingle.mp3");
/// assert_eq!(
///     VoiceResponse::new().gather(menu).say("We didn't receive any input. Goodbye!").to_string(),
///     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\
///      <Gather action=\"/menu\" input=\"dtmf speech\" method=\"POST\" numDigits=\"1\" timeout=\"5\">\
///      <Say>Press 1 or say sales.</Say><Pause length=\"1\" /><Play>https://example.com/jingle.mp3</Play>\
///      </Gather><Say>We didn't receive any input. Goodbye!</Say></Response>"
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct Gather {
    attributes: GatherAttributes,
    nested: Vec<GatherVerb>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum GatherVerb {
    Say(Say),
    Play(Play),
    Pause(u32),
}

impl Gather {
    /// `<Gather />` with Twilio's defaults: digits, until `#` or a 5-second pause, posted back to the
    /// current URL.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Gather, VoiceResponse};
    /// assert!(VoiceResponse::new().gather(Gather::new()).to_string().contains("<Response><Gather /></Response>"));
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
}

attributes! {
    Gather.attributes: GatherAttributes {
        /// The `action` attribute: the URL Twilio requests with the input.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Gather, VoiceResponse};
        /// let xml = VoiceResponse::new().gather(Gather::new().action("/gather?step=1&lang=en")).to_string();
        /// assert!(xml.contains("<Gather action=\"/gather?step=1&amp;lang=en\" />"));
        /// ```
        "action" => pub fn action(url: impl Into<String>);

        /// The `method` attribute: how Twilio requests `action`.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Gather, Method, VoiceResponse};
        /// let xml = VoiceResponse::new().gather(Gather::new().method(Method::Get)).to_string();
        /// assert!(xml.contains("<Gather method=\"GET\" />"));
        /// ```
        "method" => pub fn method(method: Method);

        /// The `input` attribute: key presses, speech, or both.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Gather, GatherInput, VoiceResponse};
        /// let xml = VoiceResponse::new().gather(Gather::new().input(GatherInput::Speech)).to_string();
        /// assert!(xml.contains("<Gather input=\"speech\" />"));
        /// ```
        "input" => pub fn input(input: GatherInput);

        /// The `numDigits` attribute: stop after this many key presses.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Gather, VoiceResponse};
        /// let xml = VoiceResponse::new().gather(Gather::new().num_digits(6)).to_string();
        /// assert!(xml.contains("<Gather numDigits=\"6\" />"));
        /// ```
        "numDigits" => pub fn num_digits(digits: u32);

        /// The `timeout` attribute: seconds of silence that end the input.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Gather, VoiceResponse};
        /// let xml = VoiceResponse::new().gather(Gather::new().timeout(10)).to_string();
        /// assert!(xml.contains("<Gather timeout=\"10\" />"));
        /// ```
        "timeout" => pub fn timeout(seconds: u32);
    }
}

impl Gather {
    /// Nests a `<Say>` prompt (interrupted when the caller starts answering).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Gather, Say, VoiceResponse};
    /// let xml = VoiceResponse::new().gather(Gather::new().say(Say::new("Hi").voice("alice"))).to_string();
    /// assert!(xml.contains("<Gather><Say voice=\"alice\">Hi</Say></Gather>"));
    /// ```
    pub fn say(mut self, say: impl Into<Say>) -> Self {
        self.nested.push(GatherVerb::Say(say.into()));
        self
    }

    /// Nests a `<Play>` prompt.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Gather, VoiceResponse};
    /// let xml = VoiceResponse::new().gather(Gather::new().play("/menu.mp3")).to_string();
    /// assert!(xml.contains("<Gather><Play>/menu.mp3</Play></Gather>"));
    /// ```
    pub fn play(mut self, play: impl Into<Play>) -> Self {
        self.nested.push(GatherVerb::Play(play.into()));
        self
    }

    /// Nests a `<Pause length="…" />` between prompts.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Gather, VoiceResponse};
    /// let xml = VoiceResponse::new().gather(Gather::new().pause(2)).to_string();
    /// assert!(xml.contains("<Gather><Pause length=\"2\" /></Gather>"));
    /// ```
    pub fn pause(mut self, seconds: u32) -> Self {
        self.nested.push(GatherVerb::Pause(seconds));
        self
    }

    fn element(&self) -> Element<'_> {
        self.attributes.write(Element::new("Gather")).children(self.nested.iter().map(|verb| match verb {
            GatherVerb::Say(say) => say.element(),
            GatherVerb::Play(play) => play.element(),
            GatherVerb::Pause(seconds) => pause(*seconds),
        }))
    }
}

/// `<Dial>`: connects the caller to another phone number.
///
/// `&str` and `String` convert into a `Dial` of that number.
///
/// ```
/// use rocket_twilio::twiml::{Dial, Method, VoiceResponse};
///
/// let dial = Dial::new("+14155550100").caller_id("+14155550199").timeout(20).action("/after-call").method(Method::Post);
/// assert_eq!(
///     VoiceResponse::new().dial(dial).to_string(),
///     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\
///      <Dial action=\"/after-call\" callerId=\"+14155550199\" method=\"POST\" timeout=\"20\">+14155550100</Dial>\
///      </Response>"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[must_use]
pub struct Dial {
    number: String,
    attributes: DialAttributes,
}

impl Dial {
    /// Dials `number` (E.164, e.g. `+14155550100`).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Dial, VoiceResponse};
    /// let xml = VoiceResponse::new().dial(Dial::new("+442071838750")).to_string();
    /// assert!(xml.contains("<Dial>+442071838750</Dial>"));
    /// ```
    pub fn new(number: impl Into<String>) -> Self {
        Dial { number: number.into(), attributes: DialAttributes::default() }
    }

    fn element(&self) -> Element<'_> {
        self.attributes.write(Element::new("Dial")).text(&self.number)
    }
}

attributes! {
    Dial.attributes: DialAttributes {
        /// The `action` attribute: the URL Twilio requests when the dialed call ends.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Dial, VoiceResponse};
        /// let xml = VoiceResponse::new().dial(Dial::new("+1415").action("/done")).to_string();
        /// assert!(xml.contains("<Dial action=\"/done\">+1415</Dial>"));
        /// ```
        "action" => pub fn action(url: impl Into<String>);

        /// The `method` attribute: how Twilio requests `action`.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Dial, Method, VoiceResponse};
        /// let xml = VoiceResponse::new().dial(Dial::new("+1415").method(Method::Get)).to_string();
        /// assert!(xml.contains("<Dial method=\"GET\">+1415</Dial>"));
        /// ```
        "method" => pub fn method(method: Method);

        /// The `timeout` attribute: seconds to let the number ring.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Dial, VoiceResponse};
        /// let xml = VoiceResponse::new().dial(Dial::new("+1415").timeout(15)).to_string();
        /// assert!(xml.contains("<Dial timeout=\"15\">+1415</Dial>"));
        /// ```
        "timeout" => pub fn timeout(seconds: u32);

        /// The `callerId` attribute: the number the callee sees (one of your Twilio numbers or a verified
        /// one).
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Dial, VoiceResponse};
        /// let xml = VoiceResponse::new().dial(Dial::new("+1415").caller_id("+1650")).to_string();
        /// assert!(xml.contains("<Dial callerId=\"+1650\">+1415</Dial>"));
        /// ```
        "callerId" => pub fn caller_id(number: impl Into<String>);
    }
}

attribute_enum! {
    /// Why `<Reject>` refuses a call (its `reason` attribute), which decides what the caller hears.
    ///
    /// ```
    /// use rocket_twilio::twiml::{RejectReason, VoiceResponse};
    ///
    /// let xml = VoiceResponse::new().reject_with(RejectReason::Rejected).to_string();
    /// assert!(xml.contains("<Reject reason=\"rejected\" />"));
    /// assert_eq!(RejectReason::Busy.as_str(), "busy");
    /// ```
    pub enum RejectReason {
        /// `rejected`: a "this number is not in service" message (Twilio's default).
        Rejected = "rejected",
        /// `busy`: a busy signal.
        Busy = "busy",
    }

    /// The attribute value: `"rejected"` or `"busy"`.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::RejectReason::Rejected.as_str(), "rejected");
    /// ```
    pub const fn as_str(self) -> &'static str;
}
