//! `cargo xtask import API --from COLLECTION`: drafts, into a hand-written spec,
//! an operation for every evidence request that no operation matches.
//!
//! Each draft has the request's method and path, an operationId and summary from
//! its name, its group as the tag, its parameters with their descriptions, and
//! request and response schemas inferred from its examples. Everything inferred
//! is marked (`x-secgen-inferred: true`, and a description saying so), so a
//! reviewer sees what no source states. The draft is inserted as text: every
//! line a person wrote stays as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};
use secgen_codegen::GeneratedCrate;
use serde_json::{Map, Value, json};

use crate::apis::{Api, Source};
use crate::postman::{self, EvidenceRequest};
use crate::verify::{TRANSPORT_HEADERS, is_excluded, is_json, is_variable, matching_operation, request_path};

/// What the importer added, and the spec with it.
pub struct Drafts {
    pub spec: String,
    /// `GET /path (request name)`, one per drafted operation.
    pub added: Vec<String>,
}

/// `cargo xtask import`: drafts every request of `collection` that no operation
/// matches into the API's hand-written spec file; the file's path and what was added.
pub fn import(api: &Api, collection: &Path) -> Result<(PathBuf, Vec<String>)> {
    let Source::File(file) = &api.source else {
        bail!("{}: its spec is fetched, not hand-written; there is nothing to draft into", api.name);
    };
    let spec_path = api.dir.join(file);
    let text = std::fs::read_to_string(&spec_path).with_context(|| format!("reading {}", spec_path.display()))?;
    let generated = secgen_codegen::generate(&format!("specs/{}/{file}", api.name), text.as_bytes(), &api.config)
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let requests = postman::read(collection)?;
    let source = collection
        .file_name()
        .map_or_else(|| collection.display().to_string(), |name| name.to_string_lossy().into_owned());
    let drafts = draft(api, &text, &generated, &requests, &format!("`{source}`"))?;
    std::fs::write(&spec_path, &drafts.spec).with_context(|| format!("writing {}", spec_path.display()))?;
    Ok((spec_path, drafts.added))
}

/// Drafts an operation for every request of `requests` no operation of
/// `generated` matches, into `spec` (the hand-written spec's YAML text).
pub fn draft(
    api: &Api,
    spec: &str,
    generated: &GeneratedCrate,
    requests: &[EvidenceRequest],
    source: &str,
) -> Result<Drafts> {
    let mut taken: BTreeSet<String> = generated.surface.operations.values().map(|op| op.operation_id.clone()).collect();
    // Path template → method → operation, in the order the collection has them.
    let mut drafted: BTreeMap<String, Vec<(String, Value)>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut added = Vec::new();
    let header_parameters = written_header_parameters(spec);
    for request in requests {
        if is_excluded(&api.evidence.exclude, request) {
            continue;
        }
        let Some(path) = request_path(request, &api.evidence.server_path) else { continue };
        if matching_operation(generated.surface.operations.values(), &request.method, &path).is_some() {
            continue;
        }
        let template =
            format!("/{}", path.iter().map(|segment| template_segment(segment)).collect::<Vec<_>>().join("/"));
        let method = request.method.to_ascii_lowercase();
        let methods = drafted.entry(template.clone()).or_default();
        if methods.iter().any(|(known, _)| *known == method) {
            continue;
        }
        if methods.is_empty() {
            order.push(template.clone());
        }
        let operation_id = unique_id(&request.name, request.group.as_deref(), &mut taken);
        methods.push((method.clone(), operation(api, request, &path, &operation_id, source, &header_parameters)));
        added.push(format!("{} {template} ({})", request.method, request.name));
    }
    let written = written_components(spec);
    for methods in drafted.values_mut() {
        for (_, operation) in methods.iter_mut() {
            reuse_written_components(operation, &written);
        }
    }
    let existing: BTreeSet<String> = written.keys().cloned().collect();
    let components = share_recurring_shapes(&mut drafted, &existing);
    let mut text = spec.to_owned();
    if !components.is_empty() {
        text = insert_components(&text, &components)?;
    }
    for template in order {
        let methods = &drafted[&template];
        text = insert_path(&text, &template, methods)?;
    }
    Ok(Drafts { spec: text, added })
}

/// `:id` and `{{id}}` become `{id}`.
fn template_segment(segment: &str) -> String {
    match variable_name(segment) {
        Some(name) => format!("{{{name}}}"),
        None => segment.to_owned(),
    }
}

fn variable_name(segment: &str) -> Option<String> {
    if !is_variable(segment) {
        return None;
    }
    let name = segment.trim_start_matches(':').trim_start_matches("{{").trim_end_matches("}}");
    Some(name.to_lower_camel_case())
}

/// An operationId from the request's own name (`Get endpoints` → `getEndpoints`),
/// unique: a name another operation has is prefixed with the request's group
/// (`XDR Query API` → `xdrQueryListQueryRuns`), and only then numbered.
fn unique_id(name: &str, group: Option<&str>, taken: &mut BTreeSet<String>) -> String {
    let last = name.rsplit(" / ").next().unwrap_or(name);
    let mut base = last.to_lower_camel_case();
    if base.is_empty() {
        base = "operation".to_owned();
    }
    if taken.contains(&base)
        && let Some(group) = group
    {
        let group = group.trim_end_matches(" APIs").trim_end_matches(" API");
        base = format!("{group} {last}").to_lower_camel_case();
    }
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

const INFERRED: &str = "Inferred by `cargo xtask import` from the vendor's examples; no source states it.";

fn operation(
    api: &Api,
    request: &EvidenceRequest,
    path: &[String],
    operation_id: &str,
    source: &str,
    header_parameters: &BTreeMap<String, String>,
) -> Value {
    let summary = request.name.rsplit(" / ").next().unwrap_or(&request.name);
    let mut operation = Map::new();
    operation.insert("operationId".into(), json!(operation_id));
    operation.insert("summary".into(), json!(summary));
    let drafted = format!(
        "Drafted by `cargo xtask import` from the request `{}` of {source}; review before relying on it.",
        request.name
    );
    let description = match &request.description {
        Some(description) => format!("{description}\n\n{drafted}"),
        None => drafted,
    };
    operation.insert("description".into(), json!(description));
    if let Some(group) = &request.group {
        operation.insert("tags".into(), json!([group]));
    }
    operation.insert("x-secgen-inferred".into(), json!(true));
    let mut parameters = Vec::new();
    for name in path.iter().filter_map(|segment| variable_name(segment)) {
        parameters.push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}));
    }
    for param in &request.query {
        let schema = param.value.as_deref().map_or(json!({"type": "string"}), scalar_schema);
        let description = param.description.clone().unwrap_or_else(|| INFERRED.to_owned());
        parameters.push(json!({"name": param.name, "in": "query", "description": description, "schema": schema}));
    }
    let managed = |name: &str| api.config.client.managed_headers.iter().any(|header| header.eq_ignore_ascii_case(name));
    // A managed header (an id the client sets) refers to the spec's own parameter for it,
    // so the draft says which one the operation needs.
    for header in request.headers.iter().filter(|header| managed(&header.name)) {
        if let Some(key) = header_parameters.get(&header.name.to_ascii_lowercase()) {
            parameters.push(json!({"$ref": format!("#/components/parameters/{key}")}));
        }
    }
    for header in request.headers.iter().filter(|header| {
        !TRANSPORT_HEADERS.contains(&header.name.to_ascii_lowercase().as_str()) && !managed(&header.name)
    }) {
        let description = header.description.clone().unwrap_or_else(|| INFERRED.to_owned());
        parameters.push(
            json!({"name": header.name, "in": "header", "description": description, "schema": {"type": "string"}}),
        );
    }
    if !parameters.is_empty() {
        operation.insert("parameters".into(), Value::Array(parameters));
    }
    if let Some(body) = request.body.as_deref().filter(|body| is_json(body)) {
        let example: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        operation.insert(
            "requestBody".into(),
            json!({"required": true, "content": {"application/json": {"schema": infer(&[&example])}}}),
        );
    }
    operation.insert("responses".into(), responses(request));
    Value::Object(operation)
}

fn responses(request: &EvidenceRequest) -> Value {
    let mut by_status: BTreeMap<u16, Vec<Value>> = BTreeMap::new();
    for example in &request.responses {
        let body =
            serde_json::from_str(&example.body).ok().filter(|value: &Value| value.is_object() || value.is_array());
        by_status.entry(example.status).or_default().extend(body);
    }
    if !by_status.keys().any(|status| (200..300).contains(status)) {
        by_status.entry(200).or_default();
    }
    let mut responses = Map::new();
    for (status, bodies) in by_status {
        let mut response = json!({"description": format!("Status {status} (from the vendor's examples).")});
        if !bodies.is_empty() {
            let refs: Vec<&Value> = bodies.iter().collect();
            response["content"] = json!({"application/json": {"schema": infer(&refs)}});
        }
        responses.insert(status.to_string(), response);
    }
    Value::Object(responses)
}

/// A query example value's type: integers and booleans are recognised.
fn scalar_schema(value: &str) -> Value {
    if value.parse::<i64>().is_ok() {
        json!({"type": "integer"})
    } else if value == "true" || value == "false" {
        json!({"type": "boolean"})
    } else {
        json!({"type": "string"})
    }
}

/// A schema every example fits: types, `date-time`/`uuid`/`email` where every
/// string fits, array items and object properties merged across examples.
pub fn infer(examples: &[&Value]) -> Value {
    let present: Vec<&Value> = examples.iter().copied().filter(|value| !value.is_null()).collect();
    let nullable = present.len() < examples.len();
    let mut schema = match present.first() {
        None => json!({}),
        Some(Value::Object(_)) => infer_object(&present),
        Some(Value::Array(_)) => {
            let items: Vec<&Value> = present.iter().filter_map(|value| value.as_array()).flatten().collect();
            json!({"type": "array", "items": infer(&items)})
        }
        Some(Value::String(_)) => string_schema(&present),
        Some(Value::Bool(_)) => json!({"type": "boolean"}),
        Some(Value::Number(_)) if present.iter().all(|value| value.is_i64() || value.is_u64()) => {
            json!({"type": "integer"})
        }
        Some(Value::Number(_)) => json!({"type": "number"}),
        Some(Value::Null) => json!({}),
    };
    let kinds: BTreeSet<&str> = present.iter().map(|value| kind(value)).collect();
    if kinds.len() > 1 && !(kinds.len() == 2 && kinds.contains("integer") && kinds.contains("number")) {
        // Examples disagree: leave the value open rather than guess.
        schema = json!({});
    }
    if nullable && schema.as_object().is_some_and(|schema| !schema.is_empty()) {
        schema["nullable"] = json!(true);
    }
    schema
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "object",
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::Null => "null",
    }
}

fn infer_object(objects: &[&Value]) -> Value {
    let mut keys: Vec<&String> = Vec::new();
    for object in objects.iter().filter_map(|value| value.as_object()) {
        for key in object.keys() {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    if keys.is_empty() {
        // `{}` says nothing of the value's shape (vendors write it for "some object"): any JSON.
        return json!({});
    }
    let mut properties = Map::new();
    for key in keys {
        let values: Vec<&Value> = objects.iter().filter_map(|object| object.get(key.as_str())).collect();
        properties.insert(key.clone(), infer(&values));
    }
    json!({"type": "object", "properties": properties})
}

fn string_schema(values: &[&Value]) -> Value {
    let texts: Vec<&str> = values.iter().filter_map(|value| value.as_str()).collect();
    let all = |test: fn(&str) -> bool| !texts.is_empty() && texts.iter().all(|text| test(text));
    let format = if all(is_date_time) {
        Some("date-time")
    } else if all(is_uuid) {
        Some("uuid")
    } else if all(is_email) {
        Some("email")
    } else {
        None
    };
    match format {
        Some(format) => json!({"type": "string", "format": format}),
        None => json!({"type": "string"}),
    }
}

fn is_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.len() >= 20
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b'T'
        && bytes[13] == b':'
        && text[..4].bytes().all(|byte| byte.is_ascii_digit())
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|group| group.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|group| group.bytes().all(|byte| byte.is_ascii_hexdigit()))
}

fn is_email(text: &str) -> bool {
    text.split_once('@').is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.') && !text.contains(' '))
}

/// The written header parameters under `components: parameters:`, by lower-case header name.
fn written_header_parameters(spec: &str) -> BTreeMap<String, String> {
    let value: Value = yaml_serde::from_str(spec).unwrap_or(Value::Null);
    let parameters = value.pointer("/components/parameters").and_then(Value::as_object).cloned().unwrap_or_default();
    parameters
        .into_iter()
        .filter(|(_, parameter)| parameter.get("in").and_then(Value::as_str) == Some("header"))
        .filter_map(|(key, parameter)| Some((parameter.get("name")?.as_str()?.to_ascii_lowercase(), key)))
        .collect()
}

/// The schemas under `components: schemas:` of the spec as written.
fn written_components(spec: &str) -> Map<String, Value> {
    let value: Value = yaml_serde::from_str(spec).unwrap_or(Value::Null);
    value.pointer("/components/schemas").and_then(Value::as_object).cloned().unwrap_or_default()
}

/// Replaces every drafted shape that a written component already describes by
/// a reference to it, outermost first (so `pages` becomes the spec's own
/// `PageKeyPages` rather than a second, inferred copy of it).
fn reuse_written_components(value: &mut Value, written: &Map<String, Value>) {
    if is_shape(value)
        && let Some(name) = fitting_component(value, written)
    {
        *value = json!({"$ref": format!("#/components/schemas/{name}")});
        return;
    }
    match value {
        Value::Object(map) => map.values_mut().for_each(|child| reuse_written_components(child, written)),
        Value::Array(items) => items.iter_mut().for_each(|item| reuse_written_components(item, written)),
        _ => {}
    }
}

/// The written component that describes `shape` (see [`fits`]); the closest
/// (fewest properties beyond the shape's) first.
fn fitting_component<'a>(shape: &Value, written: &'a Map<String, Value>) -> Option<&'a str> {
    let count = shape["properties"].as_object()?.len();
    written
        .iter()
        .filter_map(|(name, component)| {
            let declared = component.get("properties")?.as_object()?.len();
            fits(shape, component, written, 0).then(|| (declared - count, name.as_str()))
        })
        .min()
        .map(|(_, name)| name)
}

/// Whether every value the inferred schema describes decodes with the declared
/// one, all the way down: the same types, and for objects, every inferred
/// property declared, every required one present, and at least half of the
/// declared ones seen (so `{id, status}` is not taken for a ten-field `Tenant`).
fn fits(inferred: &Value, declared: &Value, written: &Map<String, Value>, depth: usize) -> bool {
    let declared = match declared.get("$ref").and_then(Value::as_str) {
        Some(reference) => match written.get(reference.rsplit('/').next().unwrap_or_default()) {
            Some(target) if depth < 8 => target,
            _ => return false,
        },
        None => declared,
    };
    let Some(inferred_kind) = kind_of(inferred) else {
        return true; // only `null` in the examples: any type holds it
    };
    match kind_of(declared) {
        None => true,
        Some("number") if inferred_kind == "integer" => true,
        Some(kind) if kind != inferred_kind => false,
        Some("array") => match (inferred.get("items"), declared.get("items")) {
            (Some(inferred), Some(declared)) => fits(inferred, declared, written, depth + 1),
            _ => true,
        },
        Some("object") => {
            let (Some(inferred), Some(declared_properties)) = (
                inferred.get("properties").and_then(Value::as_object),
                declared.get("properties").and_then(Value::as_object),
            ) else {
                return true;
            };
            let mut required = declared.get("required").and_then(Value::as_array).into_iter().flatten();
            inferred.len() * 2 >= declared_properties.len()
                && inferred.iter().all(|(key, property)| {
                    declared_properties.get(key).is_some_and(|known| fits(property, known, written, depth + 1))
                })
                && required.all(|key| key.as_str().is_some_and(|key| inferred.contains_key(key)))
        }
        Some(_) => true,
    }
}

/// A schema's own JSON type (`object` for one with properties and no type).
fn kind_of(schema: &Value) -> Option<&str> {
    match schema.get("type").and_then(Value::as_str) {
        Some(kind) => Some(kind),
        None if schema.get("properties").is_some() => Some("object"),
        None => None,
    }
}

/// An object shape (two or more properties) that recurs across the drafts
/// becomes one component, named after the property it stands under
/// (`owner` → `Owner`, the items of `alerts` → `Alert`); the largest first, so
/// the shapes inside it are counted once.
fn share_recurring_shapes(
    drafted: &mut BTreeMap<String, Vec<(String, Value)>>,
    existing: &BTreeSet<String>,
) -> Vec<(String, Value)> {
    let mut taken = existing.clone();
    let mut components: Vec<(String, Value)> = Vec::new();
    loop {
        let mut seen: BTreeMap<String, (usize, Value, String)> = BTreeMap::new();
        let mut visit = |schema: &Value, hint: &str| {
            let entry = seen.entry(schema.to_string()).or_insert_with(|| (0, schema.clone(), hint.to_owned()));
            entry.0 += 1;
        };
        for methods in drafted.values() {
            for (_, operation) in methods {
                walk_operation_shapes(operation, &mut visit);
            }
        }
        for (_, schema) in &components {
            walk_shapes_inside(schema, &mut visit);
        }
        let Some((_, (_, schema, hint))) =
            seen.into_iter().filter(|(_, (count, _, _))| *count > 1).max_by_key(|(text, _)| (text.len(), text.clone()))
        else {
            break;
        };
        let name = component_name(&hint, &mut taken);
        let reference = json!({"$ref": format!("#/components/schemas/{name}")});
        for methods in drafted.values_mut() {
            for (_, operation) in methods.iter_mut() {
                replace_shape(operation, &schema, &reference);
            }
        }
        for (_, component) in components.iter_mut() {
            replace_shape_inside(component, &schema, &reference);
        }
        components.push((name, schema));
    }
    components
}

fn is_shape(value: &Value) -> bool {
    value.get("type").and_then(Value::as_str) == Some("object")
        && value.get("properties").and_then(Value::as_object).is_some_and(|properties| properties.len() >= 2)
}

/// Calls `visit` on every object shape of an operation's bodies, with the name
/// it suggests: the operation's noun (`List policies` → `policies`) for a body,
/// `Error` for an error status's body, a property's own name below that.
fn walk_operation_shapes(operation: &Value, visit: &mut impl FnMut(&Value, &str)) {
    let noun = operation_noun(operation.get("summary").and_then(Value::as_str).unwrap_or_default());
    if let Some(schema) = operation.pointer("/requestBody/content/application~1json/schema") {
        walk_shapes(schema, &noun, visit);
    }
    for (status, response) in operation.get("responses").and_then(Value::as_object).into_iter().flatten() {
        let hint = if status.parse::<u16>().is_ok_and(|status| status >= 400) { "error" } else { noun.as_str() };
        if let Some(schema) = response.pointer("/content/application~1json/schema") {
            walk_shapes(schema, hint, visit);
        }
    }
}

/// What an operation is about: its summary without a leading verb or article
/// (`Get all roles` → `roles`).
fn operation_noun(summary: &str) -> String {
    const VERBS: [&str; 16] = [
        "get",
        "list",
        "query",
        "retrieve",
        "fetch",
        "search",
        "find",
        "enumerate",
        "create",
        "add",
        "update",
        "delete",
        "remove",
        "run",
        "set",
        "patch",
    ];
    let words: Vec<String> = summary.to_snake_case().split('_').map(str::to_owned).collect();
    let mut start = usize::from(words.len() > 1 && VERBS.contains(&words[0].as_str()));
    while start + 1 < words.len() && ["a", "an", "the", "all"].contains(&words[start].as_str()) {
        start += 1;
    }
    words[start..].join("_")
}

/// Calls `visit` on `schema` if it is an object shape, and on every shape below it.
fn walk_shapes(schema: &Value, hint: &str, visit: &mut impl FnMut(&Value, &str)) {
    if is_shape(schema) {
        visit(schema, hint);
    }
    for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        // A list's generic `items` or `data` property says nothing the parent's name does not.
        let hint = if name == "items" || name == "data" { hint } else { name.as_str() };
        walk_shapes(property, hint, visit);
    }
    if let Some(items) = schema.get("items") {
        walk_shapes(items, &singular(hint), visit);
    }
}

/// `policies` → `policy`, `addresses` → `address`, `alerts` → `alert`.
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = ["sses", "shes", "ches", "xes", "uses"]
        .iter()
        .find_map(|end| word.strip_suffix(end).map(|stem| format!("{stem}{}", &end[..end.len() - 2])))
    {
        stem
    } else if word.ends_with("ss") {
        word.to_owned()
    } else {
        word.strip_suffix('s').unwrap_or(word).to_owned()
    }
}

/// The shapes inside a component, not the component itself.
fn walk_shapes_inside(schema: &Value, visit: &mut impl FnMut(&Value, &str)) {
    for (key, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        walk_shapes(property, key, visit);
    }
}

fn replace_shape(value: &mut Value, shape: &Value, reference: &Value) {
    if is_shape(value) && value == shape {
        *value = reference.clone();
        return;
    }
    match value {
        Value::Object(map) => map.values_mut().for_each(|child| replace_shape(child, shape, reference)),
        Value::Array(items) => items.iter_mut().for_each(|item| replace_shape(item, shape, reference)),
        _ => {}
    }
}

fn replace_shape_inside(schema: &mut Value, shape: &Value, reference: &Value) {
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        properties.values_mut().for_each(|property| replace_shape(property, shape, reference));
    }
}

fn component_name(hint: &str, taken: &mut BTreeSet<String>) -> String {
    let mut base = hint.to_upper_camel_case();
    if base.is_empty() {
        base = "Shape".to_owned();
    }
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// Adds schemas at the end of `components: schemas:` (creating either if needed), as text.
fn insert_components(text: &str, components: &[(String, Value)]) -> Result<String> {
    let mut schemas = Map::new();
    for (name, schema) in components {
        let mut schema = schema.clone();
        schema["x-secgen-inferred"] = json!(true);
        schemas.insert(name.clone(), schema);
    }
    let yaml = yaml_of(&Value::Object(schemas))?;
    let lines: Vec<&str> = text.lines().collect();
    let Some(components_at) = lines.iter().position(|line| *line == "components:") else {
        return Ok(format!("{}\ncomponents:\n  schemas:\n{}", text.trim_end(), indent(&yaml, 4)));
    };
    let components_end = top_level_end(&lines, components_at);
    let schemas_at = (components_at + 1..components_end).find(|&index| lines[index] == "  schemas:");
    let (insert_at, block) = match schemas_at {
        Some(at) => (trim_blank_end(&lines, at, child_end(&lines, at, components_end)), indent(&yaml, 4)),
        None => (trim_blank_end(&lines, components_at, components_end), format!("  schemas:\n{}", indent(&yaml, 4))),
    };
    Ok(splice(&lines, insert_at, &block))
}

/// Inserts a path item (or methods of an existing one) into the `paths:` block,
/// as text, leaving every other line alone.
fn insert_path(text: &str, template: &str, methods: &[(String, Value)]) -> Result<String> {
    let lines: Vec<&str> = text.lines().collect();
    let paths_at =
        lines.iter().position(|line| *line == "paths:").context("the spec has no top-level `paths:` block")?;
    let block_end = top_level_end(&lines, paths_at);
    let key_line = |line: &str| {
        let key = line.strip_prefix("  ")?.strip_suffix(':')?;
        (!key.starts_with(' ')).then(|| key.trim_matches(|c| c == '"' || c == '\'').to_owned())
    };
    let existing = (paths_at + 1..block_end).find(|&index| key_line(lines[index]).as_deref() == Some(template));
    let (insert_at, block) = match existing {
        Some(start) => {
            let mut body = String::new();
            for (method, operation) in methods {
                body.push_str(&indent(&yaml_of(&json!({ method: operation }))?, 4));
            }
            (trim_blank_end(&lines, start, child_end(&lines, start, block_end)), body)
        }
        None => {
            let item: Map<String, Value> = methods.iter().cloned().collect();
            let yaml = yaml_of(&json!({ template: Value::Object(item) }))?;
            (trim_blank_end(&lines, paths_at, block_end), indent(&yaml, 2))
        }
    };
    Ok(splice(&lines, insert_at, &block))
}

/// Where the top-level block starting at `from` ends: the next top-level key.
fn top_level_end(lines: &[&str], from: usize) -> usize {
    (from + 1..lines.len())
        .find(|&index| !lines[index].is_empty() && !lines[index].starts_with(' ') && !lines[index].starts_with('#'))
        .unwrap_or(lines.len())
}

/// Where the two-space-indented entry starting at `start` ends, within `..end`.
fn child_end(lines: &[&str], start: usize, end: usize) -> usize {
    (start + 1..end)
        .find(|&index| {
            lines[index].starts_with("  ") && !lines[index].starts_with("   ") && !lines[index].trim().is_empty()
        })
        .unwrap_or(end)
}

/// The lines with `block` inserted before line `at`.
fn splice(lines: &[&str], at: usize, block: &str) -> String {
    let mut out: Vec<&str> = lines[..at].to_vec();
    out.extend(block.lines());
    out.extend(&lines[at..]);
    out.join("\n") + "\n"
}

/// The index after the last non-blank line of `start..end`.
fn trim_blank_end(lines: &[&str], start: usize, end: usize) -> usize {
    (start + 1..end).rev().find(|&index| !lines[index].trim().is_empty()).map_or(start + 1, |index| index + 1)
}

fn yaml_of(value: &Value) -> Result<String> {
    let text = yaml_serde::to_string(value)?;
    if text.trim().is_empty() {
        bail!("nothing to write");
    }
    Ok(text)
}

fn indent(text: &str, spaces: usize) -> String {
    let pad = " ".repeat(spaces);
    text.lines().map(|line| if line.is_empty() { "\n".to_owned() } else { format!("{pad}{line}\n") }).collect()
}
