//! A stubbed list cut into the page a request asks for, in the API's page style,
//! and what that page says about the next one.

use std::ops::Range;

use serde_json::{Map, Value};
use url::Url;

use super::{FakePaging, PageField};
use crate::PageStyle;

/// The page size of a style whose requests carry none (cursor feeds).
const CURSOR_PAGE_SIZE: usize = 100;

/// One page of a list: which items, and the page fields to write (`None`: leave out).
#[derive(Debug, PartialEq)]
pub(super) struct Page {
    pub(super) items: Range<usize>,
    pub(super) fields: Vec<(&'static str, Option<Value>)>,
}

/// The page `url` asks for of a list of `total` items; `page_size` is the stub's
/// largest page (a request asking for more gets this many, one naming none too).
/// An unreadable position is the error.
pub(super) fn page(paging: &FakePaging, url: &Url, total: usize, page_size: Option<usize>) -> Result<Page, String> {
    let query = |name: &str| url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned());
    let number = |name: &str| -> Result<Option<usize>, String> {
        query(name).map(|text| text.parse().map_err(|_| format!("`{name}` is not a number: `{text}`"))).transpose()
    };
    let size_of = |size: Option<&str>, default: u64| -> Result<usize, String> {
        let asked = match size {
            Some(size) => number(size)?,
            None => None,
        };
        let size = asked.unwrap_or(default as usize).min(page_size.unwrap_or(usize::MAX));
        Ok(size.max(1))
    };
    let (start, size) = match &paging.style {
        PageStyle::LimitOffset { limit, offset, page_size } => {
            (number(offset)?.unwrap_or(0), size_of(Some(limit), *page_size)?)
        }
        PageStyle::PageKey { key, size, page_size } => (position(query(key), 'k')?, size_of(*size, *page_size)?),
        PageStyle::PageNumber { page, size, page_size } => {
            let size = size_of(*size, *page_size)?;
            let number = number(page)?.unwrap_or(1).max(1);
            ((number - 1) * size, size)
        }
        PageStyle::Cursor { cursor, .. } => {
            (position(query(cursor), 'c')?, page_size.unwrap_or(CURSOR_PAGE_SIZE).max(1))
        }
    };
    let items = start.min(total)..(start + size).min(total);
    let fields = paging
        .fields
        .iter()
        .map(|(field, path)| (*path, field_value(*field, url, &paging.style, &items, size, total)))
        .collect();
    Ok(Page { items, fields })
}

/// What one page field says for a page ending at `end`.
fn field_value(
    field: PageField,
    url: &Url,
    style: &PageStyle,
    items: &Range<usize>,
    size: usize,
    total: usize,
) -> Option<Value> {
    let (end, more, pages) = (items.end, items.end < total, total.div_ceil(size).max(1));
    match field {
        PageField::NextKey => more.then(|| Value::from(format!("k{end}"))),
        // A cursor feed always hands out where to resume, also after its last page.
        PageField::NextCursor => Some(Value::from(format!("c{end}"))),
        PageField::HasMore => Some(Value::from(more)),
        PageField::TotalItems => Some(Value::from(total)),
        PageField::TotalPages => Some(Value::from(pages)),
        PageField::CurrentPage => Some(Value::from(items.start / size + 1)),
        PageField::NextLink => more.then(|| Value::from(next_link(url, style, end, size))),
    }
}

/// The request's URL with the next offset and the page size.
fn next_link(url: &Url, style: &PageStyle, end: usize, size: usize) -> String {
    let PageStyle::LimitOffset { limit, offset, .. } = style else { return url.to_string() };
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != limit && key != offset)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    let mut next = url.clone();
    next.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair(limit, &size.to_string())
        .append_pair(offset, &end.to_string());
    next.to_string()
}

/// The item offset a page key or cursor the fake handed out stands for.
fn position(token: Option<String>, prefix: char) -> Result<usize, String> {
    match token {
        None => Ok(0),
        Some(token) => token
            .strip_prefix(prefix)
            .and_then(|offset| offset.parse().ok())
            .ok_or_else(|| format!("`{token}` is not a page position this fake handed out")),
    }
}

/// Sets the value at a dotted path (`pages.nextKey`), making objects on the way.
pub(super) fn set(body: &mut Value, path: &str, value: Value) {
    let mut node = body;
    let mut steps = path.split('.').peekable();
    while let Some(step) = steps.next() {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        let object = node.as_object_mut().expect("made an object above");
        if steps.peek().is_none() {
            object.insert(step.to_owned(), value);
            return;
        }
        node = object.entry(step).or_insert_with(|| Value::Object(Map::new()));
    }
}

/// Removes the value at a dotted path, if it is there.
pub(super) fn remove(body: &mut Value, path: &str) {
    let (parent, last) = match path.rsplit_once('.') {
        Some((parent, last)) => (body.pointer_mut(&format!("/{}", parent.replace('.', "/"))), last),
        None => (Some(body), path),
    };
    if let Some(Value::Object(object)) = parent {
        object.remove(last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paging(style: PageStyle, fields: &'static [(PageField, &'static str)]) -> FakePaging {
        FakePaging { style, items: "items", fields }
    }

    fn url(query: &str) -> Url {
        Url::parse(&format!("http://127.0.0.1:1/v1/events?{query}")).unwrap()
    }

    #[test]
    fn limit_offset_pages_link_to_the_next_offset_while_items_remain() {
        let paging =
            paging(PageStyle::limit_offset("limit", "offset", 500), &[(PageField::NextLink, "metadata.links.next")]);
        let first = page(&paging, &url("limit=2&since=x"), 5, None).unwrap();
        assert_eq!(first.items, 0..2);
        assert_eq!(
            first.fields,
            [("metadata.links.next", Some(json!("http://127.0.0.1:1/v1/events?since=x&limit=2&offset=2")))]
        );
        let last = page(&paging, &url("limit=2&offset=4"), 5, None).unwrap();
        assert_eq!((last.items, last.fields), (4..5, vec![("metadata.links.next", None)]));
        assert_eq!(page(&paging, &url(""), 5, None).unwrap().items, 0..5, "the style's page size");
    }

    #[test]
    fn page_keys_and_cursors_are_offsets_the_fake_reads_back() {
        let keys =
            paging(PageStyle::page_key("pageFromKey", Some("pageSize"), 100), &[(PageField::NextKey, "pages.nextKey")]);
        let first = page(&keys, &url("pageSize=3"), 7, None).unwrap();
        assert_eq!(first.fields, [("pages.nextKey", Some(json!("k3")))]);
        assert_eq!(page(&keys, &url("pageSize=3&pageFromKey=k6"), 7, None).unwrap().items, 6..7);
        assert!(page(&keys, &url("pageFromKey=zz"), 7, None).unwrap_err().contains("`zz`"));

        let cursor = paging(
            PageStyle::cursor("cursor", &[]),
            &[(PageField::NextCursor, "next_cursor"), (PageField::HasMore, "has_more")],
        );
        let last = page(&cursor, &url("cursor=c2"), 3, Some(2)).unwrap();
        assert_eq!(last.items, 2..3);
        assert_eq!(last.fields, [("next_cursor", Some(json!("c3"))), ("has_more", Some(json!(false)))]);
    }

    #[test]
    fn page_numbers_report_the_current_and_total_pages() {
        let numbers = paging(
            PageStyle::page_number("page", Some("pageSize"), 100),
            &[(PageField::CurrentPage, "pages.current"), (PageField::TotalPages, "pages.total")],
        );
        let second = page(&numbers, &url("page=2&pageSize=2"), 5, None).unwrap();
        assert_eq!(second.items, 2..4);
        assert_eq!(second.fields, [("pages.current", Some(json!(2))), ("pages.total", Some(json!(3)))]);
    }

    #[test]
    fn dotted_paths_are_set_and_removed() {
        let mut body = json!({"pages": {"size": 2}});
        set(&mut body, "pages.nextKey", json!("k2"));
        set(&mut body, "items", json!([1]));
        assert_eq!(body, json!({"pages": {"size": 2, "nextKey": "k2"}, "items": [1]}));
        remove(&mut body, "pages.nextKey");
        remove(&mut body, "missing.path");
        assert_eq!(body, json!({"pages": {"size": 2}, "items": [1]}));
    }
}
