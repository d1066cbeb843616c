//! Normalize: references the resolver cannot follow, rewritten into ones it can.
//!
//! The resolver follows `#/components/<section>/<name>`. Real specs also point
//! elsewhere: a path item to another path item, a schema to one defined inside an
//! operation (`#/paths/~1pets/get/.../schema`), or into a component
//! (`#/components/schemas/Pet/properties/owner`). Such a document is read as a
//! tree and rewritten before it becomes the model:
//! - a path item `$ref` is replaced by a copy of the item it points to;
//! - any other target moves to its components section under a new name, and is
//!   referenced from where it was and from every `$ref` to it.
//!
//! Documents without such references (nearly all) never get here: a scan of the
//! bytes tells, so they are read straight into the model.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use yaml_serde::{Mapping, Value};

use crate::error::{Pointer, SpecError, SpecResult};

/// Calls `visit` on every schema directly under the schema `map`: properties,
/// `items`, `not`, an `additionalProperties` schema, `allOf`/`anyOf`/`oneOf` members.
pub(crate) fn subschemas_mut(map: &mut Mapping, visit: fn(&mut Value)) {
    for (key, child) in map.iter_mut() {
        match (key.as_str(), child) {
            (Some("properties"), Value::Mapping(properties)) => properties.values_mut().for_each(visit),
            (Some("items" | "not"), child) => visit(child),
            (Some("additionalProperties"), child @ Value::Mapping(_)) => visit(child),
            (Some("allOf" | "anyOf" | "oneOf"), Value::Sequence(members)) => members.iter_mut().for_each(visit),
            _ => {}
        }
    }
}

/// Whether the spec text has a local `$ref` that is not `#/components/<section>/<name>`.
pub(crate) fn has_irregular_refs(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let Some(at) = find(rest, b"$ref") {
        rest = &rest[at + 4..];
        let value = ref_value(rest);
        if is_irregular(&String::from_utf8_lossy(value)) {
            return true;
        }
    }
    false
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// The text after `$ref` up to the value's end: `": "#/a/b"` → `#/a/b`.
fn ref_value(after: &[u8]) -> &[u8] {
    let start =
        after.iter().position(|byte| !matches!(byte, b'"' | b'\'' | b':' | b' ' | b'\t')).unwrap_or(after.len());
    let value = &after[start..];
    let end = value
        .iter()
        .position(|byte| matches!(byte, b'"' | b'\'' | b'\n' | b'\r' | b',' | b'}' | b' '))
        .unwrap_or(value.len());
    &value[..end]
}

fn is_irregular(reference: &str) -> bool {
    let Some(local) = reference.strip_prefix("#/") else { return false };
    match local.strip_prefix("components/") {
        Some(entry) => entry.split('/').count() != 2,
        None => true,
    }
}

/// What a `$ref` stands for, by where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    PathItem,
    /// A component section: `schemas`, `parameters`, `responses`, `requestBodies`.
    Section(&'static str),
    /// Headers, examples, links, callbacks: left as they are.
    Other,
}

fn kind_at(path: &[String]) -> Kind {
    let segments: Vec<&str> = path.iter().map(String::as_str).collect();
    match segments.as_slice() {
        ["paths", _] => Kind::PathItem,
        ["components", "schemas", ..] => Kind::Section("schemas"),
        ["components", section, _] => match *section {
            "parameters" => Kind::Section("parameters"),
            "responses" => Kind::Section("responses"),
            "requestBodies" => Kind::Section("requestBodies"),
            _ => Kind::Other,
        },
        ["paths", _, "parameters", _] | ["paths", _, _, "parameters", _] => Kind::Section("parameters"),
        ["paths", _, _, "requestBody"] => Kind::Section("requestBodies"),
        ["paths", _, _, "responses", _] => Kind::Section("responses"),
        _ if segments.contains(&"schema") => Kind::Section("schemas"),
        _ => Kind::Other,
    }
}

/// Rewrites every irregular reference of `document` (see the module docs).
pub(crate) fn normalize(document: &mut Value) -> SpecResult<()> {
    let mut found = Vec::new();
    collect_refs(document, &mut Vec::new(), &mut found);
    let mut targets: BTreeMap<String, &'static str> = BTreeMap::new();
    for (reference, kind, _) in &found {
        if let Kind::Section(section) = kind {
            targets.entry(reference.clone()).or_insert(section);
        }
    }
    // Deepest first: moving a target leaves a `$ref` behind, so a target inside
    // another one must move before the outer one does.
    let mut ordered: Vec<(String, &'static str)> = targets.into_iter().collect();
    ordered.sort_by_key(|(reference, _)| std::cmp::Reverse(reference.matches('/').count()));
    let mut moved: BTreeMap<String, String> = BTreeMap::new();
    for (reference, section) in ordered {
        if let Some(new_reference) = move_to_components(document, &reference, section) {
            moved.insert(reference, new_reference);
        }
    }
    rewrite_refs(document, &moved);
    for (reference, kind, path) in found {
        if kind == Kind::PathItem {
            inline_path_item(document, &reference, &path)?;
        }
    }
    Ok(())
}

fn collect_refs(value: &Value, path: &mut Vec<String>, found: &mut Vec<(String, Kind, Vec<String>)>) {
    match value {
        Value::Mapping(map) => {
            if let Some(Value::String(reference)) = map.get("$ref")
                && is_irregular(reference)
            {
                found.push((reference.clone(), kind_at(path), path.clone()));
            }
            for (key, child) in map {
                path.push(key_text(key));
                collect_refs(child, path, found);
                path.pop();
            }
        }
        Value::Sequence(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(index.to_string());
                collect_refs(child, path, found);
                path.pop();
            }
        }
        _ => {}
    }
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        _ => String::new(),
    }
}

/// The unescaped segments of a local reference: percent-decoded first (a URI
/// fragment writes `{id}` as `%7Bid%7D`, RFC 6901 §6), then `~1` and `~0`.
fn segments(reference: &str) -> Vec<String> {
    reference
        .trim_start_matches('#')
        .split('/')
        .skip(1)
        .map(|segment| percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned())
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn at_path_mut<'v>(mut value: &'v mut Value, segments: &[String]) -> Option<&'v mut Value> {
    for segment in segments {
        value = match value {
            Value::Mapping(map) => map.iter_mut().find(|(key, _)| key_text(key) == *segment).map(|(_, child)| child)?,
            Value::Sequence(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Moves the target of `reference` to `components/<section>`; the new reference.
fn move_to_components(document: &mut Value, reference: &str, section: &str) -> Option<String> {
    let path = segments(reference);
    let taken_names: Vec<String> = at_path_mut(document, &["components".into(), section.into()])
        .and_then(|value| value.as_mapping())
        .map(|map| map.keys().map(key_text).collect())
        .unwrap_or_default();
    let fallback = operation_type_name(document, &path);
    let name = unique_name(&component_name(&path, fallback), &taken_names);
    let new_reference = format!("#/components/{section}/{}", name.replace('~', "~0").replace('/', "~1"));
    let target = at_path_mut(document, &path)?;
    let mut pointer = Mapping::new();
    pointer.insert("$ref".into(), new_reference.clone().into());
    let definition = std::mem::replace(target, Value::Mapping(pointer));
    section_mut(document, section)?.insert(name.into(), definition);
    Some(new_reference)
}

fn section_mut<'v>(document: &'v mut Value, section: &str) -> Option<&'v mut Mapping> {
    let root = document.as_mapping_mut()?;
    let components = root.entry("components".into()).or_insert_with(|| Value::Mapping(Mapping::new()));
    components
        .as_mapping_mut()?
        .entry(section.into())
        .or_insert_with(|| Value::Mapping(Mapping::new()))
        .as_mapping_mut()
}

/// For a whole body inside an operation, a name from its operationId and role
/// (`/paths/~1a/get/responses/200/...` of `getA` → `GetAResponse`).
fn operation_type_name(document: &mut Value, path: &[String]) -> Option<String> {
    let [first, _, _, rest @ ..] = path else { return None };
    if first != "paths" {
        return None;
    }
    let role = match rest.first().map(String::as_str) {
        Some("responses") => "Response",
        Some("requestBody") => "Body",
        _ => return None,
    };
    let operation = at_path_mut(document, &path[..3])?;
    let id = operation.get("operationId").and_then(Value::as_str)?;
    Some(format!("{}{role}", id.to_upper_camel_case()))
}

/// A name from the last segment that says what the value is (`.../properties/owner` → `Owner`),
/// else `fallback`, else `Inline`.
fn component_name(path: &[String], fallback: Option<String>) -> String {
    const STRUCTURAL: &[&str] = &[
        "paths",
        "components",
        "schemas",
        "schema",
        "properties",
        "items",
        "content",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "additionalProperties",
        "responses",
        "parameters",
        "requestBody",
        "requestBodies",
        "get",
        "put",
        "post",
        "delete",
        "patch",
        "head",
        "options",
        "trace",
    ];
    path.iter()
        .rev()
        .find(|segment| {
            !STRUCTURAL.contains(&segment.as_str()) && !segment.contains('/') && segment.parse::<u64>().is_err()
        })
        .map(|segment| segment.to_upper_camel_case())
        .filter(|name| !name.is_empty())
        .or(fallback)
        .unwrap_or_else(|| "Inline".to_owned())
}

fn unique_name(wanted: &str, taken: &[String]) -> String {
    (1..)
        .map(|n| if n == 1 { wanted.to_owned() } else { format!("{wanted}{n}") })
        .find(|name| !taken.contains(name))
        .expect("some name is free")
}

fn rewrite_refs(value: &mut Value, moved: &BTreeMap<String, String>) {
    match value {
        Value::Mapping(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref")
                && let Some(new_reference) = moved.get(reference.as_str())
            {
                *reference = new_reference.clone();
            }
            for (_, child) in map.iter_mut() {
                rewrite_refs(child, moved);
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|child| rewrite_refs(child, moved)),
        _ => {}
    }
}

/// Replaces the path item at `path` by a copy of the one `reference` names.
fn inline_path_item(document: &mut Value, reference: &str, path: &[String]) -> SpecResult<()> {
    let pointer = path.iter().fold(Pointer::root(), |pointer, segment| pointer.join(segment));
    let mut current = reference.to_owned();
    // A chain of path item references ends at an item, or is an error.
    for _ in 0..16 {
        let target = at_path_mut(document, &segments(&current))
            .map(|value| value.clone())
            .ok_or_else(|| SpecError::new(&pointer, format!("path item `$ref` `{current}` points to nothing")))?;
        match target.get("$ref").and_then(Value::as_str) {
            Some(next) => current = next.to_owned(),
            None => {
                *at_path_mut(document, path).expect("the referring item exists") = target;
                return Ok(());
            }
        }
    }
    Err(SpecError::new(&pointer, format!("path item `$ref` `{reference}` is part of a cycle")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_tells_irregular_references() {
        assert!(!has_irregular_refs(br##"{"$ref": "#/components/schemas/Pet"}"##));
        assert!(!has_irregular_refs(b"schema:\n  $ref: '#/components/schemas/Pet'\n"));
        assert!(has_irregular_refs(br##"{"$ref":"#/paths/~1pets/get/responses/200"}"##));
        assert!(has_irregular_refs(b"schema:\n  $ref: \"#/components/schemas/Pet/properties/owner\"\n"));
        assert!(!has_irregular_refs(br##"{"$ref": "other.yaml#/Pet"}"##));
    }

    #[test]
    fn a_schema_inside_an_operation_moves_to_components() {
        let mut document: Value = yaml_serde::from_str(
            "paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              properties:\n                owner: {type: string}\n    get:\n      responses:\n        '200':\n          content:\n            application/json:\n              schema:\n                $ref: '#/paths/~1a/post/requestBody/content/application~1json/schema/properties/owner'\n",
        )
        .unwrap();
        normalize(&mut document).unwrap();
        let text = yaml_serde::to_string(&document).unwrap();
        assert!(text.contains("components:\n  schemas:\n    Owner:\n      type: string"), "{text}");
        assert_eq!(text.matches("$ref: '#/components/schemas/Owner'").count(), 2, "{text}");
    }

    #[test]
    fn a_path_item_reference_is_inlined_and_a_dangling_one_is_an_error() {
        let mut document: Value =
            yaml_serde::from_str("paths:\n  /a:\n    get: {operationId: a}\n  /b:\n    $ref: '#/paths/~1a'\n").unwrap();
        normalize(&mut document).unwrap();
        assert_eq!(document["paths"]["/b"]["get"]["operationId"], "a");
        let mut dangling: Value = yaml_serde::from_str("paths:\n  /b:\n    $ref: '#/paths/~1c'\n").unwrap();
        let error = normalize(&mut dangling).unwrap_err();
        assert_eq!(error.pointer.as_str(), "/paths/~1b");
        assert!(error.message.contains("points to nothing"), "{}", error.message);
    }
}
