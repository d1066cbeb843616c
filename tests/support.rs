//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// `../shared/fixtures/<vendor>/<file>` beside the workspace: public vendor
/// response bodies, read in place and never copied into the repository.
pub fn fixture(vendor: &str, file: &str) -> String {
    let path = shared().join("fixtures").join(vendor).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The `../shared` folder beside the workspace.
pub fn shared() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf();
    root.parent().expect("the workspace has a parent").join("shared")
}
