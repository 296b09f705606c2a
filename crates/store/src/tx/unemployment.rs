//! Unemployment insurance: the region's benefit parameters, leavers' reports, spells of
//! unemployment with their decisions, payments counted and stops, referrals to vacancies,
//! and the receivables a fraud leaves.

use shebao_domain::ids::{EmployerId, PersonId, RegionCode, TransferId};
use shebao_domain::insurance::Month;
use shebao_domain::insurance::unemployment::SpellStatus;
use shebao_domain::time::{Date, Timestamp};

use crate::codec::{Cols, table};
use crate::records::{LeaverReportRecord, ReceivableRecord, ReferralRecord, SpellRecord};
use crate::tx::{Tx, accessors};
use crate::{StoreError, Val};

table! {
    /// The columns of a leaver's report.
    mod leaver_reports: LeaverReportRecord {
        id, person_id, employer_id, region = region_code, left_on, leaving, late, reported_by,
        reported_at,
    }
}

table! {
    /// The columns of a spell of unemployment.
    mod unemployment_spells: SpellRecord {
        id, person_id, region = region_code, leaver_report_id, status, registered_on,
        registered_by, registered_at, contribution_months, carried_months, months, refusal_code,
        decided_by, decided_at, paid_months, refusals, stop_reason, stopped_month, stop_note,
        stopped_by, stopped_at, version,
    }
}

table! {
    /// The columns of a referral.
    mod job_referrals: ReferralRecord {
        id, spell_id, person_id, vacancy_id, note, referred_by, referred_at, outcome,
        outcome_note, recorded_by, recorded_at, version,
    }
}

table! {
    /// The columns of a receivable.
    mod receivables: ReceivableRecord {
        id, person_id, spell_id, kind, repayment_fen, fine_fen, fine_percent, note, transfer_id,
        created_by, created_at,
    }
}

/// The most records one list of a person's (reports, spells, referrals, receivables) or one
/// queue of the bureau's answers.
pub const UNEMPLOYMENT_LISTED_MAX: u32 = 200;

impl Tx<'_> {
    accessors! {
        /// Adds a version of a region's benefit parameters; versions are never edited.
        pub fn insert_benefit_parameters(
            region: &RegionCode,
            effective_from: Date,
            body: &str,
            created_by: &str,
            now: Timestamp,
        ) = insert_version("benefit_parameters");

        /// The benefit parameters in force on `on`.
        pub fn benefit_parameters_at(region: &RegionCode, on: Date)
            -> Option<(Date, String)> = version_at("benefit_parameters");

        /// The latest report of a person leaving a job (by the last day, then when reported).
        pub fn latest_leaver_report(person: &PersonId) -> Option<LeaverReportRecord>
            = "WHERE person_id = $1 ORDER BY left_on DESC, reported_at DESC, id DESC LIMIT 1";
        /// A person's report of leaving an employer on a day, if made.
        pub fn leaver_report_of(person: &PersonId, employer: &EmployerId, left_on: Date)
            -> Option<LeaverReportRecord>
            = "WHERE person_id = $1 AND employer_id = $2 AND left_on = $3";
        /// A spell's receivable of a kind, if recorded.
        pub fn receivable_of(spell: &str, kind: &str) -> Option<ReceivableRecord>
            = "WHERE spell_id = $1 AND kind = $2";
        /// A report by its id.
        pub fn leaver_report(id: &str) -> Option<LeaverReportRecord> = "WHERE id = $1";
        /// A spell by its id.
        pub fn unemployment_spell(id: &str) -> Option<SpellRecord> = "WHERE id = $1";
        /// The person's open spell (registered or approved), if any.
        pub fn open_spell_of(person: &PersonId) -> Option<SpellRecord>
            = "WHERE person_id = $1 AND status IN ('registered', 'approved')";
        /// The person's latest spell that granted months and is over (stopped or ended): the
        /// one a new claim counts its contribution time after and takes unused months from.
        pub fn last_granted_spell_of(person: &PersonId) -> Option<SpellRecord>
            = "WHERE person_id = $1 AND status IN ('stopped', 'ended') AND months > 0 \
               ORDER BY registered_at DESC, id DESC LIMIT 1";
        /// A spell resting on a leaver's report, if any: a report backs one claim only.
        pub fn spell_resting_on(report: &str) -> Option<SpellRecord>
            = "WHERE leaver_report_id = $1 LIMIT 1";
        /// A referral by its id.
        pub fn job_referral(id: &str) -> Option<ReferralRecord> = "WHERE id = $1";
        /// The referral of a spell to a vacancy, if made.
        pub fn job_referral_of(spell: &str, vacancy: &str) -> Option<ReferralRecord>
            = "WHERE spell_id = $1 AND vacancy_id = $2";
    }

    /// Records a leaver's report.
    pub fn insert_leaver_report(&mut self, report: &LeaverReportRecord) -> Result<(), StoreError> {
        self.insert_row(report)
    }

    /// A person's leavers' reports, newest first, at most [`UNEMPLOYMENT_LISTED_MAX`].
    pub fn leaver_reports_of(
        &mut self,
        person: &PersonId,
    ) -> Result<Vec<LeaverReportRecord>, StoreError> {
        self.find_all(
            "WHERE person_id = $1 ORDER BY left_on DESC, reported_at DESC, id DESC LIMIT $2",
            &[person.as_str().into(), listed_max()],
        )
    }

    /// Records a new spell (at version 0). A second open spell of the person is refused by
    /// the store (a conflict).
    pub fn insert_unemployment_spell(&mut self, spell: &SpellRecord) -> Result<(), StoreError> {
        self.insert_new_version(spell)
    }

    /// Saves a spell's decision, payments, refusals and stop over the version read.
    pub fn save_unemployment_spell(&mut self, spell: &SpellRecord) -> Result<(), StoreError> {
        self.update_versioned(
            "unemployment spell",
            "UPDATE unemployment_spells SET status = $1, contribution_months = $2, \
             carried_months = $3, months = $4, refusal_code = $5, decided_by = $6, \
             decided_at = $7, paid_months = $8, refusals = $9, stop_reason = $10, \
             stopped_month = $11, stop_note = $12, stopped_by = $13, stopped_at = $14, \
             version = version + 1 WHERE id = $15 AND version = $16",
            vec![
                spell.status.as_str().into(),
                spell.contribution_months.into(),
                spell.carried_months.into(),
                spell.months.into(),
                spell.refusal_code.clone().into(),
                spell.decided_by.clone().into(),
                spell.decided_at.map(Timestamp::unix_seconds).into(),
                spell.paid_months.into(),
                spell.refusals.into(),
                spell.stop_reason.map(|r| r.as_str().to_owned()).into(),
                spell.stopped_month.map(|m| m.to_string()).into(),
                spell.stop_note.clone().into(),
                spell.stopped_by.clone().into(),
                spell.stopped_at.map(Timestamp::unix_seconds).into(),
                spell.id.as_str().into(),
            ],
            spell.version,
        )
    }

    /// A person's spells, newest first, at most [`UNEMPLOYMENT_LISTED_MAX`].
    pub fn spells_of(&mut self, person: &PersonId) -> Result<Vec<SpellRecord>, StoreError> {
        self.find_all(
            "WHERE person_id = $1 ORDER BY registered_at DESC, id DESC LIMIT $2",
            &[person.as_str().into(), listed_max()],
        )
    }

    /// The spells in `status`, oldest first, at most [`UNEMPLOYMENT_LISTED_MAX`] (the
    /// bureau's queue of claims to decide).
    pub fn spells_with_status(
        &mut self,
        status: SpellStatus,
    ) -> Result<Vec<SpellRecord>, StoreError> {
        self.find_all(
            "WHERE status = $1 ORDER BY registered_at, id LIMIT $2",
            &[status.as_str().into(), listed_max()],
        )
    }

    /// A region's approved spells registered after `after` (a spell id; none for the first
    /// page), in id order, at most `limit`: a payout run reads them page by page.
    pub fn approved_spells_page(
        &mut self,
        region: &RegionCode,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<SpellRecord>, StoreError> {
        self.find_all(
            "WHERE status = 'approved' AND region_code = $1 AND id > $2 ORDER BY id LIMIT $3",
            &[
                region.as_str().into(),
                after.unwrap_or("").into(),
                i64::from(limit).into(),
            ],
        )
    }

    /// Records a new referral (at version 0); a second referral of a spell to the same
    /// vacancy is a conflict.
    pub fn insert_job_referral(&mut self, referral: &ReferralRecord) -> Result<(), StoreError> {
        self.insert_new_version(referral)
    }

    /// Saves a referral's outcome over the version read.
    pub fn save_job_referral(&mut self, referral: &ReferralRecord) -> Result<(), StoreError> {
        self.update_versioned(
            "referral",
            "UPDATE job_referrals SET outcome = $1, outcome_note = $2, recorded_by = $3, \
             recorded_at = $4, version = version + 1 WHERE id = $5 AND version = $6",
            vec![
                referral.outcome.map(|o| o.as_str().to_owned()).into(),
                referral.outcome_note.clone().into(),
                referral.recorded_by.clone().into(),
                referral.recorded_at.map(Timestamp::unix_seconds).into(),
                referral.id.as_str().into(),
            ],
            referral.version,
        )
    }

    /// A person's referrals, newest first, at most [`UNEMPLOYMENT_LISTED_MAX`].
    pub fn referrals_of(&mut self, person: &PersonId) -> Result<Vec<ReferralRecord>, StoreError> {
        self.find_all(
            "WHERE person_id = $1 ORDER BY referred_at DESC, id DESC LIMIT $2",
            &[person.as_str().into(), listed_max()],
        )
    }

    /// Records a receivable; a second of the same kind on a spell is a conflict.
    pub fn insert_receivable(&mut self, receivable: &ReceivableRecord) -> Result<(), StoreError> {
        self.insert_row(receivable)
    }

    /// A person's receivables, newest first, at most [`UNEMPLOYMENT_LISTED_MAX`].
    pub fn receivables_of(
        &mut self,
        person: &PersonId,
    ) -> Result<Vec<ReceivableRecord>, StoreError> {
        self.find_all(
            "WHERE person_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
            &[person.as_str().into(), listed_max()],
        )
    }

    /// Records a month a spell paid; a second payment of the spell's month is a conflict.
    pub fn insert_unemployment_payment(
        &mut self,
        spell: &SpellRecord,
        month: Month,
        transfer: &TransferId,
        amount_fen: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.insert(
            "unemployment_payments",
            "spell_id, month, person_id, transfer_id, amount_fen, paid_at",
            &[
                spell.id.as_str().into(),
                month.to_string().into(),
                spell.person_id.as_str().into(),
                transfer.as_str().into(),
                amount_fen.into(),
                now.unix_seconds().into(),
            ],
        )
    }

    /// The months a spell paid, oldest first: (month, amount). A spell pays at most 24
    /// months; the list stops at [`UNEMPLOYMENT_LISTED_MAX`] whatever is stored.
    pub fn unemployment_payments_of(
        &mut self,
        spell: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        self.all(
            "SELECT month, amount_fen FROM unemployment_payments WHERE spell_id = $1 \
             ORDER BY month LIMIT $2",
            &[spell.into(), listed_max()],
            |row| {
                let c = Cols::new(row, "unemployment_payments");
                Ok((c.text(0)?, c.int(1)?))
            },
        )
    }

    /// What a spell paid for `from` and the months after it (every month: none).
    pub fn unemployment_paid_fen(
        &mut self,
        spell: &str,
        from: Option<Month>,
    ) -> Result<i64, StoreError> {
        self.int_or_zero(
            "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM unemployment_payments \
             WHERE spell_id = $1 AND month >= $2",
            &[
                spell.into(),
                from.map_or_else(String::new, |m| m.to_string()).into(),
            ],
            "unemployment total",
        )
    }

    /// The last month a spell paid, if any.
    pub fn last_paid_month(&mut self, spell: &str) -> Result<Option<Month>, StoreError> {
        self.one(
            "SELECT month FROM unemployment_payments WHERE spell_id = $1 \
             ORDER BY month DESC LIMIT 1",
            &[spell.into()],
            |row| Cols::new(row, "unemployment_payments").month(0),
        )
    }
}

fn listed_max() -> Val {
    i64::from(UNEMPLOYMENT_LISTED_MAX).into()
}
