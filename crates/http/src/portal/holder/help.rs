//! Help: common questions, answered from the holder's own data when signed in.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use crate::Shared;
use crate::portal::holder::home::losses;
use crate::portal::i18n::Lang;
use crate::portal::i18n::LocalClock;
use crate::portal::i18n::cookie;
use crate::portal::i18n::tr;
use crate::portal::page::esc;
use crate::portal::page::page;

/// What the holder's own card says about the common questions (None when not signed in).
async fn own_answers(s: &Shared, headers: &HeaderMap, lang: Lang) -> Option<String> {
    let token = cookie(headers, "shebao_session")?;
    let rows = crate::extract::blocking(&s.app, &s.calls, move |app| {
        let actor = app.authenticate(&token).ok()?;
        let person = actor.scope.person_id.clone()?;
        let cards = app.cards_of_person(&actor, person.as_str()).ok()?;
        let clock = LocalClock::new(app.display_offset(&actor).ok()?);
        let mut rows = Vec::new();
        for card in cards {
            let account = card
                .account_id
                .as_ref()
                .and_then(|_| app.card_account(&actor, &card.id).ok());
            rows.push((card, account));
        }
        Some((rows, clock))
    })
    .await
    .ok()??;
    let (rows, clock) = rows;
    let mut html = String::new();
    for (card, account) in rows
        .iter()
        .filter(|(c, _)| c.usable != "card_replaced" && c.usable != "card_cancelled")
    {
        let (lost, _) = losses(lang.words(), clock, card);
        let activation = match account.as_ref().map(|a| a.status.as_str()) {
            _ if card.financial_loss.kind != "none" => tr(
                lang,
                "您的卡金融功能已挂失，暂停使用；挂失解除前不能支取或消费。",
                "Your card's financial side is reported lost: nothing can be paid or withdrawn until the report ends.",
            ),
            Some("deposit_only") => tr(
                lang,
                "您的卡尚未激活金融功能，目前只能存入、不能支取。",
                "Your card's bank account is not activated yet: money can come in, nothing can go out.",
            ),
            Some("active") => tr(
                lang,
                "您的卡金融功能已激活，无需再到银行办理。",
                "Your card's bank account is already active; no visit to the bank is needed.",
            ),
            _ => tr(
                lang,
                "这张卡没有金融功能。",
                "This card has no financial function.",
            ),
        };
        let locked = if card.social_pin_locked {
            tr(
                lang,
                "您的社保密码已锁定，请携带身份证到窗口解锁。",
                "Your social security PIN is locked: bring your ID card to a window to unlock it.",
            )
        } else {
            tr(
                lang,
                "您的社保密码未锁定。",
                "Your social security PIN is not locked.",
            )
        };
        let loss = if lost.is_empty() {
            String::new()
        } else {
            format!(
                "<p class=\"loss\">{}</p>",
                esc(&lost
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(lang.words().list_separator()))
            )
        };
        html.push_str(&format!(
            "<section class=\"card\"><h2>{} {}</h2>{loss}<p>{}</p><p>{}</p></section>",
            tr(lang, "您的卡", "Your card"),
            esc(&card.card_number),
            activation,
            locked
        ));
    }
    Some(html)
}

pub(crate) async fn help(State(s): State<Shared>, headers: HeaderMap) -> Response {
    let lang = Lang::from_headers(&headers);
    let own = own_answers(&s, &headers, lang).await.unwrap_or_default();
    let questions = [
        (
            tr(
                lang,
                "社保卡需要到银行激活吗？",
                "Does my social security card need to be activated at the bank?",
            ),
            tr(
                lang,
                "社保功能领卡即可使用；金融（银行）功能需本人携带社保卡和身份证原件到发卡银行任一网点激活并设置密码，激活前只能存入、不能支取。",
                "The social security side works once you collect the card. The bank side must be activated in person at any branch of the card's bank with the card and your original ID card, where you set a PIN; until then money can come in but nothing can go out.",
            ),
        ),
        (
            tr(lang, "卡丢了怎么办？", "What if I lose my card?"),
            tr(
                lang,
                "可在网上或拨打12333临时挂失，临时挂失到期自动解除；到窗口书面正式挂失后可申请补卡，旧卡永久失效，账户资金不受影响。",
                "Report a temporary loss online or by calling 12333; it lapses by itself. A formal loss in writing at a window lets you apply for a replacement: the old card stops working for ever and your money stays safe.",
            ),
        ),
        (
            tr(lang, "有几个密码？", "How many PINs are there?"),
            tr(
                lang,
                "两个：社保密码（多次输错会锁定，需到窗口解锁）和金融密码（激活时在银行设置，输错三次锁定，需到发卡银行柜台解锁）。",
                "Two: the social security PIN (locks after repeated wrong entries; unlocked at a window) and the financial PIN (set at the bank on activation; locks after three wrong entries in a day; unlocked at the card bank's counter).",
            ),
        ),
        (
            tr(lang, "社保卡能做什么？", "What can the card do?"),
            tr(
                lang,
                "查询养老、医疗、失业、工伤、生育保险缴费；在医院和药店实时结算医保；领取养老金等待遇；激活后可作为银行卡使用。",
                "Look up your pension, medical, unemployment, work-injury and maternity contributions; settle medical bills at hospitals and pharmacies on the spot; receive your pension and benefits; after activation, use it as a bank card.",
            ),
        ),
    ];
    let mut body = format!("<h1>{}</h1>{own}", tr(lang, "常见问题", "Help"));
    for (question, answer) in questions {
        body.push_str(&format!(
            "<section class=\"card\"><h2>{question}</h2><p>{answer}</p></section>"
        ));
    }
    page(lang, StatusCode::OK, None, &body)
}
