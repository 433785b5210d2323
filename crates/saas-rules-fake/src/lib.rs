//! A fake Akamai SaaS IP/Geo Access API (`config-saas-rules/v2`) behind a fake EdgeGrid
//! gateway, started in-process on 127.0.0.1 with an ephemeral port.
//!
//! Every request first meets the gateway ([`fake_kit::edgegrid`]): it parses the
//! `Authorization` header, recomputes the `EG1-HMAC-SHA256` signature itself (with `hmac`,
//! `sha2` and `base64`, not the client's signer) over the request as it arrived — method, scheme `http`, the `Host`
//! header, the path and query exactly as received, and for POST the SHA-256 of the first
//! `max_body` bytes of the body — and refuses a request with unknown tokens, a stale
//! timestamp, a wrong signature or a nonce it has seen before, with the gateway's
//! problem+json 400/401 bodies. Requests that pass are counted
//! ([`FakeServer::verified_count`]).
//!
//! Behind the gateway it keeps policies, versions and activations in memory and answers like
//! the seed's examples: `{responseCode, response, i18nCode, englishMessage}` envelopes with
//! `null` fields, the bare activation array, a 409 with the existing policy in the envelope
//! when a name is taken, and problem+json 400/404 errors.
//!
//! The request log, injections and shutdown come from [`fake_kit::Server`], which
//! [`FakeServer`] dereferences to: tests read a log of every request ([`LoggedRequest`], with
//! the gateway's reason for a refusal and the `client_token` and `access_token` of the
//! `Authorization` header replaced by stand-ins) and inject raw responses and faults
//! ([`Injection`], e.g. Akamai's 429 from [`rate_limited`]). An injection answers only a
//! request that passed the gateway, and its path is taken below [`BASE_PATH`].
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

use std::ops::Deref;
use std::sync::Arc;
use std::time::SystemTime;

use fake_kit::edgegrid::{Credential, EdgeGridGateway};
use fake_kit::{Secret, Server, Shared};
use serde_json::{Value, json};
use state::{NewPolicy, State};

pub use fake_kit::{Injection, LoggedRequest, Method};
pub use state::SeededPolicy;

/// The path of the API under the host.
pub const BASE_PATH: &str = "/config-saas-rules/v2";

/// The client token the fake accepts by default.
pub const CLIENT_TOKEN: &str = "akab-fake-client-token-0000000000000000";
/// The client secret the fake verifies with by default.
pub const CLIENT_SECRET: &str = "ZmFrZS1jbGllbnQtc2VjcmV0LWZvci10ZXN0cw==";
/// The access token the fake accepts by default.
pub const ACCESS_TOKEN: &str = "akab-fake-access-token-0000000000000000";

/// A running fake server; it stops when dropped. The request log, injections and shutdown
/// come from [`fake_kit::Server`], which it dereferences to.
pub struct FakeServer {
    server: Server,
    state: Shared<State>,
    gateway: Arc<EdgeGridGateway>,
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

    /// Credentials for this fake: host [`Server::origin`], the fake's tokens and its
    /// `max_body`.
    pub fn credentials(&self) -> edgegrid::Credentials {
        let secrets = self.gateway.credential().clone();
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
        let secrets = self.gateway.credential();
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

    /// How many requests passed the EdgeGrid check.
    pub fn verified_count(&self) -> usize {
        self.gateway.verified()
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

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock()
    }
}

impl Deref for FakeServer {
    type Target = Server;

    fn deref(&self) -> &Server {
        &self.server
    }
}

/// Akamai's 429: `X-RateLimit-Limit`, `X-RateLimit-Remaining: 0` and `X-RateLimit-Next`
/// (RFC 3339 with milliseconds) set to `next`, with a rate-limit problem body; for any request
/// until narrowed.
pub fn rate_limited(next: SystemTime) -> Injection {
    let next = chrono::DateTime::<chrono::Utc>::from(next)
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let body = json!({
        "type": "https://problems.luna.akamaiapis.net/-/rate-limit/exceeded",
        "title": "Too Many Requests",
        "status": 429,
        "detail": "You have exceeded the rate limit for this API.",
        "instance": BASE_PATH,
        "httpStatus": 429,
        "rateLimit": 100,
        "rateLimitRemaining": 0,
    });
    Injection::status(429)
        .header("Content-Type", "application/problem+json")
        .header("X-RateLimit-Limit", "100")
        .header("X-RateLimit-Remaining", "0")
        .header("X-RateLimit-Next", &next)
        .body(body.to_string())
}

impl FakeServerBuilder {
    /// How many leading bytes of a POST body the content hash covers (default 131072); the
    /// credentials of [`FakeServer::credentials`] carry the same value.
    pub fn max_body(mut self, max_body: usize) -> Self {
        self.max_body = max_body;
        self
    }

    /// Binds 127.0.0.1 on an ephemeral port and starts serving.
    ///
    /// # Panics
    ///
    /// When no port can be bound on 127.0.0.1.
    pub async fn start(self) -> FakeServer {
        let state = Shared::new(State::new());
        let gateway = Arc::new(EdgeGridGateway::new(Credential {
            client_token: CLIENT_TOKEN.into(),
            client_secret: CLIENT_SECRET.into(),
            access_token: ACCESS_TOKEN.into(),
            max_body: self.max_body,
        }));
        let gate = gateway.clone();
        let server = Server::builder()
            .base_path(BASE_PATH)
            .secret(Secret::HeaderParam("authorization", "client_token"))
            .secret(Secret::HeaderParam("authorization", "access_token"))
            .gateway(move |parts, body| routes::gateway(&gate, parts, body))
            .start(routes::router(state.clone()))
            .await
            .expect("binding 127.0.0.1 on an ephemeral port");
        FakeServer {
            server,
            state,
            gateway,
        }
    }
}
