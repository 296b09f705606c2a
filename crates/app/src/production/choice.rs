//! A holder's choice of pick-up point (item 5): while a card is applied for or made and not
//! yet on its way (sent to a point, or being issued on the spot), its holder — or the clerk
//! for them — chooses a point of the card's region with a place free (or the post: `mail`);
//! the region's default point takes every card nobody chose another point for and is never
//! full.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;
use shebao_domain::ids::{BranchId, CardId};
use shebao_domain::production::distribution::{choice_open, place_free};
use shebao_store::{CollectionChoiceRecord, PickupPointRecord, Tx};

use super::mail::{MailView, mail_view, withdraw_mail};
use super::production_error;
use crate::error::{OrNotFound, RefusalCode, rule};
use crate::{Actor, App, AppError, Audit, Vault};

/// The pick-up point a holder chooses for a card.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PointChoice {
    /// A pick-up point of the card's region: a service centre, or a branch of the card's
    /// own bank.
    #[schemars(length(min = 1, max = 64))]
    pub point: String,
}

/// A pick-up point as a holder is shown it: where and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(inline)]
pub struct PlaceView {
    pub id: String,
    #[schemars(extend("enum" = ["bank_branch", "service_centre"]))]
    pub kind: String,
    pub name: String,
    pub address: String,
    pub opening_hours: String,
}

impl PlaceView {
    fn of(point: &PickupPointRecord) -> PlaceView {
        PlaceView {
            id: point.id.clone(),
            kind: point.kind.clone(),
            name: point.name.clone(),
            address: point.address.clone(),
            opening_hours: point.opening_hours.clone(),
        }
    }
}

/// Where a card is to be collected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "CollectionPoint")]
pub struct CollectionPointView {
    pub card_id: String,
    /// The point the card was sent to; before that, the point its holder chose, or else
    /// the region's default point (none while the region has none).
    pub point: Option<PlaceView>,
    /// Whether the holder (or the clerk for them) chose the point.
    pub chosen: bool,
    pub chosen_at: Option<String>,
    /// Whether the point may still be chosen: the card is applied for or being made and
    /// not yet sent.
    pub open: bool,
    /// The card's latest order to be posted, if its holder asked for it to be posted (the
    /// card then goes to the default point, and is posted from there).
    pub mail: Option<MailView>,
    /// Whether the card is being, or was, personalised on the spot at its point (its
    /// device reports it).
    pub on_the_spot: bool,
}

/// Whether a card is on its way: sent to a point, or being issued on the spot.
pub(super) fn on_its_way(
    tx: &mut Tx<'_>,
    card: &shebao_domain::card::Card,
) -> Result<bool, AppError> {
    Ok(!tx.deliveries_of_card(card.id.as_str())?.is_empty()
        || tx.live_instant_issue(card.id.as_str())?.is_some())
}

/// Where `card` is to be collected, as its holder is shown it.
pub(super) fn collection_point_view(
    tx: &mut Tx<'_>,
    vault: &Vault,
    card: &shebao_domain::card::Card,
) -> Result<CollectionPointView, AppError> {
    let sent = tx.deliveries_of_card(card.id.as_str())?.into_iter().next();
    let instant = tx.live_instant_issue(card.id.as_str())?;
    let choice = tx.collection_choice(card.id.as_str())?;
    let mail = match tx.mail_orders_of_card(card.id.as_str())?.first() {
        Some(order) => Some(mail_view(vault, order)?),
        None => None,
    };
    let open = choice_open(card.status, sent.is_some() || instant.is_some()).is_ok();
    let point = match (&sent, &instant, &choice) {
        (Some(delivery), _, _) => tx.pickup_point(&delivery.point_id)?,
        (None, Some(issue), _) => tx.pickup_point(&issue.point_id)?,
        (None, None, Some(choice)) if open => tx.pickup_point(&choice.point_id)?,
        (None, None, None) if open => tx.default_pickup_point(&card.region)?,
        // Made one at a time at the window: its place is the card's own words (no point).
        _ => match card.distribution_point.as_deref() {
            Some(place) => tx.pickup_point(place)?,
            None => None,
        },
    };
    Ok(CollectionPointView {
        card_id: card.id.as_str().to_owned(),
        point: point.as_ref().map(PlaceView::of),
        chosen: choice.is_some(),
        chosen_at: choice.map(|c| c.chosen_at.to_string()),
        open,
        mail,
        on_the_spot: instant.is_some(),
    })
}

impl App {
    /// The holder (or the clerk for them) chooses the pick-up point a card is sent to,
    /// while it is applied for or being made: a point of the card's region, a service
    /// centre or a branch of the card's own bank, with a place free (its capacity counts
    /// the cards waiting there or on their way and the cards chosen for it; the region's
    /// default point, which takes every card nobody chose another point for, is never
    /// full). A new choice replaces the last; a card made again after it went missing
    /// keeps it (`card::remake_lost`).
    pub fn choose_collection_point(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: PointChoice,
    ) -> Result<CollectionPointView, AppError> {
        self.authorise(actor, Operation::ChooseCollectionPoint)?;
        let (id, label, actor_in) = (CardId::new(card), actor.label(), actor.clone());
        let point_id = request.point.trim().to_owned();
        let vault = self.vault.clone();
        let audit = Audit::on("production.point.choose", format!("card:{card}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let card = crate::card::load_card(tx, &actor_in, &id)?;
            choice_open(card.status, on_its_way(tx, &card)?).map_err(production_error)?;
            let point = tx
                .pickup_point(&point_id)?
                .filter(|point| point.region == card.region)
                .or_not_found("pickup point", &point_id)?;
            if let Some(branch) = &point.branch_id {
                let bank = tx.branch(&BranchId::new(branch))?.map(|b| b.bank_id);
                if bank.is_none() || bank != card.bank_id {
                    return Err(rule(
                        RefusalCode::WrongState,
                        "a bank branch hands over its own bank's cards only: choose a branch \
                         of the card's bank or a service centre",
                    ));
                }
            }
            // The default point takes every card nobody chose another point for: it is never
            // full, and choosing it is always accepted.
            if !point.is_default {
                let taken = tx.places_taken(&point.id, card.id.as_str())?;
                place_free(point.capacity, taken).map_err(production_error)?;
            }
            // A point chosen instead of the post withdraws the order to post the card.
            if let Some(order) = tx.live_mail_order(card.id.as_str())? {
                withdraw_mail(tx, order, &label, now)?;
            }
            tx.choose_collection_point(&CollectionChoiceRecord {
                card_id: card.id.as_str().to_owned(),
                point_id: point.id.clone(),
                chosen_by: label.clone(),
                chosen_at: now,
            })?;
            let detail = serde_json::json!({ "point": point.id });
            Ok((
                collection_point_view(tx, &vault, &card)?,
                detail.to_string(),
            ))
        })
    }

    /// Where a card is to be collected, and whether the point may still be chosen.
    pub fn collection_point(
        &self,
        actor: &Actor,
        card: &str,
    ) -> Result<CollectionPointView, AppError> {
        self.authorise(actor, Operation::ReadCard)?;
        let id = CardId::new(card);
        let subject = format!("card:{id}");
        self.read_for(actor, Operation::ReadCard, &subject, move |tx, r| {
            let card = crate::card::load_card(tx, &r.actor, &id)?;
            collection_point_view(tx, &r.vault, &card)
        })
    }
}
