//! Errors as RFC 9457 problem details with a stable `code`. Internal causes go to the log,
//! never to the client. Every problem answered is counted by its code
//! ([`crate::metrics::REFUSALS`]); a problem inside a batch's answer is not an answer of its
//! own and is not.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use shebao_app::AppError;

pub struct Problem {
    pub status: u16,
    pub code: String,
    pub detail: String,
    pub field: Option<&'static str>,
    /// Seconds after which trying again may succeed (`Retry-After`), for 429 answers.
    pub retry_after: Option<i64>,
}

impl Problem {
    pub fn new(status: u16, code: &str, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            code: code.to_owned(),
            detail: detail.into(),
            field: None,
            retry_after: None,
        }
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        // A failure of the service: its cause and source chain go to the log, never to the
        // client (the answer says only "internal error" or "unavailable").
        if let Some(cause) = error.cause_chain() {
            tracing::error!(target: "shebao::http", code = error.code(), cause = cause.as_str(), "request failed");
        }
        Problem {
            status: error.status(),
            code: error.code().to_owned(),
            detail: error.to_string(),
            field: error.field(),
            retry_after: error.retry_after_seconds(),
        }
    }
}

impl Problem {
    /// The problem details document (RFC 9457).
    pub fn body(&self) -> serde_json::Value {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut body = json!({
            "type": format!("urn:shebao:problem:{}", self.code),
            "title": status.canonical_reason().unwrap_or("Error"),
            "status": self.status,
            "code": self.code,
            "detail": self.detail,
        });
        if let Some(field) = self.field {
            body["field"] = json!(field);
        }
        body
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        crate::Metrics::refused(&self.code);
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, self.body().to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
