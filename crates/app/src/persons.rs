//! The person registry: register from the citizen ID number, look up by it (through the
//! blind index, since the number is stored encrypted), correct, and unmask with a reason.

use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::identity::CitizenId;
use shebao_domain::ids::PersonId;
use shebao_domain::person::{HouseholdKind, PersonName, parse_nationality, parse_phone};
use shebao_domain::time::Timestamp;
use shebao_store::{AuditEvent, PersonRecord, Tx};

use crate::reference::region_code;
use crate::views::PersonView;
use crate::{Actor, App, AppError, Audit, Vault, new_id};

/// Encryption contexts: a ciphertext opens only under the field it was sealed for.
pub(crate) const CITIZEN_CONTEXT: &str = "person.citizen_id";
const NAME_CONTEXT: &str = "person.name";
const PHONE_CONTEXT: &str = "person.phone";
/// Blind-index context of citizen ID numbers.
pub(crate) const CITIZEN_INDEX: &str = "citizen_id";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    pub citizen_id: String,
    pub name: String,
    pub nationality: String,
    pub household_region: String,
    pub household_kind: String,
    pub phone: Option<String>,
}

/// A correction: only the fields given change; `reason` is required and audited.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonCorrection {
    pub reason: String,
    pub citizen_id: Option<String>,
    pub name: Option<String>,
    pub nationality: Option<String>,
    pub household_region: Option<String>,
    pub household_kind: Option<String>,
    pub phone: Option<String>,
}

pub(crate) fn parse_citizen_id(input: &str, now: Timestamp) -> Result<CitizenId, AppError> {
    CitizenId::parse(input, now.date()).map_err(|error| AppError::Identity {
        field: "citizen_id",
        error,
    })
}

fn household_kind(input: &str) -> Result<HouseholdKind, AppError> {
    HouseholdKind::parse(input).ok_or_else(|| AppError::Invalid {
        field: "household_kind",
        message: "urban or rural".into(),
    })
}

fn field_error(error: shebao_domain::person::PersonError) -> AppError {
    AppError::Invalid {
        field: error.field(),
        message: error.reason().into(),
    }
}

pub(crate) fn reason(input: &str) -> Result<String, AppError> {
    let trimmed = input.trim();
    if trimmed.chars().count() < 4 || trimmed.chars().count() > 200 {
        return Err(AppError::Invalid {
            field: "reason",
            message: "4 to 200 characters".into(),
        });
    }
    Ok(trimmed.to_owned())
}

/// Builds the view of a person, opening the sealed fields and masking unless `clear`.
pub(crate) fn person_view(
    vault: &Vault,
    record: &PersonRecord,
    clear: bool,
    now: Timestamp,
) -> Result<PersonView, AppError> {
    let open = |context, sealed: &str| {
        vault
            .open(context, sealed)
            .map_err(|e| AppError::Internal(e.to_string()))
    };
    let citizen = parse_citizen_id(&open(CITIZEN_CONTEXT, &record.citizen_cipher)?, now)?;
    let name = PersonName::parse(&open(NAME_CONTEXT, &record.name_cipher)?).map_err(field_error)?;
    let phone = record
        .phone_cipher
        .as_deref()
        .map(|sealed| open(PHONE_CONTEXT, sealed))
        .transpose()?;
    Ok(PersonView {
        id: record.id.to_string(),
        citizen_id: if clear {
            citizen.as_str().to_owned()
        } else {
            citizen.masked()
        },
        name: if clear {
            name.expose().to_owned()
        } else {
            name.masked()
        },
        phone: phone.map(|p| if clear { p } else { mask_phone(&p) }),
        gender: record.gender.as_str().into(),
        birth_date: record.birth_date.to_string(),
        nationality: record.nationality.clone(),
        household_region: record.household_region.to_string(),
        household_kind: record.household_kind.as_str().into(),
        registered_at: record.registered_at.to_string(),
        version: record.version,
        unmasked: clear,
    })
}

fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().collect();
    let keep = digits.len().saturating_sub(4);
    digits
        .iter()
        .enumerate()
        .map(|(i, c)| if i < 3 || i >= keep { *c } else { '*' })
        .collect()
}

/// Whether the actor may see this person at all: clerks see everyone, holders themselves,
/// bank staff only people who hold a card of their bank.
pub(crate) fn person_in_scope(
    tx: &mut Tx<'_>,
    actor: &Actor,
    person: &PersonId,
) -> Result<bool, AppError> {
    Ok(match actor.role {
        Role::BureauClerk => true,
        Role::Cardholder => actor.person_id.as_ref() == Some(person),
        Role::BankTeller | Role::BankSystem => {
            let cards = tx.cards_of_person(person)?;
            cards
                .iter()
                .any(|card| card.bank_id.is_some() && card.bank_id == actor.bank_id)
        }
        Role::Administrator | Role::Auditor | Role::Employer | Role::Cashier => false,
    })
}

impl App {
    fn seal(&self, context: &str, plain: &str) -> Result<String, AppError> {
        self.vault
            .seal(context, plain)
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// Registers a person. One person per ID number.
    pub fn register_person(
        &self,
        actor: &Actor,
        key: &str,
        request: NewPerson,
    ) -> Result<PersonView, AppError> {
        self.authorise(actor, Operation::RegisterPerson)?;
        let now = self.now();
        let citizen = parse_citizen_id(&request.citizen_id, now)?;
        let name = PersonName::parse(&request.name).map_err(field_error)?;
        let phone = request
            .phone
            .as_deref()
            .map(parse_phone)
            .transpose()
            .map_err(field_error)?;
        let record = PersonRecord {
            id: PersonId::new(new_id("per")),
            citizen_index: self.vault.blind_index(CITIZEN_INDEX, citizen.as_str()),
            citizen_cipher: self.seal(CITIZEN_CONTEXT, citizen.as_str())?,
            name_cipher: self.seal(NAME_CONTEXT, name.expose())?,
            phone_cipher: phone
                .as_deref()
                .map(|p| self.seal(PHONE_CONTEXT, p))
                .transpose()?,
            gender: citizen.gender(),
            birth_date: citizen.birth_date(),
            nationality: parse_nationality(&request.nationality).map_err(field_error)?,
            household_region: region_code(&request.household_region, "household_region")?,
            household_kind: household_kind(&request.household_kind)?,
            registered_at: now,
            version: 0,
        };
        let view = person_view(&self.vault, &record, false, now)?;
        let audit = Audit::creating("person.register", format!("person:{}", record.id));
        self.change(actor, key, &request, audit, move |tx, _| {
            if tx.person_by_citizen_index(&record.citizen_index)?.is_some() {
                return Err(AppError::Conflict(
                    "a person with this ID number is already registered".into(),
                ));
            }
            tx.insert_person(&record)?;
            Ok((
                view.clone(),
                format!("{{\"citizen_id\":\"{}\"}}", view.citizen_id),
            ))
        })
    }

    /// Reads a person, masked.
    pub fn person(&self, actor: &Actor, id: &str) -> Result<PersonView, AppError> {
        self.authorise(actor, Operation::ReadPerson)?;
        let (id, actor_in, vault, now) = (
            PersonId::new(id),
            actor.clone(),
            self.vault.clone(),
            self.now(),
        );
        let subject = format!("person:{id}");
        let read = self.store.read(move |tx| {
            let record = tx
                .person(&id)?
                .ok_or_else(|| AppError::NotFound(format!("person {id}")))?;
            if !person_in_scope(tx, &actor_in, &id)? {
                return Err(AppError::Hidden(format!("person {id}")));
            }
            person_view(&vault, &record, false, now)
        });
        self.audited(actor, Operation::ReadPerson, &subject, read)
    }

    /// The one way into the registry by a typed ID number: the number parsed and its blind
    /// index. Every look-up by a typed ID number comes through here (`find_person`, the
    /// cashier's fallback identification), so a limit on such look-ups per actor belongs here.
    pub(crate) fn citizen_lookup(
        &self,
        _actor: &Actor,
        citizen_id: &str,
        now: Timestamp,
    ) -> Result<(CitizenId, String), AppError> {
        let citizen = parse_citizen_id(citizen_id, now)?;
        let index = self.vault.blind_index(CITIZEN_INDEX, citizen.as_str());
        Ok((citizen, index))
    }

    /// Finds a person by ID number (the number never appears in a URL or a log).
    pub fn find_person(&self, actor: &Actor, citizen_id: &str) -> Result<PersonView, AppError> {
        self.authorise(actor, Operation::ReadPerson)?;
        let now = self.now();
        let (citizen, index) = self.citizen_lookup(actor, citizen_id, now)?;
        let (actor_in, vault) = (actor.clone(), self.vault.clone());
        let label = actor.label();
        let masked = citizen.masked();
        let found = self.store.write(move |tx| {
            let record = tx
                .person_by_citizen_index(&index)?
                .ok_or_else(|| AppError::NotFound("person".into()))?;
            if !person_in_scope(tx, &actor_in, &record.id)? {
                return Err(AppError::Hidden("person".into()));
            }
            tx.append_audit(&AuditEvent {
                at: now,
                actor: label.clone(),
                action: "person.lookup".into(),
                subject: format!("person:{}", record.id),
                outcome: "ok".into(),
                detail: format!("{{\"citizen_id\":\"{masked}\"}}"),
            })?;
            person_view(&vault, &record, false, now)
        });
        self.audited(actor, Operation::ReadPerson, "person:lookup", found)
    }

    /// Shows a person in clear, for a stated reason; audited as a sensitive read.
    pub fn unmask_person(
        &self,
        actor: &Actor,
        id: &str,
        why: &str,
    ) -> Result<PersonView, AppError> {
        self.authorise(actor, Operation::UnmaskPerson)?;
        let why = reason(why)?;
        let (id, actor_in, vault, now, label) = (
            PersonId::new(id),
            actor.clone(),
            self.vault.clone(),
            self.now(),
            actor.label(),
        );
        let detail = serde_json::json!({ "reason": why }).to_string();
        let subject = format!("person:{id}");
        let shown = self.store.write(move |tx| {
            let record = tx
                .person(&id)?
                .ok_or_else(|| AppError::NotFound(format!("person {id}")))?;
            if !person_in_scope(tx, &actor_in, &id)? {
                return Err(AppError::Hidden(format!("person {id}")));
            }
            tx.append_audit(&AuditEvent {
                at: now,
                actor: label.clone(),
                action: "person.unmask".into(),
                subject: format!("person:{id}"),
                outcome: "ok".into(),
                detail: detail.clone(),
            })?;
            person_view(&vault, &record, true, now)
        });
        self.audited(actor, Operation::UnmaskPerson, &subject, shown)
    }

    /// Corrects a person's record; gender and birth date follow a corrected ID number.
    pub fn correct_person(
        &self,
        actor: &Actor,
        key: &str,
        id: &str,
        request: PersonCorrection,
    ) -> Result<PersonView, AppError> {
        self.authorise(actor, Operation::CorrectPerson)?;
        let now = self.now();
        let why = reason(&request.reason)?;
        let citizen = request
            .citizen_id
            .as_deref()
            .map(|c| parse_citizen_id(c, now))
            .transpose()?;
        let name = request
            .name
            .as_deref()
            .map(PersonName::parse)
            .transpose()
            .map_err(field_error)?;
        let phone = request
            .phone
            .as_deref()
            .map(parse_phone)
            .transpose()
            .map_err(field_error)?;
        let nationality = request
            .nationality
            .as_deref()
            .map(parse_nationality)
            .transpose()
            .map_err(field_error)?;
        let region = request
            .household_region
            .as_deref()
            .map(|r| region_code(r, "household_region"))
            .transpose()?;
        let kind = request
            .household_kind
            .as_deref()
            .map(household_kind)
            .transpose()?;
        let sealed_citizen = citizen
            .as_ref()
            .map(|c| {
                Ok::<_, AppError>((
                    self.vault.blind_index(CITIZEN_INDEX, c.as_str()),
                    self.seal(CITIZEN_CONTEXT, c.as_str())?,
                ))
            })
            .transpose()?;
        let sealed_name = name
            .as_ref()
            .map(|n| self.seal(NAME_CONTEXT, n.expose()))
            .transpose()?;
        let sealed_phone = phone
            .as_deref()
            .map(|p| self.seal(PHONE_CONTEXT, p))
            .transpose()?;
        let changed: Vec<&str> = [
            ("citizen_id", citizen.is_some()),
            ("name", name.is_some()),
            ("phone", phone.is_some()),
            ("nationality", nationality.is_some()),
            ("household_region", region.is_some()),
            ("household_kind", kind.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, present)| present.then_some(field))
        .collect();
        let detail = serde_json::json!({ "reason": why, "fields": changed }).to_string();
        let person_id = PersonId::new(id);
        let vault = self.vault.clone();
        let audit = Audit::on("person.correct", format!("person:{person_id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut record = tx
                .person(&person_id)?
                .ok_or_else(|| AppError::NotFound(format!("person {person_id}")))?;
            if let (Some((index, sealed)), Some(citizen)) = (&sealed_citizen, &citizen) {
                if tx
                    .person_by_citizen_index(index)?
                    .is_some_and(|other| other.id != person_id)
                {
                    return Err(AppError::Conflict(
                        "a person with this ID number is already registered".into(),
                    ));
                }
                record.citizen_index = index.clone();
                record.citizen_cipher = sealed.clone();
                record.gender = citizen.gender();
                record.birth_date = citizen.birth_date();
            }
            if let Some(sealed) = &sealed_name {
                record.name_cipher = sealed.clone();
            }
            if let Some(sealed) = &sealed_phone {
                record.phone_cipher = Some(sealed.clone());
            }
            if let Some(nationality) = &nationality {
                record.nationality = nationality.clone();
            }
            if let Some(region) = &region {
                record.household_region = region.clone();
            }
            if let Some(kind) = kind {
                record.household_kind = kind;
            }
            tx.update_person(&record)?;
            record.version += 1;
            Ok((person_view(&vault, &record, false, now)?, detail.clone()))
        })
    }
}
