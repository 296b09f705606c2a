//! The row codec: reading a result row's columns as domain values, and the [`columns!`]
//! tables that declare each table's columns once — the `SELECT` list and the position a
//! mapper reads come from the same line, so they cannot drift apart.

use shebao_domain::time::{Date, Timestamp};

use crate::{Row, StoreError, Val};

/// Declares the columns a mapper reads, once, as a module: `LIST` (the columns joined by
/// `", "` for a `SELECT` or `INSERT` list), `COUNT`, and one constant per column holding its
/// position in `LIST`. A mapper reads `c.text(cards::person_id)`, never a bare number. With
/// `: Record = mapper`, the record is also a [`Table`] read by `mapper`.
macro_rules! columns {
    ($(#[$doc:meta])* $vis:vis mod $table:ident: $record:ty = $read:ident { $($column:ident),+ $(,)? }) => {
        $crate::codec::columns! { $(#[$doc])* $vis mod $table { $($column),+ } }
        impl $crate::codec::Table for $record {
            const NAME: &'static str = $table::TABLE;
            const COLUMNS: &'static str = $table::LIST;
            fn read(c: &$crate::codec::Cols<'_>) -> Result<Self, $crate::StoreError> {
                $read(c)
            }
        }
    };
    ($(#[$doc:meta])* $vis:vis mod $table:ident { $first:ident $(, $rest:ident)* $(,)? }) => {
        $(#[$doc])*
        #[allow(
            non_upper_case_globals,
            dead_code,
            reason = "each column's position is named as the column is, read or not"
        )]
        $vis mod $table {
            /// The table's name, for statements and error messages.
            pub(crate) const TABLE: &str = stringify!($table);
            /// The columns in order, as a `SELECT` list.
            pub(crate) const LIST: &str = concat!(stringify!($first) $(, ", ", stringify!($rest))*);
            /// How many columns `LIST` holds.
            pub(crate) const COUNT: usize = [stringify!($first) $(, stringify!($rest))*].len();
            #[allow(non_camel_case_types, reason = "the variants are the columns' own names")]
            enum Position { $first $(, $rest)* }
            pub(crate) const $first: usize = Position::$first as usize;
            $(pub(crate) const $rest: usize = Position::$rest as usize;)*
        }
    };
}
pub(crate) use columns;

/// A record kept as one row of one table, its columns declared once with [`columns!`].
pub(crate) trait Table: Sized {
    const NAME: &'static str;
    const COLUMNS: &'static str;
    fn read(c: &Cols<'_>) -> Result<Self, StoreError>;
}

/// Reads column `i` of a row as the given kind, naming the column when it does not fit.
pub(crate) struct Cols<'r> {
    pub(crate) row: &'r Row,
    pub(crate) what: &'static str,
}

impl<'r> Cols<'r> {
    pub(crate) fn new(row: &'r Row, what: &'static str) -> Cols<'r> {
        Cols { row, what }
    }

    pub(crate) fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_int(i)?.ok_or_else(|| self.corrupt(i))
    }

    pub(crate) fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.row.get(i) {
            Some(Val::Int(value)) => Ok(*value),
            Some(Val::Text(None)) => Ok(None),
            _ => Err(self.corrupt(i)),
        }
    }

    pub(crate) fn text(&self, i: usize) -> Result<String, StoreError> {
        self.opt_text(i)?.ok_or_else(|| self.corrupt(i))
    }

    pub(crate) fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.row.get(i) {
            Some(Val::Text(value)) => Ok(value.clone()),
            Some(Val::Int(None)) => Ok(None),
            _ => Err(self.corrupt(i)),
        }
    }

    pub(crate) fn time(&self, i: usize) -> Result<Timestamp, StoreError> {
        self.int(i).map(Timestamp::from_unix_seconds)
    }

    pub(crate) fn opt_time(&self, i: usize) -> Result<Option<Timestamp>, StoreError> {
        Ok(self.opt_int(i)?.map(Timestamp::from_unix_seconds))
    }

    pub(crate) fn date(&self, i: usize) -> Result<Date, StoreError> {
        Date::parse_iso(&self.text(i)?).ok_or_else(|| self.corrupt(i))
    }

    pub(crate) fn opt_date(&self, i: usize) -> Result<Option<Date>, StoreError> {
        match self.opt_text(i)? {
            Some(text) => Date::parse_iso(&text)
                .map(Some)
                .ok_or_else(|| self.corrupt(i)),
            None => Ok(None),
        }
    }

    pub(crate) fn parsed<T>(
        &self,
        i: usize,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, StoreError> {
        parse(&self.text(i)?).ok_or_else(|| self.corrupt(i))
    }

    /// A count or an ordinal stored as BIGINT that the domain holds as `u32`.
    pub(crate) fn u32(&self, i: usize) -> Result<u32, StoreError> {
        u32::try_from(self.int(i)?).map_err(|_| self.corrupt(i))
    }

    pub(crate) fn corrupt(&self, i: usize) -> StoreError {
        StoreError::Corrupt(format!("{} column {i}", self.what))
    }
}

/// A mapper for a one-column answer: its integer, read as a table's column.
pub(crate) fn first_int(what: &'static str) -> impl Fn(&Row) -> Result<i64, StoreError> {
    move |row| Cols::new(row, what).int(0)
}

/// A mapper for a one-column answer: its text, read as a table's column.
pub(crate) fn first_text(what: &'static str) -> impl Fn(&Row) -> Result<String, StoreError> {
    move |row| Cols::new(row, what).text(0)
}

/// An optional identifier as a text value (NULL when absent).
pub(crate) fn id_val(id: Option<&str>) -> Val {
    Val::Text(id.map(str::to_owned))
}

/// `$1, $2, …` for `count` values starting after `offset`.
pub(crate) fn placeholders(offset: usize, count: usize) -> String {
    (offset + 1..=offset + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    columns! {
        mod sample { a, b_c, d }
    }

    #[test]
    fn a_column_table_names_each_position_once() {
        assert_eq!(sample::LIST, "a, b_c, d");
        assert_eq!(
            (sample::a, sample::b_c, sample::d, sample::COUNT),
            (0, 1, 2, 3)
        );
        assert_eq!(sample::TABLE, "sample");
    }

    #[test]
    fn placeholders_count_from_the_offset() {
        assert_eq!(super::placeholders(2, 3), "$3, $4, $5");
    }
}
