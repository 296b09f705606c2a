//! The cardholder's job seeking: the search over the published vacancies (each applied to
//! from its row, the name and telephone shown to the employer only if ticked), the holder's
//! applications (shared or withdrawn from their row) and the job-seeker profile.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::employment::VacancyQuery;
use shebao_app::employment::VacancyView;
use shebao_app::employment::seeking::{
    ApplicantAction, ApplicationView, JobProfileBody, JobProfileView, NewApplication,
};
use shebao_domain::access::Role;

use crate::portal::holder::{Holder, person_of};
use crate::portal::i18n::LocalClock;
use crate::portal::page::form::{Posted, posted_form};
use crate::portal::page::table::table_template;
use crate::portal::page::{html, notice, refusal, refused, rendered};
use crate::portal::session::Visit;
use crate::portal::words::Words;

/// What the search form asks (both may be empty: the newest vacancies).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct JobSearch {
    #[serde(default)]
    q: String,
    #[serde(default)]
    place: String,
}

#[derive(askama::Template)]
#[template(path = "holder/jobs.html")]
struct JobsPage<'a> {
    words: &'static dyn Words,
    outcome: String,
    q: &'a str,
    place: &'a str,
    found: String,
    applications: String,
    csrf: &'a str,
    key: String,
    skills: &'a str,
    wanted_occupation: &'a str,
    wanted_place: &'a str,
    available_from: &'a str,
}

table_template!(
    FoundTable,
    "holder/vacancies.html",
    VacancyView,
    csrf: &'a str,
    search: &'a JobSearch,
    kept_vacancy: &'a str,
    kept_note: &'a str,
);

/// What a refused post typed, shown again: the cover note of one vacancy's row, or the
/// profile.
#[derive(Default)]
struct Kept {
    vacancy: String,
    note: String,
    profile: Option<JobProfileView>,
}
table_template!(
    ApplicationsTable,
    "holder/applications.html",
    ApplicationView,
    csrf: &'a str,
    clock: LocalClock,
);

/// The search as the application takes it: an empty field asks nothing.
fn query(search: &JobSearch) -> VacancyQuery {
    let given = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
    VacancyQuery {
        q: given(&search.q),
        place: given(&search.place),
        ..VacancyQuery::default()
    }
}

/// The page: `outcome` (already HTML) above the search's results, the applications and the
/// profile; a refused search says why in place of its results.
async fn jobs_page(
    visit: &Visit,
    search: &JobSearch,
    (outcome, status): (String, StatusCode),
    kept: &Kept,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let (person, wanted) = (person_of(browser), query(search));
    let loaded = browser
        .call(s, move |app, actor| {
            let found = app.search_vacancies(actor, &wanted);
            let applications = app.my_applications(actor, &person)?;
            let profile = match app.job_profile(actor, &person) {
                Ok(profile) => Some(profile),
                Err(AppError::NotFound(_)) => None,
                Err(error) => return Err(error),
            };
            Ok((found, applications, profile, LocalClock::read(app, actor)))
        })
        .await;
    let words = lang.words();
    let (found, applications, profile, clock) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => {
            return crate::portal::page::refusal_page(*lang, Some(browser), &error);
        }
    };
    let found = match found {
        Ok(rows) => html(&FoundTable {
            words,
            rows: &rows,
            csrf: &browser.csrf,
            search,
            kept_vacancy: &kept.vacancy,
            kept_note: &kept.note,
        }),
        Err(error) => refused(*lang, &error),
    };
    let profile = kept
        .profile
        .clone()
        .or(profile)
        .unwrap_or_else(|| JobProfileView {
            person_id: String::new(),
            skills: String::new(),
            wanted_occupation: None,
            wanted_place: None,
            available_from: String::new(),
            updated_at: String::new(),
        });
    let body = JobsPage {
        words,
        outcome,
        q: &search.q,
        place: &search.place,
        found,
        applications: html(&ApplicationsTable {
            words,
            rows: &applications,
            csrf: &browser.csrf,
            clock,
        }),
        csrf: &browser.csrf,
        key: shebao_app::new_id("form"),
        skills: &profile.skills,
        wanted_occupation: profile.wanted_occupation.as_deref().unwrap_or(""),
        wanted_place: profile.wanted_place.as_deref().unwrap_or(""),
        available_from: &profile.available_from,
    };
    rendered(*lang, status, Some(browser), &body)
}

pub(crate) async fn jobs(holder: Holder, Query(search): Query<JobSearch>) -> Response {
    let ok = (String::new(), StatusCode::OK);
    jobs_page(&holder.0, &search, ok, &Kept::default()).await
}

/// The page again after a post, showing `search` again: what was done, or why not with what
/// was typed (`kept`) back in its fields.
async fn after<T>(
    visit: &Visit,
    result: Result<T, AppError>,
    done: &str,
    search: &JobSearch,
    kept: Kept,
) -> Response {
    match result {
        Ok(_) => {
            let ok = (notice("ok", done), StatusCode::OK);
            jobs_page(visit, search, ok, &Kept::default()).await
        }
        Err(error) => {
            let (status, outcome) = refusal(visit.lang, &error);
            jobs_page(visit, search, (outcome, status), &kept).await
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct ApplyForm {
    csrf: String,
    key: String,
    vacancy: String,
    #[serde(default)]
    cover_note: String,
    #[serde(default)]
    share: String,
    /// The search the vacancy was found by, shown again after the post.
    #[serde(default)]
    q: String,
    #[serde(default)]
    place: String,
}

#[derive(Deserialize)]
pub(crate) struct ApplicationForm {
    csrf: String,
    key: String,
    application: String,
    action: String,
}

#[derive(Deserialize)]
pub(crate) struct ProfileForm {
    csrf: String,
    key: String,
    skills: String,
    #[serde(default)]
    wanted_occupation: String,
    #[serde(default)]
    wanted_place: String,
    available_from: String,
}

posted_form!(Some(Role::Cardholder) => ApplyForm, ApplicationForm, ProfileForm);

pub(crate) async fn apply(Posted(visit, _, form): Posted<ApplyForm>) -> Response {
    let request = NewApplication {
        cover_note: form.cover_note.clone(),
        share: !form.share.is_empty(),
    };
    let (key, vacancy) = (form.key, form.vacancy.clone());
    let applied = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.apply_for_job(actor, &key, &vacancy, request)
        })
        .await;
    let search = JobSearch {
        q: form.q,
        place: form.place,
    };
    let kept = Kept {
        vacancy: form.vacancy,
        note: form.cover_note,
        profile: None,
    };
    let done = visit.lang.words().jobs_applied();
    after(&visit, applied, done, &search, kept).await
}

pub(crate) async fn change_application(
    Posted(visit, _, form): Posted<ApplicationForm>,
) -> Response {
    let words = visit.lang.words();
    let none = (JobSearch::default(), Kept::default());
    let (action, done) = match form.action.as_str() {
        "share" => (ApplicantAction::Share, words.application_shared_done()),
        "withdraw" => (
            ApplicantAction::Withdraw,
            words.application_withdrawn_done(),
        ),
        _ => {
            let refused = Err::<(), _>(AppError::invalid("action", "share or withdraw"));
            return after(&visit, refused, "", &none.0, none.1).await;
        }
    };
    let (key, application) = (form.key, form.application);
    let changed = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.change_application(actor, &key, &application, action)
        })
        .await;
    after(&visit, changed, done, &none.0, none.1).await
}

pub(crate) async fn keep_profile(Posted(visit, _, form): Posted<ProfileForm>) -> Response {
    let given = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
    let request = JobProfileBody {
        skills: form.skills.clone(),
        wanted_occupation: given(&form.wanted_occupation),
        wanted_place: given(&form.wanted_place),
        available_from: form.available_from.trim().to_owned(),
    };
    // What was typed, shown again if it is refused.
    let typed = Kept {
        profile: Some(JobProfileView {
            person_id: String::new(),
            skills: form.skills,
            wanted_occupation: Some(form.wanted_occupation),
            wanted_place: Some(form.wanted_place),
            available_from: form.available_from,
            updated_at: String::new(),
        }),
        ..Kept::default()
    };
    let (key, person) = (form.key, person_of(&visit.browser));
    let kept = visit
        .browser
        .call(&visit.s, move |app, actor| {
            app.keep_job_profile(actor, &key, &person, request)
        })
        .await;
    let done = visit.lang.words().profile_saved();
    after(&visit, kept, done, &JobSearch::default(), typed).await
}
