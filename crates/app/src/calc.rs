//! Calculators for staff: retirement month, pension, contributions. Pure functions over the
//! domain's rules, shared by `shebao calc` and the HTTP API.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;
use shebao_domain::insurance::{
    ContributionIndex, ContributionParameters, Month, RetirementCategory, contributions, pension,
    retirement, work_injury_rate_ppm,
};

use crate::{Actor, App, AppError};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetirementQuestion {
    /// Birth month, YYYY-MM.
    pub birth: String,
    /// `male`, `female-55` or `female-50`.
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetirementAnswer {
    pub delay_months: u32,
    pub retirement_month: String,
    pub minimum_contribution_months: u32,
    pub age_years: u32,
    pub age_months: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PensionQuestion {
    pub average_wage_fen: i64,
    /// The average contribution index Z, e.g. "1.2".
    pub contribution_index: String,
    pub contribution_months: u32,
    pub account_balance_fen: i64,
    pub retirement_age: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PensionAnswer {
    pub basic_fen: i64,
    pub account_fen: i64,
    pub total_fen: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionQuestion {
    pub average_wage_fen: i64,
    pub wage_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionAnswerLine {
    pub base_fen: i64,
    pub employer_fen: i64,
    pub individual_fen: i64,
}

fn invalid(field: &'static str, message: &str) -> AppError {
    AppError::Invalid {
        field,
        message: message.to_owned(),
    }
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
    .map_err(|e| AppError::Invalid {
        field: "pension",
        message: format!("{}: {e}", e.code()),
    })?;
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
    let injury = work_injury_rate_ppm(1, 100).map_err(|e| AppError::Internal(e.to_string()))?;
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

impl App {
    pub fn calculate_retirement(
        &self,
        actor: &Actor,
        question: RetirementQuestion,
    ) -> Result<RetirementAnswer, AppError> {
        self.authorise(actor, Operation::Calculate)?;
        retirement_answer(&question)
    }

    pub fn calculate_pension(
        &self,
        actor: &Actor,
        question: PensionQuestion,
    ) -> Result<PensionAnswer, AppError> {
        self.authorise(actor, Operation::Calculate)?;
        pension_answer(&question)
    }

    pub fn calculate_contribution(
        &self,
        actor: &Actor,
        question: ContributionQuestion,
    ) -> Result<BTreeMap<String, ContributionAnswerLine>, AppError> {
        self.authorise(actor, Operation::Calculate)?;
        contribution_answer(&question)
    }
}
