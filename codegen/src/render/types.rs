//! Rendering of type definitions: structs, open string enums, unions, status enums.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use super::docs::doc_attrs;
use super::idents::{Scope, ident};
use crate::model::{Presence, Shape, StatusEnum, StatusMatch, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Union};
use crate::naming::Namespace;

pub(crate) fn type_def(def: &TypeDef, scope: &mut Scope) -> TokenStream {
    let docs = doc_attrs(&def.docs);
    let name = ident(&def.name);
    let body = match &def.kind {
        TypeKind::Struct(object) => structure(&name, object, scope),
        TypeKind::Enum(string_enum) => open_enum(&name, string_enum, scope),
        TypeKind::Union(union) => union_enum(&name, union, scope),
        TypeKind::Alias(target) => {
            let target = scope.ty(target);
            quote! { pub type #name = #target; }
        }
        TypeKind::Responses(statuses) => responses_enum(&name, statuses, scope),
        TypeKind::Errors(statuses) => errors_enum(&name, statuses, scope),
    };
    quote! { #docs #body }
}

fn structure(name: &proc_macro2::Ident, object: &Struct, scope: &mut Scope) -> TokenStream {
    let default = object.all_optional().then(|| quote! { Default, });
    let serde_derives = object.serde.then(|| quote! { serde::Serialize, serde::Deserialize });
    let mut names = Namespace::default();
    for field in &object.fields {
        names.claim(&field.name);
    }
    let mut fields = Vec::with_capacity(object.fields.len());
    for field in &object.fields {
        let docs = doc_attrs(&field.docs);
        let field_name = ident(&field.name);
        let mut ty = scope.ty(&field.ty);
        if field.boxed {
            ty = quote! { Box<#ty> };
        }
        let unraw = field.name.trim_start_matches("r#");
        let rename = (object.serde && unraw != field.wire).then(|| {
            let wire = &field.wire;
            quote! { #[serde(rename = #wire)] }
        });
        let (ty, presence_attr) = match field.presence {
            Presence::Required => (ty, None),
            Presence::RequiredNullable => (quote! { Option<#ty> }, None),
            Presence::Optional => (
                quote! { Option<#ty> },
                object.serde.then(|| quote! { #[serde(default, skip_serializing_if = "Option::is_none")] }),
            ),
            Presence::Patch => {
                let rt = scope.rt();
                (
                    quote! { #rt::Patch<#ty> },
                    Some(quote! { #[serde(default, skip_serializing_if = "rt::Patch::is_leave")] }),
                )
            }
        };
        fields.push(quote! { #docs #rename #presence_attr pub #field_name: #ty, });
    }
    let additional = object.additional.as_ref().map(|value| {
        let field_name = ident(&names.claim("additional_properties"));
        let value = scope.ty(value);
        quote! {
            /// Properties the schema does not name.
            #[serde(flatten)]
            pub #field_name: std::collections::BTreeMap<String, #value>,
        }
    });
    quote! {
        #[derive(Debug, Clone, PartialEq, #default #serde_derives)]
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

fn open_enum(name: &proc_macro2::Ident, string_enum: &StringEnum, scope: &mut Scope) -> TokenStream {
    let rt = scope.rt();
    let variant_names: Vec<_> = string_enum.variants.iter().map(|variant| ident(&variant.name)).collect();
    let values: Vec<&str> = string_enum.variants.iter().map(|variant| variant.value.as_str()).collect();
    let variant_docs = values.iter().map(|value| doc_attrs(&format!("`{value}`")));
    let catch_all = ident(&string_enum.catch_all);
    let catch_all_docs = doc_attrs(&string_enum.catch_all_docs);
    // Serde's derive for an enum with an untagged catch-all buffers every value;
    // two small impls through `as_str` and `from_wire` compile much faster.
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #variant_docs #variant_names, )*
            #catch_all_docs
            #catch_all(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variant_names => #values, )*
                    Self::#catch_all(value) => value,
                }
            }

            /// The variant for a value as sent on the wire.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    #( #values => Self::#variant_names, )*
                    other => Self::#catch_all(other.to_owned()),
                }
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #rt::open_enum::deserialize(deserializer, Self::from_wire)
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #rt::ParamValue for #name {
            fn to_param(&self) -> Option<std::borrow::Cow<'_, str>> {
                Some(self.as_str().into())
            }
        }
    }
}

fn union_enum(name: &proc_macro2::Ident, union: &Union, scope: &mut Scope) -> TokenStream {
    let rt = scope.rt();
    let variants = union.variants.iter().map(|variant| {
        let docs = doc_attrs(&variant.docs);
        let variant_name = ident(&variant.name);
        let mut ty = scope.ty(&variant.ty);
        if variant.boxed {
            ty = quote! { Box<#ty> };
        }
        quote! { #docs #variant_name(#ty), }
    });
    let shapes = union.variants.iter().map(|variant| shape(&variant.shape, &rt));
    let param_value = scalar_union_param(name, union, &rt);
    let arms = union.variants.iter().enumerate().map(|(index, variant)| {
        let variant_name = ident(&variant.name);
        let pattern = if index + 1 == union.variants.len() {
            quote! { _ }
        } else {
            Literal::usize_unsuffixed(index).into_token_stream()
        };
        quote! { #pattern => #rt::serde_json::from_value(value).map(Self::#variant_name), }
    });
    quote! {
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const SHAPES: &[#rt::union::Shape] = &[ #(#shapes),* ];
                let value = <#rt::serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                #rt::union::deserialize(value, SHAPES, |index, value| match index {
                    #(#arms)*
                })
                .map_err(serde::de::Error::custom)
            }
        }

        #param_value
    }
}

/// A union of scalars (`integer | string`) can be a parameter: each variant
/// sends its own text.
fn scalar_union_param(name: &proc_macro2::Ident, union: &Union, rt: &TokenStream) -> Option<TokenStream> {
    let scalar = |variant: &crate::model::UnionVariant| {
        !variant.boxed && matches!(variant.shape, Shape::String | Shape::Integer | Shape::Number | Shape::Boolean)
    };
    if !union.variants.iter().all(scalar) {
        return None;
    }
    let arms = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        quote! { Self::#variant_name(value) => #rt::ParamValue::to_param(value), }
    });
    Some(quote! {
        impl #rt::ParamValue for #name {
            fn to_param(&self) -> Option<std::borrow::Cow<'_, str>> {
                match self {
                    #(#arms)*
                }
            }
        }
    })
}

fn shape(shape: &Shape, rt: &TokenStream) -> TokenStream {
    match shape {
        Shape::Object { fields, required } => {
            quote! { #rt::union::Shape::Object { fields: &[#(#fields),*], required: &[#(#required),*] } }
        }
        Shape::String => quote! { #rt::union::Shape::String },
        Shape::Integer => quote! { #rt::union::Shape::Integer },
        Shape::Number => quote! { #rt::union::Shape::Number },
        Shape::Boolean => quote! { #rt::union::Shape::Boolean },
        Shape::Array => quote! { #rt::union::Shape::Array },
        Shape::Any => quote! { #rt::union::Shape::Any },
    }
}

/// Variants `Name(Body)` or `Name`, with their docs.
fn status_variants(statuses: &StatusEnum, scope: &mut Scope) -> Vec<TokenStream> {
    statuses
        .variants
        .iter()
        .map(|variant| {
            let docs = doc_attrs(&variant.docs);
            let variant_name = ident(&variant.name);
            match &variant.body {
                Some(body) => {
                    let body = scope.ty(body);
                    quote! { #docs #variant_name(#body), }
                }
                None => quote! { #docs #variant_name, },
            }
        })
        .collect()
}

/// Match arms from status to variant, exact codes before classes before `default`.
fn status_arms(statuses: &StatusEnum, scope: &mut Scope, decode: impl Fn(&TypeRef) -> TokenStream) -> Vec<TokenStream> {
    let mut ordered: Vec<_> = statuses.variants.iter().collect();
    ordered.sort_by_key(|variant| match variant.status {
        StatusMatch::Code(_) => 0,
        StatusMatch::Class(_) => 1,
        StatusMatch::Default => 2,
    });
    ordered
        .into_iter()
        .map(|variant| {
            let pattern = match variant.status {
                StatusMatch::Code(code) => {
                    let code = Literal::u16_unsuffixed(code);
                    quote! { #code }
                }
                StatusMatch::Class(class) => {
                    let low = Literal::u16_unsuffixed(class * 100);
                    let high = Literal::u16_unsuffixed(class * 100 + 99);
                    quote! { #low..=#high }
                }
                StatusMatch::Default => quote! { _ },
            };
            let variant_name = ident(&variant.name);
            let value = match &variant.body {
                Some(body) => {
                    let _ = scope.ty(body);
                    let decoded = decode(body);
                    quote! { #decoded.map(Self::#variant_name) }
                }
                None => quote! { Ok(Self::#variant_name) },
            };
            quote! { #pattern => #value, }
        })
        .collect()
}

fn has_default(statuses: &StatusEnum) -> bool {
    statuses.variants.iter().any(|variant| variant.status == StatusMatch::Default)
}

fn responses_enum(name: &proc_macro2::Ident, statuses: &StatusEnum, scope: &mut Scope) -> TokenStream {
    let rt = scope.rt();
    let variants = status_variants(statuses, scope);
    let arms = status_arms(statuses, scope, |_| quote! { #rt::serde_json::from_slice(body) });
    let fallback = (!has_default(statuses)).then(|| {
        quote! { status => Err(serde::de::Error::custom(format!("status {status} is not a documented success status"))), }
    });
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            fn decode(status: u16, body: &[u8]) -> #rt::serde_json::Result<Self> {
                match status {
                    #(#arms)*
                    #fallback
                }
            }
        }
    }
}

fn errors_enum(name: &proc_macro2::Ident, statuses: &StatusEnum, scope: &mut Scope) -> TokenStream {
    let rt = scope.rt();
    let variants = status_variants(statuses, scope);
    let arms = status_arms(statuses, scope, |_| quote! { #rt::serde_json::from_slice(body) });
    let fallback = (!has_default(statuses)).then(|| quote! { _ => return None, });
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The documented body of an API error, when its status is documented
            /// and its body has the documented shape.
            pub fn from_error(error: &#rt::Error) -> Option<Self> {
                let api_error = error.api_error()?;
                let body = api_error.body();
                let decoded: #rt::serde_json::Result<Self> = match api_error.status().as_u16() {
                    #(#arms)*
                    #fallback
                };
                decoded.ok()
            }
        }
    }
}
