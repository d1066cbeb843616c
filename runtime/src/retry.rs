//! Retries: which failures to try again, how long to wait, and when to stop.

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

use crate::rate_limit;

/// When and how often a request is sent again.
///
/// - 429 is retried for every method, after the server's `Retry-After` (seconds or
///   an HTTP date) or rate-limit reset header (`X-RateLimit-Reset` or
///   `X-Rate-Limit-Reset`, seconds until reset) when it sends one.
/// - Idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE) are also retried on
///   connection failures, timeouts, a connection lost mid-body, and 500, 502, 503
///   and 504. A 503 honours `Retry-After` but not the rate-limit reset header,
///   which some servers send on every response and which says when the request
///   quota renews, not when the outage ends. POST and PATCH are retried only on 429.
/// - Otherwise the wait is exponential backoff with full jitter.
/// - It stops after `max_attempts` sends, or when the next wait would take the
///   total time spent waiting past `max_total_wait`. When that wait is one the
///   server asked for, the error says so
///   ([`ApiError::retry_stopped`](crate::ApiError::retry_stopped)).
///
/// ```
/// use std::time::Duration;
/// use secgen_runtime::RetryPolicy;
///
/// let patient = RetryPolicy::default().max_attempts(6).max_total_wait(Duration::from_secs(600));
/// let never = RetryPolicy::disabled();
/// assert_eq!(never.attempts_allowed(), 1);
/// # let _ = patient;
/// ```
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_total_wait: Duration,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, at most 2 minutes of waiting, backoff from 200 ms up to 20 s.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            max_total_wait: Duration::from_secs(120),
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
        }
    }
}

/// One failed attempt, as the policy sees it.
#[derive(Debug, Clone, Copy)]
pub enum Failure<'a> {
    /// The server answered with this status and headers.
    Status(StatusCode, &'a HeaderMap),
    /// The connection failed, timed out or broke before the response was complete.
    Transport,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send again after this wait.
    RetryAfter(Duration),
    /// Stop and report the failure.
    GiveUp,
}

impl RetryPolicy {
    /// Never retries.
    pub fn disabled() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// Total sends, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The most time spent waiting between attempts, all waits together.
    pub fn max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// The first backoff and the largest one.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Total sends allowed.
    pub fn attempts_allowed(&self) -> u32 {
        self.max_attempts
    }

    /// Whether a failure is worth another attempt for this method.
    pub fn is_retryable(method: &Method, failure: Failure<'_>) -> bool {
        let idempotent = crate::client::is_idempotent(method);
        match failure {
            Failure::Status(status, _) if status == StatusCode::TOO_MANY_REQUESTS => true,
            Failure::Status(status, _) => idempotent && matches!(status.as_u16(), 500 | 502 | 503 | 504),
            Failure::Transport => idempotent,
        }
    }

    /// Decides after attempt number `attempt` (1-based) failed, with `waited`
    /// already spent waiting.
    pub fn decide(&self, method: &Method, failure: Failure<'_>, attempt: u32, waited: Duration) -> Decision {
        self.judge(method, failure, attempt, waited).0
    }

    /// [`decide`](Self::decide), and why it gave up when the server asked for a
    /// wait past the budget (the caller is told: the server's wait is news).
    pub(crate) fn judge(
        &self,
        method: &Method,
        failure: Failure<'_>,
        attempt: u32,
        waited: Duration,
    ) -> (Decision, Option<OverBudget>) {
        if attempt >= self.max_attempts || !Self::is_retryable(method, failure) {
            return (Decision::GiveUp, None);
        }
        let asked = match failure {
            Failure::Status(status, headers) => server_wait(status, headers),
            Failure::Transport => None,
        };
        let wait = asked.unwrap_or_else(|| self.jittered_backoff(attempt));
        if waited + wait <= self.max_total_wait {
            return (Decision::RetryAfter(wait), None);
        }
        let over_budget = asked.map(|asked| OverBudget { asked, budget: self.max_total_wait, waited });
        (Decision::GiveUp, over_budget)
    }

    /// Full jitter: a random wait between zero and the exponential bound.
    fn jittered_backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(16);
        let bound = self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
        bound.mul_f64(fastrand::f64())
    }
}

/// A server asked to wait longer than the retry budget has left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OverBudget {
    asked: Duration,
    budget: Duration,
    waited: Duration,
}

impl fmt::Display for OverBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the server asked to wait {}, beyond the retry budget of {}",
            seconds(self.asked),
            seconds(self.budget)
        )?;
        if !self.waited.is_zero() {
            write!(f, " ({} of it already spent)", seconds(self.waited))?;
        }
        Ok(())
    }
}

/// Whole seconds as `12 s`, anything finer as `0.2 s`.
fn seconds(duration: Duration) -> String {
    if duration.subsec_nanos() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

/// The wait a server asked for with this status: on a 429, `Retry-After`
/// (seconds or HTTP date), else the rate-limit reset header; on a 503,
/// `Retry-After` only.
fn server_wait(status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
    match status {
        StatusCode::TOO_MANY_REQUESTS => retry_after(headers).or_else(|| rate_limit::reset(headers)),
        StatusCode::SERVICE_UNAVAILABLE => retry_after(headers),
        _ => None,
    }
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn post_is_retried_only_on_429() {
        let none = HeaderMap::new();
        assert!(RetryPolicy::is_retryable(&Method::POST, Failure::Status(StatusCode::TOO_MANY_REQUESTS, &none)));
        assert!(!RetryPolicy::is_retryable(&Method::POST, Failure::Status(StatusCode::SERVICE_UNAVAILABLE, &none)));
        assert!(!RetryPolicy::is_retryable(&Method::POST, Failure::Transport));
        assert!(RetryPolicy::is_retryable(&Method::PUT, Failure::Status(StatusCode::BAD_GATEWAY, &none)));
        assert!(RetryPolicy::is_retryable(&Method::GET, Failure::Transport));
        assert!(!RetryPolicy::is_retryable(&Method::GET, Failure::Status(StatusCode::NOT_FOUND, &none)));
    }

    #[test]
    fn the_server_says_how_long_to_wait() {
        let policy = RetryPolicy::default();
        let seconds = headers(&[("retry-after", "7")]);
        let decision =
            policy.decide(&Method::GET, Failure::Status(StatusCode::TOO_MANY_REQUESTS, &seconds), 1, Duration::ZERO);
        assert_eq!(decision, Decision::RetryAfter(Duration::from_secs(7)));
        let reset = headers(&[("x-ratelimit-reset", "3")]);
        let decision =
            policy.decide(&Method::POST, Failure::Status(StatusCode::TOO_MANY_REQUESTS, &reset), 1, Duration::ZERO);
        assert_eq!(decision, Decision::RetryAfter(Duration::from_secs(3)));
        let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let Some(wait) = server_wait(StatusCode::SERVICE_UNAVAILABLE, &headers(&[("retry-after", &date)])) else {
            panic!("date not read")
        };
        assert!(wait > Duration::from_secs(28) && wait <= Duration::from_secs(30), "{wait:?}");
    }

    #[test]
    fn attempts_and_total_wait_are_limited() {
        let policy = RetryPolicy::default().max_attempts(2).max_total_wait(Duration::from_secs(10));
        let none = HeaderMap::new();
        let failure = Failure::Status(StatusCode::SERVICE_UNAVAILABLE, &none);
        assert_eq!(policy.decide(&Method::GET, failure, 2, Duration::ZERO), Decision::GiveUp);
        let long = headers(&[("retry-after", "60")]);
        let failure = Failure::Status(StatusCode::TOO_MANY_REQUESTS, &long);
        assert_eq!(
            policy.decide(&Method::GET, failure, 1, Duration::ZERO),
            Decision::GiveUp,
            "60 s is past the 10 s budget"
        );
        assert_eq!(
            RetryPolicy::disabled().decide(&Method::GET, Failure::Transport, 1, Duration::ZERO),
            Decision::GiveUp
        );
    }

    #[test]
    fn the_rate_limit_reset_is_a_wait_for_429_only() {
        let policy = RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(1));
        let reset = headers(&[("x-ratelimit-reset", "2635")]);
        let unavailable = Failure::Status(StatusCode::SERVICE_UNAVAILABLE, &reset);
        let Decision::RetryAfter(wait) = policy.decide(&Method::GET, unavailable, 1, Duration::ZERO) else {
            panic!("a 503 is retried after backoff")
        };
        assert!(wait <= Duration::from_millis(1), "{wait:?}");
        let limited = Failure::Status(StatusCode::TOO_MANY_REQUESTS, &reset);
        let (decision, over_budget) = policy.judge(&Method::GET, limited, 1, Duration::from_secs(5));
        assert_eq!(decision, Decision::GiveUp);
        assert_eq!(
            over_budget.map(|reason| reason.to_string()).as_deref(),
            Some("the server asked to wait 2635 s, beyond the retry budget of 120 s (5 s of it already spent)")
        );
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(400));
        for attempt in 1..10 {
            let bound = Duration::from_millis(100 * (1 << (attempt - 1).min(2)));
            assert!(policy.jittered_backoff(attempt) <= bound);
        }
    }
}
