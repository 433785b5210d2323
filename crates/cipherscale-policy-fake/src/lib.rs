//! An in-memory fake of the Cipherscale policy API, started in-process on 127.0.0.1 with an
//! ephemeral port: for tests, and for trying the `cipherscale-policy` client without an account.
//!
//! ```no_run
//! # async fn run() {
//! use cipherscale_policy_fake::{FakeServer, Injected};
//!
//! let fake = FakeServer::start().await;
//! // Point a client at `fake.base_url()` (`http://127.0.0.1:PORT/qa`) with `fake.api_key()`.
//! // ... make calls ...
//! let sent = fake.requests();
//! assert!(sent.iter().all(|r| r.header("apikey") == Some(fake.api_key())));
//! // Make the next response a truncated JSON body on a 200.
//! fake.inject(Injected::new(200, "application/json", r#"{"id": "#));
//! # }
//! ```
//!
//! # What it serves
//!
//! Under `/{stage}` (default `qa`), like the real API:
//!
//! | request | answer |
//! |---|---|
//! | `GET /tenants/policies` | 200, every policy as a bare JSON array, in ascending `order` |
//! | `POST /tenants/policies` | 201, the created policy |
//! | `GET /tenants/policies/{id}` | 200, the policy |
//! | `PATCH /tenants/policies/{id}` | 200, the policy after applying only the fields present |
//! | `DELETE /tenants/policies/{id}` | 200, empty body |
//!
//! Errors use the vendor's NestJS shape `{"statusCode", "message", "error"}`:
//!
//! - **401** when the `apikey` header is missing (`"Missing API key"`) or wrong
//!   (`"Invalid API key"`), for every path.
//! - **400** when a body is not a JSON object, when a field has the wrong JSON type, when a
//!   required field of a create (`name`, `type`, `action`, `allGroups`, `allUsers`,
//!   `allDevices`, `allResources`) is missing, when `name` is empty, when an id is not a UUID;
//!   `message` is then a list with one sentence per failed constraint, worded like
//!   class-validator (`"name should not be empty"`). A path id that is not a UUID answers
//!   `"Validation failed (uuid is expected)"` like NestJS's `ParseUUIDPipe`.
//! - **404** for an unknown policy id (`"Policy with id … not found"`) and for an unknown path
//!   or method (`"Cannot GET /qa/…"`).
//! - **409** when a create or a rename would give two policies the same name.
//!
//! # How it models the data
//!
//! Enum-valued fields (`type`, `mode`) are kept exactly as sent, known or not, so a client's
//! handling of values it does not know can be tested. Id lists of a request (`groups`, `users`,
//! `devices`, `resources`, `gateways`) come back as lists of `{"id": …}` objects and `rule` as
//! `{"id": …}`, the shapes of the `Policy` response; `sourceIps` as sent. Properties the API
//! does not define are ignored (NestJS's whitelist). A policy gets a new UUID, `createdAt` and
//! `updatedAt` timestamps, `isDefault: false` and the next `order`; optional fields that were
//! not sent are `null` (scalars) or `[]` (lists).
//!
//! # Seeing and steering what happens
//!
//! Every request, whatever its answer, is appended to a log ([`FakeServer::requests`]) with its
//! method, path, query, headers and body. [`FakeServer::inject`] queues raw responses (any
//! status, content type and body) that answer the next requests instead of the API, before
//! the key is checked: malformed bodies, gateway errors, statuses the API does not document.
//! [`FakeServer::policies`] and [`FakeServer::insert_policy`] read and seed the stored state.
//!
//! The server stops when the [`FakeServer`] is dropped. It must be started inside a Tokio
//! runtime (it spawns its accept loop there).

mod log;
mod routes;
mod store;

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;
use tokio::sync::oneshot;

pub use log::{Injected, LoggedRequest};
use store::Store;

/// A running fake Cipherscale policy API; it stops when dropped. See the crate documentation
/// for what it serves.
pub struct FakeServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
}

/// Settings of a fake server; start with [`FakeServer::builder`].
#[derive(Clone, Debug)]
pub struct FakeServerBuilder {
    api_key: Option<String>,
    stage: String,
}

/// What the request handlers share.
pub(crate) struct Shared {
    pub(crate) api_key: String,
    pub(crate) stage: String,
    state: Mutex<State>,
}

/// The mutable part: stored policies, request log, queued responses.
pub(crate) struct State {
    pub(crate) store: Store,
    pub(crate) log: Vec<LoggedRequest>,
    pub(crate) injected: VecDeque<Injected>,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A handler never panics while holding the lock; recover rather than cascade if one did.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl FakeServer {
    /// Starts a fake with the default settings: stage `qa` and a random API key.
    ///
    /// # Panics
    ///
    /// When no port can be bound on 127.0.0.1; use [`FakeServerBuilder::try_start`] to handle
    /// that.
    pub async fn start() -> FakeServer {
        Self::builder().start().await
    }

    /// Settings to change before starting: API key, stage.
    pub fn builder() -> FakeServerBuilder {
        FakeServerBuilder {
            api_key: None,
            stage: "qa".into(),
        }
    }

    /// The base URL to give a client, stage included: `http://127.0.0.1:PORT/qa`.
    pub fn base_url(&self) -> String {
        format!("http://{}/{}", self.addr, self.shared.stage)
    }

    /// The address the fake listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API key the fake accepts in the `apikey` header.
    pub fn api_key(&self) -> &str {
        &self.shared.api_key
    }

    /// The stage, the first path segment of every route (`qa` by default).
    pub fn stage(&self) -> &str {
        &self.shared.stage
    }

    /// Queues `response` as the answer to the next request, whatever its method or path, given
    /// before the API key is checked. Several queued responses answer successive requests in
    /// order, each once; the requests are still logged.
    pub fn inject(&self, response: Injected) {
        self.shared.lock().injected.push_back(response);
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.lock().log.clone()
    }

    /// The most recent request, if any.
    pub fn last_request(&self) -> Option<LoggedRequest> {
        self.shared.lock().log.last().cloned()
    }

    /// How many requests were received so far.
    pub fn request_count(&self) -> usize {
        self.shared.lock().log.len()
    }

    /// How many requests had this method (`"GET"`, …; any case) and exactly this path (stage
    /// included, without the query: `"/qa/tenants/policies"`).
    pub fn count(&self, method: &str, path: &str) -> usize {
        let state = self.shared.lock();
        state
            .log
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path == path)
            .count()
    }

    /// Forgets the logged requests (not the policies).
    pub fn clear_requests(&self) {
        self.shared.lock().log.clear();
    }

    /// The stored policies as the API would list them, in ascending `order`.
    pub fn policies(&self) -> Vec<Value> {
        self.shared.lock().store.list()
    }

    /// Stores `policy` as it is, as if the server already held it: a way to make the fake send
    /// payloads a create would not produce (unknown fields, unusual values). An `id` is added
    /// when it has none (a new UUID); returns the id.
    ///
    /// # Panics
    ///
    /// When `policy` is not a JSON object.
    pub fn insert_policy(&self, policy: Value) -> String {
        self.shared.lock().store.insert(policy)
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

impl std::fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeServer")
            .field("base_url", &self.base_url())
            .field("api_key", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl FakeServerBuilder {
    /// The API key the fake accepts (default: a random `fake-…` key, see
    /// [`FakeServer::api_key`]).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The stage, the first path segment of every route (default `qa`). Slashes are trimmed.
    pub fn stage(mut self, stage: impl Into<String>) -> Self {
        self.stage = stage.into().trim_matches('/').to_string();
        self
    }

    /// Starts the fake on 127.0.0.1 with an ephemeral port.
    ///
    /// # Panics
    ///
    /// When no port can be bound; see [`FakeServerBuilder::try_start`].
    pub async fn start(self) -> FakeServer {
        self.try_start()
            .await
            .expect("binding the fake Cipherscale server to 127.0.0.1:0")
    }

    /// Starts the fake on 127.0.0.1 with an ephemeral port, or says why it could not.
    pub async fn try_start(self) -> std::io::Result<FakeServer> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let api_key = self
            .api_key
            .unwrap_or_else(|| format!("fake-{}", uuid::Uuid::new_v4().simple()));
        let stage = if self.stage.is_empty() {
            "qa".to_string()
        } else {
            self.stage
        };
        let shared = Arc::new(Shared {
            api_key,
            stage,
            state: Mutex::new(State {
                store: Store::default(),
                log: Vec::new(),
                injected: VecDeque::new(),
            }),
        });
        let app = routes::router(shared.clone());
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(error) = serve.await {
                eprintln!("fake Cipherscale server on {addr} stopped: {error}");
            }
        });
        Ok(FakeServer {
            addr,
            shared,
            shutdown: Some(shutdown),
        })
    }
}
