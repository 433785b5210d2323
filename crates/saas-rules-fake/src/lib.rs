//! A fake Akamai SaaS IP/Geo Access API (`config-saas-rules/v2`) behind a fake EdgeGrid
//! gateway, started in-process on 127.0.0.1 with an ephemeral port.
//!
//! Every request first meets the gateway: the fake parses the `Authorization` header,
//! recomputes the `EG1-HMAC-SHA256` signature itself (with `hmac`, `sha2` and `base64`, not
//! the client's signer) over the request as it arrived — method, scheme `http`, the `Host`
//! header, the path and query exactly as received, and for POST the SHA-256 of the first
//! `max_body` bytes of the body — and refuses a request with unknown tokens, a stale
//! timestamp, a wrong signature or a nonce it has seen before, with the gateway's
//! problem+json 400/401 bodies. Requests that pass are counted
//! ([`FakeServer::verified_count`]).
//!
//! Behind the gateway it keeps policies, versions and activations in memory and answers like
//! the seed's examples: `{responseCode, response, i18nCode, englishMessage}` envelopes with
//! `null` fields, the bare activation array, a 409 with the existing policy in the envelope
//! when a name is taken, and problem+json 400/404 errors. Tests can inject raw responses
//! ([`Injected`], including Akamai's 429 with `X-RateLimit-*` headers) and read a log of
//! every request ([`LoggedRequest`]).
//!
//! ```no_run
//! # async fn run() {
//! let fake = saas_rules_fake::FakeServer::start().await;
//! let seeded = fake.seed_policy("demo", Some("1-1TJZH5"), Some("15225"));
//! // `fake.credentials()` (an `edgegrid::Credentials` for `http://127.0.0.1:PORT`) or
//! // `fake.edgerc()` configure a client.
//! # let _ = (seeded, fake.credentials());
//! # }
//! ```

mod activations;
mod routes;
mod state;
mod verify;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;
pub use state::{Injected, LoggedRequest, SeededPolicy};
use state::{NewPolicy, Secrets, State};

/// The path of the API under the host.
pub const BASE_PATH: &str = "/config-saas-rules/v2";

/// The client token the fake accepts by default.
pub const CLIENT_TOKEN: &str = "akab-fake-client-token-0000000000000000";
/// The client secret the fake verifies with by default.
pub const CLIENT_SECRET: &str = "ZmFrZS1jbGllbnQtc2VjcmV0LWZvci10ZXN0cw==";
/// The access token the fake accepts by default.
pub const ACCESS_TOKEN: &str = "akab-fake-access-token-0000000000000000";

/// A running fake server; it stops when dropped.
pub struct FakeServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

/// Settings of a fake server; start with [`FakeServer::builder`].
#[derive(Clone, Debug)]
pub struct FakeServerBuilder {
    max_body: usize,
}

impl FakeServer {
    /// A fake with the default settings (see [`FakeServer::builder`]).
    pub async fn start() -> FakeServer {
        Self::builder().start().await
    }

    /// Settings: the credential [`CLIENT_TOKEN`], [`CLIENT_SECRET`], [`ACCESS_TOKEN`], a
    /// `max_body` of 131072 bytes, no policies.
    pub fn builder() -> FakeServerBuilder {
        FakeServerBuilder {
            max_body: edgegrid::DEFAULT_MAX_BODY,
        }
    }

    /// The origin, e.g. `http://127.0.0.1:41234`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Credentials for this fake: host [`FakeServer::origin`], the fake's tokens and its
    /// `max_body`.
    pub fn credentials(&self) -> edgegrid::Credentials {
        let secrets = self.state().secrets.clone();
        edgegrid::Credentials::new(
            self.origin(),
            secrets.client_token,
            secrets.client_secret,
            secrets.access_token,
        )
        .expect("the fake's origin is a valid host")
        .with_max_body(secrets.max_body)
    }

    /// An `.edgerc` file with a `[default]` section for this fake.
    pub fn edgerc(&self) -> String {
        let secrets = self.state().secrets.clone();
        format!(
            "[default]\nhost = {}\nclient_token = {}\nclient_secret = {}\naccess_token = {}\n\
             max_body = {}\n",
            self.origin(),
            secrets.client_token,
            secrets.client_secret,
            secrets.access_token,
            secrets.max_body
        )
    }

    /// Every request received so far, in order, with its EdgeGrid verdict.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.state().log.clone()
    }

    /// How many requests passed the EdgeGrid check.
    pub fn verified_count(&self) -> usize {
        self.state().verified
    }

    /// Serves `response` to the next verified request it matches (see [`Injected`]);
    /// queued responses are served in order.
    pub fn inject(&self, response: Injected) {
        self.state().injected.push_back(response);
    }

    /// Creates a policy (version 1, one `clientip` rule) in a contract and group, as
    /// `createPolicy` would, without a request.
    pub fn seed_policy(
        &self,
        name: &str,
        contract_id: Option<&str>,
        group_id: Option<&str>,
    ) -> SeededPolicy {
        let rules = serde_json::json!([{
            "type": "saMatchRule", "end": 0, "id": 0, "name": "rule 1", "start": 0,
            "matches": [{
                "caseSensitive": false, "matchOperator": "contains", "matchType": "clientip",
                "matchValue": "192.0.2.0/24", "negate": false
            }]
        }]);
        let policy = self.state().create(NewPolicy {
            name,
            description: Value::Null,
            match_rules: rules,
            contract_id: contract_id.map(str::to_owned),
            group_id: group_id.map(str::to_owned),
        });
        SeededPolicy {
            id: policy["id"].as_i64().unwrap_or_default(),
            policy_id: policy["policyId"].as_i64().unwrap_or_default(),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        routes::lock(&self.state)
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeServerBuilder {
    /// How many leading bytes of a POST body the content hash covers (default 131072); the
    /// credentials of [`FakeServer::credentials`] carry the same value.
    pub fn max_body(mut self, max_body: usize) -> Self {
        self.max_body = max_body;
        self
    }

    /// Binds 127.0.0.1 on an ephemeral port and starts serving.
    pub async fn start(self) -> FakeServer {
        let state = Arc::new(Mutex::new(State::new(Secrets {
            client_token: CLIENT_TOKEN.into(),
            client_secret: CLIENT_SECRET.into(),
            access_token: ACCESS_TOKEN.into(),
            max_body: self.max_body,
        })));
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("binding 127.0.0.1 on an ephemeral port");
        let addr = listener.local_addr().expect("bound address");
        let app = routes::router(state.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("fake server runs");
        });
        FakeServer { addr, state, task }
    }
}
