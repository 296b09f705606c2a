//! Medical settlement's storage: institutions, the catalogue, yearly policies, per-person
//! yearly accumulators and settlements.

use shebao_domain::ids::{PersonId, RegionCode, TransferId};
use shebao_domain::time::{Date, Timestamp};

use super::{Cols, Tx, id_val};
use crate::records::*;
use crate::{Row, StoreError};

const SETTLEMENT_COLUMNS: &str = "institution_id, bill_number, id, person_id, insured_region, treated_region, year, visit, \
    total_fen, self_paid_fen, over_limit_fen, class_b_first_share_fen, in_scope_fen, deductible_fen, fund_fen, account_fen, \
    cash_fen, fund_transfer_id, account_transfer_id, status, settled_at, settled_on, undone_at, supplementary_fen, \
    supplementary_transfer_id, diagnosis_cipher";

fn settlement_from(row: &Row) -> Result<SettlementRecord, StoreError> {
    let c = Cols {
        row,
        what: "settlements",
    };
    Ok(SettlementRecord {
        institution_id: c.text(0)?,
        bill_number: c.text(1)?,
        id: c.text(2)?,
        person_id: PersonId::new(c.text(3)?),
        insured_region: RegionCode::new(c.text(4)?),
        treated_region: RegionCode::new(c.text(5)?),
        year: c.int(6)?,
        visit: c.text(7)?,
        total_fen: c.int(8)?,
        self_paid_fen: c.int(9)?,
        over_limit_fen: c.int(10)?,
        class_b_first_share_fen: c.int(11)?,
        in_scope_fen: c.int(12)?,
        deductible_fen: c.int(13)?,
        fund_fen: c.int(14)?,
        account_fen: c.int(15)?,
        cash_fen: c.int(16)?,
        fund_transfer_id: c.opt_text(17)?.map(TransferId::new),
        account_transfer_id: c.opt_text(18)?.map(TransferId::new),
        status: c.text(19)?,
        settled_at: c.time(20)?,
        settled_on: c.date(21)?,
        undone_at: c.opt_time(22)?,
        supplementary_fen: c.int(23)?,
        supplementary_transfer_id: c.opt_text(24)?.map(TransferId::new),
        diagnosis_cipher: c.opt_text(25)?,
    })
}

impl Tx<'_> {
    pub fn insert_institution(
        &mut self,
        institution: &InstitutionRecord,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO institutions (id, name, region_code, kind, level, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                institution.id.as_str().into(),
                institution.name.as_str().into(),
                institution.region.as_str().into(),
                institution.kind.as_str().into(),
                institution.level.into(),
                institution.created_at.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    pub fn institution(&mut self, id: &str) -> Result<Option<InstitutionRecord>, StoreError> {
        self.one(
            "SELECT id, name, region_code, kind, level, created_at FROM institutions WHERE id = $1",
            &[id.into()],
            |row| {
                let c = Cols {
                    row,
                    what: "institutions",
                };
                Ok(InstitutionRecord {
                    id: c.text(0)?,
                    name: c.text(1)?,
                    region: RegionCode::new(c.text(2)?),
                    kind: c.text(3)?,
                    level: c.int(4)?,
                    created_at: c.time(5)?,
                })
            },
        )
    }

    pub fn insert_catalogue_item(
        &mut self,
        item: &CatalogueItemRecord,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO catalogue_items (region_code, code, effective_from, name, class, first_share_ppm, limit_price_fen, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                item.region.as_str().into(),
                item.code.as_str().into(),
                item.effective_from.to_string().into(),
                item.name.as_str().into(),
                item.class.as_str().into(),
                item.first_share_ppm.into(),
                item.limit_price_fen.into(),
                now.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    /// The version of an item in force on `on`.
    pub fn catalogue_item_at(
        &mut self,
        region: &RegionCode,
        code: &str,
        on: Date,
    ) -> Result<Option<CatalogueItemRecord>, StoreError> {
        self.one(
            "SELECT region_code, code, effective_from, name, class, first_share_ppm, limit_price_fen FROM catalogue_items \
             WHERE region_code = $1 AND code = $2 AND effective_from <= $3 ORDER BY effective_from DESC LIMIT 1",
            &[region.as_str().into(), code.into(), on.to_string().into()],
            |row| {
                let c = Cols { row, what: "catalogue_items" };
                Ok(CatalogueItemRecord {
                    region: RegionCode::new(c.text(0)?),
                    code: c.text(1)?,
                    effective_from: c.date(2)?,
                    name: c.text(3)?,
                    class: c.text(4)?,
                    first_share_ppm: c.int(5)?,
                    limit_price_fen: c.opt_int(6)?,
                })
            },
        )
    }

    pub fn insert_medical_policy(
        &mut self,
        region: &RegionCode,
        year: i64,
        body: &str,
        created_by: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO medical_policies (region_code, year, body, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
            &[region.as_str().into(), year.into(), body.into(), created_by.into(), now.unix_seconds().into()],
        )
        .map(|_| ())
    }

    pub fn medical_policy(
        &mut self,
        region: &RegionCode,
        year: i64,
    ) -> Result<Option<String>, StoreError> {
        self.one(
            "SELECT body FROM medical_policies WHERE region_code = $1 AND year = $2",
            &[region.as_str().into(), year.into()],
            |row| {
                Cols {
                    row,
                    what: "medical_policies",
                }
                .text(0)
            },
        )
    }

    pub fn accumulator(
        &mut self,
        person: &PersonId,
        year: i64,
    ) -> Result<AccumulatorRecord, StoreError> {
        Ok(self
            .one(
                "SELECT deductible_used_fen, fund_used_fen, supplementary_used_fen FROM medical_accumulators \
                 WHERE person_id = $1 AND year = $2",
                &[person.as_str().into(), year.into()],
                |row| {
                    let c = Cols { row, what: "medical_accumulators" };
                    Ok(AccumulatorRecord { deductible_used_fen: c.int(0)?, fund_used_fen: c.int(1)?, supplementary_used_fen: c.int(2)? })
                },
            )?
            .unwrap_or_default())
    }

    /// Moves a person's yearly accumulators by the given amounts (negative on undo); the
    /// schema refuses a total below zero.
    pub fn add_to_accumulator(
        &mut self,
        person: &PersonId,
        year: i64,
        change: AccumulatorRecord,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO medical_accumulators (person_id, year, deductible_used_fen, fund_used_fen, supplementary_used_fen) \
             VALUES ($1, $2, 0, 0, 0) ON CONFLICT (person_id, year) DO NOTHING",
            &[person.as_str().into(), year.into()],
        )?;
        self.exec_versioned(
            "accumulator",
            "UPDATE medical_accumulators SET deductible_used_fen = deductible_used_fen + $3, fund_used_fen = fund_used_fen + $4, \
             supplementary_used_fen = supplementary_used_fen + $5 WHERE person_id = $1 AND year = $2",
            &[
                person.as_str().into(),
                year.into(),
                change.deductible_used_fen.into(),
                change.fund_used_fen.into(),
                change.supplementary_used_fen.into(),
            ],
        )
    }

    pub fn insert_settlement(&mut self, settlement: &SettlementRecord) -> Result<(), StoreError> {
        let placeholders: Vec<String> = (1..=26).map(|n| format!("${n}")).collect();
        self.exec(
            &format!(
                "INSERT INTO settlements ({SETTLEMENT_COLUMNS}) VALUES ({})",
                placeholders.join(", ")
            ),
            &[
                settlement.institution_id.as_str().into(),
                settlement.bill_number.as_str().into(),
                settlement.id.as_str().into(),
                settlement.person_id.as_str().into(),
                settlement.insured_region.as_str().into(),
                settlement.treated_region.as_str().into(),
                settlement.year.into(),
                settlement.visit.as_str().into(),
                settlement.total_fen.into(),
                settlement.self_paid_fen.into(),
                settlement.over_limit_fen.into(),
                settlement.class_b_first_share_fen.into(),
                settlement.in_scope_fen.into(),
                settlement.deductible_fen.into(),
                settlement.fund_fen.into(),
                settlement.account_fen.into(),
                settlement.cash_fen.into(),
                id_val(settlement.fund_transfer_id.as_ref().map(TransferId::as_str)),
                id_val(
                    settlement
                        .account_transfer_id
                        .as_ref()
                        .map(TransferId::as_str),
                ),
                settlement.status.as_str().into(),
                settlement.settled_at.unix_seconds().into(),
                settlement.settled_on.to_string().into(),
                settlement.undone_at.map(Timestamp::unix_seconds).into(),
                settlement.supplementary_fen.into(),
                id_val(
                    settlement
                        .supplementary_transfer_id
                        .as_ref()
                        .map(TransferId::as_str),
                ),
                id_val(settlement.diagnosis_cipher.as_deref()),
            ],
        )
        .map(|_| ())
    }

    pub fn settlement(
        &mut self,
        institution: &str,
        bill_number: &str,
    ) -> Result<Option<SettlementRecord>, StoreError> {
        self.one(
            &format!("SELECT {SETTLEMENT_COLUMNS} FROM settlements WHERE institution_id = $1 AND bill_number = $2"),
            &[institution.into(), bill_number.into()],
            settlement_from,
        )
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

    /// An institution's settlements of one day (by settlement date), in bill order.
    pub fn settlements_of_day(
        &mut self,
        institution: &str,
        day: Date,
    ) -> Result<Vec<SettlementRecord>, StoreError> {
        self.all(
            &format!("SELECT {SETTLEMENT_COLUMNS} FROM settlements WHERE institution_id = $1 AND settled_on = $2 ORDER BY bill_number"),
            &[institution.into(), day.to_string().into()],
            settlement_from,
        )
    }

    /// A person's settlements, newest first.
    pub fn settlements_of_person(
        &mut self,
        person: &PersonId,
    ) -> Result<Vec<SettlementRecord>, StoreError> {
        self.all(
            &format!("SELECT {SETTLEMENT_COLUMNS} FROM settlements WHERE person_id = $1 ORDER BY settled_at DESC, bill_number"),
            &[person.as_str().into()],
            settlement_from,
        )
    }
}
