//! Reference data: regions, their versioned parameters, banks and their branches.

use shebao_domain::ids::{BankId, BranchId, RegionCode};
use shebao_domain::time::{Date, Timestamp};

use super::{Tx, accessors};
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
        id, name, bin, numbers_from_bank,
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
    accessors! {
        pub fn insert_region(region: &RegionRecord, now: Timestamp) = insert_row_at;
        pub fn regions() -> Vec<RegionRecord> = "ORDER BY code";
        pub fn region(code: &RegionCode) -> Option<RegionRecord> = "WHERE code = $1";

        /// Adds a version of a region's parameters; versions are never edited.
        pub fn insert_region_parameters(
            region: &RegionCode,
            effective_from: Date,
            body: &str,
            created_by: &str,
            now: Timestamp,
        ) = insert_version("region_parameters");

        /// The version in force on `on`: the latest that took effect on or before it.
        pub fn region_parameters_at(region: &RegionCode, on: Date) -> Option<(Date, String)>
            = version_at("region_parameters");

        pub fn insert_bank(bank: &BankRecord, now: Timestamp) = insert_row_at;
        pub fn bank(id: &BankId) -> Option<BankRecord> = "WHERE id = $1";
        pub fn banks() -> Vec<BankRecord> = "ORDER BY id";
        pub fn insert_branch(branch: &BranchRecord, now: Timestamp) = insert_row_at;
        pub fn branch(id: &BranchId) -> Option<BranchRecord> = "WHERE id = $1";
        pub fn branches(bank: &BankId) -> Vec<BranchRecord> = "WHERE bank_id = $1 ORDER BY id";
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
}
