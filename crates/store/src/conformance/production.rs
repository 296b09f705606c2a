//! Card production: a vendor once by credit code, credentials kept as recorded, a product
//! saved over the version read, a gate's step, a test card's serial and an audit each once
//! for a revision, and one active master key of a region and purpose; batches; a vendor's
//! one active sealing key and a batch's personalisation file of one generation.

use shebao_domain::ids::RegionCode;

use crate::Store;
use crate::records::*;

use super::employment::date;
use super::{NOW, Outcome, card, conflict, equal, refused_by_schema, seed_reference, store_err};

fn vendor(id: &str, code: &str) -> CardVendorRecord {
    CardVendorRecord {
        id: id.into(),
        credit_code: code.into(),
        name: "中钞信用卡".into(),
        region: RegionCode::new("330100"),
        contact_cipher: "k1:00:00".into(),
        registered_by: "desk".into(),
        registered_at: NOW,
    }
}

fn product() -> CardProductRecord {
    CardProductRecord {
        id: "cp1".into(),
        vendor_id: "cv1".into(),
        name: "SSC-3".into(),
        generation: "3.00".into(),
        chip: "THD89".into(),
        operating_system: "COS 3.1".into(),
        face_design: "Zhejiang".into(),
        face_version: "1.0".into(),
        file_structure_version: "3.0".into(),
        revision: 1,
        registered_by: "desk".into(),
        registered_at: NOW,
        version: 0,
    }
}

fn key(version: i64, status: &str) -> MasterKeyRecord {
    MasterKeyRecord {
        id: format!("330100-PUR-v{version}"),
        region: RegionCode::new("330100"),
        purpose: "purchase".into(),
        version,
        levels: "000000>330000>330100".into(),
        check_value: "A1B2C3".into(),
        key_store: "software".into(),
        status: status.into(),
        created_by: "desk".into(),
        created_at: NOW,
        retired_at: None,
    }
}

/// The records of card production keep the rules the application counts on.
pub fn production_gates_record_each_step_once_and_one_key_is_active(store: &Store) -> Outcome {
    seed_reference(store)?;
    let (issued, until) = (date("2025-06-01")?, date("2027-05-31")?);
    let credential = move |id: &str, seq: i64, until| VendorCredentialRecord {
        id: id.into(),
        vendor_id: "cv1".into(),
        kind: "psam_filing".into(),
        number: "F-1".into(),
        issued_on: issued,
        valid_until: until,
        recorded_by: "desk".into(),
        recorded_at: NOW,
        seq,
    };
    let renewed = date("2029-05-31")?;
    // Recorded in the same second: the vendor's own count orders them.
    let (first, second) = (credential("vc9", 1, until), credential("vc1", 2, renewed));
    store
        .write(move |tx| {
            tx.insert_card_vendor(&vendor("cv1", "91110000802100433B"))?;
            tx.insert_vendor_credential(&first)?;
            tx.insert_vendor_credential(&second)?;
            tx.insert_card_product(&product())
        })
        .map_err(store_err)?;
    conflict(
        store.write(|tx| tx.insert_card_vendor(&vendor("cv2", "91110000802100433B"))),
        "a second vendor of a credit code must conflict",
    )?;
    let kept = store
        .read(|tx| tx.vendor_credentials("cv1", 10))
        .map_err(store_err)?;
    equal(
        kept.iter().map(|c| c.valid_until).collect::<Vec<_>>(),
        vec![renewed, until],
        "every credential is kept, the last recorded first",
    )?;
    let again = credential("vc5", 2, renewed);
    conflict(
        store.write(move |tx| tx.insert_vendor_credential(&again)),
        "a vendor's count of credentials is unique",
    )?;
    refused_by_schema(
        store,
        "INSERT INTO vendor_credentials VALUES ('vc3', 'cv1', 'psam_filing', 'F', '2026-01-01', '2025-01-01', 'desk', 0, 3)",
        "a credential valid before its issue",
    )?;

    // A change: the product saved over the version read, the change kept once a revision.
    let mut changed = product();
    changed.face_version = "1.1".into();
    changed.revision = 2;
    let (saved, stale) = (changed.clone(), changed.clone());
    let change = ProductChangeRecord {
        product_id: "cp1".into(),
        revision: 2,
        what: "card_face".into(),
        old_value: "1.0".into(),
        new_value: "1.1".into(),
        note: "filing".into(),
        changed_by: "desk".into(),
        changed_at: NOW,
    };
    let twice = change.clone();
    store
        .write(move |tx| {
            tx.save_card_product(&saved)?;
            tx.insert_product_change(&change)
        })
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.save_card_product(&stale)),
        "a second save over the same version must conflict",
    )?;
    conflict(
        store.write(move |tx| tx.insert_product_change(&twice)),
        "one change a revision",
    )?;
    let read = store.read(|tx| tx.card_product("cp1")).map_err(store_err)?;
    equal(
        read.map(|p| (p.face_version, p.revision, p.version)),
        Some(("1.1".to_owned(), 2, 1)),
        "a product reads back as saved",
    )?;

    // The gate of revision 2: a step once, a serial once, an audit once.
    let region = RegionCode::new("330100");
    let approval = GateApprovalRecord {
        product_id: "cp1".into(),
        region: region.clone(),
        revision: 2,
        step: "registration_approval".into(),
        reference: "R-1".into(),
        approved_on: date("2026-02-20")?,
        recorded_by: "desk".into(),
        recorded_at: NOW,
    };
    let card = TestCardRecord {
        id: "tc1".into(),
        product_id: "cp1".into(),
        region: region.clone(),
        revision: 2,
        serial: "T-1".into(),
        made_on: date("2026-02-25")?,
        recorded_by: "vendor".into(),
        recorded_at: NOW,
    };
    let audit = TestCardAuditRecord {
        test_card_id: "tc1".into(),
        audit: "universality".into(),
        passed: true,
        checks: "[[\"read\",true]]".into(),
        note: None,
        audited_on: date("2026-02-28")?,
        recorded_by: "desk".into(),
        recorded_at: NOW,
    };
    let (approval2, card2, audit2) = (approval.clone(), card.clone(), audit.clone());
    store
        .write(move |tx| {
            tx.insert_gate_approval(&approval)?;
            tx.insert_test_card(&card)?;
            tx.insert_test_card_audit(&audit)
        })
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.insert_gate_approval(&approval2)),
        "a step of a revision's gate is recorded once",
    )?;
    let card_again = TestCardRecord {
        id: "tc2".into(),
        ..card2
    };
    conflict(
        store.write(move |tx| tx.insert_test_card(&card_again)),
        "a serial of a revision is recorded once",
    )?;
    conflict(
        store.write(move |tx| tx.insert_test_card_audit(&audit2)),
        "an audit of a test card is recorded once",
    )?;
    let (r1, r2) = (region.clone(), region.clone());
    let steps = store
        .read(move |tx| tx.gate_approvals("cp1", &r1, 2))
        .map_err(store_err)?;
    equal(steps.len(), 1, "the revision's approvals")?;
    let earlier = store
        .read(move |tx| tx.gate_approvals("cp1", &r2, 1))
        .map_err(store_err)?;
    equal(earlier.len(), 0, "another revision's approvals are its own")?;
    let audits = store
        .read(|tx| tx.test_card_audits("tc1"))
        .map_err(store_err)?;
    equal(
        audits.first().map(|a| (a.passed, a.checks.clone())),
        Some((true, "[[\"read\",true]]".to_owned())),
        "an audit reads back with its checks",
    )?;

    // Keys: one active of a region and purpose; a rotation retires the old first.
    store
        .write(|tx| tx.insert_master_key(&key(1, "active")))
        .map_err(store_err)?;
    conflict(
        store.write(|tx| tx.insert_master_key(&key(2, "active"))),
        "a second active key of a region and purpose must conflict",
    )?;
    store
        .write(|tx| {
            tx.retire_master_key("330100-PUR-v1", NOW)?;
            tx.insert_master_key(&key(2, "active"))
        })
        .map_err(store_err)?;
    let r3 = region.clone();
    let keys = store
        .read(move |tx| tx.master_keys(&r3, 10))
        .map_err(store_err)?;
    equal(
        keys.iter()
            .map(|k| (k.id.as_str(), k.status.as_str()))
            .collect::<Vec<_>>(),
        vec![("330100-PUR-v2", "active"), ("330100-PUR-v1", "retired")],
        "the region's keys, newest version first",
    )?;
    let latest = store
        .read(move |tx| tx.latest_master_key(&region, "purchase"))
        .map_err(store_err)?;
    equal(latest.map(|k| k.version), Some(2), "the newest key")?;
    batches_queue_applied_cards_once(store)
}

fn batch(id: &str) -> ProductionBatchRecord {
    ProductionBatchRecord {
        id: id.into(),
        vendor_id: "cv1".into(),
        product_id: "cp1".into(),
        revision: 2,
        region: RegionCode::new("330100"),
        status: "open".into(),
        cards: 2,
        created_by: "desk".into(),
        created_at: NOW,
        shipped_by: None,
        shipped_at: None,
        version: 0,
    }
}

/// A batch takes the region's applied cards that have their bank card number, at most as
/// many as asked, moves them into production, and a card is queued in one batch at a time
/// and reported once.
fn batches_queue_applied_cards_once(store: &Store) -> Outcome {
    let cards = [card("k1", 1)?, card("k2", 2)?, card("k3", 3)?];
    // Applied first, but still waiting for its bank's number: no batch takes it.
    let unnumbered = card("k0", 0)?;
    store
        .write(move |tx| {
            tx.insert_card(&unnumbered, &crate::CardSecrets::default())?;
            for card in &cards {
                let secrets = crate::CardSecrets {
                    bank_card_index: Some(format!("bank-index-{}", card.id)),
                    bank_card_cipher: Some(format!("sealed-{}", card.id)),
                };
                tx.insert_card(card, &secrets)?;
            }
            Ok(())
        })
        .map_err(store_err)?;
    let region = RegionCode::new("330100");
    let r1 = region.clone();
    let (waiting, queued, started) = store
        .write(move |tx| {
            let waiting = tx.applied_cards_waiting(&r1, 2)?;
            tx.insert_production_batch(&batch("b1"))?;
            let queued = tx.queue_applied_cards("b1", &r1, 2)?;
            let started = tx.start_batch_production("b1")?;
            Ok((waiting, queued, started))
        })
        .map_err(store_err)?;
    equal(
        (waiting, queued, started),
        (2, 2, 2),
        "two of three applied cards queued",
    )?;
    let queued_cards = store
        .read(|tx| tx.batch_cards("b1", 0, 10))
        .map_err(store_err)?;
    equal(
        queued_cards.iter().map(|c| c.seq).collect::<Vec<_>>(),
        vec![1, 2],
        "the batch's cards are numbered in order",
    )?;
    let first = queued_cards.first().cloned().ok_or("a first card")?;
    let in_production = store
        .read({
            let id = first.card_id.clone();
            move |tx| tx.card(&shebao_domain::ids::CardId::new(&id))
        })
        .map_err(store_err)?;
    equal(
        in_production.map(|c| c.status.as_str()),
        Some("in_production"),
        "a queued card is in production",
    )?;
    refused_by_schema(
        store,
        "INSERT INTO batch_cards (batch_id, card_id, seq, status) \
         SELECT 'b1', card_id, 9, 'queued' FROM batch_cards WHERE seq = 1",
        "a card queued twice",
    )?;
    let reported = BatchCardRecord {
        status: "produced".into(),
        reported_by: Some("vendor".into()),
        reported_at: Some(NOW),
        ..first
    };
    let twice = reported.clone();
    store
        .write(move |tx| tx.save_batch_card_result(&reported))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.save_batch_card_result(&twice)),
        "a card's result is recorded once",
    )?;
    let counts = store.read(|tx| tx.batch_counts("b1")).map_err(store_err)?;
    equal(
        (counts.queued, counts.produced, counts.failed),
        (1, 1, 0),
        "the batch's counts",
    )?;
    let r2 = region.clone();
    let left = store
        .read(move |tx| tx.applied_cards_waiting(&r2, 10))
        .map_err(store_err)?;
    equal(left, 1, "one applied card still waits")?;
    personalisation_files_keep_one_generation(store)
}

fn part(generation: &str) -> PersonalisationPartRecord {
    PersonalisationPartRecord {
        batch_id: "b1".into(),
        generation: generation.into(),
        part: 1,
        first_seq: 2,
        cards: 1,
        digest: "00".repeat(32),
        sealed: format!("sm4gcm-x25519.{generation}"),
    }
}

/// A vendor has one active sealing key; a batch's page of cards comes with its holders'
/// sealed data; a part is written once per generation, the file once per batch, and the
/// parts of the generations the file does not name are removed.
fn personalisation_files_keep_one_generation(store: &Store) -> Outcome {
    let sealing = |id: &str| SealingKeyRecord {
        id: id.into(),
        vendor_id: "cv1".into(),
        public_key: "AAAA".into(),
        status: "active".into(),
        registered_by: "vendor".into(),
        registered_at: NOW,
        retired_at: None,
    };
    let first = sealing("vsk-1");
    store
        .write(move |tx| tx.insert_sealing_key(&first))
        .map_err(store_err)?;
    let second = sealing("vsk-2");
    conflict(
        store.write(move |tx| tx.insert_sealing_key(&second)),
        "a vendor has one active sealing key",
    )?;
    let rows = store
        .read(|tx| tx.personalisation_rows("b1", 0, 10))
        .map_err(store_err)?;
    equal(
        rows.iter()
            .map(|r| (r.seq, r.in_production))
            .collect::<Vec<_>>(),
        vec![(2, true)],
        "the batch's queued card with its holder",
    )?;
    store
        .write(|tx| {
            tx.insert_personalisation_part(&part("g1"))?;
            tx.insert_personalisation_part(&part("g2"))
        })
        .map_err(store_err)?;
    conflict(
        store.write(|tx| tx.insert_personalisation_part(&part("g1"))),
        "a generation writes a part once",
    )?;
    let file = PersonalisationFileRecord {
        batch_id: "b1".into(),
        generation: "g2".into(),
        sealing_key_id: "vsk-1".into(),
        parts: 1,
        cards: 1,
        issued_on: date("2026-03-01")?,
        valid_until: date("2036-03-01")?,
        manifest: "{}".into(),
        signature: "sig".into(),
        signing_key_id: "bureau-sign-v1".into(),
        generated_by: "desk".into(),
        generated_at: NOW,
    };
    let twice = file.clone();
    let removed = store
        .write(move |tx| {
            tx.insert_personalisation_file(&file)?;
            tx.remove_other_generations("b1", "g2")
        })
        .map_err(store_err)?;
    equal(removed, 1, "the other generation's part removed")?;
    conflict(
        store.write(move |tx| tx.insert_personalisation_file(&twice)),
        "a batch's file is recorded once",
    )?;
    let (old, kept, parts) = store
        .read(|tx| {
            Ok((
                tx.personalisation_part("b1", "g1", 1)?,
                tx.personalisation_part("b1", "g2", 1)?,
                tx.personalisation_file_parts("b1")?,
            ))
        })
        .map_err(store_err)?;
    equal(
        (old.is_none(), kept.map(|p| p.sealed), parts),
        (true, Some("sm4gcm-x25519.g2".to_owned()), Some(1)),
        "only the file's generation is kept",
    )?;
    super::distribution::deliveries_are_closed_once(store)
}
