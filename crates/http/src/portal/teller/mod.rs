//! The bank teller's desk: the card desk (activation of the financial side, deposits),
//! cash withdrawal with the PIN, and PIN unlocks.

pub(crate) mod desk;
pub(crate) mod unlock;
pub(crate) mod withdrawal;

use axum::Router;
use axum::routing::{get, post};

use crate::Shared;
use crate::portal::i18n::Lang;
use crate::portal::i18n::tr;
use crate::portal::page::esc;
use crate::portal::session::Browser;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/desk/card", get(self::desk::desk_card))
        .route(
            "/desk/cards/{card}/activate",
            post(self::desk::desk_activate),
        )
        .route("/desk/cards/{card}/deposit", post(self::desk::desk_deposit))
        .route(
            "/desk/cards/{card}/withdrawal",
            get(self::withdrawal::teller_withdrawal_page).post(self::withdrawal::teller_withdraw),
        )
        .route(
            "/desk/cards/{card}/unlock",
            get(self::unlock::teller_unlock_page).post(self::unlock::teller_unlock),
        )
}

/// The teller's desk on the home page.
pub(crate) fn home(lang: Lang, browser: &Browser) -> String {
    self::desk::desk_home(lang, browser, None)
}

pub(crate) fn teller_heading(lang: Lang, card: &str, title: &str) -> String {
    format!(
        "<h1>{title}</h1><p>{card_label} {card}</p><p><a href=\"/desk/card?card_id={query}\">{back}</a></p>",
        title = esc(title),
        card_label = tr(lang, "卡编号", "Card id"),
        card = esc(card),
        query = esc(&url_component(card)),
        back = tr(lang, "返回卡片", "Back to the card"),
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
