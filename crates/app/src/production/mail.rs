//! A card sent by post (issue 18, item 5). While a card is applied for or made and not yet
//! on its way, its holder — or the clerk for them — asks for it to be posted to an address
//! (checked, sealed like every personal datum, masked beyond its city everywhere but on the
//! list of the clerks who post it, each read of which is audited); the choice replaces a
//! chosen pick-up point, and a point chosen later withdraws it. The card goes with the rest
//! to the region's default point, where it is counted (its holder is not called) and its
//! clerks post it with the carrier's tracking number (the holder is told). The clerks record
//! the carrier's report: delivered into the holder's own hands after the carrier checked the
//! ID card (the number the carrier read must be the holder's) — the holder then collects it
//! in their own portal session, choosing the social PIN (`card::collect_mailed_card`), or at
//! a service centre — brought back, when the card waits at the point for its holder from
//! that day (the holder is told), or lost, when the card is cancelled and made again under
//! new numbers (`card::remake_lost`), to be posted to the same address. A card in the post is
//! at no point and is not handed over at a counter; a card to be posted and collected in
//! person at the point first, made at the window, or cancelled has its order withdrawn; a
//! card cancelled in the post stays in the post until the carrier reports it (brought back,
//! it is taken back at the point, to be destroyed).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::Refusal;
use shebao_domain::access::Operation;
use shebao_domain::card::{Card, CardStatus};
use shebao_domain::ids::CardId;
use shebao_domain::person::identity::{CITIZEN_ID_PATTERN, mask_id_numbers_in};
use shebao_domain::production::distribution::{
    Delivery, MailAddress, MailStatus, check_posting, choice_open, mail_step,
};
use shebao_domain::production::text;
use shebao_domain::time::Timestamp;
use shebao_store::tx::DISTRIBUTION_LISTED_MAX;
use shebao_store::{DeliveryRecord, MailOrderRecord, PickupPointRecord, Tx};

use super::choice::{CollectionPointView, collection_point_view, on_its_way};
use super::distribution::{ReadyNotice, close, point_for, tell_holder};
use super::production_error;
use crate::error::{OrNotFound, RefusalCode, rule};
use crate::person::parse_citizen_id;
use crate::{Actor, App, AppError, Audit, Vault, new_id};

/// What a postal address is sealed under.
const MAIL_CONTEXT: &str = "mail_address";
/// The longest reason a carrier gives for bringing a card back, in characters.
const RETURN_REASON_CHARS_MAX: usize = 200;

/// The address a holder asks for a card to be posted to.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MailChoice {
    /// The full postal address: province, city, district, street and number.
    #[schemars(length(min = 8, max = 120))]
    pub address: String,
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub postcode: String,
}

/// A card's order to be posted, as its holder and the desk see it (the address masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(inline)]
pub struct MailView {
    #[schemars(extend("enum" = ["chosen", "posted", "lost", "delivered", "returned", "withdrawn"]))]
    pub status: String,
    /// The address's province and city, and the postcode's first two digits.
    pub address: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    /// Why the carrier brought the card back.
    pub reason: Option<String>,
    pub chosen_at: String,
    pub posted_at: Option<String>,
}

/// A card to be posted, or in the post, on its point's list: the address in clear, for the
/// label (the list's every read is audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "MailCard")]
pub struct MailCardView {
    pub card_id: String,
    pub card_number: String,
    #[schemars(extend("enum" = ["chosen", "posted"]))]
    pub status: String,
    pub address: String,
    pub postcode: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub chosen_at: String,
}

/// The cards at a point to be posted or in the post, the oldest order first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MailQueueView {
    pub point_id: String,
    pub cards: Vec<MailCardView>,
}

/// A card handed to the carrier.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MailPosting {
    #[schemars(length(min = 1, max = 40))]
    pub carrier: String,
    /// 8 to 30 Latin letters and digits.
    #[schemars(regex(pattern = r"^[A-Za-z0-9]{8,30}$"))]
    pub tracking_number: String,
}

/// The carrier's report on a card it took: delivered into the holder's hands, with the ID
/// number the carrier read from the ID card shown; brought back, or lost, with the reason.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MailReport {
    #[schemars(extend("enum" = ["delivered", "returned", "lost"]))]
    pub outcome: String,
    /// The ID number on the ID card the recipient showed (for `delivered`).
    #[serde(default)]
    #[schemars(regex(pattern = CITIZEN_ID_PATTERN))]
    pub citizen_id: Option<String>,
    /// Why the card came back, or how it was lost (for `returned` and `lost`).
    #[serde(default)]
    #[schemars(length(min = 1, max = 200))]
    pub reason: Option<String>,
}

fn seal_address(vault: &Vault, address: &MailAddress) -> Result<String, AppError> {
    let plain = serde_json::json!({ "address": address.address, "postcode": address.postcode });
    vault
        .seal(MAIL_CONTEXT, &plain.to_string())
        .map_err(AppError::failed("sealing an address"))
}

fn open_address(vault: &Vault, order: &MailOrderRecord) -> Result<MailAddress, AppError> {
    let plain = vault
        .open(MAIL_CONTEXT, &order.address_cipher)
        .map_err(AppError::failed("opening a sealed value"))?;
    let value: serde_json::Value = serde_json::from_str(&plain)
        .map_err(|e| AppError::Internal(format!("a sealed address: {e}")))?;
    let field = |name: &str| value[name].as_str().unwrap_or_default().to_owned();
    Ok(MailAddress {
        address: field("address"),
        postcode: field("postcode"),
    })
}

/// An order as its holder and the desk see it.
pub(super) fn mail_view(vault: &Vault, order: &MailOrderRecord) -> Result<MailView, AppError> {
    Ok(MailView {
        status: order.status.clone(),
        address: open_address(vault, order)?.masked(),
        carrier: order.carrier.clone(),
        tracking_number: order.tracking_number.clone(),
        reason: order.reason.clone(),
        chosen_at: order.chosen_at.to_string(),
        posted_at: order.posted_at.map(|t| t.to_string()),
    })
}

fn status_of(order: &MailOrderRecord) -> Result<MailStatus, AppError> {
    MailStatus::parse(&order.status)
        .ok_or_else(|| AppError::Internal(format!("mail order status {}", order.status)))
}

/// Closes an open order as `to`, by `by` at `at`.
fn closed(order: MailOrderRecord, to: MailStatus, by: &str, at: Timestamp) -> MailOrderRecord {
    MailOrderRecord {
        status: to.as_str().to_owned(),
        closed_by: Some(by.to_owned()),
        closed_at: Some(at),
        ..order
    }
}

/// Withdraws an order (its holder chose a point or collected the card at the point first,
/// the card was made at the window, or cancelled).
pub(crate) fn withdraw_mail(
    tx: &mut Tx<'_>,
    order: MailOrderRecord,
    by: &str,
    at: Timestamp,
) -> Result<(), AppError> {
    Ok(tx.save_mail_order(&closed(order, MailStatus::Withdrawn, by, at))?)
}

/// Withdraws a card's order to be posted that is not yet posted, if it has one (a card
/// in the post stays so until the carrier's report).
pub(crate) fn withdraw_chosen_mail(
    tx: &mut Tx<'_>,
    card: &str,
    by: &str,
    at: Timestamp,
) -> Result<(), AppError> {
    match tx.live_mail_order(card)? {
        Some(order) if order.status == MailStatus::Chosen.as_str() => {
            withdraw_mail(tx, order, by, at)
        }
        _ => Ok(()),
    }
}

/// Orders a card made again in place of a lost one posted to the same address.
pub(crate) fn mail_again(
    tx: &mut Tx<'_>,
    order: &MailOrderRecord,
    card: &str,
    at: Timestamp,
) -> Result<(), AppError> {
    Ok(tx.insert_mail_order(&MailOrderRecord {
        id: new_id("mlo"),
        card_id: card.to_owned(),
        address_cipher: order.address_cipher.clone(),
        status: MailStatus::Chosen.as_str().to_owned(),
        carrier: None,
        tracking_number: None,
        reason: None,
        chosen_by: order.chosen_by.clone(),
        chosen_at: at,
        posted_by: None,
        posted_at: None,
        closed_by: None,
        closed_at: None,
        version: 0,
    })?)
}

/// Before a card is handed over at a counter: refused while it is in the post; an order not
/// yet posted is returned, for the caller to withdraw once the card is handed over.
pub(crate) fn not_in_the_post(
    tx: &mut Tx<'_>,
    card: &Card,
) -> Result<Option<MailOrderRecord>, AppError> {
    match tx.live_mail_order(card.id.as_str())? {
        Some(order) if order.status == MailStatus::Posted.as_str() => Err(rule(
            RefusalCode::WrongState,
            "the card is in the post: the carrier hands it over",
        )),
        order => Ok(order),
    }
}

/// Before a holder collects a card in their own portal: the carrier delivered it into
/// their hands (after which no order is opened again).
pub(crate) fn delivered_by_post(tx: &mut Tx<'_>, card: &Card) -> Result<(), AppError> {
    let orders = tx.mail_orders_of_card(card.id.as_str())?;
    if orders
        .iter()
        .any(|order| order.status == MailStatus::Delivered.as_str())
    {
        Ok(())
    } else {
        Err(rule(
            RefusalCode::WrongState,
            "only a card the carrier delivered into its holder's hands is collected here; \
             collect the card at its pick-up point",
        ))
    }
}

/// The card's delivery waiting at a point the actor serves, with the point: a card to post
/// or in the post is at its region's default point.
fn waiting_delivery(
    tx: &mut Tx<'_>,
    actor: &Actor,
    card: &Card,
) -> Result<(DeliveryRecord, PickupPointRecord), AppError> {
    let delivery = tx
        .deliveries_of_card(card.id.as_str())?
        .into_iter()
        .find(|d| d.status == Delivery::Received.as_str())
        .ok_or_else(|| {
            rule(
                RefusalCode::WrongState,
                "the card has not arrived at its point yet",
            )
        })?;
    let point = point_for(tx, actor, &delivery.point_id, true)?;
    Ok((delivery, point))
}

/// What a holder is told of their card posted: the point it left from, the carrier and
/// the tracking number.
fn posted_notice(point: &PickupPointRecord, order: &MailOrderRecord) -> ReadyNotice {
    ReadyNotice {
        carrier: order.carrier.clone(),
        tracking_number: order.tracking_number.clone(),
        ..ReadyNotice::at(point)
    }
}

impl App {
    /// The holder (or the clerk for them) asks for a card to be posted, while it is applied
    /// for or being made and not yet on its way, in a region with a default point (the
    /// cards are posted from there): the address sealed; a chosen point, or an earlier
    /// order, is replaced.
    pub fn choose_mail_delivery(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: MailChoice,
    ) -> Result<CollectionPointView, AppError> {
        self.authorise(actor, Operation::ChooseCollectionPoint)?;
        let address =
            MailAddress::check(&request.address, &request.postcode).map_err(production_error)?;
        let sealed = seal_address(&self.vault, &address)?;
        let (id, label, actor_in) = (CardId::new(card), actor.label(), actor.clone());
        let vault = self.vault.clone();
        let order_id = new_id("mlo");
        let audit = Audit::on("production.mail.choose", format!("card:{card}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let card = crate::card::load_card(tx, &actor_in, &id)?;
            choice_open(card.status, on_its_way(tx, &card)?).map_err(production_error)?;
            // Made one at a time at the window, a card is collected there.
            if card.status == CardStatus::InProduction && !tx.card_in_batches(card.id.as_str())? {
                return Err(rule(
                    RefusalCode::WrongState,
                    "the card is made at the window and collected there",
                ));
            }
            let point = tx.default_pickup_point(&card.region)?.ok_or_else(|| {
                rule(
                    RefusalCode::WrongState,
                    "the card's region has no default point to post its cards from",
                )
            })?;
            if let Some(earlier) = tx.live_mail_order(card.id.as_str())? {
                withdraw_mail(tx, earlier, &label, now)?;
            }
            tx.remove_collection_choice(card.id.as_str())?;
            tx.insert_mail_order(&MailOrderRecord {
                id: order_id.clone(),
                card_id: card.id.as_str().to_owned(),
                address_cipher: sealed.clone(),
                status: MailStatus::Chosen.as_str().to_owned(),
                carrier: None,
                tracking_number: None,
                reason: None,
                chosen_by: label.clone(),
                chosen_at: now,
                posted_by: None,
                posted_at: None,
                closed_by: None,
                closed_at: None,
                version: 0,
            })?;
            let detail = serde_json::json!({ "mail_order": order_id, "point": point.id });
            Ok((
                collection_point_view(tx, &vault, &card)?,
                detail.to_string(),
            ))
        })
    }

    /// The cards at one's own point to be posted (their addresses in clear, for the labels)
    /// or in the post (their addresses masked); the read is audited, naming the cards.
    pub fn mail_queue(&self, actor: &Actor, point: &str) -> Result<MailQueueView, AppError> {
        self.authorise(actor, Operation::ReceiveShipment)?;
        let id = point.to_owned();
        let subject = format!("point:{point}");
        let queue = self.read_for(actor, Operation::ReceiveShipment, &subject, move |tx, r| {
            let point = point_for(tx, &r.actor, &id, true)?;
            let orders = tx.mail_orders_at(&point.id, DISTRIBUTION_LISTED_MAX)?;
            let mut cards = Vec::with_capacity(orders.len());
            for order in orders {
                let card = tx
                    .card(&CardId::new(&order.card_id))?
                    .or_not_found("card", &order.card_id)?;
                let address = open_address(&r.vault, &order)?;
                // Once posted, the label is on the envelope: the list shows no more of it.
                let label = order.status == MailStatus::Chosen.as_str();
                cards.push(MailCardView {
                    card_id: order.card_id,
                    card_number: card.card_number.as_str().to_owned(),
                    status: order.status,
                    address: if label {
                        address.address.clone()
                    } else {
                        address.masked()
                    },
                    postcode: if label {
                        address.postcode
                    } else {
                        String::new()
                    },
                    carrier: order.carrier,
                    tracking_number: order.tracking_number,
                    chosen_at: order.chosen_at.to_string(),
                });
            }
            Ok(MailQueueView {
                point_id: point.id,
                cards,
            })
        })?;
        // The list names persons' addresses: its read is a look-up, naming whose.
        let shown: Vec<&str> = queue.cards.iter().map(|c| c.card_id.as_str()).collect();
        let detail = serde_json::json!({ "card_ids": shown });
        self.audit_look_up(actor, "production.mail.read", subject, &detail)?;
        Ok(queue)
    }

    /// One's own point's clerk posts a card waiting there to be posted: the carrier and its
    /// tracking number; the holder is told.
    pub fn post_card(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: MailPosting,
    ) -> Result<MailView, AppError> {
        self.authorise(actor, Operation::ReceiveShipment)?;
        let (carrier, number) =
            check_posting(&request.carrier, &request.tracking_number).map_err(production_error)?;
        let (id, label, actor_in) = (CardId::new(card), actor.label(), actor.clone());
        let vault = self.vault.clone();
        let audit = Audit::on("production.mail.post", format!("card:{card}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let card = crate::card::load_card(tx, &actor_in, &id)?;
            let (_, point) = waiting_delivery(tx, &actor_in, &card)?;
            let order = tx
                .live_mail_order(card.id.as_str())?
                .ok_or_else(|| rule(RefusalCode::WrongState, "the card is not to be posted"))?;
            mail_step(status_of(&order)?, true).map_err(production_error)?;
            if card.status != CardStatus::ReadyForCollection {
                return Err(rule(
                    RefusalCode::WrongState,
                    "only a card ready for its holder is posted",
                ));
            }
            let posted = MailOrderRecord {
                status: MailStatus::Posted.as_str().to_owned(),
                carrier: Some(carrier.clone()),
                tracking_number: Some(number.clone()),
                posted_by: Some(label.clone()),
                posted_at: Some(now),
                ..order
            };
            tx.save_mail_order(&posted)?;
            tell_holder(
                tx,
                &card,
                "card_posted",
                &posted_notice(&point, &posted),
                now,
            )?;
            let detail = serde_json::json!({ "point": point.id, "carrier": carrier });
            let saved = MailOrderRecord {
                version: posted.version + 1,
                ..posted
            };
            Ok((mail_view(&vault, &saved)?, detail.to_string()))
        })
    }

    /// One's own point's clerk records the carrier's report on a card in the post, once:
    /// delivered into the holder's own hands (the ID number the carrier read must be the
    /// holder's: another's is refused as `identity_mismatch`); brought back with the reason
    /// (the card waits at the point from today, and its holder is told); or lost, with what
    /// the carrier said (the card is cancelled and made again under new numbers, to be
    /// posted to the same address).
    pub fn report_mail_delivery(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: MailReport,
    ) -> Result<MailView, AppError> {
        self.authorise(actor, Operation::ReceiveShipment)?;
        let outcome = match request.outcome.trim() {
            "delivered" => MailStatus::Delivered,
            "returned" => MailStatus::Returned,
            "lost" => MailStatus::Lost,
            _ => return Err(AppError::invalid("outcome", "delivered, returned or lost")),
        };
        let delivered = outcome == MailStatus::Delivered;
        let presented = match (delivered, request.citizen_id.as_deref()) {
            (true, Some(number)) => {
                self.admit_citizen_check(actor, "production.mail.report", format!("card:{card}"))?;
                Some(parse_citizen_id(number, self.now())?)
            }
            (true, None) => {
                return Err(AppError::invalid(
                    "citizen_id",
                    "the ID number the carrier read from the recipient's ID card",
                ));
            }
            (false, _) => None,
        };
        // Kept with the order: any ID or bank card number in it is masked.
        let reason = match (delivered, request.reason.as_deref()) {
            (false, Some(reason)) => Some(mask_id_numbers_in(
                &text(reason, "reason", RETURN_REASON_CHARS_MAX).map_err(production_error)?,
            )),
            (false, None) => {
                return Err(AppError::invalid(
                    "reason",
                    "why the card came back, or how it was lost",
                ));
            }
            (true, _) => None,
        };
        let (id, label, actor_in) = (CardId::new(card), actor.label(), actor.clone());
        let vault = self.vault.clone();
        let audit = Audit::on("production.mail.report", format!("card:{card}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let card = crate::card::load_card(tx, &actor_in, &id)?;
            let (delivery, point) = waiting_delivery(tx, &actor_in, &card)?;
            let order = tx
                .live_mail_order(card.id.as_str())?
                .ok_or_else(|| rule(RefusalCode::WrongState, "the card is not in the post"))?;
            mail_step(status_of(&order)?, false).map_err(production_error)?;
            // A card cancelled in the post is reported too: it comes back to be destroyed, or
            // is not made again when lost.
            let cancelled = card.status == CardStatus::Cancelled;
            if card.status != CardStatus::ReadyForCollection && !cancelled {
                return Err(rule(
                    RefusalCode::WrongState,
                    "the card is no longer waiting for its holder",
                ));
            }
            let mut remade = None;
            let reported = if cancelled {
                let to = match outcome {
                    MailStatus::Delivered => Delivery::Collected,
                    MailStatus::Lost => Delivery::Missing,
                    _ => Delivery::Recalled,
                };
                if let Some(presented) = &presented
                    && !crate::card::identity_matches(tx, &vault, &card.person_id, presented)?
                {
                    return Err(Refusal::IdentityMismatch.into());
                }
                close(tx, delivery, (Delivery::Received, to), &label, now)?;
                MailOrderRecord {
                    reason: reason.clone(),
                    ..closed(order, outcome, &label, now)
                }
            } else if let Some(presented) = &presented {
                if !crate::card::identity_matches(tx, &vault, &card.person_id, presented)? {
                    return Err(Refusal::IdentityMismatch.into());
                }
                close(
                    tx,
                    delivery,
                    (Delivery::Received, Delivery::Collected),
                    &label,
                    now,
                )?;
                closed(order, MailStatus::Delivered, &label, now)
            } else if outcome == MailStatus::Lost {
                // Lost on its way: never made again under its numbers, posted anew (the new
                // card decided before anything is written).
                let again = crate::card::remake_lost(tx, &vault, &card, now)?;
                close(
                    tx,
                    delivery,
                    (Delivery::Received, Delivery::Missing),
                    &label,
                    now,
                )?;
                let lost = MailOrderRecord {
                    reason: reason.clone(),
                    ..closed(order, MailStatus::Lost, &label, now)
                };
                tx.save_mail_order(&lost)?;
                mail_again(tx, &lost, again.id.as_str(), now)?;
                remade = Some(again.id.as_str().to_owned());
                MailOrderRecord {
                    version: lost.version + 1,
                    ..lost
                }
            } else {
                let today = App::today_in(tx, &point.region, now)?;
                tx.restart_wait(card.id.as_str(), today)?;
                let notice = ReadyNotice::at(&point);
                tell_holder(tx, &card, "card_ready", &notice, now)?;
                MailOrderRecord {
                    reason: reason.clone(),
                    ..closed(order, MailStatus::Returned, &label, now)
                }
            };
            let saved = if remade.is_some() {
                reported
            } else {
                tx.save_mail_order(&reported)?;
                MailOrderRecord {
                    version: reported.version + 1,
                    ..reported
                }
            };
            // The carrier's word for a card it brought back (the order's `returned`).
            let said = match outcome {
                MailStatus::Returned => "brought_back",
                other => other.as_str(),
            };
            let detail = serde_json::json!({
                "point": point.id, "mail_outcome": said, "remade": remade,
            });
            Ok((mail_view(&vault, &saved)?, detail.to_string()))
        })
    }
}
