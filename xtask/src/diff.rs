//! `cargo xtask diff`: what a spec change means for users of the generated crate.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use secgen_codegen::{Surface, SurfaceDiff};

use crate::apis::Api;
use crate::{regen, workspace};

/// What to compare.
pub enum Against {
    /// The surface committed at a git revision, and the spec now.
    Revision(String),
    /// Two spec files, both generated with the API's config.
    Specs { old: String, new: String },
}

/// The two surfaces and a label for each.
pub fn surfaces(api: &Api, against: &Against) -> Result<((String, Surface), (String, Surface))> {
    match against {
        Against::Revision(revision) => {
            let path = format!("generated/{}/{}", api.config.crate_name, secgen_codegen::SURFACE_FILE);
            let output = Command::new("git")
                .args(["show", &format!("{revision}:{path}")])
                .current_dir(workspace::root())
                .output()?;
            if !output.status.success() {
                bail!("git show {revision}:{path}: {}", String::from_utf8_lossy(&output.stderr).trim());
            }
            let old = Surface::parse(&String::from_utf8_lossy(&output.stdout))
                .with_context(|| format!("{path} at {revision}"))?;
            let new = regen::plan(api)?.surface;
            Ok(((format!("{path} at {revision}"), old), ("the spec now".to_owned(), new)))
        }
        Against::Specs { old, new } => Ok(((old.clone(), surface_of(api, old)?), (new.clone(), surface_of(api, new)?))),
    }
}

fn surface_of(api: &Api, path: &str) -> Result<Surface> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {path}"))?;
    let name = Path::new(path).file_name().map_or(path.into(), |name| name.to_string_lossy());
    let generated = secgen_codegen::generate(&name, &bytes, &api.config)
        .map_err(|error| anyhow::anyhow!("{}: {error}", api.name))?;
    Ok(generated.surface)
}

/// Prints the classified changes; returns whether any is breaking.
pub fn report(api: &Api, against: &Against) -> Result<bool> {
    let ((old_label, old), (new_label, new)) = surfaces(api, against)?;
    let diff = SurfaceDiff::between(&old, &new);
    println!("{}: from {old_label} to {new_label}\n", api.name);
    print!("{}", diff.render());
    let verdict = match diff.worst() {
        None => "no change to the API surface",
        Some(secgen_codegen::Impact::Compatible) => "compatible: a minor version (a patch below 1.0)",
        Some(_) => "BREAKING: a major version (a minor below 1.0)",
    };
    println!("\n{verdict}");
    Ok(diff.is_breaking())
}
