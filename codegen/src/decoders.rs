//! The body types of every operation, written as Rust types a crate outside
//! the generated one can name: what a checker needs to decode a vendor's example
//! request and response bodies with the generated crate's own types.

use crate::model::{BodyType, Model, Operation, StatusMatch, Success, TypeRef};

/// One body an operation sends or receives, and the type it decodes into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyDecoder {
    /// The operationId.
    pub operation_id: String,
    /// Which body.
    pub body: BodyRole,
    /// The type, by full path from the generated crate (`acme::types::Alert`).
    pub rust_type: String,
}

/// Which body of an operation a decoder is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyRole {
    /// The JSON request body.
    Request,
    /// A response: the statuses it stands for.
    Response(ResponseStatus),
}

/// The statuses a response type stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseStatus {
    /// Any success status (the operation documents one success body).
    AnySuccess,
    /// Exactly this status.
    Code(u16),
    /// A class, e.g. 4 for `4XX`.
    Class(u16),
    /// Any error status the operation documents no body for: the API's error body.
    AnyError,
}

impl ResponseStatus {
    /// Whether a response with `status` is decoded with this type.
    pub fn matches(self, status: u16) -> bool {
        match self {
            ResponseStatus::AnySuccess => (200..300).contains(&status),
            ResponseStatus::Code(code) => code == status,
            ResponseStatus::Class(class) => status / 100 == class,
            ResponseStatus::AnyError => status >= 400,
        }
    }
}

/// Every JSON body type of the model; the last decoder of each operation is the
/// API's error body, for error statuses it documents no body for.
pub(crate) fn decoders(model: &Model) -> Vec<BodyDecoder> {
    let krate = model.package.name.replace('-', "_");
    let error_body = model.client.error_body.clone().unwrap_or_else(|| "secgen_runtime::GenericErrorBody".to_owned());
    let mut found = Vec::new();
    for operation in &model.operations {
        let mut add = |body: BodyRole, rust_type: String| {
            found.push(BodyDecoder { operation_id: operation.id.clone(), body, rust_type })
        };
        if let Some(BodyType::Json { ty, .. }) = operation.body.as_ref().map(|body| &body.ty) {
            add(BodyRole::Request, qualified(ty, &krate));
        }
        for (status, rust_type) in success_types(operation, model, &krate) {
            add(BodyRole::Response(status), rust_type);
        }
        for error in &operation.errors {
            if let Some(ty) = &error.body {
                add(BodyRole::Response(status_of(error.status)), qualified(ty, &krate));
            }
        }
        add(BodyRole::Response(ResponseStatus::AnyError), error_body.clone());
    }
    found
}

fn success_types(operation: &Operation, model: &Model, krate: &str) -> Vec<(ResponseStatus, String)> {
    match &operation.success {
        Success::One(BodyType::Json { ty, .. }) => vec![(ResponseStatus::AnySuccess, qualified(ty, krate))],
        Success::Enveloped { data, envelope } => {
            vec![(ResponseStatus::AnySuccess, format!("{envelope}<{}>", qualified(data, krate)))]
        }
        Success::Several { type_name } => {
            let Some(crate::model::TypeKind::Responses(statuses)) =
                model.types.iter().find(|def| &def.name == type_name).map(|def| &def.kind)
            else {
                return Vec::new();
            };
            statuses
                .variants
                .iter()
                .filter_map(|variant| Some((status_of(variant.status), qualified(variant.body.as_ref()?, krate))))
                .collect()
        }
        // No body, or one that is not JSON (text, bytes, a form).
        Success::Empty | Success::One(_) => Vec::new(),
    }
}

fn status_of(status: StatusMatch) -> ResponseStatus {
    match status {
        StatusMatch::Code(code) => ResponseStatus::Code(code),
        StatusMatch::Class(class) => ResponseStatus::Class(class),
        StatusMatch::Default => ResponseStatus::AnyError,
    }
}

/// A type as code outside the crate writes it.
fn qualified(ty: &TypeRef, krate: &str) -> String {
    crate::surface::type_text(ty, Some(krate))
}
