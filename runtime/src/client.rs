//! The configured HTTP client that generated clients wrap.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue, USER_AGENT};
use url::Url;

use crate::auth::Auth;
use crate::error::{ApiError, Error, Result};
use crate::error_body::ErrorFormat;
use crate::pagination::{PageStyle, Pager, Paginated};
use crate::request::Request;
use crate::response::RawResponse;

/// What a generated crate tells the runtime about its API.
///
/// ```
/// use secgen_runtime::{ApiInfo, ErrorFormat};
///
/// const API: ApiInfo = ApiInfo::new("sophos-factory", "0.1.0")
///     .default_base_url("https://api.us-west-2.factory.sophos.com/v1")
///     .error_format(ErrorFormat::SophosFactory);
/// assert_eq!(API.name, "sophos-factory");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ApiInfo {
    /// The generated crate's name, used in the user agent.
    pub name: &'static str,
    /// The generated crate's version, used in the user agent.
    pub version: &'static str,
    /// The base URL used when the caller names none.
    pub default_base_url: Option<&'static str>,
    /// The shape of the API's error bodies.
    pub error_format: ErrorFormat,
}

impl ApiInfo {
    /// An API with no default base URL and generic error bodies.
    pub const fn new(name: &'static str, version: &'static str) -> Self {
        Self { name, version, default_base_url: None, error_format: ErrorFormat::Generic }
    }

    /// Sets the base URL used when the caller names none.
    pub const fn default_base_url(mut self, url: &'static str) -> Self {
        self.default_base_url = Some(url);
        self
    }

    /// Sets the shape of error bodies.
    pub const fn error_format(mut self, format: ErrorFormat) -> Self {
        self.error_format = format;
        self
    }
}

/// Where the API lives: a URL such as `https://api.example.com/v1`, or a vendor
/// region (which converts into one).
///
/// Validation happens in [`ClientBuilder::build`], so a bad URL is an error there,
/// not a panic here.
#[derive(Debug, Clone)]
pub struct BaseUrl(std::result::Result<Url, String>);

impl BaseUrl {
    pub(crate) fn from_text(text: impl AsRef<str>) -> Self {
        let text = text.as_ref();
        BaseUrl(Url::parse(text).map_err(|error| format!("base URL `{text}`: {error}")).and_then(validate_base_url))
    }

    fn into_url(self) -> Result<Url> {
        self.0.map_err(Error::Config)
    }
}

fn validate_base_url(url: Url) -> std::result::Result<Url, String> {
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!("base URL `{url}` must be an http(s) URL with a host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("base URL `{url}` must not have a query or fragment"));
    }
    Ok(url)
}

impl From<&str> for BaseUrl {
    fn from(text: &str) -> Self {
        BaseUrl::from_text(text)
    }
}

impl From<String> for BaseUrl {
    fn from(text: String) -> Self {
        BaseUrl::from_text(text)
    }
}

impl From<Url> for BaseUrl {
    fn from(url: Url) -> Self {
        BaseUrl(validate_base_url(url))
    }
}

/// Configures a client; `C` is the generated client type it builds.
///
/// ```no_run
/// use std::time::Duration;
/// use secgen_runtime::{ApiClient, ApiInfo, Auth, ClientBuilder};
///
/// static API: ApiInfo = ApiInfo::new("example", "1.0.0");
/// let client: ApiClient = ClientBuilder::new(&API)
///     .base_url("https://api.example.com/v1")
///     .auth(Auth::bearer("token"))
///     .timeout(Duration::from_secs(30))
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
    target: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api", &self.api.name)
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl<C: From<ApiClient>> ClientBuilder<C> {
    /// Starts from the API's defaults: its default base URL, no credentials, a 60 s
    /// request timeout and a 10 s connect timeout.
    pub fn new(api: &'static ApiInfo) -> Self {
        Self {
            api,
            base_url: None,
            auth: Auth::none(),
            http: None,
            user_agent: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
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
    /// timeout is then yours to set on it.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Replaces the default user agent (`<crate>/<version> secgen-runtime/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The longest a single request may take, body included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting may take.
    pub fn connect_timeout(mut self, connect_timeout: Duration) -> Self {
        self.connect_timeout = connect_timeout;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<C> {
        let base_url = match self.base_url {
            Some(base_url) => base_url.into_url()?,
            None => match self.api.default_base_url {
                Some(url) => BaseUrl::from(url).into_url()?,
                None => return Err(Error::Config(format!("{} has no default base URL; set one", self.api.name))),
            },
        };
        let user_agent = self.user_agent.unwrap_or_else(|| {
            format!("{}/{} secgen-runtime/{}", self.api.name, self.api.version, env!("CARGO_PKG_VERSION"))
        });
        let user_agent =
            HeaderValue::from_str(&user_agent).map_err(|_| Error::Config("user agent is not a valid header".into()))?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|error| Error::Config(format!("HTTP client: {error}")))?,
        };
        let inner = ClientInner { api: self.api, base_url, http, auth: self.auth, user_agent, timeout: self.timeout };
        Ok(C::from(ApiClient { inner: Arc::new(inner) }))
    }
}

/// A configured client: base URL, credentials and HTTP connection pool.
///
/// Cheap to clone (all clones share one pool). Generated clients wrap it; use it
/// directly only for calls the spec does not describe.
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
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClient")
            .field("api", &self.inner.api.name)
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth)
            .finish_non_exhaustive()
    }
}

impl ApiClient {
    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Sends a request. A success status gives a [`RawResponse`] to decode; any
    /// other status gives [`Error::Api`] with the vendor error body parsed.
    pub async fn send(&self, request: Request) -> Result<RawResponse> {
        let operation = request.operation;
        if let Some(problem) = &request.problem {
            return Err(Error::InvalidRequest { operation, message: problem.clone() });
        }
        let url = self.url_for(&request)?;
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .timeout(self.inner.timeout)
            .header(USER_AGENT, self.inner.user_agent.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(authorization) = self.inner.auth.header(operation)? {
            builder = builder.header(reqwest::header::AUTHORIZATION, authorization);
        }
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = &request.body {
            builder = builder.header(CONTENT_TYPE, body.content_type.as_ref()).body(body.bytes.clone());
        }
        let response = builder.send().await.map_err(|error| self.transport_error(operation, error))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|error| self.transport_error(operation, error))?;
        if !status.is_success() {
            let error = ApiError::new(operation, status, headers, body, self.inner.api.error_format);
            return Err(Error::Api(Box::new(error)));
        }
        Ok(RawResponse { operation, status, headers, body })
    }

    /// Streams a list operation across pages; see [`Pager`].
    pub fn paginate<R: Paginated>(&self, request: Request, style: PageStyle) -> Pager<R> {
        Pager::new(self.clone(), request, style)
    }

    fn url_for(&self, request: &Request) -> Result<Url> {
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

    fn transport_error(&self, operation: &'static str, source: reqwest::Error) -> Error {
        if source.is_timeout() {
            Error::Timeout { operation, timeout: self.inner.timeout }
        } else {
            Error::Transport { operation, source }
        }
    }
}
