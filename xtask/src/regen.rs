//! Regenerating crates: in memory (for `check` and the staleness test) and to disk.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::apis::Api;
use crate::{spec_source, workspace};

/// The files regen would write for `api`, by path relative to its crate folder.
pub fn generate(api: &Api) -> Result<BTreeMap<String, String>> {
    let spec = spec_source::load(api)?;
    let generated = secgen_codegen::generate(&spec.file_name, &spec.bytes, &api.config)
        .map_err(|error| anyhow::anyhow!("{}: {error}", api.name))?;
    Ok(generated.files)
}

/// Regenerates `api` on disk, removing files regen no longer writes.
pub fn regen(api: &Api) -> Result<()> {
    let started = Instant::now();
    let files = generate(api)?;
    let crate_dir = api.crate_dir();
    let mut written = 0;
    for (relative, contents) in &files {
        let path = crate_dir.join(relative);
        if fs::read_to_string(&path).ok().as_deref() != Some(contents.as_str()) {
            fs::create_dir_all(path.parent().expect("files are in a folder"))?;
            fs::write(&path, contents).with_context(|| format!("writing {}", workspace::display(&path)))?;
            written += 1;
        }
    }
    let mut removed = 0;
    for stale in existing_files(&crate_dir)?.into_iter().filter(|relative| !files.contains_key(relative)) {
        fs::remove_file(crate_dir.join(&stale))?;
        removed += 1;
    }
    eprintln!(
        "{}: {} files in {} ({written} changed, {removed} removed) in {:.2}s",
        api.name,
        files.len(),
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
