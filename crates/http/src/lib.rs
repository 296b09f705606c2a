//! The HTTP API: thin axum handlers. Each parses the request, calls one application
//! function on a blocking thread (storage is synchronous), and maps the answer: JSON, or an
//! RFC 9457 problem with a stable code. Request bodies and ID numbers never reach the log.

pub mod access_matrix;
pub mod api;
mod extract;
mod headers;
pub mod limits;
mod metrics;
mod portal;
mod problem;
pub mod sign_in_limit;
mod trace;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit};
use axum::middleware;
use shebao_app::App;

use crate::problem::Problem;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

pub use limits::Limits;
pub use metrics::Metrics;
pub use sign_in_limit::{SignInLimiter, SignInRate};
pub use trace::{REQUEST_ID_HEADER, REQUEST_ID_MAX_LEN};

/// Largest request body accepted (bank batches will get their own limit).
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// What handlers share.
#[derive(Clone)]
pub struct Shared {
    pub app: App,
    pub metrics: Metrics,
    /// The per-address limit on sign-in attempts, for the API and the portal alike.
    pub sign_in_limiter: Arc<SignInLimiter>,
    /// Places for application calls on blocking threads ([`Limits::calls_max`]).
    pub calls: Arc<Semaphore>,
}

/// The router with every operation of [`api::all`], sign-ins limited at the default
/// rate.
pub fn router(app: App) -> Router {
    router_with(
        app,
        SignInLimiter::new(SignInRate::default(), sign_in_limit::system_ticks()),
    )
}

/// The router with its own sign-in limiter (a configured rate, or a test's clock).
pub fn router_with(app: App, sign_in_limiter: SignInLimiter) -> Router {
    router_limited(app, sign_in_limiter, &Limits::default())
}

/// The router with its own sign-in limiter and request limits.
pub fn router_limited(app: App, sign_in_limiter: SignInLimiter, limits: &Limits) -> Router {
    let shared = Shared {
        app,
        metrics: Metrics::default(),
        sign_in_limiter: Arc::new(sign_in_limiter),
        calls: Arc::new(Semaphore::new(limits.calls_max.max(1))),
    };
    let timeouts = limits::Timeouts {
        body: limits.body_timeout.min(limits.request_timeout),
        request: limits.request_timeout,
    };
    let large_bodies = Arc::new(Semaphore::new(limits.large_bodies_max.max(1)));
    api::routes()
        .layer(middleware::from_fn_with_state(
            large_bodies,
            limits::large_bodies,
        ))
        .layer(middleware::from_fn_with_state(
            timeouts,
            limits::time_limits,
        ))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            trace::observe,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .with_state(shared)
}

/// Serves until `shutdown` completes, then finishes the requests in flight. Each request
/// carries its peer's address, which the sign-in limit keys on. At most
/// [`Limits::connections_max`] connections are open at once: one more is answered 503
/// `busy` and closed. A request head must arrive within [`Limits::header_read_timeout`].
pub async fn serve(
    listener: TcpListener,
    app: App,
    sign_in_rate: SignInRate,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limiter = SignInLimiter::new(sign_in_rate, sign_in_limit::system_ticks())
        .with_trusted_proxies(limits.trusted_proxies.clone());
    let router = router_limited(app, limiter, &limits);
    let connections = Arc::new(Semaphore::new(limits.connections_max.max(1)));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    accept_failed(&error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(place) = connections.clone().try_acquire_owned() else {
            refuse_connection(&stream);
            continue;
        };
        let service = router
            .clone()
            .map_request(move |mut request: axum::extract::Request<_>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let connection = http.serve_connection(
            hyper_util::rt::TokioIo::new(stream),
            hyper_util::service::TowerToHyperService::new(service),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A connection ends with an error when its client leaves or is too slow; there
            // is nothing to tell anyone.
            let _ = connection.await;
            drop(place);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// An accept that failed: a client that left is nothing; anything else (out of file
/// descriptors) is logged, and accepting pauses so the server does not spin.
async fn accept_failed(error: &std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(target: "shebao::http", error = %error, "accept failed");
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
}

/// A connection beyond the cap: a short 503 `busy` if the socket takes it at once, then
/// closed (when the caller drops it). Counted as a refusal like any problem answered.
fn refuse_connection(stream: &tokio::net::TcpStream) {
    let problem = Problem::from(shebao_app::AppError::Busy(
        "too many open connections".into(),
    ));
    Metrics::refused(&problem.code);
    let problem = problem.body().to_string();
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\n\
         retry-after: {}\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{problem}",
        shebao_app::BUSY_RETRY_AFTER_SECONDS,
        problem.len()
    );
    let _ = stream.try_write(answer.as_bytes());
    // What the client sent already is read away, so the close is an orderly one (an unread
    // request would turn it into a reset, which may discard the answer at the client).
    let mut sent = [0_u8; 4096];
    let _ = stream.try_read(&mut sent);
}
