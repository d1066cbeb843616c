//! One flat view of a schema, whichever way openapiv3 parsed it.
//!
//! openapiv3 parses a schema into `SchemaKind::Type(..)` when it is plain, and into
//! `SchemaKind::Any` when keywords are mixed (say `type: string` next to `oneOf`,
//! or `format` without `type`). The generator reads both through this view.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// The `type` keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonType {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
}

/// Every keyword the generator reads, in one place.
pub(crate) struct View<'a> {
    pub(crate) data: &'a SchemaData,
    pub(crate) json_type: Option<JsonType>,
    pub(crate) format: Option<String>,
    /// Enum values, `null` dropped.
    pub(crate) enumeration: Vec<Value>,
    pub(crate) properties: Option<&'a IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub(crate) required: &'a [String],
    pub(crate) additional_properties: Option<&'a AdditionalProperties>,
    pub(crate) items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub(crate) one_of: &'a [ReferenceOr<Schema>],
    pub(crate) any_of: &'a [ReferenceOr<Schema>],
    pub(crate) all_of: &'a [ReferenceOr<Schema>],
    pub(crate) has_not: bool,
    pub(crate) maximum: Option<f64>,
}

impl<'a> View<'a> {
    pub(crate) fn of(schema: &'a Schema) -> Self {
        let mut view = View {
            data: &schema.schema_data,
            json_type: None,
            format: None,
            enumeration: Vec::new(),
            properties: None,
            required: &[],
            additional_properties: None,
            items: None,
            one_of: &[],
            any_of: &[],
            all_of: &[],
            has_not: false,
            maximum: None,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                view.json_type = Some(JsonType::String);
                view.format = string_format(&string.format);
                view.enumeration =
                    string.enumeration.iter().flatten().map(|value| Value::String(value.clone())).collect();
            }
            SchemaKind::Type(Type::Number(number)) => {
                view.json_type = Some(JsonType::Number);
                view.format = variant_format(&number.format, |format| match format {
                    NumberFormat::Float => "float",
                    NumberFormat::Double => "double",
                });
                view.maximum = number.maximum;
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                view.json_type = Some(JsonType::Integer);
                view.format = variant_format(&integer.format, |format| match format {
                    IntegerFormat::Int32 => "int32",
                    IntegerFormat::Int64 => "int64",
                });
                view.enumeration = integer.enumeration.iter().flatten().map(|value| Value::from(*value)).collect();
                view.maximum = integer.maximum.map(|max| max as f64);
            }
            SchemaKind::Type(Type::Boolean(_)) => view.json_type = Some(JsonType::Boolean),
            SchemaKind::Type(Type::Object(object)) => {
                view.json_type = Some(JsonType::Object);
                view.properties = Some(&object.properties);
                view.required = &object.required;
                view.additional_properties = object.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(array)) => {
                view.json_type = Some(JsonType::Array);
                view.items = array.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::Not { .. } => view.has_not = true,
            SchemaKind::Any(any) => {
                view.json_type = any.typ.as_deref().and_then(json_type);
                view.format = any.format.clone();
                view.enumeration = any.enumeration.iter().filter(|value| !value.is_null()).cloned().collect();
                view.properties = (!any.properties.is_empty()).then_some(&any.properties);
                view.required = &any.required;
                view.additional_properties = any.additional_properties.as_ref();
                view.items = any.items.as_ref();
                view.one_of = &any.one_of;
                view.any_of = &any.any_of;
                view.all_of = &any.all_of;
                view.has_not = any.not.is_some();
                view.maximum = any.maximum;
            }
        }
        view
    }

    /// The type, stated or implied by the other keywords.
    pub(crate) fn effective_type(&self) -> Option<JsonType> {
        self.json_type.or_else(|| {
            if self.properties.is_some() || self.additional_properties.is_some() {
                Some(JsonType::Object)
            } else if self.items.is_some() {
                Some(JsonType::Array)
            } else if self.enumeration.iter().all(Value::is_string) && !self.enumeration.is_empty() {
                Some(JsonType::String)
            } else if self.format.is_some() {
                // A lone `format` (e.g. `resource-id`) describes a string.
                Some(JsonType::String)
            } else {
                None
            }
        })
    }

    /// True for `{}` and other schemas that accept any value.
    pub(crate) fn is_unconstrained(&self) -> bool {
        self.effective_type().is_none()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
            && !self.has_not
    }

    /// The description, or the title when there is no description.
    pub(crate) fn description(&self) -> Option<&'a str> {
        self.data.description.as_deref().or(self.data.title.as_deref()).filter(|text| !text.trim().is_empty())
    }
}

fn json_type(name: &str) -> Option<JsonType> {
    Some(match name {
        "string" => JsonType::String,
        "number" => JsonType::Number,
        "integer" => JsonType::Integer,
        "boolean" => JsonType::Boolean,
        "object" => JsonType::Object,
        "array" => JsonType::Array,
        _ => return None,
    })
}

fn string_format(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<String> {
    variant_format(format, |format| match format {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    })
}

fn variant_format<T>(format: &VariantOrUnknownOrEmpty<T>, name: fn(&T) -> &'static str) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(name(item).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(text) => Some(text.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}
