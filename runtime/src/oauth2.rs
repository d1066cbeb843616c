//! OAuth2 client credentials: a token fetched on demand, cached until shortly
//! before it expires, and shared by all requests.

use std::fmt;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde::Deserialize;

use crate::client::{cross_origin_target, read_body};
use crate::error::{Error, Result, excerpt};
use crate::error_body::{GenericErrorBody, parse_error_body};
use crate::redact::Redaction;
use crate::retry::{Decision, Failure, OverBudget, RetryPolicy};
use crate::secret::Secret;

/// The client credentials grant (RFC 6749 §4.4): a client id and secret traded at
/// a token URL for a bearer token.
///
/// ```
/// use secgen_runtime::{Auth, ClientCredentials};
///
/// let auth = Auth::client_credentials(
///     ClientCredentials::new("https://id.example.com/oauth2/token", "my-client-id", "my-secret").scope("token"),
/// );
/// assert!(!format!("{auth:?}").contains("my-secret"));
/// ```
#[derive(Clone)]
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scope: Option<String>,
    refresh_margin: Duration,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scope", &self.scope)
            .finish()
    }
}

impl ClientCredentials {
    /// Credentials for `token_url`. Tokens are renewed 120 s before they expire
    /// (as vendors' own SIEM clients do); see [`refresh_margin`](Self::refresh_margin).
    pub fn new(token_url: impl Into<String>, client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        Self {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scope: None,
            refresh_margin: Duration::from_secs(120),
        }
    }

    /// The `scope` form field, when the identity service wants one.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// How long before `expires_in` runs out a token is renewed.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// The client id (not a secret).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
}

/// A successful token response; other fields are ignored.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

struct CachedToken {
    token: Secret,
    renew_at: Instant,
}

/// The cached token. Requests that find it missing or due queue on one lock, so
/// only the first of them asks for a new one and the others reuse it.
pub(crate) struct TokenCache {
    credentials: ClientCredentials,
    current: tokio::sync::Mutex<Option<CachedToken>>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.credentials.fmt(f)
    }
}

impl TokenCache {
    pub(crate) fn new(credentials: ClientCredentials) -> Self {
        Self { credentials, current: tokio::sync::Mutex::new(None) }
    }

    /// A valid token: the cached one, or a new one.
    pub(crate) async fn token(&self, http: &reqwest::Client, timeout: Duration, retry: &RetryPolicy) -> Result<Secret> {
        let mut current = self.current.lock().await;
        if let Some(cached) = current.as_ref().filter(|cached| Instant::now() < cached.renew_at) {
            return Ok(cached.token.clone());
        }
        let fresh = self.request(http, timeout, retry).await?;
        let token = fresh.token.clone();
        *current = Some(fresh);
        Ok(token)
    }

    /// Forgets `rejected` (after a 401), unless another request already replaced it.
    pub(crate) async fn invalidate(&self, rejected: &Secret) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|cached| cached.token.expose() == rejected.expose()) {
            *current = None;
        }
    }

    /// POSTs the form to the token URL, retrying 429, 5xx and connection failures.
    async fn request(&self, http: &reqwest::Client, timeout: Duration, retry: &RetryPolicy) -> Result<CachedToken> {
        let credentials = &self.credentials;
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", credentials.client_id.as_str()),
            ("client_secret", credentials.client_secret.expose()),
        ];
        if let Some(scope) = &credentials.scope {
            form.push(("scope", scope));
        }
        let body = serde_html_form::to_string(&form).map_err(|error| self.error(None, error.to_string()))?;
        let mut waited = Duration::ZERO;
        for attempt in 1.. {
            tracing::debug!(token_url = %credentials.token_url, attempt, "requesting an access token");
            let sent = http
                .post(&credentials.token_url)
                .timeout(timeout)
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(ACCEPT, HeaderValue::from_static("application/json"))
                .body(body.clone())
                .send()
                .await;
            // Token requests are safe to repeat: they are retried like a GET.
            let failure = match sent {
                Ok(response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    match read_body(response).await {
                        Ok(bytes) if status.is_success() => return self.parse(status, &bytes),
                        Ok(bytes) => {
                            match retry.judge(&reqwest::Method::GET, Failure::Status(status, &headers), attempt, waited)
                            {
                                (Decision::RetryAfter(wait), _) => wait,
                                (Decision::GiveUp, over_budget) => {
                                    return Err(self.status_error(status, &bytes, over_budget));
                                }
                            }
                        }
                        Err(cut) => self.transport_retry(retry, attempt, waited, Some(status), cut.to_string())?,
                    }
                }
                Err(error) => {
                    if let Some(target) = cross_origin_target(&error) {
                        let message = format!("redirected to another origin, {target}; not followed");
                        return Err(self.error(None, message));
                    }
                    self.transport_retry(retry, attempt, waited, None, error.to_string())?
                }
            };
            tokio::time::sleep(failure).await;
            waited += failure;
        }
        unreachable!("the loop returns")
    }

    /// The wait before retrying a failed connection, or the error if retries are over.
    fn transport_retry(
        &self,
        retry: &RetryPolicy,
        attempt: u32,
        waited: Duration,
        status: Option<StatusCode>,
        message: String,
    ) -> Result<Duration> {
        match retry.decide(&reqwest::Method::GET, Failure::Transport, attempt, waited) {
            Decision::RetryAfter(wait) => Ok(wait),
            Decision::GiveUp => Err(self.error(status, message)),
        }
    }

    fn parse(&self, status: StatusCode, bytes: &[u8]) -> Result<CachedToken> {
        let parsed: TokenResponse = serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(bytes))
            .map_err(|error| {
                let redaction = Redaction::of_body(bytes);
                let field = match error.path().to_string() {
                    path if path == "." => String::new(),
                    path => format!("`{path}`: "),
                };
                let message = format!(
                    "the response is not a token ({field}{}); body: {}",
                    error.inner(),
                    excerpt(redaction.text().as_bytes())
                );
                self.error(Some(status), redaction.scrub(&message))
            })?;
        let lifetime = Duration::from_secs(parsed.expires_in.unwrap_or(3600));
        // A lifetime shorter than the margin is renewed halfway instead.
        let usable = lifetime.checked_sub(self.credentials.refresh_margin).unwrap_or(lifetime / 2);
        Ok(CachedToken { token: Secret::new(parsed.access_token), renew_at: Instant::now() + usable })
    }

    /// The identity service's error, with any credential in its body redacted.
    fn status_error(&self, status: StatusCode, bytes: &[u8], over_budget: Option<OverBudget>) -> Error {
        let redaction = Redaction::of_body(bytes);
        let summary = parse_error_body::<GenericErrorBody>(bytes).and_then(|body| body.summary());
        let not_retried = over_budget.map(|reason| format!("; not retried: {reason}")).unwrap_or_default();
        let message = match summary {
            Some(summary) => format!("HTTP {status}: {summary}{not_retried}"),
            None => format!("HTTP {status}{not_retried}; body: {}", excerpt(redaction.text().as_bytes())),
        };
        self.error(Some(status), redaction.scrub(&message))
    }

    fn error(&self, status: Option<StatusCode>, message: String) -> Error {
        Error::Token { url: self.credentials.token_url.clone(), status, message }
    }
}
