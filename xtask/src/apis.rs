//! The APIs of the workspace: `specs/<api>/api.yaml`, each a spec source plus
//! the generator config.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use secgen_codegen::ApiConfig;
use serde::Deserialize;

use crate::workspace;

/// One API: where its spec comes from and how its crate is generated.
#[derive(Debug, Clone)]
pub struct Api {
    /// The folder name under `specs/`, e.g. `sophos-factory`.
    pub name: String,
    /// `specs/<name>/`.
    pub dir: PathBuf,
    pub source: Source,
    pub config: ApiConfig,
    /// What `cargo xtask verify` holds the spec against.
    pub evidence: Evidence,
}

/// The `evidence:` section: the vendor's own descriptions of the API.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Postman collections, relative to `../shared/evidence`.
    #[serde(default)]
    pub collections: Vec<Collection>,
    /// The path every request of the API starts with that the spec's paths do not
    /// (the spec's server path, e.g. `/v1`).
    #[serde(default)]
    pub server_path: String,
    /// Evidence requests left out on purpose, each with its reason.
    #[serde(default)]
    pub exclude: Vec<Exclusion>,
}

/// One Postman collection: its file, or the file and how far its example values
/// can be trusted.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "CollectionEntry")]
pub struct Collection {
    /// Relative to `../shared/evidence`.
    pub file: String,
    /// Set when the examples' values are placeholders (lorem ipsum in date-time
    /// fields): why. `verify` then checks that such fields hold text, not that the
    /// text fits the format.
    pub formats_unchecked: Option<String>,
}

/// A collection as `api.yaml` writes it: a bare file name, or a map.
#[derive(Deserialize)]
#[serde(untagged)]
enum CollectionEntry {
    File(String),
    #[serde(rename_all = "snake_case")]
    Described {
        file: String,
        #[serde(default)]
        formats_unchecked: Option<String>,
    },
}

impl From<CollectionEntry> for Collection {
    fn from(entry: CollectionEntry) -> Self {
        match entry {
            CollectionEntry::File(file) => Collection { file, formats_unchecked: None },
            CollectionEntry::Described { file, formats_unchecked } => Collection { file, formats_unchecked },
        }
    }
}

/// What `verify` leaves out: requests by name or by where their path starts, or
/// (with `parameter`) one query parameter or header those requests send.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// The request's full name (`Folder / Request`), or a prefix of it ending in `*`.
    #[serde(default)]
    pub request: Option<String>,
    /// A path prefix (`/v0/`), matched against the request's path.
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// Only this parameter of the requests (all of them when neither `request` nor
    /// `path_prefix` is given), not the requests themselves; `*` is every query
    /// parameter and header they send.
    #[serde(default)]
    pub parameter: Option<String>,
    /// Only the example responses of this status of the requests (a placeholder
    /// body, say), not the requests themselves.
    #[serde(default)]
    pub response: Option<u16>,
    /// Why it is left out.
    pub reason: String,
}

/// Where a spec comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum Source {
    /// A hand-written spec in the API's folder.
    File(String),
    /// A vendor spec fetched into the cache and pinned by `spec.lock`.
    Fetch {
        /// Where the vendor serves it.
        url: String,
        /// Its path inside a `SPEC_MIRROR` folder.
        mirror_path: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiFile {
    #[serde(with = "yaml_serde::with::singleton_map")]
    source: Source,
    generate: ApiConfig,
    #[serde(default)]
    evidence: Evidence,
}

impl Api {
    /// The generated crate's folder.
    pub fn crate_dir(&self) -> PathBuf {
        workspace::generated_dir().join(&self.config.crate_name)
    }

    /// The lock file pinning a fetched spec.
    pub fn lock_path(&self) -> PathBuf {
        self.dir.join("spec.lock")
    }
}

/// Every API, sorted by name.
pub fn all() -> Result<Vec<Api>> {
    let mut apis = Vec::new();
    for entry in fs::read_dir(workspace::specs_dir()).context("reading specs/")? {
        let dir = entry?.path();
        if dir.join("api.yaml").is_file() {
            apis.push(load(&dir)?);
        }
    }
    apis.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(apis)
}

/// The APIs a command names (`None`: all of them).
pub fn selected(name: Option<&str>) -> Result<Vec<Api>> {
    let apis = all()?;
    match name {
        None => Ok(apis),
        Some(name) => match apis.into_iter().find(|api| api.name == name) {
            Some(api) => Ok(vec![api]),
            None => bail!("no API `{name}`: expected a folder specs/{name}/ with an api.yaml"),
        },
    }
}

fn load(dir: &std::path::Path) -> Result<Api> {
    let path = dir.join("api.yaml");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", workspace::display(&path)))?;
    let file: ApiFile =
        yaml_serde::from_str(&text).with_context(|| format!("{}: invalid API config", workspace::display(&path)))?;
    let name = dir.file_name().and_then(|name| name.to_str()).context("API folder name is not UTF-8")?.to_owned();
    Ok(Api { name, dir: dir.to_path_buf(), source: file.source, config: file.generate, evidence: file.evidence })
}
