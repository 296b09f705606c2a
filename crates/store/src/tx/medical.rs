//! Medical settlement's storage: institutions, the catalogue, yearly policies, per-person
//! yearly accumulators and settlements.

use shebao_domain::ids::{PersonId, RegionCode};
use shebao_domain::insurance::Month;
use shebao_domain::time::{Date, Timestamp};

use crate::StoreError;
use crate::codec::{Cols, Record, first_text, placeholders, table};
use crate::records::*;
use crate::tx::{Tx, accessors};

table! {
    /// The columns of a settlement.
    mod settlements: SettlementRecord {
        institution_id, bill_number, id, person_id, insured_region, treated_region, year, visit,
        total_fen, self_paid_fen, over_limit_fen, class_b_first_share_fen, in_scope_fen,
        deductible_fen, fund_fen, account_fen, cash_fen, fund_transfer_id, account_transfer_id,
        status, settled_at, settled_on, undone_at, supplementary_fen, supplementary_transfer_id,
        diagnosis_cipher, insurance_type,
    }
}

table! {
    /// The columns of a catalogue item's version.
    mod catalogue_items: CatalogueItemRecord {
        region = region_code, code, effective_from, name, class, first_share_ppm,
        limit_price_fen,
    }
}

/// Catalogue codes looked up per statement. Shorter lists are padded with their first code, so
/// every look-up is the same statement (prepared once) whatever the bill's length.
const CATALOGUE_CODES_PER_QUERY: usize = 16;

table! {
    /// The columns of a medical institution.
    mod institutions: InstitutionRecord {
        id, name, region = region_code, kind, level, created_at,
    }
}

impl Tx<'_> {
    accessors! {
        pub fn insert_institution(institution: &InstitutionRecord) = insert_row;
        pub fn institution(id: &str) -> Option<InstitutionRecord> = "WHERE id = $1";
        pub fn insert_catalogue_item(item: &CatalogueItemRecord, now: Timestamp) = insert_row_at;
    }

    /// The versions of the given items in force on `on`, at most one per code; codes not in
    /// the catalogue (or not yet in force) are left out.
    pub fn catalogue_items_at(
        &mut self,
        region: &RegionCode,
        codes: &[&str],
        on: Date,
    ) -> Result<Vec<CatalogueItemRecord>, StoreError> {
        let mut distinct: Vec<&str> = codes.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let filter = format!(
            "WHERE region_code = $1 AND effective_from <= $2 AND code IN ({})",
            placeholders(2, CATALOGUE_CODES_PER_QUERY)
        );
        let mut items: Vec<CatalogueItemRecord> = Vec::with_capacity(distinct.len());
        for chunk in distinct.chunks(CATALOGUE_CODES_PER_QUERY) {
            let mut params = vec![region.as_str().into(), on.to_string().into()];
            params.extend(crate::codec::padded(chunk, CATALOGUE_CODES_PER_QUERY));
            // Every version in force comes back; the latest of each code is the one in force.
            for item in self.find_all::<CatalogueItemRecord>(&filter, &params)? {
                match items.iter_mut().find(|known| known.code == item.code) {
                    Some(known) if known.effective_from < item.effective_from => *known = item,
                    Some(_) => {}
                    None => items.push(item),
                }
            }
        }
        Ok(items)
    }

    /// The items in force on `on` whose code or name contains `text` (in any case), each at
    /// its latest version, by code; at most `limit`.
    pub fn search_catalogue(
        &mut self,
        region: &RegionCode,
        text: &str,
        on: Date,
        limit: usize,
    ) -> Result<Vec<CatalogueItemRecord>, StoreError> {
        // Versions of one code come together, newest first; a few versions per code fit in
        // the rows read, and a code cut off at the end is left out rather than shown old.
        let rows = i64::try_from(limit.saturating_mul(4)).unwrap_or(i64::MAX);
        let found = self.find_all::<CatalogueItemRecord>(
            "WHERE region_code = $1 AND effective_from <= $2 \
               AND (LOWER(code) LIKE $3 ESCAPE '\\' OR LOWER(name) LIKE $3 ESCAPE '\\') \
             ORDER BY code, effective_from DESC LIMIT $4",
            &[
                region.as_str().into(),
                on.to_string().into(),
                contains_pattern(text).into(),
                rows.into(),
            ],
        )?;
        let complete = found.len() < usize::try_from(rows).unwrap_or(usize::MAX);
        let last = found.last().map(|item| item.code.clone());
        let mut items: Vec<CatalogueItemRecord> = Vec::new();
        for item in found {
            let cut = !complete && Some(&item.code) == last.as_ref();
            if !cut && items.last().is_none_or(|known| known.code != item.code) {
                items.push(item);
            }
        }
        items.truncate(limit);
        Ok(items)
    }

    accessors! {
        pub fn insert_medical_policy(
            region: &RegionCode,
            year: i64,
            body: &str,
            created_by: &str,
            now: Timestamp,
        ) = insert("medical_policies", "region_code, year, body, created_by, created_at");
    }

    pub fn medical_policy(
        &mut self,
        region: &RegionCode,
        year: i64,
    ) -> Result<Option<String>, StoreError> {
        self.one(
            "SELECT body FROM medical_policies WHERE region_code = $1 AND year = $2",
            &[region.as_str().into(), year.into()],
            first_text("medical_policies"),
        )
    }

    /// The region a person is insured in for `month`, and whether as a pensioner: a pension
    /// award's region, else the region of the latest-starting enrolment covering the month
    /// (on equal starts, the last by id). `None` when neither exists.
    pub fn insured_place(
        &mut self,
        person: &PersonId,
        month: Month,
    ) -> Result<Option<(RegionCode, bool)>, StoreError> {
        self.one(
            "SELECT region_code, CAST(1 AS BIGINT) AS retired, CAST(NULL AS TEXT) AS start_month, CAST(NULL AS TEXT) AS id \
             FROM pension_awards WHERE person_id = $1 \
             UNION ALL SELECT region_code, CAST(0 AS BIGINT), start_month, id FROM enrolments \
             WHERE person_id = $1 AND start_month <= $2 AND (end_month IS NULL OR end_month >= $2) \
             ORDER BY 2 DESC, 3 DESC, 4 DESC LIMIT 1",
            &[person.as_str().into(), month.to_string().into()],
            |row| {
                let c = Cols::new(row, "insured place");
                Ok((RegionCode::new(c.text(0)?), c.int(1)? == 1))
            },
        )
    }

    /// A person's accumulators of `year` (zero when none) and the balance of `account` (their
    /// personal medical account; `None` when it does not exist yet), in one look-up.
    pub fn medical_year(
        &mut self,
        person: &PersonId,
        year: i64,
        account: &str,
    ) -> Result<(AccumulatorRecord, Option<i64>), StoreError> {
        let found = self.one(
            "SELECT a.deductible_used_fen, a.fund_used_fen, a.supplementary_used_fen, l.balance_fen \
             FROM (SELECT 1 AS one) AS o \
             LEFT JOIN medical_accumulators a ON a.person_id = $1 AND a.year = $2 \
             LEFT JOIN ledger_accounts l ON l.id = $3",
            &[person.as_str().into(), year.into(), account.into()],
            |row| {
                let c = Cols::new(row, "medical_accumulators");
                let used = AccumulatorRecord {
                    deductible_used_fen: c.opt_int(0)?.unwrap_or_default(),
                    fund_used_fen: c.opt_int(1)?.unwrap_or_default(),
                    supplementary_used_fen: c.opt_int(2)?.unwrap_or_default(),
                };
                Ok((used, c.opt_int(3)?))
            },
        )?;
        Ok(found.unwrap_or_default())
    }

    /// Moves a person's yearly accumulators by the given amounts (negative on undo); the
    /// schema refuses a total below zero.
    pub fn add_to_accumulator(
        &mut self,
        person: &PersonId,
        year: i64,
        change: AccumulatorRecord,
    ) -> Result<(), StoreError> {
        let params = [
            person.as_str().into(),
            year.into(),
            change.deductible_used_fen.into(),
            change.fund_used_fen.into(),
            change.supplementary_used_fen.into(),
        ];
        let growing = change.deductible_used_fen >= 0
            && change.fund_used_fen >= 0
            && change.supplementary_used_fen >= 0;
        if growing {
            // One statement. Only for growing totals: the schema checks the proposed row
            // before it looks for a conflict, so a negative change must go the long way.
            return self.exec_versioned(
                "accumulator",
                "INSERT INTO medical_accumulators (person_id, year, deductible_used_fen, fund_used_fen, supplementary_used_fen) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (person_id, year) DO UPDATE SET \
                 deductible_used_fen = medical_accumulators.deductible_used_fen + excluded.deductible_used_fen, \
                 fund_used_fen = medical_accumulators.fund_used_fen + excluded.fund_used_fen, \
                 supplementary_used_fen = medical_accumulators.supplementary_used_fen + excluded.supplementary_used_fen",
                &params,
            );
        }
        self.exec(
            "INSERT INTO medical_accumulators (person_id, year, deductible_used_fen, fund_used_fen, supplementary_used_fen) \
             VALUES ($1, $2, 0, 0, 0) ON CONFLICT (person_id, year) DO NOTHING",
            &[person.as_str().into(), year.into()],
        )?;
        self.exec_versioned(
            "accumulator",
            "UPDATE medical_accumulators SET deductible_used_fen = deductible_used_fen + $3, fund_used_fen = fund_used_fen + $4, \
             supplementary_used_fen = supplementary_used_fen + $5 WHERE person_id = $1 AND year = $2",
            &params,
        )
    }

    /// Records a settlement unless the institution already has one with its bill number;
    /// answers whether it was recorded.
    pub fn insert_settlement(&mut self, settlement: &SettlementRecord) -> Result<bool, StoreError> {
        self.exec(
            &format!(
                "INSERT INTO settlements ({}) VALUES ({}) ON CONFLICT (institution_id, bill_number) DO NOTHING",
                settlements::LIST,
                placeholders(0, settlements::COUNT)
            ),
            &settlement.values(),
        )
        .map(|inserted| inserted == 1)
    }

    accessors! {
        pub fn settlement(institution: &str, bill_number: &str) -> Option<SettlementRecord>
            = "WHERE institution_id = $1 AND bill_number = $2";
    }

    /// Marks a settlement undone (only a settled one).
    pub fn mark_settlement_undone(
        &mut self,
        institution: &str,
        bill_number: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.exec_versioned(
            "settlement",
            "UPDATE settlements SET status = 'undone', undone_at = $3 WHERE institution_id = $1 AND bill_number = $2 AND status = 'settled'",
            &[institution.into(), bill_number.into(), at.unix_seconds().into()],
        )
    }

    accessors! {
        /// An institution's settlements of one day (by settlement date), in bill order.
        pub fn settlements_of_day(institution: &str, day: Date) -> Vec<SettlementRecord>
            = "WHERE institution_id = $1 AND settled_on = $2 ORDER BY bill_number";

        /// A person's settlements, newest first.
        pub fn settlements_of_person(person: &PersonId) -> Vec<SettlementRecord>
            = "WHERE person_id = $1 ORDER BY settled_at DESC, bill_number";
    }
}
