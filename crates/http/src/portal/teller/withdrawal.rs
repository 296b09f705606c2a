//! Cash withdrawal at the teller's desk, with the holder's PIN.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::money::CashRequest;
use shebao_app::money::yuan;
use shebao_domain::access::Role;

use crate::portal::i18n::Lang;
use crate::portal::i18n::LocalClock;
use crate::portal::page::esc;
use crate::portal::page::form::Posted;
use crate::portal::page::form::form_guard;
use crate::portal::page::form::posted_form;
use crate::portal::page::form::{amount_fen, amount_input};
use crate::portal::page::notice;
use crate::portal::page::receipt::cash_receipt;
use crate::portal::page::refusal;
use crate::portal::session::Browser;
use crate::portal::session::Visit;
use crate::portal::teller::form_page;
use crate::portal::teller::teller_heading;
use crate::portal::teller::url_component;

pub(crate) fn withdrawal_body(lang: Lang, browser: &Browser, card: &str, message: &str) -> String {
    withdrawal_form(lang, browser, card, message, None)
}

/// The withdrawal form, with an amount typed before and what was wrong with it.
fn withdrawal_form(
    lang: Lang,
    browser: &Browser,
    card: &str,
    message: &str,
    amount: Option<(&str, &'static str)>,
) -> String {
    let title = lang.words().cash_withdrawal();
    format!(
        "{heading}{message}<form method=\"post\" action=\"/desk/cards/{id}/withdrawal\" class=\"card\" autocomplete=\"off\">{guard}\
         {amount}\
         <label for=\"pin\">{pin}</label><input id=\"pin\" name=\"pin\" type=\"password\" inputmode=\"numeric\" pattern=\"[0-9]{{6}}\" maxlength=\"6\" required autocomplete=\"off\">\
         <button type=\"submit\">{title}</button></form>",
        heading = teller_heading(lang, card, title),
        id = esc(&url_component(card)),
        guard = form_guard(browser),
        amount = amount_input(
            lang.words(),
            amount.map_or("", |(typed, _)| typed),
            amount.map(|(_, error)| error)
        ),
        pin = lang.words().pin_pad(),
        title = esc(title),
    )
}

#[derive(Deserialize)]
pub(crate) struct WithdrawalForm {
    csrf: String,
    key: String,
    amount_yuan: String,
    pin: String,
}

posted_form!(Some(Role::BankTeller) => WithdrawalForm);

pub(crate) async fn teller_withdraw(
    Posted(visit, Path(card), form): Posted<WithdrawalForm, Path<String>>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let amount_fen = match amount_fen(lang.words(), &form.amount_yuan) {
        Ok(fen) => fen,
        Err(error) => {
            let draft = Some((form.amount_yuan.as_str(), error));
            let body = withdrawal_form(lang, &browser, &card, "", draft);
            return crate::portal::page::page(
                lang,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&browser),
                &body,
            );
        }
    };
    let id = card.clone();
    let request = CashRequest {
        amount_fen,
        pin: Some(form.pin),
        memo: None,
    };
    let outcome = browser
        .call(&s, move |app, actor| {
            let transfer = app.withdraw(actor, &form.key, &id, request)?;
            let number = app.card(actor, &id)?.card_number;
            Ok((transfer, number, LocalClock::read(app, actor)))
        })
        .await;
    let (status, message) = match outcome {
        Ok((transfer, number, clock)) => (
            StatusCode::OK,
            notice(
                "ok",
                &lang.words().withdrawn(
                    &yuan(transfer.amount_fen),
                    &yuan(transfer.balance_after_fen),
                ),
            ) + &cash_receipt(
                lang,
                lang.words().receipt_withdrawal(),
                &number,
                &transfer,
                clock.time(&transfer.created_at),
                &browser.actor.username,
            ),
        ),
        Err(error) => refusal(lang, &error),
    };
    form_page(lang, status, &browser, &card, &message, withdrawal_body)
}
