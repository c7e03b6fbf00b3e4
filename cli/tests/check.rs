//! `twilio-webhook check` against a fixture webhook server.

mod common;

use std::time::{Duration, Instant};

use common::{plain_http_server, run, run_with, silent_server, Fixture, PASSWORD, TOKEN, USER};
use rocket_twilio::RequestValidator;
use rocket_twilio_tests::server::free_port;

/// The table row for one request, whitespace-normalised: `POST valid 200 ok: accepted`.
fn rows(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.starts_with("GET") || l.starts_with("POST"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn a_protected_endpoint_passes() {
    let fixture = Fixture::start();
    let url = fixture.url("/protected");
    let r = run(&["check", &url]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.starts_with("METHOD  SIGNATURE  STATUS  VERDICT"), "{}", r.all());
    assert_eq!(
        rows(&r.stdout),
        ["POST valid 200 ok: accepted", "POST invalid 403 ok: refused"],
        "{}",
        r.all()
    );
    assert!(r.stdout.contains("PASS:"), "{}", r.all());
    // Columns line up under the header.
    assert_eq!(r.stdout.lines().nth(1), Some("POST    valid      200     ok: accepted"), "{}", r.all());

    // One correctly and one wrongly signed form POST of the sample payload.
    let seen = fixture.seen();
    assert_eq!(seen.len(), 2);
    let validator = RequestValidator::new(TOKEN);
    for (request, valid) in seen.iter().zip([true, false]) {
        assert_eq!(request.method, "POST");
        assert_eq!(request.target, "/protected");
        assert_eq!(request.content_type.as_deref(), Some("application/x-www-form-urlencoded"));
        let params: Vec<(String, String)> =
            form_urlencoded::parse(request.body.as_bytes()).into_owned().collect();
        assert!(params.iter().any(|(n, _)| n == "From"), "{params:?}");
        let signature = request.signature.as_deref().unwrap();
        assert_eq!(validator.validate(&url, params.clone(), signature), valid);
        assert_eq!(signature.len(), 28, "the forged signature is well-formed too");
    }
}

#[test]
fn get_sends_the_parameters_in_the_signed_query_string() {
    let fixture = Fixture::start();
    let url = fixture.url("/protected");
    let r = run(&["check", &url, "--method", "get", "--param", "CallSid=CA1", "--param", "From=+1 555"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(rows(&r.stdout), ["GET valid 200 ok: accepted", "GET invalid 403 ok: refused"]);
    let seen = fixture.seen();
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].target, "/protected?CallSid=CA1&From=%2B1+555");
    assert!(seen[0].body.is_empty());
    let full = format!("{}{}", fixture.base, seen[0].target);
    assert!(RequestValidator::new(TOKEN).validate(
        &full,
        [] as [(&str, &str); 0],
        seen[0].signature.as_deref().unwrap()
    ));
}

#[test]
fn both_methods_and_an_existing_query_string() {
    let fixture = Fixture::start();
    let url = fixture.url("/protected?tenant=7");
    let r = run(&["check", &url, "--method", "both", "--param", "Body=hi"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(
        rows(&r.stdout),
        [
            "GET valid 200 ok: accepted",
            "GET invalid 403 ok: refused",
            "POST valid 200 ok: accepted",
            "POST invalid 403 ok: refused"
        ]
    );
    let targets: Vec<String> = fixture.seen().into_iter().map(|s| s.target).collect();
    assert_eq!(targets[0], "/protected?tenant=7&Body=hi");
    assert_eq!(targets[2], "/protected?tenant=7");
}

#[test]
fn an_unprotected_endpoint_fails_with_the_verdict_shown() {
    let fixture = Fixture::start();
    let r = run(&["check", &fixture.url("/open")]);
    assert_eq!(r.code, 1, "{}", r.all());
    let rows = rows(&r.stdout);
    assert_eq!(rows[0], "POST valid 200 ok: accepted");
    assert!(rows[1].starts_with("POST invalid 200 FAIL: accepted a forged signature"), "{}", r.all());
    assert!(r.stdout.contains("FAIL: the endpoint is not protected"), "{}", r.all());
}

#[test]
fn an_endpoint_refusing_valid_requests_fails() {
    let fixture = Fixture::start();
    let r = run(&["check", &fixture.url("/refuse-all")]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(rows(&r.stdout)[0].starts_with("POST valid 403 FAIL: refused a valid signature"), "{}", r.all());
    assert!(r.stdout.contains("twilio-webhook explain"), "{}", r.all());
}

#[test]
fn a_wrong_token_makes_valid_requests_fail() {
    let fixture = Fixture::start();
    let r = run_with(Some("not-the-fixture-token"), &["check", &fixture.url("/protected")]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(rows(&r.stdout)[0].contains("FAIL: refused a valid signature"), "{}", r.all());
}

#[test]
fn a_server_error_fails() {
    let fixture = Fixture::start();
    let r = run(&["check", &fixture.url("/broken")]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert_eq!(rows(&r.stdout)[0], "POST valid 500 FAIL: server error 500");
    assert!(rows(&r.stdout)[1].starts_with("POST invalid 500 FAIL"), "{}", r.all());
}

#[test]
fn a_redirect_is_reported_not_followed() {
    let fixture = Fixture::start();
    let r = run(&["check", &fixture.url("/redirect")]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(rows(&r.stdout)[0].contains("301 FAIL: redirected to /protected"), "{}", r.all());
    assert!(fixture.seen().iter().all(|s| s.target == "/redirect"));
}

#[test]
fn a_missing_route_is_reported() {
    let fixture = Fixture::start();
    let r = run(&["check", &fixture.url("/nowhere")]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(rows(&r.stdout)[0].contains("404 FAIL: 404: no route at this URL"), "{}", r.all());
}

#[test]
fn connection_refused_exits_3_with_a_clear_message() {
    let url = format!("http://127.0.0.1:{}/sms", free_port());
    let r = run(&["check", &url]);
    assert_eq!(r.code, 3, "{}", r.all());
    assert!(r.stderr.contains("connection refused by 127.0.0.1:"), "{}", r.all());
    assert!(r.stdout.contains("ERROR: connection refused"), "{}", r.all());
    assert!(!r.stderr.contains("panicked"), "{}", r.all());
}

#[test]
fn a_server_that_never_answers_times_out() {
    let port = silent_server(Duration::from_secs(8));
    let started = Instant::now();
    let r = run(&["check", &format!("http://127.0.0.1:{port}/sms"), "--timeout", "0.5"]);
    assert_eq!(r.code, 3, "{}", r.all());
    assert!(r.stderr.contains("timed out: 127.0.0.1:"), "{}", r.all());
    assert!(r.stderr.contains("within 0.5s"), "{}", r.all());
    assert!(r.stdout.contains("POST    valid      -       ERROR: timed out"), "{}", r.all());
    // It gives up on the first request rather than waiting once per request.
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn https_to_a_plain_http_server_is_a_tls_error() {
    let url = format!("https://127.0.0.1:{}/sms", plain_http_server());
    let r = run(&["check", &url, "--timeout", "5"]);
    assert_eq!(r.code, 3, "{}", r.all());
    assert!(r.stdout.contains("ERROR: TLS error"), "{}", r.all());
    assert!(r.stderr.contains("does it serve https on that port?"), "{}", r.all());
}

#[test]
fn an_unknown_host_is_a_network_error() {
    // `.invalid` never resolves (RFC 6761).
    let r = run(&["check", "http://twilio-webhook-test.invalid/sms", "--timeout", "5"]);
    assert_eq!(r.code, 3, "{}", r.all());
    assert!(r.stderr.contains("twilio-webhook-test.invalid"), "{}", r.all());
}

#[test]
fn basic_credentials_are_sent_when_asked() {
    let fixture = Fixture::start();
    let url = fixture.url("/basic");
    let creds = format!("{USER}:{PASSWORD}");
    let r = run(&["check", &url, "--basic", &creds]);
    assert_eq!(r.code, 0, "{}", r.all());
    let seen = fixture.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|s| s.authorization.as_deref().is_some_and(|a| a.starts_with("Basic "))));

    let r = run(&["check", &url]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(rows(&r.stdout)[0].contains("401 FAIL: 401: HTTP credentials missing or wrong"), "{}", r.all());

    let r = run(&["check", &url, "--basic", "twilio:wrong"]);
    assert_eq!(r.code, 1, "{}", r.all());
}

#[test]
fn digest_challenges_are_answered() {
    let fixture = Fixture::start();
    let url = fixture.url("/digest?x=1");
    let creds = format!("{USER}:{PASSWORD}");
    let r = run(&["check", &url, "--method", "both", "--digest", &creds]);
    assert_eq!(r.code, 0, "{}", r.all());
    // Each request: first unauthenticated (401 challenge), then with the Digest answer.
    let seen = fixture.seen();
    assert_eq!(seen.len(), 8, "{seen:#?}");
    for pair in seen.chunks(2) {
        assert!(pair[0].authorization.is_none());
        assert!(pair[1].authorization.as_deref().is_some_and(|a| a.starts_with("Digest ")));
        assert_eq!(pair[0].signature, pair[1].signature);
        assert_eq!(pair[0].body, pair[1].body);
    }

    let r = run(&["check", &url]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(rows(&r.stdout)[0].contains("asks for Digest credentials (--digest USER:PASS)"), "{}", r.all());

    let r = run(&["check", &url, "--digest", "twilio:wrong"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(rows(&r.stdout)[0].contains("401"), "{}", r.all());
}

#[test]
fn the_token_file_is_read_and_its_newline_ignored() {
    let fixture = Fixture::start();
    let dir = std::env::temp_dir().join(format!("twilio-webhook-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("token");
    std::fs::write(&file, format!("{TOKEN}\n")).unwrap();
    let r =
        run_with(None, &["check", &fixture.url("/protected"), "--auth-token-file", file.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(r.code, 0, "{}", r.all());
}

#[test]
fn configuration_errors_exit_2_before_sending_anything() {
    let fixture = Fixture::start();
    let url = fixture.url("/protected");
    let with_creds = url.replace("http://", "http://user:pass@");
    for (token, args, message) in [
        (None, vec!["check", url.as_str()], "no auth token: set TWILIO_AUTH_TOKEN"),
        (Some(""), vec!["check", url.as_str()], "TWILIO_AUTH_TOKEN is empty"),
        (Some(TOKEN), vec!["check", with_creds.as_str(), "--basic", "a:b"], "give them once"),
        (Some(TOKEN), vec!["check", &url.replace("http://", "http://@")], "with a user name"),
        (Some(TOKEN), vec!["check", "ftp://example.com/sms"], "unsupported scheme"),
        (Some(TOKEN), vec!["check", "wss://example.com/relay", "--method", "get"], "always a GET"),
        (Some(TOKEN), vec!["check", "wss://example.com/relay", "--param", "A=1"], "no POST parameters"),
        (Some(TOKEN), vec!["check", "wss://example.com/relay#top"], "#fragment"),
        (Some(TOKEN), vec!["check", "example.com/sms"], "absolute URL"),
        (Some(TOKEN), vec!["check", "https://example.com/sms#top"], "#fragment"),
        (Some(TOKEN), vec!["check", url.as_str(), "--param", "nope"], "expected NAME=VALUE"),
        (Some(TOKEN), vec!["check", url.as_str(), "--basic", "nocolon"], "expected USER:PASS"),
        (Some(TOKEN), vec!["check", url.as_str(), "--timeout", "0"], "greater than 0"),
        (
            Some(TOKEN),
            vec!["check", url.as_str(), "--basic", "a:b", "--digest", "a:b"],
            "cannot be used with",
        ),
        (Some(TOKEN), vec!["check", url.as_str(), "--method", "put"], "invalid value 'put'"),
        (
            Some(TOKEN),
            vec!["check", url.as_str(), "--auth-token-file", "/nonexistent/token"],
            "cannot read token file",
        ),
    ] {
        let r = run_with(token, &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.all());
        assert!(r.stderr.contains(message), "{args:?}: {}", r.all());
        assert!(!r.stderr.contains("panicked"), "{}", r.all());
    }
    assert!(fixture.seen().is_empty());
}

#[test]
fn credentials_in_the_url_are_used_as_twilio_uses_them() {
    // Twilio leaves user:pass@ out of the URL it signs and answers the server's challenge with them:
    // check does the same, for Basic and for Digest, with the password percent-decoded.
    let fixture = Fixture::start();
    let encoded = PASSWORD.replace(':', "%3A");
    for (path, scheme) in [("/basic", "Basic "), ("/digest", "Digest ")] {
        let url = fixture.url(path).replace("http://", &format!("http://{USER}:{encoded}@"));
        let r = run(&["check", &url]);
        assert_eq!(r.code, 0, "{path}: {}", r.all());
        assert!(!r.stdout.contains(&encoded), "the credentials are not printed: {}", r.all());
        let seen = fixture.seen();
        let answered: Vec<_> =
            seen.iter().filter(|s| s.target.starts_with(path) && s.authorization.is_some()).collect();
        assert_eq!(answered.len(), 2, "{seen:#?}");
        assert!(
            answered.iter().all(|s| s.authorization.as_deref().unwrap().starts_with(scheme)),
            "{seen:#?}"
        );
    }
}
