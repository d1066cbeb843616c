//! Vendor error bodies: each API's own shape of "what went wrong".

use serde::{Deserialize, Serialize};

use crate::sophos_factory;

/// Which error body shape an API uses; named in the API's generator config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorFormat {
    /// No known shape: common fields such as `message` or `error` are read if present.
    Generic,
    /// Sophos Factory: `{status, errors: [{code, message, details}]}`.
    SophosFactory,
}

/// A vendor error body, parsed.
///
/// A body that does not have the expected shape is not an error in itself: the
/// [`ApiError`](crate::ApiError) then has no vendor error but keeps the raw body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum VendorError {
    /// A body in the Sophos Factory shape.
    SophosFactory(sophos_factory::ErrorBody),
    /// A body with at least a recognisable message.
    Generic(GenericErrorBody),
}

impl VendorError {
    /// Parses `body` in the given format; `None` when it is not that shape.
    pub fn parse(format: ErrorFormat, body: &[u8]) -> Option<Self> {
        match format {
            ErrorFormat::SophosFactory => serde_json::from_slice::<sophos_factory::ErrorBody>(body)
                .ok()
                .filter(|parsed| !parsed.errors.is_empty())
                .map(VendorError::SophosFactory),
            ErrorFormat::Generic => serde_json::from_slice::<GenericErrorBody>(body)
                .ok()
                .filter(|parsed| parsed.summary().is_some())
                .map(VendorError::Generic),
        }
    }

    /// A one-line description for error messages.
    pub fn summary(&self) -> Option<String> {
        match self {
            VendorError::SophosFactory(body) => body.summary(),
            VendorError::Generic(body) => body.summary(),
        }
    }

    /// The request id the vendor put in the body, if its format has one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            VendorError::SophosFactory(_) => None,
            VendorError::Generic(body) => body.request_id.as_deref(),
        }
    }
}

/// The fields most APIs use for an error message.
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

impl GenericErrorBody {
    fn summary(&self) -> Option<String> {
        let parts: Vec<&str> =
            [&self.error, &self.message, &self.description].into_iter().flatten().map(String::as_str).collect();
        (!parts.is_empty()).then(|| parts.join(": "))
    }
}

/// Reads a string, and treats any other JSON value as absent.
pub(crate) fn string_only<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::String(text) => Some(text),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_of_another_shape_are_not_vendor_errors() {
        assert_eq!(VendorError::parse(ErrorFormat::SophosFactory, b"<html>bad gateway</html>"), None);
        assert_eq!(VendorError::parse(ErrorFormat::SophosFactory, br#"{"message":"x"}"#), None);
        assert_eq!(VendorError::parse(ErrorFormat::Generic, br#"{"unrelated":1}"#), None);
    }

    #[test]
    fn generic_bodies_give_a_summary() {
        let parsed =
            VendorError::parse(ErrorFormat::Generic, br#"{"error":"forbidden","message":"No access"}"#).unwrap();
        assert_eq!(parsed.summary().as_deref(), Some("forbidden: No access"));
    }
}
