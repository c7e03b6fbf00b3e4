//! Times `RequestValidator::validate` / `validate_body` and their floor on the inputs `bench/run.sh`
//! shares with twilio-python and twilio-node.
//!
//! ```text
//! core gen  FILE     write the signed inputs (JSON) the three implementations read
//! core time FILE     time ours and the floor on them; print {"case": {"ours": ns, "floor": ns}} (JSON),
//!                    and for forms "floor_sort": the floor plus a sort of the names
//! ```
//!
//! Each measurement: check the answer is `true` (a wrong input would time an early exit), warm up, find
//! the iteration count of a ~200 ms batch, run 7 batches, keep the fastest batch's ns/op (noise only ever
//! adds time). `official.py` and `official.js` do the same.

use std::hint::black_box;
use std::time::{Duration, Instant};

use hmac::{Hmac, KeyInit, Mac};
use rocket_twilio::RequestValidator;
use rocket_twilio_bench::{canonical, inputs, Body, TOKEN};
use serde_json::{json, Value};
use sha1::Sha1;
use sha2::{Digest, Sha256};

const REPEATS: usize = 7;
const BATCH: Duration = Duration::from_millis(200);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("gen"), Some(file)) => gen(file),
        (Some("time"), Some(file)) => time(file),
        _ => {
            eprintln!("usage: core gen FILE | core time FILE");
            std::process::exit(2);
        }
    }
}

fn gen(file: &str) {
    let cases: Vec<Value> = inputs()
        .into_iter()
        .map(|i| {
            let mut case = json!({ "name": i.name, "what": i.what, "url": i.url, "signature": i.signature });
            match i.body {
                Body::Form(params) => case["params"] = json!(params),
                Body::Json(body) => case["json"] = json!(body),
            }
            case
        })
        .collect();
    let doc = json!({ "token": TOKEN, "cases": cases });
    std::fs::write(file, serde_json::to_string(&doc).expect("JSON")).expect("write the inputs");
}

fn time(file: &str) {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).expect("read the inputs"))
        .expect("inputs are JSON");
    let token = doc["token"].as_str().expect("token");
    let validator = RequestValidator::new(token);
    let keyed = Hmac::<Sha1>::new_from_slice(token.as_bytes()).expect("HMAC takes any key length");
    let mut results = serde_json::Map::new();
    for case in doc["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let url = case["url"].as_str().expect("url");
        let sig = case["signature"].as_str().expect("signature");
        let (ours, floor) = if let Some(body) = case["json"].as_str() {
            let body = body.as_bytes();
            let ours = measure(|| validator.validate_body(black_box(url), black_box(body), black_box(sig)));
            // The floor: hash the body, HMAC the URL (which carries that hash).
            let floor = measure(|| {
                let digest = Sha256::digest(black_box(body));
                let mut mac = keyed.clone();
                mac.update(black_box(url).as_bytes());
                black_box((digest, mac.finalize()));
                true
            });
            (ours, floor)
        } else {
            let params: Vec<(String, String)> =
                serde_json::from_value(case["params"].clone()).expect("params are [name, value] pairs");
            let ours = measure(|| {
                validator.validate(
                    black_box(url),
                    black_box(&params).iter().map(|(n, v)| (n.as_str(), v.as_str())),
                    black_box(sig),
                )
            });
            // The floor: one HMAC, keyed once like ours, over the canonical string computed beforehand.
            let data = canonical(url, &params);
            let floor = measure(|| {
                let mut mac = keyed.clone();
                mac.update(black_box(data.as_bytes()));
                black_box(mac.finalize());
                true
            });
            // The floor plus what no implementation skips: sorting the names (`&str`, a buffer reused).
            let mut names: Vec<&str> = Vec::with_capacity(params.len());
            let floor_sort = measure(|| {
                names.clear();
                names.extend(black_box(&params).iter().map(|(n, _)| n.as_str()));
                names.sort_unstable();
                black_box(&names);
                let mut mac = keyed.clone();
                mac.update(black_box(data.as_bytes()));
                black_box(mac.finalize());
                true
            });
            results
                .insert(name.to_owned(), json!({ "ours": ours, "floor": floor, "floor_sort": floor_sort }));
            continue;
        };
        results.insert(name.to_owned(), json!({ "ours": ours, "floor": floor }));
    }
    println!("{}", Value::Object(results));
}

/// Fastest ns/op over [`REPEATS`] batches of ~[`BATCH`], after checking that `f` answers `true`.
fn measure(mut f: impl FnMut() -> bool) -> f64 {
    assert!(f(), "the input does not validate: timing it would time an early exit");
    let mut n: u64 = 1;
    loop {
        let start = Instant::now();
        for _ in 0..n {
            black_box(f());
        }
        let took = start.elapsed();
        if took >= BATCH / 4 {
            n = (n as f64 * BATCH.as_secs_f64() / took.as_secs_f64()).ceil() as u64;
            break;
        }
        n *= 2;
    }
    (0..REPEATS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..n {
                black_box(f());
            }
            start.elapsed().as_nanos() as f64 / n as f64
        })
        .fold(f64::INFINITY, f64::min)
}
