//! The clerk's queue of maternity claims, each approved (paid to the card) or refused with
//! the reason from its row.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::insurance::maternity::MaternityDecision;
use shebao_domain::access::Role;

use crate::portal::clerk::clerk_only;
use crate::portal::holder::maternity::ClaimsTable;
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::{done_or_refused, html, refused, rendered};
use crate::portal::session::Visit;
use crate::portal::words::Words;

#[derive(askama::Template)]
#[template(path = "maternity/clerk.html")]
struct QueuePage {
    words: &'static dyn Words,
    outcome: String,
    claims: String,
}

async fn queue_page(visit: &Visit, (outcome, status): (String, StatusCode)) -> Response {
    let Visit { s, browser, lang } = visit;
    let queue = browser
        .call(s, move |app, actor| app.maternity_claims_to_decide(actor))
        .await;
    let words = lang.words();
    let claims = match queue {
        Ok(rows) => html(&ClaimsTable {
            words,
            rows: &rows,
            csrf: &browser.csrf,
        }),
        Err(error) => refused(*lang, &error),
    };
    let body = QueuePage {
        words,
        outcome,
        claims,
    };
    rendered(*lang, status, Some(browser), &body)
}

pub(crate) async fn queue(visit: Visit) -> Response {
    if let Some(refusal) = clerk_only(visit.lang, &visit.browser) {
        return refusal;
    }
    queue_page(&visit, (String::new(), StatusCode::OK)).await
}

#[derive(Deserialize)]
pub(crate) struct DecisionForm {
    csrf: String,
    key: String,
    claim: String,
    decision: String,
    #[serde(default)]
    note: String,
}

posted_form!(Some(Role::BureauClerk) => DecisionForm);

pub(crate) async fn decide(Posted(visit, _, form): Posted<DecisionForm>) -> Response {
    let request = MaternityDecision {
        decision: form.decision,
        note: Some(form.note.trim().to_owned()).filter(|n| !n.is_empty()),
    };
    let (key, claim) = (form.key, form.claim);
    let decided = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.decide_maternity_claim(actor, &key, &claim, request)
        })
        .await;
    let shown = done_or_refused(visit.lang, &decided, visit.lang.words().maternity_decided());
    queue_page(&visit, (shown.1, shown.0)).await
}
