//! Regenerating crates: what regen would write (for `check` and the staleness
//! test), and writing it.
//!
//! Regen compares the new API surface with the one committed in the crate
//! (`api-surface.txt`). When the spec changed, it bumps the crate's version by
//! semver from that comparison and adds an entry to the crate's CHANGELOG.md.
//! The plan depends only on the spec and what is on disk, so regenerating twice
//! changes nothing the second time.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use secgen_codegen::{
    GeneratedCrate, SURFACE_FILE, Surface, SurfaceDiff, newer_version, next_version, recorded_spec_sha256,
    recorded_version,
};

use crate::apis::Api;
use crate::spec_source::{self, Spec};
use crate::workspace;

/// The changelog's path in a generated crate.
pub const CHANGELOG_FILE: &str = "CHANGELOG.md";

const CHANGELOG_HEADER: &str = "# Changelog\n\n\
    Written by `cargo xtask regen` whenever the spec changes: what changed for users of this crate, \
    newest first.\n";

/// What regen writes for one API, and why.
pub struct Plan {
    /// Every file of the crate, by path relative to its folder.
    pub files: BTreeMap<String, String>,
    /// The new crate's surface.
    pub surface: Surface,
    /// The version before and after, when regen changes it.
    pub version_change: Option<(String, String)>,
    /// Config settings that apply to nothing in the spec, each as
    /// `specs/<api>/api.yaml: generate.<key>: <what>`.
    pub warnings: Vec<String>,
}

/// The crate as committed: version, surface, spec hash and changelog.
pub struct Previous {
    pub version: String,
    pub surface: Surface,
    pub sha256: String,
    pub changelog: String,
}

impl Previous {
    /// Reads the generated crate on disk; `None` for a crate not generated yet (or
    /// one whose surface file predates the current format).
    pub fn read(crate_dir: &Path) -> Result<Option<Previous>> {
        let found = Self::from_files(|name| fs::read_to_string(crate_dir.join(name)).ok());
        if found.is_err() {
            eprintln!(
                "{}: {SURFACE_FILE} is in an older format; treating the crate as new",
                workspace::display(crate_dir)
            );
            return Ok(None);
        }
        found
    }

    /// The same from the crate's files, however they are read.
    pub fn from_files(read: impl Fn(&str) -> Option<String>) -> Result<Option<Previous>> {
        let (Some(manifest), Some(surface), Some(lib)) = (read("Cargo.toml"), read(SURFACE_FILE), read("src/lib.rs"))
        else {
            return Ok(None);
        };
        let surface = Surface::parse(&surface).context("reading the API surface")?;
        let version = recorded_version(&manifest).context("Cargo.toml has no version")?.to_owned();
        let sha256 = recorded_spec_sha256(&lib).unwrap_or_default().to_owned();
        Ok(Some(Previous { version, surface, sha256, changelog: read(CHANGELOG_FILE).unwrap_or_default() }))
    }
}

/// What regen would write for `api`, given the crate on disk.
pub fn plan(api: &Api) -> Result<Plan> {
    let spec = spec_source::load(api)?;
    let previous = Previous::read(&api.crate_dir())?;
    plan_from(api, &spec, previous.as_ref())
}

/// Why regen keeps the committed crate of a fetched spec it cannot have as
/// locked: only when that crate was generated from the locked spec.
fn keep_committed(api: &Api, reason: &str, lock: &spec_source::Lock) -> Result<()> {
    let crate_dir = api.crate_dir();
    let recorded = fs::read_to_string(crate_dir.join("src/lib.rs"))
        .ok()
        .and_then(|lib| recorded_spec_sha256(&lib).map(str::to_owned));
    if recorded.as_deref() != Some(lock.sha256.as_str()) {
        anyhow::bail!(
            "{}: {reason}; and {} was not generated from the spec {} pins, so there is nothing to keep",
            api.name,
            workspace::display(&crate_dir),
            workspace::display(&api.lock_path())
        );
    }
    eprintln!(
        "{}: kept {} as committed (generated from the locked spec): {reason}",
        api.name,
        workspace::display(&crate_dir)
    );
    Ok(())
}

/// The plan for `spec` after `previous` (the pure part of [`plan`]).
pub fn plan_from(api: &Api, spec: &Spec, previous: Option<&Previous>) -> Result<Plan> {
    let mut config = api.config.clone();
    if let Some(previous) = previous {
        config.version = newer_version(&previous.version, &config.version).to_owned();
    }
    let generated = generate_with(api, spec, &config)?;
    let Some(previous) = previous else {
        let entry = format!(
            "## {}\n\nFirst generated from the spec with sha256 `{}`.\n",
            config.version, generated.spec_sha256
        );
        return Ok(finish(api, generated, format!("{CHANGELOG_HEADER}\n{entry}"), None));
    };
    let diff = SurfaceDiff::between(&previous.surface, &generated.surface);
    let spec_changed = previous.sha256 != generated.spec_sha256;
    let Some(version) = next_version(&config.version, &diff, spec_changed) else {
        return Ok(finish(api, generated, previous.changelog.clone(), None));
    };
    let from = std::mem::replace(&mut config.version, version.clone());
    let generated = generate_with(api, spec, &config)?;
    let source = if spec_changed {
        format!("Spec sha256 `{}` (was `{}`).", generated.spec_sha256, previous.sha256)
    } else {
        format!("Same spec (sha256 `{}`); the generator changed.", generated.spec_sha256)
    };
    let entry = format!("## {version}\n\n{source}\n\n{}", diff.render().replace(":\n- ", ":\n\n- "));
    let earlier = previous.changelog.strip_prefix(CHANGELOG_HEADER).unwrap_or(&previous.changelog).trim_start();
    let changelog = format!("{CHANGELOG_HEADER}\n{entry}\n{earlier}");
    Ok(finish(api, generated, changelog.trim_end().to_owned() + "\n", Some((from, version))))
}

fn finish(api: &Api, generated: GeneratedCrate, changelog: String, version_change: Option<(String, String)>) -> Plan {
    let mut files = generated.files;
    files.insert(CHANGELOG_FILE.to_owned(), changelog);
    let config_file = workspace::display(&api.dir.join("api.yaml"));
    let warnings = generated.warnings.iter().map(|warning| format!("{config_file}: {warning}")).collect();
    Plan { files, surface: generated.surface, version_change, warnings }
}

fn generate_with(api: &Api, spec: &Spec, config: &secgen_codegen::ApiConfig) -> Result<GeneratedCrate> {
    secgen_codegen::generate(&spec.file_name, &spec.bytes, config)
        .map_err(|error| anyhow::anyhow!("{}: {error}", api.name))
}

/// Regenerates `api` on disk, removing files regen no longer writes.
pub fn regen(api: &Api) -> Result<()> {
    let started = Instant::now();
    let spec = match spec_source::load_for_regen(api)? {
        spec_source::Loaded::Spec(spec) => spec,
        spec_source::Loaded::Unavailable { reason, lock } => return keep_committed(api, &reason, &lock),
    };
    let plan = plan_from(api, &spec, Previous::read(&api.crate_dir())?.as_ref())?;
    for warning in &plan.warnings {
        eprintln!("warning: {warning}");
    }
    let crate_dir = api.crate_dir();
    let mut written = 0;
    for (relative, contents) in &plan.files {
        let path = crate_dir.join(relative);
        if fs::read_to_string(&path).ok().as_deref() != Some(contents.as_str()) {
            fs::create_dir_all(path.parent().expect("files are in a folder"))?;
            fs::write(&path, contents).with_context(|| format!("writing {}", workspace::display(&path)))?;
            written += 1;
        }
    }
    let mut removed = 0;
    for stale in existing_files(&crate_dir)?.into_iter().filter(|relative| !plan.files.contains_key(relative)) {
        fs::remove_file(crate_dir.join(&stale))?;
        removed += 1;
    }
    let version = plan
        .version_change
        .map(|(from, to)| format!("; version {from} -> {to}, see {CHANGELOG_FILE}"))
        .unwrap_or_default();
    eprintln!(
        "{}: {} files in {} ({written} changed, {removed} removed) in {:.2}s{version}",
        api.name,
        plan.files.len(),
        workspace::display(&crate_dir),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Every file under a generated crate, relative to it (`target/` aside).
pub fn existing_files(crate_dir: &Path) -> Result<Vec<String>> {
    let mut found = Vec::new();
    if crate_dir.exists() {
        collect(crate_dir, crate_dir, &mut found)?;
    }
    found.sort();
    Ok(found)
}

fn collect(root: &Path, dir: &Path, found: &mut Vec<String>) -> Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|name| name == "target") {
                continue;
            }
            collect(root, &path, found)?;
        } else {
            let relative = path.strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/");
            found.push(relative);
        }
    }
    Ok(())
}
