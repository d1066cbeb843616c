//! Rendering of operations: one async method each, plus a stream for list operations.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, paragraphs};
use super::idents::{Scope, ident};
use crate::model::{
    ArrayStyle, BodyType, Operation, PageStyle, Pagination, Param, ParamEncoding, ParamLocation, Presence, Success,
    TypeRef,
};

/// The methods of one operation, for an `impl Client` block.
pub(crate) fn methods(operation: &Operation, scope: &mut Scope) -> TokenStream {
    let rt = scope.rt();
    let docs = doc_attrs(&operation_docs(operation));
    let name = ident(&operation.method_name);
    let arguments = arguments(operation, scope);
    let argument_names = argument_names(operation);
    let (response_type, decode) = response(operation, scope);
    let request = request_expression(operation, scope);

    let Some(pagination) = &operation.pagination else {
        return quote! {
            #docs
            pub async fn #name(&self, #(#arguments),*) -> #rt::Result<#rt::Response<#response_type>> {
                let request = #request;
                self.client.send(request).await?.#decode
            }
        };
    };
    let request_fn = ident(&format!("{}_request", operation.method_name.trim_start_matches("r#")));
    let stream_name = ident(&pagination.method_name);
    let stream_docs = doc_attrs(&stream_docs(operation, pagination));
    let page_type = scope.named(&pagination.response_type);
    let style = page_style(&pagination.style, &rt);
    quote! {
        #docs
        pub async fn #name(&self, #(#arguments),*) -> #rt::Result<#rt::Response<#response_type>> {
            self.client.send(Self::#request_fn(#(#argument_names),*)).await?.#decode
        }

        #stream_docs
        pub fn #stream_name(&self, #(#arguments),*) -> #rt::Pager<#page_type> {
            self.client.paginate(Self::#request_fn(#(#argument_names),*), #style)
        }

        fn #request_fn(#(#arguments),*) -> #rt::Request {
            #request
        }
    }
}

/// `impl Paginated` for the list response of a paginated operation.
pub(crate) fn paginated_impl(pagination: &Pagination, scope: &mut Scope) -> TokenStream {
    let rt = scope.rt();
    let response = scope.named(&pagination.response_type);
    let item = scope.ty(&pagination.item_type);
    let field = ident(&pagination.items_field);
    let (items, into_items) = match pagination.items_presence {
        Presence::Required => (quote! { &self.#field }, quote! { self.#field }),
        _ => (quote! { self.#field.as_deref().unwrap_or_default() }, quote! { self.#field.unwrap_or_default() }),
    };
    quote! {
        impl #rt::Paginated for #response {
            type Item = #item;

            fn items(&self) -> &[#item] {
                #items
            }

            fn into_items(self) -> Vec<#item> {
                #into_items
            }
        }
    }
}

fn operation_docs(operation: &Operation) -> String {
    let mut errors: Vec<String> = operation
        .errors
        .iter()
        .map(|error| {
            let description = error.description.trim();
            if description.is_empty() {
                error.status.label()
            } else {
                format!("{} ({description})", error.status.label())
            }
        })
        .collect();
    errors.dedup();
    let errors = (!errors.is_empty()).then(|| {
        let typed = operation
            .errors_enum
            .as_ref()
            .map(|name| format!(" Their bodies decode with [`{name}::from_error`](crate::types::{name}::from_error)."))
            .unwrap_or_default();
        format!("Documented errors: {}.{typed}", errors.join(", "))
    });
    let deprecated = operation.deprecated.then_some("**Deprecated** in the spec.");
    let notes = operation.notes.join("\n\n");
    let endpoint = format!("`{} {}` (operation `{}`)", operation.http_method, operation.path, operation.id);
    let body = operation.body.as_ref().and_then(|body| body.docs.as_deref()).map(|docs| format!("Body: {docs}"));
    paragraphs([
        operation.summary.as_deref().unwrap_or_default(),
        operation.description.as_deref().unwrap_or_default(),
        deprecated.unwrap_or_default(),
        &endpoint,
        body.as_deref().unwrap_or_default(),
        errors.as_deref().unwrap_or_default(),
        &notes,
    ])
}

fn stream_docs(operation: &Operation, pagination: &Pagination) -> String {
    let PageStyle::LimitOffset { limit, offset, page_size } = &pagination.style;
    format!(
        "Every item of [`{method}`](Self::{method}), fetched page after page, as a stream.\n\n\
         Pages are requested with `{limit}` (default {page_size}) and `{offset}` (starting at the \
         `{offset}` in `params`, else 0); a page with fewer items than the limit is the last. \
         Use [`Pager::pages`](crate::runtime::Pager::pages) for whole pages and \
         [`Pager::checkpoint`](crate::runtime::Pager::checkpoint) to resume later.",
        method = operation.method_name.trim_start_matches("r#"),
    )
}

fn page_style(style: &PageStyle, rt: &TokenStream) -> TokenStream {
    match style {
        PageStyle::LimitOffset { limit, offset, page_size } => {
            let page_size = proc_macro2::Literal::u64_unsuffixed(*page_size);
            quote! { #rt::PageStyle::limit_offset(#limit, #offset, #page_size) }
        }
    }
}

/// Whether a required parameter is passed by value (small `Copy` types).
fn by_value(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 | TypeRef::DateTime | TypeRef::Date
    )
}

fn argument_type(param: &Param, scope: &mut Scope) -> TokenStream {
    match &param.ty {
        TypeRef::String => quote! { &str },
        TypeRef::Vec(item) => {
            let item = scope.ty(item);
            quote! { &[#item] }
        }
        ty if by_value(ty) => scope.ty(ty),
        ty => {
            let ty = scope.ty(ty);
            quote! { &#ty }
        }
    }
}

fn arguments(operation: &Operation, scope: &mut Scope) -> Vec<TokenStream> {
    let mut arguments: Vec<TokenStream> = operation
        .required_params
        .iter()
        .map(|param| {
            let name = ident(&param.name);
            let ty = argument_type(param, scope);
            quote! { #name: #ty }
        })
        .collect();
    if let Some(body) = &operation.body {
        let ty = match &body.ty {
            BodyType::Json { ty, .. } | BodyType::Form(ty) => {
                let ty = scope.ty(ty);
                quote! { &#ty }
            }
            BodyType::Text(_) => quote! { &str },
            BodyType::Bytes(_) => {
                let rt = scope.rt();
                quote! { impl Into<#rt::Bytes> }
            }
        };
        arguments.push(quote! { body: #ty });
    }
    if let Some(params_struct) = &operation.params_struct {
        let ty = scope.named(params_struct);
        arguments.push(quote! { params: &#ty });
    }
    arguments
}

fn argument_names(operation: &Operation) -> Vec<TokenStream> {
    let mut names: Vec<TokenStream> = operation
        .required_params
        .iter()
        .map(|param| {
            let name = ident(&param.name);
            quote! { #name }
        })
        .collect();
    if operation.body.is_some() {
        names.push(quote! { body });
    }
    if operation.params_struct.is_some() {
        names.push(quote! { params });
    }
    names
}

/// The `rt::Request` builder chain for one call.
fn request_expression(operation: &Operation, scope: &mut Scope) -> TokenStream {
    let rt = scope.rt();
    let method = ident(&operation.http_method);
    let id = &operation.id;
    let path = &operation.path;
    let required = operation.required_params.iter().map(|param| {
        let name = ident(&param.name);
        param_call(param, quote! { #name }, true, &rt)
    });
    let optional = operation.optional_params.iter().map(|param| {
        let name = ident(&param.name);
        param_call(param, quote! { params.#name }, false, &rt)
    });
    let body = operation.body.as_ref().map(|body| match &body.ty {
        BodyType::Json { media_type, .. } if media_type == "application/json" => quote! { .json_body(body) },
        BodyType::Json { media_type, .. } => quote! { .json_body_as(#media_type, body) },
        BodyType::Form(_) => quote! { .form_body(body) },
        BodyType::Text(media_type) => quote! { .bytes_body(#media_type, body.to_owned()) },
        BodyType::Bytes(media_type) => quote! { .bytes_body(#media_type, body) },
    });
    quote! {
        #rt::Request::new(#rt::Method::#method, #id, #path)
            #(#required)*
            #(#optional)*
            #body
    }
}

/// One `.path_param(..)` / `.query(..)` / `.header(..)` call. `place` is the
/// argument (`name`) or the parameter struct's field (`params.name`).
fn param_call(param: &Param, place: TokenStream, required: bool, rt: &TokenStream) -> TokenStream {
    let wire = &param.wire;
    // Scalars are passed by reference; arguments that already are references as they are.
    let value = if required && !by_value(&param.ty) {
        place.clone()
    } else {
        quote! { &#place }
    };
    match (param.location, param.encoding) {
        (ParamLocation::Path, _) => quote! { .path_param(#wire, #value) },
        (ParamLocation::Header, _) => {
            let header = param.wire.to_ascii_lowercase();
            quote! { .header(#header, #value) }
        }
        (ParamLocation::Query, ParamEncoding::Plain) => quote! { .query(#wire, #value) },
        (ParamLocation::Query, ParamEncoding::Array(style)) => {
            let style = match style {
                ArrayStyle::Repeat => quote! { Repeat },
                ArrayStyle::Comma => quote! { Comma },
                ArrayStyle::Space => quote! { Space },
                ArrayStyle::Pipe => quote! { Pipe },
            };
            let values = if required {
                quote! { Some(#place) }
            } else {
                quote! { #place.as_deref() }
            };
            quote! { .query_array(#wire, #values, #rt::ArrayStyle::#style) }
        }
        (ParamLocation::Query, ParamEncoding::Json) => {
            let values = if required {
                quote! { Some(#place) }
            } else {
                quote! { #place.as_ref() }
            };
            quote! { .query_json(#wire, #values) }
        }
    }
}

/// The body type of the method's response and the `RawResponse` call that decodes it.
fn response(operation: &Operation, scope: &mut Scope) -> (TokenStream, TokenStream) {
    match &operation.success {
        Success::Empty => (quote! { () }, quote! { empty() }),
        Success::One(BodyType::Json { ty, .. }) => (scope.ty(ty), quote! { json() }),
        Success::One(BodyType::Form(_) | BodyType::Text(_)) => (quote! { String }, quote! { text() }),
        Success::One(BodyType::Bytes(_)) => {
            let rt = scope.rt();
            (quote! { #rt::Bytes }, quote! { bytes() })
        }
        Success::Several { type_name } => {
            let ty = scope.named(type_name);
            (ty.clone(), quote! { decode_with(#ty::decode) })
        }
    }
}
