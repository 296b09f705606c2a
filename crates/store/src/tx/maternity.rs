//! Maternity allowance claims, and the employer's previous-year average contribution wage
//! they are counted on.

use shebao_domain::ids::{EmployerId, PersonId};
use shebao_domain::time::Timestamp;

use crate::StoreError;
use crate::codec::{Cols, table};
use crate::records::MaternityClaimRecord;
use crate::tx::{Tx, accessors};

table! {
    /// The columns of a maternity claim.
    mod maternity_claims: MaternityClaimRecord {
        id, person_id, employer_id, region = region_code, event, babies, difficult,
        pregnancy_months, event_on, leave_days, average_wage_fen, divisor_days, allowance_fen,
        status, applied_by, applied_at, decided_by, decided_at, decision_note, transfer_id,
        version,
    }
}

/// The most claims one list answers (a person's, the bureau's queue).
pub const MATERNITY_LISTED_MAX: i64 = 200;

impl Tx<'_> {
    accessors! {
        /// A claim by its id.
        pub fn maternity_claim(id: &str) -> Option<MaternityClaimRecord> = "WHERE id = $1";
        /// A person's claims, newest first.
        pub fn maternity_claims_of(person: &PersonId, limit: i64) -> Vec<MaternityClaimRecord>
            = "WHERE person_id = $1 ORDER BY applied_at DESC, id DESC LIMIT $2";
        /// The claims in `status`, oldest first (the bureau's queue).
        pub fn maternity_claims_with_status(status: &str, limit: i64)
            -> Vec<MaternityClaimRecord>
            = "WHERE status = $1 ORDER BY applied_at, id LIMIT $2";
    }

    /// Records a new claim (at version 0); a second claim of a person for a day, while the
    /// first is not refused, conflicts.
    pub fn insert_maternity_claim(
        &mut self,
        claim: &MaternityClaimRecord,
    ) -> Result<(), StoreError> {
        self.insert_new_version(claim)
    }

    /// Saves a claim's decision and payment over the version read.
    pub fn save_maternity_claim(&mut self, claim: &MaternityClaimRecord) -> Result<(), StoreError> {
        self.update_versioned(
            "maternity claim",
            "UPDATE maternity_claims SET status = $1, decided_by = $2, decided_at = $3, \
             decision_note = $4, transfer_id = $5, version = version + 1 \
             WHERE id = $6 AND version = $7",
            vec![
                claim.status.as_str().into(),
                claim.decided_by.clone().into(),
                claim.decided_at.map(Timestamp::unix_seconds).into(),
                claim.decision_note.clone().into(),
                claim
                    .transfer_id
                    .as_ref()
                    .map(|t| t.as_str().to_owned())
                    .into(),
                claim.id.as_str().into(),
            ],
            claim.version,
        )
    }

    /// An employer's paid maternity contributions of a year, summed: (bases, rows). Their
    /// quotient is its average monthly contribution wage of the year.
    pub fn employer_year_bases(
        &mut self,
        employer: &EmployerId,
        year: i32,
    ) -> Result<(i64, i64), StoreError> {
        let first = format!("{year:04}-01");
        let last = format!("{year:04}-12");
        let found = self.one(
            "SELECT CAST(COALESCE(SUM(base_fen), 0) AS BIGINT), COUNT(*) FROM contributions \
             WHERE employer_id = $1 AND insurance = 'maternity' AND status = 'paid' \
             AND month >= $2 AND month <= $3",
            &[employer.as_str().into(), first.into(), last.into()],
            |row| {
                let c = Cols::new(row, "contributions");
                Ok((c.int(0)?, c.int(1)?))
            },
        )?;
        Ok(found.unwrap_or((0, 0)))
    }
}
