//! Trainees: enrolment and withdrawal, a person's training, a course's trainees, attendance
//! and the completion with its certificate.

use shebao_domain::access::{Operation, Role};
use shebao_domain::employment::training::{
    COURSE_PLACES_MAX, CourseStatus, EnrolmentStatus, check_attendance, complete, may_enrol,
    withdraw,
};
use shebao_domain::ids::PersonId;
use shebao_store::tx::TRAINING_LISTED_MAX;
use shebao_store::{TrainingAttendanceRecord, TrainingEnrolmentRecord};

use super::{
    CompletionRecord, EnrolmentView, NewAttendance, Providers, TraineeView, TrainingRecordView,
    enrolment_status, facts, provider_in_scope, providers_enrolment, training_error,
};
use crate::employment::{holder_person, parse_date};
use crate::error::{Clash, OrNotFound};
use crate::insurance::certificates::TrainingCertified;
use crate::person::{Shown, person_view};
use crate::{Actor, App, AppError, Audit, new_id};

impl App {
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
            // The course is read: every enrolment's view takes it from here.
            let mut providers = Providers::default();
            providers.courses.insert(course.id.clone(), course);
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
}
