//! [`Twilio`]: the fairing that reads `[default.twilio]` and makes validated routes work.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use rocket::fairing::{self, Fairing, Info, Kind};
use rocket::figment::Figment;
use rocket::http::uri::Absolute;
use rocket::serde::Deserialize;
use rocket::{Build, Config, Rocket};

use crate::{KeyResolver, Keyring, KeyringError};

/// The environment variable read when `twilio.auth_token` is not configured, as in Twilio's docs.
pub const AUTH_TOKEN_ENV: &str = "TWILIO_AUTH_TOKEN";

/// The fairing that configures Twilio request validation. Attach it once; every route with
/// `#[validate_twilio_request]` then checks its requests against this configuration.
///
/// # Configuration
///
/// Read at launch from the `twilio` table of Rocket's configuration (`[default.twilio]` in `Rocket.toml`,
/// or `ROCKET_TWILIO='{auth_token="…"}'`):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `auth_token` | env `TWILIO_AUTH_TOKEN` | your account's primary Auth Token |
/// | `secondary_auth_token` | none | also accepted, while rotating tokens |
/// | `shared_keys` | `{}` | Webhooks Shared Keys, id → secret |
/// | `accounts` | `{}` | sub-account Auth Tokens, `AccountSid` → token |
/// | `base_url` | none | the public URL prefix Twilio calls, e.g. `https://example.com` (behind a proxy, ngrok…) |
/// | `trust_forwarded_headers` | `false` | rebuild the URL from `Forwarded`, `X-Forwarded-Proto`, `X-Forwarded-Host`, `X-Forwarded-Port`, `X-Original-Host` |
/// | `disable_validation` | `false` | accept unsigned requests; **debug profile only**, refused in any other profile |
///
/// Unknown keys are an error, so a typo cannot silently leave a setting at its default.
///
/// Launch fails, with a message naming what to set, when no secret is configured, when a setting is
/// invalid, or when `disable_validation` is set outside the debug profile. A validated route mounted
/// without this fairing aborts launch too (a Rocket `Sentinel`).
///
/// ```no_run
/// # use rocket::launch;
/// #[launch]
/// fn rocket() -> _ {
///     rocket::build().attach(rocket_twilio::Twilio::fairing())
/// }
/// ```
pub struct Twilio {
    resolver: Option<Arc<dyn KeyResolver>>,
}

impl Twilio {
    /// Validation configured from `[default.twilio]` (and `TWILIO_AUTH_TOKEN`).
    pub fn fairing() -> Twilio {
        Twilio { resolver: None }
    }

    /// Validation with secrets chosen by `resolver`: a [`Keyring`], or a closure from the request's
    /// `AccountSid` to a keyring (e.g. tokens of your customers' sub-accounts). The URL settings
    /// (`base_url`, `trust_forwarded_headers`, `disable_validation`) still come from `[default.twilio]`;
    /// its secrets are not used.
    ///
    /// ```no_run
    /// use std::collections::HashMap;
    /// use rocket_twilio::{Keyring, Twilio};
    ///
    /// # fn load_tenant_tokens() -> HashMap<String, Keyring> { HashMap::new() }
    /// let tenants: HashMap<String, Keyring> = load_tenant_tokens();
    /// let rocket = rocket::build()
    ///     .attach(Twilio::custom(move |account_sid: Option<&str>| tenants.get(account_sid?).cloned()));
    /// ```
    pub fn custom(resolver: impl KeyResolver) -> Twilio {
        Twilio { resolver: Some(Arc::new(resolver)) }
    }
}

#[rocket::async_trait]
impl Fairing for Twilio {
    fn info(&self) -> Info {
        Info { name: "Twilio request validation", kind: Kind::Ignite | Kind::Singleton }
    }

    async fn on_ignite(&self, rocket: Rocket<Build>) -> fairing::Result {
        match TwilioState::load(rocket.figment(), self.resolver.clone(), std::env::var(AUTH_TOKEN_ENV).ok()) {
            Ok(state) => {
                if state.disabled {
                    log::warn!(
                        "!!! Twilio request validation is DISABLED (twilio.disable_validation = true): every \
                         request to a #[validate_twilio_request] route is accepted unsigned. This is refused \
                         outside the debug profile."
                    );
                }
                Ok(rocket.manage(state))
            }
            Err(message) => {
                log::error!("Twilio request validation: {message}");
                Err(rocket)
            }
        }
    }
}

/// `[default.twilio]`, as written by the user.
#[derive(Deserialize, Default)]
#[serde(crate = "rocket::serde", deny_unknown_fields)]
struct TwilioConfig {
    auth_token: Option<String>,
    secondary_auth_token: Option<String>,
    #[serde(default)]
    shared_keys: BTreeMap<String, String>,
    #[serde(default)]
    accounts: BTreeMap<String, String>,
    base_url: Option<String>,
    #[serde(default)]
    trust_forwarded_headers: bool,
    #[serde(default)]
    disable_validation: bool,
}

/// How the URL Twilio called is rebuilt from a request.
#[derive(Clone, Debug, Default)]
pub(crate) struct UrlSettings {
    /// The public prefix, without a trailing `/`.
    pub(crate) base_url: Option<String>,
    pub(crate) trust_forwarded_headers: bool,
}

/// What the guards read at request time (managed state).
pub(crate) struct TwilioState {
    pub(crate) resolver: Arc<dyn KeyResolver>,
    pub(crate) url: UrlSettings,
    pub(crate) disabled: bool,
}

impl fmt::Debug for TwilioState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TwilioState").field("url", &self.url).field("disabled", &self.disabled).finish()
    }
}

impl TwilioState {
    /// Reads and checks the configuration. `env_token` is the value of `TWILIO_AUTH_TOKEN`.
    pub(crate) fn load(
        figment: &Figment,
        resolver: Option<Arc<dyn KeyResolver>>,
        env_token: Option<String>,
    ) -> Result<TwilioState, String> {
        let config: TwilioConfig = match figment.find_value("twilio") {
            Ok(_) => {
                figment.extract_inner("twilio").map_err(|e| format!("invalid [twilio] configuration: {e}"))?
            }
            Err(_) => TwilioConfig::default(),
        };

        let profile = figment.profile();
        if config.disable_validation && *profile != Config::DEBUG_PROFILE {
            return Err(format!(
                "twilio.disable_validation = true is refused in the `{profile}` profile: it is only allowed \
                 in the `debug` profile, for local development"
            ));
        }

        let url = UrlSettings {
            base_url: config.base_url.as_deref().map(parse_base_url).transpose()?,
            trust_forwarded_headers: config.trust_forwarded_headers,
        };

        let resolver = match resolver {
            Some(resolver) => {
                if config.auth_token.is_some()
                    || !config.shared_keys.is_empty()
                    || !config.accounts.is_empty()
                {
                    log::warn!("Twilio request validation: Twilio::custom is used; the secrets in [twilio] are ignored");
                }
                resolver
            }
            None => {
                let env_token = env_token.filter(|t| !t.trim().is_empty());
                let keyring = keyring(&config, env_token).map_err(|e| e.to_string())?;
                if keyring.is_empty() && !config.disable_validation {
                    return Err(format!(
                        "no Twilio secret is configured. Set the {AUTH_TOKEN_ENV} environment variable to your \
                         account's Auth Token (Twilio console → Account → API keys & tokens), or set auth_token \
                         under [default.twilio] in Rocket.toml (or ROCKET_TWILIO='{{auth_token=\"…\"}}')"
                    ));
                }
                Arc::new(keyring)
            }
        };
        Ok(TwilioState { resolver, url, disabled: config.disable_validation })
    }
}

fn keyring(config: &TwilioConfig, env_token: Option<String>) -> Result<Keyring, KeyringError> {
    let mut keyring = Keyring::new();
    if let Some(token) = config.auth_token.clone().or(env_token) {
        keyring = keyring.primary(token.trim())?;
    }
    if let Some(token) = &config.secondary_auth_token {
        keyring = keyring.secondary(token.trim())?;
    }
    for (id, secret) in &config.shared_keys {
        keyring = keyring.shared_key(id.as_str(), secret.trim())?;
    }
    for (sid, token) in &config.accounts {
        keyring = keyring.account(sid.as_str(), token.trim())?;
    }
    Ok(keyring)
}

/// Checks `twilio.base_url`: an absolute `http`/`https` URL with a host, no query and no fragment.
fn parse_base_url(base: &str) -> Result<String, String> {
    let invalid = |why: &str| {
        format!("twilio.base_url {base:?} is invalid: {why}; expected the public URL prefix Twilio calls, like \"https://example.com\" or \"https://example.com/app\"")
    };
    let parsed = Absolute::parse(base).map_err(|e| invalid(&e.to_string()))?;
    if !["http", "https"].iter().any(|s| parsed.scheme().eq_ignore_ascii_case(s)) {
        return Err(invalid("the scheme must be http or https"));
    }
    if parsed.authority().is_none_or(|a| a.host().is_empty()) {
        return Err(invalid("it has no host"));
    }
    if parsed.query().is_some() || base.contains('#') {
        return Err(invalid("it must not have a query or fragment"));
    }
    Ok(base.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rocket::figment::providers::{Format, Toml};

    fn load(toml: &str, profile: &str, env: Option<&str>) -> Result<TwilioState, String> {
        let figment = Figment::from(Config::default()).merge(Toml::string(toml).nested()).select(profile);
        TwilioState::load(&figment, None, env.map(str::to_owned))
    }

    #[test]
    fn reads_every_key() {
        let s = load(
            r#"[debug.twilio]
               auth_token = "t1"
               secondary_auth_token = "t2"
               shared_keys = { k1 = "s1" }
               accounts = { AC1 = "a1" }
               base_url = "https://example.com/app/"
               trust_forwarded_headers = true"#,
            "debug",
            None,
        )
        .unwrap();
        assert_eq!(s.url.base_url.as_deref(), Some("https://example.com/app"));
        assert!(s.url.trust_forwarded_headers);
        assert!(!s.disabled);
    }

    #[test]
    fn token_falls_back_to_the_environment() {
        assert!(load("", "debug", Some("from-env")).is_ok());
        let err = load("", "debug", None).unwrap_err();
        assert!(err.contains("TWILIO_AUTH_TOKEN") && err.contains("Rocket.toml"), "{err}");
        assert!(load("", "debug", Some("  ")).is_err());
    }

    #[test]
    fn refuses_bad_settings_with_clear_messages() {
        let err = load("[debug.twilio]\nauth_tokn = \"x\"", "debug", Some("t")).unwrap_err();
        assert!(err.contains("auth_tokn"), "{err}");
        let err = load("[debug.twilio]\nauth_token = \"\"", "debug", None).unwrap_err();
        assert!(err.contains("empty"), "{err}");
        for bad in
            ["example.com", "ftp://example.com", "https://example.com/?a=1", "https://", "https://h/#x"]
        {
            let err = load(&format!("[debug.twilio]\nbase_url = \"{bad}\""), "debug", Some("t")).unwrap_err();
            assert!(err.contains("base_url"), "{bad}: {err}");
        }
    }

    #[test]
    fn disabling_is_refused_outside_debug() {
        let s = load("[default.twilio]\ndisable_validation = true", "debug", None).unwrap();
        assert!(s.disabled);
        let err = load("[default.twilio]\ndisable_validation = true", "release", Some("t")).unwrap_err();
        assert!(err.contains("release") && err.contains("disable_validation"), "{err}");
    }

    #[test]
    fn errors_never_show_secrets() {
        let err =
            load("[debug.twilio]\nauth_token = \"sekrit\"\nbase_url = \"nope\"", "debug", None).unwrap_err();
        assert!(!err.contains("sekrit"), "{err}");
    }
}
