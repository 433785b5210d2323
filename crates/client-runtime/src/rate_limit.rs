//! Client-side request rate limiting, for APIs that document a request budget.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota};

/// At most `requests` per `per`, spread evenly (a GCRA limiter from `governor`, shared by
/// every clone of a client).
#[derive(Clone)]
pub struct RateLimit {
    requests: u32,
    per: Duration,
    limiter: Arc<DefaultDirectRateLimiter>,
}

impl RateLimit {
    /// A limit of `requests` per `per`, allowing a burst of the whole budget.
    /// Returns `None` when `requests` or `per` is zero.
    pub fn new(requests: u32, per: Duration) -> Option<Self> {
        let burst = NonZeroU32::new(requests)?;
        let quota = Quota::with_period(per / requests)?.allow_burst(burst);
        Some(Self {
            requests,
            per,
            limiter: Arc::new(DefaultDirectRateLimiter::direct(quota)),
        })
    }

    /// Waits until one more request fits in the budget.
    pub async fn until_ready(&self) {
        self.limiter.until_ready().await;
    }
}

impl std::fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RateLimit({} per {:?})", self.requests, self.per)
    }
}
