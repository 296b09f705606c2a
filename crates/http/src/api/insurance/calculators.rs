//! Calculators for staff: retirement month, pension and contributions.

use shebao_app::insurance::calc::{
    ContributionAnswer, ContributionQuestion, PensionAnswer, PensionQuestion, RetirementAnswer,
    RetirementQuestion,
};

use crate::api::kinds::{Json, JsonBody, NoQuery};
use crate::api::operations;

operations! {
    tag: "calculators";

    /// Statutory retirement month (2025 reform) and minimum contribution months
    CalcRetirement: post "calc_retirement" "/api/v1/calc/retirement" .not_changing() {
        access: Needs(Calculate),
        types: (), NoQuery, JsonBody<RetirementQuestion> => Json<RetirementAnswer>,
        call: Json(app.calculate_retirement(body)),
    }

    /// Monthly basic and personal-account pension
    CalcPension: post "calc_pension" "/api/v1/calc/pension" .not_changing() {
        access: Needs(Calculate),
        types: (), NoQuery, JsonBody<PensionQuestion> => Json<PensionAnswer>,
        call: Json(app.calculate_pension(body)),
    }

    /// Contributions per insurance at the demo region's rates
    CalcContribution: post "calc_contribution" "/api/v1/calc/contribution" .not_changing() {
        access: Needs(Calculate),
        types: (), NoQuery, JsonBody<ContributionQuestion> => Json<ContributionAnswer>,
        call: Json(app.calculate_contribution(body)),
    }
}
