//! The client: API key, region or origin, and transport settings, built by the shared
//! [`client_runtime::ClientBuilder`].

use std::sync::Arc;
use std::time::Duration;

use client_runtime::{Api, ClientConfig, ConfigError, Names, RateLimit, RetryPolicy, SecretString};

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

/// Builds a [`Client`]; start with [`Client::builder`]. Its `Debug` output hides the API key.
pub type ClientBuilder = client_runtime::ClientBuilder<Client>;

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
        base_url: impl Into<Endpoint>,
    ) -> Result<Self, ConfigError> {
        Self::builder(api_key).base_url(base_url).build()
    }

    /// A client configured by `HARMONY_SASE_API_KEY` (required) and `HARMONY_SASE_URL`
    /// (default `us`).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_env_with(|name| std::env::var(name).ok())
    }

    /// Like [`Client::from_env`], reading variables through `lookup` (a blank one counts as
    /// unset).
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        <Self as Api>::from_env(&lookup)?.build()
    }

    /// A builder for finer control (region or origin with `base_url`, transport settings, a
    /// custom `reqwest::Client`); the region defaults to [`Region::Us`].
    pub fn builder(api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(SecretString::from(api_key.into()))
    }

    /// The settings a client gets by default: the shared defaults plus the API's documented
    /// budget of 10 requests per 60 s (counted over 61 s, a margin for latency differences
    /// between requests), and a 60 s wait after a 429 (which has no `Retry-After`).
    pub fn default_config() -> ClientConfig {
        <Self as Api>::default_config()
    }

    /// The origin requests go to (the operations add `/api/…`), without a trailing slash.
    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(&self.api)
    }
}

impl Api for Client {
    type Credentials = SecretString;
    type BaseUrl = Endpoint;
    type Auth = TokenCache;

    const CREDENTIALS: &'static str = "api_key";

    fn default_config() -> ClientConfig {
        ClientConfig {
            rate_limit: RateLimit::new(10, Duration::from_secs(61)),
            retry: RetryPolicy {
                rate_limit_wait: Some(Duration::from_secs(60)),
                ..RetryPolicy::default()
            },
            ..ClientConfig::for_crate(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
        }
    }

    fn connect(
        api_key: SecretString,
        endpoint: Option<Endpoint>,
        names: &Names,
    ) -> Result<(String, TokenCache), ConfigError> {
        let origin = endpoint
            .unwrap_or(Endpoint::Region(Region::Us))
            .origin(names)?;
        let tokens = TokenCache::new(api_key, &origin);
        Ok((origin, tokens))
    }

    fn client(origin: &str, http: reqwest::Client, inner: Arc<Inner>) -> Self {
        Self {
            api: generated::Client::new_with_client(origin, http, inner),
        }
    }

    fn from_env(lookup: &dyn Fn(&str) -> Option<String>) -> Result<ClientBuilder, ConfigError> {
        ClientBuilder::from_variables(lookup, API_KEY_ENV, URL_ENV)
    }
}
