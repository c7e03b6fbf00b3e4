//! What a finding means for the configuration: the one line a diagnosis ends with.

use super::changes::{Change, QueryChange, Shape};
use super::KeyRole;
use super::{Evidence, UrlParts, UrlSetup};
use crate::signature::url::toggle_port;
use crate::signature::websocket::http_scheme;
use crate::{Keyring, Payload};

/// The fix for a request whose signature is valid for `url`, which differs from the one checked by
/// `changes`.
pub(crate) fn fix(
    evidence: &Evidence<'_>,
    key_id: Option<&str>,
    url: &str,
    changes: &[Change],
    key_was_chosen: bool,
) -> String {
    let mut advice = Vec::new();
    let url_changes: Vec<&Change> = changes.iter().filter(|c| !matches!(c, Change::Key { .. })).collect();
    let origin_only = url_changes.iter().all(|c| {
        matches!(
            c,
            Change::Scheme { .. }
                | Change::Host { .. }
                | Change::LowercaseHost
                | Change::Port { .. }
                | Change::PrefixAdded { .. }
                | Change::Userinfo
        )
    });
    if !url_changes.is_empty() {
        if origin_only {
            advice.push(origin_fix(evidence, url, &url_changes));
        } else {
            advice.extend(url_changes.iter().filter_map(|c| tail_fix(evidence, c)));
        }
    }
    if let Some(Change::Key { used, checked }) = changes.iter().find(|c| matches!(c, Change::Key { .. })) {
        if !key_was_chosen || url_changes.is_empty() {
            advice.push(key_fix(evidence, key_id, used, checked.as_ref()));
        }
    }
    if advice.is_empty() {
        advice.push("the request as checked matches: nothing to fix".to_owned());
    }
    advice.join("; ")
}

/// When Twilio called another scheme, host, port or prefix: the setting that makes the server check
/// that URL.
fn origin_fix(evidence: &Evidence<'_>, url: &str, changes: &[&Change]) -> String {
    if changes.iter().all(|c| matches!(c, Change::Userinfo)) {
        return "Twilio leaves user:pass@ out of the URL it signs: validate against the URL without them"
            .to_owned();
    }
    if let [Change::Scheme { from, to, .. }] = changes {
        if http_scheme(from) == Some(to.to_ascii_lowercase().as_str()) {
            return format!(
                "the WebSocket handshake was signed over {to}:// instead of the {from}:// URL it opened: \
                 Twilio signs the {from}:// URL, so whoever signed this is not Twilio or signs WebSocket URLs \
                 wrongly; nothing to change on this server"
            );
        }
    }
    if let UrlSetup::Request { trusted: Some(trusted) } = evidence.setup {
        let toggled = toggle_port(trusted).map(|p| p.concat());
        if url == trusted || toggled.as_deref() == Some(url) {
            let mut headers: Vec<&str> = changes.iter().filter_map(|c| source_of(c)).collect();
            headers.dedup();
            let base = base_url(evidence, url)
                .map(|b| format!(", or twilio.base_url = \"{b}\""))
                .unwrap_or_default();
            return format!(
                "set twilio.trust_forwarded_headers = true ({} give this URL; trust them only behind a proxy \
                 that overwrites them){base}",
                headers.join(" and ")
            );
        }
    }
    let Some(base) = base_url(evidence, url) else {
        return format!("validate against {url}, the URL Twilio calls");
    };
    match evidence.setup {
        UrlSetup::BaseUrl(current) => format!("set twilio.base_url = \"{base}\" (it is \"{current}\")"),
        UrlSetup::TrustedHeaders => format!(
            "the forwarded headers do not give the URL Twilio calls: make the proxy send the right ones, or set \
             twilio.base_url = \"{base}\" instead of twilio.trust_forwarded_headers"
        ),
        UrlSetup::Request { .. } | UrlSetup::Given => format!("set twilio.base_url = \"{base}\""),
    }
}

fn source_of(change: &Change) -> Option<&'static str> {
    match change {
        Change::Scheme { source, .. } | Change::Port { source, .. } => *source,
        Change::Host { source, .. } | Change::PrefixAdded { source, .. } => Some(source),
        _ => None,
    }
}

/// The `base_url` after which the request's path and query make `url`, if it is one `base_url` accepts.
fn base_url(evidence: &Evidence<'_>, url: &str) -> Option<String> {
    let base = url.strip_suffix(evidence.target)?;
    let parts = UrlParts::parse(base).ok()?;
    // base_url is http(s); a WebSocket URL is rebuilt from it with ws(s).
    let scheme = http_scheme(&parts.scheme).map_or_else(|| parts.scheme.clone(), str::to_owned);
    let parts = UrlParts { scheme, ..parts };
    if parts.base_url_refusal().is_some() {
        return None;
    }
    Some(parts.to_string().trim_end_matches('/').to_owned())
}

/// When the path or query differs: what changed it.
fn tail_fix(evidence: &Evidence<'_>, change: &Change) -> Option<String> {
    Some(match change {
        Change::TrailingSlash { added: true } => "the URL Twilio called ends with '/' and the request path \
                                                   does not: make the route and the webhook URL set in Twilio \
                                                   the same (a redirect or a proxy changes it)"
            .to_owned(),
        Change::TrailingSlash { added: false } => "the request path ends with '/' and the URL Twilio called \
                                                    does not: make the route and the webhook URL set in Twilio \
                                                    the same (a redirect or a proxy changes it)"
            .to_owned(),
        Change::Query(QueryChange::Dropped) => "the URL Twilio called has no query string: something between \
                                                Twilio and this server adds one; validate against the URL \
                                                Twilio calls"
            .to_owned(),
        Change::Query(_) => {
            "something between Twilio and this server re-encoded the query string: make it forward the request \
             URI unchanged"
                .to_owned()
        }
        Change::PrefixRemoved { prefix, .. } => format!(
            "this server sees the path prefix {prefix}, which Twilio did not call (a proxy adds it, or the app \
             is mounted there): check the URL the proxy forwards to"
        ),
        Change::OriginalUri { source, .. } => format!(
            "a proxy rewrote the request URI ({source} holds the one Twilio called): make it forward the URI \
             unchanged"
        ),
        Change::Shape(Shape::BodyHashDropped) => {
            "Twilio signed the URL with the bodySHA256 of this body, and it is missing from the URL received: \
             something between Twilio and this server dropped the query string"
                .to_owned()
        }
        Change::Shape(Shape::FormAsBodyHash) => {
            "the form was signed as a raw body (bodySHA256 of its bytes in the URL), and the URL received has \
             no bodySHA256: Twilio signs a form's fields, so the sender signs the wrong way, or a proxy dropped \
             bodySHA256 from the query"
                .to_owned()
        }
        Change::Shape(Shape::UrlAlone) => match evidence.webhook.payload {
            Payload::Form(_) => "the signature covers the URL alone, not the form's fields: that is how \
                                 Twilio signs a GET (its parameters are in the query); a POST signed so vouches \
                                 for none of its fields and stays refused"
                .to_owned(),
            Payload::Raw(_) => "the signature covers the URL alone, not the body: Twilio adds bodySHA256 (the \
                                SHA-256 of the body) to the URL of JSON webhooks and signs that, so nothing \
                                vouches for this body; it stays refused"
                .to_owned(),
        },
        _ => return None,
    })
}

/// When another configured key matches than the one the request selects.
fn key_fix(
    evidence: &Evidence<'_>,
    key_id: Option<&str>,
    used: &KeyRole,
    checked: Option<&KeyRole>,
) -> String {
    let checked = checked.map_or_else(|| "no configured key".to_owned(), ToString::to_string);
    let account = evidence.webhook.account_sid;
    match (used, key_id, account) {
        (KeyRole::SharedKey { id }, Some(named), _) => format!(
            "the request names shared key `{named}` (X-Twilio-Webhooks-Signature-Settings), and the secret \
             configured as `{id}` is the one it was signed with: configure that secret as \
             twilio.shared_keys.{named}"
        ),
        (KeyRole::SharedKey { id }, None, _) => format!(
            "the request names no shared key, so {checked} was checked: Twilio names the key in \
             X-Twilio-Webhooks-Signature-Settings (key={id}); make sure that header reaches this server"
        ),
        (_, Some(named), _) => format!(
            "the request names shared key `{named}`, so {checked} was checked: set twilio.shared_keys.{named} \
             to that key's secret"
        ),
        (KeyRole::AccountToken { account_sid, .. }, None, Some(sid)) => format!(
            "the request names AccountSid {sid}, so {checked} was checked: the token configured as \
             twilio.accounts.{account_sid} is the one that signed it; check which account each token belongs to"
        ),
        (KeyRole::AccountToken { account_sid, .. }, None, None) => format!(
            "the request names no AccountSid, so {checked} was checked: requests without one are checked with \
             twilio.auth_token, so set it to the token of {account_sid} if this route serves that account, or \
             choose the key in code with Twilio::custom"
        ),
        (KeyRole::AuthToken { .. }, None, Some(sid)) => format!(
            "the request names AccountSid {sid}, so {checked} was checked, but it is signed with the main \
             account's Auth Token: twilio.accounts.{sid} holds another token than the one Twilio uses for it"
        ),
        (KeyRole::AuthToken { secondary: true }, None, None) => format!(
            "{checked} was checked: Twilio signs with the account's primary Auth Token, so the token your app \
             uses is outdated: make the secondary one twilio.auth_token (and keep the old one as \
             twilio.secondary_auth_token while the rotation lasts)"
        ),
        (KeyRole::AuthToken { .. }, None, None) => {
            format!("{checked} was checked: set twilio.auth_token to the token the signature is valid with")
        }
    }
}

/// What no match means for this request.
pub(crate) fn no_match(evidence: &Evidence<'_>, keyring: &Keyring, key_id: Option<&str>) -> String {
    let mut advice = "the URL and body shape are what Twilio signs for this deployment, so the request was \
                      signed with a secret this server does not have (a rotated Auth Token, another account's \
                      token) or its parameters changed in transit"
        .to_owned();
    if let Some(id) = key_id.filter(|id| !keyring.has_shared_key(id)) {
        advice.push_str(&format!(
            "; it names shared key `{id}`, which is not configured: add it to twilio.shared_keys"
        ));
    }
    let unknown_account =
        evidence.webhook.account_sid.filter(|sid| key_id.is_none() && !keyring.has_account(sid));
    if let Some(sid) = unknown_account {
        advice.push_str(&format!(
            "; it names AccountSid {sid}: if that is a sub-account, add its Auth Token as twilio.accounts.{sid}"
        ));
    }
    if key_id.is_none() && unknown_account.is_none() && !keyring.has_secondary() && keyring.has_auth_token() {
        advice.push_str(
            "; while the Auth Token is being rotated, set twilio.secondary_auth_token to the other one",
        );
    }
    advice
}
