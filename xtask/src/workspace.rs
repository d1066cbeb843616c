//! Where things are: the workspace root and its folders.

use std::path::{Path, PathBuf};

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// `specs/`: one folder per API.
pub fn specs_dir() -> PathBuf {
    root().join("specs")
}

/// `generated/`: one crate per API.
pub fn generated_dir() -> PathBuf {
    root().join("generated")
}

/// The git-ignored cache of fetched specs (`SPEC_CACHE` overrides it).
pub fn cache_dir() -> PathBuf {
    match std::env::var_os("SPEC_CACHE").filter(|value| !value.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => root().join(".cache").join("specs"),
    }
}

/// A path relative to the workspace root, for messages.
pub fn display(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}
