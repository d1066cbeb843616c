//! A hook point on every request: add headers, log, measure, without touching
//! generated code.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// What a hook knows about the call in progress.
#[derive(Debug, Clone, Copy)]
pub struct HookContext<'a> {
    /// The operationId.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: &'a reqwest::Method,
    /// The path template from the spec, e.g. `/projects/{project_id}`.
    pub path_template: &'static str,
    /// 1 for the first send, 2 for the first retry, ...
    pub attempt: u32,
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// A response arrived (any status).
    Response {
        /// The status.
        status: StatusCode,
        /// The headers.
        headers: &'a HeaderMap,
        /// Time from send to complete body.
        elapsed: Duration,
    },
    /// No complete response: connection failure, timeout, broken body.
    Failed {
        /// The error, as text.
        message: &'a str,
        /// Time until the failure.
        elapsed: Duration,
    },
}

/// Called around every attempt of every operation.
///
/// `before_send` sees the request before credentials are added, so a hook can
/// neither read nor log them.
///
/// ```
/// use secgen_runtime::{Hook, HookContext, Outcome};
///
/// struct CorrelationId;
///
/// impl Hook for CorrelationId {
///     fn before_send(&self, request: &mut secgen_runtime::reqwest::Request, context: &HookContext<'_>) {
///         request.headers_mut().insert("x-correlation-id", context.operation.parse().unwrap());
///     }
///
///     fn after_receive(&self, outcome: &Outcome<'_>, context: &HookContext<'_>) {
///         if let Outcome::Response { status, elapsed, .. } = outcome {
///             println!("{} attempt {}: {status} in {elapsed:?}", context.operation, context.attempt);
///         }
///     }
/// }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Before an attempt is sent.
    fn before_send(&self, request: &mut reqwest::Request, context: &HookContext<'_>) {
        let _ = (request, context);
    }

    /// After an attempt ended.
    fn after_receive(&self, outcome: &Outcome<'_>, context: &HookContext<'_>) {
        let _ = (outcome, context);
    }
}

/// A shared hook, so the caller can keep a handle on its state.
impl<H: Hook> Hook for std::sync::Arc<H> {
    fn before_send(&self, request: &mut reqwest::Request, context: &HookContext<'_>) {
        (**self).before_send(request, context);
    }

    fn after_receive(&self, outcome: &Outcome<'_>, context: &HookContext<'_>) {
        (**self).after_receive(outcome, context);
    }
}
