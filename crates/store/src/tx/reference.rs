//! Reference data: regions, their versioned parameters, banks and their branches.

use shebao_domain::ids::{BankId, BranchId, RegionCode};
use shebao_domain::time::{Date, Timestamp};

use super::Tx;
use crate::codec::{Cols, table};
use crate::records::{BankRecord, BranchRecord, RegionRecord};
use crate::{Row, StoreError};

table! {
    /// The columns of a region.
    mod regions: RegionRecord {
        code, name,
    }
}

table! {
    /// The columns of a bank.
    mod banks: BankRecord {
        id, name, bin,
    }
}

table! {
    /// The columns of a bank's branch.
    mod branches: BranchRecord {
        id, bank_id, name, region = region_code,
    }
}

/// A parameter version: when it takes effect and its body.
fn version_from(row: &Row, table: &'static str) -> Result<(Date, String), StoreError> {
    let c = Cols::new(row, table);
    Ok((c.date(0)?, c.text(1)?))
}

impl Tx<'_> {
    pub fn insert_region(
        &mut self,
        region: &RegionRecord,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.insert_row_at(region, now)
    }

    pub fn regions(&mut self) -> Result<Vec<RegionRecord>, StoreError> {
        self.find_all("ORDER BY code", &[])
    }

    pub fn region(&mut self, code: &RegionCode) -> Result<Option<RegionRecord>, StoreError> {
        self.find("WHERE code = $1", &[code.as_str().into()])
    }

    /// Adds a version of a region's parameters; versions are never edited.
    pub fn insert_region_parameters(
        &mut self,
        region: &RegionCode,
        effective_from: Date,
        body: &str,
        created_by: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.insert_version(
            "region_parameters",
            region,
            effective_from,
            body,
            created_by,
            now,
        )
    }

    /// The version in force on `on`: the latest that took effect on or before it.
    pub fn region_parameters_at(
        &mut self,
        region: &RegionCode,
        on: Date,
    ) -> Result<Option<(Date, String)>, StoreError> {
        self.version_at("region_parameters", region, on)
    }

    /// Inserts a version into one of the versioned parameter tables (a fixed name, never
    /// input), which share their columns.
    pub(crate) fn insert_version(
        &mut self,
        table: &'static str,
        region: &RegionCode,
        effective_from: Date,
        body: &str,
        created_by: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.insert(
            table,
            "region_code, effective_from, body, created_by, created_at",
            &[
                region.as_str().into(),
                effective_from.to_string().into(),
                body.into(),
                created_by.into(),
                now.unix_seconds().into(),
            ],
        )
    }

    /// The version of a versioned parameter table in force on `on`.
    pub(crate) fn version_at(
        &mut self,
        table: &'static str,
        region: &RegionCode,
        on: Date,
    ) -> Result<Option<(Date, String)>, StoreError> {
        self.one(
            &format!(
                "SELECT effective_from, body FROM {table} WHERE region_code = $1 AND effective_from <= $2 \
                 ORDER BY effective_from DESC LIMIT 1"
            ),
            &[region.as_str().into(), on.to_string().into()],
            |row| version_from(row, table),
        )
    }

    pub fn region_parameter_versions(
        &mut self,
        region: &RegionCode,
    ) -> Result<Vec<(Date, String)>, StoreError> {
        self.all(
            "SELECT effective_from, body FROM region_parameters WHERE region_code = $1 ORDER BY effective_from",
            &[region.as_str().into()],
            |row| version_from(row, "region_parameters"),
        )
    }

    pub fn insert_bank(&mut self, bank: &BankRecord, now: Timestamp) -> Result<(), StoreError> {
        self.insert_row_at(bank, now)
    }

    pub fn bank(&mut self, id: &BankId) -> Result<Option<BankRecord>, StoreError> {
        self.find("WHERE id = $1", &[id.as_str().into()])
    }

    pub fn banks(&mut self) -> Result<Vec<BankRecord>, StoreError> {
        self.find_all("ORDER BY id", &[])
    }

    pub fn insert_branch(
        &mut self,
        branch: &BranchRecord,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.insert_row_at(branch, now)
    }

    pub fn branch(&mut self, id: &BranchId) -> Result<Option<BranchRecord>, StoreError> {
        self.find("WHERE id = $1", &[id.as_str().into()])
    }

    pub fn branches(&mut self, bank: &BankId) -> Result<Vec<BranchRecord>, StoreError> {
        self.find_all("WHERE bank_id = $1 ORDER BY id", &[bank.as_str().into()])
    }
}
