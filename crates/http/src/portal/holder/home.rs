//! The cardholder's home page: each card with both sides' state, the balance and the next
//! step, and the report of a loss.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use shebao_app::card::LossReport;
use shebao_app::money::yuan;
use shebao_app::views::{AccountView, CardView};

use crate::Shared;
use crate::portal::i18n::Lang;
use crate::portal::i18n::card_status;
use crate::portal::i18n::financial_words;
use crate::portal::page::esc;
use crate::portal::page::form::GuardedForm;
use crate::portal::page::form::Posted;
use crate::portal::page::form::form_guard;
use crate::portal::page::notice;
use crate::portal::page::page;
use crate::portal::page::redirect;
use crate::portal::page::refused;
use crate::portal::session::Browser;
use crate::portal::session::Visit;
use crate::portal::session::blocking;

/// The next step for the holder's card, in plain words, from its state.
fn next_step(lang: Lang, card: &CardView, account: Option<&AccountView>, bank: &str) -> String {
    let zh = lang == Lang::Zh;
    match (card.usable.as_str(), card.status.as_str(), account.map(|a| a.status.as_str())) {
        ("usable", _, Some("deposit_only")) if zh => format!(
            "您的银行账户目前只能存入、不能支取（只收不付）：请携带本卡和身份证原件到{bank}任一网点激活金融功能并设置密码。"
        ),
        ("usable", _, Some("deposit_only")) => format!(
            "Your bank account is deposit-only (money in, nothing out): bring this card and your original ID card to any branch of {bank} to activate it and set a PIN."
        ),
        ("usable", _, Some("active")) if zh => "您的社保卡两项功能均可使用。".to_owned(),
        ("usable", _, Some("active")) => "Both sides of your card work.".to_owned(),
        ("usable", _, _) if zh => "社保功能可以使用；临时卡没有金融功能。".to_owned(),
        ("usable", _, _) => "The social security side works; a temporary card has no financial function.".to_owned(),
        (_, "ready_for_collection", _) if zh => format!("您的卡已制成，请携带身份证原件到{}领取。", card.distribution_point.clone().unwrap_or_default()),
        (_, "ready_for_collection", _) => format!("Your card is ready: collect it at {} with your original ID card.", card.distribution_point.clone().unwrap_or_default()),
        ("card_lost", _, _) if zh => "卡已挂失。如已找到可到窗口解除挂失；正式挂失后可申请补卡。".to_owned(),
        ("card_lost", _, _) => "The card is reported lost. If you find it, cancel the report at a window; after a formal report you can apply for a replacement.".to_owned(),
        _ if zh => "如有疑问，请到社保经办窗口或拨打12333咨询。".to_owned(),
        _ => "For questions, visit a bureau window or call 12333.".to_owned(),
    }
}

pub(crate) async fn holder_home(s: &Shared, lang: Lang, browser: &Browser) -> String {
    let actor = browser.actor.clone();
    let Some(person) = actor.scope.person_id.clone() else {
        return notice("error", lang.words().not_found());
    };
    let loaded = blocking(s, move |app| {
        let cards = app.cards_of_person(&actor, person.as_str())?;
        let banks = app.banks(&actor)?;
        let mut rows = Vec::new();
        for card in cards {
            let account = card
                .account_id
                .as_ref()
                .map(|_| app.card_account(&actor, &card.id))
                .transpose()?;
            let bank = banks
                .iter()
                .find(|b| Some(&b.id) == card.bank_id.as_ref())
                .map(|b| b.name.clone())
                .unwrap_or_default();
            rows.push((card, account, bank));
        }
        Ok(rows)
    })
    .await;
    let rows = match loaded {
        Ok(rows) => rows,
        Err(error) => return refused(lang, &error),
    };
    let mut body = format!("<h1>{}</h1>", lang.words().my_cards());
    if rows.is_empty() {
        body.push_str(&notice("info", lang.words().no_card()));
    }
    for (card, account, bank) in rows.iter().rev() {
        let financial = financial_words(lang, account.as_ref());
        let social = card_status(lang, card);
        body.push_str(&format!(
            "<section class=\"card\" aria-labelledby=\"c-{id}\"><h2 id=\"c-{id}\">{card_label} {number}</h2><dl>\
             <dt>{bank_card_label}</dt><dd>{bank_card}</dd><dt>{social_label}</dt><dd class=\"state\">{social}</dd>\
             <dt>{financial_label}</dt><dd class=\"state\" data-financial=\"{financial_code}\">{financial}</dd>\
             <dt>{balance_label}</dt><dd>{balance}</dd></dl><h3>{next_label}</h3><p class=\"next\">{next}</p>{loss}</section>",
            id = esc(&card.id),
            card_label = lang.words().card_number(),
            number = esc(&card.card_number),
            bank_card_label = lang.words().bank_card(),
            bank_card = esc(card.bank_card_number.as_deref().unwrap_or("-")),
            social_label = lang.words().social_side(),
            financial_label = lang.words().financial_side(),
            financial_code = esc(account.as_ref().map_or("none", |a| a.status.as_str())),
            balance_label = lang.words().balance(),
            balance = account.as_ref().map(|a| yuan(a.balance_fen)).unwrap_or_else(|| "-".into()),
            next_label = lang.words().next_step(),
            next = esc(&next_step(lang, card, account.as_ref(), bank)),
            loss = if card.usable == "usable" {
                format!(
                    "<form method=\"post\" action=\"/home/cards/{}/loss\">{}<button type=\"submit\" class=\"secondary\">{}</button></form>",
                    esc(&card.id),
                    form_guard(browser),
                    lang.words().report_loss()
                )
            } else {
                String::new()
            },
        ));
    }
    body
}

pub(crate) async fn report_loss(
    Posted(visit, Path(card), form): Posted<GuardedForm, Path<String>>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let outcome = browser
        .call(&s, move |app, actor| {
            for side in ["social", "financial"] {
                let report = LossReport {
                    side: side.into(),
                    kind: "temporary".into(),
                };
                match app.report_loss(actor, &format!("{}-{side}", form.key), &card, report) {
                    // A temporary card has no financial side to report.
                    Err(e) if e.code() == "temporary_card_no_financial_function" => {}
                    other => {
                        other?;
                    }
                }
            }
            Ok(())
        })
        .await;
    match outcome {
        Ok(()) => redirect("/home"),
        Err(error) => page(
            lang,
            StatusCode::CONFLICT,
            Some(&browser),
            &refused(lang, &error),
        ),
    }
}
