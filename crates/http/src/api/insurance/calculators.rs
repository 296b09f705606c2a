//! Calculators for staff: retirement month, pension, contributions, unemployment months,
//! work-injury disability and death benefits, and maternity allowance.

use shebao_app::insurance::calc::{
    ContributionAnswer, ContributionQuestion, DeathAnswer, DeathQuestion, InjuryAnswer,
    InjuryQuestion, MaternityAnswer, MaternityQuestion, PensionAnswer, PensionQuestion,
    RetirementAnswer, RetirementQuestion, UnemploymentAnswer, UnemploymentQuestion,
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

    /// Whether unemployment benefit is due, and its longest duration in months
    CalcUnemployment: post "calc_unemployment" "/api/v1/calc/unemployment" .not_changing() {
        Needs(Calculate): calculate_unemployment(body: UnemploymentQuestion)
            -> Json<UnemploymentAnswer>
    }

    /// A work-injury disability's one-time subsidy and monthly allowance
    CalcInjury: post "calc_injury" "/api/v1/calc/injury" .not_changing() {
        Needs(Calculate): calculate_injury(body: InjuryQuestion) -> Json<InjuryAnswer>
    }

    /// The funeral grant, one-time benefit and dependants' pensions on a death from work injury
    CalcDeath: post "calc_death" "/api/v1/calc/death" .not_changing() {
        Needs(Calculate): calculate_death(body: DeathQuestion) -> Json<DeathAnswer>
    }

    /// Maternity leave days and allowance
    CalcMaternity: post "calc_maternity" "/api/v1/calc/maternity" .not_changing() {
        Needs(Calculate): calculate_maternity(body: MaternityQuestion) -> Json<MaternityAnswer>
    }
}
