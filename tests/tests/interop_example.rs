//! Interoperability: the example server (`cargo run`) on a loopback port, called by clients nobody here
//! wrote. The official twilio-python 9.13.0 and twilio-node 6.2.0 libraries sign realistic Twilio voice,
//! SMS, GET and JSON webhooks; Python's `requests` and Node's `fetch` send them. Genuine requests get 200
//! with the right TwiML; tampered or unsigned ones get 403.

use std::collections::HashMap;

use rocket_twilio_tests::interop::{sign_and_send, Answer, Signer};
use rocket_twilio_tests::server;
use serde_json::{json, Value};

const TOKEN: &str = "2bd9e9638872de601313dc77410d3b23";

/// The parameters of an incoming call, as Twilio sends them (the "authentic" voice request of
/// twilio-ruby's historic test suite, with the fields Twilio added since).
fn voice_params(from: &str) -> Value {
    json!([
        ["AccountSid", "ACba8bc05eacf94afdae398e642c9cc32d"],
        ["ApiVersion", "2010-04-01"],
        ["ApplicationSid", "AP44efecad51364e80b133bb7c07eb8204"],
        ["CallSid", "CA136d09cd59a3c0ec8dbff44da5c03f31"],
        ["CallStatus", "ringing"],
        ["Called", "+14157669926"],
        ["CalledCity", ""],
        ["CalledCountry", "US"],
        ["CalledState", "California"],
        ["CalledZip", ""],
        ["Caller", from],
        ["CallerCity", "SAN FRANCISCO"],
        ["CallerCountry", "US"],
        ["CallerState", "CA"],
        ["CallerZip", "94108"],
        ["Direction", "inbound"],
        ["From", from],
        ["FromCity", "SAN FRANCISCO"],
        ["FromCountry", "US"],
        ["FromState", "CA"],
        ["FromZip", "94108"],
        ["StirVerstat", "TN-Validation-Passed-A"],
        ["To", "+14157669926"],
        ["ToCity", ""],
        ["ToCountry", "US"],
        ["ToState", "California"],
        ["ToZip", ""]
    ])
}

/// The parameters of an incoming SMS, as Twilio sends them.
fn sms_params(body: &str) -> Value {
    json!([
        ["AccountSid", "ACba8bc05eacf94afdae398e642c9cc32d"],
        ["ApiVersion", "2010-04-01"],
        ["Body", body],
        ["From", "+14159354345"],
        ["FromCity", "SAN FRANCISCO"],
        ["FromCountry", "US"],
        ["FromState", "CA"],
        ["FromZip", "94107"],
        ["MessageSid", "SM2003cbd5e6a3701999aa3e5f20ff2787"],
        ["MessagingServiceSid", "MG9752274e9e519418a7406176694466fa"],
        ["NumMedia", "0"],
        ["NumSegments", "1"],
        ["SmsMessageSid", "SM2003cbd5e6a3701999aa3e5f20ff2787"],
        ["SmsSid", "SM2003cbd5e6a3701999aa3e5f20ff2787"],
        ["SmsStatus", "received"],
        ["To", "+14158141819"],
        ["ToCity", "SAN FRANCISCO"],
        ["ToCountry", "US"],
        ["ToState", "CA"],
        ["ToZip", "94105"]
    ])
}

fn twiml(inner: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>{inner}</Response>")
}

/// An SMS body with an emoji (one character, four bytes) and TwiML-looking text.
const SMS_BODY: &str = "Ahoy 👋 </Message><Dial>+1900</Dial><Message> & more";

fn cases(base: &str) -> Value {
    let body = SMS_BODY;
    json!([
        { "name": "voice", "method": "POST", "url": format!("{base}/voice"), "params": voice_params("+14153595711") },
        { "name": "message", "method": "POST", "url": format!("{base}/message"), "params": sms_params(body) },
        { "name": "voice over GET", "method": "GET",
          "url": format!("{base}/voice?AccountSid=ACba8bc05eacf94afdae398e642c9cc32d&CallSid=CA1&From=%2B14155550100&To=%2B14157669926") },
        { "name": "events (JSON)", "method": "POST", "url": format!("{base}/events"),
          "json": "[{\"specversion\":\"1.0\",\"type\":\"com.twilio.messaging.message.delivered\",\"data\":{\"to\":\"+1415\"}}]" },

        { "name": "voice, caller changed", "method": "POST", "url": format!("{base}/voice"),
          "params": voice_params("+19005550199"), "sign_params": voice_params("+14153595711") },
        { "name": "message, body changed", "method": "POST", "url": format!("{base}/message"),
          "params": sms_params("send me money"), "sign_params": sms_params(body) },
        { "name": "voice over GET, query changed", "method": "GET", "url": format!("{base}/voice?From=%2B19005550199"),
          "sign_url": format!("{base}/voice?From=%2B14155550100") },
        { "name": "events, body changed", "method": "POST", "url": format!("{base}/events"),
          "json": "[{\"type\":\"forged\"}]", "sign_json": "[{\"type\":\"genuine\"}]" },
        { "name": "message, signed for another URL", "method": "POST", "url": format!("{base}/message"),
          "sign_url": format!("{base}/voice"), "params": sms_params(body) },
        { "name": "voice, unsigned", "method": "POST", "url": format!("{base}/voice"),
          "params": voice_params("+14153595711"), "signature": null },
    ])
}

fn check(signer: Signer, answers: &HashMap<String, Answer>) {
    let ok = |name: &str, body: &str| {
        let a = &answers[name];
        assert_eq!((a.status, a.body.as_str()), (200, body), "{signer:?}: {name}");
    };
    let voice =
        "<Say>Thanks for calling! Your phone number is 1 4 1 5 3 5 9 5 7 1 1. I got your call because of \
                 Twilio's webhook. Goodbye!</Say>";
    ok("voice", &twiml(voice));
    assert!(
        answers["voice"].content_type.starts_with("application/xml"),
        "{signer:?}: {:?}",
        answers["voice"]
    );
    // Counted in characters, not bytes: 51, where the UTF-8 body has 54 bytes.
    assert_eq!((SMS_BODY.chars().count(), SMS_BODY.len()), (51, 54));
    ok("message", &twiml("<Message>Your text to me was 51 characters long. Webhooks are neat :)</Message>"));
    ok("voice over GET", &twiml(&voice.replace("1 4 1 5 3 5 9 5 7 1 1", "1 4 1 5 5 5 5 0 1 0 0")));
    ok("events (JSON)", "received 1 events");
    for refused in [
        "voice, caller changed",
        "message, body changed",
        "voice over GET, query changed",
        "events, body changed",
        "message, signed for another URL",
        "voice, unsigned",
    ] {
        assert_eq!(answers[refused].status, 403, "{signer:?}: {refused}: {:?}", answers[refused]);
    }
}

fn example_server() -> String {
    let figment =
        rocket_twilio_examples::figment().merge(("log_level", "off")).merge(("twilio.auth_token", TOKEN));
    format!("http://{}", server::serve(rocket_twilio_examples::app(figment)))
}

#[test]
fn twilio_python_calls_the_example_server() {
    let base = example_server();
    check(Signer::Python, &sign_and_send(Signer::Python, TOKEN, &cases(&base)));
}

#[test]
fn twilio_node_calls_the_example_server() {
    let base = example_server();
    check(Signer::Node, &sign_and_send(Signer::Node, TOKEN, &cases(&base)));
}
