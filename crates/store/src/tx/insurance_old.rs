//! The insurances' storage: contribution parameters, employers, enrolments, declarations,
//! contributions, certificates, pension awards and benefit payments.

use shebao_domain::ids::{EmployerId, PersonId, RegionCode, TransferId};
use shebao_domain::insurance::{Insurance, Month};
use shebao_domain::time::{Date, Timestamp};

use super::{Cols, Tx, id_val};
use crate::records::*;
use crate::{Row, StoreError, Val};

/// Rows per multi-row INSERT: 14 values each stays far below both databases' limits on
/// bound parameters (SQLite 32,766; PostgreSQL 65,535).
const INSERT_CHUNK: usize = 500;

const CONTRIBUTION_COLUMNS: &str = "person_id, insurance, month, employer_id, region_code, wage_fen, base_fen, \
    employer_fen, individual_fen, account_fen, status, declaration_id, declared_at, paid_at";

const ENROLMENT_COLUMNS: &str =
    "id, person_id, employer_id, region_code, kind, start_month, end_month, created_at, version";

const EMPLOYER_COLUMNS: &str =
    "id, credit_code, name, region_code, risk_class, rate_tier_percent, created_at";

fn month(c: &Cols<'_>, i: usize) -> Result<Month, StoreError> {
    c.parsed(i, Month::parse)
}

fn contribution_from(row: &Row) -> Result<ContributionRecord, StoreError> {
    let c = Cols {
        row,
        what: "contributions",
    };
    Ok(ContributionRecord {
        person_id: PersonId::new(c.text(0)?),
        insurance: c.parsed(1, Insurance::parse)?,
        month: month(&c, 2)?,
        employer_id: c.opt_text(3)?.map(EmployerId::new),
        region: RegionCode::new(c.text(4)?),
        wage_fen: c.int(5)?,
        base_fen: c.int(6)?,
        employer_fen: c.int(7)?,
        individual_fen: c.int(8)?,
        account_fen: c.int(9)?,
        status: c.text(10)?,
        declaration_id: c.text(11)?,
        declared_at: c.time(12)?,
        paid_at: c.opt_time(13)?,
    })
}

fn enrolment_from(row: &Row) -> Result<EnrolmentRecord, StoreError> {
    let c = Cols {
        row,
        what: "enrolments",
    };
    Ok(EnrolmentRecord {
        id: c.text(0)?,
        person_id: PersonId::new(c.text(1)?),
        employer_id: c.opt_text(2)?.map(EmployerId::new),
        region: RegionCode::new(c.text(3)?),
        kind: c.text(4)?,
        start: month(&c, 5)?,
        end: c
            .opt_text(6)?
            .map(|m| Month::parse(&m).ok_or_else(|| c.corrupt(6)))
            .transpose()?,
        created_at: c.time(7)?,
        version: c.int(8)?,
    })
}

fn employer_from(row: &Row) -> Result<EmployerRecord, StoreError> {
    let c = Cols {
        row,
        what: "employers",
    };
    Ok(EmployerRecord {
        id: EmployerId::new(c.text(0)?),
        credit_code: c.text(1)?,
        name: c.text(2)?,
        region: RegionCode::new(c.text(3)?),
        risk_class: c.int(4)?,
        rate_tier_percent: c.int(5)?,
        created_at: c.time(6)?,
    })
}

fn declaration_from(row: &Row) -> Result<DeclarationRecord, StoreError> {
    let c = Cols {
        row,
        what: "declarations",
    };
    Ok(DeclarationRecord {
        id: c.text(0)?,
        employer_id: EmployerId::new(c.text(1)?),
        digest: c.text(2)?,
        rows_total: c.int(3)?,
        rows_accepted: c.int(4)?,
        rows_unchanged: c.int(5)?,
        rows_rejected: c.int(6)?,
        errors: c.text(7)?,
        actor: c.text(8)?,
        created_at: c.time(9)?,
    })
}

fn award_from(row: &Row) -> Result<PensionAwardRecord, StoreError> {
    let c = Cols {
        row,
        what: "pension_awards",
    };
    Ok(PensionAwardRecord {
        person_id: PersonId::new(c.text(0)?),
        region: RegionCode::new(c.text(1)?),
        retirement_month: month(&c, 2)?,
        basic_fen: c.int(3)?,
        account_fen: c.int(4)?,
        transitional_fen: c.int(5)?,
        monthly_fen: c.int(6)?,
        awarded_at: c.time(7)?,
    })
}

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

/// Rows per `unnest` insert on PostgreSQL: a few megabytes of array text.
const ARRAY_ROWS: usize = 10_000;

/// A PostgreSQL array literal (`{"a","b",NULL}`, `{1,2,NULL}`) built one element at a time.
#[derive(Default)]
struct ArrayLiteral(String);

impl ArrayLiteral {
    fn separate(&mut self) {
        self.0.push(if self.0.is_empty() { '{' } else { ',' });
    }

    /// A text element, quoted, with `"` and `\` escaped.
    fn text(&mut self, value: Option<&str>) {
        self.separate();
        match value {
            Some(text) => {
                self.0.push('"');
                for c in text.chars() {
                    if matches!(c, '"' | '\\') {
                        self.0.push('\\');
                    }
                    self.0.push(c);
                }
                self.0.push('"');
            }
            None => self.0.push_str("NULL"),
        }
    }

    fn int(&mut self, value: Option<i64>) {
        self.separate();
        match value {
            Some(n) => self.0.push_str(&n.to_string()),
            None => self.0.push_str("NULL"),
        }
    }

    fn finish(mut self) -> Val {
        if self.0.is_empty() {
            self.0.push('{');
        }
        self.0.push('}');
        Val::Text(Some(self.0))
    }
}

/// `$1, $2, …` for `count` values starting after `offset`.
fn placeholders(offset: usize, count: usize) -> String {
    (offset + 1..=offset + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Tx<'_> {
    pub fn insert_contribution_parameters(
        &mut self,
        region: &RegionCode,
        effective_from: Date,
        body: &str,
        created_by: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.insert_version(
            "contribution_parameters",
            region,
            effective_from,
            body,
            created_by,
            now,
        )
    }

    /// The contribution parameters in force on `on`.
    pub fn contribution_parameters_at(
        &mut self,
        region: &RegionCode,
        on: Date,
    ) -> Result<Option<(Date, String)>, StoreError> {
        self.version_at("contribution_parameters", region, on)
    }

    pub fn insert_employer(&mut self, employer: &EmployerRecord) -> Result<(), StoreError> {
        self.exec(
            &format!(
                "INSERT INTO employers ({EMPLOYER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
            ),
            &[
                employer.id.as_str().into(),
                employer.credit_code.as_str().into(),
                employer.name.as_str().into(),
                employer.region.as_str().into(),
                employer.risk_class.into(),
                employer.rate_tier_percent.into(),
                employer.created_at.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    pub fn employer(&mut self, id: &EmployerId) -> Result<Option<EmployerRecord>, StoreError> {
        self.one(
            &format!("SELECT {EMPLOYER_COLUMNS} FROM employers WHERE id = $1"),
            &[id.as_str().into()],
            employer_from,
        )
    }

    pub fn employer_by_credit_code(
        &mut self,
        code: &str,
    ) -> Result<Option<EmployerRecord>, StoreError> {
        self.one(
            &format!("SELECT {EMPLOYER_COLUMNS} FROM employers WHERE credit_code = $1"),
            &[code.into()],
            employer_from,
        )
    }

    pub fn insert_enrolment(&mut self, enrolment: &EnrolmentRecord) -> Result<(), StoreError> {
        self.exec(
            &format!("INSERT INTO enrolments ({ENROLMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)"),
            &[
                enrolment.id.as_str().into(),
                enrolment.person_id.as_str().into(),
                id_val(enrolment.employer_id.as_ref().map(EmployerId::as_str)),
                enrolment.region.as_str().into(),
                enrolment.kind.as_str().into(),
                enrolment.start.to_string().into(),
                enrolment.end.map(|m| m.to_string()).into(),
                enrolment.created_at.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    /// Ends an enrolment at `end` (inclusive), over its version.
    pub fn end_enrolment(
        &mut self,
        enrolment: &EnrolmentRecord,
        end: Month,
    ) -> Result<(), StoreError> {
        self.exec_versioned(
            "enrolment",
            "UPDATE enrolments SET end_month = $2, version = version + 1 WHERE id = $1 AND version = $3",
            &[enrolment.id.as_str().into(), end.to_string().into(), enrolment.version.into()],
        )
    }

    pub fn enrolments_of_person(
        &mut self,
        person: &PersonId,
    ) -> Result<Vec<EnrolmentRecord>, StoreError> {
        self.all(
            &format!("SELECT {ENROLMENT_COLUMNS} FROM enrolments WHERE person_id = $1 ORDER BY start_month, id"),
            &[person.as_str().into()],
            enrolment_from,
        )
    }

    pub fn enrolments_of_employer(
        &mut self,
        employer: &EmployerId,
    ) -> Result<Vec<EnrolmentRecord>, StoreError> {
        self.all(
            &format!("SELECT {ENROLMENT_COLUMNS} FROM enrolments WHERE employer_id = $1 ORDER BY person_id, start_month"),
            &[employer.as_str().into()],
            enrolment_from,
        )
    }

    /// The enrolments of `persons` (through any employer), by person then start: one seek on
    /// the person index each. (Adding the employer to the condition let PostgreSQL, without
    /// statistics after a bulk load, intersect it with the employer index, reading all of a
    /// 200,000-employee employer's entries per statement.)
    pub fn enrolments_of_persons(
        &mut self,
        persons: &[PersonId],
    ) -> Result<Vec<EnrolmentRecord>, StoreError> {
        let mut found = Vec::new();
        for chunk in persons.chunks(INSERT_CHUNK) {
            let sql = format!(
                "SELECT {ENROLMENT_COLUMNS} FROM enrolments WHERE person_id IN ({}) \
                 ORDER BY person_id, start_month",
                placeholders(0, chunk.len())
            );
            let params: Vec<Val> = chunk.iter().map(|p| Val::from(p.as_str())).collect();
            found.extend(self.all(&sql, &params, enrolment_from)?);
        }
        Ok(found)
    }

    /// Persons by the blind indexes of their ID numbers, as (index, id) pairs.
    pub fn persons_by_citizen_indexes(
        &mut self,
        indexes: &[String],
    ) -> Result<Vec<(String, PersonId)>, StoreError> {
        let mut found = Vec::with_capacity(indexes.len());
        for chunk in indexes.chunks(INSERT_CHUNK) {
            let sql = format!(
                "SELECT citizen_index, id FROM persons WHERE citizen_index IN ({})",
                placeholders(0, chunk.len())
            );
            let params: Vec<Val> = chunk.iter().map(|i| Val::from(i.as_str())).collect();
            found.extend(self.all(&sql, &params, |row| {
                let c = Cols {
                    row,
                    what: "persons",
                };
                Ok((c.text(0)?, PersonId::new(c.text(1)?)))
            })?);
        }
        Ok(found)
    }

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
        let unnested = SQL.get_or_init(|| {
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
        });
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

    /// A person's contributions, oldest first, optionally of one insurance.
    pub fn contributions_of_person(
        &mut self,
        person: &PersonId,
        insurance: Option<Insurance>,
    ) -> Result<Vec<ContributionRecord>, StoreError> {
        self.all(
            &format!(
                "SELECT {CONTRIBUTION_COLUMNS} FROM contributions WHERE person_id = $1 \
                 AND (CAST($2 AS TEXT) IS NULL OR insurance = $2) ORDER BY month, insurance"
            ),
            &[
                person.as_str().into(),
                insurance.map(|i| i.as_str().to_owned()).into(),
            ],
            contribution_from,
        )
    }

    /// An employer's owed contributions of one month.
    pub fn owed_contributions(
        &mut self,
        employer: &EmployerId,
        month: Month,
    ) -> Result<Vec<ContributionRecord>, StoreError> {
        self.all(
            &format!(
                "SELECT {CONTRIBUTION_COLUMNS} FROM contributions WHERE employer_id = $1 AND month = $2 AND status = 'owed' \
                 ORDER BY person_id, insurance"
            ),
            &[employer.as_str().into(), month.to_string().into()],
            contribution_from,
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
                let c = Cols { row, what: "contributions" };
                Ok(ArrearsRecord { month: month(&c, 0)?, rows: c.int(1)?, employer_fen: c.int(2)?, individual_fen: c.int(3)? })
            },
        )
    }

    pub fn insert_declaration(
        &mut self,
        declaration: &DeclarationRecord,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO declarations (id, employer_id, digest, rows_total, rows_accepted, rows_unchanged, rows_rejected, \
             errors, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            &[
                declaration.id.as_str().into(),
                declaration.employer_id.as_str().into(),
                declaration.digest.as_str().into(),
                declaration.rows_total.into(),
                declaration.rows_accepted.into(),
                declaration.rows_unchanged.into(),
                declaration.rows_rejected.into(),
                declaration.errors.as_str().into(),
                declaration.actor.as_str().into(),
                declaration.created_at.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    const DECLARATION_SELECT: &'static str = "SELECT id, employer_id, digest, rows_total, rows_accepted, rows_unchanged, \
        rows_rejected, errors, actor, created_at FROM declarations";

    pub fn declaration(&mut self, id: &str) -> Result<Option<DeclarationRecord>, StoreError> {
        self.one(
            &format!("{} WHERE id = $1", Self::DECLARATION_SELECT),
            &[id.into()],
            declaration_from,
        )
    }

    pub fn declaration_by_digest(
        &mut self,
        employer: &EmployerId,
        digest: &str,
    ) -> Result<Option<DeclarationRecord>, StoreError> {
        self.one(
            &format!(
                "{} WHERE employer_id = $1 AND digest = $2",
                Self::DECLARATION_SELECT
            ),
            &[employer.as_str().into(), digest.into()],
            declaration_from,
        )
    }

    pub fn insert_certificate(
        &mut self,
        certificate: &CertificateRecord,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO certificates (code, person_id, digest, content_cipher, summary, issued_at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                certificate.code.as_str().into(),
                certificate.person_id.as_str().into(),
                certificate.digest.as_str().into(),
                certificate.content_cipher.as_str().into(),
                certificate.summary.as_str().into(),
                certificate.issued_at.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    pub fn certificate(&mut self, code: &str) -> Result<Option<CertificateRecord>, StoreError> {
        self.one(
            "SELECT code, person_id, digest, content_cipher, summary, issued_at FROM certificates WHERE code = $1",
            &[code.into()],
            |row| {
                let c = Cols { row, what: "certificates" };
                Ok(CertificateRecord {
                    code: c.text(0)?,
                    person_id: PersonId::new(c.text(1)?),
                    digest: c.text(2)?,
                    content_cipher: c.text(3)?,
                    summary: c.text(4)?,
                    issued_at: c.time(5)?,
                })
            },
        )
    }

    /// Records a pension award; a person has at most one.
    pub fn insert_pension_award(&mut self, award: &PensionAwardRecord) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO pension_awards (person_id, region_code, retirement_month, basic_fen, account_fen, transitional_fen, \
             monthly_fen, awarded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                award.person_id.as_str().into(),
                award.region.as_str().into(),
                award.retirement_month.to_string().into(),
                award.basic_fen.into(),
                award.account_fen.into(),
                award.transitional_fen.into(),
                award.monthly_fen.into(),
                award.awarded_at.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    const AWARD_SELECT: &'static str = "SELECT person_id, region_code, retirement_month, basic_fen, account_fen, \
        transitional_fen, monthly_fen, awarded_at FROM pension_awards";

    pub fn pension_award(
        &mut self,
        person: &PersonId,
    ) -> Result<Option<PensionAwardRecord>, StoreError> {
        self.one(
            &format!("{} WHERE person_id = $1", Self::AWARD_SELECT),
            &[person.as_str().into()],
            award_from,
        )
    }

    /// Pensions in payment in a region from `month` on.
    pub fn pension_awards_due(
        &mut self,
        region: &RegionCode,
        month: Month,
    ) -> Result<Vec<PensionAwardRecord>, StoreError> {
        self.all(
            &format!(
                "{} WHERE region_code = $1 AND retirement_month <= $2 ORDER BY person_id",
                Self::AWARD_SELECT
            ),
            &[region.as_str().into(), month.to_string().into()],
            award_from,
        )
    }

    /// Records that a benefit for `period` was paid; a second payment of the same period is
    /// a conflict, which makes payout runs idempotent.
    pub fn insert_benefit_payment(
        &mut self,
        person: &PersonId,
        kind: &str,
        period: &str,
        transfer: &TransferId,
        amount_fen: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO benefit_payments (person_id, kind, period, transfer_id, amount_fen, paid_at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                person.as_str().into(),
                kind.into(),
                period.into(),
                transfer.as_str().into(),
                amount_fen.into(),
                now.unix_seconds().into(),
            ],
        )
        .map(|_| ())
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

impl Tx<'_> {
    /// The person an enrolment belongs to.
    pub fn enrolment_person(&mut self, id: &str) -> Result<Option<PersonId>, StoreError> {
        self.one(
            "SELECT person_id FROM enrolments WHERE id = $1",
            &[id.into()],
            |row| {
                Ok(PersonId::new(
                    Cols {
                        row,
                        what: "enrolments",
                    }
                    .text(0)?,
                ))
            },
        )
    }
}

impl Tx<'_> {
    /// Everyone ever enrolled in a region.
    pub fn persons_enrolled_in_region(
        &mut self,
        region: &RegionCode,
    ) -> Result<Vec<PersonId>, StoreError> {
        self.all(
            "SELECT DISTINCT person_id FROM enrolments WHERE region_code = $1 ORDER BY person_id",
            &[region.as_str().into()],
            |row| {
                Ok(PersonId::new(
                    Cols {
                        row,
                        what: "enrolments",
                    }
                    .text(0)?,
                ))
            },
        )
    }
}

/// The enrolments the monthly contribution run covers: in the region, open in the month,
/// employees and flexible workers. `$1` is the region, `$2` the month.
const INSURED_IN_MONTH: &str = "e.region_code = $1 AND e.start_month <= $2 \
    AND (e.end_month IS NULL OR e.end_month >= $2) AND e.kind IN ('employee', 'flexible')";

const RUN_COLUMNS: &str = "id, region_code, month, persons, posted, rows_written, already_recorded, \
    skipped_no_base, actor, started_at, finished_at";

fn run_from(row: &Row) -> Result<ContributionRunRecord, StoreError> {
    let c = Cols {
        row,
        what: "contribution_runs",
    };
    Ok(ContributionRunRecord {
        id: c.text(0)?,
        region: RegionCode::new(c.text(1)?),
        month: month(&c, 2)?,
        persons: c.int(3)?,
        posted: c.int(4)?,
        rows_written: c.int(5)?,
        already_recorded: c.int(6)?,
        skipped_no_base: c.int(7)?,
        actor: c.text(8)?,
        started_at: c.time(9)?,
        finished_at: c.time(10)?,
    })
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
        let count = self.one(
            &format!("SELECT COUNT(*) FROM enrolments e WHERE {INSURED_IN_MONTH}"),
            &[region.as_str().into(), month.to_string().into()],
            |row| {
                Cols {
                    row,
                    what: "enrolments",
                }
                .int(0)
            },
        )?;
        Ok(count.unwrap_or(0))
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
                let c = Cols {
                    row,
                    what: "enrolments",
                };
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

    /// Every contribution row recorded (for benchmarks and statistics).
    pub fn contribution_count(&mut self) -> Result<i64, StoreError> {
        let count = self.one("SELECT COUNT(*) FROM contributions", &[], |row| {
            Cols {
                row,
                what: "contributions",
            }
            .int(0)
        })?;
        Ok(count.unwrap_or(0))
    }

    pub fn insert_contribution_run(
        &mut self,
        run: &ContributionRunRecord,
    ) -> Result<(), StoreError> {
        self.exec(
            &format!(
                "INSERT INTO contribution_runs ({RUN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
            ),
            &[
                run.id.as_str().into(),
                run.region.as_str().into(),
                run.month.to_string().into(),
                run.persons.into(),
                run.posted.into(),
                run.rows_written.into(),
                run.already_recorded.into(),
                run.skipped_no_base.into(),
                run.actor.as_str().into(),
                run.started_at.unix_seconds().into(),
                run.finished_at.unix_seconds().into(),
            ],
        )
        .map(|_| ())
    }

    /// The runs of a region's month, oldest first.
    pub fn contribution_runs(
        &mut self,
        region: &RegionCode,
        month: Month,
    ) -> Result<Vec<ContributionRunRecord>, StoreError> {
        self.all(
            &format!(
                "SELECT {RUN_COLUMNS} FROM contribution_runs WHERE region_code = $1 AND month = $2 \
                 ORDER BY started_at, id"
            ),
            &[region.as_str().into(), month.to_string().into()],
            run_from,
        )
    }
}
