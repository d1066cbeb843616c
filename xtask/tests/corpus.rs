//! The real-world corpus, installed from the npm registry by
//! `scripts/install-corpus.sh` (which `cargo xtask test` runs first): every
//! OpenAPI 3.0 example of `@readme/oas-examples` and GitHub's REST spec from
//! `@octokit/openapi` (1,000+ operations, every component schema) generate code
//! that compiles without warnings, in one scratch `cargo check`. The package's
//! Swagger 2.0 and OpenAPI 3.1 examples are refused with an error that says so.

use std::path::PathBuf;

use xtask::corpus::{self, Entry};
use xtask::scratch::Outcome;

fn installed(relative: &str) -> PathBuf {
    let path = corpus::installed_dir().join(relative);
    assert!(path.exists(), "{} is missing: run scripts/install-corpus.sh", path.display());
    path
}

fn describe(entry: &Entry) -> String {
    format!("{}: {:?}", entry.path.display(), entry.outcome)
}

#[test]
fn every_openapi_3_0_example_and_the_github_spec_compile() {
    let paths = [installed("@readme/oas-examples/3.0"), installed("@octokit/openapi/generated/api.github.com.json")];
    let entries = corpus::run("corpus-3.0", &paths, &corpus::default_config()).unwrap();
    assert!(entries.len() > 90, "the 3.0 examples (JSON and YAML) and GitHub: {}", entries.len());
    assert!(entries.iter().all(Entry::must_compile), "all of them are OpenAPI 3.0");
    let failed: Vec<String> = entries.iter().filter(|entry| entry.failed()).map(describe).collect();
    assert!(failed.is_empty(), "{} of {} did not compile:\n{}", failed.len(), entries.len(), failed.join("\n"));
}

#[test]
fn swagger_2_and_openapi_3_1_examples_are_refused_by_name() {
    let paths = [installed("@readme/oas-examples/2.0"), installed("@readme/oas-examples/3.1")];
    let entries = corpus::run("corpus-other-versions", &paths, &corpus::default_config()).unwrap();
    assert!(entries.len() > 20, "{}", entries.len());
    for entry in &entries {
        let Outcome::NotGenerated(error) = &entry.outcome else { panic!("{}", describe(entry)) };
        let expected = if entry.path.to_string_lossy().contains("/2.0/") {
            "Swagger 2.0 documents are not supported"
        } else {
            "OpenAPI 3.1"
        };
        assert!(error.contains(expected), "{}", describe(entry));
        assert!(error.starts_with(&entry.path.display().to_string()), "names the file: {error}");
    }
}
