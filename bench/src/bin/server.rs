//! The load-test server of `bench/load.sh`: two identical SMS routes, one with `#[validate_twilio_request]`
//! and one without, so the difference in throughput is the guard's cost.
//!
//! ```text
//! server PORT             serve on 127.0.0.1:PORT (workers: ROCKET_WORKERS, default: the CPU count)
//! server request URL      print {"body": form body, "signature": its X-Twilio-Signature for URL}
//! server forged URL       the same body with a well-formed signature made with another token
//! ```

use rocket::form::Form;
use rocket::{post, routes};
use rocket_twilio::{validate_twilio_request, RequestValidator, Twilio};
use rocket_twilio_bench::{signed_sms, sms, TOKEN};

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
        (Some(port), None) => {
            let port: u16 = port.parse().expect("a port number");
            let figment = rocket::Config::figment()
                .merge(("address", "127.0.0.1"))
                .merge(("port", port))
                .merge(("log_level", "off"))
                .merge(("cli_colors", false))
                .merge(("twilio.auth_token", TOKEN));
            let rocket =
                rocket::custom(figment).attach(Twilio::fairing()).mount("/", routes![guarded, plain]);
            if let Err(e) = rocket::execute(rocket.launch()) {
                eprintln!("server: {e}");
                std::process::exit(1);
            }
        }
        _ => {
            eprintln!("usage: server PORT | server request URL | server forged URL");
            std::process::exit(2);
        }
    }
}
