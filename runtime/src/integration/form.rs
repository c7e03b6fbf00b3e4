//! `application/x-www-form-urlencoded` bodies: decoding them into the fields Twilio signed, and encoding
//! those fields back canonically for handlers that read bytes.

use std::borrow::Cow;

use rocket::request::local_cache;
use rocket::Request;

/// The body's fields, percent-decoded (`+` is a space, invalid UTF-8 escapes become U+FFFD, as in
/// twilio-python and Rocket's own form parser), in arrival order, repeated names kept.
///
/// Fields that need no decoding borrow from the body; decoded ones are kept in the request's local cache,
/// so everything lives as long as the request and can be lent to borrowed forms (`Form<Sms<'r>>`).
pub(crate) fn decode<'r>(
    req: &'r Request<'_>,
    body: &'r [u8],
) -> Result<Vec<(&'r str, &'r str)>, &'static str> {
    std::str::from_utf8(body).map_err(|_| "the form body is not valid UTF-8")?;
    let keep = |s: Cow<'r, str>| -> &'r str {
        match s {
            Cow::Borrowed(s) => s,
            Cow::Owned(s) => local_cache!(req, s),
        }
    };
    Ok(form_urlencoded::parse(body).map(|(name, value)| (keep(name), keep(value))).collect())
}

/// `fields` encoded as `application/x-www-form-urlencoded` (WHATWG's serializer: only `*-._` and
/// alphanumerics stay as they are, a space is `+`), in order: `raw` itself when it already is exactly
/// that, else a copy kept in the request's local cache.
pub(crate) fn canonical<'r>(req: &'r Request<'_>, raw: &'r [u8], fields: &[(&str, &str)]) -> &'r [u8] {
    let mut encoded = form_urlencoded::Serializer::new(String::with_capacity(raw.len()));
    encoded.extend_pairs(fields);
    let encoded = encoded.finish();
    if encoded.as_bytes() == raw {
        return raw;
    }
    local_cache!(req, encoded).as_bytes()
}
