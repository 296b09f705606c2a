//! Providers and their courses: registration, posting, the bureau's review, the open courses.

use std::collections::HashMap;

use shebao_domain::access::Operation;
use shebao_domain::employment::training::{CourseDraft, CourseStatus, provider_name};
use shebao_domain::ids::RegionCode;
use shebao_domain::person::identity::SocialCreditCode;
use shebao_domain::time::Date;
use shebao_store::tx::TRAINING_LISTED_MAX;
use shebao_store::{TrainingCourseRecord, TrainingProviderRecord};

use super::{
    CourseReview, CourseView, NewCourse, NewTrainingProvider, Providers, TrainingProviderView,
    facts, provider_in_scope, provider_view, training_parameters,
};
use crate::employment::unemployment::decision_with_note;
use crate::employment::{employment_error, parse_date};
use crate::error::{Clash, OrNotFound};
use crate::{Actor, App, AppError, Audit, new_id};

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
}
