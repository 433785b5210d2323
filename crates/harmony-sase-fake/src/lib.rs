//! A fake Harmony SASE API server that behaves like the real one for the documented
//! workflows, started in-process on 127.0.0.1 with an ephemeral port.
//!
//! It serves the token exchange at `/api/v1/auth/authorize` (outside `/api/rest`), issues
//! expiring bearer tokens, keeps users, groups, memberships, add-ons and networks in memory,
//! pages lists as `{data, page, totalPage, itemsTotal}`, adds fields no client knows, answers
//! errors as `{id, message}`, and can rate-limit with a 429 that has no `Retry-After`, like the
//! real API. Tests can inject raw responses and faults and read a log of every request
//! (through [`fake_kit`]).
//!
//! ```no_run
//! # async fn run() {
//! let fake = harmony_sase_fake::FakeServer::builder().users(25).start().await;
//! // Point `harmony_sase::Client::new(fake.api_key(), fake.origin())` at it.
//! assert!(fake.origin().starts_with("http://127.0.0.1:"));
//! # }
//! ```

mod routes;
mod state;

use std::ops::Deref;
use std::time::Duration;

use fake_kit::{Secret, Server, Shared};
use state::State;

pub use fake_kit::{Injection, LoggedRequest, Method};
pub use state::ExpireFormat;

/// A running fake server; it stops when dropped. The request log, injections and shutdown
/// come from [`fake_kit::Server`], which it dereferences to.
pub struct FakeServer {
    server: Server,
    state: Shared<State>,
}

/// Settings of a fake server; start with [`FakeServer::builder`].
#[derive(Clone, Debug)]
pub struct FakeServerBuilder {
    api_key: String,
    token_lifetime: Duration,
    reported_lifetime: Option<Duration>,
    expire_format: ExpireFormat,
    users: usize,
    rate_limit: Option<(usize, Duration)>,
}

impl FakeServer {
    /// A fake with the default settings (see [`FakeServer::builder`]).
    pub async fn start() -> FakeServer {
        Self::builder().start().await
    }

    /// Settings: API key `fake-api-key`, tokens valid 60 minutes with an RFC 3339 expiry,
    /// three seeded users, two networks, no rate limit.
    pub fn builder() -> FakeServerBuilder {
        FakeServerBuilder {
            api_key: "fake-api-key".into(),
            token_lifetime: Duration::from_secs(3600),
            reported_lifetime: None,
            expire_format: ExpireFormat::Rfc3339,
            users: 3,
            rate_limit: None,
        }
    }

    /// The API key the fake accepts.
    pub fn api_key(&self) -> String {
        self.state.lock().api_key.clone()
    }

    /// How many token exchanges succeeded or failed so far.
    pub fn authorize_count(&self) -> usize {
        self.state.lock().authorize_count
    }

    /// How many requests were answered 429 by the rate limit.
    pub fn throttled_count(&self) -> usize {
        self.state.lock().throttled
    }

    /// Every bearer token issued so far, oldest first (the log shows them redacted).
    pub fn issued_tokens(&self) -> Vec<String> {
        self.state.lock().issued.clone()
    }

    /// Makes every token issued so far expired, as an hour passing would.
    pub fn expire_tokens(&self) {
        self.state.lock().tokens.clear();
    }
}

impl Deref for FakeServer {
    type Target = Server;

    fn deref(&self) -> &Server {
        &self.server
    }
}

impl FakeServerBuilder {
    /// The API key the fake accepts.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// How long issued tokens stay valid.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// The lifetime written in `accessTokenExpire`, when it should differ from the real one
    /// (a past expiry makes a client refresh before every call).
    pub fn reported_lifetime(mut self, lifetime: Duration) -> Self {
        self.reported_lifetime = Some(lifetime);
        self
    }

    /// How `accessTokenExpire` is written in token responses.
    pub fn expire_format(mut self, format: ExpireFormat) -> Self {
        self.expire_format = format;
        self
    }

    /// How many users to seed (`user1@example.com` …).
    pub fn users(mut self, count: usize) -> Self {
        self.users = count;
        self
    }

    /// Answer 429 (without `Retry-After`) past `requests` per `window`, counting every request
    /// that no injection answered.
    pub fn rate_limit(mut self, requests: usize, window: Duration) -> Self {
        self.rate_limit = Some((requests, window));
        self
    }

    /// Binds 127.0.0.1 on an ephemeral port and starts serving; the log hides bearer tokens
    /// and the `apiKey` of token exchanges.
    ///
    /// # Panics
    ///
    /// When no port can be bound on 127.0.0.1.
    pub async fn start(self) -> FakeServer {
        let state = Shared::new(State::new(
            self.api_key,
            self.token_lifetime,
            self.reported_lifetime.unwrap_or(self.token_lifetime),
            self.expire_format,
            self.users,
            self.rate_limit,
        ));
        let server = Server::builder()
            .secret(Secret::Credentials("authorization"))
            .secret(Secret::JsonField("apiKey"))
            .start(routes::router(state.clone()))
            .await
            .expect("binding 127.0.0.1 on an ephemeral port");
        FakeServer { server, state }
    }
}
