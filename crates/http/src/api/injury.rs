//! Work injury: applications for recognition and their decision, the appraisal committee's
//! expert pool, panels and conclusions, the settlement of the disability benefits and of a
//! work death, the monthly payout of the fund's benefits, and a person's and an employer's
//! cases.

use shebao_app::insurance::injury::{
    AppraisalConclusion, DrawRequest, ExpertView, InjuryCaseView, InjuryDecision, InjuryRecordView,
    NewDeath, NewExpert, NewInjuryCase,
};
use shebao_app::insurance::pensions::{PayoutRequest, PayoutView};

use super::kinds::{Json, NoBody, NoQuery};
use super::{Entry, entry, operations};

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(ApplyInjuryRecognition),
    entry(InjuryRecord),
    entry(EmployerInjuryCases),
    entry(InjuryCasesToDecide),
    entry(DecideInjuryCase),
    entry(AddInjuryExpert),
    entry(InjuryExperts),
    entry(InjuryCasesToAppraise),
    entry(DrawInjuryPanel),
    entry(ConcludeInjuryAppraisal),
    entry(SettleInjuryBenefits),
    entry(SettleInjuryDeath),
    entry(RunInjuryPayout),
];

operations! {
    tag: "injury";

    /// Apply for the recognition of a work injury (the employer within 30 days, the worker
    /// within a year, the bureau at its window for either or for the family)
    ApplyInjuryRecognition: post "apply_injury_recognition"
        "/api/v1/persons/{person}/injury-cases"
        .errors(&["conflict", "not_insured", "deadline_passed"]) {
        Needs(ApplyInjury):
            apply_injury_recognition(key, person, body: NewInjuryCase) -> Json<InjuryCaseView>
    }

    /// A person's work-injury cases with their appraisals and settlements, newest first
    /// (each read audited)
    InjuryRecord: get "injury_record" "/api/v1/persons/{person}/injury-cases" {
        Needs(ReadBenefits): injury_record(person) -> Json<InjuryRecordView>
    }

    /// An employer's work-injury cases and what it owes, newest first (each read audited)
    EmployerInjuryCases: get "employer_injury_cases" "/api/v1/employers/{employer}/injury-cases" {
        Needs(ApplyInjury): employer_injury_cases(employer) -> Json<Vec<InjuryCaseView>>
    }

    /// The applications waiting for a decision, oldest first, each with its due day
    InjuryCasesToDecide: get "injury_cases_to_decide" "/api/v1/injury-cases" {
        access: Needs(DecideBenefits),
        types: (), NoQuery, NoBody => Json<Vec<InjuryCaseView>>,
        call: |app, actor, _input| Json(app.injury_cases_to_decide(actor)?),
    }

    /// Recognise a work injury, or refuse it with the reason
    DecideInjuryCase: post "decide_injury_case" "/api/v1/injury-cases/{case}/decision"
        .errors(&["wrong_state", "same_clerk"]) {
        Needs(DecideBenefits):
            decide_injury_case(key, case, body: InjuryDecision) -> Json<InjuryCaseView>
    }

    /// Add an expert to a region's appraisal pool (by the committee's code; no name kept)
    AddInjuryExpert: post "add_injury_expert" "/api/v1/regions/{region}/injury-experts"
        .errors(&["conflict", "wrong_state"]) {
        Needs(ManageExperts): add_injury_expert(key, region, body: NewExpert) -> Json<ExpertView>
    }

    /// A region's appraisal pool, by code
    InjuryExperts: get "injury_experts" "/api/v1/regions/{region}/injury-experts" {
        Needs(ManageExperts): injury_experts(region) -> Json<Vec<ExpertView>>
    }

    /// The recognised cases before the appraisal committee, oldest first
    InjuryCasesToAppraise: get "injury_cases_to_appraise" "/api/v1/injury-appraisal-queue" {
        access: Needs(AppraiseInjury),
        types: (), NoQuery, NoBody => Json<Vec<InjuryCaseView>>,
        call: |app, actor, _input| Json(app.injury_cases_to_appraise(actor)?),
    }

    /// Draw a panel of 3 or 5 experts for a first appraisal, a re-appraisal (within 15 days
    /// of a first conclusion) or a review (a year after the last), by a recorded seed
    DrawInjuryPanel: post "draw_injury_panel" "/api/v1/injury-cases/{case}/appraisals"
        .errors(&[
            "conflict", "wrong_state", "deadline_passed", "too_early", "expert_pool_too_small",
        ]) {
        Needs(AppraiseInjury):
            draw_injury_panel(key, case, body: DrawRequest) -> Json<InjuryCaseView>
    }

    /// Record a panel's conclusion: a disability grade 1-10 or none, and the care needed
    ConcludeInjuryAppraisal: post "conclude_injury_appraisal"
        "/api/v1/injury-appraisals/{appraisal}/conclusion" .errors(&["wrong_state"]) {
        Needs(AppraiseInjury):
            conclude_injury_appraisal(key, appraisal, body: AppraisalConclusion)
            -> Json<InjuryCaseView>
    }

    /// Settle a case's disability benefits on the conclusion in force: the one-time subsidy
    /// paid to the card from the work-injury fund, the monthly allowance and its payer
    SettleInjuryBenefits: post "settle_injury_benefits" "/api/v1/injury-cases/{case}/settlement"
        .errors(&[
            "conflict", "wrong_state", "same_clerk", "no_card", "no_contribution_record",
            "no_parameters", "account_closed", "credits_refused_while_deposit_only",
        ]) {
        Needs(DecideBenefits): settle_injury_benefits(key, case) -> Json<InjuryCaseView>
    }

    /// Settle a work death: the funeral grant and the one-time work-death benefit paid to a
    /// family member's card, a monthly pension for each dependant; the worker's allowances end
    SettleInjuryDeath: post "settle_injury_death" "/api/v1/injury-cases/{case}/death"
        .errors(&[
            "conflict", "wrong_state", "same_clerk", "no_card", "no_contribution_record",
            "no_parameters", "account_closed", "credits_refused_while_deposit_only",
        ]) {
        Needs(DecideBenefits):
            settle_injury_death(key, case, body: NewDeath) -> Json<InjuryCaseView>
    }

    /// Pay a month's work-injury benefits in a region (disability and care allowances,
    /// dependants' pensions) from the work-injury fund, once each
    RunInjuryPayout: post "run_injury_payout" "/api/v1/injury-payouts"
        .errors(&["month_in_future"]) {
        Needs(RunPayouts): run_injury_payout(key, body: PayoutRequest) -> Json<PayoutView>
    }
}
