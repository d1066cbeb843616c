//! Response envelopes: a wrapper every success body of an API comes in, around
//! the operation's data.
//!
//! The core knows no vendor's envelope. An API names its envelope type in its
//! generator config; operations then return that type around their typed data,
//! and a list inside an envelope pages through [`Paginated`] for free.

use serde::de::DeserializeOwned;

use crate::pagination::{PageInfo, Paginated};

/// A wrapper around an operation's data that can hand out the data, its links
/// and its counts.
///
/// ```
/// use secgen_runtime::{Envelope, PageInfo, Paginated};
///
/// #[derive(serde::Deserialize)]
/// struct Wrapped<T> {
///     data: T,
///     next: Option<String>,
/// }
///
/// impl<T: serde::de::DeserializeOwned + Send + 'static> Envelope for Wrapped<T> {
///     type Data = T;
///     fn data(&self) -> &T { &self.data }
///     fn into_data(self) -> T { self.data }
///     fn page_info(&self) -> PageInfo { PageInfo { next_link: self.next.clone(), ..PageInfo::default() } }
/// }
///
/// let page: Wrapped<Vec<u8>> = serde_json::from_str(r#"{"data":[1,2],"next":"/items?offset=2"}"#).unwrap();
/// assert_eq!(page.items(), [1, 2]);
/// assert_eq!(Paginated::page_info(&page).next_link.as_deref(), Some("/items?offset=2"));
/// ```
pub trait Envelope: DeserializeOwned + Send + 'static {
    /// The operation's data.
    type Data;

    /// The data.
    fn data(&self) -> &Self::Data;

    /// Takes the data out.
    fn into_data(self) -> Self::Data;

    /// Links and counts, for a list inside the envelope.
    fn page_info(&self) -> PageInfo {
        PageInfo::default()
    }
}

/// A list in an envelope is a page: its items are the data.
impl<E, T> Paginated for E
where
    E: Envelope<Data = Vec<T>>,
    T: Send + 'static,
{
    type Item = T;

    fn items(&self) -> &[T] {
        self.data()
    }

    fn into_items(self) -> Vec<T> {
        self.into_data()
    }

    fn page_info(&self) -> PageInfo {
        Envelope::page_info(self)
    }
}
