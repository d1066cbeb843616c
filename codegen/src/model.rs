//! The model: the types and operations of one client, independent of Rust syntax.
//!
//! Built from the spec by [`crate::types`] and [`crate::operations`], consumed by
//! [`crate::render`] (the crate's files) and [`crate::surface`] (the API summary).

pub(crate) use crate::config::{AuthExample, PageInfoField};

/// Everything the renderer needs to write a crate.
#[derive(Debug)]
pub(crate) struct Model {
    pub(crate) package: Package,
    pub(crate) client: ClientSettings,
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) spec_version: String,
    /// What the spec was written in (`OpenAPI 3.1.0`, `Swagger 2.0`).
    pub(crate) source_format: String,
    /// A 3.1 spec's webhooks (`newPet: POST`): listed, no client method.
    pub(crate) webhooks: Vec<String>,
    pub(crate) types: Vec<TypeDef>,
    pub(crate) operations: Vec<Operation>,
}

impl Model {
    /// Every struct field and operation parameter, by wire name, with its type.
    pub(crate) fn wire_types(&self) -> impl Iterator<Item = (&str, &TypeRef)> {
        let fields = self.types.iter().flat_map(|def| match &def.kind {
            TypeKind::Struct(shape) => shape.fields.iter().map(|field| (field.wire.as_str(), &field.ty)).collect(),
            _ => Vec::new(),
        });
        let params = self.operations.iter().flat_map(|operation| {
            operation
                .required_params
                .iter()
                .chain(&operation.optional_params)
                .map(|param| (param.wire.as_str(), &param.ty))
        });
        fields.chain(params)
    }
}

/// The generated package.
#[derive(Debug)]
pub(crate) struct Package {
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) description: String,
    /// Crates besides the runtime that configured paths name (`secgen-vendors`).
    pub(crate) dependencies: Vec<String>,
    /// One cargo feature per tag.
    pub(crate) features_per_tag: bool,
}

/// What the generated `Client` tells the runtime, and what its example shows.
#[derive(Debug)]
pub(crate) struct ClientSettings {
    pub(crate) default_base_url: Option<String>,
    /// The base URL the crate's example passes, when the API has no default.
    pub(crate) example_base_url: Option<String>,
    pub(crate) require_https: bool,
    /// The error body type's full path; the runtime's generic one when `None`.
    pub(crate) error_body: Option<String>,
    /// The region type's full path.
    pub(crate) region: Option<String>,
    /// The vendor module's full path, re-exported as `vendor`.
    pub(crate) vendor_module: Option<String>,
    /// Other items re-exported from the crate root, by full path.
    pub(crate) reexports: Vec<String>,
    pub(crate) auth_example: AuthExample,
    /// The path of the base URL (`/v1`), empty for none: where the fake serves the API.
    pub(crate) base_path: String,
    /// The envelope's data property, when the API has an envelope.
    pub(crate) envelope_data: Option<String>,
    /// The fake's vendor answers, by full path (the runtime's generic ones when `None`).
    pub(crate) fake_vendor: Option<String>,
}

/// Which generated file an item goes to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum FileKey {
    /// `src/types/<module>.rs`: one component schema with its variants and inline parts.
    Component(String),
    /// `src/operations/<module>.rs`: the operations of one tag with their own types.
    Operations(String),
}

/// A named type.
#[derive(Debug)]
pub(crate) struct TypeDef {
    pub(crate) name: String,
    pub(crate) docs: String,
    pub(crate) file: FileKey,
    pub(crate) kind: TypeKind,
}

#[derive(Debug)]
pub(crate) enum TypeKind {
    Struct(Struct),
    /// A string enum that keeps values it does not know.
    Enum(StringEnum),
    /// A `oneOf`/`anyOf` of differently shaped values.
    Union(Union),
    /// `pub type Name = ...;`
    Alias(TypeRef),
    /// The success bodies of an operation that has several.
    Responses(StatusEnum),
    /// The documented error bodies of an operation that has several kinds.
    Errors(StatusEnum),
}

impl TypeKind {
    /// The types this type's members refer to.
    pub(crate) fn references(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(object) => {
                object.fields.iter().map(|field| &field.ty).chain(object.additional.as_ref()).collect()
            }
            TypeKind::Union(union) => union.variants.iter().map(|variant| &variant.ty).collect(),
            TypeKind::Alias(target) => vec![target],
            TypeKind::Responses(statuses) | TypeKind::Errors(statuses) => {
                statuses.variants.iter().filter_map(|variant| variant.body.as_ref()).collect()
            }
            TypeKind::Enum(_) => Vec::new(),
        }
    }

    /// Follows renamed types in every reference this type holds.
    pub(crate) fn rename_types(&mut self, renames: &Renames) {
        match self {
            TypeKind::Struct(object) => {
                object.fields.iter_mut().for_each(|field| field.ty.rename(renames));
                if let Some(additional) = &mut object.additional {
                    additional.rename(renames);
                }
            }
            TypeKind::Union(union) => union.variants.iter_mut().for_each(|variant| variant.ty.rename(renames)),
            TypeKind::Alias(target) => target.rename(renames),
            TypeKind::Responses(statuses) | TypeKind::Errors(statuses) => statuses
                .variants
                .iter_mut()
                .filter_map(|variant| variant.body.as_mut())
                .for_each(|ty| ty.rename(renames)),
            TypeKind::Enum(_) => {}
        }
    }
}

#[derive(Debug)]
pub(crate) struct Struct {
    pub(crate) fields: Vec<Field>,
    /// `additionalProperties` next to declared properties: a flattened map of this value type.
    pub(crate) additional: Option<TypeRef>,
    /// Serialized with serde (false for parameter structs, which are never on the wire as one value).
    pub(crate) serde: bool,
}

impl Struct {
    /// Whether `Default` can be derived: nothing is required.
    pub(crate) fn all_optional(&self) -> bool {
        self.fields.iter().all(|field| matches!(field.presence, Presence::Optional | Presence::Patch))
    }
}

#[derive(Debug)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) wire: String,
    pub(crate) ty: TypeRef,
    pub(crate) presence: Presence,
    pub(crate) docs: String,
    /// Held in a `Box` because the field's type contains its owner.
    pub(crate) boxed: bool,
}

/// How a field's absence and `null` are represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// Always present, never null: `T`.
    Required,
    /// Always present, may be null: `Option<T>`, sent as `null`.
    RequiredNullable,
    /// May be absent: `Option<T>`, not sent when `None`.
    Optional,
    /// A partial-update field: `Patch<T>` (leave, unset or set).
    Patch,
}

#[derive(Debug)]
pub(crate) struct StringEnum {
    pub(crate) variants: Vec<EnumVariant>,
    /// The variant holding any other value, e.g. `Unknown(String)`.
    pub(crate) catch_all: String,
    pub(crate) catch_all_docs: String,
}

#[derive(Debug)]
pub(crate) struct EnumVariant {
    pub(crate) name: String,
    pub(crate) value: String,
}

#[derive(Debug)]
pub(crate) struct Union {
    pub(crate) variants: Vec<UnionVariant>,
}

#[derive(Debug)]
pub(crate) struct UnionVariant {
    pub(crate) name: String,
    pub(crate) ty: TypeRef,
    pub(crate) shape: Shape,
    pub(crate) docs: String,
    pub(crate) boxed: bool,
}

/// The JSON a union variant accepts (mirrors the runtime's `union::Shape`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    Object { fields: Vec<String>, required: Vec<String> },
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Any,
}

/// One variant per documented status.
#[derive(Debug)]
pub(crate) struct StatusEnum {
    pub(crate) variants: Vec<StatusVariant>,
}

#[derive(Debug)]
pub(crate) struct StatusVariant {
    pub(crate) name: String,
    pub(crate) status: StatusMatch,
    pub(crate) body: Option<TypeRef>,
    pub(crate) docs: String,
}

/// A response key: one status, a class such as `4XX`, or `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusMatch {
    Code(u16),
    Class(u16),
    Default,
}

impl StatusMatch {
    pub(crate) fn label(self) -> String {
        match self {
            StatusMatch::Code(code) => code.to_string(),
            StatusMatch::Class(class) => format!("{class}XX"),
            StatusMatch::Default => "default".to_owned(),
        }
    }
}

/// A reference to a type, as written in a field or signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    DateTime,
    Date,
    /// A string the crate never prints (`format: password`): the runtime's `Secret`.
    Secret,
    /// A file part of a multipart body (`format: binary` there): the runtime's `FilePart`.
    File,
    /// Any JSON value.
    Json,
    /// A JSON object with arbitrary keys and values.
    JsonObject,
    Vec(Box<TypeRef>),
    /// A JSON object whose values all have one type.
    Map(Box<TypeRef>),
    Named(String),
    /// A hand-written type standing for a component schema, by full path.
    External(String),
}

/// Names of types that changed after the references to them were made.
pub(crate) type Renames = std::collections::HashMap<String, String>;

impl TypeRef {
    /// Follows renamed types.
    pub(crate) fn rename(&mut self, renames: &Renames) {
        match self {
            TypeRef::Named(name) => {
                if let Some(new_name) = renames.get(name) {
                    *name = new_name.clone();
                }
            }
            TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.rename(renames),
            _ => {}
        }
    }

    /// The named type this reference holds, by value or inside `Vec`s and maps.
    pub(crate) fn name_within(&self) -> Option<&str> {
        match self {
            TypeRef::Named(name) => Some(name),
            TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.name_within(),
            _ => None,
        }
    }

    /// The named type this reference holds by value (through no `Vec` or map).
    pub(crate) fn by_value_name(&self) -> Option<&str> {
        match self {
            TypeRef::Named(name) => Some(name),
            _ => None,
        }
    }
}

/// One API operation: one method on the client.
#[derive(Debug)]
pub(crate) struct Operation {
    /// The operationId (or the stable name made up for an operation without one).
    pub(crate) id: String,
    pub(crate) method_name: String,
    pub(crate) http_method: String,
    pub(crate) path: String,
    pub(crate) file: FileKey,
    /// The operation's first tag, as the spec writes it.
    pub(crate) tag: Option<String>,
    pub(crate) summary: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) deprecated: bool,
    /// Required parameters, in signature order.
    pub(crate) required_params: Vec<Param>,
    /// Optional parameters, fields of the parameter struct.
    pub(crate) optional_params: Vec<Param>,
    /// The parameter struct's name, when there are optional parameters.
    pub(crate) params_struct: Option<String>,
    pub(crate) body: Option<Body>,
    pub(crate) success: Success,
    /// The first success status the spec documents (200 when it names none).
    pub(crate) success_status: u16,
    /// The example the spec gives of that status's body, if any.
    pub(crate) success_example: Option<serde_json::Value>,
    pub(crate) errors: Vec<DocumentedError>,
    /// The enum of documented error bodies, when there are several kinds.
    pub(crate) errors_enum: Option<String>,
    pub(crate) pagination: Option<Pagination>,
    /// The long-running job this operation starts, when the config names one.
    pub(crate) job: Option<Job>,
    /// Header parameters the spec declares and the client sets itself.
    pub(crate) managed_headers: Vec<String>,
    /// Notes for the docs: what the generator could not express and did instead.
    pub(crate) notes: Vec<String>,
}

impl Operation {
    /// The generated types this operation sends: its parameters (and their
    /// params struct) and its body.
    pub(crate) fn request_type_names(&self) -> Vec<&str> {
        let params = self.required_params.iter().chain(&self.optional_params).map(|param| &param.ty);
        let body = self.body.as_ref().and_then(|body| body.ty.type_ref());
        params.chain(body).filter_map(TypeRef::name_within).chain(self.params_struct.as_deref()).collect()
    }

    /// The generated types it receives: success and error bodies (and the
    /// enums of several) and page items.
    pub(crate) fn response_type_names(&self) -> Vec<&str> {
        let success = match &self.success {
            Success::One(body) => body.type_ref(),
            Success::Enveloped { data, .. } => Some(data),
            Success::Several { .. } | Success::Empty => None,
        };
        let errors = self.errors.iter().filter_map(|error| error.body.as_ref());
        let items = self.pagination.iter().map(|pagination| &pagination.item_type);
        let several = match &self.success {
            Success::Several { type_name } => Some(type_name.as_str()),
            _ => None,
        };
        success
            .into_iter()
            .chain(errors)
            .chain(items)
            .filter_map(TypeRef::name_within)
            .chain(several)
            .chain(self.errors_enum.as_deref())
            .collect()
    }

    /// Follows renamed types in parameters, bodies and responses.
    pub(crate) fn rename_types(&mut self, renames: &Renames) {
        for param in self.required_params.iter_mut().chain(&mut self.optional_params) {
            param.ty.rename(renames);
        }
        if let Some(body) = &mut self.body {
            body.ty.rename(renames);
        }
        match &mut self.success {
            Success::One(body) => body.rename(renames),
            Success::Enveloped { data, .. } => data.rename(renames),
            Success::Empty | Success::Several { .. } => {}
        }
        self.errors.iter_mut().filter_map(|error| error.body.as_mut()).for_each(|ty| ty.rename(renames));
        if let Some(pagination) = &mut self.pagination {
            pagination.item_type.rename(renames);
        }
        // Only shared enums are renamed; of a job's types, only its result items can be one.
        if let Some(job) = &mut self.job {
            job.results.item_type.rename(renames);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamLocation {
    Path,
    Query,
    Header,
}

impl ParamLocation {
    pub(crate) fn label(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        }
    }
}

#[derive(Debug)]
pub(crate) struct Param {
    pub(crate) name: String,
    pub(crate) wire: String,
    pub(crate) location: ParamLocation,
    pub(crate) ty: TypeRef,
    pub(crate) encoding: ParamEncoding,
    /// The declared `maximum` (a page size limit, for instance).
    pub(crate) maximum: Option<u64>,
    pub(crate) docs: String,
}

/// How a parameter value becomes text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamEncoding {
    /// A scalar or string enum.
    Plain,
    /// An array, in this wire style.
    Array(ArrayStyle),
    /// An object: compact JSON in the query; in a path or header, OpenAPI's
    /// `simple` style (`k,v,k,v`, or `k=v,k=v` when exploded).
    Json { explode: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArrayStyle {
    Repeat,
    Comma,
    Space,
    Pipe,
}

#[derive(Debug)]
pub(crate) struct Body {
    pub(crate) ty: BodyType,
    /// The request body's own description.
    pub(crate) docs: Option<String>,
}

impl BodyType {
    fn rename(&mut self, renames: &Renames) {
        if let BodyType::Json { ty, .. } | BodyType::Form(ty) | BodyType::Multipart { ty, .. } = self {
            ty.rename(renames);
        }
    }
}

/// How a request or response body is encoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum BodyType {
    /// JSON under this media type.
    Json { ty: TypeRef, media_type: String },
    /// `application/x-www-form-urlencoded` from this type.
    Form(TypeRef),
    /// Text (`text/*`).
    Text(String),
    /// Bytes under this media type, for anything the generator does not decode.
    Bytes(String),
    /// `multipart/form-data` from this struct: one entry per property, in order.
    Multipart { ty: TypeRef, parts: Vec<MultipartPart> },
}

/// How one property of a multipart body is sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct MultipartPart {
    /// The struct field holding it.
    pub(crate) field: String,
    /// The part's name.
    pub(crate) wire: String,
    /// A file part (or several), not a value.
    pub(crate) file: bool,
    /// `encoding.<wire>.contentType`, if the spec gives one.
    pub(crate) content_type: Option<String>,
}

#[derive(Debug)]
pub(crate) enum Success {
    /// No documented body.
    Empty,
    One(BodyType),
    /// JSON in the API's envelope: the envelope type (by full path) around the data.
    Enveloped {
        data: TypeRef,
        envelope: String,
    },
    /// Several success bodies: an enum decoded by status.
    Several {
        type_name: String,
    },
}

#[derive(Debug)]
pub(crate) struct DocumentedError {
    pub(crate) status: StatusMatch,
    pub(crate) description: String,
    pub(crate) body: Option<TypeRef>,
}

/// A long-running job an operation starts: how its `..._to_completion` method
/// polls it and reads its results.
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) method_name: String,
    /// The status operation's method, and whether it takes a params struct.
    pub(crate) status_method: String,
    pub(crate) status_takes_params: bool,
    /// The results operation's paging (its stream method included), and whether
    /// it takes a params struct.
    pub(crate) results: Pagination,
    pub(crate) results_takes_params: bool,
    /// Where the start response and the status response say what the job is doing.
    pub(crate) started: JobFields,
    pub(crate) polled: JobFields,
    /// The state values meaning finished, and the outcome values meaning success.
    pub(crate) finished: Vec<String>,
    pub(crate) succeeded: Vec<String>,
    /// The wire paths, for the docs.
    pub(crate) state_wire: String,
    pub(crate) outcome_wire: Option<String>,
}

/// The fields of one response type that report on a job.
#[derive(Debug)]
pub(crate) struct JobFields {
    pub(crate) response_type: String,
    pub(crate) id: FieldPath,
    pub(crate) state: FieldPath,
    pub(crate) outcome: Option<FieldPath>,
}

/// How a list operation pages.
#[derive(Debug, Clone)]
pub(crate) struct Pagination {
    pub(crate) method_name: String,
    /// The private helper that builds the first request, shared by the method and its stream.
    pub(crate) request_fn: String,
    pub(crate) style: PageStyle,
    pub(crate) page: PageType,
    pub(crate) item_type: TypeRef,
    /// What the response says about the next page, by `PageInfo` field.
    pub(crate) reads: Vec<PageRead>,
}

/// One `PageInfo` field and where the response holds it.
#[derive(Debug, Clone)]
pub(crate) struct PageRead {
    pub(crate) field: PageInfoField,
    /// The wire path, for the docs (`pages.nextKey`).
    pub(crate) wire_path: String,
    /// The path through generated types; `None` when an envelope type reads it.
    pub(crate) path: Option<FieldPath>,
}

/// What one page decodes into.
#[derive(Debug, Clone)]
pub(crate) enum PageType {
    /// A generated list response, which gets an `impl Paginated`.
    Named { response_type: String, items_field: String, items_presence: Presence },
    /// The envelope type (by full path) around a `Vec` of items; it is `Paginated`
    /// through the runtime's `Envelope`.
    Envelope(String),
}

/// The request side of a page style: the runtime's `PageStyle`, one to one.
#[derive(Debug, Clone)]
pub(crate) enum PageStyle {
    LimitOffset { limit: String, offset: String, page_size: u64 },
    PageKey { key: String, size: Option<String>, page_size: u64 },
    PageNumber { page: String, size: Option<String>, page_size: u64 },
    Cursor { cursor: String, replaces: Vec<String> },
}

/// A path from a response type down to one of its fields (`pages.nextKey`).
#[derive(Debug, Clone)]
pub(crate) struct FieldPath {
    /// Each step's field name and whether that field is an `Option`.
    pub(crate) steps: Vec<(String, bool)>,
    /// The type of the last field.
    pub(crate) leaf: TypeRef,
}

impl BodyType {
    /// The generated type of a JSON or form body.
    pub(crate) fn type_ref(&self) -> Option<&TypeRef> {
        match self {
            BodyType::Json { ty, .. } | BodyType::Form(ty) | BodyType::Multipart { ty, .. } => Some(ty),
            BodyType::Text(_) | BodyType::Bytes(_) => None,
        }
    }
}

/// The names of every generated type reachable from `roots`, the roots included.
pub(crate) fn reachable<'m>(
    defs: &std::collections::HashMap<&'m str, &'m TypeDef>,
    roots: impl IntoIterator<Item = &'m str>,
) -> std::collections::BTreeSet<&'m str> {
    let mut seen = std::collections::BTreeSet::new();
    let mut stack: Vec<&'m str> = roots.into_iter().collect();
    while let Some(name) = stack.pop() {
        let Some((&name, def)) = defs.get_key_value(name) else { continue };
        if seen.insert(name) {
            stack.extend(def.kind.references().into_iter().filter_map(TypeRef::name_within));
        }
    }
    seen
}
