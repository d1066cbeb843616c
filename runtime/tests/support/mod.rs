//! What the runtime's loopback tests share.

#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use secgen_runtime::{ApiClient, ApiInfo, Auth, ClientBuilder, RetryPolicy};
use wiremock::{Request as Received, Respond, ResponseTemplate};

pub static API: ApiInfo = ApiInfo::new("runtime-tests", "0.0.0");

/// A client for `base_url` with quick retries (1–5 ms backoff), so tests wait
/// only where a server asks them to.
pub fn client(base_url: &str, auth: Auth) -> ApiClient {
    builder(base_url, auth).build().unwrap()
}

pub fn builder(base_url: &str, auth: Auth) -> ClientBuilder<ApiClient> {
    ClientBuilder::new(&API)
        .base_url(base_url)
        .auth(auth)
        .retry(RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(5)))
}

/// Answers the n-th request (0-based) with `respond(n)`.
pub struct Sequence<F>(pub AtomicUsize, pub F);

impl<F: Fn(usize) -> ResponseTemplate + Send + Sync> Sequence<F> {
    pub fn new(respond: F) -> Self {
        Sequence(AtomicUsize::new(0), respond)
    }
}

impl<F: Fn(usize) -> ResponseTemplate + Send + Sync> Respond for Sequence<F> {
    fn respond(&self, _: &Received) -> ResponseTemplate {
        (self.1)(self.0.fetch_add(1, Ordering::SeqCst))
    }
}

/// Counts requests, shareable between a responder and the test.
#[derive(Clone, Default)]
pub struct Counter(pub Arc<AtomicUsize>);

impl Counter {
    pub fn bump(&self) -> usize {
        self.0.fetch_add(1, Ordering::SeqCst)
    }

    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// A `{items: [numbers]}` list page, paged by parameters alone.
#[derive(serde::Deserialize)]
pub struct NumberPage {
    pub items: Vec<u64>,
}

impl secgen_runtime::Paginated for NumberPage {
    type Item = u64;

    fn items(&self) -> &[u64] {
        &self.items
    }

    fn into_items(self) -> Vec<u64> {
        self.items
    }
}
