//! Headers every answer carries unless its handler chose its own: answers are never cached
//! (most carry personal data, and nothing here is worth the risk of a shared cache keeping
//! one), never sniffed into another type, and a page may load only this server's own files.

use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderName};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The policy of every HTML page (the portal's and `/docs`): this server's own scripts,
/// styles and images only, no framing, forms posting only here.
pub(crate) const PAGE_POLICY: &str =
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'";
/// The policy of every other answer: it is data, never a document that runs anything.
const DATA_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";
/// Static files (the portal's style and script, the docs page's style) may be kept a day.
pub(crate) const STATIC_CACHE: &str = "public, max-age=86400";

const CONTENT_SECURITY_POLICY: HeaderName = HeaderName::from_static("content-security-policy");
const CONTENT_TYPE_OPTIONS: HeaderName = HeaderName::from_static("x-content-type-options");
const REFERRER_POLICY: HeaderName = HeaderName::from_static("referrer-policy");

/// Adds the default headers an answer lacks.
pub(crate) async fn defaults(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let html = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let policy = if html { PAGE_POLICY } else { DATA_POLICY };
    fill(headers, CONTENT_SECURITY_POLICY, policy);
    fill(headers, CACHE_CONTROL, "no-store");
    fill(headers, CONTENT_TYPE_OPTIONS, "nosniff");
    fill(headers, REFERRER_POLICY, "same-origin");
    response
}

fn fill(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    headers
        .entry(name)
        .or_insert_with(|| HeaderValue::from_static(value));
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use std::sync::Arc;

    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use shebao_app::{App, SystemClock, Vault};
    use tower::ServiceExt;

    use super::{DATA_POLICY, PAGE_POLICY, STATIC_CACHE};

    fn app() -> App {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let path = std::env::temp_dir()
            .join(format!(
                "shebao-http-headers-{}-{nanos}",
                std::process::id()
            ))
            .join("shebao.db");
        let store = shebao_store_sqlite::open(&path).unwrap();
        let vault = Vault::parse(&Vault::generate_file()).unwrap();
        App::new(store, vault, Arc::new(SystemClock))
    }

    async fn get(app: &App, path: &str, token: Option<&str>) -> axum::response::Response {
        let mut request = Request::get(path);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        crate::router(app.clone())
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    fn header(response: &axum::response::Response, name: &str) -> String {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    // Issue 13, finding 12: answers are not cached, and /docs runs under the portal's policy
    // with no inline style.
    #[tokio::test]
    async fn api_answers_are_not_stored_and_docs_run_under_the_page_policy() {
        let app = app();
        for path in ["/api/v1/me", "/api/v1/nothing", "/openapi.json", "/readyz"] {
            let response = get(&app, path, None).await;
            assert_eq!(header(&response, "cache-control"), "no-store", "{path}");
            assert_eq!(header(&response, "x-content-type-options"), "nosniff");
            assert_eq!(header(&response, "content-security-policy"), DATA_POLICY);
        }
        let docs = get(&app, "/docs", None).await;
        assert_eq!(header(&docs, "content-security-policy"), PAGE_POLICY);
        let body = axum::body::to_bytes(docs.into_body(), 1 << 20)
            .await
            .unwrap();
        let page = String::from_utf8(body.to_vec()).unwrap();
        assert!(!page.contains("<style") && !page.contains("<script"));
        assert!(page.contains("/static/docs.css"));
        let style = get(&app, "/static/docs.css", None).await;
        assert_eq!(style.status(), StatusCode::OK);
        assert_eq!(header(&style, "cache-control"), STATIC_CACHE);
    }

    // Issue 13, finding 12: /metrics is the operator's: the scrape token from the key file,
    // nothing else.
    #[tokio::test]
    async fn metrics_answer_only_the_operators_scrape_token() {
        let app = app();
        assert_eq!(
            get(&app, "/metrics", None).await.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            get(&app, "/metrics", Some("0123abcd")).await.status(),
            StatusCode::UNAUTHORIZED
        );
        let token = app.vault().scrape_token();
        assert_eq!(
            get(&app, "/metrics", Some(&token)).await.status(),
            StatusCode::OK
        );
    }
}
