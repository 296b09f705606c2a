//! Pensions: the award, reading it back, the monthly payout and the yearly interest.

use shebao_app::insurance::pensions::{
    AwardRequest, AwardView, InterestRequest, InterestView, PayoutRequest, PayoutView,
    PensionAwardRecordView,
};

use crate::api::kinds::{Json, NoBody, NoQuery};
use crate::api::{In, operations};
use crate::problem::Problem;

operations! {
    tag: "pensions";

    /// Award the basic pension at the statutory retirement month
    AwardPension: post "award_pension" "/api/v1/persons/{person}/pension-award"
        .errors(&[
            "not_retirement_age",
            "contribution_period_too_short",
            "no_parameters",
            "pension_not_computable",
            "conflict",
        ]) {
        Needs(AwardPension): award_pension(key, person, body: AwardRequest) -> Json<AwardView>
    }

    /// A person's pension in payment
    GetPensionAward: get "get_pension_award" "/api/v1/persons/{person}/pension-award" {
        access: Needs(ReadContributions),
        types: (String,), NoQuery, NoBody => Json<PensionAwardRecordView>,
        call: |app, actor, In { path: (person,), .. }| {
            let award = app.pension_award(actor, &person)?;
            Json(award.ok_or_else(|| Problem::new(404, "not_found", "no pension is awarded"))?)
        },
    }

    /// Pay a month's pensions in a region to the pensioners' cards (once per person and month)
    RunPensionPayout: post "run_pension_payout" "/api/v1/pension-payouts"
        .errors(&["month_in_future", "no_parameters", "conflict"]) {
        Needs(RunPayouts): run_pension_payout(key, body: PayoutRequest) -> Json<PayoutView>
    }

    /// Credit a year's interest to personal pension accounts
    CreditPensionInterest: post "credit_pension_interest" "/api/v1/pension-interest"
        .errors(&["year_not_over", "no_parameters", "conflict"]) {
        Needs(RunPayouts): credit_pension_interest(key, body: InterestRequest) -> Json<InterestView>
    }
}
