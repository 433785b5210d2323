//! Building a client: API key, endpoint and transport settings.

use std::sync::Arc;
use std::time::Duration;

use client_runtime::{
    ClientConfig, ConfigError, ENVIRONMENT, Environment, RateLimit, RetryPolicy, Runtime,
    SecretString,
};

use crate::auth::Inner;
use crate::endpoint::{Endpoint, Region};
use crate::generated;
use crate::token::TokenCache;

/// Environment variable holding the API key, read by [`Client::from_env`].
pub const API_KEY_ENV: &str = "HARMONY_SASE_API_KEY";
/// Environment variable holding the region (`us`, `eu`, …) or origin URL; default `us`.
pub const URL_ENV: &str = "HARMONY_SASE_URL";

/// A Harmony SASE API client. Every operation of the API is a method reached through
/// [`Deref`](std::ops::Deref) to the generated client (`client.list_users()…send()`); see
/// the crate documentation. Cloning is cheap and clones share the bearer token and rate limit.
#[derive(Clone, Debug)]
pub struct Client {
    api: generated::Client,
}

impl std::ops::Deref for Client {
    type Target = generated::Client;

    fn deref(&self) -> &generated::Client {
        &self.api
    }
}

impl Client {
    /// A client for `api_key` on a region or origin (`Region::Eu`, `"eu"`,
    /// `"http://127.0.0.1:8080"`), with [`Client::default_config`].
    pub fn new(
        api_key: impl Into<String>,
        endpoint: impl Into<Endpoint>,
    ) -> Result<Self, ConfigError> {
        Self::builder(api_key).endpoint(endpoint).build()
    }

    /// A client configured by `HARMONY_SASE_API_KEY` and `HARMONY_SASE_URL`.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Client::from_env`], reading variables through `lookup` (a blank one counts as
    /// unset).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Environment(lookup);
        let api_key = env.require(API_KEY_ENV)?;
        let endpoint = env
            .get(URL_ENV)
            .map_or(Endpoint::Region(Region::Us), Endpoint::from);
        ClientBuilder {
            source: (ENVIRONMENT, URL_ENV),
            ..Self::builder(api_key).endpoint(endpoint)
        }
        .build()
    }

    /// A builder for finer control (transport settings, a custom `reqwest::Client`).
    pub fn builder(api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            api_key: SecretString::from(api_key.into()),
            endpoint: Endpoint::Region(Region::Us),
            config: Self::default_config(),
            http: None,
            source: ("Client::new", "endpoint"),
        }
    }

    /// The settings a client gets by default: the shared defaults plus the API's documented
    /// budget of 10 requests per 60 s (counted over 61 s, a margin for latency differences
    /// between requests), and a 60 s wait after a 429 (which has no `Retry-After`).
    pub fn default_config() -> ClientConfig {
        ClientConfig {
            rate_limit: RateLimit::new(10, Duration::from_secs(61)),
            retry: RetryPolicy {
                rate_limit_wait: Some(Duration::from_secs(60)),
                ..RetryPolicy::default()
            },
            ..ClientConfig::for_crate(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
        }
    }

    /// The origin requests go to.
    pub fn origin(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(&self.api)
    }
}

/// Builds a [`Client`]; start with [`Client::builder`].
#[derive(Debug)]
pub struct ClientBuilder {
    api_key: SecretString,
    endpoint: Endpoint,
    config: ClientConfig,
    http: Option<reqwest::Client>,
    source: (&'static str, &'static str),
}

impl ClientBuilder {
    /// The region or origin to call (default [`Region::Us`]).
    pub fn endpoint(mut self, endpoint: impl Into<Endpoint>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    /// Transport settings: timeouts, retries, rate limit, user agent (default
    /// [`Client::default_config`]).
    pub fn config(mut self, config: ClientConfig) -> Self {
        self.config = config;
        self
    }

    /// Sends through this `reqwest::Client` (a proxy, extra root certificates) instead of one
    /// built from the configuration's timeouts and user agent; retries and the rate limit
    /// still come from the configuration.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The client these settings describe.
    pub fn build(self) -> Result<Client, ConfigError> {
        let (source, key) = self.source;
        let origin = self.endpoint.origin(source, key)?;
        let http = match self.http {
            Some(http) => http,
            None => self.config.http_client()?,
        };
        let inner = Inner {
            runtime: Runtime::new(&self.config),
            tokens: TokenCache::new(self.api_key, &origin),
        };
        Ok(Client {
            api: generated::Client::new_with_client(&origin, http, Arc::new(inner)),
        })
    }
}
