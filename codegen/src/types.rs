//! Type generation: schemas into model types.
//!
//! Every schema is converted once per *variant* it is used in:
//! - `Response`: every property, as the server sends it;
//! - `Request`: without `readOnly` properties, for request bodies;
//! - `Update`: a request body of a partial-update operation, whose optional
//!   fields are `Patch<T>` (leave, unset or set).
//!
//! A schema (and everything under it) without `readOnly`/`writeOnly` properties
//! has one type for all uses; only schemas that differ get `XRequest`/`XUpdate`.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema};
use serde_json::Value;

use crate::error::{Pointer, SpecError, SpecResult};
use crate::model::{
    EnumVariant, Field, FieldPath, FileKey, MultipartPart, Presence, Shape, StringEnum, Struct, TypeDef, TypeKind,
    TypeRef, Union, UnionVariant,
};
use crate::naming::{Case, Namespace, RESERVED_TYPE_NAMES, assign_names, camel, snake};
use crate::resolve::{Resolver, SchemaRef, schema_component_name};
use crate::schema_view::{JsonType, View};

/// Which use of a schema a type is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Variant {
    Response,
    Request,
    Update,
}

impl Variant {
    fn suffix(self) -> &'static str {
        match self {
            Variant::Response => "",
            Variant::Request => "Request",
            Variant::Update => "Update",
        }
    }
}

/// Where a schema is used: its pointer, the name its inline types start from,
/// the variant, the file its types go to and docs for when the spec has none.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub(crate) pointer: Pointer,
    pub(crate) hint: String,
    pub(crate) variant: Variant,
    pub(crate) file: FileKey,
    pub(crate) fallback_docs: String,
}

impl Site {
    fn child(
        &self,
        segment: impl std::fmt::Display,
        hint_suffix: &str,
        variant: Variant,
        fallback_docs: String,
    ) -> Site {
        Site {
            pointer: self.pointer.join(segment),
            hint: format!("{}{}", self.hint, camel(hint_suffix)),
            variant,
            file: self.file.clone(),
            fallback_docs,
        }
    }
}

/// The properties of an object schema, after merging `allOf`.
struct ObjectParts<'a> {
    properties: IndexMap<String, (SchemaRef<'a>, Pointer)>,
    required: HashSet<String>,
    additional: Option<&'a AdditionalProperties>,
}

pub(crate) struct TypeBuilder<'a> {
    document: &'a OpenAPI,
    /// Component schemas the runtime implements: name → runtime path.
    overrides: &'a std::collections::BTreeMap<String, crate::config::RustPath>,
    /// Wire names whose string values are credentials (`ApiConfig::secrets`).
    secrets: &'a std::collections::BTreeSet<String>,
    resolver: Resolver<'a>,
    names: Namespace,
    /// Component schema name → its type name, claimed before anything else.
    component_names: HashMap<&'a str, String>,
    /// Types in creation order; a slot is reserved before a type's parts are built.
    slots: Vec<Option<TypeDef>>,
    /// Type name → its slot.
    index: HashMap<String, usize>,
    memo: HashMap<(Pointer, Variant), TypeRef>,
    splits: HashMap<Pointer, bool>,
    /// Inline string enums by their values and catch-all: one type per value set.
    shared_enums: HashMap<(Vec<String>, String), SharedEnum>,
}

/// An inline string enum and the names its uses would have given it.
struct SharedEnum {
    name: String,
    hints: Vec<String>,
}

impl<'a> TypeBuilder<'a> {
    pub(crate) fn new(
        document: &'a OpenAPI,
        overrides: &'a std::collections::BTreeMap<String, crate::config::RustPath>,
        secrets: &'a std::collections::BTreeSet<String>,
    ) -> Self {
        let mut names = Namespace::with_reserved(RESERVED_TYPE_NAMES);
        let component_names =
            component_schemas(document).map(|(name, _)| (name.as_str(), names.claim(&camel(name)))).collect();
        Self {
            document,
            overrides,
            secrets,
            resolver: Resolver::new(document),
            names,
            component_names,
            slots: Vec::new(),
            index: HashMap::new(),
            memo: HashMap::new(),
            splits: HashMap::new(),
            shared_enums: HashMap::new(),
        }
    }

    /// Claims a type name for an operation-level type (parameters, response enum).
    pub(crate) fn claim_name(&mut self, wanted: &str) -> String {
        self.names.claim(wanted)
    }

    /// Adds a type built outside this module (parameter structs, status enums).
    pub(crate) fn add(&mut self, def: TypeDef) {
        self.index.insert(def.name.clone(), self.slots.len());
        self.slots.push(Some(def));
    }

    /// A finished type by name.
    fn def(&self, name: &str) -> Option<&TypeDef> {
        self.index.get(name).and_then(|&slot| self.slots[slot].as_ref())
    }

    /// The type an alias stands for (through any chain of aliases).
    pub(crate) fn unalias(&self, ty: &TypeRef) -> TypeRef {
        let mut current = ty.clone();
        for _ in 0..32 {
            match &current {
                TypeRef::Named(name) => match self.def(name).map(|def| &def.kind) {
                    Some(TypeKind::Alias(target)) => current = target.clone(),
                    _ => break,
                },
                _ => break,
            }
        }
        current
    }

    /// The struct of a `multipart/form-data` body (`site.hint` names it): its
    /// properties typed as usual, except that binary strings (and arrays of them)
    /// are file parts. Returns the struct's name and its parts in order (without
    /// content types: those are the media type's `encoding`); `None` for a schema
    /// without properties.
    pub(crate) fn multipart_struct(
        &mut self,
        schema: SchemaRef<'a>,
        site: &Site,
    ) -> SpecResult<Option<(String, Vec<MultipartPart>)>> {
        let resolved = self.resolver.schema(schema, &site.pointer)?;
        let (item, pointer) = (resolved.item, resolved.pointer);
        let mut parts = ObjectParts { properties: IndexMap::new(), required: HashSet::new(), additional: None };
        self.merge_all_of(item, &pointer, &mut parts, &mut Vec::new(), &mut vec![pointer.clone()])?;
        let kept: Vec<(String, SchemaRef<'a>, Pointer)> = parts
            .properties
            .into_iter()
            .filter(|(_, (schema, pointer))| {
                self.resolver.schema(*schema, pointer).is_ok_and(|r| !r.item.schema_data.read_only)
            })
            .map(|(wire, (schema, pointer))| (wire, schema, pointer))
            .collect();
        if kept.is_empty() {
            return Ok(None);
        }
        let name = self.names.claim(&site.hint);
        let wires: Vec<&str> = kept.iter().map(|(wire, ..)| wire.as_str()).collect();
        let field_names = assign_names(&wires, Case::Snake, &mut Namespace::default());
        let mut fields = Vec::with_capacity(kept.len());
        let mut layout = Vec::with_capacity(kept.len());
        for ((wire, schema, pointer), field_name) in kept.into_iter().zip(field_names) {
            let property_site = Site {
                pointer: pointer.clone(),
                hint: format!("{name}{}", camel(&wire)),
                variant: Variant::Request,
                file: site.file.clone(),
                fallback_docs: format!("The `{wire}` part."),
            };
            let property = self.resolver.schema(schema, &pointer)?.item;
            let view = View::of(property);
            let file = match self.file_shape(&view, &pointer)? {
                Some(file) => file,
                None => self.type_of(schema, &property_site)?,
            };
            let holds_files =
                matches!(&file, TypeRef::File) || matches!(&file, TypeRef::Vec(item) if **item == TypeRef::File);
            let ty = self.secret_if_named(&wire, file);
            let presence = if parts.required.contains(&wire) { Presence::Required } else { Presence::Optional };
            let docs = match schema {
                SchemaRef::Inline(_) => docs_of(&view, &property_site),
                SchemaRef::Ref(_) => property_site.fallback_docs.clone(),
            };
            layout.push(MultipartPart {
                field: field_name.clone(),
                wire: wire.clone(),
                file: holds_files,
                content_type: None,
            });
            fields.push(Field { name: field_name, wire, ty, presence, docs, boxed: false });
        }
        self.add(TypeDef {
            name: name.clone(),
            docs: docs_of(&View::of(item), site),
            file: site.file.clone(),
            kind: TypeKind::Struct(Struct { fields, additional: None, serde: false }),
        });
        Ok(Some((name, layout)))
    }

    /// `File` for a binary string, `Vec<File>` for an array of them.
    fn file_shape(&self, view: &View<'a>, pointer: &Pointer) -> SpecResult<Option<TypeRef>> {
        let is_binary =
            |view: &View| view.json_type == Some(JsonType::String) && view.format.as_deref() == Some("binary");
        if is_binary(view) {
            return Ok(Some(TypeRef::File));
        }
        if let (Some(JsonType::Array), Some(items)) = (view.json_type, view.items) {
            let item = self.resolver.schema(items.into(), &pointer.join("items"))?.item;
            if is_binary(&View::of(item)) {
                return Ok(Some(TypeRef::Vec(Box::new(TypeRef::File))));
            }
        }
        Ok(None)
    }

    /// A string the config names as a credential (by its wire name) is a `Secret`.
    pub(crate) fn secret_if_named(&self, wire: &str, ty: TypeRef) -> TypeRef {
        if ty == TypeRef::String && self.secrets.contains(wire) { TypeRef::Secret } else { ty }
    }

    /// Whether a value of this type is a single parameter value: a scalar or string enum.
    pub(crate) fn is_plain(&self, ty: &TypeRef) -> bool {
        match self.unalias(ty) {
            TypeRef::Named(name) => matches!(self.def(&name).map(|def| &def.kind), Some(TypeKind::Enum(_))),
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::DateTime
            | TypeRef::Date
            | TypeRef::Secret => true,
            TypeRef::File => false,
            TypeRef::Json | TypeRef::JsonObject | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::External(_) => false,
        }
    }

    /// The path to a field by its dotted wire path (`pages.nextKey`), through
    /// struct fields only.
    pub(crate) fn field_path(&self, struct_name: &str, wire_path: &str) -> Option<FieldPath> {
        let mut steps = Vec::new();
        let mut current = TypeRef::Named(struct_name.to_owned());
        for wire in wire_path.split('.') {
            let TypeRef::Named(name) = self.unalias(&current) else { return None };
            let Some(TypeKind::Struct(object)) = self.def(&name).map(|def| &def.kind) else { return None };
            let field = object.fields.iter().find(|field| field.wire == wire)?;
            steps.push((field.name.clone(), field.presence != Presence::Required));
            current = field.ty.clone();
        }
        Some(FieldPath { steps, leaf: self.unalias(&current) })
    }

    /// The one array property of a list response, if it has exactly one:
    /// its field name, presence and item type.
    pub(crate) fn single_array_field(&self, name: &str) -> Option<(String, Presence, TypeRef)> {
        let Some(TypeKind::Struct(object)) = self.def(name).map(|def| &def.kind) else { return None };
        let mut arrays = object.fields.iter().filter_map(|field| match self.unalias(&field.ty) {
            TypeRef::Vec(item) => Some((field.name.clone(), field.presence, *item)),
            _ => None,
        });
        let first = arrays.next()?;
        arrays.next().is_none().then_some(first)
    }

    /// Converts every component schema (as responses see it).
    pub(crate) fn build_components(&mut self) -> SpecResult<()> {
        for (name, item) in component_schemas(self.document) {
            if self.overrides.contains_key(name) {
                continue;
            }
            let site = component_site(name, &self.component_names[name.as_str()], Variant::Response);
            match item {
                ReferenceOr::Item(schema) => {
                    self.convert_memoized(schema, site, Some(name))?;
                }
                // A component that is another component under a second name.
                ReferenceOr::Reference { reference } => {
                    let target = self.type_of_reference(reference, &site)?;
                    let docs = site.fallback_docs.clone();
                    self.add(TypeDef { name: site.hint.clone(), docs, file: site.file, kind: TypeKind::Alias(target) });
                }
            }
        }
        Ok(())
    }

    /// All types built, in creation order.
    /// The types, and the new names of inline enums that several places share
    /// (old name → new name; references to them are renamed by the caller).
    pub(crate) fn finish(mut self) -> (Vec<TypeDef>, HashMap<String, String>) {
        let renames = self.name_shared_enums();
        let mut types: Vec<TypeDef> =
            self.slots.into_iter().map(|slot| slot.expect("every reserved slot is filled")).collect();
        for def in &mut types {
            if let Some(new_name) = renames.get(&def.name) {
                def.name = new_name.clone();
                def.file = FileKey::Component(snake(new_name).trim_start_matches("r#").to_owned());
            }
            def.kind.rename_types(&renames);
        }
        mark_recursive_fields(&mut types);
        (types, renames)
    }

    /// An inline enum used in several places is named after what its uses have
    /// in common (`...RevisionId` ten times: `RevisionId`) and moves to a file of
    /// its own; where they share no name, or that name is taken, it keeps the
    /// name of its first use.
    fn name_shared_enums(&mut self) -> HashMap<String, String> {
        let mut shared: Vec<&SharedEnum> = self.shared_enums.values().filter(|shared| shared.hints.len() > 1).collect();
        // The enum with the most uses gets first pick of a common name.
        shared.sort_by(|a, b| b.hints.len().cmp(&a.hints.len()).then_with(|| a.name.cmp(&b.name)));
        let mut renames = HashMap::new();
        for shared in shared {
            let common = common_suffix(&shared.hints);
            if !common.is_empty() && !TOO_GENERIC.contains(&common.as_str()) && !self.names.is_taken(&common) {
                renames.insert(shared.name.clone(), self.names.claim(&common));
            }
        }
        renames
    }

    pub(crate) fn resolver(&self) -> Resolver<'a> {
        self.resolver
    }

    /// The type of `schema` used at `site`.
    pub(crate) fn type_of(&mut self, schema: SchemaRef<'a>, site: &Site) -> SpecResult<TypeRef> {
        match schema {
            SchemaRef::Ref(reference) => self.type_of_reference(reference, site),
            SchemaRef::Inline(inline) => self.convert_memoized(inline, site.clone(), None),
        }
    }

    fn type_of_reference(&mut self, reference: &'a str, site: &Site) -> SpecResult<TypeRef> {
        let resolved = self.resolver.schema(SchemaRef::Ref(reference), &site.pointer)?;
        let component = resolved.component.expect("references resolve to components");
        if let Some(path) = self.overrides.get(component) {
            return Ok(TypeRef::External(path.to_string()));
        }
        let site = component_site(component, &self.component_names[component], site.variant);
        self.convert_memoized(resolved.item, site, Some(component))
    }

    fn convert_memoized(
        &mut self,
        schema: &'a Schema,
        mut site: Site,
        component: Option<&'a str>,
    ) -> SpecResult<TypeRef> {
        site.variant = self.effective_variant(schema, &site)?;
        let key = (site.pointer.clone(), site.variant);
        if let Some(known) = self.memo.get(&key) {
            return Ok(known.clone());
        }
        let converted = self.convert(schema, &site, component)?;
        // A list or map that contains itself was converted, and named, inside
        // that call already (only objects and unions reserve their name first).
        if let Some(known) = self.memo.get(&key) {
            return Ok(known.clone());
        }
        // A component is always a type of its own name, even when it is a plain
        // string, a list, or another component under a new name.
        let own_name =
            (component.is_some() && site.variant == Variant::Response).then(|| self.type_name(&site, component));
        let converted = match (component, converted) {
            (Some(_), TypeRef::Named(name)) if own_name.is_none() || own_name.as_deref() == Some(name.as_str()) => {
                TypeRef::Named(name)
            }
            (Some(_), other) => {
                let name = own_name.unwrap_or_else(|| self.type_name(&site, component));
                let docs = docs_of(&View::of(schema), &site);
                self.add(TypeDef { name: name.clone(), docs, file: site.file.clone(), kind: TypeKind::Alias(other) });
                TypeRef::Named(name)
            }
            (None, other) => other,
        };
        self.memo.insert(key, converted.clone());
        Ok(converted)
    }

    /// `Request` and `Update` only differ from `Response` for schemas with
    /// read-only or write-only parts; others share the response type.
    fn effective_variant(&mut self, schema: &'a Schema, site: &Site) -> SpecResult<Variant> {
        Ok(match site.variant {
            Variant::Response => Variant::Response,
            Variant::Update if View::of(schema).effective_type() == Some(JsonType::Object) => Variant::Update,
            Variant::Request | Variant::Update => {
                if self.needs_split(schema, &site.pointer)? {
                    Variant::Request
                } else {
                    Variant::Response
                }
            }
        })
    }

    /// Whether the schema or anything inside it is `readOnly` or `writeOnly`.
    fn needs_split(&mut self, schema: &'a Schema, pointer: &Pointer) -> SpecResult<bool> {
        if let Some(known) = self.splits.get(pointer) {
            return Ok(*known);
        }
        // Provisional answer for recursive schemas.
        self.splits.insert(pointer.clone(), false);
        let view = View::of(schema);
        let mut children: Vec<(SchemaRef<'a>, Pointer)> = Vec::new();
        if let Some(properties) = view.properties {
            for (name, property) in properties {
                children.push((property.into(), pointer.join("properties").join(name)));
            }
        }
        if let Some(items) = view.items {
            children.push((items.into(), pointer.join("items")));
        }
        if let Some(AdditionalProperties::Schema(value)) = view.additional_properties {
            children.push((value.as_ref().into(), pointer.join("additionalProperties")));
        }
        for (keyword, members) in [("allOf", view.all_of), ("oneOf", view.one_of), ("anyOf", view.any_of)] {
            for (index, member) in members.iter().enumerate() {
                children.push((member.into(), pointer.join(keyword).join(index)));
            }
        }
        let mut split = false;
        for (child, child_pointer) in children {
            let resolved = self.resolver.schema(child, &child_pointer)?;
            let data = &resolved.item.schema_data;
            if data.read_only || data.write_only || self.needs_split(resolved.item, &resolved.pointer)? {
                split = true;
                break;
            }
        }
        self.splits.insert(pointer.clone(), split);
        Ok(split)
    }

    fn convert(&mut self, schema: &'a Schema, site: &Site, component: Option<&'a str>) -> SpecResult<TypeRef> {
        let view = View::of(schema);
        if !view.all_of.is_empty() {
            return self.all_of(schema, &view, site, component);
        }
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            return self.union(&view, site, component);
        }
        match view.effective_type() {
            Some(JsonType::String) if !view.enumeration.is_empty() => {
                let values: Vec<String> = view.enumeration.iter().map(enum_value_text).collect();
                Ok(self.string_enum(&values, "Unknown", &view, site, component))
            }
            Some(JsonType::String) => Ok(string_type(view.format.as_deref())),
            Some(JsonType::Integer) => {
                Ok(if view.format.as_deref() == Some("int32") { TypeRef::I32 } else { TypeRef::I64 })
            }
            Some(JsonType::Number) => {
                Ok(if view.format.as_deref() == Some("float") { TypeRef::F32 } else { TypeRef::F64 })
            }
            Some(JsonType::Boolean) => Ok(TypeRef::Bool),
            Some(JsonType::Array) => {
                let item = match view.items {
                    Some(items) => {
                        let item_site =
                            site.child("items", "Item", child_variant(site.variant), "One item.".to_owned());
                        self.type_of(items.into(), &item_site)?
                    }
                    None => TypeRef::Json,
                };
                Ok(TypeRef::Vec(Box::new(item)))
            }
            Some(JsonType::Object) => {
                let parts = ObjectParts {
                    properties: property_list(view.properties, &site.pointer),
                    required: view.required.iter().cloned().collect(),
                    additional: view.additional_properties,
                };
                self.object(parts, &view, site, component)
            }
            None => Ok(TypeRef::Json),
        }
    }

    fn object(
        &mut self,
        parts: ObjectParts<'a>,
        view: &View<'a>,
        site: &Site,
        component: Option<&'a str>,
    ) -> SpecResult<TypeRef> {
        if parts.properties.is_empty() {
            return match parts.additional {
                Some(AdditionalProperties::Schema(value)) => {
                    let value_site = site.child(
                        "additionalProperties",
                        "Value",
                        child_variant(site.variant),
                        "One value.".to_owned(),
                    );
                    let value_type = self.type_of(value.as_ref().into(), &value_site)?;
                    Ok(if value_type == TypeRef::Json {
                        TypeRef::JsonObject
                    } else {
                        TypeRef::Map(Box::new(value_type))
                    })
                }
                _ => Ok(TypeRef::JsonObject),
            };
        }
        let name = self.type_name(site, component);
        let slot = self.reserve(site, &name);
        let child = child_variant(site.variant);
        let mut kept: Vec<(&str, SchemaRef<'a>, Pointer, bool)> = Vec::new();
        for (wire, (schema, pointer)) in &parts.properties {
            let resolved = self.resolver.schema(*schema, pointer)?;
            let data = &resolved.item.schema_data;
            if data.read_only && site.variant != Variant::Response {
                continue;
            }
            kept.push((wire.as_str(), *schema, pointer.clone(), data.write_only));
        }
        let wires: Vec<&str> = kept.iter().map(|(wire, ..)| *wire).collect();
        let field_names = assign_names(&wires, Case::Snake, &mut Namespace::default());
        let mut fields = Vec::with_capacity(kept.len());
        for ((wire, schema, pointer, write_only), name) in kept.into_iter().zip(field_names) {
            let property_site = Site {
                pointer: pointer.clone(),
                hint: format!("{}{}", site.hint, camel(wire)),
                variant: child,
                file: site.file.clone(),
                fallback_docs: format!("The `{wire}` property."),
            };
            let declared = self.type_of(schema, &property_site)?;
            let ty = self.secret_if_named(wire, declared);
            let resolved = self.resolver.schema(schema, &pointer)?;
            let required = parts.required.contains(wire) && !(write_only && site.variant == Variant::Response);
            let presence = presence(site.variant, required, resolved.item.schema_data.nullable);
            let mut docs = match schema {
                SchemaRef::Inline(_) => docs_of(&View::of(resolved.item), &property_site),
                SchemaRef::Ref(_) => property_site.fallback_docs.clone(),
            };
            if resolved.item.schema_data.read_only {
                docs.push_str("\n\nRead-only: set by the server and never sent.");
            }
            fields.push(Field { name, wire: wire.to_owned(), ty, presence, docs, boxed: false });
        }
        let additional = match parts.additional {
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Schema(value)) => {
                let value_site = site.child("additionalProperties", "Value", child, "One additional value.".to_owned());
                Some(self.type_of(value.as_ref().into(), &value_site)?)
            }
            Some(AdditionalProperties::Any(false)) | None => None,
        };
        let docs = docs_of(view, site);
        self.fill(
            slot,
            TypeDef {
                name: name.clone(),
                docs,
                file: site.file.clone(),
                kind: TypeKind::Struct(Struct { fields, additional, serde: true }),
            },
        );
        Ok(TypeRef::Named(name))
    }

    fn all_of(
        &mut self,
        schema: &'a Schema,
        view: &View<'a>,
        site: &Site,
        component: Option<&'a str>,
    ) -> SpecResult<TypeRef> {
        let mut parts = ObjectParts { properties: IndexMap::new(), required: HashSet::new(), additional: None };
        let mut shapeless: Vec<(SchemaRef<'a>, Pointer)> = Vec::new();
        let mut visiting = vec![site.pointer.clone()];
        self.merge_all_of(schema, &site.pointer, &mut parts, &mut shapeless, &mut visiting)?;
        if parts.properties.is_empty() && shapeless.len() == 1 {
            // `allOf: [$ref]` with a description next to it: the referenced type itself.
            let (member, pointer) = shapeless.remove(0);
            let member_site = Site { pointer, ..site.clone() };
            return self.type_of(member, &member_site);
        }
        if parts.properties.is_empty() && parts.additional.is_none() {
            return Ok(TypeRef::Json);
        }
        self.object(parts, view, site, component)
    }

    /// Collects the properties of every `allOf` member (recursively); members that
    /// are not objects are kept aside in `shapeless`.
    fn merge_all_of(
        &mut self,
        schema: &'a Schema,
        pointer: &Pointer,
        parts: &mut ObjectParts<'a>,
        shapeless: &mut Vec<(SchemaRef<'a>, Pointer)>,
        visiting: &mut Vec<Pointer>,
    ) -> SpecResult<()> {
        let view = View::of(schema);
        for (wire, entry) in property_list(view.properties, pointer) {
            parts.properties.entry(wire).or_insert(entry);
        }
        parts.required.extend(view.required.iter().cloned());
        if view.additional_properties.is_some() {
            parts.additional = view.additional_properties;
        }
        for (index, member) in view.all_of.iter().enumerate() {
            let member_pointer = pointer.join("allOf").join(index);
            let resolved = self.resolver.schema(member.into(), &member_pointer)?;
            if visiting.contains(&resolved.pointer) {
                let cycle: Vec<String> = visiting.iter().chain([&resolved.pointer]).map(|p| format!("#{p}")).collect();
                return Err(SpecError::new(&member_pointer, format!("cyclic `allOf`: {}", cycle.join(" → "))));
            }
            let member_view = View::of(resolved.item);
            let is_object_part = member_view.properties.is_some()
                || !member_view.all_of.is_empty()
                || member_view.additional_properties.is_some();
            if is_object_part {
                visiting.push(resolved.pointer.clone());
                self.merge_all_of(resolved.item, &resolved.pointer, parts, shapeless, visiting)?;
                visiting.pop();
            } else if !member_view.is_unconstrained() || member_view.json_type == Some(JsonType::Object) {
                shapeless.push((member.into(), member_pointer));
            }
        }
        Ok(())
    }

    fn union(&mut self, view: &View<'a>, site: &Site, component: Option<&'a str>) -> SpecResult<TypeRef> {
        let keyword = if view.one_of.is_empty() { "anyOf" } else { "oneOf" };
        let members: Vec<(SchemaRef<'a>, Pointer)> = view
            .one_of
            .iter()
            .chain(view.any_of)
            .enumerate()
            .map(|(index, member)| (member.into(), site.pointer.join(keyword).join(index)))
            .collect();
        let mut resolved = Vec::with_capacity(members.len());
        for (member, pointer) in &members {
            resolved.push(self.resolver.schema(*member, pointer)?);
        }
        let views: Vec<View<'a>> = resolved.iter().map(|r| View::of(r.item)).collect();

        if let Some(collapsed) = self.string_union(view, &views, site, component) {
            return Ok(collapsed);
        }
        let constrained: Vec<usize> = (0..views.len()).filter(|&i| !views[i].is_unconstrained()).collect();
        if constrained.len() == 1 && constrained.len() == views.len() {
            let (member, pointer) = members[constrained[0]].clone();
            return self.type_of(member, &Site { pointer, ..site.clone() });
        }

        let name = self.type_name(site, component);
        let slot = self.reserve(site, &name);
        let labels = union_labels(&members, &views);
        let variant_names = assign_names(
            &labels.iter().map(String::as_str).collect::<Vec<_>>(),
            Case::Camel,
            &mut Namespace::default(),
        );
        let mut variants = Vec::with_capacity(members.len());
        for (index, ((member, pointer), variant_name)) in members.into_iter().zip(variant_names).enumerate() {
            let member_view = &views[index];
            let member_site = Site {
                pointer: pointer.clone(),
                hint: format!("{}{}", site.hint, variant_name),
                variant: site.variant,
                file: site.file.clone(),
                fallback_docs: format!("The `{variant_name}` form."),
            };
            let (ty, shape) = if member_view.is_unconstrained() {
                (TypeRef::Json, Shape::Any)
            } else {
                (self.type_of(member, &member_site)?, self.shape_of(member_view, &pointer)?)
            };
            let docs = match (member, member_view.description()) {
                (SchemaRef::Inline(_), Some(text)) => text.to_owned(),
                (_, _) if member_view.is_unconstrained() => "Any other value.".to_owned(),
                _ => member_site.fallback_docs.clone(),
            };
            variants.push(UnionVariant { name: variant_name, ty, shape, docs, boxed: false });
        }
        let docs = docs_of(view, site);
        self.fill(
            slot,
            TypeDef { name: name.clone(), docs, file: site.file.clone(), kind: TypeKind::Union(Union { variants }) },
        );
        Ok(TypeRef::Named(name))
    }

    /// A union of strings and string enums is one open string enum: the enum
    /// values become variants, and a free-form string member becomes the variant
    /// holding any other value (named after its format, e.g. `ResourceId`).
    fn string_union(
        &mut self,
        parent: &View<'a>,
        views: &[View<'a>],
        site: &Site,
        component: Option<&'a str>,
    ) -> Option<TypeRef> {
        let parent_is_string = parent.json_type == Some(JsonType::String);
        let is_string = |view: &View| {
            view.effective_type() == Some(JsonType::String)
                || (parent_is_string
                    && view.json_type.is_none()
                    && view.properties.is_none()
                    && view.one_of.is_empty()
                    && view.all_of.is_empty())
        };
        if views.is_empty() || !views.iter().all(is_string) {
            return None;
        }
        let values: Vec<String> = views.iter().flat_map(|view| view.enumeration.iter().map(enum_value_text)).collect();
        let free: Vec<&View> = views.iter().filter(|view| view.enumeration.is_empty()).collect();
        if values.is_empty() {
            return Some(TypeRef::String);
        }
        let catch_all = match free.first() {
            Some(view) => view.format.as_deref().map(camel).unwrap_or_else(|| "Other".to_owned()),
            None => "Unknown".to_owned(),
        };
        Some(self.string_enum(&values, &catch_all, parent, site, component))
    }

    fn string_enum(
        &mut self,
        values: &[String],
        catch_all: &str,
        view: &View<'a>,
        site: &Site,
        component: Option<&'a str>,
    ) -> TypeRef {
        let mut unique: Vec<&str> = Vec::new();
        for value in values {
            if !unique.contains(&value.as_str()) {
                unique.push(value);
            }
        }
        // The same values in another order are the same enum.
        let mut value_set: Vec<String> = unique.iter().map(|value| (*value).to_owned()).collect();
        value_set.sort();
        let shared_key = (value_set, catch_all.to_owned());
        if component.is_none()
            && let Some(shared) = self.shared_enums.get_mut(&shared_key)
        {
            shared.hints.push(site.hint.clone());
            return TypeRef::Named(shared.name.clone());
        }
        let name = self.type_name(site, component);
        if component.is_none() {
            self.shared_enums.insert(shared_key, SharedEnum { name: name.clone(), hints: vec![site.hint.clone()] });
        }
        let mut namespace = Namespace::default();
        let converted: HashSet<String> = unique.iter().map(|value| camel(value)).collect();
        // The catch-all takes the first name no value has: `Unknown2` and on if
        // the values are `unknown`, `other` and `unknown_value` themselves.
        let fallbacks = [catch_all, "Unknown", "Other", "UnknownValue"].into_iter().map(str::to_owned);
        let catch_all = fallbacks
            .chain((2..).map(|n| format!("Unknown{n}")))
            .find(|candidate| !converted.contains(candidate))
            .map(|chosen| namespace.claim(&chosen))
            .unwrap_or_default();
        let names = assign_names(&unique, Case::Camel, &mut namespace);
        let variants =
            unique.iter().zip(names).map(|(value, name)| EnumVariant { name, value: (*value).to_owned() }).collect();
        let catch_all_docs = if catch_all == "Unknown" {
            "A value this version of the client does not know; kept as sent.".to_owned()
        } else {
            format!("Any other value (`{}`).", snake(&catch_all).trim_start_matches("r#").replace('_', "-"))
        };
        let docs = docs_of(view, site);
        self.add(TypeDef {
            name: name.clone(),
            docs,
            file: site.file.clone(),
            kind: TypeKind::Enum(StringEnum { variants, catch_all, catch_all_docs }),
        });
        TypeRef::Named(name)
    }

    /// The JSON shape a union member accepts.
    fn shape_of(&mut self, view: &View<'a>, pointer: &Pointer) -> SpecResult<Shape> {
        Ok(match view.effective_type() {
            Some(JsonType::String) => Shape::String,
            Some(JsonType::Integer) => Shape::Integer,
            Some(JsonType::Number) => Shape::Number,
            Some(JsonType::Boolean) => Shape::Boolean,
            Some(JsonType::Array) => Shape::Array,
            Some(JsonType::Object) | None
                if view.properties.is_some() || !view.all_of.is_empty() || view.json_type == Some(JsonType::Object) =>
            {
                let mut fields = Vec::new();
                let mut required = Vec::new();
                self.collect_shape_fields(view, pointer, &mut fields, &mut required, &mut Vec::new())?;
                Shape::Object { fields, required }
            }
            _ => Shape::Any,
        })
    }

    fn collect_shape_fields(
        &mut self,
        view: &View<'a>,
        pointer: &Pointer,
        fields: &mut Vec<String>,
        required: &mut Vec<String>,
        visiting: &mut Vec<Pointer>,
    ) -> SpecResult<()> {
        if visiting.contains(pointer) {
            return Ok(());
        }
        visiting.push(pointer.clone());
        fields.extend(view.properties.into_iter().flat_map(|properties| properties.keys().cloned()));
        required.extend(view.required.iter().cloned());
        for (index, member) in view.all_of.iter().enumerate() {
            let resolved = self.resolver.schema(member.into(), &pointer.join("allOf").join(index))?;
            self.collect_shape_fields(&View::of(resolved.item), &resolved.pointer, fields, required, visiting)?;
        }
        Ok(())
    }

    fn type_name(&mut self, site: &Site, component: Option<&'a str>) -> String {
        match (component, site.variant) {
            (Some(component), Variant::Response) => self.component_names[component].clone(),
            _ => {
                // Only component schemas also exist as response types; an inline
                // request body or parameter needs no `Request`/`Update` suffix.
                let shared = site.pointer.as_str().starts_with("/components/schemas/");
                let suffix = if shared { site.variant.suffix() } else { "" };
                self.names.claim(&format!("{}{suffix}", site.hint))
            }
        }
    }

    /// Reserves a slot for a named type before its parts are built, so the types
    /// keep parent-before-child order and recursive references find the name.
    fn reserve(&mut self, site: &Site, name: &str) -> usize {
        self.memo.insert((site.pointer.clone(), site.variant), TypeRef::Named(name.to_owned()));
        self.index.insert(name.to_owned(), self.slots.len());
        self.slots.push(None);
        self.slots.len() - 1
    }

    fn fill(&mut self, slot: usize, def: TypeDef) {
        self.slots[slot] = Some(def);
    }
}

/// Where a component schema's own types are made.
fn component_site(component: &str, type_name: &str, variant: Variant) -> Site {
    Site {
        pointer: Pointer::root().join("components").join("schemas").join(component),
        hint: type_name.to_owned(),
        variant,
        file: FileKey::Component(snake(component).trim_start_matches("r#").to_owned()),
        fallback_docs: format!("The `{component}` schema."),
    }
}

fn component_schemas(document: &OpenAPI) -> impl Iterator<Item = (&String, &ReferenceOr<Schema>)> {
    document.components.iter().flat_map(|components| components.schemas.iter())
}

fn property_list<'a>(
    properties: Option<&'a IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pointer: &Pointer,
) -> IndexMap<String, (SchemaRef<'a>, Pointer)> {
    properties
        .into_iter()
        .flatten()
        .map(|(name, schema)| (name.clone(), (SchemaRef::from(schema), pointer.join("properties").join(name))))
        .collect()
}

/// Parts of a request body are plain requests; only the top level is a partial update.
fn child_variant(variant: Variant) -> Variant {
    match variant {
        Variant::Update => Variant::Request,
        other => other,
    }
}

fn presence(variant: Variant, required: bool, nullable: bool) -> Presence {
    match (variant, required, nullable) {
        (Variant::Update, true, _) => Presence::Optional,
        (Variant::Update, false, _) => Presence::Patch,
        (_, true, false) => Presence::Required,
        (_, true, true) => Presence::RequiredNullable,
        (_, false, _) => Presence::Optional,
    }
}

fn string_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("date-time") => TypeRef::DateTime,
        Some("date") => TypeRef::Date,
        // OpenAPI's hint to obscure a value: a credential the crate must never print.
        Some("password") => TypeRef::Secret,
        // Everything else (uuid, email, byte, `resource-id`, ...) is text.
        _ => TypeRef::String,
    }
}

fn enum_value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The schema's description, or the site's fallback.
fn docs_of(view: &View, site: &Site) -> String {
    view.description().map(str::to_owned).unwrap_or_else(|| site.fallback_docs.clone())
}

/// A label per union member, from which variant names are made: component names
/// without the prefix they share, or the member's JSON type.
fn union_labels(members: &[(SchemaRef, Pointer)], views: &[View]) -> Vec<String> {
    let referenced: Vec<Option<String>> = members
        .iter()
        .map(|(member, _)| match member {
            SchemaRef::Ref(reference) => schema_component_name(reference).map(|name| camel(&name)),
            SchemaRef::Inline(_) => None,
        })
        .collect();
    let named: Vec<&String> = referenced.iter().flatten().collect();
    let shared = if named.len() >= 2 { common_word_prefix(&named) } else { 0 };
    referenced
        .iter()
        .zip(views)
        .map(|(name, view)| match name {
            Some(name) if name.len() > shared => name[shared..].to_owned(),
            Some(name) => name.clone(),
            None if view.is_unconstrained() => "Other".to_owned(),
            None => match view.effective_type() {
                Some(JsonType::String) => "String",
                Some(JsonType::Integer) => "Integer",
                Some(JsonType::Number) => "Number",
                Some(JsonType::Boolean) => "Boolean",
                Some(JsonType::Array) => "Array",
                Some(JsonType::Object) | None => "Object",
            }
            .to_owned(),
        })
        .collect()
}

/// The length of the longest run of whole UpperCamel words all names start with.
fn common_word_prefix(names: &[&String]) -> usize {
    let first = names[0];
    let boundaries = first.char_indices().filter(|(_, c)| c.is_ascii_uppercase()).map(|(index, _)| index).skip(1);
    boundaries
        .take_while(|&boundary| {
            names.iter().all(|name| {
                name.len() > boundary
                    && name.starts_with(&first[..boundary])
                    && name[boundary..].starts_with(|c: char| c.is_ascii_uppercase())
            })
        })
        .last()
        .unwrap_or(0)
}

/// Names that say too little on their own for a type shared across an API.
const TOO_GENERIC: &[&str] = &["Type", "Kind", "Status", "State", "Value", "Id", "Name", "Fields", "Mode", "Item"];

/// The camel-case words the names end with in common, after a trailing `Item`
/// (the element of an array parameter) is dropped from each.
fn common_suffix(names: &[String]) -> String {
    let words = |name: &str| -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for c in name.chars() {
            match words.last_mut() {
                Some(word) if !c.is_ascii_uppercase() => word.push(c),
                _ => words.push(c.to_string()),
            }
        }
        if words.len() > 1 && words.last().is_some_and(|last| last == "Item") {
            words.pop();
        }
        words
    };
    let all: Vec<Vec<String>> = names.iter().map(|name| words(name)).collect();
    let shortest = all.iter().map(Vec::len).min().unwrap_or(0);
    let common = (1..=shortest)
        .take_while(|&n| all.iter().all(|words| words[words.len() - n] == all[0][all[0].len() - n]))
        .last()
        .unwrap_or(0);
    all.first().map(|words| words[words.len() - common..].concat()).unwrap_or_default()
}

/// Boxes every field (and union variant) whose type contains its owner by value.
fn mark_recursive_fields(types: &mut [TypeDef]) {
    let edges: HashMap<String, Vec<String>> =
        types.iter().map(|def| (def.name.clone(), by_value_targets(&def.kind))).collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_owned()];
        let mut seen = HashSet::new();
        while let Some(current) = stack.pop() {
            if current == to {
                return true;
            }
            if seen.insert(current.clone()) {
                stack.extend(edges.get(&current).into_iter().flatten().cloned());
            }
        }
        false
    };
    for def in types.iter_mut() {
        let owner = def.name.clone();
        match &mut def.kind {
            TypeKind::Struct(object) => {
                for field in &mut object.fields {
                    field.boxed = field.ty.by_value_name().is_some_and(|target| reaches(target, &owner));
                }
            }
            TypeKind::Union(union) => {
                for variant in &mut union.variants {
                    variant.boxed = variant.ty.by_value_name().is_some_and(|target| reaches(target, &owner));
                }
            }
            _ => {}
        }
    }
}

fn by_value_targets(kind: &TypeKind) -> Vec<String> {
    let names: Vec<&str> = match kind {
        TypeKind::Struct(object) => object.fields.iter().filter_map(|field| field.ty.by_value_name()).collect(),
        TypeKind::Union(union) => union.variants.iter().filter_map(|variant| variant.ty.by_value_name()).collect(),
        TypeKind::Alias(ty) => ty.by_value_name().into_iter().collect(),
        _ => Vec::new(),
    };
    names.into_iter().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_component_prefixes_are_dropped_at_word_boundaries() {
        let names = ["ProviderConfigKubernetes".to_owned(), "ProviderConfigLocalDocker".to_owned()];
        let refs: Vec<&String> = names.iter().collect();
        assert_eq!(&names[0][common_word_prefix(&refs)..], "Kubernetes");
        let names = ["Pet".to_owned(), "Person".to_owned()];
        let refs: Vec<&String> = names.iter().collect();
        assert_eq!(common_word_prefix(&refs), 0);
    }
}
