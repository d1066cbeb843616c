//! Choosing the variant of a `oneOf`/`anyOf` value, for generated `Deserialize` impls.
//!
//! serde's `untagged` takes the first variant that decodes. For objects whose fields
//! are all optional that is always the first one, whatever the value holds. Here
//! each variant declares the JSON it expects, and the value goes to the variant
//! that explains the most of it.

use serde_json::Value;

/// What JSON one variant accepts.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// An object with these declared properties, of which these are required.
    Object {
        /// Every declared property name.
        fields: &'static [&'static str],
        /// The required property names.
        required: &'static [&'static str],
    },
    /// A JSON string.
    String,
    /// A JSON integer.
    Integer,
    /// Any JSON number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A JSON array.
    Array,
    /// Anything (a schema with no constraints); chosen last.
    Any,
}

impl Shape {
    /// How well `value` fits: higher is better, `None` means "only as a last resort".
    fn score(&self, value: &Value) -> Option<i64> {
        match (self, value) {
            (Shape::Object { fields, required }, Value::Object(map)) => {
                if required.iter().any(|name| !map.contains_key(*name)) {
                    return None;
                }
                let known = map.keys().filter(|key| fields.contains(&key.as_str())).count() as i64;
                let unknown = map.len() as i64 - known;
                Some(1_000 + known * 1_000 - unknown)
            }
            (Shape::String, Value::String(_)) | (Shape::Boolean, Value::Bool(_)) | (Shape::Array, Value::Array(_)) => {
                Some(1_000)
            }
            (Shape::Integer, Value::Number(number)) if number.is_i64() || number.is_u64() => Some(1_000),
            (Shape::Number, Value::Number(_)) => Some(999),
            (Shape::Any, _) => Some(0),
            _ => None,
        }
    }
}

/// Decodes `value` as the best-fitting variant, trying the others if that fails.
///
/// `decode(index, value)` decodes variant `index` of `shapes`.
///
/// ```
/// use secgen_runtime::union::{Shape, deserialize};
///
/// #[derive(Debug, PartialEq)]
/// enum Limit { Count(i64), Word(String) }
///
/// const SHAPES: &[Shape] = &[Shape::Integer, Shape::String];
/// let decode = |value| deserialize(value, SHAPES, |index, value| match index {
///     0 => serde_json::from_value(value).map(Limit::Count),
///     _ => serde_json::from_value(value).map(Limit::Word),
/// });
/// assert_eq!(decode(serde_json::json!(5)), Ok(Limit::Count(5)));
/// assert_eq!(decode(serde_json::json!("unlimited")), Ok(Limit::Word("unlimited".into())));
/// ```
pub fn deserialize<T>(
    value: Value,
    shapes: &[Shape],
    decode: impl Fn(usize, Value) -> serde_json::Result<T>,
) -> std::result::Result<T, String> {
    let mut ranked: Vec<(usize, Option<i64>)> =
        shapes.iter().enumerate().map(|(i, shape)| (i, shape.score(&value))).collect();
    // Best score first; unscored variants last, all in declaration order otherwise.
    ranked.sort_by_key(|(index, score)| (std::cmp::Reverse(score.map_or(i64::MIN, |s| s)), *index));
    let mut first_error = None;
    for (index, _) in ranked {
        match decode(index, value.clone()) {
            Ok(decoded) => return Ok(decoded),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    Err(match first_error {
        Some(error) => format!("the value matches none of the {} variants: {error}", shapes.len()),
        None => "the union has no variants".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Docker {
        address: Option<String>,
        port: Option<String>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Kubernetes {
        namespace: Option<String>,
    }

    #[derive(Debug, PartialEq)]
    enum Config {
        Kubernetes(Kubernetes),
        Docker(Docker),
        Other(Value),
    }

    const SHAPES: &[Shape] = &[
        Shape::Object { fields: &["namespace"], required: &[] },
        Shape::Object { fields: &["address", "port"], required: &[] },
        Shape::Any,
    ];

    fn decode(value: Value) -> Config {
        deserialize(value, SHAPES, |index, value| match index {
            0 => serde_json::from_value(value).map(Config::Kubernetes),
            1 => serde_json::from_value(value).map(Config::Docker),
            _ => Ok(Config::Other(value)),
        })
        .unwrap()
    }

    #[test]
    fn the_variant_that_explains_the_fields_wins_over_the_first() {
        let value = serde_json::json!({"address": "10.0.0.1", "port": "2375"});
        assert_eq!(
            decode(value),
            Config::Docker(Docker { address: Some("10.0.0.1".into()), port: Some("2375".into()) })
        );
    }

    #[test]
    fn values_no_variant_knows_go_to_the_catch_all() {
        assert_eq!(decode(serde_json::json!("text")), Config::Other(serde_json::json!("text")));
    }
}
