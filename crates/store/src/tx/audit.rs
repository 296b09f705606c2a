//! The audit log: hash-chained records per chain, their heads, and purges that leave an
//! anchor so what is kept still verifies.

use shebao_domain::audit::{AuditRecord, ChainStart};
use shebao_domain::time::Timestamp;

use super::Tx;
use crate::codec::{Cols, first_text, table};
use crate::records::{AuditChain, AuditEvent, AuditFilter, contains_pattern};
use crate::{Cause, Row, StoreError, Val};

table! {
    /// The columns of an audit record.
    mod audit_log: AuditRecord {
        chain, seq, at_unix = at, actor, action, subject, outcome, detail, prev_hash, hash,
    }
}

impl Tx<'_> {
    /// Appends an event to its subject's chain and returns the chained record.
    pub fn append_audit(&mut self, event: &AuditEvent) -> Result<AuditRecord, StoreError> {
        let chain = shebao_domain::audit::chain_of(&event.subject);
        let (head_seq, head_hash) = self.audit_head(chain)?;
        let record = event.chained(chain, head_seq, head_hash);
        // The head moves first: a concurrent writer of the same chain then fails on the head's
        // row (and retries) instead of on the log's primary key.
        self.exec_versioned(
            "audit head",
            "UPDATE audit_heads SET seq = $2, hash = $3 WHERE chain = $1 AND seq = $4",
            &[
                i64::from(chain).into(),
                record.seq.into(),
                record.hash.as_str().into(),
                head_seq.into(),
            ],
        )?;
        self.insert_row(&record)?;
        Ok(record)
    }

    /// Audit records matching the filter, newest first.
    pub fn audit_records(&mut self, filter: &AuditFilter) -> Result<Vec<AuditRecord>, StoreError> {
        let (after_at, after_chain, after_seq) = match filter.after {
            Some((at, chain, seq)) => (Some(at), Some(chain), Some(seq)),
            None => (None, None, None),
        };
        self.find_all(
            "WHERE (CAST($1 AS TEXT) IS NULL OR actor = $1) AND (CAST($2 AS TEXT) IS NULL OR action = $2) \
                 AND (CAST($3 AS TEXT) IS NULL OR subject = $3) \
                 AND (CAST($5 AS TEXT) IS NULL OR LOWER(actor) LIKE $5 ESCAPE '\\') \
                 AND (CAST($6 AS TEXT) IS NULL OR LOWER(subject) LIKE $6 ESCAPE '\\') \
                 AND (CAST($7 AS BIGINT) IS NULL OR at >= CAST($7 AS BIGINT)) \
                 AND (CAST($8 AS BIGINT) IS NULL OR at < CAST($8 AS BIGINT)) \
                 AND (CAST($9 AS BIGINT) IS NULL OR at < CAST($9 AS BIGINT) OR (at = CAST($9 AS BIGINT) \
                      AND (chain > CAST($10 AS BIGINT) OR (chain = CAST($10 AS BIGINT) AND seq < CAST($11 AS BIGINT))))) \
                 ORDER BY at DESC, chain, seq DESC LIMIT $4",
            &[
                filter.actor.clone().into(),
                filter.action.clone().into(),
                filter.subject.clone().into(),
                filter.limit.into(),
                filter.actor_contains.as_deref().map(contains_pattern).into(),
                filter.subject_contains.as_deref().map(contains_pattern).into(),
                filter.from.into(),
                filter.until.into(),
                after_at.into(),
                after_chain.into(),
                after_seq.into(),
            ],
        )
    }

    /// One chain: its start (genesis or latest purge anchor), the records after it in order,
    /// and the seq its head records.
    pub fn audit_chain(&mut self, chain: u32) -> Result<AuditChain, StoreError> {
        let start = self.audit_chain_start(chain)?;
        let records = self.find_all(
            "WHERE chain = $1 AND seq > $2 ORDER BY seq",
            &[i64::from(chain).into(), start.seq.into()],
        )?;
        let head_seq = self.int_or_zero(
            "SELECT seq FROM audit_heads WHERE chain = $1",
            &[i64::from(chain).into()],
            "audit_heads",
        )?;
        Ok(AuditChain {
            start,
            records,
            head_seq,
        })
    }

    /// Where a chain's verification starts: after its latest purge anchor, else the genesis.
    pub fn audit_chain_start(&mut self, chain: u32) -> Result<ChainStart, StoreError> {
        let anchor = self.one(
            "SELECT seq, hash FROM audit_anchors WHERE chain = $1 ORDER BY seq DESC LIMIT 1",
            &[i64::from(chain).into()],
            |row| {
                let c = Cols::new(row, "audit_anchors");
                Ok(ChainStart {
                    seq: c.int(0)?,
                    hash: c.text(1)?,
                })
            },
        )?;
        Ok(anchor.unwrap_or_else(ChainStart::genesis))
    }

    /// Purges the front of `chain`: every record up to (not including) the first one written
    /// at or after `cutoff`. The records must form a prefix for the chain to stay verifiable,
    /// so a record older than the cutoff that follows a younger one (clocks of concurrent
    /// writers) waits for the next purge. Inserts the anchor first — the database checks it
    /// against the retention floor and only then lets the covered rows go — and returns how
    /// many records were deleted.
    pub fn purge_audit_chain(
        &mut self,
        chain: u32,
        cutoff: Timestamp,
        purged_at: Timestamp,
    ) -> Result<i64, StoreError> {
        let start = self.audit_chain_start(chain)?;
        let chain_val = Val::from(i64::from(chain));
        let seq_of = |row: &Row| Cols::new(row, "audit_log").opt_int(0);
        let first_young = self
            .one(
                "SELECT MIN(seq) FROM audit_log WHERE chain = $1 AND at >= $2",
                &[chain_val.clone(), cutoff.unix_seconds().into()],
                seq_of,
            )?
            .flatten();
        let last_purged = match first_young {
            Some(seq) => seq - 1,
            None => self
                .one(
                    "SELECT MAX(seq) FROM audit_log WHERE chain = $1",
                    std::slice::from_ref(&chain_val),
                    seq_of,
                )?
                .flatten()
                .unwrap_or(start.seq),
        };
        if last_purged <= start.seq {
            return Ok(0);
        }
        let hash = self
            .one(
                "SELECT hash FROM audit_log WHERE chain = $1 AND seq = $2",
                &[chain_val.clone(), last_purged.into()],
                first_text("audit_log"),
            )?
            .ok_or_else(|| {
                StoreError::Corrupt(format!("audit chain {chain} has no record {last_purged}"))
            })?;
        self.exec(
            "INSERT INTO audit_anchors (chain, seq, hash, cutoff_at, purged_at) VALUES ($1, $2, $3, $4, $5)",
            &[
                chain_val.clone(),
                last_purged.into(),
                hash.into(),
                cutoff.unix_seconds().into(),
                purged_at.unix_seconds().into(),
            ],
        )?;
        let deleted = self.exec(
            "DELETE FROM audit_log WHERE chain = $1 AND seq <= $2",
            &[chain_val, last_purged.into()],
        )?;
        i64::try_from(deleted).map_err(|e| StoreError::Backend(Cause::new(e)))
    }
}
