//! Postman collections (v2.0 and v2.1): the requests a vendor documents, with
//! their example bodies. Vendors that publish no OpenAPI spec often publish one.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// One request of a collection.
#[derive(Debug, Clone)]
pub struct EvidenceRequest {
    /// The folders above it and its own name: `Endpoint API / Endpoints / Get endpoints`.
    pub name: String,
    /// The top-level folder (the API group), if any.
    pub group: Option<String>,
    pub method: String,
    /// The URL's host as written (`{{baseUrl}}`, `api-{{dataRegion}}.central.sophos.com`).
    pub host: String,
    /// The path's segments; variables (`:id`, `{{id}}`) as written.
    pub segments: Vec<String>,
    /// Query parameters (those the example disables too: they are documented).
    pub query: Vec<NamedValue>,
    /// Headers the example sends.
    pub headers: Vec<NamedValue>,
    /// The raw JSON request body, if it has one.
    pub body: Option<String>,
    /// Example responses.
    pub responses: Vec<ExampleResponse>,
    /// What the collection says of the request.
    pub description: Option<String>,
    /// The collection it comes from, when an API names several (gaps say which).
    pub collection: Option<String>,
    /// False when the collection's example values are placeholders: a value in a
    /// date-time field is then checked for being text, not for fitting the format.
    pub formats_checked: bool,
    /// Set (to the newest collection's name) on a request of an older collection
    /// that the newest one no longer has.
    pub removed_since: Option<String>,
}

impl EvidenceRequest {
    /// How gaps name it: `Folder / Request`, after its collection when there are several.
    pub fn label(&self) -> String {
        match &self.collection {
            Some(collection) => format!("{collection}: {}", self.name),
            None => self.name.clone(),
        }
    }
}

/// A query parameter or header: its name, example value and description.
#[derive(Debug, Clone)]
pub struct NamedValue {
    pub name: String,
    pub value: Option<String>,
    pub description: Option<String>,
}

impl NamedValue {
    fn of(entry: &Value) -> Option<Self> {
        let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
        Some(NamedValue { name: text("key")?, value: text("value"), description: description_of(entry) })
    }

    fn named(name: &str) -> Self {
        NamedValue { name: name.to_owned(), value: None, description: None }
    }
}

/// A `description`, plain or as `{content, type}`; none when empty.
fn description_of(entry: &Value) -> Option<String> {
    let text = match entry.get("description") {
        Some(Value::Object(content)) => content.get("content").and_then(Value::as_str),
        Some(description) => description.as_str(),
        None => None,
    };
    text.map(str::trim).filter(|text| !text.is_empty()).map(str::to_owned)
}

/// An example response saved with a request.
#[derive(Debug, Clone)]
pub struct ExampleResponse {
    pub name: String,
    pub status: u16,
    pub body: String,
}

/// Every request in the collection at `path`, in document order.
pub fn read(path: &Path) -> Result<Vec<EvidenceRequest>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse(&path.display().to_string(), &text)
}

/// The same from a collection's text; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Vec<EvidenceRequest>> {
    let collection: Value =
        serde_json::from_str(text).with_context(|| format!("{file}: not a Postman collection (invalid JSON)"))?;
    let Some(items) = collection.get("item").and_then(Value::as_array) else {
        bail!("{file}: not a Postman collection (no `item` list at the top)");
    };
    let mut requests = Vec::new();
    collect(file, items, &[], &mut requests)?;
    Ok(requests)
}

fn collect(file: &str, items: &[Value], folders: &[String], out: &mut Vec<EvidenceRequest>) -> Result<()> {
    for item in items {
        let name = item.get("name").and_then(Value::as_str).unwrap_or("(unnamed)").to_owned();
        let mut path: Vec<String> = folders.to_vec();
        path.push(name);
        if let Some(children) = item.get("item").and_then(Value::as_array) {
            collect(file, children, &path, out)?;
        } else if let Some(request) = item.get("request") {
            let full_name = path.join(" / ");
            out.push(
                request_of(request, item, &full_name, folders.first().cloned())
                    .with_context(|| format!("{file}: item `{full_name}`"))?,
            );
        }
    }
    Ok(())
}

fn request_of(request: &Value, item: &Value, name: &str, group: Option<String>) -> Result<EvidenceRequest> {
    let method = request.get("method").and_then(Value::as_str).unwrap_or("GET").to_ascii_uppercase();
    let (host, segments, query) = match request.get("url") {
        Some(Value::String(raw)) => split_raw_url(raw),
        Some(url @ Value::Object(_)) => url_parts(url),
        _ => bail!("the request has no URL"),
    };
    if host.is_empty() && segments.is_empty() {
        bail!("the request has no URL");
    }
    let headers = request
        .get("header")
        .and_then(Value::as_array)
        .map(|headers| {
            headers
                .iter()
                .filter(|header| !header.get("disabled").and_then(Value::as_bool).unwrap_or(false))
                .filter_map(NamedValue::of)
                .collect()
        })
        .unwrap_or_default();
    let body = request
        .get("body")
        .filter(|body| body.get("mode").and_then(Value::as_str) == Some("raw"))
        .and_then(|body| body.get("raw").and_then(Value::as_str))
        .filter(|raw| !raw.trim().is_empty())
        .map(str::to_owned);
    let responses = item
        .get("response")
        .and_then(Value::as_array)
        .map(|responses| responses.iter().filter_map(example_response).collect())
        .unwrap_or_default();
    let description = description_of(request);
    Ok(EvidenceRequest {
        name: name.to_owned(),
        group,
        method,
        host,
        segments,
        query,
        headers,
        body,
        responses,
        description,
        collection: None,
        formats_checked: true,
        removed_since: None,
    })
}

fn example_response(response: &Value) -> Option<ExampleResponse> {
    let status = response.get("code").and_then(Value::as_u64)? as u16;
    let body = response.get("body").and_then(Value::as_str)?.to_owned();
    let name = response.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
    Some(ExampleResponse { name, status, body })
}

/// Host, path segments and query parameters of a URL object (`raw` filling what is missing).
fn url_parts(url: &Value) -> (String, Vec<String>, Vec<NamedValue>) {
    let raw = url.get("raw").and_then(Value::as_str).unwrap_or_default();
    let (raw_host, raw_segments, raw_query) = split_raw_url(raw);
    let strings = |key: &str| -> Option<Vec<String>> {
        url.get(key)?.as_array().map(|parts| parts.iter().filter_map(Value::as_str).map(str::to_owned).collect())
    };
    // Some collections put the path's first part into the host
    // (`["https://api-{{dataRegion}}.central.sophos.com/common/v1"]`): it leads the path.
    let (host, leading) = match strings("host") {
        Some(parts) => {
            let (host, leading, _) = split_raw_url(&parts.join("."));
            (host, leading)
        }
        None => (raw_host, Vec::new()),
    };
    let segments = strings("path")
        .map(|path| leading.iter().cloned().chain(path.into_iter().filter(|segment| !segment.is_empty())).collect());
    let query =
        url.get("query").and_then(Value::as_array).map(|query| query.iter().filter_map(NamedValue::of).collect());
    (host, segments.unwrap_or(raw_segments), query.unwrap_or(raw_query))
}

/// `https://{{host}}/v1/computers/:guid?limit=10` → host, segments, query parameters.
fn split_raw_url(raw: &str) -> (String, Vec<String>, Vec<NamedValue>) {
    let without_scheme = raw.split_once("://").map_or(raw, |(_, rest)| rest);
    let (location, query) = without_scheme.split_once('?').unwrap_or((without_scheme, ""));
    let mut parts = location.split('/');
    let host = parts.next().unwrap_or_default().to_owned();
    let segments = parts.filter(|segment| !segment.is_empty()).map(str::to_owned).collect();
    let query = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) => NamedValue { value: Some(value.to_owned()), ..NamedValue::named(key) },
            None => NamedValue::named(pair),
        })
        .collect();
    (host, segments, query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_urls_split_into_host_path_and_query() {
        let (host, segments, query) = split_raw_url("https://{{host}}/v1/computers/:guid/trajectory?q=1&limit");
        assert_eq!(host, "{{host}}");
        assert_eq!(segments, ["v1", "computers", ":guid", "trajectory"]);
        let names: Vec<&str> = query.iter().map(|param| param.name.as_str()).collect();
        assert_eq!(names, ["q", "limit"]);
        assert_eq!(query[0].value.as_deref(), Some("1"));
    }

    #[test]
    fn a_path_written_into_the_host_leads_the_path() {
        let url = serde_json::json!({
            "raw": "https://api-{{dataRegion}}.central.sophos.com/common/v1/alerts",
            "host": ["https://api-{{dataRegion}}.central.sophos.com/common/v1"],
            "path": ["alerts"]
        });
        let (host, segments, _) = url_parts(&url);
        assert_eq!(host, "api-{{dataRegion}}.central.sophos.com");
        assert_eq!(segments, ["common", "v1", "alerts"]);
        let split = serde_json::json!({"host": ["{{baseUrl}}"], "path": ["v1", "alerts"]});
        assert_eq!(url_parts(&split).1, ["v1", "alerts"]);
    }

    #[test]
    fn bad_collections_name_the_file_and_item() {
        let error = parse("bad.json", "not json").unwrap_err();
        assert!(format!("{error:#}").starts_with("bad.json: not a Postman collection"), "{error:#}");
        let no_url = r#"{"item":[{"name":"Group","item":[{"name":"Broken","request":{"method":"GET"}}]}]}"#;
        let error = parse("c.json", no_url).unwrap_err();
        assert_eq!(format!("{error:#}"), "c.json: item `Group / Broken`: the request has no URL");
    }
}
