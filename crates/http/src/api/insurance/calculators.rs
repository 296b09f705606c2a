//! Calculators for staff: retirement month, pension and contributions.

use shebao_app::insurance::calc::{
    ContributionAnswer, ContributionQuestion, PensionAnswer, PensionQuestion, RetirementAnswer,
    RetirementQuestion,
};
use shebao_domain::access::Operation as Permission;

use super::operation;
use crate::api::kinds::{JsonBody, NoQuery};
use crate::api::{Access, Spec};

operation! {
    /// Statutory retirement month.
    CalcRetirement: Spec::post(
        "calc_retirement",
        "/api/v1/calc/retirement",
        "calculators",
        "Statutory retirement month (2025 reform) and minimum contribution months",
    )
    .not_changing(), Access::Needs(Permission::Calculate);
    path (), query NoQuery, body JsonBody<RetirementQuestion> => Json<RetirementAnswer>;
    signed |app, actor, input| app.calculate_retirement(&actor, input.body)
}

operation! {
    /// Monthly pension.
    CalcPension: Spec::post(
        "calc_pension",
        "/api/v1/calc/pension",
        "calculators",
        "Monthly basic and personal-account pension",
    )
    .not_changing(), Access::Needs(Permission::Calculate);
    path (), query NoQuery, body JsonBody<PensionQuestion> => Json<PensionAnswer>;
    signed |app, actor, input| app.calculate_pension(&actor, input.body)
}

operation! {
    /// Contributions per insurance.
    CalcContribution: Spec::post(
        "calc_contribution",
        "/api/v1/calc/contribution",
        "calculators",
        "Contributions per insurance at the demo region's rates",
    )
    .not_changing(), Access::Needs(Permission::Calculate);
    path (), query NoQuery, body JsonBody<ContributionQuestion> => Json<ContributionAnswer>;
    signed |app, actor, input| app.calculate_contribution(&actor, input.body)
}
