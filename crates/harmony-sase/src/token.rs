//! Harmony's token exchange: `POST /api/v1/auth/authorize` with the API key, read for the
//! runtime's [`BearerExchange`], which caches, refreshes and renews the token.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use client_runtime::{BearerExchange, Exchange, ExposeSecret, Issued, SecretString};
use reqwest::Request;
use reqwest::header::ACCEPT;

use crate::types;

/// The client's [`Auth`](client_runtime::Auth): the API key and the current bearer token,
/// shared by the client's clones. Its `Debug` output never shows the key or a token.
pub type TokenCache = BearerExchange<Authorize>;

/// Harmony's exchange of an API key for a bearer token at `<origin>/api/v1/auth/authorize`.
#[derive(Debug)]
pub struct Authorize {
    url: String,
}

impl Authorize {
    /// The exchange of the API at `origin`.
    pub(crate) fn new(origin: &str) -> Self {
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
            expires_at: response.data.access_token_expire.as_ref().and_then(expiry),
        })
    }
}

/// Reads `accessTokenExpire`: RFC 3339 text, epoch seconds, epoch milliseconds, or either
/// number as a string.
fn expiry(value: &types::AccessTokenExpire) -> Option<SystemTime> {
    match value {
        types::AccessTokenExpire::Int64(number) => from_epoch(*number),
        types::AccessTokenExpire::String(text) => {
            let text = text.trim();
            match text.parse::<i64>() {
                Ok(number) => from_epoch(number),
                Err(_) => chrono::DateTime::parse_from_rfc3339(text)
                    .ok()
                    .map(SystemTime::from),
            }
        }
    }
}

/// Epoch seconds, or milliseconds when the number is too large to be seconds (after 5138 AD).
fn from_epoch(number: i64) -> Option<SystemTime> {
    let number = u64::try_from(number).ok()?;
    let since_epoch = if number >= 100_000_000_000 {
        Duration::from_millis(number)
    } else {
        Duration::from_secs(number)
    };
    UNIX_EPOCH.checked_add(since_epoch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use types::AccessTokenExpire as E;

    fn secs(value: E) -> Option<u64> {
        let since = expiry(&value)?.duration_since(UNIX_EPOCH);
        Some(since.expect("after epoch").as_secs())
    }

    #[test]
    fn expiry_in_every_documented_form() {
        for value in [
            E::Int64(1_809_771_195),
            E::Int64(1_809_771_195_000),
            E::String("1809771195".into()),
            E::String("1809771195000".into()),
            E::String("2027-05-08T10:13:15Z".into()),
            E::String("2027-05-08T12:13:15+02:00".into()),
        ] {
            assert_eq!(secs(value.clone()), Some(1_809_771_195), "{value:?}");
        }
        assert_eq!(secs(E::String("tomorrow".into())), None);
        assert_eq!(secs(E::Int64(-5)), None);
    }
}
