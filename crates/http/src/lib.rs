//! The HTTP API: thin axum handlers. Each parses the request, calls one application
//! function on a blocking thread (storage is synchronous), and maps the answer: JSON, or an
//! RFC 9457 problem with a stable code. Request bodies and ID numbers never reach the log.

pub mod access_matrix;
pub mod api;
mod handlers;
mod headers;
mod metrics;
pub mod openapi;
mod portal;
mod problem;
pub mod sign_in_limit;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use shebao_app::App;
use tokio::net::TcpListener;

pub use metrics::Metrics;
pub use sign_in_limit::{SignInLimiter, SignInRate};

/// Largest request body accepted (bank batches will get their own limit).
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// What handlers share.
#[derive(Clone)]
pub struct Shared {
    pub app: App,
    pub metrics: Metrics,
    /// The per-address limit on sign-in attempts, for the API and the portal alike.
    pub sign_in_limiter: Arc<SignInLimiter>,
}

/// The router with every operation of [`api::OPERATIONS`], sign-ins limited at the default
/// rate.
pub fn router(app: App) -> Router {
    router_with(
        app,
        SignInLimiter::new(SignInRate::default(), sign_in_limit::system_ticks()),
    )
}

/// The router with its own sign-in limiter (a configured rate, or a test's clock).
pub fn router_with(app: App, sign_in_limiter: SignInLimiter) -> Router {
    let shared = Shared {
        app,
        metrics: Metrics::default(),
        sign_in_limiter: Arc::new(sign_in_limiter),
    };
    handlers::routes()
        .layer(middleware::from_fn_with_state(shared.clone(), observe))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .with_state(shared)
}

/// Logs and counts every request by operation (the route template, never the raw path's
/// query string) and status.
async fn observe(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    shared
        .metrics
        .record(method.as_str(), &route, status, elapsed);
    tracing::info!(target: "shebao::http", %method, route, status, micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX), "request");
    response
}

/// Serves until `shutdown` completes, then finishes the requests in flight. Each request
/// carries its peer's address, which the sign-in limit keys on.
pub async fn serve(
    listener: TcpListener,
    app: App,
    sign_in_rate: SignInRate,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limiter = SignInLimiter::new(sign_in_rate, sign_in_limit::system_ticks());
    axum::serve(
        listener,
        router_with(app, limiter).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
