//! When a failed attempt is retried, and how long to wait first.
//!
//! Exponential backoff with full jitter is a few lines, so it is written here rather than
//! taken from a backoff crate: the waits must also honour `Retry-After` and Akamai's
//! `X-RateLimit-Next`, and each attempt is re-authenticated inside progenitor's `exec` hook,
//! which the closure-based retry crates do not model.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

/// Retry settings. Only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) are retried,
/// on transport errors and on 429, 502, 503 and 504; POST and PATCH never are.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Most attempts per call, the first included; 1 turns retries off.
    pub max_attempts: u32,
    /// Longest total time spent waiting between attempts of one call.
    pub max_elapsed: Duration,
    /// First backoff ceiling; it doubles per attempt.
    pub base_delay: Duration,
    /// Largest backoff ceiling.
    pub max_delay: Duration,
    /// Wait after a 429 that says nothing of when to come back (the API's rate window).
    pub rate_limit_wait: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            max_elapsed: Duration::from_secs(120),
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(20),
            rate_limit_wait: None,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Whether requests with this method may be sent again.
    pub fn is_idempotent(method: &Method) -> bool {
        matches!(
            *method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        )
    }

    /// Whether a response status is worth another attempt.
    pub fn is_retryable_status(status: StatusCode) -> bool {
        matches!(status.as_u16(), 429 | 502 | 503 | 504)
    }

    /// The backoff before attempt `attempt + 1` (attempt counts from 1): a uniformly random
    /// duration up to `min(max_delay, base_delay * 2^(attempt-1))`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(
                1u32.checked_shl(attempt.saturating_sub(1))
                    .unwrap_or(u32::MAX),
            )
            .min(self.max_delay);
        ceiling.mul_f64(rand::random::<f64>())
    }

    /// The wait before retrying a response: the server's word when it gives one
    /// (`Retry-After` in seconds or as an HTTP date, `X-RateLimit-Next` as RFC 3339),
    /// the rate window for a bare 429, otherwise the backoff.
    pub fn delay_for(&self, status: StatusCode, headers: &HeaderMap, attempt: u32) -> Duration {
        server_delay(headers, SystemTime::now())
            .or(if status == StatusCode::TOO_MANY_REQUESTS {
                self.rate_limit_wait
            } else {
                None
            })
            .unwrap_or_else(|| self.backoff(attempt))
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
    fn backoff_is_capped_full_jitter() {
        let policy = RetryPolicy::default();
        for attempt in 1..40 {
            let ceiling = policy
                .base_delay
                .saturating_mul(1 << attempt.min(20))
                .min(policy.max_delay);
            assert!(policy.backoff(attempt) <= ceiling);
        }
    }

    #[test]
    fn only_idempotent_methods_retry() {
        assert!(RetryPolicy::is_idempotent(&Method::GET));
        assert!(RetryPolicy::is_idempotent(&Method::DELETE));
        assert!(!RetryPolicy::is_idempotent(&Method::POST));
        assert!(!RetryPolicy::is_idempotent(&Method::PATCH));
    }
}
