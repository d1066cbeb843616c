//! Swagger 2.0 documents, rewritten into the OpenAPI 3.0 form the model reads
//! (in one place, on the document tree, so there is no second generator):
//! - `host`, `basePath` and `schemes` become `servers`;
//! - `definitions`, top-level `parameters` and `responses`, and
//!   `securityDefinitions` become their `components` sections (every `$ref` follows);
//! - an `in: body` parameter becomes the request body, under each type the
//!   operation `consumes`; `in: formData` parameters become the properties of a
//!   form body (`multipart/form-data` when a part is a `type: file` or the
//!   operation consumes it, else `application/x-www-form-urlencoded`);
//! - other parameters and response headers move their type into `schema`, and
//!   `collectionFormat` becomes `style`/`explode`;
//! - a response's `schema` is its content under each type the operation
//!   `produces`; `x-nullable` is `nullable`, `type: file` a binary string.

use yaml_serde::{Mapping, Value};

use crate::error::{Pointer, SpecError, SpecResult};
use crate::normalize;

/// The keys of a 2.0 parameter (or header, or `items`) that describe its value:
/// they move into its 3.0 `schema`.
const VALUE_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// What the operations of the document consume and produce unless they say otherwise.
struct Defaults {
    consumes: Vec<String>,
    produces: Vec<String>,
    /// The top-level `parameters`, as written (body and form ones are inlined where used).
    parameters: Mapping,
}

/// Rewrites the Swagger 2.0 `document` into OpenAPI 3.0 form.
pub(crate) fn upgrade(document: &mut Value) -> SpecResult<()> {
    let Value::Mapping(root) = document else {
        return Err(SpecError::new(&Pointer::root(), "not a Swagger document: expected an object"));
    };
    root.remove("swagger");
    let mut upgraded = Mapping::new();
    upgraded.insert("openapi".into(), "3.0.3".into());
    for key in ["info", "tags", "externalDocs", "security"] {
        if let Some(value) = root.remove(key) {
            upgraded.insert(key.into(), value);
        }
    }
    upgraded.insert("servers".into(), servers(root));
    let defaults = Defaults {
        consumes: media_types(root.get("consumes")),
        produces: media_types(root.get("produces")),
        parameters: match root.get("parameters") {
            Some(Value::Mapping(parameters)) => parameters.clone(),
            _ => Mapping::new(),
        },
    };
    let mut paths = match root.remove("paths") {
        Some(Value::Mapping(paths)) => paths,
        _ => Mapping::new(),
    };
    for (path, item) in paths.iter_mut() {
        let pointer = Pointer::root().join("paths").join(path.as_str().unwrap_or_default());
        path_item(item, &defaults, &pointer)?;
    }
    upgraded.insert("paths".into(), Value::Mapping(paths));
    upgraded.insert("components".into(), Value::Mapping(components(root, &defaults)));
    // Vendor extensions at the top stay.
    for (key, value) in root.iter() {
        if key.as_str().is_some_and(|key| key.starts_with("x-")) {
            upgraded.insert(key.clone(), value.clone());
        }
    }
    let mut upgraded = Value::Mapping(upgraded);
    rewrite_refs(&mut upgraded, &defaults.parameters);
    *document = upgraded;
    Ok(())
}

/// Where a place of the converted document was in the Swagger 2.0 one, so
/// errors point into the file as written: `components/schemas/Pet` is
/// `definitions/Pet`, a response's `content/<type>/schema` its `schema`, and a
/// request body the operation's `parameters` (its body or form parameters).
pub(crate) fn original_pointer(pointer: &Pointer) -> Pointer {
    let segments: Vec<&str> = pointer.as_str().split('/').skip(1).collect();
    let (kept, rest): (Vec<&str>, &[&str]) = match segments.as_slice() {
        ["components", "schemas", rest @ ..] => (vec!["definitions"], rest),
        ["components", "securitySchemes", rest @ ..] => (vec!["securityDefinitions"], rest),
        ["components", "parameters", rest @ ..] => (vec!["parameters"], rest),
        ["components", "requestBodies", name, "content", _, rest @ ..] => (vec!["parameters", name], rest),
        ["components", "requestBodies", name, ..] => (vec!["parameters", name], &[]),
        ["components", "responses", name, "content", _, rest @ ..] => (vec!["responses", name], rest),
        ["components", "responses", rest @ ..] => (vec!["responses"], rest),
        ["paths", path, method, "requestBody", ..] => (vec!["paths", path, method, "parameters"], &[]),
        ["paths", path, method, "responses", status, "content", _, rest @ ..] => {
            (vec!["paths", path, method, "responses", status], rest)
        }
        _ => return pointer.clone(),
    };
    let text: String = kept.iter().chain(rest).map(|segment| format!("/{segment}")).collect();
    Pointer::from_escaped(text)
}

/// `schemes`, `host` and `basePath` → one server per scheme (https first).
fn servers(root: &Mapping) -> Value {
    let host = root.get("host").and_then(Value::as_str);
    let base_path = root.get("basePath").and_then(Value::as_str).unwrap_or("").trim_end_matches('/');
    let mut schemes: Vec<&str> = match root.get("schemes") {
        Some(Value::Sequence(schemes)) => schemes.iter().filter_map(Value::as_str).collect(),
        _ => vec!["https"],
    };
    schemes.sort_by_key(|scheme| *scheme != "https");
    let urls: Vec<String> = match host {
        Some(host) => schemes.iter().map(|scheme| format!("{scheme}://{host}{base_path}")).collect(),
        None => vec![if base_path.is_empty() { "/".to_owned() } else { base_path.to_owned() }],
    };
    Value::Sequence(
        urls.into_iter()
            .map(|url| {
                let mut server = Mapping::new();
                server.insert("url".into(), url.into());
                Value::Mapping(server)
            })
            .collect(),
    )
}

fn media_types(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Sequence(types)) => types.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

fn components(root: &mut Mapping, defaults: &Defaults) -> Mapping {
    let mut components = Mapping::new();
    if let Some(Value::Mapping(mut definitions)) = root.remove("definitions") {
        definitions.values_mut().for_each(schema);
        components.insert("schemas".into(), Value::Mapping(definitions));
    }
    let mut parameters = Mapping::new();
    let mut request_bodies = Mapping::new();
    for (name, parameter) in &defaults.parameters {
        match parameter.get("in").and_then(Value::as_str) {
            Some("body") => {
                request_bodies.insert(name.clone(), body(parameter.clone(), &defaults.consumes));
            }
            // Form parameters are inlined into each operation's form body.
            Some("formData") => {}
            _ => {
                parameters.insert(name.clone(), simple_parameter(parameter.clone()));
            }
        }
    }
    for (key, section) in [("parameters", parameters), ("requestBodies", request_bodies)] {
        if !section.is_empty() {
            components.insert(key.into(), Value::Mapping(section));
        }
    }
    if let Some(Value::Mapping(mut responses)) = root.remove("responses") {
        responses.values_mut().for_each(|one| response(one, &defaults.produces));
        components.insert("responses".into(), Value::Mapping(responses));
    }
    if let Some(Value::Mapping(definitions)) = root.remove("securityDefinitions") {
        let schemes = definitions.into_iter().map(|(name, scheme)| (name, security_scheme(scheme))).collect();
        components.insert("securitySchemes".into(), Value::Mapping(schemes));
    }
    components
}

fn path_item(item: &mut Value, defaults: &Defaults, pointer: &Pointer) -> SpecResult<()> {
    let Value::Mapping(item) = item else { return Ok(()) };
    // Path-level body and form parameters belong to each operation's body.
    let shared = match item.remove("parameters") {
        Some(Value::Sequence(shared)) => shared,
        _ => Vec::new(),
    };
    let (shared_body, shared_simple): (Vec<Value>, Vec<Value>) =
        shared.into_iter().partition(|parameter| is_body_or_form(&resolved(parameter, defaults)));
    if !shared_simple.is_empty() {
        item.insert("parameters".into(), Value::Sequence(shared_simple.into_iter().map(simple_parameter).collect()));
    }
    for method in METHODS {
        if let Some(Value::Mapping(operation)) = item.get_mut(*method) {
            let pointer = pointer.join(method);
            self::operation(operation, &shared_body, defaults, &pointer)?;
        }
    }
    Ok(())
}

fn operation(operation: &mut Mapping, shared_body: &[Value], defaults: &Defaults, pointer: &Pointer) -> SpecResult<()> {
    let consumes = match media_types(operation.remove("consumes").as_ref()) {
        types if types.is_empty() => defaults.consumes.clone(),
        types => types,
    };
    let produces = match media_types(operation.remove("produces").as_ref()) {
        types if types.is_empty() => defaults.produces.clone(),
        types => types,
    };
    operation.remove("schemes");
    let parameters = match operation.remove("parameters") {
        Some(Value::Sequence(parameters)) => parameters,
        _ => Vec::new(),
    };
    let mut simple = Vec::new();
    let mut form = Vec::new();
    let mut body_parameter = None;
    for parameter in shared_body.iter().cloned().chain(parameters) {
        let inlined = resolved(&parameter, defaults);
        match inlined.get("in").and_then(Value::as_str) {
            Some("body") => body_parameter = Some(parameter),
            Some("formData") => form.push(inlined),
            _ => simple.push(simple_parameter(parameter)),
        }
    }
    if !simple.is_empty() {
        operation.insert("parameters".into(), Value::Sequence(simple));
    }
    if let Some(parameter) = body_parameter {
        let request_body = match parameter.get("$ref").and_then(Value::as_str) {
            // Rewritten to `#/components/requestBodies/<name>` with the other references.
            Some(_) => parameter,
            None => body(parameter, &consumes),
        };
        operation.insert("requestBody".into(), request_body);
    } else if !form.is_empty() {
        operation.insert("requestBody".into(), form_body(form, &consumes));
    }
    let Some(Value::Mapping(responses)) = operation.get_mut("responses") else {
        return Err(SpecError::new(&pointer.join("responses"), "an operation needs `responses`"));
    };
    responses.values_mut().for_each(|one| response(one, &produces));
    Ok(())
}

/// A `$ref` to a top-level parameter, looked up; anything else as it is.
fn resolved(parameter: &Value, defaults: &Defaults) -> Value {
    let name =
        parameter.get("$ref").and_then(Value::as_str).and_then(|reference| reference.strip_prefix("#/parameters/"));
    match name.and_then(|name| defaults.parameters.get(name)) {
        Some(target) => target.clone(),
        None => parameter.clone(),
    }
}

fn is_body_or_form(parameter: &Value) -> bool {
    matches!(parameter.get("in").and_then(Value::as_str), Some("body" | "formData"))
}

/// An `in: body` parameter → a request body under each consumed type.
fn body(parameter: Value, consumes: &[String]) -> Value {
    let Value::Mapping(mut parameter) = parameter else { return parameter };
    let mut schema_value = parameter.remove("schema").unwrap_or_else(|| Value::Mapping(Mapping::new()));
    schema(&mut schema_value);
    let mut request_body = Mapping::new();
    if let Some(description) = parameter.remove("description") {
        request_body.insert("description".into(), description);
    }
    if let Some(required) = parameter.remove("required") {
        request_body.insert("required".into(), required);
    }
    let types = if consumes.is_empty() { vec!["application/json".to_owned()] } else { consumes.to_vec() };
    request_body.insert("content".into(), content(&types, &schema_value, None));
    Value::Mapping(request_body)
}

/// `in: formData` parameters → one object schema, multipart when a part is a file.
fn form_body(parameters: Vec<Value>, consumes: &[String]) -> Value {
    let mut properties = Mapping::new();
    let mut required = Vec::new();
    let mut has_file = false;
    for parameter in parameters {
        let Value::Mapping(mut parameter) = parameter else { continue };
        let Some(name) = parameter.remove("name") else { continue };
        if parameter.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(name.clone());
        }
        has_file |= parameter.get("type").and_then(Value::as_str) == Some("file");
        let mut property = value_schema(&mut parameter);
        if let Some(description) = parameter.remove("description")
            && let Value::Mapping(map) = &mut property
        {
            map.insert("description".into(), description);
        }
        properties.insert(name, property);
    }
    let mut object = Mapping::new();
    object.insert("type".into(), "object".into());
    object.insert("properties".into(), Value::Mapping(properties));
    if !required.is_empty() {
        object.insert("required".into(), Value::Sequence(required));
    }
    let form_types: Vec<String> = consumes
        .iter()
        .filter(|media| {
            media.starts_with("multipart/form-data") || media.starts_with("application/x-www-form-urlencoded")
        })
        .cloned()
        .collect();
    let types = match (form_types.is_empty(), has_file) {
        (true, true) => vec!["multipart/form-data".to_owned()],
        (true, false) => vec!["application/x-www-form-urlencoded".to_owned()],
        // A file cannot be sent URL-encoded.
        (false, true) => form_types.into_iter().filter(|media| media.starts_with("multipart/")).collect(),
        (false, false) => form_types,
    };
    let types = if types.is_empty() { vec!["multipart/form-data".to_owned()] } else { types };
    let mut request_body = Mapping::new();
    request_body.insert("content".into(), content(&types, &Value::Mapping(object), None));
    Value::Mapping(request_body)
}

/// A query, path, header or cookie parameter: its value keys into `schema`,
/// `collectionFormat` into `style`/`explode`.
fn simple_parameter(parameter: Value) -> Value {
    let Value::Mapping(mut parameter) = parameter else { return parameter };
    if parameter.contains_key("$ref") {
        return Value::Mapping(parameter);
    }
    let location = parameter.get("in").and_then(Value::as_str).unwrap_or("query").to_owned();
    let collection_format = parameter.remove("collectionFormat");
    let is_array = parameter.get("type").and_then(Value::as_str) == Some("array");
    let schema_value = value_schema(&mut parameter);
    parameter.remove("allowEmptyValue");
    parameter.insert("schema".into(), schema_value);
    if is_array {
        let (style, explode) = array_style(collection_format.as_ref().and_then(Value::as_str), &location);
        parameter.insert("style".into(), style.into());
        parameter.insert("explode".into(), Value::Bool(explode));
    }
    Value::Mapping(parameter)
}

/// OpenAPI 3.0's `style` and `explode` for a 2.0 `collectionFormat` (csv unless said).
fn array_style(collection_format: Option<&str>, location: &str) -> (&'static str, bool) {
    match (collection_format.unwrap_or("csv"), location) {
        ("multi", _) => ("form", true),
        ("ssv", "query") => ("spaceDelimited", false),
        ("pipes", "query") => ("pipeDelimited", false),
        (_, "query" | "cookie") => ("form", false),
        // csv (and tsv, which 3.0 cannot say) in a path or header.
        _ => ("simple", false),
    }
}

/// Moves the value keys of a parameter, header or `items` into a schema.
fn value_schema(holder: &mut Mapping) -> Value {
    let mut schema_map = Mapping::new();
    for key in VALUE_KEYS {
        if let Some(mut value) = holder.remove(*key) {
            if *key == "items"
                && let Value::Mapping(items) = &mut value
            {
                items.remove("collectionFormat");
                value = value_schema(items);
            }
            schema_map.insert((*key).into(), value);
        }
    }
    let mut schema_value = Value::Mapping(schema_map);
    schema(&mut schema_value);
    schema_value
}

/// A response: its `schema` and `examples` into content per produced type,
/// its headers' types into schemas.
fn response(response: &mut Value, produces: &[String]) {
    let Value::Mapping(map) = response else { return };
    if map.contains_key("$ref") {
        return;
    }
    let examples = map.remove("examples");
    if let Some(mut schema_value) = map.remove("schema") {
        schema(&mut schema_value);
        let types = if produces.is_empty() { vec!["application/json".to_owned()] } else { produces.to_vec() };
        map.insert("content".into(), content(&types, &schema_value, examples.as_ref()));
    }
    if let Some(Value::Mapping(headers)) = map.get_mut("headers") {
        for header in headers.values_mut() {
            if let Value::Mapping(header) = header {
                let schema_value = value_schema(header);
                header.remove("collectionFormat");
                header.insert("schema".into(), schema_value);
            }
        }
    }
    if !map.contains_key("description") {
        map.insert("description".into(), "".into());
    }
}

/// `{type: {schema, example}}` for each media type; `examples` are 2.0's
/// per-media-type examples.
fn content(types: &[String], schema_value: &Value, examples: Option<&Value>) -> Value {
    let mut content = Mapping::new();
    for media in types {
        let mut entry = Mapping::new();
        entry.insert("schema".into(), schema_value.clone());
        if let Some(example) = examples.and_then(|examples| examples.get(media.as_str())) {
            entry.insert("example".into(), example.clone());
        }
        content.insert(media.clone().into(), Value::Mapping(entry));
    }
    Value::Mapping(content)
}

/// A 2.0 schema in place: `x-nullable`, `type: file`, a string `discriminator`;
/// then everything under it.
fn schema(value: &mut Value) {
    let Value::Mapping(map) = value else { return };
    if let Some(nullable) = map.remove("x-nullable") {
        map.insert("nullable".into(), nullable);
    }
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".into(), "string".into());
        map.insert("format".into(), "binary".into());
    }
    if let Some(Value::String(property)) = map.get("discriminator").cloned() {
        let mut discriminator = Mapping::new();
        discriminator.insert("propertyName".into(), property.into());
        map.insert("discriminator".into(), Value::Mapping(discriminator));
    }
    normalize::subschemas_mut(map, schema);
}

/// `basic` → HTTP basic; `apiKey` as it is; `oauth2`'s one flow → its 3.0 flows object.
fn security_scheme(scheme: Value) -> Value {
    let Value::Mapping(mut scheme) = scheme else { return scheme };
    match scheme.get("type").and_then(Value::as_str) {
        Some("basic") => {
            scheme.insert("type".into(), "http".into());
            scheme.insert("scheme".into(), "basic".into());
        }
        Some("oauth2") => {
            let flow = scheme.remove("flow").and_then(|flow| flow.as_str().map(str::to_owned)).unwrap_or_default();
            let name = match flow.as_str() {
                "implicit" => "implicit",
                "password" => "password",
                "application" => "clientCredentials",
                _ => "authorizationCode",
            };
            let mut details = Mapping::new();
            for key in ["authorizationUrl", "tokenUrl", "scopes"] {
                if let Some(value) = scheme.remove(key) {
                    details.insert(key.into(), value);
                }
            }
            if !details.contains_key("scopes") {
                details.insert("scopes".into(), Value::Mapping(Mapping::new()));
            }
            let mut flows = Mapping::new();
            flows.insert(name.into(), Value::Mapping(details));
            scheme.insert("flows".into(), Value::Mapping(flows));
        }
        _ => {}
    }
    Value::Mapping(scheme)
}

/// Every `$ref` into a 2.0 section, pointed at its `components` section (a body
/// parameter's at `requestBodies`).
fn rewrite_refs(value: &mut Value, parameters: &Mapping) {
    match value {
        Value::Mapping(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                *reference = upgraded_ref(reference, parameters);
            }
            for (key, child) in map.iter_mut() {
                // Examples are data (`default` is also the default response: followed).
                if !matches!(key.as_str(), Some("example" | "examples")) {
                    rewrite_refs(child, parameters);
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|item| rewrite_refs(item, parameters)),
        _ => {}
    }
}

fn upgraded_ref(reference: &str, parameters: &Mapping) -> String {
    if let Some(rest) = reference.strip_prefix("#/definitions/") {
        return format!("#/components/schemas/{rest}");
    }
    if let Some(rest) = reference.strip_prefix("#/responses/") {
        return format!("#/components/responses/{rest}");
    }
    if let Some(name) = reference.strip_prefix("#/parameters/") {
        let is_body =
            parameters.get(name).and_then(|parameter| parameter.get("in")).and_then(Value::as_str) == Some("body");
        let section = if is_body { "requestBodies" } else { "parameters" };
        return format!("#/components/{section}/{name}");
    }
    reference.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upgraded(yaml: &str) -> Value {
        let mut document: Value = yaml_serde::from_str(yaml).unwrap();
        upgrade(&mut document).unwrap();
        document
    }

    fn yaml(text: &str) -> Value {
        yaml_serde::from_str(text).unwrap()
    }

    const PETS: &str = "\
swagger: '2.0'
info: {title: Pets, version: '1'}
host: api.example.com
basePath: /v2
schemes: [http, https]
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  key: {type: apiKey, name: X-Key, in: header}
  login: {type: basic}
  oauth: {type: oauth2, flow: application, tokenUrl: 'https://id.example.com/token', scopes: {read: Read}}
parameters:
  limit: {name: limit, in: query, type: integer}
  pet: {name: pet, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}
responses:
  NotFound: {description: No such pet, schema: {$ref: '#/definitions/Error'}}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - $ref: '#/parameters/limit'
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}
        - {name: ids, in: query, type: array, items: {type: integer}}
      responses:
        '200':
          description: OK
          schema: {type: array, items: {$ref: '#/definitions/Pet'}}
          headers: {X-Total: {type: integer}}
    post:
      operationId: addPet
      parameters: [{$ref: '#/parameters/pet'}]
      responses: {'201': {description: Created}, '404': {$ref: '#/responses/NotFound'}}
  /pets/{id}/photo:
    parameters: [{name: id, in: path, required: true, type: string}]
    post:
      operationId: uploadPhoto
      consumes: [multipart/form-data]
      parameters:
        - {name: file, in: formData, type: file, required: true, description: The photo.}
        - {name: caption, in: formData, type: string}
      responses: {'204': {description: Stored}}
definitions:
  Pet:
    type: object
    discriminator: kind
    properties:
      kind: {type: string}
      owner: {type: string, x-nullable: true}
  Error: {type: object, properties: {message: {type: string}}}
";

    #[test]
    fn errors_point_at_the_places_of_the_document_as_written() {
        let original = |pointer: &str| original_pointer(&Pointer::from_escaped(pointer.to_owned())).to_string();
        assert_eq!(original("/components/schemas/Pet/properties/id"), "/definitions/Pet/properties/id");
        assert_eq!(original("/components/securitySchemes/key"), "/securityDefinitions/key");
        assert_eq!(
            original("/components/responses/NotFound/content/application~1json/schema"),
            "/responses/NotFound/schema"
        );
        assert_eq!(
            original("/components/requestBodies/pet/content/application~1json/schema"),
            "/parameters/pet/schema"
        );
        assert_eq!(
            original("/paths/~1pets/post/requestBody/content/application~1json/schema"),
            "/paths/~1pets/post/parameters"
        );
        assert_eq!(
            original("/paths/~1pets/get/responses/200/content/application~1json/schema/items"),
            "/paths/~1pets/get/responses/200/schema/items"
        );
        assert_eq!(original("/paths/~1pets/get/operationId"), "/paths/~1pets/get/operationId");
    }

    #[test]
    fn servers_components_and_references_take_their_3_0_places() {
        let document = upgraded(PETS);
        assert_eq!(document["openapi"], "3.0.3");
        assert_eq!(
            document["servers"],
            yaml("[{url: 'https://api.example.com/v2'}, {url: 'http://api.example.com/v2'}]")
        );
        let components = &document["components"];
        assert_eq!(components["schemas"]["Pet"]["discriminator"], yaml("{propertyName: kind}"));
        assert_eq!(components["schemas"]["Pet"]["properties"]["owner"], yaml("{type: string, nullable: true}"));
        assert_eq!(components["parameters"]["limit"], yaml("{name: limit, in: query, schema: {type: integer}}"));
        assert_eq!(
            components["requestBodies"]["pet"],
            yaml("{required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}")
        );
        assert_eq!(components["securitySchemes"]["login"], yaml("{type: http, scheme: basic}"));
        assert_eq!(
            components["securitySchemes"]["oauth"]["flows"]["clientCredentials"]["tokenUrl"],
            "https://id.example.com/token"
        );
        let post = &document["paths"]["/pets"]["post"];
        assert_eq!(post["requestBody"], yaml("{$ref: '#/components/requestBodies/pet'}"));
        assert_eq!(post["responses"]["404"], yaml("{$ref: '#/components/responses/NotFound'}"));
    }

    #[test]
    fn parameters_responses_and_form_data_take_their_3_0_shapes() {
        let document = upgraded(PETS);
        let list = &document["paths"]["/pets"]["get"];
        assert_eq!(list["parameters"][0], yaml("{$ref: '#/components/parameters/limit'}"));
        assert_eq!(
            list["parameters"][1],
            yaml("{name: tags, in: query, schema: {type: array, items: {type: string}}, style: form, explode: true}")
        );
        assert_eq!(list["parameters"][2]["explode"], Value::Bool(false));
        assert_eq!(
            list["responses"]["200"]["content"]["application/json"]["schema"],
            yaml("{type: array, items: {$ref: '#/components/schemas/Pet'}}")
        );
        assert_eq!(list["responses"]["200"]["headers"]["X-Total"], yaml("{schema: {type: integer}}"));
        let upload = &document["paths"]["/pets/{id}/photo"];
        assert_eq!(upload["parameters"][0], yaml("{name: id, in: path, required: true, schema: {type: string}}"));
        assert_eq!(
            upload["post"]["requestBody"]["content"]["multipart/form-data"]["schema"],
            yaml(
                "{type: object, properties: {file: {type: string, format: binary, description: The photo.}, caption: {type: string}}, required: [file]}"
            )
        );
    }
}
