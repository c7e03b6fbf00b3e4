//! Criterion benchmarks of the in-memory delivery store (`MemoryStore`): what one claim costs.
//!
//! Run with `cargo bench -p rocket_twilio --bench dedupe`. Each claim goes through the public
//! `DeliveryStore` trait, as a custom store's would: its future is boxed (`async_trait`) and polled once
//! (the store answers at once), which adds an allocation to every figure; `boxed-future` is that part
//! alone, for subtraction. The `Delivery` guard calls the built-in store directly, without it.
//!
//! - `first/<capacity>`: a claim of a new key in a full store (filled twice over beforehand), so every claim
//!   also evicts the oldest one: the steady state of a busy server. At 2 000 claims the store stays in the
//!   CPU's caches; at 100 000 (the default) and 1 000 000 it does not.
//! - `duplicate/100000`: a claim of a key the store holds.

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime};

use criterion::{criterion_group, criterion_main, Criterion};
use rocket_twilio::dedupe::{Claim, DeliveryKey, DeliveryStore, MemoryStore, Stamp, StoreError};

/// Polls a future that is ready at once (the in-memory store's).
fn now<T>(future: impl Future<Output = T>) -> T {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("the in-memory store answers at once"),
    }
}

/// Distinct keys, spread as SHA-256 output is (a 128-bit LCG's high half, mixed).
struct Keys(u128);

impl Keys {
    fn next(&mut self) -> DeliveryKey {
        self.0 = self
            .0
            .wrapping_mul(0x2360_ed05_1fc6_5da4_4385_df64_9fcc_f645)
            .wrapping_add(0x5851_f42d_4c95_7f2d);
        DeliveryKey::from_bytes((self.0 ^ (self.0 >> 64)).to_le_bytes())
    }
}

fn claim(store: &MemoryStore, key: &DeliveryKey, stamp: Stamp) -> Result<Claim, StoreError> {
    now(store.claim(key, stamp))
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("memory-store");
    let start = SystemTime::now();
    let mut token = 0;
    let mut stamp = || {
        token += 1;
        Stamp { first_seen: start, token }
    };
    for capacity in [2_000_u64, 100_000, 1_000_000] {
        let store = MemoryStore::new(capacity, Duration::from_secs(3600));
        let mut keys = Keys(u128::from(capacity));
        for _ in 0..2 * capacity {
            claim(&store, &keys.next(), stamp()).expect("memory");
        }
        group.bench_function(format!("first/{capacity}"), |b| {
            b.iter(|| claim(&store, &keys.next(), stamp()));
        });
        if capacity == 100_000 {
            let held = keys.next();
            claim(&store, &held, stamp()).expect("memory");
            group.bench_function("duplicate/100000", |b| b.iter(|| claim(&store, black_box(&held), stamp())));
        }
    }
    group.bench_function("boxed-future", |b| {
        b.iter(|| {
            let future: std::pin::Pin<Box<dyn Future<Output = u64> + Send>> =
                Box::pin(async { black_box(1) });
            now(future)
        })
    });
    group.finish();
}

criterion_group!(dedupe, benches);
criterion_main!(dedupe);
