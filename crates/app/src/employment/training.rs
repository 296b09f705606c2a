//! Vocational training (issue 17, item 3). The bureau registers providers; a provider's staff
//! post courses (an occupation, hours, places, a subsidy per completion within the region's
//! cap, paid to the trainee's card or to the provider), which the bureau reviews before
//! holders may enrol; holders enrol until the course starts, while a place is left; the
//! provider records each day's attendance and, from the course's last day, the completion —
//! which needs the region's share of the hours attended and issues a certificate verifiable
//! like the contribution certificate; the bureau pays the subsidy of each completion once,
//! from the region's unemployment fund through `Benefit::pay`.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::employment::OCCUPATION_PATTERN;
use shebao_domain::employment::training::{
    COURSE_PLACES_MAX, CourseDraft, CourseFacts, CourseStatus, EnrolmentStatus, SubsidyPayee,
    TrainingParameters, TrainingRefusal, check_attendance, complete, may_enrol, provider_name,
    required_hours, withdraw,
};
use shebao_domain::ids::{PersonId, RegionCode};
use shebao_domain::insurance::Insurance;
use shebao_domain::money::ledger::{SystemAccount, TransferCode, stripe_of};
use shebao_domain::person::identity::SocialCreditCode;
use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use shebao_domain::time::{DATE_PATTERN, Date};
use shebao_store::tx::TRAINING_LISTED_MAX;
use shebao_store::{
    TrainingAttendanceRecord, TrainingCourseRecord, TrainingEnrolmentRecord,
    TrainingProviderRecord, Tx,
};

use super::unemployment::decision_with_note;
use super::{employment_error, holder_person, parse_date};
use crate::error::{Clash, OrNotFound, RefusalCode};
use crate::insurance::benefit_parameters::benefit_parameters;
use crate::insurance::certificates::TrainingCertified;
use crate::insurance::pensions::{Benefit, crediting_account};
use crate::person::{Shown, person_view};
use crate::{Actor, App, AppError, Audit, new_id};

/// A provider registered by the bureau.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTrainingProvider {
    /// The provider's unified social credit code.
    pub credit_code: String,
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub name: String,
    /// The region whose bureau oversees it (6 digits).
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub region: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "TrainingProvider")]
pub struct TrainingProviderView {
    pub id: String,
    pub credit_code: String,
    pub name: String,
    pub region: String,
    pub registered_at: String,
}

/// A course as its provider posts it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCourse {
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub title: String,
    /// The occupation trained for, a code of the national classification.
    #[schemars(regex(pattern = OCCUPATION_PATTERN))]
    pub occupation: String,
    #[schemars(range(min = 1, max = shebao_domain::employment::training::COURSE_HOURS_MAX))]
    pub hours: u32,
    #[schemars(range(min = 1, max = shebao_domain::employment::training::COURSE_PLACES_MAX))]
    pub places: u32,
    /// Paid once per completion, at most the region's cap.
    #[schemars(range(min = 1))]
    pub subsidy_fen: i64,
    /// `card` (the trainee's) or `provider`.
    #[schemars(extend("enum" = ["card", "provider"]))]
    pub payee: String,
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub starts_on: String,
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub ends_on: String,
}

/// The bureau's review of a course.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseReview {
    /// `approve` (open for enrolment) or `refuse`.
    #[schemars(extend("enum" = ["approve", "refuse"]))]
    pub decision: String,
    /// Why, for a refusal (1 to 500 characters).
    #[serde(default)]
    #[schemars(length(max = 500), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "TrainingCourse")]
pub struct CourseView {
    pub id: String,
    pub provider_id: String,
    pub provider: String,
    pub region: String,
    pub title: String,
    pub occupation: String,
    pub hours: i64,
    pub places: i64,
    /// Places held by enrolments that are not withdrawn.
    pub taken: i64,
    pub subsidy_fen: i64,
    #[schemars(extend("enum" = ["card", "provider"]))]
    pub payee: String,
    #[schemars(extend("format" = "date"))]
    pub starts_on: String,
    #[schemars(extend("format" = "date"))]
    pub ends_on: String,
    #[schemars(extend("enum" = ["pending", "open", "rejected"]))]
    pub status: String,
    pub review_note: Option<String>,
    pub posted_at: String,
}

/// A day's attendance recorded by the provider.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAttendance {
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub day: String,
    #[schemars(range(min = 1, max = shebao_domain::employment::training::DAY_HOURS_MAX))]
    pub hours: u32,
}

/// The provider's record at the course's end.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompletionRecord {
    /// Whether the trainee completed the course (attended enough and passed).
    pub passed: bool,
}

/// An enrolment, with its course's title and what a trainee's record shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "TrainingEnrolment")]
pub struct EnrolmentView {
    pub id: String,
    pub course_id: String,
    pub course: String,
    pub provider: String,
    /// The trainee's person id; none in a provider's answers.
    pub person_id: Option<String>,
    #[schemars(extend("enum" = ["enrolled", "withdrawn", "completed", "not_completed"]))]
    pub status: String,
    pub hours: i64,
    pub attended_hours: i64,
    /// The hours needed to complete: the course's share of its hours, rounded up.
    pub required_hours: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub enrolled_at: String,
    pub completed_on: Option<String>,
    /// The completion certificate's verification code.
    pub certificate_code: Option<String>,
    pub subsidy_fen: i64,
    #[schemars(extend("enum" = ["card", "provider"]))]
    pub payee: String,
    /// Set once the subsidy is paid (never shown to the provider).
    pub paid_at: Option<String>,
    pub transfer_id: Option<String>,
}

impl EnrolmentView {
    /// As the course's provider sees it: who the trainee is stays out (their name and ID
    /// number come masked beside it), and so does the subsidy's payment.
    fn for_provider(self) -> EnrolmentView {
        EnrolmentView {
            person_id: None,
            paid_at: None,
            transfer_id: None,
            ..self
        }
    }
}

/// A course's trainee as its provider sees them: masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Trainee")]
pub struct TraineeView {
    pub enrolment: EnrolmentView,
    /// Masked (`陈*`).
    pub name: String,
    /// Masked to the province.
    pub citizen_id: String,
}

/// A person's training: enrolments, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "TrainingRecord")]
pub struct TrainingRecordView {
    pub person_id: String,
    pub enrolments: Vec<EnrolmentView>,
}

const FUND: Insurance = Insurance::Unemployment;

fn rule(code: RefusalCode, message: impl Into<String>) -> AppError {
    AppError::Rule {
        code,
        message: message.into(),
    }
}

fn training_error(refusal: TrainingRefusal) -> AppError {
    let message = refusal.to_string();
    match refusal {
        TrainingRefusal::Employment(error) => employment_error(error),
        TrainingRefusal::CourseFull => rule(RefusalCode::CourseFull, message),
        TrainingRefusal::EnrolmentClosed => rule(RefusalCode::EnrolmentClosed, message),
        TrainingRefusal::CourseNotOver => rule(RefusalCode::CourseNotOver, message),
        TrainingRefusal::CourseStarted => rule(RefusalCode::EnrolmentClosed, message),
        TrainingRefusal::AttendanceShort { .. } => rule(RefusalCode::AttendanceShort, message),
    }
}

/// The training rules in force in `region` on `on`, or `no_parameters`.
fn training_parameters(
    tx: &mut Tx<'_>,
    region: &RegionCode,
    on: Date,
) -> Result<TrainingParameters, AppError> {
    benefit_parameters(tx, region, on)?.training.ok_or_else(|| {
        rule(
            RefusalCode::NoParameters,
            format!("region {region} has no training parameters in force on {on}"),
        )
    })
}

fn provider_view(record: &TrainingProviderRecord) -> TrainingProviderView {
    TrainingProviderView {
        id: record.id.clone(),
        credit_code: record.credit_code.clone(),
        name: record.name.clone(),
        region: record.region.to_string(),
        registered_at: record.registered_at.to_string(),
    }
}

fn facts(course: &TrainingCourseRecord) -> Result<CourseFacts, AppError> {
    let number = |value: i64| {
        u32::try_from(value)
            .map_err(|_| AppError::Internal(format!("training course {}: {value}", course.id)))
    };
    Ok(CourseFacts {
        status: CourseStatus::parse(&course.status).ok_or_else(|| {
            AppError::Internal(format!("training course {}: {}", course.id, course.status))
        })?,
        hours: number(course.hours)?,
        places: number(course.places)?,
        starts_on: course.starts_on,
        ends_on: course.ends_on,
        attendance_percent: number(course.attendance_percent)?,
    })
}

fn enrolment_status(record: &TrainingEnrolmentRecord) -> Result<EnrolmentStatus, AppError> {
    EnrolmentStatus::parse(&record.status).ok_or_else(|| {
        AppError::Internal(format!(
            "training enrolment {}: {}",
            record.id, record.status
        ))
    })
}

/// Providers' names, each read once for a list.
#[derive(Default)]
struct Providers(HashMap<String, String>);

impl Providers {
    fn name(&mut self, tx: &mut Tx<'_>, id: &str) -> Result<String, AppError> {
        if let Some(name) = self.0.get(id) {
            return Ok(name.clone());
        }
        let name = tx
            .training_provider(id)?
            .map(|p| p.name)
            .unwrap_or_else(|| id.to_owned());
        self.0.insert(id.to_owned(), name.clone());
        Ok(name)
    }

    fn course_view(
        &mut self,
        tx: &mut Tx<'_>,
        course: &TrainingCourseRecord,
    ) -> Result<CourseView, AppError> {
        Ok(CourseView {
            id: course.id.clone(),
            provider_id: course.provider_id.clone(),
            provider: self.name(tx, &course.provider_id)?,
            region: course.region.to_string(),
            title: course.title.clone(),
            occupation: course.occupation.clone(),
            hours: course.hours,
            places: course.places,
            taken: course.taken,
            subsidy_fen: course.subsidy_fen,
            payee: course.payee.clone(),
            starts_on: course.starts_on.to_string(),
            ends_on: course.ends_on.to_string(),
            status: course.status.clone(),
            review_note: course.review_note.clone(),
            posted_at: course.posted_at.to_string(),
        })
    }

    /// An enrolment with its course, and the hours it needs by the course's share.
    fn enrolment_view(
        &mut self,
        tx: &mut Tx<'_>,
        record: &TrainingEnrolmentRecord,
    ) -> Result<EnrolmentView, AppError> {
        let course = tx
            .training_course(&record.course_id)?
            .or_not_found("training course", &record.course_id)?;
        let facts = facts(&course)?;
        let required = i64::from(required_hours(facts.hours, facts.attendance_percent));
        Ok(enrolment_view(
            record,
            &course,
            self.name(tx, &course.provider_id)?,
            required,
        ))
    }
}

fn enrolment_view(
    record: &TrainingEnrolmentRecord,
    course: &TrainingCourseRecord,
    provider: String,
    required_hours: i64,
) -> EnrolmentView {
    EnrolmentView {
        id: record.id.clone(),
        course_id: course.id.clone(),
        course: course.title.clone(),
        provider,
        person_id: Some(record.person_id.to_string()),
        status: record.status.clone(),
        hours: course.hours,
        attended_hours: record.attended_hours,
        required_hours,
        starts_on: course.starts_on.to_string(),
        ends_on: course.ends_on.to_string(),
        enrolled_at: record.enrolled_at.to_string(),
        completed_on: record.completed_on.map(|d| d.to_string()),
        certificate_code: record.certificate_code.clone(),
        subsidy_fen: course.subsidy_fen,
        payee: course.payee.clone(),
        paid_at: record.paid_at.map(|t| t.to_string()),
        transfer_id: record.transfer_id.as_ref().map(ToString::to_string),
    }
}

/// Whether `actor` is staff of `provider`.
fn provider_in_scope(actor: &Actor, provider: &str) -> bool {
    actor.role == Role::TrainingProvider && actor.scope.provider_id.as_deref() == Some(provider)
}

/// The enrolment and its course, when the course is the acting provider's; else hidden.
fn providers_enrolment(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
) -> Result<(TrainingEnrolmentRecord, TrainingCourseRecord), AppError> {
    let enrolment = tx
        .training_enrolment(id)?
        .or_not_found("training enrolment", id)?;
    let course = tx
        .training_course(&enrolment.course_id)?
        .or_not_found("training course", &enrolment.course_id)?;
    if !provider_in_scope(actor, &course.provider_id) {
        return Err(AppError::Hidden(format!("training enrolment {id}")));
    }
    Ok((enrolment, course))
}

impl App {
    /// The bureau registers a training provider, once per credit code.
    pub fn register_training_provider(
        &self,
        actor: &Actor,
        key: &str,
        request: NewTrainingProvider,
    ) -> Result<TrainingProviderView, AppError> {
        self.authorise(actor, Operation::ManageTrainingProviders)?;
        let code =
            SocialCreditCode::parse(&request.credit_code).map_err(|error| AppError::Identity {
                field: "credit_code",
                error,
            })?;
        let name = provider_name(&request.name).map_err(employment_error)?;
        let region = RegionCode::parse(request.region.trim())
            .ok_or_else(|| AppError::invalid("region", "a 6-digit region code"))?;
        let (id, label) = (new_id("tpr"), actor.label());
        let audit = Audit::creating("training.provider.register", format!("provider:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            tx.region(&region)?.or_not_found("region", &region)?;
            if tx.training_provider_by_code(code.as_str())?.is_some() {
                return Err(AppError::Conflict(Clash::ProviderRegistered));
            }
            let record = TrainingProviderRecord {
                id: id.clone(),
                region: region.clone(),
                credit_code: code.as_str().to_owned(),
                name: name.clone(),
                registered_by: label.clone(),
                registered_at: now,
            };
            tx.insert_training_provider(&record)?;
            let detail = serde_json::json!({ "provider": record.id, "region": region.as_str() });
            Ok((provider_view(&record), detail.to_string()))
        })
    }

    /// The registered providers by name.
    pub fn training_providers(&self, actor: &Actor) -> Result<Vec<TrainingProviderView>, AppError> {
        self.authorise(actor, Operation::ManageTrainingProviders)?;
        let providers = self
            .store
            .read(|tx| tx.training_providers(TRAINING_LISTED_MAX))?;
        Ok(providers.iter().map(provider_view).collect())
    }

    /// A provider's staff post a course for the bureau's review, in the provider's region,
    /// within its training rules in force today.
    pub fn post_training_course(
        &self,
        actor: &Actor,
        key: &str,
        provider: &str,
        request: NewCourse,
    ) -> Result<CourseView, AppError> {
        self.authorise(actor, Operation::PostCourse)?;
        self.visible_or_hidden(
            provider_in_scope(actor, provider),
            actor,
            Operation::PostCourse,
            ("provider", &provider),
        )?;
        let starts_on = parse_date(&request.starts_on, "starts_on")?;
        let ends_on = parse_date(&request.ends_on, "ends_on")?;
        let (id, label, provider_id) = (new_id("tco"), actor.label(), provider.to_owned());
        let audit = Audit::creating("training.course.post", format!("provider:{provider}"));
        let body = request.clone();
        self.change(actor, key, &request, audit, move |tx, now| {
            let provider = tx
                .training_provider(&provider_id)?
                .or_not_found("training provider", &provider_id)?;
            let today = App::today_in(tx, &provider.region, now)?;
            let params = training_parameters(tx, &provider.region, today)?;
            let terms = CourseDraft {
                title: &body.title,
                occupation: &body.occupation,
                hours: body.hours,
                places: body.places,
                subsidy_fen: body.subsidy_fen,
                payee: &body.payee,
                starts_on,
                ends_on,
            }
            .check(today, &params)
            .map_err(employment_error)?;
            let course = TrainingCourseRecord {
                id: id.clone(),
                provider_id: provider.id.clone(),
                region: provider.region.clone(),
                title: terms.title,
                occupation: terms.occupation,
                hours: i64::from(terms.hours),
                places: i64::from(terms.places),
                subsidy_fen: terms.subsidy_fen,
                payee: terms.payee.as_str().to_owned(),
                attendance_percent: i64::from(terms.attendance_percent),
                starts_on: terms.starts_on,
                ends_on: terms.ends_on,
                status: CourseStatus::Pending.as_str().to_owned(),
                taken: 0,
                posted_by: label.clone(),
                posted_at: now,
                reviewed_by: None,
                reviewed_at: None,
                review_note: None,
                version: 0,
            };
            tx.insert_training_course(&course)?;
            let view = Providers::default().course_view(tx, &course)?;
            let detail =
                serde_json::json!({ "course": course.id, "subsidy_fen": course.subsidy_fen });
            Ok((view, detail.to_string()))
        })
    }

    /// A provider's courses, newest first: its own staff's.
    pub fn provider_training_courses(
        &self,
        actor: &Actor,
        provider: &str,
    ) -> Result<Vec<CourseView>, AppError> {
        self.authorise(actor, Operation::PostCourse)?;
        self.visible_or_hidden(
            provider_in_scope(actor, provider),
            actor,
            Operation::PostCourse,
            ("provider", &provider),
        )?;
        let provider = provider.to_owned();
        self.store.read(move |tx| {
            let mut providers = Providers::default();
            tx.training_courses_of(&provider, TRAINING_LISTED_MAX)?
                .iter()
                .map(|course| providers.course_view(tx, course))
                .collect()
        })
    }

    /// The courses waiting for the bureau's review, oldest first.
    pub fn training_courses_to_review(&self, actor: &Actor) -> Result<Vec<CourseView>, AppError> {
        self.authorise(actor, Operation::ReviewCourse)?;
        self.store.read(|tx| {
            let mut providers = Providers::default();
            tx.training_courses_pending(TRAINING_LISTED_MAX)?
                .iter()
                .map(|course| providers.course_view(tx, course))
                .collect()
        })
    }

    /// The bureau approves a pending course (holders may then enrol) or refuses it with the
    /// reason.
    pub fn review_training_course(
        &self,
        actor: &Actor,
        key: &str,
        course: &str,
        request: CourseReview,
    ) -> Result<CourseView, AppError> {
        self.authorise(actor, Operation::ReviewCourse)?;
        let (approve, note) = decision_with_note(
            &request.decision,
            "approve",
            request.note.as_ref(),
            "why the course is refused",
        )?;
        let (id, label) = (course.to_owned(), actor.label());
        let audit = Audit::on("training.course.review", format!("course:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut course = tx
                .training_course(&id)?
                .or_not_found("training course", &id)?;
            let status = facts(&course)?
                .status
                .review(approve)
                .map_err(employment_error)?;
            course.status = status.as_str().to_owned();
            course.reviewed_by = Some(label.clone());
            course.reviewed_at = Some(now);
            course.review_note = note.clone();
            tx.save_training_course(&course)?;
            course.version += 1;
            let view = Providers::default().course_view(tx, &course)?;
            Ok((
                view,
                serde_json::json!({ "status": course.status }).to_string(),
            ))
        })
    }

    /// The open courses that have not started in their regions, soonest first.
    pub fn open_training_courses(&self, actor: &Actor) -> Result<Vec<CourseView>, AppError> {
        self.authorise(actor, Operation::SearchCourses)?;
        let now = self.now();
        self.store.read(move |tx| {
            // A region's day is at most a day from UTC's: read from the day before, then
            // keep each course not started on its own region's day.
            let from = now.utc_date().add_days(-1);
            let mut days: HashMap<RegionCode, Date> = HashMap::new();
            let mut providers = Providers::default();
            let mut shown = Vec::new();
            for course in tx.training_courses_open(from, TRAINING_LISTED_MAX)? {
                let today = match days.get(&course.region) {
                    Some(day) => *day,
                    None => {
                        let day = App::today_in(tx, &course.region, now)?;
                        days.insert(course.region.clone(), day);
                        day
                    }
                };
                if course.starts_on >= today {
                    shown.push(providers.course_view(tx, &course)?);
                }
            }
            Ok(shown)
        })
    }

    /// A holder enrols in an open course that has not started and has a place left; once a
    /// course while enrolled.
    pub fn enrol_in_training(
        &self,
        actor: &Actor,
        key: &str,
        course: &str,
    ) -> Result<EnrolmentView, AppError> {
        self.authorise(actor, Operation::EnrolInTraining)?;
        let person = holder_person(actor)?;
        let (id, course_id, label) = (new_id("ten"), course.to_owned(), actor.label());
        let audit = Audit::creating("training.enrol", format!("person:{person}"));
        self.change(
            actor,
            key,
            &serde_json::json!({ "course": course }),
            audit,
            move |tx, now| {
                let mut course = tx
                    .training_course(&course_id)?
                    .or_not_found("training course", &course_id)?;
                let facts = facts(&course)?;
                if facts.status != CourseStatus::Open {
                    // A course not open is not shown to holders: answered as unknown.
                    return Err(AppError::NotFound(format!("training course {course_id}")));
                }
                let today = App::today_in(tx, &course.region, now)?;
                let taken = u32::try_from(course.taken).unwrap_or(u32::MAX);
                may_enrol(&facts, taken, today).map_err(training_error)?;
                if tx.training_enrolment_of(&course.id, &person)?.is_some() {
                    return Err(AppError::Conflict(Clash::AlreadyEnrolled));
                }
                course.taken += 1;
                tx.save_training_course(&course)?;
                course.version += 1;
                let record = TrainingEnrolmentRecord {
                    id: id.clone(),
                    course_id: course.id.clone(),
                    person_id: person.clone(),
                    status: EnrolmentStatus::Enrolled.as_str().to_owned(),
                    attended_hours: 0,
                    enrolled_by: label.clone(),
                    enrolled_at: now,
                    completed_on: None,
                    recorded_by: None,
                    recorded_at: None,
                    certificate_code: None,
                    transfer_id: None,
                    paid_by: None,
                    paid_at: None,
                    version: 0,
                };
                tx.insert_training_enrolment(&record)?;
                let view = Providers::default().enrolment_view(tx, &record)?;
                let detail = serde_json::json!({ "enrolment": record.id, "course": course.id });
                Ok((view, detail.to_string()))
            },
        )
    }

    /// A holder withdraws from a course they are enrolled in, until its first day; the place
    /// is free again. (After it, the provider records whether they completed.)
    pub fn withdraw_training_enrolment(
        &self,
        actor: &Actor,
        key: &str,
        enrolment: &str,
    ) -> Result<EnrolmentView, AppError> {
        self.authorise(actor, Operation::EnrolInTraining)?;
        let person = holder_person(actor)?;
        let id = enrolment.to_owned();
        let audit = Audit::on("training.withdraw", format!("training:{id}"));
        self.change(actor, key, &serde_json::json!({}), audit, move |tx, now| {
            let mut record = tx
                .training_enrolment(&id)?
                .or_not_found("training enrolment", &id)?;
            if record.person_id != person {
                return Err(AppError::Hidden(format!("training enrolment {id}")));
            }
            let mut course = tx
                .training_course(&record.course_id)?
                .or_not_found("training course", &record.course_id)?;
            let today = App::today_in(tx, &course.region, now)?;
            let status = withdraw(&facts(&course)?, enrolment_status(&record)?, today)
                .map_err(training_error)?;
            course.taken -= 1;
            tx.save_training_course(&course)?;
            record.status = status.as_str().to_owned();
            tx.save_training_enrolment(&record)?;
            record.version += 1;
            let view = Providers::default().enrolment_view(tx, &record)?;
            Ok((view, serde_json::json!({ "course": course.id }).to_string()))
        })
    }

    /// A person's training, newest first: the holder their own, the bureau and the auditor
    /// anyone's (each read audited as a look-up of the person).
    pub fn training_record(
        &self,
        actor: &Actor,
        person: &str,
    ) -> Result<TrainingRecordView, AppError> {
        self.authorise(actor, Operation::ReadBenefits)?;
        let person = PersonId::new(person);
        let visible = match actor.role {
            Role::BureauClerk | Role::Auditor => true,
            _ => actor.scope.person_id.as_ref() == Some(&person),
        };
        self.visible_or_hidden(visible, actor, Operation::ReadBenefits, ("person", &person))?;
        let (subject, person_id) = (format!("person:{person}"), person.to_string());
        let enrolments =
            self.read_for(actor, Operation::ReadBenefits, &subject, move |tx, _| {
                tx.person(&person)?.or_not_found("person", &person)?;
                let mut providers = Providers::default();
                tx.training_enrolments_of(&person, TRAINING_LISTED_MAX)?
                    .iter()
                    .map(|record| providers.enrolment_view(tx, record))
                    .collect::<Result<Vec<_>, AppError>>()
            })?;
        let detail = serde_json::json!({ "enrolments": enrolments.len() });
        self.audit_look_up(actor, "training.read", subject, &detail)?;
        Ok(TrainingRecordView {
            person_id,
            enrolments,
        })
    }

    /// A course's trainees, masked, for its provider's staff (one audit record a read,
    /// naming the enrolments shown).
    pub fn course_trainees(
        &self,
        actor: &Actor,
        course: &str,
    ) -> Result<Vec<TraineeView>, AppError> {
        self.authorise(actor, Operation::RecordTraining)?;
        let id = course.to_owned();
        let subject = format!("course:{course}");
        let shown = self.read_for(actor, Operation::RecordTraining, &subject, move |tx, r| {
            let course = tx
                .training_course(&id)?
                .or_not_found("training course", &id)?;
            if !provider_in_scope(&r.actor, &course.provider_id) {
                return Err(AppError::Hidden(format!("training course {id}")));
            }
            let mut providers = Providers::default();
            let mut shown = Vec::new();
            // Every place's trainee: withdrawn enrolments hold none and are left out.
            for record in tx.training_enrolments_in(&id, i64::from(COURSE_PLACES_MAX))? {
                let person = tx
                    .person(&record.person_id)?
                    .or_not_found("person", &record.person_id)?;
                let masked = person_view(&r.vault, &person, Shown::Masked, r.now)?;
                shown.push(TraineeView {
                    enrolment: providers.enrolment_view(tx, &record)?.for_provider(),
                    name: masked.name,
                    citizen_id: masked.citizen_id,
                });
            }
            Ok(shown)
        })?;
        let enrolments: Vec<&str> = shown.iter().map(|t| t.enrolment.id.as_str()).collect();
        let detail = serde_json::json!({ "shown": shown.len(), "enrolments": enrolments });
        self.audit_look_up(actor, "training.trainees", subject, &detail)?;
        Ok(shown)
    }

    /// The provider records a day's attendance of a trainee, once a day.
    pub fn record_training_attendance(
        &self,
        actor: &Actor,
        key: &str,
        enrolment: &str,
        request: NewAttendance,
    ) -> Result<EnrolmentView, AppError> {
        self.authorise(actor, Operation::RecordTraining)?;
        let day = parse_date(&request.day, "day")?;
        let (id, label, actor_in, hours) = (
            enrolment.to_owned(),
            actor.label(),
            actor.clone(),
            request.hours,
        );
        let audit = Audit::on("training.attendance", format!("training:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let (mut record, course) = providers_enrolment(tx, &actor_in, &id)?;
            let today = App::today_in(tx, &course.region, now)?;
            let attended = u32::try_from(record.attended_hours).unwrap_or(u32::MAX);
            check_attendance(
                &facts(&course)?,
                enrolment_status(&record)?,
                attended,
                (day, hours),
                today,
            )
            .map_err(training_error)?;
            let recorded = tx
                .training_attendance_of(&id, TRAINING_LISTED_MAX)?
                .iter()
                .any(|d| d.day == day);
            if recorded {
                return Err(AppError::Conflict(Clash::AttendanceRecorded));
            }
            tx.insert_training_attendance(&TrainingAttendanceRecord {
                enrolment_id: id.clone(),
                day,
                hours: i64::from(hours),
                recorded_by: label.clone(),
                recorded_at: now,
            })?;
            record.attended_hours += i64::from(hours);
            tx.save_training_enrolment(&record)?;
            record.version += 1;
            let view = Providers::default()
                .enrolment_view(tx, &record)?
                .for_provider();
            let detail = serde_json::json!({
                "day": day.to_string(), "hours": hours, "attended_hours": record.attended_hours
            });
            Ok((view, detail.to_string()))
        })
    }

    /// The provider records a trainee's completion (which issues the certificate) or that
    /// they did not complete, from the course's last day, once. The certificate is printed
    /// before the change when the completion would stand; the change decides again and
    /// stores it only over the enrolment's version and day it was printed for.
    pub fn record_training_completion(
        &self,
        actor: &Actor,
        key: &str,
        enrolment: &str,
        request: CompletionRecord,
    ) -> Result<EnrolmentView, AppError> {
        self.authorise(actor, Operation::RecordTraining)?;
        let id = enrolment.to_owned();
        let subject = format!("training:{id}");
        let (read_id, actor_in) = (id.clone(), actor.clone());
        let (record, course, provider, today) =
            self.read_for(actor, Operation::RecordTraining, &subject, move |tx, r| {
                let (record, course) = providers_enrolment(tx, &actor_in, &read_id)?;
                let provider = tx
                    .training_provider(&course.provider_id)?
                    .or_not_found("training provider", &course.provider_id)?;
                let today = App::today_in(tx, &course.region, r.now)?;
                Ok((record, course, provider, today))
            })?;
        let attended = |record: &TrainingEnrolmentRecord| {
            u32::try_from(record.attended_hours).unwrap_or(u32::MAX)
        };
        // Nothing is refused here: a refusal, like a replay of this key, is the change's.
        let would_complete = request.passed
            && complete(
                &facts(&course)?,
                enrolment_status(&record)?,
                attended(&record),
                true,
                today,
            ) == Ok(EnrolmentStatus::Completed);
        let certificate = if would_complete {
            let certified = TrainingCertified {
                course: course.title.clone(),
                occupation: course.occupation.clone(),
                provider: provider.name.clone(),
                hours: course.hours,
                attended_hours: record.attended_hours,
                completed_on: today.to_string(),
            };
            Some(self.training_certificate(&record.person_id, &course.region, certified)?)
        } else {
            None
        };
        let (printed, label, actor_in) = ((record.version, today), actor.label(), actor.clone());
        let passed = request.passed;
        let audit = Audit::on("training.completion", subject);
        self.change(actor, key, &request, audit, move |tx, now| {
            let (mut current, course) = providers_enrolment(tx, &actor_in, &id)?;
            let today = App::today_in(tx, &course.region, now)?;
            let status = complete(
                &facts(&course)?,
                enrolment_status(&current)?,
                attended(&current),
                passed,
                today,
            )
            .map_err(training_error)?;
            if status == EnrolmentStatus::Completed {
                match &certificate {
                    Some(certificate) if (current.version, today) == printed => {
                        tx.insert_certificate(certificate)?;
                        current.certificate_code = Some(certificate.code.clone());
                    }
                    _ => {
                        return Err(AppError::Conflict(Clash::Store(
                            "the enrolment changed while its certificate was printed; try again"
                                .into(),
                        )));
                    }
                }
            }
            current.status = status.as_str().to_owned();
            current.completed_on = Some(today);
            current.recorded_by = Some(label.clone());
            current.recorded_at = Some(now);
            tx.save_training_enrolment(&current)?;
            current.version += 1;
            let view = Providers::default()
                .enrolment_view(tx, &current)?
                .for_provider();
            let detail = serde_json::json!({
                "status": current.status, "attended_hours": current.attended_hours,
                "certificate": current.certificate_code,
            });
            Ok((view, detail.to_string()))
        })
    }

    /// The completions whose subsidy is not paid yet, oldest first.
    pub fn training_subsidies_to_pay(&self, actor: &Actor) -> Result<Vec<EnrolmentView>, AppError> {
        self.authorise(actor, Operation::PayTrainingSubsidy)?;
        self.store.read(|tx| {
            let mut providers = Providers::default();
            tx.training_completions_unpaid(TRAINING_LISTED_MAX)?
                .iter()
                .map(|record| providers.enrolment_view(tx, record))
                .collect()
        })
    }

    /// The bureau pays a completion's subsidy, once, from the course region's unemployment
    /// fund: to the trainee's card, or to what the fund owes the provider; never by the
    /// clerk who approved the course.
    pub fn pay_training_subsidy(
        &self,
        actor: &Actor,
        key: &str,
        enrolment: &str,
    ) -> Result<EnrolmentView, AppError> {
        self.authorise(actor, Operation::PayTrainingSubsidy)?;
        let (id, label) = (enrolment.to_owned(), actor.label());
        let audit = Audit::on("training.subsidy", format!("training:{id}"));
        self.change(actor, key, &serde_json::json!({}), audit, move |tx, now| {
            let mut record = tx
                .training_enrolment(&id)?
                .or_not_found("training enrolment", &id)?;
            if record.status != EnrolmentStatus::Completed.as_str() {
                return Err(rule(
                    RefusalCode::WrongState,
                    format!(
                        "only a completion's subsidy is paid; this enrolment is {}",
                        record.status
                    ),
                ));
            }
            if record.transfer_id.is_some() {
                return Err(AppError::Conflict(Clash::SubsidyPaid));
            }
            let course = tx
                .training_course(&record.course_id)?
                .or_not_found("training course", &record.course_id)?;
            // Separation of duties: the clerk who approved the course (and so its subsidy
            // and payee) does not pay it.
            if course.reviewed_by.as_deref() == Some(label.as_str()) {
                return Err(rule(
                    RefusalCode::SameClerk,
                    "the clerk who approved the course may not pay its subsidies",
                ));
            }
            let stripe = stripe_of(record.person_id.as_str());
            let target = match SubsidyPayee::parse(&course.payee) {
                Some(SubsidyPayee::Provider) => {
                    let account = SystemAccount::TrainingProvider {
                        provider: course.provider_id.clone(),
                    }
                    .ledger_id(stripe);
                    tx.ensure_ledger_account(&account, true, now)?;
                    account
                }
                Some(SubsidyPayee::Card) => crediting_account(tx, &record.person_id, now)?,
                None => {
                    return Err(AppError::Internal(format!(
                        "training course {}: payee {}",
                        course.id, course.payee
                    )));
                }
            };
            let fund = SystemAccount::Fund {
                region: course.region.to_string(),
                fund: FUND.as_str().into(),
            }
            .ledger_id(stripe);
            let transfer = Benefit {
                person: &record.person_id,
                kind: "training",
                period: &record.id,
                code: TransferCode::BenefitCredit,
                memo: format!("职业培训补贴 training subsidy {}", course.title),
            }
            .pay(tx, (fund, target), course.subsidy_fen, &label, now)?;
            record.transfer_id = Some(transfer);
            record.paid_by = Some(label.clone());
            record.paid_at = Some(now);
            tx.save_training_enrolment(&record)?;
            record.version += 1;
            let view = Providers::default().enrolment_view(tx, &record)?;
            let detail = serde_json::json!({
                "subsidy_fen": course.subsidy_fen, "payee": course.payee,
                "transfer": view.transfer_id,
            });
            Ok((view, detail.to_string()))
        })
    }
}
