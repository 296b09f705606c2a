//! Pensions and benefits: pension awards (at most one a person) and the benefit payments
//! made, one per person, kind and period.

use shebao_domain::ids::{PersonId, RegionCode, TransferId};
use shebao_domain::insurance::Month;
use shebao_domain::time::Timestamp;

use crate::StoreError;
use crate::codec::table;
use crate::records::PensionAwardRecord;
use crate::tx::{Tx, accessors};

table! {
    /// The columns of a pension award.
    mod pension_awards: PensionAwardRecord {
        person_id, region = region_code, retirement_month, basic_fen, account_fen,
        transitional_fen, monthly_fen, awarded_at,
    }
}

impl Tx<'_> {
    accessors! {
        /// Records a pension award; a person has at most one.
        pub fn insert_pension_award(award: &PensionAwardRecord) = insert_row;
        pub fn pension_award(person: &PersonId) -> Option<PensionAwardRecord>
            = "WHERE person_id = $1";

        /// Pensions in payment in a region from `month` on.
        pub fn pension_awards_due(region: &RegionCode, month: Month) -> Vec<PensionAwardRecord>
            = "WHERE region_code = $1 AND retirement_month <= $2 ORDER BY person_id";

        /// Records that a benefit for `period` was paid; a second payment of the same period
        /// is a conflict, which makes payout runs idempotent.
        pub fn insert_benefit_payment(
            person: &PersonId,
            kind: &str,
            period: &str,
            transfer: &TransferId,
            amount_fen: i64,
            now: Timestamp,
        ) = insert(
            "benefit_payments",
            "person_id, kind, period, transfer_id, amount_fen, paid_at"
        );
    }

    pub fn benefit_paid(
        &mut self,
        person: &PersonId,
        kind: &str,
        period: &str,
    ) -> Result<bool, StoreError> {
        Ok(self
            .one(
                "SELECT 1 FROM benefit_payments WHERE person_id = $1 AND kind = $2 AND period = $3",
                &[person.as_str().into(), kind.into(), period.into()],
                |_| Ok(()),
            )?
            .is_some())
    }
}
