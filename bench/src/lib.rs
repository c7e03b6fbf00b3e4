//! The webhooks every benchmark in `bench/` uses, so Rust, twilio-python and twilio-node time the same
//! requests: `core gen` writes them to a JSON file the three read.

use rocket_twilio::{url_with_body_hash, RequestValidator};

/// The Auth Token every input is signed with (32 hex characters, like a real one).
pub const TOKEN: &str = "8f14e45fceea167a5a36dedd4bea2543";

/// One signed webhook.
pub struct Input {
    pub name: &'static str,
    pub what: String,
    pub url: String,
    pub body: Body,
    pub signature: String,
}

/// A form's decoded parameters (in the order Twilio sends them), or a raw JSON body.
pub enum Body {
    Form(Vec<(String, String)>),
    Json(String),
}

#[path = "../../runtime/benches/webhooks/mod.rs"]
mod webhooks;

/// An inbound SMS webhook's 20 parameters, in the order Twilio sends them.
pub fn sms(body: &str) -> Vec<(String, String)> {
    pairs(&webhooks::sms(body))
}

/// An incoming call's 27 parameters, in the order Twilio sends them.
pub fn voice() -> Vec<(String, String)> {
    pairs(&webhooks::VOICE)
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

/// An Event Streams sink delivery: a JSON array of CloudEvents, at least `min_len` bytes.
pub fn cloudevents(min_len: usize) -> String {
    let mut events = Vec::new();
    let mut len = 2;
    let mut i = 0;
    while len < min_len {
        let event = format!(
            concat!(
                r#"{{"specversion":"1.0","type":"com.twilio.messaging.message.delivered","#,
                r#""source":"/2010-04-01/Accounts/ACae6e420f425248d6a26948c17a9e2acf/Messages/SM{:032x}.json","#,
                r#""id":"EZ{:032x}","dataschema":"https://events-schemas.twilio.com/Messaging.MessageStatus/2","#,
                r#""datacontenttype":"application/json","time":"2025-01-01T12:00:{:02}.000Z","#,
                r#""data":{{"accountSid":"ACae6e420f425248d6a26948c17a9e2acf","from":"+14155550123","#,
                r#""to":"+14155552671","messageSid":"SM{:032x}","messageStatus":"DELIVERED","#,
                r#""numSegments":1,"timestamp":"2025-01-01T12:00:{:02}.000Z"}}}}"#
            ),
            i,
            i,
            i % 60,
            i,
            i % 60
        );
        len += event.len() + 1;
        events.push(event);
        i += 1;
    }
    format!("[{}]", events.join(","))
}

/// The four webhooks of the comparison, signed with [`TOKEN`].
pub fn inputs() -> Vec<Input> {
    let v = RequestValidator::new(TOKEN);
    let form = |name, what: String, url: &str, params: Vec<(String, String)>| Input {
        name,
        what,
        url: url.to_owned(),
        signature: v.compute_signature(url, params.iter().map(|(n, val)| (n.as_str(), val.as_str()))),
        body: Body::Form(params),
    };

    let sms_params = sms("Hello from Twilio! Reply STOP to unsubscribe.");
    let voice_params = voice();
    // The same SMS with a long Body: the decoded parameters, names and values, add up to 32 KiB.
    let short: usize = sms("").iter().map(|(n, v)| n.len() + v.len()).sum();
    let long: String = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "
        .chars()
        .cycle()
        .take(32 * 1024 - short)
        .collect();
    let big_params = sms(&long);
    let json = cloudevents(4 * 1024);
    let json_url = url_with_body_hash("https://example.com/twilio/events", json.as_bytes());
    let json_sig = v.compute_url_signature(&json_url);

    vec![
        form("sms", "SMS webhook, 20 params".into(), "https://example.com/twilio/sms", sms_params),
        form("voice", "voice webhook, 27 params".into(), "https://example.com/twilio/voice", voice_params),
        form("form-32k", "SMS form, 32 KiB Body".into(), "https://example.com/twilio/sms", big_params),
        Input {
            name: "json-4k",
            what: format!("JSON {} B, bodySHA256", json.len()),
            url: json_url,
            signature: json_sig,
            body: Body::Json(json),
        },
    ]
}

/// The string Twilio signs for a form: URL, then the name+value pairs sorted by name then value, repeated
/// identical pairs once.
pub fn canonical(url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    sorted.dedup();
    sorted.iter().fold(url.to_owned(), |acc, (n, v)| acc + n + v)
}

/// `application/x-www-form-urlencoded` encoding of `params`, as Twilio sends them.
pub fn form_encode(params: &[(String, String)]) -> String {
    let enc = |s: &str| {
        let mut out = String::with_capacity(s.len());
        for b in s.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => out.push(b as char),
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
        out
    };
    params.iter().map(|(n, v)| format!("{}={}", enc(n), enc(v))).collect::<Vec<_>>().join("&")
}

/// The SMS webhook the load tests send: its form body, and its signature for `url`.
pub fn signed_sms(url: &str) -> (String, String) {
    let params = sms("Hello from Twilio! Reply STOP to unsubscribe.");
    let signature = RequestValidator::new(TOKEN)
        .compute_signature(url, params.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    (form_encode(&params), signature)
}

/// The `n`-th of a stream of distinct SMS webhooks (its `MessageSid`s are numbered), and its signature
/// for `url`: the load tests of `Delivery`, where every request must be a new delivery.
pub fn numbered_sms(url: &str, n: u64) -> (String, String) {
    let sid = format!("SM{n:032x}");
    let params: Vec<(String, String)> = sms("Hello from Twilio! Reply STOP to unsubscribe.")
        .into_iter()
        .map(|(name, value)| match name.as_str() {
            "SmsMessageSid" | "SmsSid" | "MessageSid" => (name, sid.clone()),
            _ => (name, value),
        })
        .collect();
    let signature = RequestValidator::new(TOKEN)
        .compute_signature(url, params.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    (form_encode(&params), signature)
}
