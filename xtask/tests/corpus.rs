//! The real-world corpus, installed from the npm registry by
//! `scripts/install-corpus.sh` (which `cargo xtask test` runs first): every
//! OpenAPI 3.0 example of `@readme/oas-examples` and GitHub's REST spec from
//! `@octokit/openapi` (1,000+ operations, every component schema) generate code
//! that compiles without warnings, in one scratch `cargo check`, and so do the
//! package's Swagger 2.0 and OpenAPI 3.1 examples (converted into 3.0 form).

use std::path::PathBuf;

use xtask::corpus::{self, Entry};

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
fn every_swagger_2_and_openapi_3_1_example_compiles() {
    let paths = [installed("@readme/oas-examples/2.0"), installed("@readme/oas-examples/3.1")];
    let entries = corpus::run("corpus-other-versions", &paths, &corpus::default_config()).unwrap();
    assert!(entries.len() > 20, "{}", entries.len());
    assert!(entries.iter().all(Entry::must_compile), "all of them are 2.0 or 3.1");
    let failed: Vec<String> = entries.iter().filter(|entry| entry.failed()).map(describe).collect();
    assert!(failed.is_empty(), "{} of {} did not compile:\n{}", failed.len(), entries.len(), failed.join("\n"));
}
