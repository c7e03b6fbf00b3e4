//! [`DeliveryStore`]: where claims live, and what a claim answers.

use std::fmt;
use std::time::SystemTime;

use rocket::http::Status;
use rocket::request::Request;
use rocket::response::{self, Responder};

use super::DeliveryKey;

/// Where deliveries are claimed: [`MemoryStore`](super::MemoryStore) (one server) and
/// `RedisStore` (a fleet, feature `redis`) are built in; implement this trait for
/// another (a database, a cluster client) and install it with
/// [`Twilio::dedupe_store`](crate::Twilio::dedupe_store).
///
/// A store is built with its window: a claim holds its key for that long, then expires.
///
/// Its calls are bounded by `twilio.dedupe.timeout` (the guard stops waiting and applies
/// `twilio.dedupe.failure_mode`), so a store need not bound them itself, but it must not block the
/// thread: it runs on Rocket's async workers.
#[rocket::async_trait]
pub trait DeliveryStore: Send + Sync + 'static {
    /// Claims `key` with `stamp` unless a claim of `key` holds, **atomically**: of any number of concurrent
    /// claims of one key, on any number of servers sharing the store, exactly one gets [`Claim::First`];
    /// the others get [`Claim::Duplicate`], with the first claim's time when the store can tell it.
    async fn claim(&self, key: &DeliveryKey, stamp: Stamp) -> Result<Claim, StoreError>;

    /// Removes the claim of `key` if it is still `stamp`'s (a later claim, after this one expired, is
    /// left alone). Returns whether a claim was removed.
    async fn release(&self, key: &DeliveryKey, stamp: Stamp) -> Result<bool, StoreError>;

    /// Checks that the store answers (at launch, to log whether it does). The default answers `Ok`.
    async fn ping(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// One line for the launch log: what and where the store is. Never a password.
    fn describe(&self) -> String;
}

/// Who claims a delivery, and when: what a store keeps for each key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// When the claim was made.
    pub first_seen: SystemTime,
    /// Unique per claim across a fleet (a random per-process seed and a counter), so that
    /// [`DeliveryStore::release`] removes its own claim only.
    pub token: u64,
}

impl Stamp {
    /// `first_seen` in milliseconds since the Unix epoch and the token in hex: `1764520000000.9f3c…`, the
    /// value `RedisStore` stores.
    pub fn encode(&self) -> String {
        let millis = self.first_seen.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis());
        format!("{millis}.{:016x}", self.token)
    }

    /// The stamp that [`encode`](Self::encode) wrote, or `None` for any other text.
    pub fn decode(text: &str) -> Option<Stamp> {
        let (millis, token) = text.split_once('.')?;
        let millis: u64 = millis.parse().ok()?;
        let token = u64::from_str_radix(token, 16).ok()?;
        let first_seen = SystemTime::UNIX_EPOCH.checked_add(std::time::Duration::from_millis(millis))?;
        Some(Stamp { first_seen, token })
    }
}

/// What a claim found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Nobody held the key: this claim holds it now, for the store's window.
    First,
    /// The key was already claimed within the window: a retry or a replay.
    Duplicate {
        /// When the first claim was made, when the store can tell.
        first_seen: Option<SystemTime>,
    },
}

/// A store could not answer: unreachable, too slow, or an error. Its message never holds a password.
///
/// As a responder (a handler returning `Result<_, StoreError>`, e.g. from
/// [`Delivery::claim_id`](crate::Delivery::claim_id)), it answers `503 Service Unavailable`, so that Twilio
/// retries later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError {
    message: String,
    timed_out: bool,
}

impl StoreError {
    /// An error saying `message` (which must not hold a secret).
    pub fn new(message: impl Into<String>) -> Self {
        StoreError { message: message.into(), timed_out: false }
    }

    /// The store did not answer within `timeout`.
    pub(crate) fn timeout(timeout: std::time::Duration) -> Self {
        StoreError {
            message: format!(
                "no answer within {} (twilio.dedupe.timeout)",
                humantime::format_duration(timeout)
            ),
            timed_out: true,
        }
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the store did not answer within `twilio.dedupe.timeout`.
    pub fn is_timeout(&self) -> bool {
        self.timed_out
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "delivery store unavailable: {}", self.message)
    }
}

impl std::error::Error for StoreError {}

/// `503 Service Unavailable`; the error is logged.
impl<'r> Responder<'r, 'static> for StoreError {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        log::error!("{self}: answering 503");
        Err(Status::ServiceUnavailable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn stamps_round_trip_to_the_millisecond() {
        let stamp =
            Stamp { first_seen: SystemTime::UNIX_EPOCH + Duration::from_millis(1_764_520_000_123), token: 7 };
        assert_eq!(stamp.encode(), "1764520000123.0000000000000007");
        assert_eq!(Stamp::decode(&stamp.encode()), Some(stamp));
        for bad in ["", "1", "x.1", "1.x", "1.", ".1", "1.2.3"] {
            assert_eq!(Stamp::decode(bad), None, "{bad}");
        }
    }
}
