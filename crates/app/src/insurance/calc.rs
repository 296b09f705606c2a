//! Calculators for staff: retirement month, pension, contributions, the split of a medical
//! bill, unemployment months, work-injury disability and death benefits, maternity allowance. Pure functions over the
//! domain's rules, shared by `shebao calc` and the HTTP API.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;
use shebao_domain::insurance::{
    BABIES_MAX, ContributionIndex, ContributionParameters, Dependant, DisabilityGrade, Insurance,
    InsuranceError, MONTH_PATTERN, MaternityEvent, Month, PREGNANCY_MONTHS_MAX, RetirementCategory,
    WAGE_FEN_MAX, contributions, dependants_pensions_fen, disability_benefits, funeral_grant_fen,
    injury_wage_fen, maternity_allowance_fen, maternity_leave_days, pension, retirement,
    unemployment_benefit_months, work_death_benefit_fen, work_injury_rate_ppm,
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

/// A domain refusal of a calculation about `what`, as a validation error with its code.
fn refused(what: &'static str) -> impl Fn(InsuranceError) -> AppError + Copy {
    move |e| AppError::invalid(what, format!("{}: {e}", e.code()))
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
    .map_err(refused("pension"))?;
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

/// How long unemployment benefit may last.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnemploymentQuestion {
    /// Cumulative months of unemployment-insurance contributions.
    pub contribution_months: u32,
    /// Unused months of the previous spell.
    pub carried_months: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnemploymentAnswer {
    pub eligible: bool,
    /// The longest benefit in months; 0 when not eligible.
    pub months: u32,
}

/// The months of unemployment benefit (benefits.md): eligible from 12 months of
/// contributions.
pub fn unemployment_answer(
    question: &UnemploymentQuestion,
) -> Result<UnemploymentAnswer, AppError> {
    let months = unemployment_benefit_months(question.contribution_months, question.carried_months);
    Ok(UnemploymentAnswer {
        eligible: months > 0,
        months,
    })
}

/// A work-injury disability's benefits.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InjuryQuestion {
    /// The average monthly contribution wage of the 12 months before the injury.
    #[schemars(range(min = 1, max = WAGE_FEN_MAX))]
    pub own_wage_fen: i64,
    /// The local average monthly wage.
    #[schemars(range(min = 1, max = WAGE_FEN_MAX))]
    pub average_wage_fen: i64,
    /// The disability grade, 1 (most severe) to 10.
    #[schemars(range(min = 1, max = 10))]
    pub grade: u8,
    /// The local minimum wage the monthly allowance is topped up to (none when absent).
    #[serde(default)]
    #[schemars(range(min = 0, max = WAGE_FEN_MAX))]
    pub minimum_wage_fen: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InjuryAnswer {
    /// The own wage clamped to 60%-300% of the local average.
    pub wage_fen: i64,
    /// The one-time disability subsidy (from the fund).
    pub one_time_fen: i64,
    /// The monthly disability allowance; null for grades 7-10.
    pub monthly_fen: Option<i64>,
    /// `fund` or `employer`; null for grades 7-10.
    pub payer: Option<String>,
}

/// The disability benefits of a work injury (benefits.md).
pub fn injury_answer(question: &InjuryQuestion) -> Result<InjuryAnswer, AppError> {
    let grade =
        DisabilityGrade::new(question.grade).map_err(|e| invalid("grade", &e.to_string()))?;
    let benefits = disability_benefits(
        question.own_wage_fen,
        question.average_wage_fen,
        grade,
        question.minimum_wage_fen.unwrap_or(0),
    )
    .map_err(refused("injury"))?;
    Ok(InjuryAnswer {
        wage_fen: benefits.wage_fen,
        one_time_fen: benefits.one_time_fen,
        monthly_fen: benefits.monthly.map(|m| m.amount_fen),
        payer: benefits.monthly.map(|m| m.payer.as_str().to_owned()),
    })
}

/// The benefits on a death from work injury.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeathQuestion {
    /// The worker's average monthly contribution wage of the 12 months before the injury.
    #[schemars(range(min = 1, max = WAGE_FEN_MAX))]
    pub own_wage_fen: i64,
    /// The local average monthly wage.
    #[schemars(range(min = 1, max = WAGE_FEN_MAX))]
    pub average_wage_fen: i64,
    /// The previous year's national urban per-capita disposable income.
    #[schemars(range(min = 1, max = WAGE_FEN_MAX))]
    pub national_income_fen: i64,
    /// The relatives the worker supported, comma-separated: `spouse`, `other`, or `lone` (a
    /// lone elder or an orphan).
    #[serde(default)]
    #[schemars(regex(pattern = r"^((spouse|other|lone)(,(spouse|other|lone)){0,19})?$"))]
    pub dependants: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DeathAnswer {
    /// Six months of the local average wage.
    pub funeral_grant_fen: i64,
    /// 20 times the national per-capita disposable income.
    pub one_time_fen: i64,
    /// Each dependant's monthly pension, in the order given.
    pub pensions_fen: Vec<i64>,
}

/// The most dependants the calculation takes.
const DEPENDANTS_MAX: usize = 20;

/// The benefits on a death from work injury (benefits.md): the funeral grant, the one-time
/// benefit and the dependants' pensions on the worker's wage (clamped as for disability).
pub fn death_answer(question: &DeathQuestion) -> Result<DeathAnswer, AppError> {
    let refused = refused("death");
    let dependants = question
        .dependants
        .as_deref()
        .map(str::trim)
        .filter(|list| !list.is_empty())
        .map(|list| {
            list.split(',')
                .map(|kind| match kind.trim() {
                    "spouse" => Ok(Dependant {
                        spouse: true,
                        alone: false,
                    }),
                    "other" => Ok(Dependant {
                        spouse: false,
                        alone: false,
                    }),
                    "lone" => Ok(Dependant {
                        spouse: false,
                        alone: true,
                    }),
                    _ => Err(invalid(
                        "dependants",
                        "spouse, other or lone, comma-separated",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?
        .unwrap_or_default();
    if dependants.len() > DEPENDANTS_MAX {
        return Err(invalid("dependants", "at most 20"));
    }
    let wage =
        injury_wage_fen(question.own_wage_fen, question.average_wage_fen).map_err(refused)?;
    Ok(DeathAnswer {
        funeral_grant_fen: funeral_grant_fen(question.average_wage_fen).map_err(refused)?,
        one_time_fen: work_death_benefit_fen(question.national_income_fen).map_err(refused)?,
        pensions_fen: dependants_pensions_fen(wage, &dependants).map_err(refused)?,
    })
}

/// Maternity leave and its allowance.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaternityQuestion {
    /// The employer's average monthly contribution wage of the previous year.
    #[schemars(range(min = 1, max = WAGE_FEN_MAX))]
    pub average_wage_fen: i64,
    /// `birth` or `miscarriage`.
    #[schemars(extend("enum" = ["birth", "miscarriage"]))]
    pub event: String,
    /// Babies of the birth (1 when absent).
    #[serde(default)]
    #[schemars(range(min = 1, max = BABIES_MAX))]
    pub babies: Option<u32>,
    /// A difficult birth.
    #[serde(default)]
    pub difficult: bool,
    /// Whole months of pregnancy before a miscarriage.
    #[serde(default)]
    #[schemars(range(min = 0, max = PREGNANCY_MONTHS_MAX))]
    pub pregnancy_months: Option<u32>,
    /// The days the monthly wage is divided by (the region's parameter; 30 when absent).
    #[serde(default)]
    #[schemars(range(min = 1, max = 31))]
    pub divisor_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MaternityAnswer {
    pub leave_days: u32,
    pub allowance_fen: i64,
}

/// The days a maternity allowance is divided by where the region sets none.
pub const MATERNITY_DIVISOR_DAYS: u32 = 30;

/// The event a maternity question or claim names: a birth (`babies`, 1 when absent, and
/// `difficult`) or a miscarriage (after `pregnancy_months`); what belongs to the other is
/// refused.
pub(crate) fn maternity_event(
    event: &str,
    babies: Option<u32>,
    difficult: bool,
    pregnancy_months: Option<u32>,
) -> Result<MaternityEvent, AppError> {
    match event.trim() {
        "birth" => {
            if pregnancy_months.is_some() {
                return Err(invalid("pregnancy_months", "only for a miscarriage"));
            }
            Ok(MaternityEvent::Birth {
                babies: babies.unwrap_or(1),
                difficult,
            })
        }
        "miscarriage" => {
            if babies.is_some() || difficult {
                return Err(invalid("event", "babies and difficult are for a birth"));
            }
            Ok(MaternityEvent::Miscarriage {
                pregnancy_months: pregnancy_months
                    .ok_or_else(|| invalid("pregnancy_months", "needed for a miscarriage"))?,
            })
        }
        _ => Err(invalid("event", "birth or miscarriage")),
    }
}

/// Maternity leave and allowance (benefits.md).
pub fn maternity_answer(question: &MaternityQuestion) -> Result<MaternityAnswer, AppError> {
    let event = maternity_event(
        &question.event,
        question.babies,
        question.difficult,
        question.pregnancy_months,
    )?;
    let refused = refused("maternity");
    let leave_days = maternity_leave_days(event).map_err(refused)?;
    let divisor = question.divisor_days.unwrap_or(MATERNITY_DIVISOR_DAYS);
    if !(1..=31).contains(&divisor) {
        return Err(invalid("divisor_days", "1 to 31 days"));
    }
    let allowance_fen =
        maternity_allowance_fen(question.average_wage_fen, leave_days, divisor).map_err(refused)?;
    Ok(MaternityAnswer {
        leave_days,
        allowance_fen,
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
    calculate_unemployment(UnemploymentQuestion) -> UnemploymentAnswer = unemployment_answer;
    calculate_injury(InjuryQuestion) -> InjuryAnswer = injury_answer;
    calculate_death(DeathQuestion) -> DeathAnswer = death_answer;
    calculate_maternity(MaternityQuestion) -> MaternityAnswer = maternity_answer;
}
