//! Changing the social security PIN: the holder picks one of their cards by its printed
//! number (never an internal id) and types the current and the new PIN.

use axum::Form;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::card::PinChange;
use shebao_app::views::CardView;

use crate::portal::holder::{Holder, holder_post_refusal, person_of};
use crate::portal::i18n::card_status;
use crate::portal::page::{Notice, error_status, rendered};
use crate::portal::session::Visit;
use crate::portal::words::Words;

/// A card whose social PIN can be changed, as the picker shows it.
struct PinCard {
    id: String,
    number: String,
    state: &'static str,
}

#[derive(askama::Template)]
#[template(path = "holder/pin.html")]
struct PinPage<'a> {
    words: &'static dyn Words,
    notice: Option<Notice>,
    csrf: &'a str,
    key: String,
    cards: Vec<PinCard>,
    /// The card picked before (kept when the form comes back with a refusal).
    chosen: &'a str,
}

/// The holder's collected cards with a social PIN, or the refusal that kept them from view.
async fn pin_cards(visit: &Visit) -> Result<Vec<PinCard>, shebao_app::AppError> {
    let person = person_of(&visit.browser);
    let lang = visit.lang;
    let cards: Vec<CardView> = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.cards_of_person(actor, &person)
        })
        .await?;
    Ok(cards
        .into_iter()
        .filter(|card| card.social_pin_set && card.status == "collected")
        .map(|card| PinCard {
            state: card_status(lang, &card),
            id: card.id,
            number: card.card_number,
        })
        .collect())
}

/// The PIN page with `notice` above the form and the card `chosen` picked (the first when
/// none was).
async fn pin_page_with(
    visit: &Visit,
    status: StatusCode,
    notice: Option<Notice>,
    chosen: &str,
) -> Response {
    let (lang, browser) = (visit.lang, &visit.browser);
    let (status, notice, cards) = match (pin_cards(visit).await, notice) {
        (Ok(cards), notice) => (status, notice, cards),
        // The notice of what was just done stays, even when the list cannot be shown.
        (Err(_), Some(notice)) => (status, Some(notice), Vec::new()),
        (Err(error), None) => (
            error_status(&error),
            Some(Notice::refused(lang, &error)),
            Vec::new(),
        ),
    };
    let chosen = match cards.first() {
        Some(first) if chosen.is_empty() => first.id.clone(),
        _ => chosen.to_owned(),
    };
    let body = PinPage {
        words: lang.words(),
        notice,
        csrf: &browser.csrf,
        key: shebao_app::new_id("form"),
        cards,
        chosen: &chosen,
    };
    rendered(lang, status, Some(browser), &body)
}

pub(crate) async fn pin_page(Holder(visit): Holder) -> Response {
    pin_page_with(&visit, StatusCode::OK, None, "").await
}

#[derive(Deserialize)]
pub(crate) struct PinForm {
    csrf: String,
    key: String,
    card_id: String,
    old_pin: String,
    new_pin: String,
}

pub(crate) async fn change_pin(visit: Visit, Form(form): Form<PinForm>) -> Response {
    let lang = visit.lang;
    if let Some(refused) = holder_post_refusal(lang, &visit.browser, &form.csrf) {
        return refused;
    }
    let change = PinChange {
        old_pin: form.old_pin,
        new_pin: form.new_pin,
    };
    let card = form.card_id.trim().to_owned();
    let chosen = card.clone();
    let outcome = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.change_social_pin(actor, &form.key, &card, change)
        })
        .await;
    let (status, notice) = match outcome {
        Ok(_) => (StatusCode::OK, Notice::ok(lang.words().pin_changed())),
        Err(error) => (error_status(&error), Notice::refused(lang, &error)),
    };
    pin_page_with(&visit, status, Some(notice), &chosen).await
}
