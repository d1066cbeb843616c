//! The one error type every generated client returns.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error_body::{ErrorBody, ErrorBodyParser};

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Header names a server may use to identify a request in its logs.
const REQUEST_ID_HEADERS: &[&str] =
    &["x-request-id", "x-amzn-requestid", "x-amz-request-id", "request-id", "x-correlation-id", "trackingid"];

/// How many characters of a body an error message quotes.
const EXCERPT_CHARS: usize = 300;

/// Everything that can go wrong calling an API.
///
/// Every variant names the operation (the spec's operationId). Use [`Error::status`]
/// and [`Error::is_retryable`] rather than matching when that is all you need.
///
/// ```
/// # async fn demo(result: secgen_runtime::Result<()>) {
/// match result {
///     Ok(()) => {}
///     Err(error) if error.status().map(|s| s.as_u16()) == Some(404) => println!("not there"),
///     Err(error) => eprintln!("{error}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent, or the response could not be read.
    #[error("{operation}: request failed: {source}")]
    Transport {
        /// The operation that failed.
        operation: &'static str,
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },
    /// The connection ended before the response body was complete: a transport
    /// failure, retried like one for idempotent methods.
    #[error("{operation}: {}", cut_short_message(*.received, *.expected))]
    BodyCutShort {
        /// The operation that failed.
        operation: &'static str,
        /// The body bytes that arrived.
        received: u64,
        /// The body length the server announced (`Content-Length`), when known.
        expected: Option<u64>,
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },
    /// No complete response arrived within the configured timeout.
    #[error("{operation}: no response within {timeout:?}")]
    Timeout {
        /// The operation that failed.
        operation: &'static str,
        /// The timeout that was exceeded.
        timeout: Duration,
    },
    /// The server answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The response had a success status but its body is not what the spec describes.
    #[error("{operation}: could not decode the {status} response: {message}; body: {excerpt}")]
    Decode {
        /// The operation that failed.
        operation: &'static str,
        /// The response status.
        status: StatusCode,
        /// What did not match, with the JSON path where it was found.
        message: String,
        /// The start of the body.
        excerpt: String,
    },
    /// The request could not be built (a body that does not encode, a bad header value).
    #[error("{operation}: invalid request: {message}")]
    InvalidRequest {
        /// The operation that failed.
        operation: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The client configuration is unusable (for example a malformed base URL).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// Getting an OAuth2 access token failed (the identity service's status and
    /// error body; never the client secret).
    #[error("token request to {url} failed: {message}")]
    Token {
        /// The token URL.
        url: String,
        /// The identity service's status, if it answered.
        status: Option<StatusCode>,
        /// What went wrong, with the service's error message when it gave one.
        message: String,
    },
    /// The server redirected to another origin. The redirect is not followed, so
    /// credentials and the response stay with the API's origin.
    #[error(
        "{operation}: the server redirected to another origin, {target}; not followed, as credentials are sent only to the API's origin"
    )]
    Redirect {
        /// The operation that was redirected.
        operation: &'static str,
        /// The origin redirected to (scheme, host and port; no path or query).
        target: String,
    },
    /// A paginated listing cannot go on: the server repeated a page token, link
    /// or offset, or sent a next link to another origin.
    #[error("{operation}: pagination stopped: {message}")]
    Pagination {
        /// The list operation.
        operation: &'static str,
        /// Why.
        message: String,
    },
    /// A long-running job (a query run, a scan) did not finish within the time
    /// given. It goes on at the server: cancel it by its id where the API can.
    #[error("{operation}: {} did not finish within {timeout:?} (last state: {})", job_name(id.as_deref()), state.as_deref().unwrap_or("none reported"))]
    JobTimeout {
        /// The operation that started the job.
        operation: &'static str,
        /// The job's id, once the server gave one.
        id: Option<String>,
        /// The time given.
        timeout: Duration,
        /// The state the server last reported.
        state: Option<String>,
    },
    /// A long-running job finished without success, or the server's answer does
    /// not say which job it is.
    #[error("{operation}: {message}")]
    JobFailed {
        /// The operation that started the job.
        operation: &'static str,
        /// The job's id, once the server gave one.
        id: Option<String>,
        /// The outcome the server reported (`failed`, `timedOut`, ...), if any.
        outcome: Option<String>,
        /// What happened.
        message: String,
    },
}

/// "job `42`", or "the job" before the server named it.
fn job_name(id: Option<&str>) -> String {
    id.map_or_else(|| "the job".to_owned(), |id| format!("job `{id}`"))
}

impl Error {
    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(error) => Some(error.status),
            Error::Decode { status, .. } => Some(*status),
            Error::Token { status, .. } => *status,
            _ => None,
        }
    }

    /// The operation (operationId) this error belongs to.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Transport { operation, .. }
            | Error::BodyCutShort { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Decode { operation, .. }
            | Error::InvalidRequest { operation, .. }
            | Error::Redirect { operation, .. }
            | Error::Pagination { operation, .. }
            | Error::JobTimeout { operation, .. }
            | Error::JobFailed { operation, .. } => Some(operation),
            Error::Api(error) => Some(error.operation),
            Error::Config(_) | Error::Token { .. } => None,
        }
    }

    /// The API error, when the server answered with an error status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// The vendor's parsed error body, when there is one.
    pub fn vendor_error(&self) -> Option<&dyn ErrorBody> {
        self.api_error().and_then(ApiError::vendor_error)
    }

    /// The vendor's parsed error body as its own type (the API's configured
    /// error body type), when there is one.
    pub fn error_body<T: ErrorBody>(&self) -> Option<&T> {
        self.vendor_error()?.downcast_ref()
    }

    /// Whether sending the same request again later may succeed: timeouts,
    /// connection failures, 429 and the transient 5xx statuses (500, 502, 503, 504).
    /// The client has already retried as its [`RetryPolicy`](crate::RetryPolicy)
    /// allows; this is for callers who schedule their own retries.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::Transport { .. } | Error::BodyCutShort { .. } => true,
            Error::Api(error) => is_retryable_status(error.status),
            Error::Token { status, .. } => status.is_none_or(is_retryable_status),
            Error::Decode { .. }
            | Error::InvalidRequest { .. }
            | Error::Config(_)
            | Error::Redirect { .. }
            | Error::Pagination { .. }
            | Error::JobTimeout { .. }
            | Error::JobFailed { .. } => false,
        }
    }

    pub(crate) fn decode(operation: &'static str, status: StatusCode, message: String, body: &[u8]) -> Self {
        Error::Decode { operation, status, message, excerpt: excerpt(body) }
    }
}

/// "the response body was cut short after 100 of 1000 bytes".
pub(crate) fn cut_short_message(received: u64, expected: Option<u64>) -> String {
    match expected {
        Some(expected) => format!("the response body was cut short after {received} of {expected} bytes"),
        None => format!("the response body was cut short after {received} bytes"),
    }
}

/// 429 and the 5xx statuses that mean "try again".
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
}

/// An error status from the server, with its body parsed and kept.
pub struct ApiError {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    vendor: Option<Box<dyn ErrorBody>>,
    retry_stopped: Option<String>,
}

impl ApiError {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        parse_error_body: ErrorBodyParser,
    ) -> Self {
        let vendor = parse_error_body(&body);
        Self { operation, status, headers, body, vendor, retry_stopped: None }
    }

    /// Records why the retry policy stopped early (a server wait past the budget).
    pub(crate) fn with_retry_stopped(mut self, reason: Option<String>) -> Self {
        self.retry_stopped = reason;
        self
    }

    /// The operation (operationId) that failed.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw response body, whatever its shape.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body parsed as the vendor's error format, if it has that shape.
    pub fn vendor_error(&self) -> Option<&dyn ErrorBody> {
        self.vendor.as_deref()
    }

    /// The body parsed as the vendor's error format, as its own type.
    pub fn error_body<T: ErrorBody>(&self) -> Option<&T> {
        self.vendor_error()?.downcast_ref()
    }

    /// The body decoded as any type, for error schemas an operation documents.
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The server's request id, from a request-id header or the vendor body.
    pub fn request_id(&self) -> Option<&str> {
        REQUEST_ID_HEADERS
            .iter()
            .find_map(|name| self.headers.get(*name).and_then(|value| value.to_str().ok()))
            .or_else(|| self.vendor.as_deref().and_then(ErrorBody::request_id))
    }

    /// The start of the body, as text.
    pub fn excerpt(&self) -> String {
        excerpt(&self.body)
    }

    /// The rate-limit headers, if the server sent any (useful on a 429).
    pub fn rate_limit(&self) -> Option<crate::RateLimit> {
        crate::RateLimit::from_headers(&self.headers)
    }

    /// Why the client stopped retrying before its attempts ran out, when the
    /// server asked for a wait beyond the retry budget (for example "the server
    /// asked to wait 2635 s, beyond the retry budget of 120 s").
    pub fn retry_stopped(&self) -> Option<&str> {
        self.retry_stopped.as_deref()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        if let Some(summary) = self.vendor.as_deref().and_then(ErrorBody::summary) {
            write!(f, ": {summary}")?;
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request id {id})")?;
        }
        if let Some(reason) = &self.retry_stopped {
            write!(f, "; not retried: {reason}")?;
        }
        write!(f, "; body: {}", self.excerpt())
    }
}

impl fmt::Debug for ApiError {
    /// Header values are left out: response headers may carry cookies.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("request_id", &self.request_id())
            .field("vendor", &self.vendor)
            .field("retry_stopped", &self.retry_stopped)
            .field("body", &self.excerpt())
            .finish()
    }
}

/// The first [`EXCERPT_CHARS`] characters of a body, lossily decoded.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    if out.trim().is_empty() { "(empty)".to_owned() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_char_safe() {
        let body = "é".repeat(1000);
        let text = excerpt(body.as_bytes());
        assert_eq!(text.chars().count(), EXCERPT_CHARS + 1);
        assert!(text.ends_with('…'));
        assert_eq!(excerpt(b""), "(empty)");
    }

    #[test]
    fn api_error_names_operation_status_vendor_message_and_request_id() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "req-1".parse().unwrap());
        let body = Bytes::from_static(br#"{"error":"not_found","message":"Pipeline not found"}"#);
        let error = ApiError::new(
            "getPipeline",
            StatusCode::NOT_FOUND,
            headers,
            body,
            crate::parse_error_body::<crate::GenericErrorBody>,
        );
        let text = error.to_string();
        assert!(
            text.starts_with("getPipeline: HTTP 404 Not Found: not_found: Pipeline not found (request id req-1)"),
            "{text}"
        );
        assert_eq!(
            error.error_body::<crate::GenericErrorBody>().and_then(|body| body.error.as_deref()),
            Some("not_found")
        );
    }
}
