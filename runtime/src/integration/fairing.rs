//! [`Twilio`]: the fairing that reads `[default.twilio]` and makes validated routes work, and the Sentinel
//! check that refuses to launch validated routes without it.

use std::sync::Arc;

use rocket::fairing::{self, Fairing, Info, Kind};
use rocket::{Build, Ignite, Rocket};

use super::config::{self, TokenSource, TwilioState, AUTH_TOKEN_ENV};
use super::dedupe::{DedupeState, DeliveryStore};
use crate::KeyResolver;

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
/// | `accounts` | `{}` | sub-account Auth Tokens, `AccountSid` (`AC` + 32 hex digits) → token |
/// | `base_url` | none | the public URL prefix Twilio calls, e.g. `https://example.com` (behind a proxy, ngrok…) |
/// | `trust_forwarded_headers` | `false` | rebuild the URL from `Forwarded`, `X-Forwarded-Proto`, `X-Forwarded-Host`, `X-Forwarded-Port`, `X-Original-Host` |
/// | `disable_validation` | `false` | accept unsigned requests; **debug builds in the debug profile only** |
/// | `dedupe` | in memory | where [`Delivery`](crate::Delivery) claims deliveries: `window`, `capacity`, `redis_url` or `redis_cluster`, `redis_ca_file`, `redis_client_cert_file`, `redis_client_key_file`, `failure_mode`, `timeout` (see [`dedupe`](crate::dedupe)) |
///
/// `twilio.auth_token` wins over `TWILIO_AUTH_TOKEN` when both are set; the launch log says which one is
/// used (never its value). Unknown keys are an error, so a typo cannot silently leave a setting at its
/// default, and so is a table key that is not an AccountSid or could not be a shared key id.
///
/// Launch fails, with a message naming the key (and never a secret's value), when no secret is
/// configured, when a setting is invalid, when `base_url` and `trust_forwarded_headers` are both set, or
/// when `disable_validation` is set in a release build or outside the debug profile. A validated route
/// mounted without this fairing aborts launch too (a Rocket `Sentinel`).
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
    /// Set by `Twilio::dedupe_store` (dedupe/mod.rs).
    pub(super) dedupe_store: Option<Arc<dyn DeliveryStore>>,
}

impl Twilio {
    /// Validation configured from `[default.twilio]` (and `TWILIO_AUTH_TOKEN`).
    pub fn fairing() -> Twilio {
        Twilio { resolver: None, dedupe_store: None }
    }

    /// Validation with secrets chosen by `resolver`: a [`Keyring`](crate::Keyring), or a closure from the
    /// request's `AccountSid` to a keyring (e.g. tokens of your customers' sub-accounts). The URL settings
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
    ///
    /// Handlers learn which account's key verified a request from [`Verified`](crate::Verified).
    pub fn custom(resolver: impl KeyResolver) -> Twilio {
        Twilio { resolver: Some(Arc::new(resolver)), dedupe_store: None }
    }
}

#[rocket::async_trait]
impl Fairing for Twilio {
    fn info(&self) -> Info {
        Info { name: "Twilio request validation", kind: Kind::Ignite | Kind::Singleton }
    }

    async fn on_ignite(&self, rocket: Rocket<Build>) -> fairing::Result {
        let env_token = std::env::var(AUTH_TOKEN_ENV).ok();
        match config::load(rocket.figment(), self.resolver.clone(), env_token, cfg!(debug_assertions)) {
            Ok(loaded) => {
                let mut state = loaded.state;
                if state.disabled {
                    log::warn!(
                        "!!! Twilio request validation is DISABLED (twilio.disable_validation = true): every \
                         request to a #[validate_twilio_request] route is accepted unsigned. This is refused \
                         in release builds and outside the debug profile."
                    );
                } else {
                    match loaded.token_source {
                        TokenSource::ConfigOverEnv => log::info!(
                            "Twilio request validation: primary Auth Token from twilio.auth_token; \
                             {AUTH_TOKEN_ENV} is also set and is NOT used"
                        ),
                        TokenSource::Config => {
                            log::info!("Twilio request validation: primary Auth Token from twilio.auth_token")
                        }
                        TokenSource::Env => {
                            log::info!("Twilio request validation: primary Auth Token from {AUTH_TOKEN_ENV}")
                        }
                        TokenSource::None => {}
                    }
                    log::info!("{}", state.url.describe());
                }
                // Duplicate deliveries (dedupe/): the store `[twilio.dedupe]` configures, or a custom one.
                let shared = self.dedupe_store.is_some() || loaded.dedupe.uses_redis();
                let dedupe = match DedupeState::new(loaded.dedupe, self.dedupe_store.clone(), state.disabled)
                {
                    Ok(dedupe) => dedupe,
                    Err(message) => {
                        log::error!("Twilio request validation: {message}");
                        return Err(rocket);
                    }
                };
                if shared {
                    dedupe.announce().await;
                }
                state.dedupe = Some(dedupe);
                Ok(rocket.manage(state))
            }
            Err(message) => {
                log::error!("Twilio request validation: {message}");
                Err(rocket)
            }
        }
    }
}

/// Whether the Twilio fairing is missing, logging what to do about it: the `Sentinel` of every guard.
pub(crate) fn is_missing(rocket: &Rocket<Ignite>) -> bool {
    let missing = rocket.state::<TwilioState>().is_none();
    if missing {
        log::error!(
            "a #[validate_twilio_request] route is mounted, but Twilio validation is not configured: attach \
             rocket_twilio::Twilio::fairing() (or Twilio::custom(…)) to this Rocket instance"
        );
    }
    missing
}
