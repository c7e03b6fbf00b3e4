//! [`MemoryStore`]: claims in this process's memory, bounded, each for a window.

use std::collections::VecDeque;
use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use hashbrown::HashTable;

use super::{Claim, ClaimKey, DeliveryKey, DeliveryStore, Stamp, StoreError};

/// Claims kept in this server's memory: the default store (no `twilio.dedupe.redis_url`).
///
/// Each claim holds its key for `window` from the moment it was made, and at most `capacity` claims are
/// kept; beyond that, the oldest claims go first (the newest keys are those retries are about to hit).
/// Since every claim lives for the same window, the order of claims is also the order of expiry, so the
/// store is a queue of claims in the order they were made plus an index from key to claim: a claim looks
/// the key up and inserts it under one lock (which makes it atomic: of concurrent claims of one key,
/// exactly one finds it absent), then drops the expired and the surplus from the front of the queue.
/// Claims are spread over shards, each with its own lock and an equal part of the capacity, so that
/// concurrent requests seldom wait on each other; the oldest claims go first within a shard.
///
/// About 90 bytes a claim: the queue's 48 (the held key and the claim's stamp) and the index's 9 (32 bits
/// of the key's hash and the claim's place in the queue, and a control byte), with the room both keep to
/// grow; so the default 100 000 claims take about 9 MiB once the window has filled (docs/PERFORMANCE.md).
/// The index is small so that it stays in the processor's caches longer: a first claim in a full store
/// reads the index twice (the key, and the evicted key) and the two ends of the queue. Expired claims are
/// dropped when later claims reach the same shard.
///
/// One server only: another server, or this one after a restart, does not see these claims. Use
/// `RedisStore` for a fleet.
///
/// ```
/// use std::time::Duration;
/// use rocket_twilio::dedupe::MemoryStore;
///
/// // Ten minutes cover Voice and Messaging retries; at most a million deliveries remembered.
/// let store = MemoryStore::new(1_000_000, Duration::from_secs(600));
/// # let _ = store;
/// ```
pub struct MemoryStore {
    shards: Box<[Mutex<Shard>]>,
    /// The keys' hash, which chooses the shard and places the key in its index.
    hashing: KeyHashing,
    capacity: u64,
    window: Duration,
}

/// One lock's share of the claims.
struct Shard {
    /// Claims in the order they were made (so, of expiry). The claim at position `i` has the sequence
    /// number `head + i` (wrapping). An entry the index does not point to is stale (its claim was released,
    /// or its key claimed again after expiry): it is skipped when it reaches the front, and dropped when
    /// the queue is compacted.
    order: VecDeque<Held>,
    /// The sequence number of the front of `order`.
    head: u32,
    /// One entry per key held: the key's tag (32 bits of its hash) above the sequence number of the claim
    /// holding it. Hashed by the tag ([`Tag::table_hash`]), so that the table rehashes without the keys.
    index: HashTable<u64>,
    /// How many claims this shard keeps.
    capacity: usize,
}

/// A claim in the queue.
#[derive(Clone, Copy)]
struct Held {
    key: [u8; 24],
    stamp: Stamp,
}

/// Shards per store: enough that the workers of a large machine seldom meet on one lock.
const SHARDS: usize = 16;

/// The most claims one shard keeps: its queue (at most twice this, plus one) stays under 2³² entries, the
/// range of the sequence numbers. 16 shards of 2³⁰ claims would take about a terabyte.
const MOST_PER_SHARD: usize = 1 << 30;

impl MemoryStore {
    /// A store that keeps each claim for `window`, and at most `capacity` claims (at most 2³⁴).
    pub fn new(capacity: u64, window: Duration) -> MemoryStore {
        let capacity = capacity.clamp(1, (SHARDS * MOST_PER_SHARD) as u64);
        // Never more shards than claims, so that every shard keeps at least one and the shares add up to
        // `capacity` exactly.
        let total = usize::try_from(capacity).unwrap_or(usize::MAX);
        let count = SHARDS.min(total);
        let shards = (0..count)
            .map(|i| {
                let capacity = total / count + usize::from(i < total % count);
                Mutex::new(Shard { order: VecDeque::new(), head: 0, index: HashTable::new(), capacity })
            })
            .collect();
        MemoryStore { shards, hashing: KeyHashing::new(), capacity, window }
    }

    /// The shard of a key whose seeded hash is `hash`: a client who can sign requests cannot aim its
    /// deliveries at one shard (and evict that shard's claims with a sixteenth of the traffic). Bits 32
    /// and up: the index uses the low ones.
    fn shard_of_hash(&self, hash: u64) -> usize {
        (hash >> 32) as usize % self.shards.len()
    }

    #[cfg(test)]
    fn shard_of(&self, key: &[u8; 24]) -> usize {
        self.shard_of_hash(self.hashing.of(key))
    }

    /// The shard of a key whose hash is `hash`, locked.
    fn shard(&self, hash: u64) -> MutexGuard<'_, Shard> {
        // A panic while a shard was locked cannot leave it inconsistent in a way that matters (at worst an
        // entry of `order` the index no longer points to, which is skipped), so a poisoned lock is used as
        // is.
        self.shards[self.shard_of_hash(hash)].lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn claim_now(&self, key: &[u8; 24], stamp: Stamp) -> Claim {
        // The stamp's time is now: the clock is read once per request, by the caller.
        let now = stamp.first_seen;
        let hash = self.hashing.of(key);
        let tag = Tag::of_hash(hash);
        let mut shard = self.shard(hash);
        let Shard { order, head, index, .. } = &mut *shard;
        let next = head.wrapping_add(order.len() as u32);
        let claim = match index.find_mut(tag.table_hash(), |&entry| tag.holds(entry, key, order, *head)) {
            Some(entry) => {
                let held = order[position(*entry, *head)];
                if !self.expired(&held.stamp, now) {
                    return Claim::Duplicate { first_seen: Some(held.stamp.first_seen) };
                }
                // Expired but not dropped yet: this claim takes the key (the old claim's queue entry is
                // stale).
                *entry = tag.entry(next);
                Claim::First
            }
            None => {
                index.insert_unique(tag.table_hash(), tag.entry(next), Tag::rehash);
                Claim::First
            }
        };
        order.push_back(Held { key: *key, stamp });
        shard.drop_old(&self.hashing, |held| self.expired(held, now));
        claim
    }

    pub(super) fn release_now(&self, key: &[u8; 24], stamp: Stamp) -> bool {
        let hash = self.hashing.of(key);
        let tag = Tag::of_hash(hash);
        let mut shard = self.shard(hash);
        let Shard { order, head, index, .. } = &mut *shard;
        match index.find_entry(tag.table_hash(), |&entry| tag.holds(entry, key, order, *head)) {
            Ok(held) if order[position(*held.get(), *head)].stamp == stamp => {
                held.remove();
                true
            }
            _ => false,
        }
    }

    /// Whether a claim made at `held.first_seen` has run out its window at `now`. A clock set back makes
    /// claims live longer, never shorter; the capacity still bounds them.
    fn expired(&self, held: &Stamp, now: SystemTime) -> bool {
        now.duration_since(held.first_seen).is_ok_and(|age| age >= self.window)
    }
}

/// Where the claim of an index `entry` is in a queue whose front has the sequence number `head`.
fn position(entry: u64, head: u32) -> usize {
    (entry as u32).wrapping_sub(head) as usize
}

/// 32 bits of a key's seeded hash: where the key goes in its shard's index, and, stored there, what rules
/// out most other keys without reading the queue.
#[derive(Clone, Copy)]
struct Tag(u32);

impl Tag {
    /// The tag of a key whose seeded hash is `hash` (its low 32 bits; the shard takes the high ones).
    fn of_hash(hash: u64) -> Tag {
        Tag(hash as u32)
    }

    /// The tag of `key`.
    fn of(hashing: &KeyHashing, key: &[u8; 24]) -> Tag {
        Tag::of_hash(hashing.of(key))
    }

    /// The index entry of this key, held by the claim with sequence number `seq`.
    fn entry(self, seq: u32) -> u64 {
        (u64::from(self.0) << 32) | u64::from(seq)
    }

    /// The hash the index places this key by: the table takes its bucket from the low bits and a check
    /// byte from the top seven, so the tag is multiplied by an odd constant (a bijection), which carries
    /// every bit of it into the top ones.
    fn table_hash(self) -> u64 {
        u64::from(self.0).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }

    /// The table hash of an entry, when the index grows.
    fn rehash(entry: &u64) -> u64 {
        Tag((*entry >> 32) as u32).table_hash()
    }

    /// Whether the index `entry` is `key`'s (this tag's): the tags match, and so does the key in the queue.
    fn holds(self, entry: u64, key: &[u8; 24], order: &VecDeque<Held>, head: u32) -> bool {
        (entry >> 32) as u32 == self.0 && order[position(entry, head)].key == *key
    }
}

impl Shard {
    /// Drops, from the front of the queue, expired claims and claims beyond the capacity (and the stale
    /// entries among them); compacts the queue when stale entries (from releases and expired keys claimed
    /// again) have made it twice the capacity.
    fn drop_old(&mut self, hashing: &KeyHashing, expired: impl Fn(&Stamp) -> bool) {
        // Most claims stop at the first test, without a lookup: the front is younger than the window.
        while let Some(front) = self.order.front() {
            if self.index.len() <= self.capacity && !expired(&front.stamp) {
                break;
            }
            // The front's key, if the index still points to this claim.
            let tag = Tag::of(hashing, &front.key);
            let entry = tag.entry(self.head);
            if let Ok(held) = self.index.find_entry(tag.table_hash(), |&e| e == entry) {
                held.remove();
            }
            self.order.pop_front();
            self.head = self.head.wrapping_add(1);
        }
        if self.order.len() > 2 * self.capacity {
            self.compact(hashing);
        }
    }

    /// Drops the stale entries of the queue, and renumbers the claims left (from `head` on, as before).
    fn compact(&mut self, hashing: &KeyHashing) {
        let (head, index) = (self.head, &self.index);
        let live = |(i, held): &(usize, &Held)| {
            let tag = Tag::of(hashing, &held.key);
            let entry = tag.entry(head.wrapping_add(*i as u32));
            index.find(tag.table_hash(), |&e| e == entry).is_some()
        };
        let kept: VecDeque<Held> =
            self.order.iter().enumerate().filter(live).map(|(_, held)| *held).collect();
        self.index.clear();
        for (seq, held) in (0_u32..).zip(&kept) {
            let tag = Tag::of(hashing, &held.key);
            self.index.insert_unique(tag.table_hash(), tag.entry(head.wrapping_add(seq)), Tag::rehash);
        }
        self.order = kept;
    }
}

/// Hashes the claims' keys: 24 bytes, a signature's base64 characters (unguessable, but 6 bits in each
/// byte) or a digest followed by zeros. The hash has a secret per store, so that someone who can sign
/// requests cannot grind keys that fall in one bucket: the first 16 bytes' two halves, each mixed with a
/// random seed, multiplied into 128 bits and folded; the last 8 mixed in with the same step; then one more
/// multiply and fold (the construction of the `foldhash` crate). A few instructions, where the standard
/// library's SipHash takes about 300 on 16 bytes.
#[derive(Clone)]
struct KeyHashing([u64; 2]);

impl KeyHashing {
    fn new() -> KeyHashing {
        // The standard library's random keys, drawn from the operating system.
        let random = RandomState::new();
        KeyHashing([random.hash_one(0_u8), random.hash_one(1_u8)])
    }

    /// The seeded hash of `key`.
    fn of(&self, key: &[u8; 24]) -> u64 {
        let (low, high) = key.split_at(16);
        let mut hasher = self.build_hasher();
        hasher.write_u128(u128::from_le_bytes(low.try_into().unwrap_or_default()));
        hasher.write_u64(u64::from_le_bytes(high.try_into().unwrap_or_default()));
        hasher.finish()
    }
}

impl BuildHasher for KeyHashing {
    type Hasher = KeyHasher;

    fn build_hasher(&self) -> KeyHasher {
        KeyHasher { seed: self.0, hash: 0 }
    }
}

struct KeyHasher {
    seed: [u64; 2],
    hash: u64,
}

impl Hasher for KeyHasher {
    /// What a `u128` key writes: one call. (A later write mixes in the hash so far.)
    fn write_u128(&mut self, key: u128) {
        self.hash = folded_multiply(key as u64 ^ self.seed[0], (key >> 64) as u64 ^ self.seed[1] ^ self.hash);
    }

    /// The last 8 bytes of a key: one call.
    fn write_u64(&mut self, part: u64) {
        self.write_u128(u128::from(part));
    }

    /// Any other input (none in this store), a byte at a time.
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u128(u128::from(byte));
        }
    }

    /// One more folded multiply, so that every bit of the result depends on every bit of the key (what
    /// the first leaves uneven when one half of the key is constant): foldhash's `quality` finish.
    fn finish(&self) -> u64 {
        folded_multiply(self.hash, 0x243f_6a88_85a3_08d3)
    }
}

/// The 128-bit product of `a` and `b`, its halves XORed.
fn folded_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a).wrapping_mul(u128::from(b));
    (product as u64) ^ ((product >> 64) as u64)
}

#[rocket::async_trait]
impl DeliveryStore for MemoryStore {
    async fn claim(&self, key: &DeliveryKey, stamp: Stamp) -> Result<Claim, StoreError> {
        Ok(self.claim_now(&ClaimKey::Key(*key).held(), stamp))
    }

    async fn release(&self, key: &DeliveryKey, stamp: Stamp) -> Result<bool, StoreError> {
        Ok(self.release_now(&ClaimKey::Key(*key).held(), stamp))
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

    impl MemoryStore {
        /// Claims held, expired ones not dropped yet included; and entries in the shards' queues.
        fn len(&self) -> usize {
            self.shards.iter().map(|s| s.lock().unwrap().index.len()).sum()
        }

        fn queued(&self) -> usize {
            self.shards.iter().map(|s| s.lock().unwrap().order.len()).sum()
        }
    }

    fn key(i: u32) -> [u8; 24] {
        let mut bytes = [0; 24];
        bytes[..4].copy_from_slice(&i.to_be_bytes());
        bytes
    }

    /// `n` keys that fall in `shard`, searched among the 100 000 keys from `key(from)` on.
    fn in_shard(store: &MemoryStore, shard: usize, from: u32, n: usize) -> Vec<[u8; 24]> {
        let keys: Vec<_> =
            (from..from + 100_000).map(key).filter(|k| store.shard_of(k) == shard).take(n).collect();
        assert_eq!(keys.len(), n, "shard {shard} is (almost) never chosen");
        keys
    }

    #[test]
    fn one_claim_per_key_and_release_only_its_own() {
        let store = MemoryStore::new(100, Duration::from_secs(60));
        let key = [1; 24];
        let first = stamp(1);
        assert_eq!(store.claim_now(&key, first), Claim::First);
        assert_eq!(store.claim_now(&key, stamp(2)), Claim::Duplicate { first_seen: Some(first.first_seen) });
        assert_eq!(store.claim_now(&[2; 24], stamp(3)), Claim::First);
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
                        store.claim_now(&[round; 24], stamp(t))
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
        let key = [9; 24];
        assert_eq!(store.claim_now(&key, stamp(1)), Claim::First);
        assert!(matches!(store.claim_now(&key, stamp(2)), Claim::Duplicate { .. }));
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(store.claim_now(&key, stamp(3)), Claim::First);
    }

    #[test]
    fn capacity_bounds_the_store_keeping_the_newest() {
        let store = MemoryStore::new(50, Duration::from_secs(60));
        for i in 0..500 {
            assert_eq!(store.claim_now(&key(i), stamp(i.into())), Claim::First);
        }
        assert_eq!(store.len(), 50);
        // In every shard, its newest claims (as many as its share) are kept and the older ones are gone.
        for (shard, share) in store.shards.iter().map(|s| s.lock().unwrap().capacity).enumerate() {
            let keys: Vec<_> = (0..500).map(key).filter(|k| store.shard_of(k) == shard).collect();
            assert!(keys.len() > share, "shard {shard}: {} keys", keys.len());
            for held in &keys[keys.len() - share..] {
                assert!(matches!(store.claim_now(held, stamp(0)), Claim::Duplicate { .. }), "shard {shard}");
            }
            assert_eq!(
                store.claim_now(&keys[keys.len() - share - 1], stamp(0)),
                Claim::First,
                "shard {shard}"
            );
        }
    }

    #[test]
    fn shards_are_chosen_by_the_seeded_hash_and_all_used() {
        let (one, two) = (
            MemoryStore::new(1000, Duration::from_secs(60)),
            MemoryStore::new(1000, Duration::from_secs(60)),
        );
        let mut counts = [0; SHARDS];
        for i in 0..1600 {
            counts[one.shard_of(&key(i))] += 1;
        }
        assert!(counts.iter().all(|&c| (40..160).contains(&c)), "100 a shard expected: {counts:?}");
        let same = (0..64).filter(|&i| one.shard_of(&key(i)) == two.shard_of(&key(i))).count();
        assert!(same < 32, "another store, other shards: {same} of 64 alike");
    }

    #[test]
    fn the_shares_of_the_capacity_add_up_to_it() {
        for capacity in [1, 2, 15, 16, 17, 50, 100_000] {
            let store = MemoryStore::new(capacity, Duration::from_secs(60));
            let shares: usize = store.shards.iter().map(|s| s.lock().unwrap().capacity).sum();
            assert_eq!(shares as u64, capacity);
            assert!(store.shards.iter().all(|s| s.lock().unwrap().capacity >= 1), "{capacity}");
        }
        assert_eq!(
            MemoryStore::new(0, Duration::from_secs(1)).shards.len(),
            1,
            "0 is refused by the settings"
        );
    }

    #[test]
    fn a_claim_after_expiry_is_not_dropped_by_the_stale_entry_of_the_first() {
        let window = Duration::from_secs(60);
        let store = MemoryStore::new(100, window);
        let start = SystemTime::now();
        let at = |secs: u64, token: u64| Stamp { first_seen: start + Duration::from_secs(secs), token };
        assert_eq!(store.claim_now(&key(1), at(0, 1)), Claim::First);
        assert_eq!(store.claim_now(&key(1), at(59, 2)), Claim::Duplicate { first_seen: Some(start) });
        // Expired: the key is free again, and the new claim holds it for a whole window from now.
        assert_eq!(store.claim_now(&key(1), at(60, 3)), Claim::First);
        assert_eq!(
            store.claim_now(&key(1), at(119, 4)),
            Claim::Duplicate { first_seen: Some(at(60, 0).first_seen) }
        );
        assert_eq!(store.claim_now(&key(1), at(120, 5)), Claim::First);
        // A clock set back keeps claims, it does not expire them.
        assert!(matches!(store.claim_now(&key(1), at(10, 6)), Claim::Duplicate { .. }));
    }

    #[test]
    fn expired_claims_are_dropped_by_later_claims() {
        let store = MemoryStore::new(1000, Duration::from_secs(60));
        let start = SystemTime::now();
        for i in 0..200 {
            store.claim_now(&key(i), Stamp { first_seen: start, token: i.into() });
        }
        assert_eq!(store.len(), 200);
        // One later claim per shard reaches every shard's front.
        let later = Stamp { first_seen: start + Duration::from_secs(61), token: 0 };
        for shard in 0..SHARDS {
            store.claim_now(&in_shard(&store, shard, 1000, 1)[0], later);
        }
        assert_eq!(store.len(), 16);
        assert_eq!(store.queued(), 16);
    }

    #[test]
    fn releases_do_not_grow_the_queue_without_bound() {
        let store = MemoryStore::new(32, Duration::from_secs(3600));
        // A live claim at the front of every shard, so that stale entries pile up behind it.
        for shard in 0..SHARDS {
            assert_eq!(store.claim_now(&in_shard(&store, shard, 20_000, 1)[0], stamp(0)), Claim::First);
        }
        for i in 0..10_000 {
            let stamp = stamp(i.into());
            assert_eq!(store.claim_now(&key(i), stamp), Claim::First);
            assert!(store.release_now(&key(i), stamp));
        }
        assert_eq!(store.len(), 16);
        assert!(store.queued() <= 2 * 32 + 16, "{}", store.queued());
    }

    #[test]
    fn eviction_by_capacity_keeps_released_and_live_claims_apart() {
        let store = MemoryStore::new(16, Duration::from_secs(3600));
        // Capacity one a shard; two keys of one shard.
        let keys = in_shard(&store, 0, 0, 2);
        let (old, new) = (keys[0], keys[1]);
        let first = stamp(1);
        assert_eq!(store.claim_now(&old, first), Claim::First);
        assert_eq!(store.claim_now(&new, stamp(2)), Claim::First);
        assert_eq!(store.claim_now(&old, stamp(3)), Claim::First, "the oldest claim was evicted");
        assert!(!store.release_now(&old, first), "an evicted claim releases nothing");
        assert!(matches!(store.claim_now(&old, stamp(4)), Claim::Duplicate { .. }));
    }

    #[test]
    fn key_hashing_spreads_structured_keys_and_differs_per_store() {
        let (one, two) = (KeyHashing::new(), KeyHashing::new());
        let mut buckets = [0_u32; 256];
        for i in 0..25_600_u128 {
            // Keys that differ only in a few bits, high or low: the hash must still spread them.
            let key = i | (i << 100);
            buckets[(one.hash_one(key) & 255) as usize] += 1;
            buckets[(one.hash_one(key) >> 56) as usize] += 1;
        }
        let (least, most) = (buckets.iter().min().unwrap(), buckets.iter().max().unwrap());
        assert!(*least > 120 && *most < 300, "200 a bucket expected: {least}..{most}");
        assert_ne!(one.hash_one(7_u128), two.hash_one(7_u128), "each store draws its own seed");
        assert_eq!(one.hash_one(7_u128), one.hash_one(7_u128));
        assert_ne!(one.hash_one([1_u8, 2, 3]), one.hash_one([1_u8, 2, 4]), "other inputs are hashed too");
    }

    #[test]
    fn every_bit_of_a_key_counts() {
        let hashing = KeyHashing::new();
        let key = 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210_u128;
        for bit in 0..128 {
            assert_ne!(hashing.hash_one(key), hashing.hash_one(key ^ (1 << bit)), "bit {bit}");
        }
        assert_ne!(hashing.hash_one([1_u8, 2]), hashing.hash_one([2_u8, 1]), "bytes in order");
        assert_ne!(hashing.hash_one([0_u8].as_slice()), hashing.hash_one([0_u8, 0].as_slice()));
        // A held key's 24 bytes, each bit of each.
        let held: [u8; 24] = *b"RSOYDt4T1cUTdK1PDd93/VVr";
        for bit in 0..24 * 8 {
            let mut other = held;
            other[bit / 8] ^= 1 << (bit % 8);
            assert_ne!(hashing.of(&held), hashing.of(&other), "bit {bit}");
        }
    }

    #[test]
    fn the_index_spreads_tags_over_buckets_and_check_bytes() {
        // The table takes a bucket from the low bits of the hash and a check byte from the top seven: both
        // must vary with the tag, even for tags that differ in a few bits only.
        let (mut buckets, mut checks) = (std::collections::HashSet::new(), std::collections::HashSet::new());
        for tag in (0..4096_u32).map(|i| i << 20 | i) {
            let hash = Tag(tag).table_hash();
            buckets.insert(hash & 4095);
            checks.insert(hash >> 57);
        }
        assert!(buckets.len() > 2500, "{} of 4096 buckets", buckets.len());
        assert_eq!(checks.len(), 128);
        assert_eq!(Tag::rehash(&Tag(7).entry(99)), Tag(7).table_hash(), "an entry rehashes as its tag");
    }

    #[test]
    fn an_index_entry_holds_a_key_when_both_its_tag_and_the_key_in_the_queue_match() {
        let stamp = stamp(1);
        let order: VecDeque<Held> = [[1; 24], [2; 24]].map(|key| Held { key, stamp }).into();
        let head = u32::MAX; // the sequence numbers wrap: the second claim is number 0
        let (tag, other) = (Tag(0xabcd), Tag(0xabce));
        assert!(tag.holds(tag.entry(u32::MAX), &[1; 24], &order, head));
        assert!(tag.holds(tag.entry(0), &[2; 24], &order, head));
        assert!(!tag.holds(tag.entry(0), &[1; 24], &order, head), "the same tag, another key (a collision)");
        assert!(!tag.holds(other.entry(u32::MAX), &[1; 24], &order, head), "the key, under another tag");
    }

    #[test]
    fn keys_that_differ_in_their_last_bytes_are_claimed_apart() {
        let store = MemoryStore::new(100, Duration::from_secs(60));
        let (mut one, mut two) = ([5; 24], [5; 24]);
        (one[23], two[23]) = (1, 2);
        assert_eq!(store.claim_now(&one, stamp(1)), Claim::First);
        assert_eq!(store.claim_now(&two, stamp(2)), Claim::First);
        assert!(matches!(store.claim_now(&one, stamp(3)), Claim::Duplicate { .. }));
    }

    #[test]
    fn the_queue_is_compacted_past_twice_the_capacity_and_not_before() {
        // 16 shards of 3 claims. A live claim at the front of shard 0, then claims of that shard released
        // at once behind it: their entries stay stale until the queue passes 6.
        let store = MemoryStore::new(48, Duration::from_secs(3600));
        let queued = || store.shards[0].lock().unwrap().order.len();
        let keys = in_shard(&store, 0, 0, 13);
        assert_eq!(store.claim_now(&keys[0], stamp(0)), Claim::First);
        let mut lengths = Vec::new();
        for (i, key) in (1..).zip(&keys[1..]) {
            let stamp = stamp(i);
            assert_eq!(store.claim_now(key, stamp), Claim::First);
            lengths.push(queued());
            assert!(store.release_now(key, stamp));
        }
        // Compacted when a claim makes it 7: the live claim and the one just made (released after) stay.
        assert_eq!(lengths, [2, 3, 4, 5, 6, 2, 3, 4, 5, 6, 2, 3]);
        assert!(
            matches!(store.claim_now(&keys[0], stamp(99)), Claim::Duplicate { .. }),
            "the live claim stays"
        );
    }

    /// The rules of the store, written plainly: per shard, a map from key to claim and the claims in the
    /// order made, the expired and the surplus dropped from the front after each first claim.
    #[derive(Default)]
    struct Model {
        claims: std::collections::HashMap<[u8; 24], Stamp>,
        order: VecDeque<([u8; 24], Stamp)>,
    }

    impl Model {
        fn claim(&mut self, key: [u8; 24], stamp: Stamp, capacity: usize, window: Duration) -> Claim {
            let expired =
                |held: &Stamp| stamp.first_seen.duration_since(held.first_seen).is_ok_and(|a| a >= window);
            if let Some(held) = self.claims.get(&key).filter(|held| !expired(held)) {
                return Claim::Duplicate { first_seen: Some(held.first_seen) };
            }
            self.claims.insert(key, stamp);
            self.order.push_back((key, stamp));
            while let Some((key, held)) = self.order.front().copied() {
                if self.claims.len() <= capacity && !expired(&held) {
                    break;
                }
                if self.claims.get(&key) == Some(&held) {
                    self.claims.remove(&key);
                }
                self.order.pop_front();
            }
            Claim::First
        }

        fn release(&mut self, key: [u8; 24], stamp: Stamp) -> bool {
            self.claims.get(&key) == Some(&stamp) && self.claims.remove(&key).is_some()
        }
    }

    #[test]
    fn the_store_answers_as_its_rules_written_plainly() {
        // From the first sequence number, and from just before they wrap.
        for head in [0, u32::MAX - 2_000] {
            the_store_answers_as_its_rules_from(head);
        }
    }

    fn the_store_answers_as_its_rules_from(head: u32) {
        // Random claims and releases of 300 keys in 16 shards of 4 to 6 claims, the clock moving by 0 to
        // 3 s against a window of 20 s: keys are evicted, expire, are released and claimed again, and the
        // queues pass twice their capacity and are compacted.
        let window = Duration::from_secs(20);
        let store = MemoryStore::new(80, window);
        store.shards.iter().for_each(|shard| shard.lock().unwrap().head = head);
        let mut models: Vec<Model> = (0..SHARDS).map(|_| Model::default()).collect();
        let capacities: Vec<usize> = store.shards.iter().map(|s| s.lock().unwrap().capacity).collect();
        let mut random = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            random % n
        };
        let start = SystemTime::now();
        let (mut now, mut made) = (start, Vec::new());
        for step in 0..200_000 {
            now += Duration::from_millis(next(4) * next(1000));
            let k = key(next(300) as u32);
            let shard = store.shard_of(&k);
            if next(8) == 0 && !made.is_empty() {
                let (k, stamp) = made[next(made.len() as u64) as usize];
                let shard = store.shard_of(&k);
                assert_eq!(store.release_now(&k, stamp), models[shard].release(k, stamp), "step {step}");
            } else {
                let stamp = Stamp { first_seen: now, token: step };
                let expected = models[shard].claim(k, stamp, capacities[shard], window);
                assert_eq!(store.claim_now(&k, stamp), expected, "step {step}");
                if expected == Claim::First {
                    made.push((k, stamp));
                }
            }
        }
        assert!(store.queued() <= 2 * 80 + SHARDS);
        assert!(store.shards.iter().all(|shard| shard.lock().unwrap().head != head), "the numbers moved on");
    }

    #[test]
    fn the_store_trait_answers_as_the_direct_calls() {
        let store = MemoryStore::new(100, Duration::from_secs(90));
        let runtime = rocket::tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async {
            let (first, second) = (stamp(1), stamp(2));
            let key = DeliveryKey::from_bytes(key(1)[..16].try_into().unwrap());
            assert_eq!(store.claim(&key, first).await, Ok(Claim::First));
            assert!(matches!(store.claim(&key, second).await, Ok(Claim::Duplicate { .. })));
            assert_eq!(store.release(&key, second).await, Ok(false));
            assert_eq!(store.release(&key, first).await, Ok(true));
            assert_eq!(store.ping().await, Ok(()));
        });
        assert_eq!(
            store.describe(),
            "in this server's memory (at most 100 deliveries, each for 1m 30s; not shared with other servers)"
        );
    }
}
