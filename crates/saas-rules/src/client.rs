//! The client: EdgeGrid credentials, base URL and transport settings, built by the shared
//! [`client_runtime::ClientBuilder`].

use std::path::Path;

use client_runtime::{Api, ClientConfig, ConfigError, Names};
use edgegrid::{Credentials, EdgeGrid};
use progenitor_client::ClientInfo;

use crate::generated;

/// The path of the API under the credential's host: [`Client::base_url`] is the host followed
/// by it, unless the builder was given another base URL (see [`EdgeGrid::connect`]).
pub const BASE_PATH: &str = "/config-saas-rules/v2";

client_runtime::client! {
    /// A SaaS IP/Geo Access API client. Every operation of the API is a method reached through
    /// [`Deref`](std::ops::Deref) to the generated client (`client.get_policy().id(1133).send()`);
    /// see the crate documentation. Cloning is cheap; clones share the credentials, runtime and
    /// connection pool. `Debug` shows the base URL and the host, never a token or the secret.
    /// [`Client::from_env`] is [`Client::from_edgerc`] with the default file and section.
    pub struct Client(generated::Client, EdgeGrid);
}

impl Client {
    /// A client for `credentials`, with [`Client::default_config`].
    pub fn new(credentials: Credentials) -> Result<Self, ConfigError> {
        Self::builder(credentials).build()
    }

    /// A client with credentials loaded as [`Credentials::from_edgerc`] loads them:
    /// `AKAMAI_*` variables, else the section of an `.edgerc` file. A [`ConfigError`] names
    /// the file, the section and key or line, and what is wrong, never a secret.
    pub fn from_edgerc(path: Option<&Path>, section: Option<&str>) -> Result<Self, ConfigError> {
        Self::new(Credentials::from_edgerc(path, section)?)
    }

    /// The credentials requests are signed with (their `Debug` output hides the secrets).
    pub fn credentials(&self) -> &Credentials {
        self.inner().auth.credentials()
    }
}

impl Api for Client {
    type Credentials = Credentials;
    type BaseUrl = String;
    const CREDENTIALS: &'static str = "credentials";

    /// The shared defaults (see the crate documentation) and this crate's user agent.
    fn default_config() -> ClientConfig {
        ClientConfig::for_crate(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
    }

    /// Fails as [`EdgeGrid::connect`] does: a base URL that is not an http(s) URL with a path,
    /// or a token with control characters.
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
