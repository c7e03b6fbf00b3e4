//! The engine on each mis-configuration of issue 12, without a server.

use super::variants::variants;
use super::*;
use crate::{url_with_body_hash, Algorithm, Keyring, Payload, RequestValidator};

const TOKEN: &str = "primary-token-0123456789abcdef";
const SUB: &str = "AC00000000000000000000000000000001";

fn sign(token: &str, url: &str, params: &[(&str, &str)]) -> String {
    RequestValidator::new(token).compute_signature(url, params.iter().copied())
}

/// One refused request: what the server saw, and its diagnosis.
struct Case<'a> {
    keyring: Keyring,
    url: &'a str,
    target: &'a str,
    params: &'a [(&'a str, &'a str)],
    signature: String,
    clues: Clues,
    settings: Option<&'a str>,
    account_sid: Option<&'a str>,
    setup: UrlSetup<'a>,
    raw: Option<&'a [u8]>,
}

impl<'a> Case<'a> {
    fn new(url: &'a str, target: &'a str, signature: String) -> Self {
        Case {
            keyring: Keyring::new().primary(TOKEN).unwrap(),
            url,
            target,
            params: &[("Body", "hi")],
            signature,
            clues: Clues::new(),
            settings: None,
            account_sid: None,
            setup: UrlSetup::Request { trusted: None },
            raw: None,
        }
    }

    fn run(&self, budget: &Budget) -> (Diagnosis, String) {
        let payload = match self.raw {
            Some(raw) => Payload::Raw(raw),
            None => Payload::Form(self.params),
        };
        let mut webhook = Webhook::new(self.url, payload, &self.signature);
        webhook.signature_settings = self.settings;
        webhook.account_sid = self.account_sid;
        let rejection = self.keyring.verify(&webhook).expect_err("the case is refused");
        let evidence =
            Evidence::new(webhook, self.target, &self.clues).refused_with(&rejection).setup(self.setup);
        let d = diagnose(&evidence, &self.keyring, budget);
        let shown = d.to_string();
        (d, shown)
    }

    fn diagnose(&self) -> String {
        let (d, shown) = self.run(&Budget::server());
        assert!(d.hmacs() <= Budget::SERVER_PER_REQUEST, "{} HMACs: {shown}", d.hmacs());
        assert!(!shown.contains('\n'), "{shown}");
        for secret in [TOKEN, self.signature.as_str()] {
            assert!(!shown.contains(secret) && !format!("{d:?}").contains(secret), "{shown}");
        }
        shown
    }
}

const PROXY_WORDS: [&str; 4] = ["base_url", "trust_forwarded_headers", "proxy", "query string"];

#[track_caller]
fn assert_no_proxy_fix(shown: &str) {
    for word in PROXY_WORDS {
        assert!(!shown.contains(word), "{word:?} suggested: {shown}");
    }
}

#[test]
fn ngrok_with_its_public_host() {
    let sig = sign(TOKEN, "https://abcd.ngrok.app/sms", &[("Body", "hi")]);
    let shown = Case::new("http://abcd.ngrok.app/sms", "/sms", sig).diagnose();
    assert_eq!(
        shown,
        "the signature is valid for https://abcd.ngrok.app/sms (scheme http → https): set twilio.base_url = \
         \"https://abcd.ngrok.app\""
    );
}

#[test]
fn a_tls_proxy_whose_headers_are_not_trusted() {
    let sig = sign(TOKEN, "https://public.example/sms", &[("Body", "hi")]);
    let mut case = Case::new("http://10.0.0.5:8000/sms", "/sms", sig);
    case.clues.proto("https", "X-Forwarded-Proto").unwrap();
    case.clues.host("public.example", "X-Forwarded-Host").unwrap();
    case.setup = UrlSetup::Request { trusted: Some("https://public.example/sms") };
    let shown = case.diagnose();
    assert!(shown.starts_with("the signature is valid for https://public.example/sms ("), "{shown}");
    assert!(
        shown.contains(
            "set twilio.trust_forwarded_headers = true (X-Forwarded-Proto and X-Forwarded-Host give this URL"
        ),
        "{shown}"
    );
    assert!(shown.ends_with("or twilio.base_url = \"https://public.example\""), "{shown}");
    // The same headers, when Twilio signed another URL than they give: base_url, not trust.
    let sig = sign(TOKEN, "https://10.0.0.5:8000/sms", &[("Body", "hi")]);
    case.signature = sig;
    let shown = case.diagnose();
    assert!(shown.ends_with(": set twilio.base_url = \"https://10.0.0.5:8000\""), "{shown}");
}

#[test]
fn a_stripped_prefix_and_a_public_port() {
    let sig = sign(TOKEN, "http://h:8000/twilio/sms", &[("Body", "hi")]);
    let mut case = Case::new("http://h:8000/sms", "/sms", sig);
    case.clues.prefix("/twilio", "X-Forwarded-Prefix").unwrap();
    let shown = case.diagnose();
    assert!(shown.contains("(path prefix /twilio added (X-Forwarded-Prefix))"), "{shown}");
    assert!(shown.ends_with("set twilio.base_url = \"http://h:8000/twilio\""), "{shown}");

    let sig = sign(TOKEN, "https://example.com:8443/sms", &[("Body", "hi")]);
    let mut case = Case::new("http://example.com/sms", "/sms", sig);
    case.clues.port("8443", "X-Forwarded-Port").unwrap();
    let shown = case.diagnose();
    assert!(shown.contains("port no port → :8443 (X-Forwarded-Port)"), "{shown}");
    assert!(shown.ends_with("set twilio.base_url = \"https://example.com:8443\""), "{shown}");
}

#[test]
fn a_query_re_encoded_on_the_way() {
    let sig = sign(TOKEN, "https://h/sms?name=Ana%20Maria", &[("Body", "hi")]);
    let mut case = Case::new("https://h/sms?name=Ana+Maria", "/sms?name=Ana+Maria", sig);
    case.setup = UrlSetup::BaseUrl("https://h");
    let shown = case.diagnose();
    assert!(shown.contains("(query with %20 where the request has +)"), "{shown}");
    assert!(shown.contains("re-encoded the query string"), "{shown}");
    assert!(!shown.contains("base_url"), "{shown}");
}

#[test]
fn a_rotated_token_or_an_unconfigured_secondary_is_no_proxy_problem() {
    let sig = sign("the-new-token-nobody-configured", "https://h/sms", &[("Body", "hi")]);
    let mut case = Case::new("https://h/sms", "/sms", sig);
    case.clues.proto("http", "X-Forwarded-Proto").unwrap();
    let shown = case.diagnose();
    assert!(shown.starts_with("no URL variant, configured key or body shape matches"), "{shown}");
    assert!(shown.contains("a secret this server does not have (a rotated Auth Token"), "{shown}");
    assert!(shown.contains("set twilio.secondary_auth_token"), "{shown}");
    assert_no_proxy_fix(&shown);
}

#[test]
fn sub_account_tokens() {
    // Not configured: the search says which account to add.
    let p = [("AccountSid", SUB), ("Body", "hi")];
    let mut case = Case::new("https://h/sms", "/sms", sign("sub-token", "https://h/sms", &p));
    case.params = &p;
    case.account_sid = Some(SUB);
    let shown = case.diagnose();
    assert!(shown.contains(&format!("add its Auth Token as twilio.accounts.{SUB}")), "{shown}");
    assert_no_proxy_fix(&shown);

    // Configured, but the request names no AccountSid (a JSON webhook): the main token was checked.
    let body = br#"{"a":1}"#;
    let url = url_with_body_hash("https://h/events", body);
    let mut case = Case::new(&url, "", RequestValidator::new("sub-token").compute_url_signature(&url));
    case.target = &url["https://h".len()..];
    case.keyring = case.keyring.account(SUB, "sub-token").unwrap();
    case.raw = Some(body);
    let shown = case.diagnose();
    assert!(shown.contains(&format!("with the token of AccountSid {SUB}")), "{shown}");
    assert!(
        shown.contains("the request names no AccountSid, so the primary Auth Token was checked"),
        "{shown}"
    );
    assert!(!shown.contains("base_url"), "{shown}");
}

#[test]
fn shared_keys() {
    let keyring = Keyring::new().primary(TOKEN).unwrap().shared_key("k1", "shared-one").unwrap();
    let sig = RequestValidator::with_algorithm("shared-two", Algorithm::HmacSha256)
        .compute_signature("https://h/sms", [("Body", "hi")]);
    let mut case = Case::new("https://h/sms", "/sms", sig);
    case.keyring = keyring.clone();
    case.settings = Some("key=k2,algorithm=HMAC_SHA256");
    let shown = case.diagnose();
    assert!(
        shown.contains("it names shared key `k2`, which is not configured: add it to twilio.shared_keys"),
        "{shown}"
    );
    assert_no_proxy_fix(&shown);

    // k2's secret configured under k1.
    case.signature = RequestValidator::with_algorithm("shared-one", Algorithm::HmacSha256)
        .compute_signature("https://h/sms", [("Body", "hi")]);
    let shown = case.diagnose();
    assert!(shown.contains("with shared key `k1`"), "{shown}");
    assert!(shown.contains("configure that secret as twilio.shared_keys.k2"), "{shown}");
}

#[test]
fn json_bodies_without_their_hash() {
    let body = br#"{"event":"x"}"#;
    // Twilio signed the URL with bodySHA256; something dropped the query.
    let signed = url_with_body_hash("https://h/events", body);
    let mut case =
        Case::new("https://h/events", "/events", RequestValidator::new(TOKEN).compute_url_signature(&signed));
    case.raw = Some(body);
    let shown = case.diagnose();
    assert!(
        shown
            .starts_with(&format!("the signature is valid for {signed} (bodySHA256 of the body in the URL)")),
        "{shown}"
    );
    assert!(shown.contains("dropped the query string"), "{shown}");
    // Signed on the URL alone, like a GET: the body is unvouched.
    case.signature = RequestValidator::new(TOKEN).compute_url_signature("https://h/events");
    let shown = case.diagnose();
    assert!(shown.contains("(parameters left out (URL signed alone))"), "{shown}");
    assert!(shown.contains("nothing vouches for this body; it stays refused"), "{shown}");
    assert!(!shown.contains("base_url"), "{shown}");
}

#[test]
fn a_form_signed_as_a_body_hash() {
    let raw = b"Body=hi";
    let signed = url_with_body_hash("https://h/sms", raw);
    let case =
        Case::new("https://h/sms", "/sms", RequestValidator::new(TOKEN).compute_url_signature(&signed));
    let payload = Payload::Form(case.params);
    let webhook = Webhook::new(case.url, payload, &case.signature);
    let rejection = case.keyring.verify(&webhook).unwrap_err();
    let evidence = Evidence::new(webhook, "/sms", &case.clues)
        .refused_with(&rejection)
        .form(FormBody { raw, fields: case.params });
    let shown = diagnose(&evidence, &case.keyring, &Budget::server()).to_string();
    assert!(
        shown.starts_with(&format!("the signature is valid for {signed} (form body signed as a raw body")),
        "{shown}"
    );
    assert!(shown.contains("Twilio signs a form's fields"), "{shown}");
}

#[test]
fn websocket_handshakes_signed_as_wss() {
    let sig = sign(TOKEN, "wss://h/stream", &[]);
    let mut case = Case::new("ws://h/stream", "/stream", sig);
    case.params = &[];
    let shown = case.diagnose();
    assert!(shown.starts_with("the signature is valid for wss://h/stream (scheme ws → wss)"), "{shown}");
    assert!(shown.ends_with("set twilio.base_url = \"https://h\""), "{shown}");
    case.signature = sign(TOKEN, "ws://h/stream", &[]);
    case.url = "wss://h/stream";
    assert!(case.diagnose().contains("(scheme wss → ws)"));
}

#[test]
fn a_spent_budget_leaves_the_plain_reason_and_costs_nothing() {
    let case = Case::new("http://h/sms", "/sms", sign("other", "http://h/sms", &[("Body", "hi")]));
    // 50 HMACs, no refill, 40 reserved per diagnosis (what is not used is given back).
    let budget = Budget::new(50, 0, 40);
    let (mut spent, mut diagnosed) = (0, 0);
    let skipped = loop {
        let (d, _) = case.run(&budget);
        if d == Diagnosis::Skipped(Skipped::Budget) {
            break d;
        }
        assert!(matches!(d, Diagnosis::NoMatch(_)), "{d:?}");
        spent += d.hmacs();
        diagnosed += 1;
        assert!(diagnosed < 10, "the budget is never spent");
    };
    assert_eq!(skipped.hmacs(), 0);
    assert!(spent <= 50 && spent > 10, "{spent}");
    assert!(budget.is_spent());
    assert!(!Budget::server().is_spent() && !Budget::unlimited().is_spent());
}

#[test]
fn cost_is_capped_per_request_whatever_the_request_carries() {
    let mut case =
        Case::new("http://H/a/b/sms?x=a+b%20c", "/a/b/sms?x=a+b%20c", sign("other", "http://h/", &[]));
    case.keyring = case.keyring.secondary("second").unwrap().shared_key("k", "s").unwrap();
    for i in 0..20 {
        let _ = case.clues.host(&format!("h{i}.example:{}", 8000 + i), "X-Forwarded-Host");
        let _ = case.clues.prefix(&format!("/p{i}"), "X-Forwarded-Prefix");
        let _ = case.clues.port(&format!("{}", 9000 + i), "X-Forwarded-Port");
    }
    let (d, _) = case.run(&Budget::server());
    assert!(matches!(d, Diagnosis::NoMatch(_)));
    assert!(d.hmacs() <= Budget::SERVER_PER_REQUEST && d.hmacs() > 40, "{}", d.hmacs());
}

#[test]
fn no_candidate_hmac_is_ever_shown() {
    // A request no variant matches: every HMAC the search computed is absent from what it says.
    let mut case = Case::new("http://h:8000/sms?a=b+c", "/sms?a=b+c", sign("other", "http://h/", &[]));
    case.clues.proto("https", "X-Forwarded-Proto").unwrap();
    case.clues.host("public.example", "X-Forwarded-Host").unwrap();
    let (d, shown) = case.run(&Budget::server());
    let debug = format!("{d:?}");
    let base = UrlParts::parse(case.url).unwrap();
    let v = RequestValidator::new(TOKEN);
    for variant in variants(&base, &case.clues, 200) {
        let candidate = v.compute_signature(&variant.url, case.params.iter().copied());
        assert!(!shown.contains(&candidate) && !debug.contains(&candidate), "{}", variant.url);
    }
    assert!(!shown.contains(TOKEN) && !debug.contains(TOKEN));
}

#[test]
fn signatures_of_no_hmac_length_are_named() {
    let case = Case::new("http://h/sms", "/sms", "abc".to_owned());
    let (d, shown) = case.run(&Budget::server());
    assert_eq!(d, Diagnosis::Skipped(Skipped::SignatureLength(3)));
    assert!(shown.contains("has 3 characters"), "{shown}");
}
