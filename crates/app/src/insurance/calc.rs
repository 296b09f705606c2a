//! Calculators for staff: retirement month, pension, contributions. Pure functions over the
//! domain's rules, shared by `shebao calc` and the HTTP API.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;
use shebao_domain::insurance::{
    ContributionIndex, ContributionParameters, Insurance, MONTH_PATTERN, Month, RetirementCategory,
    contributions, pension, retirement, work_injury_rate_ppm,
};

use crate::{Actor, App, AppError};

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetirementQuestion {
    /// Birth month, YYYY-MM.
    #[schemars(regex(pattern = MONTH_PATTERN))]
    pub birth: String,
    /// `male`, `female-55` or `female-50`.
    #[schemars(extend("enum" = RetirementCategory::NAMES))]
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RetirementAnswer {
    pub delay_months: u32,
    pub retirement_month: String,
    pub minimum_contribution_months: u32,
    pub age_years: u32,
    pub age_months: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PensionQuestion {
    #[schemars(range(min = 1))]
    pub average_wage_fen: i64,
    /// The average contribution index Z, e.g. "1.2".
    #[schemars(regex(pattern = ContributionIndex::PATTERN))]
    pub contribution_index: String,
    pub contribution_months: u32,
    #[schemars(range(min = 0))]
    pub account_balance_fen: i64,
    #[schemars(range(min = 40, max = 70))]
    pub retirement_age: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PensionAnswer {
    pub basic_fen: i64,
    pub account_fen: i64,
    pub total_fen: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContributionQuestion {
    #[schemars(range(min = 1))]
    pub average_wage_fen: i64,
    #[schemars(range(min = 1))]
    pub wage_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ContributionLine")]
pub struct ContributionAnswerLine {
    pub base_fen: i64,
    pub employer_fen: i64,
    pub individual_fen: i64,
}

/// The contributions per insurance as the API answers them: the five lines of
/// [`contribution_answer`], named (in the order of its map's keys, so the JSON is the same).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ContributionAnswer {
    pub maternity: ContributionAnswerLine,
    pub medical: ContributionAnswerLine,
    pub pension: ContributionAnswerLine,
    pub unemployment: ContributionAnswerLine,
    pub work_injury: ContributionAnswerLine,
}

impl ContributionAnswer {
    /// The lines of `question`, one per insurance.
    pub fn of(question: &ContributionQuestion) -> Result<ContributionAnswer, AppError> {
        let mut lines = contribution_answer(question)?;
        let mut line = |insurance: Insurance| {
            lines.remove(insurance.as_str()).ok_or_else(|| {
                AppError::Internal(format!("no {} contribution", insurance.as_str()))
            })
        };
        Ok(ContributionAnswer {
            maternity: line(Insurance::Maternity)?,
            medical: line(Insurance::Medical)?,
            pension: line(Insurance::Pension)?,
            unemployment: line(Insurance::Unemployment)?,
            work_injury: line(Insurance::WorkInjury)?,
        })
    }
}

fn invalid(field: &'static str, message: &str) -> AppError {
    AppError::invalid(field, message.to_owned())
}

pub fn retirement_answer(question: &RetirementQuestion) -> Result<RetirementAnswer, AppError> {
    let birth =
        Month::parse(question.birth.trim()).ok_or_else(|| invalid("birth", "a month, YYYY-MM"))?;
    let category = RetirementCategory::parse(question.category.trim())
        .ok_or_else(|| invalid("category", "male, female-55 or female-50"))?;
    let answer = retirement(birth, category);
    Ok(RetirementAnswer {
        delay_months: answer.delay_months,
        retirement_month: answer.retirement_month.to_string(),
        minimum_contribution_months: answer.minimum_contribution_months,
        age_years: answer.age_years,
        age_months: answer.age_months,
    })
}

pub fn pension_answer(question: &PensionQuestion) -> Result<PensionAnswer, AppError> {
    let index = ContributionIndex::parse(question.contribution_index.trim())
        .map_err(|e| invalid("contribution_index", &e.to_string()))?;
    let amounts = pension(
        question.average_wage_fen,
        index,
        question.contribution_months,
        question.account_balance_fen,
        question.retirement_age,
    )
    .map_err(|e| AppError::invalid("pension", format!("{}: {e}", e.code())))?;
    Ok(PensionAnswer {
        basic_fen: amounts.basic_fen,
        account_fen: amounts.account_fen,
        total_fen: amounts.total_fen,
    })
}

/// Contributions at the demo region's rates (pension 16/8, medical 8/2, unemployment
/// 0.5/0.5, work injury class I at 100%) with the given average wage.
pub fn contribution_answer(
    question: &ContributionQuestion,
) -> Result<BTreeMap<String, ContributionAnswerLine>, AppError> {
    if question.wage_fen <= 0 {
        return Err(invalid("wage_fen", "a positive amount"));
    }
    let params = ContributionParameters {
        average_monthly_wage_fen: question.average_wage_fen,
        ..ContributionParameters::example()
    };
    params
        .validate()
        .map_err(|e| invalid("average_wage_fen", &e.to_string()))?;
    let injury = work_injury_rate_ppm(1, 100)
        .map_err(AppError::failed("the work-injury rate of class I"))?;
    Ok(contributions(question.wage_fen, &params, injury)
        .into_iter()
        .map(|line| {
            let answer = ContributionAnswerLine {
                base_fen: line.base_fen,
                employer_fen: line.employer_fen,
                individual_fen: line.individual_fen,
            };
            (line.insurance.as_str().to_owned(), answer)
        })
        .collect())
}

/// The parts of a medical bill to split (medical.md).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SettlementQuestion {
    #[schemars(range(min = 0))]
    pub total_fen: i64,
    #[schemars(range(min = 0))]
    pub self_paid_fen: i64,
    #[schemars(range(min = 0))]
    pub over_limit_fen: i64,
    #[schemars(range(min = 0))]
    pub class_b_fen: i64,
    /// "0.1" or "10%".
    #[schemars(regex(pattern = shebao_domain::medical::RATIO_PATTERN))]
    pub class_b_ratio: String,
    #[schemars(range(min = 0))]
    pub deductible_remaining_fen: i64,
    /// "0.85" or "85%".
    #[schemars(regex(pattern = shebao_domain::medical::RATIO_PATTERN))]
    pub pool_ratio: String,
    #[schemars(range(min = 0))]
    pub cap_remaining_fen: i64,
    #[schemars(range(min = 0))]
    pub account_balance_fen: i64,
}

/// The split of a medical bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SettlementAnswer {
    pub class_b_first_share_fen: i64,
    pub in_scope_fen: i64,
    pub deductible_fen: i64,
    pub fund_fen: i64,
    pub person_fen: i64,
    pub account_fen: i64,
    pub cash_fen: i64,
}

/// The split of a bill from its parts (medical.md), the account allowed to pay.
pub fn settlement_answer(question: &SettlementQuestion) -> Result<SettlementAnswer, AppError> {
    use shebao_domain::medical::{BillTotals, SplitTerms, parse_ratio_ppm, split};
    let ratio = |text: &str, field| {
        parse_ratio_ppm(text).ok_or_else(|| invalid(field, "a ratio such as 0.85 or 85%"))
    };
    let first_share_ppm = ratio(&question.class_b_ratio, "class_b_ratio")?;
    let bill = BillTotals {
        total_fen: question.total_fen,
        self_paid_fen: question.self_paid_fen,
        over_limit_fen: question.over_limit_fen,
        class_b_fen: question.class_b_fen,
        class_b_first_share_fen: shebao_domain::insurance::round_half_up(
            i128::from(question.class_b_fen) * i128::from(first_share_ppm),
            1_000_000,
        ),
    };
    let terms = SplitTerms {
        deductible_remaining_fen: question.deductible_remaining_fen,
        pool_ratio_ppm: ratio(&question.pool_ratio, "pool_ratio")?,
        cap_remaining_fen: question.cap_remaining_fen,
        account_balance_fen: question.account_balance_fen,
        use_account: true,
        supplementary: None,
    };
    let s =
        split(bill, terms).map_err(|e| AppError::invalid("bill", format!("{}: {e}", e.code())))?;
    Ok(SettlementAnswer {
        class_b_first_share_fen: s.class_b_first_share_fen,
        in_scope_fen: s.in_scope_fen,
        deductible_fen: s.deductible_fen,
        fund_fen: s.fund_fen,
        person_fen: s.person_fen,
        account_fen: s.account_fen,
        cash_fen: s.cash_fen,
    })
}

/// Declares the calculators as use cases: each is open to every role with `Calculate` and
/// answers from its question alone, with no store and no audit record.
macro_rules! calculators {
    ($($name:ident($question:ty) -> $answer:ty = $answer_of:path;)*) => {
        impl App {
            $(
                pub fn $name(
                    &self,
                    actor: &Actor,
                    question: $question,
                ) -> Result<$answer, AppError> {
                    self.authorise(actor, Operation::Calculate)?;
                    $answer_of(&question)
                }
            )*
        }
    };
}

calculators! {
    calculate_retirement(RetirementQuestion) -> RetirementAnswer = retirement_answer;
    calculate_pension(PensionQuestion) -> PensionAnswer = pension_answer;
    calculate_settlement(SettlementQuestion) -> SettlementAnswer = settlement_answer;
    calculate_contribution(ContributionQuestion) -> ContributionAnswer = ContributionAnswer::of;
}
