//! A person at the clerk's window: find, show (masked, or in clear for a reason), apply for
//! a card, issue a temporary card.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::card::{CardApplication, TemporaryCardRequest};
use shebao_app::views::{CardView, PersonView, RegionView};
use shebao_app::{Actor, App, AppError};

use crate::Shared;
use crate::portal::clerk::card_state::lost_sides;
use crate::portal::clerk::clerk_only;
use crate::portal::clerk::desk;
use crate::portal::clerk::gender_words;
use crate::portal::clerk::household_words;
use crate::portal::clerk::kind_words;
use crate::portal::clerk::loaded_page;
use crate::portal::clerk::loss_words;
use crate::portal::clerk::region_options;
use crate::portal::clerk::side_words;
use crate::portal::i18n::Lang;
use crate::portal::i18n::card_status;
use crate::portal::page::as_data;
use crate::portal::page::definitions;
use crate::portal::page::error_status;
use crate::portal::page::esc;
use crate::portal::page::form::CITIZEN_ATTRS;
use crate::portal::page::form::Field;
use crate::portal::page::form::PIN_ATTRS;
use crate::portal::page::form::Posted;
use crate::portal::page::form::data_select;
use crate::portal::page::form::form_guard;
use crate::portal::page::form::{PostedForm, posted_form};
use crate::portal::page::notice;
use crate::portal::page::page;
use crate::portal::page::redirect;
use crate::portal::page::refused;
use crate::portal::session::Browser;
use crate::portal::session::Visit;
use crate::portal::session::blocking;

/// What a person's page shows.
struct PersonPage {
    person: PersonView,
    cards: Vec<CardView>,
    banks: Vec<(String, String)>,
    regions: Vec<RegionView>,
    clock: crate::portal::i18n::LocalClock,
}

fn card_line(lang: Lang, card: &CardView) -> String {
    let mut losses = String::new();
    for side in lost_sides(card) {
        let kind = if side == "social" {
            &card.social_loss.kind
        } else {
            &card.financial_loss.kind
        };
        losses.push_str(&format!(
            "; {}: {}",
            side_words(lang, side),
            loss_words(lang, kind)
        ));
    }
    format!(
        "<li><a href=\"/desk/card?card_id={id}\">{number}</a> ({kind}): {status}{losses} · \
         <a href=\"/clerk/cards/{id}\">{handle}</a></li>",
        id = esc(&card.id),
        number = esc(&card.card_number),
        kind = kind_words(lang, &card.kind),
        status = card_status(lang, card),
        losses = esc(&losses),
        handle = lang.words().handle_at_window(),
    )
}

fn person_html(lang: Lang, browser: &Browser, data: &PersonPage, message: &str) -> String {
    let mut body = person_section(lang, browser, data, message);
    body.push_str(&cards_section(lang, &data.cards));
    body.push_str(&card_forms(lang, browser, data));
    body.push_str(&crate::portal::clerk::login::login_forms(
        lang,
        browser,
        &data.person.id,
    ));
    body
}

/// The person's details, with the form that shows them in clear while they are masked.
/// A household region by its name: the region's own when it is set up, else the city's or
/// the province's it lies in (its code's first four or two digits), else the code alone.
fn household_region_words(lang: Lang, regions: &[RegionView], code: &str) -> String {
    let named = |wanted: &str| regions.iter().find(|r| r.code == wanted);
    if let Some(region) = named(code) {
        return format!("{code} {}", region.name);
    }
    let city = code.get(..4).map(|c| format!("{c}00"));
    let province = code.get(..2).map(|c| format!("{c}0000"));
    [city, province]
        .into_iter()
        .flatten()
        .find_map(|wider| named(&wider))
        .map_or_else(
            || code.to_owned(),
            |region| lang.words().region_in(code, &region.name),
        )
}

fn person_section(lang: Lang, browser: &Browser, data: &PersonPage, message: &str) -> String {
    let p = &data.person;
    let id = esc(&p.id);
    let region = household_region_words(lang, &data.regions, &p.household_region);
    let clear = if p.unmasked {
        notice("info", lang.words().unmasked_notice())
    } else {
        String::new()
    };
    let mut body = format!(
        "<h1>{title}</h1>{message}{clear}<section class=\"card\" aria-labelledby=\"person-title\">\
         <h2 id=\"person-title\" translate=\"no\">{name}</h2><dl>{details}</dl>",
        title = lang.words().person(),
        name = esc(&p.name),
        details = definitions(&[
            (lang.words().person_name(), as_data(&p.name)),
            (lang.words().citizen_id_plain(), esc(&p.citizen_id)),
            (
                lang.words().gender(),
                gender_words(lang, &p.gender).to_owned()
            ),
            (lang.words().birth_date(), esc(&p.birth_date)),
            (lang.words().nationality(), as_data(&p.nationality)),
            (lang.words().household_region(), as_data(&region),),
            (
                lang.words().household_kind(),
                household_words(lang, &p.household_kind).to_owned(),
            ),
            (lang.words().phone(), esc(p.phone.as_deref().unwrap_or("-"))),
            (
                lang.words().registered_at(),
                esc(&data.clock.time(&p.registered_at)),
            ),
        ]),
    );
    if !p.unmasked {
        body.push_str(&unmask_form(lang, browser, &id));
    }
    body.push_str("</section>");
    body
}

/// The form that shows a masked person in clear, for a reason recorded in the audit trail.
fn unmask_form(lang: Lang, browser: &Browser, id: &str) -> String {
    format!(
        "<form method=\"post\" action=\"/clerk/persons/{id}/unmask\" aria-labelledby=\"unmask-title\">\
         <h3 id=\"unmask-title\">{title}</h3>{guard}{reason}<button type=\"submit\" class=\"secondary\">{title}</button></form>",
        title = lang.words().show_in_clear(),
        guard = form_guard(browser),
        reason = Field {
            id: "unmask-reason",
            name: "reason",
            label: lang.words().unmask_reason(),
            attrs: "required minlength=\"4\" maxlength=\"200\"",
            hint: Some(lang.words().unmask_reason_hint()),
            ..Field::default()
        }
        .html(),
    )
}

/// The person's cards, newest first, each with a link to handle it at the window.
fn cards_section(lang: Lang, cards: &[CardView]) -> String {
    let mut body = format!(
        "<section class=\"card\" aria-labelledby=\"cards-title\"><h2 id=\"cards-title\">{}</h2>",
        lang.words().person_cards()
    );
    if cards.is_empty() {
        body.push_str(&notice("info", lang.words().no_card_yet()));
    } else {
        body.push_str("<ul>");
        for card in cards.iter().rev() {
            body.push_str(&card_line(lang, card));
        }
        body.push_str("</ul>");
    }
    body.push_str("</section>");
    body
}

/// The forms to apply for a card and to issue a temporary one (or why there are none).
fn card_forms(lang: Lang, browser: &Browser, data: &PersonPage) -> String {
    let p = &data.person;
    let id = esc(&p.id);
    let regions = region_options(&data.regions);
    if data.banks.is_empty() || regions.is_empty() {
        return notice("info", lang.words().no_bank_or_region());
    }
    let mut body = format!(
        "<form method=\"post\" action=\"/clerk/persons/{id}/cards\" class=\"card\" aria-labelledby=\"apply-title\">\
         <h2 id=\"apply-title\">{title}</h2>{guard}{bank}{region}<button type=\"submit\">{title}</button></form>",
        title = lang.words().apply_for_card(),
        guard = form_guard(browser),
        bank = data_select(
            "apply-bank_id",
            "bank_id",
            lang.words().service_bank_choice(),
            &data.banks,
            "",
        ),
        region = data_select(
            "apply-region",
            "region",
            lang.words().apply_region(),
            &regions,
            &p.household_region,
        ),
    );
    body.push_str(&temporary_form(
        lang,
        browser,
        &id,
        &regions,
        &p.household_region,
    ));
    body
}

/// The form that issues a temporary card on the spot.
fn temporary_form(
    lang: Lang,
    browser: &Browser,
    id: &str,
    regions: &[(String, String)],
    region: &str,
) -> String {
    format!(
        "<form method=\"post\" action=\"/clerk/persons/{id}/temporary-card\" class=\"card\" autocomplete=\"off\" aria-labelledby=\"temporary-title\">\
         <h2 id=\"temporary-title\">{title}</h2><p>{about}</p>{guard}{region}{citizen}{pin}<button type=\"submit\">{title}</button></form>",
        title = lang.words().issue_temporary_card(),
        about = lang.words().temporary_card_about(),
        guard = form_guard(browser),
        region = data_select(
            "temporary-region",
            "region",
            lang.words().issue_region(),
            regions,
            region,
        ),
        citizen = Field {
            id: "temporary-citizen_id",
            name: "citizen_id",
            label: lang.words().citizen_id(),
            attrs: CITIZEN_ATTRS,
            ..Field::default()
        }
        .html(),
        pin = Field {
            id: "temporary-social_pin",
            name: "social_pin",
            label: lang.words().social_pin_on_pad(),
            attrs: PIN_ATTRS,
            ..Field::default()
        }
        .html(),
    )
}

/// Loads and renders a person's page; `shown` is the view an action already returned.
pub(crate) async fn person_response(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    person: String,
    shown: Option<PersonView>,
    message: String,
    status: StatusCode,
) -> Response {
    let actor = browser.actor.clone();
    let clock = crate::portal::i18n::LocalClock::of(s, browser).await;
    let loaded = blocking(s, move |app| {
        let person = match shown {
            Some(view) => view,
            None => app.person(&actor, &person)?,
        };
        let cards = app.cards_of_person(&actor, &person.id)?;
        let banks = app
            .banks(&actor)?
            .into_iter()
            .map(|b| (b.id, b.name))
            .collect();
        let regions = app.regions(&actor)?;
        Ok(PersonPage {
            person,
            cards,
            banks,
            regions,
            clock,
        })
    })
    .await;
    loaded_page(lang, browser, status, message, loaded, |data, message| {
        person_html(lang, browser, data, message)
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct FindForm {
    csrf: String,
    citizen_id: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct UnmaskForm {
    csrf: String,
    reason: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ApplyForm {
    csrf: String,
    key: String,
    bank_id: String,
    region: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct TemporaryForm {
    csrf: String,
    key: String,
    region: String,
    citizen_id: String,
    social_pin: String,
}

posted_form!(None => FindForm, UnmaskForm, ApplyForm, TemporaryForm);

pub(crate) async fn find_person(Posted(visit, _, form): Posted<FindForm>) -> Response {
    let Visit { s, browser, lang } = visit;
    let citizen = form.citizen_id.trim().to_owned();
    let outcome = browser
        .call(&s, move |app, actor| app.find_person(actor, &citizen))
        .await;
    match outcome {
        // Shown by a redirect: going back or reloading never posts the number again.
        Ok(view) => redirect(&format!("/clerk/persons/{}", view.id)),
        Err(error) => {
            let response = page(
                lang,
                error_status(&error),
                Some(&browser),
                &desk(lang, &browser, &refused(lang, &error)),
            );
            // Too many look-ups by ID number: say when the actor may look up again.
            match error
                .retry_after_seconds()
                .and_then(|s| u64::try_from(s).ok())
            {
                Some(seconds) => crate::sign_in_limit::with_retry_after(response, seconds),
                None => response,
            }
        }
    }
}

pub(crate) async fn person_page(visit: Visit, Path(person): Path<String>) -> Response {
    let Visit { s, browser, lang } = visit;
    if let Some(refusal) = clerk_only(lang, &browser) {
        return refusal;
    }
    person_response(
        &s,
        lang,
        &browser,
        person,
        None,
        String::new(),
        StatusCode::OK,
    )
    .await
}

pub(crate) async fn unmask_person(
    Posted(visit, Path(person), form): Posted<UnmaskForm, Path<String>>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let id = person.clone();
    let outcome = browser
        .call(&s, move |app, actor| {
            app.unmask_person(actor, &id, &form.reason)
        })
        .await;
    let (shown, message, status) = match outcome {
        Ok(view) => (Some(view), String::new(), StatusCode::OK),
        Err(error) => (None, refused(lang, &error), error_status(&error)),
    };
    person_response(&s, lang, &browser, person, shown, message, status).await
}

/// The outcome of an action that makes a new card: `text` and the new card's link, or the
/// refusal; with the status.
fn new_card_outcome(
    lang: Lang,
    text: &str,
    outcome: Result<CardView, AppError>,
) -> (String, StatusCode) {
    match outcome {
        Ok(card) => (new_card_message(lang, text, &card), StatusCode::OK),
        Err(error) => (refused(lang, &error), error_status(&error)),
    }
}

/// The notice of a new card, with a link to its page.
pub(crate) fn new_card_message(lang: Lang, text: &str, card: &CardView) -> String {
    format!(
        "{}<p><a href=\"/clerk/cards/{}\">{}</a></p>",
        notice("ok", &format!("{text}{}", card.card_number)),
        esc(&card.id),
        lang.words().open_new_card(),
    )
}

/// A new card for the person posted to, made by `work`: the person's page again, with the
/// card's link after `text` or the refusal.
async fn new_card_response<F: PostedForm + Send + 'static>(
    posted: Posted<F, Path<String>>,
    text: &str,
    work: impl FnOnce(&App, &Actor, String, F) -> Result<CardView, AppError> + Send + 'static,
) -> Response {
    let Posted(visit, Path(person), form) = posted;
    let Visit { s, browser, lang } = visit;
    let id = person.clone();
    let outcome = browser
        .call(&s, move |app, actor| work(app, actor, id, form))
        .await;
    let (message, status) = new_card_outcome(lang, text, outcome);
    person_response(&s, lang, &browser, person, None, message, status).await
}

pub(crate) async fn apply_card(posted: Posted<ApplyForm, Path<String>>) -> Response {
    let text = posted.0.lang.words().card_applied();
    new_card_response(posted, text, |app, actor, person_id, form| {
        let request = CardApplication {
            person_id,
            bank_id: form.bank_id,
            region: form.region,
        };
        app.apply_card(actor, &form.key, request)
    })
    .await
}

pub(crate) async fn issue_temporary(posted: Posted<TemporaryForm, Path<String>>) -> Response {
    let text = posted.0.lang.words().temporary_issued();
    new_card_response(posted, text, |app, actor, person_id, form| {
        let request = TemporaryCardRequest {
            person_id,
            region: form.region,
            citizen_id: form.citizen_id.trim().to_owned(),
            social_pin: form.social_pin,
        };
        app.issue_temporary_card(actor, &form.key, request)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_household_region_reads_by_its_name_or_the_region_it_lies_in() {
        let regions = [RegionView {
            code: "330100".into(),
            name: "杭州市 Hangzhou".into(),
        }];
        let words = |code| household_region_words(Lang::En, &regions, code);
        assert_eq!(words("330100"), "330100 杭州市 Hangzhou");
        assert_eq!(words("330106"), "330106 (in 杭州市 Hangzhou)");
        assert_eq!(words("440300"), "440300");
        assert_eq!(
            household_region_words(Lang::Zh, &regions, "330106"),
            "330106（属杭州市 Hangzhou）"
        );
    }
}
