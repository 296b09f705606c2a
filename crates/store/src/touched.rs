//! Which of the tables a cache above the store may hold have been written since it last
//! asked. The group writer watches every statement its jobs run (the money engine's own
//! writes excepted, which it takes and discards itself), so a cache of those tables' rows
//! can be dropped when someone else wrote one — without each write path having to say so:
//! a statement that writes a table names it, whoever wrote the statement.

use crate::{Conn, Row, StoreError, Val};

/// The tables a cache may hold, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Touched(u16);

impl Touched {
    pub const NONE: Touched = Touched(0);
    pub const CARDS: Touched = Touched(1);
    pub const ACCOUNTS: Touched = Touched(1 << 1);
    pub const LEDGER_ACCOUNTS: Touched = Touched(1 << 2);
    pub const AUDIT_HEADS: Touched = Touched(1 << 3);
    pub const REGION_PARAMETERS: Touched = Touched(1 << 4);
    pub const MANUAL_CREDIT_DAYS: Touched = Touched(1 << 5);
    /// Everything: what a connection that does not watch answers, so a cache over it is
    /// always dropped.
    pub const ALL: Touched = Touched(u16::MAX);

    /// The tables watched, by name.
    const TABLES: [(&'static str, Touched); 6] = [
        ("cards", Touched::CARDS),
        ("accounts", Touched::ACCOUNTS),
        ("ledger_accounts", Touched::LEDGER_ACCOUNTS),
        ("audit_heads", Touched::AUDIT_HEADS),
        ("region_parameters", Touched::REGION_PARAMETERS),
        ("manual_credit_days", Touched::MANUAL_CREDIT_DAYS),
    ];

    /// Whether any table of `tables` is among these.
    pub fn any(self, tables: Touched) -> bool {
        self.0 & tables.0 != 0
    }

    fn add(&mut self, other: Touched) {
        self.0 |= other.0;
    }

    /// The watched tables a statement may write: every watched table it names, if it is not a
    /// plain `SELECT` (a `WITH … UPDATE` or a trigger's target named in it is counted too).
    /// A word is a run of letters, digits and `_`, so `accounts` is not found inside
    /// `ledger_accounts`.
    pub fn written_by(sql: &str) -> Touched {
        let trimmed = sql.trim_start();
        let reads_only = trimmed
            .get(..6)
            .is_some_and(|head| head.eq_ignore_ascii_case("select"));
        let mut touched = Touched::NONE;
        if reads_only {
            return touched;
        }
        // Most statements name no watched table: a substring search (every watched name
        // contains one of these) settles them before the word-by-word scan.
        let lower = sql.to_ascii_lowercase();
        if ![
            "accounts",
            "cards",
            "audit_heads",
            "region_parameters",
            "manual_credit",
        ]
        .iter()
        .any(|part| lower.contains(part))
        {
            return touched;
        }
        for word in lower.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            for (name, table) in Touched::TABLES {
                if word == name {
                    touched.add(table);
                }
            }
        }
        touched
    }
}

/// A connection that notes the watched tables each statement may write.
pub(crate) struct Watched<'a> {
    pub(crate) conn: &'a mut dyn Conn,
    pub(crate) touched: &'a mut Touched,
}

impl Conn for Watched<'_> {
    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError> {
        self.touched.add(Touched::written_by(sql));
        self.conn.execute(sql, params)
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        // `INSERT … RETURNING` and the like write through a query.
        self.touched.add(Touched::written_by(sql));
        self.conn.query(sql, params)
    }

    fn text_arrays(&self) -> bool {
        self.conn.text_arrays()
    }

    fn full_text(&self) -> crate::FullText {
        self.conn.full_text()
    }

    fn refresh_statistics(&mut self, table: &'static str) -> Result<(), StoreError> {
        self.conn.refresh_statistics(table)
    }

    fn take_touched(&mut self) -> Touched {
        std::mem::replace(self.touched, Touched::NONE)
    }

    fn written_elsewhere(&mut self) -> Result<bool, StoreError> {
        self.conn.written_elsewhere()
    }
}

#[cfg(test)]
mod tests {
    use super::Touched;

    #[test]
    fn a_statement_touches_the_watched_tables_it_names_as_words() {
        let update =
            Touched::written_by("UPDATE ledger_accounts SET balance_fen = $2 WHERE id = $1");
        assert!(update.any(Touched::LEDGER_ACCOUNTS));
        assert!(!update.any(Touched::ACCOUNTS));
        let insert = Touched::written_by("INSERT INTO accounts (id) VALUES ($1)");
        assert!(insert.any(Touched::ACCOUNTS));
        assert!(!insert.any(Touched::CARDS));
        assert_eq!(
            Touched::written_by("  select * from cards where id = $1"),
            Touched::NONE
        );
        assert!(
            Touched::written_by("WITH x AS (SELECT 1) UPDATE Cards SET status = $1")
                .any(Touched::CARDS)
        );
        assert_eq!(
            Touched::written_by("INSERT INTO entries VALUES ($1)"),
            Touched::NONE
        );
    }
}
