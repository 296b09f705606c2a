//! Signing in and out of the portal, and the language switch. The sign-in form carries a
//! token bound to a pre-session cookie; a sign-in rotates the browser's session.

/// The pre-session cookie of the sign-in form (issue 13, part of 12): a random nonce whose
/// keyed MAC the form carries (a signed double submit). A cross-site page can neither read
/// the cookie nor compute the MAC, so it cannot post a sign-in (login CSRF: signing a
/// victim's browser into the attacker's account).
const LOGIN_COOKIE: &str = "shebao_login";

use axum::Form;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use shebao_app::{App, AppError};

use crate::Shared;
use crate::portal::i18n::Lang;
use crate::portal::i18n::cookie;
use crate::portal::page::esc;
use crate::portal::page::notice;
use crate::portal::page::page;
use crate::portal::page::redirect;
use crate::portal::session::SESSION_COOKIE;
use crate::portal::session::Visit;
use crate::portal::session::csrf_ok;
use crate::sign_in_limit::{self, Peer};

fn sign_in_form(lang: Lang, message: Option<&str>, csrf: &str) -> String {
    format!(
        "<h1>{title}</h1>{message}<form method=\"post\" action=\"/login\" class=\"card\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label for=\"username\">{user}</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required>\
         <label for=\"password\">{pass}</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
         <button type=\"submit\">{sign_in}</button></form>",
        title = lang.words().sign_in(),
        message = message.map(|m| notice("error", m)).unwrap_or_default(),
        user = lang.words().username(),
        pass = lang.words().password(),
        sign_in = lang.words().sign_in(),
        csrf = esc(csrf),
    )
}

/// The sign-in form's token for a login nonce.
fn login_csrf(app: &App, nonce: &str) -> String {
    app.vault().fingerprint(&format!("login-csrf:{nonce}"))
}

/// The browser's login nonce, if it sent a well-formed one.
fn login_nonce(headers: &HeaderMap) -> Option<String> {
    cookie(headers, LOGIN_COOKIE)
        .filter(|n| n.len() == 64 && n.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The sign-in page with `message`: the form carries the token of the browser's login nonce,
/// drawn (and set as a cookie) when it has none.
fn sign_in_answer(
    s: &Shared,
    headers: &HeaderMap,
    status: StatusCode,
    message: Option<&str>,
) -> Response {
    let lang = Lang::from_headers(headers);
    let (nonce, fresh) = match login_nonce(headers) {
        Some(nonce) => (nonce, false),
        None => {
            let bytes = shebao_app::vault::random_bytes::<32>();
            (bytes.iter().map(|b| format!("{b:02x}")).collect(), true)
        }
    };
    let form = sign_in_form(lang, message, &login_csrf(&s.app, &nonce));
    let mut response = page(lang, status, None, &form);
    if fresh
        && let Ok(value) = HeaderValue::from_str(&format!(
            "{LOGIN_COOKIE}={nonce}; Path=/login; HttpOnly; Secure; SameSite=Strict"
        ))
    {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

pub(crate) async fn sign_in_page(State(s): State<Shared>, headers: HeaderMap) -> Response {
    sign_in_answer(&s, &headers, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub(crate) struct SignInForm {
    username: String,
    password: String,
    /// Missing is refused like wrong (403), not as a malformed form.
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn sign_in(
    State(s): State<Shared>,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let csrf_matches = login_nonce(&headers).is_some_and(|nonce| {
        shebao_app::vault::same_secret(&login_csrf(&s.app, &nonce), &form.csrf)
    });
    let expired = Some(lang.words().csrf());
    if !csrf_matches {
        return sign_in_answer(&s, &headers, StatusCode::FORBIDDEN, expired);
    }
    let ticket = match sign_in_limit::admit(&s, peer).await {
        Ok(ticket) => ticket,
        Err(retry_after_seconds) => {
            let refused = sign_in_answer(
                &s,
                &headers,
                StatusCode::TOO_MANY_REQUESTS,
                Some(lang.words().sign_in_throttled()),
            );
            return sign_in_limit::with_retry_after(refused, retry_after_seconds);
        }
    };
    // Rotation: a session this browser already holds ends when a new one begins, so a
    // session planted before sign-in (fixation) or left behind never outlives it.
    let previous = cookie(&headers, SESSION_COOKIE);
    let outcome = crate::extract::blocking(&s.app, &s.calls, move |app| {
        let session = app.sign_in(&form.username, &form.password, "browser", peer)?;
        if let Some(previous) = previous {
            app.sign_out(&previous)?;
        }
        Ok::<_, AppError>(session)
    })
    .await;
    match outcome {
        Ok(Ok(session)) => {
            s.sign_in_limiter.succeeded(ticket);
            let mut response = redirect("/home");
            let cookie = format!(
                "{SESSION_COOKIE}={}; Path=/; HttpOnly; Secure; SameSite=Strict",
                session.token
            );
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(SET_COOKIE, value);
            }
            response
        }
        Ok(Err(AppError::SignInLocked {
            retry_after_seconds,
        })) => sign_in_limit::with_retry_after(
            sign_in_answer(
                &s,
                &headers,
                StatusCode::TOO_MANY_REQUESTS,
                Some(lang.words().sign_in_locked()),
            ),
            u64::try_from(retry_after_seconds).unwrap_or(1),
        ),
        _ => sign_in_answer(
            &s,
            &headers,
            StatusCode::UNAUTHORIZED,
            Some(lang.words().sign_in_failed()),
        ),
    }
}

#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    csrf: String,
}

pub(crate) async fn sign_out(
    Visit { s, browser, .. }: Visit,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !csrf_ok(&browser, &form.csrf) {
        return redirect("/home");
    }
    let token = browser.token.clone();
    let _signed_out =
        crate::extract::blocking(&s.app, &s.calls, move |app| app.sign_out(&token)).await;
    let mut response = redirect("/login");
    response.headers_mut().append(
        SET_COOKIE,
        HeaderValue::from_static(
            "shebao_session=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0",
        ),
    );
    response
}

pub(crate) async fn switch_language(Path(code): Path<String>) -> Response {
    let value = if code == "en" { "en" } else { "zh" };
    let mut response = redirect("/home");
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "lang={value}; Path=/; SameSite=Lax; Max-Age=31536000"
    )) {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

pub(crate) async fn root(headers: HeaderMap) -> Response {
    if cookie(&headers, SESSION_COOKIE).is_some() {
        redirect("/home")
    } else {
        redirect("/login")
    }
}
