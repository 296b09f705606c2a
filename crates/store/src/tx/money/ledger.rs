//! The double-entry ledger: ledger accounts, transfers and their entries, statements and
//! the checks that every balance equals its entries and the whole sums to zero.

use shebao_domain::ids::TransferId;
use shebao_domain::money::ledger::TransferCode;
use shebao_domain::time::Timestamp;

use crate::StoreError;
use crate::codec::{Cols, first_text, table};
use crate::records::{EntryRecord, LedgerBalance, TransferRecord};
use crate::tx::{Tx, accessors};

table! {
    /// The columns of a transfer.
    mod transfers: TransferRecord {
        id, code, debit_account, credit_account, amount_fen, reverses, memo, actor, created_at,
    }
}

impl Tx<'_> {
    /// Creates a ledger account if it does not exist yet.
    pub fn ensure_ledger_account(
        &mut self,
        id: &str,
        allow_negative: bool,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.run(
            "INSERT INTO ledger_accounts (id, allow_negative, balance_fen, entries, created_at) \
             VALUES ($1, $2, 0, 0, $3) ON CONFLICT (id) DO NOTHING",
            &[id.into(), allow_negative.into(), now.unix_seconds().into()],
        )
    }

    pub fn ledger_balance(&mut self, id: &str) -> Result<Option<LedgerBalance>, StoreError> {
        self.one(
            "SELECT balance_fen, allow_negative, entries FROM ledger_accounts WHERE id = $1",
            &[id.into()],
            |row| {
                let c = Cols::new(row, "ledger_accounts");
                Ok(LedgerBalance {
                    balance_fen: c.int(0)?,
                    allow_negative: c.int(1)? != 0,
                    entries: c.int(2)?,
                })
            },
        )
    }

    /// Posts a transfer: one row in `transfers`, one entry on each side, both balances moved.
    /// A holder account (no `allow_negative`) can never go below zero: the schema refuses it.
    pub fn post_transfer(&mut self, transfer: &TransferRecord) -> Result<(), StoreError> {
        if transfer.amount_fen <= 0 || transfer.debit_account == transfer.credit_account {
            return Err(StoreError::Conflict {
                what: "a transfer moves a positive amount between two accounts".into(),
            });
        }
        self.insert_row(transfer)?;
        self.post_entry(&transfer.debit_account, -transfer.amount_fen, transfer)?;
        self.post_entry(&transfer.credit_account, transfer.amount_fen, transfer)
    }

    fn post_entry(
        &mut self,
        account: &str,
        delta_fen: i64,
        transfer: &TransferRecord,
    ) -> Result<(), StoreError> {
        let before = self
            .ledger_balance(account)?
            .ok_or_else(|| StoreError::Conflict {
                what: format!("ledger account {account} does not exist"),
            })?;
        let balance_after =
            before
                .balance_fen
                .checked_add(delta_fen)
                .ok_or_else(|| StoreError::Conflict {
                    what: "balance out of range".into(),
                })?;
        let seq = before.entries + 1;
        self.exec_versioned(
            "ledger account",
            "UPDATE ledger_accounts SET balance_fen = $2, entries = $3 WHERE id = $1 AND entries = $4",
            &[account.into(), balance_after.into(), seq.into(), before.entries.into()],
        )?;
        self.run(
            "INSERT INTO entries (account, seq, transfer_id, amount_fen, balance_after_fen) VALUES ($1, $2, $3, $4, $5)",
            &[account.into(), seq.into(), transfer.id.as_str().into(), delta_fen.into(), balance_after.into()],
        )
    }

    accessors! {
        pub fn transfer(id: &TransferId) -> Option<TransferRecord> = "WHERE id = $1";
    }

    /// The reversal of a transfer, if one was posted.
    pub fn reversal_of(&mut self, id: &TransferId) -> Result<Option<TransferId>, StoreError> {
        self.one(
            "SELECT id FROM transfers WHERE reverses = $1",
            &[id.as_str().into()],
            |row| Ok(TransferId::new(Cols::new(row, "transfers").text(0)?)),
        )
    }

    /// An account's history, newest first, before entry `before_seq` (exclusive).
    pub fn statement(
        &mut self,
        account: &str,
        before_seq: Option<i64>,
        limit: i64,
    ) -> Result<Vec<EntryRecord>, StoreError> {
        self.statement_between(account, before_seq, None, None, limit)
    }

    /// [`Tx::statement`] of the entries made at or after `from` and before `until` (Unix
    /// seconds), each bound left out when `None`.
    pub fn statement_between(
        &mut self,
        account: &str,
        before_seq: Option<i64>,
        from: Option<i64>,
        until: Option<i64>,
        limit: i64,
    ) -> Result<Vec<EntryRecord>, StoreError> {
        self.all(
            "SELECT e.account, e.seq, e.transfer_id, t.code, e.amount_fen, e.balance_after_fen, \
             CASE WHEN e.amount_fen < 0 THEN t.credit_account ELSE t.debit_account END, t.memo, t.created_at \
             FROM entries e JOIN transfers t ON t.id = e.transfer_id \
             WHERE e.account = $1 AND e.seq < $2 \
               AND t.created_at >= $4 AND t.created_at < $5 \
             ORDER BY e.seq DESC LIMIT $3",
            &[
                account.into(),
                before_seq.unwrap_or(i64::MAX).into(),
                limit.into(),
                from.unwrap_or(i64::MIN).into(),
                until.unwrap_or(i64::MAX).into(),
            ],
            |row| {
                let c = Cols::new(row, "entries");
                Ok(EntryRecord {
                    account: c.text(0)?,
                    seq: c.int(1)?,
                    transfer_id: TransferId::new(c.text(2)?),
                    code: c.parsed(3, TransferCode::parse)?,
                    amount_fen: c.int(4)?,
                    balance_after_fen: c.int(5)?,
                    counterparty: c.text(6)?,
                    memo: c.text(7)?,
                    created_at: c.time(8)?,
                })
            },
        )
    }

    /// An account's balance just before `before`: the balance after its last entry made
    /// earlier (0 when there is none).
    pub fn balance_before(&mut self, account: &str, before: Timestamp) -> Result<i64, StoreError> {
        self.int_or_zero(
            "SELECT e.balance_after_fen FROM entries e JOIN transfers t ON t.id = e.transfer_id \
             WHERE e.account = $1 AND t.created_at < $2 ORDER BY e.seq DESC LIMIT 1",
            &[account.into(), before.unix_seconds().into()],
            "entries",
        )
    }

    /// The sum of every ledger balance: zero, always, in a double-entry ledger.
    pub fn ledger_total(&mut self) -> Result<i64, StoreError> {
        self.int_or_zero(
            "SELECT CAST(COALESCE(SUM(balance_fen), 0) AS BIGINT) FROM ledger_accounts",
            &[],
            "ledger_accounts",
        )
    }

    /// Ledger accounts whose balance differs from the sum of their entries (should be none).
    pub fn ledger_mismatches(&mut self) -> Result<Vec<String>, StoreError> {
        self.all(
            "SELECT a.id FROM ledger_accounts a LEFT JOIN \
             (SELECT account, CAST(SUM(amount_fen) AS BIGINT) AS total, COUNT(*) AS n FROM entries GROUP BY account) e \
             ON e.account = a.id WHERE a.balance_fen <> COALESCE(e.total, 0) OR a.entries <> COALESCE(e.n, 0)",
            &[],
            first_text("ledger_accounts"))
    }
}
