//! One cargo feature per tag (the `features_per_tag` option), so a user who
//! needs one API group compiles only it: which feature each generated file is
//! compiled under, from what each tag's operations reach.
//!
//! A file is compiled under the features of every tag whose operations reach
//! one of its types (or, for an operations file, whose operations it holds).
//! A type no operation reaches, and everything it refers to, is always compiled;
//! so is a file every tag needs.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{FileKey, Model, TypeDef, reachable};

/// The crate's features and the files each gates.
#[derive(Debug, Default)]
pub(crate) struct Features {
    /// Every feature (one per tag), sorted; all on by default.
    pub(crate) names: Vec<String>,
    /// The features under which a file is compiled (any of them); a file not
    /// listed is always compiled.
    pub(crate) of_file: BTreeMap<FileKey, Vec<String>>,
}

/// The feature of a tag: its words, lower case, joined by `-`
/// (`SIEM Integration API` → `siem-integration-api`, `Cloud Security APIs` → `cloud-security-apis`).
pub(crate) fn feature_name(tag: &str) -> String {
    let words: Vec<String> = tag
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() { "untitled".to_owned() } else { words.join("-") }
}

/// The features of `model`; none unless the package asks for them.
pub(crate) fn features(model: &Model) -> Features {
    if !model.package.features_per_tag {
        return Features::default();
    }
    let defs: HashMap<&str, &TypeDef> = model.types.iter().map(|def| (def.name.as_str(), def)).collect();
    let mut reached_by: HashMap<&str, BTreeSet<String>> = HashMap::new();
    let mut files_of_feature: BTreeMap<FileKey, BTreeSet<String>> = BTreeMap::new();
    let mut any_operation_reaches = BTreeSet::new();
    for operation in &model.operations {
        let roots = operation.request_type_names().into_iter().chain(operation.response_type_names());
        let reached = reachable(&defs, roots);
        any_operation_reaches.extend(reached.iter().copied());
        let Some(tag) = &operation.tag else { continue };
        let feature = feature_name(tag);
        files_of_feature.entry(operation.file.clone()).or_default().insert(feature.clone());
        for name in reached {
            reached_by.entry(name).or_default().insert(feature.clone());
        }
    }
    let unreached =
        model.types.iter().map(|def| def.name.as_str()).filter(|name| !any_operation_reaches.contains(name));
    let always = reachable(&defs, unreached);
    let untagged_files: BTreeSet<&FileKey> =
        model.operations.iter().filter(|operation| operation.tag.is_none()).map(|operation| &operation.file).collect();
    let mut always_files: BTreeSet<FileKey> = untagged_files.into_iter().cloned().collect();
    for def in &model.types {
        match reached_by.get(def.name.as_str()) {
            Some(features) if !always.contains(def.name.as_str()) => {
                files_of_feature.entry(def.file.clone()).or_default().extend(features.iter().cloned());
            }
            _ => {
                always_files.insert(def.file.clone());
            }
        }
    }
    let names: BTreeSet<String> = files_of_feature.values().flatten().cloned().collect();
    let of_file = files_of_feature
        .into_iter()
        .filter(|(file, features)| !always_files.contains(file) && features.len() < names.len())
        .map(|(file, features)| (file, features.into_iter().collect()))
        .collect();
    Features { names: names.into_iter().collect(), of_file }
}
