//! Job seeking: a holder applies to a published vacancy (and may withdraw, or agree to show
//! the employer who they are), the employer reads its applicants — masked until an applicant
//! agrees — and records interviews and hires, and a holder keeps a job-seeker profile.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::employment::seeking::{
    ApplicationStatus, OPEN_APPLICATIONS_MAX, ProfileDraft, cover_note, filled, takes_applications,
};
use shebao_domain::employment::{OCCUPATION_PATTERN, VacancyStatus};
use shebao_domain::ids::PersonId;
use shebao_domain::time::DATE_PATTERN;
use shebao_store::tx::APPLICATIONS_LISTED_MAX;
use shebao_store::{JobApplicationRecord, JobProfileRecord, Tx};

use super::{Employers, employment_error, holder_person, household_today, parse_date};
use crate::error::{Clash, OrNotFound, RefusalCode};
use crate::insurance::employer_in_scope;
use crate::person::{Shown, person_view};
use crate::{Actor, App, AppError, Audit, new_id};

/// A holder's application.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApplication {
    /// A note to the employer, at most 500 characters.
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub cover_note: String,
    /// Show the employer who the applicant is (name, telephone) from the start.
    #[serde(default)]
    pub share: bool,
}

/// What the employer recorded of an application.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationOutcome {
    #[schemars(extend("enum" = ApplicationStatus::OUTCOMES))]
    pub outcome: String,
}

/// An application as its applicant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "JobApplication")]
pub struct ApplicationView {
    pub id: String,
    pub vacancy_id: String,
    pub vacancy_title: String,
    pub employer_name: String,
    /// `applied`, `interviewed`, `hired`, `not_hired` or `withdrawn`.
    pub status: String,
    pub cover_note: String,
    /// Whether the employer may see who the applicant is.
    pub shared: bool,
    pub applied_at: String,
    pub decided_at: Option<String>,
}

/// An applicant as the employer (or the bureau) sees them: until the applicant agrees to
/// share, the employer sees the name's first character only and nothing that finds the
/// person; the bureau sees the person's id (it reads persons anyway) and the masked name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Applicant")]
pub struct ApplicantView {
    pub id: String,
    pub vacancy_id: String,
    pub status: String,
    pub cover_note: String,
    pub shared: bool,
    pub applied_at: String,
    pub decided_at: Option<String>,
    /// Present when shared (to the employer) or to the bureau.
    pub person_id: Option<String>,
    /// In clear when shared with the employer; masked otherwise.
    pub name: String,
    /// Only when shared with the employer.
    pub phone: Option<String>,
    /// The applicant's job-seeker profile, if they keep one.
    pub skills: Option<String>,
    pub available_from: Option<String>,
}

/// A job seeker's profile as they write it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JobProfileBody {
    /// What the person can do, 1 to 500 characters.
    #[schemars(length(min = 1, max = 500))]
    pub skills: String,
    #[serde(default)]
    #[schemars(regex(pattern = OCCUPATION_PATTERN))]
    pub wanted_occupation: Option<String>,
    #[serde(default)]
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub wanted_place: Option<String>,
    /// From when the person can start.
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub available_from: String,
}

/// A job seeker's profile as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "JobProfile")]
pub struct JobProfileView {
    pub person_id: String,
    pub skills: String,
    pub wanted_occupation: Option<String>,
    pub wanted_place: Option<String>,
    pub available_from: String,
    pub updated_at: String,
}

fn profile_view(record: &JobProfileRecord) -> JobProfileView {
    let p = &record.profile;
    JobProfileView {
        person_id: record.person_id.to_string(),
        skills: p.skills.clone(),
        wanted_occupation: p.wanted_occupation.clone(),
        wanted_place: p.wanted_place.clone(),
        available_from: p.available_from.to_string(),
        updated_at: record.updated_at.to_string(),
    }
}

fn application_view(
    tx: &mut Tx<'_>,
    employers: &mut Employers,
    record: &JobApplicationRecord,
) -> Result<ApplicationView, AppError> {
    let vacancy = tx
        .vacancy(&record.vacancy_id)?
        .or_not_found("vacancy", &record.vacancy_id)?;
    Ok(ApplicationView {
        id: record.id.clone(),
        vacancy_id: record.vacancy_id.clone(),
        vacancy_title: vacancy.terms.title,
        employer_name: employers.get(tx, &record.employer_id)?.name.clone(),
        status: record.status.as_str().to_owned(),
        cover_note: record.cover_note.clone(),
        shared: record.shared_at.is_some(),
        applied_at: record.applied_at.to_string(),
        decided_at: record.decided_at.map(|t| t.to_string()),
    })
}

/// An applicant as `reader` sees them: the employer by name and telephone once they shared,
/// masked before; the bureau by person id, masked.
fn applicant_view(
    tx: &mut Tx<'_>,
    vault: &crate::Vault,
    reader: &Actor,
    record: &JobApplicationRecord,
    now: shebao_domain::time::Timestamp,
) -> Result<ApplicantView, AppError> {
    let person = tx
        .person(&record.person_id)?
        .or_not_found("person", &record.person_id)?;
    let clear = reader.role == Role::Employer && record.shared_at.is_some();
    let shown = if clear { Shown::Clear } else { Shown::Masked };
    let view = person_view(vault, &person, shown, now)?;
    let profile = tx.job_profile(&record.person_id)?;
    Ok(ApplicantView {
        id: record.id.clone(),
        vacancy_id: record.vacancy_id.clone(),
        status: record.status.as_str().to_owned(),
        cover_note: record.cover_note.clone(),
        shared: record.shared_at.is_some(),
        applied_at: record.applied_at.to_string(),
        decided_at: record.decided_at.map(|t| t.to_string()),
        person_id: (clear || reader.role == Role::BureauClerk)
            .then(|| record.person_id.to_string()),
        name: view.name,
        phone: if clear { view.phone } else { None },
        skills: profile.as_ref().map(|p| p.profile.skills.clone()),
        available_from: profile.map(|p| p.profile.available_from.to_string()),
    })
}

/// The holder's own application, or hidden as a missing one.
fn own_application(
    tx: &mut Tx<'_>,
    person: &PersonId,
    id: &str,
) -> Result<JobApplicationRecord, AppError> {
    let record = tx.job_application(id)?.or_not_found("application", id)?;
    if &record.person_id != person {
        return Err(AppError::Hidden(format!("application {id}")));
    }
    Ok(record)
}

impl App {
    /// A holder applies to a published vacancy still open in its employer's region. One
    /// application per person and vacancy; at most [`OPEN_APPLICATIONS_MAX`] open at once.
    pub fn apply_for_job(
        &self,
        actor: &Actor,
        key: &str,
        vacancy: &str,
        request: NewApplication,
    ) -> Result<ApplicationView, AppError> {
        self.authorise(actor, Operation::SeekJobs)?;
        let person = holder_person(actor)?;
        let note = cover_note(&request.cover_note).map_err(employment_error)?;
        let (vacancy, id, share) = (vacancy.to_owned(), new_id("jap"), request.share);
        let audit = Audit::creating("job.apply", format!("person:{person}"))
            .within(format!("vacancy:{vacancy}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let record = tx.vacancy(&vacancy)?.or_not_found("vacancy", &vacancy)?;
            // A vacancy never published is nobody's to see: missing to a holder. A closed one
            // was public: it says it is closed.
            if matches!(
                record.status,
                VacancyStatus::Pending | VacancyStatus::Rejected
            ) {
                return Err(AppError::NotFound(format!("vacancy {vacancy}")));
            }
            let mut employers = Employers::default();
            let today = employers.today(tx, &record.employer_id, now)?;
            takes_applications(record.status, record.terms.closing, today)
                .map_err(employment_error)?;
            if tx.job_application_of(&vacancy, &person)?.is_some() {
                return Err(AppError::Conflict(Clash::AlreadyApplied));
            }
            if tx.applications_to_count(&vacancy)? >= i64::from(APPLICATIONS_LISTED_MAX) {
                return Err(AppError::Rule {
                    code: RefusalCode::VacancyApplicationsFull,
                    message: format!(
                        "the vacancy has {APPLICATIONS_LISTED_MAX} applications, the most it takes"
                    ),
                });
            }
            if tx.open_applications_of(&person, today)? >= OPEN_APPLICATIONS_MAX as i64 {
                return Err(AppError::Rule {
                    code: RefusalCode::TooManyApplications,
                    message: format!(
                        "at most {OPEN_APPLICATIONS_MAX} applications wait for an answer at once"
                    ),
                });
            }
            let application = JobApplicationRecord {
                id: id.clone(),
                vacancy_id: vacancy.clone(),
                employer_id: record.employer_id.clone(),
                person_id: person.clone(),
                status: ApplicationStatus::Applied,
                cover_note: note.clone(),
                shared_at: share.then_some(now),
                applied_at: now,
                decided_by: None,
                decided_at: None,
                version: 0,
            };
            tx.insert_job_application(&application)?;
            let detail = serde_json::json!({ "application": id, "shared": share }).to_string();
            Ok((application_view(tx, &mut employers, &application)?, detail))
        })
    }

    /// The holder withdraws an open application, or agrees to show the employer who they are
    /// (`share`); once shared it stays shared.
    pub fn change_application(
        &self,
        actor: &Actor,
        key: &str,
        application: &str,
        action: ApplicantAction,
    ) -> Result<ApplicationView, AppError> {
        self.authorise(actor, Operation::SeekJobs)?;
        let person = holder_person(actor)?;
        let (id, actor_label) = (application.to_owned(), actor.label());
        let audit = Audit::on(action.audit_action(), format!("application:{id}"));
        self.change(actor, key, &action, audit, move |tx, now| {
            let mut record = own_application(tx, &person, &id)?;
            match action {
                ApplicantAction::Withdraw => {
                    record.status = record.status.withdrawn().map_err(employment_error)?;
                    record.decided_by = Some(actor_label.clone());
                    record.decided_at = Some(now);
                }
                ApplicantAction::Share => {
                    record.shared_at.get_or_insert(now);
                }
            }
            tx.save_job_application(&record)?;
            record.version += 1;
            Ok((
                application_view(tx, &mut Employers::default(), &record)?,
                "{}".into(),
            ))
        })
    }

    /// The holder's own applications, newest first.
    pub fn my_applications(
        &self,
        actor: &Actor,
        person: &str,
    ) -> Result<Vec<ApplicationView>, AppError> {
        self.authorise(actor, Operation::SeekJobs)?;
        let person = self.own_person(actor, person, Operation::SeekJobs)?;
        self.store.read(move |tx| {
            let mut employers = Employers::default();
            let records = tx.applications_of(&person)?;
            records
                .iter()
                .map(|r| application_view(tx, &mut employers, r))
                .collect()
        })
    }

    /// A vacancy's applicants, oldest first, to its employer or the bureau (a vacancy takes at
    /// most [`APPLICATIONS_LISTED_MAX`], so the list is whole). Read in a snapshot; reading
    /// them is a look-up of persons, so one audit record (`vacancy.applicants`) then says how
    /// many were shown and which were shown by name (the employer's shared applicants, by
    /// application) or by person id (the bureau's), before anything is answered.
    pub fn applicants(&self, actor: &Actor, vacancy: &str) -> Result<Vec<ApplicantView>, AppError> {
        self.authorise(actor, Operation::ReadApplicants)?;
        let (id, vault) = (vacancy.to_owned(), self.vault.clone());
        let subject = format!("vacancy:{vacancy}");
        let shown = self.read_for(actor, Operation::ReadApplicants, &subject, move |tx, r| {
            let vacancy = tx.vacancy(&id)?.or_not_found("vacancy", &id)?;
            if !employer_in_scope(&r.actor, &vacancy.employer_id) {
                return Err(AppError::Hidden(format!("vacancy {id}")));
            }
            let mut shown = Vec::new();
            for record in tx.applications_to(&id)? {
                shown.push(applicant_view(tx, &vault, &r.actor, &record, r.now)?);
            }
            Ok(shown)
        })?;
        let named: Vec<&str> = shown
            .iter()
            .filter(|a| a.person_id.is_some())
            .map(|a| match actor.role {
                Role::Employer => a.id.as_str(),
                _ => a.person_id.as_deref().unwrap_or_default(),
            })
            .collect();
        let field = if actor.role == Role::Employer {
            "applications"
        } else {
            "person_ids"
        };
        let detail = serde_json::json!({ "shown": shown.len(), field: named });
        self.audit_look_up(actor, "vacancy.applicants", subject, &detail)?;
        Ok(shown)
    }

    /// The employer records an interview, a hire or a refusal. The hire that fills the last
    /// opening closes the vacancy; no hire is recorded past its openings.
    pub fn record_application_outcome(
        &self,
        actor: &Actor,
        key: &str,
        application: &str,
        request: ApplicationOutcome,
    ) -> Result<ApplicantView, AppError> {
        self.authorise(actor, Operation::RecordHiringOutcome)?;
        let (id, actor_in, outcome, vault) = (
            application.to_owned(),
            actor.clone(),
            request.outcome.clone(),
            self.vault.clone(),
        );
        let audit = Audit::on("job.outcome", format!("application:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut record = tx.job_application(&id)?.or_not_found("application", &id)?;
            if !employer_in_scope(&actor_in, &record.employer_id) {
                return Err(AppError::Hidden(format!("application {id}")));
            }
            record.status = record.status.recorded(&outcome).map_err(employment_error)?;
            let mut vacancy = tx
                .vacancy(&record.vacancy_id)?
                .or_not_found("vacancy", &record.vacancy_id)?;
            let mut closed = false;
            if record.status == ApplicationStatus::Hired {
                let hires = tx.count_applications(&vacancy.id, ApplicationStatus::Hired)?;
                let hires = u32::try_from(hires).unwrap_or(u32::MAX);
                if filled(hires, vacancy.terms.openings) {
                    return Err(AppError::Rule {
                        code: RefusalCode::WrongState,
                        message: "every opening of the vacancy is filled".into(),
                    });
                }
                if filled(hires + 1, vacancy.terms.openings)
                    && let Ok(status) = vacancy.status.closed()
                {
                    vacancy.status = status;
                    tx.save_vacancy_status(&vacancy)?;
                    closed = true;
                }
            }
            record.decided_by = Some(actor_in.label());
            record.decided_at = Some(now);
            tx.save_job_application(&record)?;
            let detail =
                serde_json::json!({ "outcome": outcome, "vacancy_filled": closed }).to_string();
            let view = applicant_view(tx, &vault, &actor_in, &record, now)?;
            Ok((view, detail))
        })
    }

    /// Keeps the holder's job-seeker profile (replacing the one kept before).
    pub fn keep_job_profile(
        &self,
        actor: &Actor,
        key: &str,
        person: &str,
        request: JobProfileBody,
    ) -> Result<JobProfileView, AppError> {
        self.authorise(actor, Operation::SeekJobs)?;
        let person = self.own_person(actor, person, Operation::SeekJobs)?;
        let available_from = parse_date(&request.available_from, "available_from")?;
        let body = request.clone();
        let audit = Audit::on("job.profile", format!("person:{person}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let record = tx.person(&person)?.or_not_found("person", &person)?;
            let today = household_today(tx, &record.household_region, now)?;
            let profile = ProfileDraft {
                skills: &body.skills,
                wanted_occupation: body.wanted_occupation.as_deref(),
                wanted_place: body.wanted_place.as_deref(),
                available_from,
            }
            .check(today)
            .map_err(employment_error)?;
            let version = tx.job_profile(&person)?.map_or(0, |p| p.version);
            let kept = JobProfileRecord {
                person_id: person.clone(),
                updated_at: now,
                version,
                profile,
            };
            tx.save_job_profile(&kept)?;
            Ok((profile_view(&kept), "{}".into()))
        })
    }

    /// The holder's job-seeker profile, if kept.
    pub fn job_profile(&self, actor: &Actor, person: &str) -> Result<JobProfileView, AppError> {
        self.authorise(actor, Operation::SeekJobs)?;
        let person = self.own_person(actor, person, Operation::SeekJobs)?;
        let record = self.store.read(move |tx| tx.job_profile(&person))?;
        record
            .as_ref()
            .map(profile_view)
            .ok_or_else(|| AppError::NotFound("job profile".into()))
    }

    /// `person` when it is the holder's own; anyone else's is hidden (audited).
    fn own_person(
        &self,
        actor: &Actor,
        person: &str,
        operation: Operation,
    ) -> Result<PersonId, AppError> {
        let person = PersonId::new(person);
        let own = actor.role == Role::Cardholder && actor.scope.person_id.as_ref() == Some(&person);
        self.visible_or_hidden(own, actor, operation, ("person", &person))?;
        Ok(person)
    }
}

/// What a holder does with their own application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantAction {
    Withdraw,
    Share,
}

impl ApplicantAction {
    fn audit_action(self) -> &'static str {
        match self {
            ApplicantAction::Withdraw => "job.withdraw",
            ApplicantAction::Share => "job.share",
        }
    }
}
