//! Changing the social security PIN.

use axum::Form;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::card::PinChange;

use crate::portal::holder::Holder;
use crate::portal::holder::holder_post_refusal;
use crate::portal::i18n::Lang;
use crate::portal::i18n::tr;
use crate::portal::page::error_status;
use crate::portal::page::form::form_guard;
use crate::portal::page::notice;
use crate::portal::page::page;
use crate::portal::page::refused;
use crate::portal::session::Browser;
use crate::portal::session::Visit;
use crate::portal::session::blocking;

fn pin_form(lang: Lang, browser: &Browser, message: &str) -> String {
    format!(
        "<h1>{title}</h1>{message}<form method=\"post\" action=\"/holder/pin\" autocomplete=\"off\" class=\"card\">{guard}\
         <label for=\"card_id\">{card}</label><input id=\"card_id\" name=\"card_id\" required>\
         <label for=\"old_pin\">{old}</label><input id=\"old_pin\" name=\"old_pin\" type=\"password\" inputmode=\"numeric\" pattern=\"[0-9]{{6}}\" maxlength=\"6\" required autocomplete=\"off\">\
         <label for=\"new_pin\">{new}</label><input id=\"new_pin\" name=\"new_pin\" type=\"password\" inputmode=\"numeric\" pattern=\"[0-9]{{6}}\" maxlength=\"6\" required autocomplete=\"off\" aria-describedby=\"pin-rule\">\
         <p id=\"pin-rule\">{rule}</p><button type=\"submit\">{title}</button></form>",
        title = tr(lang, "修改社保密码", "Change the social security PIN"),
        guard = form_guard(browser),
        card = tr(lang, "卡编号", "Card id"),
        old = tr(lang, "原密码", "Current PIN"),
        new = tr(lang, "新密码（六位数字）", "New PIN (six digits)"),
        rule = tr(
            lang,
            "不能使用123456等默认密码、相同或连续数字、出生日期或身份证号后六位。",
            "Not a default such as 123456, not all the same or a run of digits, not your birth date or the last six characters of your ID number."
        ),
    )
}

pub(crate) async fn pin_page(Holder(Visit { browser, lang, .. }): Holder) -> Response {
    page(
        lang,
        StatusCode::OK,
        Some(&browser),
        &pin_form(lang, &browser, ""),
    )
}

#[derive(Deserialize)]
pub(crate) struct PinForm {
    csrf: String,
    key: String,
    card_id: String,
    old_pin: String,
    new_pin: String,
}

pub(crate) async fn change_pin(visit: Visit, Form(form): Form<PinForm>) -> Response {
    let Visit { s, browser, lang } = visit;
    if let Some(refused) = holder_post_refusal(lang, &browser, &form.csrf) {
        return refused;
    }
    let actor = browser.actor.clone();
    let change = PinChange {
        old_pin: form.old_pin,
        new_pin: form.new_pin,
    };
    let card = form.card_id.trim().to_owned();
    let (status, message) = match blocking(&s, move |app| {
        app.change_social_pin(&actor, &form.key, &card, change)
    })
    .await
    {
        Ok(_) => (
            StatusCode::OK,
            notice("ok", tr(lang, "密码已修改。", "The PIN is changed.")),
        ),
        Err(error) => (error_status(&error), refused(lang, &error)),
    };
    page(
        lang,
        status,
        Some(&browser),
        &pin_form(lang, &browser, &message),
    )
}
