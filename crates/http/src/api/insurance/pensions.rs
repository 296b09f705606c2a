//! Pensions: the award, reading it back, the monthly payout and the yearly interest.

use shebao_app::insurance::pensions::{
    AwardRequest, AwardView, InterestRequest, InterestView, PayoutRequest, PayoutView,
    PensionAwardRecordView,
};
use shebao_domain::access::Operation as Permission;

use super::operation;
use crate::api::kinds::{Json, JsonBody, NoBody, NoQuery};
use crate::api::{Access, Spec};
use crate::problem::Problem;

operation! {
    /// Award the basic pension.
    AwardPension: Spec::post(
        "award_pension",
        "/api/v1/persons/{person}/pension-award",
        "pensions",
        "Award the basic pension at the statutory retirement month",
    )
    .errors(&[
        "not_retirement_age",
        "contribution_period_too_short",
        "no_parameters",
        "pension_not_computable",
        "conflict",
    ]), Access::Needs(Permission::AwardPension);
    path (String,), query NoQuery, body JsonBody<AwardRequest> => Json<AwardView>;
    signed |app, actor, input| app.award_pension(&actor, &input.key, &input.path.0, input.body)
}

operation! {
    /// A person's pension in payment.
    GetPensionAward: Spec::get(
        "get_pension_award",
        "/api/v1/persons/{person}/pension-award",
        "pensions",
        "A person's pension in payment",
    ), Access::Needs(Permission::ReadContributions);
    path (String,), query NoQuery, body NoBody => Json<PensionAwardRecordView>;
    |shared, input| {
        shared
            .app
            .pension_award(input.actor()?, &input.path.0)?
            .map(Json)
            .ok_or_else(|| Problem::new(404, "not_found", "no pension is awarded"))
    }
}

operation! {
    /// Pay a month's pensions.
    RunPensionPayout: Spec::post(
        "run_pension_payout",
        "/api/v1/pension-payouts",
        "pensions",
        "Pay a month's pensions in a region to the pensioners' cards (once per person and month)",
    )
    .errors(&["month_in_future", "no_parameters", "conflict"]),
    Access::Needs(Permission::RunPayouts);
    path (), query NoQuery, body JsonBody<PayoutRequest> => Json<PayoutView>;
    signed |app, actor, input| app.run_pension_payout(&actor, &input.key, input.body)
}

operation! {
    /// Credit a year's interest.
    CreditPensionInterest: Spec::post(
        "credit_pension_interest",
        "/api/v1/pension-interest",
        "pensions",
        "Credit a year's interest to personal pension accounts",
    )
    .errors(&["year_not_over", "no_parameters", "conflict"]),
    Access::Needs(Permission::RunPayouts);
    path (), query NoQuery, body JsonBody<InterestRequest> => Json<InterestView>;
    signed |app, actor, input| app.credit_pension_interest(&actor, &input.key, input.body)
}
