//! How requests prove who is calling.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use reqwest::header::HeaderValue;

use crate::error::{Error, Result};
use crate::oauth2::{ClientCredentials, TokenCache};
use crate::retry::RetryPolicy;
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
    ClientCredentials(Arc<TokenCache>),
}

/// The `Authorization` header for one attempt, and the OAuth2 token it carries
/// (to forget it if the server rejects it).
pub(crate) struct Credential {
    pub(crate) header: Option<HeaderValue>,
    pub(crate) token: Option<Secret>,
}

impl Auth {
    /// Sends no credentials.
    pub fn none() -> Self {
        Auth(Scheme::None)
    }

    /// `Authorization: Bearer <token>` (API tokens, JWTs).
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Auth(Scheme::Bearer(token.into()))
    }

    /// HTTP Basic with a user name and password (for example a client id and API key).
    pub fn basic(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Auth(Scheme::Basic { username: username.into(), password: password.into() })
    }

    /// OAuth2 client credentials: a bearer token fetched from the
    /// token URL, cached and renewed before it expires; a 401 renews it once.
    pub fn client_credentials(credentials: ClientCredentials) -> Self {
        Auth(Scheme::ClientCredentials(Arc::new(TokenCache::new(credentials))))
    }

    /// Whether no credentials are sent.
    pub(crate) fn is_none(&self) -> bool {
        matches!(self.0, Scheme::None)
    }

    /// Whether a 401 may be cured by fetching a new token.
    pub(crate) fn is_renewable(&self) -> bool {
        matches!(self.0, Scheme::ClientCredentials(_))
    }

    /// Forgets a token the server rejected.
    pub(crate) async fn reject(&self, token: &Secret) {
        if let Scheme::ClientCredentials(cache) = &self.0 {
            cache.invalidate(token).await;
        }
    }

    /// The credential for the next attempt, fetching a token first if needed.
    pub(crate) async fn credential(
        &self,
        operation: &'static str,
        http: &reqwest::Client,
        timeout: Duration,
        retry: &RetryPolicy,
    ) -> Result<Credential> {
        let token = match &self.0 {
            Scheme::ClientCredentials(cache) => Some(cache.token(http, timeout, retry).await?),
            _ => None,
        };
        let header = self.header(operation, token.as_ref())?;
        Ok(Credential { header, token })
    }

    /// The `Authorization` header value, marked sensitive so that the HTTP client
    /// never prints it.
    fn header(&self, operation: &'static str, token: Option<&Secret>) -> Result<Option<HeaderValue>> {
        let text = match (&self.0, token) {
            (Scheme::None, _) => return Ok(None),
            (Scheme::Bearer(token), _) | (Scheme::ClientCredentials(_), Some(token)) => {
                format!("Bearer {}", token.expose())
            }
            (Scheme::ClientCredentials(_), None) => return Ok(None),
            (Scheme::Basic { username, password }, _) => {
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
        let header = auth.header("op", None).unwrap().unwrap();
        assert!(header.is_sensitive());
        assert_eq!(header.to_str().unwrap(), "Basic Y2xpZW50LWlkOmFwaS1rZXktMTIz");
        assert!(!format!("{auth:?}").contains("api-key-123"));
        assert!(!format!("{header:?}").contains("Y2xpZW50"));
    }
}
