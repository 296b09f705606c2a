//! Finding a card at a desk (teller or clerk) by what the person shows: the card number,
//! the ID number or the bank card number, posted (never in a URL) and audited by the
//! application. What is found is shown by a redirect to its page, so that going back or
//! reloading never posts the search again; what is not found is said beside the field, the
//! input kept.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::card::{CardSearch, CardSearchBy};
use shebao_app::views::CardView;
use shebao_domain::access::Role;

use crate::portal::i18n::Lang;
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::{forbidden, html, page, redirect, refused};
use crate::portal::session::{Browser, Visit};
use crate::portal::words::Words;

#[derive(askama::Template)]
#[template(path = "desk/find_card.html")]
struct FindCard<'a> {
    words: &'static dyn Words,
    csrf: &'a str,
    by: &'a str,
    number: &'a str,
    error: Option<String>,
}

/// The search form of a desk, with what was typed and what was wrong with it.
pub(crate) fn find_card_form(
    lang: Lang,
    browser: &Browser,
    by: &str,
    number: &str,
    error: Option<String>,
) -> String {
    html(&FindCard {
        words: lang.words(),
        csrf: &browser.csrf,
        by,
        number,
        error,
    })
}

#[derive(Deserialize)]
pub(crate) struct FindCardForm {
    csrf: String,
    by: CardSearchBy,
    number: String,
}

posted_form!(None => FindCardForm);

/// Where a search's cards are shown: for the clerk, a person's page when searched by ID
/// number (it lists every card), else the card's page; for a teller, the card desk. Of
/// several cards, the one in use, else the newest.
fn found_at(role: Role, by: CardSearchBy, cards: &[CardView]) -> Option<String> {
    let card = cards
        .iter()
        .find(|c| c.status == "collected")
        .or_else(|| cards.first())?;
    Some(match (role, by) {
        (Role::BureauClerk, CardSearchBy::CitizenId) => {
            format!("/clerk/persons/{}", card.person_id)
        }
        (Role::BureauClerk, _) => format!("/clerk/cards/{}", card.id),
        _ => format!("/desk/card?card_id={}", super::url_component(&card.id)),
    })
}

pub(crate) async fn find_card(Posted(visit, (), form): Posted<FindCardForm>) -> Response {
    let Visit { s, browser, lang } = visit;
    let role = browser.actor.role;
    if !matches!(role, Role::BankTeller | Role::BureauClerk) {
        return forbidden(lang, &browser);
    }
    let search = CardSearch {
        by: form.by,
        number: form.number.trim().to_owned(),
    };
    let outcome = browser
        .call(&s, move |app, actor| app.find_cards(actor, search))
        .await;
    let error = match outcome {
        Ok(cards) => match found_at(role, form.by, &cards) {
            Some(to) => return redirect(&to),
            None => AppError::NotFound("card".into()),
        },
        Err(error) => error,
    };
    let (status, message) = if error.field().is_some() {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.words().field_error(&error),
        )
    } else if error.code() == "not_found" {
        (
            StatusCode::NOT_FOUND,
            lang.words().no_card_found().to_owned(),
        )
    } else {
        let status = crate::portal::page::error_status(&error);
        let body = refused(lang, &error)
            + &find_card_form(lang, &browser, form.by.as_str(), &form.number, None);
        return page(
            lang,
            status,
            Some(&browser),
            &desk_heading(lang, role, &body),
        );
    };
    let body = find_card_form(
        lang,
        &browser,
        form.by.as_str(),
        &form.number,
        Some(message),
    );
    page(
        lang,
        status,
        Some(&browser),
        &desk_heading(lang, role, &body),
    )
}

/// A desk's heading above `body`.
fn desk_heading(lang: Lang, role: Role, body: &str) -> String {
    let title = if role == Role::BankTeller {
        lang.words().desk_teller()
    } else {
        lang.words().desk_clerk()
    };
    format!("<h1>{title}</h1>{body}")
}
