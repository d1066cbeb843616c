//! The API surface: what a user of the generated crate sees, as a short text.
//!
//! Operations with method, path, parameters and types; types with their fields
//! (and whether they go into requests, come back in responses, or both); enums
//! with their values. Sorted by name so that a spec change shows up as a few
//! added, removed or changed lines. The text reads back ([`Surface::parse`]), so a
//! committed surface can be compared with a new one ([`crate::diff`]).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use crate::model::{
    BodyType, Model, Operation, Param, Presence, Shape, StatusEnum, Success, TypeDef, TypeKind, TypeRef, reachable,
};

/// The public surface of one generated crate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Surface {
    /// What the spec was written in (`OpenAPI 3.1.0`, `Swagger 2.0`): a comment
    /// line, so a spec that changes version alone shows no API change.
    pub source_format: String,
    /// A 3.1 spec's webhooks (`newPet: POST`), as comment lines: no client method.
    pub webhooks: Vec<String>,
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
    /// The `..._to_completion` method and the results stream it returns, for
    /// operations that start a long-running job.
    pub job: Option<(String, String)>,
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
    /// A struct, where it is used, and its fields by Rust name.
    Struct {
        /// Whether it goes into requests and/or comes back in responses.
        usage: Usage,
        /// Fields by Rust name.
        fields: BTreeMap<String, FieldSurface>,
    },
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

/// Where a type is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Sent: in a request body or parameter.
    pub request: bool,
    /// Received: in a success or error body (or not used by any operation).
    pub response: bool,
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

/// A surface text that does not read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// The 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl Surface {
    pub(crate) fn of(model: &Model) -> Self {
        let usage = usage(model);
        Surface {
            source_format: model.source_format.clone(),
            webhooks: model.webhooks.clone(),
            operations: model
                .operations
                .iter()
                .map(|operation| (unraw(&operation.method_name), operation_surface(operation)))
                .collect(),
            types: model
                .types
                .iter()
                .map(|def| {
                    (def.name.clone(), type_surface(def, usage.get(def.name.as_str()).copied().unwrap_or_default()))
                })
                .collect(),
        }
    }

    /// The surface as text, one line per item and member.
    pub fn render(&self, title: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# {title}: API surface (written by `cargo xtask regen`)");
        let _ = writeln!(out, "# spec: {}", self.source_format);
        for webhook in &self.webhooks {
            let _ = writeln!(out, "# webhook (no client method) {webhook}");
        }
        let _ = writeln!(out, "\n## Operations\n");
        for (name, operation) in &self.operations {
            out.push_str(&operation.render(name));
        }
        out.push_str("\n## Types\n\n");
        for (name, ty) in &self.types {
            out.push_str(&ty.render(name));
        }
        out
    }

    /// Reads a surface back from [`render`](Self::render)'s text.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        Parser::default().parse(text)
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
        if let Some((method, results)) = &self.job {
            let _ = writeln!(out, "  {method}: job, then {results}");
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
            TypeSurface::Struct { usage, fields } => {
                let mut out = format!("struct {name} ({})\n", usage.label());
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

impl Usage {
    fn label(self) -> &'static str {
        match (self.request, self.response) {
            (true, true) => "request, response",
            (true, false) => "request",
            _ => "response",
        }
    }

    fn from_label(label: &str) -> Option<Self> {
        Some(match label {
            "request, response" => Usage { request: true, response: true },
            "request" => Usage { request: true, response: false },
            "response" => Usage { request: false, response: true },
            _ => return None,
        })
    }
}

impl FieldSurface {
    pub(crate) fn render(&self, name: &str) -> String {
        let wire = if name == self.wire { String::new() } else { format!(" ({:?})", self.wire) };
        format!("{name}{wire}: {}", self.ty)
    }
}

/// Reads the text of [`Surface::render`] line by line.
#[derive(Default)]
struct Parser {
    surface: Surface,
    /// The operation or struct the indented lines belong to.
    current: Option<String>,
    in_types: bool,
    line: usize,
}

impl Parser {
    fn parse(mut self, text: &str) -> Result<Surface, ParseError> {
        for (index, line) in text.lines().enumerate() {
            self.line = index + 1;
            if let Some(format) = line.strip_prefix("# spec: ") {
                self.surface.source_format = format.to_owned();
                continue;
            }
            if let Some(webhook) = line.strip_prefix("# webhook (no client method) ") {
                self.surface.webhooks.push(webhook.to_owned());
                continue;
            }
            if line.is_empty() || line.starts_with("# ") {
                continue;
            }
            match line {
                "## Operations" => self.in_types = false,
                "## Types" => self.in_types = true,
                _ if line.starts_with("  ") => self.member(&line[2..])?,
                _ if self.in_types => self.type_line(line)?,
                _ => self.operation_line(line)?,
            }
        }
        Ok(self.surface)
    }

    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError { line: self.line, message: message.into() }
    }

    fn operation_line(&mut self, line: &str) -> Result<(), ParseError> {
        let (name, rest) = line.split_once(": ").ok_or_else(|| self.error("expected `name: METHOD /path (id)`"))?;
        let (endpoint, id) = rest.split_once(" (").ok_or_else(|| self.error("expected ` (operationId)`"))?;
        let id = id.strip_suffix(')').ok_or_else(|| self.error("expected `)` after the operationId"))?;
        let operation = OperationSurface {
            endpoint: endpoint.to_owned(),
            operation_id: id.to_owned(),
            params: Vec::new(),
            body: None,
            returns: String::new(),
            stream: None,
            job: None,
        };
        self.surface.operations.insert(name.to_owned(), operation);
        self.current = Some(name.to_owned());
        Ok(())
    }

    fn type_line(&mut self, line: &str) -> Result<(), ParseError> {
        let (keyword, rest) = line.split_once(' ').ok_or_else(|| self.error("expected a type"))?;
        let (name, surface) = match keyword {
            "struct" => {
                let (name, usage) =
                    rest.split_once(" (").ok_or_else(|| self.error("expected `struct Name (usage)`"))?;
                let usage =
                    usage.strip_suffix(')').and_then(Usage::from_label).ok_or_else(|| self.error("unknown usage"))?;
                (name, TypeSurface::Struct { usage, fields: BTreeMap::new() })
            }
            "enum" => {
                let (name, values) = rest.split_once(": ").ok_or_else(|| self.error("expected `enum Name: ...`"))?;
                (name, self.enum_values(values)?)
            }
            "union" => {
                let (name, variants) = rest.split_once(": ").ok_or_else(|| self.error("expected `union Name: ...`"))?;
                let variants = variants
                    .split(" | ")
                    .map(|variant| {
                        let (variant, ty) =
                            variant.split_once('(').ok_or_else(|| self.error("expected `Variant(Type)`"))?;
                        Ok((variant.to_owned(), ty.strip_suffix(')').unwrap_or(ty).to_owned()))
                    })
                    .collect::<Result<_, ParseError>>()?;
                (name, TypeSurface::Union(variants))
            }
            "type" => {
                let (name, target) =
                    rest.split_once(" = ").ok_or_else(|| self.error("expected `type Name = Target`"))?;
                (name, TypeSurface::Alias(target.to_owned()))
            }
            "statuses" => {
                let (name, variants) =
                    rest.split_once(": ").ok_or_else(|| self.error("expected `statuses Name: ...`"))?;
                let variants = variants
                    .split(" | ")
                    .map(|variant| {
                        let (status, ty) =
                            variant.split_once(' ').ok_or_else(|| self.error("expected `status Type`"))?;
                        Ok((status.to_owned(), ty.to_owned()))
                    })
                    .collect::<Result<_, ParseError>>()?;
                (name, TypeSurface::Statuses(variants))
            }
            other => return Err(self.error(format!("unknown kind `{other}`"))),
        };
        self.surface.types.insert(name.to_owned(), surface);
        self.current = Some(name.to_owned());
        Ok(())
    }

    /// `"a" | "b" | Unknown(String)`: quoted values, then the catch-all.
    fn enum_values(&self, mut text: &str) -> Result<TypeSurface, ParseError> {
        let mut values = Vec::new();
        while text.starts_with('"') {
            let (value, rest) = quoted(text).ok_or_else(|| self.error("unterminated quoted value"))?;
            values.push(value);
            text = rest.strip_prefix(" | ").ok_or_else(|| self.error("expected ` | ` between values"))?;
        }
        let catch_all = text.strip_suffix("(String)").ok_or_else(|| self.error("expected the catch-all variant"))?;
        Ok(TypeSurface::Enum { values, catch_all: catch_all.to_owned() })
    }

    fn member(&mut self, line: &str) -> Result<(), ParseError> {
        let current = self.current.clone().ok_or_else(|| self.error("a member line before any item"))?;
        if self.in_types {
            let Some(TypeSurface::Struct { fields, .. }) = self.surface.types.get_mut(&current) else {
                return Err(self.error("a field line under a type that is not a struct"));
            };
            let (head, ty) = line
                .split_once(": ")
                .ok_or_else(|| ParseError { line: self.line, message: "expected `field: Type`".into() })?;
            let (name, wire) = match head.split_once(" (") {
                Some((name, wire)) => {
                    let wire = wire.strip_suffix(')').and_then(|wire| quoted(wire)).map(|(wire, _)| wire);
                    (name, wire.ok_or_else(|| ParseError { line: self.line, message: "bad wire name".into() })?)
                }
                None => (head, head.to_owned()),
            };
            let required = !ty.starts_with("Option<") && !ty.starts_with("Patch<") && wire != "*";
            fields.insert(name.to_owned(), FieldSurface { wire, ty: ty.to_owned(), required });
            return Ok(());
        }
        let line_number = self.line;
        let operation = self.surface.operations.get_mut(&current).expect("current operation exists");
        if let Some(body) = line.strip_prefix("body: ") {
            operation.body = Some(body.to_owned());
        } else if let Some(returns) = line.strip_prefix("-> ") {
            operation.returns = returns.to_owned();
        } else if let Some((stream, item)) = line.split_once(": stream of ") {
            operation.stream = Some((stream.to_owned(), item.to_owned()));
        } else if let Some((method, results)) = line.split_once(": job, then ") {
            operation.job = Some((method.to_owned(), results.to_owned()));
        } else {
            let (location, rest) =
                line.split_once(' ').ok_or(ParseError { line: line_number, message: "expected a parameter".into() })?;
            let (name, ty) = rest
                .split_once(": ")
                .ok_or(ParseError { line: line_number, message: "expected `name: Type`".into() })?;
            let (name, required) = match name.strip_suffix('?') {
                Some(name) => (name, false),
                None => (name, true),
            };
            operation.params.push(ParamSurface {
                location: location.to_owned(),
                name: name.to_owned(),
                required,
                ty: ty.to_owned(),
            });
        }
        Ok(())
    }
}

/// A leading Rust-debug-quoted string and the text after it.
fn quoted(text: &str) -> Option<(String, &str)> {
    let mut chars = text.strip_prefix('"')?.char_indices();
    let mut value = String::new();
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => return Some((value, &text[index + 2..])),
            '\\' => match chars.next()?.1 {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'r' => value.push('\r'),
                '0' => value.push('\0'),
                'u' => {
                    let hex: String = chars.by_ref().map(|(_, c)| c).skip(1).take_while(|c| *c != '}').collect();
                    value.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
    None
}

fn unraw(name: &str) -> String {
    name.trim_start_matches("r#").to_owned()
}

/// Which types requests and responses reach; types no operation reaches count as
/// responses (they describe what the API returns).
fn usage(model: &Model) -> HashMap<&str, Usage> {
    let defs: HashMap<&str, &TypeDef> = model.types.iter().map(|def| (def.name.as_str(), def)).collect();
    let mut usage: HashMap<&str, Usage> = HashMap::new();
    for operation in &model.operations {
        for name in reachable(&defs, operation.request_type_names()) {
            usage.entry(name).or_default().request = true;
        }
        for name in reachable(&defs, operation.response_type_names()) {
            usage.entry(name).or_default().response = true;
        }
    }
    for def in &model.types {
        let entry = usage.entry(def.name.as_str()).or_default();
        if !entry.request && !entry.response {
            entry.response = true;
        }
    }
    usage
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
        job: operation.job.as_ref().map(|job| (job.method_name.clone(), job.results.method_name.clone())),
    }
}

fn type_surface(def: &TypeDef, usage: Usage) -> TypeSurface {
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
            TypeSurface::Struct { usage, fields }
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
        BodyType::Multipart { ty, .. } => format!("multipart {}", type_name(ty)),
    }
}

/// A type as users write it, without module paths.
pub(crate) fn type_name(ty: &TypeRef) -> String {
    type_text(ty, None)
}

/// A type written with module paths from `krate` (the generated crate, as code
/// outside it names it), or with none when `krate` is `None`.
pub(crate) fn type_text(ty: &TypeRef, krate: Option<&str>) -> String {
    // The full path, or only its last segment.
    let path = |full: String| match krate {
        Some(_) => full,
        None => full.rsplit("::").next().unwrap_or_default().to_owned(),
    };
    let runtime = |item: &str| path(format!("{}::runtime::{item}", krate.unwrap_or_default()));
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::DateTime => runtime("DateTime"),
        TypeRef::Date => runtime("Date"),
        TypeRef::Secret => runtime("Secret"),
        TypeRef::File => runtime("FilePart"),
        TypeRef::Json => runtime("serde_json::Value"),
        TypeRef::JsonObject => format!("{}<String, {}>", runtime("serde_json::Map"), runtime("serde_json::Value")),
        TypeRef::Vec(item) => format!("Vec<{}>", type_text(item, krate)),
        TypeRef::Map(value) => {
            format!("{}<String, {}>", path("std::collections::BTreeMap".to_owned()), type_text(value, krate))
        }
        TypeRef::Named(name) => path(format!("{}::types::{name}", krate.unwrap_or_default())),
        TypeRef::External(external) => path(external.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_strings_read_back_as_rust_debug_wrote_them() {
        for value in ["plain", "", "with \"quotes\" and \\", "tab\tnew\nline", "Cloud Infrastructure", "é ü"] {
            let text = format!("{value:?} | rest");
            assert_eq!(quoted(&text), Some((value.to_owned(), " | rest")), "{value}");
        }
    }
}
