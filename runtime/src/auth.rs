//! How requests prove who is calling.

use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use reqwest::header::HeaderValue;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// The credentials a client sends with every request.
///
/// ```
/// use secgen_runtime::Auth;
///
/// let auth = Auth::bearer("token-from-the-console");
/// assert_eq!(format!("{auth:?}"), "Auth(Bearer(***))");
/// ```
#[derive(Debug, Clone)]
pub struct Auth(Scheme);

#[derive(Debug, Clone)]
enum Scheme {
    None,
    Bearer(Secret),
    Basic { username: String, password: Secret },
}

impl Auth {
    /// Sends no credentials.
    pub fn none() -> Self {
        Auth(Scheme::None)
    }

    /// `Authorization: Bearer <token>` (Sophos Factory API tokens, Cloud SOAR JWTs).
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Auth(Scheme::Bearer(token.into()))
    }

    /// HTTP Basic with a user name and password (Cisco AMP: client id and API key).
    pub fn basic(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Auth(Scheme::Basic { username: username.into(), password: password.into() })
    }

    /// The `Authorization` header value for the next request, marked sensitive so
    /// that the HTTP client never prints it.
    pub(crate) fn header(&self, operation: &'static str) -> Result<Option<HeaderValue>> {
        let text = match &self.0 {
            Scheme::None => return Ok(None),
            Scheme::Bearer(token) => format!("Bearer {}", token.expose()),
            Scheme::Basic { username, password } => {
                format!("Basic {}", BASE64_STANDARD.encode(format!("{username}:{}", password.expose())))
            }
        };
        let mut value = HeaderValue::from_str(&text).map_err(|_| Error::InvalidRequest {
            operation,
            message: "the credential contains characters that are not allowed in a header".to_owned(),
        })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_sensitive_and_debug_hides_secrets() {
        let auth = Auth::basic("client-id", "api-key-123");
        let header = auth.header("op").unwrap().unwrap();
        assert!(header.is_sensitive());
        assert_eq!(header.to_str().unwrap(), "Basic Y2xpZW50LWlkOmFwaS1rZXktMTIz");
        assert!(!format!("{auth:?}").contains("api-key-123"));
        assert!(!format!("{header:?}").contains("Y2xpZW50"));
    }
}
