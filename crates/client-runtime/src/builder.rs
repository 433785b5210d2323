//! One builder for every client: credentials, base URL, transport settings, an optional
//! `reqwest::Client`, and the same settings read from environment variables. An API crate
//! says what is specific to it by implementing [`Api`] for its `Client`.

use std::fmt;
use std::sync::Arc;

use crate::client::Assemble;
use crate::{ClientConfig, ConfigError, ENVIRONMENT, Environment, Inner, SecretString};

/// What an API crate tells the shared [`ClientBuilder`], implemented by the `Client` that
/// [`client!`](crate::client!) declares: its credentials, defaults and settings check.
pub trait Api: Assemble {
    /// What a builder starts from: an API key, EdgeGrid credentials.
    type Credentials;
    /// What [`ClientBuilder::base_url`] accepts: a URL, or a region as well.
    type BaseUrl;

    /// How a [`ConfigError`] from [`ClientBuilder`] names the credentials (`api_key`).
    const CREDENTIALS: &'static str;

    /// The transport settings a client gets by default.
    fn default_config() -> ClientConfig;

    /// Checks the settings and makes the base URL and authentication of them; `base_url` is
    /// `None` when none was given. `names` says where each value came from, for the error.
    fn connect(
        credentials: Self::Credentials,
        base_url: Option<Self::BaseUrl>,
        names: &Names,
    ) -> Result<(String, Self::Auth), ConfigError>;

    /// A builder with the settings environment variables give, read through `lookup`.
    fn from_env(
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<ClientBuilder<Self>, ConfigError>;
}

/// Where a builder's values came from, as a [`ConfigError`] names them: the `source`
/// (`Client::builder`, [`ENVIRONMENT`]) and the key of each value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Names {
    /// Where the values came from.
    pub source: &'static str,
    /// The key of the credentials.
    pub credentials: &'static str,
    /// The key of the base URL.
    pub base_url: &'static str,
}

impl Names {
    /// A configuration error about the credentials.
    pub fn credentials_error(&self, message: impl Into<String>) -> ConfigError {
        ConfigError::new(self.source, self.credentials, message)
    }

    /// A configuration error about the base URL.
    pub fn base_url_error(&self, message: impl Into<String>) -> ConfigError {
        ConfigError::new(self.source, self.base_url, message)
    }
}

/// Builds an API client; each crate names it `ClientBuilder` and starts it with
/// `Client::builder`. Its `Debug` output shows no secret.
pub struct ClientBuilder<A: Api> {
    credentials: A::Credentials,
    base_url: Option<A::BaseUrl>,
    config: ClientConfig,
    http: Option<reqwest::Client>,
    names: Names,
}

impl<A: Api> ClientBuilder<A> {
    /// A builder for `credentials`, with the API's default base URL and settings.
    pub fn new(credentials: A::Credentials) -> Self {
        Self {
            credentials,
            base_url: None,
            config: A::default_config(),
            http: None,
            names: Names {
                source: "Client::builder",
                credentials: A::CREDENTIALS,
                base_url: "base_url",
            },
        }
    }

    /// A builder for an API key read from the variable `key` (required) and a base URL from
    /// `url` (the API's default when unset), both through `lookup`; blank counts as unset.
    pub fn from_variables(
        lookup: &dyn Fn(&str) -> Option<String>,
        key: &'static str,
        url: &'static str,
    ) -> Result<Self, ConfigError>
    where
        A: Api<Credentials = SecretString>,
        A::BaseUrl: From<String>,
    {
        let env = Environment(lookup);
        Ok(Self {
            base_url: env.get(url).map(A::BaseUrl::from),
            names: Names {
                source: ENVIRONMENT,
                credentials: key,
                base_url: url,
            },
            ..Self::new(SecretString::from(env.require(key)?))
        })
    }

    /// Where requests go (default: the API's own); checked by [`ClientBuilder::build`].
    pub fn base_url(mut self, base_url: impl Into<A::BaseUrl>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Transport settings: timeouts, retries, rate limit, user agent (default: the API's
    /// `Client::default_config()`).
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
    pub fn build(self) -> Result<A, ConfigError> {
        let (base_url, auth) = A::connect(self.credentials, self.base_url, &self.names)?;
        let http = match self.http {
            Some(http) => http,
            None => self.config.http_client()?,
        };
        let inner = Arc::new(Inner::new(&self.config, auth));
        Ok(A::assemble(&base_url, http, inner))
    }
}

impl<A: Api> fmt::Debug for ClientBuilder<A>
where
    A::Credentials: fmt::Debug,
    A::BaseUrl: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("config", &self.config)
            .field("names", &self.names)
            .finish_non_exhaustive()
    }
}

/// How much path [`parse_base_url`] accepts after the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlPath {
    /// None: an origin, to which the client adds the API's paths.
    None,
    /// At least one segment, such as a stage (`/qa`).
    Required,
}

/// An http(s) URL without credentials, query or fragment, with the path `path` asks for,
/// trimmed and without a trailing slash; or why it is not one (never repeating userinfo).
pub fn parse_base_url(text: &str, path: UrlPath) -> Result<String, String> {
    let text = text.trim();
    let url = url::Url::parse(text).map_err(|e| format!("`{text}` is not a URL: {e}"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain credentials (pass them separately)".into());
    }
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!("`{url}` is not an http(s) URL"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("`{url}` must not have a query or fragment"));
    }
    let has_path = !url.path().trim_matches('/').is_empty();
    match (path, has_path) {
        (UrlPath::None, true) => Err(format!(
            "`{url}` must be an origin only (the client adds the API's path itself)"
        )),
        (UrlPath::Required, false) => Err(format!("`{url}` has no path (a stage, say)")),
        _ => Ok(url.as_str().trim_end_matches('/').to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_trimmed_and_checked() {
        let parse = parse_base_url;
        assert_eq!(
            parse(" http://127.0.0.1:8080/qa/ ", UrlPath::Required).unwrap(),
            "http://127.0.0.1:8080/qa"
        );
        assert_eq!(
            parse("http://127.0.0.1:8080/", UrlPath::None).unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(
            parse("https://x", UrlPath::Required)
                .unwrap_err()
                .contains("no path")
        );
        assert!(
            parse("https://x/api", UrlPath::None)
                .unwrap_err()
                .contains("origin only")
        );
        assert!(parse("ftp://x/qa", UrlPath::Required).is_err());
        assert!(parse("https://x/qa?a=1", UrlPath::Required).is_err());
        assert!(parse("not a url", UrlPath::None).is_err());
        let error = parse("https://user:hunter2@x/qa", UrlPath::Required).unwrap_err();
        assert!(!error.contains("hunter2"), "{error}");
    }
}
