//! Where a holder's card on its way is collected, from the home page: a pick-up point
//! chosen, or the post (an address); and a card the carrier delivered into the holder's
//! hands collected here, the holder choosing the social PIN.

use axum::extract::Path;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::card::MailedCollect;
use shebao_app::production::{MailChoice, PointChoice};
use shebao_domain::access::Role;

use super::home::Done;
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::{redirect, refusal_page};
use crate::portal::session::Visit;

/// The holder's choice of pick-up point for one of their cards.
#[derive(Deserialize)]
pub(crate) struct ChoiceForm {
    csrf: String,
    key: String,
    point: String,
}

/// The address a holder asks for a card to be posted to.
#[derive(Deserialize)]
pub(crate) struct MailForm {
    csrf: String,
    key: String,
    address: String,
    postcode: String,
}

/// The social PIN a holder chooses for a card the carrier delivered.
#[derive(Deserialize)]
pub(crate) struct MailedCollectForm {
    csrf: String,
    key: String,
    social_pin: String,
}

posted_form!(Some(Role::Cardholder) => ChoiceForm, MailForm, MailedCollectForm);

/// Chooses the pick-up point the card is sent to.
pub(crate) async fn choose_point(
    Posted(visit, Path(card), form): Posted<ChoiceForm, Path<String>>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let choice = PointChoice {
        point: form.point.trim().to_owned(),
    };
    let key = form.key;
    let outcome = browser
        .call(&s, move |app, actor| {
            app.choose_collection_point(actor, &key, &card, choice)
        })
        .await;
    match outcome {
        Ok(_) => redirect(Done::PointChosen.path()),
        Err(error) => refusal_page(lang, Some(&browser), &error),
    }
}

/// Asks for the card to be posted to the address given.
pub(crate) async fn choose_mail(
    Posted(visit, Path(card), form): Posted<MailForm, Path<String>>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let choice = MailChoice {
        address: form.address.trim().to_owned(),
        postcode: form.postcode.trim().to_owned(),
    };
    let key = form.key;
    let outcome = browser
        .call(&s, move |app, actor| {
            app.choose_mail_delivery(actor, &key, &card, choice)
        })
        .await;
    match outcome {
        Ok(_) => redirect(Done::MailChosen.path()),
        Err(error) => refusal_page(lang, Some(&browser), &error),
    }
}

/// Collects a card the carrier delivered into the holder's hands, with the social PIN
/// chosen.
pub(crate) async fn collect_mailed(
    Posted(visit, Path(card), form): Posted<MailedCollectForm, Path<String>>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let request = MailedCollect {
        social_pin: form.social_pin,
    };
    let key = form.key;
    let outcome = browser
        .call(&s, move |app, actor| {
            app.collect_mailed_card(actor, &key, &card, request)
        })
        .await;
    match outcome {
        Ok(_) => redirect(Done::MailedCollected.path()),
        Err(error) => refusal_page(lang, Some(&browser), &error),
    }
}
