//! The client: API key, base URL (stage included) and transport settings, built by the shared
//! [`client_runtime::ClientBuilder`].

use client_runtime::{
    Api, ClientConfig, ConfigError, HeaderKey, Names, SecretString, UrlPath, parse_base_url,
};
use reqwest::header::HeaderName;

use crate::generated;

/// Environment variable holding the API key, read by [`Client::from_env`].
pub const API_KEY_ENV: &str = "CIPHERSCALE_API_KEY";
/// Environment variable holding the base URL, read by [`Client::from_env`]; default
/// [`DEFAULT_BASE_URL`].
pub const URL_ENV: &str = "CIPHERSCALE_URL";
/// The public API's base URL, stage included.
pub const DEFAULT_BASE_URL: &str = "https://public-api.cipherscale.com/qa";
/// The header the API reads the tenant's key from, on every attempt.
const API_KEY_HEADER: HeaderName = HeaderName::from_static("apikey");

client_runtime::client! {
    /// A Cipherscale policy API client. Every operation of the API is a method reached through
    /// [`Deref`](std::ops::Deref) to the generated client (`client.list_policies().send()`);
    /// see the crate documentation. Cloning is cheap; clones share the connection pool and
    /// settings. [`Client::from_env`] reads `CIPHERSCALE_API_KEY` (required) and
    /// `CIPHERSCALE_URL` (default [`DEFAULT_BASE_URL`]).
    ///
    /// Its `Debug` output shows the base URL and settings, never the API key.
    pub struct Client(generated::Client, HeaderKey);
}

impl Client {
    /// A client for `api_key` at `base_url` (stage included, e.g. [`DEFAULT_BASE_URL`] or
    /// `http://127.0.0.1:8080/qa`), with [`Client::default_config`].
    pub fn new(
        api_key: impl Into<String>,
        base_url: impl Into<String>,
    ) -> Result<Self, ConfigError> {
        Self::builder(api_key.into()).base_url(base_url).build()
    }
}

impl Api for Client {
    type Credentials = SecretString;
    type BaseUrl = String;
    const CREDENTIALS: &'static str = "api_key";

    /// The shared defaults (no client-side rate limit: the API documents none) with this
    /// crate's user agent.
    fn default_config() -> ClientConfig {
        ClientConfig::for_crate(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
    }

    fn connect(
        api_key: SecretString,
        base_url: Option<String>,
        names: &Names,
    ) -> Result<(String, HeaderKey), ConfigError> {
        let auth = HeaderKey::new(API_KEY_HEADER, &api_key)
            .map_err(|message| names.credentials_error(message))?;
        let base_url = base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let base_url = parse_base_url(base_url, UrlPath::Required)
            .map_err(|message| names.base_url_error(message))?;
        Ok((base_url, auth))
    }

    fn from_env(lookup: &dyn Fn(&str) -> Option<String>) -> Result<ClientBuilder, ConfigError> {
        ClientBuilder::from_variables(lookup, API_KEY_ENV, URL_ENV)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_errors_name_source_and_key() {
        let key = |error: ConfigError| (error.source, error.key);
        let builder = |k: &str| ("Client::builder".to_string(), k.to_string());
        assert_eq!(
            key(Client::new("key", "mars").unwrap_err()),
            builder("base_url")
        );
        let error = Client::new("bad\nkey-s3cret", DEFAULT_BASE_URL).unwrap_err();
        assert!(!error.to_string().contains("s3cret"), "{error}");
        assert_eq!(key(error), builder("api_key"));
        let env = |url: &'static str| {
            move |name: &str| Some(if name == API_KEY_ENV { "k" } else { url }.into())
        };
        let error = Client::from_env_with(env("http://127.0.0.1:1")).unwrap_err();
        assert_eq!(key(error), ("environment".to_string(), URL_ENV.to_string()));
        let client = Client::from_env_with(|name| (name == API_KEY_ENV).then(|| "k".into()));
        assert_eq!(client.unwrap().base_url(), DEFAULT_BASE_URL);
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
