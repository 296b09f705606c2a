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
    /// How the last job ended, as its employer reported it (none: not reported).
    pub leaving: Option<Leaving>,
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
    /// No employer reported the end of the person's job.
    NoLeaverReport,
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
            Ineligible::NoLeaverReport => "no_leaver_report",
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
            Ineligible::NoLeaverReport => {
                f.write_str("no employer has reported the end of the person's job")
            }
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
    match claim.leaving {
        None => return Err(Ineligible::NoLeaverReport),
        Some(Leaving::Voluntary) => return Err(Ineligible::LeftVoluntarily),
        Some(Leaving::Involuntary) => {}
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

/// Where a spell of unemployment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpellStatus {
    /// Registered as unemployed; the claim waits for the bureau's decision.
    Registered,
    /// The claim is approved: the benefit is paid month by month.
    Approved,
    /// The claim is refused (the code of [`Ineligible`] says why).
    Refused,
    /// The benefit stopped early ([`StopReason`]).
    Stopped,
    /// Every month granted is paid.
    Ended,
}

impl SpellStatus {
    pub const ALL: [SpellStatus; 5] = [
        SpellStatus::Registered,
        SpellStatus::Approved,
        SpellStatus::Refused,
        SpellStatus::Stopped,
        SpellStatus::Ended,
    ];

    /// The stable name; never renamed.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            SpellStatus::Registered => "registered",
            SpellStatus::Approved => "approved",
            SpellStatus::Refused => "refused",
            SpellStatus::Stopped => "stopped",
            SpellStatus::Ended => "ended",
        }
    }

    #[must_use]
    pub fn parse(input: &str) -> Option<SpellStatus> {
        SpellStatus::ALL.into_iter().find(|s| s.as_str() == input)
    }

    /// Whether the spell is still open: a person has at most one open spell.
    #[must_use]
    pub const fn is_open(self) -> bool {
        matches!(self, SpellStatus::Registered | SpellStatus::Approved)
    }
}

/// What came of a referral of a registered unemployed person to a vacancy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferralOutcome {
    /// Hired: the person is re-employed and the benefit stops.
    Hired,
    /// The employer did not hire them.
    NotHired,
    /// The person refused with a reason the bureau accepts.
    RefusedWithReason,
    /// The person refused suitable work without good reason: counts toward the stop.
    RefusedWithoutReason,
}

impl ReferralOutcome {
    pub const ALL: [ReferralOutcome; 4] = [
        ReferralOutcome::Hired,
        ReferralOutcome::NotHired,
        ReferralOutcome::RefusedWithReason,
        ReferralOutcome::RefusedWithoutReason,
    ];

    /// The stable names, in the order of [`ReferralOutcome::ALL`].
    pub const NAMES: [&'static str; 4] = [
        "hired",
        "not_hired",
        "refused_with_reason",
        "refused_without_reason",
    ];

    /// The stable name; never renamed.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ReferralOutcome::Hired => Self::NAMES[0],
            ReferralOutcome::NotHired => Self::NAMES[1],
            ReferralOutcome::RefusedWithReason => Self::NAMES[2],
            ReferralOutcome::RefusedWithoutReason => Self::NAMES[3],
        }
    }

    #[must_use]
    pub fn parse(input: &str) -> Option<ReferralOutcome> {
        ReferralOutcome::ALL
            .into_iter()
            .find(|o| o.as_str() == input)
    }

    /// Whether this outcome counts as a refusal of suitable work (Art. 51).
    #[must_use]
    pub const fn counts_as_refusal(self) -> bool {
        matches!(self, ReferralOutcome::RefusedWithoutReason)
    }
}

/// What came of a referral to a vocational-training course: the person enrolled, or refused
/// (with a reason the bureau accepts, or without one, which counts toward the stop as a
/// refusal of suitable work does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrainingReferralOutcome {
    Enrolled,
    RefusedWithReason,
    RefusedWithoutReason,
}

impl TrainingReferralOutcome {
    pub const ALL: [TrainingReferralOutcome; 3] = [
        TrainingReferralOutcome::Enrolled,
        TrainingReferralOutcome::RefusedWithReason,
        TrainingReferralOutcome::RefusedWithoutReason,
    ];

    /// The stable names, in the order of [`TrainingReferralOutcome::ALL`].
    pub const NAMES: [&'static str; 3] =
        ["enrolled", "refused_with_reason", "refused_without_reason"];

    /// The stable name; never renamed.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            TrainingReferralOutcome::Enrolled => Self::NAMES[0],
            TrainingReferralOutcome::RefusedWithReason => Self::NAMES[1],
            TrainingReferralOutcome::RefusedWithoutReason => Self::NAMES[2],
        }
    }

    #[must_use]
    pub fn parse(input: &str) -> Option<TrainingReferralOutcome> {
        TrainingReferralOutcome::ALL
            .into_iter()
            .find(|o| o.as_str() == input)
    }

    /// As a referral to work, for the count of refusals that stops a benefit: an enrolment
    /// counts nothing and stops nothing (as work not offered), a refusal counts alike.
    #[must_use]
    pub const fn as_referral_outcome(self) -> ReferralOutcome {
        match self {
            TrainingReferralOutcome::Enrolled => ReferralOutcome::NotHired,
            TrainingReferralOutcome::RefusedWithReason => ReferralOutcome::RefusedWithReason,
            TrainingReferralOutcome::RefusedWithoutReason => ReferralOutcome::RefusedWithoutReason,
        }
    }
}

/// What a recorded referral outcome does to the spell it was made in: the refusals on
/// record afterwards, and the stop it brings, if any (re-employment on a hire; a refusal
/// of suitable work once they reach the region's count). `parameters` are read only for a
/// refusal (without them a refusal is counted and stops nothing).
#[must_use]
pub fn after_referral(
    outcome: ReferralOutcome,
    refusals: u32,
    parameters: Option<&UnemploymentParameters>,
) -> (u32, Option<StopReason>) {
    let refusals = refusals.saturating_add(u32::from(outcome.counts_as_refusal()));
    let stop = match (outcome, parameters) {
        (ReferralOutcome::Hired, _) => Some(StopReason::Reemployed),
        (ReferralOutcome::RefusedWithoutReason, Some(parameters))
            if refusals_stop(refusals, parameters) =>
        {
            Some(StopReason::RefusedWork)
        }
        _ => None,
    };
    (refusals, stop)
}

/// The unused months of a spell that a later spell adds (Art. 17): what was granted and not
/// paid, when the spell stopped for a reason that keeps them; none otherwise.
#[must_use]
pub fn unused_months(
    status: SpellStatus,
    stop: Option<StopReason>,
    granted: u32,
    paid: u32,
) -> u32 {
    match (status, stop) {
        (SpellStatus::Stopped, Some(reason)) if reason.keeps_unused_months() => {
            granted.saturating_sub(paid)
        }
        _ => 0,
    }
}

/// A version of a region's benefit parameters (issue 17): the unemployment benefit and its
/// bounds, the maternity allowance's divisor, and the national figure the work-death
/// benefit is counted on. Versioned region data, never constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BenefitParameters {
    pub unemployment: UnemploymentParameters,
    /// Days a monthly wage is divided by for the maternity allowance (30 by custom).
    pub maternity_divisor_days: u32,
    /// The previous year's national urban per-capita disposable income, yearly.
    pub national_disposable_income_fen: i64,
    /// The region's training rules; versions set before vocational training have none,
    /// and its courses are refused `no_parameters` while they are in force.
    pub training: Option<crate::employment::training::TrainingParameters>,
}

impl BenefitParameters {
    /// Checks every value: the unemployment parameters first, then a divisor of 28 to 31
    /// days (a month's length) and a positive national income.
    pub fn validate(&self) -> Result<(), InsuranceError> {
        self.unemployment.validate()?;
        if !(28..=31).contains(&self.maternity_divisor_days) {
            return Err(InsuranceError::InvalidParameters {
                reason: "the maternity divisor must be 28 to 31 days",
            });
        }
        if !(1..=super::WAGE_FEN_MAX).contains(&self.national_disposable_income_fen) {
            return Err(InsuranceError::InvalidParameters {
                reason: "the national disposable income must be from 1 to 1000000000000 fen",
            });
        }
        if let Some(training) = &self.training {
            training
                .validate()
                .map_err(|reason| InsuranceError::InvalidParameters { reason })?;
        }
        Ok(())
    }

    /// Values of the order a Chinese region sets, used by demo data and tests.
    #[must_use]
    pub fn example() -> BenefitParameters {
        BenefitParameters {
            unemployment: UnemploymentParameters {
                monthly_benefit_fen: 180_000,
                minimum_wage_fen: 250_000,
                minimum_living_allowance_fen: 110_000,
                refusals_to_stop: 2,
            },
            maternity_divisor_days: 30,
            national_disposable_income_fen: 5_431_600,
            training: Some(crate::employment::training::TrainingParameters {
                attendance_percent: 80,
                subsidy_max_fen: 300_000,
            }),
        }
    }
}
