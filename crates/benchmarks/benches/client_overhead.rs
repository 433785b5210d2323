//! Per-request overhead of the generated clients against raw `reqwest` + `serde_json`.
//!
//! Every variant sends the same request to a minimal local axum server answering a fixed JSON
//! list (`benchmarks::server`) and decodes it into the same generated types; the client goes
//! through progenitor's builders and hooks and `client_runtime::Runtime` (buffering, the
//! status trailer, retry bookkeeping, a tracing span). The client-side rate limit is off,
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
//! Criterion measures each variant on its own, one after the other, so a change in the
//! machine's load between them skews their ratio. The throughput ratio is therefore also
//! measured paired (`common::paired_ratios`): rounds that each time a batch of raw calls and a
//! batch of client calls back to back, written with the response body sizes to
//! `client_overhead.json` in the results directory.

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

/// Calls per batch of the paired measurement.
const PAIRED_BATCH: usize = 20;

/// Runs `call` `PAIRED_BATCH` times back to back.
fn batch<T, Fut: Future<Output = T>>(rt: &Runtime, call: &impl Fn() -> Fut) {
    rt.block_on(async {
        for _ in 0..PAIRED_BATCH {
            black_box(call().await);
        }
    })
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

fn harmony(bench: &mut Bench<'_>, origin: &str) {
    let rt = bench.rt;
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

        bench.compare(
            format!("harmony_list_users_{size}"),
            payloads::users_page(size).len(),
            [&raw, &configured],
            |http| raw_users(http, &url, size),
            client_call,
        );
    }
}

fn cipherscale(bench: &mut Bench<'_>, origin: &str) {
    let rt = bench.rt;
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

        bench.compare(
            format!("cipherscale_list_policies_{size}"),
            payloads::policies(size).len(),
            [&raw, &configured],
            |http| raw_policies(http, &url),
            client_call,
        );
    }
}

/// The criterion runner, the client-side runtime, and per group the response body size and
/// the paired ratios.
struct Bench<'a> {
    criterion: Criterion,
    rt: &'a Runtime,
    results: serde_json::Map<String, serde_json::Value>,
}

impl Bench<'_> {
    /// Measures one request as the module documentation lists: `raw_call` through `raw` (the
    /// default `reqwest::Client`, then the configured one), and `client_call`; then the paired
    /// ratio of the first to the last.
    fn compare<'c, RawFut: Future, ClientFut: Future>(
        &mut self,
        group: String,
        body_bytes: usize,
        [raw, configured]: [&'c reqwest::Client; 2],
        raw_call: impl Fn(&'c reqwest::Client) -> RawFut,
        client_call: impl Fn() -> ClientFut + Copy,
    ) {
        let rt = self.rt;
        let mut criterion_group = self.criterion.benchmark_group(&group);
        bench_calls(&mut criterion_group, "raw_reqwest", rt, || raw_call(raw));
        bench_calls(
            &mut criterion_group,
            "raw_reqwest_client_config",
            rt,
            || raw_call(configured),
        );
        bench_calls(&mut criterion_group, "client", rt, client_call);
        criterion_group.finish();
        let paired =
            common::paired_ratios(|| batch(rt, &|| raw_call(raw)), || batch(rt, &client_call));
        self.results.insert(
            group,
            json!({"body_bytes": body_bytes, "paired_ratios": paired}),
        );
    }
}

fn main() {
    let server = LocalServer::start();
    let origin = server.origin();
    let rt = common::runtime();
    let mut bench = Bench {
        criterion: common::criterion(),
        rt: &rt,
        results: serde_json::Map::new(),
    };
    harmony(&mut bench, &origin);
    cipherscale(&mut bench, &origin);
    bench.criterion.final_summary();
    benchmarks::write_result("client_overhead.json", &bench.results.into());
}
