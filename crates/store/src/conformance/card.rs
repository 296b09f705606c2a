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
