//! What maternity insurance pays (Special Rules on the Labour Protection of Female Employees,
//! 2012, Art. 7; Social Insurance Law Art. 56; benefits.md): the days of maternity leave and
//! the allowance for them.

use super::{InsuranceError, checked_wage, round_half_up};

/// What the leave is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MaternityEvent {
    /// A birth of `babies` (at least one), `difficult` or not.
    Birth { babies: u32, difficult: bool },
    /// A miscarriage after `pregnancy_months` whole months of pregnancy.
    Miscarriage { pregnancy_months: u32 },
}

/// The most babies of one birth the calculation takes.
pub const BABIES_MAX: u32 = 9;

/// The longest pregnancy, in months, a miscarriage can follow.
pub const PREGNANCY_MONTHS_MAX: u32 = 10;

/// The days of maternity leave for `event` (Art. 7): 98 for a birth, 15 more for a difficult
/// one and 15 more per additional baby; 15 for a miscarriage before 4 months of pregnancy and
/// 42 from 4 months.
pub fn maternity_leave_days(event: MaternityEvent) -> Result<u32, InsuranceError> {
    match event {
        MaternityEvent::Birth { babies, difficult } => {
            if !(1..=BABIES_MAX).contains(&babies) {
                return Err(InsuranceError::InvalidParameters {
                    reason: "a birth has 1 to 9 babies",
                });
            }
            Ok(98 + if difficult { 15 } else { 0 } + 15 * (babies - 1))
        }
        MaternityEvent::Miscarriage { pregnancy_months } => match pregnancy_months {
            0..4 => Ok(15),
            4..=PREGNANCY_MONTHS_MAX => Ok(42),
            _ => Err(InsuranceError::InvalidParameters {
                reason: "a pregnancy lasts at most 10 months",
            }),
        },
    }
}

/// The maternity allowance for `leave_days` (Social Insurance Law Art. 56): the employer's
/// average monthly contribution wage of the previous year ÷ `divisor_days` (a region
/// parameter, 30 where the region sets none) × the days, rounded half-up to the fen.
pub fn maternity_allowance_fen(
    average_wage_fen: i64,
    leave_days: u32,
    divisor_days: u32,
) -> Result<i64, InsuranceError> {
    checked_wage(
        average_wage_fen,
        "the average wage must be from 1 to 1000000000000 fen",
    )?;
    if divisor_days == 0 {
        return Err(InsuranceError::InvalidParameters {
            reason: "the divisor must be at least one day",
        });
    }
    Ok(round_half_up(
        i128::from(average_wage_fen) * i128::from(leave_days),
        i128::from(divisor_days),
    ))
}

/// [`maternity_allowance_fen`] on an employer's year of contribution bases (`bases_fen`
/// summed over `months` person-months) without rounding their average first: the bases ×
/// the days ÷ (the months × the divisor), rounded half-up to the fen once.
pub fn maternity_allowance_of_bases_fen(
    bases_fen: i64,
    months: i64,
    leave_days: u32,
    divisor_days: u32,
) -> Result<i64, InsuranceError> {
    if months <= 0 || bases_fen <= 0 {
        return Err(InsuranceError::InvalidParameters {
            reason: "the employer's bases of the year are needed",
        });
    }
    // The average is checked as a wage is (and the divisor), so the product below is far
    // inside `i128`.
    let average = round_half_up(i128::from(bases_fen), i128::from(months));
    maternity_allowance_fen(average, leave_days, divisor_days)?;
    Ok(round_half_up(
        i128::from(bases_fen) * i128::from(leave_days),
        i128::from(months) * i128::from(divisor_days),
    ))
}
