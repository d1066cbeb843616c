//! The same API written in OpenAPI 3.0 and in 3.1 or Swagger 2.0
//! (`tests/specs/versions/`) gives the same crate: the same API surface and the
//! same code, only the front page naming the version it was written in. The 3.0
//! renderings are snapshot-tested, so this holds the other versions to them.

use secgen_codegen::{ApiConfig, GeneratedCrate, Surface, SurfaceDiff, generate};

fn generated(file: &str) -> GeneratedCrate {
    let path = format!("{}/tests/specs/versions/{file}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("spec");
    let config: ApiConfig = yaml_serde::from_str("crate_name: versions\nversion: 0.1.0\ndescription: Test\n").unwrap();
    generate(file, &bytes, &config).unwrap_or_else(|error| panic!("{error}"))
}

/// Every file but the front page (`lib.rs`) and the provenance lines.
fn code(generated: &GeneratedCrate) -> Vec<(String, String)> {
    generated
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("src/") && *path != "src/lib.rs")
        .map(|(path, contents)| (path.clone(), contents.split_once('\n').map_or("", |(_, rest)| rest).to_owned()))
        .collect()
}

fn assert_same_api(base: &str, other: &str, format: &str) {
    let (base, other_crate) = (generated(base), generated(other));
    assert_eq!(other_crate.surface.operations, base.surface.operations, "{other}: operations");
    assert_eq!(other_crate.surface.types, base.surface.types, "{other}: types");
    assert_eq!(code(&other_crate), code(&base), "{other}: generated code");
    assert_eq!(other_crate.surface.source_format, format);
    // What `cargo xtask diff` shows a vendor that moved its spec to another version.
    let surface_file = |generated: &GeneratedCrate| Surface::parse(&generated.files["api-surface.txt"]).unwrap();
    let diff = SurfaceDiff::between(&surface_file(&base), &surface_file(&other_crate));
    assert_eq!(diff.render(), "No change to the API surface.\n", "{other}");
    assert!(other_crate.files["src/lib.rs"].contains(&format!("written in {format}")));
    assert!(other_crate.files["api-surface.txt"].contains(&format!("\n# spec: {format}\n")));
}

#[test]
fn a_3_1_spec_gives_the_api_of_its_3_0_rendering() {
    assert_same_api("schemas.3.0.yaml", "schemas.3.1.yaml", "OpenAPI 3.1.0");
}

#[test]
fn a_swagger_2_spec_gives_the_api_of_its_3_0_rendering() {
    assert_same_api("pets.3.0.yaml", "pets.2.0.yaml", "Swagger 2.0");
}

#[test]
fn webhooks_are_listed_with_no_client_method() {
    let crate_31 = generated("schemas.3.1.yaml");
    assert_eq!(crate_31.surface.webhooks, ["thingChanged: POST"]);
    assert!(crate_31.files["api-surface.txt"].contains("# webhook (no client method) thingChanged: POST\n"));
    assert!(crate_31.files["src/lib.rs"].contains("`thingChanged: POST`"));
    assert!(crate_31.files["src/lib.rs"].contains("The same API in 3.1."), "info.summary joins the description");
}

#[test]
fn the_3_0_renderings_are_snapshots() {
    for file in ["schemas.3.0.yaml", "pets.3.0.yaml"] {
        let text: String =
            code(&generated(file)).into_iter().map(|(path, code)| format!("// ---- {path} ----\n{code}")).collect();
        insta::assert_snapshot!(file.replace('.', "_"), text);
    }
}
