//! Credentials that never print.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A credential: an API token, API key or client secret.
///
/// `Debug` prints `***`, there is no `Display`, and the memory is zeroed on drop
/// (through the `secrecy` crate). The value is reachable only through
/// [`Secret::expose`], so every place that reads it is easy to find.
///
/// ```
/// use secgen_runtime::Secret;
///
/// let token = Secret::new("s3cr3t");
/// assert_eq!(format!("{token:?}"), "***");
/// assert_eq!(token.expose(), "s3cr3t");
/// ```
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The credential itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}
