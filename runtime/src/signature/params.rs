//! POST parameters in the order Twilio signs them.

use std::cmp::Ordering;

/// Parameters sorted by name, then value (byte order, which for UTF-8 is code-point order), with repeated
/// identical `(name, value)` pairs removed.
///
/// This is twilio-python's `for name in sorted(set(params)): for value in sorted(set(values))`, expressed as
/// one sort of the pairs. Sorting and de-duplication are done once per request, whatever the number of URL
/// forms and keys tried afterwards.
pub(crate) struct SortedParams<K, V> {
    pairs: Vec<(K, V)>,
}

fn cmp<K: AsRef<str>, V: AsRef<str>>(a: &(K, V), b: &(K, V)) -> Ordering {
    (a.0.as_ref(), a.1.as_ref()).cmp(&(b.0.as_ref(), b.1.as_ref()))
}

impl<K: AsRef<str>, V: AsRef<str>> SortedParams<K, V> {
    pub(crate) fn new(params: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut pairs: Vec<(K, V)> = params.into_iter().collect();
        // Twilio's forms usually arrive sorted already: one pass proves it and skips the sort.
        let strictly_sorted = pairs.windows(2).all(|w| cmp(&w[0], &w[1]) == Ordering::Less);
        if !strictly_sorted {
            pairs.sort_unstable_by(cmp);
            pairs.dedup_by(|a, b| cmp(a, b) == Ordering::Equal);
        }
        SortedParams { pairs }
    }

    /// Calls `write` with each piece of the canonical parameter string: name, value, name, value…
    #[inline]
    pub(crate) fn for_each_piece(&self, mut write: impl FnMut(&str)) {
        for (name, value) in &self.pairs {
            write(name.as_ref());
            write(value.as_ref());
        }
    }
}

impl SortedParams<&'static str, &'static str> {
    /// No parameters (GET requests and JSON bodies).
    pub(crate) const fn empty() -> Self {
        SortedParams { pairs: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical<K: AsRef<str>, V: AsRef<str>>(p: impl IntoIterator<Item = (K, V)>) -> String {
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
    fn accepts_owned_and_borrowed_pairs() {
        let owned = vec![("To".to_owned(), "+1".to_owned()), ("From".to_owned(), "+2".to_owned())];
        assert_eq!(canonical(owned), "From+2To+1");
        assert_eq!(canonical(Vec::<(&str, &str)>::new()), "");
    }
}
