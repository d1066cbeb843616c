//! OpenAPI 3.1 documents, rewritten into the 3.0 form the model reads.
//!
//! 3.1's schemas are JSON Schema 2020-12. Each keyword with a 3.0 equivalent is
//! mapped onto it, on the document tree before it becomes the model, so nothing
//! downstream forks by version:
//! - `type: [string, "null"]` is a nullable string; `type: [string, integer]` a
//!   `oneOf` of the two; a `{type: "null"}` member of `oneOf`/`anyOf` makes the
//!   rest nullable;
//! - `const` is a one-value `enum`; an `examples` array gives the first as
//!   `example`; numeric `exclusiveMinimum`/`exclusiveMaximum` become the bound
//!   and the 3.0 flag;
//! - `$ref` with sibling keywords becomes `allOf: [$ref]` with the siblings
//!   (which the generator reads as the referenced type, with the siblings' docs);
//! - `contentEncoding: base64` is `format: byte`, a binary `contentMediaType` is
//!   `format: binary`; boolean schemas are `{}` (anything) and `{not: {}}`;
//! - `prefixItems` degrades to an array of JSON values; keywords with no 3.0
//!   counterpart (`if`/`then`/`else`, `patternProperties`, `$defs`, ...) are
//!   dropped and the schema's description says so.
//!
//! Outside schemas: `webhooks` are removed and reported (the crate's docs and
//! surface list them; no client method), `components/pathItems` are inlined
//! where paths refer to them, `info.summary` joins the description,
//! `license.identifier` is dropped, and a non-schema `$ref` with a `description`
//! or `summary` (a parameter described anew where it is used) becomes a copy of
//! its target with them; its other siblings are dropped.

use yaml_serde::{Mapping, Value};

use crate::error::{Pointer, SpecError, SpecResult};
use crate::normalize;

/// Keywords of JSON Schema 2020-12 that OpenAPI 3.0 has no counterpart for.
const DROPPED_KEYWORDS: &[&str] = &[
    "if",
    "then",
    "else",
    "patternProperties",
    "propertyNames",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
];

/// Keywords that only identify or annotate a schema: dropped without a note.
const SILENT_KEYWORDS: &[&str] = &["$schema", "$id", "$anchor", "$dynamicAnchor", "$dynamicRef", "$comment", "$defs"];

/// How deep described references are copied into one another.
const MAX_NESTED_COPIES: usize = 4;

/// HTTP methods of a path item.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Rewrites the 3.1 `document` into 3.0 form; returns its webhooks
/// (`newPet: POST`) for the docs and surface.
pub(crate) fn downgrade(document: &mut Value) -> SpecResult<Vec<String>> {
    let Value::Mapping(root) = document else {
        return Err(SpecError::new(&Pointer::root(), "not an OpenAPI document: expected an object"));
    };
    root.insert("openapi".into(), "3.0.3".into());
    root.remove("jsonSchemaDialect");
    let webhooks = take_webhooks(root);
    info(root);
    if !root.contains_key("paths") {
        root.insert("paths".into(), Value::Mapping(Mapping::new()));
    }
    inline_component_path_items(root)?;
    operations_have_responses(root);
    drop_mutual_tls(root);
    // References are looked up in the document as it was (before any schema changed).
    let original = document.clone();
    walk(document, &original, 0);
    Ok(webhooks)
}

/// `webhooks: {newPet: {post: ...}}` → `["newPet: POST"]`, removed from the document.
fn take_webhooks(root: &mut Mapping) -> Vec<String> {
    let Some(Value::Mapping(webhooks)) = root.remove("webhooks") else { return Vec::new() };
    let mut found = Vec::new();
    for (name, item) in &webhooks {
        let name = name.as_str().unwrap_or_default();
        let methods: Vec<String> = METHODS
            .iter()
            .filter(|method| item.get(**method).is_some())
            .map(|method| method.to_ascii_uppercase())
            .collect();
        found.push(format!("{name}: {}", methods.join(", ")));
    }
    found
}

/// `info.summary` joins the description; `license.identifier` has no 3.0 field.
fn info(root: &mut Mapping) {
    let Some(Value::Mapping(info)) = root.get_mut("info") else { return };
    if let Some(Value::String(summary)) = info.remove("summary") {
        let joined = match info.get("description").and_then(Value::as_str) {
            Some(description) => format!("{summary}\n\n{description}"),
            None => summary,
        };
        info.insert("description".into(), joined.into());
    }
    if let Some(Value::Mapping(license)) = info.get_mut("license") {
        license.remove("identifier");
    }
}

/// Paths that refer to `#/components/pathItems/X` get a copy of it; the section goes.
fn inline_component_path_items(root: &mut Mapping) -> SpecResult<()> {
    let items = match root.get_mut("components") {
        Some(Value::Mapping(components)) => components.remove("pathItems"),
        _ => None,
    };
    let Some(Value::Mapping(items)) = items else { return Ok(()) };
    let Some(Value::Mapping(paths)) = root.get_mut("paths") else { return Ok(()) };
    for (path, item) in paths.iter_mut() {
        let Some(reference) = item.get("$ref").and_then(Value::as_str) else { continue };
        let Some(name) = reference.strip_prefix("#/components/pathItems/") else { continue };
        let pointer = Pointer::root().join("paths").join(path.as_str().unwrap_or_default()).join("$ref");
        let target = items
            .get(name)
            .ok_or_else(|| SpecError::new(&pointer, format!("`$ref` `{reference}` points to nothing")))?;
        *item = target.clone();
    }
    Ok(())
}

/// 3.1 lets an operation leave out `responses`; 3.0 requires the object.
fn operations_have_responses(root: &mut Mapping) {
    let Some(Value::Mapping(paths)) = root.get_mut("paths") else { return };
    for item in paths.values_mut() {
        let Value::Mapping(item) = item else { continue };
        for method in METHODS {
            if let Some(Value::Mapping(operation)) = item.get_mut(*method)
                && !operation.contains_key("responses")
            {
                operation.insert("responses".into(), Value::Mapping(Mapping::new()));
            }
        }
    }
}

/// `mutualTLS` security schemes (new in 3.1) are the TLS layer's business, not a
/// header the client sends: dropped.
fn drop_mutual_tls(root: &mut Mapping) {
    let Some(Value::Mapping(components)) = root.get_mut("components") else { return };
    let Some(Value::Mapping(schemes)) = components.get_mut("securitySchemes") else { return };
    schemes.retain(|_, scheme| scheme.get("type").and_then(Value::as_str) != Some("mutualTLS"));
}

/// Finds every schema (a `schema` value, a `components/schemas` entry) and
/// converts it; elsewhere a `$ref` with siblings is a described copy of its
/// target, or keeps no siblings.
fn walk(value: &mut Value, original: &Value, copies: usize) {
    match value {
        Value::Mapping(map) => {
            if map.contains_key("$ref") && map.len() > 1 {
                // Copies inside copies are bounded: targets may refer to each other in a cycle.
                match described_copy(map, original).filter(|_| copies < MAX_NESTED_COPIES) {
                    Some(copy) => {
                        *value = copy;
                        walk(value, original, copies + 1);
                    }
                    None => map.retain(|key, _| key.as_str() == Some("$ref")),
                }
                return;
            }
            for (key, child) in map.iter_mut() {
                match key.as_str() {
                    Some("schema") => schema(child),
                    Some("schemas") => {
                        if let Value::Mapping(schemas) = child {
                            schemas.values_mut().for_each(schema);
                        }
                    }
                    // Examples are data: never rewritten.
                    Some("example" | "examples") => {}
                    _ => walk(child, original, copies),
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|item| walk(item, original, copies)),
        _ => {}
    }
}

/// A Reference Object's local target with the reference's `description` and
/// `summary` in place of its own (3.1 lets a reference override them); `None`
/// when there is nothing to override, the target is not local, or it is itself
/// a reference.
fn described_copy(reference: &Mapping, original: &Value) -> Option<Value> {
    let overrides: Vec<(&Value, &Value)> =
        reference.iter().filter(|(key, _)| matches!(key.as_str(), Some("description" | "summary"))).collect();
    if overrides.is_empty() {
        return None;
    }
    let pointer = reference.get("$ref")?.as_str()?.strip_prefix('#')?;
    let target = pointer.split('/').skip(1).try_fold(original, |node, segment| {
        let key =
            percent_encoding::percent_decode_str(segment).decode_utf8_lossy().replace("~1", "/").replace("~0", "~");
        node.get(key.as_str())
    })?;
    let Value::Mapping(target) = target else { return None };
    if target.contains_key("$ref") {
        return None;
    }
    let mut copy = target.clone();
    for (key, text) in overrides {
        // `summary` only where the target has one (examples, path items): no 3.0 object gains a field.
        if key.as_str() == Some("description") || copy.contains_key(key) {
            copy.insert(key.clone(), text.clone());
        }
    }
    Some(Value::Mapping(copy))
}

/// Converts one schema and everything under it.
fn schema(value: &mut Value) {
    if let Value::Bool(allowed) = value {
        *value = boolean_schema(*allowed);
        return;
    }
    let Value::Mapping(map) = value else { return };
    sibling_ref(map);
    type_list(map);
    null_members(map);
    if let Some(constant) = map.remove("const") {
        if !map.contains_key("type") && constant.is_string() {
            map.insert("type".into(), "string".into());
        }
        map.insert("enum".into(), Value::Sequence(vec![constant]));
    }
    if let Some(Value::Sequence(mut examples)) = map.remove("examples")
        && !examples.is_empty()
        && !map.contains_key("example")
    {
        map.insert("example".into(), examples.remove(0));
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(limit @ Value::Number(_)) = map.get(exclusive).cloned() {
            map.insert(bound.into(), limit);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    content_format(map);
    if let Some(Value::Sequence(_)) = map.remove("prefixItems")
        && !map.contains_key("items")
    {
        map.insert("items".into(), Value::Mapping(Mapping::new()));
    }
    if matches!(map.get("items"), Some(Value::Bool(false))) {
        map.insert("items".into(), Value::Mapping(Mapping::new()));
    }
    drop_keywords(map);
    normalize::subschemas_mut(map, schema);
}

fn boolean_schema(allowed: bool) -> Value {
    let mut map = Mapping::new();
    if !allowed {
        map.insert("not".into(), Value::Mapping(Mapping::new()));
    }
    Value::Mapping(map)
}

/// `{$ref, description, ...}` → `{allOf: [{$ref}], description, ...}`.
fn sibling_ref(map: &mut Mapping) {
    if map.len() < 2 || !map.contains_key("$ref") {
        return;
    }
    let reference = map.remove("$ref").expect("checked above");
    let mut target = Mapping::new();
    target.insert("$ref".into(), reference);
    map.insert("allOf".into(), Value::Sequence(vec![Value::Mapping(target)]));
}

/// `type: [string, "null"]` → `type: string, nullable: true`; several non-null
/// types → `oneOf` of each.
fn type_list(map: &mut Mapping) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Sequence(types)) => types.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        Some(Value::String(single)) if single == "null" => vec!["null".to_owned()],
        _ => return,
    };
    map.remove("type");
    let non_null: Vec<&String> = types.iter().filter(|name| *name != "null").collect();
    if non_null.len() < types.len() {
        map.insert("nullable".into(), Value::Bool(true));
    }
    match non_null.as_slice() {
        [] => {}
        [single] => {
            map.insert("type".into(), (*single).clone().into());
        }
        several => {
            let members = several
                .iter()
                .map(|name| {
                    let mut member = Mapping::new();
                    member.insert("type".into(), (*name).clone().into());
                    Value::Mapping(member)
                })
                .collect();
            map.insert("oneOf".into(), Value::Sequence(members));
        }
    }
}

/// `oneOf: [X, {type: "null"}]` → `oneOf: [X], nullable: true` (the 3.1 way of
/// writing a nullable reference); a single member left becomes `allOf`.
fn null_members(map: &mut Mapping) {
    for combinator in ["oneOf", "anyOf"] {
        let Some(Value::Sequence(members)) = map.get_mut(combinator) else { continue };
        let before = members.len();
        members.retain(|member| !is_null_schema(member));
        if members.len() == before {
            continue;
        }
        let rest = std::mem::take(members);
        map.remove(combinator);
        map.insert("nullable".into(), Value::Bool(true));
        match rest.len() {
            0 => {}
            1 => {
                map.insert("allOf".into(), Value::Sequence(rest));
            }
            _ => {
                map.insert(combinator.into(), Value::Sequence(rest));
            }
        }
    }
}

fn is_null_schema(value: &Value) -> bool {
    let Value::Mapping(member) = value else { return false };
    match member.get("type") {
        Some(Value::String(name)) => name == "null" && member.len() == 1,
        Some(Value::Sequence(names)) => names.iter().all(|name| name.as_str() == Some("null")),
        _ => false,
    }
}

/// `contentEncoding: base64` → `format: byte`; a binary `contentMediaType` → `format: binary`.
fn content_format(map: &mut Mapping) {
    let encoding = map.remove("contentEncoding");
    let media_type = map.remove("contentMediaType");
    if map.contains_key("format") {
        return;
    }
    let format = match (encoding.as_ref().and_then(Value::as_str), media_type.as_ref().and_then(Value::as_str)) {
        (Some("base64" | "base64url"), _) => "byte",
        (None, Some(media)) if !media.starts_with("text/") && !media.contains("json") => "binary",
        _ => return,
    };
    map.insert("format".into(), format.into());
}

/// Removes what 3.0 cannot say; the description names the constraints lost.
fn drop_keywords(map: &mut Mapping) {
    let dropped: Vec<&str> =
        DROPPED_KEYWORDS.iter().copied().filter(|keyword| map.remove(*keyword).is_some()).collect();
    for keyword in SILENT_KEYWORDS {
        map.remove(*keyword);
    }
    if dropped.is_empty() {
        return;
    }
    let list: Vec<String> = dropped.iter().map(|keyword| format!("`{keyword}`")).collect();
    let note = format!("The spec also constrains this value with {} (not checked by this type).", list.join(", "));
    let description = match map.get("description").and_then(Value::as_str) {
        Some(text) => format!("{text}\n\n{note}"),
        None => note,
    };
    map.insert("description".into(), description.into());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn downgraded(yaml: &str) -> (Value, Vec<String>) {
        let mut document: Value = yaml_serde::from_str(yaml).unwrap();
        let webhooks = downgrade(&mut document).unwrap();
        (document, webhooks)
    }

    fn schema_of(yaml: &str) -> Value {
        let (document, _) = downgraded(&format!("openapi: 3.1.0\ncomponents:\n  schemas:\n    S:\n{yaml}"));
        document["components"]["schemas"]["S"].clone()
    }

    fn yaml(text: &str) -> Value {
        yaml_serde::from_str(text).unwrap()
    }

    #[test]
    fn type_arrays_become_nullable_types_or_one_of() {
        assert_eq!(schema_of("      type: [string, 'null']\n"), yaml("{nullable: true, type: string}"));
        assert_eq!(schema_of("      type: [string, integer]\n"), yaml("{oneOf: [{type: string}, {type: integer}]}"));
        assert_eq!(
            schema_of("      oneOf: [{$ref: '#/components/schemas/T'}, {type: 'null'}]\n"),
            yaml("{nullable: true, allOf: [{$ref: '#/components/schemas/T'}]}")
        );
    }

    #[test]
    fn const_examples_and_numeric_exclusive_bounds_take_their_3_0_form() {
        assert_eq!(schema_of("      const: active\n"), yaml("{type: string, enum: [active]}"));
        assert_eq!(schema_of("      type: integer\n      examples: [3, 4]\n"), yaml("{type: integer, example: 3}"));
        assert_eq!(
            schema_of("      type: number\n      exclusiveMinimum: 0\n"),
            yaml("{type: number, exclusiveMinimum: true, minimum: 0}")
        );
    }

    #[test]
    fn refs_with_siblings_binary_content_and_unknown_keywords() {
        assert_eq!(
            schema_of("      $ref: '#/components/schemas/T'\n      description: The owner.\n"),
            yaml("{description: The owner., allOf: [{$ref: '#/components/schemas/T'}]}")
        );
        assert_eq!(
            schema_of("      type: string\n      contentMediaType: image/png\n"),
            yaml("{type: string, format: binary}")
        );
        assert_eq!(
            schema_of("      type: string\n      contentEncoding: base64\n"),
            yaml("{type: string, format: byte}")
        );
        let lossy =
            schema_of("      type: object\n      patternProperties: {'^x': {type: string}}\n      $comment: hi\n");
        assert_eq!(lossy["type"], "object");
        assert!(lossy["description"].as_str().unwrap().contains("`patternProperties`"), "{lossy:?}");
        assert!(lossy.get("$comment").is_none());
    }

    #[test]
    fn a_reference_described_where_it_is_used_is_a_copy_with_that_description() {
        let (document, _) = downgraded(
            "openapi: 3.1.0\npaths:\n  /pets:\n    get:\n      parameters:\n\
             \x20       - {$ref: '#/components/parameters/Limit', description: Pets per page., summary: Ignored.}\n\
             \x20       - {$ref: '#/components/parameters/Limit'}\n\
             \x20       - {$ref: '#/components/parameters/Missing', description: Gone.}\n\
             components:\n  parameters:\n    Limit: {name: limit, in: query, description: Items per page., schema: {type: [integer, 'null']}}\n",
        );
        let parameters = &document["paths"]["/pets"]["get"]["parameters"];
        assert_eq!(
            parameters[0],
            yaml("{name: limit, in: query, description: Pets per page., schema: {type: integer, nullable: true}}")
        );
        assert_eq!(parameters[1], yaml("{$ref: '#/components/parameters/Limit'}"));
        assert_eq!(parameters[2], yaml("{$ref: '#/components/parameters/Missing'}"), "left for the resolver to report");

        // Targets that contain described references to themselves are copied a bounded number of times.
        let (cyclic, _) = downgraded(
            "openapi: 3.1.0\npaths: {}\ncomponents:\n  responses:\n    \
             A: {description: a, headers: {X: {$ref: '#/components/responses/A', description: again}}}\n",
        );
        let mut depth = 0;
        let mut node = &cyclic["components"]["responses"]["A"];
        while let Some(inner) = node.get("headers").and_then(|headers| headers.get("X")) {
            depth += 1;
            node = inner;
        }
        assert_eq!((depth, node), (MAX_NESTED_COPIES + 1, &yaml("{$ref: '#/components/responses/A'}")));
    }

    #[test]
    fn webhooks_path_items_and_info_fields_are_moved_out_of_3_1_only_places() {
        let (document, webhooks) = downgraded(
            "openapi: 3.1.0\ninfo: {title: T, version: '1', summary: Short., license: {name: MIT, identifier: MIT}}\n\
             webhooks:\n  newPet: {post: {responses: {'200': {description: OK}}}}\n\
             paths:\n  /pets: {$ref: '#/components/pathItems/Pets'}\n\
             components:\n  pathItems:\n    Pets: {get: {responses: {'200': {description: OK}}}}\n",
        );
        assert_eq!(webhooks, ["newPet: POST"]);
        assert_eq!(document["openapi"], "3.0.3");
        assert_eq!(document["info"]["description"], "Short.");
        assert!(document["info"]["license"].get("identifier").is_none());
        assert!(document["paths"]["/pets"]["get"].is_mapping());
        assert!(document["components"].get("pathItems").is_none());
    }
}
