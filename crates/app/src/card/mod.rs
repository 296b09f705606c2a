//! The card's life as use cases: application, production, collection, the social PIN,
//! financial activation at the card's own bank, loss, replacement, renewal, temporary
//! cards and cancellation.

pub mod ecard;

use serde::{Deserialize, Serialize};
use shebao_domain::Refusal;
use shebao_domain::access::{Operation, Role};
use shebao_domain::account::Account;
use shebao_domain::card::{Card, CardKind, CardStatus, LossKind, NewCard, Side};
use shebao_domain::identity::{BankCardNumber, CardIdentificationCode, CardNumber, CitizenId};
use shebao_domain::ids::{AccountId, BankId, CardId, PersonId, RegionCode};
use shebao_domain::pin::{Pin, PinVerificationValue, check_strength};
use shebao_domain::time::{Timestamp, UtcOffset};
use shebao_store::{CardSecrets, Tx};

use crate::person::{CITIZEN_CONTEXT, CITIZEN_INDEX, parse_citizen_id};
use crate::reference::region_code;
use crate::vault::random_bytes;
use crate::views::{AccountView, CardView, PinCheckView};
use crate::{Actor, App, AppError, Audit, Vault, new_id};

const BANK_CARD_CONTEXT: &str = "card.bank_card_number";
pub(crate) const BANK_CARD_INDEX: &str = "bank_card_number";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardApplication {
    pub person_id: String,
    pub bank_id: String,
    pub region: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemporaryCardRequest {
    pub person_id: String,
    pub region: String,
    /// The ID number read from the original ID card presented.
    pub citizen_id: String,
    pub social_pin: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadyRequest {
    pub distribution_point: String,
}

/// At collection the holder shows the original ID card and chooses a social PIN.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectRequest {
    pub citizen_id: String,
    pub social_pin: String,
}

/// At activation the teller checks the original ID card; the holder enters a PIN.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivateRequest {
    pub citizen_id: String,
    pub pin: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinRequest {
    pub pin: String,
    /// Where the card is used; a temporary card works only in its region.
    pub region: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinChange {
    pub old_pin: String,
    pub new_pin: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LossReport {
    pub side: String,
    pub kind: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LossCancellation {
    pub side: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenewalRequest {
    pub reason: String,
    /// Another service bank, when the holder changes bank.
    pub bank_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    pub reason: String,
}

/// Request bodies that carry nothing but the action itself.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

/// The fresh numbers of a new card, drawn before the transaction so retries reuse them.
struct CardNumbers {
    id: CardId,
    card_number: CardNumber,
    identification_code: CardIdentificationCode,
    bank_card_payload: [u8; 12],
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

impl CardNumbers {
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

pub(crate) fn parse_pin(input: &str, field: &'static str) -> Result<Pin, AppError> {
    Pin::parse(input).map_err(|_| AppError::Invalid {
        field,
        message: "exactly six digits".into(),
    })
}

fn side(input: &str) -> Result<Side, AppError> {
    Side::parse(input).ok_or_else(|| AppError::Invalid {
        field: "side",
        message: "social or financial".into(),
    })
}

/// The verification-value scope of a card's social PIN and an account's financial PIN.
pub(crate) fn social_scope(card: &CardId) -> String {
    format!("card:{card}:social")
}

pub(crate) fn financial_scope(account: &AccountId) -> String {
    format!("account:{account}:financial")
}

fn pin_value(vault: &Vault, scope: &str, pin: &Pin) -> Result<PinVerificationValue, AppError> {
    vault
        .pin_value(scope, pin.expose_digits())
        .map(PinVerificationValue::new)
        .map_err(|e| AppError::Internal(e.to_string()))
}

pub(crate) fn pin_matches(
    vault: &Vault,
    stored: Option<&PinVerificationValue>,
    scope: &str,
    pin: &Pin,
) -> bool {
    stored.is_some_and(|value| vault.pin_matches(value.as_str(), scope, pin.expose_digits()))
}

/// Whether the actor may act on this card: clerks on all, holders on their own, bank staff
/// on their bank's.
fn card_in_scope(actor: &Actor, card: &Card) -> bool {
    match actor.role {
        Role::BureauClerk => true,
        Role::Cardholder => actor.person_id.as_ref() == Some(&card.person_id),
        Role::BankTeller | Role::BankSystem => {
            card.bank_id.is_some() && card.bank_id == actor.bank_id
        }
        Role::Administrator | Role::Auditor | Role::Employer | Role::Cashier => false,
    }
}

/// Loads a card the actor may act on. A card out of scope is a refused authorisation,
/// answered exactly as a card that does not exist (issue 13, finding 12: a refusal must not
/// tell whether another party's card exists) and audited as a refusal.
pub(crate) fn load_card(tx: &mut Tx<'_>, actor: &Actor, id: &CardId) -> Result<Card, AppError> {
    let card = tx
        .card(id)?
        .ok_or_else(|| AppError::NotFound(format!("card {id}")))?;
    if !card_in_scope(actor, &card) {
        return Err(AppError::Hidden(format!("card {id}")));
    }
    Ok(card)
}

/// Whether the ID number presented is the card holder's (compared through the blind index).
fn identity_matches(
    tx: &mut Tx<'_>,
    vault: &Vault,
    person: &PersonId,
    presented: &CitizenId,
) -> Result<bool, AppError> {
    let record = tx
        .person(person)?
        .ok_or_else(|| AppError::NotFound(format!("person {person}")))?;
    Ok(record.citizen_index == vault.blind_index(CITIZEN_INDEX, presented.as_str()))
}

/// The holder's ID number, for PIN strength checks.
fn holder_citizen_id(
    tx: &mut Tx<'_>,
    vault: &Vault,
    person: &PersonId,
    now: Timestamp,
) -> Result<CitizenId, AppError> {
    let record = tx
        .person(person)?
        .ok_or_else(|| AppError::NotFound(format!("person {person}")))?;
    let clear = vault
        .open(CITIZEN_CONTEXT, &record.citizen_cipher)
        .map_err(|e| AppError::Internal(e.to_string()))?;
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
                .map_err(|e| AppError::Internal(e.to_string()))
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

impl App {
    /// A first application for a standard card at a bank of the holder's choice.
    pub fn apply_card(
        &self,
        actor: &Actor,
        key: &str,
        request: CardApplication,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::ApplyCard)?;
        let region = region_code(&request.region, "region")?;
        let numbers = draw_numbers(&region)?;
        let (person, bank) = (
            PersonId::new(&request.person_id),
            BankId::new(&request.bank_id),
        );
        let vault = self.vault.clone();
        let audit = Audit::creating("card.apply", format!("card:{}", numbers.id));
        self.change(actor, key, &request, audit, move |tx, now| {
            tx.person(&person)?
                .ok_or_else(|| AppError::NotFound(format!("person {person}")))?;
            tx.region(&region)?
                .ok_or_else(|| AppError::NotFound(format!("region {region}")))?;
            let bank_record = tx
                .bank(&bank)?
                .ok_or_else(|| AppError::NotFound(format!("bank {bank}")))?;
            let existing = tx.cards_of_person(&person)?;
            // The person's cards are looked at on the applying region's day.
            let utc_offset = App::parameters_in(tx, &region, now)?.utc_offset();
            let card = Card::apply(
                numbers.new_card(&person, CardKind::Standard, &region, Some(bank.clone())),
                &existing,
                now,
                utc_offset,
            )?;
            let bank_card = numbers.bank_card_number(&bank_record.bin)?;
            let secrets = seal_bank_card(&vault, &bank_card)?;
            tx.insert_card(&card, &secrets)?;
            Ok((card_view(tx, &vault, &card, now)?, detail(&card)))
        })
    }

    /// A temporary card issued on the spot: social-security side only, region only.
    pub fn issue_temporary_card(
        &self,
        actor: &Actor,
        key: &str,
        request: TemporaryCardRequest,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::IssueTemporaryCard)?;
        self.admit_citizen_check(
            actor,
            "card.issue_temporary",
            format!("person:{}", request.person_id),
        )?;
        let now = self.now();
        let region = region_code(&request.region, "region")?;
        let presented = parse_citizen_id(&request.citizen_id, now)?;
        let pin = parse_pin(&request.social_pin, "social_pin")?;
        let numbers = draw_numbers(&region)?;
        let person = PersonId::new(&request.person_id);
        let vault = self.vault.clone();
        let shown = request.clone();
        let audit = Audit::creating("card.issue_temporary", format!("card:{}", numbers.id));
        self.change(actor, key, &shown, audit, move |tx, now| {
            tx.region(&region)?
                .ok_or_else(|| AppError::NotFound(format!("region {region}")))?;
            if !identity_matches(tx, &vault, &person, &presented)? {
                return Err(Refusal::IdentityMismatch.into());
            }
            check_strength(&pin, &presented)?;
            let params = App::parameters_in(tx, &region, now)?;
            let existing = tx.cards_of_person(&person)?;
            let social = pin_value(&vault, &social_scope(&numbers.id), &pin)?;
            let card = Card::issue_temporary(
                numbers.new_card(&person, CardKind::Temporary, &region, None),
                &existing,
                social,
                &params,
                now,
            )?;
            tx.insert_card(&card, &CardSecrets::default())?;
            Ok((card_view(tx, &vault, &card, now)?, detail(&card)))
        })
    }

    /// The vendor started production.
    pub fn start_production(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::RecordProduction)?;
        self.card_transition(
            actor,
            key,
            card,
            "card.start_production",
            &Empty {},
            |_, _, card, _| Ok(card.start_production()?),
        )
    }

    /// The card arrived at a distribution point.
    pub fn mark_ready(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: ReadyRequest,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::RecordProduction)?;
        let point = request.distribution_point.trim().to_owned();
        if point.is_empty() || point.chars().count() > 100 {
            return Err(AppError::Invalid {
                field: "distribution_point",
                message: "1 to 100 characters".into(),
            });
        }
        self.card_transition(
            actor,
            key,
            card,
            "card.mark_ready",
            &request,
            move |tx, _, card, now| {
                let params = App::parameters_in(tx, &card.region, now)?;
                Ok(card.mark_ready(&point, &params, now)?)
            },
        )
    }

    /// Runs a card transition that needs nothing but the card: load, scope, decide, save.
    fn card_transition(
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

    /// Collection: the holder's identity is checked, the social side activates with the
    /// PIN they choose, and the financial account opens deposit-only (or stays linked on a
    /// replacement). A renewed card and any temporary card stop working.
    pub fn collect_card(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: CollectRequest,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::CollectCard)?;
        self.admit_citizen_check(actor, "card.collect", format!("card:{card}"))?;
        let now = self.now();
        let presented = parse_citizen_id(&request.citizen_id, now)?;
        let pin = parse_pin(&request.social_pin, "social_pin")?;
        let account_id = AccountId::new(new_id("acc"));
        let (id, actor_in, vault) = (CardId::new(card), actor.clone(), self.vault.clone());
        let shown = request.clone();
        let audit = Audit::on("card.collect", format!("card:{id}"));
        self.change(actor, key, &shown, audit, move |tx, now| {
            let card = load_card(tx, &actor_in, &id)?;
            let matches = identity_matches(tx, &vault, &card.person_id, &presented)?;
            if matches {
                check_strength(&pin, &presented)?;
            }
            let linked = card
                .account_id
                .clone()
                .unwrap_or_else(|| account_id.clone());
            let social = pin_value(&vault, &social_scope(&card.id), &pin)?;
            let collected = card.collect(matches, social, linked.clone(), now)?;
            // A renewal at another bank leaves the old account behind: it must be empty, and
            // it closes with the old card. Decided before anything is written.
            let old_account = abandoned_account(tx, &collected)?;
            if card.account_id.is_none() {
                let bank = card
                    .bank_id
                    .clone()
                    .ok_or_else(|| AppError::Internal("standard card without bank".into()))?;
                tx.insert_account(
                    &Account::open(linked, card.person_id.clone(), bank, now),
                    now,
                )?;
            }
            if let Some(old) = old_account {
                tx.update_account(&old.close(0)?)?;
            }
            retire_predecessors(tx, &collected, now)?;
            tx.update_card(&collected)?;
            let saved = Card {
                version: collected.version + 1,
                ..collected
            };
            Ok((card_view(tx, &vault, &saved, now)?, detail(&saved)))
        })
    }

    /// Financial activation, in person, by a teller of a branch of the card's own bank.
    pub fn activate_financial(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: ActivateRequest,
    ) -> Result<AccountView, AppError> {
        self.authorise(actor, Operation::ActivateFinancial)?;
        self.admit_citizen_check(actor, "account.activate", format!("card:{card}"))?;
        let now = self.now();
        let presented = parse_citizen_id(&request.citizen_id, now)?;
        let pin = parse_pin(&request.pin, "pin")?;
        let (id, vault) = (CardId::new(card), self.vault.clone());
        let (bank, branch) = match (&actor.bank_id, &actor.branch_id) {
            (Some(bank), Some(branch)) => (bank.clone(), branch.clone()),
            _ => {
                return Err(self.deny(
                    actor,
                    Operation::ActivateFinancial,
                    &format!("card:{card}"),
                ));
            }
        };
        let shown = request.clone();
        let audit = Audit::on("account.activate", format!("card:{id}"));
        self.change(actor, key, &shown, audit, move |tx, now| {
            let card = tx
                .card(&id)?
                .ok_or_else(|| AppError::NotFound(format!("card {id}")))?;
            // Another bank's teller learns nothing about the card, not even that it exists.
            if card.bank_id.as_ref() != Some(&bank) {
                return Err(AppError::Hidden(format!("card {id}")));
            }
            let utc_offset = card_utc_offset(tx, &card, now)?;
            card.ensure_side_usable(Side::Financial, now, utc_offset)?;
            let account_id = card.account_id.clone().ok_or(Refusal::CardNotCollected)?;
            let account = tx
                .account(&account_id)?
                .ok_or_else(|| AppError::NotFound(format!("account {account_id}")))?;
            if account.bank_id != bank {
                return Err(Refusal::WrongBank.into());
            }
            let matches = identity_matches(tx, &vault, &card.person_id, &presented)?;
            if matches {
                check_strength(&pin, &presented)?;
            }
            let value = pin_value(&vault, &financial_scope(&account_id), &pin)?;
            let active = account.activate(
                &card,
                &bank,
                branch.clone(),
                matches,
                value,
                now,
                utc_offset,
            )?;
            tx.update_account(&active)?;
            let balance = tx
                .ledger_balance(account_id.as_str())?
                .map_or(0, |b| b.balance_fen);
            Ok((
                AccountView::new(&active, balance),
                "{\"status\":\"active\"}".into(),
            ))
        })
    }

    /// Checks the social PIN; wrong entries count toward the lock and survive restarts.
    pub fn verify_social_pin(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: PinRequest,
    ) -> Result<PinCheckView, AppError> {
        self.authorise(actor, Operation::VerifySocialPin)?;
        let pin = parse_pin(&request.pin, "pin")?;
        let region = request
            .region
            .as_deref()
            .map(|r| region_code(r, "region"))
            .transpose()?;
        let (id, actor_in, vault) = (CardId::new(card), actor.clone(), self.vault.clone());
        let shown = request.clone();
        let audit = Audit::on("card.verify_social_pin", format!("card:{id}"));
        self.change(actor, key, &shown, audit, move |tx, now| {
            let card = load_card(tx, &actor_in, &id)?;
            let params = App::parameters_in(tx, &card.region, now)?;
            if let Some(region) = &region {
                card.ensure_usable_in(region, now, params.utc_offset())?;
            }
            let matched = pin_matches(
                &vault,
                card.social_pin.as_ref(),
                &social_scope(&card.id),
                &pin,
            );
            let (next, outcome) = card.verify_social_pin(matched, &params, now);
            if next != card {
                tx.update_card(&next)?;
            }
            outcome?;
            Ok((
                PinCheckView {
                    card_id: id.to_string(),
                    verified: true,
                },
                "{}".into(),
            ))
        })
    }

    /// The holder changes their social PIN with the old one.
    pub fn change_social_pin(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: PinChange,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::ChangeSocialPin)?;
        let old = parse_pin(&request.old_pin, "old_pin")?;
        let new = parse_pin(&request.new_pin, "new_pin")?;
        let (id, actor_in, vault) = (CardId::new(card), actor.clone(), self.vault.clone());
        let shown = PinChange {
            old_pin: String::new(),
            new_pin: String::new(),
        };
        let audit = Audit::on("card.change_social_pin", format!("card:{id}"));
        // The request's fingerprint must still tell two different changes apart.
        let fingerprinted = (
            shown,
            self.vault
                .fingerprint(&format!("{}{}", request.old_pin, request.new_pin)),
        );
        self.change(actor, key, &fingerprinted, audit, move |tx, now| {
            let card = load_card(tx, &actor_in, &id)?;
            let holder = holder_citizen_id(tx, &vault, &card.person_id, now)?;
            check_strength(&new, &holder)?;
            let params = App::parameters_in(tx, &card.region, now)?;
            let matched = pin_matches(
                &vault,
                card.social_pin.as_ref(),
                &social_scope(&card.id),
                &old,
            );
            let value = pin_value(&vault, &social_scope(&card.id), &new)?;
            let (next, outcome) = card.change_social_pin(matched, value, &params, now);
            if next != card {
                tx.update_card(&next)?;
            }
            outcome?;
            let saved = Card {
                version: next.version + 1,
                ..next
            };
            Ok((card_view(tx, &vault, &saved, now)?, "{}".into()))
        })
    }

    /// Authorised staff unlock the social PIN with the holder present.
    pub fn unlock_social_pin(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::UnlockSocialPin)?;
        self.card_transition(
            actor,
            key,
            card,
            "card.unlock_social_pin",
            &Empty {},
            |tx, _, card, now| {
                let utc_offset = card_utc_offset(tx, card, now)?;
                Ok(card.unlock_social_pin(now, utc_offset)?)
            },
        )
    }

    /// Reports one side lost. Holders may only report a temporary loss; a formal loss is made
    /// in person.
    pub fn report_loss(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: LossReport,
    ) -> Result<CardView, AppError> {
        let side = side(&request.side)?;
        let kind = LossKind::parse(&request.kind).ok_or_else(|| AppError::Invalid {
            field: "kind",
            message: "temporary or formal".into(),
        })?;
        let operation = match kind {
            LossKind::Temporary => Operation::ReportTemporaryLoss,
            LossKind::Formal => Operation::ReportFormalLoss,
        };
        self.authorise(actor, operation)?;
        self.card_transition(
            actor,
            key,
            card,
            "card.report_loss",
            &request,
            move |tx, _, card, now| {
                let params = App::parameters_in(tx, &card.region, now)?;
                Ok(card.report_loss(side, kind, &params, now)?)
            },
        )
    }

    /// Withdraws a loss report, until a replacement is requested.
    pub fn cancel_loss(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: LossCancellation,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::CancelLoss)?;
        let side = side(&request.side)?;
        self.card_transition(
            actor,
            key,
            card,
            "card.cancel_loss",
            &request,
            move |_, _, card, now| Ok(card.cancel_loss(side, now)?),
        )
    }

    /// Replacement after a formal loss: the old card dies now; the new one is an application
    /// linked to the same account. Returns the new card.
    pub fn request_replacement(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::RequestReplacement)?;
        self.successor(
            actor,
            key,
            card,
            "card.request_replacement",
            &Empty {},
            None,
            |old, new, now| old.request_replacement(new, now),
        )
    }

    /// Renewal (expiry, damage, changed data, another bank). Returns the new card.
    pub fn request_renewal(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: RenewalRequest,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::RequestRenewal)?;
        if request.reason.trim().is_empty() || request.reason.chars().count() > 200 {
            return Err(AppError::Invalid {
                field: "reason",
                message: "1 to 200 characters".into(),
            });
        }
        let bank = request.bank_id.clone().map(BankId::new);
        self.successor(
            actor,
            key,
            card,
            "card.request_renewal",
            &request,
            bank,
            |old, new, now| old.request_renewal(new, now),
        )
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "one private helper shared by replacement and renewal"
    )]
    fn successor(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        action: &'static str,
        request: &impl Serialize,
        other_bank: Option<BankId>,
        decide: impl Fn(&Card, NewCard, Timestamp) -> Result<(Card, Card), Refusal> + Send + 'static,
    ) -> Result<CardView, AppError> {
        let (id, actor_in, vault) = (CardId::new(card), actor.clone(), self.vault.clone());
        let audit = Audit::on(action, format!("card:{id}"));
        let numbers_cell = std::sync::Mutex::new(None::<CardNumbers>);
        self.change(actor, key, request, audit, move |tx, now| {
            let old = load_card(tx, &actor_in, &id)?;
            let bank = other_bank.clone().or_else(|| old.bank_id.clone());
            let bank_id = bank.clone().ok_or_else(|| AppError::Invalid { field: "bank_id", message: "required".into() })?;
            let bank_record = tx.bank(&bank_id)?.ok_or_else(|| AppError::NotFound(format!("bank {bank_id}")))?;
            let mut cell = numbers_cell.lock().map_err(|_| AppError::Internal("numbers lock".into()))?;
            if cell.is_none() {
                *cell = Some(draw_numbers(&old.region)?);
            }
            let numbers = cell.as_ref().ok_or_else(|| AppError::Internal("numbers".into()))?;
            let new = numbers.new_card(&old.person_id, CardKind::Standard, &old.region, bank);
            let (old_next, successor) = decide(&old, new, now)?;
            tx.update_card(&old_next)?;
            let secrets = seal_bank_card(&vault, &numbers.bank_card_number(&bank_record.bin)?)?;
            tx.insert_card(&successor, &secrets)?;
            let detail = serde_json::json!({ "old_card": id.to_string(), "new_card": successor.id.to_string() }).to_string();
            Ok((card_view(tx, &vault, &successor, now)?, detail))
        })
    }

    /// A temporary card handed back.
    pub fn return_temporary_card(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::ReturnTemporaryCard)?;
        self.card_transition(
            actor,
            key,
            card,
            "card.return_temporary",
            &Empty {},
            |_, _, card, _| Ok(card.return_temporary()?),
        )
    }

    /// Cancellation; refused while the card's account holds money. The account closes with
    /// the card unless another live card still uses it.
    pub fn cancel_card(
        &self,
        actor: &Actor,
        key: &str,
        card: &str,
        request: CancelRequest,
    ) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::CancelCard)?;
        // Kept with the card: any ID or bank card number in it is masked (review of issue 13).
        let why = shebao_domain::identity::mask_id_numbers_in(request.reason.trim());
        if why.chars().count() < 2 || why.chars().count() > 200 {
            return Err(AppError::Invalid {
                field: "reason",
                message: "2 to 200 characters".into(),
            });
        }
        self.card_transition(
            actor,
            key,
            card,
            "card.cancel",
            &request,
            move |tx, _, card, now| {
                let Some(account_id) = card.account_id.clone() else {
                    return Ok(card.cancel(&why, 0)?);
                };
                let mut shared = false;
                for other in tx.cards_of_person(&card.person_id)? {
                    if other.id != card.id && other.account_id.as_ref() == Some(&account_id) {
                        shared |= other.is_live(now, card_utc_offset(tx, &other, now)?);
                    }
                }
                if shared {
                    return Ok(card.cancel(&why, 0)?);
                }
                let balance = tx
                    .ledger_balance(account_id.as_str())?
                    .map_or(0, |b| b.balance_fen);
                let cancelled = card.cancel(&why, balance)?;
                if let Some(account) = tx.account(&account_id)?
                    && account.status != shebao_domain::account::AccountStatus::Closed
                {
                    tx.update_account(&account.close(balance)?)?;
                }
                Ok(cancelled)
            },
        )
    }

    pub fn card(&self, actor: &Actor, card: &str) -> Result<CardView, AppError> {
        self.authorise(actor, Operation::ReadCard)?;
        let (id, actor_in, vault, now) = (
            CardId::new(card),
            actor.clone(),
            self.vault.clone(),
            self.now(),
        );
        let subject = format!("card:{id}");
        let read = self.store.read(move |tx| {
            let card = load_card(tx, &actor_in, &id)?;
            card_view(tx, &vault, &card, now)
        });
        self.audited(actor, Operation::ReadCard, &subject, read)
    }

    /// A person's cards, oldest first (only those the actor may see).
    pub fn cards_of_person(&self, actor: &Actor, person: &str) -> Result<Vec<CardView>, AppError> {
        self.authorise(actor, Operation::ReadCard)?;
        let (person, actor_in, vault, now) = (
            PersonId::new(person),
            actor.clone(),
            self.vault.clone(),
            self.now(),
        );
        self.store.read(move |tx| {
            let cards = tx.cards_of_person(&person)?;
            cards
                .iter()
                .filter(|card| card_in_scope(&actor_in, card))
                .map(|card| card_view(tx, &vault, card, now))
                .collect()
        })
    }
}

fn seal_bank_card(vault: &Vault, number: &BankCardNumber) -> Result<CardSecrets, AppError> {
    Ok(CardSecrets {
        bank_card_index: Some(vault.blind_index(BANK_CARD_INDEX, number.as_str())),
        bank_card_cipher: Some(
            vault
                .seal(BANK_CARD_CONTEXT, number.as_str())
                .map_err(|e| AppError::Internal(e.to_string()))?,
        ),
    })
}

/// When a card is collected, the card it renewed stops working and the holder's temporary
/// card is handed back.
/// The account of the card a renewal replaces, when the renewal moved to another account:
/// refused while it holds money (the holder empties it with the old card first).
fn abandoned_account(tx: &mut Tx<'_>, collected: &Card) -> Result<Option<Account>, AppError> {
    let Some(previous) = &collected.replaces else {
        return Ok(None);
    };
    let Some(old_card) = tx.card(previous)? else {
        return Ok(None);
    };
    let Some(old_id) = old_card
        .account_id
        .filter(|id| Some(id) != collected.account_id.as_ref())
    else {
        return Ok(None);
    };
    let Some(old) = tx
        .account(&old_id)?
        .filter(|a| a.status != shebao_domain::account::AccountStatus::Closed)
    else {
        return Ok(None);
    };
    let balance_fen = tx
        .ledger_balance(old_id.as_str())?
        .map_or(0, |b| b.balance_fen);
    if balance_fen != 0 {
        return Err(Refusal::BalanceRemaining { balance_fen }.into());
    }
    Ok(Some(old))
}

fn retire_predecessors(tx: &mut Tx<'_>, collected: &Card, now: Timestamp) -> Result<(), AppError> {
    if let Some(previous) = &collected.replaces
        && let Some(old) = tx.card(previous)?
        && old.status == CardStatus::Collected
    {
        tx.update_card(&old.supersede())?;
    }
    for card in tx.cards_of_person(&collected.person_id)? {
        if card.kind == CardKind::Temporary
            && card.status == CardStatus::Collected
            && card.is_live(now, card_utc_offset(tx, &card, now)?)
        {
            tx.update_card(&card.return_temporary()?)?;
        }
    }
    Ok(())
}
