//! Registering a new person at the clerk's window.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::AppError;
use shebao_app::person::NewPerson;
use shebao_app::views::RegionView;

use crate::Shared;
use crate::portal::clerk::clerk_only;
use crate::portal::clerk::field_message;
use crate::portal::clerk::household_words;
use crate::portal::clerk::person::person_response;
use crate::portal::i18n::Lang;
use crate::portal::page::error_status;
use crate::portal::page::esc;
use crate::portal::page::form::CITIZEN_ATTRS;
use crate::portal::page::form::Field;
use crate::portal::page::form::Posted;
use crate::portal::page::form::form_guard;
use crate::portal::page::form::posted_form;
use crate::portal::page::form::select;
use crate::portal::page::notice;
use crate::portal::page::page;
use crate::portal::page::refused;
use crate::portal::session::Browser;
use crate::portal::session::Visit;
use crate::portal::session::blocking;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RegisterForm {
    csrf: String,
    key: String,
    citizen_id: String,
    name: String,
    nationality: String,
    household_region: String,
    household_kind: String,
    phone: String,
}

posted_form!(None => RegisterForm);

/// The registration form. The ID number is never written back into it: after a refusal the
/// clerk types it again.
fn register_html(
    lang: Lang,
    browser: &Browser,
    regions: &[RegionView],
    values: &RegisterForm,
    error: Option<&AppError>,
) -> String {
    let field_error = error.and_then(|e| field_message(lang, e));
    let field_error = field_error.as_ref();
    format!(
        "<h1>{title}</h1>{message}<form method=\"post\" action=\"/clerk/persons\" class=\"card\" autocomplete=\"off\">{guard}\
         {identity}{region}<datalist id=\"region-list\">{datalist}</datalist>{kind}{phone}\
         <button type=\"submit\">{submit}</button></form><p><a href=\"/home\">{back}</a></p>",
        title = lang.words().register_person(),
        message = register_message(lang, error, field_error),
        guard = form_guard(browser),
        identity = identity_fields(lang, values, error.is_some(), field_error),
        region = Field {
            id: "register-household_region",
            name: "household_region",
            label: lang.words().household_region_code(),
            value: &values.household_region,
            attrs: "required inputmode=\"numeric\" pattern=\"[0-9]{6}\" maxlength=\"6\" list=\"region-list\"",
            error: error_for(field_error, "household_region"),
            ..Field::default()
        }
        .html(),
        datalist = region_datalist(regions),
        kind = household_kind_select(lang, &values.household_kind, field_error),
        phone = Field {
            id: "register-phone",
            name: "phone",
            label: lang.words().phone_optional(),
            value: &values.phone,
            attrs: "type=\"tel\" inputmode=\"tel\" maxlength=\"20\"",
            error: error_for(field_error, "phone"),
            ..Field::default()
        }
        .html(),
        submit = lang.words().register(),
        back = lang.words().back_to_window(),
    )
}

/// The message of the field a refusal names, for that field.
fn error_for<'a>(field_error: Option<&'a (&str, String)>, name: &str) -> Option<&'a str> {
    field_error
        .filter(|(field, _)| *field == name)
        .map(|(_, message)| message.as_str())
}

/// The notice above the form: a refusal that names a field of the form points to it (the
/// reason sits under the field); any other is shown as it is.
fn register_message(
    lang: Lang,
    error: Option<&AppError>,
    field_error: Option<&(&str, String)>,
) -> String {
    const FIELDS: [&str; 6] = [
        "citizen_id",
        "name",
        "nationality",
        "household_region",
        "household_kind",
        "phone",
    ];
    match (error, field_error) {
        (Some(_), Some((field, _))) if FIELDS.contains(field) => {
            notice("error", lang.words().correct_marked_field())
        }
        (Some(error), _) => refused(lang, error),
        (None, _) => String::new(),
    }
}

/// The ID number (never written back: after a refusal the hint asks for it again), the name
/// and the nationality.
fn identity_fields(
    lang: Lang,
    values: &RegisterForm,
    refused_before: bool,
    field_error: Option<&(&str, String)>,
) -> String {
    let citizen_hint = if refused_before {
        lang.words().citizen_id_not_echoed()
    } else {
        lang.words().citizen_id_from_original()
    };
    let nationality = if values.nationality.is_empty() {
        "CHN"
    } else {
        values.nationality.as_str()
    };
    let citizen = Field {
        id: "register-citizen_id",
        name: "citizen_id",
        label: lang.words().citizen_id_plain(),
        attrs: CITIZEN_ATTRS,
        hint: Some(citizen_hint),
        error: error_for(field_error, "citizen_id"),
        ..Field::default()
    }
    .html();
    let name = Field {
        id: "register-name",
        name: "name",
        label: lang.words().person_name(),
        value: &values.name,
        attrs: "required maxlength=\"50\"",
        error: error_for(field_error, "name"),
        ..Field::default()
    }
    .html();
    let nationality = Field {
        id: "register-nationality",
        name: "nationality",
        label: lang.words().nationality_code(),
        value: nationality,
        attrs: "required maxlength=\"3\" autocapitalize=\"characters\"",
        error: error_for(field_error, "nationality"),
        ..Field::default()
    }
    .html();
    citizen + &name + &nationality
}

/// The household kind's select, with its error under it.
fn household_kind_select(lang: Lang, chosen: &str, field_error: Option<&(&str, String)>) -> String {
    let kinds = [
        (
            "urban".to_owned(),
            household_words(lang, "urban").to_owned(),
        ),
        (
            "rural".to_owned(),
            household_words(lang, "rural").to_owned(),
        ),
    ];
    let kind_error = error_for(field_error, "household_kind")
        .map(|m| {
            format!(
                "<p id=\"register-household_kind-error\" class=\"notice error\">{}</p>",
                esc(m)
            )
        })
        .unwrap_or_default();
    let mut kind_select = select(
        "register-household_kind",
        "household_kind",
        lang.words().household_kind(),
        &kinds,
        chosen,
    );
    if !kind_error.is_empty() {
        kind_select = kind_select.replacen(
            "<select ",
            "<select aria-describedby=\"register-household_kind-error\" aria-invalid=\"true\" ",
            1,
        );
    }
    kind_select + &kind_error
}

/// The known regions, offered as the region input's suggestions.
fn region_datalist(regions: &[RegionView]) -> String {
    regions
        .iter()
        .map(|r| {
            format!(
                "<option value=\"{}\" translate=\"no\">{}</option>",
                esc(&r.code),
                esc(&r.name)
            )
        })
        .collect()
}

async fn regions_for(s: &Shared, browser: &Browser) -> Vec<RegionView> {
    let actor = browser.actor.clone();
    blocking(s, move |app| app.regions(&actor))
        .await
        .unwrap_or_default()
}

pub(crate) async fn new_person_page(visit: Visit) -> Response {
    let Visit { s, browser, lang } = visit;
    if let Some(refusal) = clerk_only(lang, &browser) {
        return refusal;
    }
    let regions = regions_for(&s, &browser).await;
    let body = register_html(lang, &browser, &regions, &RegisterForm::default(), None);
    page(lang, StatusCode::OK, Some(&browser), &body)
}

pub(crate) async fn register_person(Posted(visit, _, form): Posted<RegisterForm>) -> Response {
    let Visit { s, browser, lang } = visit;
    let phone = form.phone.trim();
    let request = NewPerson {
        citizen_id: form.citizen_id.trim().to_owned(),
        name: form.name.trim().to_owned(),
        nationality: form.nationality.trim().to_owned(),
        household_region: form.household_region.trim().to_owned(),
        household_kind: form.household_kind.clone(),
        phone: (!phone.is_empty()).then(|| phone.to_owned()),
    };
    let key = form.key.clone();
    let outcome = browser
        .call(&s, move |app, actor| {
            app.register_person(actor, &key, request)
        })
        .await;
    match outcome {
        Ok(view) => {
            let id = view.id.clone();
            let message = notice("ok", lang.words().registered());
            person_response(&s, lang, &browser, id, Some(view), message, StatusCode::OK).await
        }
        Err(error) => {
            let regions = regions_for(&s, &browser).await;
            let body = register_html(lang, &browser, &regions, &form, Some(&error));
            page(lang, error_status(&error), Some(&browser), &body)
        }
    }
}
