//! The client's authentication: the API key exchanged for a bearer token at
//! `POST /api/v1/auth/authorize` ([`Authorize`]), which the runtime's [`BearerExchange`]
//! caches, refreshes, and renews once (replaying the call) on a 401.

use std::time::Duration;

use client_runtime::{BearerExchange, Exchange, ExposeSecret, Issued, SecretString};
use reqwest::Request;
use reqwest::header::ACCEPT;

use crate::types::{self, AccessTokenExpire};

/// The client's [`Auth`](client_runtime::Auth): the API key and the current bearer token,
/// shared by the client's clones. Its `Debug` output never shows the key or a token.
pub type TokenCache = BearerExchange<Authorize>;

/// Harmony's exchange of an API key for a bearer token at `<origin>/api/v1/auth/authorize`.
#[derive(Debug)]
pub struct Authorize {
    url: String,
}

impl Authorize {
    /// The exchange of the API at `origin` (such as [`Client::base_url`](crate::Client::base_url)).
    pub fn new(origin: &str) -> Self {
        Self {
            url: format!("{origin}/api/v1/auth/authorize"),
        }
    }
}

impl Exchange for Authorize {
    const OPERATION: &'static str = "authorize";
    /// The API documents ~60 minutes.
    const ASSUMED_LIFETIME: Duration = Duration::from_secs(50 * 60);

    fn request(&self, http: &reqwest::Client, key: &SecretString) -> reqwest::Result<Request> {
        let body = types::AuthorizeRequest {
            api_key: key.expose_secret().to_string(),
            grant_type: types::GrantType::ApiKey,
        };
        http.post(&self.url)
            .header(ACCEPT, "application/json")
            .json(&body)
            .build()
    }

    /// Reads `accessTokenExpire` in each form the API has sent: RFC 3339 text, epoch seconds
    /// or milliseconds, or either number as a string.
    fn read(&self, body: &[u8]) -> Result<Issued, String> {
        let response: types::AuthorizeResponse = serde_json::from_slice(body).map_err(|e| {
            format!(
                "at line {} column {}; check the URL points at the Harmony SASE API",
                e.line(),
                e.column()
            )
        })?;
        Ok(Issued {
            access_token: response.data.access_token.into(),
            expires_at: match response.data.access_token_expire {
                Some(AccessTokenExpire::Int64(number)) => Issued::expiry(&number.to_string()),
                Some(AccessTokenExpire::String(text)) => Issued::expiry(&text),
                None => None,
            },
        })
    }
}
