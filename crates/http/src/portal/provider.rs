//! A training provider's desk: the form to post a course for the bureau's review, the
//! provider's courses, and an open course's trainees (masked), each with the forms to record
//! a day's attendance and, from the last day, the completion.

use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::employment::training::{
    CompletionRecord, CourseView, NewAttendance, NewCourse, TraineeView,
};
use shebao_domain::access::Role;

use crate::Shared;
use crate::portal::i18n::{Lang, LocalClock};
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::table::table_template;
use crate::portal::page::{desk_only, done_or_refused, html};
use crate::portal::session::{Browser, Visit, blocking};
use crate::portal::words::Words;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/provider", get(desk))
        .route("/provider/courses", post(post_course))
        .route("/provider/attendance", post(attendance))
        .route("/provider/completion", post(completion))
}

table_template!(
    CoursesTable, "training/courses.html", CourseView, desk: &'a str, csrf: &'a str);
table_template!(TraineesTable, "training/trainees.html", TraineeView, csrf: &'a str, today: &'a str);

#[derive(askama::Template)]
#[template(path = "training/provider.html")]
struct DeskPage<'a> {
    words: &'static dyn Words,
    outcome: String,
    csrf: &'a str,
    today: String,
    courses: String,
    trainees: String,
}

/// Which course's trainees the page shows, if any.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct CourseQuery {
    #[serde(default)]
    course: String,
}

fn provider_of(browser: &Browser) -> String {
    browser.actor.scope.provider_id.clone().unwrap_or_default()
}

/// The desk as HTML: `outcome` above the form, the courses and `course`'s trainees.
async fn desk_html(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    course: String,
    outcome: String,
) -> String {
    let (actor, provider) = (browser.actor.clone(), provider_of(browser));
    let loaded = blocking(s, move |app| {
        let courses = app.provider_training_courses(&actor, &provider)?;
        let today = LocalClock::read(app, &actor).today(app);
        let trainees = if course.trim().is_empty() {
            None
        } else {
            Some(app.course_trainees(&actor, course.trim()))
        };
        Ok::<_, AppError>((courses, trainees, today))
    })
    .await;
    let (courses, trainees, today) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return crate::portal::page::refused(lang, &error),
    };
    let words = lang.words();
    let today = today.to_string();
    let trainees = match trainees {
        None => String::new(),
        Some(Ok(rows)) => html(&TraineesTable {
            words,
            rows: &rows,
            csrf: &browser.csrf,
            today: &today,
        }),
        Some(Err(error)) => crate::portal::page::refused(lang, &error),
    };
    html(&DeskPage {
        words,
        outcome,
        csrf: &browser.csrf,
        courses: html(&CoursesTable {
            words,
            rows: &courses,
            desk: "provider",
            csrf: &browser.csrf,
        }),
        today,
        trainees,
    })
}

/// The desk on the home page.
pub(crate) async fn home(s: &Shared, lang: Lang, browser: &Browser) -> String {
    desk_html(s, lang, browser, String::new(), String::new()).await
}

async fn desk_page(
    visit: &Visit,
    course: String,
    (outcome, status): (String, StatusCode),
) -> Response {
    let Visit { s, browser, lang } = visit;
    let body = desk_html(s, *lang, browser, course, outcome).await;
    crate::portal::page::page(*lang, status, Some(browser), &body)
}

async fn desk(visit: Visit, Query(query): Query<CourseQuery>) -> Response {
    if let Some(refusal) = desk_only(visit.lang, &visit.browser, Role::TrainingProvider) {
        return refusal;
    }
    desk_page(&visit, query.course, (String::new(), StatusCode::OK)).await
}

#[derive(Deserialize)]
pub(crate) struct CourseForm {
    csrf: String,
    key: String,
    title: String,
    occupation: String,
    hours: String,
    places: String,
    subsidy: String,
    payee: String,
    starts_on: String,
    ends_on: String,
}

#[derive(Deserialize)]
pub(crate) struct AttendanceForm {
    csrf: String,
    key: String,
    enrolment: String,
    course: String,
    day: String,
    hours: String,
}

#[derive(Deserialize)]
pub(crate) struct CompletionForm {
    csrf: String,
    key: String,
    enrolment: String,
    course: String,
    passed: String,
}

posted_form!(Some(Role::TrainingProvider) => CourseForm, AttendanceForm, CompletionForm);

/// A whole number typed in a form, or the field's refusal.
fn whole(text: &str, field: &'static str) -> Result<u32, AppError> {
    text.trim()
        .parse()
        .map_err(|_| AppError::invalid(field, "a whole number"))
}

impl CourseForm {
    fn course(&self) -> Result<NewCourse, AppError> {
        Ok(NewCourse {
            title: self.title.trim().to_owned(),
            occupation: self.occupation.trim().to_owned(),
            hours: whole(&self.hours, "hours")?,
            places: whole(&self.places, "places")?,
            subsidy_fen: shebao_app::money::parse_yuan(self.subsidy.trim())
                .ok_or_else(|| AppError::invalid("subsidy_fen", "an amount in yuan"))?,
            payee: self.payee.trim().to_owned(),
            starts_on: self.starts_on.trim().to_owned(),
            ends_on: self.ends_on.trim().to_owned(),
        })
    }
}

async fn post_course(Posted(visit, _, form): Posted<CourseForm>) -> Response {
    let provider = provider_of(&visit.browser);
    let posted = match form.course() {
        Ok(request) => {
            let key = form.key;
            visit
                .browser
                .call(&visit.s, move |app, actor| {
                    app.post_training_course(actor, &key, &provider, request)
                })
                .await
        }
        Err(error) => Err(error),
    };
    let shown = done_or_refused(visit.lang, &posted, visit.lang.words().course_posted_done());
    desk_page(&visit, String::new(), (shown.1, shown.0)).await
}

async fn attendance(Posted(visit, _, form): Posted<AttendanceForm>) -> Response {
    let recorded = match whole(&form.hours, "hours") {
        Ok(hours) => {
            let request = NewAttendance {
                day: form.day.trim().to_owned(),
                hours,
            };
            let (key, enrolment) = (form.key, form.enrolment);
            visit
                .browser
                .call(&visit.s, move |app, actor| {
                    app.record_training_attendance(actor, &key, &enrolment, request)
                })
                .await
        }
        Err(error) => Err(error),
    };
    let shown = done_or_refused(visit.lang, &recorded, visit.lang.words().attendance_done());
    desk_page(&visit, form.course, (shown.1, shown.0)).await
}

async fn completion(Posted(visit, _, form): Posted<CompletionForm>) -> Response {
    let request = CompletionRecord {
        passed: form.passed == "yes",
    };
    let (key, enrolment) = (form.key, form.enrolment);
    let recorded = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.record_training_completion(actor, &key, &enrolment, request)
        })
        .await;
    let shown = done_or_refused(visit.lang, &recorded, visit.lang.words().completion_done());
    desk_page(&visit, form.course, (shown.1, shown.0)).await
}
