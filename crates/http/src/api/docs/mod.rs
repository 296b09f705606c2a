//! The documentation pages: `/docs`, a plain page with no script listing every operation
//! (method, path, summary, request and answer schemas, error codes), and `/docs/try`,
//! Swagger UI (vendored, `vendor/`) on this server's `/openapi.json`, to read the schemas and
//! try calls. Both come from the same list through the OpenAPI document.

use crate::portal::page::esc;
use axum::Router;
use axum::http::HeaderName;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::Value;

use super::document::schema_label;
use crate::Shared;
use crate::headers::STATIC_CACHE;

/// The plain page's style sheet, served at `/static/docs.css`.
const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}\
table{border-collapse:collapse;width:100%}\
td,th{border-bottom:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}\
th{background:#eef}code{font-size:.95em}small{display:block;color:#444}";

const BUNDLE: &[u8] = include_bytes!("vendor/swagger-ui-bundle.js");
const BUNDLE_STYLE: &[u8] = include_bytes!("vendor/swagger-ui.css");
/// Swagger UI's licence and notice, served beside it.
const LICENSE: &str = concat!(
    include_str!("vendor/LICENSE"),
    "\n",
    include_str!("vendor/NOTICE")
);
const INIT: &str = include_str!("init.js");

/// Swagger UI's page. Its policy is the portal's, but for images from `data:` URLs, which
/// Swagger UI's style sheet uses for its icons (and the page for its empty icon); no inline
/// script or style.
const TRY_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Shebao API: try it</title>\
<link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/static/docs/swagger-ui.css\"></head><body><div id=\"swagger-ui\"></div>\
<script src=\"/static/docs/swagger-ui-bundle.js\"></script><script src=\"/static/docs/init.js\"></script>\
<noscript><p>This page needs JavaScript; <a href=\"/docs\">/docs</a> lists every operation without it.</p></noscript>\
</body></html>";

const CONTENT_SECURITY_POLICY: HeaderName = HeaderName::from_static("content-security-policy");

/// The policy of Swagger UI's page: [`crate::headers::PAGE_POLICY`] with `data:` images.
const TRY_POLICY: &str =
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";

/// The files the pages load: path, media type, content.
const FILES: [(&str, &str, &[u8]); 5] = [
    (
        "/static/docs.css",
        "text/css; charset=utf-8",
        STYLE.as_bytes(),
    ),
    (
        "/static/docs/swagger-ui-bundle.js",
        "text/javascript; charset=utf-8",
        BUNDLE,
    ),
    (
        "/static/docs/swagger-ui.css",
        "text/css; charset=utf-8",
        BUNDLE_STYLE,
    ),
    (
        "/static/docs/init.js",
        "text/javascript; charset=utf-8",
        INIT.as_bytes(),
    ),
    (
        "/static/docs/LICENSE",
        "text/plain; charset=utf-8",
        LICENSE.as_bytes(),
    ),
];

/// The pages' files and Swagger UI's page (no operations of the API: nothing to document).
pub(crate) fn routes() -> Router<Shared> {
    let mut router = Router::new().route(
        "/docs/try",
        get(|| async {
            (
                [
                    (CONTENT_TYPE, "text/html; charset=utf-8"),
                    (CONTENT_SECURITY_POLICY, TRY_POLICY),
                ],
                TRY_PAGE,
            )
                .into_response()
        }),
    );
    for (path, media, content) in FILES {
        router = router.route(
            path,
            get(move || async move {
                (
                    [(CONTENT_TYPE, media), (CACHE_CONTROL, STATIC_CACHE)],
                    content,
                )
                    .into_response()
            }),
        );
    }
    router
}

/// One operation's row: what it takes and answers, by schema name, and its error codes.
fn row(id: &str, method: &str, path: &str, entry: &Value) -> String {
    let request = schema_label(&entry["requestBody"]["content"])
        .map(|name| format!("<small>body: {}</small>", esc(&name)))
        .unwrap_or_default();
    let mut answers = String::new();
    for (status, answer) in entry["responses"].as_object().into_iter().flatten() {
        if status.starts_with('2')
            && let Some(name) = schema_label(&answer["content"])
        {
            answers.push_str(&format!(" {status} {}", esc(&name)));
        }
    }
    let codes = super::kinds::strings(&entry["x-error-codes"]);
    let codes = if codes.is_empty() {
        String::new()
    } else {
        format!("<small>errors: {}</small>", esc(&codes.join(", ")))
    };
    let key = entry["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|p| p["name"] == "Idempotency-Key");
    format!(
        "<tr id=\"{id}\"><td><code>{method}</code></td><td><code>{path}</code></td><td><code>{id}</code></td>\
<td>{summary}{request}<small>answers:{answers}</small>{codes}{key}</td></tr>\n",
        path = esc(path),
        summary = esc(entry["summary"].as_str().unwrap_or_default()),
        key = if key {
            "<small>Idempotency-Key required</small>"
        } else {
            ""
        },
    )
}

/// The plain page: every operation, grouped by tag, with no resource but this server's own
/// style sheet and no script.
pub(crate) fn page() -> String {
    let document = crate::api::document::document();
    let mut rows = String::new();
    let mut tag = String::new();
    let mut count = 0;
    for operation in super::all() {
        let entry = &document["paths"][operation.path()][operation.method().to_ascii_lowercase()];
        let this_tag = entry["tags"][0].as_str().unwrap_or_default();
        if this_tag != tag {
            tag = this_tag.to_owned();
            rows.push_str(&format!(
                "<tr><th colspan=\"4\" scope=\"rowgroup\">{}</th></tr>\n",
                esc(&tag)
            ));
        }
        rows.push_str(&row(
            operation.id(),
            operation.method(),
            operation.path(),
            entry,
        ));
        count += 1;
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Shebao API</title><link rel=\"stylesheet\" href=\"/static/docs.css\"></head>\
<body><h1>Shebao API</h1><p>{count} operations. Machine-readable: <a href=\"/openapi.json\">/openapi.json</a> (OpenAPI 3.1); \
each schema in full, with calls to try: <a href=\"/docs/try\">/docs/try</a> (Swagger UI). \
Sign in with <code>POST /api/v1/sessions</code> and send <code>Authorization: Bearer &lt;token&gt;</code>. Every state change takes an \
<code>Idempotency-Key</code> header. Errors are <code>application/problem+json</code> with a stable <code>code</code>; any operation may answer \
{common}, and each lists its own.</p>\
<table><thead><tr><th scope=\"col\">Method</th><th scope=\"col\">Path</th><th scope=\"col\">Operation</th><th scope=\"col\">What it does</th></tr></thead>\
<tbody>{rows}</tbody></table></body></html>",
        common = esc(&super::COMMON_ERRORS.join(", ")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swagger_ui_runs_from_files_only_and_the_plain_page_lists_schemas() {
        // Only script and style files of this server: nothing inline.
        assert!(!TRY_PAGE.contains("<script>") && !TRY_PAGE.contains("<style"));
        assert!(TRY_PAGE.contains("src=\"/static/docs/init.js\""));
        assert!(INIT.contains("url: \"/openapi.json\"") && INIT.contains("tryItOutEnabled: true"));
        assert!(BUNDLE.len() > 1_000_000 && LICENSE.contains("Apache License"));
        let page = page();
        assert!(page.contains("<tr id=\"sign_in\">") && page.contains("body: SignIn"));
        assert!(page.contains("200 Session") && page.contains("errors: sign_in_locked"));
        assert!(!page.contains("<script") && !page.contains("<style"));
    }
}
