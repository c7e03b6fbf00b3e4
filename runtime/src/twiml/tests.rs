//! Unit tests of the TwiML writer. Expected documents marked "twilio-python" are what twilio-python
//! 9.13.0 prints for the same construction (`tests/tests/twiml_python.rs` re-checks them against it);
//! the others are read back with quick-xml's reader, a parser independent of the writer's escaping.

use proptest::prelude::*;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::xml::{is_xml_char, xml_chars, REPLACEMENT};
use super::*;

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

fn doc(body: &str) -> String {
    format!("{DECL}{body}")
}

/// An element as a conforming XML 1.0 parser reports it: attributes after normalization, character
/// data (text and references) concatenated.
#[derive(Debug, PartialEq, Eq)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn leaf(name: &str, attrs: &[(&str, &str)], text: &str) -> Node {
        Node {
            name: name.into(),
            attrs: attrs.iter().map(|&(k, v)| (k.into(), v.into())).collect(),
            text: text.into(),
            children: Vec::new(),
        }
    }

    fn response(children: Vec<Node>) -> Node {
        Node { children, ..Node::leaf("Response", &[], "") }
    }
}

fn start(e: &BytesStart<'_>) -> Node {
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            let key = a.key.into_inner().to_owned();
            (key, a.normalized_value(XmlVersion::Explicit1_0).expect("valid attribute value").into_owned())
        })
        .collect();
    let name = e.name().into_inner().to_owned();
    Node { name, attrs, text: String::new(), children: Vec::new() }
}

/// Parses a whole document (declaration, one root element, nothing after it).
fn parse(xml: &str) -> Node {
    let body = xml.strip_prefix(DECL).unwrap_or_else(|| panic!("no XML declaration: {xml:?}"));
    let mut reader = Reader::from_str(body);
    reader.config_mut().check_end_names = true;
    let mut open: Vec<Node> = Vec::new();
    let mut root = None;
    loop {
        let event = reader.read_event().unwrap_or_else(|e| panic!("{e} in {xml:?}"));
        let closed = match event {
            Event::Start(e) => {
                open.push(start(&e));
                None
            }
            Event::Empty(e) => Some(start(&e)),
            Event::End(_) => Some(open.pop().expect("balanced")),
            Event::Text(t) => {
                open.last_mut()
                    .expect("text inside the root")
                    .text
                    .push_str(&t.xml_content(XmlVersion::Explicit1_0));
                None
            }
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref().expect("valid character reference") {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.into_inner();
                        resolve_predefined_entity(&name)
                            .unwrap_or_else(|| panic!("unknown entity {name}"))
                            .into()
                    }
                };
                open.last_mut().expect("reference inside the root").text.push_str(&text);
                None
            }
            Event::Eof => break,
            other => panic!("unexpected {other:?} in {xml:?}"),
        };
        if let Some(node) = closed {
            match open.last_mut() {
                Some(parent) => parent.children.push(node),
                None => {
                    assert!(root.is_none(), "two root elements in {xml:?}");
                    root = Some(node);
                }
            }
        }
    }
    assert!(open.is_empty(), "unclosed elements in {xml:?}");
    root.unwrap_or_else(|| panic!("no root element in {xml:?}"))
}

/// XML 1.0 `Char`, spelled out from the specification independently of `is_xml_char`.
fn allowed_by_spec(c: char) -> bool {
    let c = u32::from(c);
    c == 0x9
        || c == 0xA
        || c == 0xD
        || (0x20..=0xD7FF).contains(&c)
        || (0xE000..=0xFFFD).contains(&c)
        || (0x10000..=0x10FFFF).contains(&c)
}

fn assert_only_xml_chars(xml: &str) {
    if let Some(bad) = xml.chars().find(|&c| !allowed_by_spec(c)) {
        panic!("{bad:?} cannot appear in XML 1.0: {xml:?}");
    }
}

#[test]
fn example_app_voice_response_is_twilio_pythons() {
    let xml = VoiceResponse::new()
        .say(
            "Thanks for calling! Your phone number is 1 4 1 5 3 5 9 5 7 1 1. I got your call because of \
             Twilio's webhook. Goodbye!",
        )
        .to_string();
    // twilio-python
    assert_eq!(
        xml,
        doc(
            "<Response><Say>Thanks for calling! Your phone number is 1 4 1 5 3 5 9 5 7 1 1. I got your call \
             because of Twilio's webhook. Goodbye!</Say></Response>"
        )
    );
}

#[test]
fn example_app_messaging_response_is_twilio_pythons() {
    let xml = MessagingResponse::new()
        .message(format!("Your text to me was {} characters long. Webhooks are neat :)", 51))
        .to_string();
    // twilio-python
    assert_eq!(
        xml,
        doc("<Response><Message>Your text to me was 51 characters long. Webhooks are neat :)</Message></Response>")
    );
}

#[test]
fn empty_responses_are_self_closing() {
    // twilio-python (ElementTree writes `<Response />`, not `<Response></Response>`)
    assert_eq!(VoiceResponse::new().to_string(), doc("<Response />"));
    assert_eq!(MessagingResponse::new().to_string(), doc("<Response />"));
    assert_eq!(parse(&VoiceResponse::new().to_string()), Node::response(vec![]));
}

#[test]
fn every_voice_verb() {
    let xml = VoiceResponse::new()
        .say("a")
        .pause(1)
        .play("http://x/a.mp3?a=1&b=2")
        .redirect("http://x")
        .hangup()
        .reject()
        .to_string();
    // twilio-python
    assert_eq!(
        xml,
        doc("<Response><Say>a</Say><Pause length=\"1\" /><Play>http://x/a.mp3?a=1&amp;b=2</Play>\
             <Redirect>http://x</Redirect><Hangup /><Reject /></Response>")
    );
    assert_eq!(
        parse(&xml),
        Node::response(vec![
            Node::leaf("Say", &[], "a"),
            Node::leaf("Pause", &[("length", "1")], ""),
            Node::leaf("Play", &[], "http://x/a.mp3?a=1&b=2"),
            Node::leaf("Redirect", &[], "http://x"),
            Node::leaf("Hangup", &[], ""),
            Node::leaf("Reject", &[], ""),
        ])
    );
}

#[test]
fn attributes_are_written_sorted_by_name() {
    let message = Message::new("Two cats")
        .to("+1")
        .from("+2")
        .action("/a")
        .method(Method::Get)
        .status_callback("/s")
        .media("https://example.com/1.jpg")
        .media("https://example.com/2.jpg");
    // twilio-python
    assert_eq!(
        MessagingResponse::new().message(message).to_string(),
        doc("<Response><Message action=\"/a\" from=\"+2\" method=\"GET\" statusCallback=\"/s\" to=\"+1\">Two cats\
             <Media>https://example.com/1.jpg</Media><Media>https://example.com/2.jpg</Media></Message></Response>")
    );
    let dial = Dial::new("+14155550100").caller_id("+14155550199").timeout(20).action("/after-call");
    // twilio-python
    assert_eq!(
        VoiceResponse::new().dial(dial.method(Method::Post)).to_string(),
        doc("<Response><Dial action=\"/after-call\" callerId=\"+14155550199\" method=\"POST\" timeout=\"20\">\
             +14155550100</Dial></Response>")
    );
}

#[test]
fn empty_strings_are_no_text() {
    // twilio-python (it only sets text that is truthy)
    assert_eq!(
        VoiceResponse::new().say("").redirect("").dial("").play("").to_string(),
        doc("<Response><Say /><Redirect /><Dial /><Play /></Response>")
    );
    assert_eq!(
        MessagingResponse::new().message("").redirect(Redirect::new("/x").method(Method::Get)).to_string(),
        doc("<Response><Message /><Redirect method=\"GET\">/x</Redirect></Response>")
    );
}

#[test]
fn message_body_cannot_inject_twiml() {
    let body = "</Message><Dial>+1</Dial><Message>";
    let xml = MessagingResponse::new().message(body).to_string();
    // twilio-python
    assert_eq!(
        xml,
        doc("<Response><Message>&lt;/Message&gt;&lt;Dial&gt;+1&lt;/Dial&gt;&lt;Message&gt;</Message></Response>")
    );
    assert_eq!(parse(&xml), Node::response(vec![Node::leaf("Message", &[], body)]));
}

#[test]
fn every_string_is_escaped_not_only_bodies() {
    let evil = "\"/><Dial>+1900</Dial><Say a=\"";
    let voice = VoiceResponse::new()
        .say(Say::new(evil).voice(evil).language(evil))
        .play(Play::new(evil))
        .play(Play::digits(evil))
        .gather(Gather::new().action(evil).say(evil).play(evil))
        .dial(Dial::new(evil).action(evil).caller_id(evil))
        .redirect(evil);
    let parsed = parse(&voice.to_string());
    let names: Vec<&str> = parsed.children.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["Say", "Play", "Play", "Gather", "Dial", "Redirect"]);
    let gathered: Vec<&str> = parsed.children[3].children.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(gathered, ["Say", "Play"]);
    let mut nodes = vec![&parsed];
    while let Some(node) = nodes.pop() {
        nodes.extend(&node.children);
        if node.name != "Response" && node.name != "Gather" {
            assert!(node.text == evil || node.text.is_empty(), "{node:?}");
        }
        for (key, value) in &node.attrs {
            assert_eq!(value, evil, "{} {key}", node.name);
        }
    }

    let sms = MessagingResponse::new()
        .message(Message::new(evil).to(evil).from(evil).action(evil).status_callback(evil).media(evil))
        .redirect(evil);
    let parsed = parse(&sms.to_string());
    let message = &parsed.children[0];
    assert_eq!((parsed.children.len(), parsed.children[1].text.as_str()), (2, evil));
    assert_eq!(message.text, evil);
    assert_eq!(message.attrs.len(), 4);
    assert!(message.attrs.iter().all(|(_, v)| v == evil), "{message:?}");
    assert_eq!(message.children, [Node::leaf("Media", &[], evil)]);
}

#[test]
fn ampersands_and_references_stay_text() {
    let body = " ]]> <![CDATA[ x ]]> &amp; &#60; & ";
    let xml = MessagingResponse::new().message(body).to_string();
    // twilio-python
    assert_eq!(
        xml,
        doc("<Response><Message> ]]&gt; &lt;![CDATA[ x ]]&gt; &amp;amp; &amp;#60; &amp; </Message></Response>")
    );
    assert!(!xml.contains("]]>"), "{xml}");
    assert_eq!(parse(&xml).children[0].text, body);
}

#[test]
fn quotes_and_markup_in_attributes() {
    let voice = "a\"b'c<d>&e";
    let xml = VoiceResponse::new().say(Say::new("x").voice(voice)).to_string();
    // twilio-python writes `'` as is; quick-xml writes `&apos;`, which is the same value.
    assert_eq!(xml, doc("<Response><Say voice=\"a&quot;b&apos;c&lt;d&gt;&amp;e\">x</Say></Response>"));
    assert_eq!(parse(&xml).children[0].attrs, [("voice".to_owned(), voice.to_owned())]);
}

#[test]
fn whitespace_survives_attribute_and_line_end_normalization() {
    // A parser turns raw tab/LF/CR in attribute values into spaces, and a raw CR (or CRLF) in text
    // into LF: written as references, they read back as given.
    let odd = "a\tb\nc\rd\r\ne";
    let xml = MessagingResponse::new().message(Message::new(odd).to(odd)).to_string();
    assert_eq!(
        xml,
        doc("<Response><Message to=\"a&#9;b&#10;c&#13;d&#13;&#10;e\">a\tb\nc&#13;d&#13;\ne</Message></Response>")
    );
    assert_eq!(parse(&xml), Node::response(vec![Node::leaf("Message", &[("to", odd)], odd)]));
}

#[test]
fn unicode_is_written_unchanged() {
    let text = "Ahoy 👋 — café, 日本語, עברית, e\u{301}, \u{2028}\u{2029}\u{FEFF}\u{FFFD}\u{E000}\u{10FFFF}";
    let xml = MessagingResponse::new().message(Message::new(text).to(text)).to_string();
    assert_eq!(xml, doc(&format!("<Response><Message to=\"{text}\">{text}</Message></Response>")));
    assert_eq!(parse(&xml), Node::response(vec![Node::leaf("Message", &[("to", text)], text)]));
}

#[test]
fn characters_xml_cannot_represent_become_replacement_characters() {
    let forbidden: Vec<char> = (0..0x20u32)
        .filter(|c| ![0x9, 0xA, 0xD].contains(c))
        .chain([0xFFFE, 0xFFFF])
        .map(|c| char::from_u32(c).expect("a scalar value"))
        .collect();
    assert_eq!(forbidden.len(), 31);
    let text: String = forbidden.iter().flat_map(|&c| ['x', c]).collect();
    let replaced: String = forbidden.iter().flat_map(|_| ['x', '\u{FFFD}']).collect();

    let xml = VoiceResponse::new().say(Say::new(text.as_str()).voice(text.as_str())).to_string();
    assert_only_xml_chars(&xml);
    assert_eq!(xml, doc(&format!("<Response><Say voice=\"{replaced}\">{replaced}</Say></Response>")));
    assert_eq!(parse(&xml), Node::response(vec![Node::leaf("Say", &[("voice", &replaced)], &replaced)]));

    // Nothing is dropped: a body made only of control characters keeps its length.
    let xml = MessagingResponse::new().message("\u{0}\u{1b}").to_string();
    assert_eq!(xml, doc("<Response><Message>\u{FFFD}\u{FFFD}</Message></Response>"));
}

#[test]
fn is_xml_char_is_the_specifications_char_production() {
    let boundaries = [
        0x0, 0x8, 0x9, 0xA, 0xB, 0xC, 0xD, 0xE, 0x1F, 0x20, 0x7F, 0x80, 0x9F, 0xD7FF, 0xE000, 0xFFFC, 0xFFFD,
        0xFFFE, 0xFFFF, 0x10000, 0x1FFFE, 0x1FFFF, 0x10FFFF,
    ];
    for c in boundaries.into_iter().chain(0..0x300).filter_map(char::from_u32) {
        assert_eq!(is_xml_char(c), allowed_by_spec(c), "{c:?}");
    }
    assert_eq!(xml_chars("ok"), "ok");
    assert!(matches!(xml_chars("ok"), std::borrow::Cow::Borrowed(_)));
    assert_eq!(xml_chars("a\u{7}b"), format!("a{REPLACEMENT}b"));
}

#[test]
fn gather_nests_prompts_in_order() {
    let gather = Gather::new()
        .input(GatherInput::DtmfSpeech)
        .action("/menu")
        .method(Method::Post)
        .num_digits(1)
        .timeout(5)
        .say("Press 1 or say sales.")
        .pause(1)
        .play("https://example.com/jingle.mp3");
    // twilio-python
    assert_eq!(
        VoiceResponse::new().gather(gather).say("We didn't receive any input. Goodbye!").to_string(),
        doc("<Response><Gather action=\"/menu\" input=\"dtmf speech\" method=\"POST\" numDigits=\"1\" \
             timeout=\"5\"><Say>Press 1 or say sales.</Say><Pause length=\"1\" />\
             <Play>https://example.com/jingle.mp3</Play></Gather><Say>We didn't receive any input. \
             Goodbye!</Say></Response>")
    );
}

#[test]
fn enumerations_and_options() {
    // twilio-python
    assert_eq!(
        VoiceResponse::new()
            .say(Say::new("Guten Tag").voice("Polly.Marlene").language("de-DE").loop_count(2))
            .play(Play::digits("ww1234"))
            .play(Play::new("https://api.twilio.com/cowbell.mp3").loop_count(0))
            .reject_with(RejectReason::Busy)
            .gather(Gather::new())
            .gather(Gather::new().input(GatherInput::Speech).method(Method::Get))
            .to_string(),
        doc("<Response><Say language=\"de-DE\" loop=\"2\" voice=\"Polly.Marlene\">Guten Tag</Say>\
             <Play digits=\"ww1234\" /><Play loop=\"0\">https://api.twilio.com/cowbell.mp3</Play>\
             <Reject reason=\"busy\" /><Gather /><Gather input=\"speech\" method=\"GET\" /></Response>")
    );
    assert_eq!(
        [GatherInput::Dtmf, GatherInput::Speech, GatherInput::DtmfSpeech].map(GatherInput::as_str),
        ["dtmf", "speech", "dtmf speech"]
    );
    assert_eq!([RejectReason::Rejected, RejectReason::Busy].map(RejectReason::as_str), ["rejected", "busy"]);
    assert_eq!(format!("{} {}", Method::Get, Method::Post), "GET POST");
}

#[test]
fn builders_compare_and_convert() {
    assert_eq!(Say::from("hi"), Say::new("hi"));
    assert_eq!(Say::from(String::from("hi")), Say::new("hi"));
    assert_eq!(Dial::from("+1"), Dial::new("+1"));
    assert_eq!(Play::from("/a.mp3"), Play::new("/a.mp3"));
    assert_eq!(Redirect::from("/r"), Redirect::new("/r"));
    assert_eq!(<Message as From<&str>>::from("b"), Message::new("b"));
    assert_ne!(Message::new("b"), Message::new("b").media("/m"));
    assert_eq!(VoiceResponse::new().say("x"), VoiceResponse::new().say(Say::new("x")));
    assert_ne!(VoiceResponse::new().say("x"), VoiceResponse::new().say("y"));
    assert!(!MessagingResponse::new().redirect("/r").is_empty());
}

fn every_relay_attribute() -> ConversationRelay {
    ConversationRelay::new("wss://example.com/relay")
        .welcome_greeting("Hello & welcome")
        .welcome_greeting_interruptible(CallerInput::None)
        .language("en-US")
        .tts_language("en-GB")
        .transcription_language("en-AU")
        .tts_provider(TtsProvider::ElevenLabs)
        .voice("UgBBYS2sOqTuMpoF3BR0")
        .transcription_provider(TranscriptionProvider::Deepgram)
        .speech_model("nova-3-general")
        .interruptible(CallerInput::Speech)
        .interrupt_sensitivity(InterruptSensitivity::High)
        .preemptible(true)
        .report_input_during_agent_speech(CallerInput::Dtmf)
        .dtmf_detection(true)
        .profanity_filter(false)
        .partial_prompts(true)
        .hints("Owl Air,carry-on")
        .debug(DebugChannel::Debugging)
        .debug(DebugChannel::SpeakerEvents)
        .debug(DebugChannel::TokensPlayed)
        .elevenlabs_text_normalization(TextNormalization::Auto)
        .intelligence_service("GA0123")
}

#[test]
fn conversation_relay_with_every_attribute() {
    let relay = every_relay_attribute()
        .parameter("customer", "42")
        .language_settings(
            Language::new("es-ES")
                .tts_provider(TtsProvider::Google)
                .voice("es-ES-Neural2-B")
                .transcription_provider(TranscriptionProvider::Google)
                .speech_model("telephony"),
        )
        .parameter("tier", "gold");
    let connect = Connect::conversation_relay(relay)
        .action("https://example.com/relay-ended?x=1&y=2")
        .method(Method::Get);
    let xml = VoiceResponse::new().connect(connect).to_string();
    // twilio-python
    assert_eq!(
        xml,
        doc("<Response><Connect action=\"https://example.com/relay-ended?x=1&amp;y=2\" method=\"GET\">\
             <ConversationRelay debug=\"debugging speaker-events tokens-played\" dtmfDetection=\"true\" \
             elevenlabsTextNormalization=\"auto\" hints=\"Owl Air,carry-on\" intelligenceService=\"GA0123\" \
             interruptSensitivity=\"high\" interruptible=\"speech\" language=\"en-US\" partialPrompts=\"true\" \
             preemptible=\"true\" profanityFilter=\"false\" reportInputDuringAgentSpeech=\"dtmf\" \
             speechModel=\"nova-3-general\" transcriptionLanguage=\"en-AU\" transcriptionProvider=\"Deepgram\" \
             ttsLanguage=\"en-GB\" ttsProvider=\"ElevenLabs\" url=\"wss://example.com/relay\" \
             voice=\"UgBBYS2sOqTuMpoF3BR0\" welcomeGreeting=\"Hello &amp; welcome\" \
             welcomeGreetingInterruptible=\"none\"><Parameter name=\"customer\" value=\"42\" />\
             <Language code=\"es-ES\" speechModel=\"telephony\" transcriptionProvider=\"Google\" \
             ttsProvider=\"Google\" voice=\"es-ES-Neural2-B\" /><Parameter name=\"tier\" value=\"gold\" />\
             </ConversationRelay></Connect></Response>")
    );
    // Nested elements stay in the order they were added, interleaved.
    let relay = &parse(&xml).children[0].children[0];
    let nested: Vec<&str> = relay.children.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(nested, ["Parameter", "Language", "Parameter"]);
    assert_eq!(relay.attrs.len(), 21);
}

#[test]
fn streams_start_connect_and_stop() {
    let fork = Stream::new("wss://example.com/fork")
        .name("fork")
        .track(StreamTrack::BothTracks)
        .status_callback("/events")
        .status_callback_method(Method::Post)
        .parameter("a", "1");
    let xml = VoiceResponse::new()
        .start(fork)
        .say("Recording.")
        .connect(Stream::new("wss://example.com/media").name("bot"))
        .stop_stream("fork")
        .to_string();
    // twilio-python
    assert_eq!(
        xml,
        doc("<Response><Start><Stream name=\"fork\" statusCallback=\"/events\" statusCallbackMethod=\"POST\" \
             track=\"both_tracks\" url=\"wss://example.com/fork\"><Parameter name=\"a\" value=\"1\" /></Stream>\
             </Start><Say>Recording.</Say><Connect><Stream name=\"bot\" url=\"wss://example.com/media\" />\
             </Connect><Stop><Stream name=\"fork\" /></Stop></Response>")
    );
    let stream = |attrs: &[(&str, &str)], children| Node { children, ..Node::leaf("Stream", attrs, "") };
    let wrap = |name: &str, child| Node { children: vec![child], ..Node::leaf(name, &[], "") };
    assert_eq!(
        parse(&xml),
        Node::response(vec![
            wrap(
                "Start",
                stream(
                    &[
                        ("name", "fork"),
                        ("statusCallback", "/events"),
                        ("statusCallbackMethod", "POST"),
                        ("track", "both_tracks"),
                        ("url", "wss://example.com/fork"),
                    ],
                    vec![Node::leaf("Parameter", &[("name", "a"), ("value", "1")], "")],
                )
            ),
            Node::leaf("Say", &[], "Recording."),
            wrap("Connect", stream(&[("name", "bot"), ("url", "wss://example.com/media")], vec![])),
            wrap("Stop", stream(&[("name", "fork")], vec![])),
        ])
    );
}

#[test]
fn connect_and_start_convert_from_their_nouns() {
    let stream = Stream::new("wss://x/s").name("n");
    let relay = ConversationRelay::new("wss://x/r").language("en-US");
    assert_eq!(Connect::from(stream.clone()), Connect::stream(stream.clone()));
    assert_eq!(Connect::from(relay.clone()), Connect::conversation_relay(relay.clone()));
    assert_eq!(Start::from(stream.clone()), Start::stream(stream.clone()));
    assert_eq!(
        VoiceResponse::new().connect(relay.clone()),
        VoiceResponse::new().connect(Connect::from(relay))
    );
    assert_ne!(Connect::stream(stream.clone()), Connect::stream(stream.clone()).action("/a"));
    assert_ne!(stream.clone(), stream.parameter("k", "v"));
    // twilio-python
    assert_eq!(
        VoiceResponse::new()
            .connect(Connect::stream(Stream::new("wss://x/s")).action("/after").method(Method::Post))
            .to_string(),
        doc("<Response><Connect action=\"/after\" method=\"POST\"><Stream url=\"wss://x/s\" /></Connect></Response>")
    );
    assert!(!VoiceResponse::new().stop_stream("s").is_empty());
}

#[test]
fn relay_values_and_flags() {
    assert_eq!(
        [CallerInput::None, CallerInput::Dtmf, CallerInput::Speech, CallerInput::Any].map(|v| v.to_string()),
        ["none", "dtmf", "speech", "any"]
    );
    assert_eq!(
        [TtsProvider::Google, TtsProvider::Amazon, TtsProvider::ElevenLabs].map(|v| v.to_string()),
        ["Google", "Amazon", "ElevenLabs"]
    );
    assert_eq!(
        [TranscriptionProvider::Google, TranscriptionProvider::Deepgram].map(|v| v.to_string()),
        ["Google", "Deepgram"]
    );
    assert_eq!(
        [InterruptSensitivity::Low, InterruptSensitivity::Medium, InterruptSensitivity::High]
            .map(|v| v.to_string()),
        ["low", "medium", "high"]
    );
    assert_eq!(
        [TextNormalization::On, TextNormalization::Off, TextNormalization::Auto].map(|v| v.to_string()),
        ["on", "off", "auto"]
    );
    assert_eq!(
        [DebugChannel::Debugging, DebugChannel::SpeakerEvents, DebugChannel::TokensPlayed]
            .map(|v| v.to_string()),
        ["debugging", "speaker-events", "tokens-played"]
    );
    assert_eq!(
        [StreamTrack::InboundTrack, StreamTrack::OutboundTrack, StreamTrack::BothTracks]
            .map(StreamTrack::as_str),
        ["inbound_track", "outbound_track", "both_tracks"]
    );

    // `Other` values are written as given; `false` flags are written, unset ones are not.
    let relay = ConversationRelay::new("wss://x/r")
        .interruptible(CallerInput::Other("true".into()))
        .tts_provider(TtsProvider::Other("Acme".into()))
        .transcription_provider(TranscriptionProvider::Other("Whisper".into()))
        .interrupt_sensitivity(InterruptSensitivity::Other("max".into()))
        .elevenlabs_text_normalization(TextNormalization::Other("".into()))
        .debug(DebugChannel::Other("new-channel".into()))
        .dtmf_detection(false)
        .partial_prompts(false);
    // twilio-python
    assert_eq!(
        VoiceResponse::new().connect(relay).to_string(),
        doc("<Response><Connect><ConversationRelay debug=\"new-channel\" dtmfDetection=\"false\" \
             elevenlabsTextNormalization=\"\" interruptSensitivity=\"max\" interruptible=\"true\" \
             partialPrompts=\"false\" transcriptionProvider=\"Whisper\" ttsProvider=\"Acme\" url=\"wss://x/r\" />\
             </Connect></Response>")
    );
}

#[test]
fn every_voice_ai_string_is_escaped() {
    let evil = "\"/><Hangup/><Stream url=\"wss://evil\"><Parameter name='x' &amp; \t\r\n";
    let other = || evil.to_owned();
    let relay = ConversationRelay::new(evil)
        .welcome_greeting(evil)
        .welcome_greeting_interruptible(CallerInput::Other(other()))
        .language(evil)
        .tts_language(evil)
        .transcription_language(evil)
        .tts_provider(TtsProvider::Other(other()))
        .voice(evil)
        .transcription_provider(TranscriptionProvider::Other(other()))
        .speech_model(evil)
        .interruptible(CallerInput::Other(other()))
        .interrupt_sensitivity(InterruptSensitivity::Other(other()))
        .report_input_during_agent_speech(CallerInput::Other(other()))
        .hints(evil)
        .debug(DebugChannel::Other(other()))
        .elevenlabs_text_normalization(TextNormalization::Other(other()))
        .intelligence_service(evil)
        .language_settings(
            Language::new(evil)
                .tts_provider(TtsProvider::Other(other()))
                .voice(evil)
                .transcription_provider(TranscriptionProvider::Other(other()))
                .speech_model(evil),
        )
        .parameter(evil, evil);
    let stream = Stream::new(evil).name(evil).status_callback(evil).parameter(evil, evil);
    let xml = VoiceResponse::new()
        .connect(Connect::conversation_relay(relay).action(evil))
        .connect(Connect::stream(stream.clone()).action(evil))
        .start(stream)
        .stop_stream(evil)
        .to_string();
    let parsed = parse(&xml);
    let shape = |node: &Node| -> String {
        fn walk(node: &Node, out: &mut String) {
            out.push_str(&node.name);
            out.push('(');
            for child in &node.children {
                walk(child, out);
            }
            out.push(')');
        }
        let mut out = String::new();
        walk(node, &mut out);
        out
    };
    assert_eq!(
        shape(&parsed),
        "Response(Connect(ConversationRelay(Language()Parameter()))Connect(Stream(Parameter()))\
         Start(Stream(Parameter()))Stop(Stream()))"
    );
    let mut nodes = vec![&parsed];
    let mut values = 0;
    while let Some(node) = nodes.pop() {
        nodes.extend(&node.children);
        assert!(node.text.is_empty(), "{node:?}");
        for (key, value) in &node.attrs {
            assert_eq!(value, evil, "{} {key}", node.name);
            values += 1;
        }
    }
    // 17 relay attributes (all but the 4 flags), 5 on its <Language>, 2 on each <Parameter>, 2 on the <Connect>s, 3 on each
    // <Stream> that has a URL, and the stopped stream's name.
    assert_eq!(values, 17 + 5 + 2 * 3 + 2 + 3 * 2 + 1);
}

/// Strings that mix markup, references, whitespace, controls and non-ASCII.
fn nasty_string() -> impl Strategy<Value = String> {
    let special = prop_oneof![
        Just('<'),
        Just('>'),
        Just('&'),
        Just('"'),
        Just('\''),
        Just(';'),
        Just('#'),
        Just(']'),
        Just('\t'),
        Just('\n'),
        Just('\r'),
        Just('\u{FFFE}'),
        Just('\u{FFFF}'),
        (0u8..0x20).prop_map(char::from),
    ];
    proptest::collection::vec(
        prop_oneof![3 => special, 1 => any::<char>(), 2 => proptest::char::range('a', 'e')],
        0..48,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Any string, in text or attributes, reads back as itself (after the documented replacement),
    /// inside exactly the elements that were built.
    #[test]
    fn any_string_reads_back_as_itself(text in nasty_string(), attr in nasty_string()) {
        let (clean_text, clean_attr) = (xml_chars(&text).into_owned(), xml_chars(&attr).into_owned());
        let attrs: Vec<(&str, &str)> = if attr.is_empty() { vec![] } else { vec![("voice", &clean_attr)] };

        let mut say = Say::new(text.as_str());
        if !attr.is_empty() {
            say = say.voice(attr.as_str());
        }
        let xml = VoiceResponse::new().say(say).hangup().to_string();
        assert_only_xml_chars(&xml);
        prop_assert_eq!(
            parse(&xml),
            Node::response(vec![Node::leaf("Say", &attrs, &clean_text), Node::leaf("Hangup", &[], "")])
        );

        let xml = MessagingResponse::new().message(Message::new(text.as_str()).to(attr.as_str()).media(attr.as_str())).to_string();
        assert_only_xml_chars(&xml);
        let message = Node {
            children: vec![Node::leaf("Media", &[], &clean_attr)],
            ..Node::leaf("Message", &[("to", &clean_attr)], &clean_text)
        };
        prop_assert_eq!(parse(&xml), Node::response(vec![message]));

        // In attributes only: a relay's URL and a parameter's name and value.
        let relay = ConversationRelay::new(attr.as_str()).parameter(text.as_str(), attr.as_str());
        let xml = VoiceResponse::new().connect(relay).to_string();
        assert_only_xml_chars(&xml);
        let parameter = Node::leaf("Parameter", &[("name", &clean_text), ("value", &clean_attr)], "");
        let relay = Node { children: vec![parameter], ..Node::leaf("ConversationRelay", &[("url", &clean_attr)], "") };
        let connect = Node { children: vec![relay], ..Node::leaf("Connect", &[], "") };
        prop_assert_eq!(parse(&xml), Node::response(vec![connect]));
    }
}

#[cfg(feature = "rocket")]
mod responder {
    use rocket::http::{ContentType, Status};
    use rocket::local::blocking::Client;
    use rocket::{get, routes};

    use super::super::{MessagingResponse, VoiceResponse};

    #[get("/voice")]
    fn voice() -> VoiceResponse {
        VoiceResponse::new().say("Hi & bye").hangup()
    }

    #[get("/sms")]
    fn sms() -> MessagingResponse {
        MessagingResponse::new().message("</Message><Dial>+1</Dial><Message>")
    }

    #[test]
    fn responds_200_with_application_xml() {
        let client = Client::tracked(rocket::build().mount("/", routes![voice, sms])).expect("valid rocket");
        for (uri, body) in [("/voice", voice().to_string()), ("/sms", sms().to_string())] {
            let response = client.get(uri).dispatch();
            assert_eq!(response.status(), Status::Ok, "{uri}");
            let content_type = response.headers().get_one("Content-Type").map(str::to_owned);
            assert_eq!(content_type.as_deref(), Some("application/xml; charset=utf-8"), "{uri}");
            assert_eq!(response.content_type(), Some(ContentType::new("application", "xml")), "{uri}");
            assert_eq!(response.into_string().as_deref(), Some(body.as_str()), "{uri}");
        }
        assert!(voice().to_string().ends_with("<Response><Say>Hi &amp; bye</Say><Hangup /></Response>"));
    }
}
