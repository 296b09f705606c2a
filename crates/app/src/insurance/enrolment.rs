//! Who is insured where: a region's contribution parameters, employers (insured units),
//! enrolment, its end and the transfer of the insured place.

use shebao_domain::access::{Operation, Role};
use shebao_domain::ids::{EmployerId, PersonId};
use shebao_domain::insurance::{Month, work_injury_rate_ppm};
use shebao_domain::person::identity::SocialCreditCode;
use shebao_domain::time::Timestamp;
use shebao_store::{EmployerRecord, EnrolmentRecord, Tx};

use super::{
    ContributionParametersBody, EmployerView, EnrolmentEnd, EnrolmentView,
    NewContributionParameters, NewEmployer, NewEnrolment, PlaceTransfer, employer_in_scope,
    employer_view, enrolment_view, insurance_error, parse_month,
};
use crate::error::Clash;
use crate::error::OrNotFound;
use crate::reference::{ParameterSet, known_region, region_code};
use crate::{Actor, App, AppError, Audit, new_id};

fn find_enrolment_person(tx: &mut Tx<'_>, _id: &str) -> Result<PersonId, AppError> {
    tx.enrolment_person(_id)?.or_not_found("enrolment", _id)
}

#[allow(
    clippy::too_many_arguments,
    reason = "one shared check of every way into an enrolment"
)]
fn new_enrolment(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
    person: &PersonId,
    kind: &str,
    employer: Option<&str>,
    region: Option<&str>,
    start: Month,
    now: Timestamp,
) -> Result<EnrolmentRecord, AppError> {
    // Who may enrol into what is decided before the person is looked up, so a refusal does
    // not tell whether the person exists (issue 13, finding 12).
    let (employer_id, region) = match (kind, employer) {
        ("employee", Some(employer)) => {
            let employer = EmployerId::new(employer);
            if !employer_in_scope(actor, &employer) {
                return Err(AppError::Forbidden);
            }
            let record = tx
                .employer(&employer)?
                .or_not_found("employer", &employer)?;
            (Some(employer), record.region)
        }
        ("flexible", None) if actor.role == Role::BureauClerk => {
            let region = region_code(region.unwrap_or(""), "region")?;
            known_region(tx, &region)?;
            (None, region)
        }
        ("flexible", None) => return Err(AppError::Forbidden),
        _ => {
            return Err(AppError::invalid(
                "kind",
                "employee with employer_id, or flexible without",
            ));
        }
    };
    tx.person(person)?.or_not_found("person", person)?;
    let overlapping = tx
        .enrolments_of_person(person)?
        .into_iter()
        .any(|e| e.end.is_none_or(|end| end >= start));
    if overlapping {
        return Err(AppError::Conflict(Clash::AlreadyInsured));
    }
    let record = EnrolmentRecord {
        id: id.to_owned(),
        person_id: person.clone(),
        employer_id,
        region,
        kind: kind.to_owned(),
        start,
        end: None,
        created_at: now,
        version: 0,
    };
    tx.insert_enrolment(&record)?;
    Ok(record)
}

impl App {
    /// Adds a version of a region's contribution parameters.
    pub fn add_contribution_parameters(
        &self,
        actor: &Actor,
        key: &str,
        region: &str,
        request: NewContributionParameters,
    ) -> Result<ContributionParametersBody, AppError> {
        self.authorise(actor, Operation::ManageRegions)?;
        let version = ParameterSet::Contribution.version(region, &request.effective_from)?;
        request
            .parameters
            .to_domain()
            .validate()
            .map_err(insurance_error)?;
        let view = request.parameters.clone();
        self.add_version(actor, key, &request, version, &request.parameters, view)
    }

    /// Registers an insured unit by its unified social credit code.
    pub fn register_employer(
        &self,
        actor: &Actor,
        key: &str,
        request: NewEmployer,
    ) -> Result<EmployerView, AppError> {
        self.authorise(actor, Operation::ManageEmployers)?;
        let code =
            SocialCreditCode::parse(&request.credit_code).map_err(|error| AppError::Identity {
                field: "credit_code",
                error,
            })?;
        work_injury_rate_ppm(request.risk_class, request.rate_tier_percent)
            .map_err(|e| AppError::invalid("rate_tier_percent", e.to_string()))?;
        let name = request.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::invalid("name", "1 to 100 characters"));
        }
        let record = EmployerRecord {
            id: EmployerId::new(new_id("emp")),
            credit_code: code.as_str().to_owned(),
            name,
            region: region_code(&request.region, "region")?,
            risk_class: i64::from(request.risk_class),
            rate_tier_percent: i64::from(request.rate_tier_percent),
            created_at: self.now(),
        };
        let audit = Audit::creating("employer.register", format!("employer:{}", record.id));
        self.change(actor, key, &request, audit, move |tx, _| {
            known_region(tx, &record.region)?;
            if tx.employer_by_credit_code(&record.credit_code)?.is_some() {
                return Err(AppError::Conflict(Clash::EmployerRegistered));
            }
            tx.insert_employer(&record)?;
            Ok((employer_view(&record), "{}".into()))
        })
    }

    pub fn employer(&self, actor: &Actor, id: &str) -> Result<EmployerView, AppError> {
        self.authorise(actor, Operation::ReadEmployer)?;
        let id = EmployerId::new(id);
        let visible = employer_in_scope(actor, &id);
        self.visible_or_hidden(visible, actor, Operation::ReadEmployer, ("employer", &id))?;
        let record = self.store.read(move |tx| tx.employer(&id))?;
        record
            .as_ref()
            .map(employer_view)
            .ok_or_else(|| AppError::NotFound("employer".into()))
    }

    /// Enrols a person in the insurances through an employer, or as a flexible worker.
    pub fn enrol(
        &self,
        actor: &Actor,
        key: &str,
        request: NewEnrolment,
    ) -> Result<EnrolmentView, AppError> {
        self.authorise(actor, Operation::Enrol)?;
        let start = parse_month(&request.start_month, "start_month")?;
        let person = PersonId::new(&request.person_id);
        let id = new_id("enr");
        let (actor_in, body) = (actor.clone(), request.clone());
        let audit = Audit::on("insurance.enrol", format!("person:{person}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let record = new_enrolment(
                tx,
                &actor_in,
                &id,
                &person,
                &body.kind,
                body.employer_id.as_deref(),
                body.region.as_deref(),
                start,
                now,
            )?;
            Ok((enrolment_view(&record), "{}".into()))
        })
    }

    /// Ends an enrolment with its last insured month.
    pub fn end_enrolment(
        &self,
        actor: &Actor,
        key: &str,
        enrolment: &str,
        request: EnrolmentEnd,
    ) -> Result<EnrolmentView, AppError> {
        self.authorise(actor, Operation::Enrol)?;
        let end = parse_month(&request.end_month, "end_month")?;
        let (id, actor_in) = (enrolment.to_owned(), actor.clone());
        let audit = Audit::on("insurance.end_enrolment", format!("enrolment:{id}"));
        self.change(actor, key, &request, audit, move |tx, _| {
            let person = find_enrolment_person(tx, &id)?;
            let record = tx
                .enrolments_of_person(&person)?
                .into_iter()
                .find(|e| e.id == id)
                .or_not_found("enrolment", &id)?;
            // An employer ends only its own employees' enrolments, never a flexible worker's.
            let in_scope = match &record.employer_id {
                Some(employer) => employer_in_scope(&actor_in, employer),
                None => actor_in.role == Role::BureauClerk,
            };
            // Another unit's enrolment is answered as one that does not exist.
            if !in_scope {
                return Err(AppError::Hidden(format!("enrolment {id}")));
            }
            if end < record.start || record.end.is_some() {
                return Err(AppError::invalid(
                    "end_month",
                    "after the start of an open enrolment",
                ));
            }
            tx.end_enrolment(&record, end)?;
            Ok((
                enrolment_view(&EnrolmentRecord {
                    end: Some(end),
                    ..record
                }),
                "{}".into(),
            ))
        })
    }

    /// Moves the insured place: ends the open enrolment the month before and starts the new
    /// one, in one transaction, so the contribution record stays continuous.
    pub fn transfer_insured_place(
        &self,
        actor: &Actor,
        key: &str,
        person: &str,
        request: PlaceTransfer,
    ) -> Result<EnrolmentView, AppError> {
        self.authorise(actor, Operation::Enrol)?;
        if actor.role != Role::BureauClerk {
            return Err(self.deny(actor, Operation::Enrol, &format!("person:{person}")));
        }
        let month = parse_month(&request.month, "month")?;
        let (person, id, actor_in, body) = (
            PersonId::new(person),
            new_id("enr"),
            actor.clone(),
            request.clone(),
        );
        let audit = Audit::on("insurance.transfer_place", format!("person:{person}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let open = tx.enrolments_of_person(&person)?.into_iter().find(|e| e.end.is_none());
            let open = open.ok_or_else(|| AppError::NotFound("an open enrolment".into()))?;
            if month <= open.start {
                return Err(AppError::invalid("month", "after the open enrolment's start"));
            }
            tx.end_enrolment(&open, month.add_months(-1))?;
            let record = new_enrolment(tx, &actor_in, &id, &person, &body.kind, body.employer_id.as_deref(), body.region.as_deref(), month, now)?;
            let detail = serde_json::json!({ "from_region": open.region.to_string(), "to_region": record.region.to_string() }).to_string();
            Ok((enrolment_view(&record), detail))
        })
    }

    pub fn enrolments(&self, actor: &Actor, person: &str) -> Result<Vec<EnrolmentView>, AppError> {
        self.authorise(actor, Operation::ReadContributions)?;
        self.read_insured(actor, person, move |tx, reader, person| {
            // An employer sees only the enrolments through itself.
            Ok(tx
                .enrolments_of_person(person)?
                .iter()
                .filter(|e| {
                    reader.role != Role::Employer || e.employer_id == reader.scope.employer_id
                })
                .map(enrolment_view)
                .collect())
        })
    }
}
