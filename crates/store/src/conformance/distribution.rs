//! Distribution: one default pick-up point a region, holders' choices of point, a shipment's
//! produced cards sent set-based, each delivery closed once from the state it was read in, a collected card's
//! delivery handed over, a shipment saved over the version read, notices and the outbox, a
//! card's order to be posted (one open a card; a card in the post waits at no point).

use shebao_domain::ids::RegionCode;

use crate::Store;
use crate::records::*;
use crate::tx::Bound;

use super::employment::date;
use super::{NOW, Outcome, conflict, equal, store_err};

fn point(id: &str, default: bool) -> PickupPointRecord {
    PickupPointRecord {
        id: id.into(),
        region: RegionCode::new("330100"),
        kind: "service_centre".into(),
        branch_id: None,
        name: format!("centre {id}"),
        address: "address".into(),
        opening_hours: "9:00-17:00".into(),
        capacity: 10,
        is_default: default,
        created_by: "desk".into(),
        created_at: NOW,
    }
}

/// After `batches_queue_applied_cards_once`: batch `b1` has one card produced.
pub(super) fn deliveries_are_closed_once(store: &Store) -> Outcome {
    store
        .write(|tx| tx.insert_pickup_point(&point("pk1", true)))
        .map_err(store_err)?;
    conflict(
        store.write(|tx| tx.insert_pickup_point(&point("pk2", true))),
        "one default point a region",
    )?;
    let region = RegionCode::new("330100");
    let default = store
        .read(move |tx| tx.default_pickup_point(&region))
        .map_err(store_err)?;
    equal(
        default.map(|p| p.id),
        Some("pk1".to_owned()),
        "the default point",
    )?;
    let shipment = ShipmentRecord {
        id: "sh1".into(),
        batch_id: "b1".into(),
        point_id: "pk1".into(),
        cards: 1,
        status: "in_transit".into(),
        counted: None,
        missing: None,
        shipped_at: NOW,
        received_by: None,
        received_at: None,
        version: 0,
    };
    choices(store)?;
    let saved = shipment.clone();
    let sent = store
        .write(move |tx| {
            tx.insert_shipment(&saved)?;
            tx.send_produced_cards("b1", "sh1", "pk1", Bound::Default)
        })
        .map_err(store_err)?;
    equal(sent, 1, "the produced card sent")?;
    let (waiting, in_transit) = store
        .read(|tx| {
            Ok((
                tx.cards_at_point("pk1")?,
                tx.deliveries_in_transit("sh1", 10)?,
            ))
        })
        .map_err(store_err)?;
    equal(waiting, 1, "one card at the point")?;
    let delivery = in_transit.first().cloned().ok_or("a delivery in transit")?;
    let received = DeliveryRecord {
        status: "received".into(),
        received_on: Some(date("2026-03-01")?),
        ..delivery
    };
    let twice = received.clone();
    store
        .write(move |tx| tx.close_delivery(&received, "in_transit"))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.close_delivery(&twice, "in_transit")),
        "a delivery is closed once from the state read",
    )?;
    mail(store)?;
    let last_day = date("2026-03-01")?;
    let card = store
        .read(move |tx| tx.deliveries_waiting_since("pk1", last_day, 10))
        .map_err(store_err)?
        .first()
        .map(|d| d.card_id.clone())
        .ok_or("a card waiting since the day")?;
    let handed = store
        .write(move |tx| tx.deliver_collected(&card, "teller", NOW))
        .map_err(store_err)?;
    equal(handed, 1, "the collected card's delivery handed over")?;
    let left = store
        .read(|tx| tx.cards_at_point("pk1"))
        .map_err(store_err)?;
    equal(left, 0, "nothing waits at the point")?;
    let counted = ShipmentRecord {
        status: "received".into(),
        counted: Some(1),
        missing: Some(0),
        received_by: Some("teller".into()),
        received_at: Some(NOW),
        ..shipment
    };
    let stale = counted.clone();
    store
        .write(move |tx| tx.save_shipment(&counted))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.save_shipment(&stale)),
        "a shipment is saved over the version read",
    )?;
    devices(store)?;
    destructions(store)?;
    outbox(store)
}

/// A card recalled at a point (its delivery closed as recalled) waits there to be destroyed
/// until it is, once.
fn destructions(store: &Store) -> Outcome {
    let card = store
        .read(|tx| tx.batch_cards("b1", 0, 1))
        .map_err(store_err)?
        .first()
        .map(|row| row.card_id.clone())
        .ok_or("the batch's card")?;
    let shipment = ShipmentRecord {
        id: "sh3".into(),
        batch_id: "b1".into(),
        point_id: "pk3".into(),
        cards: 1,
        status: "received".into(),
        counted: Some(1),
        missing: Some(0),
        shipped_at: NOW,
        received_by: Some("clerk".into()),
        received_at: Some(NOW),
        version: 0,
    };
    let recalled = card.clone();
    store
        .write(move |tx| {
            tx.insert_shipment(&shipment)?;
            tx.execute_unchecked(
                "INSERT INTO deliveries (shipment_id, card_id, point_id, status, received_on, \
                 closed_by, closed_at) VALUES ('sh3', $1, 'pk3', 'recalled', '2026-01-01', \
                 'clerk', 1)",
                &[recalled.as_str().into()],
            )
        })
        .map_err(store_err)?;
    let read = |store: &Store, card: String| {
        store
            .read(move |tx| {
                Ok((
                    tx.recalled_not_destroyed("pk3", 10)?,
                    tx.awaits_destruction("pk3", &card)?,
                    tx.awaits_destruction("pk1", &card)?,
                ))
            })
            .map_err(store_err)
    };
    equal(
        read(store, card.clone())?,
        (vec![card.clone()], true, false),
        "recalled at its point, awaiting destruction there only",
    )?;
    let destruction = CardDestructionRecord {
        card_id: card.clone(),
        point_id: "pk3".into(),
        record_id: "dst1".into(),
        method: "shredded".into(),
        witness: "王五".into(),
        destroyed_by: "clerk".into(),
        destroyed_at: NOW,
    };
    let twice = destruction.clone();
    store
        .write(move |tx| tx.insert_card_destruction(&destruction))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.insert_card_destruction(&twice)),
        "a card is destroyed once",
    )?;
    equal(
        read(store, card)?,
        (Vec::new(), false, false),
        "destroyed: awaits nothing",
    )
}

/// A card received at `pk1` (after `deliveries_are_closed_once` counted it): one open order
/// to post it a card; while it is to be posted it waits for no holder, and once posted it is
/// not at the point at all; an order is saved over the version read; brought back, the card
/// waits again from the day given.
fn mail(store: &Store) -> Outcome {
    let card = store
        .read(|tx| tx.batch_cards("b1", 0, 1))
        .map_err(store_err)?
        .first()
        .map(|row| row.card_id.clone())
        .ok_or("the batch's card")?;
    let order = |id: &str| MailOrderRecord {
        id: id.into(),
        card_id: card.clone(),
        address_cipher: "sealed".into(),
        status: "chosen".into(),
        carrier: None,
        tracking_number: None,
        reason: None,
        chosen_by: "holder".into(),
        chosen_at: NOW,
        posted_by: None,
        posted_at: None,
        closed_by: None,
        closed_at: None,
        version: 0,
    };
    let (first, second) = (order("m1"), order("m2"));
    // Only a card ready for its holder is posted.
    let ready = card.clone();
    store
        .write(move |tx| {
            let id = shebao_domain::ids::CardId::new(&ready);
            if let Some(card) = tx.card(&id)? {
                tx.update_card(&shebao_domain::card::Card {
                    status: shebao_domain::card::CardStatus::ReadyForCollection,
                    ..card
                })?;
            }
            tx.insert_mail_order(&first)
        })
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.insert_mail_order(&second)),
        "one open order a card",
    )?;
    let last_day = date("2026-03-01")?;
    let read = move |store: &Store| {
        store
            .read(move |tx| {
                Ok((
                    tx.mail_orders_at("pk1", 10)?.len(),
                    tx.deliveries_waiting_since("pk1", last_day, 10)?.len(),
                    tx.cards_at_point("pk1")?,
                ))
            })
            .map_err(store_err)
    };
    equal(
        read(store)?,
        (1, 0, 1),
        "to be posted: listed, at the point, waiting for no holder",
    )?;
    let posted = MailOrderRecord {
        status: "posted".into(),
        carrier: Some("EMS".into()),
        tracking_number: Some("EMS1234567890CN".into()),
        posted_by: Some("clerk".into()),
        posted_at: Some(NOW),
        ..order("m1")
    };
    let stale = posted.clone();
    store
        .write(move |tx| tx.save_mail_order(&posted))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.save_mail_order(&stale)),
        "an order is saved over the version read",
    )?;
    equal(read(store)?, (1, 0, 0), "in the post: at no point")?;
    let returned = MailOrderRecord {
        status: "returned".into(),
        reason: Some("nobody at the address".into()),
        closed_by: Some("clerk".into()),
        closed_at: Some(NOW),
        version: 1,
        carrier: Some("EMS".into()),
        tracking_number: Some("EMS1234567890CN".into()),
        posted_by: Some("clerk".into()),
        posted_at: Some(NOW),
        ..order("m1")
    };
    let day = date("2026-02-20")?;
    let restart = card.clone();
    store
        .write(move |tx| {
            tx.save_mail_order(&returned)?;
            tx.restart_wait(&restart, day)
        })
        .map_err(store_err)?;
    equal(
        read(store)?,
        (0, 1, 1),
        "brought back: waits for its holder",
    )?;
    let orders = store
        .read(move |tx| Ok((tx.live_mail_order(&card)?, tx.mail_orders_of_card(&card)?)))
        .map_err(store_err)?;
    equal(orders.0, None, "no open order")?;
    equal(
        orders.1.first().map(|o| (o.status.clone(), o.version)),
        Some(("returned".to_owned(), 2)),
        "the order read back at its last step",
    )
}

/// A holder's choice, replaced by a later one, holds a place at its point and takes its card
/// to it: a point chosen other than the default takes only its own cards, the default its
/// own and those with no choice.
fn choices(store: &Store) -> Outcome {
    let card = store
        .read(|tx| tx.batch_cards("b1", 0, 10))
        .map_err(store_err)?
        .first()
        .map(|row| row.card_id.clone())
        .ok_or("the batch's card")?;
    let bound = |point: &'static str, bound: Bound| {
        store
            .read(move |tx| tx.produced_cards_bound("b1", point, bound))
            .map_err(store_err)
    };
    equal(
        bound("pk1", Bound::Default)?,
        1,
        "an unchosen card goes to the default",
    )?;
    store
        .write(|tx| tx.insert_pickup_point(&point("pk3", false)))
        .map_err(store_err)?;
    let choice = |point: &str| CollectionChoiceRecord {
        card_id: card.clone(),
        point_id: point.into(),
        chosen_by: "holder".into(),
        chosen_at: NOW,
    };
    let first = choice("pk3");
    store
        .write(move |tx| tx.choose_collection_point(&first))
        .map_err(store_err)?;
    let (chosen, taken, except) = {
        let card = card.clone();
        store
            .read(move |tx| {
                Ok((
                    tx.points_chosen_in_batch("b1")?,
                    tx.places_taken("pk3", "")?,
                    tx.places_taken("pk3", &card)?,
                ))
            })
            .map_err(store_err)?
    };
    equal(chosen, vec!["pk3".to_owned()], "the point chosen")?;
    equal(
        (taken, except),
        (1, 0),
        "a choice holds a place, but for its own card",
    )?;
    equal(
        bound("pk3", Bound::Chosen)?,
        1,
        "the chosen point takes its card",
    )?;
    equal(
        bound("pk1", Bound::Default)?,
        0,
        "the default takes no card chosen elsewhere",
    )?;
    let again = choice("pk1");
    store
        .write(move |tx| tx.choose_collection_point(&again))
        .map_err(store_err)?;
    let kept = store
        .read(move |tx| tx.collection_choice(&card))
        .map_err(store_err)?;
    equal(
        kept.map(|c| c.point_id),
        Some("pk1".to_owned()),
        "the later choice replaces the earlier",
    )?;
    equal(
        bound("pk3", Bound::Chosen)?,
        0,
        "the earlier point takes it no more",
    )?;
    equal(
        bound("pk1", Bound::Default)?,
        1,
        "the default takes a card chosen for it",
    )
}

/// A point's device is replaced by the next one registered; a card has one instant issue not
/// failed at a time, reported once (a failed one leaves room for the next), and counts
/// against the point's places while it waits; a card's own personalisation row reads as a
/// batch's would.
fn devices(store: &Store) -> Outcome {
    let (card, product) = store
        .read(|tx| {
            let card = tx
                .batch_cards("b1", 0, 1)?
                .first()
                .map(|r| r.card_id.clone());
            let product = tx.production_batch("b1")?.map(|b| b.product_id);
            Ok((card, product))
        })
        .map_err(store_err)?;
    let (card, product) = (card.ok_or("the batch's card")?, product.ok_or("the batch")?);
    let device = |key: &str| IssuanceDeviceRecord {
        point_id: "pk1".into(),
        product_id: product.clone(),
        revision: 1,
        key_id: format!("dvk-{key}"),
        public_key: key.into(),
        registered_by: "desk".into(),
        registered_at: NOW,
    };
    for key in ["first", "second"] {
        let record = device(key);
        store
            .write(move |tx| tx.register_issuance_device(&record))
            .map_err(store_err)?;
    }
    let kept = store
        .read(|tx| tx.issuance_device("pk1"))
        .map_err(store_err)?;
    equal(
        kept.map(|d| d.key_id),
        Some("dvk-second".to_owned()),
        "the later device replaces the earlier",
    )?;
    let issue = |id: &str| -> Result<InstantIssueRecord, String> {
        Ok(InstantIssueRecord {
            id: id.into(),
            card_id: card.clone(),
            point_id: "pk1".into(),
            device_key_id: "dvk-second".into(),
            product_id: product.clone(),
            revision: 1,
            master_keys: "k1,k2".into(),
            digest: "00".into(),
            valid_until: date("2036-03-01")?,
            manifest: "{}".into(),
            signature: "sig".into(),
            signing_key_id: "bsk-1".into(),
            status: "sealed".into(),
            reason: None,
            issued_by: "teller".into(),
            issued_at: NOW,
            reported_by: None,
            reported_at: None,
        })
    };
    let (first, second) = (issue("i1")?, issue("i2")?);
    let twice = second.clone();
    store
        .write(move |tx| tx.insert_instant_issue(&first))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.insert_instant_issue(&twice)),
        "one live instant issue a card",
    )?;
    let waiting = store
        .read(|tx| tx.cards_at_point("pk1"))
        .map_err(store_err)?;
    equal(waiting, 1, "the card issued on the spot waits at the point")?;
    let failed = InstantIssueRecord {
        status: "failed".into(),
        reason: Some("spoiled".into()),
        reported_by: Some("teller".into()),
        reported_at: Some(NOW),
        ..issue("i1")?
    };
    let again = failed.clone();
    store
        .write(move |tx| tx.report_instant_issue(&failed))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.report_instant_issue(&again)),
        "an issue is reported once",
    )?;
    store
        .write(move |tx| tx.insert_instant_issue(&second))
        .map_err(store_err)?;
    let read = {
        let card = card.clone();
        store
            .read(move |tx| {
                Ok((
                    tx.live_instant_issue(&card)?,
                    tx.personalisation_row_of_card(&card)?,
                ))
            })
            .map_err(store_err)?
    };
    equal(
        read.0.map(|i| i.id),
        Some("i2".to_owned()),
        "the issue after a failed one is the card's live one",
    )?;
    let row = read.1.ok_or("the card's own row")?;
    equal(
        (row.seq, row.card_id.as_str()),
        (0, card.as_str()),
        "the card's own row, at place 0",
    )
}

fn outbox(store: &Store) -> Outcome {
    let person = "p1".to_owned();
    store
        .write(move |tx| {
            tx.insert_notification(&NotificationRecord {
                id: "n1".into(),
                person_id: person.clone(),
                kind: "card_ready".into(),
                detail: "{}".into(),
                created_at: NOW,
            })?;
            tx.insert_sms(&SmsRecord {
                id: "m1".into(),
                person_id: person.clone(),
                template: "card_ready".into(),
                params: "{}".into(),
                status: "queued".into(),
                created_at: NOW,
                sent_at: None,
            })
        })
        .map_err(store_err)?;
    let (notices, queued) = store
        .read(|tx| Ok((tx.notifications_of("p1", 10)?, tx.sms_queued(10)?)))
        .map_err(store_err)?;
    equal(
        (notices.len(), queued.len()),
        (1, 1),
        "a notice and a queued message",
    )?;
    let (first, second) = store
        .write(|tx| Ok((tx.mark_sms_sent("m1", NOW)?, tx.mark_sms_sent("m1", NOW)?)))
        .map_err(store_err)?;
    equal((first, second), (true, false), "a message is sent once")
}
