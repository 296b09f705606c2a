//! The row codec: reading a result row's columns as domain values, and the [`columns!`]
//! tables that declare each table's columns once — the `SELECT` list and the position a
//! mapper reads come from the same line, so they cannot drift apart.

use shebao_domain::access::Role;
use shebao_domain::employment::VacancyStatus;
use shebao_domain::employment::seeking::ApplicationStatus;
use shebao_domain::ids::{
    AccountId, BankId, BranchId, CardId, EmployerId, PersonId, RegionCode, TransferId, UserId,
};
use shebao_domain::insurance::injury_case::{AppraisalKind, InjuryApplicant};
use shebao_domain::insurance::unemployment::{Leaving, ReferralOutcome, SpellStatus, StopReason};
use shebao_domain::insurance::{Insurance, Month};
use shebao_domain::money::approval::{ApprovalReason, ApprovalStatus};
use shebao_domain::money::ledger::TransferCode;
use shebao_domain::person::HouseholdKind;
use shebao_domain::person::identity::Gender;
use shebao_domain::time::{Date, Timestamp};

use crate::{Row, StoreError, Val};

/// Declares the columns a mapper reads, once, as a module: `LIST` (the columns joined by
/// `", "` for a `SELECT` or `INSERT` list), `COUNT`, and one constant per column holding its
/// position in `LIST`, named after the column (or after the field, for `field = column`). A mapper reads `c.text(cards::person_id)`, never a bare number. With
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
    ($(#[$doc:meta])* $vis:vis mod $table:ident {
        $first:ident $(= $first_column:ident)? $(, $rest:ident $(= $column:ident)?)* $(,)?
    }) => {
        $(#[$doc])*
        #[allow(
            non_upper_case_globals,
            dead_code,
            reason = "each column's position is named as its field is, read or not"
        )]
        $vis mod $table {
            /// The table's name, for statements and error messages.
            pub(crate) const TABLE: &str = stringify!($table);
            /// The columns in order, as a `SELECT` or `INSERT` list.
            pub(crate) const LIST: &str = concat!(
                $crate::codec::column_name!($first $(= $first_column)?)
                $(, ", ", $crate::codec::column_name!($rest $(= $column)?))*
            );
            /// How many columns `LIST` holds.
            pub(crate) const COUNT: usize = [stringify!($first) $(, stringify!($rest))*].len();
            #[allow(non_camel_case_types, reason = "the variants are the fields' own names")]
            enum Position { $first $(, $rest)* }
            pub(crate) const $first: usize = Position::$first as usize;
            $(pub(crate) const $rest: usize = Position::$rest as usize;)*
        }
    };
}
pub(crate) use columns;

/// The column a field is stored in: its own name, or the one after `=`.
macro_rules! column_name {
    ($field:ident = $column:ident) => {
        stringify!($column)
    };
    ($field:ident) => {
        stringify!($field)
    };
}
pub(crate) use column_name;

/// Declares a record kept as one row of one table, field by field in column order (`field`,
/// or `field = column` where the column is named otherwise), and after a `;` at most one
/// field that is a struct of columns (`scope: Scope { bank_id, … }`): the [`columns!`]
/// module, and the record's [`Table`] and [`Record`] impls, which read and bind every field
/// through its [`Column`] impl. Each field is named once, so the column list, the
/// positions, the reader and the values bound cannot drift apart.
macro_rules! table {
    ($(#[$doc:meta])* $vis:vis mod $table:ident: $record:ident {
        $first:ident $(= $first_column:ident)? $(, $field:ident $(= $column:ident)?)* $(,)?
        $(; $group:ident: $group_kind:ident { $($part:ident),+ $(,)? })?
    }) => {
        $crate::codec::columns! {
            $(#[$doc])*
            $vis mod $table {
                $first $(= $first_column)? $(, $field $(= $column)?)* $($(, $part)+)?
            }
        }
        impl $crate::codec::Table for $record {
            const NAME: &'static str = $table::TABLE;
            const COLUMNS: &'static str = $table::LIST;
            fn read(c: &$crate::codec::Cols<'_>) -> Result<Self, $crate::StoreError> {
                use $crate::codec::Column;
                Ok($record {
                    $first: Column::read(c, $table::$first)?,
                    $($field: Column::read(c, $table::$field)?,)*
                    $($group: $group_kind {
                        $($part: Column::read(c, $table::$part)?,)+
                    },)?
                })
            }
        }
        impl $crate::codec::Record for $record {
            fn values(&self) -> Vec<$crate::Val> {
                use $crate::codec::Column;
                vec![
                    self.$first.val() $(, self.$field.val())*
                    $($(, self.$group.$part.val())+)?
                ]
            }
        }
    };
}
pub(crate) use table;

/// A record whose every column is one of its fields ([`table!`]): its values, in the order
/// of its columns.
pub(crate) trait Record: Table {
    fn values(&self) -> Vec<Val>;
}

/// A field's type as one column: how it reads back and how it is bound.
pub(crate) trait Column: Sized {
    fn read(c: &Cols<'_>, i: usize) -> Result<Self, StoreError>;
    fn val(&self) -> Val;
}

/// `impl Column for $kind`: read by `Cols::$read`, bound by the conversion given.
macro_rules! plain_columns {
    ($($kind:ty => $read:ident, |$value:ident| $val:expr;)*) => {$(
        impl Column for $kind {
            fn read(c: &Cols<'_>, i: usize) -> Result<Self, StoreError> {
                c.$read(i)
            }
            fn val(&self) -> Val {
                let $value = self;
                $val
            }
        }
    )*};
}

plain_columns! {
    String => text, |value| value.as_str().into();
    Option<String> => opt_text, |value| value.clone().into();
    i64 => int, |value| (*value).into();
    Option<i64> => opt_int, |value| (*value).into();
    u32 => u32, |value| i64::from(*value).into();
    Timestamp => time, |value| value.unix_seconds().into();
    Option<Timestamp> => opt_time, |value| value.map(Timestamp::unix_seconds).into();
    Date => date, |value| value.to_string().into();
    Option<Date> => opt_date, |value| value.map(|d| d.to_string()).into();
    Month => month, |value| value.to_string().into();
    Option<Month> => opt_month, |value| value.map(|m| m.to_string()).into();
    bool => boolean, |value| i64::from(*value).into();
}

/// Identifiers: text, wrapped in their own type.
macro_rules! id_columns {
    ($($id:ty),*) => {$(
        impl Column for $id {
            fn read(c: &Cols<'_>, i: usize) -> Result<Self, StoreError> {
                c.text(i).map(<$id>::new)
            }
            fn val(&self) -> Val {
                self.as_str().into()
            }
        }

        impl Column for Option<$id> {
            fn read(c: &Cols<'_>, i: usize) -> Result<Self, StoreError> {
                Ok(c.opt_text(i)?.map(<$id>::new))
            }
            fn val(&self) -> Val {
                id_val(self.as_ref().map(<$id>::as_str))
            }
        }
    )*};
}

id_columns!(
    AccountId, BankId, BranchId, CardId, EmployerId, PersonId, RegionCode, TransferId, UserId
);

/// The domain's enumerations: stored as their names.
macro_rules! name_columns {
    ($($kind:ty),*) => {$(
        impl Column for $kind {
            fn read(c: &Cols<'_>, i: usize) -> Result<Self, StoreError> {
                c.parsed(i, <$kind>::parse)
            }
            fn val(&self) -> Val {
                self.as_str().into()
            }
        }

        impl Column for Option<$kind> {
            fn read(c: &Cols<'_>, i: usize) -> Result<Self, StoreError> {
                match c.opt_text(i)? {
                    Some(text) => <$kind>::parse(&text).map(Some).ok_or_else(|| c.corrupt(i)),
                    None => Ok(None),
                }
            }
            fn val(&self) -> Val {
                self.map(<$kind>::as_str).map(str::to_owned).into()
            }
        }
    )*};
}

name_columns!(
    ApplicationStatus,
    AppraisalKind,
    InjuryApplicant,
    ApprovalReason,
    ApprovalStatus,
    Gender,
    HouseholdKind,
    Insurance,
    Leaving,
    ReferralOutcome,
    Role,
    SpellStatus,
    StopReason,
    TransferCode,
    VacancyStatus
);

/// A method's argument bound as a statement parameter, as its column is bound: an
/// identifier or a name as text, a month or a date as its text, a time as Unix seconds.
pub(crate) trait Param {
    fn param(&self) -> Val;
}

impl<T: Column> Param for T {
    fn param(&self) -> Val {
        self.val()
    }
}

impl Param for str {
    fn param(&self) -> Val {
        self.into()
    }
}

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

    pub(crate) fn boolean(&self, i: usize) -> Result<bool, StoreError> {
        self.int(i).map(|value| value != 0)
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

    pub(crate) fn month(&self, i: usize) -> Result<Month, StoreError> {
        self.parsed(i, Month::parse)
    }

    pub(crate) fn opt_month(&self, i: usize) -> Result<Option<Month>, StoreError> {
        self.opt_text(i)?
            .map(|m| Month::parse(&m).ok_or_else(|| self.corrupt(i)))
            .transpose()
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
/// The values of a chunk of at most `count` keys bound to `count` placeholders: the chunk's
/// keys, then its first again (a fixed number of placeholders keeps one prepared statement;
/// a key repeated in an `IN` list changes nothing).
pub(crate) fn padded<'k>(chunk: &'k [&'k str], count: usize) -> impl Iterator<Item = Val> + 'k {
    (0..count).map(move |i| {
        chunk
            .get(i)
            .or(chunk.first())
            .copied()
            .unwrap_or_default()
            .into()
    })
}

pub(crate) fn placeholders(offset: usize, count: usize) -> String {
    (offset + 1..=offset + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    columns! {
        mod sample { a, b_c, d = dee }
    }

    #[test]
    fn a_column_table_names_each_position_once() {
        assert_eq!(sample::LIST, "a, b_c, dee");
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
