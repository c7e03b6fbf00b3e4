//! [`diagnose`]: the search itself, and what it costs.

use super::advice;
use super::changes::{Change, Shape};
use super::variants::{variants, Variant};
use super::{Budget, Diagnosis, Evidence, Finding, NoMatch, Skipped, UrlParts};
use crate::signature::keyring::Secret;
use crate::signature::params::SortedParams;
use crate::signature::url;
use crate::{body_sha256_hex, Algorithm, KeyResolver, Payload, Rejection, SignatureSettings};

/// At most this many configured keys are tried: the ones the request selects first.
const MAX_KEYS: usize = 8;

/// How a body may have been signed: the parameters, and a `bodySHA256` to add to the URL.
struct BodyTry<'a> {
    change: Option<Shape>,
    params: SortedParams<'a, (&'a str, &'a str)>,
    hash: Option<String>,
}

impl BodyTry<'_> {
    fn url(&self, url: &str) -> String {
        match &self.hash {
            Some(hash) => url::append_query_param(url, "bodySHA256", hash),
            None => url.to_owned(),
        }
    }
}

fn no_params<'a>() -> SortedParams<'a, (&'a str, &'a str)> {
    SortedParams::new(&[])
}

/// Searches which variant of a refused request its signature is valid for (see the
/// [module](super) documentation).
///
/// It computes at most [`Budget::per_request`] HMACs and takes them from `budget` first: when the budget
/// is spent, it returns [`Skipped::Budget`] at once. The URL variants are tried with the keys the request
/// selects (or, when none applies, the first two configured), nearest first; then every other key
/// (at most eight in all) on the URL as checked, with and without its port; then the other body shapes.
/// The first match wins.
pub fn diagnose(evidence: &Evidence<'_>, keys: &dyn KeyResolver, budget: &Budget) -> Diagnosis {
    let webhook = &evidence.webhook;
    let searched = |r: &Rejection| {
        matches!(
            r,
            Rejection::SignatureMismatch
                | Rejection::UnknownSharedKey
                | Rejection::NoApplicableKey
                | Rejection::UnknownAccount
                | Rejection::BodyHashMissing
        )
    };
    if evidence.rejection.is_some_and(|r| !searched(r)) {
        return Diagnosis::Skipped(Skipped::NotAMismatch);
    }
    let settings = match webhook.signature_settings.map(SignatureSettings::parse) {
        None => SignatureSettings::default(),
        Some(Ok(settings)) => settings,
        Some(Err(_)) => return Diagnosis::Skipped(Skipped::NotAMismatch),
    };
    let signature = webhook.signature;
    let Some(algorithm) = Algorithm::of_signature(signature) else {
        return Diagnosis::Skipped(Skipped::SignatureLength(signature.chars().count()));
    };
    // The whole per-request cap is reserved before anything is built, and what was not used given back:
    // once the budget is spent, a refused request costs one atomic operation here.
    let reserved = budget.per_request();
    if !budget.take(reserved) {
        return Diagnosis::Skipped(Skipped::Budget);
    }
    let diagnosis = search(evidence, keys, &settings, algorithm, reserved as usize);
    budget.give_back(reserved.saturating_sub(diagnosis.hmacs()));
    diagnosis
}

/// The search, within `per_request` HMACs.
fn search(
    evidence: &Evidence<'_>,
    keys: &dyn KeyResolver,
    settings: &SignatureSettings<'_>,
    algorithm: Algorithm,
    per_request: usize,
) -> Diagnosis {
    let webhook = &evidence.webhook;
    let signature = webhook.signature;
    let Ok(base) = UrlParts::parse(webhook.url) else { return Diagnosis::Skipped(Skipped::UnusableUrl) };
    let Some(keyring) = keys.keyring_for(webhook) else { return Diagnosis::Skipped(Skipped::NoKeys) };
    let offered = keyring.offer(settings.key_id(), webhook.account_sid, MAX_KEYS);
    if offered.is_empty() {
        return Diagnosis::Skipped(Skipped::NoKeys);
    }
    let chosen = offered.iter().filter(|k| k.chosen).count();
    let (first, others) = offered.split_at(if chosen > 0 { chosen } else { offered.len().min(2) });

    let (natural, alternatives) = body_shapes(evidence);
    let fixed = others.len() * 2 + alternatives.len() * first.len() * 2;
    let url_cap = (per_request.saturating_sub(fixed) / first.len()).max(1);
    let variants = variants(&base, evidence.clues, url_cap);

    let mut hmacs = 0u32;
    let mut signs = |secret: &Secret, url: &str, body: &BodyTry<'_>| {
        if hmacs as usize >= per_request {
            return false;
        }
        hmacs += 1;
        secret.validator(algorithm).sign([url, "", ""], &body.params).ct_eq(signature)
    };
    // The URL as checked, with and without its port.
    let checked_forms: Vec<&Variant> = variants
        .iter()
        .filter(|v| v.changes.iter().all(|c| matches!(c, Change::Port { source: None, .. })))
        .take(2)
        .collect();
    let mut found = None;
    'search: {
        for variant in &variants {
            let url = natural.url(&variant.url);
            for key in first {
                if signs(key.secret, &url, &natural) {
                    found = Some((url, key, variant, &natural));
                    break 'search;
                }
            }
        }
        for key in others {
            for variant in &checked_forms {
                let url = natural.url(&variant.url);
                if signs(key.secret, &url, &natural) {
                    found = Some((url, key, variant, &natural));
                    break 'search;
                }
            }
        }
        for body in &alternatives {
            for key in first {
                for variant in &checked_forms {
                    let url = body.url(&variant.url);
                    if signs(key.secret, &url, body) {
                        found = Some((url, key, variant, body));
                        break 'search;
                    }
                }
            }
        }
    }

    let Some((url, key, variant, body)) = found else {
        return Diagnosis::NoMatch(NoMatch {
            urls: variants.len(),
            keys: offered.len(),
            hmacs,
            advice: advice::no_match(evidence, &keyring, settings.key_id()),
        });
    };
    let mut changes = variant.changes.clone();
    changes.extend(body.change.map(Change::Shape));
    if key.role != offered[0].role || !offered[0].chosen {
        changes.push(Change::Key {
            used: key.role.clone(),
            checked: offered[0].chosen.then(|| offered[0].role.clone()),
        });
    }
    let fix = advice::fix(evidence, settings.key_id(), &url, &changes, key.chosen);
    Diagnosis::Found(Finding { url, key: key.role.clone(), changes, fix, hmacs })
}

/// The body as the request's shape says it was signed, and the other shapes to try.
fn body_shapes<'a>(evidence: &Evidence<'a>) -> (BodyTry<'a>, Vec<BodyTry<'a>>) {
    let webhook = &evidence.webhook;
    match webhook.payload {
        Payload::Form(fields) => {
            let natural = BodyTry { change: None, params: SortedParams::new(fields), hash: None };
            let mut alternatives = Vec::new();
            if let Some(form) = evidence.form.filter(|f| !f.raw.is_empty()) {
                alternatives.push(BodyTry {
                    change: Some(Shape::FormAsBodyHash),
                    params: no_params(),
                    hash: Some(body_sha256_hex(form.raw)),
                });
            }
            if !fields.is_empty() {
                alternatives.push(BodyTry { change: Some(Shape::UrlAlone), params: no_params(), hash: None });
            }
            (natural, alternatives)
        }
        Payload::Raw(_) if url::has_body_sha256(webhook.url) => {
            (BodyTry { change: None, params: no_params(), hash: None }, Vec::new())
        }
        Payload::Raw(body) => (
            BodyTry {
                change: Some(Shape::BodyHashDropped),
                params: no_params(),
                hash: Some(body_sha256_hex(body)),
            },
            vec![BodyTry { change: Some(Shape::UrlAlone), params: no_params(), hash: None }],
        ),
    }
}
