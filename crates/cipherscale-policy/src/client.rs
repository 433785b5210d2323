//! Building a client: API key, base URL (stage included) and transport settings.

use std::sync::Arc;

use client_runtime::{
    ClientConfig, ConfigError, ENVIRONMENT, Environment, ExposeSecret, Runtime, SecretString,
};
use progenitor_client::ClientInfo;

use crate::auth::{Inner, is_valid_header_value};
use crate::generated;

/// Environment variable holding the API key, read by [`Client::from_env`].
pub const API_KEY_ENV: &str = "CIPHERSCALE_API_KEY";
/// Environment variable holding the base URL, read by [`Client::from_env`]; default
/// [`DEFAULT_BASE_URL`].
pub const URL_ENV: &str = "CIPHERSCALE_URL";
/// The public API's base URL, stage included.
pub const DEFAULT_BASE_URL: &str = "https://public-api.cipherscale.com/qa";

/// A Cipherscale policy API client. Every operation of the API is a method reached through
/// [`Deref`](std::ops::Deref) to the generated client (`client.list_policies().send()`); see
/// the crate documentation. Cloning is cheap; clones share the connection pool and settings.
///
/// Its `Debug` output shows the base URL and settings, never the API key.
#[derive(Clone)]
pub struct Client {
    api: generated::Client,
}

impl std::ops::Deref for Client {
    type Target = generated::Client;

    fn deref(&self) -> &generated::Client {
        &self.api
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("api_key", &"[redacted]")
            .field("runtime", &self.api.inner().runtime)
            .finish()
    }
}

impl Client {
    /// A client for `api_key` at `base_url` (stage included, e.g. [`DEFAULT_BASE_URL`] or
    /// `http://127.0.0.1:8080/qa`), with [`Client::default_config`].
    pub fn new(
        api_key: impl Into<String>,
        base_url: impl Into<String>,
    ) -> Result<Self, ConfigError> {
        Self::builder(api_key).base_url(base_url).build()
    }

    /// A client configured by `CIPHERSCALE_API_KEY` (required) and `CIPHERSCALE_URL`
    /// (default [`DEFAULT_BASE_URL`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Client::from_env`], reading variables through `lookup` (handy in tests:
    /// `Client::from_lookup(|name| vars.get(name).cloned())`).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Environment(lookup);
        let api_key = env.require(API_KEY_ENV)?;
        let base_url = env
            .get(URL_ENV)
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        ClientBuilder {
            names: FROM_ENVIRONMENT,
            ..Self::builder(api_key).base_url(base_url)
        }
        .build()
    }

    /// A builder for finer control over the transport (timeouts, retries, rate limit, user
    /// agent); the base URL defaults to [`DEFAULT_BASE_URL`].
    pub fn builder(api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            api_key: SecretString::from(api_key.into()),
            base_url: DEFAULT_BASE_URL.to_string(),
            config: Self::default_config(),
            http: None,
            names: BUILDER,
        }
    }

    /// The settings a client gets by default: the shared defaults (no client-side rate limit:
    /// the API documents none) with this crate's user agent.
    pub fn default_config() -> ClientConfig {
        ClientConfig::for_crate(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
    }

    /// The base URL requests go to, stage included, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.api.baseurl()
    }
}

/// Builds a [`Client`]; start with [`Client::builder`]. Its `Debug` output hides the API key.
#[derive(Debug)]
pub struct ClientBuilder {
    api_key: SecretString,
    base_url: String,
    config: ClientConfig,
    http: Option<reqwest::Client>,
    names: Names,
}

/// How a [`ConfigError`] names where each value came from.
#[derive(Clone, Copy, Debug)]
struct Names {
    source: &'static str,
    api_key: &'static str,
    base_url: &'static str,
}

const BUILDER: Names = Names {
    source: "Client::builder",
    api_key: "api_key",
    base_url: "base_url",
};
const FROM_ENVIRONMENT: Names = Names {
    source: ENVIRONMENT,
    api_key: API_KEY_ENV,
    base_url: URL_ENV,
};

impl ClientBuilder {
    /// The base URL, stage included (default [`DEFAULT_BASE_URL`]); checked by
    /// [`ClientBuilder::build`].
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
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

    /// The client these settings describe, or a [`ConfigError`] naming the source and key of
    /// the value at fault.
    pub fn build(self) -> Result<Client, ConfigError> {
        let Names {
            source,
            api_key: key_name,
            base_url: url_name,
        } = self.names;
        let api_key = self.api_key.expose_secret().trim();
        if api_key.is_empty() {
            return Err(ConfigError::new(source, key_name, "is empty"));
        }
        if !is_valid_header_value(api_key) {
            return Err(ConfigError::new(
                source,
                key_name,
                "contains characters not allowed in an HTTP header",
            ));
        }
        let base_url = parse_base_url(&self.base_url)
            .map_err(|message| ConfigError::new(source, url_name, message))?;
        let http = match self.http {
            Some(http) => http,
            None => self.config.http_client()?,
        };
        let inner = Inner {
            runtime: Runtime::new(&self.config),
            api_key: SecretString::from(api_key.to_string()),
        };
        Ok(Client {
            api: generated::Client::new_with_client(&base_url, http, Arc::new(inner)),
        })
    }
}

/// The base URL without a trailing slash, or why it is not one: an http(s) URL with a host and
/// a stage path, without credentials, query or fragment. The message never repeats userinfo.
fn parse_base_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    let url = url::Url::parse(text).map_err(|e| format!("`{text}` is not a URL: {e}"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain credentials (pass the API key separately)".into());
    }
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!("`{url}` is not an http(s) URL"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("`{url}` must not have a query or fragment"));
    }
    if url.path().trim_matches('/').is_empty() {
        return Err(format!(
            "`{url}` has no stage path (expected e.g. {DEFAULT_BASE_URL})"
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_keep_the_stage() {
        assert_eq!(
            parse_base_url(" http://127.0.0.1:8080/qa/ ").unwrap(),
            "http://127.0.0.1:8080/qa"
        );
        assert_eq!(parse_base_url(DEFAULT_BASE_URL).unwrap(), DEFAULT_BASE_URL);
        assert!(
            parse_base_url("https://public-api.cipherscale.com")
                .unwrap_err()
                .contains("stage")
        );
        assert!(parse_base_url("ftp://x/qa").is_err());
        assert!(parse_base_url("https://x/qa?a=1").is_err());
        assert!(parse_base_url("not a url").is_err());
        let error = parse_base_url("https://user:hunter2@x/qa").unwrap_err();
        assert!(!error.contains("hunter2"), "{error}");
    }

    #[test]
    fn builder_errors_name_source_and_key() {
        let error = Client::new("key", "mars").unwrap_err();
        assert_eq!(
            (error.source.as_str(), error.key.as_str()),
            ("Client::builder", "base_url")
        );
        let error = Client::new("  ", DEFAULT_BASE_URL).unwrap_err();
        assert_eq!(
            (error.key.as_str(), error.message.as_str()),
            ("api_key", "is empty")
        );
        let error = Client::new("bad\nkey-s3cret", DEFAULT_BASE_URL).unwrap_err();
        assert_eq!(error.key, "api_key");
        assert!(!error.to_string().contains("s3cret"), "{error}");
    }

    #[test]
    fn environment_errors_name_the_variable() {
        let error = Client::from_lookup(|_| None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "environment: CIPHERSCALE_API_KEY: not set"
        );
        let error = Client::from_lookup(|name| match name {
            API_KEY_ENV => Some("key".into()),
            _ => Some("http://127.0.0.1:1".into()),
        })
        .unwrap_err();
        assert_eq!(
            (error.source.as_str(), error.key.as_str()),
            ("environment", URL_ENV)
        );
    }

    #[test]
    fn environment_defaults_to_the_public_api() {
        let client =
            Client::from_lookup(|name| (name == API_KEY_ENV).then(|| "key".to_string())).unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        let client = Client::from_lookup(|name| match name {
            API_KEY_ENV => Some("key".into()),
            _ => Some("http://127.0.0.1:9/dev/".into()),
        })
        .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:9/dev");
    }

    #[test]
    fn debug_never_shows_the_key() {
        let key = "cs-live-0123456789abcdef";
        let client = Client::new(key, DEFAULT_BASE_URL).unwrap();
        for text in [
            format!("{client:?}"),
            format!("{client:#?}"),
            format!("{:?}", Client::builder(key)),
        ] {
            assert!(!text.contains(key), "{text}");
        }
        assert!(format!("{client:?}").contains("[redacted]"));
    }
}
