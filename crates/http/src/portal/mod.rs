//! The portal: server-rendered pages for cardholders and staff, in Chinese and English, from
//! the same application functions as the API. Browser sessions live in an HttpOnly,
//! SameSite=Strict, Secure cookie; every form carries a CSRF token derived from the session
//! with a key outside the database, and an idempotency key drawn when the form was shown.
//! PINs are typed into password fields and never rendered back or logged.

mod clerk;
mod holder;
mod i18n;
mod staff;

pub(super) use self::i18n::Lang;

use axum::Form;
use axum::Router;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use shebao_app::cards::{ActivateRequest, LossReport};
use shebao_app::money::CashRequest;
use shebao_app::views::{AccountView, CardView};
use shebao_app::{Actor, App, AppError};
use shebao_domain::access::Role;

use self::i18n::{card_status, cookie, t};
use crate::Shared;
use crate::sign_in_limit::{self, Peer};

const SESSION_COOKIE: &str = "shebao_session";
/// The pre-session cookie of the sign-in form (issue 13, part of 12): a random nonce whose
/// keyed MAC the form carries (a signed double submit). A cross-site page can neither read
/// the cookie nor compute the MAC, so it cannot post a sign-in (login CSRF: signing a
/// victim's browser into the attacker's account).
const LOGIN_COOKIE: &str = "shebao_login";
const STYLE: &str = include_str!("portal.css");
/// htmx 2.0.11 (npm `htmx.org`, Zero-Clause BSD), vendored so the binary serves everything:
/// forms that take a while send in the background and show a progress indicator; every page
/// still works without scripts.
const HTMX: &str = include_str!("vendor/htmx-2.0.11.min.js");

/// Picks the text of the page's language (for texts used on one page only).
pub(super) fn tr<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Whether a form's CSRF token is the session's.
pub(super) fn csrf_ok(browser: &Browser, presented: &str) -> bool {
    shebao_app::vault::same_secret(&browser.csrf, presented)
}

/// An application refusal as a page shows it: "Not done: " and the reason.
pub(super) fn refused(lang: Lang, error: &AppError) -> String {
    notice("error", &format!("{}{error}", t(lang, "refused")))
}

/// The HTTP status an application refusal maps to.
pub(super) fn error_status(error: &AppError) -> StatusCode {
    StatusCode::from_u16(error.status()).unwrap_or(StatusCode::CONFLICT)
}

/// The 403 page for a form whose CSRF token is not the session's.
pub(super) fn csrf_refused(lang: Lang, browser: &Browser) -> Response {
    page(
        lang,
        StatusCode::FORBIDDEN,
        Some(browser),
        &notice("error", t(lang, "csrf")),
    )
}

/// Escapes text for HTML element content and attribute values.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(super) use shebao_app::pdf::yuan;

/// The signed-in browser session: who, its secret, and the CSRF token its forms carry.
pub(super) struct Browser {
    pub(super) actor: Actor,
    pub(super) token: String,
    pub(super) csrf: String,
}

impl FromRequestParts<Shared> for Browser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        shared: &Shared,
    ) -> Result<Self, Self::Rejection> {
        let to_sign_in = || redirect("/login");
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
        Ok(Browser { actor, token, csrf })
    }
}

fn csrf_for(app: &App, session_token: &str) -> String {
    app.vault().fingerprint(&format!("csrf:{session_token}"))
}

pub(super) fn redirect(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// A whole page: the layout around `body`, with the security headers every page sends.
pub(super) fn page(
    lang: Lang,
    status: StatusCode,
    browser: Option<&Browser>,
    body: &str,
) -> Response {
    let signed = match browser {
        Some(b) => format!(
            "<form method=\"post\" action=\"/logout\" class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <span>{}</span> <button type=\"submit\">{}</button></form>",
            esc(&b.csrf),
            esc(&b.actor.username),
            t(lang, "sign_out")
        ),
        None => String::new(),
    };
    let other = if lang == Lang::Zh { "en" } else { "zh" };
    let html = format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/static/portal.css\">\
         <meta name=\"htmx-config\" content='{{\"includeIndicatorStyles\":false,\"allowEval\":false,\"allowScriptTags\":false}}'>\
         <script src=\"/static/htmx.min.js\" defer></script></head>\
         <body><header><a href=\"/home\" class=\"brand\">{title}</a><nav><a href=\"/lang/{other}\" lang=\"{other}\">{switch}</a> {signed}</nav></header>\
         <main id=\"main\">{body}</main></body></html>",
        code = lang.code(),
        title = t(lang, "title"),
        switch = t(lang, "switch"),
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(crate::headers::PAGE_POLICY),
    );
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    headers.insert("cache-control", HeaderValue::from_static("no-store"));
    response
}

pub(super) fn notice(kind: &str, text: &str) -> String {
    format!(
        "<p class=\"notice {kind}\" role=\"status\">{}</p>",
        esc(text)
    )
}

async fn script() -> Response {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, crate::headers::STATIC_CACHE),
        ],
        HTMX,
    )
        .into_response()
}

async fn style() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, crate::headers::STATIC_CACHE),
        ],
        STYLE,
    )
        .into_response()
}

fn sign_in_form(lang: Lang, message: Option<&str>, csrf: &str) -> String {
    format!(
        "<h1>{title}</h1>{message}<form method=\"post\" action=\"/login\" class=\"card\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label for=\"username\">{user}</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required>\
         <label for=\"password\">{pass}</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
         <button type=\"submit\">{sign_in}</button></form>",
        title = t(lang, "sign_in"),
        message = message.map(|m| notice("error", m)).unwrap_or_default(),
        user = t(lang, "username"),
        pass = t(lang, "password"),
        sign_in = t(lang, "sign_in"),
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

async fn sign_in_page(State(s): State<Shared>, headers: HeaderMap) -> Response {
    sign_in_answer(&s, &headers, StatusCode::OK, None)
}

#[derive(Deserialize)]
struct SignInForm {
    username: String,
    password: String,
    /// Missing is refused like wrong (403), not as a malformed form.
    #[serde(default)]
    csrf: String,
}

async fn sign_in(
    State(s): State<Shared>,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let csrf_matches = login_nonce(&headers).is_some_and(|nonce| {
        shebao_app::vault::same_secret(&login_csrf(&s.app, &nonce), &form.csrf)
    });
    if !csrf_matches {
        return sign_in_answer(&s, &headers, StatusCode::FORBIDDEN, Some(t(lang, "csrf")));
    }
    let ticket = match sign_in_limit::admit(&s, peer).await {
        Ok(ticket) => ticket,
        Err(retry_after_seconds) => {
            let refused = sign_in_answer(
                &s,
                &headers,
                StatusCode::TOO_MANY_REQUESTS,
                Some(t(lang, "sign_in_throttled")),
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
                Some(t(lang, "sign_in_locked")),
            ),
            u64::try_from(retry_after_seconds).unwrap_or(1),
        ),
        _ => sign_in_answer(
            &s,
            &headers,
            StatusCode::UNAUTHORIZED,
            Some(t(lang, "sign_in_failed")),
        ),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn sign_out(
    State(s): State<Shared>,
    browser: Browser,
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

async fn switch_language(Path(code): Path<String>) -> Response {
    let value = if code == "en" { "en" } else { "zh" };
    let mut response = redirect("/home");
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "lang={value}; Path=/; SameSite=Lax; Max-Age=31536000"
    )) {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

async fn root(headers: HeaderMap) -> Response {
    if cookie(&headers, SESSION_COOKIE).is_some() {
        redirect("/home")
    } else {
        redirect("/login")
    }
}

/// Runs application code on a blocking thread.
pub(super) async fn blocking<T: Send + 'static>(
    s: &Shared,
    work: impl FnOnce(&App) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    crate::extract::blocking(&s.app, &s.calls, work).await?
}

/// A hidden CSRF field and a fresh idempotency key for one form.
pub(super) fn form_guard(browser: &Browser) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"key\" value=\"{}\">",
        esc(&browser.csrf),
        esc(&shebao_app::new_id("form"))
    )
}

/// The next step for the holder's card, in plain words, from its state.
fn next_step(lang: Lang, card: &CardView, account: Option<&AccountView>, bank: &str) -> String {
    let zh = lang == Lang::Zh;
    match (card.usable.as_str(), card.status.as_str(), account.map(|a| a.status.as_str())) {
        ("usable", _, Some("deposit_only")) if zh => format!(
            "您的银行账户目前只能存入、不能支取（只收不付）：请携带本卡和身份证原件到{bank}任一网点激活金融功能并设置密码。"
        ),
        ("usable", _, Some("deposit_only")) => format!(
            "Your bank account is deposit-only (money in, nothing out): bring this card and your original ID card to any branch of {bank} to activate it and set a PIN."
        ),
        ("usable", _, Some("active")) if zh => "您的社保卡两项功能均可使用。".to_owned(),
        ("usable", _, Some("active")) => "Both sides of your card work.".to_owned(),
        ("usable", _, _) if zh => "社保功能可以使用；临时卡没有金融功能。".to_owned(),
        ("usable", _, _) => "The social security side works; a temporary card has no financial function.".to_owned(),
        (_, "ready_for_collection", _) if zh => format!("您的卡已制成，请携带身份证原件到{}领取。", card.distribution_point.clone().unwrap_or_default()),
        (_, "ready_for_collection", _) => format!("Your card is ready: collect it at {} with your original ID card.", card.distribution_point.clone().unwrap_or_default()),
        ("card_lost", _, _) if zh => "卡已挂失。如已找到可到窗口解除挂失；正式挂失后可申请补卡。".to_owned(),
        ("card_lost", _, _) => "The card is reported lost. If you find it, cancel the report at a window; after a formal report you can apply for a replacement.".to_owned(),
        _ if zh => "如有疑问，请到社保经办窗口或拨打12333咨询。".to_owned(),
        _ => "For questions, visit a bureau window or call 12333.".to_owned(),
    }
}

async fn home(State(s): State<Shared>, headers: HeaderMap, browser: Browser) -> Response {
    let lang = Lang::from_headers(&headers);
    let body = match browser.actor.role {
        Role::Cardholder => holder_home(&s, lang, &browser).await + &holder::links(lang),
        Role::BankTeller => desk_home(lang, &browser, None),
        Role::BureauClerk => clerk::home(&s, lang, &browser).await,
        Role::Employer | Role::Cashier | Role::Auditor => staff::home(&s, lang, &browser).await,
        Role::Administrator | Role::BankSystem => format!(
            "<h1>{}</h1><p>{} <a href=\"/docs\">/docs</a></p>",
            t(lang, "home"),
            t(lang, "api_desk")
        ),
    };
    page(lang, StatusCode::OK, Some(&browser), &body)
}

/// The financial account's state in plain words.
fn financial_words(lang: Lang, account: Option<&AccountView>) -> &'static str {
    match account.map(|a| a.status.as_str()) {
        Some("deposit_only") => tr(
            lang,
            "只收不付（待激活）",
            "deposit-only (not yet activated)",
        ),
        Some("active") => tr(lang, "已激活", "active"),
        Some(_) => tr(lang, "已关闭", "closed"),
        None => tr(lang, "无", "none"),
    }
}

async fn holder_home(s: &Shared, lang: Lang, browser: &Browser) -> String {
    let actor = browser.actor.clone();
    let Some(person) = actor.person_id.clone() else {
        return notice("error", t(lang, "not_found"));
    };
    let loaded = blocking(s, move |app| {
        let cards = app.cards_of_person(&actor, person.as_str())?;
        let banks = app.banks(&actor)?;
        let mut rows = Vec::new();
        for card in cards {
            let account = card
                .account_id
                .as_ref()
                .map(|_| app.card_account(&actor, &card.id))
                .transpose()?;
            let bank = banks
                .iter()
                .find(|b| Some(&b.id) == card.bank_id.as_ref())
                .map(|b| b.name.clone())
                .unwrap_or_default();
            rows.push((card, account, bank));
        }
        Ok(rows)
    })
    .await;
    let rows = match loaded {
        Ok(rows) => rows,
        Err(error) => return notice("error", &error.to_string()),
    };
    let mut body = format!("<h1>{}</h1>", t(lang, "my_cards"));
    if rows.is_empty() {
        body.push_str(&notice("info", t(lang, "no_card")));
    }
    for (card, account, bank) in rows.iter().rev() {
        let financial = financial_words(lang, account.as_ref());
        let social = card_status(lang, &card.usable, &card.status);
        body.push_str(&format!(
            "<section class=\"card\" aria-labelledby=\"c-{id}\"><h2 id=\"c-{id}\">{card_label} {number}</h2><dl>\
             <dt>{bank_card_label}</dt><dd>{bank_card}</dd><dt>{social_label}</dt><dd class=\"state\">{social}</dd>\
             <dt>{financial_label}</dt><dd class=\"state\" data-financial=\"{financial_code}\">{financial}</dd>\
             <dt>{balance_label}</dt><dd>{balance}</dd></dl><h3>{next_label}</h3><p class=\"next\">{next}</p>{loss}</section>",
            id = esc(&card.id),
            card_label = t(lang, "card_number"),
            number = esc(&card.card_number),
            bank_card_label = t(lang, "bank_card"),
            bank_card = esc(card.bank_card_number.as_deref().unwrap_or("-")),
            social_label = t(lang, "social_side"),
            financial_label = t(lang, "financial_side"),
            financial_code = esc(account.as_ref().map_or("none", |a| a.status.as_str())),
            balance_label = t(lang, "balance"),
            balance = account.as_ref().map(|a| yuan(a.balance_fen)).unwrap_or_else(|| "-".into()),
            next_label = t(lang, "next_step"),
            next = esc(&next_step(lang, card, account.as_ref(), bank)),
            loss = if card.usable == "usable" {
                format!(
                    "<form method=\"post\" action=\"/home/cards/{}/loss\">{}<button type=\"submit\" class=\"secondary\">{}</button></form>",
                    esc(&card.id),
                    form_guard(browser),
                    t(lang, "report_loss")
                )
            } else {
                String::new()
            },
        ));
    }
    body
}

#[derive(Deserialize)]
struct GuardedForm {
    csrf: String,
    key: String,
}

async fn report_loss(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Path(card): Path<String>,
    Form(form): Form<GuardedForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&browser, &form.csrf) {
        return csrf_refused(lang, &browser);
    }
    let actor = browser.actor.clone();
    let outcome = blocking(&s, move |app| {
        for side in ["social", "financial"] {
            let report = LossReport {
                side: side.into(),
                kind: "temporary".into(),
            };
            match app.report_loss(&actor, &format!("{}-{side}", form.key), &card, report) {
                // A temporary card has no financial side to report.
                Err(e) if e.code() == "temporary_card_no_financial_function" => {}
                other => {
                    other?;
                }
            }
        }
        Ok(())
    })
    .await;
    match outcome {
        Ok(()) => redirect("/home"),
        Err(error) => page(
            lang,
            StatusCode::CONFLICT,
            Some(&browser),
            &refused(lang, &error),
        ),
    }
}

fn desk_home(lang: Lang, browser: &Browser, found: Option<String>) -> String {
    let desk = if browser.actor.role == Role::BankTeller {
        t(lang, "desk_teller")
    } else {
        t(lang, "desk_clerk")
    };
    let mut body = format!(
        "<h1>{desk}</h1><form method=\"get\" action=\"/desk/card\" class=\"card\"><label for=\"card_id\">{label}</label>\
         <input id=\"card_id\" name=\"card_id\" required><button type=\"submit\">{find}</button></form>",
        label = t(lang, "card_id"),
        find = t(lang, "find_card"),
    );
    if let Some(found) = found {
        body.push_str(&found);
    }
    body
}

#[derive(Deserialize)]
struct CardQuery {
    card_id: String,
}

async fn desk_card(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Query(query): Query<CardQuery>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let body = desk_card_body(&s, lang, &browser, query.card_id.trim(), None).await;
    page(lang, StatusCode::OK, Some(&browser), &body)
}

async fn desk_card_body(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    card_id: &str,
    message: Option<String>,
) -> String {
    let (actor, id) = (browser.actor.clone(), card_id.to_owned());
    let loaded = blocking(s, move |app| {
        let card = app.card(&actor, &id)?;
        let account = card
            .account_id
            .as_ref()
            .map(|_| app.card_account(&actor, &id))
            .transpose()?;
        Ok((card, account))
    })
    .await;
    let found = match loaded {
        Ok((card, account)) => {
            let mut html = format!(
                "<section class=\"card\"><h2>{label} {number}</h2><dl><dt>{status_label}</dt><dd class=\"state\">{status}</dd>\
                 <dt>{financial_label}</dt><dd class=\"state\" data-financial=\"{financial}\">{financial_words}</dd><dt>{balance_label}</dt><dd>{balance}</dd></dl>",
                label = t(lang, "card_number"),
                number = esc(&card.card_number),
                status_label = t(lang, "status"),
                status = card_status(lang, &card.usable, &card.status),
                financial_label = t(lang, "financial_side"),
                financial = esc(account.as_ref().map_or("none", |a| a.status.as_str())),
                financial_words = financial_words(lang, account.as_ref()),
                balance_label = t(lang, "balance"),
                balance = account
                    .as_ref()
                    .map(|a| yuan(a.balance_fen))
                    .unwrap_or_else(|| "-".into()),
            );
            if browser.actor.role == Role::BankTeller
                && account.as_ref().is_some_and(|a| a.status == "deposit_only")
            {
                html.push_str(&format!(
                    "<form method=\"post\" action=\"/desk/cards/{id}/activate\" autocomplete=\"off\"><h3>{title}</h3>{guard}\
                     <label for=\"citizen_id\">{citizen}</label><input id=\"citizen_id\" name=\"citizen_id\" required autocomplete=\"off\">\
                     <label for=\"pin\">{pin_pad}</label><input id=\"pin\" name=\"pin\" type=\"password\" inputmode=\"numeric\" pattern=\"[0-9]{{6}}\" maxlength=\"6\" required autocomplete=\"off\">\
                     <button type=\"submit\">{title}</button></form>",
                    id = esc(&card.id),
                    title = t(lang, "activate"),
                    guard = form_guard(browser),
                    citizen = t(lang, "citizen_id"),
                    pin_pad = t(lang, "pin_pad"),
                ));
            }
            if browser.actor.role == Role::BankTeller && account.is_some() {
                html.push_str(&format!(
                    "<form method=\"post\" action=\"/desk/cards/{id}/deposit\"><h3>{title}</h3>{guard}<label for=\"amount\">{amount}</label>\
                     <input id=\"amount\" name=\"amount_yuan\" inputmode=\"decimal\" required><button type=\"submit\">{title}</button></form>",
                    id = esc(&card.id),
                    title = t(lang, "deposit"),
                    guard = form_guard(browser),
                    amount = t(lang, "amount_yuan"),
                ));
            }
            if browser.actor.role == Role::BankTeller && account.is_some() {
                html.push_str(&format!(
                    "<p><a href=\"/desk/cards/{id}/withdrawal\">{withdraw}</a> · <a href=\"/desk/cards/{id}/unlock\">{unlock}</a></p>",
                    id = esc(&card.id),
                    withdraw = tr(lang, "现金取款", "Cash withdrawal"),
                    unlock = tr(lang, "密码解锁", "Unlock a PIN"),
                ));
            }
            html.push_str("</section>");
            html
        }
        Err(error) => refused(lang, &error),
    };
    let mut body = message.unwrap_or_default();
    body.push_str(&desk_home(lang, browser, Some(found)));
    body
}

#[derive(Deserialize)]
struct ActivateForm {
    csrf: String,
    key: String,
    citizen_id: String,
    pin: String,
}

async fn desk_activate(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Path(card): Path<String>,
    Form(form): Form<ActivateForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&browser, &form.csrf) {
        return csrf_refused(lang, &browser);
    }
    let (actor, id) = (browser.actor.clone(), card.clone());
    let request = ActivateRequest {
        citizen_id: form.citizen_id,
        pin: form.pin,
    };
    let outcome = blocking(&s, move |app| {
        app.activate_financial(&actor, &form.key, &id, request)
    })
    .await;
    let (status, message) = match outcome {
        Ok(_) => (StatusCode::OK, notice("ok", t(lang, "activated"))),
        Err(error) => (error_status(&error), refused(lang, &error)),
    };
    let body = desk_card_body(&s, lang, &browser, &card, Some(message)).await;
    page(lang, status, Some(&browser), &body)
}

#[derive(Deserialize)]
struct DepositForm {
    csrf: String,
    key: String,
    amount_yuan: String,
}

async fn desk_deposit(
    State(s): State<Shared>,
    headers: HeaderMap,
    browser: Browser,
    Path(card): Path<String>,
    Form(form): Form<DepositForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    if !csrf_ok(&browser, &form.csrf) {
        return csrf_refused(lang, &browser);
    }
    let Some(amount_fen) = shebao_app::declarations::parse_yuan(&form.amount_yuan) else {
        let body = desk_card_body(
            &s,
            lang,
            &browser,
            &card,
            Some(notice("error", t(lang, "amount_yuan"))),
        )
        .await;
        return page(
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&browser),
            &body,
        );
    };
    let (actor, id) = (browser.actor.clone(), card.clone());
    let outcome = blocking(&s, move |app| {
        app.deposit(
            &actor,
            &form.key,
            &id,
            CashRequest {
                amount_fen,
                pin: None,
                memo: None,
            },
        )
    })
    .await;
    let (status, message) = match outcome {
        Ok(shebao_app::views::MoneyOutcome::Posted(_)) => {
            (StatusCode::OK, notice("ok", t(lang, "deposited")))
        }
        Ok(shebao_app::views::MoneyOutcome::AwaitingApproval(_)) => (
            StatusCode::ACCEPTED,
            notice("ok", t(lang, "awaiting_approval")),
        ),
        Err(error) => (error_status(&error), refused(lang, &error)),
    };
    let body = desk_card_body(&s, lang, &browser, &card, Some(message)).await;
    page(lang, status, Some(&browser), &body)
}

/// The portal's routes, beside the API's.
pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .merge(clerk::routes())
        .merge(holder::routes())
        .merge(staff::routes())
        .route("/", get(root))
        .route("/static/portal.css", get(style))
        .route("/static/htmx.min.js", get(script))
        .route("/login", get(sign_in_page).post(sign_in))
        .route("/logout", post(sign_out))
        .route("/lang/{code}", get(switch_language))
        .route("/home", get(home))
        .route("/home/cards/{card}/loss", post(report_loss))
        .route("/desk/card", get(desk_card))
        .route("/desk/cards/{card}/activate", post(desk_activate))
        .route("/desk/cards/{card}/deposit", post(desk_deposit))
        .layer(axum::middleware::from_fn(refuse_nul))
}

/// Refuses a page request whose path, query or form holds a NUL character: no field of the
/// portal may contain one, and the database must never be handed one (PostgreSQL refuses it
/// with an error, which would otherwise surface as a failure page). File uploads (multipart)
/// are left to their parsers, which read files as bytes.
async fn refuse_nul(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let lang = Lang::from_headers(request.headers());
    let refuse = || {
        page(
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            &notice("error", t(lang, "nul_refused")),
        )
    };
    if holds_nul(request.uri().to_string().as_bytes()) {
        return refuse();
    }
    let is_form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::BODY_LIMIT_BYTES).await else {
        return page(
            lang,
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
            &notice("error", t(lang, "too_large")),
        );
    };
    if holds_nul(&bytes) {
        return refuse();
    }
    next.run(axum::extract::Request::from_parts(
        parts,
        axum::body::Body::from(bytes),
    ))
    .await
}

/// A raw NUL or a percent-encoded one (`%00`).
fn holds_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0) || bytes.windows(3).any(|w| w == b"%00")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_html() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(yuan(123_456), "1234.56");
        assert_eq!(yuan(-5), "-0.05");
    }

    #[test]
    fn the_language_follows_the_cookie_then_the_browser() {
        let mut headers = HeaderMap::new();
        assert_eq!(Lang::from_headers(&headers), Lang::Zh);
        headers.insert(
            "accept-language",
            HeaderValue::from_static("en-US,en;q=0.9"),
        );
        assert_eq!(Lang::from_headers(&headers), Lang::En);
        headers.insert("cookie", HeaderValue::from_static("other=1; lang=zh"));
        assert_eq!(Lang::from_headers(&headers), Lang::Zh);
    }
}
