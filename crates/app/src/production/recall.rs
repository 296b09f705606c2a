//! Uncollected cards (issue 18, item 5): a card waiting at its point — sent there in a
//! shipment, or made there on the spot — and not collected within the region's period is
//! listed, and recalled by the point's own staff (cancelled: its holder applies again; a
//! replacement or renewal stays for the desk). A card recalled at its point — or cancelled
//! before its shipment was counted — is physically there until the point's staff destroy
//! it, once, with a record: the cards destroyed together, how (shredded, or the chip punched
//! out), the witness the point's paper record names, who and when. The point's staff, the
//! production desk and the auditor read the cards uncollected and the recalled cards still
//! to destroy.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;
use shebao_domain::card::CardStatus;
use shebao_domain::ids::CardId;
use shebao_domain::production::distribution::{
    DESTROYED_MAX, Delivery, check_destruction, uncollected,
};
use shebao_domain::time::{Date, Timestamp};
use shebao_store::tx::DISTRIBUTION_LISTED_MAX;
use shebao_store::{CardDestructionRecord, DeliveryRecord, PickupPointRecord, Tx};

use super::distribution::{RecallView, UncollectedView, WaitingCardView, close, point_for};
use super::production_error;
use crate::error::OrNotFound;
use crate::{Actor, App, AppError, Audit, new_id};

/// The recalled cards a point's staff destroy together.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Destruction {
    /// The cards (by id), each recalled at the point and not yet destroyed.
    #[schemars(length(min = 1, max = DESTROYED_MAX))]
    pub cards: Vec<String>,
    #[schemars(extend("enum" = ["shredded", "chip_punched"]))]
    pub method: String,
    /// The witness the point's paper record names.
    #[schemars(length(min = 1, max = 50))]
    pub witness: String,
}

/// A destruction's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "DestructionRecord")]
pub struct DestructionView {
    pub record_id: String,
    pub point_id: String,
    pub destroyed: i64,
    #[schemars(extend("enum" = ["shredded", "chip_punched"]))]
    pub method: String,
}

/// A recalled card waiting at its point to be destroyed: numbers only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "RecalledCard")]
pub struct RecalledCardView {
    pub card_id: String,
    pub card_number: String,
}

/// The cards recalled at a point and not yet destroyed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RecalledView {
    pub point_id: String,
    pub cards: Vec<RecalledCardView>,
}

impl App {
    /// The cards waiting at a point past the region's period (none while the region has set
    /// no period), oldest first.
    pub fn uncollected_cards(
        &self,
        actor: &Actor,
        point: &str,
    ) -> Result<UncollectedView, AppError> {
        self.read_point(actor, point, |tx, point, now| {
            let period_days = App::parameters_in(tx, &point.region, now)?.uncollected_card_days;
            let waiting = uncollected_at(tx, &point, now)?;
            let mut views = Vec::with_capacity(waiting.len());
            for late in waiting {
                let card = tx
                    .card(&CardId::new(&late.card_id))?
                    .or_not_found("card", &late.card_id)?;
                views.push(WaitingCardView {
                    card_id: late.card_id,
                    card_number: card.card_number.as_str().to_owned(),
                    received_on: Some(late.received_on.to_string()),
                });
            }
            Ok(UncollectedView {
                point_id: point.id,
                period_days,
                cards: views,
            })
        })
    }

    /// The point's staff recall every card uncollected past the region's period: each
    /// delivery closed as recalled and each card cancelled (its holder applies again).
    pub fn recall_uncollected(
        &self,
        actor: &Actor,
        key: &str,
        point: &str,
    ) -> Result<RecallView, AppError> {
        self.authorise(actor, Operation::ReceiveShipment)?;
        let (id, label, actor_in) = (point.to_owned(), actor.label(), actor.clone());
        let audit = Audit::on("production.point.recall", format!("point:{point}"));
        self.change(actor, key, &serde_json::json!({}), audit, move |tx, now| {
            let point = point_for(tx, &actor_in, &id, true)?;
            let waiting = uncollected_at(tx, &point, now)?;
            let (mut recalled, mut ids) = (0_i64, Vec::new());
            for late in waiting {
                let card = tx
                    .card(&CardId::new(&late.card_id))?
                    .or_not_found("card", &late.card_id)?;
                // A replacement or renewal is linked to its holder's account (and its
                // predecessor to it): it stays at the point for the desk to settle, never
                // cancelled here.
                if card.account_id.is_some() || card.replaces.is_some() {
                    continue;
                }
                // A card made on the spot has no delivery: the card alone is recalled.
                if let Some(delivery) = late.delivery {
                    close(
                        tx,
                        delivery,
                        (Delivery::Received, Delivery::Recalled),
                        &label,
                        now,
                    )?;
                }
                if card.status == CardStatus::ReadyForCollection {
                    tx.update_card(&card.recall_uncollected()?)?;
                }
                ids.push(card.id.as_str().to_owned());
                recalled += 1;
            }
            let detail =
                serde_json::json!({ "point": point.id, "recalled": recalled, "cards": ids });
            Ok((
                RecallView {
                    point_id: point.id.clone(),
                    recalled,
                },
                detail.to_string(),
            ))
        })
    }

    /// The cards recalled at a point and not yet destroyed, by id (its staff, the desk, the
    /// auditor), at most 1,000.
    pub fn recalled_cards(&self, actor: &Actor, point: &str) -> Result<RecalledView, AppError> {
        self.read_point(actor, point, |tx, point, _| {
            let ids = tx.recalled_not_destroyed(&point.id, DISTRIBUTION_LISTED_MAX)?;
            let mut cards = Vec::with_capacity(ids.len());
            for id in ids {
                let card = tx.card(&CardId::new(&id))?.or_not_found("card", &id)?;
                cards.push(RecalledCardView {
                    card_id: id,
                    card_number: card.card_number.as_str().to_owned(),
                });
            }
            Ok(RecalledView {
                point_id: point.id,
                cards,
            })
        })
    }

    /// One's own point's staff destroy recalled cards, each once, with one record.
    pub fn destroy_cards(
        &self,
        actor: &Actor,
        key: &str,
        point: &str,
        request: Destruction,
    ) -> Result<DestructionView, AppError> {
        self.authorise(actor, Operation::ReceiveShipment)?;
        let (method, witness) =
            check_destruction(&request.cards, &request.method, &request.witness)
                .map_err(production_error)?;
        let cards: Vec<String> = request.cards.iter().map(|c| c.trim().to_owned()).collect();
        let (id, label, actor_in) = (point.to_owned(), actor.label(), actor.clone());
        let record_id = new_id("dst");
        let audit = Audit::on("production.point.destroy", format!("point:{point}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let point = point_for(tx, &actor_in, &id, true)?;
            for card in &cards {
                if !tx.awaits_destruction(&point.id, card)? {
                    return Err(AppError::invalid(
                        "cards",
                        format!("{card} is no card recalled at this point and not yet destroyed"),
                    ));
                }
            }
            for card in &cards {
                tx.insert_card_destruction(&CardDestructionRecord {
                    card_id: card.clone(),
                    point_id: point.id.clone(),
                    record_id: record_id.clone(),
                    method: method.as_str().to_owned(),
                    witness: witness.clone(),
                    destroyed_by: label.clone(),
                    destroyed_at: now,
                })?;
            }
            let destroyed = i64::try_from(cards.len()).unwrap_or(i64::MAX);
            let detail = serde_json::json!({
                "point": point.id, "record": record_id, "method": method.as_str(),
                "witness": witness, "card_ids": cards,
            });
            Ok((
                DestructionView {
                    record_id: record_id.clone(),
                    point_id: point.id.clone(),
                    destroyed,
                    method: method.as_str().to_owned(),
                },
                detail.to_string(),
            ))
        })
    }
}

/// A card waiting at its point past the region's period: the day it arrived (counted in a
/// shipment, or made there on the spot) and its delivery, if it came in a shipment.
struct Late {
    card_id: String,
    received_on: Date,
    delivery: Option<DeliveryRecord>,
}

/// The point's cards that arrived before the region's period began, as of now (none while
/// the region has set no period): those sent there, then those made there on the spot, each
/// the oldest first; at most [`DISTRIBUTION_LISTED_MAX`] of each.
fn uncollected_at(
    tx: &mut Tx<'_>,
    point: &PickupPointRecord,
    now: Timestamp,
) -> Result<Vec<Late>, AppError> {
    let params = App::parameters_in(tx, &point.region, now)?;
    let Some(days) = params.uncollected_card_days else {
        return Ok(Vec::new());
    };
    let offset = params.utc_offset();
    let today = now.local_date(offset);
    let last_day = today.add_days(-i64::from(days) - 1);
    let waiting = tx.deliveries_waiting_since(&point.id, last_day, DISTRIBUTION_LISTED_MAX)?;
    let mut late: Vec<Late> = waiting
        .into_iter()
        .filter_map(|d| {
            let on = d.received_on.filter(|on| uncollected(*on, today, days))?;
            Some(Late {
                card_id: d.card_id.clone(),
                received_on: on,
                delivery: Some(d),
            })
        })
        .collect();
    // Made on the spot no later than the period's length ago (the region's day decides).
    let before = Timestamp::from_unix_seconds(now.unix_seconds() - i64::from(days) * 86_400);
    for issue in tx.instant_issues_waiting(&point.id, before, DISTRIBUTION_LISTED_MAX)? {
        let Some(on) = issue.reported_at.map(|at| at.local_date(offset)) else {
            continue;
        };
        if uncollected(on, today, days) {
            late.push(Late {
                card_id: issue.card_id,
                received_on: on,
                delivery: None,
            });
        }
    }
    Ok(late)
}
