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
/// TLS: `rediss://` with the `redis-tls` feature (rustls). The server's certificate is always verified,
/// against the system's trusted roots, or against the CA certificates of `twilio.dedupe.redis_ca_file`
/// ([`RedisStore::with_root_certificates`]) for a Redis whose certificate a private CA issued.
pub struct RedisStore {
    client: Client,
    window: Duration,
    timeout: Duration,
    /// Created on first use, inside the Tokio runtime it needs.
    connection: OnceLock<Result<ConnectionManager, String>>,
    release: Script,
}

impl RedisStore {
    /// A store for the Redis at `url` (`redis://[user:password@]host[:port][/db]`, `rediss://…` for TLS
    /// with the `redis-tls` feature, or `unix://` / `redis+unix://` and a socket path), keeping each claim
    /// for `window` and waiting at most `timeout` to connect or for an answer. Connects lazily. Errors say
    /// what is wrong without showing the URL, which may hold a password.
    ///
    /// A `rediss://` server's certificate is verified against the system's trusted roots (the platform's
    /// store; on Linux, `SSL_CERT_FILE` and `SSL_CERT_DIR` are honoured).
    pub fn new(url: &str, window: Duration, timeout: Duration) -> Result<RedisStore, StoreError> {
        RedisStore::build(url, None, window, timeout).map_err(|(_, e)| e)
    }

    /// A store for the Redis at the `rediss://` `url` whose certificate is verified against the CA
    /// certificates in `root_pem` (PEM, one or more `CERTIFICATE` blocks) instead of the system's roots:
    /// a Redis whose certificate a private CA issued. `twilio.dedupe.redis_ca_file` names such a file.
    #[cfg(feature = "redis-tls")]
    pub fn with_root_certificates(
        url: &str,
        root_pem: &[u8],
        window: Duration,
        timeout: Duration,
    ) -> Result<RedisStore, StoreError> {
        RedisStore::build(url, Some(root_pem), window, timeout).map_err(|(_, e)| e)
    }

    /// [`new`](Self::new), or [`with_root_certificates`](Self::with_root_certificates) when `roots` is
    /// given (refused without TLS). An error comes with the setting it is about: `redis_url`, or
    /// `redis_ca_file` for the certificates.
    pub(crate) fn build(
        url: &str,
        roots: Option<&[u8]>,
        window: Duration,
        timeout: Duration,
    ) -> Result<RedisStore, (Setting, StoreError)> {
        let url_error = |message: &str| (Setting::Url, StoreError::new(message));
        let scheme = url.split_once("://").map(|(scheme, _)| scheme.to_ascii_lowercase());
        let tls = match scheme.as_deref() {
            Some("redis" | "valkey" | "unix" | "redis+unix" | "valkey+unix") => false,
            Some("rediss" | "valkeys") => true,
            _ => return Err(url_error(
                "expected a redis://host:port, rediss://host:port (TLS) or unix:///path/to/socket URL; the \
                     value is not shown, as it may hold a password",
            )),
        };
        if !tls && roots.is_some() {
            return Err(url_error(
                "CA certificates are given for a Redis reached without TLS: use a rediss:// URL, or remove \
                 twilio.dedupe.redis_ca_file",
            ));
        }
        if tls && url.contains('#') {
            // `#insecure` would turn certificate verification off (the `redis` crate refuses it at the first
            // connection without its `tls-rustls-insecure` feature; here, at launch).
            return Err(url_error(
                "a rediss:// URL with a fragment (#insecure) is refused: the Redis server's certificate is \
                 always verified; for a private CA, set twilio.dedupe.redis_ca_file",
            ));
        }
        if window.as_millis() == 0 || window.as_millis() > i64::MAX as u128 {
            return Err(url_error("the window must be at least 1 ms"));
        }
        let client = if tls {
            tls_client(url, roots)?
        } else {
            Client::open(url).map_err(|e| (Setting::Url, not_a_url(e)))?
        };
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

/// A URL the `redis` crate refused. Its parse errors are fixed phrases ("Invalid database number"), never
/// the URL.
fn not_a_url(error: redis::RedisError) -> StoreError {
    StoreError::new(format!("not a Redis URL ({error}); the value is not shown, as it may hold a password"))
}

/// The setting a [`RedisStore::build`] error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Setting {
    /// `twilio.dedupe.redis_url`.
    Url,
    /// `twilio.dedupe.redis_ca_file`.
    #[cfg_attr(not(feature = "redis-tls"), allow(dead_code))]
    Ca,
}

impl Setting {
    /// `twilio.dedupe.<key>: <message>`, as launch reports it.
    pub(crate) fn describe(self, error: &StoreError) -> String {
        let key = match self {
            Setting::Url => "redis_url",
            Setting::Ca => "redis_ca_file",
        };
        format!("twilio.dedupe.{key}: {}", error.message())
    }
}

/// The client of a `rediss://` URL: rustls, with the `ring` provider unless the application installed
/// another, verifying against `roots` (PEM) if given, else the system's roots.
#[cfg(feature = "redis-tls")]
fn tls_client(url: &str, roots: Option<&[u8]>) -> Result<Client, (Setting, StoreError)> {
    let ca_error = |message: String| (Setting::Ca, StoreError::new(message));
    // rustls needs a process-wide provider when more than one is compiled in; an application that
    // installed its own keeps it (the call then fails, harmlessly).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let Some(pem) = roots else { return Client::open(url).map_err(|e| (Setting::Url, not_a_url(e))) };
    use rustls::pki_types::pem::PemObject as _;
    let certificates = rustls::pki_types::CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ca_error(format!("the CA certificates are not valid PEM ({e})")))?;
    if certificates.is_empty() {
        return Err(ca_error(
            "no PEM certificate (-----BEGIN CERTIFICATE-----) in the CA certificates".into(),
        ));
    }
    let certificates = redis::TlsCertificates { client_tls: None, root_cert: Some(pem.to_vec()) };
    // The certificates were read above: what is refused here is the URL.
    Client::build_with_tls(url, certificates).map_err(|e| (Setting::Url, not_a_url(e)))
}

#[cfg(not(feature = "redis-tls"))]
fn tls_client(_: &str, _: Option<&[u8]>) -> Result<Client, (Setting, StoreError)> {
    Err((Setting::Url, StoreError::new(
        "rediss:// (TLS) needs rocket_twilio's `redis-tls` feature: add it (features = [\"redis-tls\"]), or \
         reach Redis through a TLS tunnel or a private network with redis://",
    )))
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
            format!("rediss://:{password}@localhost/#insecure"),
            #[cfg(not(feature = "redis-tls"))]
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

    #[cfg(not(feature = "redis-tls"))]
    #[test]
    fn tls_needs_its_feature() {
        let err = RedisStore::new("rediss://localhost", SECOND, SECOND).map(|_| ()).unwrap_err();
        assert!(err.message().contains("`redis-tls` feature"), "{err}");
    }

    #[cfg(feature = "redis-tls")]
    #[test]
    fn tls_urls_and_their_certificates_are_checked() {
        let password = "hunter2-s3cret";
        let url = format!("rediss://user:{password}@redis.example.com:6380");
        let store = RedisStore::new(&url, SECOND, SECOND).unwrap();
        assert_eq!(store.address(), "redis.example.com:6380");
        assert!(!store.describe().contains(password));
        // A CA's certificate as `openssl x509 -text` prints it: text, then the PEM block.
        let pem = include_str!("testdata/example-ca.pem");
        assert!(RedisStore::with_root_certificates(&url, pem.as_bytes(), SECOND, SECOND).is_ok());
        for (roots, setting, needle) in [
            ("no certificate here", Setting::Ca, "no PEM certificate"),
            ("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n", Setting::Ca, "not valid PEM"),
        ] {
            let (which, err) =
                RedisStore::build(&url, Some(roots.as_bytes()), SECOND, SECOND).map(|_| ()).unwrap_err();
            assert_eq!(which, setting, "{roots}");
            assert!(err.message().contains(needle) && !err.message().contains(password), "{roots}: {err}");
        }
        // Certificates for a Redis reached without TLS: a slip, refused.
        let plain = format!("redis://:{password}@localhost");
        let (which, err) =
            RedisStore::build(&plain, Some(pem.as_bytes()), SECOND, SECOND).map(|_| ()).unwrap_err();
        assert_eq!(which, Setting::Url);
        assert!(err.message().contains("use a rediss:// URL") && !err.message().contains(password), "{err}");
        // Verification cannot be turned off.
        let err = RedisStore::new(&format!("{url}/#insecure"), SECOND, SECOND).map(|_| ()).unwrap_err();
        assert!(err.message().contains("always verified"), "{err}");
    }

    #[test]
    fn keys_are_prefixed_hex() {
        let key = RedisStore::redis_key(&DeliveryKey::from_bytes([0xab; 16]));
        assert_eq!(key, format!("twilio:dedupe:{}", "ab".repeat(16)));
        assert_eq!(key.len(), 46);
    }
}
