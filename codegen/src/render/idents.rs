//! Identifiers and type references as tokens, with the imports each file needs.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::TypeRef;

/// An identifier from a generated name (`r#type` becomes a raw identifier).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// What one generated file refers to, so it can import exactly that.
#[derive(Debug, Default)]
pub(crate) struct Scope {
    /// Types defined in this file.
    defined: BTreeSet<String>,
    /// Types from other files used here.
    imported: BTreeSet<String>,
    uses_runtime: bool,
    /// Types are written `crate::types::Name` and never imported (a file whose
    /// items are compiled under different features than the types they name).
    qualified: bool,
}

impl Scope {
    pub(crate) fn new(defined: impl IntoIterator<Item = String>) -> Self {
        Self { defined: defined.into_iter().collect(), ..Self::default() }
    }

    /// A scope that names every generated type by its full path.
    pub(crate) fn qualified() -> Self {
        Self { qualified: true, ..Self::default() }
    }

    /// Notes a use of the runtime (`rt::...`).
    pub(crate) fn rt(&mut self) -> TokenStream {
        self.uses_runtime = true;
        quote! { rt }
    }

    /// A generated type by name.
    pub(crate) fn named(&mut self, name: &str) -> TokenStream {
        if self.qualified {
            let name = ident(name);
            return quote! { crate::types::#name };
        }
        if !self.defined.contains(name) {
            self.imported.insert(name.to_owned());
        }
        let name = ident(name);
        quote! { #name }
    }

    /// The Rust type of a type reference.
    pub(crate) fn ty(&mut self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::String => quote! { String },
            TypeRef::Bool => quote! { bool },
            TypeRef::I32 => quote! { i32 },
            TypeRef::I64 => quote! { i64 },
            TypeRef::F32 => quote! { f32 },
            TypeRef::F64 => quote! { f64 },
            TypeRef::DateTime => {
                let rt = self.rt();
                quote! { #rt::DateTime }
            }
            TypeRef::Date => {
                let rt = self.rt();
                quote! { #rt::Date }
            }
            TypeRef::Secret => {
                let rt = self.rt();
                quote! { #rt::Secret }
            }
            TypeRef::File => {
                let rt = self.rt();
                quote! { #rt::FilePart }
            }
            TypeRef::Json => {
                let rt = self.rt();
                quote! { #rt::serde_json::Value }
            }
            TypeRef::JsonObject => {
                let rt = self.rt();
                quote! { #rt::serde_json::Map<String, #rt::serde_json::Value> }
            }
            TypeRef::Vec(item) => {
                let item = self.ty(item);
                quote! { Vec<#item> }
            }
            TypeRef::Map(value) => {
                let value = self.ty(value);
                quote! { std::collections::BTreeMap<String, #value> }
            }
            TypeRef::Named(name) => self.named(name),
            TypeRef::External(path) => super::path_tokens(path),
        }
    }

    /// The `use` lines this file needs.
    pub(crate) fn imports(&self) -> TokenStream {
        let runtime = self.uses_runtime.then(|| quote! { use crate::rt; });
        let names: Vec<Ident> = self.imported.iter().map(|name| ident(name)).collect();
        let types = (!names.is_empty()).then(|| quote! { use crate::types::{ #(#names),* }; });
        quote! { #runtime #types }
    }
}
