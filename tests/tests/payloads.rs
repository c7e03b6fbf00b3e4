//! The typed payloads of `rocket_twilio::webhooks` over real HTTP: a Rocket server whose validated routes
//! take `Form<IncomingMessage<'_>>`, `Form<IncomingCall<'_>>`… on a loopback port, and requests signed by
//! the official twilio-python 9.13.0 `RequestValidator` and sent by Python's `requests`.
//!
//! Each route answers with what its handler parsed: the payload serialized as JSON (typed: numbers,
//! booleans, `null` for `None`) and its `Debug` text (which tells `MessageStatus::Delivered` from
//! `MessageStatus::Other("…")`). Refusals answer with their status and the reason the guard recorded.
//!
//! The payloads follow Twilio's webhook documentation (parameter tables and examples) and the "authentic"
//! voice and SMS requests of twilio-ruby's historic test suite also used in `interop_example.rs`.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Debug;
use std::sync::OnceLock;

use rocket::form::{Form, Strict};
use rocket::http::Status;
use rocket::serde::Serialize;
use rocket::{catch, catchers, post, routes, Request};
use rocket_twilio::webhooks::{
    CallStatusCallback, IncomingCall, IncomingMessage, MessageStatusCallback, RecordingStatusCallback,
};
use rocket_twilio::{validate_twilio_request, Twilio, TwilioError};
use rocket_twilio_tests::{interop, server};
use serde_json::{json, Value};

const TOKEN: &str = "payloads-token-0123456789abcdef";

/// What a handler parsed: `{"payload": <the payload as JSON>, "debug": "<its Debug text>"}`.
fn parsed<T: Serialize + Debug>(payload: &T) -> String {
    json!({ "payload": payload, "debug": format!("{payload:?}") }).to_string()
}

#[validate_twilio_request]
#[post("/message", data = "<message>")]
fn message(message: Form<IncomingMessage<'_>>) -> String {
    parsed(&*message)
}

#[validate_twilio_request]
#[post("/message/strict", data = "<message>")]
fn message_strict(message: Form<Strict<IncomingMessage<'_>>>) -> String {
    parsed(&message.into_inner().into_inner())
}

#[validate_twilio_request]
#[post("/message/status", data = "<callback>")]
fn message_status(callback: Form<MessageStatusCallback<'_>>) -> String {
    parsed(&*callback)
}

#[validate_twilio_request]
#[post("/voice", data = "<call>")]
fn voice(call: Form<IncomingCall<'_>>) -> String {
    parsed(&*call)
}

#[validate_twilio_request]
#[post("/voice/status", data = "<callback>")]
fn call_status(callback: Form<CallStatusCallback<'_>>) -> String {
    parsed(&*callback)
}

#[validate_twilio_request]
#[post("/voice/recording", data = "<callback>")]
fn recording_status(callback: Form<RecordingStatusCallback<'_>>) -> String {
    parsed(&*callback)
}

/// Refusals: the status and the reason the guard recorded (e.g. the form parser's message).
#[catch(default)]
fn refused(status: Status, req: &Request<'_>) -> String {
    match TwilioError::of(req) {
        Some(e) => format!("{} {}", status.code, e.reason()),
        None => format!("{} not from the Twilio guard", status.code),
    }
}

fn base() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let figment = server::quiet_config().merge(("twilio.auth_token", TOKEN));
        let rocket =
            rocket::custom(figment).attach(Twilio::fairing()).register("/", catchers![refused]).mount(
                "/",
                routes![message, message_strict, message_status, voice, call_status, recording_status],
            );
        format!("http://{}", server::serve(rocket))
    })
}

/// A case for the Python client: a signed form POST of `params` to `path`.
fn case(name: &str, path: &str, params: &[(&str, &str)]) -> Value {
    json!({ "name": name, "method": "POST", "url": format!("{}{path}", base()), "params": params })
}

/// What the server answered to each case, by name.
struct Answers(HashMap<String, interop::Answer>);

impl Answers {
    /// Has twilio-python sign and send the cases.
    fn of(cases: Vec<Value>) -> Self {
        Answers(interop::sign_and_send(interop::Signer::Python, TOKEN, &Value::Array(cases)))
    }

    /// The parsed payload of an accepted case, and its `Debug` text.
    fn ok(&self, name: &str) -> (Value, String) {
        let answer = &self.0[name];
        assert_eq!(answer.status, 200, "{name}: {}", answer.body);
        let mut body: Value = serde_json::from_str(&answer.body).expect("the handler answers JSON");
        (body["payload"].take(), body["debug"].as_str().expect("debug text").to_owned())
    }

    /// The status and reason of a refused case.
    fn refused(&self, name: &str) -> (u16, &str) {
        let answer = &self.0[name];
        (answer.status, answer.body.as_str())
    }
}

/// `MessageSid` → `message_sid`: the naming rule of the payload fields.
fn snake_case(param: &str) -> String {
    let mut out = String::new();
    for (i, c) in param.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The authentic SMS request (twilio-ruby's suite, as in `interop_example.rs`), plus `extra`.
fn sms<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut params = vec![
        ("AccountSid", "ACba8bc05eacf94afdae398e642c9cc32d"),
        ("ApiVersion", "2010-04-01"),
        ("Body", "Ahoy! We can't wait to see what you build."),
        ("From", "+14159354345"),
        ("FromCity", "SAN FRANCISCO"),
        ("FromCountry", "US"),
        ("FromState", "CA"),
        ("FromZip", "94107"),
        ("MessageSid", "SM2003cbd5e6a3701999aa3e5f20ff2787"),
        ("MessagingServiceSid", "MG9752274e9e519418a7406176694466fa"),
        ("NumMedia", "0"),
        ("NumSegments", "1"),
        ("SmsMessageSid", "SM2003cbd5e6a3701999aa3e5f20ff2787"),
        ("SmsSid", "SM2003cbd5e6a3701999aa3e5f20ff2787"),
        ("SmsStatus", "received"),
        ("To", "+14158141819"),
        ("ToCity", "SAN FRANCISCO"),
        ("ToCountry", "US"),
        ("ToState", "CA"),
        ("ToZip", "94105"),
    ];
    for &(name, value) in extra {
        match params.iter_mut().find(|(n, _)| *n == name) {
            Some(param) => param.1 = value,
            None => params.push((name, value)),
        }
    }
    params
}

/// The standard parameters of a voice request (twilio-ruby's authentic incoming call), plus `extra`.
fn call<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut params = vec![
        ("AccountSid", "ACba8bc05eacf94afdae398e642c9cc32d"),
        ("ApiVersion", "2010-04-01"),
        ("CallSid", "CA136d09cd59a3c0ec8dbff44da5c03f31"),
        ("CallStatus", "in-progress"),
        ("Called", "+14157669926"),
        ("Caller", "+14153595711"),
        ("Direction", "inbound"),
        ("From", "+14153595711"),
        ("FromCity", "SAN FRANCISCO"),
        ("FromCountry", "US"),
        ("FromState", "CA"),
        ("FromZip", "94108"),
        ("To", "+14157669926"),
        ("ToCity", ""),
        ("ToCountry", "US"),
        ("ToState", "California"),
        ("ToZip", ""),
    ];
    for &(name, value) in extra {
        match params.iter_mut().find(|(n, _)| *n == name) {
            Some(param) => param.1 = value,
            None => params.push((name, value)),
        }
    }
    params
}

#[test]
fn mms_with_two_media_items() {
    let media0 = "https://api.twilio.com/2010-04-01/Accounts/ACba8bc05eacf94afdae398e642c9cc32d/Messages/MM800f449d0399ed014aae2bcc0cc2f2ec/Media/ME7cb6bca8bfa8e1ad2b6d6d0e76a6a1b3";
    let media1 = "https://api.twilio.com/2010-04-01/Accounts/ACba8bc05eacf94afdae398e642c9cc32d/Messages/MM800f449d0399ed014aae2bcc0cc2f2ec/Media/ME2f4cb4b5b5d1a4d8e3e0c8f1a5b6c7d8";
    let params = sms(&[
        ("MessageSid", "MM800f449d0399ed014aae2bcc0cc2f2ec"),
        ("SmsMessageSid", "MM800f449d0399ed014aae2bcc0cc2f2ec"),
        ("SmsSid", "MM800f449d0399ed014aae2bcc0cc2f2ec"),
        ("Body", "Two pictures 📷"),
        ("NumMedia", "2"),
        ("MediaContentType0", "image/jpeg"),
        ("MediaUrl0", media0),
        ("MediaContentType1", "image/png"),
        ("MediaUrl1", media1),
    ]);
    let answers = Answers::of(vec![case("mms", "/message", &params)]);
    let (message, debug) = answers.ok("mms");
    assert_eq!(message["message_sid"], "MM800f449d0399ed014aae2bcc0cc2f2ec");
    assert_eq!(message["body"], "Two pictures 📷");
    assert_eq!(message["num_media"], 2);
    assert_eq!(
        message["media"],
        json!([{ "url": media0, "content_type": "image/jpeg" }, { "url": media1, "content_type": "image/png" }])
    );
    assert_eq!((&message["from"], &message["from_city"]), (&json!("+14159354345"), &json!("SAN FRANCISCO")));
    assert!(debug.contains("sms_status: Some(Received)"), "{debug}");
}

#[test]
fn whatsapp_messages() {
    // A quick-reply button tapped in reply to a template (the parameters of Twilio's WhatsApp webhook).
    let button = [
        ("AccountSid", "ACba8bc05eacf94afdae398e642c9cc32d"),
        ("ApiVersion", "2010-04-01"),
        ("Body", "Antworten"),
        ("ButtonPayload", "Antworten-Payload"),
        ("ButtonText", "Antworten"),
        ("From", "whatsapp:+491511234567"),
        ("MessageSid", "SM257d0529a8938251516e56d5ec6ba46c"),
        ("MessageType", "button"),
        ("NumMedia", "0"),
        ("NumSegments", "1"),
        ("OriginalRepliedMessageSender", "whatsapp:+14155238886"),
        ("OriginalRepliedMessageSid", "MM0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
        ("ProfileName", "Matthew Rider"),
        ("ReferralNumMedia", "0"),
        ("SmsMessageSid", "SM257d0529a8938251516e56d5ec6ba46c"),
        ("SmsSid", "SM257d0529a8938251516e56d5ec6ba46c"),
        ("SmsStatus", "received"),
        ("To", "whatsapp:+14155238886"),
        ("WaId", "491511234567"),
    ];
    // A shared location with a picture, from a Click-to-WhatsApp ad.
    let location = [
        ("AccountSid", "ACba8bc05eacf94afdae398e642c9cc32d"),
        ("Address", "1 Ferry Building, San Francisco, CA 94111"),
        ("Body", ""),
        ("From", "whatsapp:+14155550100"),
        ("Label", "Ferry Building"),
        ("Latitude", "37.7955"),
        ("Longitude", "-122.3937"),
        ("MessageSid", "MM9c1d6a4d1a5e3f2b7c8d9e0f1a2b3c4d"),
        ("MessageType", "location"),
        ("NumMedia", "1"),
        ("MediaContentType0", "image/jpeg"),
        ("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/ACba8bc05eacf94afdae398e642c9cc32d/Messages/MM9c1d6a4d1a5e3f2b7c8d9e0f1a2b3c4d/Media/ME1"),
        ("ProfileName", "Ada"),
        ("ReferralBody", "Free delivery in the Bay Area"),
        ("ReferralCtwaClid", "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a"),
        ("ReferralHeadline", "Chat with us"),
        ("ReferralNumMedia", "0"),
        ("ReferralSourceId", "120226305854810726"),
        ("ReferralSourceType", "ad"),
        ("ReferralSourceUrl", "https://fb.me/3cr4Wqqkv"),
        ("To", "whatsapp:+14155238886"),
        ("WaId", "14155550100"),
        ("Forwarded", "true"),
    ];
    let answers =
        Answers::of(vec![case("button", "/message", &button), case("location", "/message", &location)]);

    let (message, _) = answers.ok("button");
    assert_eq!(
        (&message["from"], &message["wa_id"]),
        (&json!("whatsapp:+491511234567"), &json!("491511234567"))
    );
    assert_eq!(
        (&message["button_text"], &message["button_payload"]),
        (&json!("Antworten"), &json!("Antworten-Payload"))
    );
    assert_eq!(message["original_replied_message_sid"], "MM0a1b2c3d4e5f60718293a4b5c6d7e8f9");
    assert_eq!(
        (&message["profile_name"], &message["message_type"]),
        (&json!("Matthew Rider"), &json!("button"))
    );
    assert_eq!((&message["referral_num_media"], &message["forwarded"]), (&json!(0), &Value::Null));
    assert_eq!(message["media"], json!([]));

    let (message, _) = answers.ok("location");
    assert_eq!((&message["latitude"], &message["longitude"]), (&json!(37.7955), &json!(-122.3937)));
    assert_eq!((&message["label"], &message["body"]), (&json!("Ferry Building"), &json!("")));
    assert_eq!(
        (&message["referral_source_type"], &message["referral_headline"]),
        (&json!("ad"), &json!("Chat with us"))
    );
    assert_eq!((&message["forwarded"], &message["frequently_forwarded"]), (&json!(true), &Value::Null));
    assert_eq!(message["media"][0]["content_type"], "image/jpeg");
}

/// An outbound message's callbacks, from `queued` to `delivered` (SMS) or `read` (WhatsApp), and a
/// failed one. `sent` is the example of Twilio's "Track the message status of outbound messages" guide.
#[test]
fn message_status_callback_sequence() {
    let sid = "SM1342fe1b2c904d1ab04f0fc7a58abca9";
    let status = |status: &'static str, extra: &[(&'static str, &'static str)]| {
        let mut params = vec![
            ("AccountSid", "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
            ("From", "+15017250604"),
            ("MessageSid", sid),
            ("MessageStatus", status),
            ("SmsSid", sid),
            ("SmsStatus", status),
        ];
        params.extend_from_slice(extra);
        params
    };
    let cases = vec![
        case(
            "queued",
            "/message/status",
            &status("queued", &[("To", "+15558675310"), ("ApiVersion", "2010-04-01")]),
        ),
        case("sent", "/message/status", &status("sent", &[])),
        case("delivered", "/message/status", &status("delivered", &[("RawDlrDoneDate", "2405301322")])),
        case(
            "undelivered",
            "/message/status",
            &status("undelivered", &[("ErrorCode", "30003"), ("RawDlrDoneDate", "2405301323")]),
        ),
        case(
            "read",
            "/message/status",
            &status(
                "read",
                &[
                    ("ChannelInstallSid", "XEcc20d939f803ee381f2442185d0d5dc5"),
                    ("ChannelPrefix", "whatsapp"),
                    ("EventType", "READ"),
                    ("MessagingServiceSid", "MG9752274e9e519418a7406176694466fa"),
                ],
            ),
        ),
        case(
            "failed",
            "/message/status",
            &status("failed", &[("ErrorCode", "30008"), ("ChannelStatusMessage", "Unknown error")]),
        ),
    ];
    let answers = Answers::of(cases);

    for (name, variant) in [
        ("queued", "Queued"),
        ("sent", "Sent"),
        ("delivered", "Delivered"),
        ("undelivered", "Undelivered"),
        ("read", "Read"),
        ("failed", "Failed"),
    ] {
        let (callback, debug) = answers.ok(name);
        assert_eq!((&callback["message_sid"], &callback["message_status"]), (&json!(sid), &json!(name)));
        assert!(debug.contains(&format!("message_status: {variant},")), "{debug}");
        assert!(debug.contains(&format!("sms_status: Some({variant})")), "{debug}");
    }
    let (queued, _) = answers.ok("queued");
    assert_eq!((&queued["to"], &queued["error_code"]), (&json!("+15558675310"), &Value::Null));
    let (sent, _) = answers.ok("sent");
    assert_eq!((&sent["to"], &sent["api_version"]), (&Value::Null, &Value::Null));
    assert_eq!(answers.ok("delivered").0["raw_dlr_done_date"], "2405301322");
    assert_eq!(answers.ok("undelivered").0["error_code"], 30003);
    let (read, _) = answers.ok("read");
    assert_eq!((&read["event_type"], &read["channel_prefix"]), (&json!("READ"), &json!("whatsapp")));
    let (failed, _) = answers.ok("failed");
    assert_eq!(
        (&failed["error_code"], &failed["channel_status_message"]),
        (&json!(30008), &json!("Unknown error"))
    );
}

/// `<Gather>` action requests: DTMF (the parameters of twilio-python's `RequestValidator` test, plus the
/// standard ones every voice request carries) and speech.
#[test]
fn gather_results() {
    let dtmf = call(&[
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+14158675309"),
        ("Digits", "1234"),
        ("From", "+14158675309"),
        ("To", "+18005551212"),
        ("FinishedOnKey", "#"),
    ]);
    let speech = call(&[
        ("SpeechResult", "I'd like to talk to sales, please."),
        ("Confidence", "0.9335963"),
        ("Language", "en-US"),
    ]);
    let answers = Answers::of(vec![case("dtmf", "/voice", &dtmf), case("speech", "/voice", &speech)]);

    let (gather, debug) = answers.ok("dtmf");
    assert_eq!((&gather["digits"], &gather["finished_on_key"]), (&json!("1234"), &json!("#")));
    assert_eq!((&gather["call_sid"], &gather["from"]), (&json!("CA1234567890ABCDE"), &json!("+14158675309")));
    assert_eq!(gather["speech_result"], Value::Null);
    assert!(debug.contains("call_status: InProgress") && debug.contains("direction: Inbound"), "{debug}");

    let (gather, _) = answers.ok("speech");
    assert_eq!(gather["speech_result"], "I'd like to talk to sales, please.");
    assert_eq!(gather["confidence"], 0.9335963);
    assert_eq!(gather["digits"], Value::Null);
}

/// A `<Record>` action request, then the recording status callbacks of the same recording.
#[test]
fn recording_callbacks() {
    let url = "https://api.twilio.com/2010-04-01/Accounts/ACba8bc05eacf94afdae398e642c9cc32d/Recordings/RE557ce644e5ab84fa21cc21112e22c485";
    let record = call(&[
        ("RecordingUrl", url),
        ("RecordingSid", "RE557ce644e5ab84fa21cc21112e22c485"),
        ("RecordingDuration", "7"),
        ("Digits", "hangup"),
        ("CallStatus", "completed"),
    ]);
    let status = |status: &'static str, extra: &[(&'static str, &'static str)]| {
        let mut params = vec![
            ("AccountSid", "ACba8bc05eacf94afdae398e642c9cc32d"),
            ("CallSid", "CA136d09cd59a3c0ec8dbff44da5c03f31"),
            ("RecordingSid", "RE557ce644e5ab84fa21cc21112e22c485"),
            ("RecordingUrl", url),
            ("RecordingStatus", status),
            ("RecordingStartTime", "Mon, 22 Aug 2022 17:15:21 +0000"),
            ("RecordingSource", "RecordVerb"),
            ("RecordingTrack", "both"),
        ];
        params.extend_from_slice(extra);
        params
    };
    let answers = Answers::of(vec![
        case("record action", "/voice", &record),
        case("in-progress", "/voice/recording", &status("in-progress", &[])),
        case(
            "completed",
            "/voice/recording",
            &status(
                "completed",
                &[("RecordingDuration", "7"), ("RecordingChannels", "1"), ("ErrorCode", "0")],
            ),
        ),
    ]);

    let (action, debug) = answers.ok("record action");
    assert_eq!((&action["recording_url"], &action["recording_duration"]), (&json!(url), &json!(7)));
    assert_eq!(
        (&action["recording_sid"], &action["digits"]),
        (&json!("RE557ce644e5ab84fa21cc21112e22c485"), &json!("hangup"))
    );
    assert!(debug.contains("call_status: Completed"), "{debug}");

    let (callback, debug) = answers.ok("in-progress");
    assert_eq!((&callback["recording_duration"], &callback["conference_sid"]), (&Value::Null, &Value::Null));
    assert!(debug.contains("recording_status: InProgress"), "{debug}");
    let (callback, debug) = answers.ok("completed");
    assert_eq!((&callback["recording_duration"], &callback["recording_channels"]), (&json!(7), &json!(1)));
    assert_eq!((&callback["error_code"], &callback["recording_source"]), (&json!(0), &json!("RecordVerb")));
    assert!(debug.contains("recording_status: Completed"), "{debug}");
}

/// An outbound call's status callbacks, `initiated` to `completed`, each with its sequence number.
#[test]
fn call_status_callback_sequence() {
    let events = [
        ("initiated", "0", "Mon, 16 Aug 2010 03:45:01 +0000", "Initiated"),
        ("ringing", "1", "Mon, 16 Aug 2010 03:45:02 +0000", "Ringing"),
        ("in-progress", "2", "Mon, 16 Aug 2010 03:45:09 +0000", "InProgress"),
        ("completed", "3", "Mon, 16 Aug 2010 03:45:51 +0000", "Completed"),
    ];
    let cases = events
        .iter()
        .map(|&(status, sequence, timestamp, _)| {
            let mut params = call(&[
                ("CallStatus", status),
                ("Direction", "outbound-api"),
                ("From", "+14157669926"),
                ("To", "+14153595711"),
                ("CallbackSource", "call-progress-events"),
                ("SequenceNumber", sequence),
                ("Timestamp", timestamp),
            ]);
            if status == "completed" {
                params.extend([("CallDuration", "42"), ("Duration", "1"), ("SipResponseCode", "200")]);
            }
            case(status, "/voice/status", &params)
        })
        .collect();
    let answers = Answers::of(cases);
    for (status, sequence, timestamp, variant) in events {
        let (callback, debug) = answers.ok(status);
        assert_eq!(callback["call_status"], status);
        assert_eq!(callback["sequence_number"], sequence.parse::<u32>().unwrap());
        assert_eq!(
            (&callback["timestamp"], &callback["callback_source"]),
            (&json!(timestamp), &json!("call-progress-events"))
        );
        assert!(debug.contains(&format!("call_status: {variant},")), "{debug}");
        assert!(debug.contains("direction: OutboundApi"), "{debug}");
    }
    let (completed, _) = answers.ok("completed");
    assert_eq!((&completed["call_duration"], &completed["sip_response_code"]), (&json!(42), &json!(200)));
    assert_eq!(answers.ok("ringing").0["call_duration"], Value::Null);
}

/// Sends every documented parameter of a payload type, each with a value of its type, and checks that
/// each comes back in the field named after it (the snake_case of the parameter), with its typed value,
/// and that the type has no field the list does not cover.
fn round_trip(
    path: &str,
    fields: &[(&str, &str, Value)],
    extra: &[(&str, &str)],
    extra_fields: &[(&str, Value)],
) {
    let params: Vec<(&str, &str)> =
        fields.iter().map(|&(p, v, _)| (p, v)).chain(extra.iter().copied()).collect();
    let answers = Answers::of(vec![case(path, path, &params)]);
    let (payload, _) = answers.ok(path);
    for (param, _, expected) in fields {
        assert_eq!(&payload[snake_case(param)], expected, "{path}: {param}");
    }
    for (field, expected) in extra_fields {
        assert_eq!(&payload[field], expected, "{path}: {field}");
    }
    let sent: BTreeSet<String> = fields
        .iter()
        .map(|(p, _, _)| snake_case(p))
        .chain(extra_fields.iter().map(|(f, _)| f.to_string()))
        .collect();
    let parsed: BTreeSet<String> = payload.as_object().expect("an object").keys().cloned().collect();
    assert_eq!(parsed, sent, "{path}: the fields of the type are the parameters sent");
}

/// `(parameter, value sent, value parsed)` for string parameters sent as themselves.
fn text<'a>(params: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str, Value)> {
    params.iter().map(|&(p, v)| (p, v, json!(v))).collect()
}

#[test]
fn every_documented_field_round_trips() {
    let mut message = text(&[
        ("MessageSid", "MMa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("SmsSid", "MMa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("SmsMessageSid", "MMa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("AccountSid", "ACa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("MessagingServiceSid", "MGa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("From", "whatsapp:+14155550100"),
        ("To", "whatsapp:+14155550199"),
        ("Body", "Ahoy 👋 & a=b + c %20 <Message>"),
        ("ApiVersion", "2010-04-01"),
        ("MessageType", "image"),
        ("FromCity", "OAKLAND"),
        ("FromState", "CA"),
        ("FromZip", "94612"),
        ("FromCountry", "US"),
        ("ToCity", "SAN FRANCISCO"),
        ("ToState", "California"),
        ("ToZip", "94105"),
        ("ToCountry", "GB"),
        ("ProfileName", "Ada Lovelace"),
        ("WaId", "14155550100"),
        ("ButtonText", "Yes please"),
        ("ButtonPayload", "yes-payload"),
        ("OriginalRepliedMessageSender", "whatsapp:+14155550199"),
        ("OriginalRepliedMessageSid", "SMa1b2c3d4e5f60718293a4b5c6d7e8f91"),
        ("Address", "1 Ferry Building"),
        ("Label", "Ferry Building"),
        ("ReferralBody", "Free delivery"),
        ("ReferralHeadline", "Chat with us"),
        ("ReferralSourceId", "120226305854810726"),
        ("ReferralSourceType", "post"),
        ("ReferralSourceUrl", "https://fb.me/3cr4Wqqkv"),
        ("ReferralMediaId", "1234567890"),
        ("ReferralMediaContentType", "video/mp4"),
        ("ReferralMediaUrl", "https://scontent.example/ad.mp4"),
        ("ReferralCtwaClid", "ARAkLkA8rmlFeiCktEJQ"),
    ]);
    message.extend([
        ("NumMedia", "1", json!(1)),
        ("NumSegments", "3", json!(3)),
        ("SmsStatus", "received", json!("received")),
        ("Forwarded", "true", json!(true)),
        ("FrequentlyForwarded", "false", json!(false)),
        ("Latitude", "37.7955", json!(37.7955)),
        ("Longitude", "-122.3937", json!(-122.3937)),
        ("ReferralNumMedia", "1", json!(1)),
    ]);
    round_trip(
        "/message",
        &message,
        &[("MediaUrl0", "https://api.twilio.com/m/ME1"), ("MediaContentType0", "image/gif")],
        &[("media", json!([{ "url": "https://api.twilio.com/m/ME1", "content_type": "image/gif" }]))],
    );

    let mut status = text(&[
        ("MessageSid", "SMa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("AccountSid", "ACa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("SmsSid", "SMa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("From", "+15017250604"),
        ("To", "+15558675310"),
        ("ApiVersion", "2010-04-01"),
        ("MessagingServiceSid", "MGa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("ErrorMessage", "Unreachable destination handset"),
        ("RawDlrDoneDate", "2405301322"),
        ("ChannelInstallSid", "XEa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("ChannelStatusMessage", "Message failed to send"),
        ("ChannelPrefix", "whatsapp"),
        ("EventType", "DELIVERED"),
    ]);
    status.extend([
        ("MessageStatus", "undelivered", json!("undelivered")),
        ("SmsStatus", "undelivered", json!("undelivered")),
        ("ErrorCode", "30003", json!(30003)),
    ]);
    round_trip("/message/status", &status, &[], &[]);

    let mut voice = text(&[
        ("CallSid", "CAa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("AccountSid", "ACa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("From", "sip:alice@example.com"),
        ("To", "+14155550199"),
        ("ApiVersion", "2010-04-01"),
        ("ApplicationSid", "APa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("ForwardedFrom", "+14155550111"),
        ("CallerName", "LOVELACE ADA"),
        ("ParentCallSid", "CAa1b2c3d4e5f60718293a4b5c6d7e8f91"),
        ("CallToken", "%7B%22parentCallInfoToken%22%3A%22eyJ%22%7D"),
        ("Caller", "sip:alice@example.com"),
        ("Called", "+14155550199"),
        ("StirVerstat", "TN-Validation-Passed-A"),
        ("FromCity", "OAKLAND"),
        ("FromState", "CA"),
        ("FromZip", "94612"),
        ("FromCountry", "US"),
        ("ToCity", "SAN FRANCISCO"),
        ("ToState", "CA"),
        ("ToZip", "94105"),
        ("ToCountry", "US"),
        ("Digits", "*1#"),
        ("FinishedOnKey", "#"),
        ("SpeechResult", "Sales, please."),
        ("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1"),
        ("RecordingSid", "REa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("TranscriptionSid", "TRa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("TranscriptionText", "Hello, this is Ada."),
        ("TranscriptionUrl", "https://api.twilio.com/2010-04-01/Accounts/AC1/Transcriptions/TR1"),
        ("DialCallSid", "CAa1b2c3d4e5f60718293a4b5c6d7e8f92"),
        ("SipDomain", "example.sip.twilio.com"),
        ("SipDomainSid", "SDa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("SipCallId", "a84b4c76e66710@pc33.example.com"),
        ("SipSourceIp", "203.0.113.7"),
    ]);
    voice.extend([
        ("CallStatus", "in-progress", json!("in-progress")),
        ("Direction", "inbound", json!("inbound")),
        ("Confidence", "0.87", json!(0.87)),
        ("RecordingDuration", "12", json!(12)),
        ("TranscriptionStatus", "completed", json!("completed")),
        ("DialCallStatus", "no-answer", json!("no-answer")),
        ("DialCallDuration", "0", json!(0)),
        ("DialBridged", "false", json!(false)),
        ("SipResponseCode", "487", json!(487)),
        ("AnsweredBy", "machine_end_beep", json!("machine_end_beep")),
        ("MachineDetectionDuration", "4321", json!(4321)),
    ]);
    round_trip("/voice", &voice, &[("SipHeader_X-Customer-Id", "42")], &[]);

    let mut call_status = text(&[
        ("CallSid", "CAa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("AccountSid", "ACa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("From", "+14155550100"),
        ("To", "client:ada"),
        ("ApiVersion", "2010-04-01"),
        ("ForwardedFrom", "+14155550111"),
        ("CallerName", "LOVELACE ADA"),
        ("ParentCallSid", "CAa1b2c3d4e5f60718293a4b5c6d7e8f91"),
        ("Caller", "+14155550100"),
        ("Called", "client:ada"),
        ("FromCity", "OAKLAND"),
        ("FromState", "CA"),
        ("FromZip", "94612"),
        ("FromCountry", "US"),
        ("ToCity", ""),
        ("ToState", ""),
        ("ToZip", ""),
        ("ToCountry", ""),
        ("Timestamp", "Tue, 30 Jul 2024 09:00:03 +0000"),
        ("CallbackSource", "call-progress-events"),
        ("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE2"),
        ("RecordingSid", "REa1b2c3d4e5f60718293a4b5c6d7e8f91"),
    ]);
    call_status.extend([
        ("CallStatus", "completed", json!("completed")),
        ("Direction", "outbound-dial", json!("outbound-dial")),
        ("CallDuration", "61", json!(61)),
        ("SequenceNumber", "3", json!(3)),
        ("SipResponseCode", "200", json!(200)),
        ("RecordingDuration", "60", json!(60)),
        ("AnsweredBy", "human", json!("human")),
        ("MachineDetectionDuration", "1200", json!(1200)),
    ]);
    round_trip("/voice/status", &call_status, &[], &[]);

    let mut recording = text(&[
        ("AccountSid", "ACa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("CallSid", "CAa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("ConferenceSid", "CFa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("RecordingSid", "REa1b2c3d4e5f60718293a4b5c6d7e8f90"),
        ("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE3"),
        ("RecordingStartTime", "Tue, 30 Jul 2024 09:00:03 +0000"),
        ("RecordingSource", "StartConferenceRecordingAPI"),
        ("RecordingTrack", "both"),
    ]);
    recording.extend([
        ("RecordingStatus", "failed", json!("failed")),
        ("RecordingDuration", "0", json!(0)),
        ("RecordingChannels", "2", json!(2)),
        ("ErrorCode", "13617", json!(13617)),
    ]);
    round_trip("/voice/recording", &recording, &[], &[]);
}

#[test]
fn unknown_statuses_and_parameters_are_accepted() {
    let future_sms = sms(&[("SomeFutureParameter", "x"), ("SmsStatus", "received-by-hologram")]);
    let future_status = [
        ("AccountSid", "ACba8bc05eacf94afdae398e642c9cc32d"),
        ("MessageSid", "SM1342fe1b2c904d1ab04f0fc7a58abca9"),
        ("MessageStatus", "teleported"),
        ("ChannelTeleporterSid", "TPa1b2c3"),
    ];
    let future_call = call(&[
        ("CallStatus", "on-hold"),
        ("Direction", "outbound-sideways"),
        ("AnsweredBy", "robot_butler"),
    ]);
    let answers = Answers::of(vec![
        case("sms", "/message", &future_sms),
        case("status", "/message/status", &future_status),
        case("call", "/voice", &future_call),
        case("strict", "/message/strict", &future_sms),
        case("strict, known parameters only", "/message/strict", &sms(&[])),
    ]);

    let (message, debug) = answers.ok("sms");
    assert_eq!(message["sms_status"], "received-by-hologram");
    assert!(debug.contains(r#"sms_status: Some(Other("received-by-hologram"))"#), "{debug}");
    assert!(!message.to_string().contains("SomeFutureParameter"));
    let (callback, debug) = answers.ok("status");
    assert_eq!(callback["message_status"], "teleported");
    assert!(debug.contains(r#"message_status: Other("teleported")"#), "{debug}");
    let (_, debug) = answers.ok("call");
    for kept in [
        r#"call_status: Other("on-hold")"#,
        r#"direction: Other("outbound-sideways")"#,
        r#"answered_by: Some(Other("robot_butler"))"#,
    ] {
        assert!(debug.contains(kept), "{debug}");
    }

    // `Strict` refuses the unknown parameter (after the signature was checked), and only that.
    // (Rocket's message for an unexpected field does not name it; the unit tests check the error's name.)
    assert_eq!(answers.refused("strict"), (422, "422 invalid body: SomeFutureParameter: unexpected"));
    answers.ok("strict, known parameters only");
}

#[test]
fn num_media_inconsistent_with_the_media_is_422() {
    let url = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME";
    let cases = vec![
        case(
            "one missing",
            "/message",
            &sms(&[("NumMedia", "2"), ("MediaUrl0", url), ("MediaContentType0", "image/jpeg")]),
        ),
        case(
            "one more than announced",
            "/message",
            &sms(&[
                ("NumMedia", "1"),
                ("MediaUrl0", url),
                ("MediaContentType0", "image/jpeg"),
                ("MediaUrl1", url),
                ("MediaContentType1", "image/png"),
            ]),
        ),
        case(
            "a type without its URL",
            "/message",
            &sms(&[("NumMedia", "1"), ("MediaContentType0", "image/jpeg")]),
        ),
        case(
            "media without NumMedia",
            "/message",
            &sms(&[("MediaUrl0", url), ("MediaContentType0", "image/jpeg")])
                .into_iter()
                .filter(|(n, _)| *n != "NumMedia")
                .collect::<Vec<_>>(),
        ),
        case("NumMedia not a number", "/message", &sms(&[("NumMedia", "a few")])),
        case(
            "a huge NumMedia",
            "/message",
            &sms(&[("NumMedia", "4294967295"), ("MediaUrl0", url), ("MediaContentType0", "image/jpeg")]),
        ),
    ];
    let mut unsigned = case(
        "one missing, unsigned",
        "/message",
        &sms(&[("NumMedia", "2"), ("MediaUrl0", url), ("MediaContentType0", "image/jpeg")]),
    );
    unsigned["signature"] = Value::Null;
    let answers = Answers::of(cases.into_iter().chain([unsigned]).collect());

    let refused = |name: &str, reasons: &[&str]| {
        let (status, body) = answers.refused(name);
        assert_eq!(status, 422, "{name}: {body}");
        for reason in reasons {
            assert!(body.contains(reason), "{name}: {body}");
        }
    };
    refused(
        "one missing",
        &["NumMedia is 2 but MediaUrl1 is missing", "NumMedia is 2 but MediaContentType1 is missing"],
    );
    refused(
        "one more than announced",
        &["NumMedia is 1 but MediaUrl1 is sent", "NumMedia is 1 but MediaContentType1 is sent"],
    );
    refused("a type without its URL", &["NumMedia is 1 but MediaUrl0 is missing"]);
    refused("media without NumMedia", &["MediaUrl0 is sent without NumMedia", "missing"]);
    refused("NumMedia not a number", &["invalid integer"]);
    refused("a huge NumMedia", &["NumMedia is 4294967295 but MediaUrl1 is missing"]);
    // The signature is checked first: an unsigned request is a 403 whatever its body.
    assert_eq!(answers.refused("one missing, unsigned").0, 403);
}
