//! The description of one HTTP call, built by generated operation methods.

use std::borrow::Cow;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;

pub use reqwest::Method;

/// Characters escaped in a path segment: everything but RFC 3986 "unreserved".
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// How an array query parameter goes on the wire (OpenAPI `style` + `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayStyle {
    /// `form`, `explode: true` (the OpenAPI default): `tags=a&tags=b`.
    Repeat,
    /// `form`, `explode: false`: `tags=a,b`.
    Comma,
    /// `spaceDelimited`: `tags=a%20b`.
    Space,
    /// `pipeDelimited`: `tags=a|b`.
    Pipe,
}

impl ArrayStyle {
    fn separator(self) -> Option<&'static str> {
        match self {
            ArrayStyle::Repeat => None,
            ArrayStyle::Comma => Some(","),
            ArrayStyle::Space => Some(" "),
            ArrayStyle::Pipe => Some("|"),
        }
    }
}

/// A value that can be written into a path, query or header parameter.
///
/// `None` (from an `Option`) means "leave the parameter out". Generated string
/// enums implement it with their wire value.
///
/// ```
/// use secgen_runtime::ParamValue;
///
/// assert_eq!(42_i64.to_param().as_deref(), Some("42"));
/// assert_eq!(None::<bool>.to_param(), None);
/// ```
pub trait ParamValue {
    /// The parameter's text, or `None` when it is absent.
    fn to_param(&self) -> Option<Cow<'_, str>>;
}

impl ParamValue for str {
    fn to_param(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(self))
    }
}

impl ParamValue for String {
    fn to_param(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(self))
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> Option<Cow<'_, str>> {
        (**self).to_param()
    }
}

impl<T: ParamValue> ParamValue for Option<T> {
    fn to_param(&self) -> Option<Cow<'_, str>> {
        self.as_ref().and_then(ParamValue::to_param)
    }
}

macro_rules! display_param {
    ($($ty:ty),*) => {$(
        impl ParamValue for $ty {
            fn to_param(&self) -> Option<Cow<'_, str>> {
                Some(Cow::Owned(self.to_string()))
            }
        }
    )*};
}
display_param!(bool, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, chrono::NaiveDate);

/// An object parameter in a path or header, in OpenAPI's `simple` style:
/// `k1,v1,k2,v2`, or `k1=v1,k2=v2` exploded. `None` for a value that is not a
/// JSON object; nested values are sent as compact JSON.
pub fn simple_object<T: Serialize + ?Sized>(value: &T, explode: bool) -> Option<String> {
    let serde_json::Value::Object(fields) = serde_json::to_value(value).ok()? else { return None };
    let pairs = fields.iter().filter(|(_, value)| !value.is_null()).map(|(key, value)| {
        let text = value.to_param().map(Cow::into_owned).unwrap_or_default();
        if explode { format!("{key}={text}") } else { format!("{key},{text}") }
    });
    Some(pairs.collect::<Vec<_>>().join(","))
}

/// Arrays in path and header parameters: OpenAPI's `simple` style, comma-separated.
/// (Query arrays go through [`Request::query_array`], which knows the other styles.)
impl<T: ParamValue> ParamValue for [T] {
    fn to_param(&self) -> Option<Cow<'_, str>> {
        let texts: Vec<Cow<'_, str>> = self.iter().filter_map(ParamValue::to_param).collect();
        (!texts.is_empty()).then(|| Cow::Owned(texts.join(",")))
    }
}

impl<T: ParamValue> ParamValue for Vec<T> {
    fn to_param(&self) -> Option<Cow<'_, str>> {
        self.as_slice().to_param()
    }
}

impl ParamValue for crate::DateTime {
    /// RFC 3339 with a `Z` suffix, as OpenAPI `date-time` requires.
    fn to_param(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.to_string()))
    }
}

impl ParamValue for serde_json::Value {
    /// Strings as they are, anything else as compact JSON.
    fn to_param(&self) -> Option<Cow<'_, str>> {
        match self {
            serde_json::Value::Null => None,
            serde_json::Value::String(text) => Some(Cow::Borrowed(text)),
            other => Some(Cow::Owned(other.to_string())),
        }
    }
}

/// A header from caller text: the name in any case (it is sent lowercased), or
/// why it cannot be one. The value is never quoted: it may be a credential.
pub(crate) fn parse_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let header_name =
        HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("`{name}` is not a valid header name"))?;
    let header_value = HeaderValue::from_str(value)
        .map_err(|_| format!("header `{name}` contains characters not allowed in a header value"))?;
    Ok((header_name, header_value))
}

/// A request body: encoded once, or multipart parts encoded at each attempt.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Encoded { content_type: Cow<'static, str>, bytes: Bytes },
    Multipart(crate::Multipart),
}

/// One call of one operation: method, path, parameters and body.
///
/// Generated methods build it and hand it to [`ApiClient::send`](crate::ApiClient::send);
/// pagination clones it and changes its paging parameters per page. Problems found
/// while building (a body that cannot be encoded, a header value with a line break)
/// are kept and reported when the request is sent.
///
/// ```
/// use secgen_runtime::{ArrayStyle, Method, Request};
///
/// let request = Request::new(Method::GET, "listPipelines", "/projects/{project_id}/pipelines")
///     .path_param("project_id", "p/1")
///     .query("limit", &Some(10))
///     .query("search", &None::<String>)
///     .query_array("tags", Some(&["a".to_string(), "b".to_string()][..]), ArrayStyle::Repeat);
/// assert_eq!(request.path(), "/projects/p%2F1/pipelines");
/// assert_eq!(request.query_value("limit"), Some("10"));
/// assert_eq!(request.query_pairs().len(), 3);
/// ```
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) path_template: &'static str,
    pub(crate) path: String,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Option<Body>,
    /// An absolute URL that replaces base URL, path and query (a pagination next
    /// link, already checked to be on the base URL's origin).
    pub(crate) absolute_url: Option<url::Url>,
    pub(crate) problem: Option<String>,
}

impl Request {
    /// A request for `operation` (its operationId) with the path template from the spec.
    pub fn new(method: Method, operation: &'static str, path_template: &'static str) -> Self {
        Self {
            operation,
            method,
            path_template,
            path: path_template.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            absolute_url: None,
            problem: None,
        }
    }

    /// Fills `{name}` in the path with the percent-encoded value.
    pub fn path_param(mut self, name: &str, value: &(impl ParamValue + ?Sized)) -> Self {
        let placeholder = format!("{{{name}}}");
        match value.to_param() {
            Some(text) => {
                let encoded = utf8_percent_encode(&text, PATH_SEGMENT).to_string();
                self.path = self.path.replace(&placeholder, &encoded);
            }
            None => self.note_problem(format!("path parameter `{name}` has no value")),
        }
        self
    }

    /// Adds `name=value` to the query string unless the value is absent.
    pub fn query(mut self, name: &'static str, value: &(impl ParamValue + ?Sized)) -> Self {
        if let Some(text) = value.to_param() {
            self.query.push((Cow::Borrowed(name), text.into_owned()));
        }
        self
    }

    /// Adds an array parameter in the given style; `None` or an empty array adds nothing.
    pub fn query_array<T: ParamValue>(mut self, name: &'static str, values: Option<&[T]>, style: ArrayStyle) -> Self {
        let texts: Vec<String> =
            values.unwrap_or_default().iter().filter_map(|value| value.to_param().map(Cow::into_owned)).collect();
        if texts.is_empty() {
            return self;
        }
        match style.separator() {
            None => self.query.extend(texts.into_iter().map(|text| (Cow::Borrowed(name), text))),
            Some(separator) => self.query.push((Cow::Borrowed(name), texts.join(separator))),
        }
        self
    }

    /// Adds a parameter whose schema is an object, encoded as compact JSON.
    pub fn query_json<T: Serialize>(mut self, name: &'static str, value: Option<&T>) -> Self {
        if let Some(value) = value {
            match serde_json::to_string(value) {
                Ok(text) => self.query.push((Cow::Borrowed(name), text)),
                Err(error) => self.note_problem(format!("query parameter `{name}`: {error}")),
            }
        }
        self
    }

    /// Sets a header unless the value is absent. The name may be in any case (it
    /// is sent lowercased); an invalid name or value is reported when the request
    /// is sent.
    pub fn header(mut self, name: &'static str, value: &(impl ParamValue + ?Sized)) -> Self {
        if let Some(text) = value.to_param() {
            match parse_header(name, &text) {
                Ok(header) => self.headers.push(header),
                Err(problem) => self.note_problem(problem),
            }
        }
        self
    }

    /// Sends `body` as `application/json`.
    pub fn json_body<T: Serialize + ?Sized>(self, body: &T) -> Self {
        self.json_body_as("application/json", body)
    }

    /// Sends `body` as JSON under a vendor media type such as `application/vnd.api+json`.
    pub fn json_body_as<T: Serialize + ?Sized>(mut self, content_type: &'static str, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.set_body(content_type, bytes.into()),
            Err(error) => self.note_problem(format!("request body: {error}")),
        }
        self
    }

    /// Sends `body` as `application/x-www-form-urlencoded`: arrays as repeated
    /// keys (OpenAPI's default `form` style, exploded), absent fields left out.
    pub fn form_body<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_html_form::to_string(body) {
            Ok(text) => self.set_body("application/x-www-form-urlencoded", text.into()),
            Err(error) => self.note_problem(format!("request body: {error}")),
        }
        self
    }

    /// Sends `body` as `multipart/form-data` (the boundary is chosen at send time).
    pub fn multipart_body(mut self, body: crate::Multipart) -> Self {
        if let Some(problem) = body.problem() {
            self.note_problem(format!("request body: {problem}"));
        }
        self.body = Some(Body::Multipart(body));
        self
    }

    /// Whether the request can be sent again as it is (a body streaming from a
    /// one-shot source cannot).
    pub fn is_replayable(&self) -> bool {
        match &self.body {
            Some(Body::Multipart(body)) => body.is_replayable(),
            _ => true,
        }
    }

    /// Sends raw bytes under the given content type.
    pub fn bytes_body(mut self, content_type: &'static str, body: impl Into<Bytes>) -> Self {
        self.set_body(content_type, body.into());
        self
    }

    /// The operationId this request belongs to.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path template from the spec, e.g. `/projects/{project_id}`.
    pub fn path_template(&self) -> &'static str {
        self.path_template
    }

    /// The path with parameters filled in.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query parameters in the order they will be sent.
    pub fn query_pairs(&self) -> &[(Cow<'static, str>, String)] {
        &self.query
    }

    /// The first value of a query parameter.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// Replaces every value of a query parameter with one value (used by pagination).
    pub(crate) fn set_query(&mut self, name: &'static str, value: String) {
        self.remove_query(name);
        self.query.push((Cow::Borrowed(name), value));
    }

    pub(crate) fn remove_query(&mut self, name: &str) {
        self.query.retain(|(key, _)| key != name);
    }

    fn set_body(&mut self, content_type: &'static str, bytes: Bytes) {
        self.body = Some(Body::Encoded { content_type: Cow::Borrowed(content_type), bytes });
    }

    fn note_problem(&mut self, problem: String) {
        self.problem.get_or_insert(problem);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags() -> Vec<String> {
        vec!["a b".into(), "c".into()]
    }

    #[test]
    fn path_and_header_arrays_and_objects_use_the_simple_style() {
        assert_eq!(tags().to_param().as_deref(), Some("a b,c"));
        assert_eq!(Vec::<String>::new().to_param(), None);
        let object = serde_json::json!({"role": "admin", "first": "Alex", "gone": null});
        assert_eq!(simple_object(&object, false).as_deref(), Some("first,Alex,role,admin"));
        assert_eq!(simple_object(&object, true).as_deref(), Some("first=Alex,role=admin"));
        assert_eq!(simple_object(&3, true), None);
    }

    #[test]
    fn array_styles_follow_openapi() {
        let repeat = Request::new(Method::GET, "op", "/").query_array("t", Some(&tags()[..]), ArrayStyle::Repeat);
        assert_eq!(repeat.query_pairs(), &[("t".into(), "a b".into()), ("t".into(), "c".into())]);
        let comma = Request::new(Method::GET, "op", "/").query_array("t", Some(&tags()[..]), ArrayStyle::Comma);
        assert_eq!(comma.query_pairs(), &[("t".into(), "a b,c".into())]);
        let pipe = Request::new(Method::GET, "op", "/").query_array("t", Some(&tags()[..]), ArrayStyle::Pipe);
        assert_eq!(pipe.query_value("t"), Some("a b|c"));
        let none = Request::new(Method::GET, "op", "/").query_array::<String>("t", None, ArrayStyle::Repeat);
        assert!(none.query_pairs().is_empty());
    }

    #[test]
    fn form_bodies_send_arrays_as_repeated_keys_and_leave_absent_fields_out() {
        #[derive(serde::Serialize)]
        struct Token {
            grant_type: &'static str,
            scope: Vec<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            audience: Option<String>,
        }
        let body = Token { grant_type: "client_credentials", scope: tags(), audience: None };
        let request = Request::new(Method::POST, "op", "/").form_body(&body);
        assert_eq!(request.problem, None);
        let Some(Body::Encoded { content_type, bytes }) = &request.body else { panic!("{:?}", request.body) };
        assert_eq!(content_type, "application/x-www-form-urlencoded");
        assert_eq!(&bytes[..], b"grant_type=client_credentials&scope=a+b&scope=c");
    }

    #[test]
    fn path_parameters_are_percent_encoded() {
        let request = Request::new(Method::GET, "op", "/a/{id}/b/{id}").path_param("id", "x y/z?");
        assert_eq!(request.path(), "/a/x%20y%2Fz%3F/b/x%20y%2Fz%3F");
    }

    #[test]
    fn date_times_are_rfc3339_utc() {
        let when: crate::DateTime = "2023-12-15T14:34:59Z".parse().unwrap();
        assert_eq!(when.to_param().as_deref(), Some("2023-12-15T14:34:59Z"));
    }

    #[test]
    fn bad_header_values_are_reported_not_panicked() {
        let request = Request::new(Method::GET, "op", "/").header("x-tenant-id", "a\nb");
        assert!(request.problem.unwrap().contains("x-tenant-id"));
    }

    #[test]
    fn header_names_in_any_case_work_and_invalid_ones_are_reported() {
        let request = Request::new(Method::GET, "op", "/").header("X-Tenant-ID", "t1");
        assert_eq!(request.headers[0].0.as_str(), "x-tenant-id");
        let request = Request::new(Method::GET, "op", "/").header("bad header", "t1").header("", "t1");
        assert_eq!(request.problem.as_deref(), Some("`bad header` is not a valid header name"));
    }
}
