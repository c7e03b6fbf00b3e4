//! POST parameters in the order Twilio signs them.

use std::cell::RefCell;
use std::cmp::Ordering;

use smallvec::SmallVec;

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
/// forms and keys tried afterwards. The pairs are borrowed, not copied: a request's decoded fields are
/// sorted where they are.
///
/// The pairs are sorted through a compact index. Up to [`PACKED_MAX`] pairs (every webhook Twilio sends),
/// each is one `u64`: the first 7 bytes of the name, big-endian, above the pair's position, so the sort is
/// one of plain integers, held on the stack for up to 32 pairs; pairs whose names share their first 7
/// bytes are then put in order by a full comparison (Twilio's names differ earlier, but for the rare
/// `CalledCity`/`CalledCountry`). Beyond that, `(first 8 bytes, position)` pairs.
pub(crate) struct SortedParams<'p, P> {
    pairs: &'p [P],
    order: Order,
}

/// The signing order of [`SortedParams::pairs`].
// The packed keys stay on the stack on purpose: boxing them is the allocation per request this avoids.
#[allow(clippy::large_enum_variant)]
enum Order {
    /// The pairs already are in signing order, without repeats.
    Given,
    /// Packed keys (`prefix << 8 | position`, see [`packed`]), sorted, repeats removed.
    Packed(SmallVec<[u64; INLINE]>),
    /// `(prefix, position)`, sorted, repeats removed: more than [`PACKED_MAX`] pairs.
    Wide(Vec<(u64, usize)>),
}

/// How many pairs are sorted without allocating: more than a webhook carries (an SMS has 20, a call 27).
pub(crate) const INLINE: usize = 32;

/// The most pairs whose position fits the low byte of a packed key.
const PACKED_MAX: usize = 256;

/// The first 8 bytes of `s`, big-endian and zero-padded. Different prefixes order their strings as a byte-wise
/// comparison does; equal prefixes need the full comparison.
#[inline]
fn prefix(s: &str) -> u64 {
    let s = s.as_bytes();
    let n = s.len();
    // Shorter names are read with two overlapping loads (their bytes agree where they overlap), shifted
    // into place; `8 * (8 - n)` puts the last byte of the name at byte `n - 1` of the key.
    let (first, last) = match n {
        8.. => return u64::from_be_bytes(*s.first_chunk::<8>().unwrap_or(&[0; 8])),
        4..=7 => (be32(&s[..4]) << 32, be32(&s[n - 4..]) << (8 * (8 - n))),
        2..=3 => (be16(&s[..2]) << 48, be16(&s[n - 2..]) << (8 * (8 - n))),
        1 => (u64::from(s[0]) << 56, 0),
        0 => (0, 0),
    };
    first | last
}

#[inline(always)]
fn be32(b: &[u8]) -> u64 {
    u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

#[inline(always)]
fn be16(b: &[u8]) -> u64 {
    u64::from(u16::from_be_bytes([b[0], b[1]]))
}

/// The packed key of the pair at `position` (less than [`PACKED_MAX`]): the first 7 bytes of its name above
/// its position. Keys are distinct; different prefixes order their pairs; equal ones need the full
/// comparison.
#[inline]
fn packed(name: &str, position: usize) -> u64 {
    (prefix(name) & !0xff) | position as u64
}

/// The position a packed key stands for.
#[inline(always)]
fn position(key: u64) -> usize {
    (key & 0xff) as usize
}

/// Whether two packed keys have the same 7-byte prefix.
#[inline(always)]
fn same_prefix(a: u64, b: u64) -> bool {
    a >> 8 == b >> 8
}

fn cmp<P: Param>(a: &P, b: &P) -> Ordering {
    (a.name(), a.value()).cmp(&(b.name(), b.value()))
}

impl<'p, P: Param> SortedParams<'p, P> {
    #[inline(always)]
    pub(crate) fn new(pairs: &'p [P]) -> Self {
        match pairs.len() {
            0 | 1 => SortedParams { pairs, order: Order::Given },
            ..=PACKED_MAX => {
                // The keys are sorted where they will stay, not built elsewhere and moved here.
                let mut this = SortedParams { pairs, order: Order::Packed(SmallVec::new()) };
                if let Order::Packed(keys) = &mut this.order {
                    if packed_order(pairs, keys) {
                        this.order = Order::Given;
                    }
                }
                this
            }
            _ => SortedParams { pairs, order: wide_order(pairs) },
        }
    }

    /// Whether a parameter has an empty name. Empty names sort first, so this looks at one pair.
    pub(crate) fn has_empty_name(&self) -> bool {
        let first = match &self.order {
            Order::Given => self.pairs.first(),
            Order::Packed(keys) => keys.first().map(|&key| &self.pairs[position(key)]),
            Order::Wide(order) => order.first().map(|&(_, i)| &self.pairs[i]),
        };
        first.is_some_and(|pair| pair.name().is_empty())
    }

    /// Calls `write` with each piece of the canonical parameter string: name, value, name, value…
    ///
    /// One loop per kind of order, each inlined into the caller with `write`.
    #[inline(always)]
    pub(crate) fn for_each_piece(&self, mut write: impl FnMut(&str)) {
        match &self.order {
            Order::Given => {
                for pair in self.pairs {
                    write(pair.name());
                    write(pair.value());
                }
            }
            Order::Packed(keys) => {
                for &key in keys.iter() {
                    let pair = &self.pairs[position(key)];
                    write(pair.name());
                    write(pair.value());
                }
            }
            Order::Wide(order) => {
                for &(_, i) in order {
                    let pair = &self.pairs[i];
                    write(pair.name());
                    write(pair.value());
                }
            }
        }
    }
}

/// The order of at most [`PACKED_MAX`] pairs, as packed keys written into `keys` (empty), sorted as
/// integers, then put right where prefixes are equal. Returns `true`, with `keys` left unsorted, when the
/// pairs already are in order (one pass proves it: a form built in order, a call's parameters, which Twilio
/// sends sorted).
#[inline(always)]
fn packed_order<P: Param>(pairs: &[P], keys: &mut SmallVec<[u64; INLINE]>) -> bool {
    keys.extend(pairs.iter().enumerate().map(|(i, pair)| packed(pair.name(), i)));
    let in_order = |a: u64, b: u64| match (a >> 8).cmp(&(b >> 8)) {
        Ordering::Less => true,
        Ordering::Greater => false,
        Ordering::Equal => cmp(&pairs[position(a)], &pairs[position(b)]).is_lt(),
    };
    if keys.windows(2).all(|w| in_order(w[0], w[1])) {
        return true;
    }
    if LAST_ORDER.with_borrow(|last| last.sort(keys)) {
        return false;
    }
    // The request's order, for `LAST_ORDER` (on the stack: more keys than it keeps are not copied).
    let mut given = [0; INLINE];
    let given = given.get_mut(..keys.len()).map(|given| {
        given.copy_from_slice(keys);
        &*given
    });
    keys.sort_unstable();
    // Runs of equal prefixes (rare): sorted by the full comparison, then repeated pairs dropped.
    let ties = keys.windows(2).fold(false, |ties, w| ties | same_prefix(w[0], w[1]));
    if !ties {
        if let Some(given) = given {
            LAST_ORDER.with_borrow_mut(|last| last.keep(given, keys));
        }
    } else {
        let mut start = 0;
        while start < keys.len() {
            let end = start + keys[start..].iter().take_while(|&&k| same_prefix(k, keys[start])).count();
            keys[start..end].sort_unstable_by(|&a, &b| cmp(&pairs[position(a)], &pairs[position(b)]));
            start = end;
        }
        keys.dedup_by(|a, b| same_prefix(*a, *b) && cmp(&pairs[position(*a)], &pairs[position(*b)]).is_eq());
    }
    false
}

thread_local! {
    /// The packed keys this thread sorted last, when they had no ties.
    static LAST_ORDER: RefCell<LastOrder> =
        const { RefCell::new(LastOrder { len: 0, given: [0; INLINE], sorted: [0; INLINE] }) };
}

/// A sort kept for the next request: Twilio sends each kind of webhook with its parameters in one order
/// (an SMS's 20 are the same 20 names in the same unsorted order every time), so the next request of that
/// kind finds its order here instead of sorting its keys again.
///
/// Packed keys hold the first 7 bytes of each name and its position: a request whose keys are the kept
/// ones, position by position, sorts to the kept order. Only sorts without ties (names sharing their
/// first 7 bytes, which a full comparison of names and values orders) are kept.
struct LastOrder {
    len: usize,
    /// The keys in the request's order.
    given: [u64; INLINE],
    /// The same keys, sorted.
    sorted: [u64; INLINE],
}

impl LastOrder {
    /// Keeps the sort of `given` into `sorted` (at most [`INLINE`] packed keys, without ties).
    fn keep(&mut self, given: &[u64], sorted: &[u64]) {
        let n = given.len();
        self.given[..n].copy_from_slice(given);
        self.sorted[..n].copy_from_slice(sorted);
        self.len = n;
    }

    /// Sorts `keys` (a request's packed keys, in its order) and returns `true` if they are the kept ones;
    /// else leaves them and returns `false`.
    #[inline]
    fn sort(&self, keys: &mut [u64]) -> bool {
        let Some(given) = self.given.get(..self.len) else { return false };
        // Without early exits, so that the comparison is a few vector instructions.
        let same =
            given.len() == keys.len() && given.iter().zip(&*keys).fold(true, |same, (a, b)| same & (a == b));
        #[cfg(test)]
        LAST_ORDER_USED.with(|used| used.set(used.get() + usize::from(same)));
        if same {
            keys.copy_from_slice(&self.sorted[..self.len]);
        }
        same
    }
}

#[cfg(test)]
thread_local! {
    /// How many times this thread's parameters were put in order by [`LastOrder`].
    static LAST_ORDER_USED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The order of more than [`PACKED_MAX`] pairs, through `(first 8 bytes of the name, position)`.
#[inline(never)]
fn wide_order<P: Param>(pairs: &[P]) -> Order {
    let key = |pair: &P| prefix(pair.name());
    let by_pair =
        |a: &(u64, usize), b: &(u64, usize)| a.0.cmp(&b.0).then_with(|| cmp(&pairs[a.1], &pairs[b.1]));
    let mut order: Vec<(u64, usize)> = pairs.iter().enumerate().map(|(i, pair)| (key(pair), i)).collect();
    if order.windows(2).all(|w| by_pair(&w[0], &w[1]).is_lt()) {
        return Order::Given;
    }
    order.sort_unstable_by(by_pair);
    order.dedup_by(|a, b| by_pair(a, b).is_eq());
    Order::Wide(order)
}

impl SortedParams<'static, (&'static str, &'static str)> {
    /// No parameters (GET requests and JSON bodies).
    pub(crate) const fn empty() -> Self {
        SortedParams { pairs: &[], order: Order::Given }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical<P: Param>(p: impl IntoIterator<Item = P>) -> String {
        let pairs: Vec<P> = p.into_iter().collect();
        let mut s = String::new();
        SortedParams::new(&pairs).for_each_piece(|piece| s.push_str(piece));
        s
    }

    /// The canonical string as twilio-python builds it: sorted unique pairs, concatenated.
    fn naive(p: &[(String, String)]) -> String {
        let mut sorted = p.to_vec();
        sorted.sort();
        sorted.dedup();
        sorted.iter().map(|(n, v)| format!("{n}{v}")).collect()
    }

    #[test]
    fn prefixes_of_every_length_are_the_first_bytes_zero_padded() {
        let text = "ABCDEFGHIJ";
        for n in 0..=text.len() {
            let mut expected = [0u8; 8];
            let k = n.min(8);
            expected[..k].copy_from_slice(&text.as_bytes()[..k]);
            assert_eq!(prefix(&text[..n]), u64::from_be_bytes(expected), "{n}");
        }
    }

    #[test]
    fn names_sharing_their_first_bytes_are_ordered_in_full() {
        // Equal 7-byte prefixes (packed keys), repeated pairs among them, in every size class.
        let p = [
            ("CalledCountry", "US"),
            ("CalledCity", "SF"),
            ("CalledC", "x"),
            ("CalledCity", "SF"),
            ("CalledCity", "LA"),
            ("CalledC\0", ""),
            ("Called", "+1"),
            ("A", "1"),
        ];
        let owned: Vec<(String, String)> = p.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        assert_eq!(canonical(p), naive(&owned));
    }

    #[test]
    fn many_parameters_sort_like_python() {
        // Past the packed keys' 256 positions, with ties on the first 8 bytes and repeats.
        let many: Vec<(String, String)> =
            (0..600).rev().map(|i| (format!("Field{:04}", i % 450), format!("{}", i % 7))).collect();
        assert_eq!(canonical(&many), naive(&many));
        let few: Vec<(String, String)> = many[..256].to_vec();
        assert_eq!(canonical(&few), naive(&few));
    }

    proptest::proptest! {
        #[test]
        fn any_parameters_sort_like_python(
            p in proptest::collection::vec(("[AB\\x00é]{0,10}", "[ab]{0,2}"), 0..300)
        ) {
            proptest::prop_assert_eq!(canonical(&p), naive(&p));
        }
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
    fn an_order_sorted_before_is_reused_only_for_the_same_keys() {
        let used = || LAST_ORDER_USED.with(std::cell::Cell::get);
        let check = |p: &[(&str, &str)]| {
            let owned: Vec<(String, String)> =
                p.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
            assert_eq!(canonical(p), naive(&owned), "{p:?}");
        };
        let sms = [("To", "+1"), ("Body", "hi"), ("From", "+2"), ("AccountSid", "AC1"), ("NumMedia", "0")];
        check(&sms);
        let before = used();
        // The same names in the same order, other values: the kept order, checked, not sorted again.
        check(&[("To", "+3"), ("Body", "yo"), ("From", "+4"), ("AccountSid", "AC2"), ("NumMedia", "1")]);
        assert_eq!(used(), before + 1);
        // As many parameters, in another order, or other names: sorted (and kept).
        check(&[("Body", "hi"), ("To", "+1"), ("From", "+2"), ("AccountSid", "AC1"), ("NumMedia", "0")]);
        check(&[("To", "+1"), ("Body", "hi"), ("From", "+2"), ("AccountSid", "AC1"), ("NumSegments", "1")]);
        check(&[("Zz", ""), ("Body", "hi"), ("From", "+2"), ("AccountSid", "AC1"), ("NumMedia", "0")]);
        // Fewer or more parameters than kept; names with the same first 7 bytes (never kept).
        check(&sms[..4]);
        check(&[
            ("To", "+1"),
            ("Body", "hi"),
            ("From", "+2"),
            ("AccountSid", "AC1"),
            ("NumMedia", "0"),
            ("A", ""),
        ]);
        check(&[("CalledCountry", "US"), ("CalledCity", "SF"), ("A", "1")]);
        check(&[("CalledCountry", "US"), ("CalledCity", "SF"), ("A", "1")]);
        // A repeated name is a tie: its order and its repeats depend on values, which keys do not hold.
        check(&[("Xx", "1"), ("Xx", "1"), ("A", "")]);
        check(&[("Xx", "2"), ("Xx", "1"), ("A", "")]);
        check(&[("Xx", "1"), ("Xx", "2"), ("A", "")]);
        // More parameters than are kept: sorted each time.
        let many: Vec<(String, String)> =
            (0..40).rev().map(|i| (format!("P{i:02}"), i.to_string())).collect();
        assert_eq!(canonical(&many), naive(&many));
        assert_eq!(canonical(&many), naive(&many));
        assert_eq!(used(), before + 1, "only the first repeat had the kept keys");
        // A repeat of a tie-free order after all that: reused again.
        check(&sms);
        check(&sms);
        assert_eq!(used(), before + 2);
    }

    #[test]
    fn finds_empty_names_whatever_their_position() {
        assert!(!SortedParams::new(&[("a", ""), ("\0", "x")]).has_empty_name());
        assert!(!SortedParams::new(&Vec::<(&str, &str)>::new()).has_empty_name());
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
