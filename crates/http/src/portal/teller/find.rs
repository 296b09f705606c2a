//! Finding a card at a desk (teller or clerk) by what the person shows: the card number,
//! the ID number or the bank card number, or (a clerk) the holder's name, posted (never in a URL) and audited by the
//! application. What is found is shown by a redirect to its page, so that going back or
//! reloading never posts the search again; what is not found is said beside the field, the
//! input kept.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::card::{CardSearch, CardSearchBy};
use shebao_app::views::{CardView, PersonView};
use shebao_domain::access::Role;

use crate::portal::clerk::clerk_only;
use crate::portal::i18n::Lang;
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::table::table_template;
use crate::portal::page::{forbidden, html, page, redirect, refusal, refused};
use crate::portal::session::{Browser, Visit};
use crate::portal::words::Words;

#[derive(askama::Template)]
#[template(path = "desk/find_card.html")]
struct FindCard<'a> {
    words: &'static dyn Words,
    /// What the desk may search by (by name: a bureau clerk), as (value, words).
    kinds: Vec<(&'static str, &'static str)>,
    by_name: bool,
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
    let by_name = browser.actor.role == Role::BureauClerk;
    let kinds = lang
        .words()
        .card_search_kinds()
        .into_iter()
        .filter(|(value, _)| by_name || *value != CardSearchBy::Name.as_str())
        .collect();
    html(&FindCard {
        words: lang.words(),
        kinds,
        by_name,
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
        // Namesakes: the clerk chooses among them on a page given the cards' ids (internal
        // ids, no personal data in the URL).
        (Role::BureauClerk, CardSearchBy::Name)
            if cards.iter().any(|c| c.person_id != card.person_id) =>
        {
            let ids: Vec<String> = cards.iter().map(|c| super::url_component(&c.id)).collect();
            format!("/desk/cards/found?cards={}", ids.join(","))
        }
        (Role::BureauClerk, CardSearchBy::Name) => format!("/clerk/persons/{}", card.person_id),
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
        let words = lang.words();
        let text = if form.by == CardSearchBy::Name {
            words.no_person_of_name()
        } else {
            words.no_card_found()
        };
        (StatusCode::NOT_FOUND, text.to_owned())
    } else {
        let status = crate::portal::page::error_status(&error);
        // A search the desk may not make keeps nothing of what was typed.
        let kept = if error.code() == "forbidden" {
            ""
        } else {
            form.number.as_str()
        };
        let body =
            refused(lang, &error) + &find_card_form(lang, &browser, form.by.as_str(), kept, None);
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

table_template!(
    Namesakes,
    "desk/found_cards.html",
    (PersonView, Vec<CardView>)
);

/// The cards of a search by name, by id, comma-separated.
#[derive(Deserialize)]
pub(crate) struct FoundQuery {
    #[serde(default)]
    cards: String,
}

/// Most card ids the namesakes' page reads (20 persons, each with a few cards).
const FOUND_CARDS_MAX: usize = 100;

/// The namesakes a clerk's search by name found: each person (masked) with the cards found,
/// each read as the card and person pages read them (audited).
pub(crate) async fn found_cards(visit: Visit, Query(query): Query<FoundQuery>) -> Response {
    let Visit { s, browser, lang } = visit;
    if let Some(refusal) = clerk_only(lang, &browser) {
        return refusal;
    }
    let ids: Vec<String> = query
        .cards
        .split(',')
        .filter(|id| !id.is_empty())
        .take(FOUND_CARDS_MAX)
        .map(str::to_owned)
        .collect();
    let loaded = browser
        .call(&s, move |app, actor| {
            let mut people: Vec<(PersonView, Vec<CardView>)> = Vec::new();
            for id in &ids {
                let card = app.card(actor, id)?;
                match people.iter_mut().find(|(p, _)| p.id == card.person_id) {
                    Some((_, cards)) => cards.push(card),
                    None => people.push((app.person(actor, &card.person_id)?, vec![card])),
                }
            }
            Ok(people)
        })
        .await;
    let (status, body) = match loaded {
        Ok(people) => (
            StatusCode::OK,
            html(&Namesakes {
                words: lang.words(),
                rows: &people,
            }),
        ),
        Err(error) => refusal(lang, &error),
    };
    let body = format!(
        "{}<section class=\"card\">{body}</section>",
        find_card_form(lang, &browser, CardSearchBy::Name.as_str(), "", None)
    );
    page(
        lang,
        status,
        Some(&browser),
        &desk_heading(lang, Role::BureauClerk, &body),
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
