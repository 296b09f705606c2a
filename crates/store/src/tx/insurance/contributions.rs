//! Contributions: what each person owes or paid per insurance and month, read per person,
//! per employer and month, and summed into arrears. Their inserts are in the bulk module beside.

use shebao_domain::ids::{EmployerId, PersonId};
use shebao_domain::insurance::{Insurance, Month};
use shebao_domain::time::Timestamp;

use crate::StoreError;
use crate::codec::{Cols, table};
use crate::records::{ArrearsRecord, ContributionRecord, PaymentOrderRecord};
use crate::tx::{Tx, accessors};

table! {
    /// The columns of a contribution, in the order the bulk inserts write them.
    pub(super) mod contributions: ContributionRecord {
        person_id, insurance, month, employer_id, region = region_code, wage_fen, base_fen,
        employer_fen, individual_fen, account_fen, status, declaration_id, declared_at, paid_at,
    }
}

pub(super) const CONTRIBUTION_COLUMNS: &str = contributions::LIST;

table! {
    /// The columns of an employer's order to pay a month.
    mod payment_orders: PaymentOrderRecord {
        employer_id, month, total_fen, ordered_by, ordered_at, paid_at,
    }
}

/// Most orders waiting one employer's list reads (one a month owed).
const PENDING_ORDERS_MAX: i64 = 240;

impl Tx<'_> {
    /// A person's contributions, oldest first, optionally of one insurance.
    pub fn contributions_of_person(
        &mut self,
        person: &PersonId,
        insurance: Option<Insurance>,
    ) -> Result<Vec<ContributionRecord>, StoreError> {
        self.find_all(
            "WHERE person_id = $1 \
                 AND (CAST($2 AS TEXT) IS NULL OR insurance = $2) ORDER BY month, insurance",
            &[
                person.as_str().into(),
                insurance.map(|i| i.as_str().to_owned()).into(),
            ],
        )
    }

    accessors! {
        /// An employer's owed contributions of one month.
        pub fn owed_contributions(employer: &EmployerId, month: Month) -> Vec<ContributionRecord>
            = "WHERE employer_id = $1 AND month = $2 AND status = 'owed' \
               ORDER BY person_id, insurance";
    }

    /// Records an employer's order to pay a month, replacing an earlier order of that month.
    pub fn order_payment(&mut self, order: &PaymentOrderRecord) -> Result<(), StoreError> {
        self.run(
            "INSERT INTO payment_orders (employer_id, month, total_fen, ordered_by, ordered_at, paid_at) \
             VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT (employer_id, month) DO UPDATE SET \
             total_fen = excluded.total_fen, ordered_by = excluded.ordered_by, \
             ordered_at = excluded.ordered_at, paid_at = NULL",
            &[
                order.employer_id.as_str().into(),
                order.month.to_string().into(),
                order.total_fen.into(),
                order.ordered_by.as_str().into(),
                order.ordered_at.unix_seconds().into(),
            ],
        )
    }

    /// An employer's orders whose money has not been recorded as arrived, by month (at most
    /// 240, twenty years of months).
    pub fn pending_payment_orders(
        &mut self,
        employer: &EmployerId,
    ) -> Result<Vec<PaymentOrderRecord>, StoreError> {
        self.find_all(
            "WHERE employer_id = $1 AND paid_at IS NULL ORDER BY month LIMIT $2",
            &[employer.as_str().into(), PENDING_ORDERS_MAX.into()],
        )
    }

    /// Settles the order of an employer's month, if one waits, as paid at `paid_at`.
    pub fn settle_payment_order(
        &mut self,
        employer: &EmployerId,
        month: Month,
        paid_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.run(
            "UPDATE payment_orders SET paid_at = $3 \
             WHERE employer_id = $1 AND month = $2 AND paid_at IS NULL",
            &[
                employer.as_str().into(),
                month.to_string().into(),
                paid_at.unix_seconds().into(),
            ],
        )
    }

    /// Marks one contribution paid (late payment keeps its month; `paid_at` tells when).
    pub fn mark_contribution_paid(
        &mut self,
        record: &ContributionRecord,
        paid_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.exec_versioned(
            "contribution",
            "UPDATE contributions SET status = 'paid', paid_at = $4 \
             WHERE person_id = $1 AND insurance = $2 AND month = $3 AND status = 'owed'",
            &[
                record.person_id.as_str().into(),
                record.insurance.as_str().into(),
                record.month.to_string().into(),
                paid_at.unix_seconds().into(),
            ],
        )
    }

    /// An employer's owed contributions, summed by month.
    pub fn arrears(&mut self, employer: &EmployerId) -> Result<Vec<ArrearsRecord>, StoreError> {
        self.all(
            "SELECT month, COUNT(*), CAST(SUM(employer_fen) AS BIGINT), CAST(SUM(individual_fen) AS BIGINT) \
             FROM contributions WHERE employer_id = $1 AND status = 'owed' GROUP BY month ORDER BY month",
            &[employer.as_str().into()],
            |row| {
                let c = Cols::new(row, "contributions");
                Ok(ArrearsRecord { month: c.month(0)?, rows: c.int(1)?, employer_fen: c.int(2)?, individual_fen: c.int(3)? })
            },
        )
    }

    /// Every contribution row recorded (for benchmarks and statistics).
    pub fn contribution_count(&mut self) -> Result<i64, StoreError> {
        self.int_or_zero("SELECT COUNT(*) FROM contributions", &[], "contributions")
    }
}
