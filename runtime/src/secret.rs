//! Credentials that never print.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A credential: an API token, API key or client secret, or a password a
/// response hands out (`format: password` in a spec).
///
/// `Debug` prints `***`, there is no `Display`, and the memory is zeroed on drop
/// (through the `secrecy` crate). The value is reachable only through
/// [`Secret::expose`], so every place that reads it is easy to find. It is
/// serialized as the plain string, since a request must send it.
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

impl Default for Secret {
    /// The empty secret (for `Default` of a struct with a required secret field).
    fn default() -> Self {
        Self::new(String::new())
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

impl crate::request::ParamValue for Secret {
    /// The credential itself: a parameter must send it.
    fn to_param(&self) -> Option<std::borrow::Cow<'_, str>> {
        Some(std::borrow::Cow::Borrowed(self.expose()))
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

#[cfg(test)]
mod tests {
    use super::Secret;

    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    struct Credentials {
        user_name: String,
        password: Secret,
    }

    #[test]
    fn a_decoded_secret_never_prints_and_is_sent_as_it_came() {
        let body = r#"{"user_name":"stream-1","password":"hunter2"}"#;
        let credentials: Credentials = serde_json::from_str(body).unwrap();
        let printed = format!("{credentials:?} {credentials:#?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("***"));
        assert_eq!(credentials.password.expose(), "hunter2");
        assert_eq!(serde_json::to_string(&credentials).unwrap(), body);
    }
}
