//! Errors that name the spec file, the JSON pointer and what is wrong.

use std::fmt;

/// A problem with the spec or the config: where it is and what is wrong.
///
/// Displayed as `file#/json/pointer: message`, the form editors and `jq` understand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}#{pointer}: {message}")]
pub struct Error {
    /// The spec file (or config file) the problem is in.
    pub file: String,
    /// The JSON pointer (RFC 6901) of the offending node; empty for the whole document.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

/// A problem found inside the document, before the file name is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SpecError {
    pub(crate) pointer: Pointer,
    pub(crate) message: String,
}

impl SpecError {
    pub(crate) fn new(pointer: &Pointer, message: impl Into<String>) -> Self {
        Self { pointer: pointer.clone(), message: message.into() }
    }

    pub(crate) fn in_file(self, file: &str) -> Error {
        Error { file: file.to_owned(), pointer: self.pointer.0, message: self.message }
    }
}

pub(crate) type SpecResult<T> = Result<T, SpecError>;

/// A JSON pointer into the spec, built segment by segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub(crate) struct Pointer(String);

impl Pointer {
    /// The pointer to the whole document.
    pub(crate) fn root() -> Self {
        Pointer(String::new())
    }

    /// This pointer extended by one (unescaped) segment.
    pub(crate) fn join(&self, segment: impl fmt::Display) -> Self {
        let segment = segment.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{segment}", self.0))
    }

    /// The pointer one segment up: `/paths/~1a/get` → `/paths/~1a`.
    pub(crate) fn parent(&self) -> Pointer {
        Pointer(self.0.rsplit_once('/').map_or(String::new(), |(parent, _)| parent.to_owned()))
    }

    /// A pointer already escaped, as written (`/paths/~1a/get`).
    pub(crate) fn from_escaped(text: String) -> Self {
        Pointer(text)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_escaped_per_rfc6901() {
        let pointer = Pointer::root().join("paths").join("/projects/{id}").join("a~b");
        assert_eq!(pointer.as_str(), "/paths/~1projects~1{id}/a~0b");
    }
}
