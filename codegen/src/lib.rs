//! The generator: an OpenAPI 3.0 document and an API config in, the files of a
//! typed client crate out. A pure library: no file system, no network. It
//! names no vendor: what a vendor does differently, the config names by path.
//!
//! Data flows one way, one module per stage:
//! `load` (JSON/YAML into openapiv3) → `normalize` → `resolve` (`$ref`s) → `types` and
//! `operations` (the `model`) → `render` (tokens, printed by prettyplease).
//!
//! ```
//! let spec = br#"{"openapi":"3.0.3","info":{"title":"Pets","version":"1"},"paths":{}}"#;
//! let config: secgen_codegen::ApiConfig =
//!     yaml_serde::from_str("crate_name: pets\nversion: 0.1.0\ndescription: Pets\n").unwrap();
//! let files = secgen_codegen::generate("pets.json", spec, &config).unwrap();
//! assert!(files.files.contains_key("src/lib.rs"));
//! ```

mod config;
mod config_check;
mod decoders;
mod diff;
mod error;
mod examples;
mod features;
mod jobs;
mod load;
mod locate;
mod model;
mod naming;
mod normalize;
mod openapi31;
mod operations;
mod render;
mod resolve;
mod schema_view;
mod surface;
mod swagger2;
mod types;

use std::collections::BTreeMap;

pub use config::{
    ApiConfig, ArrayStyleConfig, AuthExample, ClientConfig, ComponentSchemas, EnvelopeConfig, JobConfig,
    PaginationConfig, PartialUpdates, RustPath,
};
pub use config_check::ConfigWarning;
pub use decoders::{BodyDecoder, BodyRole, ResponseStatus};
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
    /// Settings of the config that apply to nothing in the spec.
    pub warnings: Vec<ConfigWarning>,
    /// Every JSON body type, for checking example bodies against the crate.
    pub decoders: Vec<BodyDecoder>,
}

/// Generates the crate for the spec in `bytes` (read from `file_name`, which
/// errors name and which decides JSON or YAML).
pub fn generate(file_name: &str, bytes: &[u8], config: &ApiConfig) -> Result<GeneratedCrate, Error> {
    let loaded = load::load(file_name, bytes).map_err(|error| error.in_file(file_name))?;
    let (model, warnings) = build_model(&loaded.document, &loaded.origin, config)
        .map_err(|error| loaded.origin.as_written(error).in_file(file_name))?;
    let provenance = render::Provenance { spec_file: file_name, sha256: &loaded.sha256 };
    let mut files = render::render(&model, &provenance).map_err(|message| Error {
        file: file_name.to_owned(),
        pointer: String::new(),
        message,
    })?;
    let surface = Surface::of(&model);
    let decoders = decoders::decoders(&model);
    files.insert(SURFACE_FILE.to_owned(), surface.render(&model.package.name));
    Ok(GeneratedCrate { files, spec_sha256: loaded.sha256, surface, warnings, decoders })
}

/// A server's URL with its variables at their defaults.
fn server_url(server: &openapiv3::Server) -> Option<String> {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    (!url.contains('{')).then_some(url)
}

fn build_model(
    document: &openapiv3::OpenAPI,
    origin: &load::Origin,
    config: &ApiConfig,
) -> error::SpecResult<(model::Model, Vec<ConfigWarning>)> {
    let mut types = types::TypeBuilder::new(document, &config.type_overrides, &config.secrets);
    if config.component_schemas == config::ComponentSchemas::All {
        types.build_components()?;
    }
    let mut usage = config_check::ConfigUse::default();
    let mut operations = operations::build(document, config, &mut types, &mut usage)?;
    let (types, renames) = types.finish();
    operations.iter_mut().for_each(|operation| operation.rename_types(&renames));
    let model = model::Model {
        package: package(config),
        client: client_settings(document, config),
        title: document.info.title.clone(),
        description: document.info.description.clone().filter(|text| !text.trim().is_empty()),
        spec_version: document.info.version.clone(),
        source_format: origin.format.clone(),
        webhooks: origin.webhooks.clone(),
        types,
        operations,
    };
    let components = document.components.iter().flat_map(|components| components.schemas.keys());
    let warnings = config_check::warnings(config, &model, &usage, &components.map(String::as_str).collect());
    Ok((model, warnings))
}

/// Every path the config names, for the crates they start in.
fn configured_paths(config: &ApiConfig) -> impl Iterator<Item = &RustPath> {
    let client = &config.client;
    client
        .error_body
        .iter()
        .chain(&client.region)
        .chain(&client.vendor_module)
        .chain(&client.reexports)
        .chain(client.envelope.iter().map(|envelope| &envelope.type_path))
        .chain(&client.fake_vendor)
        .chain(config.type_overrides.values())
}

fn package(config: &ApiConfig) -> model::Package {
    let dependencies: std::collections::BTreeSet<String> = configured_paths(config)
        .map(RustPath::crate_name)
        .filter(|name| *name != "secgen_runtime")
        .map(|name| name.replace('_', "-"))
        .collect();
    model::Package {
        name: config.crate_name.clone(),
        version: config.version.clone(),
        description: config.description.clone(),
        dependencies: dependencies.into_iter().collect(),
        features_per_tag: config.features_per_tag,
    }
}

fn client_settings(document: &openapiv3::OpenAPI, config: &ApiConfig) -> model::ClientSettings {
    let client = &config.client;
    let spec_base_url = document.servers.first().and_then(server_url);
    let default_base_url = match client.base_url_required {
        true => None,
        false => client.default_base_url.clone().or(spec_base_url),
    };
    // A customer-hosted API needs its base URL in the example: the spec's server
    // URL with its variables filled in.
    let example_base_url = client.base_url_required.then(|| match document.servers.first() {
        Some(server) => {
            let mut url = server.url.clone();
            while let (Some(start), Some(end)) = (url.find('{'), url.find('}')) {
                url.replace_range(start..=end.max(start), "your-host.example.com");
            }
            url
        }
        None => "https://your-host.example.com".to_owned(),
    });
    let path = |path: &Option<RustPath>| path.as_ref().map(RustPath::to_string);
    let base_path = client.default_base_url.as_deref().or(document.servers.first().map(|server| server.url.as_str()));
    model::ClientSettings {
        default_base_url,
        example_base_url,
        require_https: client.require_https,
        error_body: path(&client.error_body),
        region: path(&client.region),
        vendor_module: path(&client.vendor_module),
        reexports: client.reexports.iter().map(RustPath::to_string).collect(),
        auth_example: client.auth_example,
        base_path: base_path.map(url_path).unwrap_or_default(),
        envelope_data: client.envelope.as_ref().map(|envelope| envelope.data.clone()),
        fake_vendor: path(&client.fake_vendor),
    }
}

/// The path of a URL (`/v1` of `https://{host}/v1/`), without a trailing `/`.
fn url_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |start| &after_scheme[start..]);
    path.trim_end_matches('/').to_owned()
}
