//! Operation generation: paths and their operations into model operations.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, StatusCode};

use crate::config::{ApiConfig, ArrayStyleConfig, FieldKind, PageInfoField, PaginationConfig};
use crate::config_check::ConfigUse;
use crate::error::{Pointer, SpecError, SpecResult};
use crate::model::{
    ArrayStyle, Body, BodyType, DocumentedError, Field, FileKey, MultipartPart, Operation, PageRead, PageStyle,
    PageType, Pagination, Param, ParamEncoding, ParamLocation, Presence, StatusEnum, StatusMatch, StatusVariant,
    Struct, Success, TypeDef, TypeKind, TypeRef,
};
use crate::naming::{Case, Namespace, assign_names, camel, snake};
use crate::resolve::SchemaRef;
use crate::schema_view::View;
use crate::types::{Site, TypeBuilder, Variant};

/// Client method names taken by the client itself or by common traits.
const RESERVED_METHODS: &[&str] = &["builder", "api_client", "from", "clone", "fmt", "into", "eq"];

/// One operation found in the document, before it is converted.
struct Found<'a> {
    path: &'a str,
    method: &'a str,
    operation: &'a openapiv3::Operation,
    path_parameters: &'a [ReferenceOr<Parameter>],
    pointer: Pointer,
    id: String,
}

/// Converts every operation of the document, in document order.
pub(crate) fn build<'a>(
    document: &'a OpenAPI,
    config: &ApiConfig,
    types: &mut TypeBuilder<'a>,
    usage: &mut ConfigUse,
) -> SpecResult<Vec<Operation>> {
    let found = find_operations(document)?;
    // All method names at once, so an operationId that is already snake_case keeps
    // its name whichever operation comes first.
    let mut methods = Namespace::with_reserved(RESERVED_METHODS);
    let sources: Vec<String> = found.iter().map(method_name_source).collect();
    let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
    let method_names = assign_names(&sources, Case::Snake, &mut methods);
    let mut operations = Vec::with_capacity(found.len());
    for (entry, method_name) in found.into_iter().zip(method_names) {
        let builder = OperationBuilder {
            config,
            types: &mut *types,
            usage: &mut *usage,
            pointer: entry.pointer,
            id: entry.id,
            method: entry.method,
            path: entry.path,
            base: String::new(),
        };
        operations.push(builder.build(entry.operation, entry.path_parameters, method_name, &mut methods)?);
    }
    crate::jobs::attach(config, types, usage, &mut operations, &mut methods);
    Ok(operations)
}

/// Every operation with its id, checking that ids are unique.
fn find_operations(document: &OpenAPI) -> SpecResult<Vec<Found<'_>>> {
    let mut seen_ids: HashMap<String, Pointer> = HashMap::new();
    let mut found = Vec::new();
    for (path, item) in document.paths.iter() {
        let path_pointer = Pointer::root().join("paths").join(path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                return Err(SpecError::new(
                    &path_pointer,
                    format!("path item `$ref` `{reference}` is not supported; inline the path item"),
                ));
            }
        };
        for (method, operation) in item.iter() {
            let pointer = path_pointer.join(method);
            let id = operation.operation_id.clone().unwrap_or_else(|| derived_operation_id(method, path));
            if let Some(first) = seen_ids.insert(id.clone(), pointer.clone()) {
                return Err(SpecError::new(
                    &pointer.join("operationId"),
                    format!("duplicate operationId `{id}`, already used at #{first}"),
                ));
            }
            found.push(Found { path, method, operation, path_parameters: &item.parameters, pointer, id });
        }
    }
    Ok(found)
}

/// `get /projects/{id}/runs` → `get_projects_id_runs`: stable for operations without an id.
fn derived_operation_id(method: &str, path: &str) -> String {
    format!("{method} {path}")
}

/// What an operation's method is named from: its id, except that the root path
/// of an operation without one reads `root` (`get /` → `get_root`, not a bare `get`).
fn method_name_source(entry: &Found) -> String {
    match entry.operation.operation_id.is_none() && entry.path.trim_matches('/').is_empty() {
        true => format!("{} root", entry.method),
        false => entry.id.clone(),
    }
}

struct OperationBuilder<'b, 'a> {
    config: &'b ApiConfig,
    types: &'b mut TypeBuilder<'a>,
    usage: &'b mut ConfigUse,
    pointer: Pointer,
    id: String,
    method: &'a str,
    path: &'a str,
    /// UpperCamel form of the id, the start of this operation's type names.
    base: String,
}

impl<'a> OperationBuilder<'_, 'a> {
    fn build(
        mut self,
        operation: &'a openapiv3::Operation,
        path_parameters: &'a [ReferenceOr<Parameter>],
        method_name: String,
        methods: &mut Namespace,
    ) -> SpecResult<Operation> {
        self.base = camel(&self.id);
        let file = FileKey::Operations(
            snake(operation.tags.first().map_or("default", String::as_str)).trim_start_matches("r#").to_owned(),
        );
        let mut notes = Vec::new();
        let mut managed_headers = Vec::new();

        let mut required_params = Vec::new();
        let mut optional_params = Vec::new();
        for (param, required) in self.parameters(operation, path_parameters, &file, &mut notes, &mut managed_headers)? {
            if required { required_params.push(param) } else { optional_params.push(param) }
        }
        let params_struct =
            (!optional_params.is_empty()).then(|| self.params_struct(&optional_params, &method_name, &file));
        let body = self.request_body(operation, &file, &mut notes)?;
        let success = self.success(operation, &file)?;
        let success_example = self.success_example(operation)?;
        let (errors, errors_enum) = self.errors(operation, &file)?;
        let pagination = self.pagination(&required_params, &optional_params, &success, &method_name, methods);

        Ok(Operation {
            id: self.id,
            method_name,
            http_method: self.method.to_uppercase(),
            path: self.path.to_owned(),
            file,
            tag: operation.tags.first().cloned(),
            summary: operation.summary.clone().filter(|text| !text.trim().is_empty()),
            description: operation.description.clone().filter(|text| !text.trim().is_empty()),
            deprecated: operation.deprecated,
            required_params,
            optional_params,
            params_struct,
            body,
            success,
            success_status: success_status(&operation.responses),
            success_example,
            errors,
            errors_enum,
            pagination,
            job: None,
            managed_headers,
            notes,
        })
    }

    /// Path-level and operation-level parameters (the latter win), with whether each is required.
    fn parameters(
        &mut self,
        operation: &'a openapiv3::Operation,
        path_parameters: &'a [ReferenceOr<Parameter>],
        file: &FileKey,
        notes: &mut Vec<String>,
        managed_headers: &mut Vec<String>,
    ) -> SpecResult<Vec<(Param, bool)>> {
        let path_level_pointer = self.pointer.parent().join("parameters");
        let mut merged: IndexMap<(String, &'static str), (&'a Parameter, Pointer, Option<&'a str>)> = IndexMap::new();
        let sources =
            [(path_parameters, path_level_pointer), (&operation.parameters[..], self.pointer.join("parameters"))];
        for (parameters, base) in sources {
            for (index, parameter) in parameters.iter().enumerate() {
                let resolved = self.types.resolver().parameter(parameter, &base.join(index))?;
                let location = match resolved.item {
                    Parameter::Query { .. } => "query",
                    Parameter::Header { .. } => "header",
                    Parameter::Path { .. } => "path",
                    Parameter::Cookie { .. } => "cookie",
                };
                merged.insert(
                    (resolved.item.parameter_data_ref().name.clone(), location),
                    (resolved.item, resolved.pointer, resolved.component),
                );
            }
        }
        let mut names = Namespace::with_reserved(&["body", "params"]);
        let mut out = Vec::new();
        for ((wire, location), (parameter, pointer, component)) in merged {
            let location = match location {
                "path" => ParamLocation::Path,
                "query" => ParamLocation::Query,
                "header" if is_managed_header(&wire) => continue,
                "header"
                    if self.config.client.managed_headers.iter().any(|managed| managed.eq_ignore_ascii_case(&wire)) =>
                {
                    notes.push(format!("The `{wire}` header is set by the client (see the crate documentation)."));
                    managed_headers.push(wire);
                    continue;
                }
                "header" if !is_header_name(&wire) => {
                    return Err(SpecError::new(
                        &pointer.join("name"),
                        format!("`{wire}` is not a valid HTTP header name"),
                    ));
                }
                "header" => ParamLocation::Header,
                _ => {
                    notes.push(format!("The cookie parameter `{wire}` is not supported; set it with a custom `reqwest::Client` if needed."));
                    continue;
                }
            };
            let data = parameter.parameter_data_ref();
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => SchemaRef::from(schema),
                ParameterSchemaOrContent::Content(content) => {
                    match content.values().find_map(|media| media.schema.as_ref()) {
                        Some(schema) => SchemaRef::from(schema),
                        None => {
                            return Err(SpecError::new(
                                &pointer,
                                format!("parameter `{wire}` has neither `schema` nor a `content` schema"),
                            ));
                        }
                    }
                }
            };
            // A shared parameter (`components/parameters`) names its types itself.
            let (hint, type_file) = match component {
                Some(component) => {
                    (camel(component), FileKey::Component(snake(component).trim_start_matches("r#").to_owned()))
                }
                None => (format!("{}{}", self.base, camel(&wire)), file.clone()),
            };
            let site = Site {
                pointer: pointer.join("schema"),
                hint,
                variant: Variant::Request,
                file: type_file,
                fallback_docs: format!("Values of the `{wire}` parameter."),
            };
            // Parameters take the aliased type itself: `&[T]` rather than `&Alias`.
            let declared = self.types.type_of(schema, &site)?;
            let ty = self.types.secret_if_named(&wire, self.types.unalias(&declared));
            let maximum = self.types.resolver().schema(schema, &site.pointer)?.item;
            let maximum = View::of(maximum).maximum.filter(|max| *max >= 1.0).map(|max| max as u64);
            let encoding = self.encoding(&ty, &wire, parameter);
            let docs = data
                .description
                .clone()
                .filter(|text| !text.trim().is_empty())
                .unwrap_or_else(|| format!("The `{wire}` {} parameter.", location.label()));
            let required = data.required || location == ParamLocation::Path;
            out.push((
                Param { name: names.claim(&snake(&wire)), wire, location, ty, encoding, maximum, docs },
                required,
            ));
        }
        Ok(out)
    }

    fn encoding(&self, ty: &TypeRef, wire: &str, parameter: &Parameter) -> ParamEncoding {
        let ty = self.types.unalias(ty);
        match ty {
            TypeRef::Vec(item) if self.types.is_plain(&item) => {
                let explode = parameter.parameter_data_ref().explode.unwrap_or(true);
                let declared = match parameter {
                    Parameter::Query { style: QueryStyle::SpaceDelimited, .. } => ArrayStyle::Space,
                    Parameter::Query { style: QueryStyle::PipeDelimited, .. } => ArrayStyle::Pipe,
                    Parameter::Query { .. } if explode => ArrayStyle::Repeat,
                    _ => ArrayStyle::Comma,
                };
                ParamEncoding::Array(match self.config.array_style_overrides.get(wire) {
                    Some(ArrayStyleConfig::Repeat) => ArrayStyle::Repeat,
                    Some(ArrayStyleConfig::Comma) => ArrayStyle::Comma,
                    None => declared,
                })
            }
            other if self.types.is_plain(&other) => ParamEncoding::Plain,
            _ => ParamEncoding::Json { explode: parameter.parameter_data_ref().explode.unwrap_or(false) },
        }
    }

    fn params_struct(&mut self, optional: &[Param], method_name: &str, file: &FileKey) -> String {
        let name = self.types.claim_name(&format!("{}Params", self.base));
        let fields = optional
            .iter()
            .map(|param| Field {
                name: param.name.clone(),
                wire: param.wire.clone(),
                ty: param.ty.clone(),
                presence: Presence::Optional,
                docs: param.docs.clone(),
                boxed: false,
            })
            .collect();
        self.types.add(TypeDef {
            name: name.clone(),
            docs: format!(
                "Optional parameters of [`Client::{}`](crate::Client::{}).",
                method_name.trim_start_matches("r#"),
                method_name
            ),
            file: file.clone(),
            kind: TypeKind::Struct(Struct { fields, additional: None, serde: false }),
        });
        name
    }

    fn request_body(
        &mut self,
        operation: &'a openapiv3::Operation,
        file: &FileKey,
        notes: &mut Vec<String>,
    ) -> SpecResult<Option<Body>> {
        let Some(body) = &operation.request_body else { return Ok(None) };
        let pointer = self.pointer.join("requestBody");
        let resolved = self.types.resolver().request_body(body, &pointer)?;
        let variant = if self.config.partial_updates.applies_to(&self.id) { Variant::Update } else { Variant::Request };
        let content_pointer = resolved.pointer.join("content");
        let Some((media_type, media)) = preferred_media(&resolved.item.content) else {
            return Ok(None);
        };
        let site = Site {
            pointer: content_pointer.join(media_type).join("schema"),
            hint: format!("{}Body", self.base),
            variant,
            file: file.clone(),
            fallback_docs: format!("The request body of `{}`.", self.id),
        };
        let ty = self.body_type(media_type, media, &site)?;
        if let BodyType::Bytes(media_type) = &ty {
            notes.push(format!("The request body (`{media_type}`) is sent as raw bytes."));
        }
        // Bodies are always a required argument: OpenAPI's default is "optional",
        // which most specs leave unset for bodies that are in fact required.
        Ok(Some(Body { ty, docs: resolved.item.description.clone() }))
    }

    fn body_type(&mut self, media_type: &str, media: &'a MediaType, site: &Site) -> SpecResult<BodyType> {
        let schema_type = |types: &mut TypeBuilder<'a>| -> SpecResult<TypeRef> {
            match &media.schema {
                Some(schema) => types.type_of(schema.into(), site),
                None => Ok(TypeRef::Json),
            }
        };
        Ok(match media_kind(media_type) {
            MediaKind::Json => BodyType::Json { ty: schema_type(self.types)?, media_type: media_type.to_owned() },
            MediaKind::Form => BodyType::Form(schema_type(self.types)?),
            // Only requests: a multipart response is read as bytes.
            MediaKind::Multipart if site.variant != Variant::Response => {
                self.multipart_body(media_type, media, site)?
            }
            MediaKind::Multipart => BodyType::Bytes(media_type.to_owned()),
            MediaKind::Text => BodyType::Text(media_type.to_owned()),
            MediaKind::Other => BodyType::Bytes(media_type.to_owned()),
        })
    }

    /// A multipart body with properties is a struct of parts; one without is bytes.
    fn multipart_body(&mut self, media_type: &str, media: &'a MediaType, site: &Site) -> SpecResult<BodyType> {
        let Some(schema) = &media.schema else { return Ok(BodyType::Bytes(media_type.to_owned())) };
        let Some((name, layout)) = self.types.multipart_struct(schema.into(), site)? else {
            return Ok(BodyType::Bytes(media_type.to_owned()));
        };
        let parts = layout
            .into_iter()
            .map(|part| {
                let content_type = media.encoding.get(&part.wire).and_then(|encoding| encoding.content_type.clone());
                MultipartPart { content_type, ..part }
            })
            .collect();
        Ok(BodyType::Multipart { ty: TypeRef::Named(name), parts })
    }

    /// The example of the first success body (`example`, else the first of `examples`).
    fn success_example(&self, operation: &'a openapiv3::Operation) -> SpecResult<Option<serde_json::Value>> {
        let first = operation.responses.responses.iter().find(|(status, _)| match status {
            StatusCode::Code(code) => (200..300).contains(code),
            StatusCode::Range(class) => *class == 2,
        });
        let Some((status, response)) = first else { return Ok(None) };
        let pointer = self.pointer.join("responses").join(status.to_string());
        let resolved = self.types.resolver().response(response, &pointer)?;
        let Some((_, media)) = preferred_media(&resolved.item.content) else { return Ok(None) };
        let listed = media.examples.values().find_map(|example| match example {
            ReferenceOr::Item(example) => example.value.clone(),
            ReferenceOr::Reference { .. } => None,
        });
        Ok(media.example.clone().or(listed))
    }

    fn success(&mut self, operation: &'a openapiv3::Operation, file: &FileKey) -> SpecResult<Success> {
        let responses = &operation.responses;
        let mut successes: Vec<(StatusMatch, &'a ReferenceOr<openapiv3::Response>, Pointer)> = responses
            .responses
            .iter()
            .filter_map(|(status, response)| {
                let status = match status {
                    StatusCode::Code(code) if (200..300).contains(code) => StatusMatch::Code(*code),
                    StatusCode::Range(2) => StatusMatch::Class(2),
                    _ => return None,
                };
                Some((status, response, self.pointer.join("responses").join(status.label())))
            })
            .collect();
        if successes.is_empty() {
            // Only `default` documented: it describes the success too.
            if let Some(default) = &responses.default {
                successes.push((StatusMatch::Default, default, self.pointer.join("responses").join("default")));
            }
        }
        let several = successes.len() > 1;
        let mut bodies: Vec<(StatusMatch, Option<BodyType>, String)> = Vec::new();
        for (status, response, pointer) in successes {
            let resolved = self.types.resolver().response(response, &pointer)?;
            let hint = if several {
                format!("{}Response{}", self.base, status_name(status))
            } else {
                format!("{}Response", self.base)
            };
            let body = match preferred_media(&resolved.item.content) {
                Some((media_type, media)) => {
                    let site = Site {
                        pointer: resolved.pointer.join("content").join(media_type).join("schema"),
                        hint,
                        variant: Variant::Response,
                        file: file.clone(),
                        fallback_docs: format!("The {} response of `{}`.", status.label(), self.id),
                    };
                    if !several && let Some(enveloped) = self.enveloped(media_type, media, &site)? {
                        return Ok(enveloped);
                    }
                    Some(self.body_type(media_type, media, &site)?)
                }
                None => None,
            };
            bodies.push((status, body, resolved.item.description.clone()));
        }
        let distinct: HashSet<&Option<BodyType>> = bodies.iter().map(|(_, body, _)| body).collect();
        if distinct.len() <= 1 {
            return Ok(match bodies.into_iter().next().and_then(|(_, body, _)| body) {
                Some(body) => Success::One(body),
                None => Success::Empty,
            });
        }
        let type_name = self.types.claim_name(&format!("{}Response", self.base));
        let variants = self.status_variants(bodies);
        self.types.add(TypeDef {
            name: type_name.clone(),
            docs: format!("The success responses of `{}`, by status.", self.id),
            file: file.clone(),
            kind: TypeKind::Responses(StatusEnum { variants }),
        });
        Ok(Success::Several { type_name })
    }

    /// With an envelope configured, a JSON body with a `data` property (directly
    /// or in an `allOf` member) is that envelope: only `data` gets a type.
    fn enveloped(&mut self, media_type: &str, media: &'a MediaType, site: &Site) -> SpecResult<Option<Success>> {
        let (Some(envelope), MediaKind::Json, Some(schema)) =
            (&self.config.client.envelope, media_kind(media_type), &media.schema)
        else {
            return Ok(None);
        };
        let Some((data, pointer)) = self.envelope_property(schema.into(), &site.pointer, &envelope.data)? else {
            return Ok(None);
        };
        self.usage.envelope_used = true;
        for (key, path) in [("next_link", &envelope.next_link), ("total", &envelope.total)] {
            if let Some(path) = path
                && !self.has_wire_path(schema.into(), &site.pointer, path)?
            {
                self.usage.envelope_paths_missing.insert(key, format!("{} ({})", path, self.id));
            }
        }
        let data_site = Site { pointer, hint: format!("{}Data", self.base), ..site.clone() };
        let data = self.types.type_of(data, &data_site)?;
        Ok(Some(Success::Enveloped { data, envelope: envelope.type_path.to_string() }))
    }

    /// The property `name` of an object schema (directly or in an `allOf`
    /// member), and its pointer.
    fn envelope_property(
        &self,
        schema: SchemaRef<'a>,
        at: &Pointer,
        name: &str,
    ) -> SpecResult<Option<(SchemaRef<'a>, Pointer)>> {
        let resolved = self.types.resolver().schema(schema, at)?;
        let view = View::of(resolved.item);
        if let Some(found) = view.properties.and_then(|properties| properties.get(name)) {
            return Ok(Some((found.into(), resolved.pointer.join("properties").join(name))));
        }
        for (index, member) in view.all_of.iter().enumerate() {
            if let Some(found) =
                self.envelope_property(member.into(), &resolved.pointer.join("allOf").join(index), name)?
            {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// Whether a schema has the dotted wire path (`metadata.links.next`).
    fn has_wire_path(&self, schema: SchemaRef<'a>, at: &Pointer, path: &str) -> SpecResult<bool> {
        let mut current = Some((schema, at.clone()));
        for step in path.split('.') {
            let Some((schema, pointer)) = current else { return Ok(false) };
            current = self.envelope_property(schema, &pointer, step)?;
        }
        Ok(current.is_some())
    }

    fn errors(
        &mut self,
        operation: &'a openapiv3::Operation,
        file: &FileKey,
    ) -> SpecResult<(Vec<DocumentedError>, Option<String>)> {
        let responses = &operation.responses;
        let has_success = responses
            .responses
            .keys()
            .any(|status| matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2)));
        let mut entries: Vec<(StatusMatch, &'a ReferenceOr<openapiv3::Response>)> = responses
            .responses
            .iter()
            .filter_map(|(status, response)| match status {
                StatusCode::Code(code) if *code >= 400 => Some((StatusMatch::Code(*code), response)),
                StatusCode::Range(class) if *class >= 4 => Some((StatusMatch::Class(*class), response)),
                _ => None,
            })
            .collect();
        if has_success && let Some(default) = &responses.default {
            entries.push((StatusMatch::Default, default));
        }
        let mut errors = Vec::new();
        for (status, response) in entries {
            let pointer = self.pointer.join("responses").join(status.label());
            let resolved = self.types.resolver().response(response, &pointer)?;
            let body = match preferred_media(&resolved.item.content) {
                Some((media_type, media)) if media_kind(media_type) == MediaKind::Json => {
                    let site = Site {
                        pointer: resolved.pointer.join("content").join(media_type).join("schema"),
                        hint: format!("{}Error{}", self.base, status_name(status)),
                        variant: Variant::Response,
                        file: file.clone(),
                        fallback_docs: format!("The {} error body of `{}`.", status.label(), self.id),
                    };
                    match &media.schema {
                        Some(schema) => Some(self.types.type_of(schema.into(), &site)?),
                        None => None,
                    }
                }
                _ => None,
            };
            errors.push(DocumentedError { status, description: resolved.item.description.clone(), body });
        }
        let distinct: HashSet<&TypeRef> = errors.iter().filter_map(|error| error.body.as_ref()).collect();
        if distinct.len() < 2 {
            return Ok((errors, None));
        }
        let name = self.types.claim_name(&format!("{}Error", self.base));
        let bodies = errors
            .iter()
            .filter(|error| error.body.is_some())
            .map(|error| {
                (
                    error.status,
                    error.body.clone().map(|ty| BodyType::Json { ty, media_type: String::new() }),
                    error.description.clone(),
                )
            })
            .collect();
        let variants = self.status_variants(bodies);
        self.types.add(TypeDef {
            name: name.clone(),
            docs: format!("The documented error bodies of `{}`, by status.", self.id),
            file: file.clone(),
            kind: TypeKind::Errors(StatusEnum { variants }),
        });
        Ok((errors, Some(name)))
    }

    fn status_variants(&self, bodies: Vec<(StatusMatch, Option<BodyType>, String)>) -> Vec<StatusVariant> {
        let mut names = Namespace::default();
        bodies
            .into_iter()
            .map(|(status, body, description)| StatusVariant {
                name: names.claim(&status_name(status)),
                status,
                body: body.and_then(|body| match body {
                    BodyType::Json { ty, .. } | BodyType::Form(ty) => Some(ty),
                    BodyType::Text(_) => Some(TypeRef::String),
                    // Never a response (read as bytes there).
                    BodyType::Bytes(_) | BodyType::Multipart { .. } => None,
                }),
                docs: if description.trim().is_empty() { format!("Status {}.", status.label()) } else { description },
            })
            .collect()
    }

    /// The first configured page style whose parameters this operation has, if
    /// its response is one list (an object with exactly one array property, or
    /// an envelope around an array).
    fn pagination(
        &mut self,
        required: &[Param],
        optional: &[Param],
        success: &Success,
        method_name: &str,
        methods: &mut Namespace,
    ) -> Option<Pagination> {
        let (page, item_type) = match success {
            Success::One(BodyType::Json { ty: TypeRef::Named(response_type), .. }) => {
                let (items_field, items_presence, item_type) = self.types.single_array_field(response_type)?;
                (PageType::Named { response_type: response_type.clone(), items_field, items_presence }, item_type)
            }
            Success::Enveloped { data, envelope } => match self.types.unalias(data) {
                TypeRef::Vec(item) => (PageType::Envelope(envelope.clone()), *item),
                _ => return None,
            },
            _ => return None,
        };
        let query = |wire: &str| {
            required.iter().chain(optional).find(|param| param.location == ParamLocation::Query && param.wire == wire)
        };
        let mut chosen = None;
        let configs = &self.config.pagination;
        for (index, config) in configs.iter().enumerate() {
            if !config.required_params().into_iter().all(|wire| query(wire).is_some()) {
                continue;
            }
            self.usage.pagination_with_params.insert(index);
            match self.page_reads(config, &page) {
                Ok(reads) => {
                    chosen = Some((index, config, reads));
                    break;
                }
                Err(problem) => {
                    self.usage.pagination_problems.entry(index).or_insert(format!("`{}`: {problem}", self.id));
                }
            }
        }
        let (index, config, reads) = chosen?;
        self.usage.pagination_applied.insert(index);
        let size_of = |size: &Option<String>, default: u64| {
            size.as_deref().and_then(query).and_then(|param| param.maximum).unwrap_or(default)
        };
        let present = |size: &Option<String>| size.clone().filter(|size| query(size).is_some());
        let style = match config {
            PaginationConfig::LimitOffset { limit, offset, default_page_size, .. } => PageStyle::LimitOffset {
                limit: limit.clone(),
                offset: offset.clone(),
                page_size: size_of(&Some(limit.clone()), *default_page_size),
            },
            PaginationConfig::PageKey { key, size, default_page_size, .. } => {
                let size = present(size);
                PageStyle::PageKey { key: key.clone(), page_size: size_of(&size, *default_page_size), size }
            }
            PaginationConfig::PageNumber { page, size, default_page_size, .. } => {
                let size = present(size);
                PageStyle::PageNumber { page: page.clone(), page_size: size_of(&size, *default_page_size), size }
            }
            PaginationConfig::Cursor { cursor, replaces, .. } => {
                PageStyle::Cursor { cursor: cursor.clone(), replaces: replaces.clone() }
            }
        };
        let base = method_name.trim_start_matches("r#");
        // Every public method name is claimed before this, so a helper never takes one.
        Some(Pagination {
            method_name: methods.claim(&format!("{base}_stream")),
            request_fn: methods.claim(&format!("{base}_request")),
            style,
            page,
            item_type,
            reads,
        })
    }

    /// Where the page holds each field the style reads: a path through the
    /// generated response type, or what the envelope hands out.
    fn page_reads(&self, config: &PaginationConfig, page: &PageType) -> Result<Vec<PageRead>, String> {
        let mut reads = Vec::new();
        match page {
            PageType::Named { response_type, .. } => {
                for (field, wire_path, needed) in config.response_fields() {
                    let found = self
                        .types
                        .field_path(response_type, wire_path)
                        .filter(|path| is_kind(&path.leaf, field.kind()));
                    match found {
                        Some(path) => reads.push(PageRead { field, wire_path: wire_path.to_owned(), path: Some(path) }),
                        // An optional field (a next link beside offsets) is read where the response has it.
                        None if !needed => {}
                        None => {
                            return Err(format!(
                                "the response `{response_type}` has no field `{wire_path}` of the kind it needs"
                            ));
                        }
                    }
                }
            }
            PageType::Envelope(envelope) => {
                let offered = self.envelope_reads();
                for (field, wire_path, needed) in config.response_fields() {
                    if needed && !offered.iter().any(|read| read.field == field) {
                        return Err(format!(
                            "the envelope `{envelope}` hands out no `{}` (`{wire_path}`), which this style needs",
                            field.name()
                        ));
                    }
                }
                reads = offered;
            }
        }
        Ok(reads)
    }

    /// What the configured envelope says about pages.
    fn envelope_reads(&self) -> Vec<PageRead> {
        let Some(envelope) = &self.config.client.envelope else { return Vec::new() };
        [(PageInfoField::NextLink, &envelope.next_link), (PageInfoField::TotalItems, &envelope.total)]
            .into_iter()
            .filter_map(|(field, path)| Some(PageRead { field, wire_path: path.clone()?, path: None }))
            .collect()
    }
}

fn is_kind(ty: &TypeRef, kind: FieldKind) -> bool {
    match kind {
        FieldKind::Text => *ty == TypeRef::String,
        FieldKind::Number => matches!(ty, TypeRef::I32 | TypeRef::I64),
        FieldKind::Flag => *ty == TypeRef::Bool,
    }
}

/// Headers the HTTP layer sets itself; OpenAPI says to ignore them as parameters.
fn is_managed_header(name: &str) -> bool {
    ["accept", "content-type", "authorization"].contains(&name.to_ascii_lowercase().as_str())
}

/// RFC 9110 token characters.
fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Other,
}

fn media_kind(media_type: &str) -> MediaKind {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") || essence == "*/*" || essence == "application/*" {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence == "multipart/form-data" {
        MediaKind::Multipart
    } else if essence.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Other
    }
}

/// The content entry to use: JSON first, then form, multipart, text, anything.
fn preferred_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    [MediaKind::Json, MediaKind::Form, MediaKind::Multipart, MediaKind::Text, MediaKind::Other]
        .into_iter()
        .find_map(|kind| content.iter().find(|(media_type, _)| media_kind(media_type) == kind))
        .map(|(media_type, media)| (media_type.as_str(), media))
}

/// A variant name for a status: its reason phrase (`Created`), or `Status418`.
fn status_name(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => match code {
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            203 => "NonAuthoritative",
            204 => "NoContent",
            205 => "ResetContent",
            206 => "PartialContent",
            400 => "BadRequest",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            409 => "Conflict",
            410 => "Gone",
            412 => "PreconditionFailed",
            415 => "UnsupportedMediaType",
            422 => "UnprocessableEntity",
            429 => "TooManyRequests",
            500 => "InternalServerError",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            _ => return format!("Status{code}"),
        }
        .to_owned(),
        StatusMatch::Class(class) => format!("Status{class}xx"),
        StatusMatch::Default => "Other".to_owned(),
    }
}

/// The first 2xx status of `responses`, in the spec's order; 200 when it names none.
fn success_status(responses: &openapiv3::Responses) -> u16 {
    let codes = responses.responses.keys().filter_map(|status| match status {
        StatusCode::Code(code) if (200..300).contains(code) => Some(*code),
        _ => None,
    });
    codes.into_iter().next().unwrap_or(200)
}
