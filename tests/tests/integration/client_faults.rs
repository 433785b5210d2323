//! The SaaS rules and Cipherscale clients against a misbehaving server: the same fault
//! scenarios as `harmony_faults`, run once per client through the [`Subject`] trait, so that
//! each client's wiring into the shared runtime (retries, timeouts, size limit, error capture)
//! is tested, not only the runtime. Every server runs on 127.0.0.1; every wait is bounded.

use std::time::{Duration, Instant};

use bytes::Bytes;
use client_runtime::{ClientConfig, RetryPolicy};
use fake_kit::Injection;
use workspace_tests::fault::FaultServer;

/// What a failed call left the caller with, whichever client made it.
#[derive(Debug)]
struct Failure {
    status: Option<u16>,
    body: Option<Bytes>,
    transport: bool,
    timeout: bool,
    invalid_response: bool,
}

impl<E: std::fmt::Debug> From<client_runtime::Error<E>> for Failure {
    fn from(error: client_runtime::Error<E>) -> Self {
        let (transport, timeout) = match &error {
            client_runtime::Error::Transport(e) => (true, e.is_timeout()),
            _ => (false, false),
        };
        Failure {
            status: error.status().map(|s| s.as_u16()),
            body: error.body().cloned(),
            transport,
            timeout,
            invalid_response: matches!(error, client_runtime::Error::InvalidResponse { .. }),
        }
    }
}

/// A client under test: one idempotent GET and one POST, each with a valid success body.
trait Subject: Sized {
    /// A success body of the GET.
    const GET_OK: &'static str;
    /// A success body of the POST.
    const POST_OK: &'static str;
    /// A client of `origin` with `config`.
    fn new(origin: &str, config: ClientConfig) -> Self;
    /// The client's defaults, so that the tests change only what they name.
    fn default_config() -> ClientConfig;
    /// Calls the GET operation.
    async fn get(&self) -> Result<(), Failure>;
    /// Calls the POST operation.
    async fn post(&self) -> Result<(), Failure>;
}

struct SaasRules(saas_rules::Client);

impl Subject for SaasRules {
    const GET_OK: &'static str =
        include_str!("../../fixtures/saas-rules/seed-examples/get-policy-200.json");
    const POST_OK: &'static str =
        include_str!("../../fixtures/saas-rules/seed-examples/create-policy-200.json");

    fn new(origin: &str, config: ClientConfig) -> Self {
        let credentials =
            saas_rules::Credentials::new(origin, "akab-ct", "cs", "akab-at").expect("a valid host");
        let client = saas_rules::Client::builder(credentials)
            .config(config)
            .build()
            .expect("client");
        SaasRules(client)
    }

    fn default_config() -> ClientConfig {
        saas_rules::Client::default_config()
    }

    async fn get(&self) -> Result<(), Failure> {
        let result = self.0.get_policy().id(1133).send().await;
        result
            .map(drop)
            .map_err(|e| saas_rules::Error::from(e).into())
    }

    async fn post(&self) -> Result<(), Failure> {
        let body: saas_rules::types::CreatePolicyRequest = serde_json::from_str(include_str!(
            "../../fixtures/saas-rules/seed-examples/create-policy-request.json"
        ))
        .expect("the seed's create request");
        let result = self.0.create_policy().body(body).send().await;
        result
            .map(drop)
            .map_err(|e| saas_rules::Error::from(e).into())
    }
}

struct Cipherscale(cipherscale_policy::Client);

impl Subject for Cipherscale {
    const GET_OK: &'static str = "[]";
    const POST_OK: &'static str = r#"{"id":"00000000-0000-0000-0000-000000005eed","name":"p",
        "allUsers":false,"allGroups":false,"allDevices":false,"allResources":false}"#;

    fn new(origin: &str, config: ClientConfig) -> Self {
        let client = cipherscale_policy::Client::builder("cs-key")
            .base_url(format!("{origin}/qa"))
            .config(config)
            .build()
            .expect("client");
        Cipherscale(client)
    }

    fn default_config() -> ClientConfig {
        cipherscale_policy::Client::default_config()
    }

    async fn get(&self) -> Result<(), Failure> {
        let result = self.0.list_policies().send().await;
        result
            .map(drop)
            .map_err(|e| cipherscale_policy::Error::from(e).into())
    }

    async fn post(&self) -> Result<(), Failure> {
        let result = self
            .0
            .create_policy()
            .body_map(crate::cipherscale_client::private_policy("p"))
            .send()
            .await;
        result
            .map(drop)
            .map_err(|e| cipherscale_policy::Error::from(e).into())
    }
}

/// A client of `server` with fast retries and a 300 ms timeout, then `tune`d.
fn client<S: Subject>(server: &FaultServer, tune: impl FnOnce(&mut ClientConfig)) -> S {
    let mut config = ClientConfig {
        timeout: Duration::from_millis(300),
        retry: RetryPolicy {
            base_delay: Duration::from_millis(2),
            max_delay: Duration::from_millis(10),
            ..RetryPolicy::default()
        },
        ..S::default_config()
    };
    tune(&mut config);
    S::new(&server.origin(), config)
}

fn no_retries(config: &mut ClientConfig) {
    config.retry = RetryPolicy::none();
}

/// How many requests with `method` the server received.
fn count(server: &FaultServer, method: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == method)
        .count()
}

async fn resets_and_gateway_errors_are_retried_on_get<S: Subject>() {
    let server = FaultServer::start(vec![
        Injection::close(),
        Injection::status(502).json("{}"),
        Injection::status(504).json("{}"),
        Injection::status(200).json(S::GET_OK),
    ])
    .await;
    client::<S>(&server, |_| {})
        .get()
        .await
        .expect("fourth attempt succeeds");
    assert_eq!(count(&server, "GET"), 4);
}

async fn attempts_stop_at_the_maximum_with_status_and_body<S: Subject>() {
    let body = r#"{"title":"Service Unavailable","message":"maintenance"}"#;
    let server = FaultServer::start(vec![Injection::status(503).json(body)]).await;
    let failure = client::<S>(&server, |_| {})
        .get()
        .await
        .expect_err("always 503");
    assert_eq!(
        count(&server, "GET"),
        RetryPolicy::default().max_attempts as usize
    );
    assert_eq!(failure.status, Some(503));
    assert_eq!(failure.body.as_deref(), Some(body.as_bytes()));
}

async fn post_is_never_retried<S: Subject>() {
    let server = FaultServer::start(vec![
        Injection::status(503).json("{}"),
        Injection::close(),
        Injection::status(200).json(S::POST_OK),
    ])
    .await;
    let client = client::<S>(&server, |_| {});
    let unavailable = client.post().await.expect_err("503 reaches the caller");
    assert_eq!(unavailable.status, Some(503));
    let reset = client.post().await.expect_err("a reset reaches the caller");
    assert!(reset.transport, "{reset:?}");
    client.post().await.expect("the third POST succeeds");
    assert_eq!(count(&server, "POST"), 3, "one request per call");
}

async fn server_errors_other_than_gateway_ones_are_not_retried<S: Subject>() {
    let server = FaultServer::start(vec![
        Injection::status(500).json(r#"{"message":"boom"}"#),
        Injection::status(200).json(S::GET_OK),
    ])
    .await;
    let failure = client::<S>(&server, |_| {})
        .get()
        .await
        .expect_err("500 is final");
    assert_eq!(failure.status, Some(500));
    assert_eq!(count(&server, "GET"), 1);
}

async fn retry_after_is_honoured<S: Subject>() {
    let server = FaultServer::start(vec![
        Injection::status(429).json("{}").header("Retry-After", "1"),
        Injection::status(200).json(S::GET_OK),
    ])
    .await;
    let started = Instant::now();
    client::<S>(&server, |_| {})
        .get()
        .await
        .expect("second attempt succeeds");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(count(&server, "GET"), 2);
}

async fn a_hanging_server_times_out<S: Subject>() {
    let server = FaultServer::start(vec![Injection::hang()]).await;
    let failure = client::<S>(&server, no_retries)
        .get()
        .await
        .expect_err("timeout");
    assert!(failure.timeout, "{failure:?}");
}

async fn slow_answers_within_the_timeout_succeed_and_beyond_it_fail<S: Subject>() {
    let server = FaultServer::start(vec![
        Injection::status(200)
            .json(S::GET_OK)
            .delay(Duration::from_millis(50)),
        Injection::status(200)
            .json(S::GET_OK)
            .stall_body(Duration::from_millis(50)),
        Injection::hang().delay(Duration::from_secs(5)),
    ])
    .await;
    let client = client::<S>(&server, no_retries);
    client.get().await.expect("slow headers");
    client.get().await.expect("slow body");
    let failure = client.get().await.expect_err("beyond the timeout");
    assert!(failure.timeout, "{failure:?}");
}

async fn truncated_bodies_are_retried_then_reported<S: Subject>() {
    let truncated = Injection::status(200).json(S::GET_OK).truncate(1);
    let server = FaultServer::start(vec![
        truncated.clone(),
        Injection::status(200).json(S::GET_OK),
    ])
    .await;
    client::<S>(&server, |_| {})
        .get()
        .await
        .expect("retry after a cut body");

    let server = FaultServer::start(vec![truncated]).await;
    let failure = client::<S>(&server, |_| {})
        .get()
        .await
        .expect_err("always cut");
    assert!(failure.transport, "{failure:?}");
    assert_eq!(
        count(&server, "GET"),
        RetryPolicy::default().max_attempts as usize
    );
}

async fn oversized_bodies_are_cut_and_reported<S: Subject>() {
    let huge = format!("[{}]", vec!["{}"; 10_000].join(","));
    let server = FaultServer::start(vec![Injection::status(200).json(&huge)]).await;
    let failure = client::<S>(&server, |c| c.max_response_bytes = 4096)
        .get()
        .await
        .expect_err("too large");
    assert!(failure.invalid_response, "{failure:?}");
    assert_eq!(failure.status, Some(200));
    assert_eq!(failure.body.map(|b| b.len()), Some(4096));
}

async fn malformed_success_bodies_keep_status_and_body<S: Subject>() {
    let bodies: [&[u8]; 3] = [b"", b"<html>login</html>", b"{\"respon"];
    let server = FaultServer::start(
        bodies
            .iter()
            .map(|body| Injection::status(200).json(body))
            .collect(),
    )
    .await;
    let client = client::<S>(&server, no_retries);
    for body in bodies {
        let failure = client.get().await.expect_err("not the documented shape");
        assert!(failure.invalid_response, "{failure:?}");
        assert_eq!(failure.status, Some(200));
        assert_eq!(failure.body.as_deref(), Some(body));
    }
}

async fn json_labelled_as_text_still_decodes<S: Subject>() {
    let server = FaultServer::start(vec![
        Injection::status(200)
            .header("content-type", "text/plain")
            .body(S::GET_OK),
    ])
    .await;
    client::<S>(&server, |_| {})
        .get()
        .await
        .expect("content type is not trusted");
}

/// Runs every scenario once per client, as `<client>::<scenario>` tests.
macro_rules! scenarios {
    ($($scenario:ident),* $(,)?) => {
        mod saas_rules_faults {
            $(#[tokio::test]
            async fn $scenario() {
                super::$scenario::<super::SaasRules>().await;
            })*
        }
        mod cipherscale_faults {
            $(#[tokio::test]
            async fn $scenario() {
                super::$scenario::<super::Cipherscale>().await;
            })*
        }
    };
}

scenarios!(
    resets_and_gateway_errors_are_retried_on_get,
    attempts_stop_at_the_maximum_with_status_and_body,
    post_is_never_retried,
    server_errors_other_than_gateway_ones_are_not_retried,
    retry_after_is_honoured,
    a_hanging_server_times_out,
    slow_answers_within_the_timeout_succeed_and_beyond_it_fail,
    truncated_bodies_are_retried_then_reported,
    oversized_bodies_are_cut_and_reported,
    malformed_success_bodies_keep_status_and_body,
    json_labelled_as_text_still_decodes,
);
