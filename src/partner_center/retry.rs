//! How long to wait before trying again, and how fast to send at all. Partner Center asks for
//! `Retry-After` on 429 and backoff on server errors (`developer/api-throttling-guidance.md`),
//! and allows about 500 requests a minute per tenant: [`RateLimiter`] keeps under that here.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// The waits of the retry loop. Production uses [`RetryPolicy::default`]; tests make them small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries of one request in all (the first and its retries), for 429, 5xx and transport
    /// failures alike.
    pub max_attempts: u32,
    /// The first backoff; each retry doubles it, up to `max_backoff`.
    pub base_backoff: Duration,
    pub max_backoff: Duration,
    /// A longer `Retry-After` is cut to this (a broken header must not stall a sync for hours).
    pub max_retry_after: Duration,
    /// One try, from sending to the last byte of the answer.
    pub timeout: Duration,
    /// An access token this close to its expiry is refreshed before use.
    pub refresh_margin: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            base_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            timeout: Duration::from_secs(60),
            refresh_margin: Duration::from_secs(300),
        }
    }
}

impl RetryPolicy {
    /// The wait after failed try number `attempt` (1 for the first): exponential, capped, with
    /// jitter in its upper half so that clients that failed together don't retry together.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let doubled = self
            .base_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let cap = doubled.min(self.max_backoff);
        let half = cap / 2;
        // Jitter needs no strong randomness; the OS source is there already.
        let jitter = getrandom::u64().unwrap_or(0) % (half.as_millis() as u64 + 1);
        half + Duration::from_millis(jitter)
    }

    /// The wait a 429 asks for: its `Retry-After` (seconds, as Partner Center sends it), within
    /// the cap; without one, or on a repeated 429, at least the backoff.
    pub fn throttled(&self, retry_after: Option<Duration>, attempt: u32) -> Duration {
        let asked = retry_after.map(|d| d.min(self.max_retry_after));
        match asked {
            Some(asked) if attempt <= 1 => asked,
            Some(asked) => asked.max(self.backoff(attempt)),
            None => self.backoff(attempt),
        }
    }
}

/// Lifts the client's pace for a local test server (the bench's fake, the tests).
pub const PACE_VAR: &str = "TWOTIER_PC_REQUESTS_PER_MINUTE";

/// Requests a minute: Partner Center allows 500; a little under leaves room for clock
/// differences.
pub const PARTNER_CENTER_PACE: usize = 480;

/// At most `limit` requests in any `window`: a request that would be one too many waits until
/// the oldest leaves the window.
#[derive(Debug)]
pub struct RateLimiter {
    limit: usize,
    window: Duration,
    sent: tokio::sync::Mutex<VecDeque<Instant>>,
}

impl RateLimiter {
    /// [`PARTNER_CENTER_PACE`], or the one [`PACE_VAR`] sets (a local test server only); a value
    /// that is not a number above 0 is refused, in words.
    pub fn partner_center() -> Result<RateLimiter, String> {
        let limit = match std::env::var(PACE_VAR) {
            Err(_) => PARTNER_CENTER_PACE,
            Ok(v) => match v.trim().parse::<usize>() {
                Ok(n) if n > 0 => n,
                _ => {
                    return Err(format!(
                        "{PACE_VAR} must be a whole number of requests a minute, above 0 (it is {}).",
                        crate::domain::text::escaped(&v)
                    ));
                }
            },
        };
        Ok(RateLimiter::new(limit, Duration::from_secs(60)))
    }

    pub fn new(limit: usize, window: Duration) -> RateLimiter {
        RateLimiter {
            limit: limit.max(1),
            window,
            sent: tokio::sync::Mutex::new(VecDeque::new()),
        }
    }

    /// Waits for a free slot and takes it.
    pub async fn acquire(&self) {
        let mut sent = self.sent.lock().await;
        loop {
            let now = Instant::now();
            while sent
                .front()
                .is_some_and(|&t| now.duration_since(t) >= self.window)
            {
                sent.pop_front();
            }
            if sent.len() < self.limit {
                sent.push_back(now);
                return;
            }
            let oldest = *sent.front().expect("full, so not empty");
            // Holding the lock while waiting keeps the order of the callers.
            tokio::time::sleep_until(oldest + self.window).await;
        }
    }
}

/// `Retry-After` as seconds (the form Partner Center sends; an HTTP date is not used there).
pub fn parse_retry_after(value: Option<&str>) -> Option<Duration> {
    let secs: f64 = value?.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        let policy = RetryPolicy {
            base_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        for attempt in 1..=10 {
            let full =
                Duration::from_millis(100 * (1 << (attempt - 1))).min(Duration::from_millis(1000));
            for _ in 0..20 {
                let wait = policy.backoff(attempt);
                assert!(wait >= full / 2 && wait <= full, "{attempt}: {wait:?}");
            }
        }
    }

    #[test]
    fn retry_after_is_honoured_within_its_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.throttled(Some(Duration::from_secs(57)), 1),
            Duration::from_secs(57)
        );
        assert_eq!(
            policy.throttled(Some(Duration::from_secs(9999)), 1),
            policy.max_retry_after
        );
        assert!(policy.throttled(Some(Duration::from_secs(1)), 3) >= Duration::from_secs(1));
        assert_eq!(
            parse_retry_after(Some(" 57 ")),
            Some(Duration::from_secs(57))
        );
        assert_eq!(
            parse_retry_after(Some("Tue, 21 Jul 2020 04:10:58 GMT")),
            None
        );
        assert_eq!(parse_retry_after(Some("-3")), None);
    }

    #[test]
    fn the_limiter_lets_through_at_most_its_limit_per_window() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            let limiter = RateLimiter::new(3, Duration::from_millis(150));
            let start = Instant::now();
            for _ in 0..3 {
                limiter.acquire().await;
            }
            assert!(start.elapsed() < Duration::from_millis(100));
            // The 4th to 6th wait for the first window to pass, the 7th for the second.
            for _ in 0..4 {
                limiter.acquire().await;
            }
            assert!(
                start.elapsed() >= Duration::from_millis(300),
                "{:?}",
                start.elapsed()
            );
        });
    }
}
