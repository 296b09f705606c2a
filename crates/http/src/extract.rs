//! What handlers take from a request and how they call the application: the extractors
//! (signed actor, idempotency key, JSON body, path, query) that answer with a problem, and
//! the helpers that run application code on a blocking thread within the server's limits.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use shebao_app::{Actor, App, AppError};
use tokio::sync::Semaphore;

use crate::Shared;
use crate::problem::Problem;

/// Runs application code on a blocking thread once one of the `calls_max` places is free.
/// The place is held until the code returns, even when the request gave up waiting for it,
/// so blocking threads never outnumber the places.
pub(crate) async fn blocking<T: Send + 'static>(
    app: &App,
    calls: &Arc<Semaphore>,
    work: impl FnOnce(&App) -> T + Send + 'static,
) -> Result<T, AppError> {
    let place = calls
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| AppError::Busy("the server is shutting down".into()))?;
    let app = app.clone();
    // The request's span goes along, so the application's log lines carry it too.
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        let answer = work(&app);
        drop(place);
        answer
    })
    .await
    .map_err(|join| join_failure(&join))
}

/// Runs application code on a blocking thread (storage is synchronous), within the
/// server's limit on calls at once.
pub(crate) async fn run<T: Send + 'static>(
    shared: &Shared,
    work: impl FnOnce(&App) -> Result<T, AppError> + Send + 'static,
) -> Result<T, Problem> {
    blocking(&shared.app, &shared.calls, work)
        .await
        .and_then(|result| result)
        .map_err(Problem::from)
}

/// A blocking task that did not finish. A panic's message may quote the data it was
/// handling: the panic hook has logged it redacted, and only the fact goes on from here.
pub(crate) fn join_failure(join: &tokio::task::JoinError) -> AppError {
    AppError::Internal(
        if join.is_panic() {
            "a request handler panicked"
        } else {
            "a request handler was cancelled"
        }
        .to_owned(),
    )
}

/// The signed-in actor, from `Authorization: Bearer <token>`.
pub(crate) struct Signed(pub(crate) Actor);

impl FromRequestParts<Shared> for Signed {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        shared: &Shared,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| Problem::from(AppError::Unauthenticated))?
            .to_owned();
        let actor = run(shared, move |app| app.authenticate(&token)).await?;
        crate::trace::record_role(actor.role);
        Ok(Signed(actor))
    }
}

/// The `Idempotency-Key` header every state change carries.
pub(crate) struct Key(pub(crate) String);

impl<S: Send + Sync> FromRequestParts<S> for Key {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .headers
            .get("idempotency-key")
            .and_then(|value| value.to_str().ok())
            .map(|value| Key(value.to_owned()))
            .ok_or_else(|| Problem {
                field: Some("Idempotency-Key"),
                ..Problem::new(
                    422,
                    "idempotency_key_required",
                    "send an Idempotency-Key header with every state change",
                )
            })
    }
}

/// A JSON body; malformed bodies answer with a problem.
pub(crate) struct Body<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        // Buffered once: the raw bytes are searched for a NUL escape, then read into `T`
        // with axum's own checks (media type, syntax, shape) and rejections.
        let (parts, body) = request.into_parts();
        let bytes =
            axum::body::Bytes::from_request(Request::from_parts(parts.clone(), body), state)
                .await
                .map_err(|rejection| json_problem(&JsonRejection::from(rejection)))?;
        if holds_nul_escape(&bytes) {
            return Err(nul_problem());
        }
        let request = Request::from_parts(parts, axum::body::Body::from(bytes.clone()));
        let rejection = match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => return Ok(Body(value)),
            Err(rejection) => rejection,
        };
        // `12.0` is the number 12 (JSON Schema's `integer` accepts it): an integer field
        // that refused it is read again from the text with such numbers written whole. Any
        // other refusal answers as it was, about the text as sent.
        let rewritten = match &rejection {
            JsonRejection::JsonDataError(error)
                if error.body_text().contains("invalid type: floating point") =>
            {
                whole_numbers_written_whole(&bytes)
            }
            _ => None,
        };
        match rewritten {
            Some(text) => Json::<T>::from_bytes(&text)
                .map(|Json(value)| Body(value))
                .map_err(|rejection| json_problem(&rejection)),
            None => Err(json_problem(&rejection)),
        }
    }
}

/// The JSON text with every number that is whole but written with a zero fraction (`12.0`,
/// `-3.00`) written without it (`12`, `-3`), or `None` when there is none. The digits are
/// kept as sent, never rounded through a float, so `12.0` reads exactly as `12` and
/// `12.5` (or `1.0e3`) stays as it is. Only called on syntactically valid JSON.
pub(crate) fn whole_numbers_written_whole(json: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(json.len());
    let mut changed = false;
    let mut i = 0;
    while i < json.len() {
        let start = i;
        match json[i] {
            b'"' => {
                i += 1;
                while i < json.len() && json[i] != b'"' {
                    i += if json[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(json.len());
                out.extend_from_slice(&json[start..i]);
            }
            b'-' | b'0'..=b'9' => {
                while i < json.len()
                    && matches!(json[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                let number = &json[start..i];
                match number.iter().position(|b| *b == b'.') {
                    Some(dot) if number[dot + 1..].iter().all(|b| *b == b'0') => {
                        out.extend_from_slice(&number[..dot]);
                        changed = true;
                    }
                    _ => out.extend_from_slice(number),
                }
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    changed.then_some(out)
}

/// Whether JSON text holds a NUL character, which no field accepts (and PostgreSQL cannot
/// store in text). Valid JSON can carry one only as the escape `\u0000` (a raw NUL byte is
/// not JSON at all): one preceded by an odd run of backslashes, since `\\u0000` is a
/// backslash followed by the letters `u0000`.
pub(crate) fn holds_nul_escape(json: &[u8]) -> bool {
    json.windows(6).enumerate().any(|(i, window)| {
        window == b"\\u0000" && json[..i].iter().rev().take_while(|b| **b == b'\\').count() % 2 == 0
    })
}

pub(crate) fn nul_problem() -> Problem {
    Problem::new(
        422,
        "invalid_request",
        "text must not contain the NUL character (U+0000)",
    )
}

/// Path segments; one that does not decode (invalid UTF-8) answers with a problem instead of
/// axum's plain-text rejection, and one that decodes to NUL (`%00`) is refused.
pub(crate) struct Path<T>(pub(crate) T);

/// The longest path segment, as sent (percent-encoded), that may name a record: every id,
/// code and number the API takes is far shorter (bill numbers, the longest, are 64). A
/// longer one names nothing and is answered as not found before it reaches a use case,
/// whose audit record of a refusal would otherwise carry it (and PostgreSQL's index of the
/// trail's subjects takes at most 2,704 bytes a row).
const PATH_SEGMENT_BYTES_MAX: usize = 256;

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if parts.uri.path().contains("%00") {
            return Err(nul_problem());
        }
        if parts
            .uri
            .path()
            .split('/')
            .any(|segment| segment.len() > PATH_SEGMENT_BYTES_MAX)
        {
            return Err(Problem::from(AppError::NotFound(
                "no record has an id this long".into(),
            )));
        }
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) if rejection.status().is_server_error() => {
                Err(Problem::from(AppError::Internal(rejection.body_text())))
            }
            Err(rejection) => Err(Problem::new(422, "invalid_request", rejection.body_text())),
        }
    }
}

pub(crate) fn json_problem(rejection: &JsonRejection) -> Problem {
    let status = rejection.status().as_u16();
    let code = match rejection {
        JsonRejection::MissingJsonContentType(_) => "unsupported_media_type",
        JsonRejection::JsonSyntaxError(_) => "invalid_json",
        JsonRejection::JsonDataError(_) => "invalid_request",
        _ if status == 413 => "body_too_large",
        _ => "invalid_request",
    };
    Problem::new(status, code, rejection.body_text())
}

/// Query parameters; malformed ones answer with a problem.
pub(crate) struct Params<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if parts.uri.query().is_some_and(|query| query.contains("%00")) {
            return Err(nul_problem());
        }
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| Params(value))
            .map_err(|rejection: QueryRejection| {
                Problem::new(422, "invalid_request", rejection.body_text())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_escape_is_found_but_an_escaped_backslash_is_not_one() {
        assert!(holds_nul_escape(br#"{"name":"a\u0000b"}"#));
        assert!(holds_nul_escape(br#"{"a\u0000":1}"#));
        assert!(holds_nul_escape(br#"["\\\u0000"]"#));
        assert!(!holds_nul_escape(br#"{"path":"C:\\u0000"}"#));
        assert!(!holds_nul_escape(br#"{"name":"u0000 \u0001"}"#));
    }

    #[test]
    fn whole_numbers_with_a_zero_fraction_are_written_whole_and_nothing_else_moves() {
        let rewritten = |text: &str| {
            whole_numbers_written_whole(text.as_bytes())
                .map(|out| String::from_utf8_lossy(&out).into_owned())
        };
        assert_eq!(
            rewritten(r#"{"amount_fen":623.0,"rows":[{"wage_fen":-31.000}],"n":1.0}"#).as_deref(),
            Some(r#"{"amount_fen":623,"rows":[{"wage_fen":-31}],"n":1}"#)
        );
        // Digits beyond a float's precision are kept as sent, not rounded.
        assert_eq!(
            rewritten(r#"[9007199254740993.0]"#).as_deref(),
            Some("[9007199254740993]")
        );
        // Strings (escaped quotes included), fractions and exponents stay as they are.
        assert_eq!(
            rewritten(r#"{"memo":"1.0 \"2.0\"","x":12.5,"y":1.0e3,"z":7}"#),
            None
        );
        assert_eq!(
            rewritten(r#"{"memo":"a\\","x":2.0}"#).as_deref(),
            Some(r#"{"memo":"a\\","x":2}"#)
        );
    }
}
