//! The configured HTTP client that generated clients wrap.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Method, StatusCode};
use tracing::Instrument;
use url::Url;

use crate::auth::Auth;
use crate::base_url::BaseUrl;
use crate::error::{ApiError, Error, Result};
use crate::error_body::{ErrorBody, ErrorBodyParser, GenericErrorBody, parse_error_body};
use crate::hooks::{Hook, HookContext, Outcome};
use crate::pagination::{PageStyle, Pager, Paginated};
use crate::request::{Body, Request, parse_header};
use crate::response::RawResponse;
use crate::retry::{Decision, Failure, RetryPolicy};

/// What a generated crate tells the runtime about its API.
///
/// ```
/// use secgen_runtime::{ApiInfo, GenericErrorBody};
///
/// const API: ApiInfo = ApiInfo::new("example-api", "0.1.0")
///     .default_base_url("https://api.example.com/v1")
///     .error_body::<GenericErrorBody>();
/// assert_eq!(API.name, "example-api");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ApiInfo {
    /// The generated crate's name, used in the user agent.
    pub name: &'static str,
    /// The generated crate's version, used in the user agent.
    pub version: &'static str,
    /// The base URL used when the caller names none.
    pub default_base_url: Option<&'static str>,
    /// Reads the API's error bodies (see [`ApiInfo::error_body`]).
    pub parse_error_body: ErrorBodyParser,
    /// Whether the base URL must be `https` (unless the caller allows `http`).
    pub require_https: bool,
}

impl ApiInfo {
    /// An API with no default base URL and [`GenericErrorBody`] error bodies.
    pub const fn new(name: &'static str, version: &'static str) -> Self {
        Self {
            name,
            version,
            default_base_url: None,
            parse_error_body: parse_error_body::<GenericErrorBody>,
            require_https: false,
        }
    }

    /// Sets the base URL used when the caller names none.
    pub const fn default_base_url(mut self, url: &'static str) -> Self {
        self.default_base_url = Some(url);
        self
    }

    /// The type error statuses' bodies are parsed into: the vendor's error body.
    pub const fn error_body<T: ErrorBody + serde::de::DeserializeOwned>(mut self) -> Self {
        self.parse_error_body = parse_error_body::<T>;
        self
    }

    /// Refuses `http` base URLs unless the caller calls
    /// [`ClientBuilder::allow_http`] (for customer-hosted APIs whose URL the
    /// caller types in).
    pub const fn require_https(mut self) -> Self {
        self.require_https = true;
        self
    }
}

/// Configures a client; `C` is the generated client type it builds.
///
/// ```no_run
/// use std::time::Duration;
/// use secgen_runtime::{ApiClient, ApiInfo, Auth, ClientBuilder, RetryPolicy};
///
/// static API: ApiInfo = ApiInfo::new("example", "1.0.0");
/// let client: ApiClient = ClientBuilder::new(&API)
///     .base_url("https://api.example.com/v1")
///     .auth(Auth::bearer("token"))
///     .timeout(Duration::from_secs(30))
///     .retry(RetryPolicy::default().max_attempts(5))
///     .build()?;
/// # Ok::<(), secgen_runtime::Error>(())
/// ```
pub struct ClientBuilder<C = ApiClient> {
    api: &'static ApiInfo,
    base_url: Option<BaseUrl>,
    auth: Auth,
    http: Option<reqwest::Client>,
    user_agent: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
    default_headers: HeaderMap,
    allow_http: bool,
    /// The first invalid setting, reported by `build`.
    problem: Option<String>,
    target: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api", &self.api.name)
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl<C> ClientBuilder<C> {
    /// Starts from the API's defaults: its default base URL, no credentials, a 60 s
    /// request timeout, a 10 s connect timeout and [`RetryPolicy::default`].
    pub fn new(api: &'static ApiInfo) -> Self {
        Self {
            api,
            base_url: None,
            auth: Auth::none(),
            http: None,
            user_agent: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            hooks: Vec::new(),
            default_headers: HeaderMap::new(),
            allow_http: false,
            problem: None,
            target: PhantomData,
        }
    }

    /// The API's base URL, or a vendor region.
    pub fn base_url(mut self, base_url: impl Into<BaseUrl>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The credentials to send.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Uses a `reqwest` client you configured (proxies, certificates); the connect
    /// timeout and the redirect policy are then yours to set on it. The client
    /// this builder creates follows redirects only on the API's origin; give yours
    /// [`same_origin_redirects`] to do the same (reqwest's default policy follows
    /// redirects to any origin, dropping the `Authorization` header on the way).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Replaces the default user agent (`<crate>/<version> secgen-runtime/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The longest a single attempt may take, body included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting may take.
    pub fn connect_timeout(mut self, connect_timeout: Duration) -> Self {
        self.connect_timeout = connect_timeout;
        self
    }

    /// When to retry; [`RetryPolicy::disabled`] turns retries off.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Adds a hook called around every attempt of every operation.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// A header sent with every request (for example a tenant id). The name may
    /// be in any case (it is sent lowercased); an invalid name or value makes
    /// [`build`](Self::build) fail with [`Error::Config`].
    pub fn default_header(mut self, name: &'static str, value: impl AsRef<str>) -> Self {
        match parse_header(name, value.as_ref()) {
            Ok((name, value)) => {
                self.default_headers.insert(name, value);
            }
            Err(problem) => {
                self.problem.get_or_insert(format!("default header: {problem}"));
            }
        }
        self
    }

    /// Accepts an `http` base URL for an API that requires `https`: for local
    /// testing only, as credentials then travel in clear text.
    pub fn allow_http(mut self) -> Self {
        self.allow_http = true;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<C>
    where
        C: From<ApiClient>,
    {
        self.build_api_client().map(C::from)
    }

    /// Builds the runtime client itself (for helpers that route before wrapping).
    pub fn build_api_client(self) -> Result<ApiClient> {
        if let Some(problem) = self.problem {
            return Err(Error::Config(problem));
        }
        let located = match self.base_url {
            Some(base_url) => base_url.into_located()?,
            None => match self.api.default_base_url {
                Some(url) => BaseUrl::from(url).into_located()?,
                None => {
                    return Err(Error::Config(format!(
                        "{} has no default base URL; set yours with `.base_url(..)`",
                        self.api.name
                    )));
                }
            },
        };
        let auth = located.auth(self.auth);
        let base_url = located.url;
        if self.api.require_https && base_url.scheme() != "https" && !self.allow_http {
            return Err(Error::Config(format!(
                "base URL `{base_url}` is not https; credentials would travel in clear text (call `.allow_http()` for local testing)"
            )));
        }
        let user_agent = self.user_agent.unwrap_or_else(|| {
            format!("{}/{} secgen-runtime/{}", self.api.name, self.api.version, env!("CARGO_PKG_VERSION"))
        });
        let user_agent =
            HeaderValue::from_str(&user_agent).map_err(|_| Error::Config("user agent is not a valid header".into()))?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(same_origin_redirects())
                .build()
                .map_err(|error| Error::Config(format!("HTTP client: {error}")))?,
        };
        let inner = ClientInner {
            api: self.api,
            base_url,
            http,
            auth,
            user_agent,
            timeout: self.timeout,
            retry: self.retry,
            hooks: self.hooks,
            default_headers: self.default_headers,
        };
        Ok(ApiClient { inner: Arc::new(inner) })
    }
}

/// The redirect policy of the clients [`ClientBuilder`] creates: redirects on the
/// origin of the request are followed (at most 10), a redirect to any other origin
/// ends the request with [`Error::Redirect`], so neither credentials nor the
/// caller's trust in the response cross origins.
///
/// For a `reqwest` client of your own given to [`ClientBuilder::http_client`]:
///
/// ```
/// let http = secgen_runtime::reqwest::Client::builder()
///     .redirect(secgen_runtime::same_origin_redirects())
///     .build()?;
/// # Ok::<(), secgen_runtime::reqwest::Error>(())
/// ```
pub fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first_origin = attempt.previous().first().map(Url::origin);
        let target = attempt.url().origin();
        if first_origin.as_ref() == Some(&target) {
            reqwest::redirect::Policy::default().redirect(attempt)
        } else {
            attempt.error(CrossOriginRedirect { target: target.ascii_serialization() })
        }
    })
}

/// The redirect policy's reason for stopping, found again in the `reqwest` error.
#[derive(Debug)]
struct CrossOriginRedirect {
    target: String,
}

impl fmt::Display for CrossOriginRedirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "refused a redirect to another origin, {}", self.target)
    }
}

impl std::error::Error for CrossOriginRedirect {}

/// A configured client: base URL, credentials, retry policy, hooks and HTTP
/// connection pool.
///
/// Cheap to clone (all clones share one pool and one cached token). Generated
/// clients wrap it; use it directly only for calls the spec does not describe.
#[derive(Clone)]
pub struct ApiClient {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    api: &'static ApiInfo,
    base_url: Url,
    http: reqwest::Client,
    auth: Auth,
    user_agent: HeaderValue,
    timeout: Duration,
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
    default_headers: HeaderMap,
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClient")
            .field("api", &self.inner.api.name)
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field("hooks", &self.inner.hooks.len())
            .finish_non_exhaustive()
    }
}

/// What one attempt got back: a complete response.
struct Received {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// Why one attempt got no complete response.
enum AttemptFailure {
    /// The connection failed or timed out (worth retrying for idempotent methods).
    Transport(reqwest::Error),
    /// The body ended early (retried like a transport failure).
    CutShort(CutShort),
    /// The server redirected to another origin (never retried).
    CrossOriginRedirect { target: String },
    /// The body could not be made for this attempt (a file that does not open).
    Body(String),
}

impl AttemptFailure {
    fn from_reqwest(error: reqwest::Error) -> Self {
        match cross_origin_target(&error) {
            Some(target) => AttemptFailure::CrossOriginRedirect { target },
            // The URL may hold a secret query parameter; the error names the operation instead.
            None => AttemptFailure::Transport(error.without_url()),
        }
    }

    /// What hooks are told.
    fn message(&self) -> String {
        match self {
            AttemptFailure::Transport(error) => error.to_string(),
            AttemptFailure::CutShort(cut) => cut.to_string(),
            AttemptFailure::CrossOriginRedirect { target } => format!("refused a redirect to another origin, {target}"),
            AttemptFailure::Body(message) => message.clone(),
        }
    }
}

/// A response body that stopped before it was complete.
pub(crate) struct CutShort {
    received: u64,
    expected: Option<u64>,
    source: reqwest::Error,
}

impl fmt::Display for CutShort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::error::cut_short_message(self.received, self.expected))
    }
}

/// Reads a whole body chunk by chunk, counting what arrived in case it stops early.
pub(crate) async fn read_body(mut response: reqwest::Response) -> std::result::Result<Bytes, CutShort> {
    // Known only when the body is not decompressed on the way.
    let expected = response.content_length();
    let mut body = bytes::BytesMut::with_capacity(expected.unwrap_or(0).min(1 << 20) as usize);
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => return Ok(body.freeze()),
            Err(source) => return Err(CutShort { received: body.len() as u64, expected, source }),
        }
    }
}

/// The origin a refused redirect pointed at, if that is why `error` happened.
pub(crate) fn cross_origin_target(error: &reqwest::Error) -> Option<String> {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<CrossOriginRedirect>() {
            return Some(refused.target.clone());
        }
        source = cause.source();
    }
    None
}

impl ApiClient {
    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The same client (pool, token, policy, hooks) with another base URL and
    /// these headers added to its default headers: for APIs that route callers to
    /// a regional host with an id header (a vendor module's session does this).
    /// Credentials in the new base URL are used only if the client has no auth.
    pub fn rebased(&self, base_url: impl Into<BaseUrl>, headers: &[(&'static str, &str)]) -> Result<ApiClient> {
        let mut default_headers = self.inner.default_headers.clone();
        for (name, value) in headers {
            let (name, value) = parse_header(name, value).map_err(Error::Config)?;
            default_headers.insert(name, value);
        }
        let located = base_url.into().into_located()?;
        let inner = ClientInner {
            api: self.inner.api,
            auth: located.auth(self.inner.auth.clone()),
            base_url: located.url,
            http: self.inner.http.clone(),
            user_agent: self.inner.user_agent.clone(),
            timeout: self.inner.timeout,
            retry: self.inner.retry.clone(),
            hooks: self.inner.hooks.clone(),
            default_headers,
        };
        Ok(ApiClient { inner: Arc::new(inner) })
    }

    /// Sends a request, retrying as the [`RetryPolicy`] allows. A success status
    /// gives a [`RawResponse`] to decode; any other gives [`Error::Api`] with the
    /// vendor error body parsed.
    ///
    /// Each call is a `tracing` span `request` with the operation, method, path
    /// template and, at the end, status, attempts and elapsed milliseconds;
    /// credentials are never recorded.
    pub async fn send(&self, request: Request) -> Result<RawResponse> {
        let span = tracing::info_span!(
            "request",
            operation = request.operation,
            method = %request.method,
            path = request.path_template,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        self.send_with_retries(request).instrument(span).await
    }

    /// Streams a list operation across pages; see [`Pager`].
    pub fn paginate<R: Paginated>(&self, request: Request, style: PageStyle) -> Pager<R> {
        Pager::new(self.clone(), request, style)
    }

    async fn send_with_retries(&self, request: Request) -> Result<RawResponse> {
        let operation = request.operation;
        if let Some(problem) = &request.problem {
            return Err(Error::InvalidRequest { operation, message: problem.clone() });
        }
        let url = self.url_for(&request)?;
        let started = Instant::now();
        let mut waited = Duration::ZERO;
        let mut renewed_token = false;
        let replayable = request.is_replayable();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let credential =
                self.inner.auth.credential(operation, &self.inner.http, self.inner.timeout, &self.inner.retry).await?;
            let result = self.attempt(&request, &url, credential.header, attempt).await;
            let span = tracing::Span::current();
            span.record("attempts", attempt);
            span.record("elapsed_ms", started.elapsed().as_millis() as u64);
            let wait = match result {
                Ok(received) => {
                    span.record("status", received.status.as_u16());
                    if received.status.is_success() {
                        return Ok(RawResponse {
                            operation,
                            status: received.status,
                            headers: received.headers,
                            body: received.body,
                        });
                    }
                    // A rejected OAuth2 token is renewed once and the request sent again.
                    if received.status == StatusCode::UNAUTHORIZED
                        && replayable
                        && self.inner.auth.is_renewable()
                        && !renewed_token
                        && let Some(token) = &credential.token
                    {
                        tracing::debug!(operation, "401: renewing the access token and retrying once");
                        self.inner.auth.reject(token).await;
                        renewed_token = true;
                        attempt -= 1;
                        continue;
                    }
                    let failure = Failure::Status(received.status, &received.headers);
                    let judged = match self.inner.retry.judge(&request.method, failure, attempt, waited) {
                        (Decision::RetryAfter(_), _) if !replayable => {
                            (Decision::GiveUp, Some(NOT_REPLAYABLE.to_owned()))
                        }
                        (decision, over_budget) => (decision, over_budget.map(|reason| reason.to_string())),
                    };
                    match judged {
                        (Decision::RetryAfter(wait), _) => wait,
                        (Decision::GiveUp, stopped) => {
                            let error = ApiError::new(
                                operation,
                                received.status,
                                received.headers,
                                received.body,
                                self.inner.api.parse_error_body,
                            )
                            .with_retry_stopped(stopped);
                            return Err(Error::Api(Box::new(error)));
                        }
                    }
                }
                Err(AttemptFailure::CrossOriginRedirect { target }) => {
                    return Err(Error::Redirect { operation, target });
                }
                Err(failure @ AttemptFailure::Body(_)) => return Err(self.failure_error(operation, failure)),
                Err(failure) => match self.inner.retry.decide(&request.method, Failure::Transport, attempt, waited) {
                    Decision::RetryAfter(_) if !replayable => {
                        tracing::debug!(operation, "not retried: {NOT_REPLAYABLE}");
                        return Err(self.failure_error(operation, failure));
                    }
                    Decision::RetryAfter(wait) => wait,
                    Decision::GiveUp => return Err(self.failure_error(operation, failure)),
                },
            };
            tracing::debug!(operation, attempt, wait_ms = wait.as_millis() as u64, "retrying");
            tokio::time::sleep(wait).await;
            waited += wait;
        }
    }

    /// One send: headers, hooks (before credentials are added), body, timing.
    async fn attempt(
        &self,
        request: &Request,
        url: &Url,
        authorization: Option<HeaderValue>,
        attempt: u32,
    ) -> std::result::Result<Received, AttemptFailure> {
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url.clone())
            .timeout(self.inner.timeout)
            .headers(self.inner.default_headers.clone())
            .header(USER_AGENT, self.inner.user_agent.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        match &request.body {
            Some(Body::Encoded { content_type, bytes }) => {
                builder = builder.header(CONTENT_TYPE, content_type.as_ref()).body(bytes.clone());
            }
            // reqwest sets the content type with the boundary.
            Some(Body::Multipart(parts)) => {
                builder = builder.multipart(parts.form().await.map_err(AttemptFailure::Body)?)
            }
            None => {}
        }
        let mut http_request = builder.build().map_err(AttemptFailure::Transport)?;
        let context = HookContext {
            operation: request.operation,
            method: &request.method,
            path_template: request.path_template,
            attempt,
        };
        for hook in &self.inner.hooks {
            hook.before_send(&mut http_request, &context);
        }
        if let Some(authorization) = authorization {
            http_request.headers_mut().insert(AUTHORIZATION, authorization);
        }
        let sent_at = Instant::now();
        let result = self.execute(http_request).await;
        let elapsed = sent_at.elapsed();
        let failure_text;
        let outcome = match &result {
            Ok(received) => Outcome::Response { status: received.status, headers: &received.headers, elapsed },
            Err(failure) => {
                failure_text = failure.message();
                Outcome::Failed { message: &failure_text, elapsed }
            }
        };
        for hook in &self.inner.hooks {
            hook.after_receive(&outcome, &context);
        }
        result
    }

    async fn execute(&self, http_request: reqwest::Request) -> std::result::Result<Received, AttemptFailure> {
        let response = self.inner.http.execute(http_request).await.map_err(AttemptFailure::from_reqwest)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = read_body(response).await.map_err(|cut| {
            // A body too slow to arrive is a timeout, not a cut.
            if cut.source.is_timeout() {
                AttemptFailure::Transport(cut.source.without_url())
            } else {
                AttemptFailure::CutShort(CutShort { source: cut.source.without_url(), ..cut })
            }
        })?;
        Ok(Received { status, headers, body })
    }

    fn url_for(&self, request: &Request) -> Result<Url> {
        if let Some(url) = &request.absolute_url {
            // Pagination checked this already; credentials never leave the base origin.
            if url.origin() != self.inner.base_url.origin() {
                return Err(Error::InvalidRequest {
                    operation: request.operation,
                    message: format!("refusing to send credentials to {}", url.origin().ascii_serialization()),
                });
            }
            return Ok(url.clone());
        }
        let joined = format!("{}{}", self.inner.base_url.as_str().trim_end_matches('/'), request.path);
        let mut url = Url::parse(&joined).map_err(|error| Error::InvalidRequest {
            operation: request.operation,
            message: format!("URL `{joined}`: {error}"),
        })?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query.iter().map(|(key, value)| (key.as_ref(), value.as_str())));
        }
        Ok(url)
    }

    fn failure_error(&self, operation: &'static str, failure: AttemptFailure) -> Error {
        match failure {
            AttemptFailure::Transport(source) => self.transport_error(operation, source),
            AttemptFailure::CutShort(CutShort { received, expected, source }) => {
                Error::BodyCutShort { operation, received, expected, source }
            }
            AttemptFailure::CrossOriginRedirect { target } => Error::Redirect { operation, target },
            AttemptFailure::Body(message) => Error::InvalidRequest { operation, message },
        }
    }

    fn transport_error(&self, operation: &'static str, source: reqwest::Error) -> Error {
        if source.is_timeout() {
            Error::Timeout { operation, timeout: self.inner.timeout }
        } else {
            Error::Transport { operation, source }
        }
    }
}

/// Why a request whose body streams from a one-shot source is not retried.
const NOT_REPLAYABLE: &str = "the request body streams from a one-shot source and cannot be sent again";

/// Whether `method` may be sent twice with the same effect.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE)
}
