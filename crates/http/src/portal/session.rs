//! The browser session: the signed-in actor from the HttpOnly session cookie, the CSRF token
//! derived from it, and running application code for a page on a blocking thread.

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "shebao_session";

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
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
        // 303 to the sign-in page, as `page::redirect` answers (not used here: pages build
        // on the session, not the other way round).
        let to_sign_in = || Redirect::to("/login").into_response();
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
