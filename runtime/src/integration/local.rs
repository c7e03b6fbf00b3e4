//! [`RequestLocal`]: what the guards keep for the rest of a request, in one entry of Rocket's
//! request-local cache.
//!
//! Each entry of that cache is a heap allocation in a type map (and may grow the map), so the body, its
//! decoded form values and the signer share one, instead of one each.

use std::sync::OnceLock;

use rocket::request::local_cache;
use rocket::Request;

use super::verified::Signer;

/// The guards' request-local values. Each is set at most once per request; should a second guard of the
/// same request have one to keep too, it goes to an entry of its own ([`keep_body`], [`keep_decoded`]).
#[derive(Default)]
pub(crate) struct RequestLocal {
    /// The body, as read by the data guard.
    body: OnceLock<Vec<u8>>,
    /// The form values that needed decoding, one after the other.
    decoded: OnceLock<String>,
    /// Who signed the request, once verified (read by [`Verified`](super::Verified)). A `OnceLock`, so that
    /// a `Verified` taken before the data guard ran (request guards run first) sees what it records.
    pub(crate) signer: OnceLock<Signer>,
}

/// The request's [`RequestLocal`] (created empty on first use).
pub(crate) fn of<'r>(req: &'r Request<'_>) -> &'r RequestLocal {
    req.local_cache(RequestLocal::default)
}

/// Keeps `body` for as long as the request lives.
pub(crate) fn keep_body<'r>(req: &'r Request<'_>, body: Vec<u8>) -> &'r [u8] {
    let mut body = Some(body);
    let kept = of(req).body.get_or_init(|| body.take().unwrap_or_default());
    match body {
        None => kept,
        Some(another) => local_cache!(req, another),
    }
}

/// Keeps `decoded` for as long as the request lives.
pub(crate) fn keep_decoded<'r>(req: &'r Request<'_>, decoded: String) -> &'r str {
    let mut decoded = Some(decoded);
    let kept = of(req).decoded.get_or_init(|| decoded.take().unwrap_or_default());
    match decoded {
        None => kept,
        Some(another) => local_cache!(req, another),
    }
}
