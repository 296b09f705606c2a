//! The staff's page that checks an electronic card's code (issue 19, item 5): a bureau
//! clerk, a bank teller or a hospital cashier scans the holder's QR code with the camera
//! (`ecard_scan.js`, where the browser can read QR codes) or pastes its text; the check is
//! the API's online one (the signature and expiry, the electronic card not revoked, the card
//! neither lost nor ended, a payment code used once), audited as a look-up of the holder,
//! who is shown masked.

use axum::Form;
use axum::Router;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use shebao_app::card::ecard::{CodeCheck, CodeCheckView};
use shebao_domain::access::Role;

use crate::Shared;
use crate::portal::i18n::LocalClock;
use crate::portal::page::{Notice, csrf_refused, error_status, forbidden, rendered};
use crate::portal::session::{Browser, Visit, csrf_ok};
use crate::portal::words::Words;

/// The camera's script: reads a QR code with the browser's `BarcodeDetector` where there
/// is one, into the form; without it the button stays hidden and the text is pasted.
const SCAN: &str = include_str!("ecard_scan.js");

/// A checked code as the page shows it.
struct Checked {
    purpose: String,
    name: String,
    citizen_id: String,
    card_number: String,
    region: String,
    expires: String,
    used: bool,
}

#[derive(askama::Template)]
#[template(path = "ecard_check.html")]
struct CheckPage<'a> {
    words: &'static dyn Words,
    notice: Option<Notice>,
    csrf: &'a str,
    key: String,
    checked: Option<Checked>,
}

fn checks_codes(browser: &Browser) -> bool {
    matches!(
        browser.actor.role,
        Role::BureauClerk | Role::BankTeller | Role::Cashier
    )
}

fn check_page(
    visit: &Visit,
    status: StatusCode,
    notice: Option<Notice>,
    checked: Option<Checked>,
) -> Response {
    let body = CheckPage {
        words: visit.lang.words(),
        notice,
        csrf: &visit.browser.csrf,
        key: shebao_app::new_id("form"),
        checked,
    };
    rendered(visit.lang, status, Some(&visit.browser), &body)
}

async fn check_form(visit: Visit) -> Response {
    if !checks_codes(&visit.browser) {
        return forbidden(visit.lang, &visit.browser);
    }
    check_page(&visit, StatusCode::OK, None, None)
}

#[derive(Deserialize)]
struct CheckForm {
    csrf: String,
    key: String,
    code: String,
}

async fn check(visit: Visit, Form(form): Form<CheckForm>) -> Response {
    let lang = visit.lang;
    if !checks_codes(&visit.browser) {
        return forbidden(lang, &visit.browser);
    }
    if !csrf_ok(&visit.browser, &form.csrf) {
        return csrf_refused(lang, &visit.browser);
    }
    let request = CodeCheck { code: form.code };
    let outcome = visit
        .browser
        .call(&visit.s, move |app, actor| {
            let clock = LocalClock::read(app, actor);
            Ok((clock, app.check_ecard_code(actor, &form.key, request)?))
        })
        .await;
    match outcome {
        Ok((clock, view)) => {
            let checked = shown(lang.words(), clock, view);
            let notice = Notice::ok(lang.words().check_valid());
            check_page(&visit, StatusCode::OK, Some(notice), Some(checked))
        }
        Err(error) => {
            let notice = Notice::refused(lang, &error);
            check_page(&visit, error_status(&error), Some(notice), None)
        }
    }
}

fn shown(words: &'static dyn Words, clock: LocalClock, view: CodeCheckView) -> Checked {
    Checked {
        purpose: words.everyday_code(&view.purpose).to_owned(),
        name: view.holder.name,
        citizen_id: view.holder.citizen_id,
        card_number: view.card_number,
        region: view.region,
        expires: clock.time(&view.expires_at),
        used: view.used,
    }
}

async fn scan_script() -> Response {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, crate::headers::STATIC_CACHE),
        ],
        SCAN,
    )
        .into_response()
}

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/ecard/check", get(check_form).post(check))
        .route("/static/ecard_scan.js", get(scan_script))
}
