//! Card production through the use cases (issue 18): a vendor registered with its
//! credentials, its product's gate in a region — approvals, test cards and their three
//! audits — before production may start, a change of the card face that closes it again,
//! a PSAM filing that lapses, the region's master keys by id, and a production batch refused
//! before the gate, then produced (a failed card re-queued) and shipped.

use shebao_app::Actor;
use shebao_app::access::auth::NewUser;
use shebao_app::production::{
    BatchCardsQuery, BatchView, CardResultBody, GateQuery, GateView, KeyQuery, NewBatch,
    NewCardProduct, NewCardVendor, NewCredential, NewGateApproval, NewMasterKey, NewTestCard,
    NewTestCardAudit, ProductChangeRequest, ResultsReport, UniversalityCheck,
};
use shebao_domain::production::UNIVERSALITY_CHECKS;

use crate::harness::{World, code, staff};

/// The production desk's login and a vendor's staff's.
pub(crate) fn desk(w: &World) -> Actor {
    w.app
        .create_user(&w.admin, &w.key(), staff("desk", "production_officer"))
        .unwrap();
    w.app.actor_for_username("desk").unwrap()
}

pub(crate) fn vendor_staff(w: &World, name: &str, vendor: &str) -> Actor {
    let user = NewUser {
        vendor_id: Some(vendor.into()),
        ..staff(name, "card_vendor")
    };
    w.app.create_user(&w.admin, &w.key(), user).unwrap();
    w.app.actor_for_username(name).unwrap()
}

pub(crate) fn vendor(w: &World, desk: &Actor, credit_code: &str) -> String {
    w.app
        .register_card_vendor(
            desk,
            &w.key(),
            NewCardVendor {
                credit_code: credit_code.into(),
                name: "中钞信用卡产业发展有限公司".into(),
                region: "330100".into(),
                contact: "王经理 0571-88880000".into(),
            },
        )
        .unwrap()
        .id
}

pub(crate) fn credential(kind: &str, issued_on: &str, valid_until: &str) -> NewCredential {
    NewCredential {
        kind: kind.into(),
        number: format!("{kind}-2026-001"),
        issued_on: issued_on.into(),
        valid_until: valid_until.into(),
    }
}

/// Every credential, the PSAM filing valid through `psam_until`.
pub(crate) fn certify(w: &World, desk: &Actor, vendor: &str, psam_until: &str) {
    for kind in [
        "card_production",
        "bank_card",
        "commercial_cryptography",
        "secure_environment",
    ] {
        w.app
            .record_vendor_credential(
                desk,
                &w.key(),
                vendor,
                credential(kind, "2025-06-01", "2030-05-31"),
            )
            .unwrap();
    }
    w.app
        .record_vendor_credential(
            desk,
            &w.key(),
            vendor,
            credential("psam_filing", "2025-06-01", psam_until),
        )
        .unwrap();
}

pub(crate) fn product(w: &World, desk: &Actor, vendor: &str) -> String {
    w.app
        .register_card_product(
            desk,
            &w.key(),
            vendor,
            NewCardProduct {
                name: "第三代社会保障卡".into(),
                generation: "3.00".into(),
                chip: "THD89".into(),
                operating_system: "COS 3.1".into(),
                face_design: "浙江 2026".into(),
                face_version: "1.0".into(),
                file_structure_version: "3.0".into(),
            },
        )
        .unwrap()
        .id
}

fn gate(w: &World, actor: &Actor, product: &str) -> GateView {
    w.app
        .production_gate(
            actor,
            product,
            GateQuery {
                region: "330100".into(),
            },
        )
        .unwrap()
}

pub(crate) fn approve(w: &World, desk: &Actor, product: &str, step: &str) -> GateView {
    w.app
        .record_gate_approval(
            desk,
            &w.key(),
            product,
            NewGateApproval {
                region: "330100".into(),
                step: step.into(),
                reference: format!("人社部函〔2026〕{step}"),
                approved_on: "2026-03-01".into(),
            },
        )
        .unwrap()
}

pub(crate) fn test_card(w: &World, vendor: &Actor, product: &str, serial: &str) -> GateView {
    w.app
        .submit_test_card(
            vendor,
            &w.key(),
            product,
            NewTestCard {
                region: "330100".into(),
                serial: serial.into(),
                made_on: "2026-03-01".into(),
            },
        )
        .unwrap()
}

fn audit(audit: &str, passed: bool) -> NewTestCardAudit {
    let checks = if audit == "universality" {
        UNIVERSALITY_CHECKS
            .iter()
            .map(|c| UniversalityCheck {
                check: (*c).into(),
                passed,
            })
            .collect()
    } else {
        Vec::new()
    };
    NewTestCardAudit {
        audit: audit.into(),
        passed,
        checks,
        note: None,
        audited_on: "2026-03-01".into(),
    }
}

pub(crate) fn pass_all(w: &World, desk: &Actor, card: &str) -> GateView {
    let mut last = None;
    for kind in ["standard_compliance", "safety", "universality"] {
        last = Some(
            w.app
                .record_test_card_audit(desk, &w.key(), card, audit(kind, true))
                .unwrap(),
        );
    }
    last.unwrap()
}

fn the_gate_opens_after_every_step_and_a_card_face_change_closes_it(w: World) {
    let desk = desk(&w);
    let vendor_id = vendor(&w, &desk, "91110000802100433B");
    let staff = vendor_staff(&w, "vendor-a", &vendor_id);
    let product_id = product(&w, &desk, &vendor_id);

    // Nothing recorded: the vendor's standing stops production first, and says what.
    let first = gate(&w, &desk, &product_id);
    assert!(!first.open);
    assert_eq!(first.missing_step.as_deref(), Some("registration_approval"));
    assert!(!first.production.may_start);
    assert_eq!(
        first.production.code.as_deref(),
        Some("vendor_not_certified")
    );

    certify(&w, &desk, &vendor_id, "2027-05-31");
    let view = w.app.card_vendor(&staff, &vendor_id).unwrap();
    assert!(view.standing.may_produce, "{view:?}");
    assert_eq!(view.contact, "王经理 0571-88880000");
    // The auditor sees the vendor, its contact masked.
    let auditor = w.app.card_vendor(&w.auditor, &vendor_id).unwrap();
    assert!(!auditor.contact.contains("0571"), "{}", auditor.contact);
    // A PSAM filing longer than two years is refused.
    let long = w.app.record_vendor_credential(
        &desk,
        &w.key(),
        &vendor_id,
        credential("psam_filing", "2026-01-01", "2028-01-01"),
    );
    assert_eq!(code(long.unwrap_err()), "invalid_request");

    // The gate, step by step; the refusal names each missing step in turn.
    let g = gate(&w, &desk, &product_id);
    assert_eq!(g.production.code.as_deref(), Some("gate_not_passed"));
    assert!(
        g.production
            .reason
            .as_deref()
            .unwrap()
            .contains("registration_approval")
    );
    approve(&w, &desk, &product_id, "registration_approval");
    let again = w.app.record_gate_approval(
        &desk,
        &w.key(),
        &product_id,
        NewGateApproval {
            region: "330100".into(),
            step: "registration_approval".into(),
            reference: "dup".into(),
            approved_on: "2026-03-01".into(),
        },
    );
    assert_eq!(code(again.unwrap_err()), "conflict");
    approve(&w, &desk, &product_id, "key_application");
    let g = approve(&w, &desk, &product_id, "psam_application");
    assert_eq!(g.missing_step.as_deref(), Some("test_cards"));
    let g = test_card(&w, &staff, &product_id, "T-0001");
    assert_eq!(g.missing_step.as_deref(), Some("standard_compliance"));
    let card = g.test_cards[0].id.clone();
    // Half a universality test is refused; so is a second record of the same audit.
    let mut half = audit("universality", true);
    half.checks.truncate(3);
    let refused = w.app.record_test_card_audit(&desk, &w.key(), &card, half);
    assert_eq!(code(refused.unwrap_err()), "invalid_request");
    let g = pass_all(&w, &desk, &card);
    assert!(g.open, "{g:?}");
    assert!(g.production.may_start, "{g:?}");
    let twice = w
        .app
        .record_test_card_audit(&desk, &w.key(), &card, audit("safety", true));
    assert_eq!(code(twice.unwrap_err()), "conflict");
    // A passed gate takes no more test cards.
    let more = w.app.submit_test_card(
        &staff,
        &w.key(),
        &product_id,
        NewTestCard {
            region: "330100".into(),
            serial: "T-0002".into(),
            made_on: "2026-03-01".into(),
        },
    );
    assert_eq!(code(more.unwrap_err()), "wrong_state");
    // The vendor reads its gate; the auditor too.
    assert!(gate(&w, &staff, &product_id).open);
    assert!(gate(&w, &w.auditor, &product_id).open);

    // A new card face: revision 2, the gate closed again until it passes anew.
    let changed = w
        .app
        .change_card_product(
            &desk,
            &w.key(),
            &product_id,
            ProductChangeRequest {
                what: "card_face".into(),
                value: "1.1".into(),
                note: "新版卡面备案".into(),
            },
        )
        .unwrap();
    assert_eq!(changed.revision, 2);
    assert_eq!(changed.changes[0].old_value, "1.0");
    let g = gate(&w, &desk, &product_id);
    assert_eq!(g.revision, 2);
    assert!(!g.open);
    assert_eq!(g.missing_step.as_deref(), Some("registration_approval"));
    assert_eq!(g.production.code.as_deref(), Some("gate_not_passed"));
    // The old revision's test card takes no more audits.
    let stale = w
        .app
        .record_test_card_audit(&desk, &w.key(), &card, audit("safety", true));
    assert_eq!(code(stale.unwrap_err()), "wrong_state");

    // An approval dated before revision 2 began is one of revision 1's: refused.
    let stale = w.app.record_gate_approval(
        &desk,
        &w.key(),
        &product_id,
        NewGateApproval {
            region: "330100".into(),
            step: "registration_approval".into(),
            reference: "old".into(),
            approved_on: "2026-02-28".into(),
        },
    );
    assert_eq!(code(stale.unwrap_err()), "invalid_request");
    // Every step again for revision 2, and the gate opens.
    for step in [
        "registration_approval",
        "key_application",
        "psam_application",
    ] {
        approve(&w, &desk, &product_id, step);
    }
    let g = test_card(&w, &staff, &product_id, "T-0001");
    let g2 = pass_all(&w, &desk, &g.test_cards[0].id);
    assert!(g2.open && g2.production.may_start, "{g2:?}");

    // The PSAM filing lapses after 2027-05-31: production stops, visibly, before a batch.
    w.clock
        .set(shebao_domain::time::Timestamp::from_unix_seconds(
            1_811_808_000,
        )); // 2027-06-01 (UTC)
    let lapsed = gate(&w, &desk, &product_id);
    assert!(lapsed.open, "the gate itself stays passed");
    assert_eq!(
        lapsed.production.code.as_deref(),
        Some("vendor_not_certified")
    );
    assert!(lapsed.production.reason.unwrap().contains("psam_filing"));
    let standing = w.app.card_vendor(&desk, &vendor_id).unwrap().standing;
    assert!(!standing.may_produce);
    assert_eq!(standing.notes[0].state, "expired");
}

fn a_vendor_sees_only_its_own_and_never_audits(w: World) {
    let desk = desk(&w);
    let a = vendor(&w, &desk, "91110000802100433B");
    let b = vendor(&w, &desk, "91440300708461136T");
    let again = w.app.register_card_vendor(
        &desk,
        &w.key(),
        NewCardVendor {
            credit_code: "91440300708461136T".into(),
            name: "twice".into(),
            region: "330100".into(),
            contact: "x".into(),
        },
    );
    assert_eq!(code(again.unwrap_err()), "conflict");
    let staff_a = vendor_staff(&w, "vendor-a", &a);
    let product_b = product(&w, &desk, &b);
    assert_eq!(
        code(w.app.card_vendor(&staff_a, &b).unwrap_err()),
        "not_found"
    );
    assert_eq!(
        code(w.app.card_products(&staff_a, &b).unwrap_err()),
        "not_found"
    );
    assert_eq!(
        code(
            w.app
                .production_gate(
                    &staff_a,
                    &product_b,
                    GateQuery {
                        region: "330100".into()
                    }
                )
                .unwrap_err()
        ),
        "not_found"
    );
    let foreign = w.app.submit_test_card(
        &staff_a,
        &w.key(),
        &product_b,
        NewTestCard {
            region: "330100".into(),
            serial: "X".into(),
            made_on: "2026-03-01".into(),
        },
    );
    assert_eq!(code(foreign.unwrap_err()), "not_found");
    let g = test_card(&w, &vendor_staff(&w, "vendor-b", &b), &product_b, "T-1");
    let own_audit = w.app.record_test_card_audit(
        &staff_a,
        &w.key(),
        &g.test_cards[0].id,
        audit("safety", true),
    );
    assert_eq!(code(own_audit.unwrap_err()), "forbidden");
    assert_eq!(code(w.app.card_vendors(&staff_a).unwrap_err()), "forbidden");
    assert_eq!(w.app.card_vendors(&desk).unwrap().len(), 2);
}

fn master_keys_rotate_and_show_only_ids_and_check_values(w: World) {
    let desk = desk(&w);
    let new_key = |purpose: &str| {
        w.app
            .create_card_master_key(
                &desk,
                &w.key(),
                NewMasterKey {
                    region: "330100".into(),
                    purpose: purpose.into(),
                },
            )
            .unwrap()
    };
    let v1 = new_key("purchase");
    assert_eq!(v1.id, "330100-PUR-v1");
    assert_eq!(v1.levels, "000000>330000>330100");
    assert_eq!(v1.key_store, "software");
    assert_eq!(v1.check_value.len(), 6);
    let v2 = new_key("purchase");
    assert_eq!(
        (v2.id.as_str(), v2.status.as_str()),
        ("330100-PUR-v2", "active")
    );
    assert_ne!(v1.check_value, v2.check_value);
    new_key("external_authentication");
    let keys = w
        .app
        .card_master_keys(
            &w.auditor,
            KeyQuery {
                region: "330100".into(),
            },
        )
        .unwrap();
    let states: Vec<(&str, &str)> = keys
        .iter()
        .map(|k| (k.id.as_str(), k.status.as_str()))
        .collect();
    assert_eq!(
        states,
        vec![
            ("330100-EXT-v1", "active"),
            ("330100-PUR-v2", "active"),
            ("330100-PUR-v1", "retired"),
        ]
    );
    assert_eq!(
        code(
            w.app
                .create_card_master_key(
                    &w.clerk,
                    &w.key(),
                    NewMasterKey {
                        region: "330100".into(),
                        purpose: "update".into()
                    },
                )
                .unwrap_err()
        ),
        "forbidden"
    );
}

pub(crate) fn batch(
    w: &World,
    desk: &Actor,
    product: &str,
    cards: u32,
) -> Result<BatchView, shebao_app::AppError> {
    w.app.create_production_batch(
        desk,
        &w.key(),
        NewBatch {
            product: product.into(),
            region: "330100".into(),
            cards,
        },
    )
}

fn a_batch_is_refused_before_the_gate_then_produced_requeued_and_shipped(w: World) {
    let desk = desk(&w);
    let vendor_id = vendor(&w, &desk, "91440300708461136T");
    let product_id = product(&w, &desk, &vendor_id);
    let people: Vec<_> = [
        "330106199003071236",
        "310104198506153523",
        "110101200001010010",
    ]
    .iter()
    .map(|id| w.register(id))
    .collect();
    // Applied a minute apart: a batch takes the oldest application first.
    let cards: Vec<_> = people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let minutes = i64::try_from(i).unwrap() * 60;
            w.clock.set(crate::harness::START.add_seconds(minutes));
            w.app
                .apply_card(
                    &w.clerk,
                    &w.key(),
                    shebao_app::card::CardApplication {
                        person_id: p.id.clone(),
                        bank_id: "icbc".into(),
                        region: "330100".into(),
                    },
                )
                .unwrap()
        })
        .collect();
    // Before the gate (and the vendor's standing): refused, saying which step is missing.
    let refused = batch(&w, &desk, &product_id, 10).unwrap_err();
    assert_eq!(code(refused.clone()), "vendor_not_certified");
    let staff = vendor_staff(&w, "vendor-a", &vendor_id);
    certify(&w, &desk, &vendor_id, "2027-05-31");
    let refused = batch(&w, &desk, &product_id, 10).unwrap_err();
    assert_eq!(code(refused.clone()), "gate_not_passed");
    assert!(
        refused.to_string().contains("registration_approval"),
        "{refused}"
    );
    for step in [
        "registration_approval",
        "key_application",
        "psam_application",
    ] {
        approve(&w, &desk, &product_id, step);
    }
    let g = test_card(&w, &staff, &product_id, "T-0001");
    assert!(pass_all(&w, &desk, &g.test_cards[0].id).open);

    // Two of the three applied cards, oldest first, go into production.
    let made = batch(&w, &desk, &product_id, 2).unwrap();
    assert_eq!(
        (made.cards, made.queued, made.status.as_str()),
        (2, 2, "open")
    );
    let in_batch = w
        .app
        .production_batch_cards(&staff, &made.id, BatchCardsQuery::default())
        .unwrap();
    assert_eq!(
        in_batch
            .iter()
            .map(|c| c.card_id.as_str())
            .collect::<Vec<_>>(),
        vec![cards[0].id.as_str(), cards[1].id.as_str()]
    );
    assert_eq!(
        w.app.card(&w.clerk, &cards[0].id).unwrap().status,
        "in_production"
    );
    // The vendor cannot ship before every card is reported.
    let early = w.app.ship_production_batch(&staff, &w.key(), &made.id);
    assert_eq!(code(early.unwrap_err()), "wrong_state");
    // Nothing is reported before the personalisation file exists: nothing could be made.
    let unmade = ResultsReport {
        results: vec![CardResultBody {
            identification_code: in_batch[0].identification_code.clone(),
            outcome: "produced".into(),
            reason: None,
        }],
    };
    let unmade = w
        .app
        .report_production_results(&staff, &w.key(), &made.id, unmade);
    assert_eq!(code(unmade.unwrap_err()), "wrong_state");
    crate::production_file::seal_ready(&w, &desk, &staff);
    w.app
        .generate_personalisation_file(&desk, &w.key(), &made.id, &mut |_, _| {})
        .unwrap();
    // One produced, one failed: the failed card is applied again.
    let report = ResultsReport {
        results: vec![
            CardResultBody {
                identification_code: in_batch[0].identification_code.clone(),
                outcome: "produced".into(),
                reason: None,
            },
            CardResultBody {
                identification_code: in_batch[1].identification_code.clone(),
                outcome: "failed".into(),
                reason: Some("芯片个人化失败".into()),
            },
        ],
    };
    let reported = w
        .app
        .report_production_results(&staff, &w.key(), &made.id, report.clone())
        .unwrap();
    assert_eq!(
        (reported.queued, reported.produced, reported.failed),
        (0, 1, 1)
    );
    assert_eq!(
        w.app.card(&w.clerk, &cards[1].id).unwrap().status,
        "applied"
    );
    // A card is reported once; a card of no batch of this one is refused.
    let again = w
        .app
        .report_production_results(&staff, &w.key(), &made.id, report);
    assert_eq!(code(again.unwrap_err()), "wrong_state");
    let foreign = ResultsReport {
        results: vec![CardResultBody {
            identification_code: cards[2].identification_code.clone(),
            outcome: "produced".into(),
            reason: None,
        }],
    };
    let foreign = w
        .app
        .report_production_results(&staff, &w.key(), &made.id, foreign);
    assert_eq!(code(foreign.unwrap_err()), "invalid_request");
    crate::production_distribution::default_point(&w, &desk);
    let shipped = w
        .app
        .ship_production_batch(&staff, &w.key(), &made.id)
        .unwrap();
    assert_eq!(shipped.status, "shipped");
    // The re-queued card and the third go in the next batch.
    let next = batch(&w, &desk, &product_id, 10).unwrap();
    assert_eq!(next.cards, 2);
    let next_cards = w
        .app
        .production_batch_cards(&desk, &next.id, BatchCardsQuery::default())
        .unwrap();
    let mut ids: Vec<_> = next_cards.iter().map(|c| c.card_id.clone()).collect();
    ids.sort();
    let mut expected = vec![cards[1].id.clone(), cards[2].id.clone()];
    expected.sort();
    assert_eq!(ids, expected);
    // Nothing waits any more.
    assert_eq!(
        code(batch(&w, &desk, &product_id, 10).unwrap_err()),
        "wrong_state"
    );
    // Another vendor's staff see none of it.
    let other = vendor(&w, &desk, "91350100M000100Y43");
    let other_staff = vendor_staff(&w, "vendor-c", &other);
    assert_eq!(
        code(w.app.production_batch(&other_staff, &made.id).unwrap_err()),
        "not_found"
    );
    assert!(w.app.production_batches(&other_staff).unwrap().is_empty());
    assert_eq!(w.app.production_batches(&w.auditor).unwrap().len(), 2);
    let foreign_ship = w
        .app
        .ship_production_batch(&other_staff, &w.key(), &next.id);
    assert_eq!(code(foreign_ship.unwrap_err()), "not_found");
}

crate::on_both_backends!(
    a_batch_is_refused_before_the_gate_then_produced_requeued_and_shipped,
    the_gate_opens_after_every_step_and_a_card_face_change_closes_it,
    a_vendor_sees_only_its_own_and_never_audits,
    master_keys_rotate_and_show_only_ids_and_check_values,
);
