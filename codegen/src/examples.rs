//! Example JSON values built from the model's types: the default bodies of a
//! crate's fake. Every required field gets a value of its type (a string enum its
//! first value, a union its first variant); optional fields are left out, so the
//! value is the smallest one the crate's types accept.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::model::{Presence, TypeDef, TypeKind, TypeRef};

/// Deeper than this, a required field gets `null` (only a spec that requires a
/// value inside itself gets there, and no JSON value satisfies that one).
const MAX_DEPTH: usize = 24;

/// Example values of the types of one model.
pub(crate) struct Examples<'m> {
    defs: HashMap<&'m str, &'m TypeDef>,
}

impl<'m> Examples<'m> {
    pub(crate) fn new(types: &'m [TypeDef]) -> Self {
        Self { defs: types.iter().map(|def| (def.name.as_str(), def)).collect() }
    }

    /// The smallest value of `ty`; a list holds one item, so a list body shows its items' shape.
    pub(crate) fn of(&self, ty: &TypeRef) -> Value {
        match ty {
            TypeRef::Vec(item) => Value::Array(vec![self.value(item, 0)]),
            ty => self.value(ty, 0),
        }
    }

    /// A struct type's value with `items` at the field whose wire name is `field`.
    pub(crate) fn with_items(&self, type_name: &str, field: &str, items: Vec<Value>) -> Value {
        let mut value = self.named(type_name, 0);
        if let Value::Object(object) = &mut value {
            object.insert(field.to_owned(), Value::Array(items));
        }
        value
    }

    fn value(&self, ty: &TypeRef, depth: usize) -> Value {
        match ty {
            TypeRef::String => json!("string"),
            TypeRef::Secret => json!("secret"),
            TypeRef::Bool => json!(false),
            TypeRef::I32 | TypeRef::I64 => json!(0),
            TypeRef::F32 | TypeRef::F64 => json!(0.0),
            TypeRef::DateTime => json!("2024-01-01T00:00:00Z"),
            TypeRef::Date => json!("2024-01-01"),
            TypeRef::Vec(_) => json!([]),
            TypeRef::JsonObject | TypeRef::Map(_) => json!({}),
            // Files are never in a JSON body; any JSON and hand-written types take `null` at least as well as anything.
            TypeRef::File | TypeRef::Json | TypeRef::External(_) => Value::Null,
            TypeRef::Named(name) => self.named(name, depth + 1),
        }
    }

    fn named(&self, name: &str, depth: usize) -> Value {
        let Some(def) = self.defs.get(name).filter(|_| depth <= MAX_DEPTH) else { return Value::Null };
        match &def.kind {
            TypeKind::Struct(shape) => {
                let required = shape.fields.iter().filter_map(|field| match field.presence {
                    Presence::Required => Some((field.wire.clone(), self.value(&field.ty, depth))),
                    Presence::RequiredNullable => Some((field.wire.clone(), Value::Null)),
                    Presence::Optional | Presence::Patch => None,
                });
                Value::Object(required.collect::<Map<String, Value>>())
            }
            TypeKind::Enum(string_enum) => {
                string_enum.variants.first().map_or_else(|| json!("unknown"), |variant| json!(variant.value))
            }
            TypeKind::Union(union) => {
                union.variants.first().map_or(Value::Null, |variant| self.value(&variant.ty, depth))
            }
            TypeKind::Alias(target) => self.value(target, depth),
            TypeKind::Responses(_) | TypeKind::Errors(_) => Value::Null,
        }
    }
}
