//! [`RedisStore`]: claims in a Redis shared by a fleet of servers (feature `redis`).

use std::sync::OnceLock;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, Script};

use super::{Claim, DeliveryKey, DeliveryStore, Stamp, StoreError};

/// Every key this store writes starts with it (`twilio:dedupe:` and 32 hex digits, 46 bytes).
pub const KEY_PREFIX: &str = "twilio:dedupe:";

/// Removes a claim only if it is still the caller's: `GET` and `DEL` in one atomic script.
const RELEASE: &str =
    r"if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/// Claims kept in Redis (7.0 or later, or Valkey), shared by every server that points at it:
/// `twilio.dedupe.redis_url = "redis://…"`.
///
/// A claim is one command, `SET twilio:dedupe:<key> <stamp> NX GET PX <window>`: Redis sets the key only
/// if it is absent, atomically, and answers with the value it found, so one round trip tells a first
/// delivery (nil) from a duplicate (the first claim's stamp) on any number of servers. Keys expire with
/// the window; Redis needs no cleanup.
///
/// The client is the [`redis`] crate's [`ConnectionManager`]: one multiplexed connection per server that
/// pipelines every concurrent claim (a claim is a single short command, so a pool of connections would add
/// checkouts and sockets without adding throughput), and that reconnects by itself after Redis restarts.
/// It connects on the first claim; a Redis that is down at launch is logged, not fatal. Every call is
/// bounded by `twilio.dedupe.timeout`, and connection attempts and replies by the same time.
///
/// TLS (`rediss://`) is not built in: reach a remote Redis through a TLS tunnel or a private network.
pub struct RedisStore {
    client: Client,
    window: Duration,
    timeout: Duration,
    /// Created on first use, inside the Tokio runtime it needs.
    connection: OnceLock<Result<ConnectionManager, String>>,
    release: Script,
}

impl RedisStore {
    /// A store for the Redis at `url` (`redis://[user:password@]host[:port][/db]`, or `unix://` /
    /// `redis+unix://` and a socket path), keeping each claim for `window` and waiting at most `timeout`
    /// to connect or for an answer. Connects lazily. Errors say what is wrong without showing the URL,
    /// which may hold a password.
    pub fn new(url: &str, window: Duration, timeout: Duration) -> Result<RedisStore, StoreError> {
        let scheme = url.split_once("://").map(|(scheme, _)| scheme.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("redis" | "valkey" | "unix" | "redis+unix" | "valkey+unix") => {}
            Some("rediss" | "valkeys") => return Err(StoreError::new(
                "TLS (rediss://) is not built into rocket_twilio's Redis store; reach Redis through a TLS \
                     tunnel or a private network with redis://",
            )),
            _ => return Err(StoreError::new(
                "expected a redis://host:port (or unix:///path/to/socket) URL; the value is not shown, as \
                     it may hold a password",
            )),
        }
        if window.as_millis() == 0 || window.as_millis() > i64::MAX as u128 {
            return Err(StoreError::new("the window must be at least 1 ms"));
        }
        let client = Client::open(url).map_err(|e| {
            // redis' parse errors are fixed phrases ("Invalid database number"), never the URL.
            StoreError::new(format!(
                "not a Redis URL ({e}); the value is not shown, as it may hold a password"
            ))
        })?;
        Ok(RedisStore { client, window, timeout, connection: OnceLock::new(), release: Script::new(RELEASE) })
    }

    /// Where Redis is (`host:port` or a socket path), without credentials.
    pub fn address(&self) -> String {
        self.client.get_connection_info().addr().to_string()
    }

    fn connection(&self) -> Result<ConnectionManager, StoreError> {
        let connection = self.connection.get_or_init(|| {
            let config = ConnectionManagerConfig::new()
                .set_connection_timeout(Some(self.timeout))
                .set_response_timeout(Some(self.timeout))
                // Reconnect quickly after Redis comes back, rather than after a long backoff.
                .set_number_of_retries(1)
                .set_min_delay(Duration::from_millis(20))
                .set_max_delay(Duration::from_millis(200));
            ConnectionManager::new_lazy_with_config(self.client.clone(), config).map_err(|e| e.to_string())
        });
        connection.clone().map_err(StoreError::new)
    }

    /// The Redis key of `key`.
    pub fn redis_key(key: &DeliveryKey) -> String {
        format!("{KEY_PREFIX}{key}")
    }
}

/// A Redis error as a [`StoreError`]. Its text names the failure (`Connection refused`, `WRONGPASS…`),
/// never the URL or the password.
fn unavailable(error: redis::RedisError) -> StoreError {
    if error.to_string().contains("syntax error") {
        return StoreError::new(format!("{error} (SET … NX GET needs Redis 7.0 or later)"));
    }
    StoreError::new(error.to_string())
}

#[rocket::async_trait]
impl DeliveryStore for RedisStore {
    async fn claim(&self, key: &DeliveryKey, stamp: Stamp) -> Result<Claim, StoreError> {
        let mut connection = self.connection()?;
        let previous: Option<String> = redis::cmd("SET")
            .arg(RedisStore::redis_key(key))
            .arg(stamp.encode())
            .arg("NX")
            .arg("GET")
            .arg("PX")
            .arg(self.window.as_millis() as u64)
            .query_async(&mut connection)
            .await
            .map_err(unavailable)?;
        Ok(match previous {
            None => Claim::First,
            Some(value) => Claim::Duplicate { first_seen: Stamp::decode(&value).map(|s| s.first_seen) },
        })
    }

    async fn release(&self, key: &DeliveryKey, stamp: Stamp) -> Result<bool, StoreError> {
        let mut connection = self.connection()?;
        let removed: i64 = self
            .release
            .key(RedisStore::redis_key(key))
            .arg(stamp.encode())
            .invoke_async(&mut connection)
            .await
            .map_err(unavailable)?;
        Ok(removed == 1)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let mut connection = self.connection()?;
        redis::cmd("PING").query_async::<String>(&mut connection).await.map(|_| ()).map_err(unavailable)
    }

    fn describe(&self) -> String {
        format!(
            "in Redis at {} (keys {KEY_PREFIX}…, each for {}; shared by every server using it)",
            self.address(),
            humantime::format_duration(self.window)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn urls_are_checked_without_being_shown() {
        let password = "hunter2-s3cret";
        for bad in [
            format!("http://:{password}@localhost"),
            password.to_string(),
            format!("rediss://:{password}@localhost"),
            format!("redis://:{password}@localhost/notadb"),
            format!("redis://:{password}@"),
            format!("redis://:{password}@0.0.0.0"),
            format!("redis://:{password}@localhost/?protocol=9"),
        ] {
            let err = RedisStore::new(&bad, SECOND, SECOND).map(|_| ()).unwrap_err();
            assert!(!err.to_string().contains(password), "{bad}: {err}");
        }
        let store =
            RedisStore::new(&format!("redis://user:{password}@127.0.0.1:6390/2"), SECOND, SECOND).unwrap();
        assert_eq!(store.address(), "127.0.0.1:6390");
        assert!(!store.describe().contains(password), "{}", store.describe());
        assert!(RedisStore::new("unix:///run/redis.sock", SECOND, SECOND).is_ok());
        assert!(RedisStore::new("redis://h", Duration::ZERO, SECOND).is_err());
    }

    #[test]
    fn keys_are_prefixed_hex() {
        let key = RedisStore::redis_key(&DeliveryKey::from_bytes([0xab; 16]));
        assert_eq!(key, format!("twilio:dedupe:{}", "ab".repeat(16)));
        assert_eq!(key.len(), 46);
    }
}
