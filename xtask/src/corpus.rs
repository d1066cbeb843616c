//! `cargo xtask corpus <DIR|FILE>...`: does every spec of a corpus generate code
//! that compiles? Each spec (`.json`, `.yaml`, `.yml`, folders searched
//! recursively) is generated with a default config into a scratch crate, and all
//! of them are checked by one `cargo check` (see [`crate::scratch`]).
//!
//! Documents of a version the generator reads (OpenAPI 3.0 and 3.1, Swagger 2.0)
//! must compile; any other is listed with the generator's error.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use secgen_codegen::ApiConfig;

use crate::scratch::{self, Candidate, Outcome};

/// One spec of the corpus and what happened to it.
pub struct Entry {
    pub path: PathBuf,
    /// The document's `openapi` (or `swagger`) version, if it says one.
    pub version: Option<String>,
    pub outcome: Outcome,
}

impl Entry {
    /// Whether this spec must generate compiling code: OpenAPI 3.0 or 3.1, or Swagger 2.0.
    pub fn must_compile(&self) -> bool {
        self.version
            .as_deref()
            .is_some_and(|version| version.starts_with("3.0") || version.starts_with("3.1") || version == "swagger 2.0")
    }

    /// A failure that counts: a supported document that did not generate or compile.
    pub fn failed(&self) -> bool {
        self.must_compile() && self.outcome != Outcome::Compiled
    }
}

/// Installs the corpus (pinned npm packages) unless it is there already.
pub fn install() -> Result<()> {
    let script = crate::workspace::root().join("scripts/install-corpus.sh");
    let status =
        std::process::Command::new("bash").arg(&script).status().context("running scripts/install-corpus.sh")?;
    if !status.success() {
        anyhow::bail!("scripts/install-corpus.sh failed");
    }
    Ok(())
}

/// The corpus `scripts/install-corpus.sh` installs.
pub fn installed_dir() -> PathBuf {
    crate::workspace::root().join(".cache/corpus/node_modules")
}

/// Every spec file under `paths`, sorted.
pub fn spec_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect_dir(path, &mut files).with_context(|| format!("reading {}", path.display()))?;
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            anyhow::bail!("{}: no such file or folder", path.display());
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn collect_dir(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_dir(&path, files)?;
        } else if is_spec_file(&path) {
            files.push(path);
        }
    }
    Ok(())
}

fn is_spec_file(path: &Path) -> bool {
    matches!(path.extension().and_then(|extension| extension.to_str()), Some("json" | "yaml" | "yml"))
}

/// Generates and checks every spec under `paths` with `config`, in the scratch
/// workspace `target/scratch/<set>`.
pub fn run(set: &str, paths: &[PathBuf], config: &ApiConfig) -> Result<Vec<Entry>> {
    let files = spec_files(paths)?;
    let mut candidates = Vec::new();
    let mut versions = Vec::new();
    for (index, path) in files.iter().enumerate() {
        let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        versions.push(secgen_codegen::declared_version(&path.to_string_lossy(), &bytes));
        candidates.push(Candidate {
            label: label(index, path),
            file_name: path.display().to_string(),
            bytes,
            config: config.clone(),
        });
    }
    let labels: Vec<String> = candidates.iter().map(|candidate| candidate.label.clone()).collect();
    let mut outcomes = scratch::check(set, candidates)?;
    Ok(files
        .into_iter()
        .zip(versions)
        .zip(labels)
        .map(|((path, version), label)| Entry {
            path,
            version,
            outcome: outcomes.remove(&label).expect("every candidate has an outcome"),
        })
        .collect())
}

/// A unique crate folder name: the index keeps names apart, the file stem keeps them readable.
fn label(index: usize, path: &Path) -> String {
    let stem: String = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    format!("c{index:04}-{}", stem.trim_matches('-'))
}

/// The config a corpus spec is generated with: no vendor specifics.
pub fn default_config() -> ApiConfig {
    yaml_serde::from_str("crate_name: corpus\nversion: 0.1.0\ndescription: A corpus spec.\n").expect("a valid config")
}

/// One line per spec and a total; returns whether every supported document compiled.
pub fn report(entries: &[Entry]) -> bool {
    for entry in entries {
        let version = entry.version.as_deref().unwrap_or("no version");
        let status = match &entry.outcome {
            Outcome::Compiled => "compiled".to_owned(),
            Outcome::NotGenerated(error) if entry.must_compile() => format!("NOT GENERATED: {error}"),
            Outcome::NotGenerated(error) => format!("not generated (no version the generator reads): {error}"),
            Outcome::DidNotCompile(error) => format!("DID NOT COMPILE: {error}"),
        };
        println!("{} [{version}]: {status}", entry.path.display());
    }
    let must = entries.iter().filter(|entry| entry.must_compile()).count();
    let failed = entries.iter().filter(|entry| entry.failed()).count();
    let compiled = entries.iter().filter(|entry| entry.outcome == Outcome::Compiled).count();
    println!(
        "\n{} specs: {compiled} compiled; {failed} of the {must} OpenAPI 3.0/3.1 and Swagger 2.0 documents failed; {} others not generated",
        entries.len(),
        entries.len() - compiled - failed
    );
    failed == 0
}
