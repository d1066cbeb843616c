//! The 29 dated versions of the real Sophos Factory spec (2020–2023, from
//! `../shared/specs/sophos-factory/history`), walked oldest to newest with the
//! Factory config, as if each had been fetched and regenerated in turn.
//!
//! For every step the surface diff is checked against what changed in the two
//! JSON files, read here straight from the JSON (operationIds, parameters,
//! component schemas and their properties), not through the generator. A few
//! steps, checked by hand, are pinned as snapshots. That every version
//! generates compiling code is checked by `generated_code_compiles`, which
//! compiles all 29 in one `cargo check`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use heck::ToUpperCamelCase;
use secgen_codegen::{Impact, Surface, SurfaceDiff, TypeSurface};
use serde_json::Value;
use xtask::apis::{self, Api};
use xtask::regen::{self, Previous};
use xtask::scratch;
use xtask::spec_source::Spec;

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

struct Version {
    /// `01-2020-08-07`.
    label: String,
    bytes: Vec<u8>,
    json: Value,
    surface: Surface,
}

fn factory() -> Api {
    apis::selected(Some("sophos-factory")).unwrap().remove(0)
}

/// Every version, generated once for all the tests here.
fn history() -> &'static [Version] {
    static HISTORY: OnceLock<Vec<Version>> = OnceLock::new();
    HISTORY.get_or_init(|| read_history(&factory()))
}

fn read_history(api: &Api) -> Vec<Version> {
    let history = scratch::factory_history().unwrap();
    assert_eq!(history.len(), 29, "the 29 dated Factory specs");
    history
        .into_iter()
        .map(|(label, bytes)| {
            let json = serde_json::from_slice(&bytes).unwrap();
            let generated = secgen_codegen::generate(&format!("{label}.json"), &bytes, &api.config)
                .unwrap_or_else(|error| panic!("{label}: {error}"));
            Version { label, bytes, json, surface: generated.surface }
        })
        .collect()
}

/// What changed between two spec files, read from the JSON alone.
#[derive(Debug, Default)]
struct RawChanges {
    operations_added: BTreeSet<String>,
    operations_removed: BTreeSet<String>,
    /// (operationId, parameter name).
    parameters_removed: BTreeSet<(String, String)>,
    schemas_removed: BTreeSet<String>,
    /// (schema, property), for schemas in both files.
    properties_added: BTreeSet<(String, String)>,
    properties_removed: BTreeSet<(String, String)>,
    /// A different type, format, `$ref`, item type, enum-ness, or an object that
    /// gained or lost its properties (a struct or a map) (or nullability,
    /// for required properties: an optional one is an `Option` either way).
    properties_retyped: BTreeSet<(String, String)>,
    /// Properties in both files that became required.
    properties_now_required: BTreeSet<(String, String)>,
}

impl RawChanges {
    fn between(old: &Value, new: &Value) -> Self {
        let mut changes = RawChanges::default();
        let (old_ops, new_ops) = (operations(old), operations(new));
        changes.operations_added = new_ops.keys().filter(|id| !old_ops.contains_key(*id)).cloned().collect();
        changes.operations_removed = old_ops.keys().filter(|id| !new_ops.contains_key(*id)).cloned().collect();
        for (id, old_params) in &old_ops {
            if let Some(new_params) = new_ops.get(id) {
                for name in old_params.difference(new_params) {
                    changes.parameters_removed.insert((id.clone(), name.clone()));
                }
            }
        }
        let (old_schemas, new_schemas) = (schemas(old), schemas(new));
        changes.schemas_removed = old_schemas.keys().filter(|name| !new_schemas.contains_key(*name)).cloned().collect();
        for (name, old_schema) in &old_schemas {
            let Some(new_schema) = new_schemas.get(name) else { continue };
            let (old_props, new_props) = (properties(old_schema), properties(new_schema));
            let (old_required, new_required) = (required(old_schema), required(new_schema));
            for (prop, old_prop) in &old_props {
                let key = (name.clone(), prop.clone());
                let ever_required = old_required.contains(prop) || new_required.contains(prop);
                match new_props.get(prop) {
                    None => _ = changes.properties_removed.insert(key),
                    Some(new_prop) if signature(old_prop, ever_required) != signature(new_prop, ever_required) => {
                        changes.properties_retyped.insert(key);
                    }
                    Some(_) if !old_required.contains(prop) && new_required.contains(prop) => {
                        changes.properties_now_required.insert(key);
                    }
                    Some(_) => {}
                }
            }
            for prop in new_props.keys().filter(|prop| !old_props.contains_key(*prop)) {
                changes.properties_added.insert((name.clone(), prop.clone()));
            }
        }
        changes
    }

    fn counts(&self) -> [usize; 8] {
        [
            self.operations_added.len(),
            self.operations_removed.len(),
            self.parameters_removed.len(),
            self.schemas_removed.len(),
            self.properties_added.len(),
            self.properties_removed.len(),
            self.properties_retyped.len(),
            self.properties_now_required.len(),
        ]
    }

    /// Whether callers of the old crate can be broken by this step.
    fn removes_or_retypes(&self) -> bool {
        !(self.operations_removed.is_empty()
            && self.parameters_removed.is_empty()
            && self.schemas_removed.is_empty()
            && self.properties_removed.is_empty()
            && self.properties_retyped.is_empty())
    }
}

/// operationId → parameter names (path-level ones included).
fn operations(spec: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut found = BTreeMap::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for method in METHODS {
            let Some(operation) = item.get(method) else { continue };
            let params = [&item["parameters"], &operation["parameters"]]
                .into_iter()
                .filter_map(Value::as_array)
                .flatten()
                .map(|param| resolve(spec, param)["name"].as_str().unwrap().to_owned())
                .collect();
            found.insert(operation["operationId"].as_str().unwrap().to_owned(), params);
        }
    }
    found
}

fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(pointer) => spec.pointer(pointer.trim_start_matches('#')).unwrap(),
        None => value,
    }
}

fn schemas(spec: &Value) -> BTreeMap<String, Value> {
    spec["components"]["schemas"].as_object().map(|schemas| schemas.clone().into_iter().collect()).unwrap_or_default()
}

fn properties(schema: &Value) -> BTreeMap<String, Value> {
    schema["properties"].as_object().map(|props| props.clone().into_iter().collect()).unwrap_or_default()
}

fn required(schema: &Value) -> BTreeSet<String> {
    schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
}

/// What decides a property's Rust type, leaving docs and examples out.
fn signature(property: &Value, required: bool) -> String {
    let items = property.get("items").map(|items| signature(items, true)).unwrap_or_default();
    let nullable = if required { &property["nullable"] } else { &Value::Null };
    let (is_enum, is_struct) = (property.get("enum").is_some(), property.get("properties").is_some());
    format!("{}|{}|{}|{nullable}|{is_enum}|{is_struct}|{items}", property["$ref"], property["type"], property["format"])
}

/// The spec with everything that cannot change the crate's surface removed.
fn without_docs(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| !matches!(key.as_str(), "description" | "summary" | "example" | "examples" | "info"))
                .map(|(key, value)| (key.clone(), without_docs(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_docs).collect()),
        other => other.clone(),
    }
}

fn operation_ids(surface: &Surface) -> BTreeSet<String> {
    surface.operations.values().map(|operation| operation.operation_id.clone()).collect()
}

/// The Rust name of the field read from `wire` in the struct generated for `schema`.
fn field_name(surface: &Surface, schema: &str, wire: &str) -> Option<String> {
    match surface.types.get(&schema.to_upper_camel_case())? {
        TypeSurface::Struct { fields, .. } => {
            fields.iter().find(|(_, field)| field.wire == wire).map(|(name, _)| name.clone())
        }
        _ => None,
    }
}

/// The worst impact the diff reports for `item`, or for the whole type `ty`.
fn impact_on(diff: &SurfaceDiff, ty: &str, item: &str) -> Option<Impact> {
    diff.changes.iter().filter(|change| change.item == item || change.item == ty).map(|change| change.impact).max()
}

/// Every disagreement between the surface diff of one step and the JSON.
fn disagreements(old: &Version, new: &Version, diff: &SurfaceDiff) -> Vec<String> {
    let raw = RawChanges::between(&old.json, &new.json);
    let mut found = Vec::new();
    let mut expect = |ok: bool, what: String| {
        if !ok {
            found.push(what);
        }
    };
    let (old_ids, new_ids) = (operation_ids(&old.surface), operation_ids(&new.surface));
    let added: BTreeSet<String> = new_ids.difference(&old_ids).cloned().collect();
    let removed: BTreeSet<String> = old_ids.difference(&new_ids).cloned().collect();
    expect(
        added == raw.operations_added,
        format!("operations added: surface {added:?}, JSON {:?}", raw.operations_added),
    );
    expect(
        removed == raw.operations_removed,
        format!("operations removed: surface {removed:?}, JSON {:?}", raw.operations_removed),
    );
    for (operation_id, param) in &raw.parameters_removed {
        let method = old
            .surface
            .operations
            .iter()
            .find(|(_, op)| &op.operation_id == operation_id)
            .map(|(name, _)| name)
            .unwrap();
        let reported = diff.changes.iter().any(|change| {
            &change.item == method
                && change.impact >= Impact::Breaking
                && change.description.contains(&format!("`{param}`"))
        });
        expect(reported, format!("{operation_id}: removed parameter {param} not reported as breaking"));
    }
    for schema in &raw.schemas_removed {
        let ty = schema.to_upper_camel_case();
        expect(
            impact_on(diff, &ty, &ty) == Some(Impact::Breaking),
            format!("{ty}: removed schema not reported as breaking"),
        );
    }
    for (schema, prop) in &raw.properties_removed {
        let ty = schema.to_upper_camel_case();
        let Some(field) = field_name(&old.surface, schema, prop) else {
            expect(false, format!("{ty}: no field read from {prop:?} before it was removed"));
            continue;
        };
        expect(field_name(&new.surface, schema, prop).is_none(), format!("{ty}.{field}: still there"));
        let impact = impact_on(diff, &ty, &format!("{ty}.{field}"));
        expect(impact >= Some(Impact::Breaking), format!("{ty}.{field}: removal reported as {impact:?}"));
    }
    for (schema, prop) in raw.properties_retyped.iter().chain(&raw.properties_now_required) {
        let ty = schema.to_upper_camel_case();
        let field = field_name(&new.surface, schema, prop).unwrap_or_default();
        let impact = impact_on(diff, &ty, &format!("{ty}.{field}"));
        expect(
            impact >= Some(Impact::Breaking),
            format!("{ty}.{field}: type or requiredness change reported as {impact:?}"),
        );
    }
    for (schema, prop) in &raw.properties_added {
        let ty = schema.to_upper_camel_case();
        match field_name(&new.surface, schema, prop) {
            Some(field) => expect(
                impact_on(diff, &ty, &format!("{ty}.{field}")).is_some(),
                format!("{ty}.{field}: addition not reported"),
            ),
            None => expect(false, format!("{ty}: no field read from the new property {prop:?}")),
        }
    }
    expect(
        !raw.removes_or_retypes() || diff.is_breaking(),
        format!("something was removed or retyped, yet the step is classified {:?}", diff.worst()),
    );
    if without_docs(&old.json) == without_docs(&new.json) {
        expect(diff.is_empty(), "only docs changed, yet the surface diff is not empty".to_owned());
    }
    found
}

#[test]
fn every_step_of_the_factory_history_is_classified_as_its_json_changed() {
    let versions = history();
    let mut problems = Vec::new();
    let mut steps = vec![
        "step: ops +/-, params -, schemas -, props +/-/retyped/now required (from the JSON) => surface diff".to_owned(),
    ];
    for pair in versions.windows(2) {
        let (old, new) = (&pair[0], &pair[1]);
        let diff = SurfaceDiff::between(&old.surface, &new.surface);
        let step = format!("{} -> {}", old.label, new.label);
        problems.extend(disagreements(old, new, &diff).into_iter().map(|problem| format!("{step}: {problem}")));
        let counts = RawChanges::between(&old.json, &new.json).counts().map(|count| count.to_string()).join(" ");
        steps.push(format!("{step}: {counts} => {} changes, {:?}", diff.changes.len(), diff.worst()));
    }
    assert!(problems.is_empty(), "{} disagreements:\n{}", problems.len(), problems.join("\n"));
    // What each step changed and how it was classified, for the record.
    insta::assert_snapshot!("steps", steps.join("\n"));
}

/// Steps read by hand against a JSON diff of the two files:
/// - 03 -> 04: `Job` gained `disable_on_failure`; `JobRequest` has required
///   fields, so its literals break;
/// - 14 -> 15: `Job.webhook` went from a typed object to a free-form one (its
///   struct is gone); `pinned`, `webhook_type` and two `search` parameters are new;
/// - 23 -> 24: the organization, token and user endpoints left the spec, two
///   image uploads arrived;
/// - 27 -> 28: the pipeline revision POST response renamed `id` to `_id`.
#[test]
fn surface_diffs_of_steps_checked_by_hand() {
    let versions = history();
    for (old, new) in [(3, 4), (14, 15), (23, 24), (27, 28)] {
        let (old, new) = (&versions[old - 1], &versions[new - 1]);
        let diff = SurfaceDiff::between(&old.surface, &new.surface);
        let name = format!("step_{}_to_{}", old.label, new.label);
        insta::assert_snapshot!(name, diff.render());
    }
}

/// Regen after each fetch: the version bump and changelog each step gets.
#[test]
fn regenerating_each_version_in_turn_bumps_the_crate_version_by_semver() {
    let api = factory();
    let mut previous: Option<Previous> = None;
    let mut versions = Vec::new();
    let mut changelog = String::new();
    for version in history() {
        let spec = Spec { file_name: format!("{}.json", version.label), bytes: version.bytes.clone() };
        let plan = regen::plan_from(&api, &spec, previous.as_ref()).unwrap();
        let manifest = &plan.files["Cargo.toml"];
        let crate_version =
            manifest.lines().find_map(|line| line.strip_prefix("version = ")).unwrap().trim_matches('"').to_owned();
        versions.push(format!("{} {crate_version}", version.label));
        changelog = plan.files[regen::CHANGELOG_FILE].clone();
        previous = Previous::from_files(|name| plan.files.get(name).cloned()).unwrap();
        assert!(previous.is_some(), "{}: the planned crate reads back", version.label);
    }
    insta::assert_snapshot!("versions", versions.join("\n"));
    let entries = changelog.lines().filter(|line| line.starts_with("## ")).count();
    assert_eq!(entries, 29, "one changelog entry per fetched version");
}
