//! The cardholder's vocational training: the courses open for enrolment, each with an enrol
//! button, and their own enrolments with withdrawal, the completion certificate and the
//! subsidy. Their enrolments' table is the clerk's view of a person's training too.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::employment::training::{CourseView, EnrolmentView};
use shebao_domain::access::Role;

use crate::portal::holder::{Holder, person_of};
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::table::table_template;
use crate::portal::page::{done_or_refused, html, rendered};
use crate::portal::session::Visit;
use crate::portal::words::Words;

table_template!(OpenTable, "training/open.html", CourseView, csrf: &'a str);
table_template!(
    EnrolmentsTable,
    "training/mine.html",
    EnrolmentView,
    csrf: &'a str,
    today: &'a str,
);

#[derive(askama::Template)]
#[template(path = "training/holder.html")]
struct HolderPage {
    words: &'static dyn Words,
    outcome: String,
    open: String,
    mine: String,
}

async fn training_page(visit: &Visit, (outcome, status): (String, StatusCode)) -> Response {
    let Visit { s, browser, lang } = visit;
    let person = person_of(browser);
    let loaded = browser
        .call(s, move |app, actor| {
            let open = app.open_training_courses(actor)?;
            let mine = app.training_record(actor, &person)?;
            let clock = crate::portal::i18n::LocalClock::read(app, actor);
            let today = clock.today(app).to_string();
            Ok::<_, AppError>((open, mine, today))
        })
        .await;
    let (open, mine, today) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return crate::portal::page::refusal_page(*lang, Some(browser), &error),
    };
    let words = lang.words();
    let body = HolderPage {
        words,
        outcome,
        open: html(&OpenTable {
            words,
            rows: &open,
            csrf: &browser.csrf,
        }),
        mine: html(&EnrolmentsTable {
            words,
            rows: &mine.enrolments,
            csrf: &browser.csrf,
            today: &today,
        }),
    };
    rendered(*lang, status, Some(browser), &body)
}

pub(crate) async fn training(holder: Holder) -> Response {
    training_page(&holder.0, (String::new(), StatusCode::OK)).await
}

#[derive(Deserialize)]
pub(crate) struct EnrolForm {
    csrf: String,
    key: String,
    course: String,
}

#[derive(Deserialize)]
pub(crate) struct WithdrawForm {
    csrf: String,
    key: String,
    enrolment: String,
}

posted_form!(Some(Role::Cardholder) => EnrolForm, WithdrawForm);

pub(crate) async fn enrol(Posted(visit, _, form): Posted<EnrolForm>) -> Response {
    let (key, course) = (form.key, form.course);
    let enrolled = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.enrol_in_training(actor, &key, &course)
        })
        .await;
    let shown = done_or_refused(
        visit.lang,
        &enrolled,
        visit.lang.words().training_enrolled_done(),
    );
    training_page(&visit, (shown.1, shown.0)).await
}

pub(crate) async fn withdraw(Posted(visit, _, form): Posted<WithdrawForm>) -> Response {
    let (key, enrolment) = (form.key, form.enrolment);
    let withdrawn = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.withdraw_training_enrolment(actor, &key, &enrolment)
        })
        .await;
    let shown = done_or_refused(
        visit.lang,
        &withdrawn,
        visit.lang.words().training_withdrawn_done(),
    );
    training_page(&visit, (shown.1, shown.0)).await
}
