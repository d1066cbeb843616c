//! Sumo Logic Cloud SOAR (legacy `/incmansuite_ng/api/v3/`): the `{name, value}`
//! wrapper every incident field comes in.
//!
//! Its error body `{error, description}` is the runtime's
//! [`GenericErrorBody`](secgen_runtime::GenericErrorBody), and its one base URL
//! rule (each customer's own host, https only) is generator config
//! (`base_url_required`, `require_https`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use secgen_runtime::DateTime;

/// One field of an incident, timeline entry or external alert: its label in the
/// tenant's configuration, and its value.
///
/// Fields are tenant-configurable (`opt_1` … `opt_50` among them), so values are
/// kept as JSON; the accessors read the common kinds.
///
/// ```
/// use secgen_vendors::cloud_soar::Field;
///
/// let status: Field = serde_json::from_str(r#"{"name":"Status","value":"Identification"}"#).unwrap();
/// assert_eq!(status.as_str(), Some("Identification"));
/// let start: Field = serde_json::from_str(r#"{"name":"Start time","value":1700000000}"#).unwrap();
/// assert_eq!(start.as_datetime().unwrap().to_string(), "2023-11-14T22:13:20Z");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Field {
    /// The field's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The value, as sent.
    #[serde(default)]
    pub value: Value,
}

impl Field {
    /// A field holding `value`.
    pub fn new(value: impl Into<Value>) -> Self {
        Field { name: None, value: value.into() }
    }

    /// The value as text.
    pub fn as_str(&self) -> Option<&str> {
        self.value.as_str()
    }

    /// The value as an integer (also from numeric text).
    pub fn as_i64(&self) -> Option<i64> {
        self.value.as_i64().or_else(|| self.as_str()?.trim().parse().ok())
    }

    /// The value as a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        self.value.as_bool()
    }

    /// The value as a list of text (tags, types).
    pub fn as_strings(&self) -> Option<Vec<&str>> {
        self.value.as_array()?.iter().map(Value::as_str).collect()
    }

    /// The value as a timestamp: Cloud SOAR sends epoch seconds.
    pub fn as_datetime(&self) -> Option<DateTime> {
        secgen_runtime::chrono::DateTime::from_timestamp(self.as_i64()?, 0).map(DateTime::from)
    }
}

/// What a generated crate's fake answers as Cloud SOAR does (cargo feature `fake`).
#[cfg(feature = "fake")]
pub mod fake {
    use secgen_runtime::StatusCode;
    use secgen_runtime::fake::FakeVendor;
    use serde_json::{Value, json};

    /// Cloud SOAR's error body: `{error, description}`; no rate limits are
    /// published, so a 429 carries the generic `Retry-After`.
    #[derive(Debug, Clone, Copy, Default)]
    pub struct CloudSoar;

    impl FakeVendor for CloudSoar {
        fn error_body(&self, status: StatusCode, message: &str) -> Value {
            json!({"error": status.canonical_reason().unwrap_or("Error"), "description": message})
        }
    }
}
