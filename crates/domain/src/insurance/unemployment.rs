//! Unemployment insurance (Regulations on Unemployment Insurance 1999; Social Insurance Law
//! Arts. 45-52; benefits.md): the employer's report of a leaver, the eligibility of a claim
//! and its months, the region's benefit parameters, the months a spell pays, why it stops,
//! and what a fraud is owed back.

use super::{InsuranceError, Month, unemployment_benefit_months};
use crate::time::Date;

/// Days after the last working day within which the employer reports a leaver (Social
/// Insurance Law Art. 50: 15 days; the 1999 Regulations, Art. 16, said 7). A national rule,
/// not a region's.
pub const LEAVER_REPORT_DAYS: i64 = 15;

/// How a job ended, as the employer reports it: only an involuntary loss is insured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Leaving {
    /// Ended against the person's will: dismissed, laid off, a fixed-term contract the
    /// employer did not renew, the employer closed.
    Involuntary,
    /// The person resigned.
    Voluntary,
}

impl Leaving {
    pub const ALL: [Leaving; 2] = [Leaving::Involuntary, Leaving::Voluntary];

    /// The stable name; never renamed.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Leaving::Involuntary => "involuntary",
            Leaving::Voluntary => "voluntary",
        }
    }

    #[must_use]
    pub fn parse(input: &str) -> Option<Leaving> {
        Leaving::ALL.into_iter().find(|l| l.as_str() == input)
    }
}

/// Whether a leaver's report, made on `reported_on` for a job whose last day was `left_on`,
/// is late (more than [`LEAVER_REPORT_DAYS`] after). A late report is still taken — the
/// person must not lose the benefit for the employer's delay — and recorded as late. A
/// report of a day still to come is refused.
pub fn leaver_report_late(left_on: Date, reported_on: Date) -> Result<bool, InsuranceError> {
    let days = reported_on.days_since_epoch() - left_on.days_since_epoch();
    if days < 0 {
        return Err(InsuranceError::InvalidParameters {
            reason: "the last working day is still to come",
        });
    }
    Ok(days > LEAVER_REPORT_DAYS)
}

/// A region's unemployment benefit parameters (versioned region data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnemploymentParameters {
    /// The monthly benefit (set by the province).
    pub monthly_benefit_fen: i64,
    /// The local minimum monthly wage: the benefit stays below it.
    pub minimum_wage_fen: i64,
    /// The urban minimum living allowance: the benefit is not below it.
    pub minimum_living_allowance_fen: i64,
    /// Refusals of suitable work or training without good reason that stop the benefit
    /// (Art. 51 names the refusal; the count is the local rule, 2 by the issue).
    pub refusals_to_stop: u32,
}

impl UnemploymentParameters {
    /// Checks the province's amount against its bounds: the living allowance ≤ the benefit
    /// < the minimum wage, all positive; 1 to 5 refusals.
    pub fn validate(&self) -> Result<(), InsuranceError> {
        let invalid = |reason| Err(InsuranceError::InvalidParameters { reason });
        if self.minimum_living_allowance_fen <= 0 || self.minimum_wage_fen <= 0 {
            return invalid("the minimum wage and living allowance must be positive");
        }
        if self.minimum_wage_fen > super::WAGE_FEN_MAX {
            return invalid("the minimum wage must be at most 1000000000000 fen");
        }
        if self.monthly_benefit_fen >= self.minimum_wage_fen {
            return invalid("the benefit must be below the minimum wage");
        }
        if self.monthly_benefit_fen < self.minimum_living_allowance_fen {
            return invalid("the benefit must not be below the minimum living allowance");
        }
        if !(1..=5).contains(&self.refusals_to_stop) {
            return invalid("1 to 5 refusals stop the benefit");
        }
        Ok(())
    }
}

/// What a claim is decided on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    /// Months of unemployment-insurance contributions paid, all employers together.
    pub contribution_months: u32,
    /// The unused months of the previous spell.
    pub carried_months: u32,
    /// How the last job ended.
    pub leaving: Leaving,
    /// Registered as unemployed.
    pub registered: bool,
    /// Seeking work (the registration says so; a refusal on record says otherwise).
    pub seeking_work: bool,
}

/// Why a claim is refused: the stable code of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ineligible {
    /// Fewer than 12 months contributed.
    TooFewMonths { months: u32 },
    /// The job ended by the person's own will.
    LeftVoluntarily,
    /// Not registered as unemployed.
    NotRegistered,
    /// Not seeking work.
    NotSeekingWork,
}

impl Ineligible {
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Ineligible::TooFewMonths { .. } => "contribution_period_too_short",
            Ineligible::LeftVoluntarily => "left_voluntarily",
            Ineligible::NotRegistered => "not_registered_unemployed",
            Ineligible::NotSeekingWork => "not_seeking_work",
        }
    }
}

impl std::fmt::Display for Ineligible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ineligible::TooFewMonths { months } => write!(
                f,
                "{months} months of unemployment insurance contributions, at least 12 needed"
            ),
            Ineligible::LeftVoluntarily => f.write_str("the job ended by the person's own will"),
            Ineligible::NotRegistered => f.write_str("the person is not registered as unemployed"),
            Ineligible::NotSeekingWork => f.write_str("the person is not seeking work"),
        }
    }
}

impl std::error::Error for Ineligible {}

/// The months of benefit a claim is granted (Art. 14 and 17): every condition checked in
/// the order a clerk checks them, then [`unemployment_benefit_months`].
pub fn decide_claim(claim: Claim) -> Result<u32, Ineligible> {
    if claim.contribution_months < 12 {
        return Err(Ineligible::TooFewMonths {
            months: claim.contribution_months,
        });
    }
    if claim.leaving == Leaving::Voluntary {
        return Err(Ineligible::LeftVoluntarily);
    }
    if !claim.registered {
        return Err(Ineligible::NotRegistered);
    }
    if !claim.seeking_work {
        return Err(Ineligible::NotSeekingWork);
    }
    Ok(unemployment_benefit_months(
        claim.contribution_months,
        claim.carried_months,
    ))
}

/// Whether `month` is one a spell pays: from the month of registration (`first`) for
/// `months` months, and before the month it stopped in (`stopped`, if it did; the month of
/// re-employment or of the stop is not paid).
#[must_use]
pub fn pays_month(first: Month, months: u32, stopped: Option<Month>, month: Month) -> bool {
    let Ok(months) = i32::try_from(months) else {
        return false;
    };
    month >= first && month < first.add_months(months) && stopped.is_none_or(|s| month < s)
}

/// Why a spell stops (Social Insurance Law Art. 51).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StopReason {
    Reemployed,
    Pension,
    MilitaryService,
    Emigration,
    /// Suitable work or training refused without good reason, as often as the region's
    /// [`UnemploymentParameters::refusals_to_stop`].
    RefusedWork,
    /// A fraud found: the benefit stops and what was paid is owed back.
    Fraud,
}

impl StopReason {
    pub const ALL: [StopReason; 6] = [
        StopReason::Reemployed,
        StopReason::Pension,
        StopReason::MilitaryService,
        StopReason::Emigration,
        StopReason::RefusedWork,
        StopReason::Fraud,
    ];

    /// The stable name; never renamed.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            StopReason::Reemployed => "reemployed",
            StopReason::Pension => "pension",
            StopReason::MilitaryService => "military_service",
            StopReason::Emigration => "emigration",
            StopReason::RefusedWork => "refused_work",
            StopReason::Fraud => "fraud",
        }
    }

    #[must_use]
    pub fn parse(input: &str) -> Option<StopReason> {
        StopReason::ALL.into_iter().find(|r| r.as_str() == input)
    }

    /// Whether the unused months carry over to a later spell: not after a fraud, nor once
    /// the person draws a pension (no later spell), nor after refusing work.
    #[must_use]
    pub const fn keeps_unused_months(self) -> bool {
        matches!(
            self,
            StopReason::Reemployed | StopReason::MilitaryService | StopReason::Emigration
        )
    }
}

/// Whether the refusals on record stop the benefit under `parameters`.
#[must_use]
pub fn refusals_stop(refusals: u32, parameters: &UnemploymentParameters) -> bool {
    refusals >= parameters.refusals_to_stop
}

/// What a person owes after a fraud: the benefit paid wrongly, and a fine of 1 to 3 times it
/// (Regulations on Unemployment Insurance 1999, Art. 28, as the issue and benefits.md say;
/// the later Social Insurance Law, Art. 88, says 2 to 5 times — not resolved here), set per
/// case in percent (100 to 300) and rounded half-up to the fen. Answers (repayment, fine).
pub fn fraud_owed(overpaid_fen: i64, fine_percent: u32) -> Result<(i64, i64), InsuranceError> {
    if !(1..=super::WAGE_FEN_MAX).contains(&overpaid_fen) {
        return Err(InsuranceError::InvalidParameters {
            reason: "the amount paid wrongly must be from 1 to 1000000000000 fen",
        });
    }
    if !(100..=300).contains(&fine_percent) {
        return Err(InsuranceError::InvalidParameters {
            reason: "the fine is 1 to 3 times the amount (100 to 300 percent)",
        });
    }
    let fine = super::round_half_up(i128::from(overpaid_fen) * i128::from(fine_percent), 100);
    Ok((overpaid_fen, fine))
}
