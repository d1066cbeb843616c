//! `src/fake.rs`, compiled with the crate's `fake` feature: the API described
//! for the runtime's `FakeServer` (each operation's route, success status,
//! default body, page style), and `Fake`, with one typed stub per operation.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::docs::trusted_doc_attrs;
use super::idents::{Scope, ident};
use super::operations::page_style;
use super::{cfg, path_tokens};
use crate::examples::Examples;
use crate::features::Features;
use crate::model::{AuthExample, BodyType, Model, Operation, PageType, Pagination, Success, TypeKind, TypeRef};
use crate::naming::Namespace;

/// The `Fake`'s own methods, which no stub may take.
const OWN_METHODS: &[&str] = &["start", "client", "client_builder", "server", "deref"];

pub(crate) fn fake_rs(model: &Model, features: &Features) -> TokenStream {
    let mut scope = Scope::qualified();
    let rt = scope.rt();
    let examples = Examples::new(&model.types);
    let mut stub_names = Namespace::with_reserved(OWN_METHODS);
    let mut entries = Vec::new();
    let mut stubs = Vec::new();
    for operation in &model.operations {
        let stub_name = stub_names.claim(&operation.method_name);
        let served = Served::of(operation, model, &examples, &mut scope);
        let cfg = cfg(features, &operation.file);
        entries.push(served.entry(operation, &stub_name, &rt, cfg.clone()));
        stubs.push(served.stub_method(operation, &stub_name, cfg));
    }
    let base_path = &model.client.base_path;
    let auth = match model.client.auth_example {
        AuthExample::Bearer => quote! { Bearer },
        AuthExample::Basic => quote! { Basic },
        AuthExample::ClientCredentials => quote! { ClientCredentials },
        AuthExample::None => quote! { None },
    };
    let vendor = match &model.client.fake_vendor {
        Some(path) => path_tokens(path),
        None => quote! { #rt::fake::GenericVendor },
    };
    let fake_docs = trusted_doc_attrs(&fake_docs(model));
    let imports = scope.imports();
    quote! {
        //! A fake of the API for your tests: a loopback server that answers like the
        //! API does (see [`Fake`]).

        #imports

        static API: #rt::fake::FakeApi = #rt::fake::FakeApi {
            base_path: #base_path,
            auth: #rt::fake::FakeAuth::#auth,
            operations: &[ #(#entries),* ],
        };

        #fake_docs
        #[derive(Debug)]
        pub struct Fake {
            server: #rt::fake::FakeServer,
        }

        impl Fake {
            /// Starts the fake on a loopback port.
            pub async fn start() -> Self {
                Self { server: #rt::fake::FakeServer::start::<#vendor>(&API).await }
            }

            /// A client of the fake, with its test credentials.
            ///
            /// # Panics
            ///
            /// If the client cannot be built, which a fake's settings never cause.
            pub fn client(&self) -> crate::Client {
                self.client_builder().build().expect("a client of the fake builds")
            }

            /// A client builder pointed at the fake with its test credentials, to add hooks or settings.
            pub fn client_builder(&self) -> #rt::ClientBuilder<crate::Client> {
                self.server.configure(crate::Client::builder())
            }

            /// The server underneath, also reached through `Deref`.
            pub fn server(&self) -> &#rt::fake::FakeServer {
                &self.server
            }

            #(#stubs)*
        }

        impl std::ops::Deref for Fake {
            type Target = #rt::fake::FakeServer;

            fn deref(&self) -> &Self::Target {
                &self.server
            }
        }
    }
}

fn fake_docs(model: &Model) -> String {
    let crate_ident = model.package.name.replace('-', "_");
    format!(
        "A fake of the {title}: a loopback HTTP server that answers like the API does.\n\n\
         [`client`](Self::client) is a [`Client`](crate::Client) pointed at it with test credentials. Each operation \
         has a stub method of the client method's name: `returns` answers with typed data (a list operation's \
         items are cut into pages as the API pages them), `succeeds` with a default body built from the spec, and \
         `fails` with an error status as the API sends it (its error body; for a 429, its rate-limit headers), \
         on every call, `once`, or `on_call(n)`. `calls` lists what the operation was sent, with typed bodies. \
         Everything else is on the [`FakeServer`](crate::runtime::fake::FakeServer) it dereferences to: \
         [`expire_credentials`](crate::runtime::fake::FakeServer::expire_credentials), \
         [`operations_called`](crate::runtime::fake::FakeServer::operations_called).\n\n\
         A request no stub answers gets an explanation as its error body, and the fake panics with the list \
         of them when it is dropped, so a test never passes on a call nobody expected.\n\n\
         ```no_run\n\
         # async fn example() -> {crate_ident}::Result<()> {{\n\
         let fake = {crate_ident}::fake::Fake::start().await;\n\
         let client = fake.client();\n\
         # let _ = client;\n\
         # Ok(())\n\
         # }}\n\
         ```",
        title = model.title,
    )
}

/// How the fake serves one operation, and the types its stub speaks.
struct Served {
    /// The `FakeBody` expression.
    body: TokenStream,
    /// The `Option<FakePaging>` expression.
    paging: TokenStream,
    /// `Stub<'_, T, B>` or `ListStub<'_, I, B>`.
    stub_type: TokenStream,
    /// Whether the stub takes a list's items (`list_stub`, else `stub`).
    is_list: bool,
}

impl Served {
    fn of(operation: &Operation, model: &Model, examples: &Examples, scope: &mut Scope) -> Self {
        let rt = scope.rt();
        let sent = match operation.body.as_ref().map(|body| &body.ty) {
            Some(BodyType::Json { ty, .. }) => scope.ty(ty),
            _ => quote! { #rt::serde_json::Value },
        };
        let spec_example = operation.success_example.as_ref();
        if let Some(pagination) = &operation.pagination
            && let Some(served) = Self::list(pagination, model, spec_example, examples, &sent, scope)
        {
            return served;
        }
        let (data, body) = match &operation.success {
            Success::Empty => (quote! { () }, quote! { #rt::fake::FakeBody::Empty }),
            Success::One(BodyType::Json { ty, .. }) => json_body(ty, None, spec_example, examples, scope),
            Success::Enveloped { data, envelope } => {
                let data_path = model.client.envelope_data.as_deref().unwrap_or("data");
                json_body(data, Some((envelope, data_path)), spec_example, examples, scope)
            }
            Success::One(BodyType::Text(content_type) | BodyType::Bytes(content_type)) => raw_body(content_type, &rt),
            Success::One(BodyType::Form(_)) => raw_body("application/x-www-form-urlencoded", &rt),
            Success::One(BodyType::Multipart { .. }) => raw_body("multipart/form-data", &rt),
            Success::Several { type_name } => match documented_body(model, type_name, operation.success_status) {
                Some(ty) => json_body(ty, None, spec_example, examples, scope),
                None => (quote! { () }, quote! { #rt::fake::FakeBody::Empty }),
            },
        };
        Served {
            body,
            paging: quote! { None },
            stub_type: quote! { #rt::fake::Stub<'_, #data, #sent> },
            is_list: false,
        }
    }

    /// A list operation: pages around its items. `None` for a page type the model lacks.
    fn list(
        pagination: &Pagination,
        model: &Model,
        spec_example: Option<&Value>,
        examples: &Examples,
        sent: &TokenStream,
        scope: &mut Scope,
    ) -> Option<Self> {
        let rt = scope.rt();
        let item = scope.ty(&pagination.item_type);
        let one_item = vec![examples.of(&pagination.item_type)];
        let (page_type, defaults, items_path, envelope) = match &pagination.page {
            PageType::Named { response_type, items_field, .. } => {
                let items_wire = items_wire_name(model, response_type, items_field)?;
                let built = examples.with_items(response_type, &items_wire, one_item);
                (scope.named(response_type), defaults(spec_example, built), items_wire, quote! { None })
            }
            PageType::Envelope(envelope) => {
                let data = model.client.envelope_data.clone()?;
                let envelope = path_tokens(envelope);
                let defaults = defaults(spec_example.and_then(|example| example.get(&data)), Value::Array(one_item));
                (quote! { #envelope<Vec<#item>> }, defaults, data.clone(), quote! { Some(#data) })
            }
        };
        let style = page_style(&pagination.style, &rt);
        let fields = pagination.reads.iter().map(|read| {
            let field = ident(&read.field.name().to_upper_camel_case());
            let path = &read.wire_path;
            quote! { (#rt::fake::PageField::#field, #path) }
        });
        Some(Served {
            body: quote! {
                #rt::fake::FakeBody::Json {
                    defaults: #defaults,
                    envelope: #envelope,
                    check: #rt::fake::round_trip::<#page_type>,
                }
            },
            paging: quote! {
                Some(#rt::fake::FakePaging { style: #style, items: #items_path, fields: &[ #(#fields),* ] })
            },
            stub_type: quote! { #rt::fake::ListStub<'_, #item, #sent> },
            is_list: true,
        })
    }

    /// The operation's entry in the API description.
    fn entry(&self, operation: &Operation, stub_name: &str, rt: &TokenStream, cfg: Option<TokenStream>) -> TokenStream {
        let (id, method, path) = (&operation.id, &operation.http_method, &operation.path);
        let status = proc_macro2::Literal::u16_unsuffixed(operation.success_status);
        let stub = stub_name.trim_start_matches("r#");
        let (body, paging) = (&self.body, &self.paging);
        quote! {
            #cfg
            #rt::fake::FakeOperation {
                id: #id,
                stub: #stub,
                method: #method,
                path: #path,
                status: #status,
                body: #body,
                paging: #paging,
            }
        }
    }

    fn stub_method(&self, operation: &Operation, stub_name: &str, cfg: Option<TokenStream>) -> TokenStream {
        let method = operation.method_name.trim_start_matches("r#");
        let (what, constructor) = match self.is_list {
            true => ("its items, cut into pages as the API pages them", quote! { list_stub }),
            false => ("its success body", quote! { stub }),
        };
        let docs = trusted_doc_attrs(&format!(
            "Stubs [`Client::{method}`](crate::Client::{method}) (`{} {}`): {what}, or a failure.",
            operation.http_method, operation.path
        ));
        let (name, id, stub_type) = (ident(stub_name), &operation.id, &self.stub_type);
        quote! {
            #cfg
            #docs
            pub fn #name(&self) -> #stub_type {
                self.server.#constructor(#id)
            }
        }
    }
}

/// A JSON success body of `ty` (inside the envelope, when there is one):
/// the stub's data type and the `FakeBody`.
fn json_body(
    ty: &TypeRef,
    envelope: Option<(&str, &str)>,
    spec_example: Option<&Value>,
    examples: &Examples,
    scope: &mut Scope,
) -> (TokenStream, TokenStream) {
    let rt = scope.rt();
    let data = scope.ty(ty);
    let (checked, wrapper, spec_example) = match envelope {
        Some((type_path, data_path)) => {
            let envelope = path_tokens(type_path);
            // The spec's example is of the whole body; the default is its data.
            (
                quote! { #envelope<#data> },
                quote! { Some(#data_path) },
                spec_example.and_then(|example| example.get(data_path)),
            )
        }
        None => (data.clone(), quote! { None }, spec_example),
    };
    let defaults = defaults(spec_example, examples.of(ty));
    let body = quote! {
        #rt::fake::FakeBody::Json { defaults: #defaults, envelope: #wrapper, check: #rt::fake::round_trip::<#checked> }
    };
    (data, body)
}

/// `&["<the spec's example>", "<one built from the schema>"]`: the fake serves the first its types accept.
fn defaults(spec_example: Option<&Value>, built: Value) -> TokenStream {
    let texts: Vec<String> = spec_example
        .filter(|example| **example != built)
        .map(Value::to_string)
        .into_iter()
        .chain([built.to_string()])
        .collect();
    quote! { &[ #(#texts),* ] }
}

fn raw_body(content_type: &str, rt: &TokenStream) -> (TokenStream, TokenStream) {
    (quote! { String }, quote! { #rt::fake::FakeBody::Raw { content_type: #content_type } })
}

/// The body type documented for `status` in an operation's enum of success bodies.
fn documented_body<'m>(model: &'m Model, type_name: &str, status: u16) -> Option<&'m TypeRef> {
    let def = model.types.iter().find(|def| def.name == type_name)?;
    let TypeKind::Responses(statuses) = &def.kind else { return None };
    let documented = statuses.variants.iter().find(|variant| variant.status == crate::model::StatusMatch::Code(status));
    documented.or(statuses.variants.first())?.body.as_ref()
}

/// The wire name of a list response's items field.
fn items_wire_name(model: &Model, response_type: &str, items_field: &str) -> Option<String> {
    let def = model.types.iter().find(|def| def.name == response_type)?;
    let TypeKind::Struct(shape) = &def.kind else { return None };
    shape.fields.iter().find(|field| field.name == items_field).map(|field| field.wire.clone())
}
