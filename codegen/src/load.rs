//! Load: spec bytes (JSON or YAML) into the openapiv3 document model.

use openapiv3::OpenAPI;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Pointer, SpecError, SpecResult};
use crate::locate::locate;
use crate::normalize;

/// A parsed spec and the hash of its bytes.
pub(crate) struct Loaded {
    pub(crate) document: OpenAPI,
    pub(crate) sha256: String,
    pub(crate) origin: Origin,
}

/// What the document was written in, and what 3.0 cannot hold of it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origin {
    /// `OpenAPI 3.1.0`, `Swagger 2.0`, `OpenAPI 3.0.3`.
    pub(crate) format: String,
    /// A 3.1 document's webhooks (`newPet: POST`): reported, no client method.
    pub(crate) webhooks: Vec<String>,
}

/// The format name of a Swagger 2.0 document.
const SWAGGER_2: &str = "Swagger 2.0";

impl Origin {
    /// `error` pointing into the document as written (a Swagger 2.0 one was converted).
    pub(crate) fn as_written(&self, mut error: SpecError) -> SpecError {
        if self.format == SWAGGER_2 {
            error.pointer = crate::swagger2::original_pointer(&error.pointer);
        }
        error
    }
}

/// The specification versions the generator reads.
enum Version {
    /// Read straight into the model.
    V30(String),
    /// Rewritten into 3.0 form first (`openapi31`).
    V31(String),
    /// Rewritten into 3.0 form first (`swagger2`).
    Swagger2,
}

/// Just enough of a document to tell which specification version it follows.
#[derive(Deserialize)]
struct VersionProbe {
    openapi: Option<serde_json::Value>,
    swagger: Option<serde_json::Value>,
}

/// Parses `bytes`; `file_name` decides JSON or YAML by extension, else by content.
pub(crate) fn load(file_name: &str, bytes: &[u8]) -> SpecResult<Loaded> {
    let sha256 = sha256_hex(bytes);
    let (document, origin) = if is_json(file_name, bytes) { parse_json(bytes)? } else { parse_yaml(bytes)? };
    Ok(Loaded { document, sha256, origin })
}

/// The version a spec declares (`3.0.3`, or `swagger 2.0` for Swagger), read as
/// the generator reads it; `None` when the text does not parse or says none.
pub fn declared_version(file_name: &str, bytes: &[u8]) -> Option<String> {
    let probe: VersionProbe = if is_json(file_name, bytes) {
        serde_json::from_slice(bytes).ok()?
    } else {
        yaml_serde::from_slice(bytes).ok()?
    };
    let text = |value: Value| match value {
        Value::String(text) => Some(text),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    };
    probe.openapi.and_then(text).or_else(|| probe.swagger.and_then(text).map(|version| format!("swagger {version}")))
}

/// The lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

fn is_json(file_name: &str, bytes: &[u8]) -> bool {
    if file_name.ends_with(".json") {
        return true;
    }
    if file_name.ends_with(".yaml") || file_name.ends_with(".yml") {
        return false;
    }
    bytes.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{')
}

fn parse_json(bytes: &[u8]) -> SpecResult<(OpenAPI, Origin)> {
    let probe: VersionProbe = serde_json::from_slice(bytes)
        .map_err(|error| SpecError::new(&Pointer::root(), format!("not valid JSON: {error}")))?;
    let tree = || -> SpecResult<yaml_serde::Value> {
        serde_json::from_slice(bytes)
            .map_err(|error| SpecError::new(&Pointer::root(), format!("not valid JSON: {error}")))
    };
    let version = match version_of(&probe)? {
        Version::V30(version) => version,
        other => return converted(tree()?, other),
    };
    let origin = Origin { format: format!("OpenAPI {version}"), webhooks: Vec::new() };
    if normalize::has_irregular_refs(bytes) {
        return Ok((from_normalized_tree(tree()?, || serde_json::from_slice(bytes).unwrap_or(Value::Null))?, origin));
    }
    // The fast path reads the bytes once; only a failing document is read again as a tree.
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    let document = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let document: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
        locate(&document, path_error(error))
    })?;
    Ok((document, origin))
}

fn parse_yaml(bytes: &[u8]) -> SpecResult<(OpenAPI, Origin)> {
    let probe: VersionProbe = yaml_serde::from_slice(bytes)
        .map_err(|error| SpecError::new(&Pointer::root(), format!("not valid YAML: {error}")))?;
    let tree = || -> SpecResult<yaml_serde::Value> {
        yaml_serde::from_slice(bytes)
            .map_err(|error| SpecError::new(&Pointer::root(), format!("not valid YAML: {error}")))
    };
    let version = match version_of(&probe)? {
        Version::V30(version) => version,
        other => return converted(tree()?, other),
    };
    let origin = Origin { format: format!("OpenAPI {version}"), webhooks: Vec::new() };
    if normalize::has_irregular_refs(bytes) {
        return Ok((from_normalized_tree(tree()?, || yaml_serde::from_slice(bytes).unwrap_or(Value::Null))?, origin));
    }
    // Straight into the model: a detour through `serde_json::Value` would sort
    // every map and lose the spec's property order.
    let deserializer = yaml_serde::Deserializer::from_slice(bytes);
    let document = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let document: Value = yaml_serde::from_slice(bytes).unwrap_or(Value::Null);
        locate(&document, path_error(error))
    })?;
    Ok((document, origin))
}

/// A 3.1 or Swagger 2.0 document: rewritten into 3.0 form as a tree, then read
/// like a 3.0 one. An error in what the conversion keeps points into the
/// document as converted (for 3.1 the same places, nearly always).
fn converted(mut tree: yaml_serde::Value, version: Version) -> SpecResult<(OpenAPI, Origin)> {
    let origin = match version {
        Version::V31(version) => {
            let webhooks = crate::openapi31::downgrade(&mut tree)?;
            Origin { format: format!("OpenAPI {version}"), webhooks }
        }
        Version::Swagger2 => {
            crate::swagger2::upgrade(&mut tree)?;
            Origin { format: SWAGGER_2.to_owned(), webhooks: Vec::new() }
        }
        Version::V30(version) => Origin { format: format!("OpenAPI {version}"), webhooks: Vec::new() },
    };
    let as_converted = serde_json::to_value(&tree).unwrap_or(Value::Null);
    let document = from_normalized_tree(tree, || as_converted.clone()).map_err(|error| origin.as_written(error))?;
    Ok((document, origin))
}

/// The slow path, for the few specs with references the resolver cannot follow.
/// A `yaml_serde::Value` keeps the order of properties (JSON reads into it too).
fn from_normalized_tree(mut tree: yaml_serde::Value, as_written: impl Fn() -> Value) -> SpecResult<OpenAPI> {
    normalize::normalize(&mut tree)?;
    serde_path_to_error::deserialize(tree).map_err(|error| locate(&as_written(), path_error(error)))
}

fn version_of(probe: &VersionProbe) -> SpecResult<Version> {
    let version_pointer = Pointer::root().join("openapi");
    if let Some(swagger) = &probe.swagger {
        return match swagger {
            Value::String(version) if version == "2.0" => Ok(Version::Swagger2),
            other => Err(SpecError::new(
                &Pointer::root().join("swagger"),
                format!("unsupported Swagger version {other}; expected \"2.0\""),
            )),
        };
    }
    match &probe.openapi {
        None => {
            Err(SpecError::new(&version_pointer, "missing `openapi` version field; this is not an OpenAPI document"))
        }
        Some(Value::String(version)) if version.starts_with("3.0") => Ok(Version::V30(version.clone())),
        Some(Value::String(version)) if version.starts_with("3.1") => Ok(Version::V31(version.clone())),
        Some(other) => Err(SpecError::new(
            &version_pointer,
            format!("unsupported OpenAPI version {other}; expected 3.0.x or 3.1.x (or Swagger 2.0)"),
        )),
    }
}

/// Turns a serde path (`paths./pets.get`) into a JSON pointer (`/paths/~1pets/get`).
fn path_error<E: std::fmt::Display>(error: serde_path_to_error::Error<E>) -> SpecError {
    let mut pointer = Pointer::root();
    for segment in error.path().iter() {
        pointer = match segment {
            serde_path_to_error::Segment::Seq { index } => pointer.join(index),
            serde_path_to_error::Segment::Map { key } => pointer.join(key),
            serde_path_to_error::Segment::Enum { variant } => pointer.join(variant),
            serde_path_to_error::Segment::Unknown => pointer.join("?"),
        };
    }
    SpecError::new(&pointer, format!("not a valid OpenAPI 3.0 document here: {}", error.inner()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(file: &str, text: &str) -> String {
        let error = load(file, text.as_bytes()).err().expect("should fail");
        format!("{}: {}", error.pointer, error.message)
    }

    #[test]
    fn unsupported_versions_are_named() {
        assert!(error_of("a.json", r#"{"swagger":"1.2"}"#).starts_with("/swagger: unsupported Swagger version"));
        assert!(error_of("a.yaml", "openapi: 4.0.0\n").starts_with("/openapi: unsupported OpenAPI version"));
        assert!(error_of("a.json", r#"{"info":{}}"#).contains("missing `openapi`"));
    }

    #[test]
    fn a_broken_3_1_or_2_0_document_names_where() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: 7}\n";
        let message = error_of("a.yaml", text);
        assert!(message.starts_with("/paths/~1a/get/responses/200"), "{message}");
        let swagger = r#"{"swagger":"2.0","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{}}}}"#;
        assert_eq!(error_of("a.json", swagger), "/paths/~1a/get/responses: an operation needs `responses`");
    }

    #[test]
    fn structural_errors_carry_a_pointer() {
        let text = r#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":7}}}}}}"#;
        let message = error_of("a.json", text);
        assert!(message.starts_with("/paths/~1a/get/responses/200: "), "{message}");
        let yaml = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, properties: {x: {type: object, required: true}}}\n";
        let message = error_of("a.yaml", yaml);
        assert!(
            message.starts_with("/paths/~1a/get/responses/200/content/application~1json/schema/properties/x: "),
            "{message}"
        );
    }

    #[test]
    fn syntax_errors_say_so() {
        assert!(error_of("a.json", "{").contains("not valid JSON"));
        assert!(error_of("a.yaml", "openapi: [").contains("not valid YAML"));
    }
}
