//! The card desk: find a card, see both sides' state and balance; the teller activates the
//! financial side and takes deposits.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::card::ActivateRequest;
use shebao_app::money::CashRequest;
use shebao_app::money::yuan;
use shebao_app::views::{AccountView, CardView};
use shebao_domain::access::Role;

use crate::Shared;
use crate::portal::i18n::Lang;
use crate::portal::i18n::LocalClock;
use crate::portal::i18n::card_status;
use crate::portal::i18n::financial_words;
use crate::portal::page::done_or_refused;
use crate::portal::page::esc;
use crate::portal::page::forbidden;
use crate::portal::page::form::Posted;
use crate::portal::page::form::form_guard;
use crate::portal::page::form::posted_form;
use crate::portal::page::form::{amount_fen, amount_input};
use crate::portal::page::notice;
use crate::portal::page::page;
use crate::portal::page::receipt::cash_receipt;
use crate::portal::page::refusal;
use crate::portal::page::refused;
use crate::portal::session::Browser;
use crate::portal::session::Visit;
use crate::portal::session::blocking;

pub(crate) fn desk_home(lang: Lang, browser: &Browser, found: Option<String>) -> String {
    let desk = if browser.actor.role == Role::BankTeller {
        lang.words().desk_teller()
    } else {
        lang.words().desk_clerk()
    };
    let mut body = format!(
        "<h1>{desk}</h1>{}<p><a href=\"/pickup\" data-pickup-link>{}</a> · \
         <a href=\"/ecard/check\">{}</a></p>",
        super::find::find_card_form(lang, browser, "card_number", "", None),
        lang.words().pickup_nav(),
        lang.words().check_nav(),
    );
    if let Some(found) = found {
        body.push_str(&found);
    }
    body
}

#[derive(Deserialize)]
pub(crate) struct CardQuery {
    card_id: String,
}

pub(crate) async fn desk_card(visit: Visit, Query(query): Query<CardQuery>) -> Response {
    let Visit { s, browser, lang } = visit;
    if !matches!(browser.actor.role, Role::BankTeller | Role::BureauClerk) {
        return forbidden(lang, &browser);
    }
    let body = desk_card_body(&s, lang, &browser, query.card_id.trim(), None, None).await;
    page(lang, StatusCode::OK, Some(&browser), &body)
}

/// An amount typed into the deposit form, and what was wrong with it.
type AmountDraft<'a> = Option<(&'a str, &'static str)>;

async fn desk_card_body(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    card_id: &str,
    message: Option<String>,
    deposit: AmountDraft<'_>,
) -> String {
    let (actor, id) = (browser.actor.clone(), card_id.to_owned());
    let loaded = blocking(s, move |app| {
        let card = app.card(&actor, &id)?;
        let account = card
            .account_id
            .as_ref()
            .map(|_| app.card_account(&actor, &id))
            .transpose()?;
        // The holder's name, masked as the role sees it; the card shows without it.
        let holder = app.person(&actor, &card.person_id).ok().map(|p| p.name);
        let counter = super::counter::load(app, &actor, &card)?;
        Ok((card, account, holder, counter))
    })
    .await;
    let found = match loaded {
        Ok((card, account, holder, counter)) => card_section(
            lang,
            browser,
            (&card, counter.as_ref()),
            account.as_ref(),
            holder.as_deref(),
            deposit,
        ),
        Err(error) => refused(lang, &error),
    };
    let mut body = message.unwrap_or_default();
    body.push_str(&desk_home(lang, browser, Some(found)));
    body
}

/// A card as the desk shows it: both sides' state and the balance, and for a teller the
/// forms and links of what can be done with its account.
fn card_section(
    lang: Lang,
    browser: &Browser,
    (card, counter): (&CardView, Option<&super::counter::Counter>),
    account: Option<&AccountView>,
    holder: Option<&str>,
    deposit: AmountDraft<'_>,
) -> String {
    let mut html = format!(
        "<section class=\"card\"><h2>{label} {number}</h2><dl><dt>{holder_label}</dt><dd class=\"holder\" translate=\"no\">{holder}</dd>\
         <dt>{status_label}</dt><dd class=\"state\">{status}</dd>\
         <dt>{financial_label}</dt><dd class=\"state\" data-financial=\"{financial}\">{financial_words}</dd><dt>{balance_label}</dt><dd>{balance}</dd></dl>",
        label = lang.words().card_number(),
        number = esc(&card.card_number),
        holder_label = lang.words().holder(),
        holder = esc(holder.unwrap_or("-")),
        status_label = lang.words().status(),
        status = card_status(lang, card),
        financial_label = lang.words().financial_side(),
        financial = esc(account.map_or("none", |a| a.status.as_str())),
        financial_words = financial_words(lang, account),
        balance_label = lang.words().balance(),
        balance = account
            .as_ref()
            .map(|a| yuan(a.balance_fen))
            .unwrap_or_else(|| "-".into()),
    );
    if browser.actor.role == Role::BankTeller && account.is_some_and(|a| a.status == "deposit_only")
    {
        html.push_str(&format!(
            "<form method=\"post\" action=\"/desk/cards/{id}/activate\" autocomplete=\"off\"><h3>{title}</h3>{guard}\
             <label for=\"citizen_id\">{citizen}</label><input id=\"citizen_id\" name=\"citizen_id\" required autocomplete=\"off\" data-private>\
             <label for=\"pin\">{pin_pad}</label><input id=\"pin\" name=\"pin\" type=\"password\" inputmode=\"numeric\" pattern=\"[0-9]{{6}}\" maxlength=\"6\" required autocomplete=\"off\">\
             <button type=\"submit\">{title}</button></form>",
            id = esc(&card.id),
            title = lang.words().activate(),
            guard = form_guard(browser),
            citizen = lang.words().citizen_id(),
            pin_pad = lang.words().pin_pad(),
        ));
    }
    if browser.actor.role == Role::BankTeller && account.is_some() {
        html.push_str(&format!(
            "<form method=\"post\" action=\"/desk/cards/{id}/deposit\"><h3>{title}</h3>{guard}{amount}\
             <button type=\"submit\">{title}</button></form>",
            id = esc(&card.id),
            title = lang.words().deposit(),
            guard = form_guard(browser),
            amount = amount_input(
                lang.words(),
                deposit.map_or("", |(typed, _)| typed),
                deposit.map(|(_, error)| error)
            ),
        ));
    }
    if browser.actor.role == Role::BankTeller && account.is_some() {
        html.push_str(&format!(
            "<p><a href=\"/desk/cards/{id}/withdrawal\">{withdraw}</a> · <a href=\"/desk/cards/{id}/unlock\">{unlock}</a></p>",
            id = esc(&card.id),
            withdraw = lang.words().cash_withdrawal(),
            unlock = lang.words().unlock_pin(),
        ));
    }
    if let Some(counter) = counter {
        html.push_str(&super::counter::forms(lang, browser, card, counter));
    }
    html.push_str("</section>");
    html
}

/// The card desk after a form's outcome: `message` above the card, with `status`.
pub(super) async fn desk_card_page(
    s: &Shared,
    lang: Lang,
    browser: &Browser,
    card: &str,
    (status, message): (StatusCode, String),
) -> Response {
    let body = desk_card_body(s, lang, browser, card, Some(message), None).await;
    page(lang, status, Some(browser), &body)
}

#[derive(Deserialize)]
pub(crate) struct ActivateForm {
    csrf: String,
    key: String,
    citizen_id: String,
    pin: String,
}

#[derive(Deserialize)]
pub(crate) struct DepositForm {
    csrf: String,
    key: String,
    amount_yuan: String,
}

posted_form!(None => ActivateForm, DepositForm);

pub(crate) async fn desk_activate(
    Posted(visit, Path(card), form): Posted<ActivateForm, Path<String>>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let id = card.clone();
    let request = ActivateRequest {
        citizen_id: form.citizen_id,
        pin: form.pin,
    };
    let outcome = browser
        .call(&s, move |app, actor| {
            app.activate_financial(actor, &form.key, &id, request)
        })
        .await;
    let shown = done_or_refused(lang, &outcome, lang.words().activated());
    desk_card_page(&s, lang, &browser, &card, shown).await
}

pub(crate) async fn desk_deposit(
    Posted(visit, Path(card), form): Posted<DepositForm, Path<String>>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let amount_fen = match amount_fen(lang.words(), &form.amount_yuan) {
        Ok(fen) => fen,
        Err(error) => {
            // Said beside the field, the amount typed kept.
            let draft = Some((form.amount_yuan.as_str(), error));
            let body = desk_card_body(&s, lang, &browser, &card, None, draft).await;
            return page(
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
        pin: None,
        memo: None,
    };
    let outcome = browser
        .call(&s, move |app, actor| {
            let outcome = app.deposit(actor, &form.key, &id, request)?;
            let number = app.card(actor, &id)?.card_number;
            Ok((outcome, number, LocalClock::read(app, actor)))
        })
        .await;
    let words = lang.words();
    let shown = match outcome {
        Ok((shebao_app::views::MoneyOutcome::Posted(transfer), number, clock)) => (
            StatusCode::OK,
            notice("ok", words.deposited())
                + &cash_receipt(
                    lang,
                    words.receipt_deposit(),
                    &number,
                    &transfer,
                    clock.time(&transfer.created_at),
                    &browser.actor.username,
                ),
        ),
        Ok((shebao_app::views::MoneyOutcome::AwaitingApproval(_), _, _)) => (
            StatusCode::ACCEPTED,
            notice("ok", words.awaiting_approval()),
        ),
        Err(error) => refusal(lang, &error),
    };
    desk_card_page(&s, lang, &browser, &card, shown).await
}
