//! `cargo xtask verify [API]`: a spec held against the vendor's own evidence.
//!
//! For every request of the API's Postman collections, and every operation with
//! examples in the spec itself, it reports:
//! - coverage: the operation it matches by method and path template, or none;
//! - parameters: query parameters and headers it sends that the operation lacks;
//! - bodies: every example request and response body decoded with the generated
//!   crate's own type for that operation and status (in Rust, by a small program
//!   built against the crate), and every field the types drop (decode, re-encode,
//!   compare).
//!
//! Requests the API's `api.yaml` excludes, with a reason, are counted apart.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};
use secgen_codegen::{BodyDecoder, BodyRole, GeneratedCrate, OperationSurface};
use serde_json::{Value, json};

use crate::apis::{Api, Exclusion};
use crate::postman::{self, EvidenceRequest};
use crate::progress::Progress;
use crate::{scratch, spec_examples, spec_source, workspace};

/// Headers every client sends or the runtime sets: never a spec parameter.
pub(crate) const TRANSPORT_HEADERS: &[&str] =
    &["authorization", "accept", "content-type", "user-agent", "cache-control"];

/// What `verify` found for one API.
#[cfg(test)]
mod tests {
    use super::glob_matches;

    #[test]
    fn request_patterns_take_stars_anywhere() {
        assert!(glob_matches("*Policies / *", "v1 / Policies / Get audit policy"));
        assert!(glob_matches("Orbital / *", "Orbital / Query"));
        assert!(glob_matches("Exact", "Exact"));
        assert!(!glob_matches("Orbital / *", "v1 / Orbital / Query"));
        assert!(!glob_matches("a*b*c", "acb"));
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub requests: usize,
    pub matched: usize,
    pub excluded: usize,
    /// Placeholder values in formatted fields read as text (collections with
    /// `formats_unchecked`).
    pub placeholders: usize,
    /// Requests of an older collection that the newest no longer has and no
    /// operation matches: the vendor removed them.
    pub removed: Vec<String>,
    /// One line per problem: `<request>: <what>`.
    pub gaps: Vec<String>,
}

impl Report {
    /// The report as text: one line per gap, then a summary line.
    pub fn render(&self, api: &str) -> String {
        let mut text = String::new();
        if self.requests == 0 {
            let _ =
                writeln!(text, "verify {api}: no evidence (api.yaml names no collection; the spec has no examples)");
            return text;
        }
        for removed in &self.removed {
            let _ = writeln!(text, "removed: {removed}");
        }
        for gap in &self.gaps {
            let _ = writeln!(text, "gap: {gap}");
        }
        let removed = match self.removed.len() {
            0 => String::new(),
            count => format!(", {count} removed by the vendor"),
        };
        let placeholders = match self.placeholders {
            0 => String::new(),
            count => format!(" ({count} placeholder values in formatted fields read as text)"),
        };
        let _ = writeln!(
            text,
            "verify {api}: {} evidence requests, {} matched, {} excluded{removed}; {} gaps{placeholders}",
            self.requests,
            self.matched,
            self.excluded,
            self.gaps.len()
        );
        text
    }
}

/// Where `../shared/evidence` is.
pub fn evidence_dir() -> Result<PathBuf> {
    let beside = workspace::root().parent().map(|parent| parent.join("shared").join("evidence"));
    beside.filter(|dir| dir.is_dir()).context("no ../shared/evidence beside the workspace")
}

/// Verifies `api` against the collections its `api.yaml` names and the examples in its spec.
pub fn verify(api: &Api) -> Result<Report> {
    let mut requests = Vec::new();
    if !api.evidence.collections.is_empty() {
        let dir = evidence_dir()?;
        let several = api.evidence.collections.len() > 1;
        let mut newest: Option<(String, Vec<EvidenceRequest>)> = None;
        for collection in &api.evidence.collections {
            let stem = collection_stem(&collection.file);
            let mut read = postman::read(&dir.join(&collection.file))?;
            for request in &mut read {
                request.collection = several.then(|| stem.clone());
                request.formats_checked = collection.formats_unchecked.is_none();
            }
            match &newest {
                None => newest = Some((stem, read.clone())),
                Some((name, current)) => mark_removed(current, &mut read, name, &api.evidence.server_path),
            }
            requests.extend(read);
        }
    }
    let spec = spec_source::load(api)?;
    let document: Value = yaml_serde::from_slice(&spec.bytes)
        .with_context(|| format!("{}: reading {} for its examples", api.name, spec.file_name))?;
    requests.extend(spec_examples::requests(&document, &api.evidence.server_path));
    let generated = secgen_codegen::generate(&spec.file_name, &spec.bytes, &api.config)
        .map_err(|error| anyhow::anyhow!("{}: {error}", api.name))?;
    verify_requests(api, &generated, &requests)
}

/// `sophos-central/central-apis.2023-12-08.postman_collection.json` → `central-apis.2023-12-08`.
fn collection_stem(file: &str) -> String {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.trim_end_matches(".json").trim_end_matches(".postman_collection").to_owned()
}

/// Marks the requests of an older collection that the newest one (`newest_name`)
/// no longer has, by method and path template: matched by no operation, they are
/// reported as removed by the vendor, not as gaps.
pub fn mark_removed(newest: &[EvidenceRequest], older: &mut [EvidenceRequest], newest_name: &str, server_path: &str) {
    let template = |request: &EvidenceRequest| {
        let segments = request_path(request, server_path)?;
        let shape: Vec<String> =
            segments.into_iter().map(|segment| if is_variable(&segment) { "{}".to_owned() } else { segment }).collect();
        Some((request.method.clone(), shape))
    };
    let current: HashSet<(String, Vec<String>)> = newest.iter().filter_map(template).collect();
    for request in older {
        // A path outside the server path is reported as such, not as removed.
        if template(request).is_some_and(|shape| !current.contains(&shape)) {
            request.removed_since = Some(newest_name.to_owned());
        }
    }
}

/// Verifies `requests` against the crate generated for `api`.
pub fn verify_requests(api: &Api, generated: &GeneratedCrate, requests: &[EvidenceRequest]) -> Result<Report> {
    let mut report = Report { requests: requests.len(), ..Report::default() };
    let mut jobs: Vec<Job> = Vec::new();
    for request in requests {
        if is_excluded(&api.evidence.exclude, request) {
            report.excluded += 1;
            continue;
        }
        let path = request_path(request, &api.evidence.server_path);
        let Some(path) = path else {
            report.gaps.push(format!(
                "{}: its path does not start with `{}`",
                request.label(),
                api.evidence.server_path
            ));
            continue;
        };
        let Some(operation) = matching_operation(generated.surface.operations.values(), &request.method, &path) else {
            if let Some(newest) = &request.removed_since {
                report.removed.push(format!(
                    "{}: {} /{} is not in {newest}",
                    request.label(),
                    request.method,
                    path.join("/")
                ));
                continue;
            }
            report.gaps.push(format!("{}: no operation for {} /{}", request.label(), request.method, path.join("/")));
            continue;
        };
        report.matched += 1;
        report.gaps.extend(parameter_gaps(api, request, operation));
        jobs.extend(body_jobs(&api.evidence.exclude, request, operation, &generated.decoders, &mut report.gaps));
    }
    if !jobs.is_empty() {
        let decoded = decode(api, generated, &jobs)?;
        report.gaps.extend(decoded.gaps);
        report.placeholders = decoded.placeholders;
    }
    Ok(report)
}

pub(crate) fn is_excluded(exclusions: &[Exclusion], request: &EvidenceRequest) -> bool {
    exclusions
        .iter()
        .filter(|exclusion| exclusion.parameter.is_none() && exclusion.response.is_none())
        .any(|exclusion| applies(exclusion, request))
}

/// Whether a parameter exclusion covers `name` as `request` sends it.
fn is_excluded_parameter(exclusions: &[Exclusion], request: &EvidenceRequest, name: &str) -> bool {
    exclusions.iter().any(|exclusion| {
        exclusion.parameter.as_deref().is_some_and(|parameter| parameter == "*" || parameter.eq_ignore_ascii_case(name))
            && (exclusion.request.is_none() && exclusion.path_prefix.is_none() || applies(exclusion, request))
    })
}

/// Whether a response exclusion covers `request`'s examples of `status`.
fn is_excluded_response(exclusions: &[Exclusion], request: &EvidenceRequest, status: u16) -> bool {
    exclusions.iter().any(|exclusion| exclusion.response == Some(status) && applies(exclusion, request))
}

/// Whether an exclusion's request name or path prefix fits `request`.
fn applies(exclusion: &Exclusion, request: &EvidenceRequest) -> bool {
    let full_path = format!("/{}", request.segments.join("/"));
    let by_name = exclusion.request.as_deref().is_some_and(|pattern| glob_matches(pattern, &request.name));
    let by_path = exclusion.path_prefix.as_deref().is_some_and(|prefix| full_path.starts_with(prefix));
    by_name || by_path
}

/// `*` stands for any run of characters; everything else is literal.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return pattern == text;
    }
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// The request's path segments below the API's server path; `None` if it is not under it.
pub(crate) fn request_path(request: &EvidenceRequest, server_path: &str) -> Option<Vec<String>> {
    let prefix: Vec<&str> = server_path.split('/').filter(|segment| !segment.is_empty()).collect();
    let starts = request.segments.len() >= prefix.len()
        && prefix.iter().zip(&request.segments).all(|(expected, segment)| *expected == segment);
    starts.then(|| request.segments[prefix.len()..].to_vec())
}

pub(crate) fn is_variable(segment: &str) -> bool {
    segment.starts_with(':') || (segment.starts_with("{{") && segment.ends_with("}}"))
}

/// The operation whose method and path template fit; literal segments must be
/// equal, a template parameter takes any segment. The most literal match wins.
pub(crate) fn matching_operation<'a>(
    operations: impl Iterator<Item = &'a OperationSurface>,
    method: &str,
    path: &[String],
) -> Option<&'a OperationSurface> {
    operations
        .filter_map(|operation| {
            let (op_method, template) = operation.endpoint.split_once(' ')?;
            if !op_method.eq_ignore_ascii_case(method) {
                return None;
            }
            let template: Vec<&str> = template.split('/').filter(|segment| !segment.is_empty()).collect();
            if template.len() != path.len() {
                return None;
            }
            let mut literal = 0;
            for (expected, segment) in template.iter().zip(path) {
                if expected.starts_with('{') && expected.ends_with('}') {
                    continue;
                }
                if is_variable(segment) || *expected != segment {
                    return None;
                }
                literal += 1;
            }
            Some((literal, operation))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, operation)| operation)
}

fn parameter_gaps(api: &Api, request: &EvidenceRequest, operation: &OperationSurface) -> Vec<String> {
    // `name[]` and `name` are the same array parameter (Rails and PHP read both).
    let base = |name: &str| name.strip_suffix("[]").unwrap_or(name).to_ascii_lowercase();
    let declared = |location: &str, name: &str| {
        operation.params.iter().any(|param| param.location == location && base(&param.name) == base(name))
    };
    let managed = |name: &str| api.config.client.managed_headers.iter().any(|header| header.eq_ignore_ascii_case(name));
    let mut gaps = Vec::new();
    let excluded = |name: &str| is_excluded_parameter(&api.evidence.exclude, request, name);
    for name in request.query.iter().map(|param| &param.name).filter(|name| !declared("query", name) && !excluded(name))
    {
        gaps.push(format!(
            "{}: query parameter `{name}` is not declared by `{}`",
            request.label(),
            operation.operation_id
        ));
    }
    let undeclared_header = |name: &&String| {
        !TRANSPORT_HEADERS.contains(&name.to_ascii_lowercase().as_str())
            && !managed(name)
            && !declared("header", name)
            && !excluded(name)
    };
    for name in request.headers.iter().map(|header| &header.name).filter(undeclared_header) {
        gaps.push(format!("{}: header `{name}` is not declared by `{}`", request.label(), operation.operation_id));
    }
    gaps
}

/// One body to decode: which decoder, the body, how to name it in a gap, and
/// whether its formatted values are checked (see `EvidenceRequest::formats_checked`).
struct Job {
    decoder: usize,
    body: String,
    label: String,
    formats_checked: bool,
}

/// What the decoder found.
struct Decoded {
    gaps: Vec<String>,
    placeholders: usize,
}

fn body_jobs(
    exclusions: &[Exclusion],
    request: &EvidenceRequest,
    operation: &OperationSurface,
    decoders: &[BodyDecoder],
    gaps: &mut Vec<String>,
) -> Vec<Job> {
    let of_operation =
        || decoders.iter().enumerate().filter(|(_, decoder)| decoder.operation_id == operation.operation_id);
    let mut jobs = Vec::new();
    if let Some(body) = request.body.as_ref().filter(|body| is_json(body)) {
        match of_operation().find(|(_, decoder)| decoder.body == BodyRole::Request) {
            Some((index, _)) => jobs.push(Job {
                decoder: index,
                body: body.clone(),
                label: format!("{}: request body", request.label()),
                formats_checked: request.formats_checked,
            }),
            None => {
                gaps.push(format!("{}: sends a JSON body; `{}` takes none", request.label(), operation.operation_id))
            }
        }
    }
    let examples = request
        .responses
        .iter()
        .filter(|example| is_json(&example.body) && !is_excluded_response(exclusions, request, example.status));
    for example in examples {
        let label = format!("{}: {} response `{}`", request.label(), example.status, example.name);
        let fits = |(_, decoder): &(usize, &BodyDecoder)| match &decoder.body {
            BodyRole::Response(status) => status.matches(example.status),
            BodyRole::Request => false,
        };
        match of_operation().find(fits) {
            Some((index, _)) => jobs.push(Job {
                decoder: index,
                body: example.body.clone(),
                label,
                formats_checked: request.formats_checked,
            }),
            None => gaps.push(format!("{label}: `{}` documents no body for this status", operation.operation_id)),
        }
    }
    jobs
}

pub(crate) fn is_json(text: &str) -> bool {
    serde_json::from_str::<Value>(text).is_ok_and(|value| value.is_object() || value.is_array())
}

/// Decodes every job with the generated crate's types: a program built against
/// the crate in `target/scratch/verify-<api>`.
fn decode(api: &Api, generated: &GeneratedCrate, jobs: &[Job]) -> Result<Decoded> {
    let set = format!("verify-{}", api.name);
    let dir = workspace::root().join("target/scratch").join(&set);
    let _ = fs::remove_dir_all(&dir);
    scratch::write_crate(&dir.join("api"), &generated.files)?;
    scratch::write_crate(&dir.join("decoder"), &decoder_crate(&api.config.crate_name, &generated.decoders))?;
    scratch::write_workspace(&dir, &["api".to_owned(), "decoder".to_owned()])?;
    let target = workspace::root().join("target/verify-target");
    let mut progress = Progress::new("verify", 2);
    progress.step(format!("building the {} decoder", api.name));
    let built = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["build", "--quiet", "-p", "decoder"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .context("running cargo build")?;
    if !built.status.success() {
        progress.finish();
        bail!("{}: the decoder did not build:\n{}", api.name, String::from_utf8_lossy(&built.stderr));
    }
    progress.step(format!("decoding {} bodies", jobs.len()));
    let input: Vec<Value> = jobs.iter().map(|job| json!([job.decoder, job.body, job.formats_checked])).collect();
    let input_path = dir.join("jobs.json");
    fs::write(&input_path, serde_json::to_vec(&input)?)?;
    let output = Command::new(target.join("debug/decoder")).arg(&input_path).output().context("running the decoder")?;
    progress.finish();
    if !output.status.success() {
        bail!("{}: the decoder failed:\n{}", api.name, String::from_utf8_lossy(&output.stderr));
    }
    let mut decoded = Decoded { gaps: Vec::new(), placeholders: 0 };
    let gaps = &mut decoded.gaps;
    for (job, line) in jobs.iter().zip(String::from_utf8_lossy(&output.stdout).lines()) {
        let result: Value = serde_json::from_str(line)?;
        let rust_type = &generated.decoders[job.decoder].rust_type;
        if let Some(error) = result.get("error").and_then(Value::as_str) {
            gaps.push(format!("{}: does not decode as `{rust_type}`: {error}", job.label));
        }
        for path in result.get("dropped").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            gaps.push(format!("{}: `{rust_type}` drops `{path}`", job.label));
        }
        decoded.placeholders += result.get("placeholders").and_then(Value::as_u64).unwrap_or(0) as usize;
    }
    Ok(decoded)
}

/// The decoder program: one `check::<T>` per body type.
fn decoder_crate(crate_name: &str, decoders: &[BodyDecoder]) -> BTreeMap<String, String> {
    let manifest = format!(
        "[package]\nname = \"decoder\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n\
         {crate_name} = {{ path = \"../api\" }}\nsecgen-runtime.workspace = true\nsecgen-vendors.workspace = true\n\
         serde.workspace = true\nserde_json = \"1\"\nserde_path_to_error = \"0.1\"\n"
    );
    let arms: String = decoders
        .iter()
        .enumerate()
        .map(|(index, decoder)| {
            format!("            {index} => check::<{}>(&body, formats_checked),\n", decoder.rust_type)
        })
        .collect();
    let main = format!("{}{arms}{}", DECODER_HEAD, DECODER_TAIL);
    BTreeMap::from([("Cargo.toml".to_owned(), manifest), ("src/main.rs".to_owned(), main)])
}

const DECODER_HEAD: &str = r#"//! Written by `cargo xtask verify`: decodes example bodies with a generated crate's types.
#![allow(unused_crate_dependencies)]

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Valid texts of the formats the generated types parse (date-time, date), tried
/// in turn in place of a placeholder value.
const FORMAT_SAMPLES: &[&str] = &["1970-01-01T00:00:00Z", "1970-01-01"];

fn check<T: DeserializeOwned + Serialize>(body: &str, formats_checked: bool) -> Value {
    let mut text = body.to_owned();
    let mut placeholders = 0;
    loop {
        let mut deserializer = serde_json::Deserializer::from_str(&text);
        match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(error) => {
                let replaced = if formats_checked { None } else { with_format_sample::<T>(&text, error.path()) };
                match replaced {
                    Some(next) => {
                        text = next;
                        placeholders += 1;
                    }
                    None => return json!({"error": format!("at `{}`: {}", error.path(), error.inner())}),
                }
            }
            Ok(decoded) => {
                let original: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let again = serde_json::to_value(&decoded).unwrap_or(Value::Null);
                let mut dropped = Vec::new();
                missing(&original, &again, "", &mut dropped);
                return json!({"dropped": dropped, "placeholders": placeholders});
            }
        }
    }
}

/// `text` with the string at `path` replaced by the first format sample that gets
/// the decoding past it; none when the value there is no string or no sample fits
/// (a wrong type, not a placeholder).
fn with_format_sample<T: DeserializeOwned>(text: &str, path: &serde_path_to_error::Path) -> Option<String> {
    let mut value: Value = serde_json::from_str(text).ok()?;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            serde_path_to_error::Segment::Map { key } => {
                pointer.push_str(&format!("/{}", key.replace('~', "~0").replace('/', "~1")))
            }
            _ => return None,
        }
    }
    if !value.pointer(&pointer)?.is_string() {
        return None;
    }
    for sample in FORMAT_SAMPLES {
        *value.pointer_mut(&pointer)? = Value::String((*sample).to_owned());
        let candidate = serde_json::to_string(&value).ok()?;
        let mut deserializer = serde_json::Deserializer::from_str(&candidate);
        match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Ok(_) => return Some(candidate),
            Err(error) if error.path().to_string() != path.to_string() => return Some(candidate),
            Err(_) => {}
        }
    }
    None
}

/// Paths present (and not null) in `original` but absent after the round trip.
fn missing(original: &Value, again: &Value, at: &str, out: &mut Vec<String>) {
    match (original, again) {
        (Value::Object(before), Value::Object(after)) => {
            for (key, value) in before {
                let path = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
                match after.get(key) {
                    None if !value.is_null() => out.push(path),
                    Some(next) => missing(value, next, &path, out),
                    None => {}
                }
            }
        }
        (Value::Array(before), Value::Array(after)) => {
            for (index, (value, next)) in before.iter().zip(after).enumerate() {
                missing(value, next, &format!("{at}[{index}]"), out);
            }
        }
        _ => {}
    }
}

fn main() {
    let path = std::env::args().nth(1).expect("the jobs file");
    let jobs: Vec<(usize, String, bool)> =
        serde_json::from_slice(&std::fs::read(path).expect("readable")).expect("jobs");
    for (decoder, body, formats_checked) in jobs {
        let result = match decoder {
"#;

const DECODER_TAIL: &str = r#"            _ => json!({"error": "no such decoder"}),
        };
        println!("{result}");
    }
}
"#;
