//! `twilio-webhook explain`: each kind of nearby variant is found and named, with its fix.

mod common;

use common::{bin, run, run_with, Run, TOKEN};
use rocket_twilio::{Algorithm, RequestValidator};

const PARAMS: [(&str, &str); 2] = [("From", "+14155550100"), ("Body", "hello")];
const SECONDARY: &str = "secondary-token-fedcba9876543210";

/// What Twilio would send for `url` with [`PARAMS`], signed with `token`.
fn twilio_signed(token: &str, url: &str) -> String {
    RequestValidator::new(token).compute_signature(url, PARAMS)
}

/// `explain SAW --signature SIG From=… Body=…` plus `extra`.
fn explain(saw: &str, signature: &str, extra: &[&str]) -> Run {
    let mut args = vec!["explain", saw, "--signature", signature, "From=+14155550100", "Body=hello"];
    args.extend_from_slice(extra);
    run(&args)
}

/// Asserts a mismatch explained by exactly these differences, and returns the output.
fn assert_found(r: &Run, signed: &str, differences: &str) {
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.starts_with("mismatch: "), "{}", r.all());
    assert!(r.stdout.contains(&format!("\nTwilio signed: {signed}\n")), "{}", r.all());
    assert!(r.stdout.contains(&format!("\ndifferences: {differences}\n")), "{}", r.all());
    assert!(r.stdout.contains("\nfix: "), "{}", r.all());
}

#[test]
fn a_matching_signature_exits_0() {
    let url = "https://example.com/sms?x=1";
    let r = explain(url, &twilio_signed(TOKEN, url), &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.starts_with("match: the signature is valid for https://example.com/sms?x=1"),
        "{}",
        r.all()
    );
}

#[test]
fn the_port_toggle_every_library_accepts_is_a_match() {
    let r = explain("https://example.com:443/sms", &twilio_signed(TOKEN, "https://example.com/sms"), &[]);
    assert_eq!(r.code, 0, "{}", r.all());
}

#[test]
fn https_terminated_at_a_proxy() {
    let r = explain("http://example.com/sms", &twilio_signed(TOKEN, "https://example.com/sms"), &[]);
    assert_found(&r, "https://example.com/sms", "scheme http → https");
    assert!(r.stdout.contains("\nfix: set twilio.base_url = \"https://example.com\"\n"), "{}", r.all());
    // No forwarded header was given: trusting them would not help.
    assert!(!r.stdout.contains("trust_forwarded_headers"), "{}", r.all());
}

#[test]
fn twilio_calling_plain_http() {
    let r = explain("https://example.com/sms", &twilio_signed(TOKEN, "http://example.com/sms"), &[]);
    assert_found(&r, "http://example.com/sms", "scheme https → http");
}

#[test]
fn a_port_seen_only_behind_the_proxy() {
    let r = explain("http://example.com:8080/sms", &twilio_signed(TOKEN, "https://example.com/sms"), &[]);
    assert_found(&r, "https://example.com/sms", "scheme http → https; port :8080 → no port");

    let r =
        explain("https://example.com:8443/sms", &twilio_signed(TOKEN, "https://example.com:443/sms"), &[]);
    assert_found(&r, "https://example.com:443/sms", "port :8443 → :443");
    assert!(r.stdout.contains("twilio.base_url = \"https://example.com:443\""), "{}", r.all());
}

#[test]
fn another_host_given_with_host() {
    let signed = "https://abc123.ngrok.app/sms";
    let sig = twilio_signed(TOKEN, signed);
    // Without --host the public host cannot be guessed.
    let r = explain("http://localhost:8000/sms", &sig, &[]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("none of the"), "{}", r.all());
    assert!(r.stdout.contains("--host"), "{}", r.all());

    let r = explain(
        "http://localhost:8000/sms",
        &sig,
        &["--host", "other.example", "--host", "abc123.ngrok.app"],
    );
    assert_found(&r, signed, "scheme http → https; host localhost:8000 → abc123.ngrok.app (--host)");
    assert!(r.stdout.contains("fix: set twilio.base_url = \"https://abc123.ngrok.app\""), "{}", r.all());

    // A --host with a port.
    let signed = "http://example.com:8080/sms";
    let r = explain("http://10.0.0.5/sms", &twilio_signed(TOKEN, signed), &["--host", "example.com:8080"]);
    assert_found(&r, signed, "host 10.0.0.5 → example.com:8080 (--host)");
    assert!(r.stdout.contains("fix: set twilio.base_url = \"http://example.com:8080\""), "{}", r.all());
}

#[test]
fn a_lower_cased_host() {
    let r = explain("https://Example.COM/sms", &twilio_signed(TOKEN, "https://example.com/sms"), &[]);
    assert_found(&r, "https://example.com/sms", "host lower-cased");
}

#[test]
fn a_trailing_slash_either_way() {
    let r = explain("https://example.com/sms", &twilio_signed(TOKEN, "https://example.com/sms/"), &[]);
    assert_found(&r, "https://example.com/sms/", "trailing slash added");
    assert!(r.stdout.contains("make the route and the webhook URL set in Twilio the same"), "{}", r.all());

    let r = explain("https://example.com/sms/", &twilio_signed(TOKEN, "https://example.com/sms"), &[]);
    assert_found(&r, "https://example.com/sms", "trailing slash removed");

    // The root: the console URL had no path at all.
    let r = explain("https://example.com/", &twilio_signed(TOKEN, "https://example.com"), &[]);
    assert_found(&r, "https://example.com", "trailing slash removed");
}

#[test]
fn a_query_string_twilio_did_not_send() {
    let r = explain("https://example.com/sms?utm=1", &twilio_signed(TOKEN, "https://example.com/sms"), &[]);
    assert_found(&r, "https://example.com/sms", "query string dropped");
}

#[test]
fn a_path_prefix_dropped_or_added() {
    // The app is mounted under /api, which Twilio did not call: tried without any hint.
    let r = explain("https://example.com/api/sms", &twilio_signed(TOKEN, "https://example.com/sms"), &[]);
    assert_found(&r, "https://example.com/sms", "path prefix /api dropped");

    // A proxy strips /twilio before the app: only findable with --prefix.
    let signed = "https://example.com/twilio/sms";
    let r = explain("https://example.com/sms", &twilio_signed(TOKEN, signed), &["--prefix", "twilio/"]);
    assert_found(&r, signed, "path prefix /twilio added (--prefix)");
    assert!(r.stdout.contains("fix: set twilio.base_url = \"https://example.com/twilio\""), "{}", r.all());
}

#[test]
fn credentials_twilio_drops_from_the_url() {
    let r = explain("https://user:pw@example.com/sms", &twilio_signed(TOKEN, "https://example.com/sms"), &[]);
    assert_found(&r, "https://example.com/sms", "credentials (user:pass@) dropped");
}

#[test]
fn the_secondary_token_from_the_environment_or_a_file() {
    let url = "https://example.com/sms";
    let sig = twilio_signed(SECONDARY, url);
    let args = ["explain", url, "--signature", &sig, "From=+14155550100", "Body=hello"];

    let r = run(&args);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("TWILIO_AUTH_TOKEN_SECONDARY"), "the hint names the variable: {}", r.all());

    let out = bin()
        .args(args)
        .env("TWILIO_AUTH_TOKEN", TOKEN)
        .env("TWILIO_AUTH_TOKEN_SECONDARY", SECONDARY)
        .output()
        .unwrap();
    let r = Run::from(out);
    assert_found(&r, url, "signed with the secondary Auth Token");
    assert!(r.stdout.contains("the token your app uses is outdated"), "{}", r.all());

    let dir = std::env::temp_dir().join(format!("twilio-webhook-explain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("secondary");
    std::fs::write(&file, format!("{SECONDARY}\r\n")).unwrap();
    let mut with_file = args.to_vec();
    with_file.extend(["--secondary-token-file", file.to_str().unwrap()]);
    let r = run(&with_file);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_found(&r, url, "signed with the secondary Auth Token");
}

#[test]
fn a_signature_mangled_on_the_way() {
    // Find a URL whose signature contains `+` (about 1 in 2 do).
    let url = (0..100)
        .map(|i| format!("https://example.com/sms?n={i}"))
        .find(|u| twilio_signed(TOKEN, u).contains('+'))
        .expect("some signature has a '+'");
    let sig = twilio_signed(TOKEN, &url);
    let r = explain(&url, &sig.replace('+', " "), &[]);
    assert_found(&r, &url, "spaces in the signature read as '+'");

    let encoded = sig.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D");
    let r = explain(&url, &encoded, &[]);
    assert_found(&r, &url, "signature percent-decoded");
}

#[test]
fn parameters_given_url_encoded_or_not_signed() {
    let url = "https://example.com/sms";
    let sig = twilio_signed(TOKEN, url);
    let r = run(&["explain", url, "--signature", &sig, "From=%2B14155550100", "Body=hello"]);
    assert_found(&r, url, "parameter values URL-decoded");

    // A GET (or JSON) request is signed on the URL alone.
    let get = "https://example.com/sms?From=%2B14155550100";
    let sig = RequestValidator::new(TOKEN).compute_url_signature(get);
    let r = run(&["explain", get, "--signature", &sig, "From=+14155550100"]);
    assert_found(&r, get, "parameters left out (URL signed alone)");
    let r = run(&["explain", get, "--signature", &sig]);
    assert_eq!(r.code, 0, "{}", r.all());
}

#[test]
fn several_differences_at_once() {
    let signed = "https://public.example.com/hooks/sms/";
    let r = explain(
        "http://app:3000/sms?debug=1",
        &twilio_signed(TOKEN, signed),
        &["--host", "public.example.com", "--prefix", "/hooks"],
    );
    assert_found(
        &r,
        signed,
        "scheme http → https; host app:3000 → public.example.com (--host); path prefix /hooks added (--prefix); \
         trailing slash added; query string dropped",
    );
}

#[test]
fn sha256_signatures_are_recognised_by_their_length() {
    let url = "https://example.com/sms";
    let sig = RequestValidator::with_algorithm(TOKEN, Algorithm::HmacSha256).compute_signature(url, PARAMS);
    let r = explain(url, &sig, &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("HMAC_SHA256"), "{}", r.all());
    let r = explain("http://example.com/sms", &sig, &[]);
    assert_found(&r, url, "scheme http → https");
}

#[test]
fn a_signature_of_the_wrong_length() {
    let r = explain("https://example.com/sms", "abc", &[]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("has 3 characters"), "{}", r.all());
}

#[test]
fn no_match_prints_neither_token_nor_signatures() {
    let url = "https://example.com/sms";
    let genuine = twilio_signed(TOKEN, url);
    let other = twilio_signed("someone-else", url);
    let r = explain(url, &other, &[]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("none of the"), "{}", r.all());
    assert!(
        r.stdout.contains("check: that TWILIO_AUTH_TOKEN is the current primary Auth Token"),
        "{}",
        r.all()
    );
    for secret in [TOKEN, genuine.as_str()] {
        assert!(!r.stdout.contains(secret) && !r.stderr.contains(secret), "{}", r.all());
    }
    // A mismatch that a variant explains does not print the expected signature either.
    let r = explain("http://example.com/sms", &genuine, &[]);
    let expected_for_given_url = twilio_signed(TOKEN, "http://example.com/sms");
    assert!(!r.stdout.contains(&expected_for_given_url) && !r.stdout.contains(TOKEN), "{}", r.all());
}

#[test]
fn usage_errors_exit_2() {
    let sig = twilio_signed(TOKEN, "https://example.com/sms");
    for (token, args, message) in [
        (Some(TOKEN), vec!["explain", "https://example.com/sms"], "--signature <SIG>"),
        (None, vec!["explain", "https://example.com/sms", "--signature", &sig], "no auth token"),
        (Some(TOKEN), vec!["explain", "example.com/sms", "--signature", &sig], "absolute URL"),
        (
            Some(TOKEN),
            vec!["explain", "https://h/x", "--signature", &sig, "--host", "h:port"],
            "invalid --host",
        ),
        (
            Some(TOKEN),
            vec!["explain", "https://h/x", "--signature", &sig, "--prefix", "/"],
            "invalid --prefix",
        ),
        (Some(TOKEN), vec!["explain", "https://h/x", "--signature", &sig, "Body"], "expected NAME=VALUE"),
        (
            Some(TOKEN),
            vec![
                "explain",
                "https://h/x",
                "--signature",
                &sig,
                "--host=a",
                "--host=b",
                "--host=c",
                "--host=d",
                "--host=e",
            ],
            "at most 4 --host values",
        ),
    ] {
        let r = run_with(token, &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.all());
        assert!(r.stderr.contains(message), "{args:?}: {}", r.all());
    }
    let out = bin()
        .args(["explain", "https://h/x", "--signature", &sig])
        .env("TWILIO_AUTH_TOKEN", TOKEN)
        .env("TWILIO_AUTH_TOKEN_SECONDARY", "")
        .output()
        .unwrap();
    let r = Run::from(out);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("TWILIO_AUTH_TOKEN_SECONDARY is empty"), "{}", r.all());
}
