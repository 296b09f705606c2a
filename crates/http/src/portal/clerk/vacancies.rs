//! The clerk's review of vacancies: the queue, oldest first, each approved or rejected (with
//! the reason) from its row.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::employment::{VacancyReview, VacancyView};
use shebao_domain::access::Role;

use crate::portal::clerk::clerk_only;
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::table::table_template;
use crate::portal::page::{done_or_refused, html, refused, rendered};
use crate::portal::session::Visit;
use crate::portal::words::Words;

#[derive(askama::Template)]
#[template(path = "clerk/review.html")]
struct ReviewPage {
    words: &'static dyn Words,
    outcome: String,
    list: String,
}

table_template!(ReviewRows, "clerk/review_rows.html", VacancyView, csrf: &'a str);

async fn review_page(visit: &Visit, outcome: String, status: StatusCode) -> Response {
    let Visit { s, browser, lang } = visit;
    let queue = browser
        .call(s, move |app, actor| app.vacancies_to_review(actor))
        .await;
    let words = lang.words();
    let list = match queue {
        Ok(rows) => html(&ReviewRows {
            words,
            rows: &rows,
            csrf: &browser.csrf,
        }),
        Err(error) => refused(*lang, &error),
    };
    rendered(
        *lang,
        status,
        Some(browser),
        &ReviewPage {
            words,
            outcome,
            list,
        },
    )
}

pub(crate) async fn queue(visit: Visit) -> Response {
    if let Some(refusal) = clerk_only(visit.lang, &visit.browser) {
        return refusal;
    }
    review_page(&visit, String::new(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub(crate) struct ReviewForm {
    csrf: String,
    key: String,
    decision: String,
    #[serde(default)]
    note: String,
}

posted_form!(Some(Role::BureauClerk) => ReviewForm);

pub(crate) async fn review(
    Posted(visit, Path(vacancy), form): Posted<ReviewForm, Path<String>>,
) -> Response {
    let request = VacancyReview {
        decision: form.decision,
        note: Some(form.note.trim().to_owned()).filter(|n| !n.is_empty()),
    };
    let key = form.key;
    let reviewed = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.review_vacancy(actor, &key, &vacancy, request)
        })
        .await;
    let (status, message) =
        done_or_refused(visit.lang, &reviewed, visit.lang.words().review_done());
    review_page(&visit, message, status).await
}
