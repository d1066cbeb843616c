//! Does generated code compile? Many specs, each generated into a crate of one
//! scratch workspace under `target/`, checked by one `cargo check`.
//!
//! Generated crates inherit their package fields and dependencies from the
//! workspace, so the scratch workspace declares the same ones (the runtime by
//! path). It keeps its own target folder, so dependencies build once and stay
//! built between runs.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use secgen_codegen::ApiConfig;

use crate::progress::Progress;
use crate::workspace;

/// One spec to generate and check.
pub struct Candidate {
    /// A unique label, also the crate's folder name.
    pub label: String,
    /// The spec's file name, for error messages and provenance.
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub config: ApiConfig,
}

/// What happened to one candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Generated and compiled without warnings.
    Compiled,
    /// The generator refused the spec, with this error.
    NotGenerated(String),
    /// The generated crate has compile errors or warnings; the first one.
    DidNotCompile(String),
}

/// Generates every candidate into `target/scratch/<set>/` and checks them all.
pub fn check(set: &str, candidates: Vec<Candidate>) -> Result<BTreeMap<String, Outcome>> {
    let dir = workspace::root().join("target").join("scratch").join(set);
    if dir.exists() {
        fs::remove_dir_all(&dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    fs::create_dir_all(&dir)?;
    let mut outcomes = BTreeMap::new();
    let mut members = Vec::new();
    // One step per spec generated, and one for the `cargo check` of them all.
    let mut progress = Progress::new("generate", candidates.len() + 1);
    for candidate in candidates {
        progress.step(candidate.file_name.clone());
        let mut config = candidate.config;
        config.crate_name = format!("scratch-{}", candidate.label);
        match secgen_codegen::generate(&candidate.file_name, &candidate.bytes, &config) {
            Ok(generated) => {
                write_crate(&dir.join(&candidate.label), &generated.files)?;
                members.push(candidate.label.clone());
                outcomes.insert(candidate.label, Outcome::Compiled);
            }
            Err(error) => {
                outcomes.insert(candidate.label, Outcome::NotGenerated(error.to_string()));
            }
        }
    }
    if members.is_empty() {
        progress.finish();
        return Ok(outcomes);
    }
    write_workspace(&dir, &members)?;
    progress.step(format!("cargo check of {} crates", members.len()));
    let checked = cargo_check(&dir, &members);
    progress.finish();
    for (label, error) in checked? {
        outcomes.insert(label, Outcome::DidNotCompile(error));
    }
    Ok(outcomes)
}

/// Writes generated (or written) files under `dir`.
pub fn write_crate(dir: &Path, files: &BTreeMap<String, String>) -> Result<()> {
    for (relative, contents) in files {
        let path = dir.join(relative);
        fs::create_dir_all(path.parent().expect("files are in a folder"))?;
        fs::write(&path, contents)?;
    }
    Ok(())
}

/// A workspace declaring what generated crates inherit, sharing the main lock file.
pub fn write_workspace(dir: &Path, members: &[String]) -> Result<()> {
    let runtime = workspace::root().join("runtime");
    let vendors = workspace::root().join("vendors");
    let members: Vec<String> = members.iter().map(|member| format!("\"{member}\"")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n\
         [workspace.package]\nedition = \"2024\"\nrust-version = \"1.95\"\nlicense = \"MIT\"\npublish = false\n\n\
         [workspace.dependencies]\nsecgen-runtime = {{ path = {:?} }}\nsecgen-vendors = {{ path = {:?} }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n",
        members.join(", "),
        runtime.display().to_string(),
        vendors.display().to_string(),
    );
    fs::write(dir.join("Cargo.toml"), manifest)?;
    fs::copy(workspace::root().join("Cargo.lock"), dir.join("Cargo.lock")).context("copying Cargo.lock")?;
    Ok(())
}

/// `cargo check` in a scratch workspace, warnings denied; every set shares one
/// target folder, so dependencies build once.
fn cargo_check_command(dir: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command
        .arg("check")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", workspace::root().join("target").join("scratch-target"))
        .env("RUSTFLAGS", "-D warnings");
    command
}

/// Checks one crate of a set [`check`] wrote again after touching it, as after
/// an edit: how long `cargo check` of that crate alone takes.
pub fn recheck(set: &str, label: &str) -> Result<std::time::Duration> {
    let dir = workspace::root().join("target").join("scratch").join(set);
    let lib = dir.join(label).join("src/lib.rs");
    fs::write(&lib, fs::read(&lib).with_context(|| format!("reading {}", lib.display()))?)?;
    let started = std::time::Instant::now();
    let output = cargo_check_command(&dir).args(["--quiet", "-p", &format!("scratch-{label}")]).output()?;
    if !output.status.success() {
        bail!("cargo check of {label} failed:\n{}", tail(&String::from_utf8_lossy(&output.stderr), 30));
    }
    Ok(started.elapsed())
}

/// Runs `cargo check` with warnings denied; returns the first diagnostic per failing crate.
fn cargo_check(dir: &Path, members: &[String]) -> Result<BTreeMap<String, String>> {
    let output = cargo_check_command(dir)
        .args(["--workspace", "--message-format=short", "--keep-going"])
        .output()
        .context("running cargo check")?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut failures = BTreeMap::new();
    for line in stderr.lines() {
        // Short diagnostics read `<crate folder>/src/...: error: ...`.
        let Some(member) = members.iter().find(|member| line.starts_with(&format!("{member}/"))) else { continue };
        if line.contains(": error") || line.contains(": warning") {
            failures.entry(member.clone()).or_insert_with(|| line.to_owned());
        }
    }
    if !output.status.success() && failures.is_empty() {
        bail!("cargo check failed in {}:\n{}", dir.display(), tail(&stderr, 30));
    }
    Ok(failures)
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// The folder of third-party specs: `SPEC_MIRROR`, else `../shared/specs` beside the workspace.
pub fn shared_specs() -> Option<PathBuf> {
    crate::spec_source::mirror().or_else(|| {
        let beside = workspace::root().parent()?.join("shared").join("specs");
        beside.is_dir().then_some(beside)
    })
}

/// The dated Factory specs of `<shared specs>/sophos-factory/history`, oldest
/// first, as (label such as `01-2020-08-07`, bytes).
pub fn factory_history() -> Result<Vec<(String, Vec<u8>)>> {
    let shared =
        shared_specs().context("no third-party specs: set SPEC_MIRROR or put ../shared beside the workspace")?;
    let dir = shared.join("sophos-factory/history");
    let mut paths = Vec::new();
    for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        paths.push(entry?.path());
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let label = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            Ok((label, fs::read(&path).with_context(|| format!("reading {}", path.display()))?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crate with an error and one with only a warning are both reported, each
    /// against its own crate; a clean crate is not.
    #[test]
    fn failures_are_attributed_to_their_crate() {
        let dir = workspace::root().join("target").join("scratch").join("self-test");
        let _ = fs::remove_dir_all(&dir);
        let crates = [
            ("clean", "pub fn f() -> u8 { 1 }\n"),
            ("broken", "pub fn f() -> u8 { \"a\" }\n"),
            ("warns", "fn unused() {}\n"),
        ];
        for (name, code) in crates {
            let manifest = format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n");
            fs::create_dir_all(dir.join(name).join("src")).unwrap();
            fs::write(dir.join(name).join("Cargo.toml"), manifest).unwrap();
            fs::write(dir.join(name).join("src/lib.rs"), code).unwrap();
        }
        let members: Vec<String> = crates.iter().map(|(name, _)| (*name).to_owned()).collect();
        let list: Vec<String> = members.iter().map(|member| format!("\"{member}\"")).collect();
        fs::write(dir.join("Cargo.toml"), format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", list.join(", ")))
            .unwrap();
        let failures = cargo_check(&dir, &members).unwrap();
        assert_eq!(failures.keys().collect::<Vec<_>>(), ["broken", "warns"]);
        assert!(failures["broken"].starts_with("broken/src/lib.rs:1:"), "{}", failures["broken"]);
    }
}
