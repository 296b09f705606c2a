//! Distribution (item 5): the desk registers a region's pick-up points (bank branches,
//! whose tellers hand their bank's cards over, and the bureau's service centres, whose
//! clerks do; one default a region, a service centre); holders choose among them
//! (`choice`); a shipped batch's produced cards go
//! in one shipment to each point chosen and one with the rest to the default (`ship`); the
//! point's staff count a shipment once — the cards counted and those reported missing
//! account for every card sent — and each card counted is ready for collection (its last
//! valid day the one its personalisation file gave it), its holder told by a notice and,
//! with a telephone on record, a text message queued for the gateway (`notices`), while a
//! missing card
//! is cancelled and applied for again under new numbers, keeping its holder's choice
//! (`card::remake_lost`: a lost card is never made twice); collection (`card::life`) hands
//! the delivery over, at its point only; a card not collected within the region's period
//! (sent there, or made there on the spot) is listed and recalled (cancelled: the holder
//! applies again), unless it is a replacement or renewal.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::card::CardStatus;
use shebao_domain::ids::CardId;
use shebao_domain::production::distribution::{
    Delivery, MISSING_MAX, PointKind, PointTerms, check_receipt,
};
use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use shebao_domain::time::Timestamp;
use shebao_store::tx::{Bound, DISTRIBUTION_LISTED_MAX};
use shebao_store::{
    DeliveryRecord, NotificationRecord, PickupPointRecord, ProductionBatchRecord, ShipmentRecord,
    SmsRecord, Tx,
};

use super::{production_error, region};
use crate::error::{Clash, OrNotFound, RefusalCode, rule};
use crate::reference::known_region;
use crate::{Actor, App, AppError, Audit, new_id};

/// A pick-up point the desk registers.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPickupPoint {
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub region: String,
    #[schemars(extend("enum" = ["bank_branch", "service_centre"]))]
    pub kind: String,
    /// The bank branch (for a bank branch point only).
    #[serde(default)]
    pub branch: Option<String>,
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub name: String,
    #[schemars(length(min = 1, max = 200), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub address: String,
    /// As the point posts them: `周一至周五 9:00-17:00`.
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub opening_hours: String,
    /// The most cards it holds waiting for collection.
    #[schemars(range(min = 1, max = 100_000))]
    pub capacity: i64,
    /// Where the region's cards go unless their holder chose another point (one a region).
    #[serde(default)]
    pub default: bool,
}

/// The region whose points are listed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PointQuery {
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub region: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "PickupPoint")]
pub struct PointView {
    pub id: String,
    pub region: String,
    #[schemars(extend("enum" = ["bank_branch", "service_centre"]))]
    pub kind: String,
    pub branch: Option<String>,
    pub name: String,
    pub address: String,
    pub opening_hours: String,
    pub capacity: i64,
    /// Cards sent there and not yet collected, missing or recalled.
    pub waiting: i64,
    pub default: bool,
    /// Whether the point (a bank branch) has an instant-issuance device.
    pub instant_issuance: bool,
}

/// A shipment's count at its point: the cards found, and those missing by their codes.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentReceipt {
    #[schemars(range(min = 0, max = 100_000))]
    pub counted: i64,
    #[serde(default)]
    #[schemars(length(max = MISSING_MAX))]
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Shipment")]
pub struct ShipmentView {
    pub id: String,
    pub batch_id: String,
    pub point_id: String,
    pub cards: i64,
    #[schemars(extend("enum" = ["in_transit", "received"]))]
    pub status: String,
    pub counted: Option<i64>,
    pub missing: Option<i64>,
    pub shipped_at: String,
    pub received_at: Option<String>,
}

/// A card waiting at its point: numbers only, no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "WaitingCard")]
pub struct WaitingCardView {
    pub card_id: String,
    pub card_number: String,
    #[schemars(extend("format" = "date"))]
    pub received_on: Option<String>,
}

/// A point with its shipments, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PointShipmentsView {
    pub point: PointView,
    pub shipments: Vec<ShipmentView>,
}

/// The cards waiting at a point past the region's period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UncollectedView {
    pub point_id: String,
    /// The region's period in days; none while the region has set none (no card is then
    /// uncollected).
    pub period_days: Option<u32>,
    pub cards: Vec<WaitingCardView>,
}

/// The holder's notices, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NotificationsView {
    pub notifications: Vec<NotificationView>,
}

/// The messages queued for the gateway, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OutboxView {
    pub queued: Vec<SmsView>,
}

/// What the recall did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RecallView {
    pub point_id: String,
    pub recalled: i64,
}

/// What a holder is told of a card ready at its point, or posted from it (a notice names
/// the card, a text message does not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReadyNotice {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_number: Option<String>,
    /// The point's name.
    pub point: String,
    pub address: String,
    pub hours: String,
    /// The carrier a posted card travels with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
    /// The carrier's tracking number of a posted card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_number: Option<String>,
}

impl ReadyNotice {
    /// What a holder is told of a card waiting at `point`: where and when.
    pub(super) fn at(point: &PickupPointRecord) -> ReadyNotice {
        ReadyNotice {
            card_number: None,
            point: point.name.clone(),
            address: point.address.clone(),
            hours: point.opening_hours.clone(),
            carrier: None,
            tracking_number: None,
        }
    }
}

/// A stored notice's or message's text read back.
pub(super) fn ready_notice(text: &str) -> Result<ReadyNotice, AppError> {
    serde_json::from_str(text).map_err(|e| AppError::Internal(format!("a stored notice: {e}")))
}

/// A notice on the holder's home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Notification")]
pub struct NotificationView {
    pub id: String,
    #[schemars(extend("enum" = ["card_ready", "card_posted"]))]
    pub kind: String,
    /// The card's number, the point's name, address and opening hours (and a posted card's
    /// carrier and tracking number).
    pub detail: ReadyNotice,
    pub created_at: String,
}

/// A text message queued for the gateway: the template and its parameters; the number is
/// the gateway's to look up (it is personal data, sealed in the registry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "QueuedSms")]
pub struct SmsView {
    pub id: String,
    pub person_id: String,
    pub template: String,
    pub params: ReadyNotice,
    #[schemars(extend("enum" = ["queued", "sent"]))]
    pub status: String,
    pub created_at: String,
}

/// The messages the gateway sent.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsSent {
    #[schemars(length(min = 1, max = 1_000))]
    pub ids: Vec<String>,
}

fn point_view(tx: &mut Tx<'_>, point: &PickupPointRecord) -> Result<PointView, AppError> {
    Ok(PointView {
        id: point.id.clone(),
        region: point.region.as_str().to_owned(),
        kind: point.kind.clone(),
        branch: point.branch_id.clone(),
        name: point.name.clone(),
        address: point.address.clone(),
        opening_hours: point.opening_hours.clone(),
        capacity: point.capacity,
        waiting: tx.cards_at_point(&point.id)?,
        default: point.is_default,
        instant_issuance: tx.issuance_device(&point.id)?.is_some(),
    })
}

fn shipment_view(shipment: &ShipmentRecord) -> ShipmentView {
    ShipmentView {
        id: shipment.id.clone(),
        batch_id: shipment.batch_id.clone(),
        point_id: shipment.point_id.clone(),
        cards: shipment.cards,
        status: shipment.status.clone(),
        counted: shipment.counted,
        missing: shipment.missing,
        shipped_at: shipment.shipped_at.to_string(),
        received_at: shipment.received_at.map(|t| t.to_string()),
    }
}

/// Whether `actor` may hand `card` over: any desk that may act on the card, unless the card
/// waits at a registered pick-up point, which only that point's own staff serve.
pub(crate) fn may_hand_over(
    tx: &mut Tx<'_>,
    actor: &Actor,
    card: &shebao_domain::card::Card,
) -> Result<bool, AppError> {
    let Some(point) = card.distribution_point.as_deref() else {
        return Ok(true);
    };
    Ok(tx
        .pickup_point(point)?
        .is_none_or(|point| serves_point(actor, &point)))
}

/// Whether the actor hands over `point`'s cards: a teller of its branch, or a clerk of the
/// bureau for a service centre.
fn serves_point(actor: &Actor, point: &PickupPointRecord) -> bool {
    serves(actor, &point.kind, point.branch_id.as_deref())
}

/// Whether the actor counts, hands over and recalls at a point of `kind` (a bank branch
/// point names its `branch`): what the pick-up desk offers them.
#[must_use]
pub fn serves(actor: &Actor, kind: &str, branch: Option<&str>) -> bool {
    match actor.role {
        Role::BankTeller => {
            branch.is_some() && branch == actor.scope.branch_id.as_ref().map(|b| b.as_str())
        }
        Role::BureauClerk => kind == PointKind::ServiceCentre.as_str(),
        _ => false,
    }
}

/// Whether the actor reads `point`'s shipments and cards: its own staff, the production desk
/// and the auditor.
fn reads_point(actor: &Actor, point: &PickupPointRecord) -> bool {
    matches!(actor.role, Role::ProductionOfficer | Role::Auditor) || serves_point(actor, point)
}

/// A point the actor may read, or hidden (another branch's).
pub(super) fn point_for(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
    serve: bool,
) -> Result<PickupPointRecord, AppError> {
    let point = tx.pickup_point(id)?;
    match point {
        Some(point)
            if (serve && serves_point(actor, &point)) || (!serve && reads_point(actor, &point)) =>
        {
            Ok(point)
        }
        _ => Err(AppError::Hidden(format!("pickup point {id}"))),
    }
}

/// Sends a shipped batch's produced cards to their points (in the ship's transaction): a
/// shipment to each point holders chose, and one with the rest to the region's default
/// point; refused when cards chose no point and the region has no default point. Returns
/// each shipment's point and cards.
pub(super) fn send_to_points(
    tx: &mut Tx<'_>,
    batch: &ProductionBatchRecord,
    produced: i64,
    now: Timestamp,
) -> Result<Vec<(String, i64)>, AppError> {
    let default = tx
        .default_pickup_point(&batch.region)?
        .map(|point| point.id);
    let mut shipments = Vec::new();
    for point in tx.points_chosen_in_batch(&batch.id)? {
        if Some(&point) != default.as_ref() {
            let cards = ship_to(tx, batch, &point, Bound::Chosen, now)?;
            shipments.push((point, cards));
        }
    }
    let chosen: i64 = shipments.iter().map(|(_, cards)| cards).sum();
    match default {
        Some(point) => {
            let cards = ship_to(tx, batch, &point, Bound::Default, now)?;
            if cards > 0 {
                shipments.push((point, cards));
            }
        }
        None if chosen < produced => {
            return Err(rule(
                RefusalCode::WrongState,
                format!(
                    "region {} has no default pick-up point to send the cards to",
                    batch.region
                ),
            ));
        }
        None => {}
    }
    let sent: i64 = shipments.iter().map(|(_, cards)| cards).sum();
    if sent != produced {
        return Err(AppError::Internal(format!(
            "{produced} cards produced, {sent} sent"
        )));
    }
    Ok(shipments)
}

/// One shipment of the batch's produced cards that `bound` takes, to `point`: how many.
fn ship_to(
    tx: &mut Tx<'_>,
    batch: &ProductionBatchRecord,
    point: &str,
    bound: Bound,
    now: Timestamp,
) -> Result<i64, AppError> {
    let cards = tx.produced_cards_bound(&batch.id, point, bound)?;
    if cards == 0 {
        return Ok(0);
    }
    let shipment = ShipmentRecord {
        id: new_id("shp"),
        batch_id: batch.id.clone(),
        point_id: point.to_owned(),
        cards,
        status: "in_transit".into(),
        counted: None,
        missing: None,
        shipped_at: now,
        received_by: None,
        received_at: None,
        version: 0,
    };
    tx.insert_shipment(&shipment)?;
    let sent = tx.send_produced_cards(&batch.id, &shipment.id, point, bound)?;
    if i64::try_from(sent).ok() != Some(cards) {
        return Err(AppError::Internal(format!(
            "{cards} cards for point {point}, {sent} sent"
        )));
    }
    Ok(cards)
}

impl App {
    /// The desk registers a region's pick-up point (at most one default a region).
    pub fn register_pickup_point(
        &self,
        actor: &Actor,
        key: &str,
        request: NewPickupPoint,
    ) -> Result<PointView, AppError> {
        self.authorise(actor, Operation::ManageDistribution)?;
        let region = region(&request.region)?;
        let kind = PointKind::parse(request.kind.trim())
            .ok_or_else(|| AppError::invalid("kind", "bank_branch or service_centre"))?;
        let terms = PointTerms {
            kind,
            branch: request.branch.clone(),
            name: request.name.clone(),
            address: request.address.clone(),
            opening_hours: request.opening_hours.clone(),
            capacity: request.capacity,
        }
        .check()
        .map_err(production_error)?;
        let (id, label, default) = (new_id("pkp"), actor.label(), request.default);
        // Every bank's cards go to the default point: only the bureau's clerks hand over
        // any of them (a bank's tellers hand over their own bank's cards only).
        if default && terms.kind != PointKind::ServiceCentre {
            return Err(AppError::invalid(
                "default",
                "the default point is a service centre of the bureau",
            ));
        }
        let audit = Audit::creating("production.point.register", format!("point:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            known_region(tx, &region)?;
            if let Some(branch) = &terms.branch {
                let found = tx
                    .branch(&shebao_domain::ids::BranchId::new(branch))?
                    .or_not_found("branch", branch)?;
                if found.region != region {
                    return Err(AppError::invalid(
                        "branch",
                        "a branch of the point's region",
                    ));
                }
            }
            if default && tx.default_pickup_point(&region)?.is_some() {
                return Err(AppError::Conflict(Clash::Store(
                    "the region has a default pick-up point already".into(),
                )));
            }
            let point = PickupPointRecord {
                id: id.clone(),
                region: region.clone(),
                kind: terms.kind.as_str().to_owned(),
                branch_id: terms.branch.clone(),
                name: terms.name.clone(),
                address: terms.address.clone(),
                opening_hours: terms.opening_hours.clone(),
                capacity: terms.capacity,
                is_default: default,
                created_by: label.clone(),
                created_at: now,
            };
            tx.insert_pickup_point(&point)?;
            let detail = serde_json::json!({
                "point": id, "region": region.as_str(), "point_kind": point.kind,
                "default": default,
            });
            Ok((point_view(tx, &point)?, detail.to_string()))
        })
    }

    /// A region's pick-up points, by name, with the cards waiting at each.
    pub fn pickup_points(
        &self,
        actor: &Actor,
        query: PointQuery,
    ) -> Result<Vec<PointView>, AppError> {
        self.authorise(actor, Operation::ReadPickupPoints)?;
        let region = region(&query.region)?;
        self.store.read(move |tx| {
            known_region(tx, &region)?;
            let points = tx.pickup_points(&region, DISTRIBUTION_LISTED_MAX)?;
            points.iter().map(|p| point_view(tx, p)).collect()
        })
    }

    /// A point's shipments, newest first (its staff, the desk, the auditor).
    pub fn point_shipments(
        &self,
        actor: &Actor,
        point: &str,
    ) -> Result<PointShipmentsView, AppError> {
        self.read_point(actor, point, |tx, point, _| {
            let shipments = tx
                .shipments_to(&point.id, DISTRIBUTION_LISTED_MAX)?
                .iter()
                .map(shipment_view)
                .collect();
            Ok(PointShipmentsView {
                point: point_view(tx, &point)?,
                shipments,
            })
        })
    }

    /// The point's staff count a shipment once: every card counted is ready for collection
    /// and its holder told; every card reported missing is cancelled and applied for again
    /// under new numbers.
    pub fn receive_shipment(
        &self,
        actor: &Actor,
        key: &str,
        shipment: &str,
        request: ShipmentReceipt,
    ) -> Result<ShipmentView, AppError> {
        self.authorise(actor, Operation::ReceiveShipment)?;
        if request.missing.len() > MISSING_MAX {
            return Err(AppError::invalid("missing", "at most 5000 cards"));
        }
        let missing: Vec<String> = request
            .missing
            .iter()
            .map(|code| code.trim().to_uppercase())
            .collect();
        let (id, label, actor_in) = (shipment.to_owned(), actor.label(), actor.clone());
        let vault = self.vault.clone();
        let audit = Audit::on(
            "production.shipment.receive",
            format!("shipment:{shipment}"),
        );
        let counted = request.counted;
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut shipment = tx.shipment(&id)?.or_not_found("shipment", &id)?;
            let point = point_for(tx, &actor_in, &shipment.point_id, true)?;
            if shipment.status != "in_transit" {
                return Err(rule(
                    RefusalCode::WrongState,
                    "the shipment is already counted",
                ));
            }
            check_receipt(shipment.cards, counted, missing.len()).map_err(production_error)?;
            let batch = tx
                .production_batch(&shipment.batch_id)?
                .or_not_found("production batch", &shipment.batch_id)?;
            let file = tx.personalisation_file(&batch.id)?.ok_or_else(|| {
                AppError::Internal(format!("batch {} shipped without its file", batch.id))
            })?;
            let today = App::today_in(tx, &point.region, now)?;
            // The last valid day is the one the file printed on the face and in the chip.
            let expires_on = file.valid_until;
            // The missing cards first, each a card of this shipment once.
            let mut missing_ids = std::collections::HashSet::new();
            let mut lost = Vec::new();
            for code in &missing {
                let card = tx.card_by_identification_code(code)?;
                let delivery = match &card {
                    Some(card) => tx.delivery(&shipment.id, card.id.as_str())?,
                    None => None,
                };
                let (Some(card), Some(delivery)) = (card, delivery) else {
                    return Err(AppError::invalid(
                        "missing",
                        format!("{code} is not a card of this shipment"),
                    ));
                };
                if !missing_ids.insert(card.id.as_str().to_owned()) {
                    return Err(AppError::invalid(
                        "missing",
                        format!("{code} is listed twice"),
                    ));
                }
                close(tx, delivery, (Delivery::InTransit, Delivery::Missing), &label, now)?;
                if card.status == CardStatus::InProduction {
                    let remade = crate::card::remake_lost(tx, &vault, &card, now)?;
                    lost.push(serde_json::json!({ "lost": card.id.as_str(), "remade": remade.id.as_str() }));
                }
            }
            let received = tx.deliveries_in_transit(&shipment.id, shipment.cards.max(0))?;
            let told = ReadyNotice::at(&point);
            for delivery in received {
                let card = tx
                    .card(&CardId::new(&delivery.card_id))?
                    .or_not_found("card", &delivery.card_id)?;
                let delivery = DeliveryRecord {
                    received_on: Some(today),
                    ..delivery
                };
                // A card cancelled meanwhile is counted and taken back at once: nobody is
                // called to collect it.
                if card.status != CardStatus::InProduction {
                    close(tx, delivery, (Delivery::InTransit, Delivery::Recalled), &label, now)?;
                    super::mail::withdraw_chosen_mail(tx, card.id.as_str(), &label, now)?;
                    continue;
                }
                tx.close_delivery(
                    &DeliveryRecord {
                        status: Delivery::Received.as_str().to_owned(),
                        ..delivery
                    },
                    Delivery::InTransit.as_str(),
                )?;
                tx.update_card(&card.arrived(&point.id, expires_on)?)?;
                // A card to be posted waits for its clerk, not its holder: the holder is told
                // when it is posted.
                if tx.live_mail_order(card.id.as_str())?.is_none() {
                    tell_holder(tx, &card, "card_ready", &told, now)?;
                }
            }
            shipment.status = "received".into();
            shipment.counted = Some(counted);
            shipment.missing = Some(i64::try_from(missing.len()).unwrap_or(i64::MAX));
            shipment.received_by = Some(label.clone());
            shipment.received_at = Some(now);
            tx.save_shipment(&shipment)?;
            shipment.version += 1;
            let detail = serde_json::json!({
                "point": point.id, "cards": shipment.cards, "counted": counted,
                "missing_cards": missing.len(), "remade": lost,
            });
            Ok((shipment_view(&shipment), detail.to_string()))
        })
    }

    /// Reads `point` for `actor` (its own staff, the desk, the auditor; another's hidden):
    /// `work` gets the point and the time of the read.
    pub(super) fn read_point<T: Send + 'static>(
        &self,
        actor: &Actor,
        point: &str,
        work: impl Fn(&mut Tx<'_>, PickupPointRecord, Timestamp) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        self.authorise(actor, Operation::ReadDistribution)?;
        let (id, now) = (point.to_owned(), self.now());
        let subject = format!("point:{id}");
        self.read_for(
            actor,
            Operation::ReadDistribution,
            &subject,
            move |tx, r| {
                let point = point_for(tx, &r.actor, &id, false)?;
                work(tx, point, now)
            },
        )
    }
}

/// Tells `card`'s holder `notice` (of `kind`, naming the card) on the portal's home, and,
/// with a telephone on record, by a text message queued for the gateway (naming no card).
pub(super) fn tell_holder(
    tx: &mut Tx<'_>,
    card: &shebao_domain::card::Card,
    kind: &str,
    notice: &ReadyNotice,
    now: Timestamp,
) -> Result<(), AppError> {
    let json = |notice: &ReadyNotice| {
        serde_json::to_string(notice).map_err(|e| AppError::Internal(e.to_string()))
    };
    tx.insert_notification(&NotificationRecord {
        id: new_id("ntf"),
        person_id: card.person_id.as_str().to_owned(),
        kind: kind.to_owned(),
        detail: json(&ReadyNotice {
            card_number: Some(card.card_number.as_str().to_owned()),
            ..notice.clone()
        })?,
        created_at: now,
    })?;
    let phone = tx
        .person(&card.person_id)?
        .is_some_and(|person| person.phone_cipher.is_some());
    if phone {
        tx.insert_sms(&SmsRecord {
            id: new_id("sms"),
            person_id: card.person_id.as_str().to_owned(),
            template: kind.to_owned(),
            params: json(&ReadyNotice {
                card_number: None,
                ..notice.clone()
            })?,
            status: "queued".into(),
            created_at: now,
            sent_at: None,
        })?;
    }
    Ok(())
}

/// Closes a delivery read in the first state as the second, by `by` at `at`.
pub(super) fn close(
    tx: &mut Tx<'_>,
    delivery: DeliveryRecord,
    (from, to): (Delivery, Delivery),
    by: &str,
    at: Timestamp,
) -> Result<(), AppError> {
    let closed = DeliveryRecord {
        status: to.as_str().to_owned(),
        closed_by: Some(by.to_owned()),
        closed_at: Some(at),
        ..delivery
    };
    Ok(tx.close_delivery(&closed, from.as_str())?)
}
