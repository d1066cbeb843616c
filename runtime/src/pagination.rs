//! List operations as streams of items across pages.
//!
//! A list operation's first request is built by generated code as usual; the
//! [`PageStyle`] says which of its parameters move from page to page, and the
//! response's [`PageInfo`] says where the next page is. Everything else (ending,
//! refusing loops, following links safely, resuming) is here, once.

use std::collections::HashSet;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures::stream::{self, BoxStream, Stream, StreamExt};
use serde::de::DeserializeOwned;
use url::Url;

use crate::client::ApiClient;
use crate::error::{Error, Result};
use crate::request::Request;
use crate::response::Response;

/// How an API pages through a list; chosen per operation by the generator.
///
/// ```no_run
/// # async fn demo(client: secgen_runtime::ApiClient) {
/// use secgen_runtime::{Method, PageStyle, Request};
///
/// # #[derive(serde::Deserialize)] struct Events { items: Vec<serde_json::Value> }
/// # impl secgen_runtime::Paginated for Events {
/// #     type Item = serde_json::Value;
/// #     fn items(&self) -> &[serde_json::Value] { &self.items }
/// #     fn into_items(self) -> Vec<serde_json::Value> { self.items }
/// # }
/// // 500 per page, `limit` and `offset` parameters, a short page is the last.
/// let first = Request::new(Method::GET, "listEvents", "/events");
/// let events = client.paginate::<Events>(first, PageStyle::limit_offset("limit", "offset", 500));
/// # let _ = events;
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum PageStyle {
    /// `limit` and `offset` parameters. A page whose response hands out a next
    /// link ([`PageInfo::next_link`], same origin only) is followed by that link;
    /// otherwise the next page starts at the next offset. The listing ends at an
    /// empty page, once [`PageInfo::total_items`] items were seen, or, with no
    /// link, at a page with fewer items than the limit. A page identical to the
    /// one before (a server that ignores `offset`) ends it with an error.
    LimitOffset {
        /// The page-size parameter.
        limit: &'static str,
        /// The offset parameter.
        offset: &'static str,
        /// The page size used when the request sets none.
        page_size: u64,
    },
    /// An opaque key from the response ([`PageInfo::next_key`]) sent back in a
    /// parameter; no key means the last page (`pageFromKey` and `nextKey`, say).
    PageKey {
        /// The parameter carrying the key.
        key: &'static str,
        /// The page-size parameter, if the operation has one.
        size: Option<&'static str>,
        /// The page size used when the request sets none.
        page_size: u64,
    },
    /// Page numbers from 1; it ends at [`PageInfo::total_pages`] or at an empty
    /// page.
    PageNumber {
        /// The page-number parameter.
        page: &'static str,
        /// The page-size parameter, if the operation has one.
        size: Option<&'static str>,
        /// The page size used when the request sets none.
        page_size: u64,
    },
    /// A cursor from the response ([`PageInfo::next_cursor`]) sent back while
    /// [`PageInfo::has_more`]; the last cursor is the resume point for the next
    /// poll (SIEM event feeds).
    Cursor {
        /// The parameter carrying the cursor.
        cursor: &'static str,
        /// Parameters the server ignores once a cursor is sent (e.g. `from_date`).
        replaces: &'static [&'static str],
    },
}

impl PageStyle {
    /// `limit`/`offset` paging, following next links where the response has them.
    pub const fn limit_offset(limit: &'static str, offset: &'static str, page_size: u64) -> Self {
        PageStyle::LimitOffset { limit, offset, page_size }
    }

    /// Opaque page keys.
    pub const fn page_key(key: &'static str, size: Option<&'static str>, page_size: u64) -> Self {
        PageStyle::PageKey { key, size, page_size }
    }

    /// Page numbers from 1.
    pub const fn page_number(page: &'static str, size: Option<&'static str>, page_size: u64) -> Self {
        PageStyle::PageNumber { page, size, page_size }
    }

    /// Cursors with `has_more`.
    pub const fn cursor(cursor: &'static str, replaces: &'static [&'static str]) -> Self {
        PageStyle::Cursor { cursor, replaces }
    }

    /// The page-size parameter and its default, if the style has one.
    fn page_size(&self) -> Option<(&'static str, u64)> {
        match self {
            PageStyle::LimitOffset { limit, page_size, .. } => Some((limit, *page_size)),
            PageStyle::PageKey { size, page_size, .. } | PageStyle::PageNumber { size, page_size, .. } => {
                size.map(|size| (size, *page_size))
            }
            PageStyle::Cursor { .. } => None,
        }
    }

    /// Where the first page starts: taken from the request's own parameters.
    fn start(&self, request: &Request) -> PagePosition {
        let number = |name: &str| request.query_value(name).and_then(|text| text.parse().ok());
        let text = |name: &str| request.query_value(name).map(str::to_owned);
        match self {
            PageStyle::LimitOffset { offset, .. } => PagePosition::Offset(number(offset).unwrap_or(0)),
            PageStyle::PageKey { key, .. } => text(key).map_or(PagePosition::First, PagePosition::Key),
            PageStyle::PageNumber { page, .. } => PagePosition::Number(number(page).unwrap_or(1)),
            PageStyle::Cursor { cursor, .. } => text(cursor).map_or(PagePosition::First, PagePosition::Cursor),
        }
    }

    /// The request for the page at `position`.
    fn request_at(&self, template: &Request, position: &PagePosition, base_url: &Url) -> Result<Request> {
        let mut request = template.clone();
        if let Some((size, default)) = self.page_size()
            && request.query_value(size).is_none()
        {
            request.set_query(size, default.to_string());
        }
        match (self, position) {
            (_, PagePosition::First) => {}
            (PageStyle::LimitOffset { offset, .. }, PagePosition::Offset(at)) => {
                request.set_query(offset, at.to_string())
            }
            (PageStyle::PageKey { key, .. }, PagePosition::Key(value)) => request.set_query(key, value.clone()),
            (PageStyle::PageNumber { page, .. }, PagePosition::Number(number)) => {
                request.set_query(page, number.to_string())
            }
            (PageStyle::Cursor { cursor, replaces }, PagePosition::Cursor(value)) => {
                for name in *replaces {
                    request.remove_query(name);
                }
                request.set_query(cursor, value.clone());
            }
            (_, PagePosition::Link(link)) => {
                request.absolute_url = Some(same_origin(template.operation, base_url, link)?)
            }
            (style, position) => {
                return Err(Error::Pagination {
                    operation: template.operation,
                    message: format!("position {position} does not apply to {style:?}"),
                });
            }
        }
        Ok(request)
    }

    /// What follows a page: the page to fetch now, and where a later listing resumes.
    fn after(&self, sent: &Request, position: &PagePosition, page: &PageSummary) -> After {
        let count = page.item_count as u64;
        match self {
            PageStyle::LimitOffset { limit, .. } => {
                let limit = sent.query_value(limit).and_then(|text| text.parse().ok()).unwrap_or(u64::MAX);
                let seen = page.items_before + count;
                let resume = PagePosition::Offset(page.start_offset + seen);
                let complete = count == 0 || page.info.total_items.is_some_and(|total| seen >= total);
                let next = match &page.info.next_link {
                    _ if complete => None,
                    Some(link) => Some(PagePosition::Link(link.clone())),
                    // Without a link, only a total that is not reached yet or a full page says more follow.
                    None if page.info.total_items.is_some() || count >= limit => Some(resume.clone()),
                    None => None,
                };
                After { next, resume }
            }
            PageStyle::PageKey { .. } => {
                let next = page.info.next_key.clone().filter(|key| !key.is_empty()).map(PagePosition::Key);
                After { resume: next.clone().unwrap_or_else(|| position.clone()), next }
            }
            PageStyle::PageNumber { .. } => {
                let current = page.info.current_page.or(position.number()).unwrap_or(1);
                let beyond_total = page.info.total_pages.is_some_and(|total| current >= total);
                let next = (count > 0 && !beyond_total).then_some(PagePosition::Number(current + 1));
                After { resume: PagePosition::Number(current + 1), next }
            }
            PageStyle::Cursor { .. } => {
                let cursor =
                    page.info.next_cursor.clone().filter(|cursor| !cursor.is_empty()).map(PagePosition::Cursor);
                let next = if page.info.has_more.unwrap_or(count > 0) { cursor.clone() } else { None };
                After { resume: cursor.unwrap_or_else(|| position.clone()), next }
            }
        }
    }
}

/// Where a page starts. Hand it back through the operation's parameters (offset,
/// page key, page number or cursor) to resume a listing later.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PagePosition {
    /// The first page, as the request describes it.
    First,
    /// An item offset.
    Offset(u64),
    /// An opaque page key.
    Key(String),
    /// A page number.
    Number(u64),
    /// A cursor.
    Cursor(String),
    /// A next link (same origin as the client's base URL).
    Link(String),
}

impl PagePosition {
    fn offset(&self) -> Option<u64> {
        match self {
            PagePosition::Offset(offset) => Some(*offset),
            _ => None,
        }
    }

    fn number(&self) -> Option<u64> {
        match self {
            PagePosition::Number(number) => Some(*number),
            _ => None,
        }
    }
}

impl fmt::Display for PagePosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PagePosition::First => f.write_str("the first page"),
            PagePosition::Offset(offset) => write!(f, "offset {offset}"),
            PagePosition::Key(key) => write!(f, "page key `{key}`"),
            PagePosition::Number(number) => write!(f, "page {number}"),
            PagePosition::Cursor(cursor) => write!(f, "cursor `{cursor}`"),
            PagePosition::Link(link) => write!(f, "link `{link}`"),
        }
    }
}

/// What a response says about paging; each style reads the fields it needs.
///
/// Build it with `..PageInfo::default()` for the fields a style does not use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// The key of the next page (page-key style).
    pub next_key: Option<String>,
    /// This page's number (page-number style).
    pub current_page: Option<u64>,
    /// The number of pages (page-number style).
    pub total_pages: Option<u64>,
    /// The cursor to continue from (cursor style).
    pub next_cursor: Option<String>,
    /// Whether more items follow (cursor style).
    pub has_more: Option<bool>,
    /// The next page's URL (next-link style).
    pub next_link: Option<String>,
    /// The number of items across all pages, when the server says.
    pub total_items: Option<u64>,
}

impl PageInfo {
    /// Page-key information.
    pub fn next_key(next_key: Option<String>) -> Self {
        Self { next_key, ..Self::default() }
    }

    /// Page-number information.
    pub fn page_number(current_page: Option<u64>, total_pages: Option<u64>) -> Self {
        Self { current_page, total_pages, ..Self::default() }
    }

    /// Cursor information.
    pub fn cursor(next_cursor: Option<String>, has_more: Option<bool>) -> Self {
        Self { next_cursor, has_more, ..Self::default() }
    }
}

/// A response body that holds one page of a list.
///
/// Generated list responses implement it by naming their items property and,
/// for styles that need it, where the paging fields are.
///
/// ```
/// use secgen_runtime::{PageInfo, Paginated};
///
/// #[derive(serde::Deserialize)]
/// struct Alerts {
///     items: Vec<String>,
///     next_key: Option<String>,
/// }
///
/// impl Paginated for Alerts {
///     type Item = String;
///     fn items(&self) -> &[String] { &self.items }
///     fn into_items(self) -> Vec<String> { self.items }
///     fn page_info(&self) -> PageInfo { PageInfo::next_key(self.next_key.clone()) }
/// }
/// ```
pub trait Paginated: DeserializeOwned + Send + 'static {
    /// One element of the list.
    type Item: Send + 'static;

    /// The items on this page.
    fn items(&self) -> &[Self::Item];

    /// Takes the items out.
    fn into_items(self) -> Vec<Self::Item>;

    /// Where the next page is; limit/offset paging needs nothing.
    fn page_info(&self) -> PageInfo {
        PageInfo::default()
    }
}

/// One page: the whole response, where it started and what follows.
#[derive(Debug)]
pub struct Page<R> {
    response: Response<R>,
    position: PagePosition,
    next: Option<PagePosition>,
    resume: PagePosition,
}

impl<R: Paginated> Page<R> {
    /// The full response, with status, headers and every property of the body.
    pub fn response(&self) -> &Response<R> {
        &self.response
    }

    /// The items on this page.
    pub fn items(&self) -> &[R::Item] {
        self.response.body().items()
    }

    /// Takes the items out.
    pub fn into_items(self) -> Vec<R::Item> {
        self.response.into_inner().into_items()
    }

    /// Where this page started.
    pub fn position(&self) -> &PagePosition {
        &self.position
    }

    /// Where the next page starts; `None` on the last page.
    pub fn next(&self) -> Option<&PagePosition> {
        self.next.as_ref()
    }

    /// Where a later listing should start to continue after this page (for a
    /// cursor-style list, the last cursor: the resume point for the next poll).
    pub fn resume(&self) -> &PagePosition {
        &self.resume
    }
}

/// The position to resume from, updated as a [`Pager`] is consumed.
///
/// It moves past a page only once every item of that page has been yielded, so
/// after an error (or after stopping early between pages) nothing is skipped.
#[derive(Debug, Clone, Default)]
pub struct Checkpoint(Arc<Mutex<Option<PagePosition>>>);

impl Checkpoint {
    /// The position after the last fully consumed page; `None` before the first.
    pub fn get(&self) -> Option<PagePosition> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    fn set(&self, position: PagePosition) {
        *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(position);
    }
}

/// What the paging logic needs to know about a fetched page.
struct PageSummary {
    item_count: usize,
    info: PageInfo,
    /// The offset the listing started at (next-link style).
    start_offset: u64,
    /// Items on the pages before this one.
    items_before: u64,
}

struct After {
    /// The page to fetch now, if there is one.
    next: Option<PagePosition>,
    /// Where a later listing should start to see only newer items.
    resume: PagePosition,
}

/// Where the page stream is between pages.
struct Cursor {
    client: ApiClient,
    template: Request,
    style: PageStyle,
    next: Option<PagePosition>,
    /// An error to end with once the page that revealed it has been yielded.
    stop: Option<Error>,
    seen: HashSet<PagePosition>,
    /// A fingerprint of the last page's body, to notice a server that ignores
    /// the paging parameters and sends the same page again.
    previous_body: Option<u64>,
    start_offset: u64,
    items_before: u64,
}

/// A stream of every item of a list operation, fetching pages as it goes.
///
/// It is a `Stream<Item = Result<Item>>`; [`Pager::pages`] gives the pages with
/// their metadata instead. Each page request is retried like any request; when
/// one finally fails, the stream yields the error and ends, and the
/// [`Checkpoint`] tells where to resume. A server that sends the same page token,
/// link or offset twice ends the stream with [`Error::Pagination`] rather than
/// looping, and a next link to another origin is refused (credentials are never
/// sent there).
///
/// ```no_run
/// # use futures::TryStreamExt;
/// # async fn demo<R: secgen_runtime::Paginated>(pager: secgen_runtime::Pager<R>) -> secgen_runtime::Result<()>
/// # where R::Item: std::fmt::Debug {
/// let checkpoint = pager.checkpoint();
/// let items: Vec<_> = pager.try_collect().await?;
/// println!("{} items; next time start at {:?}", items.len(), checkpoint.get());
/// # Ok(()) }
/// ```
pub struct Pager<R: Paginated> {
    pages: BoxStream<'static, Result<Page<R>>>,
    buffered: std::vec::IntoIter<R::Item>,
    /// The resume position of the buffered page, committed once it is drained.
    pending: Option<PagePosition>,
    checkpoint: Checkpoint,
}

impl<R: Paginated> Pager<R> {
    pub(crate) fn new(client: ApiClient, template: Request, style: PageStyle) -> Self {
        let start = style.start(&template);
        let start_offset = start.offset().unwrap_or(0);
        let cursor = Cursor {
            client,
            template,
            style,
            next: Some(start),
            stop: None,
            seen: HashSet::new(),
            previous_body: None,
            start_offset,
            items_before: 0,
        };
        let pages = stream::try_unfold(cursor, |mut cursor| async move {
            if let Some(error) = cursor.stop.take() {
                return Err(error);
            }
            let Some(position) = cursor.next.take() else { return Ok(None) };
            let page = cursor.fetch(position).await?;
            Ok(Some((page, cursor)))
        });
        Self {
            pages: pages.boxed(),
            buffered: Vec::new().into_iter(),
            pending: None,
            checkpoint: Checkpoint::default(),
        }
    }

    /// A handle on the resume position, readable while and after streaming.
    pub fn checkpoint(&self) -> Checkpoint {
        self.checkpoint.clone()
    }

    /// The pages themselves, each with its full response.
    pub fn pages(self) -> impl Stream<Item = Result<Page<R>>> + Send + 'static {
        let checkpoint = self.checkpoint;
        self.pages.inspect(move |page| {
            if let Ok(page) = page {
                checkpoint.set(page.resume.clone());
            }
        })
    }
}

impl Cursor {
    async fn fetch<R: Paginated>(&mut self, position: PagePosition) -> Result<Page<R>> {
        self.seen.insert(position.clone());
        let request = self.style.request_at(&self.template, &position, self.client.base_url())?;
        let sent = request.clone();
        let raw = self.client.send(request).await?;
        let body = fingerprint(raw.body());
        if self.previous_body.replace(body) == Some(body) {
            return Err(Error::Pagination {
                operation: self.template.operation,
                message: format!(
                    "the page at {position} is the same as the page before (does the server ignore the paging \
                     parameters?); stopping instead of looping"
                ),
            });
        }
        let response = raw.json::<R>()?;
        let summary = PageSummary {
            item_count: response.body().items().len(),
            info: response.body().page_info(),
            start_offset: self.start_offset,
            items_before: self.items_before,
        };
        let After { mut next, resume } = self.style.after(&sent, &position, &summary);
        if let Some(repeated) = next.take_if(|next| self.seen.contains(next)) {
            // This page is good; the error comes after its items.
            self.stop = Some(Error::Pagination {
                operation: self.template.operation,
                message: format!("the server sent {repeated} again; stopping instead of looping"),
            });
        }
        self.items_before += summary.item_count as u64;
        self.next = next.clone();
        Ok(Page { response, position, next, resume })
    }
}

fn fingerprint(body: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    hasher.finish()
}

/// A next link, if it is on the base URL's origin (scheme, host and port).
fn same_origin(operation: &'static str, base_url: &Url, link: &str) -> Result<Url> {
    let url = base_url.join(link).map_err(|error| Error::Pagination {
        operation,
        message: format!("the next link `{link}` is not a URL ({error})"),
    })?;
    if url.origin() != base_url.origin() {
        return Err(Error::Pagination {
            operation,
            message: format!(
                "the next link `{url}` is on another origin than {}; not followed, so no credentials were sent there",
                base_url.origin().ascii_serialization()
            ),
        });
    }
    Ok(url)
}

impl<R: Paginated> fmt::Debug for Pager<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pager")
            .field("buffered_items", &self.buffered.len())
            .field("checkpoint", &self.checkpoint.get())
            .finish_non_exhaustive()
    }
}

// No field is ever pinned: the page stream is boxed and the buffer is a plain iterator.
impl<R: Paginated> Unpin for Pager<R> {}

impl<R: Paginated> Stream for Pager<R> {
    type Item = Result<R::Item>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(resume) = this.pending.take() {
                this.checkpoint.set(resume);
            }
            match this.pages.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(page))) => {
                    this.pending = Some(page.resume);
                    this.buffered = page.response.into_inner().into_items().into_iter();
                }
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pager_debugs_as_its_position() {
        #[derive(serde::Deserialize)]
        struct Items {
            items: Vec<u32>,
        }
        impl Paginated for Items {
            type Item = u32;
            fn items(&self) -> &[u32] {
                &self.items
            }
            fn into_items(self) -> Vec<u32> {
                self.items
            }
        }
        static API: crate::ApiInfo = crate::ApiInfo::new("items", "1.0.0");
        let client =
            crate::ClientBuilder::<ApiClient>::new(&API).base_url("https://api.example.com").build_api_client();
        let pager: Pager<Items> = client.unwrap().paginate(
            Request::new(crate::Method::GET, "listItems", "/items"),
            PageStyle::page_key("pageFromKey", None, 10),
        );
        assert_eq!(format!("{pager:?}"), "Pager { buffered_items: 0, checkpoint: None, .. }");
    }

    #[test]
    fn links_to_other_origins_are_refused() {
        let base = Url::parse("https://api.example.com/v1").unwrap();
        assert!(same_origin("op", &base, "https://api.example.com/v1/events?offset=500").is_ok());
        assert!(same_origin("op", &base, "/v1/events?offset=500").is_ok());
        for foreign in
            ["https://evil.example/v1/events", "http://api.example.com/v1/events", "https://api.example.com:8443/v1"]
        {
            let error = same_origin("op", &base, foreign).unwrap_err();
            assert!(error.to_string().contains("another origin"), "{error}");
        }
    }
}
