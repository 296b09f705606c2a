//! Work injury: the region's pool of appraisal experts, recognition cases, appraisals with
//! their drawn panels, the settled disability benefits, and a worker's contribution bases
//! before an injury.

use shebao_domain::ids::{EmployerId, PersonId, RegionCode};
use shebao_domain::insurance::Month;

use crate::StoreError;
use crate::codec::{Cols, table};
use crate::records::{
    InjuryAppraisalRecord, InjuryCaseRecord, InjuryDeathRecord, InjuryExpertRecord,
    InjuryPensionRecord, InjurySettlementRecord,
};
use crate::tx::{Tx, accessors};

table! {
    /// The columns of an appraisal expert.
    mod injury_experts: InjuryExpertRecord {
        id, region = region_code, code, specialty, employer_id, active, added_by, added_at,
        version,
    }
}

table! {
    /// The columns of a recognition case.
    mod injury_cases: InjuryCaseRecord {
        id, person_id, employer_id, region = region_code, injured_on, applicant, applied_on,
        due_on, status, applied_by, applied_at, decided_by, decided_at, decision_note, version,
    }
}

table! {
    /// The columns of an appraisal.
    mod injury_appraisals: InjuryAppraisalRecord {
        id, case_id, kind, requested_on, panel_size, seed, pool, panel, drawn_by, drawn_at, due_on, status, grade,
        care_level, concluded_by, concluded_on, version,
    }
}

table! {
    /// The columns of a settlement.
    mod injury_settlements: InjurySettlementRecord {
        case_id, appraisal_id, grade, own_wage_fen, local_average_fen, minimum_wage_fen,
        wage_fen, one_time_fen, monthly_fen, payer, care_fen, transfer_id, settled_by,
        settled_at,
    }
}

table! {
    /// The columns of a monthly benefit.
    mod injury_pensions: InjuryPensionRecord {
        id, case_id, region = region_code, person_id, kind, monthly_fen, from_month,
        ended_month, created_at, version,
    }
}

table! {
    /// The columns of a work death's settlement.
    mod injury_deaths: InjuryDeathRecord {
        case_id, person_id, died_on, recipient_id, wage_fen, funeral_fen, one_time_fen,
        funeral_transfer_id, one_time_transfer_id, overpaid_fen, overpaid_transfer_id, note,
        settled_by, settled_at,
    }
}

/// The most cases, appraisals or experts one list answers.
pub const INJURY_LISTED_MAX: i64 = 500;

impl Tx<'_> {
    accessors! {
        /// An expert by id.
        pub fn injury_expert(id: &str) -> Option<InjuryExpertRecord> = "WHERE id = $1";
        /// A region's experts by code, at most `limit`.
        pub fn injury_experts_of(region: &RegionCode, limit: i64) -> Vec<InjuryExpertRecord>
            = "WHERE region_code = $1 ORDER BY code LIMIT $2";
        /// A case by id.
        pub fn injury_case(id: &str) -> Option<InjuryCaseRecord> = "WHERE id = $1";
        /// A person's cases, newest first.
        pub fn injury_cases_of(person: &PersonId, limit: i64) -> Vec<InjuryCaseRecord>
            = "WHERE person_id = $1 ORDER BY applied_at DESC, id DESC LIMIT $2";
        /// An employer's cases, newest first.
        pub fn injury_cases_of_employer(employer: &EmployerId, limit: i64)
            -> Vec<InjuryCaseRecord>
            = "WHERE employer_id = $1 ORDER BY applied_at DESC, id DESC LIMIT $2";
        /// The cases in `status`, oldest first.
        pub fn injury_cases_with_status(status: &str, limit: i64) -> Vec<InjuryCaseRecord>
            = "WHERE status = $1 ORDER BY applied_at, id LIMIT $2";
        /// The cases whose panel is drawn and has not concluded, oldest first: the
        /// committee's work in hand.
        pub fn injury_cases_before_committee(limit: i64) -> Vec<InjuryCaseRecord>
            = "WHERE id IN (SELECT case_id FROM injury_appraisals WHERE status = 'drawn') \
               ORDER BY applied_at, id LIMIT $1";
        /// An appraisal by id.
        pub fn injury_appraisal(id: &str) -> Option<InjuryAppraisalRecord> = "WHERE id = $1";
        /// A case's last `limit` appraisals, newest first.
        pub fn injury_appraisals_of(case: &str, limit: i64) -> Vec<InjuryAppraisalRecord>
            = "WHERE case_id = $1 ORDER BY drawn_at DESC, id DESC LIMIT $2";
        /// A case's settlement.
        pub fn injury_settlement(case: &str) -> Option<InjurySettlementRecord>
            = "WHERE case_id = $1";
        /// A case's work-death settlement.
        pub fn injury_death(case: &str) -> Option<InjuryDeathRecord> = "WHERE case_id = $1";
        /// A worker's work-death settlement, of whichever case.
        pub fn injury_death_of_person(person: &PersonId) -> Option<InjuryDeathRecord>
            = "WHERE person_id = $1";
        /// A case's monthly benefits (a handful: the disability and care allowances, a
        /// dependant's pension each), in the order made: of one moment, the disability
        /// allowance before the care allowance.
        pub fn injury_pensions_of(case: &str) -> Vec<InjuryPensionRecord>
            = "WHERE case_id = $1 ORDER BY created_at, kind DESC, id LIMIT 50";
        /// A region's monthly benefits due in `month` after `after` (an id), by id, at most
        /// `limit`: a payout's page (months compare as their `YYYY-MM` text).
        pub fn injury_pensions_page(region: &RegionCode, month: Month, after: &str, limit: i64)
            -> Vec<InjuryPensionRecord>
            = "WHERE region_code = $1 AND from_month <= $2 \
               AND (ended_month IS NULL OR ended_month > $2) AND id > $3 ORDER BY id LIMIT $4";
    }

    /// Adds an expert to a region's pool; a code the region already has conflicts.
    pub fn insert_injury_expert(&mut self, expert: &InjuryExpertRecord) -> Result<(), StoreError> {
        self.insert_new_version(expert)
    }

    /// Records a new case; a second case of a person for a day, while the first is not
    /// refused, conflicts.
    pub fn insert_injury_case(&mut self, case: &InjuryCaseRecord) -> Result<(), StoreError> {
        self.insert_new_version(case)
    }

    /// Saves a case's decision over the version read.
    pub fn save_injury_case(&mut self, case: &InjuryCaseRecord) -> Result<(), StoreError> {
        self.update_versioned(
            "injury case",
            "UPDATE injury_cases SET status = $1, decided_by = $2, decided_at = $3, \
             decision_note = $4, version = version + 1 WHERE id = $5 AND version = $6",
            vec![
                case.status.as_str().into(),
                case.decided_by.clone().into(),
                case.decided_at
                    .map(shebao_domain::time::Timestamp::unix_seconds)
                    .into(),
                case.decision_note.clone().into(),
                case.id.as_str().into(),
            ],
            case.version,
        )
    }

    /// Records a drawn panel; a second open appraisal of a case, or a second first
    /// appraisal, conflicts.
    pub fn insert_injury_appraisal(
        &mut self,
        appraisal: &InjuryAppraisalRecord,
    ) -> Result<(), StoreError> {
        self.insert_new_version(appraisal)
    }

    /// Saves an appraisal's conclusion over the version read.
    pub fn save_injury_appraisal(
        &mut self,
        appraisal: &InjuryAppraisalRecord,
    ) -> Result<(), StoreError> {
        self.update_versioned(
            "injury appraisal",
            "UPDATE injury_appraisals SET status = $1, grade = $2, care_level = $3, \
             concluded_by = $4, concluded_on = $5, version = version + 1 \
             WHERE id = $6 AND version = $7",
            vec![
                appraisal.status.as_str().into(),
                appraisal.grade.into(),
                appraisal.care_level.clone().into(),
                appraisal.concluded_by.clone().into(),
                appraisal.concluded_on.map(|d| d.to_string()).into(),
                appraisal.id.as_str().into(),
            ],
            appraisal.version,
        )
    }

    /// Records a case's settlement; a second one conflicts.
    pub fn insert_injury_settlement(
        &mut self,
        settlement: &InjurySettlementRecord,
    ) -> Result<(), StoreError> {
        self.insert_row(settlement)
    }

    /// Records a monthly benefit; a second of a kind for a person on a case conflicts.
    pub fn insert_injury_pension(
        &mut self,
        pension: &InjuryPensionRecord,
    ) -> Result<(), StoreError> {
        self.insert_new_version(pension)
    }

    /// Ends a monthly benefit from `ended_month` (the first month not paid), over the
    /// version read.
    pub fn end_injury_pension(&mut self, pension: &InjuryPensionRecord) -> Result<(), StoreError> {
        self.update_versioned(
            "injury pension",
            "UPDATE injury_pensions SET ended_month = $1, version = version + 1 \
             WHERE id = $2 AND version = $3",
            vec![
                pension.ended_month.map(|m| m.to_string()).into(),
                pension.id.as_str().into(),
            ],
            pension.version,
        )
    }

    /// Records a work death's settlement; a second one of a case conflicts.
    pub fn insert_injury_death(&mut self, death: &InjuryDeathRecord) -> Result<(), StoreError> {
        self.insert_row(death)
    }

    /// The payments to `person` of benefit `kind` whose period begins with `prefix` (a
    /// monthly benefit's id and a colon): each period with its amount. A benefit pays once a
    /// month, so there are as many as months paid.
    pub fn benefit_payments_with_prefix(
        &mut self,
        person: &PersonId,
        kind: &str,
        prefix: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        // An id holds letters, digits and `_`, which LIKE reads as any one character: it
        // still matches only this id, every id having `_` at the same place.
        self.all(
            "SELECT period, amount_fen FROM benefit_payments \
             WHERE person_id = $1 AND kind = $2 AND period LIKE $3",
            &[
                person.as_str().into(),
                kind.into(),
                format!("{prefix}%").into(),
            ],
            |row| {
                let c = Cols::new(row, "benefit_payments");
                Ok((c.text(0)?, c.int(1)?))
            },
        )
    }

    /// A person's declared contribution bases of `insurance` from `first` to `last`, summed:
    /// (bases, months). Their quotient is the average monthly contribution wage.
    pub fn person_bases(
        &mut self,
        person: &PersonId,
        insurance: &str,
        first: Month,
        last: Month,
    ) -> Result<(i64, i64), StoreError> {
        let found = self.one(
            "SELECT CAST(COALESCE(SUM(base_fen), 0) AS BIGINT), COUNT(*) FROM contributions \
             WHERE person_id = $1 AND insurance = $2 AND month >= $3 AND month <= $4",
            &[
                person.as_str().into(),
                insurance.into(),
                first.to_string().into(),
                last.to_string().into(),
            ],
            |row| {
                let c = Cols::new(row, "contributions");
                Ok((c.int(0)?, c.int(1)?))
            },
        )?;
        Ok(found.unwrap_or((0, 0)))
    }
}
