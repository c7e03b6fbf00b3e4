//! Duplicate and replay detection over real HTTP, with the in-memory store and with a real Redis
//! (`docs/SECURITY.md`, "Replay"; README, "Duplicate deliveries and replays").
//!
//! Every server verifies with base_url `https://example.com`, so that two servers on two ports check the
//! same URL and one signed delivery is valid on both, as behind a load balancer. Each test signs deliveries
//! of its own (fresh `MessageSid`s), so that tests sharing the Redis of the run never see each other's
//! keys, and neither do two runs within a window.
//!
//! Redis: `TWILIO_TEST_REDIS_URL` (set by `.ci/run`), else a `redis-server` from `PATH`; the outage tests
//! start, stop and freeze their own (`rocket_twilio_tests::redis`).
#![allow(non_snake_case)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant, SystemTime};

use rocket::form::Form;
use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::serde::Deserialize;
use rocket::{get, post, routes, State};
use rocket_twilio::dedupe::{Claim, StoreError, KEY_PREFIX};
use rocket_twilio::webhooks::MessageStatusCallback;
use rocket_twilio::{
    url_with_body_hash, validate_twilio_request, Delivery, FirstDelivery, RequestValidator, Twilio,
};
use rocket_twilio_tests::raw_http::{self, Outcome, FORM};
use rocket_twilio_tests::redis::{self as test_redis, RedisCluster, RedisServer};
use rocket_twilio_tests::server::{self, quiet_config};

const TOKEN: &str = "dedupe-test-auth-token";
const BASE: &str = "https://example.com";
const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";

/// How many times each handler's body ran.
#[derive(Default)]
struct Runs {
    status: AtomicUsize,
    once: AtomicUsize,
    gather: AtomicUsize,
    flaky: AtomicUsize,
}

/// `first|duplicate|unchecked <key> <first seen, ms since the epoch>`.
fn describe(delivery: &Delivery<'_>) -> String {
    let state = match (delivery.is_checked(), delivery.is_duplicate()) {
        (false, _) => "unchecked",
        (true, true) => "duplicate",
        (true, false) => "first",
    };
    let key = delivery.key().map_or("-".to_owned(), |k| k.to_string());
    let seen =
        delivery.first_seen().map_or(0, |t| t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_millis());
    format!("{state} {key} {seen}")
}

/// A message status callback that counts first deliveries.
#[validate_twilio_request]
#[post("/status", data = "<callback>")]
fn status(
    callback: Form<MessageStatusCallback<'_>>,
    delivery: Delivery<'_>,
    runs: &State<Arc<Runs>>,
) -> String {
    assert!(callback.message_sid.starts_with("SM"));
    runs.status.fetch_add(1, Ordering::SeqCst);
    describe(&delivery)
}

/// The same with `FirstDelivery`: duplicates never reach the body.
#[validate_twilio_request]
#[post("/once", data = "<callback>")]
fn once(
    callback: Form<MessageStatusCallback<'_>>,
    delivery: FirstDelivery<'_>,
    runs: &State<Arc<Runs>>,
) -> String {
    let _ = callback;
    runs.once.fetch_add(1, Ordering::SeqCst);
    describe(&delivery)
}

/// A GET webhook: `ValidatedRequest` verifies first, `Delivery` claims at its own turn.
#[validate_twilio_request]
#[get("/voice-status?<CallSid>&<CallStatus>")]
fn voice_status(CallSid: &str, CallStatus: &str, delivery: Delivery<'_>) -> String {
    let _ = (CallSid, CallStatus);
    describe(&delivery)
}

/// A `<Gather>` action, which does not opt in: the same digits twice in one call are two answers.
#[validate_twilio_request]
#[post("/gather", data = "<digits>")]
fn gather(digits: Form<Gathered<'_>>, runs: &State<Arc<Runs>>) -> String {
    runs.gather.fetch_add(1, Ordering::SeqCst);
    format!("pressed {}", digits.digits)
}

#[derive(rocket::FromForm)]
struct Gathered<'r> {
    #[field(name = "Digits")]
    digits: &'r str,
}

/// A handler that fails on its first run and gives up its claim, so that Twilio's retry is handled.
#[validate_twilio_request]
#[post("/flaky", data = "<callback>")]
async fn flaky(
    callback: Form<MessageStatusCallback<'_>>,
    delivery: Delivery<'_>,
    runs: &State<Arc<Runs>>,
) -> (Status, String) {
    let _ = callback;
    if runs.flaky.fetch_add(1, Ordering::SeqCst) == 0 {
        let released = delivery.release().await.expect("the store answers");
        return (Status::InternalServerError, format!("released={released}"));
    }
    (Status::Ok, describe(&delivery))
}

#[derive(Deserialize)]
#[serde(crate = "rocket::serde")]
struct CloudEvent<'r> {
    id: &'r str,
}

/// An Event Streams sink: one claim per CloudEvent id.
#[validate_twilio_request]
#[post("/events", data = "<events>")]
async fn events(events: Json<Vec<CloudEvent<'_>>>, delivery: Delivery<'_>) -> Result<String, StoreError> {
    let mut seen = Vec::new();
    for event in events.iter() {
        let claim = delivery.claim_id(event.id).await?;
        seen.push(format!("{}:{}", event.id, if claim == Claim::First { "first" } else { "duplicate" }));
    }
    Ok(format!("{} {}", describe(&delivery), seen.join(",")))
}

/// A server with `[twilio.dedupe]` set to `dedupe`, and the counters of its handlers.
fn serve(dedupe: &[(&str, &str)]) -> (SocketAddr, Arc<Runs>) {
    let mut config = quiet_config();
    for (key, value) in dedupe {
        config = config.merge((format!("twilio.dedupe.{key}"), *value));
    }
    serve_with(config)
}

/// A server whose claims go to the Redis Cluster of `seeds`.
fn serve_cluster(seeds: &[String]) -> (SocketAddr, Arc<Runs>) {
    // Closed, so that a claim the cluster did not answer fails the test, with a timeout the first
    // connection (to every node, and the slot map) meets on a busy machine.
    let config = quiet_config()
        .merge(("twilio.dedupe.redis_cluster", seeds))
        .merge(("twilio.dedupe.failure_mode", "closed"))
        .merge(("twilio.dedupe.timeout", "5s"));
    serve_with(config)
}

/// A server with the test's routes, `config` and the test's key and base URL.
fn serve_with(config: rocket::figment::Figment) -> (SocketAddr, Arc<Runs>) {
    let config = config.merge(("twilio.auth_token", TOKEN)).merge(("twilio.base_url", BASE));
    let runs = Arc::new(Runs::default());
    let rocket = rocket::custom(config)
        .attach(Twilio::fairing())
        .manage(runs.clone())
        .mount("/", routes![status, once, voice_status, gather, flaky, events]);
    (server::serve(rocket), runs)
}

/// A `MessageSid` (or any id) no other test or run uses.
fn fresh(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_nanos() as u64;
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    format!("{prefix}{:016x}{:016x}", now ^ u64::from(std::process::id()) << 32, n)
}

/// A message status callback for `sid`.
fn callback(sid: &str, status: &str) -> Vec<(String, String)> {
    [
        ("MessageSid", sid),
        ("MessageStatus", status),
        ("AccountSid", ACCOUNT),
        ("SmsSid", sid),
        ("To", "+14155550100"),
    ]
    .iter()
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect()
}

/// A POST of `params` to `path`, signed as Twilio signs it for `https://example.com<path>`, with extra
/// headers.
fn signed(path: &str, params: &[(String, String)], headers: &[(&str, &str)]) -> Vec<u8> {
    let signature = RequestValidator::new(TOKEN)
        .compute_signature(&format!("{BASE}{path}"), params.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let pairs: Vec<(&str, &str)> = params.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let body = raw_http::form(&pairs);
    let mut all = vec![FORM, ("X-Twilio-Signature", signature.as_str())];
    all.extend_from_slice(headers);
    raw_http::request("example.com", "POST", path, &all, Some(body.as_bytes()))
}

/// What the handler answered: (`first`/`duplicate`/`unchecked`, key, first seen), or panics with the outcome.
fn answer(outcome: &Outcome) -> (String, String, u128) {
    assert_eq!(outcome.status(), 200, "{outcome:?}");
    let mut words = outcome.body().split(' ');
    let state = words.next().unwrap().to_owned();
    let key = words.next().unwrap().to_owned();
    let seen = words.next().unwrap().parse().unwrap();
    (state, key, seen)
}

fn state_of(outcome: &Outcome) -> String {
    answer(outcome).0
}

/// Sends `request` to every address in `targets` at once (one thread each, released together).
fn at_once(targets: &[SocketAddr], request: &[u8]) -> Vec<Outcome> {
    let barrier = Arc::new(Barrier::new(targets.len()));
    let threads: Vec<_> = targets
        .iter()
        .map(|&addr| {
            let (barrier, request) = (barrier.clone(), request.to_vec());
            std::thread::spawn(move || {
                barrier.wait();
                raw_http::exchange(addr, &request)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().expect("client thread")).collect()
}

fn firsts(outcomes: &[Outcome]) -> usize {
    outcomes.iter().filter(|o| state_of(o) == "first").count()
}

// ---------------------------------------------------------------------------------------------------------
// The in-memory store (the default): one server.

#[test]
fn memory_retries_and_replays_are_duplicates_whatever_the_unsigned_parts() {
    let (addr, runs) = serve(&[]);
    let sid = fresh("SM");
    let params = callback(&sid, "delivered");
    let first =
        raw_http::exchange(addr, &signed("/status", &params, &[("I-Twilio-Idempotency-Token", "token-1")]));
    let (state, key, first_seen) = answer(&first);
    assert_eq!(state, "first");
    assert!(first_seen > 0);

    // Twilio's retry: same request, same token.
    let retry =
        raw_http::exchange(addr, &signed("/status", &params, &[("I-Twilio-Idempotency-Token", "token-1")]));
    assert_eq!(answer(&retry), ("duplicate".to_owned(), key.clone(), first_seen));
    // A replay with a new idempotency token, none, or other unsigned headers and field order.
    let mut reordered = params.clone();
    reordered.reverse();
    for request in [
        signed("/status", &params, &[("I-Twilio-Idempotency-Token", "a-brand-new-token")]),
        signed("/status", &params, &[]),
        signed("/status", &reordered, &[("User-Agent", "curl/8"), ("X-Home-Region", "ie1")]),
    ] {
        assert_eq!(
            answer(&raw_http::exchange(addr, &request)),
            ("duplicate".to_owned(), key.clone(), first_seen)
        );
    }
    // The next status of the same message is another delivery.
    let next = raw_http::exchange(addr, &signed("/status", &callback(&sid, "read"), &[]));
    assert_eq!(state_of(&next), "first");
    assert_ne!(answer(&next).1, key);
    // `Delivery` runs the handler every time: it is the handler that skips.
    assert_eq!(runs.status.load(Ordering::SeqCst), 6);
}

#[test]
fn memory_refused_requests_claim_nothing() {
    let (addr, _) = serve(&[]);
    let params = callback(&fresh("SM"), "delivered");
    let good = signed("/status", &params, &[]);
    // The same parameters with a wrong signature, then with none: 403, and the genuine delivery is still
    // first, so a forger cannot make a real delivery look like a duplicate.
    let text = String::from_utf8(good.clone()).unwrap();
    let sig_start = text.find("X-Twilio-Signature: ").unwrap() + "X-Twilio-Signature: ".len();
    let forged = format!("{}AAAA{}", &text[..sig_start], &text[sig_start + 4..]);
    assert_eq!(raw_http::exchange(addr, forged.as_bytes()).status(), 403);
    let unsigned = text.replace("X-Twilio-Signature", "X-Not-Signature");
    assert_eq!(raw_http::exchange(addr, unsigned.as_bytes()).status(), 403);
    assert_eq!(state_of(&raw_http::exchange(addr, &good)), "first");
    assert_eq!(state_of(&raw_http::exchange(addr, &good)), "duplicate");
}

#[test]
fn memory_fifty_concurrent_identical_deliveries_have_one_first() {
    let (addr, _) = serve(&[]);
    for _ in 0..3 {
        let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
        let outcomes = at_once(&[addr; 50], &request);
        assert_eq!(firsts(&outcomes), 1, "{outcomes:?}");
        let keys: std::collections::HashSet<_> = outcomes.iter().map(|o| answer(o).1).collect();
        assert_eq!(keys.len(), 1);
    }
}

#[test]
fn memory_claims_expire_after_the_window() {
    let (addr, _) = serve(&[("window", "1s")]);
    let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
    let (_, key, first_seen) = answer(&raw_http::exchange(addr, &request));
    assert_eq!(state_of(&raw_http::exchange(addr, &request)), "duplicate");
    std::thread::sleep(Duration::from_millis(1500));
    let (state, again, seen_again) = answer(&raw_http::exchange(addr, &request));
    assert_eq!((state.as_str(), again), ("first", key));
    assert!(seen_again > first_seen);
}

#[test]
fn first_delivery_answers_duplicates_204_without_running_the_handler() {
    let (addr, runs) = serve(&[]);
    let request = signed("/once", &callback(&fresh("SM"), "delivered"), &[]);
    let first = raw_http::exchange(addr, &request);
    assert_eq!(state_of(&first), "first");
    for _ in 0..3 {
        // A success (Twilio stops retrying), with no body.
        assert_eq!(raw_http::exchange(addr, &request), Outcome::Answered(204, String::new()));
    }
    assert_eq!(runs.once.load(Ordering::SeqCst), 1);
}

#[test]
fn get_webhooks_are_claimed_by_the_guard_after_verification() {
    let (addr, _) = serve(&[]);
    let path = format!("/voice-status?CallSid={}&CallStatus=completed", fresh("CA"));
    let signature = RequestValidator::new(TOKEN).compute_url_signature(&format!("{BASE}{path}"));
    let request = raw_http::request("example.com", "GET", &path, &[("X-Twilio-Signature", &signature)], None);
    assert_eq!(state_of(&raw_http::exchange(addr, &request)), "first");
    assert_eq!(state_of(&raw_http::exchange(addr, &request)), "duplicate");
    let forged = raw_http::request("example.com", "GET", &path, &[("X-Twilio-Signature", "bm9wZQ==")], None);
    assert_eq!(raw_http::exchange(addr, &forged).status(), 403);
}

#[test]
fn routes_without_delivery_handle_identical_requests_every_time() {
    // The same `<Gather>` digits twice in one call: two identical signed requests, two answers.
    let (addr, runs) = serve(&[]);
    let params: Vec<(String, String)> =
        [("CallSid", fresh("CA")), ("AccountSid", ACCOUNT.to_owned()), ("Digits", "1".to_owned())]
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v))
            .collect();
    let request = signed("/gather", &params, &[]);
    for _ in 0..2 {
        assert_eq!(raw_http::exchange(addr, &request), Outcome::Answered(200, "pressed 1".into()));
    }
    assert_eq!(runs.gather.load(Ordering::SeqCst), 2);
}

#[test]
fn a_released_claim_lets_the_retry_through() {
    let (addr, _) = serve(&[]);
    let params = callback(&fresh("SM"), "failed");
    let request = signed("/flaky", &params, &[]);
    assert_eq!(raw_http::exchange(addr, &request), Outcome::Answered(500, "released=true".into()));
    assert_eq!(state_of(&raw_http::exchange(addr, &request)), "first");
    assert_eq!(state_of(&raw_http::exchange(addr, &request)), "duplicate");
}

#[test]
fn event_ids_are_claimed_one_by_one_across_batches() {
    let (addr, _) = serve(&[]);
    let (a, b, c) = (fresh("EZ"), fresh("EZ"), fresh("EZ"));
    let send = |ids: &[&str]| {
        let body = format!(
            "[{}]",
            ids.iter().map(|id| format!(r#"{{"id":"{id}","type":"t"}}"#)).collect::<Vec<_>>().join(",")
        );
        let url = url_with_body_hash(&format!("{BASE}/events"), body.as_bytes());
        let signature = RequestValidator::new(TOKEN).compute_url_signature(&url);
        let path = &url[BASE.len()..];
        let headers = [("Content-Type", "application/json"), ("X-Twilio-Signature", signature.as_str())];
        let outcome = raw_http::exchange(
            addr,
            &raw_http::request("example.com", "POST", path, &headers, Some(body.as_bytes())),
        );
        assert_eq!(outcome.status(), 200, "{outcome:?}");
        outcome.body().split(' ').next_back().unwrap().to_owned()
    };
    assert_eq!(send(&[&a, &b]), format!("{a}:first,{b}:first"));
    // Another batch (another signature, so a first delivery) that repeats an event.
    assert_eq!(send(&[&b, &c]), format!("{b}:duplicate,{c}:first"));
}

// ---------------------------------------------------------------------------------------------------------
// Redis: a fleet.

#[test]
fn two_servers_sharing_redis_see_one_first_delivery() {
    let url = test_redis::shared_url();
    let (one, _) = serve(&[("redis_url", &url)]);
    let (two, _) = serve(&[("redis_url", &url)]);
    for round in 0..10 {
        let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
        let outcomes = at_once(&[one, two], &request);
        assert_eq!(firsts(&outcomes), 1, "round {round}: {outcomes:?}");
        // Both name the same key and the same first claim.
        assert_eq!(answer(&outcomes[0]).1, answer(&outcomes[1]).1);
        assert_eq!(answer(&outcomes[0]).2, answer(&outcomes[1]).2);
    }
}

#[test]
fn redis_fifty_concurrent_identical_deliveries_across_two_servers_have_one_first() {
    let url = test_redis::shared_url();
    let (one, _) = serve(&[("redis_url", &url)]);
    let (two, _) = serve(&[("redis_url", &url)]);
    let targets: Vec<SocketAddr> = (0..50).map(|i| if i % 2 == 0 { one } else { two }).collect();
    for _ in 0..3 {
        let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
        let outcomes = at_once(&targets, &request);
        assert_eq!(firsts(&outcomes), 1, "{outcomes:?}");
    }
}

#[test]
fn redis_replays_with_another_idempotency_token_are_duplicates_on_any_server() {
    let url = test_redis::shared_url();
    let (one, _) = serve(&[("redis_url", &url)]);
    let (two, _) = serve(&[("redis_url", &url)]);
    let params = callback(&fresh("SM"), "delivered");
    let (state, key, first_seen) = answer(&raw_http::exchange(
        one,
        &signed("/status", &params, &[("I-Twilio-Idempotency-Token", "t-1")]),
    ));
    assert_eq!(state, "first");
    for token in ["t-1", "t-2-changed-by-a-replayer", ""] {
        let replay =
            raw_http::exchange(two, &signed("/status", &params, &[("I-Twilio-Idempotency-Token", token)]));
        assert_eq!(answer(&replay), ("duplicate".to_owned(), key.clone(), first_seen), "token {token:?}");
    }
    // What Redis holds: one key, the prefix and 32 hex digits, a stamp (ms.token), nothing secret.
    let mut redis = test_redis::connect(&url);
    let redis_key = format!("{KEY_PREFIX}{key}");
    let value: String = redis::cmd("GET").arg(&redis_key).query(&mut redis).unwrap();
    let (millis, token) = value.split_once('.').unwrap();
    assert_eq!(millis.parse::<u128>().unwrap(), first_seen);
    assert_eq!(token.len(), 16);
    assert!(!redis_key.contains(TOKEN) && !value.contains(TOKEN));
    // First deliveries on a GET route and with FirstDelivery go through the same store.
    let once = signed("/once", &callback(&fresh("SM"), "sent"), &[]);
    assert_eq!(state_of(&raw_http::exchange(one, &once)), "first");
    assert_eq!(raw_http::exchange(two, &once).status(), 204);
}

#[test]
fn redis_claims_expire_after_the_window() {
    let url = test_redis::shared_url();
    let (one, _) = serve(&[("redis_url", &url), ("window", "1s")]);
    let (two, _) = serve(&[("redis_url", &url), ("window", "1s")]);
    let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
    let (_, key, _) = answer(&raw_http::exchange(one, &request));
    let ttl: i64 =
        redis::cmd("PTTL").arg(format!("{KEY_PREFIX}{key}")).query(&mut test_redis::connect(&url)).unwrap();
    assert!((1..=1000).contains(&ttl), "PTTL {ttl}");
    assert_eq!(state_of(&raw_http::exchange(two, &request)), "duplicate");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(state_of(&raw_http::exchange(two, &request)), "first");
    assert_eq!(state_of(&raw_http::exchange(one, &request)), "duplicate");
}

// ---------------------------------------------------------------------------------------------------------
// Redis unreachable: stopped, frozen, down at launch.

/// Sends `request` and returns the outcome and how long it took.
fn timed(addr: SocketAddr, request: &[u8]) -> (Outcome, Duration) {
    let started = Instant::now();
    let outcome = raw_http::exchange(addr, request);
    (outcome, started.elapsed())
}

/// Generous: the store timeout is 200 ms; a hang would take the client's 20 s read timeout.
const NO_HANG: Duration = Duration::from_secs(5);

#[test]
fn redis_outage_fails_open_when_configured() {
    let mut redis = RedisServer::start();
    let (addr, runs) = serve(&[("redis_url", &redis.url()), ("failure_mode", "open"), ("timeout", "200ms")]);
    let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
    assert_eq!(state_of(&raw_http::exchange(addr, &request)), "first");
    assert_eq!(state_of(&raw_http::exchange(addr, &request)), "duplicate");

    redis.stop();
    for _ in 0..3 {
        let (outcome, took) = timed(addr, &request);
        assert_eq!(state_of(&outcome), "unchecked", "{outcome:?}");
        assert!(took < NO_HANG, "{took:?}");
    }
    // FirstDelivery runs the handler too: the delivery counts as first.
    let once = signed("/once", &callback(&fresh("SM"), "delivered"), &[]);
    assert_eq!(state_of(&raw_http::exchange(addr, &once)), "unchecked");

    // Back up (empty: no persistence), the server reconnects by itself.
    redis.restart();
    let fresh_one = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
    let mut recovered = false;
    for _ in 0..50 {
        if state_of(&raw_http::exchange(addr, &fresh_one)) != "unchecked" {
            recovered = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(recovered, "the server never reconnected to Redis");
    assert_eq!(state_of(&raw_http::exchange(addr, &fresh_one)), "duplicate");

    // Frozen (SIGSTOP): connected but silent. Each request waits for the timeout, not longer.
    redis.pause();
    let frozen = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
    for _ in 0..2 {
        let (outcome, took) = timed(addr, &frozen);
        assert_eq!(state_of(&outcome), "unchecked", "{outcome:?}");
        assert!(took >= Duration::from_millis(200) && took < NO_HANG, "{took:?}");
    }
    redis.resume();
    assert!(runs.status.load(Ordering::SeqCst) >= 7);
}

#[test]
fn redis_outage_fails_closed_when_configured() {
    let mut redis = RedisServer::start();
    let (addr, runs) =
        serve(&[("redis_url", &redis.url()), ("failure_mode", "closed"), ("timeout", "200ms")]);
    let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
    assert_eq!(state_of(&raw_http::exchange(addr, &request)), "first");
    let before = runs.status.load(Ordering::SeqCst);

    redis.stop();
    let once = signed("/once", &callback(&fresh("SM"), "delivered"), &[]);
    for request in [&request, &once] {
        let (outcome, took) = timed(addr, request);
        assert_eq!(outcome.status(), 503, "{outcome:?}");
        assert!(took < NO_HANG, "{took:?}");
    }
    // The handlers never ran.
    assert_eq!(runs.status.load(Ordering::SeqCst), before);
    assert_eq!(runs.once.load(Ordering::SeqCst), 0);

    // Back up (empty: no persistence), the server reconnects by itself.
    redis.restart();
    let mut recovered = false;
    for _ in 0..50 {
        if raw_http::exchange(addr, &once).status() == 200 {
            recovered = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(recovered, "the server never reconnected to Redis");
    assert_eq!(raw_http::exchange(addr, &once).status(), 204);

    // Frozen (SIGSTOP): each request waits for the timeout, not longer, then 503.
    redis.pause();
    let (outcome, took) = timed(addr, &request);
    assert_eq!(outcome.status(), 503, "{outcome:?}");
    assert!(took >= Duration::from_millis(200) && took < NO_HANG, "{took:?}");
    redis.resume();
    assert_eq!(runs.status.load(Ordering::SeqCst), before);
}

#[test]
fn a_redis_down_at_launch_does_not_stop_the_server() {
    // Nobody listens on this port: the server launches, and the failure mode applies per request.
    let url = format!("redis://127.0.0.1:{}", server::free_port());
    let (open, _) = serve(&[("redis_url", &url), ("timeout", "100ms")]);
    let (closed, _) = serve(&[("redis_url", &url), ("timeout", "100ms"), ("failure_mode", "closed")]);
    let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
    assert_eq!(state_of(&raw_http::exchange(open, &request)), "unchecked");
    assert_eq!(raw_http::exchange(closed, &request).status(), 503);
}

// ---------------------------------------------------------------------------------------------------------
// Redis Cluster (`twilio.dedupe.redis_cluster`): three shards.

#[test]
fn redis_cluster_two_servers_see_one_first_delivery_and_the_keys_spread_over_the_shards() {
    let cluster = RedisCluster::start(3);
    // One seed is enough: the client learns the other nodes from it.
    let (one, _) = serve_cluster(&cluster.urls()[..1]);
    let (two, _) = serve_cluster(&cluster.urls()[1..]);
    for round in 0..40 {
        let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
        let outcomes = at_once(&[one, two], &request);
        assert_eq!(firsts(&outcomes), 1, "round {round}: {outcomes:?}");
        assert_eq!(answer(&outcomes[0]).1, answer(&outcomes[1]).1);
    }
    // 40 keys over 3 shards: each shard holds some (all on one shard: (1/3)^39).
    let keys = cluster.keys_per_node(KEY_PREFIX);
    assert_eq!(keys.iter().sum::<usize>(), 40, "{keys:?}");
    assert!(keys.iter().all(|&n| n > 0), "{keys:?}");
    // A release goes to the key's shard too.
    let request = signed("/flaky", &callback(&fresh("SM"), "delivered"), &[]);
    assert_eq!(raw_http::exchange(one, &request), Outcome::Answered(500, "released=true".into()));
    // Twilio's retry: claimed again, first (the handler succeeds on its second run).
    assert_eq!(state_of(&raw_http::exchange(one, &request)), "first");
}

#[test]
fn redis_cluster_over_tls_verifies_every_node_it_learns_of() {
    let cluster = RedisCluster::start_tls(3);
    let seeds = cluster.urls();
    assert!(seeds[0].starts_with("rediss://127.0.0.1:"), "{seeds:?}");
    let ca = cluster.tls().ca().display().to_string();
    let config = |seeds: &[String]| {
        quiet_config()
            .merge(("twilio.dedupe.redis_cluster", seeds))
            .merge(("twilio.dedupe.redis_ca_file", &ca))
            .merge(("twilio.dedupe.failure_mode", "closed"))
            .merge(("twilio.dedupe.timeout", "5s"))
    };
    // One seed each: the other nodes, learnt from the slot map, are reached over TLS and verified too.
    let (one, _) = serve_with(config(&seeds[..1]));
    let (two, _) = serve_with(config(&seeds[2..]));
    for round in 0..30 {
        let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
        let outcomes = at_once(&[one, two], &request);
        assert_eq!(firsts(&outcomes), 1, "round {round}: {outcomes:?}");
    }
    let keys = cluster.keys_per_node(KEY_PREFIX);
    assert!(keys.iter().sum::<usize>() == 30 && keys.iter().all(|&n| n > 0), "{keys:?}");
}

#[test]
fn redis_cluster_with_a_shard_down_refuses_only_its_keys_and_never_hangs() {
    let mut cluster = RedisCluster::start(3);
    let (addr, runs) = serve_with(
        quiet_config()
            .merge(("twilio.dedupe.redis_cluster", cluster.urls()))
            .merge(("twilio.dedupe.failure_mode", "closed"))
            .merge(("twilio.dedupe.timeout", "300ms")),
    );
    // The client connects to the nodes and learns the slot map on the first claim: wait until it has.
    let warm_up = (0..100).map(|_| signed("/status", &callback(&fresh("SM"), "sent"), &[])).find(|request| {
        let answered = raw_http::exchange(addr, request).status() == 200;
        if !answered {
            std::thread::sleep(Duration::from_millis(100));
        }
        answered
    });
    assert!(warm_up.is_some(), "the cluster never answered");
    cluster.stop_node(2);
    let (mut first, mut refused) = (0, 0);
    for _ in 0..30 {
        let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
        let (outcome, took) = timed(addr, &request);
        assert!(took < NO_HANG, "{took:?}");
        match outcome.status() {
            200 => first += usize::from(state_of(&outcome) == "first"),
            503 => refused += 1,
            _ => panic!("{outcome:?}"),
        }
    }
    // Keys spread over the shards: the two left answer theirs, the third's are refused (fail closed).
    assert!(first > 0 && refused > 0 && first + refused == 30, "first {first}, refused {refused}");
    assert_eq!(runs.status.load(Ordering::SeqCst), 1 + first, "the handler ran for refused deliveries");
}

// ---------------------------------------------------------------------------------------------------------
// Redis over TLS (`rediss://`, feature `redis-tls`): a server with a certificate for `localhost` issued by
// a CA of the test's own.

#[test]
fn redis_over_tls_with_its_ca_sees_one_first_delivery_across_two_servers() {
    let redis = RedisServer::start_tls();
    let (url, ca) = (redis.url(), redis.tls().ca().display().to_string());
    assert!(url.starts_with("rediss://localhost:"), "{url}");
    let settings = [("redis_url", url.as_str()), ("redis_ca_file", ca.as_str()), ("failure_mode", "closed")];
    let (one, _) = serve(&settings);
    let (two, _) = serve(&settings);
    for round in 0..5 {
        let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
        let outcomes = at_once(&[one, two], &request);
        assert_eq!(firsts(&outcomes), 1, "round {round}: {outcomes:?}");
        assert_eq!(state_of(&raw_http::exchange(one, &request)), "duplicate");
    }
}

#[test]
fn redis_over_tls_refuses_a_server_it_cannot_verify() {
    let redis = RedisServer::start_tls();
    let other = RedisServer::start_tls();
    let port = redis.url().rsplit(':').next().unwrap().to_owned();
    let (ca, other_ca) = (redis.tls().ca().display().to_string(), other.tls().ca().display().to_string());
    let by_ip = format!("rediss://127.0.0.1:{port}");
    for (why, url, ca) in [
        // The system's roots do not hold the test's CA.
        ("an unknown CA", redis.url(), None),
        // Another CA than the one that issued the server's certificate.
        ("another CA", redis.url(), Some(other_ca.as_str())),
        // The right CA, but the certificate names localhost, not 127.0.0.1.
        ("another name", by_ip, Some(ca.as_str())),
    ] {
        let mut settings =
            vec![("redis_url", url.as_str()), ("failure_mode", "closed"), ("timeout", "500ms")];
        settings.extend(ca.map(|ca| ("redis_ca_file", ca)));
        let (closed, runs) = serve(&settings);
        let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
        let (outcome, took) = timed(closed, &request);
        assert_eq!(outcome.status(), 503, "{why}: {outcome:?}");
        assert!(took < NO_HANG, "{why}: {took:?}");
        assert_eq!(runs.status.load(Ordering::SeqCst), 0, "{why}: the handler ran");
    }
    // The same server, verified, answers.
    let (verified, _) =
        serve(&[("redis_url", &redis.url()), ("redis_ca_file", &ca), ("failure_mode", "closed")]);
    let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
    assert_eq!(state_of(&raw_http::exchange(verified, &request)), "first");
}

#[test]
fn redis_over_tls_presents_the_client_certificate_a_redis_asks_for() {
    let redis = RedisServer::start_tls_authenticating_clients();
    let files = redis.tls();
    let path = |p: std::path::PathBuf| p.display().to_string();
    let (url, ca, cert, key) =
        (redis.url(), path(files.ca()), path(files.client_certificate()), path(files.client_key()));
    let closed = [("redis_url", url.as_str()), ("redis_ca_file", ca.as_str()), ("failure_mode", "closed")];
    // Without a client certificate, this Redis refuses the connection: a store failure.
    let (anonymous, runs) = serve(&closed);
    let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
    let (outcome, took) = timed(anonymous, &request);
    assert_eq!(outcome.status(), 503, "{outcome:?}");
    assert!(took < NO_HANG, "{took:?}");
    assert_eq!(runs.status.load(Ordering::SeqCst), 0);
    // With it, claims are made.
    let mut settings = closed.to_vec();
    settings.extend([("redis_client_cert_file", cert.as_str()), ("redis_client_key_file", key.as_str())]);
    let (authenticated, _) = serve(&settings);
    assert_eq!(state_of(&raw_http::exchange(authenticated, &request)), "first");
    assert_eq!(state_of(&raw_http::exchange(authenticated, &request)), "duplicate");
}

// ---------------------------------------------------------------------------------------------------------
// The example app's status callback, configured by its own Rocket.toml.

#[test]
fn the_example_status_callback_answers_first_deliveries_and_duplicates_alike() {
    let figment = rocket_twilio_examples::figment()
        .merge(("log_level", "off"))
        .merge(("twilio.auth_token", TOKEN))
        .merge(("twilio.base_url", BASE));
    let addr = server::serve(rocket_twilio_examples::app(figment));
    let request = signed("/status", &callback(&fresh("SM"), "delivered"), &[]);
    for _ in 0..2 {
        // A 2xx either way, so that Twilio stops retrying; the handler logs which one it was.
        assert_eq!(raw_http::exchange(addr, &request), Outcome::Answered(204, String::new()));
    }
    let unsigned = String::from_utf8(request).unwrap().replace("X-Twilio-Signature", "X-Unsigned");
    assert_eq!(raw_http::exchange(addr, unsigned.as_bytes()).status(), 403);
    let incomplete = signed("/status", &[("MessageSid".into(), fresh("SM"))], &[]);
    assert_eq!(raw_http::exchange(addr, &incomplete).status(), 422);
}
