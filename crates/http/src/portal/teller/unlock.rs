//! Unlocking a PIN locked by wrong tries, at the teller's desk.

use axum::extract::Path;
use axum::response::Response;
use serde::Deserialize;
use shebao_domain::access::Role;

use crate::portal::i18n::Lang;
use crate::portal::i18n::tr;
use crate::portal::page::done_or_refused;
use crate::portal::page::esc;
use crate::portal::page::form::Posted;
use crate::portal::page::form::form_guard;
use crate::portal::page::form::posted_form;
use crate::portal::page::unprocessable;
use crate::portal::session::Browser;
use crate::portal::session::Visit;
use crate::portal::teller::form_page;
use crate::portal::teller::teller_heading;
use crate::portal::teller::url_component;

pub(crate) fn unlock_body(lang: Lang, browser: &Browser, card: &str, message: &str) -> String {
    let title = tr(lang, "密码解锁", "Unlock a PIN");
    format!(
        "{heading}{message}<form method=\"post\" action=\"/desk/cards/{id}/unlock\" class=\"card\">{guard}<p>{explain}</p>\
         <button type=\"submit\" name=\"which\" value=\"financial\">{financial}</button> \
         <button type=\"submit\" name=\"which\" value=\"social\" class=\"secondary\">{social}</button></form>",
        heading = teller_heading(lang, card, title),
        id = esc(&url_component(card)),
        guard = form_guard(browser),
        explain = tr(
            lang,
            "请核验持卡人本人及身份证原件后再解锁。",
            "Unlock only with the holder present and their original ID card checked.",
        ),
        financial = tr(
            lang,
            "解锁金融（银行）密码",
            "Unlock the financial (bank) PIN"
        ),
        social = tr(lang, "解锁社保密码", "Unlock the social security PIN"),
    )
}

#[derive(Deserialize)]
pub(crate) struct UnlockForm {
    csrf: String,
    key: String,
    which: String,
}

posted_form!(Some(Role::BankTeller) => UnlockForm);

pub(crate) async fn teller_unlock(
    Posted(visit, Path(card), form): Posted<UnlockForm, Path<String>>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let financial = match form.which.as_str() {
        "financial" => true,
        "social" => false,
        _ => {
            let (status, message) = unprocessable(tr(
                lang,
                "请选择要解锁的密码。",
                "Choose which PIN to unlock.",
            ));
            return form_page(lang, status, &browser, &card, &message, unlock_body);
        }
    };
    let id = card.clone();
    let outcome = browser
        .call(&s, move |app, actor| {
            if financial {
                app.unlock_financial_pin(actor, &form.key, &id).map(|_| ())
            } else {
                app.unlock_social_pin(actor, &form.key, &id).map(|_| ())
            }
        })
        .await;
    let done = if financial {
        tr(lang, "金融密码已解锁。", "The financial PIN is unlocked.")
    } else {
        tr(
            lang,
            "社保密码已解锁。",
            "The social security PIN is unlocked.",
        )
    };
    let (status, message) = done_or_refused(lang, &outcome, done);
    form_page(lang, status, &browser, &card, &message, unlock_body)
}
