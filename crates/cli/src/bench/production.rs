//! `shebao bench production`: a batch of N applied cards and its personalisation file on a
//! fresh store (issue 18: 100,000 cards' file in under a minute). Setup: N holders and their
//! applied cards written in bulk straight through the store, and a vendor whose product
//! passed the region's gate, the region's master keys and the vendor's sealing key through
//! the use cases. Timed: the batch (every card queued and moved into production) and the
//! file (every card's data and keys sealed, part by part, and the manifest signed), both
//! through the use cases; then one part is downloaded and opened as the vendor would.

use std::time::Instant;

use serde_json::{Value, json};
use shebao_app::production::{
    NewBatch, NewCardProduct, NewCardVendor, NewCredential, NewGateApproval, NewMasterKey,
    NewSealingKey, NewTestCard, NewTestCardAudit, UniversalityCheck, part_context,
};
use shebao_app::{Actor, App};
use shebao_domain::card::{Card, CardKind, NewCard};
use shebao_domain::ids::{BankId, CardId, RegionCode};
use shebao_domain::person::identity::{BankCardNumber, CardIdentificationCode, CardNumber};
use shebao_domain::production::{KeyPurpose, UNIVERSALITY_CHECKS};
use shebao_domain::reference::region::RegionParameters;
use shebao_store::{CardSecrets, Store};

use super::common::fail;
use super::setup::{SETUP_BATCH, bank_and_staff, bench_app, register_holders, staff, staff_user};
use crate::config::ProgressBar;

/// Builds N applied cards and a vendor ready to produce, then times the batch and its file.
pub fn production(store: Store, cards: usize) -> Result<Value, String> {
    let (app, admin, _clerk) = bench_app(store)?;
    let setup = Instant::now();
    bank_and_staff(&app, &admin, 1)?;
    let holders = register_holders(&app, cards, None)?;
    apply_in_bulk(&app, &holders.first(cards))?;
    let desk = staff_user(
        &app,
        &admin,
        "bench-user-desk",
        staff("production_officer", "bench-desk", None, None),
    )?;
    let (product, vendor_staff, private_key) = vendor_ready(&app, &admin, &desk)?;
    let setup_seconds = setup.elapsed().as_secs_f64();

    let started = Instant::now();
    let count = u32::try_from(cards).map_err(fail)?;
    let batch = app
        .create_production_batch(
            &desk,
            "bench-batch",
            NewBatch {
                product,
                region: "330100".into(),
                cards: count,
            },
        )
        .map_err(fail)?;
    let batch_seconds = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut bar = ProgressBar::new("cards sealed");
    let file = app
        .generate_personalisation_file(&desk, "bench-file", &batch.id, &mut |done, total| {
            bar.show_until_done(done, total)
        })
        .map_err(fail)?;
    bar.finish();
    let file_seconds = started.elapsed().as_secs_f64();

    // The vendor's side of one part: downloaded, checked against the manifest, opened.
    let part = app
        .personalisation_part(&vendor_staff, &batch.id, "1")
        .map_err(fail)?;
    let plain = shebao_app::keystore::open_sealed_text(
        &private_key,
        &part.sealed,
        part_context(&batch.id, 1).as_bytes(),
    )
    .map_err(fail)?;
    let lines = plain.iter().filter(|b| **b == b'\n').count();
    let listed = file.manifest.contains(&part.digest);
    let total_bytes: usize = part.sealed.len();
    Ok(json!({
        "workload": "personalisation_file",
        "store": app.store().kind(),
        "cards": file.cards,
        "parts": file.parts,
        "batch_seconds": batch_seconds,
        "file_seconds": file_seconds,
        "cards_per_second": f64::from(count) / file_seconds,
        "first_part_bytes": total_bytes,
        "first_part_cards_opened": lines,
        "first_part_digest_in_signed_manifest": listed,
        "setup_seconds": setup_seconds,
    }))
}

/// Every holder's standard card applied for, written in bulk straight through the store
/// (numbers composed from the holder's place, as the application would draw them).
fn apply_in_bulk(app: &App, persons: &[shebao_domain::ids::PersonId]) -> Result<(), String> {
    let offset = RegionParameters::common().utc_offset();
    let mut bar = ProgressBar::new("applied cards");
    for (chunk_no, chunk) in persons.chunks(SETUP_BATCH).enumerate() {
        let mut rows = Vec::with_capacity(chunk.len());
        for (j, person) in chunk.iter().enumerate() {
            let i = chunk_no * SETUP_BATCH + j;
            let serial = u32::try_from(i).map_err(fail)?;
            let new = NewCard {
                id: CardId::new(format!("crd_bench_{i:07}")),
                person_id: person.clone(),
                kind: CardKind::Standard,
                region: RegionCode::new("330100"),
                bank_id: Some(BankId::new("icbc")),
                card_number: CardNumber::compose('B', serial).ok_or("card number")?,
                identification_code: CardIdentificationCode::compose("330100", u64::from(serial))
                    .ok_or("identification code")?,
            };
            let card = Card::apply(new, &[], app.now(), offset).map_err(fail)?;
            let bank = BankCardNumber::with_check_digit(&format!("621226{i:012}"))
                .ok_or("bank card number")?;
            let secrets = CardSecrets {
                bank_card_index: Some(app.vault().blind_index("bank_card_number", bank.as_str())),
                bank_card_cipher: Some(
                    app.vault()
                        .seal("card.bank_card_number", bank.as_str())
                        .map_err(fail)?,
                ),
            };
            rows.push((card, secrets));
        }
        app.store()
            .write(move |tx| {
                for (card, secrets) in &rows {
                    tx.insert_card(card, secrets)?;
                }
                Ok::<_, shebao_store::StoreError>(())
            })
            .map_err(fail)?;
        bar.show(
            ((chunk_no + 1) * SETUP_BATCH).min(persons.len()),
            persons.len(),
        );
    }
    bar.finish();
    Ok(())
}

/// A vendor certified, its product through the region's gate, the region's master keys and
/// the vendor's sealing key: the product's id, the vendor's staff and its private key.
fn vendor_ready(app: &App, admin: &Actor, desk: &Actor) -> Result<(String, Actor, String), String> {
    let today = app
        .now()
        .local_date(RegionParameters::common().utc_offset());
    let day = today.to_string();
    let vendor = app
        .register_card_vendor(
            desk,
            "bench-vendor",
            NewCardVendor {
                credit_code: "91440300708461136T".into(),
                name: "Bench Card Co".into(),
                region: "330100".into(),
                contact: "bench 0571-88880000".into(),
            },
        )
        .map_err(fail)?
        .id;
    for kind in [
        "card_production",
        "bank_card",
        "commercial_cryptography",
        "secure_environment",
        "psam_filing",
    ] {
        app.record_vendor_credential(
            desk,
            &format!("bench-credential-{kind}"),
            &vendor,
            NewCredential {
                kind: kind.into(),
                number: format!("{kind}-1"),
                issued_on: day.clone(),
                valid_until: today.add_days(365).to_string(),
            },
        )
        .map_err(fail)?;
    }
    let product = app
        .register_card_product(
            desk,
            "bench-product",
            &vendor,
            NewCardProduct {
                name: "Bench card".into(),
                generation: "3.00".into(),
                chip: "THD89".into(),
                operating_system: "COS 3.1".into(),
                face_design: "Bench 2026".into(),
                face_version: "1.0".into(),
                file_structure_version: "3.0".into(),
            },
        )
        .map_err(fail)?
        .id;
    for step in [
        "registration_approval",
        "key_application",
        "psam_application",
    ] {
        app.record_gate_approval(
            desk,
            &format!("bench-approval-{step}"),
            &product,
            NewGateApproval {
                region: "330100".into(),
                step: step.into(),
                reference: format!("R-{step}"),
                approved_on: day.clone(),
            },
        )
        .map_err(fail)?;
    }
    let vendor_staff = staff_user(
        app,
        admin,
        "bench-user-vendor",
        shebao_app::access::auth::NewUser {
            vendor_id: Some(vendor.clone()),
            ..staff("card_vendor", "bench-vendor", None, None)
        },
    )?;
    let gate = app
        .submit_test_card(
            &vendor_staff,
            "bench-test-card",
            &product,
            NewTestCard {
                region: "330100".into(),
                serial: "T-1".into(),
                made_on: day.clone(),
            },
        )
        .map_err(fail)?;
    let test_card = gate.test_cards.first().ok_or("no test card")?.id.clone();
    for audit in ["standard_compliance", "safety", "universality"] {
        let checks = if audit == "universality" {
            UNIVERSALITY_CHECKS
                .iter()
                .map(|c| UniversalityCheck {
                    check: (*c).into(),
                    passed: true,
                })
                .collect()
        } else {
            Vec::new()
        };
        app.record_test_card_audit(
            desk,
            &format!("bench-audit-{audit}"),
            &test_card,
            NewTestCardAudit {
                audit: audit.into(),
                passed: true,
                checks,
                note: None,
                audited_on: day.clone(),
            },
        )
        .map_err(fail)?;
    }
    for purpose in KeyPurpose::ALL {
        app.create_card_master_key(
            desk,
            &format!("bench-key-{}", purpose.as_str()),
            NewMasterKey {
                region: "330100".into(),
                purpose: purpose.as_str().into(),
            },
        )
        .map_err(fail)?;
    }
    let (private_key, public_key) = shebao_app::keystore::new_sealing_key_pair();
    app.register_sealing_key(
        &vendor_staff,
        "bench-sealing-key",
        NewSealingKey { public_key },
    )
    .map_err(fail)?;
    Ok((product, vendor_staff, private_key.as_str().to_owned()))
}
