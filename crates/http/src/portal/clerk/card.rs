//! One card at the clerk's window: its page and the actions its state allows.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::card::{CancelRequest, CollectRequest, LossCancellation, LossReport, ReadyRequest};
use shebao_app::views::{CardView, PersonView};
use shebao_app::{Actor, App, AppError};

use crate::Shared;
use crate::portal::card_history::card_history;
use crate::portal::clerk::card_state::CardAction;
use crate::portal::clerk::card_state::action_form;
use crate::portal::clerk::card_state::offered;
use crate::portal::clerk::clerk_only;
use crate::portal::clerk::kind_words;
use crate::portal::clerk::loaded_page;
use crate::portal::clerk::loss_words;
use crate::portal::clerk::person::new_card_message;
use crate::portal::i18n::Lang;
use crate::portal::i18n::LocalClock;
use crate::portal::i18n::card_status;
use crate::portal::page::as_data;
use crate::portal::page::error_status;
use crate::portal::page::esc;
use crate::portal::page::form::Posted;
use crate::portal::page::form::posted_form;
use crate::portal::page::notice;
use crate::portal::page::page;
use crate::portal::page::refused;
use crate::portal::session::Browser;
use crate::portal::session::Visit;
use crate::portal::session::blocking;

/// What a card's page shows.
struct CardPage {
    card: CardView,
    holder: PersonView,
    bank: Option<String>,
    /// The region's name.
    region: Option<String>,
    /// The printed numbers of the card this one replaces and of the one that replaced it.
    replaces: Option<String>,
    replaced_by: Option<String>,
    history: Vec<shebao_app::views::CardEventView>,
    clock: LocalClock,
}

fn card_html(lang: Lang, browser: &Browser, data: &CardPage, message: &str) -> String {
    card_state(lang, data, message)
        + &card_actions(lang, browser, &data.card)
        + "<section class=\"card\">"
        + &card_history(lang, data.clock, &data.card.id, &data.history)
        + "</section>"
}

/// A link to another card's page by its printed number, or "-".
fn card_link(id: Option<&String>, number: Option<&String>) -> String {
    match (id, number) {
        (Some(id), number) => format!(
            "<a href=\"/clerk/cards/{}\">{}</a>",
            esc(id),
            esc(number.unwrap_or(id))
        ),
        (None, _) => "-".to_owned(),
    }
}

/// A side's loss report in words, with its end (a local date) for a temporary one.
fn loss_text(lang: Lang, clock: LocalClock, loss: &shebao_app::views::LossView) -> String {
    match &loss.expires_at {
        Some(until) => format!(
            "{} ({} <time>{}</time>)",
            loss_words(lang, &loss.kind),
            lang.words().loss_until(),
            esc(&clock.date(until))
        ),
        None => loss_words(lang, &loss.kind).to_owned(),
    }
}

/// The card's heading, holder and state.
fn card_state(lang: Lang, data: &CardPage, message: &str) -> String {
    let card = &data.card;
    let clock = data.clock;
    let region = match &data.region {
        Some(name) => format!("{name} ({})", card.region),
        None => card.region.clone(),
    };
    format!(
        "<h1>{title} {number}</h1>{message}<p>{holder_label}: <a href=\"/clerk/persons/{person}\">{holder}</a> ({citizen}) · \
         <a href=\"/desk/card?card_id={id}\">{view}</a></p>\
         <section class=\"card\" aria-labelledby=\"state-title\"><h2 id=\"state-title\">{state_title}</h2><dl>\
         <dt>{kind_label}</dt><dd>{kind}</dd><dt>{status_label}</dt><dd class=\"state\" data-status=\"{status_code}\">{status}</dd>\
         <dt>{social_label}</dt><dd>{social_loss}</dd><dt>{financial_label}</dt><dd>{financial_loss}</dd>\
         <dt>{bank_label}</dt><dd>{bank}</dd><dt>{bank_card_label}</dt><dd>{bank_card}</dd>\
         <dt>{region_label}</dt><dd>{region}</dd><dt>{point_label}</dt><dd>{point}</dd>\
         <dt>{applied_label}</dt><dd>{applied}</dd><dt>{collected_label}</dt><dd>{collected}</dd>\
         <dt>{expires_label}</dt><dd>{expires}</dd><dt>{replaces_label}</dt><dd>{replaces}</dd>\
         <dt>{replaced_label}</dt><dd>{replaced}</dd></dl></section>",
        title = lang.words().card_number(),
        number = esc(&card.card_number),
        holder_label = lang.words().holder(),
        person = esc(&data.holder.id),
        holder = as_data(&data.holder.name),
        citizen = esc(&data.holder.citizen_id),
        id = esc(&card.id),
        view = lang.words().account_and_balance(),
        state_title = lang.words().status(),
        kind_label = lang.words().card_kind(),
        kind = kind_words(lang, &card.kind),
        status_label = lang.words().status(),
        status_code = esc(&card.status),
        status = card_status(lang, card),
        social_label = lang.words().social_side(),
        social_loss = loss_text(lang, clock, &card.social_loss),
        financial_label = lang.words().financial_side(),
        financial_loss = if card.kind == "temporary" {
            lang.words().none_temporary_card().to_owned()
        } else {
            loss_text(lang, clock, &card.financial_loss)
        },
        bank_label = lang.words().service_bank(),
        bank = as_data(data.bank.as_deref().unwrap_or("-")),
        bank_card_label = lang.words().bank_card(),
        bank_card = esc(card.bank_card_number.as_deref().unwrap_or("-")),
        region_label = lang.words().region(),
        region = as_data(&region),
        point_label = lang.words().distribution_point(),
        point = as_data(card.distribution_point.as_deref().unwrap_or("-")),
        applied_label = lang.words().applied_at(),
        applied = esc(&clock.time(&card.applied_at)),
        collected_label = lang.words().collected_at(),
        collected = esc(&card
            .collected_at
            .as_deref()
            .map_or_else(|| "-".to_owned(), |at| clock.time(at))),
        expires_label = lang.words().valid_until(),
        expires = esc(card.expires_on.as_deref().unwrap_or("-")),
        replaces_label = lang.words().replaces(),
        replaces = card_link(card.replaces.as_ref(), data.replaces.as_ref()),
        replaced_label = lang.words().replaced_by(),
        replaced = card_link(card.replaced_by.as_ref(), data.replaced_by.as_ref()),
    )
}

/// The forms of what the card's state allows, or that nothing does.
fn card_actions(lang: Lang, browser: &Browser, card: &CardView) -> String {
    let actions = offered(card);
    if actions.is_empty() {
        return notice("info", lang.words().card_done_with());
    }
    let mut body = format!(
        "<section class=\"card\" aria-labelledby=\"actions-title\"><h2 id=\"actions-title\">{}</h2>",
        lang.words().what_can_be_done()
    );
    for action in actions {
        body.push_str(&action_form(lang, browser, card, action));
    }
    body.push_str("</section>");
    body
}

/// Loads and renders a card's page for the clerk.
async fn card_response(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    card: String,
    message: String,
    status: StatusCode,
) -> Response {
    let actor = browser.actor.clone();
    let clock = LocalClock::of(s, browser).await;
    let loaded = blocking(s, move |app| {
        let card = app.card(&actor, &card)?;
        let holder = app.person(&actor, &card.person_id)?;
        let number = |id: &Option<String>| {
            id.as_ref()
                .and_then(|id| app.card(&actor, id).ok())
                .map(|c| c.card_number)
        };
        let (replaces, replaced_by) = (number(&card.replaces), number(&card.replaced_by));
        let history = app.card_history(&actor, &card.id)?;
        let region = app
            .regions(&actor)?
            .into_iter()
            .find(|r| r.code == card.region)
            .map(|r| r.name);
        let bank = match &card.bank_id {
            Some(bank) => app
                .banks(&actor)?
                .into_iter()
                .find(|b| &b.id == bank)
                .map(|b| b.name),
            None => None,
        };
        Ok(CardPage {
            card,
            holder,
            bank,
            region,
            replaces,
            replaced_by,
            history,
            clock,
        })
    })
    .await;
    loaded_page(lang, browser, status, message, loaded, |data, message| {
        card_html(lang, browser, data, message)
    })
}

pub(crate) async fn card_page(visit: Visit, Path(card): Path<String>) -> Response {
    let Visit { s, browser, lang } = visit;
    if let Some(refusal) = clerk_only(lang, &browser) {
        return refusal;
    }
    card_response(&s, lang, &browser, card, String::new(), StatusCode::OK).await
}

/// Every field an action form may carry; each action reads its own.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ActionForm {
    csrf: String,
    key: String,
    distribution_point: String,
    citizen_id: String,
    social_pin: String,
    side: String,
    kind: String,
    reason: String,
    /// The box of an action that cannot be undone, ticked.
    confirmed: String,
}

posted_form!(None => ActionForm);

pub(crate) async fn card_action(
    Posted(visit, Path((card, action)), form): Posted<ActionForm, Path<(String, String)>>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let Some(action) = CardAction::parse(&action) else {
        return page(
            lang,
            StatusCode::NOT_FOUND,
            Some(&browser),
            &notice("error", lang.words().not_found()),
        );
    };
    if action.asks_confirmation() && form.confirmed.is_empty() {
        let message = notice("error", lang.words().confirm_first());
        return card_response(
            &s,
            lang,
            &browser,
            card,
            message,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let id = card.clone();
    let outcome = browser
        .call(&s, move |app, actor| perform(app, actor, &id, action, form))
        .await;
    let (message, status) = match outcome {
        Ok(new) if action == CardAction::Replacement => (
            new_card_message(lang, action.done(lang), &new),
            StatusCode::OK,
        ),
        Ok(_) => (notice("ok", action.done(lang)), StatusCode::OK),
        Err(error) => (refused(lang, &error), error_status(&error)),
    };
    card_response(&s, lang, &browser, card, message, status).await
}

/// Does one action on one card for the clerk, with the fields its form carried.
fn perform(
    app: &App,
    actor: &Actor,
    id: &str,
    action: CardAction,
    form: ActionForm,
) -> Result<CardView, AppError> {
    let key = form.key.as_str();
    match action {
        CardAction::Production => app.start_production(actor, key, id),
        CardAction::Ready => app.mark_ready(
            actor,
            key,
            id,
            ReadyRequest {
                distribution_point: form.distribution_point,
            },
        ),
        CardAction::Collect => app.collect_card(
            actor,
            key,
            id,
            CollectRequest {
                citizen_id: form.citizen_id.trim().to_owned(),
                social_pin: form.social_pin,
            },
        ),
        CardAction::Loss => app.report_loss(
            actor,
            key,
            id,
            LossReport {
                side: form.side,
                kind: form.kind,
            },
        ),
        CardAction::CancelLoss => {
            app.cancel_loss(actor, key, id, LossCancellation { side: form.side })
        }
        CardAction::Replacement => app.request_replacement(actor, key, id),
        CardAction::Cancel => app.cancel_card(
            actor,
            key,
            id,
            CancelRequest {
                reason: form.reason,
            },
        ),
    }
}
