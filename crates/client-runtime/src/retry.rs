//! When a failed attempt is retried, and how long to wait first.
//!
//! Modelled on the AWS SDKs' standard retry mode: exponential backoff whose waits have a floor
//! (each wait is drawn from the upper half of its ceiling, so a server that is down is not
//! abandoned within milliseconds), and a retry budget shared by all calls of one client (a
//! token bucket: each retry spends tokens, each success earns some back), so that an outage
//! does not multiply the load on the server. It is written here rather than taken from a
//! backoff crate: the waits must also honour `Retry-After` and Akamai's `X-RateLimit-Next`,
//! and each attempt is re-authenticated inside progenitor's `exec` hook, which the
//! closure-based retry crates do not model.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

/// Retry settings.
///
/// A `429 Too Many Requests` is retried for every method, after the wait the server asks for:
/// the server did not process the request. Transport errors and 502, 503 and 504 are retried
/// only for idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS), since a POST or PATCH may
/// have been applied.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Most attempts per call, the first included; 1 turns retries off.
    pub max_attempts: u32,
    /// Longest total time spent waiting between attempts of one call.
    pub max_elapsed: Duration,
    /// First backoff ceiling; it doubles per attempt. Each backoff is drawn uniformly from the
    /// upper half of its ceiling, so the first wait is at least half of this.
    pub base_delay: Duration,
    /// Largest backoff ceiling.
    pub max_delay: Duration,
    /// Wait after a 429 that says nothing of when to come back (the API's rate window).
    pub rate_limit_wait: Option<Duration>,
    /// The retry budget all calls of one client share.
    pub budget: RetryBudget,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            max_elapsed: Duration::from_secs(120),
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(20),
            rate_limit_wait: None,
            budget: RetryBudget::default(),
        }
    }
}

/// The retry budget of one client, as in the AWS SDKs' standard retry mode: a bucket of
/// `capacity` tokens; a retry after an error status spends `retry_cost`, a retry after a
/// transport error (a timeout, a refused connection) spends `transport_error_cost`, and a
/// call that succeeds earns back what its retries spent, or `success_reward` when it needed
/// none. An empty bucket stops retries (the call fails with its last answer) until successes
/// refill it. The defaults (500, 5, 10, 1) are the AWS SDKs'; a 429 answered with the wait the
/// server asked for spends nothing, since waiting as told is what the server wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryBudget {
    /// Tokens in a full bucket (and at start).
    pub capacity: u32,
    /// Tokens one retry after an error status spends.
    pub retry_cost: u32,
    /// Tokens one retry after a transport error spends.
    pub transport_error_cost: u32,
    /// Tokens a call that succeeds at its first attempt earns.
    pub success_reward: u32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        Self {
            capacity: 500,
            retry_cost: 5,
            transport_error_cost: 10,
            success_reward: 1,
        }
    }
}

impl RetryBudget {
    /// A budget so large that it never stops a retry.
    pub fn unlimited() -> Self {
        Self {
            capacity: u32::MAX,
            retry_cost: 0,
            transport_error_cost: 0,
            success_reward: 0,
        }
    }
}

/// The tokens left in a client's [`RetryBudget`], shared by the client's clones.
#[derive(Clone, Debug)]
pub(crate) struct RetryTokens {
    budget: RetryBudget,
    left: Arc<Mutex<u32>>,
}

impl RetryTokens {
    /// A full bucket.
    pub(crate) fn new(budget: RetryBudget) -> Self {
        Self {
            budget,
            left: Arc::new(Mutex::new(budget.capacity)),
        }
    }

    /// Spends the cost of retrying after `cause`; `None` when the bucket cannot pay it.
    pub(crate) fn spend(&self, cause: RetryCause) -> Option<u32> {
        let cost = match cause {
            RetryCause::ServerWait => 0,
            RetryCause::Status => self.budget.retry_cost,
            RetryCause::Transport => self.budget.transport_error_cost,
        };
        let mut left = self.left.lock().unwrap_or_else(PoisonError::into_inner);
        *left = left.checked_sub(cost)?;
        Some(cost)
    }

    /// Earns back `spent` (what a successful call's retries cost), or the success reward.
    pub(crate) fn succeeded(&self, spent: u32) {
        let earned = if spent > 0 {
            spent
        } else {
            self.budget.success_reward
        };
        let mut left = self.left.lock().unwrap_or_else(PoisonError::into_inner);
        *left = left.saturating_add(earned).min(self.budget.capacity);
    }

    /// The tokens left.
    #[cfg(test)]
    pub(crate) fn left(&self) -> u32 {
        *self.left.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Why an attempt is worth another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RetryCause {
    /// A 429 or 503 whose server said when to come back.
    ServerWait,
    /// A retryable error status.
    Status,
    /// A transport error.
    Transport,
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Whether requests with this method may be sent again after a failure that may have
    /// reached the server.
    pub fn is_idempotent(method: &Method) -> bool {
        matches!(
            *method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        )
    }

    /// Whether a response status is worth another attempt (for some methods).
    pub fn is_retryable_status(status: StatusCode) -> bool {
        matches!(status.as_u16(), 429 | 502 | 503 | 504)
    }

    /// Whether a request with `method` that got `status` may be sent again: a 429 always,
    /// 502, 503 and 504 when the method is idempotent.
    pub fn retries_status(method: &Method, status: StatusCode) -> bool {
        status == StatusCode::TOO_MANY_REQUESTS
            || (Self::is_retryable_status(status) && Self::is_idempotent(method))
    }

    /// The backoff before attempt `attempt + 1` (attempt counts from 1): uniformly random in
    /// the upper half of `min(max_delay, base_delay * 2^(attempt-1))`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(
                1u32.checked_shl(attempt.saturating_sub(1))
                    .unwrap_or(u32::MAX),
            )
            .min(self.max_delay);
        ceiling.mul_f64(0.5 + rand::random::<f64>() / 2.0)
    }

    /// The wait before retrying a response: the server's word when it gives one
    /// (`Retry-After` in seconds or as an HTTP date, `X-RateLimit-Next` as RFC 3339),
    /// the rate window for a bare 429, otherwise the backoff.
    pub fn delay_for(&self, status: StatusCode, headers: &HeaderMap, attempt: u32) -> Duration {
        self.server_wait(status, headers)
            .unwrap_or_else(|| self.backoff(attempt))
    }

    /// The wait the server (or, for a bare 429, the API's documented window) asks for.
    pub(crate) fn server_wait(&self, status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
        server_delay(headers, SystemTime::now()).or(if status == StatusCode::TOO_MANY_REQUESTS {
            self.rate_limit_wait
        } else {
            None
        })
    }
}

/// The wait a response asks for, if it asks.
pub(crate) fn server_delay(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(value) = text("retry-after") {
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Duration::from_secs(seconds));
        }
        if let Ok(when) = httpdate::parse_http_date(value) {
            return Some(when.duration_since(now).unwrap_or_default());
        }
    }
    let next = text("x-ratelimit-next")?;
    let when = chrono::DateTime::parse_from_rfc3339(next).ok()?;
    Some(
        SystemTime::from(when)
            .duration_since(now)
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(name: &'static str, value: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(name, HeaderValue::from_str(value).expect("valid header"));
        map
    }

    #[test]
    fn retry_after_seconds_and_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").expect("date");
        assert_eq!(
            server_delay(&headers("retry-after", "7"), now),
            Some(Duration::from_secs(7))
        );
        let later = headers("retry-after", "Sun, 06 Nov 1994 08:49:47 GMT");
        assert_eq!(server_delay(&later, now), Some(Duration::from_secs(10)));
        let past = headers("retry-after", "Sun, 06 Nov 1994 08:49:00 GMT");
        assert_eq!(server_delay(&past, now), Some(Duration::ZERO));
    }

    #[test]
    fn akamai_ratelimit_next() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").expect("date");
        let next = headers("x-ratelimit-next", "1994-11-06T08:49:39.500Z");
        assert_eq!(server_delay(&next, now), Some(Duration::from_millis(2500)));
        assert_eq!(
            server_delay(&headers("x-ratelimit-next", "soon"), now),
            None
        );
    }

    #[test]
    fn bare_429_waits_for_the_window() {
        let policy = RetryPolicy {
            rate_limit_wait: Some(Duration::from_secs(60)),
            ..Default::default()
        };
        let wait = policy.delay_for(StatusCode::TOO_MANY_REQUESTS, &HeaderMap::new(), 1);
        assert_eq!(wait, Duration::from_secs(60));
        assert!(
            policy.delay_for(StatusCode::BAD_GATEWAY, &HeaderMap::new(), 1) <= policy.base_delay
        );
    }

    #[test]
    fn backoff_waits_have_a_floor_and_a_cap() {
        let policy = RetryPolicy::default();
        for attempt in 1..40 {
            let ceiling = policy
                .base_delay
                .saturating_mul(1 << (attempt - 1).min(20))
                .min(policy.max_delay);
            let wait = policy.backoff(attempt);
            assert!(
                ceiling / 2 <= wait && wait <= ceiling,
                "{attempt}: {wait:?}"
            );
        }
    }

    #[test]
    fn a_429_is_retried_for_every_method_other_statuses_for_idempotent_ones() {
        for method in [Method::GET, Method::POST, Method::PATCH, Method::DELETE] {
            assert!(RetryPolicy::retries_status(
                &method,
                StatusCode::TOO_MANY_REQUESTS
            ));
        }
        assert!(RetryPolicy::retries_status(
            &Method::GET,
            StatusCode::SERVICE_UNAVAILABLE
        ));
        assert!(!RetryPolicy::retries_status(
            &Method::POST,
            StatusCode::SERVICE_UNAVAILABLE
        ));
        assert!(!RetryPolicy::retries_status(
            &Method::GET,
            StatusCode::NOT_FOUND
        ));
    }

    #[test]
    fn the_budget_is_spent_by_retries_and_earned_back_by_successes() {
        let tokens = RetryTokens::new(RetryBudget {
            capacity: 12,
            ..RetryBudget::default()
        });
        assert_eq!(tokens.spend(RetryCause::Transport), Some(10));
        assert_eq!(tokens.spend(RetryCause::Status), None, "2 left, 5 needed");
        assert_eq!(
            tokens.spend(RetryCause::ServerWait),
            Some(0),
            "waiting as told is free"
        );
        tokens.succeeded(10);
        assert_eq!(tokens.left(), 12);
        tokens.succeeded(0);
        assert_eq!(tokens.left(), 12, "never above capacity");
        assert_eq!(tokens.spend(RetryCause::Status), Some(5));
        tokens.succeeded(0);
        assert_eq!(tokens.left(), 8);
    }

    #[test]
    fn only_idempotent_methods_retry() {
        assert!(RetryPolicy::is_idempotent(&Method::GET));
        assert!(RetryPolicy::is_idempotent(&Method::DELETE));
        assert!(!RetryPolicy::is_idempotent(&Method::POST));
        assert!(!RetryPolicy::is_idempotent(&Method::PATCH));
    }
}
