//! The kit driven over HTTP with reqwest: routes, injections and their order, faults,
//! redaction, the gateway and shutdown.

use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use fake_kit::{Injection, Method, Refusal, Secret, Server};

fn routes() -> Router {
    Router::new()
        .route("/api/items", get(|| async { "items" }))
        .route("/api/login", post(|| async { "welcome" }))
}

async fn start() -> Server {
    Server::builder()
        .base_path("/api/")
        .start(routes())
        .await
        .expect("bound")
}

/// Status and body of `method path`, or the transport error's text.
async fn call(server: &Server, method: Method, path: &str) -> Result<(u16, String), String> {
    let response = reqwest::Client::new()
        .request(method, format!("{}{path}", server.origin()))
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .map_err(|e| format!("{e:?}"))?;
    let status = response.status().as_u16();
    let body = response.text().await.map_err(|e| format!("{e:?}"))?;
    Ok((status, body))
}

/// Everything the server sends for a bare `GET /api/items` until it closes the connection.
async fn raw_get(server: &Server) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(server.addr())
        .await
        .expect("connect");
    stream
        .write_all(b"GET /api/items HTTP/1.1\r\nhost: fake\r\n\r\n")
        .await
        .expect("write");
    let mut received = Vec::new();
    stream.read_to_end(&mut received).await.expect("read");
    String::from_utf8_lossy(&received).into_owned()
}

fn answer(status: u16, body: &str) -> Result<(u16, String), String> {
    Ok((status, body.to_owned()))
}

#[tokio::test]
async fn routes_answer_under_the_base_url() {
    let server = start().await;
    assert!(server.origin().starts_with("http://127.0.0.1:"));
    assert_eq!(server.base_url(), format!("{}/api", server.origin()));
    assert_eq!(
        call(&server, Method::GET, "/api/items").await,
        answer(200, "items")
    );
    assert_eq!(
        call(&server, Method::GET, "/other")
            .await
            .map(|(status, _)| status),
        Ok(404)
    );
    let log = server.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (log[0].method.as_str(), log[0].path.as_str()),
        ("GET", "/api/items")
    );
    assert!(!log[0].injected && log[0].refused.is_none());
    assert_eq!(server.count("get", "/api/items"), 1);
}

#[tokio::test]
async fn injections_answer_first_in_order_each_as_many_times_as_given() {
    let server = start().await;
    server.inject(Injection::status(503).body("first").times(2));
    server.inject(Injection::status(500).body("second"));
    for expected in [
        answer(503, "first"),
        answer(503, "first"),
        answer(500, "second"),
    ] {
        assert_eq!(call(&server, Method::GET, "/api/items").await, expected);
    }
    assert_eq!(server.pending_injections(), 0);
    assert_eq!(
        call(&server, Method::GET, "/api/items").await,
        answer(200, "items")
    );
    let injected: Vec<bool> = server.requests().iter().map(|r| r.injected).collect();
    assert_eq!(injected, [true, true, true, false]);
}

#[tokio::test]
async fn injections_match_method_and_path_below_the_base_path() {
    let server = start().await;
    server.inject(
        Injection::status(401)
            .header("www-authenticate", "Bearer")
            .json(r#"{"message":"no"}"#)
            .on(Method::POST, "/login"),
    );
    server.inject(Injection::status(202).path("/items").always());
    assert_eq!(
        call(&server, Method::GET, "/api/items").await,
        answer(202, "")
    );
    assert_eq!(
        call(&server, Method::GET, "/api/items").await,
        answer(202, ""),
        "always stays"
    );
    let response = reqwest::Client::new()
        .post(format!("{}/login", server.base_url()))
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.text().await.expect("body"), r#"{"message":"no"}"#);
    assert_eq!(
        call(&server, Method::POST, "/api/login").await,
        answer(200, "welcome")
    );
    assert_eq!(server.pending_injections(), 1);
}

#[tokio::test]
async fn faults_close_hang_delay_stall_and_truncate() {
    let server = start().await;
    server.inject(Injection::close());
    let closed = call(&server, Method::GET, "/api/items").await;
    assert!(closed.is_err(), "{closed:?}");

    let pause = Duration::from_millis(100);
    for slow in [
        Injection::status(200).body("0123456789").delay(pause),
        Injection::status(200).body("0123456789").stall_body(pause),
    ] {
        server.inject(slow);
        let started = Instant::now();
        assert_eq!(
            call(&server, Method::GET, "/api/items").await,
            answer(200, "0123456789")
        );
        assert!(started.elapsed() >= pause);
    }

    server.inject(Injection::status(200).body("0123456789").truncate(4));
    let response = reqwest::get(format!("{}/items", server.base_url()))
        .await
        .expect("the head arrives");
    assert_eq!(response.content_length(), Some(10));
    let cut = response.bytes().await;
    assert!(cut.is_err(), "{cut:?}");
    server.inject(Injection::status(200).body("0123456789").truncate(4));
    let raw = raw_get(&server).await;
    assert!(
        raw.contains("content-length: 10\r\n") && raw.ends_with("\r\n\r\n0123"),
        "the declared length, then only the bytes sent: {raw:?}"
    );

    server.inject(Injection::hang());
    let hung = reqwest::Client::new()
        .get(format!("{}/items", server.base_url()))
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .expect_err("no answer");
    assert!(hung.is_timeout(), "{hung:?}");
    assert_eq!(server.request_count(), 6, "every fault's request is logged");
}

#[tokio::test]
async fn secrets_are_redacted_when_recorded() {
    let server = Server::builder()
        .secret(Secret::Header("apikey"))
        .secret(Secret::Credentials("authorization"))
        .secret(Secret::JsonField("apiKey"))
        .start(routes())
        .await
        .expect("bound");
    let client = reqwest::Client::new();
    for token in ["t-one", "t-two"] {
        client
            .post(format!("{}/api/login", server.origin()))
            .header("apikey", "k-secret")
            .bearer_auth(token)
            .body(r#"{"apiKey":"k-secret","user":"me"}"#)
            .send()
            .await
            .expect("answer");
    }
    let log = server.requests();
    let shown = format!("{log:?}");
    for secret in ["k-secret", "t-one", "t-two"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    let stand_in = server.redacted("k-secret");
    assert_eq!(log[0].header("APIKEY"), Some(stand_in.as_str()));
    assert_eq!(
        log[0].header("authorization"),
        Some(format!("Bearer {}", server.redacted("t-one")).as_str())
    );
    assert_ne!(
        log[0].header("authorization"),
        log[1].header("authorization")
    );
    let body = log[0].json().expect("JSON");
    assert_eq!(
        (body["apiKey"].as_str(), body["user"].as_str()),
        (Some(stand_in.as_str()), Some("me"))
    );
}

#[tokio::test]
async fn the_gateway_refuses_before_injections_and_logs_why() {
    let server = Server::builder()
        .gateway(|parts, _body| match parts.headers.get("x-pass") {
            Some(_) => Ok(()),
            None => Err(Refusal::new(
                "no pass",
                (StatusCode::FORBIDDEN, "halt").into_response(),
            )),
        })
        .start(routes())
        .await
        .expect("bound");
    server.inject(Injection::status(503));
    assert_eq!(
        call(&server, Method::GET, "/api/items").await,
        answer(403, "halt")
    );
    assert_eq!(
        server.pending_injections(),
        1,
        "a refused request uses no injection"
    );
    let passed = reqwest::Client::new()
        .get(format!("{}/api/items", server.origin()))
        .header("x-pass", "1")
        .send()
        .await
        .expect("answer");
    assert_eq!(passed.status(), StatusCode::SERVICE_UNAVAILABLE);
    let refused: Vec<_> = server.requests().into_iter().map(|r| r.refused).collect();
    assert_eq!(refused, [Some("no pass".to_owned()), None]);
}

#[tokio::test]
async fn shutdown_frees_the_port_and_ends_hanging_requests() {
    let server = start().await;
    let addr = server.addr();
    server.inject(Injection::hang());
    let url = format!("{}/items", server.base_url());
    let hanging = tokio::spawn(async move { reqwest::get(url).await.map(|r| r.status()) });
    while server.request_count() == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let started = Instant::now();
    server.shutdown().await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert!(
        hanging.await.expect("joined").is_err(),
        "closed, not answered"
    );
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "nobody listens any more"
    );
    tokio::net::TcpListener::bind(addr)
        .await
        .expect("the port is free again");
    server.shutdown().await;
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let server = start().await;
    let addr = server.addr();
    drop(server);
    let deadline = Instant::now() + Duration::from_secs(2);
    while tokio::net::TcpStream::connect(addr).await.is_ok() {
        assert!(Instant::now() < deadline, "still listening");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
