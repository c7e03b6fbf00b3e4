//! POST parameters in the order Twilio signs them.

use std::cmp::Ordering;

/// One POST parameter, as [`RequestValidator`](crate::RequestValidator) takes them: a name and a value.
///
/// Implemented for pairs `(K, V)` of anything that is `AsRef<str>` (`&str`, `String`, `Cow<str>`…) and for
/// references to them, so a slice, a `Vec` and a `HashMap` can be passed by value or by reference:
///
/// ```
/// use std::collections::HashMap;
/// use rocket_twilio::RequestValidator;
///
/// let v = RequestValidator::new("12345");
/// let url = "https://example.com/sms";
/// let params = vec![("From".to_owned(), "+14155550123".to_owned()), ("Body".to_owned(), "hi".to_owned())];
/// let sig = v.compute_signature(url, &params); // &Vec<(String, String)>: items are &(String, String)
/// assert!(v.validate(url, params.iter(), &sig));
/// assert!(v.validate(url, [("Body", "hi"), ("From", "+14155550123")], &sig));
/// let map: HashMap<&str, &str> = HashMap::from([("From", "+14155550123"), ("Body", "hi")]);
/// assert!(v.validate(url, &map, &sig)); // items are (&&str, &&str)
/// assert!(v.validate(url, map, &sig));
/// ```
pub trait Param {
    /// The parameter's name.
    fn name(&self) -> &str;
    /// The parameter's value.
    fn value(&self) -> &str;
}

impl<K: AsRef<str>, V: AsRef<str>> Param for (K, V) {
    #[inline]
    fn name(&self) -> &str {
        self.0.as_ref()
    }

    #[inline]
    fn value(&self) -> &str {
        self.1.as_ref()
    }
}

impl<P: Param + ?Sized> Param for &P {
    #[inline]
    fn name(&self) -> &str {
        (**self).name()
    }

    #[inline]
    fn value(&self) -> &str {
        (**self).value()
    }
}

/// Parameters sorted by name, then value (byte order, which for UTF-8 is code-point order), with repeated
/// identical `(name, value)` pairs removed.
///
/// This is twilio-python's `for name in sorted(set(params)): for value in sorted(set(values))`, expressed as
/// one sort of the pairs. Sorting and de-duplication are done once per request, whatever the number of URL
/// forms and keys tried afterwards.
///
/// The pairs are sorted through a compact index, `(first 8 bytes of the name as an integer, position)`, so
/// most comparisons are one integer comparison instead of a `memcmp` call (Twilio's names are short and
/// differ early), and the sort moves 16-byte entries instead of the pairs.
pub(crate) struct SortedParams<P> {
    pairs: Vec<P>,
    /// Positions in `pairs`, in signing order without repeats; `None` when `pairs` already is in that order.
    order: Option<Vec<(u64, usize)>>,
}

/// The first 8 bytes of `s`, big-endian and zero-padded. Different prefixes order their strings as a byte-wise
/// comparison does; equal prefixes need the full comparison.
#[inline]
fn prefix(s: &str) -> u64 {
    match s.as_bytes().first_chunk::<8>() {
        Some(first) => u64::from_be_bytes(*first),
        None => s.bytes().enumerate().fold(0, |key, (i, b)| key | u64::from(b) << (56 - 8 * i)),
    }
}

fn cmp<P: Param>(a: &P, b: &P) -> Ordering {
    (a.name(), a.value()).cmp(&(b.name(), b.value()))
}

impl<P: Param> SortedParams<P> {
    pub(crate) fn new(params: impl IntoIterator<Item = P>) -> Self {
        let pairs: Vec<P> = params.into_iter().collect();
        let key = |pair: &P| prefix(pair.name());
        // Already sorted (a form built in order, or a request re-checked): one pass proves it, no sort.
        let strictly_sorted =
            pairs.windows(2).all(|w| key(&w[0]).cmp(&key(&w[1])).then_with(|| cmp(&w[0], &w[1])).is_lt());
        if strictly_sorted {
            return SortedParams { pairs, order: None };
        }
        let mut order: Vec<(u64, usize)> = pairs.iter().enumerate().map(|(i, pair)| (key(pair), i)).collect();
        let by_pair =
            |a: &(u64, usize), b: &(u64, usize)| a.0.cmp(&b.0).then_with(|| cmp(&pairs[a.1], &pairs[b.1]));
        order.sort_unstable_by(by_pair);
        order.dedup_by(|a, b| by_pair(a, b).is_eq());
        SortedParams { pairs, order: Some(order) }
    }

    /// Whether a parameter has an empty name. Empty names sort first, so this looks at one pair.
    pub(crate) fn has_empty_name(&self) -> bool {
        let first = match &self.order {
            None => self.pairs.first(),
            Some(order) => order.first().map(|&(_, i)| &self.pairs[i]),
        };
        first.is_some_and(|pair| pair.name().is_empty())
    }

    /// Calls `write` with each piece of the canonical parameter string: name, value, name, value…
    #[inline]
    pub(crate) fn for_each_piece(&self, mut write: impl FnMut(&str)) {
        let mut write_pair = |pair: &P| {
            write(pair.name());
            write(pair.value());
        };
        match &self.order {
            None => self.pairs.iter().for_each(&mut write_pair),
            Some(order) => order.iter().for_each(|&(_, i)| write_pair(&self.pairs[i])),
        }
    }
}

impl SortedParams<(&'static str, &'static str)> {
    /// No parameters (GET requests and JSON bodies).
    pub(crate) const fn empty() -> Self {
        SortedParams { pairs: Vec::new(), order: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical<P: Param>(p: impl IntoIterator<Item = P>) -> String {
        let mut s = String::new();
        SortedParams::new(p).for_each_piece(|piece| s.push_str(piece));
        s
    }

    #[test]
    fn sorts_names_then_values_and_drops_repeated_pairs() {
        let p = [
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
            ("Digits", "1234"),
        ];
        assert_eq!(canonical(p), "Digits1234Digits5678SidCA123SidAccountAC123");
    }

    #[test]
    fn sorts_by_code_point_and_keeps_case_and_empty_values() {
        let p = [("b", ""), ("B", "x"), ("é", "1"), ("a", "2"), ("😃", "3"), ("\u{ffff}", "4")];
        assert_eq!(canonical(p), "Bxa2b\u{e9}1\u{ffff}4😃3");
    }

    #[test]
    fn prefixes_order_like_bytes() {
        let words = [
            "",
            "\0",
            "a",
            "a\0",
            "a\0b",
            "ab",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "abcdefgi",
            "é",
            "😃",
        ];
        for a in words {
            for b in words {
                let (ka, kb) = (prefix(a), prefix(b));
                if ka != kb {
                    assert_eq!(ka.cmp(&kb), a.cmp(b), "{a:?} {b:?}");
                }
            }
        }
        // Names equal in their first 8 bytes are told apart by the full comparison.
        let p = [
            ("MessagingX", "2"),
            ("Messaging", "1"),
            ("MessagingX", "1"),
            ("Messagin", ""),
            ("Messagin", ""),
        ];
        assert_eq!(canonical(p), "MessaginMessaging1MessagingX1MessagingX2");
    }

    #[test]
    fn finds_empty_names_whatever_their_position() {
        assert!(!SortedParams::new([("a", ""), ("\0", "x")]).has_empty_name());
        assert!(!SortedParams::new(Vec::<(&str, &str)>::new()).has_empty_name());
        for p in [
            vec![("", "")],
            vec![("a", "1"), ("", "x")],
            vec![("", "x"), ("a", "1")],
            vec![("\0", ""), ("b", ""), ("", "z")],
        ] {
            assert!(SortedParams::new(&p).has_empty_name(), "{p:?}");
        }
    }

    #[test]
    fn accepts_owned_and_borrowed_pairs() {
        let owned = vec![("To".to_owned(), "+1".to_owned()), ("From".to_owned(), "+2".to_owned())];
        assert_eq!(canonical(&owned), "From+2To+1");
        assert_eq!(canonical(owned.iter().rev()), "From+2To+1");
        assert_eq!(canonical(owned), "From+2To+1");
        assert_eq!(canonical(Vec::<(&str, &str)>::new()), "");
    }
}
