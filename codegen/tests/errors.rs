//! Broken specs give one clear error: the file, the JSON pointer, the cause.

use secgen_codegen::{ApiConfig, Error, generate};

fn config() -> ApiConfig {
    yaml_serde::from_str("crate_name: broken\nversion: 0.1.0\ndescription: Broken\n").unwrap()
}

fn error_of(yaml_body: &str) -> Error {
    let spec = format!("openapi: 3.0.3\ninfo: {{title: Broken, version: '1'}}\n{yaml_body}");
    generate("broken.yaml", spec.as_bytes(), &config()).expect_err("the spec is broken")
}

#[test]
fn a_dangling_reference_names_where_it_is_used() {
    let error = error_of(
        "paths: {}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        owner: {$ref: '#/components/schemas/Person'}\n",
    );
    assert_eq!(error.file, "broken.yaml");
    assert_eq!(error.pointer, "/components/schemas/Pet/properties/owner");
    assert!(error.message.contains("`#/components/schemas/Person` points to nothing"), "{error}");
    assert!(error.to_string().starts_with("broken.yaml#/components/schemas/Pet/properties/owner: "), "{error}");
}

#[test]
fn a_reference_cycle_is_an_error_not_a_hang() {
    let error = error_of(
        "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
    );
    assert!(error.message.contains("`$ref` cycle"), "{error}");
    assert!(error.pointer.starts_with("/components/schemas/"), "{error}");
}

#[test]
fn a_cyclic_all_of_is_an_error() {
    let error = error_of(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      allOf: [{$ref: '#/components/schemas/B'}]\n    B:\n      allOf: [{$ref: '#/components/schemas/A'}]\n",
    );
    assert!(error.message.contains("cyclic `allOf`"), "{error}");
    assert_eq!(error.pointer, "/components/schemas/B/allOf/0");
}

#[test]
fn a_recursive_type_is_not_an_error() {
    let spec = "paths: {}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        next: {$ref: '#/components/schemas/Node'}\n";
    let spec = format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\n{spec}");
    let generated = generate("node.yaml", spec.as_bytes(), &config()).unwrap();
    assert!(generated.files["src/types/node.rs"].contains("pub next: Option<Box<Node>>"));
}

#[test]
fn duplicate_operation_ids_are_named() {
    let error = error_of(
        "paths:\n  /a:\n    get: {operationId: fetch, responses: {'200': {description: ok}}}\n  /b:\n    get: {operationId: fetch, responses: {'200': {description: ok}}}\n",
    );
    assert_eq!(error.pointer, "/paths/~1b/get/operationId");
    assert!(error.message.contains("duplicate operationId `fetch`, already used at #/paths/~1a/get"), "{error}");
}

fn error_of_file(file: &str, text: &str) -> Error {
    generate(file, text.as_bytes(), &config()).expect_err("the spec is broken")
}

#[test]
fn invalid_yaml_and_json_say_which_and_where() {
    let yaml = error_of_file("api.yaml", "openapi: 3.0.3\ninfo: [unclosed\n");
    assert_eq!((yaml.file.as_str(), yaml.pointer.as_str()), ("api.yaml", ""));
    assert!(yaml.message.starts_with("not valid YAML: "), "{yaml}");
    assert!(yaml.message.contains("line 2"), "the position in the file: {yaml}");
    let json = error_of_file("api.json", "{\"openapi\": \"3.0.3\",\n \"info\": }");
    assert!(json.message.starts_with("not valid JSON: "), "{json}");
    assert!(json.message.contains("line 2"), "the position in the file: {json}");
}

#[test]
fn unsupported_versions_are_refused_by_name() {
    let swagger =
        error_of_file("petstore.json", r#"{"swagger": "1.2", "info": {"title": "t", "version": "1"}, "paths": {}}"#);
    assert_eq!(swagger.pointer, "/swagger");
    assert!(swagger.message.contains("unsupported Swagger version \"1.2\""), "{swagger}");
    let v4 = error_of_file("train.yaml", "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert_eq!(v4.pointer, "/openapi");
    assert!(v4.message.contains("unsupported OpenAPI version"), "{v4}");
}

#[test]
fn a_document_that_claims_3_1_but_is_broken_names_the_file_pointer_and_cause() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n";
    let error = error_of_file("train.yaml", text);
    assert_eq!(error.file, "train.yaml");
    assert_eq!(error.pointer, "/paths/~1a/get/responses/200/content/application~1json/schema");
    assert!(error.message.contains("points to nothing"), "{error}");
}

#[test]
fn a_broken_swagger_2_document_points_into_the_file_as_written() {
    let swagger = |body: &str| format!("swagger: '2.0'\ninfo: {{title: t, version: '1'}}\n{body}");
    let dangling = swagger(
        "paths: {}\ndefinitions:\n  Pet:\n    type: object\n    properties:\n      owner: {$ref: '#/definitions/Person'}\n",
    );
    let error = error_of_file("pets.yaml", &dangling);
    assert_eq!(error.pointer, "/definitions/Pet/properties/owner", "{error}");
    assert!(error.message.contains("points to nothing"), "{error}");

    let response = swagger(
        "produces: [application/json]\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          schema: {type: array, items: {$ref: '#/definitions/Missing'}}\n",
    );
    let error = error_of_file("pets.yaml", &response);
    assert_eq!(error.pointer, "/paths/~1pets/get/responses/200/schema/items", "{error}");
}

#[test]
fn a_parameter_without_schema_or_content_is_named() {
    let error = error_of(
        "paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - {name: q, in: query}\n      responses: {'200': {description: ok}}\n",
    );
    assert_eq!(error.pointer, "/paths/~1a/get/parameters/0");
    assert_eq!(error.message, "a parameter needs a `schema` or a `content`, and this one has neither");
}

#[test]
fn references_into_nothing_outside_components_are_named() {
    let path_item = error_of("paths:\n  /b:\n    $ref: '#/paths/~1missing'\n");
    assert_eq!(path_item.pointer, "/paths/~1b");
    assert!(path_item.message.contains("path item `$ref` `#/paths/~1missing` points to nothing"), "{path_item}");
    let schema = error_of(
        "paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/paths/~1a/post/requestBody'}\n",
    );
    assert_eq!(schema.pointer, "/paths/~1a/get/responses/200/content/application~1json/schema");
    assert!(schema.message.contains("`#/paths/~1a/post/requestBody`"), "{schema}");
}
