//! Mutated real specs: whatever the mutation, the generator returns an error or
//! a crate, never panics, and a crate it returns is the same crate every time.
//!
//! The specs are the workspace's hand-written ones and the real Sophos Factory
//! spec (from `SPEC_MIRROR` or `../shared/specs`), and, for the other versions
//! the generator reads, Cloud SOAR's declared 3.1 and `tests/specs/versions/pets.2.0.yaml`. A mutation deletes a node,
//! replaces it with another kind of value, renames a key, points a `$ref`
//! elsewhere, or cuts the text short.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::OnceLock;

use proptest::prelude::*;
use secgen_codegen::{ApiConfig, generate};
use serde_json::Value;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// (file name, document, config) for each real spec.
fn specs() -> &'static [(String, Value, ApiConfig)] {
    static SPECS: OnceLock<Vec<(String, Value, ApiConfig)>> = OnceLock::new();
    SPECS.get_or_init(|| {
        let shared = std::env::var_os("SPEC_MIRROR")
            .map(|mirror| workspace().join(mirror))
            .unwrap_or_else(|| workspace().join("../shared/specs"));
        let factory = shared.join("sophos-factory/api.json");
        let mut specs = Vec::new();
        for api in ["sophos-central", "cisco-amp", "cloud-soar", "sophos-factory"] {
            let api_file: yaml_serde::Value =
                yaml_serde::from_slice(&std::fs::read(workspace().join(format!("specs/{api}/api.yaml"))).unwrap())
                    .unwrap();
            let config: ApiConfig = yaml_serde::from_value(api_file["generate"].clone()).unwrap();
            let path = if api == "sophos-factory" {
                factory.clone()
            } else {
                workspace().join(format!("specs/{api}/spec.yaml"))
            };
            let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            let document: Value = yaml_serde::from_slice(&bytes).unwrap();
            specs.push((format!("{api}.json"), document, config));
        }
        // The other versions the generator reads: Cloud SOAR's spec declared 3.1,
        // and the Swagger 2.0 document of the version tests.
        let (_, soar, soar_config) = specs[2].clone();
        let mut soar_31 = soar;
        soar_31["openapi"] = Value::from("3.1.0");
        specs.push(("cloud-soar-3.1.json".to_owned(), soar_31, soar_config));
        let swagger_path = workspace().join("codegen/tests/specs/versions/pets.2.0.yaml");
        let swagger: Value = yaml_serde::from_slice(&std::fs::read(swagger_path).unwrap()).unwrap();
        let config: ApiConfig = yaml_serde::from_str("crate_name: pets\nversion: 0.1.0\ndescription: Pets\n").unwrap();
        specs.push(("pets-2.0.json".to_owned(), swagger, config));
        specs
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Replace(usize, Value),
    RenameKey(usize, String),
    Retarget(usize, String),
}

fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[a-z{}/#~ ]{0,12}".prop_map(Value::String),
        Just(Value::Array(vec![])),
        Just(serde_json::json!({})),
        Just(serde_json::json!({"type": "object", "properties": {"x": {"type": "wat"}}})),
        Just(serde_json::json!({"allOf": [{"$ref": "#/components/schemas/Nope"}]})),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), any_value()).prop_map(|(at, value)| Mutation::Replace(at, value)),
        (any::<usize>(), "[a-zA-Z$/{}]{1,10}").prop_map(|(at, key)| Mutation::RenameKey(at, key)),
        (
            any::<usize>(),
            prop_oneof![
                Just("#/components/schemas/".to_owned()),
                Just("#/paths".to_owned()),
                Just("#".to_owned()),
                "#/components/[a-z]{1,8}/[A-Za-z]{1,8}",
            ]
        )
            .prop_map(|(at, target)| Mutation::Retarget(at, target)),
    ]
}

/// Every node's JSON pointer, in document order.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_at = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(child_at.clone());
                pointers(child, child_at, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let child_at = format!("{at}/{index}");
                out.push(child_at.clone());
                pointers(child, child_at, out);
            }
        }
        _ => {}
    }
}

fn apply(document: &mut Value, mutation: &Mutation) {
    let mut all = Vec::new();
    pointers(document, String::new(), &mut all);
    let refs: Vec<&String> = all.iter().filter(|pointer| pointer.ends_with("/$ref")).collect();
    let chosen = match mutation {
        Mutation::Retarget(at, _) if !refs.is_empty() => refs[at % refs.len()],
        Mutation::Delete(at) | Mutation::Replace(at, _) | Mutation::RenameKey(at, _) | Mutation::Retarget(at, _) => {
            &all[at % all.len()]
        }
    };
    let (parent, key) = chosen.rsplit_once('/').unwrap();
    let (parent, key) = (parent.to_owned(), key.replace("~1", "/").replace("~0", "~"));
    let Some(container) = document.pointer_mut(&parent) else { return };
    match (container, mutation) {
        (Value::Object(map), Mutation::Delete(_)) => _ = map.remove(&key),
        (Value::Array(items), Mutation::Delete(_)) => _ = items.remove(key.parse::<usize>().unwrap()),
        (Value::Object(map), Mutation::Replace(_, value)) => _ = map.insert(key, value.clone()),
        (Value::Array(items), Mutation::Replace(_, value)) => items[key.parse::<usize>().unwrap()] = value.clone(),
        (Value::Object(map), Mutation::RenameKey(_, new_key)) => {
            if let Some(value) = map.remove(&key) {
                map.insert(new_key.clone(), value);
            }
        }
        (Value::Object(map), Mutation::Retarget(_, target)) => _ = map.insert(key, Value::String(target.clone())),
        _ => {}
    }
}

/// Generates twice; panics (failing the case) on a panic or two different crates.
fn generate_checked(file: &str, bytes: &[u8], config: &ApiConfig) {
    let first = catch_unwind(AssertUnwindSafe(|| generate(file, bytes, config)));
    let Ok(first) = first else { panic!("the generator panicked") };
    if let Ok(first) = first {
        let again = generate(file, bytes, config).expect("the same input succeeds again");
        assert!(first.files == again.files, "the same input gave two different crates");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_specs_never_panic_and_generate_deterministically(
        spec in 0..6usize,
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let (file, document, config) = &specs()[spec];
        let mut document = document.clone();
        for mutation in &mutations {
            apply(&mut document, mutation);
        }
        generate_checked(file, &serde_json::to_vec(&document).unwrap(), config);
    }

    #[test]
    fn truncated_specs_never_panic(spec in 0..6usize, keep in 0.0..1.0f64) {
        let (file, document, config) = &specs()[spec];
        let bytes = serde_json::to_vec_pretty(document).unwrap();
        let cut = (bytes.len() as f64 * keep) as usize;
        generate_checked(file, &bytes[..cut], config);
    }
}
