//! Every request to the fake: recorded, routed to its operation, its credentials
//! checked, and answered with the failure or answer stubbed for it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};
use url::Url;
use wiremock::ResponseTemplate;

use super::stubs::{Failure, Reply};
use super::{
    FAKE_CLIENT_ID, FAKE_SECRET, FAKE_TOKEN, FakeApi, FakeAuth, FakeBody, FakeOperation, FakeVendor, State, TOKEN_PATH,
    pages,
};

/// One request as the fake received it.
#[derive(Debug)]
pub(super) struct RecordedCall {
    pub(super) operation: &'static str,
    pub(super) method: String,
    pub(super) url: Url,
    pub(super) path_params: BTreeMap<String, String>,
    /// With `authorization` redacted.
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
}

impl RecordedCall {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    pub(super) fn query(&self, name: &str) -> Option<String> {
        self.url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
    }
}

/// The one wiremock responder of a fake: it answers every request.
pub(super) struct Router {
    pub(super) api: &'static FakeApi,
    pub(super) vendor: Arc<dyn FakeVendor>,
    pub(super) state: Arc<Mutex<State>>,
    /// The server's root URL: the origin of the links the fake hands out.
    pub(super) root: Url,
}

/// Why a stubbed answer could not be served.
enum Problem {
    /// The request asked for something the fake cannot read (a page key it never handed out).
    BadRequest(String),
    /// The body does not decode with the crate's own types.
    Decode(String),
}

impl wiremock::Respond for Router {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if request.method.as_str() == "POST" && request.url.path() == TOKEN_PATH {
            return issue_token(&mut state, request);
        }
        let url = self.url_of(request);
        match self.route(request.method.as_str(), request.url.path()) {
            Some((operation, path_params)) => self.serve(&mut state, operation, path_params, request, url),
            None => {
                let problem = "no operation of the API has this method and path";
                self.unexpected(&mut state, StatusCode::NOT_FOUND, request, &url, problem)
            }
        }
    }
}

impl Router {
    /// One request to an operation: recorded, its credentials checked, then
    /// answered with the failure or answer stubbed for it.
    fn serve(
        &self,
        state: &mut State,
        operation: &'static FakeOperation,
        path_params: BTreeMap<String, String>,
        request: &wiremock::Request,
        url: Url,
    ) -> ResponseTemplate {
        let mut headers = request.headers.clone();
        let credentials = headers.remove("authorization");
        let call = RecordedCall {
            operation: operation.id,
            method: request.method.to_string(),
            url: url.clone(),
            path_params,
            headers: redacted(headers, credentials.is_some()),
            body: Bytes::from(request.body.clone()),
        };
        if let Err(message) = self.check_credentials(state, credentials.as_ref()) {
            state.calls.push(call);
            return self.error(StatusCode::UNAUTHORIZED, message);
        }
        let nth = 1 + state.calls.iter().filter(|earlier| earlier.operation == operation.id).count();
        let failure = take_failure(&mut state.failures, &call, nth);
        let answers = state.answers.get(operation.id).into_iter().flatten();
        let answer = answers.rev().find(|answer| answer.conditions.iter().all(|condition| condition.holds(&call)));
        let answered = match (failure, answer) {
            (Some(failure), _) => Ok(self.failure(&failure)),
            (None, Some(answer)) => self.reply(operation, &answer.reply, &url),
            (None, None) => Err((
                StatusCode::NOT_IMPLEMENTED,
                format!(
                    "operation `{}` has no stub for this request; stub it with `fake.{}()`",
                    operation.id, operation.stub
                ),
            )),
        };
        state.calls.push(call);
        answered.unwrap_or_else(|(status, problem)| self.unexpected(state, status, request, &url, &problem))
    }

    /// The stubbed answer; an error is the status and what the test must fix.
    fn reply(
        &self,
        operation: &'static FakeOperation,
        reply: &Reply,
        url: &Url,
    ) -> Result<ResponseTemplate, (StatusCode, String)> {
        let body = match reply {
            Reply::Raw { status, content_type, body } => {
                return Ok(ResponseTemplate::new(status.as_u16()).set_body_raw(body.to_vec(), content_type));
            }
            Reply::Data(data) => body_of(operation, data.clone(), &*self.vendor, url.as_str()).map_err(Problem::Decode),
            Reply::List { items, page_size } => self.page(operation, items, *page_size, url),
        };
        match body {
            Ok(body) => Ok(success(operation, body)),
            Err(Problem::BadRequest(message)) => Ok(self.error(StatusCode::BAD_REQUEST, &message)),
            Err(Problem::Decode(message)) => Err((
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the answer does not decode with the crate's types: {message}"),
            )),
        }
    }

    /// A request the test did not provide for: answered with `problem`, and
    /// remembered for the panic when the fake is dropped.
    fn unexpected(
        &self,
        state: &mut State,
        status: StatusCode,
        request: &wiremock::Request,
        url: &Url,
        problem: &str,
    ) -> ResponseTemplate {
        // The query is left out: it may carry a credential (an invitation token).
        let message = format!("{} {}: {problem}", request.method, &url[..url::Position::AfterPath]);
        state.unexpected.push(message.clone());
        self.error(status, &message)
    }

    /// The request's URL on the server's origin (wiremock's names no port).
    fn url_of(&self, request: &wiremock::Request) -> Url {
        let mut url = self.root.clone();
        url.set_path(request.url.path());
        url.set_query(request.url.query());
        url
    }

    /// The operation whose method and path template match, the most literal
    /// segments first (`/alerts/search` before `/alerts/{id}`), and its path parameters.
    fn route(&self, method: &str, path: &str) -> Option<(&'static FakeOperation, BTreeMap<String, String>)> {
        let below_base = path.strip_prefix(self.api.base_path)?;
        let candidates = self.api.operations.iter().filter(|operation| operation.method.eq_ignore_ascii_case(method));
        let matched = candidates.filter_map(|operation| {
            let (literals, params) = match_template(operation.path, below_base)?;
            Some((literals, operation, params))
        });
        matched.max_by_key(|(literals, ..)| *literals).map(|(_, operation, params)| (operation, params))
    }

    fn check_credentials(&self, state: &State, sent: Option<&HeaderValue>) -> Result<(), &'static str> {
        let sent = sent.and_then(|value| value.to_str().ok()).unwrap_or_default();
        let valid = match self.api.auth {
            FakeAuth::None => return Ok(()),
            FakeAuth::Bearer => sent == format!("Bearer {FAKE_TOKEN}"),
            FakeAuth::Basic => {
                let expected =
                    base64::engine::general_purpose::STANDARD.encode(format!("{FAKE_CLIENT_ID}:{FAKE_SECRET}"));
                sent == format!("Basic {expected}")
            }
            FakeAuth::ClientCredentials => {
                let number = sent.strip_prefix("Bearer fake-access-token-").and_then(|n| n.parse::<usize>().ok());
                return match number {
                    Some(number) if number < state.tokens_expired_before => Err("the access token has expired"),
                    Some(number) if number < state.tokens_issued => Ok(()),
                    _ => Err("no valid access token"),
                };
            }
        };
        match (valid, state.credentials_expired) {
            (false, _) => Err("missing or wrong credentials"),
            (true, true) => Err("the credentials have expired"),
            (true, false) => Ok(()),
        }
    }

    fn page(
        &self,
        operation: &'static FakeOperation,
        items: &[Value],
        page_size: Option<usize>,
        url: &Url,
    ) -> Result<Option<Value>, Problem> {
        let paging = operation.paging.as_ref().expect("list stubs are made for list operations only");
        let page = pages::page(paging, url, items.len(), page_size).map_err(Problem::BadRequest)?;
        page_of(operation, items[page.items].to_vec(), &page.fields, &*self.vendor, url.as_str())
            .map(Some)
            .map_err(Problem::Decode)
    }

    fn failure(&self, failure: &Failure) -> ResponseTemplate {
        let status = failure.status;
        let message = format!("fake failure: {status}");
        let body = failure.body.clone().unwrap_or_else(|| self.vendor.error_body(status, &message));
        let mut response = json_response(status, &body);
        if status == StatusCode::TOO_MANY_REQUESTS {
            for (name, value) in self.vendor.rate_limit_headers(failure.retry_after) {
                response = response.insert_header(name, value.as_str());
            }
        }
        response
    }

    fn error(&self, status: StatusCode, message: &str) -> ResponseTemplate {
        json_response(status, &self.vendor.error_body(status, message))
    }
}

/// The first failure stubbed for this call, counted down.
fn take_failure(failures: &mut [Failure], call: &RecordedCall, nth: usize) -> Option<Failure> {
    let failure = failures.iter_mut().find(|failure| {
        failure.operation == call.operation
            && failure.remaining != Some(0)
            && failure.on_call.is_none_or(|n| n == nth)
            && failure.conditions.iter().all(|condition| condition.holds(call))
    })?;
    failure.remaining = failure.remaining.map(|remaining| remaining - 1);
    Some(Failure { conditions: Vec::new(), body: failure.body.clone(), ..*failure })
}

/// `(literal segments, path parameters)` when `path` fits `template`.
fn match_template(template: &str, path: &str) -> Option<(usize, BTreeMap<String, String>)> {
    let template: Vec<&str> = template.trim_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_matches('/').split('/').collect();
    if template.len() != path.len() {
        return None;
    }
    let mut literals = 0;
    let mut params = BTreeMap::new();
    for (expected, sent) in template.iter().zip(&path) {
        let decoded = percent_encoding::percent_decode_str(sent).decode_utf8_lossy().into_owned();
        match expected.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')) {
            Some(name) => {
                params.insert(name.to_owned(), decoded);
            }
            // A segment with a parameter inside (`{id}.json`) matches any value.
            None if expected.contains('{') => {}
            None if *expected == decoded => literals += 1,
            None => return None,
        }
    }
    Some((literals, params))
}

/// An operation's success body around `data` (its default when `None`),
/// checked with the crate's own type.
pub(super) fn body_of(
    operation: &FakeOperation,
    data: Option<Value>,
    vendor: &dyn FakeVendor,
    url: &str,
) -> Result<Option<Value>, String> {
    match &operation.body {
        FakeBody::Empty | FakeBody::Raw { .. } => Ok(data),
        FakeBody::Json { envelope, check, .. } => {
            let data = data.unwrap_or_else(|| default_value(operation, vendor, url));
            let mut body = wrapped(*envelope, data, vendor, url);
            vendor.prepare(operation.id, &mut body, &origin_of(url));
            check(body).map(Some)
        }
    }
}

/// `data` in the vendor's envelope, when the API has one.
fn wrapped(envelope: Option<&str>, data: Value, vendor: &dyn FakeVendor, url: &str) -> Value {
    match envelope {
        Some(path) => vendor.envelope(path, data, url),
        None => data,
    }
}

/// An operation's default (its data, for an enveloped one): the first of its
/// defaults (the spec's example, then one built from its schema) that the
/// crate's own type accepts, else the last.
fn default_value(operation: &FakeOperation, vendor: &dyn FakeVendor, url: &str) -> Value {
    let FakeBody::Json { defaults, envelope, check } = &operation.body else { return Value::Null };
    let mut parsed = defaults.iter().map(|text| parse_default(operation, text)).peekable();
    while let Some(value) = parsed.next() {
        if parsed.peek().is_none() || check(wrapped(*envelope, value.clone(), vendor, url)).is_ok() {
            return value;
        }
    }
    Value::Null
}

/// One page of a list operation: `items` in its default page (or envelope),
/// with `fields` written or left out, checked with the crate's own type.
pub(super) fn page_of(
    operation: &FakeOperation,
    items: Vec<Value>,
    fields: &[(&str, Option<Value>)],
    vendor: &dyn FakeVendor,
    url: &str,
) -> Result<Value, String> {
    let (FakeBody::Json { envelope, check, .. }, Some(paging)) = (&operation.body, &operation.paging) else {
        return Err(format!("`{}` has no JSON list body", operation.id));
    };
    let mut page = match envelope {
        Some(path) => vendor.envelope(path, Value::Array(items), url),
        None => {
            let mut page = default_value(operation, vendor, url);
            pages::set(&mut page, paging.items, Value::Array(items));
            page
        }
    };
    for (path, value) in fields {
        match value {
            Some(value) => pages::set(&mut page, path, value.clone()),
            None => pages::remove(&mut page, path),
        }
    }
    vendor.prepare(operation.id, &mut page, &origin_of(url));
    check(page)
}

/// `http://127.0.0.1:<port>` of a URL.
fn origin_of(url: &str) -> String {
    Url::parse(url).map(|url| url.origin().ascii_serialization()).unwrap_or_default()
}

/// The items of a list operation's default page.
pub(super) fn default_items(operation: &FakeOperation, vendor: &dyn FakeVendor, url: &str) -> Vec<Value> {
    let (FakeBody::Json { envelope, .. }, Some(paging)) = (&operation.body, &operation.paging) else {
        return Vec::new();
    };
    let default = default_value(operation, vendor, url);
    // An enveloped default is the data itself: the list.
    let items = match envelope {
        Some(_) => Some(&default),
        None => default.pointer(&format!("/{}", paging.items.replace('.', "/"))),
    };
    items.and_then(Value::as_array).cloned().unwrap_or_default()
}

fn parse_default(operation: &FakeOperation, default: &str) -> Value {
    serde_json::from_str(default)
        .unwrap_or_else(|error| panic!("the default body of `{}` is not JSON: {error}", operation.id))
}

fn success(operation: &FakeOperation, body: Option<Value>) -> ResponseTemplate {
    let response = ResponseTemplate::new(operation.status);
    match (&operation.body, body) {
        // An operation without a body answers none, whatever its stub held (`returns(())`).
        (FakeBody::Empty, _) | (_, None) => response,
        (FakeBody::Raw { content_type }, Some(Value::String(text))) => {
            response.set_body_raw(text.into_bytes(), content_type)
        }
        (_, Some(body)) => response.set_body_raw(body.to_string().into_bytes(), "application/json"),
    }
}

fn json_response(status: StatusCode, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status.as_u16()).set_body_raw(body.to_string().into_bytes(), "application/json")
}

/// The token endpoint: client credentials in the form body, a numbered token out.
fn issue_token(state: &mut State, request: &wiremock::Request) -> ResponseTemplate {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&request.body).into_owned().collect();
    let field = |name: &str| form.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
    if field("client_id") != Some(FAKE_CLIENT_ID) || field("client_secret") != Some(FAKE_SECRET) {
        return json_response(StatusCode::UNAUTHORIZED, &json!({"error": "invalid_client"}));
    }
    let number = state.tokens_issued;
    state.tokens_issued += 1;
    let token =
        json!({"access_token": format!("fake-access-token-{number}"), "token_type": "bearer", "expires_in": 3600});
    json_response(StatusCode::OK, &token)
}

/// The headers with the credentials, if any were sent, as `***`.
fn redacted(mut headers: HeaderMap, had_credentials: bool) -> HeaderMap {
    if had_credentials {
        headers.insert("authorization", HeaderValue::from_static("***"));
    }
    headers
}
