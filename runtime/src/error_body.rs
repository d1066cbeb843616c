//! Vendor error bodies: each API's own shape of "what went wrong".

use serde::{Deserialize, Serialize};

use crate::{cisco_amp, sophos_factory};

/// Which error body shape an API uses; named in the API's generator config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorFormat {
    /// No known shape: common fields such as `message` or `error` are read if present.
    Generic,
    /// Sophos Factory: `{status, errors: [{code, message, details}]}`.
    SophosFactory,
    /// Cisco AMP: the envelope `{version, data, errors: [{error_code, description, details}]}`.
    CiscoAmp,
    /// Sophos Central: `{error, message, correlationId, code, createdAt, requestId, docUrl}`.
    SophosCentral,
    /// Sumo Logic Cloud SOAR: `{error, description}`.
    CloudSoar,
}

/// A vendor error body, parsed.
///
/// A body that does not have the expected shape is not an error in itself: the
/// [`ApiError`](crate::ApiError) then has no vendor error but keeps the raw body.
///
/// ```
/// use secgen_runtime::{ErrorFormat, VendorError};
///
/// let body = br#"{"error":"internalServerError","message":"Internal Server Error.","correlationId":"c1","requestId":"r1"}"#;
/// let parsed = VendorError::parse(ErrorFormat::SophosCentral, body).unwrap();
/// assert_eq!(parsed.summary().as_deref(), Some("internalServerError: Internal Server Error."));
/// assert_eq!(parsed.request_id(), Some("r1"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum VendorError {
    /// A body in the Sophos Factory shape.
    SophosFactory(sophos_factory::ErrorBody),
    /// A body in the Cisco AMP shape.
    CiscoAmp(cisco_amp::ErrorBody),
    /// A body in the Sophos Central shape.
    SophosCentral(SophosCentralError),
    /// A body in the Cloud SOAR shape, or any body with a recognisable message.
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
            ErrorFormat::CiscoAmp => serde_json::from_slice::<cisco_amp::ErrorBody>(body)
                .ok()
                .filter(|parsed| !parsed.errors.is_empty())
                .map(VendorError::CiscoAmp),
            ErrorFormat::SophosCentral => serde_json::from_slice::<SophosCentralError>(body)
                .ok()
                .filter(|parsed| parsed.error.is_some() || parsed.message.is_some())
                .map(VendorError::SophosCentral),
            ErrorFormat::Generic | ErrorFormat::CloudSoar => serde_json::from_slice::<GenericErrorBody>(body)
                .ok()
                .filter(|parsed| parsed.summary().is_some())
                .map(VendorError::Generic),
        }
    }

    /// A one-line description for error messages.
    pub fn summary(&self) -> Option<String> {
        match self {
            VendorError::SophosFactory(body) => body.summary(),
            VendorError::CiscoAmp(body) => body.summary(),
            VendorError::SophosCentral(body) => join(&[&body.error, &body.message]),
            VendorError::Generic(body) => body.summary(),
        }
    }

    /// The request id the vendor put in the body, if its format has one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            VendorError::SophosCentral(body) => body.request_id.as_deref(),
            VendorError::Generic(body) => body.request_id.as_deref(),
            VendorError::SophosFactory(_) | VendorError::CiscoAmp(_) => None,
        }
    }
}

/// The error body of every Sophos Central API gateway.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SophosCentralError {
    /// A machine-readable name, e.g. `internalServerError`.
    #[serde(default, deserialize_with = "string_only")]
    pub error: Option<String>,
    /// A human-readable message.
    #[serde(default)]
    pub message: Option<String>,
    /// The id to quote to Sophos support.
    #[serde(default)]
    pub correlation_id: Option<String>,
    /// A more specific code.
    #[serde(default)]
    pub code: Option<String>,
    /// When the error happened.
    #[serde(default)]
    pub created_at: Option<String>,
    /// The request's id.
    #[serde(default)]
    pub request_id: Option<String>,
    /// A link to documentation about this error.
    #[serde(default)]
    pub doc_url: Option<String>,
}

/// The fields most APIs use for an error message (also the Cloud SOAR shape and
/// OAuth2's `{error, error_description}`).
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
        join(&[&self.error, &self.message, &self.description])
    }
}

fn join(parts: &[&Option<String>]) -> Option<String> {
    let parts: Vec<&str> = parts.iter().filter_map(|part| part.as_deref()).filter(|part| !part.is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join(": "))
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
        assert_eq!(VendorError::parse(ErrorFormat::CiscoAmp, br#"{"version":"v1.2.0","data":{}}"#), None);
    }

    #[test]
    fn generic_and_cloud_soar_bodies_give_a_summary() {
        let parsed =
            VendorError::parse(ErrorFormat::Generic, br#"{"error":"forbidden","message":"No access"}"#).unwrap();
        assert_eq!(parsed.summary().as_deref(), Some("forbidden: No access"));
        let parsed =
            VendorError::parse(ErrorFormat::CloudSoar, br#"{"error":"Not found","description":"Incident 8508"}"#)
                .unwrap();
        assert_eq!(parsed.summary().as_deref(), Some("Not found: Incident 8508"));
    }
}
