//! The five social insurances: contribution bases and amounts, work-injury rates, retirement
//! age under the 2025 reform, the basic pension, the personal pension account, the length
//! of unemployment benefit, and the work-injury and maternity benefits.
//!
//! Money is whole fen in `i64`, rates are parts per million in `u32`, and nothing here uses
//! floats. Every amount is computed exactly in `i128` and rounded half-up once, at the end,
//! so the order of multiplications never changes a result. The numbers a region fixes come in
//! as [`ContributionParameters`]; the rules and their vectors are in `insurance.md` and
//! `benefits.md`.

use std::fmt;

/// The names of every value of an enumeration (its `ALL` list and its `const fn as_str`),
/// computed at compile time: the `enum` a JSON Schema lists for what the parser accepts.
macro_rules! names_of {
    ($kind:ident, $count:literal) => {{
        let mut names = [""; $count];
        let mut i = 0;
        while i < names.len() {
            names[i] = $kind::ALL[i].as_str();
            i += 1;
        }
        names
    }};
}

mod benefits;
mod contribution;
mod injury;
pub mod injury_case;
mod maternity;
pub mod unemployment;

pub use benefits::{
    CoefficientTransitionalPension, ContributionIndex, NoTransitionalPension, PensionAmounts,
    Retirement, RetirementCategory, TransitionalPension, account_divisor, contribution_index,
    minimum_contribution_months, pension, retirement, unemployment_benefit_months,
    yearly_interest_fen,
};
pub use contribution::{
    ContributionLine, ContributionParameters, InsuranceRates, amount, contribution_base,
    contributions, flexible_contribution, personal_account_share, work_injury_rate_ppm,
};
pub use injury::{
    AllowancePayer, CareLevel, Dependant, DisabilityBenefits, DisabilityGrade, MonthlyAllowance,
    care_allowance_fen, dependants_pensions_fen, disability_benefits, funeral_grant_fen,
    injury_wage_fen, work_death_benefit_fen,
};
pub use maternity::{
    BABIES_MAX, MaternityEvent, PREGNANCY_MONTHS_MAX, maternity_allowance_fen,
    maternity_allowance_of_bases_fen, maternity_leave_days,
};

use crate::time::{Date, digits_value};

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
    /// Disability grades run from 1 to 10.
    InvalidDisabilityGrade { grade: u8 },
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
            InsuranceError::InvalidDisabilityGrade { .. } => "invalid_disability_grade",
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
            InsuranceError::InvalidDisabilityGrade { grade } => {
                write!(f, "disability grade {grade} does not exist (1 to 10)")
            }
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

/// What [`Month::parse`] can accept, as a JSON Schema pattern (`YYYY-MM`).
pub const MONTH_PATTERN: &str = r"^[0-9]{4}-(0[1-9]|1[0-2])$";

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

    /// Every name [`Insurance::parse`] accepts, as a JSON Schema `enum`.
    pub const NAMES: [&'static str; 5] = names_of!(Insurance, 5);

    /// The stable name, stored as text; never renamed.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
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

/// The largest wage or income a benefit is counted on: 10 billion yuan a month, far above any
/// real one, and small enough that no benefit computed from it overflows.
pub const WAGE_FEN_MAX: i64 = 1_000_000_000_000;

/// `fen` as a wage a benefit is counted on: positive and at most [`WAGE_FEN_MAX`]; `reason`
/// names it when it is not.
pub(crate) fn checked_wage(fen: i64, reason: &'static str) -> Result<i64, InsuranceError> {
    if (1..=WAGE_FEN_MAX).contains(&fen) {
        Ok(fen)
    } else {
        Err(InsuranceError::InvalidParameters { reason })
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

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests;

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod injury_tests;

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod unemployment_tests;
