//! Sophos Factory: regional API hosts and the error body.

use serde::{Deserialize, Serialize};

use secgen_runtime::BaseUrl;

/// The data region of a Sophos Factory account, which fixes its API host.
///
/// ```
/// use secgen_vendors::sophos_factory::Region;
///
/// assert_eq!(Region::default(), Region::UsWest2);
/// assert_eq!(Region::EuCentral1.base_url(), "https://api.eu-central-1.factory.sophos.com/v1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Region {
    /// Asia Pacific, Australia (`ap-southeast-2`).
    ApSoutheast2,
    /// Asia Pacific, India (`ap-south-1`).
    ApSouth1,
    /// Asia Pacific, Japan (`ap-northeast-1`).
    ApNortheast1,
    /// Canada (`ca-central-1`).
    CaCentral1,
    /// EU, Germany (`eu-central-1`).
    EuCentral1,
    /// EU, Ireland (`eu-west-1`).
    EuWest1,
    /// South America, Brazil (`sa-east-1`).
    SaEast1,
    /// United States, East (`us-east-2`).
    UsEast2,
    /// United States, West (`us-west-2`), the default.
    #[default]
    UsWest2,
}

impl Region {
    /// Every region, in the order Sophos lists them.
    pub const ALL: [Region; 9] = [
        Region::ApSoutheast2,
        Region::ApSouth1,
        Region::ApNortheast1,
        Region::CaCentral1,
        Region::EuCentral1,
        Region::EuWest1,
        Region::SaEast1,
        Region::UsEast2,
        Region::UsWest2,
    ];

    /// The AWS-style region code, e.g. `us-west-2`.
    pub fn code(self) -> &'static str {
        match self {
            Region::ApSoutheast2 => "ap-southeast-2",
            Region::ApSouth1 => "ap-south-1",
            Region::ApNortheast1 => "ap-northeast-1",
            Region::CaCentral1 => "ca-central-1",
            Region::EuCentral1 => "eu-central-1",
            Region::EuWest1 => "eu-west-1",
            Region::SaEast1 => "sa-east-1",
            Region::UsEast2 => "us-east-2",
            Region::UsWest2 => "us-west-2",
        }
    }

    /// The API base URL of this region: host plus `/v1`.
    pub fn base_url(self) -> String {
        format!("https://api.{}.factory.sophos.com/v1", self.code())
    }

    /// The Auth API base URL of this region (users, organizations, tokens,
    /// invitations): `auth.` instead of `api.`.
    pub fn auth_base_url(self) -> String {
        format!("https://auth.{}.factory.sophos.com/v1", self.code())
    }
}

impl From<Region> for BaseUrl {
    fn from(region: Region) -> Self {
        BaseUrl::from(region.base_url())
    }
}

/// The Auth API host of a data region: what the Factory Auth API client's
/// `base_url` takes (the same regions, on `auth.` hosts).
///
/// ```
/// use secgen_vendors::sophos_factory::{AuthRegion, Region};
///
/// assert_eq!(AuthRegion::default().base_url(), "https://auth.us-west-2.factory.sophos.com/v1");
/// assert_eq!(AuthRegion::from(Region::EuWest1).base_url(), "https://auth.eu-west-1.factory.sophos.com/v1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AuthRegion(pub Region);

impl AuthRegion {
    /// The Auth API base URL: host plus `/v1`.
    pub fn base_url(self) -> String {
        self.0.auth_base_url()
    }
}

impl From<Region> for AuthRegion {
    fn from(region: Region) -> Self {
        AuthRegion(region)
    }
}

impl From<AuthRegion> for BaseUrl {
    fn from(region: AuthRegion) -> Self {
        BaseUrl::from(region.base_url())
    }
}

/// The error body of the Factory API: `{status, errors: [{code, message, details}]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The HTTP status, when the server repeats it in the body.
    #[serde(default, deserialize_with = "number_or_numeric_string")]
    pub status: Option<u16>,
    /// What went wrong, one entry per problem.
    #[serde(default)]
    pub errors: Vec<ErrorItem>,
}

/// One problem reported in a Factory error body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorItem {
    /// A machine-readable code.
    #[serde(default)]
    pub code: Option<String>,
    /// A human-readable message.
    #[serde(default)]
    pub message: Option<String>,
    /// More detail, when given.
    #[serde(default)]
    pub details: Option<serde_json::Value>,
}

impl secgen_runtime::ErrorBody for ErrorBody {
    fn summary(&self) -> Option<String> {
        let items: Vec<String> = self
            .errors
            .iter()
            .map(|item| match (&item.code, &item.message) {
                (Some(code), Some(message)) => format!("{code}: {message}"),
                (Some(text), None) | (None, Some(text)) => text.clone(),
                (None, None) => String::from("(no message)"),
            })
            .collect();
        (!items.is_empty()).then(|| items.join("; "))
    }

    fn codes(&self) -> Vec<String> {
        self.errors.iter().filter_map(|item| item.code.clone()).collect()
    }
}

fn number_or_numeric_string<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u16>, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Number(number) => number.as_u64().and_then(|n| u16::try_from(n).ok()),
        serde_json::Value::String(text) => text.parse().ok(),
        _ => None,
    })
}

/// What a generated crate's fake answers as Sophos Factory does (cargo feature `fake`).
#[cfg(feature = "fake")]
pub mod fake {
    use secgen_runtime::StatusCode;
    use secgen_runtime::fake::FakeVendor;
    use serde_json::{Value, json};

    /// Factory's error body: `{status, errors: [{code, message}]}`; rate limits are
    /// unpublished, so a 429 carries the generic `Retry-After`.
    #[derive(Debug, Clone, Copy, Default)]
    pub struct Factory;

    impl FakeVendor for Factory {
        fn error_body(&self, status: StatusCode, message: &str) -> Value {
            let code = status.canonical_reason().unwrap_or("Error").to_ascii_uppercase().replace(' ', "_");
            json!({"status": status.as_u16(), "errors": [{"code": code, "message": message}]})
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use secgen_runtime::ErrorBody as _;

    #[test]
    fn every_region_has_a_distinct_factory_host() {
        let mut hosts: Vec<String> = Region::ALL.iter().map(|region| region.base_url()).collect();
        hosts.dedup();
        assert_eq!(hosts.len(), 9);
        assert!(hosts.iter().all(|host| host.starts_with("https://api.") && host.ends_with(".factory.sophos.com/v1")));
        let auth_hosts: Vec<String> = Region::ALL.iter().map(|region| AuthRegion(*region).base_url()).collect();
        let same_regions: Vec<String> =
            hosts.iter().map(|host| host.replacen("https://api.", "https://auth.", 1)).collect();
        assert_eq!(auth_hosts, same_regions);
    }

    #[test]
    fn error_bodies_parse_leniently() {
        let body: ErrorBody = serde_json::from_str(
            r#"{"status":"400","errors":[{"code":"invalid","message":"name is required","details":"name"}],"extra":1}"#,
        )
        .unwrap();
        assert_eq!(body.status, Some(400));
        assert_eq!(body.summary().as_deref(), Some("invalid: name is required"));
    }
}
