//! The client: EdgeGrid credentials, base URL and transport settings, built by the shared
//! [`client_runtime::ClientBuilder`].

use std::path::Path;

use client_runtime::{Api, ClientConfig, ConfigError, Names};
use edgegrid::{Credentials, EdgeGrid};

use crate::generated;

/// The path of the API under the credential's host; [`Client::base_url`] ends with it.
pub const BASE_PATH: &str = "/config-saas-rules/v2";

client_runtime::client! {
    /// A SaaS IP/Geo Access API client. Every operation of the API is a method reached through
    /// [`Deref`](std::ops::Deref) to the generated client (`client.get_policy().id(1133).send()`);
    /// see the crate documentation. Every request is EdgeGrid-signed. Cloning is cheap; clones
    /// share the credentials, runtime and connection pool.
    ///
    /// [`Client::from_env`] loads the credentials as [`Client::from_edgerc`] does with the
    /// default file and section: `AKAMAI_*` variables first, then `AKAMAI_EDGERC` or
    /// `~/.edgerc`, section `AKAMAI_SECTION` or `default`. [`Client::base_url`] is, unless the
    /// builder was given another, the credential's host (with its scheme, `https` unless
    /// given) followed by [`BASE_PATH`], e.g.
    /// `https://akab-….luna.akamaiapis.net/config-saas-rules/v2`.
    ///
    /// `Debug` shows the base URL and the host, never a token or the client secret.
    pub struct Client(generated::Client, EdgeGrid);
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
        Self::new(Credentials::from_edgerc(path, section)?)
    }

    /// The credentials requests are signed with (their `Debug` output hides the secrets).
    pub fn credentials(&self) -> &Credentials {
        progenitor_client::ClientInfo::inner(&**self)
            .auth
            .credentials()
    }
}

impl Api for Client {
    type Credentials = Credentials;
    type BaseUrl = String;
    const CREDENTIALS: &'static str = "credentials";

    /// The shared defaults (retries — a 429 for every call, other failures for idempotent
    /// calls — honouring `Retry-After` and Akamai's `X-RateLimit-Next`; timeouts) with this crate's user agent.
    fn default_config() -> ClientConfig {
        ClientConfig::for_crate(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
    }

    /// Fails when the base URL is not an http(s) URL with a path, or the credentials cannot
    /// form an `Authorization` header (a token with control characters).
    fn connect(
        credentials: Credentials,
        base_url: Option<String>,
        names: &Names,
    ) -> Result<(String, EdgeGrid), ConfigError> {
        EdgeGrid::connect(credentials, base_url, BASE_PATH, names)
    }

    fn from_env(lookup: &dyn Fn(&str) -> Option<String>) -> Result<ClientBuilder, ConfigError> {
        let credentials = Credentials::from_edgerc_with_env(None, None, lookup)?;
        Ok(ClientBuilder::new(credentials))
    }
}
