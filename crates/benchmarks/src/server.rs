//! A minimal local API server answering fixed JSON on 127.0.0.1, on its own thread and
//! single-threaded runtime, so that client-side costs are what a benchmark sees.
//!
//! Routes (bodies from [`crate::payloads`], built once):
//! * `POST /api/v1/auth/authorize` — a Harmony SASE token response;
//! * `GET /api/rest/v1/users?limit=N` — a users page of 100 users when `limit=100`, else 10;
//! * `GET /qa10/tenants/policies`, `GET /qa100/tenants/policies` — 10 or 100 Cipherscale
//!   policies (the stage in the client's base URL picks the size).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bytes::Bytes;

use crate::payloads;

struct Bodies {
    token: Bytes,
    users_10: Bytes,
    users_100: Bytes,
    policies_10: Bytes,
    policies_100: Bytes,
}

fn json(body: &Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body.clone()).into_response()
}

async fn authorize(State(bodies): State<Arc<Bodies>>) -> Response {
    json(&bodies.token)
}

async fn users(State(bodies): State<Arc<Bodies>>, RawQuery(query): RawQuery) -> Response {
    let limit = query
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("limit="));
    match limit {
        Some("100") => json(&bodies.users_100),
        _ => json(&bodies.users_10),
    }
}

async fn policies(State(bodies): State<Arc<Bodies>>, Path(stage): Path<String>) -> Response {
    match stage.as_str() {
        "qa10" => json(&bodies.policies_10),
        "qa100" => json(&bodies.policies_100),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A running server; stops (and joins its thread) when dropped.
pub struct LocalServer {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LocalServer {
    /// Binds an ephemeral port on 127.0.0.1 and serves on a new thread.
    pub fn start() -> Self {
        let bodies = Arc::new(Bodies {
            token: payloads::token_response().into(),
            users_10: payloads::users_page(10).into(),
            users_100: payloads::users_page(100).into(),
            policies_10: payloads::policies(10).into(),
            policies_100: payloads::policies(100).into(),
        });
        let app = Router::new()
            .route("/api/v1/auth/authorize", post(authorize))
            .route("/api/rest/v1/users", get(users))
            .route("/{stage}/tenants/policies", get(policies))
            .with_state(bodies);
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("server runtime");
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
                        .await
                        .expect("binding 127.0.0.1");
                    addr_tx
                        .send(listener.local_addr().expect("bound address"))
                        .expect("address sent");
                    tokio::select! {
                        served = axum::serve(listener, app) => served.expect("server runs"),
                        _ = stopped => {}
                    }
                });
            })
            .expect("spawning the server thread");
        let addr = addr_rx.recv().expect("server started");
        LocalServer {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
