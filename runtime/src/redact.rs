//! Credentials taken out of text before it is quoted in an error.
//!
//! Bodies from auth endpoints may carry tokens and secrets, even malformed or
//! failed ones. Known secret fields are replaced by `***`: as JSON keys when the
//! body is JSON, and as `key=value`, `key: value` or `"key":"value"` patterns in
//! any other text.

use serde_json::Value;

/// What stands in for a redacted value.
pub(crate) const REDACTED: &str = "***";

/// Key endings that mark a secret, compared lowercased with `_`, `-` and `.`
/// removed (so `access_token`, `accessToken` and `X-Api-Key` all match).
const SECRET_KEY_ENDINGS: &[&str] =
    &["token", "secret", "password", "passwd", "apikey", "assertion", "privatekey", "credential", "credentials"];

/// Whole keys that are secrets although they end otherwise.
const SECRET_KEYS: &[&str] = &["authorization", "pwd", "key", "bearer"];

/// Secret values shorter than this are not scrubbed from other text: a one- or
/// two-character value would match too much.
const SHORTEST_SCRUBBED_VALUE: usize = 4;

/// A text with its credentials replaced, and the values it replaced (to scrub
/// them from other text quoted alongside, such as a parser's message).
pub(crate) struct Redaction {
    text: String,
    found: Vec<String>,
}

impl Redaction {
    /// Redacts a body: structurally when it is JSON, by pattern otherwise.
    pub(crate) fn of_body(body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body);
        let mut found = Vec::new();
        let text = match serde_json::from_str::<Value>(&text) {
            Ok(mut json) => {
                redact_json(&mut json, &mut found);
                json.to_string()
            }
            Err(_) => redact_text(&text, &mut found),
        };
        found.retain(|value| value.chars().count() >= SHORTEST_SCRUBBED_VALUE);
        // Longest first, so that a value containing another is replaced whole.
        found.sort_by_key(|value| std::cmp::Reverse(value.len()));
        Self { text, found }
    }

    /// The body, redacted.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// `message` with every secret value of the body and every secret pattern replaced.
    pub(crate) fn scrub(&self, message: &str) -> String {
        let mut scrubbed = message.to_owned();
        for value in &self.found {
            scrubbed = scrubbed.replace(value.as_str(), REDACTED);
        }
        redact_text(&scrubbed, &mut Vec::new())
    }
}

/// Whether a field or parameter of this name holds a credential.
pub(crate) fn is_secret_key(key: &str) -> bool {
    let normalized: String =
        key.chars().filter(|c| !matches!(c, '_' | '-' | '.')).map(|c| c.to_ascii_lowercase()).collect();
    SECRET_KEYS.contains(&normalized.as_str()) || SECRET_KEY_ENDINGS.iter().any(|ending| normalized.ends_with(ending))
}

/// Replaces the values of secret keys, at any depth, and secret patterns inside strings.
fn redact_json(value: &mut Value, found: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                if is_secret_key(key) {
                    collect_leaves(field, found);
                    *field = Value::String(REDACTED.to_owned());
                } else {
                    redact_json(field, found);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| redact_json(item, found)),
        Value::String(text) => *text = redact_text(text, found),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Every string and number under a secret key: all of it is secret.
fn collect_leaves(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::String(text) => found.push(text.clone()),
        Value::Number(number) => found.push(number.to_string()),
        Value::Object(fields) => fields.values().for_each(|field| collect_leaves(field, found)),
        Value::Array(items) => items.iter().for_each(|item| collect_leaves(item, found)),
        Value::Null | Value::Bool(_) => {}
    }
}

/// Characters of a key in `key=value` text.
fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// Replaces the value after every secret key in free text.
fn redact_text(text: &str, found: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(is_key_char) {
        let (before, from_key) = rest.split_at(start);
        let key_len = from_key.find(|c| !is_key_char(c)).unwrap_or(from_key.len());
        let (key, after_key) = from_key.split_at(key_len);
        out.push_str(before);
        out.push_str(key);
        rest = after_key;
        if !is_secret_key(key) {
            continue;
        }
        if let Some((prefix_len, value_len)) = value_after_key(after_key, key.eq_ignore_ascii_case("bearer")) {
            out.push_str(&after_key[..prefix_len]);
            out.push_str(REDACTED);
            found.push(after_key[prefix_len..prefix_len + value_len].to_owned());
            rest = &after_key[prefix_len + value_len..];
        }
    }
    out.push_str(rest);
    out
}

/// Where the value after a key is, as (bytes before it, its length): after an
/// optional closing quote, `=` or `:` (or a space after `Bearer`), and an
/// optional opening quote. `None` when no value follows.
fn value_after_key(after_key: &str, space_separated: bool) -> Option<(usize, usize)> {
    let mut prefix = 0;
    if after_key.starts_with(['"', '\'']) {
        prefix += 1;
    }
    let blanks = leading_blanks(&after_key[prefix..]);
    prefix += blanks;
    if after_key[prefix..].starts_with(['=', ':']) {
        prefix += 1;
    } else if !(space_separated && blanks > 0) {
        return None;
    }
    prefix += leading_blanks(&after_key[prefix..]);
    let value = &after_key[prefix..];
    let value_len = match value.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            prefix += 1;
            quoted_len(&value[1..], quote)
        }
        _ => unquoted_len(value),
    };
    (value_len > 0).then_some((prefix, value_len))
}

/// The length of an unquoted value; an auth scheme (`Bearer abc`) takes the
/// credential after it along.
fn unquoted_len(value: &str) -> usize {
    let word_len =
        |text: &str| text.find(|c: char| c.is_whitespace() || "&,;}]\"'<>".contains(c)).unwrap_or(text.len());
    let first = word_len(value);
    let is_scheme = ["bearer", "basic"].iter().any(|scheme| value[..first].eq_ignore_ascii_case(scheme));
    match value[first..].strip_prefix(' ') {
        Some(credential) if is_scheme && word_len(credential) > 0 => first + 1 + word_len(credential),
        _ => first,
    }
}

/// Bytes of spaces and tabs at the start of `text`.
fn leading_blanks(text: &str) -> usize {
    text.len() - text.trim_start_matches([' ', '\t']).len()
}

/// The length of a quoted value up to its closing quote (or the end of a cut text).
fn quoted_len(text: &str, quote: char) -> usize {
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            c if c == quote && !escaped => return index,
            _ => escaped = false,
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted(body: &str) -> String {
        Redaction::of_body(body.as_bytes()).text().to_owned()
    }

    #[test]
    fn secret_keys_match_in_any_spelling() {
        for key in ["access_token", "ACCESS_TOKEN", "accessToken", "id-token", "client_secret", "X-Api-Key", "password"]
        {
            assert!(is_secret_key(key), "{key}");
        }
        for key in ["token_type", "expires_in", "scope", "error", "trackingId", "message"] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn json_secrets_are_replaced_at_any_depth_and_other_fields_kept() {
        let text = redacted(r#"{"token_type":"bearer","data":[{"Refresh_Token":{"v":"abcd1234"}}],"n":1}"#);
        assert_eq!(text, r#"{"data":[{"Refresh_Token":"***"}],"n":1,"token_type":"bearer"}"#);
    }

    #[test]
    fn patterns_in_text_are_replaced() {
        assert_eq!(redacted("a=1&access_token=abc.def-ghi&b=2"), "a=1&access_token=***&b=2");
        assert_eq!(redacted(r#"{"api_key" : "k\"ey", "x": 1"#), r#"{"api_key" : "***", "x": 1"#);
        assert_eq!(redacted("token: abcdef rejected"), "token: *** rejected");
        assert_eq!(redacted("Authorization: Bearer abcdef"), "Authorization: ***");
        assert_eq!(redacted("sent Bearer abcdef"), "sent Bearer ***");
        assert_eq!(redacted("a token was rejected"), "a token was rejected");
        assert_eq!(redacted("password='é€x'"), "password='***'");
    }

    #[test]
    fn other_text_is_scrubbed_of_the_bodys_secrets() {
        let redaction = Redaction::of_body(br#"{"access_token": 12345678, "expires_in": "soon"}"#);
        assert_eq!(redaction.scrub("invalid type: integer `12345678`"), "invalid type: integer `***`");
    }
}
