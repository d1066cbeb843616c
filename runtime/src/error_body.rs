//! Error bodies: an API's own shape of "what went wrong", behind one trait.
//!
//! The core knows no vendor. An API names its error body type in its generator
//! config; the generated client hands it to [`ApiInfo::error_body`](crate::ApiInfo::error_body),
//! and every error status is parsed with it.

use std::any::Any;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A vendor's error body: anything that can say what went wrong in one line.
///
/// Implement it for the body type of an API (a vendor module does), and read a
/// parsed body back with [`Error::error_body`](crate::Error::error_body).
///
/// ```
/// use secgen_runtime::{ErrorBody, GenericErrorBody, parse_error_body};
///
/// let body = br#"{"error":"forbidden","message":"No access","requestId":"r1"}"#;
/// let parsed = parse_error_body::<GenericErrorBody>(body).unwrap();
/// assert_eq!(parsed.summary().as_deref(), Some("forbidden: No access"));
/// assert_eq!(parsed.request_id(), Some("r1"));
/// assert!(parsed.downcast_ref::<GenericErrorBody>().is_some());
/// ```
pub trait ErrorBody: Any + fmt::Debug + Send + Sync {
    /// A one-line description for error messages; `None` when the body says
    /// nothing (it is then not taken as this shape).
    fn summary(&self) -> Option<String>;

    /// The machine-readable codes the body carries, if its format has any.
    fn codes(&self) -> Vec<String> {
        Vec::new()
    }

    /// The request id the vendor put in the body, if its format has one.
    fn request_id(&self) -> Option<&str> {
        None
    }
}

impl dyn ErrorBody {
    /// The body as its concrete type.
    pub fn downcast_ref<T: ErrorBody>(&self) -> Option<&T> {
        (self as &dyn Any).downcast_ref()
    }
}

/// Reads an error body into a type; `None` when the body is not that shape.
pub type ErrorBodyParser = fn(&[u8]) -> Option<Box<dyn ErrorBody>>;

/// Parses `body` as `T`; a body that does not decode, or decodes with nothing to
/// say, is not taken (the error then keeps only the raw body).
pub fn parse_error_body<T: ErrorBody + DeserializeOwned>(body: &[u8]) -> Option<Box<dyn ErrorBody>> {
    let parsed: T = serde_json::from_slice(body).ok()?;
    parsed.summary().is_some().then(|| Box::new(parsed) as Box<dyn ErrorBody>)
}

/// The fields most APIs use for an error message (also OAuth2's
/// `{error, error_description}`): the default error body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenericErrorBody {
    /// A human-readable message.
    #[serde(default)]
    pub message: Option<String>,
    /// A short error name or code.
    #[serde(default, deserialize_with = "string_only")]
    pub error: Option<String>,
    /// A longer description.
    #[serde(default, alias = "error_description")]
    pub description: Option<String>,
    /// The server's id for the request.
    #[serde(default, rename = "requestId", alias = "request_id")]
    pub request_id: Option<String>,
}

impl ErrorBody for GenericErrorBody {
    fn summary(&self) -> Option<String> {
        join_present(&[&self.error, &self.message, &self.description])
    }

    fn codes(&self) -> Vec<String> {
        self.error.iter().cloned().collect()
    }

    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// The parts that are present and not empty, joined with `": "`.
pub fn join_present(parts: &[&Option<String>]) -> Option<String> {
    let parts: Vec<&str> = parts.iter().filter_map(|part| part.as_deref()).filter(|part| !part.is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join(": "))
}

/// Reads a string, and treats any other JSON value as absent (for lenient error
/// bodies, whose `error` is sometimes an object).
pub fn string_only<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::String(text) => Some(text),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_of_another_shape_are_not_error_bodies() {
        assert!(parse_error_body::<GenericErrorBody>(b"<html>bad gateway</html>").is_none());
        assert!(parse_error_body::<GenericErrorBody>(br#"{"unrelated":1}"#).is_none());
        assert!(parse_error_body::<GenericErrorBody>(br#"{"error":{"nested":true}}"#).is_none());
    }

    #[test]
    fn generic_bodies_give_a_summary_and_codes() {
        let parsed =
            parse_error_body::<GenericErrorBody>(br#"{"error":"Not found","description":"Incident 8508"}"#).unwrap();
        assert_eq!(parsed.summary().as_deref(), Some("Not found: Incident 8508"));
        assert_eq!(parsed.codes(), ["Not found"]);
    }
}
