//! The cardholder's work injury: the application for recognition as the worker, and their
//! cases with the appraisals and the settled benefits. The cases' table (`CasesTable`) is
//! every desk's: the employer's, the clerk's queue and person record, the committee's queue,
//! each offering its own forms.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::insurance::injury::{AppraisalView, InjuryCaseView, NewInjuryCase};
use shebao_domain::access::Role;

use crate::portal::holder::{Holder, person_of};
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::table::table_template;
use crate::portal::page::{done_or_refused, html, rendered};
use crate::portal::session::Visit;
use crate::portal::words::Words;

table_template!(
    CasesTable,
    "injury/cases.html",
    InjuryCaseView,
    desk: &'a str,
    csrf: &'a str,
);

/// The case's appraisal whose panel sits (drawn, not concluded), if any.
pub(crate) fn open_appraisal(case: &InjuryCaseView) -> Option<&AppraisalView> {
    case.appraisals.iter().find(|a| a.status == "drawn")
}

/// Whether the clerk's page offers to settle the case: recognised, not settled, its last
/// appraisal concluded with a grade and none open, no death settled on it (whether the
/// conclusion is in force yet, and whether the worker died on another case, the
/// application says).
pub(crate) fn may_settle(case: &InjuryCaseView) -> bool {
    case.status == "recognised"
        && case.settlement.is_none()
        && case.death.is_none()
        && open_appraisal(case).is_none()
        && case
            .appraisals
            .iter()
            .rev()
            .find(|a| a.status == "concluded")
            .is_some_and(|a| a.grade.is_some())
}

/// A case's benefits in words: the one-time subsidy, the monthly allowance and who owes it,
/// the care allowance; a death's one-off benefits; each monthly benefit from the fund with
/// its months; `-` before any.
pub(crate) fn benefits(words: &dyn Words, case: &InjuryCaseView) -> String {
    let yuan = shebao_app::money::yuan;
    let mut parts = Vec::new();
    if let Some(s) = &case.settlement {
        parts.push(format!(
            "{} {}",
            words.injury_one_time(),
            yuan(s.one_time_fen)
        ));
        if let Some(monthly) = s.monthly_fen {
            let payer = words.injury_code(s.payer.as_deref().unwrap_or_default());
            parts.push(format!(
                "{} {} ({payer})",
                words.injury_monthly(),
                yuan(monthly)
            ));
        }
        if let Some(care) = s.care_fen {
            parts.push(format!("{} {}", words.injury_care(), yuan(care)));
        }
    }
    if let Some(death) = &case.death {
        parts.push(format!(
            "{} {}",
            words.injury_death_benefits(),
            yuan(death.funeral_fen + death.one_time_fen)
        ));
    }
    for p in &case.pensions {
        // The last month paid, the one before the first not paid.
        let until = p
            .ended_month
            .as_deref()
            .and_then(shebao_domain::insurance::Month::parse)
            .map(|m| format!(" - {}", m.add_months(-1)))
            .unwrap_or_default();
        parts.push(format!(
            "{} {} ({}, {}{until})",
            words.injury_code(&p.kind),
            yuan(p.monthly_fen),
            words.injury_pension(),
            p.from_month
        ));
    }
    if parts.is_empty() {
        return "-".into();
    }
    parts.join("; ")
}

#[derive(askama::Template)]
#[template(path = "injury/holder.html")]
struct HolderPage<'a> {
    words: &'static dyn Words,
    outcome: String,
    csrf: &'a str,
    key: String,
    today: String,
    cases: String,
}

async fn injury_page(visit: &Visit, (outcome, status): (String, StatusCode)) -> Response {
    let Visit { s, browser, lang } = visit;
    let person = person_of(browser);
    let loaded = browser
        .call(s, move |app, actor| {
            let record = app.injury_record(actor, &person)?;
            let clock = crate::portal::i18n::LocalClock::read(app, actor);
            Ok::<_, AppError>((record, clock.today(app)))
        })
        .await;
    let (record, today) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return crate::portal::page::refusal_page(*lang, Some(browser), &error),
    };
    let words = lang.words();
    let body = HolderPage {
        words,
        outcome,
        csrf: &browser.csrf,
        key: shebao_app::new_id("form"),
        today: today.to_string(),
        cases: html(&CasesTable {
            words,
            rows: &record.cases,
            desk: "holder",
            csrf: "",
        }),
    };
    rendered(*lang, status, Some(browser), &body)
}

pub(crate) async fn injury(holder: Holder) -> Response {
    injury_page(&holder.0, (String::new(), StatusCode::OK)).await
}

#[derive(Deserialize)]
pub(crate) struct ApplyForm {
    csrf: String,
    key: String,
    injured_on: String,
}

posted_form!(Some(Role::Cardholder) => ApplyForm);

pub(crate) async fn apply(Posted(visit, _, form): Posted<ApplyForm>) -> Response {
    let person = person_of(&visit.browser);
    let shown = applied(&visit, form.key, person, &form.injured_on).await;
    injury_page(&visit, (shown.1, shown.0)).await
}

/// An application for `person`'s injury of the day typed, as the signed-in login applies
/// (the holder as the worker, the employer's desk as the employer); the outcome as a page
/// shows it.
pub(crate) async fn applied(
    visit: &Visit,
    key: String,
    person: String,
    injured_on: &str,
) -> (StatusCode, String) {
    let request = NewInjuryCase {
        injured_on: injured_on.trim().to_owned(),
        applicant: None,
        clear: false,
    };
    let applied = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.apply_injury_recognition(actor, &key, &person, request)
        })
        .await;
    done_or_refused(visit.lang, &applied, visit.lang.words().injury_applied())
}
