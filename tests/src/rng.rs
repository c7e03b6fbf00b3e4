//! [`Rng`]: the deterministic generator of the generated test suites (`differential.rs`,
//! `twiml_python.rs`), so every run checks the same cases and a failure names a case that can be replayed.

/// splitmix64 (Steele, Lea and Flood, 2014): 64 bits of state, a full period, good enough statistics to
/// spread cases, and the same sequence on every platform and for every version of this crate, which a
/// seeded generator from a library does not promise across its releases.
///
/// ```
/// use rocket_twilio_tests::rng::Rng;
///
/// let (mut a, mut b) = (Rng::new(7), Rng::new(7));
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert!(a.below(10) < 10);
/// ```
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator that starts from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`. Panics when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi_inclusive`.
    pub fn range(&mut self, lo: u32, hi_inclusive: u32) -> u32 {
        lo + (self.next_u64() % u64::from(hi_inclusive - lo + 1)) as u32
    }

    /// True with probability `percent`/100.
    pub fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items`. Panics when `items` is empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of the characters of `chars`.
    pub fn pick_char(&mut self, chars: &str) -> char {
        let count = chars.chars().count();
        chars.chars().nth(self.below(count)).expect("below(count) < count")
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn matches_the_splitmix64_reference_sequence() {
        // The first outputs of the reference algorithm (prng.di.unimi.it/splitmix64.c) for seed 1234567.
        let mut rng = Rng::new(1234567);
        assert_eq!(rng.next_u64(), 6457827717110365317);
        assert_eq!(rng.next_u64(), 3203168211198807973);
    }

    #[test]
    fn stays_in_bounds() {
        let mut rng = Rng::new(0);
        let mut seen = [false; 7];
        for _ in 0..1000 {
            seen[rng.below(7)] = true;
            assert!((3..=5).contains(&rng.range(3, 5)));
        }
        assert!(seen.iter().all(|&s| s), "every value of 0..7 comes up in 1000 draws");
        let mut items = [1, 2, 3, 4, 5];
        rng.shuffle(&mut items);
        items.sort_unstable();
        assert_eq!(items, [1, 2, 3, 4, 5]);
        assert!("ab".contains(rng.pick_char("ab")));
    }
}
