//! The browser session: the signed-in actor from the HttpOnly session cookie, the CSRF token
//! derived from it, and running application code for a page on a blocking thread.

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "shebao_session";

use axum::extract::FromRequestParts;
use axum::http::header::{HOST, REFERER};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use axum::response::{IntoResponse, Redirect};
use shebao_app::{Actor, App, AppError};

use crate::Shared;
use crate::portal::i18n::{Lang, cookie};

/// Whether a form's CSRF token is the session's.
pub(crate) fn csrf_ok(browser: &Browser, presented: &str) -> bool {
    shebao_app::vault::same_secret(&browser.csrf, presented)
}

/// The signed-in browser session: who, its secret, and the CSRF token its forms carry.
pub(crate) struct Browser {
    pub(super) actor: Actor,
    pub(super) token: String,
    pub(super) csrf: String,
}

impl Browser {
    /// Runs application code on a blocking thread as the session's actor.
    pub(crate) async fn call<T: Send + 'static>(
        &self,
        s: &Shared,
        work: impl FnOnce(&App, &Actor) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let actor = self.actor.clone();
        blocking(s, move |app| work(app, &actor)).await
    }
}

fn csrf_for(app: &App, session_token: &str) -> String {
    app.vault().fingerprint(&format!("csrf:{session_token}"))
}

/// Runs application code on a blocking thread.
pub(crate) async fn blocking<T: Send + 'static>(
    s: &Shared,
    work: impl FnOnce(&App) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    crate::extract::blocking(&s.app, &s.calls, work).await?
}

/// The page a request came from or asks for, to return to after signing in: a page's own
/// address for a GET, the page the form was on (its same-origin `Referer`) for a post.
fn return_to(parts: &Parts) -> Option<String> {
    if parts.method == axum::http::Method::GET {
        return parts.uri.path_and_query().map(|p| p.as_str().to_owned());
    }
    let referer = parts.headers.get(REFERER)?.to_str().ok()?;
    let host = parts.headers.get(HOST)?.to_str().ok()?;
    let after_scheme = referer.split_once("://")?.1;
    let path = after_scheme.strip_prefix(host)?;
    Some(path.to_owned())
}

/// Where a browser without a valid session is sent: the sign-in page, told whether a
/// session had expired (the browser still sent one) and which page to return to. A
/// request htmx sent in the background is told to load that page whole (`HX-Redirect`):
/// never a sign-in form inside a page whose header still says signed in.
fn sign_in_first(parts: &Parts, expired: bool) -> Response {
    let mut to = String::from("/login");
    let mut separator = '?';
    if expired {
        to.push_str("?expired=1");
        separator = '&';
    }
    if let Some(next) = return_to(parts).filter(|next| safe_return(next)) {
        to.push(separator);
        to.push_str("next=");
        to.push_str(&crate::portal::teller::url_component(&next));
    }
    if parts.headers.contains_key("hx-request") {
        let mut response = StatusCode::NO_CONTENT.into_response();
        if let Ok(value) = HeaderValue::from_str(&to) {
            response.headers_mut().insert("hx-redirect", value);
        }
        return response;
    }
    Redirect::to(&to).into_response()
}

/// Whether `next` is a page of this portal to return to after signing in: a local path
/// (never another site's, `//host` or `/\\host`), not the sign-in itself or the API,
/// short and printable.
pub(crate) fn safe_return(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.starts_with("/login")
        && !next.starts_with("/logout")
        && !next.starts_with("/api/")
        && next.len() <= 512
        && next.bytes().all(|b| b.is_ascii_graphic())
}

/// A signed-in browser's visit to a page: the server's state, the session and the page's
/// language. A browser without a valid session is sent to sign in.
pub(crate) struct Visit {
    pub(crate) s: Shared,
    pub(crate) browser: Browser,
    pub(crate) lang: Lang,
}

impl FromRequestParts<Shared> for Visit {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, shared: &Shared) -> Result<Self, Response> {
        let sent = cookie(&parts.headers, SESSION_COOKIE).is_some();
        let to_sign_in = || sign_in_first(parts, sent);
        let token = cookie(&parts.headers, SESSION_COOKIE)
            .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(to_sign_in)?;
        let checked = token.clone();
        let actor = crate::extract::blocking(&shared.app, &shared.calls, move |app| {
            app.authenticate(&checked)
        })
        .await
        .map_err(|_| to_sign_in())?
        .map_err(|_| to_sign_in())?;
        crate::trace::record_role(actor.role);
        let csrf = csrf_for(&shared.app, &token);
        Ok(Visit {
            s: shared.clone(),
            browser: Browser { actor, token, csrf },
            lang: Lang::from_headers(&parts.headers),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::safe_return;

    #[test]
    fn only_a_local_page_is_returned_to() {
        assert!(safe_return("/clerk/persons/new"));
        assert!(safe_return("/auditor/trail?action=card.collect"));
        for unsafe_next in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "/login?next=/home",
            "/api/v1/cards",
            "/a b",
            "",
        ] {
            assert!(!safe_return(unsafe_next), "{unsafe_next}");
        }
    }
}
