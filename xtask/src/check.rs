//! `cargo xtask check`: is `generated/` what regen would write, and does every
//! cached spec match its lock?

use std::fs;

use anyhow::Result;

use crate::apis::Api;
use crate::{regen, spec_source, workspace};

/// Every problem found, one line each; empty when all is current.
pub fn problems(apis: &[Api]) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for api in apis {
        if let Some(problem) = spec_source::check_cache(api)? {
            problems.push(problem);
            continue;
        }
        problems.extend(stale_files(api)?);
    }
    Ok(problems)
}

/// The files of `api`'s crate that differ from what regen would write.
pub fn stale_files(api: &Api) -> Result<Vec<String>> {
    let expected = regen::plan(api)?.files;
    let crate_dir = api.crate_dir();
    let mut stale = Vec::new();
    for (relative, contents) in &expected {
        let path = crate_dir.join(relative);
        match fs::read_to_string(&path) {
            Ok(actual) if actual == *contents => {}
            Ok(_) => stale.push(format!("{}: differs from what regen writes", workspace::display(&path))),
            Err(_) => stale.push(format!("{}: missing", workspace::display(&path))),
        }
    }
    for extra in regen::existing_files(&crate_dir)?.into_iter().filter(|relative| !expected.contains_key(relative)) {
        stale.push(format!("{}: not written by regen", workspace::display(&crate_dir.join(extra))));
    }
    Ok(stale)
}
