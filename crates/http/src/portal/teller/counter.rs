//! A bank branch's counter with a card on its way to its holder: the teller hands over a
//! card waiting at the branch (the original ID card checked, the holder choosing the social
//! PIN on the PIN pad), personalises an applied card of the bank on the spot when the branch
//! has an issuance device, and records what the device reports (made, or a spoiled blank
//! with the reason).

use axum::extract::Path;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::card::CollectRequest;
use shebao_app::production::{CollectionPointView, InstantIssueReport, PointQuery};
use shebao_app::views::CardView;
use shebao_app::{Actor, App, AppError};
use shebao_domain::access::Role;

use super::desk::desk_card_page;
use crate::portal::i18n::Lang;
use crate::portal::page::done_or_refused;
use crate::portal::page::esc;
use crate::portal::page::form::{Posted, form_guard, posted_form};
use crate::portal::session::{Browser, Visit};

/// What the counter may do with a card: where it waits or is made, and whether the
/// teller's branch has an issuance device.
pub(super) struct Counter {
    place: CollectionPointView,
    /// The teller's branch's pick-up point, if the branch is one.
    own_point: Option<String>,
    equipped: bool,
}

/// Whether `branch` (a point's) is the teller's own.
fn own_branch(actor: &Actor, branch: Option<&str>) -> bool {
    branch.is_some() && branch == actor.scope.branch_id.as_ref().map(|b| b.as_str())
}

/// Reads what the counter needs for `card` (a teller's only).
pub(super) fn load(app: &App, actor: &Actor, card: &CardView) -> Result<Option<Counter>, AppError> {
    if actor.role != Role::BankTeller {
        return Ok(None);
    }
    let place = app.collection_point(actor, &card.id)?;
    let query = PointQuery {
        region: card.region.clone(),
    };
    let own = app
        .pickup_points(actor, query)?
        .into_iter()
        .find(|p| own_branch(actor, p.branch.as_deref()));
    Ok(Some(Counter {
        place,
        equipped: own.as_ref().is_some_and(|p| p.instant_issuance),
        own_point: own.map(|p| p.id),
    }))
}

/// The counter's forms for `card`: hand it over, personalise it on the spot, or record the
/// device's report.
pub(super) fn forms(lang: Lang, browser: &Browser, card: &CardView, counter: &Counter) -> String {
    let words = lang.words();
    let (id, guard) = (esc(&card.id), form_guard(browser));
    // The card waits, or is made, at the teller's own branch (and is not in the post).
    let here = counter.own_point.is_some()
        && counter.place.point.as_ref().map(|p| &p.id) == counter.own_point.as_ref()
        && counter
            .place
            .mail
            .as_ref()
            .is_none_or(|m| m.status != "posted");
    match card.status.as_str() {
        "ready_for_collection" if here => format!(
            "<form method=\"post\" action=\"/desk/cards/{id}/handover\" autocomplete=\"off\" data-handover=\"{id}\"><h3>{title}</h3>{guard}\
             <label for=\"handover-citizen\">{citizen}</label><input id=\"handover-citizen\" name=\"citizen_id\" required autocomplete=\"off\" data-private>\
             <label for=\"handover-pin\">{pin_pad}</label><input id=\"handover-pin\" name=\"social_pin\" type=\"password\" inputmode=\"numeric\" pattern=\"[0-9]{{6}}\" maxlength=\"6\" required autocomplete=\"off\">\
             <button type=\"submit\">{title}</button></form>",
            title = words.card_action_collect(),
            citizen = words.citizen_id(),
            pin_pad = words.pin_pad(),
        ),
        "applied" if counter.equipped && card.bank_card_number.is_some() => format!(
            "<form method=\"post\" action=\"/desk/cards/{id}/instant-issue\" data-instant-issue=\"{id}\"><h3>{title}</h3>{guard}\
             <p>{explain}</p><button type=\"submit\">{title}</button></form>",
            title = words.instant_issue_title(),
            explain = words.instant_issue_explain(),
        ),
        "in_production" if counter.place.on_the_spot && here => format!(
            "<section data-instant-report=\"{id}\"><h3>{title}</h3>\
             <form method=\"post\" action=\"/desk/cards/{id}/instant-report\">{guard}<input type=\"hidden\" name=\"outcome\" value=\"produced\">\
             <button type=\"submit\">{made}</button></form>\
             <form method=\"post\" action=\"/desk/cards/{id}/instant-report\">{guard2}<input type=\"hidden\" name=\"outcome\" value=\"failed\">\
             <label for=\"spoiled-reason\">{reason}</label><input id=\"spoiled-reason\" name=\"reason\" required maxlength=\"200\">\
             <button type=\"submit\" class=\"secondary\">{spoiled}</button></form></section>",
            title = words.instant_report_title(),
            made = words.instant_made_submit(),
            reason = words.instant_spoiled_reason(),
            spoiled = words.instant_spoiled_submit(),
            guard2 = form_guard(browser),
        ),
        _ => String::new(),
    }
}

#[derive(Deserialize)]
pub(crate) struct HandOverForm {
    csrf: String,
    key: String,
    citizen_id: String,
    social_pin: String,
}

#[derive(Deserialize)]
pub(crate) struct InstantReportForm {
    csrf: String,
    key: String,
    outcome: String,
    #[serde(default)]
    reason: String,
}

/// The instant-issue form: nothing but its guard.
#[derive(Deserialize)]
pub(crate) struct IssueForm {
    csrf: String,
    key: String,
}

posted_form!(Some(Role::BankTeller) => HandOverForm, InstantReportForm, IssueForm);

/// Hands over a card waiting at the teller's branch.
pub(crate) async fn hand_over(
    Posted(visit, Path(card), form): Posted<HandOverForm, Path<String>>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let id = card.clone();
    let request = CollectRequest {
        citizen_id: form.citizen_id.trim().to_owned(),
        social_pin: form.social_pin,
    };
    let outcome = browser
        .call(&s, move |app, actor| {
            app.collect_card(actor, &form.key, &id, request)
        })
        .await;
    let shown = done_or_refused(lang, &outcome, lang.words().card_done_collect());
    desk_card_page(&s, lang, &browser, &card, shown).await
}

/// Personalises an applied card on the spot on the branch's device.
pub(crate) async fn issue(
    Posted(visit, Path(card), form): Posted<IssueForm, Path<String>>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let id = card.clone();
    let key = form.key;
    let outcome = browser
        .call(&s, move |app, actor| app.issue_instantly(actor, &key, &id))
        .await;
    let shown = done_or_refused(lang, &outcome, lang.words().instant_issued_done());
    desk_card_page(&s, lang, &browser, &card, shown).await
}

/// Records what the branch's device reported of the card it personalised.
pub(crate) async fn report(
    Posted(visit, Path(card), form): Posted<InstantReportForm, Path<String>>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let id = card.clone();
    let reason = Some(form.reason.trim().to_owned()).filter(|r| !r.is_empty());
    let request = InstantIssueReport {
        outcome: form.outcome.trim().to_owned(),
        reason,
    };
    let key = form.key;
    let outcome = browser
        .call(&s, move |app, actor| {
            app.report_instant_issue(actor, &key, &id, request)
        })
        .await;
    let shown = done_or_refused(lang, &outcome, lang.words().instant_reported_done());
    desk_card_page(&s, lang, &browser, &card, shown).await
}
