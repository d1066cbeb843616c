//! Broken specs give one clear error: the file, the JSON pointer, the cause.

use secgen_codegen::{ApiConfig, Error, generate};

fn config() -> ApiConfig {
    serde_yaml::from_str("crate_name: broken\nversion: 0.1.0\ndescription: Broken\n").unwrap()
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
