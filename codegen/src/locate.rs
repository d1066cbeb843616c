//! Finding where in a document a deserialization error is.
//!
//! openapiv3 flattens and buffers parts of its model, which cuts serde's path
//! short (an error deep inside an operation is reported at `/paths`). On failure,
//! the document is walked as JSON instead: each child of a known kind is tried as
//! its openapiv3 type, and the deepest one that fails is where the problem is.

use openapiv3::{Components, MediaType, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{Pointer, SpecError};

/// The openapiv3 type expected at a node.
#[derive(Clone, Copy)]
enum Kind {
    Document,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Components,
    Schema,
}

/// The deepest node of `document` that does not deserialize, and why.
pub(crate) fn locate(document: &Value, fallback: SpecError) -> SpecError {
    narrow(document, Kind::Document, &Pointer::root()).unwrap_or(fallback)
}

/// Called for a node that fails to deserialize as `kind`: blames the first failing
/// child if there is one, else the node itself.
fn narrow(value: &Value, kind: Kind, pointer: &Pointer) -> Option<SpecError> {
    for (segments, child, child_kind) in children(value, kind) {
        let child_pointer = segments.iter().fold(pointer.clone(), |pointer, segment| pointer.join(segment));
        if let Err(message) = check(child, child_kind) {
            return narrow(child, child_kind, &child_pointer).or_else(|| Some(SpecError::new(&child_pointer, message)));
        }
    }
    None
}

/// A child node: the pointer segments leading to it, its value and its kind.
type Child<'v> = (Vec<String>, &'v Value, Kind);

fn children(value: &Value, kind: Kind) -> Vec<Child<'_>> {
    let mut out = Vec::new();
    let Value::Object(map) = value else { return out };
    match kind {
        Kind::Document => {
            single(map, "paths", Kind::Paths, &mut out);
            single(map, "components", Kind::Components, &mut out);
        }
        Kind::Paths => out.extend(map.iter().map(|(path, item)| (vec![path.clone()], item, Kind::PathItem))),
        Kind::PathItem => {
            for method in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] {
                single(map, method, Kind::Operation, &mut out);
            }
            list(map, "parameters", Kind::Parameter, &mut out);
        }
        Kind::Operation => {
            list(map, "parameters", Kind::Parameter, &mut out);
            single(map, "requestBody", Kind::RequestBody, &mut out);
            single(map, "responses", Kind::Responses, &mut out);
        }
        Kind::Responses => {
            out.extend(map.iter().map(|(status, response)| (vec![status.clone()], response, Kind::Response)))
        }
        Kind::Parameter => single(map, "schema", Kind::Schema, &mut out),
        Kind::RequestBody | Kind::Response => entries(map, "content", Kind::MediaType, &mut out),
        Kind::MediaType => single(map, "schema", Kind::Schema, &mut out),
        Kind::Components => {
            entries(map, "schemas", Kind::Schema, &mut out);
            entries(map, "parameters", Kind::Parameter, &mut out);
            entries(map, "responses", Kind::Response, &mut out);
            entries(map, "requestBodies", Kind::RequestBody, &mut out);
        }
        Kind::Schema => {
            entries(map, "properties", Kind::Schema, &mut out);
            single(map, "items", Kind::Schema, &mut out);
            single(map, "not", Kind::Schema, &mut out);
            if matches!(map.get("additionalProperties"), Some(Value::Object(_))) {
                single(map, "additionalProperties", Kind::Schema, &mut out);
            }
            for keyword in ["allOf", "oneOf", "anyOf"] {
                list(map, keyword, Kind::Schema, &mut out);
            }
        }
    }
    out
}

/// `field` itself.
fn single<'v>(map: &'v Map<String, Value>, field: &str, kind: Kind, out: &mut Vec<Child<'v>>) {
    if let Some(entry) = map.get(field) {
        out.push((vec![field.to_owned()], entry, kind));
    }
}

/// Every entry of the object `field`.
fn entries<'v>(map: &'v Map<String, Value>, field: &str, kind: Kind, out: &mut Vec<Child<'v>>) {
    if let Some(Value::Object(entries)) = map.get(field) {
        out.extend(entries.iter().map(|(key, entry)| (vec![field.to_owned(), key.clone()], entry, kind)));
    }
}

/// Every item of the array `field`.
fn list<'v>(map: &'v Map<String, Value>, field: &str, kind: Kind, out: &mut Vec<Child<'v>>) {
    if let Some(Value::Array(items)) = map.get(field) {
        out.extend(
            items.iter().enumerate().map(|(index, item)| (vec![field.to_owned(), index.to_string()], item, kind)),
        );
    }
}

fn check(value: &Value, kind: Kind) -> Result<(), String> {
    match kind {
        Kind::Document => try_as::<openapiv3::OpenAPI>(value),
        Kind::Paths => try_as::<openapiv3::Paths>(value),
        Kind::PathItem => try_as::<ReferenceOr<PathItem>>(value),
        Kind::Operation => try_as::<Operation>(value),
        Kind::Parameter => try_as::<ReferenceOr<Parameter>>(value),
        Kind::RequestBody => try_as::<ReferenceOr<RequestBody>>(value),
        Kind::Responses => try_as::<openapiv3::Responses>(value),
        Kind::Response => try_as::<ReferenceOr<Response>>(value),
        Kind::MediaType => try_as::<MediaType>(value),
        Kind::Components => try_as::<Components>(value),
        Kind::Schema => try_as::<ReferenceOr<Schema>>(value),
    }
}

fn try_as<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
    T::deserialize(value).map(drop).map_err(|error| explain(error.to_string()))
}

/// serde's words for openapiv3's flattened and untagged types, in the spec's terms.
fn explain(message: String) -> String {
    if message.contains("ParameterSchemaOrContent") {
        "a parameter needs a `schema` or a `content`, and this one has neither".to_owned()
    } else if message.contains("did not match any variant of untagged enum ReferenceOr") {
        "neither a `$ref` nor a valid definition here (check the field names and types)".to_owned()
    } else {
        message
    }
}
