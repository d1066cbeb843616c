//! Sophos Central: credentials, `whoami`, and routing every call to the right host
//! with the right id header.
//!
//! Sophos Central decides where a caller's data lives. After the OAuth2 token,
//! `GET /whoami/v1` says whether the credentials belong to a tenant, a partner or
//! an organization:
//! - a tenant calls the tenant APIs on its data-region host with `X-Tenant-ID`;
//! - a partner or organization calls the global APIs with `X-Partner-ID` or
//!   `X-Organization-ID`, lists its tenants, and calls each tenant's APIs on that
//!   tenant's `apiHost` with `X-Tenant-ID`.
//!
//! A [`Session`] does all of that; every client it hands out shares one token.
//!
//! ```no_run
//! # async fn demo() -> secgen_runtime::Result<()> {
//! use secgen_vendors::sophos_central::{Session, credentials};
//! use secgen_runtime::{ApiClient, ApiInfo, ClientBuilder};
//!
//! static API: ApiInfo = ApiInfo::new("example", "1.0.0").default_base_url(secgen_vendors::sophos_central::GLOBAL_URL);
//! let session = Session::connect(ClientBuilder::<ApiClient>::new(&API), credentials("client-id", "client-secret")).await?;
//! for tenant in session.tenants().await? {
//!     let client: ApiClient = session.tenant_client(&tenant)?;
//!     println!("{} at {}", tenant.id, client.base_url());
//! }
//! # Ok(()) }
//! ```

use futures::TryStreamExt;
use secgen_runtime::{
    ApiClient, Auth, BaseUrl, ClientBuilder, ClientCredentials, Error, Method, PageInfo, PageStyle, Paginated, Request,
    Result, Secret, join_present, string_only,
};
use serde::{Deserialize, Serialize};

/// The token URL of Sophos ID.
pub const TOKEN_URL: &str = "https://id.sophos.com/api/v2/oauth2/token";

/// The host of the global APIs (whoami, partner, organization).
pub const GLOBAL_URL: &str = "https://api.central.sophos.com";

/// Client credentials for Sophos Central: Sophos ID's token URL and `scope=token`.
pub fn credentials(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> ClientCredentials {
    ClientCredentials::new(TOKEN_URL, client_id, client_secret).scope("token")
}

/// What `whoami` says about the credentials.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Identity {
    /// The tenant, partner or organization id.
    pub id: String,
    /// Which of the three it is.
    #[serde(rename = "idType")]
    pub kind: IdType,
    /// Where its APIs are.
    #[serde(rename = "apiHosts")]
    pub api_hosts: ApiHosts,
}

/// The kind of account the credentials belong to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdType {
    /// A single tenant.
    Tenant,
    /// A partner managing tenants.
    Partner,
    /// An organization (enterprise) with tenants.
    Organization,
}

/// `apiHosts` of `whoami`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiHosts {
    /// The global APIs' host.
    pub global: String,
    /// The tenant APIs' host (tenants only).
    #[serde(rename = "dataRegion", default)]
    pub data_region: Option<String>,
}

/// Where one tenant's APIs are: its id and host.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TenantRoute {
    /// The tenant id (sent as `X-Tenant-ID`).
    pub id: String,
    /// The tenant's name, when the tenant list gives it.
    #[serde(default)]
    pub name: Option<String>,
    /// The host of the tenant's APIs.
    #[serde(rename = "apiHost")]
    pub api_host: String,
    /// The region code, e.g. `eu01`.
    #[serde(rename = "dataRegion", default)]
    pub data_region: Option<String>,
}

/// One page of `GET /partner/v1/tenants` or `/organization/v1/tenants`.
#[derive(Deserialize)]
struct TenantPage {
    items: Vec<TenantRoute>,
    #[serde(default)]
    pages: TenantPages,
}

#[derive(Deserialize, Default)]
struct TenantPages {
    current: Option<u64>,
    total: Option<u64>,
}

impl Paginated for TenantPage {
    type Item = TenantRoute;

    fn items(&self) -> &[TenantRoute] {
        &self.items
    }

    fn into_items(self) -> Vec<TenantRoute> {
        self.items
    }

    fn page_info(&self) -> PageInfo {
        PageInfo::page_number(self.pages.current, self.pages.total)
    }
}

/// Authenticated Sophos Central credentials that know where their data is.
///
/// Clients from [`client`](Self::client) and [`tenant_client`](Self::tenant_client)
/// share one token, connection pool, retry policy and hooks.
#[derive(Debug, Clone)]
pub struct Session {
    identity: Identity,
    /// The client as configured, before any routing header.
    root: ApiClient,
}

impl Session {
    /// Gets a token, asks `whoami`, and remembers the answer.
    ///
    /// `builder` is a generated client's `Client::builder()` (or any builder); its
    /// base URL is where `whoami` is asked (the global host by default).
    pub async fn connect<C>(builder: ClientBuilder<C>, credentials: ClientCredentials) -> Result<Session> {
        let root = builder.auth(Auth::client_credentials(credentials)).build_api_client()?;
        let identity =
            root.send(Request::new(Method::GET, "whoami", "/whoami/v1")).await?.json::<Identity>()?.into_inner();
        tracing::debug!(id = %identity.id, kind = ?identity.kind, "sophos central whoami");
        Ok(Session { identity, root })
    }

    /// Who the credentials belong to.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// A client for the caller's own scope: a tenant's data-region host with
    /// `X-Tenant-ID`, or the global host with `X-Partner-ID` / `X-Organization-ID`.
    pub fn client<C: From<ApiClient>>(&self) -> Result<C> {
        let id = self.identity.id.as_str();
        let routed = match self.identity.kind {
            IdType::Tenant => {
                let host =
                    self.identity.api_hosts.data_region.as_deref().ok_or_else(|| {
                        Error::Config("whoami names a tenant without `apiHosts.dataRegion`".to_owned())
                    })?;
                self.root.rebased(BaseUrl::from(host), &[("x-tenant-id", id)])?
            }
            IdType::Partner => self.root.rebased(BaseUrl::from(self.global()), &[("x-partner-id", id)])?,
            IdType::Organization => self.root.rebased(BaseUrl::from(self.global()), &[("x-organization-id", id)])?,
        };
        Ok(C::from(routed))
    }

    /// Every tenant the credentials reach: the caller itself for a tenant, else
    /// all pages of the partner's or organization's tenant list.
    pub async fn tenants(&self) -> Result<Vec<TenantRoute>> {
        let (path, operation) = match self.identity.kind {
            IdType::Tenant => {
                let api_host = self.identity.api_hosts.data_region.clone().unwrap_or_else(|| self.global().to_owned());
                return Ok(vec![TenantRoute { id: self.identity.id.clone(), name: None, api_host, data_region: None }]);
            }
            IdType::Partner => ("/partner/v1/tenants", "listPartnerTenants"),
            IdType::Organization => ("/organization/v1/tenants", "listOrganizationTenants"),
        };
        let global: ApiClient = self.client()?;
        let request = Request::new(Method::GET, operation, path).query("pageTotal", &true);
        global
            .paginate::<TenantPage>(request, PageStyle::page_number("page", Some("pageSize"), 100))
            .try_collect()
            .await
    }

    /// A client bound to one tenant: its API host and `X-Tenant-ID`.
    pub fn tenant_client<C: From<ApiClient>>(&self, tenant: &TenantRoute) -> Result<C> {
        Ok(C::from(self.root.rebased(BaseUrl::from(tenant.api_host.as_str()), &[("x-tenant-id", tenant.id.as_str())])?))
    }

    fn global(&self) -> &str {
        &self.identity.api_hosts.global
    }
}

/// The error body of every Sophos Central API gateway:
/// `{error, message, correlationId, code, createdAt, requestId, docUrl}`.
///
/// ```
/// use secgen_runtime::{ErrorBody as _, parse_error_body};
/// use secgen_vendors::sophos_central::ErrorBody;
///
/// let body = br#"{"error":"internalServerError","message":"Internal Server Error.","correlationId":"c1","requestId":"r1"}"#;
/// let parsed = parse_error_body::<ErrorBody>(body).unwrap();
/// assert_eq!(parsed.summary().as_deref(), Some("internalServerError: Internal Server Error."));
/// assert_eq!(parsed.request_id(), Some("r1"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// A machine-readable name, e.g. `internalServerError`.
    #[serde(default, deserialize_with = "string_only")]
    pub error: Option<String>,
    /// A human-readable message.
    #[serde(default)]
    pub message: Option<String>,
    /// The id to quote to Sophos support.
    #[serde(default)]
    pub correlation_id: Option<String>,
    /// A more specific code.
    #[serde(default)]
    pub code: Option<String>,
    /// When the error happened.
    #[serde(default)]
    pub created_at: Option<String>,
    /// The request's id.
    #[serde(default)]
    pub request_id: Option<String>,
    /// A link to documentation about this error.
    #[serde(default)]
    pub doc_url: Option<String>,
}

impl secgen_runtime::ErrorBody for ErrorBody {
    fn summary(&self) -> Option<String> {
        join_present(&[&self.error, &self.message])
    }

    fn codes(&self) -> Vec<String> {
        self.error.iter().chain(&self.code).cloned().collect()
    }

    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// What a generated crate's fake answers as Sophos Central does (cargo feature
/// `fake`), and a [`Session`] connected to the fake.
#[cfg(feature = "fake")]
pub mod fake {
    use secgen_runtime::fake::{FakeServer, FakeVendor};
    use secgen_runtime::{ClientBuilder, Result, StatusCode};
    use serde_json::{Value, json};

    use super::{IdType, Session};

    /// Central's gateway error body `{error, message, correlationId, requestId,
    /// createdAt}`; rate limits are unpublished, so a 429 carries the generic `Retry-After`.
    #[derive(Debug, Clone, Copy, Default)]
    pub struct Central;

    impl FakeVendor for Central {
        /// A tenant the fake hands out without an `apiHost` lives on the fake, so a
        /// [`Session`]'s tenant clients call it.
        fn prepare(&self, operation: &str, body: &mut Value, root: &str) {
            let tenants: Vec<&mut Value> = match operation {
                "listPartnerTenants" | "listOrganizationTenants" => {
                    body.get_mut("items").and_then(Value::as_array_mut).map(|items| items.iter_mut().collect())
                }
                "getPartnerTenant" | "getOrganizationTenant" => Some(vec![body]),
                _ => None,
            }
            .unwrap_or_default();
            for tenant in tenants.into_iter().filter_map(Value::as_object_mut) {
                tenant.entry("apiHost").or_insert_with(|| json!(root));
            }
        }

        fn error_body(&self, status: StatusCode, message: &str) -> Value {
            json!({
                "error": error_name(status),
                "message": message,
                "correlationId": "00000000-0000-4000-8000-000000000000",
                "requestId": "fake-request",
                "createdAt": secgen_runtime::chrono::Utc::now().to_rfc3339(),
            })
        }
    }

    /// The gateway's machine name of a status: `Too Many Requests` → `tooManyRequests`.
    fn error_name(status: StatusCode) -> String {
        let words = status.canonical_reason().unwrap_or("Error").split([' ', '-']);
        let mut name = String::new();
        for (index, word) in words.enumerate() {
            let mut letters = word.chars();
            let first = letters.next().map(|first| match index {
                0 => first.to_ascii_lowercase(),
                _ => first.to_ascii_uppercase(),
            });
            name.extend(first.into_iter().chain(letters));
        }
        name
    }

    /// A session of the fake's test credentials, whose `whoami` answers `kind`
    /// (id `fake-tenant`, `fake-partner` or `fake-organization`) with every host
    /// the fake's: a tenant's own calls, and a partner's or organization's global
    /// calls, go to the fake. `builder` is the crate's `Client::builder()`.
    ///
    /// The tenants a partner lists are the fake's stub of `listPartnerTenants`
    /// (`listOrganizationTenants`); those without an `apiHost` get the fake's.
    pub async fn session<C>(fake: &FakeServer, builder: ClientBuilder<C>, kind: IdType) -> Result<Session> {
        let root = fake.root_url();
        let name = match kind {
            IdType::Tenant => "tenant",
            IdType::Partner => "partner",
            IdType::Organization => "organization",
        };
        let mut hosts = json!({"global": root});
        if kind == IdType::Tenant {
            hosts["dataRegion"] = json!(root);
        }
        let whoami = json!({"id": format!("fake-{name}"), "idType": name, "apiHosts": hosts});
        fake.stub::<Value, Value>("whoami").returns(whoami);
        Session::connect(fake.configure(builder), fake.client_credentials().scope("token")).await
    }
}
