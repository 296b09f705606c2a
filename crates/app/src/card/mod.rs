//! The card's life: application, production, collection, the social PIN, financial
//! activation at the card's own bank, loss, replacement, renewal, temporary cards and
//! cancellation. This module holds the requests and what the use cases share (loading a
//! card in the actor's scope, its view); the use cases are in `life`, `activation` and
//! `loss`, the PIN helpers in `pin`.

mod activation;
mod bank_number;
pub mod ecard;
pub mod ecard_keys;
mod history;
mod life;
mod loss;
pub mod pin;
mod search;

pub use bank_number::{AwaitingNumberView, BankCardAssignment, CardAwaitingNumber};
pub use history::CARD_HISTORY_ACTIONS;
pub(crate) use life::has_bank_card_number;
pub use search::{CardSearch, CardSearchBy, NAME_SEARCH_MAX};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Role;
use shebao_domain::card::pin::{PIN_PATTERN, Pin};
use shebao_domain::card::{Card, CardKind, NewCard, Side};
use shebao_domain::ids::{BankId, CardId, PersonId, REGION_CODE_PATTERN, RegionCode};
use shebao_domain::person::identity::{
    BankCardNumber, CITIZEN_ID_PATTERN, CardIdentificationCode, CardNumber, CitizenId,
};
use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use shebao_domain::time::{Timestamp, UtcOffset};
use shebao_store::{CardSecrets, Tx};

use crate::error::OrNotFound;
use crate::person::{CITIZEN_CONTEXT, CITIZEN_INDEX, parse_citizen_id};
use crate::vault::random_bytes;
use crate::views::CardView;
use crate::{Actor, App, AppError, Audit, Vault, new_id};

pub(crate) const BANK_CARD_CONTEXT: &str = "card.bank_card_number";
pub(crate) const BANK_CARD_INDEX: &str = "bank_card_number";

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CardApplication {
    pub person_id: String,
    pub bank_id: String,
    #[schemars(regex(pattern = REGION_CODE_PATTERN))]
    pub region: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TemporaryCardRequest {
    pub person_id: String,
    #[schemars(regex(pattern = REGION_CODE_PATTERN))]
    pub region: String,
    /// The ID number read from the original ID card presented.
    #[schemars(regex(pattern = CITIZEN_ID_PATTERN))]
    pub citizen_id: String,
    #[schemars(regex(pattern = PIN_PATTERN), extend("writeOnly" = true))]
    pub social_pin: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadyRequest {
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub distribution_point: String,
}

/// At collection the holder shows the original ID card and chooses a social PIN.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectRequest {
    #[schemars(regex(pattern = CITIZEN_ID_PATTERN))]
    pub citizen_id: String,
    #[schemars(regex(pattern = PIN_PATTERN), extend("writeOnly" = true))]
    pub social_pin: String,
}

/// The holder collects a card the carrier delivered into their own hands: the social PIN
/// they choose (the carrier checked the ID card).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MailedCollect {
    #[schemars(regex(pattern = PIN_PATTERN), extend("writeOnly" = true))]
    pub social_pin: String,
}

/// At activation the teller checks the original ID card; the holder enters a PIN.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivateRequest {
    #[schemars(regex(pattern = CITIZEN_ID_PATTERN))]
    pub citizen_id: String,
    #[schemars(regex(pattern = PIN_PATTERN), extend("writeOnly" = true))]
    pub pin: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PinRequest {
    #[schemars(regex(pattern = PIN_PATTERN), extend("writeOnly" = true))]
    pub pin: String,
    /// Where the card is used; a temporary card works only in its region.
    #[schemars(regex(pattern = REGION_CODE_PATTERN))]
    pub region: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PinChange {
    #[schemars(regex(pattern = PIN_PATTERN), extend("writeOnly" = true))]
    pub old_pin: String,
    #[schemars(regex(pattern = PIN_PATTERN), extend("writeOnly" = true))]
    pub new_pin: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LossReport {
    #[schemars(extend("enum" = ["social", "financial"]))]
    pub side: String,
    #[schemars(extend("enum" = ["temporary", "formal"]))]
    pub kind: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LossCancellation {
    #[schemars(extend("enum" = ["social", "financial"]))]
    pub side: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RenewalRequest {
    #[schemars(length(min = 1, max = 200), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub reason: String,
    /// Another service bank, when the holder changes bank.
    pub bank_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    #[schemars(length(min = 2, max = 200), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub reason: String,
}

/// Request bodies that carry nothing but the action itself.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

/// The fresh numbers of a new card, drawn before the transaction so retries reuse them.
#[derive(Clone)]
struct CardNumbers {
    id: CardId,
    card_number: CardNumber,
    identification_code: CardIdentificationCode,
    bank_card_payload: [u8; 12],
}

/// A request in which the holder presents the number of their original ID card and chooses
/// a PIN.
pub(crate) trait Presents {
    /// The ID number, the PIN, and the name of the PIN's field.
    fn presented(&self) -> (&str, &str, &'static str);
}

impl Presents for CollectRequest {
    fn presented(&self) -> (&str, &str, &'static str) {
        (&self.citizen_id, &self.social_pin, "social_pin")
    }
}

impl Presents for TemporaryCardRequest {
    fn presented(&self) -> (&str, &str, &'static str) {
        (&self.citizen_id, &self.social_pin, "social_pin")
    }
}

impl Presents for ActivateRequest {
    fn presented(&self) -> (&str, &str, &'static str) {
        (&self.citizen_id, &self.pin, "pin")
    }
}

impl App {
    /// The ID number (read from the original ID card) and the PIN a holder presents for
    /// `action` on `subject`, parsed. Checking
    /// a presented ID number is a look-up by ID number: it takes a slot of the actor's
    /// look-up rate first.
    pub(crate) fn presented(
        &self,
        actor: &Actor,
        action: &str,
        subject: String,
        request: &impl Presents,
    ) -> Result<(CitizenId, Pin), AppError> {
        self.admit_citizen_check(actor, action, subject)?;
        let (citizen_id, pin, pin_field) = request.presented();
        let presented = parse_citizen_id(citizen_id, self.now())?;
        Ok((presented, pin::parse_pin(pin, pin_field)?))
    }
}

fn draw_numbers(region: &RegionCode) -> Result<CardNumbers, AppError> {
    let bytes = random_bytes::<24>();
    let letter = char::from(b'A' + bytes[0] % 26);
    let serial = u32::from_le_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]) % 100_000_000;
    let chip = u64::from_le_bytes([
        bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11], bytes[12],
    ]);
    let mut payload = [0u8; 12];
    payload.copy_from_slice(&random_bytes::<12>());
    let internal = |what: &str| AppError::Internal(format!("cannot compose {what}"));
    Ok(CardNumbers {
        id: CardId::new(new_id("crd")),
        card_number: CardNumber::compose(letter, serial).ok_or_else(|| internal("card number"))?,
        identification_code: CardIdentificationCode::compose(region.as_str(), chip)
            .ok_or_else(|| internal("identification code"))?,
        bank_card_payload: payload,
    })
}

/// How many times a new card's numbers are drawn before the application gives up.
const DRAWS_MAX: usize = 8;

impl CardNumbers {
    /// The numbers drawn for this request (drawn now if none were: a retried transaction
    /// reuses what `drawn` keeps), drawn again — under the same card id — while the card
    /// number, the identification code or, with a bank's `bin`, the bank card number already
    /// belongs to a card. The card number has 2.6 billion values drawn at random: by 100,000
    /// cards two draws have more likely than not met once (the birthday bound), which
    /// without this check refused the second application with a uniqueness conflict.
    fn unused(
        drawn: &std::sync::Mutex<Option<CardNumbers>>,
        tx: &mut Tx<'_>,
        vault: &Vault,
        region: &RegionCode,
        bin: Option<&str>,
    ) -> Result<CardNumbers, AppError> {
        Self::unused_by(drawn, region, |numbers| {
            if tx.card_numbers_taken(&numbers.card_number, numbers.identification_code.as_str())? {
                return Ok(true);
            }
            let Some(bin) = bin else {
                return Ok(false);
            };
            let index = vault.blind_index(BANK_CARD_INDEX, numbers.bank_card_number(bin)?.as_str());
            Ok(tx.card_by_bank_card_index(&index)?.is_some())
        })
    }

    /// [`CardNumbers::unused`], with `taken` telling whether numbers belong to a card.
    fn unused_by(
        drawn: &std::sync::Mutex<Option<CardNumbers>>,
        region: &RegionCode,
        mut taken: impl FnMut(&CardNumbers) -> Result<bool, AppError>,
    ) -> Result<CardNumbers, AppError> {
        let mut cell = drawn
            .lock()
            .map_err(|_| AppError::Internal("the drawn card numbers".into()))?;
        if cell.is_none() {
            *cell = Some(draw_numbers(region)?);
        }
        for _ in 0..DRAWS_MAX {
            // The cell keeps the numbers being checked, so a check that fails (and the
            // transaction retried) starts again from them, under the same card id.
            let numbers = cell
                .clone()
                .ok_or_else(|| AppError::Internal("the drawn card numbers".into()))?;
            if !taken(&numbers)? {
                return Ok(numbers);
            }
            *cell = Some(CardNumbers {
                id: numbers.id,
                ..draw_numbers(region)?
            });
        }
        Err(AppError::Internal(format!(
            "no unused card numbers in {DRAWS_MAX} draws"
        )))
    }

    fn new_card(
        &self,
        person: &PersonId,
        kind: CardKind,
        region: &RegionCode,
        bank: Option<BankId>,
    ) -> NewCard {
        NewCard {
            id: self.id.clone(),
            person_id: person.clone(),
            kind,
            region: region.clone(),
            bank_id: bank,
            card_number: self.card_number.clone(),
            identification_code: self.identification_code.clone(),
        }
    }

    /// A 19-digit UnionPay-style number: the bank's 6-digit BIN, 12 random digits, Luhn.
    fn bank_card_number(&self, bin: &str) -> Result<BankCardNumber, AppError> {
        let digits: String = self
            .bank_card_payload
            .iter()
            .map(|b| char::from(b'0' + b % 10))
            .collect();
        BankCardNumber::with_check_digit(&format!("{bin}{digits}"))
            .ok_or_else(|| AppError::Internal("cannot compose bank card number".into()))
    }
}

fn side(input: &str) -> Result<Side, AppError> {
    Side::parse(input).ok_or_else(|| AppError::invalid("side", "social or financial"))
}

/// Whether the actor may act on this card: clerks on all, holders on their own, bank staff
/// on their bank's.
pub(crate) fn card_in_scope(actor: &Actor, card: &Card) -> bool {
    match actor.role {
        Role::BureauClerk => true,
        Role::Cardholder => actor.scope.person_id.as_ref() == Some(&card.person_id),
        Role::BankTeller | Role::BankSystem => {
            card.bank_id.is_some() && card.bank_id == actor.scope.bank_id
        }
        Role::Administrator
        | Role::Auditor
        | Role::Employer
        | Role::Cashier
        | Role::AppraisalSecretary
        | Role::TrainingProvider
        | Role::ProductionOfficer
        | Role::CardVendor => false,
    }
}

/// Loads a card the actor may act on. A card out of scope is a refused authorisation,
/// answered exactly as a card that does not exist (issue 13, finding 12: a refusal must not
/// tell whether another party's card exists) and audited as a refusal.
pub(crate) fn load_card(tx: &mut Tx<'_>, actor: &Actor, id: &CardId) -> Result<Card, AppError> {
    let card = tx.card(id)?.or_not_found("card", id)?;
    if !card_in_scope(actor, &card) {
        return Err(AppError::Hidden(format!("card {id}")));
    }
    Ok(card)
}

/// Whether the ID number presented is the card holder's (compared through the blind index).
pub(crate) fn identity_matches(
    tx: &mut Tx<'_>,
    vault: &Vault,
    person: &PersonId,
    presented: &CitizenId,
) -> Result<bool, AppError> {
    let record = tx.person(person)?.or_not_found("person", person)?;
    Ok(record.citizen_index == vault.blind_index(CITIZEN_INDEX, presented.as_str()))
}

/// The holder's ID number, for PIN strength checks.
fn holder_citizen_id(
    tx: &mut Tx<'_>,
    vault: &Vault,
    person: &PersonId,
    now: Timestamp,
) -> Result<CitizenId, AppError> {
    let record = tx.person(person)?.or_not_found("person", person)?;
    let clear = vault
        .open(CITIZEN_CONTEXT, &record.citizen_cipher)
        .map_err(AppError::failed("opening a sealed value"))?;
    parse_citizen_id(&clear, now)
}

pub(crate) fn card_view(
    tx: &mut Tx<'_>,
    vault: &Vault,
    card: &Card,
    now: Timestamp,
) -> Result<CardView, AppError> {
    let secrets = tx.card_secrets(&card.id)?;
    let masked = secrets
        .bank_card_cipher
        .as_deref()
        .map(|sealed| {
            vault
                .open(BANK_CARD_CONTEXT, sealed)
                .map_err(AppError::failed("opening a sealed value"))
        })
        .transpose()?
        .map(|clear| {
            BankCardNumber::parse(&clear)
                .map(|n| n.masked())
                .unwrap_or_default()
        });
    let utc_offset = card_utc_offset(tx, card, now)?;
    Ok(CardView::new(card, masked, now, utc_offset))
}

impl App {
    /// A card's bank card number in clear, for the demo's list of cardholders only (pages
    /// and the API show it masked).
    pub(crate) fn clear_bank_card_number(&self, card: &str) -> Result<Option<String>, AppError> {
        let (id, vault) = (CardId::new(card), self.vault.clone());
        self.store.read(move |tx| {
            tx.card_secrets(&id)?
                .bank_card_cipher
                .map(|sealed| {
                    vault
                        .open(BANK_CARD_CONTEXT, &sealed)
                        .map_err(AppError::failed("opening a sealed value"))
                })
                .transpose()
        })
    }
}

/// The offset of the card's region: a card's days (its expiry) are its region's days.
pub(crate) fn card_utc_offset(
    tx: &mut Tx<'_>,
    card: &Card,
    now: Timestamp,
) -> Result<UtcOffset, AppError> {
    Ok(App::parameters_in(tx, &card.region, now)?.utc_offset())
}

fn detail(card: &Card) -> String {
    serde_json::json!({ "status": card.status.as_str() }).to_string()
}

/// The BIN the bureau draws a new card's bank card number from: none when the bank's own
/// card system assigns its numbers (`assign_bank_card_number`).
fn drawn_bin(bank: &shebao_store::BankRecord) -> Option<&str> {
    (!bank.numbers_from_bank).then_some(bank.bin.as_str())
}

/// A new card's sealed bank card number: drawn from the bank's BIN, or none yet when the
/// bank assigns it.
fn new_card_secrets(
    vault: &Vault,
    numbers: &CardNumbers,
    bank: &shebao_store::BankRecord,
) -> Result<CardSecrets, AppError> {
    match drawn_bin(bank) {
        Some(bin) => seal_bank_card(vault, &numbers.bank_card_number(bin)?),
        None => Ok(CardSecrets::default()),
    }
}

fn seal_bank_card(vault: &Vault, number: &BankCardNumber) -> Result<CardSecrets, AppError> {
    Ok(CardSecrets {
        bank_card_index: Some(vault.blind_index(BANK_CARD_INDEX, number.as_str())),
        bank_card_cipher: Some(
            vault
                .seal(BANK_CARD_CONTEXT, number.as_str())
                .map_err(AppError::failed("sealing a value"))?,
        ),
    })
}

impl App {
    /// Runs a card transition that needs nothing but the card: load, scope, decide, save.
    pub(super) fn card_transition(
        &self,
        actor: &Actor,
        key: &str,
        card_id: &str,
        action: &'static str,
        request: &impl Serialize,
        decide: impl Fn(&mut Tx<'_>, &Actor, &Card, Timestamp) -> Result<Card, AppError>
        + Send
        + 'static,
    ) -> Result<CardView, AppError> {
        let (id, actor_in, vault) = (CardId::new(card_id), actor.clone(), self.vault.clone());
        let audit = Audit::on(action, format!("card:{id}"));
        self.change(actor, key, request, audit, move |tx, now| {
            let card = load_card(tx, &actor_in, &id)?;
            let next = decide(tx, &actor_in, &card, now)?;
            tx.update_card(&next)?;
            let saved = Card {
                version: next.version + 1,
                ..next
            };
            Ok((card_view(tx, &vault, &saved, now)?, detail(&saved)))
        })
    }
}

/// A card lost on its way to its pick-up point or its holder: it is cancelled
/// (`lost_in_transit`), never made again under its numbers (the lost card works wherever it
/// is), and a new application with freshly drawn numbers — so keys of its own — takes its
/// place, keeping the account of a replacement or renewal and the card it replaces (whose
/// successor it becomes). The new card is decided before anything is written; a holder with
/// another live card is refused, and nothing is written. The new card, applied for.
pub(crate) fn remake_lost(
    tx: &mut Tx<'_>,
    vault: &Vault,
    lost: &Card,
    now: shebao_domain::time::Timestamp,
) -> Result<Card, AppError> {
    let bank = lost
        .bank_id
        .clone()
        .ok_or_else(|| AppError::Internal("a standard card without bank".into()))?;
    let bank_record = tx.bank(&bank)?.or_not_found("bank", &bank)?;
    let drawn = std::sync::Mutex::new(None);
    let numbers = CardNumbers::unused(&drawn, tx, vault, &lost.region, drawn_bin(&bank_record))?;
    // The lost card and the card it was to replace (a renewal's predecessor works on until
    // its successor is collected) make way for the new one.
    let others: Vec<Card> = tx
        .cards_of_person(&lost.person_id)?
        .into_iter()
        .filter(|c| c.id != lost.id && Some(&c.id) != lost.replaces.as_ref())
        .collect();
    let utc_offset = App::parameters_in(tx, &lost.region, now)?.utc_offset();
    let applied = Card::apply(
        numbers.new_card(
            &lost.person_id,
            CardKind::Standard,
            &lost.region,
            Some(bank),
        ),
        &others,
        now,
        utc_offset,
    )
    .map_err(|refusal| {
        crate::error::rule(
            crate::error::RefusalCode::WrongState,
            format!("the card cannot be made again: {refusal}"),
        )
    })?;
    let cancelled = Card {
        status: shebao_domain::card::CardStatus::Cancelled,
        closed_reason: Some("lost_in_transit".into()),
        replaced_by: Some(numbers.id.clone()),
        ..lost.clone()
    };
    tx.update_card(&cancelled)?;
    let card = Card {
        account_id: lost.account_id.clone(),
        replaces: lost.replaces.clone(),
        ..applied
    };
    let secrets = new_card_secrets(vault, &numbers, &bank_record)?;
    tx.insert_card(&card, &secrets)?;
    // The card the lost one was to replace is replaced by the new one.
    if let Some(previous) = &lost.replaces
        && let Some(before) = tx.card(previous)?
        && before.replaced_by.as_ref() == Some(&lost.id)
    {
        tx.update_card(&Card {
            replaced_by: Some(card.id.clone()),
            ..before
        })?;
    }
    // The holder's choice of pick-up point goes with the card made again, as it was made
    // (its place was the lost card's, freed when the card was reported missing).
    if let Some(choice) = tx.collection_choice(lost.id.as_str())? {
        tx.choose_collection_point(&shebao_store::CollectionChoiceRecord {
            card_id: card.id.as_str().to_owned(),
            ..choice
        })?;
    }
    // So does an order to post it not yet posted, to the same address (a card lost in the
    // post is posted anew by the carrier's report).
    if let Some(order) = tx.live_mail_order(lost.id.as_str())?
        && order.status == "chosen"
    {
        crate::production::mail_again(tx, &order, card.id.as_str(), now)?;
        crate::production::withdraw_mail(tx, order, "system", now)?;
    }
    Ok(card)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use std::sync::Mutex;

    use shebao_domain::ids::RegionCode;

    use super::{CardNumbers, DRAWS_MAX, draw_numbers};

    #[test]
    fn numbers_already_taken_are_drawn_again_under_the_same_card_id() {
        let region = RegionCode::new("330100");
        let first = draw_numbers(&region).unwrap();
        let drawn = Mutex::new(Some(first.clone()));
        let mut seen = Vec::new();
        let numbers = CardNumbers::unused_by(&drawn, &region, |n| {
            seen.push(n.card_number.as_str().to_owned());
            Ok(seen.len() <= 2)
        })
        .unwrap();
        assert_eq!(seen.len(), 3, "two taken, the third free");
        assert_eq!(seen[0], first.card_number.as_str());
        assert_eq!(numbers.id, first.id, "the card id stays");
        assert_eq!(numbers.card_number.as_str(), seen[2]);
        // A retried transaction reuses what was kept.
        let again = CardNumbers::unused_by(&drawn, &region, |_| Ok(false)).unwrap();
        assert_eq!(again.card_number, numbers.card_number);
        // A check that fails keeps the numbers it was checking, id and all.
        let failing = Mutex::new(None);
        let failed = CardNumbers::unused_by(&failing, &region, |_| {
            Err(crate::AppError::Internal("serialization failure".into()))
        });
        assert!(failed.is_err());
        let kept = failing.lock().unwrap().clone().unwrap();
        let retried = CardNumbers::unused_by(&failing, &region, |_| Ok(false)).unwrap();
        assert_eq!(retried.id, kept.id);
        assert_eq!(retried.card_number, kept.card_number);
        // Numbers never free are refused after a bounded number of draws.
        let mut draws = 0;
        let refused = CardNumbers::unused_by(&Mutex::new(None), &region, |_| {
            draws += 1;
            Ok(true)
        });
        assert!(refused.is_err());
        assert_eq!(draws, DRAWS_MAX);
    }
}
