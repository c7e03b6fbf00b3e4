//! The load-test server of `bench/load.sh`: three identical SMS routes, one with `#[validate_twilio_request]`,
//! one without, and one with the attribute and a `Delivery` guard, so the differences in throughput are the
//! guard's cost and the de-duplication's.
//!
//! ```text
//! server PORT               serve on 127.0.0.1:PORT (workers: ROCKET_WORKERS, default: the CPU count;
//!                           DEDUPE_REDIS_URL=redis://… claims /dedupe/sms in Redis instead of memory,
//!                           DEDUPE_CAPACITY=N bounds the in-memory store)
//! server request URL        print {"body": form body, "signature": its X-Twilio-Signature for URL}
//! server forged URL         the same body with a well-formed signature made with another token
//! server requests URL N     print N distinct signed SMS webhooks for URL, one `signature<TAB>body` a line
//! ```

use std::io::Write;

use rocket::form::Form;
use rocket::{post, routes};
use rocket_twilio::{validate_twilio_request, Delivery, RequestValidator, Twilio};
use rocket_twilio_bench::{numbered_sms, signed_sms, sms, TOKEN};

#[derive(rocket::FromForm)]
struct Sms<'r> {
    #[field(name = "From")]
    from: &'r str,
    #[field(name = "Body")]
    body: &'r str,
}

fn reply(sms: &Sms<'_>) -> String {
    format!("{} sent {} characters", sms.from, sms.body.chars().count())
}

/// The protected webhook.
#[validate_twilio_request]
#[post("/guarded/sms", data = "<sms>")]
fn guarded(sms: Form<Sms<'_>>) -> String {
    reply(&sms)
}

/// The protected webhook, acting on each delivery once (`twilio.dedupe`: in memory, or Redis).
#[validate_twilio_request]
#[post("/dedupe/sms", data = "<sms>")]
fn dedupe(sms: Form<Sms<'_>>, delivery: Delivery<'_>) -> String {
    match delivery.is_duplicate() {
        false => reply(&sms),
        true => String::new(),
    }
}

/// The same route, unprotected: the baseline.
#[post("/plain/sms", data = "<sms>")]
fn plain(sms: Form<Sms<'_>>) -> String {
    reply(&sms)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("request"), Some(url)) => {
            let (body, signature) = signed_sms(url);
            println!("{}", serde_json::json!({ "body": body, "signature": signature }));
        }
        (Some("forged"), Some(url)) => {
            let (body, _) = signed_sms(url);
            let params = sms("Hello from Twilio! Reply STOP to unsubscribe.");
            let signature = RequestValidator::new("a forger's guess, not the token")
                .compute_signature(url, params.iter().map(|(n, v)| (n.as_str(), v.as_str())));
            println!("{}", serde_json::json!({ "body": body, "signature": signature }));
        }
        (Some("requests"), Some(url)) => {
            let n: u64 = args.get(3).and_then(|n| n.parse().ok()).expect("a number of requests");
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for i in 0..n {
                let (body, signature) = numbered_sms(url, i);
                writeln!(out, "{signature}\t{body}").expect("write to stdout");
            }
        }
        (Some(port), None) => {
            let port: u16 = port.parse().expect("a port number");
            let mut figment = rocket::Config::figment()
                .merge(("address", "127.0.0.1"))
                .merge(("port", port))
                .merge(("log_level", "off"))
                .merge(("cli_colors", false))
                .merge(("twilio.auth_token", TOKEN));
            if let Ok(url) = std::env::var("DEDUPE_REDIS_URL") {
                figment = figment.merge(("twilio.dedupe.redis_url", url));
            }
            if let Some(capacity) = std::env::var("DEDUPE_CAPACITY").ok().and_then(|c| c.parse::<u64>().ok()) {
                figment = figment.merge(("twilio.dedupe.capacity", capacity));
            }
            let rocket = rocket::custom(figment)
                .attach(Twilio::fairing())
                .mount("/", routes![guarded, plain, dedupe]);
            if let Err(e) = rocket::execute(rocket.launch()) {
                eprintln!("server: {e}");
                std::process::exit(1);
            }
        }
        _ => {
            eprintln!("usage: server PORT | server request URL | server forged URL | server requests URL N");
            std::process::exit(2);
        }
    }
}
