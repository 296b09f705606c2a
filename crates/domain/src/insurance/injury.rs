//! What work-injury insurance pays (Work Injury Insurance Regulations, 2010 revision, Arts.
//! 35-39; benefits.md): the wage the benefits are counted on, the one-time disability subsidy
//! and monthly disability allowance by grade, the care allowance, and the death benefits.
//!
//! Every percentage and multiple here is the State Council's; the amounts they apply to (the
//! local average wage, the minimum wage, the national disposable income) are a region's, and
//! come in as arguments, each at most [`super::WAGE_FEN_MAX`], so no product here overflows.

use super::{InsuranceError, checked_wage, round_half_up};

/// A labour-ability appraisal's disability grade, 1 (the most severe) to 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DisabilityGrade(u8);

impl DisabilityGrade {
    /// The grade `grade`, or [`InsuranceError::InvalidDisabilityGrade`] outside 1..=10.
    pub fn new(grade: u8) -> Result<DisabilityGrade, InsuranceError> {
        if (1..=10).contains(&grade) {
            Ok(DisabilityGrade(grade))
        } else {
            Err(InsuranceError::InvalidDisabilityGrade { grade })
        }
    }

    /// The grade's number.
    #[must_use]
    pub const fn get(self) -> u8 {
        self.0
    }

    fn index(self) -> usize {
        usize::from(self.0 - 1)
    }
}

/// Months of own wage paid once as the disability subsidy, grades 1 to 10 (Arts. 35-37).
const ONE_TIME_MONTHS: [i64; 10] = [27, 25, 23, 21, 18, 16, 13, 11, 9, 7];

/// The monthly disability allowance, percent of own wage, grades 1 to 6 (Arts. 35-36);
/// grades 7-10 have none.
const MONTHLY_PERCENT: [i64; 6] = [90, 85, 80, 75, 70, 60];

/// Who pays a monthly disability allowance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AllowancePayer {
    /// The work-injury fund (grades 1-4, who leave work).
    Fund,
    /// The employer, when it arranges no suitable work (grades 5-6).
    Employer,
}

impl AllowancePayer {
    /// The stable name; never renamed.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            AllowancePayer::Fund => "fund",
            AllowancePayer::Employer => "employer",
        }
    }
}

/// A monthly disability allowance and who pays it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthlyAllowance {
    pub amount_fen: i64,
    pub payer: AllowancePayer,
}

/// The disability benefits of one appraisal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisabilityBenefits {
    /// The own wage, clamped to 60%-300% of the local average.
    pub wage_fen: i64,
    /// The one-time disability subsidy, from the fund.
    pub one_time_fen: i64,
    /// The monthly allowance (grades 1-6), topped up to the minimum wage.
    pub monthly: Option<MonthlyAllowance>,
}

/// `amount_fen` × `percent` %, rounded half-up to the fen.
fn percent_of(amount_fen: i64, percent: i64) -> i64 {
    round_half_up(i128::from(amount_fen) * i128::from(percent), 100)
}

/// The wage work-injury benefits are counted on (Art. 64): the worker's average monthly
/// contribution wage over the 12 months before the injury, clamped to 60%-300% of the local
/// average monthly wage (the 60% bound rounded half-up to the fen).
pub fn injury_wage_fen(own_wage_fen: i64, local_average_fen: i64) -> Result<i64, InsuranceError> {
    checked_wage(
        own_wage_fen,
        "the own wage must be from 1 to 1000000000000 fen",
    )?;
    checked_wage(
        local_average_fen,
        "the local average wage must be from 1 to 1000000000000 fen",
    )?;
    let floor = percent_of(local_average_fen, 60);
    let ceiling = local_average_fen * 3;
    Ok(own_wage_fen.clamp(floor, ceiling))
}

/// The disability benefits of grade `grade` (Arts. 35-37): the one-time subsidy in months of
/// the clamped wage; for grades 1-6 the monthly allowance as a share of it, topped up to
/// `minimum_wage_fen` (0 when the region sets none), paid by the fund (1-4) or the employer
/// (5-6).
pub fn disability_benefits(
    own_wage_fen: i64,
    local_average_fen: i64,
    grade: DisabilityGrade,
    minimum_wage_fen: i64,
) -> Result<DisabilityBenefits, InsuranceError> {
    if !(0..=super::WAGE_FEN_MAX).contains(&minimum_wage_fen) {
        return Err(InsuranceError::InvalidParameters {
            reason: "the minimum wage must be from 0 to 1000000000000 fen",
        });
    }
    let wage_fen = injury_wage_fen(own_wage_fen, local_average_fen)?;
    let one_time_fen = wage_fen * ONE_TIME_MONTHS[grade.index()];
    let monthly = MONTHLY_PERCENT
        .get(grade.index())
        .map(|&percent| MonthlyAllowance {
            amount_fen: percent_of(wage_fen, percent).max(minimum_wage_fen),
            payer: if grade.get() <= 4 {
                AllowancePayer::Fund
            } else {
                AllowancePayer::Employer
            },
        });
    Ok(DisabilityBenefits {
        wage_fen,
        one_time_fen,
        monthly,
    })
}

/// The three levels of need for care (Art. 34), 1 the highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CareLevel {
    /// Unable to care for oneself at all: 50% of the local average wage.
    Full,
    /// Mostly unable: 40%.
    Major,
    /// Partly unable: 30%.
    Partial,
}

/// The monthly care allowance at `level`, a share of the local average monthly wage.
pub fn care_allowance_fen(local_average_fen: i64, level: CareLevel) -> Result<i64, InsuranceError> {
    checked_wage(
        local_average_fen,
        "the local average wage must be from 1 to 1000000000000 fen",
    )?;
    let percent = match level {
        CareLevel::Full => 50,
        CareLevel::Major => 40,
        CareLevel::Partial => 30,
    };
    Ok(percent_of(local_average_fen, percent))
}

/// The funeral grant on a death from work injury (Art. 39): six months of the local average
/// monthly wage.
pub fn funeral_grant_fen(local_average_fen: i64) -> Result<i64, InsuranceError> {
    Ok(6 * checked_wage(
        local_average_fen,
        "the local average wage must be from 1 to 1000000000000 fen",
    )?)
}

/// The one-time work-death benefit (Art. 39): 20 times the previous year's national urban
/// per-capita disposable income.
pub fn work_death_benefit_fen(national_income_fen: i64) -> Result<i64, InsuranceError> {
    Ok(20
        * checked_wage(
            national_income_fen,
            "the national disposable income must be from 1 to 1000000000000 fen",
        )?)
}

/// A relative the deceased worker supported (Art. 39).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dependant {
    /// The spouse (40%) or another dependant (30%).
    pub spouse: bool,
    /// A lone elder or an orphan: 10 points more.
    pub alone: bool,
}

/// The monthly pension of each dependant, in the order given (Art. 39): 40% of the worker's
/// wage for the spouse, 30% for each other dependant, 10 points more for a lone elder or an
/// orphan; together never more than the wage. Each share is rounded half-up to the fen, or
/// down when rounding up would pass the wage; when the percentages pass 100, each share is
/// cut in proportion, rounded down, and the fen left over go one each to the first
/// dependants, so the total is exactly the wage.
pub fn dependants_pensions_fen(
    wage_fen: i64,
    dependants: &[Dependant],
) -> Result<Vec<i64>, InsuranceError> {
    checked_wage(
        wage_fen,
        "the worker's wage must be from 1 to 1000000000000 fen",
    )?;
    let percents: Vec<i64> = dependants
        .iter()
        .map(|d| if d.spouse { 40 } else { 30 } + if d.alone { 10 } else { 0 })
        .collect();
    let total_percent: i64 = percents.iter().sum();
    if total_percent <= 100 {
        let rounded: Vec<i64> = percents.iter().map(|&p| percent_of(wage_fen, p)).collect();
        if rounded.iter().sum::<i64>() <= wage_fen {
            return Ok(rounded);
        }
        // Each share rounded half-up passed the wage by a fen or two: rounded down, they
        // add up to at most the shares' percent of it.
        let wage = i128::from(wage_fen);
        return Ok(percents
            .iter()
            .map(|&p| i64::try_from(wage * i128::from(p) / 100).unwrap_or(wage_fen))
            .collect());
    }
    let wage = i128::from(wage_fen);
    let total = i128::from(total_percent);
    let mut shares: Vec<i64> = percents
        .iter()
        // Below the wage: each share is a fraction of it smaller than one.
        .map(|&p| i64::try_from(wage * i128::from(p) / total).unwrap_or(wage_fen))
        .collect();
    let mut left = wage_fen - shares.iter().sum::<i64>();
    for share in &mut shares {
        if left == 0 {
            break;
        }
        *share += 1;
        left -= 1;
    }
    Ok(shares)
}
