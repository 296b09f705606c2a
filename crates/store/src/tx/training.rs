//! Vocational training: providers, their courses, enrolments and each day's attendance, and
//! the bureau's referrals of unemployed persons to courses.

use shebao_domain::ids::PersonId;
use shebao_domain::time::{Date, Timestamp};

use crate::StoreError;
use crate::codec::table;
use crate::records::{
    TrainingAttendanceRecord, TrainingCourseRecord, TrainingEnrolmentRecord,
    TrainingProviderRecord, TrainingReferralRecord,
};
use crate::tx::{Tx, accessors};

table! {
    /// The columns of a training provider.
    mod training_providers: TrainingProviderRecord {
        id, region = region_code, credit_code, name, registered_by, registered_at,
    }
}

table! {
    /// The columns of a course.
    mod training_courses: TrainingCourseRecord {
        id, provider_id, region = region_code, title, occupation, hours, places, subsidy_fen,
        payee, attendance_percent, starts_on, ends_on, status, taken, posted_by, posted_at, reviewed_by,
        reviewed_at, review_note, version,
    }
}

table! {
    /// The columns of an enrolment.
    mod training_enrolments: TrainingEnrolmentRecord {
        id, course_id, person_id, status, attended_hours, enrolled_by, enrolled_at,
        completed_on, recorded_by, recorded_at, certificate_code, transfer_id, paid_by,
        paid_at, version,
    }
}

table! {
    /// The columns of a referral to a course.
    mod training_referrals: TrainingReferralRecord {
        id, spell_id, person_id, course_id, note, referred_by, referred_at, outcome,
        outcome_note, recorded_by, recorded_at, version,
    }
}

table! {
    /// The columns of a day's attendance.
    mod training_attendance: TrainingAttendanceRecord {
        enrolment_id, day, hours, recorded_by, recorded_at,
    }
}

/// The most providers, courses, enrolments or days one list answers.
pub const TRAINING_LISTED_MAX: i64 = 500;

impl Tx<'_> {
    accessors! {
        /// Registers a provider; a second with the same credit code conflicts.
        pub fn insert_training_provider(provider: &TrainingProviderRecord) = insert_row;
        /// A provider by id.
        pub fn training_provider(id: &str) -> Option<TrainingProviderRecord> = "WHERE id = $1";
        /// A provider by its unified social credit code.
        pub fn training_provider_by_code(code: &str) -> Option<TrainingProviderRecord>
            = "WHERE credit_code = $1";
        /// The providers by name, at most `limit`.
        pub fn training_providers(limit: i64) -> Vec<TrainingProviderRecord>
            = "ORDER BY name, id LIMIT $1";
        /// A course by id.
        pub fn training_course(id: &str) -> Option<TrainingCourseRecord> = "WHERE id = $1";
        /// A provider's courses, newest first.
        pub fn training_courses_of(provider: &str, limit: i64) -> Vec<TrainingCourseRecord>
            = "WHERE provider_id = $1 ORDER BY posted_at DESC, id DESC LIMIT $2";
        /// The courses waiting for review, oldest first.
        pub fn training_courses_pending(limit: i64) -> Vec<TrainingCourseRecord>
            = "WHERE status = 'pending' ORDER BY posted_at, id LIMIT $1";
        /// The open courses starting on `from` or later, soonest first.
        pub fn training_courses_open(from: Date, limit: i64) -> Vec<TrainingCourseRecord>
            = "WHERE status = 'open' AND starts_on >= $1 ORDER BY starts_on, id LIMIT $2";
        /// An enrolment by id.
        pub fn training_enrolment(id: &str) -> Option<TrainingEnrolmentRecord>
            = "WHERE id = $1";
        /// A person's enrolments, newest first.
        pub fn training_enrolments_of(person: &PersonId, limit: i64)
            -> Vec<TrainingEnrolmentRecord>
            = "WHERE person_id = $1 ORDER BY enrolled_at DESC, id DESC LIMIT $2";
        /// A course's enrolments that are not withdrawn, in the order they came.
        pub fn training_enrolments_in(course: &str, limit: i64) -> Vec<TrainingEnrolmentRecord>
            = "WHERE course_id = $1 AND status <> 'withdrawn' ORDER BY enrolled_at, id LIMIT $2";
        /// A person's enrolment in a course that is not withdrawn, if any.
        pub fn training_enrolment_of(course: &str, person: &PersonId)
            -> Option<TrainingEnrolmentRecord>
            = "WHERE course_id = $1 AND person_id = $2 AND status <> 'withdrawn'";
        /// The completions whose subsidy is not paid yet, oldest first.
        pub fn training_completions_unpaid(limit: i64) -> Vec<TrainingEnrolmentRecord>
            = "WHERE status = 'completed' AND transfer_id IS NULL ORDER BY recorded_at, id LIMIT $1";
        /// Records a day's attendance; a second for the same day conflicts.
        pub fn insert_training_attendance(day: &TrainingAttendanceRecord) = insert_row;
        /// A referral to a course by its id.
        pub fn training_referral(id: &str) -> Option<TrainingReferralRecord> = "WHERE id = $1";
        /// The referral of a spell to a course, if made.
        pub fn training_referral_of(spell: &str, course: &str) -> Option<TrainingReferralRecord>
            = "WHERE spell_id = $1 AND course_id = $2";
        /// A person's referrals to courses, newest first.
        pub fn training_referrals_of(person: &PersonId, limit: i64)
            -> Vec<TrainingReferralRecord>
            = "WHERE person_id = $1 ORDER BY referred_at DESC, id DESC LIMIT $2";
        /// An enrolment's days, in order.
        pub fn training_attendance_of(enrolment: &str, limit: i64)
            -> Vec<TrainingAttendanceRecord>
            = "WHERE enrolment_id = $1 ORDER BY day LIMIT $2";
    }

    /// Records a new course (at version 0).
    pub fn insert_training_course(
        &mut self,
        course: &TrainingCourseRecord,
    ) -> Result<(), StoreError> {
        self.insert_new_version(course)
    }

    /// Saves a course's review and places taken over the version read.
    pub fn save_training_course(
        &mut self,
        course: &TrainingCourseRecord,
    ) -> Result<(), StoreError> {
        self.update_versioned(
            "training course",
            "UPDATE training_courses SET status = $1, taken = $2, reviewed_by = $3, \
             reviewed_at = $4, review_note = $5, version = version + 1 \
             WHERE id = $6 AND version = $7",
            vec![
                course.status.as_str().into(),
                course.taken.into(),
                course.reviewed_by.clone().into(),
                course.reviewed_at.map(Timestamp::unix_seconds).into(),
                course.review_note.clone().into(),
                course.id.as_str().into(),
            ],
            course.version,
        )
    }

    /// Records a new enrolment (at version 0); a second of a person in a course, while the
    /// first is not withdrawn, conflicts.
    pub fn insert_training_enrolment(
        &mut self,
        enrolment: &TrainingEnrolmentRecord,
    ) -> Result<(), StoreError> {
        self.insert_new_version(enrolment)
    }

    /// Records a new referral to a course (at version 0); a second of a spell to the same
    /// course conflicts.
    pub fn insert_training_referral(
        &mut self,
        referral: &TrainingReferralRecord,
    ) -> Result<(), StoreError> {
        self.insert_new_version(referral)
    }

    /// Saves a referral's outcome over the version read.
    pub fn save_training_referral(
        &mut self,
        referral: &TrainingReferralRecord,
    ) -> Result<(), StoreError> {
        self.update_versioned(
            "training referral",
            "UPDATE training_referrals SET outcome = $1, outcome_note = $2, recorded_by = $3, \
             recorded_at = $4, version = version + 1 WHERE id = $5 AND version = $6",
            vec![
                referral.outcome.clone().into(),
                referral.outcome_note.clone().into(),
                referral.recorded_by.clone().into(),
                referral.recorded_at.map(Timestamp::unix_seconds).into(),
                referral.id.as_str().into(),
            ],
            referral.version,
        )
    }

    /// Saves an enrolment's status, hours, completion and payment over the version read.
    pub fn save_training_enrolment(
        &mut self,
        enrolment: &TrainingEnrolmentRecord,
    ) -> Result<(), StoreError> {
        self.update_versioned(
            "training enrolment",
            "UPDATE training_enrolments SET status = $1, attended_hours = $2, \
             completed_on = $3, recorded_by = $4, recorded_at = $5, certificate_code = $6, \
             transfer_id = $7, paid_by = $8, paid_at = $9, version = version + 1 \
             WHERE id = $10 AND version = $11",
            vec![
                enrolment.status.as_str().into(),
                enrolment.attended_hours.into(),
                enrolment.completed_on.map(|d| d.to_string()).into(),
                enrolment.recorded_by.clone().into(),
                enrolment.recorded_at.map(Timestamp::unix_seconds).into(),
                enrolment.certificate_code.clone().into(),
                enrolment
                    .transfer_id
                    .as_ref()
                    .map(|t| t.as_str().to_owned())
                    .into(),
                enrolment.paid_by.clone().into(),
                enrolment.paid_at.map(Timestamp::unix_seconds).into(),
                enrolment.id.as_str().into(),
            ],
            enrolment.version,
        )
    }
}
