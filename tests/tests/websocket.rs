//! WebSocket handshakes (Media Streams, ConversationRelay) over real sockets: a Rocket server with
//! `#[validate_twilio_request]` `rocket_ws` routes on a loopback port, and a real WebSocket client
//! (tungstenite) whose handshake carries the `X-Twilio-Signature` Twilio would send.
//!
//! A genuine handshake is switched (101) and messages flow both ways; an unsigned, forged, misdirected or
//! `https://`-signed one gets 403, no upgrade, and the handler never runs. `base_url` and trusted
//! forwarded headers give the `wss://` URL Twilio signed. The example app's `POST /voice-ai` TwiML names
//! the URL that its `GET /relay` guard then accepts.

use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rocket::futures::{SinkExt, StreamExt};
use rocket::http::uri::Host;
use rocket::http::{Header, Status};
use rocket::local::blocking::Client;
use rocket::{get, routes, Build, Rocket, State};
use rocket_twilio::testing::{handshake_header, TwilioSigned};
use rocket_twilio::{validate_twilio_request, PublicUrl, RequestValidator, Twilio, SIGNATURE_HEADER};
use rocket_twilio_tests::server;
use rocket_ws::{Channel, Message, WebSocket};
use tungstenite::client::IntoClientRequest;
use tungstenite::handshake::HandshakeError;
use tungstenite::http::{HeaderName, HeaderValue};

const TOKEN: &str = "ws-test-auth-token-0123456789";

/// How many times a handler of the server ran (it runs before the upgrade, only if the guards passed).
struct Runs(Arc<AtomicUsize>);

/// A WebSocket that greets, then echoes every text message.
fn echo(ws: WebSocket, runs: &Runs, greeting: String) -> Channel<'static> {
    runs.0.fetch_add(1, Ordering::SeqCst);
    ws.channel(move |mut stream| {
        Box::pin(async move {
            stream.send(Message::Text(greeting)).await?;
            while let Some(message) = stream.next().await {
                match message? {
                    Message::Text(text) => stream.send(Message::Text(format!("echo: {text}"))).await?,
                    Message::Close(_) => break,
                    _ => {}
                }
            }
            Ok(())
        })
    })
}

#[validate_twilio_request]
#[get("/relay")]
fn relay(ws: WebSocket, runs: &State<Runs>) -> Channel<'static> {
    echo(ws, runs, "ready".to_owned())
}

#[validate_twilio_request]
#[get("/other")]
fn other(ws: WebSocket, runs: &State<Runs>) -> Channel<'static> {
    echo(ws, runs, "other".to_owned())
}

#[validate_twilio_request]
#[get("/session?<customer>")]
fn session(ws: WebSocket, customer: &str, runs: &State<Runs>) -> Channel<'static> {
    echo(ws, runs, format!("customer {customer}"))
}

/// Not a WebSocket route: a GET webhook, to show the ordinary rule still applies to it.
#[validate_twilio_request]
#[get("/status")]
fn status(public: PublicUrl) -> String {
    public.websocket("/relay")
}

/// How the server learns the URL Twilio called.
#[derive(Clone, Copy)]
enum Mode {
    /// From the request itself (`Host`, plain http here).
    Host,
    /// `twilio.base_url`.
    BaseUrl(&'static str),
    /// `twilio.trust_forwarded_headers = true`.
    TrustForwarded,
}

fn app(mode: Mode, runs: &Arc<AtomicUsize>) -> Rocket<Build> {
    let figment = server::quiet_config().merge(("twilio.auth_token", TOKEN));
    let figment = match mode {
        Mode::Host => figment,
        Mode::BaseUrl(base) => figment.merge(("twilio.base_url", base)),
        Mode::TrustForwarded => figment.merge(("twilio.trust_forwarded_headers", true)),
    };
    rocket::custom(figment)
        .attach(Twilio::fairing())
        .manage(Runs(runs.clone()))
        .mount("/", routes![relay, other, session, status])
}

fn twilio() -> RequestValidator {
    RequestValidator::new(TOKEN)
}

/// A launched server and the number of handler runs it has seen.
struct Server {
    addr: SocketAddr,
    runs: Arc<AtomicUsize>,
}

fn launch(mode: Mode) -> Server {
    let runs = Arc::new(AtomicUsize::new(0));
    Server { addr: server::serve(app(mode, &runs)), runs }
}

type Socket = tungstenite::WebSocket<TcpStream>;

/// What the server answered to a handshake.
enum Handshake {
    /// 101: the connection is a WebSocket.
    Upgraded(Box<Socket>),
    /// Any other status: no upgrade.
    Refused(u16),
}

impl Handshake {
    fn socket(self) -> Socket {
        match self {
            Handshake::Upgraded(socket) => *socket,
            Handshake::Refused(status) => panic!("expected 101, got {status}"),
        }
    }

    fn status(&self) -> u16 {
        match self {
            Handshake::Upgraded(_) => 101,
            Handshake::Refused(status) => *status,
        }
    }
}

/// Opens `path` on `addr` with a real client, adding `headers` (e.g. the signature) to its handshake.
fn open(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Handshake {
    let mut request = format!("ws://{addr}{path}").into_client_request().expect("a valid ws URL");
    for &(name, value) in headers {
        request.headers_mut().append(
            HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
            HeaderValue::from_str(value).expect("a header value"),
        );
    }
    let stream = TcpStream::connect(addr).expect("connect to the test server");
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("set a read timeout");
    match tungstenite::client::client(request, stream) {
        Ok((socket, response)) => {
            assert_eq!(response.status().as_u16(), 101);
            Handshake::Upgraded(Box::new(socket))
        }
        Err(HandshakeError::Failure(tungstenite::Error::Http(response))) => {
            Handshake::Refused(response.status().as_u16())
        }
        Err(e) => panic!("handshake with {path} failed: {e}"),
    }
}

/// The signature header Twilio would send for a handshake to `url`.
fn signed(validator: &RequestValidator, url: &str) -> (&'static str, String) {
    let header = handshake_header(validator, url);
    assert_eq!(header.name(), SIGNATURE_HEADER);
    (SIGNATURE_HEADER, header.value().to_owned())
}

fn read_text(socket: &mut Socket) -> String {
    loop {
        match socket.read().expect("a message") {
            Message::Text(text) => return text,
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("expected a text message, got {other:?}"),
        }
    }
}

fn talk(mut socket: Socket, greeting: &str) {
    assert_eq!(read_text(&mut socket), greeting);
    socket.send(Message::Text("hello from Twilio".into())).expect("send");
    assert_eq!(read_text(&mut socket), "echo: hello from Twilio");
    socket.send(Message::Text("👋 again".into())).expect("send");
    assert_eq!(read_text(&mut socket), "echo: 👋 again");
    socket.close(None).expect("close");
}

#[test]
fn a_genuine_handshake_is_switched_and_messages_flow_both_ways() {
    let server = launch(Mode::Host);
    let url = format!("ws://{}/relay", server.addr);
    let (name, value) = signed(&twilio(), &url);
    let socket = open(server.addr, "/relay", &[(name, &value)]).socket();
    talk(socket, "ready");

    // The signature with the default port added or removed is Twilio's too.
    let with_port = format!("ws://{}:{}/relay", server.addr.ip(), server.addr.port());
    let (name, value) = signed(&twilio(), &with_port);
    talk(open(server.addr, "/relay", &[(name, &value)]).socket(), "ready");
}

#[test]
fn refused_handshakes_get_403_no_upgrade_and_never_reach_the_handler() {
    let server = launch(Mode::Host);
    let relay = format!("ws://{}/relay", server.addr);
    let twilio = twilio();
    let forged = RequestValidator::new("not-the-token");
    type Case<'a> = (&'a str, &'a str, Vec<(&'a str, String)>);
    let cases: Vec<Case<'_>> = vec![
        ("unsigned", "/relay", vec![]),
        ("empty signature", "/relay", vec![(SIGNATURE_HEADER, String::new())]),
        ("forged", "/relay", vec![signed(&forged, &relay)]),
        ("signed for another path", "/other", vec![signed(&twilio, &relay)]),
        ("signed over http:// instead of ws://", "/relay", {
            let http = format!("http://{}/relay", server.addr);
            vec![(SIGNATURE_HEADER, twilio.compute_url_signature(&http))]
        }),
        (
            "signed over wss:// instead of ws://",
            "/relay",
            vec![signed(&twilio, &format!("wss://{}/relay", server.addr))],
        ),
        ("two signatures", "/relay", vec![signed(&twilio, &relay), signed(&twilio, &relay)]),
    ];
    for (case, path, headers) in cases {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let answer = open(server.addr, path, &headers);
        assert_eq!(answer.status(), 403, "{case}");
    }
    assert_eq!(server.runs.load(Ordering::SeqCst), 0, "no handler ran");
    let (name, value) = signed(&twilio, &relay);
    talk(open(server.addr, "/relay", &[(name, &value)]).socket(), "ready");
    assert_eq!(server.runs.load(Ordering::SeqCst), 1, "the genuine handshake ran its handler");
}

#[test]
fn base_url_gives_the_wss_url_twilio_signed() {
    let server = launch(Mode::BaseUrl("https://voice.example.com/app"));
    let twilio = twilio();
    let (name, value) = signed(&twilio, "wss://voice.example.com/app/relay");
    talk(open(server.addr, "/relay", &[(name, &value)]).socket(), "ready");
    let (name, value) = signed(&twilio, "wss://voice.example.com:443/app/relay");
    talk(open(server.addr, "/relay", &[(name, &value)]).socket(), "ready");

    // The mistake of twilio-aspnet #162: validating the https:// twin refuses Twilio's handshakes, and
    // so a handshake signed over https:// is not Twilio's.
    let https = twilio.compute_url_signature("https://voice.example.com/app/relay");
    assert_eq!(open(server.addr, "/relay", &[(SIGNATURE_HEADER, &https)]).status(), 403);
    let (name, value) = signed(&twilio, &format!("ws://{}/relay", server.addr));
    assert_eq!(open(server.addr, "/relay", &[(name, &value)]).status(), 403, "base_url replaces the host");
    assert_eq!(server.runs.load(Ordering::SeqCst), 2);
}

#[test]
fn trusted_forwarded_headers_give_the_wss_url_twilio_signed() {
    let trusting = launch(Mode::TrustForwarded);
    let twilio = twilio();
    let (name, value) = signed(&twilio, "wss://public.example.com/relay");
    let x_forwarded =
        [(name, value.as_str()), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "public.example.com")];
    talk(open(trusting.addr, "/relay", &x_forwarded).socket(), "ready");
    let rfc7239 =
        [(name, value.as_str()), ("Forwarded", "for=203.0.113.9;proto=https;host=public.example.com")];
    talk(open(trusting.addr, "/relay", &rfc7239).socket(), "ready");
    let (name, ws_value) = signed(&twilio, "ws://public.example.com:8080/relay");
    let plain = [
        (name, ws_value.as_str()),
        ("X-Forwarded-Proto", "http"),
        ("X-Forwarded-Host", "public.example.com"),
        ("X-Forwarded-Port", "8080"),
    ];
    talk(open(trusting.addr, "/relay", &plain).socket(), "ready");
    let https = twilio.compute_url_signature("https://public.example.com/relay");
    let https_signed = [
        (SIGNATURE_HEADER, https.as_str()),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "public.example.com"),
    ];
    assert_eq!(open(trusting.addr, "/relay", &https_signed).status(), 403);

    // The same headers from a client, to a server that does not trust them, change nothing.
    let untrusting = launch(Mode::Host);
    assert_eq!(open(untrusting.addr, "/relay", &x_forwarded).status(), 403);
    let (name, local) = signed(&twilio, &format!("ws://{}/relay", untrusting.addr));
    let spoofing =
        [(name, local.as_str()), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.example")];
    talk(open(untrusting.addr, "/relay", &spoofing).socket(), "ready");
}

#[test]
fn a_query_is_signed_as_parameters_after_the_url() {
    let server = launch(Mode::Host);
    let twilio = twilio();
    let url = format!("ws://{}/session?customer=42%2B1&lang=en", server.addr);
    let (name, value) = signed(&twilio, &url);
    talk(open(server.addr, "/session?customer=42%2B1&lang=en", &[(name, &value)]).socket(), "customer 42+1");
    // The same signature, by the rule spelled out: URL without its query, then the sorted parameters.
    let spelled = twilio
        .compute_signature(&format!("ws://{}/session", server.addr), [("lang", "en"), ("customer", "42+1")]);
    assert_eq!(spelled, value);

    // The query signed as part of the URL (a GET webhook's rule) is not what Twilio sends for a handshake.
    let as_get = twilio.compute_url_signature(&url);
    assert_eq!(
        open(server.addr, "/session?customer=42%2B1&lang=en", &[(SIGNATURE_HEADER, &as_get)]).status(),
        403
    );
    // A parameter changed, added or removed is refused.
    for tampered in
        ["/session?customer=43&lang=en", "/session?customer=42%2B1&lang=en&x=1", "/session?customer=42%2B1"]
    {
        assert_eq!(open(server.addr, tampered, &[(name, &value)]).status(), 403, "{tampered}");
    }
}

#[test]
fn local_clients_sign_handshakes_too() {
    let runs = Arc::new(AtomicUsize::new(0));
    let client = Client::tracked(app(Mode::BaseUrl("https://voice.example.com"), &runs)).unwrap();
    let twilio = twilio();
    // The signature is the handshake's, over wss://. A local client does not switch protocols: the
    // handler ran and returned its Channel (200), where a server answers 101.
    let accepted = client.get("/relay").sign_handshake(&twilio).dispatch();
    assert_eq!(accepted.status(), Status::Ok);
    let with_query = client.get("/session?customer=7").sign_handshake(&twilio).dispatch();
    assert_eq!(with_query.status(), Status::Ok);

    // sign_url on a request without the upgrade headers signs a GET webhook's URL, which a handshake
    // does not accept.
    let upgrade = [
        Header::new("Upgrade", "websocket"),
        Header::new("Connection", "Upgrade"),
        Header::new("Sec-WebSocket-Version", "13"),
        Header::new("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
    ];
    let mut as_get = client.get("/relay").sign_url(&twilio);
    for header in upgrade.clone() {
        as_get = as_get.header(header);
    }
    assert_eq!(as_get.dispatch().status(), Status::Forbidden);
    let forged = client.get("/relay").sign_handshake(&RequestValidator::new("guess")).dispatch();
    assert_eq!(forged.status(), Status::Forbidden);
    assert_eq!(runs.load(Ordering::SeqCst), 2, "only the two signed handshakes ran a handler");

    // Without the upgrade headers, the route is an ordinary GET webhook, validated over https://; then
    // rocket_ws's guard forwards what is not a WebSocket request (400, as no other route matches).
    let not_upgraded = client.get("/relay").sign_url(&twilio).dispatch();
    assert_eq!(not_upgraded.status(), Status::BadRequest);

    // PublicUrl gives the URL the handshake guard will check.
    let public = client.get("/status").sign_url(&twilio).dispatch();
    assert_eq!(public.into_string().as_deref(), Some("wss://voice.example.com/relay"));
}

// The example app: the URL its TwiML names is the URL its guard accepts.

fn example_figment(port: u16) -> rocket::figment::Figment {
    server::quiet_config()
        .merge(("address", "127.0.0.1"))
        .merge(("port", port))
        .merge(("twilio.auth_token", TOKEN))
}

/// `<ConversationRelay url="…">` of a TwiML document.
fn relay_url(twiml: &str) -> &str {
    let start = twiml.find("<ConversationRelay ").expect("a <ConversationRelay>");
    let attr = &twiml[start..];
    let url = &attr[attr.find(" url=\"").expect("a url attribute") + 6..];
    &url[..url.find('"').expect("a closing quote")]
}

#[test]
fn the_example_relay_talks_to_the_url_its_twiml_names() {
    let addr = server::serve(rocket_twilio_examples::app(example_figment(server::free_port())));
    let twilio = twilio();

    // Twilio calls POST /voice-ai (here through a local client of the same app, with the server's Host).
    let local = Client::tracked(rocket_twilio_examples::app(example_figment(addr.port()))).unwrap();
    let mut voice_ai = local.post("/voice-ai");
    voice_ai.inner_mut().set_host(Host::parse_owned(addr.to_string()).expect("host:port"));
    let twiml = voice_ai
        .sign_form(&twilio, [("CallSid", "CA00000000000000000000000000000001"), ("From", "+14155550100")])
        .dispatch()
        .into_string()
        .expect("TwiML");
    let url = relay_url(&twiml).to_owned();
    assert_eq!(url, format!("ws://{addr}/relay"));

    // Twilio then opens that URL, signing the handshake over it.
    let (name, value) = signed(&twilio, &url);
    let mut socket = open(addr, "/relay", &[(name, &value)]).socket();
    let mut send = |json: &str| socket.send(Message::Text(json.into())).expect("send");
    send(
        r#"{"type":"setup","sessionId":"VX1","callSid":"CA00000000000000000000000000000001","accountSid":"AC1",
            "from":"+14155550100","to":"+14155550199","direction":"inbound","customParameters":{}}"#,
    );
    send(r#"{"type":"prompt","voicePrompt":"book a table","lang":"en-US","last":false}"#);
    send(r#"{"type":"interrupt","utteranceUntilInterrupt":"Hi!","durationUntilInterruptMs":300}"#);
    send(r#"{"type":"unknown-to-this-example"}"#);
    send(r#"{"type":"prompt","voicePrompt":"book a table for two","lang":"en-US","last":true}"#);
    send(r#"{"type":"dtmf","digit":"5"}"#);
    send(r#"{"type":"error","description":"Invalid message received"}"#);

    let mut answers = Vec::new();
    let mut answer = String::new();
    while answers.len() < 2 {
        let token: serde_json::Value = serde_json::from_str(&read_text(&mut socket)).expect("JSON");
        assert_eq!(token["type"], "text", "{token}");
        answer.push_str(token["token"].as_str().expect("a token"));
        if token["last"] == true {
            answers.push(std::mem::take(&mut answer));
        }
    }
    assert_eq!(answers, ["You said: book a table for two", "You pressed 5."]);
    socket.close(None).expect("close");

    // And the same relay refuses a handshake that Twilio did not sign.
    let forged = signed(&RequestValidator::new("guess"), &url);
    assert_eq!(open(addr, "/relay", &[(forged.0, &forged.1)]).status(), 403);
    assert_eq!(open(addr, "/relay", &[]).status(), 403);
}
