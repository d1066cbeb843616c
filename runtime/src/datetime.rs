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
/// as UTC). It writes RFC 3339 with `Z` and as many fractional digits as it read
/// (so `...48.000Z` comes back as it came). It dereferences to
/// `chrono::DateTime<Utc>` for arithmetic and formatting; equality and order are
/// by instant.
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
#[derive(Debug, Clone, Copy)]
pub struct DateTime {
    instant: chrono::DateTime<Utc>,
    /// How many fractional-second digits to write.
    precision: SecondsFormat,
}

impl DateTime {
    /// A timestamp written with as many fractional digits as it needs.
    pub fn new(instant: chrono::DateTime<Utc>) -> Self {
        DateTime { instant, precision: SecondsFormat::AutoSi }
    }

    /// The current time.
    pub fn now() -> Self {
        DateTime::new(Utc::now())
    }

    /// The chrono value.
    pub fn into_inner(self) -> chrono::DateTime<Utc> {
        self.instant
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        self.instant == other.instant
    }
}

impl Eq for DateTime {}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DateTime {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.instant.cmp(&other.instant)
    }
}

impl std::hash::Hash for DateTime {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.instant.hash(state);
    }
}

/// The precision of the fractional seconds in `text` (`.546` → milliseconds).
fn precision_of(text: &str) -> SecondsFormat {
    let digits = text
        .split_once('.')
        .map(|(_, fraction)| fraction.chars().take_while(char::is_ascii_digit).count())
        .unwrap_or(0);
    match digits {
        0 => SecondsFormat::Secs,
        1..=3 => SecondsFormat::Millis,
        4..=6 => SecondsFormat::Micros,
        _ => SecondsFormat::Nanos,
    }
}

impl Deref for DateTime {
    type Target = chrono::DateTime<Utc>;

    fn deref(&self) -> &Self::Target {
        &self.instant
    }
}

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(value: chrono::DateTime<Utc>) -> Self {
        DateTime::new(value)
    }
}

impl From<DateTime> for chrono::DateTime<Utc> {
    fn from(value: DateTime) -> Self {
        value.instant
    }
}

impl fmt::Display for DateTime {
    /// RFC 3339 with `Z`, as sent on the wire.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.instant.to_rfc3339_opts(self.precision, true))
    }
}

/// A text that is no timestamp this type reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an RFC 3339 date-time")]
pub struct ParseDateTimeError(String);

impl FromStr for DateTime {
    type Err = ParseDateTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let precision = precision_of(text);
        if let Ok(parsed) = chrono::DateTime::parse_from_rfc3339(text) {
            return Ok(DateTime { instant: parsed.with_timezone(&Utc), precision });
        }
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
            .map(|naive| DateTime { instant: naive.and_utc(), precision })
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

    #[test]
    fn fractional_digits_survive_a_round_trip() {
        for text in [
            "2022-11-24T07:07:48.000Z",
            "2022-11-24T07:07:48Z",
            "2022-11-24T07:07:48.123456Z",
            "2022-11-24T07:07:48.5Z",
        ] {
            let expected = if text.ends_with(".5Z") { "2022-11-24T07:07:48.500Z" } else { text };
            assert_eq!(text.parse::<DateTime>().unwrap().to_string(), expected);
        }
    }
}
