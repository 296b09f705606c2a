//! Vocational training (issue 17, item 3). The bureau registers providers; a provider's staff
//! post courses (an occupation, hours, places, a subsidy per completion within the region's
//! cap, paid to the trainee's card or to the provider), which the bureau reviews before
//! holders may enrol (and withdraw) until the course's first day, while a place is left;
//! the provider records each day's attendance and, from the course's last day, the
//! completion — which needs the share of the hours the region set when the course was
//! posted and issues a certificate verifiable like the contribution certificate; another
//! clerk than the course's approver pays the subsidy of each completion once, from the
//! region's unemployment fund through `Benefit::pay`. Here: the requests, views and shared
//! checks; `courses` (providers and courses), `trainees` (enrolment to completion),
//! `subsidy` (the payment).

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Role;
use shebao_domain::employment::OCCUPATION_PATTERN;
use shebao_domain::employment::training::{
    CourseFacts, CourseStatus, EnrolmentStatus, TrainingParameters, TrainingRefusal, required_hours,
};
use shebao_domain::ids::RegionCode;
use shebao_domain::insurance::Insurance;
use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use shebao_domain::time::{DATE_PATTERN, Date};
use shebao_store::{TrainingCourseRecord, TrainingEnrolmentRecord, TrainingProviderRecord, Tx};

use super::employment_error;
use crate::error::{OrNotFound, RefusalCode, rule};
use crate::insurance::benefit_parameters::benefit_parameters;
use crate::{Actor, AppError};

mod courses;
mod subsidy;
mod trainees;

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

/// Providers' names and enrolments' courses, each read once for a list.
#[derive(Default)]
struct Providers {
    names: HashMap<String, String>,
    courses: HashMap<String, TrainingCourseRecord>,
}

impl Providers {
    fn name(&mut self, tx: &mut Tx<'_>, id: &str) -> Result<String, AppError> {
        if let Some(name) = self.names.get(id) {
            return Ok(name.clone());
        }
        let name = tx
            .training_provider(id)?
            .map(|p| p.name)
            .unwrap_or_else(|| id.to_owned());
        self.names.insert(id.to_owned(), name.clone());
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
        let course = match self.courses.get(&record.course_id) {
            Some(course) => course.clone(),
            None => {
                let course = tx
                    .training_course(&record.course_id)?
                    .or_not_found("training course", &record.course_id)?;
                self.courses.insert(course.id.clone(), course.clone());
                course
            }
        };
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
