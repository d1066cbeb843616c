//! Snapshots of generated code, one purpose-written spec per construct
//! (`tests/specs/*.yaml`). `cargo insta review` shows and accepts changes.
//!
//! That these outputs also compile is checked by xtask's compile test.

use secgen_codegen::{ApiConfig, generate};

/// The construct's config: `<name>.config.yaml` beside the spec, else defaults.
fn config(name: &str) -> ApiConfig {
    let sidecar = format!("{}/tests/specs/{name}.config.yaml", env!("CARGO_MANIFEST_DIR"));
    let yaml = std::fs::read_to_string(sidecar)
        .unwrap_or_else(|_| format!("crate_name: {}\nversion: 0.1.0\ndescription: Test\n", name.replace('_', "-")));
    yaml_serde::from_str(&yaml).expect("test config")
}

/// The files that carry the construct (types and operations), one after another.
fn generated_code(name: &str) -> String {
    let path = format!("{}/tests/specs/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("spec");
    let generated = generate(&format!("{name}.yaml"), &bytes, &config(name)).unwrap_or_else(|error| panic!("{error}"));
    generated
        .files
        .iter()
        .filter(|(path, _)| {
            (path.starts_with("src/types/") || path.starts_with("src/operations/")) && !path.ends_with("mod.rs")
        })
        .map(|(path, contents)| {
            // The first line names the spec hash; the snapshot shows the code.
            let code = contents.split_once('\n').map_or("", |(_, rest)| rest);
            format!("// ---- {path} ----\n{code}")
        })
        .collect()
}

macro_rules! construct {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), generated_code(stringify!($name)));
        }
    )*};
}

construct!(
    read_only,
    nullable,
    partial_update,
    one_of,
    all_of,
    maps,
    recursive,
    enums,
    names,
    array_params,
    multiple_2xx,
    pagination,
    content_types,
    jobs,
    secrets,
    multipart,
    operation_refs,
    recursive_aliases,
    method_names,
);

/// A crate's fake (`src/fake.rs`): each operation's route, success status,
/// default body (built from the schema) and page style, and its typed stub.
#[test]
fn the_fake() {
    for name in ["pagination", "content_types", "multiple_2xx", "examples"] {
        let path = format!("{}/tests/specs/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
        let generated = generate(&format!("{name}.yaml"), &std::fs::read(&path).unwrap(), &config(name)).unwrap();
        let fake = &generated.files["src/fake.rs"];
        let code = fake.split_once('\n').map_or("", |(_, rest)| rest);
        insta::assert_snapshot!(format!("fake_{name}"), code);
    }
}

#[test]
fn output_is_deterministic() {
    for name in ["one_of", "names", "multiple_2xx"] {
        assert_eq!(generated_code(name), generated_code(name), "{name}");
    }
}

#[test]
fn the_crate_scaffold() {
    let bytes = std::fs::read(format!("{}/tests/specs/pagination.yaml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let generated = generate("pagination.yaml", &bytes, &config("pagination")).unwrap();
    let scaffold: String = ["Cargo.toml", "src/lib.rs", "src/client.rs", "src/types/mod.rs", "src/operations/mod.rs"]
        .iter()
        .map(|path| format!("// ---- {path} ----\n{}", generated.files[*path]))
        .collect();
    insta::assert_snapshot!("scaffold", scaffold);
}

/// `features_per_tag`: the features in Cargo.toml and the `#[cfg]`s on the
/// modules; a type shared by two tags is compiled under either, one every tag
/// (or a type no operation uses) needs is always compiled.
#[test]
fn tag_features() {
    let bytes = std::fs::read(format!("{}/tests/specs/tag_features.yaml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let generated = generate("tag_features.yaml", &bytes, &config("tag_features")).unwrap();
    let scaffold: String = ["Cargo.toml", "src/lib.rs", "src/types/mod.rs", "src/operations/mod.rs"]
        .iter()
        .map(|path| format!("// ---- {path} ----\n{}", generated.files[*path]))
        .collect();
    insta::assert_snapshot!("tag_features", scaffold);
}
