//! `application/x-www-form-urlencoded` bodies: decoding them into the fields Twilio signed, and encoding
//! those fields back canonically for handlers that read bytes.

use percent_encoding::percent_decode;
use rocket::request::local_cache;
use rocket::Request;
use smallvec::SmallVec;

use super::local;
use crate::signature::params::INLINE;

/// A form's decoded fields, in arrival order: on the stack for as many as a webhook has.
pub(crate) type Fields<'r> = SmallVec<[(&'r str, &'r str); INLINE]>;

/// Decodes the body's fields into `fields`: percent-decoded (`+` is a space, invalid UTF-8 escapes become
/// U+FFFD), in arrival order, repeated names kept, empty `&&` skipped, a field without `=` an empty value;
/// what `form_urlencoded::parse` gives (tested against it), as twilio-python and Rocket's own form parser
/// read a body.
///
/// Fields that need no decoding borrow from the body; the others are decoded one after the other into one
/// string kept in the request's local cache, so everything lives as long as the request and can be lent
/// to borrowed forms (`Form<Sms<'r>>`): one allocation at most, where decoding each field on its own
/// allocates up to two per field.
pub(crate) fn decode<'r>(
    req: &'r Request<'_>,
    body: &'r [u8],
    fields: &mut Fields<'r>,
) -> Result<(), &'static str> {
    let text = std::str::from_utf8(body).map_err(|_| "the form body is not valid UTF-8")?;
    let mut decoded = Vec::new();
    let mut spans = SmallVec::<[(Span<'r>, Span<'r>); INLINE]>::new();
    // A field from `start` to `end`, its name ending at `eq` (its first `=`), `escaped`: whether its name
    // and its value hold a `+` or a `%`. The delimiters are ASCII, so every index is a char boundary.
    let mut field = |start: usize, end: usize, eq: Option<usize>, escaped: [bool; 2]| {
        if start == end {
            return; // `&&`
        }
        let (name, value) = match eq {
            Some(eq) => (text.get(start..eq), text.get(eq + 1..end)),
            None => (text.get(start..end), Some("")),
        };
        let (name, value) = (name.unwrap_or_default(), value.unwrap_or_default());
        let room = body.len();
        spans.push((
            Span::of(name, escaped[0], &mut decoded, room),
            Span::of(value, escaped[1], &mut decoded, room),
        ));
    };
    // One pass over the bytes finds every delimiter (where `split('&')`, `split_once('=')` and a search for
    // `+` and `%` in each name and value took four).
    let (mut start, mut eq, mut escaped) = (0, None, [false; 2]);
    for (i, &byte) in text.as_bytes().iter().enumerate() {
        match byte {
            b'&' => {
                field(start, i, eq, escaped);
                (start, eq, escaped) = (i + 1, None, [false; 2]);
            }
            b'=' if eq.is_none() => eq = Some(i),
            b'+' | b'%' => escaped[usize::from(eq.is_some())] = true,
            _ => {}
        }
    }
    field(start, text.len(), eq, escaped);
    let decoded: &'r str = match decoded.is_empty() {
        true => "",
        // Each span was made valid UTF-8 on its own, so their concatenation is.
        false => local::keep_decoded(req, String::from_utf8(decoded).map_err(|_| "undecodable form body")?),
    };
    fields.extend(spans.into_iter().map(|(name, value)| (name.get(decoded), value.get(decoded))));
    Ok(())
}

/// A decoded name or value: borrowed from the body, or a range of the decoded string.
#[derive(Clone, Copy)]
enum Span<'r> {
    Raw(&'r str),
    Decoded(usize, usize),
}

impl<'r> Span<'r> {
    /// `raw` as it is when it has neither `+` nor `%` (`escaped` is false); else decoded onto the end of
    /// `out` (given room for the whole body, which no decoding outgrows, the first time).
    fn of(raw: &'r str, escaped: bool, out: &mut Vec<u8>, room: usize) -> Self {
        if !escaped {
            return Span::Raw(raw);
        }
        if out.capacity() == 0 {
            out.reserve(room);
        }
        let start = out.len();
        // `+` first, then escapes, as `form_urlencoded` does: an escape never spans a `+` (not a hex
        // digit), so decoding the pieces between the `+`s is the same, and `%2B` stays a `+`.
        for (i, piece) in raw.as_bytes().split(|&b| b == b'+').enumerate() {
            if i > 0 {
                out.push(b' ');
            }
            out.extend(percent_decode(piece));
        }
        if std::str::from_utf8(&out[start..]).is_err() {
            let lossy = String::from_utf8_lossy(&out[start..]).into_owned();
            out.truncate(start);
            out.extend_from_slice(lossy.as_bytes());
        }
        Span::Decoded(start, out.len())
    }

    fn get(self, decoded: &'r str) -> &'r str {
        match self {
            Span::Raw(raw) => raw,
            Span::Decoded(start, end) => decoded.get(start..end).unwrap_or_default(),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `decode` on a request of a local client, against `form_urlencoded::parse`.
    fn check(bodies: &[&[u8]]) {
        let client = rocket::local::blocking::Client::debug_with(vec![]).expect("a client");
        for body in bodies {
            let req = client.get("/");
            let mut fields = Fields::new();
            match decode(req.inner(), body, &mut fields) {
                Ok(()) => {
                    let expected: Vec<(String, String)> =
                        form_urlencoded::parse(body).map(|(n, v)| (n.into_owned(), v.into_owned())).collect();
                    let got: Vec<(String, String)> =
                        fields.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
                    assert_eq!(got, expected, "{:?}", String::from_utf8_lossy(body));
                }
                Err(_) => assert!(std::str::from_utf8(body).is_err(), "{body:?}"),
            }
        }
    }

    #[test]
    fn decodes_as_form_urlencoded_does() {
        check(&[
            b"",
            b"&&",
            b"a",
            b"=",
            b"a=&=b&&c",
            b"Body=Hello+from+Twilio%21&To=%2B14155552671&City=SAN+FRANCISCO",
            b"a=%2B+%2b&b=%&c=%2&d=%zz&e=%2+B&f=100%",
            b"n%61me=v%61lue&x=y=z",
            b"bad=%FF&worse=%E2%82&mixed=%C3%A9%C3&ok=%C3%A9",
            b"emoji=%F0%9F%98%83+%F0%9F",
            "raw=é+ü&%E2%82=é".as_bytes(),
            b"\xff=1",
        ]);
    }

    proptest::proptest! {
        #[test]
        fn decodes_any_body_as_form_urlencoded_does(body in proptest::collection::vec(
            proptest::sample::select(b"ab=&+%2BFf0C3A9E\xff".to_vec()), 0..60)
        ) {
            check(&[&body]);
        }
    }
}
