//! EdgeGrid (EG1-HMAC-SHA256) signing cost per request, and the SHA-256 floor of a 128 KiB
//! POST.
//!
//! Groups `edgegrid_{get,post_1k,post_128k}`:
//! * `sign_request` — `Credentials::sign_request` on a `reqwest::Request`, with a fresh
//!   timestamp and nonce as every real request gets;
//! * `authorization_fixed` — the pure signer `Credentials::authorization` with a fixed
//!   timestamp and nonce;
//! * `format_timestamp`, `new_nonce` (GET group only) — the fresh timestamp and nonce
//!   `sign_request` makes per request;
//! * `sha256` (POSTs) — `Sha256::digest` of the body with the same `sha2` crate: the floor;
//! * `sha2_asm_fallback` (128 KiB) — the portable assembly compression `sha2`'s `asm` feature
//!   falls back to without SHA-NI: if `sha256` is much faster, SHA-NI is in use.
//!
//! The 128 KiB POST's ratio to its SHA-256 floor is also measured paired
//! (`common::paired_ratios`: batches of `sign_request` and of `Sha256::digest` back to back),
//! so that a change of load between criterion's separate runs does not skew it.
//!
//! Also writes `edgegrid_inputs.json` to the results directory: the credential, the requests,
//! the Rust `Authorization` for the fixed timestamp and nonce (for the Python comparison,
//! `python/edgegrid_sign.py`, which checks it gets the same signature) and the paired ratios.

mod common;

use std::hint::black_box;

use benchmarks::payloads::edgegrid::{
    ACCESS_TOKEN, CASES, CLIENT_SECRET, CLIENT_TOKEN, CONTENT_TYPE, HOST, NONCE, TIMESTAMP, body,
};
use edgegrid::{Credentials, DEFAULT_MAX_BODY};
use reqwest::header::{CONTENT_TYPE as CONTENT_TYPE_HEADER, HeaderValue};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Calls per batch when the 128 KiB POST is paired with its SHA-256 floor.
const FLOOR_BATCH: usize = 50;

/// Whether the CPU has the SHA extensions that `sha2` detects at run time.
fn cpu_has_sha_ni() -> bool {
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    return std::arch::is_x86_feature_detected!("sha");
    #[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
    return false;
}

fn main() {
    let mut c = common::criterion();
    let credentials =
        Credentials::new(HOST, CLIENT_TOKEN, CLIENT_SECRET, ACCESS_TOKEN).expect("credentials");
    let mut cases = Vec::new();
    let mut floor_ratios = Vec::new();
    for case in CASES {
        let body = body(case.body_len);
        let url = url::Url::parse(case.url).expect("case URL");
        let headers: Vec<(&str, &str)> = if body.is_empty() {
            Vec::new()
        } else {
            vec![("Content-Type", CONTENT_TYPE)]
        };
        let fixed = credentials
            .authorization(case.method, &url, &headers, &body, TIMESTAMP, NONCE)
            .expect("signs");

        let method = reqwest::Method::from_bytes(case.method.as_bytes()).expect("method");
        let mut request = reqwest::Request::new(method, url.clone());
        if !body.is_empty() {
            request
                .headers_mut()
                .insert(CONTENT_TYPE_HEADER, HeaderValue::from_static(CONTENT_TYPE));
            *request.body_mut() = Some(body.clone().into());
        }
        // The request signer and the pure signer agree.
        credentials
            .sign_request_at(&mut request, TIMESTAMP, NONCE)
            .expect("signs");
        assert_eq!(request.headers()["authorization"], fixed.as_str());

        let mut group = c.benchmark_group(format!("edgegrid_{}", case.name));
        group.bench_function("sign_request", |b| {
            b.iter(|| {
                credentials
                    .sign_request(black_box(&mut request))
                    .expect("signs")
            })
        });
        group.bench_function("authorization_fixed", |b| {
            b.iter(|| {
                credentials
                    .authorization(
                        black_box(case.method),
                        black_box(&url),
                        black_box(&headers),
                        black_box(&body),
                        TIMESTAMP,
                        NONCE,
                    )
                    .expect("signs")
            })
        });
        if body.is_empty() {
            // The two per-request inputs `sign_request` makes on top of the pure signer.
            group.bench_function("format_timestamp", |b| {
                b.iter(|| edgegrid::format_timestamp(black_box(chrono::Utc::now())))
            });
            group.bench_function("new_nonce", |b| b.iter(edgegrid::new_nonce));
        }
        if !body.is_empty() {
            group.bench_function("sha256", |b| {
                b.iter(|| Sha256::digest(black_box(body.as_slice())))
            });
        }
        if body.len() >= 128 * 1024 {
            let blocks: Vec<[u8; 64]> = body
                .chunks_exact(64)
                .map(|chunk| chunk.try_into().expect("64 bytes"))
                .collect();
            group.bench_function("sha2_asm_fallback", |b| {
                b.iter(|| {
                    let mut state = [
                        0x6a09e667u32,
                        0xbb67ae85,
                        0x3c6ef372,
                        0xa54ff53a,
                        0x510e527f,
                        0x9b05688c,
                        0x1f83d9ab,
                        0x5be0cd19,
                    ];
                    sha2_asm::compress256(&mut state, black_box(&blocks));
                    state
                })
            });
            floor_ratios = common::paired_ratios(
                || {
                    for _ in 0..FLOOR_BATCH {
                        credentials
                            .sign_request(black_box(&mut request))
                            .expect("signs");
                    }
                },
                || {
                    for _ in 0..FLOOR_BATCH {
                        black_box(Sha256::digest(black_box(body.as_slice())));
                    }
                },
            );
        }
        group.finish();

        cases.push(json!({
            "name": case.name,
            "method": case.method,
            "url": case.url,
            "headers": headers,
            "body": String::from_utf8(body).expect("ASCII body"),
            "rust_authorization": fixed,
        }));
    }
    benchmarks::write_result(
        "edgegrid_inputs.json",
        &json!({
            "credentials": {
                "host": HOST,
                "client_token": CLIENT_TOKEN,
                "client_secret": CLIENT_SECRET,
                "access_token": ACCESS_TOKEN,
                "max_body": DEFAULT_MAX_BODY,
            },
            "timestamp": TIMESTAMP,
            "nonce": NONCE,
            "cpu_has_sha_ni": cpu_has_sha_ni(),
            "cases": cases,
            "post_128k_over_sha256_paired": floor_ratios,
        }),
    );
    c.final_summary();
}
