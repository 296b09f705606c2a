//! Unlocking a PIN locked by wrong tries, at the teller's desk.

use axum::extract::Path;
use axum::response::Response;
use serde::Deserialize;
use shebao_domain::access::Role;

use crate::portal::i18n::Lang;
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
    let title = lang.words().unlock_pin();
    format!(
        "{heading}{message}<form method=\"post\" action=\"/desk/cards/{id}/unlock\" class=\"card\">{guard}<p>{explain}</p>\
         <button type=\"submit\" name=\"which\" value=\"financial\">{financial}</button> \
         <button type=\"submit\" name=\"which\" value=\"social\" class=\"secondary\">{social}</button></form>",
        heading = teller_heading(lang, card, title),
        id = esc(&url_component(card)),
        guard = form_guard(browser),
        explain = lang.words().unlock_explain(),
        financial = lang.words().unlock_financial_pin(),
        social = lang.words().unlock_social_pin(),
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
            let (status, message) = unprocessable(lang.words().unlock_choose_pin());
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
        lang.words().financial_pin_unlocked()
    } else {
        lang.words().social_pin_unlocked()
    };
    let (status, message) = done_or_refused(lang, &outcome, done);
    form_page(lang, status, &browser, &card, &message, unlock_body)
}
