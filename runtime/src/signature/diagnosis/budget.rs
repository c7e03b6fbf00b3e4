//! [`Budget`]: how many HMACs diagnoses may cost, per refused request and over time.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// What diagnosing refused requests may cost, in HMACs: at most [`per_request`](Self::per_request) for
/// one request, and, over any period of `t` seconds, at most `burst + per_second × t` for all of them
/// together. A request that finds the budget spent is not diagnosed: its error keeps its plain reason.
///
/// The budget is a token bucket held in one atomic integer (no lock, and nothing on the path of requests
/// that pass: only a refused request touches it). It refills with time, not with traffic, so a flood of
/// forged requests costs what validating them costs plus at most `per_second` HMACs a second, however
/// fast it comes.
///
/// The Rocket integration uses [`Budget::server`] (one per `Twilio` fairing); `twilio-webhook explain`
/// uses [`Budget::unlimited`].
///
/// ```
/// use rocket_twilio::diagnosis::Budget;
///
/// let budget = Budget::server();
/// assert_eq!(budget.per_request(), Budget::SERVER_PER_REQUEST);
/// ```
#[derive(Debug)]
pub struct Budget {
    /// Tokens in thousandths of an HMAC (high 32 bits) and the time of the last refill in milliseconds
    /// since `epoch` (low 32 bits, wrapping).
    state: AtomicU64,
    epoch: Instant,
    burst: u32,
    per_second: u32,
    per_request: u32,
    unlimited: bool,
}

/// Thousandths of an HMAC per HMAC: the bucket counts in them so that a refill a millisecond apart adds
/// its exact share.
const MILLI: u64 = 1000;

impl Budget {
    /// The most HMACs one refused request may cost in a server: [`Budget::server`]'s per-request cap.
    pub const SERVER_PER_REQUEST: u32 = 96;
    /// The HMACs a server may spend on diagnoses at once, after a quiet period (about 21 diagnoses).
    pub const SERVER_BURST: u32 = 2048;
    /// The HMACs a server may spend on diagnoses per second, once the burst is spent.
    pub const SERVER_PER_SECOND: u32 = 512;

    /// A budget of `burst` HMACs at once, refilled at `per_second` HMACs a second, at most `per_request`
    /// per diagnosis. It starts full.
    pub fn new(burst: u32, per_second: u32, per_request: u32) -> Self {
        let burst = burst.min(u32::MAX / MILLI as u32);
        Budget {
            state: AtomicU64::new(pack(u64::from(burst) * MILLI, 0)),
            epoch: Instant::now(),
            burst,
            per_second,
            per_request,
            unlimited: false,
        }
    }

    /// What a server uses: [`SERVER_BURST`](Self::SERVER_BURST),
    /// [`SERVER_PER_SECOND`](Self::SERVER_PER_SECOND), [`SERVER_PER_REQUEST`](Self::SERVER_PER_REQUEST).
    pub fn server() -> Self {
        Budget::new(Self::SERVER_BURST, Self::SERVER_PER_SECOND, Self::SERVER_PER_REQUEST)
    }

    /// No limit over time, and a per-request cap of 50 000 HMACs: for a command line that explains one
    /// request its user holds.
    pub fn unlimited() -> Self {
        Budget { unlimited: true, ..Budget::new(0, 0, 50_000) }
    }

    /// The most HMACs one diagnosis may compute.
    pub fn per_request(&self) -> u32 {
        self.per_request
    }

    /// Whether a diagnosis would find the budget spent now: a cheap test (one atomic load) that lets a
    /// caller skip even gathering the evidence during a flood.
    pub fn is_spent(&self) -> bool {
        if self.unlimited {
            return false;
        }
        let (tokens, at) = unpack(self.state.load(Ordering::Acquire));
        let elapsed = u64::from(self.now_ms().wrapping_sub(at));
        tokens + elapsed * u64::from(self.per_second) < u64::from(self.per_request) * MILLI
    }

    /// Takes `hmacs` from the budget, or nothing (and returns false) when fewer are left.
    pub(crate) fn take(&self, hmacs: u32) -> bool {
        self.unlimited || self.take_at(hmacs, self.now_ms())
    }

    /// Returns what a diagnosis reserved and did not compute.
    pub(crate) fn give_back(&self, hmacs: u32) {
        if self.unlimited || hmacs == 0 {
            return;
        }
        let cap = u64::from(self.burst) * MILLI;
        let _ = self.state.fetch_update(Ordering::AcqRel, Ordering::Acquire, |state| {
            let (tokens, at) = unpack(state);
            Some(pack((tokens + u64::from(hmacs) * MILLI).min(cap), at))
        });
    }

    fn now_ms(&self) -> u32 {
        // Wraps after 49 days; a refill computed across the wrap is too small, never too large.
        self.epoch.elapsed().as_millis() as u32
    }

    fn take_at(&self, hmacs: u32, now: u32) -> bool {
        let cap = u64::from(self.burst) * MILLI;
        let wanted = u64::from(hmacs) * MILLI;
        self.state
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |state| {
                let (tokens, at) = unpack(state);
                let elapsed = u64::from(now.wrapping_sub(at));
                let tokens = (tokens + elapsed * u64::from(self.per_second)).min(cap);
                (tokens >= wanted).then(|| pack(tokens - wanted, now))
            })
            .is_ok()
    }
}

fn pack(tokens: u64, at_ms: u32) -> u64 {
    (tokens << 32) | u64::from(at_ms)
}

fn unpack(state: u64) -> (u64, u32) {
    (state >> 32, state as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spends_the_burst_then_refills_with_time() {
        let b = Budget::new(100, 10, 50);
        assert!(b.take_at(60, 0));
        assert!(!b.take_at(50, 0), "40 left");
        assert!(b.take_at(40, 0));
        assert!(!b.take_at(1, 0));
        // 10 HMACs a second: one per 100 ms, counted exactly across short intervals.
        assert!(!b.take_at(1, 50));
        assert!(b.take_at(1, 100));
        let taken = (101..=1100).filter(|&ms| b.take_at(1, ms)).count();
        assert_eq!(taken, 10, "one per 100 ms, none lost to rounding");
        assert!(!b.take_at(1, 1100), "the refill of 1 s is spent");
        // Never more than the burst, however long the pause.
        assert!(!b.take_at(101, 1_000_000));
        assert!(b.take_at(100, 1_000_000));
    }

    #[test]
    fn gives_back_what_was_not_used_up_to_the_burst() {
        let b = Budget::new(100, 0, 100);
        assert!(b.take_at(100, 0));
        b.give_back(30);
        assert!(!b.take_at(31, 0));
        assert!(b.take_at(30, 0));
        b.give_back(500);
        assert!(!b.take_at(101, 0));
        assert!(b.take_at(100, 0));
    }

    #[test]
    fn over_a_flood_the_total_is_bounded() {
        let b = Budget::new(2048, 512, 96);
        let mut spent = 0u64;
        // 100 000 requests of 40 HMACs over 10 s.
        for i in 0..100_000u32 {
            if b.take_at(40, i / 10) {
                spent += 40;
            }
        }
        assert!(spent <= 2048 + 512 * 10, "{spent}");
        assert!(spent >= 2048 + 512 * 10 - 80, "{spent}");
    }

    #[test]
    fn unlimited_never_refuses() {
        let b = Budget::unlimited();
        for _ in 0..1000 {
            assert!(b.take(50_000));
        }
    }
}
