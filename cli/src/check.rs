//! `twilio-webhook check`: does a deployed webhook accept Twilio's requests and refuse forged ones?

use std::io::Write;

use rocket_twilio::RequestValidator;

use crate::args::{CheckArgs, MethodArg, SampleArg};
use crate::error::{CliError, Outcome, Verdict};
use crate::http::{Answer, Auth, Client, Method, SignedRequest};
use crate::params::{form_encode, pairs, Credentials, Param};
use crate::secret;
use crate::sign::signed_url;

/// The parameters common to every sample: the account and API version Twilio always sends.
const ACCOUNT: [(&str, &str); 2] =
    [("AccountSid", "AC00000000000000000000000000000000"), ("ApiVersion", "2010-04-01")];

/// The sample webhooks (`--sample`), with the parameters Twilio always sends with each (those
/// `rocket_twilio::webhooks` requires), numbers from Twilio's test range.
fn sample(kind: SampleArg) -> Vec<(&'static str, &'static str)> {
    let own: &[(&str, &str)] = match kind {
        SampleArg::Sms => &[
            ("MessageSid", "SM00000000000000000000000000000000"),
            ("SmsSid", "SM00000000000000000000000000000000"),
            ("From", "+15005550006"),
            ("To", "+15005550001"),
            ("Body", "Hello from twilio-webhook check"),
            ("NumMedia", "0"),
            ("NumSegments", "1"),
        ],
        SampleArg::Call => &[
            ("CallSid", "CA00000000000000000000000000000000"),
            ("From", "+15005550006"),
            ("To", "+15005550001"),
            ("CallStatus", "ringing"),
            ("Direction", "inbound"),
        ],
        SampleArg::MessageStatus => &[
            ("MessageSid", "SM00000000000000000000000000000000"),
            ("MessageStatus", "delivered"),
            ("From", "+15005550001"),
            ("To", "+15005550006"),
        ],
        SampleArg::CallStatus => &[
            ("CallSid", "CA00000000000000000000000000000000"),
            ("From", "+15005550006"),
            ("To", "+15005550001"),
            ("CallStatus", "completed"),
            ("Direction", "inbound"),
            ("CallDuration", "42"),
        ],
    };
    ACCOUNT.iter().chain(own).copied().collect()
}

/// The parameters to send: the sample (unless only `--param`s are given), then the `--param`s, each
/// replacing a sample parameter of the same name.
fn payload(args: &CheckArgs) -> Vec<Param> {
    let base = match (args.sample, args.params.is_empty()) {
        (None, false) => Vec::new(),
        (kind, _) => sample(kind.unwrap_or_default()),
    };
    let mut params: Vec<Param> = base
        .into_iter()
        .filter(|(name, _)| !args.params.iter().any(|p| p.name == *name))
        .map(|(name, value)| Param { name: name.to_owned(), value: value.to_owned() })
        .collect();
    params.extend(args.params.iter().cloned());
    params
}

/// Which signature a request carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Signature {
    /// Computed with the Auth Token: the webhook must accept it.
    Valid,
    /// Computed with another key: the webhook must answer 403.
    Forged,
}

impl Signature {
    fn label(self) -> &'static str {
        match self {
            Signature::Valid => "valid",
            Signature::Forged => "invalid",
        }
    }
}

/// The verdict on one answer.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Judgement {
    ok: bool,
    text: String,
}

impl Judgement {
    fn ok(text: &str) -> Self {
        Judgement { ok: true, text: format!("ok: {text}") }
    }

    fn fail(text: impl AsRef<str>) -> Self {
        Judgement { ok: false, text: format!("FAIL: {}", text.as_ref()) }
    }
}

/// Sends the requests, prints the table to `out`, and passes only if every answer is the expected one.
pub(crate) fn run(args: &CheckArgs, out: &mut dyn Write) -> Outcome {
    // Like Twilio: `user:pass@` is left out of the URL signed and sent, and answers the server's challenge.
    // (`UrlParts` takes http, https, ws and wss URLs only.)
    let (url, webhook_url) = signed_url(&args.url)?;
    let websocket = rocket_twilio::is_websocket_scheme(url.scheme());
    if websocket && (!args.params.is_empty() || args.sample.is_some()) {
        return Err(CliError::usage(
            "a WebSocket handshake has no POST parameters: put them in the ws(s):// URL's query string, \
             which Twilio signs after the URL",
        ));
    }
    if websocket && args.method.is_some() {
        return Err(CliError::usage(
            "--method is for http(s) webhooks: a WebSocket handshake is always a GET",
        ));
    }
    let url_credentials = url.userinfo().map(userinfo_credentials).transpose()?;
    if url_credentials.is_some() && (args.basic.is_some() || args.digest.is_some()) {
        return Err(CliError::usage(
            "the URL has credentials (user:pass@) and --basic or --digest gives others: give them once",
        ));
    }
    if url.fragment().is_some() {
        return Err(CliError::usage("the URL has a #fragment, which is never sent to a server: remove it"));
    }
    let secret = secret::primary(args.token.auth_token_file.as_deref())?;
    let params = match websocket {
        true => Vec::new(),
        false => payload(args),
    };
    let auth = match (&args.basic, &args.digest, url_credentials) {
        (_, _, Some(c)) => Auth::Challenged(c),
        (Some(c), _, None) => Auth::Basic(c.clone()),
        (None, Some(c), None) => Auth::Digest(c.clone()),
        (None, None, None) => Auth::None,
    };
    let uses_digest = matches!(auth, Auth::Digest(_) | Auth::Challenged(_));
    let client = Client::new(auth, args.timeout);
    let methods: &[Method] = match (websocket, args.method.unwrap_or_default()) {
        (true, _) => &[Method::Handshake],
        (false, MethodArg::Get) => &[Method::Get],
        (false, MethodArg::Post) => &[Method::Post],
        (false, MethodArg::Both) => &[Method::Get, Method::Post],
    };

    let genuine = RequestValidator::new(secret.expose());
    // A well-formed signature made with a key that differs from the Auth Token.
    let forged = RequestValidator::new([secret.expose(), b"/forged-by-twilio-webhook-check"].concat());
    let form = form_encode(&params);

    writeln!(out, "{:<6}  {:<9}  {:<6}  VERDICT", "METHOD", "SIGNATURE", "STATUS")?;
    let mut failures = Vec::new();
    for &method in methods {
        let target = match method {
            Method::Get => with_query(&webhook_url, &form),
            Method::Post | Method::Handshake => webhook_url.clone(),
        };
        for kind in [Signature::Valid, Signature::Forged] {
            let validator = if kind == Signature::Valid { &genuine } else { &forged };
            let signature = match method {
                Method::Get => validator.compute_url_signature(&target),
                Method::Post => validator.compute_signature(&target, pairs(&params)),
                Method::Handshake => validator.compute_handshake_signature(&target),
            };
            let request = SignedRequest {
                method,
                url: &target,
                signature: &signature,
                form_body: (method == Method::Post).then_some(form.as_str()),
            };
            let answer = match client.send(&request) {
                Ok(answer) => answer,
                Err(CliError::Network { kind: error, message }) => {
                    writeln!(out, "{method:<6}  {:<9}  {:<6}  ERROR: {error}", kind.label(), "-")?;
                    out.flush()?;
                    return Err(CliError::Network { kind: error, message });
                }
                Err(e) => return Err(e),
            };
            let judgement = judge(method, kind, &answer, uses_digest);
            writeln!(out, "{method:<6}  {:<9}  {:<6}  {}", kind.label(), answer.status, judgement.text)?;
            out.flush()?;
            if !judgement.ok {
                failures.push((kind, answer.status));
            }
        }
    }

    if failures.is_empty() && websocket {
        writeln!(
            out,
            "PASS: {} opens the WebSocket for correctly signed handshakes (101) and refuses forged ones (403)",
            webhook_url
        )?;
    } else if failures.is_empty() {
        writeln!(
            out,
            "PASS: {} accepts correctly signed requests and refuses forged ones (403)",
            webhook_url
        )?;
    } else {
        writeln!(out, "FAIL: {}", summary(&failures))?;
    }
    Ok(Verdict::from_ok(failures.is_empty()))
}

/// The credentials of a URL's `user:pass@`, percent-decoded.
fn userinfo_credentials(userinfo: &str) -> Result<Credentials, CliError> {
    let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
    match userinfo.split_once(':') {
        Some((user, password)) if !user.is_empty() => {
            Ok(Credentials { user: decode(user), password: decode(password) })
        }
        _ => Err(CliError::usage("the URL's credentials must be user:pass@ with a user name")),
    }
}

/// `url` with the form-encoded parameters added to its query string.
fn with_query(url: &str, form: &str) -> String {
    if form.is_empty() {
        return url.to_owned();
    }
    match url.split_once('?') {
        None => format!("{url}?{form}"),
        Some((_, "")) => format!("{url}{form}"),
        Some((_, q)) if q.ends_with('&') => format!("{url}{form}"),
        Some(_) => format!("{url}&{form}"),
    }
}

fn judge(method: Method, kind: Signature, answer: &Answer, uses_digest: bool) -> Judgement {
    let status = answer.status;
    let handshake = method == Method::Handshake;
    match (kind, status) {
        (Signature::Valid, 101) if answer.upgraded => Judgement::ok("upgraded"),
        (Signature::Valid, 101) => Judgement::fail(
            "101 without the Sec-WebSocket-Accept of the key sent: not a WebSocket server's answer",
        ),
        (Signature::Forged, 101) => {
            Judgement::fail("opened the WebSocket for a forged signature: the endpoint is not protected")
        }
        (Signature::Valid, 200..=299) if handshake => Judgement::fail(format!(
            "answered {status} without switching protocols: the URL is not a WebSocket route"
        )),
        (Signature::Valid, 403) if handshake => Judgement::fail(
            "refused a valid handshake: Twilio signs the ws(s):// URL it opens (its query as parameters); \
             the app checks another URL (https:// instead of wss://?) or token",
        ),
        (Signature::Valid, 200..=299) => Judgement::ok("accepted"),
        (Signature::Forged, 403) => Judgement::ok("refused"),
        (Signature::Forged, 200..=299) => {
            Judgement::fail("accepted a forged signature: the endpoint is not protected")
        }
        (Signature::Valid, 403) => Judgement::fail(
            "refused a valid signature: the app validates another URL or token \
             (run `twilio-webhook explain` on the URL it logged)",
        ),
        (_, 401) if answer.digest_challenge && !uses_digest => {
            Judgement::fail("401: the webhook asks for Digest credentials (--digest USER:PASS)")
        }
        (_, 401) => Judgement::fail("401: HTTP credentials missing or wrong (--basic or --digest USER:PASS)"),
        (_, 300..=399) => Judgement::fail(format!(
            "redirected to {}: Twilio signs the URL it calls, configure the final URL",
            answer.location.as_deref().unwrap_or("(no Location)")
        )),
        (_, 404) => Judgement::fail("404: no route at this URL"),
        (_, 405) => Judgement::fail(format!("405: the route does not accept {method}")),
        (_, 500..=599) => Judgement::fail(format!("server error {status}")),
        (Signature::Valid, _) => Judgement::fail(format!("expected 2xx, got {status}")),
        (Signature::Forged, _) => Judgement::fail(format!(
            "expected 403, got {status} (Twilio's libraries answer a bad signature with 403)"
        )),
    }
}

fn summary(failures: &[(Signature, u16)]) -> String {
    let accepted_forgery =
        failures.iter().any(|&(k, s)| k == Signature::Forged && (s == 101 || (200..300).contains(&s)));
    let refused_valid = failures.iter().any(|&(k, s)| k == Signature::Valid && s == 403);
    if accepted_forgery {
        "the endpoint is not protected: it accepted a forged X-Twilio-Signature".to_owned()
    } else if refused_valid {
        "the endpoint refused a correctly signed request: run `twilio-webhook explain` with the URL and \
         signature your app logged"
            .to_owned()
    } else {
        format!("{} answer(s) were not the expected 2xx (valid) or 403 (forged)", failures.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16) -> Answer {
        Answer { status, location: None, digest_challenge: false, upgraded: false }
    }

    #[test]
    fn adds_the_query_string() {
        assert_eq!(with_query("https://h/x", "a=1"), "https://h/x?a=1");
        assert_eq!(with_query("https://h/x?", "a=1"), "https://h/x?a=1");
        assert_eq!(with_query("https://h/x?b=2", "a=1"), "https://h/x?b=2&a=1");
        assert_eq!(with_query("https://h/x?b=2&", "a=1"), "https://h/x?b=2&a=1");
        assert_eq!(with_query("https://h/x", ""), "https://h/x");
    }

    #[test]
    fn judges_like_the_official_test_script() {
        let j = |kind, status| judge(Method::Post, kind, &answer(status), false);
        assert!(j(Signature::Valid, 200).ok);
        assert!(j(Signature::Valid, 204).ok);
        assert!(j(Signature::Forged, 403).ok);
        assert!(!j(Signature::Forged, 200).ok);
        assert!(j(Signature::Forged, 200).text.contains("not protected"));
        assert!(!j(Signature::Valid, 403).ok);
        assert!(!j(Signature::Forged, 400).ok);
        assert!(!j(Signature::Valid, 500).ok);
        assert!(!j(Signature::Valid, 302).ok);
    }

    #[test]
    fn judges_handshakes_by_the_upgrade() {
        let upgraded = Answer { upgraded: true, ..answer(101) };
        let j = |kind, a: &Answer| judge(Method::Handshake, kind, a, false);
        assert!(j(Signature::Valid, &upgraded).ok);
        assert!(!j(Signature::Valid, &answer(101)).ok, "101 without the right accept key");
        assert!(!j(Signature::Valid, &answer(200)).ok, "no upgrade");
        assert!(j(Signature::Valid, &answer(403)).text.contains("wss://"));
        assert!(j(Signature::Forged, &answer(403)).ok);
        assert!(!j(Signature::Forged, &upgraded).ok);
        assert!(j(Signature::Forged, &upgraded).text.contains("not protected"));
        assert!(summary(&[(Signature::Forged, 101)]).contains("not protected"));
    }

    #[test]
    fn suggests_digest_when_challenged() {
        let a = Answer { status: 401, location: None, digest_challenge: true, upgraded: false };
        assert!(judge(Method::Get, Signature::Valid, &a, false).text.contains("--digest"));
    }
}
