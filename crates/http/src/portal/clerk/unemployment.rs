//! The clerk's unemployment desk: the claims waiting for a decision (each decided from the
//! record from its row), a month's payout, and one person's record (`?person=`) with what
//! the bureau does on it: register at the window, refer to a vacancy or a training course,
//! record a referral's outcome, stop the benefit.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::employment::referrals::{
    NewReferral, NewTrainingReferral, ReferralOutcomeBody, TrainingReferralOutcomeBody,
};
use shebao_app::employment::training::CourseView;
use shebao_app::employment::unemployment::{SpellStop, SpellView};
use shebao_app::employment::{VacancyQuery, VacancyView};
use shebao_app::insurance::pensions::PayoutRequest;
use shebao_domain::access::Role;

use crate::portal::clerk::clerk_only;
use crate::portal::holder::unemployment::{may_register, record_html};
use crate::portal::i18n::LocalClock;
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::table::table_template;
use crate::portal::page::{done_or_refused, html, notice, refusal, refused, rendered};
use crate::portal::session::Visit;
use crate::portal::words::Words;

table_template!(ClaimsTable, "unemployment/claims.html", SpellView, csrf: &'a str);

#[derive(askama::Template)]
#[template(path = "unemployment/clerk.html")]
struct DeskPage<'a> {
    words: &'static dyn Words,
    outcome: String,
    claims: String,
    csrf: &'a str,
    this_month: String,
    person: &'a str,
    record: String,
    /// The person's open spell, which the referral and stop forms act on.
    open_spell: Option<String>,
    vacancies: Vec<VacancyView>,
    courses: Vec<CourseView>,
}

/// Which person's record the page shows, if any.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PersonQuery {
    #[serde(default)]
    pub(crate) person: String,
}

async fn desk_page(
    visit: &Visit,
    person: String,
    (outcome, status): (String, StatusCode),
) -> Response {
    let Visit { s, browser, lang } = visit;
    let wanted = person.trim().to_owned();
    let loaded = browser
        .call(s, move |app, actor| {
            let claims = app.unemployment_claims_to_decide(actor)?;
            let clock = LocalClock::read(app, actor);
            let this_month = clock.today(app).to_string();
            let record = if wanted.is_empty() {
                None
            } else {
                let record = app.unemployment_record(actor, &wanted);
                let vacancies = app.search_vacancies(actor, &VacancyQuery::default())?;
                let courses = app.open_training_courses(actor)?;
                Some((record, vacancies, courses))
            };
            Ok::<_, AppError>((claims, clock, this_month, record))
        })
        .await;
    let (claims, clock, this_month, record) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return crate::portal::page::refusal_page(*lang, Some(browser), &error),
    };
    let words = lang.words();
    let (mut record_part, mut open_spell) = (String::new(), None);
    let (mut vacancies, mut courses) = (Vec::new(), Vec::new());
    match record {
        Some((Ok(record), open, open_courses)) => {
            record_part = record_html(words, &record, &browser.csrf, clock);
            if !may_register(&record) {
                open_spell = record
                    .spells
                    .iter()
                    .find(|s| s.status == "registered" || s.status == "approved")
                    .map(|s| s.id.clone());
            }
            vacancies = open;
            courses = open_courses;
        }
        Some((Err(error), _, _)) => record_part = refused(*lang, &error),
        None => {}
    }
    let body = DeskPage {
        words,
        outcome,
        claims: html(&ClaimsTable {
            words,
            rows: &claims,
            csrf: &browser.csrf,
        }),
        csrf: &browser.csrf,
        this_month: this_month.get(..7).unwrap_or_default().to_owned(),
        person: person.trim(),
        record: record_part,
        open_spell,
        vacancies,
        courses,
    };
    rendered(*lang, status, Some(browser), &body)
}

pub(crate) async fn desk(visit: Visit, Query(query): Query<PersonQuery>) -> Response {
    if let Some(refusal) = clerk_only(visit.lang, &visit.browser) {
        return refusal;
    }
    desk_page(&visit, query.person, (String::new(), StatusCode::OK)).await
}

#[derive(Deserialize)]
pub(crate) struct SpellForm {
    csrf: String,
    key: String,
    spell: String,
    #[serde(default)]
    person: String,
}

#[derive(Deserialize)]
pub(crate) struct PayoutForm {
    csrf: String,
    key: String,
    region: String,
    month: String,
    #[serde(default)]
    person: String,
}

#[derive(Deserialize)]
pub(crate) struct PersonForm {
    csrf: String,
    key: String,
    person: String,
}

#[derive(Deserialize)]
pub(crate) struct ReferForm {
    csrf: String,
    key: String,
    spell: String,
    person: String,
    vacancy: String,
    note: String,
}

#[derive(Deserialize)]
pub(crate) struct ReferTrainingForm {
    csrf: String,
    key: String,
    spell: String,
    person: String,
    course: String,
    note: String,
}

#[derive(Deserialize)]
pub(crate) struct OutcomeForm {
    csrf: String,
    key: String,
    referral: String,
    person: String,
    outcome: String,
    note: String,
}

#[derive(Deserialize)]
pub(crate) struct StopForm {
    csrf: String,
    key: String,
    spell: String,
    person: String,
    reason: String,
    on: String,
    note: String,
}

posted_form!(Some(Role::BureauClerk) =>
    SpellForm, PayoutForm, PersonForm, ReferForm, ReferTrainingForm, OutcomeForm, StopForm);

/// The desk again after a post, on `person`'s record: what was done, or why not.
async fn after<T>(
    visit: &Visit,
    person: String,
    result: &Result<T, AppError>,
    done: &str,
) -> Response {
    let shown = done_or_refused(visit.lang, result, done);
    desk_page(visit, person, (shown.1, shown.0)).await
}

pub(crate) async fn decide(Posted(visit, _, form): Posted<SpellForm>) -> Response {
    let (key, spell) = (form.key, form.spell);
    let decided = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.decide_unemployment_claim(actor, &key, &spell)
        })
        .await;
    let done = visit.lang.words().claim_decided();
    after(&visit, form.person, &decided, done).await
}

pub(crate) async fn payout(Posted(visit, _, form): Posted<PayoutForm>) -> Response {
    let request = PayoutRequest {
        region: form.region.trim().to_owned(),
        month: form.month.trim().to_owned(),
    };
    let key = form.key;
    let paid = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.run_unemployment_payout(actor, &key, request)
        })
        .await;
    let shown = payout_outcome(visit.lang, &paid);
    desk_page(&visit, form.person, (shown.1, shown.0)).await
}

/// What a payout run did, as the page shows it, with its status.
pub(crate) fn payout_outcome(
    lang: crate::portal::i18n::Lang,
    paid: &Result<shebao_app::insurance::pensions::PayoutView, AppError>,
) -> (StatusCode, String) {
    match paid {
        Ok(view) => (
            StatusCode::OK,
            notice(
                "ok",
                &lang
                    .words()
                    .payout_done(view.paid, view.already_paid, view.skipped.len()),
            ),
        ),
        Err(error) => refusal(lang, error),
    }
}

pub(crate) async fn register(Posted(visit, _, form): Posted<PersonForm>) -> Response {
    let (key, person) = (form.key, form.person.clone());
    let registered = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.register_unemployed(actor, &key, &person)
        })
        .await;
    let done = visit.lang.words().unemployment_registered_done();
    after(&visit, form.person, &registered, done).await
}

pub(crate) async fn refer(Posted(visit, _, form): Posted<ReferForm>) -> Response {
    let request = NewReferral {
        vacancy_id: form.vacancy,
        note: form.note,
    };
    let (key, spell) = (form.key, form.spell);
    let referred = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.refer_job_seeker(actor, &key, &spell, request)
        })
        .await;
    let done = visit.lang.words().referred_done();
    after(&visit, form.person, &referred, done).await
}

pub(crate) async fn outcome(Posted(visit, _, form): Posted<OutcomeForm>) -> Response {
    let request = ReferralOutcomeBody {
        outcome: form.outcome,
        note: form.note,
    };
    let (key, referral) = (form.key, form.referral);
    let recorded = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.record_referral_outcome(actor, &key, &referral, request)
        })
        .await;
    let done = visit.lang.words().outcome_done();
    after(&visit, form.person, &recorded, done).await
}

pub(crate) async fn refer_training(Posted(visit, _, form): Posted<ReferTrainingForm>) -> Response {
    let request = NewTrainingReferral {
        course_id: form.course,
        note: form.note,
    };
    let (key, spell) = (form.key, form.spell);
    let referred = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.refer_to_training(actor, &key, &spell, request)
        })
        .await;
    let done = visit.lang.words().referred_done();
    after(&visit, form.person, &referred, done).await
}

pub(crate) async fn training_outcome(Posted(visit, _, form): Posted<OutcomeForm>) -> Response {
    let request = TrainingReferralOutcomeBody {
        outcome: form.outcome,
        note: form.note,
    };
    let (key, referral) = (form.key, form.referral);
    let recorded = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.record_training_referral_outcome(actor, &key, &referral, request)
        })
        .await;
    let done = visit.lang.words().outcome_done();
    after(&visit, form.person, &recorded, done).await
}

pub(crate) async fn stop(Posted(visit, _, form): Posted<StopForm>) -> Response {
    let request = SpellStop {
        reason: form.reason,
        on: form.on.trim().to_owned(),
        note: form.note,
    };
    let (key, spell) = (form.key, form.spell);
    let stopped = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.stop_unemployment_benefit(actor, &key, &spell, request)
        })
        .await;
    let done = visit.lang.words().stopped_done();
    after(&visit, form.person, &stopped, done).await
}
