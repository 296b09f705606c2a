//! The employer desk's work injury: the application for an employee (within 30 days), and
//! the unit's cases with the monthly allowance it owes.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::AppError;
use shebao_domain::access::Role;

use super::own_employer;
use crate::portal::holder::injury::{CasesTable, applied};
use crate::portal::i18n::LocalClock;
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::{desk_only, html, rendered};
use crate::portal::session::Visit;
use crate::portal::words::Words;

#[derive(askama::Template)]
#[template(path = "injury/employer.html")]
struct EmployerPage<'a> {
    words: &'static dyn Words,
    outcome: String,
    csrf: &'a str,
    today: String,
    insured: Vec<shebao_app::insurance::EmployeeView>,
    cases: String,
}

async fn injury_page(visit: &Visit, (outcome, status): (String, StatusCode)) -> Response {
    let Visit { s, browser, lang } = visit;
    let employer = own_employer(browser);
    let loaded = browser
        .call(s, move |app, actor| {
            let cases = app.employer_injury_cases(actor, &employer)?;
            let employees = app.employees(actor, &employer)?;
            let clock = LocalClock::read(app, actor);
            Ok::<_, AppError>((cases, employees, clock.today(app)))
        })
        .await;
    let (cases, employees, today) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return crate::portal::page::refusal_page(*lang, Some(browser), &error),
    };
    let words = lang.words();
    let body = EmployerPage {
        words,
        outcome,
        csrf: &browser.csrf,
        today: today.to_string(),
        insured: employees
            .into_iter()
            .filter(|e| e.end_month.is_none())
            .collect(),
        cases: html(&CasesTable {
            words,
            rows: &cases,
            desk: "employer",
            csrf: "",
        }),
    };
    rendered(*lang, status, Some(browser), &body)
}

pub(crate) async fn injury(visit: Visit) -> Response {
    if let Some(refusal) = desk_only(visit.lang, &visit.browser, Role::Employer) {
        return refusal;
    }
    injury_page(&visit, (String::new(), StatusCode::OK)).await
}

#[derive(Deserialize)]
pub(crate) struct ApplyForm {
    csrf: String,
    key: String,
    person: String,
    injured_on: String,
}

posted_form!(Some(Role::Employer) => ApplyForm);

pub(crate) async fn apply(Posted(visit, _, form): Posted<ApplyForm>) -> Response {
    let shown = applied(&visit, form.key, form.person, &form.injured_on).await;
    injury_page(&visit, (shown.1, shown.0)).await
}
