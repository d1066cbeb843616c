//! The per-API generator config: what the spec cannot say about the crate.

use std::collections::BTreeMap;

use serde::Deserialize;

/// How to generate one API's crate (the `generate:` section of `specs/<api>/api.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiConfig {
    /// The generated package's name, e.g. `sophos-factory`.
    pub crate_name: String,
    /// The generated package's version.
    pub version: String,
    /// One line for the package's `description`.
    pub description: String,
    /// What the runtime does for this API.
    #[serde(default)]
    pub client: ClientConfig,
    /// How list operations page: each operation takes the first style whose
    /// parameters it has.
    #[serde(default)]
    pub pagination: Vec<PaginationConfig>,
    /// Operations whose bodies are partial updates (omitted = keep, `null` = unset).
    #[serde(default)]
    pub partial_updates: PartialUpdates,
    /// Array query parameters, by name, whose wire style differs from what the spec
    /// declares (for example because the vendor's own client sends them comma-joined).
    #[serde(default)]
    pub array_style_overrides: BTreeMap<String, ArrayStyleConfig>,
    /// Component schemas the runtime implements, by name, with the runtime path of
    /// their type (e.g. `Field: cloud_soar::Field`); no type is generated for them.
    #[serde(default)]
    pub type_overrides: BTreeMap<String, String>,
    /// Which component schemas become types.
    #[serde(default)]
    pub component_schemas: ComponentSchemas,
}

/// Which component schemas become types.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentSchemas {
    /// Every one, used by an operation or not (a spec's components are often its
    /// data model, e.g. webhook or event payloads no operation returns).
    #[default]
    All,
    /// Only those an operation uses, directly or through another type.
    Used,
}

/// Runtime settings named in the generated client.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    /// The base URL used when the caller gives none; defaults to the spec's first server.
    #[serde(default)]
    pub default_base_url: Option<String>,
    /// The API lives on each customer's own host: there is no default base URL.
    #[serde(default)]
    pub base_url_required: bool,
    /// Refuse `http` base URLs unless the caller explicitly allows them.
    #[serde(default)]
    pub require_https: bool,
    /// The vendor error body format, a variant of the runtime's `ErrorFormat`.
    #[serde(default)]
    pub error_format: ErrorFormatConfig,
    /// Runtime items re-exported from the crate root, e.g. `sophos_factory::Region`.
    #[serde(default)]
    pub reexports: Vec<String>,
    /// How the crate-level example authenticates.
    #[serde(default)]
    pub auth_example: AuthExample,
    /// Header parameters the runtime sets (routing headers such as `X-Tenant-ID`);
    /// they are left out of method signatures.
    #[serde(default)]
    pub managed_headers: Vec<String>,
    /// The envelope every success body comes in, if the API has one: operations
    /// then return the runtime's envelope type around the typed `data`.
    #[serde(default)]
    pub envelope: Option<EnvelopeConfig>,
}

/// The runtime's response envelopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnvelopeConfig {
    /// Cisco AMP: `{version, metadata, data, errors}` (`cisco_amp::Envelope`).
    CiscoAmp,
}

/// The runtime's error body formats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorFormatConfig {
    /// No vendor-specific shape.
    #[default]
    Generic,
    /// `{status, errors: [{code, message}]}`.
    SophosFactory,
    /// `{error, message, correlationId, requestId, ...}`.
    SophosCentral,
    /// The envelope with `errors: [{error_code, description, details}]`.
    CiscoAmp,
    /// `{error, description}`.
    CloudSoar,
}

/// The credentials shown in the generated crate's example.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthExample {
    /// `Auth::bearer(token)`.
    #[default]
    Bearer,
    /// `Auth::basic(user, password)`.
    Basic,
    /// `Auth::client_credentials(...)` (OAuth2).
    ClientCredentials,
    /// No credentials.
    None,
}

/// A pagination convention (`style: ...`). Response fields are named by their
/// wire path, e.g. `pages.nextKey`; the items are the response's one array.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case", tag = "style")]
pub enum PaginationConfig {
    /// `limit` + `offset` query parameters; a short page is the last.
    LimitOffset {
        /// The page-size parameter.
        limit: String,
        /// The offset parameter.
        offset: String,
        /// The page size when the caller sets none and the spec declares no maximum.
        default_page_size: u64,
    },
    /// `limit` + `offset` on the first page, then the envelope's next link
    /// (requires `client.envelope`).
    NextLink {
        /// The page-size parameter.
        limit: String,
        /// The offset parameter.
        offset: String,
        /// The page size when the caller sets none and the spec declares no maximum.
        default_page_size: u64,
    },
    /// An opaque key from the response sent back in a parameter.
    PageKey {
        /// The parameter carrying the key.
        key: String,
        /// The page-size parameter.
        #[serde(default)]
        size: Option<String>,
        /// Where the response holds the next key.
        next_key: String,
        /// The page size when the caller sets none and the spec declares no maximum.
        default_page_size: u64,
    },
    /// Page numbers from 1.
    PageNumber {
        /// The page-number parameter.
        page: String,
        /// The page-size parameter.
        #[serde(default)]
        size: Option<String>,
        /// Where the response holds the current page number.
        current: String,
        /// Where the response holds the number of pages.
        total: String,
        /// The page size when the caller sets none and the spec declares no maximum.
        default_page_size: u64,
    },
    /// A cursor from the response, sent back while there is more.
    Cursor {
        /// The parameter carrying the cursor.
        cursor: String,
        /// Parameters the server ignores once a cursor is sent.
        #[serde(default)]
        replaces: Vec<String>,
        /// Where the response holds the next cursor.
        next_cursor: String,
        /// Where the response says whether more items follow.
        has_more: String,
    },
}

/// Selects the operations whose request bodies are partial updates.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialUpdates {
    /// operationId prefixes, e.g. `update`.
    #[serde(default)]
    pub operation_id_prefixes: Vec<String>,
}

impl PartialUpdates {
    pub(crate) fn applies_to(&self, operation_id: &str) -> bool {
        self.operation_id_prefixes.iter().any(|prefix| operation_id.starts_with(prefix.as_str()))
    }
}

/// Array query parameter styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArrayStyleConfig {
    /// `a=1&a=2`.
    Repeat,
    /// `a=1,2`.
    Comma,
}
