//! Unit tests of the payload types: the form rules (fields, media, strict mode) and the WebSocket
//! messages' JSON. The same payloads are sent over real HTTP, signed by twilio-python, in
//! `tests/tests/payloads.rs`.

mod form {
    use rocket::form::error::ErrorKind;
    use rocket::form::{Form, FromForm, Strict, ValueField};
    use rocket::http::Status;

    use crate::webhooks::*;

    fn parse<'r, T: FromForm<'r>>(fields: &[(&'r str, &'r str)]) -> rocket::form::Result<'r, T> {
        Form::<T>::parse_iter(fields.iter().map(|&field| ValueField::from(field)))
    }

    /// The error messages (and names), for asserting what a refusal says.
    fn messages(errors: &rocket::form::Errors<'_>) -> Vec<String> {
        errors
            .iter()
            .map(|e| format!("{}: {e}", e.name.as_ref().map(ToString::to_string).unwrap_or_default()))
            .collect()
    }

    const MESSAGE: &[(&str, &str)] = &[
        ("MessageSid", "MM1"),
        ("AccountSid", "AC1"),
        ("From", "+14155550100"),
        ("To", "+14155550199"),
        ("Body", ""),
    ];

    fn message_with<'r>(extra: &[(&'r str, &'r str)]) -> Vec<(&'r str, &'r str)> {
        MESSAGE.iter().copied().chain(extra.iter().copied()).collect()
    }

    #[test]
    fn media_is_gathered_by_index_whatever_the_order_of_the_parameters() {
        let fields = message_with(&[
            ("MediaContentType1", "image/png"),
            ("MediaUrl1", "https://m/1"),
            ("NumMedia", "2"),
            ("MediaUrl0", "https://m/0"),
            ("MediaContentType0", "image/jpeg"),
        ]);
        let message: IncomingMessage<'_> = parse(&fields).unwrap();
        assert_eq!(message.num_media, 2);
        let media: Vec<_> = message.media.iter().map(|m| (m.url, m.content_type)).collect();
        assert_eq!(media, [("https://m/0", "image/jpeg"), ("https://m/1", "image/png")]);
        assert_eq!(message.body, "");
    }

    #[test]
    fn no_media_is_an_empty_list() {
        let message: IncomingMessage<'_> = parse(&message_with(&[("NumMedia", "0")])).unwrap();
        assert!(message.media.is_empty());
    }

    /// Extra parameters, and the errors they should cause.
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str]);

    /// Each inconsistency between `NumMedia` and the media parameters: the whole form is a 422 whose
    /// message names the parameter.
    #[test]
    fn media_that_disagrees_with_num_media_is_a_named_422() {
        let cases: &[Case<'_>] = &[
            (
                &[("NumMedia", "2"), ("MediaUrl0", "u0"), ("MediaContentType0", "t0")],
                &[
                    "MediaUrl1: NumMedia is 2 but MediaUrl1 is missing",
                    "MediaContentType1: NumMedia is 2 but MediaContentType1 is missing",
                ],
            ),
            (
                &[("NumMedia", "1"), ("MediaUrl0", "u0")],
                &["MediaContentType0: NumMedia is 1 but MediaContentType0 is missing"],
            ),
            (
                &[("NumMedia", "1"), ("MediaUrl0", "u0"), ("MediaContentType0", "t0"), ("MediaUrl3", "u3")],
                &["MediaUrl3: NumMedia is 1 but MediaUrl3 is sent"],
            ),
            (
                &[("NumMedia", "0"), ("MediaContentType0", "t0")],
                &["MediaContentType0: NumMedia is 0 but MediaContentType0 is sent"],
            ),
            (
                &[
                    ("NumMedia", "1"),
                    ("MediaUrl0", "u0"),
                    ("MediaContentType0", "t0"),
                    ("MediaUrl0", "https://elsewhere/"),
                ],
                &["MediaUrl0: MediaUrl0 is sent more than once"],
            ),
            // A huge count fails on the first gap, without walking 4 billion indices.
            (
                &[("NumMedia", "4294967295"), ("MediaUrl0", "u0"), ("MediaContentType0", "t0")],
                &[
                    "MediaUrl1: NumMedia is 4294967295 but MediaUrl1 is missing",
                    "MediaContentType1: NumMedia is 4294967295 but MediaContentType1 is missing",
                ],
            ),
        ];
        for (extra, expected) in cases {
            let errors = parse::<IncomingMessage<'_>>(&message_with(extra)).unwrap_err();
            assert_eq!(messages(&errors), *expected, "{extra:?}");
            assert_eq!(errors.status(), Status::UnprocessableEntity, "{extra:?}");
        }
    }

    #[test]
    fn media_without_num_media_is_refused_and_num_media_is_required() {
        let errors = parse::<IncomingMessage<'_>>(&message_with(&[("MediaUrl0", "u0")])).unwrap_err();
        let messages = messages(&errors);
        assert!(
            messages.contains(&"MediaUrl0: MediaUrl0 is sent without NumMedia".to_owned()),
            "{messages:?}"
        );
        assert!(messages.contains(&"NumMedia: missing".to_owned()), "{messages:?}");
    }

    #[test]
    fn a_num_media_that_is_not_a_count_is_a_422_not_a_panic() {
        for count in ["two", "-1", "", "99999999999999999999"] {
            let errors = parse::<IncomingMessage<'_>>(&message_with(&[("NumMedia", count)])).unwrap_err();
            assert!(errors.iter().all(|e| e.name.as_ref().is_some_and(|n| n == "NumMedia")), "{errors:?}");
            assert_eq!(errors.status(), Status::UnprocessableEntity, "{count:?}");
        }
    }

    /// Only `MediaUrl{i}` with `i` written as Twilio writes it is media; `MediaUrl01` or a bare `MediaUrl`
    /// are unknown parameters (ignored, or refused by `Strict`).
    #[test]
    fn non_canonical_media_names_are_ordinary_unknown_parameters() {
        let fields =
            message_with(&[("NumMedia", "0"), ("MediaUrl01", "u"), ("MediaUrl", "u"), ("MediaUrl-1", "u")]);
        let message: IncomingMessage<'_> = parse(&fields).unwrap();
        assert!(message.media.is_empty());
        let errors = parse::<Strict<IncomingMessage<'_>>>(&fields).unwrap_err();
        let unexpected: Vec<_> = errors
            .iter()
            .filter(|e| matches!(e.kind, ErrorKind::Unexpected))
            .map(|e| e.name.as_ref().unwrap().to_string())
            .collect();
        assert_eq!(unexpected, ["MediaUrl01", "MediaUrl", "MediaUrl-1"]);
    }

    #[test]
    fn lenient_accepts_unknown_parameters_strict_refuses_them() {
        let fields = message_with(&[("NumMedia", "0"), ("BrandNewParameter", "x"), ("_method", "POST")]);
        assert!(parse::<IncomingMessage<'_>>(&fields).is_ok());
        let errors = parse::<Strict<IncomingMessage<'_>>>(&fields).unwrap_err();
        assert_eq!(messages(&errors), ["BrandNewParameter: unexpected"]);
        assert_eq!(errors.status(), Status::UnprocessableEntity);
        // Without it, the strict form is fine (`_method` is always allowed, as with Rocket's derive).
        let fields = message_with(&[("NumMedia", "0"), ("_method", "POST")]);
        assert!(parse::<Strict<IncomingMessage<'_>>>(&fields).is_ok());
    }

    /// An optional parameter sent twice is ambiguous: `None`, in both modes (Rocket's `Option`).
    #[test]
    fn a_repeated_optional_parameter_reads_as_none() {
        let fields = message_with(&[("NumMedia", "0"), ("ProfileName", "first"), ("ProfileName", "second")]);
        let message: IncomingMessage<'_> = parse(&fields).unwrap();
        assert_eq!(message.profile_name, None);
        let message: Strict<IncomingMessage<'_>> = parse(&fields).unwrap();
        assert_eq!(message.profile_name, None);
    }

    #[test]
    fn strict_refuses_a_repeated_required_parameter_lenient_takes_the_first() {
        let fields = message_with(&[("NumMedia", "0"), ("ProfileName", "first"), ("Body", "second body")]);
        let message: IncomingMessage<'_> = parse(&fields).unwrap();
        assert_eq!(message.body, "");
        let errors = parse::<Strict<IncomingMessage<'_>>>(&fields).unwrap_err();
        assert_eq!(messages(&errors), ["Body: duplicate"]);
    }

    #[test]
    fn missing_required_parameters_are_named() {
        let errors = parse::<IncomingCall<'_>>(&[("CallSid", "CA1"), ("From", "+1")]).unwrap_err();
        let mut missing: Vec<_> = errors.iter().map(|e| e.name.as_ref().unwrap().to_string()).collect();
        missing.sort();
        assert_eq!(missing, ["AccountSid", "CallStatus", "Direction", "To"]);
        assert!(errors.iter().all(|e| matches!(e.kind, ErrorKind::Missing)));
    }

    #[test]
    fn optional_values_of_the_wrong_type_read_as_none_required_ones_are_refused() {
        let call = [
            ("CallSid", "CA1"),
            ("AccountSid", "AC1"),
            ("From", "+1"),
            ("To", "+2"),
            ("CallStatus", "in-progress"),
            ("Direction", "inbound"),
            ("Confidence", "very"),
            ("RecordingDuration", "-1"),
            ("DialBridged", "maybe"),
        ];
        let call: IncomingCall<'_> = parse(&call).unwrap();
        assert_eq!((call.confidence, call.recording_duration, call.dial_bridged), (None, None, None));

        let errors = parse::<IncomingMessage<'_>>(&message_with(&[("NumMedia", "lots")])).unwrap_err();
        assert_eq!(messages(&errors), ["NumMedia: invalid integer: invalid digit found in string"]);
    }

    #[test]
    fn unknown_statuses_and_directions_are_kept() {
        let fields = [
            ("MessageSid", "SM1"),
            ("MessageStatus", "teleported"),
            ("AccountSid", "AC1"),
            ("SmsStatus", "delivered"),
        ];
        let callback: MessageStatusCallback<'_> = parse(&fields).unwrap();
        assert_eq!(callback.message_status, MessageStatus::Other("teleported"));
        assert_eq!(callback.sms_status, Some(MessageStatus::Delivered));
        // Strict is about parameters, not values: an unknown status passes it too.
        assert!(parse::<Strict<MessageStatusCallback<'_>>>(&fields).is_ok());

        let call = [
            ("CallSid", "CA1"),
            ("AccountSid", "AC1"),
            ("From", "+1"),
            ("To", "+2"),
            ("CallStatus", "on-hold"),
            ("Direction", "sideways"),
        ];
        let callback: CallStatusCallback<'_> = parse(&call).unwrap();
        assert_eq!(callback.call_status, CallStatus::Other("on-hold"));
        assert_eq!(callback.direction, Direction::Other("sideways"));
    }

    /// A payload type is a `FromForm` like any other, so it can be nested in a user's form; the names in
    /// its errors then carry the parent's prefix.
    #[test]
    fn nested_in_another_form() {
        #[derive(Debug, rocket::FromForm)]
        struct Envelope<'r> {
            message: IncomingMessage<'r>,
        }
        let fields = [
            ("message.MessageSid", "SM1"),
            ("message.AccountSid", "AC1"),
            ("message.From", "+1"),
            ("message.To", "+2"),
            ("message.Body", "hi"),
            ("message.NumMedia", "1"),
            ("message.MediaUrl0", "u0"),
            ("message.MediaContentType0", "t0"),
        ];
        let envelope: Envelope<'_> = parse(&fields).unwrap();
        assert_eq!((envelope.message.body, envelope.message.media[0].url), ("hi", "u0"));
        let errors = parse::<Envelope<'_>>(&fields[..7]).unwrap_err();
        assert_eq!(
            messages(&errors),
            ["message.MediaContentType0: NumMedia is 1 but MediaContentType0 is missing"]
        );
    }
}

mod websocket {
    use serde_json::{json, Value};

    use crate::webhooks::conversation_relay as cr;
    use crate::webhooks::media_streams as ms;

    /// Parses `message`, checks it equals `expected`, and that it serializes back to the same JSON.
    fn round_trip<T>(message: Value, expected: &T)
    where
        T: rocket::serde::Serialize + rocket::serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let parsed: T = serde_json::from_value(message.clone()).unwrap();
        assert_eq!(&parsed, expected);
        assert_eq!(serde_json::to_value(&parsed).unwrap(), message);
    }

    #[test]
    fn conversation_relay_setup() {
        let message = json!({
            "type": "setup",
            "sessionId": "VX00000000000000000000000000000000",
            "accountSid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "parentCallSid": "",
            "callSid": "CA00000000000000000000000000000000",
            "from": "+18005550100",
            "to": "+18005550101",
            "forwardedFrom": "+18005550102",
            "callType": "PSTN",
            "callerName": "",
            "direction": "inbound",
            "callStatus": "RINGING",
            "customParameters": { "callReference": "bar" }
        });
        let expected = cr::Inbound::Setup(cr::Setup {
            session_id: "VX00000000000000000000000000000000".into(),
            account_sid: "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".into(),
            call_sid: "CA00000000000000000000000000000000".into(),
            parent_call_sid: Some(String::new()),
            from: "+18005550100".into(),
            to: "+18005550101".into(),
            forwarded_from: Some("+18005550102".into()),
            call_type: Some("PSTN".into()),
            caller_name: Some(String::new()),
            direction: Some("inbound".into()),
            call_status: Some("RINGING".into()),
            custom_parameters: [("callReference".to_owned(), "bar".to_owned())].into(),
        });
        round_trip(message, &expected);
    }

    #[test]
    fn conversation_relay_inbound_messages() {
        round_trip(
            json!({ "type": "prompt", "voicePrompt": "Ahoy! How are you?", "lang": "en-US", "last": true }),
            &cr::Inbound::Prompt(cr::Prompt {
                voice_prompt: "Ahoy! How are you?".into(),
                lang: Some("en-US".into()),
                last: true,
            }),
        );
        round_trip(
            json!({ "type": "dtmf", "digit": "1" }),
            &cr::Inbound::Dtmf(cr::Dtmf { digit: "1".into() }),
        );
        round_trip(
            json!({ "type": "error", "description": "Invalid message received: { \"foo\" : \"bar\" }" }),
            &cr::Inbound::Error(cr::Error {
                description: "Invalid message received: { \"foo\" : \"bar\" }".into(),
            }),
        );
        let interrupt = cr::Inbound::Interrupt(cr::Interrupt {
            utterance_until_interrupt: "Life is a complex set of".into(),
            duration_until_interrupt_ms: 460,
        });
        round_trip(
            json!({ "type": "interrupt", "utteranceUntilInterrupt": "Life is a complex set of", "durationUntilInterruptMs": 460 }),
            &interrupt,
        );
        // Twilio's examples have also written the duration as a string.
        let as_string = json!({ "type": "interrupt", "utteranceUntilInterrupt": "Life is a complex set of", "durationUntilInterruptMs": "460" });
        assert_eq!(serde_json::from_value::<cr::Inbound>(as_string).unwrap(), interrupt);
    }

    #[test]
    fn conversation_relay_outbound_messages() {
        round_trip(
            json!({ "type": "text", "token": "Ahoy! How can I help you today?", "last": true }),
            &cr::Outbound::Text(cr::Text::new("Ahoy! How can I help you today?", true)),
        );
        let mut text = cr::Text::new("Bonjour", false);
        text.lang = Some("fr-FR".into());
        text.interruptible = Some(false);
        text.preemptible = Some(true);
        round_trip(
            json!({ "type": "text", "token": "Bonjour", "last": false, "lang": "fr-FR", "interruptible": false, "preemptible": true }),
            &cr::Outbound::Text(text),
        );
        let mut play = cr::Play::new("https://api.twilio.com/cowbell.mp3");
        play.loop_count = Some(1);
        play.preemptible = Some(false);
        play.interruptible = Some(true);
        round_trip(
            json!({ "type": "play", "source": "https://api.twilio.com/cowbell.mp3", "loop": 1, "preemptible": false, "interruptible": true }),
            &cr::Outbound::Play(play),
        );
        round_trip(
            json!({ "type": "sendDigits", "digits": "9www4085551212" }),
            &cr::Outbound::SendDigits(cr::SendDigits::new("9www4085551212")),
        );
        round_trip(
            json!({ "type": "language", "ttsLanguage": "fr-FR", "transcriptionLanguage": "fr-FR" }),
            &cr::Outbound::Language(cr::Language::both("fr-FR")),
        );
        let handoff =
            r#"{"reasonCode":"live-agent-handoff","reason":"The caller requested to talk to a real person"}"#;
        round_trip(
            json!({ "type": "end", "handoffData": handoff }),
            &cr::Outbound::End(cr::End::with_handoff_data(handoff)),
        );
        round_trip(json!({ "type": "end" }), &cr::Outbound::End(cr::End::default()));
    }

    #[test]
    fn conversation_relay_unknown_types_do_not_fail_but_bad_known_ones_do() {
        let unknown = json!({ "type": "agentThoughts", "text": "hmm" });
        assert_eq!(serde_json::from_value::<cr::Inbound>(unknown).unwrap(), cr::Inbound::Unknown);
        assert!(serde_json::to_string(&cr::Inbound::Unknown).is_err());
        // A known type without its required field, and a message without a type, are errors.
        assert!(serde_json::from_value::<cr::Inbound>(json!({ "type": "dtmf" })).is_err());
        assert!(serde_json::from_value::<cr::Inbound>(json!({ "digit": "1" })).is_err());
        // `last` defaults to true when absent (older sessions without partial prompts).
        let prompt =
            serde_json::from_value::<cr::Inbound>(json!({ "type": "prompt", "voicePrompt": "hi" })).unwrap();
        assert!(matches!(prompt, cr::Inbound::Prompt(cr::Prompt { last: true, lang: None, .. })));
    }

    #[test]
    fn media_streams_inbound_messages() {
        round_trip(
            json!({ "event": "connected", "protocol": "Call", "version": "1.0.0" }),
            &ms::Inbound::Connected(ms::Connected { protocol: "Call".into(), version: "1.0.0".into() }),
        );
        round_trip(
            json!({
                "event": "start",
                "sequenceNumber": "1",
                "start": {
                    "accountSid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                    "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                    "callSid": "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                    "tracks": ["inbound", "outbound"],
                    "customParameters": { "FirstName": "Jane", "LastName": "Doe", "RemoteParty": "Bob" },
                    "mediaFormat": { "encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1 }
                },
                "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
            }),
            &ms::Inbound::Start(ms::Start {
                sequence_number: 1,
                start: ms::StreamMetadata {
                    account_sid: "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".into(),
                    stream_sid: "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".into(),
                    call_sid: "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".into(),
                    tracks: vec!["inbound".into(), "outbound".into()],
                    custom_parameters: [("FirstName", "Jane"), ("LastName", "Doe"), ("RemoteParty", "Bob")]
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .into(),
                    media_format: ms::MediaFormat {
                        encoding: "audio/x-mulaw".into(),
                        sample_rate: 8000,
                        channels: 1,
                    },
                },
                stream_sid: "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".into(),
            }),
        );
        let payload = "no+JhoaJjpzSHxAKBgYJDhtEopGKh4aIjZm7JhILBwYIDRg1qZ+LiIaIjZOq";
        let media = ms::Media {
            sequence_number: 3,
            media: ms::MediaChunk {
                track: "outbound".into(),
                chunk: 1,
                timestamp: 5,
                payload: payload.into(),
            },
            stream_sid: "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".into(),
        };
        round_trip(
            json!({
                "event": "media",
                "sequenceNumber": "3",
                "media": { "track": "outbound", "chunk": "1", "timestamp": "5", "payload": payload },
                "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
            }),
            &ms::Inbound::Media(media.clone()),
        );
        let audio = media.media.audio().unwrap();
        assert_eq!((audio.len(), audio[0], audio[1]), (45, 0x9e, 0x8f));
        round_trip(
            json!({
                "event": "dtmf",
                "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                "sequenceNumber": "5",
                "dtmf": { "track": "inbound_track", "digit": "1" }
            }),
            &ms::Inbound::Dtmf(ms::Dtmf {
                stream_sid: "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".into(),
                sequence_number: 5,
                dtmf: ms::DtmfDigit { track: "inbound_track".into(), digit: "1".into() },
            }),
        );
        round_trip(
            json!({
                "event": "mark",
                "sequenceNumber": "4",
                "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                "mark": { "name": "my label" }
            }),
            &ms::Inbound::Mark(ms::Mark {
                sequence_number: 4,
                stream_sid: "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".into(),
                mark: ms::MarkName { name: "my label".into() },
            }),
        );
        round_trip(
            json!({
                "event": "stop",
                "sequenceNumber": "5",
                "stop": { "accountSid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "callSid": "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" },
                "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
            }),
            &ms::Inbound::Stop(ms::Stop {
                sequence_number: 5,
                stop: ms::StopMetadata {
                    account_sid: "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".into(),
                    call_sid: "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".into(),
                },
                stream_sid: "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".into(),
            }),
        );
    }

    #[test]
    fn media_streams_outbound_messages() {
        let sid = "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";
        let audio = [0x7f_u8, 0xff, 0x00, 0x10];
        round_trip(
            json!({ "event": "media", "streamSid": sid, "media": { "payload": "f/8AEA==" } }),
            &ms::Outbound::Media(ms::OutboundMedia::new(sid, &audio)),
        );
        round_trip(
            json!({ "event": "mark", "streamSid": sid, "mark": { "name": "my label" } }),
            &ms::Outbound::Mark(ms::OutboundMark::new(sid, "my label")),
        );
        round_trip(json!({ "event": "clear", "streamSid": sid }), &ms::Outbound::Clear(ms::Clear::new(sid)));
    }

    #[test]
    fn media_streams_numbers_unknown_events_and_bad_payloads() {
        // Numbers are read from strings or numbers; anything else is an error.
        let mark = |n: Value| json!({ "event": "mark", "sequenceNumber": n, "streamSid": "MZ1", "mark": { "name": "a" } });
        for n in [json!("4"), json!(4)] {
            let ms::Inbound::Mark(m) = serde_json::from_value(mark(n)).unwrap() else { panic!("not a mark") };
            assert_eq!(m.sequence_number, 4);
        }
        for n in [json!("four"), json!(-4), json!("-4"), json!(4.5), json!(null)] {
            assert!(serde_json::from_value::<ms::Inbound>(mark(n.clone())).is_err(), "{n}");
        }
        let unknown = json!({ "event": "transcript", "streamSid": "MZ1", "text": "hello" });
        assert_eq!(serde_json::from_value::<ms::Inbound>(unknown).unwrap(), ms::Inbound::Unknown);
        let chunk =
            ms::MediaChunk { track: "inbound".into(), chunk: 1, timestamp: 0, payload: "not base64!".into() };
        assert_eq!(chunk.audio(), None);
    }
}
