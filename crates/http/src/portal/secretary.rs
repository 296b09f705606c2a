//! The appraisal committee secretary's desk: the cases whose panel sits, each with a form to
//! record the conclusion; a draw on a party's request (a first appraisal, a re-appraisal or
//! a review of a case named by id, with the day the request arrived); and a region's expert
//! pool, with a form to add an expert.

use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::insurance::injury::{AppraisalConclusion, DrawRequest, ExpertView, NewExpert};
use shebao_app::views::RegionView;
use shebao_domain::access::Role;

use crate::Shared;
use crate::portal::holder::injury::CasesTable;
use crate::portal::i18n::{Lang, LocalClock};
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::table::table_template;
use crate::portal::page::{desk_only, done_or_refused, html};
use crate::portal::session::{Browser, Visit, blocking};
use crate::portal::words::Words;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/secretary", get(desk))
        .route("/secretary/experts", post(add_expert))
        .route("/secretary/draw", post(draw))
        .route("/secretary/conclude", post(conclude))
}

table_template!(ExpertsTable, "injury/experts.html", ExpertView);

#[derive(askama::Template)]
#[template(path = "injury/secretary.html")]
struct DeskPage<'a> {
    words: &'static dyn Words,
    outcome: String,
    csrf: &'a str,
    cases: String,
    today: String,
    regions: Vec<RegionView>,
    region: String,
    experts: String,
}

/// Which region's pool the page shows (the first region when none is asked for).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct RegionQuery {
    #[serde(default)]
    region: String,
}

/// The desk as HTML: `outcome` above the committee's cases and `region`'s pool.
async fn desk_html(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    region: String,
    outcome: String,
) -> String {
    let actor = browser.actor.clone();
    let loaded = blocking(s, move |app| {
        let cases = app.injury_cases_to_appraise(&actor)?;
        let regions = app.regions(&actor)?;
        let today = LocalClock::read(app, &actor).today(app);
        let region = if region.trim().is_empty() {
            regions.first().map(|r| r.code.clone()).unwrap_or_default()
        } else {
            region.trim().to_owned()
        };
        let experts = if region.is_empty() {
            Ok(Vec::new())
        } else {
            app.injury_experts(&actor, &region)
        };
        Ok::<_, AppError>((cases, regions, region, experts, today))
    })
    .await;
    let (cases, regions, region, experts, today) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return crate::portal::page::refused(lang, &error),
    };
    let words = lang.words();
    let experts = match experts {
        Ok(rows) => html(&ExpertsTable { words, rows: &rows }),
        Err(error) => crate::portal::page::refused(lang, &error),
    };
    html(&DeskPage {
        words,
        outcome,
        csrf: &browser.csrf,
        cases: html(&CasesTable {
            words,
            rows: &cases,
            desk: "secretary",
            csrf: &browser.csrf,
        }),
        today: today.to_string(),
        regions,
        region,
        experts,
    })
}

/// The desk on the home page.
pub(crate) async fn home(s: &Shared, lang: Lang, browser: &Browser) -> String {
    desk_html(s, lang, browser, String::new(), String::new()).await
}

async fn desk_page(
    visit: &Visit,
    region: String,
    (outcome, status): (String, StatusCode),
) -> Response {
    let Visit { s, browser, lang } = visit;
    let body = desk_html(s, *lang, browser, region, outcome).await;
    crate::portal::page::page(*lang, status, Some(browser), &body)
}

async fn desk(visit: Visit, Query(query): Query<RegionQuery>) -> Response {
    if let Some(refusal) = desk_only(visit.lang, &visit.browser, Role::AppraisalSecretary) {
        return refusal;
    }
    desk_page(&visit, query.region, (String::new(), StatusCode::OK)).await
}

#[derive(Deserialize)]
pub(crate) struct ExpertForm {
    csrf: String,
    key: String,
    region: String,
    code: String,
    specialty: String,
    #[serde(default)]
    employer: String,
}

#[derive(Deserialize)]
pub(crate) struct DrawForm {
    csrf: String,
    key: String,
    case: String,
    kind: String,
    size: u32,
    #[serde(default)]
    requested_on: String,
}

#[derive(Deserialize)]
pub(crate) struct ConclusionForm {
    csrf: String,
    key: String,
    appraisal: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    care_level: String,
}

posted_form!(Some(Role::AppraisalSecretary) => ExpertForm, DrawForm, ConclusionForm);

async fn add_expert(Posted(visit, _, form): Posted<ExpertForm>) -> Response {
    let request = NewExpert {
        code: form.code.trim().to_owned(),
        specialty: form.specialty.trim().to_owned(),
        employer_id: Some(form.employer.trim().to_owned()).filter(|e| !e.is_empty()),
    };
    let (key, region) = (form.key, form.region.trim().to_owned());
    let in_region = region.clone();
    let added = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.add_injury_expert(actor, &key, &in_region, request)
        })
        .await;
    let shown = done_or_refused(visit.lang, &added, visit.lang.words().expert_added());
    desk_page(&visit, region, (shown.1, shown.0)).await
}

async fn draw(Posted(visit, _, form): Posted<DrawForm>) -> Response {
    let request = DrawRequest {
        kind: form.kind,
        size: form.size,
        requested_on: Some(form.requested_on.trim().to_owned()).filter(|d| !d.is_empty()),
    };
    let (key, case) = (form.key, form.case.trim().to_owned());
    let drawn = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.draw_injury_panel(actor, &key, &case, request)
        })
        .await;
    let shown = done_or_refused(visit.lang, &drawn, visit.lang.words().drawn_done());
    desk_page(&visit, String::new(), (shown.1, shown.0)).await
}

async fn conclude(Posted(visit, _, form): Posted<ConclusionForm>) -> Response {
    let grade = match form.grade.trim() {
        "" => Ok(None),
        text => text
            .parse::<u8>()
            .map(Some)
            .map_err(|_| AppError::invalid("grade", "a grade from 1 to 10")),
    };
    let care_level = Some(form.care_level.trim().to_owned()).filter(|c| !c.is_empty());
    let (key, appraisal) = (form.key, form.appraisal);
    let concluded = match grade {
        Ok(grade) => {
            let request = AppraisalConclusion { grade, care_level };
            visit
                .browser
                .call(&visit.s, move |app, actor| {
                    app.conclude_injury_appraisal(actor, &key, &appraisal, request)
                })
                .await
        }
        Err(error) => Err(error),
    };
    let shown = done_or_refused(visit.lang, &concluded, visit.lang.words().concluded_done());
    desk_page(&visit, String::new(), (shown.1, shown.0)).await
}
