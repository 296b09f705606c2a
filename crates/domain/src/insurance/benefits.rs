//! What the insurances pay out: retirement age under the 2025 reform, the minimum months, the
//! average contribution index, the basic and personal-account pension, the account's yearly
//! interest and the months of unemployment benefit.

use std::fmt;

use super::contribution::amount;
use super::{
    InsuranceError, Month, PPM_PER_WHOLE, REFORM_START, TEN_THOUSANDTHS_PER_WHOLE, round_half_up,
};
use crate::time::digits_value;

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
    pub const fn as_str(self) -> &'static str {
        match self {
            RetirementCategory::Male => "male",
            RetirementCategory::Female55 => "female-55",
            RetirementCategory::Female50 => "female-50",
        }
    }

    /// Every name [`RetirementCategory::parse`] accepts, as a JSON Schema `enum`.
    pub const NAMES: [&'static str; 3] = names_of!(RetirementCategory, 3);

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

    /// What [`ContributionIndex::parse`] accepts (after the callers' trim), as a JSON Schema
    /// pattern: 0.6 to 3.0 with at most 4 decimals (a leading zero on 1, 2 or 3, which the
    /// parser also reads, is left out).
    pub const PATTERN: &'static str =
        r"^\s*(0\.[6-9][0-9]{0,3}|[12](\.[0-9]{1,4})?|3(\.0{1,4})?)\s*$";

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
