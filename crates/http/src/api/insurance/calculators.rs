//! Calculators for staff: retirement month, pension and contributions.

use shebao_app::insurance::calc::{
    ContributionAnswer, ContributionQuestion, PensionAnswer, PensionQuestion, RetirementAnswer,
    RetirementQuestion,
};
use shebao_domain::access::Operation as Permission;

use crate::api::kinds::{Json, JsonBody, NoQuery};
use crate::api::{Access, In, Spec, operation};

operation! {
    /// Statutory retirement month.
    CalcRetirement {
        spec: Spec::post(
            "calc_retirement",
            "/api/v1/calc/retirement",
            "calculators",
            "Statutory retirement month (2025 reform) and minimum contribution months",
        )
        .not_changing(),
        access: Access::Needs(Permission::Calculate),
        types: (), NoQuery, JsonBody<RetirementQuestion> => Json<RetirementAnswer>,
        call: |app, actor, In { body, .. }| Json(app.calculate_retirement(actor, body)?),
    }
}

operation! {
    /// Monthly pension.
    CalcPension {
        spec: Spec::post(
            "calc_pension",
            "/api/v1/calc/pension",
            "calculators",
            "Monthly basic and personal-account pension",
        )
        .not_changing(),
        access: Access::Needs(Permission::Calculate),
        types: (), NoQuery, JsonBody<PensionQuestion> => Json<PensionAnswer>,
        call: |app, actor, In { body, .. }| Json(app.calculate_pension(actor, body)?),
    }
}

operation! {
    /// Contributions per insurance.
    CalcContribution {
        spec: Spec::post(
            "calc_contribution",
            "/api/v1/calc/contribution",
            "calculators",
            "Contributions per insurance at the demo region's rates",
        )
        .not_changing(),
        access: Access::Needs(Permission::Calculate),
        types: (), NoQuery, JsonBody<ContributionQuestion> => Json<ContributionAnswer>,
        call: |app, actor, In { body, .. }| Json(app.calculate_contribution(actor, body)?),
    }
}
