//! The generator: an OpenAPI 3.0 document and an API config in, the files of a
//! typed client crate out. A pure library: no file system, no network.
//!
//! Data flows one way, one module per stage:
//! [`load`] (JSON/YAML into openapiv3) → `resolve` (`$ref`s) → [`types`] and
//! [`operations`] (the [`model`]) → `render` (tokens, printed by prettyplease).
//!
//! ```
//! let spec = br#"{"openapi":"3.0.3","info":{"title":"Pets","version":"1"},"paths":{}}"#;
//! let config: secgen_codegen::ApiConfig =
//!     serde_yaml::from_str("crate_name: pets\nversion: 0.1.0\ndescription: Pets\n").unwrap();
//! let files = secgen_codegen::generate("pets.json", spec, &config).unwrap();
//! assert!(files.files.contains_key("src/lib.rs"));
//! ```

mod config;
mod diff;
mod error;
mod load;
mod locate;
mod model;
mod naming;
mod normalize;
mod operations;
mod render;
mod resolve;
mod schema_view;
mod surface;
mod types;

use std::collections::BTreeMap;

pub use config::{
    ApiConfig, ArrayStyleConfig, AuthExample, ClientConfig, ComponentSchemas, ErrorFormatConfig, PaginationConfig,
    PartialUpdates,
};
pub use diff::{Change, Impact, SurfaceDiff, newer_version, next_version};
pub use error::Error;
pub use load::{declared_version, sha256_hex};
pub use render::{recorded_spec_sha256, recorded_version};
pub use surface::{FieldSurface, OperationSurface, ParamSurface, ParseError, Surface, TypeSurface, Usage};

/// The surface summary's path in a generated crate.
pub const SURFACE_FILE: &str = "api-surface.txt";

/// The files of one generated crate, by path relative to the crate root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCrate {
    /// Path (`src/lib.rs`, ...) → contents.
    pub files: BTreeMap<String, String>,
    /// The SHA-256 of the spec bytes, as named in the first line of `lib.rs` and `Cargo.toml`.
    pub spec_sha256: String,
    /// The crate's public surface (also written as `api-surface.txt`).
    pub surface: Surface,
}

/// Generates the crate for the spec in `bytes` (read from `file_name`, which
/// errors name and which decides JSON or YAML).
pub fn generate(file_name: &str, bytes: &[u8], config: &ApiConfig) -> Result<GeneratedCrate, Error> {
    let loaded = load::load(file_name, bytes).map_err(|error| error.in_file(file_name))?;
    let model = build_model(&loaded.document, config).map_err(|error| error.in_file(file_name))?;
    let provenance = render::Provenance { spec_file: file_name, sha256: &loaded.sha256 };
    let mut files = render::render(&model, config, &provenance).map_err(|message| Error {
        file: file_name.to_owned(),
        pointer: String::new(),
        message,
    })?;
    let surface = Surface::of(&model);
    files.insert(SURFACE_FILE.to_owned(), surface.render(&config.crate_name));
    Ok(GeneratedCrate { files, spec_sha256: loaded.sha256, surface })
}

/// A server's URL with its variables at their defaults.
fn server_url(server: &openapiv3::Server) -> Option<String> {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    (!url.contains('{')).then_some(url)
}

fn build_model(document: &openapiv3::OpenAPI, config: &ApiConfig) -> error::SpecResult<model::Model> {
    let mut types = types::TypeBuilder::new(document, &config.type_overrides);
    if config.component_schemas == config::ComponentSchemas::All {
        types.build_components()?;
    }
    let operations = operations::build(document, config, &mut types)?;
    Ok(model::Model {
        title: document.info.title.clone(),
        description: document.info.description.clone().filter(|text| !text.trim().is_empty()),
        spec_version: document.info.version.clone(),
        default_base_url: if config.client.base_url_required {
            None
        } else {
            document.servers.first().and_then(server_url)
        },
        server_template: document.servers.first().map(|server| server.url.clone()),
        types: types.finish(),
        operations,
    })
}
