//! [`MemoryStore`]: claims in this process's memory, bounded, each for a window.

use std::time::Duration;

use moka::ops::compute::Op;
use moka::policy::EvictionPolicy;
use moka::sync::Cache;

use super::{Claim, DeliveryKey, DeliveryStore, Stamp, StoreError};

/// Claims kept in this server's memory: the default store (no `twilio.dedupe.redis_url`).
///
/// A [`moka`] cache: entries expire `window` after their claim, and at most `capacity` are kept; beyond
/// it, the least recently claimed go first (LRU: the newest keys are those retries are about to hit; moka's
/// default admission policy, by frequency, could refuse a new key, and every key here is seen once). A
/// claim is moka's `entry().or_insert_with()`, which inserts atomically: concurrent claims of one key
/// evaluate one insertion, and only that caller sees it fresh.
///
/// One server only: another server, or this one after a restart, does not see these claims. Use
/// `RedisStore` for a fleet.
pub struct MemoryStore {
    cache: Cache<DeliveryKey, Stamp>,
    capacity: u64,
    window: Duration,
}

impl MemoryStore {
    /// A store that keeps each claim for `window`, and at most `capacity` claims.
    pub fn new(capacity: u64, window: Duration) -> MemoryStore {
        let cache = Cache::builder()
            .max_capacity(capacity)
            .time_to_live(window)
            .eviction_policy(EvictionPolicy::lru())
            .build();
        MemoryStore { cache, capacity, window }
    }

    pub(super) fn claim_now(&self, key: &DeliveryKey, stamp: Stamp) -> Claim {
        let entry = self.cache.entry(*key).or_insert_with(|| stamp);
        match entry.is_fresh() {
            true => Claim::First,
            false => Claim::Duplicate { first_seen: Some(entry.into_value().first_seen) },
        }
    }

    pub(super) fn release_now(&self, key: &DeliveryKey, stamp: Stamp) -> bool {
        let mut removed = false;
        self.cache.entry(*key).and_compute_with(|entry| match entry {
            Some(entry) if *entry.value() == stamp => {
                removed = true;
                Op::Remove
            }
            _ => Op::Nop,
        });
        removed
    }
}

#[rocket::async_trait]
impl DeliveryStore for MemoryStore {
    async fn claim(&self, key: &DeliveryKey, stamp: Stamp) -> Result<Claim, StoreError> {
        Ok(self.claim_now(key, stamp))
    }

    async fn release(&self, key: &DeliveryKey, stamp: Stamp) -> Result<bool, StoreError> {
        Ok(self.release_now(key, stamp))
    }

    fn describe(&self) -> String {
        format!(
            "in this server's memory (at most {} deliveries, each for {}; not shared with other servers)",
            self.capacity,
            humantime::format_duration(self.window)
        )
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Barrier};
    use std::time::SystemTime;

    use super::*;

    fn stamp(token: u64) -> Stamp {
        Stamp { first_seen: SystemTime::now(), token }
    }

    #[test]
    fn one_claim_per_key_and_release_only_its_own() {
        let store = MemoryStore::new(100, Duration::from_secs(60));
        let key = DeliveryKey::from_bytes([1; 16]);
        let first = stamp(1);
        assert_eq!(store.claim_now(&key, first), Claim::First);
        assert_eq!(store.claim_now(&key, stamp(2)), Claim::Duplicate { first_seen: Some(first.first_seen) });
        assert_eq!(store.claim_now(&DeliveryKey::from_bytes([2; 16]), stamp(3)), Claim::First);
        assert!(!store.release_now(&key, stamp(2)), "another claim's stamp releases nothing");
        assert!(store.release_now(&key, first));
        assert!(!store.release_now(&key, first));
        assert_eq!(store.claim_now(&key, stamp(4)), Claim::First);
    }

    #[test]
    fn concurrent_claims_of_one_key_have_one_winner() {
        let store = Arc::new(MemoryStore::new(1000, Duration::from_secs(60)));
        for round in 0..20u8 {
            let barrier = Arc::new(Barrier::new(8));
            let threads: Vec<_> = (0..8)
                .map(|t| {
                    let (store, barrier) = (store.clone(), barrier.clone());
                    std::thread::spawn(move || {
                        barrier.wait();
                        store.claim_now(&DeliveryKey::from_bytes([round; 16]), stamp(t))
                    })
                })
                .collect();
            let firsts = threads.into_iter().map(|t| t.join().unwrap());
            assert_eq!(firsts.filter(|c| *c == Claim::First).count(), 1, "round {round}");
        }
    }

    #[test]
    fn claims_expire_after_the_window() {
        let store = MemoryStore::new(100, Duration::from_millis(200));
        let key = DeliveryKey::from_bytes([9; 16]);
        assert_eq!(store.claim_now(&key, stamp(1)), Claim::First);
        assert!(matches!(store.claim_now(&key, stamp(2)), Claim::Duplicate { .. }));
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(store.claim_now(&key, stamp(3)), Claim::First);
    }

    #[test]
    fn capacity_bounds_the_store_keeping_the_newest() {
        let store = MemoryStore::new(50, Duration::from_secs(60));
        for i in 0..500u16 {
            let mut bytes = [0; 16];
            bytes[..2].copy_from_slice(&i.to_be_bytes());
            assert_eq!(store.claim_now(&DeliveryKey::from_bytes(bytes), stamp(i.into())), Claim::First);
        }
        store.cache.run_pending_tasks();
        assert!(store.cache.entry_count() <= 50, "{}", store.cache.entry_count());
        let mut newest = [0; 16];
        newest[..2].copy_from_slice(&499u16.to_be_bytes());
        assert!(matches!(
            store.claim_now(&DeliveryKey::from_bytes(newest), stamp(0)),
            Claim::Duplicate { .. }
        ));
    }
}
