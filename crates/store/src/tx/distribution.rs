//! Distribution: a region's pick-up points, holders' choices of point, a shipped batch's
//! shipments and each card's delivery, what a holder is told (notices, and text messages
//! queued for the gateway), and the branches' instant-issuance devices and the cards they
//! personalised.

use shebao_domain::ids::RegionCode;
use shebao_domain::time::{Date, Timestamp};

use crate::StoreError;
use crate::codec::{first_text, table};
use crate::records::{
    CardDestructionRecord, CollectionChoiceRecord, DeliveryRecord, InstantIssueRecord,
    IssuanceDeviceRecord, MailOrderRecord, NotificationRecord, PickupPointRecord, ShipmentRecord,
    SmsRecord,
};
use crate::tx::{Tx, accessors};

table! {
    /// The columns of a pick-up point.
    mod pickup_points: PickupPointRecord {
        id, region = region_code, kind, branch_id, name, address, opening_hours, capacity,
        is_default, created_by, created_at,
    }
}

table! {
    /// The columns of a shipment.
    mod shipments: ShipmentRecord {
        id, batch_id, point_id, cards, status, counted, missing, shipped_at, received_by,
        received_at, version,
    }
}

table! {
    /// The columns of a card's delivery.
    mod deliveries: DeliveryRecord {
        shipment_id, card_id, point_id, status, received_on, closed_by, closed_at,
    }
}

table! {
    /// The columns of a holder's notice.
    mod notifications: NotificationRecord {
        id, person_id, kind, detail, created_at,
    }
}

table! {
    /// The columns of a queued text message.
    mod sms_outbox: SmsRecord {
        id, person_id, template, params, status, created_at, sent_at,
    }
}

table! {
    /// The columns of a holder's choice of pick-up point.
    mod collection_choices: CollectionChoiceRecord {
        card_id, point_id, chosen_by, chosen_at,
    }
}

table! {
    /// The columns of a branch's instant-issuance device.
    mod issuance_devices: IssuanceDeviceRecord {
        point_id, product_id, revision, key_id, public_key, registered_by, registered_at,
    }
}

table! {
    /// The columns of a card personalised on the spot.
    mod instant_issues: InstantIssueRecord {
        id, card_id, point_id, device_key_id, product_id, revision, master_keys, digest,
        valid_until, manifest, signature, signing_key_id, status, reason, issued_by, issued_at,
        reported_by, reported_at,
    }
}

table! {
    /// The columns of a card's order to be posted.
    mod mail_orders: MailOrderRecord {
        id, card_id, address_cipher, status, carrier, tracking_number, reason, chosen_by,
        chosen_at, posted_by, posted_at, closed_by, closed_at, version,
    }
}

table! {
    /// The columns of a recalled card's destruction.
    mod card_destructions: CardDestructionRecord {
        card_id, point_id, record_id, method, witness, destroyed_by, destroyed_at,
    }
}

/// The cards recalled at a point (`$1`) and not destroyed: taken back from a shipment, or
/// made there on the spot and cancelled before they were collected.
const RECALLED_NOT_DESTROYED: &str = "SELECT d.card_id FROM deliveries d \
     WHERE d.point_id = $1 AND d.status = 'recalled' \
     AND NOT EXISTS (SELECT 1 FROM card_destructions x WHERE x.card_id = d.card_id) \
     UNION SELECT i.card_id FROM instant_issues i JOIN cards c ON c.id = i.card_id \
     WHERE i.point_id = $1 AND i.status = 'produced' AND c.status = 'cancelled' \
     AND c.collected_at IS NULL \
     AND NOT EXISTS (SELECT 1 FROM card_destructions x WHERE x.card_id = i.card_id)";

/// Which of a batch's produced cards a shipment takes: those whose holders chose its point,
/// or, for the region's default point, those too whose holders chose none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Chosen,
    Default,
}

impl Bound {
    /// The condition on `batch_cards b`, the shipment's point being `$2`.
    fn condition(self) -> &'static str {
        match self {
            Bound::Chosen => {
                "AND EXISTS (SELECT 1 FROM collection_choices c \
                 WHERE c.card_id = b.card_id AND c.point_id = $2)"
            }
            Bound::Default => {
                "AND NOT EXISTS (SELECT 1 FROM collection_choices c \
                 WHERE c.card_id = b.card_id AND c.point_id <> $2)"
            }
        }
    }
}

/// The most points one batch's cards go to: one a card of the largest batch.
const POINTS_A_BATCH_MAX: i64 = 100_000;

/// The most points, shipments, deliveries, notices or messages one list answers.
pub const DISTRIBUTION_LISTED_MAX: i64 = 1_000;

impl Tx<'_> {
    accessors! {
        /// Registers a point; a second default point of a region conflicts.
        pub fn insert_pickup_point(point: &PickupPointRecord) = insert_row;
        /// A point by id.
        pub fn pickup_point(id: &str) -> Option<PickupPointRecord> = "WHERE id = $1";
        /// A region's points by name.
        pub fn pickup_points(region: &RegionCode, limit: i64) -> Vec<PickupPointRecord>
            = "WHERE region_code = $1 ORDER BY name, id LIMIT $2";
        /// The point a bank branch is, if it is one.
        pub fn pickup_point_of_branch(branch: &str) -> Option<PickupPointRecord>
            = "WHERE branch_id = $1";
        /// The point a region's cards go to by default.
        pub fn default_pickup_point(region: &RegionCode) -> Option<PickupPointRecord>
            = "WHERE region_code = $1 AND is_default = 1";
        /// A shipment by id.
        pub fn shipment(id: &str) -> Option<ShipmentRecord> = "WHERE id = $1";
        /// A point's shipments, newest first.
        pub fn shipments_to(point: &str, limit: i64) -> Vec<ShipmentRecord>
            = "WHERE point_id = $1 ORDER BY shipped_at DESC, id LIMIT $2";
        /// A batch's shipments.
        pub fn shipments_of_batch(batch: &str) -> Vec<ShipmentRecord>
            = "WHERE batch_id = $1 ORDER BY id";
        /// A card's delivery of a shipment.
        pub fn delivery(shipment: &str, card: &str) -> Option<DeliveryRecord>
            = "WHERE shipment_id = $1 AND card_id = $2";
        /// A point's instant-issuance device, if it is equipped.
        pub fn issuance_device(point: &str) -> Option<IssuanceDeviceRecord>
            = "WHERE point_id = $1";
        /// A card's instant issue not failed, if it was personalised on the spot.
        pub fn live_instant_issue(card: &str) -> Option<InstantIssueRecord>
            = "WHERE card_id = $1 AND status <> 'failed'";
        /// A point's cards made on the spot before `before` and still waiting for their
        /// holders, the oldest first.
        pub fn instant_issues_waiting(point: &str, before: Timestamp, limit: i64)
            -> Vec<InstantIssueRecord>
            = "WHERE point_id = $1 AND status = 'produced' AND reported_at < $2 \
               AND card_id IN (SELECT id FROM cards WHERE status = 'ready_for_collection') \
               ORDER BY reported_at, id LIMIT $3";
        /// Records a card personalised on the spot (one not failed a card).
        pub fn insert_instant_issue(issue: &InstantIssueRecord) = insert_row;
        /// A card's chosen pick-up point, if its holder chose one.
        pub fn collection_choice(card: &str) -> Option<CollectionChoiceRecord>
            = "WHERE card_id = $1";
        /// A card's deliveries, the latest first (at most one is open; a card is sent once).
        pub fn deliveries_of_card(card: &str) -> Vec<DeliveryRecord>
            = "WHERE card_id = $1 ORDER BY closed_at IS NULL DESC, closed_at DESC, shipment_id \
               LIMIT 10";
        /// A shipment's deliveries still in transit.
        pub fn deliveries_in_transit(shipment: &str, limit: i64) -> Vec<DeliveryRecord>
            = "WHERE shipment_id = $1 AND status = 'in_transit' ORDER BY card_id LIMIT $2";
        /// A point's cards received on or before `last_day` and still waiting for their
        /// holders (not to be posted, nor in the post), oldest first.
        pub fn deliveries_waiting_since(point: &str, last_day: Date, limit: i64)
            -> Vec<DeliveryRecord>
            = "WHERE point_id = $1 AND status = 'received' AND received_on <= $2 \
               AND NOT EXISTS (SELECT 1 FROM mail_orders m WHERE m.card_id = deliveries.card_id \
               AND m.status IN ('chosen', 'posted')) \
               ORDER BY received_on, card_id LIMIT $3";
        /// Records a notice.
        pub fn insert_notification(notice: &NotificationRecord) = insert_row;
        /// A person's notices, newest first.
        pub fn notifications_of(person: &str, limit: i64) -> Vec<NotificationRecord>
            = "WHERE person_id = $1 ORDER BY created_at DESC, id LIMIT $2";
        /// A card's order to be posted, if one is chosen or posted.
        pub fn live_mail_order(card: &str) -> Option<MailOrderRecord>
            = "WHERE card_id = $1 AND status IN ('chosen', 'posted')";
        /// A card's orders to be posted: the open one first, then the closed ones, the
        /// latest closed first.
        pub fn mail_orders_of_card(card: &str) -> Vec<MailOrderRecord>
            = "WHERE card_id = $1 ORDER BY (status IN ('chosen', 'posted')) DESC, \
               closed_at DESC, version DESC, id LIMIT 10";
        /// The open orders of the cards waiting at a point ready for their holders (to be
        /// posted, or in the post), the oldest first.
        pub fn mail_orders_at(point: &str, limit: i64) -> Vec<MailOrderRecord>
            = "WHERE status IN ('chosen', 'posted') AND card_id IN (SELECT d.card_id \
               FROM deliveries d JOIN cards c ON c.id = d.card_id WHERE d.point_id = $1 \
               AND d.status = 'received' AND c.status = 'ready_for_collection') \
               ORDER BY chosen_at, id LIMIT $2";
        /// Records a recalled card destroyed (once a card).
        pub fn insert_card_destruction(destruction: &CardDestructionRecord) = insert_row;
        /// A card's destruction, if it was destroyed.
        pub fn card_destruction(card: &str) -> Option<CardDestructionRecord>
            = "WHERE card_id = $1";
        /// Queues a text message.
        pub fn insert_sms(message: &SmsRecord) = insert_row;
        /// The queued messages, oldest first.
        pub fn sms_queued(limit: i64) -> Vec<SmsRecord>
            = "WHERE status = 'queued' ORDER BY created_at, id LIMIT $1";
    }

    /// Records a shipment (at version 0).
    pub fn insert_shipment(&mut self, shipment: &ShipmentRecord) -> Result<(), StoreError> {
        self.insert_new_version(shipment)
    }

    /// Records a card's order to be posted (at version 0); a second open one conflicts.
    pub fn insert_mail_order(&mut self, order: &MailOrderRecord) -> Result<(), StoreError> {
        self.insert_new_version(order)
    }

    /// Saves an order's step over the version read.
    pub fn save_mail_order(&mut self, order: &MailOrderRecord) -> Result<(), StoreError> {
        self.update_versioned(
            "mail order",
            "UPDATE mail_orders SET status = $1, carrier = $2, tracking_number = $3, \
             reason = $4, posted_by = $5, posted_at = $6, closed_by = $7, closed_at = $8, \
             version = version + 1 WHERE id = $9 AND version = $10",
            vec![
                order.status.as_str().into(),
                order.carrier.clone().into(),
                order.tracking_number.clone().into(),
                order.reason.clone().into(),
                order.posted_by.clone().into(),
                order.posted_at.map(Timestamp::unix_seconds).into(),
                order.closed_by.clone().into(),
                order.closed_at.map(Timestamp::unix_seconds).into(),
                order.id.as_str().into(),
            ],
            order.version,
        )
    }

    /// Restarts a received card's wait at its point on `day` (a card the carrier brought
    /// back waits for its holder from the day it came back).
    pub fn restart_wait(&mut self, card: &str, day: Date) -> Result<(), StoreError> {
        self.exec_versioned(
            "delivery",
            "UPDATE deliveries SET received_on = $1 WHERE card_id = $2 AND status = 'received'",
            &[day.to_string().into(), card.into()],
        )
    }

    /// Records a holder's choice of point for a card, over any earlier one.
    pub fn choose_collection_point(
        &mut self,
        choice: &CollectionChoiceRecord,
    ) -> Result<(), StoreError> {
        self.run(
            "INSERT INTO collection_choices (card_id, point_id, chosen_by, chosen_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (card_id) DO UPDATE SET \
             point_id = excluded.point_id, chosen_by = excluded.chosen_by, \
             chosen_at = excluded.chosen_at",
            &[
                choice.card_id.as_str().into(),
                choice.point_id.as_str().into(),
                choice.chosen_by.as_str().into(),
                choice.chosen_at.unix_seconds().into(),
            ],
        )
    }

    /// Forgets a card's choice of point (the card is issued on the spot instead).
    pub fn remove_collection_choice(&mut self, card: &str) -> Result<(), StoreError> {
        self.run(
            "DELETE FROM collection_choices WHERE card_id = $1",
            &[card.into()],
        )
    }

    /// Equips a point with an instant-issuance device, replacing any it had.
    pub fn register_issuance_device(
        &mut self,
        device: &IssuanceDeviceRecord,
    ) -> Result<(), StoreError> {
        self.run(
            "INSERT INTO issuance_devices (point_id, product_id, revision, key_id, public_key, \
             registered_by, registered_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (point_id) DO UPDATE SET product_id = excluded.product_id, \
             revision = excluded.revision, key_id = excluded.key_id, \
             public_key = excluded.public_key, registered_by = excluded.registered_by, \
             registered_at = excluded.registered_at",
            &[
                device.point_id.as_str().into(),
                device.product_id.as_str().into(),
                device.revision.into(),
                device.key_id.as_str().into(),
                device.public_key.as_str().into(),
                device.registered_by.as_str().into(),
                device.registered_at.unix_seconds().into(),
            ],
        )
    }

    /// Records the device's report on a sealed instant issue (`produced` or `failed`), once.
    pub fn report_instant_issue(&mut self, issue: &InstantIssueRecord) -> Result<(), StoreError> {
        self.exec_versioned(
            "instant issue",
            "UPDATE instant_issues SET status = $1, reason = $2, reported_by = $3, \
             reported_at = $4 WHERE id = $5 AND status = 'sealed'",
            &[
                issue.status.as_str().into(),
                issue.reason.clone().into(),
                issue.reported_by.clone().into(),
                issue.reported_at.map(Timestamp::unix_seconds).into(),
                issue.id.as_str().into(),
            ],
        )
    }

    /// How many of a point's places are taken, `except` one card: cards waiting there or
    /// on their way, and cards whose holders chose it that are applied for or being made
    /// and not yet sent anywhere.
    pub fn places_taken(&mut self, point: &str, except: &str) -> Result<i64, StoreError> {
        let waiting = self.cards_at_point(point)?;
        let chosen = self.int_or_zero(
            "SELECT COUNT(*) FROM collection_choices c JOIN cards k ON k.id = c.card_id \
             WHERE c.point_id = $1 AND c.card_id <> $2 \
             AND k.status IN ('applied', 'in_production') \
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.card_id = c.card_id)",
            &[point.into(), except.into()],
            "collection_choices",
        )?;
        Ok(waiting + chosen)
    }

    /// The points holders chose for `batch`'s produced cards, each once.
    pub fn points_chosen_in_batch(&mut self, batch: &str) -> Result<Vec<String>, StoreError> {
        self.all(
            "SELECT DISTINCT c.point_id FROM batch_cards b \
             JOIN collection_choices c ON c.card_id = b.card_id \
             WHERE b.batch_id = $1 AND b.status = 'produced' ORDER BY c.point_id LIMIT $2",
            &[batch.into(), POINTS_A_BATCH_MAX.into()],
            first_text("collection_choices"),
        )
    }

    /// How many of `batch`'s produced cards a shipment to `point` takes (`bound`).
    pub fn produced_cards_bound(
        &mut self,
        batch: &str,
        point: &str,
        bound: Bound,
    ) -> Result<i64, StoreError> {
        let sql = format!(
            "SELECT COUNT(*) FROM batch_cards b WHERE b.batch_id = $1 \
             AND b.status = 'produced' {}",
            bound.condition()
        );
        self.int_or_zero(&sql, &[batch.into(), point.into()], "batch_cards")
    }

    /// Sends `batch`'s produced cards that `bound` takes to `point` with `shipment`,
    /// set-based: how many.
    pub fn send_produced_cards(
        &mut self,
        batch: &str,
        shipment: &str,
        point: &str,
        bound: Bound,
    ) -> Result<u64, StoreError> {
        let sql = format!(
            "INSERT INTO deliveries (shipment_id, card_id, point_id, status) \
             SELECT $1, b.card_id, $2, 'in_transit' FROM batch_cards b \
             WHERE b.batch_id = $3 AND b.status = 'produced' {}",
            bound.condition()
        );
        self.exec(&sql, &[shipment.into(), point.into(), batch.into()])
    }

    /// Closes a card's delivery in transit or received as `status` (`missing`, `received`,
    /// `collected`, `recalled`); `received_on` is kept when given.
    pub fn close_delivery(
        &mut self,
        delivery: &DeliveryRecord,
        from: &str,
    ) -> Result<(), StoreError> {
        self.exec_versioned(
            "delivery",
            "UPDATE deliveries SET status = $1, received_on = $2, closed_by = $3, \
             closed_at = $4 WHERE shipment_id = $5 AND card_id = $6 AND status = $7",
            &[
                delivery.status.as_str().into(),
                delivery.received_on.map(|d| d.to_string()).into(),
                delivery.closed_by.clone().into(),
                delivery.closed_at.map(Timestamp::unix_seconds).into(),
                delivery.shipment_id.as_str().into(),
                delivery.card_id.as_str().into(),
                from.into(),
            ],
        )
    }

    /// Marks a card's received delivery collected, if it has one: how many (0 or 1).
    pub fn deliver_collected(
        &mut self,
        card: &str,
        by: &str,
        at: Timestamp,
    ) -> Result<u64, StoreError> {
        self.exec(
            "UPDATE deliveries SET status = 'collected', closed_by = $1, closed_at = $2 \
             WHERE card_id = $3 AND status = 'received'",
            &[by.into(), at.unix_seconds().into(), card.into()],
        )
    }

    /// How many cards wait at a point: sent there and not yet collected, missing, recalled
    /// or in the post, and issued there on the spot and not yet collected.
    pub fn cards_at_point(&mut self, point: &str) -> Result<i64, StoreError> {
        let sent = self.int_or_zero(
            "SELECT COUNT(*) FROM deliveries d WHERE d.point_id = $1 \
             AND d.status IN ('in_transit', 'received') AND NOT EXISTS (SELECT 1 \
             FROM mail_orders m WHERE m.card_id = d.card_id AND m.status = 'posted')",
            &[point.into()],
            "deliveries",
        )?;
        let issued = self.int_or_zero(
            "SELECT COUNT(*) FROM instant_issues i JOIN cards c ON c.id = i.card_id \
             WHERE i.point_id = $1 AND i.status <> 'failed' \
             AND c.status IN ('in_production', 'ready_for_collection')",
            &[point.into()],
            "instant_issues",
        )?;
        Ok(sent + issued)
    }

    /// Saves a shipment's receipt over the version read.
    pub fn save_shipment(&mut self, shipment: &ShipmentRecord) -> Result<(), StoreError> {
        self.update_versioned(
            "shipment",
            "UPDATE shipments SET status = $1, counted = $2, missing = $3, received_by = $4, \
             received_at = $5, version = version + 1 WHERE id = $6 AND version = $7",
            vec![
                shipment.status.as_str().into(),
                shipment.counted.into(),
                shipment.missing.into(),
                shipment.received_by.clone().into(),
                shipment.received_at.map(Timestamp::unix_seconds).into(),
                shipment.id.as_str().into(),
            ],
            shipment.version,
        )
    }

    /// The cards recalled at a point and not yet destroyed, by id.
    pub fn recalled_not_destroyed(
        &mut self,
        point: &str,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        let sql =
            format!("SELECT card_id FROM ({RECALLED_NOT_DESTROYED}) r ORDER BY card_id LIMIT $2");
        self.all(
            &sql,
            &[point.into(), limit.into()],
            first_text("deliveries"),
        )
    }

    /// Whether `card` was recalled at `point` and is not yet destroyed.
    pub fn awaits_destruction(&mut self, point: &str, card: &str) -> Result<bool, StoreError> {
        let sql = format!("SELECT COUNT(*) FROM ({RECALLED_NOT_DESTROYED}) r WHERE r.card_id = $2");
        Ok(self.int_or_zero(&sql, &[point.into(), card.into()], "deliveries")? > 0)
    }

    /// Marks a queued message sent; a message not queued is left as it is: whether it was.
    pub fn mark_sms_sent(&mut self, id: &str, at: Timestamp) -> Result<bool, StoreError> {
        Ok(self.exec(
            "UPDATE sms_outbox SET status = 'sent', sent_at = $1 \
             WHERE id = $2 AND status = 'queued'",
            &[at.unix_seconds().into(), id.into()],
        )? == 1)
    }
}
