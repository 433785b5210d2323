//! The client: API key, region or origin, and transport settings, built by the shared
//! [`client_runtime::ClientBuilder`].

use std::time::Duration;

use client_runtime::{
    Api, ClientConfig, ConfigError, Names, RateLimit, RetryPolicy, SecretString, UrlPath,
    parse_base_url,
};

use crate::auth::{Authorize, TokenCache};
use crate::generated;
use crate::region::Region;

/// Environment variable holding the API key, read by [`Client::from_env`].
pub const API_KEY_ENV: &str = "HARMONY_SASE_API_KEY";
/// Environment variable holding the region (`us`, `eu`, …) or origin URL; default `us`.
pub const URL_ENV: &str = "HARMONY_SASE_URL";

client_runtime::client! {
    /// A Harmony SASE API client. Every operation of the API is a method reached through
    /// [`Deref`](std::ops::Deref) to the generated client (`client.list_users()…send()`); see
    /// the crate documentation. Cloning is cheap and clones share the bearer token and rate
    /// limit. [`Client::from_env`] reads `HARMONY_SASE_API_KEY` (required) and
    /// `HARMONY_SASE_URL` (default `us`); [`Client::base_url`] is the origin, to which the
    /// operations add `/api/…`.
    pub struct Client(generated::Client, TokenCache);
}

impl Client {
    /// A client for `api_key` on a region or origin (`Region::Eu`, `"eu"`,
    /// `"http://127.0.0.1:8080"`), with [`Client::default_config`].
    pub fn new(
        api_key: impl Into<String>,
        base_url: impl Into<String>,
    ) -> Result<Self, ConfigError> {
        Self::builder(api_key.into()).base_url(base_url).build()
    }
}

impl Api for Client {
    type Credentials = SecretString;
    /// A region's name (any case) or an origin URL; a [`Region`] converts into its origin.
    type BaseUrl = String;
    const CREDENTIALS: &'static str = "api_key";

    /// The shared defaults plus the API's documented budget of 10 requests per 60 s (counted
    /// over 61 s, a margin for latency differences between requests), and a 60 s wait after a
    /// 429 (which has no `Retry-After`).
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

    /// Fails when the base URL (default `us`) is neither a region nor an http(s) origin.
    fn connect(
        api_key: SecretString,
        base_url: Option<String>,
        names: &Names,
    ) -> Result<(String, TokenCache), ConfigError> {
        let text = base_url.as_deref().map_or(Region::Us.name(), str::trim);
        let origin = match Region::ALL
            .iter()
            .find(|r| r.name().eq_ignore_ascii_case(text))
        {
            Some(region) => region.origin().to_string(),
            None => parse_base_url(text, UrlPath::None).map_err(|e| {
                names.base_url_error(format!(
                    "neither a region (us, eu, au, in, ca) nor an origin URL: {e}"
                ))
            })?,
        };
        let tokens = TokenCache::new(api_key, Authorize::new(&origin));
        Ok((origin, tokens))
    }

    fn from_env(lookup: &dyn Fn(&str) -> Option<String>) -> Result<ClientBuilder, ConfigError> {
        ClientBuilder::from_variables(lookup, API_KEY_ENV, URL_ENV)
    }
}
