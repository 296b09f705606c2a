//! Issue 16, what an operator watches: after a few requests, one of them refused, `/metrics`
//! shows every family: requests, their time as a histogram by operation, refusals by code,
//! and the store writer's queue, groups, commit time and retries.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::net::{Ipv4Addr, SocketAddr};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{Request, StatusCode};
use serde_json::json;
use tower::ServiceExt;

mod common;

async fn send(router: &axum::Router, request: Request<Body>) -> (StatusCode, String) {
    let mut request = request;
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((Ipv4Addr::LOCALHOST, 40_000))));
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn sign_in(body: String) -> Request<Body> {
    Request::post("/api/v1/sessions")
        .header(CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn metrics_show_requests_latency_refusals_and_the_writer() {
    // As the server does: the recorder first, so the store's writer is seen from its start.
    let _installed = shebao_http::Metrics::installed();
    let app = common::app("metrics");
    let (_, password) = app.init_administrator("admin").unwrap();
    let router = shebao_http::router(app.clone());

    let signed_in = json!({ "username": "admin", "password": password }).to_string();
    let (status, _) = send(&router, sign_in(signed_in)).await;
    assert!(status.is_success(), "{status}");
    let (status, body) = send(&router, sign_in("{not json".to_owned())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("\"code\":\"invalid_json\""), "{body}");
    let nowhere = Request::get("/api/v1/nothing-here")
        .body(Body::empty())
        .unwrap();
    let (status, _) = send(&router, nowhere).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let scrape = Request::get("/metrics")
        .header(
            AUTHORIZATION,
            format!("Bearer {}", app.vault().scrape_token()),
        )
        .body(Body::empty())
        .unwrap();
    let (status, text) = send(&router, scrape).await;
    assert_eq!(status, StatusCode::OK);
    for family in [
        "# TYPE shebao_http_requests_total counter",
        "shebao_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1",
        "# TYPE shebao_http_request_duration_seconds histogram",
        "shebao_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/sessions\",status=\"400\",operation=\"sign_in\",le=\"0.0005\"} ",
        "shebao_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/sessions\",status=\"400\",operation=\"sign_in\",le=\"+Inf\"} 1",
        "shebao_http_request_duration_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\",operation=\"\"} 1",
        "# TYPE shebao_refusals_total counter",
        "shebao_refusals_total{code=\"not_found\"} ",
        "shebao_refusals_total{code=\"invalid_json\"} ",
        "# TYPE shebao_writer_queue_depth gauge",
        // Nothing waits once every write has been answered.
        "shebao_writer_queue_depth{store=\"sqlite\"} 0\n",
        "# TYPE shebao_writer_group_size histogram",
        "shebao_writer_group_size_bucket{store=\"sqlite\",le=\"1\"} ",
        "shebao_writer_group_size_bucket{store=\"sqlite\",le=\"512\"} ",
        "# TYPE shebao_writer_commit_seconds histogram",
        "shebao_writer_commit_seconds_bucket{store=\"sqlite\",le=\"10\"} ",
        "# TYPE shebao_writer_retries_total counter",
        "shebao_writer_retries_total{store=\"sqlite\"} ",
    ] {
        assert!(text.contains(family), "{family} is missing:\n{text}");
    }
    // Every sample of the writer's groups is counted.
    let groups = text
        .lines()
        .find_map(|line| line.strip_prefix("shebao_writer_group_size_count{store=\"sqlite\"} "))
        .unwrap();
    assert!(groups.parse::<u64>().unwrap() >= 1, "{groups}");
}
