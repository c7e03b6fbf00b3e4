//! The load-test server of `bench/load.sh`: three identical SMS routes, one with `#[validate_twilio_request]`,
//! one without, and one with the attribute and a `Delivery` guard, so the differences in throughput are the
//! guard's cost and the de-duplication's.
//!
//! ```text
//! server PORT               serve on 127.0.0.1:PORT (workers: ROCKET_WORKERS, default: the CPU count;
//!                           DEDUPE_REDIS_URL=redis://… (or rediss://) claims /dedupe/sms in Redis instead
//!                           of memory, DEDUPE_REDIS_CLUSTER=URL,URL… in a Redis Cluster,
//!                           DEDUPE_REDIS_CA_FILE=PEM verifies a rediss:// server against that CA,
//!                           DEDUPE_CAPACITY=N bounds the in-memory store, BENCH_NOOP_GUARD=1 serves
//!                           /dedupe/sms with a request guard that does nothing instead of `Delivery`)
//! server request URL        print {"body": form body, "signature": its X-Twilio-Signature for URL}
//! server forged URL         the same body with a well-formed signature made with another token
//! server requests URL N     print N distinct signed SMS webhooks for URL, one `signature<TAB>body` a line
//! ```
//!
//! With `BENCH_COUNT_ALLOCATIONS=1`, the server counts its heap allocations (every thread), and
//! `GET /allocations` answers `{"allocations": n, "bytes": n}` so far (`bench/allocations.py` divides the
//! difference around a batch of requests by their number). Off by default: the count is two atomic
//! additions per allocation, which wrk's throughput rounds should not pay.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};

use rocket::form::Form;
use rocket::request::{self, FromRequest};
use rocket::{get, post, routes, Request};
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

/// A request guard that does nothing: what Rocket charges for any guard (its boxed future, its call), the
/// part of `Delivery`'s cost that no guard avoids.
struct NoopGuard;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for NoopGuard {
    type Error = ();

    async fn from_request(_: &'r Request<'_>) -> request::Outcome<Self, ()> {
        request::Outcome::Success(NoopGuard)
    }
}

/// `dedupe` with a guard that does nothing instead of `Delivery` (served at `/dedupe/sms`, in its place,
/// with `BENCH_NOOP_GUARD=1`).
#[validate_twilio_request]
#[post("/dedupe/sms", data = "<sms>")]
fn noop_guard(sms: Form<Sms<'_>>, _guard: NoopGuard) -> String {
    reply(&sms)
}

/// The same route, unprotected: the baseline.
#[post("/plain/sms", data = "<sms>")]
fn plain(sms: Form<Sms<'_>>) -> String {
    reply(&sms)
}

/// The system allocator, counting allocations (and reallocations, which may move) while [`COUNTING`].
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

impl Counting {
    fn count(size: usize) {
        if COUNTING.load(Relaxed) {
            ALLOCATIONS.fetch_add(1, Relaxed);
            BYTES.fetch_add(size as u64, Relaxed);
        }
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; counting touches only atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::count(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::count(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Self::count(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Heap allocations so far (0 unless `BENCH_COUNT_ALLOCATIONS` is set).
#[get("/allocations")]
fn allocations() -> String {
    serde_json::json!({ "allocations": ALLOCATIONS.load(Relaxed), "bytes": BYTES.load(Relaxed) }).to_string()
}

fn main() {
    if std::env::var_os("BENCH_COUNT_ALLOCATIONS").is_some_and(|v| v != "0") {
        COUNTING.store(true, Relaxed);
    }
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
            if let Ok(seeds) = std::env::var("DEDUPE_REDIS_CLUSTER") {
                let seeds: Vec<&str> = seeds.split(',').collect();
                figment = figment.merge(("twilio.dedupe.redis_cluster", seeds));
            }
            if let Ok(ca) = std::env::var("DEDUPE_REDIS_CA_FILE") {
                figment = figment.merge(("twilio.dedupe.redis_ca_file", ca));
            }
            if let Some(capacity) = std::env::var("DEDUPE_CAPACITY").ok().and_then(|c| c.parse::<u64>().ok())
            {
                figment = figment.merge(("twilio.dedupe.capacity", capacity));
            }
            // Rocket tries a method's routes one after the other, and each route it passes over costs a
            // failed match (about 150 instructions). In this order each measured route comes one place after
            // its baseline (the guard after `plain`, `Delivery` after `guarded`), so both costs include one
            // failed match: against the guard and `Delivery`, never for them.
            let measured = match std::env::var_os("BENCH_NOOP_GUARD").is_some_and(|v| v != "0") {
                true => routes![noop_guard],
                false => routes![dedupe],
            };
            let rocket = rocket::custom(figment)
                .attach(Twilio::fairing())
                .mount("/", routes![plain, guarded])
                .mount("/", measured)
                .mount("/", routes![allocations]);
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
