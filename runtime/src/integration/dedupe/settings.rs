//! `[default.twilio.dedupe]`: reading and checking it. Errors name the key as written (`twilio.dedupe.…`,
//! through config.rs's `describe`) and never show `redis_url`, which may hold a password.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use rocket::figment::value::Value;
use rocket::serde::de::Error as _;
use rocket::serde::{Deserialize, Deserializer};

use super::DeliveryStore;

/// What a claim does when the store cannot answer within `twilio.dedupe.timeout`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(crate = "rocket::serde", rename_all = "lowercase")]
pub enum FailureMode {
    /// Log, and treat the delivery as first ([`Delivery::is_checked`](crate::Delivery::is_checked) is
    /// `false`): the handler runs, as without de-duplication. The default.
    #[default]
    Open,
    /// Refuse the request with `503 Service Unavailable`: Twilio retries it later.
    Closed,
}

/// `[twilio.dedupe]`, as written by the user.
#[derive(Deserialize, Default)]
#[serde(crate = "rocket::serde", deny_unknown_fields)]
pub(crate) struct DedupeConfig {
    window: Option<ConfigDuration>,
    capacity: Option<u64>,
    redis_url: Option<RedisUrl>,
    redis_cluster: Option<RedisUrls>,
    redis_ca_file: Option<String>,
    redis_client_cert_file: Option<String>,
    redis_client_key_file: Option<String>,
    failure_mode: Option<FailureMode>,
    timeout: Option<ConfigDuration>,
}

/// A duration written with its unit (`"4h"`, `"90s"`, `"250ms"`), and the text as written.
struct ConfigDuration(Duration, String);

impl<'de> Deserialize<'de> for ConfigDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match <Value as Deserialize>::deserialize(d)? {
            Value::String(_, text) => match humantime::parse_duration(text.trim()) {
                Ok(duration) => Ok(ConfigDuration(duration, text)),
                Err(e) => Err(
                    D::Error::custom(format!("{text:?} is not a duration ({e}); write it with its unit, like \"4h\", \"90s\" or \"250ms\"")),
                ),
            },
            Value::Num(..) => Err(D::Error::custom(
                "a number has no unit: write the duration as a string with its unit, like \"4h\", \"90s\" or \"250ms\"",
            )),
            _ => Err(D::Error::custom("expected a duration, like \"4h\", \"90s\" or \"250ms\"")),
        }
    }
}

/// `redis_url`: may hold a password, so deserializing it never shows the value.
struct RedisUrl(String);

impl<'de> Deserialize<'de> for RedisUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match <Value as Deserialize>::deserialize(d)? {
            Value::String(_, url) => Ok(RedisUrl(url)),
            _ => Err(D::Error::custom("expected a redis://… URL as a string (the value is not shown)")),
        }
    }
}

/// `redis_cluster`: a list of URLs, each of which may hold a password, so deserializing it never shows a
/// value.
struct RedisUrls(Vec<String>);

impl<'de> Deserialize<'de> for RedisUrls {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let expected =
            "expected a list of the cluster's redis://host:port URLs, as strings (the value is not shown)";
        match <Value as Deserialize>::deserialize(d)? {
            Value::Array(_, urls) => urls
                .into_iter()
                .map(|url| match url {
                    Value::String(_, url) => Ok(url.trim().to_owned()),
                    _ => Err(D::Error::custom(expected)),
                })
                .collect::<Result<_, _>>()
                .map(RedisUrls),
            _ => Err(D::Error::custom(expected)),
        }
    }
}

/// The checked settings.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct DedupeSettings {
    pub(crate) window: Duration,
    pub(crate) capacity: u64,
    pub(crate) redis_url: Option<String>,
    /// The seed nodes of a Redis Cluster (never with `redis_url`).
    pub(crate) redis_cluster: Option<Vec<String>>,
    /// The PEM CA certificates of `redis_ca_file`, read at launch.
    pub(crate) redis_ca: Option<Vec<u8>>,
    /// The PEM client certificate chain of `redis_client_cert_file`, read at launch.
    pub(crate) redis_client_cert: Option<Vec<u8>>,
    /// The PEM private key of `redis_client_key_file`, read at launch: a secret.
    pub(crate) redis_client_key: Option<Vec<u8>>,
    pub(crate) failure_mode: FailureMode,
    pub(crate) timeout: Duration,
}

impl fmt::Debug for DedupeSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DedupeSettings")
            .field("window", &self.window)
            .field("capacity", &self.capacity)
            .field("redis_url", &self.redis_url.as_ref().map(|_| "<redacted>"))
            .field("redis_cluster", &self.redis_cluster.as_ref().map(|seeds| vec!["<redacted>"; seeds.len()]))
            .field("redis_ca", &self.redis_ca.as_ref().map(Vec::len))
            .field("redis_client_cert", &self.redis_client_cert.as_ref().map(Vec::len))
            .field("redis_client_key", &self.redis_client_key.as_ref().map(|_| "<redacted>"))
            .field("failure_mode", &self.failure_mode)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// `window` when not set: Event Streams retries a webhook sink for up to four hours; Voice and Messaging
/// retries (connection overrides) come within seconds.
pub(crate) const DEFAULT_WINDOW: Duration = Duration::from_secs(4 * 3600);
/// `capacity` when not set (in-memory store).
pub(crate) const DEFAULT_CAPACITY: u64 = 100_000;
/// `timeout` when not set.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_millis(250);
/// The longest window accepted: a claim outliving Twilio's every retry by far.
const MAX_WINDOW: Duration = Duration::from_secs(30 * 24 * 3600);
/// The longest timeout accepted: a Twilio webhook itself times out after 15 s.
const MAX_TIMEOUT: Duration = Duration::from_secs(10);

impl DedupeConfig {
    /// Checks the values; each error names the key (`twilio.dedupe.window: …`).
    pub(crate) fn check(self) -> Result<DedupeSettings, String> {
        let window = self.window.as_ref().map_or(DEFAULT_WINDOW, |w| w.0);
        if window < Duration::from_millis(1) || window > MAX_WINDOW {
            return Err(format!(
                "twilio.dedupe.window: {:?} is out of range; a delivery is remembered for between 1ms and 30 days \
                 (Event Streams retries for up to 4 hours; the default is 4h)",
                self.window.map(|w| w.1).unwrap_or_default()
            ));
        }
        let timeout = self.timeout.as_ref().map_or(DEFAULT_TIMEOUT, |t| t.0);
        if timeout < Duration::from_millis(1) || timeout > MAX_TIMEOUT {
            return Err(format!(
                "twilio.dedupe.timeout: {:?} is out of range; wait between 1ms and 10s for the store (Twilio gives \
                 a webhook 15 s in all; the default is 250ms)",
                self.timeout.map(|t| t.1).unwrap_or_default()
            ));
        }
        let capacity = self.capacity.unwrap_or(DEFAULT_CAPACITY);
        if capacity == 0 {
            return Err(
                "twilio.dedupe.capacity: 0 would remember no delivery; give the number of deliveries \
                        to keep in memory (the default is 100000)"
                    .to_owned(),
            );
        }
        let mut settings = DedupeSettings {
            window,
            capacity,
            redis_url: self.redis_url.map(|u| u.0.trim().to_owned()),
            redis_cluster: self.redis_cluster.map(|urls| urls.0),
            redis_ca: None,
            redis_client_cert: None,
            redis_client_key: None,
            failure_mode: self.failure_mode.unwrap_or_default(),
            timeout,
        };
        if settings.redis_url.is_some() && settings.redis_cluster.is_some() {
            return Err(
                "twilio.dedupe.redis_url and twilio.dedupe.redis_cluster are both set: one Redis, or \
                        the seed nodes of a cluster; remove one of the two"
                    .to_owned(),
            );
        }
        let redis = settings.redis_setting();
        if let (Some(redis), Some(_)) = (redis, self.capacity) {
            return Err(format!(
                "twilio.dedupe.capacity applies to the in-memory store, but twilio.dedupe.{redis} is set: \
                 Redis bounds its memory itself (maxmemory); remove one of the two"
            ));
        }
        // The TLS files: each read at launch, and only for a Redis.
        let read_file = |key: &str, path: Option<String>| -> Result<Option<Vec<u8>>, String> {
            let Some(path) = path else { return Ok(None) };
            if redis.is_none() {
                return Err(format!(
                    "twilio.dedupe.{key} is for a rediss:// Redis, but neither twilio.dedupe.redis_url nor \
                     redis_cluster is set: set one, or remove {key}"
                ));
            }
            std::fs::read(path.trim())
                .map(Some)
                .map_err(|e| format!("twilio.dedupe.{key}: cannot read {:?}: {e}", path.trim()))
        };
        settings.redis_ca = read_file("redis_ca_file", self.redis_ca_file)?;
        settings.redis_client_cert = read_file("redis_client_cert_file", self.redis_client_cert_file)?;
        settings.redis_client_key = read_file("redis_client_key_file", self.redis_client_key_file)?;
        // Built here (without connecting: that happens on the first claim) so that a URL, TLS or certificate
        // error stops the launch; `DedupeState::new` builds the store it keeps the same way.
        settings.redis_store()?;
        Ok(settings)
    }
}

impl DedupeSettings {
    /// The Redis store of `redis_url` or `redis_cluster`, with the TLS files read at launch; `None` for
    /// the in-memory store. Errors name the setting they are about.
    #[cfg(feature = "redis")]
    pub(crate) fn redis_store(&self) -> Result<Option<Arc<dyn DeliveryStore>>, String> {
        use super::redis::Target;
        let target = match (&self.redis_url, &self.redis_cluster) {
            (Some(url), _) => Target::Single(url),
            (None, Some(seeds)) => Target::Cluster(seeds),
            (None, None) => return Ok(None),
        };
        let tls = super::RedisTls {
            root_certificates: self.redis_ca.clone(),
            client_certificate: self.redis_client_cert.clone(),
            client_key: self.redis_client_key.clone(),
        };
        match super::RedisStore::build(target, &tls, self.window, self.timeout) {
            Ok(store) => Ok(Some(Arc::new(store))),
            Err((setting, e)) => Err(setting.describe(&e)),
        }
    }

    /// Without the `redis` feature, a Redis setting is an error.
    #[cfg(not(feature = "redis"))]
    pub(crate) fn redis_store(&self) -> Result<Option<Arc<dyn DeliveryStore>>, String> {
        let Some(key) = self.redis_setting() else { return Ok(None) };
        Err(format!(
            "twilio.dedupe.{key} is set, but rocket_twilio was built without its `redis` feature: add it \
             (rocket_twilio = {{ version = \"…\", features = [\"redis\"] }}), or remove {key} to keep claims \
             in memory"
        ))
    }

    /// Whether claims go to a Redis (shared by a fleet) rather than to this server's memory.
    pub(crate) fn uses_redis(&self) -> bool {
        self.redis_setting().is_some()
    }

    /// The key that sends claims to a Redis (`redis_url`, or `redis_cluster`), if one is set.
    fn redis_setting(&self) -> Option<&'static str> {
        match (&self.redis_url, &self.redis_cluster) {
            (Some(_), _) => Some("redis_url"),
            (None, Some(_)) => Some("redis_cluster"),
            (None, None) => None,
        }
    }
}

impl Default for DedupeSettings {
    fn default() -> Self {
        DedupeConfig::default().check().expect("the defaults are valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integration::config;
    use rocket::figment::providers::{Format, Toml};
    use rocket::figment::Figment;

    /// `toml` as a `[default.twilio]` table, read the way the fairing reads it: errors as launch shows them.
    fn read(toml: &str) -> Result<DedupeSettings, String> {
        let toml = format!("[default.twilio]\nauth_token = \"t\"\n{toml}");
        let figment =
            Figment::from(rocket::Config::default()).merge(Toml::string(&toml).nested()).select("debug");
        config::load(&figment, None, None, true).map(|loaded| loaded.dedupe)
    }

    #[test]
    fn defaults_and_every_key() {
        for none in ["", "[default.twilio.dedupe]"] {
            let d = read(none).unwrap();
            assert_eq!(
                (d.window, d.capacity, d.timeout),
                (DEFAULT_WINDOW, DEFAULT_CAPACITY, DEFAULT_TIMEOUT)
            );
            assert_eq!((d.failure_mode, d.redis_url), (FailureMode::Open, None));
        }
        let d = read("[default.twilio.dedupe]\nwindow = \"10m\"\ncapacity = 5\nfailure_mode = \"closed\"\ntimeout = \"50ms\"")
            .unwrap();
        assert_eq!(
            (d.window, d.capacity, d.timeout),
            (Duration::from_secs(600), 5, Duration::from_millis(50))
        );
        assert_eq!(d.failure_mode, FailureMode::Closed);
        // The environment's inline-table form (ROCKET_TWILIO='{dedupe={…}}') reads the same.
        let d = read("dedupe = { window = \"90s\" }").unwrap();
        assert_eq!(d.window, Duration::from_secs(90));
    }

    #[test]
    fn bad_values_are_refused_naming_the_key() {
        for (toml, needle) in [
            ("window = 600", "twilio.dedupe.window: a number has no unit"),
            ("window = \"10 parsecs\"", "twilio.dedupe.window: \"10 parsecs\" is not a duration"),
            ("window = \"0s\"", "twilio.dedupe.window: \"0s\" is out of range"),
            ("window = \"90days\"", "twilio.dedupe.window: \"90days\" is out of range"),
            ("timeout = \"20s\"", "twilio.dedupe.timeout: \"20s\" is out of range"),
            ("capacity = 0", "twilio.dedupe.capacity: 0 would remember no delivery"),
            ("capacity = -1", "twilio.dedupe.capacity"),
            ("failure_mode = \"maybe\"", "twilio.dedupe.failure_mode"),
            (
                "windw = \"1h\"",
                "unknown key `windw` (the keys are window, capacity, redis_url, redis_cluster, redis_ca_file, redis_client_cert_file, redis_client_key_file, failure_mode, timeout)",
            ),
            ("base_url = \"https://example.com\"", "move it above the header"),
        ] {
            let err = read(&format!("[default.twilio.dedupe]\n{toml}")).unwrap_err();
            assert!(err.contains(needle), "{toml}: {err}");
        }
        let err = read("dedupe = \"on\"").unwrap_err();
        assert!(err.contains("twilio.dedupe"), "{err}");
    }

    #[test]
    fn a_flat_environment_key_is_refused() {
        let figment = Figment::from(rocket::Config::default()).merge(("twilio_dedupe", "{}")).select("debug");
        let err = config::load(&figment, None, Some("t".into()), true).map(|_| ()).unwrap_err();
        assert!(err.contains("ROCKET_TWILIO='{dedupe=…}'"), "{err}");
    }

    #[cfg(not(feature = "redis"))]
    #[test]
    fn redis_needs_its_feature() {
        let err = read("[default.twilio.dedupe]\nredis_url = \"redis://:pw@localhost\"").unwrap_err();
        assert!(err.contains("`redis` feature") && !err.contains("pw@"), "{err}");
    }

    #[cfg(feature = "redis")]
    #[test]
    fn redis_urls_are_checked_and_never_shown() {
        let secret = "pa55word-xyz";
        let d = read(&format!("[default.twilio.dedupe]\nredis_url = \"redis://:{secret}@127.0.0.1:6379/1\""))
            .unwrap();
        assert!(!format!("{d:?}").contains(secret));
        for bad in [
            format!("\"https://:{secret}@h\""),
            #[cfg(not(feature = "redis-tls"))]
            format!("\"rediss://:{secret}@h\""),
            format!("\"rediss://:{secret}@h/#insecure\""),
            format!("\"{secret}\""),
            format!("\"redis://:{secret}@h/x\""),
            "918273645546".into(),
            "[\"redis://:pa55word-xyz@h\"]".into(),
        ] {
            let err = read(&format!("[default.twilio.dedupe]\nredis_url = {bad}")).unwrap_err();
            assert!(!err.contains(secret) && !err.contains("918273645546"), "{bad}: {err}");
            assert!(err.contains("twilio.dedupe.redis_url"), "{bad}: {err}");
        }
        let err = read("[default.twilio.dedupe]\nredis_url = \"redis://h\"\ncapacity = 10").unwrap_err();
        assert!(err.contains("capacity") && err.contains("redis_url"), "{err}");
    }

    #[cfg(feature = "redis")]
    #[test]
    fn redis_cluster_seeds_are_checked_and_never_shown() {
        let secret = "pa55word-xyz";
        let d = read(&format!(
            "[default.twilio.dedupe]\nredis_cluster = [\"redis://:{secret}@10.0.0.5:7000\", \"redis://:{secret}@10.0.0.6:7000\"]"
        ))
        .unwrap();
        assert_eq!(d.redis_cluster.as_ref().map(Vec::len), Some(2));
        assert!(d.uses_redis() && d.redis_url.is_none());
        assert!(!format!("{d:?}").contains(secret), "{d:?}");
        for (value, needle) in [
            (
                format!("\"redis://:{secret}@h:7000\""),
                "expected a list of the cluster's redis://host:port URLs",
            ),
            (format!("[\"redis://:{secret}@h:7000\", 7001]"), "expected a list"),
            ("[]".to_owned(), "twilio.dedupe.redis_cluster: no seed node"),
            (format!("[\"{secret}\"]"), "twilio.dedupe.redis_cluster: expected a redis://"),
        ] {
            let err = read(&format!("[default.twilio.dedupe]\nredis_cluster = {value}")).unwrap_err();
            assert!(err.contains(needle) && err.contains("twilio.dedupe.redis_cluster"), "{value}: {err}");
            assert!(!err.contains(secret), "{value}: {err}");
        }
        let both = "redis_url = \"redis://h\"\nredis_cluster = [\"redis://h:7000\"]";
        let err = read(&format!("[default.twilio.dedupe]\n{both}")).unwrap_err();
        assert!(err.contains("both set"), "{err}");
        let err =
            read("[default.twilio.dedupe]\nredis_cluster = [\"redis://h:7000\"]\ncapacity = 10").unwrap_err();
        assert!(err.contains("capacity") && err.contains("twilio.dedupe.redis_cluster is set"), "{err}");
    }

    #[cfg(feature = "redis-tls")]
    #[test]
    fn redis_ca_files_are_read_at_launch() {
        let ca = concat!(env!("CARGO_MANIFEST_DIR"), "/src/integration/dedupe/testdata/example-ca.pem");
        let tls = "[default.twilio.dedupe]\nredis_url = \"rediss://:pw@h:6380\"\n";
        let d = read(&format!("{tls}redis_ca_file = {ca:?}")).unwrap();
        assert_eq!(d.redis_ca.as_deref(), Some(std::fs::read(ca).unwrap().as_slice()));
        let not_pem = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
        for (toml, needle) in [
            (
                format!("{tls}redis_ca_file = \"/no/such/ca.pem\""),
                "twilio.dedupe.redis_ca_file: cannot read \"/no/such/ca.pem\"",
            ),
            (
                format!("{tls}redis_ca_file = {not_pem:?}"),
                "twilio.dedupe.redis_ca_file: the CA certificates hold no PEM certificate",
            ),
            (
                format!("[default.twilio.dedupe]\nredis_ca_file = {ca:?}"),
                "neither twilio.dedupe.redis_url nor redis_cluster is set",
            ),
            (
                format!("[default.twilio.dedupe]\nredis_url = \"redis://:pw@h\"\nredis_ca_file = {ca:?}"),
                "twilio.dedupe.redis_url: certificates are given for a Redis reached without TLS",
            ),
            (
                format!("{tls}redis_client_cert_file = {ca:?}"),
                "twilio.dedupe.redis_client_key_file: a client certificate needs its private key",
            ),
            (
                format!("{tls}redis_client_key_file = {ca:?}"),
                "twilio.dedupe.redis_client_cert_file: a client key needs its certificate",
            ),
            (
                // A certificate is not a key: refused, its content never shown.
                format!("{tls}redis_client_cert_file = {ca:?}\nredis_client_key_file = {ca:?}"),
                "twilio.dedupe.redis_client_key_file: the client key holds no PEM private key",
            ),
            (
                format!("[default.twilio.dedupe]\nredis_client_key_file = {ca:?}"),
                "twilio.dedupe.redis_client_key_file is for a rediss:// Redis",
            ),
        ] {
            let err = read(&toml).unwrap_err();
            assert!(err.contains(needle) && !err.contains("pw@"), "{toml}: {err}");
            assert!(!err.contains("MIIB"), "the file's content was shown: {toml}: {err}");
        }
        // Read, and never shown by `Debug`.
        let key = "-----BEGIN PRIVATE KEY-----\nS3CRET\n-----END PRIVATE KEY-----\n";
        let settings = DedupeSettings { redis_client_key: Some(key.into()), ..DedupeSettings::default() };
        assert!(!format!("{settings:?}").contains("S3CRET"), "{settings:?}");
    }
}
