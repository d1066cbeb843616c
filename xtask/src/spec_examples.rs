//! The examples a spec carries itself (`example` and `examples` of request and
//! response media types), as evidence requests: `verify` decodes them with the
//! generated types like a vendor's collection examples.

use serde_json::{Map, Value};

use crate::postman::{EvidenceRequest, ExampleResponse};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// One evidence request per operation with at least one JSON example, its path
/// under `server_path` (the part of the path the spec's server URL holds).
pub fn requests(spec: &Value, server_path: &str) -> Vec<EvidenceRequest> {
    let mut requests = Vec::new();
    for (template, item) in spec.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for method in METHODS {
            let Some(operation) = item.get(method) else { continue };
            if let Some(request) = request(spec, template, method, operation, server_path) {
                requests.push(request);
            }
        }
    }
    requests
}

fn request(
    spec: &Value,
    template: &str,
    method: &str,
    operation: &Value,
    server_path: &str,
) -> Option<EvidenceRequest> {
    let body = operation
        .get("requestBody")
        .map(|body| resolve(spec, body))
        .and_then(|body| json_examples(spec, body).into_iter().next())
        .map(|(_, example)| example.to_string());
    let mut responses = Vec::new();
    for (status, response) in operation.get("responses").and_then(Value::as_object).into_iter().flatten() {
        let Ok(status) = status.parse::<u16>() else { continue };
        for (name, example) in json_examples(spec, resolve(spec, response)) {
            responses.push(ExampleResponse { name, status, body: example.to_string() });
        }
    }
    if body.is_none() && responses.is_empty() {
        return None;
    }
    let id = operation.get("operationId").and_then(Value::as_str).unwrap_or(template);
    let segments = server_path
        .split('/')
        .chain(template.split('/'))
        .filter(|segment| !segment.is_empty())
        // `{id}` is written `:id` in evidence paths.
        .map(|segment| match segment.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')) {
            Some(name) => format!(":{name}"),
            None => segment.to_owned(),
        })
        .collect();
    Some(EvidenceRequest {
        name: format!("spec examples / {id}"),
        group: Some("spec examples".to_owned()),
        method: method.to_ascii_uppercase(),
        host: String::new(),
        segments,
        query: Vec::new(),
        headers: Vec::new(),
        body,
        responses,
        description: None,
        collection: None,
        formats_checked: true,
        removed_since: None,
    })
}

/// The `application/json` examples of a request body or response, named.
fn json_examples(spec: &Value, holder: &Value) -> Vec<(String, Value)> {
    let Some(media) = holder.pointer("/content/application~1json") else { return Vec::new() };
    let mut examples = Vec::new();
    if let Some(example) = media.get("example") {
        examples.push(("example".to_owned(), example.clone()));
    }
    for (name, example) in media.get("examples").and_then(Value::as_object).unwrap_or(&Map::new()) {
        if let Some(value) = resolve(spec, example).get("value") {
            examples.push((name.clone(), value.clone()));
        }
    }
    examples.retain(|(_, value)| value.is_object() || value.is_array());
    examples
}

/// `value`, or what its local `$ref` points at.
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str).and_then(|reference| reference.strip_prefix('#')) {
        Some(pointer) => spec.pointer(pointer).unwrap_or(value),
        None => value,
    }
}
