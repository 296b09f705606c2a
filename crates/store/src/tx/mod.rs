//! The operations of one transaction, in the domain's words, as portable SQL (`$n`
//! placeholders, BIGINT and TEXT only) that SQLite and PostgreSQL both run. Each mission
//! area's SQL lives in the module of its name; this module holds the transaction itself.

use crate::codec::{Cols, Record, Table, first_int, placeholders};
use shebao_domain::time::Timestamp;

use crate::{Conn, Row, StoreError, Val};

mod access;
pub(crate) mod arrays;
mod audit;
mod card;
mod distribution;
mod employment;
mod everyday;
mod idempotency;
mod injury;
mod insurance;
mod maternity;
mod medical;
mod money;
mod production;
mod training;
mod unemployment;

pub use distribution::{Bound, DISTRIBUTION_LISTED_MAX};
pub use employment::{APPLICATIONS_LISTED_MAX, VACANCIES_LISTED_MAX};
pub use everyday::{ECARD_LISTED_MAX, ECARD_PUBLISHED_MAX};
pub use injury::INJURY_LISTED_MAX;
pub use maternity::MATERNITY_LISTED_MAX;
pub use money::MoneyGroup;
pub use production::PRODUCTION_LISTED_MAX;
pub use training::TRAINING_LISTED_MAX;
pub use unemployment::UNEMPLOYMENT_LISTED_MAX;
mod person;
mod reference;

/// Declares thin `Tx` methods, one a line, each a `pub fn name(arguments)` followed by what
/// it does. `-> Option<R> = "filter"` reads the first record of `R`'s table matching the
/// filter (`WHERE …`, `ORDER BY …`), `-> Vec<R> = "filter"` every match, the arguments
/// bound in order as `$1`, `$2`, … through [`Param`](crate::codec::Param).
/// `= insert("table", "columns")` inserts one row of the arguments, in the order of the
/// columns. `= method` or `= method(leading, …)` passes the arguments on to another `Tx`
/// method, after the leading ones given, and answers what it answers (`()` unless a `-> R`
/// is written).
macro_rules! accessors {
    () => {};
    (@answer) => { () };
    (@answer $answer:ty) => { $answer };
    (
        $(#[$doc:meta])*
        pub fn $name:ident($($arg:ident: $kind:ty),* $(,)?) -> $answer:ty = $filter:literal;
        $($rest:tt)*
    ) => {
        $(#[$doc])*
        pub fn $name(&mut self, $($arg: $kind),*) -> Result<$answer, $crate::StoreError> {
            let params = [$({
                use $crate::codec::Param as _;
                $arg.param()
            }),*];
            <$answer as $crate::tx::Lookup>::lookup(self, $filter, &params)
        }
        $crate::tx::accessors! { $($rest)* }
    };
    (
        $(#[$doc:meta])*
        pub fn $name:ident($($arg:ident: $kind:ty),* $(,)?)
            = insert($table:literal, $columns:literal);
        $($rest:tt)*
    ) => {
        $(#[$doc])*
        pub fn $name(&mut self, $($arg: $kind),*) -> Result<(), $crate::StoreError> {
            let values = [$({
                use $crate::codec::Param as _;
                $arg.param()
            }),*];
            self.insert($table, $columns, &values)
        }
        $crate::tx::accessors! { $($rest)* }
    };
    (
        $(#[$doc:meta])*
        pub fn $name:ident($($arg:ident: $kind:ty),* $(,)?) $(-> $answer:ty)?
            = $via:ident $(($($lead:expr),* $(,)?))?;
        $($rest:tt)*
    ) => {
        $(#[$doc])*
        pub fn $name(
            &mut self,
            $($arg: $kind),*
        ) -> Result<$crate::tx::accessors!(@answer $($answer)?), $crate::StoreError> {
            self.$via($($($lead,)*)? $($arg),*)
        }
        $crate::tx::accessors! { $($rest)* }
    };
}
pub(crate) use accessors;

/// What a look-up declared with [`accessors!`] answers: the first record matching its
/// filter, or every one.
pub(crate) trait Lookup: Sized {
    fn lookup(tx: &mut Tx<'_>, filter: &str, params: &[Val]) -> Result<Self, StoreError>;
}

impl<T: Table> Lookup for Option<T> {
    fn lookup(tx: &mut Tx<'_>, filter: &str, params: &[Val]) -> Result<Self, StoreError> {
        tx.find(filter, params)
    }
}

impl<T: Table> Lookup for Vec<T> {
    fn lookup(tx: &mut Tx<'_>, filter: &str, params: &[Val]) -> Result<Self, StoreError> {
        tx.find_all(filter, params)
    }
}

/// One open transaction. Any storage error is remembered so the backend can tell a refusal
/// (roll back) from a failure (retry or report).
pub struct Tx<'a> {
    conn: &'a mut dyn Conn,
    failure: Option<StoreError>,
}

impl<'a> Tx<'a> {
    pub fn new(conn: &'a mut dyn Conn) -> Tx<'a> {
        Tx {
            conn,
            failure: None,
        }
    }

    /// The first storage error met so far, if any, left for the backend to see.
    pub fn failure(&self) -> Option<&StoreError> {
        self.failure.as_ref()
    }

    /// The first storage error met, if any (the backend decides whether to retry).
    pub fn take_failure(&mut self) -> Option<StoreError> {
        self.failure.take()
    }

    fn note<T>(&mut self, result: Result<T, StoreError>) -> Result<T, StoreError> {
        if let Err(error) = &result
            && matches!(
                error,
                StoreError::Retry | StoreError::Unavailable(_) | StoreError::Backend(_)
            )
            && self.failure.is_none()
        {
            self.failure = Some(error.clone());
        }
        result
    }

    fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError> {
        let result = self.conn.execute(sql, params);
        self.note(result)
    }

    fn rows(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        let result = self.conn.query(sql, params);
        self.note(result)
    }

    fn one<T>(
        &mut self,
        sql: &str,
        params: &[Val],
        map: impl Fn(&Row) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        self.rows(sql, params)?.first().map(map).transpose()
    }

    fn all<T>(
        &mut self,
        sql: &str,
        params: &[Val],
        map: impl Fn(&Row) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        self.rows(sql, params)?.iter().map(map).collect()
    }

    /// The integer in the first column of the first row; zero when there is no row (a count,
    /// a sum or a sequence not started yet).
    fn int_or_zero(
        &mut self,
        sql: &str,
        params: &[Val],
        what: &'static str,
    ) -> Result<i64, StoreError> {
        Ok(self.one(sql, params, first_int(what))?.unwrap_or(0))
    }

    /// Runs a statement whose count of changed rows does not matter.
    fn run(&mut self, sql: &str, params: &[Val]) -> Result<(), StoreError> {
        self.exec(sql, params).map(|_| ())
    }

    /// Inserts one row: `values` in the order of `columns` of `table` (names written in
    /// code, never input).
    fn insert(&mut self, table: &str, columns: &str, values: &[Val]) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO {table} ({columns}) VALUES ({})",
            placeholders(0, values.len())
        );
        self.run(&sql, values)
    }

    /// Inserts a record with all its [`Table`] columns.
    fn insert_record<T: Table>(&mut self, values: &[Val]) -> Result<(), StoreError> {
        self.insert(T::NAME, T::COLUMNS, values)
    }

    /// Inserts `record` as one row of its table.
    fn insert_row<T: Record>(&mut self, record: &T) -> Result<(), StoreError> {
        self.insert_record::<T>(&record.values())
    }

    /// Inserts `record`, whose last column is its version, as a new row at version 0
    /// whatever version it carries.
    fn insert_new_version<T: Record>(&mut self, record: &T) -> Result<(), StoreError> {
        let mut values = record.values();
        if let Some(version) = values.last_mut() {
            *version = 0_i64.into();
        }
        self.insert_record::<T>(&values)
    }

    /// Inserts `record` as one row of its table, with its `created_at` at `now`.
    fn insert_row_at<T: Record>(&mut self, record: &T, now: Timestamp) -> Result<(), StoreError> {
        let mut values = record.values();
        values.push(now.unix_seconds().into());
        self.insert(T::NAME, &format!("{}, created_at", T::COLUMNS), &values)
    }

    /// The first record of `T`'s table matching `filter` (`WHERE …`, `ORDER BY …`).
    fn find<T: Table>(&mut self, filter: &str, params: &[Val]) -> Result<Option<T>, StoreError> {
        let sql = format!("SELECT {} FROM {} {filter}", T::COLUMNS, T::NAME);
        self.one(&sql, params, |row| T::read(&Cols::new(row, T::NAME)))
    }

    /// Every record of `T`'s table matching `filter`.
    fn find_all<T: Table>(&mut self, filter: &str, params: &[Val]) -> Result<Vec<T>, StoreError> {
        let sql = format!("SELECT {} FROM {} {filter}", T::COLUMNS, T::NAME);
        self.all(&sql, params, |row| T::read(&Cols::new(row, T::NAME)))
    }

    /// Runs an update guarded by a version; no row changed means someone else saved first.
    fn exec_versioned(&mut self, what: &str, sql: &str, params: &[Val]) -> Result<(), StoreError> {
        match self.exec(sql, params)? {
            1 => Ok(()),
            _ => Err(StoreError::Conflict {
                what: format!("{what} changed concurrently"),
            }),
        }
    }

    /// Saves a row over its version: `values` bound as `$1`, `$2`, … and `version` after
    /// them, which `sql` compares with the stored one.
    fn update_versioned(
        &mut self,
        what: &str,
        sql: &str,
        mut values: Vec<Val>,
        version: i64,
    ) -> Result<(), StoreError> {
        values.push(version.into());
        self.exec_versioned(what, sql, &values)
    }

    /// Runs one statement as written, for the conformance suite's checks that the schema
    /// itself refuses what the application must never do.
    #[cfg(feature = "conformance")]
    pub(crate) fn execute_unchecked(
        &mut self,
        sql: &str,
        params: &[Val],
    ) -> Result<u64, StoreError> {
        self.exec(sql, params)
    }
}
