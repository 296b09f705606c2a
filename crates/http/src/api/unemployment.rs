//! Unemployment insurance: the region's benefit parameters, leavers' reports, registration
//! and claims, the monthly payout, stops and frauds, referrals to vacancies and to training
//! courses, and a person's unemployment record.

use shebao_app::employment::referrals::{
    NewReferral, NewTrainingReferral, ReferralOutcomeBody, ReferralRecordedView, ReferralView,
    TrainingReferralOutcomeBody, TrainingReferralRecordedView, TrainingReferralView,
    UnemploymentRecordView,
};
use shebao_app::employment::unemployment::{
    FraudFinding, LeaverReportView, NewLeaverReport, ReceivableView, SpellStop, SpellView,
};
use shebao_app::insurance::benefit_parameters::{BenefitParametersBody, NewBenefitParameters};
use shebao_app::insurance::pensions::{PayoutRequest, PayoutView};

use super::kinds::{Json, NoBody, NoQuery};
use super::{Entry, entry, operations};

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(AddBenefitParameters),
    entry(ReportLeaver),
    entry(RegisterUnemployed),
    entry(UnemploymentRecord),
    entry(UnemploymentClaims),
    entry(DecideUnemploymentClaim),
    entry(StopUnemploymentBenefit),
    entry(RecordUnemploymentFraud),
    entry(RunUnemploymentPayout),
    entry(ReferJobSeeker),
    entry(RecordReferralOutcome),
    entry(ReferToTraining),
    entry(RecordTrainingReferralOutcome),
];

operations! {
    tag: "unemployment";

    /// Add a version of a region's benefit parameters (unemployment benefit and its bounds,
    /// the maternity divisor, the national disposable income)
    AddBenefitParameters: post "add_benefit_parameters"
        "/api/v1/regions/{region}/benefit-parameters" .errors(&["conflict"]) {
        Needs(ManageRegions):
            add_benefit_parameters(key, region, body: NewBenefitParameters)
            -> Json<BenefitParametersBody>
    }

    /// Report that an employee left, and how the job ended (within 15 days of the last day)
    ReportLeaver: post "report_leaver" "/api/v1/employers/{employer}/leavers"
        .errors(&["conflict"]) {
        Needs(ReportLeaver):
            report_leaver(key, employer, body: NewLeaverReport) -> Json<LeaverReportView>
    }

    /// Register as unemployed, which claims the benefit (a holder for themselves, the
    /// bureau at its window)
    RegisterUnemployed: post "register_unemployed"
        "/api/v1/persons/{person}/unemployment-registrations"
        .errors(&["conflict", "not_insured", "still_employed"]) {
        Needs(RegisterUnemployed): register_unemployed(key, person) -> Json<SpellView>
    }

    /// A person's unemployment record: leavers' reports, spells and their payments,
    /// referrals, receivables (each read audited)
    UnemploymentRecord: get "unemployment_record" "/api/v1/persons/{person}/unemployment" {
        Needs(ReadBenefits): unemployment_record(person) -> Json<UnemploymentRecordView>
    }

    /// The unemployment claims waiting for a decision, oldest first
    UnemploymentClaims: get "unemployment_claims" "/api/v1/unemployment-claims" {
        access: Needs(DecideBenefits),
        types: (), NoQuery, NoBody => Json<Vec<SpellView>>,
        call: |app, actor, _input| Json(app.unemployment_claims_to_decide(actor)?),
    }

    /// Decide a claim from the contribution record: approved for 12, 18 or 24 months (with
    /// carried months), or refused with the first condition it fails
    DecideUnemploymentClaim: post "decide_unemployment_claim"
        "/api/v1/unemployment-spells/{spell}/decision"
        .errors(&["wrong_state", "same_clerk", "no_parameters"]) {
        Needs(DecideBenefits): decide_unemployment_claim(key, spell) -> Json<SpellView>
    }

    /// Stop a benefit for re-employment, a pension, military service or emigration
    StopUnemploymentBenefit: post "stop_unemployment_benefit"
        "/api/v1/unemployment-spells/{spell}/stop" .errors(&["wrong_state"]) {
        Needs(DecideBenefits):
            stop_unemployment_benefit(key, spell, body: SpellStop) -> Json<SpellView>
    }

    /// Record a fraud: the benefit stops, and the person owes the amount plus a fine of 1
    /// to 3 times it
    RecordUnemploymentFraud: post "record_unemployment_fraud"
        "/api/v1/unemployment-spells/{spell}/fraud" .errors(&["conflict"]) {
        Needs(DecideBenefits):
            record_unemployment_fraud(key, spell, body: FraudFinding) -> Json<ReceivableView>
    }

    /// Pay a month's unemployment benefit in a region to the cards (once per person and
    /// month), with each person's medical contributions from the fund
    RunUnemploymentPayout: post "run_unemployment_payout" "/api/v1/unemployment-payouts"
        .errors(&["month_in_future", "no_parameters", "conflict"]) {
        Needs(RunPayouts): run_unemployment_payout(key, body: PayoutRequest) -> Json<PayoutView>
    }

    /// Refer a person registered as unemployed to a published vacancy
    ReferJobSeeker: post "refer_job_seeker" "/api/v1/unemployment-spells/{spell}/referrals"
        .errors(&["wrong_state", "conflict"]) {
        Needs(ReferJobSeeker):
            refer_job_seeker(key, spell, body: NewReferral) -> Json<ReferralView>
    }

    /// Record what came of a referral: a refusal without good reason counts toward
    /// stopping the benefit, a hire stops it
    RecordReferralOutcome: post "record_referral_outcome"
        "/api/v1/job-referrals/{referral}/outcome" .errors(&["wrong_state", "no_parameters"]) {
        Needs(ReferJobSeeker):
            record_referral_outcome(key, referral, body: ReferralOutcomeBody)
            -> Json<ReferralRecordedView>
    }

    /// Refer the person of an open spell to an open training course not started yet
    ReferToTraining: post "refer_to_training"
        "/api/v1/unemployment-spells/{spell}/training-referrals"
        .errors(&["wrong_state", "conflict", "enrolment_closed"]) {
        Needs(ReferJobSeeker):
            refer_to_training(key, spell, body: NewTrainingReferral) -> Json<TrainingReferralView>
    }

    /// Record what came of a referral to a course: `enrolled` while the person is enrolled, a
    /// refusal only while not; a refusal without good reason counts toward stopping the
    /// benefit
    RecordTrainingReferralOutcome: post "record_training_referral_outcome"
        "/api/v1/training-referrals/{training_referral}/outcome"
        .errors(&["wrong_state", "no_parameters"]) {
        Needs(ReferJobSeeker):
            record_training_referral_outcome(key, training_referral, body: TrainingReferralOutcomeBody)
            -> Json<TrainingReferralRecordedView>
    }
}
