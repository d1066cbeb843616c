//! The typed stubs of one operation: what it answers, how it fails, and what it
//! was sent.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::router::{self, RecordedCall};
use super::{FakeOperation, FakeServer};

/// A condition a request must meet for a stub or failure to apply.
#[derive(Debug, Clone)]
pub(super) enum Condition {
    Header(String, String),
    Query(String, String),
    PathParam(String, String),
}

impl Condition {
    pub(super) fn holds(&self, call: &RecordedCall) -> bool {
        match self {
            Condition::Header(name, value) => call.header(name) == Some(value.as_str()),
            Condition::Query(name, value) => call.query(name).as_ref() == Some(value),
            Condition::PathParam(name, value) => call.path_params.get(name) == Some(value),
        }
    }
}

/// What an operation answers when its conditions hold.
#[derive(Debug)]
pub(super) struct Answer {
    pub(super) conditions: Vec<Condition>,
    pub(super) reply: Reply,
}

#[derive(Debug)]
pub(super) enum Reply {
    /// The operation's success status with this data (`None`: the default body).
    Data(Option<Value>),
    /// A list, cut into pages as requests ask.
    List { items: Vec<Value>, page_size: Option<usize> },
    /// Exactly this response.
    Raw { status: StatusCode, content_type: String, body: Bytes },
}

/// A failure an operation answers with instead of its success.
#[derive(Debug)]
pub(super) struct Failure {
    pub(super) operation: &'static str,
    pub(super) conditions: Vec<Condition>,
    pub(super) status: StatusCode,
    /// Only the n-th call of the operation (from 1).
    pub(super) on_call: Option<usize>,
    /// How many more times; `None` for ever.
    pub(super) remaining: Option<usize>,
    pub(super) retry_after: Duration,
    pub(super) body: Option<Value>,
}

/// The operation and conditions a stub is for; what `Stub` and `ListStub` share.
struct Target<'a> {
    fake: &'a FakeServer,
    operation: &'static FakeOperation,
    conditions: Vec<Condition>,
}

impl<'a> Target<'a> {
    fn answer(self, reply: Reply) {
        let answer = Answer { conditions: self.conditions, reply };
        self.fake.lock().answers.entry(self.operation.id).or_default().push(answer);
    }

    fn fails(self, status: StatusCode) -> FailureStub<'a> {
        let failure = Failure {
            operation: self.operation.id,
            conditions: self.conditions,
            status,
            on_call: None,
            remaining: None,
            retry_after: Duration::ZERO,
            body: None,
        };
        let mut state = self.fake.lock();
        state.failures.push(failure);
        FailureStub { fake: self.fake, index: state.failures.len() - 1 }
    }

    fn calls<B: DeserializeOwned>(&self) -> Vec<Call<B>> {
        let state = self.fake.lock();
        let mine = state.calls.iter().filter(|call| call.operation == self.operation.id);
        mine.filter(|call| self.conditions.iter().all(|condition| condition.holds(call)))
            .map(Call::from_recorded)
            .collect()
    }

    /// Checks the body of `data` (the default for `None`) with the crate's types
    /// now, so a wrong stub fails where it is written.
    fn check(&self, data: Option<&Value>) {
        let body = router::body_of(self.operation, data.cloned(), &*self.fake.vendor, &self.fake.url());
        if let Err(problem) = body {
            panic!("the stub of `{}` does not decode with the crate's types: {problem}", self.operation.id)
        }
    }
}

/// The methods `Stub` and `ListStub` share: which requests they apply to, their
/// failures and their calls (a macro, as both are inherent methods returning `Self`).
macro_rules! conditions_and_calls {
    () => {
        /// Applies only to requests with this header value (`X-Tenant-ID`, say).
        pub fn when_header(mut self, name: &str, value: &str) -> Self {
            self.target.conditions.push(Condition::Header(name.to_ascii_lowercase(), value.to_owned()));
            self
        }

        /// Applies only to requests with this query parameter value.
        pub fn when_query(mut self, name: &str, value: &str) -> Self {
            self.target.conditions.push(Condition::Query(name.to_owned(), value.to_owned()));
            self
        }

        /// Applies only to requests with this path parameter value.
        pub fn when_path_param(mut self, name: &str, value: &str) -> Self {
            self.target.conditions.push(Condition::PathParam(name.to_owned(), value.to_owned()));
            self
        }

        /// Fails with `status` as the vendor does (its error body; for a 429 its
        /// rate-limit headers), on every call unless the returned stub says otherwise.
        pub fn fails(self, status: StatusCode) -> FailureStub<'a> {
            self.target.fails(status)
        }

        /// The calls of this operation so far (those meeting this stub's conditions).
        pub fn calls(&self) -> Vec<Call<B>>
        where
            B: DeserializeOwned,
        {
            self.target.calls()
        }
    };
}

/// Answers of one operation whose success body is a `T` (the data, for an API
/// with an envelope), with `B` the JSON body its requests send.
#[must_use = "a stub does nothing until it `returns`, `succeeds` or `fails`"]
pub struct Stub<'a, T, B = Value> {
    target: Target<'a>,
    types: PhantomData<fn() -> (T, B)>,
}

impl<'a, T, B> Stub<'a, T, B> {
    pub(super) fn new(fake: &'a FakeServer, operation: &'static FakeOperation) -> Self {
        Stub { target: Target { fake, operation, conditions: Vec::new() }, types: PhantomData }
    }

    conditions_and_calls!();

    /// Answers with `data`, in the operation's success status (and envelope).
    pub fn returns(self, data: T)
    where
        T: Serialize,
    {
        let data = serde_json::to_value(&data).unwrap_or_else(|error| panic!("the stub's data: {error}"));
        self.target.check(Some(&data));
        self.target.answer(Reply::Data(Some(data)));
    }

    /// Answers with the default body, built from the spec for this operation.
    pub fn succeeds(self) {
        self.target.check(None);
        self.target.answer(Reply::Data(None));
    }

    /// Answers with exactly this status, content type and body.
    pub fn returns_raw(self, status: StatusCode, content_type: &str, body: impl Into<Bytes>) {
        self.target.answer(Reply::Raw { status, content_type: content_type.to_owned(), body: body.into() });
    }
}

/// Answers of one list operation, whose items are `I`; the fake cuts them into
/// pages in the API's page style.
#[must_use = "a stub does nothing until it `returns`, `succeeds` or `fails`"]
pub struct ListStub<'a, I, B = Value> {
    target: Target<'a>,
    page_size: Option<usize>,
    types: PhantomData<fn() -> (I, B)>,
}

impl<'a, I, B> ListStub<'a, I, B> {
    pub(super) fn new(fake: &'a FakeServer, operation: &'static FakeOperation) -> Self {
        ListStub { target: Target { fake, operation, conditions: Vec::new() }, page_size: None, types: PhantomData }
    }

    conditions_and_calls!();

    /// The server's largest page: a request asking for more items (or naming no
    /// page size) gets this many, as from a server that caps its pages.
    pub fn page_size(mut self, size: usize) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Answers with `items`, page by page as the requests ask for them.
    pub fn returns(self, items: impl IntoIterator<Item = I>)
    where
        I: Serialize,
    {
        let items: Vec<Value> = items
            .into_iter()
            .map(|item| serde_json::to_value(&item).unwrap_or_else(|error| panic!("a stubbed item: {error}")))
            .collect();
        self.answer(items);
    }

    /// Answers with the default page of the spec (one item built from its schema).
    pub fn succeeds(self) {
        let fake = self.target.fake;
        let items = router::default_items(self.target.operation, &*fake.vendor, &fake.url());
        self.answer(items);
    }

    fn answer(self, items: Vec<Value>) {
        let (operation, fake) = (self.target.operation, self.target.fake);
        let first: Vec<Value> = items.iter().take(1).cloned().collect();
        if let Err(problem) = router::page_of(operation, first, &[], &*fake.vendor, &fake.url()) {
            panic!("a page of `{}` does not decode with the crate's types: {problem}", operation.id);
        }
        self.target.answer(Reply::List { items, page_size: self.page_size });
    }
}

/// A failure just stubbed; its methods narrow when it happens.
#[derive(Debug)]
pub struct FailureStub<'a> {
    fake: &'a FakeServer,
    index: usize,
}

impl FailureStub<'_> {
    fn edit(self, change: impl FnOnce(&mut Failure)) -> Self {
        change(&mut self.fake.lock().failures[self.index]);
        self
    }

    /// Fails once, then answers as stubbed.
    pub fn once(self) -> Self {
        self.times(1)
    }

    /// Fails `count` times, then answers as stubbed.
    pub fn times(self, count: usize) -> Self {
        self.edit(|failure| failure.remaining = Some(count))
    }

    /// Fails the `n`-th call of the operation (counting from 1, retries included),
    /// so a list fails in the middle: `on_call(2)` is the second page's request.
    pub fn on_call(self, n: usize) -> Self {
        self.edit(|failure| failure.on_call = Some(n))
    }

    /// How long a 429 asks the caller to wait (none by default).
    pub fn retry_after(self, wait: Duration) -> Self {
        self.edit(|failure| failure.retry_after = wait)
    }

    /// Answers with this error body instead of the vendor's usual one.
    pub fn with_body(self, body: Value) -> Self {
        self.edit(|failure| failure.body = Some(body))
    }
}

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Call<B = Value> {
    /// The operationId it was routed to (empty for the token endpoint).
    pub operation: &'static str,
    /// The HTTP method.
    pub method: String,
    /// The path, as sent.
    pub path: String,
    /// The path parameters, by the names of the operation's path template.
    pub path_params: BTreeMap<String, String>,
    /// The query parameters, in order.
    pub query: Vec<(String, String)>,
    /// The headers; `authorization` reads `***`.
    pub headers: HeaderMap,
    /// The JSON body, decoded (`None` when the request sent no JSON).
    pub body: Option<B>,
    /// The body as sent.
    pub raw_body: Bytes,
}

impl<B> Call<B> {
    /// A query parameter's first value.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

impl<B: DeserializeOwned> Call<B> {
    pub(super) fn from_recorded(call: &RecordedCall) -> Self {
        let is_json = call.header("content-type").is_some_and(|content_type| content_type.contains("json"));
        let body = (is_json && !call.body.is_empty()).then(|| {
            serde_json::from_slice(&call.body).unwrap_or_else(|error| {
                panic!(
                    "the body sent to `{}` does not decode as {}: {error}",
                    call.operation,
                    std::any::type_name::<B>()
                )
            })
        });
        Call {
            operation: call.operation,
            method: call.method.clone(),
            path: call.url.path().to_owned(),
            path_params: call.path_params.clone(),
            query: call.url.query_pairs().map(|(key, value)| (key.into_owned(), value.into_owned())).collect(),
            headers: call.headers.clone(),
            body,
            raw_body: call.body.clone(),
        }
    }
}
