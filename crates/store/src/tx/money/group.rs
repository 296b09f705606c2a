//! The money engine's writes: a whole group of commands' effects, one table at a time (the
//! engine decided them in memory, so nothing here reads before it writes), and what the
//! engine loads into its state on first use.

use shebao_domain::audit::AuditRecord;

use shebao_domain::card::Card;
use shebao_domain::money::account::Account;

use crate::codec::Cols;
use crate::records::{
    HeadMove, IdempotentAnswer, LedgerBalance, LedgerMove, NewEntry, TransferRecord,
};
use crate::tx::Tx;
use crate::tx::arrays::ArrayLiteral;
use crate::{StoreError, Touched, Val};

const INSERT_TRANSFER: &str = "INSERT INTO transfers (id, code, debit_account, credit_account, amount_fen, reverses, memo, actor, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const INSERT_ENTRY: &str = "INSERT INTO entries (account, seq, transfer_id, amount_fen, balance_after_fen) VALUES ($1, $2, $3, $4, $5)";
const MOVE_LEDGER: &str =
    "UPDATE ledger_accounts SET balance_fen = $2, entries = $3 WHERE id = $1 AND entries = $4";
const INSERT_AUDIT: &str = "INSERT INTO audit_log (chain, seq, at, actor, action, subject, outcome, detail, prev_hash, hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const MOVE_HEAD: &str = "UPDATE audit_heads SET seq = $2, hash = $3 WHERE chain = $1 AND seq = $4";
const INSERT_ANSWER: &str =
    "INSERT INTO idempotency (key, fingerprint, response, created_at) VALUES ($1, $2, $3, $4)";

impl Tx<'_> {
    /// An update guarded by the count the engine read; no row changed means another writer
    /// (another process) moved the row meanwhile, so the engine's state is stale: the whole
    /// group is run again from the database ([`StoreError::Retry`]).
    fn exec_guarded(&mut self, sql: &str, params: &[Val]) -> Result<(), StoreError> {
        match self.exec(sql, params)? {
            1 => Ok(()),
            _ => self.note(Err(StoreError::Retry)),
        }
    }

    /// Saves an account the engine changed (a PIN count) over the version it read; another
    /// writer's save meanwhile runs the whole group again ([`StoreError::Retry`]).
    pub fn save_account_guarded(
        &mut self,
        account: &shebao_domain::money::account::Account,
    ) -> Result<(), StoreError> {
        match self.update_account(account) {
            Err(StoreError::Conflict { .. }) => self.note(Err(StoreError::Retry)),
            other => other,
        }
    }

    /// The watched tables written in this transaction's connection since the last call
    /// ([`Touched`]).
    pub fn take_touched(&mut self) -> Touched {
        self.conn.take_touched()
    }

    /// Whether another process may have written since the last call.
    pub fn written_elsewhere(&mut self) -> Result<bool, StoreError> {
        let answer = self.conn.written_elsewhere();
        self.note(answer)
    }

    /// The head of an audit chain: its last sequence number and hash.
    pub fn audit_head(&mut self, chain: u32) -> Result<(i64, String), StoreError> {
        self.one(
            "SELECT seq, hash FROM audit_heads WHERE chain = $1",
            &[i64::from(chain).into()],
            |row| {
                let c = Cols::new(row, "audit_heads");
                Ok((c.int(0)?, c.text(1)?))
            },
        )?
        .ok_or_else(|| StoreError::Corrupt(format!("audit head {chain} missing")))
    }

    /// Writes a group's effects: the ledger accounts first used (none of them yet in the
    /// database), each ledger account's new balance (once per account) and each audit chain's
    /// new head — both guarded: the group runs again if another writer moved one meanwhile —
    /// then the transfers and their entries, the audit records and the answers kept for
    /// replays.
    pub fn write_money_group(&mut self, group: &MoneyGroup<'_>) -> Result<(), StoreError> {
        for (id, allow_negative, at) in group.new_ledger_accounts {
            self.ensure_ledger_account(id, *allow_negative, *at)?;
        }
        if self.conn.text_arrays() {
            return self.write_money_group_as_arrays(group);
        }
        // Every guarded update first: a concurrent writer of the same account or chain (another
        // process) then fails the group on that row, to run again, rather than on an entry's or
        // an audit record's primary key.
        for m in group.ledger {
            self.exec_guarded(
                MOVE_LEDGER,
                &[
                    m.id.as_str().into(),
                    m.balance_fen.into(),
                    m.entries.into(),
                    m.entries_before.into(),
                ],
            )?;
        }
        for h in group.heads {
            self.exec_guarded(
                MOVE_HEAD,
                &[
                    i64::from(h.chain).into(),
                    h.seq.into(),
                    h.hash.as_str().into(),
                    h.seq_before.into(),
                ],
            )?;
        }
        for t in group.transfers {
            let values: [Val; 9] = [
                t.id.as_str().into(),
                t.code.as_str().into(),
                t.debit_account.as_str().into(),
                t.credit_account.as_str().into(),
                t.amount_fen.into(),
                t.reverses.as_ref().map(|r| r.as_str().to_owned()).into(),
                t.memo.as_str().into(),
                t.actor.as_str().into(),
                t.created_at.unix_seconds().into(),
            ];
            self.run(INSERT_TRANSFER, &values)?;
        }
        for e in group.entries {
            self.run(
                INSERT_ENTRY,
                &[
                    e.account.as_str().into(),
                    e.seq.into(),
                    e.transfer_id.as_str().into(),
                    e.amount_fen.into(),
                    e.balance_after_fen.into(),
                ],
            )?;
        }
        for r in group.audit {
            self.run(
                INSERT_AUDIT,
                &[
                    i64::from(r.chain).into(),
                    r.seq.into(),
                    r.at_unix.into(),
                    r.actor.as_str().into(),
                    r.action.as_str().into(),
                    r.subject.as_str().into(),
                    r.outcome.as_str().into(),
                    r.detail.as_str().into(),
                    r.prev_hash.as_str().into(),
                    r.hash.as_str().into(),
                ],
            )?;
        }
        for a in group.answers {
            self.run(
                INSERT_ANSWER,
                &[
                    a.key.as_str().into(),
                    a.fingerprint.as_str().into(),
                    a.response.as_str().into(),
                    a.at_unix.into(),
                ],
            )?;
        }
        Ok(())
    }
}

/// A group's effects, as [`Tx::write_money_group`] writes them.
pub struct MoneyGroup<'a> {
    /// Ledger accounts used for the first time: id, whether it may go below zero, when.
    pub new_ledger_accounts: &'a [(String, bool, shebao_domain::time::Timestamp)],
    pub transfers: &'a [TransferRecord],
    pub entries: &'a [NewEntry],
    pub ledger: &'a [LedgerMove],
    pub audit: &'a [AuditRecord],
    pub heads: &'a [HeadMove],
    pub answers: &'a [IdempotentAnswer],
}

/// A column of text as an array parameter.
fn texts<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Val {
    let mut array = ArrayLiteral::default();
    for value in values {
        array.text(value);
    }
    array.finish()
}

/// A column of integers as an array parameter.
fn ints(values: impl Iterator<Item = i64>) -> Val {
    let mut array = ArrayLiteral::default();
    for value in values {
        array.int(Some(value));
    }
    array.finish()
}

/// `unnest` of array parameters `$1`… of these types.
fn unnest(types: &[&str]) -> String {
    let arrays: Vec<String> = types
        .iter()
        .enumerate()
        .map(|(i, kind)| format!("CAST(CAST(${} AS TEXT) AS {kind}[])", i + 1))
        .collect();
    format!("unnest({})", arrays.join(", "))
}

impl Tx<'_> {
    /// Whether this connection takes array parameters (PostgreSQL): the engine then loads a
    /// group's rows with one query per table ([`Tx::cards_among`], …) instead of one per row.
    pub fn takes_arrays(&self) -> bool {
        self.conn.text_arrays()
    }

    /// An `UPDATE … FROM unnest(…)` that must change exactly `rows` rows, or the group is run
    /// again (another writer moved one of them).
    fn exec_guarded_rows(
        &mut self,
        sql: &str,
        params: &[Val],
        rows: usize,
    ) -> Result<(), StoreError> {
        if self.exec(sql, params)? == rows as u64 {
            Ok(())
        } else {
            self.note(Err(StoreError::Retry))
        }
    }

    /// PostgreSQL's form of [`Tx::write_money_group`]: one statement per table, each column
    /// one array (a group is a handful of round trips, whatever its size).
    fn write_money_group_as_arrays(&mut self, group: &MoneyGroup<'_>) -> Result<(), StoreError> {
        // The guarded updates first, as in the portable form.
        let l = group.ledger;
        if !l.is_empty() {
            let sql = format!(
                "UPDATE ledger_accounts AS a SET balance_fen = v.b, entries = v.e \
                 FROM {} AS v(id, b, e, eb) WHERE a.id = v.id AND a.entries = v.eb",
                unnest(&["TEXT", "BIGINT", "BIGINT", "BIGINT"])
            );
            self.exec_guarded_rows(
                &sql,
                &[
                    texts(l.iter().map(|m| Some(m.id.as_str()))),
                    ints(l.iter().map(|m| m.balance_fen)),
                    ints(l.iter().map(|m| m.entries)),
                    ints(l.iter().map(|m| m.entries_before)),
                ],
                l.len(),
            )?;
        }
        let h = group.heads;
        if !h.is_empty() {
            let sql = format!(
                "UPDATE audit_heads AS a SET seq = v.s, hash = v.h \
                 FROM {} AS v(c, s, h, sb) WHERE a.chain = v.c AND a.seq = v.sb",
                unnest(&["BIGINT", "BIGINT", "TEXT", "BIGINT"])
            );
            self.exec_guarded_rows(
                &sql,
                &[
                    ints(h.iter().map(|m| i64::from(m.chain))),
                    ints(h.iter().map(|m| m.seq)),
                    texts(h.iter().map(|m| Some(m.hash.as_str()))),
                    ints(h.iter().map(|m| m.seq_before)),
                ],
                h.len(),
            )?;
        }
        let t = group.transfers;
        if !t.is_empty() {
            let sql = format!(
                "INSERT INTO transfers (id, code, debit_account, credit_account, amount_fen, reverses, memo, actor, created_at) \
                 SELECT * FROM {}",
                unnest(&[
                    "TEXT", "TEXT", "TEXT", "TEXT", "BIGINT", "TEXT", "TEXT", "TEXT", "BIGINT"
                ])
            );
            self.run(
                &sql,
                &[
                    texts(t.iter().map(|r| Some(r.id.as_str()))),
                    texts(t.iter().map(|r| Some(r.code.as_str()))),
                    texts(t.iter().map(|r| Some(r.debit_account.as_str()))),
                    texts(t.iter().map(|r| Some(r.credit_account.as_str()))),
                    ints(t.iter().map(|r| r.amount_fen)),
                    texts(t.iter().map(|r| r.reverses.as_ref().map(|id| id.as_str()))),
                    texts(t.iter().map(|r| Some(r.memo.as_str()))),
                    texts(t.iter().map(|r| Some(r.actor.as_str()))),
                    ints(t.iter().map(|r| r.created_at.unix_seconds())),
                ],
            )?;
        }
        let e = group.entries;
        if !e.is_empty() {
            let sql = format!(
                "INSERT INTO entries (account, seq, transfer_id, amount_fen, balance_after_fen) SELECT * FROM {}",
                unnest(&["TEXT", "BIGINT", "TEXT", "BIGINT", "BIGINT"])
            );
            self.run(
                &sql,
                &[
                    texts(e.iter().map(|r| Some(r.account.as_str()))),
                    ints(e.iter().map(|r| r.seq)),
                    texts(e.iter().map(|r| Some(r.transfer_id.as_str()))),
                    ints(e.iter().map(|r| r.amount_fen)),
                    ints(e.iter().map(|r| r.balance_after_fen)),
                ],
            )?;
        }
        let a = group.audit;
        if !a.is_empty() {
            let sql = format!(
                "INSERT INTO audit_log (chain, seq, at, actor, action, subject, outcome, detail, prev_hash, hash) \
                 SELECT * FROM {}",
                unnest(&[
                    "BIGINT", "BIGINT", "BIGINT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT",
                    "TEXT"
                ])
            );
            self.run(
                &sql,
                &[
                    ints(a.iter().map(|r| i64::from(r.chain))),
                    ints(a.iter().map(|r| r.seq)),
                    ints(a.iter().map(|r| r.at_unix)),
                    texts(a.iter().map(|r| Some(r.actor.as_str()))),
                    texts(a.iter().map(|r| Some(r.action.as_str()))),
                    texts(a.iter().map(|r| Some(r.subject.as_str()))),
                    texts(a.iter().map(|r| Some(r.outcome.as_str()))),
                    texts(a.iter().map(|r| Some(r.detail.as_str()))),
                    texts(a.iter().map(|r| Some(r.prev_hash.as_str()))),
                    texts(a.iter().map(|r| Some(r.hash.as_str()))),
                ],
            )?;
        }
        let k = group.answers;
        if !k.is_empty() {
            let sql = format!(
                "INSERT INTO idempotency (key, fingerprint, response, created_at) SELECT * FROM {}",
                unnest(&["TEXT", "TEXT", "TEXT", "BIGINT"])
            );
            self.run(
                &sql,
                &[
                    texts(k.iter().map(|r| Some(r.key.as_str()))),
                    texts(k.iter().map(|r| Some(r.fingerprint.as_str()))),
                    texts(k.iter().map(|r| Some(r.response.as_str()))),
                    ints(k.iter().map(|r| r.at_unix)),
                ],
            )?;
        }
        Ok(())
    }

    /// The answers stored under any of `keys`: key, fingerprint, answer. PostgreSQL only
    /// ([`Tx::takes_arrays`]).
    pub fn idempotent_responses_among(
        &mut self,
        keys: &[&str],
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        self.all(
            "SELECT key, fingerprint, response FROM idempotency \
             WHERE key = ANY(CAST(CAST($1 AS TEXT) AS TEXT[]))",
            &[texts(keys.iter().map(|k| Some(*k)))],
            |row| {
                let c = Cols::new(row, "idempotency");
                Ok((c.text(0)?, c.text(1)?, c.text(2)?))
            },
        )
    }

    /// The cards among `ids`. PostgreSQL only ([`Tx::takes_arrays`]).
    pub fn cards_among(&mut self, ids: &[&str]) -> Result<Vec<Card>, StoreError> {
        self.find_all(
            "WHERE id = ANY(CAST(CAST($1 AS TEXT) AS TEXT[]))",
            &[texts(ids.iter().map(|k| Some(*k)))],
        )
    }

    /// The accounts among `ids`. PostgreSQL only ([`Tx::takes_arrays`]).
    pub fn accounts_among(&mut self, ids: &[&str]) -> Result<Vec<Account>, StoreError> {
        self.find_all(
            "WHERE id = ANY(CAST(CAST($1 AS TEXT) AS TEXT[]))",
            &[texts(ids.iter().map(|k| Some(*k)))],
        )
    }

    /// The ledger accounts among `ids`. PostgreSQL only ([`Tx::takes_arrays`]).
    pub fn ledger_balances_among(
        &mut self,
        ids: &[&str],
    ) -> Result<Vec<(String, LedgerBalance)>, StoreError> {
        self.all(
            "SELECT id, balance_fen, allow_negative, entries FROM ledger_accounts \
             WHERE id = ANY(CAST(CAST($1 AS TEXT) AS TEXT[]))",
            &[texts(ids.iter().map(|k| Some(*k)))],
            |row| {
                let c = Cols::new(row, "ledger_accounts");
                Ok((
                    c.text(0)?,
                    LedgerBalance {
                        balance_fen: c.int(1)?,
                        allow_negative: c.int(2)? != 0,
                        entries: c.int(3)?,
                    },
                ))
            },
        )
    }

    /// Every audit chain's head: chain, sequence number, hash.
    pub fn audit_heads(&mut self) -> Result<Vec<(u32, i64, String)>, StoreError> {
        self.all("SELECT chain, seq, hash FROM audit_heads", &[], |row| {
            let c = Cols::new(row, "audit_heads");
            let chain = u32::try_from(c.int(0)?)
                .map_err(|_| StoreError::Corrupt("audit head chain out of range".into()))?;
            Ok((chain, c.int(1)?, c.text(2)?))
        })
    }
}
