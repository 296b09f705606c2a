//! The clerk's work-injury desk: the applications waiting for a decision (each recognised
//! or refused with the reason from its row), a month's payout of the fund's monthly
//! benefits, and one person's cases (`?person=`), where a case whose appraisal is concluded
//! with a grade is settled.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::insurance::injury::InjuryDecision;
use shebao_app::insurance::pensions::PayoutRequest;
use shebao_domain::access::Role;

use crate::portal::clerk::clerk_only;
use crate::portal::clerk::unemployment::PersonQuery;
use crate::portal::holder::injury::CasesTable;
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::{done_or_refused, html, refused, rendered};
use crate::portal::session::Visit;
use crate::portal::words::Words;

#[derive(askama::Template)]
#[template(path = "injury/clerk.html")]
struct DeskPage<'a> {
    words: &'static dyn Words,
    outcome: String,
    csrf: &'a str,
    this_month: String,
    queue: String,
    person: &'a str,
    record: String,
}

async fn desk_page(
    visit: &Visit,
    person: String,
    (outcome, status): (String, StatusCode),
) -> Response {
    let Visit { s, browser, lang } = visit;
    let wanted = person.trim().to_owned();
    let loaded = browser
        .call(s, move |app, actor| {
            let queue = app.injury_cases_to_decide(actor)?;
            let record = (!wanted.is_empty()).then(|| app.injury_record(actor, &wanted));
            let clock = crate::portal::i18n::LocalClock::read(app, actor);
            let this_month = clock.today(app).to_string();
            Ok::<_, AppError>((queue, record, this_month))
        })
        .await;
    let (queue, record, this_month) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return crate::portal::page::refusal_page(*lang, Some(browser), &error),
    };
    let words = lang.words();
    let record = match record {
        Some(Ok(record)) => html(&CasesTable {
            words,
            rows: &record.cases,
            desk: "record",
            csrf: &browser.csrf,
        }),
        Some(Err(error)) => refused(*lang, &error),
        None => String::new(),
    };
    let body = DeskPage {
        words,
        outcome,
        csrf: &browser.csrf,
        this_month: this_month.get(..7).unwrap_or_default().to_owned(),
        queue: html(&CasesTable {
            words,
            rows: &queue,
            desk: "queue",
            csrf: &browser.csrf,
        }),
        person: person.trim(),
        record,
    };
    rendered(*lang, status, Some(browser), &body)
}

pub(crate) async fn desk(visit: Visit, Query(query): Query<PersonQuery>) -> Response {
    if let Some(refusal) = clerk_only(visit.lang, &visit.browser) {
        return refusal;
    }
    desk_page(&visit, query.person, (String::new(), StatusCode::OK)).await
}

#[derive(Deserialize)]
pub(crate) struct DecisionForm {
    csrf: String,
    key: String,
    case: String,
    decision: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
pub(crate) struct PayoutForm {
    csrf: String,
    key: String,
    region: String,
    month: String,
}

#[derive(Deserialize)]
pub(crate) struct SettleForm {
    csrf: String,
    key: String,
    case: String,
    #[serde(default)]
    person: String,
}

posted_form!(Some(Role::BureauClerk) => DecisionForm, SettleForm, PayoutForm);

pub(crate) async fn decide(Posted(visit, _, form): Posted<DecisionForm>) -> Response {
    let request = InjuryDecision {
        decision: form.decision,
        note: Some(form.note.trim().to_owned()).filter(|n| !n.is_empty()),
    };
    let (key, case) = (form.key, form.case);
    let decided = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.decide_injury_case(actor, &key, &case, request)
        })
        .await;
    let shown = done_or_refused(visit.lang, &decided, visit.lang.words().injury_decided());
    desk_page(&visit, String::new(), (shown.1, shown.0)).await
}

pub(crate) async fn settle(Posted(visit, _, form): Posted<SettleForm>) -> Response {
    let (key, case) = (form.key, form.case);
    let settled = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.settle_injury_benefits(actor, &key, &case)
        })
        .await;
    let shown = done_or_refused(visit.lang, &settled, visit.lang.words().injury_settled());
    desk_page(&visit, form.person, (shown.1, shown.0)).await
}

/// Pays a month's work-injury benefits in a region from the fund.
pub(crate) async fn payout(Posted(visit, _, form): Posted<PayoutForm>) -> Response {
    let request = PayoutRequest {
        region: form.region.trim().to_owned(),
        month: form.month.trim().to_owned(),
    };
    let key = form.key;
    let paid = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.run_injury_payout(actor, &key, request)
        })
        .await;
    let shown = crate::portal::clerk::unemployment::payout_outcome(visit.lang, &paid);
    desk_page(&visit, String::new(), (shown.1, shown.0)).await
}
