//! [`RedisStore`]: claims in a Redis shared by a fleet of servers (feature `redis`).

use std::sync::OnceLock;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::cluster::{ClusterClient, ClusterClientBuilder, ClusterConfig};
use redis::cluster_async::ClusterConnection;
use redis::{Client, FromRedisValue, Script};

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
/// for a Redis whose certificate a private CA issued; a Redis that authenticates its clients gets the
/// certificate of `redis_client_cert_file` and `redis_client_key_file` ([`RedisStore::with_tls`],
/// [`RedisTls`]).
///
/// A Redis Cluster (`twilio.dedupe.redis_cluster`, [`RedisStore::cluster`]) is reached through the
/// `redis` crate's cluster client: it learns the slot map from the seed nodes and sends each claim to the
/// shard of its key. Every command names one key, so nothing crosses slots.
pub struct RedisStore {
    endpoint: Endpoint,
    window: Duration,
    timeout: Duration,
    /// Created on first use, inside the Tokio runtime it needs.
    connection: OnceLock<Result<Live, String>>,
    release: Script,
}

/// Where the claims go: one Redis, or a cluster known by its seed nodes.
// One per server, built once: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
enum Endpoint {
    Single(Client),
    Cluster { client: ClusterClient, seeds: Vec<String> },
}

/// A connection handle, cheap to clone (both reconnect by themselves).
#[derive(Clone)]
enum Live {
    Single(ConnectionManager),
    Cluster(ClusterConnection),
}

/// What a `rediss://` store presents and trusts beyond the defaults (feature `redis-tls` to use it): the
/// CA certificates that verify the server instead of the system's roots, and a client certificate for a
/// Redis that authenticates its clients (`tls-auth-clients yes`, Redis's default on a TLS port). All PEM.
/// `Debug` never shows the private key.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RedisTls {
    /// CA certificates (one or more `CERTIFICATE` blocks) that verify the server, instead of the
    /// system's trusted roots: `twilio.dedupe.redis_ca_file`.
    pub root_certificates: Option<Vec<u8>>,
    /// The client's certificate chain, leaf first: `twilio.dedupe.redis_client_cert_file`.
    pub client_certificate: Option<Vec<u8>>,
    /// The client certificate's private key: `twilio.dedupe.redis_client_key_file`. A secret.
    pub client_key: Option<Vec<u8>>,
}

impl RedisTls {
    fn is_empty(&self) -> bool {
        *self == RedisTls::default()
    }
}

impl std::fmt::Debug for RedisTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisTls")
            .field("root_certificates", &self.root_certificates.as_ref().map(|pem| pem.len()))
            .field("client_certificate", &self.client_certificate.as_ref().map(|pem| pem.len()))
            .field("client_key", &self.client_key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// What [`RedisStore::build`] connects to.
pub(crate) enum Target<'a> {
    /// `twilio.dedupe.redis_url`.
    Single(&'a str),
    /// `twilio.dedupe.redis_cluster`: seed nodes.
    Cluster(&'a [String]),
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
        RedisStore::build(Target::Single(url), &RedisTls::default(), window, timeout).map_err(|(_, e)| e)
    }

    /// A store for the Redis at the `rediss://` `url`, with `tls`: CA certificates that verify the server
    /// instead of the system's roots (a certificate a private CA issued), a client certificate, or both.
    /// `twilio.dedupe.redis_ca_file`, `redis_client_cert_file` and `redis_client_key_file` do the same
    /// from Rocket.toml; this is for a store built in code and given to
    /// [`Twilio::dedupe_store`](crate::Twilio::dedupe_store).
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use rocket_twilio::dedupe::{RedisStore, RedisTls};
    /// use rocket_twilio::Twilio;
    ///
    /// let tls = RedisTls {
    ///     root_certificates: Some(std::fs::read("/etc/ssl/private-ca.pem")?),
    ///     client_certificate: Some(std::fs::read("/etc/ssl/redis-client.pem")?),
    ///     client_key: Some(std::fs::read("/etc/ssl/redis-client.key")?),
    /// };
    /// let store = RedisStore::with_tls(
    ///     "rediss://:password@redis.internal:6380",
    ///     &tls,
    ///     Duration::from_secs(4 * 3600),
    ///     Duration::from_millis(250),
    /// )?;
    /// let rocket = rocket::build().attach(Twilio::fairing().dedupe_store(store));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "redis-tls")]
    pub fn with_tls(
        url: &str,
        tls: &RedisTls,
        window: Duration,
        timeout: Duration,
    ) -> Result<RedisStore, StoreError> {
        RedisStore::build(Target::Single(url), tls, window, timeout).map_err(|(_, e)| e)
    }

    /// A store for the Redis Cluster whose nodes include `seeds` (`redis://host:port` URLs, `rediss://` for
    /// TLS; one is enough, such as a managed service's configuration endpoint), keeping each claim for
    /// `window` and waiting at most `timeout`. The seeds must agree on TLS and credentials. Connects lazily.
    ///
    /// ```
    /// use std::time::Duration;
    /// use rocket_twilio::dedupe::RedisStore;
    ///
    /// let seeds = ["redis://:password@10.0.0.5:6379", "redis://:password@10.0.0.6:6379"];
    /// let store = RedisStore::cluster(&seeds, Duration::from_secs(4 * 3600), Duration::from_millis(250))?;
    /// assert_eq!(store.address(), "the cluster of 10.0.0.5:6379, 10.0.0.6:6379");
    /// assert!(RedisStore::cluster(&["redis://a:6379", "rediss://b:6379"], Duration::from_secs(60), Duration::from_secs(1)).is_err());
    /// # Ok::<(), rocket_twilio::dedupe::StoreError>(())
    /// ```
    pub fn cluster<S: AsRef<str>>(
        seeds: &[S],
        window: Duration,
        timeout: Duration,
    ) -> Result<RedisStore, StoreError> {
        let seeds: Vec<String> = seeds.iter().map(|seed| seed.as_ref().to_owned()).collect();
        RedisStore::build(Target::Cluster(&seeds), &RedisTls::default(), window, timeout).map_err(|(_, e)| e)
    }

    /// [`cluster`](Self::cluster) over TLS with `tls` for every node (see [`with_tls`](Self::with_tls)).
    #[cfg(feature = "redis-tls")]
    pub fn cluster_with_tls<S: AsRef<str>>(
        seeds: &[S],
        tls: &RedisTls,
        window: Duration,
        timeout: Duration,
    ) -> Result<RedisStore, StoreError> {
        let seeds: Vec<String> = seeds.iter().map(|seed| seed.as_ref().to_owned()).collect();
        RedisStore::build(Target::Cluster(&seeds), tls, window, timeout).map_err(|(_, e)| e)
    }

    /// The constructors' work: `tls` is refused without TLS. An error comes with the setting it is about:
    /// `redis_url` or `redis_cluster`, or the file of a certificate or key.
    pub(crate) fn build(
        target: Target<'_>,
        tls_files: &RedisTls,
        window: Duration,
        timeout: Duration,
    ) -> Result<RedisStore, (Setting, StoreError)> {
        let setting = match target {
            Target::Single(_) => Setting::Url,
            Target::Cluster(_) => Setting::Cluster,
        };
        let error = |message: &str| (setting, StoreError::new(message));
        if window.as_millis() == 0 || window.as_millis() > i64::MAX as u128 {
            return Err(error("the window must be at least 1 ms"));
        }
        let endpoint = match target {
            Target::Single(url) => {
                let tls = uses_tls(url, tls_files).map_err(|e| (setting, e))?;
                let client = if tls {
                    tls_client(url, tls_files)?
                } else {
                    Client::open(url).map_err(|e| (setting, not_a_url(e)))?
                };
                Endpoint::Single(client)
            }
            Target::Cluster(seeds) => {
                if seeds.is_empty() {
                    return Err(error(
                        "no seed node: list at least one redis://host:port URL of the cluster",
                    ));
                }
                let mut tls = Vec::with_capacity(seeds.len());
                for seed in seeds {
                    if seed.trim_start().to_ascii_lowercase().contains("unix://") {
                        return Err(error(
                            "a cluster's nodes are reached over TCP: unix:// is not a seed node",
                        ));
                    }
                    tls.push(uses_tls(seed, tls_files).map_err(|e| (setting, e))?);
                }
                if tls.iter().any(|&t| t != tls[0]) {
                    return Err(error(
                        "the seed nodes mix redis:// and rediss://: a cluster is reached with TLS or without",
                    ));
                }
                let client = cluster_client(seeds, tls_files, tls[0])?;
                let seeds = seeds
                    .iter()
                    .filter_map(|seed| Client::open(seed.as_str()).ok())
                    .map(|client| client.get_connection_info().addr().to_string())
                    .collect();
                Endpoint::Cluster { client, seeds }
            }
        };
        Ok(RedisStore {
            endpoint,
            window,
            timeout,
            connection: OnceLock::new(),
            release: Script::new(RELEASE),
        })
    }

    /// Where Redis is (`host:port` or a socket path; a cluster's seed nodes), without credentials.
    pub fn address(&self) -> String {
        match &self.endpoint {
            Endpoint::Single(client) => client.get_connection_info().addr().to_string(),
            Endpoint::Cluster { seeds, .. } => format!("the cluster of {}", seeds.join(", ")),
        }
    }

    fn connection(&self) -> Result<Live, StoreError> {
        let connection = self.connection.get_or_init(|| match &self.endpoint {
            Endpoint::Single(client) => {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(self.timeout))
                    .set_response_timeout(Some(self.timeout))
                    // Reconnect quickly after Redis comes back, rather than after a long backoff.
                    .set_number_of_retries(1)
                    .set_min_delay(Duration::from_millis(20))
                    .set_max_delay(Duration::from_millis(200));
                ConnectionManager::new_lazy_with_config(client.clone(), config)
                    .map(Live::Single)
                    .map_err(|e| e.to_string())
            }
            Endpoint::Cluster { client, .. } => {
                let config = ClusterConfig::new()
                    .set_connection_timeout(self.timeout)
                    .set_response_timeout(self.timeout);
                Ok(Live::Cluster(client.get_pending_async_connection_with_config(config)))
            }
        });
        connection.clone().map_err(StoreError::new)
    }

    /// Sends `cmd` and reads its answer.
    async fn query<T: FromRedisValue>(&self, cmd: &redis::Cmd) -> Result<T, StoreError> {
        match self.connection()? {
            Live::Single(mut connection) => cmd.query_async(&mut connection).await,
            Live::Cluster(mut connection) => cmd.query_async(&mut connection).await,
        }
        .map_err(unavailable)
    }

    /// The Redis key of `key`.
    pub fn redis_key(key: &DeliveryKey) -> String {
        format!("{KEY_PREFIX}{key}")
    }
}

/// Whether `url` asks for TLS, after the checks every URL passes: a Redis scheme, no certificates
/// without TLS, no `#insecure`.
fn uses_tls(url: &str, tls_files: &RedisTls) -> Result<bool, StoreError> {
    let scheme = url.split_once("://").map(|(scheme, _)| scheme.trim().to_ascii_lowercase());
    let tls =
        match scheme.as_deref() {
            Some("redis" | "valkey" | "unix" | "redis+unix" | "valkey+unix") => false,
            Some("rediss" | "valkeys") => true,
            _ => return Err(StoreError::new(
                "expected a redis://host:port, rediss://host:port (TLS) or unix:///path/to/socket URL; the \
                 value is not shown, as it may hold a password",
            )),
        };
    if !tls && !tls_files.is_empty() {
        return Err(StoreError::new(
            "certificates are given for a Redis reached without TLS: use a rediss:// URL, or remove \
             twilio.dedupe.redis_ca_file, redis_client_cert_file and redis_client_key_file",
        ));
    }
    if tls && url.contains('#') {
        // `#insecure` would turn certificate verification off (the `redis` crate refuses it at the first
        // connection without its `tls-rustls-insecure` feature; here, at launch).
        return Err(StoreError::new(
            "a rediss:// URL with a fragment (#insecure) is refused: the Redis server's certificate is always \
             verified; for a private CA, set twilio.dedupe.redis_ca_file",
        ));
    }
    Ok(tls)
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
    /// `twilio.dedupe.redis_cluster`.
    Cluster,
    /// `twilio.dedupe.redis_ca_file`.
    #[cfg_attr(not(feature = "redis-tls"), allow(dead_code))]
    Ca,
    /// `twilio.dedupe.redis_client_cert_file`.
    #[cfg_attr(not(feature = "redis-tls"), allow(dead_code))]
    ClientCertificate,
    /// `twilio.dedupe.redis_client_key_file`.
    #[cfg_attr(not(feature = "redis-tls"), allow(dead_code))]
    ClientKey,
}

impl Setting {
    /// `twilio.dedupe.<key>: <message>`, as launch reports it.
    pub(crate) fn describe(self, error: &StoreError) -> String {
        let key = match self {
            Setting::Url => "redis_url",
            Setting::Cluster => "redis_cluster",
            Setting::Ca => "redis_ca_file",
            Setting::ClientCertificate => "redis_client_cert_file",
            Setting::ClientKey => "redis_client_key_file",
        };
        format!("twilio.dedupe.{key}: {}", error.message())
    }
}

/// The client of a `rediss://` URL: rustls, with `tls_files`, else the system's roots.
fn tls_client(url: &str, tls_files: &RedisTls) -> Result<Client, (Setting, StoreError)> {
    match tls_certificates(tls_files, Setting::Url)? {
        None => Client::open(url),
        Some(certificates) => client_with_certificates(url, certificates),
    }
    .map_err(|e| (Setting::Url, not_a_url(e)))
}

/// The client of a cluster known by `seeds` (checked by [`uses_tls`], all with TLS or all without). Its
/// timeouts are set with the connection ([`RedisStore::connection`]).
fn cluster_client(
    seeds: &[String],
    tls_files: &RedisTls,
    tls: bool,
) -> Result<ClusterClient, (Setting, StoreError)> {
    let mut builder = ClusterClientBuilder::new(seeds.iter().map(String::as_str));
    if tls {
        if let Some(certificates) = tls_certificates(tls_files, Setting::Cluster)? {
            builder = with_certificates(builder, certificates);
        }
    }
    builder.build().map_err(|e| (Setting::Cluster, not_a_url(e)))
}

#[cfg(feature = "redis-tls")]
fn client_with_certificates(url: &str, certificates: redis::TlsCertificates) -> redis::RedisResult<Client> {
    Client::build_with_tls(url, certificates)
}

#[cfg(feature = "redis-tls")]
fn with_certificates(
    builder: ClusterClientBuilder,
    certificates: redis::TlsCertificates,
) -> ClusterClientBuilder {
    builder.certs(certificates)
}

/// The TLS setup of a `rediss://` store: rustls with the `ring` provider unless the application installed
/// another, and `tls_files` checked (certificates that parse, a key that parses, a certificate and its key
/// together). `None`: the system's roots, no client certificate. `_target` is the setting of the URLs
/// (`redis_url` or `redis_cluster`), which the build without `redis-tls` names in its refusal.
#[cfg(feature = "redis-tls")]
fn tls_certificates(
    tls_files: &RedisTls,
    _target: Setting,
) -> Result<Option<redis::TlsCertificates>, (Setting, StoreError)> {
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    // rustls needs a process-wide provider when more than one is compiled in; an application that
    // installed its own keeps it (the call then fails, harmlessly).
    let _ = rustls::crypto::ring::default_provider().install_default();
    if tls_files.is_empty() {
        return Ok(None);
    }
    let certificates = |setting: Setting, what: &str, pem: &[u8]| {
        let parsed = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| (setting, StoreError::new(format!("{what} are not valid PEM ({e})"))))?;
        match parsed.is_empty() {
            true => Err((
                setting,
                StoreError::new(format!("{what} hold no PEM certificate (-----BEGIN CERTIFICATE-----)")),
            )),
            false => Ok(()),
        }
    };
    if let Some(pem) = &tls_files.root_certificates {
        certificates(Setting::Ca, "the CA certificates", pem)?;
    }
    let client_tls = match (&tls_files.client_certificate, &tls_files.client_key) {
        (None, None) => None,
        (Some(chain), Some(key)) => {
            certificates(Setting::ClientCertificate, "the client certificates", chain)?;
            // The key's text is never shown, not even in part: only that it did not parse.
            PrivateKeyDer::from_pem_slice(key).map_err(|_| {
                (
                    Setting::ClientKey,
                    StoreError::new(
                        "the client key holds no PEM private key (-----BEGIN PRIVATE KEY-----, RSA or EC); its \
                         content is not shown",
                    ),
                )
            })?;
            Some(redis::ClientTlsConfig { client_cert: chain.clone(), client_key: key.clone() })
        }
        (Some(_), None) => {
            return Err((
                Setting::ClientKey,
                StoreError::new("a client certificate needs its private key: set it too"),
            ))
        }
        (None, Some(_)) => {
            return Err((
                Setting::ClientCertificate,
                StoreError::new("a client key needs its certificate: set it too"),
            ))
        }
    };
    Ok(Some(redis::TlsCertificates { client_tls, root_cert: tls_files.root_certificates.clone() }))
}

/// Without the `redis-tls` feature, never a certificate: TLS is refused.
#[cfg(not(feature = "redis-tls"))]
enum NoCertificates {}

#[cfg(not(feature = "redis-tls"))]
fn client_with_certificates(_: &str, certificates: NoCertificates) -> redis::RedisResult<Client> {
    match certificates {}
}

#[cfg(not(feature = "redis-tls"))]
fn with_certificates(_: ClusterClientBuilder, certificates: NoCertificates) -> ClusterClientBuilder {
    match certificates {}
}

#[cfg(not(feature = "redis-tls"))]
fn tls_certificates(_: &RedisTls, target: Setting) -> Result<Option<NoCertificates>, (Setting, StoreError)> {
    Err((
        target,
        StoreError::new(
            "rediss:// (TLS) needs rocket_twilio's `redis-tls` feature: add it (features = [\"redis-tls\"]), \
             or reach Redis through a TLS tunnel or a private network with redis://",
        ),
    ))
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
        let mut set = redis::cmd("SET");
        set.arg(RedisStore::redis_key(key))
            .arg(stamp.encode())
            .arg("NX")
            .arg("GET")
            .arg("PX")
            .arg(self.window.as_millis() as u64);
        let previous: Option<String> = self.query(&set).await?;
        Ok(match previous {
            None => Claim::First,
            Some(value) => Claim::Duplicate { first_seen: Stamp::decode(&value).map(|s| s.first_seen) },
        })
    }

    async fn release(&self, key: &DeliveryKey, stamp: Stamp) -> Result<bool, StoreError> {
        let mut release = self.release.key(RedisStore::redis_key(key));
        release.arg(stamp.encode());
        let removed: i64 = match self.connection()? {
            Live::Single(mut connection) => release.invoke_async(&mut connection).await,
            Live::Cluster(mut connection) => release.invoke_async(&mut connection).await,
        }
        .map_err(unavailable)?;
        Ok(removed == 1)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.query::<String>(&redis::cmd("PING")).await.map(|_| ())
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
        // Named after the setting that asked for TLS: a cluster's seeds, not `redis_url`.
        let seeds = ["rediss://a:7000".to_owned()];
        for (target, setting) in [
            (Target::Single("rediss://localhost"), Setting::Url),
            (Target::Cluster(&seeds), Setting::Cluster),
        ] {
            let (which, err) =
                RedisStore::build(target, &RedisTls::default(), SECOND, SECOND).map(|_| ()).unwrap_err();
            assert_eq!(which, setting);
            assert!(err.message().contains("`redis-tls` feature"), "{err}");
        }
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
        let ca = |pem: &str| RedisTls { root_certificates: Some(pem.into()), ..RedisTls::default() };
        assert!(RedisStore::with_tls(&url, &ca(pem), SECOND, SECOND).is_ok());
        let key_text = "-----BEGIN PRIVATE KEY-----\nS3CRETKEYMATERIAL\n-----END PRIVATE KEY-----\n";
        let client = |cert: Option<&str>, key: Option<&str>| RedisTls {
            client_certificate: cert.map(Into::into),
            client_key: key.map(Into::into),
            ..RedisTls::default()
        };
        for (tls, setting, needle) in [
            (ca("no certificate here"), Setting::Ca, "the CA certificates hold no PEM certificate"),
            (
                ca("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"),
                Setting::Ca,
                "the CA certificates are not valid PEM",
            ),
            (client(Some(pem), None), Setting::ClientKey, "needs its private key"),
            (client(None, Some(key_text)), Setting::ClientCertificate, "needs its certificate"),
            (
                client(Some("not a certificate"), Some(key_text)),
                Setting::ClientCertificate,
                "hold no PEM certificate",
            ),
            (client(Some(pem), Some(key_text)), Setting::ClientKey, "holds no PEM private key"),
        ] {
            let (which, err) =
                RedisStore::build(Target::Single(&url), &tls, SECOND, SECOND).map(|_| ()).unwrap_err();
            assert_eq!(which, setting, "{tls:?}");
            assert!(err.message().contains(needle), "{tls:?}: {err}");
            assert!(!err.message().contains(password) && !err.message().contains("S3CRET"), "{err}");
            assert!(!format!("{tls:?}").contains("S3CRET"), "{tls:?}");
        }
        // Certificates for a Redis reached without TLS: a slip, refused.
        let plain = format!("redis://:{password}@localhost");
        for tls in [ca(pem), client(Some(pem), Some(key_text))] {
            let (which, err) =
                RedisStore::build(Target::Single(&plain), &tls, SECOND, SECOND).map(|_| ()).unwrap_err();
            assert_eq!(which, Setting::Url);
            assert!(
                err.message().contains("use a rediss:// URL") && !err.message().contains(password),
                "{err}"
            );
        }
        // Verification cannot be turned off.
        let err = RedisStore::new(&format!("{url}/#insecure"), SECOND, SECOND).map(|_| ()).unwrap_err();
        assert!(err.message().contains("always verified"), "{err}");
    }

    #[test]
    fn cluster_seeds_are_checked_without_being_shown() {
        let password = "hunter2-s3cret";
        let store = RedisStore::cluster(
            &[format!("redis://:{password}@10.0.0.5:7000"), format!("redis://:{password}@10.0.0.6:7001")],
            SECOND,
            SECOND,
        )
        .unwrap();
        assert_eq!(store.address(), "the cluster of 10.0.0.5:7000, 10.0.0.6:7001");
        assert!(!store.describe().contains(password), "{}", store.describe());
        for (seeds, needle) in [
            (vec![], "no seed node"),
            (vec![format!("unix:///run/{password}.sock")], "over TCP"),
            (vec![format!("redis://:{password}@a:7000"), format!("rediss://:{password}@b:7001")], "mix"),
            (vec![format!("http://:{password}@a")], "expected a redis://"),
            (
                vec![format!("redis://:{password}@a:7000"), format!("redis://:other-{password}@b:7001")],
                "password",
            ),
        ] {
            let (setting, err) =
                RedisStore::build(Target::Cluster(&seeds), &RedisTls::default(), SECOND, SECOND)
                    .map(|_| ())
                    .unwrap_err();
            assert_eq!(setting, Setting::Cluster, "{seeds:?}");
            assert!(err.message().contains(needle), "{seeds:?}: {err}");
            assert!(!err.message().contains(password), "{seeds:?}: {err}");
        }
    }

    #[test]
    fn keys_are_prefixed_hex() {
        let key = RedisStore::redis_key(&DeliveryKey::from_bytes([0xab; 16]));
        assert_eq!(key, format!("twilio:dedupe:{}", "ab".repeat(16)));
        assert_eq!(key.len(), 46);
    }
}
