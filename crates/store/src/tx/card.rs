//! Cards: a card's whole life in one row, with the bank card number it carries kept as
//! blind index and ciphertext.

use shebao_domain::card::pin::{PinCounter, PinVerificationValue};
use shebao_domain::card::{Card, CardKind, CardStatus, Loss};
use shebao_domain::ids::{AccountId, BankId, CardId, PersonId, RegionCode};
use shebao_domain::person::identity::{CardIdentificationCode, CardNumber};
use shebao_domain::time::Timestamp;

use super::{Tx, accessors};
use crate::codec::{Cols, columns, id_val};
use crate::records::CardSecrets;
use crate::{StoreError, Val};

columns! {
    /// The columns of a card, as the domain's [`Card`] holds them.
    mod cards: Card = card_from {
        id, person_id, kind, status, region_code, bank_id, account_id, card_number,
        identification_code, social_pin_vv, social_pin_failures, social_pin_locked, social_loss,
        social_loss_expires_at, financial_loss, financial_loss_expires_at, distribution_point,
        applied_at, collected_at, expires_on, replaces, replaced_by, closed_reason, version,
    }
}

const CARD_COLUMNS: &str = cards::LIST;

fn loss_vals(loss: Loss) -> (Val, Val) {
    let expires = match loss {
        Loss::Temporary { expires_at } => Some(expires_at.unix_seconds()),
        Loss::None | Loss::Formal => None,
    };
    (Val::from(loss.kind_str()), Val::from(expires))
}

fn loss_from(cols: &Cols<'_>, kind: usize, expires: usize) -> Result<Loss, StoreError> {
    match cols.text(kind)?.as_str() {
        "none" => Ok(Loss::None),
        "formal" => Ok(Loss::Formal),
        "temporary" => Ok(Loss::Temporary {
            expires_at: cols.time(expires)?,
        }),
        _ => Err(cols.corrupt(kind)),
    }
}

fn card_from(c: &Cols<'_>) -> Result<Card, StoreError> {
    use cards::*;
    Ok(Card {
        id: CardId::new(c.text(id)?),
        person_id: PersonId::new(c.text(person_id)?),
        kind: c.parsed(kind, CardKind::parse)?,
        status: c.parsed(status, CardStatus::parse)?,
        region: RegionCode::new(c.text(region_code)?),
        bank_id: c.opt_text(bank_id)?.map(BankId::new),
        account_id: c.opt_text(account_id)?.map(AccountId::new),
        card_number: c.parsed(card_number, |s| CardNumber::parse(s).ok())?,
        identification_code: c.parsed(identification_code, |s| {
            CardIdentificationCode::parse(s).ok()
        })?,
        social_pin: c.opt_text(social_pin_vv)?.map(PinVerificationValue::new),
        social_pin_counter: PinCounter {
            failures: c.u32(social_pin_failures)?,
            locked: c.int(social_pin_locked)? != 0,
        },
        social_loss: loss_from(c, social_loss, social_loss_expires_at)?,
        financial_loss: loss_from(c, financial_loss, financial_loss_expires_at)?,
        distribution_point: c.opt_text(distribution_point)?,
        applied_at: c.time(applied_at)?,
        collected_at: c.opt_time(collected_at)?,
        expires_on: c.opt_date(expires_on)?,
        replaces: c.opt_text(replaces)?.map(CardId::new),
        replaced_by: c.opt_text(replaced_by)?.map(CardId::new),
        closed_reason: c.opt_text(closed_reason)?,
        version: c.int(version)?,
    })
}

/// A card's values in the order of [`cards::LIST`], without its version.
fn card_vals(card: &Card) -> Vec<Val> {
    let (social_loss, social_expires) = loss_vals(card.social_loss);
    let (financial_loss, financial_expires) = loss_vals(card.financial_loss);
    vec![
        card.id.as_str().into(),
        card.person_id.as_str().into(),
        card.kind.as_str().into(),
        card.status.as_str().into(),
        card.region.as_str().into(),
        id_val(card.bank_id.as_ref().map(BankId::as_str)),
        id_val(card.account_id.as_ref().map(AccountId::as_str)),
        card.card_number.as_str().into(),
        card.identification_code.as_str().into(),
        id_val(card.social_pin.as_ref().map(PinVerificationValue::as_str)),
        i64::from(card.social_pin_counter.failures).into(),
        card.social_pin_counter.locked.into(),
        social_loss,
        social_expires,
        financial_loss,
        financial_expires,
        card.distribution_point.clone().into(),
        card.applied_at.unix_seconds().into(),
        card.collected_at.map(Timestamp::unix_seconds).into(),
        card.expires_on.map(|d| d.to_string()).into(),
        id_val(card.replaces.as_ref().map(CardId::as_str)),
        id_val(card.replaced_by.as_ref().map(CardId::as_str)),
        card.closed_reason.clone().into(),
    ]
}

impl Tx<'_> {
    pub fn insert_card(&mut self, card: &Card, secrets: &CardSecrets) -> Result<(), StoreError> {
        let mut params = card_vals(card);
        params.push(secrets.bank_card_index.clone().into());
        params.push(secrets.bank_card_cipher.clone().into());
        self.run(
            &format!(
                "INSERT INTO cards ({CARD_COLUMNS}, bank_card_index, bank_card_cipher) VALUES \
                 ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
                 $21, $22, $23, 0, $24, $25)"
            ),
            &params,
        )
    }

    accessors! {
        pub fn card(id: &CardId) -> Option<Card> = "WHERE id = $1";
        pub fn card_by_bank_card_index(index: &str) -> Option<Card> = "WHERE bank_card_index = $1";
    }

    /// Whether a card holds this printed number or this identification code (each unique):
    /// a new card's numbers are drawn again when one is taken.
    pub fn card_numbers_taken(
        &mut self,
        number: &CardNumber,
        identification_code: &str,
    ) -> Result<bool, StoreError> {
        self.one(
            "SELECT 1 FROM cards WHERE card_number = $1 OR identification_code = $2",
            &[number.as_str().into(), identification_code.into()],
            |_| Ok(()),
        )
        .map(|found| found.is_some())
    }

    /// The card with this identification code (unique), as a vendor reports it.
    pub fn card_by_identification_code(&mut self, code: &str) -> Result<Option<Card>, StoreError> {
        self.find("WHERE identification_code = $1", &[code.into()])
    }

    /// The card with this printed number (unique), as presented at a counter.
    pub fn card_by_number(&mut self, number: &CardNumber) -> Result<Option<Card>, StoreError> {
        self.find("WHERE card_number = $1", &[number.as_str().into()])
    }

    pub fn card_secrets(&mut self, id: &CardId) -> Result<CardSecrets, StoreError> {
        self.one(
            "SELECT bank_card_index, bank_card_cipher FROM cards WHERE id = $1",
            &[id.as_str().into()],
            |row| {
                let c = Cols::new(row, "cards");
                Ok(CardSecrets {
                    bank_card_index: c.opt_text(0)?,
                    bank_card_cipher: c.opt_text(1)?,
                })
            },
        )
        .map(Option::unwrap_or_default)
    }

    accessors! {
        pub fn cards_of_person(person: &PersonId) -> Vec<Card>
            = "WHERE person_id = $1 ORDER BY applied_at, id";
        /// A bank's applied cards still waiting for the bank's own card number, the oldest
        /// application first.
        pub fn cards_awaiting_bank_number(bank: &BankId, limit: i64) -> Vec<Card>
            = "WHERE bank_id = $1 AND status = 'applied' AND kind = 'standard' \
               AND bank_card_cipher IS NULL ORDER BY applied_at, id LIMIT $2";
    }

    /// Gives a card that has none its bank card number (the bank's own): whether it had
    /// none.
    pub fn set_bank_card_number(
        &mut self,
        id: &CardId,
        secrets: &CardSecrets,
    ) -> Result<bool, StoreError> {
        Ok(self.exec(
            "UPDATE cards SET bank_card_index = $1, bank_card_cipher = $2 \
             WHERE id = $3 AND bank_card_cipher IS NULL",
            &[
                secrets.bank_card_index.clone().into(),
                secrets.bank_card_cipher.clone().into(),
                id.as_str().into(),
            ],
        )? == 1)
    }

    /// Saves a card over `card.version`.
    pub fn update_card(&mut self, card: &Card) -> Result<(), StoreError> {
        self.update_versioned(
            "card",
            "UPDATE cards SET person_id = $2, kind = $3, status = $4, region_code = $5, bank_id = $6, \
             account_id = $7, card_number = $8, identification_code = $9, social_pin_vv = $10, \
             social_pin_failures = $11, social_pin_locked = $12, social_loss = $13, social_loss_expires_at = $14, \
             financial_loss = $15, financial_loss_expires_at = $16, distribution_point = $17, applied_at = $18, \
             collected_at = $19, expires_on = $20, replaces = $21, replaced_by = $22, closed_reason = $23, \
             version = version + 1 WHERE id = $1 AND version = $24",
            card_vals(card),
            card.version,
        )
    }
}
