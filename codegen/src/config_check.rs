//! The config checked against the spec: every setting must apply somewhere.
//!
//! A setting that matches nothing is almost always a typo or a spec change (an
//! operation renamed, a parameter dropped), and it fails silently otherwise:
//! the crate still generates, just without the paging or the partial updates
//! the config asked for. Each one becomes a [`ConfigWarning`] naming its key.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::ApiConfig;
use crate::model::{Model, ParamEncoding, TypeRef};

/// A config setting that applies to nothing in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning {
    /// The setting's key in the `generate:` section, e.g. `pagination[1]`.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "generate.{}: {}", self.key, self.message)
    }
}

/// What building the operations found out about the config.
#[derive(Debug, Default)]
pub(crate) struct ConfigUse {
    /// Page styles (by index) some operation has the parameters of.
    pub(crate) pagination_with_params: BTreeSet<usize>,
    /// Page styles some operation pages with.
    pub(crate) pagination_applied: BTreeSet<usize>,
    /// Why a style with matching parameters did not apply, first case.
    pub(crate) pagination_problems: BTreeMap<usize, String>,
    /// Whether some success body was taken as the envelope.
    pub(crate) envelope_used: bool,
    /// Envelope paths (by key) some enveloped response does not have.
    pub(crate) envelope_paths_missing: BTreeMap<&'static str, String>,
    /// Why a configured job (by index) got no method.
    pub(crate) job_problems: BTreeMap<usize, String>,
}

/// Every setting of `config` that applies to nothing in `model`.
pub(crate) fn warnings(
    config: &ApiConfig,
    model: &Model,
    usage: &ConfigUse,
    component_names: &BTreeSet<&str>,
) -> Vec<ConfigWarning> {
    let mut warnings = Vec::new();
    let mut warn = |key: String, message: String| warnings.push(ConfigWarning { key, message });
    for (index, style) in config.pagination.iter().enumerate() {
        let key = format!("pagination[{index}]");
        let params = style.required_params().join("`, `");
        if !usage.pagination_with_params.contains(&index) {
            warn(key, format!("no list operation has the query parameters `{params}`"));
        } else if !usage.pagination_applied.contains(&index) {
            let why = usage.pagination_problems.get(&index).cloned().unwrap_or_default();
            warn(key, format!("operations have `{params}` but none pages with this style: {why}"));
        }
    }
    for wire in config.array_style_overrides.keys() {
        let matches = model
            .operations
            .iter()
            .flat_map(|operation| operation.required_params.iter().chain(&operation.optional_params));
        if !matches.into_iter().any(|param| param.wire == *wire && matches!(param.encoding, ParamEncoding::Array(_))) {
            warn(
                format!("array_style_overrides.{wire}"),
                format!("no operation has an array query parameter `{wire}`"),
            );
        }
    }
    for (index, prefix) in config.partial_updates.operation_id_prefixes.iter().enumerate() {
        if !model
            .operations
            .iter()
            .any(|operation| operation.id.starts_with(prefix.as_str()) && operation.body.is_some())
        {
            warn(
                format!("partial_updates.operation_id_prefixes[{index}]"),
                format!("no operation with a request body has an operationId starting with `{prefix}`"),
            );
        }
    }
    for (index, problem) in &usage.job_problems {
        warn(format!("jobs[{index}]"), problem.clone());
    }
    for (index, header) in config.client.managed_headers.iter().enumerate() {
        let set_somewhere = model.operations.iter().flat_map(|operation| &operation.managed_headers);
        if !set_somewhere.into_iter().any(|managed| managed.eq_ignore_ascii_case(header)) {
            warn(format!("client.managed_headers[{index}]"), format!("no operation has a header parameter `{header}`"));
        }
    }
    let secret_wires = secret_wire_names(model);
    for name in config.secrets.iter().filter(|name| !secret_wires.contains(name.as_str())) {
        warn(format!("secrets.{name}"), format!("no string property or parameter is named `{name}`"));
    }
    for name in config.type_overrides.keys() {
        if !component_names.contains(name.as_str()) {
            warn(format!("type_overrides.{name}"), format!("the spec has no component schema `{name}`"));
        }
    }
    if let Some(envelope) = &config.client.envelope {
        if !usage.envelope_used {
            warn(
                "client.envelope.data".to_owned(),
                format!(
                    "no JSON success body has a `{}` property, so no operation returns the envelope",
                    envelope.data
                ),
            );
        }
        for (key, example) in &usage.envelope_paths_missing {
            warn(format!("client.envelope.{key}"), format!("an enveloped response has no such field: {example}"));
        }
    }
    warnings
}

/// Wire names of the fields and parameters typed `Secret`.
fn secret_wire_names(model: &Model) -> BTreeSet<&str> {
    model.wire_types().filter(|(_, ty)| **ty == TypeRef::Secret).map(|(wire, _)| wire).collect()
}
