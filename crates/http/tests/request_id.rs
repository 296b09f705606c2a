//! Every request has an id: a well-formed one it brought, or a fresh one; the answer carries
//! it in `X-Request-Id`, and every log line written while the request is handled carries it
//! in the request's span, with the route template and the actor's role, never the token.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{Request, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};
use shebao_http::{REQUEST_ID_HEADER, REQUEST_ID_MAX_LEN};
use tower::ServiceExt;

mod common;

/// Where the log lines of this test binary go.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn lines_with(&self, needle: &str) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .lines()
            .filter(|line| line.contains(needle))
            .map(str::to_owned)
            .collect()
    }
}

/// The log of the whole binary: a global subscriber, since blocking threads log too.
fn log() -> &'static Log {
    static LOG: OnceLock<Log> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Log::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        log
    })
}

async fn send(router: &axum::Router, request: Request<Body>) -> Response {
    router.clone().oneshot(request).await.unwrap()
}

/// The request `builder` makes, carrying `id` as its request id and no body.
fn with_id(builder: axum::http::request::Builder, id: &str) -> Request<Body> {
    builder
        .header(REQUEST_ID_HEADER, id)
        .body(Body::empty())
        .unwrap()
}

fn id_of(response: &Response) -> String {
    response.headers()[REQUEST_ID_HEADER]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_request_id_comes_back_and_marks_the_requests_log_lines() {
    let log = log();
    let app = common::app("request-id");
    let (_, password) = app.init_administrator("admin").unwrap();
    let router = shebao_http::router(app);

    // A safe incoming id is kept, answered, and on the request's log line with its route.
    let response = send(&router, with_id(Request::get("/healthz"), "trace-me-0001")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(id_of(&response), "trace-me-0001");
    let lines = log.lines_with("request_id=trace-me-0001");
    assert!(!lines.is_empty(), "no log line carries the request id");
    assert!(lines.iter().all(|line| line.contains("route=/healthz")));

    // Without one, a fresh id is made.
    let response = send(
        &router,
        Request::get("/healthz").body(Body::empty()).unwrap(),
    )
    .await;
    let fresh = id_of(&response);
    assert_eq!(fresh.len(), 32);
    assert!(fresh.bytes().all(|b| b.is_ascii_hexdigit()));

    // Unsafe or overlong ids are replaced, and never reach the log.
    for unsafe_id in ["bad id\"<script>", &"x".repeat(REQUEST_ID_MAX_LEN + 1)] {
        let response = send(&router, with_id(Request::get("/healthz"), unsafe_id)).await;
        let replaced = id_of(&response);
        assert_ne!(replaced, unsafe_id);
        assert_eq!(replaced.len(), 32);
        assert!(log.lines_with(unsafe_id).is_empty());
        assert!(!log.lines_with(&format!("request_id={replaced}")).is_empty());
    }

    // A signed-in request's lines carry the role and the operation, never the token.
    let response = send(
        &router,
        Request::post("/api/v1/sessions")
            .header(CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({ "username": "admin", "password": password }).to_string(),
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    let token = serde_json::from_slice::<Value>(&body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = Request::get("/api/v1/me").header(AUTHORIZATION, format!("Bearer {token}"));
    let response = send(&router, with_id(me, "who-am-i")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(id_of(&response), "who-am-i");
    let lines = log.lines_with("request_id=who-am-i");
    assert!(!lines.is_empty());
    assert!(
        lines
            .iter()
            .any(|line| line.contains("role=administrator") && line.contains("operation=")),
        "{lines:?}"
    );
    assert!(log.lines_with(&token).is_empty());
}
