//! A batch's personalisation file through the use cases (issue 18, item 4): refused without
//! the vendor's sealing key or the region's master keys; generated once, every card's data
//! and own keys sealed to the vendor's key, the manifest of the parts' digests signed by the
//! bureau; only the vendor downloads (and opens) a part; a card failed and re-queued gets the
//! same keys in its next batch's file, and two cards never share one.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};
use shebao_app::Actor;
use shebao_app::production::{
    BatchCardsQuery, CardResultBody, NewMasterKey, NewSealingKey, ResultsReport, part_context,
};
use shebao_domain::production::KeyPurpose;

use crate::harness::{World, code};
use crate::production::{
    approve, batch, certify, credential, desk, pass_all, product, test_card, vendor, vendor_staff,
};

/// The region's master key of every purpose, and a sealing key the vendor's staff register:
/// its private key, as the vendor's tool keeps it.
pub(crate) fn seal_ready(w: &World, desk: &Actor, staff: &Actor) -> String {
    master_keys(w, desk);
    sealing_key(w, staff)
}

pub(crate) fn master_keys(w: &World, desk: &Actor) {
    for purpose in KeyPurpose::ALL {
        w.app
            .create_card_master_key(
                desk,
                &w.key(),
                NewMasterKey {
                    region: "330100".into(),
                    purpose: purpose.as_str().into(),
                },
            )
            .unwrap();
    }
}

pub(crate) fn sealing_key(w: &World, staff: &Actor) -> String {
    let (private_key, public_key) = shebao_app::keystore::new_sealing_key_pair();
    w.app
        .register_sealing_key(staff, &w.key(), NewSealingKey { public_key })
        .unwrap();
    private_key.as_str().to_owned()
}

/// A vendor whose product passed the region's gate, and its staff.
pub(crate) fn passed_gate(w: &World, desk: &Actor) -> (String, Actor) {
    let vendor_id = vendor(w, desk, "91440300708461136T");
    let product_id = product(w, desk, &vendor_id);
    certify(w, desk, &vendor_id, "2027-05-31");
    for step in [
        "registration_approval",
        "key_application",
        "psam_application",
    ] {
        approve(w, desk, &product_id, step);
    }
    let staff = vendor_staff(w, "vendor-a", &vendor_id);
    let gate = test_card(w, &staff, &product_id, "T-0001");
    assert!(pass_all(w, desk, &gate.test_cards[0].id).open);
    (product_id, staff)
}

/// `signature` (base64) is the bureau's over `manifest`, checked with the public key the
/// bureau gives `actor`.
pub(crate) fn assert_signed_by_the_bureau(
    w: &World,
    actor: &Actor,
    manifest: &str,
    signature: &str,
) {
    let signing = w.app.production_signing_key(actor).unwrap();
    let public: [u8; 32] = STANDARD
        .decode(&signing.public_key)
        .unwrap()
        .try_into()
        .unwrap();
    let signature: [u8; 64] = STANDARD.decode(signature).unwrap().try_into().unwrap();
    VerifyingKey::from_bytes(&public)
        .unwrap()
        .verify(manifest.as_bytes(), &Signature::from_bytes(&signature))
        .expect("the bureau's signature over the manifest");
}

/// The card lines of every part of `batch`'s file, as the vendor downloads and opens them,
/// after checking the manifest's signature and each part's digest.
fn opened(w: &World, staff: &Actor, private_key: &str, batch: &str) -> Vec<serde_json::Value> {
    let file = w.app.personalisation_file(staff, batch).unwrap();
    assert_signed_by_the_bureau(w, staff, &file.manifest, &file.signature);
    let manifest: serde_json::Value = serde_json::from_str(&file.manifest).unwrap();
    assert_eq!(manifest["batch"], batch);
    let mut lines = Vec::new();
    for listed in manifest["parts"].as_array().unwrap() {
        let n = listed["part"].as_i64().unwrap();
        let part = w
            .app
            .personalisation_part(staff, batch, &n.to_string())
            .unwrap();
        assert_eq!(
            hex::encode(Sha256::digest(part.sealed.as_bytes())),
            listed["sha256"].as_str().unwrap()
        );
        let plain = shebao_app::keystore::open_sealed_text(
            private_key,
            &part.sealed,
            part_context(batch, n).as_bytes(),
        )
        .unwrap();
        // Moved to another part's place it does not open.
        let moved = shebao_app::keystore::open_sealed_text(
            private_key,
            &part.sealed,
            part_context(batch, n + 1).as_bytes(),
        );
        assert!(moved.is_err());
        for line in std::str::from_utf8(&plain).unwrap().lines() {
            lines.push(serde_json::from_str(line).unwrap());
        }
    }
    assert_eq!(
        i64::try_from(lines.len()).unwrap(),
        manifest["cards"].as_i64().unwrap()
    );
    lines
}

fn a_personalisation_file_seals_each_card_with_its_own_keys(w: World) {
    let desk = desk(&w);
    let (product_id, staff) = passed_gate(&w, &desk);
    for id in ["330106199003071236", "310104198506153523"] {
        let person = w.register(id);
        w.apply(&person).unwrap();
    }
    let made = batch(&w, &desk, &product_id, 10).unwrap();
    let generate = |key: &str| {
        w.app
            .generate_personalisation_file(&desk, key, &made.id, &mut |_, _| {})
    };
    // Without the vendor's sealing key, then without the region's master keys: refused.
    assert_eq!(code(generate(&w.key()).unwrap_err()), "sealing_key_missing");
    let private_key = sealing_key(&w, &staff);
    assert_eq!(code(generate(&w.key()).unwrap_err()), "master_key_missing");
    master_keys(&w, &desk);
    // The vendor cannot generate its own file; the desk can, once.
    let by_vendor = w
        .app
        .generate_personalisation_file(&staff, &w.key(), &made.id, &mut |_, _| {});
    assert_eq!(code(by_vendor.unwrap_err()), "forbidden");
    let mut heard = Vec::new();
    let key = w.key();
    let file = w
        .app
        .generate_personalisation_file(&desk, &key, &made.id, &mut |done, total| {
            heard.push((done, total));
        })
        .unwrap();
    assert_eq!((file.cards, file.parts), (2, 1));
    assert_eq!(heard.first(), Some(&(0, 2)));
    assert_eq!(heard.last(), Some(&(2, 2)));
    assert_eq!(generate(&key).unwrap(), file, "the same key answers again");
    assert_eq!(code(generate(&w.key()).unwrap_err()), "wrong_state");

    let lines = opened(&w, &staff, &private_key, &made.id);
    let cards = w
        .app
        .production_batch_cards(&desk, &made.id, BatchCardsQuery::default())
        .unwrap();
    assert_eq!(lines.len(), 2);
    for (line, card) in lines.iter().zip(&cards) {
        assert_eq!(
            line["card"]["identification_code"],
            card.identification_code
        );
        assert_eq!(line["card"]["card_number"], card.card_number);
        assert_eq!(line["card"]["name"], "李明");
        assert_eq!(line["card"]["issued_on"], file.issued_on);
        let bank = line["card"]["bank_card_number"].as_str().unwrap();
        assert_eq!(bank.len(), 19);
        let keys = line["keys"].as_object().unwrap();
        assert_eq!(keys.len(), 5, "one key a purpose");
        assert!(keys.values().all(|k| k.as_str().unwrap().len() == 32));
    }
    let mut holders: Vec<_> = lines
        .iter()
        .map(|l| l["card"]["citizen_id"].as_str().unwrap())
        .collect();
    holders.sort_unstable();
    assert_eq!(holders, vec!["310104198506153523", "330106199003071236"]);
    assert_ne!(
        lines[0]["keys"], lines[1]["keys"],
        "two cards never share a key"
    );
    // The parts are the vendor's: not the desk's, the auditor's or another vendor's.
    assert_eq!(
        code(
            w.app
                .personalisation_part(&desk, &made.id, "1")
                .unwrap_err()
        ),
        "forbidden"
    );
    let other = vendor(&w, &desk, "91350100M000100Y43");
    let other_staff = vendor_staff(&w, "vendor-c", &other);
    assert_eq!(
        code(
            w.app
                .personalisation_part(&other_staff, &made.id, "1")
                .unwrap_err()
        ),
        "not_found"
    );
    assert_eq!(
        code(
            w.app
                .personalisation_part(&staff, &made.id, "2")
                .unwrap_err()
        ),
        "not_found"
    );
    assert!(w.app.personalisation_file(&w.auditor, &made.id).is_ok());

    // The second card fails and is re-queued: its next file holds the same keys.
    let failed = ResultsReport {
        results: vec![
            CardResultBody {
                identification_code: cards[0].identification_code.clone(),
                outcome: "produced".into(),
                reason: None,
            },
            CardResultBody {
                identification_code: cards[1].identification_code.clone(),
                outcome: "failed".into(),
                reason: Some("芯片个人化失败".into()),
            },
        ],
    };
    w.app
        .report_production_results(&staff, &w.key(), &made.id, failed)
        .unwrap();
    crate::production_distribution::default_point(&w, &desk);
    w.app
        .ship_production_batch(&staff, &w.key(), &made.id)
        .unwrap();
    let next = batch(&w, &desk, &product_id, 10).unwrap();
    w.app
        .generate_personalisation_file(&desk, &w.key(), &next.id, &mut |_, _| {})
        .unwrap();
    let again = opened(&w, &staff, &private_key, &next.id);
    assert_eq!(again.len(), 1);
    assert_eq!(
        again[0]["card"]["identification_code"],
        cards[1].identification_code
    );
    assert_eq!(again[0]["keys"], lines[1]["keys"], "derived the same twice");
    // A vendor's new key retires the old one; the old file stays sealed to the old one.
    let renewed = sealing_key(&w, &staff);
    assert_ne!(renewed, private_key);
    assert_eq!(opened(&w, &staff, &private_key, &made.id).len(), 2);
}

fn a_cancelled_card_is_left_out_and_a_lapsed_vendor_is_sent_nothing(w: World) {
    let desk = desk(&w);
    let (product_id, staff) = passed_gate(&w, &desk);
    let cards: Vec<_> = [
        "330106199003071236",
        "310104198506153523",
        "110101200001010010",
    ]
    .iter()
    .map(|id| w.apply(&w.register(id)).unwrap())
    .collect();
    let made = batch(&w, &desk, &product_id, 10).unwrap();
    master_keys(&w, &desk);
    // A key of low order (every agreement with it the same) is no sealing key.
    let weak = w.app.register_sealing_key(
        &staff,
        &w.key(),
        NewSealingKey {
            public_key: STANDARD.encode([0u8; 32]),
        },
    );
    assert_eq!(code(weak.unwrap_err()), "invalid_request");
    sealing_key(&w, &staff);
    // The PSAM filing revoked (recorded again, lapsed): the holders' data is not sent.
    let vendor_id = w.app.production_batch(&desk, &made.id).unwrap().vendor_id;
    let lapsed = credential("psam_filing", "2025-06-01", "2026-02-28");
    w.app
        .record_vendor_credential(&desk, &w.key(), &vendor_id, lapsed)
        .unwrap();
    let refused = w
        .app
        .generate_personalisation_file(&desk, &w.key(), &made.id, &mut |_, _| {});
    assert_eq!(code(refused.unwrap_err()), "vendor_not_certified");
    let renewed = credential("psam_filing", "2026-03-01", "2028-02-29");
    w.app
        .record_vendor_credential(&desk, &w.key(), &vendor_id, renewed)
        .unwrap();
    // A card cancelled in production is left out of the file and reported failed.
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
    let file = w
        .app
        .generate_personalisation_file(&desk, &w.key(), &made.id, &mut |_, _| {})
        .unwrap();
    assert_eq!((file.cards, file.parts), (2, 1));
    let view = w.app.production_batch(&desk, &made.id).unwrap();
    assert_eq!((view.queued, view.failed), (2, 1));
    let left_out = w
        .app
        .production_batch_cards(&desk, &made.id, BatchCardsQuery::default())
        .unwrap()
        .into_iter()
        .find(|c| c.card_id == cards[1].id)
        .unwrap();
    assert_eq!(
        (left_out.status.as_str(), left_out.reason.as_deref()),
        ("failed", Some("cancelled before personalisation"))
    );
}

crate::on_both_backends!(
    a_personalisation_file_seals_each_card_with_its_own_keys,
    a_cancelled_card_is_left_out_and_a_lapsed_vendor_is_sent_nothing,
);
