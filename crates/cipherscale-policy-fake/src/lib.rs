//! An in-memory fake of the Cipherscale policy API, started in-process on 127.0.0.1 with an
//! ephemeral port: for tests, and for trying the `cipherscale-policy` client without an account.
//!
//! ```no_run
//! # async fn run() {
//! use cipherscale_policy_fake::{FakeServer, Injection};
//!
//! let fake = FakeServer::start().await;
//! // Point a client at `fake.base_url()` (`http://127.0.0.1:PORT/qa`) with `fake.api_key()`.
//! // ... make calls ...
//! let sent = fake.requests();
//! let key = fake.redacted(fake.api_key()); // the log keeps a stand-in, never the key
//! assert!(sent.iter().all(|r| r.header("apikey") == Some(key.as_str())));
//! // Make the next response a truncated JSON body on a 200.
//! fake.inject(Injection::status(200).json(r#"{"id": "#));
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
//! The log, injections and shutdown come from [`fake_kit::Server`], which [`FakeServer`]
//! dereferences to. Every request, whatever its answer, is appended to a log
//! ([`Server::requests`](fake_kit::Server::requests)) with its method, path, query, headers
//! and body, the `apikey` and `Authorization` values replaced by stand-ins.
//! [`Server::inject`](fake_kit::Server::inject) queues raw responses and faults
//! ([`Injection`]) that answer matching requests instead of the API, before the key is
//! checked: malformed bodies, gateway errors, statuses the API does not document, closed
//! connections. Their paths are taken below the stage. [`FakeServer::policies`] and
//! [`FakeServer::insert_policy`] read and seed the stored state.
//!
//! The server stops when the [`FakeServer`] is dropped. It must be started inside a Tokio
//! runtime (it spawns its accept loop there).

mod routes;
mod store;

use std::ops::Deref;
use std::sync::Arc;

use fake_kit::{Secret, Server, Shared};
use serde_json::Value;

pub use fake_kit::{Injection, LoggedRequest, Method};
use store::Store;

/// A running fake Cipherscale policy API; it stops when dropped. See the crate documentation
/// for what it serves; the request log and injections come from [`fake_kit::Server`], which it
/// dereferences to.
pub struct FakeServer {
    server: Server,
    api_key: Arc<str>,
    stage: String,
    store: Shared<Store>,
}

/// Settings of a fake server; start with [`FakeServer::builder`].
#[derive(Clone, Debug)]
pub struct FakeServerBuilder {
    api_key: Option<String>,
    stage: String,
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

    /// The API key the fake accepts in the `apikey` header.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The stage, the first path segment of every route (`qa` by default).
    pub fn stage(&self) -> &str {
        &self.stage
    }

    /// The stored policies as the API would list them, in ascending `order`.
    pub fn policies(&self) -> Vec<Value> {
        self.store.lock().list()
    }

    /// Stores `policy` as it is, as if the server already held it: a way to make the fake send
    /// payloads a create would not produce (unknown fields, unusual values). An `id` is added
    /// when it has none (a new UUID); returns the id.
    ///
    /// # Panics
    ///
    /// When `policy` is not a JSON object.
    pub fn insert_policy(&self, policy: Value) -> String {
        self.store.lock().insert(policy)
    }
}

impl Deref for FakeServer {
    type Target = Server;

    fn deref(&self) -> &Server {
        &self.server
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
        let api_key: Arc<str> = match self.api_key {
            Some(key) => key.into(),
            None => format!("fake-{}", uuid::Uuid::new_v4().simple()).into(),
        };
        let stage = if self.stage.is_empty() {
            "qa".to_string()
        } else {
            self.stage
        };
        let store = Shared::new(Store::default());
        let server = Server::builder()
            .base_path(&stage)
            .secret(Secret::Header("apikey"))
            .secret(Secret::Credentials("authorization"))
            .start(routes::router(&stage, api_key.clone(), store.clone()))
            .await?;
        Ok(FakeServer {
            server,
            api_key,
            stage,
            store,
        })
    }
}
