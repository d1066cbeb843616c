//! Cisco AMP for Endpoints (Secure Endpoint) API v1: regional hosts, the response
//! envelope every operation uses, and its error body.

use std::ops::Deref;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use secgen_runtime::{BaseUrl, PageInfo};

/// The AMP cloud a console lives in; credentials only work against their own.
///
/// ```
/// use secgen_vendors::cisco_amp::Region;
///
/// assert_eq!(Region::Europe.base_url(), "https://api.eu.amp.cisco.com/v1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Region {
    /// North America, the default: `api.amp.cisco.com`.
    #[default]
    NorthAmerica,
    /// Europe: `api.eu.amp.cisco.com`.
    Europe,
    /// Asia Pacific, Japan and China: `api.apjc.amp.cisco.com`.
    AsiaPacific,
}

impl Region {
    /// The API base URL of this region (host plus `/v1`).
    pub fn base_url(self) -> &'static str {
        match self {
            Region::NorthAmerica => "https://api.amp.cisco.com/v1",
            Region::Europe => "https://api.eu.amp.cisco.com/v1",
            Region::AsiaPacific => "https://api.apjc.amp.cisco.com/v1",
        }
    }
}

impl From<Region> for BaseUrl {
    fn from(region: Region) -> Self {
        BaseUrl::from(region.base_url())
    }
}

/// The envelope of every AMP response: `{version, metadata, data, errors}`.
///
/// Operations return it with `data` typed; it dereferences to `data`, so a list
/// response can be iterated directly, and `metadata` and `version` stay reachable.
///
/// ```
/// use secgen_vendors::cisco_amp::Envelope;
///
/// let page: Envelope<Vec<u32>> = serde_json::from_str(
///     r#"{"version":"v1.2.0","metadata":{"links":{"self":"https://x/v1/events"},"results":{"total":2}},"data":[1,2]}"#,
/// ).unwrap();
/// assert_eq!(page.len(), 2);
/// assert_eq!(page.metadata.as_ref().and_then(|m| m.results.as_ref()).map(|r| r.total), Some(2));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// The API version, e.g. `v1.2.0` (null on a 401).
    #[serde(default)]
    pub version: Option<String>,
    /// Links and result counts.
    #[serde(default)]
    pub metadata: Option<Metadata>,
    /// The operation's data.
    pub data: T,
    /// Errors, when the server reports any along with data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorItem>,
}

impl<T> Envelope<T> {
    /// Takes the data out.
    pub fn into_data(self) -> T {
        self.data
    }
}

impl<T> Deref for Envelope<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

/// `metadata` of the envelope.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Metadata {
    /// Links to this page and its neighbours.
    #[serde(default)]
    pub links: Links,
    /// Result counts (list operations only).
    #[serde(default)]
    pub results: Option<Results>,
}

/// `metadata.links`: `next` is present only when another page exists.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Links {
    /// This page.
    #[serde(default, rename = "self")]
    pub self_: Option<String>,
    /// The next page.
    #[serde(default)]
    pub next: Option<String>,
    /// The previous page.
    #[serde(default)]
    pub prev: Option<String>,
    /// The last page.
    #[serde(default)]
    pub last: Option<String>,
}

/// `metadata.results`: only `total` is always there.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Results {
    /// Items across all pages.
    pub total: u64,
    /// Items on this page.
    #[serde(default)]
    pub current_item_count: Option<u64>,
    /// The 0-based offset of this page's first item.
    #[serde(default)]
    pub index: Option<u64>,
    /// The effective page size.
    #[serde(default)]
    pub items_per_page: Option<u64>,
}

/// Hands out `data`, and for lists the next link (`metadata.links.next`) and
/// the total (`metadata.results.total`), so a list envelope pages by itself.
impl<T: DeserializeOwned + Send + 'static> secgen_runtime::Envelope for Envelope<T> {
    type Data = T;

    fn data(&self) -> &T {
        &self.data
    }

    fn into_data(self) -> T {
        self.data
    }

    fn page_info(&self) -> PageInfo {
        let metadata = self.metadata.as_ref();
        PageInfo {
            next_link: metadata.and_then(|metadata| metadata.links.next.clone()),
            total_items: metadata.and_then(|metadata| metadata.results.as_ref()).map(|results| results.total),
            ..PageInfo::default()
        }
    }
}

/// The error envelope: `{version, data: {}, errors: [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The API version (null on a 401).
    #[serde(default)]
    pub version: Option<String>,
    /// What went wrong.
    #[serde(default)]
    pub errors: Vec<ErrorItem>,
}

/// One AMP error: `{error_code, description, details}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorItem {
    /// Equal to the HTTP status (401, 404, 409, ...).
    #[serde(default)]
    pub error_code: Option<i64>,
    /// The HTTP reason phrase.
    #[serde(default)]
    pub description: Option<String>,
    /// What exactly is wrong, e.g. `Unknown API key or Client ID`.
    #[serde(default)]
    pub details: Vec<String>,
}

impl secgen_runtime::ErrorBody for ErrorBody {
    fn summary(&self) -> Option<String> {
        let items: Vec<String> = self
            .errors
            .iter()
            .map(|item| {
                let mut text = item.description.clone().unwrap_or_default();
                if !item.details.is_empty() {
                    text = format!("{text} ({})", item.details.join("; "));
                }
                text.trim().to_owned()
            })
            .filter(|text| !text.is_empty())
            .collect();
        (!items.is_empty()).then(|| items.join("; "))
    }

    /// Each item's `error_code` (the HTTP status, repeated).
    fn codes(&self) -> Vec<String> {
        self.errors.iter().filter_map(|item| item.error_code).map(|code| code.to_string()).collect()
    }
}

/// What a generated crate's fake answers as AMP does (cargo feature `fake`).
#[cfg(feature = "fake")]
pub mod fake {
    use std::time::Duration;

    use secgen_runtime::StatusCode;
    use secgen_runtime::fake::FakeVendor;
    use serde_json::{Value, json};

    /// AMP's answers: the `{version, metadata, data}` envelope, the error envelope
    /// `{version, data, errors: [{error_code, description, details}]}` (the
    /// version is null on a 401), and a 429's `X-RateLimit-*` headers.
    #[derive(Debug, Clone, Copy, Default)]
    pub struct Amp;

    impl FakeVendor for Amp {
        fn error_body(&self, status: StatusCode, message: &str) -> Value {
            let version = (status != StatusCode::UNAUTHORIZED).then_some("v1.2.0");
            let item = json!({
                "error_code": status.as_u16(),
                "description": status.canonical_reason().unwrap_or_default(),
                "details": [message],
            });
            json!({"version": version, "data": {}, "errors": [item]})
        }

        /// The hourly window's headers (reference §5): the limit, nothing remaining,
        /// and the reset in seconds and as a date.
        fn rate_limit_headers(&self, retry_after: Duration) -> Vec<(&'static str, String)> {
            let reset = secgen_runtime::chrono::Utc::now() + retry_after;
            vec![
                ("x-ratelimit-limit", "3000".to_owned()),
                ("x-ratelimit-remaining", "0".to_owned()),
                ("x-ratelimit-reset", retry_after.as_secs().to_string()),
                ("x-ratelimit-resetdate", reset.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
            ]
        }

        fn envelope(&self, data_path: &str, data: Value, url: &str) -> Value {
            let mut body = json!({"version": "v1.2.0", "metadata": {"links": {"self": url}}});
            body[data_path] = data;
            body
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use secgen_runtime::ErrorBody as _;

    #[test]
    fn the_401_envelope_parses() {
        let body = r#"{"version":null,"data":{},"errors":[{"error_code":401,"description":"Unauthorized","details":["Unknown API key or Client ID"]}]}"#;
        let parsed: ErrorBody = serde_json::from_str(body).unwrap();
        assert_eq!(parsed.errors[0].error_code, Some(401));
        assert_eq!(parsed.summary().as_deref(), Some("Unauthorized (Unknown API key or Client ID)"));
    }
}
