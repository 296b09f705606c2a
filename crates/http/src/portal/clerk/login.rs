//! A holder's login at the clerk's window: opened, or its password reset, after the clerk
//! checked the original ID card; the one-time password is shown once, on the page that
//! answers the form.

use axum::extract::Path;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::access::holder_logins::{HolderLoginIssued, LoginReset, WindowEnrolment};
use shebao_domain::access::Role;

use crate::portal::clerk::person::person_response;
use crate::portal::i18n::Lang;
use crate::portal::page::form::{Posted, form_guard, posted_form};
use crate::portal::page::{error_status, esc, notice, refused};
use crate::portal::session::{Browser, Visit};
use crate::portal::words::Words;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct OpenLoginForm {
    csrf: String,
    key: String,
    username: String,
    original_id_checked: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ResetLoginForm {
    csrf: String,
    key: String,
    original_id_checked: Option<String>,
}

posted_form!(Some(Role::BureauClerk) => OpenLoginForm, ResetLoginForm);

/// The box the clerk ticks after checking the original ID card.
fn id_checked_box(words: &dyn Words, id: &str) -> String {
    format!(
        "<p><input type=\"checkbox\" id=\"{id}\" name=\"original_id_checked\" value=\"true\" required>\
         <label for=\"{id}\">{}</label></p>",
        words.original_id_checked()
    )
}

/// The two forms of a person's holder login.
pub(crate) fn login_forms(lang: Lang, browser: &Browser, person: &str) -> String {
    let words = lang.words();
    let id = esc(person);
    format!(
        "<section class=\"card\" aria-labelledby=\"login-title\"><h2 id=\"login-title\">{title}</h2>\
         <form method=\"post\" action=\"/clerk/persons/{id}/login\" autocomplete=\"off\"><h3>{open}</h3>{guard}\
         <label for=\"login-username\">{username}</label>\
         <input id=\"login-username\" name=\"username\" required maxlength=\"64\" pattern=\"[A-Za-z0-9._\\-]{{3,64}}\" aria-describedby=\"login-username-hint\">\
         <p id=\"login-username-hint\">{rule}</p>{open_check}<button type=\"submit\">{open}</button></form>\
         <form method=\"post\" action=\"/clerk/persons/{id}/login/reset\"><h3>{reset}</h3><p>{reset_about}</p>{guard2}{reset_check}\
         <button type=\"submit\" class=\"secondary\">{reset}</button></form></section>",
        title = words.holder_login(),
        open = words.open_login(),
        guard = form_guard(browser),
        guard2 = form_guard(browser),
        username = words.new_username(),
        rule = words.username_rule(),
        open_check = id_checked_box(words, "login-checked"),
        reset = words.reset_password(),
        reset_about = words.reset_about(),
        reset_check = id_checked_box(words, "reset-checked"),
    )
}

/// The page after opening or resetting: the one-time password once, or the refusal.
async fn issued_response(
    visit: Visit,
    person: String,
    outcome: Result<HolderLoginIssued, AppError>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let (message, status) = match outcome {
        Ok(issued) => (
            format!(
                "{}<p class=\"one-time\">{} <strong data-one-time-password translate=\"no\">{}</strong></p>",
                notice("ok", lang.words().login_issued()),
                lang.words().one_time_password(),
                esc(&issued.one_time_password)
            ),
            axum::http::StatusCode::OK,
        ),
        Err(error) => (refused(lang, &error), error_status(&error)),
    };
    person_response(&s, lang, &browser, person, None, message, status).await
}

pub(crate) async fn open_login(
    Posted(visit, Path(person), form): Posted<OpenLoginForm, Path<String>>,
) -> Response {
    let id = person.clone();
    let outcome = visit
        .browser
        .call(&visit.s, move |app, actor| {
            let request = WindowEnrolment {
                username: form.username.trim().to_owned(),
                original_id_checked: form.original_id_checked.is_some(),
            };
            app.open_holder_login(actor, &form.key, &id, request)
        })
        .await;
    issued_response(visit, person, outcome).await
}

pub(crate) async fn reset_login(
    Posted(visit, Path(person), form): Posted<ResetLoginForm, Path<String>>,
) -> Response {
    let id = person.clone();
    let outcome = visit
        .browser
        .call(&visit.s, move |app, actor| {
            let request = LoginReset {
                original_id_checked: form.original_id_checked.is_some(),
            };
            app.reset_holder_login(actor, &form.key, &id, request)
        })
        .await;
    issued_response(visit, person, outcome).await
}
