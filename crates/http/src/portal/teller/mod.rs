//! The bank teller's desk: the card desk (activation of the financial side, deposits),
//! cash withdrawal with the PIN, and PIN unlocks.

pub(crate) mod counter;
pub(crate) mod desk;
pub(crate) mod find;
pub(crate) mod unlock;
pub(crate) mod withdrawal;

use axum::Router;
use axum::routing::{get, post};

use crate::Shared;
use crate::portal::i18n::Lang;
use crate::portal::page::esc;
use crate::portal::page::{desk_only, page};
use crate::portal::session::Browser;
use crate::portal::session::Visit;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use shebao_domain::access::Role;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/desk/card", get(self::desk::desk_card))
        .route("/desk/cards/find", post(self::find::find_card))
        .route("/desk/cards/found", get(self::find::found_cards))
        .route(
            "/desk/cards/{card}/activate",
            post(self::desk::desk_activate),
        )
        .route("/desk/cards/{card}/deposit", post(self::desk::desk_deposit))
        .route(
            "/desk/cards/{card}/handover",
            post(self::counter::hand_over),
        )
        .route(
            "/desk/cards/{card}/instant-issue",
            post(self::counter::issue),
        )
        .route(
            "/desk/cards/{card}/instant-report",
            post(self::counter::report),
        )
        .route(
            "/desk/cards/{card}/withdrawal",
            get(|visit, card| first_form_page(visit, card, self::withdrawal::withdrawal_body))
                .post(self::withdrawal::teller_withdraw),
        )
        .route(
            "/desk/cards/{card}/unlock",
            get(|visit, card| first_form_page(visit, card, self::unlock::unlock_body))
                .post(self::unlock::teller_unlock),
        )
}

/// The teller's desk on the home page.
pub(crate) fn home(lang: Lang, browser: &Browser) -> String {
    self::desk::desk_home(lang, browser, None)
}

/// A teller form's body for one card, with a message above the form.
pub(crate) type FormBody = fn(Lang, &Browser, &str, &str) -> String;

/// A teller form's page for one card, with `message` (a refusal or the outcome) above it.
pub(crate) fn form_page(
    lang: Lang,
    status: StatusCode,
    browser: &Browser,
    card: &str,
    message: &str,
    body: FormBody,
) -> Response {
    page(
        lang,
        status,
        Some(browser),
        &body(lang, browser, card, message),
    )
}

/// A teller form shown for the first time: the teller's own page, 403 for anyone else.
async fn first_form_page(
    Visit { browser, lang, .. }: Visit,
    Path(card): Path<String>,
    body: FormBody,
) -> Response {
    if let Some(refusal) = desk_only(lang, &browser, Role::BankTeller) {
        return refusal;
    }
    form_page(lang, StatusCode::OK, &browser, &card, "", body)
}

/// The heading of a teller form: its title, the card, and the way back to the card.
pub(crate) fn teller_heading(lang: Lang, card: &str, title: &str) -> String {
    format!(
        "<h1>{title}</h1><p><a href=\"/desk/card?card_id={query}\">{back}</a></p>",
        title = esc(title),
        query = esc(&url_component(card)),
        back = lang.words().back_to_card(),
    )
}

/// Percent-encodes a value for a URL query (card ids are plain, but nothing is assumed).
pub(crate) fn url_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
