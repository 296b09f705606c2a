//! The audit trail's chain: each record's hash covers its content and the previous record's
//! hash, so an edited, inserted or deleted record breaks the chain at that point. Old records
//! may be purged from the front of a chain once the retention floor has passed; the chain then
//! verifies from an anchor, the last purged record's seq and hash.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::time::{Date, Timestamp};

/// The hash that precedes the first record of every chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Number of independent chains. Writers append to the chain of the record's subject, so
/// unrelated writes do not queue behind one chain head.
pub const AUDIT_CHAINS: u32 = 8;

/// The legal minimum retention of audit records, in days: no record younger than this may
/// be purged (issue 6: "none younger than 180 days can be purged"). A region may keep its
/// records longer by purging with an earlier date, never shorter. The migrations of both
/// stores repeat this number (as seconds) in the trigger that checks every purge anchor, so
/// a bug in the application cannot purge younger records either.
pub const AUDIT_RETENTION_FLOOR_DAYS: i64 = 180;

/// Why a purge was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgeTooRecent {
    /// The date asked for.
    pub before: Date,
    /// The latest date a purge may name today.
    pub latest_allowed: Date,
}

impl fmt::Display for PurgeTooRecent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "audit records are kept at least {AUDIT_RETENTION_FLOOR_DAYS} days: a purge today may name {} at the latest, not {}",
            self.latest_allowed, self.before
        )
    }
}

impl std::error::Error for PurgeTooRecent {}

/// The instant before which records may be purged when an operator asks to purge everything
/// older than `before` on `today`: the start of `before` (UTC), allowed only when `before` is
/// at least [`AUDIT_RETENTION_FLOOR_DAYS`] days before `today`.
pub fn purge_cutoff(before: Date, today: Date) -> Result<Timestamp, PurgeTooRecent> {
    let latest_allowed = today.add_days(-AUDIT_RETENTION_FLOOR_DAYS);
    if before > latest_allowed {
        return Err(PurgeTooRecent {
            before,
            latest_allowed,
        });
    }
    Ok(Timestamp::start_of(before))
}

/// Where a chain's verification starts: at the genesis, or after the last purged record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainStart {
    /// The seq of the last record before the first one present (0 at the genesis).
    pub seq: i64,
    /// That record's hash, which the first present record must link to.
    pub hash: String,
}

impl ChainStart {
    /// The start of a chain nothing was purged from.
    pub fn genesis() -> ChainStart {
        ChainStart {
            seq: 0,
            hash: GENESIS_HASH.to_owned(),
        }
    }
}

/// One audit record as hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub chain: u32,
    pub seq: i64,
    pub at_unix: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub outcome: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The record's hash over its fields and the previous hash. Fields are length-prefixed so
/// that moving text from one field to the next changes the hash.
pub fn record_hash(record: &AuditRecord) -> String {
    let mut hasher = Sha256::new();
    hasher.update(record.prev_hash.as_bytes());
    hasher.update(record.chain.to_be_bytes());
    hasher.update(record.seq.to_be_bytes());
    hasher.update(record.at_unix.to_be_bytes());
    for field in [
        &record.actor,
        &record.action,
        &record.subject,
        &record.outcome,
        &record.detail,
    ] {
        hasher.update(u64::try_from(field.len()).unwrap_or(u64::MAX).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Where a chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// A record is missing before `seq` (deleted or never written).
    Gap { chain: u32, seq: i64 },
    /// The record does not link to the one before it.
    Link { chain: u32, seq: i64 },
    /// The record's content does not match its hash (edited).
    Content { chain: u32, seq: i64 },
    /// The chain ends before its recorded head (records deleted at the end).
    Truncated {
        chain: u32,
        head_seq: i64,
        last_seq: i64,
    },
}

/// Checks one chain, in `seq` order starting at 1, against its recorded head (`head_seq`, the
/// seq of the last record written).
pub fn verify_chain<'a>(
    chain: u32,
    records: impl IntoIterator<Item = &'a AuditRecord>,
    head_seq: i64,
) -> Result<i64, ChainBreak> {
    verify_chain_from(chain, &ChainStart::genesis(), records, head_seq)
}

/// Checks one chain from `start` (the genesis, or a purge anchor): the first record must be
/// `start.seq + 1` and link to `start.hash`, and so on up to the recorded head. Returns how
/// many records it checked. Removing or altering the anchor breaks the first link, so the
/// anchor is verified by the record after it.
pub fn verify_chain_from<'a>(
    chain: u32,
    start: &ChainStart,
    records: impl IntoIterator<Item = &'a AuditRecord>,
    head_seq: i64,
) -> Result<i64, ChainBreak> {
    let mut prev_hash = start.hash.clone();
    let mut expected_seq = start.seq + 1;
    for record in records {
        if record.seq != expected_seq {
            return Err(ChainBreak::Gap {
                chain,
                seq: expected_seq,
            });
        }
        if record.prev_hash != prev_hash {
            return Err(ChainBreak::Link {
                chain,
                seq: record.seq,
            });
        }
        if record_hash(record) != record.hash {
            return Err(ChainBreak::Content {
                chain,
                seq: record.seq,
            });
        }
        prev_hash = record.hash.clone();
        expected_seq += 1;
    }
    let last_seq = expected_seq - 1;
    if last_seq != head_seq {
        return Err(ChainBreak::Truncated {
            chain,
            head_seq,
            last_seq,
        });
    }
    Ok(last_seq - start.seq)
}

/// The chain a subject's records go to (FNV-1a, stable across runs).
pub fn chain_of(subject: &str) -> u32 {
    crate::money::ledger::stripe_of(subject) % AUDIT_CHAINS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(length: i64) -> Vec<AuditRecord> {
        let mut records: Vec<AuditRecord> = Vec::new();
        for seq in 1..=length {
            let prev_hash = records
                .last()
                .map_or(GENESIS_HASH.to_owned(), |r| r.hash.clone());
            let mut record = AuditRecord {
                chain: 0,
                seq,
                at_unix: 1_700_000_000 + seq,
                actor: "user:clerk".into(),
                action: "card.collect".into(),
                subject: format!("card:{seq}"),
                outcome: "ok".into(),
                detail: "{}".into(),
                prev_hash,
                hash: String::new(),
            };
            record.hash = record_hash(&record);
            records.push(record);
        }
        records
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify_chain(0, &chain(5), 5), Ok(5));
        assert_eq!(verify_chain(0, &chain(0), 0), Ok(0));
    }

    #[test]
    fn an_edited_record_is_detected() {
        let mut records = chain(5);
        records[2].outcome = "refused".into();
        assert_eq!(
            verify_chain(0, &records, 5),
            Err(ChainBreak::Content { chain: 0, seq: 3 })
        );
    }

    #[test]
    fn a_deleted_record_is_detected() {
        let mut records = chain(5);
        records.remove(1);
        assert_eq!(
            verify_chain(0, &records, 5),
            Err(ChainBreak::Gap { chain: 0, seq: 2 })
        );
        let mut records = chain(5);
        records.pop();
        assert_eq!(
            verify_chain(0, &records, 5),
            Err(ChainBreak::Truncated {
                chain: 0,
                head_seq: 5,
                last_seq: 4
            })
        );
    }

    #[test]
    fn a_purged_chain_verifies_from_its_anchor_and_still_detects_changes() {
        let records = chain(6);
        let anchor = ChainStart {
            seq: 2,
            hash: records[1].hash.clone(),
        };
        let kept = &records[2..];
        assert_eq!(verify_chain_from(0, &anchor, kept, 6), Ok(4));
        assert_eq!(
            verify_chain(0, kept, 6),
            Err(ChainBreak::Gap { chain: 0, seq: 1 })
        );
        let wrong_anchor = ChainStart {
            seq: 2,
            hash: records[0].hash.clone(),
        };
        assert_eq!(
            verify_chain_from(0, &wrong_anchor, kept, 6),
            Err(ChainBreak::Link { chain: 0, seq: 3 })
        );
        let mut edited = kept.to_vec();
        edited[1].actor = "user:forger".into();
        assert_eq!(
            verify_chain_from(0, &anchor, &edited, 6),
            Err(ChainBreak::Content { chain: 0, seq: 4 })
        );
        let mut deleted = kept.to_vec();
        deleted.remove(0);
        assert_eq!(
            verify_chain_from(0, &anchor, &deleted, 6),
            Err(ChainBreak::Gap { chain: 0, seq: 3 })
        );
        let everything_purged = ChainStart {
            seq: 6,
            hash: records[5].hash.clone(),
        };
        assert_eq!(verify_chain_from(0, &everything_purged, &[], 6), Ok(0));
    }

    #[test]
    fn a_purge_must_leave_the_retention_floor_untouched() {
        let today = Date::new(2026, 11, 27).unwrap_or(Date::from_days_since_epoch(0));
        let floor = today.add_days(-AUDIT_RETENTION_FLOOR_DAYS);
        assert_eq!(purge_cutoff(floor, today), Ok(Timestamp::start_of(floor)));
        assert_eq!(
            purge_cutoff(floor.add_days(-400), today),
            Ok(Timestamp::start_of(floor.add_days(-400)))
        );
        assert_eq!(
            purge_cutoff(floor.add_days(1), today),
            Err(PurgeTooRecent {
                before: floor.add_days(1),
                latest_allowed: floor,
            })
        );
        assert!(purge_cutoff(today, today).is_err());
        assert!(purge_cutoff(today.add_days(30), today).is_err());
    }

    #[test]
    fn a_rehashed_edit_still_breaks_the_next_link() {
        let mut records = chain(5);
        records[1].detail = "{\"forged\":true}".into();
        records[1].hash = record_hash(&records[1]);
        assert_eq!(
            verify_chain(0, &records, 5),
            Err(ChainBreak::Link { chain: 0, seq: 3 })
        );
    }
}
