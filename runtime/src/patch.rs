//! The tri-state value of a field in a partial update.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One field of a partial update: leave it as it is, unset it, or set it.
///
/// Generated update bodies hold their optional fields as `Patch<T>`: a field left
/// as [`Patch::Leave`] is not sent at all, [`Patch::Unset`] is sent as JSON `null`
/// (which the server takes as "remove this value"), and [`Patch::Set`] sends the
/// value. Fields must carry `#[serde(default, skip_serializing_if = "Patch::is_leave")]`,
/// as generated code does.
///
/// ```
/// use secgen_runtime::Patch;
///
/// #[derive(serde::Serialize, Default)]
/// struct PipelineUpdate {
///     #[serde(default, skip_serializing_if = "Patch::is_leave")]
///     name: Patch<String>,
///     #[serde(default, skip_serializing_if = "Patch::is_leave")]
///     summary: Patch<String>,
///     #[serde(default, skip_serializing_if = "Patch::is_leave")]
///     pinned: Patch<bool>,
/// }
///
/// let update = PipelineUpdate {
///     name: Patch::Set("nightly".into()),
///     summary: Patch::Unset,
///     ..Default::default()
/// };
/// assert_eq!(
///     serde_json::to_string(&update).unwrap(),
///     r#"{"name":"nightly","summary":null}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Patch<T> {
    /// Not sent: the server keeps the current value.
    #[default]
    Leave,
    /// Sent as `null`: the server removes the value.
    Unset,
    /// Sent as the given value.
    Set(T),
}

impl<T> Patch<T> {
    /// True for [`Patch::Leave`]; used by `skip_serializing_if`.
    pub fn is_leave(&self) -> bool {
        matches!(self, Patch::Leave)
    }

    /// The value to be set, if any.
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Patch::Set(value) => Some(value),
            Patch::Leave | Patch::Unset => None,
        }
    }
}

impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Patch::Set(value)
    }
}

impl<T> From<Option<T>> for Patch<T> {
    /// `Some` sets the value, `None` unsets it.
    fn from(value: Option<T>) -> Self {
        value.map_or(Patch::Unset, Patch::Set)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Set(value) => value.serialize(serializer),
            Patch::Leave | Patch::Unset => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    /// `null` reads as [`Patch::Unset`], a value as [`Patch::Set`]; an absent field
    /// reads as [`Patch::Leave`] through `#[serde(default)]`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Default, Debug, PartialEq)]
    struct Body {
        #[serde(default, skip_serializing_if = "Patch::is_leave")]
        a: Patch<u32>,
        #[serde(default, skip_serializing_if = "Patch::is_leave")]
        b: Patch<u32>,
        #[serde(default, skip_serializing_if = "Patch::is_leave")]
        c: Patch<u32>,
    }

    #[test]
    fn leave_is_omitted_unset_is_null_set_is_value() {
        let body = Body { a: Patch::Leave, b: Patch::Unset, c: Patch::Set(3) };
        assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"b":null,"c":3}"#);
    }

    #[test]
    fn round_trips_through_json() {
        let body: Body = serde_json::from_str(r#"{"b":null,"c":3}"#).unwrap();
        assert_eq!(body, Body { a: Patch::Leave, b: Patch::Unset, c: Patch::Set(3) });
    }
}
