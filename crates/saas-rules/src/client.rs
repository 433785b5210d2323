//! Building a client: EdgeGrid credentials, base URL and transport settings.

use std::path::Path;
use std::sync::Arc;

use client_runtime::{ClientConfig, ConfigError, Runtime};
use edgegrid::{Credentials, EnvLookup};

use crate::auth::Inner;
use crate::generated;

/// The path of the API under the credential's host; [`Client::base_url`] ends with it.
pub const BASE_PATH: &str = "/config-saas-rules/v2";

/// A SaaS IP/Geo Access API client. Every operation of the API is a method reached through
/// [`Deref`](std::ops::Deref) to the generated client (`client.get_policy().id(1133).send()`);
/// see the crate documentation. Every request is EdgeGrid-signed. Cloning is cheap; clones
/// share the credentials, runtime and connection pool.
///
/// `Debug` shows the base URL and the host, never a token or the client secret.
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
    /// A client for `credentials`, with [`Client::default_config`].
    pub fn new(credentials: Credentials) -> Result<Self, ConfigError> {
        Self::builder(credentials).build()
    }

    /// A client with credentials loaded the way Akamai's tools load them (see
    /// [`Credentials::from_edgerc`]): the `AKAMAI_*` environment variables of the section if
    /// all four are set, otherwise the `.edgerc` file at `path` (default `AKAMAI_EDGERC`, then
    /// `~/.edgerc`), section `section` (default `AKAMAI_SECTION`, then `default`).
    ///
    /// A missing or malformed file gives a [`ConfigError`] naming the file (`source`), the
    /// section and key or line (`key`) and what is wrong (`message`), never a secret.
    pub fn from_edgerc(path: Option<&Path>, section: Option<&str>) -> Result<Self, ConfigError> {
        Self::from_edgerc_with_env(path, section, &|name| std::env::var(name).ok())
    }

    /// [`Client::from_edgerc`] with the default file and section: `AKAMAI_*` variables first,
    /// then `AKAMAI_EDGERC` or `~/.edgerc`, section `AKAMAI_SECTION` or `default`.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_edgerc(None, None)
    }

    /// Like [`Client::from_edgerc`], reading environment variables through `env` instead of
    /// the process environment (see [`Credentials::from_edgerc_with_env`]).
    pub fn from_edgerc_with_env(
        path: Option<&Path>,
        section: Option<&str>,
        env: EnvLookup<'_>,
    ) -> Result<Self, ConfigError> {
        let credentials = Credentials::from_edgerc_with_env(path, section, env)
            .map_err(crate::edgerc::config_error)?;
        Self::new(credentials)
    }

    /// A builder, to set transport settings ([`ClientBuilder::config`]) or a custom
    /// `reqwest::Client`.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            config: Self::default_config(),
            http: None,
        }
    }

    /// The settings a client gets by default: the shared defaults (retries of idempotent
    /// calls honouring `Retry-After` and Akamai's `X-RateLimit-Next`, timeouts) with this
    /// crate's user agent.
    pub fn default_config() -> ClientConfig {
        ClientConfig::for_crate(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
    }

    /// The URL operations are joined onto: the credential's host (with its scheme, `https`
    /// unless given) followed by [`BASE_PATH`], e.g.
    /// `https://akab-….luna.akamaiapis.net/config-saas-rules/v2`.
    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(&self.api)
    }

    /// The credentials requests are signed with (their `Debug` output hides the secrets).
    pub fn credentials(&self) -> &Credentials {
        &progenitor_client::ClientInfo::inner(&self.api).credentials
    }
}

/// Builds a [`Client`]; start with [`Client::builder`].
#[derive(Debug)]
pub struct ClientBuilder {
    credentials: Credentials,
    config: ClientConfig,
    http: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// Transport settings: timeouts, retries, client-side rate limit, user agent (default
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

    /// The client these settings describe. Fails when the HTTP client cannot be built or
    /// the credentials cannot form an `Authorization` header (a token with control
    /// characters).
    pub fn build(self) -> Result<Client, ConfigError> {
        let credentials = self.credentials;
        check_signable(&credentials)?;
        let http = match self.http {
            Some(http) => http,
            None => self.config.http_client()?,
        };
        let base_url = format!(
            "{}{BASE_PATH}",
            credentials.base_url().as_str().trim_end_matches('/')
        );
        let inner = Inner {
            runtime: Runtime::new(&self.config),
            credentials,
        };
        Ok(Client {
            api: generated::Client::new_with_client(&base_url, http, Arc::new(inner)),
        })
    }
}

/// Signs a probe request, so that credentials no request could be signed with are refused
/// when the client is built rather than on every call.
fn check_signable(credentials: &Credentials) -> Result<(), ConfigError> {
    let mut probe = reqwest::Request::new(reqwest::Method::GET, credentials.base_url().clone());
    credentials.sign_request(&mut probe).map_err(|e| {
        ConfigError::new(
            format!("credentials for {}", credentials.host()),
            "client_token, access_token",
            e.to_string(),
        )
    })
}
