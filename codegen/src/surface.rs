//! The API surface: what a user of the generated crate sees, as a short text.
//!
//! Operations with method, path, parameters and types; types with their fields;
//! enums with their values. Sorted by name so that a spec change shows up as a
//! few added, removed or changed lines, not as a reshuffled file.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::{
    BodyType, Model, Operation, Param, Presence, Shape, StatusEnum, Success, TypeDef, TypeKind, TypeRef,
};

/// The public surface of one generated crate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Surface {
    /// Client methods by name.
    pub operations: BTreeMap<String, OperationSurface>,
    /// Types by name.
    pub types: BTreeMap<String, TypeSurface>,
}

/// One operation as a caller sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationSurface {
    /// `GET /projects/{project_id}`.
    pub endpoint: String,
    /// The spec's operationId.
    pub operation_id: String,
    /// Required parameters (in signature order), then optional ones.
    pub params: Vec<ParamSurface>,
    /// The body argument's type, if any.
    pub body: Option<String>,
    /// The success body type.
    pub returns: String,
    /// The stream method and the item it yields, for list operations.
    pub stream: Option<(String, String)>,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamSurface {
    /// `path`, `query` or `header`.
    pub location: String,
    /// The wire name.
    pub name: String,
    pub required: bool,
    /// The Rust type.
    pub ty: String,
}

/// One type: its kind and members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeSurface {
    /// A struct and its fields by Rust name.
    Struct(BTreeMap<String, FieldSurface>),
    /// An open string enum: its known values and the variant holding any other.
    Enum {
        /// The wire values.
        values: Vec<String>,
        /// The catch-all variant, e.g. `Unknown`.
        catch_all: String,
    },
    /// A union: its variants and their types.
    Union(Vec<(String, String)>),
    /// A type alias and its target.
    Alias(String),
    /// An enum by status (several success or error bodies).
    Statuses(Vec<(String, String)>),
}

/// One struct field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSurface {
    /// The wire name.
    pub wire: String,
    /// The field's full Rust type, `Option<..>` or `Patch<..>` included.
    pub ty: String,
    /// Whether deserializing fails when the field is absent.
    pub required: bool,
}

impl Surface {
    pub(crate) fn of(model: &Model) -> Self {
        Surface {
            operations: model
                .operations
                .iter()
                .map(|operation| (unraw(&operation.method_name), operation_surface(operation)))
                .collect(),
            types: model.types.iter().map(|def| (def.name.clone(), type_surface(def))).collect(),
        }
    }

    /// The surface as text, one line per item and member.
    pub fn render(&self, title: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# {title}: API surface (written by `cargo xtask regen`)\n\n## Operations\n");
        for (name, operation) in &self.operations {
            out.push_str(&operation.render(name));
        }
        out.push_str("\n## Types\n\n");
        for (name, ty) in &self.types {
            out.push_str(&ty.render(name));
        }
        out
    }
}

impl OperationSurface {
    pub(crate) fn render(&self, name: &str) -> String {
        let mut out = format!("{name}: {} ({})\n", self.endpoint, self.operation_id);
        for param in &self.params {
            let _ = writeln!(out, "  {}", param.render());
        }
        if let Some(body) = &self.body {
            let _ = writeln!(out, "  body: {body}");
        }
        let _ = writeln!(out, "  -> {}", self.returns);
        if let Some((stream, item)) = &self.stream {
            let _ = writeln!(out, "  {stream}: stream of {item}");
        }
        out
    }
}

impl ParamSurface {
    pub(crate) fn render(&self) -> String {
        let optional = if self.required { "" } else { "?" };
        format!("{} {}{optional}: {}", self.location, self.name, self.ty)
    }
}

impl TypeSurface {
    pub(crate) fn render(&self, name: &str) -> String {
        match self {
            TypeSurface::Struct(fields) => {
                let mut out = format!("struct {name}\n");
                for (field, surface) in fields {
                    let _ = writeln!(out, "  {}", surface.render(field));
                }
                out
            }
            TypeSurface::Enum { values, catch_all } => {
                let values: Vec<String> = values.iter().map(|value| format!("{value:?}")).collect();
                format!("enum {name}: {} | {catch_all}(String)\n", values.join(" | "))
            }
            TypeSurface::Union(variants) => {
                let variants: Vec<String> = variants.iter().map(|(variant, ty)| format!("{variant}({ty})")).collect();
                format!("union {name}: {}\n", variants.join(" | "))
            }
            TypeSurface::Alias(target) => format!("type {name} = {target}\n"),
            TypeSurface::Statuses(variants) => {
                let variants: Vec<String> = variants.iter().map(|(status, ty)| format!("{status} {ty}")).collect();
                format!("statuses {name}: {}\n", variants.join(" | "))
            }
        }
    }
}

impl FieldSurface {
    pub(crate) fn render(&self, name: &str) -> String {
        let wire = if name == self.wire { String::new() } else { format!(" (\"{}\")", self.wire) };
        format!("{name}{wire}: {}", self.ty)
    }
}

fn unraw(name: &str) -> String {
    name.trim_start_matches("r#").to_owned()
}

fn operation_surface(operation: &Operation) -> OperationSurface {
    let param = |param: &Param, required: bool| ParamSurface {
        location: param.location.label().to_owned(),
        name: param.wire.clone(),
        required,
        ty: type_name(&param.ty),
    };
    let params = operation
        .required_params
        .iter()
        .map(|p| param(p, true))
        .chain(operation.optional_params.iter().map(|p| param(p, false)))
        .collect();
    OperationSurface {
        endpoint: format!("{} {}", operation.http_method, operation.path),
        operation_id: operation.id.clone(),
        params,
        body: operation.body.as_ref().map(|body| body_name(&body.ty)),
        returns: match &operation.success {
            Success::Empty => "()".to_owned(),
            Success::One(body) => body_name(body),
            Success::Enveloped { data, .. } => format!("Envelope<{}>", type_name(data)),
            Success::Several { type_name } => type_name.clone(),
        },
        stream: operation
            .pagination
            .as_ref()
            .map(|pagination| (pagination.method_name.clone(), type_name(&pagination.item_type))),
    }
}

fn type_surface(def: &TypeDef) -> TypeSurface {
    match &def.kind {
        TypeKind::Struct(object) => {
            let mut fields: BTreeMap<String, FieldSurface> = object
                .fields
                .iter()
                .map(|field| {
                    let inner = type_name(&field.ty);
                    let ty = match field.presence {
                        Presence::Required => inner,
                        Presence::RequiredNullable | Presence::Optional => format!("Option<{inner}>"),
                        Presence::Patch => format!("Patch<{inner}>"),
                    };
                    let required = field.presence == Presence::Required;
                    (unraw(&field.name), FieldSurface { wire: field.wire.clone(), ty, required })
                })
                .collect();
            if let Some(value) = &object.additional {
                let ty = format!("BTreeMap<String, {}>", type_name(value));
                fields.insert(
                    "additional_properties".to_owned(),
                    FieldSurface { wire: "*".to_owned(), ty, required: false },
                );
            }
            TypeSurface::Struct(fields)
        }
        TypeKind::Enum(string_enum) => TypeSurface::Enum {
            values: string_enum.variants.iter().map(|variant| variant.value.clone()).collect(),
            catch_all: string_enum.catch_all.clone(),
        },
        TypeKind::Union(union) => TypeSurface::Union(
            union
                .variants
                .iter()
                .map(|variant| {
                    let ty = if variant.shape == Shape::Any { "Value".to_owned() } else { type_name(&variant.ty) };
                    (variant.name.clone(), ty)
                })
                .collect(),
        ),
        TypeKind::Alias(target) => TypeSurface::Alias(type_name(target)),
        TypeKind::Responses(statuses) | TypeKind::Errors(statuses) => TypeSurface::Statuses(status_members(statuses)),
    }
}

fn status_members(statuses: &StatusEnum) -> Vec<(String, String)> {
    statuses
        .variants
        .iter()
        .map(|variant| (variant.status.label(), variant.body.as_ref().map_or_else(|| "()".to_owned(), type_name)))
        .collect()
}

fn body_name(body: &BodyType) -> String {
    match body {
        BodyType::Json { ty, .. } => type_name(ty),
        BodyType::Form(ty) => format!("form {}", type_name(ty)),
        BodyType::Text(media_type) => format!("text ({media_type})"),
        BodyType::Bytes(media_type) => format!("bytes ({media_type})"),
    }
}

/// A type as users write it, without module paths.
pub(crate) fn type_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::DateTime => "DateTime".to_owned(),
        TypeRef::Date => "Date".to_owned(),
        TypeRef::Json => "Value".to_owned(),
        TypeRef::JsonObject => "Map<String, Value>".to_owned(),
        TypeRef::Vec(item) => format!("Vec<{}>", type_name(item)),
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", type_name(value)),
        TypeRef::Named(name) => name.clone(),
        TypeRef::External(path) => path.rsplit("::").next().unwrap_or(path).to_owned(),
    }
}
