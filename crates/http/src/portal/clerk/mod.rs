//! The bureau clerk's window: find a person by ID number (posted, never put in a URL),
//! register a person, show one in clear for a stated reason, apply for a card or issue a
//! temporary one, and move a card through production, collection, loss, replacement and
//! cancellation; review the vacancies employers post (`vacancies`); decide unemployment
//! claims, pay a month's benefit, refer, and stop benefits (`unemployment`); decide maternity
//! claims (`maternity`); review training courses, pay training subsidies and register
//! providers (`training`); decide work-injury applications and settle their benefits
//! (`injury`). Each action calls one application function; the page then shows the
//! outcome and the forms the new state allows. PINs and full ID numbers are never rendered
//! back (a full ID number appears only on the page that answers an unmask).

pub(crate) mod card;
pub(crate) mod card_state;
pub(crate) mod injury;
pub(crate) mod login;
pub(crate) mod maternity;
pub(crate) mod person;
pub(crate) mod registration;
pub(crate) mod training;
pub(crate) mod unemployment;
pub(crate) mod vacancies;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use shebao_app::AppError;
use shebao_app::views::RegionView;
use shebao_domain::access::Role;

use crate::Shared;
use crate::portal::i18n::Lang;
use crate::portal::page::error_status;
use crate::portal::page::form::CITIZEN_ATTRS;
use crate::portal::page::form::Field;
use crate::portal::page::form::form_guard;
use crate::portal::page::page;
use crate::portal::page::refused;
use crate::portal::session::Browser;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/clerk/persons/find", post(self::person::find_person))
        .route(
            "/clerk/persons/new",
            get(self::registration::new_person_page),
        )
        .route("/clerk/persons", post(self::registration::register_person))
        .route("/clerk/persons/{person}", get(self::person::person_page))
        .route(
            "/clerk/persons/{person}/unmask",
            post(self::person::unmask_person),
        )
        .route(
            "/clerk/persons/{person}/cards",
            post(self::person::apply_card),
        )
        .route(
            "/clerk/persons/{person}/temporary-card",
            post(self::person::issue_temporary),
        )
        .route(
            "/clerk/persons/{person}/login",
            post(self::login::open_login),
        )
        .route(
            "/clerk/persons/{person}/login/reset",
            post(self::login::reset_login),
        )
        .route("/clerk/vacancies", get(self::vacancies::queue))
        .route("/clerk/unemployment", get(self::unemployment::desk))
        .route("/clerk/training", get(self::training::training))
        .route("/clerk/training/providers", post(self::training::register))
        .route("/clerk/training/review", post(self::training::review))
        .route("/clerk/training/pay", post(self::training::pay))
        .route("/clerk/maternity", get(self::maternity::queue))
        .route("/clerk/maternity/decide", post(self::maternity::decide))
        .route("/clerk/injury", get(self::injury::desk))
        .route("/clerk/injury/decide", post(self::injury::decide))
        .route("/clerk/injury/settle", post(self::injury::settle))
        .route("/clerk/injury/payout", post(self::injury::payout))
        .route(
            "/clerk/unemployment/decide",
            post(self::unemployment::decide),
        )
        .route(
            "/clerk/unemployment/payout",
            post(self::unemployment::payout),
        )
        .route(
            "/clerk/unemployment/register",
            post(self::unemployment::register),
        )
        .route("/clerk/unemployment/refer", post(self::unemployment::refer))
        .route(
            "/clerk/unemployment/refer-training",
            post(self::unemployment::refer_training),
        )
        .route(
            "/clerk/unemployment/training-outcome",
            post(self::unemployment::training_outcome),
        )
        .route(
            "/clerk/unemployment/outcome",
            post(self::unemployment::outcome),
        )
        .route("/clerk/unemployment/stop", post(self::unemployment::stop))
        .route(
            "/clerk/vacancies/{vacancy}/review",
            post(self::vacancies::review),
        )
        .route("/clerk/cards/{card}", get(self::card::card_page))
        .route(
            "/clerk/cards/{card}/{action}",
            post(self::card::card_action),
        )
}

/// The desk's landing content.
pub(crate) async fn home(_s: &Shared, lang: Lang, browser: &Browser) -> String {
    desk(lang, browser, "")
}

pub(crate) fn desk(lang: Lang, browser: &Browser, message: &str) -> String {
    format!(
        "<h1>{title}</h1>{message}\
         <section class=\"card\" aria-labelledby=\"find-person-title\"><h2 id=\"find-person-title\">{find_person}</h2>\
         <form method=\"post\" action=\"/clerk/persons/find\" autocomplete=\"off\">{guard}{citizen}\
         <button type=\"submit\">{find}</button></form>\
         <p><a href=\"/clerk/persons/new\">{register}</a></p></section>{find_card}\
         <nav class=\"card\" aria-label=\"{review}\"><ul><li><a href=\"/clerk/vacancies\">{review}</a></li>\
         <li><a href=\"/clerk/unemployment\">{claims}</a></li>\
         <li><a href=\"/clerk/maternity\">{maternity}</a></li>\
         <li><a href=\"/clerk/injury\">{injury}</a></li>\
         <li><a href=\"/clerk/training\">{training}</a></li>\
         <li><a href=\"/pickup\" data-pickup-link>{pickup}</a></li></ul></nav>",
        title = lang.words().desk_clerk(),
        find_person = lang.words().find_person(),
        guard = form_guard(browser),
        citizen = Field {
            id: "find-citizen_id",
            name: "citizen_id",
            label: lang.words().citizen_id_plain(),
            attrs: CITIZEN_ATTRS,
            ..Field::default()
        }
        .html(),
        find = lang.words().find(),
        register = lang.words().register_person(),
        review = lang.words().review_link(),
        claims = lang.words().claims_link(),
        maternity = lang.words().maternity_queue_link(),
        injury = lang.words().injury_queue_link(),
        training = lang.words().training_queue_link(),
        pickup = lang.words().pickup_nav(),
        find_card =
            crate::portal::teller::find::find_card_form(lang, browser, "card_number", "", None),
    )
}

/// The field a validation error is about, and its message in the page's language without
/// the field's name.
pub(crate) fn field_message(lang: Lang, error: &AppError) -> Option<(&'static str, String)> {
    let field = error.field()?;
    Some((field, lang.words().field_error(error)))
}

/// Pages of the window are for bureau clerks; the application still checks every action.
pub(crate) fn clerk_only(lang: Lang, browser: &Browser) -> Option<Response> {
    (browser.actor.role != Role::BureauClerk).then(|| {
        page(
            lang,
            StatusCode::FORBIDDEN,
            Some(browser),
            &crate::portal::page::refusal_body(lang, &refused(lang, &AppError::Forbidden)),
        )
    })
}

pub(crate) fn region_options(regions: &[RegionView]) -> Vec<(String, String)> {
    regions
        .iter()
        .map(|r| (r.code.clone(), format!("{} ({})", r.name, r.code)))
        .collect()
}

pub(crate) fn kind_words(lang: Lang, kind: &str) -> &'static str {
    if kind == "temporary" {
        lang.words().kind_temporary_card()
    } else {
        lang.words().kind_standard_card()
    }
}

pub(crate) fn side_words(lang: Lang, side: &str) -> &'static str {
    if side == "financial" {
        lang.words().financial_side()
    } else {
        lang.words().social_side()
    }
}

pub(crate) fn loss_words(lang: Lang, kind: &str) -> &'static str {
    match kind {
        "temporary" => lang.words().loss_temporary(),
        "formal" => lang.words().loss_formal(),
        _ => lang.words().loss_none(),
    }
}

pub(crate) fn gender_words(lang: Lang, gender: &str) -> &'static str {
    match gender {
        "male" => lang.words().gender_male(),
        "female" => lang.words().gender_female(),
        _ => "-",
    }
}

pub(crate) fn household_words(lang: Lang, kind: &str) -> &'static str {
    match kind {
        "urban" => lang.words().household_urban(),
        "rural" => lang.words().household_rural(),
        _ => "-",
    }
}

/// A page the window loaded (`html` renders it under `message`), or the desk with why not.
pub(crate) fn loaded_page<T>(
    lang: Lang,
    browser: &Browser,
    status: StatusCode,
    message: String,
    loaded: Result<T, AppError>,
    html: impl FnOnce(&T, &str) -> String,
) -> Response {
    match loaded {
        Ok(data) => page(lang, status, Some(browser), &html(&data, &message)),
        Err(error) => not_loaded(lang, browser, status, message, &error),
    }
}

/// A page the window could not load: the desk, with the refusal after `message`. The status
/// is the refusal's, unless the action before it already failed with its own.
pub(crate) fn not_loaded(
    lang: Lang,
    browser: &Browser,
    status: StatusCode,
    message: String,
    error: &AppError,
) -> Response {
    let status = if status.is_success() {
        error_status(error)
    } else {
        status
    };
    let message = message + &refused(lang, error);
    page(lang, status, Some(browser), &desk(lang, browser, &message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::page::form::{Field, PIN_ATTRS};

    #[test]
    fn a_field_error_sits_under_its_input() {
        let html = Field {
            id: "register-name",
            name: "name",
            label: "Name",
            value: "<b>",
            error: Some("1 to 50 characters"),
            ..Field::default()
        }
        .html();
        assert!(html.contains("<label for=\"register-name\">"));
        assert!(html.contains("value=\"&lt;b&gt;\""));
        assert!(html.contains("aria-describedby=\"register-name-error\""));
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(html.contains(
            "<p id=\"register-name-error\" class=\"notice error\">1 to 50 characters</p>"
        ));

        let error = AppError::Invalid {
            field: "phone",
            message: "11 digits".into(),
        };
        assert_eq!(
            field_message(Lang::En, &error),
            Some(("phone", "11 digits".to_owned()))
        );
        assert_eq!(
            field_message(Lang::Zh, &error),
            Some(("phone", "内容缺失或格式不正确。".to_owned()))
        );
        assert_eq!(field_message(Lang::En, &AppError::Forbidden), None);
    }

    #[test]
    fn a_pin_input_never_carries_a_value() {
        let html = Field {
            id: "collect-social_pin",
            name: "social_pin",
            label: "PIN",
            attrs: PIN_ATTRS,
            ..Field::default()
        }
        .html();
        assert!(!html.contains("value="));
        assert!(html.contains("type=\"password\""));
        assert!(html.contains("inputmode=\"numeric\""));
        assert!(html.contains("autocomplete=\"off\""));
    }
}
