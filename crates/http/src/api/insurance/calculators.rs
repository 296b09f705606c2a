//! Calculators for staff: retirement month, pension and contributions.

use shebao_app::insurance::calc::{
    ContributionAnswer, ContributionQuestion, PensionAnswer, PensionQuestion, RetirementAnswer,
    RetirementQuestion,
};

use crate::api::kinds::Json;
use crate::api::operations;

operations! {
    tag: "calculators";

    /// Statutory retirement month (2025 reform) and minimum contribution months
    CalcRetirement: post "calc_retirement" "/api/v1/calc/retirement" .not_changing() {
        Needs(Calculate): calculate_retirement(body: RetirementQuestion) -> Json<RetirementAnswer>
    }

    /// Monthly basic and personal-account pension
    CalcPension: post "calc_pension" "/api/v1/calc/pension" .not_changing() {
        Needs(Calculate): calculate_pension(body: PensionQuestion) -> Json<PensionAnswer>
    }

    /// Contributions per insurance at the demo region's rates
    CalcContribution: post "calc_contribution" "/api/v1/calc/contribution" .not_changing() {
        Needs(Calculate): calculate_contribution(body: ContributionQuestion)
            -> Json<ContributionAnswer>
    }
}
