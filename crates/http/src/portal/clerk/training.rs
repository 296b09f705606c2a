//! The clerk's vocational training: the courses waiting for review (approved, or refused
//! with the reason), the completions whose subsidy is due (paid from a row), and the
//! registered providers with the form to register one.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::employment::training::{CourseReview, NewTrainingProvider, TrainingProviderView};
use shebao_app::views::RegionView;
use shebao_domain::access::Role;

use crate::portal::clerk::clerk_only;
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::table::table_template;
use crate::portal::page::{done_or_refused, html, refused, rendered};
use crate::portal::provider::CoursesTable;
use crate::portal::session::Visit;
use crate::portal::words::Words;

table_template!(
    ProvidersTable,
    "training/providers.html",
    TrainingProviderView
);
table_template!(
    SubsidiesTable,
    "training/subsidies.html",
    shebao_app::employment::training::EnrolmentView,
    csrf: &'a str,
);

#[derive(askama::Template)]
#[template(path = "training/clerk.html")]
struct ClerkPage<'a> {
    words: &'static dyn Words,
    outcome: String,
    csrf: &'a str,
    courses: String,
    subsidies: String,
    providers: String,
    regions: Vec<RegionView>,
}

async fn training_page(visit: &Visit, (outcome, status): (String, StatusCode)) -> Response {
    let Visit { s, browser, lang } = visit;
    let loaded = browser
        .call(s, move |app, actor| {
            Ok::<_, AppError>((
                app.training_courses_to_review(actor)?,
                app.training_subsidies_to_pay(actor)?,
                app.training_providers(actor)?,
                app.regions(actor)?,
            ))
        })
        .await;
    let words = lang.words();
    let (courses, subsidies, providers, regions) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => {
            let body = refused(*lang, &error);
            return crate::portal::page::page(*lang, status, Some(browser), &body);
        }
    };
    let body = ClerkPage {
        words,
        outcome,
        csrf: &browser.csrf,
        courses: html(&CoursesTable {
            words,
            rows: &courses,
            desk: "clerk",
            csrf: &browser.csrf,
        }),
        subsidies: html(&SubsidiesTable {
            words,
            rows: &subsidies,
            csrf: &browser.csrf,
        }),
        providers: html(&ProvidersTable {
            words,
            rows: &providers,
        }),
        regions,
    };
    rendered(*lang, status, Some(browser), &body)
}

pub(crate) async fn training(visit: Visit) -> Response {
    if let Some(refusal) = clerk_only(visit.lang, &visit.browser) {
        return refusal;
    }
    training_page(&visit, (String::new(), StatusCode::OK)).await
}

#[derive(Deserialize)]
pub(crate) struct ProviderForm {
    csrf: String,
    key: String,
    credit_code: String,
    name: String,
    region: String,
}

#[derive(Deserialize)]
pub(crate) struct ReviewForm {
    csrf: String,
    key: String,
    course: String,
    decision: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
pub(crate) struct PayForm {
    csrf: String,
    key: String,
    enrolment: String,
}

posted_form!(Some(Role::BureauClerk) => ProviderForm, ReviewForm, PayForm);

pub(crate) async fn register(Posted(visit, _, form): Posted<ProviderForm>) -> Response {
    let request = NewTrainingProvider {
        credit_code: form.credit_code.trim().to_owned(),
        name: form.name.trim().to_owned(),
        region: form.region.trim().to_owned(),
    };
    let key = form.key;
    let registered = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.register_training_provider(actor, &key, request)
        })
        .await;
    let words = visit.lang.words();
    let shown = done_or_refused(visit.lang, &registered, words.provider_registered_done());
    training_page(&visit, (shown.1, shown.0)).await
}

pub(crate) async fn review(Posted(visit, _, form): Posted<ReviewForm>) -> Response {
    let request = CourseReview {
        decision: form.decision,
        note: Some(form.note.trim().to_owned()).filter(|n| !n.is_empty()),
    };
    let (key, course) = (form.key, form.course);
    let reviewed = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.review_training_course(actor, &key, &course, request)
        })
        .await;
    let shown = done_or_refused(
        visit.lang,
        &reviewed,
        visit.lang.words().course_reviewed_done(),
    );
    training_page(&visit, (shown.1, shown.0)).await
}

pub(crate) async fn pay(Posted(visit, _, form): Posted<PayForm>) -> Response {
    let (key, enrolment) = (form.key, form.enrolment);
    let paid = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.pay_training_subsidy(actor, &key, &enrolment)
        })
        .await;
    let shown = done_or_refused(visit.lang, &paid, visit.lang.words().subsidy_paid_done());
    training_page(&visit, (shown.1, shown.0)).await
}
