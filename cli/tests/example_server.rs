//! `twilio-webhook check` against the real example server (`cargo run`), on a loopback port: its webhook
//! routes pass (genuine requests accepted, forged ones refused), and its unprotected index page is
//! reported as not protected.

mod common;

use common::{bin, Run};
use rocket_twilio_tests::server;

const TOKEN: &str = "example-server-token-0123456789ab";

fn example_server() -> String {
    let figment =
        rocket_twilio_examples::figment().merge(("log_level", "off")).merge(("twilio.auth_token", TOKEN));
    format!("http://{}", server::serve(rocket_twilio_examples::app(figment)))
}

fn check(args: &[&str]) -> Run {
    bin().env("TWILIO_AUTH_TOKEN", TOKEN).arg("check").args(args).output().expect("run twilio-webhook").into()
}

#[test]
fn webhook_routes_pass_the_check() {
    let base = example_server();
    // The parameters Twilio always sends, which the example's typed payloads require.
    let call =
        ["CallSid=CA0123", "AccountSid=AC0123", "To=+14155550199", "CallStatus=ringing", "Direction=inbound"];
    let message = ["MessageSid=SM0123", "AccountSid=AC0123", "To=+14155550199", "NumMedia=0"];
    let params = |fields: &[&'static str]| fields.iter().flat_map(|f| ["--param", f]).collect::<Vec<_>>();
    for (url, extra) in [
        (
            format!("{base}/voice"),
            [vec!["--method", "both", "--param", "From=+14155550100"], params(&call)].concat(),
        ),
        (
            format!("{base}/message"),
            [vec!["--param", "Body=Ahoy 👋", "--param", "From=+14155550100"], params(&message)].concat(),
        ),
    ] {
        let run = check(&[&[url.as_str()][..], &extra].concat());
        assert_eq!(run.code, 0, "{url}\n{}", run.all());
        assert!(run.stdout.contains("200") && run.stdout.contains("403"), "{}", run.all());
        assert!(
            !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
            "the token leaked\n{}",
            run.all()
        );
    }
}

#[test]
fn samples_pass_the_example_s_typed_payloads() {
    // The example reads `IncomingMessage` and `IncomingCall`, which require what Twilio always sends: the
    // samples carry it, and `--param` replaces one of their values.
    let base = example_server();
    for (url, extra) in [
        (format!("{base}/message"), vec![]),
        (format!("{base}/message"), vec!["--sample", "sms", "--param", "Body=Ahoy"]),
        (format!("{base}/voice"), vec!["--sample", "call", "--method", "both"]),
        (format!("{base}/status"), vec!["--sample", "message-status"]),
    ] {
        let run = check(&[&[url.as_str()][..], &extra].concat());
        assert_eq!(run.code, 0, "{url} {extra:?}\n{}", run.all());
    }
    // The call sample is not a message: the typed payload refuses it after validation (422).
    let run = check(&[&format!("{base}/message"), "--sample", "call"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stdout.contains("422"), "{}", run.all());
}

#[test]
fn an_unprotected_route_fails_the_check_with_its_verdict() {
    let base = example_server();
    let run = check(&[&format!("{base}/"), "--method", "get"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stdout.to_lowercase().contains("not protected"), "{}", run.all());
}

#[test]
fn the_wrong_token_fails_the_check() {
    let base = example_server();
    let run: Run = bin()
        .env("TWILIO_AUTH_TOKEN", "not-the-server-token")
        .args(["check", &format!("{base}/voice"), "--param", "From=+1"])
        .output()
        .expect("run twilio-webhook")
        .into();
    assert_eq!(run.code, 1, "{}", run.all());
}

/// The table rows of a run, whitespace-normalised.
fn rows(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.starts_with("WS"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn the_relay_websocket_passes_the_check() {
    let base = example_server();
    let ws = base.replacen("http://", "ws://", 1);
    let run = check(&[&format!("{ws}/relay")]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(
        rows(&run.stdout),
        ["WS valid 101 ok: upgraded", "WS invalid 403 ok: refused"],
        "{}",
        run.all()
    );
    assert!(run.stdout.contains("PASS:"), "{}", run.all());
}

#[test]
fn websocket_checks_fail_on_pages_wrong_tokens_and_misuse() {
    let base = example_server();
    let ws = base.replacen("http://", "ws://", 1);

    // An ordinary page answers 200 to both handshakes: no WebSocket, and not protected.
    let page = check(&[&format!("{ws}/")]);
    assert_eq!(page.code, 1, "{}", page.all());
    assert_eq!(
        rows(&page.stdout),
        [
            "WS valid 200 FAIL: answered 200 without switching protocols: the URL is not a WebSocket route",
            "WS invalid 200 FAIL: accepted a forged signature: the endpoint is not protected"
        ],
        "{}",
        page.all()
    );

    // Another token: the genuine-looking handshake is refused, and the verdict says what Twilio signs.
    let wrong: Run = bin()
        .env("TWILIO_AUTH_TOKEN", "not-the-server-token")
        .args(["check", &format!("{ws}/relay")])
        .output()
        .expect("run twilio-webhook")
        .into();
    assert_eq!(wrong.code, 1, "{}", wrong.all());
    assert!(wrong.stdout.contains("refused a valid handshake"), "{}", wrong.all());

    for extra in [["--method", "get"], ["--param", "A=1"]] {
        let run = check(&[&[format!("{ws}/relay").as_str()][..], &extra].concat());
        assert_eq!(run.code, 2, "{extra:?}: {}", run.all());
    }
}
