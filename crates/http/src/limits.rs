//! Limits on what clients can hold of the server (issue 13, findings 2 and 10): open
//! connections, the time to send a request's head and body, the time a whole request may
//! take, and the application calls running at once on blocking threads. Each has a clear
//! refusal: a connection beyond the cap is answered 503 `busy` and closed; a head that does
//! not arrive in time closes the connection; a body that does not arrive in time is answered
//! 408 `request_timeout`; a request that takes too long 503 `server_timeout`; a large body
//! beyond the few received at once 503 `busy`.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use shebao_app::AppError;
use tokio::sync::Semaphore;

use crate::problem::Problem;

/// The configured limits of the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Connections open at once; one more is answered 503 `busy` and closed.
    pub connections_max: usize,
    /// Time from a connection's opening (or its previous answer) to a request's complete
    /// head; the connection is closed after it.
    pub header_read_timeout: Duration,
    /// Time from the head to the end of the body; 408 `request_timeout` after it.
    pub body_timeout: Duration,
    /// Time from the head to the answer; 503 `server_timeout` after it.
    pub request_timeout: Duration,
    /// Application calls running at once, each on a blocking thread; more wait for a place
    /// (within the request's time).
    pub calls_max: usize,
    /// Requests at once whose body may exceed [`crate::BODY_LIMIT_BYTES`] (batches,
    /// declarations: up to 16 MiB each); one more is answered 503 `busy` before its body is
    /// read. With the connection cap this bounds the memory bodies can take.
    pub large_bodies_max: usize,
    /// Reverse proxies whose `X-Forwarded-For` names the client for the per-address limits
    /// (sign-in, self-enrolment); any other peer is the client itself.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connections_max: 1_024,
            header_read_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            // A batch of 8,000 operations or a declaration of 16 MiB takes seconds, not
            // minutes.
            request_timeout: Duration::from_secs(120),
            calls_max: 256,
            // 16 bodies of 16 MiB: 256 MiB at most, beside 1,024 of 64 KiB.
            large_bodies_max: 16,
            trusted_proxies: Vec::new(),
        }
    }
}

/// Admits a request whose body may be larger than [`crate::BODY_LIMIT_BYTES`] (declared
/// so, or sent without a length) only while fewer than `large_bodies_max` are being served;
/// otherwise answers 503 `busy` before reading it.
pub(crate) async fn large_bodies(
    State(places): State<Arc<Semaphore>>,
    request: Request,
    next: Next,
) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    let small = match declared {
        Some(length) => length <= u64::try_from(crate::BODY_LIMIT_BYTES).unwrap_or(u64::MAX),
        None => http_body::Body::is_end_stream(request.body()),
    };
    if small {
        return next.run(request).await;
    }
    let Ok(_place) = places.try_acquire() else {
        let mut response = Problem::from(AppError::Busy(
            "too many large requests are being received".into(),
        ))
        .into_response();
        // The unread body cannot be left on the connection for the next request.
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return response;
    };
    next.run(request).await
}

/// The two request timeouts, shared by the middleware.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeouts {
    pub body: Duration,
    pub request: Duration,
}

const BODY_READING: u8 = 0;
const BODY_DONE: u8 = 1;
const BODY_LATE: u8 = 2;

/// Answers 408 when the body did not arrive within the body timeout, and 503 when the
/// whole request took longer than the request timeout.
pub(crate) async fn time_limits(
    State(timeouts): State<Timeouts>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let state = Arc::new(AtomicU8::new(BODY_READING));
    let expects_body = !http_body::Body::is_end_stream(&body);
    let body = Body::new(TimedBody {
        inner: body,
        deadline: Box::pin(tokio::time::sleep(timeouts.body)),
        state: state.clone(),
    });
    let answer =
        tokio::time::timeout(timeouts.request, next.run(Request::from_parts(parts, body))).await;
    let body_state = state.load(Ordering::Acquire);
    match answer {
        Ok(_) if body_state == BODY_LATE => request_timeout(),
        Ok(response) => response,
        Err(_) if expects_body && body_state != BODY_DONE => request_timeout(),
        Err(_) => {
            let mut problem = Problem::new(
                503,
                "server_timeout",
                "the request took longer than the server allows; if it changed anything, \
                 sending it again with the same Idempotency-Key answers what it did",
            );
            problem.retry_after = Some(shebao_app::BUSY_RETRY_AFTER_SECONDS);
            problem.into_response()
        }
    }
}

fn request_timeout() -> Response {
    let mut response = Problem::new(
        408,
        "request_timeout",
        "the request body did not arrive in time",
    )
    .into_response();
    // The rest of the body may still be on its way: the connection cannot carry another
    // request.
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// A request body that fails once its deadline has passed before its end arrived.
struct TimedBody {
    inner: Body,
    deadline: Pin<Box<tokio::time::Sleep>>,
    state: Arc<AtomicU8>,
}

impl http_body::Body for TimedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(None) => {
                this.state.store(BODY_DONE, Ordering::Release);
                Poll::Ready(None)
            }
            Poll::Ready(Some(frame)) => Poll::Ready(Some(frame)),
            Poll::Pending => {
                if this.deadline.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                this.state.store(BODY_LATE, Ordering::Release);
                Poll::Ready(Some(Err(axum::Error::new(
                    "the request body did not arrive in time",
                ))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
