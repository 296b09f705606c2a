//! The person registry: register from the citizen ID number, look up by it (through the
//! blind index, since the number is stored encrypted), correct, and unmask with a reason.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::ids::{PersonId, REGION_CODE_PATTERN, RegionCode};
use shebao_domain::person::identity::{
    CITIZEN_ID_PATTERN, CitizenId, mask_citizen_input, mask_id_numbers_in, masked_birth_date,
};
use shebao_domain::person::{
    HouseholdKind, NATIONALITY_PATTERN, PHONE_PATTERN, PersonName, parse_nationality, parse_phone,
};
use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use shebao_domain::time::Timestamp;
use shebao_store::{AuditEvent, PersonRecord, Tx};

use crate::error::Clash;
use crate::error::OrNotFound;
use crate::reference::region_code;
use crate::views::PersonView;
use crate::{Actor, App, AppError, Audit, Vault, new_id};

/// Encryption contexts: a ciphertext opens only under the field it was sealed for.
pub(crate) const CITIZEN_CONTEXT: &str = "person.citizen_id";
pub(crate) const NAME_CONTEXT: &str = "person.name";
const PHONE_CONTEXT: &str = "person.phone";
/// Blind-index context of citizen ID numbers.
pub(crate) const CITIZEN_INDEX: &str = "citizen_id";
/// The blind-index context of a person's name (a bureau clerk's search by name).
pub(crate) const NAME_INDEX: &str = "name";

/// A registration from the citizen ID number.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    #[schemars(regex(pattern = CITIZEN_ID_PATTERN))]
    pub citizen_id: String,
    #[schemars(length(min = 1, max = 50), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub name: String,
    #[schemars(regex(pattern = NATIONALITY_PATTERN))]
    pub nationality: String,
    #[schemars(regex(pattern = REGION_CODE_PATTERN))]
    pub household_region: String,
    #[schemars(extend("enum" = ["urban", "rural"]))]
    pub household_kind: String,
    #[schemars(regex(pattern = PHONE_PATTERN))]
    pub phone: Option<String>,
}

/// A correction: only the fields given change; `reason` is required and audited.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonCorrection {
    /// 4 to 200 characters, blanks around not counted.
    #[schemars(length(min = REASON_MIN_CHARS, max = 200), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub reason: String,
    #[schemars(regex(pattern = CITIZEN_ID_PATTERN))]
    pub citizen_id: Option<String>,
    #[schemars(length(min = 1, max = 50), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub name: Option<String>,
    #[schemars(regex(pattern = NATIONALITY_PATTERN))]
    pub nationality: Option<String>,
    #[schemars(regex(pattern = REGION_CODE_PATTERN))]
    pub household_region: Option<String>,
    #[schemars(extend("enum" = ["urban", "rural", null]))]
    pub household_kind: Option<String>,
    #[schemars(regex(pattern = PHONE_PATTERN))]
    pub phone: Option<String>,
}

/// A stated reason to see or change personal data, as sent.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Unmask")]
pub struct Reason {
    /// 4 to 200 characters, blanks around not counted; audited.
    #[schemars(length(min = REASON_MIN_CHARS, max = 200), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub reason: String,
}

/// An ID number to look a person up by (kept out of URLs and logs).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PersonLookup")]
pub struct Lookup {
    #[schemars(regex(pattern = CITIZEN_ID_PATTERN))]
    pub citizen_id: String,
}

/// The fewest characters of a stated reason ([`reason`]); the most is 200.
pub const REASON_MIN_CHARS: usize = 4;

pub(crate) fn parse_citizen_id(input: &str, now: Timestamp) -> Result<CitizenId, AppError> {
    CitizenId::parse(
        input,
        shebao_domain::person::identity::citizen_id_today(now),
    )
    .map_err(|error| AppError::Identity {
        field: "citizen_id",
        error,
    })
}

fn household_kind(input: &str) -> Result<HouseholdKind, AppError> {
    HouseholdKind::parse(input).ok_or_else(|| AppError::invalid("household_kind", "urban or rural"))
}

fn field_error(error: shebao_domain::person::PersonError) -> AppError {
    AppError::invalid(error.field(), error.reason())
}

/// A stated reason: 4 to 200 characters, with any ID or bank card number in it masked, for
/// it goes into the audit trail (review of issue 13).
pub(crate) fn reason(input: &str) -> Result<String, AppError> {
    let trimmed = input.trim();
    if trimmed.chars().count() < REASON_MIN_CHARS || trimmed.chars().count() > 200 {
        return Err(AppError::invalid("reason", "4 to 200 characters"));
    }
    Ok(mask_id_numbers_in(trimmed))
}

/// How much of a person a view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shown {
    /// Masked: ID number to the province, name to its first character, birth date to the
    /// decade (issue 13, finding 3).
    Masked,
    /// The person reading their own record: masked, but with their full birth date.
    Own,
    /// Unmasked with a reason (audited): everything in clear.
    Clear,
}

/// Builds the view of a person, opening the sealed fields and masking as `shown` says.
pub(crate) fn person_view(
    vault: &Vault,
    record: &PersonRecord,
    shown: Shown,
    now: Timestamp,
) -> Result<PersonView, AppError> {
    let clear = shown == Shown::Clear;
    let open = |context, sealed: &str| {
        vault
            .open(context, sealed)
            .map_err(AppError::failed("opening a sealed value"))
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
        birth_date: if shown == Shown::Masked {
            masked_birth_date(
                record.birth_date,
                shebao_domain::person::identity::citizen_id_today(now),
            )
        } else {
            record.birth_date.to_string()
        },
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
    actor.sees_person(person, |scope| {
        let bank_staff = matches!(actor.role, Role::BankTeller | Role::BankSystem);
        Ok(bank_staff
            && scope.bank_id.is_some()
            && tx
                .cards_of_person(person)?
                .iter()
                .any(|card| card.bank_id == scope.bank_id))
    })
}

/// Loads a person the actor may see ([`person_in_scope`]); another's record is hidden, answered
/// as one that does not exist.
fn load_person(tx: &mut Tx<'_>, actor: &Actor, id: &PersonId) -> Result<PersonRecord, AppError> {
    let record = tx.person(id)?.or_not_found("person", id)?;
    if !person_in_scope(tx, actor, id)? {
        return Err(AppError::Hidden(format!("person {id}")));
    }
    Ok(record)
}

/// Whose records a look-up by ID number may find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LookupScope {
    /// Those the actor may read as a person ([`person_in_scope`]); others are hidden.
    Person,
    /// Anyone insured, for a medical institution identifying a patient. The look-up is
    /// recorded by the counter operation that asked, in its one record (the person named on a
    /// hit, the masked number and the reason always), hit, miss or refusal alike.
    Patient,
}

/// A stored idempotent answer that is a person view written before issue 13 (finding 3),
/// with its full birth date shown to the decade as a masked view shows it now, or `None`
/// when there is nothing to change (review of issue 13). An unmasked view, and a holder's
/// own view (the key is scoped to the actor who sent it), keep the full date.
pub(crate) fn remask_stored_birth_date(
    stored: &str,
    actor: &Actor,
    now: Timestamp,
) -> Option<String> {
    if !stored.contains("\"birth_date\"") {
        return None;
    }
    let mut answer: serde_json::Value = serde_json::from_str(stored).ok()?;
    let view = answer.get_mut("ok")?.as_object_mut()?;
    if view.get("unmasked") != Some(&serde_json::Value::Bool(false)) {
        return None;
    }
    let own = actor.role == Role::Cardholder
        && actor.scope.person_id.as_ref().map(PersonId::as_str)
            == view.get("id").and_then(serde_json::Value::as_str);
    if own {
        return None;
    }
    let date = shebao_domain::time::Date::parse_iso(view.get("birth_date")?.as_str()?)?;
    let masked = masked_birth_date(date, shebao_domain::person::identity::citizen_id_today(now));
    view.insert("birth_date".into(), masked.into());
    Some(answer.to_string())
}

/// What a masked read shows `actor` of person `person`: the holder sees their own birth date.
fn shown_to(actor: &Actor, person: &PersonId) -> Shown {
    if actor.role == Role::Cardholder && actor.scope.person_id.as_ref() == Some(person) {
        Shown::Own
    } else {
        Shown::Masked
    }
}

impl App {
    fn seal(&self, context: &str, plain: &str) -> Result<String, AppError> {
        self.vault
            .seal(context, plain)
            .map_err(AppError::failed("sealing a value"))
    }

    /// Registers a person. One person per ID number.
    pub fn register_person(
        &self,
        actor: &Actor,
        key: &str,
        request: NewPerson,
    ) -> Result<PersonView, AppError> {
        self.authorise(actor, Operation::RegisterPerson)?;
        // A registration tells whether the number is registered already (it is refused if
        // so), so it counts as a look-up by ID number (review of issue 13, finding 3).
        self.admit_citizen_check(actor, "person.register", "person:-".into())?;
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
        let name_index = self.vault.blind_index(NAME_INDEX, name.expose());
        let view = person_view(&self.vault, &record, Shown::Masked, now)?;
        let audit = Audit::creating("person.register", format!("person:{}", record.id));
        self.change(actor, key, &request, audit, move |tx, _| {
            if tx.person_by_citizen_index(&record.citizen_index)?.is_some() {
                return Err(AppError::Conflict(Clash::PersonRegistered));
            }
            tx.insert_person(&record)?;
            tx.set_person_name_index(&record.id, &name_index)?;
            Ok((
                view.clone(),
                format!("{{\"citizen_id\":\"{}\"}}", view.citizen_id),
            ))
        })
    }

    /// Reads a person, masked.
    pub fn person(&self, actor: &Actor, id: &str) -> Result<PersonView, AppError> {
        self.authorise(actor, Operation::ReadPerson)?;
        let id = PersonId::new(id);
        let subject = format!("person:{id}");
        self.read_for(actor, Operation::ReadPerson, &subject, move |tx, r| {
            let record = load_person(tx, &r.actor, &id)?;
            person_view(&r.vault, &record, shown_to(&r.actor, &id), r.now)
        })
    }

    /// Finds a person by ID number (the number never appears in a URL or a log). Limited
    /// per actor and audited hit, miss or hidden ([`App::look_up_citizen`]).
    pub fn find_person(&self, actor: &Actor, citizen_id: &str) -> Result<PersonView, AppError> {
        self.authorise(actor, Operation::ReadPerson)?;
        let record = self.look_up_citizen(actor, citizen_id, LookupScope::Person)?;
        person_view(
            &self.vault,
            &record,
            shown_to(actor, &record.id),
            self.now(),
        )
    }

    /// Resolves an ID number typed for a look-up (issue 13, findings 3 and 8): at most the
    /// actor's [`crate::LookupRate`], and exactly one `person.lookup` audit record whatever
    /// happens — `ok` (found), `refused:not_found` (a miss), `denied` (another's record,
    /// answered as not found), `refused:too_many_lookups`, or `refused:<code>` for a number
    /// that does not parse — with the number masked in its detail, never in clear.
    pub(crate) fn look_up_citizen(
        &self,
        actor: &Actor,
        input: &str,
        scope: LookupScope,
    ) -> Result<PersonRecord, AppError> {
        let now = self.now();
        let event = |subject: String, outcome: String| AuditEvent {
            at: now,
            actor: actor.label(),
            action: "person.lookup".into(),
            subject,
            outcome,
            detail: serde_json::json!({ "citizen_id": mask_citizen_input(input.trim()) })
                .to_string(),
        };
        // A patient's look-up is recorded by the counter operation that asked, in its one
        // record (hit, miss or refusal); a person's here.
        let recorded = scope == LookupScope::Person;
        let refused = |error: AppError| {
            if !recorded {
                return error;
            }
            let event = event("person:-".into(), format!("refused:{}", error.code()));
            match self
                .store
                .write(move |tx| tx.append_audit(&event).map(|_| ()))
            {
                Ok(()) => error,
                Err(store) => AppError::from(store),
            }
        };
        if let Err(retry_after_seconds) = self.lookups.admit(actor.user_id.as_str(), now) {
            return Err(refused(AppError::TooManyLookups {
                retry_after_seconds,
            }));
        }
        let citizen = parse_citizen_id(input, now).map_err(refused)?;
        let index = self.vault.blind_index(CITIZEN_INDEX, citizen.as_str());
        let (actor_in, miss, hit) = (
            actor.clone(),
            event("person:-".into(), "refused:not_found".into()),
            event(String::new(), String::new()),
        );
        let found = self.store.write(move |tx| -> Result<_, AppError> {
            let Some(record) = tx.person_by_citizen_index(&index)? else {
                if recorded {
                    tx.append_audit(&miss)?;
                }
                return Ok(None);
            };
            let visible = match scope {
                LookupScope::Person => person_in_scope(tx, &actor_in, &record.id)?,
                LookupScope::Patient => return Ok(Some(record)),
            };
            tx.append_audit(&AuditEvent {
                subject: format!("person:{}", record.id),
                outcome: if visible { "ok" } else { "denied" }.into(),
                ..hit.clone()
            })?;
            Ok(visible.then_some(record))
        })?;
        // A miss and another's record answer alike, so the answer tells nothing of which.
        found.ok_or_else(|| AppError::NotFound("person".into()))
    }

    /// Counts a check of a typed ID number against one record (a card's collection, its
    /// financial activation, a temporary card) as a look-up by ID number: each refused
    /// attempt would otherwise confirm or rule out one candidate number, so they share the
    /// actor's limit. A refusal is audited under the operation's own action (issue 13,
    /// finding 3). The check's own outcome is audited by the operation.
    pub(crate) fn admit_citizen_check(
        &self,
        actor: &Actor,
        action: &str,
        subject: String,
    ) -> Result<(), AppError> {
        let now = self.now();
        let Err(retry_after_seconds) = self.lookups.admit(actor.user_id.as_str(), now) else {
            return Ok(());
        };
        let error = AppError::TooManyLookups {
            retry_after_seconds,
        };
        let event = AuditEvent {
            at: now,
            actor: actor.label(),
            action: action.to_owned(),
            subject: subject
                .chars()
                .take(crate::DENIED_SUBJECT_MAX_CHARS)
                .collect(),
            outcome: format!("refused:{}", error.code()),
            detail: "{}".into(),
        };
        self.store
            .write(move |tx| tx.append_audit(&event).map(|_| ()))
            .map_err(AppError::from)?;
        Err(error)
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
            let record = load_person(tx, &actor_in, &id)?;
            tx.append_audit(&AuditEvent {
                at: now,
                actor: label.clone(),
                action: "person.unmask".into(),
                subject: format!("person:{id}"),
                outcome: "ok".into(),
                detail: detail.clone(),
            })?;
            person_view(&vault, &record, Shown::Clear, now)
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
        // A corrected ID number is refused if another person has it: a look-up by ID number.
        if request.citizen_id.is_some() {
            self.admit_citizen_check(actor, "person.correct", format!("person:{id}"))?;
        }
        let now = self.now();
        let why = reason(&request.reason)?;
        let correction = self.correction(&request, now)?;
        let changed = correction.fields();
        let detail = serde_json::json!({ "reason": why, "fields": changed }).to_string();
        let person_id = PersonId::new(id);
        let vault = self.vault.clone();
        let audit = Audit::on("person.correct", format!("person:{person_id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut record = tx.person(&person_id)?.or_not_found("person", &person_id)?;
            correction.apply(tx, &mut record, &person_id)?;
            tx.update_person(&record)?;
            record.version += 1;
            Ok((
                person_view(&vault, &record, Shown::Masked, now)?,
                detail.clone(),
            ))
        })
    }
}

/// A correction's fields, parsed and sealed before the transaction.
struct Correction {
    /// The ID number with its blind index and its sealed form.
    citizen: Option<(CitizenId, String, String)>,
    /// The name, sealed, and its blind index.
    name: Option<(String, String)>,
    /// The phone number, sealed.
    phone: Option<String>,
    nationality: Option<String>,
    region: Option<RegionCode>,
    kind: Option<HouseholdKind>,
}

impl App {
    /// Parses and seals the fields a correction names.
    fn correction(
        &self,
        request: &PersonCorrection,
        now: Timestamp,
    ) -> Result<Correction, AppError> {
        let citizen = request
            .citizen_id
            .as_deref()
            .map(|c| parse_citizen_id(c, now))
            .transpose()?
            .map(|c| {
                let index = self.vault.blind_index(CITIZEN_INDEX, c.as_str());
                let sealed = self.seal(CITIZEN_CONTEXT, c.as_str())?;
                Ok::<_, AppError>((c, index, sealed))
            })
            .transpose()?;
        let name = request
            .name
            .as_deref()
            .map(PersonName::parse)
            .transpose()
            .map_err(field_error)?
            .map(|n| {
                let sealed = self.seal(NAME_CONTEXT, n.expose())?;
                Ok::<_, AppError>((sealed, self.vault.blind_index(NAME_INDEX, n.expose())))
            })
            .transpose()?;
        let phone = request
            .phone
            .as_deref()
            .map(parse_phone)
            .transpose()
            .map_err(field_error)?
            .map(|p| self.seal(PHONE_CONTEXT, &p))
            .transpose()?;
        Ok(Correction {
            citizen,
            name,
            phone,
            nationality: request
                .nationality
                .as_deref()
                .map(parse_nationality)
                .transpose()
                .map_err(field_error)?,
            region: request
                .household_region
                .as_deref()
                .map(|r| region_code(r, "household_region"))
                .transpose()?,
            kind: request
                .household_kind
                .as_deref()
                .map(household_kind)
                .transpose()?,
        })
    }
}

impl Correction {
    /// The fields corrected, as the audit record names them.
    fn fields(&self) -> Vec<&'static str> {
        [
            ("citizen_id", self.citizen.is_some()),
            ("name", self.name.is_some()),
            ("phone", self.phone.is_some()),
            ("nationality", self.nationality.is_some()),
            ("household_region", self.region.is_some()),
            ("household_kind", self.kind.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, present)| present.then_some(field))
        .collect()
    }

    /// Writes the correction into `record`; a corrected ID number another person has is a
    /// conflict.
    fn apply(
        &self,
        tx: &mut Tx<'_>,
        record: &mut PersonRecord,
        person_id: &PersonId,
    ) -> Result<(), AppError> {
        if let Some((citizen, index, sealed)) = &self.citizen {
            if tx
                .person_by_citizen_index(index)?
                .is_some_and(|other| other.id != *person_id)
            {
                return Err(AppError::Conflict(Clash::PersonRegistered));
            }
            record.citizen_index = index.clone();
            record.citizen_cipher = sealed.clone();
            record.gender = citizen.gender();
            record.birth_date = citizen.birth_date();
        }
        if let Some((sealed, index)) = &self.name {
            record.name_cipher = sealed.clone();
            tx.set_person_name_index(person_id, index)?;
        }
        if let Some(sealed) = &self.phone {
            record.phone_cipher = Some(sealed.clone());
        }
        if let Some(nationality) = &self.nationality {
            record.nationality = nationality.clone();
        }
        if let Some(region) = &self.region {
            record.household_region = region.clone();
        }
        if let Some(kind) = self.kind {
            record.household_kind = kind;
        }
        Ok(())
    }
}

/// What one batch of [`App::index_person_names`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct NameIndexing {
    /// Persons whose name is now indexed.
    pub indexed: usize,
    /// Persons whose sealed name could not be opened or read (left unsearchable by name).
    pub skipped: Vec<String>,
    /// The last person read, where the next batch starts; `None` once none is left.
    pub last: Option<String>,
}

impl App {
    /// Gives at most `batch` persons after id `after` ("" for the first) registered before
    /// names were indexed the blind index of their name (migration `0011`). A name that
    /// cannot be opened or read is skipped and named in the answer, never stopping the
    /// walk. The service calls it at start, from where the last batch ended, until `last`
    /// is `None`.
    pub fn index_person_names(&self, after: &str, batch: i64) -> Result<NameIndexing, AppError> {
        let (vault, after) = (self.vault.clone(), after.to_owned());
        self.store.write(move |tx| {
            let persons = tx.persons_without_name_index(&after, batch)?;
            let mut done = NameIndexing {
                last: persons.last().map(|p| p.id.to_string()),
                ..NameIndexing::default()
            };
            for person in &persons {
                let name = vault
                    .open(NAME_CONTEXT, &person.name_cipher)
                    .ok()
                    .and_then(|name| PersonName::parse(&name).ok());
                match name {
                    Some(name) => {
                        let index = vault.blind_index(NAME_INDEX, name.expose());
                        tx.set_person_name_index(&person.id, &index)?;
                        done.indexed += 1;
                    }
                    None => done.skipped.push(person.id.to_string()),
                }
            }
            Ok(done)
        })
    }
}
