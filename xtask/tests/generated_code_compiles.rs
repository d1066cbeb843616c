//! Generated code compiles without warnings: every construct spec of the
//! generator's tests, and all 29 dated versions of the real Sophos Factory spec
//! (2020–2023, from `../shared/specs/sophos-factory/history`).

use std::fs;

use secgen_codegen::ApiConfig;
use xtask::scratch::{self, Candidate, Outcome};
use xtask::{apis, workspace};

fn construct_candidates() -> Vec<Candidate> {
    let dir = workspace::root().join("codegen/tests/specs");
    let mut candidates: Vec<Candidate> = fs::read_dir(&dir)
        .expect("construct specs")
        .map(|entry| entry.unwrap().path())
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().replace('_', "-");
            let config: ApiConfig = serde_yaml::from_str(&format!(
                "crate_name: x\nversion: 0.1.0\ndescription: x\n\
                 pagination: {{style: limit_offset, limit: limit, offset: offset, default_page_size: 50}}\n\
                 partial_updates: {{operation_id_prefixes: [update]}}\n"
            ))
            .unwrap();
            Candidate {
                label: format!("construct-{stem}"),
                file_name: path.display().to_string(),
                bytes: fs::read(&path).unwrap(),
                config,
            }
        })
        .collect();
    candidates.sort_by(|a, b| a.label.cmp(&b.label));
    candidates
}

fn history_candidates() -> Vec<Candidate> {
    let shared = scratch::shared_specs().expect("set SPEC_MIRROR or put ../shared beside the workspace");
    let factory = apis::selected(Some("sophos-factory")).unwrap().remove(0);
    let mut paths: Vec<_> =
        fs::read_dir(shared.join("sophos-factory/history")).unwrap().map(|entry| entry.unwrap().path()).collect();
    paths.sort();
    assert_eq!(paths.len(), 29, "the 29 dated Factory specs");
    paths
        .into_iter()
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            Candidate {
                label: format!("factory-{stem}"),
                file_name: format!("sophos-factory/history/{stem}.json"),
                bytes: fs::read(&path).unwrap(),
                config: factory.config.clone(),
            }
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
