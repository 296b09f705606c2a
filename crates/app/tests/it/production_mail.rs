//! A card sent by post through the use cases (issue 18, item 5): holders ask for their cards
//! to be posted (the address sealed, masked beyond its city), the cards go to the default
//! point, are counted there without calling their holders, posted with the carrier's
//! tracking number (the holder told), and the carrier's report recorded: one delivered into
//! its holder's hands (the ID number checked) and collected in the holder's own session,
//! one brought back and collected at the counter; a point chosen later withdraws an order.

use shebao_app::card::{CollectRequest, MailedCollect};
use shebao_app::production::{
    BatchCardsQuery, MailChoice, MailPosting, MailReport, PointChoice, ShipmentReceipt,
};
use shebao_domain::access::Role;

use crate::harness::{HOLDER_ID, OTHER_ID, SOCIAL_PIN, World, code};
use crate::production::{batch, desk};
use crate::production_distribution::{all_produced, default_point};
use crate::production_file::{master_keys, passed_gate, sealing_key};

const THIRD_ID: &str = "110101200001010010";
const STREET: &str = "文三路 90 号";

fn address() -> MailChoice {
    MailChoice {
        address: format!("浙江省杭州市西湖区{STREET}"),
        postcode: "310012".into(),
    }
}

fn holders_have_their_cards_posted_delivered_or_brought_back(w: World) {
    let desk = desk(&w);
    let (product_id, staff) = passed_gate(&w, &desk);
    let people: Vec<_> = [HOLDER_ID, OTHER_ID, THIRD_ID]
        .iter()
        .map(|id| w.register(id))
        .collect();
    let cards: Vec<_> = people.iter().map(|p| w.apply(p).unwrap()).collect();
    let holder = w.user(
        "holder-1",
        Role::Cardholder,
        None,
        None,
        Some(&people[0].id),
    );
    let mail = |actor: &shebao_app::Actor, card: &str, choice: MailChoice| {
        w.app.choose_mail_delivery(actor, &w.key(), card, choice)
    };
    // Cards are posted from the region's default point: none yet, no post.
    let early = mail(&holder, &cards[0].id, address());
    assert_eq!(code(early.unwrap_err()), "wrong_state");
    let centre = default_point(&w, &desk);
    let bad = MailChoice {
        postcode: "31001".into(),
        ..address()
    };
    assert_eq!(
        code(mail(&holder, &cards[0].id, bad).unwrap_err()),
        "invalid_request"
    );
    // Another's card is hidden from the holder.
    assert_eq!(
        code(mail(&holder, &cards[1].id, address()).unwrap_err()),
        "not_found"
    );
    let chosen = mail(&holder, &cards[0].id, address()).unwrap();
    let order = chosen.mail.clone().unwrap();
    assert_eq!(order.status, "chosen");
    assert_eq!(order.address, "浙江省杭州市****（31****）");
    assert_eq!(chosen.point.map(|p| p.id), Some(centre.clone()));
    mail(&w.clerk, &cards[1].id, address()).unwrap();
    // The third holder asks for the post, then chooses the point after all.
    mail(&w.clerk, &cards[2].id, address()).unwrap();
    let changed = w
        .app
        .choose_collection_point(
            &w.clerk,
            &w.key(),
            &cards[2].id,
            PointChoice {
                point: centre.clone(),
            },
        )
        .unwrap();
    assert_eq!(changed.mail.map(|m| m.status).as_deref(), Some("withdrawn"));
    // The batch is made, shipped (every card to the default point) and counted there.
    made_and_counted(&w, &desk, &staff, &product_id, &centre);
    let shipment = w.app.point_shipments(&w.clerk, &centre).unwrap().shipments[0].clone();
    assert_eq!(shipment.cards, 3);
    // On its way, the choice is closed.
    assert_eq!(
        code(mail(&holder, &cards[0].id, address()).unwrap_err()),
        "wrong_state"
    );
    // Only the holder who collects at the point is called to it.
    let told = w.app.my_notifications(&holder).unwrap().notifications;
    assert!(told.is_empty(), "{told:?}");
    // The point's clerks see the cards to post, with the addresses for the labels; a
    // branch's teller does not see the centre's list.
    let queue = w.app.mail_queue(&w.clerk, &centre).unwrap();
    assert_eq!(queue.cards.len(), 2);
    assert!(queue.cards.iter().all(|c| c.address.contains(STREET)));
    assert!(queue.cards.iter().all(|c| c.status == "chosen"));
    let read = w.audit_of("production.mail.read", 10);
    assert_eq!(read.len(), 1, "the list's read is a look-up, audited");
    // The address is in no audit record's detail.
    assert!(w.audit_trail().iter().all(|r| !r.detail.contains(STREET)));
    assert_eq!(
        code(w.app.mail_queue(&w.teller, &centre).unwrap_err()),
        "not_found"
    );
    // The holder cannot collect a card not yet delivered.
    let self_collect = |actor: &shebao_app::Actor, card: &str| {
        w.app.collect_mailed_card(
            actor,
            &w.key(),
            card,
            MailedCollect {
                social_pin: SOCIAL_PIN.into(),
            },
        )
    };
    assert_eq!(
        code(self_collect(&holder, &cards[0].id).unwrap_err()),
        "wrong_state"
    );
    let post = |card: &str, tracking: &str| {
        w.app.post_card(
            &w.clerk,
            &w.key(),
            card,
            MailPosting {
                carrier: "中国邮政 EMS".into(),
                tracking_number: tracking.into(),
            },
        )
    };
    let bad_number = post(&cards[0].id, "EMS-1");
    assert_eq!(code(bad_number.unwrap_err()), "invalid_request");
    // A card not to be posted is not posted.
    assert_eq!(
        code(post(&cards[2].id, "EMS1234567890CN").unwrap_err()),
        "wrong_state"
    );
    let posted = post(&cards[0].id, "ems1234567890cn").unwrap();
    assert_eq!(
        (posted.status.as_str(), posted.tracking_number.as_deref()),
        ("posted", Some("EMS1234567890CN"))
    );
    assert_eq!(
        code(post(&cards[0].id, "EMS1234567890CN").unwrap_err()),
        "wrong_state",
        "posted once"
    );
    post(&cards[1].id, "EMS0000000001CN").unwrap();
    // The holder is told, with the tracking number; the cards in the post wait at no point.
    let told = w.app.my_notifications(&holder).unwrap().notifications;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].kind, "card_posted");
    assert_eq!(
        told[0].detail.tracking_number.as_deref(),
        Some("EMS1234567890CN")
    );
    assert_eq!(
        w.app
            .point_shipments(&w.clerk, &centre)
            .unwrap()
            .point
            .waiting,
        1
    );
    // A card in the post is not handed over at the counter.
    let counter = |card: &str, citizen: &str| {
        w.app.collect_card(
            &w.clerk,
            &w.key(),
            card,
            CollectRequest {
                citizen_id: citizen.into(),
                social_pin: SOCIAL_PIN.into(),
            },
        )
    };
    assert_eq!(
        code(counter(&cards[0].id, HOLDER_ID).unwrap_err()),
        "wrong_state"
    );
    let report = |card: &str, outcome: &str, citizen: Option<&str>, reason: Option<&str>| {
        w.app.report_mail_delivery(
            &w.clerk,
            &w.key(),
            card,
            MailReport {
                outcome: outcome.into(),
                citizen_id: citizen.map(Into::into),
                reason: reason.map(Into::into),
            },
        )
    };
    // Delivered into the hands of someone else: refused.
    assert_eq!(
        code(report(&cards[0].id, "delivered", Some(OTHER_ID), None).unwrap_err()),
        "identity_mismatch"
    );
    assert_eq!(
        code(report(&cards[0].id, "delivered", None, None).unwrap_err()),
        "invalid_request"
    );
    let delivered = report(&cards[0].id, "delivered", Some(HOLDER_ID), None).unwrap();
    assert_eq!(delivered.status, "delivered");
    assert_eq!(
        code(report(&cards[0].id, "returned", None, Some("无人签收")).unwrap_err()),
        "wrong_state",
        "reported once"
    );
    // The holder collects it in their own session, choosing the social PIN; nobody else.
    let other_holder = w.user(
        "holder-2",
        Role::Cardholder,
        None,
        None,
        Some(&people[1].id),
    );
    assert_eq!(
        code(self_collect(&other_holder, &cards[0].id).unwrap_err()),
        "not_found"
    );
    assert_eq!(
        code(self_collect(&w.clerk, &cards[0].id).unwrap_err()),
        "forbidden"
    );
    let collected = self_collect(&holder, &cards[0].id).unwrap();
    assert_eq!(collected.status, "collected");
    // The second card comes back: it waits at the point for its holder, who is told, and
    // is handed over at the counter after the identity check.
    let returned = report(&cards[1].id, "returned", None, Some("地址无人签收")).unwrap();
    assert_eq!(
        (returned.status.as_str(), returned.reason.as_deref()),
        ("returned", Some("地址无人签收"))
    );
    let told = w.app.my_notifications(&other_holder).unwrap().notifications;
    let mut kinds: Vec<_> = told.iter().map(|n| n.kind.as_str()).collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["card_posted", "card_ready"]);
    assert_eq!(
        code(self_collect(&other_holder, &cards[1].id).unwrap_err()),
        "wrong_state"
    );
    assert_eq!(counter(&cards[1].id, OTHER_ID).unwrap().status, "collected");
    assert!(
        w.app
            .mail_queue(&w.clerk, &centre)
            .unwrap()
            .cards
            .is_empty()
    );
    let view = w.app.collection_point(&holder, &cards[0].id).unwrap();
    assert_eq!(view.mail.map(|m| m.status).as_deref(), Some("delivered"));
}

/// The batch of every applied card made, shipped and counted at the default point.
fn made_and_counted(
    w: &World,
    desk: &shebao_app::Actor,
    staff: &shebao_app::Actor,
    product: &str,
    centre: &str,
) {
    master_keys(w, desk);
    sealing_key(w, staff);
    let made = batch(w, desk, product, 10).unwrap();
    w.app
        .generate_personalisation_file(desk, &w.key(), &made.id, &mut |_, _| {})
        .unwrap();
    let rows = w
        .app
        .production_batch_cards(desk, &made.id, BatchCardsQuery::default())
        .unwrap();
    all_produced(w, staff, &made.id, &rows);
    w.app
        .ship_production_batch(staff, &w.key(), &made.id)
        .unwrap();
    let shipment = w.app.point_shipments(&w.clerk, centre).unwrap().shipments[0].clone();
    w.app
        .receive_shipment(
            &w.clerk,
            &w.key(),
            &shipment.id,
            ShipmentReceipt {
                counted: shipment.cards,
                missing: vec![],
            },
        )
        .unwrap();
}

/// A card made at the window is collected there (no post); a renewal the carrier loses is
/// cancelled and made again, posted anew to the same address, the old card working on until
/// the new one is collected; a card cancelled in the post stays in the post until the
/// carrier brings it back, to be destroyed at the point.
fn a_card_lost_in_the_post_is_made_again_and_a_cancelled_one_comes_back(w: World) {
    let desk = desk(&w);
    let (product_id, staff) = passed_gate(&w, &desk);
    let centre = default_point(&w, &desk);
    let cards: Vec<_> = [HOLDER_ID, OTHER_ID, THIRD_ID]
        .iter()
        .map(|id| w.apply(&w.register(id)).unwrap())
        .collect();
    let mail = |card: &str| {
        w.app
            .choose_mail_delivery(&w.clerk, &w.key(), card, address())
    };
    for card in &cards {
        mail(&card.id).unwrap();
    }
    // The third is made at the window: the post is closed to it, its order withdrawn.
    w.app
        .start_production(&w.clerk, &w.key(), &cards[2].id)
        .unwrap();
    assert_eq!(code(mail(&cards[2].id).unwrap_err()), "wrong_state");
    w.app
        .mark_ready(
            &w.clerk,
            &w.key(),
            &cards[2].id,
            shebao_app::card::ReadyRequest {
                distribution_point: "西湖区窗口".into(),
            },
        )
        .unwrap();
    let at_window = w.app.collection_point(&w.clerk, &cards[2].id).unwrap();
    assert_eq!(
        at_window.mail.map(|m| m.status).as_deref(),
        Some("withdrawn")
    );
    // Its holder collects it there, then asks for a renewal, to be posted.
    w.app
        .collect_card(
            &w.clerk,
            &w.key(),
            &cards[2].id,
            CollectRequest {
                citizen_id: THIRD_ID.into(),
                social_pin: SOCIAL_PIN.into(),
            },
        )
        .unwrap();
    let renewal = w
        .app
        .request_renewal(
            &w.clerk,
            &w.key(),
            &cards[2].id,
            shebao_app::card::RenewalRequest {
                reason: "卡面磨损".into(),
                bank_id: None,
            },
        )
        .unwrap();
    mail(&renewal.id).unwrap();
    made_and_counted(&w, &desk, &staff, &product_id, &centre);
    for (card, number) in [
        (&cards[0], "EMS2000000001CN"),
        (&cards[1], "EMS2000000002CN"),
        (&renewal, "EMS2000000003CN"),
    ] {
        w.app
            .post_card(
                &w.clerk,
                &w.key(),
                &card.id,
                MailPosting {
                    carrier: "EMS".into(),
                    tracking_number: number.into(),
                },
            )
            .unwrap();
    }
    // In the post, the list no longer shows the label's address.
    let queue = w.app.mail_queue(&w.clerk, &centre).unwrap();
    assert_eq!(queue.cards.len(), 3);
    assert!(queue.cards.iter().all(|c| !c.address.contains(STREET)));
    let report = |card: &str, outcome: &str| {
        w.app.report_mail_delivery(
            &w.clerk,
            &w.key(),
            card,
            MailReport {
                outcome: outcome.into(),
                citizen_id: None,
                reason: Some("邮件在分拣中心遗失".into()),
            },
        )
    };
    // A first card lost: made again under new numbers, to be posted to the same address.
    let lost = report(&cards[0].id, "lost").unwrap();
    assert_eq!(lost.status, "lost");
    let old = w.app.card(&w.clerk, &cards[0].id).unwrap();
    assert_eq!(old.status, "cancelled");
    let again = old.replaced_by.unwrap();
    let remade = w.app.card(&w.clerk, &again).unwrap();
    assert_eq!((remade.status.as_str(), remade.replaces), ("applied", None));
    let order = w
        .app
        .collection_point(&w.clerk, &again)
        .unwrap()
        .mail
        .unwrap();
    assert_eq!(
        (order.status.as_str(), order.address.as_str()),
        ("chosen", "浙江省杭州市****（31****）")
    );
    // A renewal lost: the new card renews the old one, which works on meanwhile.
    report(&renewal.id, "lost").unwrap();
    let lost_renewal = w.app.card(&w.clerk, &renewal.id).unwrap();
    let renewed_again = lost_renewal.replaced_by.unwrap();
    let next = w.app.card(&w.clerk, &renewed_again).unwrap();
    assert_eq!(next.replaces.as_deref(), Some(cards[2].id.as_str()));
    let first = w.app.card(&w.clerk, &cards[2].id).unwrap();
    assert_eq!(
        (first.status.as_str(), first.replaced_by.as_deref()),
        ("collected", Some(renewed_again.as_str()))
    );
    // Cancelled in the post, a card stays in the post until the carrier brings it back;
    // then it is taken back at the point, to be destroyed.
    w.app
        .cancel_card(
            &w.clerk,
            &w.key(),
            &cards[1].id,
            shebao_app::card::CancelRequest {
                reason: "持卡人迁出本市".into(),
            },
        )
        .unwrap();
    let cancelled = w.app.collection_point(&w.clerk, &cards[1].id).unwrap();
    assert_eq!(cancelled.mail.map(|m| m.status).as_deref(), Some("posted"));
    assert!(
        w.app
            .recalled_cards(&w.clerk, &centre)
            .unwrap()
            .cards
            .is_empty(),
        "a card in the post is not at the point"
    );
    report(&cards[1].id, "returned").unwrap();
    let recalled = w.app.recalled_cards(&w.clerk, &centre).unwrap();
    assert_eq!(
        recalled
            .cards
            .iter()
            .map(|c| c.card_id.as_str())
            .collect::<Vec<_>>(),
        [cards[1].id.as_str()]
    );
    assert!(
        w.app
            .mail_queue(&w.clerk, &centre)
            .unwrap()
            .cards
            .is_empty()
    );
}

crate::on_both_backends!(
    holders_have_their_cards_posted_delivered_or_brought_back,
    a_card_lost_in_the_post_is_made_again_and_a_cancelled_one_comes_back,
);
