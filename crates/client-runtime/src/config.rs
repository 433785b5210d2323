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

    /// Builds the `reqwest::Client` these settings describe (timeouts, user agent).
    pub fn http_client(&self) -> Result<reqwest::Client, ConfigError> {
        reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .user_agent(&self.user_agent)
            .build()
            .map_err(|e| ConfigError::new("ClientConfig", "http client", e.to_string()))
    }
}

/// Where a [`ConfigError`] about an environment variable says the value came from.
pub const ENVIRONMENT: &str = "environment";

/// Environment variables as a client reads its settings from them: through a lookup (the
/// process environment, or a map in tests), a blank value counting as unset.
pub struct Environment<L>(pub L);

impl<L: Fn(&str) -> Option<String>> Environment<L> {
    /// The value of `name`; `None` when it is unset or blank.
    pub fn get(&self, name: &str) -> Option<String> {
        (self.0)(name).filter(|value| !value.trim().is_empty())
    }

    /// The value of `name`, or an error naming the variable when it is unset or blank.
    pub fn require(&self, name: &str) -> Result<String, ConfigError> {
        self.get(name)
            .ok_or_else(|| ConfigError::new(ENVIRONMENT, name, "not set"))
    }
}

/// The `User-Agent` of a client crate: `<crate>/<version>`.
fn user_agent(crate_name: &str, version: &str) -> String {
    format!("{crate_name}/{version}")
}

/// Invalid or missing configuration, naming where it came from and which key is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Where the value came from: a file path, [`ENVIRONMENT`], or the call that was given it.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_variables_are_unset_and_required_ones_are_named() {
        let env = Environment(|name: &str| match name {
            "SET" => Some("value".to_string()),
            "BLANK" => Some(" \t".to_string()),
            _ => None,
        });
        assert_eq!(env.get("SET").as_deref(), Some("value"));
        assert_eq!(env.get("BLANK"), None);
        assert_eq!(env.require("SET"), Ok("value".to_string()));
        for name in ["BLANK", "MISSING"] {
            assert_eq!(
                env.require(name).unwrap_err().to_string(),
                format!("environment: {name}: not set")
            );
        }
    }

    #[test]
    fn an_unusable_user_agent_names_the_setting() {
        let config = ClientConfig {
            user_agent: "bad\nagent".into(),
            ..ClientConfig::default()
        };
        let error = config.http_client().unwrap_err();
        assert_eq!(
            (error.source.as_str(), error.key.as_str()),
            ("ClientConfig", "http client")
        );
    }
}
