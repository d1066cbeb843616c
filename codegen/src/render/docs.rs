//! Rustdoc from spec prose.
//!
//! Vendor descriptions are Markdown written for web pages. Copied as they are, an
//! indented block would become a doctest and `[name]` an intra-doc link, so both
//! are neutralised here; everything else is kept.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes, one per line of `text` (spec prose, sanitised).
pub(crate) fn doc_attrs(text: &str) -> TokenStream {
    trusted_doc_attrs(&sanitize(text))
}

/// `#[doc = "..."]` attributes for text the generator wrote itself (kept verbatim,
/// so its examples stay doctests).
pub(crate) fn trusted_doc_attrs(text: &str) -> TokenStream {
    let lines: Vec<String> =
        text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") }).collect();
    quote! { #( #[doc = #lines] )* }
}

/// Joins paragraphs, skipping empty ones.
pub(crate) fn paragraphs<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts.into_iter().map(str::trim).filter(|part| !part.is_empty()).collect::<Vec<_>>().join("\n\n")
}

pub(crate) fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for raw in text.replace("\r\n", "\n").replace('\r', "\n").replace('\t', "    ").lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            // Every fence is plain text: vendor examples are not Rust doctests.
            out.push(if in_fence { "```".to_owned() } else { "```text".to_owned() });
            in_fence = !in_fence;
        } else if in_fence {
            out.push(line.to_owned());
        } else {
            // Indentation would make a code block (a doctest); keep the words.
            out.push(escape_brackets(trimmed));
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    let text = out.join("\n");
    text.trim_matches('\n').to_owned()
}

/// `[word]` would be an intra-doc link; `[text](url)` is a real link and stays.
fn escape_brackets(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if c == '[' {
            let close = chars[index..].iter().position(|&c| c == ']').map(|offset| index + offset);
            let is_link = close.is_some_and(|close| chars.get(close + 1) == Some(&'('));
            if is_link {
                let close = close.expect("checked");
                out.extend(&chars[index..=close]);
                index = close + 1;
                continue;
            }
            out.push_str("\\[");
        } else if c == ']' {
            out.push_str("\\]");
        } else {
            out.push(c);
        }
        index += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_and_bare_brackets_are_neutralised() {
        let text = "Intro [see](https://x.y) and [note].\n\n    indented code\n```\nfenced\n```";
        assert_eq!(sanitize(text), "Intro [see](https://x.y) and \\[note\\].\n\nindented code\n```text\nfenced\n```");
    }
}
