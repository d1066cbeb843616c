//! Resolve: `$ref`s to the schemas, parameters, responses and request bodies they name.

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};

use crate::error::{Pointer, SpecError, SpecResult};

/// A schema position: a reference, or an inline schema.
#[derive(Clone, Copy)]
pub(crate) enum SchemaRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(item: &'a ReferenceOr<Schema>) -> Self {
        match item {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(item: &'a ReferenceOr<Box<Schema>>) -> Self {
        match item {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

/// A resolved item and where it is defined.
pub(crate) struct Resolved<'a, T> {
    pub(crate) item: &'a T,
    /// The pointer of the definition (the component, for a reference).
    pub(crate) pointer: Pointer,
    /// The component name when the item was reached through a reference.
    pub(crate) component: Option<&'a str>,
}

/// Looks references up in the document's `components`.
#[derive(Clone, Copy)]
pub(crate) struct Resolver<'a> {
    components: Option<&'a Components>,
}

impl<'a> Resolver<'a> {
    pub(crate) fn new(document: &'a OpenAPI) -> Self {
        Self { components: document.components.as_ref() }
    }

    pub(crate) fn schema(&self, item: SchemaRef<'a>, at: &Pointer) -> SpecResult<Resolved<'a, Schema>> {
        match item {
            SchemaRef::Inline(schema) => Ok(Resolved { item: schema, pointer: at.clone(), component: None }),
            SchemaRef::Ref(reference) => self.follow("schemas", |c| &c.schemas, reference, at),
        }
    }

    pub(crate) fn parameter(
        &self,
        item: &'a ReferenceOr<Parameter>,
        at: &Pointer,
    ) -> SpecResult<Resolved<'a, Parameter>> {
        self.item("parameters", |c| &c.parameters, item, at)
    }

    pub(crate) fn response(&self, item: &'a ReferenceOr<Response>, at: &Pointer) -> SpecResult<Resolved<'a, Response>> {
        self.item("responses", |c| &c.responses, item, at)
    }

    pub(crate) fn request_body(
        &self,
        item: &'a ReferenceOr<RequestBody>,
        at: &Pointer,
    ) -> SpecResult<Resolved<'a, RequestBody>> {
        self.item("requestBodies", |c| &c.request_bodies, item, at)
    }

    fn item<T>(
        &self,
        kind: &str,
        section: fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
        item: &'a ReferenceOr<T>,
        at: &Pointer,
    ) -> SpecResult<Resolved<'a, T>> {
        match item {
            ReferenceOr::Item(value) => Ok(Resolved { item: value, pointer: at.clone(), component: None }),
            ReferenceOr::Reference { reference } => self.follow(kind, section, reference, at),
        }
    }

    /// Follows a reference, and any chain of references after it, to an item.
    fn follow<T>(
        &self,
        kind: &str,
        section: fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
        first: &'a str,
        at: &Pointer,
    ) -> SpecResult<Resolved<'a, T>> {
        let mut chain: Vec<&str> = Vec::new();
        let mut reference = first;
        loop {
            if chain.contains(&reference) {
                chain.push(reference);
                return Err(SpecError::new(at, format!("`$ref` cycle: {}", chain.join(" → "))));
            }
            chain.push(reference);
            let name = component_name(kind, reference, at)?;
            let entry = self
                .components
                .and_then(|components| section(components).get_key_value(name.as_str()))
                .ok_or_else(|| {
                    SpecError::new(
                        at,
                        format!("`$ref` `{reference}` points to nothing: there is no `components/{kind}/{name}`"),
                    )
                })?;
            let pointer = Pointer::root().join("components").join(kind).join(entry.0);
            match entry.1 {
                ReferenceOr::Item(item) => return Ok(Resolved { item, pointer, component: Some(entry.0.as_str()) }),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
    }
}

/// The component name in `#/components/<kind>/<name>`.
fn component_name(kind: &str, reference: &str, at: &Pointer) -> SpecResult<String> {
    let Some(local) = reference.strip_prefix('#') else {
        return Err(SpecError::new(
            at,
            format!(
                "`$ref` `{reference}` points outside this document; only local references (`#/components/...`) are supported"
            ),
        ));
    };
    let prefix = format!("/components/{kind}/");
    match local.strip_prefix(&prefix) {
        Some(name) if !name.is_empty() && !name.contains('/') => Ok(name.replace("~1", "/").replace("~0", "~")),
        _ => Err(SpecError::new(at, format!("`$ref` `{reference}` must point to an entry of `#/components/{kind}`"))),
    }
}

/// The component name a `$ref` names, if it is a local schema reference.
pub(crate) fn schema_component_name(reference: &str) -> Option<String> {
    component_name("schemas", reference, &Pointer::root()).ok()
}
