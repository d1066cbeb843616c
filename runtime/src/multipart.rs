//! `multipart/form-data` request bodies: text parts and file parts.
//!
//! A [`Multipart`] is a list of parts, kept as they were given and encoded anew for
//! every attempt (reqwest's `multipart::Form` writes the wire format), so a retry
//! sends the whole body again. A file part holds bytes, a path (opened and
//! streamed at each attempt, never read whole into memory) or a stream; a stream
//! can be sent once only, so a request holding one is not retried.

use std::fmt;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::Stream;
use serde::Serialize;

/// A stream of file contents.
type ByteStream = Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send + Sync>>;

/// A file to upload: its contents, and the file name and content type its part
/// declares (`application/octet-stream` unless set or given by the spec).
///
/// ```
/// use secgen_runtime::FilePart;
///
/// let report = FilePart::bytes("col1,col2\n1,2\n").file_name("report.csv").content_type("text/csv");
/// assert_eq!(report.name(), Some("report.csv"));
/// ```
#[derive(Clone)]
pub struct FilePart {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    /// Opened at each attempt; its length read then.
    Path(PathBuf),
    /// Taken by the first attempt; `None` afterwards.
    Stream {
        stream: Arc<Mutex<Option<ByteStream>>>,
        length: Option<u64>,
    },
}

impl FilePart {
    /// A file already in memory.
    pub fn bytes(contents: impl Into<Bytes>) -> Self {
        Self::from_source(Source::Bytes(contents.into()))
    }

    /// A file on disk, streamed from it at send time (and again for a retry). Its
    /// file name is the path's last component unless set.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned());
        Self { file_name, ..Self::from_source(Source::Path(path)) }
    }

    /// Contents from a stream, sent as they arrive. `length`, when known, is sent
    /// as the part's size. A stream is sent once: a request holding one is not
    /// retried.
    pub fn stream<S>(contents: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = std::io::Result<Bytes>> + Send + Sync + 'static,
    {
        let stream: ByteStream = Box::pin(contents);
        Self::from_source(Source::Stream { stream: Arc::new(Mutex::new(Some(stream))), length })
    }

    /// The file name the part declares (`filename=` in its headers).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's content type.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name the part declares, if any.
    pub fn name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    fn from_source(source: Source) -> Self {
        Self { source, file_name: None, content_type: None }
    }

    fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::Stream { .. })
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Bytes(bytes) => format!("{} bytes", bytes.len()),
            Source::Path(path) => format!("file {}", path.display()),
            Source::Stream { length: Some(length), .. } => format!("stream of {length} bytes"),
            Source::Stream { length: None, .. } => "stream".to_owned(),
        };
        f.debug_struct("FilePart")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl PartialEq for FilePart {
    /// Same name, type and contents (bytes compared, paths by path, streams by identity).
    fn eq(&self, other: &Self) -> bool {
        let same_source = match (&self.source, &other.source) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::Path(a), Source::Path(b)) => a == b,
            (Source::Stream { stream: a, .. }, Source::Stream { stream: b, .. }) => Arc::ptr_eq(a, b),
            _ => false,
        };
        same_source && self.file_name == other.file_name && self.content_type == other.content_type
    }
}

/// What a generated body hands to [`Multipart::file`]: one file, an optional one,
/// or several under one name.
pub trait FileParts {
    /// The files, in order.
    fn files(&self) -> Vec<&FilePart>;
}

impl FileParts for FilePart {
    fn files(&self) -> Vec<&FilePart> {
        vec![self]
    }
}

impl<T: FileParts> FileParts for Option<T> {
    fn files(&self) -> Vec<&FilePart> {
        self.as_ref().map(FileParts::files).unwrap_or_default()
    }
}

impl FileParts for Vec<FilePart> {
    fn files(&self) -> Vec<&FilePart> {
        self.iter().collect()
    }
}

/// A `multipart/form-data` body, built part by part.
///
/// ```
/// use secgen_runtime::{FilePart, Multipart};
///
/// let body = Multipart::new()
///     .value("file_name", &"report.csv", None)
///     .value("tags", &vec!["a", "b"], None)
///     .file("attachment", &FilePart::bytes("1,2\n").file_name("report.csv"), None);
/// assert_eq!(body.part_names(), ["file_name", "tags", "tags", "attachment"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Multipart {
    parts: Vec<(String, Part)>,
    problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text { value: String, content_type: Option<String> },
    File(FilePart),
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Self::default()
    }

    /// A property as OpenAPI 3.0 encodes it: a string or number as text, an
    /// array as one part per item, an object as JSON (`application/json`), and
    /// nothing for a value that is absent. `content_type` is the spec's
    /// `encoding.<name>.contentType`.
    pub fn value<T: Serialize + ?Sized>(mut self, name: &str, value: &T, content_type: Option<&str>) -> Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Array(items)) => {
                for item in items {
                    self.push_value(name, item, content_type);
                }
            }
            Ok(value) => self.push_value(name, value, content_type),
            Err(error) => {
                self.problem.get_or_insert(format!("multipart part `{name}`: {error}"));
            }
        }
        self
    }

    /// A file part (or one per file, for several); `content_type` is the spec's
    /// `encoding.<name>.contentType`, used where the file sets none.
    pub fn file(mut self, name: &str, files: &impl FileParts, content_type: Option<&str>) -> Self {
        for file in files.files() {
            let mut file = file.clone();
            if file.content_type.is_none() {
                file.content_type = content_type.map(str::to_owned);
            }
            self.parts.push((name.to_owned(), Part::File(file)));
        }
        self
    }

    /// The parts' names, in order (one per part).
    pub fn part_names(&self) -> Vec<&str> {
        self.parts.iter().map(|(name, _)| name.as_str()).collect()
    }

    fn push_value(&mut self, name: &str, value: serde_json::Value, content_type: Option<&str>) {
        let (value, default_type) = match value {
            serde_json::Value::Null => return,
            serde_json::Value::String(text) => (text, None),
            object @ serde_json::Value::Object(_) => (object.to_string(), Some("application/json")),
            other => (other.to_string(), None),
        };
        let content_type = content_type.or(default_type).map(str::to_owned);
        self.parts.push((name.to_owned(), Part::Text { value, content_type }));
    }

    /// Why the body cannot be sent, found while building it.
    pub(crate) fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// Whether it can be sent again (no part streams from a one-shot source).
    pub(crate) fn is_replayable(&self) -> bool {
        self.parts.iter().all(|(_, part)| match part {
            Part::File(file) => file.is_replayable(),
            Part::Text { .. } => true,
        })
    }

    /// The wire form for one attempt: files opened, a stream taken.
    pub(crate) async fn form(&self) -> Result<reqwest::multipart::Form, String> {
        // Names as written (RFC 7578 §5.1: no `name*=` encoding).
        let mut form = reqwest::multipart::Form::new().percent_encode_noop();
        for (name, part) in &self.parts {
            let wire = match part {
                Part::Text { value, content_type } => {
                    with_type(reqwest::multipart::Part::text(value.clone()), content_type.as_deref(), name)?
                }
                Part::File(file) => file_part(file, name).await?,
            };
            form = form.part(name.clone(), wire);
        }
        Ok(form)
    }
}

async fn file_part(file: &FilePart, name: &str) -> Result<reqwest::multipart::Part, String> {
    let part = match &file.source {
        Source::Bytes(bytes) => {
            reqwest::multipart::Part::stream_with_length(reqwest::Body::from(bytes.clone()), bytes.len() as u64)
        }
        Source::Path(path) => {
            let opened = tokio::fs::File::open(path).await;
            let opened =
                opened.map_err(|error| format!("multipart part `{name}`: opening {}: {error}", path.display()))?;
            let length = opened.metadata().await.map(|metadata| metadata.len()).ok();
            let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(opened));
            match length {
                Some(length) => reqwest::multipart::Part::stream_with_length(body, length),
                None => reqwest::multipart::Part::stream(body),
            }
        }
        Source::Stream { stream, length } => {
            let taken = stream.lock().map_err(|_| format!("multipart part `{name}`: its stream is poisoned"))?.take();
            let Some(taken) = taken else {
                return Err(format!(
                    "multipart part `{name}`: its stream was sent once already and cannot be sent again"
                ));
            };
            let body = reqwest::Body::wrap_stream(taken);
            match length {
                Some(length) => reqwest::multipart::Part::stream_with_length(body, *length),
                None => reqwest::multipart::Part::stream(body),
            }
        }
    };
    let part = match &file.file_name {
        Some(file_name) => part.file_name(escaped_file_name(file_name)),
        None => part,
    };
    with_type(part, Some(file.content_type.as_deref().unwrap_or("application/octet-stream")), name)
}

fn with_type(
    part: reqwest::multipart::Part,
    content_type: Option<&str>,
    name: &str,
) -> Result<reqwest::multipart::Part, String> {
    match content_type {
        Some(content_type) => part
            .mime_str(content_type)
            .map_err(|_| format!("multipart part `{name}`: `{content_type}` is not a content type")),
        None => Ok(part),
    }
}

/// A file name as browsers send it (the WHATWG HTML form encoding): `"`, CR and
/// LF percent-encoded, so no name can end the quoted value or the header line.
/// (reqwest then escapes a backslash as `\\`, the quoted-string rule.)
fn escaped_file_name(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_text_parts_arrays_repeat_and_objects_are_json() {
        let body = Multipart::new()
            .value("name", &"report", None)
            .value("size", &42, None)
            .value("missing", &None::<String>, None)
            .value("tags", &["a", "b"], None)
            .value("meta", &serde_json::json!({"k": 1}), None)
            .value("csv", &"1,2", Some("text/csv"));
        let parts: Vec<(&str, &Part)> = body.parts.iter().map(|(name, part)| (name.as_str(), part)).collect();
        let text = |value: &str, content_type: Option<&str>| Part::Text {
            value: value.to_owned(),
            content_type: content_type.map(str::to_owned),
        };
        assert_eq!(
            parts,
            [
                ("name", &text("report", None)),
                ("size", &text("42", None)),
                ("tags", &text("a", None)),
                ("tags", &text("b", None)),
                ("meta", &text(r#"{"k":1}"#, Some("application/json"))),
                ("csv", &text("1,2", Some("text/csv"))),
            ]
        );
    }

    #[test]
    fn only_a_stream_makes_a_body_unreplayable() {
        let bytes = Multipart::new().file("a", &FilePart::bytes("x"), None).file("b", &FilePart::path("/tmp/x"), None);
        assert!(bytes.is_replayable());
        let chunks = futures::stream::iter([Ok(Bytes::from_static(b"x"))]);
        let streamed = bytes.file("c", &FilePart::stream(chunks, Some(1)), None);
        assert!(!streamed.is_replayable());
    }

    #[test]
    fn file_names_cannot_break_out_of_their_quotes_or_line() {
        assert_eq!(escaped_file_name("a\"b\r\nc.txt"), "a%22b%0D%0Ac.txt");
        assert_eq!(FilePart::path("/data/out/report.csv").name(), Some("report.csv"));
    }
}
