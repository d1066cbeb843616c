//! A fake of an API, for the tests of code that uses a generated client (cargo
//! feature `fake`, off by default: normal builds compile no mock server).
//!
//! A generated crate's `fake` module describes its API once ([`FakeApi`]: each
//! operation's route, success status, default body and page style) and gives one
//! typed stub per operation on top of [`FakeServer`]. Everything else is here,
//! written once: a loopback HTTP server (wiremock's) that routes each request to
//! its operation, checks the test credentials (and issues OAuth2 tokens), splits
//! a stubbed list into pages in the API's own page style, serves failures as the
//! vendor sends them ([`FakeVendor`]), and records every call.
//!
//! A request no stub answers gets an explanation as its error body, and fails the
//! test when the fake is dropped: a test never passes on a call nobody expected.

mod pages;
mod router;
mod stubs;
mod vendor;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{Auth, ClientBuilder, ClientCredentials, PageStyle, RetryPolicy};

pub use stubs::{Call, FailureStub, ListStub, Stub};
pub use vendor::{FakeVendor, GenericVendor};

/// The bearer token the fake accepts (APIs with a static token).
pub const FAKE_TOKEN: &str = "fake-api-token";
/// The client id or user name the fake accepts.
pub const FAKE_CLIENT_ID: &str = "fake-client-id";
/// The client secret or API key the fake accepts.
pub const FAKE_SECRET: &str = "fake-client-secret";
/// Where the fake issues OAuth2 tokens, below its root.
pub const TOKEN_PATH: &str = "/oauth2/token";

/// What a generated crate tells its fake about the API.
#[derive(Debug)]
pub struct FakeApi {
    /// The path the API's base URL has (`/v1`), empty for none.
    pub base_path: &'static str,
    /// How callers authenticate.
    pub auth: FakeAuth,
    /// Every operation.
    pub operations: &'static [FakeOperation],
}

/// How the API's callers authenticate, and so which test credentials the fake checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FakeAuth {
    /// No credentials.
    None,
    /// A bearer token: [`FAKE_TOKEN`].
    Bearer,
    /// HTTP Basic: [`FAKE_CLIENT_ID`] and [`FAKE_SECRET`].
    Basic,
    /// OAuth2 client credentials, exchanged at the fake's [`TOKEN_PATH`] for tokens it issues.
    ClientCredentials,
}

/// One operation, as the fake serves it.
#[derive(Debug)]
pub struct FakeOperation {
    /// The operationId.
    pub id: &'static str,
    /// The fake's stub method for it, named in messages.
    pub stub: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template, below the base path (`/alerts/{alertId}`).
    pub path: &'static str,
    /// The success status.
    pub status: u16,
    /// The success body.
    pub body: FakeBody,
    /// How a list pages, for list operations.
    pub paging: Option<FakePaging>,
}

/// An operation's success body.
#[derive(Debug)]
pub enum FakeBody {
    /// No body.
    Empty,
    /// JSON.
    Json {
        /// The default bodies (the data, for an enveloped operation), as JSON: the
        /// spec's example, if it has one, then one built from the schema. The first
        /// the crate's type accepts is served.
        defaults: &'static [&'static str],
        /// The envelope's data path, when the API wraps every body in one.
        envelope: Option<&'static str>,
        /// Decodes a whole body with the crate's own type and encodes it again.
        check: fn(Value) -> Result<Value, String>,
    },
    /// Anything else: these bytes under this content type by default.
    Raw {
        /// The content type.
        content_type: &'static str,
    },
}

/// How a list operation's pages look.
#[derive(Debug)]
pub struct FakePaging {
    /// The request side, as the client pages.
    pub style: PageStyle,
    /// The items' wire path in a page (`items`, `data`).
    pub items: &'static str,
    /// Where a page says what comes next.
    pub fields: &'static [(PageField, &'static str)],
}

/// What a page says about the next one (the runtime's [`PageInfo`](crate::PageInfo) fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageField {
    /// The next page's key.
    NextKey,
    /// The cursor to send next.
    NextCursor,
    /// Whether more items follow.
    HasMore,
    /// How many items there are.
    TotalItems,
    /// How many pages there are.
    TotalPages,
    /// This page's number.
    CurrentPage,
    /// A link to the next page.
    NextLink,
}

/// Decodes `value` with `T` and encodes it again: what a generated crate's
/// [`FakeBody::Json::check`] is, so every body served decodes with the client's types.
pub fn round_trip<T: Serialize + DeserializeOwned>(value: Value) -> Result<Value, String> {
    let typed: T = serde_path_to_error::deserialize(value).map_err(|error| match error.path().to_string() {
        path if path == "." => error.inner().to_string(),
        path => format!("`{path}`: {}", error.inner()),
    })?;
    serde_json::to_value(&typed).map_err(|error| error.to_string())
}

/// A running fake of one API on a loopback port.
///
/// Stop it by dropping it; if a request arrived that no stub answered, the drop
/// panics with the list of them.
pub struct FakeServer {
    server: wiremock::MockServer,
    state: Arc<Mutex<State>>,
    api: &'static FakeApi,
    vendor: Arc<dyn FakeVendor>,
}

impl fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeServer").field("url", &self.url()).finish_non_exhaustive()
    }
}

/// What the fake has been told and has seen.
#[derive(Default)]
struct State {
    /// Answers by operation id; the latest whose conditions match wins.
    answers: BTreeMap<&'static str, Vec<stubs::Answer>>,
    failures: Vec<stubs::Failure>,
    calls: Vec<router::RecordedCall>,
    unexpected: Vec<String>,
    tokens_issued: usize,
    /// Tokens issued before this count, and the static credentials while `true`, are refused.
    tokens_expired_before: usize,
    credentials_expired: bool,
}

impl FakeServer {
    /// Starts the fake of `api`, answering as the vendor `V` does.
    pub async fn start<V: FakeVendor + Default>(api: &'static FakeApi) -> Self {
        let server = wiremock::MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        let vendor: Arc<dyn FakeVendor> = Arc::new(V::default());
        let root = url::Url::parse(&server.uri()).expect("wiremock's URI is a URL");
        let router = router::Router { api, vendor: vendor.clone(), state: state.clone(), root };
        wiremock::Mock::given(wiremock::matchers::any()).respond_with(router).mount(&server).await;
        FakeServer { server, state, api, vendor }
    }

    /// The API's base URL on the fake (its root plus the API's base path).
    pub fn url(&self) -> String {
        format!("{}{}", self.server.uri(), self.api.base_path)
    }

    /// The fake's root (`http://127.0.0.1:<port>`).
    pub fn root_url(&self) -> String {
        self.server.uri()
    }

    /// The credentials the fake accepts, of the API's kind.
    pub fn auth(&self) -> Auth {
        match self.api.auth {
            FakeAuth::None => Auth::none(),
            FakeAuth::Bearer => Auth::bearer(FAKE_TOKEN),
            FakeAuth::Basic => Auth::basic(FAKE_CLIENT_ID, FAKE_SECRET),
            FakeAuth::ClientCredentials => Auth::client_credentials(self.client_credentials()),
        }
    }

    /// OAuth2 client credentials for the fake's token endpoint.
    pub fn client_credentials(&self) -> ClientCredentials {
        ClientCredentials::new(format!("{}{TOKEN_PATH}", self.server.uri()), FAKE_CLIENT_ID, FAKE_SECRET)
    }

    /// `builder` pointed at the fake with its test credentials; retries wait at most 50 ms.
    pub fn configure<C>(&self, builder: ClientBuilder<C>) -> ClientBuilder<C> {
        let fast =
            RetryPolicy::default().backoff(std::time::Duration::from_millis(1), std::time::Duration::from_millis(50));
        builder.base_url(self.url()).auth(self.auth()).allow_http().retry(fast)
    }

    /// From now on the credentials in use are refused with a 401, as the vendor
    /// answers an expired token: OAuth2 tokens issued so far (a client fetches a
    /// new one), or the static token or key (which stays refused).
    pub fn expire_credentials(&self) {
        let mut state = self.lock();
        state.tokens_expired_before = state.tokens_issued;
        state.credentials_expired = true;
    }

    /// How many OAuth2 tokens the fake has issued.
    pub fn tokens_issued(&self) -> usize {
        self.lock().tokens_issued
    }

    /// The operations called so far, in order (one entry per request, retries included).
    pub fn operations_called(&self) -> Vec<&'static str> {
        self.lock().calls.iter().map(|call| call.operation).collect()
    }

    /// Every call so far, in order, with its body as JSON.
    pub fn calls(&self) -> Vec<Call<Value>> {
        self.lock().calls.iter().map(Call::from_recorded).collect()
    }

    /// The operation with this id; generated code only names ids its API has.
    pub fn operation(&self, id: &str) -> &'static FakeOperation {
        let operations = self.api.operations;
        operations.iter().find(|operation| operation.id == id).unwrap_or_else(|| panic!("no operation `{id}`"))
    }

    /// The operations whose default body (a list's default page) does not decode
    /// with the crate's own types, with why: empty for a fake every `succeeds()` serves.
    pub fn default_body_problems(&self) -> Vec<String> {
        let url = self.url();
        let problem = |operation: &FakeOperation| match operation.paging {
            Some(_) => {
                let items = router::default_items(operation, &*self.vendor, &url);
                router::page_of(operation, items, &[], &*self.vendor, &url).err()
            }
            None => router::body_of(operation, None, &*self.vendor, &url).err(),
        };
        let problems = self.api.operations.iter().filter_map(|operation| Some((operation.id, problem(operation)?)));
        problems.map(|(id, problem)| format!("{id}: {problem}")).collect()
    }

    /// A stub of one operation, answering with `T` (the data of its success body).
    pub fn stub<T, B>(&self, operation: &str) -> Stub<'_, T, B> {
        Stub::new(self, self.operation(operation))
    }

    /// A stub of one list operation, answering with pages of `I`.
    pub fn list_stub<I, B>(&self, operation: &str) -> ListStub<'_, I, B> {
        ListStub::new(self, self.operation(operation))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while the lock was held (in a test thread) leaves the data usable.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        let unexpected = std::mem::take(&mut self.lock().unexpected);
        if !unexpected.is_empty() && !std::thread::panicking() {
            panic!("the fake received requests no stub answered:\n- {}", unexpected.join("\n- "));
        }
    }
}
