//! List operations as streams of items across pages.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures::stream::{self, BoxStream, Stream, StreamExt};
use serde::de::DeserializeOwned;

use crate::client::ApiClient;
use crate::error::Result;
use crate::request::Request;
use crate::response::Response;

/// How an API pages through a list; chosen per operation by the generator.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum PageStyle {
    /// `limit` and `offset` query parameters; a page with fewer items than the
    /// limit (or none) is the last (Sophos Factory).
    LimitOffset {
        /// The name of the page-size parameter.
        limit: &'static str,
        /// The name of the offset parameter.
        offset: &'static str,
        /// The page size used when the request sets none.
        page_size: u64,
    },
}

impl PageStyle {
    /// `limit`/`offset` paging with the given parameter names and default page size.
    pub const fn limit_offset(limit: &'static str, offset: &'static str, page_size: u64) -> Self {
        PageStyle::LimitOffset { limit, offset, page_size }
    }

    /// Where the first page starts: taken from the request's own parameters.
    fn start(&self, request: &Request) -> PagePosition {
        match self {
            PageStyle::LimitOffset { offset, .. } => {
                PagePosition::Offset(request.query_value(offset).and_then(|text| text.parse().ok()).unwrap_or(0))
            }
        }
    }

    /// The request for the page at `position`.
    fn request_at(&self, template: &Request, position: &PagePosition) -> Request {
        let mut request = template.clone();
        match (self, position) {
            (PageStyle::LimitOffset { limit, offset, page_size }, PagePosition::Offset(at)) => {
                if request.query_value(limit).is_none() {
                    request.set_query(limit, page_size.to_string());
                }
                request.set_query(offset, at.to_string());
            }
        }
        request
    }

    /// What follows the page at `position` that held `item_count` items.
    fn after(&self, request: &Request, position: &PagePosition, item_count: usize) -> After {
        match (self, position) {
            (PageStyle::LimitOffset { limit, .. }, PagePosition::Offset(at)) => {
                let limit: u64 = request.query_value(limit).and_then(|text| text.parse().ok()).unwrap_or(u64::MAX);
                let resume = PagePosition::Offset(at + item_count as u64);
                let next = (item_count > 0 && item_count as u64 >= limit).then(|| resume.clone());
                After { next, resume }
            }
        }
    }
}

/// Where a page starts. Hand it back (through the operation's parameters) to
/// resume a listing later.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PagePosition {
    /// An item offset.
    Offset(u64),
}

struct After {
    /// The page to fetch now, if there is one.
    next: Option<PagePosition>,
    /// Where a later listing should start to see only newer items.
    resume: PagePosition,
}

/// A response body that holds one page of a list.
///
/// Generated list responses implement it by naming their items property.
pub trait Paginated: DeserializeOwned + Send + 'static {
    /// One element of the list.
    type Item: Send + 'static;

    /// The items on this page.
    fn items(&self) -> &[Self::Item];

    /// Takes the items out.
    fn into_items(self) -> Vec<Self::Item>;
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

    /// Where a later listing should start to continue after this page.
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

/// A stream of every item of a list operation, fetching pages as it goes.
///
/// It is a `Stream<Item = Result<Item>>`; [`Pager::pages`] gives the pages with
/// their metadata instead. An error ends the stream after it is yielded; the
/// [`Checkpoint`] tells where to resume.
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
        let pages = stream::try_unfold(Some(start), move |position| {
            let client = client.clone();
            let template = template.clone();
            let style = style.clone();
            async move {
                let Some(position) = position else { return Ok(None) };
                let request = style.request_at(&template, &position);
                let sent = request.clone();
                let response = client.send(request).await?.json::<R>()?;
                let After { next, resume } = style.after(&sent, &position, response.body().items().len());
                let following = next.clone();
                Ok(Some((Page { response, position, next, resume }, following)))
            }
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
