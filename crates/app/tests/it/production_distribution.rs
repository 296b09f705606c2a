//! Distribution through the use cases (issue 18, item 5): a region's pick-up points (one
//! default), a shipped batch's cards sent to the default point, counted there once with a
//! card missing (made again), the holders told (notice and queued text message), a card
//! collected, and one left uncollected past the region's period recalled.

use shebao_app::card::CardApplication;
use shebao_app::card::CollectRequest;
use shebao_app::production::{
    BatchCardsQuery, CardResultBody, Destruction, NewPickupPoint, PointChoice, PointQuery,
    ResultsReport, ShipmentReceipt, SmsSent,
};
use shebao_domain::access::Role;

use crate::harness::{HOLDER_ID, OTHER_ID, SOCIAL_PIN, World, code};
use crate::production::{batch, desk};
use crate::production_file::{master_keys, passed_gate, sealing_key};

fn point(kind: &str, branch: Option<&str>, default: bool) -> NewPickupPoint {
    NewPickupPoint {
        region: "330100".into(),
        kind: kind.into(),
        branch: branch.map(Into::into),
        name: format!("{kind} 上城"),
        address: "杭州市上城区解放路 1 号".into(),
        opening_hours: "周一至周五 9:00-17:00".into(),
        capacity: 500,
        default,
    }
}

/// Hangzhou's pick-up points, as `actor` reads them.
pub(crate) fn hangzhou_points(
    w: &World,
    actor: &shebao_app::Actor,
) -> Vec<shebao_app::production::PointView> {
    w.app
        .pickup_points(
            actor,
            PointQuery {
                region: "330100".into(),
            },
        )
        .unwrap()
}

/// The vendor reports every card of `batch` produced.
pub(crate) fn all_produced(
    w: &World,
    staff: &shebao_app::Actor,
    batch: &str,
    cards: &[shebao_app::production::BatchCardView],
) {
    let report = ResultsReport {
        results: cards
            .iter()
            .map(|c| CardResultBody {
                identification_code: c.identification_code.clone(),
                outcome: "produced".into(),
                reason: None,
            })
            .collect(),
    };
    w.app
        .report_production_results(staff, &w.key(), batch, report)
        .unwrap();
}

/// The region's default pick-up point: a service centre of the bureau.
pub(crate) fn default_point(w: &World, desk: &shebao_app::Actor) -> String {
    w.app
        .register_pickup_point(desk, &w.key(), point("service_centre", None, true))
        .unwrap()
        .id
}

fn a_shipment_is_counted_at_its_point_and_its_cards_collected_or_recalled(w: World) {
    let desk = desk(&w);
    let (product_id, staff) = passed_gate(&w, &desk);
    let ids = [
        HOLDER_ID,
        OTHER_ID,
        "110101200001010010",
        "33010619800101003X",
    ];
    let people: Vec<_> = ids.iter().map(|id| w.register(id)).collect();
    for person in &people {
        w.apply(person).unwrap();
    }
    master_keys(&w, &desk);
    sealing_key(&w, &staff);
    let made = batch(&w, &desk, &product_id, 10).unwrap();
    let file = w
        .app
        .generate_personalisation_file(&desk, &w.key(), &made.id, &mut |_, _| {})
        .unwrap();
    let cards = w
        .app
        .production_batch_cards(&desk, &made.id, BatchCardsQuery::default())
        .unwrap();
    // The batch's cards by their holder: the first collects, the second never comes, the
    // third's card goes missing.
    let of = |person: usize| {
        cards
            .iter()
            .find(|c| w.app.card(&w.clerk, &c.card_id).unwrap().person_id == people[person].id)
            .unwrap()
            .clone()
    };
    let (holder_card, left, lost, withdrawn) = (of(0), of(1), of(2), of(3));
    all_produced(&w, &staff, &made.id, &cards);
    // Nowhere to send them yet.
    let unsent = w.app.ship_production_batch(&staff, &w.key(), &made.id);
    assert_eq!(code(unsent.unwrap_err()), "wrong_state");
    let centre = w
        .app
        .register_pickup_point(&desk, &w.key(), point("service_centre", None, true))
        .unwrap();
    // Every bank's cards go to the default point: it is the bureau's, not a bank's.
    let branch_default =
        w.app
            .register_pickup_point(&desk, &w.key(), point("bank_branch", Some("icbc-1"), true));
    assert_eq!(code(branch_default.unwrap_err()), "invalid_request");
    let branch = w
        .app
        .register_pickup_point(&desk, &w.key(), point("bank_branch", Some("icbc-1"), false))
        .unwrap();
    let second = w
        .app
        .register_pickup_point(&desk, &w.key(), point("service_centre", None, true));
    assert_eq!(
        code(second.unwrap_err()),
        "conflict",
        "one default a region"
    );
    let bad =
        w.app
            .register_pickup_point(&desk, &w.key(), point("bank_branch", Some("abc-1"), false));
    assert_eq!(
        code(bad.unwrap_err()),
        "invalid_request",
        "a branch of another region"
    );
    w.app
        .ship_production_batch(&staff, &w.key(), &made.id)
        .unwrap();
    let at_point = w.app.point_shipments(&w.clerk, &centre.id).unwrap();
    assert_eq!(at_point.point.waiting, 4);
    let shipment = at_point.shipments[0].clone();
    assert_eq!(
        (shipment.cards, shipment.status.as_str()),
        (4, "in_transit")
    );
    // A clerk serves service centres, not a bank's branch.
    let foreign = w.app.point_shipments(&w.clerk, &branch.id);
    assert_eq!(code(foreign.unwrap_err()), "not_found");
    w.app
        .cancel_card(
            &w.clerk,
            &w.key(),
            &withdrawn.card_id,
            shebao_app::card::CancelRequest {
                reason: "持卡人迁出本市".into(),
            },
        )
        .unwrap();
    let receipt = |counted: i64, missing: Vec<String>| ShipmentReceipt { counted, missing };
    // A teller counts at their own branch's point only.
    let by_teller = w
        .app
        .receive_shipment(&w.teller, &w.key(), &shipment.id, receipt(3, vec![]));
    assert_eq!(code(by_teller.unwrap_err()), "not_found");
    // The count must account for every card sent.
    let short = w.app.receive_shipment(
        &w.clerk,
        &w.key(),
        &shipment.id,
        receipt(4, vec![lost.identification_code.clone()]),
    );
    assert_eq!(code(short.unwrap_err()), "invalid_request");
    let counted = w
        .app
        .receive_shipment(
            &w.clerk,
            &w.key(),
            &shipment.id,
            receipt(3, vec![lost.identification_code.to_lowercase()]),
        )
        .unwrap();
    assert_eq!(
        (counted.status.as_str(), counted.counted, counted.missing),
        ("received", Some(3), Some(1))
    );
    // The card cancelled on the way is counted and taken back at once: nobody is told.
    assert_eq!(
        w.app
            .point_shipments(&desk, &centre.id)
            .unwrap()
            .point
            .waiting,
        2
    );
    let again = w
        .app
        .receive_shipment(&w.clerk, &w.key(), &shipment.id, receipt(3, vec![]));
    assert_eq!(code(again.unwrap_err()), "wrong_state");
    let ready = w.app.card(&w.clerk, &holder_card.card_id).unwrap();
    assert_eq!(ready.status, "ready_for_collection");
    assert_eq!(ready.expires_on.as_deref(), Some(file.valid_until.as_str()));
    // The missing card is never made again under its numbers: it is cancelled, and a new
    // application with numbers of its own takes its place.
    let gone = w.app.card(&w.clerk, &lost.card_id).unwrap();
    assert_eq!(gone.status, "cancelled");
    let remade = w
        .app
        .cards_of_person(&w.clerk, &people[2].id)
        .unwrap()
        .into_iter()
        .find(|c| c.status == "applied")
        .unwrap();
    assert_ne!(remade.identification_code, lost.identification_code);
    let outbox = w.app.sms_outbox(&w.admin).unwrap();
    assert_eq!(outbox.queued.len(), 2);
    assert!(outbox.queued.iter().all(|m| m.template == "card_ready"));
    // The first holder collects at the point, with the identity check (not at a bank's
    // counter: the card waits at the bureau's point); the second does not come.
    let collect = |actor: &shebao_app::Actor| {
        w.app.collect_card(
            actor,
            &w.key(),
            &holder_card.card_id,
            CollectRequest {
                citizen_id: HOLDER_ID.into(),
                social_pin: SOCIAL_PIN.into(),
            },
        )
    };
    assert_eq!(code(collect(&w.teller).unwrap_err()), "not_found");
    collect(&w.clerk).unwrap();
    assert_eq!(
        w.app
            .point_shipments(&desk, &centre.id)
            .unwrap()
            .point
            .waiting,
        1
    );
    let holder = w.user(
        "holder-1",
        Role::Cardholder,
        None,
        None,
        Some(&people[0].id),
    );
    let notices = w.app.my_notifications(&holder).unwrap().notifications;
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].kind, "card_ready");
    assert_eq!(
        notices[0].detail.card_number.as_deref(),
        Some(holder_card.card_number.as_str())
    );
    assert_eq!(
        outbox.queued[0].params.card_number, None,
        "a text names no card"
    );
    // Past the region's period (180 days), the card left is uncollected and recalled.
    assert!(
        w.app
            .uncollected_cards(&w.clerk, &centre.id)
            .unwrap()
            .cards
            .is_empty()
    );
    let received = w.app.now();
    w.clock.set(received.add_seconds(180 * 86_400));
    let last_day = w.app.uncollected_cards(&desk, &centre.id).unwrap();
    assert!(last_day.cards.is_empty(), "the period's last day");
    w.clock.set(received.add_seconds(181 * 86_400));
    let late = w.app.uncollected_cards(&desk, &centre.id).unwrap();
    assert_eq!(late.period_days, Some(180));
    assert_eq!(
        late.cards
            .iter()
            .map(|c| c.card_id.as_str())
            .collect::<Vec<_>>(),
        vec![left.card_id.as_str()]
    );
    let recalled = w
        .app
        .recall_uncollected(&w.clerk, &w.key(), &centre.id)
        .unwrap();
    assert_eq!(recalled.recalled, 1);
    assert_eq!(
        w.app.card(&w.clerk, &left.card_id).unwrap().status,
        "cancelled"
    );
    assert!(
        w.app
            .uncollected_cards(&w.auditor, &centre.id)
            .unwrap()
            .cards
            .is_empty()
    );
    // Both cards taken back at the point (the one cancelled on its way, the one left) wait
    // there to be destroyed, once, with a record, by the point's own staff.
    let recalled = w.app.recalled_cards(&desk, &centre.id).unwrap();
    let mut ids: Vec<String> = recalled.cards.iter().map(|c| c.card_id.clone()).collect();
    ids.sort();
    let mut expected = vec![withdrawn.card_id.clone(), left.card_id.clone()];
    expected.sort();
    assert_eq!(ids, expected);
    let destroy = |actor: &shebao_app::Actor, cards: Vec<String>| {
        w.app.destroy_cards(
            actor,
            &w.key(),
            &centre.id,
            Destruction {
                cards,
                method: "shredded".into(),
                witness: "王五".into(),
            },
        )
    };
    assert_eq!(
        code(destroy(&w.teller, ids.clone()).unwrap_err()),
        "not_found"
    );
    assert_eq!(
        code(destroy(&w.clerk, vec![holder_card.card_id.clone()]).unwrap_err()),
        "invalid_request",
        "a collected card is not destroyed"
    );
    let record = destroy(&w.clerk, ids.clone()).unwrap();
    assert_eq!((record.destroyed, record.method.as_str()), (2, "shredded"));
    assert_eq!(
        code(destroy(&w.clerk, ids).unwrap_err()),
        "invalid_request",
        "destroyed once"
    );
    assert!(
        w.app
            .recalled_cards(&w.auditor, &centre.id)
            .unwrap()
            .cards
            .is_empty()
    );
    let points = hangzhou_points(&w, &holder);
    assert_eq!(points.len(), 2);
    assert!(points.iter().all(|p| p.waiting == 0));
    // The gateway reports what it sent.
    let ids = outbox.queued.iter().map(|m| m.id.clone()).collect();
    let sent = w
        .app
        .mark_sms_sent(&w.admin, &w.key(), SmsSent { ids })
        .unwrap();
    assert_eq!(sent, 2);
    assert!(w.app.sms_outbox(&w.admin).unwrap().queued.is_empty());
}

/// Holders choose their point while their cards are applied for or made: a branch of their
/// card's own bank or a service centre of their region, with a place free; the batch ships
/// a shipment to each point chosen and the rest to the default point; the branch's tellers
/// count and hand over there, the bureau's clerks do not; once shipped, the choice is closed.
fn holders_choose_their_point_and_the_batch_ships_to_each(w: World) {
    let desk = desk(&w);
    let (product_id, staff) = passed_gate(&w, &desk);
    let people: Vec<_> = [HOLDER_ID, OTHER_ID, "110101200001010010"]
        .iter()
        .map(|id| w.register(id))
        .collect();
    let cards: Vec<_> = people.iter().map(|p| w.apply(p).unwrap()).collect();
    let abc_card = w
        .app
        .apply_card(
            &w.clerk,
            &w.key(),
            CardApplication {
                person_id: w.register("33010619800101003X").id,
                bank_id: "abc".into(),
                region: "330100".into(),
            },
        )
        .unwrap();
    // The default point has one place, yet takes every card nobody chose another point for,
    // and any holder who chooses it.
    let centre = w
        .app
        .register_pickup_point(
            &desk,
            &w.key(),
            NewPickupPoint {
                capacity: 1,
                ..point("service_centre", None, true)
            },
        )
        .unwrap()
        .id;
    let branch = w
        .app
        .register_pickup_point(
            &desk,
            &w.key(),
            NewPickupPoint {
                capacity: 1,
                ..point("bank_branch", Some("icbc-1"), false)
            },
        )
        .unwrap();
    let choose = |actor: &shebao_app::Actor, card: &str, point: &str| {
        w.app.choose_collection_point(
            actor,
            &w.key(),
            card,
            PointChoice {
                point: point.into(),
            },
        )
    };
    // Unchosen, a card goes to the region's default point.
    let before = w.app.collection_point(&w.clerk, &cards[0].id).unwrap();
    assert_eq!(
        (before.point.map(|p| p.id), before.chosen, before.open),
        (Some(centre.clone()), false, true)
    );
    // The holder chooses the branch of their card's bank for themselves; the place it takes
    // is the branch's only one.
    let holder = w.user(
        "holder-1",
        Role::Cardholder,
        None,
        None,
        Some(&people[0].id),
    );
    let chosen = choose(&holder, &cards[0].id, &branch.id).unwrap();
    assert_eq!(
        (chosen.point.map(|p| p.id), chosen.chosen),
        (Some(branch.id.clone()), true)
    );
    let full = choose(&w.clerk, &cards[1].id, &branch.id);
    assert_eq!(code(full.unwrap_err()), "point_full");
    // Choosing again keeps the holder's own place.
    choose(&holder, &cards[0].id, &branch.id).unwrap();
    // Another's card is hidden from the holder; another bank's card goes to no icbc branch;
    // a point of another region (or none) is not found.
    let foreign = choose(&holder, &cards[1].id, &centre);
    assert_eq!(code(foreign.unwrap_err()), "not_found");
    let other_bank = choose(&w.clerk, &abc_card.id, &branch.id);
    assert_eq!(code(other_bank.unwrap_err()), "wrong_state");
    let nowhere = choose(&w.clerk, &cards[1].id, "pkp_no_such_point");
    assert_eq!(code(nowhere.unwrap_err()), "not_found");
    let elsewhere = w
        .app
        .register_pickup_point(
            &desk,
            &w.key(),
            NewPickupPoint {
                region: "440300".into(),
                ..point("service_centre", None, false)
            },
        )
        .unwrap();
    let other_region = choose(&w.clerk, &cards[1].id, &elsewhere.id);
    assert_eq!(code(other_region.unwrap_err()), "not_found");
    // The clerk chooses the service centre for the second holder (the default, chosen: it
    // is never full), a community centre for the third.
    choose(&w.clerk, &cards[1].id, &centre).unwrap();
    let community = w
        .app
        .register_pickup_point(
            &desk,
            &w.key(),
            NewPickupPoint {
                name: "社区服务中心".into(),
                ..point("service_centre", None, false)
            },
        )
        .unwrap();
    choose(&w.clerk, &cards[2].id, &community.id).unwrap();

    master_keys(&w, &desk);
    sealing_key(&w, &staff);
    let made = batch(&w, &desk, &product_id, 10).unwrap();
    w.app
        .generate_personalisation_file(&desk, &w.key(), &made.id, &mut |_, _| {})
        .unwrap();
    let batch_cards = w
        .app
        .production_batch_cards(&desk, &made.id, BatchCardsQuery::default())
        .unwrap();
    assert_eq!(batch_cards.len(), 4);
    // Still being made: the choice may change.
    assert!(w.app.collection_point(&holder, &cards[0].id).unwrap().open);
    all_produced(&w, &staff, &made.id, &batch_cards);
    w.app
        .ship_production_batch(&staff, &w.key(), &made.id)
        .unwrap();
    // One shipment to the branch and one to the community centre (their one card each),
    // one to the default centre (the two others: one chosen, one not).
    let at_branch = w.app.point_shipments(&w.teller, &branch.id).unwrap();
    assert_eq!(
        (at_branch.shipments.len(), at_branch.shipments[0].cards),
        (1, 1)
    );
    let at_centre = w.app.point_shipments(&w.clerk, &centre).unwrap();
    assert_eq!(
        (at_centre.shipments.len(), at_centre.shipments[0].cards),
        (1, 2)
    );
    // The community centre's card goes missing: made again, it keeps its holder's choice.
    let at_community = w.app.point_shipments(&w.clerk, &community.id).unwrap();
    assert_eq!(at_community.shipments[0].cards, 1);
    w.app
        .receive_shipment(
            &w.clerk,
            &w.key(),
            &at_community.shipments[0].id,
            ShipmentReceipt {
                counted: 0,
                missing: vec![cards[2].identification_code.clone()],
            },
        )
        .unwrap();
    let remade = w
        .app
        .cards_of_person(&w.clerk, &people[2].id)
        .unwrap()
        .into_iter()
        .find(|c| c.status == "applied")
        .unwrap();
    let kept = w.app.collection_point(&w.clerk, &remade.id).unwrap();
    assert_eq!(
        (kept.point.map(|p| p.id), kept.chosen, kept.open),
        (Some(community.id.clone()), true, true)
    );
    // A card applied for now finds the branch's one place taken by the card waiting there.
    let late = w
        .app
        .apply_card(
            &w.clerk,
            &w.key(),
            CardApplication {
                person_id: w.register("11010519491231002X").id,
                bank_id: "icbc".into(),
                region: "330100".into(),
            },
        )
        .unwrap();
    assert_eq!(
        code(choose(&w.clerk, &late.id, &branch.id).unwrap_err()),
        "point_full"
    );
    // Two cards wait at the default point of one place: it takes the late card all the same.
    choose(&w.clerk, &late.id, &centre).unwrap();
    let closed = choose(&holder, &cards[0].id, &centre);
    assert_eq!(code(closed.unwrap_err()), "wrong_state");
    let after = w.app.collection_point(&holder, &cards[0].id).unwrap();
    assert_eq!(
        (after.point.map(|p| p.id), after.open),
        (Some(branch.id.clone()), false)
    );
    // The branch's teller counts its shipment and hands the card over; a clerk may not.
    let by_clerk = w.app.receive_shipment(
        &w.clerk,
        &w.key(),
        &at_branch.shipments[0].id,
        ShipmentReceipt {
            counted: 1,
            missing: vec![],
        },
    );
    assert_eq!(code(by_clerk.unwrap_err()), "not_found");
    w.app
        .receive_shipment(
            &w.teller,
            &w.key(),
            &at_branch.shipments[0].id,
            ShipmentReceipt {
                counted: 1,
                missing: vec![],
            },
        )
        .unwrap();
    let collect = |actor: &shebao_app::Actor| {
        w.app.collect_card(
            actor,
            &w.key(),
            &cards[0].id,
            CollectRequest {
                citizen_id: HOLDER_ID.into(),
                social_pin: SOCIAL_PIN.into(),
            },
        )
    };
    assert_eq!(code(collect(&w.clerk).unwrap_err()), "not_found");
    assert_eq!(collect(&w.teller).unwrap().status, "collected");
    let points = hangzhou_points(&w, &holder);
    let branch_now = points.iter().find(|p| p.id == branch.id).unwrap();
    assert_eq!(branch_now.waiting, 0);
    // The branch's place is free again: the late card takes it.
    choose(&w.clerk, &late.id, &branch.id).unwrap();
}

crate::on_both_backends!(
    a_shipment_is_counted_at_its_point_and_its_cards_collected_or_recalled,
    holders_choose_their_point_and_the_batch_ships_to_each,
);
