//! What the benefits of issue 17 keep: unemployment (leavers' reports, spells, referrals,
//! receivables), maternity claims, work injury (experts, cases, appraisals, settlements,
//! monthly benefits, deaths) and vocational training (providers, courses, enrolments,
//! attendance, referrals).

use shebao_domain::ids::{EmployerId, PersonId, RegionCode, TransferId};
use shebao_domain::insurance::Month;
use shebao_domain::insurance::injury_case::{AppraisalKind, InjuryApplicant};
use shebao_domain::insurance::unemployment::{Leaving, ReferralOutcome, SpellStatus, StopReason};
use shebao_domain::time::{Date, Timestamp};

/// An employer's report that a person left (issue 17): how the job ended, and whether the
/// report came more than 15 days after the last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaverReportRecord {
    pub id: String,
    pub person_id: PersonId,
    pub employer_id: EmployerId,
    pub region: RegionCode,
    pub left_on: Date,
    pub leaving: Leaving,
    pub late: bool,
    pub reported_by: String,
    pub reported_at: Timestamp,
}

/// A spell of unemployment (issue 17): registration, the bureau's decision on the claim,
/// the months paid, the refusals of suitable work, and the stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpellRecord {
    pub id: String,
    pub person_id: PersonId,
    /// The region whose fund pays: the last employer's.
    pub region: RegionCode,
    pub leaver_report_id: Option<String>,
    pub status: SpellStatus,
    pub registered_on: Date,
    pub registered_by: String,
    pub registered_at: Timestamp,
    pub contribution_months: Option<i64>,
    pub carried_months: Option<i64>,
    /// The months granted.
    pub months: Option<i64>,
    /// Why the claim was refused (an `Ineligible` code).
    pub refusal_code: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<Timestamp>,
    pub paid_months: i64,
    pub refusals: i64,
    pub stop_reason: Option<StopReason>,
    /// The first month not paid because of the stop.
    pub stopped_month: Option<Month>,
    pub stop_note: Option<String>,
    pub stopped_by: Option<String>,
    pub stopped_at: Option<Timestamp>,
    pub version: i64,
}

/// A referral of a person in an open spell to a vacancy, and its outcome (issue 17).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRecord {
    pub id: String,
    pub spell_id: String,
    pub person_id: PersonId,
    pub vacancy_id: String,
    pub note: String,
    pub referred_by: String,
    pub referred_at: Timestamp,
    pub outcome: Option<ReferralOutcome>,
    pub outcome_note: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<Timestamp>,
    pub version: i64,
}

/// What a person owes back after a fraud (issue 17): the benefit paid wrongly and the fine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivableRecord {
    pub id: String,
    pub person_id: PersonId,
    pub spell_id: String,
    /// `unemployment_fraud`, or `unemployment_overpaid` (a stop from a month already paid).
    pub kind: String,
    pub repayment_fen: i64,
    pub fine_fen: i64,
    pub fine_percent: i64,
    pub note: String,
    /// The ledger's booking of what is owed.
    pub transfer_id: TransferId,
    pub created_by: String,
    pub created_at: Timestamp,
}

/// A claim to the maternity allowance (issue 17): the event, the leave and allowance fixed
/// when applied for, the bureau's decision and the payment's transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaternityClaimRecord {
    pub id: String,
    pub person_id: PersonId,
    /// The employer whose previous-year average wage the allowance is counted on.
    pub employer_id: EmployerId,
    pub region: RegionCode,
    /// `birth` or `miscarriage`.
    pub event: String,
    pub babies: i64,
    pub difficult: bool,
    pub pregnancy_months: Option<i64>,
    pub event_on: Date,
    pub leave_days: i64,
    pub average_wage_fen: i64,
    pub divisor_days: i64,
    pub allowance_fen: i64,
    /// `applied`, `paid` or `refused`.
    pub status: String,
    pub applied_by: String,
    pub applied_at: Timestamp,
    pub decided_by: Option<String>,
    pub decided_at: Option<Timestamp>,
    pub decision_note: Option<String>,
    pub transfer_id: Option<TransferId>,
    pub version: i64,
}

/// An expert of a region's appraisal pool (issue 17, work injury), known by the committee's
/// code; never drawn for the cases of the unit they work for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjuryExpertRecord {
    pub id: String,
    pub region: RegionCode,
    pub code: String,
    pub specialty: String,
    pub employer_id: Option<EmployerId>,
    pub active: bool,
    pub added_by: String,
    pub added_at: Timestamp,
    pub version: i64,
}

/// An application for the recognition of a work injury and its decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjuryCaseRecord {
    pub id: String,
    pub person_id: PersonId,
    /// The employer whose work-injury insurance covered the day of the injury.
    pub employer_id: EmployerId,
    pub region: RegionCode,
    pub injured_on: Date,
    pub applicant: InjuryApplicant,
    pub applied_on: Date,
    /// The day the decision is due (15 days for a clear case, else 60).
    pub due_on: Date,
    /// `applied`, `recognised` or `not_recognised`.
    pub status: String,
    pub applied_by: String,
    pub applied_at: Timestamp,
    pub decided_by: Option<String>,
    pub decided_at: Option<Timestamp>,
    pub decision_note: Option<String>,
    pub version: i64,
}

/// A labour-ability appraisal asked for by a party: the panel drawn from its seed, then the
/// conclusion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjuryAppraisalRecord {
    pub id: String,
    pub case_id: String,
    pub kind: AppraisalKind,
    /// The day a party's request for it reached the committee.
    pub requested_on: Date,
    pub panel_size: i64,
    /// The draw's seed, in hex.
    pub seed: String,
    /// The ids of the experts it was drawn from (active, free of the employer), separated
    /// by spaces.
    pub pool: String,
    /// The experts' ids in the order drawn, separated by spaces.
    pub panel: String,
    pub drawn_by: String,
    pub drawn_at: Timestamp,
    pub due_on: Date,
    /// `drawn` or `concluded`.
    pub status: String,
    /// The grade 1-10; none when concluded without a disability.
    pub grade: Option<i64>,
    /// `full`, `major` or `partial` when care is needed.
    pub care_level: Option<String>,
    pub concluded_by: Option<String>,
    pub concluded_on: Option<Date>,
    pub version: i64,
}

/// A case's disability benefits, settled once on the conclusion in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjurySettlementRecord {
    pub case_id: String,
    pub appraisal_id: String,
    pub grade: i64,
    /// The average monthly contribution wage of the 12 months before the injury.
    pub own_wage_fen: i64,
    pub local_average_fen: i64,
    pub minimum_wage_fen: i64,
    /// The own wage clamped to 60%-300% of the local average.
    pub wage_fen: i64,
    pub one_time_fen: i64,
    pub monthly_fen: Option<i64>,
    /// `fund` or `employer`, with the monthly allowance.
    pub payer: Option<String>,
    pub care_fen: Option<i64>,
    pub transfer_id: TransferId,
    pub settled_by: String,
    pub settled_at: Timestamp,
}

/// A monthly benefit of a work-injury case paid from the fund: `disability` (grades 1-4),
/// `care`, or a `dependant`'s pension after a work death.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjuryPensionRecord {
    pub id: String,
    pub case_id: String,
    pub region: RegionCode,
    /// Whose card it is paid to.
    pub person_id: PersonId,
    pub kind: String,
    pub monthly_fen: i64,
    pub from_month: Month,
    /// The first month no longer paid.
    pub ended_month: Option<Month>,
    pub created_at: Timestamp,
    pub version: i64,
}

/// A work death's one-off benefits, paid to a family member's card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjuryDeathRecord {
    pub case_id: String,
    /// The worker who died.
    pub person_id: PersonId,
    pub died_on: Date,
    pub recipient_id: PersonId,
    /// The worker's wage the dependants' pensions are counted on.
    pub wage_fen: i64,
    pub funeral_fen: i64,
    pub one_time_fen: i64,
    pub funeral_transfer_id: TransferId,
    pub one_time_transfer_id: TransferId,
    /// What the fund paid the worker for months after the death, owed back.
    pub overpaid_fen: i64,
    pub overpaid_transfer_id: Option<TransferId>,
    /// What the bureau knows of the death.
    pub note: String,
    pub settled_by: String,
    pub settled_at: Timestamp,
}

/// A vocational-training provider registered by the bureau (issue 17, item 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingProviderRecord {
    pub id: String,
    pub region: RegionCode,
    pub credit_code: String,
    pub name: String,
    pub registered_by: String,
    pub registered_at: Timestamp,
}

/// A provider's course: its terms, the bureau's review, and the places taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingCourseRecord {
    pub id: String,
    pub provider_id: String,
    pub region: RegionCode,
    pub title: String,
    pub occupation: String,
    pub hours: i64,
    pub places: i64,
    pub subsidy_fen: i64,
    /// `card` or `provider`.
    pub payee: String,
    /// The share of the hours a completion needs, in percent: the region's when posted.
    pub attendance_percent: i64,
    pub starts_on: Date,
    pub ends_on: Date,
    /// `pending`, `open` or `rejected`.
    pub status: String,
    /// Places held by enrolments that are not withdrawn.
    pub taken: i64,
    pub posted_by: String,
    pub posted_at: Timestamp,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<Timestamp>,
    pub review_note: Option<String>,
    pub version: i64,
}

/// A person's enrolment in a course: the hours attended, the provider's record of
/// completion with its certificate, and the subsidy paid for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingEnrolmentRecord {
    pub id: String,
    pub course_id: String,
    pub person_id: PersonId,
    /// `enrolled`, `withdrawn`, `completed` or `not_completed`.
    pub status: String,
    pub attended_hours: i64,
    pub enrolled_by: String,
    pub enrolled_at: Timestamp,
    pub completed_on: Option<Date>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<Timestamp>,
    pub certificate_code: Option<String>,
    pub transfer_id: Option<TransferId>,
    pub paid_by: Option<String>,
    pub paid_at: Option<Timestamp>,
    pub version: i64,
}

/// One day's attendance of an enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingAttendanceRecord {
    pub enrolment_id: String,
    pub day: Date,
    pub hours: i64,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

/// A referral of the person of an open unemployment spell to a training course, and what
/// came of it (`enrolled`, `refused_with_reason` or `refused_without_reason`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingReferralRecord {
    pub id: String,
    pub spell_id: String,
    pub person_id: PersonId,
    pub course_id: String,
    pub note: String,
    pub referred_by: String,
    pub referred_at: Timestamp,
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<Timestamp>,
    pub version: i64,
}
