//! What employer and employee pay: the region's contribution parameters, the base band, the
//! amount per insurance, work-injury rates, a flexible worker's line and the share credited to
//! the personal pension account.

use super::{Insurance, InsuranceError, PPM_PER_WHOLE, round_half_up};

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
