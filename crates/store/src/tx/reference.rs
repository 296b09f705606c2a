//! Reference data: regions, their versioned parameters, banks and their branches.

use shebao_domain::ids::{BankId, BranchId, RegionCode};
use shebao_domain::time::{Date, Timestamp};

use super::Tx;
use crate::codec::Cols;
use crate::records::{BankRecord, BranchRecord, RegionRecord};
use crate::{Row, StoreError};

impl Tx<'_> {
    pub fn insert_region(
        &mut self,
        region: &RegionRecord,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO regions (code, name, created_at) VALUES ($1, $2, $3)",
            &[
                region.code.as_str().into(),
                region.name.as_str().into(),
                now.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    pub fn regions(&mut self) -> Result<Vec<RegionRecord>, StoreError> {
        self.all("SELECT code, name FROM regions ORDER BY code", &[], |row| {
            let c = Cols::new(row, "regions");
            Ok(RegionRecord {
                code: RegionCode::new(c.text(0)?),
                name: c.text(1)?,
            })
        })
    }

    pub fn region(&mut self, code: &RegionCode) -> Result<Option<RegionRecord>, StoreError> {
        self.one(
            "SELECT code, name FROM regions WHERE code = $1",
            &[code.as_str().into()],
            |row| {
                let c = Cols::new(row, "regions");
                Ok(RegionRecord {
                    code: RegionCode::new(c.text(0)?),
                    name: c.text(1)?,
                })
            },
        )
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
        self.exec(
            &format!("INSERT INTO {table} (region_code, effective_from, body, created_by, created_at) VALUES ($1, $2, $3, $4, $5)"),
            &[
                region.as_str().into(),
                effective_from.to_string().into(),
                body.into(),
                created_by.into(),
                now.unix_seconds().into(),
            ],
        )
        .map(|_| ())
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
            |row| {
                let c = Cols::new(row, table);
                Ok((c.date(0)?, c.text(1)?))
            },
        )
    }

    pub fn region_parameter_versions(
        &mut self,
        region: &RegionCode,
    ) -> Result<Vec<(Date, String)>, StoreError> {
        self.all(
            "SELECT effective_from, body FROM region_parameters WHERE region_code = $1 ORDER BY effective_from",
            &[region.as_str().into()],
            |row| {
                let c = Cols::new(row, "region_parameters");
                Ok((c.date(0)?, c.text(1)?))
            },
        )
    }

    pub fn insert_bank(&mut self, bank: &BankRecord, now: Timestamp) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO banks (id, name, bin, created_at) VALUES ($1, $2, $3, $4)",
            &[
                bank.id.as_str().into(),
                bank.name.as_str().into(),
                bank.bin.as_str().into(),
                now.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    fn bank_from(row: &Row) -> Result<BankRecord, StoreError> {
        let c = Cols::new(row, "banks");
        Ok(BankRecord {
            id: BankId::new(c.text(0)?),
            name: c.text(1)?,
            bin: c.text(2)?,
        })
    }

    pub fn bank(&mut self, id: &BankId) -> Result<Option<BankRecord>, StoreError> {
        self.one(
            "SELECT id, name, bin FROM banks WHERE id = $1",
            &[id.as_str().into()],
            Self::bank_from,
        )
    }

    pub fn banks(&mut self) -> Result<Vec<BankRecord>, StoreError> {
        self.all(
            "SELECT id, name, bin FROM banks ORDER BY id",
            &[],
            Self::bank_from,
        )
    }

    pub fn insert_branch(
        &mut self,
        branch: &BranchRecord,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO branches (id, bank_id, name, region_code, created_at) VALUES ($1, $2, $3, $4, $5)",
            &[
                branch.id.as_str().into(),
                branch.bank_id.as_str().into(),
                branch.name.as_str().into(),
                branch.region.as_str().into(),
                now.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    fn branch_from(row: &Row) -> Result<BranchRecord, StoreError> {
        let c = Cols::new(row, "branches");
        Ok(BranchRecord {
            id: BranchId::new(c.text(0)?),
            bank_id: BankId::new(c.text(1)?),
            name: c.text(2)?,
            region: RegionCode::new(c.text(3)?),
        })
    }

    pub fn branch(&mut self, id: &BranchId) -> Result<Option<BranchRecord>, StoreError> {
        self.one(
            "SELECT id, bank_id, name, region_code FROM branches WHERE id = $1",
            &[id.as_str().into()],
            Self::branch_from,
        )
    }

    pub fn branches(&mut self, bank: &BankId) -> Result<Vec<BranchRecord>, StoreError> {
        self.all(
            "SELECT id, bank_id, name, region_code FROM branches WHERE bank_id = $1 ORDER BY id",
            &[bank.as_str().into()],
            Self::branch_from,
        )
    }
}
