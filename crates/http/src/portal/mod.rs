//! The portal: server-rendered pages for cardholders and staff, in Chinese and English, from
//! the same application functions as the API. Browser sessions live in an HttpOnly,
//! SameSite=Strict, Secure cookie; every form carries a CSRF token derived from the session
//! with a key outside the database, and an idempotency key drawn when the form was shown.
//! PINs are typed into password fields and never rendered back or logged.
//!
//! One folder or file per desk, named after its role: `holder`, `clerk`, `teller`,
//! `cashier`, `employer`, `auditor`, `secretary` (the appraisal committee's), `provider` (a training provider's); `sign_in` for
//! signing in and out. What pages share
//! lives in `page` (layout, forms, tables), `session` (the browser session) and `i18n`.

mod auditor;
mod card_history;
mod cashier;
mod chart;
mod clerk;
mod ecard_check;
mod employer;
mod holder;
mod i18n;
pub(crate) mod page;
mod production;
mod provider;
mod secretary;
mod session;
mod sign_in;
mod teller;
mod verify;
mod words;

pub(super) use self::i18n::Lang;

const STYLE: &str = include_str!("portal.css");
/// htmx 2.0.11 (npm `htmx.org`, Zero-Clause BSD), vendored so the binary serves everything:
/// forms that take a while send in the background and show a progress indicator; every page
/// still works without scripts.
const HTMX: &str = include_str!("vendor/htmx-2.0.11.min.js");
/// The portal's own script: forms keep what was typed across a sign-in after the session
/// expired (see the file's head).
const DRAFTS: &str = include_str!("drafts.js");

use axum::Router;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use shebao_domain::access::Role;

use self::page::notice;
use self::page::page;
use self::session::Visit;
use self::sign_in::root;
use self::sign_in::sign_in;
use self::sign_in::sign_in_page;
use self::sign_in::sign_out;
use self::sign_in::switch_language;
use crate::Shared;

pub(crate) async fn script() -> Response {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, crate::headers::STATIC_CACHE),
        ],
        HTMX,
    )
        .into_response()
}

async fn drafts() -> Response {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, crate::headers::STATIC_CACHE),
        ],
        DRAFTS,
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

async fn home(
    Visit { s, browser, lang }: Visit,
    axum::extract::Query(query): axum::extract::Query<holder::home::HomeQuery>,
) -> Response {
    let body = match browser.actor.role {
        Role::Cardholder => {
            holder::home::holder_home(&s, lang, &browser, query.done).await + &holder::links(lang)
        }
        Role::BankTeller => teller::home(lang, &browser),
        Role::BureauClerk => clerk::home(&s, lang, &browser).await,
        Role::Employer => employer::home(&s, lang, &browser).await,
        Role::Cashier => cashier::home(lang, &browser),
        Role::Auditor => auditor::home(&s, lang, &browser).await,
        Role::AppraisalSecretary => secretary::home(&s, lang, &browser).await,
        Role::TrainingProvider => provider::home(&s, lang, &browser).await,
        Role::ProductionOfficer => production::home(&s, lang, &browser).await,
        Role::CardVendor => production::vendor_home(&s, lang, &browser).await,
        Role::Administrator | Role::BankSystem => {
            format!(
                "<h1>{}</h1><p>{} <a href=\"/docs\">/docs</a></p>",
                lang.words().home(),
                lang.words().api_desk()
            )
        }
    };
    page(lang, StatusCode::OK, Some(&browser), &body)
}

/// The portal's routes, beside the API's.
pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .merge(clerk::routes())
        .merge(holder::routes())
        .merge(teller::routes())
        .merge(cashier::routes())
        .merge(employer::routes())
        .merge(auditor::routes())
        .merge(secretary::routes())
        .merge(provider::routes())
        .merge(production::routes())
        .merge(verify::routes())
        .merge(ecard_check::routes())
        .route("/", get(root))
        .route("/static/portal.css", get(style))
        .route("/static/htmx.min.js", get(script))
        .route("/static/drafts.js", get(drafts))
        .route("/login", get(sign_in_page).post(sign_in))
        .route(
            "/login/enrol",
            get(self::sign_in::enrol_page).post(self::sign_in::enrol),
        )
        .route("/logout", post(sign_out))
        .route("/lang/{code}", get(switch_language))
        .route("/home", get(home))
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
            &notice("error", lang.words().nul_refused()),
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
            &notice("error", lang.words().too_large()),
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

/// The page for a path nothing serves, in the browser's language, with a way home.
pub(crate) fn not_found_page(headers: &axum::http::HeaderMap) -> Response {
    let lang = i18n::Lang::from_headers(headers);
    let words = lang.words();
    let body = format!(
        "<h1>{}</h1><p><a href=\"/home\">{}</a></p>",
        page::esc(words.page_not_found()),
        page::esc(words.go_home())
    );
    page::page(lang, axum::http::StatusCode::NOT_FOUND, None, &body)
}
