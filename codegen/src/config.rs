//! The per-API generator config: what the spec cannot say about the crate.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// How to generate one API's crate (the `generate:` section of `specs/<api>/api.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiConfig {
    /// The generated package's name, e.g. `acme-edr`.
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
    /// Component schemas implemented by hand, by name, with the full path of
    /// their type (e.g. `Field: secgen_vendors::<vendor>::Field`); no type is
    /// generated for them.
    #[serde(default)]
    pub type_overrides: BTreeMap<String, RustPath>,
    /// Which component schemas become types.
    #[serde(default)]
    pub component_schemas: ComponentSchemas,
    /// One cargo feature per tag (all on by default), so a crate's user can
    /// compile only the API groups they call.
    #[serde(default)]
    pub features_per_tag: bool,
    /// Long-running jobs (query runs, scans): started, polled and read by one
    /// generated `..._to_completion` method each.
    #[serde(default)]
    pub jobs: Vec<JobConfig>,
    /// Wire names of string properties and parameters that hold credentials
    /// (`password`, `token`) where the spec does not say `format: password`: typed
    /// `rt::Secret`, which never prints, like that format.
    #[serde(default)]
    pub secrets: BTreeSet<String>,
}

/// A long-running job: one operation starts it, one reports on it by its id,
/// and one pages the results of the finished job. The start operation gets a
/// `<method>_to_completion` method taking its arguments and a `JobWait`, which
/// returns the stream of results.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobConfig {
    /// The operationId that starts a job.
    pub start: String,
    /// The operationId that reports on one job; the id is its one required parameter.
    pub status: String,
    /// The operationId of the paged results of a finished job; the id is its
    /// one required parameter.
    pub results: String,
    /// Where the start and status responses hold the job's id (a wire path, e.g. `id`).
    pub id: String,
    /// Where they hold the job's state.
    pub state: String,
    /// The states meaning the job has finished.
    pub finished: Vec<String>,
    /// Where they hold the outcome of a finished job, if the API reports one.
    #[serde(default)]
    pub outcome: Option<String>,
    /// The outcomes meaning success; any other is an error.
    #[serde(default)]
    pub succeeded: Vec<String>,
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
///
/// Types are named by their full Rust path (`secgen_runtime::GenericErrorBody`,
/// `secgen_vendors::<vendor>::Envelope`); every crate such a path starts with,
/// other than the runtime, becomes a dependency of the generated crate.
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
    /// The type error bodies are parsed into: it implements the runtime's
    /// `ErrorBody` (default `secgen_runtime::GenericErrorBody`).
    #[serde(default)]
    pub error_body: Option<RustPath>,
    /// The API's region type: re-exported from the crate root, converts into a
    /// base URL, and its `Default` is what the crate's example connects to.
    #[serde(default)]
    pub region: Option<RustPath>,
    /// The module holding this API's vendor pieces, re-exported as `vendor`.
    #[serde(default)]
    pub vendor_module: Option<RustPath>,
    /// More items re-exported from the crate root, by full path.
    #[serde(default)]
    pub reexports: Vec<RustPath>,
    /// How the crate-level example authenticates.
    #[serde(default)]
    pub auth_example: AuthExample,
    /// Header parameters the runtime sets (routing headers such as `X-Tenant-ID`);
    /// they are left out of method signatures.
    #[serde(default)]
    pub managed_headers: Vec<String>,
    /// The envelope every success body comes in, if the API has one: operations
    /// then return the envelope type around the typed data.
    #[serde(default)]
    pub envelope: Option<EnvelopeConfig>,
    /// What the crate's fake (cargo feature `fake`) answers as this vendor does:
    /// a type implementing the runtime's `fake::FakeVendor` and `Default`, behind its
    /// crate's own `fake` feature (default `secgen_runtime::fake::GenericVendor`).
    #[serde(default)]
    pub fake_vendor: Option<RustPath>,
}

/// A response envelope: a generic type `Name<T>` implementing the runtime's
/// `Envelope`, around each operation's data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeConfig {
    /// The envelope type's path, without its type parameter.
    #[serde(rename = "type")]
    pub type_path: RustPath,
    /// The property holding the operation's data.
    pub data: String,
    /// Where the envelope holds the next page's link, when it hands one out.
    #[serde(default)]
    pub next_link: Option<String>,
    /// Where the envelope holds the number of items across all pages.
    #[serde(default)]
    pub total: Option<String>,
}

/// A Rust path (`secgen_vendors::vendor::Type`), checked when the config is read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RustPath(String);

impl RustPath {
    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The crate the path starts in.
    pub fn crate_name(&self) -> &str {
        self.0.split("::").next().unwrap_or_default()
    }
}

impl std::fmt::Display for RustPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RustPath {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        let is_ident = |segment: &str| {
            segment.chars().next().is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
                && segment.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        if text.split("::").count() < 2 || !text.split("::").all(is_ident) {
            return Err(format!(
                "`{text}` is not a Rust path from a crate root, like `secgen_runtime::GenericErrorBody`"
            ));
        }
        Ok(RustPath(text))
    }
}

impl<'de> Deserialize<'de> for RustPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        RustPath::try_from(String::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
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

/// A pagination convention (`style: ...`): the request parameters that move from
/// page to page, and where the response says what comes next. Response fields
/// are named by their wire path, e.g. `pages.nextKey`; the items are the
/// response's one array (or an envelope's data). What each style does at run
/// time is the runtime's `PageStyle`, documented there once.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case", tag = "style")]
pub enum PaginationConfig {
    /// `limit` + `offset` query parameters.
    LimitOffset {
        /// The page-size parameter.
        limit: String,
        /// The offset parameter.
        offset: String,
        /// The page size when the caller sets none and the spec declares no maximum.
        default_page_size: u64,
        /// Where the response holds the next page's link, if it gives one.
        #[serde(default)]
        next_link: Option<String>,
        /// Where the response holds the number of items across all pages.
        #[serde(default)]
        total: Option<String>,
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

impl PaginationConfig {
    /// The query parameters an operation must have for this style to apply.
    pub(crate) fn required_params(&self) -> Vec<&str> {
        match self {
            PaginationConfig::LimitOffset { limit, offset, .. } => vec![limit, offset],
            PaginationConfig::PageKey { key, .. } => vec![key],
            PaginationConfig::PageNumber { page, .. } => vec![page],
            PaginationConfig::Cursor { cursor, .. } => vec![cursor],
        }
    }

    /// The response fields the style reads, by the runtime `PageInfo` field they
    /// fill, and whether the style cannot work without each.
    pub(crate) fn response_fields(&self) -> Vec<(PageInfoField, &str, bool)> {
        match self {
            PaginationConfig::LimitOffset { next_link, total, .. } => {
                let next_link = next_link.iter().map(|path| (PageInfoField::NextLink, path.as_str(), false));
                let total = total.iter().map(|path| (PageInfoField::TotalItems, path.as_str(), false));
                next_link.chain(total).collect()
            }
            PaginationConfig::PageKey { next_key, .. } => vec![(PageInfoField::NextKey, next_key, true)],
            PaginationConfig::PageNumber { current, total, .. } => {
                vec![(PageInfoField::CurrentPage, current, true), (PageInfoField::TotalPages, total, true)]
            }
            PaginationConfig::Cursor { next_cursor, has_more, .. } => {
                vec![(PageInfoField::NextCursor, next_cursor, true), (PageInfoField::HasMore, has_more, true)]
            }
        }
    }
}

/// The fields of the runtime's `PageInfo`: what a page says about the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PageInfoField {
    NextKey,
    CurrentPage,
    TotalPages,
    NextCursor,
    HasMore,
    NextLink,
    TotalItems,
}

impl PageInfoField {
    /// The `PageInfo` field's name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            PageInfoField::NextKey => "next_key",
            PageInfoField::CurrentPage => "current_page",
            PageInfoField::TotalPages => "total_pages",
            PageInfoField::NextCursor => "next_cursor",
            PageInfoField::HasMore => "has_more",
            PageInfoField::NextLink => "next_link",
            PageInfoField::TotalItems => "total_items",
        }
    }

    /// What the field's JSON value must be.
    pub(crate) fn kind(self) -> FieldKind {
        match self {
            PageInfoField::NextKey | PageInfoField::NextCursor | PageInfoField::NextLink => FieldKind::Text,
            PageInfoField::CurrentPage | PageInfoField::TotalPages | PageInfoField::TotalItems => FieldKind::Number,
            PageInfoField::HasMore => FieldKind::Flag,
        }
    }
}

/// The JSON kind of a paging field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKind {
    Text,
    Number,
    Flag,
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
