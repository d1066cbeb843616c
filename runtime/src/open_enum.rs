//! Reading the generated string enums, which keep values they do not know
//! (`Unknown(String)`) instead of failing: one visitor shared by all of them,
//! so that each enum only maps text to a variant.

use std::fmt;

use serde::Deserializer;
use serde::de::{Error, Visitor};

/// Reads a string and turns it into `T` with `from_wire` (borrowing the text
/// where the format allows, so known values are read without allocating).
pub fn deserialize<'de, D: Deserializer<'de>, T>(deserializer: D, from_wire: fn(&str) -> T) -> Result<T, D::Error> {
    struct WireText<T>(fn(&str) -> T);

    impl<T> Visitor<'_> for WireText<T> {
        type Value = T;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a string")
        }

        fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
            Ok((self.0)(value))
        }
    }

    deserializer.deserialize_str(WireText(from_wire))
}

#[cfg(test)]
mod tests {
    #[derive(Debug, PartialEq)]
    enum Color {
        Red,
        Unknown(String),
    }

    fn color(value: &str) -> Color {
        match value {
            "red" => Color::Red,
            other => Color::Unknown(other.to_owned()),
        }
    }

    #[test]
    fn known_and_unknown_values_read_and_other_types_are_errors() {
        let read = |json: &str| super::deserialize(&mut serde_json::Deserializer::from_str(json), color);
        assert_eq!(read(r#""red""#).unwrap(), Color::Red);
        assert_eq!(read(r#""mauve""#).unwrap(), Color::Unknown("mauve".into()));
        assert_eq!(read(r#""r\u0065d""#).unwrap(), Color::Red, "escaped text is read too");
        assert!(read("7").unwrap_err().to_string().contains("expected a string"));
    }
}
