//! The runtime every generated security API client depends on.
//!
//! Generated crates contain types and one method per operation; everything else
//! lives here, written once: configuration ([`ClientBuilder`]), credentials
//! ([`Auth`], [`Secret`]), sending and decoding ([`ApiClient`], [`Response`]),
//! errors with the vendor's error body parsed ([`Error`], [`VendorError`]),
//! partial updates ([`Patch`]) and pagination as streams ([`Pager`]).

mod auth;
mod client;
mod error;
mod error_body;
mod pagination;
mod patch;
mod request;
mod response;
mod secret;
pub mod sophos_factory;
pub mod union;

pub use auth::Auth;
pub use client::{ApiClient, ApiInfo, BaseUrl, ClientBuilder};
pub use error::{ApiError, Error, Result};
pub use error_body::{ErrorFormat, GenericErrorBody, VendorError};
pub use pagination::{Checkpoint, Page, PagePosition, PageStyle, Pager, Paginated};
pub use patch::Patch;
pub use request::{ArrayStyle, Method, ParamValue, Request};
pub use response::{RawResponse, Response};
pub use secret::Secret;

pub use bytes::Bytes;
pub use chrono;
pub use futures;
pub use reqwest::StatusCode;
pub use reqwest::header::HeaderMap;
pub use serde_json;

/// An OpenAPI `date-time`: a UTC timestamp.
pub type DateTime = chrono::DateTime<chrono::Utc>;

/// An OpenAPI `date`: a calendar date.
pub type Date = chrono::NaiveDate;
