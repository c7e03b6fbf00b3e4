//! ConversationRelay: `<ConversationRelay>`, its `<Language>` settings, and its attribute values.

use std::borrow::Cow;
use std::fmt;

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
    welcome_greeting: Option<String>,
    welcome_greeting_interruptible: Option<CallerInput>,
    language: Option<String>,
    tts_language: Option<String>,
    transcription_language: Option<String>,
    tts_provider: Option<TtsProvider>,
    voice: Option<String>,
    transcription_provider: Option<TranscriptionProvider>,
    speech_model: Option<String>,
    interruptible: Option<CallerInput>,
    interrupt_sensitivity: Option<InterruptSensitivity>,
    preemptible: Option<bool>,
    report_input_during_agent_speech: Option<CallerInput>,
    dtmf_detection: Option<bool>,
    profanity_filter: Option<bool>,
    partial_prompts: Option<bool>,
    hints: Option<String>,
    debug: Vec<DebugChannel>,
    elevenlabs_text_normalization: Option<TextNormalization>,
    intelligence_service: Option<String>,
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
            welcome_greeting: None,
            welcome_greeting_interruptible: None,
            language: None,
            tts_language: None,
            transcription_language: None,
            tts_provider: None,
            voice: None,
            transcription_provider: None,
            speech_model: None,
            interruptible: None,
            interrupt_sensitivity: None,
            preemptible: None,
            report_input_during_agent_speech: None,
            dtmf_detection: None,
            profanity_filter: None,
            partial_prompts: None,
            hints: None,
            debug: Vec::new(),
            elevenlabs_text_normalization: None,
            intelligence_service: None,
            nested: Vec::new(),
        }
    }

    /// The `welcomeGreeting` attribute: what Twilio says to the caller as soon as the session is
    /// connected, before the application sends anything.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").welcome_greeting("Hi, I'm an AI & not a person.");
    /// let xml = VoiceResponse::new().connect(relay).to_string();
    /// assert!(xml.contains("welcomeGreeting=\"Hi, I&apos;m an AI &amp; not a person.\""));
    /// ```
    pub fn welcome_greeting(mut self, text: impl Into<String>) -> Self {
        self.welcome_greeting = Some(text.into());
        self
    }

    /// The `welcomeGreetingInterruptible` attribute: which caller input interrupts the welcome
    /// greeting (Twilio's default: any).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{CallerInput, ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").welcome_greeting_interruptible(CallerInput::Dtmf);
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("welcomeGreetingInterruptible=\"dtmf\""));
    /// ```
    pub fn welcome_greeting_interruptible(mut self, input: CallerInput) -> Self {
        self.welcome_greeting_interruptible = Some(input);
        self
    }

    /// The `language` attribute: the language of both speech recognition and text-to-speech, e.g.
    /// `"en-US"`.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").language("fr-FR");
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("language=\"fr-FR\""));
    /// ```
    pub fn language(mut self, code: impl Into<String>) -> Self {
        self.language = Some(code.into());
        self
    }

    /// The `ttsLanguage` attribute: the text-to-speech language, when it differs from `language`.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").tts_language("de-DE");
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("ttsLanguage=\"de-DE\""));
    /// ```
    pub fn tts_language(mut self, code: impl Into<String>) -> Self {
        self.tts_language = Some(code.into());
        self
    }

    /// The `transcriptionLanguage` attribute: the speech-recognition language, when it differs
    /// from `language`.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").transcription_language("es-MX");
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("transcriptionLanguage=\"es-MX\""));
    /// ```
    pub fn transcription_language(mut self, code: impl Into<String>) -> Self {
        self.transcription_language = Some(code.into());
        self
    }

    /// The `ttsProvider` attribute: who synthesizes the speech.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, TtsProvider, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").tts_provider(TtsProvider::Amazon);
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("ttsProvider=\"Amazon\""));
    /// ```
    pub fn tts_provider(mut self, provider: TtsProvider) -> Self {
        self.tts_provider = Some(provider);
        self
    }

    /// The `voice` attribute: the text-to-speech voice, named as the `ttsProvider` names it (e.g.
    /// `"en-US-Journey-O"` for Google, `"Joanna-Neural"` for Amazon, a voice ID for ElevenLabs).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").voice("en-US-Journey-O");
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("voice=\"en-US-Journey-O\""));
    /// ```
    pub fn voice(mut self, voice: impl Into<String>) -> Self {
        self.voice = Some(voice.into());
        self
    }

    /// The `transcriptionProvider` attribute: who recognizes the caller's speech.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, TranscriptionProvider, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").transcription_provider(TranscriptionProvider::Google);
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("transcriptionProvider=\"Google\""));
    /// ```
    pub fn transcription_provider(mut self, provider: TranscriptionProvider) -> Self {
        self.transcription_provider = Some(provider);
        self
    }

    /// The `speechModel` attribute: the transcription provider's model, e.g. `"nova-3-general"`.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").speech_model("nova-3-general");
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("speechModel=\"nova-3-general\""));
    /// ```
    pub fn speech_model(mut self, model: impl Into<String>) -> Self {
        self.speech_model = Some(model.into());
        self
    }

    /// The `interruptible` attribute: which caller input interrupts text-to-speech playback
    /// (Twilio's default: any).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{CallerInput, ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").interruptible(CallerInput::Speech);
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("interruptible=\"speech\""));
    /// ```
    pub fn interruptible(mut self, input: CallerInput) -> Self {
        self.interruptible = Some(input);
        self
    }

    /// The `interruptSensitivity` attribute: how readily the caller's speech interrupts playback.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, InterruptSensitivity, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").interrupt_sensitivity(InterruptSensitivity::High);
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("interruptSensitivity=\"high\""));
    /// ```
    pub fn interrupt_sensitivity(mut self, sensitivity: InterruptSensitivity) -> Self {
        self.interrupt_sensitivity = Some(sensitivity);
        self
    }

    /// The `preemptible` attribute: whether the application's next text tokens (or media) may cut
    /// off the text-to-speech or media now playing.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").preemptible(true);
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("preemptible=\"true\""));
    /// ```
    pub fn preemptible(mut self, preemptible: bool) -> Self {
        self.preemptible = Some(preemptible);
        self
    }

    /// The `reportInputDuringAgentSpeech` attribute: which caller input is still reported to the
    /// application (as `prompt` or `dtmf` messages) while text-to-speech plays and that input
    /// cannot interrupt it.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{CallerInput, ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").report_input_during_agent_speech(CallerInput::Any);
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("reportInputDuringAgentSpeech=\"any\""));
    /// ```
    pub fn report_input_during_agent_speech(mut self, input: CallerInput) -> Self {
        self.report_input_during_agent_speech = Some(input);
        self
    }

    /// The `dtmfDetection` attribute: whether key presses are sent to the application as `dtmf`
    /// messages.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").dtmf_detection(true);
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("dtmfDetection=\"true\""));
    /// ```
    pub fn dtmf_detection(mut self, detect: bool) -> Self {
        self.dtmf_detection = Some(detect);
        self
    }

    /// The `profanityFilter` attribute: whether profanities are masked in the transcripts.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").profanity_filter(false);
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("profanityFilter=\"false\""));
    /// ```
    pub fn profanity_filter(mut self, filter: bool) -> Self {
        self.profanity_filter = Some(filter);
        self
    }

    /// The `partialPrompts` attribute: whether the application also receives partial transcripts
    /// while the caller is still speaking (`prompt` messages with `last: false`).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").partial_prompts(true);
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("partialPrompts=\"true\""));
    /// ```
    pub fn partial_prompts(mut self, partial: bool) -> Self {
        self.partial_prompts = Some(partial);
        self
    }

    /// The `hints` attribute: a comma-separated list of words or phrases (product names, jargon)
    /// that speech recognition should expect.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").hints("Twilio,ConversationRelay,Owl Air");
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("hints=\"Twilio,ConversationRelay,Owl Air\""));
    /// ```
    pub fn hints(mut self, hints: impl Into<String>) -> Self {
        self.hints = Some(hints.into());
        self
    }

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

    /// The `elevenlabsTextNormalization` attribute: whether ElevenLabs spells out numbers, dates and
    /// abbreviations before speaking them (only with [`TtsProvider::ElevenLabs`]).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, TextNormalization, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").elevenlabs_text_normalization(TextNormalization::On);
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("elevenlabsTextNormalization=\"on\""));
    /// ```
    pub fn elevenlabs_text_normalization(mut self, normalization: TextNormalization) -> Self {
        self.elevenlabs_text_normalization = Some(normalization);
        self
    }

    /// The `intelligenceService` attribute: the SID or unique name of a Conversational
    /// Intelligence Service that receives the transcripts.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, VoiceResponse};
    /// let relay = ConversationRelay::new("wss://x/r").intelligence_service("GAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    /// assert!(VoiceResponse::new().connect(relay).to_string().contains("intelligenceService=\"GAaaaa"));
    /// ```
    pub fn intelligence_service(mut self, service: impl Into<String>) -> Self {
        self.intelligence_service = Some(service.into());
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
        Element::new("ConversationRelay")
            .attr("url", Some(self.url.as_str()))
            .attr("welcomeGreeting", self.welcome_greeting.as_deref())
            .attr(
                "welcomeGreetingInterruptible",
                self.welcome_greeting_interruptible.as_ref().map(CallerInput::as_str),
            )
            .attr("language", self.language.as_deref())
            .attr("ttsLanguage", self.tts_language.as_deref())
            .attr("transcriptionLanguage", self.transcription_language.as_deref())
            .attr("ttsProvider", self.tts_provider.as_ref().map(TtsProvider::as_str))
            .attr("voice", self.voice.as_deref())
            .attr(
                "transcriptionProvider",
                self.transcription_provider.as_ref().map(TranscriptionProvider::as_str),
            )
            .attr("speechModel", self.speech_model.as_deref())
            .attr("interruptible", self.interruptible.as_ref().map(CallerInput::as_str))
            .attr(
                "interruptSensitivity",
                self.interrupt_sensitivity.as_ref().map(InterruptSensitivity::as_str),
            )
            .flag("preemptible", self.preemptible)
            .attr(
                "reportInputDuringAgentSpeech",
                self.report_input_during_agent_speech.as_ref().map(CallerInput::as_str),
            )
            .flag("dtmfDetection", self.dtmf_detection)
            .flag("profanityFilter", self.profanity_filter)
            .flag("partialPrompts", self.partial_prompts)
            .attr("hints", self.hints.as_deref())
            .attr("debug", debug.map(Cow::Owned))
            .attr(
                "elevenlabsTextNormalization",
                self.elevenlabs_text_normalization.as_ref().map(TextNormalization::as_str),
            )
            .attr("intelligenceService", self.intelligence_service.as_deref())
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
    tts_provider: Option<TtsProvider>,
    voice: Option<String>,
    transcription_provider: Option<TranscriptionProvider>,
    speech_model: Option<String>,
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
        Language {
            code: code.into(),
            tts_provider: None,
            voice: None,
            transcription_provider: None,
            speech_model: None,
        }
    }

    /// The `ttsProvider` attribute for this language.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, Language, TtsProvider, VoiceResponse};
    /// let language = Language::new("en-GB").tts_provider(TtsProvider::Amazon);
    /// let xml = VoiceResponse::new().connect(ConversationRelay::new("wss://x/r").language_settings(language));
    /// assert!(xml.to_string().contains("<Language code=\"en-GB\" ttsProvider=\"Amazon\" />"));
    /// ```
    pub fn tts_provider(mut self, provider: TtsProvider) -> Self {
        self.tts_provider = Some(provider);
        self
    }

    /// The `voice` attribute for this language.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, Language, VoiceResponse};
    /// let language = Language::new("en-GB").voice("Amy-Generative");
    /// let xml = VoiceResponse::new().connect(ConversationRelay::new("wss://x/r").language_settings(language));
    /// assert!(xml.to_string().contains("<Language code=\"en-GB\" voice=\"Amy-Generative\" />"));
    /// ```
    pub fn voice(mut self, voice: impl Into<String>) -> Self {
        self.voice = Some(voice.into());
        self
    }

    /// The `transcriptionProvider` attribute for this language.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, Language, TranscriptionProvider, VoiceResponse};
    /// let language = Language::new("ja-JP").transcription_provider(TranscriptionProvider::Google);
    /// let xml = VoiceResponse::new().connect(ConversationRelay::new("wss://x/r").language_settings(language));
    /// assert!(xml.to_string().contains("<Language code=\"ja-JP\" transcriptionProvider=\"Google\" />"));
    /// ```
    pub fn transcription_provider(mut self, provider: TranscriptionProvider) -> Self {
        self.transcription_provider = Some(provider);
        self
    }

    /// The `speechModel` attribute for this language.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{ConversationRelay, Language, VoiceResponse};
    /// let language = Language::new("en-US").speech_model("telephony");
    /// let xml = VoiceResponse::new().connect(ConversationRelay::new("wss://x/r").language_settings(language));
    /// assert!(xml.to_string().contains("<Language code=\"en-US\" speechModel=\"telephony\" />"));
    /// ```
    pub fn speech_model(mut self, model: impl Into<String>) -> Self {
        self.speech_model = Some(model.into());
        self
    }

    fn element(&self) -> Element<'_> {
        Element::new("Language")
            .attr("code", Some(self.code.as_str()))
            .attr("ttsProvider", self.tts_provider.as_ref().map(TtsProvider::as_str))
            .attr("voice", self.voice.as_deref())
            .attr(
                "transcriptionProvider",
                self.transcription_provider.as_ref().map(TranscriptionProvider::as_str),
            )
            .attr("speechModel", self.speech_model.as_deref())
    }
}

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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CallerInput {
    /// `none`: no input.
    None,
    /// `dtmf`: key presses only.
    Dtmf,
    /// `speech`: speech only.
    Speech,
    /// `any`: key presses or speech.
    Any,
    /// Any other value, written as given (e.g. the legacy `"true"`/`"false"`, or a value Twilio adds
    /// later).
    Other(String),
}

impl CallerInput {
    /// The attribute value: `"none"`, `"dtmf"`, `"speech"`, `"any"`, or the `Other` string.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::CallerInput::Any.as_str(), "any");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            CallerInput::None => "none",
            CallerInput::Dtmf => "dtmf",
            CallerInput::Speech => "speech",
            CallerInput::Any => "any",
            CallerInput::Other(value) => value,
        }
    }
}

/// A text-to-speech provider of ConversationRelay (its `ttsProvider` attribute).
///
/// ```
/// use rocket_twilio::twiml::TtsProvider;
///
/// assert_eq!(TtsProvider::ElevenLabs.as_str(), "ElevenLabs");
/// assert_eq!(TtsProvider::Other("Acme".into()).to_string(), "Acme");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TtsProvider {
    /// `Google`.
    Google,
    /// `Amazon` (Polly).
    Amazon,
    /// `ElevenLabs`.
    ElevenLabs,
    /// Any other provider, written as given.
    Other(String),
}

impl TtsProvider {
    /// The attribute value: `"Google"`, `"Amazon"`, `"ElevenLabs"`, or the `Other` string.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::TtsProvider::Amazon.as_str(), "Amazon");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            TtsProvider::Google => "Google",
            TtsProvider::Amazon => "Amazon",
            TtsProvider::ElevenLabs => "ElevenLabs",
            TtsProvider::Other(value) => value,
        }
    }
}

/// A speech-recognition provider of ConversationRelay (its `transcriptionProvider` attribute).
///
/// ```
/// use rocket_twilio::twiml::TranscriptionProvider;
///
/// assert_eq!(TranscriptionProvider::Deepgram.as_str(), "Deepgram");
/// assert_eq!(TranscriptionProvider::Other("Acme".into()).to_string(), "Acme");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TranscriptionProvider {
    /// `Google`.
    Google,
    /// `Deepgram`.
    Deepgram,
    /// Any other provider, written as given.
    Other(String),
}

impl TranscriptionProvider {
    /// The attribute value: `"Google"`, `"Deepgram"`, or the `Other` string.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::TranscriptionProvider::Google.as_str(), "Google");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            TranscriptionProvider::Google => "Google",
            TranscriptionProvider::Deepgram => "Deepgram",
            TranscriptionProvider::Other(value) => value,
        }
    }
}

/// How readily speech interrupts ConversationRelay's playback (its `interruptSensitivity`
/// attribute).
///
/// ```
/// use rocket_twilio::twiml::InterruptSensitivity;
///
/// assert_eq!(InterruptSensitivity::Medium.as_str(), "medium");
/// assert_eq!(InterruptSensitivity::Other("extreme".into()).to_string(), "extreme");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InterruptSensitivity {
    /// `low`.
    Low,
    /// `medium`.
    Medium,
    /// `high`.
    High,
    /// Any other value, written as given.
    Other(String),
}

impl InterruptSensitivity {
    /// The attribute value: `"low"`, `"medium"`, `"high"`, or the `Other` string.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::InterruptSensitivity::Low.as_str(), "low");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            InterruptSensitivity::Low => "low",
            InterruptSensitivity::Medium => "medium",
            InterruptSensitivity::High => "high",
            InterruptSensitivity::Other(value) => value,
        }
    }
}

/// Whether the text-to-speech provider normalizes text (numbers, dates, abbreviations) before
/// speaking it (ConversationRelay's `elevenlabsTextNormalization` attribute).
///
/// ```
/// use rocket_twilio::twiml::TextNormalization;
///
/// assert_eq!(TextNormalization::Auto.as_str(), "auto");
/// assert_eq!(TextNormalization::Other("strict".into()).to_string(), "strict");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TextNormalization {
    /// `on`.
    On,
    /// `off`.
    Off,
    /// `auto`: the provider decides.
    Auto,
    /// Any other value, written as given.
    Other(String),
}

impl TextNormalization {
    /// The attribute value: `"on"`, `"off"`, `"auto"`, or the `Other` string.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::TextNormalization::Off.as_str(), "off");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            TextNormalization::On => "on",
            TextNormalization::Off => "off",
            TextNormalization::Auto => "auto",
            TextNormalization::Other(value) => value,
        }
    }
}

/// A troubleshooting channel of ConversationRelay's `debug` attribute: which extra `info`
/// messages Twilio sends the application.
///
/// ```
/// use rocket_twilio::twiml::DebugChannel;
///
/// assert_eq!(DebugChannel::SpeakerEvents.as_str(), "speaker-events");
/// assert_eq!(DebugChannel::Other("new-channel".into()).to_string(), "new-channel");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DebugChannel {
    /// `debugging`: general diagnostics, such as round-trip delays.
    Debugging,
    /// `speaker-events`: when the caller and the agent start and stop speaking.
    SpeakerEvents,
    /// `tokens-played`: which text tokens were played to the caller.
    TokensPlayed,
    /// Any other channel, written as given.
    Other(String),
}

impl DebugChannel {
    /// The channel name: `"debugging"`, `"speaker-events"`, `"tokens-played"`, or the `Other`
    /// string.
    ///
    /// ```
    /// assert_eq!(rocket_twilio::twiml::DebugChannel::TokensPlayed.as_str(), "tokens-played");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            DebugChannel::Debugging => "debugging",
            DebugChannel::SpeakerEvents => "speaker-events",
            DebugChannel::TokensPlayed => "tokens-played",
            DebugChannel::Other(value) => value,
        }
    }
}

macro_rules! display_as_str {
    ($($ty:ty),*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

display_as_str!(
    CallerInput,
    TtsProvider,
    TranscriptionProvider,
    InterruptSensitivity,
    TextNormalization,
    DebugChannel
);
