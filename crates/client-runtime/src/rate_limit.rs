//! Client-side request rate limiting, for APIs that document a request budget.
//!
//! A sliding-window log rather than a token bucket (such as `governor`'s GCRA): APIs like
//! Harmony SASE count requests per window, and a bucket that starts full lets through its
//! burst plus its refill within the first window, which such a server answers with 429s.
//! The log guarantees that no window of `per` ever holds more than `requests` requests.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// At most `requests` per any window of `per`, shared by every clone of a client.
#[derive(Clone)]
pub struct RateLimit {
    requests: usize,
    per: Duration,
    sent: Arc<Mutex<VecDeque<Instant>>>,
}

impl RateLimit {
    /// A limit of `requests` per `per`. Returns `None` when either is zero.
    pub fn new(requests: u32, per: Duration) -> Option<Self> {
        (requests > 0 && !per.is_zero()).then(|| Self {
            requests: requests as usize,
            per,
            sent: Arc::new(Mutex::new(VecDeque::with_capacity(requests as usize))),
        })
    }

    /// Waits until one more request fits in the window, and counts it.
    pub async fn until_ready(&self) {
        let mut sent = self.sent.lock().await;
        loop {
            let now = Instant::now();
            while sent
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.per)
            {
                sent.pop_front();
            }
            if sent.len() < self.requests {
                sent.push_back(now);
                return;
            }
            // Holding the lock while waiting keeps callers in arrival order.
            let oldest = *sent.front().expect("the window is full, so not empty");
            tokio::time::sleep_until(oldest + self.per).await;
        }
    }
}

impl std::fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RateLimit({} per {:?})", self.requests, self.per)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn no_window_holds_more_than_the_budget() {
        let limit = RateLimit::new(3, Duration::from_secs(60)).expect("valid limit");
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..7 {
            limit.until_ready().await;
            times.push(start.elapsed());
        }
        let secs: Vec<u64> = times.iter().map(Duration::as_secs).collect();
        assert_eq!(secs, [0, 0, 0, 60, 60, 60, 120]);
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..]
                .iter()
                .filter(|u| **u - *t < Duration::from_secs(60))
                .count();
            assert!(in_window <= 3, "window starting at {t:?} holds {in_window}");
        }
    }

    #[test]
    fn zero_budgets_are_refused() {
        assert!(RateLimit::new(0, Duration::from_secs(1)).is_none());
        assert!(RateLimit::new(1, Duration::ZERO).is_none());
    }
}
