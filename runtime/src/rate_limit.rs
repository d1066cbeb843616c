//! Rate-limit headers, in every spelling vendors use.

use std::time::Duration;

use reqwest::header::HeaderMap;

/// What the server says about the caller's request budget.
///
/// Read from `X-RateLimit-*`, `X-Rate-Limit-*` (the same, as some vendors document
/// it) or the IETF `RateLimit-*`. `reset` is the time until the window
/// resets, in seconds as the headers give it.
///
/// ```
/// use secgen_runtime::{HeaderMap, RateLimit};
///
/// let mut headers = HeaderMap::new();
/// headers.insert("x-ratelimit-limit", "3000".parse().unwrap());
/// headers.insert("x-ratelimit-remaining", "2999".parse().unwrap());
/// headers.insert("x-ratelimit-reset", "2635".parse().unwrap());
/// let limit = RateLimit::from_headers(&headers).unwrap();
/// assert_eq!(limit.remaining, Some(2999));
/// assert_eq!(limit.reset, Some(std::time::Duration::from_secs(2635)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub limit: Option<u64>,
    /// Requests left in this window.
    pub remaining: Option<u64>,
    /// Time until the window resets.
    pub reset: Option<Duration>,
}

const PREFIXES: [&str; 3] = ["x-ratelimit-", "x-rate-limit-", "ratelimit-"];

impl RateLimit {
    /// The rate-limit headers of a response, if it has any.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let limit =
            Self { limit: number(headers, "limit"), remaining: number(headers, "remaining"), reset: reset(headers) };
        (limit.limit.is_some() || limit.remaining.is_some() || limit.reset.is_some()).then_some(limit)
    }
}

fn number(headers: &HeaderMap, suffix: &str) -> Option<u64> {
    PREFIXES
        .iter()
        .find_map(|prefix| headers.get(format!("{prefix}{suffix}").as_str())?.to_str().ok()?.trim().parse().ok())
}

/// The reset header as a duration (seconds until reset).
pub(crate) fn reset(headers: &HeaderMap) -> Option<Duration> {
    number(headers, "reset").map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_x_rate_limit_spellings_are_read() {
        let mut headers = HeaderMap::new();
        headers.insert("x-rate-limit-reset", "12".parse().unwrap());
        assert_eq!(RateLimit::from_headers(&headers).unwrap().reset, Some(Duration::from_secs(12)));
        assert_eq!(RateLimit::from_headers(&HeaderMap::new()), None);
    }
}
