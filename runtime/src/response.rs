//! Successful responses: status, headers and the decoded body.

use std::ops::Deref;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// A decoded success response, with its status and headers still reachable.
///
/// It dereferences to the body, so `response.field` works; [`Response::into_inner`]
/// takes the body out.
///
/// ```
/// # fn demo(response: secgen_runtime::Response<Vec<String>>) {
/// println!("{} items, status {}", response.len(), response.status());
/// let items: Vec<String> = response.into_inner();
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    /// Builds a response from its parts.
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Self { status, headers, body }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// Takes the decoded body.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// Takes status, headers and body apart.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }

    /// The rate-limit headers (limit, remaining, reset), if the server sent any.
    pub fn rate_limit(&self) -> Option<crate::RateLimit> {
        crate::RateLimit::from_headers(&self.headers)
    }

    /// Transforms the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response { status: self.status, headers: self.headers, body: f(self.body) }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// A success response whose body has not been decoded yet.
///
/// Generated methods pick the decoding the spec describes: [`json`](Self::json),
/// [`empty`](Self::empty), [`bytes`](Self::bytes), [`text`](Self::text), or
/// [`decode_with`](Self::decode_with) for an operation with several success bodies.
#[derive(Debug)]
pub struct RawResponse {
    pub(crate) operation: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl RawResponse {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Decodes a JSON body. A failure names the JSON path where decoding stopped.
    pub fn json<T: DeserializeOwned>(self) -> Result<Response<T>> {
        let body = decode_json(self.operation, self.status, &self.body)?;
        Ok(Response::new(self.status, self.headers, body))
    }

    /// Ignores the body (the spec documents none).
    pub fn empty(self) -> Result<Response<()>> {
        Ok(Response::new(self.status, self.headers, ()))
    }

    /// Keeps the body as bytes (a content type the generator does not decode).
    pub fn bytes(self) -> Result<Response<Bytes>> {
        Ok(Response::new(self.status, self.headers, self.body))
    }

    /// Keeps the body as text.
    pub fn text(self) -> Result<Response<String>> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Ok(Response::new(self.status, self.headers, text)),
            Err(error) => Err(Error::decode(self.operation, self.status, error.to_string(), &self.body)),
        }
    }

    /// Decodes with a function of status and body, for operations whose success
    /// statuses carry different bodies.
    pub fn decode_with<T>(self, decode: impl FnOnce(u16, &[u8]) -> serde_json::Result<T>) -> Result<Response<T>> {
        match decode(self.status.as_u16(), &self.body) {
            Ok(body) => Ok(Response::new(self.status, self.headers, body)),
            Err(error) => Err(Error::decode(self.operation, self.status, error.to_string(), &self.body)),
        }
    }
}

/// Decodes JSON; on failure decodes again, tracking the path, for the error message.
pub(crate) fn decode_json<T: DeserializeOwned>(operation: &'static str, status: StatusCode, body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|_| {
        let deserializer = &mut serde_json::Deserializer::from_slice(body);
        let message = match serde_path_to_error::deserialize::<_, T>(deserializer) {
            Err(error) if error.path().to_string() != "." => format!("at `{}`: {}", error.path(), error.inner()),
            Err(error) => error.inner().to_string(),
            Ok(_) => "the body does not match the schema".to_owned(),
        };
        Error::decode(operation, status, message, body)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        count: u32,
    }

    #[test]
    fn decode_errors_name_the_path_and_quote_the_body() {
        let body = br#"{"items":[{"id":"a","count":1},{"id":"b","count":"many"}]}"#;
        let error =
            decode_json::<std::collections::HashMap<String, Vec<Item>>>("listItems", StatusCode::OK, body).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("listItems: could not decode the 200 OK response: at `items[1].count`"), "{text}");
        assert!(text.contains(r#""count":"many""#), "{text}");
    }
}
