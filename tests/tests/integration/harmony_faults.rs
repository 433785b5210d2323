//! The Harmony SASE client against a misbehaving server: attempts, retries, timeouts and the
//! errors callers get. Every server runs on 127.0.0.1; every wait is bounded.

use std::time::{Duration, Instant};

use fake_kit::Injection;
use harmony_sase::{Client, ClientConfig, Error, RetryPolicy, types};
use workspace_tests::fault::FaultServer;

const TOKEN: &str =
    r#"{"data":{"tokenType":"bearer","accessToken":"t","accessTokenExpire":4102444800}}"#;
const NETWORKS: &str = r#"{"data":[{"id":"n1","name":"office"}]}"#;
const LIST: &str = "/api/rest/v1/networks";

async fn server(queue: Vec<Injection>) -> FaultServer {
    FaultServer::with_routes(
        vec![("/api/v1/auth/authorize", Injection::status(200).json(TOKEN))],
        queue,
    )
    .await
}

fn client(server: &FaultServer, tune: impl FnOnce(&mut ClientConfig)) -> Client {
    let mut config = ClientConfig {
        rate_limit: None,
        timeout: Duration::from_millis(300),
        retry: RetryPolicy {
            base_delay: Duration::from_millis(2),
            max_delay: Duration::from_millis(10),
            ..RetryPolicy::default()
        },
        ..Client::default_config()
    };
    tune(&mut config);
    Client::builder("key")
        .base_url(server.origin())
        .config(config)
        .build()
        .expect("client")
}

async fn list(client: &Client) -> Result<types::NetworkList, Error> {
    Ok(client.list_networks().send().await?.into_inner())
}

#[tokio::test]
async fn resets_and_gateway_errors_are_retried_on_get() {
    let server = server(vec![
        Injection::close(),
        Injection::status(502).json("{}"),
        Injection::status(504).json("{}"),
        Injection::status(200).json(NETWORKS),
    ])
    .await;
    let networks = list(&client(&server, |_| {}))
        .await
        .expect("fourth attempt succeeds");
    assert_eq!(networks.data.len(), 1);
    assert_eq!(server.count(LIST), 4);
}

#[tokio::test]
async fn attempts_stop_at_the_maximum_with_status_and_body() {
    let server = server(vec![
        Injection::status(503).json(r#"{"message":"maintenance"}"#),
    ])
    .await;
    let error = list(&client(&server, |_| {}))
        .await
        .expect_err("always 503");
    assert_eq!(
        server.count(LIST),
        RetryPolicy::default().max_attempts as usize
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        error.api_error().and_then(|e| e.message.as_deref()),
        Some("maintenance")
    );
}

#[tokio::test]
async fn post_is_never_retried() {
    let server = server(vec![
        Injection::status(503).json("{}"),
        Injection::status(201).json("{}"),
    ])
    .await;
    let client = client(&server, |_| {});
    let body = types::CreateGroupDto::builder()
        .name("g".parse::<types::CreateGroupDtoName>().expect("name"));
    let error = Error::from(
        client
            .create_group()
            .body(body)
            .send()
            .await
            .expect_err("503 reaches the caller"),
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.count("/api/rest/v1/groups"), 1);
}

#[tokio::test]
async fn server_errors_other_than_gateway_ones_are_not_retried() {
    let server = server(vec![
        Injection::status(500).json(r#"{"message":"boom"}"#),
        Injection::status(200).json(NETWORKS),
    ])
    .await;
    let error = list(&client(&server, |_| {}))
        .await
        .expect_err("500 is final");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(server.count(LIST), 1);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = server(vec![
        Injection::status(429).json("{}").header("Retry-After", "1"),
        Injection::status(200).json(NETWORKS),
    ])
    .await;
    let started = Instant::now();
    list(&client(&server, |_| {}))
        .await
        .expect("second attempt succeeds");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(server.count(LIST), 2);
}

#[tokio::test]
async fn a_hanging_server_times_out() {
    let server = server(vec![Injection::hang()]).await;
    let client = client(&server, |c| c.retry = RetryPolicy::none());
    let error = list(&client).await.expect_err("timeout");
    match &error {
        Error::Transport(e) => assert!(e.is_timeout(), "{error}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn slow_answers_within_the_timeout_succeed_and_beyond_it_fail() {
    let slow_head = Injection::status(200)
        .json(NETWORKS)
        .delay(Duration::from_millis(50));
    let slow_body = Injection::status(200)
        .json(NETWORKS)
        .stall_body(Duration::from_millis(50));
    let server = server(vec![
        slow_head,
        slow_body,
        Injection::hang().delay(Duration::from_secs(5)),
    ])
    .await;
    let client = client(&server, |c| c.retry = RetryPolicy::none());
    list(&client).await.expect("slow headers");
    list(&client).await.expect("slow body");
    assert!(matches!(list(&client).await, Err(Error::Transport(e)) if e.is_timeout()));
}

#[tokio::test]
async fn truncated_bodies_are_retried_then_reported() {
    let truncated = Injection::status(200).json(NETWORKS).truncate(10);
    let server = server(vec![
        truncated.clone(),
        Injection::status(200).json(NETWORKS),
    ])
    .await;
    list(&client(&server, |_| {}))
        .await
        .expect("retry after a cut body");

    let server = self::server(vec![truncated]).await;
    let error = list(&client(&server, |_| {}))
        .await
        .expect_err("always cut");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(
        server.count(LIST),
        RetryPolicy::default().max_attempts as usize
    );
}

#[tokio::test]
async fn oversized_bodies_are_cut_and_reported() {
    let huge = format!(
        r#"{{"data":[{}]}}"#,
        vec![r#"{"id":"n"}"#; 10_000].join(",")
    );
    let server = server(vec![Injection::status(200).json(&huge)]).await;
    let error = list(&client(&server, |c| c.max_response_bytes = 4096))
        .await
        .expect_err("too large");
    match &error {
        Error::InvalidResponse {
            status: Some(status),
            body,
            reason,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body.len(), 4096);
            assert!(reason.contains("larger than"), "{reason}");
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn content_type_is_not_trusted_either_way() {
    let server = server(vec![
        Injection::status(200)
            .header("content-type", "text/plain")
            .body(NETWORKS),
        Injection::status(200).json(b"<html>login</html>"),
    ])
    .await;
    let client = client(&server, |_| {});
    assert_eq!(
        list(&client)
            .await
            .expect("JSON labelled text decodes")
            .data
            .len(),
        1
    );
    match list(&client).await.expect_err("HTML labelled JSON") {
        Error::InvalidResponse {
            status: Some(status),
            body,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(&body[..], b"<html>login</html>");
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
}
