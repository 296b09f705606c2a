//! Finding a card at a counter by what the person in front of the desk shows: the card
//! number printed on the card, the ID number, or the bank card number. Each search is
//! limited per actor like a look-up by ID number and writes exactly one audit record, hit,
//! miss or hidden, with the number masked in its detail.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::person::PersonName;
use shebao_domain::person::identity::{BankCardNumber, CardNumber};
use shebao_store::AuditEvent;

use super::{BANK_CARD_INDEX, card_in_scope, card_view};
use crate::error::RefusalCode;
use crate::person::{LookupScope, NAME_INDEX};
use crate::views::CardView;
use crate::{Actor, App, AppError};

/// What a card is searched by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CardSearchBy {
    /// The number printed on the card's face (a letter and eight digits).
    CardNumber,
    /// The holder's 18-digit ID number: every card of the person the actor may see.
    CitizenId,
    /// The bank card number of the card's financial side.
    BankCardNumber,
    /// The holder's full name, as on the ID card: the cards of every person of that name
    /// (a bureau clerk only; more than [`NAME_SEARCH_MAX`] namesakes are refused; each
    /// person shown takes a look-up slot).
    Name,
}

impl CardSearchBy {
    /// The value as the API and the forms name it.
    pub fn as_str(self) -> &'static str {
        match self {
            CardSearchBy::CardNumber => "card_number",
            CardSearchBy::CitizenId => "citizen_id",
            CardSearchBy::BankCardNumber => "bank_card_number",
            CardSearchBy::Name => "name",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CardSearch {
    pub by: CardSearchBy,
    /// The number as typed (spaces between groups of digits are ignored), or the name.
    #[schemars(length(min = 1, max = 40))]
    pub number: String,
}

/// Most persons a search by name answers: more namesakes are refused as
/// `too_many_namesakes` (the clerk asks for the ID number instead).
pub const NAME_SEARCH_MAX: usize = 20;

/// What a search by name came to in its transaction.
enum ByName {
    /// The cards found (none: nobody of that name holds a card the clerk may see).
    Found(Vec<CardView>),
    /// More namesakes than a page lists.
    TooMany,
    /// The namesakes would take the clerk past the look-up limit (seconds to wait).
    Limited(i64),
}

/// What the store is asked: a card number, or a bank card number's blind index.
enum Key {
    Number(CardNumber),
    Bank(String),
}

/// A card or bank card number for the audit trail: its length kept, all but its last four
/// characters hidden (the last four are what a receipt shows anyway).
fn mask_number(input: &str) -> String {
    let shown: Vec<char> = input.chars().filter(char::is_ascii_alphanumeric).collect();
    let hidden = shown.len().saturating_sub(4);
    shown
        .iter()
        .enumerate()
        .map(|(i, c)| if i < hidden { '*' } else { *c })
        .collect()
}

impl App {
    /// The cards a number finds, the newest first, among those the actor may see. An ID
    /// number is looked up as [`App::find_person`] does (limited, audited as
    /// `person.lookup`); a card or bank card number takes a look-up slot too and writes one
    /// `card.lookup` record (the ID number's length is checked by its parser, a card
    /// number's here, audited too). Nothing found and a card out of the actor's scope both
    /// answer `not_found`.
    pub fn find_cards(&self, actor: &Actor, search: CardSearch) -> Result<Vec<CardView>, AppError> {
        self.authorise(actor, Operation::ReadCard)?;
        if search.by == CardSearchBy::Name {
            return self.find_cards_by_name(actor, &search.number);
        }
        if search.by == CardSearchBy::CitizenId {
            let person = self.look_up_citizen(actor, &search.number, LookupScope::Person)?;
            let mut cards = self.cards_of_person(actor, person.id.as_str())?;
            cards.reverse();
            return Ok(cards);
        }
        let now = self.now();
        let event = |subject: String, outcome: &str| AuditEvent {
            at: now,
            actor: actor.label(),
            action: "card.lookup".into(),
            subject,
            outcome: outcome.to_owned(),
            detail: serde_json::json!({ "by": search.by, "number": mask_number(&search.number) })
                .to_string(),
        };
        let record = |event: AuditEvent| {
            self.store
                .write(move |tx| tx.append_audit(&event).map(|_| ()))
        };
        if search.number.chars().count() > 40 {
            record(event("card:-".into(), "refused:invalid_request"))?;
            return Err(AppError::invalid("number", "at most 40 characters"));
        }
        if let Err(retry_after_seconds) = self.lookups.admit(actor.user_id.as_str(), now) {
            record(event("card:-".into(), "refused:too_many_lookups"))?;
            return Err(AppError::TooManyLookups {
                retry_after_seconds,
            });
        }
        let parsed = match search.by {
            CardSearchBy::CardNumber => CardNumber::parse(&search.number).map(Key::Number),
            _ => BankCardNumber::parse(&search.number)
                .map(|bank| Key::Bank(self.vault.blind_index(BANK_CARD_INDEX, bank.as_str()))),
        };
        let key = match parsed {
            Ok(key) => key,
            Err(error) => {
                record(event("card:-".into(), &format!("refused:{}", error.code())))?;
                return Err(AppError::Identity {
                    field: "number",
                    error,
                });
            }
        };
        let (actor_in, vault, miss, hit) = (
            actor.clone(),
            self.vault.clone(),
            event("card:-".into(), "refused:not_found"),
            event(String::new(), ""),
        );
        self.store
            .write(move |tx| -> Result<Option<CardView>, AppError> {
                let found = match &key {
                    Key::Bank(index) => tx.card_by_bank_card_index(index)?,
                    Key::Number(number) => tx.card_by_number(number)?,
                };
                let Some(card) = found else {
                    tx.append_audit(&miss)?;
                    return Ok(None);
                };
                let visible = card_in_scope(&actor_in, &card);
                tx.append_audit(&AuditEvent {
                    subject: format!("card:{}", card.id),
                    outcome: if visible { "ok" } else { "denied" }.into(),
                    ..hit.clone()
                })?;
                if !visible {
                    return Ok(None);
                }
                Ok(Some(card_view(tx, &vault, &card, now)?))
            })?
            // A miss and another's card answer alike, as a look-up by ID number does.
            .map(|card| vec![card])
            .ok_or_else(|| AppError::NotFound("card".into()))
    }
}

impl App {
    /// The cards of every person named `typed`, each person's newest first: a bureau
    /// clerk's search (any other role is forbidden). It takes a look-up slot per person
    /// shown (at least one) and writes one `card.lookup` record per person found (subject
    /// that person; outcome `ok`, `denied` when none of their cards is the clerk's to see,
    /// or `refused:no_card`), or one record for a miss or a refusal, with the name masked to
    /// its first character.
    fn find_cards_by_name(&self, actor: &Actor, typed: &str) -> Result<Vec<CardView>, AppError> {
        let now = self.now();
        let parsed = PersonName::parse(typed.trim());
        let shown = parsed
            .as_ref()
            .map_or_else(|_| "-".to_owned(), PersonName::masked);
        let label = actor.label();
        let event = move |subject: String, outcome: &str| AuditEvent {
            at: now,
            actor: label.clone(),
            action: "card.lookup".into(),
            subject,
            outcome: outcome.to_owned(),
            detail: serde_json::json!({ "by": CardSearchBy::Name, "name": shown }).to_string(),
        };
        let record = |event: AuditEvent| {
            self.store
                .write(move |tx| tx.append_audit(&event).map(|_| ()))
        };
        if actor.role != Role::BureauClerk {
            record(event("person:-".into(), "denied"))?;
            return Err(AppError::Forbidden);
        }
        if let Err(retry_after_seconds) = self.lookups.admit(actor.user_id.as_str(), now) {
            record(event("person:-".into(), "refused:too_many_lookups"))?;
            return Err(AppError::TooManyLookups {
                retry_after_seconds,
            });
        }
        let name = match parsed {
            Ok(name) => name,
            Err(error) => {
                record(event("person:-".into(), "refused:invalid_request"))?;
                return Err(AppError::invalid(error.field(), error.reason()));
            }
        };
        let index = self.vault.blind_index(NAME_INDEX, name.expose());
        let (actor_in, vault) = (actor.clone(), self.vault.clone());
        let lookups = self.lookups.clone();
        // A refusal is answered after the transaction, so that its audit record commits (an
        // error inside would roll it back).
        let found = self.store.write(move |tx| -> Result<ByName, AppError> {
            let limit = i64::try_from(NAME_SEARCH_MAX + 1).unwrap_or(i64::MAX);
            let persons = tx.persons_by_name_index(&index, limit)?;
            if persons.is_empty() {
                tx.append_audit(&event("person:-".into(), "refused:not_found"))?;
                return Ok(ByName::Found(Vec::new()));
            }
            if persons.len() > NAME_SEARCH_MAX {
                tx.append_audit(&event("person:-".into(), "refused:too_many_namesakes"))?;
                return Ok(ByName::TooMany);
            }
            // Each person shown is a look-up: the search took one slot, the others take one
            // each, so that namesakes are no way around the limit.
            for _ in 1..persons.len() {
                if let Err(retry) = lookups.admit(actor_in.user_id.as_str(), now) {
                    tx.append_audit(&event("person:-".into(), "refused:too_many_lookups"))?;
                    return Ok(ByName::Limited(retry));
                }
            }
            let mut views = Vec::new();
            for person in &persons {
                let cards = tx.cards_of_person(&person.id)?;
                let visible: Vec<_> = cards
                    .iter()
                    .rev()
                    .filter(|card| card_in_scope(&actor_in, card))
                    .collect();
                let outcome = match (cards.is_empty(), visible.is_empty()) {
                    (true, _) => "refused:no_card",
                    (false, true) => "denied",
                    (false, false) => "ok",
                };
                tx.append_audit(&event(format!("person:{}", person.id), outcome))?;
                for card in visible {
                    views.push(card_view(tx, &vault, card, now)?);
                }
            }
            Ok(ByName::Found(views))
        })?;
        let found = match found {
            ByName::Found(views) => views,
            ByName::TooMany => {
                return Err(AppError::Rule {
                    code: RefusalCode::TooManyNamesakes,
                    message: format!(
                        "more than {NAME_SEARCH_MAX} persons have this name: search by ID number"
                    ),
                });
            }
            ByName::Limited(retry_after_seconds) => {
                return Err(AppError::TooManyLookups {
                    retry_after_seconds,
                });
            }
        };
        if found.is_empty() {
            return Err(AppError::NotFound("card".into()));
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::{CardSearchBy, mask_number};

    #[test]
    fn a_search_kind_is_named_as_serde_names_it() {
        for by in [
            CardSearchBy::CardNumber,
            CardSearchBy::CitizenId,
            CardSearchBy::BankCardNumber,
            CardSearchBy::Name,
        ] {
            assert_eq!(serde_json::to_value(by).ok(), Some(by.as_str().into()));
        }
    }

    #[test]
    fn a_searched_number_keeps_only_its_last_four_characters() {
        assert_eq!(mask_number("X67353332"), "*****3332");
        assert_eq!(
            mask_number("6212 2600 0000 0009 245"),
            "***************9245"
        );
        assert_eq!(mask_number("12"), "12");
        assert_eq!(mask_number("a\"b,c<d"), "abcd");
    }
}
