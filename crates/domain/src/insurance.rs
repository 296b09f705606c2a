//! The five social insurances: contribution bases and amounts, work-injury rates, retirement
//! age under the 2025 reform, the basic pension, the personal pension account and the length
//! of unemployment benefit.
//!
//! Money is whole fen in `i64`, rates are parts per million in `u32`, and nothing here uses
//! floats. Every amount is computed exactly in `i128` and rounded half-up once, at the end,
//! so the order of multiplications never changes a result. The numbers a region fixes come in
//! as [`ContributionParameters`]; the rules and their vectors are in `insurance.md` and
//! `benefits.md`.

use std::fmt;

use crate::time::Date;

/// Parts per million in one whole: a rate of 16% is 160 000 ppm.
const PPM_PER_WHOLE: i128 = 1_000_000;

/// Ten-thousandths in one whole, the unit of the average contribution index.
const TEN_THOUSANDTHS_PER_WHOLE: u32 = 10_000;

/// Why an insurance calculation was refused. The codes are part of the public API: never
/// rename one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsuranceError {
    /// A rate is above 100% (1 000 000 ppm); `field` names the parameter.
    InvalidRate { field: &'static str },
    /// A parameter other than a rate is out of its legal range.
    InvalidParameters { reason: &'static str },
    /// Work-injury industry classes run from I to VIII.
    InvalidWorkInjuryClass { class: u8 },
    /// The floating tier is not one the class may use.
    InvalidWorkInjuryTier { class: u8, tier_percent: u32 },
    /// The average contribution index is malformed or outside 0.6..=3.0.
    InvalidContributionIndex,
    /// The personal-account divisor table covers retirement ages 40 to 70 only.
    AgeOutsideDivisorTable { age_years: u32 },
}

impl InsuranceError {
    /// The stable machine code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            InsuranceError::InvalidRate { .. } => "invalid_rate",
            InsuranceError::InvalidParameters { .. } => "invalid_parameters",
            InsuranceError::InvalidWorkInjuryClass { .. } => "invalid_work_injury_class",
            InsuranceError::InvalidWorkInjuryTier { .. } => "invalid_work_injury_tier",
            InsuranceError::InvalidContributionIndex => "invalid_contribution_index",
            InsuranceError::AgeOutsideDivisorTable { .. } => "age_outside_divisor_table",
        }
    }
}

impl fmt::Display for InsuranceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InsuranceError::InvalidRate { field } => {
                write!(f, "the rate {field} must be between 0 and 1000000 ppm (100%)")
            }
            InsuranceError::InvalidParameters { reason } => {
                write!(f, "invalid insurance parameters: {reason}")
            }
            InsuranceError::InvalidWorkInjuryClass { class } => {
                write!(f, "work-injury industry class {class} does not exist (1 to 8)")
            }
            InsuranceError::InvalidWorkInjuryTier {
                class,
                tier_percent,
            } => write!(
                f,
                "work-injury class {class} may not float to {tier_percent}% of its base rate"
            ),
            InsuranceError::InvalidContributionIndex => f.write_str(
                "the average contribution index must be a number from 0.6 to 3.0 with at most 4 decimals",
            ),
            InsuranceError::AgeOutsideDivisorTable { age_years } => write!(
                f,
                "no personal-account divisor for retirement at {age_years}; the table covers 40 to 70"
            ),
        }
    }
}

impl std::error::Error for InsuranceError {}

/// A calendar month, the unit in which contributions and retirement are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    // Field order matters: the derived `Ord` compares year, then month.
    year: i32,
    month: u8,
}

/// The month the 2025 retirement-age reform took effect (k = 0 in insurance.md).
const REFORM_START: Month = Month {
    year: 2025,
    month: 1,
};

impl Month {
    /// Builds a month, or `None` when `month` is outside 1..=12.
    #[must_use]
    pub const fn new(year: i32, month: u8) -> Option<Month> {
        if month < 1 || month > 12 {
            return None;
        }
        Some(Month { year, month })
    }

    /// Parses exactly `YYYY-MM`, strict like [`Date::parse_iso`].
    #[must_use]
    pub fn parse(input: &str) -> Option<Month> {
        let bytes = input.as_bytes();
        if bytes.len() != 7 || bytes[4] != b'-' {
            return None;
        }
        let year = digits_value(&bytes[0..4])?;
        let month = digits_value(&bytes[5..7])?;
        Month::new(i32::try_from(year).ok()?, u8::try_from(month).ok()?)
    }

    /// The calendar year.
    #[must_use]
    pub const fn year(self) -> i32 {
        self.year
    }

    /// The month of the year, 1..=12.
    #[must_use]
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The month containing `date`.
    #[must_use]
    pub const fn of(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The first day of the month.
    #[must_use]
    pub fn first_day(self) -> Date {
        // `month` is 1..=12 by construction and every month has a day 1, so the fallback
        // only exists so that this function has no panicking path.
        Date::new(self.year, self.month, 1).unwrap_or(Date::from_days_since_epoch(0))
    }

    /// Months since year 0 month 1: `year * 12 + month - 1`, saturating at the `i32` limits.
    #[must_use]
    pub fn index(self) -> i32 {
        i32::try_from(self.wide_index()).unwrap_or(if self.year < 0 { i32::MIN } else { i32::MAX })
    }

    /// The month `months` later (earlier when negative), saturating at the representable range.
    #[must_use]
    pub fn add_months(self, months: i32) -> Month {
        let total = self.wide_index() + i64::from(months);
        let Ok(year) = i32::try_from(total.div_euclid(12)) else {
            return if total < 0 {
                Month {
                    year: i32::MIN,
                    month: 1,
                }
            } else {
                Month {
                    year: i32::MAX,
                    month: 12,
                }
            };
        };
        // rem_euclid(12) is in 0..12, so the conversion always succeeds.
        let month = u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1);
        Month { year, month }
    }

    /// Months from `self` to `later` (`later - self`; negative when `later` is earlier),
    /// saturating at the `i32` limits.
    #[must_use]
    pub fn months_until(self, later: Month) -> i32 {
        let difference = later.wide_index() - self.wide_index();
        i32::try_from(difference).unwrap_or(if difference < 0 { i32::MIN } else { i32::MAX })
    }

    /// [`Month::index`] without saturation; any `i32` year fits in `i64`.
    fn wide_index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }
}

impl fmt::Display for Month {
    /// `YYYY-MM`; years outside 0..=9999 print with a sign or more digits, as [`Date`] does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.year < 0 {
            write!(f, "-{:04}", self.year.unsigned_abs())?;
        } else {
            write!(f, "{:04}", self.year)?;
        }
        write!(f, "-{:02}", self.month)
    }
}

/// Value of a run of ASCII digits, or `None` if any byte is not a digit or it overflows.
fn digits_value(bytes: &[u8]) -> Option<u32> {
    let mut value: u32 = 0;
    for &byte in bytes {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u32::from(byte - b'0'))?;
    }
    Some(value)
}

/// The five insurances (Social Insurance Law Art. 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Insurance {
    Pension,
    Medical,
    Unemployment,
    WorkInjury,
    Maternity,
}

impl Insurance {
    /// Every insurance, in the order [`contributions`] lists them.
    pub const ALL: [Insurance; 5] = [
        Insurance::Pension,
        Insurance::Medical,
        Insurance::Unemployment,
        Insurance::WorkInjury,
        Insurance::Maternity,
    ];

    /// The stable name, stored as text; never renamed.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Insurance::Pension => "pension",
            Insurance::Medical => "medical",
            Insurance::Unemployment => "unemployment",
            Insurance::WorkInjury => "work_injury",
            Insurance::Maternity => "maternity",
        }
    }

    /// The insurance named by [`Insurance::as_str`].
    #[must_use]
    pub fn parse(input: &str) -> Option<Insurance> {
        Insurance::ALL
            .into_iter()
            .find(|insurance| insurance.as_str() == input)
    }
}

impl fmt::Display for Insurance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The employer's and the individual's rate for one insurance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsuranceRates {
    pub employer_ppm: u32,
    pub individual_ppm: u32,
}

/// The contribution numbers a region fixes. They are data, never constants; see
/// [`ContributionParameters::example`] for the values of the insurance.md vectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContributionParameters {
    /// The local average monthly wage of the previous year ("C"), which fixes the base band
    /// and the basic pension.
    pub average_monthly_wage_fen: i64,
    /// The base floor as a percentage of the average wage (insurance.md: 60).
    pub base_floor_percent: u32,
    /// The base ceiling as a percentage of the average wage (insurance.md: 300).
    pub base_ceiling_percent: u32,
    /// Pension: 16% employer, 8% individual (Social Insurance Law Art. 12).
    pub pension: InsuranceRates,
    /// Medical: about 6-10% employer (local), 2% individual.
    pub medical: InsuranceRates,
    /// Unemployment: statute 2%/1%, reduced for years to about 0.5%/0.5%.
    pub unemployment: InsuranceRates,
    /// Maternity, employer only; 0 where it has been folded into medical (since 2019).
    pub maternity_employer_ppm: u32,
    /// A flexible worker's pension rate on the average wage (insurance.md: 20%).
    pub flexible_pension_ppm: u32,
    /// The part of a flexible worker's pension credited to the personal account (8%).
    pub flexible_account_ppm: u32,
    /// The part of an employee's pension credited to the personal account: the individual 8%
    /// (Social Insurance Law Art. 12).
    pub personal_pension_account_ppm: u32,
    /// The fixed monthly credit to a retiree's personal medical account.
    pub retiree_medical_credit_fen: i64,
    /// The yearly rate credited to personal pension accounts (2024: 2.62% [unsure]).
    pub pension_interest_ppm: u32,
}

impl ContributionParameters {
    /// Checks each value against the bounds the national rules allow.
    pub fn validate(&self) -> Result<(), InsuranceError> {
        let invalid = |reason| Err(InsuranceError::InvalidParameters { reason });
        if self.average_monthly_wage_fen <= 0 {
            return invalid("average_monthly_wage_fen must be positive");
        }
        if !(1..=100).contains(&self.base_floor_percent) {
            return invalid("base_floor_percent must be 1 to 100");
        }
        if !(100..=1000).contains(&self.base_ceiling_percent) {
            return invalid("base_ceiling_percent must be 100 to 1000");
        }
        if self.base_floor_percent > self.base_ceiling_percent {
            return invalid("base_floor_percent must not exceed base_ceiling_percent");
        }
        if self.retiree_medical_credit_fen < 0 {
            return invalid("retiree_medical_credit_fen must not be negative");
        }
        for (field, rate_ppm) in self.rates() {
            if i128::from(rate_ppm) > PPM_PER_WHOLE {
                return Err(InsuranceError::InvalidRate { field });
            }
        }
        // The flexible worker's account share is part of what the worker pays.
        if self.flexible_account_ppm > self.flexible_pension_ppm {
            return invalid("flexible_account_ppm must not exceed flexible_pension_ppm");
        }
        // Before 2006 part of the employer share went to the account too (State Council 1997
        // No. 26: 11% in all), so the account may take more than the individual 8%, but never
        // more than the whole pension contribution.
        let pension_total_ppm =
            u64::from(self.pension.employer_ppm) + u64::from(self.pension.individual_ppm);
        if u64::from(self.personal_pension_account_ppm) > pension_total_ppm {
            return invalid("personal_pension_account_ppm must not exceed the pension rates");
        }
        Ok(())
    }

    /// Every rate with its field name, for validation.
    fn rates(&self) -> [(&'static str, u32); 11] {
        [
            ("pension.employer_ppm", self.pension.employer_ppm),
            ("pension.individual_ppm", self.pension.individual_ppm),
            ("medical.employer_ppm", self.medical.employer_ppm),
            ("medical.individual_ppm", self.medical.individual_ppm),
            ("unemployment.employer_ppm", self.unemployment.employer_ppm),
            (
                "unemployment.individual_ppm",
                self.unemployment.individual_ppm,
            ),
            ("maternity_employer_ppm", self.maternity_employer_ppm),
            ("flexible_pension_ppm", self.flexible_pension_ppm),
            ("flexible_account_ppm", self.flexible_account_ppm),
            (
                "personal_pension_account_ppm",
                self.personal_pension_account_ppm,
            ),
            ("pension_interest_ppm", self.pension_interest_ppm),
        ]
    }

    /// The region of the insurance.md vectors: average wage 8,000 yuan, band 60-300%,
    /// pension 16/8, medical 8/2, unemployment 0.5/0.5, maternity folded into medical,
    /// flexible 20% with 8% to the account, 2.62% credited interest. The retiree medical
    /// credit of 50 yuan is an example only; insurance.md gives no number.
    #[must_use]
    pub fn example() -> ContributionParameters {
        ContributionParameters {
            average_monthly_wage_fen: 800_000,
            base_floor_percent: 60,
            base_ceiling_percent: 300,
            pension: InsuranceRates {
                employer_ppm: 160_000,
                individual_ppm: 80_000,
            },
            medical: InsuranceRates {
                employer_ppm: 80_000,
                individual_ppm: 20_000,
            },
            unemployment: InsuranceRates {
                employer_ppm: 5_000,
                individual_ppm: 5_000,
            },
            maternity_employer_ppm: 0,
            flexible_pension_ppm: 200_000,
            flexible_account_ppm: 80_000,
            personal_pension_account_ppm: 80_000,
            retiree_medical_credit_fen: 5_000,
            pension_interest_ppm: 26_200,
        }
    }
}

/// `numerator / denominator` rounded half-up to a whole number, for the non-negative amounts
/// of this module. Saturates at `i64::MAX`; a negative numerator or a non-positive
/// denominator gives 0, because no contribution, benefit or pension here can be negative.
#[must_use]
pub fn round_half_up(numerator: i128, denominator: i128) -> i64 {
    if numerator <= 0 || denominator <= 0 {
        return 0;
    }
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    // `remainder >= denominator - remainder` is `2 * remainder >= denominator` without the
    // overflow the doubling could cause.
    let rounded = if remainder >= denominator - remainder {
        quotient + 1
    } else {
        quotient
    };
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

/// The contribution base: the wage clamped to the band of 60%-300% (the region's
/// percentages) of the previous year's local average wage (insurance.md). The band limits
/// are rounded half-up to the fen.
#[must_use]
pub fn contribution_base(wage_fen: i64, params: &ContributionParameters) -> i64 {
    let average = i128::from(params.average_monthly_wage_fen);
    let floor_fen = round_half_up(average * i128::from(params.base_floor_percent), 100);
    let ceiling_fen = round_half_up(average * i128::from(params.base_ceiling_percent), 100);
    // max-then-min rather than `clamp`, which panics when unvalidated parameters put the
    // floor above the ceiling; here the ceiling wins.
    wage_fen.max(floor_fen).min(ceiling_fen)
}

/// `rate_ppm` of `base_fen`, rounded half-up to the fen.
#[must_use]
pub fn amount(base_fen: i64, rate_ppm: u32) -> i64 {
    round_half_up(i128::from(base_fen) * i128::from(rate_ppm), PPM_PER_WHOLE)
}

/// Base rates of the eight work-injury industry classes, I to VIII: 0.2 0.4 0.7 0.9 1.1 1.3
/// 1.6 1.9% (Work Injury Insurance rate rules, insurance.md).
const WORK_INJURY_BASE_RATES_PPM: [u32; 8] =
    [2_000, 4_000, 7_000, 9_000, 11_000, 13_000, 16_000, 19_000];

/// The work-injury rate of an employer in industry `class` (1..=8) floating to `tier_percent`
/// of the class's base rate. Class I may float to 100, 120 or 150%; classes II-VIII to 50, 80,
/// 100, 120 or 150% (Work Injury Insurance rate rules).
pub fn work_injury_rate_ppm(class: u8, tier_percent: u32) -> Result<u32, InsuranceError> {
    let base_ppm = usize::from(class)
        .checked_sub(1)
        .and_then(|position| WORK_INJURY_BASE_RATES_PPM.get(position))
        .copied()
        .ok_or(InsuranceError::InvalidWorkInjuryClass { class })?;
    let tiers: &[u32] = if class == 1 {
        &[100, 120, 150]
    } else {
        &[50, 80, 100, 120, 150]
    };
    if !tiers.contains(&tier_percent) {
        return Err(InsuranceError::InvalidWorkInjuryTier {
            class,
            tier_percent,
        });
    }
    // Every base rate is a multiple of 1 000 ppm and every tier a multiple of 10%, so the
    // division is exact; at most 19 000 * 150 it cannot overflow.
    Ok(base_ppm * tier_percent / 100)
}

/// One insurance's monthly contribution: the base and the two shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContributionLine {
    pub insurance: Insurance,
    pub base_fen: i64,
    pub employer_fen: i64,
    pub individual_fen: i64,
}

/// An employee's monthly contributions to all five insurances, in [`Insurance::ALL`] order.
/// One base serves every insurance; work injury and maternity are paid by the employer alone
/// (Social Insurance Law Arts. 33 and 53).
#[must_use]
pub fn contributions(
    wage_fen: i64,
    params: &ContributionParameters,
    work_injury_rate_ppm: u32,
) -> Vec<ContributionLine> {
    let base_fen = contribution_base(wage_fen, params);
    let line = |insurance, employer_ppm, individual_ppm| ContributionLine {
        insurance,
        base_fen,
        employer_fen: amount(base_fen, employer_ppm),
        individual_fen: amount(base_fen, individual_ppm),
    };
    Insurance::ALL
        .into_iter()
        .map(|insurance| match insurance {
            Insurance::Pension => line(
                insurance,
                params.pension.employer_ppm,
                params.pension.individual_ppm,
            ),
            Insurance::Medical => line(
                insurance,
                params.medical.employer_ppm,
                params.medical.individual_ppm,
            ),
            Insurance::Unemployment => line(
                insurance,
                params.unemployment.employer_ppm,
                params.unemployment.individual_ppm,
            ),
            Insurance::WorkInjury => line(insurance, work_injury_rate_ppm, 0),
            Insurance::Maternity => line(insurance, params.maternity_employer_ppm, 0),
        })
        .collect()
}

/// A flexible (self-employed) worker's monthly pension contribution: the base is the local
/// average wage and the worker pays the whole 20% alone, so `employer_fen` is 0
/// (insurance.md).
#[must_use]
pub fn flexible_contribution(params: &ContributionParameters) -> ContributionLine {
    let base_fen = params.average_monthly_wage_fen.max(0);
    ContributionLine {
        insurance: Insurance::Pension,
        base_fen,
        employer_fen: 0,
        individual_fen: amount(base_fen, params.flexible_pension_ppm),
    }
}

/// The part of a contribution line credited to the personal pension account.
///
/// - Only pension lines feed the pension account; any other line gives 0 (the medical
///   individual 2% goes to the separate medical account).
/// - A pension line the individual pays wholly alone (`employer_fen == 0`, as
///   [`flexible_contribution`] builds it) is a flexible worker's: `flexible_account_ppm` (8%)
///   of its base; the other 12% goes to the pooled fund.
/// - Any other pension line is an employee's: `personal_pension_account_ppm` of its base,
///   which is the individual 8% (Social Insurance Law Art. 12); the employer's 16% goes
///   wholly to the pooled fund.
#[must_use]
pub fn personal_account_share(line: &ContributionLine, params: &ContributionParameters) -> i64 {
    if line.insurance != Insurance::Pension {
        return 0;
    }
    let account_ppm = if line.employer_fen == 0 {
        params.flexible_account_ppm
    } else {
        params.personal_pension_account_ppm
    };
    amount(line.base_fen, account_ppm)
}

/// Who retires at which original age before the 2025 reform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetirementCategory {
    /// Men, originally 60.
    Male,
    /// Women cadres, originally 55.
    Female55,
    /// Women workers, originally 50.
    Female50,
}

impl RetirementCategory {
    /// Every category.
    pub const ALL: [RetirementCategory; 3] = [
        RetirementCategory::Male,
        RetirementCategory::Female55,
        RetirementCategory::Female50,
    ];

    /// The stable name; never renamed.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RetirementCategory::Male => "male",
            RetirementCategory::Female55 => "female-55",
            RetirementCategory::Female50 => "female-50",
        }
    }

    /// The category named by [`RetirementCategory::as_str`].
    #[must_use]
    pub fn parse(input: &str) -> Option<RetirementCategory> {
        RetirementCategory::ALL
            .into_iter()
            .find(|category| category.as_str() == input)
    }

    /// The retirement age before the reform, in years.
    fn original_age_years(self) -> u32 {
        match self {
            RetirementCategory::Male => 60,
            RetirementCategory::Female55 => 55,
            RetirementCategory::Female50 => 50,
        }
    }
}

/// When a person retires under the 2025 reform, at the statutory (not the flexible) age.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retirement {
    /// The month the person reaches the original age.
    pub original_month: Month,
    /// Months added by the reform.
    pub delay_months: u32,
    /// `original_month` plus the delay.
    pub retirement_month: Month,
    /// The retirement age: whole years ...
    pub age_years: u32,
    /// ... plus months.
    pub age_months: u32,
    /// The minimum contribution period in the year of retirement.
    pub minimum_contribution_months: u32,
}

/// The statutory retirement of someone born in `birth` (reform effective 2025-01-01,
/// insurance.md).
///
/// The original month is the birth month plus the original age in years, and the reform
/// counts k months from 2025-01 (k = 0) to it. Men and women originally 55 wait one more
/// month for every started four months of k, at most 36; women originally 50 one more month
/// for every started two months, at most 60. No delay when the original month is before
/// 2025-01. The vectors fix that the delay starts at 1 in 2025-01 itself and that retirement
/// falls in `original_month + delay` (a man born 1965-05: k = 4, delay 2, 2025-07).
#[must_use]
pub fn retirement(birth: Month, category: RetirementCategory) -> Retirement {
    let original_age_years = category.original_age_years();
    // 60 years at most, so the conversion cannot fail.
    let original_age_months = i32::try_from(original_age_years * 12).unwrap_or(0);
    let original_month = birth.add_months(original_age_months);
    let k = REFORM_START.months_until(original_month);
    let delay: i32 = if k < 0 {
        0
    } else {
        match category {
            RetirementCategory::Male | RetirementCategory::Female55 => (k / 4 + 1).min(36),
            RetirementCategory::Female50 => (k / 2 + 1).min(60),
        }
    };
    // `delay` is 0..=60, so its absolute value is the delay itself.
    let delay_months = delay.unsigned_abs();
    let retirement_month = original_month.add_months(delay);
    Retirement {
        original_month,
        delay_months,
        retirement_month,
        age_years: original_age_years + delay_months / 12,
        age_months: delay_months % 12,
        minimum_contribution_months: minimum_contribution_months(retirement_month.year()),
    }
}

/// The minimum contribution period for a pension when retiring in `retirement_year`
/// (Social Insurance Law Art. 16; 2025 reform): 180 months until 2029, then 6 more each
/// year from 2030 until it reaches 240.
#[must_use]
pub fn minimum_contribution_months(retirement_year: i32) -> u32 {
    if retirement_year < 2030 {
        return 180;
    }
    // At most 10 steps matter; anything later is capped, so saturate the year count.
    let steps = u32::try_from(retirement_year - 2029).unwrap_or(u32::MAX);
    180u32.saturating_add(steps.saturating_mul(6)).min(240)
}

/// The average contribution index Z in ten-thousandths (1.2 is 12 000): the mean over the
/// contribution years of own base / local average wage. It lies in 0.6..=3.0 because the
/// base band does (State Council 2005 No. 38).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContributionIndex(u32);

impl ContributionIndex {
    /// The smallest index, 0.6: the base floor of 60%.
    pub const MIN: ContributionIndex = ContributionIndex(6_000);
    /// The largest index, 3.0: the base ceiling of 300%.
    pub const MAX: ContributionIndex = ContributionIndex(30_000);

    /// The index of `ten_thousandths` / 10 000, if within 0.6..=3.0.
    pub fn from_ten_thousandths(ten_thousandths: u32) -> Result<ContributionIndex, InsuranceError> {
        if (ContributionIndex::MIN.0..=ContributionIndex::MAX.0).contains(&ten_thousandths) {
            Ok(ContributionIndex(ten_thousandths))
        } else {
            Err(InsuranceError::InvalidContributionIndex)
        }
    }

    /// Parses a decimal such as `1.2` or `0.6543`: digits, then optionally a point and 1 to
    /// 4 decimals; no sign, spaces or exponent.
    pub fn parse(input: &str) -> Result<ContributionIndex, InsuranceError> {
        let invalid = InsuranceError::InvalidContributionIndex;
        let (whole, decimals) = match input.split_once('.') {
            Some((whole, decimals)) => (whole, decimals),
            None => (input, ""),
        };
        if whole.is_empty()
            || whole.len() > 2
            || decimals.len() > 4
            || (input.contains('.') && decimals.is_empty())
        {
            return Err(invalid);
        }
        let whole_value = digits_value(whole.as_bytes()).ok_or(invalid.clone())?;
        let decimals_value = digits_value(decimals.as_bytes()).ok_or(invalid)?;
        // Scale the decimals to ten-thousandths: "2" is 2 000, "25" is 2 500.
        let mut scaled_decimals = decimals_value;
        for _ in decimals.len()..4 {
            scaled_decimals *= 10;
        }
        ContributionIndex::from_ten_thousandths(
            whole_value * TEN_THOUSANDTHS_PER_WHOLE + scaled_decimals,
        )
    }

    /// The index in ten-thousandths.
    #[must_use]
    pub const fn ten_thousandths(self) -> u32 {
        self.0
    }
}

impl fmt::Display for ContributionIndex {
    /// Four decimals, e.g. `1.2000`; [`ContributionIndex::parse`] reads it back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{:04}",
            self.0 / TEN_THOUSANDTHS_PER_WHOLE,
            self.0 % TEN_THOUSANDTHS_PER_WHOLE
        )
    }
}

/// Scale of each year's ratio before averaging: 10^-12, far finer than the 10^-4 result.
const RATIO_SCALE: i128 = 1_000_000_000_000;

/// The average contribution index from each year's (own base, local average wage), both in
/// fen (State Council 2005 No. 38): the mean of base / average, rounded half-up to
/// ten-thousandths and clamped to 0.6..=3.0.
///
/// Each year's ratio is taken to 12 decimals (half-up) and the mean is rounded once, so the
/// result is exact whenever every ratio has at most 12 decimals. Years whose average is not
/// positive cannot be divided by and are skipped; negative bases count as 0. With no usable
/// year the result is the floor 0.6, the index of someone contributing at the minimum base.
#[must_use]
pub fn contribution_index(bases_and_averages: &[(i64, i64)]) -> ContributionIndex {
    let mut ratio_sum: i128 = 0;
    let mut years: i128 = 0;
    for &(base_fen, average_fen) in bases_and_averages {
        if average_fen <= 0 {
            continue;
        }
        let ratio = round_half_up(
            i128::from(base_fen.max(0)) * RATIO_SCALE,
            i128::from(average_fen),
        );
        ratio_sum = ratio_sum.saturating_add(i128::from(ratio));
        years += 1;
    }
    let scale_to_ten_thousandths = RATIO_SCALE / i128::from(TEN_THOUSANDTHS_PER_WHOLE);
    let mean = round_half_up(ratio_sum, years.saturating_mul(scale_to_ten_thousandths));
    let clamped = mean.clamp(
        i64::from(ContributionIndex::MIN.0),
        i64::from(ContributionIndex::MAX.0),
    );
    // The clamp keeps it within 6 000..=30 000, so the conversion cannot fail.
    ContributionIndex(u32::try_from(clamped).unwrap_or(ContributionIndex::MIN.0))
}

/// Months of pension the personal account is divided into, by retirement age 40 to 70
/// (State Council 2005 No. 38, annex table).
const ACCOUNT_DIVISORS: [u32; 31] = [
    233, 230, 226, 223, 220, 216, 212, // 40-46
    // Age 47: 207 per insurance.md; one copy of the table says 208 [unsure].
    207, // 47
    204, 199, 195, 190, 185, 180, 175, 170, // 48-55
    164, 158, 152, 145, 139, 132, 125, 117, 109, 101, 93, 84, 75, 65, 56, // 56-70
];

/// The personal-account divisor in months for retirement at `age_years`, if in 40..=70.
#[must_use]
pub fn account_divisor(age_years: u32) -> Option<u32> {
    let position = usize::try_from(age_years.checked_sub(40)?).ok()?;
    ACCOUNT_DIVISORS.get(position).copied()
}

/// The monthly pension and its two parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PensionAmounts {
    pub basic_fen: i64,
    pub account_fen: i64,
    pub total_fen: i64,
}

/// The monthly basic pension of an enterprise employee (State Council 2005 No. 38):
///
/// - basic = (C + C * Z) / 2 * N * 1%, with C the local average monthly wage of the previous
///   year, Z the average contribution index and N = `contribution_months` / 12 years;
/// - account part = personal-account balance / the divisor for the retirement age;
/// - total = basic + account part.
///
/// Each part is computed exactly and rounded half-up to the fen once [unsure: local
/// practice]. A provincial transitional pension, if any, is added by the caller through
/// [`TransitionalPension`].
pub fn pension(
    average_monthly_wage_fen: i64,
    index: ContributionIndex,
    contribution_months: u32,
    account_balance_fen: i64,
    retirement_age_years: u32,
) -> Result<PensionAmounts, InsuranceError> {
    if average_monthly_wage_fen <= 0 {
        return Err(InsuranceError::InvalidParameters {
            reason: "average_monthly_wage_fen must be positive",
        });
    }
    if account_balance_fen < 0 {
        return Err(InsuranceError::InvalidParameters {
            reason: "account_balance_fen must not be negative",
        });
    }
    let divisor =
        account_divisor(retirement_age_years).ok_or(InsuranceError::AgeOutsideDivisorTable {
            age_years: retirement_age_years,
        })?;
    // C * (1 + Z) / 2 * (months / 12) * 1%, with Z in ten-thousandths: all multiplications
    // first, one division. At most 9.3e18 * 40 000 * 4.3e9 < 1.6e33, far inside i128.
    let numerator = i128::from(average_monthly_wage_fen)
        * i128::from(TEN_THOUSANDTHS_PER_WHOLE + index.0)
        * i128::from(contribution_months);
    let denominator = 2 * i128::from(TEN_THOUSANDTHS_PER_WHOLE) * 12 * 100;
    let basic_fen = round_half_up(numerator, denominator);
    let account_fen = round_half_up(i128::from(account_balance_fen), i128::from(divisor));
    Ok(PensionAmounts {
        basic_fen,
        account_fen,
        total_fen: basic_fen.saturating_add(account_fen),
    })
}

/// The transitional pension for contribution time before personal accounts existed (the
/// "deemed contribution" years). Each province sets its own formula [unsure: provincial], so
/// it is a pluggable rule.
pub trait TransitionalPension {
    /// The monthly transitional pension in fen.
    fn monthly_fen(
        &self,
        months_before_accounts: u32,
        average_monthly_wage_fen: i64,
        index: ContributionIndex,
    ) -> i64;
}

/// A region without a transitional pension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoTransitionalPension;

impl TransitionalPension for NoTransitionalPension {
    fn monthly_fen(&self, _: u32, _: i64, _: ContributionIndex) -> i64 {
        0
    }
}

/// The common provincial form C * Z * (months before accounts / 12) * coefficient, with the
/// coefficient (often 1.0-1.4%) in ppm [unsure: provincial].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoefficientTransitionalPension {
    pub coefficient_ppm: u32,
}

impl TransitionalPension for CoefficientTransitionalPension {
    fn monthly_fen(
        &self,
        months_before_accounts: u32,
        average_monthly_wage_fen: i64,
        index: ContributionIndex,
    ) -> i64 {
        // Checked because four factors of up to 64 and 32 bits can exceed i128; an overflow
        // saturates, like every other amount here.
        let numerator = i128::from(average_monthly_wage_fen)
            .checked_mul(i128::from(index.0))
            .and_then(|product| product.checked_mul(i128::from(months_before_accounts)))
            .and_then(|product| product.checked_mul(i128::from(self.coefficient_ppm)))
            .unwrap_or(i128::MAX);
        let denominator = i128::from(TEN_THOUSANDTHS_PER_WHOLE) * 12 * PPM_PER_WHOLE;
        round_half_up(numerator, denominator)
    }
}

/// The interest credited to a personal pension account for one year at the national rate
/// (Social Insurance Law Art. 14), rounded half-up to the fen.
#[must_use]
pub fn yearly_interest_fen(balance_fen: i64, rate_ppm: u32) -> i64 {
    amount(balance_fen, rate_ppm)
}

/// The longest unemployment benefit in months (Regulations on Unemployment Insurance 1999
/// Art. 17; benefits.md).
///
/// At least 12 months of contributions are needed (Art. 14: one year), else 0. Then 1 to <5
/// years give 12 months, 5 to <10 give 18 and 10 or more 24. Unused months of the previous
/// spell are added, capped at 24. Carried-over months alone do not make an ineligible person
/// eligible [unsure: some localities pay them out anyway].
#[must_use]
pub fn unemployment_benefit_months(contribution_months: u32, carried_over_months: u32) -> u32 {
    let months: u32 = match contribution_months {
        0..12 => return 0,
        12..60 => 12,
        60..120 => 18,
        _ => 24,
    };
    months.saturating_add(carried_over_months).min(24)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests;
