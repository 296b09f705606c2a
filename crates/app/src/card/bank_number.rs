//! The bank card number from the card's bank (issue 18, item 6). A bank whose own card
//! system assigns its numbers (`numbers_from_bank`) leaves its applied cards without one;
//! its system lists them and gives each its number through the API — Luhn-checked, of the
//! bank's BIN, unique among all cards, sealed at rest like any bank card number — and only
//! then does the card go into production (a batch, an instant issue or the window's single
//! card). The bureau never invents a number for such a bank.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::card::{CardKind, CardStatus};
use shebao_domain::ids::{BankId, CardId};
use shebao_domain::person::identity::{BANK_CARD_NUMBER_PATTERN, BankCardNumber};

use super::{BANK_CARD_INDEX, card_view, load_card, seal_bank_card};
use crate::error::{OrNotFound, RefusalCode, rule};
use crate::views::CardView;
use crate::{Actor, App, AppError, Audit};

/// The most cards one list of cards awaiting their number answers.
const AWAITING_LISTED_MAX: i64 = 1_000;

/// The bank card number the bank's system gives a card.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BankCardAssignment {
    /// 12 to 19 digits, Luhn-valid (spaces allowed).
    #[schemars(regex(pattern = BANK_CARD_NUMBER_PATTERN))]
    pub bank_card_number: String,
}

/// A card awaiting its bank card number: nothing of its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CardAwaitingNumber {
    pub card_id: String,
    pub card_number: String,
    pub region: String,
    pub applied_at: String,
}

/// A bank's applied cards awaiting their number, the oldest application first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "CardsAwaitingNumber")]
pub struct AwaitingNumberView {
    pub bank_id: String,
    pub cards: Vec<CardAwaitingNumber>,
}

/// Whether the actor is the system of `bank`.
fn bank_system_of(actor: &Actor, bank: &str) -> bool {
    actor.role == Role::BankSystem && actor.scope.bank_id.as_ref().map(BankId::as_str) == Some(bank)
}

impl App {
    /// A bank's system lists its applied cards still waiting for its number (at most
    /// 1,000, the oldest first).
    pub fn cards_awaiting_bank_number(
        &self,
        actor: &Actor,
        bank: &str,
    ) -> Result<AwaitingNumberView, AppError> {
        self.authorise(actor, Operation::AssignBankCardNumber)?;
        let id = BankId::new(bank);
        let subject = format!("bank:{bank}");
        self.read_for(
            actor,
            Operation::AssignBankCardNumber,
            &subject,
            move |tx, r| {
                // Another bank's cards are hidden like a bank that does not exist.
                if !bank_system_of(&r.actor, id.as_str()) {
                    return Err(AppError::Hidden(format!("bank {id}")));
                }
                tx.bank(&id)?.or_not_found("bank", &id)?;
                let cards = tx
                    .cards_awaiting_bank_number(&id, AWAITING_LISTED_MAX)?
                    .into_iter()
                    .map(|card| CardAwaitingNumber {
                        card_id: card.id.as_str().to_owned(),
                        card_number: card.card_number.as_str().to_owned(),
                        region: card.region.as_str().to_owned(),
                        applied_at: card.applied_at.to_string(),
                    })
                    .collect();
                Ok(AwaitingNumberView {
                    bank_id: id.as_str().to_owned(),
                    cards,
                })
            },
        )
    }

    /// A bank's system gives an applied card of its bank the bank card number its own card
    /// system assigned: once, Luhn-valid, of the bank's BIN, no other card's (refused,
    /// audited, as `bank_card_number_taken`).
    pub fn assign_bank_card_number(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: BankCardAssignment,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::AssignBankCardNumber)?;
        let number = BankCardNumber::parse(&request.bank_card_number)
            .map_err(|e| AppError::invalid("bank_card_number", e.to_string()))?;
        let (id, actor_in, vault) = (CardId::new(card), actor.clone(), self.vault.clone());
        let audit = Audit::on("card.bank_number", format!("card:{card}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let card = load_card(tx, &actor_in, &id)?;
            let bank = card
                .bank_id
                .clone()
                .filter(|_| card.kind == CardKind::Standard)
                .ok_or_else(|| rule(RefusalCode::WrongState, "a temporary card has no bank"))?;
            let bank_record = tx.bank(&bank)?.or_not_found("bank", &bank)?;
            if !bank_record.numbers_from_bank {
                return Err(rule(
                    RefusalCode::WrongState,
                    "the bureau draws this bank's card numbers from its BIN",
                ));
            }
            if card.status != CardStatus::Applied {
                return Err(rule(
                    RefusalCode::WrongState,
                    "a bank card number is given while the card is applied for",
                ));
            }
            if tx.card_secrets(&card.id)?.bank_card_cipher.is_some() {
                return Err(rule(
                    RefusalCode::WrongState,
                    "the card already has its bank card number",
                ));
            }
            if !number.as_str().starts_with(&bank_record.bin) {
                return Err(AppError::invalid(
                    "bank_card_number",
                    "a number of the bank's own BIN",
                ));
            }
            let index = vault.blind_index(BANK_CARD_INDEX, number.as_str());
            if tx.card_by_bank_card_index(&index)?.is_some() {
                return Err(rule(
                    RefusalCode::BankCardNumberTaken,
                    "the bank card number belongs to another card",
                ));
            }
            let secrets = seal_bank_card(&vault, &number)?;
            if !tx.set_bank_card_number(&card.id, &secrets)? {
                return Err(AppError::Internal("a card numbered meanwhile".into()));
            }
            let view = card_view(tx, &vault, &card, now)?;
            Ok((view, "{}".to_owned()))
        })
    }
}
