//! Rendering of operations: one async method each, plus a stream for list operations
//! and a `..._to_completion` method for operations that start a long-running job.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{doc_attrs, paragraphs};
use super::idents::{Scope, ident};
use super::path_tokens;
use crate::model::{
    ArrayStyle, BodyType, FieldPath, Job, JobFields, MultipartPart, Operation, PageInfoField, PageRead, PageStyle,
    PageType, Pagination, Param, ParamEncoding, ParamLocation, Presence, Success, TypeRef,
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
    let job = operation.job.as_ref().map(|job| job_method(operation, job, scope));

    let Some(pagination) = &operation.pagination else {
        return quote! {
            #docs
            pub async fn #name(&self, #(#arguments),*) -> #rt::Result<#rt::Response<#response_type>> {
                let request = #request;
                self.client.send(request).await?.#decode
            }

            #job
        };
    };
    let request_fn = ident(&pagination.request_fn);
    let stream_name = ident(&pagination.method_name);
    let stream_docs = doc_attrs(&stream_docs(operation, pagination));
    let page_type = page_type(pagination, scope);
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

        #job
    }
}

/// The type one page of a list decodes into.
fn page_type(pagination: &Pagination, scope: &mut Scope) -> TokenStream {
    match &pagination.page {
        PageType::Named { response_type, .. } => scope.named(response_type),
        PageType::Envelope(envelope) => {
            let item = scope.ty(&pagination.item_type);
            envelope_type(envelope, quote! { Vec<#item> })
        }
    }
}

/// `<start>_to_completion`: starts the job with the operation's own arguments,
/// polls it through the runtime's `Job`, and returns its results' stream.
fn job_method(operation: &Operation, job: &Job, scope: &mut Scope) -> TokenStream {
    let rt = scope.rt();
    let docs = doc_attrs(&job_docs(operation, job));
    let name = ident(&job.method_name);
    let arguments = arguments(operation, scope);
    let argument_names = argument_names(operation);
    let start = ident(&operation.method_name);
    let status = ident(&job.status_method);
    let results = ident(&job.results.method_name);
    let page_type = page_type(&job.results, scope);
    let status_params = job.status_takes_params.then(|| quote! { , &Default::default() });
    let results_params = job.results_takes_params.then(|| quote! { , &Default::default() });
    let started = job_report(&job.started, scope);
    // Both responses are usually the same type: one closure serves both.
    let polled = match job.polled.response_type == job.started.response_type {
        true => quote! { started },
        false => job_report(&job.polled, scope),
    };
    let operation_id = &operation.id;
    let (finished, succeeded) = (&job.finished, &job.succeeded);
    quote! {
        #docs
        pub async fn #name(&self, #(#arguments,)* wait: #rt::JobWait) -> #rt::Result<#rt::Pager<#page_type>> {
            let job = #rt::Job { operation: #operation_id, finished: &[#(#finished),*], succeeded: &[#(#succeeded),*] };
            let started = #started;
            let polled = #polled;
            let start = async { Ok(started(self.#start(#(#argument_names),*).await?.into_inner())) };
            let poll = move |id: String| async move { Ok(polled(self.#status(&id #status_params).await?.into_inner())) };
            let id = job.run(wait, start, poll).await?;
            Ok(self.#results(&id #results_params))
        }
    }
}

/// A closure turning one response into the runtime's `JobReport`.
fn job_report(fields: &JobFields, scope: &mut Scope) -> TokenStream {
    let rt = scope.rt();
    let response = scope.named(&fields.response_type);
    let id = field_access(quote! { response }, &fields.id).0;
    let state = field_access(quote! { response }, &fields.state).0;
    let outcome = fields.outcome.as_ref().map(|outcome| {
        let outcome = field_access(quote! { response }, outcome).0;
        quote! { .outcome(&#outcome) }
    });
    quote! { |response: #response| #rt::JobReport::new(&#id, &#state) #outcome }
}

fn job_docs(operation: &Operation, job: &Job) -> String {
    let method = |name: &str| {
        let name = name.trim_start_matches("r#").to_owned();
        format!("[`{name}`](Self::{name})")
    };
    let values = |values: &[String]| values.iter().map(|value| format!("`{value}`")).collect::<Vec<_>>().join(" or ");
    let failure = match (&job.outcome_wire, job.succeeded.is_empty()) {
        (Some(outcome), false) => format!(
            "[`JobFailed`](crate::runtime::Error::JobFailed) when the finished job's `{outcome}` is not {}; ",
            values(&job.succeeded)
        ),
        _ => String::new(),
    };
    format!(
        "Runs {start} to completion and returns the stream of its results.\n\n\
         Starts the job, asks {status} about it until its `{state}` is {finished} (first after `wait`'s first \
         interval, then less often), and returns {results} of the finished job. Starting and waiting are bounded by \
         `wait`'s timeout; each page of results by the client's request timeout.\n\n\
         # Errors\n\n\
         {failure}[`JobTimeout`](crate::runtime::Error::JobTimeout), with the job's id, when it has not finished in \
         time (it goes on at the server); and any error of the requests sent.",
        start = method(&operation.method_name),
        status = method(&job.status_method),
        results = method(&job.results.method_name),
        state = job.state_wire,
        finished = values(&job.finished),
    )
}

/// `impl Paginated` for a list response type, once, whichever operations (and
/// page styles) return it: `page_info` fills the fields of every style.
pub(crate) fn paginated_impl(paginations: &[&Pagination], scope: &mut Scope) -> TokenStream {
    let rt = scope.rt();
    let pagination = paginations[0];
    let PageType::Named { response_type, items_field, items_presence } = &pagination.page else {
        // An envelope is `Paginated` through the runtime's `Envelope`.
        return TokenStream::new();
    };
    let response = scope.named(response_type);
    let item = scope.ty(&pagination.item_type);
    let field = ident(items_field);
    let page_info = page_info(paginations.iter().flat_map(|pagination| &pagination.reads), &rt);
    let (items, into_items) = match items_presence {
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

            #page_info
        }
    }
}

fn operation_docs(operation: &Operation) -> String {
    // Statuses that share a description are listed together: `401, 403 (Forbidden)`.
    let mut groups: Vec<(Vec<String>, &str)> = Vec::new();
    for error in &operation.errors {
        let description = error.description.trim();
        match groups.iter_mut().find(|(_, known)| *known == description) {
            Some((statuses, _)) => statuses.push(error.status.label()),
            None => groups.push((vec![error.status.label()], description)),
        }
    }
    let errors: Vec<String> = groups
        .iter()
        .map(|(statuses, description)| {
            let statuses = statuses.join(", ");
            if description.is_empty() { statuses } else { format!("{statuses} ({description})") }
        })
        .collect();
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
    let read = |field: PageInfoField| {
        pagination.reads.iter().find(|read| read.field == field).map(|read| read.wire_path.as_str())
    };
    let how = match &pagination.style {
        PageStyle::LimitOffset { limit, offset, page_size } => {
            let link = read(PageInfoField::NextLink)
                .map(|path| format!(" Each page's `{path}` is followed when there is one, on the same origin only."));
            let total = read(PageInfoField::TotalItems).map(|path| format!(", or once `{path}` items were seen"));
            format!(
                "Pages are requested with `{limit}` (default {page_size}) and `{offset}` (starting at the `{offset}` in \
                 `params`, else 0).{link} A page with fewer items than the limit is the last{total}; a server that \
                 sends the same page again ends the stream with an error.",
                link = link.unwrap_or_default(),
                total = total.unwrap_or_default(),
            )
        }
        PageStyle::PageKey { key, page_size, .. } => format!(
            "Each page's next key is sent back in `{key}` (pages of {page_size} unless `params` says otherwise); a page \
             without a next key is the last."
        ),
        PageStyle::PageNumber { page, page_size, .. } => format!(
            "Pages are numbered by `{page}` from the one in `params` (else 1), {page_size} items each unless `params` \
             says otherwise, up to the total number of pages or the first empty page."
        ),
        PageStyle::Cursor { cursor, replaces } => {
            let replaced = if replaces.is_empty() {
                String::new()
            } else {
                format!(" (`{}` is then left out, as the server ignores it)", replaces.join("`, `"))
            };
            format!(
                "Each page's cursor is sent back in `{cursor}`{replaced} while the server says there is more. After the \
                 last page, [`Pager::checkpoint`](crate::runtime::Pager::checkpoint) holds the last cursor: pass it as \
                 `{cursor}` to resume on the next poll."
            )
        }
    };
    format!(
        "Every item of [`{method}`](Self::{method}), fetched page after page, as a stream.\n\n{how} Use \
         [`Pager::pages`](crate::runtime::Pager::pages) for whole pages and \
         [`Pager::checkpoint`](crate::runtime::Pager::checkpoint) to resume later.",
        method = operation.method_name.trim_start_matches("r#"),
    )
}

pub(crate) fn page_style(style: &PageStyle, rt: &TokenStream) -> TokenStream {
    let optional = |name: &Option<String>| match name {
        Some(name) => quote! { Some(#name) },
        None => quote! { None },
    };
    match style {
        PageStyle::LimitOffset { limit, offset, page_size } => {
            let page_size = Literal::u64_unsuffixed(*page_size);
            quote! { #rt::PageStyle::limit_offset(#limit, #offset, #page_size) }
        }
        PageStyle::PageKey { key, size, page_size } => {
            let (size, page_size) = (optional(size), Literal::u64_unsuffixed(*page_size));
            quote! { #rt::PageStyle::page_key(#key, #size, #page_size) }
        }
        PageStyle::PageNumber { page, size, page_size } => {
            let (size, page_size) = (optional(size), Literal::u64_unsuffixed(*page_size));
            quote! { #rt::PageStyle::page_number(#page, #size, #page_size) }
        }
        PageStyle::Cursor { cursor, replaces } => quote! { #rt::PageStyle::cursor(#cursor, &[#(#replaces),*]) },
    }
}

/// `Paginated::page_info` from the fields the response holds (none for plain
/// limit/offset paging).
fn page_info<'a>(reads: impl Iterator<Item = &'a PageRead>, rt: &TokenStream) -> Option<TokenStream> {
    let mut fields: Vec<(PageInfoField, &FieldPath)> = Vec::new();
    for read in reads {
        if let Some(path) = &read.path
            && !fields.iter().any(|(known, _)| *known == read.field)
        {
            fields.push((read.field, path));
        }
    }
    if fields.is_empty() {
        return None;
    }
    let assignments = fields.iter().map(|(field, path)| {
        let name = ident(field.name());
        let value = read_field(path);
        quote! { #name: #value, }
    });
    Some(quote! {
        fn page_info(&self) -> #rt::PageInfo {
            #rt::PageInfo { #(#assignments)* ..Default::default() }
        }
    })
}

/// An expression reading `path` from `self` as an `Option` of the `PageInfo`
/// field's type (`String`, `u64` or `bool`).
fn read_field(path: &FieldPath) -> TokenStream {
    let (expression, is_option) = field_access(quote! { self }, path);
    match (&path.leaf, is_option) {
        (TypeRef::I32 | TypeRef::I64, true) => quote! { #expression.and_then(|value| u64::try_from(*value).ok()) },
        (TypeRef::I32 | TypeRef::I64, false) => quote! { u64::try_from(#expression).ok() },
        (TypeRef::Bool, true) => quote! { #expression.copied() },
        (TypeRef::Bool, false) => quote! { Some(#expression) },
        (_, true) => quote! { #expression.cloned() },
        (_, false) => quote! { Some(#expression.clone()) },
    }
}

/// An expression reaching `path` from `base`: the field itself, or an `Option`
/// of a reference to it when a step on the way is optional (the flag).
fn field_access(base: TokenStream, path: &FieldPath) -> (TokenStream, bool) {
    let mut expression = base;
    let mut is_option = false;
    for (field, optional) in &path.steps {
        let field = ident(field);
        expression = match (is_option, *optional) {
            (false, false) => quote! { #expression.#field },
            (false, true) => quote! { #expression.#field.as_ref() },
            (true, false) => quote! { #expression.map(|value| &value.#field) },
            (true, true) => quote! { #expression.and_then(|value| value.#field.as_ref()) },
        };
        is_option |= *optional;
    }
    (expression, is_option)
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
            BodyType::Json { ty, .. } | BodyType::Form(ty) | BodyType::Multipart { ty, .. } => {
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
        BodyType::Multipart { parts, .. } => multipart_body(parts, &rt),
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
    let object = |place: &TokenStream| {
        if required {
            quote! { Some(#place) }
        } else {
            quote! { #place.as_ref() }
        }
    };
    match (param.location, param.encoding) {
        (ParamLocation::Path, ParamEncoding::Json { explode }) => {
            quote! { .path_param(#wire, &#rt::simple_object(#value, #explode)) }
        }
        (ParamLocation::Path, _) => quote! { .path_param(#wire, #value) },
        (ParamLocation::Header, encoding) => {
            let header = param.wire.to_ascii_lowercase();
            match encoding {
                ParamEncoding::Json { explode } => {
                    let value = object(&place);
                    quote! { .header(#header, &#value.and_then(|value| #rt::simple_object(value, #explode))) }
                }
                _ => quote! { .header(#header, #value) },
            }
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
        (ParamLocation::Query, ParamEncoding::Json { .. }) => {
            let values = object(&place);
            quote! { .query_json(#wire, #values) }
        }
    }
}

/// The body type of the method's response and the `RawResponse` call that decodes it.
/// The configured envelope type around the data.
fn envelope_type(envelope: &str, data: TokenStream) -> TokenStream {
    let envelope = path_tokens(envelope);
    quote! { #envelope<#data> }
}

fn response(operation: &Operation, scope: &mut Scope) -> (TokenStream, TokenStream) {
    match &operation.success {
        Success::Empty => (quote! { () }, quote! { empty() }),
        Success::One(BodyType::Json { ty, .. }) => (scope.ty(ty), quote! { json() }),
        Success::Enveloped { data, envelope } => {
            let data = scope.ty(data);
            (envelope_type(envelope, data), quote! { json() })
        }
        Success::One(BodyType::Form(_) | BodyType::Text(_)) => (quote! { String }, quote! { text() }),
        Success::One(BodyType::Bytes(_) | BodyType::Multipart { .. }) => {
            let rt = scope.rt();
            (quote! { #rt::Bytes }, quote! { bytes() })
        }
        Success::Several { type_name } => {
            let ty = scope.named(type_name);
            (ty.clone(), quote! { decode_with(#ty::decode) })
        }
    }
}

/// `.multipart_body(...)`: one `value` or `file` call per property, in order.
fn multipart_body(parts: &[MultipartPart], rt: &TokenStream) -> TokenStream {
    let calls = parts.iter().map(|part| {
        let field = ident(&part.field);
        let wire = &part.wire;
        let content_type = match &part.content_type {
            Some(content_type) => quote! { Some(#content_type) },
            None => quote! { None },
        };
        match part.file {
            true => quote! { .file(#wire, &body.#field, #content_type) },
            false => quote! { .value(#wire, &body.#field, #content_type) },
        }
    });
    quote! { .multipart_body(#rt::Multipart::new() #(#calls)*) }
}
