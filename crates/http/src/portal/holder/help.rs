//! Help: common questions, answered from the holder's own data when signed in.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use crate::Shared;
use crate::portal::holder::home::losses;
use crate::portal::i18n::Lang;
use crate::portal::i18n::LocalClock;
use crate::portal::i18n::cookie;
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
            _ if card.financial_loss.kind != "none" => lang.words().help_financial_lost(),
            Some("deposit_only") => lang.words().help_not_activated(),
            Some("active") => lang.words().help_activated(),
            _ => lang.words().help_no_financial(),
        };
        let locked = if card.social_pin_locked {
            lang.words().help_pin_locked()
        } else {
            lang.words().help_pin_not_locked()
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
            lang.words().help_your_card(),
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
            lang.words().help_activation_question(),
            lang.words().help_activation_answer(),
        ),
        (
            lang.words().help_lost_question(),
            lang.words().help_lost_answer(),
        ),
        (
            lang.words().help_pins_question(),
            lang.words().help_pins_answer(),
        ),
        (
            lang.words().help_uses_question(),
            lang.words().help_uses_answer(),
        ),
    ];
    let mut body = format!("<h1>{}</h1>{own}", lang.words().help_title());
    for (question, answer) in questions {
        body.push_str(&format!(
            "<section class=\"card\"><h2>{question}</h2><p>{answer}</p></section>"
        ));
    }
    page(lang, StatusCode::OK, None, &body)
}
