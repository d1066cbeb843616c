//! OpenAPI `date-time` values, read leniently.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use chrono::{NaiveDateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A UTC timestamp: an OpenAPI `date-time`.
///
/// It reads RFC 3339 (`2020-11-04T09:31:17.546Z`, `...+02:00`) and, because real
/// servers send them, timestamps without a zone (`2021-02-12T15:04:53.780`, taken
/// as UTC). It writes RFC 3339 with `Z`. It dereferences to
/// `chrono::DateTime<Utc>` for arithmetic and formatting.
///
/// ```
/// use secgen_runtime::DateTime;
///
/// let with_zone: DateTime = serde_json::from_str(r#""2020-11-04T09:31:17.546Z""#).unwrap();
/// let without: DateTime = serde_json::from_str(r#""2020-11-04T09:31:17.546""#).unwrap();
/// assert_eq!(with_zone, without);
/// assert_eq!(serde_json::to_string(&without).unwrap(), r#""2020-11-04T09:31:17.546Z""#);
/// assert_eq!(with_zone.timestamp(), 1_604_482_277);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(pub chrono::DateTime<Utc>);

impl DateTime {
    /// The current time.
    pub fn now() -> Self {
        DateTime(Utc::now())
    }

    /// The chrono value.
    pub fn into_inner(self) -> chrono::DateTime<Utc> {
        self.0
    }
}

impl Deref for DateTime {
    type Target = chrono::DateTime<Utc>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(value: chrono::DateTime<Utc>) -> Self {
        DateTime(value)
    }
}

impl From<DateTime> for chrono::DateTime<Utc> {
    fn from(value: DateTime) -> Self {
        value.0
    }
}

impl fmt::Display for DateTime {
    /// RFC 3339 with `Z`, as sent on the wire.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

/// A text that is no timestamp this type reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an RFC 3339 date-time")]
pub struct ParseDateTimeError(String);

impl FromStr for DateTime {
    type Err = ParseDateTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Ok(parsed) = chrono::DateTime::parse_from_rfc3339(text) {
            return Ok(DateTime(parsed.with_timezone(&Utc)));
        }
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
            .map(|naive| DateTime(naive.and_utc()))
            .map_err(|_| ParseDateTimeError(text.to_owned()))
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_converted_to_utc_and_garbage_is_an_error() {
        let parsed: DateTime = "2021-01-15T02:00:00+02:00".parse().unwrap();
        assert_eq!(parsed.to_string(), "2021-01-15T00:00:00Z");
        assert!("2021-08-13 09.07.03 GMT".parse::<DateTime>().is_err());
        assert!(serde_json::from_str::<DateTime>("17").is_err());
    }
}
