//! Instant issuance through the use cases (issue 18, item 5): the desk equips a bank
//! branch's point with a device; the branch's teller personalises an applied card of their
//! bank on the spot — the card's data and keys sealed to the device, the manifest signed by
//! the bureau, the gate and the vendor's standing checked as for a batch — the device
//! reports a spoiled blank (the card issued anew) then the card made, and the teller hands
//! it over after the identity check.

use shebao_app::card::CollectRequest;
use shebao_app::production::{
    InstantIssueReport, NewIssuanceDevice, NewPickupPoint, ProductChangeRequest, instant_context,
};
use shebao_domain::production::KeyPurpose;

use crate::harness::{HOLDER_ID, OTHER_ID, SOCIAL_PIN, World, code};
use crate::production::desk;
use crate::production_distribution::{default_point, hangzhou_points};
use crate::production_file::{assert_signed_by_the_bureau, master_keys, passed_gate};

fn branch_point(w: &World, desk: &shebao_app::Actor) -> String {
    w.app
        .register_pickup_point(
            desk,
            &w.key(),
            NewPickupPoint {
                region: "330100".into(),
                kind: "bank_branch".into(),
                branch: Some("icbc-1".into()),
                name: "工行杭州分行营业部".into(),
                address: "杭州市上城区解放路 1 号".into(),
                opening_hours: "周一至周五 9:00-17:00".into(),
                capacity: 100,
                default: false,
            },
        )
        .unwrap()
        .id
}

fn a_branch_issues_a_card_on_the_spot_from_the_same_gate_and_keys(w: World) {
    let desk = desk(&w);
    let (product_id, _staff) = passed_gate(&w, &desk);
    master_keys(&w, &desk);
    let centre = default_point(&w, &desk);
    let branch = branch_point(&w, &desk);
    let holder = w.register(HOLDER_ID);
    let card = w.apply(&holder).unwrap();
    let other = w.apply(&w.register(OTHER_ID)).unwrap();
    let issue =
        |actor: &shebao_app::Actor, card: &str| w.app.issue_instantly(actor, &w.key(), card);
    // Not before the branch is equipped; never by a clerk.
    assert_eq!(code(issue(&w.teller, &card.id).unwrap_err()), "wrong_state");
    assert_eq!(code(issue(&w.clerk, &card.id).unwrap_err()), "forbidden");
    let (private_key, public_key) = shebao_app::keystore::new_sealing_key_pair();
    let device = |point: &str| {
        w.app.register_issuance_device(
            &desk,
            &w.key(),
            point,
            NewIssuanceDevice {
                public_key: public_key.clone(),
                product: product_id.clone(),
            },
        )
    };
    assert_eq!(
        code(device(&centre).unwrap_err()),
        "wrong_state",
        "a service centre issues no card on the spot"
    );
    device(&branch).unwrap();
    let points = hangzhou_points(&w, &w.teller);
    assert!(points.iter().any(|p| p.id == branch && p.instant_issuance));
    // Another bank's teller does not see the card.
    assert_eq!(
        code(issue(&w.other_teller, &card.id).unwrap_err()),
        "not_found"
    );
    let issued = issue(&w.teller, &card.id).unwrap();
    assert_eq!(issued.point_id, branch);
    assert_eq!(issued.master_keys.len(), KeyPurpose::ALL.len());
    // The device opens what was sealed to it: the card's data and its own five keys.
    let plain = shebao_app::keystore::open_sealed_text(
        &private_key,
        &issued.sealed,
        instant_context(&card.id).as_bytes(),
    )
    .unwrap();
    let line: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(
        line["card"]["identification_code"],
        card.identification_code
    );
    assert_eq!(line["card"]["citizen_id"], HOLDER_ID);
    assert_eq!(line["card"]["valid_until"], issued.valid_until);
    assert_eq!(
        line["keys"].as_object().unwrap().len(),
        KeyPurpose::ALL.len()
    );
    // Opened as another card's issue, it does not open.
    assert!(
        shebao_app::keystore::open_sealed_text(
            &private_key,
            &issued.sealed,
            instant_context(&other.id).as_bytes(),
        )
        .is_err()
    );
    // The manifest is the bureau's: its signature checks with the bureau's public key, and
    // it names what was sealed.
    assert_signed_by_the_bureau(&w, &desk, &issued.manifest, &issued.signature);
    let manifest: serde_json::Value = serde_json::from_str(&issued.manifest).unwrap();
    assert_eq!(manifest["sha256"], issued.digest);
    assert_eq!(manifest["card"], card.id);
    assert_eq!(manifest["device_key"], issued.device_key_id);
    // In production until the device reports: the window may not mark it ready meanwhile,
    // nor its holder choose another point; the first blank is spoiled, the card is applied
    // for again and issued anew.
    assert_eq!(issued.status, "sealed");
    assert_eq!(
        w.app.card(&w.clerk, &card.id).unwrap().status,
        "in_production"
    );
    let at_window = w.app.mark_ready(
        &w.clerk,
        &w.key(),
        &card.id,
        shebao_app::card::ReadyRequest {
            distribution_point: "窗口".into(),
        },
    );
    assert_eq!(code(at_window.unwrap_err()), "wrong_state");
    let being_made = w.app.collection_point(&w.clerk, &card.id).unwrap();
    assert_eq!(
        (being_made.point.map(|p| p.id), being_made.open),
        (Some(branch.clone()), false)
    );
    let elsewhere = w.app.choose_collection_point(
        &w.clerk,
        &w.key(),
        &card.id,
        shebao_app::production::PointChoice {
            point: centre.clone(),
        },
    );
    assert_eq!(code(elsewhere.unwrap_err()), "wrong_state");
    let report = |outcome: &str, reason: Option<&str>| {
        w.app.report_instant_issue(
            &w.teller,
            &w.key(),
            &card.id,
            InstantIssueReport {
                outcome: outcome.into(),
                reason: reason.map(Into::into),
            },
        )
    };
    assert_eq!(
        code(report("failed", None).unwrap_err()),
        "invalid_request",
        "a failure says why"
    );
    let failed = report("failed", Some("芯片写入失败")).unwrap();
    assert_eq!(failed.status, "failed");
    assert_eq!(w.app.card(&w.clerk, &card.id).unwrap().status, "applied");
    assert_eq!(
        code(report("produced", None).unwrap_err()),
        "wrong_state",
        "nothing waits for a report"
    );
    let again = issue(&w.teller, &card.id).unwrap();
    assert_ne!(again.id, issued.id);
    let made = report("produced", None).unwrap();
    assert_eq!(made.status, "produced");
    // Ready at the branch: its teller hands it over after the identity check, not a clerk.
    let ready = w.app.card(&w.clerk, &card.id).unwrap();
    assert_eq!(ready.status, "ready_for_collection");
    assert_eq!(
        ready.expires_on.as_deref(),
        Some(again.valid_until.as_str())
    );
    let place = w.app.collection_point(&w.clerk, &card.id).unwrap();
    assert_eq!(
        (place.point.map(|p| p.id), place.open),
        (Some(branch.clone()), false)
    );
    let waiting = hangzhou_points(&w, &w.teller);
    assert_eq!(
        waiting.iter().find(|p| p.id == branch).unwrap().waiting,
        1,
        "the card waiting counts against the branch's places"
    );
    let collect = |actor: &shebao_app::Actor| {
        w.app.collect_card(
            actor,
            &w.key(),
            &card.id,
            CollectRequest {
                citizen_id: HOLDER_ID.into(),
                social_pin: SOCIAL_PIN.into(),
            },
        )
    };
    assert_eq!(code(collect(&w.clerk).unwrap_err()), "not_found");
    assert_eq!(collect(&w.teller).unwrap().status, "collected");
    // Once only.
    assert_eq!(code(issue(&w.teller, &card.id).unwrap_err()), "wrong_state");
    // A new card face: the device (of the old revision) stops until registered again, and
    // the gate is closed until the new revision passes it.
    w.app
        .change_card_product(
            &desk,
            &w.key(),
            &product_id,
            ProductChangeRequest {
                what: "card_face".into(),
                value: "2.0".into(),
                note: "新版卡面".into(),
            },
        )
        .unwrap();
    assert_eq!(
        code(issue(&w.teller, &other.id).unwrap_err()),
        "wrong_state"
    );
    device(&branch).unwrap();
    assert_eq!(
        code(issue(&w.teller, &other.id).unwrap_err()),
        "gate_not_passed"
    );
    assert_eq!(w.app.card(&w.clerk, &other.id).unwrap().status, "applied");
}

/// A card made on the spot and never collected is listed past the region's period at its
/// branch, from the day it was made, and recalled there by the branch's teller.
fn a_card_made_on_the_spot_and_left_is_recalled_at_its_branch(w: World) {
    let desk = desk(&w);
    let (product_id, _staff) = passed_gate(&w, &desk);
    master_keys(&w, &desk);
    default_point(&w, &desk);
    let branch = branch_point(&w, &desk);
    w.app
        .register_issuance_device(
            &desk,
            &w.key(),
            &branch,
            NewIssuanceDevice {
                public_key: shebao_app::keystore::new_sealing_key_pair().1,
                product: product_id,
            },
        )
        .unwrap();
    let card = w.apply(&w.register(HOLDER_ID)).unwrap();
    w.app
        .issue_instantly(&w.teller, &w.key(), &card.id)
        .unwrap();
    w.app
        .report_instant_issue(
            &w.teller,
            &w.key(),
            &card.id,
            InstantIssueReport {
                outcome: "produced".into(),
                reason: None,
            },
        )
        .unwrap();
    let made = w.app.now();
    w.clock.set(made.add_seconds(180 * 86_400));
    let late = w.app.uncollected_cards(&w.teller, &branch).unwrap();
    assert!(late.cards.is_empty(), "the period's last day");
    w.clock.set(made.add_seconds(181 * 86_400));
    let late = w.app.uncollected_cards(&w.teller, &branch).unwrap();
    assert_eq!(
        late.cards
            .iter()
            .map(|c| c.card_id.as_str())
            .collect::<Vec<_>>(),
        [card.id.as_str()]
    );
    assert!(late.cards[0].received_on.is_some());
    let recalled = w
        .app
        .recall_uncollected(&w.teller, &w.key(), &branch)
        .unwrap();
    assert_eq!(recalled.recalled, 1);
    assert_eq!(w.app.card(&w.clerk, &card.id).unwrap().status, "cancelled");
    let points = hangzhou_points(&w, &w.teller);
    assert_eq!(points.iter().find(|p| p.id == branch).unwrap().waiting, 0);
    // It waits at the branch to be destroyed, by the branch's own teller.
    let recalled = w.app.recalled_cards(&w.teller, &branch).unwrap();
    assert_eq!(recalled.cards.len(), 1);
    let destroyed = w
        .app
        .destroy_cards(
            &w.teller,
            &w.key(),
            &branch,
            shebao_app::production::Destruction {
                cards: vec![card.id.clone()],
                method: "chip_punched".into(),
                witness: "赵六".into(),
            },
        )
        .unwrap();
    assert_eq!(destroyed.destroyed, 1);
    assert!(
        w.app
            .recalled_cards(&w.teller, &branch)
            .unwrap()
            .cards
            .is_empty()
    );
    assert!(
        w.app
            .uncollected_cards(&w.teller, &branch)
            .unwrap()
            .cards
            .is_empty()
    );
}

crate::on_both_backends!(
    a_branch_issues_a_card_on_the_spot_from_the_same_gate_and_keys,
    a_card_made_on_the_spot_and_left_is_recalled_at_its_branch,
);
