//! Per-request overhead of the generated clients against raw `reqwest` + `serde_json`.
//!
//! Every variant sends the same request to a minimal local axum server answering a fixed JSON
//! list (`benchmarks::server`) and decodes it into the same generated types; the client goes
//! through progenitor's builders and hooks and `client_runtime::Runtime` (buffering, the
//! JSON-syntax check, retry bookkeeping, a tracing span). The client-side rate limit is off,
//! and Harmony's token exchange happens once before measuring. One request at a time on a
//! single-threaded runtime; the server has its own thread.
//!
//! Groups: `harmony_list_users_{10,100}` and `cipherscale_list_policies_{10,100}` (items per
//! response), each with
//! * `raw_reqwest` — `reqwest::Client::new()`, `send`, `json::<T>()`: the baseline;
//! * `raw_reqwest_client_config` — the same with the `reqwest::Client` the client's
//!   `ClientConfig` builds (connect and total timeouts, user agent), to tell the transport
//!   settings' share of any overhead from the client layer's;
//! * `client` — the generated client.
//!
//! Group `json_syntax_check` times, per response body, what `client_runtime` does to every
//! JSON body before the generated code decodes it (`serde_json::from_slice::<IgnoredAny>`),
//! to attribute the overhead.
//!
//! Also writes `client_payloads.json` (response body sizes) to the results directory.

mod common;

use std::future::Future;
use std::hint::black_box;
use std::num::NonZeroU64;
use std::time::Instant;

use benchmarks::payloads;
use benchmarks::server::LocalServer;
use criterion::{BenchmarkGroup, Criterion, measurement::WallTime};
use reqwest::header::{ACCEPT, AUTHORIZATION};
use serde_json::json;
use tokio::runtime::Runtime;

const SIZES: [usize; 2] = [10, 100];

/// Benchmarks `call` run back to back, one at a time.
fn bench_calls<T, F, Fut>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    rt: &Runtime,
    call: F,
) where
    F: Fn() -> Fut,
    Fut: Future<Output = T>,
{
    group.bench_function(name, |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(call().await);
                }
                start.elapsed()
            })
        })
    });
}

async fn raw_users(
    http: &reqwest::Client,
    url: &str,
    size: usize,
) -> harmony_sase::types::UserList {
    let response = http
        .get(url)
        .query(&[("limit", size), ("page", 1)])
        .header(ACCEPT, "application/json")
        .header("api-version", "1")
        .header(AUTHORIZATION, "Bearer bench-token")
        .send()
        .await
        .expect("raw request");
    assert!(response.status().is_success());
    response.json().await.expect("raw decode")
}

async fn raw_policies(http: &reqwest::Client, url: &str) -> Vec<cipherscale_policy::types::Policy> {
    let response = http
        .get(url)
        .header(ACCEPT, "application/json")
        .header("api-version", "1.0.0")
        .header("apikey", "bench-api-key")
        .send()
        .await
        .expect("raw request");
    assert!(response.status().is_success());
    response.json().await.expect("raw decode")
}

fn harmony(c: &mut Criterion, rt: &Runtime, origin: &str) {
    let config = harmony_sase::ClientConfig {
        rate_limit: None,
        ..harmony_sase::Client::default_config()
    };
    let configured = config.http_client().expect("configured reqwest client");
    let client = harmony_sase::Client::builder("bench-api-key")
        .endpoint(origin)
        .config(config)
        .build()
        .expect("harmony client");
    let raw = reqwest::Client::new();
    let url = format!("{origin}/api/rest/v1/users");
    for size in SIZES {
        let limit = NonZeroU64::new(size as u64).expect("non-zero");
        let client_call = || async {
            client
                .list_users()
                .limit(limit)
                .page(NonZeroU64::MIN)
                .send()
                .await
                .expect("client request")
                .into_inner()
        };
        // The token exchange and the connections happen here; every variant decodes alike.
        rt.block_on(async {
            let from_client = client_call().await;
            assert_eq!(from_client.data.len(), size);
            assert_eq!(raw_users(&raw, &url, size).await, from_client);
            assert_eq!(raw_users(&configured, &url, size).await, from_client);
        });

        let mut group = c.benchmark_group(format!("harmony_list_users_{size}"));
        bench_calls(&mut group, "raw_reqwest", rt, || {
            raw_users(&raw, &url, size)
        });
        bench_calls(&mut group, "raw_reqwest_client_config", rt, || {
            raw_users(&configured, &url, size)
        });
        bench_calls(&mut group, "client", rt, client_call);
        group.finish();
    }
}

fn cipherscale(c: &mut Criterion, rt: &Runtime, origin: &str) {
    let raw = reqwest::Client::new();
    for size in SIZES {
        let base_url = format!("{origin}/qa{size}");
        let config = cipherscale_policy::ClientConfig {
            rate_limit: None,
            ..cipherscale_policy::Client::default_config()
        };
        let configured = config.http_client().expect("configured reqwest client");
        let client = cipherscale_policy::Client::builder("bench-api-key")
            .base_url(base_url.as_str())
            .config(config)
            .build()
            .expect("cipherscale client");
        let url = format!("{base_url}/tenants/policies");
        let client_call = || async {
            client
                .list_policies()
                .send()
                .await
                .expect("client request")
                .into_inner()
        };
        rt.block_on(async {
            let from_client = client_call().await;
            assert_eq!(from_client.len(), size);
            assert_eq!(raw_policies(&raw, &url).await, from_client);
            assert_eq!(raw_policies(&configured, &url).await, from_client);
        });

        let mut group = c.benchmark_group(format!("cipherscale_list_policies_{size}"));
        bench_calls(&mut group, "raw_reqwest", rt, || raw_policies(&raw, &url));
        bench_calls(&mut group, "raw_reqwest_client_config", rt, || {
            raw_policies(&configured, &url)
        });
        bench_calls(&mut group, "client", rt, client_call);
        group.finish();
    }
}

fn main() {
    let mut sizes = serde_json::Map::new();
    for size in SIZES {
        sizes.insert(
            format!("harmony_list_users_{size}"),
            json!(payloads::users_page(size).len()),
        );
        sizes.insert(
            format!("cipherscale_list_policies_{size}"),
            json!(payloads::policies(size).len()),
        );
    }
    benchmarks::write_result("client_payloads.json", &sizes.into());

    let mut c = common::criterion();
    let mut group = c.benchmark_group("json_syntax_check");
    for size in SIZES {
        for (name, body) in [
            (
                format!("harmony_list_users_{size}"),
                payloads::users_page(size),
            ),
            (
                format!("cipherscale_list_policies_{size}"),
                payloads::policies(size),
            ),
        ] {
            group.bench_function(name, |b| {
                b.iter(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&body)))
            });
        }
    }
    group.finish();

    let server = LocalServer::start();
    let origin = server.origin();
    let rt = common::runtime();
    harmony(&mut c, &rt, &origin);
    cipherscale(&mut c, &rt, &origin);
    c.final_summary();
}
