//! The EdgeGrid client credential.

use std::fmt;

use secrecy::SecretString;
use url::Url;

use crate::error::InvalidHost;

/// Default number of POST body bytes covered by the content hash (the `max_body` of Akamai's
/// signers).
pub const DEFAULT_MAX_BODY: usize = 131_072;

/// An EdgeGrid API client credential: the API host, the three tokens, and signing options.
///
/// The client token, client secret and access token are held as [`SecretString`]s (zeroed on
/// drop, exposed only through [`secrecy::ExposeSecret`]), and the `Debug` output of a
/// `Credentials` shows `[REDACTED]` in their place.
///
/// Build one with [`Credentials::new`] (plus the `with_*` methods) or load one with
/// [`Credentials::from_edgerc`].
#[derive(Clone)]
pub struct Credentials {
    pub(crate) host: String,
    pub(crate) base_url: Url,
    pub(crate) client_token: SecretString,
    pub(crate) client_secret: SecretString,
    pub(crate) access_token: SecretString,
    pub(crate) max_body: usize,
    pub(crate) account_key: Option<String>,
    pub(crate) headers_to_sign: Vec<String>,
}

impl Credentials {
    /// Creates credentials with the default `max_body` ([`DEFAULT_MAX_BODY`]), no account
    /// switch key and no signed headers.
    ///
    /// `host` is the API host from the Akamai credential
    /// (`akab-xxxx.luna.akamaiapis.net`), optionally with a port, a trailing `/`, or a scheme:
    /// `http://127.0.0.1:9000` points the client at a local test server. Without a scheme,
    /// `https` is used. Anything beyond scheme, host and port (a path, query, fragment or user
    /// info) is rejected.
    pub fn new(
        host: impl Into<String>,
        client_token: impl Into<SecretString>,
        client_secret: impl Into<SecretString>,
        access_token: impl Into<SecretString>,
    ) -> Result<Self, InvalidHost> {
        let host = host.into().trim().to_owned();
        let base_url = parse_host(&host)?;
        Ok(Self {
            host,
            base_url,
            client_token: client_token.into(),
            client_secret: client_secret.into(),
            access_token: access_token.into(),
            max_body: DEFAULT_MAX_BODY,
            account_key: None,
            headers_to_sign: Vec::new(),
        })
    }

    /// Sets how many leading bytes of a POST body the content hash covers (Akamai's
    /// `max_body`; default [`DEFAULT_MAX_BODY`]). Longer bodies are sent whole but hashed only
    /// over this prefix. `0` hashes the empty prefix, as the Python signer does.
    #[must_use]
    pub fn with_max_body(mut self, max_body: usize) -> Self {
        self.max_body = max_body;
        self
    }

    /// Sets (or with `None` clears) the account switch key; [`Credentials::sign_request`]
    /// then adds `accountSwitchKey=<key>` to the query of every request.
    #[must_use]
    pub fn with_account_key(mut self, account_key: Option<String>) -> Self {
        self.account_key = account_key.filter(|k| !k.is_empty());
        self
    }

    /// Sets the headers whose values are part of the signature, in signing order. Names are
    /// trimmed and lower-cased; empty names are dropped.
    #[must_use]
    pub fn with_headers_to_sign<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.headers_to_sign = names
            .into_iter()
            .map(|n| n.as_ref().trim().to_ascii_lowercase())
            .filter(|n| !n.is_empty())
            .collect();
        self
    }

    /// The host as configured (trimmed), possibly with scheme, port or trailing `/`.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The base URL of the API: `https://<host>/` unless the host carries a scheme, e.g.
    /// `http://127.0.0.1:9000/`. Join request paths onto it.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The client token.
    pub fn client_token(&self) -> &SecretString {
        &self.client_token
    }

    /// The client secret (the HMAC key material).
    pub fn client_secret(&self) -> &SecretString {
        &self.client_secret
    }

    /// The access token.
    pub fn access_token(&self) -> &SecretString {
        &self.access_token
    }

    /// How many leading bytes of a POST body the content hash covers.
    pub fn max_body(&self) -> usize {
        self.max_body
    }

    /// The account switch key, if any.
    pub fn account_key(&self) -> Option<&str> {
        self.account_key.as_deref()
    }

    /// The lower-case names of the headers that are part of the signature, in signing order.
    pub fn headers_to_sign(&self) -> &[String] {
        &self.headers_to_sign
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const REDACTED: &str = "[REDACTED]";
        f.debug_struct("Credentials")
            .field("host", &self.host)
            .field("base_url", &self.base_url.as_str())
            .field("client_token", &REDACTED)
            .field("client_secret", &REDACTED)
            .field("access_token", &REDACTED)
            .field("max_body", &self.max_body)
            .field("account_key", &self.account_key)
            .field("headers_to_sign", &self.headers_to_sign)
            .finish()
    }
}

/// Parses a configured host into the API base URL.
fn parse_host(host: &str) -> Result<Url, InvalidHost> {
    let invalid = |reason| InvalidHost {
        host: host.to_owned(),
        reason,
    };
    if host.is_empty() {
        return Err(invalid("the host is empty"));
    }
    let url = if host.contains("://") {
        Url::parse(host)
    } else {
        Url::parse(&format!("https://{host}"))
    }
    .map_err(|_| invalid("not a host name with an optional port and scheme"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("no host name"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("user info is not allowed"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(
            "only scheme, host and port are allowed (no path or query)",
        ));
    }
    Ok(url)
}
