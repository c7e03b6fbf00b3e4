//! `[default.twilio]`: reading it at launch, and refusing every setting that could open a route or print a
//! secret.
//!
//! Rules, each with the mistake it stops:
//! - every error names the key as the user wrote it (`twilio.accounts.AC…`) and never a secret's value,
//!   whatever its type (a number, a table, an unparseable `ROCKET_TWILIO`);
//! - `accounts` keys are AccountSids (`AC` + 32 lower-case hex digits) and `shared_keys` ids are what the
//!   signature-settings header can name; neither may be the name of a `[twilio]` setting, and no secret may
//!   be a URL: TOML puts every line after `[twilio.accounts]` into that table, so a `base_url` written
//!   below it would otherwise become an "account" whose token is the public URL;
//! - `ROCKET_TWILIO_AUTH_TOKEN`-style variables, which Rocket does not nest, are refused with a hint;
//! - `disable_validation` only in a debug build *and* the debug profile;
//! - `base_url` is an absolute http(s) URL without credentials, query, fragment or an empty or zero port,
//!   and is not combined with `trust_forwarded_headers`.

use std::sync::Arc;

use rocket::figment::error::{Actual, Kind};
use rocket::figment::value::Value;
use rocket::figment::Figment;
use rocket::http::uri::Absolute;
use rocket::serde::de::Error as _;
use rocket::serde::{Deserialize, Deserializer};
use rocket::Config;

use crate::diagnosis::Budget;
use crate::signature::diagnosis::base_url_refusal;
use crate::{KeyResolver, Keyring, KeyringError};

/// The environment variable read when `twilio.auth_token` is not configured, as in Twilio's docs.
pub const AUTH_TOKEN_ENV: &str = "TWILIO_AUTH_TOKEN";

/// The keys of `[twilio]`, in the order the documentation lists them.
const SETTINGS: [&str; 8] = [
    "auth_token",
    "secondary_auth_token",
    "shared_keys",
    "accounts",
    "base_url",
    "trust_forwarded_headers",
    "disable_validation",
    "dedupe",
];

/// `[default.twilio]`, as written by the user.
#[derive(Deserialize, Default)]
#[serde(crate = "rocket::serde", deny_unknown_fields)]
struct TwilioConfig {
    auth_token: Option<ConfigSecret>,
    secondary_auth_token: Option<ConfigSecret>,
    #[serde(default)]
    shared_keys: SecretTable,
    #[serde(default)]
    accounts: SecretTable,
    base_url: Option<String>,
    #[serde(default)]
    trust_forwarded_headers: bool,
    #[serde(default)]
    disable_validation: bool,
    /// `[twilio.dedupe]`: checked by dedupe/settings.rs.
    #[serde(default)]
    dedupe: super::dedupe::DedupeConfig,
}

/// A secret from the configuration. Deserializing it fails with the type found, never the value.
struct ConfigSecret(String);

impl<'de> Deserialize<'de> for ConfigSecret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match <Value as Deserialize>::deserialize(d)? {
            Value::String(_, secret) => Ok(ConfigSecret(secret)),
            other => Err(D::Error::custom(format!("expected a string, found {}", value_kind(&other)))),
        }
    }
}

/// A table of id → secret (`accounts`, `shared_keys`), in key order. Deserializing it fails with the types
/// found, never a value.
#[derive(Default)]
struct SecretTable(Vec<(String, ConfigSecret)>);

impl<'de> Deserialize<'de> for SecretTable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dict = match <Value as Deserialize>::deserialize(d)? {
            Value::Dict(_, dict) => dict,
            other => {
                return Err(D::Error::custom(format!(
                    "expected a table of id = \"secret\", found {}",
                    value_kind(&other)
                )))
            }
        };
        let mut table = Vec::with_capacity(dict.len());
        for (id, value) in dict {
            match value {
                Value::String(_, secret) => table.push((id, ConfigSecret(secret))),
                other => {
                    return Err(D::Error::custom(format!(
                        "the entry {id:?} must be a string, found {}",
                        value_kind(&other)
                    )))
                }
            }
        }
        Ok(SecretTable(table))
    }
}

/// What kind of value `value` is, without the value itself.
fn value_kind(value: &Value) -> &'static str {
    match value {
        Value::String(..) => "a string",
        Value::Char(..) => "a character",
        Value::Bool(..) => "a boolean",
        Value::Num(..) => "a number",
        Value::Empty(..) => "an empty value",
        Value::Dict(..) => "a table",
        Value::Array(..) => "an array",
    }
}

/// What kind of value figment found, without the value itself.
fn actual_kind(actual: &Actual) -> String {
    match actual {
        Actual::Bool(_) => "a boolean".into(),
        Actual::Unsigned(_) | Actual::Signed(_) | Actual::Float(_) => "a number".into(),
        Actual::Char(_) => "a character".into(),
        Actual::Str(_) => "a string".into(),
        Actual::Bytes(_) => "bytes".into(),
        Actual::Seq => "an array".into(),
        Actual::Map => "a table".into(),
        // The others carry no value.
        other => other.to_string(),
    }
}

/// One figment error as a line that names the key as the user wrote it and never shows a value.
fn describe(error: &rocket::figment::Error) -> String {
    // `extract_inner("twilio")` appends `twilio` to the path instead of putting it first
    // (`auth_token.twilio`): put it back where the user wrote it.
    let inner: Vec<&str> =
        error.path.iter().map(String::as_str).filter(|&segment| segment != "twilio").collect();
    let key = match inner.is_empty() {
        true => "twilio".to_owned(),
        false => format!("twilio.{}", inner.join(".")),
    };
    let what = match &error.kind {
        Kind::Message(message) => message.clone(),
        Kind::InvalidType(actual, expected) | Kind::InvalidValue(actual, expected) => {
            format!("expected {expected}, found {}", actual_kind(actual))
        }
        // `expected` lists the keys of the table the field is in: SETTINGS for [twilio], the
        // `dedupe` keys for [twilio.dedupe].
        Kind::UnknownField(field, expected) => {
            let moved = match SETTINGS.contains(&field.as_str()) && !expected.contains(&field.as_str()) {
                true => format!("; `{field}` is a [twilio] setting: in TOML every line after a [twilio.…] header belongs to that table, so move it above the header"),
                false => String::new(),
            };
            format!("unknown key `{field}` (the keys are {}){moved}", expected.join(", "))
        }
        Kind::MissingField(field) => format!("missing key `{field}`"),
        Kind::DuplicateField(field) => format!("`{field}` is given twice"),
        Kind::Unsupported(actual) | Kind::UnsupportedKey(actual, _) => {
            format!("unsupported value: {}", actual_kind(actual))
        }
        other => other.to_string(),
    };
    let source = error.metadata.as_ref().map(|m| format!(" (in {})", m.name)).unwrap_or_default();
    format!("{key}: {what}{source}")
}

/// How the URL Twilio called is rebuilt from a request.
#[derive(Clone, Debug, Default)]
pub(crate) struct UrlSettings {
    /// The public prefix, without a trailing `/`.
    pub(crate) base_url: Option<String>,
    pub(crate) trust_forwarded_headers: bool,
}

impl UrlSettings {
    /// One sentence on how the URL is rebuilt, for the launch log.
    pub(crate) fn describe(&self) -> String {
        match (&self.base_url, self.trust_forwarded_headers) {
            (Some(base), _) => format!(
                "Twilio signatures are checked against {base}/… (twilio.base_url) followed by each request's \
                 path and query"
            ),
            (None, true) => "Twilio signatures are checked against the scheme and host your proxy sends in \
                             Forwarded / X-Forwarded-Proto / X-Forwarded-Host (twilio.trust_forwarded_headers); \
                             make sure the proxy overwrites them"
                .to_owned(),
            (None, false) => "Twilio signatures are checked against http(s)://<Host header>/…, the URL this \
                              server sees; set twilio.base_url if Twilio calls another URL (behind a proxy, \
                              a load balancer or ngrok)"
                .to_owned(),
        }
    }
}

/// Where the primary Auth Token came from (never its value), for the launch log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenSource {
    /// `twilio.auth_token`, while `TWILIO_AUTH_TOKEN` is also set (and ignored).
    ConfigOverEnv,
    /// `twilio.auth_token`.
    Config,
    /// The `TWILIO_AUTH_TOKEN` environment variable.
    Env,
    /// No primary token (shared keys or sub-accounts only, a key resolver, or validation disabled).
    None,
}

/// What the guards read at request time (managed state).
pub(crate) struct TwilioState {
    pub(crate) resolver: Arc<dyn KeyResolver>,
    pub(crate) url: UrlSettings,
    pub(crate) disabled: bool,
    /// What diagnosing refused requests may cost (shared by every request).
    pub(crate) budget: Budget,
    /// The `Delivery` guards' store and settings (`[twilio.dedupe]`), set by the fairing once the rest is
    /// loaded: kept here so that a verified request reaches it without a second lookup of managed state.
    pub(crate) dedupe: Option<super::dedupe::DedupeState>,
}

impl std::fmt::Debug for TwilioState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwilioState").field("url", &self.url).field("disabled", &self.disabled).finish()
    }
}

/// The configuration, checked, with where the primary token came from.
pub(crate) struct Loaded {
    pub(crate) state: TwilioState,
    pub(crate) token_source: TokenSource,
    /// `[twilio.dedupe]`, checked.
    pub(crate) dedupe: super::dedupe::DedupeSettings,
}

/// Reads and checks the configuration. `env_token` is the value of `TWILIO_AUTH_TOKEN`; `debug_build` is
/// `cfg!(debug_assertions)`, a parameter so that tests can play a release build.
pub(crate) fn load(
    figment: &Figment,
    resolver: Option<Arc<dyn KeyResolver>>,
    env_token: Option<String>,
    debug_build: bool,
) -> Result<Loaded, String> {
    refuse_flat_keys(figment)?;
    let mut config = read(figment)?;
    let dedupe = std::mem::take(&mut config.dedupe).check()?;

    let profile = figment.profile();
    if config.disable_validation && !debug_build {
        return Err(
            "twilio.disable_validation = true is refused: this is a release build (compiled without \
                    debug assertions), and validation can only be switched off in a debug build, in the \
                    `debug` profile"
                .to_owned(),
        );
    }
    if config.disable_validation && *profile != Config::DEBUG_PROFILE {
        return Err(format!(
            "twilio.disable_validation = true is refused in the `{profile}` profile: it is only allowed in the \
             `debug` profile of a debug build, for local development"
        ));
    }

    if config.base_url.is_some() && config.trust_forwarded_headers {
        return Err(
            "twilio.base_url and twilio.trust_forwarded_headers = true are both set: the guard would \
                    use base_url and ignore the headers. Set only one: base_url for a fixed public URL, or \
                    trust_forwarded_headers behind a proxy you run that overwrites Forwarded/X-Forwarded-*"
                .to_owned(),
        );
    }
    let url = UrlSettings {
        base_url: config.base_url.as_deref().map(parse_base_url).transpose()?,
        trust_forwarded_headers: config.trust_forwarded_headers,
    };

    let env_token = env_token.filter(|t| !t.trim().is_empty());
    let (resolver, token_source) = match resolver {
        Some(resolver) => {
            if config.auth_token.is_some()
                || !config.shared_keys.0.is_empty()
                || !config.accounts.0.is_empty()
            {
                log::warn!(
                    "Twilio request validation: Twilio::custom is used; the secrets in [twilio] are ignored"
                );
            }
            (resolver, TokenSource::None)
        }
        None => {
            let token_source = match (&config.auth_token, &env_token) {
                (Some(_), Some(_)) => TokenSource::ConfigOverEnv,
                (Some(_), None) => TokenSource::Config,
                (None, Some(_)) => TokenSource::Env,
                (None, None) => TokenSource::None,
            };
            let keyring = keyring(&config, env_token)?;
            if keyring.is_empty() && !config.disable_validation {
                return Err(format!(
                    "no Twilio secret is configured. Set the {AUTH_TOKEN_ENV} environment variable to your \
                     account's Auth Token (Twilio console → Account → API keys & tokens), or set auth_token \
                     under [default.twilio] in Rocket.toml (or ROCKET_TWILIO='{{auth_token=\"…\"}}')"
                ));
            }
            let resolver: Arc<dyn KeyResolver> = Arc::new(keyring);
            (resolver, token_source)
        }
    };
    Ok(Loaded {
        state: TwilioState {
            resolver,
            url,
            disabled: config.disable_validation,
            budget: Budget::server(),
            dedupe: None,
        },
        token_source,
        dedupe,
    })
}

/// Refuses `ROCKET_TWILIO_AUTH_TOKEN`-style settings, which Rocket reads as a top-level `twilio_auth_token`
/// and which would otherwise be silently ignored.
fn refuse_flat_keys(figment: &Figment) -> Result<(), String> {
    for setting in SETTINGS {
        let flat = format!("twilio_{setting}");
        if figment.contains(&flat) {
            let env = flat.to_ascii_uppercase();
            let also =
                if setting == "auth_token" { format!(", or {AUTH_TOKEN_ENV}=…") } else { String::new() };
            return Err(format!(
                "`{flat}` (e.g. ROCKET_{env}) is not read: Rocket does not nest settings on `_`. Write \
                 ROCKET_TWILIO='{{{setting}=…}}' or `{setting}` under [default.twilio] in Rocket.toml{also}"
            ));
        }
    }
    Ok(())
}

/// The `twilio` table, or its defaults when there is none.
fn read(figment: &Figment) -> Result<TwilioConfig, String> {
    match figment.find_value("twilio") {
        Err(_) => return Ok(TwilioConfig::default()),
        Ok(Value::Dict(..)) => {}
        Ok(other) => {
            let source =
                figment.find_metadata("twilio").map(|m| format!(" (in {})", m.name)).unwrap_or_default();
            return Err(format!(
                "twilio must be a table of settings, like ROCKET_TWILIO='{{auth_token=\"…\"}}', but it is {}{source}; \
                 the value is not shown, as it may hold a secret (in an environment variable, check its quotes \
                 and braces)",
                value_kind(&other)
            ));
        }
    }
    figment.extract_inner::<TwilioConfig>("twilio").map_err(|errors| {
        let lines: Vec<String> = errors.into_iter().map(|e| describe(&e)).collect();
        format!("invalid [twilio] configuration: {}", lines.join("; "))
    })
}

/// The keyring the configuration describes, or which entry is wrong and why.
fn keyring(config: &TwilioConfig, env_token: Option<String>) -> Result<Keyring, String> {
    fn fail(key: &str) -> impl Fn(KeyringError) -> String + '_ {
        move |e| format!("twilio.{key}: {e}")
    }
    let mut keyring = Keyring::new();
    if let Some(token) = config.auth_token.as_ref().map(|t| t.0.as_str()).or(env_token.as_deref()) {
        let key = if config.auth_token.is_some() {
            "auth_token".to_owned()
        } else {
            format!("auth_token ({AUTH_TOKEN_ENV})")
        };
        check_not_a_url(&key, token)?;
        keyring = keyring.primary(token).map_err(fail(&key))?;
    }
    if let Some(token) = &config.secondary_auth_token {
        check_not_a_url("secondary_auth_token", &token.0)?;
        keyring = keyring.secondary(&token.0).map_err(fail("secondary_auth_token"))?;
    }
    for (id, secret) in &config.shared_keys.0 {
        let key = format!("shared_keys.{id}");
        check_table_key("shared_keys", id)?;
        check_not_a_url(&key, &secret.0)?;
        keyring = keyring.shared_key(id.as_str(), &secret.0).map_err(fail(&key))?;
    }
    for (sid, token) in &config.accounts.0 {
        let key = format!("accounts.{sid}");
        check_table_key("accounts", sid)?;
        check_not_a_url(&key, &token.0)?;
        keyring = keyring.account(sid.as_str(), &token.0).map_err(fail(&key))?;
    }
    Ok(keyring)
}

/// A table key that is the name of a `[twilio]` setting is a line written below the table's header by
/// mistake.
fn check_table_key(table: &str, id: &str) -> Result<(), String> {
    if SETTINGS.contains(&id) {
        return Err(format!(
            "twilio.{table}.{id}: `{id}` is a [twilio] setting, not an entry of `{table}`. In TOML every line \
             after the [twilio.{table}] header belongs to that table: move `{id}` above the header (or write \
             {table} = {{ … }} inline)"
        ));
    }
    Ok(())
}

/// Twilio's secrets are random strings; one that holds `://` is a URL written where a secret goes.
fn check_not_a_url(key: &str, secret: &str) -> Result<(), String> {
    if secret.contains("://") {
        return Err(format!(
            "twilio.{key}: the secret looks like a URL, not a Twilio secret (value not shown). If it is the \
             base_url, move it out of this table: in TOML every line after a [twilio.…] header belongs to \
             that table"
        ));
    }
    Ok(())
}

/// Checks `twilio.base_url`: an absolute `http`/`https` URL with a host, no credentials, no empty or zero
/// port, no query and no fragment. Returns it without trailing slashes.
pub(crate) fn parse_base_url(base: &str) -> Result<String, String> {
    let invalid = |why: &str| {
        format!(
            "twilio.base_url {:?} is invalid: {why}; expected the public URL prefix Twilio calls, like \
             \"https://example.com\" or \"https://example.com/app\"",
            without_userinfo(base)
        )
    };
    // Rocket's parser for the URI syntax, then the rule the diagnosis's advice follows too.
    Absolute::parse(base).map_err(|e| invalid(&e.to_string()))?;
    if let Some(why) = base_url_refusal(base) {
        return Err(invalid(&why));
    }
    Ok(base.trim_end_matches('/').to_owned())
}

/// `url` with its `user:pass@` (a password, perhaps) shown as `***@`, for error messages.
fn without_userinfo(url: &str) -> std::borrow::Cow<'_, str> {
    if let Some((scheme, rest)) = url.split_once("://") {
        let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
        if let Some(at) = authority.rfind('@') {
            return format!("{scheme}://***@{}", &rest[at + 1..]).into();
        }
    }
    url.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rocket::figment::providers::{Format, Toml};

    const SID: &str = "AC0123456789abcdef0123456789abcdef";

    fn load_in(toml: &str, profile: &str, env: Option<&str>, debug_build: bool) -> Result<Loaded, String> {
        let figment = Figment::from(Config::default()).merge(Toml::string(toml).nested()).select(profile);
        load(&figment, None, env.map(str::to_owned), debug_build)
    }

    fn load_str(toml: &str, profile: &str, env: Option<&str>) -> Result<TwilioState, String> {
        load_in(toml, profile, env, true).map(|l| l.state)
    }

    #[test]
    fn reads_every_key() {
        let s = load_str(
            &format!(
                r#"[debug.twilio]
                   auth_token = "t1"
                   secondary_auth_token = "t2"
                   shared_keys = {{ k1 = "s1" }}
                   accounts = {{ {SID} = "a1" }}
                   base_url = "https://example.com/app/""#
            ),
            "debug",
            None,
        )
        .unwrap();
        assert_eq!(s.url.base_url.as_deref(), Some("https://example.com/app"));
        assert!(!s.url.trust_forwarded_headers);
        assert!(!s.disabled);
        let s = load_str("[debug.twilio]\nauth_token = \"t\"\ntrust_forwarded_headers = true", "debug", None)
            .unwrap();
        assert!(s.url.trust_forwarded_headers);
    }

    #[test]
    fn token_falls_back_to_the_environment_and_says_which_was_used() {
        let source = |toml: &str, env| load_in(toml, "debug", env, true).map(|l| l.token_source);
        assert_eq!(source("", Some("from-env")), Ok(TokenSource::Env));
        assert_eq!(source("[debug.twilio]\nauth_token = \"t\"", None), Ok(TokenSource::Config));
        assert_eq!(source("[debug.twilio]\nauth_token = \"t\"", Some("e")), Ok(TokenSource::ConfigOverEnv));
        let err = load_str("", "debug", None).unwrap_err();
        assert!(err.contains("TWILIO_AUTH_TOKEN") && err.contains("Rocket.toml"), "{err}");
        assert!(load_str("", "debug", Some("  ")).is_err());
    }

    #[test]
    fn refuses_bad_settings_with_clear_messages() {
        let err = load_str("[debug.twilio]\nauth_tokn = \"x\"", "debug", Some("t")).unwrap_err();
        assert!(err.contains("auth_tokn"), "{err}");
        let err = load_str("[debug.twilio]\nauth_token = \"\"", "debug", None).unwrap_err();
        assert!(err.contains("twilio.auth_token") && err.contains("empty"), "{err}");
        for bad in [
            "example.com",
            "ftp://example.com",
            "https://example.com/?a=1",
            "https://",
            "https://h/#x",
            "https://user:s3cr3tpw@example.com",
            "https://@example.com",
            "https://example.com:",
            "https://example.com:/app",
            "https://example.com:0",
        ] {
            let err =
                load_str(&format!("[debug.twilio]\nbase_url = \"{bad}\""), "debug", Some("t")).unwrap_err();
            assert!(err.contains("base_url"), "{bad}: {err}");
            assert!(!err.contains("s3cr3tpw"), "{bad}: a password was printed: {err}");
        }
        assert_eq!(without_userinfo("https://u:p@h:1/a@b?c"), "https://***@h:1/a@b?c");
        assert_eq!(without_userinfo("https://h/a@b"), "https://h/a@b");
        for good in ["https://example.com:8443", "http://[::1]:8000/app", "https://example.com/a@b"] {
            assert!(
                load_str(&format!("[debug.twilio]\nbase_url = \"{good}\""), "debug", Some("t")).is_ok(),
                "{good}"
            );
        }
    }

    #[test]
    fn base_url_and_trusted_headers_are_exclusive() {
        let err = load_str(
            "[debug.twilio]\nbase_url = \"https://example.com\"\ntrust_forwarded_headers = true",
            "debug",
            Some("t"),
        )
        .unwrap_err();
        assert!(err.contains("base_url") && err.contains("trust_forwarded_headers"), "{err}");
    }

    #[test]
    fn disabling_is_refused_outside_debug_profile_and_build() {
        let s = load_str("[default.twilio]\ndisable_validation = true", "debug", None).unwrap();
        assert!(s.disabled);
        let err = load_str("[default.twilio]\ndisable_validation = true", "release", Some("t")).unwrap_err();
        assert!(err.contains("release") && err.contains("disable_validation"), "{err}");
        // A release build refuses it whatever the profile says.
        let err = load_in("[default.twilio]\ndisable_validation = true", "debug", Some("t"), false)
            .map(|_| ())
            .unwrap_err();
        assert!(err.contains("release build") && err.contains("disable_validation"), "{err}");
    }

    #[test]
    fn a_setting_below_a_table_header_never_becomes_a_secret() {
        // The slip of the issue: base_url written below [default.twilio.accounts].
        let toml = format!(
            "[default.twilio]\nauth_token = \"t\"\n[default.twilio.accounts]\n{SID} = \"a\"\nbase_url = \"https://example.com\""
        );
        let err = load_str(&toml, "debug", None).unwrap_err();
        assert!(err.contains("twilio.accounts.base_url"), "{err}");
        // The same below [twilio.shared_keys], and a token there.
        for line in
            ["base_url = \"https://example.com\"", "auth_token = \"t2\"", "secondary_auth_token = \"t2\""]
        {
            let toml = format!(
                "[default.twilio]\nauth_token = \"t\"\n[default.twilio.shared_keys]\nk1 = \"s\"\n{line}"
            );
            let err = load_str(&toml, "debug", None).unwrap_err();
            assert!(err.contains("twilio.shared_keys.") && err.contains("move"), "{line}: {err}");
        }
        // A URL as a secret, under any id.
        let toml = "[default.twilio]\nauth_token = \"t\"\n[default.twilio.shared_keys]\nbase_ur = \"https://example.com\"";
        let err = load_str(toml, "debug", None).unwrap_err();
        assert!(err.contains("twilio.shared_keys.base_ur") && err.contains("URL"), "{err}");
        assert!(!err.contains("example.com"), "{err}");
        // Booleans under a table are a type error, not a secret.
        let toml = "[default.twilio]\nauth_token = \"t\"\n[default.twilio.shared_keys]\ntrust_forwarded_headers = true";
        let err = load_str(toml, "debug", None).unwrap_err();
        assert!(err.contains("boolean"), "{err}");
    }

    #[test]
    fn table_keys_are_checked() {
        for bad in [
            "not-a-sid",
            "ac0123456789abcdef0123456789abcdef",
            "AC123",
            "AC0123456789ABCDEF0123456789ABCDEF",
            "\"AC1 \"",
        ] {
            let err =
                load_str(&format!("[debug.twilio]\naccounts = {{ {bad} = \"tok\" }}"), "debug", Some("t"))
                    .map(|_| ())
                    .unwrap_err();
            assert!(err.contains("twilio.accounts.") && err.contains("AccountSid"), "{bad}: {err}");
        }
        for bad in ["\"a,b\"", "\"a=b\"", "\" k1\"", "\"k 1\"", "\"\""] {
            let err =
                load_str(&format!("[debug.twilio]\nshared_keys = {{ {bad} = \"s\" }}"), "debug", Some("t"))
                    .map(|_| ())
                    .unwrap_err();
            assert!(err.contains("twilio.shared_keys"), "{bad}: {err}");
        }
        assert!(load_str("[debug.twilio]\nshared_keys = { webhooks_sharedkey_01 = \"s\" }", "debug", None)
            .is_ok());
    }

    #[test]
    fn flat_environment_style_keys_are_refused_with_a_hint() {
        let figment = Figment::from(Config::default()).merge(("twilio_auth_token", "x")).select("debug");
        let err = load(&figment, None, None, true).map(|_| ()).unwrap_err();
        assert!(
            err.contains("ROCKET_TWILIO_AUTH_TOKEN") && err.contains("ROCKET_TWILIO='{auth_token=…}'"),
            "{err}"
        );
        // Keys of the app's own that merely start with `twilio_` are left alone.
        let figment = Figment::from(Config::default())
            .merge(("twilio_account_sid", "AC1"))
            .merge(("twilio.auth_token", "t"))
            .select("debug");
        assert!(load(&figment, None, None, true).is_ok());
    }

    #[test]
    fn errors_never_show_secrets() {
        const SECRET: &str = "918273645546";
        let cases = [
            format!("[debug.twilio]\nauth_token = {SECRET}"),
            format!("[debug.twilio]\nauth_token = \"ok\"\nsecondary_auth_token = {SECRET}"),
            format!("[debug.twilio]\nauth_token = [{SECRET}]"),
            format!("[debug.twilio]\nshared_keys = \"{SECRET}\""),
            format!("[debug.twilio]\nshared_keys = {{ k = {SECRET} }}"),
            format!("[debug.twilio]\naccounts = {{ {SID} = {SECRET} }}"),
            format!("[debug.twilio]\naccounts = {{ {SID} = {{ token = \"{SECRET}\" }} }}"),
            format!("[debug.twilio]\nauth_token = \"{SECRET}\"\nbase_url = \"nope\""),
            format!("[debug.twilio]\nauth_token = {SECRET}.5"),
            format!("[debug.twilio]\nauth_token = {{ value = \"{SECRET}\" }}"),
        ];
        for toml in &cases {
            let err = load_str(toml, "debug", None).unwrap_err();
            assert!(!err.contains(SECRET), "{toml}\n→ {err}");
            assert!(err.contains("twilio."), "{toml}\n→ {err}");
        }
        // The key path reads the way it is written, not reversed.
        let err = load_str(&cases[0], "debug", None).unwrap_err();
        assert!(err.contains("twilio.auth_token: expected a string, found a number"), "{err}");
        // A whole table that does not parse (an environment variable with a broken quote).
        let figment = Figment::from(Config::default())
            .merge(("twilio", format!("{{auth_token: '{SECRET}'")))
            .select("debug");
        let err = load(&figment, None, None, true).map(|_| ()).unwrap_err();
        assert!(!err.contains(SECRET) && err.contains("twilio must be a table"), "{err}");
    }
}
