//! Bearer tokens obtained by exchanging a key: [`BearerExchange`], an [`Auth`] that caches the
//! token, refreshes it shortly before it expires (one exchange for all concurrent callers) and
//! replaces it once when the server answers 401. What differs between APIs — the exchange
//! request, how its response reads, which operation it is — is the API's [`Exchange`].

use std::fmt;
use std::time::{Duration, SystemTime};

use progenitor_client::OperationInfo;
use reqwest::Request;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use tokio::sync::Mutex;

use crate::{Auth, AuthError, Call, ExposeSecret, SecretString};

/// Longest head start taken on a token's expiry before refreshing it.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// One API's token exchange: how to ask for a token and how to read the answer.
///
/// `Debug` output of an implementation must never show a secret (it holds none: the key stays
/// in the [`BearerExchange`]).
pub trait Exchange: fmt::Debug + Send + Sync + 'static {
    /// Progenitor's id of the exchange operation: a call of it carries no bearer token.
    const OPERATION: &'static str;

    /// How long a token lives when its response gives no usable expiry.
    const ASSUMED_LIFETIME: Duration;

    /// The exchange request for `key`, built with `http` (it is sent through the client's
    /// runtime: retries, rate limit, tracing).
    fn request(&self, http: &reqwest::Client, key: &SecretString) -> reqwest::Result<Request>;

    /// The token in the body of a successful exchange, or why the body is not a token
    /// response; the reason must not quote the body, which may hold a token.
    fn read(&self, body: &[u8]) -> Result<Issued, String>;
}

/// A token as an [`Exchange`] read it.
#[derive(Debug)]
pub struct Issued {
    /// The access token, sent as `Authorization: Bearer <token>`.
    pub access_token: SecretString,
    /// When it expires, if the response says ([`Exchange::ASSUMED_LIFETIME`] otherwise).
    pub expires_at: Option<SystemTime>,
}

impl Issued {
    /// A token that, as its response says, expires `seconds` from now (an `expires_in`). A
    /// lifetime past what the clock can hold counts as none given.
    pub fn expiring_in(access_token: SecretString, seconds: Option<u64>) -> Self {
        Self {
            access_token,
            expires_at: seconds.and_then(|s| SystemTime::now().checked_add(Duration::from_secs(s))),
        }
    }

    /// An absolute expiry as token responses write it: RFC 3339 text, or a Unix time in
    /// seconds or milliseconds (a number too large to be seconds, past 5138 AD), as text.
    /// `None` for anything else.
    pub fn expiry(text: &str) -> Option<SystemTime> {
        let text = text.trim();
        let Ok(number) = text.parse::<u64>() else {
            return chrono::DateTime::parse_from_rfc3339(text)
                .ok()
                .map(Into::into);
        };
        SystemTime::UNIX_EPOCH.checked_add(match number {
            100_000_000_000.. => Duration::from_millis(number),
            _ => Duration::from_secs(number),
        })
    }
}

/// A bearer token and when to stop using it.
struct Token {
    bearer: HeaderValue,
    refresh_at: SystemTime,
}

/// The key and current bearer token of one client (shared by its clones): an [`Auth`] that
/// adds `Authorization: Bearer …` to every call but the exchange itself. The first call
/// exchanges the key; the token is reused until shortly before it expires; concurrent callers
/// wait for one exchange; a call answered 401 gets a new token once (unless another caller
/// already replaced the rejected one) and is replayed. Its `Debug` output shows neither the
/// key nor a token.
pub struct BearerExchange<E> {
    key: SecretString,
    exchange: E,
    current: Mutex<Option<Token>>,
}

impl<E: Exchange> BearerExchange<E> {
    /// A cache that exchanges `key` as `exchange` says, starting with no token.
    pub fn new(key: SecretString, exchange: E) -> Self {
        Self {
            key,
            exchange,
            current: Mutex::new(None),
        }
    }

    /// The API's exchange.
    pub fn exchange(&self) -> &E {
        &self.exchange
    }

    /// A valid bearer header value, exchanging the key first when there is none or it is
    /// about to expire.
    async fn bearer(&self, call: Call<'_>) -> Result<HeaderValue, AuthError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current
            .as_ref()
            .filter(|t| SystemTime::now() < t.refresh_at)
        {
            return Ok(token.bearer.clone());
        }
        let token = self.fetch(call).await?;
        let bearer = token.bearer.clone();
        *current = Some(token);
        Ok(bearer)
    }

    /// A bearer to replace `rejected`, which the server refused: exchanges the key again
    /// unless another caller already replaced it.
    async fn replace(
        &self,
        call: Call<'_>,
        rejected: &HeaderValue,
    ) -> Result<HeaderValue, AuthError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref().filter(|t| t.bearer != rejected) {
            return Ok(token.bearer.clone());
        }
        *current = None;
        let token = self.fetch(call).await?;
        let bearer = token.bearer.clone();
        *current = Some(token);
        Ok(bearer)
    }

    /// Sends the exchange, unauthenticated, and reads its token.
    async fn fetch(&self, call: Call<'_>) -> Result<Token, AuthError> {
        let request = self
            .exchange
            .request(call.http, &self.key)
            .map_err(AuthError::Transport)?;
        let info = OperationInfo {
            operation_id: E::OPERATION,
        };
        let raw = call
            .runtime
            .send(call.http, request, &info, |_| {})
            .await
            .map_err(AuthError::Transport)?;
        if !raw.status.is_success() {
            return Err(AuthError::Rejected(Box::new(raw)));
        }
        let issued = self.exchange.read(&raw.body).map_err(|reason| {
            AuthError::Unusable(format!(
                "the token exchange ({}) answered HTTP {} with a body that is not a token \
                 response: {reason}",
                E::OPERATION,
                raw.status
            ))
        })?;
        let mut bearer =
            HeaderValue::try_from(format!("Bearer {}", issued.access_token.expose_secret()))
                .map_err(|_| {
                    AuthError::Unusable("the access token is not a valid header value".into())
                })?;
        bearer.set_sensitive(true);
        let now = SystemTime::now();
        let expires_at = issued.expires_at.unwrap_or(now + E::ASSUMED_LIFETIME);
        Ok(Token {
            bearer,
            refresh_at: refresh_time(now, expires_at),
        })
    }
}

impl<E: Exchange> Auth for BearerExchange<E> {
    const RENEWS: bool = true;

    async fn authorize(&self, call: Call<'_>, request: &mut Request) -> Result<(), AuthError> {
        if call.info.operation_id != E::OPERATION {
            let bearer = self.bearer(call).await?;
            request.headers_mut().insert(AUTHORIZATION, bearer);
        }
        Ok(())
    }

    async fn renew(&self, call: Call<'_>, replay: &mut Request) -> bool {
        let Some(rejected) = replay.headers_mut().remove(AUTHORIZATION) else {
            return false;
        };
        let Ok(bearer) = self.replace(call, &rejected).await else {
            return false;
        };
        replay.headers_mut().insert(AUTHORIZATION, bearer);
        true
    }
}

impl<E: fmt::Debug> fmt::Debug for BearerExchange<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerExchange")
            .field("key", &"[redacted]")
            .field("exchange", &self.exchange)
            .finish_non_exhaustive()
    }
}

/// When to refresh a token issued `now` that expires at `expires_at`: a minute early, or a
/// quarter of its lifetime early when it lives less than four minutes.
fn refresh_time(now: SystemTime, expires_at: SystemTime) -> SystemTime {
    let lifetime = expires_at.duration_since(now).unwrap_or_default();
    expires_at - REFRESH_MARGIN.min(lifetime / 4)
}

#[cfg(test)]
mod tests;
