//! The runtime every generated security API client depends on.
//!
//! Generated crates contain types and one method per operation; everything else
//! lives here, written once:
//! - configuration: [`ClientBuilder`], [`ApiInfo`], [`BaseUrl`];
//! - credentials: [`Auth`] (bearer, HTTP Basic, OAuth2 [`ClientCredentials`]), [`Secret`];
//! - sending: [`ApiClient`] with retries ([`RetryPolicy`]), rate limits ([`RateLimit`]),
//!   hooks ([`Hook`]), timeouts and `tracing` spans;
//! - results: [`Response`], and [`Error`] with the vendor's error body (any [`ErrorBody`]);
//! - bodies: partial updates ([`Patch`]), envelopes (any [`Envelope`]), unions ([`union`]);
//! - lists: [`Pager`], a stream of items across pages in any [`PageStyle`];
//! - long-running jobs: [`Job`], started, polled until finished within a [`JobWait`].
//!
//! The runtime names no vendor. What one vendor does differently (its regions,
//! error body, envelope, routing) lives in that vendor's module of
//! `secgen-vendors`, built on the traits here.

mod auth;
mod base_url;
mod client;
mod datetime;
mod envelope;
mod error;
mod error_body;
mod hooks;
mod job;
mod multipart;
mod oauth2;
mod pagination;
mod patch;
mod rate_limit;
mod redact;
mod request;
mod response;
mod retry;
mod secret;

#[cfg(feature = "fake")]
pub mod fake;
pub mod open_enum;
pub mod union;

pub use auth::Auth;
pub use base_url::BaseUrl;
pub use client::{ApiClient, ApiInfo, ClientBuilder, same_origin_redirects};
pub use datetime::{DateTime, ParseDateTimeError};
pub use envelope::Envelope;
pub use error::{ApiError, Error, Result};
pub use error_body::{ErrorBody, ErrorBodyParser, GenericErrorBody, join_present, parse_error_body, string_only};
pub use hooks::{Hook, HookContext, Outcome};
pub use job::{Job, JobReport, JobWait};
pub use multipart::{FilePart, FileParts, Multipart};
pub use oauth2::ClientCredentials;
pub use pagination::{Checkpoint, Page, PageInfo, PagePosition, PageStyle, Pager, Paginated};
pub use patch::Patch;
pub use rate_limit::RateLimit;
pub use request::{ArrayStyle, Method, ParamValue, Request, simple_object};
pub use response::{RawResponse, Response};
pub use retry::{Decision, Failure, RetryPolicy};
pub use secret::Secret;

pub use bytes::Bytes;
pub use chrono;
pub use futures;
pub use reqwest;
pub use reqwest::StatusCode;
pub use reqwest::header::HeaderMap;
pub use serde_json;

/// An OpenAPI `date`: a calendar date.
pub type Date = chrono::NaiveDate;
