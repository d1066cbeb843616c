//! Generated code compiles without warnings: every construct spec of the
//! generator's tests, and all 29 dated versions of the real Sophos Factory spec
//! (2020–2023, from `../shared/specs/sophos-factory/history`).

use std::fs;

use secgen_codegen::ApiConfig;
use xtask::scratch::{self, Candidate, Outcome};
use xtask::{apis, workspace};

/// The generator's construct specs, each with its `<name>.config.yaml` if it has one.
fn construct_candidates() -> Vec<Candidate> {
    let dir = workspace::root().join("codegen/tests/specs");
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .expect("construct specs")
        .map(|entry| entry.unwrap().path())
        // `versions/` holds the same APIs in other OpenAPI versions (codegen's version tests).
        .filter(|path| path.is_file() && !path.to_string_lossy().ends_with(".config.yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let yaml = fs::read_to_string(dir.join(format!("{stem}.config.yaml")))
                .unwrap_or_else(|_| "crate_name: x\nversion: 0.1.0\ndescription: x\n".to_owned());
            let config: ApiConfig = yaml_serde::from_str(&yaml).unwrap();
            let label = format!("construct-{}", stem.replace('_', "-"));
            Candidate { label, file_name: path.display().to_string(), bytes: fs::read(&path).unwrap(), config }
        })
        .collect()
}

fn history_candidates() -> Vec<Candidate> {
    let factory = apis::selected(Some("sophos-factory")).unwrap().remove(0);
    let history = scratch::factory_history().unwrap();
    assert_eq!(history.len(), 29, "the 29 dated Factory specs");
    history
        .into_iter()
        .map(|(label, bytes)| Candidate {
            label: format!("factory-{label}"),
            file_name: format!("sophos-factory/history/{label}.json"),
            bytes,
            config: factory.config.clone(),
        })
        .collect()
}

#[test]
fn constructs_and_every_historical_factory_spec_compile_without_warnings() {
    let candidates: Vec<Candidate> = construct_candidates().into_iter().chain(history_candidates()).collect();
    let count = candidates.len();
    let outcomes = scratch::check("compiles", candidates).unwrap();
    let failures: Vec<String> = outcomes
        .iter()
        .filter(|(_, outcome)| **outcome != Outcome::Compiled)
        .map(|(label, outcome)| format!("{label}: {outcome:?}"))
        .collect();
    assert_eq!(outcomes.len(), count);
    assert!(failures.is_empty(), "{} of {count} specs failed:\n{}", failures.len(), failures.join("\n"));
}

/// A crate with one feature per tag compiles, without warnings, with each
/// feature alone, with none, and with only its fake: every type a tag's
/// operations need is compiled under its feature.
#[test]
fn each_feature_of_a_generated_crate_compiles_alone() {
    let target = workspace::root().join("target").join("scratch-target");
    for api in apis::all().unwrap().into_iter().filter(|api| api.config.features_per_tag) {
        let manifest =
            fs::read_to_string(workspace::root().join("generated").join(&api.name).join("Cargo.toml")).unwrap();
        let features: Vec<&str> = manifest
            .split_once("\n[features]\n")
            .map(|(_, section)| section.lines().filter_map(|line| line.strip_suffix(" = []")).collect())
            .unwrap_or_default();
        assert!(features.len() > 1, "{}: no features in its Cargo.toml", api.name);
        for feature in features.into_iter().chain(["", "fake"]) {
            let output = std::process::Command::new(env!("CARGO"))
                .args([
                    "check",
                    "--quiet",
                    "-p",
                    &api.config.crate_name,
                    "--no-default-features",
                    "--features",
                    feature,
                ])
                .current_dir(workspace::root())
                .env("CARGO_TARGET_DIR", &target)
                .env("RUSTFLAGS", "-D warnings")
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "{} with only `{feature}`:\n{stderr}", api.name);
        }
    }
}
