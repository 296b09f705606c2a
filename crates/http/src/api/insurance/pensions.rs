//! Pensions: the award, reading it back, the monthly payout and the yearly interest.

use shebao_app::insurance::pensions::{
    AwardRequest, AwardView, InterestRequest, InterestView, PayoutRequest, PayoutView,
    PensionAwardRecordView,
};
use shebao_domain::access::Operation as Permission;

use crate::api::kinds::{Json, JsonBody, NoBody, NoQuery};
use crate::api::{Access, In, Spec, operation};
use crate::problem::Problem;

operation! {
    /// Award the basic pension.
    AwardPension {
        spec: Spec::post(
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
        ]),
        access: Access::Needs(Permission::AwardPension),
        types: (String,), NoQuery, JsonBody<AwardRequest> => Json<AwardView>,
        call: |app, actor, In { key, path: (person,), body, .. }| {
            Json(app.award_pension(actor, &key, &person, body)?)
        },
    }
}

operation! {
    /// A person's pension in payment.
    GetPensionAward {
        spec: Spec::get(
            "get_pension_award",
            "/api/v1/persons/{person}/pension-award",
            "pensions",
            "A person's pension in payment",
        ),
        access: Access::Needs(Permission::ReadContributions),
        types: (String,), NoQuery, NoBody => Json<PensionAwardRecordView>,
        call: |app, actor, In { path: (person,), .. }| {
            let award = app.pension_award(actor, &person)?;
            Json(award.ok_or_else(|| Problem::new(404, "not_found", "no pension is awarded"))?)
        },
    }
}

operation! {
    /// Pay a month's pensions.
    RunPensionPayout {
        spec: Spec::post(
            "run_pension_payout",
            "/api/v1/pension-payouts",
            "pensions",
            "Pay a month's pensions in a region to the pensioners' cards (once per person and month)",
        )
        .errors(&["month_in_future", "no_parameters", "conflict"]),
        access: Access::Needs(Permission::RunPayouts),
        types: (), NoQuery, JsonBody<PayoutRequest> => Json<PayoutView>,
        call: |app, actor, In { key, body, .. }| Json(app.run_pension_payout(actor, &key, body)?),
    }
}

operation! {
    /// Credit a year's interest.
    CreditPensionInterest {
        spec: Spec::post(
            "credit_pension_interest",
            "/api/v1/pension-interest",
            "pensions",
            "Credit a year's interest to personal pension accounts",
        )
        .errors(&["year_not_over", "no_parameters", "conflict"]),
        access: Access::Needs(Permission::RunPayouts),
        types: (), NoQuery, JsonBody<InterestRequest> => Json<InterestView>,
        call: |app, actor, In { key, body, .. }| {
            Json(app.credit_pension_interest(actor, &key, body)?)
        },
    }
}
