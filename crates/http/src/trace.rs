//! Request ids and the tracing span every request is handled in: each request gets an id
//! (a well-formed `X-Request-Id` it brought, or a fresh one), answered in `X-Request-Id`,
//! and a span carrying the id, the method, the route template, the operation id once an API
//! operation's handler takes the request (`api::standard`; a portal page has none), and the
//! actor's role once known, so every log line of the request
//! carries them. Never a raw path, a token or personal data.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use shebao_domain::access::Role;
use tracing::Instrument;

use crate::Shared;

/// The header a request id comes in and goes back out in.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The longest incoming request id kept; a longer one is replaced.
pub const REQUEST_ID_MAX_LEN: usize = 64;

/// An incoming id worth keeping: 1 to [`REQUEST_ID_MAX_LEN`] letters, digits, `-`, `_` or
/// `.` (nothing a log reader or a header could misread).
fn acceptable(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    let safe = (1..=REQUEST_ID_MAX_LEN).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    safe.then(|| text.to_owned())
}

/// A fresh id: 128 random bits in hex.
fn fresh() -> String {
    shebao_app::vault::random_bytes::<16>()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The id a request is known by: its own if acceptable, else a fresh one.
fn request_id(request: &Request) -> String {
    request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(acceptable)
        .unwrap_or_else(fresh)
}

/// The API operation that answered, put on its response by `api::standard` for the
/// request's metrics (a response extension: never sent).
#[derive(Clone, Copy)]
pub(crate) struct OperationId(pub(crate) &'static str);

/// Records the signed-in actor's role on the request's span (called by the extractors once
/// the session is known).
pub(crate) fn record_role(role: Role) {
    tracing::Span::current().record("role", tracing::field::display(role.as_str()));
}

/// Gives every request its id and span, and logs it, counts it and records its time by route
/// template (never the raw path or its query string), status and, for an API operation, its
/// id.
pub(crate) async fn observe(
    State(shared): State<Shared>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let id = request_id(&request);
    let span = tracing::info_span!(
        target: "shebao::http",
        "request",
        request_id = %id,
        %method,
        route = %route,
        operation = tracing::field::Empty,
        role = tracing::field::Empty,
    );
    async move {
        let mut response = next.run(request).await;
        let status = response.status().as_u16();
        let elapsed = started.elapsed();
        let operation = response
            .extensions()
            .get::<OperationId>()
            .map_or("", |operation| operation.0);
        shared
            .metrics
            .record(method.as_str(), &route, operation, status, elapsed);
        tracing::info!(target: "shebao::http", %method, route, status, micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX), "request");
        if let Ok(value) = HeaderValue::from_str(&id) {
            response.headers_mut().insert(REQUEST_ID_HEADER, value);
        }
        response
    }
    .instrument(span)
    .await
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn only_short_safe_ids_are_kept() {
        let keep = |text: &str| acceptable(&HeaderValue::from_str(text).unwrap());
        assert_eq!(keep("abc-DEF_0.9").as_deref(), Some("abc-DEF_0.9"));
        assert_eq!(keep(""), None);
        assert_eq!(keep("a b"), None);
        assert_eq!(keep("a\"<b>"), None);
        assert_eq!(keep(&"a".repeat(REQUEST_ID_MAX_LEN + 1)), None);
        assert!(keep(&"a".repeat(REQUEST_ID_MAX_LEN)).is_some());
        let id = fresh();
        assert_eq!(id.len(), 32);
        assert!(acceptable(&HeaderValue::from_str(&id).unwrap()).is_some());
    }
}
