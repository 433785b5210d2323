//! Per-request overhead of the generated clients against raw `reqwest` + `serde_json`.
//!
//! Every variant sends the same request to a minimal local axum server answering a fixed JSON
//! list (`benchmarks::server`) and decodes it into the same generated types; the client goes
//! through progenitor's builders and hooks and `client_runtime::Runtime` (buffering, the
//! delivery ledger, retry bookkeeping, a tracing span). The client-side rate limit is off,
//! and Harmony's token exchange happens once before measuring. One request at a time on a
//! single-threaded runtime; the server has its own thread.
//!
//! Groups: `harmony_list_users_{10,100}` and `cipherscale_list_policies_{10,100}` (items per
//! response), each with
//! * `raw_reqwest` — `reqwest::Client::new()`, `send`, `json::<T>()`: the baseline;
//! * `raw_reqwest_client_config` — the same with the `reqwest::Client` the client's
//!   `ClientConfig` builds (connect and total timeouts, user agent), to tell the transport
//!   settings' share of any overhead from the client layer's;
//! * `client` — the generated client;
//! * `peer` — the client OpenAPI Generator (`-g rust`, reqwest, async) generates from the same
//!   spec (`peer/`, see its README), with its default `Configuration` (its own
//!   `reqwest::Client::new()`), decoding the same response into its own models.
//!
//! Criterion measures each variant on its own, one after the other, so a change in the
//! machine's load between them skews their ratio. The throughput ratios are therefore also
//! measured paired (`common::rotated_times`): rounds that each time a batch of every variant
//! back to back, with one more, `runtime` (the raw request sent through `Runtime::execute` and
//! decoded by progenitor's `ResponseValue::from_response` (the workspace's patched copy, which
//! decodes with `from_str`), without the generated builder and
//! hooks), so that the overhead splits into the transport settings', the runtime's and the
//! generated code's shares, and the peer, so that client ÷ peer is paired too. Then, paired
//! too, decoding alone: `serde_json::from_slice` (the progenitor-client release's way) against `from_utf8` +
//! `from_str` (the peer's) on the same body. Written with the response body sizes to `client_overhead.json` in
//! the results directory.

mod common;

use std::future::Future;
use std::hint::black_box;
use std::num::NonZeroU64;
use std::time::Instant;

use benchmarks::payloads;
use benchmarks::server::LocalServer;
use cipherscale_policy::types::Policy;
use criterion::{BenchmarkGroup, Criterion, measurement::WallTime};
use harmony_sase::types::UserList;
use progenitor_client::{OperationInfo, ResponseValue};
use reqwest::header::{ACCEPT, AUTHORIZATION};
use serde::de::DeserializeOwned;
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

fn users_request(http: &reqwest::Client, url: &str, size: usize) -> reqwest::RequestBuilder {
    http.get(url)
        .query(&[("limit", size), ("page", 1)])
        .header(ACCEPT, "application/json")
        .header("api-version", "1")
        .header(AUTHORIZATION, "Bearer bench-token")
}

fn policies_request(http: &reqwest::Client, url: &str) -> reqwest::RequestBuilder {
    http.get(url)
        .header(ACCEPT, "application/json")
        .header("api-version", "1.0.0")
        .header("apikey", "bench-api-key")
}

/// Sends `request` and decodes the body as raw reqwest does.
async fn raw<T: DeserializeOwned>(request: reqwest::RequestBuilder) -> T {
    let response = request.send().await.expect("raw request");
    assert!(response.status().is_success());
    response.json().await.expect("raw decode")
}

/// Sends `request` through the client runtime and decodes it as the generated code does.
async fn through_runtime<T: DeserializeOwned>(
    runtime: &client_runtime::Runtime,
    http: &reqwest::Client,
    request: reqwest::RequestBuilder,
) -> T {
    let request = request.build().expect("request");
    let info = OperationInfo {
        operation_id: "bench",
    };
    let response = runtime
        .execute(http, request, &info, |_| {})
        .await
        .expect("runtime request");
    ResponseValue::<T>::from_response::<()>(response)
        .await
        .expect("runtime decode")
        .into_inner()
}

fn harmony(bench: &mut Bench<'_>, origin: &str) {
    let rt = bench.rt;
    let config = harmony_sase::ClientConfig {
        rate_limit: None,
        ..harmony_sase::Client::default_config()
    };
    let configured = config.http_client().expect("configured reqwest client");
    let runtime = client_runtime::Runtime::new(&config);
    let client = harmony_sase::Client::builder("bench-api-key")
        .base_url(origin)
        .config(config)
        .build()
        .expect("harmony client");
    let raw_http = reqwest::Client::new();
    let url = format!("{origin}/api/rest/v1/users");
    let peer = harmony_sase_peer::apis::configuration::Configuration {
        base_path: origin.to_owned(),
        bearer_access_token: Some("bench-token".into()),
        ..Default::default()
    };
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
        let raw_call = |http| raw::<UserList>(users_request(http, &url, size));
        let peer_call = || async {
            harmony_sase_peer::apis::users_api::list_users(
                &peer,
                Some(1),
                Some(size as i64),
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            )
            .await
            .expect("peer request")
        };
        let runtime_call = || {
            through_runtime::<UserList>(
                &runtime,
                &configured,
                users_request(&configured, &url, size),
            )
        };
        // The token exchange and the connections happen here; every variant decodes alike.
        rt.block_on(async {
            let from_client = client_call().await;
            assert_eq!(from_client.data.len(), size);
            assert_eq!(raw_call(&raw_http).await, from_client);
            assert_eq!(raw_call(&configured).await, from_client);
            assert_eq!(runtime_call().await, from_client);
            let from_peer = peer_call().await;
            assert!(
                from_peer
                    .data
                    .iter()
                    .map(|u| &u.id)
                    .eq(from_client.data.iter().map(|u| &u.id))
            );
        });
        let group = format!("harmony_list_users_{size}");
        let body = payloads::users_page(size);
        bench.compare(
            &group,
            body.len(),
            [&raw_http, &configured],
            raw_call,
            runtime_call,
            client_call,
            peer_call,
        );
        bench.decode::<UserList, harmony_sase_peer::models::UserList>(&group, &body);
    }
}

fn cipherscale(bench: &mut Bench<'_>, origin: &str) {
    let rt = bench.rt;
    let raw_http = reqwest::Client::new();
    for size in SIZES {
        let base_url = format!("{origin}/qa{size}");
        let config = cipherscale_policy::ClientConfig {
            rate_limit: None,
            ..cipherscale_policy::Client::default_config()
        };
        let configured = config.http_client().expect("configured reqwest client");
        let runtime = client_runtime::Runtime::new(&config);
        let client = cipherscale_policy::Client::builder("bench-api-key")
            .base_url(base_url.as_str())
            .config(config)
            .build()
            .expect("cipherscale client");
        let url = format!("{base_url}/tenants/policies");
        let peer = cipherscale_policy_peer::apis::configuration::Configuration {
            base_path: base_url.clone(),
            api_key: Some(cipherscale_policy_peer::apis::configuration::ApiKey {
                prefix: None,
                key: "bench-api-key".into(),
            }),
            ..Default::default()
        };
        let peer_call = || async {
            cipherscale_policy_peer::apis::policies_api::list_policies(&peer)
                .await
                .expect("peer request")
        };
        let client_call = || async {
            client
                .list_policies()
                .send()
                .await
                .expect("client request")
                .into_inner()
        };
        let raw_call = |http| raw::<Vec<Policy>>(policies_request(http, &url));
        let runtime_call = || {
            through_runtime::<Vec<Policy>>(
                &runtime,
                &configured,
                policies_request(&configured, &url),
            )
        };
        rt.block_on(async {
            let from_client = client_call().await;
            assert_eq!(from_client.len(), size);
            assert_eq!(raw_call(&raw_http).await, from_client);
            assert_eq!(raw_call(&configured).await, from_client);
            assert_eq!(runtime_call().await, from_client);
            let from_peer = peer_call().await;
            assert_eq!(
                from_peer.iter().map(|p| p.id).collect::<Vec<_>>(),
                from_client.iter().map(|p| p.id).collect::<Vec<_>>(),
            );
        });
        let group = format!("cipherscale_list_policies_{size}");
        let body = payloads::policies(size);
        bench.compare(
            &group,
            body.len(),
            [&raw_http, &configured],
            raw_call,
            runtime_call,
            client_call,
            peer_call,
        );
        bench.decode::<Vec<Policy>, Vec<cipherscale_policy_peer::models::Policy>>(&group, &body);
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
    /// Measures one request as the module documentation lists: `raw_call` through the
    /// default `reqwest::Client`, then the configured one, `client_call` and `peer_call`; then,
    /// paired, the raw throughput ratio of the configured, `runtime_call`, client and peer
    /// variants, and the client's throughput ÷ the peer's.
    #[allow(clippy::too_many_arguments)] // one closure per variant reads best at the call site
    fn compare<'c, RawFut: Future, RuntimeFut: Future, ClientFut: Future, PeerFut: Future>(
        &mut self,
        group: &str,
        body_bytes: usize,
        [default, configured]: [&'c reqwest::Client; 2],
        raw_call: impl Fn(&'c reqwest::Client) -> RawFut,
        runtime_call: impl Fn() -> RuntimeFut,
        client_call: impl Fn() -> ClientFut + Copy,
        peer_call: impl Fn() -> PeerFut + Copy,
    ) {
        let rt = self.rt;
        let mut criterion_group = self.criterion.benchmark_group(group);
        bench_calls(&mut criterion_group, "raw_reqwest", rt, || {
            raw_call(default)
        });
        bench_calls(
            &mut criterion_group,
            "raw_reqwest_client_config",
            rt,
            || raw_call(configured),
        );
        bench_calls(&mut criterion_group, "client", rt, client_call);
        bench_calls(&mut criterion_group, "peer", rt, peer_call);
        criterion_group.finish();
        let rounds = common::rotated_times(&mut [
            &mut || batch(rt, &|| raw_call(default)),
            &mut || batch(rt, &|| raw_call(configured)),
            &mut || batch(rt, &runtime_call),
            &mut || batch(rt, &client_call),
            &mut || batch(rt, &peer_call),
        ]);
        let ratios = |variant: usize| -> Vec<f64> {
            rounds
                .iter()
                .map(|times| times[0] / times[variant])
                .collect()
        };
        self.results.insert(
            group.to_owned(),
            json!({
                "body_bytes": body_bytes,
                "paired_ratios": {
                    "client_config": ratios(1),
                    "runtime": ratios(2),
                    "client": ratios(3),
                    "peer": ratios(4),
                    "client_over_peer": rounds
                        .iter()
                        .map(|times| times[4] / times[3])
                        .collect::<Vec<_>>(),
                },
            }),
        );
    }

    /// Times, paired, the decoding of `body` alone. Into the client's `T`:
    /// `serde_json::from_slice` (what the progenitor-client release and reqwest's `.json()`
    /// do) against `str::from_utf8` + `serde_json::from_str` (what the peer does after
    /// `resp.text()`, and the workspace's patched progenitor-client); recorded as
    /// from_slice's time ÷ the other's, `decode_slice_over_str` of `group`. Then, both with
    /// `from_str`, into the peer's `P` against the client's `T`: the peer's time ÷ the
    /// client's, `decode_client_over_peer` (the types differ: the client's open enums keep
    /// known values typed and unknown ones as text, the peer's are plain strings).
    fn decode<T: DeserializeOwned, P: DeserializeOwned>(&mut self, group: &str, body: &[u8]) {
        let with_str = |decode: &dyn Fn(&str)| {
            for _ in 0..PAIRED_BATCH {
                decode(std::str::from_utf8(black_box(body)).expect("UTF-8 body"));
            }
        };
        let client = |text: &str| {
            black_box(serde_json::from_str::<T>(text).expect("client types"));
        };
        let peer = |text: &str| {
            black_box(serde_json::from_str::<P>(text).expect("peer types"));
        };
        let slice_over_str = common::paired_ratios(
            || {
                for _ in 0..PAIRED_BATCH {
                    black_box(serde_json::from_slice::<T>(body).expect("from_slice"));
                }
            },
            || with_str(&client),
        );
        let peer_over_client = common::paired_ratios(|| with_str(&peer), || with_str(&client));
        self.results[group]["decode_slice_over_str"] = json!(slice_over_str);
        self.results[group]["decode_client_over_peer"] = json!(peer_over_client);
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
