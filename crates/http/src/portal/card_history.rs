//! A card's history as the holder's and the clerk's card pages show it.

use shebao_app::views::CardEventView;

use crate::portal::i18n::{Lang, LocalClock};
use crate::portal::page::html;
use crate::portal::words::Words;

#[derive(askama::Template)]
#[template(path = "card_history.html")]
struct CardHistory<'a> {
    words: &'static dyn Words,
    clock: LocalClock,
    id: &'a str,
    events: &'a [CardEventView],
}

/// The milestones of card `id`, oldest first, with a heading.
pub(crate) fn card_history(
    lang: Lang,
    clock: LocalClock,
    id: &str,
    events: &[CardEventView],
) -> String {
    html(&CardHistory {
        words: lang.words(),
        clock,
        id,
        events,
    })
}
