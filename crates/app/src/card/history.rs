//! A card's history: the milestones of its life (applied, produced, ready, collected,
//! activated, lost and found, replaced, renewed, returned, cancelled), read from the audit
//! trail, where every state change of the card alone writes one record. Records past the
//! audit's retention floor are purged with the trail, and their milestones with them. A
//! production batch's moves (issue 18) are one record of the batch, not of each card: they
//! are not among these milestones yet.

use shebao_domain::access::Operation;
use shebao_domain::ids::CardId;
use shebao_domain::time::Timestamp;
use shebao_store::{AuditFilter, Tx};

use super::load_card;
use crate::views::CardEventView;
use crate::{Actor, App, AppError};

/// The audit actions that are milestones of a card's life, each recorded with the card as
/// its subject.
pub const CARD_HISTORY_ACTIONS: [&str; 13] = [
    "card.apply",
    "card.issue_temporary",
    "card.start_production",
    "card.mark_ready",
    "card.collect",
    "card.collect_mailed",
    "account.activate",
    "card.report_loss",
    "card.cancel_loss",
    "card.request_replacement",
    "card.request_renewal",
    "card.return_temporary",
    "card.cancel",
];

/// The requests that start a successor card, recorded on the card it replaces.
const SUCCESSOR_ACTIONS: [&str; 2] = ["card.request_replacement", "card.request_renewal"];

/// Most records of one action a history reads (a card is collected, lost or replaced a
/// handful of times; the bound keeps a damaged trail from filling memory).
const PER_ACTION: i64 = 50;

impl App {
    /// The milestones of a card's life, oldest first. A replacement's or renewal's history
    /// starts with the request made on the card it replaces.
    pub fn card_history(&self, actor: &Actor, card: &str) -> Result<Vec<CardEventView>, AppError> {
        self.authorise(actor, Operation::ReadCard)?;
        let id = CardId::new(card);
        let subject = format!("card:{id}");
        self.read_for(actor, Operation::ReadCard, &subject, move |tx, r| {
            let card = load_card(tx, &r.actor, &id)?;
            let mut events = Vec::new();
            for action in CARD_HISTORY_ACTIONS {
                events.extend(done(tx, &format!("card:{}", card.id), action)?);
            }
            if let Some(old) = &card.replaces {
                let named = format!("\"new_card\":\"{}\"", card.id);
                for action in SUCCESSOR_ACTIONS {
                    let started = done(tx, &format!("card:{old}"), action)?;
                    events.extend(started.into_iter().filter(|e| e.2.contains(&named)));
                }
            }
            events.sort_by_key(|(at, action, _)| (*at, history_rank(action)));
            Ok(events
                .into_iter()
                .map(|(at, action, _)| CardEventView {
                    at: Timestamp::from_unix_seconds(at).to_string(),
                    action,
                })
                .collect())
        })
    }
}

/// Where an action stands among milestones of the same second (a collection before the
/// activation that may follow it at once).
fn history_rank(action: &str) -> usize {
    CARD_HISTORY_ACTIONS
        .iter()
        .position(|a| *a == action)
        .unwrap_or(0)
}

/// The records of `action` on `subject` that were carried out: (at, action, detail).
fn done(
    tx: &mut Tx<'_>,
    subject: &str,
    action: &str,
) -> Result<Vec<(i64, String, String)>, AppError> {
    let filter = AuditFilter {
        subject: Some(subject.to_owned()),
        action: Some(action.to_owned()),
        limit: PER_ACTION,
        ..AuditFilter::default()
    };
    Ok(tx
        .audit_records(&filter)?
        .into_iter()
        .filter(|record| record.outcome == "ok")
        .map(|record| (record.at_unix, record.action, record.detail))
        .collect())
}
