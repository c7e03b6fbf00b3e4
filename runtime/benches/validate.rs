//! Criterion benchmarks: the cost of validation next to its floor, the bare cryptography it cannot avoid.
//!
//! Run with `cargo bench -p rocket_twilio --bench validate`. Each group holds the operation and its floors,
//! measured in the same run, so read the **ratios** (the machine's speed cancels out):
//! - `validate` on a typical SMS webhook (20 parameters, as Twilio sends them: not sorted), an incoming
//!   call (27 parameters, which Twilio sends sorted) and on a 32 KiB form, beside one HMAC-SHA1 over the
//!   same canonical string, precomputed. The floor is given three times: `floor/naive-key` sets the HMAC
//!   key up on every call, as a naive implementation would; `floor/pre-keyed` clones an HMAC state keyed
//!   once, as `RequestValidator` does; `floor/pre-keyed+sort` adds what no implementation can skip, a
//!   `sort_unstable` of the same names (`&str`, into a buffer allocated once), and
//!   `floor/pre-keyed+sort+build` sorts the pairs and builds the canonical string from them (each byte
//!   copied once, into a reused buffer) before the HMAC. The honest comparisons are with `pre-keyed`,
//!   `pre-keyed+sort` and `pre-keyed+sort+build`;
//! - `validate_body` on a 32 KiB JSON body beside SHA-256 of the body plus one HMAC of the URL;
//! - a failing validation (wrong signature: the URL with its port toggled is tried too, two HMACs) and one
//!   whose port-toggled form matches (also two HMACs), beside one and two pre-keyed HMACs;
//! - `diagnose-forged-sms`: what the guard does with a forged SMS webhook: the refusal by `Keyring::verify`,
//!   and the diagnosis of that refusal (every URL variant, key and body shape: no match), beside one
//!   pre-keyed HMAC. The diagnosis is what a refused request costs until the server's budget is spent.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use hmac::{Hmac, KeyInit, Mac};
use rocket_twilio::diagnosis::{diagnose, Budget, Clues, Evidence, UrlSetup};
use rocket_twilio::{url_with_body_hash, Keyring, Payload, RequestValidator, Webhook};
use sha1::Sha1;
use sha2::{Digest, Sha256};

const TOKEN: &str = "12345678901234567890123456789012";
const URL: &str = "https://example.com/twilio/sms";

mod webhooks;

/// An inbound SMS webhook's parameters, in the order Twilio sends them.
fn sms(body: &str) -> Vec<(&'static str, String)> {
    webhooks::sms(body).into_iter().map(|(n, v)| (n, v.to_owned())).collect()
}

/// An incoming call's 27 parameters, in the order Twilio sends them (sorted by name).
fn voice() -> Vec<(&'static str, String)> {
    webhooks::VOICE.into_iter().map(|(n, v)| (n, v.to_owned())).collect()
}

/// The string Twilio signs: URL, then sorted name+value pairs.
fn canonical(url: &str, params: &[(&str, &str)]) -> String {
    let mut sorted = params.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted.iter().fold(url.to_owned(), |acc, (n, v)| acc + n + v)
}

fn hmac_naive(key: &[u8], data: &[u8]) -> [u8; 20] {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

fn hmac_pre_keyed(keyed: &Hmac<Sha1>, data: &[u8]) -> [u8; 20] {
    let mut mac = keyed.clone();
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The pairs sorted into `pairs`, and the canonical string built from them into `built` (both reused).
fn sort_and_build<'p>(
    params: &[(&'p str, &'p str)],
    pairs: &mut Vec<(&'p str, &'p str)>,
    built: &mut String,
) {
    pairs.clear();
    pairs.extend(params.iter().copied());
    pairs.sort_unstable();
    built.clear();
    built.push_str(black_box(URL));
    for (name, value) in pairs.iter() {
        built.push_str(name);
        built.push_str(value);
    }
}

/// One `validate` beside both floors over the same canonical string.
fn form_group(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, params: &[(&str, &str)]) {
    let validator = RequestValidator::new(TOKEN);
    let sig = validator.compute_signature(URL, params.iter().copied());
    let data = canonical(URL, params);
    let keyed = Hmac::<Sha1>::new_from_slice(TOKEN.as_bytes()).expect("any key length");
    group.throughput(Throughput::Bytes(data.len() as u64));

    group.bench_function("validate", |b| {
        b.iter(|| {
            assert!(validator.validate(black_box(URL), black_box(params).iter().copied(), black_box(&sig)))
        })
    });
    let mut sorted = params.to_vec();
    sorted.sort();
    group.bench_function("validate/params-presorted", |b| {
        b.iter(|| {
            assert!(validator.validate(black_box(URL), black_box(&sorted).iter().copied(), black_box(&sig)))
        })
    });
    group.bench_function("floor/naive-key", |b| {
        b.iter(|| hmac_naive(black_box(TOKEN.as_bytes()), black_box(data.as_bytes())))
    });
    group
        .bench_function("floor/pre-keyed", |b| b.iter(|| hmac_pre_keyed(&keyed, black_box(data.as_bytes()))));
    // The floor plus the sort every implementation must do: the names as `&str`, in a reused buffer.
    let mut names: Vec<&str> = Vec::with_capacity(params.len());
    group.bench_function("floor/pre-keyed+sort", |b| {
        b.iter(|| {
            names.clear();
            names.extend(black_box(params).iter().map(|(name, _)| *name));
            names.sort_unstable();
            black_box(&names);
            hmac_pre_keyed(&keyed, black_box(data.as_bytes()))
        })
    });
    // And the canonical string built from the sorted pairs, each byte copied once, into a reused buffer:
    // what remains of the work when the pieces are not already one string.
    let mut pairs: Vec<(&str, &str)> = Vec::with_capacity(params.len());
    let mut built = String::with_capacity(data.len());
    sort_and_build(params, &mut pairs, &mut built);
    assert_eq!(built, data, "the same canonical string");
    group.bench_function("floor/pre-keyed+sort+build", |b| {
        b.iter(|| {
            sort_and_build(black_box(params), &mut pairs, &mut built);
            hmac_pre_keyed(&keyed, built.as_bytes())
        })
    });
}

fn sms_webhook(c: &mut Criterion) {
    let owned = sms("Hello from Twilio! Reply STOP to unsubscribe.");
    let params: Vec<(&str, &str)> = owned.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let mut group = c.benchmark_group("sms-20-params");
    form_group(&mut group, &params);
    group.finish();
}

fn voice_webhook(c: &mut Criterion) {
    let owned = voice();
    let params: Vec<(&str, &str)> = owned.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let mut group = c.benchmark_group("voice-27-params");
    form_group(&mut group, &params);
    group.finish();
}

fn form_32k(c: &mut Criterion) {
    // The same webhook with a long Body, the form 32 KiB in all.
    let short: usize = sms("").iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let long_body: String = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "
        .chars()
        .cycle()
        .take(32 * 1024 - short)
        .collect();
    let owned = sms(&long_body);
    let params: Vec<(&str, &str)> = owned.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let mut group = c.benchmark_group("form-32KiB");
    form_group(&mut group, &params);
    group.finish();

    // 32 KiB as 512 parameters of 64 bytes, in reverse order: the sort is the work here.
    let many: Vec<(String, String)> =
        (0..512).rev().map(|i| (format!("Field{i:04}"), format!("{:055}", i))).collect();
    let params: Vec<(&str, &str)> = many.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let mut group = c.benchmark_group("form-32KiB-512-params");
    form_group(&mut group, &params);
    group.finish();
}

fn json_32k(c: &mut Criterion) {
    // A JSON array of Event Streams-like events, padded to exactly 32 KiB.
    let event = r#"{"type":"com.twilio.messaging.message.delivered","data":{"messageStatus":"DELIVERED"}}"#;
    let mut body = format!("[{}", vec![event; 360].join(","));
    let pad = 32 * 1024 - body.len() - r#",{"pad":""}]"#.len();
    body += &format!(r#",{{"pad":"{}"}}]"#, "x".repeat(pad));
    assert_eq!(body.len(), 32 * 1024);
    let body = body.into_bytes();
    let url = url_with_body_hash(URL, &body);
    let validator = RequestValidator::new(TOKEN);
    let sig = validator.compute_url_signature(&url);
    let keyed = Hmac::<Sha1>::new_from_slice(TOKEN.as_bytes()).expect("any key length");
    let mut group = c.benchmark_group("json-32KiB");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("validate_body", |b| {
        b.iter(|| assert!(validator.validate_body(black_box(&url), black_box(&body), black_box(&sig))))
    });
    group.bench_function("floor/naive-key", |b| {
        b.iter(|| {
            (
                Sha256::digest(black_box(&body)),
                hmac_naive(black_box(TOKEN.as_bytes()), black_box(url.as_bytes())),
            )
        })
    });
    group.bench_function("floor/pre-keyed", |b| {
        b.iter(|| (Sha256::digest(black_box(&body)), hmac_pre_keyed(&keyed, black_box(url.as_bytes()))))
    });
    group.finish();
}

fn two_forms(c: &mut Criterion) {
    let owned = sms("Hello from Twilio! Reply STOP to unsubscribe.");
    let params: Vec<(&str, &str)> = owned.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let validator = RequestValidator::new(TOKEN);
    // Twilio signed the URL with :443; the server sees it without.
    let toggled_sig =
        validator.compute_signature("https://example.com:443/twilio/sms", params.iter().copied());
    let wrong_sig = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    let data = canonical(URL, &params);
    let keyed = Hmac::<Sha1>::new_from_slice(TOKEN.as_bytes()).expect("any key length");

    let mut group = c.benchmark_group("sms-two-url-forms");
    group.bench_function("validate/wrong-signature", |b| {
        b.iter(|| assert!(!validator.validate(black_box(URL), black_box(&params).iter().copied(), wrong_sig)))
    });
    group.bench_function("validate/port-toggled-match", |b| {
        b.iter(|| {
            assert!(validator.validate(black_box(URL), black_box(&params).iter().copied(), &toggled_sig))
        })
    });
    group
        .bench_function("floor/pre-keyed", |b| b.iter(|| hmac_pre_keyed(&keyed, black_box(data.as_bytes()))));
    group.bench_function("floor/pre-keyed-x2", |b| {
        b.iter(|| {
            (
                hmac_pre_keyed(&keyed, black_box(data.as_bytes())),
                hmac_pre_keyed(&keyed, black_box(data.as_bytes())),
            )
        })
    });
    group.finish();
}

fn diagnose_forged(c: &mut Criterion) {
    let owned = sms("Hello from Twilio! Reply STOP to unsubscribe.");
    let params: Vec<(&str, &str)> = owned.iter().map(|(n, v)| (*n, v.as_str())).collect();
    // The URL a server behind no proxy checks, and a signature made with another token.
    let url = "http://127.0.0.1:8000/guarded/sms";
    let forged = RequestValidator::new("a forger's guess").compute_signature(url, params.iter().copied());
    let keyring = Keyring::new().primary(TOKEN).unwrap();
    let webhook = Webhook::new(url, Payload::Form(&params), &forged);
    let rejection = keyring.verify(&webhook).unwrap_err();
    let clues = Clues::new();
    let evidence = Evidence::new(webhook, "/guarded/sms", &clues)
        .refused_with(&rejection)
        .setup(UrlSetup::Request { trusted: None });
    let budget = Budget::unlimited();
    let hmacs = diagnose(&evidence, &keyring, &budget).hmacs();
    let data = canonical(url, &params);
    let keyed = Hmac::<Sha1>::new_from_slice(TOKEN.as_bytes()).unwrap();

    let mut group = c.benchmark_group("diagnose-forged-sms");
    group.bench_function("verify (refused)", |b| b.iter(|| keyring.verify(black_box(&webhook))));
    group.bench_function(format!("diagnose ({hmacs} HMACs)"), |b| {
        b.iter(|| diagnose(black_box(&evidence), &keyring, &budget))
    });
    group
        .bench_function("floor/pre-keyed", |b| b.iter(|| hmac_pre_keyed(&keyed, black_box(data.as_bytes()))));
    group.finish();
}

criterion_group!(benches, sms_webhook, voice_webhook, form_32k, json_32k, two_forms, diagnose_forged);
criterion_main!(benches);
