//! The counter's identification and audit: who the patient is (card, electronic-card
//! token or ID number with a reason), the social PIN and bill number checks, and the one
//! audit record every counter operation leaves, refusals included.

use shebao_domain::card::Card;
use shebao_domain::ids::{PersonId, RegionCode};
use shebao_domain::person::identity::CardNumber;
use shebao_domain::time::Timestamp;
use shebao_store::{AuditEvent, Tx};

use super::{Identification, PresentedCard, rule};
use crate::error::RefusalCode;
use crate::person::LookupScope;
use crate::{Actor, App, AppError};

/// What [`check_bill_number`] accepts: 1 to 64 letters, digits, '-', '_' or '.', blanks
/// around.
pub const BILL_NUMBER_PATTERN: &str = r"^\s*[A-Za-z0-9._-]{1,64}\s*$";

pub(super) fn check_bill_number(bill_number: &str) -> Result<(), AppError> {
    let ok = (1..=64).contains(&bill_number.trim().len())
        && bill_number
            .trim()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid(
            "bill_number",
            "1 to 64 letters, digits, '-', '_' or '.'",
        ))
    }
}

/// The audit record a counter operation leaves whatever it answers: its action, what it
/// concerns (the person or the bill) and how the patient was identified.
#[derive(Clone)]
pub(super) struct CounterAudit {
    pub(super) action: &'static str,
    pub(super) subject: String,
    pub(super) detail: serde_json::Map<String, serde_json::Value>,
}

impl CounterAudit {
    pub(super) fn new(
        action: &'static str,
        subject: String,
        who: Option<&Identification>,
    ) -> CounterAudit {
        let mut detail = serde_json::Map::new();
        if let Some(who) = who {
            detail.insert("by".into(), who.method().into());
            if let Identification::CitizenId { reason, .. } = who {
                // The reason as given, cut to its limit, with any ID number in it masked; the
                // number typed to identify the patient stays out (review of issue 13).
                detail.insert(
                    "reason".into(),
                    shebao_domain::person::identity::mask_id_numbers_in(reason)
                        .chars()
                        .take(200)
                        .collect::<String>()
                        .into(),
                );
            }
        }
        CounterAudit {
            action,
            subject: subject
                .chars()
                .take(crate::DENIED_SUBJECT_MAX_CHARS)
                .collect(),
            detail,
        }
    }

    pub(super) fn note(&mut self, name: &str, value: impl Into<serde_json::Value>) {
        self.detail.insert(name.into(), value.into());
    }

    pub(super) fn event(&self, actor: String, outcome: String, at: Timestamp) -> AuditEvent {
        AuditEvent {
            at,
            actor,
            action: self.action.to_owned(),
            subject: self.subject.clone(),
            outcome,
            detail: serde_json::Value::Object(self.detail.clone()).to_string(),
        }
    }
}

/// A failure of the system rather than an answer to the request: it rolls back and is
/// reported, not audited as a refusal.
pub(super) fn is_failure(error: &AppError) -> bool {
    matches!(
        error,
        AppError::Internal(_) | AppError::Unavailable(_) | AppError::Conflict(_)
    )
}

/// The audit subject of a bill of the cashier's institution.
pub(super) fn bill_subject(actor: &Actor, bill_number: &str) -> String {
    format!(
        "bill:{}:{}",
        actor.scope.institution_id.clone().unwrap_or_default(),
        bill_number.trim()
    )
}

/// Counter operations: every person query, pre-settlement, settlement and undo leaves exactly
/// one audit record, refusals included (issue 13, finding 5).
impl App {
    /// Checks an identification before the transaction. A typed ID number needs a reason and
    /// goes through the shared look-up path, as every look-up by ID number does.
    pub(super) fn lookup(
        &self,
        actor: &Actor,
        who: &Identification,
        audit: &mut CounterAudit,
    ) -> Result<Lookup, AppError> {
        if let Identification::Card(card) = who {
            audit.note(
                "card_number",
                card.card_number.chars().take(32).collect::<String>(),
            );
        }
        if let Some(presented) = Lookup::presented(who) {
            return Ok(presented);
        }
        let Identification::CitizenId { citizen_id, reason } = who else {
            return Err(AppError::Internal("an identification without a way".into()));
        };
        crate::person::reason(reason)?;
        audit.note(
            "citizen_id",
            shebao_domain::person::identity::mask_citizen_input(citizen_id.trim()),
        );
        // A look-up by ID number like any other: limited per cashier and audited on its own,
        // hit or miss (issue 13, findings 3 and 8).
        let person = self.look_up_citizen(actor, citizen_id, LookupScope::Patient)?;
        // A refusal after this point names whose record was asked for.
        audit.subject = format!("person:{}", person.id);
        Ok(Lookup::Person(person.id))
    }

    /// Writes the record of a refusal that nothing else recorded, in its own transaction.
    pub(super) fn record_refusal(
        &self,
        actor: &Actor,
        audit: &CounterAudit,
        error: AppError,
    ) -> AppError {
        if is_failure(&error) {
            return error;
        }
        let event = audit.event(
            actor.label(),
            format!("refused:{}", error.code()),
            self.now(),
        );
        match self
            .store
            .write(move |tx| tx.append_audit(&event).map(|_| ()))
        {
            Ok(()) => error,
            Err(failure) => failure.into(),
        }
    }

    /// The answer of a change made through [`App::change`], with a refusal it did not record
    /// (one that rolled back: a card not recognised, a bill not found) recorded now. A
    /// committed refusal and a replayed answer have their record already.
    pub(super) fn recorded<T>(
        &self,
        actor: &Actor,
        audit: &CounterAudit,
        result: Result<T, AppError>,
    ) -> Result<T, AppError> {
        match result {
            Err(error)
                if !error.is_committed_refusal()
                    && !matches!(error, AppError::Replayed { .. } | AppError::Hidden(_)) =>
            {
                Err(self.record_refusal(actor, audit, error))
            }
            other => other,
        }
    }

    /// Runs a counter read in a write transaction that also appends its audit record, `ok` or
    /// `refused:<code>`; `work` may name the subject more precisely as it learns it.
    pub(super) fn audited_read<T: Send + 'static>(
        &self,
        actor: &Actor,
        audit: CounterAudit,
        mut work: impl FnMut(&mut Tx<'_>, &mut CounterAudit) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let (label, now) = (actor.label(), self.now());
        self.store.write(move |tx| {
            let mut audit = audit.clone();
            let (outcome, answer) = match work(tx, &mut audit) {
                Ok(value) => ("ok".to_owned(), Ok(value)),
                Err(error) if is_failure(&error) => return Err(error),
                Err(error) => (format!("refused:{}", error.code()), Err(error)),
            };
            tx.append_audit(&audit.event(label.clone(), outcome, now))?;
            Ok(answer)
        })?
    }
}

/// Who is being treated, as the settlement needs them.
pub(super) struct Patient {
    pub(super) person: PersonId,
    pub(super) card: Card,
    pub(super) insured_region: RegionCode,
    pub(super) retired: bool,
    /// Identified by the card or a live electronic-card token, not by a typed ID number.
    pub(super) card_present: bool,
}

/// An identification ready for the transaction: a typed ID number has already been through
/// the shared look-up path ([`App::citizen_lookup`]) and is only its blind index here.
#[derive(Clone)]
pub(super) enum Lookup {
    Card(PresentedCard),
    ECardToken(String),
    /// A person an ID number named, found by the audited, limited look-up.
    Person(PersonId),
}

impl Lookup {
    /// The identifications that show the card at the counter; `None` for a typed ID number.
    pub(super) fn presented(who: &Identification) -> Option<Lookup> {
        match who {
            Identification::Card(card) => Some(Lookup::Card(card.clone())),
            Identification::ECardToken(token) => Some(Lookup::ECardToken(token.clone())),
            Identification::CitizenId { .. } => None,
        }
    }
}

/// One answer for every card that is not recognised, whichever part did not match, so that
/// trying numbers and codes tells nothing about which cards exist.
pub(super) fn card_not_recognised() -> AppError {
    rule(
        RefusalCode::CardNotRecognised,
        "the card number and identification code do not name a card",
    )
}

/// The card whose printed number and chip's identification code were both presented.
pub(super) fn presented_card(tx: &mut Tx<'_>, presented: &PresentedCard) -> Result<Card, AppError> {
    let number = CardNumber::parse(&presented.card_number).map_err(|_| card_not_recognised())?;
    let card = tx
        .card_by_number(&number)?
        .ok_or_else(card_not_recognised)?;
    if crate::vault::same_secret(
        card.identification_code.as_str(),
        presented.identification_code.trim(),
    ) {
        Ok(card)
    } else {
        Err(card_not_recognised())
    }
}

/// Finds the patient from the card, an electronic-card token or the ID number; the card
/// must work here.
pub(super) fn patient(
    tx: &mut Tx<'_>,
    who: &Lookup,
    treated: &RegionCode,
    now: Timestamp,
) -> Result<Patient, AppError> {
    let cards = match who {
        Lookup::Card(presented) => vec![presented_card(tx, presented)?],
        Lookup::ECardToken(token) => {
            let identity = [shebao_domain::card::code::CodePurpose::Identity];
            let (_, _, card) = crate::card::ecard::card_of_code(tx, token, now, &identity)?;
            vec![card]
        }
        Lookup::Person(person) => tx.cards_of_person(person)?,
    };
    let card_present = !matches!(who, Lookup::Person(_));
    let mut last_refusal = None;
    let mut usable = None;
    for card in cards.into_iter().rev() {
        let utc_offset = crate::card::card_utc_offset(tx, &card, now)?;
        match card.ensure_usable_in(treated, now, utc_offset) {
            Ok(()) => {
                usable = Some(card);
                break;
            }
            Err(refusal) => last_refusal = last_refusal.or(Some(refusal)),
        }
    }
    let card = match (usable, last_refusal) {
        (Some(card), _) => card,
        (None, Some(refusal)) => return Err(refusal.into()),
        (None, None) => return Err(rule(RefusalCode::NoCard, "the person has no card")),
    };
    let person = card.person_id.clone();
    // Insured now: an enrolment covering this month (a pensioner stays insured). The insured
    // region is not known yet: this month is the treating region's.
    let this_month = shebao_domain::insurance::Month::of(App::today_in(tx, treated, now)?);
    let (insured_region, retired) = tx
        .insured_place(&person, this_month)?
        .ok_or_else(|| rule(RefusalCode::NotInsured, "the person is not insured"))?;
    Ok(Patient {
        person,
        card,
        insured_region,
        retired,
        card_present,
    })
}
