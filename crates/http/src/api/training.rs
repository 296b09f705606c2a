//! Vocational training: providers, their courses and the bureau's review, enrolment,
//! attendance, completion (with its certificate) and the subsidy.

use shebao_app::employment::training::{
    CompletionRecord, CourseReview, CourseView, EnrolmentView, NewAttendance, NewCourse,
    NewTrainingProvider, TraineeView, TrainingProviderView, TrainingRecordView,
};

use super::kinds::{Json, NoBody, NoQuery};
use super::{Entry, entry, operations};

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(RegisterTrainingProvider),
    entry(ListTrainingProviders),
    entry(PostTrainingCourse),
    entry(ProviderTrainingCourses),
    entry(TrainingCoursesToReview),
    entry(ReviewTrainingCourse),
    entry(OpenTrainingCourses),
    entry(EnrolInTraining),
    entry(WithdrawTrainingEnrolment),
    entry(TrainingRecord),
    entry(CourseTrainees),
    entry(RecordTrainingAttendance),
    entry(RecordTrainingCompletion),
    entry(TrainingSubsidiesToPay),
    entry(PayTrainingSubsidy),
];

operations! {
    tag: "training";

    /// Register a vocational-training provider by its unified social credit code
    RegisterTrainingProvider: post "register_training_provider" "/api/v1/training-providers"
        .errors(&[
            "invalid_length", "invalid_character", "check_character_mismatch", "conflict",
        ]) {
        Needs(ManageTrainingProviders):
            register_training_provider(key, body: NewTrainingProvider) -> Json<TrainingProviderView>
    }

    /// The registered training providers, by name
    ListTrainingProviders: get "list_training_providers" "/api/v1/training-providers" {
        access: Needs(ManageTrainingProviders),
        types: (), NoQuery, NoBody => Json<Vec<TrainingProviderView>>,
        call: |app, actor, _input| Json(app.training_providers(actor)?),
    }

    /// Post a course of one's own provider for the bureau's review
    PostTrainingCourse: post "post_training_course"
        "/api/v1/training-providers/{provider}/courses" .errors(&["no_parameters"]) {
        Needs(PostCourse):
            post_training_course(key, provider, body: NewCourse) -> Json<CourseView>
    }

    /// One's own provider's courses, newest first
    ProviderTrainingCourses: get "provider_training_courses"
        "/api/v1/training-providers/{provider}/courses" {
        Needs(PostCourse): provider_training_courses(provider) -> Json<Vec<CourseView>>
    }

    /// The courses waiting for the bureau's review, oldest first
    TrainingCoursesToReview: get "training_courses_to_review" "/api/v1/training-course-reviews" {
        access: Needs(ReviewCourse),
        types: (), NoQuery, NoBody => Json<Vec<CourseView>>,
        call: |app, actor, _input| Json(app.training_courses_to_review(actor)?),
    }

    /// Approve a pending course (open for enrolment) or refuse it with the reason
    ReviewTrainingCourse: post "review_training_course"
        "/api/v1/training-courses/{course}/review" .errors(&["wrong_state"]) {
        Needs(ReviewCourse):
            review_training_course(key, course, body: CourseReview) -> Json<CourseView>
    }

    /// The open courses not started yet, soonest first
    OpenTrainingCourses: get "open_training_courses" "/api/v1/training-courses" {
        access: Needs(SearchCourses),
        types: (), NoQuery, NoBody => Json<Vec<CourseView>>,
        call: |app, actor, _input| Json(app.open_training_courses(actor)?),
    }

    /// Enrol oneself in an open course that has not started and has a place
    EnrolInTraining: post "enrol_in_training" "/api/v1/training-courses/{course}/enrolments"
        .errors(&["conflict", "course_full", "enrolment_closed"]) {
        Needs(EnrolInTraining): enrol_in_training(key, course) -> Json<EnrolmentView>
    }

    /// Withdraw one's own enrolment until the course's first day; the place is free again
    WithdrawTrainingEnrolment: post "withdraw_training_enrolment"
        "/api/v1/training-enrolments/{training_enrolment}/withdraw"
        .errors(&["wrong_state", "enrolment_closed"]) {
        Needs(EnrolInTraining):
            withdraw_training_enrolment(key, training_enrolment) -> Json<EnrolmentView>
    }

    /// A person's training enrolments, newest first (each read audited)
    TrainingRecord: get "training_record" "/api/v1/persons/{person}/training" {
        Needs(ReadBenefits): training_record(person) -> Json<TrainingRecordView>
    }

    /// A course's trainees, masked, for its provider (each read audited)
    CourseTrainees: get "course_trainees" "/api/v1/training-courses/{course}/trainees" {
        Needs(RecordTraining): course_trainees(course) -> Json<Vec<TraineeView>>
    }

    /// Record a day's attendance of a trainee, once a day
    RecordTrainingAttendance: post "record_training_attendance"
        "/api/v1/training-enrolments/{training_enrolment}/attendance"
        .errors(&["conflict", "wrong_state"]) {
        Needs(RecordTraining):
            record_training_attendance(key, training_enrolment, body: NewAttendance) -> Json<EnrolmentView>
    }

    /// Record a trainee's completion (issuing the certificate) or that they did not complete,
    /// from the course's last day
    RecordTrainingCompletion: post "record_training_completion"
        "/api/v1/training-enrolments/{training_enrolment}/completion"
        .errors(&["wrong_state", "course_not_over", "attendance_short", "conflict"]) {
        Needs(RecordTraining):
            record_training_completion(key, training_enrolment, body: CompletionRecord) -> Json<EnrolmentView>
    }

    /// The completions whose subsidy is not paid yet, oldest first
    TrainingSubsidiesToPay: get "training_subsidies_to_pay" "/api/v1/training-subsidies" {
        access: Needs(PayTrainingSubsidy),
        types: (), NoQuery, NoBody => Json<Vec<EnrolmentView>>,
        call: |app, actor, _input| Json(app.training_subsidies_to_pay(actor)?),
    }

    /// Pay a completion's subsidy once, from the unemployment fund to the card or the
    /// provider; never by the clerk who approved the course
    PayTrainingSubsidy: post "pay_training_subsidy"
        "/api/v1/training-enrolments/{training_enrolment}/subsidy"
        .errors(&[
            "conflict", "wrong_state", "same_clerk", "no_card", "account_closed",
            "credits_refused_while_deposit_only",
        ]) {
        Needs(PayTrainingSubsidy): pay_training_subsidy(key, training_enrolment) -> Json<EnrolmentView>
    }
}
