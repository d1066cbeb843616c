//! Getting a spec's bytes: a hand-written file, or a fetched spec pinned by its
//! lock file and kept in the git-ignored cache.
//!
//! Fetched specs are third-party data and never committed. The cache is filled
//! on demand from `SPEC_MIRROR` (a folder laid out like `../shared/specs`) or,
//! without it, from the vendor's URL.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use secgen_codegen::sha256_hex;
use serde::{Deserialize, Serialize};

use crate::apis::{Api, Source};
use crate::workspace;

/// A spec ready for the generator.
pub struct Spec {
    /// The file name errors and provenance lines name.
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// `specs/<api>/spec.lock`: what a fetched spec must hash to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    pub sha256: String,
    pub size: u64,
    /// Where it was fetched from.
    pub source: String,
}

impl Lock {
    pub fn read(path: &Path) -> Result<Option<Lock>> {
        if !path.exists() {
            return Ok(None);
        }
        let text = fs::read_to_string(path)?;
        yaml_serde::from_str(&text)
            .with_context(|| format!("{}: invalid lock file", workspace::display(path)))
            .map(Some)
    }

    fn write(&self, path: &Path) -> Result<()> {
        let text = format!(
            "# Written by `cargo xtask fetch`: the spec regen uses must have this hash.\n{}",
            yaml_serde::to_string(self)?
        );
        fs::write(path, text).with_context(|| format!("writing {}", workspace::display(path)))
    }
}

/// What regen can get for an API: its spec, or why it has none right now.
pub enum Loaded {
    Spec(Spec),
    /// A fetched spec that is neither cached nor reachable, or that the vendor
    /// now serves with another hash than `spec.lock` pins.
    Unavailable {
        reason: String,
        lock: Lock,
    },
}

/// The spec of `api` for regen: like [`load`], but a fetched spec that cannot be
/// had as locked is reported, not an error, so the committed crate can be kept.
pub fn load_for_regen(api: &Api) -> Result<Loaded> {
    let Source::Fetch { mirror_path, .. } = &api.source else { return load(api).map(Loaded::Spec) };
    let cached = cache_path(api, mirror_path);
    let Some(lock) = Lock::read(&api.lock_path())? else { return load(api).map(Loaded::Spec) };
    if cached.exists() {
        return load(api).map(Loaded::Spec);
    }
    let bytes = match download(api, None) {
        Ok((bytes, _)) => bytes,
        Err(error) => {
            let reason = format!("the spec is not cached and could not be fetched ({:#})", error);
            return Ok(Loaded::Unavailable { reason, lock });
        }
    };
    let sha256 = sha256_hex(&bytes);
    if sha256 != lock.sha256 {
        let reason = format!(
            "the vendor now serves a spec with sha256 {sha256}, not the one {} pins; review it with \
             `cargo xtask fetch {name}` then `cargo xtask diff {name}`",
            workspace::display(&api.lock_path()),
            name = api.name
        );
        return Ok(Loaded::Unavailable { reason, lock });
    }
    store(&cached, &bytes)?;
    load(api).map(Loaded::Spec)
}

/// The spec of `api`, fetched into the cache first if it is not there.
pub fn load(api: &Api) -> Result<Spec> {
    match &api.source {
        Source::File(file) => {
            let path = api.dir.join(file);
            let bytes =
                fs::read(&path).with_context(|| format!("{}: reading {}", api.name, workspace::display(&path)))?;
            Ok(Spec { file_name: format!("specs/{}/{file}", api.name), bytes })
        }
        Source::Fetch { mirror_path, .. } => {
            let lock = Lock::read(&api.lock_path())?.with_context(|| {
                format!(
                    "{}: no {}; run `cargo xtask fetch {}` first",
                    api.name,
                    workspace::display(&api.lock_path()),
                    api.name
                )
            })?;
            let cached = cache_path(api, mirror_path);
            if !cached.exists() {
                eprintln!("{}: spec not in the cache, fetching", api.name);
                let (bytes, _) = download(api, None)?;
                store(&cached, &bytes)?;
            }
            let bytes = fs::read(&cached)?;
            verify(api, &cached, &bytes, &lock)?;
            Ok(Spec { file_name: cache_file_name(api, mirror_path), bytes })
        }
    }
}

/// Whether the cached spec (if any) still matches its lock; `None` when there is
/// nothing to check (a hand-written spec, or an empty cache).
pub fn check_cache(api: &Api) -> Result<Option<String>> {
    let Source::Fetch { mirror_path, .. } = &api.source else { return Ok(None) };
    let cached = cache_path(api, mirror_path);
    let Some(lock) = Lock::read(&api.lock_path())? else {
        return Ok(Some(format!("{}: {} is missing", api.name, workspace::display(&api.lock_path()))));
    };
    if !cached.exists() {
        return Ok(None);
    }
    let bytes = fs::read(&cached)?;
    Ok(verify(api, &cached, &bytes, &lock).err().map(|error| error.to_string()))
}

/// `cargo xtask fetch <api> [--from PATH|URL]`: downloads the spec, caches it and
/// (re)writes the lock file.
pub fn fetch(api: &Api, from: Option<&str>) -> Result<Lock> {
    let Source::Fetch { mirror_path, .. } = &api.source else {
        bail!("{}: its spec is hand-written in specs/{}/; there is nothing to fetch", api.name, api.name);
    };
    let (bytes, source) = download(api, from)?;
    let lock = Lock { sha256: sha256_hex(&bytes), size: bytes.len() as u64, source };
    store(&cache_path(api, mirror_path), &bytes)?;
    lock.write(&api.lock_path())?;
    Ok(lock)
}

/// The bytes and a description of where they came from: `--from`, else
/// `SPEC_MIRROR`, else the vendor URL.
fn download(api: &Api, from: Option<&str>) -> Result<(Vec<u8>, String)> {
    let Source::Fetch { url, mirror_path } = &api.source else { unreachable!("only fetched specs are downloaded") };
    let (location, label) = match (from, mirror()) {
        (Some(from), _) => (from.to_owned(), from.to_owned()),
        (None, Some(mirror)) => {
            let path = mirror.join(mirror_path);
            (path.display().to_string(), url.clone())
        }
        (None, None) => (url.clone(), url.clone()),
    };
    let bytes = if location.starts_with("http://") || location.starts_with("https://") {
        eprintln!("{}: downloading {location}", api.name);
        let response = reqwest::blocking::Client::new()
            .get(&location)
            .send()
            .and_then(|response| response.error_for_status())
            .with_context(|| format!("{}: downloading {location}", api.name))?;
        response.bytes()?.to_vec()
    } else {
        fs::read(&location).with_context(|| format!("{}: reading {location}", api.name))?
    };
    Ok((bytes, label))
}

/// `SPEC_MIRROR`, relative paths taken from the workspace root.
pub fn mirror() -> Option<PathBuf> {
    let value = std::env::var_os("SPEC_MIRROR").filter(|value| !value.is_empty())?;
    let path = PathBuf::from(value);
    Some(if path.is_absolute() { path } else { workspace::root().join(path) })
}

fn verify(api: &Api, cached: &Path, bytes: &[u8], lock: &Lock) -> Result<()> {
    let sha256 = sha256_hex(bytes);
    if sha256 != lock.sha256 || bytes.len() as u64 != lock.size {
        bail!(
            "{}: cached spec {} (sha256 {sha256}, {} bytes) does not match {} (sha256 {}, {} bytes); \
             run `cargo xtask fetch {}` to update the lock, or delete the cached file",
            api.name,
            workspace::display(cached),
            bytes.len(),
            workspace::display(&api.lock_path()),
            lock.sha256,
            lock.size,
            api.name
        );
    }
    Ok(())
}

fn store(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::create_dir_all(path.parent().expect("cache files are in a folder"))?;
    fs::write(path, bytes).with_context(|| format!("writing {}", workspace::display(path)))
}

fn cache_path(api: &Api, mirror_path: &str) -> PathBuf {
    workspace::cache_dir().join(&api.name).join(file_name_of(mirror_path))
}

/// How generated files name a fetched spec: by API and file, not by cache path.
fn cache_file_name(api: &Api, mirror_path: &str) -> String {
    format!("{}/{}", api.name, file_name_of(mirror_path))
}

fn file_name_of(mirror_path: &str) -> &str {
    mirror_path.rsplit('/').next().unwrap_or(mirror_path)
}
