//! Bearer tokens: the API-key exchange, the cache and its single-flight refresh.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use client_runtime::{AuthError, ExposeSecret, Runtime, SecretString};
use progenitor_client::OperationInfo;
use reqwest::header::{ACCEPT, HeaderValue};
use tokio::sync::Mutex;

use crate::types;

/// Progenitor's id of the token-exchange operation, which needs no bearer token.
pub(crate) const AUTHORIZE: &str = "authorize";

/// Lifetime assumed when a token response gives no usable expiry (the API documents ~60 min).
const ASSUMED_LIFETIME: Duration = Duration::from_secs(50 * 60);

/// Longest head start taken on a token's expiry before refreshing it.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// A bearer token and when to stop using it.
#[derive(Clone)]
struct Token {
    bearer: HeaderValue,
    refresh_at: SystemTime,
}

/// The API key and the current bearer token of one client (shared by its clones): the
/// client's [`Auth`](client_runtime::Auth). Its `Debug` output never shows the key or a token.
pub struct TokenCache {
    api_key: SecretString,
    authorize_url: String,
    current: Mutex<Option<Token>>,
}

impl TokenCache {
    /// A cache for `api_key`, exchanging it at `<origin>/api/v1/auth/authorize`.
    pub(crate) fn new(api_key: SecretString, origin: &str) -> Self {
        Self {
            api_key,
            authorize_url: format!("{origin}/api/v1/auth/authorize"),
            current: Mutex::new(None),
        }
    }

    /// A valid bearer header value, authorizing first when there is none or it is about to
    /// expire. Concurrent callers wait for one exchange rather than each making their own.
    pub(crate) async fn bearer(
        &self,
        runtime: &Runtime,
        http: &reqwest::Client,
    ) -> Result<HeaderValue, AuthError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current
            .as_ref()
            .filter(|t| SystemTime::now() < t.refresh_at)
        {
            return Ok(token.bearer.clone());
        }
        let token = self.exchange(runtime, http).await?;
        let bearer = token.bearer.clone();
        *current = Some(token);
        Ok(bearer)
    }

    /// A bearer to replace `rejected`, which the server refused with 401: authorizes again
    /// unless another caller already did.
    pub(crate) async fn replace(
        &self,
        runtime: &Runtime,
        http: &reqwest::Client,
        rejected: &HeaderValue,
    ) -> Result<HeaderValue, AuthError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref().filter(|t| t.bearer != rejected) {
            return Ok(token.bearer.clone());
        }
        *current = None;
        let token = self.exchange(runtime, http).await?;
        let bearer = token.bearer.clone();
        *current = Some(token);
        Ok(bearer)
    }

    /// `POST /api/v1/auth/authorize` with the API key.
    async fn exchange(
        &self,
        runtime: &Runtime,
        http: &reqwest::Client,
    ) -> Result<Token, AuthError> {
        let body = types::AuthorizeRequest {
            api_key: self.api_key.expose_secret().to_string(),
            grant_type: types::GrantType::ApiKey,
        };
        let request = http
            .post(&self.authorize_url)
            .header(ACCEPT, "application/json")
            .json(&body)
            .build()
            .map_err(AuthError::Transport)?;
        let info = OperationInfo {
            operation_id: AUTHORIZE,
        };
        let raw = runtime
            .send(http, request, &info, |_| {})
            .await
            .map_err(AuthError::Transport)?;
        if !raw.status.is_success() {
            return Err(AuthError::Rejected(Box::new(raw)));
        }
        // The body holds the token: errors say why it is unusable, never what it holds.
        let response: types::AuthorizeResponse =
            serde_json::from_slice(&raw.body).map_err(|e| {
                AuthError::Unusable(format!(
                    "the token exchange answered HTTP {} with a body that is not a token response \
                 (at line {} column {}); check the URL points at the Harmony SASE API",
                    raw.status,
                    e.line(),
                    e.column()
                ))
            })?;
        let mut bearer = HeaderValue::try_from(format!("Bearer {}", response.data.access_token))
            .map_err(|_| {
                AuthError::Unusable("the access token is not a valid header value".into())
            })?;
        bearer.set_sensitive(true);
        let now = SystemTime::now();
        let expires_at = response
            .data
            .access_token_expire
            .as_ref()
            .and_then(expiry)
            .unwrap_or(now + ASSUMED_LIFETIME);
        Ok(Token {
            bearer,
            refresh_at: refresh_time(now, expires_at),
        })
    }
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache")
            .field("api_key", &"[redacted]")
            .field("authorize_url", &self.authorize_url)
            .finish_non_exhaustive()
    }
}

/// When to refresh a token issued `now` that expires at `expires_at`: a minute early, or a
/// quarter of its lifetime early when it lives less than four minutes.
fn refresh_time(now: SystemTime, expires_at: SystemTime) -> SystemTime {
    let lifetime = expires_at.duration_since(now).unwrap_or_default();
    expires_at - REFRESH_MARGIN.min(lifetime / 4)
}

/// Reads `accessTokenExpire`: RFC 3339 text, epoch seconds, epoch milliseconds, or either
/// number as a string.
pub(crate) fn expiry(value: &types::AccessTokenExpire) -> Option<SystemTime> {
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

    const EXPECTED: u64 = 1_809_771_195;

    fn secs(value: E) -> u64 {
        expiry(&value)
            .expect("parses")
            .duration_since(UNIX_EPOCH)
            .expect("after epoch")
            .as_secs()
    }

    #[test]
    fn expiry_in_every_documented_form() {
        assert_eq!(secs(E::Int64(1_809_771_195)), EXPECTED);
        assert_eq!(secs(E::Int64(1_809_771_195_000)), EXPECTED);
        assert_eq!(secs(E::String("1809771195".into())), EXPECTED);
        assert_eq!(secs(E::String("1809771195000".into())), EXPECTED);
        assert_eq!(secs(E::String("2027-05-08T10:13:15Z".into())), EXPECTED);
        assert_eq!(
            secs(E::String("2027-05-08T12:13:15+02:00".into())),
            EXPECTED
        );
    }

    #[test]
    fn unusable_expiry_is_none() {
        assert!(expiry(&E::String("tomorrow".into())).is_none());
        assert!(expiry(&E::Int64(-5)).is_none());
    }

    #[test]
    fn refresh_happens_before_expiry() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(
            refresh_time(now, now + Duration::from_secs(3600)),
            now + Duration::from_secs(3540)
        );
        assert_eq!(
            refresh_time(now, now + Duration::from_secs(8)),
            now + Duration::from_secs(6)
        );
        assert_eq!(
            refresh_time(now, now - Duration::from_secs(5)),
            now - Duration::from_secs(5)
        );
    }
}
