//! Bulk inserts of contributions: a person's month of the five insurances as one group of
//! values where it can, the rest row by row; on PostgreSQL, every column as one array.

use shebao_domain::ids::EmployerId;
use shebao_domain::insurance::Insurance;
use shebao_domain::time::Timestamp;

use super::contributions::CONTRIBUTION_COLUMNS;
use crate::codec::{id_val, placeholders};
use crate::records::ContributionRecord;
use crate::tx::Tx;
use crate::tx::arrays::ArrayLiteral;
use crate::{StoreError, Val};

/// Rows per multi-row INSERT: 14 values each stays far below both databases' limits on
/// bound parameters (SQLite 32,766; PostgreSQL 65,535).
const INSERT_CHUNK: usize = 500;

/// Persons' months per compact insert: 6 shared values and 19 per month stay far below both
/// databases' limits on bound parameters.
const MONTHS_PER_STATEMENT: usize = 200;
/// Values per person's month in a compact insert: person, payer, wage, base, and the
/// employer's, individual's and personal-account amounts of each of the five insurances.
const MONTH_VALUES: usize = 4 + 3 * 5;

/// Whether `group` is one person's month of the five insurances, in [`Insurance::ALL`] order,
/// with one payer, wage and base, and posted like `first` (month, region, status, record,
/// times): the shape a compact insert writes.
fn is_month_of_five(group: &[ContributionRecord], first: &ContributionRecord) -> bool {
    let Some(head) = group.first() else {
        return false;
    };
    group.len() == Insurance::ALL.len()
        && group.iter().zip(Insurance::ALL).all(|(record, insurance)| {
            record.insurance == insurance
                && record.employer_id == head.employer_id
                && record.wage_fen == head.wage_fen
                && record.base_fen == head.base_fen
                && record.month == first.month
                && record.region == first.region
                && record.status == first.status
                && record.declaration_id == first.declaration_id
                && record.declared_at == first.declared_at
                && record.paid_at == first.paid_at
        })
}

/// The compact insert of `months` persons' months: `$1`-`$6` are the shared month, region,
/// status, record and times; each month's 19 values fill its five rows.
fn months_sql(months: usize) -> String {
    let mut sql = format!("INSERT INTO contributions ({CONTRIBUTION_COLUMNS}) VALUES ");
    for month in 0..months {
        let at = 6 + month * MONTH_VALUES;
        for (i, insurance) in Insurance::ALL.iter().enumerate() {
            if month > 0 || i > 0 {
                sql.push_str(", ");
            }
            let amounts = at + 5 + 3 * i;
            sql.push_str(&format!(
                "(${}, '{}', $1, ${}, $2, ${}, ${}, ${}, ${}, ${}, $3, $4, $5, $6)",
                at + 1,
                insurance.as_str(),
                at + 2,
                at + 3,
                at + 4,
                amounts,
                amounts + 1,
                amounts + 2
            ));
        }
    }
    sql
}

/// PostgreSQL's compact insert: `$1`-`$6` the shared values, `$7`… one array per month value;
/// each person's month is crossed with the five insurances on the server.
fn months_array_sql() -> String {
    let arrays: Vec<String> = (0..MONTH_VALUES)
        .map(|i| {
            let kind = if i < 2 { "TEXT" } else { "BIGINT" };
            format!("CAST(CAST(${} AS TEXT) AS {kind}[])", 7 + i)
        })
        .collect();
    let names: Vec<String> = (0..MONTH_VALUES).map(|i| format!("a{i}")).collect();
    // The amount `share` (0 employer, 1 individual, 2 personal account) of the row's
    // insurance `k.n`.
    let pick = |share: usize| {
        let arms: Vec<String> = (0..Insurance::ALL.len())
            .map(|n| format!("WHEN {n} THEN v.a{}", 4 + 3 * n + share))
            .collect();
        format!("CASE k.n {} END", arms.join(" "))
    };
    let insurances: Vec<String> = Insurance::ALL
        .iter()
        .enumerate()
        .map(|(n, insurance)| format!("({n}, '{}')", insurance.as_str()))
        .collect();
    format!(
        "INSERT INTO contributions ({CONTRIBUTION_COLUMNS}) \
             SELECT v.a0, k.ins, CAST($1 AS TEXT), v.a1, CAST($2 AS TEXT), v.a2, v.a3, {}, {}, {}, \
             CAST($3 AS TEXT), CAST($4 AS TEXT), CAST($5 AS BIGINT), CAST($6 AS BIGINT) \
             FROM unnest({}) AS v({}) CROSS JOIN (VALUES {}) AS k(n, ins)",
        pick(0),
        pick(1),
        pick(2),
        arrays.join(", "),
        names.join(", "),
        insurances.join(", ")
    )
}

/// Rows per `unnest` insert on PostgreSQL: a few megabytes of array text.
const ARRAY_ROWS: usize = 10_000;

impl Tx<'_> {
    /// Inserts contributions that are not recorded yet; a (person, insurance, month) already
    /// there is left as it is. Returns how many were new.
    pub fn insert_contributions(
        &mut self,
        records: &[ContributionRecord],
    ) -> Result<u64, StoreError> {
        self.insert_grouped(
            records,
            " ON CONFLICT (person_id, insurance, month) DO NOTHING",
        )
    }

    /// Inserts contributions the caller found unrecorded: a plain `INSERT`, about twice as
    /// fast on PostgreSQL as one that skips conflicts, which a (person, insurance, month)
    /// already recorded fails as a whole with [`StoreError::Conflict`] (the caller may then
    /// fall back to [`Tx::insert_contributions`]). A person's month of the five insurances
    /// sharing one base, payer and record — what a declaration or a contribution run writes —
    /// travels as one group of values (19 instead of 70), the rest row by row; on PostgreSQL
    /// every column travels as one array.
    pub fn insert_new_contributions(
        &mut self,
        records: &[ContributionRecord],
    ) -> Result<u64, StoreError> {
        self.insert_grouped(records, "")
    }

    /// Inserts `records`, each person's month of the five insurances as one group of values
    /// where it can, the rest row by row; `on_conflict` ends each statement.
    fn insert_grouped(
        &mut self,
        records: &[ContributionRecord],
        on_conflict: &str,
    ) -> Result<u64, StoreError> {
        let Some(first) = records.first() else {
            return Ok(0);
        };
        let mut months: Vec<&[ContributionRecord]> = Vec::new();
        let mut rest: Vec<ContributionRecord> = Vec::new();
        for group in records.chunk_by(|a, b| a.person_id == b.person_id && a.month == b.month) {
            if is_month_of_five(group, first) {
                months.push(group);
            } else {
                rest.extend_from_slice(group);
            }
        }
        let mut inserted = self.insert_rows(&rest, on_conflict)?;
        let shared: [Val; 6] = [
            first.month.to_string().into(),
            first.region.as_str().into(),
            first.status.as_str().into(),
            first.declaration_id.as_str().into(),
            first.declared_at.unix_seconds().into(),
            first.paid_at.map(Timestamp::unix_seconds).into(),
        ];
        if self.conn.text_arrays() {
            return Ok(inserted + self.insert_months_as_arrays(&months, shared, on_conflict)?);
        }
        for statement in months.chunks(MONTHS_PER_STATEMENT) {
            let sql = if statement.len() == MONTHS_PER_STATEMENT {
                static FULL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
                let full = FULL.get_or_init(|| months_sql(MONTHS_PER_STATEMENT));
                format!("{full}{on_conflict}")
            } else {
                format!("{}{on_conflict}", months_sql(statement.len()))
            };
            let mut params = Vec::with_capacity(6 + statement.len() * MONTH_VALUES);
            params.extend(shared.iter().cloned());
            for group in statement {
                let head = &group[0];
                params.extend([
                    head.person_id.as_str().into(),
                    id_val(head.employer_id.as_ref().map(EmployerId::as_str)),
                    head.wage_fen.into(),
                    head.base_fen.into(),
                ]);
                for record in *group {
                    params.extend([
                        record.employer_fen.into(),
                        record.individual_fen.into(),
                        record.account_fen.into(),
                    ]);
                }
            }
            inserted += self.exec(&sql, &params)?;
        }
        Ok(inserted)
    }

    fn insert_rows(
        &mut self,
        records: &[ContributionRecord],
        on_conflict: &str,
    ) -> Result<u64, StoreError> {
        if self.conn.text_arrays() {
            return self.insert_rows_as_arrays(records, on_conflict);
        }
        let mut inserted = 0;
        for chunk in records.chunks(INSERT_CHUNK) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| format!("({})", placeholders(i * 14, 14)))
                .collect();
            let sql = format!(
                "INSERT INTO contributions ({CONTRIBUTION_COLUMNS}) VALUES {}{on_conflict}",
                rows.join(", ")
            );
            let mut params = Vec::with_capacity(chunk.len() * 14);
            for record in chunk {
                params.extend([
                    record.person_id.as_str().into(),
                    record.insurance.as_str().into(),
                    record.month.to_string().into(),
                    id_val(record.employer_id.as_ref().map(EmployerId::as_str)),
                    record.region.as_str().into(),
                    record.wage_fen.into(),
                    record.base_fen.into(),
                    record.employer_fen.into(),
                    record.individual_fen.into(),
                    record.account_fen.into(),
                    record.status.as_str().into(),
                    record.declaration_id.as_str().into(),
                    record.declared_at.unix_seconds().into(),
                    record.paid_at.map(Timestamp::unix_seconds).into(),
                ]);
            }
            inserted += self.exec(&sql, &params)?;
        }
        Ok(inserted)
    }

    /// PostgreSQL's fast form of [`Tx::insert_rows`]: each column of up to [`ARRAY_ROWS`]
    /// rows travels as one array literal and the rows are `unnest`ed on the server: one
    /// small statement to plan instead of thousands of values to bind and expressions to
    /// evaluate.
    fn insert_rows_as_arrays(
        &mut self,
        records: &[ContributionRecord],
        on_conflict: &str,
    ) -> Result<u64, StoreError> {
        const TYPES: [&str; 14] = [
            "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "BIGINT", "BIGINT", "BIGINT", "BIGINT",
            "BIGINT", "TEXT", "TEXT", "BIGINT", "BIGINT",
        ];
        let arrays: Vec<String> = TYPES
            .iter()
            .enumerate()
            .map(|(i, kind)| format!("CAST(CAST(${} AS TEXT) AS {kind}[])", i + 1))
            .collect();
        let sql = format!(
            "INSERT INTO contributions ({CONTRIBUTION_COLUMNS}) SELECT * FROM unnest({}){on_conflict}",
            arrays.join(", ")
        );
        let mut inserted = 0;
        for chunk in records.chunks(ARRAY_ROWS) {
            let mut columns: [ArrayLiteral; 14] = Default::default();
            for record in chunk {
                let [
                    person,
                    insurance,
                    month,
                    employer,
                    region,
                    wage,
                    base,
                    employer_fen,
                    individual_fen,
                    account_fen,
                    status,
                    declaration,
                    declared_at,
                    paid_at,
                ] = &mut columns;
                person.text(Some(record.person_id.as_str()));
                insurance.text(Some(record.insurance.as_str()));
                month.text(Some(&record.month.to_string()));
                employer.text(record.employer_id.as_ref().map(EmployerId::as_str));
                region.text(Some(record.region.as_str()));
                wage.int(Some(record.wage_fen));
                base.int(Some(record.base_fen));
                employer_fen.int(Some(record.employer_fen));
                individual_fen.int(Some(record.individual_fen));
                account_fen.int(Some(record.account_fen));
                status.text(Some(&record.status));
                declaration.text(Some(&record.declaration_id));
                declared_at.int(Some(record.declared_at.unix_seconds()));
                paid_at.int(record.paid_at.map(Timestamp::unix_seconds));
            }
            let params: Vec<Val> = columns.into_iter().map(ArrayLiteral::finish).collect();
            inserted += self.exec(&sql, &params)?;
        }
        Ok(inserted)
    }

    /// PostgreSQL's form of the compact insert: each of a month's 19 values travels as one
    /// array of up to [`ARRAY_ROWS`] persons, and the five rows of each are made on the server
    /// (a cross join with the five insurances). About a third faster than one array per
    /// column of the five rows.
    fn insert_months_as_arrays(
        &mut self,
        months: &[&[ContributionRecord]],
        shared: [Val; 6],
        on_conflict: &str,
    ) -> Result<u64, StoreError> {
        static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let unnested = SQL.get_or_init(months_array_sql);
        let sql = format!("{unnested}{on_conflict}");
        let mut inserted = 0;
        for statement in months.chunks(ARRAY_ROWS) {
            let mut columns: Vec<ArrayLiteral> =
                (0..MONTH_VALUES).map(|_| ArrayLiteral::default()).collect();
            for group in statement {
                let head = &group[0];
                let mut values = columns.iter_mut();
                let mut next = || values.next();
                if let (Some(person), Some(employer), Some(wage), Some(base)) =
                    (next(), next(), next(), next())
                {
                    person.text(Some(head.person_id.as_str()));
                    employer.text(head.employer_id.as_ref().map(EmployerId::as_str));
                    wage.int(Some(head.wage_fen));
                    base.int(Some(head.base_fen));
                }
                for record in *group {
                    for amount in [
                        record.employer_fen,
                        record.individual_fen,
                        record.account_fen,
                    ] {
                        if let Some(column) = next() {
                            column.int(Some(amount));
                        }
                    }
                }
            }
            let mut params = shared.to_vec();
            params.extend(columns.into_iter().map(ArrayLiteral::finish));
            inserted += self.exec(&sql, &params)?;
        }
        Ok(inserted)
    }
}
