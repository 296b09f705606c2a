//! The monthly contribution run's storage: who is insured in a region's month, a page at a
//! time, and the record of each run.

use shebao_domain::ids::{EmployerId, PersonId, RegionCode};
use shebao_domain::insurance::Month;

use crate::StoreError;
use crate::codec::{Cols, table};
use crate::records::{ContributionRunRecord, RunCandidate};
use crate::tx::{Tx, accessors};

/// The enrolments the monthly contribution run covers: in the region, open in the month,
/// employees and flexible workers. `$1` is the region, `$2` the month.
const INSURED_IN_MONTH: &str = "e.region_code = $1 AND e.start_month <= $2 \
    AND (e.end_month IS NULL OR e.end_month >= $2) AND e.kind IN ('employee', 'flexible')";

table! {
    /// The columns of a contribution run's record.
    mod contribution_runs: ContributionRunRecord {
        id, region = region_code, month, persons, posted, rows_written, already_recorded,
        skipped_no_base, actor, started_at, finished_at,
    }
}

impl Tx<'_> {
    /// Brings the planner's statistics of the enrolments up to date before a contribution run
    /// pages through them. On PostgreSQL, enrolments written in bulk since autovacuum last
    /// looked make the planner expect a handful of rows and sort the whole rest of the region
    /// for every page (measured: 1.3 s instead of 0.1 s a page at 1,000,000 persons).
    pub fn refresh_enrolment_statistics(&mut self) -> Result<(), StoreError> {
        self.conn.refresh_statistics("enrolments")
    }

    /// How many persons are insured in `region` in `month` (employees and flexible workers).
    pub fn insured_count(&mut self, region: &RegionCode, month: Month) -> Result<i64, StoreError> {
        self.int_or_zero(
            &format!("SELECT COUNT(*) FROM enrolments e WHERE {INSURED_IN_MONTH}"),
            &[region.as_str().into(), month.to_string().into()],
            "enrolments",
        )
    }

    /// The next `limit` persons insured in `region` in `month` after person `after` (`""`
    /// for the first page), in person order: keyset paging over the (region, person) index.
    /// Each comes with the latest pension month recorded for the same payer up to `month`
    /// and its wage — one index seek per person on the contributions' primary key, made in
    /// the same statement (the two values travel as one `month|wage` text, since a scalar
    /// subquery yields one column).
    pub fn run_candidates(
        &mut self,
        region: &RegionCode,
        month: Month,
        after: &str,
        limit: usize,
    ) -> Result<Vec<RunCandidate>, StoreError> {
        let sql = format!(
            "SELECT e.person_id, e.kind, e.employer_id, e.region_code, m.risk_class, m.rate_tier_percent, \
             (SELECT c.month || '|' || CAST(c.wage_fen AS TEXT) FROM contributions c \
              WHERE c.person_id = e.person_id AND c.insurance = 'pension' AND c.month <= $2 \
              AND COALESCE(c.employer_id, '') = COALESCE(e.employer_id, '') \
              ORDER BY c.month DESC LIMIT 1) \
             FROM enrolments e LEFT JOIN employers m ON m.id = e.employer_id \
             WHERE {INSURED_IN_MONTH} AND e.person_id > $3 ORDER BY e.person_id LIMIT $4"
        );
        self.all(
            &sql,
            &[
                region.as_str().into(),
                month.to_string().into(),
                after.into(),
                i64::try_from(limit).unwrap_or(i64::MAX).into(),
            ],
            |row| {
                let c = Cols::new(row, "enrolments");
                let latest = match c.opt_text(6)? {
                    Some(text) => {
                        let (month, wage) = text.split_once('|').ok_or_else(|| c.corrupt(6))?;
                        let month = Month::parse(month).ok_or_else(|| c.corrupt(6))?;
                        Some((month, wage.parse::<i64>().map_err(|_| c.corrupt(6))?))
                    }
                    None => None,
                };
                Ok(RunCandidate {
                    person_id: PersonId::new(c.text(0)?),
                    kind: c.text(1)?,
                    employer_id: c.opt_text(2)?.map(EmployerId::new),
                    region: RegionCode::new(c.text(3)?),
                    risk_class: c.opt_int(4)?,
                    rate_tier_percent: c.opt_int(5)?,
                    latest,
                })
            },
        )
    }

    accessors! {
        pub fn insert_contribution_run(run: &ContributionRunRecord) = insert_row;

        /// The runs of a region's month, oldest first.
        pub fn contribution_runs(region: &RegionCode, month: Month) -> Vec<ContributionRunRecord>
            = "WHERE region_code = $1 AND month = $2 ORDER BY started_at, id";
    }
}
