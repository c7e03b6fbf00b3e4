//! Handling each Twilio delivery once: [`Delivery`] and [`FirstDelivery`], the guards, and the stores they
//! claim deliveries in ([`MemoryStore`], `RedisStore` with feature `redis`, over TLS with `redis-tls`, or your own
//! [`DeliveryStore`]).
//!
//! Twilio delivers webhooks **at least once**: Voice and Messaging retry on timeouts and under connection
//! overrides (`#rc`, `#rp`), Event Streams retries for up to four hours, and a captured request replays
//! verbatim for ever (Twilio signs no timestamp). A route that takes [`Delivery`] learns whether the
//! request it serves was already seen, on this server or, with Redis, on any server of the fleet.
//!
//! # The claim: when, on what, once
//!
//! A request is **claimed** in the store, under its [`DeliveryKey`], exactly once, and only once it is
//! verified: at the later of two moments, the `Delivery` guard's turn and the verification.
//!
//! - On a route without a body (GET), `#[validate_twilio_request]` puts its
//!   [`ValidatedRequest`](crate::ValidatedRequest) guard first: the request is verified when `Delivery`'s
//!   turn comes, and `Delivery` claims it then.
//! - On a route with a body, the body is verified by the data guard, which Rocket runs **after** every
//!   request guard. `Delivery` then only registers the route's interest in the request-local cache; the
//!   data guard claims right after verifying the body (before converting it into the data parameter).
//!
//! Either way, when the handler runs, the claim is made, and made on verified material: a request that
//! fails validation is never claimed, so a forgery cannot make a genuine delivery look like a duplicate.
//! A request forwarded to another route is not claimed again. On a GET route, put `Delivery` after your
//! other guards: a guard that fails after the claim leaves the delivery claimed.
//!
//! # The key
//!
//! The SHA-256 of the verified `X-Twilio-Signature` ([`DeliveryKey`]): Twilio's HMAC of the URL it
//! called and every parameter (or of the URL and the body's `bodySHA256`). A retry and a verbatim replay
//! carry the same signature; any other delivery carries another. Headers are not signed, so none is part
//! of the key: a replay with a new `I-Twilio-Idempotency-Token` is still a duplicate. Twilio sends the
//! same token on each retry, but anyone replaying a captured request can change it; read it with
//! [`Delivery::idempotency_token`], for logs. Ids inside a verified body (Event Streams' CloudEvent
//! `id`s, where one delivery carries several events) are claimed one by one with [`Delivery::claim_id`].
//!
//! The built-in in-memory store holds a verified request by its signature's first 24 characters rather
//! than by this key, which saves the SHA-256 on every request: it never shows or sends what it holds.
//! The key is computed for what leaves the process: a Redis or custom store, the log line of a
//! duplicate, [`Delivery::key`].
//!
//! # Per route, by choice
//!
//! Identical signed requests are not always the same event: a caller who presses `1` at a `<Gather>`, is
//! sent back to it by a `<Redirect>` and presses `1` again produces two byte-identical `<Gather>` action
//! requests (same URL, `CallSid`, `Digits`…) within one call, and `<Record>` or `<Dial>` actions on a
//! loop, or a status callback URL shared by two resources with the same parameters, can too. Such a
//! route must not drop the second one. So de-duplication is opt-in: a route takes [`Delivery`] (or
//! [`FirstDelivery`]) where a repeat is a retry or a replay, typically status callbacks, Event Streams
//! sinks and webhooks that charge, send or count.
//!
//! # Answering a duplicate
//!
//! - [`Delivery`]: the handler runs and asks [`is_duplicate`](Delivery::is_duplicate). Use it for
//!   webhooks whose **answer** Twilio acts on (incoming calls and messages, `<Gather>` actions): Twilio
//!   retries because it did not get the first answer, so answer the retry again, and skip only the side
//!   effects.
//! - [`FirstDelivery`]: a duplicate is answered `204 No Content` without running the handler. Any 2xx ends
//!   Twilio's retries (Event Streams: "return a success status code when you discard a duplicate"). Use
//!   it for status callbacks and Event Streams sinks, whose answer Twilio ignores.
//!
//! # When the store cannot answer
//!
//! Every call to the store is bounded by `twilio.dedupe.timeout` (default 250 ms); a worker never waits
//! longer. Then `twilio.dedupe.failure_mode` decides:
//!
//! - `"open"` (**the default**): log, and treat the delivery as first; [`Delivery::is_checked`] is
//!   `false`. Every request is still verified as Twilio's; what is lost for the outage is the
//!   at-most-once promise, back to the at-least-once delivery Twilio guarantees anyway. Failing closed
//!   instead turns a Redis outage into an outage of every de-duplicated webhook (503s, Twilio retrying
//!   and then giving up, calls answered with an application error). A route that must never act twice can
//!   still refuse by itself: `if !delivery.is_checked() { return Status::ServiceUnavailable }`.
//! - `"closed"`: refuse with `503 Service Unavailable`, which Twilio retries later (Event Streams for up
//!   to four hours; Voice and Messaging only under a `#rp` retry policy that includes 5xx).
//!
//! # Redis Cluster
//!
//! `redis_cluster` lists seed nodes of a Redis Cluster instead of `redis_url` (one is enough: the client
//! learns the slot map from it):
//!
//! ```toml
//! [default.twilio.dedupe]
//! redis_cluster = ["redis://10.0.0.5:6379", "redis://10.0.0.6:6379"]
//! ```
//!
//! Each claim is one command on one key, sent to the key's shard; keys are SHA-256 digests without a hash
//! tag, so they spread evenly over the slots. A shard that is down or failing over makes its keys' claims
//! fail, which `failure_mode` then decides; the other shards keep answering when the cluster runs with
//! `cluster-require-full-coverage no` (by default, Redis stops the whole cluster once it marks a shard
//! failed). TLS and its files apply to every node, those learnt from the slot map included.
//!
//! # Redis over TLS
//!
//! With the `redis-tls` feature, `redis_url` may be `rediss://…`: rustls, verifying the server's
//! certificate against the system's trusted roots (managed Redis services), or against the CA certificates
//! of `redis_ca_file` (a PEM file, read at launch) for a certificate a private CA issued:
//!
//! ```toml
//! [default.twilio.dedupe]
//! redis_url = "rediss://:password@redis.internal:6380"
//! redis_ca_file = "/etc/ssl/private-ca.pem"
//! # For a Redis that authenticates its clients (`tls-auth-clients yes`, Redis's default on a TLS port):
//! redis_client_cert_file = "/etc/ssl/redis-client.pem"
//! redis_client_key_file = "/etc/ssl/redis-client.key"
//! ```
//!
//! The files are read at launch; a file that cannot be read or holds no certificate (or key), or a
//! certificate without its key, stops the launch, and the key's content is never shown.
//!
//! Verification cannot be turned off (`#insecure` is refused at launch). A server whose certificate does
//! not verify (another CA, another host name) is a store failure like an unreachable one: `failure_mode`
//! applies, and the log says why (`invalid peer certificate: UnknownIssuer`).

mod key;
mod memory;
#[cfg(feature = "redis")]
mod redis;
mod settings;
mod store;

use std::hash::{BuildHasher, RandomState};
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use rocket::http::HeaderMap;
use rocket::request::{self, FromRequest};
use rocket::{Ignite, Request, Rocket, Sentinel};

use self::key::ClaimKey;
pub use self::key::DeliveryKey;
pub use self::memory::MemoryStore;
#[cfg(feature = "redis")]
pub use self::redis::{RedisStore, RedisTls, KEY_PREFIX};
pub use self::settings::FailureMode;
pub(crate) use self::settings::{DedupeConfig, DedupeSettings};
pub use self::store::{Claim, DeliveryStore, Stamp, StoreError};

use super::checker::{self, TwilioHeaders};
use super::error::{Reason, TwilioError};
use super::local::{self, RequestLocal};
use super::{fairing, Twilio, Verified};

/// The header Voice and Messaging webhooks carry, the same on each retry of one delivery. It is **not**
/// signed: a hint for logs, never part of a [`DeliveryKey`].
pub const IDEMPOTENCY_HEADER: &str = "I-Twilio-Idempotency-Token";

impl Twilio {
    /// Claims deliveries in `store` instead of the store `[twilio.dedupe]` configures (in memory, or
    /// Redis with `redis_url`). `twilio.dedupe.timeout` and `failure_mode` still apply to it; `window`,
    /// `capacity` and `redis_url` are the built-in stores' and are not used.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use rocket_twilio::dedupe::MemoryStore;
    /// use rocket_twilio::Twilio;
    ///
    /// let rocket = rocket::build()
    ///     .attach(Twilio::fairing().dedupe_store(MemoryStore::new(1_000_000, Duration::from_secs(3600))));
    /// ```
    pub fn dedupe_store(mut self, store: impl DeliveryStore) -> Twilio {
        self.dedupe_store = Some(Arc::new(store));
        self
    }
}

/// The store and its settings (managed state, set up by the fairing).
pub(crate) struct DedupeState {
    store: Store,
    timeout: Duration,
    failure_mode: FailureMode,
    /// Whether any `Delivery` guard has run: until one has, verifying guards skip the request-local slot.
    used: AtomicBool,
    /// `twilio.disable_validation`: verifying guards then always mark the slot (nothing records a signer).
    validation_disabled: bool,
    /// Claim tokens: a random per-process seed plus a counter.
    seed: u64,
    counter: AtomicU64,
    /// When a store failure was last logged (seconds since the epoch), and how many since went unlogged.
    last_report: AtomicU64,
    unreported: AtomicU64,
}

impl DedupeState {
    /// The configured store (or `custom`).
    pub(crate) fn new(
        settings: DedupeSettings,
        custom: Option<Arc<dyn DeliveryStore>>,
        validation_disabled: bool,
    ) -> Result<DedupeState, String> {
        let store = match custom {
            Some(store) => Store::Other(store),
            None => match settings.redis_store()? {
                Some(redis) => Store::Other(redis),
                None => Store::Memory(MemoryStore::new(settings.capacity, settings.window)),
            },
        };
        let seed = RandomState::new().hash_one((std::process::id(), SystemTime::now()));
        Ok(DedupeState {
            store,
            timeout: settings.timeout,
            failure_mode: settings.failure_mode,
            used: AtomicBool::new(false),
            validation_disabled,
            seed,
            counter: AtomicU64::new(0),
            last_report: AtomicU64::new(0),
            unreported: AtomicU64::new(0),
        })
    }

    /// At launch, for a shared or custom store: logs where claims go, and whether the store answers.
    pub(crate) async fn announce(&self) {
        log::info!(
            "Twilio deliveries (Delivery guard): claimed {}; failure_mode = \"{}\", timeout {}",
            self.store.describe(),
            match self.failure_mode {
                FailureMode::Open => "open",
                FailureMode::Closed => "closed",
            },
            humantime::format_duration(self.timeout)
        );
        let ping = match &self.store {
            Store::Memory(_) => Ok(()),
            Store::Other(store) => self.bounded(store.ping()).await,
        };
        if let Err(e) = ping {
            log::error!(
                "Twilio deliveries: the store does not answer yet ({e}); until it does, deliveries are {}",
                self.consequence()
            );
        }
    }

    fn consequence(&self) -> &'static str {
        match self.failure_mode {
            FailureMode::Open => "treated as first (twilio.dedupe.failure_mode = \"open\")",
            FailureMode::Closed => "refused with 503 (twilio.dedupe.failure_mode = \"closed\")",
        }
    }

    fn stamp(&self) -> Stamp {
        let token = self.seed.wrapping_add(self.counter.fetch_add(1, Ordering::Relaxed));
        Stamp { first_seen: SystemTime::now(), token }
    }

    /// `call`, or a timeout error after `twilio.dedupe.timeout`.
    async fn bounded<T>(
        &self,
        call: impl std::future::Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        rocket::tokio::time::timeout(self.timeout, call)
            .await
            .unwrap_or_else(|_| Err(StoreError::timeout(self.timeout)))
    }

    /// The key a request verified by `signature` is claimed under in this store: in the built-in memory
    /// store, the signature's own bits; in any other, its [`DeliveryKey`].
    fn key_of_verified(&self, signature: &[u8]) -> ClaimKey {
        match self.store {
            Store::Memory(_) => ClaimKey::of_verified_signature(signature),
            Store::Other(_) => ClaimKey::Key(DeliveryKey::of_signature(signature)),
        }
    }

    /// Claims `key`: the claim, with the stamp it was made with.
    async fn claim(&self, key: &ClaimKey) -> Result<(Claim, Stamp), StoreError> {
        let stamp = self.stamp();
        let claim = match &self.store {
            Store::Memory(memory) => Ok(memory.claim_now(&key.held(), stamp)),
            Store::Other(store) => match key {
                ClaimKey::Key(key) => self.bounded(store.claim(key, stamp)).await,
                // Never made for such a store (`key_of_verified`); refused like a failure of the store.
                ClaimKey::Signature(_) => {
                    Err(StoreError::new("a signature claim is for the in-memory store"))
                }
            },
        };
        if let Err(e) = &claim {
            self.report(e);
        }
        claim.map(|claim| (claim, stamp))
    }

    /// Logs a store failure: the first, then at most one line every 10 s with the count of the others.
    fn report(&self, error: &StoreError) {
        let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let last = self.last_report.load(Ordering::Relaxed);
        let due = now >= last.saturating_add(10)
            && self.last_report.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok();
        if !due {
            self.unreported.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let others = self.unreported.swap(0, Ordering::Relaxed);
        let others = match others {
            0 => String::new(),
            n => format!(" ({n} more failures since the last report)"),
        };
        log::error!("Twilio deliveries: {error}; deliveries are {}{others}", self.consequence());
    }
}

/// The store: the built-in in-memory one is called directly (it answers at once, without I/O, so it needs
/// neither a boxed future nor a timer), any other through the trait, under the timeout.
enum Store {
    Memory(MemoryStore),
    Other(Arc<dyn DeliveryStore>),
}

impl Store {
    fn describe(&self) -> String {
        match self {
            Store::Memory(memory) => memory.describe(),
            Store::Other(store) => store.describe(),
        }
    }
}

/// What the claim of a request found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seen {
    /// This request holds the claim.
    First(Stamp),
    /// Claimed before, at this time if known.
    Duplicate(Option<SystemTime>),
    /// Not checked: the store failed and `failure_mode` is open, or (validation disabled) the request has
    /// no signature to key it on.
    Unchecked,
    /// The store failed and `failure_mode` is closed.
    Refused,
}

/// A request's claim, once made.
#[derive(Clone, Copy, Debug)]
struct Settled {
    /// What the claim was made under (`None`: not keyed, for want of a signature).
    key: Option<ClaimKey>,
    seen: Seen,
}

/// The request-local state of a request's claim.
#[derive(Default)]
pub(crate) struct DeliverySlot {
    /// A verifying guard has passed (or validation is disabled and it has run).
    verified: AtomicBool,
    /// A `Delivery` guard of this route asked for a claim before the request was verified.
    interest: Mutex<Option<Interest>>,
    settled: OnceLock<Settled>,
}

#[derive(Clone, Copy)]
struct Interest {
    /// The route whose guard asked ([`route_id`]): a request forwarded to another route is not claimed for
    /// a route that did not ask.
    route: usize,
    answer_duplicates: bool,
}

fn route_id(req: &Request<'_>) -> usize {
    req.route().map_or(0, |route| route as *const rocket::Route as usize)
}

/// Called by the verifying guards ([`Validated`](crate::Validated), [`ValidatedRequest`](crate::ValidatedRequest))
/// once a request is verified: claims it if a `Delivery` guard of this route asked.
pub(crate) async fn after_verification(
    req: &Request<'_>,
    state: Option<&DedupeState>,
) -> Result<(), TwilioError> {
    let Some(state) = state else { return Ok(()) };
    // Until some `Delivery` guard has run, no request can have asked: skip the request-local cache. With
    // validation disabled nothing records a signer, so the slot is what tells `Delivery` it may claim.
    if !state.used.load(Ordering::Relaxed) && !state.validation_disabled {
        return Ok(());
    }
    let local = local::of(req);
    local.delivery.verified.store(true, Ordering::Relaxed);
    let route = route_id(req);
    let interest =
        local.delivery.interest.lock().ok().and_then(|interest| *interest).filter(|i| i.route == route);
    match interest {
        Some(interest) => settle(req, state, local, interest.answer_duplicates).await,
        None => Ok(()),
    }
}

/// Claims the request (unless this request already did) and turns the claim into the guard's verdict.
async fn settle(
    req: &Request<'_>,
    state: &DedupeState,
    local: &RequestLocal,
    answer_duplicates: bool,
) -> Result<(), TwilioError> {
    let settled = match local.delivery.settled.get() {
        Some(settled) => *settled,
        None => {
            let settled = claim_request(req, state, local).await;
            *local.delivery.settled.get_or_init(|| settled)
        }
    };
    match settled.seen {
        Seen::Refused => Err(Reason::DedupeUnavailable.into()),
        Seen::Duplicate(_) if answer_duplicates => Err(Reason::Duplicate.into()),
        _ => Ok(()),
    }
}

async fn claim_request(req: &Request<'_>, state: &DedupeState, local: &RequestLocal) -> Settled {
    // The signature the key verified, kept by the verifying guard; with validation disabled, whatever
    // was sent.
    let (signature, key) = match local.signature.get() {
        Some(verified) => (verified.as_bytes(), state.key_of_verified(verified.as_bytes())),
        None => match TwilioHeaders::read(req).signature() {
            Ok(sent) => (sent.as_bytes(), ClaimKey::Key(DeliveryKey::of_signature(sent.as_bytes()))),
            Err(_) => return Settled { key: None, seen: Seen::Unchecked },
        },
    };
    let seen = match state.claim(&key).await {
        Ok((Claim::First, stamp)) => Seen::First(stamp),
        Ok((Claim::Duplicate { first_seen }, _)) => {
            let ago = first_seen.and_then(|t| t.elapsed().ok());
            let ago = ago
                .map(|d| {
                    format!(
                        " {} ago",
                        humantime::format_duration(Duration::from_millis(d.as_millis() as u64))
                    )
                })
                .unwrap_or_default();
            let token = req.headers().get_one(IDEMPOTENCY_HEADER).unwrap_or("none");
            let key = DeliveryKey::of_signature(signature);
            log::info!("Twilio delivery {key} was already claimed{ago}: a retry or a replay (idempotency token: {token})");
            Seen::Duplicate(first_seen)
        }
        Err(_) if state.failure_mode == FailureMode::Closed => Seen::Refused,
        Err(_) => Seen::Unchecked,
    };
    Settled { key: Some(key), seen }
}

/// Whether this delivery was already handled: a request guard for any `#[validate_twilio_request]`
/// route (see [the module](crate::dedupe) for the rules).
///
/// The request is claimed under its [`DeliveryKey`] once verified, before the handler runs;
/// [`is_duplicate`](Self::is_duplicate) says whether a claim of the same key (on any server sharing the
/// store) was already made within `twilio.dedupe.window`.
///
/// ```
/// use rocket::form::Form;
/// use rocket::http::Status;
/// use rocket::post;
/// use rocket_twilio::webhooks::MessageStatusCallback;
/// use rocket_twilio::{validate_twilio_request, Delivery};
///
/// #[validate_twilio_request]
/// #[post("/status", data = "<callback>")]
/// fn status(callback: Form<MessageStatusCallback<'_>>, delivery: Delivery<'_>) -> Status {
///     if !delivery.is_duplicate() {
///         // count it, bill it, notify: once
///         println!("{} is {}", callback.message_sid, callback.message_status);
///     }
///     Status::NoContent // any 2xx, so that Twilio stops retrying
/// }
/// ```
///
/// Configure the store in `[default.twilio.dedupe]` (in memory by default; `redis_url` for a fleet).
///
/// In a handler called directly by a unit test, [`testing::skip_validation`](crate::testing::skip_validation)
/// gives a first delivery.
#[derive(Clone, Copy)]
pub struct Delivery<'r> {
    /// `None` when built by `testing::skip_validation`.
    live: Option<Live<'r>>,
    /// Read on demand (a header lookup hashes the name: not on every request).
    headers: Option<&'r HeaderMap<'r>>,
}

#[derive(Clone, Copy)]
struct Live<'r> {
    local: &'r RequestLocal,
    state: &'r DedupeState,
    verified: Verified<'r>,
}

impl<'r> Delivery<'r> {
    /// A first delivery, for `testing::skip_validation`.
    pub(crate) fn skipped() -> Delivery<'static> {
        Delivery { live: None, headers: None }
    }

    fn settled(&self) -> Option<Settled> {
        match self.live {
            None => Some(Settled { key: None, seen: Seen::Unchecked }),
            Some(live) => live.local.delivery.settled.get().copied(),
        }
    }

    fn seen(&self) -> Option<Seen> {
        self.settled().map(|s| s.seen)
    }

    /// Whether a claim of this delivery was already made within the window: a retry, or a replay.
    ///
    /// `false` for the first delivery, and when the store could not answer and `failure_mode` is
    /// `"open"` (then [`is_checked`](Self::is_checked) is `false`). `true`, and an error is logged, if the
    /// request was never verified, which only happens on a route without `#[validate_twilio_request]`:
    /// the handler should then do nothing rather than act on an unchecked request.
    pub fn is_duplicate(&self) -> bool {
        match self.seen() {
            Some(seen) => matches!(seen, Seen::Duplicate(_)),
            None => {
                log::error!(
                    "rocket_twilio::Delivery is used on a route whose request was not verified: add \
                     #[validate_twilio_request] above the route attribute. Answering is_duplicate() = true"
                );
                true
            }
        }
    }

    /// Whether the store answered: `false` when it could not (within `twilio.dedupe.timeout`) and
    /// `failure_mode` is `"open"`, so that this delivery may be a duplicate; also `false` when validation
    /// is disabled and the request has no signature to key it on.
    pub fn is_checked(&self) -> bool {
        match self.live {
            None => true,
            Some(_) => matches!(self.seen(), Some(Seen::First(_) | Seen::Duplicate(_))),
        }
    }

    /// When this delivery was first claimed: now for a first delivery; for a duplicate, the first claim's
    /// time (`None` if the store could not tell).
    pub fn first_seen(&self) -> Option<SystemTime> {
        match self.seen()? {
            Seen::First(stamp) => Some(stamp.first_seen),
            Seen::Duplicate(first_seen) => first_seen,
            Seen::Unchecked | Seen::Refused => None,
        }
    }

    /// The key the delivery was claimed under (for logs: it identifies the delivery, and holds no secret).
    ///
    /// The in-memory store holds claims by the verified signature's first characters instead, never
    /// shown: this key is then computed when asked for, one SHA-256 a call.
    pub fn key(&self) -> Option<DeliveryKey> {
        match self.settled()?.key? {
            ClaimKey::Key(key) => Some(key),
            ClaimKey::Signature(_) => {
                let signature = self.live?.local.signature.get()?;
                Some(DeliveryKey::of_signature(signature.as_bytes()))
            }
        }
    }

    /// The `I-Twilio-Idempotency-Token` header: the same on Twilio's retries of one delivery, but **not
    /// signed**, so anyone replaying a request can change it. For logs and correlation only.
    pub fn idempotency_token(&self) -> Option<&'r str> {
        self.headers?.get_one(IDEMPOTENCY_HEADER)
    }

    /// Gives up this request's claim, so that Twilio's next retry of it is handled as first: call it when
    /// the handler fails to process a first delivery and answers with an error. Returns whether a claim was
    /// removed (`false` for a duplicate, which holds none). Bounded by `twilio.dedupe.timeout`.
    pub async fn release(&self) -> Result<bool, StoreError> {
        let (Some(live), Some(Settled { key: Some(key), seen: Seen::First(stamp) })) =
            (self.live, self.settled())
        else {
            return Ok(false);
        };
        match &live.state.store {
            Store::Memory(memory) => Ok(memory.release_now(&key.held(), stamp)),
            Store::Other(store) => match key {
                ClaimKey::Key(key) => live.state.bounded(store.release(&key, stamp)).await,
                ClaimKey::Signature(_) => Ok(false),
            },
        }
    }

    /// Claims an `id` carried by the verified body, such as each CloudEvent `id` of an Event Streams
    /// delivery ("two events are the same event if they have the same `id`"), for the same window.
    ///
    /// The id is claimed in the namespace of the account (and Webhooks Shared Key) that verified the
    /// request ([`DeliveryKey`]), so a tenant signing with its own token cannot claim another's ids. Only
    /// claim ids the signature covered (a JSON body, through `bodySHA256`, or form fields).
    ///
    /// When the store cannot answer, `failure_mode` applies: `"open"` answers [`Claim::First`] (logged),
    /// `"closed"` the error, which answers 503 as a handler's `Err`.
    ///
    /// ```
    /// # #[cfg(feature = "json")] mod json {
    /// use rocket::http::Status;
    /// use rocket::post;
    /// use rocket::serde::json::Json;
    /// use rocket::serde::Deserialize;
    /// use rocket_twilio::dedupe::{Claim, StoreError};
    /// use rocket_twilio::{validate_twilio_request, Delivery};
    ///
    /// #[derive(Deserialize)]
    /// #[serde(crate = "rocket::serde")]
    /// struct CloudEvent<'r> {
    ///     id: &'r str,
    ///     #[serde(rename = "type")]
    ///     kind: &'r str,
    /// }
    ///
    /// #[validate_twilio_request]
    /// #[post("/events", data = "<events>")]
    /// async fn events(events: Json<Vec<CloudEvent<'_>>>, delivery: Delivery<'_>) -> Result<Status, StoreError> {
    ///     for event in events.iter() {
    ///         if delivery.claim_id(event.id).await? == Claim::First {
    ///             println!("{}", event.kind); // once per event id
    ///         }
    ///     }
    ///     Ok(Status::Ok)
    /// }
    /// # }
    /// ```
    pub async fn claim_id(&self, id: &str) -> Result<Claim, StoreError> {
        let Some(live) = self.live else { return Ok(Claim::First) };
        if !matches!(self.seen(), Some(Seen::First(_) | Seen::Duplicate(_) | Seen::Unchecked)) {
            return Err(StoreError::new("claim_id on a request that is not verified"));
        }
        let key =
            ClaimKey::Key(DeliveryKey::of_id(live.verified.account_sid(), live.verified.shared_key_id(), id));
        match live.state.claim(&key).await {
            Ok((claim, _)) => Ok(claim),
            Err(e) if live.state.failure_mode == FailureMode::Closed => Err(e),
            Err(_) => Ok(Claim::First),
        }
    }
}

impl std::fmt::Debug for Delivery<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("seen", &self.seen())
            .field("key", &self.key())
            .field("idempotency_token", &self.idempotency_token())
            .finish()
    }
}

/// Takes a `Delivery` for `req`: claims now if the request is verified, or registers the route's interest
/// for the verifying data guard.
async fn take<'r>(req: &'r Request<'_>, answer_duplicates: bool) -> Result<Delivery<'r>, TwilioError> {
    let state = checker::state(req)?.dedupe.as_ref().ok_or(Reason::NotConfigured)?;
    if !state.used.load(Ordering::Relaxed) && !state.used.swap(true, Ordering::Relaxed) {
        log::info!("Twilio deliveries (Delivery guard): claimed {}", state.store.describe());
    }
    let local = local::of(req);
    let (slot, verified) = (&local.delivery, Verified::from_local(local));
    if verified.is_verified() || slot.verified.load(Ordering::Relaxed) {
        settle(req, state, local, answer_duplicates).await?;
    } else if let Ok(mut interest) = slot.interest.lock() {
        let route = route_id(req);
        let answer = answer_duplicates || interest.is_some_and(|i| i.route == route && i.answer_duplicates);
        *interest = Some(Interest { route, answer_duplicates: answer });
    }
    Ok(Delivery { live: Some(Live { local, state, verified }), headers: Some(req.headers()) })
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Delivery<'r> {
    type Error = TwilioError;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        match take(req, false).await {
            Ok(delivery) => request::Outcome::Success(delivery),
            Err(e) => request::Outcome::Error(e.fail(req)),
        }
    }
}

impl Sentinel for Delivery<'_> {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        fairing::is_missing(rocket)
    }
}

/// A [`Delivery`] whose duplicates are answered `204 No Content` **without running the handler**: the
/// handler runs for first deliveries only (and, with `failure_mode = "open"`, for those the store could not
/// check: see [`Delivery::is_checked`]).
///
/// For webhooks whose answer Twilio ignores: status callbacks, Event Streams sinks. A 2xx ends Twilio's
/// retries. The duplicate is refused as a [`TwilioError`] with [`Reason::Duplicate`] (catchers see it
/// with [`TwilioError::of`]); Rocket sends a 204 without a body whatever your catchers render.
///
/// ```
/// use rocket::form::Form;
/// use rocket::post;
/// use rocket_twilio::webhooks::CallStatusCallback;
/// use rocket_twilio::{validate_twilio_request, FirstDelivery};
///
/// #[validate_twilio_request]
/// #[post("/call-status", data = "<callback>")]
/// fn call_status(callback: Form<CallStatusCallback<'_>>, _once: FirstDelivery<'_>) {
///     println!("{} is {}", callback.call_sid, callback.call_status); // never twice for one delivery
/// }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct FirstDelivery<'r>(Delivery<'r>);

impl<'r> Deref for FirstDelivery<'r> {
    type Target = Delivery<'r>;

    fn deref(&self) -> &Delivery<'r> {
        &self.0
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for FirstDelivery<'r> {
    type Error = TwilioError;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        match take(req, true).await {
            Ok(delivery) => request::Outcome::Success(FirstDelivery(delivery)),
            Err(e) => request::Outcome::Error(e.fail(req)),
        }
    }
}

impl Sentinel for FirstDelivery<'_> {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        fairing::is_missing(rocket)
    }
}

impl FirstDelivery<'_> {
    /// A first delivery, for `testing::skip_validation`.
    pub(crate) fn skipped() -> FirstDelivery<'static> {
        FirstDelivery(Delivery::skipped())
    }
}

#[cfg(test)]
mod tests {
    use rocket::form::Form;
    use rocket::http::{ContentType, Header};
    use rocket::local::blocking::Client;
    use rocket::{get, post, routes};

    use super::DeliveryKey;
    use crate::{validate_twilio_request, Delivery, Twilio};

    fn state(delivery: &Delivery<'_>) -> &'static str {
        match (delivery.is_checked(), delivery.is_duplicate()) {
            (false, true) => "never verified",
            (false, false) => "unchecked",
            (true, true) => "duplicate",
            (true, false) => "first",
        }
    }

    #[validate_twilio_request]
    #[get("/get?<n>")]
    fn get(n: u32, delivery: Delivery<'_>) -> String {
        format!("{n} {}", state(&delivery))
    }

    #[validate_twilio_request]
    #[post("/post", data = "<form>")]
    fn post(form: Form<std::collections::HashMap<String, String>>, delivery: Delivery<'_>) -> String {
        format!("{} {}", form.len(), state(&delivery))
    }

    /// No `#[validate_twilio_request]`: nothing verifies, so nothing claims.
    #[post("/unvalidated", data = "<body>")]
    fn unvalidated(body: String, delivery: Delivery<'_>) -> String {
        format!("{} {}", body.len(), state(&delivery))
    }

    fn client(disabled: bool) -> Client {
        let figment = rocket::Config::figment()
            .merge(("log_level", "off"))
            .merge(("twilio.auth_token", "t"))
            .merge(("twilio.base_url", "https://example.com"))
            .merge(("twilio.disable_validation", disabled));
        let rocket = rocket::custom(figment)
            .attach(Twilio::fairing())
            .mount("/", routes![get, post, unvalidated, key]);
        Client::tracked(rocket).expect("a valid rocket")
    }

    #[test]
    fn with_validation_disabled_requests_are_keyed_on_the_signature_they_carry() {
        let client = client(true);
        // The very first request of the app is a GET: its bodiless guard runs before any `Delivery` did.
        let get = || client.get("/get?n=1").header(Header::new("X-Twilio-Signature", "c2lnLTE=")).dispatch();
        assert_eq!(get().into_string().unwrap(), "1 first");
        assert_eq!(get().into_string().unwrap(), "1 duplicate");
        let post = |signature: Option<&'static str>| {
            let mut request = client.post("/post").header(ContentType::Form).body("a=1");
            if let Some(signature) = signature {
                request = request.header(Header::new("X-Twilio-Signature", signature));
            }
            request.dispatch().into_string().unwrap()
        };
        assert_eq!(post(Some("c2lnLTI=")), "1 first");
        assert_eq!(post(Some("c2lnLTI=")), "1 duplicate");
        // Nothing to key an unsigned request on: never a duplicate, and said so.
        assert_eq!(post(None), "1 unchecked");
        assert_eq!(post(None), "1 unchecked");
    }

    #[validate_twilio_request]
    #[post("/key", data = "<form>")]
    fn key(form: Form<std::collections::HashMap<String, String>>, delivery: Delivery<'_>) -> String {
        let _ = form;
        delivery.key().map(|key| key.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_verified_request_is_keyed_on_the_signature_that_verified_it() {
        let client = client(false);
        let signature =
            crate::RequestValidator::new("t").compute_signature("https://example.com/key", [("a", "1")]);
        // Sent with the whitespace a header value may carry: the key is the trimmed signature's, as verified.
        let padded = format!("  {signature} ");
        let response = client
            .post("/key")
            .header(ContentType::Form)
            .header(Header::new("X-Twilio-Signature", padded))
            .body("a=1");
        assert_eq!(
            response.dispatch().into_string().unwrap(),
            DeliveryKey::of_signature(signature.as_bytes()).to_string()
        );
    }

    #[test]
    fn in_memory_a_verified_request_is_held_by_its_signature_and_shows_its_key() {
        let client = client(false);
        let signature =
            crate::RequestValidator::new("t").compute_signature("https://example.com/key", [("a", "1")]);
        let send = || {
            let request = client.post("/key").header(ContentType::Form).body("a=1");
            request
                .header(Header::new("X-Twilio-Signature", signature.clone()))
                .dispatch()
                .into_string()
                .unwrap()
        };
        // What `Delivery::key` shows is the SHA-256 key, the same for the first delivery and the retry.
        let shown = DeliveryKey::of_signature(signature.as_bytes()).to_string();
        assert_eq!(send(), shown);
        assert_eq!(send(), shown);
        // What the store holds is the signature's first 24 characters, and not that key.
        let state = client.rocket().state::<crate::integration::config::TwilioState>().unwrap();
        let Some(super::DedupeState { store: super::Store::Memory(memory), .. }) = &state.dedupe else {
            panic!("the built-in memory store");
        };
        let stamp = super::Stamp { first_seen: std::time::SystemTime::now(), token: 0 };
        let held = super::ClaimKey::of_verified_signature(signature.as_bytes());
        assert!(matches!(held, super::ClaimKey::Signature(_)));
        assert!(matches!(memory.claim_now(&held.held(), stamp), super::Claim::Duplicate { .. }));
        let key = super::ClaimKey::Key(DeliveryKey::of_signature(signature.as_bytes()));
        assert_eq!(memory.claim_now(&key.held(), stamp), super::Claim::First);
    }

    #[test]
    fn a_route_that_does_not_validate_never_answers_first() {
        let client = client(false);
        let response = client.post("/unvalidated").body("hello").dispatch();
        assert_eq!(response.into_string().unwrap(), "5 never verified");
    }
}
