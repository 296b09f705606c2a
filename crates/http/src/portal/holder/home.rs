//! The cardholder's home page: each card with both sides' state, a reported loss of either
//! side with its end, the balance and the next step; reporting a temporary loss (after a
//! confirmation) and cancelling it; where a card on its way is collected (a point, or the
//! post: `mail`).

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shebao_app::card::{LossCancellation, LossReport};
use shebao_app::money::StatementWindow;
use shebao_app::money::yuan;
use shebao_app::production::{CollectionPointView, PlaceView, PointQuery, PointView};
use shebao_app::views::{AccountView, CardEventView, CardView, EntryView, LossView};
use shebao_domain::card::Side;
use shebao_domain::time::Timestamp;

use crate::portal::card_history::card_history;
use crate::portal::i18n::{CardState, Lang, LocalClock, card_status, financial_words};
use crate::portal::page::form::{GuardedForm, Posted};
use crate::portal::page::{Notice, html, redirect, refusal_page, refused, rendered};
use crate::portal::session::{Browser, Visit};
use crate::portal::words::Words;

/// What a holder's action came to, named in the address the page is sent to after it
/// (`/home?done=…`), so that going back or reloading never posts it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Done {
    LossReported,
    LossCancelled,
    PointChosen,
    MailChosen,
    MailedCollected,
}

impl Done {
    pub(super) fn path(self) -> &'static str {
        match self {
            Done::LossReported => "/home?done=loss_reported",
            Done::LossCancelled => "/home?done=loss_cancelled",
            Done::PointChosen => "/home?done=point_chosen",
            Done::MailChosen => "/home?done=mail_chosen",
            Done::MailedCollected => "/home?done=mailed_collected",
        }
    }

    fn text(self, words: &dyn Words) -> &'static str {
        match self {
            Done::LossReported => words.loss_reported_done(),
            Done::LossCancelled => words.loss_cancelled_done(),
            Done::PointChosen => words.collection_chosen_done(),
            Done::MailChosen => words.mail_chosen_done(),
            Done::MailedCollected => words.mail_collected_done(),
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct HomeQuery {
    /// An unknown value is ignored, like no value.
    #[serde(default, deserialize_with = "lenient")]
    pub(crate) done: Option<Done>,
}

fn lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Done>, D::Error> {
    let text = String::deserialize(d)?;
    Ok(serde_json::from_value(serde_json::Value::String(text)).ok())
}

/// One card as the home page shows it.
struct CardPanel {
    id: String,
    number: String,
    bank_card: String,
    state: &'static str,
    financial_code: String,
    financial: &'static str,
    /// Each lost side in words, with the end of a temporary loss.
    losses: Vec<LossLine>,
    /// `temporary`, `formal` or `none`: the weightiest loss of either side.
    loss_code: &'static str,
    balance: String,
    next: String,
    /// The bank named inside the next step (data, not translated) and the words after it.
    next_bank: Option<(String, &'static str)>,
    may_report_loss: bool,
    may_cancel_loss: bool,
    /// The card's milestones (HTML the template of [`card_history`] wrote).
    history: String,
    /// Where the card is to be collected, while it is on its way to the holder.
    place: Option<PlacePanel>,
}

/// Where a card is to be collected, and the points the holder may still choose.
struct PlacePanel {
    /// The point (none while the region has none).
    point: Option<PlaceView>,
    chosen: bool,
    /// Whether the point may still be chosen.
    open: bool,
    /// The place the window recorded, for a card made one at a time (no registered point).
    recorded: Option<String>,
    /// The points the holder may choose (a service centre, or a branch of the card's bank)
    /// as (id, name, selected); empty once the card is sent.
    options: Vec<(String, String, bool)>,
    /// The card's order to be posted, unless withdrawn.
    mail: Option<MailPanel>,
    /// Whether the holder may ask for the card to be posted (the choice is open and the
    /// region has a default point to post from).
    may_mail: bool,
    /// Whether the card goes, or went, by post (the point it passes through is not shown).
    by_post: bool,
}

/// A card's order to be posted, as its holder sees it.
struct MailPanel {
    status: String,
    /// The status in words.
    state: &'static str,
    /// The address masked beyond its city (data).
    address: String,
    /// The carrier and the tracking number, once posted (data).
    tracking: Option<String>,
    /// Whether the holder collects the card here: the carrier delivered it into their hands.
    collect: bool,
}

/// Days a payment to a card stays among the home page's notifications.
const PAID_NOTICE_DAYS: i64 = 31;

/// Payments to a card's account a notification reads (the newest of the last
/// [`PAID_NOTICE_DAYS`]).
const PAID_NOTICE_ENTRIES: i64 = 20;

/// Something the holder is told on the home page.
struct Notification {
    /// `card_ready`, `loss` or the transfer code of a payment.
    kind: &'static str,
    text: String,
    /// A pick-up point named after the text (data, not translated) and the words after it.
    place: Option<(String, &'static str)>,
}

/// What a holder is told of a card that arrived and goes by post: to be posted, in the post
/// (with the carrier and the tracking number), or delivered (the PIN to choose); none for a
/// card that waits at its point (brought back, or never posted).
fn posted_step(
    words: &dyn Words,
    loaded: &LoadedCard,
) -> Option<(&'static str, &'static str, Option<String>)> {
    let order = loaded.place.as_ref()?.mail.as_ref()?;
    match order.status.as_str() {
        "chosen" => Some(("card_to_post", words.mail_to_post_notice(), None)),
        "posted" => Some(("card_posted", words.mail_posted_notice(), tracking(order))),
        "delivered" => Some(("card_delivered", words.mail_delivered_notice(), None)),
        _ => None,
    }
}

/// A posted card's carrier and tracking number.
fn tracking(order: &shebao_app::production::MailView) -> Option<String> {
    let number = order.tracking_number.as_ref()?;
    Some(format!(
        "{} {number}",
        order.carrier.as_deref().unwrap_or_default()
    ))
}

/// The notifications of the holder's cards: each card ready for collection and where,
/// each side reported lost, and each pension or benefit paid in the last
/// [`PAID_NOTICE_DAYS`] (newest first).
fn notifications(words: &dyn Words, clock: LocalClock, cards: &[LoadedCard]) -> Vec<Notification> {
    let mut shown = Vec::new();
    for loaded in cards.iter().rev() {
        let card = &loaded.card;
        if card.status == "ready_for_collection" {
            shown.push(match posted_step(words, loaded) {
                Some((kind, text, tracking)) => Notification {
                    kind,
                    text: text.to_owned(),
                    place: tracking.map(|t| (t, "")),
                },
                None => {
                    let (text, after) = words.notice_card_ready(&card.card_number);
                    Notification {
                        kind: "card_ready",
                        text,
                        place: Some((loaded.where_to_collect(), after)),
                    }
                }
            });
        }
        for loss in losses(words, clock, card).0 {
            shown.push(Notification {
                kind: "loss",
                text: words.notice_loss(&card.card_number, &loss.to_string()),
                place: None,
            });
        }
        for entry in &loaded.paid {
            let kind = if entry.code == "pension_credit" {
                "pension_credit"
            } else {
                "benefit_credit"
            };
            shown.push(Notification {
                kind,
                text: words.notice_paid(
                    kind,
                    &yuan(entry.amount_fen),
                    &clock.date(&entry.created_at),
                    &card.card_number,
                ),
                place: None,
            });
        }
    }
    shown
}

#[derive(askama::Template)]
#[template(path = "holder/home.html")]
struct HomePage<'a> {
    words: &'static dyn Words,
    notice: Option<Notice>,
    notifications: &'a [Notification],
    cards: &'a [CardPanel],
    csrf: &'a str,
    key: String,
}

#[derive(askama::Template)]
#[template(path = "holder/confirm_loss.html")]
struct ConfirmLoss<'a> {
    words: &'static dyn Words,
    id: &'a str,
    number: &'a str,
    csrf: &'a str,
    key: String,
}

/// The next step for the holder's card, in plain words, from its state; a bank named in it
/// comes apart, with the words after its name (a name is data, not translated).
fn next_step(
    words: &dyn Words,
    (card, place): (&CardView, &str),
    account: Option<&AccountView>,
    bank: &str,
) -> (String, Option<(String, &'static str)>) {
    let temporary = |loss: &LossView| loss.kind == "temporary";
    let formal = |loss: &LossView| loss.kind == "formal";
    if formal(&card.social_loss) || formal(&card.financial_loss) {
        return (words.next_formal_loss().to_owned(), None);
    }
    if temporary(&card.social_loss) || temporary(&card.financial_loss) {
        return (words.next_temporary_loss().to_owned(), None);
    }
    let text = match (
        card.usable.as_str(),
        card.status.as_str(),
        account.map(|a| a.status.as_str()),
    ) {
        ("usable", _, Some("deposit_only")) => {
            let (before, after) = words.next_deposit_only();
            return (before.to_owned(), Some((bank.to_owned(), after)));
        }
        ("usable", _, Some("active")) => words.next_active().to_owned(),
        ("usable", _, _) => words.next_temporary_card().to_owned(),
        (_, "ready_for_collection", _) => {
            let (before, after) = words.next_ready();
            return (before.to_owned(), Some((place.to_owned(), after)));
        }
        _ => words.next_ask().to_owned(),
    };
    (text, None)
}

/// A lost side in words, with the local date a temporary loss ends.
pub(crate) struct LossLine {
    pub(crate) text: &'static str,
    pub(crate) until: Option<String>,
}

impl std::fmt::Display for LossLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.until {
            Some(date) => write!(f, "{} {date}", self.text),
            None => f.write_str(self.text),
        }
    }
}

/// Each lost side of a card in words; the code of the weightiest loss.
pub(crate) fn losses(
    words: &dyn Words,
    clock: LocalClock,
    card: &CardView,
) -> (Vec<LossLine>, &'static str) {
    let mut code = "none";
    let mut shown = Vec::new();
    for (side, loss) in [
        (Side::Social, &card.social_loss),
        (Side::Financial, &card.financial_loss),
    ] {
        match loss.kind.as_str() {
            "temporary" => {
                shown.push(LossLine {
                    text: words.side_loss(side, true),
                    until: Some(
                        loss.expires_at
                            .as_deref()
                            .map_or_else(|| "-".to_owned(), |at| clock.date(at)),
                    ),
                });
                if code == "none" {
                    code = "temporary";
                }
            }
            "formal" => {
                shown.push(LossLine {
                    text: words.side_loss(side, false),
                    until: None,
                });
                code = "formal";
            }
            _ => {}
        }
    }
    (shown, code)
}

fn panel(lang: Lang, clock: LocalClock, loaded: &LoadedCard) -> CardPanel {
    let LoadedCard {
        card,
        account,
        bank,
        history,
        ..
    } = loaded;
    let account = account.as_ref();
    let words = lang.words();
    let (lost, loss_code) = losses(words, clock, card);
    let (next, next_bank) = match (card.status.as_str(), posted_step(words, loaded)) {
        ("ready_for_collection", Some((_, text, _))) => (text.to_owned(), None),
        _ => next_step(words, (card, &loaded.where_to_collect()), account, bank),
    };
    let in_use = card.status == "collected" && !matches!(CardState::of(card), CardState::Expired);
    CardPanel {
        id: card.id.clone(),
        number: card.card_number.clone(),
        bank_card: card.bank_card_number.clone().unwrap_or_else(|| "-".into()),
        state: card_status(lang, card),
        financial_code: account.map_or("none", |a| a.status.as_str()).to_owned(),
        financial: financial_words(lang, account),
        losses: lost,
        loss_code,
        balance: account.map_or_else(|| "-".into(), |a| yuan(a.balance_fen)),
        next,
        next_bank,
        // A side already lost formally stays so: nothing a holder can report on top.
        may_report_loss: in_use && loss_code == "none",
        may_cancel_loss: in_use && loss_code == "temporary",
        history: card_history(lang, clock, &card.id, history),
        place: loaded.place.as_ref().map(|place| PlacePanel {
            point: place.point.clone(),
            chosen: place.chosen,
            open: place.open,
            recorded: card.distribution_point.clone(),
            options: if place.open {
                loaded
                    .points
                    .iter()
                    .map(|p| {
                        let selected = place.point.as_ref().is_some_and(|at| at.id == p.id);
                        (p.id.clone(), p.name.clone(), selected)
                    })
                    .collect()
            } else {
                Vec::new()
            },
            mail: place
                .mail
                .as_ref()
                .filter(|m| m.status != "withdrawn")
                .map(|m| MailPanel {
                    status: m.status.clone(),
                    state: mail_state(words, &m.status),
                    address: m.address.clone(),
                    tracking: tracking(m),
                    collect: m.status == "delivered" && card.status == "ready_for_collection",
                }),
            may_mail: place.open && loaded.points.iter().any(|p| p.default),
            by_post: place
                .mail
                .as_ref()
                .is_some_and(|m| matches!(m.status.as_str(), "chosen" | "posted" | "delivered")),
        }),
    }
}

/// An order's status in words.
fn mail_state(words: &dyn Words, status: &str) -> &'static str {
    match status {
        "chosen" => words.mail_status_chosen(),
        "posted" => words.mail_status_posted(),
        "delivered" => words.mail_status_delivered(),
        "returned" => words.mail_status_returned(),
        _ => words.mail_status_withdrawn(),
    }
}

/// What the home page reads of one of the holder's cards.
struct LoadedCard {
    card: CardView,
    account: Option<AccountView>,
    /// The name of the card's bank ("" for a temporary card).
    bank: String,
    history: Vec<CardEventView>,
    /// Pensions and benefits paid into the card's account lately, newest first.
    paid: Vec<EntryView>,
    /// Where the card is to be collected, while it is applied for, made or waiting.
    place: Option<CollectionPointView>,
    /// The points of the card's region its holder may choose: service centres and the
    /// branches of the card's own bank.
    points: Vec<PointView>,
}

impl LoadedCard {
    /// Where the card waits or will wait, in words: the point's name, address and hours
    /// (or the place the window recorded, for a card made one at a time).
    fn where_to_collect(&self) -> String {
        match self.place.as_ref().and_then(|p| p.point.as_ref()) {
            Some(point) => format!("{} {} {}", point.name, point.address, point.opening_hours),
            None => self
                .card
                .distribution_point
                .clone()
                .unwrap_or_else(|| "-".into()),
        }
    }
}

/// Whether the card is on its way to its holder: applied for, being made or waiting.
fn on_its_way(card: &CardView) -> bool {
    matches!(
        card.status.as_str(),
        "applied" | "in_production" | "ready_for_collection"
    )
}

pub(crate) async fn holder_home(
    s: &crate::Shared,
    lang: Lang,
    browser: &Browser,
    done: Option<Done>,
) -> String {
    let Some(person) = browser.actor.scope.person_id.clone() else {
        return refused(lang, &shebao_app::AppError::Forbidden);
    };
    let loaded = browser
        .call(s, move |app, actor| {
            let clock = LocalClock::read(app, actor);
            let cards = app.cards_of_person(actor, person.as_str())?;
            let banks = app.banks(actor)?;
            let mut rows = Vec::new();
            for card in cards {
                let account = card
                    .account_id
                    .as_ref()
                    .map(|_| app.card_account(actor, &card.id))
                    .transpose()?;
                let bank = banks
                    .iter()
                    .find(|b| Some(&b.id) == card.bank_id.as_ref())
                    .map(|b| b.name.clone())
                    .unwrap_or_default();
                let history = app.card_history(actor, &card.id)?;
                let paid = match &account {
                    Some(account) => {
                        let since = app.now().unix_seconds() - PAID_NOTICE_DAYS * 86_400;
                        let window = StatementWindow {
                            from: Some(Timestamp::from_unix_seconds(since)),
                            ..StatementWindow::latest(PAID_NOTICE_ENTRIES)
                        };
                        let mut entries = app.statement_in(actor, &account.id, window)?.entries;
                        entries.retain(|e| {
                            matches!(e.code.as_str(), "pension_credit" | "benefit_credit")
                        });
                        entries
                    }
                    None => Vec::new(),
                };
                let place = on_its_way(&card)
                    .then(|| app.collection_point(actor, &card.id))
                    .transpose()?;
                let points = match (&place, &card.bank_id) {
                    (Some(place), Some(bank)) if place.open => {
                        let branches: Vec<String> = app
                            .branches(actor, bank)?
                            .into_iter()
                            .map(|b| b.id)
                            .collect();
                        let query = PointQuery {
                            region: card.region.clone(),
                        };
                        app.pickup_points(actor, query)?
                            .into_iter()
                            .filter(|p| {
                                p.branch
                                    .as_ref()
                                    .is_none_or(|branch| branches.contains(branch))
                            })
                            .collect()
                    }
                    _ => Vec::new(),
                };
                rows.push(LoadedCard {
                    card,
                    account,
                    bank,
                    history,
                    paid,
                    place,
                    points,
                });
            }
            Ok((rows, clock))
        })
        .await;
    let (rows, clock) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return refused(lang, &error),
    };
    let cards: Vec<CardPanel> = rows
        .iter()
        .rev()
        .map(|loaded| panel(lang, clock, loaded))
        .collect();
    let told = notifications(lang.words(), clock, &rows);
    html(&HomePage {
        words: lang.words(),
        notice: done.map(|d| Notice::ok(d.text(lang.words()))),
        notifications: &told,
        cards: &cards,
        csrf: &browser.csrf,
        key: shebao_app::new_id("form"),
    })
}

/// The confirmation a temporary loss asks for before it is reported.
pub(crate) async fn confirm_loss(
    Visit { s, browser, lang }: Visit,
    Path(card): Path<String>,
) -> Response {
    let id = card.clone();
    match browser
        .call(&s, move |app, actor| app.card(actor, &id))
        .await
    {
        Ok(view) => rendered(
            lang,
            StatusCode::OK,
            Some(&browser),
            &ConfirmLoss {
                words: lang.words(),
                id: &view.id,
                number: &view.card_number,
                csrf: &browser.csrf,
                key: shebao_app::new_id("form"),
            },
        ),
        Err(error) => refusal_page(lang, Some(&browser), &error),
    }
}

/// Reports both sides temporarily lost (a temporary card: its social side only).
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
        Ok(()) => redirect(Done::LossReported.path()),
        Err(error) => refusal_page(lang, Some(&browser), &error),
    }
}

/// Cancels the temporary loss of each side that has one (the card was found).
pub(crate) async fn cancel_loss(
    Posted(visit, Path(card), form): Posted<GuardedForm, Path<String>>,
) -> Response {
    let Visit { s, browser, lang } = visit;
    let outcome = browser
        .call(&s, move |app, actor| {
            let view = app.card(actor, &card)?;
            for (side, loss) in [
                ("social", &view.social_loss),
                ("financial", &view.financial_loss),
            ] {
                if loss.kind == "temporary" {
                    let request = LossCancellation { side: side.into() };
                    app.cancel_loss(actor, &format!("{}-{side}", form.key), &card, request)?;
                }
            }
            Ok(())
        })
        .await;
    match outcome {
        Ok(()) => redirect(Done::LossCancelled.path()),
        Err(error) => refusal_page(lang, Some(&browser), &error),
    }
}
