//! The employer's vacancies: posting one for the bureau's review (wages typed in yuan), the
//! list of its own with their status and the bureau's note, closing one, and each vacancy's
//! applicants — masked until each shares — with their interview or hire recorded.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::employment::NewVacancy;
use shebao_app::employment::VacancyView;
use shebao_app::employment::seeking::{ApplicantView, ApplicationOutcome};
use shebao_domain::access::Role;
use shebao_domain::employment::seeking::ApplicationStatus;

use super::own_employer;
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::table::table_template;
use crate::portal::page::{desk_only, done_or_refused, html, notice, refusal, refused, rendered};
use crate::portal::session::Visit;
use crate::portal::words::Words;

/// The posting form as typed (kept in the form when it is refused).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PostForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    key: String,
    title: String,
    occupation: String,
    place: String,
    wage_min: String,
    wage_max: String,
    requirements: String,
    openings: String,
    closing: String,
}

#[derive(askama::Template)]
#[template(path = "employer/vacancies.html")]
struct VacanciesPage<'a> {
    words: &'static dyn Words,
    outcome: String,
    list: String,
    csrf: &'a str,
    key: String,
    draft: &'a PostForm,
}

table_template!(VacancyList, "employer/vacancy_list.html", VacancyView, csrf: &'a str);

#[derive(askama::Template)]
#[template(path = "employer/applicants.html")]
struct ApplicantsPage<'a> {
    words: &'static dyn Words,
    title: &'a str,
    outcome: String,
    list: String,
}

table_template!(
    ApplicantRows,
    "employer/applicant_rows.html",
    ApplicantView,
    csrf: &'a str,
    outcomes: [&'static str; 3],
);

/// The vacancies page: `outcome` (already HTML) above the employer's own vacancies and the
/// posting form, holding `draft`.
async fn vacancies_page(
    visit: &Visit,
    outcome: String,
    status: StatusCode,
    draft: &PostForm,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let employer = own_employer(browser);
    let listed = browser
        .call(s, move |app, actor| {
            app.employer_vacancies(actor, &employer)
        })
        .await;
    let words = lang.words();
    let list = match listed {
        Ok(rows) => html(&VacancyList {
            words,
            rows: &rows,
            csrf: &browser.csrf,
        }),
        Err(error) => refused(*lang, &error),
    };
    let page = VacanciesPage {
        words,
        outcome,
        list,
        csrf: &browser.csrf,
        key: shebao_app::new_id("form"),
        draft,
    };
    rendered(*lang, status, Some(browser), &page)
}

pub(crate) async fn vacancies(visit: Visit) -> Response {
    if let Some(refusal) = desk_only(visit.lang, &visit.browser, Role::Employer) {
        return refusal;
    }
    vacancies_page(&visit, String::new(), StatusCode::OK, &PostForm::default()).await
}

#[derive(Deserialize)]
pub(crate) struct CloseForm {
    csrf: String,
    key: String,
}

#[derive(Deserialize)]
pub(crate) struct OutcomeForm {
    csrf: String,
    key: String,
    application: String,
    vacancy: String,
    outcome: String,
}

posted_form!(Some(Role::Employer) => PostForm, CloseForm, OutcomeForm);

/// A wage typed in yuan, in fen.
fn wage(words: &dyn Words, typed: &str) -> Result<i64, String> {
    shebao_app::money::parse_yuan(typed.trim()).ok_or_else(|| words.wage_not_number().to_owned())
}

pub(crate) async fn post(Posted(visit, _, form): Posted<PostForm>) -> Response {
    let words = visit.lang.words();
    let wages = wage(words, &form.wage_min).and_then(|min| Ok((min, wage(words, &form.wage_max)?)));
    let Ok((wage_min_fen, wage_max_fen)) = wages else {
        let message = notice("error", words.wage_not_number());
        return vacancies_page(&visit, message, StatusCode::UNPROCESSABLE_ENTITY, &form).await;
    };
    let request = NewVacancy {
        title: form.title.clone(),
        occupation: form.occupation.trim().to_owned(),
        place: form.place.trim().to_owned(),
        wage_min_fen,
        wage_max_fen,
        requirements: form.requirements.clone(),
        openings: form.openings.trim().parse().unwrap_or(0),
        closing: form.closing.trim().to_owned(),
    };
    let (key, employer) = (form.key.clone(), own_employer(&visit.browser));
    let posted = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.post_vacancy(actor, &key, &employer, request)
        })
        .await;
    match posted {
        Ok(_) => {
            let message = notice("ok", words.vacancy_posted());
            vacancies_page(&visit, message, StatusCode::OK, &PostForm::default()).await
        }
        Err(error) => {
            let (status, message) = refusal(visit.lang, &error);
            vacancies_page(&visit, message, status, &form).await
        }
    }
}

pub(crate) async fn close(
    Posted(visit, Path(vacancy), form): Posted<CloseForm, Path<String>>,
) -> Response {
    let key = form.key;
    let closed = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.close_vacancy(actor, &key, &vacancy)
        })
        .await;
    let done = visit.lang.words().vacancy_closed_done();
    let (status, message) = done_or_refused(visit.lang, &closed, done);
    vacancies_page(&visit, message, status, &PostForm::default()).await
}

/// A vacancy's applicants: `outcome` (already HTML) above them.
async fn applicants_page(
    visit: &Visit,
    vacancy: String,
    outcome: String,
    status: StatusCode,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let loaded = browser
        .call(s, move |app, actor| {
            let view = app.vacancy(actor, &vacancy)?;
            Ok((view, app.applicants(actor, &vacancy)?))
        })
        .await;
    let (view, rows) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return crate::portal::page::refusal_page(*lang, Some(browser), &error),
    };
    let words = lang.words();
    let page = ApplicantsPage {
        words,
        title: &view.title,
        outcome,
        list: html(&ApplicantRows {
            words,
            rows: &rows,
            csrf: &browser.csrf,
            outcomes: ApplicationStatus::OUTCOMES,
        }),
    };
    rendered(*lang, status, Some(browser), &page)
}

pub(crate) async fn applicants(visit: Visit, Path(vacancy): Path<String>) -> Response {
    if let Some(refusal) = desk_only(visit.lang, &visit.browser, Role::Employer) {
        return refusal;
    }
    applicants_page(&visit, vacancy, String::new(), StatusCode::OK).await
}

pub(crate) async fn record_outcome(Posted(visit, _, form): Posted<OutcomeForm>) -> Response {
    let request = ApplicationOutcome {
        outcome: form.outcome,
    };
    let (key, application) = (form.key, form.application);
    let recorded: Result<ApplicantView, AppError> = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.record_application_outcome(actor, &key, &application, request)
        })
        .await;
    let done = visit.lang.words().outcome_recorded();
    let (status, message) = done_or_refused(visit.lang, &recorded, done);
    applicants_page(&visit, form.vacancy, message, status).await
}
