//! The money engine's writes: a whole group of commands' effects, one table at a time (the
//! engine decided them in memory, so nothing here reads before it writes), and what the
//! engine loads into its state on first use.

use shebao_domain::audit::AuditRecord;

use crate::codec::Cols;
use crate::records::{HeadMove, IdempotentAnswer, LedgerMove, NewEntry, TransferRecord};
use crate::tx::Tx;
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
    /// database), the transfers and their entries, each ledger account's new balance (once per
    /// account, run again if another writer moved it meanwhile), the audit
    /// records and each chain's new head (likewise), and the answers kept for replays.
    pub fn write_money_group(&mut self, group: &MoneyGroup<'_>) -> Result<(), StoreError> {
        for (id, allow_negative, at) in group.new_ledger_accounts {
            self.ensure_ledger_account(id, *allow_negative, *at)?;
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
