//! Employment services: the job board (vacancies, their review, the search) and job seeking
//! (applications, outcomes, profiles).

use shebao_app::employment::seeking::{
    ApplicantAction, ApplicantView, ApplicationOutcome, ApplicationView, JobProfileBody,
    JobProfileView, NewApplication,
};
use shebao_app::employment::{NewVacancy, VacancyQuery, VacancyReview, VacancyView};

use super::kinds::{Json, NoBody, NoQuery, Query};
use super::{Entry, In, entry, operations};

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(PostVacancy),
    entry(EmployerVacancies),
    entry(CloseVacancy),
    entry(VacanciesToReview),
    entry(ReviewVacancy),
    entry(SearchVacancies),
    entry(GetVacancy),
    entry(ApplyForJob),
    entry(WithdrawJobApplication),
    entry(ShareJobApplication),
    entry(MyJobApplications),
    entry(ListApplicants),
    entry(RecordApplicationOutcome),
    entry(KeepJobProfile),
    entry(GetJobProfile),
];

operations! {
    tag: "employment";

    /// Post a vacancy; it shows once the bureau approves it
    PostVacancy: post "post_vacancy" "/api/v1/employers/{employer}/vacancies" {
        Needs(PostVacancy): post_vacancy(key, employer, body: NewVacancy) -> Json<VacancyView>
    }

    /// An employer's vacancies, newest first, whatever their status
    EmployerVacancies: get "employer_vacancies" "/api/v1/employers/{employer}/vacancies" {
        Needs(PostVacancy): employer_vacancies(employer) -> Json<Vec<VacancyView>>
    }

    /// Close one's own vacancy: no more applications
    CloseVacancy: post "close_vacancy" "/api/v1/vacancies/{vacancy}/close"
        .errors(&["wrong_state"]) {
        Needs(PostVacancy): close_vacancy(key, vacancy) -> Json<VacancyView>
    }

    /// The vacancies waiting for the bureau's review, oldest first
    VacanciesToReview: get "vacancies_to_review" "/api/v1/vacancy-reviews" {
        access: Needs(ReviewVacancy),
        types: (), NoQuery, NoBody => Json<Vec<VacancyView>>,
        call: |app, actor, _input| Json(app.vacancies_to_review(actor)?),
    }

    /// Approve, reject or close a vacancy
    ReviewVacancy: post "review_vacancy" "/api/v1/vacancies/{vacancy}/review"
        .errors(&["wrong_state"]) {
        Needs(ReviewVacancy): review_vacancy(key, vacancy, body: VacancyReview) -> Json<VacancyView>
    }

    /// Search the published vacancies still open, newest first
    SearchVacancies: get "search_vacancies" "/api/v1/vacancies" {
        access: Needs(SearchJobs),
        types: (), Query<VacancyQuery>, NoBody => Json<Vec<VacancyView>>,
        call: |app, actor, In { query: Query(query), .. }| {
            Json(app.search_vacancies(actor, &query)?)
        },
    }

    /// A vacancy
    GetVacancy: get "get_vacancy" "/api/v1/vacancies/{vacancy}" {
        Needs(SearchJobs): vacancy(vacancy) -> Json<VacancyView>
    }

    /// Apply to a published vacancy, optionally showing the employer who one is
    ApplyForJob: post "apply_for_job" "/api/v1/vacancies/{vacancy}/applications"
        .errors(&["wrong_state", "conflict", "too_many_applications", "vacancy_applications_full"]) {
        Needs(SeekJobs): apply_for_job(key, vacancy, body: NewApplication) -> Json<ApplicationView>
    }

    /// Withdraw one's own open application
    WithdrawJobApplication: post "withdraw_job_application"
        "/api/v1/job-applications/{application}/withdraw" .errors(&["wrong_state"]) {
        access: Needs(SeekJobs),
        types: (String,), NoQuery, NoBody => Json<ApplicationView>,
        call: |app, actor, In { path: (application,), key, .. }| {
            Json(app.change_application(actor, &key, &application, ApplicantAction::Withdraw)?)
        },
    }

    /// Show the employer who one is (name and telephone) on one's own application
    ShareJobApplication: post "share_job_application"
        "/api/v1/job-applications/{application}/share" {
        access: Needs(SeekJobs),
        types: (String,), NoQuery, NoBody => Json<ApplicationView>,
        call: |app, actor, In { path: (application,), key, .. }| {
            Json(app.change_application(actor, &key, &application, ApplicantAction::Share)?)
        },
    }

    /// One's own job applications, newest first
    MyJobApplications: get "my_job_applications" "/api/v1/persons/{person}/job-applications" {
        Needs(SeekJobs): my_applications(person) -> Json<Vec<ApplicationView>>
    }

    /// A vacancy's applicants, masked until each agrees to share (each read audited)
    ListApplicants: get "list_applicants" "/api/v1/vacancies/{vacancy}/applications" {
        Needs(ReadApplicants): applicants(vacancy) -> Json<Vec<ApplicantView>>
    }

    /// Record an applicant's interview, hire or refusal
    RecordApplicationOutcome: post "record_application_outcome"
        "/api/v1/job-applications/{application}/outcome" .errors(&["wrong_state"]) {
        Needs(RecordHiringOutcome):
            record_application_outcome(key, application, body: ApplicationOutcome)
            -> Json<ApplicantView>
    }

    /// Keep one's job-seeker profile (skills, wanted occupation and place, availability)
    KeepJobProfile: post "keep_job_profile" "/api/v1/persons/{person}/job-profile" {
        Needs(SeekJobs): keep_job_profile(key, person, body: JobProfileBody) -> Json<JobProfileView>
    }

    /// One's job-seeker profile
    GetJobProfile: get "get_job_profile" "/api/v1/persons/{person}/job-profile" {
        Needs(SeekJobs): job_profile(person) -> Json<JobProfileView>
    }
}
