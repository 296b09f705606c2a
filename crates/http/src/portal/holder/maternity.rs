//! The cardholder's maternity allowance: the claim for a birth or a miscarriage, and her
//! claims with their decisions. The claim's fields (`ClaimFields`) are the employer desk's
//! too, and the claims' table the clerk's queue.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::insurance::maternity::{MaternityClaimView, NewMaternityClaim};
use shebao_domain::access::Role;

use crate::portal::holder::{Holder, person_of};
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::table::table_template;
use crate::portal::page::{done_or_refused, html, rendered};
use crate::portal::session::Visit;
use crate::portal::words::Words;

table_template!(
    ClaimsTable,
    "maternity/claims.html",
    MaternityClaimView,
    csrf: &'a str,
);

/// A claim's fields as a form posts them: numbers as typed, the box ticked or not.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ClaimFields {
    event: String,
    event_on: String,
    #[serde(default)]
    babies: String,
    #[serde(default)]
    difficult: String,
    #[serde(default)]
    pregnancy_months: String,
}

impl ClaimFields {
    /// The claim the fields make: a birth takes the babies and the box, a miscarriage the
    /// months of pregnancy (a form sends every field; the other event's are left out).
    pub(crate) fn claim(&self) -> Result<NewMaternityClaim, AppError> {
        let number = |text: &str, field: &'static str| -> Result<Option<u32>, AppError> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            text.parse()
                .map(Some)
                .map_err(|_| AppError::invalid(field, "a whole number"))
        };
        let birth = self.event.trim() == "birth";
        Ok(NewMaternityClaim {
            event: self.event.trim().to_owned(),
            event_on: self.event_on.trim().to_owned(),
            babies: if birth {
                number(&self.babies, "babies")?
            } else {
                None
            },
            difficult: birth && !self.difficult.is_empty(),
            pregnancy_months: if birth {
                None
            } else {
                number(&self.pregnancy_months, "pregnancy_months")?
            },
        })
    }
}

#[derive(askama::Template)]
#[template(path = "maternity/holder.html")]
struct HolderPage<'a> {
    words: &'static dyn Words,
    outcome: String,
    csrf: &'a str,
    key: String,
    prefix: &'a str,
    today: String,
    claims: String,
}

async fn maternity_page(visit: &Visit, (outcome, status): (String, StatusCode)) -> Response {
    let Visit { s, browser, lang } = visit;
    let person = person_of(browser);
    let loaded = browser
        .call(s, move |app, actor| {
            let record = app.maternity_claims(actor, &person)?;
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
        prefix: "",
        today: today.to_string(),
        claims: html(&ClaimsTable {
            words,
            rows: &record.claims,
            csrf: "",
        }),
    };
    rendered(*lang, status, Some(browser), &body)
}

pub(crate) async fn maternity(holder: Holder) -> Response {
    maternity_page(&holder.0, (String::new(), StatusCode::OK)).await
}

#[derive(Deserialize)]
pub(crate) struct ClaimForm {
    csrf: String,
    key: String,
    #[serde(flatten)]
    fields: ClaimFields,
}

posted_form!(Some(Role::Cardholder) => ClaimForm);

pub(crate) async fn claim(Posted(visit, _, form): Posted<ClaimForm>) -> Response {
    let (key, person) = (form.key, person_of(&visit.browser));
    let request = form.fields.claim();
    let claimed = match request {
        Ok(request) => {
            visit
                .browser
                .call(&visit.s, move |app, actor| {
                    app.claim_maternity_allowance(actor, &key, &person, request)
                })
                .await
        }
        Err(error) => Err(error),
    };
    let words = visit.lang.words();
    let shown = done_or_refused(visit.lang, &claimed, words.maternity_claimed());
    maternity_page(&visit, (shown.1, shown.0)).await
}
