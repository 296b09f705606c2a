//! Cards: a card round-trips through every field the domain sets.

use shebao_domain::card::pin::PinVerificationValue;
use shebao_domain::card::{Card, LossKind, Side};
use shebao_domain::ids::{AccountId, CardId};
use shebao_domain::reference::region::RegionParameters;

use crate::records::*;
use crate::{Store, StoreError};

use super::{NOW, Outcome, card, conflict, equal, seed_reference, store_err};

/// `applied` made, collected with a PIN and an account, then lost on both sides: every
/// field the domain sets is set.
fn collected_and_lost(applied: Card) -> Result<Card, String> {
    let params = RegionParameters::common();
    applied
        .start_production()
        .and_then(|c| c.mark_ready("branch-7", &params, NOW))
        .and_then(|c| {
            c.collect(
                true,
                PinVerificationValue::new("k1:abc"),
                AccountId::new("a1"),
                NOW,
            )
        })
        .and_then(|c| c.report_loss(Side::Social, LossKind::Temporary, &params, NOW))
        .and_then(|c| c.report_loss(Side::Financial, LossKind::Formal, &params, NOW))
        .map_err(|r| r.to_string())
}

/// A card comes back exactly as saved, through every field the domain sets.
pub fn cards_round_trip(store: &Store) -> Outcome {
    seed_reference(store)?;
    let applied = card("c1", 1)?;
    let secrets = CardSecrets {
        bank_card_index: Some("bidx".into()),
        bank_card_cipher: Some("k1:bc".into()),
    };
    let (first, s) = (applied.clone(), secrets.clone());
    store
        .write(move |tx| tx.insert_card(&first, &s))
        .map_err(store_err)?;
    let ready = collected_and_lost(applied)?;
    let saved = ready.clone();
    store
        .write(move |tx| tx.update_card(&saved))
        .map_err(store_err)?;
    let number = ready.card_number.clone();
    let (loaded, loaded_secrets, by_index, by_number) = store
        .read(move |tx| {
            Ok::<_, StoreError>((
                tx.card(&CardId::new("c1"))?,
                tx.card_secrets(&CardId::new("c1"))?,
                tx.card_by_bank_card_index("bidx")?,
                tx.card_by_number(&number)?,
            ))
        })
        .map_err(store_err)?;
    equal(
        loaded,
        Some(Card {
            version: 1,
            ..ready.clone()
        }),
        "card after save",
    )?;
    equal(loaded_secrets, secrets, "card secrets")?;
    let look_ups = [
        (by_index, "card by bank card index"),
        (by_number, "card by its printed number"),
    ];
    for (found, what) in look_ups {
        equal(found.map(|c| c.id), Some(CardId::new("c1")), what)?;
    }
    let stale = store.write(move |tx| tx.update_card(&ready));
    conflict(stale, "a stale card save")?;
    let duplicate = card("c2", 1)?;
    let clash = store.write(move |tx| tx.insert_card(&duplicate, &CardSecrets::default()));
    conflict(clash, "a card number is unique")
}

fn ecard(id: &str) -> ECardRecord {
    ECardRecord {
        id: id.into(),
        card_id: "c1".into(),
        person_id: "p1".into(),
        status: "active".into(),
        issued_by: "holder".into(),
        issued_at: NOW,
        revoked_by: None,
        revoked_at: None,
        revoke_reason: None,
    }
}

fn ecard_key(version: i64) -> ECardKeyRecord {
    ECardKeyRecord {
        id: format!("330100-ecard-v{version}"),
        region: shebao_domain::ids::RegionCode::new("330100"),
        version,
        public_key: "00".repeat(32),
        key_store: "software".into(),
        status: "current".into(),
        created_by: "desk".into(),
        created_at: NOW,
        retired_at: None,
    }
}

/// Issue 19: one active electronic card a card (a revoked one makes room), revoked once; one
/// current e-card key a region (retired, then withdrawn, keeping when it was retired); a
/// payment code's nonce used once.
pub fn ecards_are_one_active_a_card_and_codes_used_once(store: &Store) -> Outcome {
    seed_reference(store)?;
    let applied = card("c1", 1)?;
    store
        .write(move |tx| tx.insert_card(&applied, &CardSecrets::default()))
        .map_err(store_err)?;
    conflict(
        super::second_write(store, [ecard("e1"), ecard("e2")], |tx, e| {
            tx.insert_ecard(e)
        })?,
        "a second active electronic card of a card must conflict",
    )?;
    let revoked = ECardRecord {
        status: "revoked".into(),
        revoked_by: Some("clerk".into()),
        revoked_at: Some(NOW),
        revoke_reason: Some("device_lost".into()),
        ..ecard("e1")
    };
    let again = revoked.clone();
    store
        .write(move |tx| tx.revoke_ecard(&revoked))
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.revoke_ecard(&again)),
        "a revoked electronic card is not revoked twice",
    )?;
    store
        .write(|tx| tx.insert_ecard(&ecard("e2")))
        .map_err(store_err)?;
    let (active, mine) = store
        .read(|tx| Ok::<_, StoreError>((tx.active_ecard("c1")?, tx.ecards_of("p1", 10)?)))
        .map_err(store_err)?;
    equal(
        active.map(|e| e.id),
        Some("e2".to_owned()),
        "the active one",
    )?;
    equal(mine.len(), 2, "the person's electronic cards")?;

    store
        .write(|tx| tx.insert_ecard_key(&ecard_key(1)))
        .map_err(store_err)?;
    conflict(
        store.write(|tx| tx.insert_ecard_key(&ecard_key(2))),
        "a second current key of a region must conflict",
    )?;
    let later = shebao_domain::time::Timestamp::from_unix_seconds(NOW.unix_seconds() + 60);
    store
        .write(move |tx| {
            tx.end_ecard_key("330100-ecard-v1", "retired", NOW)?;
            tx.insert_ecard_key(&ecard_key(2))?;
            tx.end_ecard_key("330100-ecard-v1", "withdrawn", later)
        })
        .map_err(store_err)?;
    conflict(
        store.write(move |tx| tx.end_ecard_key("330100-ecard-v1", "retired", later)),
        "a withdrawn key is not retired again",
    )?;
    let region = shebao_domain::ids::RegionCode::new("330100");
    let keys = store
        .read(move |tx| tx.ecard_keys_of(&region, 10))
        .map_err(store_err)?;
    equal(
        keys.iter()
            .map(|k| (k.id.as_str(), k.status.as_str(), k.retired_at))
            .collect::<Vec<_>>(),
        vec![
            ("330100-ecard-v2", "current", None),
            ("330100-ecard-v1", "withdrawn", Some(NOW)),
        ],
        "the keys, newest first, the withdrawn one keeping its retirement",
    )?;
    // Published: the current key, and an ended key only while its codes may live.
    let published = |since: i64| {
        store
            .read(move |tx| {
                tx.published_ecard_keys(
                    shebao_domain::time::Timestamp::from_unix_seconds(since),
                    10,
                )
            })
            .map(|keys| keys.into_iter().map(|k| k.id).collect::<Vec<_>>())
            .map_err(store_err)
    };
    equal(
        published(NOW.unix_seconds())?,
        vec!["330100-ecard-v2".to_owned(), "330100-ecard-v1".to_owned()],
        "an ended key published while its codes may live",
    )?;
    equal(
        published(NOW.unix_seconds() + 1)?,
        vec!["330100-ecard-v2".to_owned()],
        "an ended key no longer published",
    )?;

    let used = |nonce: &str| CodeUseRecord {
        nonce: nonce.into(),
        ecard_id: "e2".into(),
        used_by: "clerk".into(),
        used_at: NOW,
        expires_at: NOW,
    };
    conflict(
        super::second_write(store, [used("n1"), used("n1")], |tx, u| {
            tx.insert_code_use(u)
        })?,
        "a payment code is used once",
    )?;
    let found = store.read(|tx| tx.code_use("n1")).map_err(store_err)?;
    equal(found, Some(used("n1")), "a code's use reads back")?;
    let later = shebao_domain::time::Timestamp::from_unix_seconds(NOW.unix_seconds() + 1);
    let purged = store
        .write(move |tx| tx.purge_code_uses(later))
        .map_err(store_err)?;
    equal(purged, 1, "an expired code's use is forgotten")
}
