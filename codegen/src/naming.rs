//! Naming: spec names into Rust identifiers, unique within their namespace.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2024 (`gen` included).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "gen", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Type names generated code itself uses unqualified, so no spec type may take them.
pub(crate) const RESERVED_TYPE_NAMES: &[&str] =
    &["Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Client", "Self"];

/// Keeps ASCII letters, digits and separators; anything else becomes a separator.
fn ascii_words(raw: &str) -> String {
    raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect()
}

/// `snake_case`, keyword-escaped: for fields, methods, parameters and modules.
pub(crate) fn snake(raw: &str) -> String {
    let mut name = ascii_words(raw).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    escape_keyword(name)
}

/// `UpperCamelCase`: for types and enum variants.
pub(crate) fn camel(raw: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if raw.is_empty() {
        name = "Empty".to_owned();
    } else if name.is_empty() {
        name = "Value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("V{name}");
    }
    if name == "Self" { "Self_".to_owned() } else { name }
}

/// A wire name that is already a valid snake_case, non-keyword identifier (`_id`).
fn verbatim_snake(raw: &str) -> Option<String> {
    let valid = raw.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && raw.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && raw != "_"
        && !KEYWORDS.contains(&raw);
    valid.then(|| raw.to_owned())
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The names taken in one scope; later claims of a taken name get a number.
#[derive(Debug, Default)]
pub(crate) struct Namespace {
    taken: HashSet<String>,
}

impl Namespace {
    pub(crate) fn with_reserved(reserved: &[&str]) -> Self {
        Self { taken: reserved.iter().map(|name| (*name).to_owned()).collect() }
    }

    pub(crate) fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Takes `wanted`, or `wanted2`, `wanted3`, ... if it is taken.
    pub(crate) fn claim(&mut self, wanted: &str) -> String {
        // `foo_bar_2` for snake case (and after a digit), `Result2` for camel case.
        let snake_like = wanted.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
        let separator = if snake_like || wanted.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        let name = if self.taken.contains(wanted) {
            (2..)
                .map(|n| format!("{wanted}{separator}{n}"))
                .find(|candidate| !self.taken.contains(candidate))
                .expect("unbounded")
        } else {
            wanted.to_owned()
        };
        self.taken.insert(name.clone());
        name
    }
}

/// Which identifier style a namespace uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    /// Fields, methods, parameters.
    Snake,
    /// Types and enum variants.
    Camel,
}

impl Case {
    pub(crate) fn convert(self, raw: &str) -> String {
        match self {
            Case::Snake => snake(raw),
            Case::Camel => camel(raw),
        }
    }
}

/// Assigns names to a list of wire names (object properties, enum values) so that
/// a wire name whose converted form equals itself keeps it, and the others yield.
///
/// `_id` and `id` both convert to `id`; `id` keeps it and `_id` stays `_id` (a
/// valid snake_case identifier, kept verbatim in [`Case::Snake`]), so
/// neither depends on property order. Other collisions are numbered.
pub(crate) fn assign_names(wire_names: &[&str], case: Case, namespace: &mut Namespace) -> Vec<String> {
    let wanted: Vec<String> = wire_names.iter().map(|wire| case.convert(wire)).collect();
    let mut names: Vec<Option<String>> = vec![None; wire_names.len()];
    for (index, wire) in wire_names.iter().enumerate() {
        if wanted[index] == *wire && !namespace.is_taken(wire) {
            names[index] = Some(namespace.claim(wire));
        }
    }
    for (index, wire) in wire_names.iter().enumerate() {
        if names[index].is_some() {
            continue;
        }
        let name = if !namespace.is_taken(&wanted[index]) {
            namespace.claim(&wanted[index])
        } else if let Some(verbatim) =
            verbatim_snake(wire).filter(|verbatim| case == Case::Snake && !namespace.is_taken(verbatim))
        {
            namespace.claim(&verbatim)
        } else {
            namespace.claim(&wanted[index])
        };
        names[index] = Some(name);
    }
    names.into_iter().map(|name| name.expect("every index named")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("gen"), "r#gen");
        assert_eq!(snake("self"), "self_");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(snake("X-Tenant-ID"), "x_tenant_id");
        assert_eq!(snake("2fa"), "n2fa");
        assert_eq!(camel(""), "Empty");
        assert_eq!(camel("+"), "Value");
        assert_eq!(camel("Cloud Infrastructure"), "CloudInfrastructure");
        assert_eq!(camel("latest_published"), "LatestPublished");
    }

    #[test]
    fn exact_names_win_collisions_regardless_of_order() {
        let mut namespace = Namespace::default();
        assert_eq!(assign_names(&["_id", "id", "name"], Case::Snake, &mut namespace), ["_id", "id", "name"]);
        let mut namespace = Namespace::default();
        assert_eq!(
            assign_names(&["fooBar", "foo_bar", "foo-bar"], Case::Snake, &mut namespace),
            ["foo_bar_2", "foo_bar", "foo_bar_3"]
        );
    }

    #[test]
    fn claims_are_numbered() {
        let mut namespace = Namespace::with_reserved(RESERVED_TYPE_NAMES);
        assert_eq!(namespace.claim("Result"), "Result2");
        assert_eq!(namespace.claim("V2"), "V2");
        assert_eq!(namespace.claim("V2"), "V2_2");
    }
}
