//! ConversationRelay: `<ConversationRelay>`, its `<Language>` settings, and its attribute values.

use std::borrow::Cow;

use super::attributes::{attribute_enum, attributes};
use super::xml::Element;
use super::Parameter;

/// `<ConversationRelay>`: hands the call to Twilio's ConversationRelay, which turns the caller's
/// speech into text and text into speech, talking to an AI application over a WebSocket.
///
/// Used inside a [`Connect`](super::Connect); a `ConversationRelay` converts into one, so
/// `response.connect(relay)` is enough. Twilio opens the WebSocket at `url` and signs the handshake
/// with `X-Twilio-Signature` over that `wss://` URL; the application then receives `setup`,
/// `prompt`, `dtmf`, `interrupt` and `error` messages and answers with `text` tokens.
///
/// Attribute names are those of Twilio's TwiML reference; values Twilio documents as a fixed set
/// are enums ([`CallerInput`], [`TtsProvider`]…), each with an `Other` variant for values added
/// after this crate.
///
/// ```
/// use rocket_twilio::twiml::{
///     CallerInput, Connect, ConversationRelay, Language, Method, TranscriptionProvider, TtsProvider,
///     VoiceResponse,
/// };
///
/// let relay = ConversationRelay::new("wss://example.com/relay")
///     .welcome_greeting("Hi! Ask me anything.")
///     .welcome_greeting_interruptible(CallerInput::None)
///     .language("en-US")
///     .tts_provider(TtsProvider::ElevenLabs)
///     .transcription_provider(TranscriptionProvider::Deepgram)
///     .interruptible(CallerInput::Speech)
///     .dtmf_detection(true)
///     .language_settings(Language::new("es-ES").tts_provider(TtsProvider::Google).voice("es-ES-Neural2-B"))
///     .parameter("customer", "42");
/// let xml = VoiceResponse::new().connect(Connect::conversation_relay(relay).action("/relay-ended").method(Method::Post));
/// assert_eq!(
///     xml.to_string(),
///     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\
///      <Connect action=\"/relay-ended\" method=\"POST\">\
///      <ConversationRelay dtmfDetection=\"true\" interruptible=\"speech\" language=\"en-US\" \
///      transcriptionProvider=\"Deepgram\" ttsProvider=\"ElevenLabs\" url=\"wss://example.com/relay\" \
///      welcomeGreeting=\"Hi! Ask me anything.\" welcomeGreetingInterruptible=\"none\">\
///      <Language code=\"es-ES\" ttsProvider=\"Google\" voice=\"es-ES-Neural2-B\" />\
///      <Parameter name=\"customer\" value=\"42\" /></ConversationRelay></Connect></Response>"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[must_use]
pub struct ConversationRelay {
    url: String,
    attributes: RelayAttributes,
    debug: Vec<DebugChannel>,
    nested: Vec<RelayChild>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum RelayChild {
    Language(Language),
    Parameter(Parameter),
}

impl ConversationRelay {
    /// Relays the call to the WebSocket server at `url` (`wss://…`).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
    /// let xml = VoiceResponse::new().connect(ConversationRelay::new("wss://example.com/relay")).to_string();
    /// assert!(xml.contains("<Connect><ConversationRelay url=\"wss://example.com/relay\" /></Connect>"));
    /// ```
    pub fn new(url: impl Into<String>) -> Self {
        ConversationRelay {
            url: url.into(),
            attributes: RelayAttributes::default(),
            debug: Vec::new(),
            nested: Vec::new(),
        }
    }
}

attributes! {
    ConversationRelay.attributes: RelayAttributes {
        /// The `welcomeGreeting` attribute: what Twilio says to the caller as soon as the session is
        /// connected, before the application sends anything.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").welcome_greeting("Hi, I'm an AI & not a person.");
        /// let xml = VoiceResponse::new().connect(relay).to_string();
        /// assert!(xml.contains("welcomeGreeting=\"Hi, I&apos;m an AI &amp; not a person.\""));
        /// ```
        "welcomeGreeting" => pub fn welcome_greeting(text: impl Into<String>);

        /// The `welcomeGreetingInterruptible` attribute: which caller input interrupts the welcome
        /// greeting (Twilio's default: any).
        ///
        /// ```
        /// # use rocket_twilio::twiml::{CallerInput, ConversationRelay, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").welcome_greeting_interruptible(CallerInput::Dtmf);
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("welcomeGreetingInterruptible=\"dtmf\""));
        /// ```
        "welcomeGreetingInterruptible" => pub fn welcome_greeting_interruptible(input: CallerInput);

        /// The `language` attribute: the language of both speech recognition and text-to-speech, e.g.
        /// `"en-US"`.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").language("fr-FR");
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("language=\"fr-FR\""));
        /// ```
        "language" => pub fn language(code: impl Into<String>);

        /// The `ttsLanguage` attribute: the text-to-speech language, when it differs from `language`.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").tts_language("de-DE");
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("ttsLanguage=\"de-DE\""));
        /// ```
        "ttsLanguage" => pub fn tts_language(code: impl Into<String>);

        /// The `transcriptionLanguage` attribute: the speech-recognition language, when it differs
        /// from `language`.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").transcription_language("es-MX");
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("transcriptionLanguage=\"es-MX\""));
        /// ```
        "transcriptionLanguage" => pub fn transcription_language(code: impl Into<String>);

        /// The `ttsProvider` attribute: who synthesizes the speech.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, TtsProvider, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").tts_provider(TtsProvider::Amazon);
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("ttsProvider=\"Amazon\""));
        /// ```
        "ttsProvider" => pub fn tts_provider(provider: TtsProvider);

        /// The `voice` attribute: the text-to-speech voice, named as the `ttsProvider` names it (e.g.
        /// `"en-US-Journey-O"` for Google, `"Joanna-Neural"` for Amazon, a voice ID for ElevenLabs).
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").voice("en-US-Journey-O");
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("voice=\"en-US-Journey-O\""));
        /// ```
        "voice" => pub fn voice(voice: impl Into<String>);

        /// The `transcriptionProvider` attribute: who recognizes the caller's speech.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, TranscriptionProvider, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").transcription_provider(TranscriptionProvider::Google);
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("transcriptionProvider=\"Google\""));
        /// ```
        "transcriptionProvider" => pub fn transcription_provider(provider: TranscriptionProvider);

        /// The `speechModel` attribute: the transcription provider's model, e.g. `"nova-3-general"`.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").speech_model("nova-3-general");
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("speechModel=\"nova-3-general\""));
        /// ```
        "speechModel" => pub fn speech_model(model: impl Into<String>);

        /// The `interruptible` attribute: which caller input interrupts text-to-speech playback
        /// (Twilio's default: any).
        ///
        /// ```
        /// # use rocket_twilio::twiml::{CallerInput, ConversationRelay, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").interruptible(CallerInput::Speech);
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("interruptible=\"speech\""));
        /// ```
        "interruptible" => pub fn interruptible(input: CallerInput);

        /// The `interruptSensitivity` attribute: how readily the caller's speech interrupts playback.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, InterruptSensitivity, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").interrupt_sensitivity(InterruptSensitivity::High);
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("interruptSensitivity=\"high\""));
        /// ```
        "interruptSensitivity" => pub fn interrupt_sensitivity(sensitivity: InterruptSensitivity);

        /// The `preemptible` attribute: whether the application's next text tokens (or media) may cut
        /// off the text-to-speech or media now playing.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").preemptible(true);
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("preemptible=\"true\""));
        /// ```
        "preemptible" => pub fn preemptible(preemptible: bool);

        /// The `reportInputDuringAgentSpeech` attribute: which caller input is still reported to the
        /// application (as `prompt` or `dtmf` messages) while text-to-speech plays and that input
        /// cannot interrupt it.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{CallerInput, ConversationRelay, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").report_input_during_agent_speech(CallerInput::Any);
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("reportInputDuringAgentSpeech=\"any\""));
        /// ```
        "reportInputDuringAgentSpeech" => pub fn report_input_during_agent_speech(input: CallerInput);

        /// The `dtmfDetection` attribute: whether key presses are sent to the application as `dtmf`
        /// messages.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").dtmf_detection(true);
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("dtmfDetection=\"true\""));
        /// ```
        "dtmfDetection" => pub fn dtmf_detection(detect: bool);

        /// The `profanityFilter` attribute: whether profanities are masked in the transcripts.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").profanity_filter(false);
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("profanityFilter=\"false\""));
        /// ```
        "profanityFilter" => pub fn profanity_filter(filter: bool);

        /// The `partialPrompts` attribute: whether the application also receives partial transcripts
        /// while the caller is still speaking (`prompt` messages with `last: false`).
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").partial_prompts(true);
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("partialPrompts=\"true\""));
        /// ```
        "partialPrompts" => pub fn partial_prompts(partial: bool);

        /// The `hints` attribute: a comma-separated list of words or phrases (product names, jargon)
        /// that speech recognition should expect.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").hints("Twilio,ConversationRelay,Owl Air");
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("hints=\"Twilio,ConversationRelay,Owl Air\""));
        /// ```
        "hints" => pub fn hints(hints: impl Into<String>);

        /// The `elevenlabsTextNormalization` attribute: whether ElevenLabs spells out numbers, dates and
        /// abbreviations before speaking them (only with [`TtsProvider::ElevenLabs`]).
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, TextNormalization, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").elevenlabs_text_normalization(TextNormalization::On);
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("elevenlabsTextNormalization=\"on\""));
        /// ```
        "elevenlabsTextNormalization" => pub fn elevenlabs_text_normalization(normalization: TextNormalization);

        /// The `intelligenceService` attribute: the SID or unique name of a Conversational
        /// Intelligence Service that receives the transcripts.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
        /// let relay = ConversationRelay::new("wss://x/r").intelligence_service("GAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        /// assert!(VoiceResponse::new().connect(relay).to_string().contains("intelligenceService=\"GAaaaa"));
        /// ```
        "intelligenceService" => pub fn intelligence_service(service: impl Into<String>);
    }
}

impl ConversationRelay {
    /// Adds a channel to the `debug` attribute (a space-separated list): extra `info` messages
    /// Twilio sends the application for troubleshooting.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, DebugChannel, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").debug(DebugChannel::Debugging).debug(DebugChannel::TokensPlayed);
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("debug=\"debugging tokens-played\""));
    /// ```
    pub fn debug(mut self, channel: DebugChannel) -> Self {
        self.debug.push(channel);
        self
    }

    /// Nests a `<Language>`: the providers and voice to use when the session speaks or hears that
    /// language (the application switches languages with a `language` message).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, Language, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").language_settings(Language::new("fr-FR").voice("fr-FR-Neural2-A"));
    /// let xml = VoiceResponse::new().connect(relay).to_string();
    /// assert!(xml.contains("<ConversationRelay url=\"wss://x/r\"><Language code=\"fr-FR\" voice=\"fr-FR-Neural2-A\" />"));
    /// ```
    pub fn language_settings(mut self, language: Language) -> Self {
        self.nested.push(RelayChild::Language(language));
        self
    }

    /// Nests a `<Parameter name="…" value="…" />`: a custom value Twilio hands to the application in
    /// the `setup` message (`customParameters`). Nested elements are written in the order added.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").parameter("account", "A-17");
    /// let xml = VoiceResponse::new().connect(relay).to_string();
    /// assert!(xml.contains("<ConversationRelay url=\"wss://x/r\"><Parameter name=\"account\" value=\"A-17\" />"));
    /// ```
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.nested.push(RelayChild::Parameter(Parameter::new(name, value)));
        self
    }

    pub(super) fn element(&self) -> Element<'_> {
        let debug = (!self.debug.is_empty())
            .then(|| self.debug.iter().map(DebugChannel::as_str).collect::<Vec<_>>().join(" "));
        self.attributes
            .write(Element::new("ConversationRelay").attr("url", Some(self.url.as_str())))
            .attr("debug", debug.map(Cow::Owned))
            .children(self.nested.iter().map(|child| match child {
                RelayChild::Language(language) => language.element(),
                RelayChild::Parameter(parameter) => parameter.element(),
            }))
    }
}

/// `<Language>`: per-language settings of a [`ConversationRelay`], used whenever the session
/// speaks or listens in that language.
///
/// ```
/// use rocket_twilio::twiml::{ConversationRelay, Language, TranscriptionProvider, TtsProvider, VoiceResponse};
///
/// let german = Language::new("de-DE")
///     .tts_provider(TtsProvider::Google)
///     .voice("de-DE-Neural2-B")
///     .transcription_provider(TranscriptionProvider::Deepgram)
///     .speech_model("nova-3-general");
/// let xml = VoiceResponse::new().connect(ConversationRelay::new("wss://x/r").language_settings(german)).to_string();
/// assert!(xml.contains(
///     "<Language code=\"de-DE\" speechModel=\"nova-3-general\" transcriptionProvider=\"Deepgram\" \
///      ttsProvider=\"Google\" voice=\"de-DE-Neural2-B\" />"
/// ));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[must_use]
pub struct Language {
    code: String,
    attributes: LanguageAttributes,
}

impl Language {
    /// Settings for the language `code`, e.g. `"en-US"` (the `code` attribute).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, Language, VoiceResponse};
    /// let xml = VoiceResponse::new().connect(ConversationRelay::new("wss://x/r").language_settings(Language::new("it-IT")));
    /// assert!(xml.to_string().contains("<Language code=\"it-IT\" />"));
    /// ```
    pub fn new(code: impl Into<String>) -> Self {
        Language { code: code.into(), attributes: LanguageAttributes::default() }
    }

    fn element(&self) -> Element<'_> {
        self.attributes.write(Element::new("Language").attr("code", Some(self.code.as_str())))
    }
}

attributes! {
    Language.attributes: LanguageAttributes {
        /// The `ttsProvider` attribute for this language.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, Language, TtsProvider, VoiceResponse};
        /// let language = Language::new("en-GB").tts_provider(TtsProvider::Amazon);
        /// let xml = VoiceResponse::new().connect(ConversationRelay::new("wss://x/r").language_settings(language));
        /// assert!(xml.to_string().contains("<Language code=\"en-GB\" ttsProvider=\"Amazon\" />"));
        /// ```
        "ttsProvider" => pub fn tts_provider(provider: TtsProvider);

        /// The `voice` attribute for this language.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, Language, VoiceResponse};
        /// let language = Language::new("en-GB").voice("Amy-Generative");
        /// let xml = VoiceResponse::new().connect(ConversationRelay::new("wss://x/r").language_settings(language));
        /// assert!(xml.to_string().contains("<Language code=\"en-GB\" voice=\"Amy-Generative\" />"));
        /// ```
        "voice" => pub fn voice(voice: impl Into<String>);

        /// The `transcriptionProvider` attribute for this language.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, Language, TranscriptionProvider, VoiceResponse};
        /// let language = Language::new("ja-JP").transcription_provider(TranscriptionProvider::Google);
        /// let xml = VoiceResponse::new().connect(ConversationRelay::new("wss://x/r").language_settings(language));
        /// assert!(xml.to_string().contains("<Language code=\"ja-JP\" transcriptionProvider=\"Google\" />"));
        /// ```
        "transcriptionProvider" => pub fn transcription_provider(provider: TranscriptionProvider);

        /// The `speechModel` attribute for this language.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{ConversationRelay, Language, VoiceResponse};
        /// let language = Language::new("en-US").speech_model("telephony");
        /// let xml = VoiceResponse::new().connect(ConversationRelay::new("wss://x/r").language_settings(language));
        /// assert!(xml.to_string().contains("<Language code=\"en-US\" speechModel=\"telephony\" />"));
        /// ```
        "speechModel" => pub fn speech_model(model: impl Into<String>);
    }
}

attribute_enum! {
    /// Which caller input counts, for [`ConversationRelay::interruptible`],
    /// [`welcome_greeting_interruptible`](ConversationRelay::welcome_greeting_interruptible) and
    /// [`report_input_during_agent_speech`](ConversationRelay::report_input_during_agent_speech).
    ///
    /// ```
    /// use rocket_twilio::twiml::CallerInput;
    ///
    /// assert_eq!(CallerInput::Dtmf.as_str(), "dtmf");
    /// assert_eq!(CallerInput::Other("true".into()).to_string(), "true");
    /// ```
    pub enum CallerInput {
        /// `none`: no input.
        None = "none",
        /// `dtmf`: key presses only.
        Dtmf = "dtmf",
        /// `speech`: speech only.
        Speech = "speech",
        /// `any`: key presses or speech.
        Any = "any",
        ..
        /// Any other value, written as given (e.g. the legacy `"true"`/`"false"`, or a value Twilio adds
        /// later).
        Other(String),
    }

    /// The attribute value: `"none"`, `"dtmf"`, `"speech"`, `"any"`, or the `Other` string.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::CallerInput::Any.as_str(), "any");
    /// ```
    pub fn as_str(&self) -> &str;
}

attribute_enum! {
    /// A text-to-speech provider of ConversationRelay (its `ttsProvider` attribute).
    ///
    /// ```
    /// use rocket_twilio::twiml::TtsProvider;
    ///
    /// assert_eq!(TtsProvider::ElevenLabs.as_str(), "ElevenLabs");
    /// assert_eq!(TtsProvider::Other("Acme".into()).to_string(), "Acme");
    /// ```
    pub enum TtsProvider {
        /// `Google`.
        Google = "Google",
        /// `Amazon` (Polly).
        Amazon = "Amazon",
        /// `ElevenLabs`.
        ElevenLabs = "ElevenLabs",
        ..
        /// Any other provider, written as given.
        Other(String),
    }

    /// The attribute value: `"Google"`, `"Amazon"`, `"ElevenLabs"`, or the `Other` string.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::TtsProvider::Amazon.as_str(), "Amazon");
    /// ```
    pub fn as_str(&self) -> &str;
}

attribute_enum! {
    /// A speech-recognition provider of ConversationRelay (its `transcriptionProvider` attribute).
    ///
    /// ```
    /// use rocket_twilio::twiml::TranscriptionProvider;
    ///
    /// assert_eq!(TranscriptionProvider::Deepgram.as_str(), "Deepgram");
    /// assert_eq!(TranscriptionProvider::Other("Acme".into()).to_string(), "Acme");
    /// ```
    pub enum TranscriptionProvider {
        /// `Google`.
        Google = "Google",
        /// `Deepgram`.
        Deepgram = "Deepgram",
        ..
        /// Any other provider, written as given.
        Other(String),
    }

    /// The attribute value: `"Google"`, `"Deepgram"`, or the `Other` string.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::TranscriptionProvider::Google.as_str(), "Google");
    /// ```
    pub fn as_str(&self) -> &str;
}

attribute_enum! {
    /// How readily speech interrupts ConversationRelay's playback (its `interruptSensitivity`
    /// attribute).
    ///
    /// ```
    /// use rocket_twilio::twiml::InterruptSensitivity;
    ///
    /// assert_eq!(InterruptSensitivity::Medium.as_str(), "medium");
    /// assert_eq!(InterruptSensitivity::Other("extreme".into()).to_string(), "extreme");
    /// ```
    pub enum InterruptSensitivity {
        /// `low`.
        Low = "low",
        /// `medium`.
        Medium = "medium",
        /// `high`.
        High = "high",
        ..
        /// Any other value, written as given.
        Other(String),
    }

    /// The attribute value: `"low"`, `"medium"`, `"high"`, or the `Other` string.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::InterruptSensitivity::Low.as_str(), "low");
    /// ```
    pub fn as_str(&self) -> &str;
}

attribute_enum! {
    /// Whether the text-to-speech provider normalizes text (numbers, dates, abbreviations) before
    /// speaking it (ConversationRelay's `elevenlabsTextNormalization` attribute).
    ///
    /// ```
    /// use rocket_twilio::twiml::TextNormalization;
    ///
    /// assert_eq!(TextNormalization::Auto.as_str(), "auto");
    /// assert_eq!(TextNormalization::Other("strict".into()).to_string(), "strict");
    /// ```
    pub enum TextNormalization {
        /// `on`.
        On = "on",
        /// `off`.
        Off = "off",
        /// `auto`: the provider decides.
        Auto = "auto",
        ..
        /// Any other value, written as given.
        Other(String),
    }

    /// The attribute value: `"on"`, `"off"`, `"auto"`, or the `Other` string.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::TextNormalization::Off.as_str(), "off");
    /// ```
    pub fn as_str(&self) -> &str;
}

attribute_enum! {
    /// A troubleshooting channel of ConversationRelay's `debug` attribute: which extra `info`
    /// messages Twilio sends the application.
    ///
    /// ```
    /// use rocket_twilio::twiml::DebugChannel;
    ///
    /// assert_eq!(DebugChannel::SpeakerEvents.as_str(), "speaker-events");
    /// assert_eq!(DebugChannel::Other("new-channel".into()).to_string(), "new-channel");
    /// ```
    pub enum DebugChannel {
        /// `debugging`: general diagnostics, such as round-trip delays.
        Debugging = "debugging",
        /// `speaker-events`: when the caller and the agent start and stop speaking.
        SpeakerEvents = "speaker-events",
        /// `tokens-played`: which text tokens were played to the caller.
        TokensPlayed = "tokens-played",
        ..
        /// Any other channel, written as given.
        Other(String),
    }

    /// The channel name: `"debugging"`, `"speaker-events"`, `"tokens-played"`, or the `Other`
    /// string.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::DebugChannel::TokensPlayed.as_str(), "tokens-played");
    /// ```
    pub fn as_str(&self) -> &str;
}
