//! Signing in and out of the portal, and the language switch. The sign-in form carries a
//! token bound to a pre-session cookie; a sign-in rotates the browser's session.

/// The pre-session cookie of the sign-in form (issue 13, part of 12): a random nonce whose
/// keyed MAC the form carries (a signed double submit). A cross-site page can neither read
/// the cookie nor compute the MAC, so it cannot post a sign-in (login CSRF: signing a
/// victim's browser into the attacker's account).
const LOGIN_COOKIE: &str = "shebao_login";

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use shebao_app::{App, AppError};

use crate::Shared;
use crate::portal::i18n::Lang;
use crate::portal::i18n::cookie;
use crate::portal::page::{Notice, redirect, rendered};
use crate::portal::session::SESSION_COOKIE;
use crate::portal::session::Visit;
use crate::portal::session::csrf_ok;
use crate::portal::session::safe_return;
use crate::portal::words::Words;
use crate::sign_in_limit::{self, Peer};

#[derive(askama::Template)]
#[template(path = "sign_in/sign_in.html")]
struct SignInPage<'a> {
    words: &'static dyn Words,
    notice: Option<Notice>,
    /// The browser's session had expired: say so, and keep its drafts for after.
    expired: bool,
    csrf: &'a str,
    /// The page to return to after signing in.
    next: Option<&'a str>,
    /// The name typed before (a wrong password keeps it).
    username: &'a str,
}

/// What the sign-in page is asked to show, beyond the form.
#[derive(Default, Deserialize)]
pub(crate) struct SignInQuery {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    expired: Option<String>,
    /// A login was just opened on the enrolment page.
    #[serde(default)]
    enrolled: Option<String>,
}

/// The sign-in page's state: a notice, the session that expired, the page to return to and
/// the name typed.
#[derive(Default)]
struct Shown<'a> {
    notice: Option<Notice>,
    expired: bool,
    next: Option<&'a str>,
    username: &'a str,
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

/// The sign-in page: the form carries the token of the browser's login nonce, drawn (and set
/// as a cookie) when it has none.
fn sign_in_answer(
    s: &Shared,
    headers: &HeaderMap,
    status: StatusCode,
    shown: Shown<'_>,
) -> Response {
    let lang = Lang::from_headers(headers);
    let (nonce, fresh) = login_nonce_or_new(headers);
    let csrf = login_csrf(&s.app, &nonce);
    let form = SignInPage {
        words: lang.words(),
        notice: shown.notice,
        expired: shown.expired,
        csrf: &csrf,
        next: shown.next.filter(|next| safe_return(next)),
        username: shown.username,
    };
    with_nonce(rendered(lang, status, None, &form), &nonce, fresh)
}

/// The browser's login nonce, or a new one (and whether it is new).
fn login_nonce_or_new(headers: &HeaderMap) -> (String, bool) {
    match login_nonce(headers) {
        Some(nonce) => (nonce, false),
        None => {
            let bytes = shebao_app::vault::random_bytes::<32>();
            (bytes.iter().map(|b| format!("{b:02x}")).collect(), true)
        }
    }
}

/// Sets a new login nonce's cookie (for `/login` and the pages under it) on `response`.
fn with_nonce(mut response: Response, nonce: &str, fresh: bool) -> Response {
    if fresh
        && let Ok(value) = HeaderValue::from_str(&format!(
            "{LOGIN_COOKIE}={nonce}; Path=/login; HttpOnly; Secure; SameSite=Strict"
        ))
    {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

/// Why a public form (sign-in, enrolment) was not taken: its status, its words in the page's
/// language, and the wait to send with it.
struct NotTaken {
    status: StatusCode,
    text: &'static str,
    retry_after_seconds: Option<u64>,
}

impl NotTaken {
    /// The page `answer` draws, with the wait when there is one.
    fn answer(self, answer: impl FnOnce(StatusCode, Option<Notice>) -> Response) -> Response {
        let response = answer(self.status, refusal(self.text));
        match self.retry_after_seconds {
            Some(seconds) => sign_in_limit::with_retry_after(response, seconds),
            None => response,
        }
    }
}

/// The two checks a public form of `/login` passes first: its token is the one of the
/// browser's login nonce, then the address is within its rate of attempts.
async fn admit_public(
    s: &Shared,
    headers: &HeaderMap,
    peer: std::net::IpAddr,
    csrf: &str,
) -> Result<sign_in_limit::Ticket, NotTaken> {
    let lang = Lang::from_headers(headers);
    let csrf_matches = login_nonce(headers)
        .is_some_and(|nonce| shebao_app::vault::same_secret(&login_csrf(&s.app, &nonce), csrf));
    if !csrf_matches {
        return Err(NotTaken {
            status: StatusCode::FORBIDDEN,
            text: lang.words().csrf(),
            retry_after_seconds: None,
        });
    }
    sign_in_limit::admit(s, peer)
        .await
        .map_err(|retry_after_seconds| NotTaken {
            status: StatusCode::TOO_MANY_REQUESTS,
            text: lang.words().sign_in_throttled(),
            retry_after_seconds: Some(retry_after_seconds),
        })
}

/// A refusal of the sign-in page in the page's language.
fn refusal(text: impl Into<String>) -> Option<Notice> {
    Some(Notice {
        kind: "error",
        text: text.into(),
    })
}

pub(crate) async fn sign_in_page(
    State(s): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<SignInQuery>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let shown = Shown {
        notice: query
            .enrolled
            .is_some()
            .then(|| Notice::ok(lang.words().enrolled())),
        expired: query.expired.is_some(),
        next: query.next.as_deref(),
        username: "",
    };
    sign_in_answer(&s, &headers, StatusCode::OK, shown)
}

#[derive(Deserialize)]
pub(crate) struct SignInForm {
    username: String,
    password: String,
    /// Missing is refused like wrong (403), not as a malformed form.
    #[serde(default)]
    csrf: String,
    /// The page to return to (kept only when it is one of the portal's).
    #[serde(default)]
    next: String,
}

pub(crate) async fn sign_in(
    State(s): State<Shared>,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let next = form.next.clone();
    // A holder signs in with the ID number: the page never writes one back.
    let typed = if form.username.chars().filter(char::is_ascii_digit).count() >= 14 {
        String::new()
    } else {
        form.username.clone()
    };
    let shown = |notice: Option<Notice>| Shown {
        notice,
        expired: false,
        next: Some(next.as_str()),
        username: typed.as_str(),
    };
    let ticket = match admit_public(&s, &headers, peer, &form.csrf).await {
        Ok(ticket) => ticket,
        Err(not_taken) => {
            return not_taken
                .answer(|status, notice| sign_in_answer(&s, &headers, status, shown(notice)));
        }
    };
    // Rotation: a session this browser already holds ends when a new one begins, so a
    // session planted before sign-in (fixation) or left behind never outlives it.
    let previous = cookie(&headers, SESSION_COOKIE);
    let username = form.username.clone();
    let outcome = crate::extract::blocking(&s.app, &s.calls, move |app| {
        let signed_in = app.sign_in(&form.username, &form.password, "browser", peer);
        if signed_in.is_ok()
            && let Some(previous) = previous
            && let Err(error) = app.sign_out(&previous)
        {
            // The new session stands; the old one ends by its idle limit at the latest.
            tracing::warn!(code = error.code(), "ending the previous session failed");
        }
        // Where this name stands from here after a failure: the tries left, or the wait.
        let standing = app.sign_in_standing(&username, peer);
        Ok::<_, AppError>((signed_in, standing))
    })
    .await;
    match outcome {
        Ok(Ok((Ok(session), _))) => {
            s.sign_in_limiter.succeeded(ticket);
            let to = if safe_return(&next) {
                next.as_str()
            } else {
                "/home"
            };
            let mut response = redirect(to);
            let cookie = format!(
                "{SESSION_COOKIE}={}; Path=/; HttpOnly; Secure; SameSite=Strict",
                session.token
            );
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(SET_COOKIE, value);
            }
            response
        }
        Ok(Ok((Err(locked @ AppError::SignInLocked { .. }), _))) => {
            let seconds = locked.retry_after_seconds().unwrap_or(1);
            sign_in_limit::with_retry_after(
                sign_in_answer(
                    &s,
                    &headers,
                    StatusCode::TOO_MANY_REQUESTS,
                    shown(refusal(lang.words().app_error(&locked))),
                ),
                u64::try_from(seconds).unwrap_or(1),
            )
        }
        Ok(Ok((Err(AppError::Unauthenticated), standing))) => {
            // The failure that starts a wait says how long it lasts; the ones before warn.
            let text = if standing.retry_after_seconds > 0 {
                lang.words().app_error(&AppError::SignInLocked {
                    retry_after_seconds: standing.retry_after_seconds,
                })
            } else {
                lang.words().sign_in_failed_tries(standing.tries_left)
            };
            sign_in_answer(&s, &headers, StatusCode::UNAUTHORIZED, shown(refusal(text)))
        }
        Ok(Ok((Err(error), _))) | Ok(Err(error)) | Err(error) => sign_in_answer(
            &s,
            &headers,
            crate::portal::page::error_status(&error),
            shown(refusal(lang.words().app_error(&error))),
        ),
    }
}

#[derive(askama::Template)]
#[template(path = "sign_in/enrol.html")]
struct EnrolPage<'a> {
    words: &'static dyn Words,
    notice: Option<Notice>,
    csrf: &'a str,
    card_number: &'a str,
    identification_code: &'a str,
    username: &'a str,
}

/// The enrolment page (under `/login`, so that the sign-in form's nonce cookie guards it the
/// same way), with what was typed but never the ID number, PIN or password.
fn enrol_answer(
    s: &Shared,
    headers: &HeaderMap,
    status: StatusCode,
    notice: Option<Notice>,
    typed: Option<&EnrolForm>,
) -> Response {
    let lang = Lang::from_headers(headers);
    let (nonce, fresh) = login_nonce_or_new(headers);
    let csrf = login_csrf(&s.app, &nonce);
    let page = EnrolPage {
        words: lang.words(),
        notice,
        csrf: &csrf,
        card_number: typed.map_or("", |t| t.card_number.as_str()),
        identification_code: typed.map_or("", |t| t.identification_code.as_str()),
        username: typed.map_or("", |t| t.username.as_str()),
    };
    with_nonce(rendered(lang, status, None, &page), &nonce, fresh)
}

pub(crate) async fn enrol_page(State(s): State<Shared>, headers: HeaderMap) -> Response {
    enrol_answer(&s, &headers, StatusCode::OK, None, None)
}

#[derive(Deserialize)]
pub(crate) struct EnrolForm {
    #[serde(default)]
    csrf: String,
    citizen_id: String,
    card_number: String,
    identification_code: String,
    social_pin: String,
    username: String,
    password: String,
}

/// A holder opens their own login with their card; limited per address like a sign-in.
pub(crate) async fn enrol(
    State(s): State<Shared>,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(form): Form<EnrolForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let ticket = match admit_public(&s, &headers, peer, &form.csrf).await {
        Ok(ticket) => ticket,
        Err(not_taken) => {
            return not_taken
                .answer(|status, notice| enrol_answer(&s, &headers, status, notice, Some(&form)));
        }
    };
    let request = shebao_app::access::holder_logins::SelfEnrolment {
        citizen_id: form.citizen_id.trim().to_owned(),
        card_number: form.card_number.trim().to_owned(),
        identification_code: form.identification_code.trim().to_owned(),
        social_pin: form.social_pin.clone(),
        username: form.username.trim().to_owned(),
        password: form.password.clone(),
    };
    let outcome: Result<Result<_, AppError>, AppError> =
        crate::extract::blocking(&s.app, &s.calls, move |app| app.enrol_holder_login(request))
            .await;
    match outcome {
        Ok(Ok(shebao_app::views::UserView { .. })) => {
            s.sign_in_limiter.succeeded(ticket);
            redirect("/login?enrolled=1")
        }
        Ok(Err(error)) | Err(error) => {
            let status = crate::portal::page::error_status(&error);
            let refused = refusal(format!(
                "{}{}",
                lang.words().refused(),
                lang.words().app_error(&error)
            ));
            enrol_answer(&s, &headers, status, refused, Some(&form))
        }
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
