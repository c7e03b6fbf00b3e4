//! The webhooks the benchmarks time, shared by this crate's criterion benchmark (`validate.rs`) and the
//! workspace's `bench/` crate (which includes this file by path), so that both time the same requests.

/// An inbound SMS webhook's 20 parameters, in the order Twilio sends them (not sorted), with `body`.
pub fn sms(body: &str) -> [(&'static str, &str); 20] {
    [
        ("ToCountry", "US"),
        ("ToState", "CA"),
        ("SmsMessageSid", "SM1f0e8ae6ade43cb3c0ce4525424e404f"),
        ("NumMedia", "0"),
        ("ToCity", "SAN FRANCISCO"),
        ("FromZip", "94105"),
        ("SmsSid", "SM1f0e8ae6ade43cb3c0ce4525424e404f"),
        ("FromState", "CA"),
        ("SmsStatus", "received"),
        ("FromCity", "SAN FRANCISCO"),
        ("Body", body),
        ("FromCountry", "US"),
        ("To", "+14155552671"),
        ("MessagingServiceSid", "MG9752274e9e519418a7406176694466fa"),
        ("ToZip", "94107"),
        ("NumSegments", "1"),
        ("MessageSid", "SM1f0e8ae6ade43cb3c0ce4525424e404f"),
        ("AccountSid", "ACae6e420f425248d6a26948c17a9e2acf"),
        ("From", "+14155550123"),
        ("ApiVersion", "2010-04-01"),
    ]
}

/// An incoming call's 27 parameters, in the order Twilio sends them (sorted by name).
pub const VOICE: [(&str, &str); 27] = [
    ("AccountSid", "ACae6e420f425248d6a26948c17a9e2acf"),
    ("ApiVersion", "2010-04-01"),
    ("CallSid", "CA5f3c2c3b2bb54d6c9a7e4b8f1c2d3e4f"),
    ("CallStatus", "ringing"),
    ("CallToken", r#"{"parentCallInfoToken":"eyJhbGciOiJFUzI1NiJ9"}"#),
    ("Called", "+14155552671"),
    ("CalledCity", "SAN FRANCISCO"),
    ("CalledCountry", "US"),
    ("CalledState", "CA"),
    ("CalledZip", "94107"),
    ("Caller", "+14155550123"),
    ("CallerCity", "SAN FRANCISCO"),
    ("CallerCountry", "US"),
    ("CallerState", "CA"),
    ("CallerZip", "94105"),
    ("Direction", "inbound"),
    ("From", "+14155550123"),
    ("FromCity", "SAN FRANCISCO"),
    ("FromCountry", "US"),
    ("FromState", "CA"),
    ("FromZip", "94105"),
    ("StirVerstat", "TN-Validation-Passed-A"),
    ("To", "+14155552671"),
    ("ToCity", "SAN FRANCISCO"),
    ("ToCountry", "US"),
    ("ToState", "CA"),
    ("ToZip", "94107"),
];
