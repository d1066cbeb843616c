//! What a vendor's fake answers differently: its error bodies, its rate-limit
//! headers, its envelope. The generic answers are here; a vendor's live in its
//! module of `secgen-vendors`.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

/// How a vendor's API answers where every API differs.
pub trait FakeVendor: Send + Sync + 'static {
    /// The body of an error response with `status`; `message` says what happened.
    fn error_body(&self, status: StatusCode, message: &str) -> Value {
        json!({ "message": message, "status": status.as_u16() })
    }

    /// The headers of a 429 asking the caller to wait `retry_after`.
    fn rate_limit_headers(&self, retry_after: Duration) -> Vec<(&'static str, String)> {
        vec![("retry-after", retry_after.as_secs().to_string())]
    }

    /// Fills in what only the fake can know before a success body of `operation`
    /// is served: a host of the fake (`root`, its origin) where the API names one.
    fn prepare(&self, operation: &str, body: &mut Value, root: &str) {
        let _ = (operation, body, root);
    }

    /// A success body around `data`, for an API whose bodies come in an envelope
    /// (`data_path` is where the data goes); `url` is the request's URL.
    fn envelope(&self, data_path: &str, data: Value, url: &str) -> Value {
        let _ = url;
        let mut body = json!({});
        super::pages::set(&mut body, data_path, data);
        body
    }
}

/// The answers of an API that has no vendor module for its fake.
#[derive(Debug, Clone, Copy, Default)]
pub struct GenericVendor;

impl FakeVendor for GenericVendor {}
