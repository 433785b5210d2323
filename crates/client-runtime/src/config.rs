//! Client configuration shared by every API client: timeouts, retries, user agent.

use std::time::Duration;

use crate::{RateLimit, RetryPolicy};

/// Transport settings of one client. `Default` gives safe production values.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Longest time to establish a connection (default 10 s).
    pub connect_timeout: Duration,
    /// Longest time for one attempt, from sending to the last body byte (default 30 s).
    pub timeout: Duration,
    /// When and how failed attempts are retried.
    pub retry: RetryPolicy,
    /// Client-side request rate limit, if any.
    pub rate_limit: Option<RateLimit>,
    /// `User-Agent` header value.
    pub user_agent: String,
    /// Largest response body read (default 64 MiB); a larger one fails the call instead of
    /// exhausting memory.
    pub max_response_bytes: usize,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            rate_limit: None,
            user_agent: user_agent(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
            max_response_bytes: 64 << 20,
        }
    }
}

impl ClientConfig {
    /// The defaults, sent with the user agent `<name>/<version>` of the client crate that asks
    /// (pass it `env!("CARGO_PKG_NAME")` and `env!("CARGO_PKG_VERSION")`).
    pub fn for_crate(name: &str, version: &str) -> Self {
        Self {
            user_agent: user_agent(name, version),
            ..Self::default()
        }
    }

    /// Builds the `reqwest::Client` these settings describe.
    pub fn http_client(&self) -> reqwest::Result<reqwest::Client> {
        reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .user_agent(&self.user_agent)
            .build()
    }
}

/// The `User-Agent` of a client crate: `<crate>/<version>`.
fn user_agent(crate_name: &str, version: &str) -> String {
    format!("{crate_name}/{version}")
}

/// Invalid or missing configuration, naming where it came from and which key is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Where the value came from: a file path or `environment`.
    pub source: String,
    /// The key (or environment variable) at fault.
    pub key: String,
    /// What is wrong with it (never the secret value itself).
    pub message: String,
}

impl ConfigError {
    /// A configuration error for `key` from `source`.
    pub fn new(
        source: impl Into<String>,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            source: source.into(),
            key: key.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.source, self.key, self.message)
    }
}

impl std::error::Error for ConfigError {}
